/*
 * random.h - cryptographically strong randomness (OpenSSL RAND_bytes) and the
 * text encodings used for tokens. Aborts if the system cannot produce random
 * bytes: a server with no entropy must not hand out guessable ids.
 */
#ifndef RANDOM_H
#define RANDOM_H

#include "../core/common.h"

void random_bytes(void *out, size_t len);

/* len characters drawn uniformly from [A-Za-z0-9], then a NUL (out has len+1 bytes). */
void random_alnum(char *out, size_t len);

/* base64url without padding. Returns the characters written (plus a NUL), -1 if out is short. */
int b64url_encode(const void *in, size_t in_len, char *out, size_t out_size);
/* Returns bytes decoded, -1 on a bad character or a short out. */
int b64url_decode(const char *in, size_t in_len, void *out, size_t out_size);

/* Standard base64 with padding (Django's hash format uses it). */
int b64_encode(const void *in, size_t in_len, char *out, size_t out_size);
/* Strict inverse of b64_encode (padding required); -1 on bad input or a short out. */
int b64_decode(const char *in, size_t in_len, void *out, size_t out_size);

/* Lower-case hex; out_size >= 2*in_len+1. */
void hex_encode(const void *in, size_t in_len, char *out);

/* Constant-time equality of two byte strings (lengths may differ: then false). */
bool ct_equal(const void *a, size_t a_len, const void *b, size_t b_len);

#endif
