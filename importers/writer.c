/*
 * writer.c - the writer thread of an import (see writer.h).
 *
 * The reader fills one batch at a time; a full batch goes to the writer
 * thread through a small ring of slots guarded by one mutex and two
 * condition variables.  Profiling showed the parse and the SQLite inserts
 * costing about the same, so on two cores this halves an import.
 *
 * A charge is stored as a narrow row of charge_facts naming its text
 * columns through three dictionaries (common/db.h, schema 10): dim_id its
 * charge_dims row (the texts but ResourceId and Tags: a CUR month repeats
 * tens of them), resource_id its resources row and tag_set_id its
 * tag_sets row (with the tag store's rows, db_tag_rows).  The writer keeps
 * the full combinations of this import in a hash table (key: the texts,
 * each with its length; value: the three ids, and the rollup cache) and
 * looks a combination's parts up only when it has not seen it, each in a
 * cache of its own (struct idcache) in front of an insert.  Every table
 * is bounded (DIM_MAX_ENTRIES, DIM_MAX_BYTES, IDC_*); when full it is
 * emptied and refilled, which only costs duplicate dictionary rows (same
 * values, other id), never a wrong id: memory stays bounded at any
 * cardinality (a bill whose every row has its own resource and tags).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/tags.h"
#include "importers/rollup-agg.h"
#include "importers/writer.h"

_Static_assert(CT_COUNT == CHARGE_NDIM, "charge_dims has a column per charge text");

#define WRITER_SLOTS 3
/* 2048 rows a batch (was 4096): the three slots' rows and the arena pages
 * they touch were 20 MiB of a 1M-row import's peak; halved, the import
 * costs the same CPU (one more hand-over per 2048 rows, no commit) */
#define BATCH_ROWS 2048
#define ARENA_SIZE (4u * 1024 * 1024)
/* The table of full combinations: up to 2x DIM_MAX_ENTRIES slots of 56
 * bytes, a rollup cache of 200 bytes and DIM_MAX_BYTES of keys.  At 64k
 * entries and 8 MiB (before schema 10) it was 28 MiB of a high-cardinality
 * import's peak, where it never hits; a normal month has under 4k
 * combinations. */
#define DIM_MAX_ENTRIES (1u << 14)
#define DIM_MIN_SLOTS 1024u
#define DIM_MAX_BYTES ((size_t)4 << 20)	/* keys kept */
#define DIM_NULL_LEN 0xffffffffu
/* the columns of a charge_facts row the writer binds: CHARGE_FACT_COLS,
 * dim_id, resource_id, tag_set_id */
#define FACT_NCOLS (CHARGE_NFACT + 3)
/* the caches of the three dictionaries (struct idcache): at most 2x
 * entries slots of 32 bytes and the keys, 3.8 MiB in all (7.4 MiB at
 * twice these, measured with heaptrack on a 100k-row bill whose every row
 * has its own resource and tags, where they never hit; a 1M-row month
 * has 90 combinations, 3,540 resources and 13 tag sets) */
#define IDC_DIMS_ENTRIES (1u << 12)
#define IDC_DIMS_BYTES ((size_t)512 << 10)
#define IDC_RES_ENTRIES (1u << 14)
#define IDC_RES_BYTES ((size_t)1 << 20)
#define IDC_TAGS_ENTRIES (1u << 13)
#define IDC_TAGS_BYTES ((size_t)512 << 10)

/* One combination of the text columns in the writer's table. */
struct dim_slot {
	uint64_t hash;		/* 0 = empty slot */
	int64_t id;		/* charge_dims.id */
	int64_t res, tags;	/* resources.id, tag_sets.id; 0: NULL */
	size_t off, len;	/* key bytes in dims.keys */
	uint32_t ent;		/* its rollup cache: dims.rt[ent] */
};

/* The values of one charge_facts row (all numbers: they do not point
 * into a batch). */
struct fact {
	int64_t v[FACT_NCOLS];	/* CHARGE_FACT_COLS, dim_id, resource_id, tag_set_id */
	unsigned nulls;			/* bit k: column k is NULL */
	unsigned real;			/* bit k: column k is a double in d[k] */
	double d[FACT_NCOLS];
};

struct dims {
	struct dim_slot *slot;	/* nslots (a power of 2), allocated on first use */
	uint32_t n, nslots;
	char *keys;
	size_t used, cap;
	struct rollup_texts *rt;	/* rt[0 .. n): per combination, for rollup-agg */
	uint32_t rt_cap;
	struct rollup_texts lone;	/* of a combination not kept */
};

/* A bounded cache of one dictionary: key bytes -> id.  Open addressing,
 * at most half full; emptied when it reaches max entries or max bytes
 * of keys (a miss then costs a duplicate dictionary row only). */
struct idc_slot {
	uint64_t hash;		/* 0 = empty */
	int64_t id;
	size_t off, len;
};

struct idcache {
	struct idc_slot *slot;	/* nslots, a power of 2 */
	uint32_t n, nslots, max;
	char *keys;
	size_t used, cap, max_bytes;
};

struct row {
	int is_metric;
	uint32_t key_len;	/* charge: its dims key (make_key's form) ... */
	size_t key_off;		/* ... at this offset of the batch arena */
	long line;
	struct charge c;	/* text points into the batch arena */
	struct metric m;
};

struct batch {
	struct row *rows;
	int n;
	char *arena;
	size_t used, cap;
	int full;		/* handed to the writer, not yet written */
};

struct writer {
	sqlite3 *db;
	sqlite3_stmt *ins_charge, *ins_charges, *ins_dim, *ins_metric;
	sqlite3_stmt *ins_res, *ins_tagset;	/* resources, tag_sets rows; owned */
	sqlite3_stmt *ins_tags;		/* DB_TAG_ROW_INSERT; owned */
	struct idcache c_dims, c_res, c_tags;
	char *scratch;			/* a coarse key or a Tags text with its NUL */
	size_t scratch_cap;
	int64_t import_id;
	struct rollup_agg *agg;
	struct dims dims;
	struct fact pending[WRITER_FACT_ROWS];	/* facts not yet inserted */
	/* what ins_charges holds bound (bindings outlive sqlite3_reset), so
	 * that a value equal to the one 32 rows back (the import, the
	 * billing period) is not bound again */
	struct fact bound[WRITER_FACT_ROWS];
	int have_bound;
	int npending;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t to_writer, to_reader;
	struct batch slot[WRITER_SLOTS];
	int fill;		/* slot the reader fills */
	int next;		/* slot the writer takes next */
	int done;		/* reader has nothing more */
	int failed;		/* writer hit an error; msg in werr */
	struct ic_error werr;
	int64_t first_rowid, last_rowid;
};

/* 64-bit hash of n bytes (never 0): four independent lanes of 8 bytes,
 * so that the multiplies of a 500-byte key overlap instead of waiting on
 * each other, then 8 bytes at a time. */
static uint64_t
key_hash(const char *p, size_t n)
{
	uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xc2b2ae3d27d4eb4fULL, c = 0x165667b19e3779f9ULL,
		 d = 0x27d4eb2f165667c5ULL, h, w;
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		uint64_t w0, w1, w2, w3;
		memcpy(&w0, p + i, 8);
		memcpy(&w1, p + i + 8, 8);
		memcpy(&w2, p + i + 16, 8);
		memcpy(&w3, p + i + 24, 8);
		a = (a ^ w0) * 0xff51afd7ed558ccdULL;
		b = (b ^ w1) * 0xff51afd7ed558ccdULL;
		c = (c ^ w2) * 0xff51afd7ed558ccdULL;
		d = (d ^ w3) * 0xff51afd7ed558ccdULL;
		a ^= a >> 32;
		b ^= b >> 32;
		c ^= c >> 32;
		d ^= d >> 32;
	}
	h = a ^ (b * 0x9e3779b97f4a7c15ULL) ^ (c * 0xc4ceb9fe1a85ec53ULL) ^ (d * 0xbf58476d1ce4e5b9ULL);
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h ? h : 1;
}

/*
 * The key of a combination of texts: per text column, a 4-byte length
 * (DIM_NULL_LEN for NULL) and the bytes.  The reader writes it into the
 * batch arena as it copies the texts there (writer_charge), so the writer
 * hashes and compares it in place.
 */

static void
dims_free(struct dims *d)
{
	free(d->slot);
	free(d->keys);
	free(d->rt);
	memset(d, 0, sizeof *d);
}

static void
idc_free(struct idcache *c)
{
	free(c->slot);
	free(c->keys);
	memset(c, 0, sizeof *c);
}

/* The id of key[0 .. len) (hash h) in c, or 0. */
static int64_t
idc_get(const struct idcache *c, const char *key, size_t len, uint64_t h)
{
	if (c->slot == NULL)
		return 0;
	for (uint32_t i = (uint32_t)h & (c->nslots - 1); c->slot[i].hash; i = (i + 1) & (c->nslots - 1)) {
		const struct idc_slot *e = &c->slot[i];
		if (e->hash == h && e->len == len && memcmp(c->keys + e->off, key, len) == 0)
			return e->id;
	}
	return 0;
}

/* Remember key -> id in c (not at all when memory runs out: a later miss
 * costs a duplicate row only). */
static void
idc_put(struct idcache *c, const char *key, size_t len, uint64_t h, int64_t id)
{
	uint32_t i;

	if (len > c->max_bytes / 4)
		return;
	if (c->slot != NULL && (c->n == c->max || c->max_bytes - c->used < len)) {
		memset(c->slot, 0, c->nslots * sizeof *c->slot);
		c->n = 0;
		c->used = 0;
	}
	if (c->slot == NULL || 2 * (c->n + 1) > c->nslots) {
		uint32_t n2 = c->slot ? c->nslots * 2 : 256;
		struct idc_slot *s2 = calloc(n2, sizeof *s2);
		if (s2 == NULL)
			return;
		for (uint32_t k = 0; c->slot && k < c->nslots; k++) {
			uint32_t j;
			if (!c->slot[k].hash)
				continue;
			for (j = (uint32_t)c->slot[k].hash & (n2 - 1); s2[j].hash; j = (j + 1) & (n2 - 1))
				;
			s2[j] = c->slot[k];
		}
		free(c->slot);
		c->slot = s2;
		c->nslots = n2;
	}
	if (c->cap - c->used < len) {
		size_t cap = c->cap ? c->cap : 16384;
		char *k;
		while (cap - c->used < len)
			cap *= 2;
		if ((k = realloc(c->keys, cap)) == NULL)
			return;
		c->keys = k;
		c->cap = cap;
	}
	for (i = (uint32_t)h & (c->nslots - 1); c->slot[i].hash; i = (i + 1) & (c->nslots - 1))
		;
	memcpy(c->keys + c->used, key, len);
	c->slot[i].hash = h;
	c->slot[i].id = id;
	c->slot[i].off = c->used;
	c->slot[i].len = len;
	c->used += len;
	c->n++;
}

/* w->scratch with room for n bytes, or NULL (err set). */
static char *
scratch(struct writer *w, size_t n)
{
	if (w->scratch_cap < n) {
		char *p = realloc(w->scratch, n);
		if (p == NULL) {
			ic_errorf(&w->werr, "out of memory");
			return NULL;
		}
		w->scratch = p;
		w->scratch_cap = n;
	}
	return w->scratch;
}

/* Step st (bound), reset it; the new row's id in *id. */
static int
insert_row(struct writer *w, sqlite3_stmt *st, const char *what, int64_t *id)
{
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(w->db, what, &w->werr);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(w->db);
	return 0;
}

/* The charge_dims row of c's texts but ResourceId and Tags: from the
 * cache, or a new row. */
static int
coarse_dim(struct writer *w, const struct charge *c, int64_t *id)
{
	sqlite3_stmt *st = w->ins_dim;
	size_t len = 0;
	char *p;
	uint64_t h;
	int k = 0;

	for (int i = 0; i < CT_COUNT; i++)
		len += 4 + c->text[i].len;
	if ((p = scratch(w, len)) == NULL)
		return -1;
	len = 0;
	for (int i = 0; i < CT_COUNT; i++) {
		uint32_t n = c->text[i].s ? (uint32_t)c->text[i].len : DIM_NULL_LEN;
		if (i == CT_RESOURCE_ID || i == CT_TAGS)
			continue;
		memcpy(p + len, &n, 4);
		len += 4;
		if (c->text[i].s) {
			memcpy(p + len, c->text[i].s, c->text[i].len);
			len += c->text[i].len;
		}
	}
	h = key_hash(p, len);
	if ((*id = idc_get(&w->c_dims, p, len, h)) != 0)
		return 0;
	for (int i = 0; i < CT_COUNT; i++) {
		struct str v = c->text[i];
		if (i == CT_RESOURCE_ID || i == CT_TAGS)
			continue;
		k++;
		if (v.s == NULL)
			sqlite3_bind_null(st, k);
		else
			sqlite3_bind_text(st, k, v.s, (int)v.len, SQLITE_STATIC);
	}
	if (insert_row(w, st, "writing a charge", id) != 0)
		return -1;
	idc_put(&w->c_dims, p, len, h, *id);
	return 0;
}

/* The resources row of c's ResourceId (0: none). */
static int
resource_ref(struct writer *w, const struct charge *c, int64_t *id)
{
	struct str v = c->text[CT_RESOURCE_ID];
	uint64_t h;

	*id = 0;
	if (v.s == NULL)
		return 0;
	h = key_hash(v.s, v.len);
	if ((*id = idc_get(&w->c_res, v.s, v.len, h)) != 0)
		return 0;
	sqlite3_bind_text(w->ins_res, 1, v.s, (int)v.len, SQLITE_STATIC);
	if (insert_row(w, w->ins_res, "writing a charge's resource", id) != 0)
		return -1;
	idc_put(&w->c_res, v.s, v.len, h, *id);
	return 0;
}

/* The tag_sets row of c's Tags (0: none), with its tag store rows when
 * new.  A tag set is the text and whether its keys fold as AWS's. */
static int
tags_ref(struct writer *w, const struct charge *c, int64_t *id)
{
	struct str v = c->text[CT_TAGS], prov = c->text[CT_PROVIDER];
	int aws = prov.s != NULL && prov.len == 3 && memcmp(prov.s, "AWS", 3) == 0;
	uint64_t h;
	char *p;

	*id = 0;
	if (v.s == NULL)
		return 0;
	/* the key: the flag, the text, and a NUL (tags_each reads it so) */
	if ((p = scratch(w, v.len + 2)) == NULL)
		return -1;
	p[0] = (char)('0' + aws);
	memcpy(p + 1, v.s, v.len);
	p[v.len + 1] = '\0';
	h = key_hash(p, v.len + 1);
	if ((*id = idc_get(&w->c_tags, p, v.len + 1, h)) != 0)
		return 0;
	sqlite3_bind_text(w->ins_tagset, 1, v.s, (int)v.len, SQLITE_STATIC);
	sqlite3_bind_int(w->ins_tagset, 2, aws);
	if (insert_row(w, w->ins_tagset, "writing a charge's tags", id) != 0 ||
	    db_tag_rows(w->db, w->ins_tags, *id, p + 1, aws, &w->werr) != 0)
		return -1;
	idc_put(&w->c_tags, p, v.len + 1, h, *id);
	return 0;
}

/* The three dictionary rows of c. */
static int
insert_dim(struct writer *w, const struct charge *c, int64_t *id, int64_t *res, int64_t *tags)
{
	return coarse_dim(w, c, id) != 0 || resource_ref(w, c, res) != 0 ||
	       tags_ref(w, c, tags) != 0 ? -1 : 0;
}

/* The rollup cache of a combination not kept in the table: a fresh one
 * every time. */
static struct rollup_texts *
lone_texts(struct dims *d)
{
	memset(&d->lone, 0, sizeof d->lone);
	return &d->lone;
}

/* The dictionary ids of c's texts (whose key is key[0 .. len)): from the
 * table, or looked up / new rows; *rt: the rollup cache of the
 * combination, valid until the next call. */
static int
dim_id(struct writer *w, const struct charge *c, const char *key, size_t len, int64_t *id,
       int64_t *res, int64_t *tags, struct rollup_texts **rt)
{
	struct dims *d = &w->dims;
	uint64_t h;
	uint32_t i, mask;

	if (d->slot == NULL && (d->slot = calloc(DIM_MIN_SLOTS, sizeof *d->slot)) == NULL) {
		ic_errorf(&w->werr, "out of memory");
		return -1;
	}
	if (d->nslots == 0)
		d->nslots = DIM_MIN_SLOTS;
	mask = d->nslots - 1;
	h = key_hash(key, len);
	for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask) {
		const struct dim_slot *e = &d->slot[i];
		if (e->hash == h && e->len == len && memcmp(d->keys + e->off, key, len) == 0) {
			*id = e->id;
			*res = e->res;
			*tags = e->tags;
			*rt = &d->rt[e->ent];
			return 0;
		}
	}
	if (insert_dim(w, c, id, res, tags) != 0)
		return -1;
	*rt = lone_texts(d);
	if (len > DIM_MAX_BYTES)
		return 0;	/* not kept */
	if (d->n == DIM_MAX_ENTRIES || DIM_MAX_BYTES - d->used < len) {
		/* full: start over (costs duplicate charge_dims rows only) */
		memset(d->slot, 0, d->nslots * sizeof *d->slot);
		d->n = 0;
		d->used = 0;
		for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask)
			;
	} else if (2 * (d->n + 1) > d->nslots) {
		/* grow: the table stays at most half full, and small (in the
		 * CPU's caches) while the combinations are few */
		uint32_t n2 = d->nslots * 2, m2 = n2 - 1;
		struct dim_slot *s2 = calloc(n2, sizeof *s2);
		if (s2 == NULL)
			return 0;	/* not kept */
		for (uint32_t k = 0; k < d->nslots; k++) {
			uint32_t j;
			if (!d->slot[k].hash)
				continue;
			for (j = (uint32_t)d->slot[k].hash & m2; s2[j].hash; j = (j + 1) & m2)
				;
			s2[j] = d->slot[k];
		}
		free(d->slot);
		d->slot = s2;
		d->nslots = n2;
		mask = m2;
		for (i = (uint32_t)h & mask; d->slot[i].hash; i = (i + 1) & mask)
			;
	}
	if (d->n == d->rt_cap) {
		uint32_t cap = d->rt_cap ? d->rt_cap * 2 : 1024;
		struct rollup_texts *r = realloc(d->rt, cap * sizeof *r);
		if (r == NULL)
			return 0;	/* not kept */
		d->rt = r;
		d->rt_cap = cap;
	}
	if (d->cap - d->used < len) {
		size_t cap = d->cap ? d->cap : 65536;
		char *k;
		while (cap - d->used < len)
			cap *= 2;
		if (cap > DIM_MAX_BYTES)
			cap = DIM_MAX_BYTES;
		k = realloc(d->keys, cap);
		if (k == NULL)
			return 0;	/* not kept */
		d->keys = k;
		d->cap = cap;
	}
	memcpy(d->keys + d->used, key, len);
	d->slot[i].hash = h;
	d->slot[i].id = *id;
	d->slot[i].res = *res;
	d->slot[i].tags = *tags;
	d->slot[i].off = d->used;
	d->slot[i].len = len;
	d->slot[i].ent = d->n;
	memset(&d->rt[d->n], 0, sizeof d->rt[d->n]);
	*rt = &d->rt[d->n];
	d->used += len;
	d->n++;
	return 0;
}

/* Bind fact f to parameters base+1 .. base+FACT_NCOLS of st; was:
 * what those parameters hold (then only changed values are bound), or
 * NULL. */
static void
bind_fact(sqlite3_stmt *st, int base, const struct fact *f, const struct fact *was)
{
	for (int k = 0; k < FACT_NCOLS; k++) {
		unsigned bit = 1u << k;

		if (was && !((was->nulls ^ f->nulls) & bit) && !((was->real ^ f->real) & bit) &&
		    ((f->nulls & bit) ||
		     ((f->real & bit) ? memcmp(&was->d[k], &f->d[k], sizeof f->d[k]) == 0
				      : was->v[k] == f->v[k])))
			continue;	/* already bound */
		if (f->nulls & bit)
			sqlite3_bind_null(st, base + k + 1);
		else if (f->real & bit)
			sqlite3_bind_double(st, base + k + 1, f->d[k]);
		else
			sqlite3_bind_int64(st, base + k + 1, f->v[k]);
	}
}

/* Insert the pending facts: WRITER_FACT_ROWS at a time with one
 * statement (a statement's start and end cost more than a row), the rest
 * one by one. */
static int
flush_facts(struct writer *w)
{
	int n = w->npending, i = 0;

	while (i < n) {
		sqlite3_stmt *st;
		int rows = n - i == WRITER_FACT_ROWS ? WRITER_FACT_ROWS : 1;

		st = rows > 1 ? w->ins_charges : w->ins_charge;
		for (int j = 0; j < rows; j++) {
			const struct fact *f = &w->pending[i + j];
			if (rows > 1) {
				bind_fact(st, j * FACT_NCOLS, f,
					  w->have_bound ? &w->bound[j] : NULL);
				w->bound[j] = *f;
			} else {
				bind_fact(st, 0, f, NULL);
			}
		}
		if (rows > 1)
			w->have_bound = 1;
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(w->db, "writing a charge", &w->werr);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		/* AUTOINCREMENT ids of one writer's statement are consecutive */
		w->last_rowid = sqlite3_last_insert_rowid(w->db);
		if (w->first_rowid == 0)
			w->first_rowid = w->last_rowid - rows + 1;
		i += rows;
	}
	w->npending = 0;
	return 0;
}

static int
write_row(struct writer *w, const struct batch *b, const struct row *r)
{
	sqlite3_stmt *st;

	if (r->is_metric) {
		const struct metric *m = &r->m;
		st = w->ins_metric;
		sqlite3_bind_text(st, 1, m->resource_id.s, (int)m->resource_id.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, m->ts);
		sqlite3_bind_text(st, 3, m->metric.s, (int)m->metric.len, SQLITE_STATIC);
		sqlite3_bind_double(st, 4, m->value);
		if (str_null(m->unit))
			sqlite3_bind_null(st, 5);
		else
			sqlite3_bind_text(st, 5, m->unit.s, (int)m->unit.len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, w->import_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_error(w->db, "writing a metric", &w->werr);
			sqlite3_reset(st);
			return -1;
		}
		sqlite3_reset(st);
		rollup_agg_metric(w->agg, m);
	} else {
		const struct charge *c = &r->c;
		struct fact *f = &w->pending[w->npending];
		struct rollup_texts *rt;
		int64_t dim, res, tags;

		if (dim_id(w, c, b->arena + r->key_off, r->key_len, &dim, &res, &tags, &rt) != 0)
			return -1;
		rollup_agg_charge(w->agg, c, dim, rt);
		f->nulls = f->real = 0;
		f->v[0] = w->import_id;
		f->v[1] = r->line;
		f->v[2] = c->billed;
		f->v[3] = c->effective;
		f->v[4] = c->list;
		f->nulls |= c->has_list ? 0 : 1u << 4;
		f->v[5] = c->contracted;
		f->nulls |= c->has_contracted ? 0 : 1u << 5;
		f->d[6] = c->consumed_qty;
		f->real |= 1u << 6;
		f->nulls |= c->has_consumed_qty ? 0 : 1u << 6;
		f->d[7] = c->pricing_qty;
		f->real |= 1u << 7;
		f->nulls |= c->has_pricing_qty ? 0 : 1u << 7;
		f->v[8] = c->charge_start;
		f->v[9] = c->charge_end;
		f->v[10] = c->period_start;
		f->v[11] = c->period_end;
		f->v[12] = dim;
		f->v[13] = res;
		f->nulls |= res ? 0 : 1u << 13;
		f->v[14] = tags;
		f->nulls |= tags ? 0 : 1u << 14;
		if (++w->npending == WRITER_FACT_ROWS)
			return flush_facts(w);
	}
	return 0;
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct batch *b = &w->slot[w->next];
		int failed = 0;

		while (!b->full && !w->done)
			pthread_cond_wait(&w->to_writer, &w->mu);
		if (!b->full)
			break;	/* done and nothing left */
		pthread_mutex_unlock(&w->mu);
		for (int i = 0; i < b->n && !failed; i++)
			failed = write_row(w, b, &b->rows[i]) != 0;
		if (!failed)
			failed = flush_facts(w) != 0;
		pthread_mutex_lock(&w->mu);
		b->full = 0;
		b->n = 0;
		b->used = 0;
		w->next = (w->next + 1) % WRITER_SLOTS;
		if (failed)
			w->failed = 1;
		pthread_cond_signal(&w->to_reader);
		if (failed)
			break;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
free_slots(struct writer *w)
{
	for (int i = 0; i < WRITER_SLOTS; i++) {
		free(w->slot[i].rows);
		free(w->slot[i].arena);
	}
}

/* Free what the writer owns besides its slots and table. */
static void
finalize_own(struct writer *w)
{
	sqlite3_finalize(w->ins_tags);
	sqlite3_finalize(w->ins_res);
	sqlite3_finalize(w->ins_tagset);
	w->ins_tags = w->ins_res = w->ins_tagset = NULL;
	idc_free(&w->c_dims);
	idc_free(&w->c_res);
	idc_free(&w->c_tags);
	free(w->scratch);
	w->scratch = NULL;
	w->scratch_cap = 0;
}

struct writer *
writer_start(sqlite3 *db, sqlite3_stmt *ins_charge, sqlite3_stmt *ins_charges,
	     sqlite3_stmt *ins_dim, sqlite3_stmt *ins_metric, int64_t import_id,
	     struct rollup_agg *agg, struct ic_error *err)
{
	struct writer *w = calloc(1, sizeof *w);

	if (w == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	w->db = db;
	w->ins_charge = ins_charge;
	w->ins_charges = ins_charges;
	w->ins_dim = ins_dim;
	w->ins_metric = ins_metric;
	w->import_id = import_id;
	w->agg = agg;
	w->c_dims.max = IDC_DIMS_ENTRIES;
	w->c_dims.max_bytes = IDC_DIMS_BYTES;
	w->c_res.max = IDC_RES_ENTRIES;
	w->c_res.max_bytes = IDC_RES_BYTES;
	w->c_tags.max = IDC_TAGS_ENTRIES;
	w->c_tags.max_bytes = IDC_TAGS_BYTES;
	if ((w->ins_tags = db_prepare(db, DB_TAG_ROW_INSERT, err)) == NULL ||
	    (w->ins_res = db_prepare(db, "INSERT INTO resources(ResourceId) VALUES(?)", err)) == NULL ||
	    (w->ins_tagset = db_prepare(db, "INSERT INTO tag_sets(Tags, aws) VALUES(?, ?)",
					err)) == NULL) {
		finalize_own(w);
		free(w);
		return NULL;
	}
	for (int i = 0; i < WRITER_SLOTS; i++) {
		w->slot[i].rows = malloc(BATCH_ROWS * sizeof *w->slot[i].rows);
		w->slot[i].arena = malloc(ARENA_SIZE);
		w->slot[i].cap = ARENA_SIZE;
		if (w->slot[i].rows == NULL || w->slot[i].arena == NULL) {
			free_slots(w);
			finalize_own(w);
			free(w);
			ic_errorf(err, "out of memory");
			return NULL;
		}
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->to_writer, NULL);
	pthread_cond_init(&w->to_reader, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->to_writer);
		pthread_cond_destroy(&w->to_reader);
		free_slots(w);
		finalize_own(w);
		free(w);
		ic_errorf(err, "cannot start the writer thread");
		return NULL;
	}
	return w;
}

/* Hand the filling batch to the writer and wait for a free slot. */
static int
hand_over(struct writer *w, struct ic_error *err)
{
	int failed;

	pthread_mutex_lock(&w->mu);
	w->slot[w->fill].full = 1;
	w->fill = (w->fill + 1) % WRITER_SLOTS;
	pthread_cond_signal(&w->to_writer);
	while (w->slot[w->fill].full && !w->failed)
		pthread_cond_wait(&w->to_reader, &w->mu);
	failed = w->failed;
	pthread_mutex_unlock(&w->mu);
	if (failed) {
		*err = w->werr;
		return -1;
	}
	return 0;
}

/* Is s NULL as stored: absent, empty or a null token?  is_null_token's
 * own fast path, inline: asked of the 28 texts of every charge, the call
 * cost as much as the test. */
static inline int
text_null(const struct str *s)
{
	unsigned char a, z;

	if (s->s == NULL || s->len == 0)
		return 1;
	a = (unsigned char)s->s[0];
	z = (unsigned char)s->s[s->len - 1];
	if (a > ' ' && z > ' ' && (s->len > 4 || (a | 0x20) != 'n'))
		return 0;	/* not blank-padded, and no token (NULL, N/A, ...) */
	return is_null_token(s->s, s->len);
}

/* Copy s into the arena of b; 0 when it does not fit. */
static int
stash(struct batch *b, struct str *s)
{
	if (text_null(s)) {
		s->s = NULL;
		s->len = 0;
		return 1;
	}
	if (b->cap - b->used < s->len)
		return 0;
	memcpy(b->arena + b->used, s->s, s->len);
	s->s = b->arena + b->used;
	b->used += s->len;
	return 1;
}

static int
room_for(struct writer *w, size_t bytes, struct ic_error *err)
{
	struct batch *b = &w->slot[w->fill];

	if (bytes > ARENA_SIZE)
		return ic_errorf(err, "row too large for the import batch");
	if (b->n == BATCH_ROWS || b->cap - b->used < bytes)
		return hand_over(w, err);
	return 0;
}

int
writer_charge(struct writer *w, const struct charge *c, long line, struct ic_error *err)
{
	size_t bytes = 4 * CT_COUNT;
	struct batch *b;
	struct row *r;
	char *p;

	for (int i = 0; i < CT_COUNT; i++)
		bytes += c->text[i].len;
	if (room_for(w, bytes, err) != 0)
		return -1;
	b = &w->slot[w->fill];
	r = &b->rows[b->n++];
	r->is_metric = 0;
	r->line = line;
	r->c = *c;
	/* the texts, each after its length: the dims key (see above) */
	r->key_off = b->used;
	p = b->arena + b->used;
	for (int i = 0; i < CT_COUNT; i++) {
		struct str *s = &r->c.text[i];
		uint32_t len;

		if (text_null(s)) {
			s->s = NULL;
			s->len = 0;
			len = DIM_NULL_LEN;
			memcpy(p, &len, 4);
			p += 4;
			continue;
		}
		len = (uint32_t)s->len;
		memcpy(p, &len, 4);
		memcpy(p + 4, s->s, s->len);
		s->s = p + 4;
		p += 4 + s->len;
	}
	r->key_len = (uint32_t)(p - (b->arena + b->used));
	b->used += r->key_len;
	return 0;
}

int
writer_metric(struct writer *w, const struct metric *m, struct ic_error *err)
{
	size_t bytes = m->resource_id.len + m->metric.len + m->unit.len;
	struct batch *b;
	struct row *r;

	if (room_for(w, bytes, err) != 0)
		return -1;
	b = &w->slot[w->fill];
	r = &b->rows[b->n++];
	r->is_metric = 1;
	r->line = 0;
	r->m = *m;
	stash(b, &r->m.resource_id);
	stash(b, &r->m.metric);
	stash(b, &r->m.unit);
	return 0;
}

static void
stop(struct writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_signal(&w->to_writer);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->to_writer);
	pthread_cond_destroy(&w->to_reader);
	free_slots(w);
	dims_free(&w->dims);
	finalize_own(w);
}

int
writer_finish(struct writer *w, int64_t *first_rowid, int64_t *last_rowid, struct ic_error *err)
{
	int rc = 0;

	if (w->slot[w->fill].n > 0 && hand_over(w, err) != 0)
		rc = -1;
	stop(w);
	if (rc == 0 && w->failed) {
		*err = w->werr;
		rc = -1;
	}
	*first_rowid = w->first_rowid;
	*last_rowid = w->last_rowid;
	free(w);
	return rc;
}

void
writer_abort(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	/* drop what is queued but not yet taken */
	for (int i = 0; i < WRITER_SLOTS; i++)
		if (i != w->next)
			w->slot[i].full = 0;
	pthread_mutex_unlock(&w->mu);
	stop(w);
	free(w);
}
