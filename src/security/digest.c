/*
 * digest.c - SHA-256 through OpenSSL's one-shot EVP_Digest.
 */
#include <openssl/evp.h>

#include "digest.h"
#include "random.h"

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int md_len = 0;
	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) || md_len != 32)
		die("sha256 failed");
	hex_encode(md, sizeof(md), out);
}
