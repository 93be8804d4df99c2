/*
 * db-exec.c - the small helpers every SQLite user of the tree calls (see
 * db-exec.h): run SQL, prepare a statement, turn the connection's last
 * error into an ic_error, read a pragma.  Below db.c and rollup.c alike.
 */
#include <stdio.h>

#include "common/db-exec.h"

int
db_error(sqlite3 *db, const char *what, struct ic_error *err)
{
	return ic_errorf(err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

long long
db_pragma_int(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	char sql[64];
	long long v = -1;

	snprintf(sql, sizeof sql, "PRAGMA %s", name);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
db_exec(sqlite3 *db, const char *sql, const char *what, struct ic_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ic_errorf(err, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql, struct ic_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(db, "preparing a query", err);
		return NULL;
	}
	return st;
}
