/*
 * cmd-list.c - imcost list: what has been imported, and which batch is
 * current for each billing period.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/import-list.h"
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

/* The status column of entry e. */
static void
entry_status(const struct import_list_entry *e, char *status, size_t size)
{
	if (!e->has_period)
		snprintf(status, size, "%s",
			 e->kind && strcmp(e->kind, "usage") == 0 ? "current (usage metrics)" :
			 e->kind && strcmp(e->kind, "prices") == 0 ? "price list (imcost prices)" :
			 "current (no rows)");
	else if (e->replaced_by == 0 && e->replaced_rows > 0)
		snprintf(status, size, "partly replaced (%lld rows)", (long long)e->replaced_rows);
	else if (e->replaced_by == 0)
		snprintf(status, size, "current");
	else
		snprintf(status, size, "replaced by batch %lld", (long long)e->replaced_by);
}

static enum exit_code
list_exec(struct cli *cli, int argc, char **argv)
{
	enum exit_code rc;
	struct import_list l;
	struct table *t;
	int r;

	if ((rc = cli_no_args(cli, &cmd_list_entry, argc, argv)) != EXIT_OK)
		return rc;
	if (import_list_read(cli->db_path, &l, &cli->err) != 0)
		return EXIT_FAIL;
	t = table_new("Imported files", cols, (int)(sizeof cols / sizeof cols[0]));
	if (t == NULL) {
		import_list_free(&l);
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct import_list_entry *e = &l.v[i];
		int row = table_add_row(t);
		char m[32], status[48];

		table_set_int(t, row, 0, e->import_id);
		table_set_int(t, row, 1, e->batch);
		table_set_text(t, row, 2, e->path);
		table_set_text(t, row, 3, e->format);
		if (e->has_period) {
			table_set_text(t, row, 4, e->provider);
			table_set_text(t, row, 5, e->billing_account);
			table_set_text(t, row, 6, month_format(e->period_start, m));
			table_set_text(t, row, 8, e->currency);
			table_set_money(t, row, 9, e->billed_nanos);
			table_set_money(t, row, 10, e->effective_nanos);
		}
		table_set_int(t, row, 7, e->rows);
		entry_status(e, status, sizeof status);
		table_set_text(t, row, 11, status);
		table_set_text(t, row, 12, e->imported_at);
	}
	import_list_free(&l);
	r = table_print(t, stdout, cli->fmt);
	table_free(t);
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
