/*
 * csrf_token.h - Django-compatible CSRF secrets and masked tokens. The
 * csrftoken cookie holds a 32-character secret; every page gets a fresh
 * 64-character token = mask + (secret "added" to mask, character-wise over
 * the 62-character alphabet), so the token in the page changes on every
 * response and BREACH-style compression attacks learn nothing.
 */
#ifndef CSRF_TOKEN_H
#define CSRF_TOKEN_H

#include "../core/common.h"

#define CSRF_SECRET_LEN 32
#define CSRF_TOKEN_LEN 64

/* out gets CSRF_SECRET_LEN characters and a NUL. */
void csrf_new_secret(char out[CSRF_SECRET_LEN + 1]);

/* True when s is exactly CSRF_SECRET_LEN characters of [A-Za-z0-9]. */
bool csrf_secret_valid(str s);

/* out gets a fresh CSRF_TOKEN_LEN-character masked token and a NUL. */
void csrf_mask(const char secret[CSRF_SECRET_LEN], char out[CSRF_TOKEN_LEN + 1]);

/* Recovers the secret from a masked token; -1 when the token is malformed. */
int csrf_unmask(str token, char secret[CSRF_SECRET_LEN + 1]);

/*
 * True when token (masked, 64 chars; or a bare 32-char secret, as Django
 * also accepts) carries the same secret as the cookie. Constant time.
 */
bool csrf_token_matches(str cookie_secret, str token);

#endif
