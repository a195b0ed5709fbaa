/*
 * digest.h - SHA-256 as lower-case hex, for values stored only as hashes
 * (session ids) and for static-file ETags.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include "../core/common.h"

void sha256_hex(const void *data, size_t len, char out[65]);

#endif
