/*
 * summary.c - where the money goes: billed and effective cost of the
 * period, by service, account, region, charge category, day, day and
 * service, and the top resources, one summary per billing currency
 * (amounts in different currencies are never added together).
 *
 * JSON: period.start/end, currency and summary{billed_cost, effective_cost,
 * rows, by_service[], by_account[], by_region[], by_category[], by_day[],
 * by_day_service[], by_resource[]} for the main currency (largest billed
 * amount), and summaries[] with one such object, plus its currency, for
 * every currency.
 *
 *   by_day_service[]  day (YYYY-MM-DD, UTC day of the charge period
 *                     start, as by_day), service, billed_cost,
 *                     effective_cost; by day, then effective cost
 *                     descending.  Its days sum to by_day.  Printed in
 *                     JSON and CSV only (a long table for a terminal).
 *   by_resource[]     the top resources by effective cost in the period
 *                     (--top-resources, analysis_opts.top_resources; charges
 *                     without a ResourceId are no resource): resource_id,
 *                     service, region, account (the sub-account, else the
 *                     billing account), billed_cost, effective_cost and
 *                     share (of the currency's effective cost, 0..1).  A
 *                     resource billed under several services, regions or
 *                     accounts shows the one with the most effective cost.
 *
 * The text columns follow by_service/by_region/by_account: a missing
 * service is "(none)", a missing region "(global)".
 *
 * With a slice (analyzers/slice.h): the totals and breakdowns count only
 * the charges of its filters and days, and with --group-by KEY the
 * summary adds group_by (the key), groups[] {group, billed_cost,
 * effective_cost, share (of the effective cost, 0..1)} with group null
 * for the charges without the key, and for a tag key untagged{key,
 * billed_cost, effective_cost, share, top_resources[] {resource_id,
 * billed_cost, effective_cost}} (the SLICE_TOP_UNTAGGED costliest
 * resources without the tag).  A slice with filters or days adds filter,
 * their text ("tag:team=chat, since 2026-10-03").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/anutil.h"
#include "analyzers/columns.h"
#include "analyzers/rollups.h"
#include "analyzers/slice.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "analyzers/summary-int.h"

static const struct table_col service_cols[] = {
	{ "service", "Service", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col account_cols[] = {
	{ "account", "Account", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col region_cols[] = {
	{ "region", "Region", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col category_cols[] = {
	{ "charge_category", "Charge category", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col day_cols[] = {
	{ "day", "Day", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col day_service_cols[] = {
	{ "day", "Day", CELL_TEXT, 0 },
	{ "service", "Service", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
};
static const struct table_col resource_cols[] = {
	{ "resource_id", "Resource", CELL_TEXT, 0 },
	{ "service", "Service", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "account", "Account", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
};

/*
 * Each query returns the currency, the group's key columns (the table's
 * text columns; "day" as the epoch second of the day) and the billed and
 * effective sums; by_resource has a query of its own (resource_sql).
 */
static const struct {
	const char *key, *title;
	const struct table_col *cols;
	int ncols;
	const char *sql;
} groups[NBY] = {
	[BY_SERVICE] = { "by_service", "Cost by service", service_cols, 3,
		"SELECT BillingCurrency AS cur, COALESCE(ServiceName, '(none)') AS k,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(ServiceName, '(none)')"
		" ORDER BY billed DESC, k" },
	[BY_ACCOUNT] = { "by_account", "Cost by account", account_cols, 3,
		"SELECT BillingCurrency AS cur, COALESCE(SubAccountId, BillingAccountId) AS k,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(SubAccountId, BillingAccountId)"
		" ORDER BY billed DESC, k" },
	[BY_REGION] = { "by_region", "Cost by region", region_cols, 3,
		"SELECT BillingCurrency AS cur, COALESCE(RegionId, '(global)') AS k,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(RegionId, '(global)')"
		" ORDER BY billed DESC, k" },
	[BY_CATEGORY] = { "by_category", "Cost by charge category", category_cols, 3,
		"SELECT BillingCurrency AS cur, ChargeCategory AS k,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, ChargeCategory ORDER BY billed DESC, k" },
	[BY_DAY] = { "by_day", "Cost by day (charge period start, UTC)", day_cols, 3,
		"SELECT BillingCurrency AS cur, day AS k,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS eff FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, day"
		" ORDER BY k, cur" },
	/* portable: ORDER BY names its aliases (none of them a column name),
	 * and the sort keys are never NULL */
	[BY_DAY_SERVICE] = { "by_day_service", "Cost by day and service (charge period start, UTC)",
		day_service_cols, 4,
		"SELECT BillingCurrency AS currency, day AS day_start,"
		" COALESCE(ServiceName, '(none)') AS service,"
		" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS effective"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, day, COALESCE(ServiceName, '(none)')"
		" ORDER BY currency, day_start, effective DESC, service" },
	[BY_RESOURCE] = { "by_resource", "Top resources by effective cost", resource_cols, 7, NULL },
};

/* an_prepare of sql with the slice's filters and days applied
 * (slice_sql). */
struct engine_stmt *
summary_prepare(const struct analysis_ctx *ctx, const char *sql, struct ic_error *err)
{
	char *q;
	struct engine_stmt *st;

	if (!slice_restricts(ctx->slice))
		return an_prepare(ctx, sql, err);
	if ((q = slice_sql(ctx->slice, engine_kind(ctx->eng) != ENGINE_SQLITE, sql)) == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	st = an_prepare(ctx, q, err);
	free(q);
	return st;
}

static void
summary_free(void *p)
{
	struct summary *s = p;

	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++) {
		for (int j = 0; j < NBY; j++)
			table_free(s->c[i].by[j]);
		for (size_t k = 0; k < s->c[i].groups.n; k++)
			free(s->c[i].groups.r[k].key);
		for (size_t k = 0; k < s->c[i].untagged.n; k++)
			free(s->c[i].untagged.r[k].key);
		free(s->c[i].groups.r);
		free(s->c[i].untagged.r);
	}
	free(s->c);
	free(s);
}

static struct cur_summary *
find_currency(struct summary *s, const char *cur)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->c[i].currency, cur) == 0)
			return &s->c[i];
	return NULL;
}

static int
cmp_main(const void *a, const void *b)
{
	const struct cur_summary *x = a, *y = b;
	int64_t ax = x->billed < 0 ? -x->billed : x->billed;
	int64_t ay = y->billed < 0 ? -y->billed : y->billed;

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->currency, y->currency);
}

/* The groups of --group-by (untagged: the top untagged resources) of each
 * currency of s.  Returns 0 or -1 with err set. */
static int
group_query(const struct analysis_ctx *ctx, struct summary *s, int untagged, struct ic_error *err)
{
	char *sql = slice_group_sql(ctx->slice, engine_kind(ctx->eng) != ENGINE_SQLITE, untagged,
				    ctx->start, ctx->end);
	struct engine_stmt *st;
	int r;

	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	st = an_prepare(ctx, sql, err);
	free(sql);
	if (st == NULL)
		return -1;
	while ((r = engine_step(st, err)) == 1) {
		struct cur_summary *c = find_currency(s, an_text(st, 0));
		struct group_list *l;
		struct group_row *g;

		if (c == NULL)
			continue;
		l = untagged ? &c->untagged : &c->groups;
		if (untagged && l->n == SLICE_TOP_UNTAGGED)
			continue;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			struct group_row *m = realloc(l->r, cap * sizeof *m);
			if (m == NULL)
				break;
			l->r = m;
			l->cap = cap;
		}
		g = &l->r[l->n];
		g->key = an_null(st, 1) ? NULL : strdup(an_text(st, 1));
		if (!an_null(st, 1) && g->key == NULL)
			break;
		g->billed = engine_column_int64(st, 2);
		g->eff = engine_column_int64(st, 3);
		l->n++;
	}
	engine_finalize(st);
	if (r == 1)
		return ic_errorf(err, "out of memory");
	if (r < 0)
		return an_step_error("grouping the charges", err);
	return 0;
}

static int
summary_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct summary *s = calloc(1, sizeof *s);
	struct engine_stmt *st = NULL;
	int r;

	if (s == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0)
		goto fail;
	/* the temporary tables of the slice (SQLite; remote engines read the
	 * sliced charges in each query, slice_sql) */
	if ((slice_restricts(ctx->slice) || (ctx->slice && ctx->slice->group)) &&
	    engine_kind(ctx->eng) == ENGINE_SQLITE) {
		char *q = slice_temp_sql(ctx->slice, ctx->start, ctx->end);

		if (q == NULL) {
			ic_errorf(err, "out of memory");
			goto fail;
		}
		r = engine_exec(ctx->eng, q, "slicing the charges", err);
		free(q);
		if (r != 0)
			goto fail;
	}
	st = summary_prepare(ctx,
		"SELECT BillingCurrency AS cur, SUM(BilledCostNanos) AS billed,"
		" SUM(EffectiveCostNanos) AS eff, SUM(rows) AS n"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	while ((r = engine_step(st, err)) == 1) {
		struct cur_summary *c = realloc(s->c, (size_t)(s->n + 1) * sizeof *c);
		if (c == NULL) {
			ic_errorf(err, "out of memory");
			goto fail;
		}
		s->c = c;
		c = &s->c[s->n++];
		memset(c, 0, sizeof *c);
		snprintf(c->currency, sizeof c->currency, "%s", an_text(st, 0));
		c->billed = engine_column_int64(st, 1);
		c->effective = engine_column_int64(st, 2);
		c->rows = (long)engine_column_int64(st, 3);
	}
	if (r < 0)
		goto fail;
	engine_finalize(st);
	st = NULL;
	if (s->n > 1)
		qsort(s->c, (size_t)s->n, sizeof *s->c, cmp_main);
	for (int i = 0; i < s->n; i++)
		for (int j = 0; j < NBY; j++) {
			s->c[i].by[j] = table_new(groups[j].title, groups[j].cols, groups[j].ncols);
			/* a Total row under every breakdown (not under the top resources) */
			if (s->c[i].by[j] != NULL && j != BY_RESOURCE &&
			    (table_sum_col(s->c[i].by[j], groups[j].ncols - 2) != 0 ||
			     table_sum_col(s->c[i].by[j], groups[j].ncols - 1) != 0)) {
				table_free(s->c[i].by[j]);
				s->c[i].by[j] = NULL;
			}
			if (s->c[i].by[j] == NULL) {
				ic_errorf(err, "out of memory");
				goto fail;
			}
		}
	for (int j = 0; j < NBY; j++) {
		int nk = groups[j].ncols - 2;	/* key columns */

		if (groups[j].sql == NULL)
			continue;
		st = summary_prepare(ctx, groups[j].sql, err);
		if (st == NULL)
			goto fail;
		engine_bind_int64(st, 1, ctx->start);
		engine_bind_int64(st, 2, ctx->end);
		while ((r = engine_step(st, err)) == 1) {
			struct cur_summary *c = find_currency(s, an_text(st, 0));
			int row;

			if (c == NULL)
				continue;
			row = table_add_row(c->by[j]);
			if (row < 0) {
				ic_errorf(err, "out of memory");
				goto fail;
			}
			for (int k = 0; k < nk; k++) {
				char day[32];
				const char *v;

				if (strcmp(groups[j].cols[k].key, "day") == 0)
					v = date_format(engine_column_int64(st, k + 1), day);
				else
					v = an_text(st, k + 1);
				if (table_set_text(c->by[j], row, k, v) != 0) {
					ic_errorf(err, "out of memory");
					goto fail;
				}
			}
			table_set_money(c->by[j], row, nk, engine_column_int64(st, nk + 1));
			table_set_money(c->by[j], row, nk + 1, engine_column_int64(st, nk + 2));
		}
		if (r < 0)
			goto fail;
		engine_finalize(st);
		st = NULL;
	}
	if (analysis_opts(ctx)->top_resources > 0 && s->n > 0) {
		if (summary_top_resources(ctx, s, err) != 0)
			goto fail;
	}
	if (ctx->slice && ctx->slice->group) {
		if (group_query(ctx, s, 0, err) != 0)
			goto fail;
		if (ctx->slice->group_by.dim == SD_TAG && group_query(ctx, s, 1, err) != 0)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	engine_finalize(st);
	summary_free(s);
	return -1;
}

/* part / whole as a share (NaN when whole is 0) */
static double
share_of(int64_t part, int64_t whole)
{
	return whole != 0 ? (double)part / (double)whole : NAN;
}

static void
add_share(cJSON *o, double v)
{
	if (isnan(v))
		cJSON_AddNullToObject(o, "share");
	else
		cJSON_AddNumberToObject(o, "share", round(v * 1e6) / 1e6);
}

/* The charges without the group-by key (the NULL group). */
static const struct group_row *
null_group(const struct cur_summary *c)
{
	for (size_t i = 0; i < c->groups.n; i++)
		if (c->groups.r[i].key == NULL)
			return &c->groups.r[i];
	return NULL;
}

/* group_by, groups[] and untagged{} of c into o (see the top). */
static void
groups_json(const struct analysis_ctx *ctx, const struct cur_summary *c, cJSON *o)
{
	const struct slice *sl = ctx->slice;
	cJSON *arr;

	cJSON_AddStringToObject(o, "group_by", sl->group_by.label);
	arr = cJSON_AddArrayToObject(o, "groups");
	for (size_t i = 0; arr && i < c->groups.n; i++) {
		const struct group_row *g = &c->groups.r[i];
		cJSON *x = cJSON_CreateObject();

		if (x == NULL)
			return;
		if (g->key)
			cJSON_AddStringToObject(x, "group", g->key);
		else
			cJSON_AddNullToObject(x, "group");
		cJSON_AddItemToObject(x, "billed_cost", json_money(g->billed));
		cJSON_AddItemToObject(x, "effective_cost", json_money(g->eff));
		add_share(x, share_of(g->eff, c->effective));
		cJSON_AddItemToArray(arr, x);
	}
	if (sl->group_by.dim == SD_TAG) {
		const struct group_row *u = null_group(c);
		cJSON *un = cJSON_AddObjectToObject(o, "untagged"), *top;

		if (un == NULL)
			return;
		cJSON_AddStringToObject(un, "key", sl->group_by.label);
		cJSON_AddItemToObject(un, "billed_cost", json_money(u ? u->billed : 0));
		cJSON_AddItemToObject(un, "effective_cost", json_money(u ? u->eff : 0));
		add_share(un, share_of(u ? u->eff : 0, c->effective));
		top = cJSON_AddArrayToObject(un, "top_resources");
		for (size_t i = 0; top && i < c->untagged.n; i++) {
			const struct group_row *g = &c->untagged.r[i];
			cJSON *x = cJSON_CreateObject();

			if (x == NULL)
				return;
			cJSON_AddStringToObject(x, "resource_id", g->key ? g->key : "");
			cJSON_AddItemToObject(x, "billed_cost", json_money(g->billed));
			cJSON_AddItemToObject(x, "effective_cost", json_money(g->eff));
			cJSON_AddItemToArray(top, x);
		}
	}
}

static const struct table_col group_cols[] = {
	{ "group", "Group", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
};
static const struct table_col untagged_cols[] = {
	{ "resource_id", "Resource", CELL_TEXT, 0 },
	{ "billed_cost", "Billed", CELL_MONEY, 0 },
	{ "effective_cost", "Effective", CELL_MONEY, 0 },
	{ "share", "Share", CELL_PCT, 1 },
};

#define COLSET(a) { a, (int)(sizeof a / sizeof a[0]) }
const struct table_colset summary_service_columns = COLSET(service_cols);
const struct table_colset summary_account_columns = COLSET(account_cols);
const struct table_colset summary_region_columns = COLSET(region_cols);
const struct table_colset summary_category_columns = COLSET(category_cols);
const struct table_colset summary_day_columns = COLSET(day_cols);
const struct table_colset summary_day_service_columns = COLSET(day_service_cols);
const struct table_colset summary_resource_columns = COLSET(resource_cols);
const struct table_colset summary_group_columns = COLSET(group_cols);

/* The groups (and untagged resources) of c as tables, in the table, CSV
 * and Markdown forms.  Returns 0 or -1 with err set. */
static int
groups_emit(const struct analysis_ctx *ctx, const struct cur_summary *c, struct emitter *e,
	    struct ic_error *err)
{
	const struct slice *sl = ctx->slice;
	char title[256], none[200], line[200], a[48];
	struct table *t;
	int ret = -1;

	snprintf(title, sizeof title, "Cost by %s", sl->group_by.label);
	snprintf(none, sizeof none, "(no %s)", sl->group_by.label);
	t = table_new(title, group_cols, 4);
	if (t == NULL || table_sum_col(t, 1) != 0 || table_sum_col(t, 2) != 0)
		goto oom;
	for (size_t i = 0; i < c->groups.n; i++) {
		const struct group_row *g = &c->groups.r[i];
		int row = table_add_row(t);

		if (row < 0 || table_set_text(t, row, 0, g->key ? g->key :
					      e->fmt == FMT_CSV ? NULL : none) != 0)
			goto oom;
		table_set_money(t, row, 1, g->billed);
		table_set_money(t, row, 2, g->eff);
		table_set_num(t, row, 3, share_of(g->eff, c->effective));
	}
	emit_table(e, t, NULL, "groups");
	table_free(t);
	t = NULL;
	if (sl->group_by.dim != SD_TAG)
		return 0;
	{
		const struct group_row *u = null_group(c);
		double sh = share_of(u ? u->eff : 0, c->effective);

		if (e->fmt != FMT_CSV) {
			snprintf(line, sizeof line, "%s %s effective, %.1f%% of the cost",
				 money_format(u ? u->eff : 0, 2, 1, a), c->currency,
				 isnan(sh) ? 0.0 : sh * 100);
			snprintf(title, sizeof title, "Untagged (%s)", sl->group_by.label);
			emit_line(e, title, line);
		}
	}
	snprintf(title, sizeof title, "Top untagged resources (no %s)", sl->group_by.label);
	t = table_new(title, untagged_cols, 4);
	if (t == NULL)
		goto oom;
	for (size_t i = 0; i < c->untagged.n; i++) {
		const struct group_row *g = &c->untagged.r[i];
		int row = table_add_row(t);

		if (row < 0 || table_set_text(t, row, 0, g->key) != 0)
			goto oom;
		table_set_money(t, row, 1, g->billed);
		table_set_money(t, row, 2, g->eff);
		table_set_num(t, row, 3, share_of(g->eff, c->effective));
	}
	emit_table(e, t, NULL, "untagged_resources");
	ret = 0;
	goto out;
oom:
	ic_errorf(err, "out of memory");
out:
	table_free(t);
	return ret;
}

static cJSON *
currency_json(const struct analysis_ctx *ctx, const struct cur_summary *c, int with_currency)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	if (with_currency)
		cJSON_AddStringToObject(o, "currency", c->currency);
	cJSON_AddItemToObject(o, "billed_cost", json_money(c->billed));
	cJSON_AddItemToObject(o, "effective_cost", json_money(c->effective));
	cJSON_AddNumberToObject(o, "rows", (double)c->rows);
	for (int j = 0; j < NBY; j++) {
		cJSON *arr = table_to_json(c->by[j]);
		if (arr == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddItemToObject(o, groups[j].key, arr);
	}
	if (ctx->slice && ctx->slice->group)
		groups_json(ctx, c, o);
	if (slice_restricts(ctx->slice)) {
		char d[400];

		slice_describe(ctx->slice, d, sizeof d);
		cJSON_AddStringToObject(o, "filter", d);
	}
	return o;
}

static int
summary_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e,
	     struct ic_error *err)
{
	const struct summary *s = p;
	char a[48], b[48], line[160];

	if (e->fmt == FMT_JSON) {
		cJSON *period = cJSON_AddObjectToObject(e->root, "period");
		cJSON *all;

		cJSON_AddStringToObject(period, "start", date_format(ctx->start, a));
		cJSON_AddStringToObject(period, "end", date_format(ctx->end, b));
		if (s->n == 0) {
			cJSON_AddNullToObject(e->root, "currency");
			cJSON *o = cJSON_AddObjectToObject(e->root, "summary");
			cJSON_AddItemToObject(o, "billed_cost", json_money(0));
			cJSON_AddItemToObject(o, "effective_cost", json_money(0));
			cJSON_AddNumberToObject(o, "rows", 0);
			for (int j = 0; j < NBY; j++)
				cJSON_AddArrayToObject(o, groups[j].key);
			if (ctx->slice && ctx->slice->group) {
				struct cur_summary none;

				memset(&none, 0, sizeof none);
				groups_json(ctx, &none, o);
			}
		} else {
			cJSON_AddStringToObject(e->root, "currency", s->c[0].currency);
			cJSON_AddItemToObject(e->root, "summary", currency_json(ctx, &s->c[0], 0));
		}
		all = cJSON_AddArrayToObject(e->root, "summaries");
		for (int i = 0; i < s->n; i++)
			cJSON_AddItemToArray(all, currency_json(ctx, &s->c[i], 1));
		if (cJSON_GetObjectItem(e->root, "summaries") == NULL)
			return ic_errorf(err, "out of memory");
		return 0;
	}
	snprintf(line, sizeof line, "%s to %s (end exclusive)", date_format(ctx->start, a),
		 date_format(ctx->end, b));
	emit_heading(e, "Summary");
	emit_line(e, "Period", line);
	if (slice_restricts(ctx->slice)) {
		char d[400];

		slice_describe(ctx->slice, d, sizeof d);
		emit_line(e, "Only charges with", d);
	}
	if (s->n == 0)
		emit_line(e, "Charges", "none in this period");
	for (int i = 0; i < s->n; i++) {
		const struct cur_summary *c = &s->c[i];
		if (e->fmt != FMT_CSV) {
			if (s->n > 1) {
				snprintf(line, sizeof line, "Currency %s", c->currency);
				emit_heading(e, line);
			} else {
				emit_line(e, "Currency", c->currency);
			}
			snprintf(line, sizeof line, "%s %s", money_format(c->billed, 2, 1, a), c->currency);
			emit_line(e, "Billed cost", line);
			snprintf(line, sizeof line, "%s %s (amortized)",
				 money_format(c->effective, 2, 1, a), c->currency);
			emit_line(e, "Effective cost", line);
			emit_line(e, "Charge rows", format_count(c->rows, line));
		}
		if (ctx->slice && ctx->slice->group && groups_emit(ctx, c, e, err) != 0)
			return -1;
		for (int j = 0; j < NBY; j++)
			if (j != BY_DAY_SERVICE || e->fmt == FMT_CSV)
				emit_table(e, c->by[j], NULL, groups[j].key);
	}
	return 0;
}

const struct analyzer analyzer_summary = {
	.name = "summary",
	.summary = "billed vs effective cost by service, account, region, category and day;"
		   " top resources",
	.query = summary_query,
	.emit = summary_emit,
	.free_findings = summary_free,
	.aside = 1,
};
