/*
 * report-doc.c - the monthly report's content as a list of blocks
 * (headings, sentences, headline figures, tables, charts) and its tables,
 * kept two ways at once: the exact values for the CSV file (output/table.h,
 * the formatter every command shares) and the display strings the
 * Markdown and HTML pages show.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/jsonget.h"
#include "reports/chart.h"
#include "reports/report-int.h"
#include "output/table.h"

/* ---- tables, rendered three ways ---- */

struct rtab *
rt_new(struct rep *r, const char *file, const char *title, const struct table_col *cols,
       int ncols, int show)
{
	struct rtab *t = calloc(1, sizeof *t);

	if (t == NULL || (t->t = table_new(title, cols, ncols)) == NULL) {
		free(t);
		r->oom = 1;
		return NULL;
	}
	snprintf(t->file, sizeof t->file, "%s", file);
	snprintf(t->title, sizeof t->title, "%s", title);
	t->cols = cols;
	t->ncols = ncols;
	t->show = show;
	return t;
}

struct rtab *
rt_pick(struct rep *r, const char *file, const char *title, const struct table_colset *set,
	const char *const *keys, int show)
{
	const struct table_colset *sets[] = { set, NULL };

	return rt_pick_sets(r, file, title, sets, keys, show);
}

struct rtab *
rt_pick_sets(struct rep *r, const char *file, const char *title,
	     const struct table_colset *const *sets, const char *const *keys, int show)
{
	struct table_col *cols;
	struct rtab *t;
	int nkeys = 0, k, s;

	while (keys[nkeys])
		nkeys++;
	cols = malloc((size_t)(nkeys ? nkeys : 1) * sizeof *cols);
	for (k = 0; cols != NULL && k < nkeys; k++) {
		const char *one[] = { keys[k], NULL };

		for (s = 0; sets[s] != NULL; s++)
			if (table_cols_pick(sets[s], one, &cols[k], 1) == 1)
				break;
		if (sets[s] == NULL)
			break;
	}
	if (cols == NULL || k < nkeys || (t = rt_new(r, file, title, cols, nkeys, show)) == NULL) {
		free(cols);
		r->oom = 1;
		return NULL;
	}
	t->own = cols;
	return t;
}

static void
rt_free(struct rtab *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < t->rows * t->ncols; i++)
		free(t->disp[i]);
	free(t->disp);
	table_free(t->t);
	free(t->own);
	free(t);
}

int
rt_row(struct rep *r, struct rtab *t)
{
	if (t == NULL)
		return -1;
	if (t->rows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		char **d = realloc(t->disp, (size_t)cap * (size_t)t->ncols * sizeof *d);
		if (d == NULL) {
			r->oom = 1;
			return -1;
		}
		t->disp = d;
		t->cap = cap;
	}
	if (table_add_row(t->t) < 0) {
		r->oom = 1;
		return -1;
	}
	for (int c = 0; c < t->ncols; c++)
		t->disp[t->rows * t->ncols + c] = NULL;
	return t->rows++;
}

void
rt_disp(struct rep *r, struct rtab *t, int row, int col, const char *s)
{
	char **p = &t->disp[row * t->ncols + col];

	free(*p);
	*p = s ? strdup(s) : NULL;
	if (s && *p == NULL)
		r->oom = 1;
}

void
rt_text(struct rep *r, struct rtab *t, int row, int col, const char *s)
{
	if (row < 0)
		return;
	if (table_set_text(t->t, row, col, s) != 0)
		r->oom = 1;
	rt_disp(r, t, row, col, s);
}

void
rt_money(struct rep *r, struct rtab *t, int row, int col, int64_t v)
{
	if (row < 0)
		return;
	table_set_money(t->t, row, col, v);
	rt_disp(r, t, row, col, fm(v));
}

void
rt_int(struct rep *r, struct rtab *t, int row, int col, int64_t v)
{
	if (row < 0)
		return;
	table_set_int(t->t, row, col, v);
	rt_disp(r, t, row, col, fint((double)v));
}

/* CELL_NUM or CELL_PCT by the column's kind; NaN is an empty cell */
void
rt_num(struct rep *r, struct rtab *t, int row, int col, double v)
{
	char buf[64];
	int dec = t->cols[col].decimals;

	if (row < 0 || !isfinite(v))
		return;
	table_set_num(t->t, row, col, v);
	if (t->cols[col].kind == CELL_PCT) {
		rep_grouped(v * 100, dec, buf);
		strcat(buf, "%");
	} else {
		rep_grouped(v, dec, buf);
	}
	rt_disp(r, t, row, col, buf);
}

/* "n/a" shown, empty in the CSV */
void
rt_na(struct rep *r, struct rtab *t, int row, int col)
{
	if (row >= 0)
		rt_disp(r, t, row, col, "n/a");
}

/* one row per element of arr (in currency ccy, when given), cells taken
 * by the columns' keys */
void
rt_from_json(struct rep *r, struct rtab *t, const cJSON *arr, const char *ccy)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		int row;

		if (ccy && !in_currency(it, ccy))
			continue;
		if ((row = rt_row(r, t)) < 0)
			return;
		for (int c = 0; c < t->ncols; c++) {
			const struct table_col *col = &t->cols[c];
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, col->key);
			int64_t m;
			double d;

			if (v == NULL || cJSON_IsNull(v))
				continue;
			switch (col->kind) {
			case CELL_TEXT:
				if (cJSON_IsString(v))
					rt_text(r, t, row, c, v->valuestring);
				break;
			case CELL_MONEY:
				if (jmoney(it, col->key, &m) == 0)
					rt_money(r, t, row, c, m);
				break;
			case CELL_INT:
				d = jnum(it, col->key);
				if (isfinite(d))
					rt_int(r, t, row, c, (int64_t)llround(d));
				break;
			case CELL_NUM:
			case CELL_PCT:
				rt_num(r, t, row, c, jnum(it, col->key));
				break;
			}
		}
	}
}

/* ---- the document: blocks ---- */

void
doc_free(struct doc *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->b[i].a);
		free(d->b[i].b);
		free(d->b[i].c);
	}
	free(d->b);
	for (int i = 0; i < d->ntabs; i++)
		rt_free(d->tabs[i]);
	free(d->tabs);
}

static char *
dup_or_null(struct rep *r, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		r->oom = 1;
	return p;
}

struct block *
add_block(struct rep *r, struct doc *d, enum bkind k, const char *a, const char *b, const char *c)
{
	struct block *n = realloc(d->b, (size_t)(d->n + 1) * sizeof *n);

	if (n == NULL) {
		r->oom = 1;
		return NULL;
	}
	d->b = n;
	n = &d->b[d->n++];
	memset(n, 0, sizeof *n);
	n->k = k;
	n->a = dup_or_null(r, a);
	n->b = dup_or_null(r, b);
	n->c = dup_or_null(r, c);
	return n;
}

/* register a table for CSV; shown too when show >= 0 */
void
add_table(struct rep *r, struct doc *d, struct rtab *t)
{
	struct rtab **n;
	struct block *b;

	if (t == NULL)
		return;
	n = realloc(d->tabs, (size_t)(d->ntabs + 1) * sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		rt_free(t);
		return;
	}
	d->tabs = n;
	d->tabs[d->ntabs++] = t;
	if (t->show >= 0 && t->rows > 0 && (b = add_block(r, d, B_TABLE, NULL, NULL, NULL)) != NULL)
		b->t = t;
}

void
add_chart(struct rep *r, struct doc *d, enum chart_id id)
{
	struct block *b = add_block(r, d, B_CHART, NULL, NULL, NULL);

	if (b)
		b->chart = id;
}

void
rep_para(struct rep *r, struct doc *d, enum bkind k, const struct sbuf *s)
{
	if (s->oom)
		r->oom = 1;
	else if (s->len)
		add_block(r, d, k, s->s, NULL, NULL);
}
