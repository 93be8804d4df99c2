/*
 * slice.h - slicing the analysis without SQL (issue 18): --group-by KEY,
 * --filter KEY=VALUE / KEY!=VALUE, --since/--until YYYY-MM-DD.
 *
 * KEY is service, account, region, provider, category, resource or
 * tag:NAME.  A tag name is matched by its folded form (common/tags.h:
 * case, the user: prefix and separators do not matter) against the tag
 * store dim_tags (common/db.h).  The summary applies the slice to its
 * totals and breakdowns and adds groups[] and, for a tag, the untagged
 * share; the other analyses read whole billing periods and say so.
 *
 * The SQL built here reads charge_facts, charge_dims and the tag store
 * (SLICE_TAG_ROWS) on SQLite, and on a remote engine (remote = 1) the
 * charges view with its tag arrays TagKeys/TagValues (common/engine.h:
 * $tag), filled at import by the same rule (tag_pairs_get).  Values from
 * the command line become SQL string literals on SQLite (quotes
 * doubled) and $str(HEX) on remote engines.  Nothing here prints.
 */
#ifndef IMCOST_SLICE_H
#define IMCOST_SLICE_H

#include <stddef.h>
#include <stdint.h>

#define SLICE_MAX_FILTERS 16

/*
 * SQLite's tag store as a table expression of rows (tag_set_id, key_fold,
 * value): the tags of the tag set tag_set_id (charge_facts.tag_set_id),
 * one row per folded key.  The one place that says where they live
 * (dim_tags, common/db.h): the slices and the allocation (allocation.c)
 * read the tags through it.
 */
#define SLICE_TAG_ROWS "(SELECT tag_set_id AS tag_set_id, key_fold AS key_fold," \
	" value AS value FROM dim_tags)"

/*
 * The texts of a charge's dictionaries (schema 10, common/db.h): joined
 * to a row a that has dim_id, resource_id and tag_set_id, the charge_dims
 * row as d, its ResourceId as r.ResourceId and Tags as g.Tags.
 */
#define SLICE_DIMS_JOIN(a) " JOIN charge_dims d ON d.id = " a ".dim_id" \
	" LEFT JOIN resources r ON r.id = " a ".resource_id"

enum slice_dim { SD_SERVICE, SD_ACCOUNT, SD_REGION, SD_PROVIDER, SD_CATEGORY, SD_RESOURCE,
		 SD_TAG, NSLICE_DIMS };

struct slice_key {
	enum slice_dim dim;
	char fold[128];		/* SD_TAG: the folded tag name */
	char label[160];	/* as given: "service", "tag:Team" */
};

struct slice_filter {
	struct slice_key key;
	int neg;		/* KEY!=VALUE */
	const char *value;	/* borrowed from argv */
};

struct slice {
	int group;			/* group_by is set */
	struct slice_key group_by;
	struct slice_filter f[SLICE_MAX_FILTERS];
	int nf;
	int64_t since, until;		/* charge period start in [since, until);
					   0: no bound */
};

/* Parse KEY into k.  Returns 0, or -1 with a one-line message (and a
 * "did you mean" when a key is close) in msg[size]. */
int slice_key_parse(const char *s, struct slice_key *k, char *msg, size_t size);

/* Parse KEY=VALUE or KEY!=VALUE (value borrowed from s) into sl's next
 * filter.  Returns 0, or -1 with msg set. */
int slice_filter_add(struct slice *sl, const char *s, char *msg, size_t size);

/* Parse YYYY-MM-DD into the first second of that day (UTC).  Returns 0 or
 * -1. */
int slice_day_parse(const char *s, int64_t *t);

/* Whether the slice restricts the charges (a filter or a day bound). */
int slice_restricts(const struct slice *sl);

/*
 * The distinct values the charges have for key k (at most 20000), for
 * checking a --filter or --group-by against the data: k's dimension
 * (service names, accounts, ...), or for a tag the values of tag k->fold,
 * or with tag_keys the folded names of every tag.  Returns a
 * NULL-terminated array of *n strings (caller frees with
 * slice_values_free), or NULL with err set.
 */
struct engine;
struct ic_error;
char **slice_values(struct engine *eng, const struct slice_key *k, int tag_keys, size_t *n,
		    struct ic_error *err);
void slice_values_free(char **v, size_t n);

/* The temporary tables of the sliced charges (slice_temp_sql). */
#define SLICE_TABLE "slice_charges"
#define SLICE_DIMS "slice_dims"

/*
 * The statements that (re)create the temporary tables of sl over the
 * billing periods [start, end): when sl restricts, SLICE_TABLE, the
 * charges of its filters and days summed per dims row, billing period
 * and day, in the columns of rollup_daily and rollup_resource that the
 * summary reads (day, rows, BillingCurrency, ServiceName, ResourceId...)
 * and dim_id, resource_id, tag_set_id; with a group-by, SLICE_DIMS
 * (dim_id, resource_id, tag_set_id, billed, eff): those charges summed
 * per combination of dictionaries, which slice_group_sql joins to the
 * texts and tags.  Returns a string to free, NULL when out of memory.
 */
char *slice_temp_sql(const struct slice *sl, int64_t start, int64_t end);

/*
 * sql with each "FROM rollup_daily" and "FROM rollup_resource" replaced by
 * "FROM temp." SLICE_TABLE (remote: by a subquery of the sliced charges
 * with the same columns, as slice_temp_sql makes no tables there); a
 * copy of sql when nothing restricts.  Returns a string to free, NULL
 * when out of memory.
 */
char *slice_sql(const struct slice *sl, int remote, const char *sql);

/*
 * The query of the groups, over SLICE_DIMS (remote: over the charges of
 * the billing periods [start, end)): columns currency, group (NULL: no
 * such key), billed, effective, by effective cost descending.  With
 * untagged set (SD_TAG only), instead the top untagged resources:
 * currency, resource_id, billed, effective.  Returns a string to free, or
 * NULL.
 */
char *slice_group_sql(const struct slice *sl, int remote, int untagged, int64_t start,
		      int64_t end);

/*
 * The query of the distinct values of key k (NULL: the distinct folded
 * tag keys) in the database, one column, for the check that a --group-by
 * or --filter names something.  Returns a string to free, or NULL.
 */
char *slice_values_sql(const struct slice_key *k, int remote);

/* The text of sl for display ("tag:team=chat, region!=us-east-1, since
 * 2026-10-03") into buf. */
void slice_describe(const struct slice *sl, char *buf, size_t size);

#endif
