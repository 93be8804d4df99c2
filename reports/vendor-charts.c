/*
 * vendor-charts.c - the chart of `imcost vendors --sweep --chart`
 * (vendor-charts.h): one .dat column per vendor, a gnuplot script built
 * only through gp_cmd, drawn by chart_make.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/decimal.h"
#include "common/outfile.h"
#include "reports/chart.h"
#include "reports/vendor-charts.h"

/* A hue h (turns, wraps) at saturation 0.7, value 0.7 as "#RRGGBB" into
 * rgb (16 bytes). */
static void
hue_rgb(double h, char *rgb)
{
	double f = (h - floor(h)) * 6, v = 0.7, lo = v * 0.3, x;
	int i = (int)f % 6;
	double r, g, b;

	x = lo + (v - lo) * (i % 2 ? 1 - (f - floor(f)) : f - floor(f));
	r = i == 0 || i == 5 ? v : i == 1 ? x : i == 4 ? x : lo;
	g = i == 1 || i == 2 ? v : i == 0 || i == 3 ? x : lo;
	b = i == 3 || i == 4 ? v : i == 2 || i == 5 ? x : lo;
	snprintf(rgb, 16, "#%02X%02X%02X", (int)(r * 255), (int)(g * 255), (int)(b * 255));
}

const char *
vendor_count_label(double x, char *buf)
{
	if (!(x >= 0 && x < 9e9))
		snprintf(buf, 48, "%g", x);
	else
		money_format((int64_t)llround(x * 1e9), 0, 1, buf);
	return buf;
}

/*
 * One column per vendor: its cheapest option at each x, NaN where none
 * applies.  Every text (vendor names, the profile's currency) is quoted
 * by the chart writer.
 */
int
vendor_chart_write(const struct vsweep *s, const struct vprofile *p, const char *chart,
		   struct ic_error *warn, struct ic_error *err)
{
	const char *field = vprofile_fields()[s->field].key;
	const char *slash = strrchr(chart, '/');
	char dir[4096], gpath[4096], title[200], ylabel[160];
	int ngroups = 0, nplot = 0, *group = calloc((size_t)(s->nopt ? s->nopt : 1), sizeof *group);
	int *first = calloc((size_t)(s->nopt ? s->nopt : 1), sizeof *first);
	int *priced = calloc((size_t)(s->nopt ? s->nopt : 1), sizeof *priced);
	int nseries = 0, logx = 1;
	char xlabel[100];
	struct sbuf d = { 0 };
	struct gpscript b = { 0 };
	struct chart c = { 0 };
	struct ic_error gperr, runerr;
	int dirfd, drawn, have_gp;

	if (group == NULL || first == NULL || priced == NULL) {
		free(group);
		free(first);
		free(priced);
		return ic_errorf(err, "out of memory");
	}
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == chart)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - chart), chart);
	c.image = slash ? slash + 1 : chart;
	c.name = c.image;
	for (int i = 0; i < s->nopt; i++) {
		int g = -1;
		for (int k = 0; k < ngroups; k++)
			if (strcmp(s->vendor[first[k]], s->vendor[i]) == 0)
				g = k;
		if (g < 0) {
			first[ngroups] = i;
			g = ngroups++;
		}
		group[i] = g;
	}
	for (int o = 0; o < s->nopt; o++)
		for (int i = 0; i < s->npoints && !priced[group[o]]; i++)
			priced[group[o]] = s->cost[(size_t)i * (size_t)s->nopt + (size_t)o] > 0;
	for (int k = 0; k < ngroups; k++)
		nseries += priced[k];
	for (int i = 0; i < s->npoints; i++)
		if (!(s->x[i] > 0))
			logx = 0;
	snprintf(xlabel, sizeof xlabel, "%s (log scale)", field);
	sbuf_puts(&d, "# imcost vendors sweep: monthly cost in ");
	sb_datfield(&d, p->currency);
	sbuf_puts(&d, " of the cheapest plan of each vendor; columns: ");
	sb_datfield(&d, field);
	for (int k = 0; k < ngroups; k++) {
		sbuf_puts(&d, "\t");
		sb_datfield(&d, s->vendor[first[k]]);
	}
	sbuf_puts(&d, "\n");
	for (int i = 0; i < s->npoints; i++) {
		sbuf_printf(&d, "%.10g", s->x[i]);
		for (int k = 0; k < ngroups; k++) {
			int64_t best = -1;
			for (int o = 0; o < s->nopt; o++) {
				int64_t cst = s->cost[(size_t)i * (size_t)s->nopt + (size_t)o];
				if (group[o] == k && cst >= 0 && (best < 0 || cst < best))
					best = cst;
			}
			if (best <= 0)	/* none, or 0: no place on a log axis */
				sbuf_puts(&d, "\tNaN");
			else {
				char m[40];
				sbuf_printf(&d, "\t%s", money_format_json(best, m));
			}
		}
		sbuf_puts(&d, "\n");
	}
	snprintf(title, sizeof title, "Monthly cost by vendor (cheapest plan) vs %s, log-log", field);
	snprintf(ylabel, sizeof ylabel, "%s per month (log scale)", p->currency);
	c.title = title;
	gp_cmd(&b, "set key outside right top box opaque\n"
	       "set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
	       "set logscale y 10\n"
	       "set format y '%%.0f'\n"
	       "set format x '%%.10g'\n"
	       "set xlabel %q\n"
	       "set ylabel %q\n", logx ? xlabel : field, ylabel);
	if (logx)
		gp_cmd(&b, "set logscale x 10\n");
	/* styles past the CHART_STYLES of the preamble: colours of Paul Tol's
	 * palettes, then computed hues, each with its own dash pattern */
	for (int k = CHART_STYLES; k < nseries; k++) {
		static const char *const more[] = { "#332288", "#117733", "#882255", "#999933",
						    "#AA4499", "#44AA99", "#661100", "#888888" };
		const int nmore = (int)(sizeof more / sizeof more[0]);
		char rgb[16];
		int j = k - CHART_STYLES;

		if (j < nmore)
			snprintf(rgb, sizeof rgb, "%s", more[j]);
		else
			hue_rgb((j - nmore) * 0.618034, rgb);
		gp_cmd(&b, "set style line %d lc rgb %q lw 2 dt (%d,%d,%d,%d) pt %d ps 0.8\n", k + 1,
		       rgb, 4 + 3 * (j % 6), 4, 1 + j / 6 % 4, 4, 1 + k % 13);
	}
	/* each crossover: a dashed line at its x, and the point where the new
	 * cheapest option takes over, marked and labelled */
	for (int i = 0; i < s->ncross; i++) {
		const struct vcrossover *v = &s->cross[i];
		char m[48], lab[200];

		if (v->to < 0 || v->to_cost <= 0)
			continue;
		gp_cmd(&b, "set arrow from %g, graph 0 to %g, graph 1 nohead dashtype 3 lw 1.5 "
		       "lc rgb '#555555' front\n", v->at, v->at);
		snprintf(lab, sizeof lab, "%s from %s", s->ids[v->to], vendor_count_label(v->at, m));
		/* the point marked; its text along the dashed line, from the top
		 * down, where the texts of other crossovers cannot overlap it */
		gp_cmd(&b, "set label %d '' at %g, %n point pt 7 ps 1.6 lc rgb 'black' front\n",
		       2 * i + 1, v->at, money_format_json(v->to_cost, m));
		gp_cmd(&b, "set label %d %q at %g, graph 0.98 right rotate by 90 offset -0.7, 0 "
		       "font ',9' front\n", 2 * i + 2, lab, v->at);
	}
	/* only the vendors priced above 0 at some point (one in another
	 * currency is all NaN; gnuplot warns about an empty series), each in
	 * its own style: no two lines look alike */
	for (int k = 0; k < ngroups; k++) {
		if (!priced[k])
			continue;
		if (nplot == 0)
			gp_cmd(&b, "plot datafile");
		else
			gp_cmd(&b, ", \\\n     ''");
		gp_cmd(&b, " using 1:%d with linespoints ls %d title %q", k + 2, nplot + 1,
		       s->vendor[first[k]]);
		nplot++;
	}
	if (nplot == 0)
		gp_cmd(&b, "set label 1000 'no option is priced in this currency' at graph 0.5, graph 0.5 center\n"
		       "plot 1 notitle lc rgb 'white'\n");
	gp_cmd(&b, "\n");
	free(group);
	free(first);
	free(priced);
	c.data = d.s ? d.s : "";
	c.body = &b;
	have_gp = chart_find_gnuplot(NULL, gpath, sizeof gpath, &gperr) == 0;
	if (d.oom || b.sb.oom) {
		free(d.s);
		free(b.sb.s);
		return ic_errorf(err, "out of memory");
	}
	dirfd = outdir_open(dir, 1, err);
	if (dirfd < 0) {
		free(d.s);
		free(b.sb.s);
		return -1;
	}
	drawn = chart_make(dirfd, dir, &c, have_gp ? gpath : NULL, 0, &runerr, err);
	close(dirfd);
	free(d.s);
	free(b.sb.s);
	if (drawn < 0)
		return -1;
	if (!have_gp)
		ic_errorf(warn, "%s: no chart drawn; its data and script are in %s.dat and %s.gp",
			  gperr.msg, chart, chart);
	else if (!drawn)
		ic_errorf(warn, "no chart drawn: %s", runerr.msg);
	return drawn;
}

