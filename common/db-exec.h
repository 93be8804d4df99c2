/*
 * db-exec.h - the SQLite helpers of db-exec.c: below both common/db.h
 * (which includes this header, so its users need not) and common/rollup.c,
 * which rebuilds the rollups without needing the rest of db.h.
 */
#ifndef IMCOST_DB_EXEC_H
#define IMCOST_DB_EXEC_H

#include <sqlite3.h>

#include "common/error.h"

/* Run SQL with no results; on failure set err ("what: sqlite message"). */
int db_exec(sqlite3 *db, const char *sql, const char *what, struct ic_error *err);

/* Prepare one statement; NULL with err set on failure. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, struct ic_error *err);

/* Set err from the database's last error: "what: message". Returns -1. */
int db_error(sqlite3 *db, const char *what, struct ic_error *err);

/* The integer value of "PRAGMA name" (page_count, page_size,
 * user_version, ...), or -1 when it cannot be read. */
long long db_pragma_int(sqlite3 *db, const char *name);

#endif
