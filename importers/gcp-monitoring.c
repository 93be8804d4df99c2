/*
 * gcp-monitoring.c - Google Cloud Monitoring time series: the response of
 * projects.timeSeries.list (JSON, as `gcloud` or the REST API print it):
 * {"timeSeries": [{"metric": {"type", "labels"}, "resource": {"type",
 * "labels": {"project_id", "zone", "instance_id"}}, "metricKind",
 * "valueType", "points": [{"interval": {"startTime", "endTime"}, "value":
 * {"doubleValue" | "int64Value" (a string) | "boolValue"}}]}],
 * "nextPageToken"}; one page, an array of pages, or one page per line.
 *
 * Each point is a sample at its interval's endTime under the metric type
 * (compute.googleapis.com/instance/cpu/utilization, ...), which the driver
 * maps (metrics.h: CPU fractions to percent; DELTA counts as they are).
 * The resource: gce_instance's instance_id (the id in the billing
 * export's resource.global_name), else the metric label instance_name,
 * else the first resource label; agent.googleapis.com/memory/percent_used
 * only for state "used".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonpages.h"

static int
gm_detect_json(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(first, "timeSeries");

	return cJSON_IsArray(ts) ? 10 : 0;
}

static void *
gm_open(const struct header *h, struct ic_error *err)
{
	return jp_open_json_only(h, sizeof(int), "Cloud Monitoring time series", err);
}

static void
gm_close(void *p)
{
	free(p);
}

static int
gm_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	(void)p;
	return jp_row_not_csv(rc, "Cloud Monitoring time series", err);
}

static int
one_series(struct row_ctx *rc, const cJSON *s, long k, struct ic_error *err)
{
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(s, "metric");
	const cJSON *mlabels = cJSON_GetObjectItemCaseSensitive(metric, "labels");
	const cJSON *resource = cJSON_GetObjectItemCaseSensitive(s, "resource");
	const cJSON *rlabels = cJSON_GetObjectItemCaseSensitive(resource, "labels");
	const cJSON *points = cJSON_GetObjectItemCaseSensitive(s, "points"), *pt;
	const char *type = json_str_set(metric, "type"), *res, *state;
	struct metric m;
	long i = 0;
	char q[IC_QUOTE_SIZE];

	if (!cJSON_IsObject(s) || type == NULL || !cJSON_IsArray(points))
		return rc_error(rc, -1, err, "timeSeries[%ld]: expected {\"metric\": {\"type\"}, \"points\": [...]}", k);
	res = json_str_set(rlabels, "instance_id");
	if (res == NULL)
		res = json_str_set(mlabels, "instance_name");
	if (res == NULL && cJSON_GetArrayItem(rlabels, 0) && cJSON_IsString(cJSON_GetArrayItem(rlabels, 0)))
		res = cJSON_GetArrayItem(rlabels, 0)->valuestring;
	if (res == NULL || !res[0])
		return rc_error(rc, -1, err, "timeSeries[%ld] (%s): no resource label names the resource", k,
				ic_quote(type, strlen(type), 80, q));
	state = json_str_set(mlabels, "state");
	if (strcmp(type, "agent.googleapis.com/memory/percent_used") == 0 && state && strcmp(state, "used") != 0)
		return 0;	/* free, cached, ...: not the used share */
	memset(&m, 0, sizeof m);
	m.resource_id = str_c(res);
	m.metric = str_c(type);
	cJSON_ArrayForEach(pt, points) {
		const cJSON *iv = cJSON_GetObjectItemCaseSensitive(pt, "interval");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(pt, "value"), *x;
		const char *t = json_str_set(iv, "endTime");
		if (t == NULL || time_parse(t, strlen(t), 0, &m.ts) != NUM_OK)
			return rc_error(rc, -1, err, "timeSeries[%ld].points[%ld]: expected interval.endTime", k, i);
		if ((x = cJSON_GetObjectItemCaseSensitive(val, "doubleValue")) != NULL ||
		    (x = cJSON_GetObjectItemCaseSensitive(val, "int64Value")) != NULL) {
			if (bu_json_number(x, &m.value) != NUM_OK)
				return rc_error(rc, -1, err, "timeSeries[%ld].points[%ld].value: expected a number", k, i);
		} else if ((x = cJSON_GetObjectItemCaseSensitive(val, "boolValue")) != NULL && cJSON_IsBool(x)) {
			m.value = cJSON_IsTrue(x) ? 1 : 0;
		} else {
			return rc_error(rc, -1, err, "timeSeries[%ld].points[%ld].value: no doubleValue, int64Value"
					" or boolValue (distributions are not read)", k, i);
		}
		if (rc_emit_metric(rc, &m, err) != 0)
			return -1;
		i++;
	}
	if (i == 0)
		rc_warn(rc, "a time series without points");
	return 0;
}

static int
one_page(void *st, struct row_ctx *rc, const cJSON *page, struct ic_error *err)
{
	const cJSON *tss = cJSON_GetObjectItemCaseSensitive(page, "timeSeries"), *s;
	long k = 0;

	(void)st;
	if (!cJSON_IsArray(tss))
		return rc_error(rc, -1, err, "not a timeSeries.list response: no timeSeries array");
	cJSON_ArrayForEach(s, tss)
		if (one_series(rc, s, k++, err) != 0)
			return -1;
	if (k == 0)
		rc_warn(rc, "a page with no time series");
	return 0;
}

static int
gm_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	return jp_pages(p, rc, v, one_page, err);
}

const struct importer importer_gcp_monitoring = {
	.name = "gcp-monitoring",
	.description = "Google Cloud Monitoring projects.timeSeries.list response (JSON), usage metrics",
	.needs = "timeSeries[] with metric.type, resource.labels.instance_id (or metric.labels.instance_name), "
		 "points[] with interval.endTime and value.doubleValue / int64Value",
	.kind = KIND_USAGE,
	.detect = NULL,
	.open = gm_open,
	.row = gm_row,
	.close = gm_close,
	.detect_json = gm_detect_json,
	.json_row = gm_json_row,
};
