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

/* the value of option a (--name VALUE or --name=VALUE), advancing *i */
static const char *
opt_value(const char *a, const char *name, int argc, char **argv, int *i, int *missing)
{
	size_t n = strlen(name);

	*missing = 0;
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

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

static enum exit_code
report_exec(struct cli *cli, int argc, char **argv)
{
	static const char *const prev_only[] = { "summary", "unit_economics", NULL };
	const char *month = NULL, *out = NULL, *gnuplot = NULL, *pricing[MAX_PRICING];
	const char *engine_url = NULL, *where, *alloc_path = NULL;
	struct alloc_rules *alloc = NULL;
	int npricing = 0, no_charts = 0, follow_link = 0, timeout = CHART_TIMEOUT, top = -1;
	char outbuf[64], gpbuf[4096], mbuf[32];
	struct analysis_ctx ctx;
	struct analysis_opts opts;
	struct catalog *cat = NULL;
	struct report_opts ro;
	struct report_result res;
	struct ic_error gperr;
	cJSON *cur = NULL, *prev = NULL;
	enum exit_code rc = EXIT_FAIL;
	int64_t start, end;
	struct slice sl;

	memset(&ctx, 0, sizeof ctx);
	memset(&sl, 0, sizeof sl);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int missing;
		enum exit_code src;

		if (cli_slice_arg(cli, &cmd_report_entry, argc, argv, &i, &sl, &src)) {
			if (src != EXIT_OK)
				return src;
			if (sl.since || sl.until)
				return usage_error(cli, &cmd_report_entry, "a report covers one --month and"
						   " compares it with the month before: --since and --until"
						   " are analyze's");
			continue;
		}

		if ((v = opt_value(a, "--month", argc, argv, &i, &missing)) != NULL) {
			month = v;
		} else if ((v = opt_value(a, "--allocation", argc, argv, &i, &missing)) != NULL) {
			alloc_path = v;
		} else if ((v = opt_value(a, "--engine", argc, argv, &i, &missing)) != NULL) {
			engine_url = v;
		} else if ((v = opt_value(a, "--out", argc, argv, &i, &missing)) != NULL) {
			out = v;
		} else if ((v = opt_value(a, "--gnuplot", argc, argv, &i, &missing)) != NULL) {
			gnuplot = v;
		} else if ((v = opt_value(a, "--pricing", argc, argv, &i, &missing)) != NULL) {
			if (npricing == MAX_PRICING)
				return usage_error(cli, &cmd_report_entry, "at most %d --pricing files",
						   MAX_PRICING);
			pricing[npricing++] = v;
		} else if ((v = opt_value(a, "--top-resources", argc, argv, &i, &missing)) != NULL) {
			double d;
			if (number_parse(v, strlen(v), &d) != NUM_OK || d < 0 || d > 100000 ||
			    d != (double)(int)d)
				return usage_error(cli, &cmd_report_entry,
						   "--top-resources wants a whole number from 0 to 100000,"
						   " not '%s'", v);
			top = (int)d;
		} else if ((v = opt_value(a, "--chart-timeout", argc, argv, &i, &missing)) != NULL) {
			double d;
			if (number_parse(v, strlen(v), &d) != NUM_OK || d < 1 || d > 3600 ||
			    d != (double)(int)d)
				return usage_error(cli, &cmd_report_entry,
						   "--chart-timeout wants whole seconds from 1 to 3600, not '%s'",
						   v);
			timeout = (int)d;
		} else if (missing) {
			return usage_error(cli, &cmd_report_entry, "%s needs a value", a);
		} else if (strcmp(a, "--no-charts") == 0) {
			no_charts = 1;
		} else if (strcmp(a, "--follow-out-link") == 0) {
			follow_link = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error(cli, &cmd_report_entry, "unknown option '%s'", a);
		} else {
			return usage_error(cli, &cmd_report_entry, "unexpected argument '%s'", a);
		}
	}
	if (month == NULL)
		return usage_error(cli, &cmd_report_entry, "--month YYYY-MM is required");
	if (cli_month_parse(month, &start, &end) != 0)
		return usage_error(cli, &cmd_report_entry, "--month wants YYYY-MM, not '%s'", month);
	if (out == NULL || *out == '\0') {
		snprintf(outbuf, sizeof outbuf, "report-%s", month_format(start, mbuf));
		out = outbuf;
	}

	if (alloc_path && alloc_rules_load(alloc_path, &alloc, &cli->err) != 0)
		return EXIT_FAIL;
	cat = catalog_new();
	if (cat == NULL) {
		alloc_rules_free(alloc);
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	if (catalog_load_builtin(cat, &cli->err) != 0)
		goto done;
	for (int i = 0; i < npricing; i++)
		if (catalog_merge_file(cat, pricing[i], &cli->err) != 0)
			goto done;

	analysis_opts_default(&opts);
	if (top >= 0)
		opts.top_resources = top;
	if (engine_url) {
		struct engine_url u;
		if (engine_url_parse(engine_url, &u, &cli->err) != 0) {
			rc = EXIT_USAGE;
			goto done;
		}
	}
	ctx.eng = cli_engine_open(cli, engine_url);
	if (ctx.eng == NULL)
		goto done;
	/* no charges that month: the months there are (as analyze, levers) */
	if (cli_check_period(cli, ctx.eng, start, end, engine_url ? engine_url : cli->db_path) != EXIT_OK)
		goto done;
	if ((rc = cli_slice_check(cli, &cmd_report_entry, ctx.eng, &sl)) != EXIT_OK)
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
	if (pricebook_build(cat, ctx.eng, start, end, cli->db_path, pricing, npricing, &cli->err) != 0)
		goto done;
	where = engine_url ? engine_url : cli->db_path;
	ctx.opts = &opts;
	ctx.catalog = cat;
	ctx.start = start;
	ctx.end = end;
	ctx.allocation = alloc;
	ctx.slice = &sl;
	if (report_collect(&ctx, NULL, &cur, &cli->err) != 0)
		goto done;
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cur, "currency"))) {
		ic_errorf(&cli->err, "no charges for %s in %s (imcost import FILE first; imcost list"
			  " shows what is there)", month_format(start, mbuf), where);
		goto done;
	}
	ctx.end = start;
	ctx.start = month_start(start - 1);
	if (report_collect(&ctx, prev_only, &prev, &cli->err) != 0)
		goto done;

	memset(&ro, 0, sizeof ro);
	ro.dir = out;
	ro.follow_out_link = follow_link;
	ro.chart_timeout = timeout;
	ro.generated = generated_at();
	if (no_charts) {
		ro.no_charts_reason = "--no-charts was given";
	} else if (chart_find_gnuplot(gnuplot, gpbuf, sizeof gpbuf, &gperr) != 0) {
		cli_warn(cli, "%s: writing the report without charts (install gnuplot-nox, or give"
			 " --gnuplot PATH)", gperr.msg);
		ro.no_charts_reason = gperr.msg;
	} else {
		ro.gnuplot = gpbuf;
	}
	memset(&res, 0, sizeof res);
	if (report_write(cur, prev, &ro, &res, &cli->err) != 0) {
		report_result_free(&res);
		goto done;
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
	rc = EXIT_OK;
done:
	cJSON_Delete(cur);
	cJSON_Delete(prev);
	engine_close(ctx.eng);
	catalog_free(cat);
	alloc_rules_free(alloc);
	return rc;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "--month YYYY-MM [--out DIR] [--follow-out-link] [--engine URL] [--gnuplot PATH]\n"
		 "       [--no-charts] [--chart-timeout SECS] [--top-resources N] [--pricing FILE]...\n"
		 "       [--group-by KEY] [--filter KEY=VALUE|KEY!=VALUE ...]",
	.summary = "monthly report: Markdown, HTML, gnuplot charts and CSV tables",
	.help =
	"Writes the report of one month of the database into DIR (default\n"
	"report-YYYY-MM), a report to forward to finance as it is:\n\n"
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
	"  *.csv          every table of the report as CSV (exact amounts)\n\n"
	"Sections: headline figures (billed, effective, change vs the previous month,\n"
	"forecast, savings found), cost by service, account and region, top resources,\n"
	"commitment coverage, utilization and what to buy, idle resources and waste,\n"
	"anomalies, forecast, unit economics; each ends with what to do about it.  The\n"
	"analyses are those of `imcost analyze --month` with default thresholds; the\n"
	"month before is analyzed too for the changes (\"n/a\" when it was not\n"
	"imported).\n"
	"Amounts are in the month's main billing currency; others are listed.\n\n"
	"  --month YYYY-MM      the month to report on (required)\n"
	"  --allocation RULES   add the allocation section and chart (the rules file\n"
	"                       of imcost analyze --allocation)\n"
	"  --group-by KEY       adds a section with the cost of each value of KEY\n"
	"                       (service, account, region, provider, category,\n"
	"                       resource, tag:NAME; for a tag, the untagged share and\n"
	"                       the resources to tag first), as analyze --group-by\n"
	"  --filter KEY=VALUE, --filter KEY!=VALUE\n"
	"                       the summary, breakdowns and groups count only those\n"
	"                       charges (both months); the other sections do not\n"
	"  --out DIR            where to write (created; existing files are replaced).\n"
	"                       Each file is written to a new temporary file in DIR and\n"
	"                       renamed over its name, so a symbolic link planted in\n"
	"                       DIR is replaced, never written through; gnuplot draws in\n"
	"                       a private directory first.  A DIR that is itself a\n"
	"                       symbolic link is refused\n"
	"  --follow-out-link    write into DIR even when it is a symbolic link\n"
	"  --engine URL         where the charges live (as for imcost analyze): sqlite:PATH\n"
	"                       (the default, --db), clickhouse://... or postgresql://...\n"
	"  --gnuplot PATH       the gnuplot program (default: gnuplot on PATH).  When it\n"
	"                       is missing the report is written without charts, with a\n"
	"                       warning, and the exit status is still 0\n"
	"  --no-charts          write the chart scripts and data but do not run gnuplot\n"
	"  --chart-timeout SECS stop gnuplot after SECS per chart (default 60)\n"
	"  --top-resources N    resources in the top resources table (default 20)\n"
	"  --pricing FILE       a pricing catalog over the built-in one, as for analyze\n"
	"                       (may repeat)\n\n"
	"Prints the paths of report.md and report.html.  SOURCE_DATE_EPOCH, when set,\n"
	"is the \"generated\" time shown in the report.\n",
	.exec = report_exec,
};
