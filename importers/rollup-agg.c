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
 *
 * The tables (memory budget, interned strings, group tables, the
 * rollup_dims_day table) are in rollup-agg-tab.c, the writing in
 * rollup-agg-write.c, shared through rollup-agg-int.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/rollup-agg-int.h"

/* Past this much memory the aggregator gives up (see rollup-agg.h); the
 * environment variable IMCOST_ROLLUP_AGG_MAX (bytes) lowers it, for the
 * tests of the fallback. */
#define AGG_MAX_BYTES ((size_t)16 << 20)

/* the charge text columns the rollups use */
static const int used_cols[] = {
	CT_CURRENCY, CT_PROVIDER, CT_BILLING_ACCOUNT, CT_SUB_ACCOUNT, CT_CHARGE_CATEGORY,
	CT_PRICING_CATEGORY, CT_CD_ID, CT_CD_TYPE, CT_CD_STATUS, CT_SERVICE_NAME, CT_REGION,
	CT_RESOURCE_ID, CT_X_INSTANCE_TYPE, CT_X_USAGE_TYPE, CT_X_PLATFORM, CT_X_LINE_ITEM_TYPE
};
#define NUSED ((int)(sizeof used_cols / sizeof used_cols[0]))

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
void
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
		  int64_t res_id, struct rollup_texts *t)
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
			v->dim = dim_id;
			v->res = res_id;
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
			if (fresh) {
				r->dim = dim_id;
				r->res = res_id;
			}
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
