/*
 * commit-gcp.h - GCP resource-based committed use discounts, sized on the
 * vCPUs and GiB of memory in use per hour (part of the commitments
 * analysis, analyzers/commitments.c; not an analyzer of its own).
 *
 * GCP sells resource-based commitments as a number of vCPUs and GiB of a
 * machine series in a region for 1 or 3 years, billed monthly (no
 * upfront), not as machine types.  Usage: the bill's "<SERIES> Instance
 * Core|Ram running in <place>" lines (and "N1 Predefined ...", "Compute
 * optimized ..."), in seconds (vCPU-seconds) and byte-seconds: vCPUs in
 * use in an hour = seconds / 3600, GiB = byte-seconds / 3600 / 2^30.
 * Lines with a committed-use credit (PricingCategory Committed) are the
 * existing coverage; the advice is sized on the rest (on demand), per
 * (provider, region, series, currency), with commit_optimal_count for the
 * vCPUs and for the GiB separately (their savings add up), priced with the
 * catalog's per-unit entries GCP_UNIT_TYPES (importers/prices.h: the
 * Billing Catalog's OnDemand and Commit1Yr/Commit3Yr core and RAM SKUs, or
 * a --pricing file).
 */
#ifndef IMCOST_COMMIT_GCP_H
#define IMCOST_COMMIT_GCP_H

#include <stdint.h>

#include "analyzers/options.h"
#include "common/error.h"

struct analysis_ctx;
struct catalog_entry;
struct table;

/* one term's advice for a group */
struct gcp_eval {
	int g;				/* index into gcp_cud.g */
	enum commit_term term;
	long vcpus, gib;		/* commit_vcpus, commit_memory_gb */
	double be_vcpu, be_gib;		/* break-even: committed / on-demand rate */
	double cov_before, cov_after;	/* vCPU-hours */
	double exp_util;		/* vCPU-hours covered / (vcpus x H) */
	int64_t od_monthly, committed_monthly, savings_monthly;
};

struct gcp_grp {
	char *provider, *region, *series, *currency;	/* series lower case: "n2" */
	double *v, *m;			/* nh hours: on-demand vCPUs, GiB in use */
	double od_v, od_m;		/* on-demand vCPU-hours, GiB-hours (hourly lines) */
	double cm_v, cm_m;		/* on committed use discounts */
	double coarse_v, coarse_m;	/* on demand, on lines longer than an hour */
	const struct catalog_entry *cat_v, *cat_m;
	enum { GG_NONE, GG_RECOMMENDED, GG_NO_SAVING, GG_UNPRICED, GG_DAILY } outcome;
	int best;			/* index into gcp_cud.ev when recommended */
	enum commit_term best_term;	/* no saving: the term of the lowest break-even */
	double best_be, avg_util;
	char reason[200], fix[400], source[700];
};

struct gcp_cud {
	int64_t win_start;
	int nh;
	double H;
	struct gcp_grp *g;
	int ng;
	struct gcp_eval *ev;		/* every term that saves */
	int nev;
	char **notes;
	int nnotes;
	char **other;			/* distinct core/RAM SKUs not of a predefined series */
	int nother;
	double other_v;			/* their vCPU-hours */
	int oom;
};

/* The GCP core and RAM usage of [win_start, win_start + nh hours) into a
 * new *out (free with gcp_cud_free).  Returns 0 or -1 with err set. */
int gcp_cud_query(const struct analysis_ctx *ctx, int64_t win_start, int nh, double H,
		  struct gcp_cud **out, struct ic_error *err);
/* The advice (assess: the window is long enough).  Returns 0 or -1 (out of
 * memory). */
int gcp_cud_compute(const struct analysis_ctx *ctx, struct gcp_cud *gc, int assess);
/* Rows of the commitments tables: tr recommendations, to every offer that
 * saves, tu unpriced, tn no saving (commit-columns.c's rec_cols, unpriced_cols
 * and nosave_cols, with the GCP columns below at GCP_*_FIRST).  *bad is
 * set when out of memory. */
void gcp_cud_rows(const struct gcp_cud *gc, struct table *tr, struct table *to, struct table *tu,
		  struct table *tn, int *bad);
/* The commitments.gcp_coverage JSON object into o (a cJSON *). */
int gcp_cud_json(const struct gcp_cud *gc, void *o);
/* "X% of Y vCPU-hours ..." into buf, or 0 when there is no GCP usage. */
int gcp_cud_coverage_line(const struct gcp_cud *gc, char *buf, size_t n);
/* assessment counts: groups eligible, assessed, unpriced, daily, other SKUs */
void gcp_cud_assess(const struct gcp_cud *gc, int assess, long *elig, long *done, long *price,
		    long *daily, long *other, long *shortw);
void gcp_cud_free(struct gcp_cud *gc);

/* Append gc's recommended CUDs to *r (*nr entries; commit_recs_add), in
 * the order of their recommendations[] rows.  gc NULL: none.  Returns 0,
 * or -1 when out of memory. */
struct commit_rec;
int gcp_cud_recommended(const struct gcp_cud *gc, struct commit_rec **r, int *nr);

/* the extra columns of the tables, appended to each: they start at these
 * indexes of rec_cols, unpriced_cols and nosave_cols (commit-columns.c) */
#define GCP_REC_FIRST 19
#define GCP_UNPRICED_FIRST 9
#define GCP_NOSAVE_FIRST 11
#define GCP_REC_COLS \
	{ "machine_series", "Series", CELL_TEXT, 0 }, \
	{ "commit_vcpus", "vCPUs", CELL_INT, 0 }, \
	{ "commit_memory_gb", "GiB", CELL_INT, 0 }, \
	{ "basis", "Basis", CELL_TEXT, 0 }
#define GCP_USAGE_COLS \
	{ "machine_series", "Series", CELL_TEXT, 0 }, \
	{ "on_demand_vcpu_hours", "On-demand vCPU-h", CELL_NUM, 3 }, \
	{ "on_demand_memory_gib_hours", "On-demand GiB-h", CELL_NUM, 3 }

#endif
