/*
 * cmd-import.c - imcost import [--as FORMAT] FILE...
 *
 * The options, then one loop over the files (run_files) through the
 * import target chosen: the SQLite database or, with --engine, a remote
 * engine (importers/import-target.h).  The files come from the arguments
 * through cmd-import-walk.c (folders, manifests).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd-import-int.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/decimal.h"
#include "common/timeparse.h"
#include "importers/import-target.h"
#include "importers/import.h"
#include "importers/importer.h"

/* import --date-slack DAYS, or -1 for the default (import_opts) */
static int date_slack_days = -1;
/* import --replace / --add (import_opts.restate) */
static int restate_opt;

static enum exit_code import_list(struct cli *cli, const char *as, char **files, int nfiles,
				  const char *label, int64_t *start, int64_t *end);

/* Columns of UTF-8 text s (code points; a wide CJK character counts 2). */
static size_t
text_cols(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n += *p >= 0xe3 && *p <= 0xed ? 2 : 1;	/* U+3000..U+DFFF: CJK */
	return n;
}

/* The summary of what a file brought, one line of at most SUMMARY_COLS
 * columns in the full wording, else a compact one, the path shortened to
 * ".../" and its end when it still does not fit. */
#define SUMMARY_COLS 100

static void
summary_line(const char *path, const struct import_result *r)
{
	char rest[2][400], a[48], b[48], m1[32], m2[32], period[80] = "", cnt[2][96];
	char rc[32], rw[32], shown[PATH_MAX];
	const char *unit = r->prices ? "price" : "row";
	size_t n[2] = { 0, 0 }, budget;
	int k;

	snprintf(rc, sizeof rc, "%ld", r->records);
	snprintf(rw, sizeof rw, "%ld", r->rows);
	snprintf(cnt[0], sizeof cnt[0], "%s record%s -> %s %s%s", rc, r->records == 1 ? "" : "s", rw,
		 unit, r->rows == 1 ? "" : "s");
	snprintf(cnt[1], sizeof cnt[1], "%s %s%s", rw, unit, r->rows == 1 ? "" : "s");
	if (r->period_start) {
		month_format(r->period_start, m1);
		month_format(r->period_end - 1, m2);
		if (strcmp(m1, m2) == 0)
			snprintf(period, sizeof period, "%s", m1);
		else
			snprintf(period, sizeof period, "%s..%s", m1, m2);
	}
	for (k = 0; k < 2; k++) {
		char *o = rest[k];
		size_t sz = sizeof rest[k], len;

		len = (size_t)snprintf(o, sz, "%s, %s", r->format, cnt[k]);
		if (period[0] && len < sz && k == 0)
			len += (size_t)snprintf(o + len, sz - len, ", billing period%s %s",
						strchr(period, '.') ? "s" : "", period);
		else if (period[0] && len < sz)
			len += (size_t)snprintf(o + len, sz - len, ", %s", period);
		if (r->currency[0] && len < sz)
			len += (size_t)snprintf(o + len, sz - len, k ? ", %s %s (effective %s)%s"
						: ", %s billed %s effective %s%s", r->currency,
						money_format(r->billed, 2, 1, a),
						money_format(r->effective, 2, 1, b),
						r->ncurrencies > 1 ? " (+ other currencies)" : "");
		if (r->replaced && len < sz)
			len += (size_t)snprintf(o + len, sz - len, r->prices ? ", replaced %d older price list publication%s"
						: k ? ", replaced %d import%s" : ", replaced %d earlier period import%s",
						r->replaced, r->replaced == 1 ? "" : "s");
		n[k] = text_cols(o);
	}
	k = strlen("imported : ") + text_cols(path) + n[0] <= SUMMARY_COLS ? 0 : 1;
	budget = SUMMARY_COLS > strlen("imported : ") + n[k] ? SUMMARY_COLS - strlen("imported : ") - n[k] : 0;
	if (budget < 24)
		budget = 24;
	if (text_cols(path) <= budget) {
		snprintf(shown, sizeof shown, "%s", path);
	} else {
		/* ".../" and the end of the path, cut at a character boundary */
		const char *t = path + strlen(path);
		while (t > path && text_cols(t) < budget - 4)
			t--;
		while (t > path && (*(const unsigned char *)t & 0xc0) == 0x80)
			t++;
		snprintf(shown, sizeof shown, ".../%s", t);
	}
	fprintf(stderr, "imported %s: %s\n", shown, rest[k]);
}

static void
print_result(const struct cli *cli, const char *path, const struct import_result *r)
{
	for (int i = 0; i < r->nwarnings; i++) {
		const struct import_warning *w = &r->warnings[i];
		const char *unit = w->unit ? w->unit : "row";
		char col[32] = "";

		if (w->first_col > 0)
			snprintf(col, sizeof col, ", column %ld", w->first_col);
		if (w->first_line <= 0)
			cli_warn(cli, "%s: %s (%ld %s%s)", path, w->msg, w->count, unit,
				 w->count == 1 ? "" : "s");
		else
			cli_warn(cli, "%s: %s (%ld %s%s, first at line %ld%s)", path, w->msg, w->count,
				 unit, w->count == 1 ? "" : "s", w->first_line, col);
	}
	if (cli->quiet)
		return;
	if (r->header_only) {
		fprintf(stderr, "%s: nothing imported (a header and no records)\n", path);
		return;
	}
	if (r->unchanged) {
		fprintf(stderr, "%s: unchanged (same content as import #%lld)\n", path,
			(long long)r->same_as);
		return;
	}
	summary_line(path, r);
}

static cJSON *
result_json(const char *path, const struct import_result *r)
{
	cJSON *o = cJSON_CreateObject();
	char m[32];

	cJSON_AddStringToObject(o, "file", path);
	cJSON_AddNumberToObject(o, "import_id", (double)r->import_id);
	cJSON_AddStringToObject(o, "format", r->format ? r->format : "");
	cJSON_AddBoolToObject(o, "unchanged", r->unchanged);
	cJSON_AddBoolToObject(o, "header_only", r->header_only);
	cJSON_AddNumberToObject(o, "records", (double)r->records);
	cJSON_AddNumberToObject(o, "rows", (double)r->rows);
	cJSON_AddStringToObject(o, "sha256", r->sha256);
	if (r->period_start) {
		cJSON_AddStringToObject(o, "period_start", date_format(r->period_start, m));
		cJSON_AddStringToObject(o, "period_end", date_format(r->period_end, m));
	}
	if (r->currency[0]) {
		cJSON_AddStringToObject(o, "currency", r->currency);
		cJSON_AddItemToObject(o, "billed_cost", json_money(r->billed));
		cJSON_AddItemToObject(o, "effective_cost", json_money(r->effective));
	}
	cJSON_AddNumberToObject(o, "replaced", r->replaced);
	cJSON_AddNumberToObject(o, "warnings", r->nwarnings);
	return o;
}

enum exit_code
import_files(struct cli *cli, const char *as, char **args, int nargs, int64_t *start,
	     int64_t *end)
{
	char *label = NULL;
	int nfiles = 0;
	struct strlist walked;
	char **files;
	enum exit_code rc;

	if (expand_dirs(cli, args, nargs, &walked) != 0)
		return EXIT_FAIL;
	files = expand_manifests(cli, walked.v, walked.n, &nfiles, &label);
	sl_free(&walked);
	if (files == NULL)
		return EXIT_FAIL;
	rc = import_list(cli, as, files, nfiles, label, start, end);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(label);
	return rc;
}

/* The error for a price list given to import --engine. */
static void
refuse_price_list(struct cli *cli, const char *file, const char *format)
{
	ic_errorf(&cli->err, "%s: a price list (%s) is not imported into an --engine: price lists"
		  " live in the local database, where analyze --engine reads them; import it there:"
		  " imcost --db %s import %s", file, format ? format : "?", cli->db_path, file);
}

/*
 * The one loop over the files: a session of target t into where (the
 * sqlite3 * or the struct engine *), each file in turn with its progress
 * line, then one commit.  res[0..nfiles) receives the results.  Returns
 * EXIT_OK, or EXIT_FAIL with cli->err set and nothing of the command
 * imported.
 */
static enum exit_code
run_files(struct cli *cli, const struct import_target_ops *t, void *where, const char *as,
	  const char *label, char **files, int nfiles, struct import_result *res)
{
	struct import_opts o;
	void *s;
	enum exit_code rc = EXIT_OK;

	memset(&o, 0, sizeof o);
	o.as = as;
	o.label = label;
	o.date_slack_days = date_slack_days;
	o.date_slack_set = date_slack_days >= 0;
	o.restate = restate_opt;
	s = t->new_session(where, &o, nfiles);
	if (s == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	for (int done = 0; done < nfiles; done++) {
		struct progress p = { cli, files[done], 0, 0, 0 };
		int r;

		t->set_progress(s, progress_cb, &p);
		r = t->import_file(s, files[done], &res[done], &cli->err);
		progress_done(&p);
		if (r != 0) {
			if (t == &import_target_engine && res[done].prices)
				/* a JSON price list, told by reading it */
				refuse_price_list(cli, files[done], res[done].format);
			rc = EXIT_FAIL;
			break;
		}
	}
	if (rc == EXIT_OK && t->commit(s, &cli->err) != 0)
		rc = EXIT_FAIL;
	if (rc != EXIT_OK && nfiles > 1) {
		size_t n = strlen(cli->err.msg);
		snprintf(cli->err.msg + n, sizeof cli->err.msg - n,
			 " (nothing of this command was imported)");
	}
	t->free_session(s);
	return rc;
}

/* One line per file on stderr and, with --format json and start NULL, the
 * results as a JSON array on stdout.  start, end (may be NULL): the span
 * of billing periods the files brought, 0 when none. */
static void
print_results(struct cli *cli, char **files, int nfiles, const struct import_result *res,
	      int64_t *start, int64_t *end)
{
	for (int i = 0; i < nfiles; i++) {
		print_result(cli, files[i], &res[i]);
		if (start && res[i].period_start) {
			if (*start == 0 || res[i].period_start < *start)
				*start = res[i].period_start;
			if (res[i].period_end > *end)
				*end = res[i].period_end;
		}
	}
	if (cli->fmt == FMT_JSON && start == NULL) {
		cJSON *arr = cJSON_CreateArray();
		char *txt;

		for (int i = 0; arr && i < nfiles; i++)
			cJSON_AddItemToArray(arr, result_json(files[i], &res[i]));
		txt = arr ? cJSON_Print(arr) : NULL;
		if (txt)
			puts(txt);
		cJSON_free(txt);
		cJSON_Delete(arr);
	}
}

/* Import files[0..nfiles) into the SQLite database as one batch. */
static enum exit_code
import_list(struct cli *cli, const char *as, char **files, int nfiles, const char *label,
	    int64_t *start, int64_t *end)
{
	struct import_result *res = NULL;
	sqlite3 *db = NULL;
	enum exit_code rc;
	int created;

	if (start)
		*start = *end = 0;
	if (as && importer_find(as) == NULL) {
		ic_errorf(&cli->err, "import: unknown format '%s' (imcost formats lists them)", as);
		return EXIT_USAGE;
	}
	res = calloc((size_t)nfiles, sizeof *res);
	if (res == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	/* a first import that fails leaves no database behind */
	created = access(cli->db_path, F_OK) != 0;
	db = db_open(cli->db_path, DB_WRITE_BG, &cli->err);
	if (db == NULL) {
		if (created)
			db_remove_files(cli->db_path);
		free(res);
		return EXIT_FAIL;
	}
	rc = run_files(cli, &import_target_sqlite, db, as, label, files, nfiles, res);
	/* the check beside the import (DB_WRITE_BG) has its say before any
	 * result is printed, also when nothing was written */
	if (db_check_wait(db, &cli->err) != 0)
		rc = EXIT_FAIL;
	if (rc == EXIT_OK)
		print_results(cli, files, nfiles, res, start, end);
	db_close(db);
	if (rc != EXIT_OK && created)
		db_remove_files(cli->db_path);
	free(res);
	return rc;
}

/*
 * import --engine URL with a remote engine: the same files, importers and
 * rules through importers/engine-import.c; CUR manifests are expanded,
 * folders are not walked.  Prints what import_list prints.
 */
static enum exit_code
engine_import_list(struct cli *cli, const char *url, const char *as, char **args, int nargs)
{
	struct engine *e = NULL;
	struct import_result *res = NULL;
	char *label = NULL, **files;
	int nfiles = 0;
	enum exit_code rc = EXIT_OK;

	if (as && importer_find(as) == NULL) {
		ic_errorf(&cli->err, "import: unknown format '%s' (imcost formats lists them)", as);
		return EXIT_USAGE;
	}
	files = expand_manifests(cli, args, nargs, &nfiles, &label);
	if (files == NULL)
		return EXIT_FAIL;
	res = calloc((size_t)nfiles, sizeof *res);
	if (res == NULL) {
		ic_errorf(&cli->err, "out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	/* price lists live in the local database whatever the engine
	 * (analyzers/pricebook.h): refuse them before reaching the engine */
	for (int i = 0; i < nfiles; i++) {
		const struct importer *imp = import_sniff(files[i], as);
		if (imp && imp->kind == KIND_PRICES) {
			refuse_price_list(cli, files[i], imp->name);
			rc = EXIT_FAIL;
			goto out;
		}
	}
	e = engine_open(url, DB_WRITE, &cli->err);
	if (e == NULL) {
		rc = cli->err.usage ? EXIT_USAGE : EXIT_FAIL;
		goto out;
	}
	rc = run_files(cli, &import_target_engine, e, as, label, files, nfiles, res);
	if (rc == EXIT_OK)
		print_results(cli, files, nfiles, res, NULL, NULL);
out:
	engine_close(e);
	free(res);
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(label);
	return rc;
}

enum {
	OPT_AS,
	OPT_DATE_SLACK,
	OPT_REPLACE,
	OPT_ADD,
	OPT_ENGINE,
};

/* One option of the command line, in order. */
static enum exit_code
import_option(struct cli *cli, const struct cmd_arg *o, const char **as, const char **url)
{
	char *end = NULL;
	long d;
	int want;

	switch (o->index) {
	case OPT_ENGINE:
		*url = o->value;
		break;
	case OPT_AS:
		*as = o->value;
		break;
	case OPT_DATE_SLACK:
		d = strtol(o->value, &end, 10);
		if (end == o->value || *end != '\0' || d < 0 || d > 366)
			return usage_error(cli, &cmd_import_entry,
					   "--date-slack needs a number of days from 0 to 366");
		date_slack_days = (int)d;
		break;
	case OPT_REPLACE:
	case OPT_ADD:
		want = o->index == OPT_REPLACE ? RESTATE_FORCE_PERIOD : RESTATE_FORCE_ADD;
		if (restate_opt && restate_opt != want)
			return usage_error(cli, &cmd_import_entry, "--replace and --add exclude each other");
		restate_opt = want;
		break;
	}
	return EXIT_OK;
}

static enum exit_code
import_exec(struct cli *cli, int argc, char **argv)
{
	const char *as = NULL, *url = NULL;
	struct cmd_args args;
	enum exit_code rc;
	int remote;

	rc = cli_parse(cli, &cmd_import_entry, argc, argv, &args);
	for (int k = 0; rc == EXIT_OK && k < args.n; k++)
		rc = import_option(cli, &args.v[k], &as, &url);
	if (rc == EXIT_OK && args.npos == 0)
		rc = usage_error(cli, &cmd_import_entry, "no files to import");
	if (rc == EXIT_OK)
		rc = cli_engine_arg(cli, &url, &remote);
	if (rc == EXIT_OK && remote)
		rc = engine_import_list(cli, url, as, args.pos, args.npos);
	else if (rc == EXIT_OK)
		rc = import_files(cli, as, args.pos, args.npos, NULL, NULL);
	cmd_args_free(&args);
	return rc;
}

static const struct cmd_option options[] = {
	{
		.name = "--as",
		.arg = "FORMAT",
	},
	{
		.name = "--date-slack",
		.arg = "DAYS",
	},
	{
		.name = "--replace",
	},
	{
		.name = "--add",
	},
	{
		.name = "--engine",
		.arg = "URL",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "[--as FORMAT] [--date-slack DAYS] [--replace|--add] [--engine URL] FILE...",
	.summary = "import billing exports and usage logs into the database",
	.help =
	"Files: .csv, .csv.gz (gzip is recognised by content), .json, JSON lines,\n"
	"Parquet (recognised by content; SNAPPY, GZIP, ZSTD or uncompressed pages;\n"
	"MAP columns read as the JSON text of the CSV exports), - for stdin, or\n"
	"an AWS CUR manifest (NAME-Manifest.json): its parts are imported as one\n"
	"batch labelled with its assemblyId.\n"
	"The format is detected from the header; --as FORMAT forces one\n"
	"(imcost formats lists them).\n"
	"\n"
	"Dates: a billing period must lie in the years 2000 to 2099 and be at\n"
	"most a month long (a longer one is refused: export or split it per\n"
	"month); a boundary written with an offset, 2026-10-01T00:00:00+08:00,\n"
	"is read as the UTC month start it names.  A charge period may start or\n"
	"end at most --date-slack DAYS (default 3) outside its billing period\n"
	"(late and cross-over rows); anything further is refused.\n"
	"\n"
	"Each file is one transaction: it is imported whole or not at all.\n"
	"The files of one command form one batch; the parts of one batch add up.\n"
	"A file replaces, in earlier batches of the same provider and billing\n"
	"account, what it is a complete copy of (README \"Replacement rules\"):\n"
	"  AWS CUR, Data Exports, Alibaba, Tencent CSV: each billing period\n"
	"  FOCUS, Azure: in each billing period, the span of its charge starts\n"
	"  GCP: the span of its usage starts, any invoice month (files of\n"
	"       disjoint usage windows add up; an overlap replaces only itself)\n"
	"  Tencent API pages: nothing (added, with a warning on overlap)\n"
	"--replace replaces whole billing periods whatever the format; --add\n"
	"replaces nothing.  Replaced rows are kept until their replacement is\n"
	"itself replaced: imcost forget IMPORT puts them back.  Content already\n"
	"imported and current (same SHA-256, compressed or not, any name)\n"
	"changes nothing; replaced content imported again is current again.\n"
	"\n"
	"Prints one line per file on stderr; with --format json, a JSON array\n"
	"of results on stdout.\n"
	"\n"
	"--engine URL imports into another engine instead of the SQLite file:\n"
	"clickhouse://HOST:PORT/DB[?cluster=NAME] (through clickhouse-client) or\n"
	"postgresql://HOST:PORT/DB (through psql); there a file replaces whole\n"
	"billing periods (the window rules above and forget are SQLite only); the\n"
	"command's files become visible together when it succeeds.  sqlite:PATH\n"
	"is the same as --db PATH.\n",
	.options = options,
	.exec = import_exec,
};
