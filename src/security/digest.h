/*
 * digest.h - SHA-256 for the rest of the security code: one-shot as bytes
 * or hex (session-id hashes, ETags), and incremental for HMAC. The
 * algorithm is fetched from OpenSSL once and each thread reuses one
 * context, so hashing on the request path takes no global lock.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include "../core/common.h"

typedef struct evp_md_ctx_st sha256_ctx;

/* Calling sequence: ctx = sha256_begin(); sha256_add(ctx, ...)*; sha256_end(ctx, out).
 * The context belongs to the calling thread; one hash at a time per thread. */
sha256_ctx *sha256_begin(void);
void sha256_add(sha256_ctx *ctx, const void *data, size_t len);
void sha256_end(sha256_ctx *ctx, unsigned char out[32]);

void sha256(const void *data, size_t len, unsigned char out[32]);
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
