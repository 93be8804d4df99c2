/*
 * cmd-report.c - imcost report --month YYYY-MM [--out DIR] [--gnuplot PATH]
 * [--no-charts] [--chart-timeout SECS] [--top-resources N] [--pricing FILE]...
 *
 * Wiring only: runs every analyzer over the month and the summary and
 * unit economics over the month before (reports/report.h:
 * report_collect), finds gnuplot (reports/chart.h), and has report_write
 * render the documents into DIR.  A missing gnuplot is a warning, not an
 * error: the report is written without charts and the exit status is 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzers/allocation.h"
#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/pricebook.h"
#include "analyzers/options.h"
#include "analyzers/slice.h"
#include "cli/cli.h"
#include "common/engine.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/report.h"

#define MAX_PRICING 16

/* SOURCE_DATE_EPOCH when set (reproducible output), else now */
static time_t
generated_at(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	double d;

	if (s && *s && number_parse(s, strlen(s), &d) == NUM_OK && d >= 0 && d < 1e11)
		return (time_t)d;
	return time(NULL);
}

enum {
	OPT_MONTH,
	OPT_ALLOCATION,
	OPT_GROUP_BY,
	OPT_FILTER,
	OPT_OUT,
	OPT_FOLLOW_OUT_LINK,
	OPT_ENGINE,
	OPT_GNUPLOT,
	OPT_NO_CHARTS,
	OPT_CHART_TIMEOUT,
	OPT_TOP_RESOURCES,
	OPT_PRICING,
};

/* What the command line asks of report. */
struct report_args {
	const char *month, *out, *gnuplot, *engine_url, *alloc_path;
	const char *pricing[MAX_PRICING];
	int npricing, no_charts, follow_link, timeout, top;
	struct slice sl;
};

/* One option of the command line, in order, into ra. */
static enum exit_code
report_option(struct cli *cli, const struct cmd_arg *o, struct report_args *ra)
{
	const char *v = o->value;
	enum exit_code rc;
	double d;

	if (cli_slice_arg(cli, &cmd_report_entry, o->opt->name, v, &ra->sl, &rc))
		return rc;
	switch (o->index) {
	case OPT_MONTH: ra->month = v; break;
	case OPT_ALLOCATION: ra->alloc_path = v; break;
	case OPT_ENGINE: ra->engine_url = v; break;
	case OPT_OUT: ra->out = v; break;
	case OPT_GNUPLOT: ra->gnuplot = v; break;
	case OPT_NO_CHARTS: ra->no_charts = 1; break;
	case OPT_FOLLOW_OUT_LINK: ra->follow_link = 1; break;
	case OPT_PRICING:
		if (ra->npricing == MAX_PRICING)
			return usage_error(cli, &cmd_report_entry, "at most %d --pricing files",
					   MAX_PRICING);
		ra->pricing[ra->npricing++] = v;
		break;
	case OPT_TOP_RESOURCES:
		if (number_parse(v, strlen(v), &d) != NUM_OK || d < 0 || d > 100000 ||
		    d != (double)(int)d)
			return usage_error(cli, &cmd_report_entry,
					   "--top-resources wants a whole number from 0 to 100000,"
					   " not '%s'", v);
		ra->top = (int)d;
		break;
	case OPT_CHART_TIMEOUT:
		if (number_parse(v, strlen(v), &d) != NUM_OK || d < 1 || d > 3600 ||
		    d != (double)(int)d)
			return usage_error(cli, &cmd_report_entry,
					   "--chart-timeout wants whole seconds from 1 to 3600, not '%s'", v);
		ra->timeout = (int)d;
		break;
	}
	return EXIT_OK;
}

/* The command line into ra: EXIT_OK or a usage error. */
static enum exit_code
report_args(struct cli *cli, int argc, char **argv, struct report_args *ra)
{
	struct cmd_args args;
	enum exit_code rc;

	memset(ra, 0, sizeof *ra);
	ra->timeout = CHART_TIMEOUT;
	ra->top = -1;
	rc = cli_parse(cli, &cmd_report_entry, argc, argv, &args);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++)
		rc = report_option(cli, &args.v[k], ra);
	if (rc == EXIT_OK && args.npos > 0)
		rc = usage_error(cli, &cmd_report_entry, "unexpected argument '%s'", args.pos[0]);
	cmd_args_free(&args);
	if (rc == EXIT_OK && ra->month == NULL)
		rc = usage_error(cli, &cmd_report_entry, "--month YYYY-MM is required");
	return rc;
}

/* Write the report of cur (and prev, the month before) into out, with
 * charts unless --no-charts or gnuplot is missing.  Returns 0, or -1 with
 * cli->err set. */
static int
report_render(struct cli *cli, cJSON *cur, cJSON *prev, const struct report_args *ra,
	      const char *out, int64_t start)
{
	char gpbuf[4096], mbuf[32];
	struct report_opts ro;
	struct report_result res;
	struct ic_error gperr;

	memset(&ro, 0, sizeof ro);
	ro.dir = out;
	ro.follow_out_link = ra->follow_link;
	ro.chart_timeout = ra->timeout;
	ro.generated = generated_at();
	if (ra->no_charts) {
		ro.no_charts_reason = "--no-charts was given";
	} else if (chart_find_gnuplot(ra->gnuplot, gpbuf, sizeof gpbuf, &gperr) != 0) {
		cli_warn(cli, "%s: writing the report without charts (install gnuplot-nox, or give"
			 " --gnuplot PATH)", gperr.msg);
		ro.no_charts_reason = gperr.msg;
	} else {
		ro.gnuplot = gpbuf;
	}
	memset(&res, 0, sizeof res);
	if (report_write(cur, prev, &ro, &res, &cli->err) != 0) {
		report_result_free(&res);
		return -1;
	}
	if (res.chart_failures)
		cli_warn(cli, "%d chart%s not drawn: %s", res.chart_failures,
			 res.chart_failures > 1 ? "s" : "", res.chart_error);
	printf("%s/report.md\n%s/report.html\n", out, out);
	if (!cli->quiet)
		fprintf(stderr, "imcost: report for %s in %s/: %d chart%s, %d CSV table%s\n",
			month_format(start, mbuf), out, res.charts, res.charts == 1 ? "" : "s",
			res.tables, res.tables == 1 ? "" : "s");
	report_result_free(&res);
	return 0;
}

static enum exit_code
report_exec(struct cli *cli, int argc, char **argv)
{
	static const char *const prev_only[] = { "summary", "unit_economics", NULL };
	const char *out, *where;
	struct alloc_rules *alloc = NULL;
	char outbuf[64], mbuf[32];
	struct analysis_ctx ctx;
	struct an_memo memo;
	struct analysis_opts opts;
	struct ic_error perr;
	struct catalog *cat = NULL;
	cJSON *cur = NULL, *prev = NULL;
	enum exit_code rc;
	int64_t start, end;
	struct report_args ra;
	int remote;

	memset(&ctx, 0, sizeof ctx);
	memset(&memo, 0, sizeof memo);
	if ((rc = report_args(cli, argc, argv, &ra)) != EXIT_OK ||
	    (rc = cli_month_arg(cli, &cmd_report_entry, ra.month, &start, &end)) != EXIT_OK)
		return rc;
	out = ra.out;
	if (out == NULL || *out == '\0') {
		snprintf(outbuf, sizeof outbuf, "report-%s", month_format(start, mbuf));
		out = outbuf;
	}
	if (ra.alloc_path && alloc_rules_load(ra.alloc_path, &alloc, &cli->err) != 0)
		return EXIT_FAIL;
	rc = EXIT_FAIL;
	/* the --pricing files checked before anything else is read */
	if ((cat = cli_catalog_load(cli, ra.pricing, ra.npricing)) == NULL)
		goto done;
	where = ra.engine_url ? ra.engine_url : cli->db_path;
	if ((rc = cli_engine_arg(cli, &ra.engine_url, &remote)) != EXIT_OK)
		goto done;
	rc = EXIT_FAIL;
	analysis_opts_default(&opts);
	if (ra.top >= 0)
		opts.top_resources = ra.top;
	ctx.eng = cli_engine_open(cli, ra.engine_url, 1);
	if (ctx.eng == NULL)
		goto done;
	/* no charges that month: the months there are (as analyze, levers) */
	if (cli_check_period(cli, ctx.eng, start, end, where) != EXIT_OK)
		goto done;
	if ((rc = cli_slice_check(cli, &cmd_report_entry, ctx.eng, &ra.sl)) != EXIT_OK)
		goto done;
	rc = EXIT_FAIL;
	/* the prices: built-in, bill, imported price lists, --pricing
	 * (analyzers/pricebook.h); the files were checked above */
	catalog_free(cat);
	cat = catalog_new();
	if (cat == NULL) {
		ic_errorf(&cli->err, "out of memory");
		goto done;
	}
	if (pricebook_build(cat, ctx.eng, start, end, cli->db_path, ra.pricing, ra.npricing,
			    &cli->err) != 0)
		goto done;
	ctx.opts = &opts;
	ctx.catalog = cat;
	ctx.start = start;
	ctx.end = end;
	ctx.allocation = alloc;
	ctx.slice = &ra.sl;
	ctx.memo = &memo;
	/* summary and commitments beside the others (analyzers_run) */
	if (engine_peer(ctx.eng, &ctx.peer, &perr) != 0)
		ctx.peer = NULL;
	if (report_collect(&ctx, NULL, &cur, &cli->err) != 0)
		goto done;
	ctx.memo = NULL;	/* one period's */
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cur, "currency"))) {
		ic_errorf(&cli->err, "no charges for %s in %s (imcost import FILE first; imcost list"
			  " shows what is there)", month_format(start, mbuf), where);
		goto done;
	}
	ctx.end = start;
	ctx.start = month_start(start - 1);
	if (report_collect(&ctx, prev_only, &prev, &cli->err) != 0)
		goto done;

	/* the quick check ran beside the analyses (cli_engine_open): its
	 * verdict before any file is written */
	if (engine_check_wait(ctx.eng, &cli->err) != 0 ||
	    report_render(cli, cur, prev, &ra, out, start) != 0)
		goto done;
	rc = EXIT_OK;
done:
	cJSON_Delete(cur);
	cJSON_Delete(prev);
	engine_close(ctx.peer);
	engine_close(ctx.eng);
	catalog_free(cat);
	alloc_rules_free(alloc);
	return rc;
}

static const struct cmd_option options[] = {
	{
		.name = "--month",
		.arg = "YYYY-MM",
		.help =
		"  --month YYYY-MM      the month to report on (required)\n",
	},
	{
		.name = "--allocation",
		.arg = "RULES",
		.help =
		"  --allocation RULES   add the allocation section and chart (the rules file\n"
		"                       of imcost analyze --allocation)\n",
	},
	{
		.name = "--group-by",
		.arg = "KEY",
		.help =
		"  --group-by KEY       adds a section with the cost of each value of KEY\n"
		"                       (service, account, region, provider, category,\n"
		"                       resource, tag:NAME; for a tag, the untagged share and\n"
		"                       the resources to tag first), as analyze --group-by\n",
	},
	{
		.name = "--filter",
		.arg = "KEY=VALUE|KEY!=VALUE",
		.repeat = 1,
		.help =
		"  --filter KEY=VALUE, --filter KEY!=VALUE\n"
		"                       the summary, breakdowns and groups count only those\n"
		"                       charges (both months); the other sections do not\n",
	},
	{
		.name = "--out",
		.arg = "DIR",
		.help =
		"  --out DIR            where to write (created; existing files are replaced).\n"
		"                       Each file is written to a new temporary file in DIR and\n"
		"                       renamed over its name, so a symbolic link planted in\n"
		"                       DIR is replaced, never written through; gnuplot draws in\n"
		"                       a private directory first.  A DIR that is itself a\n"
		"                       symbolic link is refused\n",
	},
	{
		.name = "--follow-out-link",
		.help =
		"  --follow-out-link    write into DIR even when it is a symbolic link\n",
	},
	{
		.name = "--engine",
		.arg = "URL",
		.help =
		"  --engine URL         where the charges live (as for imcost analyze): sqlite:PATH\n"
		"                       (the default, --db), clickhouse://... or postgresql://...\n",
	},
	{
		.name = "--gnuplot",
		.arg = "PATH",
		.help =
		"  --gnuplot PATH       the gnuplot program (default: gnuplot on PATH).  When it\n"
		"                       is missing the report is written without charts, with a\n"
		"                       warning, and the exit status is still 0\n",
	},
	{
		.name = "--no-charts",
		.help =
		"  --no-charts          write the chart scripts and data but do not run gnuplot\n",
	},
	{
		.name = "--chart-timeout",
		.arg = "SECS",
		.help =
		"  --chart-timeout SECS stop gnuplot after SECS per chart (default 60)\n",
	},
	{
		.name = "--top-resources",
		.arg = "N",
		.help =
		"  --top-resources N    resources in the top resources table (default 20)\n",
	},
	{
		.name = "--pricing",
		.arg = "FILE",
		.repeat = 1,
		.help =
		"  --pricing FILE       a pricing catalog over the built-in one, as for analyze\n"
		"                       (may repeat)\n",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "--month YYYY-MM [--out DIR] [--follow-out-link] [--engine URL] [--gnuplot PATH]\n"
		 "       [--no-charts] [--chart-timeout SECS] [--top-resources N] [--pricing FILE]...\n"
		 "       [--group-by KEY] [--filter KEY=VALUE|KEY!=VALUE ...]",
	.summary = "monthly report: Markdown, HTML, gnuplot charts and CSV tables",
	.help =
	"Writes the report of one month of the database into DIR (default\n"
	"report-YYYY-MM), a report to forward to finance as it is:\n"
	"\n"
	"  report.md      the report in Markdown (charts linked as NAME.png)\n"
	"  report.html    the same as one self-contained page: CSS inline, charts\n"
	"                 embedded as PNG images\n"
	"  NAME.png/.svg  the charts, 1200 x 600, drawn by gnuplot:\n"
	"                   daily-cost        daily effective cost stacked by service\n"
	"                   month-over-month  cost by service, this month vs the last\n"
	"                   commitment-usage  hourly on-demand instances of the top\n"
	"                                     types, with the recommended commitment\n"
	"                   waste-by-kind     idle and oversized resources per month\n"
	"                   forecast          cumulative cost and month-end forecast\n"
	"                   allocation        direct and shared cost per allocation\n"
	"                                     value (with --allocation)\n"
	"  NAME.gp/.dat   each chart's gnuplot script and data, kept so that it can be\n"
	"                 restyled: edit NAME.gp and run `gnuplot NAME.gp` in DIR\n"
	"  *.csv          every table of the report as CSV (exact amounts)\n"
	"\n"
	"Sections: headline figures (billed, effective, change vs the previous month,\n"
	"forecast, savings found), cost by service, account and region, top resources,\n"
	"commitment coverage, utilization and what to buy, idle resources and waste,\n"
	"anomalies, forecast, unit economics; each ends with what to do about it.  The\n"
	"analyses are those of `imcost analyze --month` with default thresholds; the\n"
	"month before is analyzed too for the changes (\"n/a\" when it was not\n"
	"imported).\n"
	"Amounts are in the month's main billing currency; others are listed.\n"
	"\n",
	.options = options,
	.help_end =
	"\n"
	"Prints the paths of report.md and report.html.  SOURCE_DATE_EPOCH, when set,\n"
	"is the \"generated\" time shown in the report.\n",
	.exec = report_exec,
};
