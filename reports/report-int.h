/*
 * report-int.h - what the report-*.c files and report-charts.c share: reading the
 * analyzers' JSON document, and the figures derived from it once (not a
 * public API; see report.h).
 */
#ifndef IMCOST_REPORT_INT_H
#define IMCOST_REPORT_INT_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "output/table.h"
#include "reports/chart.h"
#include "reports/report.h"

/* ---- reading the document (json_path, json_str: common/jsonget.h) ---- */

/* Member key of o as exact money (nanos): 0, or -1 when absent, null or
 * not a number. */
int jmoney(const cJSON *o, const char *key, int64_t *v);
/* Member key of o as a double; NAN when absent, null or not a number. */
double jnum(const cJSON *o, const char *key);
/* The first element of array arr whose "currency" is ccy (or that has no
 * currency), or NULL. */
const cJSON *jfor_currency(const cJSON *arr, const char *ccy);

/* ---- derived figures ---- */

struct svc {
	char *name;
	int64_t billed, eff;	/* this month */
	int64_t prev_eff;	/* the previous month (0 when absent) */
	int in_prev;
};

/* waste kinds, in the order they are shown */
enum waste_kind {
	W_INSTANCE, W_VOLUME, W_ADDRESS, W_NAT, W_LB, W_COMMITMENT, W_OVERSIZED, W_OTHER, NWASTE
};

struct waste {
	const char *label;	/* "idle instances" */
	int count;		/* findings */
	int unpriced;		/* findings without a monthly cost */
	int64_t monthly;	/* sum of the priced ones' monthly cost */
	int64_t period;		/* sum of their cost in the period */
};

enum chart_id { CH_DAILY, CH_MOM, CH_COMMIT, CH_WASTE, CH_FORECAST, CH_ALLOC, NCHARTS };

struct rchart {
	const char *name;	/* file base name */
	char title[200];
	int written;		/* .dat and .gp written */
	int drawn;		/* PNG and SVG made */
	char note[300];		/* why it is missing, or what it shows */
};

struct rep {
	const cJSON *cur, *prev;
	const cJSON *sum;	/* the month's summary of the main currency */
	const cJSON *psum;	/* the previous month's summary of that currency, or NULL */
	const char *ccy;	/* main currency code */
	int64_t start, end;	/* the month, [start, end) */
	int days;		/* days in the month */
	char month[16], pmonth[16];	/* "2026-10" */
	char mname[32], pmname[32];	/* "October 2026" */
	int64_t billed, eff, pbilled, peff;
	int has_prev;		/* the previous month has charges in this currency */

	struct svc *svc;	/* union of both months' services, by eff desc */
	int nsvc;

	struct waste waste[NWASTE];
	int64_t save_commit;	/* recommended purchases, per month */
	int64_t save_idle;	/* idle resources other than commitments, per month */
	int64_t save_rs;	/* rightsizing, per month */
	int nrec, nidle, nrs;	/* how many of each */

	struct rchart charts[NCHARTS];
	const struct report_opts *o;
	int dirfd;		/* o->dir opened (common/outfile.h) */
	struct report_result *res;
	int oom;
};

/* "October 2026" for 2026-10 (month 1..12). */
const char *month_name(int month);

/* Money as "1,234.56" (2 decimals, grouped) in one of 8 rotating buffers:
 * valid until 8 more calls. */
const char *fm(int64_t nanos);
/* The same with a sign: "+1,234.56" / "-12.00". */
const char *fm_signed(int64_t nanos);

/* Record a file written (DIR/NAME) in res->files. */
void rep_file(struct rep *r, const char *name);

/*
 * Build, write and (when gnuplot is given) draw the charts into
 * r->charts.  Returns 0, or -1 with err set when a file cannot be
 * written; gnuplot failures are recorded in r->res, not returned.
 */
int rep_charts(struct rep *r, struct ic_error *err);


/* ---- shared by the report-*.c files (not a public API) ---- */

#define DAY 86400LL
#define SHOW_ROWS 25		/* rows of a long table shown in md/html */
#define MATERIAL_BASE 1000000000LL	/* 1.00: see rep_material */

struct rtab {
	char file[64];		/* CSV base name */
	char title[160];
	const struct table_col *cols;
	int ncols;
	struct table_col *own;	/* cols when rt_pick made them (freed with t) */
	struct table *t;	/* CSV (and the exact values) */
	char **disp;		/* rows x ncols display strings (NULL: empty) */
	int rows, cap;
	int show;		/* rows shown in md/html: 0 all, -1 none (CSV only) */
};

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

/* ---- report-read.c: the document, formatting, derived figures ---- */

/* does row it belong to currency ccy (rows without one do) */
int in_currency(const cJSON *it, const char *ccy);
/* a ratio as "12.3%" */
const char *fpct(double ratio);
/* a change ratio as "+12.3%" */
/* the same with a sign: "+12.3%" */
const char *fpct_signed(double ratio);
/* "%.*f" of v with ',' every three integer digits, into buf (64 bytes) */
char *rep_grouped(double v, int decimals, char *buf);
/* a count with thousands separators */
const char *fint(double v);
/* a / b, NAN when b is 0 */
double rep_ratio(int64_t a, int64_t b);
/* The materiality floor of a percentage change: a base of at least 1.00 of
 * the currency and at least 1% of the new value (a rise of at most 100x).
 * Below it a percentage says nothing (+62,680,407.7% after a month of
 * 0.000026): the change is shown as "new", with its absolute amount. */
/* whether the change from before to now is large enough to show as a
 * percentage (report-read.c says the rule) */
int rep_material(int64_t now, int64_t before);
/* the change ratio, NAN below the materiality floor */
double rep_change(int64_t now, int64_t before);
/* the change as "+12.3%", or "new" below the materiality floor */
const char *fchange(int64_t now, int64_t before);
/* fill r->svc, r->waste and the savings from r->cur and r->prev (r->oom
 * on allocation failure) */
void rep_derive(struct rep *r);

/* ---- report-doc.c: tables and blocks ---- */

struct rtab *rt_new(struct rep *r, const char *file, const char *title, const struct table_col *cols, int ncols, int show);
/* A table of the columns keys names in an analyzer's exported set
 * (analyzers/columns.h; keys as table_cols_pick takes them), or NULL with
 * r->oom set (also for a key not in set: the report's own mistake, which
 * its tests catch).  Freed with the document (doc_free). */
struct rtab *rt_pick(struct rep *r, const char *file, const char *title,
		     const struct table_colset *set, const char *const *keys, int show);
/* The same with each key taken from the first of sets (NULL-terminated)
 * that has it: an analyzer's columns and the report's own beside them. */
struct rtab *rt_pick_sets(struct rep *r, const char *file, const char *title,
			  const struct table_colset *const *sets, const char *const *keys, int show);
/* append a row; its index, or -1 with r->oom set */
int rt_row(struct rep *r, struct rtab *t);
/* set what md/html show in a cell (copied; the CSV value is unchanged) */
void rt_disp(struct rep *r, struct rtab *t, int row, int col, const char *s);
/* set a cell, for the CSV and the pages alike (copied; r->oom on failure) */
void rt_text(struct rep *r, struct rtab *t, int row, int col, const char *s);
void rt_money(struct rep *r, struct rtab *t, int row, int col, int64_t v);
void rt_int(struct rep *r, struct rtab *t, int row, int col, int64_t v);
/* CELL_NUM or CELL_PCT by the column's kind; NaN is an empty cell */
void rt_num(struct rep *r, struct rtab *t, int row, int col, double v);
/* "n/a" shown, empty in the CSV */
/* show "n/a" in a cell on the pages (the CSV cell is left as it is);
 * nothing when row < 0 */
void rt_na(struct rep *r, struct rtab *t, int row, int col);
/* one row per element of arr (in currency ccy, when given), cells taken
 * by the columns' keys */
void rt_from_json(struct rep *r, struct rtab *t, const cJSON *arr, const char *ccy);
/* free the blocks and every table of d (not d itself) */
void doc_free(struct doc *d);
/* append a block of kind k with copies of a, b, c (each may be NULL);
 * the block, owned by d, or NULL with r->oom set */
struct block *add_block(struct rep *r, struct doc *d, enum bkind k, const char *a, const char *b, const char *c);
/* register a table for CSV; shown too when show >= 0 */
void add_table(struct rep *r, struct doc *d, struct rtab *t);
/* a block for chart id; the renderers show what r->charts[id] holds */
void add_chart(struct rep *r, struct doc *d, enum chart_id id);
/* s as a block of kind k (nothing when s is empty; r->oom when s
 * failed); s stays the caller's */
void rep_para(struct rep *r, struct doc *d, enum bkind k, const struct sbuf *s);

/* ---- report-cost.c: the cost sections ---- */

/* Whether idle or rightsizing left eligible resources unassessed. */
int metric_gaps(struct rep *r);
/* The sections, in the order report_write adds them to d. */
void sec_summary(struct rep *r, struct doc *d);
void sec_services(struct rep *r, struct doc *d);
void sec_account_region(struct rep *r, struct doc *d, int region);
/*
 * summary.groups (analyze/report --group-by KEY): the cost of each value
 * of the key, with its change since the previous month (group null: the
 * charges without the key, shown as "(no KEY)"), and for a tag the
 * untagged share and the resources to tag first.
 */
void sec_groups(struct rep *r, struct doc *d);
/* summary.by_resource: the top resources by effective cost, with their
 * service, region and account and their share of the month */
void sec_resources(struct rep *r, struct doc *d);

/* ---- report-findings.c: the findings sections ---- */

void sec_commitments(struct rep *r, struct doc *d);
void sec_waste(struct rep *r, struct doc *d);
void sec_anomalies(struct rep *r, struct doc *d);
void sec_forecast(struct rep *r, struct doc *d);
void sec_unit(struct rep *r, struct doc *d);
/* Allocation (report --allocation RULES): the rows of allocation.rows[],
 * the unallocated cost, a chart of direct and shared cost per value, and
 * the notes. */
void sec_alloc(struct rep *r, struct doc *d);
/* "Not assessed": every assessment entry with not_assessed > 0 */
void sec_assessment(struct rep *r, struct doc *d);
void sec_notes(struct rep *r, struct doc *d);

/* ---- report-render.c: Markdown and HTML ---- */

/* d written to f as Markdown, or as one HTML page; 0, or -1 when a
 * write failed */
int write_md(struct rep *r, struct doc *d, FILE *f);
int write_html(struct rep *r, struct doc *d, FILE *f);

#endif
