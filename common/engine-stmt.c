/*
 * engine-stmt.c - statements with typed results (engine.h): prepare,
 * bind, step, read columns, finalize.  SQLite runs them itself; a remote
 * engine's statement is rendered with its parameters, run once through
 * the client (engine-proc.c) and its CSV result typed field by field.
 * Split from engine.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/engine-int.h"

/* ---- statements ---- */

struct param {
	enum engine_type t;
	int64_t i;
	double d;
	char *s;
};

struct field {
	enum engine_type t;
	int64_t i;
	double d;
	const char *s;	/* NUL-terminated, in the result's text */
};

struct engine_stmt {
	struct engine *e;
	sqlite3_stmt *st;		/* sqlite engines */
	char *sql;			/* remote: macros expanded */
	int nparams;
	struct param *params;
	/* remote result */
	int ran;
	struct sbuf text;		/* unquoted fields, each NUL-terminated */
	struct field *fields;
	long nrows, row;		/* row: current (-1 before the first) */
	int ncols;
};

/*
 * The placeholder at p ('?'): "?NNN" is parameter NNN, a bare "?" the one
 * after the largest so far (*next), as SQLite numbers them.  Sets *len to
 * the placeholder's length; returns its number, or 0 when NNN is out of
 * range (1..999).
 */
static int
placeholder_at(const char *p, int *next, size_t *len)
{
	int n = 0;
	size_t i = 1;

	while (p[i] >= '0' && p[i] <= '9' && i < 5)
		n = n * 10 + (p[i++] - '0');
	*len = i;
	if (i == 1)
		n = *next + 1;
	else if (n < 1 || n > 999 || (p[i] >= '0' && p[i] <= '9'))
		return 0;
	if (n > *next)
		*next = n;
	return n;
}

/* The number of parameters of sql (the largest placeholder number), or -1
 * when a placeholder is out of range. */
static int
count_placeholders(const char *sql)
{
	int next = 0;

	for (const char *p = sql; *p; ) {
		size_t q = skip_quoted(p);
		if (q) {
			p += q;
			continue;
		}
		if (*p == '?') {
			if (placeholder_at(p, &next, &q) == 0)
				return -1;
			p += q;
			continue;
		}
		p++;
	}
	return next;
}

struct engine_stmt *
engine_prepare(struct engine *e, const char *sql, struct ic_error *err)
{
	struct engine_stmt *st = calloc(1, sizeof *st);
	struct sbuf x = { 0 };

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	st->e = e;
	st->row = -1;
	if (engine_expand(e, sql, &x, err) != 0)
		goto fail;
	if (e->d->kind == ENGINE_SQLITE) {
		st->st = db_prepare(e->db, sbuf_str(&x), err);
		if (st->st == NULL)
			goto fail;
		st->nparams = sqlite3_bind_parameter_count(st->st);
		sbuf_free(&x);
		return st;
	}
	st->sql = strdup(sbuf_str(&x));
	st->nparams = count_placeholders(st->sql ? st->sql : "");
	if (st->nparams < 0) {
		ic_errorf(err, "%s: placeholder number out of range (1 to 999)", e->d->name);
		goto fail;
	}
	if (st->nparams > 0)
		st->params = calloc((size_t)st->nparams, sizeof *st->params);
	if (st->sql == NULL || (st->nparams > 0 && st->params == NULL)) {
		ic_errorf(err, "out of memory");
		goto fail;
	}
	sbuf_free(&x);
	return st;
fail:
	sbuf_free(&x);
	engine_finalize(st);
	return NULL;
}

static struct param *
param_at(struct engine_stmt *st, int i)
{
	if (i < 1 || i > st->nparams)
		return NULL;
	free(st->params[i - 1].s);
	st->params[i - 1].s = NULL;
	return &st->params[i - 1];
}

int
engine_bind_int64(struct engine_stmt *st, int i, int64_t v)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_int64(st->st, i, v) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_INT;
	p->i = v;
	return 0;
}

int
engine_bind_double(struct engine_stmt *st, int i, double v)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_double(st->st, i, v) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_REAL;
	p->d = v;
	return 0;
}

int
engine_bind_text(struct engine_stmt *st, int i, const char *s)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_TEXT;
	p->s = strdup(s);
	if (p->s == NULL) {
		p->t = ENGINE_NULL;
		return -1;
	}
	return 0;
}

int
engine_bind_null(struct engine_stmt *st, int i)
{
	struct param *p;

	if (st->st)
		return sqlite3_bind_null(st->st, i) == SQLITE_OK ? 0 : -1;
	if ((p = param_at(st, i)) == NULL)
		return -1;
	p->t = ENGINE_NULL;
	return 0;
}

/* The SQL and arguments of a remote statement with its bindings. */
static int
render(struct engine_stmt *st, struct sbuf *sql, struct argv *extra, struct ic_error *err)
{
	const struct engine_dialect *d = st->e->d;
	int k = 0, next = 0;

	for (const char *p = st->sql; *p; ) {
		size_t q = skip_quoted(p);
		const struct param *pa;

		if (q) {
			sbuf_put(sql, p, q);
			p += q;
			continue;
		}
		if (*p != '?') {
			sbuf_putc(sql, *p++);
			continue;
		}
		{
			size_t len;
			k = placeholder_at(p, &next, &len);
			p += len;
		}
		pa = &st->params[k - 1];
		switch (pa->t) {
		case ENGINE_NULL:
			sbuf_puts(sql, "NULL");
			break;
		case ENGINE_INT:
			/* parenthesized: "x -?" must not become a comment */
			sbuf_printf(sql, pa->i < 0 ? "(%lld)" : "%lld", (long long)pa->i);
			break;
		case ENGINE_REAL: {
			char num[64];
			if (!isfinite(pa->d))
				return ic_errorf(err, "%s: parameter %d is not a finite number", d->name, k);
			snprintf(num, sizeof num, "%.17g", pa->d);
			if (strpbrk(num, ".eEn") == NULL)
				strcat(num, ".0");
			sbuf_printf(sql, pa->d < 0 ? "(%s)" : "%s", num);
			break;
		}
		case ENGINE_TEXT:
			if (!d->text_params)
				return ic_errorf(err, "%s: this query needs a text parameter, which %s cannot take",
						 d->name, st->e->client);
			d->param_ref(sql, k);
			d->param_argv(extra, k, pa->s);
			break;
		}
	}
	if (sql->oom || extra->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

static int
is_int_text(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	uint64_t acc = 0, lim;
	int neg = 0;

	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return 0;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (acc > (lim - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	*v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 1;
}

static void
type_field(struct field *f, const char *s, size_t n, int quoted, const char *null_token)
{
	double d;

	f->s = NULL;
	f->i = 0;
	f->d = 0;
	if (!quoted && strlen(null_token) == n && memcmp(s, null_token, n) == 0) {
		f->t = ENGINE_NULL;
		return;
	}
	if (!quoted && is_int_text(s, n, &f->i)) {
		f->t = ENGINE_INT;
		f->d = (double)f->i;
		return;
	}
	if (!quoted && n > 0 && number_parse(s, n, &d) == NUM_OK) {
		f->t = ENGINE_REAL;
		f->d = d;
		return;
	}
	if (!quoted && (n == 3 || n == 4)) {	/* ClickHouse's nan, inf, -inf */
		if (n == 3 && memcmp(s, "nan", 3) == 0) { f->t = ENGINE_REAL; f->d = NAN; return; }
		if (n == 3 && memcmp(s, "inf", 3) == 0) { f->t = ENGINE_REAL; f->d = INFINITY; return; }
		if (n == 4 && memcmp(s, "-nan", 4) == 0) { f->t = ENGINE_REAL; f->d = NAN; return; }
		if (n == 4 && memcmp(s, "-inf", 4) == 0) { f->t = ENGINE_REAL; f->d = -INFINITY; return; }
	}
	f->t = ENGINE_TEXT;
}

/*
 * Parse CSV (RFC 4180: ',' between fields, '"' quotes with "" inside,
 * records end at \n or \r\n) into st's fields.  Field text is copied
 * unquoted and NUL-terminated into st->text; offsets are fixed up at the
 * end because the buffer moves while it grows.
 */
static int
parse_csv(struct engine_stmt *st, const char *csv, size_t len, struct ic_error *err)
{
	const char *null_token = st->e->d->csv_null;
	struct field *f = NULL;
	size_t *off = NULL, nf = 0, capf = 0;
	size_t i = 0;
	int ncols = -1, col = 0;
	long nrows = 0;

	while (i < len) {
		size_t start = st->text.len;
		int quoted = 0;

		if (csv[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= len)
					goto bad;
				if (csv[i] == '"') {
					if (i + 1 < len && csv[i + 1] == '"') {
						sbuf_putc(&st->text, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				sbuf_putc(&st->text, csv[i++]);
			}
		} else {
			while (i < len && csv[i] != ',' && csv[i] != '\n' && csv[i] != '\r')
				sbuf_putc(&st->text, csv[i++]);
		}
		if (nf == capf) {
			size_t cap = capf ? capf * 2 : 64;
			struct field *nf2 = realloc(f, cap * sizeof *f);
			size_t *no = nf2 ? realloc(off, cap * sizeof *off) : NULL;
			if (nf2)
				f = nf2;
			if (no == NULL) {
				free(f);
				free(off);
				return ic_errorf(err, "out of memory");
			}
			off = no;
			capf = cap;
		}
		off[nf] = start;
		type_field(&f[nf], st->text.s ? st->text.s + start : "", st->text.len - start, quoted,
			   null_token);
		sbuf_putc(&st->text, '\0');
		nf++;
		col++;
		if (i < len && csv[i] == ',') {
			i++;
			if (i == len)
				goto bad;
			continue;
		}
		if (i < len && csv[i] == '\r')
			i++;
		if (i < len && csv[i] != '\n')
			goto bad;
		i++;
		if (ncols < 0)
			ncols = col;
		else if (col != ncols)
			goto bad;
		col = 0;
		nrows++;
	}
	if (st->text.oom) {
		free(f);
		free(off);
		return ic_errorf(err, "out of memory");
	}
	for (size_t k = 0; k < nf; k++)
		f[k].s = st->text.s + off[k];
	free(off);
	st->fields = f;
	st->nrows = nrows;
	st->ncols = ncols < 0 ? 0 : ncols;
	return 0;
bad:
	free(f);
	free(off);
	return ic_errorf(err, "%s: cannot read the client's CSV output (record %ld)", st->e->d->name,
			 nrows + 1);
}

static int
run_remote(struct engine_stmt *st, struct ic_error *err)
{
	struct engine *e = st->e;
	struct sbuf sql = { 0 }, in = { 0 }, out = { 0 };
	struct argv extra = { 0 };
	int rc = -1;

	if (render(st, &sql, &extra, err) != 0)
		goto out;
	e->d->query_input(&in, sbuf_str(&sql), 1);
	if (in.oom) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	if (engine_run(e, NULL, sbuf_str(&in), (const char *const *)extra.v, &out, "query failed",
		       err) != 0)
		goto out;
	rc = parse_csv(st, out.s ? out.s : "", out.len, err);
out:
	sbuf_free(&sql);
	sbuf_free(&in);
	sbuf_free(&out);
	argv_free(&extra);
	return rc;
}

int
engine_step(struct engine_stmt *st, struct ic_error *err)
{
	if (st->st) {
		int r = sqlite3_step(st->st);
		if (r == SQLITE_ROW)
			return 1;
		if (r == SQLITE_DONE)
			return 0;
		return db_error(st->e->db, "running a query", err);
	}
	if (!st->ran) {
		st->ran = 1;
		if (run_remote(st, err) != 0) {
			st->nrows = 0;
			return -1;
		}
	}
	if (st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return 0;
	}
	st->row++;
	return 1;
}

void
engine_reset(struct engine_stmt *st)
{
	if (st->st) {
		sqlite3_reset(st->st);
		return;
	}
	free(st->fields);
	st->fields = NULL;
	sbuf_free(&st->text);
	st->ran = 0;
	st->nrows = 0;
	st->ncols = 0;
	st->row = -1;
}

int
engine_column_count(const struct engine_stmt *st)
{
	if (st->st)
		return sqlite3_column_count(st->st);
	return st->ncols;
}

static const struct field *
field_at(const struct engine_stmt *st, int i)
{
	if (st->row < 0 || st->row >= st->nrows || i < 0 || i >= st->ncols)
		return NULL;
	return &st->fields[(size_t)st->row * (size_t)st->ncols + (size_t)i];
}

enum engine_type
engine_column_type(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st) {
		switch (sqlite3_column_type(st->st, i)) {
		case SQLITE_INTEGER: return ENGINE_INT;
		case SQLITE_FLOAT: return ENGINE_REAL;
		case SQLITE_NULL: return ENGINE_NULL;
		default: return ENGINE_TEXT;
		}
	}
	f = field_at(st, i);
	return f ? f->t : ENGINE_NULL;
}

/* SQLite's reading of text as a number: the longest numeric prefix. */
static double
text_number(const char *s, int64_t *iv, int *is_int)
{
	size_t n = 0;
	double d = 0;

	*is_int = 0;
	*iv = 0;
	while (s[n] == ' ' || s[n] == '\t')
		n++;
	s += n;
	for (n = 1; s[n - 1]; n++) {
		double x;
		int64_t v;
		if (is_int_text(s, n, &v)) {
			*iv = v;
			*is_int = 1;
			d = (double)v;
		} else if (number_parse(s, n, &x) == NUM_OK) {
			*is_int = 0;
			d = x;
		}
		if (n > 64)
			break;
	}
	return d;
}

int64_t
engine_column_int64(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return sqlite3_column_int64(st->st, i);
	f = field_at(st, i);
	if (f == NULL)
		return 0;
	switch (f->t) {
	case ENGINE_INT:
		return f->i;
	case ENGINE_REAL:
		if (!(f->d == f->d))
			return 0;
		if (f->d >= 9.2233720368547758e18)
			return INT64_MAX;
		if (f->d <= -9.2233720368547758e18)
			return INT64_MIN;
		return (int64_t)f->d;
	case ENGINE_TEXT: {
		int64_t v;
		int is_int;
		double d = text_number(f->s, &v, &is_int);
		if (is_int)
			return v;
		if (d >= 9.2233720368547758e18)
			return INT64_MAX;
		if (d <= -9.2233720368547758e18)
			return INT64_MIN;
		return (int64_t)d;
	}
	default:
		return 0;
	}
}

double
engine_column_double(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return sqlite3_column_double(st->st, i);
	f = field_at(st, i);
	if (f == NULL)
		return 0;
	switch (f->t) {
	case ENGINE_INT:
		return (double)f->i;
	case ENGINE_REAL:
		return f->d;
	case ENGINE_TEXT: {
		int64_t v;
		int is_int;
		return text_number(f->s, &v, &is_int);
	}
	default:
		return 0;
	}
}

const char *
engine_column_text(const struct engine_stmt *st, int i)
{
	const struct field *f;

	if (st->st)
		return (const char *)sqlite3_column_text(st->st, i);
	f = field_at(st, i);
	if (f == NULL || f->t == ENGINE_NULL)
		return NULL;
	return f->s;
}

void
engine_finalize(struct engine_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->st);
	for (int i = 0; st->params && i < st->nparams; i++)
		free(st->params[i].s);
	free(st->params);
	free(st->sql);
	free(st->fields);
	sbuf_free(&st->text);
	free(st);
}

int
engine_exec(struct engine *e, const char *sql, const char *what, struct ic_error *err)
{
	if (e->d->kind == ENGINE_SQLITE) {
		struct sbuf x = { 0 };
		int rc;
		if (engine_expand(e, sql, &x, err) != 0)
			return -1;
		rc = db_exec(e->db, sbuf_str(&x), what, err);
		sbuf_free(&x);
		return rc;
	}
	return engine_run_sql(e, NULL, sql, what, err);
}
