/*
 * signing.h - HMAC signatures with a key derived per purpose, as Django's
 * salted_hmac: key = SHA256(key_salt + secret), mac = HMAC-SHA256(key, msg).
 * The process holds one current SECRET_KEY and any SECRET_KEY_FALLBACKS:
 * signing always uses the current key; verifying accepts any of them, so a
 * key rotates without logging everyone out, and dropping an old key
 * invalidates what only it signed.
 */
#ifndef SIGNING_H
#define SIGNING_H

#include "../core/common.h"

#define SIGNING_MAX_KEYS 8
#define SIGNING_KEY_MAX 256 /* bytes per key; longer keys abort at start-up */

/* Installs the keys (copied). Call once at start-up, before any thread runs. */
void signing_set_keys(const char *secret, const char *const *fallbacks, size_t n_fallbacks);

/* Django's salted_hmac with SHA-256: out gets 32 bytes. */
void salted_hmac(const char *key_salt, const char *secret, const void *msg,
		 size_t msg_len, unsigned char out[32]);

/*
 * "value:sig" where sig is base64url(salted_hmac(purpose, current key, value)).
 * out_size must fit value + 1 + 43 + 1. Returns the length or -1.
 */
int signing_sign(const char *purpose, str value, char *out, size_t out_size);

/*
 * Verifies "value:sig" against the current key and the fallbacks, in
 * constant time per key. Returns 0 and sets *value (a view into signed_value)
 * or -1 when the signature is absent or wrong.
 */
int signing_unsign(const char *purpose, str signed_value, str *value);

/*
 * Timestamped form "value:ts:sig" (ts = base62 seconds since the epoch);
 * signing_unsign_timed rejects it when older than max_age_s.
 */
int signing_sign_timed(const char *purpose, str value, int64_t now, char *out, size_t out_size);
int signing_unsign_timed(const char *purpose, str signed_value, int64_t now,
			 int64_t max_age_s, str *value);

/* The raw HMAC under the current key, for stored token hashes. */
void signing_mac(const char *purpose, const void *msg, size_t len, unsigned char out[32]);

#endif
