/*
 * cmd-formats.c - imcost formats: every input format and the columns it
 * needs.
 */
#include "cli/cli.h"
#include "importers/importer.h"

static const struct table_col cols[] = {
	{ "name", "Format", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "description", "Description", CELL_TEXT, 0 },
	{ "needs", "Needs columns", CELL_TEXT, 0 },
};

static enum exit_code
formats_exec(struct cli *cli, int argc, char **argv)
{
	struct table *t;
	int r;

	(void)argv;
	if (argc > 1)
		return usage_error(cli, &cmd_formats_entry, "no arguments expected");
	t = table_new("Input formats", cols, 4);
	if (t == NULL)
		return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
	for (int i = 0; importers[i]; i++) {
		int row = table_add_row(t);
		table_set_text(t, row, 0, importers[i]->name);
		table_set_text(t, row, 1, importers[i]->kind == KIND_USAGE ? "usage" :
			       importers[i]->kind == KIND_PRICES ? "prices" : "charges");
		table_set_text(t, row, 2, importers[i]->description);
		table_set_text(t, row, 3, importers[i]->needs);
	}
	r = table_print(t, stdout, cli->fmt);
	table_free(t);
	if (r != 0)
		return ic_errorf(&cli->err, "error writing to standard output"), EXIT_FAIL;
	return EXIT_OK;
}

const struct cmd_entry cmd_formats_entry = {
	.name = "formats",
	.usage = "",
	.summary = "list the input formats and the columns each needs",
	.help = "Formats are detected from the header; imcost import --as NAME forces one.\n",
	.exec = formats_exec,
};
