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
#include "common/textset.h"

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


static int
coverage_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct an_coverage *c = arg;

	(void)err;
	c->instances = (long)engine_column_int64(st, 0);
	c->inst_cpu_net = (long)engine_column_int64(st, 1);
	c->inst_cpu = (long)engine_column_int64(st, 2);
	c->volumes = (long)engine_column_int64(st, 3);
	c->vol_disk = (long)engine_column_int64(st, 4);
	return 0;
}

/* The rows of rollup_resource that make a resource an instance, a volume */
#define COV_INSTANCE \
	"(x_InstanceType IS NOT NULL AND x_InstanceType <> '' AND positive = 1)"
#define COV_VOLUME \
	"((x_InstanceType IS NULL OR x_InstanceType = '')" \
	" AND (ResourceId LIKE 'vol-%' OR $like_ci(ResourceId, '%:volume/vol-%')" \
	" OR $like_ci(ResourceId, '%/disks/%') OR $like_ci(x_UsageType, '%volumeusage%')))"
/* The resources with CPU and network samples in [?1, ?2), with CPU
 * samples, with disk operations: from the usage rollup when no day of the
 * period is cut (rollups.h), else from the usage table. */
#define IN_CPU_NET \
	"SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN \
	" GROUP BY resource_id HAVING SUM(cpu_n) > 0 AND SUM(net_n) > 0"
#define IN_CPU "SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0"
#define IN_DISK "SELECT resource_id FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN " AND disk_n > 0"
#define IN_CPU_NET_CUT \
	"SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric IN ('cpu_utilization', 'network_in_bytes', 'network_out_bytes')" \
	" GROUP BY resource_id HAVING SUM(CASE WHEN metric = 'cpu_utilization' THEN 1 ELSE 0 END) > 0" \
	" AND SUM(CASE WHEN metric = 'cpu_utilization' THEN 0 ELSE 1 END) > 0"
#define IN_CPU_CUT "SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric = 'cpu_utilization'"
#define IN_DISK_CUT "SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2" \
	" AND metric IN ('disk_read_ops', 'disk_write_ops')"
/* one row per instance or volume (a GROUP BY costs less than a
 * COUNT(DISTINCT) per count) */
#define COVERAGE_SQL(CPU_NET, CPU, DISK) \
	"SELECT COALESCE(SUM(i), 0) AS instances, COALESCE(SUM(i * n), 0) AS inst_cpu_net," \
	" COALESCE(SUM(i * c), 0) AS inst_cpu, COALESCE(SUM(v), 0) AS volumes," \
	" COALESCE(SUM(v * d), 0) AS vol_disk FROM (" \
	"SELECT MAX(CASE WHEN " COV_INSTANCE " THEN 1 ELSE 0 END) AS i," \
	" MAX(CASE WHEN " COV_VOLUME " THEN 1 ELSE 0 END) AS v," \
	" MAX(CASE WHEN ResourceId IN (" CPU_NET ") THEN 1 ELSE 0 END) AS n," \
	" MAX(CASE WHEN ResourceId IN (" CPU ") THEN 1 ELSE 0 END) AS c," \
	" MAX(CASE WHEN ResourceId IN (" DISK ") THEN 1 ELSE 0 END) AS d" \
	" FROM rollup_resource WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2" \
	" AND ChargeCategory = 'Usage' AND ResourceId IS NOT NULL" \
	" AND (" COV_INSTANCE " OR " COV_VOLUME ") GROUP BY ResourceId) AS per_resource"

/* The same, one row per rollup row: the resource id and the bits of
 * what it is (COV_* below) for a count in C (SQLite) */
#define COVERAGE_ROWS_SQL(CPU_NET, CPU, DISK) \
	"SELECT ResourceId, CASE WHEN " COV_INSTANCE " THEN 1 ELSE 0 END" \
	" | CASE WHEN " COV_VOLUME " THEN 2 ELSE 0 END" \
	" | CASE WHEN ResourceId IN (" CPU_NET ") THEN 4 ELSE 0 END" \
	" | CASE WHEN ResourceId IN (" CPU ") THEN 8 ELSE 0 END" \
	" | CASE WHEN ResourceId IN (" DISK ") THEN 16 ELSE 0 END" \
	" FROM rollup_resource WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2" \
	" AND ChargeCategory = 'Usage' AND ResourceId IS NOT NULL" \
	" AND (" COV_INSTANCE " OR " COV_VOLUME ")"
enum { COV_I = 1, COV_V = 2, COV_N = 4, COV_C = 8, COV_D = 16 };
/* what the set of distinct resource ids may take before the count falls
 * back to the GROUP BY (a year of a large account: 185k rows, 173k
 * resources in 12 MiB) */
#define COVERAGE_SET_BYTES ((size_t)32 << 20)

struct coverage_set {
	struct textset *set;
	int full;
};

static int
coverage_set_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct coverage_set *cs = arg;
	const char *id = engine_column_text(st, 0);

	(void)err;
	if (id == NULL)
		return 0;
	if (textset_or(cs->set, id, strlen(id), (unsigned)engine_column_int64(st, 1)) != 0) {
		cs->full = 1;
		return -1;
	}
	return 0;
}

/*
 * The counts of an_metric_coverage on SQLite: the rows as they come, each
 * resource's bits ORed in a set in C.  The GROUP BY sorted every row by
 * its text (0.3 of a year's 0.45 s).  Returns 0 with *done = 1, 0 with
 * *done = 0 when the set would pass its memory (then the caller counts by
 * SQL), or -1.
 */
static int
coverage_in_c(const struct analysis_ctx *ctx, int cut, struct an_coverage *c, int *done,
	      struct ic_error *err)
{
	const char *env = getenv("IMCOST_COVERAGE_SET_MAX");	/* bytes, for tests */
	size_t max = env && *env ? (size_t)strtoull(env, NULL, 10) : COVERAGE_SET_BYTES;
	struct coverage_set cs = { NULL, 0 };
	struct engine_stmt *st;
	int64_t rows = 0;
	int r;

	*done = 0;
	/* the rows bound the resources: more than the set can hold (a
	 * month whose every line item is a resource of its own) go to SQL */
	st = an_prepare(ctx, "SELECT COUNT(*) FROM rollup_resource_data"
			" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2", err);
	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	r = engine_step(st, err);
	if (r == 1)
		rows = engine_column_int64(st, 0);
	engine_finalize(st);
	if (r < 0)
		return an_step_error("counting the resources", err);
	if ((uint64_t)rows > max / 64 || (cs.set = textset_new(max, (size_t)rows)) == NULL)
		return 0;
	st = an_prepare(ctx, cut ? COVERAGE_ROWS_SQL(IN_CPU_NET_CUT, IN_CPU_CUT, IN_DISK_CUT) :
			COVERAGE_ROWS_SQL(IN_CPU_NET, IN_CPU, IN_DISK), err);
	if (st == NULL) {
		textset_free(cs.set);
		return -1;
	}
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	r = an_each(st, "counting what the metrics cover", coverage_set_row, &cs, err);
	if (r == 0) {
		c->instances = (long)textset_count(cs.set, COV_I);
		c->inst_cpu_net = (long)textset_count(cs.set, COV_I | COV_N);
		c->inst_cpu = (long)textset_count(cs.set, COV_I | COV_C);
		c->volumes = (long)textset_count(cs.set, COV_V);
		c->vol_disk = (long)textset_count(cs.set, COV_V | COV_D);
		*done = 1;
	} else if (cs.full) {
		r = 0;
	}
	textset_free(cs.set);
	return r;
}

int
an_metric_coverage(const struct analysis_ctx *ctx, struct an_coverage *c, struct ic_error *err)
{
	struct engine_stmt *st;
	int cut, done;

	if (ctx->memo && ctx->memo->have_coverage) {
		*c = ctx->memo->coverage;
		return 0;
	}
	memset(c, 0, sizeof *c);
	if (an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
		return -1;
	if (engine_kind(ctx->eng) == ENGINE_SQLITE) {
		if (coverage_in_c(ctx, cut, c, &done, err) != 0)
			return -1;
		if (done)
			goto memo;
	}
	st = an_prepare(ctx, cut ? COVERAGE_SQL(IN_CPU_NET_CUT, IN_CPU_CUT, IN_DISK_CUT) :
			COVERAGE_SQL(IN_CPU_NET, IN_CPU, IN_DISK), err);
	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "counting what the metrics cover", coverage_row, c, err) != 0)
		return -1;
memo:
	if (ctx->memo) {
		ctx->memo->coverage = *c;
		ctx->memo->have_coverage = 1;
	}
	return 0;
}
