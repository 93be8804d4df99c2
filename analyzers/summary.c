/*
 * summary.c - where the money goes: billed and effective cost of the
 * period, by service, account, region, charge category and day, one
 * summary per billing currency (amounts in different currencies are never
 * added together).
 *
 * JSON: period.start/end, currency and summary{billed_cost, effective_cost,
 * rows, by_service[], by_account[], by_region[], by_category[], by_day[]}
 * for the main currency (largest billed amount), and summaries[] with one
 * such object, plus its currency, for every currency.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/timeparse.h"

enum { BY_SERVICE, BY_ACCOUNT, BY_REGION, BY_CATEGORY, BY_DAY, NBY };

struct cur_summary {
	char currency[16];
	int64_t billed, effective;
	long rows;
	struct table *by[NBY];
};

struct summary {
	int n;
	struct cur_summary *c;	/* main currency first */
};

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

static const struct {
	const char *key, *title;
	const struct table_col *cols;
	const char *sql;
} groups[NBY] = {
	[BY_SERVICE] = { "by_service", "Cost by service", service_cols,
		"SELECT BillingCurrency, COALESCE(ServiceName, '(none)') AS k,"
		" SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(ServiceName, '(none)')"
		" ORDER BY 3 DESC, 2" },
	[BY_ACCOUNT] = { "by_account", "Cost by account", account_cols,
		"SELECT BillingCurrency, COALESCE(SubAccountId, BillingAccountId) AS k,"
		" SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(SubAccountId, BillingAccountId)"
		" ORDER BY 3 DESC, 2" },
	[BY_REGION] = { "by_region", "Cost by region", region_cols,
		"SELECT BillingCurrency, COALESCE(RegionId, '(global)') AS k,"
		" SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, COALESCE(RegionId, '(global)')"
		" ORDER BY 3 DESC, 2" },
	[BY_CATEGORY] = { "by_category", "Cost by charge category", category_cols,
		"SELECT BillingCurrency, ChargeCategory,"
		" SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, ChargeCategory ORDER BY 3 DESC, 2" },
	[BY_DAY] = { "by_day", "Cost by day (charge period start, UTC)", day_cols,
		"SELECT BillingCurrency, day AS k,"
		" SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, day"
		" ORDER BY 2" },
};

static void
summary_free(void *p)
{
	struct summary *s = p;

	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++)
		for (int j = 0; j < NBY; j++)
			table_free(s->c[i].by[j]);
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

static int
summary_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct summary *s = calloc(1, sizeof *s);
	sqlite3_stmt *st = NULL;
	int r;

	if (s == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0)
		goto fail;
	st = db_prepare(ctx->db,
		"SELECT BillingCurrency, SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(rows)"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, ctx->start);
	sqlite3_bind_int64(st, 2, ctx->end);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct cur_summary *c = realloc(s->c, (size_t)(s->n + 1) * sizeof *c);
		if (c == NULL) {
			ic_errorf(err, "out of memory");
			goto fail;
		}
		s->c = c;
		c = &s->c[s->n++];
		memset(c, 0, sizeof *c);
		snprintf(c->currency, sizeof c->currency, "%s", (const char *)sqlite3_column_text(st, 0));
		c->billed = sqlite3_column_int64(st, 1);
		c->effective = sqlite3_column_int64(st, 2);
		c->rows = (long)sqlite3_column_int64(st, 3);
	}
	if (r != SQLITE_DONE) {
		db_error(ctx->db, "summing costs", err);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (s->n > 1)
		qsort(s->c, (size_t)s->n, sizeof *s->c, cmp_main);
	for (int i = 0; i < s->n; i++)
		for (int j = 0; j < NBY; j++) {
			s->c[i].by[j] = table_new(groups[j].title, groups[j].cols, 3);
			if (s->c[i].by[j] == NULL) {
				ic_errorf(err, "out of memory");
				goto fail;
			}
		}
	for (int j = 0; j < NBY; j++) {
		st = db_prepare(ctx->db, groups[j].sql, err);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, ctx->start);
		sqlite3_bind_int64(st, 2, ctx->end);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			struct cur_summary *c = find_currency(s, (const char *)sqlite3_column_text(st, 0));
			char day[32];
			const char *k;
			int row;

			if (c == NULL)
				continue;
			if (j == BY_DAY)
				k = date_format(sqlite3_column_int64(st, 1), day);
			else
				k = (const char *)sqlite3_column_text(st, 1);
			row = table_add_row(c->by[j]);
			if (row < 0 || table_set_text(c->by[j], row, 0, k) != 0) {
				ic_errorf(err, "out of memory");
				goto fail;
			}
			table_set_money(c->by[j], row, 1, sqlite3_column_int64(st, 2));
			table_set_money(c->by[j], row, 2, sqlite3_column_int64(st, 3));
		}
		if (r != SQLITE_DONE) {
			db_error(ctx->db, "grouping costs", err);
			goto fail;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	*out = s;
	return 0;
fail:
	sqlite3_finalize(st);
	summary_free(s);
	return -1;
}

static cJSON *
currency_json(const struct cur_summary *c, int with_currency)
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
		} else {
			cJSON_AddStringToObject(e->root, "currency", s->c[0].currency);
			cJSON_AddItemToObject(e->root, "summary", currency_json(&s->c[0], 0));
		}
		all = cJSON_AddArrayToObject(e->root, "summaries");
		for (int i = 0; i < s->n; i++)
			cJSON_AddItemToArray(all, currency_json(&s->c[i], 1));
		if (cJSON_GetObjectItem(e->root, "summaries") == NULL)
			return ic_errorf(err, "out of memory");
		return 0;
	}
	snprintf(line, sizeof line, "%s to %s (end exclusive)", date_format(ctx->start, a),
		 date_format(ctx->end, b));
	emit_heading(e, "Summary");
	emit_line(e, "Period", line);
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
			snprintf(line, sizeof line, "%ld", c->rows);
			emit_line(e, "Charge rows", line);
		}
		for (int j = 0; j < NBY; j++)
			emit_table(e, c->by[j], NULL, groups[j].key);
	}
	return 0;
}

const struct analyzer analyzer_summary = {
	.name = "summary",
	.summary = "billed vs effective cost by service, account, region, category and day",
	.query = summary_query,
	.emit = summary_emit,
	.free_findings = summary_free,
};
