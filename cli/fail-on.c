/*
 * fail-on.c - analyze --fail-on KIND=AMOUNT[,...]: the thresholds' grammar
 * and the check of the savings found against them (exit status 3,
 * EXIT_THRESHOLD, with one line on stderr per threshold reached).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/fail-on.h"
#include "common/decimal.h"
#include "output/savings.h"

/* the kinds and what they measure */
static const char *const fail_kinds[] = {
	"savings", "waste", "commitments", "idle", "unused_commitments", "rightsizing", "anomaly"
};
#define NFAIL_KINDS ((int)(sizeof fail_kinds / sizeof fail_kinds[0]))

/* Parse "waste=100,anomaly=1".  Returns the number of thresholds, or -1
 * with msg set. */
int
cli_fail_on_parse(const char *arg, struct fail_on *f, int max, char *msg, size_t msize)
{
	char buf[512], *save = NULL, *tok;
	int n = 0;

	if (strlen(arg) >= sizeof buf) {
		snprintf(msg, msize, "--fail-on is too long");
		return -1;
	}
	memcpy(buf, arg, strlen(arg) + 1);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int k;
		if (eq == NULL) {
			snprintf(msg, msize, "--fail-on wants KIND=AMOUNT, not '%.100s'", tok);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < NFAIL_KINDS && strcmp(fail_kinds[k], tok) != 0; k++)
			;
		if (k == NFAIL_KINDS) {
			snprintf(msg, msize, "--fail-on: unknown kind '%.60s' (savings, waste, commitments,"
				 " idle, unused_commitments, rightsizing, anomaly)", tok);
			return -1;
		}
		if (n == max) {
			snprintf(msg, msize, "--fail-on: at most %d thresholds", max);
			return -1;
		}
		f[n].kind = k;
		if (strcmp(tok, "anomaly") == 0) {
			double d;
			if (number_parse(eq + 1, strlen(eq + 1), &d) != NUM_OK || d < 1 || d > 1e9 ||
			    d != floor(d)) {
				snprintf(msg, msize, "--fail-on anomaly wants a whole number from 1, not"
					 " '%.60s'", eq + 1);
				return -1;
			}
			f[n].count = (long)d;
		} else if (money_parse(eq + 1, strlen(eq + 1), &f[n].nanos) != NUM_OK || f[n].nanos <= 0) {
			snprintf(msg, msize, "--fail-on %s wants an amount above 0, not '%.60s'", tok, eq + 1);
			return -1;
		}
		n++;
	}
	if (n == 0) {
		snprintf(msg, msize, "--fail-on wants KIND=AMOUNT[,...]");
		return -1;
	}
	return n;
}

/* The measured value of a money kind in currency (nanos a month). */
static int64_t
fail_value(const struct savings *sv, int kind, const char *cur)
{
	const char *k = fail_kinds[kind];

	if (strcmp(k, "savings") == 0)
		return savings_total(sv, -1, cur);
	if (strcmp(k, "waste") == 0)
		return savings_total(sv, SAV_IDLE, cur) + savings_total(sv, SAV_UNUSED_COMMITMENTS, cur);
	for (int i = 0; i < SAV_NKINDS; i++)
		if (strcmp(saving_kind_names[i], k) == 0)
			return savings_total(sv, i, cur);
	return 0;
}

/* Check the thresholds; warn on stderr for each reached one.  Returns
 * EXIT_THRESHOLD when any is reached, else EXIT_OK. */
enum exit_code
cli_fail_on_check(struct cli *cli, const struct savings *sv, const struct fail_on *f, int nf)
{
	const char *cur = savings_main_currency(sv);
	enum exit_code rc = EXIT_OK;
	char a[48], b[48];

	for (int i = 0; i < nf; i++) {
		if (strcmp(fail_kinds[f[i].kind], "anomaly") == 0) {
			if (sv->anomalies >= f[i].count) {
				fprintf(stderr, "imcost: --fail-on anomaly=%ld reached: %ld anomal%s\n",
					f[i].count, sv->anomalies, sv->anomalies == 1 ? "y" : "ies");
				rc = EXIT_THRESHOLD;
			}
			continue;
		}
		/* a money threshold is in the main currency of the savings */
		if (cur != NULL && fail_value(sv, f[i].kind, cur) >= f[i].nanos) {
			fprintf(stderr, "imcost: --fail-on %s=%s reached: %s %s a month\n",
				fail_kinds[f[i].kind], money_format_json(f[i].nanos, a),
				money_format_json(fail_value(sv, f[i].kind, cur), b), cur);
			rc = EXIT_THRESHOLD;
		}
	}
	(void)cli;
	return rc;
}
