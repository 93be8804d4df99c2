/*
 * engine.h - where the charges live: the embedded SQLite database or a
 * remote engine (a ClickHouse cluster, a PostgreSQL server) reached
 * through its own command-line client.
 *
 * An engine is named by a URL (--engine):
 *   sqlite:PATH                             the embedded default (db.h)
 *   clickhouse://[USER@]HOST[:PORT]/DB[?cluster=NAME]
 *                                           clickhouse-client; with cluster,
 *                                           MergeTree tables on every shard
 *                                           and Distributed tables over them
 *   postgresql://[USER@]HOST[:PORT]/DB      psql (postgres:// also accepted)
 *
 * Remote engines are driven by running their client (found on PATH, or
 * named by $IMCOST_CLICKHOUSE_CLIENT / $IMCOST_PSQL) with fork/exec and
 * pipes, never a shell: SQL goes in on stdin, CSV comes back on stdout,
 * the client's complaint on stderr becomes the error message.  Nothing
 * here assembles SQL from data: queries are the program's own text with
 * `?` placeholders; integers and doubles bound to them are written as
 * literals (they are formatted here), text goes through the client's own
 * parameter mechanism (psql -v NAME=VALUE and :'NAME').  clickhouse-client
 * 18.16 has no parameters, so binding text to a ClickHouse query is an
 * error; bulk data never goes through SQL at all (engine_load_*).
 *
 * Placeholders are `?` or `?NNN` (1..999), numbered as SQLite numbers
 * them, so one value can appear several times.
 *
 * Queries may use a few macros whose spelling differs between engines
 * (engine-sqlite.c, engine-clickhouse.c, engine-postgresql.c):
 *   $idiv(A, B)   integer division truncating toward zero
 *   $int(X)       X truncated toward zero to a 64-bit integer
 *   $min(X) $max(X) $sum(X) $avg(X)
 *                 aggregates that give NULL over no rows (ClickHouse
 *                 18.16 gives 0 or nan for non-Nullable columns)
 *   $month_start(T)
 *                 the first second of the UTC calendar month of epoch
 *                 second T, as a 64-bit integer
 *   $str(HEX)     the text whose UTF-8 bytes are the hex digits HEX (a
 *                 literal built from data without quoting it)
 *   $like_ci(X, P)
 *                 X LIKE P with ASCII letters of X matched whatever their
 *                 case (P in lower case): SQLite's own LIKE (it folds
 *                 ASCII; LOWER() of every row cost 60% of a scan),
 *                 lower(X) LIKE P elsewhere
 * and, on remote engines only, over the tag arrays of a charge (TagKeys,
 * TagValues: the folded keys and values of tag_pairs_get, common/tags.h):
 *   $tag(HEX)     the value of the folded key $str(HEX), NULL when the
 *                 charge has no such key
 *   $unnest(A)    one row per element of the array column A (in a select
 *                 list)
 * and must not use positional ORDER BY / GROUP BY (ClickHouse 18.16 sorts
 * by the constant): name the output column with an alias instead.  A
 * nullable sort key needs SQLite's order spelled out, `k NULLS FIRST`
 * (ascending) or `k DESC NULLS LAST`: ClickHouse and PostgreSQL put NULLs
 * last when ascending.  Text compares as bytes on every engine.
 *
 * On a remote engine the tables analyzers read are `charges` and `usage`
 * with the SQLite columns (db.h); they are views that show only what
 * committed imports wrote (see importers/engine-import.h).
 */
#ifndef IMCOST_ENGINE_H
#define IMCOST_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "common/db.h"
#include "common/error.h"

enum engine_kind { ENGINE_SQLITE, ENGINE_CLICKHOUSE, ENGINE_POSTGRESQL };

#define ENGINE_NAME_MAX 64

struct engine_url {
	enum engine_kind kind;
	char path[4096];		/* sqlite: the database file */
	char user[ENGINE_NAME_MAX];	/* remote: "" = the client's default */
	char host[256];
	int port;			/* remote: 0 = the client's default */
	char db[ENGINE_NAME_MAX];	/* remote: database name */
	char cluster[ENGINE_NAME_MAX];	/* clickhouse: cluster name, "" = one server */
};

/*
 * Parse an engine URL into *u.  Database, cluster and user names must be
 * identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes): they end up in
 * SQL.  Returns 0, or -1 with err set (err->usage = 1).
 */
int engine_url_parse(const char *url, struct engine_url *u, struct ic_error *err);

/* The --engine value, else $IMCOST_ENGINE, else "sqlite:" + the --db
 * path (db_default_path).  Returns a pointer to a static buffer or to one
 * of the arguments. */
const char *engine_default_url(const char *engine_flag, const char *db_flag);

struct engine;

/*
 * Open the engine named by url.  DB_WRITE creates what is missing (the
 * SQLite schema through db_open; on a remote engine the database's tables
 * and views, on every shard of a cluster); DB_READ checks that the
 * engine answers and holds imcost's tables.  Returns a handle the caller
 * closes with engine_close, or NULL with err set.
 */
struct engine *engine_open(const char *url, enum db_mode mode, struct ic_error *err);

/* An engine over an SQLite handle the caller keeps owning (engine_close
 * then leaves it open).  NULL only on ENOMEM. */
struct engine *engine_wrap_sqlite(sqlite3 *db);

void engine_close(struct engine *e);

enum engine_kind engine_kind(const struct engine *e);
/* "sqlite", "clickhouse" or "postgresql". */
const char *engine_name(const struct engine *e);
/* The SQLite handle of a sqlite engine (owned by the engine), else NULL. */
sqlite3 *engine_sqlite(struct engine *e);
/* Wait for the integrity check of a DB_READ_BG open (db_check_wait);
 * 0 for every other engine and mode, -1 with err set on damage. */
int engine_check_wait(struct engine *e, struct ic_error *err);
/*
 * A second engine over the same SQLite database, for analyses that run in
 * a thread of their own (db_open_peer: read-only, no check of its own).
 * *peer is NULL when there is none to have: remote engines, an open
 * transaction of e's, and stale rollups (their TEMP tables live in e's
 * connection).  Close it with
 * engine_close before e.  Returns 0, or -1 with err set.
 */
int engine_peer(struct engine *e, struct engine **peer, struct ic_error *err);
/* The parsed URL (for sqlite engines made by engine_wrap_sqlite, path is ""). */
const struct engine_url *engine_url(const struct engine *e);

/*
 * Make the rollup tables of common/rollup.h current for reading through
 * e.  SQLite: when the main ones are stale (something other than an
 * import wrote charges or usage), build TEMP tables of the same names from
 * the base tables; they shadow the main ones until the main ones are
 * fresh again.  Cheap when nothing changed since e's last call: what it
 * saw is kept in e, so a command runs its analyses on one engine object
 * (a second object over the same connection builds the TEMP tables
 * again).  Remote engines: nothing to do, their rollups are views over
 * the charges.  Returns 0 or -1 with err set.
 */
int engine_rollups(struct engine *e, struct ic_error *err);

/* ---- queries ---- */

enum engine_type { ENGINE_NULL, ENGINE_INT, ENGINE_REAL, ENGINE_TEXT };

struct engine_stmt;

/*
 * Prepare sql (macros above, `?` placeholders).  The text is the
 * program's own: never build it from data.  Returns a statement freed with
 * engine_finalize, or NULL with err set (SQLite checks the SQL now, remote
 * engines when it runs).
 */
struct engine_stmt *engine_prepare(struct engine *e, const char *sql, struct ic_error *err);

/*
 * Bind placeholder i (1-based).  Text is copied.  Binding text to a
 * ClickHouse statement is remembered and refused by engine_step.
 * Returns 0, or -1 when i is out of range or memory ran out.
 */
int engine_bind_int64(struct engine_stmt *st, int i, int64_t v);
int engine_bind_double(struct engine_stmt *st, int i, double v);
int engine_bind_text(struct engine_stmt *st, int i, const char *s);
int engine_bind_null(struct engine_stmt *st, int i);

/*
 * Next row: 1 when a row is ready, 0 at the end, -1 with err set.  A
 * remote engine runs the query on the first step and keeps the (small)
 * result in memory.
 */
int engine_step(struct engine_stmt *st, struct ic_error *err);

/* Forget the result so the statement can run again (bindings stay). */
void engine_reset(struct engine_stmt *st);

int engine_column_count(const struct engine_stmt *st);

/*
 * The current row's column i.  Types of remote values come from their CSV
 * form: NULL, a bare integer (fitting int64), a bare decimal or float
 * number, else text.  So a whole-number double reads as ENGINE_INT, and
 * digits in a text column too when the client leaves them unquoted
 * (psql does): rely on the type only to test for NULL, and read values
 * with the accessor of the type the query means.  Conversions follow
 * SQLite's: int64 of a real truncates, of text reads its leading number,
 * of NULL is 0; the text of any non-NULL value is the client's own
 * spelling.  Text is NULL for NULL, valid until the next
 * step/reset/finalize.
 */
enum engine_type engine_column_type(const struct engine_stmt *st, int i);
int64_t engine_column_int64(const struct engine_stmt *st, int i);
double engine_column_double(const struct engine_stmt *st, int i);
const char *engine_column_text(const struct engine_stmt *st, int i);

void engine_finalize(struct engine_stmt *st);

/* Run sql (no placeholders, results ignored); on failure err is
 * "what: message". */
int engine_exec(struct engine *e, const char *sql, const char *what, struct ic_error *err);

/* ---- bulk load ---- */

struct engine_load;

/*
 * Start streaming rows into table's columns cols[0..ncols): INSERT ...
 * FORMAT CSV into clickhouse-client, COPY ... FROM STDIN into psql,
 * prepared INSERTs on SQLite (inside whatever transaction the caller has
 * open).  table and cols are the program's own identifiers.  Returns NULL
 * with err set on failure.
 */
struct engine_load *engine_load_begin(struct engine *e, const char *table,
				      const char *const *cols, int ncols, struct ic_error *err);

/* The next value of the current row (s[0..len) may hold any bytes but
 * NUL). */
void engine_load_int64(struct engine_load *l, int64_t v);
void engine_load_double(struct engine_load *l, double v);
void engine_load_text(struct engine_load *l, const char *s, size_t len);
void engine_load_null(struct engine_load *l);
/* An EC_TEXT_ARRAY value: the texts v[0..n) (NUL-terminated, no NUL). */
void engine_load_text_array(struct engine_load *l, const char *const *v, int n);

/* End the current row (exactly ncols values).  Returns 0 or -1 with err
 * set; after an error only engine_load_abort is allowed. */
int engine_load_row(struct engine_load *l, struct ic_error *err);

/* Finish: the client has taken every row (the load is durable on the
 * engine when this returns 0).  Frees l.  Returns 0 or -1 with err set. */
int engine_load_end(struct engine_load *l, struct ic_error *err);

/* Stop and free l; rows already sent may have reached the engine (remote
 * engines make them visible only through a commit, see engine-import.h). */
void engine_load_abort(struct engine_load *l);

/* ---- the remote schema ---- */

enum engine_coltype {
	EC_INT,		/* 64-bit integer, NOT NULL */
	EC_INT_NULL,	/* 64-bit integer or NULL */
	EC_REAL,	/* double, NOT NULL */
	EC_REAL_NULL,	/* double or NULL */
	EC_TEXT,	/* UTF-8 text, NOT NULL (byte order: COLLATE "C") */
	EC_TEXT_NULL,	/* text or NULL */
	EC_TEXT_ARRAY	/* array of UTF-8 text, NOT NULL (may be empty) */
};

struct engine_column {
	const char *name;
	enum engine_coltype type;
};

/*
 * A table of a remote engine.  Data tables (charges_data, usage_data)
 * hold every row any import sent, committed or not, and are spread over a
 * ClickHouse cluster's shards; the bookkeeping tables (batches, imports,
 * import_periods, commits) are small.  The views charges and usage show
 * what committed imports wrote (engine-import.h).
 */
struct engine_table {
	const char *name;
	const struct engine_column *cols;
	int ncols;
	const char *order_by;		/* ClickHouse sorting key */
	const char *month_col;		/* ClickHouse partition: billing month of this column */
};

enum { ET_CHARGES, ET_USAGE, ET_BATCHES, ET_IMPORTS, ET_IMPORT_PERIODS, ET_COMMITS, ET_COUNT };
extern const struct engine_table engine_tables[ET_COUNT];

/*
 * *has = 1 when the engine keeps a tag store: always on SQLite (dim_tags);
 * on a remote engine when charges_data has the tag arrays TagKeys and
 * TagValues (a database created by an older imcost has not; PostgreSQL
 * adds them when opened for writing, NULL for the charges already there)
 * and, unless columns_only, no visible charge has NULL arrays (charges
 * imported before them: a tag query would count them untagged).  Returns
 * 0 or -1 with err set.
 */
int engine_tag_store(struct engine *e, int columns_only, int *has, struct ic_error *err);

/* ---- engine-specific housekeeping (used by engine-import.c) ---- */

/*
 * Physically delete the rows that the given imports wrote into the data
 * tables (charges_data, usage_data) of a remote engine.  On ClickHouse this
 * is an asynchronous mutation on every shard.  Returns 0 or -1 with err.
 */
int engine_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err);

#endif
