/*
 * commitments.c - reservations, savings plans and subscriptions: how well
 * the existing ones are used, and what to buy.  This file emits the
 * findings; commit-query.c reads them and commit-compute.c sizes the
 * purchases (commitments-int.h), commit-gcp.c does GCP's resource-based CUDs.
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
#include "analyzers/columns.h"
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

/* "X", or "on-demand: X; offers: Y" when the two differ */
static const char *
source_of(const struct catalog_entry *e, char *buf, size_t n)
{
	if (e == NULL)
		return NULL;
	if (commit_streq_null(e->od_source, e->offer_source))
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

int *
commit_rec_order(const struct commit *c)
{
	int *order = malloc((size_t)(c->nrec + 1) * sizeof *order);

	if (order == NULL)
		return NULL;
	if (c->nrec > 0)
		memcpy(order, c->rec, (size_t)c->nrec * sizeof *order);
	sort_ctx = c;
	if (c->nrec > 1)
		qsort(order, (size_t)c->nrec, sizeof *order, cmp_rec_q);
	return order;
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
	struct table *tx = table_new("Existing commitments (analyzed period)",
				       commitments_existing_columns.cols, commitments_existing_columns.n);
	struct table *tt = table_new("Commitment utilization by currency",
				       commitments_totals_columns.cols, commitments_totals_columns.n);
	struct table *tc = table_new("Coverage by instance type (look-back window)",
				       commitments_coverage_columns.cols, commitments_coverage_columns.n);
	struct table *tr = table_new("Recommended purchases (best offer per instance type or"
					" size-flexible family; GCP: vCPUs and GiB per series)",
				       commitments_rec_columns.cols, commitments_rec_columns.n);
	struct table *to = table_new("Every offer that saves money", commitments_rec_columns.cols,
				       commitments_rec_columns.n);
	struct table *ts = table_new("Fleet-wide savings plan alternative",
				       commitments_sp_columns.cols, commitments_sp_columns.n);
	struct table *tu = table_new("Used on demand, but not priced: why, and the fix",
				       commitments_unpriced_columns.cols, commitments_unpriced_columns.n);
	struct table *tn = table_new("Used on demand, priced, but no offer saves money",
				       commitments_nosave_columns.cols, commitments_nosave_columns.n);
	int bad = 0, rc = -1, *order = NULL;
	char a[48], b[48], line[256];

	(void)ctx;
	if (!tx || !tt || !tc || !tr || !to || !ts || !tu || !tn)
		goto out;
	{
		/* a narrow terminal hides the columns of highest prio first */
		/* one per column of commitments_rec_columns: the 19 of every provider, then
		 * the 4 GCP ones (series, vCPUs, GiB, basis) */
		static const int rec_prio[GCP_REC_FIRST + 4] = {
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
			if (commit_streq_null(c->x[j].currency, c->x[i].currency))
				seen = 1;
		if (seen)
			continue;
		for (int j = i; j < c->nx; j++)
			if (commit_streq_null(c->x[j].currency, c->x[i].currency)) {
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
		table_set_num(tc, r, 6, commit_coverage(g->committed_hours, g->committed_hours + g->standard_hours));
	}
	if ((order = commit_rec_order(c)) == NULL)
		goto out;
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

int
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
	.aside = 1,
};

