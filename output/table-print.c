/*
 * table-print.c - a table printed in one of its four forms (table_print,
 * table_to_json): aligned for the terminal (columns fitted into the
 * width table_set_width gave, colour when table_set_color asked),
 * Markdown, RFC 4180 CSV (formula-like text quoted) and JSON.
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


static int out_width;		/* table_set_width; 0: never cut */
static int out_color;		/* table_set_color */

void
table_set_color(int on)
{
	out_color = on != 0;
}

int
table_color(void)
{
	return out_color;
}

void
table_set_width(int width)
{
	out_width = width > 0 ? width : 0;
}

int
table_width(void)
{
	return out_width;
}

/* ---- the four forms ------------------------------------------------- */

static int
right_aligned(const struct table_col *c)
{
	return c->kind != CELL_TEXT;
}

static void
put_spaces(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

enum clean { CLEAN_PLAIN, CLEAN_MD, CLEAN_MD_CELL };

/*
 * Write s with control bytes as spaces.  CLEAN_MD (a Markdown title) also
 * backslash-escapes the characters that would make a link, an image, code
 * or HTML (\ ` [ ] < >), so data stays text; CLEAN_MD_CELL also '|'.
 */
static void
put_clean(FILE *out, const char *s, enum clean how)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fputc(' ', out);
		else if (how != CLEAN_PLAIN && (strchr("\\`[]<>", c) != NULL ||
						(how == CLEAN_MD_CELL && c == '|')))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

/* As put_padded, the text (not the padding) in the SGR colour sgr
 * ("1", "31"; NULL: none). */
static void
put_padded_sgr(FILE *out, const char *s, size_t width, int right, int last, const char *sgr)
{
	size_t w = display_width(s);
	size_t pad = w < width ? width - w : 0;

	if (right)
		put_spaces(out, pad);
	if (sgr != NULL && *s != '\0')
		fprintf(out, "\033[%sm", sgr);
	put_clean(out, s, CLEAN_PLAIN);
	if (sgr != NULL && *s != '\0')
		fputs("\033[0m", out);
	if (!right && !last)
		put_spaces(out, pad);
}


/*
 * The Total row: the sums of the columns marked sum, when the table has at
 * least two rows, no sum overflows and every row has the same currency (a
 * column keyed "currency").  Returns 1 and fills tot (ncols cells, V_NULL
 * where nothing is summed), or 0 when there is no Total row.
 */
static int
total_row(const struct table *t, struct cell *tot)
{
	int any = 0, cur = -1;

	if (t->nrows < 2)
		return 0;
	for (int c = 0; c < t->ncols; c++) {
		tot[c].tag = V_NULL;
		if (t->cols[c].key && strcmp(t->cols[c].key, "currency") == 0)
			cur = c;
		if (col_sum(t, c))
			any = 1;
	}
	if (!any)
		return 0;
	if (cur >= 0)
		for (int r = 1; r < t->nrows; r++) {
			const struct cell *a = &t->rows[0][cur], *b = &t->rows[r][cur];
			if (a->tag != b->tag || (a->tag == V_TEXT && strcmp(a->u.s, b->u.s) != 0))
				return 0;
		}
	for (int c = 0; c < t->ncols; c++) {
		int64_t sum = 0;
		int seen = 0;
		if (!col_sum(t, c))
			continue;
		for (int r = 0; r < t->nrows; r++) {
			const struct cell *x = &t->rows[r][c];
			if (x->tag != V_MONEY && x->tag != V_INT)
				continue;
			if (__builtin_add_overflow(sum, x->u.i, &sum))
				return 0;
			seen = 1;
		}
		if (seen) {
			tot[c].tag = t->cols[c].kind == CELL_MONEY ? V_MONEY : V_INT;
			tot[c].u.i = sum;
		}
	}
	if (t->ncols > 0 && tot[0].tag == V_NULL) {
		tot[0].tag = V_TEXT;
		tot[0].u.s = (char *)"Total";
	}
	return 1;
}

/* The text of a cell cut to width w (a text cell only; numbers never are). */
static const char *
fit_cell(const char *s, const struct cell *c, size_t w, char *buf, size_t size)
{
	if (s == NULL || c->tag != V_TEXT || display_width(s) <= w)
		return s;
	if (strchr(s, ' ') != NULL)
		text_fit(s, w, buf, size);
	else
		text_shorten_id(s, w, buf, size);
	return buf;
}

/* Display width of the shown columns with their separators. */
static size_t
shown_width(const struct table *t, const size_t *width, const char *show)
{
	size_t w = 0;
	int n = 0;

	for (int c = 0; c < t->ncols; c++)
		if (show[c]) {
			w += width[c] + (n ? 2 : 0);
			n++;
		}
	return w;
}

/* Does text column c hold prose (a cell with a space)? */
static int
prose_col(const struct table *t, int c)
{
	for (int r = 0; r < t->nrows; r++)
		if (t->rows[r][c].tag == V_TEXT && strchr(t->rows[r][c].u.s, ' ') != NULL)
			return 1;
	return 0;
}

/* Shrink the widest shown text column of the kind (prose or not) that is
 * wider than its floor (its label, at least minw).  0 when none could. */
static int
shrink_one(const struct table *t, size_t *width, const char *show, int prose, size_t minw)
{
	size_t W = (size_t)out_width, floor = 0, excess;
	int best = -1;

	for (int c = 0; c < t->ncols; c++) {
		size_t m = display_width(t->cols[c].label ? t->cols[c].label : "");
		if (m < minw)
			m = minw;
		if (show[c] && t->cols[c].kind == CELL_TEXT && width[c] > m &&
		    prose_col(t, c) == prose && (best < 0 || width[c] > width[best])) {
			best = c;
			floor = m;
		}
	}
	if (best < 0)
		return 0;
	excess = shown_width(t, width, show) - W;
	width[best] -= excess < width[best] - floor ? excess : width[best] - floor;
	return 1;
}

/*
 * Fit the columns into out_width: shorten ids to 32 columns and prose to
 * 24, hide the
 * columns of highest prio, then shrink prose columns (not below 16 columns), ids (not below 20, then
 * 10), then hide columns from the right (the first stays).
 */
static void
fit_columns(const struct table *t, size_t *width, char *show)
{
	size_t W = (size_t)out_width;

	if (W == 0)
		return;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 32))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 24))
		;
	while (shown_width(t, width, show) > W) {
		int best = -1;
		for (int c = 0; c < t->ncols; c++)
			if (show[c] && col_prio(t, c) > 0 &&
			    (best < 0 || col_prio(t, c) >= col_prio(t, best)))
				best = c;
		if (best < 0)
			break;
		show[best] = 0;
	}
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 16))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 20))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 8))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 10))
		;
	for (int c = t->ncols - 1; c > 0 && shown_width(t, width, show) > W; c--)
		show[c] = 0;
}

static void
print_row(const struct table *t, FILE *out, const struct cell *row, const size_t *width,
	  const char *show, int last, int total)
{
	char buf[CELL_BUF], fit[CELL_BUF];
	const char *s;
	int first = 1;

	for (int c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		s = render_cell(t, &row[c], c, FMT_TABLE, buf, sizeof buf);
		s = fit_cell(s, &row[c], width[c], fit, sizeof fit);
		if (!first)
			fputs("  ", out);
		first = 0;
		{
			/* colour (table_set_color): Total bold, negative numbers red */
			int neg = (row[c].tag == V_MONEY || row[c].tag == V_INT) ? row[c].u.i < 0 :
				  row[c].tag == V_DBL && row[c].u.d < 0 && s && s[0] == '-';
			const char *sgr = !out_color ? NULL : neg ? (total ? "1;31" : "31") :
					  total ? "1" : NULL;
			put_padded_sgr(out, s ? s : "", width[c], right_aligned(&t->cols[c]), c == last,
				       sgr);
		}
	}
	fputc('\n', out);
}

static void
print_rule(const struct table *t, FILE *out, const size_t *width, const char *show)
{
	int first = 1;

	for (int c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		if (!first)
			fputs("  ", out);
		first = 0;
		for (size_t k = 0; k < width[c]; k++)
			fputc('-', out);
	}
	fputc('\n', out);
}

static int
print_aligned(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	size_t *width;
	struct cell *tot;
	char *show;
	const char *s;
	int r, c, has_total, last = -1, first = 1;

	width = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *width);
	show = malloc(t->ncols > 0 ? (size_t)t->ncols : 1);
	tot = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *tot);
	if (width == NULL || show == NULL || tot == NULL) {
		free(width);
		free(show);
		free(tot);
		return -1;
	}
	has_total = total_row(t, tot);
	for (c = 0; c < t->ncols; c++) {
		show[c] = 1;
		width[c] = display_width(t->cols[c].label ? t->cols[c].label : "");
		for (r = 0; r <= t->nrows; r++) {
			const struct cell *x = r < t->nrows ? &t->rows[r][c] : &tot[c];
			if (r == t->nrows && !has_total)
				break;
			s = render_cell(t, x, c, FMT_TABLE, buf, sizeof buf);
			if (s != NULL && display_width(s) > width[c])
				width[c] = display_width(s);
		}
	}
	fit_columns(t, width, show);
	for (c = 0; c < t->ncols; c++)
		if (show[c])
			last = c;
	if (t->title != NULL) {
		char tb[CELL_BUF];
		put_clean(out, out_width ? (text_fit(t->title, (size_t)out_width, tb, sizeof tb), tb) :
			  t->title, CLEAN_PLAIN);
		fputc('\n', out);
	}
	for (c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		if (!first)
			fputs("  ", out);
		first = 0;
		put_padded_sgr(out, t->cols[c].label ? t->cols[c].label : "", width[c],
		    right_aligned(&t->cols[c]), c == last, out_color ? "1" : NULL);
	}
	fputc('\n', out);
	print_rule(t, out, width, show);
	for (r = 0; r < t->nrows; r++)
		print_row(t, out, t->rows[r], width, show, last, 0);
	if (has_total && !show[0]) {
		/* the label moves to the first shown column left empty */
		for (c = 1; c < t->ncols; c++)
			if (show[c] && tot[c].tag == V_NULL && width[c] >= 5) {
				tot[c] = tot[0];
				break;
			}
	}
	if (has_total) {
		print_rule(t, out, width, show);
		print_row(t, out, tot, width, show, last, 1);
	}
	/* what --wide would add */
	{
		char note[CELL_BUF], fitted[CELL_BUF];
		size_t o = 0;
		note[0] = '\0';
		for (c = 0; c < t->ncols; c++)
			if (!show[c]) {
				const char *l = t->cols[c].label ? t->cols[c].label : t->cols[c].key;
				if (o == 0)
					text_append(note, sizeof note, &o, "  (--wide adds: ", 16);
				else
					text_append(note, sizeof note, &o, ", ", 2);
				text_append(note, sizeof note, &o, l, strlen(l));
			}
		if (o > 0) {
			text_append(note, sizeof note, &o, ")", 1);
			text_fit(note, (size_t)out_width, fitted, sizeof fitted);
			put_clean(out, fitted, CLEAN_PLAIN);
			fputc('\n', out);
		}
	}
	free(width);
	free(show);
	free(tot);
	return 0;
}

static void
print_markdown(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	const char *s;
	int r, c;

	if (t->title != NULL) {
		fputs("### ", out);
		put_clean(out, t->title, CLEAN_MD);
		fputs("\n\n", out);
	}
	fputc('|', out);
	for (c = 0; c < t->ncols; c++) {
		fputc(' ', out);
		put_clean(out, t->cols[c].label ? t->cols[c].label : "", CLEAN_MD_CELL);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (c = 0; c < t->ncols; c++)
		fputs(right_aligned(&t->cols[c]) ? " ---: |" : " --- |", out);
	fputc('\n', out);
	for (r = 0; r < t->nrows; r++) {
		fputc('|', out);
		for (c = 0; c < t->ncols; c++) {
			s = render_cell(t, &t->rows[r][c], c, FMT_MARKDOWN, buf, sizeof buf);
			fputc(' ', out);
			put_clean(out, s ? s : "", CLEAN_MD_CELL);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
	if (t->ncols > 0) {
		struct cell *tot = calloc((size_t)t->ncols, sizeof *tot);
		if (tot != NULL && total_row(t, tot)) {
			fputc('|', out);
			for (c = 0; c < t->ncols; c++) {
				s = render_cell(t, &tot[c], c, FMT_MARKDOWN, buf, sizeof buf);
				fputs(c == 0 ? " **" : " ", out);
				put_clean(out, s ? s : "", CLEAN_MD_CELL);
				fputs(c == 0 ? "** |" : " |", out);
			}
			fputc('\n', out);
		}
		free(tot);
	}
}

/*
 * A text cell a spreadsheet would read as a formula (starting with =, +,
 * -, @, tab or CR: "=HYPERLINK(...)", "-cmd|..."), written with a leading
 * ' so that it stays text when the CSV is opened in Excel or LibreOffice
 * (OWASP's advice for CSV injection).  A lone "-" is left alone.
 */
static int
csv_formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL && strcmp(s, "-") != 0;
}

static void
put_csv_field(FILE *out, const char *s, int text)
{
	if (text && csv_formula_like(s)) {
		fputs("\"'", out);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
		return;
	}
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
print_csv(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	const char *s;
	int r, c;

	for (c = 0; c < t->ncols; c++) {
		if (c > 0)
			fputc(',', out);
		put_csv_field(out, t->cols[c].key ? t->cols[c].key : "", 1);
	}
	fputc('\n', out);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c > 0)
				fputc(',', out);
			s = render_cell(t, &t->rows[r][c], c, FMT_CSV, buf, sizeof buf);
			if (s != NULL)
				put_csv_field(out, s, t->rows[r][c].tag == V_TEXT);
		}
		fputc('\n', out);
	}
}

cJSON *
json_money(int64_t nanos)
{
	char buf[40];

	return cJSON_CreateRaw(money_format_json(nanos, buf));
}

cJSON *
table_to_json(const struct table *t)
{
	char buf[CELL_BUF];
	cJSON *arr, *obj, *item;
	const char *s;
	int r, c;

	if (t == NULL)
		return NULL;
	arr = cJSON_CreateArray();
	if (arr == NULL)
		return NULL;
	for (r = 0; r < t->nrows; r++) {
		obj = cJSON_CreateObject();
		if (obj == NULL)
			goto fail;
		cJSON_AddItemToArray(arr, obj);
		for (c = 0; c < t->ncols; c++) {
			const struct cell *cl = &t->rows[r][c];

			s = render_cell(t, cl, c, FMT_JSON, buf, sizeof buf);
			if (s == NULL)
				item = cJSON_CreateNull();
			else if (cl->tag == V_TEXT)
				item = cJSON_CreateString(s);
			else
				item = cJSON_CreateRaw(s);
			if (item == NULL)
				goto fail;
			cJSON_AddItemToObject(obj, t->cols[c].key ? t->cols[c].key : "", item);
		}
	}
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
}

static int
print_json(const struct table *t, FILE *out)
{
	cJSON *arr = table_to_json(t);
	char *text;

	if (arr == NULL)
		return -1;
	text = cJSON_Print(arr);
	cJSON_Delete(arr);
	if (text == NULL)
		return -1;
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	return 0;
}

int
table_print(const struct table *t, FILE *out, enum out_format fmt)
{
	int rc = 0;

	if (t == NULL || out == NULL)
		return -1;
	switch (fmt) {
	case FMT_TABLE:
		rc = print_aligned(t, out);
		break;
	case FMT_MARKDOWN:
		print_markdown(t, out);
		break;
	case FMT_CSV:
		print_csv(t, out);
		break;
	case FMT_JSON:
		rc = print_json(t, out);
		break;
	default:
		return -1;
	}
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return rc;
}

int
out_format_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "table") == 0)
		return FMT_TABLE;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	if (strcmp(s, "csv") == 0)
		return FMT_CSV;
	if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		return FMT_MARKDOWN;
	return -1;
}
