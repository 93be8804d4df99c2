/*
 * rollup-agg-int.h - what the parts of the import-time rollup aggregator
 * share (private to rollup-agg.c, rollup-agg-tab.c and rollup-agg-write.c):
 * its tables and the functions one part calls in another.  Pointers
 * returned point into the aggregator's tables and are owned by it.
 */
#ifndef IMCOST_ROLLUP_AGG_INT_H
#define IMCOST_ROLLUP_AGG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/db.h"
#include "common/rollup.h"
#include "importers/rollup-agg.h"

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

/* dim, res: the charge_dims and resources rows of one of the group's
 * charges, which rollup_resource_data stores for the group's texts */
struct v_resource {
	int64_t rows, billed, effective, min_start, max_end;
	double qty;
	int64_t has_qty;
	int64_t dim, res;
};

/* the open run of a (resource, type, span); dim, res as above */
struct v_run {
	int64_t first, step, n;
	double qty;
	int64_t dim, res;
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

void
give_up_dims(struct rollup_agg *a);
void *
agg_realloc(struct rollup_agg *a, void *p, size_t old, size_t n);
size_t
strtab_bytes(const struct strtab *t);
void
strtab_free(struct strtab *t);
uint32_t
intern(struct rollup_agg *a, struct strtab *t, const char *s, size_t len);
const char *
str_of(const struct strtab *t, uint64_t id, int *len);
void
gt_init(struct gtab *t, int kw, size_t vsize);
void
gt_free(struct gtab *t);
uint64_t *
gt_ent(const struct gtab *t, uint32_t i);
void *
gt_get(struct rollup_agg *a, struct gtab *t, const uint64_t *key, int *fresh);
void *
gt_val(const struct gtab *t, uint32_t i);
uint32_t
gt_index(const struct gtab *t, const void *v);
struct dd_ent *
dd_at(const struct ddtab *t, uint32_t i);
void
dd_free(struct ddtab *t);
int
dd_period(struct rollup_agg *a, struct ddtab *t, int64_t start, int64_t end);
int
dd_materialize(struct rollup_agg *a, struct ddtab *t, int which);
struct dd_ent *
dd_get(struct rollup_agg *a, struct ddtab *t, uint32_t dim, int32_t dayno, uint16_t period,
       uint32_t *idx);

#endif
