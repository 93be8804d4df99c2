/*
 * cmd-forget.c - imcost forget [--dry-run] IMPORT | --batch BATCH: undo an
 * import (importers/forget.h): its rows go, the rows it replaced come back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/db.h"
#include "importers/forget.h"

static const struct table_col cols[] = {
	{ "import_id", "Import", CELL_INT, 0 },
	{ "batch", "Batch", CELL_INT, 0 },
	{ "file", "File", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "rows_removed", "Removed", CELL_INT, 0 },
	{ "rows_restored", "Restored", CELL_INT, 0 },
	{ "imports_restored", "Imports restored", CELL_INT, 0 },
	{ "periods_not_kept", "Periods not kept", CELL_INT, 0 },
};

static int
parse_id(const char *s, int64_t *out)
{
	char *end = NULL;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v <= 0)
		return -1;
	*out = v;
	return 0;
}

enum {
	OPT_DRY_RUN,
	OPT_BATCH,
};

static enum exit_code
forget_exec(struct cli *cli, int argc, char **argv)
{
	int dry_run = 0, batch = 0, r;
	const char *arg = NULL;
	int64_t id;
	sqlite3 *db;
	struct forget_result res;
	struct table *t;

	struct cmd_args args;
	enum exit_code rc = cli_parse(cli, &cmd_forget_entry, argc, argv, &args);

	dry_run = cmd_args_count(&args, OPT_DRY_RUN) > 0;
	batch = cmd_args_count(&args, OPT_BATCH) > 0;
	if (rc == EXIT_OK && args.npos > 1)
		rc = usage_error(cli, &cmd_forget_entry, "one import or batch at a time");
	arg = args.npos ? args.pos[0] : NULL;
	cmd_args_free(&args);
	if (rc != EXIT_OK)
		return rc;
	if (arg == NULL)
		return usage_error(cli, &cmd_forget_entry, "which import? (imcost list shows them)");
	if (parse_id(arg, &id) != 0)
		return usage_error(cli, &cmd_forget_entry, "'%s' is not an import or batch number",
				   arg);
	db = db_open(cli->db_path, DB_WRITE, &cli->err);
	if (db == NULL)
		return EXIT_FAIL;
	if (import_forget(db, id, batch, dry_run, &res, &cli->err) != 0) {
		db_close(db);
		return EXIT_FAIL;
	}
	db_close(db);
	t = table_new(dry_run ? "Would forget (dry run: nothing changed)" : "Forgotten", cols,
		      (int)(sizeof cols / sizeof cols[0]));
	if (t == NULL) {
		forget_result_free(&res);
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	}
	for (int i = 0; i < res.nitems; i++) {
		const struct forget_item *it = &res.items[i];
		int row = table_add_row(t);

		table_set_int(t, row, 0, it->import_id);
		table_set_int(t, row, 1, it->batch_id);
		table_set_text(t, row, 2, it->path);
		table_set_text(t, row, 3, it->kind);
		table_set_int(t, row, 4, it->removed);
		table_set_int(t, row, 5, it->restored);
		table_set_int(t, row, 6, it->nrestored_imports);
		table_set_int(t, row, 7, it->not_kept);
		if (it->not_kept > 0)
			cli_warn(cli, "batch %lld had replaced %ld period%s whose rows are no longer kept "
				 "(a later import replaced this one): they stay replaced",
				 (long long)it->batch_id, it->not_kept, it->not_kept == 1 ? "" : "s");
		if (strcmp(it->kind, "usage") == 0 && it->removed > 0)
			cli_warn(cli, "import %lld: its metric values are removed; values it overwrote when imported, if any, are not kept",
				 (long long)it->import_id);
	}
	forget_result_free(&res);
	r = table_print(t, stdout, cli->fmt);
	table_free(t);
	if (r != 0)
		return ic_errorf(&cli->err, "error writing to standard output"), EXIT_FAIL;
	return EXIT_OK;
}

static const struct cmd_option options[] = {
	{
		.name = "--dry-run",
	},
	{
		.name = "--batch",
	},
	{ .name = NULL }
};

const struct cmd_entry cmd_forget_entry = {
	.name = "forget",
	.usage = "[--dry-run] IMPORT | [--dry-run] --batch BATCH",
	.summary = "undo an import or a batch: its rows go, what it replaced comes back",
	.help =
	"Removes the rows of import IMPORT (or of every import of batch BATCH;\n"
	"imcost list shows both numbers) and puts back the rows it replaced, so\n"
	"the earlier imports it restated are current again where they were.\n"
	"One transaction: all of it or, on any error, nothing.  The rollups are\n"
	"rebuilt before it commits.\n"
	"\n"
	"One earlier copy is kept: rows that import A's replacement B replaced\n"
	"are dropped once B is itself wholly replaced, so forgetting B then\n"
	"cannot bring A back (a warning says so).  A usage import's metric\n"
	"values are removed; values it overwrote are not kept.  Price lists are\n"
	"managed by imcost prices.\n"
	"\n"
	"--dry-run prints what would be removed and restored, changes nothing.\n"
	"Prints one line per import (table, or --format json|csv|markdown).\n",
	.options = options,
	.exec = forget_exec,
};
