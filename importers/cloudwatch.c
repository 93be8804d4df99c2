/*
 * cloudwatch.c - AWS CloudWatch `aws cloudwatch get-metric-data` output
 * (JSON): MetricDataResults[] with Id, Label, Timestamps[] and Values[],
 * one document, an array of pages, or one page per line.
 *
 * The output names no resource, so it is taken from, in order:
 *  1. the query, when the document also holds the request's
 *     MetricDataQueries[] (as `--cli-input-json` files do): the result's Id
 *     finds its MetricStat.Metric, whose MetricName is the metric and whose
 *     dimension InstanceId, VolumeId, DBInstanceIdentifier, ... (else the
 *     first dimension) is the resource;
 *  2. the Label, when it holds two words, a metric name and a resource
 *     ("i-0abc123 CPUUtilization", as the dynamic label
 *     "${PROP('Dim.InstanceId')} ${PROP('MetricName')}" prints it).
 * A result naming no resource is refused.
 *
 * Metric names go to the driver as CloudWatch gives them, with the
 * query's statistic (MetricStat.Stat) when the file holds it: the driver
 * maps them onto imcost's vocabulary (metrics.h: CPUUtilization ->
 * cpu_utilization, NetworkIn/Out -> network_in_bytes / network_out_bytes,
 * DiskReadOps/VolumeReadOps/EBSReadOps -> disk_read_ops, ...; other names
 * are kept as they are).
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
#include "importers/metrics.h"

/* CloudWatch's own limits: a dimension value is at most 1024 characters,
 * a metric name 255 (4 bytes a character at most); longer ones are refused,
 * never cut (a cut id would name another resource) */
struct cw {
	char resource[4 * 1024 + 1];
	char metric[4 * 255 + 1];
	long results;
};

static const cJSON *
results_of(const cJSON *v)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "MetricDataResults");
	return cJSON_IsArray(r) ? r : NULL;
}

static int
cw_detect_json(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;

	return cJSON_IsObject(first) && results_of(first) ? 10 : 0;
}

static void *
cw_open(const struct header *h, struct ic_error *err)
{
	return jp_open_json_only(h, sizeof(struct cw), "get-metric-data output", err);
}

static void
cw_close(void *p)
{
	free(p);
}

static int
cw_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	(void)p;
	return jp_row_not_csv(rc, "get-metric-data output", err);
}

/* The metric a query Id asks for, from MetricDataQueries (or NULL). */
static const cJSON *
query_metric(const cJSON *page, const char *id)
{
	const cJSON *qs = cJSON_GetObjectItemCaseSensitive(page, "MetricDataQueries"), *q;

	if (id == NULL)
		return NULL;
	cJSON_ArrayForEach(q, qs) {
		const char *qid = json_str(q, "Id");
		if (qid && strcmp(qid, id) == 0) {
			const cJSON *ms = cJSON_GetObjectItemCaseSensitive(q, "MetricStat");
			return cJSON_GetObjectItemCaseSensitive(ms, "Metric");
		}
	}
	return NULL;
}

/* The statistic (MetricStat.Stat) a query Id asks for, or NULL. */
static const char *
query_stat(const cJSON *page, const char *id)
{
	const cJSON *qs = cJSON_GetObjectItemCaseSensitive(page, "MetricDataQueries"), *q;

	if (id == NULL)
		return NULL;
	cJSON_ArrayForEach(q, qs) {
		const char *qid = json_str(q, "Id");
		if (qid && strcmp(qid, id) == 0)
			return json_str(cJSON_GetObjectItemCaseSensitive(q, "MetricStat"), "Stat");
	}
	return NULL;
}

static const char *
dimension_resource(const cJSON *metric)
{
	static const char *const pref[] = {
		"InstanceId", "VolumeId", "DBInstanceIdentifier", "LoadBalancer", "CacheClusterId",
		"NatGatewayId", "FunctionName", "ClusterName", "QueueName", "TableName", "BucketName", NULL };
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(metric, "Dimensions"), *d;

	for (const char *const *p = pref; *p; p++)
		cJSON_ArrayForEach(d, dims) {
			const char *n = json_str(d, "Name"), *v = json_str(d, "Value");
			if (n && v && strcmp(n, *p) == 0 && *v)
				return v;
		}
	d = cJSON_GetArrayItem(dims, 0);
	return d ? json_str(d, "Value") : NULL;
}

static int
looks_like_resource(const char *s, size_t n)
{
	static const char *const pfx[] = { "i-", "vol-", "eni-", "nat-", "eipalloc-", "arn:", "db-",
		"lb-", "app/", "net/", "/", NULL };
	for (const char *const *p = pfx; *p; p++)
		if (n > strlen(*p) && strncmp(s, *p, strlen(*p)) == 0)
			return 1;
	return 0;
}

/* Split a two-word label into resource and metric. */
static int
label_split(struct cw *st, const char *label)
{
	const char *a = label, *ae, *b, *be;
	int a_metric, b_metric;

	while (*a == ' ')
		a++;
	ae = strchr(a, ' ');
	if (ae == NULL)
		return -1;
	b = ae;
	while (*b == ' ')
		b++;
	be = b + strlen(b);
	while (be > b && be[-1] == ' ')
		be--;
	if (be == b || memchr(b, ' ', (size_t)(be - b)))
		return -1;
	a_metric = metrics_canonical(a, (size_t)(ae - a)) != NULL;
	b_metric = metrics_canonical(b, (size_t)(be - b)) != NULL;
	if ((size_t)(ae - a) >= sizeof st->resource || (size_t)(be - b) >= sizeof st->metric)
		return -1;
	if (b_metric || (!a_metric && looks_like_resource(a, (size_t)(ae - a)))) {
		snprintf(st->resource, sizeof st->resource, "%.*s", (int)(ae - a), a);
		snprintf(st->metric, sizeof st->metric, "%.*s", (int)(be - b), b);
		return 0;
	}
	if (a_metric || looks_like_resource(b, (size_t)(be - b))) {
		snprintf(st->resource, sizeof st->resource, "%.*s", (int)(be - b), b);
		snprintf(st->metric, sizeof st->metric, "%.*s", (int)(ae - a), a);
		return 0;
	}
	return -1;
}

static int
one_result(struct cw *st, struct row_ctx *rc, const cJSON *page, const cJSON *r, long k,
	   struct ic_error *err)
{
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(r, "Timestamps");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, "Values");
	const char *id = json_str(r, "Id"), *label = json_str(r, "Label"), *status = json_str(r, "StatusCode");
	const cJSON *qm = query_metric(page, id);
	const char *stat = NULL;
	struct metric m;
	char q1[IC_QUOTE_SIZE], q2[IC_QUOTE_SIZE];
	int n;

	if (!cJSON_IsObject(r))
		return rc_error(rc, -1, err, "MetricDataResults[%ld]: expected an object", k);
	if (!cJSON_IsArray(ts) || !cJSON_IsArray(vals))
		return rc_error(rc, -1, err, "MetricDataResults[%ld]: Timestamps and Values arrays are required", k);
	n = cJSON_GetArraySize(ts);
	if (n != cJSON_GetArraySize(vals))
		return rc_error(rc, -1, err, "MetricDataResults[%ld]: %d Timestamps but %d Values", k, n,
				cJSON_GetArraySize(vals));
	st->resource[0] = st->metric[0] = '\0';
	if (qm) {
		const char *res = dimension_resource(qm), *name = json_str(qm, "MetricName");
		if (res && name) {
			size_t rl = strlen(res), nl = strlen(name);
			if (rl >= sizeof st->resource || nl >= sizeof st->metric)
				return rc_error(rc, -1, err,
						"MetricDataResults[%ld] (Id '%s'): the query's %s is %zu bytes,"
						" longer than CloudWatch allows", k,
						ic_quote(id ? id : "", id ? strlen(id) : 0, 40, q1),
						rl >= sizeof st->resource ? "dimension value" : "MetricName",
						rl >= sizeof st->resource ? rl : nl);
			memcpy(st->resource, res, rl + 1);
			memcpy(st->metric, name, nl + 1);
		}
		stat = query_stat(page, id);
	}
	if (!st->resource[0] && (label == NULL || label_split(st, label) != 0))
		return rc_error(rc, -1, err,
				"MetricDataResults[%ld] (Id '%s', Label '%s') names no resource: label the query "
				"\"${PROP('Dim.InstanceId')} ${PROP('MetricName')}\" or keep MetricDataQueries in the file",
				k, ic_quote(id ? id : "", id ? strlen(id) : 0, 40, q1),
				ic_quote(label ? label : "", label ? strlen(label) : 0, 60, q2));
	if (status && strcmp(status, "Complete") != 0)
		rc_warn(rc, "a result has StatusCode %s (more pages: fetch them all with the CLI's pagination)",
			ic_quote(status, strlen(status), 20, q1));
	memset(&m, 0, sizeof m);
	m.resource_id = str_c(st->resource);
	m.metric = str_c(st->metric);
	m.statistic = str_c(stat);
	for (int i = 0; i < n; i++) {
		const cJSON *t = cJSON_GetArrayItem(ts, i), *v = cJSON_GetArrayItem(vals, i);
		if (cJSON_IsString(t)) {
			if (time_parse(t->valuestring, strlen(t->valuestring), 0, &m.ts) != NUM_OK)
				return rc_error(rc, -1, err, "MetricDataResults[%ld].Timestamps[%d]: expected a time like 2024-01-01T00:00:00Z, found '%s'",
						k, i, ic_quote(t->valuestring, strlen(t->valuestring), 40, q1));
		} else if (cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble < 1e11) {
			m.ts = (int64_t)t->valuedouble;
		} else {
			return rc_error(rc, -1, err, "MetricDataResults[%ld].Timestamps[%d]: expected a time", k, i);
		}
		if (bu_json_number(v, &m.value) != NUM_OK)
			return rc_error(rc, -1, err, "MetricDataResults[%ld].Values[%d]: expected a number", k, i);
		if (rc_emit_metric(rc, &m, err) != 0)
			return -1;
	}
	if (n == 0)
		rc_warn(rc, "a result without data points");
	return 0;
}

static int
one_page(void *p, struct row_ctx *rc, const cJSON *page, struct ic_error *err)
{
	struct cw *st = p;
	const cJSON *res = results_of(page), *r;
	long k = 0;

	if (res == NULL)
		return rc_error(rc, -1, err, "not get-metric-data output: no MetricDataResults array");
	cJSON_ArrayForEach(r, res) {
		if (one_result(st, rc, page, r, k, err) != 0)
			return -1;
		k++;
		st->results++;
	}
	if (k == 0)
		rc_warn(rc, "get-metric-data output with no results");
	return 0;
}

static int
cw_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	return jp_pages(p, rc, v, one_page, err);
}

const struct importer importer_cloudwatch = {
	.name = "cloudwatch",
	.description = "AWS CloudWatch get-metric-data output (JSON), usage metrics",
	.needs = "MetricDataResults[] with Id, Label (\"RESOURCE METRIC\"), Timestamps[], Values[] "
		 "(or MetricDataQueries[] naming each Id's metric and dimensions)",
	.kind = KIND_USAGE,
	.detect = NULL,
	.open = cw_open,
	.row = cw_row,
	.close = cw_close,
	.detect_json = cw_detect_json,
	.json_row = cw_json_row,
};
