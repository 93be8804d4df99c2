/*
 * cmd-analyze.c - imcost analyze [FILE...] [--month YYYY-MM] [--only LIST]
 */
#include <stdio.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "cli/cli.h"
#include "common/db.h"
#include "common/timeparse.h"

#define MAX_ONLY 32

static int
data_span(sqlite3 *db, int64_t *start, int64_t *end, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT MIN(BillingPeriodStart), MAX(BillingPeriodEnd) FROM charges", err);
	int r;

	if (st == NULL)
		return -1;
	r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, "finding the imported periods", err);
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return ic_errorf(err, "no charges in the database yet (imcost import FILE, or imcost analyze FILE)");
	}
	*start = sqlite3_column_int64(st, 0);
	*end = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

static enum exit_code
analyze_exec(struct cli *cli, int argc, char **argv)
{
	const struct analyzer *only[MAX_ONLY + 1];
	const char *month = NULL, *as = NULL, *only_arg = NULL;
	char *files[256];
	int nfiles = 0, nonly = 0;
	int64_t start = 0, end = 0;
	struct analysis_ctx ctx;
	struct emitter e;
	enum exit_code rc;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--month") == 0 || strcmp(a, "--only") == 0 || strcmp(a, "--as") == 0) {
			if (i + 1 >= argc)
				return usage_error(cli, &cmd_analyze_entry, "%s needs a value", a);
			if (a[2] == 'm')
				month = argv[++i];
			else if (a[2] == 'o')
				only_arg = argv[++i];
			else
				as = argv[++i];
		} else if (strncmp(a, "--month=", 8) == 0) {
			month = a + 8;
		} else if (strncmp(a, "--only=", 7) == 0) {
			only_arg = a + 7;
		} else if (strncmp(a, "--as=", 5) == 0) {
			as = a + 5;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error(cli, &cmd_analyze_entry, "unknown option '%s'", a);
		} else {
			if (nfiles == (int)(sizeof files / sizeof files[0]))
				return usage_error(cli, &cmd_analyze_entry, "too many files (at most 256)");
			files[nfiles++] = argv[i];
		}
	}
	if (month && month_parse(month, &start, &end) != 0)
		return usage_error(cli, &cmd_analyze_entry, "--month wants YYYY-MM, not '%s'", month);
	if (only_arg) {
		char buf[512], *save = NULL, *tok;
		snprintf(buf, sizeof buf, "%s", only_arg);
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
			if (nonly < MAX_ONLY)
				only[nonly++] = a;
		}
	} else {
		for (; analyzers[nonly] && nonly < MAX_ONLY; nonly++)
			only[nonly] = analyzers[nonly];
	}
	only[nonly] = NULL;

	if (nfiles) {
		int64_t fs, fe;
		rc = import_files(cli, as, files, nfiles, &fs, &fe);
		if (rc != EXIT_OK)
			return rc;
		if (!month && fs) {
			start = fs;
			end = fe;
		}
	}
	ctx.db = db_open(cli->db_path, DB_READ, &cli->err);
	if (ctx.db == NULL)
		return EXIT_FAIL;
	if (start == 0 && end == 0 && data_span(ctx.db, &start, &end, &cli->err) != 0) {
		db_close(ctx.db);
		return EXIT_FAIL;
	}
	ctx.start = start;
	ctx.end = end;
	if (emit_begin(&e, stdout, cli->fmt) != 0) {
		db_close(ctx.db);
		ic_errorf(&cli->err, "out of memory");
		return EXIT_FAIL;
	}
	rc = EXIT_OK;
	for (i = 0; i < nonly; i++)
		if (analyzer_run(only[i], &ctx, &e, &cli->err) != 0) {
			rc = EXIT_FAIL;
			break;
		}
	if (rc == EXIT_OK && emit_end(&e) != 0) {
		ic_errorf(&cli->err, "error writing to standard output");
		rc = EXIT_FAIL;
	}
	emit_free(&e);
	db_close(ctx.db);
	return rc;
}

const struct cmd_entry cmd_analyze_entry = {
	.name = "analyze",
	.usage = "[FILE...] [--month YYYY-MM] [--only LIST] [--as FORMAT]",
	.summary = "where the money goes, what to commit to, what is wasted",
	.help =
	"With FILEs, imports them first (as imcost import does) and analyzes the\n"
	"billing periods they cover; without, analyzes the database.\n\n"
	"  --month YYYY-MM   only charges whose billing period starts in that month\n"
	"                    (default: every period in the data)\n"
	"  --only LIST       comma-separated analyses to run (default: all):\n"
	"                      summary  billed vs effective cost by service, account,\n"
	"                               region, charge category and day\n"
	"  --as FORMAT       force the format of the FILEs\n\n"
	"Amounts in different currencies are never added: there is one summary per\n"
	"billing currency.  Periods are [start, end) in UTC; ends are exclusive.\n"
	"--format json prints one document with period.start, period.end, currency,\n"
	"summary.billed_cost, summary.effective_cost, summary.by_service[] (service,\n"
	"billed_cost, effective_cost), and summaries[] for every currency.\n",
	.exec = analyze_exec,
};
