/*
 * slice-flags.c - --group-by, --filter, --since and --until of analyze
 * and report (analyzers/slice.h): parsing, and the check that the keys
 * and values name something in the database (a usage error with "did you
 * mean" otherwise, so that a typo never prints an empty slice).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzers/slice.h"
#include "cli/cli.h"
#include "common/engine.h"
#include "common/suggest.h"
#include "common/timeparse.h"

int
cli_slice_arg(struct cli *cli, const struct cmd_entry *c, const char *name, const char *v,
	      struct slice *sl, enum exit_code *rc)
{
	static const char *const flags[] = { "--group-by", "--filter", "--since", "--until" };
	char msg[400];
	int64_t t;
	int k;

	*rc = EXIT_OK;
	for (k = 0; k < 4 && strcmp(flags[k], name) != 0; k++)
		;
	switch (k) {
	case 0:
		if (sl->group)
			*rc = usage_error(cli, c, "one --group-by at a time");
		else if (slice_key_parse(v, &sl->group_by, msg, sizeof msg) != 0)
			*rc = usage_error(cli, c, "--group-by: %s", msg);
		else
			sl->group = 1;
		return 1;
	case 1:
		if (slice_filter_add(sl, v, msg, sizeof msg) != 0)
			*rc = usage_error(cli, c, "--filter: %s", msg);
		return 1;
	case 2:
	case 3:
		if (slice_day_parse(v, &t) != 0)
			*rc = usage_error(cli, c, "%s wants a day YYYY-MM-DD, not '%s'", flags[k], v);
		else if (k == 2)
			sl->since = t;
		else
			sl->until = t;
		if (*rc == EXIT_OK && sl->since && sl->until && sl->until <= sl->since)
			*rc = usage_error(cli, c, "--until (exclusive) must be after --since");
		return 1;
	default:
		return 0;
	}
}

int
cli_month_parse(const char *s, int64_t *start, int64_t *end)
{
	int64_t now = (int64_t)time(NULL);

	if (strcmp(s, "this") == 0) {
		*start = month_start(now);
		*end = month_next(now);
		return 0;
	}
	if (strcmp(s, "last") == 0) {
		*end = month_start(now);
		*start = month_start(*end - 1);
		return 0;
	}
	return month_parse(s, start, end);
}

void
cli_slice_period(const struct slice *sl, int64_t *start, int64_t *end)
{
	if (sl->since && (*start == 0 || month_start(sl->since) > *start))
		*start = month_start(sl->since);
	if (sl->until && (*end == 0 || month_next(sl->until - 1) < *end))
		*end = month_next(sl->until - 1);
	if (*end < *start)
		*end = *start;
}

/* Is word among v[0..n)?  If not, " (did you mean X?)" or "" into hint. */
static int
known(const char *word, char **v, size_t n, const char *prefix, char *hint, size_t size)
{
	size_t idx[1];

	hint[0] = '\0';
	for (size_t k = 0; k < n; k++)
		if (strcmp(v[k], word) == 0)
			return 1;
	if (suggest_nearest(word, (const char *const *)v, n, idx, 1) == 1)
		snprintf(hint, size, " (did you mean %s%s?)", prefix, v[idx[0]]);
	return 0;
}

/* Check one key (and value, when not NULL) against the database. */
static enum exit_code
check_key(struct cli *cli, const struct cmd_entry *c, struct engine *eng, const char *flag,
	  const struct slice_key *k, const char *value)
{
	char hint[300];
	char **v;
	size_t n;
	enum exit_code rc = EXIT_OK;

	if (k->dim == SD_TAG) {
		int has;

		if (engine_tag_store(eng, 0, &has, &cli->err) != 0)
			return EXIT_FAIL;
		if (!has) {
			ic_errorf(&cli->err, "%s %s: the %s database holds charges imported by an imcost"
				  " without the remote tag store (no TagKeys/TagValues): forget those"
				  " imports and import the files again, or use a new database", flag,
				  k->label, engine_name(eng));
			return EXIT_FAIL;
		}
		v = slice_values(eng, k, 1, &n, &cli->err);
		if (v == NULL)
			return EXIT_FAIL;
		if (!known(k->fold, v, n, "tag:", hint, sizeof hint))
			rc = usage_error(cli, c, "%s: no charge has the tag '%s'%s%s", flag, k->label + 4,
					 hint, n ? "" : " (no charge here has any tag)");
		slice_values_free(v, n);
		if (rc != EXIT_OK || value == NULL)
			return rc;
	} else if (value == NULL) {
		return EXIT_OK;
	}
	v = slice_values(eng, k, 0, &n, &cli->err);
	if (v == NULL)
		return EXIT_FAIL;
	if (!known(value, v, n, "", hint, sizeof hint))
		rc = usage_error(cli, c, "%s: no charge has %s '%s'%s", flag, k->label, value, hint);
	slice_values_free(v, n);
	return rc;
}

enum exit_code
cli_slice_check(struct cli *cli, const struct cmd_entry *c, struct engine *eng,
		const struct slice *sl)
{
	enum exit_code rc;

	if (!sl->group && sl->nf == 0 && !sl->since && !sl->until)
		return EXIT_OK;
	if (sl->group && (rc = check_key(cli, c, eng, "--group-by", &sl->group_by, NULL)) != EXIT_OK)
		return rc;
	for (int i = 0; i < sl->nf; i++)
		if ((rc = check_key(cli, c, eng, "--filter", &sl->f[i].key, sl->f[i].value)) != EXIT_OK)
			return rc;
	return EXIT_OK;
}
