/*
 * db-int.h - what the database's files share: db.c (the schema and its
 * migrations), db-open.c (opening) and db-check.c (integrity checks).
 * Not a public API: everything else includes db.h.
 */
#ifndef IMCOST_DB_INT_H
#define IMCOST_DB_INT_H

#include <sqlite3.h>

#include "common/db.h"
#include "common/error.h"

/* ---- db.c ---- */

/* PRAGMA user_version of db into *v.  Returns 0, or -1 with err set. */
int user_version(sqlite3 *db, int *v, struct ic_error *err);
/* err = "PATH: this database was written by a newer imcost ..." for a
 * file of schema v. */
void newer_schema(const char *path, int v, struct ic_error *err);
/* Bring db (opened for writing, checked) to DB_SCHEMA_VERSION in one
 * transaction.  Returns 0, or -1 with err set and nothing changed. */
int migrate(sqlite3 *db, const char *path, struct ic_error *err);

/* ---- db-check.c ---- */

/* Set by the last db_open's quick check (db_quick_check_cut); db_open
 * clears it. */
extern int quick_check_cut;
/* Is rc (an extended result code) SQLite's word for a damaged file? */
int is_corrupt(int rc);
/* err = "PATH: DB is damaged: problem; ..." (problem quoted). */
void damaged(const char *path, const char *problem, struct ic_error *err);
/* The check of db_open: the full check before a write (full = 1), the
 * bounded quick check of a read (full = 0).  Returns 0 when nothing was
 * found, -1 with err set. */
int check_on_open(sqlite3 *db, const char *path, int full, struct ic_error *err);
/* Start check_on_open(chk, path, full) for db (a DB_READ_BG or
 * DB_WRITE_BG open) in a thread of its own: chk is a second read-only
 * connection to the same file, which the check owns and closes.  Returns
 * 0, or -1 with err set (chk is closed then too). */
int check_in_background(sqlite3 *db, sqlite3 *chk, const char *path, int full,
			struct ic_error *err);
/* Whether the check before a write of db is the page walk (the file is
 * above DB_FULL_CHECK_MB) rather than the full integrity_check. */
int check_is_walk(sqlite3 *db);
/* Wait for db's background check, if any, and forget it (db_close). */
void check_background_forget(sqlite3 *db);

#endif
