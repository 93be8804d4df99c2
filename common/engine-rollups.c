/*
 * engine-rollups.c - keeping the rollup tables an analysis reads current
 * (engine_rollups, engine.h): on SQLite, TEMP copies of stale main
 * rollups (common/rollup.c builds them), remembered per engine object so
 * that the analyses of one command build them once.  Moved from
 * analyzers/rollups.c, so that the analyzers reach the database only
 * through engine.h.
 */
#include "common/db.h"
#include "common/engine-int.h"
#include "common/rollup.h"

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
engine_rollups(struct engine *e, struct ic_error *err)
{
	sqlite3 *db = e->db;
	unsigned stale, temp;
	int dv;

	if (db == NULL)
		return 0;	/* remote: views, always current */
	if (rollup_stale(db, &stale, err) != 0 ||
	    one_int(db, "PRAGMA data_version", &dv, err) != 0 || temp_sets(db, &temp, err) != 0)
		return -1;
	if (temp == stale && e->rollups_seen.valid &&
	    e->rollups_seen.changes == sqlite3_total_changes64(db) &&
	    e->rollups_seen.data_version == dv && e->rollups_seen.stale == stale)
		return 0;	/* nothing was written since the TEMP tables were made */
	if ((temp & ~stale) && rollup_drop_temp(db, temp & ~stale, err) != 0)
		return -1;
	if (stale && rollup_build_temp(db, stale, err) != 0)
		return -1;
	e->rollups_seen.valid = 1;
	e->rollups_seen.changes = sqlite3_total_changes64(db);
	e->rollups_seen.data_version = dv;
	e->rollups_seen.stale = stale;
	return 0;
}
