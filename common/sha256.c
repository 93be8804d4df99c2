/*
 * sha256.c - SHA-256 through libcrypto's EVP interface (see sha256.h).
 */
#include <openssl/evp.h>

#include "common/sha256.h"

int
sha256_init(struct sha256 *c)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	c->ctx = ctx;
	c->failed = ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1;
	return c->failed ? -1 : 0;
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	if (!c->failed && EVP_DigestUpdate(c->ctx, data, n) != 1)
		c->failed = 1;
}

int
sha256_peek_hex(struct sha256 *c, char hex[65])
{
	static const char dig[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_MD_CTX *copy;
	int ok;

	hex[0] = '\0';
	if (c->failed || (copy = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_MD_CTX_copy_ex(copy, c->ctx) == 1 && EVP_DigestFinal_ex(copy, md, &len) == 1 &&
	     len == 32;
	EVP_MD_CTX_free(copy);
	if (!ok)
		return -1;
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = dig[md[i] >> 4];
		hex[2 * i + 1] = dig[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

void
sha256_free(struct sha256 *c)
{
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
}
