/*
 * forecast.c - month-end projection of the effective (amortized) cost.
 *
 * The month is the last billing period of the analyzed ones.
 * Query: per currency the month's total so far (billing period = that
 * month) and the daily cost of its lines of at most one day, with the end
 * of the data (the latest end of those lines).
 *
 * Compute: when the data reaches the end of the month the forecast is the
 * total ("complete").  Otherwise, from the D complete days seen:
 *   run-rate         mean daily cost x the days left (fractional for a
 *                    partly seen last day);
 *   weekday pattern  once D >= --forecast-weekday-days (default 14, two of
 *                    each weekday): each day left is projected at the mean
 *                    of the same weekday seen so far.
 * forecast = total so far + projection.  Lines longer than a day (monthly
 * fees, taxes) are counted once, as they stand.  No complete day seen: no
 * forecast.  The days the anomaly analysis flags as spikes (not level
 * shifts, which are the new normal) stay in the total so far but are left
 * out of the daily rate and the weekday means, so one spike is not carried
 * into every day left; the row lists them (excluded_days) and the method
 * says how many.
 *
 * JSON: forecast{month, forecasts[] (currency, to_date, days_seen,
 * days_in_month, daily_rate, projected_remaining, forecast, method,
 * excluded_days), notes[]}.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/columns.h"
#include "analyzers/anomalies.h"
#include "analyzers/anutil.h"
#include "analyzers/rollups.h"
#include "common/decimal.h"
#include "common/timeparse.h"

#define DAY 86400LL

struct fc {
	char currency[16];
	int64_t to_date;
	int64_t daily[31];		/* cost of lines <= 1 day, by day of month */
	int64_t data_end;
	int days_seen, days_in_month;
	double daily_rate, remaining;
	int64_t projected, forecast;
	char method[96];
	unsigned char spike[31];	/* a day left out of the baseline */
	int nspike;			/* of the days seen */
	char excluded[31 * 11 + 1];	/* "2026-10-08 ..." */
	int ok;
};

struct forecast {
	int64_t month_start, month_end;
	struct fc *c;
	int n;
};

static void
fc_free(void *p)
{
	struct forecast *f = p;

	if (f) {
		free(f->c);
		free(f);
	}
}

static struct fc *
cur(struct forecast *f, const char *currency, struct ic_error *err)
{
	struct fc *c;

	for (int i = 0; i < f->n; i++)
		if (strcmp(f->c[i].currency, currency) == 0)
			return &f->c[i];
	c = realloc(f->c, (size_t)(f->n + 1) * sizeof *c);
	if (c == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	f->c = c;
	c = &f->c[f->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->currency, sizeof c->currency, "%s", currency);
	return c;
}

static int
total_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct fc *c = cur(arg, an_text(st, 0), err);

	if (c == NULL)
		return -1;
	c->to_date = engine_column_int64(st, 1);
	return 0;
}

static int
daily_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct forecast *f = arg;
	struct fc *c = cur(f, an_text(st, 0), err);
	int64_t d = (engine_column_int64(st, 1) - f->month_start) / DAY;

	if (c == NULL)
		return -1;
	if (d >= 0 && d < 31)
		c->daily[d] += engine_column_int64(st, 2);
	if (engine_column_int64(st, 3) > c->data_end)
		c->data_end = engine_column_int64(st, 3);
	return 0;
}

/* the latest billing period start; *arg stays INT64_MIN for NULL */
static int
last_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	(void)err;
	if (!an_null(st, 0))
		*(int64_t *)arg = engine_column_int64(st, 0);
	return 0;
}

/* Monday = 0 */
static int
weekday(int64_t t)
{
	int64_t days = t / DAY;
	int w = (int)((days + 3) % 7);
	return w < 0 ? w + 7 : w;
}

static void
project(const struct analysis_opts *o, struct forecast *f, struct fc *c)
{
	int64_t end = c->data_end;
	double proj = 0, sum = 0;
	int nbase = 0;

	c->days_in_month = (int)((f->month_end - f->month_start) / DAY);
	if (end >= f->month_end) {
		c->days_seen = c->days_in_month;
		for (int d = 0; d < c->days_seen; d++)
			sum += (double)c->daily[d];
		c->daily_rate = sum / c->days_seen;
		c->remaining = 0;
		c->projected = 0;
		c->forecast = c->to_date;
		snprintf(c->method, sizeof c->method, "complete month");
		c->ok = 1;
		return;
	}
	c->days_seen = (int)((end - f->month_start) / DAY);
	if (c->days_seen <= 0)
		return;
	c->remaining = (double)(f->month_end - end) / DAY;
	for (int d = 0; d < c->days_seen; d++)
		if (!c->spike[d]) {
			sum += (double)c->daily[d];
			nbase++;
		} else {
			char day[16];
			size_t len = strlen(c->excluded);
			c->nspike++;
			snprintf(c->excluded + len, sizeof c->excluded - len, "%s%s", len ? " " : "",
				 date_format(f->month_start + d * DAY, day));
		}
	if (nbase == 0)
		return;
	c->daily_rate = sum / nbase;
	if (c->days_seen >= o->forecast_weekday_days) {
		double wsum[7] = { 0 };
		int wn[7] = { 0 };
		for (int d = 0; d < c->days_seen; d++) {
			int w = weekday(f->month_start + d * DAY);
			if (c->spike[d])
				continue;
			wsum[w] += (double)c->daily[d];
			wn[w]++;
		}
		/* the rest of the partly seen day, then the whole days left */
		for (int64_t t = end; t < f->month_end;) {
			int64_t day_end = t - t % DAY + DAY;
			int w = weekday(t);
			double mean = wn[w] ? wsum[w] / wn[w] : c->daily_rate;
			proj += mean * (double)(day_end - t) / DAY;
			t = day_end;
		}
		snprintf(c->method, sizeof c->method, "weekday pattern over %d days", c->days_seen);
	} else {
		proj = c->daily_rate * c->remaining;
		snprintf(c->method, sizeof c->method, "run-rate over %d day%s", c->days_seen,
			 c->days_seen == 1 ? "" : "s");
	}
	if (c->nspike) {
		size_t len = strlen(c->method);
		snprintf(c->method + len, sizeof c->method - len, " (%d spike day%s left out)",
			 c->nspike, c->nspike == 1 ? "" : "s");
	}
	c->projected = an_nanos(proj);
	c->forecast = c->to_date + c->projected;
	c->ok = 1;
}

/* the anomaly analysis' spike days of the month, per currency */
static int
mark_spikes(const struct analysis_ctx *ctx, struct forecast *f, struct ic_error *err)
{
	struct spike_day *v;
	int n;

	if (anomaly_spike_days(ctx, f->month_start, f->month_end, &v, &n, err) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < f->n; k++) {
			int64_t d = (v[i].day - f->month_start) / DAY;
			if (strcmp(f->c[k].currency, v[i].currency) == 0 && d >= 0 && d < 31)
				f->c[k].spike[d] = 1;
		}
	free(v);
	return 0;
}

static int
fc_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct forecast *f = calloc(1, sizeof *f);
	struct engine_stmt *st;
	int64_t last = INT64_MIN;
	int cut;

	if (f == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0)
		goto fail;
	st = an_prepare(ctx,
		"SELECT $max(BillingPeriodStart) AS lastbp FROM charges"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "finding the last charge", last_row, &last, err) != 0)
		goto fail;
	if (last == INT64_MIN) {
		*out = f;
		return 0;
	}
	f->month_start = month_start(last);
	f->month_end = month_next(f->month_start);

	st = an_prepare(ctx,
		"SELECT BillingCurrency AS cur, SUM(EffectiveCostNanos) AS total FROM rollup_daily"
		" WHERE BillingPeriodStart = ? GROUP BY BillingCurrency ORDER BY total DESC, cur", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, f->month_start);
	if (an_each(st, "summing the month", total_row, f, err) != 0)
		goto fail;
	if (an_daily_cut(ctx->eng, f->month_start, f->month_end, 0, &cut, err) != 0)
		goto fail;
	/* the daily rollup, unless a month bound falls inside one of its days */
	st = an_prepare(ctx, !cut ?
		"SELECT BillingCurrency AS cur, day AS d, SUM(EffectiveCostNanos) AS cost,"
		" MAX(max_end) AS last_end FROM rollup_daily"
		" WHERE BillingPeriodStart = ? AND min_start >= ? AND max_start < ? AND within_day = 1"
		" GROUP BY BillingCurrency, day ORDER BY cur, d" :
		"SELECT BillingCurrency AS cur, ChargePeriodStart - ChargePeriodStart % 86400 AS d,"
		" SUM(EffectiveCostNanos) AS cost, MAX(ChargePeriodEnd) AS last_end FROM charges"
		" WHERE BillingPeriodStart = ? AND ChargePeriodStart >= ? AND ChargePeriodStart < ?"
		" AND ChargePeriodEnd - ChargePeriodStart <= 86400"
		" GROUP BY BillingCurrency, ChargePeriodStart - ChargePeriodStart % 86400"
		" ORDER BY cur, d", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, f->month_start);
	engine_bind_int64(st, 2, f->month_start);
	engine_bind_int64(st, 3, f->month_end);
	if (an_each(st, "summing daily costs", daily_row, f, err) != 0)
		goto fail;
	if (mark_spikes(ctx, f, err) != 0)
		goto fail;
	for (int i = 0; i < f->n; i++)
		project(analysis_opts(ctx), f, &f->c[i]);
	*out = f;
	return 0;
fail:
	fc_free(f);
	return -1;
}

static const struct table_col fc_cols[] = {
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "to_date", "So far", CELL_MONEY, 0 },
	{ "days_seen", "Days seen", CELL_INT, 0 },
	{ "days_in_month", "Days", CELL_INT, 0 },
	{ "daily_rate", "Daily rate", CELL_MONEY, 0 },
	{ "projected_remaining", "Still to come", CELL_MONEY, 0 },
	{ "forecast", "Month-end forecast", CELL_MONEY, 0 },
	{ "method", "Method", CELL_TEXT, 0 },
	{ "excluded_days", "Left out", CELL_TEXT, 0 },
};

const struct table_colset forecast_columns = { fc_cols, (int)(sizeof fc_cols / sizeof fc_cols[0]) };

static int
fc_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct forecast *f = p;
	struct table *t = table_new("Month-end forecast (effective cost)", fc_cols, 9);
	char m[32];
	int bad = 0, shown = 0;

	(void)ctx;
	if (t == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < f->n; i++) {
		const struct fc *c = &f->c[i];
		int r;
		if (!c->ok)
			continue;
		if ((r = table_add_row(t)) < 0) {
			bad = 1;
			break;
		}
		shown++;
		bad |= table_set_text(t, r, 0, c->currency);
		table_set_money(t, r, 1, c->to_date);
		table_set_int(t, r, 2, c->days_seen);
		table_set_int(t, r, 3, c->days_in_month);
		table_set_money(t, r, 4, an_nanos(c->daily_rate));
		table_set_money(t, r, 5, c->projected);
		table_set_money(t, r, 6, c->forecast);
		bad |= table_set_text(t, r, 7, c->method);
		bad |= table_set_text(t, r, 8, c->excluded);
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "forecast"), *notes;
		if (o == NULL) {
			table_free(t);
			return ic_errorf(err, "out of memory");
		}
		if (f->month_start)
			cJSON_AddStringToObject(o, "month", month_format(f->month_start, m));
		else
			cJSON_AddNullToObject(o, "month");
		emit_table(e, t, o, "forecasts");
		notes = cJSON_AddArrayToObject(o, "notes");
		if (shown < f->n || f->n == 0)
			cJSON_AddItemToArray(notes, cJSON_CreateString(
				"no complete day of charges in the month: no forecast"));
	} else {
		if (shown)
			emit_table(e, t, NULL, "forecast");
		else if (e->fmt != FMT_CSV) {
			emit_heading(e, "Month-end forecast");
			emit_line(e, "Forecast", "none: no complete day of charges in the month");
		}
	}
	table_free(t);
	return 0;
}

const struct analyzer analyzer_forecast = {
	.name = "forecast",
	.summary = "month-end projection (run-rate, weekday pattern with 14+ days)",
	.query = fc_query,
	.emit = fc_emit,
	.free_findings = fc_free,
};
