/*
 * cmd-sql.c - imcost sql 'SELECT ...': the read-only escape hatch.
 *
 * The database is opened read-only and with query_only set, and only a
 * single statement that sqlite3_stmt_readonly() accepts is run, so nothing
 * typed here can change the data.  Money in the charges table is in
 * nano-units (column names ending in Nanos); the `focus` view shows
 * decimal amounts and ISO times, `focus_daily` the same per day and
 * dimension combination (a rollup kept by import); money() and
 * money_sum() (common/sqlfn.h) print nano-units as exact decimals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/db.h"
#include "common/rollup.h"
#include "common/sqlfn.h"

#define MAX_COLS 256

/*
 * A REAL as text without binary float noise: rounded to 9 decimals (the
 * nano-units money is stored in, so SUM(BilledCost) of the focus view
 * prints 84.991890528, not 84.9918905280001), trailing zeros dropped;
 * beyond 1e15 and below 0.001 the shortest text that reads back as the same double.  '.'
 * whatever the locale.  NULL for a value that is not finite.  buf: 64 bytes.
 */
static const char *
real_text(double v, char *buf)
{
	size_t n;

	if (!isfinite(v))
		return NULL;
	if (fabs(v) >= 1e15 || (v != 0 && fabs(v) < 1e-3)) {
		for (int p = 1; p <= 17; p++) {
			snprintf(buf, 64, "%.*g", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	} else {
		snprintf(buf, 64, "%.9f", v);
		for (char *q = buf; *q; q++)
			if (*q != '-' && (*q < '0' || *q > '9')) {
				*q = '.';
				break;
			}
		n = strlen(buf);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
	}
	for (char *q = buf; *q; q++)
		if (*q == ',')
			*q = '.';
	return buf;
}

/* The tables of main a statement reads, collected by the authorizer
 * while it is prepared (views count as the tables under them). */
struct reads {
	char **name;
	int n, cap, nomem;
};

static int
note_read(void *arg, int action, const char *a3, const char *a4, const char *a5, const char *a6)
{
	struct reads *r = arg;

	(void)a4;
	(void)a6;
	if (action != SQLITE_READ || a3 == NULL || (a5 && strcmp(a5, "main") != 0) ||
	    strncmp(a3, "sqlite_", 7) == 0)
		return SQLITE_OK;
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->name[i], a3) == 0)
			return SQLITE_OK;
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 16;
		char **p = realloc(r->name, (size_t)cap * sizeof *p);
		if (p == NULL) {
			r->nomem = 1;
			return SQLITE_DENY;
		}
		r->name = p;
		r->cap = cap;
	}
	if ((r->name[r->n] = strdup(a3)) == NULL) {
		r->nomem = 1;
		return SQLITE_DENY;
	}
	r->n++;
	return SQLITE_OK;
}

/*
 * Open the database read-only and prepare text, one statement that only
 * reads, its tables quick-checked.  EXIT_OK with *db and *st set (the
 * caller finalizes and closes them, even on failure).
 */
static enum exit_code
sql_prepare(struct cli *cli, const char *text, sqlite3 **dbp, sqlite3_stmt **stp)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	enum exit_code rc = EXIT_FAIL;
	struct reads reads = { .name = NULL };
	int r;

	/* the quick check covers the tables the statement reads (below) */
	db = *dbp = db_open(cli->db_path, DB_QUERY, &cli->err);
	if (db == NULL)
		return EXIT_FAIL;
	if (db_exec(db, "PRAGMA query_only = 1", "opening read-only", &cli->err) != 0)
		goto out;
	/* ATTACH would let a query read (and name) any other file */
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (sqlfn_register(db) != SQLITE_OK) {
		ic_errorf(&cli->err, "sql: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (strstr(text, "rollup_") || strstr(text, "focus_daily")) {
		unsigned stale = 0;
		/* written by something other than imcost: the next import rebuilds them */
		if (rollup_stale(db, &stale, &cli->err) != 0)
			goto out;
		if (stale & ROLLUP_CHARGES)
			fprintf(stderr, "imcost: warning: the charge rollups (focus_daily, rollup_*) are out of"
				" date: the charges were changed outside imcost; the next import rebuilds them\n");
	}
	sqlite3_set_authorizer(db, note_read, &reads);
	r = sqlite3_prepare_v2(db, text, -1, &st, &tail);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (r != SQLITE_OK || reads.nomem) {
		ic_errorf(&cli->err, "sql: %s", reads.nomem ? "out of memory" : sqlite3_errmsg(db));
		goto out;
	}
	if (st == NULL) {
		ic_errorf(&cli->err, "sql: empty statement");
		rc = EXIT_USAGE;
		goto out;
	}
	while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == ';' || *tail == '\r'))
		tail++;
	if (tail && *tail) {
		ic_errorf(&cli->err, "sql: one statement at a time");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		ic_errorf(&cli->err, "sql: only statements that read are allowed (the database is opened read-only)");
		goto out;
	}
	if (db_check_tables(db, cli->db_path, (const char *const *)reads.name, reads.n,
			    &cli->err) != 0)
		goto out;
	/* the check's PRAGMA cell_size_check expires prepared statements: a
	 * fresh one, so that its column names stay valid across the steps */
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK || st == NULL) {
		ic_errorf(&cli->err, "sql: %s", sqlite3_errmsg(db));
		goto out;
	}
	rc = EXIT_OK;
out:
	*stp = st;
	for (int i = 0; i < reads.n; i++)
		free(reads.name[i]);
	free(reads.name);
	return rc;
}

/* The rows of st as a table or a JSON array. */
static enum exit_code
sql_print(struct cli *cli, sqlite3 *db, sqlite3_stmt *st)
{
	struct table_col cols[MAX_COLS];
	struct table *t = NULL;
	cJSON *arr = NULL;
	enum exit_code rc = EXIT_FAIL;
	int n, r;

	n = sqlite3_column_count(st);
	if (n > MAX_COLS)
		n = MAX_COLS;
	for (int i = 0; i < n; i++) {
		cols[i].key = sqlite3_column_name(st, i);
		cols[i].label = cols[i].key;
		cols[i].kind = CELL_TEXT;
		cols[i].decimals = 0;
	}
	if (cli->fmt == FMT_JSON)
		arr = cJSON_CreateArray();
	else
		t = table_new(NULL, cols, n);
	if (arr == NULL && t == NULL) {
		ic_errorf(&cli->err, "out of memory");
		goto out;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (arr) {
			cJSON *o = cJSON_CreateObject();
			for (int i = 0; i < n; i++) {
				cJSON *v;
				switch (sqlite3_column_type(st, i)) {
				case SQLITE_INTEGER:
					v = cJSON_CreateNumber((double)sqlite3_column_int64(st, i));
					break;
				case SQLITE_FLOAT: {
					char b[64];
					const char *x = real_text(sqlite3_column_double(st, i), b);
					v = x ? cJSON_CreateRaw(x) : cJSON_CreateNull();
					break;
				}
				case SQLITE_NULL:
					v = cJSON_CreateNull();
					break;
				default:
					v = cJSON_CreateString((const char *)sqlite3_column_text(st, i));
				}
				cJSON_AddItemToObject(o, cols[i].key, v);
			}
			cJSON_AddItemToArray(arr, o);
		} else {
			int row = table_add_row(t);
			for (int i = 0; i < n; i++) {
				char b[64];
				if (sqlite3_column_type(st, i) == SQLITE_FLOAT)
					table_set_text(t, row, i, real_text(sqlite3_column_double(st, i), b));
				else
					table_set_text(t, row, i, (const char *)sqlite3_column_text(st, i));
			}
		}
	}
	if (r != SQLITE_DONE) {
		ic_errorf(&cli->err, "sql: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (arr) {
		char *s = cJSON_Print(arr);
		if (s)
			puts(s);
		cJSON_free(s);
	} else if (table_print(t, stdout, cli->fmt) != 0) {
		ic_errorf(&cli->err, "error writing to standard output");
		goto out;
	}
	rc = EXIT_OK;
out:
	cJSON_Delete(arr);
	table_free(t);
	return rc;
}

static enum exit_code
sql_exec(struct cli *cli, int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	enum exit_code rc;

	/* no option grammar here: the one argument is SQL, which may start
	 * with "--" (a comment) */
	if (argc != 2)
		return usage_error(cli, &cmd_sql_entry, "give exactly one SQL statement, quoted");
	rc = sql_prepare(cli, argv[1], &db, &st);
	if (rc == EXIT_OK)
		rc = sql_print(cli, db, st);
	sqlite3_finalize(st);
	db_close(db);
	return rc;
}

const struct cmd_entry cmd_sql_entry = {
	.name = "sql",
	.usage = "'SELECT ...'",
	.summary = "run one read-only SQL query on the database",
	.help =
	"Tables: charges (FOCUS columns; money as integer nano-units in *Nanos\n"
	"columns, times as Unix seconds; a view of charge_facts and charge_dims),\n"
	"usage (resource_id, ts, metric, value, unit), imports, import_periods,\n"
	"batches.  The view `focus` shows charges\n"
	"with FOCUS names, decimal money and ISO 8601 times; `focus_daily` the\n"
	"same summed per UTC day and combination of text columns (x_Rows charges\n"
	"each, *Nanos exact sums): much faster for any question that does not\n"
	"need the single charge.  Exact money: money(NANOS [, DECIMALS]) prints\n"
	"an integer of nano-units as exact decimal text, money_sum(NANOS) sums\n"
	"them exactly (128-bit), e.g.\n"
	"  imcost sql 'SELECT ServiceName, money_sum(BilledCostNanos) AS cost\n"
	"              FROM focus_daily GROUP BY ServiceName ORDER BY SUM(BilledCostNanos) DESC'\n"
	"The database is opened read-only: statements that write are refused.\n"
	"REAL results print rounded to 9 decimals (nano-units, the precision money\n"
	"is stored in: no binary float noise such as 84.9918905280001), trailing\n"
	"zeros dropped; below 0.001 or from 10^15 on, the shortest decimal that\n"
	"reads back as the same double.\n",
	.exec = sql_exec,
};
