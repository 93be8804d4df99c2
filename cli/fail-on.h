/*
 * fail-on.h - analyze --fail-on KIND=AMOUNT[,...] (fail-on.c).
 */
#ifndef IMCOST_FAIL_ON_H
#define IMCOST_FAIL_ON_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

#define FAIL_MAX 16

struct savings;

struct fail_on {
	int kind;		/* index into fail-on.c's kinds */
	int64_t nanos;		/* money kinds: the amount, nanos a month */
	long count;		/* anomaly: the number of anomalies */
};

/* Parse "waste=100,anomaly=1" into f (room for max).  Returns the number
 * of thresholds, or -1 with msg set. */
int cli_fail_on_parse(const char *arg, struct fail_on *f, int max, char *msg, size_t msize);

/* Check the thresholds; warn on stderr for each reached one.  Returns
 * EXIT_THRESHOLD when any is reached, else EXIT_OK. */
enum exit_code cli_fail_on_check(struct cli *cli, const struct savings *sv, const struct fail_on *f,
				 int nf);

#endif
