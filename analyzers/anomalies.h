/*
 * anomalies.h - the cost spikes of analyzers/anomalies.c, for the other
 * analyses that must not carry them forward (the forecast's baseline).
 */
#ifndef IMCOST_ANOMALIES_H
#define IMCOST_ANOMALIES_H

#include <stdint.h>

#include "common/error.h"

struct analysis_ctx;

/* One day the anomaly analysis flags as a spike (not a level shift: a
 * step that stays up is the new normal). */
struct spike_day {
	char currency[16];
	int64_t day;			/* 00:00 UTC */
	int64_t impact;			/* nanos above the expected day */
};

/*
 * The spike days in [start, end) of ctx's data, with ctx's options, one per
 * (currency, day) (impacts of several services summed), in (currency, day)
 * order.  *out is malloc'd, owned by the caller (NULL when *n is 0).
 * Returns 0 or -1 with err set.
 */
int anomaly_spike_days(const struct analysis_ctx *ctx, int64_t start, int64_t end,
		       struct spike_day **out, int *n, struct ic_error *err);

#endif
