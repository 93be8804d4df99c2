/*
 * usage-csv.c - usage metrics as a long CSV: timestamp,resource_id,metric,
 * value[,unit].
 *
 * One sample per row, with an optional statistic column (statistic or
 * stat: Average, Sum, Maximum, ...).  Metric names are imcost's
 * (cpu_utilization, network_in_bytes, ..., and the service-level mau, dau,
 * messages, peak_connections under resource "service") or their
 * providers' (CloudWatch CPUUtilization, Azure "Percentage CPU", GCP
 * compute.googleapis.com/instance/cpu/utilization, ...): the driver maps
 * them (metrics.h) and keeps one value per resource, metric and hour.
 */
#include <stdlib.h>
#include <string.h>

#include "importers/importer.h"

struct usage {
	int ts, resource, metric, value, unit, stat;
};

static int
usage_detect(const struct header *h)
{
	if (header_find(h, "timestamp") >= 0 && header_find(h, "resource_id") >= 0 &&
	    header_find(h, "metric") >= 0 && header_find(h, "value") >= 0)
		return 10;
	return 0;
}

static void *
usage_open(const struct header *h, struct ic_error *err)
{
	struct usage *st = malloc(sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	st->ts = header_find(h, "timestamp");
	st->resource = header_find(h, "resource_id");
	st->metric = header_find(h, "metric");
	st->value = header_find(h, "value");
	st->unit = header_find(h, "unit");
	st->stat = header_find(h, "statistic");
	if (st->stat < 0)
		st->stat = header_find(h, "stat");
	if (st->ts < 0 || st->resource < 0 || st->metric < 0 || st->value < 0) {
		free(st);
		ic_errorf(err, "required columns: timestamp, resource_id, metric, value");
		return NULL;
	}
	return st;
}

static void
usage_close(void *p)
{
	free(p);
}

static int
usage_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct usage *st = p;
	struct metric m;
	int present;

	memset(&m, 0, sizeof m);
	if (rc_time(rc, st->ts, 1, 0, &m.ts, NULL, err) != 0 ||
	    rc_number(rc, st->value, &m.value, &present, err) != 0)
		return -1;
	if (!present)
		return rc_error(rc, st->value, err, "a value is required");
	m.resource_id = rc_field(rc, st->resource);
	m.metric = rc_field(rc, st->metric);
	m.unit = rc_field(rc, st->unit);
	m.statistic = rc_field(rc, st->stat);
	if (str_null(m.resource_id))
		return rc_error(rc, st->resource, err, "resource_id is required");
	if (str_null(m.metric))
		return rc_error(rc, st->metric, err, "metric is required");
	return rc_emit_metric(rc, &m, err);
}

const struct importer importer_usage_csv = {
	.name = "usage-csv",
	.description = "usage metrics, long CSV: timestamp,resource_id,metric,value[,unit][,statistic]",
	.needs = "timestamp, resource_id, metric, value (unit, statistic optional)",
	.kind = KIND_USAGE,
	.detect = usage_detect,
	.open = usage_open,
	.row = usage_row,
	.close = usage_close,
};
