/*
 * sha256.h - SHA-256 of a byte stream, for the content hash that makes
 * import idempotent: the same bytes under any name, compressed or not, are
 * the same import.
 *
 * Backed by OpenSSL's libcrypto (Debian libssl-dev), which uses the CPU's
 * SHA instructions where present: hashing must not be the slowest part of
 * reading a gigabyte bill.  libcrypto is loaded at the first hash, so the
 * commands that hash nothing do not pay for loading it.  A large stream is hashed on a worker thread of
 * its own while the caller goes on (sha256.c); the functions are still
 * called from one thread only.
 */
#ifndef IMCOST_SHA256_H
#define IMCOST_SHA256_H

#include <stddef.h>

struct sha256 {
	void *ctx;	/* EVP_MD_CTX, owned */
	int failed;	/* allocation or library failure: hash is unusable */
	struct sha256_async *async;	/* the worker thread, owned; NULL when none */
	int threaded;	/* a worker was asked for (at most once) */
};

/* NULL when libcrypto is loaded (loading it at the first call), else why
 * it could not be (static text).  Thread-safe. */
const char *sha256_unavailable(void);
/* Start a hash.  Returns 0, or -1 (failed set) when libcrypto cannot. */
int sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Write 64 lowercase hex digits and a NUL into hex[65] without ending the
 * running hash (more data may follow).  Returns 0 or -1. */
int sha256_peek_hex(struct sha256 *c, char hex[65]);
/* Release the context (and stop the worker).  Safe on a zeroed or already
 * freed struct. */
void sha256_free(struct sha256 *c);

#endif
