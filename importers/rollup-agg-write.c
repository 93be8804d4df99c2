/*
 * rollup-agg-write.c - writing what the import-time rollup aggregator
 * (rollup-agg.c) gathered: the charge rollups and the usage rollups,
 * or their SQL definitions when it gave up (rollup_agg_write).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/rollup-agg-int.h"

/* ---- writing ---- */

static void
bind_key(sqlite3_stmt *st, const struct strtab *s, const uint64_t *k, int kw, unsigned ints)
{
	for (int i = 0; i < kw; i++) {
		if (ints & (1u << i)) {
			sqlite3_bind_int64(st, i + 2, (int64_t)k[i]);
		} else if (k[i] == 0) {
			sqlite3_bind_null(st, i + 2);
		} else {
			int len;
			const char *p = str_of(s, k[i], &len);
			sqlite3_bind_text(st, i + 2, p, len, SQLITE_STATIC);
		}
	}
}

/* a dictionary reference: 0 is none (NULL) */
static void
bind_ref(sqlite3_stmt *st, int col, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, id);
}

static int
step_done(sqlite3 *db, sqlite3_stmt *st, struct ic_error *err)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_error(db, "writing the rollups", err);
	return 0;
}

#define Q1 "?,"
#define Q5 Q1 Q1 Q1 Q1 Q1

static int
write_charges(struct rollup_agg *a, sqlite3 *db, int64_t import_id, struct ic_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	/* rollup_daily */
	st = db_prepare(db, "INSERT INTO main.rollup_daily VALUES(" Q5 Q5 Q5 Q5 Q5 "?,?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->daily.n; i++) {
		const uint64_t *k = gt_ent(&a->daily, i) + 1;
		const struct v_daily *v = (const void *)(k + K_DAILY);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_DAILY, 1u << 2 | 1u << 3 | 1u << 16 | 1u << 17);
		sqlite3_bind_int64(st, 20, v->rows);
		sqlite3_bind_int64(st, 21, v->billed);
		sqlite3_bind_int64(st, 22, v->effective);
		if (v->has_list)
			sqlite3_bind_int64(st, 23, v->list);
		else
			sqlite3_bind_null(st, 23);
		if (v->has_qty)
			sqlite3_bind_double(st, 24, v->qty);
		else
			sqlite3_bind_null(st, 24);
		sqlite3_bind_int64(st, 25, v->min_start);
		sqlite3_bind_int64(st, 26, v->max_start);
		sqlite3_bind_int64(st, 27, v->max_end);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_compute */
	st = db_prepare(db, "INSERT INTO main.rollup_compute VALUES(" Q5 Q5 Q1 Q1 Q1 Q1 "?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->compute.n; i++) {
		const uint64_t *k = gt_ent(&a->compute, i) + 1;
		const struct v_compute *v = (const void *)(k + K_COMPUTE);
		sqlite3_bind_int64(st, 1, import_id);
		bind_key(st, &a->str, k, K_COMPUTE, 1u << 2 | 1u << 10 | 1u << 11);
		sqlite3_bind_int64(st, 14, v->rows);
		sqlite3_bind_double(st, 15, v->qty);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_resource_data: the group's period and references */
	st = db_prepare(db, "INSERT INTO main.rollup_resource_data VALUES(" Q5 Q5 "?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->resource.n; i++) {
		const uint64_t *k = gt_ent(&a->resource, i) + 1;
		const struct v_resource *v = (const void *)(k + K_RESOURCE);
		sqlite3_bind_int64(st, 1, import_id);
		sqlite3_bind_int64(st, 2, (int64_t)k[2]);
		bind_ref(st, 3, v->res);
		sqlite3_bind_int64(st, 4, v->dim);
		sqlite3_bind_int64(st, 5, (int64_t)k[13]);
		sqlite3_bind_int64(st, 6, v->rows);
		sqlite3_bind_int64(st, 7, v->billed);
		sqlite3_bind_int64(st, 8, v->effective);
		if (v->has_qty)
			sqlite3_bind_double(st, 9, v->qty);
		else
			sqlite3_bind_null(st, 9);
		sqlite3_bind_int64(st, 10, v->min_start);
		sqlite3_bind_int64(st, 11, v->max_end);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_dims_day */
	st = db_prepare(db, "INSERT INTO main.rollup_dims_day VALUES(" Q5 Q5 "?,?)", err);
	if (st == NULL)
		return -1;
	for (uint32_t i = 0; i < a->dd.n; i++) {
		const struct dd_ent *v = dd_at(&a->dd, i);
		const struct dd_period *p = &a->dd.period[v->period];
		uint32_t c = i >> DD_SHIFT, o = i & (DD_CHUNK - 1);

		sqlite3_bind_int64(st, 1, import_id);
		sqlite3_bind_int64(st, 2, p->start);
		sqlite3_bind_int64(st, 3, p->end);
		sqlite3_bind_int64(st, 4, (int64_t)v->dayno * 86400);
		sqlite3_bind_int64(st, 5, v->dim);
		sqlite3_bind_int64(st, 6, v->rows);
		sqlite3_bind_int64(st, 7, v->billed);
		sqlite3_bind_int64(st, 8, v->effective);
		if (v->flags & DD_LIST)
			sqlite3_bind_int64(st, 9, v->list);
		else
			sqlite3_bind_null(st, 9);
		if (v->flags & DD_CONTRACTED)
			sqlite3_bind_int64(st, 10, a->dd.contracted[c][o]);
		else
			sqlite3_bind_null(st, 10);
		if (v->flags & DD_CONSUMED)
			sqlite3_bind_double(st, 11, v->consumed);
		else
			sqlite3_bind_null(st, 11);
		if (v->flags & DD_PRICING)
			sqlite3_bind_double(st, 12, a->dd.pricing ? a->dd.pricing[c][o] : v->consumed);
		else
			sqlite3_bind_null(st, 12);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	sqlite3_finalize(st);

	/* rollup_runs_data: the closed runs, then the open ones */
	st = db_prepare(db, "INSERT INTO main.rollup_runs_data VALUES(" Q5 Q1 Q1 Q1 Q1 "?)", err);
	if (st == NULL)
		return -1;
	for (size_t i = 0; i < a->nclosed + a->run.n; i++) {
		const struct run_closed *rc = i < a->nclosed ? &a->closed[i] : NULL;
		uint32_t ent = rc ? rc->ent : (uint32_t)(i - a->nclosed);
		const uint64_t *k = gt_ent(&a->run, ent) + 1;
		const struct v_run *open = (const void *)(k + K_RUN);
		sqlite3_bind_int64(st, 1, import_id);
		sqlite3_bind_int64(st, 2, (int64_t)k[2]);
		sqlite3_bind_int64(st, 3, open->res);
		sqlite3_bind_int64(st, 4, open->dim);
		sqlite3_bind_int64(st, 5, (int64_t)k[8]);
		sqlite3_bind_int64(st, 6, rc ? rc->first : open->first);
		sqlite3_bind_int64(st, 7, rc ? rc->step : open->step);
		sqlite3_bind_int64(st, 8, rc ? rc->n : open->n);
		sqlite3_bind_double(st, 9, rc ? rc->qty : open->qty);
		sqlite3_bind_int64(st, 10, 1);
		if (step_done(db, st, err) != 0)
			goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

#define DIMS_DAY_SQL "INSERT INTO main.rollup_dims_day " ROLLUP_DIMS_DAY_SELECT \
	" WHERE id BETWEEN ? AND ?" ROLLUP_DIMS_DAY_GROUP

/* rollup_dims_day alone by its GROUP BY over the file's rowid range */
static int
write_dims_sql(sqlite3 *db, int64_t first, int64_t last, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, DIMS_DAY_SQL, err);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	r = step_done(db, st, err);
	sqlite3_finalize(st);
	return r;
}

/* the same groups by the rollups' GROUP BY over the file's rowid range */
static int
write_charges_sql(sqlite3 *db, int64_t first, int64_t last, struct ic_error *err)
{
	static const char *const sql[] = {
		"INSERT INTO main.rollup_daily " ROLLUP_DAILY_SELECT
			" WHERE id BETWEEN ? AND ?" ROLLUP_DAILY_GROUP,
		"INSERT INTO main.rollup_compute " ROLLUP_COMPUTE_SELECT
			" WHERE id BETWEEN ? AND ? AND " ROLLUP_COMPUTE_COND ROLLUP_COMPUTE_GROUP,
		"INSERT INTO main.rollup_resource_data " ROLLUP_RESOURCE_DATA_SELECT
			" WHERE f.id BETWEEN ? AND ?" ROLLUP_RESOURCE_DATA_GROUP,
		"INSERT INTO main.rollup_runs_data " ROLLUP_RUNS_DATA_SELECT
			" WHERE f.id BETWEEN ? AND ? AND " ROLLUP_RUNS_COND ROLLUP_RUNS_DATA_GROUP,
		DIMS_DAY_SQL,
	};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = db_prepare(db, sql[i], err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, first);
		sqlite3_bind_int64(st, 2, last);
		if (step_done(db, st, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

static int64_t
day_of(int64_t ts)
{
	return ts - ts % 86400;
}

/* CAST(v * 10 + 0.5 AS INTEGER), as SQLite computes it */
static int64_t
hist_bin(double v)
{
	double x = v * 10 + 0.5;

	if (x <= (double)INT64_MIN)
		return INT64_MIN;
	if (x >= (double)INT64_MAX)
		return INT64_MAX;
	return (int64_t)x;
}

struct day_acc {
	int64_t cpu_n, mem_n, net_n, disk_n, min_ts, max_ts;
	double cpu_sum, net_sum, disk_sum;
};

struct bin_of {
	int metric;		/* 0 cpu, 1 memory */
	int64_t month, bin;
};

static int
cmp_bin_of(const void *a, const void *b)
{
	const struct bin_of *x = a, *y = b;

	if (x->metric != y->metric)
		return x->metric - y->metric;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->bin < y->bin ? -1 : x->bin > y->bin;
}

/* the usage statements of write_usage */
enum { U_READ, U_DEL_DAY, U_DEL_DAYS, U_INS_DAY, U_DEL_HIST, U_INS_HIST, U_SQL_DAY, U_SQL_HIST, NU };

static const char *const usage_sql[NU] = {
	[U_READ] = "SELECT metric, ts, value FROM usage WHERE resource_id = ? AND metric IN "
		ROLLUP_USAGE_METRICS " AND ts >= ? AND ts <= ? ORDER BY metric, ts",
	[U_DEL_DAY] = "DELETE FROM main.rollup_usage_day WHERE day = ? AND resource_id = ?",
	[U_DEL_DAYS] = "DELETE FROM main.rollup_usage_day WHERE day BETWEEN ? AND ? AND resource_id = ?",
	[U_INS_DAY] = "INSERT INTO main.rollup_usage_day VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	[U_DEL_HIST] = "DELETE FROM main.rollup_usage_hist"
		" WHERE resource_id = ? AND metric = ? AND month BETWEEN ? AND ?",
	[U_INS_HIST] = "INSERT INTO main.rollup_usage_hist VALUES(?,?,?,?,?)",
	/* for spans too long to keep in memory: the definitions, per resource */
	[U_SQL_DAY] = "INSERT INTO main.rollup_usage_day " ROLLUP_USAGE_DAY_SELECT
		" WHERE resource_id = ? AND ts >= ? AND ts <= ? AND metric IN " ROLLUP_USAGE_METRICS
		ROLLUP_USAGE_DAY_GROUP " HAVING ts - ts % 86400 BETWEEN ? AND ?",
	[U_SQL_HIST] = "INSERT INTO main.rollup_usage_hist SELECT resource_id, metric, ?,"
		" CAST(value * 10 + 0.5 AS INTEGER), COUNT(*) FROM usage"
		" WHERE resource_id = ? AND metric = ? AND ts >= ? AND ts < ?"
		" GROUP BY resource_id, metric, CAST(value * 10 + 0.5 AS INTEGER)",
};

static const char *const hist_metric[2] = { "cpu_utilization", "memory_utilization" };

/* the longest span of days (and months) recomputed in memory */
#define USAGE_MAX_DAYS 400

/*
 * Recompute one resource's usage rollups over the days and months its new
 * samples touched, from the usage table read once in key order (metric,
 * then time): the order the definitions' sums add in.
 */
static int
usage_resource(sqlite3 *db, sqlite3_stmt **st, const char *res, int len, const struct touched *t,
	       struct day_acc *days, struct bin_of **bins, size_t *bcap, struct ic_error *err)
{
	int64_t b0 = day_of(t->min_ts), b1 = day_of(t->max_ts), ndays = (b1 - b0) / 86400 + 1;
	int64_t m0 = month_start(t->min_ts), m1 = month_start(t->max_ts), lo, hi;
	size_t nb = 0;
	int r;

	/* every sample of a day bucket in [b0, b1] is less than a day from it */
	lo = b0 - 86399 < m0 ? b0 - 86399 : m0;
	hi = b1 + 86399 > month_next(m1) - 1 ? b1 + 86399 : month_next(m1) - 1;
	memset(days, 0, (size_t)ndays * sizeof *days);
	sqlite3_bind_text(st[U_READ], 1, res, len, SQLITE_STATIC);
	sqlite3_bind_int64(st[U_READ], 2, lo);
	sqlite3_bind_int64(st[U_READ], 3, hi);
	while ((r = sqlite3_step(st[U_READ])) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st[U_READ], 0);
		int64_t ts = sqlite3_column_int64(st[U_READ], 1), d = day_of(ts);
		double v = sqlite3_column_double(st[U_READ], 2);
		int hm = strcmp(m, "cpu_utilization") == 0 ? 0 :
			 strcmp(m, "memory_utilization") == 0 ? 1 : -1;

		if (d >= b0 && d <= b1) {
			struct day_acc *x = &days[(d - b0) / 86400];
			int first = x->cpu_n + x->mem_n + x->net_n + x->disk_n == 0;
			if (hm == 0) {
				x->cpu_n++;
				x->cpu_sum += v;
			} else if (hm == 1) {
				x->mem_n++;
			} else if (strncmp(m, "network_", 8) == 0) {
				x->net_n++;
				x->net_sum += v;
			} else {
				x->disk_n++;
				x->disk_sum += v;
			}
			if (first || ts < x->min_ts)
				x->min_ts = ts;
			if (first || ts > x->max_ts)
				x->max_ts = ts;
		}
		if (hm >= 0 && (t->mask & (1u << hm))) {
			int64_t ms = month_start(ts);
			if (ms >= m0 && ms <= m1) {
				if (nb == *bcap) {
					size_t cap = *bcap ? *bcap * 2 : 4096;
					struct bin_of *n = realloc(*bins, cap * sizeof *n);
					if (n == NULL) {
						sqlite3_reset(st[U_READ]);
						return ic_errorf(err, "out of memory");
					}
					*bins = n;
					*bcap = cap;
				}
				(*bins)[nb].metric = hm;
				(*bins)[nb].month = ms;
				(*bins)[nb].bin = hist_bin(v);
				nb++;
			}
		}
	}
	sqlite3_reset(st[U_READ]);
	if (r != SQLITE_DONE)
		return db_error(db, "reading usage for the rollups", err);

	for (int64_t i = 0; i < ndays; i++) {
		const struct day_acc *x = &days[i];
		sqlite3_stmt *s;

		sqlite3_bind_int64(st[U_DEL_DAY], 1, b0 + i * 86400);
		sqlite3_bind_text(st[U_DEL_DAY], 2, res, len, SQLITE_STATIC);
		if (step_done(db, st[U_DEL_DAY], err) != 0)
			return -1;
		if (x->cpu_n + x->mem_n + x->net_n + x->disk_n == 0)
			continue;
		s = st[U_INS_DAY];
		sqlite3_bind_int64(s, 1, b0 + i * 86400);
		sqlite3_bind_text(s, 2, res, len, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, x->cpu_n);
		if (x->cpu_n)
			sqlite3_bind_double(s, 4, x->cpu_sum);
		else
			sqlite3_bind_null(s, 4);
		sqlite3_bind_int64(s, 5, x->mem_n);
		sqlite3_bind_int64(s, 6, x->net_n);
		if (x->net_n)
			sqlite3_bind_double(s, 7, x->net_sum);
		else
			sqlite3_bind_null(s, 7);
		sqlite3_bind_int64(s, 8, x->disk_n);
		if (x->disk_n)
			sqlite3_bind_double(s, 9, x->disk_sum);
		else
			sqlite3_bind_null(s, 9);
		sqlite3_bind_int64(s, 10, x->min_ts);
		sqlite3_bind_int64(s, 11, x->max_ts);
		if (step_done(db, s, err) != 0)
			return -1;
	}

	for (int j = 0; j < 2; j++) {
		if (!(t->mask & (1u << j)))
			continue;
		sqlite3_bind_text(st[U_DEL_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_DEL_HIST], 2, hist_metric[j], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_DEL_HIST], 3, m0);
		sqlite3_bind_int64(st[U_DEL_HIST], 4, m1);
		if (step_done(db, st[U_DEL_HIST], err) != 0)
			return -1;
	}
	if (nb > 1)
		qsort(*bins, nb, sizeof **bins, cmp_bin_of);
	for (size_t i = 0; i < nb;) {
		size_t k = i;
		while (k < nb && cmp_bin_of(&(*bins)[k], &(*bins)[i]) == 0)
			k++;
		sqlite3_bind_text(st[U_INS_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_INS_HIST], 2, hist_metric[(*bins)[i].metric], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_INS_HIST], 3, (*bins)[i].month);
		sqlite3_bind_int64(st[U_INS_HIST], 4, (*bins)[i].bin);
		sqlite3_bind_int64(st[U_INS_HIST], 5, (int64_t)(k - i));
		if (step_done(db, st[U_INS_HIST], err) != 0)
			return -1;
		i = k;
	}
	return 0;
}

/* the same with the definitions in SQL, for a span of many days */
static int
usage_resource_sql(sqlite3 *db, sqlite3_stmt **st, const char *res, int len,
		   const struct touched *t, struct ic_error *err)
{
	int64_t b0 = day_of(t->min_ts), b1 = day_of(t->max_ts);
	int64_t m0 = month_start(t->min_ts), m1 = month_start(t->max_ts);

	sqlite3_bind_int64(st[U_DEL_DAYS], 1, b0);
	sqlite3_bind_int64(st[U_DEL_DAYS], 2, b1);
	sqlite3_bind_text(st[U_DEL_DAYS], 3, res, len, SQLITE_STATIC);
	if (step_done(db, st[U_DEL_DAYS], err) != 0)
		return -1;
	sqlite3_bind_text(st[U_SQL_DAY], 1, res, len, SQLITE_STATIC);
	sqlite3_bind_int64(st[U_SQL_DAY], 2, b0 - 86399);
	sqlite3_bind_int64(st[U_SQL_DAY], 3, b1 + 86399);
	sqlite3_bind_int64(st[U_SQL_DAY], 4, b0);
	sqlite3_bind_int64(st[U_SQL_DAY], 5, b1);
	if (step_done(db, st[U_SQL_DAY], err) != 0)
		return -1;
	for (int j = 0; j < 2; j++) {
		if (!(t->mask & (1u << j)))
			continue;
		sqlite3_bind_text(st[U_DEL_HIST], 1, res, len, SQLITE_STATIC);
		sqlite3_bind_text(st[U_DEL_HIST], 2, hist_metric[j], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st[U_DEL_HIST], 3, m0);
		sqlite3_bind_int64(st[U_DEL_HIST], 4, m1);
		if (step_done(db, st[U_DEL_HIST], err) != 0)
			return -1;
		for (int64_t m = m0; m <= m1; m = month_next(m)) {
			sqlite3_bind_int64(st[U_SQL_HIST], 1, m);
			sqlite3_bind_text(st[U_SQL_HIST], 2, res, len, SQLITE_STATIC);
			sqlite3_bind_text(st[U_SQL_HIST], 3, hist_metric[j], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st[U_SQL_HIST], 4, m);
			sqlite3_bind_int64(st[U_SQL_HIST], 5, month_next(m));
			if (step_done(db, st[U_SQL_HIST], err) != 0)
				return -1;
		}
	}
	return 0;
}

static int
write_usage(struct rollup_agg *a, sqlite3 *db, struct ic_error *err)
{
	sqlite3_stmt *st[NU] = { NULL };
	struct day_acc *days = malloc(USAGE_MAX_DAYS * sizeof *days);
	struct bin_of *bins = NULL;
	size_t bcap = 0;
	int ret = -1;

	if (days == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < NU; i++)
		if ((st[i] = db_prepare(db, usage_sql[i], err)) == NULL)
			goto out;
	for (uint32_t id = 1; id <= a->res.n; id++) {
		const struct touched *t = &a->t[id - 1];
		int len, r;
		const char *res = str_of(&a->res, id, &len);

		if (t->mask == 0)
			continue;
		if ((day_of(t->max_ts) - day_of(t->min_ts)) / 86400 < USAGE_MAX_DAYS)
			r = usage_resource(db, st, res, len, t, days, &bins, &bcap, err);
		else
			r = usage_resource_sql(db, st, res, len, t, err);
		if (r != 0)
			goto out;
	}
	ret = 0;
out:
	for (int i = 0; i < NU; i++)
		sqlite3_finalize(st[i]);
	free(days);
	free(bins);
	return ret;
}

int
rollup_agg_write(struct rollup_agg *a, sqlite3 *db, int64_t import_id,
		 int64_t first_rowid, int64_t last_rowid, unsigned skip, struct ic_error *err)
{
	if (first_rowid != 0 && !(skip & ROLLUP_CHARGES)) {
		if (a->failed) {
			if (write_charges_sql(db, first_rowid, last_rowid, err) != 0)
				return -1;
		} else if (write_charges(a, db, import_id, err) != 0 ||
			   (a->dims_failed && write_dims_sql(db, first_rowid, last_rowid, err) != 0)) {
			return -1;
		}
	}
	if (skip & ROLLUP_USAGE)
		return 0;
	if (a->usage_failed)
		return rollup_rebuild(db, ROLLUP_USAGE, err);
	if (a->res.n > 0)
		return write_usage(a, db, err);
	return 0;
}
