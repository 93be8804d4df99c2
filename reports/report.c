/*
 * report.c - the monthly report (see report.h): the analyzers' JSON
 * document for a month, and the one for the month before, rendered as
 * report.md, a self-contained report.html (inline CSS, charts embedded
 * as PNG data: URIs), a CSV file per table and the charts of
 * report-charts.c.
 *
 * The content is built once as a list of blocks (headings, sentences,
 * headline figures, tables, charts) and then written three ways: Markdown,
 * HTML and, for the tables, CSV (output/table.h, the formatter every
 * command shares).  Every section ends with one "what to do" sentence
 * computed from its numbers.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/decimal.h"
#include "common/outfile.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/html.h"
#include "reports/report-int.h"
#include "output/table.h"

#define DAY 86400LL
#define SHOW_ROWS 25		/* rows of a long table shown in md/html */

/* ---- reading the document ---- */

const cJSON *
jpath(const cJSON *o, const char *path)
{
	char key[64];

	while (o && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
		path += n + (dot != NULL);
	}
	return o;
}

int
jmoney(const cJSON *o, const char *key, int64_t *v)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	if (cJSON_IsRaw(x) && x->valuestring)
		return money_parse(x->valuestring, strlen(x->valuestring), v) == NUM_OK ? 0 : -1;
	if (cJSON_IsString(x) && x->valuestring)
		return money_parse(x->valuestring, strlen(x->valuestring), v) == NUM_OK ? 0 : -1;
	if (cJSON_IsNumber(x) && isfinite(x->valuedouble) && fabs(x->valuedouble) < 9e9) {
		*v = (int64_t)llround(x->valuedouble * 1e9);
		return 0;
	}
	return -1;
}

double
jnum(const cJSON *o, const char *key)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	double d;

	if (cJSON_IsRaw(x) && x->valuestring &&
	    number_parse(x->valuestring, strlen(x->valuestring), &d) == NUM_OK)
		return d;
	if (cJSON_IsNumber(x))
		return x->valuedouble;
	return NAN;
}

const char *
jstr(const cJSON *o, const char *key)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;

	return cJSON_IsString(x) ? x->valuestring : NULL;
}

const cJSON *
jfor_currency(const cJSON *arr, const char *ccy)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		const char *c = jstr(it, "currency");
		if (c == NULL || (ccy && strcmp(c, ccy) == 0))
			return it;
	}
	return NULL;
}

/* does row it belong to currency ccy (rows without one do) */
static int
in_currency(const cJSON *it, const char *ccy)
{
	const char *c = jstr(it, "currency");

	return c == NULL || ccy == NULL || strcmp(c, ccy) == 0;
}

/* ---- small formatting ---- */

const char *
month_name(int month)
{
	static const char *const names[12] = {
		"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"
	};
	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

static char rot[8][64];
static int rot_i;

static char *
rot_buf(void)
{
	rot_i = (rot_i + 1) % 8;
	return rot[rot_i];
}

const char *
fm(int64_t nanos)
{
	return money_format(nanos, 2, 1, rot_buf());
}

const char *
fm_signed(int64_t nanos)
{
	char *b = rot_buf(), tmp[48];

	money_format(nanos, 2, 1, tmp);
	snprintf(b, 64, "%s%s", nanos > 0 && strcmp(tmp, "0.00") != 0 ? "+" : "", tmp);
	return b;
}

/* a ratio as "12.3%" */
static const char *
fpct(double ratio)
{
	char *b = rot_buf();

	if (!isfinite(ratio))
		return "n/a";
	snprintf(b, 64, "%.1f%%", ratio * 100);
	if (strcmp(b, "-0.0%") == 0)
		strcpy(b, "0.0%");
	return b;
}

/* a change ratio as "+12.3%" */
static const char *
fpct_signed(double ratio)
{
	char *b = rot_buf();

	if (!isfinite(ratio))
		return "n/a";
	snprintf(b, 64, "%+.1f%%", ratio * 100);
	if (strcmp(b, "-0.0%") == 0 || strcmp(b, "+0.0%") == 0)
		strcpy(b, "0.0%");
	return b;
}

/* "%.*f" of v with ',' every three integer digits, into buf (64 bytes) */
static char *
grouped(double v, int decimals, char *buf)
{
	char tmp[64];
	size_t start, end, o, i, nd;

	if (!isfinite(v)) {
		strcpy(buf, "n/a");
		return buf;
	}
	snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	start = tmp[0] == '-';
	end = start + strspn(tmp + start, "0123456789");
	nd = end - start;
	if (strlen(tmp) + nd / 3 + 1 > 64) {
		strcpy(buf, tmp);
		return buf;
	}
	memcpy(buf, tmp, start);
	o = start;
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[start + i];
	}
	strcpy(buf + o, tmp + end);
	/* no "-0" / "-0.00" */
	if (buf[0] == '-' && strspn(buf + 1, "0.,") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

/* a count with thousands separators */
static const char *
fint(double v)
{
	return grouped(v, 0, rot_buf());
}

static double
ratio(int64_t a, int64_t b)
{
	return b != 0 ? (double)a / (double)b : NAN;
}

/* The materiality floor of a percentage change: a base of at least 1.00 of
 * the currency and at least 1% of the new value (a rise of at most 100x).
 * Below it a percentage says nothing (+62,680,407.7% after a month of
 * 0.000026): the change is shown as "new", with its absolute amount. */
#define MATERIAL_BASE 1000000000LL

static int
material(int64_t now, int64_t before)
{
	double b = fabs((double)before), n = fabs((double)now);
	return b >= (double)MATERIAL_BASE && b * 100 >= n;
}

/* the change ratio, NAN below the materiality floor */
static double
change(int64_t now, int64_t before)
{
	return material(now, before) ? (double)(now - before) / fabs((double)before) : NAN;
}

/* the change as "+12.3%", or "new" below the materiality floor */
static const char *
fchange(int64_t now, int64_t before)
{
	return material(now, before) ? fpct_signed(change(now, before)) : "new";
}

void
rep_file(struct rep *r, const char *name)
{
	struct report_result *res = r->res;
	char **f;
	size_t n = strlen(r->o->dir) + strlen(name) + 2;

	for (int i = 0; i < res->nfiles; i++) {
		const char *s = strrchr(res->files[i], '/');
		if (s && strcmp(s + 1, name) == 0)
			return;
	}
	f = realloc(res->files, (size_t)(res->nfiles + 1) * sizeof *f);
	if (f == NULL) {
		r->oom = 1;
		return;
	}
	res->files = f;
	if ((f[res->nfiles] = malloc(n)) == NULL) {
		r->oom = 1;
		return;
	}
	snprintf(f[res->nfiles++], n, "%s/%s", r->o->dir, name);
}

void
report_result_free(struct report_result *res)
{
	for (int i = 0; i < res->nfiles; i++)
		free(res->files[i]);
	free(res->files);
	res->files = NULL;
	res->nfiles = 0;
}

/* ---- running the analyzers ---- */

int
report_collect(const struct analysis_ctx *ctx, const char *const *only, cJSON **doc,
	       struct ic_error *err)
{
	struct emitter e;

	*doc = NULL;
	if (emit_begin(&e, stdout, FMT_JSON) != 0)
		return ic_errorf(err, "out of memory");
	for (int i = 0; only ? only[i] != NULL : analyzers[i] != NULL; i++) {
		const struct analyzer *a = only ? analyzer_find(only[i]) : analyzers[i];

		if (a == NULL) {
			emit_free(&e);
			return ic_errorf(err, "no analysis named '%s'", only[i]);
		}
		if (analyzer_run(a, ctx, &e, err) != 0) {
			emit_free(&e);
			return -1;
		}
	}
	if (e.failed) {
		emit_free(&e);
		return ic_errorf(err, "out of memory");
	}
	if (!cJSON_AddItemToObject(e.root, "assessment", e.assess)) {
		emit_free(&e);
		return ic_errorf(err, "out of memory");
	}
	e.assess = NULL;
	*doc = e.root;
	e.root = NULL;
	emit_free(&e);
	return 0;
}

/* ---- tables, rendered three ways ---- */

struct rtab {
	char file[64];		/* CSV base name */
	char title[160];
	const struct table_col *cols;
	int ncols;
	struct table *t;	/* CSV (and the exact values) */
	char **disp;		/* rows x ncols display strings (NULL: empty) */
	int rows, cap;
	int show;		/* rows shown in md/html: 0 all, -1 none (CSV only) */
};

static struct rtab *
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

static void
rt_free(struct rtab *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < t->rows * t->ncols; i++)
		free(t->disp[i]);
	free(t->disp);
	table_free(t->t);
	free(t);
}

static int
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

static void
rt_disp(struct rep *r, struct rtab *t, int row, int col, const char *s)
{
	char **p = &t->disp[row * t->ncols + col];

	free(*p);
	*p = s ? strdup(s) : NULL;
	if (s && *p == NULL)
		r->oom = 1;
}

static void
rt_text(struct rep *r, struct rtab *t, int row, int col, const char *s)
{
	if (row < 0)
		return;
	if (table_set_text(t->t, row, col, s) != 0)
		r->oom = 1;
	rt_disp(r, t, row, col, s);
}

static void
rt_money(struct rep *r, struct rtab *t, int row, int col, int64_t v)
{
	if (row < 0)
		return;
	table_set_money(t->t, row, col, v);
	rt_disp(r, t, row, col, fm(v));
}

static void
rt_int(struct rep *r, struct rtab *t, int row, int col, int64_t v)
{
	if (row < 0)
		return;
	table_set_int(t->t, row, col, v);
	rt_disp(r, t, row, col, fint((double)v));
}

/* CELL_NUM or CELL_PCT by the column's kind; NaN is an empty cell */
static void
rt_num(struct rep *r, struct rtab *t, int row, int col, double v)
{
	char buf[64];
	int dec = t->cols[col].decimals;

	if (row < 0 || !isfinite(v))
		return;
	table_set_num(t->t, row, col, v);
	if (t->cols[col].kind == CELL_PCT) {
		grouped(v * 100, dec, buf);
		strcat(buf, "%");
	} else {
		grouped(v, dec, buf);
	}
	rt_disp(r, t, row, col, buf);
}

/* "n/a" shown, empty in the CSV */
static void
rt_na(struct rep *r, struct rtab *t, int row, int col)
{
	if (row >= 0)
		rt_disp(r, t, row, col, "n/a");
}

/* one row per element of arr (in currency ccy, when given), cells taken
 * by the columns' keys */
static void
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

enum bkind { B_H2, B_P, B_ACTION, B_CARD, B_TABLE, B_CHART, B_WARN, B_ITEM };

struct block {
	enum bkind k;
	char *a, *b, *c;	/* text; card: label, value, detail; h2: title, id */
	struct rtab *t;
	int chart;
};

struct doc {
	struct block *b;
	int n;
	struct rtab **tabs;	/* every table, for the CSV files */
	int ntabs;
};

static void
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

static struct block *
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
static void
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

static void
add_chart(struct rep *r, struct doc *d, enum chart_id id)
{
	struct block *b = add_block(r, d, B_CHART, NULL, NULL, NULL);

	if (b)
		b->chart = id;
}

static void
para(struct rep *r, struct doc *d, enum bkind k, const struct strbuf *s)
{
	if (s->oom)
		r->oom = 1;
	else if (s->len)
		add_block(r, d, k, s->s, NULL, NULL);
}

/* ---- the sections ---- */

/* Whether idle or rightsizing left eligible resources unassessed. */
static int
metric_gaps(struct rep *r)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, jpath(r->cur, "assessment")) {
		const char *a = jstr(it, "analysis");
		if (a && (strcmp(a, "idle") == 0 || strcmp(a, "rightsizing") == 0) && jnum(it, "not_assessed") > 0)
			return 1;
	}
	return 0;
}

/* Whether some analysis could not assess every eligible resource; with s,
 * append "idle instance: 28 of 40 (no cpu_utilization ...), ..." */
static int
gaps(struct rep *r, struct strbuf *s)
{
	const cJSON *it;
	int n = 0;

	cJSON_ArrayForEach(it, jpath(r->cur, "assessment")) {
		double na = jnum(it, "not_assessed");
		if (!(na > 0))
			continue;
		if (s)
			sb_printf(s, "%s%s %s: %.0f of %.0f (%s)", n ? "; " : "", jstr(it, "analysis"),
				  jstr(it, "kind"), na, jnum(it, "eligible"),
				  jstr(it, "reason") ? jstr(it, "reason") : "no reason given");
		n++;
	}
	return n;
}

static void
sec_summary(struct rep *r, struct doc *d)
{
	const cJSON *fc = jfor_currency(jpath(r->cur, "forecast.forecasts"), r->ccy);
	const cJSON *it;
	struct strbuf s = { 0 }, v = { 0 }, x = { 0 };
	int64_t total = r->save_commit + r->save_idle + r->save_rs, f;
	static const struct table_col cols[] = {
		{ "metric", "Metric", CELL_TEXT, 0 },
		{ "value", "Value", CELL_TEXT, 0 },
	};
	struct rtab *t = rt_new(r, "headline", "Headline figures", cols, 2, -1);
	char buf[48];
	int row;

	add_block(r, d, B_H2, "Summary", "summary", NULL);
	sb_printf(&v, "%s %s", fm(r->billed), r->ccy);
	add_block(r, d, B_CARD, "Billed cost", v.s, "what the invoices say");
	v.len = 0;
	sb_printf(&v, "%s %s", fm(r->eff), r->ccy);
	add_block(r, d, B_CARD, "Effective cost", v.s,
		  "amortized: commitment fees spread over the usage they covered");
	v.len = 0;
	sb_printf(&s, "Change vs %s", r->pmname);
	if (r->has_prev) {
		sb_printf(&v, "%s %s", fm_signed(r->eff - r->peff), r->ccy);
		if (material(r->eff, r->peff))
			sb_printf(&x, "%s: effective cost, from %s %s; billed %s %s",
				  fpct_signed(change(r->eff, r->peff)), fm(r->peff), r->ccy,
				  fm_signed(r->billed - r->pbilled), r->ccy);
		else
			sb_printf(&x, "new: no percentage on a base of %s %s (under 1.00, or under"
				  " 1%% of the new cost); billed %s %s",
				  fm(r->peff), r->ccy, fm_signed(r->billed - r->pbilled), r->ccy);
	} else {
		sb_puts(&v, "n/a");
		sb_printf(&x, "no charges for %s in the database", r->pmname);
	}
	add_block(r, d, B_CARD, s.s, v.s, x.s);
	v.len = x.len = 0;
	if (fc && jmoney(fc, "forecast", &f) == 0) {
		sb_printf(&v, "%s %s", fm(f), r->ccy);
		sb_printf(&x, "%s, from %.0f of %.0f days", jstr(fc, "method") ? jstr(fc, "method") :
			  "projection", jnum(fc, "days_seen"), jnum(fc, "days_in_month"));
	} else {
		sb_puts(&v, "n/a");
		sb_puts(&x, "no complete day of data yet");
	}
	add_block(r, d, B_CARD, "Month-end forecast", v.s, x.s);
	v.len = x.len = 0;
	sb_printf(&v, "%s %s", fm(total), r->ccy);
	sb_printf(&x, "a month: commitments %s, idle resources %s, rightsizing %s",
		  fm(r->save_commit), fm(r->save_idle), fm(r->save_rs));
	add_block(r, d, B_CARD, "Savings found", v.s, x.s);

	s.len = 0;
	if (total > 0) {
		int parts = 0;
		sb_printf(&s, "Act on the findings below to save up to %s %s a month (%s of this month's"
			  " effective cost): ", fm(total), r->ccy, fpct(ratio(total, r->eff)));
		if (r->save_commit > 0)
			sb_printf(&s, "%sbuy the recommended commitments (%s)", parts++ ? ", " : "",
				  fm(r->save_commit));
		if (r->save_idle > 0)
			sb_printf(&s, "%sremove the idle resources (%s)", parts++ ? ", " : "",
				  fm(r->save_idle));
		if (r->save_rs > 0)
			sb_printf(&s, "%sdownsize the oversized instances (%s)", parts++ ? " and " : "",
				  fm(r->save_rs));
		sb_puts(&s, ".");
	} else if (gaps(r, NULL)) {
		sb_puts(&s, "No saving was found among what imcost could assess, and it could not assess"
			" everything: ");
		gaps(r, &s);
		sb_puts(&s, ". Import what the Not assessed section lists before reading this as"
			" nothing to save.");
	} else {
		sb_printf(&s, "No commitment purchase, idle resource or oversized instance was found:"
			  " keep this report as the baseline and compare next month against %s %s.",
			  fm(r->eff), r->ccy);
	}
	if (total > 0 && gaps(r, NULL)) {
		sb_puts(&s, " Not assessed: ");
		gaps(r, &s);
		sb_puts(&s, ".");
	}
	para(r, d, B_ACTION, &s);

	/* other currencies */
	s.len = 0;
	cJSON_ArrayForEach(it, jpath(r->cur, "summaries")) {
		int64_t b = 0, e = 0;
		const char *c = jstr(it, "currency");
		if (c == NULL || strcmp(c, r->ccy) == 0)
			continue;
		jmoney(it, "billed_cost", &b);
		jmoney(it, "effective_cost", &e);
		sb_printf(&s, "%s%s %s billed, %s effective", s.len ? "; " : "Also billed this month"
			  " (not included above): ", c, fm(b), fm(e));
	}
	if (s.len) {
		sb_puts(&s, ".");
		para(r, d, B_P, &s);
	}

	/* headline.csv */
#define KV(k, val) do { row = rt_row(r, t); rt_text(r, t, row, 0, k); rt_text(r, t, row, 1, val); } while (0)
	if (t) {
		KV("month", r->month);
		KV("currency", r->ccy);
		KV("billed_cost", money_format_json(r->billed, buf));
		KV("effective_cost", money_format_json(r->eff, buf));
		KV("previous_month", r->pmonth);
		KV("previous_effective_cost", r->has_prev ? money_format_json(r->peff, buf) : "n/a");
		KV("change", r->has_prev ? money_format_json(r->eff - r->peff, buf) : "n/a");
		KV("forecast", fc && jmoney(fc, "forecast", &f) == 0 ? money_format_json(f, buf) : "n/a");
		KV("monthly_savings_commitments", money_format_json(r->save_commit, buf));
		KV("monthly_savings_idle", money_format_json(r->save_idle, buf));
		KV("monthly_savings_rightsizing", money_format_json(r->save_rs, buf));
		KV("monthly_savings_total", money_format_json(total, buf));
	}
#undef KV
	add_table(r, d, t);
	free(s.s);
	free(v.s);
	free(x.s);
}

/* by_service / by_account / by_region with share and month-over-month */
static const struct table_col svc_cols[] = {
	{ "service", "Service", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
	{ "previous_effective_cost", "Previous month", CELL_MONEY, 0 },
	{ "change", "Change", CELL_MONEY, 0 },
	{ "change_ratio", "Change %", CELL_PCT, 1 },
};
static const struct table_col acct_cols[] = {
	{ "account", "Account", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
	{ "previous_effective_cost", "Previous month", CELL_MONEY, 0 },
	{ "change", "Change", CELL_MONEY, 0 },
	{ "change_ratio", "Change %", CELL_PCT, 1 },
};
static const struct table_col region_cols[] = {
	{ "region", "Region", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
	{ "previous_effective_cost", "Previous month", CELL_MONEY, 0 },
	{ "change", "Change", CELL_MONEY, 0 },
	{ "change_ratio", "Change %", CELL_PCT, 1 },
};

static const struct table_col grp_cols[] = {
	{ "group", "Group", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
	{ "previous_effective_cost", "Previous month", CELL_MONEY, 0 },
	{ "change", "Change", CELL_MONEY, 0 },
	{ "change_ratio", "Change %", CELL_PCT, 1 },
};

/* previous month's effective cost of key k in prev array (found: 1) */
static int
prev_of(const cJSON *parr, const char *keyname, const char *k, int64_t *v)
{
	const cJSON *it;

	*v = 0;
	cJSON_ArrayForEach(it, parr) {
		const char *s = jstr(it, keyname);
		if (s && k && strcmp(s, k) == 0)
			return jmoney(it, "effective_cost", v) == 0;
	}
	return 0;
}

/* a cost-by-X table from summary.ARRKEY, with each row's share of the
 * month and its change since the previous month */
static struct rtab *
cost_table(struct rep *r, const char *file, const char *arrkey, const struct table_col *cols,
	   const char *keyname)
{
	const cJSON *arr = jpath(r->sum, arrkey), *parr = r->psum ? jpath(r->psum, arrkey) : NULL, *it;
	struct rtab *t = rt_new(r, file, cols == svc_cols ? "Cost by service" : cols == acct_cols ?
				"Cost by account" : cols == grp_cols ? "Cost by group" : "Cost by region",
				cols, 7, 0);

	if (t == NULL)
		return NULL;
	cJSON_ArrayForEach(it, arr) {
		int64_t b = 0, e = 0, p = 0;
		const char *k = jstr(it, keyname);
		int row = rt_row(r, t), inp;

		jmoney(it, "billed_cost", &b);
		jmoney(it, "effective_cost", &e);
		rt_text(r, t, row, 0, k);
		if (k == NULL)
			rt_disp(r, t, row, 0, "(none)");
		rt_money(r, t, row, 1, b);
		rt_money(r, t, row, 2, e);
		rt_num(r, t, row, 3, ratio(e, r->eff));
		inp = prev_of(parr, keyname, k, &p);
		if (r->has_prev) {
			rt_money(r, t, row, 4, p);
			rt_money(r, t, row, 5, e - p);
			rt_disp(r, t, row, 5, fm_signed(e - p));
			if (inp && material(e, p)) {
				rt_num(r, t, row, 6, change(e, p));
				rt_disp(r, t, row, 6, fpct_signed(change(e, p)));
			} else {
				rt_disp(r, t, row, 6, "new");
			}
		} else {
			rt_na(r, t, row, 4);
			rt_na(r, t, row, 5);
			rt_na(r, t, row, 6);
		}
	}
	/* what only the previous month had */
	if (r->has_prev)
		cJSON_ArrayForEach(it, parr) {
			const char *k = jstr(it, keyname);
			int64_t p = 0, dummy;
			int row;

			if (prev_of(arr, keyname, k, &dummy))
				continue;
			jmoney(it, "effective_cost", &p);
			row = rt_row(r, t);
			rt_text(r, t, row, 0, k);
			rt_money(r, t, row, 1, 0);
			rt_money(r, t, row, 2, 0);
			rt_num(r, t, row, 3, 0);
			rt_money(r, t, row, 4, p);
			rt_money(r, t, row, 5, -p);
			rt_disp(r, t, row, 5, fm_signed(-p));
			rt_num(r, t, row, 6, p != 0 ? -1.0 : NAN);
			rt_disp(r, t, row, 6, p != 0 ? "gone" : NULL);
		}
	return t;
}

/* the element of arr (by key keyname) with the largest effective cost */
static const cJSON *
largest(const cJSON *arr, int64_t *v)
{
	const cJSON *it, *best = NULL;
	int64_t bv = 0;

	cJSON_ArrayForEach(it, arr) {
		int64_t e;
		if (jmoney(it, "effective_cost", &e) == 0 && (best == NULL || e > bv)) {
			best = it;
			bv = e;
		}
	}
	*v = bv;
	return best;
}

static void
sec_services(struct rep *r, struct doc *d)
{
	struct strbuf s = { 0 };
	static const struct table_col cat_cols[] = {
		{ "charge_category", "Charge category", CELL_TEXT, 0 },
		{ "billed_cost", "Billed", CELL_MONEY, 0 },
		{ "effective_cost", "Effective", CELL_MONEY, 0 },
	};
	static const struct table_col day_cols[] = {
		{ "day", "Day", CELL_TEXT, 0 },
		{ "billed_cost", "Billed", CELL_MONEY, 0 },
		{ "effective_cost", "Effective", CELL_MONEY, 0 },
	};
	static const struct table_col dsvc_cols[] = {
		{ "day", "Day", CELL_TEXT, 0 },
		{ "service", "Service", CELL_TEXT, 0 },
		{ "billed_cost", "Billed", CELL_MONEY, 0 },
		{ "effective_cost", "Effective", CELL_MONEY, 0 },
	};
	struct rtab *t;
	int rise = -1;
	int64_t best = 0;

	add_block(r, d, B_H2, "Cost by service", "services", NULL);
	add_table(r, d, cost_table(r, "cost-by-service", "by_service", svc_cols, "service"));
	add_chart(r, d, CH_DAILY);
	add_chart(r, d, CH_MOM);
	t = rt_new(r, "cost-by-category", "Cost by charge category", cat_cols, 3, 0);
	if (t)
		rt_from_json(r, t, jpath(r->sum, "by_category"), NULL);
	add_table(r, d, t);
	t = rt_new(r, "cost-by-day", "Cost by day", day_cols, 3, -1);
	if (t)
		rt_from_json(r, t, jpath(r->sum, "by_day"), NULL);
	add_table(r, d, t);
	if (cJSON_IsArray(jpath(r->sum, "by_day_service"))) {
		t = rt_new(r, "cost-by-day-service", "Cost by day and service", dsvc_cols, 4, -1);
		if (t)
			rt_from_json(r, t, jpath(r->sum, "by_day_service"), NULL);
		add_table(r, d, t);
	}

	if (r->nsvc == 0) {
		free(s.s);
		return;
	}
	if (r->has_prev)
		for (int i = 0; i < r->nsvc; i++)
			if (r->svc[i].eff - r->svc[i].prev_eff > best) {
				best = r->svc[i].eff - r->svc[i].prev_eff;
				rise = i;
			}
	if (rise >= 0 && rise != 0) {
		sb_printf(&s, "Ask the owners of %s why it rose by %s %s (%s) since %s; %s is %s of the"
			  " effective cost, so savings there count most.", r->svc[rise].name,
			  fm(best), r->ccy, r->svc[rise].in_prev ? fchange(r->svc[rise].eff,
			  r->svc[rise].prev_eff) : "new this month", r->pmname, r->svc[0].name,
			  fpct(ratio(r->svc[0].eff, r->eff)));
	} else if (rise == 0) {
		sb_printf(&s, "Start with %s: it is %s of the effective cost (%s %s) and rose by %s %s"
			  " (%s) since %s.", r->svc[0].name, fpct(ratio(r->svc[0].eff, r->eff)),
			  fm(r->svc[0].eff), r->ccy, fm(best), r->ccy, r->svc[0].in_prev ?
			  fchange(r->svc[0].eff, r->svc[0].prev_eff) : "new", r->pmname);
	} else {
		sb_printf(&s, "Start with %s: it is %s of the effective cost (%s %s), so the commitments"
			  " and rightsizing below count most there.", r->svc[0].name,
			  fpct(ratio(r->svc[0].eff, r->eff)), fm(r->svc[0].eff), r->ccy);
	}
	para(r, d, B_ACTION, &s);
	free(s.s);
}

static void
sec_account_region(struct rep *r, struct doc *d, int region)
{
	const char *arrkey = region ? "by_region" : "by_account";
	const char *keyname = region ? "region" : "account";
	const cJSON *arr = jpath(r->sum, arrkey), *top;
	struct strbuf s = { 0 };
	int64_t e;
	int n = cJSON_GetArraySize(arr);

	add_block(r, d, B_H2, region ? "Cost by region" : "Cost by account",
		  region ? "regions" : "accounts", NULL);
	add_table(r, d, cost_table(r, region ? "cost-by-region" : "cost-by-account", arrkey,
				   region ? region_cols : acct_cols, keyname));
	top = largest(arr, &e);
	if (top == NULL) {
		free(s.s);
		return;
	}
	if (!region && n == 1)
		sb_printf(&s, "All of the cost is in account %s: send this report to its owner.",
			  jstr(top, keyname) ? jstr(top, keyname) : "(none)");
	else if (!region)
		sb_printf(&s, "Account %s carries %s of the effective cost (%s %s): send this report to"
			  " its owner first.", jstr(top, keyname) ? jstr(top, keyname) : "(none)",
			  fpct(ratio(e, r->eff)), fm(e), r->ccy);
	else if (jstr(top, keyname) && strcmp(jstr(top, keyname), "(global)") == 0)
		sb_printf(&s, "Most of the cost (%s, %s %s) is not tied to a region: look at the"
			  " global services first.", fpct(ratio(e, r->eff)), fm(e), r->ccy);
	else
		sb_printf(&s, "%s carries %s of the effective cost (%s %s): commitments are bought per"
			  " region, so size purchases there first.", jstr(top, keyname) ?
			  jstr(top, keyname) : "(none)", fpct(ratio(e, r->eff)), fm(e), r->ccy);
	para(r, d, B_ACTION, &s);
	free(s.s);
}

/*
 * summary.groups (analyze/report --group-by KEY): the cost of each value
 * of the key, with its change since the previous month (group null: the
 * charges without the key, shown as "(no KEY)"), and for a tag the
 * untagged share and the resources to tag first.
 */
static void
sec_groups(struct rep *r, struct doc *d)
{
	const char *key = jstr(r->sum, "group_by"), *only = jstr(r->sum, "filter");
	const cJSON *un = jpath(r->sum, "untagged"), *it;
	struct strbuf s = { 0 };
	char title[200];
	int64_t e = 0;
	int n = 0;

	if (only) {
		sb_printf(&s, "Only charges with %s: the headline, the cost by service, account and"
			  " region, and the groups count these (both months); the other sections"
			  " count every charge (filter not applied).", only);
		para(r, d, B_WARN, &s);
		free(s.s);
		s = (struct strbuf){ 0 };
	}
	if (key == NULL)
		return;
	snprintf(title, sizeof title, "Cost by %s", key);
	add_block(r, d, B_H2, title, "groups", NULL);
	add_table(r, d, cost_table(r, "cost-by-group", "groups", grp_cols, "group"));
	if (un == NULL)
		return;
	jmoney(un, "effective_cost", &e);
	sb_printf(&s, "Charges without %s: %s %s, %s of the effective cost.", key, fm(e), r->ccy,
		  fpct(ratio(e, r->eff)));
	cJSON_ArrayForEach(it, jpath(un, "top_resources")) {
		const char *id = jstr(it, "resource_id");
		if (id == NULL || n == 5)
			continue;
		sb_printf(&s, "%s%s", n++ ? ", " : " Tag these first: ", id);
	}
	if (n)
		sb_printf(&s, ".");
	para(r, d, e != 0 ? B_ACTION : B_P, &s);
	free(s.s);
}

/* summary.by_resource: the top resources by effective cost, with their
 * service, region and account and their share of the month */
static void
sec_resources(struct rep *r, struct doc *d)
{
	static const struct table_col cols[] = {
		{ "resource_id", "Resource", CELL_TEXT, 0 },
		{ "service", "Service", CELL_TEXT, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "account", "Account", CELL_TEXT, 0 },
		{ "billed_cost", "Billed", CELL_MONEY, 0 },
		{ "effective_cost", "Effective", CELL_MONEY, 0 },
		{ "share", "Share", CELL_PCT, 1 },
	};
	const cJSON *arr = jpath(r->sum, "by_resource"), *it, *top;
	struct strbuf s = { 0 };
	struct rtab *t;
	int64_t sum = 0, e;
	int n = 0;

	if (!cJSON_IsArray(arr))
		return;		/* the analyses do not give them */
	add_block(r, d, B_H2, "Top resources", "resources", NULL);
	t = rt_new(r, "top-resources", "Top resources", cols, 7, 0);
	if (t == NULL)
		return;
	rt_from_json(r, t, arr, NULL);
	cJSON_ArrayForEach(it, arr) {
		if (jmoney(it, "effective_cost", &e) == 0) {
			if (!isfinite(jnum(it, "share")))
				rt_num(r, t, n, 6, ratio(e, r->eff));
			sum += e;
		}
		n++;
	}
	add_table(r, d, t);
	top = largest(arr, &e);
	if (top) {
		const char *id = jstr(top, "resource_id") ? jstr(top, "resource_id") : "(none)";
		const char *svc = jstr(top, "service") ? jstr(top, "service") : "(none)";
		const char *reg = jstr(top, "region");
		char what[300];

		if (reg && *reg && strcmp(reg, "(global)") != 0)
			snprintf(what, sizeof what, "%s (%s, %s)", id, svc, reg);
		else
			snprintf(what, sizeof what, "%s (%s)", id, svc);
		if (n == 1)
			sb_printf(&s, "The largest resource, %s, costs %s %s, %s of the effective cost:"
				  " have its owner confirm that it is sized right and still needed.",
				  what, fm(e), r->ccy, fpct(ratio(e, r->eff)));
		else
			sb_printf(&s, "The %d largest resources carry %s of the effective cost (%s %s);"
				  " start with %s at %s %s: have its owner confirm that it is sized right"
				  " and still needed, and give each resource here an owner tag.", n,
				  fpct(ratio(sum, r->eff)), fm(sum), r->ccy, what, fm(e), r->ccy);
		para(r, d, B_ACTION, &s);
	}
	free(s.s);
}

static void
sec_commitments(struct rep *r, struct doc *d)
{
	static const struct table_col rec_cols[] = {
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Instance type", CELL_TEXT, 0 },
		{ "platform", "Platform", CELL_TEXT, 0 },
		{ "term", "Term", CELL_TEXT, 0 },
		{ "payment", "Payment", CELL_TEXT, 0 },
		{ "count", "Count", CELL_INT, 0 },
		{ "upfront", "Upfront", CELL_MONEY, 0 },
		{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
		{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
		{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
		{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
		{ "expected_utilization", "Exp. util.", CELL_PCT, 1 },
		{ "coverage_before", "Cov. before", CELL_PCT, 1 },
		{ "coverage_after", "Cov. after", CELL_PCT, 1 },
		{ "price_source", "Price source", CELL_TEXT, 0 },
	};
	static const struct table_col ex_cols[] = {
		{ "commitment_id", "Commitment", CELL_TEXT, 0 },
		{ "type", "Type", CELL_TEXT, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Instance type", CELL_TEXT, 0 },
		{ "used_cost", "Used", CELL_MONEY, 0 },
		{ "unused_cost", "Unused (lost)", CELL_MONEY, 0 },
		{ "utilization", "Utilization", CELL_PCT, 1 },
		{ "covered_hours", "Hours covered", CELL_NUM, 0 },
	};
	static const struct table_col cov_cols[] = {
		{ "provider", "Provider", CELL_TEXT, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Instance type", CELL_TEXT, 0 },
		{ "platform", "Platform", CELL_TEXT, 0 },
		{ "covered_hours", "Committed h", CELL_NUM, 0 },
		{ "on_demand_hours", "On-demand h", CELL_NUM, 0 },
		{ "coverage", "Coverage", CELL_PCT, 1 },
	};
	static const struct table_col sp_cols[] = {
		{ "term", "Term", CELL_TEXT, 0 },
		{ "payment", "Payment", CELL_TEXT, 0 },
		{ "hourly_commitment", "Commit/h", CELL_MONEY, 0 },
		{ "upfront", "Upfront", CELL_MONEY, 0 },
		{ "on_demand_monthly", "On-demand/mo", CELL_MONEY, 0 },
		{ "committed_monthly", "Committed/mo", CELL_MONEY, 0 },
		{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
		{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
		{ "coverage_after", "Cov. after", CELL_PCT, 1 },
		{ "instance_types", "Types", CELL_INT, 0 },
		{ "price_source", "Price source", CELL_TEXT, 0 },
	};
	static const struct table_col un_cols[] = {
		{ "provider", "Provider", CELL_TEXT, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Instance type", CELL_TEXT, 0 },
		{ "platform", "Platform", CELL_TEXT, 0 },
		{ "on_demand_hours", "On-demand h", CELL_NUM, 0 },
		{ "reason", "Why", CELL_TEXT, 0 },
		{ "fix", "Fix", CELL_TEXT, 0 },
	};
	static const struct table_col ns_cols[] = {
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Instance type", CELL_TEXT, 0 },
		{ "platform", "Platform", CELL_TEXT, 0 },
		{ "on_demand_hours", "On-demand h", CELL_NUM, 0 },
		{ "term", "Best term", CELL_TEXT, 0 },
		{ "payment", "Payment", CELL_TEXT, 0 },
		{ "break_even_utilization", "Break-even", CELL_PCT, 1 },
		{ "average_utilization", "Avg. util.", CELL_PCT, 1 },
		{ "price_source", "Price source", CELL_TEXT, 0 },
	};
	const cJSON *c = jpath(r->cur, "commitments"), *it;
	const cJSON *tot = jfor_currency(jpath(c, "totals"), r->ccy);
	const cJSON *recs = jpath(c, "recommendations"), *unp = jpath(c, "unpriced");
	struct strbuf s = { 0 };
	struct rtab *t;
	double cov = jnum(jpath(c, "coverage"), "coverage");
	double elig = jnum(jpath(c, "coverage"), "eligible_hours");
	int64_t unused = 0, used = 0, upfront = 0, m;
	int shown = 0, nunp = cJSON_GetArraySize(unp);

	if (c == NULL)
		return;
	add_block(r, d, B_H2, "Commitments", "commitments", NULL);
	if (tot) {
		jmoney(tot, "unused_cost", &unused);
		jmoney(tot, "used_cost", &used);
	}
	if (isfinite(cov))
		sb_printf(&s, "Coverage: %s of %s eligible instance hours ran on reservations or savings"
			  " plans (by hours).", fpct(cov), fint(elig));
	{
		const cJSON *sp = jfor_currency(jpath(c, "savings_plan_coverage"), r->ccy);
		int64_t spc = 0, spo = 0;
		if (sp && jmoney(sp, "covered_spend", &spc) == 0 && jmoney(sp, "on_demand_spend", &spo) == 0 &&
		    spc > 0)
			sb_printf(&s, " Savings plans covered %s of the eligible spend (by cost, as AWS"
				  " measures it: %s %s on-demand equivalent covered, %s %s on demand).",
				  fpct(ratio(spc, spc + spo)), fm(spc), r->ccy, fm(spo), r->ccy);
	}
	if (!isfinite(cov))
		sb_puts(&s, "No instance usage eligible for commitments in the look-back window.");
	if (tot)
		sb_printf(&s, " Existing commitments were %s used: %s %s of them went unused.",
			  fpct(ratio(used, used + unused)), fm(unused), r->ccy);
	para(r, d, B_P, &s);

	t = rt_new(r, "commitments-recommendations", "Recommended purchases", rec_cols, 15, 0);
	if (t)
		rt_from_json(r, t, recs, r->ccy);
	add_table(r, d, t);
	s.len = 0;
	sb_printf(&s, "Monthly figures are per %.0f hours (8760 / 12, as AWS Cost Explorer): a"
		  " 744-hour month bills about 2%% more.", jnum(c, "hours_per_month") > 0 ?
		  jnum(c, "hours_per_month") : 730.0);
	para(r, d, B_P, &s);
	add_chart(r, d, CH_COMMIT);
	t = rt_new(r, "commitments-savings-plan", "Fleet-wide savings plan (an alternative to the"
		   " purchases above, not in addition)", sp_cols, 11, 0);
	if (t)
		rt_from_json(r, t, jpath(c, "savings_plan"), r->ccy);
	add_table(r, d, t);
	t = rt_new(r, "commitments-existing", "Existing commitments", ex_cols, 8, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, jpath(c, "existing"), r->ccy);
	add_table(r, d, t);
	t = rt_new(r, "commitments-coverage", "Coverage by instance type", cov_cols, 7, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, jpath(c, "coverage_by_type"), NULL);
	add_table(r, d, t);
	t = rt_new(r, "commitments-no-saving", "Priced, but no offer saves money (usage below the"
		   " break-even utilization)", ns_cols, 9, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, jpath(c, "no_saving"), NULL);
	add_table(r, d, t);
	t = rt_new(r, "commitments-unpriced", "Used on demand but not priced: why, and the fix", un_cols,
		   7, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, unp, NULL);
	add_table(r, d, t);

	s.len = 0;
	if (r->nrec > 0) {
		if (r->nrec > 1)
			sb_printf(&s, "Buying the %d recommended commitments (", r->nrec);
		else
			sb_puts(&s, "Buying the recommended commitment (");
		cJSON_ArrayForEach(it, recs) {
			if (!in_currency(it, r->ccy))
				continue;
			if (jmoney(it, "upfront", &m) == 0)
				upfront += m;
			if (shown < 3)
				sb_printf(&s, "%s%.0f x %s in %s, %s %s", shown ? "; " : "",
					  jnum(it, "count"), jstr(it, "instance_type") ? jstr(it, "instance_type")
					  : "?", jstr(it, "region") ? jstr(it, "region") : "?",
					  jstr(it, "term") ? jstr(it, "term") : "", jstr(it, "payment") ?
					  jstr(it, "payment") : "");
			else if (shown == 3)
				sb_printf(&s, "; and %d more", r->nrec - 3);
			shown++;
		}
		sb_printf(&s, ") saves %s %s a month (%s %s a year) for %s %s upfront", fm(r->save_commit),
			  r->ccy, fm(r->save_commit * 12), r->ccy, fm(upfront), r->ccy);
	} else if (nunp > 0) {
		sb_printf(&s, "Import the price lists named in the unpriced table for the %d instance"
			  " type%s used on demand without a commitment price (imcost import FILE, or"
			  " --pricing FILE) and run the report again to get purchase advice", nunp,
			  nunp > 1 ? "s" : "");
	} else {
		sb_printf(&s, "Buy nothing this month: no offer beats on-demand prices for the usage seen");
	}
	if (unused > 0)
		sb_printf(&s, "; existing commitments left %s %s unused, so move matching workloads onto"
			  " them before buying more", fm(unused), r->ccy);
	sb_puts(&s, ".");
	para(r, d, B_ACTION, &s);
	free(s.s);
}

static void
sec_waste(struct rep *r, struct doc *d)
{
	static const struct table_col kind_cols[] = {
		{ "kind", "Kind", CELL_TEXT, 0 },
		{ "findings", "Findings", CELL_INT, 0 },
		{ "unpriced", "Unpriced", CELL_INT, 0 },
		{ "monthly_cost", "Per month", CELL_MONEY, 0 },
		{ "period_cost", "In period", CELL_MONEY, 0 },
	};
	static const struct table_col idle_cols[] = {
		{ "resource_id", "Resource", CELL_TEXT, 0 },
		{ "kind", "Kind", CELL_TEXT, 0 },
		{ "reason", "Why", CELL_TEXT, 0 },
		{ "monthly_cost", "Per month", CELL_MONEY, 0 },
		{ "period_cost", "In period", CELL_MONEY, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Type", CELL_TEXT, 0 },
		{ "evidence", "Evidence", CELL_TEXT, 0 },
	};
	static const struct table_col rs_cols[] = {
		{ "resource_id", "Instance", CELL_TEXT, 0 },
		{ "region", "Region", CELL_TEXT, 0 },
		{ "instance_type", "Type", CELL_TEXT, 0 },
		{ "recommended_type", "Smaller", CELL_TEXT, 0 },
		{ "percentile", "Pctl", CELL_NUM, 1 },
		{ "cpu_at_percentile", "CPU", CELL_NUM, 1 },
		{ "projected_cpu", "After", CELL_NUM, 1 },
		{ "on_demand_hourly", "Price/h", CELL_MONEY, 0 },
		{ "recommended_hourly", "Smaller/h", CELL_MONEY, 0 },
		{ "monthly_savings", "Savings/mo", CELL_MONEY, 0 },
	};
	const cJSON *idle = jpath(r->cur, "idle"), *it, *top = NULL;
	struct strbuf s = { 0 };
	struct rtab *t;
	int64_t topv = 0, m;
	int unpriced = 0;

	if (idle == NULL && jpath(r->cur, "rightsizing") == NULL)
		return;
	add_block(r, d, B_H2, "Idle resources and waste", "waste", NULL);
	t = rt_new(r, "waste-by-kind", "Waste by kind", kind_cols, 5, 0);
	for (int k = 0; t && k < NWASTE; k++) {
		const struct waste *w = &r->waste[k];
		int row;
		if (w->count == 0)
			continue;
		row = rt_row(r, t);
		rt_text(r, t, row, 0, w->label);
		rt_int(r, t, row, 1, w->count);
		rt_int(r, t, row, 2, w->unpriced);
		rt_money(r, t, row, 3, w->monthly);
		if (k == W_OVERSIZED)
			rt_na(r, t, row, 4);
		else
			rt_money(r, t, row, 4, w->period);
	}
	add_table(r, d, t);
	add_chart(r, d, CH_WASTE);
	t = rt_new(r, "idle", "Idle resources", idle_cols, 8, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, idle, NULL);
	add_table(r, d, t);
	t = rt_new(r, "rightsizing", "Oversized instances (next smaller size)", rs_cols, 10, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, jpath(r->cur, "rightsizing.recommendations"), r->ccy);
	add_table(r, d, t);

	cJSON_ArrayForEach(it, idle) {
		const char *k = jstr(it, "kind");
		if (!in_currency(it, r->ccy) || (k && strcmp(k, "commitment") == 0))
			continue;
		if (jmoney(it, "monthly_cost", &m) != 0) {
			unpriced++;
			continue;
		}
		if (top == NULL || m > topv) {
			top = it;
			topv = m;
		}
	}
	if (r->nidle > 0) {
		sb_printf(&s, "Stopping or deleting the %d idle resource%s saves %s %s a month", r->nidle,
			  r->nidle > 1 ? "s" : "", fm(r->save_idle), r->ccy);
		if (top)
			sb_printf(&s, ", starting with %s (%s, %s %s a month)",
				  jstr(top, "resource_id") ? jstr(top, "resource_id") : "?",
				  jstr(top, "kind") ? jstr(top, "kind") : "?", fm(topv), r->ccy);
		if (unpriced)
			sb_printf(&s, ", plus %d more the bill does not price", unpriced);
	}
	if (r->nrs > 0)
		sb_printf(&s, "%s%d instance%s to the next smaller size saves %s %s a month",
			  r->nidle > 0 ? "; moving " : "Moving ", r->nrs, r->nrs > 1 ? "s" : "",
			  fm(r->save_rs), r->ccy);
	if (r->nidle == 0 && r->nrs == 0 && metric_gaps(r))
		sb_puts(&s, "No idle resource or oversized instance was found among what could be"
			" assessed, but some instances or volumes were not assessed (no usage metrics:"
			" see Not assessed)");
	else if (r->nidle == 0 && r->nrs == 0)
		sb_puts(&s, "Nothing to stop or downsize this month: no idle resource or oversized"
			" instance was found");
	sb_puts(&s, ".");
	para(r, d, B_ACTION, &s);
	free(s.s);
}

static int
cmp_impact(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t u = 0, v = 0;

	jmoney(x, "impact", &u);
	jmoney(y, "impact", &v);
	return u > v ? -1 : u < v;
}

static void
sec_anomalies(struct rep *r, struct doc *d)
{
	static const struct table_col cols[] = {
		{ "day", "Day", CELL_TEXT, 0 },
		{ "service", "Service", CELL_TEXT, 0 },
		{ "expected", "Expected", CELL_MONEY, 0 },
		{ "actual", "Actual", CELL_MONEY, 0 },
		{ "impact", "Above baseline", CELL_MONEY, 0 },
		{ "z", "Score", CELL_NUM, 1 },
		{ "kind", "Kind", CELL_TEXT, 0 },
		{ "days", "Days", CELL_INT, 0 },
	};
	const cJSON *a = jpath(r->cur, "anomalies"), *arr = jpath(a, "anomalies"), *it;
	const cJSON **v;
	struct strbuf s = { 0 };
	struct rtab *t;
	cJSON *sorted;
	int n = 0;
	int64_t sum = 0, m, e = 0;

	if (a == NULL)
		return;
	add_block(r, d, B_H2, "Anomalies", "anomalies", NULL);
	v = malloc((size_t)(cJSON_GetArraySize(arr) + 1) * sizeof *v);
	sorted = cJSON_CreateArray();
	if (v == NULL || sorted == NULL) {
		free(v);
		cJSON_Delete(sorted);
		r->oom = 1;
		return;
	}
	cJSON_ArrayForEach(it, arr)
		if (in_currency(it, r->ccy)) {
			v[n++] = it;
			if (jmoney(it, "impact", &m) == 0)
				sum += m;
		}
	qsort(v, (size_t)n, sizeof *v, cmp_impact);
	for (int i = 0; i < n; i++)
		cJSON_AddItemReferenceToArray(sorted, (cJSON *)v[i]);
	t = rt_new(r, "anomalies", "Daily cost spikes and level shifts (a step that stays up:"
		   " impact per day since it began), largest first", cols, 8, SHOW_ROWS);
	if (t)
		rt_from_json(r, t, sorted, NULL);
	add_table(r, d, t);
	if (n > 0) {
		jmoney(v[0], "impact", &m);
		jmoney(v[0], "expected", &e);
		sb_printf(&s, "Investigate %s on %s first: %s %s above its usual %s %s a day",
			  jstr(v[0], "service") ? jstr(v[0], "service") : "?",
			  jstr(v[0], "day") ? jstr(v[0], "day") : "?", fm(m), r->ccy, fm(e), r->ccy);
		if (n > 1)
			sb_printf(&s, "; the %d spikes cost %s %s above baseline in all", n, fm(sum), r->ccy);
		sb_puts(&s, ".");
	} else {
		sb_printf(&s, "Nothing to investigate: no daily cost spike above the thresholds in %s"
			  " service-days checked.", fint(jnum(a, "days_checked")));
	}
	para(r, d, B_ACTION, &s);
	cJSON_Delete(sorted);
	free(v);
	free(s.s);
}

static void
sec_forecast(struct rep *r, struct doc *d)
{
	static const struct table_col cols[] = {
		{ "to_date", "So far", CELL_MONEY, 0 },
		{ "days_seen", "Days seen", CELL_INT, 0 },
		{ "days_in_month", "Days", CELL_INT, 0 },
		{ "daily_rate", "Daily rate", CELL_MONEY, 0 },
		{ "projected_remaining", "Still to come", CELL_MONEY, 0 },
		{ "forecast", "Month-end forecast", CELL_MONEY, 0 },
		{ "method", "Method", CELL_TEXT, 0 },
	};
	const cJSON *f = jpath(r->cur, "forecast"), *fc;
	struct strbuf s = { 0 };
	struct rtab *t;
	int64_t fv, rate = 0;

	if (f == NULL)
		return;
	add_block(r, d, B_H2, "Forecast", "forecast", NULL);
	t = rt_new(r, "forecast", "Month-end forecast", cols, 7, 0);
	if (t)
		rt_from_json(r, t, jpath(f, "forecasts"), r->ccy);
	add_table(r, d, t);
	add_chart(r, d, CH_FORECAST);
	fc = jfor_currency(jpath(f, "forecasts"), r->ccy);
	if (fc == NULL || jmoney(fc, "forecast", &fv) != 0) {
		sb_printf(&s, "No forecast yet: wait for a complete day of data in %s.", r->mname);
	} else if (jnum(fc, "days_seen") >= jnum(fc, "days_in_month")) {
		sb_printf(&s, "%s is complete at %s %s (%s vs %s): use it as the baseline for next"
			  " month's budget.", r->mname, fm(fv), r->ccy, r->has_prev ?
			  fchange(fv, r->peff) : "n/a", r->pmname);
	} else {
		jmoney(fc, "daily_rate", &rate);
		sb_printf(&s, "At %s %s a day %s ends near %s %s (%s vs %s): if that is over budget,"
			  " act on the savings above before the month ends.", fm(rate), r->ccy,
			  r->mname, fm(fv), r->ccy, r->has_prev ? fchange(fv, r->peff) :
			  "n/a", r->pmname);
	}
	para(r, d, B_ACTION, &s);
	free(s.s);
}

static const cJSON *
ue_month(const cJSON *doc, const char *month)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, jpath(doc, "unit_economics.months")) {
		const char *m = jstr(it, "month");
		if (m && strcmp(m, month) == 0)
			return it;
	}
	return NULL;
}

static void
sec_unit(struct rep *r, struct doc *d)
{
	static const struct table_col cols[] = {
		{ "month", "Month", CELL_TEXT, 0 },
		{ "cost", "Cost", CELL_MONEY, 0 },
		{ "mau", "MAU", CELL_NUM, 0 },
		{ "dau", "DAU (mean)", CELL_NUM, 0 },
		{ "messages", "Messages", CELL_NUM, 0 },
		{ "peak_connections", "Peak conns", CELL_NUM, 0 },
		{ "cost_per_mau", "Per MAU", CELL_NUM, 6 },
		{ "cost_per_million_messages", "Per 1M msgs", CELL_NUM, 4 },
		{ "cost_per_peak_connection", "Per peak conn", CELL_NUM, 6 },
	};
	const cJSON *u = jpath(r->cur, "unit_economics"), *cm, *pm;
	struct strbuf s = { 0 };
	struct rtab *t;
	cJSON *rows;
	int64_t total = r->save_commit + r->save_idle + r->save_rs, cost = 0;
	double mau, msgs, per, pper;

	if (u == NULL)
		return;
	add_block(r, d, B_H2, "Unit economics", "unit", NULL);
	cm = ue_month(r->cur, r->month);
	pm = r->prev ? ue_month(r->prev, r->pmonth) : NULL;
	rows = cJSON_CreateArray();
	if (rows == NULL) {
		r->oom = 1;
		return;
	}
	if (cm)
		cJSON_AddItemReferenceToArray(rows, (cJSON *)cm);
	if (pm)
		cJSON_AddItemReferenceToArray(rows, (cJSON *)pm);
	t = rt_new(r, "unit-economics", "Cost per user, message and connection", cols, 9, 0);
	if (t)
		rt_from_json(r, t, rows, r->ccy);
	add_table(r, d, t);
	cJSON_Delete(rows);

	mau = jnum(cm, "mau");
	msgs = jnum(cm, "messages");
	if (cm && jmoney(cm, "cost", &cost) == 0 && (mau > 0 || msgs > 0)) {
		struct strbuf after = { 0 };
		if (mau > 0) {
			per = (double)cost / 1e9 / mau;
			pper = jnum(pm, "cost_per_mau");
			sb_printf(&s, "Cost per MAU is %.6f %s (%s vs %s)", per, r->ccy,
				  isfinite(pper) && pper > 0 ? fpct_signed(per / pper - 1) : "n/a", r->pmname);
			sb_printf(&after, "%.6f %s per MAU", (double)(cost - total) / 1e9 / mau, r->ccy);
		}
		if (msgs > 0) {
			per = (double)cost / 1e9 / msgs * 1e6;
			pper = jnum(pm, "cost_per_million_messages");
			sb_printf(&s, "%s %.4f %s per million messages (%s)", s.len ? " and" : "Cost is",
				  per, r->ccy, isfinite(pper) && pper > 0 ? fpct_signed(per / pper - 1) : "n/a");
			sb_printf(&after, "%s%.4f %s per million messages", after.len ? " and " : "",
				  (double)(cost - total) / 1e9 / msgs * 1e6, r->ccy);
		}
		if (total > 0 && !after.oom)
			sb_printf(&s, "; acting on the savings above brings it to %s", after.s);
		else
			sb_puts(&s, "; track it month by month as the user base grows");
		sb_puts(&s, ".");
		free(after.s);
	} else {
		sb_puts(&s, "Import the service metrics (mau, messages, peak_connections of resource"
			" 'service') with the usage logs to track what the service costs per user and per"
			" message.");
	}
	para(r, d, B_ACTION, &s);
	free(s.s);
}

/* Allocation (report --allocation RULES): the rows of allocation.rows[],
 * the unallocated cost, a chart of direct and shared cost per value, and
 * the notes. */
static void
sec_alloc(struct rep *r, struct doc *d)
{
	static const struct table_col cols[] = {
		{ "value", "Value", CELL_TEXT, 0 },
		{ "kind", "Kind", CELL_TEXT, 0 },
		{ "direct_cost", "Direct", CELL_MONEY, 0 },
		{ "shared_cost", "Shared", CELL_MONEY, 0 },
		{ "total_cost", "Total", CELL_MONEY, 0 },
		{ "share", "Share", CELL_PCT, 1 },
	};
	const cJSON *a = jpath(r->cur, "allocation"), *it;
	const char *key = jstr(a, "key"), *ccy = jstr(a, "currency");
	struct strbuf s = { 0 };
	struct rtab *t;
	char title[200];
	int64_t un = 0, tot = 0;

	if (a == NULL || key == NULL)
		return;
	snprintf(title, sizeof title, "Allocation by %s", key);
	add_block(r, d, B_H2, title, "allocation", NULL);
	t = rt_new(r, "allocation", "Direct and shared cost per value", cols, 6, 0);
	if (t)
		rt_from_json(r, t, jpath(a, "rows"), NULL);
	add_table(r, d, t);
	if (jmoney(jpath(a, "unallocated"), "cost", &un) == 0 && jmoney(a, "total_cost", &tot) == 0)
		sb_printf(&s, "Unallocated: %s %s of %s %s (%s): no rule of %s takes these charges;"
			  " tag them or add a rule.", fm(un), ccy ? ccy : "", fm(tot), ccy ? ccy : "",
			  fpct(ratio(un, tot)), jstr(a, "file") ? jstr(a, "file") : "the rules file");
	para(r, d, B_ACTION, &s);
	free(s.s);
	add_chart(r, d, CH_ALLOC);
	cJSON_ArrayForEach(it, jpath(a, "notes"))
		if (cJSON_IsString(it))
			add_block(r, d, B_ITEM, it->valuestring, NULL, NULL);
}

/* "Not assessed": every assessment entry with not_assessed > 0 */
static void
sec_assessment(struct rep *r, struct doc *d)
{
	const cJSON *it;
	struct strbuf s = { 0 };
	int n = 0;

	cJSON_ArrayForEach(it, jpath(r->cur, "assessment")) {
		double na = jnum(it, "not_assessed");
		if (!(na > 0))
			continue;
		if (n++ == 0)
			add_block(r, d, B_H2, "Not assessed", "not-assessed", NULL);
		s.len = 0;
		sb_printf(&s, "%s, %s: %.0f of %.0f not assessed: %s. Fix: %s.", jstr(it, "analysis"),
			  jstr(it, "kind"), na, jnum(it, "eligible"),
			  jstr(it, "reason") ? jstr(it, "reason") : "no reason given",
			  jstr(it, "fix") ? jstr(it, "fix") : "none known");
		if (s.oom)
			r->oom = 1;
		else
			add_block(r, d, B_ITEM, s.s, NULL, NULL);
	}
	free(s.s);
}

static void
sec_notes(struct rep *r, struct doc *d)
{
	static const char *const keys[] = {
		"commitments.notes", "rightsizing.notes", "forecast.notes", "unit_economics.notes"
	};
	const cJSON *it;
	int n = 0;

	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		cJSON_ArrayForEach(it, jpath(r->cur, keys[k]))
			if (cJSON_IsString(it)) {
				if (n++ == 0)
					add_block(r, d, B_H2, "Notes from the analyses", "notes", NULL);
				add_block(r, d, B_ITEM, it->valuestring, NULL, NULL);
			}
}

/* ---- derived figures ---- */

static int
cmp_svc(const void *a, const void *b)
{
	const struct svc *x = a, *y = b;

	if (x->eff != y->eff)
		return x->eff > y->eff ? -1 : 1;
	if (x->prev_eff != y->prev_eff)
		return x->prev_eff > y->prev_eff ? -1 : 1;
	return strcmp(x->name, y->name);
}

static struct svc *
svc_find(struct rep *r, const char *name)
{
	for (int i = 0; i < r->nsvc; i++)
		if (strcmp(r->svc[i].name, name) == 0)
			return &r->svc[i];
	return NULL;
}

static struct svc *
svc_add(struct rep *r, const char *name)
{
	struct svc *s = realloc(r->svc, (size_t)(r->nsvc + 1) * sizeof *s);

	if (s == NULL) {
		r->oom = 1;
		return NULL;
	}
	r->svc = s;
	s = &r->svc[r->nsvc];
	memset(s, 0, sizeof *s);
	if ((s->name = strdup(name)) == NULL) {
		r->oom = 1;
		return NULL;
	}
	r->nsvc++;
	return s;
}

static enum waste_kind
waste_kind(const char *k)
{
	static const struct {
		const char *kind;
		enum waste_kind w;
	} map[] = {
		{ "instance", W_INSTANCE }, { "volume", W_VOLUME }, { "elastic_ip", W_ADDRESS },
		{ "nat_gateway", W_NAT }, { "load_balancer", W_LB }, { "commitment", W_COMMITMENT },
	};
	for (size_t i = 0; k && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(k, map[i].kind) == 0)
			return map[i].w;
	return W_OTHER;
}

static void
derive(struct rep *r)
{
	static const char *const labels[NWASTE] = {
		[W_INSTANCE] = "idle instances", [W_VOLUME] = "unused volumes",
		[W_ADDRESS] = "idle addresses", [W_NAT] = "idle NAT gateways",
		[W_LB] = "idle load balancers", [W_COMMITMENT] = "unused commitments",
		[W_OVERSIZED] = "oversized instances", [W_OTHER] = "other idle resources",
	};
	const cJSON *it;

	cJSON_ArrayForEach(it, jpath(r->sum, "by_service")) {
		const char *n = jstr(it, "service");
		struct svc *s;
		if (n == NULL || (s = svc_add(r, n)) == NULL)
			continue;
		jmoney(it, "billed_cost", &s->billed);
		jmoney(it, "effective_cost", &s->eff);
	}
	if (r->has_prev)
		cJSON_ArrayForEach(it, jpath(r->psum, "by_service")) {
			const char *n = jstr(it, "service");
			struct svc *s;
			if (n == NULL)
				continue;
			if ((s = svc_find(r, n)) == NULL && (s = svc_add(r, n)) == NULL)
				continue;
			jmoney(it, "effective_cost", &s->prev_eff);
			s->in_prev = 1;
		}
	if (r->nsvc > 1)
		qsort(r->svc, (size_t)r->nsvc, sizeof *r->svc, cmp_svc);

	for (int k = 0; k < NWASTE; k++)
		r->waste[k].label = labels[k];
	cJSON_ArrayForEach(it, jpath(r->cur, "idle")) {
		struct waste *w;
		int64_t m, p;
		enum waste_kind k;

		if (!in_currency(it, r->ccy))
			continue;
		k = waste_kind(jstr(it, "kind"));
		w = &r->waste[k];
		w->count++;
		if (jmoney(it, "monthly_cost", &m) != 0) {
			w->unpriced++;
		} else {
			w->monthly += m;
			if (k != W_COMMITMENT)
				r->save_idle += m;
		}
		if (jmoney(it, "period_cost", &p) == 0)
			w->period += p;
		if (k != W_COMMITMENT)
			r->nidle++;
	}
	cJSON_ArrayForEach(it, jpath(r->cur, "rightsizing.recommendations")) {
		int64_t m;
		if (!in_currency(it, r->ccy))
			continue;
		r->waste[W_OVERSIZED].count++;
		r->nrs++;
		if (jmoney(it, "monthly_savings", &m) == 0) {
			r->waste[W_OVERSIZED].monthly += m;
			r->save_rs += m;
		} else {
			r->waste[W_OVERSIZED].unpriced++;
		}
	}
	cJSON_ArrayForEach(it, jpath(r->cur, "commitments.recommendations")) {
		int64_t m;
		if (!in_currency(it, r->ccy))
			continue;
		r->nrec++;
		if (jmoney(it, "monthly_savings", &m) == 0)
			r->save_commit += m;
	}
}

/* ---- writing ---- */

/* s as Markdown text: control characters as spaces, '<' as &lt;, and
 * \ ` [ ] escaped so no text makes a link, an image or code; in a table
 * cell '|' too */
static void
md_text(FILE *f, const char *s, int cell)
{
	for (; s && *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc(' ', f);
		else if (cell && *s == '|')
			fputs("\\|", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '\\' || *s == '`' || *s == '[' || *s == ']')
			fprintf(f, "\\%c", *s);	/* no link, image or code from data */
		else
			fputc(*s, f);
	}
}

static int
right_col(const struct table_col *c)
{
	return c->kind != CELL_TEXT;
}

static int
rows_shown(const struct rtab *t)
{
	return t->show > 0 && t->rows > t->show ? t->show : t->rows;
}

static void
md_table(FILE *f, const struct rtab *t, const char *section)
{
	int n = rows_shown(t);

	if (section == NULL || strcmp(section, t->title) != 0) {
		fputs("### ", f);
		md_text(f, t->title, 0);
		fputs("\n\n", f);
	}
	fputs("|", f);
	for (int c = 0; c < t->ncols; c++) {
		fputc(' ', f);
		md_text(f, t->cols[c].label, 1);
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (int c = 0; c < t->ncols; c++)
		fputs(right_col(&t->cols[c]) ? " ---: |" : " --- |", f);
	fputc('\n', f);
	for (int row = 0; row < n; row++) {
		fputc('|', f);
		for (int c = 0; c < t->ncols; c++) {
			fputc(' ', f);
			md_text(f, t->disp[row * t->ncols + c], 1);
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	if (n < t->rows)
		fprintf(f, "\n%d more rows in [%s.csv](%s.csv).\n", t->rows - n, t->file, t->file);
	fputc('\n', f);
}

static void
header_line(const struct rep *r, struct strbuf *s)
{
	char a[32], b[32];

	sb_printf(s, "Period %s to %s (UTC), amounts in %s", date_format(r->start, a),
		  date_format(r->end - DAY, b), r->ccy);
	if (r->o->generated != (time_t)-1) {
		int64_t t = (int64_t)r->o->generated;
		char ts[32];
		time_format(t, ts);
		ts[10] = ' ';
		ts[16] = '\0';
		sb_printf(s, "; generated %s UTC by imcost", ts);
	}
	sb_puts(s, ".");
}

static void
no_charts_warning(const struct rep *r, struct strbuf *s)
{
	if (r->o->gnuplot == NULL)
		sb_printf(s, "Charts were not drawn: %s. Their gnuplot scripts and data are in this"
			  " directory: install gnuplot and run `gnuplot NAME.gp` there to draw them.",
			  r->o->no_charts_reason ? r->o->no_charts_reason : "gnuplot was not run");
	else if (r->res->chart_failures)
		sb_printf(s, "%d chart%s could not be drawn: %s.", r->res->chart_failures,
			  r->res->chart_failures > 1 ? "s" : "", r->res->chart_error);
}

static int
write_md(struct rep *r, struct doc *d, FILE *f)
{
	struct strbuf s = { 0 };
	const char *section = NULL;
	int in_cards = 0;

	fprintf(f, "# Cloud cost report: %s\n\n", r->mname);
	header_line(r, &s);
	md_text(f, s.s, 0);
	fputs("\n\n", f);
	s.len = 0;
	no_charts_warning(r, &s);
	if (s.len) {
		fputs("> **Warning:** ", f);
		md_text(f, s.s, 0);
		fputs("\n\n", f);
	}
	free(s.s);
	for (int i = 0; i < d->n; i++) {
		const struct block *b = &d->b[i];
		const struct rchart *ch;

		if (in_cards && b->k != B_CARD) {
			fputc('\n', f);
			in_cards = 0;
		}
		switch (b->k) {
		case B_H2:
			section = b->a;
			fprintf(f, "## ");
			md_text(f, b->a, 0);
			fputs("\n\n", f);
			break;
		case B_P:
			md_text(f, b->a, 0);
			fputs("\n\n", f);
			break;
		case B_ACTION:
			fputs("> **What to do:** ", f);
			md_text(f, b->a, 0);
			fputs("\n\n", f);
			break;
		case B_WARN:
			fputs("> **Warning:** ", f);
			md_text(f, b->a, 0);
			fputs("\n\n", f);
			break;
		case B_ITEM:
			fputs("- ", f);
			md_text(f, b->a, 0);
			fputc('\n', f);
			if (i + 1 == d->n || d->b[i + 1].k != B_ITEM)
				fputc('\n', f);
			break;
		case B_CARD:
			fputs("- **", f);
			md_text(f, b->a, 0);
			fputs(":** ", f);
			md_text(f, b->b, 0);
			if (b->c && *b->c) {
				fputs(" (", f);
				md_text(f, b->c, 0);
				fputc(')', f);
			}
			fputc('\n', f);
			in_cards = 1;
			break;
		case B_TABLE:
			md_table(f, b->t, section);
			break;
		case B_CHART:
			ch = &r->charts[b->chart];
			if (ch->drawn) {
				fprintf(f, "![");
				md_text(f, ch->title, 0);
				fprintf(f, "](%s.png)\n\n*%s.png and %s.svg; restyle with %s.gp (data in"
					" %s.dat).", ch->name, ch->name, ch->name, ch->name, ch->name);
				if (ch->note[0]) {
					fputc(' ', f);
					md_text(f, ch->note, 0);
				}
				fputs("*\n\n", f);
			} else if (ch->written) {
				fprintf(f, "*Chart not drawn: ");
				md_text(f, ch->title, 0);
				fprintf(f, " (script %s.gp, data %s.dat).*\n\n", ch->name, ch->name);
			} else if (ch->note[0]) {
				fputc('*', f);
				md_text(f, ch->note, 0);
				fputs("*\n\n", f);
			}
			break;
		}
	}
	fputs("## Files\n\nEvery table is also a CSV file in this directory:", f);
	for (int i = 0; i < d->ntabs; i++)
		fprintf(f, "%s [%s.csv](%s.csv)", i ? "," : "", d->tabs[i]->file, d->tabs[i]->file);
	fputs(".\n", f);
	return 0;
}

static const char css[] =
	"*{box-sizing:border-box}"
	"body{margin:0;background:#f4f5f7;color:#1d2330;font:15px/1.5 -apple-system,'Segoe UI',"
	"Roboto,'Noto Sans','Noto Sans CJK SC','Helvetica Neue',Arial,sans-serif}"
	"main{max-width:1180px;margin:0 auto;padding:28px 32px 48px;background:#fff;"
	"min-height:100vh}"
	"h1{font-size:28px;margin:0 0 4px}"
	"h2{font-size:21px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid #0072b2}"
	"h3{font-size:15px;margin:20px 0 8px;color:#333}"
	".meta{color:#5b6475;margin:0 0 16px}"
	"nav{margin:8px 0 20px;font-size:14px}nav a{margin-right:14px;color:#0072b2;"
	"text-decoration:none}"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;"
	"margin:12px 0 16px}"
	".card{border:1px solid #d8dde6;border-left:5px solid #0072b2;border-radius:6px;"
	"padding:10px 14px;background:#fafbfc}"
	".card .label{font-size:13px;color:#5b6475;text-transform:uppercase;letter-spacing:.03em}"
	".card .value{font-size:21px;font-weight:600;margin:2px 0;overflow-wrap:anywhere}"
	".card .detail{font-size:12.5px;color:#5b6475}"
	".action{background:#eef6ec;border-left:5px solid #009e73;padding:10px 14px;margin:14px 0;"
	"border-radius:4px}"
	".action strong{color:#00634a}"
	".warn{background:#fff4e0;border-left:5px solid #e69f00;padding:10px 14px;margin:14px 0;"
	"border-radius:4px}"
	"table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13.5px}"
	"th,td{padding:5px 8px;border-bottom:1px solid #e3e6eb;text-align:left;"
	"vertical-align:top}"
	"th{background:#eef1f5;font-weight:600}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"tbody tr:nth-child(even){background:#f8f9fb}"
	".scroll{overflow-x:auto}"
	".more{font-size:13px;color:#5b6475}"
	"figure{margin:16px 0}figure img{max-width:100%;height:auto;border:1px solid #e3e6eb}"
	"figcaption{font-size:13px;color:#5b6475}"
	".nochart{font-style:italic;color:#5b6475}"
	"ul{margin:6px 0 12px}"
	"@media print{body{background:#fff}main{padding:0}h2{break-before:auto}"
	"figure,table{break-inside:avoid}}";

static void
html_table(FILE *f, const struct rtab *t, const char *section)
{
	int n = rows_shown(t);

	if (section == NULL || strcmp(section, t->title) != 0) {
		fputs("<h3>", f);
		html_escape(f, t->title);
		fputs("</h3>\n", f);
	}
	fputs("<div class=\"scroll\"><table>\n<thead><tr>", f);
	for (int c = 0; c < t->ncols; c++) {
		fputs(right_col(&t->cols[c]) ? "<th class=\"n\">" : "<th>", f);
		html_escape(f, t->cols[c].label);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (int row = 0; row < n; row++) {
		fputs("<tr>", f);
		for (int c = 0; c < t->ncols; c++) {
			fputs(right_col(&t->cols[c]) ? "<td class=\"n\">" : "<td>", f);
			html_escape(f, t->disp[row * t->ncols + c]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	if (n < t->rows) {
		fprintf(f, "<p class=\"more\">%d more rows in <a href=\"", t->rows - n);
		html_escape(f, t->file);
		fputs(".csv\">", f);
		html_escape(f, t->file);
		fputs(".csv</a>.</p>\n", f);
	}
}

static int
write_html(struct rep *r, struct doc *d, FILE *f)
{
	struct strbuf s = { 0 };
	const char *section = NULL;
	int in_cards = 0, in_list = 0;
	char path[4096];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"imcost report\">\n<title>Cloud cost report: ", f);
	html_escape(f, r->mname);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>Cloud cost report: ", css);
	html_escape(f, r->mname);
	fputs("</h1>\n<p class=\"meta\">", f);
	header_line(r, &s);
	html_escape(f, s.s);
	fputs("</p>\n<nav>", f);
	for (int i = 0; i < d->n; i++)
		if (d->b[i].k == B_H2) {
			fputs("<a href=\"#", f);
			html_escape(f, d->b[i].b);
			fputs("\">", f);
			html_escape(f, d->b[i].a);
			fputs("</a>", f);
		}
	fputs("</nav>\n", f);
	s.len = 0;
	no_charts_warning(r, &s);
	if (s.len) {
		fputs("<div class=\"warn\"><strong>Warning:</strong> ", f);
		html_escape(f, s.s);
		fputs("</div>\n", f);
	}
	free(s.s);
	for (int i = 0; i < d->n; i++) {
		const struct block *b = &d->b[i];
		const struct rchart *ch;

		if (in_cards && b->k != B_CARD) {
			fputs("</div>\n", f);
			in_cards = 0;
		}
		if (in_list && b->k != B_ITEM) {
			fputs("</ul>\n", f);
			in_list = 0;
		}
		switch (b->k) {
		case B_H2:
			section = b->a;
			fputs("<h2 id=\"", f);
			html_escape(f, b->b);
			fputs("\">", f);
			html_escape(f, b->a);
			fputs("</h2>\n", f);
			break;
		case B_P:
			fputs("<p>", f);
			html_escape(f, b->a);
			fputs("</p>\n", f);
			break;
		case B_ACTION:
			fputs("<div class=\"action\"><strong>What to do:</strong> ", f);
			html_escape(f, b->a);
			fputs("</div>\n", f);
			break;
		case B_WARN:
			fputs("<div class=\"warn\"><strong>Warning:</strong> ", f);
			html_escape(f, b->a);
			fputs("</div>\n", f);
			break;
		case B_ITEM:
			if (!in_list)
				fputs("<ul>\n", f);
			in_list = 1;
			fputs("<li>", f);
			html_escape(f, b->a);
			fputs("</li>\n", f);
			break;
		case B_CARD:
			if (!in_cards)
				fputs("<div class=\"cards\">\n", f);
			in_cards = 1;
			fputs("<div class=\"card\"><div class=\"label\">", f);
			html_escape(f, b->a);
			fputs("</div><div class=\"value\">", f);
			html_escape(f, b->b);
			fputs("</div><div class=\"detail\">", f);
			html_escape(f, b->c);
			fputs("</div></div>\n", f);
			break;
		case B_TABLE:
			html_table(f, b->t, section);
			break;
		case B_CHART:
			ch = &r->charts[b->chart];
			snprintf(path, sizeof path, "%s/%s.png", r->o->dir, ch->name);
			if (ch->drawn) {
				fputs("<figure>", f);
				if (html_embed_png(f, path, ch->title) != 0)
					return -1;
				fputs("<figcaption>", f);
				html_escape(f, ch->title);
				fprintf(f, ". Files: %s.png, %s.svg; restyle with %s.gp (data in %s.dat).",
					ch->name, ch->name, ch->name, ch->name);
				if (ch->note[0]) {
					fputc(' ', f);
					html_escape(f, ch->note);
				}
				fputs("</figcaption></figure>\n", f);
			} else if (ch->written) {
				fputs("<p class=\"nochart\">Chart not drawn: ", f);
				html_escape(f, ch->title);
				fprintf(f, " (script %s.gp, data %s.dat).</p>\n", ch->name, ch->name);
			} else if (ch->note[0]) {
				fputs("<p class=\"nochart\">", f);
				html_escape(f, ch->note);
				fputs("</p>\n", f);
			}
			break;
		}
	}
	if (in_cards)
		fputs("</div>\n", f);
	if (in_list)
		fputs("</ul>\n", f);
	fputs("<h2 id=\"files\">Files</h2>\n<p>Every table is also a CSV file in this directory:", f);
	for (int i = 0; i < d->ntabs; i++) {
		fprintf(f, "%s <a href=\"", i ? "," : "");
		html_escape(f, d->tabs[i]->file);
		fputs(".csv\">", f);
		html_escape(f, d->tabs[i]->file);
		fputs(".csv</a>", f);
	}
	fputs(".</p>\n</main>\n</body>\n</html>\n", f);
	return 0;
}

/* write DIR/name through a fresh temporary file renamed into place */
static int
write_out(struct rep *r, struct doc *d, const char *name,
	  int (*fn)(struct rep *, struct doc *, FILE *), struct ic_error *err)
{
	struct outfile of;

	if (outfile_open(&of, r->dirfd, r->o->dir, name, err) != 0)
		return -1;
	if (fn(r, d, of.f) != 0) {
		outfile_abort(&of);
		return ic_errorf(err, "%s/%s: cannot embed a chart", r->o->dir, name);
	}
	if (outfile_commit(&of, err) != 0)
		return -1;
	rep_file(r, name);
	return 0;
}

static int
write_csv(struct rep *r, struct rtab *t, struct ic_error *err)
{
	struct outfile of;
	char name[80];

	snprintf(name, sizeof name, "%s.csv", t->file);
	if (outfile_open(&of, r->dirfd, r->o->dir, name, err) != 0)
		return -1;
	if (table_print(t->t, of.f, FMT_CSV) != 0) {
		outfile_abort(&of);
		return ic_errorf(err, "%s/%s: write error", r->o->dir, name);
	}
	if (outfile_commit(&of, err) != 0)
		return -1;
	rep_file(r, name);
	r->res->tables++;
	return 0;
}

/* mkdir -p */
static int
make_dir(const char *dir, struct ic_error *err)
{
	char p[4096];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof p)
		return ic_errorf(err, "bad output directory '%s'", dir);
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return ic_errorf(err, "%s: %s", p, strerror(errno));
		p[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ic_errorf(err, "%s: not a directory", dir);
	return 0;
}

int
report_write(const cJSON *cur, const cJSON *prev, const struct report_opts *o,
	     struct report_result *res, struct ic_error *err)
{
	static const char *const chart_names[NCHARTS] = {
		[CH_DAILY] = "daily-cost", [CH_MOM] = "month-over-month",
		[CH_COMMIT] = "commitment-usage", [CH_WASTE] = "waste-by-kind",
		[CH_FORECAST] = "forecast", [CH_ALLOC] = "allocation",
	};
	struct rep r;
	struct doc d;
	const char *ps, *pe;
	int64_t rows = 0;
	int y, rc = -1;
	unsigned m, dd;

	memset(&r, 0, sizeof r);
	memset(&d, 0, sizeof d);
	r.dirfd = -1;
	r.cur = cur;
	r.prev = prev;
	r.o = o;
	r.res = res;
	r.ccy = jstr(cur, "currency");
	r.sum = jpath(cur, "summary");
	ps = jstr(jpath(cur, "period"), "start");
	pe = jstr(jpath(cur, "period"), "end");
	if (r.sum == NULL || ps == NULL || pe == NULL ||
	    time_parse(ps, strlen(ps), 0, &r.start) != NUM_OK ||
	    time_parse(pe, strlen(pe), 0, &r.end) != NUM_OK || r.end <= r.start)
		return ic_errorf(err, "the analyses gave no summary and period to report on");
	if (r.ccy == NULL)
		return ic_errorf(err, "no charges in %s", ps);
	r.days = (int)((r.end - r.start + DAY - 1) / DAY);
	if (r.days > 366)
		return ic_errorf(err, "a report covers one month, not %d days", r.days);
	civil_from_days(r.start / DAY, &y, &m, &dd);
	snprintf(r.month, sizeof r.month, "%04d-%02u", y, m);
	snprintf(r.mname, sizeof r.mname, "%s %d", month_name((int)m), y);
	civil_from_days(month_start(r.start - 1) / DAY, &y, &m, &dd);
	snprintf(r.pmonth, sizeof r.pmonth, "%04d-%02u", y, m);
	snprintf(r.pmname, sizeof r.pmname, "%s %d", month_name((int)m), y);
	jmoney(r.sum, "billed_cost", &r.billed);
	jmoney(r.sum, "effective_cost", &r.eff);
	if (prev) {
		r.psum = jfor_currency(jpath(prev, "summaries"), r.ccy);
		if (r.psum && !jstr(r.psum, "currency"))
			r.psum = NULL;
		if (r.psum) {
			rows = (int64_t)jnum(r.psum, "rows");
			r.has_prev = rows > 0;
			jmoney(r.psum, "billed_cost", &r.pbilled);
			jmoney(r.psum, "effective_cost", &r.peff);
		}
		if (!r.has_prev)
			r.psum = NULL;
	}
	for (int i = 0; i < NCHARTS; i++)
		r.charts[i].name = chart_names[i];

	if (make_dir(o->dir, err) != 0)
		return -1;
	r.dirfd = outdir_open(o->dir, o->follow_out_link, err);
	if (r.dirfd < 0)
		return -1;
	derive(&r);
	if (r.oom)
		goto oom;
	if (rep_charts(&r, err) != 0)
		goto out;

	sec_summary(&r, &d);
	sec_services(&r, &d);
	sec_account_region(&r, &d, 0);
	sec_account_region(&r, &d, 1);
	sec_groups(&r, &d);
	sec_resources(&r, &d);
	sec_commitments(&r, &d);
	sec_waste(&r, &d);
	sec_anomalies(&r, &d);
	sec_forecast(&r, &d);
	sec_unit(&r, &d);
	sec_alloc(&r, &d);
	sec_assessment(&r, &d);
	sec_notes(&r, &d);
	if (r.oom)
		goto oom;
	for (int i = 0; i < d.ntabs; i++)
		if (write_csv(&r, d.tabs[i], err) != 0)
			goto out;
	if (write_out(&r, &d, "report.md", write_md, err) != 0 ||
	    write_out(&r, &d, "report.html", write_html, err) != 0)
		goto out;
	if (r.oom)
		goto oom;
	rc = 0;
	goto out;
oom:
	ic_errorf(err, "out of memory");
out:
	doc_free(&d);
	if (r.dirfd >= 0)
		close(r.dirfd);
	for (int i = 0; i < r.nsvc; i++)
		free(r.svc[i].name);
	free(r.svc);
	return rc;
}
