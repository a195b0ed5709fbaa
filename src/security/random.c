/*
 * random.c - the one place randomness and token encodings come from, so
 * every secret in the server is drawn from OpenSSL's CSPRNG and every
 * decoder is strict: a token has exactly one accepted spelling.
 */
#include <limits.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "random.h"

static const char b64_std_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Same order as Django's get_random_string and the CSRF alphabet. */
static const char alnum_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

void random_bytes(void *out, size_t len)
{
	unsigned char *p = out;

	/* RAND_bytes takes an int; chunk so huge requests cannot wrap. */
	while (len) {
		int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;
		if (RAND_bytes(p, n) != 1)
			die("RAND_bytes failed: no secure randomness available");
		p += n;
		len -= (size_t)n;
	}
}

void random_alnum(char *out, size_t len)
{
	unsigned char pool[64];
	size_t pos = sizeof(pool);

	for (size_t i = 0; i < len;) {
		if (pos == sizeof(pool)) {
			random_bytes(pool, sizeof(pool));
			pos = 0;
		}
		unsigned char b = pool[pos++];
		/* 248 = 4 * 62: bytes above it would favour the first 8 characters. */
		if (b >= 248)
			continue;
		out[i++] = alnum_chars[b % 62];
	}
	out[len] = '\0';
	OPENSSL_cleanse(pool, sizeof(pool));
}

static int encode(const unsigned char *in, size_t in_len, char *out, size_t out_size,
		  const char *chars, bool pad)
{
	size_t rem = in_len % 3;
	size_t need;

	/* Keeps the length representable as the int we return. */
	if (in_len > (size_t)(INT_MAX - 8) / 4 * 3)
		return -1;
	need = in_len / 3 * 4 + (rem == 0 ? 0 : pad ? 4 : rem + 1);
	if (!out || out_size < need + 1)
		return -1;

	char *o = out;
	size_t i = 0;
	for (; i + 3 <= in_len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*o++ = chars[v >> 18 & 63];
		*o++ = chars[v >> 12 & 63];
		*o++ = chars[v >> 6 & 63];
		*o++ = chars[v & 63];
	}
	if (rem) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (rem == 2)
			v |= (uint32_t)in[i + 1] << 8;
		*o++ = chars[v >> 18 & 63];
		*o++ = chars[v >> 12 & 63];
		if (rem == 2)
			*o++ = chars[v >> 6 & 63];
		else if (pad)
			*o++ = '=';
		if (pad)
			*o++ = '=';
	}
	*o = '\0';
	return (int)need;
}

static int b64_value(unsigned char c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Decodes unpadded input; leftover bits must be zero so encodings are unique. */
static int decode(const char *in, size_t in_len, unsigned char *out, size_t out_size, bool url)
{
	size_t rem = in_len % 4;
	size_t need;

	if (rem == 1 || in_len > (size_t)INT_MAX)
		return -1;
	need = in_len / 4 * 3 + (rem ? rem - 1 : 0);
	if (need > out_size || (need && !out))
		return -1;

	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < in_len; i++) {
		int v = b64_value((unsigned char)in[i], url);
		if (v < 0)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (acc & ((1u << bits) - 1))
		return -1;
	return (int)need;
}

int b64url_encode(const void *in, size_t in_len, char *out, size_t out_size)
{
	return encode(in, in_len, out, out_size, b64_url_chars, false);
}

int b64url_decode(const char *in, size_t in_len, void *out, size_t out_size)
{
	if (!in && in_len)
		return -1;
	return decode(in, in_len, out, out_size, true);
}

int b64_encode(const void *in, size_t in_len, char *out, size_t out_size)
{
	return encode(in, in_len, out, out_size, b64_std_chars, true);
}

int b64_decode(const char *in, size_t in_len, void *out, size_t out_size)
{
	size_t pad = 0;

	if ((!in && in_len) || in_len % 4)
		return -1;
	while (pad < 2 && pad < in_len && in[in_len - 1 - pad] == '=')
		pad++;
	return decode(in, in_len - pad, out, out_size, false);
}

void hex_encode(const void *in, size_t in_len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = in;

	for (size_t i = 0; i < in_len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * in_len] = '\0';
}

bool ct_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
	/* Lengths are public (a MAC or token has a fixed size); contents are not. */
	if (a_len != b_len)
		return false;
	if (a_len == 0)
		return true;
	return CRYPTO_memcmp(a, b, a_len) == 0;
}
