/*
 * options.h - the thresholds of the analyses, in one struct, with their
 * defaults and where each default comes from.
 *
 * cli/cmd-analyze.c fills one from its flags (starting from
 * analysis_opts_default) and hangs it on struct analysis_ctx; an analyzer
 * given a context without options uses the defaults.  Money thresholds are
 * nano-units of the billing currency (common/decimal.h).
 */
#ifndef IMCOST_OPTIONS_H
#define IMCOST_OPTIONS_H

#include <stdint.h>

/* Commitment terms and payment options (bit masks for the filters). */
enum commit_term { TERM_1M, TERM_1Y, TERM_3Y, NTERMS };
enum commit_payment { PAY_NO_UPFRONT, PAY_PARTIAL_UPFRONT, PAY_ALL_UPFRONT, NPAYMENTS };

/* Hours of a term: 1m = 730 (8760 / 12), 1y = 8760, 3y = 26280. */
extern const int commit_term_hours[NTERMS];
/* "1m", "1y", "3y" and "no_upfront", "partial_upfront", "all_upfront". */
extern const char *const commit_term_names[NTERMS];
extern const char *const commit_payment_names[NPAYMENTS];

/* Hours in the "monthly" figures: 8760 / 12 = 730, AWS's convention. */
#define HOURS_PER_MONTH 730
/* The footer of the tables with monthly figures. */
#define MONTHLY_RULE "figures per 730 hours (8760 / 12, as AWS Cost Explorer); a 744-hour" \
	" month bills about 2% more"

struct analysis_opts {
	/* summary */
	int top_resources;		/* resources in summary.by_resource (20) */

	/* commitments */
	int lookback_days;		/* 0: the analyzed period */
	int commit_min_days;		/* shorter windows get no purchase advice (7) */
	unsigned term_mask;		/* 1 << enum commit_term; default 1y and 1m */
	unsigned payment_mask;		/* 1 << enum commit_payment; default all */

	/* idle and waste */
	double idle_cpu_pct;		/* daily average CPU <= this (10) */
	double idle_net_bytes;		/* daily network in + out <= this (5e6) */
	int idle_min_days;		/* at least this many low days (4) */
	double idle_share;		/* and more than this share of days (0.5; only
					   with idle_window_days 0) */
	int idle_window_days;		/* count low days in the last N days of
					   metrics (14); 0: the whole period */
	double idle_volume_ops_day;	/* volumes: read+write ops per day below (1) */
	double idle_traffic_share;	/* NAT/LB: traffic cost / hourly cost below (0.01) */

	/* rightsizing */
	double rs_percentile;		/* the percentile of the samples (99.5) */
	double rs_cpu_target;		/* that percentile of CPU on the smaller size
					   <= this (80: 20% headroom) */
	double rs_mem_target;		/* the same for memory (80) */
	int rs_min_hours;		/* hours of CPU samples needed (168) */

	/* anomalies */
	int anomaly_window;		/* trailing days of the baseline (14) */
	int anomaly_min_history;	/* days of baseline needed (7) */
	double anomaly_z;		/* modified z-score above this (3.5) */
	int64_t anomaly_min_impact;	/* and actual - expected >= this (1.00) */
	double anomaly_min_share;	/* and >= this x expected (0.1) */

	/* forecast */
	int forecast_weekday_days;	/* complete days for the weekday pattern (14) */
};

/* Fill o with the defaults above. */
void analysis_opts_default(struct analysis_opts *o);

/* Parse "1y,3y" / "no_upfront,all_upfront" (also "any"/"all") into a mask.
 * Returns 0, or -1 when a name is unknown (mask untouched). */
int commit_term_mask_parse(const char *s, unsigned *mask);
int commit_payment_mask_parse(const char *s, unsigned *mask);

#endif
