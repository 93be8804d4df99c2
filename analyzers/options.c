/*
 * options.c - default thresholds of the analyses and the parsers of the
 * term / payment filters (see options.h).
 *
 * Where the defaults come from:
 *   top resources   20: a table that fits a page of the report; the CSV
 *                   and JSON hold the same rows (--top-resources for more).
 *   idle instance   AWS Trusted Advisor "Low Utilization Amazon EC2
 *                   Instances": daily average CPU 10% or less and network
 *                   I/O 5 MB or less on at least 4 days of the last 14
 *                   (the last 14 days with CPU metrics in the period).
 *                   With --idle-window 0, the whole period instead, where
 *                   imcost also asks that the low days be most (more than
 *                   half) of the days with metrics.
 *   idle volume     no read/write operations (below 1 per day on average).
 *   idle NAT / LB   traffic charges below 1% of the hourly charge: paying
 *                   for capacity that carries ~nothing (imcost's choice).
 *   commitments     a week of history at least (one weekly cycle); 1-year
 *                   and monthly offers by default, since one month of
 *                   history is weak evidence for three years.
 *   rightsizing     AWS Compute Optimizer's defaults: the p99.5 of CPU (and
 *                   of memory) on the smaller size at most 80%, i.e. 20%
 *                   headroom; at least 7 days (168 hourly samples).
 *   anomalies       modified z-score 0.6745 (x - median) / MAD above 3.5
 *                   (Iglewicz and Hoaglin's outlier rule) against the 14
 *                   previous days, at least 7 of them, and an impact of at
 *                   least 1.00 in the billing currency and at least 10% of
 *                   the expected day (the absolute and percentage impact
 *                   thresholds of AWS Cost Anomaly Detection; 10% is
 *                   imcost's choice).
 *   forecast        weekday pattern once 14 complete days (two of each
 *                   weekday) are seen.
 */
#include <string.h>

#include "analyzers/options.h"

const int commit_term_hours[NTERMS] = { 730, 8760, 26280 };
const char *const commit_term_names[NTERMS] = { "1m", "1y", "3y" };
const char *const commit_payment_names[NPAYMENTS] = {
	"no_upfront", "partial_upfront", "all_upfront"
};

void
analysis_opts_default(struct analysis_opts *o)
{
	memset(o, 0, sizeof *o);
	o->top_resources = 20;
	o->lookback_days = 0;
	o->commit_min_days = 7;
	o->term_mask = 1u << TERM_1Y | 1u << TERM_1M;
	o->payment_mask = (1u << NPAYMENTS) - 1;
	o->idle_cpu_pct = 10;
	o->idle_net_bytes = 5e6;
	o->idle_min_days = 4;
	o->idle_share = 0.5;
	o->idle_window_days = 14;
	o->idle_volume_ops_day = 1;
	o->idle_traffic_share = 0.01;
	o->rs_percentile = 99.5;
	o->rs_cpu_target = 80;
	o->rs_mem_target = 80;
	o->rs_min_hours = 168;
	o->anomaly_window = 14;
	o->anomaly_min_history = 7;
	o->anomaly_z = 3.5;
	o->anomaly_min_impact = 1000000000LL;
	o->anomaly_min_share = 0.1;
	o->forecast_weekday_days = 14;
}

static int
mask_parse(const char *s, const char *const *names, int n, unsigned *mask)
{
	unsigned m = 0;
	const char *p = s;

	if (strcmp(s, "any") == 0 || strcmp(s, "all") == 0) {
		*mask = (1u << n) - 1;
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		int i;

		for (i = 0; i < n; i++)
			if (strlen(names[i]) == len && strncmp(p, names[i], len) == 0)
				break;
		if (i == n)
			return -1;
		m |= 1u << i;
		p += len;
		if (*p == ',')
			p++;
	}
	if (m == 0)
		return -1;
	*mask = m;
	return 0;
}

int
commit_term_mask_parse(const char *s, unsigned *mask)
{
	return mask_parse(s, commit_term_names, NTERMS, mask);
}

int
commit_payment_mask_parse(const char *s, unsigned *mask)
{
	return mask_parse(s, commit_payment_names, NPAYMENTS, mask);
}
