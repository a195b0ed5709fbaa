/*
 * password_hasher.h - PBKDF2-HMAC-SHA256 password hashes in Django's format,
 * "pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>", so a user
 * table from the Django original imports with its passwords working. New
 * hashes use PASSWORD_ITERATIONS; any count verifies, and a hash with fewer
 * iterations is reported as needing an upgrade at the next login.
 *
 * Hashing takes ~0.3 s by design: call these from the worker pool, never
 * from an HTTP thread.
 */
#ifndef PASSWORD_HASHER_H
#define PASSWORD_HASHER_H

#include "../core/common.h"

#define PASSWORD_ITERATIONS 1000000u
#define PASSWORD_HASH_MAX 128   /* room for any encoded hash we produce or accept */
#define PASSWORD_MAX_ITERATIONS 10000000u /* more is refused, see password_verify */

/* Hashes with a fresh random 22-character salt. Returns 0, or -1 if out is short. */
int password_hash(const char *password, size_t len, char *out, size_t out_size);

/* Deterministic form for tests and imports. salt: [A-Za-z0-9]+, no '$'. */
int password_hash_with(const char *password, size_t len, const char *salt,
		       unsigned iterations, char *out, size_t out_size);

/*
 * True when password matches encoded. Malformed or unusable hashes
 * (starting with '!') never match. *needs_upgrade (may be NULL) is set when
 * the hash matched but used fewer than PASSWORD_ITERATIONS iterations.
 * Iteration counts above 10,000,000 are refused so a planted hash cannot
 * stall the server.
 */
bool password_verify(const char *password, size_t len, const char *encoded,
		     bool *needs_upgrade);

/*
 * A hash of a random password, checked against when the user does not exist
 * so that a wrong username costs the same time as a wrong password.
 */
const char *password_dummy_hash(void);

#endif
