/*
 * commit-query.c - the commitments analyzer's reads (see commitments.c
 * for what it reports): the hourly on-demand usage by provider, region,
 * instance type and platform over the look-back window, the coverage by
 * existing commitments and savings plans, the commitments already held,
 * the idle runs that are not sized on, and the size factors of
 * size-flexible families.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/analyzer.h"
#include "analyzers/anutil.h"
#include "analyzers/catalog.h"
#include "analyzers/commit-gcp.h"
#include "analyzers/commitments.h"
#include "analyzers/commitments-int.h"
#include "analyzers/idle.h"
#include "analyzers/pricebook.h"
#include "analyzers/rollups.h"
#include "analyzers/sizeflex.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"

void
commit_free(void *p)
{
	struct commit *c = p;

	if (c == NULL)
		return;
	for (int i = 0; i < c->ng; i++) {
		struct group *g = &c->g[i];
		free(g->provider);
		free(g->region);
		free(g->itype);
		free(g->platform);
		free(g->currency);
		free(g->u);
		free(g->family);
	}
	free(c->g);
	for (int i = 0; i < c->nx; i++) {
		free(c->x[i].id);
		free(c->x[i].type);
		free(c->x[i].region);
		free(c->x[i].itype);
		free(c->x[i].currency);
	}
	free(c->x);
	free(c->ev);
	free(c->rec);
	free(c->sp);
	free(c->spc);
	for (int i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	free(c->notes);
	gcp_cud_free(c->gcp);
	sizeflex_table_free(&c->sf);
	free(c);
}

void
commit_note(struct commit *c, const char *fmt, ...)
{
	char buf[512], **nn;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	nn = realloc(c->notes, (size_t)(c->nnotes + 1) * sizeof *nn);
	if (nn == NULL || (nn[c->nnotes] = strdup(buf)) == NULL) {
		if (nn)
			c->notes = nn;
		c->oom = 1;
		return;
	}
	c->notes = nn;
	c->nnotes++;
}

int
commit_streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* find or add the group of the current row (columns 0..4) */
static struct group *
group_of(struct commit *c, const struct engine_stmt *st, int create)
{
	const char *v[5];
	struct group *g;

	for (int i = 0; i < 5; i++)
		v[i] = engine_column_text(st, i);
	for (int i = 0; i < c->ng; i++) {
		g = &c->g[i];
		if (commit_streq_null(g->provider, v[0]) && commit_streq_null(g->region, v[1]) &&
		    commit_streq_null(g->itype, v[2]) && commit_streq_null(g->platform, v[3]) &&
		    commit_streq_null(g->currency, v[4]))
			return g;
	}
	if (!create)
		return NULL;
	g = realloc(c->g, (size_t)(c->ng + 1) * sizeof *g);
	if (g == NULL) {
		c->oom = 1;
		return NULL;
	}
	c->g = g;
	g = &c->g[c->ng];
	memset(g, 0, sizeof *g);
	g->provider = an_strdup(st, 0, &c->oom);
	g->region = an_strdup(st, 1, &c->oom);
	g->itype = an_strdup(st, 2, &c->oom);
	g->platform = an_strdup(st, 3, &c->oom);
	g->currency = an_strdup(st, 4, &c->oom);
	g->u = calloc((size_t)(c->nh ? c->nh : 1), sizeof *g->u);
	if (g->u == NULL)
		c->oom = 1;
	c->ng++;
	return g;
}

/* the on-demand usage of idle instances, per group, hour and span */
struct idle_use {
	const char *const *k;		/* provider, region, type, platform, currency */
	int64_t hour, span;
	double qty;
	int64_t rows;
	size_t seq;			/* order of arrival */
};

struct idle_set {
	struct commit *c;
	char ***keys;			/* owned: 5 strings per key, shared by
					   consecutive rows with that key */
	size_t nkeys;
	struct idle_use *u;
	size_t n, cap;
};

static void
idle_set_free(struct idle_set *s)
{
	for (size_t i = 0; i < s->nkeys; i++) {
		for (int j = 0; j < 5; j++)
			free(s->keys[i][j]);
		free(s->keys[i]);
	}
	free(s->keys);
	free(s->u);
}

static int
cmp_key(const char *const *a, const char *const *b, int64_t ah, int64_t as, int64_t bh, int64_t bs)
{
	for (int i = 0; i < 5; i++) {
		int r;
		if (a[i] == NULL || b[i] == NULL) {
			if (a[i] != b[i])
				return a[i] == NULL ? -1 : 1;
			continue;
		}
		if ((r = strcmp(a[i], b[i])) != 0)
			return r;
	}
	if (ah != bh)
		return ah < bh ? -1 : 1;
	return as < bs ? -1 : as > bs;
}

static int
cmp_idle_use(const void *a, const void *b)
{
	const struct idle_use *x = a, *y = b;
	return cmp_key(x->k, y->k, x->hour, x->span, y->hour, y->span);
}

/* cmp_idle_use, then the order of arrival: equal keys are summed in the
 * order the query gave them, whatever qsort does with ties */
static int
cmp_idle_use_seq(const void *a, const void *b)
{
	const struct idle_use *x = a, *y = b;
	int r = cmp_idle_use(a, b);
	return r ? r : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* columns: provider, region, type, platform, currency, span, first_start,
 * step, n, qty, rows (a run of rollup_instance_runs) */
static int
idle_run_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle_set *s = arg;
	int64_t span = engine_column_int64(st, 5), first = engine_column_int64(st, 6),
		step = engine_column_int64(st, 7), n = engine_column_int64(st, 8),
		rows = engine_column_int64(st, 10);
	double q = engine_column_double(st, 9);
	char **k = s->nkeys ? s->keys[s->nkeys - 1] : NULL, ***nk;
	int oom = 0, same = k != NULL;

	/* the rows come by resource: reuse the previous row's key when equal
	 * (remote engines give one row per start) */
	for (int i = 0; i < 5 && same; i++)
		same = commit_streq_null(k[i], engine_column_text(st, i));
	if (!same) {
		nk = realloc(s->keys, (s->nkeys + 1) * sizeof *nk);
		if (nk == NULL)
			return ic_errorf(err, "out of memory");
		s->keys = nk;
		k = calloc(5, sizeof *k);
		if (k == NULL)
			return ic_errorf(err, "out of memory");
		s->keys[s->nkeys++] = k;
		for (int i = 0; i < 5; i++)
			k[i] = an_strdup(st, i, &oom);
		if (oom)
			return ic_errorf(err, "out of memory");
	}
	for (int64_t i = 0; i < n; i++) {
		int64_t t = first + i * step;
		if (t < s->c->win_start || t >= s->c->win_end)
			continue;
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			struct idle_use *u = realloc(s->u, cap * sizeof *u);
			if (u == NULL)
				return ic_errorf(err, "out of memory");
			s->u = u;
			s->cap = cap;
		}
		s->u[s->n].k = (const char *const *)k;
		s->u[s->n].hour = t - t % 3600;
		s->u[s->n].span = span;
		s->u[s->n].qty = q;
		s->u[s->n].rows = rows;
		s->u[s->n].seq = s->n;
		s->n++;
	}
	return 0;
}

/* The runs of the idle instances that the subquery IDS selects, in an
 * order that is total on every engine (the runs of remote engines are one
 * row per start; SQLite's may share a start). */
#define IDLE_RUNS_SQL(IDS) \
	"SELECT ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency, span," \
	" first_start, step, n, ConsumedQuantity, rows FROM rollup_instance_runs" \
	" WHERE ResourceId IN (" IDS ")" \
	" ORDER BY ResourceId, first_start, span, import_id, ProviderName, BillingAccountId," \
	" BillingPeriodStart, BillingCurrency, RegionId, x_InstanceType, x_Platform NULLS FIRST," \
	" step, n, ConsumedQuantity, rows"

/* The same on SQLite, whose runs are stored by resources row
 * (rollup_runs_data, common/rollup.h): the view's ResourceId IN (...)
 * would read every run of the period (a million in a year) to look up its
 * text; this finds the resources rows of the idle instances first and
 * reads their runs by index.  Same columns, rows and order. */
#define IDLE_RUNS_SQLITE(IDS) \
	"SELECT d.ProviderName, d.RegionId, d.x_InstanceType, d.x_Platform, d.BillingCurrency," \
	" x.span, x.first_start, x.step, x.n, x.ConsumedQuantity, x.rows FROM rollup_runs_data x" \
	" LEFT JOIN charge_dims d ON d.id = x.dim_id JOIN resources r ON r.id = x.resource_id" \
	" WHERE x.resource_id IN (SELECT id FROM resources WHERE ResourceId IN (" IDS "))" \
	" ORDER BY r.ResourceId, x.first_start, x.span, x.import_id, d.ProviderName," \
	" d.BillingAccountId, x.BillingPeriodStart, d.BillingCurrency, d.RegionId, d.x_InstanceType," \
	" d.x_Platform NULLS FIRST, x.step, x.n, x.ConsumedQuantity, x.rows"

/* The idle instances of the analyzed period and their on-demand usage in
 * the window, sorted and summed per group, hour and span. */
static int
idle_usage(const struct analysis_ctx *ctx, struct idle_set *s, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	struct engine_stmt *st;
	size_t m = 0;
	int cut;

	if (an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
		return -1;
	/* one query for every idle instance's runs, in a total order */
	if (engine_kind(ctx->eng) == ENGINE_SQLITE)
		st = an_prepare(ctx, cut ? IDLE_RUNS_SQLITE(IDLE_INSTANCES_SQL) :
				IDLE_RUNS_SQLITE(AN_IDLE_INSTANCES_SQL), err);
	else
		st = an_prepare(ctx, cut ? IDLE_RUNS_SQL(IDLE_INSTANCES_SQL) :
				IDLE_RUNS_SQL(AN_IDLE_INSTANCES_SQL), err);
	if (st == NULL)
		return -1;
	/* both take ?1..?6 (idle.h, rollups.h) */
	an_idle_bind(st, ctx->start, ctx->end, o);
	if (an_each(st, "reading idle instances' hours", idle_run_row, s, err) != 0)
		return -1;
	if (s->n > 1)
		qsort(s->u, s->n, sizeof *s->u, cmp_idle_use_seq);
	for (size_t i = 0; i < s->n; i++) {
		if (m > 0 && cmp_idle_use(&s->u[m - 1], &s->u[i]) == 0) {
			s->u[m - 1].qty += s->u[i].qty;
			s->u[m - 1].rows += s->u[i].rows;
		} else {
			s->u[m++] = s->u[i];
		}
	}
	s->n = m;
	return 0;
}

/*
 * Whether a provider's bill measures machines in something other than
 * instance hours: Google Cloud bills a VM as vCPU-seconds and RAM
 * byte-seconds (usage.unit "seconds", "byte-seconds") under one machine
 * type label, so adding its quantities would call bytes hours.  Such usage
 * enters neither coverage nor advice; commit_compute notes it.
 */
static int
not_instance_hours(const char *provider)
{
	return provider && (strcasecmp(provider, "Google Cloud") == 0 ||
			    strcasecmp(provider, "Google Cloud Platform") == 0 ||
			    strcasecmp(provider, "GCP") == 0);
}

/* count a row of such a provider for the note (the group key in columns
 * 0..4, its quantity q); returns 1 when the row is one */
static int
skip_nonhour(struct commit *c, const struct engine_stmt *st, double q)
{
	const char *p = engine_column_text(st, 0);

	if (!not_instance_hours(p))
		return 0;
	if (c->nonhour_provider[0] == '\0')
		snprintf(c->nonhour_provider, sizeof c->nonhour_provider, "%s", p);
	c->nonhour_qty += q;
	if (group_of(c, st, 0) == NULL && !c->oom) {
		/* a placeholder group, never analyzed, to count types once */
		struct group *g = group_of(c, st, 1);
		if (g)
			g->nonhour = 1;
		c->nonhour_groups++;
	}
	return 1;
}

/* columns: provider, region, type, platform, currency, hour, span, qty,
 * rows (all eligible on-demand rows); the idle instances' part is taken
 * off, and hours with nothing left are skipped */
static int
hourly_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle_set *s = arg;
	struct commit *c = s->c;
	struct group *g;
	int64_t hour = engine_column_int64(st, 5), span = engine_column_int64(st, 6);
	int64_t rows = engine_column_int64(st, 8);
	double q = engine_column_double(st, 7);
	int64_t h;

	if (s->n > 0) {
		const char *k[5];
		size_t lo = 0, hi = s->n;
		for (int i = 0; i < 5; i++)
			k[i] = engine_column_text(st, i);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int r = cmp_key(s->u[mid].k, k, s->u[mid].hour, s->u[mid].span, hour, span);
			if (r == 0) {
				q -= s->u[mid].qty;
				rows -= s->u[mid].rows;
				break;
			}
			if (r < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (rows <= 0)
			return 0;
	}
	if (skip_nonhour(c, st, q))
		return c->oom ? ic_errorf(err, "out of memory") : 0;
	g = group_of(c, st, 1);
	if (g == NULL || c->oom)
		return ic_errorf(err, "out of memory");
	if (span > 3600) {
		/* no hourly profile: the group is not assessed (commit_compute) */
		g->coarse_hours += q;
		return 0;
	}
	h = (hour - c->win_start) / 3600;
	if (h >= 0 && h < c->nh) {
		g->u[h] += q;
		g->od_hours += q;
	}
	return 0;
}

/* columns: provider, region, type, platform, currency, committed, standard,
 * committed on savings plans */
static int
coverage_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct commit *c = arg;
	struct group *g;

	if (skip_nonhour(c, st, engine_column_double(st, 5) + engine_column_double(st, 6)))
		return c->oom ? ic_errorf(err, "out of memory") : 0;
	g = group_of(c, st, 1);
	if (g == NULL || c->oom)
		return ic_errorf(err, "out of memory");
	c->ri_hours += engine_column_double(st, 5) - engine_column_double(st, 7);
	{
		char fam[64];
		double f = sizeflex_applies_in(&c->sf, g->provider, g->platform, g->itype, fam,
					       sizeof fam) ? sizeflex_factor_in(&c->sf, g->itype) : 1;
		c->ri_units += f * (engine_column_double(st, 5) - engine_column_double(st, 7));
		c->elig_units += f * (engine_column_double(st, 5) + engine_column_double(st, 6));
	}
	g->committed_hours += engine_column_double(st, 5);
	g->standard_hours += engine_column_double(st, 6);
	c->total_committed += engine_column_double(st, 5);
	c->total_eligible += engine_column_double(st, 5) + engine_column_double(st, 6);
	return 0;
}

/* columns: id, type, region, itype, currency, used, unused, hours */
static int
existing_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct commit *c = arg;
	struct existing *x = realloc(c->x, (size_t)(c->nx + 1) * sizeof *x);

	if (x == NULL)
		return ic_errorf(err, "out of memory");
	c->x = x;
	x = &c->x[c->nx++];
	memset(x, 0, sizeof *x);
	x->id = an_strdup(st, 0, &c->oom);
	x->type = an_strdup(st, 1, &c->oom);
	x->region = an_strdup(st, 2, &c->oom);
	x->itype = an_strdup(st, 3, &c->oom);
	x->currency = an_strdup(st, 4, &c->oom);
	x->used = engine_column_int64(st, 5);
	x->unused = engine_column_int64(st, 6);
	x->hours = engine_column_double(st, 7);
	if (c->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* The longest usage window looked at: three years of hours. */
#define COMMIT_WINDOW_MAX_HOURS INT64_C(26304)

/* columns: currency, covered (on-demand equivalent), on-demand */
static int
sp_cov_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct commit *c = arg;
	struct sp_cov *v = realloc(c->spc, (size_t)(c->nspc + 1) * sizeof *v);

	if (v == NULL)
		return ic_errorf(err, "out of memory");
	c->spc = v;
	v = &c->spc[c->nspc++];
	snprintf(v->currency, sizeof v->currency, "%s", an_text(st, 0));
	v->covered = engine_column_int64(st, 1);
	v->on_demand = engine_column_int64(st, 2);
	return 0;
}

/*
 * Savings plan coverage by cost over the window's days, as AWS defines it:
 * the on-demand equivalent of the usage savings plans covered (the
 * UnblendedCost of SavingsPlanCoveredUsage lines, else the list cost of
 * savings-plan-covered usage) / that + the on-demand spend of the same
 * kind of usage (instance usage at Standard prices).  Usage a reservation
 * covered is in neither.  Not for the providers of not_instance_hours.
 */
static int
sp_coverage(const struct analysis_ctx *ctx, struct commit *c, struct ic_error *err)
{
	struct engine_stmt *st = an_prepare(ctx,
		"SELECT BillingCurrency AS cur,"
		" SUM(CASE WHEN PricingCategory = 'Committed' AND (CommitmentDiscountType = 'Savings Plan'"
		"   OR x_LineItemType = 'SavingsPlanCoveredUsage')"
		"  AND (x_LineItemType IS NULL OR x_LineItemType <> 'SavingsPlanNegation')"
		"  AND (CommitmentDiscountStatus IS NULL OR CommitmentDiscountStatus <> 'Unused')"
		"  THEN CASE WHEN x_LineItemType = 'SavingsPlanCoveredUsage' THEN BilledCostNanos"
		"   ELSE COALESCE(ListCostNanos, BilledCostNanos) END ELSE 0 END) AS covered,"
		" SUM(CASE WHEN PricingCategory = 'Standard' THEN BilledCostNanos ELSE 0 END) AS od"
		" FROM rollup_daily WHERE day >= ? AND day < ? AND ChargeCategory = 'Usage'"
		" AND x_InstanceType IS NOT NULL AND x_InstanceType <> ''"
		" AND ProviderName NOT IN ('Google Cloud', 'Google Cloud Platform', 'GCP')"
		" GROUP BY BillingCurrency ORDER BY cur", err);

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, c->win_start - c->win_start % 86400);
	engine_bind_int64(st, 2, c->win_end);
	return an_each(st, "measuring savings plan coverage", sp_cov_row, c, err);
}

static int
commit_window(const struct analysis_ctx *ctx, struct commit *c, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	struct engine_stmt *st = an_prepare(ctx,
		"SELECT $min(min_start) AS lo, $max(max_end) AS hi FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ChargeCategory = 'Usage'",
		err);
	int cut, r;

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if ((r = engine_step(st, err)) != 1) {
		engine_finalize(st);
		return r < 0 ? an_step_error("finding the usage window", err) :
			ic_errorf(err, "finding the usage window: no row");
	}
	if (!an_null(st, 0)) {
		c->win_start = engine_column_int64(st, 0);
		c->win_end = engine_column_int64(st, 1);
	}
	engine_finalize(st);
	c->win_start -= c->win_start % 3600;
	if (o->lookback_days > 0 && c->win_end > 0) {
		/* the DAYS before the end of the data, but not before the first
		 * usage in the database: hours without data are not zero usage */
		int64_t first = c->win_start;
		c->lookback = o->lookback_days;
		c->win_start = c->win_end - (int64_t)o->lookback_days * 86400;
		/* the daily rollup, unless win_start falls inside one of its days */
		if (an_daily_cut(ctx->eng, c->win_start, c->win_start, 1, &cut, err) != 0)
			return -1;
		st = an_prepare(ctx, !cut ?
				"SELECT $min(min_start) AS lo FROM rollup_daily"
				" WHERE ChargeCategory = 'Usage' AND min_start >= ?" :
				"SELECT $min(ChargePeriodStart) AS lo FROM charges"
				" WHERE ChargeCategory = 'Usage' AND ChargePeriodStart >= ?", err);
		if (st == NULL)
			return -1;
		engine_bind_int64(st, 1, c->win_start);
		r = engine_step(st, err);
		if (r == 1 && !an_null(st, 0))
			first = engine_column_int64(st, 0);
		engine_finalize(st);
		if (r < 0)
			return an_step_error("finding the first usage", err);
		first -= first % 3600;
		if (c->win_start < first)
			c->win_start = first;
	}
	/* the hours of the analysed periods' data, never what one row's span
	 * claims: charges lie within days of their billing period (import
	 * refuses others), so the window is cut to the periods +- 31 days and
	 * to its last COMMIT_WINDOW_MAX_HOURS */
	if (ctx->end > ctx->start) {
		if (c->win_start < ctx->start - 31 * 86400)
			c->win_start = ctx->start - 31 * 86400;
		if (c->win_end > ctx->end + 31 * 86400)
			c->win_end = ctx->end + 31 * 86400;
	}
	if (c->win_end - c->win_start > COMMIT_WINDOW_MAX_HOURS * 3600)
		c->win_start = c->win_end - COMMIT_WINDOW_MAX_HOURS * 3600;
	if (c->win_end < c->win_start)
		c->win_end = c->win_start;
	c->H = (double)(c->win_end - c->win_start) / 3600.0;
	c->nh = (int)((c->win_end - c->win_start + 3599) / 3600);
	return 0;
}

/* columns: instance type, factor */
static int
factor_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct sizeflex_table *t = arg;
	char **nt = realloc(t->type, (size_t)(t->n + 1) * sizeof *nt);
	double *nf;
	int oom = 0;

	if (nt == NULL)
		return ic_errorf(err, "out of memory");
	t->type = nt;
	nf = realloc(t->f, (size_t)(t->n + 1) * sizeof *nf);
	if (nf == NULL)
		return ic_errorf(err, "out of memory");
	t->f = nf;
	t->type[t->n] = an_strdup(st, 0, &oom);
	if (oom || t->type[t->n] == NULL)
		return ic_errorf(err, "out of memory");
	t->f[t->n++] = engine_column_double(st, 1);
	return 0;
}

/* The AWS size factors the fixed table lacks (.metal), from instance_types:
 * the CUR's lineItem/NormalizationFactor and the price lists'
 * normalizationSizeFactor (SQLite databases: remote engines keep no
 * instance_types). */
static int
size_factors(const struct analysis_ctx *ctx, struct commit *c, struct ic_error *err)
{
	struct engine_stmt *st;

	if (engine_kind(ctx->eng) != ENGINE_SQLITE)
		return 0;
	st = an_prepare(ctx, "SELECT instance_type, MAX(size_factor) FROM instance_types"
			" WHERE lower(provider) = 'aws' AND size_factor > 0"
			" GROUP BY instance_type ORDER BY instance_type", err);
	if (st == NULL)
		return -1;
	return an_each(st, "reading instance size factors", factor_row, &c->sf, err);
}

int
commit_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct commit *c = calloc(1, sizeof *c);
	struct idle_set idle;
	struct engine_stmt *st;

	memset(&idle, 0, sizeof idle);
	idle.c = c;
	if (c == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0 || commit_window(ctx, c, err) != 0)
		goto fail;
	if (size_factors(ctx, c, err) != 0)
		goto fail;
	/* GCP machines: vCPU and RAM usage per series (commit-gcp.h) */
	if (gcp_cud_query(ctx, c->win_start, c->nh, c->H, &c->gcp, err) != 0)
		goto fail;

	/* hourly on-demand usage (rollup_compute), without idle instances
	 * (their hours from rollup_instance_runs); ordered by the group key
	 * (groups are created in this order) */
	if (idle_usage(ctx, &idle, err) != 0)
		goto fail;
	st = an_prepare(ctx,
		"SELECT ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" ChargePeriodStart - ChargePeriodStart % 3600 AS hour_start, span,"
		" SUM(ConsumedQuantity) AS qty, SUM(rows) AS nrows"
		" FROM rollup_compute WHERE ChargePeriodStart >= ? AND ChargePeriodStart < ?"
		" AND PricingCategory = 'Standard'"
		" GROUP BY ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" ChargePeriodStart - ChargePeriodStart % 3600, span"
		" ORDER BY ProviderName, RegionId, x_InstanceType, x_Platform NULLS FIRST, BillingCurrency,"
		" hour_start, span",
		err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, c->win_start);
	engine_bind_int64(st, 2, c->win_end);
	if (an_each(st, "counting on-demand hours", hourly_row, &idle, err) != 0)
		goto fail;

	/* coverage of the window */
	st = an_prepare(ctx,
		"SELECT ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency,"
		" SUM(CASE WHEN PricingCategory = 'Committed' THEN ConsumedQuantity ELSE 0 END) AS committed_q,"
		" SUM(CASE WHEN PricingCategory = 'Standard' THEN ConsumedQuantity ELSE 0 END) AS standard_q,"
		" SUM(CASE WHEN PricingCategory = 'Committed' AND x_LineItemType = 'SavingsPlanCoveredUsage'"
		"  THEN ConsumedQuantity ELSE 0 END) AS sp_q"
		" FROM rollup_compute WHERE ChargePeriodStart >= ? AND ChargePeriodStart < ?"
		" AND (CommitmentDiscountStatus IS NULL OR CommitmentDiscountStatus <> 'Unused')"
		" AND (x_LineItemType IS NULL OR x_LineItemType <> 'SavingsPlanNegation')"
		" GROUP BY ProviderName, RegionId, x_InstanceType, x_Platform, BillingCurrency"
		" ORDER BY ProviderName, RegionId, x_InstanceType, x_Platform NULLS FIRST, BillingCurrency",
		err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, c->win_start);
	engine_bind_int64(st, 2, c->win_end);
	if (an_each(st, "measuring coverage", coverage_row, c, err) != 0)
		goto fail;

	if (sp_coverage(ctx, c, err) != 0)
		goto fail;

	/* existing commitments, in the analyzed periods */
	st = an_prepare(ctx,
		"SELECT CommitmentDiscountId, MAX(CommitmentDiscountType) AS ctype,"
		" CASE WHEN MIN(RegionId) = MAX(RegionId) THEN MIN(RegionId) END AS one_region,"
		" COALESCE(MAX(CASE WHEN ChargeCategory = 'Purchase' OR CommitmentDiscountStatus = 'Unused'"
		"  THEN x_InstanceType END),"
		" CASE WHEN MIN(CASE WHEN ChargeCategory = 'Usage' THEN x_InstanceType END)"
		"  = MAX(CASE WHEN ChargeCategory = 'Usage' THEN x_InstanceType END)"
		"  THEN MIN(CASE WHEN ChargeCategory = 'Usage' THEN x_InstanceType END) END)"
		"  AS one_itype,"
		" BillingCurrency,"
		" SUM(CASE WHEN CommitmentDiscountStatus = 'Used' AND ChargeCategory = 'Usage'"
		"  THEN EffectiveCostNanos ELSE 0 END) AS used_nanos,"
		" SUM(CASE WHEN CommitmentDiscountStatus = 'Unused' AND ChargeCategory = 'Usage'"
		"  THEN EffectiveCostNanos ELSE 0 END) AS unused_nanos,"
		" SUM(CASE WHEN CommitmentDiscountStatus = 'Used' AND ChargeCategory = 'Usage'"
		"  AND x_InstanceType IS NOT NULL"
		"  AND (x_LineItemType IS NULL OR x_LineItemType <> 'SavingsPlanNegation')"
		"  THEN ConsumedQuantity ELSE 0 END) AS used_q"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" AND ChargeCategory IN ('Usage', 'Purchase') AND CommitmentDiscountId IS NOT NULL"
		" AND CommitmentDiscountId <> ''"
		" GROUP BY CommitmentDiscountId, BillingCurrency"
		" HAVING SUM(CASE WHEN ChargeCategory = 'Usage' THEN 1 ELSE 0 END) > 0"
		" ORDER BY unused_nanos DESC, CommitmentDiscountId, BillingCurrency",
		err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "reading commitments", existing_row, c, err) != 0)
		goto fail;
	if (c->oom) {
		ic_errorf(err, "out of memory");
		goto fail;
	}
	idle_set_free(&idle);
	*out = c;
	return 0;
fail:
	idle_set_free(&idle);
	commit_free(c);
	return -1;
}

