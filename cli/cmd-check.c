/*
 * cmd-check.c - imcost check: the full PRAGMA integrity_check of the
 * database, on demand.
 *
 * Every read-only command runs a time-bounded quick check when it opens
 * the database and every import a full one before it writes (common/db.c);
 * this runs the full check without a limit, lists up to 100 problems, and
 * exits 1 when there is one.  It opens the database read-only and writes
 * nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "common/db.h"

#define MAX_PROBLEMS 100

struct problems {
	cJSON *arr;		/* JSON output: the texts */
	int n;
};

static void
on_problem(void *arg, const char *text)
{
	struct problems *p = arg;
	char q[IC_QUOTE_SIZE];

	p->n++;
	if (p->arr)
		cJSON_AddItemToArray(p->arr, cJSON_CreateString(text));
	else
		printf("problem: %s\n", ic_quote(text, strlen(text), 120, q));
}

static enum exit_code
check_exec(struct cli *cli, int argc, char **argv)
{
	enum exit_code rc;
	struct problems p = { NULL, 0 };
	struct timespec t0, t1;
	sqlite3 *db;
	long long pages, page_size, version;
	double secs;
	int r;

	if ((rc = cli_no_args(cli, &cmd_check_entry, argc, argv)) != EXIT_OK)
		return rc;
	db = db_open(cli->db_path, DB_CHECK, &cli->err);
	if (db == NULL)
		return EXIT_FAIL;
	if (cli->fmt == FMT_JSON && (p.arr = cJSON_CreateArray()) == NULL) {
		db_close(db);
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	}
	pages = db_pragma_int(db, "page_count");
	page_size = db_pragma_int(db, "page_size");
	version = db_pragma_int(db, "user_version");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = db_integrity(db, 1, NULL, MAX_PROBLEMS, on_problem, &p, &cli->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	db_close(db);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (r < 0) {
		cJSON_Delete(p.arr);
		return EXIT_FAIL;
	}
	if (p.arr) {
		cJSON *o = cJSON_CreateObject();
		char *s;

		cJSON_AddStringToObject(o, "database", cli->db_path);
		cJSON_AddBoolToObject(o, "ok", r == 0);
		cJSON_AddNumberToObject(o, "schema_version", (double)version);
		cJSON_AddNumberToObject(o, "pages", (double)pages);
		cJSON_AddNumberToObject(o, "bytes", (double)(pages * page_size));
		cJSON_AddNumberToObject(o, "seconds", secs);
		cJSON_AddItemToObject(o, "problems", p.arr);
		s = cJSON_Print(o);
		if (s)
			puts(s);
		cJSON_free(s);
		cJSON_Delete(o);
	} else if (r == 0) {
		printf("ok: %s passed SQLite's integrity_check (schema %lld, %lld pages, %.1f MB)"
		       " in %.2f s\n", cli->db_path, version, pages,
		       (double)(pages * page_size) / 1e6, secs);
	}
	if (r != 0) {
		ic_errorf(&cli->err, "%s: DB is damaged: %d problem%s%s; restore it or re-import into"
			  " a new database", cli->db_path, p.n, p.n == 1 ? "" : "s",
			  p.n >= MAX_PROBLEMS ? " (the first ones)" : "");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "",
	.summary = "check the database for damage (SQLite's full integrity_check)",
	.help =
	"Runs SQLite's PRAGMA integrity_check on the whole database, read-only, and\n"
	"prints `ok: ...` with its size and the time taken, or one `problem: ...`\n"
	"line per problem found (up to 100) and exits 1.  --format json prints\n"
	"{database, ok, schema_version, pages, bytes, seconds, problems[]}.\n"
	"\n"
	"Other commands check too: list, analyze, report, sql and prices run\n"
	"PRAGMA quick_check table by table when they open the database, small\n"
	"tables first, and stop after 0.5 s ($IMCOST_QUICK_CHECK_SECONDS; a\n"
	"warning says when tables were left unchecked); import runs the full\n"
	"check before it writes.  A damaged database is refused by all of them\n"
	"and never written to.\n",
	.exec = check_exec,
};
