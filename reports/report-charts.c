/*
 * report-charts.c - the five charts of the monthly report, built from the
 * analyzers' JSON document and drawn by gnuplot (reports/chart.h):
 *
 *   daily-cost          daily effective cost stacked by service (the
 *                       TOP_SERVICES largest of the month and "Other";
 *                       summary.by_day_service), or the daily total when
 *                       the document has no per-service days
 *   month-over-month    effective cost by service, previous month next to
 *                       this one
 *   commitment-usage    hourly on-demand instance counts of the top
 *                       instance types (commitments.hourly_usage) with the
 *                       recommended commitment drawn across
 *   waste-by-kind       monthly cost of idle resources, unused commitments
 *                       and oversized instances, by kind
 *   forecast            cumulative effective cost by day and the month-end
 *                       projection, with the previous month's total
 *   allocation          direct and shared cost per allocation value
 *                       (allocation.rows, with report --allocation RULES)
 *
 * Amounts go into the .dat files as exact decimals (money_format_json).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/timeparse.h"
#include "reports/chart.h"
#include "reports/report-int.h"

#define DAY 86400LL
/* services stacked in the daily chart: with "Other", one chart style each
 * (CHART_STYLES), so every layer has its own colour and fill */
#define TOP_SERVICES 7
_Static_assert(TOP_SERVICES + 1 <= CHART_STYLES, "a style per layer of the daily chart");
#define MOM_SERVICES 6
#define HOURLY_SERIES 3
#define LABEL_MAX 34

/* s cut to LABEL_MAX bytes (on a UTF-8 boundary) with "..." */
static const char *
short_label(const char *s, char *buf, size_t size)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return "(none)";
	if (strlen(s) <= LABEL_MAX)
		return s;
	n = LABEL_MAX - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	snprintf(buf, size, "%.*s...", (int)n, s);
	return buf;
}

static void
dat_money(struct sbuf *b, int64_t v)
{
	char buf[48];

	sbuf_printf(b, "\t%s", money_format_json(v, buf));
}

/* day index in the month of "YYYY-MM-DD", or -1 */
static int
day_index(const struct rep *r, const char *day)
{
	int64_t t;

	if (day == NULL || time_parse(day, strlen(day), 0, &t) != NUM_OK || t < r->start ||
	    t >= r->end)
		return -1;
	return (int)((t - r->start) / DAY);
}

/* ---- daily cost stacked by service ---- */

static int
chart_daily(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	const cJSON *bds = json_path(r->sum, "by_day_service"), *bd = json_path(r->sum, "by_day"), *it;
	int top[TOP_SERVICES], ns = 0, nl, have = 0, other = 0, split = 0;
	int64_t *m;
	char lbl[64], day[32], xl[96], yl[96];

	/* the layers: the month's largest services (r->svc is by effective
	 * cost, and also lists services only the previous month had), then
	 * one "Other" layer when anything is left */
	if (cJSON_IsArray(bds) && cJSON_GetArraySize(bds) > 0) {
		split = 1;
		for (int i = 0; i < r->nsvc && ns < TOP_SERVICES; i++)
			if (r->svc[i].eff != 0 || r->svc[i].billed != 0 || !r->svc[i].in_prev)
				top[ns++] = i;
	}
	nl = ns + 1;	/* split: column ns is "Other"; else column 0 is the total */
	m = calloc((size_t)r->days * (size_t)nl, sizeof *m);
	if (m == NULL)
		return -1;
	if (split) {
		cJSON_ArrayForEach(it, bds) {
			int di = day_index(r, json_str(it, "day")), k;
			const char *svc = json_str(it, "service");
			int64_t v;

			if (di < 0 || jmoney(it, "effective_cost", &v) != 0)
				continue;
			for (k = 0; k < ns; k++)
				if (svc && strcmp(svc, r->svc[top[k]].name) == 0)
					break;
			if (k == ns)
				other = 1;
			m[di * nl + k] += v;
			have = 1;
		}
		snprintf(ch->title, sizeof ch->title, "Daily effective cost by service, %s", r->mname);
	} else {
		cJSON_ArrayForEach(it, bd) {
			int di = day_index(r, json_str(it, "day"));
			int64_t v;

			if (di < 0 || jmoney(it, "effective_cost", &v) != 0)
				continue;
			m[di] += v;
			have = 1;
		}
		/* without summary.by_day_service: the daily total */
		snprintf(ch->title, sizeof ch->title, "Daily effective cost, %s", r->mname);
	}
	if (!have) {
		free(m);
		snprintf(ch->note, sizeof ch->note, "No daily costs in %s.", r->mname);
		return 0;
	}
	if (!split) {
		ns = 0;
		other = 1;	/* one column: the total */
	}
	nl = ns + other;	/* columns written */
	sbuf_printf(d, "# %s.dat - effective cost per day (", ch->name);
	sb_datfield(d, r->ccy);
	sbuf_puts(d, "); columns: day");
	for (int k = 0; k < nl; k++) {
		sbuf_puts(d, "\t");
		sb_datfield(d, k < ns ? r->svc[top[k]].name : split ? "Other" : "all services");
	}
	sbuf_puts(d, "\n");
	for (int di = 0; di < r->days; di++) {
		sbuf_puts(d, date_format(r->start + di * DAY, day));
		for (int k = 0; k < nl; k++)
			dat_money(d, m[di * (ns + 1) + k]);
		sbuf_puts(d, "\n");
	}
	free(m);

	snprintf(xl, sizeof xl, "Day of %s (UTC)", r->mname);
	snprintf(yl, sizeof yl, "Effective cost (%s per day)", r->ccy);
	gp_cmd(b, "set style data histograms\n"
	       "set style histogram rowstacked\n"
	       "set boxwidth 0.8 relative\n"
	       "set key outside below center horizontal\n"
	       "set yrange [0:*]\n"
	       "set xlabel %q\n"
	       "set ylabel %q\n", xl, yl);
	gp_cmd(b, "plot ");
	for (int k = 0; k < nl; k++) {
		const char *name = k < ns ? short_label(r->svc[top[k]].name, lbl, sizeof lbl)
			: split ? "Other" : "all services";
		if (k == 0)
			gp_cmd(b, "datafile using 2:xtic(strcol(1)[9:10])");
		else
			gp_cmd(b, ", \\\n     '' using %d", k + 2);
		gp_cmd(b, " title %q lc rgb %q %F", name, chart_color(k), k);
	}
	gp_cmd(b, "\n");
	return 1;
}

/* ---- month over month ---- */

static int
chart_mom(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	int n = r->nsvc < MOM_SERVICES ? r->nsvc : MOM_SERVICES;
	int64_t oc = 0, op = 0;
	char lbl[64], yl[96];

	snprintf(ch->title, sizeof ch->title, "Effective cost by service, %s vs %s", r->mname,
		 r->has_prev ? r->pmname : "previous month (n/a)");
	if (r->nsvc == 0) {
		snprintf(ch->note, sizeof ch->note, "No services with costs in %s.", r->mname);
		return 0;
	}
	for (int k = n; k < r->nsvc; k++) {
		oc += r->svc[k].eff;
		op += r->svc[k].prev_eff;
	}
	sbuf_printf(d, "# %s.dat - effective cost per service (", ch->name);
	sb_datfield(d, r->ccy);
	sbuf_printf(d, "); columns: service\t%s\t%s\n",
		  r->has_prev ? r->pmonth : "previous month (n/a)", r->month);
	for (int k = 0; k < n + (r->nsvc > n); k++) {
		sb_datfield(d, k < n ? short_label(r->svc[k].name, lbl, sizeof lbl) : "Other");
		if (r->has_prev)
			dat_money(d, k < n ? r->svc[k].prev_eff : op);
		else
			sbuf_puts(d, "\tNaN");
		dat_money(d, k < n ? r->svc[k].eff : oc);
		sbuf_puts(d, "\n");
	}
	snprintf(yl, sizeof yl, "Effective cost (%s per month)", r->ccy);
	gp_cmd(b, "set style data histograms\n"
	       "set style histogram clustered gap 1\n"
	       "set yrange [0:*]\n"
	       "set key top right\n"
	       "set xrange [-0.6:%d.6]\n"
	       "set xtics rotate by 20 right scale 0\n"
	       "set bmargin 7\n"
	       "set xlabel 'Service'\n"
	       "set ylabel %q\n", n + (r->nsvc > n) - 1, yl);
	if (r->has_prev) {
		gp_cmd(b, "plot datafile using 2:xtic(1) title %q lc rgb '#777777' %F, \\\n"
		       "     '' using 3 title %q lc rgb %q %F\n", r->pmname, 1, r->mname, chart_color(0), 0);
	} else {
		gp_cmd(b, "plot datafile using 3:xtic(1) title %q lc rgb %q %F\n", r->mname,
		       chart_color(0), 0);
		snprintf(ch->note, sizeof ch->note, "No charges for %s in the database: only %s is shown.",
			 r->pmname[0] ? r->pmname : "the previous month", r->mname);
	}
	return 1;
}

/* ---- hourly on-demand usage and the recommended commitment ---- */

static int
chart_commit(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	const cJSON *hu = json_path(r->cur, "commitments.hourly_usage"), *it;
	const cJSON *g[HOURLY_SERIES];
	int ng = 0, nh = -1;
	int64_t t0 = 0;
	char lbl[96], ts[48];

	snprintf(ch->title, sizeof ch->title, "Hourly on-demand usage and recommended commitments");
	cJSON_ArrayForEach(it, hu) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(it, "usage");
		const char *cur = json_str(it, "currency"), *start = json_str(it, "start");
		int64_t t;

		if (ng == HOURLY_SERIES || !cJSON_IsArray(u) || cJSON_GetArraySize(u) == 0 ||
		    start == NULL || time_parse(start, strlen(start), 0, &t) != NUM_OK)
			continue;
		if (cur && strcmp(cur, r->ccy) != 0)
			continue;
		if (ng == 0) {
			t0 = t;
			nh = cJSON_GetArraySize(u);
		} else if (t != t0 || cJSON_GetArraySize(u) != nh) {
			continue;
		}
		g[ng++] = it;
	}
	if (ng == 0) {
		snprintf(ch->note, sizeof ch->note, "%s",
			 cJSON_IsArray(hu) ? "No on-demand instance usage in the look-back window."
			 : "The commitments analysis gave no hourly usage (commitments.hourly_usage).");
		return 0;
	}
	sbuf_printf(d, "# %s.dat - instances running on demand per hour (UTC); columns: hour", ch->name);
	for (int k = 0; k < ng; k++) {
		snprintf(lbl, sizeof lbl, "%s %s", json_str(g[k], "instance_type") ? json_str(g[k], "instance_type")
			 : "?", json_str(g[k], "region") ? json_str(g[k], "region") : "");
		sbuf_puts(d, "\t");
		sb_datfield(d, lbl);
	}
	sbuf_puts(d, "\n");
	for (int h = 0; h < nh; h++) {
		time_format(t0 + (int64_t)h * 3600, ts);
		ts[16] = '\0';	/* YYYY-MM-DDTHH:MM */
		sbuf_puts(d, ts);
		for (int k = 0; k < ng; k++) {
			const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(g[k], "usage"), h);
			if (cJSON_IsNumber(v))
				sbuf_printf(d, "\t%.3f", v->valuedouble);
			else
				sbuf_puts(d, "\tNaN");
		}
		sbuf_puts(d, "\n");
	}
	{
		char a[48], z[48];
		time_format(t0, a);
		time_format(t0 + (int64_t)nh * 3600, z);
		a[16] = z[16] = '\0';
		gp_cmd(b, "set xdata time\n"
		       "set timefmt '%%Y-%%m-%%dT%%H:%%M'\n"
		       "set xrange [%q:%q]\n", a, z);
	}
	gp_cmd(b, "set format x '%%d %%b'\n"
	       "set yrange [0:*]\n"
	       "set key outside below center horizontal\n"
	       "set xlabel 'Hour (UTC)'\n"
	       "set ylabel 'Instances running on demand (count per hour)'\n");
	gp_cmd(b, "plot ");
	for (int k = 0; k < ng; k++) {
		double cnt = jnum(g[k], "recommended_count");

		snprintf(lbl, sizeof lbl, "%s %s on demand", json_str(g[k], "instance_type") ?
			 json_str(g[k], "instance_type") : "?", json_str(g[k], "region") ? json_str(g[k], "region") : "");
		if (k)
			gp_cmd(b, ", \\\n     ");
		gp_cmd(b, "datafile using 1:%d with steps ls %d lw 1.5 title %q", k + 2, k + 1, lbl);
		if (cnt > 0) {
			snprintf(lbl, sizeof lbl, "commit %.0f x %s (%s %s)", cnt,
				 json_str(g[k], "instance_type") ? json_str(g[k], "instance_type") : "?",
				 json_str(g[k], "term") ? json_str(g[k], "term") : "",
				 json_str(g[k], "payment") ? json_str(g[k], "payment") : "");
			gp_cmd(b, ", \\\n     %g with lines lc rgb %q lw 4 dt (30,10) title %q", round(cnt),
			       chart_color(k), lbl);
		}
	}
	gp_cmd(b, "\n");
	return 1;
}

/* ---- waste by kind ---- */

static int
chart_waste(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	int n = 0;
	char yl[96];

	snprintf(ch->title, sizeof ch->title, "Waste by kind, %s (cost per month)", r->mname);
	sbuf_printf(d, "# %s.dat - waste per month (", ch->name);
	sb_datfield(d, r->ccy);
	sbuf_puts(d, "); columns: kind\tmonthly cost\tfindings\n");
	for (int k = 0; k < NWASTE; k++) {
		const struct waste *w = &r->waste[k];
		if (w->count == 0 || w->monthly <= 0)
			continue;
		sb_datfield(d, w->label);
		dat_money(d, w->monthly);
		sbuf_printf(d, "\t%d\n", w->count);
		n++;
	}
	if (n == 0) {
		snprintf(ch->note, sizeof ch->note, "No priced waste found in %s.", r->mname);
		return 0;
	}
	snprintf(yl, sizeof yl, "Waste (%s per month)", r->ccy);
	gp_cmd(b, "set style fill solid 0.85 border lc rgb 'black'\n"
	       "set boxwidth 0.6\n"
	       "set xrange [-0.6:%d.4]\n"
	       "set yrange [0:*]\n"
	       "set offsets 0, 0, graph 0.12, 0\n"
	       "set xtics scale 0\n"
	       "set xlabel 'Kind of waste'\n"
	       "set ylabel %q\n"
	       "plot datafile using 0:2:xtic(1) with boxes lc rgb %q, \\\n"
	       "     '' using 0:2:(sprintf('%%.2f', $2)) with labels offset 0,0.8\n",
	       n - 1, yl, chart_color(4));
	return 1;
}

/* ---- allocation: direct and shared cost per value ---- */

static int
chart_alloc(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	const cJSON *a = json_path(r->cur, "allocation"), *it;
	const char *ccy = json_str(a, "currency");
	char yl[96], lb[64];
	int n = 0;

	if (a == NULL)
		return 0;
	snprintf(ch->title, sizeof ch->title, "Cost by %s, %s (direct and shared)",
		 json_str(a, "key") ? json_str(a, "key") : "value", r->mname);
	sbuf_printf(d, "# %s.dat - cost per allocation value (", ch->name);
	sb_datfield(d, ccy ? ccy : "");
	sbuf_puts(d, "); columns: value\tdirect\tshared\ttotal\n");
	cJSON_ArrayForEach(it, json_path(a, "rows")) {
		int64_t dc = 0, sc = 0;
		if (jmoney(it, "direct_cost", &dc) != 0 || jmoney(it, "shared_cost", &sc) != 0)
			continue;
		sb_datfield(d, short_label(json_str(it, "value"), lb, sizeof lb));
		dat_money(d, dc);
		dat_money(d, sc);
		dat_money(d, dc + sc);
		sbuf_puts(d, "\n");
		n++;
	}
	if (n == 0) {
		snprintf(ch->note, sizeof ch->note, "No allocated cost in %s.", r->mname);
		return 0;
	}
	snprintf(yl, sizeof yl, "Effective cost (%s)", ccy ? ccy : "");
	gp_cmd(b, "set style fill solid 0.85 border lc rgb 'black'\n"
	       "set boxwidth 0.6\n"
	       "set xrange [-0.6:%d.4]\n"
	       "set offsets 0, 0, graph 0.12, 0\n"
	       "set xtics scale 0 rotate by -30\n"
	       "set key top right\n"
	       "set ylabel %q\n"
	       "plot datafile using 0:4:xtic(1) with boxes lc rgb %q title 'shared', \\\n"
	       "     '' using 0:2 with boxes lc rgb %q title 'direct', \\\n"
	       "     '' using 0:4:(sprintf('%%.2f', $4)) with labels offset 0,0.8 notitle\n",
	       n - 1, yl, chart_color(2), chart_color(0));
	return 1;
}

/* ---- forecast ---- */

static int
chart_forecast(struct rep *r, struct rchart *ch, struct sbuf *d, struct gpscript *b)
{
	const cJSON *bd = json_path(r->sum, "by_day"), *it;
	const cJSON *fc = jfor_currency(json_path(r->cur, "forecast.forecasts"), r->ccy);
	int64_t *day = calloc((size_t)r->days, sizeof *day), acc = 0, to_date = 0, fcast = 0;
	int last = -1, seen = 0, have_fc = 0;
	const char *method = fc ? json_str(fc, "method") : NULL;

	if (day == NULL)
		return -1;
	cJSON_ArrayForEach(it, bd) {
		int di = day_index(r, json_str(it, "day"));
		int64_t v;
		if (di < 0 || jmoney(it, "effective_cost", &v) != 0)
			continue;
		day[di] += v;
		if (di > last)
			last = di;
	}
	if (fc && jmoney(fc, "to_date", &to_date) == 0 && jmoney(fc, "forecast", &fcast) == 0 &&
	    isfinite(jnum(fc, "days_seen"))) {
		seen = (int)jnum(fc, "days_seen");
		if (seen >= 1 && seen <= r->days)
			have_fc = 1;
	}
	snprintf(ch->title, sizeof ch->title, "Cumulative effective cost and month-end forecast, %s",
		 r->mname);
	if (last < 0 && !have_fc) {
		free(day);
		snprintf(ch->note, sizeof ch->note, "No daily costs to project.");
		return 0;
	}
	sbuf_printf(d, "# %s.dat - cumulative effective cost (", ch->name);
	sb_datfield(d, r->ccy);
	sbuf_puts(d, "); columns: day of month\tactual\tforecast\n");
	for (int di = 0; di < r->days; di++) {
		char buf[48];
		acc += day[di];
		sbuf_printf(d, "%d", di + 1);
		if (di <= last)
			sbuf_printf(d, "\t%s", money_format_json(acc, buf));
		else
			sbuf_puts(d, "\tNaN");
		if (have_fc && di + 1 >= seen) {
			int span = r->days - seen;
			int64_t v = span > 0 ? to_date + (int64_t)llround((double)(fcast - to_date) *
					(double)(di + 1 - seen) / (double)span) : fcast;
			if (di + 1 == r->days)
				v = fcast;
			sbuf_printf(d, "\t%s\n", money_format_json(v, buf));
		} else {
			sbuf_puts(d, "\tNaN\n");
		}
	}
	free(day);
	{
		char xl[96], yl[96];
		snprintf(xl, sizeof xl, "Day of %s (UTC)", r->mname);
		snprintf(yl, sizeof yl, "Cumulative effective cost (%s)", r->ccy);
		gp_cmd(b, "set xrange [1:%d]\n"
		       "set yrange [0:*]\n"
		       "set offsets 0, 0, graph 0.05, 0\n"
		       "set xtics 1, 2\n"
		       "set key left top\n"
		       "set xlabel %q\n"
		       "set ylabel %q\n", r->days, xl, yl);
	}
	gp_cmd(b, "plot datafile using 1:2 with linespoints ls 1 title 'actual, cumulative'");
	if (have_fc) {
		char t[128];
		snprintf(t, sizeof t, "forecast (%s)", method ? method : "projection");
		gp_cmd(b, ", \\\n     '' using 1:3 with linespoints ls 2 pt 6 ps 1.2 title %q", t);
	}
	if (r->has_prev) {
		char t[96], buf[48];
		snprintf(t, sizeof t, "%s total", r->pmname);
		gp_cmd(b, ", \\\n     %n with lines ls 7 title %q", money_format_json(r->peff, buf), t);
	}
	gp_cmd(b, "\n");
	return 1;
}

/* A decimal of a .dat field ("-80.89", "NaN"): 0 with *v set, or -1. */
static int
dat_number(const char *s, const char *end, double *v)
{
	double x = 0, scale = 1;
	int neg = 0, digits = 0;

	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	for (; s < end && *s >= '0' && *s <= '9'; s++, digits++)
		x = x * 10 + (*s - '0');
	if (s < end && *s == '.')
		for (s++; s < end && *s >= '0' && *s <= '9'; s++, digits++)
			x += (*s - '0') * (scale /= 10);
	if (digits == 0 || s != end)
		return -1;
	*v = neg ? -x : x;
	return 0;
}

/*
 * Look at the numbers of a chart's data (the fields after the first of
 * every line that is not a comment): *lo is the lowest sum of one line's
 * negative values (0 when none; a refund month goes below the axis),
 * *positive whether any value is above zero.
 * Returns 0 when no value is other than zero or missing: nothing to plot.
 */
static int
dat_extent(const char *d, double *lo, int *positive)
{
	int any = 0;

	*lo = 0;
	*positive = 0;
	for (const char *line = d; line && *line;) {
		const char *eol = strchr(line, '\n'), *f;
		const char *end = eol ? eol : line + strlen(line);
		double neg = 0;

		if (*line != '#' && (f = memchr(line, '\t', (size_t)(end - line))) != NULL) {
			while (f && f < end) {
				const char *fs = f + 1, *fe = memchr(fs, '\t', (size_t)(end - fs));
				double v;

				fe = fe ? fe : end;
				if (dat_number(fs, fe, &v) == 0 && v != 0) {
					any = 1;
					if (v < 0)
						neg += v;
					else
						*positive = 1;
				}
				f = fe < end ? fe : NULL;
			}
			if (neg < *lo)
				*lo = neg;
		}
		line = eol ? eol + 1 : NULL;
	}
	return any;
}

/* Replace "set yrange [0:*]" in b by a range down to lo (< 0), up to 0
 * when no value is above it. */
static void
yrange_below_zero(struct gpscript *b, double lo, int positive)
{
	static const char pat[] = "set yrange [0:*]\n";
	struct gpscript nb = { 0 };
	const char *p = b->sb.s, *q;

	while (p && (q = strstr(p, pat)) != NULL) {
		char *chunk = strndup(p, (size_t)(q - p));
		if (chunk == NULL) {
			nb.sb.oom = 1;
			break;
		}
		sbuf_puts(&nb.sb, chunk);
		free(chunk);
		if (positive)
			gp_cmd(&nb, "set yrange [%g:*]\n", lo * 1.1);
		else
			gp_cmd(&nb, "set yrange [%g:0]\n", lo * 1.1);
		gp_cmd(&nb, "set xzeroaxis lt -1\n");
		p = q + sizeof pat - 1;
	}
	if (p)
		sbuf_puts(&nb.sb, p);
	free(b->sb.s);
	*b = nb;
}

int
rep_charts(struct rep *r, struct ic_error *err)
{
	static int (*const build[NCHARTS])(struct rep *, struct rchart *, struct sbuf *,
					   struct gpscript *) = {
		[CH_DAILY] = chart_daily,
		[CH_MOM] = chart_mom,
		[CH_COMMIT] = chart_commit,
		[CH_WASTE] = chart_waste,
		[CH_FORECAST] = chart_forecast,
		[CH_ALLOC] = chart_alloc,
	};

	for (int i = 0; i < NCHARTS; i++) {
		struct rchart *ch = &r->charts[i];
		struct sbuf d = { 0 };
		struct gpscript b = { 0 };
		struct chart c = { 0 };
		struct ic_error cerr;
		char f[300];
		double lo = 0;
		int positive = 0;
		int k = build[i](r, ch, &d, &b), drawn;

		if (k < 0 || d.oom || b.sb.oom) {
			free(d.s);
			free(b.sb.s);
			return ic_errorf(err, "out of memory");
		}
		if (k == 1 && !dat_extent(d.s, &lo, &positive)) {
			/* gnuplot would stop at "all points y value undefined" */
			snprintf(ch->note, sizeof ch->note, "Not drawn: every value is zero or missing.");
			if (r->o->gnuplot && r->res->chart_failures++ == 0)
				snprintf(r->res->chart_error, sizeof r->res->chart_error,
					 "%s: skipped, every value in it is zero or missing", ch->name);
			k = 0;
		} else if (k == 1 && lo < 0) {
			yrange_below_zero(&b, lo, positive);
			if (b.sb.oom) {
				free(d.s);
				free(b.sb.s);
				return ic_errorf(err, "out of memory");
			}
		}
		if (k == 0) {
			free(d.s);
			free(b.sb.s);
			chart_remove(r->dirfd, ch->name);
			continue;
		}
		c.name = ch->name;
		c.title = ch->title;
		c.data = d.s;
		c.body = &b;
		drawn = chart_make(r->dirfd, r->o->dir, &c, r->o->gnuplot, r->o->chart_timeout, &cerr,
				   err);
		free(d.s);
		free(b.sb.s);
		if (drawn < 0)
			return -1;
		ch->written = 1;
		snprintf(f, sizeof f, "%s.gp", ch->name);
		rep_file(r, f);
		snprintf(f, sizeof f, "%s.dat", ch->name);
		rep_file(r, f);
		if (r->o->gnuplot == NULL)
			continue;
		if (!drawn) {
			if (r->res->chart_failures++ == 0)
				snprintf(r->res->chart_error, sizeof r->res->chart_error, "%s", cerr.msg);
			continue;
		}
		ch->drawn = 1;
		r->res->charts++;
		snprintf(f, sizeof f, "%s.png", ch->name);
		rep_file(r, f);
		snprintf(f, sizeof f, "%s.svg", ch->name);
		rep_file(r, f);
	}
	return 0;
}
