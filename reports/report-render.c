/*
 * report-render.c - the monthly report's blocks written as report.md and
 * as one self-contained report.html (inline CSS, charts embedded as PNG
 * data: URIs).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/jsonget.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/html.h"
#include "reports/report-int.h"
#include "output/table.h"

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
header_line(const struct rep *r, struct sbuf *s)
{
	char a[32], b[32];

	sbuf_printf(s, "Period %s to %s (UTC), amounts in %s", date_format(r->start, a),
		  date_format(r->end - DAY, b), r->ccy);
	if (r->o->generated != (time_t)-1) {
		int64_t t = (int64_t)r->o->generated;
		char ts[32];
		time_format(t, ts);
		ts[10] = ' ';
		ts[16] = '\0';
		sbuf_printf(s, "; generated %s UTC by imcost", ts);
	}
	sbuf_puts(s, ".");
}

static void
no_charts_warning(const struct rep *r, struct sbuf *s)
{
	if (r->o->gnuplot == NULL)
		sbuf_printf(s, "Charts were not drawn: %s. Their gnuplot scripts and data are in this"
			  " directory: install gnuplot and run `gnuplot NAME.gp` there to draw them.",
			  r->o->no_charts_reason ? r->o->no_charts_reason : "gnuplot was not run");
	else if (r->res->chart_failures)
		sbuf_printf(s, "%d chart%s could not be drawn: %s.", r->res->chart_failures,
			  r->res->chart_failures > 1 ? "s" : "", r->res->chart_error);
}

int
write_md(struct rep *r, struct doc *d, FILE *f)
{
	struct sbuf s = { 0 };
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

int
write_html(struct rep *r, struct doc *d, FILE *f)
{
	struct sbuf s = { 0 };
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
