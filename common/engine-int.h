/*
 * engine-int.h - what the engine's files (engine.c, engine-url.c,
 * engine-proc.c, engine-sql.c, engine-stmt.c, engine-load.c) share with
 * each other and with the dialect files (engine-sqlite.c,
 * engine-clickhouse.c, engine-postgresql.c).  Not a
 * public API: everything else includes engine.h.
 */
#ifndef IMCOST_ENGINE_INT_H
#define IMCOST_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/engine.h"
#include "common/sbuf.h"

/* A NULL-terminated argv being built (strings owned). */
struct argv {
	char **v;
	int n, cap;
	int oom;
};

void argv_add(struct argv *a, const char *s);
void argv_addf(struct argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void argv_free(struct argv *a);

/* ---- engine-proc.c: running the client ---- */

struct engine_server;

/* A client process: its pipes, where its stdout goes, its stderr. */
struct eproc {
	pid_t pid;
	int in, out, err;	/* our ends; -1 when closed */
	struct sbuf *outbuf;	/* stdout goes here (NULL: dropped) */
	struct sbuf errbuf;	/* stderr, first 64 KiB */
	int epipe;		/* the client stopped reading */
};

/* Find prog on $PATH (or take it as a path when it has a '/'): its path
 * into out[0..n).  Returns 0, or -1 when not found. */
int find_program(const char *prog, char *out, size_t n);
/* Start argv[0] with pipes to its stdin, stdout (into outbuf, NULL:
 * dropped) and stderr.  Returns 0, or -1 with err set. */
int eproc_start(struct eproc *p, const struct engine *e, char *const argv[], struct sbuf *outbuf,
		struct ic_error *err);
/* Write data[0..len) to the client's stdin (see engine-proc.c).
 * Returns 0, or -1 with err set. */
int eproc_write(struct eproc *p, const char *data, size_t len, struct ic_error *err);
/* Close stdin, read everything left, reap.  Returns the exit status
 * (128 + signal when killed), or -1 with err set. */
int eproc_finish(struct eproc *p, struct ic_error *err);
/* Stop the client (after our own error) and reap it. */
void eproc_kill(struct eproc *p);
/* err = "ENGINE: what: " and the line of the client's stderr worth
 * showing (or how it ended). */
void client_error(const struct engine *e, struct eproc *p, int status, const char *what,
		  struct ic_error *err);
/* The client's path and its connection arguments for server s into a. */
void base_argv(const struct engine *e, const struct engine_server *s, struct argv *a);

/* A server of a remote engine: the URL's, or one shard of a cluster. */
struct engine_server {
	char host[256];
	int port;
};

struct engine_dialect;

struct engine {
	struct engine_url url;
	const struct engine_dialect *d;
	sqlite3 *db;			/* sqlite engines */
	int own_db;
	char client[4096];		/* remote: the client's path */
	struct engine_server *shards;	/* clickhouse cluster: one per shard */
	int nshards;
	int no_db;			/* connect without naming the database
					   (while creating it) */
	/* sqlite: what the last engine_rollups call saw (engine-rollups.c);
	 * the TEMP rollups it built live as long as the connection */
	struct {
		int valid;
		sqlite3_int64 changes;
		int data_version;
		unsigned stale;
	} rollups_seen;
};

struct engine_dialect {
	enum engine_kind kind;
	const char *name;
	/* remote only: the client, and the variable that may name another */
	const char *client_name, *client_env;

	/* Spell macro name(args[0..nargs)) into out.  Returns 0, or -1 when
	 * the macro or its argument count is unknown. */
	int (*macro)(struct sbuf *out, const char *name, const char *const *args, int nargs);

	/* ---- remote engines ---- */

	/* The client's connection arguments for server s (after argv[0]). */
	void (*conn_argv)(const struct engine *e, const struct engine_server *s, struct argv *a);
	/* 1 when text can be bound: then param_ref spells a reference to
	 * parameter k and param_argv passes its value. */
	int text_params;
	void (*param_ref)(struct sbuf *out, int k);
	void (*param_argv)(struct argv *a, int k, const char *value);
	/* The argument that lets the client run several statements
	 * separated by ';' from stdin (engine_run_sql), or NULL. */
	const char *multi_arg;
	/* The client's stdin for a query whose result is wanted as CSV
	 * (select = 1) or ignored (select = 0). */
	void (*query_input)(struct sbuf *out, const char *sql, int select);
	/* An unquoted CSV field equal to this is NULL. */
	const char *csv_null;
	/* Arguments that start a bulk load into table(cols); the rows then go
	 * to stdin, encoded as CSV (load_csv = 1: NULL as \N, text always
	 * quoted) or as PostgreSQL's COPY text format (load_csv = 0). */
	void (*load_argv)(struct argv *a, const char *table, const char *const *cols, int ncols);
	int load_csv;
	/* The one line worth showing from the client's stderr, into msg. */
	void (*error_line)(const char *stderr_text, char *msg, size_t n);
	/* Create (create = 1) or check the tables and views. */
	int (*schema)(struct engine *e, int create, struct ic_error *err);
	int (*delete_imports)(struct engine *e, const int64_t *ids, int n, struct ic_error *err);
};

extern const struct engine_dialect engine_dialect_sqlite;
extern const struct engine_dialect engine_dialect_clickhouse;
extern const struct engine_dialect engine_dialect_postgresql;

/*
 * Run the client against server s (NULL: the URL's) with stdin text and
 * optional extra arguments (NULL-terminated, may be NULL).  The client's
 * stdout goes to *out when out is not NULL.  Returns 0, or -1 with err set
 * to "ENGINE: what: the client's message".
 */
int engine_run(struct engine *e, const struct engine_server *s, const char *input,
	       const char *const *extra, struct sbuf *out, const char *what,
	       struct ic_error *err);

/* Run statements (separated by ';', no placeholders) on server s with
 * results ignored. */
int engine_run_sql(struct engine *e, const struct engine_server *s, const char *sql,
		   const char *what, struct ic_error *err);

/* Expand macros of sql for e's dialect into out.  Returns 0 or -1 with
 * err set. */
int engine_expand(const struct engine *e, const char *sql, struct sbuf *out,
		  struct ic_error *err);

struct rollup_def;

/*
 * The query of a rollup view on a remote engine into out (macros
 * expanded): the rollup's SELECT over db.BASE with the view's column
 * names, as "SELECT _c1 AS col1, ... FROM (SELECT e1 AS _c1, ... FROM
 * db.BASE WHERE ... GROUP BY ...) AS r" (renamed outside the GROUP BY:
 * ClickHouse would otherwise take SUM(x) AS x for the x of the keys).
 * Returns 0 or -1 with err set.
 */
int engine_rollup_view(const struct engine *e, const struct rollup_def *d, struct sbuf *out,
		       struct ic_error *err);

/* Length of the quoted literal, identifier or comment starting at s, or
 * 0 (engine-sql.c). */
size_t skip_quoted(const char *s);

/* 1 when s is an even number of hex digits (possibly none): the
 * argument of $str and $tag. */
int engine_hex_arg(const char *s);

/* Split one macro argument list: shared by the dialect files. */
#define ENGINE_MACRO_MAX_ARGS 4

#endif
