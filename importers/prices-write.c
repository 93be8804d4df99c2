/*
 * prices-write.c - the rows of a price import into the tables: its price
 * lists (one per provider, offer and region), its instance types, its
 * prices in multi-row INSERTs, on a writer thread fed by batches the
 * parser fills (prices-db-int.h), with the prices indexes dropped for a
 * big file and made again at its end.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "importers/prices-db-int.h"
#include "importers/prices-db.h"
#include "importers/prices.h"

static uint64_t
hash_str(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ull;

	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ull;
	return h;
}

/* Was this provider/type written by this import already?  Marks it. */
static int
type_seen(struct price_import *pi, const char *provider, const char *itype, int *seen)
{
	size_t i;
	char *key;

	*seen = 0;
	if (pi->ntypes * 2 >= pi->types_cap) {
		size_t ncap = pi->types_cap ? pi->types_cap * 2 : 1024;
		char **nt = calloc(ncap, sizeof *nt);
		if (nt == NULL)
			return -1;
		for (i = 0; i < pi->types_cap; i++)
			if (pi->types[i]) {
				const char *k = pi->types[i];
				size_t j = hash_str(k, k + strlen(k) + 1) & (ncap - 1);
				while (nt[j])
					j = (j + 1) & (ncap - 1);
				nt[j] = pi->types[i];
			}
		free(pi->types);
		pi->types = nt;
		pi->types_cap = ncap;
	}
	i = hash_str(provider, itype) & (pi->types_cap - 1);
	while (pi->types[i]) {
		const char *k = pi->types[i];
		if (strcmp(k, provider) == 0 && strcmp(k + strlen(k) + 1, itype) == 0) {
			*seen = 1;
			return 0;
		}
		i = (i + 1) & (pi->types_cap - 1);
	}
	key = malloc(strlen(provider) + strlen(itype) + 2);
	if (key == NULL)
		return -1;
	strcpy(key, provider);
	strcpy(key + strlen(provider) + 1, itype);
	pi->types[i] = key;
	pi->ntypes++;
	return 0;
}

static int
list_of(struct price_import *pi, const char *provider, const char *region, int64_t *id,
	struct ic_error *err)
{
	struct plist *l;

	if (pi->last >= 0 && strcmp(pi->lists[pi->last].region, region) == 0 &&
	    strcmp(pi->lists[pi->last].provider, provider) == 0) {
		pi->lists[pi->last].rows++;
		*id = pi->lists[pi->last].id;
		return 0;
	}
	for (int i = 0; i < pi->nlists; i++)
		if (strcmp(pi->lists[i].region, region) == 0 && strcmp(pi->lists[i].provider, provider) == 0) {
			pi->last = i;
			pi->lists[i].rows++;
			*id = pi->lists[i].id;
			return 0;
		}
	if (pi->nlists == pi->cap) {
		int cap = pi->cap ? pi->cap * 2 : 8;
		struct plist *nl = realloc(pi->lists, (size_t)cap * sizeof *nl);
		if (nl == NULL)
			return ic_errorf(err, "out of memory");
		pi->lists = nl;
		pi->cap = cap;
	}
	l = &pi->lists[pi->nlists];
	memset(l, 0, sizeof *l);
	snprintf(l->provider, sizeof l->provider, "%s", provider);
	snprintf(l->region, sizeof l->region, "%s", region);
	sqlite3_reset(pi->ins_list);
	sqlite3_bind_int64(pi->ins_list, 1, pi->import_id);
	sqlite3_bind_text(pi->ins_list, 2, provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(pi->ins_list, 3, pi->offer[0] ? pi->offer : provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(pi->ins_list, 4, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(pi->ins_list, 5, pi->publication, -1, SQLITE_STATIC);
	if (sqlite3_step(pi->ins_list) != SQLITE_DONE)
		return db_error(pi->db, "recording a price list", err);
	l->id = sqlite3_last_insert_rowid(pi->db);
	l->rows = 1;
	*id = l->id;
	pi->last = pi->nlists++;
	return 0;
}

/* s of length n (-1: up to its NUL), or NULL when s is NULL or "" */
static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s, int n)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Bind r's columns from parameter b + 1 on; len: the strlen of r's
 * strings in PS_ order (what prices_sink_emit measured), or NULL. */
static void
bind_row(sqlite3_stmt *st, int b, int64_t list, const struct price_row *r, const int *len)
{
#define L(k) (len ? len[k] : -1)
	sqlite3_bind_int64(st, b + 1, list);
	sqlite3_bind_text(st, b + 2, r->provider, L(PS_PROVIDER), SQLITE_STATIC);
	sqlite3_bind_text(st, b + 3, r->region, L(PS_REGION), SQLITE_STATIC);
	sqlite3_bind_text(st, b + 4, r->instance_type, L(PS_TYPE), SQLITE_STATIC);
	sqlite3_bind_text(st, b + 5, r->platform, L(PS_PLATFORM), SQLITE_STATIC);
	sqlite3_bind_text(st, b + 6, price_kind_names[r->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, b + 7, r->term ? r->term : "", r->term ? L(PS_TERM) : 0, SQLITE_STATIC);
	sqlite3_bind_text(st, b + 8, r->payment ? r->payment : "", r->payment ? L(PS_PAYMENT) : 0,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, b + 9, r->offering_class ? r->offering_class : "",
			  r->offering_class ? L(PS_CLASS) : 0, SQLITE_STATIC);
	sqlite3_bind_text(st, b + 10, r->currency, L(PS_CURRENCY), SQLITE_STATIC);
	sqlite3_bind_int64(st, b + 11, r->upfront);
	sqlite3_bind_int64(st, b + 12, r->hourly);
	bind_text_or_null(st, b + 13, r->usage_type, L(PS_USAGE));
	bind_text_or_null(st, b + 14, r->operation, L(PS_OP));
	bind_text_or_null(st, b + 15, r->sku, L(PS_SKU));
#undef L
}

/* Step the rows bound to ins_many (a whole statement's worth). */
static int
flush_multi(struct price_import *pi, struct ic_error *err)
{
	if (pi->nmulti == 0)
		return 0;
	pi->nmulti = 0;
	if (sqlite3_step(pi->ins_many) != SQLITE_DONE) {
		sqlite3_reset(pi->ins_many);
		return db_error(pi->db, "writing a price", err);
	}
	sqlite3_reset(pi->ins_many);
	return 0;
}

/* Write one price (writer thread).  The row's strings must stay valid
 * until flush_multi: rows are bound PRICE_MULTI at a time, and the rest
 * of a batch is written one by one (write_batch). */
static int
store_row(struct price_import *pi, const struct price_row *r, const int *len, int multi,
	  struct ic_error *err)
{
	sqlite3_stmt *st;
	int64_t list = 0;
	int seen;

	if (list_of(pi, r->provider, r->region, &list, err) != 0)
		return -1;
	if (multi) {
		bind_row(pi->ins_many, pi->nmulti * PRICE_COLS, list, r, len);
		if (++pi->nmulti == PRICE_MULTI && flush_multi(pi, err) != 0)
			return -1;
	} else {
		st = pi->ins_price;
		sqlite3_reset(st);
		bind_row(st, 0, list, r, len);
		if (sqlite3_step(st) != SQLITE_DONE)
			return db_error(pi->db, "writing a price", err);
	}
	pi->rows++;
	if (r->vcpu > 0 || r->memory_gib > 0 || r->size_factor > 0) {
		if (type_seen(pi, r->provider, r->instance_type, &seen) != 0)
			return ic_errorf(err, "out of memory");
		if (!seen) {
			st = pi->ins_type;
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, r->provider, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, r->instance_type, -1, SQLITE_STATIC);
			if (r->vcpu > 0)
				sqlite3_bind_double(st, 3, r->vcpu);
			else
				sqlite3_bind_null(st, 3);
			if (r->memory_gib > 0)
				sqlite3_bind_double(st, 4, r->memory_gib);
			else
				sqlite3_bind_null(st, 4);
			bind_text_or_null(st, 5, r->family, -1);
			if (r->size_factor > 0)
				sqlite3_bind_double(st, 6, r->size_factor);
			else
				sqlite3_bind_null(st, 6);
			sqlite3_bind_int64(st, 7, list);
			if (sqlite3_step(st) != SQLITE_DONE)
				return db_error(pi->db, "writing instance attributes", err);
		}
	}
	return 0;
}

/* ---- the writer thread ---- */

static const char *
str_at(const struct pbatch *b, size_t off)
{
	return off == NO_STR ? NULL : b->arena + off;
}

/*
 * Before the first row (writer thread): when this file is larger than
 * what the prices table holds (PRICE_ROW_BYTES a stored row, about the
 * size of a row of an AWS offer CSV), drop the table's indexes and make
 * them again at the end (prices_index_restore): SQLite builds an index from
 * sorted rows in about half the time it takes to keep it up to date row
 * by row (0.5 s against 0.9 s of CPU for the 590,915 prices of a
 * 1,000,000-row offer file).  Not prices_list (list_id): an import's
 * list ids only grow, so its entries go to the end of the index (or of
 * one list's range), which costs the writer thread, idle half the time,
 * about 0.1 s, where building it at the end cost the serial tail 0.15 s
 * and another scan of the table.  The indexes' own SQL is kept from
 * sqlite_master, so they come back exactly as the schema made them; on an
 * error the caller's savepoint rollback brings them back.
 */
#define PRICE_ROW_BYTES 600
static int
index_defer(struct price_import *pi, struct ic_error *err)
{
	sqlite3_stmt *st;
	int64_t have = 0;
	int r;

	pi->index_checked = 1;
	if (pi->expect_bytes == 0)
		return 0;
	st = db_prepare(pi->db, "SELECT max(rowid) FROM prices", err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		have = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((uint64_t)have * PRICE_ROW_BYTES >= pi->expect_bytes)
		return 0;
	st = db_prepare(pi->db, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
			" AND tbl_name = 'prices' AND sql IS NOT NULL AND name <> 'prices_list'", err);
	if (st == NULL)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		char **ni = realloc(pi->index_sql, (size_t)(pi->nindex + 2) * sizeof *ni);
		if (ni == NULL) {
			sqlite3_finalize(st);
			return ic_errorf(err, "out of memory");
		}
		pi->index_sql = ni;
		ni[pi->nindex] = name ? strdup(name) : NULL;
		ni[pi->nindex + 1] = sql ? strdup(sql) : NULL;
		pi->nindex += 2;
		if (ni[pi->nindex - 2] == NULL || ni[pi->nindex - 1] == NULL) {
			sqlite3_finalize(st);
			return ic_errorf(err, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_error(pi->db, "reading the price indexes", err);
	for (int i = 0; i < pi->nindex; i += 2) {
		char *q = sqlite3_mprintf("DROP INDEX \"%w\"", pi->index_sql[i]);
		int rc = q ? db_exec(pi->db, q, "deferring a price index", err) : ic_errorf(err, "out of memory");
		sqlite3_free(q);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/*
 * Make the indexes index_defer dropped again (after the writer stopped).
 * This is the serial tail of a large import: one core idles while it
 * runs, so SQLite's sorter gets one helper thread (PRAGMA threads) that
 * sorts each batch of keys while this thread reads on; the thread count
 * goes back to what it was.  Measured on the 1,000,000-row offer file:
 * this thread's CPU in the tail 0.36 s instead of 0.65 s (with
 * prices_list kept up to date, above), the helper's 0.3 s, peak RSS 4 MiB
 * more.
 */
int
prices_index_restore(struct price_import *pi, struct ic_error *err)
{
	sqlite3_stmt *st;
	int threads = 0, rc = 0;
	char sql[40];

	if (pi->nindex == 0)
		return 0;
	st = db_prepare(pi->db, "PRAGMA threads", err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		threads = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (threads < 1 && db_exec(pi->db, "PRAGMA threads = 1", "indexing the prices", err) != 0)
		return -1;
	for (int i = 0; i < pi->nindex && rc == 0; i += 2)
		rc = db_exec(pi->db, pi->index_sql[i + 1], "indexing the prices", err);
	snprintf(sql, sizeof sql, "PRAGMA threads = %d", threads);
	if (threads < 1 && db_exec(pi->db, sql, "indexing the prices", rc ? NULL : err) != 0)
		rc = -1;
	return rc;
}

/* Write the rows of batch b (writer thread): whole groups of PRICE_MULTI
 * through ins_many, the rest one by one. */
static int
write_batch(struct price_import *pi, struct pbatch *b, struct ic_error *err)
{
	int whole = b->n - b->n % PRICE_MULTI;

	if (!pi->index_checked && index_defer(pi, err) != 0)
		return -1;

	for (int i = 0; i < b->n; i++) {
		struct prow *p = &b->rows[i];
		struct price_row r = p->r;

		r.provider = str_at(b, p->off[PS_PROVIDER]);
		r.region = str_at(b, p->off[PS_REGION]);
		r.instance_type = str_at(b, p->off[PS_TYPE]);
		r.platform = str_at(b, p->off[PS_PLATFORM]);
		r.term = str_at(b, p->off[PS_TERM]);
		r.payment = str_at(b, p->off[PS_PAYMENT]);
		r.offering_class = str_at(b, p->off[PS_CLASS]);
		r.currency = str_at(b, p->off[PS_CURRENCY]);
		r.usage_type = str_at(b, p->off[PS_USAGE]);
		r.operation = str_at(b, p->off[PS_OP]);
		r.sku = str_at(b, p->off[PS_SKU]);
		r.family = str_at(b, p->off[PS_FAMILY]);
		if (store_row(pi, &r, p->len, i < whole, err) != 0)
			return -1;
	}
	return flush_multi(pi, err);
}

void *
prices_writer_main(void *arg)
{
	struct price_import *pi = arg;

	pthread_mutex_lock(&pi->mu);
	for (;;) {
		struct pbatch *b = &pi->batch[pi->wslot];
		int failed;

		while (!b->full && !pi->stopping)
			pthread_cond_wait(&pi->cv, &pi->mu);
		if (!b->full)
			break;		/* stopping, and nothing left */
		failed = pi->failed;
		pthread_mutex_unlock(&pi->mu);
		if (!failed && write_batch(pi, b, &pi->werr) != 0)
			failed = 1;
		pthread_mutex_lock(&pi->mu);
		if (failed)
			pi->failed = 1;
		b->full = 0;
		b->n = 0;
		b->used = 0;
		pi->wslot = (pi->wslot + 1) % PRICE_SLOTS;
		pthread_cond_broadcast(&pi->cv);
	}
	pthread_mutex_unlock(&pi->mu);
	return NULL;
}

/* Hand the batch being filled to the writer, and wait for the next one
 * to be free.  Returns 0, or -1 with err set when the writer failed. */
int
prices_hand_over(struct price_import *pi, struct ic_error *err)
{
	struct pbatch *b = &pi->batch[pi->fill];
	int failed;

	pthread_mutex_lock(&pi->mu);
	if (b->n > 0) {
		b->full = 1;
		pi->fill = (pi->fill + 1) % PRICE_SLOTS;
		pthread_cond_broadcast(&pi->cv);
	}
	while (pi->batch[pi->fill].full && !pi->failed)
		pthread_cond_wait(&pi->cv, &pi->mu);
	failed = pi->failed;
	pthread_mutex_unlock(&pi->mu);
	if (failed) {
		*err = pi->werr;
		return -1;
	}
	return 0;
}

/* Copy s (NULL: none) of length len into b's arena, with its NUL; its
 * offset. */
static size_t
stash(struct pbatch *b, const char *s, size_t len)
{
	size_t off;

	if (s == NULL)
		return NO_STR;
	off = b->used;
	memcpy(b->arena + off, s, len + 1);
	b->used += len + 1;
	return off;
}

/* The parser's sink: queue a copy of the row for the writer thread. */
int
prices_sink_emit(struct price_sink *s, const struct price_row *r, struct ic_error *err)
{
	struct price_import *pi = (struct price_import *)s;
	struct pbatch *b = &pi->batch[pi->fill];
	const char *str[PS_N] = {
		r->provider, r->region, r->instance_type, r->platform, r->term ? r->term : "",
		r->payment ? r->payment : "", r->offering_class ? r->offering_class : "",
		r->currency, r->usage_type, r->operation, r->sku, r->family
	};
	size_t need = 0, len[PS_N];
	struct prow *p;

	for (int k = 0; k < PS_N; k++) {
		len[k] = str[k] ? strlen(str[k]) : 0;
		if (len[k] > INT_MAX - 1)
			return ic_errorf(err, "%s: a price-list field longer than 2 GB", pi->sink.name);
		need += str[k] ? len[k] + 1 : 0;
	}
	if (b->n == PRICE_BATCH_ROWS || b->used + need > b->cap) {
		if (prices_hand_over(pi, err) != 0)
			return -1;
		b = &pi->batch[pi->fill];
	}
	if (b->used + need > b->cap) {
		/* a row larger than the arena (very long fields): grow it */
		size_t cap = b->used + need;
		char *na = realloc(b->arena, cap);
		if (na == NULL)
			return ic_errorf(err, "out of memory");
		b->arena = na;
		b->cap = cap;
	}
	p = &b->rows[b->n++];
	p->r = *r;
	for (int k = 0; k < PS_N; k++) {
		p->off[k] = stash(b, str[k], len[k]);
		p->len[k] = (int)len[k];
	}
	return 0;
}

/* Stop the writer thread after it wrote what is queued (or at once when
 * it failed).  Returns 0, or -1 with err set when it failed. */
int
prices_writer_stop(struct price_import *pi, struct ic_error *err)
{
	int failed;

	if (!pi->started)
		return 0;
	pthread_mutex_lock(&pi->mu);
	pi->stopping = 1;
	pthread_cond_broadcast(&pi->cv);
	pthread_mutex_unlock(&pi->mu);
	pthread_join(pi->thread, NULL);
	pi->started = 0;
	failed = pi->failed;
	if (failed && err)
		*err = pi->werr;
	return failed ? -1 : 0;
}

