/*
 * password_hasher.c - Django's pbkdf2_sha256 hasher. The stored format is
 * parsed strictly and bounded before any hashing, so a malformed or planted
 * hash is refused cheaply and never costs more than PASSWORD_MAX_ITERATIONS.
 */
#include <limits.h>
#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "password_hasher.h"
#include "random.h"

#define PASSWORD_ALGORITHM "pbkdf2_sha256"
#define PASSWORD_KEY_LEN 32
#define PASSWORD_SALT_LEN 22 /* Django's default: 22 * log2(62) >= 128 bits */

static int derive(const char *password, size_t len, const char *salt, size_t salt_len,
		  unsigned iterations, unsigned char key[PASSWORD_KEY_LEN])
{
	if (len > INT_MAX || salt_len > INT_MAX || iterations == 0 ||
	    iterations > PASSWORD_MAX_ITERATIONS)
		return -1;
	if (!password)
		password = "";
	if (PKCS5_PBKDF2_HMAC(password, (int)len, (const unsigned char *)salt, (int)salt_len,
			      (int)iterations, EVP_sha256(), PASSWORD_KEY_LEN, key) != 1)
		die("PKCS5_PBKDF2_HMAC failed");
	return 0;
}

int password_hash_with(const char *password, size_t len, const char *salt,
		       unsigned iterations, char *out, size_t out_size)
{
	unsigned char key[PASSWORD_KEY_LEN];
	char key_b64[48];
	size_t salt_len;
	int n;

	if (!salt || (!password && len))
		return -1;
	salt_len = strlen(salt);
	if (salt_len == 0)
		return -1;
	for (size_t i = 0; i < salt_len; i++) {
		char c = salt[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
			return -1;
	}
	if (derive(password, len, salt, salt_len, iterations, key) != 0)
		return -1;
	if (b64_encode(key, sizeof(key), key_b64, sizeof(key_b64)) < 0)
		die("password hash: base64 buffer too small");
	OPENSSL_cleanse(key, sizeof(key));
	n = xsnprintf(out, out_size, PASSWORD_ALGORITHM "$%u$%s$%s", iterations, salt, key_b64);
	return n < 0 ? -1 : 0;
}

int password_hash(const char *password, size_t len, char *out, size_t out_size)
{
	char salt[PASSWORD_SALT_LEN + 1];

	random_alnum(salt, PASSWORD_SALT_LEN);
	return password_hash_with(password, len, salt, PASSWORD_ITERATIONS, out, out_size);
}

/* Canonical decimal only: what Django's "%d" writes, nothing else. */
static bool parse_iterations(str s, unsigned *out)
{
	unsigned v = 0;

	if (s.len == 0 || s.len > 8 || s.ptr[0] == '0')
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s.ptr[i] - '0');
	}
	if (v > PASSWORD_MAX_ITERATIONS)
		return false;
	*out = v;
	return true;
}

bool password_verify(const char *password, size_t len, const char *encoded,
		     bool *needs_upgrade)
{
	unsigned char want[PASSWORD_KEY_LEN], got[PASSWORD_KEY_LEN];
	str part[4];
	size_t n_parts = 0, start = 0, enc_len;
	unsigned iterations;
	bool ok;

	if (needs_upgrade)
		*needs_upgrade = false;
	if (!encoded || encoded[0] == '!' || (!password && len))
		return false;
	enc_len = strnlen(encoded, PASSWORD_HASH_MAX);
	if (enc_len >= PASSWORD_HASH_MAX)
		return false;

	for (size_t i = 0; i <= enc_len; i++) {
		if (i < enc_len && encoded[i] != '$')
			continue;
		if (n_parts == ARRAY_SIZE(part))
			return false;
		part[n_parts++] = (str){ encoded + start, i - start };
		start = i + 1;
	}
	if (n_parts != ARRAY_SIZE(part) || !str_eq_lit(part[0], PASSWORD_ALGORITHM) ||
	    !parse_iterations(part[1], &iterations) || part[2].len == 0)
		return false;
	/* A 32-byte key is exactly 44 characters; anything else is not ours. */
	if (part[3].len != 44 ||
	    b64_decode(part[3].ptr, part[3].len, want, sizeof(want)) != PASSWORD_KEY_LEN)
		return false;

	if (derive(password, len, part[2].ptr, part[2].len, iterations, got) != 0)
		return false;
	ok = CRYPTO_memcmp(want, got, sizeof(got)) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	OPENSSL_cleanse(want, sizeof(want));
	if (ok && needs_upgrade)
		*needs_upgrade = iterations < PASSWORD_ITERATIONS;
	return ok;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void dummy_init(void)
{
	char password[33];

	random_alnum(password, sizeof(password) - 1);
	if (password_hash(password, sizeof(password) - 1, dummy_hash, sizeof(dummy_hash)) != 0)
		die("cannot compute the dummy password hash");
	OPENSSL_cleanse(password, sizeof(password));
}

const char *password_dummy_hash(void)
{
	if (pthread_once(&dummy_once, dummy_init) != 0)
		die("pthread_once failed for the dummy password hash");
	return dummy_hash;
}
