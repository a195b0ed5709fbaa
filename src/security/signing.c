/*
 * signing.c - Django-style signed values. The key for purpose P is
 * SHA256("inventario.signing." P || key); signing_mac uses the salt
 * "inventario.mac." P, so a signature and a stored token hash made for the
 * same purpose can never be swapped. Keys live in static memory so no
 * request can change them after start-up.
 */
#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest.h"
#include "random.h"
#include "signing.h"

#define SIGNING_SALT_PREFIX "inventario.signing."
#define SIGNING_MAC_PREFIX "inventario.mac."
#define SIG_LEN 43 /* base64url of 32 bytes, unpadded */
#define TS_MAX_LEN 11 /* 62^11 > 2^63 */
#define CLOCK_SKEW_S 60

struct signing_key {
	char bytes[SIGNING_KEY_MAX + 1];
	size_t len;
};

static struct signing_key signing_keys[SIGNING_MAX_KEYS];
static size_t signing_n_keys;

static const char b62_chars[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void store_key(size_t i, const char *key)
{
	size_t len;

	if (!key)
		die("signing key %zu is missing", i);
	len = strnlen(key, SIGNING_KEY_MAX + 1);
	if (len == 0)
		die("signing key %zu is empty", i);
	if (len > SIGNING_KEY_MAX)
		die("signing key %zu is longer than %d bytes", i, SIGNING_KEY_MAX);
	memcpy(signing_keys[i].bytes, key, len);
	signing_keys[i].bytes[len] = '\0';
	signing_keys[i].len = len;
}

void signing_set_keys(const char *secret, const char *const *fallbacks, size_t n_fallbacks)
{
	if (n_fallbacks > SIGNING_MAX_KEYS - 1)
		die("at most %d signing fallback keys", SIGNING_MAX_KEYS - 1);
	if (n_fallbacks && !fallbacks)
		die("signing fallback keys missing");
	OPENSSL_cleanse(signing_keys, sizeof(signing_keys));
	signing_n_keys = 0;
	store_key(0, secret);
	for (size_t i = 0; i < n_fallbacks; i++)
		store_key(i + 1, fallbacks[i]);
	signing_n_keys = 1 + n_fallbacks;
}

/* An empty key would make every signature forgeable: refuse to run instead. */
static void require_keys(void)
{
	if (signing_n_keys == 0)
		die("signing used before signing_set_keys");
}

/*
 * HMAC is the RFC 2104 construction over digest.c's SHA-256 rather than
 * OpenSSL's one-shot HMAC(), which looks the algorithm up under a global
 * lock on every call: that showed as contention on the signed-cookie check
 * every request makes. Django's vector in the tests pins the result.
 */
#define digest_begin sha256_begin
#define digest_add sha256_add
#define digest_end sha256_end

/* key = SHA256(prefix || purpose || secret); mac = HMAC-SHA256(key, msg). */
static void keyed_mac(const char *prefix, const char *purpose, const char *secret,
		      size_t secret_len, const void *msg, size_t msg_len, unsigned char out[32])
{
	unsigned char key[32], pad[64], inner[32];
	EVP_MD_CTX *ctx = digest_begin();

	digest_add(ctx, prefix, strlen(prefix));
	digest_add(ctx, purpose, strlen(purpose));
	digest_add(ctx, secret, secret_len);
	digest_end(ctx, key);

	memset(pad, 0x36, sizeof(pad));
	for (size_t i = 0; i < sizeof(key); i++)
		pad[i] ^= key[i];
	ctx = digest_begin();
	digest_add(ctx, pad, sizeof(pad));
	digest_add(ctx, msg ? msg : "", msg_len);
	digest_end(ctx, inner);

	memset(pad, 0x5c, sizeof(pad));
	for (size_t i = 0; i < sizeof(key); i++)
		pad[i] ^= key[i];
	ctx = digest_begin();
	digest_add(ctx, pad, sizeof(pad));
	digest_add(ctx, inner, sizeof(inner));
	digest_end(ctx, out);

	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(pad, sizeof(pad));
	OPENSSL_cleanse(inner, sizeof(inner));
}

void salted_hmac(const char *key_salt, const char *secret, const void *msg,
		 size_t msg_len, unsigned char out[32])
{
	keyed_mac(key_salt, "", secret, strlen(secret), msg, msg_len, out);
}

void signing_mac(const char *purpose, const void *msg, size_t len, unsigned char out[32])
{
	require_keys();
	keyed_mac(SIGNING_MAC_PREFIX, purpose, signing_keys[0].bytes, signing_keys[0].len, msg,
		  len, out);
}

static void signature(const char *purpose, const struct signing_key *key, const char *msg,
		      size_t len, char out[SIG_LEN + 1])
{
	unsigned char mac[32];

	keyed_mac(SIGNING_SALT_PREFIX, purpose, key->bytes, key->len, msg, len, mac);
	if (b64url_encode(mac, sizeof(mac), out, SIG_LEN + 1) != SIG_LEN)
		die("signature encoding failed");
	OPENSSL_cleanse(mac, sizeof(mac));
}

/* Appends ":" + signature of out[0..len) under the current key. */
static int append_signature(const char *purpose, char *out, size_t len, size_t out_size)
{
	if (out_size < len || out_size - len < 1 + SIG_LEN + 1)
		return -1;
	out[len] = ':';
	signature(purpose, &signing_keys[0], out, len, out + len + 1);
	return (int)(len + 1 + SIG_LEN);
}

int signing_sign(const char *purpose, str value, char *out, size_t out_size)
{
	require_keys();
	if ((!value.ptr && value.len) || value.len > INT_MAX - (SIG_LEN + 2) ||
	    out_size < value.len + 1 + SIG_LEN + 1)
		return -1;
	if (value.len)
		memcpy(out, value.ptr, value.len);
	return append_signature(purpose, out, value.len, out_size);
}

static bool split_last(str s, char sep, str *head, str *tail)
{
	for (size_t i = s.len; i > 0; i--) {
		if (s.ptr[i - 1] == sep) {
			*head = (str){ s.ptr, i - 1 };
			*tail = (str){ s.ptr + i, s.len - i };
			return true;
		}
	}
	return false;
}

int signing_unsign(const char *purpose, str signed_value, str *value)
{
	str v, sig;
	bool ok = false;

	require_keys();
	if (!signed_value.ptr || !split_last(signed_value, ':', &v, &sig) || sig.len != SIG_LEN)
		return -1;
	/* Every key is tried, so timing says nothing about which one signed. */
	for (size_t i = 0; i < signing_n_keys; i++) {
		char want[SIG_LEN + 1];
		signature(purpose, &signing_keys[i], v.ptr, v.len, want);
		ok |= ct_equal(want, SIG_LEN, sig.ptr, sig.len);
	}
	if (!ok)
		return -1;
	*value = v;
	return 0;
}

static size_t b62_encode(int64_t n, char out[TS_MAX_LEN + 1])
{
	char tmp[TS_MAX_LEN];
	size_t len = 0;

	do {
		tmp[len++] = b62_chars[n % 62];
		n /= 62;
	} while (n);
	for (size_t i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	out[len] = '\0';
	return len;
}

static int b62_decode(str s, int64_t *out)
{
	int64_t v = 0;

	if (s.len == 0 || s.len > TS_MAX_LEN || (s.len > 1 && s.ptr[0] == '0'))
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'A' && c <= 'Z')
			d = c - 'A' + 10;
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 36;
		else
			return -1;
		if (v > (INT64_MAX - d) / 62)
			return -1;
		v = v * 62 + d;
	}
	*out = v;
	return 0;
}

/*
 * As in Django, both forms share the purpose's key, and "v:ts" signed plainly
 * reads back as a timed value: give each purpose one form only.
 */
int signing_sign_timed(const char *purpose, str value, int64_t now, char *out, size_t out_size)
{
	char ts[TS_MAX_LEN + 1];
	size_t ts_len, len;

	require_keys();
	if (now < 0 || (!value.ptr && value.len) || value.len > INT_MAX - 64)
		return -1;
	ts_len = b62_encode(now, ts);
	len = value.len + 1 + ts_len;
	if (out_size < len + 1 + SIG_LEN + 1)
		return -1;
	if (value.len)
		memcpy(out, value.ptr, value.len);
	out[value.len] = ':';
	memcpy(out + value.len + 1, ts, ts_len);
	return append_signature(purpose, out, len, out_size);
}

int signing_unsign_timed(const char *purpose, str signed_value, int64_t now,
			 int64_t max_age_s, str *value)
{
	str inner, v, ts_str;
	int64_t ts;

	if (signing_unsign(purpose, signed_value, &inner) != 0)
		return -1;
	if (!split_last(inner, ':', &v, &ts_str) || b62_decode(ts_str, &ts) != 0)
		return -1;
	/* ts >= 0, and now >= ts - 60 once the first test fails: no overflow. */
	if (ts - CLOCK_SKEW_S > now || now - ts > max_age_s)
		return -1;
	*value = v;
	return 0;
}
