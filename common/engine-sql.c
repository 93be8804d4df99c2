/*
 * engine-sql.c - SQL text for an engine's dialect (engine-int.h):
 * skipping quoted text, expanding the $macros of the shared SQL, and the
 * query of a rollup view on a remote engine.  Split from engine.c.
 */
#include <stdlib.h>
#include <string.h>

#include "common/engine-int.h"
#include "common/rollup.h"

/* ---- SQL text: macros and placeholders ---- */

/* Length of the quoted literal, identifier or comment starting at s, or 0. */
size_t
skip_quoted(const char *s)
{
	const char *p = s;

	if (*p == '\'' || *p == '"') {
		char q = *p++;
		for (; *p; p++)
			if (*p == q) {
				if (p[1] == q)
					p++;
				else
					return (size_t)(p + 1 - s);
			}
		return (size_t)(p - s);
	}
	if (p[0] == '-' && p[1] == '-') {
		while (*p && *p != '\n')
			p++;
		return (size_t)(p - s);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");
		return end ? (size_t)(end + 2 - s) : strlen(s);
	}
	return 0;
}

int
engine_hex_arg(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') ||
		      (s[n] >= 'A' && s[n] <= 'F')))
			return 0;
	return n % 2 == 0;
}

static int
macro_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

int
engine_expand(const struct engine *e, const char *sql, struct sbuf *out, struct ic_error *err)
{
	const char *p = sql;

	while (*p) {
		size_t q = skip_quoted(p);
		if (q) {
			sbuf_put(out, p, q);
			p += q;
			continue;
		}
		if (*p == '$' && macro_char(p[1], 1)) {
			const char *name = p + 1, *a;
			char nbuf[32];
			struct sbuf args[ENGINE_MACRO_MAX_ARGS];
			const char *argv[ENGINE_MACRO_MAX_ARGS];
			size_t nl;
			int nargs = 0, depth = 0, rc;

			a = name;
			while (macro_char(*a, 0))
				a++;
			nl = (size_t)(a - name);
			if (*a != '(' || nl >= sizeof nbuf)
				return ic_errorf(err, "%s: bad macro in query near '%.20s'", e->d->name, p);
			memcpy(nbuf, name, nl);
			nbuf[nl] = '\0';
			memset(args, 0, sizeof args);
			a++;
			/* split the arguments at top-level commas; expand each */
			{
				const char *start = a;
				for (;;) {
					size_t qq = skip_quoted(a);
					if (qq) {
						a += qq;
						continue;
					}
					if (*a == '\0') {
						for (int i = 0; i < nargs; i++)
							sbuf_free(&args[i]);
						return ic_errorf(err, "%s: unclosed macro $%s(", e->d->name, nbuf);
					}
					if (*a == '(')
						depth++;
					else if ((*a == ',' && depth == 0) || (*a == ')' && depth == 0)) {
						char *piece;
						if (nargs == ENGINE_MACRO_MAX_ARGS) {
							for (int i = 0; i < nargs; i++)
								sbuf_free(&args[i]);
							return ic_errorf(err, "%s: too many arguments to $%s", e->d->name, nbuf);
						}
						piece = strndup(start, (size_t)(a - start));
						if (piece == NULL || engine_expand(e, piece, &args[nargs], err) != 0) {
							free(piece);
							for (int i = 0; i <= nargs; i++)
								sbuf_free(&args[i]);
							return piece ? -1 : ic_errorf(err, "out of memory");
						}
						free(piece);
						argv[nargs] = sbuf_str(&args[nargs]);
						nargs++;
						if (*a == ')') {
							a++;
							break;
						}
						start = a + 1;
					} else if (*a == ')')
						depth--;
					a++;
				}
			}
			rc = e->d->macro(out, nbuf, argv, nargs);
			for (int i = 0; i < nargs; i++)
				sbuf_free(&args[i]);
			if (rc != 0)
				return ic_errorf(err, "%s: unknown macro $%s with %d argument%s", e->d->name,
						 nbuf, nargs, nargs == 1 ? "" : "s");
			p = a;
			continue;
		}
		sbuf_putc(out, *p++);
	}
	if (out->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* ---- rollup views ---- */

/* Split s[0..n) at top-level commas (outside quotes and parentheses);
 * pieces trimmed of spaces.  Returns the number of pieces (at most max),
 * or -1 when there are more. */
static int
split_top(const char *s, size_t n, const char **piece, size_t *len, int max)
{
	const char *p = s, *start = s, *end = s + n;
	int depth = 0, k = 0;

	for (;;) {
		if (p < end) {
			size_t q = skip_quoted(p);
			if (q) {
				p += q;
				continue;
			}
		}
		if (p == end || (*p == ',' && depth == 0)) {
			const char *a = start, *b = p;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if (k == max)
				return -1;
			piece[k] = a;
			len[k++] = (size_t)(b - a);
			if (p == end)
				return k;
			start = p + 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		}
		p++;
	}
}

/* The position of the top-level " FROM " in sql, or NULL. */
static const char *
top_from(const char *sql)
{
	int depth = 0;

	for (const char *p = sql; *p; ) {
		size_t q = skip_quoted(p);
		if (q) {
			p += q;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && strncmp(p, " FROM ", 6) == 0)
			return p;
		p++;
	}
	return NULL;
}

#define ROLLUP_MAX_COLS 48

int
engine_rollup_view(const struct engine *e, const struct rollup_def *d, struct sbuf *out,
		   struct ic_error *err)
{
	const char *cols[ROLLUP_MAX_COLS], *exprs[ROLLUP_MAX_COLS];
	size_t clen[ROLLUP_MAX_COLS], elen[ROLLUP_MAX_COLS];
	const char *open = strchr(d->table, '('), *close = strrchr(d->table, ')');
	const char *from = top_from(d->select), *base;
	int nc, ne, ncols = 0;
	struct sbuf q = { 0 };

	if (open == NULL || close == NULL || from == NULL || strncmp(d->select, "SELECT ", 7) != 0)
		return ic_errorf(err, "rollup %s: malformed definition", d->name);
	nc = split_top(open + 1, (size_t)(close - open - 1), cols, clen, ROLLUP_MAX_COLS);
	ne = split_top(d->select + 7, (size_t)(from - d->select - 7), exprs, elen, ROLLUP_MAX_COLS);
	for (int i = 0; i < nc; i++) {
		size_t w = 0;
		if (clen[i] >= 11 && strncmp(cols[i], "PRIMARY KEY", 11) == 0)
			continue;
		while (w < clen[i] && cols[i][w] != ' ')
			w++;
		cols[ncols] = cols[i];
		clen[ncols++] = w;
	}
	if (nc < 0 || ne < 0 || ncols != ne)
		return ic_errorf(err, "rollup %s: %d columns but %d expressions", d->name, ncols, ne);
	base = from + 6;
	sbuf_puts(&q, "SELECT ");
	for (int i = 0; i < ne; i++)
		sbuf_printf(&q, "%s_c%d AS %.*s", i ? ", " : "", i + 1, (int)clen[i], cols[i]);
	sbuf_puts(&q, " FROM (SELECT ");
	for (int i = 0; i < ne; i++)
		sbuf_printf(&q, "%s%.*s AS _c%d", i ? ", " : "", (int)elen[i], exprs[i], i + 1);
	/* ClickHouse views are created with qualified names (engine-clickhouse.c) */
	sbuf_printf(&q, " FROM %s%s%s%s%s) AS r", e->d->kind == ENGINE_CLICKHOUSE ? e->url.db : "",
		    e->d->kind == ENGINE_CLICKHOUSE ? "." : "", base, d->where, d->group);
	if (q.oom) {
		sbuf_free(&q);
		return ic_errorf(err, "out of memory");
	}
	if (engine_expand(e, sbuf_str(&q), out, err) != 0) {
		sbuf_free(&q);
		return -1;
	}
	sbuf_free(&q);
	return 0;
}
