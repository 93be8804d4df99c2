/*
 * spillmap.c - a text-keyed map in memory up to a byte limit, then in a
 * private temporary SQLite database (spillmap.h).
 *
 * In memory: an open hash set of entries (key, NUL, value) whose bytes,
 * with malloc's overhead and the slots, are counted.  When an entry
 * would take the count past the limit, every entry moves to a WITHOUT
 * ROWID table of a "" database (SQLite makes its file in its temporary
 * directory and unlinks it at once) inside one transaction that is never
 * committed: nothing reaches the file but the pages that do not fit in
 * its 2 MiB cache, and closing drops it all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "importers/spillmap.h"

/* what malloc adds to each block (glibc: 8 to 16 bytes) */
#define MALLOC_OVERHEAD 16

struct ent {
	size_t klen, vlen;
	char data[];		/* key, NUL, value */
};

struct spillmap {
	size_t limit, bytes, n;
	struct ent **slot;	/* in memory: cap slots, a power of 2 */
	size_t cap;
	sqlite3 *db;		/* on disk: not NULL */
	sqlite3_stmt *put, *get;
	char *buf;		/* the last value read from disk */
	size_t bufcap;
};

size_t
offer_memory_limit(void)
{
	const char *env = getenv("IMCOST_OFFER_MEMORY_MB");
	char *end;
	unsigned long long mb;

	if (env != NULL && *env >= '0' && *env <= '9') {
		errno = 0;
		mb = strtoull(env, &end, 10);
		if (errno == 0 && *end == '\0' && mb <= (SIZE_MAX >> 21))
			return (size_t)mb << 20;
	}
	return (size_t)OFFER_MEMORY_MB << 20;
}

static uint64_t
hash_of(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

struct spillmap *
spillmap_new(size_t limit)
{
	struct spillmap *m = calloc(1, sizeof *m);

	if (m != NULL)
		m->limit = limit;
	return m;
}

size_t
spillmap_count(const struct spillmap *m)
{
	return m->n;
}

int
spillmap_spilled(const struct spillmap *m)
{
	return m->db != NULL;
}

static void
mem_free(struct spillmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i]);
	free(m->slot);
	m->slot = NULL;
	m->cap = 0;
}

void
spillmap_clear(struct spillmap *m)
{
	if (m == NULL)
		return;
	mem_free(m);
	sqlite3_finalize(m->put);
	sqlite3_finalize(m->get);
	sqlite3_close(m->db);	/* the transaction and the file go */
	m->put = m->get = NULL;
	m->db = NULL;
	m->n = 0;
	m->bytes = 0;
}

void
spillmap_free(struct spillmap *m)
{
	if (m == NULL)
		return;
	spillmap_clear(m);
	free(m->buf);
	free(m);
}

static int
db_fail(struct spillmap *m, const char *what, struct ic_error *err)
{
	return ic_errorf(err, "the temporary file of what an offer file keeps: %s: %s", what,
			 m->db ? sqlite3_errmsg(m->db) : "out of memory");
}

/* key -> val on disk: 1 added, 0 there already, -1 error */
static int
disk_put(struct spillmap *m, const char *key, size_t klen, const void *val, size_t len,
	 struct ic_error *err)
{
	sqlite3_int64 before = sqlite3_total_changes64(m->db);
	int rc;

	sqlite3_bind_blob(m->put, 1, key, (int)klen, SQLITE_STATIC);
	sqlite3_bind_blob(m->put, 2, len ? val : "", (int)len, SQLITE_STATIC);
	rc = sqlite3_step(m->put);
	sqlite3_reset(m->put);
	sqlite3_clear_bindings(m->put);
	if (rc != SQLITE_DONE)
		return db_fail(m, "cannot write", err);
	return sqlite3_total_changes64(m->db) != before ? 1 : 0;
}

/* Move every entry to a new temporary database.  0 or -1. */
static int
spill(struct spillmap *m, struct ic_error *err)
{
	static const char setup[] =
		"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
		" PRAGMA cache_size=-2048;"
		" CREATE TABLE m(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID; BEGIN";

	if (sqlite3_open_v2("", &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(m->db, setup, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(m, "cannot create", err);
	if (sqlite3_prepare_v2(m->db, "INSERT OR IGNORE INTO m(k, v) VALUES(?,?)", -1, &m->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(m->db, "SELECT v FROM m WHERE k = ?", -1, &m->get, NULL) != SQLITE_OK)
		return db_fail(m, "cannot create", err);
	for (size_t i = 0; i < m->cap; i++) {
		struct ent *e = m->slot[i];
		if (e != NULL && disk_put(m, e->data, e->klen, e->data + e->klen + 1, e->vlen, err) < 0)
			return -1;
	}
	mem_free(m);
	m->bytes = 0;
	return 0;
}

/* The slot of key in memory: its entry or the free slot it would take. */
static size_t
mem_slot(const struct spillmap *m, const char *key, size_t klen)
{
	size_t i;

	for (i = hash_of(key, klen) & (m->cap - 1); m->slot[i]; i = (i + 1) & (m->cap - 1))
		if (m->slot[i]->klen == klen && memcmp(m->slot[i]->data, key, klen) == 0)
			break;
	return i;
}

/* Double the slots.  0 or -1 (out of memory). */
static int
mem_grow(struct spillmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256;
	struct ent **big = calloc(ncap, sizeof *big);
	struct spillmap nm = *m;

	if (big == NULL)
		return -1;
	nm.slot = big;
	nm.cap = ncap;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i] != NULL)
			big[mem_slot(&nm, m->slot[i]->data, m->slot[i]->klen)] = m->slot[i];
	free(m->slot);
	m->bytes += (ncap - m->cap) * sizeof *big;
	m->slot = big;
	m->cap = ncap;
	return 0;
}

int
spillmap_get(struct spillmap *m, const char *key, const void **val, size_t *len,
	     struct ic_error *err)
{
	size_t klen = strlen(key);
	int rc;

	if (m->db == NULL) {
		size_t i;
		if (m->n == 0)
			return 0;
		i = mem_slot(m, key, klen);
		if (m->slot[i] == NULL)
			return 0;
		*val = m->slot[i]->data + klen + 1;
		*len = m->slot[i]->vlen;
		return 1;
	}
	sqlite3_bind_blob(m->get, 1, key, (int)klen, SQLITE_STATIC);
	rc = sqlite3_step(m->get);
	if (rc == SQLITE_ROW) {
		const void *v = sqlite3_column_blob(m->get, 0);
		size_t n = (size_t)sqlite3_column_bytes(m->get, 0);
		if (n + 1 > m->bufcap) {
			char *nb = realloc(m->buf, n + 1);
			if (nb == NULL) {
				sqlite3_reset(m->get);
				return ic_errorf(err, "out of memory");
			}
			m->buf = nb;
			m->bufcap = n + 1;
		}
		if (n)
			memcpy(m->buf, v, n);
		m->buf[n] = '\0';
		*val = m->buf;
		*len = n;
	}
	sqlite3_reset(m->get);
	sqlite3_clear_bindings(m->get);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_fail(m, "cannot read", err);
	return 0;
}

int
spillmap_put(struct spillmap *m, const char *key, const void *val, size_t len,
	     const void **old, size_t *oldlen, struct ic_error *err)
{
	size_t klen = strlen(key), need = sizeof(struct ent) + klen + 1 + len + MALLOC_OVERHEAD, i;
	struct ent *e;
	int r;

	if (klen > INT32_MAX || len > INT32_MAX)
		return ic_errorf(err, "a key or value too large to keep");
	if (m->db == NULL && m->bytes + need > m->limit && spill(m, err) != 0)
		return -1;
	if (m->db != NULL) {
		const void *v;
		size_t n;
		r = disk_put(m, key, klen, val, len, err);
		if (r == 1)
			m->n++;
		if (r != 0)
			return r;
		if (spillmap_get(m, key, &v, &n, err) != 1)
			return db_fail(m, "a key written is not read back", err);
		if (old) {
			*old = v;
			*oldlen = n;
		}
		return 0;
	}
	if (2 * (m->n + 1) > m->cap && mem_grow(m) != 0)
		return ic_errorf(err, "out of memory");
	i = mem_slot(m, key, klen);
	if (m->slot[i] != NULL) {
		if (old) {
			*old = m->slot[i]->data + klen + 1;
			*oldlen = m->slot[i]->vlen;
		}
		return 0;
	}
	if ((e = malloc(sizeof *e + klen + 1 + len + 1)) == NULL)
		return ic_errorf(err, "out of memory");
	e->klen = klen;
	e->vlen = len;
	memcpy(e->data, key, klen + 1);
	if (len)
		memcpy(e->data + klen + 1, val, len);
	e->data[klen + 1 + len] = '\0';
	m->slot[i] = e;
	m->n++;
	m->bytes += need;
	return 1;
}
