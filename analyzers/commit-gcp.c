/*
 * commit-gcp.c - GCP resource-based committed use discounts sized on the
 * vCPUs and GiB in use per hour (see commit-gcp.h for the rule).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "analyzers/analyzer.h"
#include "analyzers/anutil.h"
#include "analyzers/catalog.h"
#include "analyzers/commit-core.h"
#include "analyzers/commit-gcp.h"
#include "analyzers/pricebook.h"
#include "common/engine.h"
#include "importers/prices.h"
#include "output/table.h"

#define GIB 1073741824.0

/* the assumptions every GCP figure rests on */
#define GCP_BASIS "vCPUs and GiB in use per hour = the series' core and RAM SKU usage" \
	" (seconds / 3600, byte-seconds / 3600 / 2^30) on demand; usage with a committed-use" \
	" credit counts as covered; idle machines are not taken off; commitments in whole vCPUs" \
	" and GiB, billed monthly without upfront"

static void
gnote(struct gcp_cud *gc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
gnote(struct gcp_cud *gc, const char *fmt, ...)
{
	char buf[1400], **nn;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	nn = realloc(gc->notes, (size_t)(gc->nnotes + 1) * sizeof *nn);
	if (nn == NULL) {
		gc->oom = 1;
		return;
	}
	gc->notes = nn;
	if ((nn[gc->nnotes] = strdup(buf)) == NULL) {
		gc->oom = 1;
		return;
	}
	gc->nnotes++;
}

void
gcp_cud_free(struct gcp_cud *gc)
{
	if (gc == NULL)
		return;
	for (int i = 0; i < gc->ng; i++) {
		struct gcp_grp *g = &gc->g[i];
		free(g->provider);
		free(g->region);
		free(g->series);
		free(g->currency);
		free(g->v);
		free(g->m);
	}
	free(gc->g);
	free(gc->ev);
	for (int i = 0; i < gc->nnotes; i++)
		free(gc->notes[i]);
	free(gc->notes);
	for (int i = 0; i < gc->nother; i++)
		free(gc->other[i]);
	free(gc->other);
	free(gc);
}

static struct gcp_grp *
grp_of(struct gcp_cud *gc, const char *prov, const char *region, const char *series,
       const char *cur)
{
	struct gcp_grp *g;

	for (int i = 0; i < gc->ng; i++) {
		g = &gc->g[i];
		if (strcmp(g->provider, prov) == 0 && strcmp(g->region, region) == 0 &&
		    strcmp(g->series, series) == 0 && strcmp(g->currency, cur) == 0)
			return g;
	}
	g = realloc(gc->g, (size_t)(gc->ng + 1) * sizeof *g);
	if (g == NULL)
		return NULL;
	gc->g = g;
	g = &gc->g[gc->ng];
	memset(g, 0, sizeof *g);
	g->provider = strdup(prov);
	g->region = strdup(region);
	g->series = strdup(series);
	g->currency = strdup(cur);
	g->v = calloc((size_t)(gc->nh ? gc->nh : 1), sizeof *g->v);
	g->m = calloc((size_t)(gc->nh ? gc->nh : 1), sizeof *g->m);
	gc->ng++;
	if (!g->provider || !g->region || !g->series || !g->currency || !g->v || !g->m)
		return NULL;
	return g;
}

/* a core or RAM SKU that is not of a predefined series: counted once */
static int
other_sku(struct gcp_cud *gc, const char *desc, double vcpu_hours)
{
	char **no;

	gc->other_v += vcpu_hours;
	for (int i = 0; i < gc->nother; i++)
		if (strcmp(gc->other[i], desc) == 0)
			return 0;
	no = realloc(gc->other, (size_t)(gc->nother + 1) * sizeof *no);
	if (no == NULL)
		return -1;
	gc->other = no;
	if ((no[gc->nother] = strdup(desc)) == NULL)
		return -1;
	gc->nother++;
	return 0;
}

/* columns: provider, region, description, unit, currency, pricing category,
 * hour, span, quantity */
static int
usage_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct gcp_cud *gc = arg;
	const char *desc = an_text(st, 2), *unit = an_text(st, 3);
	int64_t hour = engine_column_int64(st, 6), span = engine_column_int64(st, 7);
	double q = engine_column_double(st, 8), amt;
	char series[16];
	int ram, committed = strcmp(an_text(st, 5), "Committed") == 0;
	struct gcp_grp *g;

	if (!gcp_sku_part(desc, series, sizeof series, &ram) ||
	    strcasecmp(unit, ram ? "byte-seconds" : "seconds") != 0) {
		/* custom, sole-tenant, or a unit that is not seconds */
		if (other_sku(gc, desc, strcasecmp(unit, "seconds") == 0 ? q / 3600 : 0) != 0)
			return ic_errorf(err, "out of memory");
		return 0;
	}
	amt = ram ? q / 3600 / GIB : q / 3600;
	g = grp_of(gc, an_text(st, 0), an_text(st, 1), series, an_text(st, 4));
	if (g == NULL)
		return ic_errorf(err, "out of memory");
	if (committed) {
		*(ram ? &g->cm_m : &g->cm_v) += amt;
	} else if (span > 3600) {
		*(ram ? &g->coarse_m : &g->coarse_v) += amt;
	} else {
		int64_t h = (hour - gc->win_start) / 3600;
		if (h >= 0 && h < gc->nh) {
			(ram ? g->m : g->v)[h] += amt;
			*(ram ? &g->od_m : &g->od_v) += amt;
		}
	}
	return 0;
}

int
gcp_cud_query(const struct analysis_ctx *ctx, int64_t win_start, int nh, double H,
	      struct gcp_cud **out, struct ic_error *err)
{
	struct gcp_cud *gc = calloc(1, sizeof *gc);
	struct engine_stmt *st;
	int r;

	*out = NULL;
	if (gc == NULL)
		return ic_errorf(err, "out of memory");
	gc->win_start = win_start;
	gc->nh = nh;
	gc->H = H;
	/* Only GCP usage is read below, from the charges themselves (hourly,
	 * by usage type: no rollup keeps those).  rollup_daily holds every
	 * charge's provider, category and start: without a GCP usage row in
	 * the window there is nothing to read, and an AWS year is not
	 * scanned charge by charge (3.7 s of a 12-month analyze). */
	st = an_prepare(ctx,
		"SELECT 1 AS x FROM rollup_daily WHERE min_start < ? AND max_start >= ?"
		" AND ProviderName IN ('Google Cloud', 'Google Cloud Platform', 'GCP')"
		" AND ChargeCategory = 'Usage' AND PricingCategory IN ('Standard', 'Committed')"
		" LIMIT 1", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, win_start + (int64_t)nh * 3600);
	engine_bind_int64(st, 2, win_start);
	r = engine_step(st, err);
	engine_finalize(st);
	if (r < 0) {
		an_step_error("reading GCP vCPU and RAM usage", err);
		goto fail;
	}
	if (r == 0) {
		*out = gc;
		return 0;
	}
	st = an_prepare(ctx,
		"SELECT ProviderName, RegionId, x_UsageType, ConsumedUnit, BillingCurrency,"
		" PricingCategory, ChargePeriodStart - ChargePeriodStart % 3600 AS hour_start,"
		" ChargePeriodEnd - ChargePeriodStart AS span, SUM(ConsumedQuantity) AS qty"
		" FROM charges WHERE ChargePeriodStart >= ? AND ChargePeriodStart < ?"
		" AND ProviderName IN ('Google Cloud', 'Google Cloud Platform', 'GCP')"
		" AND ChargeCategory = 'Usage' AND PricingCategory IN ('Standard', 'Committed')"
		" AND RegionId IS NOT NULL AND RegionId <> '' AND ConsumedQuantity > 0"
		" AND x_UsageType IS NOT NULL AND ConsumedUnit IS NOT NULL"
		" AND (x_UsageType LIKE '%Core running in%' OR x_UsageType LIKE '%Ram running in%')"
		" GROUP BY ProviderName, RegionId, x_UsageType, ConsumedUnit, BillingCurrency,"
		" PricingCategory, ChargePeriodStart - ChargePeriodStart % 3600,"
		" ChargePeriodEnd - ChargePeriodStart"
		" ORDER BY ProviderName, RegionId, x_UsageType, ConsumedUnit, BillingCurrency,"
		" PricingCategory, hour_start, span", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, win_start);
	engine_bind_int64(st, 2, win_start + (int64_t)nh * 3600);
	if (an_each(st, "reading GCP vCPU and RAM usage", usage_row, gc, err) != 0)
		goto fail;
	*out = gc;
	return 0;
fail:
	gcp_cud_free(gc);
	return -1;
}

/* the committed-use offer of a per-unit entry for term t, or NULL */
static const struct catalog_offer *
offer_of(const struct catalog_entry *e, int t)
{
	for (int k = 0; e && k < e->noffers; k++)
		if (!e->offers[k].savings_plan && (int)e->offers[k].term == t &&
		    e->offers[k].payment == PAY_NO_UPFRONT)
			return &e->offers[k];
	return NULL;
}

static const struct catalog_entry *
unit_price(const struct analysis_ctx *ctx, const struct gcp_grp *g, int ram)
{
	const struct catalog_entry *e;
	char type[48];

	if (ctx->catalog == NULL)
		return NULL;
	e = catalog_find(ctx->catalog, g->provider, g->region,
			 gcp_unit_type(g->series, ram, type, sizeof type), "Linux");
	if (e && e->currency && strcasecmp(e->currency, g->currency) != 0)
		return NULL;
	return e;
}

/* "X" when on-demand and committed prices come from one place, else both */
static void
source_text(const struct catalog_entry *e, char *buf, size_t n)
{
	const char *od = e->od_source ? e->od_source : "?", *of = e->offer_source ? e->offer_source : "?";

	if (strcmp(od, of) == 0)
		snprintf(buf, n, "%s", od);
	else
		snprintf(buf, n, "on-demand: %s; committed use: %s", od, of);
}

static void
group_source(struct gcp_grp *g)
{
	char a[280], b[280];

	source_text(g->cat_v, a, sizeof a);
	source_text(g->cat_m, b, sizeof b);
	if (strcmp(a, b) == 0)
		snprintf(g->source, sizeof g->source, "%s", a);
	else
		snprintf(g->source, sizeof g->source, "vCPU: %s; RAM: %s", a, b);
}

static double
ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

static int
add_eval(struct gcp_cud *gc, const struct gcp_eval *e)
{
	struct gcp_eval *n = realloc(gc->ev, (size_t)(gc->nev + 1) * sizeof *n);

	if (n == NULL)
		return -1;
	gc->ev = n;
	gc->ev[gc->nev++] = *e;
	return 0;
}

int
gcp_cud_compute(const struct analysis_ctx *ctx, struct gcp_cud *gc, int assess)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	int ngcp = 0;

	for (int gi = 0; gi < gc->ng; gi++) {
		struct gcp_grp *g = &gc->g[gi];
		double elig_v = g->cm_v + g->od_v + g->coarse_v, umax = 0;
		int have_term = 0;
		struct gcp_eval best;

		if (g->od_v + g->od_m + g->coarse_v + g->coarse_m <= 0)
			continue;
		ngcp++;
		if (!assess)
			continue;
		if (g->coarse_v + g->coarse_m > 0) {
			g->outcome = GG_DAILY;
			gnote(gc, "%s %s %s: %.1f on-demand vCPU-hours come on lines longer than an hour"
			      " (a daily export), which do not say how many vCPUs ran in each hour: not"
			      " assessed for committed use discounts; export the billing data with its"
			      " hourly usage_start_time/usage_end_time (the BigQuery export is hourly)",
			      g->provider, g->region, g->series, g->coarse_v);
			continue;
		}
		g->cat_v = unit_price(ctx, g, 0);
		g->cat_m = unit_price(ctx, g, 1);
		if (g->cat_v == NULL || g->cat_m == NULL) {
			g->outcome = GG_UNPRICED;
			snprintf(g->reason, sizeof g->reason, "no on-demand %s price per unit for machine"
				 " series %s in this region in %s (Billing Catalog core and RAM SKUs)",
				 g->cat_v == NULL ? "vCPU" : "RAM", g->series, g->currency);
			pricebook_fix(g->provider, g->region, NULL, g->fix, sizeof g->fix);
			continue;
		}
		group_source(g);
		memset(&best, 0, sizeof best);
		best.g = -1;
		for (int h = 0; h < gc->nh; h++)
			umax = g->v[h] > umax ? g->v[h] : umax;
		for (int t = 0; t < NTERMS; t++) {
			const struct catalog_offer *ov = offer_of(g->cat_v, t), *om = offer_of(g->cat_m, t);
			double pv = (double)g->cat_v->on_demand_hourly, pm = (double)g->cat_m->on_demand_hourly;
			double cv, cm, covv = 0, covm = 0;
			struct gcp_eval e;

			if (!(o->term_mask >> t & 1) || !(o->payment_mask >> PAY_NO_UPFRONT & 1) ||
			    ov == NULL || om == NULL)
				continue;
			cv = catalog_offer_rate(ov);
			cm = catalog_offer_rate(om);
			memset(&e, 0, sizeof e);
			e.g = gi;
			e.term = (enum commit_term)t;
			e.be_vcpu = ratio(cv, pv);
			e.be_gib = ratio(cm, pm);
			if (!have_term || e.be_vcpu < g->best_be) {
				g->best_be = e.be_vcpu;
				g->best_term = e.term;
			}
			have_term = 1;
			e.vcpus = commit_optimal_count(g->v, gc->nh, pv, cv, gc->H, &covv);
			e.gib = commit_optimal_count(g->m, gc->nh, pm, cm, gc->H, &covm);
			if (e.vcpus <= 0 && e.gib <= 0)
				continue;
			e.od_monthly = an_nanos((pv * covv + pm * covm) * HOURS_PER_MONTH / gc->H);
			e.committed_monthly = an_nanos((cv * (double)e.vcpus + cm * (double)e.gib) *
						       HOURS_PER_MONTH);
			e.savings_monthly = e.od_monthly - e.committed_monthly;
			e.cov_before = ratio(g->cm_v, elig_v);
			e.cov_after = ratio(g->cm_v + covv, elig_v);
			e.exp_util = e.vcpus > 0 ? covv / ((double)e.vcpus * gc->H) : NAN;
			if (e.savings_monthly <= 0)
				continue;
			if (add_eval(gc, &e) != 0)
				return -1;
			if (best.g < 0 || e.savings_monthly > best.savings_monthly ||
			    (e.savings_monthly == best.savings_monthly &&
			     commit_term_hours[e.term] < commit_term_hours[best.term])) {
				best = e;
				g->best = gc->nev - 1;
			}
		}
		if (best.g >= 0) {
			g->outcome = GG_RECOMMENDED;
		} else if (have_term) {
			g->outcome = GG_NO_SAVING;
			g->avg_util = umax > 0 ? g->od_v / (umax * gc->H) : NAN;
		} else {
			g->outcome = GG_UNPRICED;
			snprintf(g->reason, sizeof g->reason, "no committed-use price (Commit1Yr/Commit3Yr"
				 " core and RAM SKUs) for machine series %s in this region within --term and"
				 " --payment (GCP commitments are billed monthly: no_upfront)", g->series);
			pricebook_fix(g->provider, g->region, NULL, g->fix, sizeof g->fix);
		}
	}
	if (ngcp > 0 && assess)
		gnote(gc, "GCP: committed use discounts are sized per machine series and region in vCPUs"
		      " and GiB (resource-based commitments), not machine types: %s", GCP_BASIS);
	if (gc->nother > 0)
		gnote(gc, "GCP: %d core or RAM SKU%s not of a predefined machine series (custom,"
		      " sole-tenant, or usage not in seconds), %.1f vCPU-hours: not assessed for"
		      " committed use discounts", gc->nother, gc->nother == 1 ? "" : "s", gc->other_v);
	return gc->oom ? -1 : 0;
}

static void
set_text(struct table *t, int r, int col, const char *s, int *bad)
{
	if (table_set_text(t, r, col, s) != 0)
		*bad = 1;
}

/* provider, region, "N2 vCPU+RAM", and the series column at first */
/* g's series in upper case ("N2") into up (16 bytes). */
static void
series_upper(const struct gcp_grp *g, char *up)
{
	size_t k = 0;

	for (; g->series[k] && k + 1 < 16; k++)
		up[k] = (char)(g->series[k] >= 'a' && g->series[k] <= 'z' ? g->series[k] - 32 : g->series[k]);
	up[k] = '\0';
}

/* The instance_type of g's rows ("N2 vCPU + RAM") into label (48 bytes). */
static void
series_label(const struct gcp_grp *g, char *label)
{
	char up[16];

	series_upper(g, up);
	snprintf(label, 48, "%s vCPU + RAM", up);
}

static int
key_cells(struct table *t, const struct gcp_grp *g, int first, int *bad)
{
	char label[48], up[16];
	int r = table_add_row(t);

	if (r < 0) {
		*bad = 1;
		return -1;
	}
	series_upper(g, up);
	series_label(g, label);
	set_text(t, r, 0, g->provider, bad);
	set_text(t, r, 1, g->region, bad);
	set_text(t, r, 2, label, bad);
	set_text(t, r, first, up, bad);
	return r;
}

static void
eval_row(struct table *t, const struct gcp_cud *gc, const struct gcp_eval *e, int *bad)
{
	const struct gcp_grp *g = &gc->g[e->g];
	int r = key_cells(t, g, GCP_REC_FIRST, bad);

	if (r < 0)
		return;
	set_text(t, r, 4, commit_term_names[e->term], bad);
	set_text(t, r, 5, commit_payment_names[PAY_NO_UPFRONT], bad);
	table_set_money(t, r, 7, 0);
	table_set_money(t, r, 8, e->od_monthly);
	table_set_money(t, r, 9, e->committed_monthly);
	table_set_money(t, r, 10, e->savings_monthly);
	table_set_num(t, r, 11, e->be_vcpu);
	table_set_num(t, r, 12, e->exp_util);
	table_set_num(t, r, 13, e->cov_before);
	table_set_num(t, r, 14, e->cov_after);
	set_text(t, r, 15, g->currency, bad);
	set_text(t, r, 18, g->source, bad);
	table_set_int(t, r, GCP_REC_FIRST + 1, e->vcpus);
	table_set_int(t, r, GCP_REC_FIRST + 2, e->gib);
	set_text(t, r, GCP_REC_FIRST + 3, "break-even and utilization in vCPUs, coverage in vCPU-hours;"
		 " " GCP_BASIS, bad);
}

static int
cmp_savings(const void *a, const void *b, const struct gcp_cud *gc)
{
	const struct gcp_eval *x = &gc->ev[gc->g[*(const int *)a].best];
	const struct gcp_eval *y = &gc->ev[gc->g[*(const int *)b].best];

	if (x->savings_monthly != y->savings_monthly)
		return x->savings_monthly > y->savings_monthly ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

/* The recommended groups of gc, largest saving first (*n of them).
 * Caller frees with free(); NULL when out of memory. */
static int *
recommended_order(const struct gcp_cud *gc, int *n)
{
	int *order = malloc((size_t)(gc->ng + 1) * sizeof *order);

	*n = 0;
	if (order == NULL)
		return NULL;
	for (int i = 0; i < gc->ng; i++)
		if (gc->g[i].outcome == GG_RECOMMENDED)
			order[(*n)++] = i;
	/* insertion sort: few groups, and qsort has no context argument */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0 && cmp_savings(&order[j - 1], &order[j], gc) > 0; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	return order;
}

int
gcp_cud_recommended(const struct gcp_cud *gc, struct commit_rec **r, int *nr)
{
	int *order, n;

	if (gc == NULL)
		return 0;
	if ((order = recommended_order(gc, &n)) == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct gcp_grp *g = &gc->g[order[i]];
		const struct gcp_eval *e = &gc->ev[g->best];
		char label[48];

		series_label(g, label);
		if (commit_recs_add(r, nr, g->region, label, commit_term_names[e->term],
				    commit_payment_names[PAY_NO_UPFRONT], 0, e->savings_monthly,
				    g->currency) != 0) {
			free(order);
			return -1;
		}
	}
	free(order);
	return 0;
}

void
gcp_cud_rows(const struct gcp_cud *gc, struct table *tr, struct table *to, struct table *tu,
	     struct table *tn, int *bad)
{
	int *order, n = 0;

	if (gc == NULL)
		return;
	if ((order = recommended_order(gc, &n)) == NULL) {
		*bad = 1;
		return;
	}
	for (int i = 0; i < n; i++)
		eval_row(tr, gc, &gc->ev[gc->g[order[i]].best], bad);
	free(order);
	for (int i = 0; i < gc->nev; i++)
		eval_row(to, gc, &gc->ev[i], bad);
	for (int i = 0; i < gc->ng; i++) {
		const struct gcp_grp *g = &gc->g[i];
		int r;

		if (g->outcome == GG_UNPRICED) {
			if ((r = key_cells(tu, g, GCP_UNPRICED_FIRST, bad)) < 0)
				return;
			set_text(tu, r, 5, g->reason, bad);
			set_text(tu, r, 6, g->fix, bad);
			if (g->cat_v) {
				table_set_money(tu, r, 7, g->cat_v->on_demand_hourly);
				set_text(tu, r, 8, g->cat_v->od_source, bad);
			}
			table_set_num(tu, r, GCP_UNPRICED_FIRST + 1, g->od_v);
			table_set_num(tu, r, GCP_UNPRICED_FIRST + 2, g->od_m);
		} else if (g->outcome == GG_NO_SAVING) {
			if ((r = key_cells(tn, g, GCP_NOSAVE_FIRST, bad)) < 0)
				return;
			set_text(tn, r, 5, commit_term_names[g->best_term], bad);
			set_text(tn, r, 6, commit_payment_names[PAY_NO_UPFRONT], bad);
			table_set_num(tn, r, 7, g->best_be);
			table_set_num(tn, r, 8, g->avg_util);
			set_text(tn, r, 9, g->currency, bad);
			set_text(tn, r, 10, g->source, bad);
			table_set_num(tn, r, GCP_NOSAVE_FIRST + 1, g->od_v);
			table_set_num(tn, r, GCP_NOSAVE_FIRST + 2, g->od_m);
		}
	}
}

static void
totals(const struct gcp_cud *gc, double *cv, double *ev, double *cm, double *em)
{
	*cv = *ev = *cm = *em = 0;
	for (int i = 0; gc && i < gc->ng; i++) {
		const struct gcp_grp *g = &gc->g[i];
		*cv += g->cm_v;
		*ev += g->cm_v + g->od_v + g->coarse_v;
		*cm += g->cm_m;
		*em += g->cm_m + g->od_m + g->coarse_m;
	}
}

int
gcp_cud_json(const struct gcp_cud *gc, void *parent)
{
	cJSON *o = cJSON_AddObjectToObject(parent, "gcp_coverage");
	double cv, ev, cm, em;

	if (o == NULL)
		return -1;
	totals(gc, &cv, &ev, &cm, &em);
	cJSON_AddStringToObject(o, "metric", "vCPU-hours on committed use discounts / all vCPU-hours"
				" of predefined machine series (GCP's core SKUs; memory apart, in"
				" GiB-hours)");
	cJSON_AddNumberToObject(o, "covered_vcpu_hours", cv);
	cJSON_AddNumberToObject(o, "eligible_vcpu_hours", ev);
	if (ev > 0)
		cJSON_AddNumberToObject(o, "coverage", cv / ev);
	else
		cJSON_AddNullToObject(o, "coverage");
	cJSON_AddNumberToObject(o, "covered_memory_gib_hours", cm);
	cJSON_AddNumberToObject(o, "eligible_memory_gib_hours", em);
	if (em > 0)
		cJSON_AddNumberToObject(o, "memory_coverage", cm / em);
	else
		cJSON_AddNullToObject(o, "memory_coverage");
	return cJSON_GetObjectItem(o, "memory_coverage") ? 0 : -1;
}

int
gcp_cud_coverage_line(const struct gcp_cud *gc, char *buf, size_t n)
{
	double cv, ev, cm, em;

	totals(gc, &cv, &ev, &cm, &em);
	if (ev <= 0)
		return 0;
	snprintf(buf, n, "%.1f%% of %.0f vCPU-hours on committed use discounts (by vCPU-hours);"
		 " memory %.1f%% of %.0f GiB-hours", 100 * cv / ev, ev, em > 0 ? 100 * cm / em : 0.0, em);
	return 1;
}

void
gcp_cud_assess(const struct gcp_cud *gc, int assess, long *elig, long *done, long *price,
	       long *daily, long *other, long *shortw)
{
	for (int i = 0; gc && i < gc->ng; i++) {
		const struct gcp_grp *g = &gc->g[i];
		if (g->od_v + g->od_m + g->coarse_v + g->coarse_m <= 0)
			continue;
		(*elig)++;
		if (!assess)
			(*shortw)++;
		else if (g->outcome == GG_RECOMMENDED || g->outcome == GG_NO_SAVING)
			(*done)++;
		else if (g->outcome == GG_DAILY)
			(*daily)++;
		else
			(*price)++;
	}
	if (gc && gc->nother > 0) {
		*elig += gc->nother;
		*other += gc->nother;
	}
}
