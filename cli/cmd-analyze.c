/*
 * cmd-analyze.c - imcost analyze [FILE...] [--month YYYY-MM] [--only LIST]
 * [--pricing FILE] [--lookback DAYS] [threshold flags]
 *
 * The threshold flags fill struct analysis_opts (analyzers/options.h,
 * where the defaults and their sources are); --pricing files are merged
 * over the built-in catalog (analyzers/catalog.h).  The option table is
 * in cmd-analyze-options.c, --fail-on in fail-on.c, the prices and slice
 * notes in analyzers/notes.c.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/allocation.h"
#include "analyzers/analyzer.h"
#include "analyzers/rollups.h"
#include "analyzers/catalog.h"
#include "analyzers/notes.h"
#include "analyzers/pricebook.h"
#include "analyzers/options.h"
#include "analyzers/slice.h"
#include "cli/cli.h"
#include "cli/cmd-analyze-int.h"
#include "cli/fail-on.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "output/savings.h"

#define MAX_ONLY 32
#define MAX_PRICING 16

static int
data_span(struct engine *eng, int64_t *start, int64_t *end, struct ic_error *err)
{
	int found = 0;

	/* from the rollups: a scan of charges took half of a 1M-row analyze */
	if (an_data_span(eng, start, end, &found, err) != 0)
		return -1;
	if (!found)
		return ic_errorf(err, "no charges in the database yet (imcost import FILE, or imcost analyze FILE)");
	return 0;
}

/* What the command line asks of analyze. */
struct analyze_args {
	const char *month, *as, *only_arg, *engine_url, *csv_only, *alloc_path;
	const char *pricing[MAX_PRICING];
	char *files[256];
	int nfiles, npricing, nonly, nfail, top;
	const struct analyzer *only[MAX_ONLY + 1];
	struct fail_on fail[FAIL_MAX];
	struct analysis_opts opts;
	struct slice sl;
};

/* One option of the command line, in order, into aa. */
static enum exit_code
analyze_option(struct cli *cli, const struct cmd_arg *o, struct analyze_args *aa)
{
	const char *v = o->value;
	enum exit_code rc = EXIT_OK;
	char msg[200];
	double d;
	int n;

	if (cli_slice_arg(cli, &cmd_analyze_entry, o->opt->name, v, &aa->sl, &rc) ||
	    cli_threshold_arg(cli, &cmd_analyze_entry, o->opt->name, v, &aa->opts, &rc))
		return rc;
	switch (o->index) {
	case OPT_PRICING:
		if (aa->npricing == MAX_PRICING)
			return usage_error(cli, &cmd_analyze_entry, "at most %d --pricing files",
					   MAX_PRICING);
		aa->pricing[aa->npricing++] = v;
		break;
	case OPT_TOP:
		if (number_parse(v, strlen(v), &d) != NUM_OK || d < 0 || d > 1000 || d != floor(d))
			return usage_error(cli, &cmd_analyze_entry,
					   "--top wants a whole number from 0 to 1000, not '%s'", v);
		aa->top = (int)d;
		break;
	case OPT_FAIL_ON:
		n = cli_fail_on_parse(v, aa->fail + aa->nfail, FAIL_MAX - aa->nfail, msg, sizeof msg);
		if (n < 0)
			return usage_error(cli, &cmd_analyze_entry, "%s", msg);
		aa->nfail += n;
		break;
	case OPT_ALLOCATION:
		aa->alloc_path = v;
		break;
	case OPT_ENGINE:
		aa->engine_url = v;
		break;
	case OPT_MONTH:
		aa->month = v;
		break;
	case OPT_ONLY:
		aa->only_arg = v;
		break;
	case OPT_AS:
		aa->as = v;
		break;
	}
	return EXIT_OK;
}

/* --only LIST (and CSV's one table) into aa->only[]. */
static enum exit_code
analyze_only(struct cli *cli, struct analyze_args *aa)
{
	if (cli->fmt == FMT_CSV && aa->only_arg) {
		/* CSV is one table: --only names it (a table key, or an
		 * analysis that prints one table) */
		if (strchr(aa->only_arg, ',') || *aa->only_arg == '\0')
			return usage_error(cli, &cmd_analyze_entry,
					   "--format csv prints one table: give --only one section");
		aa->csv_only = aa->only_arg;
		if (analyzer_find(aa->only_arg) == NULL)
			aa->only_arg = NULL;	/* a table key: run every analysis */
	}
	if (aa->only_arg) {
		char buf[512], *save = NULL, *tok;
		snprintf(buf, sizeof buf, "%s", aa->only_arg);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			const struct analyzer *a = analyzer_find(tok);
			if (a == NULL) {
				char names[256] = "";
				for (int k = 0; analyzers[k]; k++)
					snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
						 k ? ", " : "", analyzers[k]->name);
				return usage_error(cli, &cmd_analyze_entry,
						   "unknown analysis '%s' (known: %s)", tok, names);
			}
			if (aa->nonly < MAX_ONLY)
				aa->only[aa->nonly++] = a;
		}
	} else {
		for (; analyzers[aa->nonly] && aa->nonly < MAX_ONLY; aa->nonly++)
			aa->only[aa->nonly] = analyzers[aa->nonly];
	}
	aa->only[aa->nonly] = NULL;
	for (int i = 0; i < aa->nonly && aa->alloc_path == NULL; i++)
		if (aa->only_arg && strcmp(aa->only[i]->name, "allocation") == 0)
			return usage_error(cli, &cmd_analyze_entry,
					   "--only allocation needs --allocation FILE (the rules)");
	return EXIT_OK;
}

/* The command line into aa: EXIT_OK or a usage error. */
static enum exit_code
analyze_args(struct cli *cli, int argc, char **argv, struct analyze_args *aa)
{
	struct cmd_args args;
	enum exit_code rc;
	int remote;

	memset(aa, 0, sizeof *aa);
	aa->top = 5;
	analysis_opts_default(&aa->opts);
	rc = cli_parse(cli, &cmd_analyze_entry, argc, argv, &args);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++)
		rc = analyze_option(cli, &args.v[k], aa);
	if (rc == EXIT_OK && args.npos > (int)(sizeof aa->files / sizeof aa->files[0]))
		rc = usage_error(cli, &cmd_analyze_entry, "too many files (at most 256)");
	for (int k = 0; rc == EXIT_OK && k < args.npos; k++)
		aa->files[aa->nfiles++] = args.pos[k];
	cmd_args_free(&args);
	if (rc != EXIT_OK)
		return rc;
	if ((rc = cli_engine_arg(cli, &aa->engine_url, &remote)) != EXIT_OK)
		return rc;
	if (remote && aa->nfiles)
		return usage_error(cli, &cmd_analyze_entry,
				   "with a remote --engine, import first (imcost import --engine URL FILE)"
				   " and analyze without FILEs");
	return analyze_only(cli, aa);
}

/*
 * Import the FILEs, open the engine and find the period: [*start, *end)
 * from --month, the FILEs or the data, narrowed by the slice's days.
 * Returns EXIT_OK with ctx->eng open, or an error with nothing open.
 */
static enum exit_code
analyze_prepare(struct cli *cli, struct analyze_args *aa, struct analysis_ctx *ctx,
		int64_t *start, int64_t *end)
{
	enum exit_code rc;

	if (aa->nfiles) {
		int64_t fs, fe;
		if ((rc = import_files(cli, aa->as, aa->files, aa->nfiles, &fs, &fe)) != EXIT_OK)
			return rc;
		if (!aa->month && fs) {
			*start = fs;
			*end = fe;
		}
	}
	ctx->eng = cli_engine_open(cli, aa->engine_url, 1);
	if (ctx->eng == NULL)
		return EXIT_FAIL;
	rc = EXIT_FAIL;
	if (*start == 0 && *end == 0 && data_span(ctx->eng, start, end, &cli->err) != 0)
		goto fail;
	cli_slice_period(&aa->sl, start, end);
	if ((rc = cli_slice_check(cli, &cmd_analyze_entry, ctx->eng, &aa->sl)) != EXIT_OK)
		goto fail;
	if (aa->month && (rc = cli_check_period(cli, ctx->eng, *start, *end, aa->engine_url ?
						aa->engine_url : cli->db_path)) != EXIT_OK)
		goto fail;
	return EXIT_OK;
fail:
	engine_close(ctx->eng);
	ctx->eng = NULL;
	return rc;
}

/* Table and Markdown: the savings block, then the details the analyses
 * wrote to out (a memory stream over *detail and *detail_len, closed here,
 * which is when they become final; *detail freed).  Returns rc, or
 * EXIT_FAIL when that fails. */
static enum exit_code
print_buffered(struct cli *cli, enum exit_code rc, const struct savings *svp, struct emitter *ep,
	       int top, FILE *out, char **detailp, size_t *detail_lenp)
{
	char *detail;
	size_t detail_len;

	if (fclose(out) != 0 && rc == EXIT_OK) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
	}
	detail = *detailp;
	detail_len = *detail_lenp;
	*detailp = NULL;
	if (rc == EXIT_OK) {
		/* no block when no analysis that finds savings was run */
		if ((svp->ran != 0 && savings_print(svp, ep->assess, top, stdout, cli->fmt,
						   table_width()) != 0) ||
		    (svp->ran != 0 && fputs("\n", stdout) == EOF) ||
		    fwrite(detail, 1, detail_len, stdout) != detail_len) {
			ic_errorf(&cli->err, "error writing to standard output");
			rc = EXIT_FAIL;
		}
	}
	free(detail);
	return rc;
}

/* --format csv: the one table asked for was printed, or why not. */
static enum exit_code
csv_outcome(struct cli *cli, const struct analyze_args *aa, const struct emitter *ep)
{
	const char *csv_only = aa->csv_only, *only_arg = aa->only_arg;

	if (ep->collect)
		return ic_errorf(&cli->err, "analyze: --format csv prints one table: pick one with"
				 " --only SECTION (sections here: %s)", ep->keys[0] ? ep->keys : "none"),
			EXIT_USAGE;
	if (csv_only && ep->matched == 0 && only_arg && ep->keys[0])
		return ic_errorf(&cli->err, "analyze: %s prints several tables: pick one with"
				 " --only SECTION (sections here: %s)", csv_only, ep->keys), EXIT_USAGE;
	if (csv_only && ep->matched == 0 && only_arg)
		cli_warn(cli, "analyze: %s found nothing in this period: no table printed", csv_only);
	else if (csv_only && ep->matched == 0)
		return ic_errorf(&cli->err, "analyze: no table '%s' in this period's analysis"
				 " (sections here: %s)", csv_only, ep->keys[0] ? ep->keys : "none"),
			EXIT_FAIL;
	return EXIT_OK;
}

/*
 * Begin the output in e, with where the prices come from.  Table and
 * Markdown: the details go to memory first (*out a memory stream over
 * *detail), so that the savings block they add up to can open the
 * output; else *out is stdout.  Returns 0, or -1 with cli->err set and
 * nothing left open.
 */
static int
analyze_emitter(struct cli *cli, struct emitter *e, struct engine *eng, FILE **out,
		char **detail, size_t *detail_len)
{
	*out = stdout;
	if ((cli->fmt == FMT_TABLE || cli->fmt == FMT_MARKDOWN) &&
	    (*out = open_memstream(detail, detail_len)) == NULL)
		return ic_errorf(&cli->err, "out of memory");
	if (emit_begin(e, *out, cli->fmt) != 0 || notes_price_origin(e, eng, cli->db_path) != 0) {
		if (*out != stdout)
			fclose(*out);
		free(*detail);
		*detail = NULL;
		emit_free(e);
		return ic_errorf(&cli->err, "out of memory");
	}
	return 0;
}

/* Run the analyses named in only_names into e, some of them on a second
 * connection in a thread (analyzers_run).  The database's quick
 * check runs beside them (DB_READ_BG): its verdict comes before anything
 * is printed, and a damaged database's error before whatever the
 * analyses made of it; --format csv may print while they run, so it
 * waits first. */
static enum exit_code
run_checked(struct cli *cli, struct analysis_ctx *ctx, const char **only_names, struct emitter *e)
{
	struct ic_error perr;
	enum exit_code rc;

	if (cli->fmt == FMT_CSV && engine_check_wait(ctx->eng, &cli->err) != 0)
		return EXIT_FAIL;
	/* a second connection for the analyses that run beside the others;
	 * without one (it could not be opened) they run one after another */
	if (engine_peer(ctx->eng, &ctx->peer, &perr) != 0)
		ctx->peer = NULL;
	rc = analyzers_run(ctx, only_names, e, &cli->err) == 0 ? EXIT_OK : EXIT_FAIL;
	engine_close(ctx->peer);
	ctx->peer = NULL;
	if (engine_check_wait(ctx->eng, &cli->err) != 0)
		rc = EXIT_FAIL;
	return rc;
}

/* analyze_exec's work; *alloc is the loaded --allocation rules, freed by
 * the caller whatever the outcome. */
static enum exit_code
analyze_run(struct cli *cli, struct analyze_args *aa, struct alloc_rules **allocp)
{
	const struct analyzer *const *only = aa->only;
	const char *only_names[MAX_ONLY + 1];
	const char *csv_only;
	int nonly, nfail, top;
	int64_t start = 0, end = 0;
	struct analysis_ctx ctx;
	struct an_memo memo;
	struct catalog *cat = NULL;
	struct emitter e;
	struct savings sv;
	char *detail = NULL;
	size_t detail_len = 0;
	FILE *out = NULL;
	enum exit_code rc;
	int i;

	memset(&ctx, 0, sizeof ctx);
	memset(&memo, 0, sizeof memo);
	memset(&sv, 0, sizeof sv);
	csv_only = aa->csv_only;
	nonly = aa->nonly;
	nfail = aa->nfail;
	top = aa->top;
	if (aa->month && (rc = cli_month_arg(cli, &cmd_analyze_entry, aa->month, &start, &end)) != EXIT_OK)
		return rc;
	/* the rules and the --pricing files before anything is imported: a
	 * bad file changes nothing */
	if (aa->alloc_path && alloc_rules_load(aa->alloc_path, allocp, &cli->err) != 0)
		return EXIT_FAIL;
	if ((cat = cli_catalog_load(cli, aa->pricing, aa->npricing)) == NULL)
		return EXIT_FAIL;
	catalog_free(cat);
	if ((rc = analyze_prepare(cli, aa, &ctx, &start, &end)) != EXIT_OK)
		return rc;
	/* the prices: built-in, bill, imported price lists, --pricing
	 * (analyzers/pricebook.h); the files were checked above */
	cat = catalog_new();
	if (cat == NULL || pricebook_build(cat, ctx.eng, start, end, cli->db_path, aa->pricing,
					   aa->npricing, &cli->err) != 0) {
		if (cat == NULL)
			ic_errorf(&cli->err, "out of memory");
		engine_close(ctx.eng);
		catalog_free(cat);
		return EXIT_FAIL;
	}
	ctx.start = start;
	ctx.end = end;
	ctx.opts = &aa->opts;
	ctx.catalog = cat;
	ctx.allocation = *allocp;
	ctx.slice = &aa->sl;
	ctx.memo = &memo;
	if (analyze_emitter(cli, &e, ctx.eng, &out, &detail, &detail_len) != 0) {
		catalog_free(cat);
		engine_close(ctx.eng);
		return EXIT_FAIL;
	}
	e.sav = &sv;
	e.only = csv_only;
	e.collect = cli->fmt == FMT_CSV && csv_only == NULL;
	for (i = 0; i < nonly; i++)
		only_names[i] = only[i]->name;
	only_names[nonly] = NULL;
	rc = run_checked(cli, &ctx, only_names, &e);
	if (rc == EXIT_OK)
		notes_slice(&e, &aa->sl, only, nonly);
	savings_finish(&sv);
	if (rc == EXIT_OK && sv.oom) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && cli->fmt == FMT_JSON) {
		cJSON *j = savings_json(&sv, top, cJSON_GetStringValue(cJSON_GetObjectItem(e.root,
											  "currency")));
		if (j == NULL || !cJSON_AddItemToObject(e.root, "savings", j)) {
			cJSON_Delete(j);
			ic_errorf(&cli->err, "out of memory");
			rc = EXIT_FAIL;
		}
	}
	if (rc == EXIT_OK && emit_end(&e) != 0) {
		ic_errorf(&cli->err, "error writing to standard output");
		rc = EXIT_FAIL;
	}
	if (out != stdout)
		rc = print_buffered(cli, rc, &sv, &e, top, out, &detail, &detail_len);
	if (rc == EXIT_OK)
		rc = csv_outcome(cli, aa, &e);
	if (rc == EXIT_OK && nfail > 0)
		rc = cli_fail_on_check(cli, &sv, aa->fail, nfail);
	emit_free(&e);
	savings_free(&sv);
	engine_close(ctx.eng);
	catalog_free(cat);
	return rc;
}

static enum exit_code
analyze_exec(struct cli *cli, int argc, char **argv)
{
	struct alloc_rules *alloc = NULL;
	struct analyze_args *aa = malloc(sizeof *aa);
	enum exit_code rc;

	if (aa == NULL)
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	rc = analyze_args(cli, argc, argv, aa);
	if (rc == EXIT_OK)
		rc = analyze_run(cli, aa, &alloc);
	alloc_rules_free(alloc);
	free(aa);
	return rc;
}

const struct cmd_entry cmd_analyze_entry = {
	.name = "analyze",
	.usage = "[FILE...] [--engine URL] [--month YYYY-MM] [--only LIST] [--as FORMAT]\n"
		 "       [--group-by KEY] [--filter KEY=VALUE|KEY!=VALUE ...]\n"
		 "       [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n"
		 "       [--pricing FILE] [--lookback DAYS] [--top N] [--fail-on KIND=AMOUNT[,...]]\n"
		 "       [threshold options]",
	.summary = "where the money goes, what to commit to, what is wasted",
	.help =
	"With FILEs, imports them first (as imcost import does) and analyzes the\n"
	"billing periods they cover; without, analyzes the database.  A --month\n"
	"without charges is an error naming the months that have some.\n"
	"\n"
	"The table and Markdown forms open with the savings found: the monthly total\n"
	"by kind (commitments, idle, unused_commitments, rightsizing), the top\n"
	"actions and what could not be assessed; then the details.  Not double\n"
	"counted: idle instances are left out of commitment and rightsizing advice;\n"
	"rightsizing of a region and instance family that also gets a purchase is\n"
	"not added (resize first, then analyze again).\n"
	"\n",
	.options = analyze_options,
	.help_end =
	"\n"
	"Amounts in different currencies are never added: there is one summary per\n"
	"billing currency.  Periods are [start, end) in UTC; ends are exclusive.\n"
	"--format json prints one document with savings{total_monthly, currency,\n"
	"by_kind[] (kind, monthly_savings, items), top_actions[] (kind, subject,\n"
	"monthly_savings, action), not_counted[], other_currencies[]; total_monthly =\n"
	"the sum of by_kind[]}, period.start, period.end, currency,\n"
	"summary{billed_cost, effective_cost, rows, by_service[], by_account[],\n"
	"by_region[], by_category[], by_day[], by_day_service[] (day, service, billed_cost,\n"
	"effective_cost), by_resource[] (resource_id, service, region, account,\n"
	"billed_cost, effective_cost, share)}, summaries[] (the same per currency),\n"
	"commitments{window, existing[], totals[], coverage,\n"
	"coverage_by_type[], recommendations[] (region, instance_type, platform, term,\n"
	"payment, count, upfront, on_demand_monthly, committed_monthly, monthly_savings,\n"
	"break_even_utilization, coverage_before, coverage_after, ...), offers[],\n"
	"savings_plan[], unpriced[], notes[]}, idle[] (resource_id, kind, reason,\n"
	"monthly_cost, period_cost, evidence, ...), anomalies{anomalies[]}, forecast{},\n"
	"unit_economics{months[]}, rightsizing{recommendations[]} and, with\n"
	"--allocation, allocation{key, currency, total_cost, rows[] (value, kind,\n"
	"direct_cost, shared_cost, total_cost, share), unallocated{cost, share,\n"
	"charges}, rules_used[], splits[], unit_costs[], notes[]}.\n",
	.exec = analyze_exec,
};
