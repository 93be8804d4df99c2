/*
 * prometheus.c - Prometheus HTTP API query results (JSON): the matrix of
 * /api/v1/query_range ({"status":"success","data":{"resultType":"matrix",
 * "result":[{"metric":{...},"values":[[unix,"value"],...]}]}}), and the
 * vector of /api/v1/query ("value": [unix, "value"]).  One document, an
 * array of them, or one per line.
 *
 * Each series becomes usage samples: the resource is the first of the
 * labels resource_id, instance_id, instance, pod, node, service, job; the
 * metric is __name__, which the driver maps onto imcost's names where one
 * matches (metrics.h; the node-mixin ratio
 * instance:node_cpu_utilisation:rate5m becomes cpu_utilization in
 * percent), other names kept as they are.  Series without __name__ (the
 * result of rate() and other functions) are refused: name them in the
 * query with label_replace(..., "__name__", "NAME", "", "").  Values are
 * strings; NaN and +/-Inf samples are skipped with a warning.
 *
 * node_exporter's raw counters become per-interval values (see
 * counter_series): node_network_{receive,transmit}_bytes_total the bytes
 * since the previous sample, node_cpu_seconds_total the CPU utilization
 * over all cpus and modes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonpages.h"

struct cpuacc {
	char *res;
	int64_t ts;
	double idle, total;
};

struct prom;
static void cpu_clear(struct prom *st);

struct prom {
	long series;
	struct cpuacc *cpu;	/* node_cpu_seconds_total increases of a document */
	size_t ncpu, cpucap;
};

static int
prom_detect_json(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(first, "data");

	if (cJSON_IsObject(d) && cJSON_GetObjectItemCaseSensitive(d, "resultType") &&
	    cJSON_GetObjectItemCaseSensitive(d, "result"))
		return 10;
	return 0;
}

static void *
prom_open(const struct header *h, struct ic_error *err)
{
	return jp_open_json_only(h, sizeof(struct prom), "Prometheus query results", err);
}

static void
prom_close(void *p)
{
	struct prom *st = p;

	if (st) {
		cpu_clear(st);
		free(st->cpu);
	}
	free(st);
}

static int
prom_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	(void)p;
	return jp_row_not_csv(rc, "Prometheus query results", err);
}

/* One [unix, "value"] pair into m->ts and m->value: 0, 1 for a NaN or
 * infinite sample (skipped, with a warning), -1 with err set. */
static int
parse_pair(struct row_ctx *rc, struct metric *m, const cJSON *pair, long k, long i,
	   struct ic_error *err)
{
	const cJSON *t = cJSON_GetArrayItem(pair, 0), *v = cJSON_GetArrayItem(pair, 1);
	const char *s;
	char q[IC_QUOTE_SIZE];

	if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 || !cJSON_IsNumber(t) ||
	    !cJSON_IsString(v) || !isfinite(t->valuedouble) || t->valuedouble < 0 ||
	    t->valuedouble > 1e11) {
		char *txt = cJSON_PrintUnformatted(pair);
		ic_quote(txt ? txt : "", txt ? strlen(txt) : 0, 60, q);
		free(txt);
		if (i < 0)
			return rc_error(rc, -1, err, "data.result[%ld].value: expected [unix_time, \"value\"], found '%s'", k, q);
		return rc_error(rc, -1, err, "data.result[%ld].values[%ld]: expected [unix_time, \"value\"], found '%s'",
				k, i, q);
	}
	s = v->valuestring;
	if (strcmp(s, "NaN") == 0 || strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 ||
	    strcmp(s, "Inf") == 0) {
		rc_warn(rc, "NaN or infinite samples skipped");
		return 1;
	}
	if (number_parse(s, strlen(s), &m->value) != NUM_OK) {
		ic_quote(s, strlen(s), 60, q);
		if (i < 0)
			return rc_error(rc, -1, err, "data.result[%ld].value: expected a number, found '%s'", k, q);
		return rc_error(rc, -1, err, "data.result[%ld].values[%ld]: expected a number, found '%s'", k, i, q);
	}
	m->ts = (int64_t)floor(t->valuedouble);
	return 0;
}

/* One [unix, "value"] pair as a sample. */
static int
sample(struct row_ctx *rc, struct metric *m, const cJSON *pair, long k, long i,
       struct ic_error *err)
{
	int r = parse_pair(rc, m, pair, k, i, err);
	return r != 0 ? (r < 0 ? -1 : 0) : rc_emit_metric(rc, m, err);
}

/*
 * node_exporter's raw counters.  node_network_{receive,transmit}_bytes_total
 * (device lo left out) become network_in_bytes / network_out_bytes: the
 * increase since the previous sample (a decrease is a counter reset: the
 * new value is the increase).  node_cpu_seconds_total (one series per cpu
 * and mode) is summed per resource and time: cpu_utilization = 100 x (1 -
 * idle increase / increase of all modes), emitted after the document.
 */
static int
counter_series(struct prom *st, struct row_ctx *rc, struct metric *m, const cJSON *vals,
	       const char *mode, long k, struct ic_error *err)
{
	const cJSON *pair;
	double prev = 0;
	int have = 0;
	long i = 0;

	cJSON_ArrayForEach(pair, vals) {
		int r = parse_pair(rc, m, pair, k, i++, err);
		double d;
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		d = m->value >= prev ? m->value - prev : m->value;
		prev = m->value;
		if (!have) {
			have = 1;
			continue;
		}
		if (mode == NULL) {
			m->value = d;
			if (rc_emit_metric(rc, m, err) != 0)
				return -1;
			continue;
		}
		if (st->ncpu == st->cpucap) {
			size_t c = st->cpucap ? 2 * st->cpucap : 256;
			struct cpuacc *n = realloc(st->cpu, c * sizeof *n);
			if (n == NULL)
				return rc_error(rc, -1, err, "out of memory");
			st->cpu = n;
			st->cpucap = c;
		}
		st->cpu[st->ncpu].res = strndup(m->resource_id.s, m->resource_id.len);
		if (st->cpu[st->ncpu].res == NULL)
			return rc_error(rc, -1, err, "out of memory");
		st->cpu[st->ncpu].ts = m->ts;
		st->cpu[st->ncpu].idle = strcmp(mode, "idle") == 0 ? d : 0;
		st->cpu[st->ncpu].total = d;
		st->ncpu++;
	}
	return 0;
}

static int
cmp_cpuacc(const void *a, const void *b)
{
	const struct cpuacc *x = a, *y = b;
	int r = strcmp(x->res, y->res);
	return r ? r : x->ts < y->ts ? -1 : x->ts > y->ts;
}

static void
cpu_clear(struct prom *st)
{
	for (size_t i = 0; i < st->ncpu; i++)
		free(st->cpu[i].res);
	st->ncpu = 0;
}

/* the CPU utilization of the summed node_cpu_seconds_total increases */
static int
cpu_flush(struct prom *st, struct row_ctx *rc, struct ic_error *err)
{
	struct metric m;

	if (st->ncpu > 1)
		qsort(st->cpu, st->ncpu, sizeof *st->cpu, cmp_cpuacc);
	memset(&m, 0, sizeof m);
	m.metric = str_c("cpu_utilization");
	for (size_t i = 0; i < st->ncpu;) {
		size_t j = i;
		double idle = 0, total = 0;
		while (j < st->ncpu && strcmp(st->cpu[j].res, st->cpu[i].res) == 0 &&
		       st->cpu[j].ts == st->cpu[i].ts) {
			idle += st->cpu[j].idle;
			total += st->cpu[j].total;
			j++;
		}
		if (total > 0) {
			m.resource_id = str_c(st->cpu[i].res);
			m.ts = st->cpu[i].ts;
			m.value = 100 * (1 - idle / total);
			if (rc_emit_metric(rc, &m, err) != 0) {
				cpu_clear(st);
				return -1;
			}
		}
		i = j;
	}
	cpu_clear(st);
	return 0;
}

static int
one_series(struct prom *st, struct row_ctx *rc, const cJSON *s, long k, struct ic_error *err)
{
	static const char *const res_labels[] = { "resource_id", "instance_id", "instance", "pod",
		"node", "service", "job", NULL };
	const cJSON *metric = cJSON_GetObjectItemCaseSensitive(s, "metric"), *vals, *pair;
	const char *name, *res = NULL;
	struct metric m;
	long i = 0;

	if (!cJSON_IsObject(s) || !cJSON_IsObject(metric))
		return rc_error(rc, -1, err, "data.result[%ld]: expected {\"metric\": {...}, \"values\": [...]}", k);
	name = json_str_set(metric, "__name__");
	if (name == NULL)
		return rc_error(rc, -1, err,
				"data.result[%ld]: the series has no __name__ (a function result?): name it in the query "
				"with label_replace(EXPR, \"__name__\", \"cpu_utilization\", \"\", \"\")", k);
	for (const char *const *l = res_labels; *l && !res; l++)
		res = json_str_set(metric, *l);
	if (res == NULL) {
		char q[IC_QUOTE_SIZE];
		return rc_error(rc, -1, err,
				"data.result[%ld] (%s): no instance, pod, node, service or job label names the resource",
				k, ic_quote(name, strlen(name), 80, q));
	}
	memset(&m, 0, sizeof m);
	m.resource_id = str_c(res);
	m.metric = str_c(name);
	vals = cJSON_GetObjectItemCaseSensitive(s, "values");
	if (cJSON_IsArray(vals) && (strcmp(name, "node_network_receive_bytes_total") == 0 ||
				    strcmp(name, "node_network_transmit_bytes_total") == 0)) {
		const char *dev = json_str_set(metric, "device");
		if (dev && strcmp(dev, "lo") == 0)
			return 0;
		m.metric = str_c(name[13] == 'r' ? "network_in_bytes" : "network_out_bytes");
		return counter_series(st, rc, &m, vals, NULL, k, err);
	}
	if (cJSON_IsArray(vals) && strcmp(name, "node_cpu_seconds_total") == 0) {
		const char *mode = json_str_set(metric, "mode");
		if (mode == NULL)
			return rc_error(rc, -1, err, "data.result[%ld] (node_cpu_seconds_total): no mode label", k);
		return counter_series(st, rc, &m, vals, mode, k, err);
	}
	if (vals == NULL) {
		pair = cJSON_GetObjectItemCaseSensitive(s, "value");
		if (pair == NULL)
			return rc_error(rc, -1, err, "data.result[%ld]: no values", k);
		return sample(rc, &m, pair, k, -1, err);
	}
	if (!cJSON_IsArray(vals))
		return rc_error(rc, -1, err, "data.result[%ld].values: expected an array", k);
	cJSON_ArrayForEach(pair, vals) {
		if (sample(rc, &m, pair, k, i, err) != 0)
			return -1;
		i++;
	}
	if (i == 0)
		rc_warn(rc, "a series without samples");
	return 0;
}

static int
one_doc(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	struct prom *st = p;
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(v, "status");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(v, "data");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(data, "resultType");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(data, "result"), *s;
	char q[IC_QUOTE_SIZE];
	long k = 0;

	if (cJSON_IsString(status) && strcmp(status->valuestring, "success") != 0) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(v, "error");
		const char *msg = cJSON_IsString(e) ? e->valuestring : status->valuestring;
		return rc_error(rc, -1, err, "the query failed: %s", ic_quote(msg, strlen(msg), 120, q));
	}
	if (!cJSON_IsString(type) || !cJSON_IsArray(result))
		return rc_error(rc, -1, err, "not a Prometheus query result: data.resultType and data.result are required");
	if (strcmp(type->valuestring, "matrix") != 0 && strcmp(type->valuestring, "vector") != 0)
		return rc_error(rc, -1, err, "resultType '%s' is not a matrix or vector",
				ic_quote(type->valuestring, strlen(type->valuestring), 20, q));
	cJSON_ArrayForEach(s, result) {
		if (one_series(st, rc, s, k, err) != 0)
			return -1;
		k++;
		st->series++;
	}
	if (cpu_flush(st, rc, err) != 0)
		return -1;
	if (k == 0)
		rc_warn(rc, "a query result with no series");
	return 0;
}

static int
prom_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	return jp_pages(p, rc, v, one_doc, err);
}

const struct importer importer_prometheus = {
	.name = "prometheus",
	.description = "Prometheus /api/v1/query_range (or query) result (JSON), usage metrics",
	.needs = "data.resultType matrix, data.result[] with metric {__name__, instance|pod|node|job} "
		 "and values [[unix, \"value\"], ...]",
	.kind = KIND_USAGE,
	.detect = NULL,
	.open = prom_open,
	.row = prom_row,
	.close = prom_close,
	.detect_json = prom_detect_json,
	.json_row = prom_json_row,
};
