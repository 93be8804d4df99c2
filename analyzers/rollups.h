/*
 * rollups.h - what the analyzers need to query the rollup tables of
 * common/rollup.h instead of the charges and usage tables.
 *
 * Every analyzer calls an_rollups first.  The rollups are exact for
 * filters on their key columns (billing period, day, start, resource).  A
 * filter on ChargePeriodStart or on a metric's ts through a day bucket is
 * exact only when no bucket holds rows on both sides of a bound: the
 * *_cut helpers tell, and the analyzers fall back to their queries over
 * the base tables when a bound cuts a bucket (never for bounds at
 * midnight UTC).
 */
#ifndef IMCOST_ROLLUPS_H
#define IMCOST_ROLLUPS_H

#include <stdint.h>

#include "analyzers/options.h"
#include "common/engine.h"
#include "common/error.h"

/*
 * Make the rollup tables current for engine e: engine_rollups
 * (common/engine.h), which keeps what it saw in e, so the analyses of one
 * command share one engine object.  Returns 0 or -1 with err set.
 */
int an_rollups(struct engine *e, struct ic_error *err);

/* *cut = 1 when a group of rollup_daily (optionally only ChargeCategory
 * 'Usage') has charges starting both before and at/after lo, or before
 * and at/after hi.  Returns 0 or -1 with err set. */
int an_daily_cut(struct engine *e, int64_t lo, int64_t hi, int usage_only, int *cut,
		 struct ic_error *err);

/* *cut = 1 when a day of rollup_usage_day has samples both before and
 * at/after lo, or before and at/after hi.  Returns 0 or -1. */
int an_usage_cut(struct engine *e, int64_t lo, int64_t hi, int *cut, struct ic_error *err);

/*
 * The span of the imported charges: *start = the earliest billing period
 * start, *end = the latest billing period end, *found = 0 when there are
 * no charges.  Reads rollup_daily (calls an_rollups), so it costs nothing
 * like a scan of the charges.  Returns 0 or -1 with err set.
 */
int an_data_span(struct engine *e, int64_t *start, int64_t *end, int *found, struct ic_error *err);

/*
 * The billing months that have charges: the distinct month starts (UTC)
 * of BillingPeriodStart, ascending, into *months (*n of them; NULL and 0
 * when there are none).  Reads rollup_daily (calls an_rollups).  Returns 0
 * (caller frees *months with free()) or -1 with err set.
 */
int an_billing_months(struct engine *e, int64_t **months, size_t *n, struct ic_error *err);

/*
 * The idle rule of idle.h over rollup_usage_day: days whose samples all
 * lie in [?1, ?2) (use when an_usage_cut says no day is cut), the low-day
 * test (?3 cpu, ?4 net), and the idle instances (?5 min days, ?6 share,
 * ?7 the window in days).
 * cpu_sum / cpu_n is the daily average, computed as AVG computes it.
 */
#define AN_USAGE_DAYS_IN \
	"day > ?1 - 86400 AND day < ?2 + 86400 AND min_ts >= ?1 AND max_ts < ?2"
#define AN_LOW_DAY_SQL "CASE WHEN cpu_sum / cpu_n <= ?3 AND net_n > 0 AND net_sum <= ?4 THEN 1 ELSE 0 END"
/* ?7: only the last ?7 days up to the last day with CPU metrics in the
 * period (an_idle_bind binds 1000000 for the whole period) */
#define AN_IDLE_WINDOW_SQL " AND day > (SELECT MAX(day) FROM rollup_usage_day WHERE " \
	AN_USAGE_DAYS_IN " AND cpu_n > 0) - ?7 * 86400"
#define AN_IDLE_INSTANCES_SQL \
	"SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0" \
	AN_IDLE_WINDOW_SQL \
	" GROUP BY resource_id HAVING SUM(" AN_LOW_DAY_SQL ") >= ?5" \
	" AND SUM(" AN_LOW_DAY_SQL ") > ?6 * COUNT(*)"

/* Bind ?1..?7 of the macros above (and of idle.h's): ?6 is 0 when a
 * window is set (Trusted Advisor's rule is the low-day count alone), ?7
 * the window or 1000000 days. */
void an_idle_bind(struct engine_stmt *st, int64_t start, int64_t end, const struct analysis_opts *o);


#endif
