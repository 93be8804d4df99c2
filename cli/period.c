/*
 * period.c - a --month with no charges is an error naming the months that
 * have some, for every command that takes --month (see cli.h).
 */
#include <stdio.h>
#include <string.h>

#include "analyzers/rollups.h"
#include "cli/cli.h"
#include "common/engine.h"
#include "common/timeparse.h"

enum exit_code
cli_check_period(struct cli *cli, struct engine *eng, int64_t start, int64_t end, const char *where)
{
	struct engine_stmt *st;
	char months[400] = "", mb[16];
	size_t o = 0;
	int r, found = 0, listed = 0, more = 0;
	int64_t last = INT64_MIN;

	if (an_rollups(eng, &cli->err) != 0)
		return EXIT_FAIL;
	st = engine_prepare(eng, "SELECT BillingPeriodStart FROM rollup_daily GROUP BY BillingPeriodStart"
			    " ORDER BY BillingPeriodStart", &cli->err);
	if (st == NULL)
		return EXIT_FAIL;
	while ((r = engine_step(st, &cli->err)) == 1) {
		int64_t m = month_start(engine_column_int64(st, 0));
		if (m >= start && m < end)
			found = 1;
		if (m == last)
			continue;
		last = m;
		if (listed == 24) {
			more++;
			continue;
		}
		o += (size_t)snprintf(months + o, sizeof months - o, "%s%s", listed ? ", " : "",
				      month_format(m, mb));
		listed++;
		if (o >= sizeof months)
			o = sizeof months - 1;
	}
	engine_finalize(st);
	if (r < 0)
		return EXIT_FAIL;
	if (found)
		return EXIT_OK;
	if (listed == 0)
		ic_errorf(&cli->err, "no charges for %s in %s, nor any other month (imcost import FILE"
			  " first)", month_format(start, mb), where);
	else
		ic_errorf(&cli->err, "no charges for %s in %s; months with charges: %s%s (imcost list"
			  " shows the imports)", month_format(start, mb), where, months,
			  more ? ", ..." : "");
	return EXIT_FAIL;
}
