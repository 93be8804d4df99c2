/*
 * rollup-agg-tab.c - the tables of the import-time rollup aggregator
 * (rollup-agg.c): its memory budget, interned strings, the group tables
 * of the rollups and the compact table of rollup_dims_day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/rollup-agg-int.h"

/* ---- memory ---- */


void *
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

size_t
strtab_bytes(const struct strtab *t)
{
	return (t->slot ? (size_t)(t->mask + 1) * sizeof *t->slot : 0) +
	       (size_t)t->ecap * sizeof *t->e + t->bcap;
}

void
strtab_free(struct strtab *t)
{
	free(t->slot);
	free(t->e);
	free(t->buf);
	memset(t, 0, sizeof *t);
}

/* id of s[0..len) (1-based); 0 when out of memory */
uint32_t
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

const char *
str_of(const struct strtab *t, uint64_t id, int *len)
{
	const struct sent *e = &t->e[id - 1];

	*len = (int)e->len;
	return t->buf + e->off;
}

void
gt_init(struct gtab *t, int kw, size_t vsize)
{
	memset(t, 0, sizeof *t);
	t->kw = kw;
	t->vsize = vsize;
	t->esize = (size_t)(kw + 1) * 8 + vsize;
}

void
gt_free(struct gtab *t)
{
	free(t->e);
	free(t->slot);
	t->e = NULL;
	t->slot = NULL;
	t->n = t->ecap = 0;
	t->last = 0;
}

uint64_t *
gt_ent(const struct gtab *t, uint32_t i)
{
	return (uint64_t *)(void *)(t->e + (size_t)i * t->esize);
}

/* the value of key (zeroed and *fresh = 1 when new); NULL on ENOMEM */
void *
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
void *
gt_val(const struct gtab *t, uint32_t i)
{
	return gt_ent(t, i) + 1 + t->kw;
}

/* the entry index of a value gt_get returned */
uint32_t
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

struct dd_ent *
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

void
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
int
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
int
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
struct dd_ent *
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
