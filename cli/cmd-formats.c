/*
 * cmd-formats.c - imcost formats: every input format and the columns it
 * needs, then the metric names every usage format is read under
 * (importers/metrics.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "importers/importer.h"
#include "importers/metrics.h"

static const struct table_col vcols[] = {
	{ "metric", "imcost metric", CELL_TEXT, 0 },
	{ "unit", "Unit", CELL_TEXT, 0 },
	{ "hourly", "Kept per hour", CELL_TEXT, 0 },
	{ "provider", "Provider", CELL_TEXT, 0 },
	{ "name", "Provider name", CELL_TEXT, 0 },
	{ "provider_unit", "Provider unit", CELL_TEXT, 0 },
	{ "read_by", "Read by", CELL_TEXT, 0 },
};

static const struct table_col cols[] = {
	{ "name", "Format", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "description", "Description", CELL_TEXT, 0 },
	{ "needs", "Needs columns", CELL_TEXT, 0 },
};

static enum exit_code
formats_exec(struct cli *cli, int argc, char **argv)
{
	enum exit_code rc;
	struct table *t;
	int r;

	if ((rc = cli_no_args(cli, &cmd_formats_entry, argc, argv)) != EXIT_OK)
		return rc;
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
	if (r == 0 && cli->fmt != FMT_JSON) {
		t = table_new("Metric names (usage formats)", vcols, 7);
		if (t == NULL)
			return ic_errorf(&cli->err, "out of memory"), EXIT_FAIL;
		for (int c = 0; metric_canons[c].name; c++)
			for (int i = 0; metric_aliases[i].from; i++) {
				int row;
				if (strcmp(metric_aliases[i].to, metric_canons[c].name) != 0)
					continue;
				row = table_add_row(t);
				table_set_text(t, row, 0, metric_canons[c].name);
				table_set_text(t, row, 1, metric_canons[c].unit);
				table_set_text(t, row, 2, metric_canons[c].hourly);
				table_set_text(t, row, 3, metric_aliases[i].provider);
				table_set_text(t, row, 4, metric_aliases[i].from);
				table_set_text(t, row, 5, metric_aliases[i].from_unit);
				table_set_text(t, row, 6, metric_canons[c].read_by);
			}
		fputc('\n', stdout);
		r = table_print(t, stdout, cli->fmt);
		table_free(t);
	}
	if (r != 0)
		return ic_errorf(&cli->err, "error writing to standard output"), EXIT_FAIL;
	return EXIT_OK;
}

const struct cmd_entry cmd_formats_entry = {
	.name = "formats",
	.usage = "",
	.summary = "list the input formats and the columns each needs",
	.help = "Formats are detected from the header; imcost import --as NAME forces one.\n"
		"Then the metric vocabulary: the names of usage metrics imcost reads, under\n"
		"each provider's name and unit (converted on import), how an hour of samples\n"
		"is kept, and which analysis reads each.  Other names are kept as they are\n"
		"(a warning lists them).  With --format json, only the formats.\n",
	.exec = formats_exec,
};
