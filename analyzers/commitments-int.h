/*
 * commitments-int.h - what the files of the commitments analyzer share
 * (commit-query.c reads the usage, commit-compute.c sizes the purchases,
 * commitments.c emits them): the findings.  Not a public API.
 */
#ifndef IMCOST_COMMIT_INT_H
#define IMCOST_COMMIT_INT_H

#include <stdint.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/commit-gcp.h"
#include "analyzers/sizeflex.h"

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

/* ---- commit-query.c ---- */

/* Read what the analysis needs for ctx's period into a new struct commit
 * (*out; free with commit_free).  0, or -1 with err set. */
int commit_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err);
/* Free a struct commit and all it holds; NULL is fine. */
void commit_free(void *p);
/* Add a note (printf-style, cut at 511 bytes) to c->notes; oom set on
 * failure. */
void commit_note(struct commit *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Are a and b the same string, or both NULL? */
int commit_streq_null(const char *a, const char *b);

/* ---- commit-compute.c ---- */

/* Evaluate the offers and size the purchases of the struct commit raw
 * (commit_query), in place: the findings are raw itself, and *findings is
 * set to NULL.  0, or -1 with err set. */
int commit_compute(const struct analysis_ctx *ctx, void *raw, void **findings, struct ic_error *err);
/* ---- commitments.c ---- */

/* c->rec sorted as recommendations[] lists them: largest saving first.
 * Caller frees with free(); NULL when out of memory. */
int *commit_rec_order(const struct commit *c);
/* commit_query, then commit_compute: the analyzer's query.  *out: the
 * struct commit (commit_free).  0, or -1 with err set. */
int commit_run_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err);

/* committed / eligible, NaN when nothing is eligible. */
double commit_coverage(double committed, double eligible);

#endif
