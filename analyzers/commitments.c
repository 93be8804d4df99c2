/*
 * commitments.c - reservations, savings plans and subscriptions: how well
 * the existing ones are used, and what to buy.
 *
 * Existing commitments (the analyzed billing periods): utilization of each
 * CommitmentDiscountId = used / (used + unused) effective cost (FOCUS puts
 * the unused part of a commitment on CommitmentDiscountStatus = 'Unused'
 * rows), the money lost to unused commitment, and coverage per
 * (provider, region, instance type, platform) = committed hours / all
 * eligible instance hours (Standard + Committed usage, without savings-plan
 * negation lines).
 *
 * Size flexibility (size_flex_groups, sizeflex.h): AWS Linux/UNIX groups
 * (shared tenancy: the CUR's Dedicated and Host usage has its own platform)
 * of one family used in two sizes or more are also sized together, in
 * units of the family's smallest priced size (factors: AWS's fixed table,
 * else instance_types: the CUR's lineItem/NormalizationFactor or the price
 * list's normalizationSizeFactor, e.g. for .metal), and their own advice gives
 * way to the family's; an existing reservation is labelled with its own
 * type (its fee line's), not the type of the usage it covered.
 *
 * Purchase advice (README, "Analyses"): per (provider, region, instance
 * type, platform, currency) the hourly count u_h of on-demand instance
 * usage over the look-back window (the analyzed period, or --lookback
 * DAYS up to the end of the data, starting no earlier than the first usage
 * in the database), without the instances the idle
 * analysis flags.  Lines longer than an hour (a CUR exported with daily
 * granularity) say nothing about the hours inside them: spreading them
 * evenly would invent a flat profile (4 always-on instances and 6 that run
 * 08-20 UTC would look like 7 all day), so a group with such lines gets no
 * purchase advice and a note with the fix (export the CUR with hourly
 * granularity); its hours still count in coverage.  For each catalog offer (allowed by
 * --term / --payment) with effective rate c (hourly + upfront / term
 * hours) below the on-demand rate p: break-even c/p and the count k of
 * commit_optimal_count.  The recommendation of a group is its offer with
 * the largest monthly savings (ties: shorter term, less upfront).  A
 * fleet-wide savings-plan alternative uses the catalog's savings_plan
 * offers with commit_optimal_spend.  Monthly = per 730 hours (8760 / 12,
 * as AWS Cost Explorer), stated in the table footer and as
 * commitments.hours_per_month.
 *
 * Coverage is stated in the metric AWS uses for each: reservations by
 * (instance) hours, savings plans by cost (sp_coverage); the all-commitment
 * figure is by hours.  Each JSON object says its metric.
 *
 * JSON: commitments{window{start,end,hours}, hours_per_month, existing[], totals[],
 * coverage{metric,covered_hours,eligible_hours,coverage},
 * reservation_coverage{metric,covered_hours,eligible_hours,coverage},
 * savings_plan_coverage[]{currency,metric,covered_spend,on_demand_spend,coverage},
 * coverage_by_type[],
 * recommendations[], offers[], savings_plan[], unpriced[], no_saving[], notes[],
 * hourly_usage[], gcp_coverage{metric, covered_vcpu_hours, eligible_vcpu_hours,
 * coverage, covered_memory_gib_hours, eligible_memory_gib_hours,
 * memory_coverage}}.  GCP machine usage (commit-gcp.h) is advised per
 * series and region in vCPUs and GiB: its rows in recommendations[],
 * offers[], unpriced[] and no_saving[] carry machine_series,
 * commit_vcpus, commit_memory_gb and basis (or on_demand_vcpu_hours and
 * on_demand_memory_gib_hours), with count and on_demand_hours null.
 * Prices come from analyzers/pricebook.h; each
 * recommendation, offer, savings plan and no_saving row names its
 * price_source.  Every group with on-demand usage (once the window is
 * long enough) ends in exactly one of recommendations[], no_saving[] (no
 * offer saves: the lowest break-even utilization of its offers and its
 * average utilization) or unpriced[] (reason and fix).  hourly_usage (JSON
 * only, for charts) holds the u_h
 * series the advice was sized on: the groups with a recommendation
 * (largest savings first), then the others with on-demand usage (most
 * hours first), at most HOURLY_USAGE_MAX; each {provider, region,
 * instance_type, platform, currency, on_demand_hours, recommended_count
 * (0 when none), term, payment (null when none), start (the window's
 * first hour), usage[] (one count per hour, 3 decimals)}.
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
#include "analyzers/idle.h"
#include "analyzers/pricebook.h"
#include "analyzers/rollups.h"
#include "analyzers/sizeflex.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"

/* ---- the arithmetic ---- */

long
commit_optimal_count(const double *u, int n, double p, double c, double H, double *covered)
{
	double umax = 0, tol;
	long k = 0, kmax;

	*covered = 0;
	if (!(p > 0) || !(c >= 0) || c >= p || !(H > 0))
		return 0;
	for (int h = 0; h < n; h++)
		if (u[h] > umax)
			umax = u[h];
	kmax = (long)ceil(umax - 1e-9);
	tol = 1e-9 * c * H;
	for (long j = 1; j <= kmax; j++) {
		double marg = 0;
		for (int h = 0; h < n; h++) {
			double x = u[h] - (double)(j - 1);
			marg += x >= 1 ? 1 : x > 0 ? x : 0;
		}
		if (p * marg + tol < c * H)
			break;
		k = j;
	}
	for (int h = 0; h < n; h++)
		*covered += u[h] < (double)k ? u[h] : (double)k;
	return k;
}

struct wo {
	double w, o;
};

static int
cmp_wo_desc(const void *a, const void *b)
{
	const struct wo *x = a, *y = b;
	return x->w > y->w ? -1 : x->w < y->w;
}

double
commit_optimal_spend(const double *w, const double *o, int n, double H, double *od_covered)
{
	struct wo *v;
	double acc = 0, X = 0;
	int m = 0;

	*od_covered = 0;
	if (!(H > 0) || n <= 0)
		return 0;
	v = malloc((size_t)n * sizeof *v);
	if (v == NULL)
		return -1;
	for (int h = 0; h < n; h++)
		if (w[h] > 0) {
			v[m].w = w[h];
			v[m].o = o[h];
			m++;
		}
	if (m > 1)
		qsort(v, (size_t)m, sizeof *v, cmp_wo_desc);
	for (int j = 0; j < m; j++) {
		acc += v[j].o / v[j].w;
		if (acc >= H * (1 - 1e-12)) {
			X = v[j].w;
			break;
		}
	}
	for (int j = 0; j < m && X > 0; j++)
		*od_covered += (v[j].w < X ? v[j].w : X) * v[j].o / v[j].w;
	free(v);
	return X;
}

/* ---- data ---- */

struct group {
	char *provider, *region, *itype, *platform, *currency;
	double *u;			/* nh hourly counts (non-idle on-demand) */
	double od_hours;		/* sum of u */
	double committed_hours, standard_hours;	/* coverage, all usage */
	double coarse_hours;		/* on-demand hours on lines > 1 hour */
	int nonhour;			/* not_instance_hours: never analyzed */
	int merged;			/* sized with its family (a flex group) */
	int flex;			/* a family in normalized units: u in units
					   of itype (its smallest priced size) */
	double unit_factor;		/* flex: the factor of itype */
	char *family;			/* flex: "m5" */
	const struct catalog_entry *cat;
	/* how the advice for its on-demand usage ended (no silent skip):
	 * a recommendation, no saving (best_be: the lowest break-even of
	 * its offers), or unpriced with the reason and the fix */
	enum { G_NONE, G_RECOMMENDED, G_NO_SAVING, G_UNPRICED } outcome;
	const struct catalog_offer *best_off;
	double best_be, avg_util;
	char reason[200], fix[400];
};

struct existing {
	char *id, *type, *region, *itype, *currency;
	int64_t used, unused;
	double hours;
};

struct evald {
	int g;
	const struct catalog_offer *o;
	long count;
	double break_even, cov_before, cov_after, exp_util;
	int64_t upfront, od_monthly, committed_monthly, savings_monthly;
};

struct sp_alt {
	enum commit_term term;
	enum commit_payment payment;
	char currency[16];
	double rate_ratio;		/* sum w / sum o */
	int64_t hourly, od_monthly, committed_monthly, savings_monthly;
	int64_t upfront;		/* -1: unknown (partial upfront) */
	double cov_after;
	int ngroups;
	char source[200];		/* price_source of the groups' plan rates */
};

/* Savings plan coverage by cost, one per currency (AWS's definition: the
 * on-demand equivalent of the spend savings plans covered / that + the
 * on-demand spend of the eligible usage). */
struct sp_cov {
	char currency[16];
	int64_t covered, on_demand;
};

struct commit {
	int64_t win_start, win_end;
	int nh;
	double H;
	int lookback;
	struct group *g;
	int ng;
	struct existing *x;
	int nx;
	struct evald *ev;
	int nev;
	int *rec;			/* indexes into ev */
	int nrec;
	struct sp_alt *sp;
	int nsp;
	double total_committed, total_eligible;
	double ri_hours;		/* committed hours not on savings plans */
	double ri_units, elig_units;	/* the same and all eligible, normalized */
	struct sp_cov *spc;		/* savings plan coverage by cost */
	int nspc;
	char **notes;
	int nnotes;
	double nonhour_qty;		/* usage of providers without instance hours */
	char nonhour_provider[64];	/* the first such provider */
	int nonhour_groups;
	struct gcp_cud *gcp;		/* GCP vCPU and RAM commitments (commit-gcp.h) */
	struct sizeflex_table sf;	/* factors of sizes without a fixed one */
	int oom;
};

static void
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

static void
note(struct commit *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct commit *c, const char *fmt, ...)
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

static int
streq_null(const char *a, const char *b)
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
		if (streq_null(g->provider, v[0]) && streq_null(g->region, v[1]) &&
		    streq_null(g->itype, v[2]) && streq_null(g->platform, v[3]) &&
		    streq_null(g->currency, v[4]))
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
		same = streq_null(k[i], engine_column_text(st, i));
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

static int
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

/* ---- compute ---- */

static double
coverage(double committed, double eligible)
{
	return eligible > 0 ? committed / eligible : NAN;
}

static int
better(const struct evald *a, const struct evald *b)
{
	if (a->savings_monthly != b->savings_monthly)
		return a->savings_monthly > b->savings_monthly;
	if (a->o->term != b->o->term)
		return commit_term_hours[a->o->term] < commit_term_hours[b->o->term];
	return a->upfront < b->upfront;
}

static int
add_eval(struct commit *c, const struct evald *e)
{
	struct evald *n = realloc(c->ev, (size_t)(c->nev + 1) * sizeof *n);

	if (n == NULL)
		return -1;
	c->ev = n;
	c->ev[c->nev++] = *e;
	return 0;
}

static int
savings_plans(const struct analysis_ctx *ctx, struct commit *c)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	size_t n = (size_t)(c->nh ? c->nh : 1);
	double *w = calloc(n, sizeof *w), *od = calloc(n, sizeof *od), *units = calloc(n, sizeof *units);
	int rc = -1;

	if (w == NULL || od == NULL || units == NULL)
		goto out;
	for (int t = 0; t < NTERMS; t++)
		for (int p = 0; p < NPAYMENTS; p++) {
			const char *cur = NULL, *src = NULL;
			double sw = 0, so = 0, elig = 0, committed = 0, X, odc = 0, cov = 0;
			int ng = 0, nup = 0;
			struct sp_alt *sa;

			if (!(o->term_mask >> t & 1) || !(o->payment_mask >> p & 1))
				continue;
			memset(w, 0, n * sizeof *w);
			memset(od, 0, n * sizeof *od);
			memset(units, 0, n * sizeof *units);
			for (int gi = 0; gi < c->ng; gi++) {
				const struct group *g = &c->g[gi];
				const struct catalog_offer *off = NULL;
				double rate, pod;

				if (g->cat == NULL || g->od_hours <= 0 || g->coarse_hours > 0 || g->merged)
					continue;
				for (int k = 0; k < g->cat->noffers; k++)
					if (g->cat->offers[k].savings_plan && (int)g->cat->offers[k].term == t &&
					    (int)g->cat->offers[k].payment == p)
						off = &g->cat->offers[k];
				if (off == NULL)
					continue;
				/* one currency per plan: the first priced group's */
				if (cur == NULL)
					cur = g->currency;
				else if (!streq_null(cur, g->currency))
					continue;
				rate = catalog_offer_rate(off);
				pod = (double)g->cat->on_demand_hourly;
				if (!(rate > 0) || rate >= pod)
					continue;
				for (int h = 0; h < c->nh; h++) {
					w[h] += rate * g->u[h];
					od[h] += pod * g->u[h];
					units[h] += g->u[h];
				}
				elig += g->committed_hours + g->standard_hours;
				committed += g->committed_hours;
				if (ng == 0)
					src = g->cat->sp_source;
				else if (!streq_null(src, g->cat->sp_source))
					src = "several price lists (see offers)";
				ng++;
				if (off->upfront > 0)
					nup++;
			}
			if (ng == 0)
				continue;
			X = commit_optimal_spend(w, od, c->nh, c->H, &odc);
			if (X < 0)
				goto out;
			X = floor(X / 1e6) * 1e6;	/* plans are bought in 0.001 steps */
			if (X <= 0)
				continue;
			/* the value and hours covered at the rounded X */
			odc = 0;
			for (int h = 0; h < c->nh; h++) {
				sw += w[h];
				so += od[h];
				if (w[h] > 0) {
					double f = w[h] < X ? 1 : X / w[h];
					odc += od[h] * f;
					cov += units[h] * f;
				}
			}
			sa = realloc(c->sp, (size_t)(c->nsp + 1) * sizeof *sa);
			if (sa == NULL)
				goto out;
			c->sp = sa;
			sa = &c->sp[c->nsp++];
			memset(sa, 0, sizeof *sa);
			sa->term = (enum commit_term)t;
			sa->payment = (enum commit_payment)p;
			snprintf(sa->currency, sizeof sa->currency, "%s", cur ? cur : "");
			sa->rate_ratio = so > 0 ? sw / so : NAN;
			sa->hourly = an_nanos(X);
			sa->od_monthly = an_nanos(odc * HOURS_PER_MONTH / c->H);
			sa->committed_monthly = an_nanos(X * HOURS_PER_MONTH);
			sa->savings_monthly = sa->od_monthly - sa->committed_monthly;
			if (nup == 0)
				sa->upfront = 0;
			else if (p == PAY_ALL_UPFRONT)
				sa->upfront = an_nanos(X * commit_term_hours[t]);
			else
				sa->upfront = -1;
			sa->ngroups = ng;
			snprintf(sa->source, sizeof sa->source, "%s", src ? src : "?");
			sa->cov_after = coverage(committed + cov, elig);
			if (sa->savings_monthly <= 0)
				c->nsp--;
		}
	rc = 0;
out:
	free(w);
	free(od);
	free(units);
	return rc;
}

/* the key of a size-flexible group into fam; 0 when it is not one */
static int
flex_key(const struct sizeflex_table *sf, const struct group *g, char *fam, size_t n)
{
	return !g->flex && !g->nonhour && g->coarse_hours <= 0 &&
		sizeflex_applies_in(sf, g->provider, g->platform, g->itype, fam, n);
}

static int
same_family(const struct group *a, const char *fa, const struct group *b, const char *fb)
{
	char x[64], y[64];

	return strcmp(fa, fb) == 0 && streq_null(a->provider, b->provider) &&
		streq_null(a->region, b->region) && streq_null(a->currency, b->currency) &&
		strcmp(catalog_fold_platform(a->platform, x, sizeof x),
		       catalog_fold_platform(b->platform, y, sizeof y)) == 0;
}

/*
 * Size flexibility (sizeflex.h): the AWS Linux/UNIX groups of one family,
 * region and currency with on-demand usage in two sizes or more are sized
 * together.  A new group holds their hourly usage in units of the
 * family's smallest size that has a catalog price (u x factor / the unit's
 * factor), with that size's prices: its advice is a count of that size,
 * which the reservation applies across the family.  The members are
 * marked merged (their own advice would miss the fleet).  Returns 0 or -1
 * (out of memory).
 */
static int
size_flex_groups(struct commit *c)
{
	int ng = c->ng;

	for (int gi = 0; gi < ng; gi++) {
		char fa[64], fb[64];
		int unit = -1, members = 0;
		struct group *g;

		if (c->g[gi].merged || !flex_key(&c->sf, &c->g[gi], fa, sizeof fa))
			continue;
		/* the first group of its family: find the others */
		for (int j = 0; j < ng; j++) {
			const struct group *m = &c->g[j];
			if (!flex_key(&c->sf, m, fb, sizeof fb) || !same_family(&c->g[gi], fa, m, fb))
				continue;
			if (m->od_hours > 0)
				members++;
			if (m->cat != NULL && (unit < 0 || sizeflex_factor_in(&c->sf, m->itype) <
					       sizeflex_factor_in(&c->sf, c->g[unit].itype)))
				unit = j;
		}
		if (members < 2 || unit < 0)
			continue;
		g = realloc(c->g, (size_t)(c->ng + 1) * sizeof *g);
		if (g == NULL)
			return -1;
		c->g = g;
		g = &c->g[c->ng];
		memset(g, 0, sizeof *g);
		g->provider = c->g[unit].provider ? strdup(c->g[unit].provider) : NULL;
		g->region = c->g[unit].region ? strdup(c->g[unit].region) : NULL;
		g->itype = strdup(c->g[unit].itype);
		g->platform = c->g[unit].platform ? strdup(c->g[unit].platform) : NULL;
		g->currency = c->g[unit].currency ? strdup(c->g[unit].currency) : NULL;
		g->family = strdup(fa);
		g->u = calloc((size_t)(c->nh ? c->nh : 1), sizeof *g->u);
		c->ng++;
		if (g->itype == NULL || g->family == NULL || g->u == NULL)
			return -1;
		g->cat = c->g[unit].cat;
		g->flex = 1;
		g->unit_factor = sizeflex_factor_in(&c->sf, g->itype);
		for (int j = 0; j < ng; j++) {
			struct group *m = &c->g[j];
			double w;
			if (!flex_key(&c->sf, m, fb, sizeof fb) || !same_family(g, fa, m, fb))
				continue;
			w = sizeflex_factor_in(&c->sf, m->itype) / g->unit_factor;
			for (int h = 0; h < c->nh; h++)
				g->u[h] += m->u[h] * w;
			g->od_hours += m->od_hours * w;
			g->committed_hours += m->committed_hours * w;
			g->standard_hours += m->standard_hours * w;
			m->merged = 1;
		}
		note(c, "%s %s %s: the sizes of the family are sized together in normalized units"
		     " (regional Linux/UNIX reservations with shared tenancy apply across sizes;"
		     " AWS's factors: large 4, xlarge 8, ...); advice in %s, %g units each",
		     g->provider ? g->provider : "?", g->region ? g->region : "?", fa, g->itype,
		     g->unit_factor);
	}
	return 0;
}

/* the note of a group whose on-demand usage comes on lines longer than an
 * hour (a daily CUR): not assessed, and how to make it assessable */
static void
daily_note(struct commit *c, const struct group *g)
{
	note(c, "%s %s %s %s: %.1f on-demand instance hours come on lines longer than an hour"
	     " (a daily CUR), which do not say how many instances ran in each hour: not assessed"
	     " for purchases (spreading them evenly would invent a flat profile); export the CUR"
	     " with hourly granularity", g->provider ? g->provider : "?", g->region ? g->region : "?",
	     g->itype ? g->itype : "?", g->platform ? g->platform : "?", g->coarse_hours);
}

/* A group with on-demand usage and no price to advise on: why, and the
 * command that fixes it (nooffer: it has an on-demand price but no
 * commitment offer within the --term choice). */
static void
unpriced(struct commit *c, struct group *g, int nooffer, unsigned term_mask)
{
	char terms[32] = "";
	int other = 0;

	(void)c;
	g->outcome = G_UNPRICED;
	for (int t = 0; t < NTERMS; t++)
		if (term_mask >> t & 1)
			snprintf(terms + strlen(terms), sizeof terms - strlen(terms), "%s%s",
				 terms[0] ? "," : "", commit_term_names[t]);
	if (!nooffer) {
		snprintf(g->reason, sizeof g->reason, "no on-demand price in %s for this provider,"
			 " region, type and platform", g->currency ? g->currency : "the bill's currency");
		pricebook_fix(g->provider, g->region, g->itype, g->fix, sizeof g->fix);
		return;
	}
	for (int k = 0; k < g->cat->noffers; k++)
		other |= !g->cat->offers[k].savings_plan && !(term_mask >> g->cat->offers[k].term & 1);
	snprintf(g->reason, sizeof g->reason, "no commitment offer for this provider, region, type"
		 " and platform with term %s (on-demand price: %s)", terms,
		 g->cat->od_source ? g->cat->od_source : "?");
	if (other)
		snprintf(g->fix, sizeof g->fix, "imcost analyze --term any (offers of other terms are known)");
	else
		pricebook_fix(g->provider, g->region, g->itype, g->fix, sizeof g->fix);
}

static int
commit_compute(const struct analysis_ctx *ctx, void *raw, void **findings, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	struct commit *c = raw;
	int npriced = 0;

	*findings = NULL;
	for (int gi = 0; gi < c->ng; gi++) {
		struct group *g = &c->g[gi];
		g->cat = catalog_find(ctx->catalog, g->provider, g->region, g->itype, g->platform);
		if (g->cat && g->currency && g->cat->currency &&
		    strcasecmp(g->cat->currency, g->currency) != 0)
			g->cat = NULL;
	}
	if (c->nonhour_groups > 0)
		note(c, "%s: %d machine type%s billed in vCPU-seconds and RAM byte-seconds, not instance"
		     " hours: not in the instance-hour coverage (their quantities are not hours); their"
		     " series' vCPUs and GiB are assessed for committed use discounts instead (gcp_coverage,"
		     " in vCPU-hours)", c->nonhour_provider,
		     c->nonhour_groups, c->nonhour_groups == 1 ? "" : "s");
	if (c->gcp) {
		if (gcp_cud_compute(ctx, c->gcp, c->H > 0 && c->H >= (double)o->commit_min_days * 24) != 0)
			return ic_errorf(err, "out of memory");
		for (int i = 0; i < c->gcp->nnotes; i++)
			note(c, "%s", c->gcp->notes[i]);
	}
	if (size_flex_groups(c) != 0)
		return ic_errorf(err, "out of memory");
	if (c->H <= 0) {
		note(c, "no usage in the analyzed period: no purchase advice");
		goto done;
	}
	if (c->H < (double)o->commit_min_days * 24) {
		note(c, "the look-back window is %.1f days, shorter than %d: no purchase advice"
		     " (--commit-min-days)", c->H / 24, o->commit_min_days);
		goto done;
	}
	for (int gi = 0; gi < c->ng; gi++) {
		struct group *g = &c->g[gi];
		struct evald best;
		int have = 0;

		memset(&best, 0, sizeof best);

		if (g->coarse_hours > 0) {
			daily_note(c, g);
			continue;
		}
		if (g->merged)
			continue;
		if (g->od_hours <= 0)
			continue;
		if (g->cat == NULL) {
			unpriced(c, g, 0, o->term_mask);
			continue;
		}
		npriced++;
		for (int k = 0; k < g->cat->noffers; k++) {
			const struct catalog_offer *off = &g->cat->offers[k];
			struct evald e;
			double p = (double)g->cat->on_demand_hourly, rate = catalog_offer_rate(off);
			double covered, elig = g->committed_hours + g->standard_hours;

			if (off->savings_plan || !(o->term_mask >> off->term & 1) ||
			    !(o->payment_mask >> off->payment & 1))
				continue;
			memset(&e, 0, sizeof e);
			e.g = gi;
			e.o = off;
			e.break_even = p > 0 ? rate / p : NAN;
			if (g->best_off == NULL || e.break_even < g->best_be) {
				g->best_off = off;
				g->best_be = e.break_even;
			}
			e.count = commit_optimal_count(g->u, c->nh, p, rate, c->H, &covered);
			if (e.count <= 0)
				continue;
			e.upfront = off->upfront * e.count;
			e.od_monthly = an_nanos(p * covered * HOURS_PER_MONTH / c->H);
			e.committed_monthly = an_nanos(rate * (double)e.count * HOURS_PER_MONTH);
			e.savings_monthly = e.od_monthly - e.committed_monthly;
			e.cov_before = coverage(g->committed_hours, elig);
			e.cov_after = coverage(g->committed_hours + covered, elig);
			e.exp_util = covered / ((double)e.count * c->H);
			if (e.savings_monthly <= 0)
				continue;
			if (add_eval(c, &e) != 0)
				return ic_errorf(err, "out of memory");
			if (!have || better(&e, &best)) {
				best = e;
				have = 1;
			}
		}
		if (!have) {
			if (g->best_off == NULL) {
				unpriced(c, g, 1, o->term_mask);
			} else {
				double umax = 0;
				for (int h = 0; h < c->nh; h++)
					umax = g->u[h] > umax ? g->u[h] : umax;
				g->outcome = G_NO_SAVING;
				g->avg_util = umax > 0 ? g->od_hours / (umax * c->H) : NAN;
			}
		} else {
			int *r = realloc(c->rec, (size_t)(c->nrec + 1) * sizeof *r);
			g->outcome = G_RECOMMENDED;
			if (r == NULL)
				return ic_errorf(err, "out of memory");
			c->rec = r;
			for (int i = 0; i < c->nev; i++)
				if (c->ev[i].g == best.g && c->ev[i].o == best.o)
					c->rec[c->nrec++] = i;
		}
	}
	if (savings_plans(ctx, c) != 0)
		return ic_errorf(err, "out of memory");
	if (npriced == 0 && c->ng > 0) {
		int od = 0;
		for (int gi = 0; gi < c->ng; gi++)
			od += c->g[gi].od_hours > 0;
		if (od)
			note(c, "no prices for the instance types used on demand: see unpriced[] for"
			     " the price list to import (imcost import FILE) or give --pricing FILE");
	}
done:
	if (c->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* ---- emit ---- */

#define HOURLY_USAGE_MAX 8

static void
str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* commitments.reservation_coverage{} (hours) and savings_plan_coverage[]
 * (cost, per currency): see the comment at the top */
static int
coverage_json(const struct commit *c, cJSON *o)
{
	cJSON *r = cJSON_AddObjectToObject(o, "reservation_coverage");
	cJSON *arr = cJSON_AddArrayToObject(o, "savings_plan_coverage");
	char m[48];

	if (r == NULL || arr == NULL)
		return -1;
	cJSON_AddStringToObject(r, "metric", "normalized units on reservations / all eligible"
				" normalized units (AWS's reservation coverage)");
	cJSON_AddNumberToObject(r, "covered_hours", c->ri_hours);
	cJSON_AddNumberToObject(r, "eligible_hours", c->total_eligible);
	cJSON_AddNumberToObject(r, "covered_units", c->ri_units);
	cJSON_AddNumberToObject(r, "eligible_units", c->elig_units);
	cJSON_AddStringToObject(r, "units", "normalized units (hours x AWS's size factor: large 4,"
				" xlarge 8, ...; hours x 1 where a size has none)");
	if (c->elig_units > 0)
		cJSON_AddNumberToObject(r, "coverage", c->ri_units / c->elig_units);
	else
		cJSON_AddNullToObject(r, "coverage");
	for (int i = 0; i < c->nspc; i++) {
		const struct sp_cov *v = &c->spc[i];
		cJSON *it = cJSON_CreateObject();
		if (it == NULL || !cJSON_AddItemToArray(arr, it)) {
			cJSON_Delete(it);
			return -1;
		}
		cJSON_AddStringToObject(it, "currency", v->currency);
		cJSON_AddStringToObject(it, "metric", "on-demand-equivalent spend covered by savings"
					" plans / (that + on-demand spend) (AWS's savings plans"
					" coverage)");
		cJSON_AddRawToObject(it, "covered_spend", money_format_json(v->covered, m));
		cJSON_AddRawToObject(it, "on_demand_spend", money_format_json(v->on_demand, m));
		if (v->covered + v->on_demand > 0)
			cJSON_AddNumberToObject(it, "coverage", (double)v->covered /
						(double)(v->covered + v->on_demand));
		else
			cJSON_AddNullToObject(it, "coverage");
	}
	return 0;
}

/* commitments.hourly_usage[]: see the comment at the top */
static int
hourly_usage_json(const struct commit *c, const int *order, cJSON *o)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "hourly_usage");
	int *pick, n = 0;
	char a[48];

	if (arr == NULL)
		return -1;
	pick = malloc((size_t)(c->ng + 1) * sizeof *pick);
	if (pick == NULL)
		return -1;
	for (int i = 0; i < c->nrec && n < HOURLY_USAGE_MAX; i++)
		pick[n++] = c->ev[order[i]].g;
	while (n < HOURLY_USAGE_MAX) {
		int best = -1;
		for (int gi = 0; gi < c->ng; gi++) {
			int taken = 0;
			if (c->g[gi].od_hours <= 0)
				continue;
			for (int k = 0; k < n; k++)
				taken |= pick[k] == gi;
			if (!taken && (best < 0 || c->g[gi].od_hours > c->g[best].od_hours))
				best = gi;
		}
		if (best < 0)
			break;
		pick[n++] = best;
	}
	for (int k = 0; k < n; k++) {
		const struct group *g = &c->g[pick[k]];
		const struct evald *rec = k < c->nrec ? &c->ev[order[k]] : NULL;
		cJSON *it = cJSON_CreateObject(), *u;

		if (it == NULL || !cJSON_AddItemToArray(arr, it)) {
			cJSON_Delete(it);
			free(pick);
			return -1;
		}
		str_or_null(it, "provider", g->provider);
		str_or_null(it, "region", g->region);
		str_or_null(it, "instance_type", g->itype);
		str_or_null(it, "platform", g->platform);
		str_or_null(it, "currency", g->currency);
		cJSON_AddNumberToObject(it, "on_demand_hours", round(g->od_hours * 1000) / 1000);
		cJSON_AddNumberToObject(it, "recommended_count", rec ? (double)rec->count : 0);
		if (rec) {
			cJSON_AddStringToObject(it, "term", commit_term_names[rec->o->term]);
			cJSON_AddStringToObject(it, "payment", commit_payment_names[rec->o->payment]);
		} else {
			cJSON_AddNullToObject(it, "term");
			cJSON_AddNullToObject(it, "payment");
		}
		cJSON_AddStringToObject(it, "start", time_format(c->win_start, a));
		u = cJSON_AddArrayToObject(it, "usage");
		if (u == NULL) {
			free(pick);
			return -1;
		}
		for (int h = 0; h < c->nh; h++) {
			cJSON *v = cJSON_CreateNumber(round(g->u[h] * 1000) / 1000);
			if (v == NULL || !cJSON_AddItemToArray(u, v)) {
				cJSON_Delete(v);
				free(pick);
				return -1;
			}
		}
	}
	free(pick);
	return 0;
}

static const struct table_col existing_cols[] = {
	{ "commitment_id", "Commitment", CELL_TEXT, 0 },
	{ "type", "Type", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "used_cost", "Used", CELL_MONEY, 0 },
	{ "unused_cost", "Unused (lost)", CELL_MONEY, 0 },
	{ "utilization", "Utilization (cost)", CELL_PCT, 1 },
	{ "covered_hours", "Hours covered", CELL_NUM, 1 },
};

static const struct table_col totals_cols[] = {
	{ "currency", "Currency", CELL_TEXT, 0 },
	{ "used_cost", "Used", CELL_MONEY, 0 },
	{ "unused_cost", "Unused (lost)", CELL_MONEY, 0 },
	{ "utilization", "Utilization (cost)", CELL_PCT, 1 },
};

static const struct table_col coverage_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "covered_hours", "Committed h", CELL_NUM, 1 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "coverage", "Coverage", CELL_PCT, 1 },
};

static const struct table_col rec_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "term", "Term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "count", "Count", CELL_INT, 0 },
	{ "upfront", "Upfront", CELL_MONEY, 0 },
	{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
	{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
	{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "expected_utilization", "Exp. util.", CELL_PCT, 1 },
	{ "coverage_before", "Cov. before", CELL_PCT, 1 },
	{ "coverage_after", "Cov. after", CELL_PCT, 1 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "family", "Size-flexible family", CELL_TEXT, 0 },
	{ "normalized_units", "Norm. units", CELL_NUM, 2 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_REC_COLS,
};

static const struct table_col sp_cols[] = {
	{ "term", "Term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "hourly_commitment", "Commit/h", CELL_MONEY, 0 },
	{ "upfront", "Upfront", CELL_MONEY, 0 },
	{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
	{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
	{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "coverage_after", "Cov. after", CELL_PCT, 1 },
	{ "instance_types", "Types", CELL_INT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
};

static const struct table_col unpriced_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "reason", "Why", CELL_TEXT, 0 },
	{ "fix", "Fix", CELL_TEXT, 0 },
	{ "on_demand_hourly", "On-demand/h", CELL_MONEY, 6 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_USAGE_COLS,
};

static const struct table_col nosave_cols[] = {
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Instance type", CELL_TEXT, 0 },
	{ "platform", "Platform", CELL_TEXT, 0 },
	{ "on_demand_hours", "On-demand h", CELL_NUM, 1 },
	{ "term", "Best term", CELL_TEXT, 0 },
	{ "payment", "Payment", CELL_TEXT, 0 },
	{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
	{ "average_utilization", "Avg. util.", CELL_PCT, 1 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "price_source", "Price source", CELL_TEXT, 0 },
	GCP_USAGE_COLS,
};

_Static_assert(sizeof rec_cols / sizeof rec_cols[0] == GCP_REC_FIRST + 4, "GCP columns last");
_Static_assert(sizeof unpriced_cols / sizeof unpriced_cols[0] == GCP_UNPRICED_FIRST + 3,
	       "GCP columns last");
_Static_assert(sizeof nosave_cols / sizeof nosave_cols[0] == GCP_NOSAVE_FIRST + 3,
	       "GCP columns last");

/* "X", or "on-demand: X; offers: Y" when the two differ */
static const char *
source_of(const struct catalog_entry *e, char *buf, size_t n)
{
	if (e == NULL)
		return NULL;
	if (streq_null(e->od_source, e->offer_source))
		return e->od_source;
	snprintf(buf, n, "on-demand: %s; offers: %s", e->od_source ? e->od_source : "?",
		 e->offer_source ? e->offer_source : "?");
	return buf;
}

static int
set_text(struct table *t, int r, int col, const char *s, int *bad)
{
	if (table_set_text(t, r, col, s) != 0)
		*bad = 1;
	return 0;
}

static void
eval_row(struct table *t, const struct commit *c, const struct evald *e, int *bad)
{
	const struct group *g = &c->g[e->g];
	int r = table_add_row(t);

	if (r < 0) {
		*bad = 1;
		return;
	}
	set_text(t, r, 0, g->provider, bad);
	set_text(t, r, 1, g->region, bad);
	set_text(t, r, 2, g->itype, bad);
	set_text(t, r, 3, g->platform, bad);
	set_text(t, r, 4, commit_term_names[e->o->term], bad);
	set_text(t, r, 5, commit_payment_names[e->o->payment], bad);
	table_set_int(t, r, 6, e->count);
	table_set_money(t, r, 7, e->upfront);
	table_set_money(t, r, 8, e->od_monthly);
	table_set_money(t, r, 9, e->committed_monthly);
	table_set_money(t, r, 10, e->savings_monthly);
	table_set_num(t, r, 11, e->break_even);
	table_set_num(t, r, 12, e->exp_util);
	table_set_num(t, r, 13, e->cov_before);
	table_set_num(t, r, 14, e->cov_after);
	set_text(t, r, 15, g->currency, bad);
	set_text(t, r, 16, g->family, bad);
	if (sizeflex_factor_in(&c->sf, g->itype) > 0)
		table_set_num(t, r, 17, (double)e->count * sizeflex_factor_in(&c->sf, g->itype));
	{
		char src[512];
		set_text(t, r, 18, source_of(g->cat, src, sizeof src), bad);
	}
}

static int
cmp_rec(const void *a, const void *b, const struct commit *c)
{
	const struct evald *x = &c->ev[*(const int *)a], *y = &c->ev[*(const int *)b];
	if (x->savings_monthly != y->savings_monthly)
		return x->savings_monthly > y->savings_monthly ? -1 : 1;
	return x->g - y->g;
}

static const struct commit *sort_ctx;
static int
cmp_rec_q(const void *a, const void *b)
{
	return cmp_rec(a, b, sort_ctx);
}

/* part i of an assessment reason or fix: "; " between parts */
static void
add_part(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
add_part(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len > 0 && len + 2 < n) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/*
 * The commitments entry of assessment[]: the instance groups used on
 * demand (a size-flexible family counts once, its sizes not again, and
 * GCP machine types and groups billed on daily lines count too), and how
 * many of them the advice assessed: a recommendation or "no saving".  The
 * rest are named by reason: no price (unpriced[]), daily lines, GCP's
 * vCPU and RAM units, or a look-back window too short.  Returns 0, or -1
 * when the emitter ran out of memory.
 */
static int
assess_groups(const struct analysis_ctx *ctx, const struct commit *c, struct emitter *e)
{
	int minh = analysis_opts(ctx)->commit_min_days * 24;
	long elig = 0, done = 0, price = 0, daily = 0, units = 0, shortw = 0;
	char why[512] = "", fix[512] = "";

	for (int gi = 0; gi < c->ng; gi++) {
		const struct group *g = &c->g[gi];
		if (g->merged)
			continue;
		if (g->nonhour) {
			continue;	/* assessed by series (commit-gcp.h) */
		} else if (g->coarse_hours > 0) {
			elig++, daily++;
		} else if (g->od_hours > 0) {
			elig++;
			if (c->H <= 0 || c->H < minh)
				shortw++;
			else if (g->outcome == G_RECOMMENDED || g->outcome == G_NO_SAVING)
				done++;
			else
				price++;
		}
	}
	gcp_cud_assess(c->gcp, c->H > 0 && c->H >= minh, &elig, &done, &price, &daily, &units,
		       &shortw);
	if (price) {
		add_part(why, sizeof why, "%ld without a price for the advice (listed in unpriced[])", price);
		add_part(fix, sizeof fix, "import the provider's price list, or give --pricing FILE"
			 " (unpriced[] has the command for each)");
	}
	if (daily) {
		add_part(why, sizeof why, "%ld billed on lines longer than an hour (a daily CUR)", daily);
		add_part(fix, sizeof fix, "export the CUR with hourly granularity (GCP: the hourly"
			 " billing export)");
	}
	if (units) {
		add_part(why, sizeof why, "%ld GCP core or RAM SKUs not of a predefined machine series"
			 " (custom, sole-tenant, or not in seconds)", units);
		add_part(fix, sizeof fix, "none: commitments for them are not sized");
	}
	if (shortw) {
		add_part(why, sizeof why, "%ld in a look-back window of %.1f days, shorter than"
			 " --commit-min-days", shortw, c->H / 24);
		add_part(fix, sizeof fix, "import more days of bills, or lower --commit-min-days");
	}
	emit_assessment(e, "commitments", "instance_group", elig, done, why, fix);
	return e->failed ? -1 : 0;
}

static int
commit_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e,
	    struct ic_error *err)
{
	const struct commit *c = p;
	struct table *tx = table_new("Existing commitments (analyzed period)", existing_cols, 9);
	struct table *tt = table_new("Commitment utilization by currency", totals_cols, 4);
	struct table *tc = table_new("Coverage by instance type (look-back window)", coverage_cols, 7);
	struct table *tr = table_new("Recommended purchases (best offer per instance type or"
					" size-flexible family; GCP: vCPUs and GiB per series)", rec_cols, 23);
	struct table *to = table_new("Every offer that saves money", rec_cols, 23);
	struct table *ts = table_new("Fleet-wide savings plan alternative", sp_cols, 12);
	struct table *tu = table_new("Used on demand, but not priced: why, and the fix", unpriced_cols, 12);
	struct table *tn = table_new("Used on demand, priced, but no offer saves money", nosave_cols, 14);
	int bad = 0, rc = -1, *order = NULL;
	char a[48], b[48], line[256];

	(void)ctx;
	if (!tx || !tt || !tc || !tr || !to || !ts || !tu || !tn)
		goto out;
	{
		/* a narrow terminal hides the columns of highest prio first */
		/* one per column of rec_cols: the 19 of every provider, then
		 * the 4 GCP ones (series, vCPUs, GiB, basis) */
		static const int rec_prio[sizeof rec_cols / sizeof rec_cols[0]] = {
			3, 0, 0, 2, 0, 1, 0, 1, 2, 2, 0, 1, 3, 3, 2, 4, 4, 5, 5, 3, 2, 2, 5 };
		static const int x_prio[9] = { 0, 0, 1, 1, 2, 0, 0, 0, 1 };
		static const int sp_prio[12] = { 0, 0, 0, 1, 2, 2, 0, 1, 2, 3, 3, 4 };
		if (table_set_prio(tr, rec_prio) || table_set_prio(to, rec_prio) ||
		    table_set_prio(tx, x_prio) || table_set_prio(ts, sp_prio) ||
		    table_sum_col(tr, 7) || table_sum_col(tr, 8) || table_sum_col(tr, 9) ||
		    table_sum_col(tr, 10) || table_sum_col(tx, 5) || table_sum_col(tx, 6))
			goto out;
	}
	if (assess_groups(ctx, c, e) != 0)
		goto out;
	for (int i = 0; i < c->nx; i++) {
		const struct existing *x = &c->x[i];
		int r = table_add_row(tx);
		if (r < 0)
			goto out;
		set_text(tx, r, 0, x->id, &bad);
		set_text(tx, r, 1, x->type, &bad);
		set_text(tx, r, 2, x->region, &bad);
		set_text(tx, r, 3, x->itype, &bad);
		set_text(tx, r, 4, x->currency, &bad);
		table_set_money(tx, r, 5, x->used);
		table_set_money(tx, r, 6, x->unused);
		if (x->used + x->unused > 0)
			table_set_num(tx, r, 7, (double)x->used / (double)(x->used + x->unused));
		table_set_num(tx, r, 8, x->hours);
	}
	/* totals per currency */
	for (int i = 0; i < c->nx; i++) {
		int64_t used = 0, unused = 0;
		int seen = 0, r;
		for (int j = 0; j < i; j++)
			if (streq_null(c->x[j].currency, c->x[i].currency))
				seen = 1;
		if (seen)
			continue;
		for (int j = i; j < c->nx; j++)
			if (streq_null(c->x[j].currency, c->x[i].currency)) {
				used += c->x[j].used;
				unused += c->x[j].unused;
			}
		if ((r = table_add_row(tt)) < 0)
			goto out;
		set_text(tt, r, 0, c->x[i].currency, &bad);
		table_set_money(tt, r, 1, used);
		table_set_money(tt, r, 2, unused);
		if (used + unused > 0)
			table_set_num(tt, r, 3, (double)used / (double)(used + unused));
	}
	for (int i = 0; i < c->ng; i++) {
		const struct group *g = &c->g[i];
		int r;
		if (g->committed_hours + g->standard_hours <= 0 || g->flex)
			continue;
		if ((r = table_add_row(tc)) < 0)
			goto out;
		set_text(tc, r, 0, g->provider, &bad);
		set_text(tc, r, 1, g->region, &bad);
		set_text(tc, r, 2, g->itype, &bad);
		set_text(tc, r, 3, g->platform, &bad);
		table_set_num(tc, r, 4, g->committed_hours);
		table_set_num(tc, r, 5, g->standard_hours);
		table_set_num(tc, r, 6, coverage(g->committed_hours, g->committed_hours + g->standard_hours));
	}
	order = malloc((size_t)(c->nrec + 1) * sizeof *order);
	if (order == NULL)
		goto out;
	if (c->nrec > 0)
		memcpy(order, c->rec, (size_t)c->nrec * sizeof *order);
	sort_ctx = c;
	if (c->nrec > 1)
		qsort(order, (size_t)c->nrec, sizeof *order, cmp_rec_q);
	for (int i = 0; i < c->nrec; i++) {
		const struct evald *v = &c->ev[order[i]];
		const struct group *g = &c->g[v->g];
		char act[256], subj[200], grp[200];
		eval_row(tr, c, v, &bad);
		snprintf(subj, sizeof subj, "%s %s %s %s", g->provider ? g->provider : "",
			 g->region ? g->region : "", g->itype ? g->itype : "", g->platform ? g->platform : "");
		snprintf(act, sizeof act, "buy %ld x %s %s in %s (%s %s)", v->count, g->itype ? g->itype : "",
			 g->platform ? g->platform : "", g->region ? g->region : "",
			 commit_term_names[v->o->term], commit_payment_names[v->o->payment]);
		savings_group(g->region, g->itype, grp, sizeof grp);
		emit_saving(e, SAV_COMMITMENTS, g->currency, v->savings_monthly, subj, grp, act);
	}
	for (int i = 0; i < c->nev; i++)
		eval_row(to, c, &c->ev[i], &bad);
	for (int i = 0; i < c->nsp; i++) {
		const struct sp_alt *s = &c->sp[i];
		int r = table_add_row(ts);
		if (r < 0)
			goto out;
		set_text(ts, r, 0, commit_term_names[s->term], &bad);
		set_text(ts, r, 1, commit_payment_names[s->payment], &bad);
		table_set_money(ts, r, 2, s->hourly);
		if (s->upfront >= 0)
			table_set_money(ts, r, 3, s->upfront);
		table_set_money(ts, r, 4, s->od_monthly);
		table_set_money(ts, r, 5, s->committed_monthly);
		table_set_money(ts, r, 6, s->savings_monthly);
		table_set_num(ts, r, 7, s->rate_ratio);
		table_set_num(ts, r, 8, s->cov_after);
		table_set_int(ts, r, 9, s->ngroups);
		set_text(ts, r, 10, s->currency, &bad);
		set_text(ts, r, 11, s->source, &bad);
	}
	if (c->H >= (double)analysis_opts(ctx)->commit_min_days * 24)
		for (int i = 0; i < c->ng; i++) {
			const struct group *g = &c->g[i];
			int r;
			if (g->merged)
				continue;
			char src[512];
			if (g->outcome == G_NO_SAVING) {
				if ((r = table_add_row(tn)) < 0)
					goto out;
				set_text(tn, r, 0, g->provider, &bad);
				set_text(tn, r, 1, g->region, &bad);
				set_text(tn, r, 2, g->itype, &bad);
				set_text(tn, r, 3, g->platform, &bad);
				table_set_num(tn, r, 4, g->od_hours);
				set_text(tn, r, 5, commit_term_names[g->best_off->term], &bad);
				set_text(tn, r, 6, commit_payment_names[g->best_off->payment], &bad);
				table_set_num(tn, r, 7, g->best_be);
				table_set_num(tn, r, 8, g->avg_util);
				set_text(tn, r, 9, g->currency, &bad);
				set_text(tn, r, 10, source_of(g->cat, src, sizeof src), &bad);
				continue;
			}
			if (g->outcome != G_UNPRICED)
				continue;
			if ((r = table_add_row(tu)) < 0)
				goto out;
			set_text(tu, r, 0, g->provider, &bad);
			set_text(tu, r, 1, g->region, &bad);
			set_text(tu, r, 2, g->itype, &bad);
			set_text(tu, r, 3, g->platform, &bad);
			table_set_num(tu, r, 4, g->od_hours);
			set_text(tu, r, 5, g->reason, &bad);
			set_text(tu, r, 6, g->fix, &bad);
			if (g->cat) {
				table_set_money(tu, r, 7, g->cat->on_demand_hourly);
				set_text(tu, r, 8, g->cat->od_source, &bad);
			}
		}
	if (c->H >= (double)analysis_opts(ctx)->commit_min_days * 24)
		gcp_cud_rows(c->gcp, tr, to, tu, tn, &bad);
	if (bad)
		goto out;

	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "commitments");
		cJSON *w, *cov, *notes;
		if (o == NULL)
			goto out;
		w = cJSON_AddObjectToObject(o, "window");
		if (c->H > 0) {
			cJSON_AddStringToObject(w, "start", time_format(c->win_start, a));
			cJSON_AddStringToObject(w, "end", time_format(c->win_end, b));
		} else {
			cJSON_AddNullToObject(w, "start");
			cJSON_AddNullToObject(w, "end");
		}
		cJSON_AddNumberToObject(w, "hours", c->H);
		cJSON_AddNumberToObject(o, "hours_per_month", HOURS_PER_MONTH);
		if (c->lookback)
			cJSON_AddNumberToObject(w, "lookback_days", c->lookback);
		else
			cJSON_AddNullToObject(w, "lookback_days");
		emit_table(e, tx, o, "existing");
		emit_table(e, tt, o, "totals");
		cJSON_AddStringToObject(o, "utilization_metric", "used / (used + unused) amortized"
					" cost, per commitment and per currency");
		cov = cJSON_AddObjectToObject(o, "coverage");
		cJSON_AddStringToObject(cov, "metric", "instance hours covered by any commitment /"
					" all eligible instance hours");
		cJSON_AddNumberToObject(cov, "covered_hours", c->total_committed);
		cJSON_AddNumberToObject(cov, "eligible_hours", c->total_eligible);
		if (c->total_eligible > 0)
			cJSON_AddNumberToObject(cov, "coverage", c->total_committed / c->total_eligible);
		else
			cJSON_AddNullToObject(cov, "coverage");
		if (coverage_json(c, o) != 0 || gcp_cud_json(c->gcp, o) != 0)
			goto out;
		emit_table(e, tc, o, "coverage_by_type");
		emit_table(e, tr, o, "recommendations");
		emit_table(e, to, o, "offers");
		emit_table(e, ts, o, "savings_plan");
		emit_table(e, tu, o, "unpriced");
		emit_table(e, tn, o, "no_saving");
		notes = cJSON_AddArrayToObject(o, "notes");
		for (int i = 0; i < c->nnotes; i++)
			cJSON_AddItemToArray(notes, cJSON_CreateString(c->notes[i]));
		if (cJSON_GetObjectItem(o, "notes") == NULL)
			goto out;
		if (hourly_usage_json(c, order, o) != 0)
			goto out;
	} else {
		emit_heading(e, "Commitments");
		if (c->H > 0) {
			snprintf(line, sizeof line, "%s to %s (%.0f hours%s)", time_format(c->win_start, a),
				 time_format(c->win_end, b), c->H, c->lookback ? ", --lookback" : "");
			emit_line(e, "Look-back window", line);
		}
		if (c->total_eligible > 0) {
			snprintf(line, sizeof line, "%.1f%% of %.0f instance hours (reservations and"
				 " savings plans, by hours)", 100 * c->total_committed / c->total_eligible,
				 c->total_eligible);
			emit_line(e, "Coverage", line);
			snprintf(line, sizeof line, "%.1f%% of %.0f normalized units (instance hours x"
				 " size factor, as AWS measures reservation coverage)", c->elig_units > 0 ?
				 100 * c->ri_units / c->elig_units : 0.0, c->elig_units);
			emit_line(e, "Reservations", line);
		}
		for (int i = 0; i < c->nspc; i++) {
			const struct sp_cov *v = &c->spc[i];
			char m1[48];
			if (v->covered + v->on_demand <= 0 || v->covered <= 0)
				continue;
			snprintf(line, sizeof line, "%.1f%% of %s %s eligible spend (by cost, as AWS"
				 " measures it: on-demand equivalent covered / that + on-demand)",
				 100.0 * (double)v->covered / (double)(v->covered + v->on_demand),
				 money_format(v->covered + v->on_demand, 2, 1, m1), v->currency);
			emit_line(e, "Savings plans", line);
		}
		if (gcp_cud_coverage_line(c->gcp, line, sizeof line))
			emit_line(e, "GCP coverage", line);
		for (int i = 0; i < c->nnotes; i++)
			emit_line(e, "Note", c->notes[i]);
		if (table_rows(tx))
			emit_table(e, tx, NULL, "existing");
		if (table_rows(tt))
			emit_table(e, tt, NULL, "totals");
		if (table_rows(tc))
			emit_table(e, tc, NULL, "coverage_by_type");
		if (table_rows(tr))
			emit_table(e, tr, NULL, "recommendations");
		else if (e->fmt != FMT_CSV)
			emit_line(e, "Recommendations", "none");
		if (table_rows(ts))
			emit_table(e, ts, NULL, "savings_plan");
		if ((table_rows(tr) || table_rows(ts)) && e->fmt != FMT_CSV)
			emit_line(e, "Monthly", MONTHLY_RULE);
		if (table_rows(tn))
			emit_table(e, tn, NULL, "no_saving");
		if (table_rows(tu))
			emit_table(e, tu, NULL, "unpriced");
	}
	rc = 0;
out:
	if (rc != 0)
		ic_errorf(err, "out of memory");
	free(order);
	table_free(tx);
	table_free(tt);
	table_free(tc);
	table_free(tr);
	table_free(to);
	table_free(ts);
	table_free(tu);
	table_free(tn);
	return rc;
}

static int
commit_run_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	void *raw = NULL, *dummy;

	if (commit_query(ctx, &raw, err) != 0)
		return -1;
	if (commit_compute(ctx, raw, &dummy, err) != 0) {
		commit_free(raw);
		return -1;
	}
	*out = raw;
	return 0;
}

const struct analyzer analyzer_commitments = {
	.name = "commitments",
	.summary = "reservation / savings plan coverage, utilization and what to buy",
	.query = commit_run_query,
	.emit = commit_emit,
	.free_findings = commit_free,
};
