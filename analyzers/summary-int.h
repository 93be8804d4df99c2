/*
 * summary-int.h - what summary.c and summary-resources.c share: the
 * findings of the summary analyzer.  Not a public API.
 */
#ifndef IMCOST_SUMMARY_INT_H
#define IMCOST_SUMMARY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/analyzer.h"

enum { BY_SERVICE, BY_ACCOUNT, BY_REGION, BY_CATEGORY, BY_DAY, BY_DAY_SERVICE, BY_RESOURCE, NBY };

#define SLICE_TOP_UNTAGGED 10

/* one group of --group-by (or one untagged resource) */
struct group_row {
	char *key;		/* NULL: charges without the key */
	int64_t billed, eff;
};

struct group_list {
	struct group_row *r;
	size_t n, cap;
};

struct cur_summary {
	char currency[16];
	int64_t billed, effective;
	long rows;
	struct table *by[NBY];
	struct group_list groups, untagged;	/* with --group-by */
};

struct summary {
	int n;
	struct cur_summary *c;	/* main currency first */
};


/* an_prepare of sql with the slice's filters and days applied
 * (slice_sql).  NULL with err set. */
struct engine_stmt *summary_prepare(const struct analysis_ctx *ctx, const char *sql,
				   struct ic_error *err);

/* Fill the by[BY_RESOURCE] table of every currency of s with its top
 * analysis_opts(ctx)->top_resources resources.  Returns 0 or -1 with err
 * set. */
int summary_top_resources(const struct analysis_ctx *ctx, struct summary *s,
			  struct ic_error *err);

#endif
