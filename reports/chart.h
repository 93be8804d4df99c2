/*
 * chart.h - charts drawn by gnuplot, run as an external program.
 *
 * A chart is two files written beside each other in a directory: NAME.dat
 * (the data, tab-separated, '#' comment lines) and NAME.gp (a complete
 * gnuplot script: a common preamble that picks the terminal and defines
 * colour-blind-safe line styles that also differ by dash type, then the
 * chart's own commands, then the same plot again as SVG).  Running
 * `gnuplot NAME.gp` in that directory makes NAME.png and NAME.svg, so a
 * user can restyle the script and run it again.
 *
 * chart_run forks gnuplot with the directory as its working directory,
 * stdin from /dev/null and its output in NAME.log (removed on success),
 * and kills it after a timeout.  Nothing here prints.
 */
#ifndef IMCOST_CHART_H
#define IMCOST_CHART_H

#include <stddef.h>

#include "common/error.h"

/* Size of every chart, in pixels (PNG) and SVG user units. */
#define CHART_WIDTH 1200
#define CHART_HEIGHT 600

/* Default seconds gnuplot may take per chart. */
#define CHART_TIMEOUT 60

/* Number of distinct series styles (line styles 1..CHART_STYLES). */
#define CHART_STYLES 8

/* A growable string; zero-initialize.  On allocation failure oom is set
 * and later appends do nothing.  Free s with free(). */
struct strbuf {
	char *s;
	size_t len, cap;
	int oom;
};

void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(struct strbuf *b, const char *s);

/*
 * s as a single-quoted gnuplot string literal ('it''s'), with control
 * characters as spaces, appended to b.
 */
void sb_gpquote(struct strbuf *b, const char *s);

/*
 * s as one field of a .dat file: tabs, newlines and double quotes (which
 * gnuplot's data reader cannot escape) become spaces or single quotes;
 * "" becomes "-".  Appended to b.
 */
void sb_datfield(struct strbuf *b, const char *s);

/* The colour (e.g. "#0072B2") of series style i (0-based, wraps). */
const char *chart_color(int i);
/* A gnuplot fill style for bar series i, alternating solid fills of
 * different darkness with hatch patterns ("fs solid 0.85", "fs pattern
 * 4", ...), with a black border: bars stay apart in grayscale. */
const char *chart_fill(int i);

struct chart {
	const char *name;	/* base name of the four files, e.g. "daily-cost" */
	const char *title;	/* plot title and script header (one line) */
	const char *data;	/* content of NAME.dat */
	const char *body;	/* commands after the preamble, ending with the
				   plot command; the variable `datafile` holds
				   'NAME.dat' */
};

/*
 * Write DIR/NAME.dat and DIR/NAME.gp, and remove any DIR/NAME.png,
 * DIR/NAME.svg left by an earlier run.  Returns 0, or -1 with err set.
 */
int chart_write(const char *dir, const struct chart *c, struct ic_error *err);

/*
 * Remove DIR/NAME.{dat,gp,png,svg,log} (a chart that has no data this
 * time).  Missing files are fine.
 */
void chart_remove(const char *dir, const char *name);

/*
 * Run the gnuplot program at path `gnuplot` on DIR/NAME.gp, in DIR, for at
 * most timeout_s seconds (<= 0: CHART_TIMEOUT), then check that NAME.png
 * (a PNG) and NAME.svg were made.  Returns 0, or -1 with err set to a
 * one-line reason (gnuplot's own first error line when it failed; its
 * full output stays in DIR/NAME.log).
 */
int chart_run(const char *gnuplot, const char *dir, const char *name, int timeout_s,
	      struct ic_error *err);

/*
 * Find the gnuplot program.  prog NULL means "gnuplot" searched on $PATH;
 * a prog containing '/' is used as it is; any other prog is searched on
 * $PATH.  On success writes the path, made absolute (chart_run runs it
 * from another directory), into buf (size bytes) and returns 0; -1 with
 * err set ("gnuplot not found on PATH", "/x/gp is not an executable
 * file") otherwise.
 */
int chart_find_gnuplot(const char *prog, char *buf, size_t size, struct ic_error *err);

#endif
