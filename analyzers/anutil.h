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

/* The bill's instances (usage with an instance type and a quantity) and
 * volumes (EBS volume ids or ARNs, Azure and GCP disks, EBS volume usage
 * types) in the billing periods [?1, ?2), as conditions on
 * rollup_resource. */
#define AN_BILL_INSTANCE_WHERE \
	"BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'" \
	" AND ResourceId IS NOT NULL AND x_InstanceType IS NOT NULL AND x_InstanceType <> ''" \
	" AND positive = 1"
#define AN_BILL_VOLUME_WHERE \
	"BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'" \
	" AND ResourceId IS NOT NULL AND (x_InstanceType IS NULL OR x_InstanceType = '')" \
	" AND (ResourceId LIKE 'vol-%' OR $like_ci(ResourceId, '%:volume/vol-%')" \
	" OR $like_ci(ResourceId, '%/disks/%') OR $like_ci(x_UsageType, '%volumeusage%'))"

/* How many distinct ResourceId of rollup_resource match `where` (*eligible)
 * and, of them, how many are in the subquery `in` (*assessed); ?1, ?2 are
 * bound to ctx->start and ctx->end.  Returns 0 or -1 with err set. */
int an_coverage(const struct analysis_ctx *ctx, const char *where, const char *in, long *eligible,
		long *assessed, struct ic_error *err);

/*
 * The instances of the bill (distinct ResourceId of AN_BILL_INSTANCE_WHERE
 * in ctx's periods: *eligible) and how many of them have CPU and network
 * samples in the period (*with_cpu_net, the idle rule's) and CPU samples
 * (*with_cpu, rightsizing's): one pass over rollup_resource for both
 * analyses, kept in ctx->memo when there is one.  Returns 0 or -1 with
 * err set.
 */
int an_instance_coverage(const struct analysis_ctx *ctx, long *eligible, long *with_cpu_net,
			 long *with_cpu, struct ic_error *err);

#endif
