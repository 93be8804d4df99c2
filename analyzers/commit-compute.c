/*
 * commit-compute.c - the sizing of the commitments analyzer's purchases
 * (its arithmetic is commit-optimal.c's): every offer of every
 * group evaluated, the best per group (or per size-flexible family)
 * recommended, the fleet-wide savings plan alternative, and why a group
 * got no advice (unpriced, or no offer saves).
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
/* ---- compute ---- */

double
commit_coverage(double committed, double eligible)
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
				else if (!commit_streq_null(cur, g->currency))
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
				else if (!commit_streq_null(src, g->cat->sp_source))
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
			sa->cov_after = commit_coverage(committed + cov, elig);
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

	return strcmp(fa, fb) == 0 && commit_streq_null(a->provider, b->provider) &&
		commit_streq_null(a->region, b->region) && commit_streq_null(a->currency, b->currency) &&
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
		commit_note(c, "%s %s %s: the sizes of the family are sized together in normalized units"
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
	commit_note(c, "%s %s %s %s: %.1f on-demand instance hours come on lines longer than an hour"
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

int
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
		commit_note(c, "%s: %d machine type%s billed in vCPU-seconds and RAM byte-seconds, not instance"
		     " hours: not in the instance-hour coverage (their quantities are not hours); their"
		     " series' vCPUs and GiB are assessed for committed use discounts instead (gcp_coverage,"
		     " in vCPU-hours)", c->nonhour_provider,
		     c->nonhour_groups, c->nonhour_groups == 1 ? "" : "s");
	if (c->gcp) {
		if (gcp_cud_compute(ctx, c->gcp, c->H > 0 && c->H >= (double)o->commit_min_days * 24) != 0)
			return ic_errorf(err, "out of memory");
		for (int i = 0; i < c->gcp->nnotes; i++)
			commit_note(c, "%s", c->gcp->notes[i]);
	}
	if (size_flex_groups(c) != 0)
		return ic_errorf(err, "out of memory");
	if (c->H <= 0) {
		commit_note(c, "no usage in the analyzed period: no purchase advice");
		goto done;
	}
	if (c->H < (double)o->commit_min_days * 24) {
		commit_note(c, "the look-back window is %.1f days, shorter than %d: no purchase advice"
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
			e.cov_before = commit_coverage(g->committed_hours, elig);
			e.cov_after = commit_coverage(g->committed_hours + covered, elig);
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
			commit_note(c, "no prices for the instance types used on demand: see unpriced[] for"
			     " the price list to import (imcost import FILE) or give --pricing FILE");
	}
done:
	if (c->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

