/*
 * rollups.c - the analyzers' queries of the rollup tables (see
 * rollups.h); keeping them current is the engine's (engine_rollups).
 */
#include <stdlib.h>
#include <string.h>

#include "analyzers/rollups.h"
#include "common/timeparse.h"

int
an_rollups(struct engine *e, struct ic_error *err)
{
	return engine_rollups(e, err);
}

/* *yes = whether sql (?1 = lo, ?2 = hi) gives a row */
static int
any_row(struct engine *e, const char *sql, int64_t lo, int64_t hi, int *yes, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(e, sql, err);
	int r;

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, lo);
	engine_bind_int64(st, 2, hi);
	r = engine_step(st, err);
	engine_finalize(st);
	if (r < 0)
		return -1;
	*yes = r == 1;
	return 0;
}

int
an_daily_cut(struct engine *e, int64_t lo, int64_t hi, int usage_only, int *cut,
	     struct ic_error *err)
{
	return any_row(e, usage_only ?
		"SELECT 1 AS x FROM rollup_daily WHERE ChargeCategory = 'Usage' AND"
		" ((min_start < ?1 AND max_start >= ?1) OR (min_start < ?2 AND max_start >= ?2)) LIMIT 1" :
		"SELECT 1 AS x FROM rollup_daily WHERE"
		" (min_start < ?1 AND max_start >= ?1) OR (min_start < ?2 AND max_start >= ?2) LIMIT 1",
		lo, hi, cut, err);
}

int
an_usage_cut(struct engine *e, int64_t lo, int64_t hi, int *cut, struct ic_error *err)
{
	int a, b;
	const char *sql = "SELECT 1 AS x FROM rollup_usage_day WHERE day > ?1 - 86400"
		" AND day < ?1 + 86400 AND min_ts < ?1 AND max_ts >= ?1 LIMIT 1";

	/* a day holding a bound is less than a day away from it */
	if (any_row(e, sql, lo, lo, &a, err) != 0 || any_row(e, sql, hi, hi, &b, err) != 0)
		return -1;
	*cut = a || b;
	return 0;
}

void
an_idle_bind(struct engine_stmt *st, int64_t start, int64_t end, const struct analysis_opts *o)
{
	engine_bind_int64(st, 1, start);
	engine_bind_int64(st, 2, end);
	engine_bind_double(st, 3, o->idle_cpu_pct);
	engine_bind_double(st, 4, o->idle_net_bytes);
	engine_bind_int64(st, 5, o->idle_min_days);
	engine_bind_double(st, 6, o->idle_window_days > 0 ? 0 : o->idle_share);
	engine_bind_int64(st, 7, o->idle_window_days > 0 ? o->idle_window_days : 1000000);
}

int
an_data_span(struct engine *e, int64_t *start, int64_t *end, int *found, struct ic_error *err)
{
	struct engine_stmt *st;
	int r;

	*start = *end = 0;
	*found = 0;
	if (an_rollups(e, err) != 0)
		return -1;
	st = engine_prepare(e, "SELECT $min(BillingPeriodStart) AS lo, $max(BillingPeriodEnd) AS hi"
			    " FROM rollup_daily", err);
	if (st == NULL)
		return -1;
	r = engine_step(st, err);
	if (r == 1 && engine_column_type(st, 0) != ENGINE_NULL) {
		*start = engine_column_int64(st, 0);
		*end = engine_column_int64(st, 1);
		*found = 1;
	}
	engine_finalize(st);
	return r < 0 ? -1 : 0;
}

int
an_billing_months(struct engine *e, int64_t **months, size_t *n, struct ic_error *err)
{
	struct engine_stmt *st;
	size_t cap = 0;
	int r;

	*months = NULL;
	*n = 0;
	if (an_rollups(e, err) != 0)
		return -1;
	st = engine_prepare(e, "SELECT BillingPeriodStart FROM rollup_daily GROUP BY BillingPeriodStart"
			    " ORDER BY BillingPeriodStart", err);
	if (st == NULL)
		return -1;
	while ((r = engine_step(st, err)) == 1) {
		int64_t m = month_start(engine_column_int64(st, 0));

		if (*n > 0 && (*months)[*n - 1] == m)
			continue;
		if (*n == cap) {
			int64_t *v = realloc(*months, (cap = cap ? cap * 2 : 32) * sizeof *v);
			if (v == NULL) {
				r = ic_errorf(err, "out of memory");
				break;
			}
			*months = v;
		}
		(*months)[(*n)++] = m;
	}
	engine_finalize(st);
	if (r < 0) {
		free(*months);
		*months = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
