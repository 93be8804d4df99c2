/*
 * flags.c - the option handlers several commands share (see cli.h):
 * --engine URL, --month, --pricing catalogs and the analysis thresholds.
 * The grammar itself (--x V, --x=V, --) is cli/options.c's.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "analyzers/catalog.h"
#include "analyzers/options.h"
#include "cli/cli.h"
#include "common/decimal.h"
#include "common/engine.h"

enum exit_code
cli_engine_arg(struct cli *cli, const char **url, int *remote)
{
	/* the one copy of an sqlite:PATH, which becomes --db PATH */
	static char path[sizeof ((struct engine_url *)0)->path];
	struct engine_url u;

	*remote = 0;
	if (*url == NULL)
		return EXIT_OK;
	if (engine_url_parse(*url, &u, &cli->err) != 0)
		return EXIT_USAGE;
	if (u.kind != ENGINE_SQLITE) {
		*remote = 1;
		return EXIT_OK;
	}
	memcpy(path, u.path, sizeof path);
	cli->db_path = path;
	*url = NULL;
	return EXIT_OK;
}

enum exit_code
cli_month_arg(struct cli *cli, const struct cmd_entry *c, const char *month, int64_t *start,
	      int64_t *end)
{
	if (cli_month_parse(month, start, end) != 0)
		return usage_error(cli, c, "--month wants YYYY-MM, this or last, not '%s'", month);
	return EXIT_OK;
}

struct catalog *
cli_catalog_load(struct cli *cli, const char *const *files, int n)
{
	struct catalog *cat = catalog_new();

	if (cat == NULL) {
		ic_errorf(&cli->err, "out of memory");
		return NULL;
	}
	if (catalog_load_builtin(cat, &cli->err) != 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (catalog_merge_file(cat, files[i], &cli->err) != 0)
			goto fail;
	return cat;
fail:
	catalog_free(cat);
	return NULL;
}

enum thr_kind { O_INT, O_NUM, O_MB, O_MONEY, O_TERMS, O_PAYMENTS };

/* The thresholds: name, kind, field, smallest and largest value. */
static const struct thr {
	const char *name;
	enum thr_kind kind;
	size_t off;
	double lo, hi;
} thresholds[] = {
	{ "--top-resources", O_INT, offsetof(struct analysis_opts, top_resources), 0, 100000 },
	{ "--lookback", O_INT, offsetof(struct analysis_opts, lookback_days), 1, 3660 },
	{ "--commit-min-days", O_INT, offsetof(struct analysis_opts, commit_min_days), 0, 3660 },
	{ "--term", O_TERMS, offsetof(struct analysis_opts, term_mask), 0, 0 },
	{ "--payment", O_PAYMENTS, offsetof(struct analysis_opts, payment_mask), 0, 0 },
	{ "--idle-cpu", O_NUM, offsetof(struct analysis_opts, idle_cpu_pct), 0, 100 },
	{ "--idle-network-mb", O_MB, offsetof(struct analysis_opts, idle_net_bytes), 0, 1e12 },
	{ "--idle-min-days", O_INT, offsetof(struct analysis_opts, idle_min_days), 1, 3660 },
	{ "--idle-share", O_NUM, offsetof(struct analysis_opts, idle_share), 0, 1 },
	{ "--idle-window", O_INT, offsetof(struct analysis_opts, idle_window_days), 0, 3660 },
	{ "--idle-volume-ops", O_NUM, offsetof(struct analysis_opts, idle_volume_ops_day), 0, 1e15 },
	{ "--idle-traffic-share", O_NUM, offsetof(struct analysis_opts, idle_traffic_share), 0, 1 },
	{ "--rightsize-percentile", O_NUM, offsetof(struct analysis_opts, rs_percentile), 50, 100 },
	{ "--rightsize-cpu", O_NUM, offsetof(struct analysis_opts, rs_cpu_target), 1, 100 },
	{ "--rightsize-memory", O_NUM, offsetof(struct analysis_opts, rs_mem_target), 1, 100 },
	{ "--rightsize-min-hours", O_INT, offsetof(struct analysis_opts, rs_min_hours), 1, 1000000 },
	{ "--anomaly-window", O_INT, offsetof(struct analysis_opts, anomaly_window), 2, 366 },
	{ "--anomaly-min-history", O_INT, offsetof(struct analysis_opts, anomaly_min_history), 1, 366 },
	{ "--anomaly-z", O_NUM, offsetof(struct analysis_opts, anomaly_z), 0, 1e6 },
	{ "--anomaly-min-impact", O_MONEY, offsetof(struct analysis_opts, anomaly_min_impact), 0, 1e9 },
	{ "--anomaly-min-share", O_NUM, offsetof(struct analysis_opts, anomaly_min_share), 0, 1e6 },
	{ "--forecast-weekday-days", O_INT, offsetof(struct analysis_opts, forecast_weekday_days), 7, 366 },
};

static enum exit_code
set_threshold(struct cli *cli, const struct cmd_entry *c, const struct thr *t, const char *v,
	      struct analysis_opts *o)
{
	char *p = (char *)o + t->off;
	double d;
	int64_t m;

	switch (t->kind) {
	case O_TERMS:
		if (commit_term_mask_parse(v, (unsigned *)(void *)p) != 0)
			return usage_error(cli, c, "%s wants a list of 1y, 3y, 1m (or any), not '%s'",
					   t->name, v);
		return EXIT_OK;
	case O_PAYMENTS:
		if (commit_payment_mask_parse(v, (unsigned *)(void *)p) != 0)
			return usage_error(cli, c, "%s wants a list of no_upfront, partial_upfront,"
					   " all_upfront (or any), not '%s'", t->name, v);
		return EXIT_OK;
	case O_MONEY:
		if (money_parse(v, strlen(v), &m) != NUM_OK || m < 0)
			return usage_error(cli, c, "%s wants an amount, not '%s'", t->name, v);
		*(int64_t *)(void *)p = m;
		return EXIT_OK;
	default:
		break;
	}
	if (number_parse(v, strlen(v), &d) != NUM_OK || !(d >= t->lo && d <= t->hi) ||
	    (t->kind == O_INT && d != floor(d)))
		return usage_error(cli, c, "%s wants a%s number from %g to %g, not '%s'", t->name,
				   t->kind == O_INT ? " whole" : "", t->lo, t->hi, v);
	if (t->kind == O_INT)
		*(int *)(void *)p = (int)d;
	else if (t->kind == O_MB)
		*(double *)(void *)p = d * 1e6;
	else
		*(double *)(void *)p = d;
	return EXIT_OK;
}

int
cli_threshold_arg(struct cli *cli, const struct cmd_entry *c, const char *name, const char *value,
		  struct analysis_opts *o, enum exit_code *rc)
{
	for (size_t k = 0; k < sizeof thresholds / sizeof thresholds[0]; k++)
		if (strcmp(thresholds[k].name, name) == 0) {
			*rc = set_threshold(cli, c, &thresholds[k], value, o);
			return 1;
		}
	return 0;
}
