/*
 * vendor-charts.h - the chart of `imcost vendors --sweep --chart`: the
 * monthly cost of each vendor's cheapest plan against the swept profile
 * field, log-log, with every crossover marked.  Written and drawn through
 * reports/chart.h (one gnuplot runner, one quoting function); nothing here
 * prints.
 */
#ifndef IMCOST_VENDOR_CHARTS_H
#define IMCOST_VENDOR_CHARTS_H

#include "analyzers/vendors.h"
#include "common/error.h"

/*
 * Write CHART.dat and CHART.gp beside the image path chart (ending in .png
 * or .svg) for the sweep s of profile p, and draw it when gnuplot is on
 * PATH.  Returns 1 when drawn; 0 when written but not drawn (warn then
 * holds the one-line reason for the user: no gnuplot, or gnuplot's own
 * error); -1 with err set when a file cannot be written or memory runs
 * out.
 */
int vendor_chart_write(const struct vsweep *s, const struct vprofile *p, const char *chart,
		       struct ic_error *warn, struct ic_error *err);

/* x as a count with thousands separators ("1,250,000"; %g outside
 * [0, 9e9)) into buf (48 bytes); returns buf. */
const char *vendor_count_label(double x, char *buf);

#endif
