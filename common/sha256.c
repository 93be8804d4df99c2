/*
 * sha256.c - SHA-256 through libcrypto's EVP interface (see sha256.h).
 *
 * Bytes are gathered into chunks of CHUNK bytes; once a stream has filled
 * its first chunk, a worker thread hashes the chunks while the caller
 * reads and parses the next ones (a CUR import spent a sixth of its
 * reading thread in SHA-256).  At most NCHUNK chunks are in flight, so
 * memory stays flat; sha256_peek_hex hashes what is left and waits for
 * the worker.  Without a thread (it could not be started) the chunks are
 * hashed in the caller, as before.
 *
 * libcrypto is loaded with dlopen at the first hash, not linked: loading
 * and initializing it took 4 ms of every imcost process (a C program
 * linked with imcost's libraries starts in 8.4 ms, 4.3 ms without
 * libcrypto), half of an `imcost sql` on focus_daily (issue 23), and only
 * the commands that read files hash.  IMCOST_LIBCRYPTO is its soname, set
 * by the Makefile from the libcrypto.so it builds against.
 *
 * An import runs three threads (reader, writer, this one) on what may be
 * two cores.  The worker runs at a lower priority (Linux: a per-thread
 * nice of 10) with a ring of NCHUNK chunks: the reader and the writer,
 * which wait on each other, get the cores first, and the hashing fills
 * the gaps.  With three 1 MiB chunks at equal priority the reader waited
 * 0.2 s of a 1.4 s import for the worker to be scheduled; now the
 * median is 5% lower.  (8 chunks of 512 KiB: 16 of 1 MiB were not
 * measurably faster, and took the peak RSS at 4M rows to 62 MiB, near the
 * 64 MiB budget; 16 of 512 KiB were no faster than 8 (1M-row CUR import:
 * 2.94 s CPU both ways, 4 MiB less peak RSS), while 16 of 128 KiB cost 15%
 * more CPU in wake-ups.)
 */
#ifdef __linux__
#define _GNU_SOURCE	/* syscall */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/sha256.h"

#ifndef IMCOST_LIBCRYPTO
#define IMCOST_LIBCRYPTO "libcrypto.so.3"
#endif

/* The digest functions of libcrypto, loaded once (crypto_load); ok is 1
 * when every one was found, else why says what failed. */
static struct {
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *);
	int (*ctx_copy)(EVP_MD_CTX *, const EVP_MD_CTX *);
	const EVP_MD *(*sha256)(void);
	int (*init)(EVP_MD_CTX *, const EVP_MD *, ENGINE *);
	int (*update)(EVP_MD_CTX *, const void *, size_t);
	int (*final)(EVP_MD_CTX *, unsigned char *, unsigned int *);
	int ok;
	char why[256];
} crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

/* dlsym's object pointer into a function pointer (POSIX guarantees the
 * representation; ISO C has no conversion between the two) */
static int
crypto_sym(void *lib, const char *name, void *fp, size_t size)
{
	void *p = dlsym(lib, name);

	if (p == NULL) {
		snprintf(crypto.why, sizeof crypto.why, "%s: no %s", IMCOST_LIBCRYPTO, name);
		return -1;
	}
	memcpy(fp, &p, size);
	return 0;
}

/* Load libcrypto and its digest functions (pthread_once); the library
 * stays loaded for the life of the process. */
static void
crypto_load(void)
{
	void *lib = dlopen(IMCOST_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		const char *e = dlerror();
		snprintf(crypto.why, sizeof crypto.why, "%s", e ? e : "cannot load " IMCOST_LIBCRYPTO);
		return;
	}
#define SYM(field, name) crypto_sym(lib, name, &crypto.field, sizeof crypto.field)
	crypto.ok = SYM(ctx_new, "EVP_MD_CTX_new") == 0 && SYM(ctx_free, "EVP_MD_CTX_free") == 0 &&
		    SYM(ctx_copy, "EVP_MD_CTX_copy_ex") == 0 && SYM(sha256, "EVP_sha256") == 0 &&
		    SYM(init, "EVP_DigestInit_ex") == 0 && SYM(update, "EVP_DigestUpdate") == 0 &&
		    SYM(final, "EVP_DigestFinal_ex") == 0;
#undef SYM
}

const char *
sha256_unavailable(void)
{
	pthread_once(&crypto_once, crypto_load);
	return crypto.ok ? NULL : crypto.why;
}

#define CHUNK ((size_t)1 << 19)
#define NCHUNK 8

struct sha256_async {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t to_worker, to_caller;
	unsigned char *buf[NCHUNK];
	size_t len[NCHUNK];
	int full[NCHUNK];	/* handed to the worker, not yet hashed */
	int fill;		/* chunk the caller fills */
	int next;		/* chunk the worker takes next */
	int stop;
	int failed;		/* a digest call failed (worker's) */
};

int
sha256_init(struct sha256 *c)
{
	EVP_MD_CTX *ctx = sha256_unavailable() ? NULL : crypto.ctx_new();

	c->ctx = ctx;
	c->async = NULL;
	c->threaded = 0;
	c->failed = ctx == NULL || crypto.init(ctx, crypto.sha256(), NULL) != 1;
	return c->failed ? -1 : 0;
}

static void *
worker(void *arg)
{
	struct sha256 *c = arg;
	struct sha256_async *a = c->async;

#ifdef __linux__
	/* this thread only (Linux's nice is per thread); failure is harmless */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
	pthread_mutex_lock(&a->mu);
	for (;;) {
		int i = a->next, bad;

		while (!a->full[i] && !a->stop)
			pthread_cond_wait(&a->to_worker, &a->mu);
		if (!a->full[i])
			break;
		pthread_mutex_unlock(&a->mu);
		bad = crypto.update(c->ctx, a->buf[i], a->len[i]) != 1;
		pthread_mutex_lock(&a->mu);
		a->failed |= bad;
		a->full[i] = 0;
		a->len[i] = 0;
		a->next = (i + 1) % NCHUNK;
		pthread_cond_signal(&a->to_caller);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* The worker's state, started on first use; NULL when it cannot be (the
 * caller then hashes itself). */
static struct sha256_async *
async_of(struct sha256 *c)
{
	struct sha256_async *a;

	if (c->async || c->threaded)
		return c->async;
	c->threaded = 1;	/* tried */
	a = calloc(1, sizeof *a);
	if (a == NULL)
		return NULL;
	for (int i = 0; i < NCHUNK; i++)
		if ((a->buf[i] = malloc(CHUNK)) == NULL)
			goto fail;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->to_worker, NULL);
	pthread_cond_init(&a->to_caller, NULL);
	c->async = a;
	if (pthread_create(&a->thread, NULL, worker, c) != 0) {
		c->async = NULL;
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->to_worker);
		pthread_cond_destroy(&a->to_caller);
		goto fail;
	}
	return a;
fail:
	for (int i = 0; i < NCHUNK; i++)
		free(a->buf[i]);
	free(a);
	return NULL;
}

/* Hand the chunk being filled to the worker and wait for a free one. */
static void
hand_over(struct sha256_async *a)
{
	pthread_mutex_lock(&a->mu);
	a->full[a->fill] = 1;
	a->fill = (a->fill + 1) % NCHUNK;
	pthread_cond_signal(&a->to_worker);
	while (a->full[a->fill])
		pthread_cond_wait(&a->to_caller, &a->mu);
	pthread_mutex_unlock(&a->mu);
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	struct sha256_async *a;

	if (c->failed)
		return;
	if (n < CHUNK / 4 && !c->async) {
		/* small streams (and the first bytes) need no thread */
		if (crypto.update(c->ctx, data, n) != 1)
			c->failed = 1;
		return;
	}
	a = async_of(c);
	if (a == NULL) {
		if (crypto.update(c->ctx, data, n) != 1)
			c->failed = 1;
		return;
	}
	while (n > 0) {
		size_t k = CHUNK - a->len[a->fill];
		if (k > n)
			k = n;
		memcpy(a->buf[a->fill] + a->len[a->fill], p, k);
		a->len[a->fill] += k;
		p += k;
		n -= k;
		if (a->len[a->fill] == CHUNK)
			hand_over(a);
	}
}

/* Wait until the worker has hashed everything handed to it so far,
 * including the chunk being filled. */
static void
drain(struct sha256 *c)
{
	struct sha256_async *a = c->async;

	if (a == NULL)
		return;
	if (a->len[a->fill] > 0)
		hand_over(a);
	pthread_mutex_lock(&a->mu);
	for (int i = 0; i < NCHUNK; i++)
		while (a->full[i])
			pthread_cond_wait(&a->to_caller, &a->mu);
	if (a->failed)
		c->failed = 1;
	pthread_mutex_unlock(&a->mu);
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
	drain(c);
	if (c->failed || (copy = crypto.ctx_new()) == NULL)
		return -1;
	ok = crypto.ctx_copy(copy, c->ctx) == 1 && crypto.final(copy, md, &len) == 1 && len == 32;
	crypto.ctx_free(copy);
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
	struct sha256_async *a = c->async;

	if (a) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_signal(&a->to_worker);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->to_worker);
		pthread_cond_destroy(&a->to_caller);
		for (int i = 0; i < NCHUNK; i++)
			free(a->buf[i]);
		free(a);
		c->async = NULL;
	}
	c->threaded = 0;
	if (c->ctx)
		crypto.ctx_free(c->ctx);
	c->ctx = NULL;
}
