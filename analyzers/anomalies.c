/*
 * anomalies.c - daily cost spikes per service.
 *
 * Query: daily effective cost of usage per (currency, service), from
 * charge lines of at most one day (monthly lines such as a reservation's
 * unused hours would otherwise land on the 1st), over the analyzed period
 * and the --anomaly-window days before it (so that the first days of a
 * month have a baseline when the previous month is imported).
 *
 * Compute: for each day of the analyzed period, the baseline is the
 * previous --anomaly-window days of the same series (days without charges
 * count as 0 once the series has started), needing at least
 * --anomaly-min-history of them.  expected = median, MAD = median of
 * |x - median|; the day is an anomaly when the modified z-score
 * 0.6745 (actual - median) / MAD exceeds --anomaly-z (any rise when MAD is
 * 0) and actual - expected >= the larger of --anomaly-min-impact (an
 * absolute floor, 1.00) and --anomaly-min-share x expected (a floor
 * relative to the service's daily baseline, 0.1: a rise of 2.23 on a
 * 134-a-day service is noise).  The two floors follow the absolute and
 * percentage impact thresholds of AWS Cost Anomaly Detection's alerts;
 * the 10% default is imcost's.  A day is no spike either when it is not
 * that floor above the highest same weekday of its baseline (weekends
 * that always cost more are a weekly pattern).  Only rises are reported.
 *
 * A level shift (the cost steps up and stays up) would be flagged on each
 * day until the median catches up; it is reported once instead: when
 * every day from a flagged day to the end of the data (two days at least)
 * stays above that day's expected + floor, the finding is one
 * "level_shift" starting that day, actual = the median of the days since,
 * days = how many; the later rises are judged again against the new level
 * (a spike on top of the shift stays a "spike", expected = the new level).
 *
 * JSON: anomalies{anomalies[] (day, service, currency, expected, actual,
 * impact, z, baseline_days, kind, days), days_checked, series, rule}.
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

struct point {
	int64_t day, cost;
};

struct series {
	char *currency, *service;
	struct point *p;
	int n;
};

struct anomaly {
	int s;
	int64_t day, expected, actual;
	double z;			/* NAN when MAD = 0 */
	int baseline_days;
	int shift;			/* a level shift since day */
	int days;			/* days it covers (1 for a spike) */
	double floor;			/* the impact floor of day */
};

struct anomalies {
	struct series *s;
	int ns;
	struct anomaly *a;
	int na;
	long days_checked;
	int64_t last_day;
	int oom;
};

static void
anom_free(void *p)
{
	struct anomalies *x = p;

	if (x == NULL)
		return;
	for (int i = 0; i < x->ns; i++) {
		free(x->s[i].currency);
		free(x->s[i].service);
		free(x->s[i].p);
	}
	free(x->s);
	free(x->a);
	free(x);
}

/* currency, service, day, cost; ordered by currency, service, day */
static int
day_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct anomalies *x = arg;
	const char *cur = an_text(st, 0), *svc = an_text(st, 1);
	struct series *s = x->ns ? &x->s[x->ns - 1] : NULL;
	struct point *p;

	if (s == NULL || strcmp(s->currency, cur) != 0 || strcmp(s->service, svc) != 0) {
		s = realloc(x->s, (size_t)(x->ns + 1) * sizeof *s);
		if (s == NULL)
			return ic_errorf(err, "out of memory");
		x->s = s;
		s = &x->s[x->ns++];
		memset(s, 0, sizeof *s);
		s->currency = strdup(cur);
		s->service = strdup(svc);
		if (!s->currency || !s->service)
			return ic_errorf(err, "out of memory");
	}
	p = realloc(s->p, (size_t)(s->n + 1) * sizeof *p);
	if (p == NULL)
		return ic_errorf(err, "out of memory");
	s->p = p;
	s->p[s->n].day = engine_column_int64(st, 2);
	s->p[s->n].cost = engine_column_int64(st, 3);
	if (s->p[s->n].day > x->last_day)
		x->last_day = s->p[s->n].day;
	s->n++;
	return 0;
}

/* The rises of series si (x->a[first_a..]) in day order: the first that
 * starts a level shift (every day from it to the end of the data, two at
 * least, above its expected + floor) becomes one "level_shift" finding.
 * The later rises of the series are judged again against the new level
 * (the median and MAD of the days since the shift, the same z-score and
 * floors): a spike on top of the shift stays, the rest goes.  v[0..ndays)
 * are the series' days from day0.  Returns 0, or -1 when out of memory. */
static int
level_shift(const struct analysis_opts *o, struct anomalies *x, int si, int64_t day0,
	    const double *v, int64_t ndays, int first_a)
{
	for (int i = first_a; i < x->na; i++) {
		struct anomaly *a = &x->a[i];
		int64_t d = (a->day - day0) / DAY, k;
		double lim = (double)a->expected + a->floor, *rest, med, mad;
		int m, n = (int)(ndays - d);

		if (a->s != si || n < 2)
			continue;
		for (k = d; k < ndays && v[k] >= lim; k++)
			;
		if (k < ndays)
			continue;
		rest = malloc((size_t)n * sizeof *rest);
		if (rest == NULL)
			return -1;
		memcpy(rest, v + d, (size_t)n * sizeof *rest);
		med = an_median(rest, n);
		for (int j = 0; j < n; j++)
			rest[j] = fabs(v[d + j] - med);
		mad = an_median(rest, n);
		free(rest);
		a->actual = an_nanos(med);
		a->shift = 1;
		a->days = n;
		m = i + 1;
		for (int j = i + 1; j < x->na; j++) {
			struct anomaly *b = &x->a[j];
			double imp = v[(b->day - day0) / DAY] - med, fl = (double)o->anomaly_min_impact;

			if (o->anomaly_min_share * med > fl)
				fl = o->anomaly_min_share * med;
			if (!(imp >= fl) || (mad > 0 && !(0.6745 * imp / mad > o->anomaly_z)))
				continue;
			b->expected = an_nanos(med);
			b->z = mad > 0 ? 0.6745 * imp / mad : NAN;
			b->floor = fl;
			x->a[m++] = *b;
		}
		x->na = m;
		break;
	}
	return 0;
}

static int
anom_compute(const struct analysis_ctx *ctx, struct anomalies *x, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	int W = o->anomaly_window;
	double *base = malloc((size_t)W * sizeof *base), *dev = malloc((size_t)W * sizeof *dev);

	if (base == NULL || dev == NULL) {
		free(base);
		free(dev);
		return ic_errorf(err, "out of memory");
	}
	for (int si = 0; si < x->ns; si++) {
		const struct series *s = &x->s[si];
		int64_t first = s->p[0].day;
		int64_t ndays = (x->last_day - first) / DAY + 1;
		double *v = calloc((size_t)ndays, sizeof *v);
		int first_a = x->na;

		if (v == NULL) {
			free(base);
			free(dev);
			return ic_errorf(err, "out of memory");
		}
		for (int i = 0; i < s->n; i++)
			v[(s->p[i].day - first) / DAY] = (double)s->p[i].cost;
		for (int64_t d = 0; d < ndays; d++) {
			int64_t day = first + d * DAY;
			int nb = 0;
			double med, mad, z = NAN, impact, floor_, wmax;

			if (day < ctx->start || day >= ctx->end)
				continue;
			wmax = NAN;
			for (int64_t k = d - 1; k >= 0 && nb < W; k--) {
				base[nb++] = v[k];
				if ((d - k) % 7 == 0 && !(v[k] <= wmax))
					wmax = v[k];
			}
			if (nb < o->anomaly_min_history)
				continue;
			x->days_checked++;
			med = an_median(base, nb);
			for (int k = 0; k < nb; k++)
				dev[k] = fabs(base[k] - med);
			mad = an_median(dev, nb);
			impact = v[d] - med;
			floor_ = (double)o->anomaly_min_impact;
			if (o->anomaly_min_share * med > floor_)
				floor_ = o->anomaly_min_share * med;
			if (!(impact > 0) || impact < floor_)
				continue;
			/* a weekly pattern: the same weekday in the baseline was as high */
			if (!isnan(wmax) && v[d] - wmax < floor_)
				continue;
			if (mad > 0) {
				z = 0.6745 * impact / mad;
				if (!(z > o->anomaly_z))
					continue;
			}
			{
				struct anomaly *a = realloc(x->a, (size_t)(x->na + 1) * sizeof *a);
				if (a == NULL) {
					free(v);
					free(base);
					free(dev);
					return ic_errorf(err, "out of memory");
				}
				x->a = a;
				a = &x->a[x->na++];
				a->s = si;
				a->day = day;
				a->expected = an_nanos(med);
				a->actual = an_nanos(v[d]);
				a->z = z;
				a->baseline_days = nb;
				a->shift = 0;
				a->days = 1;
				a->floor = floor_;
			}
		}
		if (level_shift(o, x, si, first, v, ndays, first_a) != 0) {
			free(v);
			free(base);
			free(dev);
			return ic_errorf(err, "out of memory");
		}
		free(v);
	}
	free(base);
	free(dev);
	return 0;
}

static int
anom_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	const struct analysis_opts *o = analysis_opts(ctx);
	struct anomalies *x = calloc(1, sizeof *x);
	struct engine_stmt *st;
	int64_t lo = ctx->start - (int64_t)o->anomaly_window * DAY;
	int cut;

	if (x == NULL)
		return ic_errorf(err, "out of memory");
	if (an_rollups(ctx->eng, err) != 0 || an_daily_cut(ctx->eng, lo, ctx->end, 1, &cut, err) != 0)
		goto fail;
	/* the daily rollup, unless a bound falls inside one of its days */
	st = an_prepare(ctx, !cut ?
		"SELECT BillingCurrency AS cur, COALESCE(ServiceName, '(none)') AS svc, day AS d,"
		" SUM(EffectiveCostNanos) AS cost"
		" FROM rollup_daily WHERE min_start >= ? AND max_start < ?"
		" AND ChargeCategory = 'Usage' AND within_day = 1"
		" GROUP BY BillingCurrency, COALESCE(ServiceName, '(none)'), day"
		" ORDER BY cur, svc, d" :
		"SELECT BillingCurrency AS cur, COALESCE(ServiceName, '(none)') AS svc,"
		" ChargePeriodStart - ChargePeriodStart % 86400 AS d, SUM(EffectiveCostNanos) AS cost"
		" FROM charges WHERE ChargePeriodStart >= ? AND ChargePeriodStart < ?"
		" AND ChargeCategory = 'Usage' AND ChargePeriodEnd - ChargePeriodStart <= 86400"
		" GROUP BY BillingCurrency, COALESCE(ServiceName, '(none)'),"
		" ChargePeriodStart - ChargePeriodStart % 86400"
		" ORDER BY cur, svc, d", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, lo);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "summing daily costs", day_row, x, err) != 0)
		goto fail;
	if (anom_compute(ctx, x, err) != 0)
		goto fail;
	*out = x;
	return 0;
fail:
	anom_free(x);
	return -1;
}

static int
cmp_spike(const void *a, const void *b)
{
	const struct spike_day *x = a, *y = b;
	int r = strcmp(x->currency, y->currency);
	return r ? r : x->day < y->day ? -1 : x->day > y->day;
}

int
anomaly_spike_days(const struct analysis_ctx *ctx, int64_t start, int64_t end,
		   struct spike_day **out, int *n, struct ic_error *err)
{
	struct analysis_ctx c = *ctx;
	struct anomalies *x;
	struct spike_day *v;
	void *raw;
	int m = 0;

	*out = NULL;
	*n = 0;
	c.start = start;
	c.end = end;
	if (anom_query(&c, &raw, err) != 0)
		return -1;
	x = raw;
	v = malloc((size_t)(x->na + 1) * sizeof *v);
	if (v == NULL) {
		anom_free(x);
		return ic_errorf(err, "out of memory");
	}
	for (int i = 0; i < x->na; i++) {
		if (x->a[i].shift)
			continue;
		snprintf(v[m].currency, sizeof v[m].currency, "%s", x->s[x->a[i].s].currency);
		v[m].day = x->a[i].day;
		v[m].impact = x->a[i].actual - x->a[i].expected;
		m++;
	}
	anom_free(x);
	if (m > 1)
		qsort(v, (size_t)m, sizeof *v, cmp_spike);
	/* one per (currency, day) */
	{
		int k = 0;
		for (int i = 0; i < m; i++) {
			if (k > 0 && v[k - 1].day == v[i].day &&
			    strcmp(v[k - 1].currency, v[i].currency) == 0)
				v[k - 1].impact += v[i].impact;
			else
				v[k++] = v[i];
		}
		m = k;
	}
	if (m == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = m;
	return 0;
}

static const struct table_col anom_cols[] = {
	{ "day", "Day", CELL_TEXT, 0 },
	{ "service", "Service", CELL_TEXT, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "expected", "Expected", CELL_MONEY, 0 },
	{ "actual", "Actual", CELL_MONEY, 0 },
	{ "impact", "Impact", CELL_MONEY, 0 },
	{ "z", "Robust z", CELL_NUM, 1 },
	{ "baseline_days", "Baseline days", CELL_INT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "days", "Days", CELL_INT, 0 },
};

const struct table_colset anomalies_columns = { anom_cols, (int)(sizeof anom_cols / sizeof anom_cols[0]) };

static int
cmp_anom(const void *a, const void *b)
{
	const struct anomaly *x = a, *y = b;
	int64_t ix = x->actual - x->expected, iy = y->actual - y->expected;

	if (ix != iy)
		return ix > iy ? -1 : 1;
	return x->day < y->day ? -1 : x->day > y->day;
}

static int
anom_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct anomalies *x = p;
	struct table *t = table_new("Cost anomalies (daily cost per service)", anom_cols, 10);
	const struct analysis_opts *o = analysis_opts(ctx);
	char day[32], line[128], rule[320], amt[48];
	int bad = 0;

	if (t == NULL)
		return ic_errorf(err, "out of memory");
	snprintf(rule, sizeof rule, "modified z-score above %g against the %d previous days, and a"
		 " rise of at least %s and at least %g%% of the expected day; a step that stays up"
		 " is one level_shift", o->anomaly_z, o->anomaly_window,
		 money_format(o->anomaly_min_impact, 2, 1, amt), o->anomaly_min_share * 100);
	if (x->na > 1)
		qsort(x->a, (size_t)x->na, sizeof *x->a, cmp_anom);
	for (int i = 0; i < x->na; i++) {
		const struct anomaly *a = &x->a[i];
		int r = table_add_row(t);
		if (r < 0) {
			bad = 1;
			break;
		}
		bad |= table_set_text(t, r, 0, date_format(a->day, day));
		bad |= table_set_text(t, r, 1, x->s[a->s].service);
		bad |= table_set_text(t, r, 2, x->s[a->s].currency);
		table_set_money(t, r, 3, a->expected);
		table_set_money(t, r, 4, a->actual);
		table_set_money(t, r, 5, a->actual - a->expected);
		table_set_num(t, r, 6, a->z);
		table_set_int(t, r, 7, a->baseline_days);
		bad |= table_set_text(t, r, 8, a->shift ? "level_shift" : "spike");
		table_set_int(t, r, 9, a->days);
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	emit_anomalies(e, x->na);
	if (e->fmt == FMT_JSON) {
		cJSON *o = cJSON_AddObjectToObject(e->root, "anomalies");
		if (o == NULL) {
			table_free(t);
			return ic_errorf(err, "out of memory");
		}
		emit_table(e, t, o, "anomalies");
		cJSON_AddNumberToObject(o, "days_checked", (double)x->days_checked);
		cJSON_AddNumberToObject(o, "series", x->ns);
		cJSON_AddStringToObject(o, "rule", rule);
	} else {
		if (x->na == 0 && e->fmt != FMT_CSV) {
			emit_heading(e, "Cost anomalies");
			snprintf(line, sizeof line, "none in %ld service-days with a baseline",
				 x->days_checked);
			emit_line(e, "Anomalies", line);
		}
		if (x->na > 0) {
			emit_table(e, t, NULL, "anomalies");
			if (e->fmt != FMT_CSV)
				emit_line(e, "Rule", rule);
		}
	}
	table_free(t);
	return 0;
}

const struct analyzer analyzer_anomalies = {
	.name = "anomalies",
	.summary = "daily cost spikes per service against a median/MAD baseline",
	.query = anom_query,
	.emit = anom_emit,
	.free_findings = anom_free,
};
