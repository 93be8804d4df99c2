/*
 * report.h - the monthly report: report.md, one self-contained
 * report.html, gnuplot charts (PNG + SVG, with their .gp script and .dat
 * data kept beside them) and a CSV file for every table, all in one
 * directory.
 *
 * A report never runs SQL of its own (docs/ARCHITECTURE.md): report_collect
 * runs the analyzers into one JSON document, exactly the one `imcost
 * --format json analyze --month M` prints, and report_write renders a document for the
 * month and one for the month before (for the month-over-month change).
 * Amounts are read from the document's exact decimals (common/decimal.h),
 * never through floating point.  Only the main currency of the month (the
 * document's `currency`) is reported in detail; other currencies are
 * listed with their totals.
 */
#ifndef IMCOST_REPORT_H
#define IMCOST_REPORT_H

#include <time.h>
#include <cjson/cJSON.h>

#include "analyzers/analyzer.h"
#include "common/error.h"

/*
 * Run the analyzers named in only (NULL-terminated; NULL: every analyzer,
 * in analyzers[] order) over ctx into one new JSON document (*doc, which
 * the caller frees with cJSON_Delete), through analyzers_run
 * (analyzers/analyzer.h), the one loop over analyses.  Returns 0, or -1
 * with err set.
 */
int report_collect(const struct analysis_ctx *ctx, const char *const *only, cJSON **doc,
		   struct ic_error *err);

struct report_opts {
	const char *dir;	/* output directory, created (with parents) when missing;
				   every file is written through a fresh temporary
				   file renamed into place (common/outfile.h) */
	int follow_out_link;	/* write into dir even when it is a symbolic link */
	const char *gnuplot;	/* path of the gnuplot program; NULL: no charts
				   (their .gp and .dat files are still written) */
	const char *no_charts_reason;	/* with gnuplot NULL: why, for the report */
	int chart_timeout;	/* seconds per chart; <= 0: CHART_TIMEOUT */
	time_t generated;	/* shown as "generated on"; (time_t)-1: not shown */
};

struct report_result {
	int charts;		/* charts drawn (PNG + SVG made) */
	int chart_failures;	/* charts gnuplot failed on */
	char chart_error[IC_ERRMSG_MAX];	/* the first failure, one line ("" when none) */
	int tables;		/* CSV files written */
	char **files;		/* every file written, "DIR/NAME"; owned, see
				   report_result_free */
	int nfiles;
};

/*
 * Write the report for the month analyzed in cur (a report_collect
 * document with at least summary; every other section is optional),
 * comparing with prev (the previous month's document, or NULL: changes
 * print as "n/a").  res is filled (zero it first) even when charts fail:
 * a chart that gnuplot cannot draw is counted in res->chart_failures and
 * left out of the report, which is still written.  Returns 0, or -1 with
 * err set when a file cannot be written or the document has no summary.
 */
int report_write(const cJSON *cur, const cJSON *prev, const struct report_opts *o,
		 struct report_result *res, struct ic_error *err);

/* Free what report_write put in res (safe on a zeroed res). */
void report_result_free(struct report_result *res);

#endif
