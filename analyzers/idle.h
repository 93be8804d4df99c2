/*
 * idle.h - the idle-instance rule, shared by the idle analysis (which
 * reports it) and the commitments analysis (which never recommends
 * committing to what it flags).
 *
 * An instance is idle when, over the days with CPU metrics in [start, end)
 * (only the last opts->idle_window_days of them, up to the last day with
 * CPU metrics of any instance, unless it is 0), its daily average
 * cpu_utilization is <= opts->idle_cpu_pct and its daily network_in_bytes
 * + network_out_bytes is <= opts->idle_net_bytes (a day without any
 * network metric is not a low day) on at least opts->idle_min_days days
 * (that are also more than opts->idle_share of its days with metrics when
 * the window is 0).
 */
#ifndef IMCOST_IDLE_H
#define IMCOST_IDLE_H

#include "analyzers/options.h"
#include "analyzers/rollups.h"

/* Per resource and day (ts - ts % 86400): cpu (daily average, NULL when
 * no CPU sample), net (sum of network bytes), nnet (network samples).
 * Parameters ?1, ?2: ts >= ?1, ts < ?2; ?7 the window (rollups.h).
 * Portable SQL (every engine), a derived table. */
#define IDLE_DAYS_SQL \
	"(SELECT resource_id, ts - ts % 86400 AS day," \
	" AVG(CASE WHEN metric = 'cpu_utilization' THEN value END) AS cpu," \
	" SUM(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END) AS net," \
	" COUNT(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END) AS nnet" \
	" FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric IN ('cpu_utilization', 'network_in_bytes', 'network_out_bytes')" \
	" AND ts - ts % 86400 > (SELECT MAX(ts - ts % 86400) FROM usage WHERE ts >= ?1 AND ts < ?2" \
	"  AND metric = 'cpu_utilization') - ?7 * 86400" \
	" GROUP BY resource_id, ts - ts % 86400)"

/* A low day: cpu <= ?3, net <= ?4. */
#define IDLE_LOW_DAY_SQL "CASE WHEN cpu <= ?3 AND nnet > 0 AND net <= ?4 THEN 1 ELSE 0 END"

/*
 * The ids of idle instances from the usage table (for periods whose
 * bounds cut a day of rollup_usage_day; AN_IDLE_INSTANCES_SQL otherwise),
 * as a query or a subquery usable in "x NOT IN (...)".  Parameters
 * ?1..?7 as AN_IDLE_INSTANCES_SQL's: start, end, cpu, net, min_days,
 * share, window; bind them with an_idle_bind (rollups.h), on any engine.
 */
#define IDLE_INSTANCES_SQL \
	"SELECT resource_id FROM " IDLE_DAYS_SQL " d WHERE cpu IS NOT NULL" \
	" GROUP BY resource_id" \
	" HAVING SUM(" IDLE_LOW_DAY_SQL ") >= ?5" \
	" AND SUM(" IDLE_LOW_DAY_SQL ") > ?6 * COUNT(*)"

#endif
