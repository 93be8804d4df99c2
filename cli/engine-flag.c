/*
 * engine-flag.c - what --engine URL means for the reading commands
 * (analyze, report): see cli.h.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "common/db.h"
#include "common/engine.h"

struct engine *
cli_engine_open(struct cli *cli, const char *url, int bg_check)
{
	char buf[4200];

	if (url == NULL) {
		snprintf(buf, sizeof buf, "sqlite:%s", cli->db_path);
		url = buf;
	}
	return engine_open(url, bg_check ? DB_READ_BG : DB_READ, &cli->err);
}
