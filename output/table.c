/*
 * table.c - one result table rendered as an aligned terminal table,
 * a Markdown pipe table, RFC 4180 CSV or a JSON array (see table.h).
 *
 * Cells keep the value they were given (text, int64, nanos or double); the
 * column kind picks alignment and, for doubles, percent versus plain.  Text
 * is stored as valid UTF-8 (invalid bytes become U+FFFD) so every output is
 * valid UTF-8 and valid JSON.  Display widths are counted with a small
 * built-in wcwidth, independent of the process locale.
 *
 * This file builds tables and renders one cell; table-print.c prints the
 * four forms, text.c measures and fits UTF-8 text.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "output/table-int.h"
#include "output/table.h"


/* ---- building ------------------------------------------------------- */

struct table *
table_new(const char *title, const struct table_col *cols, int ncols)
{
	struct table *t;

	if (ncols < 0 || (ncols > 0 && cols == NULL))
		return NULL;
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	if (title != NULL) {
		t->title = utf8_sanitize(title);
		if (t->title == NULL) {
			free(t);
			return NULL;
		}
	}
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

static void
cell_clear(struct cell *c)
{
	if (c->tag == V_TEXT)
		free(c->u.s);
	c->tag = V_NULL;
}

void
table_free(struct table *t)
{
	int r, c;

	if (t == NULL)
		return;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			cell_clear(&t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->prio);
	free(t->sum);
	free(t->title);
	free(t);
}

int
table_add_row(struct table *t)
{
	struct cell *row;

	if (t == NULL || t->nrows == INT_MAX)
		return -1;
	if (t->nrows == t->cap) {
		int ncap = t->cap < 16 ? 16 : t->cap > INT_MAX / 2 ? INT_MAX : t->cap * 2;
		struct cell **nr;

		if ((size_t)ncap > SIZE_MAX / sizeof *nr)
			return -1;
		nr = realloc(t->rows, (size_t)ncap * sizeof *nr);
		if (nr == NULL)
			return -1;
		t->rows = nr;
		t->cap = ncap;
	}
	row = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *row);
	if (row == NULL)
		return -1;
	/* calloc's zero bytes are V_NULL cells. */
	t->rows[t->nrows] = row;
	return t->nrows++;
}

static struct cell *
cell_at(struct table *t, int row, int col)
{
	if (t == NULL || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return &t->rows[row][col];
}

int
table_set_text(struct table *t, int row, int col, const char *s)
{
	struct cell *c = cell_at(t, row, col);
	char *copy = NULL;

	if (c == NULL)
		return -1;
	if (s != NULL && (copy = utf8_sanitize(s)) == NULL)
		return -1;
	cell_clear(c);
	if (copy != NULL) {
		c->tag = V_TEXT;
		c->u.s = copy;
	}
	return 0;
}

int
table_set_int(struct table *t, int row, int col, int64_t v)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_INT;
	c->u.i = v;
	return 0;
}

int
table_set_money(struct table *t, int row, int col, int64_t nanos)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_MONEY;
	c->u.i = nanos;
	return 0;
}

int
table_set_num(struct table *t, int row, int col, double v)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_DBL;
	c->u.d = v;
	return 0;
}

int
table_set_prio(struct table *t, const int *prio)
{
	if (t == NULL || prio == NULL || t->ncols == 0)
		return -1;
	if (t->prio == NULL && (t->prio = malloc((size_t)t->ncols * sizeof *t->prio)) == NULL)
		return -1;
	memcpy(t->prio, prio, (size_t)t->ncols * sizeof *t->prio);
	return 0;
}

int
table_sum_col(struct table *t, int col)
{
	if (t == NULL || col < 0 || col >= t->ncols)
		return -1;
	if (t->sum == NULL && (t->sum = calloc((size_t)t->ncols, 1)) == NULL)
		return -1;
	t->sum[col] = 1;
	return 0;
}

int
col_prio(const struct table *t, int c)
{
	return t->prio ? t->prio[c] : 0;
}

int
col_sum(const struct table *t, int c)
{
	return t->sum && t->sum[c] &&
	       (t->cols[c].kind == CELL_MONEY || t->cols[c].kind == CELL_INT);
}

int
table_set_qty(struct table *t, int row, int col, double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return table_set_int(t, row, col, (int64_t)v);
	return table_set_num(t, row, col, v);
}

int
table_rows(const struct table *t)
{
	return t == NULL ? 0 : t->nrows;
}

const char *
table_title(const struct table *t)
{
	return t == NULL ? NULL : t->title;
}

/* ---- rendering one cell --------------------------------------------- */

/* Insert ',' every three digits of the integer part of a formatted number. */
void
group_digits(char *buf, size_t size)
{
	char tmp[CELL_BUF];
	size_t start = 0, end, ndig, o = 0, i;

	if (buf[0] == '-')
		start = 1;
	end = start;
	while (buf[end] >= '0' && buf[end] <= '9')
		end++;
	ndig = end - start;
	if (ndig <= 3 || strlen(buf) + ndig / 3 + 1 > sizeof tmp ||
	    strlen(buf) + ndig / 3 + 1 > size)
		return;
	memcpy(tmp, buf, start);
	o = start;
	for (i = 0; i < ndig; i++) {
		if (i > 0 && (ndig - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = buf[start + i];
	}
	strcpy(tmp + o, buf + end);
	strcpy(buf, tmp);
}

/*
 * "%.*f" of a finite v, with a '.' whatever LC_NUMERIC says and no sign
 * on a value that rounds to zero.  decimals is clamped to 0..9.
 */
static void
format_fixed(double v, int decimals, char *buf, size_t size)
{
	const char *dp = localeconv()->decimal_point;
	char *p;
	int nonzero = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(buf, size, "%.*f", decimals, v);
	if (dp != NULL && strcmp(dp, ".") != 0 && dp[0] != '\0' &&
	    (p = strstr(buf, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + strlen(dp), strlen(p + strlen(dp)) + 1);
	}
	for (p = buf; *p != '\0'; p++)
		if (*p >= '1' && *p <= '9')
			nonzero = 1;
	if (buf[0] == '-' && !nonzero)
		memmove(buf, buf + 1, strlen(buf));
}

/* A ratio with up to 6 decimals, trailing zeros removed. */
static void
format_ratio(double v, char *buf, size_t size)
{
	size_t n;

	format_fixed(v, 6, buf, size);
	if (strchr(buf, '.') == NULL)
		return;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

/*
 * The text of one cell in format fmt: a text cell's own string, otherwise
 * a number rendered into buf.  NULL for a NULL cell (and for a non-finite
 * double, which has no representation in these forms).  For FMT_JSON the
 * result of a non-text cell is a valid JSON number.
 */
const char *
render_cell(const struct table *t, const struct cell *c, int col,
	    enum out_format fmt, char *buf, size_t size)
{
	const struct table_col *tc = &t->cols[col];
	int group = fmt == FMT_TABLE;
	int plain = fmt == FMT_JSON || fmt == FMT_CSV;

	switch (c->tag) {
	case V_NULL:
		return NULL;
	case V_TEXT:
		return c->u.s;
	case V_INT:
		snprintf(buf, size, "%lld", (long long)c->u.i);
		break;
	case V_MONEY:
		if (size < 40)
			return NULL;
		if (plain)
			return money_format_json(c->u.i, buf);
		/* decimals > 2: a unit price (imcost prices), shown to that many */
		return money_format(c->u.i, tc->decimals > 2 ? tc->decimals : 2, group, buf);
	case V_DBL:
		if (!isfinite(c->u.d))
			return NULL;
		if (tc->kind == CELL_PCT) {
			if (plain) {
				format_ratio(c->u.d, buf, size);
				return buf;
			}
			if (!isfinite(c->u.d * 100.0))
				return NULL;
			format_fixed(c->u.d * 100.0, tc->decimals, buf, size - 8);
			if (group)
				group_digits(buf, size - 2);
			strcat(buf, "%");
			return buf;
		}
		format_fixed(c->u.d, tc->decimals, buf, size);
		break;
	}
	if (group)
		group_digits(buf, size);
	return buf;
}

int
table_cols_pick(const struct table_colset *set, const char *const *keys,
		struct table_col *dst, int max)
{
	int n = 0;

	for (; *keys; keys++) {
		const char *k = *keys, *eq = strchr(k, '='), *sl;
		size_t len = strcspn(k, "/=");
		int i;

		if (n >= max || len == 0)
			return -1;
		for (i = 0; i < set->n; i++)
			if (strncmp(set->cols[i].key, k, len) == 0 && set->cols[i].key[len] == '\0')
				break;
		if (i == set->n)
			return -1;
		dst[n] = set->cols[i];
		if (k[len] == '/') {
			char *end;
			long d;

			sl = k + len + 1;
			d = strtol(sl, &end, 10);
			if (end == sl || d < 0 || d > 9 || (*end != '\0' && *end != '='))
				return -1;
			dst[n].decimals = (int)d;
		}
		if (eq)
			dst[n].label = eq + 1;
		n++;
	}
	return n;
}
