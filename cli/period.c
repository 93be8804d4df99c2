/*
 * period.c - a --month with no charges is an error naming the months that
 * have some, for every command that takes --month (see cli.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/rollups.h"
#include "cli/cli.h"
#include "common/timeparse.h"

enum exit_code
cli_check_period(struct cli *cli, struct engine *eng, int64_t start, int64_t end, const char *where)
{
	char months[400] = "", mb[16];
	size_t o = 0, n;
	int found = 0, listed = 0, more = 0;
	int64_t *m;

	if (an_billing_months(eng, &m, &n, &cli->err) != 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < n; i++) {
		if (m[i] >= start && m[i] < end)
			found = 1;
		if (listed == 24) {
			more++;
			continue;
		}
		o += (size_t)snprintf(months + o, sizeof months - o, "%s%s", listed ? ", " : "",
				      month_format(m[i], mb));
		listed++;
		if (o >= sizeof months)
			o = sizeof months - 1;
	}
	free(m);
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
