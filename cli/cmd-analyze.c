/*
 * cmd-analyze.c - imcost analyze [FILE...] [--month YYYY-MM] [--only LIST]
 * [--pricing FILE] [--lookback DAYS] [threshold flags]
 *
 * The threshold flags fill struct analysis_opts (analyzers/options.h,
 * where the defaults and their sources are); --pricing files are merged
 * over the built-in catalog (analyzers/catalog.h).
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
#include "analyzers/pricebook.h"
#include "analyzers/options.h"
#include "analyzers/slice.h"
#include "cli/cli.h"
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

/*
 * Where the prices come from (issue 14, item 7): price lists are read
 * from the local SQLite database (--db) whatever the engine, the bill's
 * rates from the engine.  JSON: the top-level "prices" object {engine,
 * database, price_lists, price_source, note} for every engine; the other
 * forms: a "Prices" line when the charges are on a remote engine (the
 * SQLite forms stay as they were).  Returns 0, or -1 when out of memory.
 */
static int
price_origin(struct emitter *e, struct engine *eng, const char *db_path)
{
	int remote = engine_kind(eng) != ENGINE_SQLITE;
	long lists = pricebook_list_count(eng, db_path);
	char src[4200], note[8800];

	snprintf(src, sizeof src, "local database %s", db_path);
	if (!remote)
		snprintf(note, sizeof note, "price lists and the bill's rates are read from the database %s",
			 db_path);
	else if (lists < 0)
		snprintf(note, sizeof note, "the bill's rates are read from the %s engine; price lists are"
			 " read from the local database (--db), never from the engine, and there is no"
			 " readable database at %s: no price list was used (import them with imcost --db %s"
			 " import FILE)", engine_name(eng), db_path, db_path);
	else
		snprintf(note, sizeof note, "the bill's rates are read from the %s engine; price lists are"
			 " read from the local database %s (--db; %ld current), never from the engine"
			 " (import them with imcost --db %s import FILE)", engine_name(eng), db_path, lists,
			 db_path);
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "prices");
		if (o == NULL ||
		    cJSON_AddStringToObject(o, "engine", engine_name(eng)) == NULL ||
		    cJSON_AddStringToObject(o, "database", db_path) == NULL ||
		    (lists >= 0 ? cJSON_AddNumberToObject(o, "price_lists", (double)lists)
				: cJSON_AddNullToObject(o, "price_lists")) == NULL ||
		    cJSON_AddStringToObject(o, "price_source", src) == NULL ||
		    cJSON_AddStringToObject(o, "note", note) == NULL)
			return -1;
	} else if (remote) {
		emit_line(e, "Prices", note);
	}
	return 0;
}

/* analyze --fail-on KIND=AMOUNT: the kinds and what they measure */
#define FAIL_MAX 16
static const char *const fail_kinds[] = {
	"savings", "waste", "commitments", "idle", "unused_commitments", "rightsizing", "anomaly"
};
#define NFAIL_KINDS ((int)(sizeof fail_kinds / sizeof fail_kinds[0]))

struct fail_on {
	int kind;		/* index into fail_kinds */
	int64_t nanos;		/* money kinds: the amount, nanos a month */
	long count;		/* anomaly: the number of anomalies */
};

/* Parse "waste=100,anomaly=1".  Returns the number of thresholds, or -1
 * with msg set. */
static int
fail_on_parse(const char *arg, struct fail_on *f, int max, char *msg, size_t msize)
{
	char buf[512], *save = NULL, *tok;
	int n = 0;

	if (strlen(arg) >= sizeof buf) {
		snprintf(msg, msize, "--fail-on is too long");
		return -1;
	}
	memcpy(buf, arg, strlen(arg) + 1);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int k;
		if (eq == NULL) {
			snprintf(msg, msize, "--fail-on wants KIND=AMOUNT, not '%.100s'", tok);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < NFAIL_KINDS && strcmp(fail_kinds[k], tok) != 0; k++)
			;
		if (k == NFAIL_KINDS) {
			snprintf(msg, msize, "--fail-on: unknown kind '%.60s' (savings, waste, commitments,"
				 " idle, unused_commitments, rightsizing, anomaly)", tok);
			return -1;
		}
		if (n == max) {
			snprintf(msg, msize, "--fail-on: at most %d thresholds", max);
			return -1;
		}
		f[n].kind = k;
		if (strcmp(tok, "anomaly") == 0) {
			double d;
			if (number_parse(eq + 1, strlen(eq + 1), &d) != NUM_OK || d < 1 || d > 1e9 ||
			    d != floor(d)) {
				snprintf(msg, msize, "--fail-on anomaly wants a whole number from 1, not"
					 " '%.60s'", eq + 1);
				return -1;
			}
			f[n].count = (long)d;
		} else if (money_parse(eq + 1, strlen(eq + 1), &f[n].nanos) != NUM_OK || f[n].nanos <= 0) {
			snprintf(msg, msize, "--fail-on %s wants an amount above 0, not '%.60s'", tok, eq + 1);
			return -1;
		}
		n++;
	}
	if (n == 0) {
		snprintf(msg, msize, "--fail-on wants KIND=AMOUNT[,...]");
		return -1;
	}
	return n;
}

/* The measured value of a money kind in currency (nanos a month). */
static int64_t
fail_value(const struct savings *sv, int kind, const char *cur)
{
	const char *k = fail_kinds[kind];

	if (strcmp(k, "savings") == 0)
		return savings_total(sv, -1, cur);
	if (strcmp(k, "waste") == 0)
		return savings_total(sv, SAV_IDLE, cur) + savings_total(sv, SAV_UNUSED_COMMITMENTS, cur);
	for (int i = 0; i < SAV_NKINDS; i++)
		if (strcmp(saving_kind_names[i], k) == 0)
			return savings_total(sv, i, cur);
	return 0;
}

/* Check the thresholds; warn on stderr for each reached one.  Returns
 * EXIT_THRESHOLD when any is reached, else EXIT_OK. */
static enum exit_code
fail_on_check(struct cli *cli, const struct savings *sv, const struct fail_on *f, int nf)
{
	const char *cur = savings_main_currency(sv);
	enum exit_code rc = EXIT_OK;
	char a[48], b[48];

	for (int i = 0; i < nf; i++) {
		if (strcmp(fail_kinds[f[i].kind], "anomaly") == 0) {
			if (sv->anomalies >= f[i].count) {
				fprintf(stderr, "imcost: --fail-on anomaly=%ld reached: %ld anomal%s\n",
					f[i].count, sv->anomalies, sv->anomalies == 1 ? "y" : "ies");
				rc = EXIT_THRESHOLD;
			}
			continue;
		}
		/* a money threshold is in the main currency of the savings */
		if (cur != NULL && fail_value(sv, f[i].kind, cur) >= f[i].nanos) {
			fprintf(stderr, "imcost: --fail-on %s=%s reached: %s %s a month\n",
				fail_kinds[f[i].kind], money_format_json(f[i].nanos, a),
				money_format_json(fail_value(sv, f[i].kind, cur), b), cur);
			rc = EXIT_THRESHOLD;
		}
	}
	(void)cli;
	return rc;
}

/*
 * What the slice is and which analyses did not apply it: JSON slice{
 * filters[] {key, op, value}, since, until (exclusive), group_by,
 * applied_to[], not_applied[] {analysis, note}}, and a "Filter not
 * applied" line in the other forms.  Only the summary applies filters and
 * days; the others read whole billing periods of every charge.
 */
static void
slice_note(struct emitter *e, const struct slice *sl, const struct analyzer *const *only,
	   int nonly)
{
	char names[600] = "", d[32], line[800];
	size_t o = 0;

	if (!slice_restricts(sl) && !sl->group)
		return;
	for (int k = 0; k < nonly; k++)
		if (strcmp(only[k]->name, "summary") != 0 && o < sizeof names)
			o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "",
					      only[k]->name);
	if (e->fmt == FMT_JSON) {
		cJSON *j = cJSON_AddObjectToObject(e->root, "slice"), *a;

		if (j == NULL)
			return;
		if (sl->group)
			cJSON_AddStringToObject(j, "group_by", sl->group_by.label);
		else
			cJSON_AddNullToObject(j, "group_by");
		a = cJSON_AddArrayToObject(j, "filters");
		for (int k = 0; a && k < sl->nf; k++) {
			cJSON *f = cJSON_CreateObject();
			if (f == NULL)
				break;
			cJSON_AddStringToObject(f, "key", sl->f[k].key.label);
			cJSON_AddStringToObject(f, "op", sl->f[k].neg ? "!=" : "=");
			cJSON_AddStringToObject(f, "value", sl->f[k].value);
			cJSON_AddItemToArray(a, f);
		}
		if (sl->since)
			cJSON_AddStringToObject(j, "since", date_format(sl->since, d));
		else
			cJSON_AddNullToObject(j, "since");
		if (sl->until)
			cJSON_AddStringToObject(j, "until", date_format(sl->until, d));
		else
			cJSON_AddNullToObject(j, "until");
		a = cJSON_AddArrayToObject(j, "applied_to");
		cJSON_AddItemToArray(a, cJSON_CreateString("summary"));
		a = cJSON_AddArrayToObject(j, "not_applied");
		for (int k = 0; a && slice_restricts(sl) && k < nonly; k++) {
			cJSON *f;
			if (strcmp(only[k]->name, "summary") == 0 || (f = cJSON_CreateObject()) == NULL)
				continue;
			cJSON_AddStringToObject(f, "analysis", only[k]->name);
			cJSON_AddStringToObject(f, "note", "filter not applied: this analysis reads whole"
						" billing periods of every charge");
			cJSON_AddItemToArray(a, f);
		}
		return;
	}
	if (!slice_restricts(sl) || names[0] == '\0' || e->fmt == FMT_CSV)
		return;
	snprintf(line, sizeof line, "%s read whole billing periods of every charge; only the"
		 " summary is sliced", names);
	emit_heading(e, "Slice");
	emit_line(e, "Filter not applied", line);
}

enum {
	OPT_MONTH,
	OPT_SINCE,
	OPT_GROUP_BY,
	OPT_FILTER,
	OPT_ONLY,
	OPT_AS,
	OPT_ALLOCATION,
	OPT_TOP,
	OPT_FAIL_ON,
	OPT_ENGINE,
	OPT_PRICING,
	OPT_TOP_RESOURCES,
	OPT_LOOKBACK,
	OPT_COMMIT_MIN_DAYS,
	OPT_TERM,
	OPT_PAYMENT,
	OPT_IDLE_CPU,
	OPT_IDLE_NETWORK_MB,
	OPT_IDLE_MIN_DAYS,
	OPT_IDLE_WINDOW,
	OPT_IDLE_SHARE,
	OPT_IDLE_VOLUME_OPS,
	OPT_IDLE_TRAFFIC_SHARE,
	OPT_RIGHTSIZE_PERCENTILE,
	OPT_RIGHTSIZE_CPU,
	OPT_RIGHTSIZE_MEMORY,
	OPT_RIGHTSIZE_MIN_HOURS,
	OPT_ANOMALY_WINDOW,
	OPT_ANOMALY_MIN_HISTORY,
	OPT_ANOMALY_Z,
	OPT_ANOMALY_MIN_IMPACT,
	OPT_ANOMALY_MIN_SHARE,
	OPT_FORECAST_WEEKDAY_DAYS,
	OPT_UNTIL,
};

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
		n = fail_on_parse(v, aa->fail + aa->nfail, FAIL_MAX - aa->nfail, msg, sizeof msg);
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
	ctx->eng = cli_engine_open(cli, aa->engine_url);
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
	if (emit_begin(e, *out, cli->fmt) != 0 || price_origin(e, eng, cli->db_path) != 0) {
		if (*out != stdout)
			fclose(*out);
		free(*detail);
		*detail = NULL;
		emit_free(e);
		return ic_errorf(&cli->err, "out of memory");
	}
	return 0;
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
	struct catalog *cat = NULL;
	struct emitter e;
	struct savings sv;
	char *detail = NULL;
	size_t detail_len = 0;
	FILE *out = NULL;
	enum exit_code rc;
	int i;

	memset(&ctx, 0, sizeof ctx);
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
	rc = analyzers_run(&ctx, only_names, &e, &cli->err) == 0 ? EXIT_OK : EXIT_FAIL;
	if (rc == EXIT_OK)
		slice_note(&e, &aa->sl, only, nonly);
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
		rc = fail_on_check(cli, &sv, aa->fail, nfail);
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

static const struct cmd_option options[] = {
	{
		.name = "--month",
		.arg = "YYYY-MM",
		.help =
		"  --month YYYY-MM   only charges whose billing period starts in that month\n"
		"                    (also this: the current month, last: the one before; UTC)\n",
	},
	{
		.name = "--since",
		.arg = "YYYY-MM-DD",
		.help =
		"  --since DAY, --until DAY\n"
		"                    only charges whose charge period starts on or after DAY\n"
		"                    (YYYY-MM-DD, UTC) / before DAY (exclusive); the other\n"
		"                    analyses read the billing months these days fall in\n",
	},
	{
		.name = "--group-by",
		.arg = "KEY",
		.help =
		"  --group-by KEY    the summary adds the cost of each value of KEY: service,\n"
		"                    account, region, provider, category, resource or tag:NAME\n"
		"                    (tag names match whatever the case, user: prefix or\n"
		"                    separators); for a tag, also the untagged cost and the\n"
		"                    top untagged resources\n",
	},
	{
		.name = "--filter",
		.arg = "KEY=VALUE|KEY!=VALUE",
		.repeat = 1,
		.help =
		"  --filter KEY=VALUE, --filter KEY!=VALUE\n"
		"                    only charges whose KEY is (is not) VALUE; repeatable (all\n"
		"                    must hold); a charge without a tag is != every value.\n"
		"                    Only the summary applies --filter/--since/--until; the\n"
		"                    other analyses say \"filter not applied\"\n"
		"                    (default: every period in the data)\n",
	},
	{
		.name = "--only",
		.arg = "LIST",
		.help =
		"  --only LIST       comma-separated analyses to run (default: all); with\n"
		"                    --format csv, the one table to print (an analysis that\n"
		"                    prints one, or a section such as by_service, existing,\n"
		"                    recommendations, not_assessed), without its title line:\n"
		"                      summary      billed vs effective cost by service, account,\n"
		"                                   region, charge category, day, day and service;\n"
		"                                   top resources\n"
		"                      commitments  coverage and utilization of reservations and\n"
		"                                   savings plans; what to buy\n"
		"                      idle         idle instances, volumes, addresses, NAT\n"
		"                                   gateways, load balancers, unused commitments\n"
		"                      anomalies    daily cost spikes per service\n"
		"                      forecast     month-end projection\n"
		"                      unit_economics  cost per MAU, per million messages, per\n"
		"                                   peak connection\n"
		"                      rightsizing  the next smaller size that keeps headroom\n"
		"                      allocation   cost per team, product or IM feature\n"
		"                                   (with --allocation)\n",
	},
	{
		.name = "--as",
		.arg = "FORMAT",
		.help =
		"  --as FORMAT       force the format of the FILEs\n",
	},
	{
		.name = "--allocation",
		.arg = "RULES",
		.help =
		"  --allocation RULES  allocate the effective cost to the values of a JSON\n"
		"                    rules file (ordered rules, first match wins, globs on\n"
		"                    tag:KEY, service, usage_type, region, account, resource,\n"
		"                    provider, charge_category) and split shared costs\n"
		"                    (proportional, even, fixed ratios, a usage metric) exactly\n"
		"                    to the nano; README.md \"Allocation rules\", example\n"
		"                    PREFIX/share/imcost/allocation-im.json\n",
	},
	{
		.name = "--top",
		.arg = "N",
		.help =
		"  --top N           top actions in the savings block (default 5)\n",
	},
	{
		.name = "--fail-on",
		.arg = "KIND=AMOUNT[,...",
		.repeat = 1,
		.help =
		"  --fail-on KIND=AMOUNT[,...]  exit 3 (after printing everything) when a\n"
		"                    value reaches AMOUNT, for CI; kinds: savings (the total),\n"
		"                    waste (idle + unused_commitments), commitments, idle,\n"
		"                    unused_commitments, rightsizing (money a month, in the\n"
		"                    savings' currency) and anomaly (anomalies found), e.g.\n"
		"                    --fail-on waste=100,anomaly=1\n",
	},
	{
		.name = "--engine",
		.arg = "URL",
		.help =
		"  --engine URL      where the charges live: sqlite:PATH (the default, --db),\n"
		"                    clickhouse://HOST:PORT/DB[?cluster=NAME] or\n"
		"                    postgresql://HOST:PORT/DB (imported there with imcost\n"
		"                    import --engine); the aggregate queries run on the engine\n",
	},
	{
		.name = "--pricing",
		.arg = "FILE",
		.repeat = 1,
		.help =
		"  --pricing FILE    a pricing catalog (JSON) over every other price: its entries\n"
		"                    add to or replace the entries with the same provider,\n"
		"                    region, instance type and platform; may repeat.\n"
		"                    Format: {\"compute\":[{\"provider\",\"region\",\"instance_type\",\n"
		"                    \"platform\",\"on_demand_hourly\",\"commitments\":[{\"term\":\n"
		"                    \"1y|3y|1m\",\"payment\":\"no_upfront|partial_upfront|\n"
		"                    all_upfront\",\"upfront\",\"hourly\",\"type\":\"reserved|\n"
		"                    savings_plan\"}]}]}, optional currency (USD), vcpu,\n"
		"                    memory_gib, source, as_of.  The built-in catalog is installed\n"
		"                    as PREFIX/share/imcost/catalog.json.\n",
	},
	{
		.name = "--top-resources",
		.arg = "N",
		.before =
		"\n"
		"Prices (lowest precedence first): the built-in catalog, the bill's own\n"
		"on-demand rates (list cost / quantity), imported price lists (imcost import;\n"
		"the newest publication; read from --db whatever the --engine), --pricing\n"
		"files.  Every recommendation names its price_source; every instance group\n"
		"used on demand is in recommendations[], no_saving[] (with the break-even\n"
		"utilization) or unpriced[] (with the reason and the fix).\n"
		"\n"
		"Summary:\n",
		.help =
		"  --top-resources N resources in summary.by_resource, by effective cost in the\n"
		"                    period (default 20; 0: none)\n",
	},
	{
		.name = "--lookback",
		.arg = "DAYS",
		.before =
		"\n"
		"Commitments (purchase advice; monthly = 730 hours):\n",
		.help =
		"  --lookback DAYS   hours of on-demand usage to size purchases on: the DAYS\n"
		"                    before the end of the data (default: the analyzed period)\n",
	},
	{
		.name = "--commit-min-days",
		.arg = "N",
		.help =
		"  --commit-min-days N  no advice from a shorter window (default 7: one weekly\n"
		"                    cycle)\n",
	},
	{
		.name = "--term",
		.arg = "LIST",
		.help =
		"  --term LIST       offers to consider: 1y, 3y, 1m or any (default 1y,1m: a\n"
		"                    month of history is weak evidence for three years)\n",
	},
	{
		.name = "--payment",
		.arg = "LIST",
		.help =
		"  --payment LIST    no_upfront, partial_upfront, all_upfront or any (default any)\n",
	},
	{
		.name = "--idle-cpu",
		.arg = "PCT",
		.before =
		"  The count bought is the k maximizing sum_h p*min(u_h,k) - k*c*H; instances the\n"
		"  idle analysis flags are left out of u_h.  Usage billed on lines longer than\n"
		"  an hour (a daily CUR) says nothing about its hours: such groups get no\n"
		"  advice and a note (export the CUR with hourly granularity).  AWS Linux/UNIX\n"
		"  sizes of one family are sized together in normalized units (AWS's size\n"
		"  factors: large 4, xlarge 8, ...), counted in the smallest priced size.\n"
		"  Coverage as AWS states it: reservations in normalized units, savings plans by\n"
		"  cost (covered on-demand equivalent / that + on-demand spend).\n"
		"\n"
		"Idle and waste (defaults after AWS Trusted Advisor's low-utilization check:\n"
		"daily average CPU 10% or less and network I/O 5 MB or less on at least 4 of\n"
		"the last 14 days):\n",
		.help =
		"  --idle-cpu PCT          daily average CPU at most PCT (default 10)\n",
	},
	{
		.name = "--idle-network-mb",
		.arg = "MB",
		.help =
		"  --idle-network-mb MB    daily network in + out at most MB, 1 MB = 10^6 bytes\n"
		"                          (default 5)\n",
	},
	{
		.name = "--idle-min-days",
		.arg = "N",
		.help =
		"  --idle-min-days N       at least N such days (default 4)\n",
	},
	{
		.name = "--idle-window",
		.arg = "N",
		.help =
		"  --idle-window N         among the last N days with CPU metrics in the period\n"
		"                          (default 14, as Trusted Advisor); 0: the whole period,\n"
		"                          where the low days must also be more than --idle-share\n"
		"                          of the days with metrics (an instance idle for weeks\n"
		"                          and busy since is then not flagged, nor the reverse)\n",
	},
	{
		.name = "--idle-share",
		.arg = "R",
		.help =
		"  --idle-share R          with --idle-window 0: more than R of the days with\n"
		"                          metrics (default 0.5)\n",
	},
	{
		.name = "--idle-volume-ops",
		.arg = "N",
		.help =
		"  --idle-volume-ops N     volumes: fewer than N read+write operations a day on\n"
		"                          average (default 1, i.e. no I/O)\n",
	},
	{
		.name = "--idle-traffic-share",
		.arg = "R",
		.help =
		"  --idle-traffic-share R  NAT gateways and load balancers: traffic charges below\n"
		"                          R of their hourly charges (default 0.01, imcost's\n"
		"                          choice)\n",
	},
	{
		.name = "--rightsize-percentile",
		.arg = "P",
		.before =
		"\n"
		"Rightsizing (next smaller size of the same family in the catalog; defaults\n"
		"after AWS Compute Optimizer: CPU threshold p99.5, 20% headroom):\n",
		.help =
		"  --rightsize-percentile P  the percentile of the hourly samples judged\n"
		"                          (default 99.5; 95 is the older, more aggressive rule)\n",
	},
	{
		.name = "--rightsize-cpu",
		.arg = "PCT",
		.help =
		"  --rightsize-cpu PCT     that percentile of CPU scaled to the smaller size at\n"
		"                          most PCT (default 80, i.e. 20% headroom)\n",
	},
	{
		.name = "--rightsize-memory",
		.arg = "PCT",
		.help =
		"  --rightsize-memory PCT  the same for memory_utilization when present (80)\n",
	},
	{
		.name = "--rightsize-min-hours",
		.arg = "N",
		.help =
		"  --rightsize-min-hours N hourly CPU samples needed (default 168, one week)\n",
	},
	{
		.name = "--anomaly-window",
		.arg = "DAYS",
		.before =
		"\n"
		"Anomalies (daily effective cost of usage per service):\n",
		.help =
		"  --anomaly-window DAYS   trailing days of the median/MAD baseline (default 14)\n",
	},
	{
		.name = "--anomaly-min-history",
		.arg = "N",
		.help =
		"  --anomaly-min-history N baseline days needed (default 7)\n",
	},
	{
		.name = "--anomaly-z",
		.arg = "Z",
		.help =
		"  --anomaly-z Z           modified z-score 0.6745*(x-median)/MAD above Z\n"
		"                          (default 3.5, Iglewicz and Hoaglin's outlier rule)\n",
	},
	{
		.name = "--anomaly-min-impact",
		.arg = "A",
		.help =
		"  --anomaly-min-impact A  and actual - expected at least A (default 1.00, in\n"
		"                          the billing currency)\n",
	},
	{
		.name = "--anomaly-min-share",
		.arg = "R",
		.help =
		"  --anomaly-min-share R   and at least R x the expected day (default 0.1: the\n"
		"                          absolute and percentage floors of AWS Cost Anomaly\n"
		"                          Detection's alerts; 10% is imcost's choice), and that\n"
		"                          far above the same weekday of the baseline.  A step\n"
		"                          that stays up is one level_shift from its first day\n",
	},
	{
		.name = "--forecast-weekday-days",
		.arg = "N",
		.before =
		"\n"
		"Forecast:\n",
		.help =
		"  --forecast-weekday-days N  use the weekday pattern once N complete days are\n"
		"                          seen (default 14: two of each weekday); else run-rate\n",
	},
	{
		.name = "--until",
		.arg = "DAY",
	},
	{ .name = NULL }
};

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
	.options = options,
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
