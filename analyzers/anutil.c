/*
 * anutil.c - small helpers shared by the analyzers (see anutil.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/anutil.h"
#include "analyzers/analyzer.h"
#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/engine.h"

int64_t
an_nanos(double v)
{
	if (!(v == v))
		return 0;
	if (v >= 9.2e18)
		return INT64_MAX;
	if (v <= -9.2e18)
		return -INT64_MAX;
	return llround(v);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double
an_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct engine_stmt *
an_prepare(const struct analysis_ctx *ctx, const char *sql, struct ic_error *err)
{
	return engine_prepare(ctx->eng, sql, err);
}

int
an_each(struct engine_stmt *st, const char *what,
	int (*row)(void *arg, struct engine_stmt *st, struct ic_error *err), void *arg,
	struct ic_error *err)
{
	int r;

	while ((r = engine_step(st, err)) == 1)
		if (row(arg, st, err) != 0) {
			engine_finalize(st);
			return -1;
		}
	engine_finalize(st);
	return r < 0 ? an_step_error(what, err) : 0;
}

int
an_step_error(const char *what, struct ic_error *err)
{
	char msg[sizeof err->msg];

	snprintf(msg, sizeof msg, "%s", err->msg);
	return ic_errorf(err, "%s: %s", what, msg);
}

char *
an_strdup(const struct engine_stmt *st, int i, int *oom)
{
	const char *s = engine_column_text(st, i);
	char *r;

	if (s == NULL)
		return NULL;
	r = strdup(s);
	if (r == NULL)
		*oom = 1;
	return r;
}

const char *
an_text(const struct engine_stmt *st, int i)
{
	const char *s = engine_column_text(st, i);
	return s ? s : "";
}

int
an_null(const struct engine_stmt *st, int i)
{
	return engine_column_type(st, i) == ENGINE_NULL;
}

struct two_counts {
	long a, b;
};

static int
two_counts_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct two_counts *c = arg;

	(void)err;
	c->a = (long)engine_column_int64(st, 0);
	c->b = (long)engine_column_int64(st, 1);
	return 0;
}

int
an_coverage(const struct analysis_ctx *ctx, const char *where, const char *in, long *eligible,
	    long *assessed, struct ic_error *err)
{
	struct two_counts c = { 0, 0 };
	struct engine_stmt *st;
	char *sql;
	size_t n = strlen(where) + strlen(in) + 256;

	sql = malloc(n);
	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	snprintf(sql, n, "SELECT COUNT(DISTINCT ResourceId) AS eligible,"
		 " COUNT(DISTINCT CASE WHEN ResourceId IN (%s) THEN ResourceId END) AS assessed"
		 " FROM rollup_resource WHERE %s", in, where);
	st = an_prepare(ctx, sql, err);
	free(sql);
	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "counting what the metrics cover", two_counts_row, &c, err) != 0)
		return -1;
	*eligible = c.a;
	*assessed = c.b;
	return 0;
}

struct three_counts {
	long a, b, c;
};

static int
three_counts_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct three_counts *c = arg;

	(void)err;
	c->a = (long)engine_column_int64(st, 0);
	c->b = (long)engine_column_int64(st, 1);
	c->c = (long)engine_column_int64(st, 2);
	return 0;
}

/* The resources with CPU and network samples in [?1, ?2), and with CPU
 * samples: from the usage rollup when no day of the period is cut
 * (rollups.h), else from the usage table. */
#define IN_CPU_NET \
	"SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN \
	" GROUP BY resource_id HAVING SUM(cpu_n) > 0 AND SUM(net_n) > 0"
#define IN_CPU "SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0"
#define IN_CPU_NET_CUT \
	"SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric IN ('cpu_utilization', 'network_in_bytes', 'network_out_bytes')" \
	" GROUP BY resource_id HAVING SUM(CASE WHEN metric = 'cpu_utilization' THEN 1 ELSE 0 END) > 0" \
	" AND SUM(CASE WHEN metric = 'cpu_utilization' THEN 0 ELSE 1 END) > 0"
#define IN_CPU_CUT "SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric = 'cpu_utilization'"
/* one row per instance (the GROUP BY is cheaper than COUNT(DISTINCT) x 3) */
#define INSTANCE_COVERAGE_SQL(CPU_NET, CPU) \
	"SELECT COUNT(*) AS eligible, SUM(n) AS with_cpu_net, SUM(c) AS with_cpu FROM (" \
	"SELECT MAX(CASE WHEN ResourceId IN (" CPU_NET ") THEN 1 ELSE 0 END) AS n," \
	" MAX(CASE WHEN ResourceId IN (" CPU ") THEN 1 ELSE 0 END) AS c" \
	" FROM rollup_resource WHERE " AN_BILL_INSTANCE_WHERE " GROUP BY ResourceId) AS per_instance"

int
an_instance_coverage(const struct analysis_ctx *ctx, long *eligible, long *with_cpu_net,
		     long *with_cpu, struct ic_error *err)
{
	struct three_counts c = { 0, 0, 0 };
	struct engine_stmt *st;
	int cut;

	if (ctx->memo == NULL || !ctx->memo->have_instances) {
		if (an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
			return -1;
		st = an_prepare(ctx, cut ? INSTANCE_COVERAGE_SQL(IN_CPU_NET_CUT, IN_CPU_CUT) :
				INSTANCE_COVERAGE_SQL(IN_CPU_NET, IN_CPU), err);
		if (st == NULL)
			return -1;
		engine_bind_int64(st, 1, ctx->start);
		engine_bind_int64(st, 2, ctx->end);
		if (an_each(st, "counting what the metrics cover", three_counts_row, &c, err) != 0)
			return -1;
		if (ctx->memo == NULL) {
			*eligible = c.a;
			*with_cpu_net = c.b;
			*with_cpu = c.c;
			return 0;
		}
		ctx->memo->instances = c.a;
		ctx->memo->with_cpu_net = c.b;
		ctx->memo->with_cpu = c.c;
		ctx->memo->have_instances = 1;
	}
	*eligible = ctx->memo->instances;
	*with_cpu_net = ctx->memo->with_cpu_net;
	*with_cpu = ctx->memo->with_cpu;
	return 0;
}
