/*
 * metrics.h - the one metric vocabulary of imcost, and what every usage
 * import keeps of its samples.
 *
 * Every usage importer hands its samples to the driver under the names
 * its provider exports (CloudWatch CPUUtilization, Azure "Percentage CPU",
 * GCP compute.googleapis.com/instance/cpu/utilization, ...); the driver
 * (import.c rc_emit_metric) passes them here:
 *
 *   - the name (with an optional statistic, from a column or a suffix
 *     such as "CPUUtilization_Average") is looked up in the vocabulary
 *     (metrics.c, listed by `imcost formats` and the README), which gives
 *     imcost's name, its unit and how samples of the provider's unit
 *     become imcost's (a 0-1 fraction x 100, bits/s / 8, per-second rates
 *     x the seconds they cover);
 *   - samples are kept per resource, metric and UTC hour: the hour's mean
 *     for utilization gauges (cpu_utilization, memory_utilization, names
 *     the vocabulary does not know), its total for counts (bytes,
 *     operations, messages: counts add up, rates x 3600 / the samples'
 *     mean over the hour), its largest sample for mau, dau and
 *     peak_connections.  On hourly (or coarser) input this is the samples
 *     themselves.  Several provider names of one imcost name in the same
 *     hour add up (Alibaba InternetOutRate + IntranetOutRate);
 *   - resource ids take the form the bills in the database give the same
 *     resource (metrics_resource_key: an AWS ARN and its bare id, Azure
 *     ids in any case, a GCP full resource name and the instance name);
 *   - at the end of the file the hours are handed on in order, and the
 *     warnings say which names imcost does not read (with their sample
 *     counts) and how many resources match nothing in the bills.
 *
 * Memory is bounded: past METRICS_MAX_BUCKETS hours in memory (512k;
 * the environment variable IMCOST_METRICS_MAX_BUCKETS, 4096 or more, sets
 * a smaller bound for tests), the buckets are merged into a temporary
 * SQLite table and read back at the end.
 */
#ifndef IMCOST_METRICS_H
#define IMCOST_METRICS_H

#include <sqlite3.h>
#include <stddef.h>

#include "importers/importer.h"

/* imcost's metric names, their unit, how an hour is kept and who reads
 * them (for `imcost formats`); NULL-terminated by name. */
struct metric_canon {
	const char *name, *unit;
	const char *hourly;	/* "mean", "total", "max" */
	const char *read_by;	/* the analyses that read it, or "-" */
};
extern const struct metric_canon metric_canons[];

/* One provider name of the vocabulary. */
struct metric_alias {
	const char *provider;	/* "AWS CloudWatch", "Azure Monitor", ... */
	const char *from;	/* matched ASCII case-insensitively */
	const char *from_unit;	/* as the provider states it */
	const char *to;		/* a metric_canons name */
	int kind;		/* enum in metrics.c: mean, total, rate, max */
	double factor;		/* provider unit -> imcost unit */
};
extern const struct metric_alias metric_aliases[];

/* imcost's name for a provider's metric name (len bytes, not necessarily
 * NUL-terminated), or NULL when the vocabulary does not know it. */
const char *metrics_canonical(const char *name, size_t len);

/*
 * The matching key of a resource id, written to buf (NUL-terminated,
 * cut at n - 1 bytes): an AWS ARN of an EC2 instance or volume gives the
 * bare id (arn:aws:ec2:R:A:instance/i-0abc -> i-0abc), an RDS ARN the
 * instance name; a GCP full resource name or path
 * (//compute.googleapis.com/projects/P/zones/Z/instances/NAME) gives NAME;
 * every key is ASCII lower case (Azure ids compare case-insensitively).
 * Returns buf.
 */
/* The statistic the vocabulary wants of a provider's name: "Average"
 * (gauges, rates), "Total" (counts), "Maximum" (mau, dau,
 * peak_connections), or NULL when the name is unknown.  For formats that
 * carry several (Azure Monitor's average, total, maximum...). */
const char *metrics_statistic(const char *name, size_t len);

char *metrics_resource_key(const char *id, size_t len, char *buf, size_t n);

struct metrics_agg;

/* A new aggregation for one file; db (borrowed) holds the bills whose
 * resource ids metrics take, and the spill table.  NULL when out of
 * memory. */
struct metrics_agg *metrics_agg_new(sqlite3 *db);
void metrics_agg_free(struct metrics_agg *a);

/* Add one sample (m->metric under the provider's name, statistic a null
 * slice when none is stated).  Returns 0 or -1 with err set. */
int metrics_agg_add(struct metrics_agg *a, const struct metric *m, struct str statistic,
		    struct ic_error *err);

/* Hand every hour to emit (in resource, hour, metric order), then call
 * warn once per warning text.  Returns 0, or -1 with err set (emit's
 * failure too). */
int metrics_agg_finish(struct metrics_agg *a,
		       int (*emit)(void *arg, const struct metric *m, struct ic_error *err),
		       void (*warn)(void *arg, const char *text), void *arg, struct ic_error *err);

/* Samples added, and hours emitted so far. */
long metrics_agg_samples(const struct metrics_agg *a);

#endif
