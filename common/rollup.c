/*
 * rollup.c - building, rebuilding and trimming the rollup tables (see
 * rollup.h for what they hold and who maintains them).
 */
#include <stdint.h>
#include <stdio.h>

#include "common/db-exec.h"
#include "common/rollup.h"

/* The tables of the charge rollups, and how each names a row's provider
 * and billing account: by their texts or through a charge_dims row. */
static const struct {
	const char *name;
	int by_dims;
} charges_tables[] = {
	{ "rollup_daily", 0 }, { "rollup_compute", 0 }, { "rollup_resource_data", 1 },
	{ "rollup_runs_data", 1 }, { "rollup_dims_day", 1 },
};

static const char rebuild_charges_sql[] =
	"DELETE FROM main.rollup_daily;"
	"INSERT INTO main.rollup_daily " ROLLUP_DAILY_SELECT ROLLUP_DAILY_WHERE ROLLUP_DAILY_GROUP ";"
	"DELETE FROM main.rollup_compute;"
	"INSERT INTO main.rollup_compute " ROLLUP_COMPUTE_SELECT ROLLUP_COMPUTE_WHERE
		ROLLUP_COMPUTE_GROUP ";"
	"DELETE FROM main.rollup_resource_data;"
	"INSERT INTO main.rollup_resource_data " ROLLUP_RESOURCE_DATA_SELECT
		ROLLUP_RESOURCE_DATA_WHERE ROLLUP_RESOURCE_DATA_GROUP ";"
	"DELETE FROM main.rollup_runs_data;"
	"INSERT INTO main.rollup_runs_data " ROLLUP_RUNS_DATA_SELECT ROLLUP_RUNS_DATA_WHERE
		ROLLUP_RUNS_DATA_GROUP ";"
	"DELETE FROM main.rollup_dims_day;"
	"INSERT INTO main.rollup_dims_day " ROLLUP_DIMS_DAY_SELECT ROLLUP_DIMS_DAY_WHERE
		ROLLUP_DIMS_DAY_GROUP ";"
	"UPDATE main.rollup_state SET charges_stale = 0;";

static const char rebuild_usage_sql[] =
	"DELETE FROM main.rollup_usage_day;"
	"INSERT INTO main.rollup_usage_day " ROLLUP_USAGE_DAY_SELECT ROLLUP_USAGE_DAY_WHERE
		ROLLUP_USAGE_DAY_GROUP ";"
	"DELETE FROM main.rollup_usage_hist;"
	"INSERT INTO main.rollup_usage_hist " ROLLUP_USAGE_HIST_SELECT ROLLUP_USAGE_HIST_WHERE
		ROLLUP_USAGE_HIST_GROUP ";"
	"UPDATE main.rollup_state SET usage_stale = 0;";

/* the TEMP shape of the two per-resource rollups: tables of references and
 * views over them, as in the main schema */
#define DROP_TEMP_RESOURCE \
	"DROP VIEW IF EXISTS temp.rollup_resource;" \
	"DROP VIEW IF EXISTS temp.rollup_instance_runs;" \
	"DROP TABLE IF EXISTS temp.rollup_resource_data;" \
	"DROP TABLE IF EXISTS temp.rollup_runs_data;"

static const char temp_charges_sql[] =
	"DROP TABLE IF EXISTS temp.rollup_daily;"
	"DROP TABLE IF EXISTS temp.rollup_compute;"
	DROP_TEMP_RESOURCE
	"DROP TABLE IF EXISTS temp.rollup_dims_day;"
	ROLLUP_BUILD(DAILY, "CREATE TEMP TABLE ", "temp.", "rollup_daily")
	ROLLUP_BUILD(COMPUTE, "CREATE TEMP TABLE ", "temp.", "rollup_compute")
	ROLLUP_BUILD(RESOURCE_DATA, "CREATE TEMP TABLE ", "temp.", "rollup_resource_data")
	ROLLUP_BUILD(RUNS_DATA, "CREATE TEMP TABLE ", "temp.", "rollup_runs_data")
	ROLLUP_RESOURCE_VIEW("CREATE TEMP VIEW ")
	ROLLUP_RUNS_VIEW("CREATE TEMP VIEW ")
	ROLLUP_BUILD(DIMS_DAY, "CREATE TEMP TABLE ", "temp.", "rollup_dims_day");

static const char temp_usage_sql[] =
	"DROP TABLE IF EXISTS temp.rollup_usage_day;"
	"DROP TABLE IF EXISTS temp.rollup_usage_hist;"
	ROLLUP_BUILD(USAGE_DAY, "CREATE TEMP TABLE ", "temp.", "rollup_usage_day")
	ROLLUP_BUILD(USAGE_HIST, "CREATE TEMP TABLE ", "temp.", "rollup_usage_hist");

#define DEF(R, name) { name, ROLLUP_##R##_TABLE("CREATE TABLE "), ROLLUP_##R##_SELECT, \
	ROLLUP_##R##_WHERE, ROLLUP_##R##_GROUP }
const struct rollup_def rollup_defs[] = {
	DEF(DAILY, "rollup_daily"),
	DEF(COMPUTE, "rollup_compute"),
	DEF(RESOURCE, "rollup_resource"),
	DEF(RUNS, "rollup_instance_runs"),
	DEF(USAGE_DAY, "rollup_usage_day"),
	DEF(FOCUS_DAILY, "focus_daily"),
	{ "rollup_usage_hist", ROLLUP_USAGE_HIST_TABLE("CREATE TABLE "),
	  ROLLUP_USAGE_HIST_SELECT_PORTABLE, ROLLUP_USAGE_HIST_WHERE, ROLLUP_USAGE_HIST_GROUP_PORTABLE },
	{ NULL, NULL, NULL, NULL, NULL }
};
#undef DEF

int
rollup_rebuild(sqlite3 *db, unsigned which, struct ic_error *err)
{
	if ((which & ROLLUP_CHARGES) &&
	    db_exec(db, rebuild_charges_sql, "rebuilding the charge rollups", err) != 0)
		return -1;
	if ((which & ROLLUP_USAGE) &&
	    db_exec(db, rebuild_usage_sql, "rebuilding the usage rollups", err) != 0)
		return -1;
	return 0;
}

int
rollup_build_temp(sqlite3 *db, unsigned which, struct ic_error *err)
{
	if ((which & ROLLUP_CHARGES) &&
	    db_exec(db, temp_charges_sql, "summarizing the charges", err) != 0)
		return -1;
	if ((which & ROLLUP_USAGE) &&
	    db_exec(db, temp_usage_sql, "summarizing the usage metrics", err) != 0)
		return -1;
	return 0;
}

int
rollup_drop_temp(sqlite3 *db, unsigned which, struct ic_error *err)
{
	if ((which & ROLLUP_CHARGES) &&
	    db_exec(db, "DROP TABLE IF EXISTS temp.rollup_daily;"
		    "DROP TABLE IF EXISTS temp.rollup_compute;"
		    DROP_TEMP_RESOURCE
		    "DROP TABLE IF EXISTS temp.rollup_dims_day;",
		    "dropping temporary rollups", err) != 0)
		return -1;
	if ((which & ROLLUP_USAGE) &&
	    db_exec(db, "DROP TABLE IF EXISTS temp.rollup_usage_day;"
		    "DROP TABLE IF EXISTS temp.rollup_usage_hist;",
		    "dropping temporary rollups", err) != 0)
		return -1;
	return 0;
}

int
rollup_stale(sqlite3 *db, unsigned *stale, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT charges_stale, usage_stale FROM main.rollup_state WHERE id = 1", err);
	int r;

	*stale = 0;
	if (st == NULL)
		return -1;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0))
			*stale |= ROLLUP_CHARGES;
		if (sqlite3_column_int(st, 1))
			*stale |= ROLLUP_USAGE;
	} else if (r == SQLITE_DONE) {
		*stale = ROLLUP_CHARGES | ROLLUP_USAGE;
	} else {
		sqlite3_finalize(st);
		return db_error(db, "reading the rollup state", err);
	}
	sqlite3_finalize(st);
	return 0;
}

int
rollup_delete_period(sqlite3 *db, int64_t import_id, const char *provider,
		     const char *account, int64_t period_start, struct ic_error *err)
{
	char sql[256];

	for (size_t i = 0; i < sizeof charges_tables / sizeof charges_tables[0]; i++) {
		sqlite3_stmt *st;

		/* table names are constants of this file */
		snprintf(sql, sizeof sql, "DELETE FROM main.%s WHERE import_id = ?1"
			 " AND BillingPeriodStart = ?2 AND %s", charges_tables[i].name,
			 charges_tables[i].by_dims ? "dim_id IN (SELECT id FROM main.charge_dims"
			 " WHERE ProviderName = ?3 AND BillingAccountId = ?4)"
			 : "ProviderName = ?3 AND BillingAccountId = ?4");
		st = db_prepare(db, sql, err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, import_id);
		sqlite3_bind_int64(st, 2, period_start);
		sqlite3_bind_text(st, 3, provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, account, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(db, "removing the rollups this import restates", err);
		}
		sqlite3_finalize(st);
	}
	return 0;
}
