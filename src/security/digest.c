/*
 * digest.c - SHA-256 through OpenSSL with the algorithm fetched once (see
 * digest.h): EVP_sha256() and the one-shot helpers fetch it per call under
 * a global lock in OpenSSL 3.
 */
#include <openssl/evp.h>
#include <pthread.h>

#include "digest.h"
#include "random.h"

static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static _Thread_local EVP_MD_CTX *thread_ctx;

/* Frees a thread's context when the thread ends. */
static pthread_key_t ctx_key;

static void free_ctx(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!sha256_md || pthread_key_create(&ctx_key, free_ctx) != 0)
		die("SHA-256 is not available in this OpenSSL");
}

sha256_ctx *sha256_begin(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	if (!thread_ctx) {
		if (!(thread_ctx = EVP_MD_CTX_new()))
			die("EVP_MD_CTX_new failed");
		pthread_setspecific(ctx_key, thread_ctx);
	}
	if (EVP_DigestInit_ex2(thread_ctx, sha256_md, NULL) != 1)
		die("SHA-256 failed");
	return thread_ctx;
}

void sha256_add(sha256_ctx *ctx, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(ctx, data, len) != 1)
		die("SHA-256 failed");
}

void sha256_end(sha256_ctx *ctx, unsigned char out[32])
{
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32)
		die("SHA-256 failed");
}

void sha256(const void *data, size_t len, unsigned char out[32])
{
	sha256_ctx *ctx = sha256_begin();
	sha256_add(ctx, data, len);
	sha256_end(ctx, out);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	sha256(data, len, md);
	hex_encode(md, sizeof(md), out);
}
