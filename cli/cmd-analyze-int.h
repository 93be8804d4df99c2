/*
 * cmd-analyze-int.h - analyze's option table (cmd-analyze-options.c) and
 * the index of each of its options, private to cmd-analyze*.c.
 */
#ifndef IMCOST_CMD_ANALYZE_INT_H
#define IMCOST_CMD_ANALYZE_INT_H

#include "cli/options.h"

/* the options, in the order of analyze_options[] */
enum {
	OPT_MONTH,
	OPT_SINCE,
	OPT_GROUP_BY,
	OPT_FILTER,
	OPT_ONLY,
	OPT_AS,
	OPT_ALLOCATION,
	OPT_TOP,
	OPT_FAIL_ON,
	OPT_ENGINE,
	OPT_PRICING,
	OPT_TOP_RESOURCES,
	OPT_LOOKBACK,
	OPT_COMMIT_MIN_DAYS,
	OPT_TERM,
	OPT_PAYMENT,
	OPT_IDLE_CPU,
	OPT_IDLE_NETWORK_MB,
	OPT_IDLE_MIN_DAYS,
	OPT_IDLE_WINDOW,
	OPT_IDLE_SHARE,
	OPT_IDLE_VOLUME_OPS,
	OPT_IDLE_TRAFFIC_SHARE,
	OPT_RIGHTSIZE_PERCENTILE,
	OPT_RIGHTSIZE_CPU,
	OPT_RIGHTSIZE_MEMORY,
	OPT_RIGHTSIZE_MIN_HOURS,
	OPT_ANOMALY_WINDOW,
	OPT_ANOMALY_MIN_HISTORY,
	OPT_ANOMALY_Z,
	OPT_ANOMALY_MIN_IMPACT,
	OPT_ANOMALY_MIN_SHARE,
	OPT_FORECAST_WEEKDAY_DAYS,
	OPT_UNTIL,
};

/* analyze's options with their --help text; ends with a NULL name */
extern const struct cmd_option analyze_options[];

#endif
