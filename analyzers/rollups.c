/*
 * rollups.c - keeping the analyzers' view of the rollup tables current
 * (see rollups.h).
 */
#include <string.h>

#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/rollup.h"

/* What the last an_rollups call saw (the analyses run on one thread). */
static struct {
	sqlite3 *db;
	sqlite3_int64 changes;
	int data_version;
	unsigned stale;
} seen;

static int
one_int(sqlite3 *db, const char *sql, int *out, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, "reading the database state", err);
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* which TEMP rollup sets exist */
static int
temp_sets(sqlite3 *db, unsigned *sets, struct ic_error *err)
{
	int c, u;

	if (one_int(db, "SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'rollup_daily'", &c,
		    err) != 0 ||
	    one_int(db, "SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'rollup_usage_day'", &u,
		    err) != 0)
		return -1;
	*sets = (c ? ROLLUP_CHARGES : 0) | (u ? ROLLUP_USAGE : 0);
	return 0;
}

int
an_rollups(sqlite3 *db, struct ic_error *err)
{
	unsigned stale, temp;
	int dv;

	if (rollup_stale(db, &stale, err) != 0 ||
	    one_int(db, "PRAGMA data_version", &dv, err) != 0 || temp_sets(db, &temp, err) != 0)
		return -1;
	if (temp == stale && seen.db == db && seen.changes == sqlite3_total_changes64(db) &&
	    seen.data_version == dv && seen.stale == stale)
		return 0;	/* nothing was written since the TEMP tables were made */
	if ((temp & ~stale) && rollup_drop_temp(db, temp & ~stale, err) != 0)
		return -1;
	if (stale && rollup_build_temp(db, stale, err) != 0)
		return -1;
	seen.db = db;
	seen.changes = sqlite3_total_changes64(db);
	seen.data_version = dv;
	seen.stale = stale;
	return 0;
}

static int
exists(sqlite3 *db, const char *sql, int64_t lo, int64_t hi, int *yes, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	r = sqlite3_step(st);
	*yes = r == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	if (r != SQLITE_ROW)
		return db_error(db, "checking the rollups", err);
	return 0;
}

int
an_daily_cut(sqlite3 *db, int64_t lo, int64_t hi, int usage_only, int *cut, struct ic_error *err)
{
	return exists(db, usage_only ?
		"SELECT EXISTS(SELECT 1 FROM rollup_daily WHERE ChargeCategory = 'Usage' AND"
		" ((min_start < ?1 AND max_start >= ?1) OR (min_start < ?2 AND max_start >= ?2)))" :
		"SELECT EXISTS(SELECT 1 FROM rollup_daily WHERE"
		" (min_start < ?1 AND max_start >= ?1) OR (min_start < ?2 AND max_start >= ?2))",
		lo, hi, cut, err);
}

int
an_usage_cut(sqlite3 *db, int64_t lo, int64_t hi, int *cut, struct ic_error *err)
{
	int a, b;

	/* a day holding a bound is less than a day away from it */
	if (exists(db, "SELECT EXISTS(SELECT 1 FROM rollup_usage_day WHERE day > ?1 - 86400"
		   " AND day < ?1 + 86400 AND min_ts < ?1 AND max_ts >= ?1)", lo, lo, &a, err) != 0 ||
	    exists(db, "SELECT EXISTS(SELECT 1 FROM rollup_usage_day WHERE day > ?1 - 86400"
		   " AND day < ?1 + 86400 AND min_ts < ?1 AND max_ts >= ?1)", hi, hi, &b, err) != 0)
		return -1;
	*cut = a || b;
	return 0;
}

void
an_idle_bind(sqlite3_stmt *st, int64_t start, int64_t end, const struct analysis_opts *o)
{
	sqlite3_bind_int64(st, 1, start);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_double(st, 3, o->idle_cpu_pct);
	sqlite3_bind_double(st, 4, o->idle_net_bytes);
	sqlite3_bind_int(st, 5, o->idle_min_days);
	sqlite3_bind_double(st, 6, o->idle_share);
}

int
an_data_span(sqlite3 *db, int64_t *start, int64_t *end, int *found, struct ic_error *err)
{
	sqlite3_stmt *st;

	*start = *end = 0;
	*found = 0;
	if (an_rollups(db, err) != 0)
		return -1;
	st = db_prepare(db, "SELECT MIN(BillingPeriodStart), MAX(BillingPeriodEnd) FROM rollup_daily",
			err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, "finding the imported periods", err);
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*start = sqlite3_column_int64(st, 0);
		*end = sqlite3_column_int64(st, 1);
		*found = 1;
	}
	sqlite3_finalize(st);
	return 0;
}
