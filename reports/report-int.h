/*
 * report-int.h - what report.c and report-charts.c share: reading the
 * analyzers' JSON document, and the figures derived from it once (not a
 * public API; see report.h).
 */
#ifndef IMCOST_REPORT_INT_H
#define IMCOST_REPORT_INT_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "reports/report.h"

/* ---- reading the document ---- */

/* The value at a dotted path ("summary.by_service"), or NULL. */
const cJSON *jpath(const cJSON *o, const char *path);
/* Member key of o as exact money (nanos): 0, or -1 when absent, null or
 * not a number. */
int jmoney(const cJSON *o, const char *key, int64_t *v);
/* Member key of o as a double; NAN when absent, null or not a number. */
double jnum(const cJSON *o, const char *key);
/* Member key of o when it is a string, else NULL. */
const char *jstr(const cJSON *o, const char *key);
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

#endif
