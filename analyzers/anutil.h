/*
 * anutil.h - small helpers shared by the analyzers (not a public API).
 */
#ifndef IMCOST_ANUTIL_H
#define IMCOST_ANUTIL_H

#include <stdint.h>

#include "common/error.h"

/* ---- the engine API (common/engine.h): what analyzers use ---- */

struct engine;
struct engine_stmt;
struct analysis_ctx;
struct an_coverage;

/* Prepare sql on ctx->eng (engine macros, `?`/`?N` placeholders).
 * Returns a statement the caller finalizes (an_each does), or NULL with
 * err set. */
struct engine_stmt *an_prepare(const struct analysis_ctx *ctx, const char *sql,
			       struct ic_error *err);

/* Step st to the end calling row(arg, st) for each row; row returns 0 or
 * -1 (err set).  Finalizes st.  On an engine error err becomes "what:
 * message".  Returns 0 or -1 with err set. */
int an_each(struct engine_stmt *st, const char *what,
	    int (*row)(void *arg, struct engine_stmt *st, struct ic_error *err), void *arg,
	    struct ic_error *err);

/* After a failed engine_step: prefix err's message with "what: ".
 * Returns -1. */
int an_step_error(const char *what, struct ic_error *err);

/* Column i as a new string (caller frees); NULL for SQL NULL.  *oom is
 * set to 1 when the copy failed. */
char *an_strdup(const struct engine_stmt *st, int i, int *oom);

/* Column i as text, "" for NULL (valid until the next step). */
const char *an_text(const struct engine_stmt *st, int i);

/* Whether column i is NULL. */
int an_null(const struct engine_stmt *st, int i);

/* Round a double amount of nanos to int64 nanos (saturating). */
int64_t an_nanos(double v);

/* Median of v[0..n) (n > 0); sorts v in place. */
double an_median(double *v, int n);

/* ---- coverage: what the metric analyses could look at ---- */

/*
 * The bill's instances (usage with an instance type and a quantity) and
 * volumes (EBS volume ids or ARNs, Azure and GCP disks, EBS volume usage
 * types: usage without an instance type) of rollup_resource in ctx's
 * billing periods, and how many of them the metrics of the period cover:
 * instances with CPU and network samples (the idle rule's), instances
 * with CPU samples (rightsizing's), volumes with disk operations.  One
 * pass for idle and rightsizing, kept in ctx->memo when there is one
 * (struct an_memo, analyzer.h).  Returns 0 or -1 with err set.
 */
int an_metric_coverage(const struct analysis_ctx *ctx, struct an_coverage *c,
		       struct ic_error *err);

#endif
