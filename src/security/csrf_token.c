/*
 * csrf_token.c - Django's CSRF masking, character for character, so tokens
 * stay interchangeable with the original's. Character lookups avoid
 * data-dependent branches: the secret is what a timing attacker is after.
 */
#include <openssl/crypto.h>

#include "csrf_token.h"
#include "random.h"

static const char csrf_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
#define CSRF_N_CHARS 62

/* Position of c in csrf_chars, or -1. */
static int csrf_index(unsigned char c)
{
	int lower = (unsigned)(c - 'a') < 26;
	int upper = (unsigned)(c - 'A') < 26;
	int digit = (unsigned)(c - '0') < 10;

	return lower * (c - 'a') + upper * (c - 'A' + 26) + digit * (c - '0' + 52) -
	       (1 - lower - upper - digit);
}

static bool csrf_chars_valid(const char *s, size_t len)
{
	int bad = 0;

	for (size_t i = 0; i < len; i++)
		bad |= csrf_index((unsigned char)s[i]) < 0;
	return !bad;
}

void csrf_new_secret(char out[CSRF_SECRET_LEN + 1])
{
	random_alnum(out, CSRF_SECRET_LEN);
}

bool csrf_secret_valid(str s)
{
	return s.ptr && s.len == CSRF_SECRET_LEN && csrf_chars_valid(s.ptr, s.len);
}

void csrf_mask(const char secret[CSRF_SECRET_LEN], char out[CSRF_TOKEN_LEN + 1])
{
	char fresh[CSRF_SECRET_LEN + 1];

	/*
	 * The secret normally comes from a cookie. A caller that forgot to
	 * validate it gets a token for a throwaway secret, which matches
	 * nothing, rather than a crash a client could trigger at will.
	 */
	if (!csrf_chars_valid(secret, CSRF_SECRET_LEN)) {
		csrf_new_secret(fresh);
		secret = fresh;
	}
	random_alnum(out, CSRF_SECRET_LEN);
	for (size_t i = 0; i < CSRF_SECRET_LEN; i++) {
		int s = csrf_index((unsigned char)secret[i]);
		int m = csrf_index((unsigned char)out[i]);
		out[CSRF_SECRET_LEN + i] = csrf_chars[(s + m) % CSRF_N_CHARS];
	}
	out[CSRF_TOKEN_LEN] = '\0';
	OPENSSL_cleanse(fresh, sizeof(fresh));
}

int csrf_unmask(str token, char secret[CSRF_SECRET_LEN + 1])
{
	if (!token.ptr || token.len != CSRF_TOKEN_LEN || !csrf_chars_valid(token.ptr, token.len))
		return -1;
	for (size_t i = 0; i < CSRF_SECRET_LEN; i++) {
		int m = csrf_index((unsigned char)token.ptr[i]);
		int c = csrf_index((unsigned char)token.ptr[CSRF_SECRET_LEN + i]);
		secret[i] = csrf_chars[(c - m + CSRF_N_CHARS) % CSRF_N_CHARS];
	}
	secret[CSRF_SECRET_LEN] = '\0';
	return 0;
}

bool csrf_token_matches(str cookie_secret, str token)
{
	char secret[CSRF_SECRET_LEN + 1];
	bool ok;

	if (!csrf_secret_valid(cookie_secret))
		return false;
	if (token.len == CSRF_TOKEN_LEN) {
		if (csrf_unmask(token, secret) != 0)
			return false;
	} else if (csrf_secret_valid(token)) {
		memcpy(secret, token.ptr, CSRF_SECRET_LEN);
		secret[CSRF_SECRET_LEN] = '\0';
	} else {
		return false;
	}
	ok = ct_equal(secret, CSRF_SECRET_LEN, cookie_secret.ptr, cookie_secret.len);
	OPENSSL_cleanse(secret, sizeof(secret));
	return ok;
}
