/*
 * idle.h - the idle-instance rule, shared by the idle analysis (which
 * reports it) and the commitments analysis (which never recommends
 * committing to what it flags).
 *
 * An instance is idle when, over the days with CPU metrics in [start, end),
 * its daily average cpu_utilization is <= opts->idle_cpu_pct and its daily
 * network_in_bytes + network_out_bytes is <= opts->idle_net_bytes (a day
 * without any network metric is not a low day) on at least
 * opts->idle_min_days days that are also more than opts->idle_share of its
 * days with metrics.
 */
#ifndef IMCOST_IDLE_H
#define IMCOST_IDLE_H

#include <sqlite3.h>

#include "analyzers/options.h"

/* Per resource and day (ts - ts % 86400): cpu (daily average, NULL when
 * no CPU sample), net (sum of network bytes), nnet (network samples).
 * Two parameters: ts >= ?, ts < ?.  Portable SQL, a derived table. */
#define IDLE_DAYS_SQL \
	"(SELECT resource_id, ts - ts % 86400 AS day," \
	" AVG(CASE WHEN metric = 'cpu_utilization' THEN value END) AS cpu," \
	" SUM(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END) AS net," \
	" COUNT(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END) AS nnet" \
	" FROM usage WHERE ts >= ? AND ts < ?" \
	" AND metric IN ('cpu_utilization', 'network_in_bytes', 'network_out_bytes')" \
	" GROUP BY resource_id, ts - ts % 86400)"

/* A low day; two parameters: cpu <= ?, net <= ?. */
#define IDLE_LOW_DAY_SQL "CASE WHEN cpu <= ? AND nnet > 0 AND net <= ? THEN 1 ELSE 0 END"

/*
 * The ids of idle instances, as a subquery usable in "x NOT IN (...)".
 * Parameters in order: start, end, cpu, net, min_days, cpu, net, share;
 * bind them with idle_bind.
 */
#define IDLE_INSTANCES_SQL \
	"SELECT resource_id FROM " IDLE_DAYS_SQL " d WHERE cpu IS NOT NULL" \
	" GROUP BY resource_id" \
	" HAVING SUM(" IDLE_LOW_DAY_SQL ") >= ?" \
	" AND SUM(" IDLE_LOW_DAY_SQL ") > ? * COUNT(*)"
#define IDLE_INSTANCES_NPARAMS 8

/* Bind IDLE_INSTANCES_SQL's parameters starting at index first. */
void idle_bind(sqlite3_stmt *st, int first, int64_t start, int64_t end,
	       const struct analysis_opts *o);

#endif
