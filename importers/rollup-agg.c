/*
 * rollup-agg.c - the rollups of one imported file, aggregated in C as its
 * rows stream by, then written in one go (see rollup-agg.h; the tables are
 * described in common/rollup.h).
 *
 * Text values are interned (a per-column "same as the last row" check
 * saves most lookups); a group key is then a short array of 64-bit words
 * (string ids and integers) in an open-addressing hash table.  Every
 * condition and expression mirrors the SQL definition in common/rollup.h
 * for the values the writer stores: text is NULL exactly when str_null
 * says so (writer.c stores null tokens as NULL), a quantity is NULL when
 * absent or NaN (SQLite stores NaN as NULL).  Sums are added in file order, as the SQL definition over the
 * file's rowid range adds them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/rollup-agg.h"

/* Past this much memory the aggregator gives up (see rollup-agg.h); the
 * environment variable IMCOST_ROLLUP_AGG_MAX (bytes) lowers it, for the
 * tests of the fallback. */
#define AGG_MAX_BYTES ((size_t)16 << 20)

/* ---- interned strings ---- */

struct sent {
	uint64_t h;
	size_t off;
	size_t len;
};

struct strtab {
	uint32_t *slot;		/* id, 0 = empty */
	uint32_t mask;
	struct sent *e;		/* e[id - 1] */
	uint32_t n, ecap;
	char *buf;
	size_t used, bcap;
};

/* ---- group tables: entry = hash word, key words, value ---- */

struct gtab {
	int kw;
	size_t vsize, esize;
	unsigned char *e;
	uint32_t n, ecap;
	uint32_t *slot;		/* entry index + 1, 0 = empty */
	uint32_t mask;
	uint32_t last;		/* entry index + 1 of the last lookup, 0 = none */
};

struct v_daily {
	int64_t rows, billed, effective, list, min_start, max_start, max_end;
	double qty;
	int64_t has_list, has_qty;
};

/*
 * rollup_dims_day's groups, the most numerous (days x charge_dims rows:
 * 112k in a 1M-row CUR month), in a table of their own: a 48-byte entry
 * with integer keys (the charge_dims row, the day number, an index into
 * the file's billing periods), no hash word (recomputed from the key when
 * the slots grow) and entries in fixed chunks (no doubling realloc).  The
 * contracted cost and the pricing quantity get their own column only
 * when a file needs it: until a charge has a contracted cost, every sum
 * of it is NULL; until a charge's pricing quantity differs (bit for bit,
 * or in being absent) from its consumed quantity, every group's pricing
 * sum is its consumed sum, added in the same order.
 */
#define DD_SHIFT 12
#define DD_CHUNK (1u << DD_SHIFT)
#define DD_MAX_BYTES ((size_t)12 << 20)	/* then rollup_dims_day falls back to SQL */

enum { DD_LIST = 1, DD_CONTRACTED = 2, DD_CONSUMED = 4, DD_PRICING = 8 };

struct dd_ent {
	uint32_t dim;		/* charge_dims.id */
	int32_t dayno;		/* day / 86400 */
	uint32_t rows;
	uint16_t period;	/* dd.period[] index */
	uint16_t flags;		/* DD_*: the sum is not NULL */
	int64_t billed, effective, list;
	double consumed;
};

struct dd_period {
	int64_t start, end;
};

struct ddtab {
	struct dd_ent **chunk;		/* chunk[i >> DD_SHIFT][i & (DD_CHUNK - 1)] */
	int64_t **contracted;		/* the same shape; NULL until needed */
	double **pricing;		/* the same shape; NULL while equal to consumed */
	uint32_t n, nchunks, chunk_cap;
	uint32_t *slot;			/* entry index + 1, 0 = empty */
	uint32_t mask;
	struct dd_period *period;
	uint32_t nperiods, last_period;
};

struct v_compute {
	int64_t rows;
	double qty;
};

struct v_resource {
	int64_t rows, billed, effective, min_start, max_end;
	double qty;
	int64_t has_qty;
};

/* the open run of a (resource, type, span) */
struct v_run {
	int64_t first, step, n;
	double qty;
};

struct run_closed {
	uint32_t ent;
	int64_t first, step, n;
	double qty;
};

struct touched {
	int64_t min_ts, max_ts;
	unsigned mask;		/* 1 cpu, 2 memory, 4 other host metrics */
};

enum { K_DAILY = 18, K_COMPUTE = 12, K_RESOURCE = 14, K_RUN = 9 };

/* the charge text columns the rollups use */
static const int used_cols[] = {
	CT_CURRENCY, CT_PROVIDER, CT_BILLING_ACCOUNT, CT_SUB_ACCOUNT, CT_CHARGE_CATEGORY,
	CT_PRICING_CATEGORY, CT_CD_ID, CT_CD_TYPE, CT_CD_STATUS, CT_SERVICE_NAME, CT_REGION,
	CT_RESOURCE_ID, CT_X_INSTANCE_TYPE, CT_X_USAGE_TYPE, CT_X_PLATFORM, CT_X_LINE_ITEM_TYPE
};
#define NUSED ((int)(sizeof used_cols / sizeof used_cols[0]))

struct rollup_agg {
	size_t bytes, max_bytes;
	int failed;		/* charges: fall back to SQL */
	int dims_failed;	/* rollup_dims_day alone: fall back to SQL */
	size_t dims_max;	/* bytes rollup_dims_day may take */
	size_t dd_bytes;	/* bytes it takes */
	int in_dd;		/* allocating for it */
	int usage_failed;	/* usage: rebuild whole */
	struct strtab str;
	uint32_t last[CT_COUNT];
	struct gtab daily, compute, resource, run;
	struct ddtab dd;	/* rollup_dims_day */
	struct run_closed *closed;
	size_t nclosed, closed_cap;
	struct strtab res;	/* resource ids of metrics */
	struct touched *t;	/* t[id - 1] */
	uint32_t tcap;
};

/* ---- memory ---- */

static void give_up_dims(struct rollup_agg *a);

static void *
agg_realloc(struct rollup_agg *a, void *p, size_t old, size_t n)
{
	void *q;

	/* past the budget, rollup_dims_day's groups go first (it falls
	 * back to SQL alone), unless they are the ones growing */
	if (a->bytes - old + n > a->max_bytes && !a->in_dd && a->dd_bytes > 0)
		give_up_dims(a);
	if (a->bytes - old + n > a->max_bytes)
		return NULL;
	q = realloc(p, n);
	if (q != NULL)
		a->bytes = a->bytes - old + n;
	return q;
}

static uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

static size_t
strtab_bytes(const struct strtab *t)
{
	return (t->slot ? (size_t)(t->mask + 1) * sizeof *t->slot : 0) +
	       (size_t)t->ecap * sizeof *t->e + t->bcap;
}

static void
strtab_free(struct strtab *t)
{
	free(t->slot);
	free(t->e);
	free(t->buf);
	memset(t, 0, sizeof *t);
}

/* id of s[0..len) (1-based); 0 when out of memory */
static uint32_t
intern(struct rollup_agg *a, struct strtab *t, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	uint32_t i, id;

	if (t->slot == NULL || (t->n + 1) * 2 > t->mask + 1) {
		uint32_t cap = t->slot ? (t->mask + 1) * 2 : 1024;
		uint32_t *ns = agg_realloc(a, NULL, 0, (size_t)cap * sizeof *ns);
		if (ns == NULL)
			return 0;
		memset(ns, 0, (size_t)cap * sizeof *ns);
		for (uint32_t k = 0; k < t->n; k++) {
			i = (uint32_t)t->e[k].h & (cap - 1);
			while (ns[i])
				i = (i + 1) & (cap - 1);
			ns[i] = k + 1;
		}
		if (t->slot) {
			free(t->slot);
			a->bytes -= (size_t)(t->mask + 1) * sizeof *t->slot;
		}
		t->slot = ns;
		t->mask = cap - 1;
	}
	for (i = (uint32_t)h & t->mask; (id = t->slot[i]) != 0; i = (i + 1) & t->mask) {
		const struct sent *e = &t->e[id - 1];
		if (e->h == h && e->len == len && memcmp(t->buf + e->off, s, len) == 0)
			return id;
	}
	if (t->n == t->ecap) {
		uint32_t cap = t->ecap ? t->ecap * 2 : 256;
		struct sent *ne = agg_realloc(a, t->e, (size_t)t->ecap * sizeof *ne,
					      (size_t)cap * sizeof *ne);
		if (ne == NULL)
			return 0;
		t->e = ne;
		t->ecap = cap;
	}
	if (t->used + len + 1 > t->bcap) {
		size_t cap = t->bcap ? t->bcap : 4096;
		char *nb;
		while (cap < t->used + len + 1)
			cap *= 2;
		nb = agg_realloc(a, t->buf, t->bcap, cap);
		if (nb == NULL)
			return 0;
		t->buf = nb;
		t->bcap = cap;
	}
	memcpy(t->buf + t->used, s, len);
	t->buf[t->used + len] = '\0';
	t->e[t->n].h = h;
	t->e[t->n].off = t->used;
	t->e[t->n].len = len;
	t->used += len + 1;
	t->n++;
	t->slot[i] = t->n;
	return t->n;
}

static const char *
str_of(const struct strtab *t, uint64_t id, int *len)
{
	const struct sent *e = &t->e[id - 1];

	*len = (int)e->len;
	return t->buf + e->off;
}

static void
gt_init(struct gtab *t, int kw, size_t vsize)
{
	memset(t, 0, sizeof *t);
	t->kw = kw;
	t->vsize = vsize;
	t->esize = (size_t)(kw + 1) * 8 + vsize;
}

static void
gt_free(struct gtab *t)
{
	free(t->e);
	free(t->slot);
	t->e = NULL;
	t->slot = NULL;
	t->n = t->ecap = 0;
	t->last = 0;
}

static uint64_t *
gt_ent(const struct gtab *t, uint32_t i)
{
	return (uint64_t *)(void *)(t->e + (size_t)i * t->esize);
}

/* the value of key (zeroed and *fresh = 1 when new); NULL on ENOMEM */
static void *
gt_get(struct rollup_agg *a, struct gtab *t, const uint64_t *key, int *fresh)
{
	size_t kb = (size_t)t->kw * 8;
	uint64_t h;
	uint32_t i, x;
	uint64_t *e;

	/* rows of one group often come in a row */
	if (t->last) {
		e = gt_ent(t, t->last - 1);
		if (memcmp(e + 1, key, kb) == 0) {
			*fresh = 0;
			return e + 1 + t->kw;
		}
	}
	h = hash_bytes(key, kb);
	if (t->slot == NULL || (t->n + 1) * 2 > t->mask + 1) {
		uint32_t cap = t->slot ? (t->mask + 1) * 2 : 256;
		uint32_t *ns = agg_realloc(a, NULL, 0, (size_t)cap * sizeof *ns);
		if (ns == NULL)
			return NULL;
		memset(ns, 0, (size_t)cap * sizeof *ns);
		for (uint32_t k = 0; k < t->n; k++) {
			i = (uint32_t)gt_ent(t, k)[0] & (cap - 1);
			while (ns[i])
				i = (i + 1) & (cap - 1);
			ns[i] = k + 1;
		}
		if (t->slot) {
			free(t->slot);
			a->bytes -= (size_t)(t->mask + 1) * sizeof *t->slot;
		}
		t->slot = ns;
		t->mask = cap - 1;
	}
	for (i = (uint32_t)h & t->mask; (x = t->slot[i]) != 0; i = (i + 1) & t->mask) {
		e = gt_ent(t, x - 1);
		if (e[0] == h && memcmp(e + 1, key, kb) == 0) {
			*fresh = 0;
			t->last = x;
			return e + 1 + t->kw;
		}
	}
	if (t->n == t->ecap) {
		uint32_t cap = t->ecap ? t->ecap * 2 : 64;
		unsigned char *ne = agg_realloc(a, t->e, (size_t)t->ecap * t->esize,
						(size_t)cap * t->esize);
		if (ne == NULL)
			return NULL;
		t->e = ne;
		t->ecap = cap;
	}
	e = gt_ent(t, t->n);
	e[0] = h;
	memcpy(e + 1, key, kb);
	memset(e + 1 + t->kw, 0, t->vsize);
	t->n++;
	t->slot[i] = t->n;
	t->last = t->n;
	*fresh = 1;
	return e + 1 + t->kw;
}

/* the value of entry i */
static void *
gt_val(const struct gtab *t, uint32_t i)
{
	return gt_ent(t, i) + 1 + t->kw;
}

/* the entry index of a value gt_get returned */
static uint32_t
gt_index(const struct gtab *t, const void *v)
{
	size_t off = (size_t)((const unsigned char *)v - t->e) - (size_t)(t->kw + 1) * 8;
	return (uint32_t)(off / t->esize);
}

/* ---- the rollup_dims_day table ---- */

/* realloc for the dims table, counted in a->bytes and in its own budget
 * (a->dims_max); NULL past either or when out of memory (p then stays
 * valid). */
static void *
dd_realloc(struct rollup_agg *a, void *p, size_t old, size_t n)
{
	if (a->dd_bytes - old + n > a->dims_max)
		return NULL;
	a->in_dd = 1;
	p = agg_realloc(a, p, old, n);
	a->in_dd = 0;
	if (p != NULL)
		a->dd_bytes = a->dd_bytes - old + n;
	return p;
}

static struct dd_ent *
dd_at(const struct ddtab *t, uint32_t i)
{
	return &t->chunk[i >> DD_SHIFT][i & (DD_CHUNK - 1)];
}

static uint64_t
dd_hash(uint32_t dim, int32_t dayno, uint16_t period)
{
	uint64_t h = ((uint64_t)dim << 32 | (uint32_t)dayno) * 0x9e3779b97f4a7c15ULL;

	h ^= h >> 29;
	h = (h ^ period) * 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

static void
dd_free(struct ddtab *t)
{
	for (uint32_t c = 0; c < t->nchunks; c++) {
		free(t->chunk[c]);
		if (t->contracted)
			free(t->contracted[c]);
		if (t->pricing)
			free(t->pricing[c]);
	}
	free(t->chunk);
	free(t->contracted);
	free(t->pricing);
	free(t->slot);
	free(t->period);
	memset(t, 0, sizeof *t);
}

/* The index of period (start, end) in t->period, added when new; -1 past
 * 65535 of them or out of memory. */
static int
dd_period(struct rollup_agg *a, struct ddtab *t, int64_t start, int64_t end)
{
	struct dd_period *np;

	if (t->last_period < t->nperiods && t->period[t->last_period].start == start &&
	    t->period[t->last_period].end == end)
		return (int)t->last_period;
	for (uint32_t i = 0; i < t->nperiods; i++)
		if (t->period[i].start == start && t->period[i].end == end)
			return (int)(t->last_period = i);
	if (t->nperiods == 65535)
		return -1;
	np = dd_realloc(a, t->period, t->nperiods * sizeof *np, (t->nperiods + 1) * sizeof *np);
	if (np == NULL)
		return -1;
	t->period = np;
	np[t->nperiods].start = start;
	np[t->nperiods].end = end;
	return (int)(t->last_period = t->nperiods++);
}

/* One more chunk of an optional column (contracted, pricing), for chunk c:
 * zeroed, or a copy of the consumed sums (copy_consumed). */
static int
dd_column_chunk(struct rollup_agg *a, struct ddtab *t, void **col, uint32_t c, int copy_consumed)
{
	double *d;

	col[c] = dd_realloc(a, NULL, 0, DD_CHUNK * sizeof(int64_t));
	if (col[c] == NULL)
		return -1;
	if (!copy_consumed) {
		memset(col[c], 0, DD_CHUNK * sizeof(int64_t));
		return 0;
	}
	d = col[c];
	for (uint32_t i = 0; i < DD_CHUNK; i++)
		d[i] = ((c << DD_SHIFT) + i < t->n) ? t->chunk[c][i].consumed : 0;
	return 0;
}

/* Give the dims table its own contracted (which = 0) or pricing (1)
 * column from now on. */
static int
dd_materialize(struct rollup_agg *a, struct ddtab *t, int which)
{
	void ***col = which ? (void ***)&t->pricing : (void ***)&t->contracted;
	void **c = dd_realloc(a, NULL, 0, (size_t)t->chunk_cap * sizeof *c);

	if (c == NULL)
		return -1;
	memset(c, 0, (size_t)t->chunk_cap * sizeof *c);
	*col = c;
	for (uint32_t k = 0; k < t->nchunks; k++)
		if (dd_column_chunk(a, t, c, k, which) != 0)
			return -1;
	if (which)
		for (uint32_t i = 0; i < t->n; i++) {
			struct dd_ent *e = dd_at(t, i);
			e->flags = (uint16_t)((e->flags & ~DD_PRICING) |
					      ((e->flags & DD_CONSUMED) ? DD_PRICING : 0));
		}
	return 0;
}

/* The entry of (dim, dayno, period), zeroed when new; its index in *idx.
 * NULL when it cannot be added. */
static struct dd_ent *
dd_get(struct rollup_agg *a, struct ddtab *t, uint32_t dim, int32_t dayno, uint16_t period,
       uint32_t *idx)
{
	uint32_t i, x;
	struct dd_ent *e;

	if (t->slot == NULL || (t->n + 1) * 2 > t->mask + 1) {
		uint32_t cap = t->slot ? (t->mask + 1) * 2 : 1024;
		uint32_t *ns = dd_realloc(a, NULL, 0, (size_t)cap * sizeof *ns);

		if (ns == NULL)
			return NULL;
		memset(ns, 0, (size_t)cap * sizeof *ns);
		for (uint32_t k = 0; k < t->n; k++) {
			e = dd_at(t, k);
			i = (uint32_t)dd_hash(e->dim, e->dayno, e->period) & (cap - 1);
			while (ns[i])
				i = (i + 1) & (cap - 1);
			ns[i] = k + 1;
		}
		if (t->slot) {
			free(t->slot);
			a->bytes -= (size_t)(t->mask + 1) * sizeof *t->slot;
			a->dd_bytes -= (size_t)(t->mask + 1) * sizeof *t->slot;
		}
		t->slot = ns;
		t->mask = cap - 1;
	}
	for (i = (uint32_t)dd_hash(dim, dayno, period) & t->mask; (x = t->slot[i]) != 0;
	     i = (i + 1) & t->mask) {
		e = dd_at(t, x - 1);
		if (e->dim == dim && e->dayno == dayno && e->period == period) {
			*idx = x - 1;
			return e;
		}
	}
	if ((t->n & (DD_CHUNK - 1)) == 0) {
		uint32_t c = t->n >> DD_SHIFT;

		if (c == t->chunk_cap) {
			uint32_t cap = t->chunk_cap ? t->chunk_cap * 2 : 16;
			struct dd_ent **nc;
			void **col;

			nc = dd_realloc(a, t->chunk, t->chunk_cap * sizeof *nc, cap * sizeof *nc);
			if (nc == NULL)
				return NULL;
			t->chunk = nc;
			for (int w = 0; w < 2; w++) {
				void ***colp = w ? (void ***)&t->pricing : (void ***)&t->contracted;
				if (*colp == NULL)
					continue;
				col = dd_realloc(a, *colp, t->chunk_cap * sizeof *col, cap * sizeof *col);
				if (col == NULL)
					return NULL;
				*colp = col;
			}
			t->chunk_cap = cap;
		}
		t->chunk[c] = dd_realloc(a, NULL, 0, DD_CHUNK * sizeof **t->chunk);
		if (t->chunk[c] == NULL)
			return NULL;
		t->nchunks++;
		if ((t->contracted && dd_column_chunk(a, t, (void **)t->contracted, c, 0) != 0) ||
		    (t->pricing && dd_column_chunk(a, t, (void **)t->pricing, c, 0) != 0))
			return NULL;
	}
	*idx = t->n;
	e = dd_at(t, t->n++);
	memset(e, 0, sizeof *e);
	e->dim = dim;
	e->dayno = dayno;
	e->period = period;
	t->slot[i] = t->n;
	return e;
}

/* ---- public ---- */

struct rollup_agg *
rollup_agg_new(void)
{
	struct rollup_agg *a = calloc(1, sizeof *a);
	const char *env;

	if (a == NULL)
		return NULL;
	a->max_bytes = AGG_MAX_BYTES;
	if ((env = getenv("IMCOST_ROLLUP_AGG_MAX")) != NULL && *env) {
		unsigned long long v = strtoull(env, NULL, 10);
		if (v < a->max_bytes)
			a->max_bytes = (size_t)v;
	}
	gt_init(&a->daily, K_DAILY, sizeof(struct v_daily));
	gt_init(&a->compute, K_COMPUTE, sizeof(struct v_compute));
	gt_init(&a->resource, K_RESOURCE, sizeof(struct v_resource));
	gt_init(&a->run, K_RUN, sizeof(struct v_run));
	/* IMCOST_ROLLUP_DIMS_MAX (bytes): rollup_dims_day's own budget,
	 * lowered for the test of its fallback */
	a->dims_max = DD_MAX_BYTES;
	if ((env = getenv("IMCOST_ROLLUP_DIMS_MAX")) != NULL && *env) {
		unsigned long long v = strtoull(env, NULL, 10);
		if (v < a->dims_max)
			a->dims_max = (size_t)v;
	}
	return a;
}

static void
free_charges(struct rollup_agg *a)
{
	gt_free(&a->daily);
	gt_free(&a->compute);
	gt_free(&a->resource);
	gt_free(&a->run);
	dd_free(&a->dd);
	a->dd_bytes = 0;
	strtab_free(&a->str);
	free(a->closed);
	a->closed = NULL;
	a->nclosed = a->closed_cap = 0;
	memset(a->last, 0, sizeof a->last);
}

static void
free_usage(struct rollup_agg *a)
{
	strtab_free(&a->res);
	free(a->t);
	a->t = NULL;
	a->tcap = 0;
}

void
rollup_agg_free(struct rollup_agg *a)
{
	if (a == NULL)
		return;
	free_charges(a);
	free_usage(a);
	free(a);
}

/* rollup_dims_day alone is computed by SQL: its memory goes back */
static void
give_up_dims(struct rollup_agg *a)
{
	a->bytes -= a->dd_bytes;
	a->dd_bytes = 0;
	dd_free(&a->dd);
	a->dims_failed = 1;
}

static void
give_up(struct rollup_agg *a)
{
	a->failed = 1;
	free_charges(a);
	/* only the usage part is left */
	a->bytes = strtab_bytes(&a->res) + (size_t)a->tcap * sizeof *a->t;
}

/* Whether the writer stores v as NULL (str_null), quickly: text of more
 * than four bytes that starts and ends with neither blank can be no null
 * token ("", "null", "none", "n/a" between blanks). */
static int
stored_null(struct str v)
{
	if (v.s == NULL || v.len == 0)
		return 1;
	if (v.len > 4 && v.s[0] != ' ' && v.s[0] != '\t' && v.s[v.len - 1] != ' ' &&
	    v.s[v.len - 1] != '\t')
		return 0;
	return str_null(v);
}

/* the stored text equals lit (lit is no null token, so v is not NULL) */
static int
text_eq(struct str v, const char *lit)
{
	size_t n = strlen(lit);
	return v.s != NULL && v.len == n && memcmp(v.s, lit, n) == 0;
}

static int
close_run(struct rollup_agg *a, uint32_t ent, const struct v_run *r)
{
	if (a->nclosed == a->closed_cap) {
		size_t cap = a->closed_cap ? a->closed_cap * 2 : 256;
		struct run_closed *n = agg_realloc(a, a->closed, a->closed_cap * sizeof *n,
						   cap * sizeof *n);
		if (n == NULL)
			return -1;
		a->closed = n;
		a->closed_cap = cap;
	}
	a->closed[a->nclosed].ent = ent;
	a->closed[a->nclosed].first = r->first;
	a->closed[a->nclosed].step = r->step;
	a->closed[a->nclosed].n = r->n;
	a->closed[a->nclosed].qty = r->qty;
	a->nclosed++;
	return 0;
}

void
rollup_agg_charge(struct rollup_agg *a, const struct charge *c, int64_t dim_id,
		  struct rollup_texts *t)
{
	uint64_t id[CT_COUNT] = { 0 };
	uint64_t k[K_DAILY];
	int64_t cs = c->charge_start, span = c->charge_end - c->charge_start;
	int has_qty = c->has_consumed_qty && !isnan(c->consumed_qty);
	int positive = has_qty && c->consumed_qty > 0;
	int fresh;

	if (a->failed)
		return;
	if (t && t->known) {
		for (int j = 0; j < NUSED; j++)
			id[used_cols[j]] = t->id[used_cols[j]];
		goto ids;
	}
	for (int j = 0; j < NUSED; j++) {
		int col = used_cols[j];
		struct str v = c->text[col];
		uint32_t last = a->last[col];

		if (stored_null(v))
			continue;
		if (last) {
			const struct sent *e = &a->str.e[last - 1];
			if (e->len == v.len && memcmp(a->str.buf + e->off, v.s, v.len) == 0) {
				id[col] = last;
				continue;
			}
		}
		id[col] = intern(a, &a->str, v.s, v.len);
		if (id[col] == 0)
			goto fail;
		a->last[col] = (uint32_t)id[col];
	}
	if (t) {
		for (int j = 0; j < NUSED; j++)
			t->id[used_cols[j]] = (uint32_t)id[used_cols[j]];
		t->known = 1;
	}
ids:

	/* rollup_daily */
	{
		struct v_daily *v;
		int64_t day = cs - cs % 86400;
		int short_span = span <= 86400;

		if (t && t->daily && t->daily_day == day && t->daily_period == c->period_start &&
		    t->daily_short == short_span) {
			v = gt_val(&a->daily, t->daily - 1);
			fresh = 0;
			goto daily;
		}
		k[0] = id[CT_PROVIDER];
		k[1] = id[CT_BILLING_ACCOUNT];
		k[2] = (uint64_t)c->period_start;
		k[3] = (uint64_t)c->period_end;
		k[4] = id[CT_CURRENCY];
		k[5] = id[CT_SUB_ACCOUNT];
		k[6] = id[CT_SERVICE_NAME];
		k[7] = id[CT_REGION];
		k[8] = id[CT_CHARGE_CATEGORY];
		k[9] = id[CT_PRICING_CATEGORY];
		k[10] = id[CT_CD_ID];
		k[11] = id[CT_CD_TYPE];
		k[12] = id[CT_CD_STATUS];
		k[13] = id[CT_X_LINE_ITEM_TYPE];
		k[14] = id[CT_X_INSTANCE_TYPE];
		k[15] = id[CT_X_PLATFORM];
		k[16] = (uint64_t)day;
		k[17] = (uint64_t)short_span;
		v = gt_get(a, &a->daily, k, &fresh);
		if (v == NULL)
			goto fail;
		if (t) {
			t->daily = gt_index(&a->daily, v) + 1;
			t->daily_day = day;
			t->daily_period = c->period_start;
			t->daily_short = short_span;
		}
daily:
		if (fresh) {
			v->min_start = v->max_start = cs;
			v->max_end = c->charge_end;
		}
		v->rows++;
		if (__builtin_add_overflow(v->billed, c->billed, &v->billed) ||
		    __builtin_add_overflow(v->effective, c->effective, &v->effective))
			goto fail;
		if (c->has_list) {
			if (__builtin_add_overflow(v->list, c->list, &v->list))
				goto fail;
			v->has_list = 1;
		}
		if (has_qty) {
			v->qty += c->consumed_qty;
			v->has_qty = 1;
		}
		if (cs < v->min_start)
			v->min_start = cs;
		if (cs > v->max_start)
			v->max_start = cs;
		if (c->charge_end > v->max_end)
			v->max_end = c->charge_end;
	}

	/* rollup_dims_day: no texts in the key, only the charge_dims row.
	 * Its groups (days x combinations) are the most numerous: when they
	 * do not fit, it alone falls back to SQL and the others go on. */
	if (!a->dims_failed) {
		struct ddtab *dt = &a->dd;
		struct dd_ent *v = NULL;
		int64_t day = cs - cs % 86400;
		int has_pq = c->has_pricing_qty && !isnan(c->pricing_qty);
		uint32_t idx;
		int per;

		/* t is the cache of this charge_dims row: its last group (its
		 * key checked, so a stale cache costs a lookup, never a wrong sum) */
		if (t && t->dims_day && t->dims_day_day == day && t->dims_day_period == c->period_start &&
		    t->dims_day <= dt->n) {
			v = dd_at(dt, t->dims_day - 1);
			if (v->dim != (uint64_t)dim_id || (int64_t)v->dayno * 86400 != day ||
			    dt->period[v->period].start != c->period_start ||
			    dt->period[v->period].end != c->period_end)
				v = NULL;
			else
				idx = t->dims_day - 1;
		}
		if (v == NULL) {
			if (dim_id <= 0 || dim_id > UINT32_MAX || day / 86400 < INT32_MIN ||
			    day / 86400 > INT32_MAX ||
			    (per = dd_period(a, dt, c->period_start, c->period_end)) < 0 ||
			    (v = dd_get(a, dt, (uint32_t)dim_id, (int32_t)(day / 86400), (uint16_t)per,
					&idx)) == NULL) {
				give_up_dims(a);
				goto dims_done;
			}
			if (t) {
				t->dims_day = idx + 1;
				t->dims_day_day = day;
				t->dims_day_period = c->period_start;
			}
		}
		/* a column of its own once needed (see struct ddtab) */
		if ((c->has_contracted && dt->contracted == NULL && dd_materialize(a, dt, 0) != 0) ||
		    (dt->pricing == NULL && (has_pq != has_qty ||
					     (has_qty && memcmp(&c->pricing_qty, &c->consumed_qty,
								sizeof(double)) != 0)) &&
		     dd_materialize(a, dt, 1) != 0) ||
		    v->rows == UINT32_MAX ||
		    __builtin_add_overflow(v->billed, c->billed, &v->billed) ||
		    __builtin_add_overflow(v->effective, c->effective, &v->effective) ||
		    (c->has_list && __builtin_add_overflow(v->list, c->list, &v->list)) ||
		    (c->has_contracted &&
		     __builtin_add_overflow(dt->contracted[idx >> DD_SHIFT][idx & (DD_CHUNK - 1)],
					    c->contracted,
					    &dt->contracted[idx >> DD_SHIFT][idx & (DD_CHUNK - 1)]))) {
			give_up_dims(a);
			goto dims_done;
		}
		v->rows++;
		if (c->has_list)
			v->flags |= DD_LIST;
		if (c->has_contracted)
			v->flags |= DD_CONTRACTED;
		if (has_qty) {
			v->consumed += c->consumed_qty;
			v->flags |= DD_CONSUMED;
		}
		if (dt->pricing == NULL) {
			if (has_qty)
				v->flags |= DD_PRICING;
		} else if (has_pq) {
			dt->pricing[idx >> DD_SHIFT][idx & (DD_CHUNK - 1)] += c->pricing_qty;
			v->flags |= DD_PRICING;
		}
	}
dims_done:

	/* rollup_resource */
	{
		struct v_resource *v;

		if (t && t->resource[positive] && t->resource_period == c->period_start) {
			v = gt_val(&a->resource, t->resource[positive] - 1);
			fresh = 0;
			goto resource;
		}
		k[0] = id[CT_PROVIDER];
		k[1] = id[CT_BILLING_ACCOUNT];
		k[2] = (uint64_t)c->period_start;
		k[3] = id[CT_CURRENCY];
		k[4] = id[CT_RESOURCE_ID];
		k[5] = id[CT_SUB_ACCOUNT];
		k[6] = id[CT_SERVICE_NAME];
		k[7] = id[CT_CHARGE_CATEGORY];
		k[8] = id[CT_X_USAGE_TYPE];
		k[9] = id[CT_REGION];
		k[10] = id[CT_X_INSTANCE_TYPE];
		k[11] = id[CT_X_PLATFORM];
		k[12] = id[CT_X_LINE_ITEM_TYPE];
		k[13] = positive;
		v = gt_get(a, &a->resource, k, &fresh);
		if (v == NULL)
			goto fail;
		if (t) {
			if (t->resource_period != c->period_start)
				t->resource[0] = t->resource[1] = 0;
			t->resource[positive] = gt_index(&a->resource, v) + 1;
			t->resource_period = c->period_start;
		}
resource:
		if (fresh) {
			v->min_start = cs;
			v->max_end = c->charge_end;
		}
		v->rows++;
		if (__builtin_add_overflow(v->billed, c->billed, &v->billed) ||
		    __builtin_add_overflow(v->effective, c->effective, &v->effective))
			goto fail;
		if (has_qty) {
			v->qty += c->consumed_qty;
			v->has_qty = 1;
		}
		if (cs < v->min_start)
			v->min_start = cs;
		if (c->charge_end > v->max_end)
			v->max_end = c->charge_end;
	}

	/* eligible instance usage: rollup_compute and rollup_instance_runs */
	if (positive && text_eq(c->text[CT_CHARGE_CATEGORY], "Usage") &&
	    id[CT_X_INSTANCE_TYPE] != 0 && id[CT_REGION] != 0) {
		int standard = text_eq(c->text[CT_PRICING_CATEGORY], "Standard");

		if (standard || text_eq(c->text[CT_PRICING_CATEGORY], "Committed")) {
			struct v_compute *v;
			k[0] = id[CT_PROVIDER];
			k[1] = id[CT_BILLING_ACCOUNT];
			k[2] = (uint64_t)c->period_start;
			k[3] = id[CT_CURRENCY];
			k[4] = id[CT_REGION];
			k[5] = id[CT_X_INSTANCE_TYPE];
			k[6] = id[CT_X_PLATFORM];
			k[7] = id[CT_PRICING_CATEGORY];
			k[8] = id[CT_CD_STATUS];
			k[9] = id[CT_X_LINE_ITEM_TYPE];
			k[10] = (uint64_t)cs;
			k[11] = (uint64_t)span;
			v = gt_get(a, &a->compute, k, &fresh);
			if (v == NULL)
				goto fail;
			v->rows++;
			v->qty += c->consumed_qty;
		}
		if (standard && id[CT_RESOURCE_ID] != 0) {
			struct v_run *r;
			double q = c->consumed_qty;

			if (t && t->run && t->run_period == c->period_start && t->run_span == span) {
				r = gt_val(&a->run, t->run - 1);
				fresh = 0;
				goto run;
			}
			k[0] = id[CT_PROVIDER];
			k[1] = id[CT_BILLING_ACCOUNT];
			k[2] = (uint64_t)c->period_start;
			k[3] = id[CT_CURRENCY];
			k[4] = id[CT_RESOURCE_ID];
			k[5] = id[CT_REGION];
			k[6] = id[CT_X_INSTANCE_TYPE];
			k[7] = id[CT_X_PLATFORM];
			k[8] = (uint64_t)span;
			r = gt_get(a, &a->run, k, &fresh);
			if (r == NULL)
				goto fail;
			if (t) {
				t->run = gt_index(&a->run, r) + 1;
				t->run_period = c->period_start;
				t->run_span = span;
			}
run:
			if (!fresh) {
				if (r->n == 1 && cs > r->first && q == r->qty) {
					r->step = cs - r->first;
					r->n = 2;
					return;
				}
				if (r->n >= 2 && cs == r->first + r->n * r->step && q == r->qty) {
					r->n++;
					return;
				}
				if (close_run(a, gt_index(&a->run, r), r) != 0)
					goto fail;
			}
			r->first = cs;
			r->step = 0;
			r->n = 1;
			r->qty = q;
		}
	}
	return;
fail:
	give_up(a);
}

static void
give_up_usage(struct rollup_agg *a)
{
	a->bytes -= strtab_bytes(&a->res) + (size_t)a->tcap * sizeof *a->t;
	free_usage(a);
	a->usage_failed = 1;
}

void
rollup_agg_metric(struct rollup_agg *a, const struct metric *m)
{
	struct touched *t;
	unsigned bit;
	uint32_t id;

	if (a->usage_failed)
		return;
	if (text_eq(m->metric, "cpu_utilization"))
		bit = 1;
	else if (text_eq(m->metric, "memory_utilization"))
		bit = 2;
	else if (text_eq(m->metric, "network_in_bytes") || text_eq(m->metric, "network_out_bytes") ||
		 text_eq(m->metric, "disk_read_ops") || text_eq(m->metric, "disk_write_ops"))
		bit = 4;
	else
		return;
	id = intern(a, &a->res, m->resource_id.s ? m->resource_id.s : "", m->resource_id.len);
	if (id == 0)
		goto fail;
	if (id > a->tcap) {
		uint32_t cap = a->tcap ? a->tcap * 2 : 256;
		struct touched *n;
		while (cap < id)
			cap *= 2;
		n = agg_realloc(a, a->t, (size_t)a->tcap * sizeof *n, (size_t)cap * sizeof *n);
		if (n == NULL)
			goto fail;
		memset(n + a->tcap, 0, (size_t)(cap - a->tcap) * sizeof *n);
		a->t = n;
		a->tcap = cap;
	}
	t = &a->t[id - 1];
	if (t->mask == 0) {
		t->min_ts = t->max_ts = m->ts;
	} else {
		if (m->ts < t->min_ts)
			t->min_ts = m->ts;
		if (m->ts > t->max_ts)
			t->max_ts = m->ts;
	}
	t->mask |= bit;
	return;
fail:
	give_up_usage(a);
}

/* ---- writing ---- */

static void
bind_key(sqlite3_stmt *st, const struct strtab *s, const uint64_t *k, int kw, unsigned ints)
{
	for (int i = 0; i < kw; i++) {
		if (ints & (1u << i)) {
			sqlite3_bind_int64(st, i + 2, (int64_t)k[i]);
		} else if (k[i] == 0) {
			sqlite3_bind_null(st, i + 2);
		} else {
			int len;
			const char *p = str_of(s, k[i], &len);
			sqlite3_bind_text(st, i + 2, p, len, SQLITE_STATIC);
		}
	}
}

static int
step_done(sqlite3 *db, sqlite3_stmt *st, struct ic_error *err)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_error(db, "writing the rollups", err);
	return 0;
}

#define Q1 "?,"
#define Q5 Q1 Q1 Q1 Q1 Q1

static int
write_charges(struct rollup_agg *a, sqlite3 *db, int64_t import_id, struct ic_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	/* rollup_daily */
	st = db_prepare(db, "INSERT INTO main.rollup_daily VALUES(" Q5 Q5 Q5 Q5 Q5 "?,?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->daily.n; i++) {
		const uint64_t *k = gt_ent(&a->daily, i) + 1;
		const struct v_daily *v = (const void *)(k + K_DAILY);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_DAILY, 1u << 2 | 1u << 3 | 1u << 16 | 1u << 17);
		sqlite3_bind_int64(st, 20, v->rows);
		sqlite3_bind_int64(st, 21, v->billed);
		sqlite3_bind_int64(st, 22, v->effective);
		if (v->has_list)
			sqlite3_bind_int64(st, 23, v->list);
		else
			sqlite3_bind_null(st, 23);
		if (v->has_qty)
			sqlite3_bind_double(st, 24, v->qty);
		else
			sqlite3_bind_null(st, 24);
		sqlite3_bind_int64(st, 25, v->min_start);
		sqlite3_bind_int64(st, 26, v->max_start);
		sqlite3_bind_int64(st, 27, v->max_end);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_compute */
	st = db_prepare(db, "INSERT INTO main.rollup_compute VALUES(" Q5 Q5 Q1 Q1 Q1 Q1 "?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->compute.n; i++) {
		const uint64_t *k = gt_ent(&a->compute, i) + 1;
		const struct v_compute *v = (const void *)(k + K_COMPUTE);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_COMPUTE, 1u << 2 | 1u << 10 | 1u << 11);
		sqlite3_bind_int64(st, 14, v->rows);
		sqlite3_bind_double(st, 15, v->qty);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_resource */
	st = db_prepare(db, "INSERT INTO main.rollup_resource VALUES(" Q5 Q5 Q5 Q5 "?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->resource.n; i++) {
		const uint64_t *k = gt_ent(&a->resource, i) + 1;
		const struct v_resource *v = (const void *)(k + K_RESOURCE);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_RESOURCE, 1u << 2 | 1u << 13);
		sqlite3_bind_int64(st, 16, v->rows);
		sqlite3_bind_int64(st, 17, v->billed);
		sqlite3_bind_int64(st, 18, v->effective);
		if (v->has_qty)
			sqlite3_bind_double(st, 19, v->qty);
		else
			sqlite3_bind_null(st, 19);
		sqlite3_bind_int64(st, 20, v->min_start);
		sqlite3_bind_int64(st, 21, v->max_end);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_dims_day */
	st = db_prepare(db, "INSERT INTO main.rollup_dims_day VALUES(" Q5 Q5 "?,?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->dd.n; i++) {
		const struct dd_ent *v = dd_at(&a->dd, i);
		const struct dd_period *p = &a->dd.period[v->period];
		uint32_t c = i >> DD_SHIFT, o = i & (DD_CHUNK - 1);

		sqlite3_bind_int64(st, 1, import_id);
		sqlite3_bind_int64(st, 2, p->start);
		sqlite3_bind_int64(st, 3, p->end);
		sqlite3_bind_int64(st, 4, (int64_t)v->dayno * 86400);
		sqlite3_bind_int64(st, 5, v->dim);
		sqlite3_bind_int64(st, 6, v->rows);
		sqlite3_bind_int64(st, 7, v->billed);
		sqlite3_bind_int64(st, 8, v->effective);
		if (v->flags & DD_LIST)
			sqlite3_bind_int64(st, 9, v->list);
		else
			sqlite3_bind_null(st, 9);
		if (v->flags & DD_CONTRACTED)
			sqlite3_bind_int64(st, 10, a->dd.contracted[c][o]);
		else
			sqlite3_bind_null(st, 10);
		if (v->flags & DD_CONSUMED)
			sqlite3_bind_double(st, 11, v->consumed);
		else
			sqlite3_bind_null(st, 11);
		if (v->flags & DD_PRICING)
			sqlite3_bind_double(st, 12, a->dd.pricing ? a->dd.pricing[c][o] : v->consumed);
		else
			sqlite3_bind_null(st, 12);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_instance_runs: the closed runs, then the open ones */
	st = db_prepare(db, "INSERT INTO main.rollup_instance_runs VALUES(" Q5 Q5 Q1 Q1 Q1 Q1 "?)", err);
	if (st == NULL)
		return -1;
	for (size_t i = 0; i < a->nclosed + a->run.n; i++) {
		const struct run_closed *rc = i < a->nclosed ? &a->closed[i] : NULL;
		uint32_t ent = rc ? rc->ent : (uint32_t)(i - a->nclosed);
		const uint64_t *k = gt_ent(&a->run, ent) + 1;
		const struct v_run *open = (const void *)(k + K_RUN);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_RUN, 1u << 2 | 1u << 8);
		sqlite3_bind_int64(st, 11, rc ? rc->first : open->first);
		sqlite3_bind_int64(st, 12, rc ? rc->step : open->step);
		sqlite3_bind_int64(st, 13, rc ? rc->n : open->n);
		sqlite3_bind_double(st, 14, rc ? rc->qty : open->qty);
		sqlite3_bind_int64(st, 15, 1);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

#define DIMS_DAY_SQL "INSERT INTO main.rollup_dims_day " ROLLUP_DIMS_DAY_SELECT \
	" WHERE id BETWEEN ? AND ?" ROLLUP_DIMS_DAY_GROUP

/* rollup_dims_day alone by its GROUP BY over the file's rowid range */
static int
write_dims_sql(sqlite3 *db, int64_t first, int64_t last, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, DIMS_DAY_SQL, err);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	r = step_done(db, st, err);
	sqlite3_finalize(st);
	return r;
}

/* the same groups by the rollups' GROUP BY over the file's rowid range */
static int
write_charges_sql(sqlite3 *db, int64_t first, int64_t last, struct ic_error *err)
{
	static const char *const sql[] = {
		"INSERT INTO main.rollup_daily " ROLLUP_DAILY_SELECT
			" WHERE id BETWEEN ? AND ?" ROLLUP_DAILY_GROUP,
		"INSERT INTO main.rollup_compute " ROLLUP_COMPUTE_SELECT
			" WHERE id BETWEEN ? AND ? AND " ROLLUP_COMPUTE_COND ROLLUP_COMPUTE_GROUP,
		"INSERT INTO main.rollup_resource " ROLLUP_RESOURCE_SELECT
			" WHERE id BETWEEN ? AND ?" ROLLUP_RESOURCE_GROUP,
		"INSERT INTO main.rollup_instance_runs " ROLLUP_RUNS_SELECT
			" WHERE id BETWEEN ? AND ? AND " ROLLUP_RUNS_COND ROLLUP_RUNS_GROUP,
		DIMS_DAY_SQL,
	};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = db_prepare(db, sql[i], err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, first);
		sqlite3_bind_int64(st, 2, last);
		if (step_done(db, st, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

static int64_t
day_of(int64_t ts)
{
	return ts - ts % 86400;
}

/* CAST(v * 10 + 0.5 AS INTEGER), as SQLite computes it */
static int64_t
hist_bin(double v)
{
	double x = v * 10 + 0.5;

	if (x <= (double)INT64_MIN)
		return INT64_MIN;
	if (x >= (double)INT64_MAX)
		return INT64_MAX;
	return (int64_t)x;
}

struct day_acc {
	int64_t cpu_n, mem_n, net_n, disk_n, min_ts, max_ts;
	double cpu_sum, net_sum, disk_sum;
};

struct bin_of {
	int metric;		/* 0 cpu, 1 memory */
	int64_t month, bin;
};

static int
cmp_bin_of(const void *a, const void *b)
{
	const struct bin_of *x = a, *y = b;

	if (x->metric != y->metric)
		return x->metric - y->metric;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->bin < y->bin ? -1 : x->bin > y->bin;
}

/* the usage statements of write_usage */
enum { U_READ, U_DEL_DAY, U_DEL_DAYS, U_INS_DAY, U_DEL_HIST, U_INS_HIST, U_SQL_DAY, U_SQL_HIST, NU };

static const char *const usage_sql[NU] = {
	[U_READ] = "SELECT metric, ts, value FROM usage WHERE resource_id = ? AND metric IN "
		ROLLUP_USAGE_METRICS " AND ts >= ? AND ts <= ? ORDER BY metric, ts",
	[U_DEL_DAY] = "DELETE FROM main.rollup_usage_day WHERE day = ? AND resource_id = ?",
	[U_DEL_DAYS] = "DELETE FROM main.rollup_usage_day WHERE day BETWEEN ? AND ? AND resource_id = ?",
	[U_INS_DAY] = "INSERT INTO main.rollup_usage_day VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	[U_DEL_HIST] = "DELETE FROM main.rollup_usage_hist"
		" WHERE resource_id = ? AND metric = ? AND month BETWEEN ? AND ?",
	[U_INS_HIST] = "INSERT INTO main.rollup_usage_hist VALUES(?,?,?,?,?)",
	/* for spans too long to keep in memory: the definitions, per resource */
	[U_SQL_DAY] = "INSERT INTO main.rollup_usage_day " ROLLUP_USAGE_DAY_SELECT
		" WHERE resource_id = ? AND ts >= ? AND ts <= ? AND metric IN " ROLLUP_USAGE_METRICS
		ROLLUP_USAGE_DAY_GROUP " HAVING ts - ts % 86400 BETWEEN ? AND ?",
	[U_SQL_HIST] = "INSERT INTO main.rollup_usage_hist SELECT resource_id, metric, ?,"
		" CAST(value * 10 + 0.5 AS INTEGER), COUNT(*) FROM usage"
		" WHERE resource_id = ? AND metric = ? AND ts >= ? AND ts < ?"
		" GROUP BY resource_id, metric, CAST(value * 10 + 0.5 AS INTEGER)",
};

static const char *const hist_metric[2] = { "cpu_utilization", "memory_utilization" };

/* the longest span of days (and months) recomputed in memory */
#define USAGE_MAX_DAYS 400

/*
 * Recompute one resource's usage rollups over the days and months its new
 * samples touched, from the usage table read once in key order (metric,
 * then time): the order the definitions' sums add in.
 */
static int
usage_resource(sqlite3 *db, sqlite3_stmt **st, const char *res, int len, const struct touched *t,
	       struct day_acc *days, struct bin_of **bins, size_t *bcap, struct ic_error *err)
{
	int64_t b0 = day_of(t->min_ts), b1 = day_of(t->max_ts), ndays = (b1 - b0) / 86400 + 1;
	int64_t m0 = month_start(t->min_ts), m1 = month_start(t->max_ts), lo, hi;
	size_t nb = 0;
	int r;

	/* every sample of a day bucket in [b0, b1] is less than a day from it */
	lo = b0 - 86399 < m0 ? b0 - 86399 : m0;
	hi = b1 + 86399 > month_next(m1) - 1 ? b1 + 86399 : month_next(m1) - 1;
	memset(days, 0, (size_t)ndays * sizeof *days);
	sqlite3_bind_text(st[U_READ], 1, res, len, SQLITE_STATIC);
	sqlite3_bind_int64(st[U_READ], 2, lo);
	sqlite3_bind_int64(st[U_READ], 3, hi);
	while ((r = sqlite3_step(st[U_READ])) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st[U_READ], 0);
		int64_t ts = sqlite3_column_int64(st[U_READ], 1), d = day_of(ts);
		double v = sqlite3_column_double(st[U_READ], 2);
		int hm = strcmp(m, "cpu_utilization") == 0 ? 0 :
			 strcmp(m, "memory_utilization") == 0 ? 1 : -1;

		if (d >= b0 && d <= b1) {
			struct day_acc *x = &days[(d - b0) / 86400];
			int first = x->cpu_n + x->mem_n + x->net_n + x->disk_n == 0;
			if (hm == 0) {
				x->cpu_n++;
				x->cpu_sum += v;
			} else if (hm == 1) {
				x->mem_n++;
			} else if (strncmp(m, "network_", 8) == 0) {
				x->net_n++;
				x->net_sum += v;
			} else {
				x->disk_n++;
				x->disk_sum += v;
			}
			if (first || ts < x->min_ts)
				x->min_ts = ts;
			if (first || ts > x->max_ts)
				x->max_ts = ts;
		}
		if (hm >= 0 && (t->mask & (1u << hm))) {
			int64_t ms = month_start(ts);
			if (ms >= m0 && ms <= m1) {
				if (nb == *bcap) {
					size_t cap = *bcap ? *bcap * 2 : 4096;
					struct bin_of *n = realloc(*bins, cap * sizeof *n);
					if (n == NULL) {
						sqlite3_reset(st[U_READ]);
						return ic_errorf(err, "out of memory");
					}
					*bins = n;
					*bcap = cap;
				}
				(*bins)[nb].metric = hm;
				(*bins)[nb].month = ms;
				(*bins)[nb].bin = hist_bin(v);
				nb++;
			}
		}
	}
	sqlite3_reset(st[U_READ]);
	if (r != SQLITE_DONE)
		return db_error(db, "reading usage for the rollups", err);

	for (int64_t i = 0; i < ndays; i++) {
		const struct day_acc *x = &days[i];
		sqlite3_stmt *s;

		sqlite3_bind_int64(st[U_DEL_DAY], 1, b0 + i * 86400);
		sqlite3_bind_text(st[U_DEL_DAY], 2, res, len, SQLITE_STATIC);
		if (step_done(db, st[U_DEL_DAY], err) != 0)
			return -1;
		if (x->cpu_n + x->mem_n + x->net_n + x->disk_n == 0)
			continue;
		s = st[U_INS_DAY];
		sqlite3_bind_int64(s, 1, b0 + i * 86400);
		sqlite3_bind_text(s, 2, res, len, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, x->cpu_n);
		if (x->cpu_n)
			sqlite3_bind_double(s, 4, x->cpu_sum);
		else
			sqlite3_bind_null(s, 4);
		sqlite3_bind_int64(s, 5, x->mem_n);
		sqlite3_bind_int64(s, 6, x->net_n);
		if (x->net_n)
			sqlite3_bind_double(s, 7, x->net_sum);
		else
			sqlite3_bind_null(s, 7);
		sqlite3_bind_int64(s, 8, x->disk_n);
		if (x->disk_n)
			sqlite3_bind_double(s, 9, x->disk_sum);
		else
			sqlite3_bind_null(s, 9);
		sqlite3_bind_int64(s, 10, x->min_ts);
		sqlite3_bind_int64(s, 11, x->max_ts);
		if (step_done(db, s, err) != 0)
			return -1;
	}

	for (int j = 0; j < 2; j++) {
		if (!(t->mask & (1u << j)))
			continue;
		sqlite3_bind_text(st[U_DEL_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_DEL_HIST], 2, hist_metric[j], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_DEL_HIST], 3, m0);
		sqlite3_bind_int64(st[U_DEL_HIST], 4, m1);
		if (step_done(db, st[U_DEL_HIST], err) != 0)
			return -1;
	}
	if (nb > 1)
		qsort(*bins, nb, sizeof **bins, cmp_bin_of);
	for (size_t i = 0; i < nb;) {
		size_t k = i;
		while (k < nb && cmp_bin_of(&(*bins)[k], &(*bins)[i]) == 0)
			k++;
		sqlite3_bind_text(st[U_INS_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_INS_HIST], 2, hist_metric[(*bins)[i].metric], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_INS_HIST], 3, (*bins)[i].month);
		sqlite3_bind_int64(st[U_INS_HIST], 4, (*bins)[i].bin);
		sqlite3_bind_int64(st[U_INS_HIST], 5, (int64_t)(k - i));
		if (step_done(db, st[U_INS_HIST], err) != 0)
			return -1;
		i = k;
	}
	return 0;
}

/* the same with the definitions in SQL, for a span of many days */
static int
usage_resource_sql(sqlite3 *db, sqlite3_stmt **st, const char *res, int len,
		   const struct touched *t, struct ic_error *err)
{
	int64_t b0 = day_of(t->min_ts), b1 = day_of(t->max_ts);
	int64_t m0 = month_start(t->min_ts), m1 = month_start(t->max_ts);

	sqlite3_bind_int64(st[U_DEL_DAYS], 1, b0);
	sqlite3_bind_int64(st[U_DEL_DAYS], 2, b1);
	sqlite3_bind_text(st[U_DEL_DAYS], 3, res, len, SQLITE_STATIC);
	if (step_done(db, st[U_DEL_DAYS], err) != 0)
		return -1;
	sqlite3_bind_text(st[U_SQL_DAY], 1, res, len, SQLITE_STATIC);
	sqlite3_bind_int64(st[U_SQL_DAY], 2, b0 - 86399);
	sqlite3_bind_int64(st[U_SQL_DAY], 3, b1 + 86399);
	sqlite3_bind_int64(st[U_SQL_DAY], 4, b0);
	sqlite3_bind_int64(st[U_SQL_DAY], 5, b1);
	if (step_done(db, st[U_SQL_DAY], err) != 0)
		return -1;
	for (int j = 0; j < 2; j++) {
		if (!(t->mask & (1u << j)))
			continue;
		sqlite3_bind_text(st[U_DEL_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_DEL_HIST], 2, hist_metric[j], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_DEL_HIST], 3, m0);
		sqlite3_bind_int64(st[U_DEL_HIST], 4, m1);
		if (step_done(db, st[U_DEL_HIST], err) != 0)
			return -1;
		for (int64_t m = m0; m <= m1; m = month_next(m)) {
			sqlite3_bind_int64(st[U_SQL_HIST], 1, m);
			sqlite3_bind_text(st[U_SQL_HIST], 2, res, len, SQLITE_STATIC);
			sqlite3_bind_text(st[U_SQL_HIST], 3, hist_metric[j], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st[U_SQL_HIST], 4, m);
			sqlite3_bind_int64(st[U_SQL_HIST], 5, month_next(m));
			if (step_done(db, st[U_SQL_HIST], err) != 0)
				return -1;
		}
	}
	return 0;
}

static int
write_usage(struct rollup_agg *a, sqlite3 *db, struct ic_error *err)
{
	sqlite3_stmt *st[NU] = { NULL };
	struct day_acc *days = malloc(USAGE_MAX_DAYS * sizeof *days);
	struct bin_of *bins = NULL;
	size_t bcap = 0;
	int ret = -1;

	if (days == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < NU; i++)
		if ((st[i] = db_prepare(db, usage_sql[i], err)) == NULL)
			goto out;
	for (uint32_t id = 1; id <= a->res.n; id++) {
		const struct touched *t = &a->t[id - 1];
		int len, r;
		const char *res = str_of(&a->res, id, &len);

		if (t->mask == 0)
			continue;
		if ((day_of(t->max_ts) - day_of(t->min_ts)) / 86400 < USAGE_MAX_DAYS)
			r = usage_resource(db, st, res, len, t, days, &bins, &bcap, err);
		else
			r = usage_resource_sql(db, st, res, len, t, err);
		if (r != 0)
			goto out;
	}
	ret = 0;
out:
	for (int i = 0; i < NU; i++)
		sqlite3_finalize(st[i]);
	free(days);
	free(bins);
	return ret;
}

int
rollup_agg_write(struct rollup_agg *a, sqlite3 *db, int64_t import_id,
		 int64_t first_rowid, int64_t last_rowid, unsigned skip, struct ic_error *err)
{
	if (first_rowid != 0 && !(skip & ROLLUP_CHARGES)) {
		if (a->failed) {
			if (write_charges_sql(db, first_rowid, last_rowid, err) != 0)
				return -1;
		} else if (write_charges(a, db, import_id, err) != 0 ||
			   (a->dims_failed && write_dims_sql(db, first_rowid, last_rowid, err) != 0)) {
			return -1;
		}
	}
	if (skip & ROLLUP_USAGE)
		return 0;
	if (a->usage_failed)
		return rollup_rebuild(db, ROLLUP_USAGE, err);
	if (a->res.n > 0)
		return write_usage(a, db, err);
	return 0;
}
