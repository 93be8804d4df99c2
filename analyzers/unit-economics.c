/*
 * unit-economics.c - what the IM service costs per user, per message and
 * per connection, month by month.
 *
 * Query: the service-level metrics (resource_id 'service': mau, dau,
 * messages, peak_connections) per day, and the effective cost per billing
 * period and currency.
 *
 * Compute, per month with both metrics and charges (the month's main
 * currency, the one with the largest cost):
 *   MAU               the largest mau sample of the month
 *   messages          the sum of the message counts
 *   peak connections  the largest peak_connections sample
 *   DAU               the mean of the daily largest dau samples
 *   cost / MAU, cost / million messages, cost / peak connection, cost / DAU
 * Cost per million messages needs message counts on every day the month
 * has charges (a partial count would overstate it): otherwise it is null
 * and a note says why.  A metric absent in a month gives null.
 *
 * JSON: unit_economics{months[] (month, currency, cost, mau, dau, messages,
 * peak_connections, cost_per_mau, cost_per_dau, cost_per_million_messages,
 * cost_per_peak_connection), notes[]}.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/columns.h"
#include "analyzers/anutil.h"
#include "analyzers/rollups.h"
#include "common/decimal.h"
#include "common/timeparse.h"

#define DAY 86400LL

enum { M_MAU, M_DAU, M_MSG, M_PEAK, NM };
static const char *const mnames[NM] = { "mau", "dau", "messages", "peak_connections" };

struct month {
	int64_t start;
	double max[NM], sum[NM];	/* max of daily max; sum of daily sums */
	double dau_days_sum;		/* sum of daily max dau */
	int days[NM];			/* days with the metric */
	char currency[16];
	int64_t cost;
	int charge_days;
	int has_cost;
};

struct unit {
	struct month *m;
	int n;
	char **notes;
	int nnotes;
};

static void
unit_free(void *p)
{
	struct unit *u = p;

	if (u == NULL)
		return;
	for (int i = 0; i < u->nnotes; i++)
		free(u->notes[i]);
	free(u->notes);
	free(u->m);
	free(u);
}

static struct month *
month_of(struct unit *u, int64_t t, struct ic_error *err)
{
	int64_t s = month_start(t);
	struct month *m;

	for (int i = 0; i < u->n; i++)
		if (u->m[i].start == s)
			return &u->m[i];
	m = realloc(u->m, (size_t)(u->n + 1) * sizeof *m);
	if (m == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	u->m = m;
	m = &u->m[u->n++];
	memset(m, 0, sizeof *m);
	m->start = s;
	return m;
}

/* day, metric, max, sum */
static int
metric_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct unit *u = arg;
	struct month *m = month_of(u, engine_column_int64(st, 0), err);
	const char *name = an_text(st, 1);
	double mx = engine_column_double(st, 2), sm = engine_column_double(st, 3);
	int k;

	if (m == NULL)
		return -1;
	for (k = 0; k < NM; k++)
		if (strcmp(name, mnames[k]) == 0)
			break;
	if (k == NM)
		return 0;
	if (m->days[k] == 0 || mx > m->max[k])
		m->max[k] = mx;
	m->sum[k] += sm;
	m->days[k]++;
	if (k == M_DAU)
		m->dau_days_sum += mx;
	return 0;
}

/* BillingPeriodStart, currency, cost, min start, max end; by cost desc */
static int
cost_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct unit *u = arg;
	int64_t bp = engine_column_int64(st, 0);
	struct month *m = NULL;

	(void)err;
	for (int i = 0; i < u->n; i++)
		if (u->m[i].start == month_start(bp))
			m = &u->m[i];
	if (m == NULL || m->has_cost)	/* no metrics, or not the main currency */
		return 0;
	m->has_cost = 1;
	snprintf(m->currency, sizeof m->currency, "%s", an_text(st, 1));
	m->cost = engine_column_int64(st, 2);
	m->charge_days = (int)((engine_column_int64(st, 4) - engine_column_int64(st, 3) + DAY - 1) / DAY);
	return 0;
}

static void
unit_note(struct unit *u, const char *text)
{
	char **n = realloc(u->notes, (size_t)(u->nnotes + 1) * sizeof *n);

	if (n == NULL)
		return;
	u->notes = n;
	if ((n[u->nnotes] = strdup(text)) != NULL)
		u->nnotes++;
}

static int
unit_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct unit *u = calloc(1, sizeof *u);
	struct engine_stmt *st;

	if (u == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0)
		goto fail;
	st = an_prepare(ctx,
		"SELECT ts - ts % 86400 AS d, metric AS name, MAX(value) AS hi, SUM(value) AS total"
		" FROM usage WHERE resource_id = 'service' AND ts >= ? AND ts < ?"
		" AND metric IN ('mau', 'dau', 'messages', 'peak_connections')"
		" GROUP BY ts - ts % 86400, metric ORDER BY d, name", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, month_next(ctx->end - 1));
	if (an_each(st, "reading service metrics", metric_row, u, err) != 0)
		goto fail;
	st = an_prepare(ctx,
		"SELECT BillingPeriodStart AS bp, BillingCurrency AS cur, SUM(EffectiveCostNanos) AS cost,"
		" MIN(min_start) AS first_start,"
		" MAX(CASE WHEN within_day = 1 THEN max_end ELSE max_start + 86400 END) AS last_end"
		" FROM rollup_daily WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingPeriodStart, BillingCurrency ORDER BY bp, cost DESC, cur", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "summing monthly costs", cost_row, u, err) != 0)
		goto fail;
	for (int i = 0; i < u->n; i++) {
		struct month *m = &u->m[i];
		char line[200], mm[32];
		if (m->has_cost && m->days[M_MSG] > 0 && m->days[M_MSG] < m->charge_days) {
			snprintf(line, sizeof line, "%s: message counts on %d of %d days with charges:"
				 " no cost per message", month_format(m->start, mm), m->days[M_MSG],
				 m->charge_days);
			unit_note(u, line);
		}
	}
	*out = u;
	return 0;
fail:
	unit_free(u);
	return -1;
}

static const struct table_col unit_cols[] = {
	{ "month", "Month", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "cost", "Cost", CELL_MONEY, 0 },
	{ "mau", "MAU", CELL_NUM, 0 },
	{ "dau", "DAU (mean)", CELL_NUM, 0 },
	{ "messages", "Messages", CELL_NUM, 0 },
	{ "peak_connections", "Peak conns", CELL_NUM, 0 },
	{ "cost_per_mau", "Per MAU", CELL_NUM, 6 },
	{ "cost_per_dau", "Per DAU", CELL_NUM, 6 },
	{ "cost_per_million_messages", "Per 1M msgs", CELL_NUM, 6 },
	{ "cost_per_peak_connection", "Per peak conn", CELL_NUM, 6 },
};

const struct table_colset unit_economics_columns = { unit_cols, (int)(sizeof unit_cols / sizeof unit_cols[0]) };

static int
unit_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct unit *u = p;
	struct table *t = table_new("IM unit economics (effective cost)", unit_cols, 11);
	char mm[32], missing[128], reason[256];
	int bad = 0, rows = 0, none;

	if (t == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < u->n; i++) {
		const struct month *m = &u->m[i];
		double cost = (double)m->cost / 1e9;
		int r;

		if (!m->has_cost)
			continue;
		if ((r = table_add_row(t)) < 0) {
			bad = 1;
			break;
		}
		rows++;
		bad |= table_set_text(t, r, 0, month_format(m->start, mm));
		bad |= table_set_text(t, r, 1, m->currency);
		table_set_money(t, r, 2, m->cost);
		if (m->days[M_MAU]) {
			table_set_num(t, r, 3, m->max[M_MAU]);
			if (m->max[M_MAU] > 0)
				table_set_num(t, r, 7, cost / m->max[M_MAU]);
		}
		if (m->days[M_DAU]) {
			double dau = m->dau_days_sum / m->days[M_DAU];
			table_set_num(t, r, 4, dau);
			if (dau > 0)
				table_set_num(t, r, 8, cost / dau);
		}
		if (m->days[M_MSG]) {
			table_set_num(t, r, 5, m->sum[M_MSG]);
			if (m->sum[M_MSG] > 0 && m->days[M_MSG] >= m->charge_days)
				table_set_num(t, r, 9, cost / (m->sum[M_MSG] / 1e6));
		}
		if (m->days[M_PEAK]) {
			table_set_num(t, r, 6, m->max[M_PEAK]);
			if (m->max[M_PEAK] > 0)
				table_set_num(t, r, 10, cost / m->max[M_PEAK]);
		}
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	/* coverage: months with charges, and those with any service metric;
	 * the metrics no month has */
	{
		long eligible = 0, assessed = 0;
		int seen[NM] = { 0 }, nmissing = 0;

		missing[0] = '\0';
		for (int i = 0; i < u->n; i++) {
			const struct month *m = &u->m[i];
			int any = 0;
			for (int k = 0; k < NM; k++) {
				any |= m->days[k] > 0;
				seen[k] |= m->days[k] > 0;
			}
			if (m->has_cost || any)
				assessed += any;
		}
		/* the analyzed months (billing periods start on the 1st) */
		for (int64_t t = month_start(ctx->start); t < ctx->end; t = month_next(t))
			eligible++;
		if (assessed > eligible)
			assessed = eligible;
		for (int k = 0; k < NM; k++)
			if (!seen[k]) {
				size_t l = strlen(missing);
				snprintf(missing + l, sizeof missing - l, "%s%s", nmissing++ ? ", " : "", mnames[k]);
			}
		snprintf(reason, sizeof reason, "no %s samples under resource_id 'service' in these months",
			 nmissing == NM ? "mau, dau, messages or peak_connections" : missing);
		emit_assessment(e, "unit_economics", "month", eligible, assessed, reason,
				"import a usage CSV with rows TIMESTAMP,service,mau,VALUE (and dau, messages,"
				" peak_connections): imcost formats lists the names");
		none = assessed == 0;
		if (nmissing == 0)
			missing[0] = '\0';
	}
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "unit_economics"), *notes;
		if (o == NULL) {
			table_free(t);
			return ic_errorf(err, "out of memory");
		}
		emit_table(e, t, o, "months");
		notes = cJSON_AddArrayToObject(o, "notes");
		for (int i = 0; i < u->nnotes; i++)
			cJSON_AddItemToArray(notes, cJSON_CreateString(u->notes[i]));
		if (rows == 0 || none)
			cJSON_AddItemToArray(notes, cJSON_CreateString(
				"no service metrics (mau, dau, messages, peak_connections under"
				" resource_id 'service') for the analyzed months"));
		else if (missing[0]) {
			snprintf(reason, sizeof reason, "metrics missing in every month: %s", missing);
			cJSON_AddItemToArray(notes, cJSON_CreateString(reason));
		}
	} else if (rows && !none) {
		emit_table(e, t, NULL, "unit_economics");
		for (int i = 0; i < u->nnotes && e->fmt != FMT_CSV; i++)
			emit_line(e, "Note", u->notes[i]);
		if (missing[0] && e->fmt != FMT_CSV)
			emit_line(e, "Missing metrics", missing);
	} else if (e->fmt != FMT_CSV) {
		emit_heading(e, "IM unit economics (effective cost)");
		emit_line(e, "Not assessed", "no mau, dau, messages or peak_connections samples under"
			  " resource_id 'service' (import them: imcost formats lists the names)");
	}
	table_free(t);
	return 0;
}

const struct analyzer analyzer_unit_economics = {
	.name = "unit_economics",
	.summary = "cost per MAU, per million messages and per peak connection",
	.query = unit_query,
	.emit = unit_emit,
	.free_findings = unit_free,
};
