/*
 * engine-load.c - bulk loads (engine.h): rows into one table, through a
 * prepared INSERT on SQLite or streamed to the client's stdin as CSV or
 * COPY text on a remote engine.  Split from engine.c.
 */
#include <math.h>
#include <stdlib.h>
#include <cjson/cJSON.h>

#include "common/engine-int.h"

/* ---- bulk load ---- */

#define LOAD_FLUSH (256 * 1024)

struct engine_load {
	struct engine *e;
	int ncols, col;
	int failed;
	struct ic_error ferr;		/* first error of a value (SQLite) */
	/* sqlite */
	sqlite3_stmt *ins;
	/* remote: the client starts with the first rows (a load of no rows
	 * runs nothing: ClickHouse refuses an empty INSERT) */
	struct argv argv;
	int started;
	struct eproc p;
	struct sbuf buf;
	long rows;
};

struct engine_load *
engine_load_begin(struct engine *e, const char *table, const char *const *cols, int ncols,
		  struct ic_error *err)
{
	struct engine_load *l = calloc(1, sizeof *l);

	if (l == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	l->e = e;
	l->ncols = ncols;
	if (e->d->kind == ENGINE_SQLITE) {
		struct sbuf sql = { 0 };
		sbuf_printf(&sql, "INSERT INTO %s(", table);
		for (int i = 0; i < ncols; i++)
			sbuf_printf(&sql, "%s%s", i ? ", " : "", cols[i]);
		sbuf_puts(&sql, ") VALUES(");
		for (int i = 0; i < ncols; i++)
			sbuf_puts(&sql, i ? ", ?" : "?");
		sbuf_puts(&sql, ")");
		if (sql.oom) {
			ic_errorf(err, "out of memory");
		} else {
			l->ins = db_prepare(e->db, sbuf_str(&sql), err);
		}
		sbuf_free(&sql);
		if (l->ins == NULL) {
			free(l);
			return NULL;
		}
		return l;
	}
	base_argv(e, NULL, &l->argv);
	e->d->load_argv(&l->argv, table, cols, ncols);
	if (l->argv.oom) {
		argv_free(&l->argv);
		free(l);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	return l;
}

static void
load_sep(struct engine_load *l)
{
	if (l->col++ > 0)
		sbuf_putc(&l->buf, l->e->d->load_csv ? ',' : '\t');
}

void
engine_load_int64(struct engine_load *l, int64_t v)
{
	if (l->ins) {
		sqlite3_bind_int64(l->ins, ++l->col, v);
		return;
	}
	load_sep(l);
	sbuf_printf(&l->buf, "%lld", (long long)v);
}

void
engine_load_double(struct engine_load *l, double v)
{
	if (l->ins) {
		sqlite3_bind_double(l->ins, ++l->col, v);
		return;
	}
	load_sep(l);
	if (!isfinite(v)) {
		/* billing quantities are finite (number_parse refuses the rest) */
		sbuf_puts(&l->buf, "\\N");
		return;
	}
	sbuf_printf(&l->buf, "%.17g", v);
}

void
engine_load_text(struct engine_load *l, const char *s, size_t len)
{
	if (l->ins) {
		sqlite3_bind_text(l->ins, ++l->col, s, (int)len, SQLITE_TRANSIENT);
		return;
	}
	load_sep(l);
	if (l->e->d->load_csv) {
		/* always quoted: "\N" quoted is text, not NULL */
		sbuf_putc(&l->buf, '"');
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				sbuf_putc(&l->buf, '"');
			sbuf_putc(&l->buf, s[i]);
		}
		sbuf_putc(&l->buf, '"');
		return;
	}
	/* COPY text format: one line per row, backslash escapes */
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\': sbuf_put(&l->buf, "\\\\", 2); break;
		case '\n': sbuf_put(&l->buf, "\\n", 2); break;
		case '\r': sbuf_put(&l->buf, "\\r", 2); break;
		case '\t': sbuf_put(&l->buf, "\\t", 2); break;
		default: sbuf_putc(&l->buf, s[i]);
		}
	}
}

void
engine_load_text_array(struct engine_load *l, const char *const *v, int n)
{
	struct sbuf a = { 0 };

	if (l->ins) {
		/* SQLite has no arrays: a JSON array of strings */
		cJSON *j = cJSON_CreateStringArray(v, n);
		char *s = j ? cJSON_PrintUnformatted(j) : NULL;
		cJSON_Delete(j);
		if (s == NULL && !l->failed) {
			l->failed = 1;
			ic_errorf(&l->ferr, "out of memory");
		}
		sqlite3_bind_text(l->ins, ++l->col, s ? s : "[]", -1, SQLITE_TRANSIENT);
		free(s);
		return;
	}
	/* the array's literal, then as any text: ClickHouse reads an Array
	 * from a CSV field holding ['a','b\'c'] (backslash escapes),
	 * PostgreSQL from {"a","b\"c"} (backslash escapes again under COPY's) */
	sbuf_putc(&a, l->e->d->load_csv ? '[' : '{');
	for (int i = 0; i < n; i++) {
		char q = l->e->d->load_csv ? '\'' : '"';
		if (i)
			sbuf_putc(&a, ',');
		sbuf_putc(&a, q);
		for (const char *p = v[i]; *p; p++) {
			if (*p == q || *p == '\\')
				sbuf_putc(&a, '\\');
			sbuf_putc(&a, *p);
		}
		sbuf_putc(&a, q);
	}
	sbuf_putc(&a, l->e->d->load_csv ? ']' : '}');
	if (a.oom)
		l->buf.oom = 1;
	else
		engine_load_text(l, a.s, a.len);
	sbuf_free(&a);
}

void
engine_load_null(struct engine_load *l)
{
	if (l->ins) {
		sqlite3_bind_null(l->ins, ++l->col);
		return;
	}
	load_sep(l);
	sbuf_puts(&l->buf, "\\N");
}

static int
load_flush(struct engine_load *l, struct ic_error *err)
{
	if (l->buf.oom)
		return ic_errorf(err, "out of memory");
	if (l->buf.len == 0)
		return 0;
	if (!l->started) {
		if (eproc_start(&l->p, l->e, l->argv.v, NULL, err) != 0)
			return -1;
		l->started = 1;
	}
	if (eproc_write(&l->p, l->buf.s, l->buf.len, err) != 0)
		return -1;
	l->buf.len = 0;
	return 0;
}

int
engine_load_row(struct engine_load *l, struct ic_error *err)
{
	if (l->failed)
		return ic_errorf(err, "%s: the load has already failed", l->e->d->name);
	if (l->col != l->ncols) {
		l->failed = 1;
		return ic_errorf(err, "%s: a row has %d values for %d columns", l->e->d->name, l->col,
				 l->ncols);
	}
	l->col = 0;
	l->rows++;
	if (l->ins) {
		int r = sqlite3_step(l->ins);
		sqlite3_reset(l->ins);
		sqlite3_clear_bindings(l->ins);
		if (r != SQLITE_DONE) {
			l->failed = 1;
			return db_error(l->e->db, "loading rows", err);
		}
		return 0;
	}
	sbuf_putc(&l->buf, '\n');
	if (l->buf.len >= LOAD_FLUSH && load_flush(l, err) != 0) {
		l->failed = 1;
		return -1;
	}
	return 0;
}

int
engine_load_end(struct engine_load *l, struct ic_error *err)
{
	int rc = 0, status;

	if (l->ins) {
		sqlite3_finalize(l->ins);
		rc = l->failed ? ic_errorf(err, "%s: the load has failed", l->e->d->name) : 0;
		free(l);
		return rc;
	}
	if (l->failed || l->col != 0) {
		engine_load_abort(l);
		return ic_errorf(err, "%s: the load was left unfinished", "engine");
	}
	if (load_flush(l, err) != 0) {
		engine_load_abort(l);
		return -1;
	}
	if (l->started) {
		status = eproc_finish(&l->p, err);
		if (status != 0) {
			if (status > 0)
				client_error(l->e, &l->p, status, "loading rows", err);
			rc = -1;
		}
		sbuf_free(&l->p.errbuf);
	}
	argv_free(&l->argv);
	sbuf_free(&l->buf);
	free(l);
	return rc;
}

void
engine_load_abort(struct engine_load *l)
{
	if (l == NULL)
		return;
	if (l->ins)
		sqlite3_finalize(l->ins);
	else if (l->started)
		eproc_kill(&l->p);
	argv_free(&l->argv);
	sbuf_free(&l->buf);
	free(l);
}
