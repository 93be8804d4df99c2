/*
 * rightsizing.c - instances that fit in the next smaller size.
 *
 * Query: a histogram of each resource's cpu_utilization and
 * memory_utilization samples rounded to 0.1 point (portable SQL: no
 * percentile function is needed), and each instance's type, region and
 * hours from the charges of the analyzed period (the latest type when it
 * changed).  Instances the idle analysis flags are left out (they are for
 * stopping, not resizing).
 *
 * Compute: the --rightsize-percentile P (default 99.5, AWS Compute
 * Optimizer's default CPU threshold; 95 keeps the older, more aggressive
 * rule) by the nearest-rank method over the rounded samples (so within
 * 0.05 point of the exact one; exact for samples with one decimal).  The
 * next smaller size is the catalog entry of the same provider, region,
 * platform and family (the part of the type before the first '.') with
 * the largest (vcpu, memory_gib) below the current one's.  It is
 * recommended when the P-th percentile CPU x vcpu_now / vcpu_smaller <=
 * --rightsize-cpu (default 80: Compute Optimizer's default 20% headroom)
 * and, when memory is measured, the same percentile of memory x
 * memory_now / memory_smaller <= --rightsize-memory, with at least
 * --rightsize-min-hours CPU samples.  A host at 30-35% with bursts to 95%
 * in 4% of its hours stays: its p99.5 is the burst.  Monthly savings = the on-demand
 * price difference x 730 x the share of the period the instance ran.
 *
 * JSON: rightsizing{recommendations[] (resource_id, region,
 * instance_type, recommended_type, percentile, cpu_at_percentile,
 * projected_cpu, memory_at_percentile, projected_memory,
 * on_demand_hourly, recommended_hourly, monthly_savings, currency,
 * samples, evidence), hours_per_month, percentile, headroom, notes[]}.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/analyzer.h"
#include "analyzers/columns.h"
#include "analyzers/anutil.h"
#include "analyzers/catalog.h"
#include "analyzers/idle.h"
#include "analyzers/rollups.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"

/* a sparse histogram: (bucket, count) pairs in increasing bucket order */
struct hist {
	long *b, *c;
	int n, cap;
};

struct inst {
	char *id, *provider, *region, *itype, *platform, *currency;
	struct hist cpu, mem;
	long ncpu, nmem;
	double hours;
	int64_t t0, t1;
	int idle;
	/* results */
	const struct catalog_entry *now, *to;
	double cpu95, mem95, pcpu, pmem;
	int64_t savings;
};

struct rs {
	struct inst *in;
	int n;
	int unpriced, short_data;
	int oom;
	long eligible, assessed, no_cpu;	/* coverage of the bill's instances */
	int min_hours;
};

static void
rs_free(void *p)
{
	struct rs *r = p;

	if (r == NULL)
		return;
	for (int i = 0; i < r->n; i++) {
		struct inst *x = &r->in[i];
		free(x->id);
		free(x->provider);
		free(x->region);
		free(x->itype);
		free(x->platform);
		free(x->currency);
		free(x->cpu.b);
		free(x->cpu.c);
		free(x->mem.b);
		free(x->mem.c);
	}
	free(r->in);
	free(r);
}

static struct inst *
inst(struct rs *r, const char *id, int create)
{
	struct inst *x;

	for (int i = 0; i < r->n; i++)
		if (strcmp(r->in[i].id, id) == 0)
			return &r->in[i];
	if (!create)
		return NULL;
	x = realloc(r->in, (size_t)(r->n + 1) * sizeof *x);
	if (x == NULL) {
		r->oom = 1;
		return NULL;
	}
	r->in = x;
	x = &r->in[r->n++];
	memset(x, 0, sizeof *x);
	if ((x->id = strdup(id)) == NULL)
		r->oom = 1;
	return x;
}

static int
hist_add(struct hist *h, long b, long n)
{
	if (h->n == h->cap) {
		int cap = h->cap ? 2 * h->cap : 64;
		long *nb = realloc(h->b, (size_t)cap * sizeof *nb), *nc;
		if (nb == NULL)
			return -1;
		h->b = nb;
		nc = realloc(h->c, (size_t)cap * sizeof *nc);
		if (nc == NULL)
			return -1;
		h->c = nc;
		h->cap = cap;
	}
	h->b[h->n] = b;
	h->c[h->n] = n;
	h->n++;
	return 0;
}

/* resource_id, metric, bucket, count; ordered by resource, metric, bucket */
static int
hist_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct rs *r = arg;
	struct inst *x;
	long b = (long)engine_column_int64(st, 2), n = (long)engine_column_int64(st, 3);
	int mem = strcmp(an_text(st, 1), "memory_utilization") == 0;

	if (strcmp(an_text(st, 0), "service") == 0)
		return 0;
	x = r->n && strcmp(r->in[r->n - 1].id, an_text(st, 0)) == 0 ? &r->in[r->n - 1] :
		inst(r, an_text(st, 0), 1);
	if (x == NULL || hist_add(mem ? &x->mem : &x->cpu, b, n) != 0)
		return ic_errorf(err, "out of memory");
	if (mem)
		x->nmem += n;
	else
		x->ncpu += n;
	return 0;
}

/* ResourceId, provider, region, itype, platform, currency, hours, t0, t1 */
static int
type_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct rs *r = arg;
	struct inst *x = inst(r, an_text(st, 0), 0);
	int64_t t1 = engine_column_int64(st, 8);

	if (x == NULL)
		return r->oom ? ic_errorf(err, "out of memory") : 0;
	if (x->itype && t1 <= x->t1) {
		x->hours += engine_column_double(st, 6);
		return 0;
	}
	free(x->provider);
	free(x->region);
	free(x->itype);
	free(x->platform);
	free(x->currency);
	x->provider = an_strdup(st, 1, &r->oom);
	x->region = an_strdup(st, 2, &r->oom);
	x->itype = an_strdup(st, 3, &r->oom);
	x->platform = an_strdup(st, 4, &r->oom);
	x->currency = an_strdup(st, 5, &r->oom);
	x->hours += engine_column_double(st, 6);
	if (x->t0 == 0 || engine_column_int64(st, 7) < x->t0)
		x->t0 = engine_column_int64(st, 7);
	x->t1 = t1;
	return r->oom ? ic_errorf(err, "out of memory") : 0;
}

static int
idle_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct inst *x = inst(arg, an_text(st, 0), 0);

	(void)err;
	if (x)
		x->idle = 1;
	return 0;
}

/* the nearest rank of the q-th percentile (0 < q <= 100) of n samples */
static long
pct_rank(double q, long n)
{
	long rank = (long)ceil(q / 100.0 * (double)n - 1e-9);
	return rank < 1 ? 1 : rank > n ? n : rank;
}

/* nearest-rank q-th percentile of the rounded samples */
static double
pctl(const struct hist *h, long n, double q)
{
	long rank = pct_rank(q, n), acc = 0;

	for (int i = 0; i < h->n; i++) {
		acc += h->c[i];
		if (acc >= rank)
			return (double)h->b[i] / 10.0;
	}
	return 100;
}

/* resource_id, cpu samples, memory samples (rollup_usage_day), in
 * resource order */
static int
count_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct rs *r = arg;
	struct inst *x;

	if (strcmp(an_text(st, 0), "service") == 0)
		return 0;
	x = inst(r, an_text(st, 0), 1);
	if (x == NULL || r->oom)
		return ic_errorf(err, "out of memory");
	x->ncpu = (long)engine_column_int64(st, 1);
	x->nmem = (long)engine_column_int64(st, 2);
	return 0;
}

/*
 * p95 as p95() computes it, over the histograms of rollup_usage_hist:
 * the nearest-rank bin is, reading from the top bin down, the first whose
 * count, with the counts above it, exceeds n - rank (n = the samples
 * rollup_usage_day counts).  One query for every resource (ClickHouse
 * takes no text parameters), in the table's key order (resource, metric,
 * month, bin: SQLite reads it without sorting); each (resource, metric)
 * group's bins of all months are gathered, sorted and read from the top.
 */
struct top {
	struct rs *r;
	int cur;		/* where the last resource was found in r->in */
	char *id;		/* the current group's resource (owned) */
	int mem;		/* the current group's metric */
	struct inst *x;		/* its instance, NULL: skip the group */
	struct hist h;		/* its bins and counts, of every month */
	int sorted;		/* h.b is in increasing order */
	double q;		/* the percentile */
};

/* r->in[] is in resource order (count_row): look ahead from the last hit
 * before searching the whole array */
static struct inst *
top_inst(struct top *t, const char *id)
{
	struct rs *r = t->r;

	while (t->cur < r->n && strcmp(r->in[t->cur].id, id) < 0)
		t->cur++;
	if (t->cur < r->n && strcmp(r->in[t->cur].id, id) == 0)
		return &r->in[t->cur];
	return inst(r, id, 0);
}

struct bin_count {
	long b, c;
};

static int
cmp_bin(const void *a, const void *b)
{
	const struct bin_count *x = a, *y = b;
	return x->b < y->b ? -1 : x->b > y->b;
}

/* p95 of the gathered group into its instance.  The counts of one bin in
 * several months may be summed in any order: the bin found is the same. */
static int
top_done(struct top *t)
{
	struct hist *h = &t->h;
	long n, limit, acc = 0;
	double v = 100;

	if (t->x == NULL || h->n == 0)
		return 0;
	if (!t->sorted) {
		struct bin_count *bc = malloc((size_t)h->n * sizeof *bc);
		if (bc == NULL)
			return -1;
		for (int i = 0; i < h->n; i++) {
			bc[i].b = h->b[i];
			bc[i].c = h->c[i];
		}
		qsort(bc, (size_t)h->n, sizeof *bc, cmp_bin);
		for (int i = 0; i < h->n; i++) {
			h->b[i] = bc[i].b;
			h->c[i] = bc[i].c;
		}
		free(bc);
	}
	n = t->mem ? t->x->nmem : t->x->ncpu;
	limit = n - pct_rank(t->q, n);
	for (int i = h->n - 1; i >= 0; i--) {
		acc += h->c[i];
		if (acc > limit) {
			v = (double)h->b[i] / 10.0;
			break;
		}
	}
	*(t->mem ? &t->x->mem95 : &t->x->cpu95) = v;
	return 0;
}

/* resource_id, metric, bin, count; in (resource, metric, month, bin) order */
static int
top_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct top *t = arg;
	const char *id = an_text(st, 0);
	int mem = strcmp(an_text(st, 1), "memory_utilization") == 0;
	long b = (long)engine_column_int64(st, 2);

	if (t->id == NULL || t->mem != mem || strcmp(t->id, id) != 0) {
		/* a new group */
		if (top_done(t) != 0)
			return ic_errorf(err, "out of memory");
		free(t->id);
		if ((t->id = strdup(id)) == NULL)
			return ic_errorf(err, "out of memory");
		t->mem = mem;
		t->x = strcmp(id, "service") == 0 ? NULL : top_inst(t, id);
		t->h.n = 0;
		t->sorted = 1;
	}
	if (t->x == NULL)
		return 0;
	if (t->h.n > 0 && b < t->h.b[t->h.n - 1])
		t->sorted = 0;
	if (hist_add(&t->h, b, (long)engine_column_int64(st, 3)) != 0)
		return ic_errorf(err, "out of memory");
	return 0;
}

static int
family_eq(const char *a, const char *b)
{
	size_t la = strcspn(a, "."), lb = strcspn(b, ".");
	return la == lb && strncasecmp(a, b, la) == 0 && a[la] == '.' && b[lb] == '.';
}

static const struct catalog_entry *
next_smaller(const struct catalog *c, const struct catalog_entry *now)
{
	const struct catalog_entry *best = NULL;
	char p1[64], p2[64], f1[64], f2[64];

	catalog_fold_provider(now->provider, p1, sizeof p1);
	catalog_fold_platform(now->platform, f1, sizeof f1);
	for (int i = 0; i < c->n; i++) {
		const struct catalog_entry *e = &c->e[i];
		if (e == now || e->vcpu <= 0 || !family_eq(e->instance_type, now->instance_type) ||
		    strcasecmp(e->region, now->region) != 0 ||
		    strcmp(catalog_fold_provider(e->provider, p2, sizeof p2), p1) != 0 ||
		    strcmp(catalog_fold_platform(e->platform, f2, sizeof f2), f1) != 0 ||
		    strcasecmp(e->currency ? e->currency : "USD", now->currency ? now->currency : "USD") != 0)
			continue;
		if (!(e->vcpu < now->vcpu || (e->vcpu == now->vcpu && e->memory_gib < now->memory_gib)))
			continue;
		if (best == NULL || e->vcpu > best->vcpu ||
		    (e->vcpu == best->vcpu && e->memory_gib > best->memory_gib))
			best = e;
	}
	return best;
}

/* Prepare sql, bind ?1 = start and ?2 = end, run row over the result. */
static int
run(const struct analysis_ctx *ctx, const char *sql, int64_t start, int64_t end,
    int (*row)(void *, struct engine_stmt *, struct ic_error *), void *arg, const char *what,
    struct ic_error *err)
{
	struct engine_stmt *st = an_prepare(ctx, sql, err);

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, start);
	engine_bind_int64(st, 2, end);
	return an_each(st, what, row, arg, err);
}

static int
rs_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	struct rs *r = calloc(1, sizeof *r);
	struct engine_stmt *st;
	int cut, whole;

	if (r == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0 || an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
		goto fail;
	/* whole months: sample counts from rollup_usage_day, p95 from the
	 * histograms of rollup_usage_hist; else histograms of the samples */
	whole = !cut && ctx->end > ctx->start && ctx->start == month_start(ctx->start) &&
		ctx->end == month_start(ctx->end);
	if (run(ctx, whole ?
		"SELECT resource_id, SUM(cpu_n) AS ncpu, SUM(mem_n) AS nmem FROM rollup_usage_day"
		" WHERE " AN_USAGE_DAYS_IN " AND (cpu_n > 0 OR mem_n > 0)"
		" GROUP BY resource_id ORDER BY resource_id" :
		"SELECT resource_id, metric, $int(value * 10 + 0.5) AS bucket, COUNT(*) AS cnt FROM usage"
		" WHERE ts >= ?1 AND ts < ?2 AND metric IN ('cpu_utilization', 'memory_utilization')"
		" GROUP BY resource_id, metric, $int(value * 10 + 0.5)"
		" ORDER BY resource_id, metric, bucket", ctx->start, ctx->end,
		whole ? count_row : hist_row, r, "summarizing utilization", err) != 0)
		goto fail;
	/* instance hours from rollup_resource, for the resources with CPU
	 * samples in the period ([?1, ?2) is both the billing periods and the
	 * metrics' time); per resource by the end of its charges, the latest
	 * last (type_row keeps its type) */
	if (run(ctx, !cut ?
		"SELECT ResourceId, ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" SUM(ConsumedQuantity) AS hours, MIN(min_start) AS t0, MAX(max_end) AS t1"
		" FROM rollup_resource"
		" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'"
		" AND x_InstanceType IS NOT NULL AND x_InstanceType <> '' AND ResourceId IS NOT NULL"
		" AND positive = 1"
		" AND ResourceId IN (SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN
		"  AND cpu_n > 0)"
		" AND (x_LineItemType IS NULL OR x_LineItemType <> 'SavingsPlanNegation')"
		" GROUP BY ResourceId, ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency"
		" ORDER BY ResourceId, t1, ProviderName, RegionId NULLS FIRST, x_InstanceType,"
		" x_Platform NULLS FIRST, BillingCurrency" :
		"SELECT ResourceId, ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" SUM(ConsumedQuantity) AS hours, MIN(min_start) AS t0, MAX(max_end) AS t1"
		" FROM rollup_resource"
		" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'"
		" AND x_InstanceType IS NOT NULL AND x_InstanceType <> '' AND ResourceId IS NOT NULL"
		" AND positive = 1"
		" AND ResourceId IN (SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2"
		"  AND metric = 'cpu_utilization')"
		" AND (x_LineItemType IS NULL OR x_LineItemType <> 'SavingsPlanNegation')"
		" GROUP BY ResourceId, ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency"
		" ORDER BY ResourceId, t1, ProviderName, RegionId NULLS FIRST, x_InstanceType,"
		" x_Platform NULLS FIRST, BillingCurrency", ctx->start, ctx->end, type_row, r,
		"reading instance types", err) != 0)
		goto fail;
	st = an_prepare(ctx, !cut ? AN_IDLE_INSTANCES_SQL : IDLE_INSTANCES_SQL, err);
	if (st == NULL)
		goto fail;
	an_idle_bind(st, ctx->start, ctx->end, o);
	if (an_each(st, "finding idle instances", idle_row, r, err) != 0)
		goto fail;
	if (whole) {
		/* p95 of every instance's CPU and memory: one pass over the
		 * histograms of the period's months */
		struct top t = { .r = r, .q = o->rs_percentile };
		int rc;

		for (int i = 0; i < r->n; i++)
			r->in[i].cpu95 = r->in[i].mem95 = 100;
		rc = run(ctx, "SELECT resource_id, metric, bin, n AS cnt FROM rollup_usage_hist"
			 " WHERE month >= ?1 AND month < ?2 ORDER BY resource_id, metric, month, bin",
			 ctx->start, ctx->end, top_row, &t, "reading utilization histograms", err);
		if (rc == 0 && top_done(&t) != 0)
			rc = ic_errorf(err, "out of memory");
		free(t.id);
		free(t.h.b);
		free(t.h.c);
		if (rc != 0)
			goto fail;
	}

	{
		struct an_coverage cov;

		if (an_metric_coverage(ctx, &cov, err) != 0)
			goto fail;
		r->eligible = cov.instances;
		r->no_cpu = cov.instances - cov.inst_cpu;
		r->min_hours = o->rs_min_hours;
	}
	for (int i = 0; i < r->n; i++) {
		struct inst *x = &r->in[i];
		double span;

		if (x->itype != NULL && x->ncpu > 0 && (x->idle || x->ncpu >= o->rs_min_hours))
			r->assessed++;	/* less the unpriced, below */
		if (x->itype == NULL || x->idle || x->ncpu == 0)
			continue;
		if (x->ncpu < o->rs_min_hours) {
			r->short_data++;
			continue;
		}
		x->now = catalog_find(ctx->catalog, x->provider, x->region, x->itype, x->platform);
		if (x->now == NULL || x->now->vcpu <= 0 ||
		    (x->currency && x->now->currency && strcasecmp(x->currency, x->now->currency) != 0)) {
			x->now = NULL;
			r->unpriced++;
			continue;
		}
		x->to = next_smaller(ctx->catalog, x->now);
		if (x->to == NULL)
			continue;
		if (!whole)
			x->cpu95 = pctl(&x->cpu, x->ncpu, o->rs_percentile);
		x->pcpu = x->cpu95 * x->now->vcpu / x->to->vcpu;
		if (x->pcpu > o->rs_cpu_target) {
			x->to = NULL;
			continue;
		}
		if (x->nmem > 0) {
			if (!whole)
				x->mem95 = pctl(&x->mem, x->nmem, o->rs_percentile);
			if (x->now->memory_gib <= 0 || x->to->memory_gib <= 0) {
				x->to = NULL;
				continue;
			}
			x->pmem = x->mem95 * x->now->memory_gib / x->to->memory_gib;
			if (x->pmem > o->rs_mem_target) {
				x->to = NULL;
				continue;
			}
		}
		span = (double)(x->t1 - x->t0) / 3600.0;
		x->savings = an_nanos((double)(x->now->on_demand_hourly - x->to->on_demand_hourly) *
				      HOURS_PER_MONTH * (span > 0 && x->hours < span ? x->hours / span : 1));
		if (x->savings <= 0)
			x->to = NULL;
	}
	*out = r;
	return 0;
fail:
	rs_free(r);
	return -1;
}

static const struct table_col rs_cols[] = {
	{ "resource_id", "Instance", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Type", CELL_TEXT, 0 },
	{ "recommended_type", "Smaller", CELL_TEXT, 0 },
	{ "percentile", "Pctl", CELL_NUM, 1 },
	{ "cpu_at_percentile", "CPU", CELL_NUM, 1 },
	{ "projected_cpu", "After", CELL_NUM, 1 },
	{ "memory_at_percentile", "Mem", CELL_NUM, 1 },
	{ "projected_memory", "After", CELL_NUM, 1 },
	{ "on_demand_hourly", "Price/h", CELL_MONEY, 0 },
	{ "recommended_hourly", "Smaller/h", CELL_MONEY, 0 },
	{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "samples", "Samples", CELL_INT, 0 },
	{ "evidence", "Evidence", CELL_TEXT, 0 },
};

const struct table_colset rightsizing_columns = { rs_cols, (int)(sizeof rs_cols / sizeof rs_cols[0]) };

static int
cmp_inst(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;
	if (x->savings != y->savings)
		return x->savings > y->savings ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* a percentile as "99.5" or "95" into b (16 bytes) */
static void
pfmt(double q, char *b)
{
	snprintf(b, 16, "%.1f", q);
	if (strlen(b) > 2 && strcmp(b + strlen(b) - 2, ".0") == 0)
		b[strlen(b) - 2] = '\0';
}

static int
rs_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct rs *r = p;
	const struct analysis_opts *o = analysis_opts(ctx);
	struct table *t = table_new("Rightsizing (next smaller size with headroom)", rs_cols, 15);
	char line[200], ev[320], q[16];
	int bad = 0, rows = 0, n;

	if (t == NULL)
		return ic_errorf(err, "out of memory");
	if (r->n > 1)
		qsort(r->in, (size_t)r->n, sizeof *r->in, cmp_inst);
	for (int i = 0; i < r->n; i++) {
		const struct inst *x = &r->in[i];
		int row;
		if (x->to == NULL)
			continue;
		if ((row = table_add_row(t)) < 0) {
			bad = 1;
			break;
		}
		rows++;
		bad |= table_set_text(t, row, 0, x->id) | table_set_text(t, row, 1, x->region) |
		       table_set_text(t, row, 2, x->itype) | table_set_text(t, row, 3, x->to->instance_type) |
		       table_set_text(t, row, 12, x->currency);
		table_set_num(t, row, 4, o->rs_percentile);
		table_set_num(t, row, 5, x->cpu95);
		table_set_num(t, row, 6, x->pcpu);
		if (x->nmem) {
			table_set_num(t, row, 7, x->mem95);
			table_set_num(t, row, 8, x->pmem);
		}
		table_set_money(t, row, 9, x->now->on_demand_hourly);
		table_set_money(t, row, 10, x->to->on_demand_hourly);
		table_set_money(t, row, 11, x->savings);
		{
			char act[160], grp[200];
			snprintf(act, sizeof act, "resize %s to %s in %s", x->itype, x->to->instance_type,
				 x->region ? x->region : "its region");
			savings_group(x->region, x->itype, grp, sizeof grp);
			emit_saving(e, SAV_RIGHTSIZING, x->currency, x->savings, x->id, grp, act);
		}
		table_set_int(t, row, 13, x->ncpu);
		pfmt(o->rs_percentile, q);
		n = snprintf(ev, sizeof ev, "p%s CPU %.1f%% on %s -> %.1f%% on %s, at most %.1f%%"
			     " (%.1f%% headroom)", q, x->cpu95, x->itype, x->pcpu,
			     x->to->instance_type, o->rs_cpu_target, 100 - o->rs_cpu_target);
		if (x->nmem && n > 0 && (size_t)n < sizeof ev)
			snprintf(ev + n, sizeof ev - (size_t)n, "; p%s memory %.1f%% -> %.1f%%, at most"
				 " %.1f%%", q, x->mem95, x->pmem, o->rs_mem_target);
		bad |= table_set_text(t, row, 14, ev);
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	{
		char why[300];
		snprintf(why, sizeof why, "%ld without cpu_utilization samples, %d with fewer than %d hours"
			 " of them, %d whose type has no size or price in the catalog", r->no_cpu,
			 r->short_data, r->min_hours, r->unpriced);
		emit_assessment(e, "rightsizing", "instance", r->eligible, r->assessed - r->unpriced, why,
				"import hourly CPUUtilization (and mem_used_percent) for these instances,"
				" at least --rightsize-min-hours hours; --pricing FILE for the missing types");
	}
	line[0] = '\0';
	if (r->unpriced || r->short_data)
		snprintf(line, sizeof line, "%d instance(s) without catalog size/price, %d with too few"
			 " CPU samples: not assessed", r->unpriced, r->short_data);
	if (e->fmt == FMT_JSON) {
		cJSON *jo = cJSON_AddObjectToObject(e->root, "rightsizing"), *notes;
		if (jo == NULL) {
			table_free(t);
			return ic_errorf(err, "out of memory");
		}
		emit_table(e, t, jo, "recommendations");
		cJSON_AddNumberToObject(jo, "hours_per_month", HOURS_PER_MONTH);
		cJSON_AddNumberToObject(jo, "percentile", o->rs_percentile);
		cJSON_AddNumberToObject(jo, "headroom", 100 - o->rs_cpu_target);
		notes = cJSON_AddArrayToObject(jo, "notes");
		if (line[0])
			cJSON_AddItemToArray(notes, cJSON_CreateString(line));
	} else {
		if (rows) {
			emit_table(e, t, NULL, "rightsizing");
			if (e->fmt != FMT_CSV)
				emit_line(e, "Monthly", MONTHLY_RULE);
		} else if (e->fmt != FMT_CSV) {
			emit_heading(e, "Rightsizing");
			emit_line(e, "Recommendations", r->eligible > 0 && r->assessed - r->unpriced <= 0 ?
				  "none: no instance could be assessed (see Not assessed)" : "none");
		}
		if (line[0] && e->fmt != FMT_CSV)
			emit_line(e, "Note", line);
	}
	table_free(t);
	return 0;
}

const struct analyzer analyzer_rightsizing = {
	.name = "rightsizing",
	.summary = "the next smaller size where p99.5 CPU (and memory) keeps 20% headroom",
	.query = rs_query,
	.emit = rs_emit,
	.free_findings = rs_free,
};
