/*
 * azure-monitor.c - Azure Monitor metrics: the REST API's Metrics - List
 * response (JSON: `az monitor metrics list` prints it), and the AzureMetrics
 * table (diagnostic settings' metric export) as a Log Analytics CSV.
 *
 * JSON: {"timespan", "interval", "value": [{"id": ".../providers/
 * Microsoft.Insights/metrics/NAME", "name": {"value": "Percentage CPU"},
 * "unit", "timeseries": [{"metadatavalues": [...], "data": [{"timeStamp",
 * "average", "total", "maximum", "minimum", "count"}]}]}]}, one document,
 * an array of them, or one per line.  The resource is the id up to
 * "/providers/Microsoft.Insights/metrics/".
 *
 * CSV: TimeGenerated [UTC] (or TimeGenerated), ResourceId, MetricName,
 * Average, Total, Maximum, Minimum, Count, TimeGrain, UnitName, as the
 * Log Analytics portal exports a query's result (times written
 * "5/1/2024, 1:02:03.000 PM"; ISO 8601 also read).
 *
 * Of a point's aggregations, the one imcost's vocabulary wants for the
 * name is taken (metrics.h: average for Percentage CPU and the per-second
 * disk rates, total for Network In/Out Total); for other names the
 * average, else the total, else the maximum.  A point without it is
 * skipped (Azure leaves the aggregations of empty time grains out).
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

struct azm {
	int ts, res, name, agg[3];	/* CSV columns; agg: average, total, maximum */
};

static const char *const agg_names[3] = { "Average", "Total", "Maximum" };

static const char *const ts_cols[] = { "TimeGenerated [UTC]", "TimeGenerated", "TimeGenerated [Local Time]", NULL };

static int
azm_detect(const struct header *h)
{
	if (header_find_any(h, ts_cols) >= 0 && header_find(h, "ResourceId") >= 0 &&
	    header_find(h, "MetricName") >= 0 &&
	    (header_find(h, "Average") >= 0 || header_find(h, "Total") >= 0))
		return 12;
	return 0;
}

static int
azm_detect_json(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(first, "value");
	const cJSON *m = cJSON_GetArrayItem(val, 0);

	if (cJSON_IsArray(val) && cJSON_IsObject(m) && cJSON_GetObjectItemCaseSensitive(m, "timeseries") &&
	    cJSON_GetObjectItemCaseSensitive(m, "name"))
		return 10;
	return 0;
}

static void *
azm_open(const struct header *h, struct ic_error *err)
{
	struct azm *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (h == NULL)
		return st;
	st->ts = header_find_any(h, ts_cols);
	st->res = header_find(h, "ResourceId");
	st->name = header_find(h, "MetricName");
	for (int i = 0; i < 3; i++)
		st->agg[i] = header_find(h, agg_names[i]);
	if (st->ts < 0 || st->res < 0 || st->name < 0) {
		free(st);
		ic_errorf(err, "required columns: TimeGenerated, ResourceId, MetricName, Average or Total");
		return NULL;
	}
	return st;
}

static void
azm_close(void *p)
{
	free(p);
}

/* which aggregation to read for a name: 0 average, 1 total, 2 maximum */
static int
wanted(const char *name, size_t len)
{
	const char *w = metrics_statistic(name, len);

	if (w == NULL)
		return -1;
	return strcmp(w, "Total") == 0 ? 1 : strcmp(w, "Maximum") == 0 ? 2 : 0;
}

/* Log Analytics' export of a time: "5/1/2024, 1:02:03.000 PM" (UTC in the
 * "[UTC]" column).  Returns 0 with *t set, or -1 when it is not that. */
static int
la_time(struct str v, int64_t *t)
{
	const char *s = v.s, *e = v.s + v.len;
	long n[6] = { 0, 0, 0, 0, 0, 0 };
	int k = 0, digits = 0, pm = -1;

	for (; s < e && k < 6; s++) {
		if (*s >= '0' && *s <= '9') {
			n[k] = n[k] * 10 + (*s - '0');
			if (++digits > 4)
				return -1;
		} else if (digits && (*s == '/' || *s == ',' || *s == ':' || *s == '.' || *s == ' ')) {
			k++;
			digits = 0;
			if (*s == ',' && s + 1 < e && s[1] == ' ')
				s++;
			if (*s == '.' || (k == 6))
				break;
		} else {
			return -1;
		}
	}
	if (k < 5 && !(k == 5 && digits))
		return -1;
	while (s < e && (*s == '.' || (*s >= '0' && *s <= '9')))
		s++;
	while (s < e && *s == ' ')
		s++;
	if (e - s == 2 && (s[0] == 'A' || s[0] == 'P') && s[1] == 'M')
		pm = s[0] == 'P';
	else if (s != e)
		return -1;
	if (n[0] < 1 || n[0] > 12 || n[1] < 1 || n[1] > 31 || n[2] < 1970 || n[3] > 23 || n[4] > 59 || n[5] > 60)
		return -1;
	if (pm >= 0) {
		if (n[3] < 1 || n[3] > 12)
			return -1;
		n[3] = n[3] % 12 + (pm ? 12 : 0);
	}
	*t = days_from_civil(n[2], (unsigned)n[0], (unsigned)n[1]) * 86400 + n[3] * 3600 + n[4] * 60 + n[5];
	return 0;
}

static int
azm_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct azm *st = p;
	struct metric m;
	int present = 0, w;

	memset(&m, 0, sizeof m);
	m.resource_id = rc_field(rc, st->res);
	m.metric = rc_field(rc, st->name);
	if (str_null(m.resource_id))
		return rc_error(rc, st->res, err, "ResourceId is required");
	if (str_null(m.metric))
		return rc_error(rc, st->name, err, "MetricName is required");
	if (la_time(rc_field(rc, st->ts), &m.ts) != 0 && rc_time(rc, st->ts, 1, 0, &m.ts, NULL, err) != 0)
		return -1;
	w = wanted(m.metric.s, m.metric.len);
	for (int i = 0; i < 3 && !present; i++) {
		int k = w >= 0 ? w : i;
		if (st->agg[k] >= 0 && rc_number(rc, st->agg[k], &m.value, &present, err) != 0)
			return -1;
		if (present && w >= 0)
			m.statistic = str_c(agg_names[k]);
		if (w >= 0)
			break;
	}
	if (!present) {
		rc_warn(rc, "rows without the aggregation imcost reads for their metric skipped");
		return 0;
	}
	return rc_emit_metric(rc, &m, err);
}

static int
one_metric(struct row_ctx *rc, const cJSON *mv, long k, struct ic_error *err)
{
	static const char *const jagg[3] = { "average", "total", "maximum" };
	const char *id = json_str(mv, "id"), *name = json_str(cJSON_GetObjectItemCaseSensitive(mv, "name"), "value");
	const cJSON *tss = cJSON_GetObjectItemCaseSensitive(mv, "timeseries"), *ts;
	const char *cut;
	char res[1024], q[IC_QUOTE_SIZE];
	struct metric m;
	int w;
	long n = 0;

	if (!cJSON_IsObject(mv) || id == NULL || name == NULL || !cJSON_IsArray(tss))
		return rc_error(rc, -1, err, "value[%ld]: expected {\"id\", \"name\": {\"value\"}, \"timeseries\": [...]}", k);
	cut = strstr(id, "/providers/Microsoft.Insights/metrics/");
	if (cut == NULL)
		cut = strstr(id, "/providers/microsoft.insights/metrics/");
	if (cut == NULL)
		cut = id + strlen(id);
	if ((size_t)(cut - id) >= sizeof res || cut == id)
		return rc_error(rc, -1, err, "value[%ld].id '%s': no resource id", k,
				ic_quote(id, strlen(id), 60, q));
	memcpy(res, id, (size_t)(cut - id));
	res[cut - id] = '\0';
	memset(&m, 0, sizeof m);
	m.resource_id = str_c(res);
	m.metric = str_c(name);
	m.unit = str_c(json_str(mv, "unit"));
	w = wanted(name, strlen(name));
	cJSON_ArrayForEach(ts, tss) {
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(ts, "data"), *pt;
		long i = 0;
		if (!cJSON_IsArray(data))
			return rc_error(rc, -1, err, "value[%ld].timeseries: expected data arrays", k);
		cJSON_ArrayForEach(pt, data) {
			const char *t = json_str(pt, "timeStamp");
			const cJSON *v = NULL;
			int a = -1;
			if (t == NULL || time_parse(t, strlen(t), 0, &m.ts) != NUM_OK)
				return rc_error(rc, -1, err, "value[%ld].timeseries data[%ld]: expected a timeStamp", k, i);
			for (int j = 0; j < 3 && v == NULL; j++) {
				int c = w >= 0 ? w : j;
				v = cJSON_GetObjectItemCaseSensitive(pt, jagg[c]);
				a = c;
				if (w >= 0)
					break;
			}
			i++;
			if (v == NULL || cJSON_IsNull(v))
				continue;	/* an empty time grain */
			if (bu_json_number(v, &m.value) != NUM_OK)
				return rc_error(rc, -1, err, "value[%ld].timeseries data[%ld].%s: expected a number",
						k, i - 1, jagg[a]);
			m.statistic = str_c(w >= 0 ? agg_names[a] : NULL);
			if (rc_emit_metric(rc, &m, err) != 0)
				return -1;
			n++;
		}
	}
	if (n == 0)
		rc_warn(rc, "a metric without data points");
	return 0;
}

static int
one_doc(void *st, struct row_ctx *rc, const cJSON *d, struct ic_error *err)
{
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(d, "value"), *mv;
	long k = 0;

	(void)st;
	if (!cJSON_IsArray(val))
		return rc_error(rc, -1, err, "not an Azure Monitor metrics response: no value array");
	cJSON_ArrayForEach(mv, val)
		if (one_metric(rc, mv, k++, err) != 0)
			return -1;
	if (k == 0)
		rc_warn(rc, "a metrics response with no metric");
	return 0;
}

static int
azm_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	return jp_pages(p, rc, v, one_doc, err);
}

const struct importer importer_azure_monitor = {
	.name = "azure-monitor",
	.description = "Azure Monitor metrics: REST Metrics - List JSON (az monitor metrics list), "
		       "or the AzureMetrics table as CSV",
	.needs = "JSON value[] with id, name.value, timeseries[].data[] (timeStamp, average/total); "
		 "CSV TimeGenerated, ResourceId, MetricName, Average, Total",
	.kind = KIND_USAGE,
	.detect = azm_detect,
	.open = azm_open,
	.row = azm_row,
	.close = azm_close,
	.detect_json = azm_detect_json,
	.json_row = azm_json_row,
};
