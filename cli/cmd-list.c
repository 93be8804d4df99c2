/*
 * cmd-list.c - imcost list: what has been imported, and which batch is
 * current for each billing period.
 */
#include <string.h>

#include "cli/cli.h"
#include "common/db.h"
#include "common/timeparse.h"

static const struct table_col cols[] = {
	{ "import_id", "Import", CELL_INT, 0 },
	{ "batch", "Batch", CELL_INT, 0 },
	{ "file", "File", CELL_TEXT, 0 },
	{ "format", "Format", CELL_TEXT, 0 },
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "billing_account", "Account", CELL_TEXT, 0 },
	{ "period", "Period", CELL_TEXT, 0 },
	{ "rows", "Rows", CELL_INT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "status", "Status", CELL_TEXT, 0 },
	{ "imported_at", "Imported at", CELL_TEXT, 0 },
};

static enum exit_code
list_exec(struct cli *cli, int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct table *t;
	int r;

	(void)argv;
	if (argc > 1)
		return usage_error(cli, &cmd_list_entry, "no arguments expected");
	db = db_open(cli->db_path, DB_READ, &cli->err);
	if (db == NULL)
		return EXIT_FAIL;
	st = db_prepare(db,
		"SELECT i.id, i.batch_id, i.path, i.format, p.provider, p.billing_account_id,"
		" p.billing_period_start, p.rows, p.currency, p.billed_cost_nanos,"
		" p.effective_cost_nanos, p.replaced_by, i.imported_at, i.rows, i.kind, p.replaced_rows"
		" FROM imports i LEFT JOIN import_periods p ON p.import_id = i.id"
		" ORDER BY i.id, p.billing_period_start, p.provider, p.billing_account_id", &cli->err);
	t = table_new("Imported files", cols, (int)(sizeof cols / sizeof cols[0]));
	if (st == NULL || t == NULL) {
		sqlite3_finalize(st);
		table_free(t);
		db_close(db);
		return EXIT_FAIL;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int row = table_add_row(t);
		char m[32], status[48];
		int has_period = sqlite3_column_type(st, 6) != SQLITE_NULL;

		table_set_int(t, row, 0, sqlite3_column_int64(st, 0));
		table_set_int(t, row, 1, sqlite3_column_int64(st, 1));
		table_set_text(t, row, 2, (const char *)sqlite3_column_text(st, 2));
		table_set_text(t, row, 3, (const char *)sqlite3_column_text(st, 3));
		if (has_period) {
			table_set_text(t, row, 4, (const char *)sqlite3_column_text(st, 4));
			table_set_text(t, row, 5, (const char *)sqlite3_column_text(st, 5));
			table_set_text(t, row, 6, month_format(sqlite3_column_int64(st, 6), m));
			table_set_int(t, row, 7, sqlite3_column_int64(st, 7));
			table_set_text(t, row, 8, (const char *)sqlite3_column_text(st, 8));
			table_set_money(t, row, 9, sqlite3_column_int64(st, 9));
			table_set_money(t, row, 10, sqlite3_column_int64(st, 10));
			if (sqlite3_column_type(st, 11) == SQLITE_NULL &&
			    sqlite3_column_int64(st, 15) > 0)
				snprintf(status, sizeof status, "partly replaced (%lld rows)",
					 (long long)sqlite3_column_int64(st, 15));
			else if (sqlite3_column_type(st, 11) == SQLITE_NULL)
				snprintf(status, sizeof status, "current");
			else
				snprintf(status, sizeof status, "replaced by batch %lld",
					 (long long)sqlite3_column_int64(st, 11));
		} else {
			table_set_int(t, row, 7, sqlite3_column_int64(st, 13));
			const char *kind = (const char *)sqlite3_column_text(st, 14);
			snprintf(status, sizeof status, "%s",
				 strcmp(kind, "usage") == 0 ? "current (usage metrics)" :
				 strcmp(kind, "prices") == 0 ? "price list (imcost prices)" :
				 "current (no rows)");
		}
		table_set_text(t, row, 11, status);
		table_set_text(t, row, 12, (const char *)sqlite3_column_text(st, 12));
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		db_error(db, "listing imports", &cli->err);
		table_free(t);
		db_close(db);
		return EXIT_FAIL;
	}
	r = table_print(t, stdout, cli->fmt);
	table_free(t);
	db_close(db);
	if (r != 0)
		return ic_errorf(&cli->err, "error writing to standard output"), EXIT_FAIL;
	return EXIT_OK;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "",
	.summary = "what has been imported: files, formats, periods, rows, totals",
	.help =
	"One line per imported file and billing period (provider, billing account,\n"
	"currency), with its totals and whether it is current, partly replaced (a\n"
	"later file's window overlapped part of it: how many of its rows) or\n"
	"replaced by a later batch (a newer copy of the same month).  imcost\n"
	"forget undoes an import.\n",
	.exec = list_exec,
};
