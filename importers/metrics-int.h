/*
 * metrics-int.h - the vocabulary's lookups that the aggregation
 * (metrics-agg.c) uses, defined in metrics.c; not included elsewhere.
 */
#ifndef IMCOST_METRICS_INT_H
#define IMCOST_METRICS_INT_H

#include <stddef.h>

/* how an alias's samples aggregate over the hour (metric_alias.kind) */
enum { K_MEAN, K_TOTAL, K_RATE, K_MAX };

/* The index in metric_aliases of name[0..len) (case-insensitive), or -1. */
int metrics_alias_find(const char *name, size_t len);

/* The index in metric_canons of imcost's name, or -1. */
int metrics_canon_index(const char *name);

/* Is s[0..n) a statistic's name, and which: 0 mean, 1 total, 2 max, 3
 * another (minimum, sample count, percentiles), -1 none. */
int metrics_stat_kind(const char *s, size_t n);

/* Does a statistic of kind sk suit an alias of kind k? */
int metrics_stat_fits(int k, int sk);

#endif
