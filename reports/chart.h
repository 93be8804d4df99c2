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
 * chart_make forks gnuplot in a private directory, with stdin from
 * /dev/null and its output in NAME.log (removed on success), kills it
 * after a timeout, and renames what it drew into place.  Nothing here
 * prints.
 */
#ifndef IMCOST_CHART_H
#define IMCOST_CHART_H

#include <stddef.h>

#include "common/error.h"
#include "common/sbuf.h"

/* Size of every chart, in pixels (PNG) and SVG user units. */
#define CHART_WIDTH 1200
#define CHART_HEIGHT 600

/* Default seconds gnuplot may take per chart. */
#define CHART_TIMEOUT 60

/* Number of distinct series styles (line styles 1..CHART_STYLES). */
#define CHART_STYLES 8

/*
 * s as a single-quoted gnuplot string literal, appended to b: control
 * characters as spaces and every ' as U+2019 (’), so the literal holds no
 * quote at all.  gnuplot 5.4's '' escape is not reliable (''' opens an
 * empty string, '''' breaks the line), and in a single-quoted string it
 * expands nothing else: no backquote command, no @macro, no backslash
 * escape; a '#' in it is no comment.
 */
void sb_gpquote(struct sbuf *b, const char *s);

/*
 * s as one field of a .dat file: tabs, newlines and double quotes (which
 * gnuplot's data reader cannot escape) become spaces or single quotes;
 * "" becomes "-".  Appended to b.
 */
void sb_datfield(struct sbuf *b, const char *s);

/*
 * The font family of every chart: $IMCOST_CHART_FONT when set, else the
 * first installed CJK-capable family packaged by Debian (WenQuanYi Micro
 * Hei from fonts-wqy-microhei, Noto Sans CJK SC from fonts-noto-cjk,
 * WenQuanYi Zen Hei), else "sans".  Static, not owned; never NULL.
 */
const char *chart_font(void);

/* The colour (e.g. "#0072B2") of series style i (0-based, wraps). */
const char *chart_color(int i);
/* A gnuplot fill style for bar series i, alternating solid fills of
 * different darkness with hatch patterns ("fs solid 0.85", "fs pattern
 * 4", ...), with a black border: bars stay apart in grayscale. */
const char *chart_fill(int i);

/*
 * The commands of a chart, built only through gp_cmd: every string that
 * reaches a gnuplot script is quoted by the writer itself, so no text from
 * a bill, a profile or a database can become a command.  Zero-initialize;
 * free sb.s with free().
 */
struct gpscript {
	struct sbuf sb;
	int bad;		/* a directive gp_cmd does not know was used */
};

/*
 * Append to g a command whose format must be a string literal (the macro
 * pastes "" in front of it, so anything else does not compile).  The
 * format knows only these directives:
 *   %d  an int
 *   %g  a double (finite: shortest exact-enough form; else NaN)
 *   %q  a const char *, written as a quoted gnuplot string (sb_gpquote);
 *       NULL is ''
 *   %n  a const char * that must be a decimal number (-?digits[.digits],
 *       e.g. money_format_json); anything else is written as NaN
 *   %F  an int: the fill style of bar series i (chart_fill)
 *   %%  a percent sign
 * Any other directive, and %s in particular, marks g bad (chart_make
 * then refuses the chart).
 */
void gp_cmd_(struct gpscript *g, const char *fmt, ...);
#define gp_cmd(g, ...) gp_cmd_((g), "" __VA_ARGS__)

struct chart {
	const char *name;	/* base name of the files, e.g. "daily-cost": a
				   plain file name from the program, not data */
	const char *title;	/* plot title (quoted by the writer) */
	const char *data;	/* content of NAME.dat (sb_datfield for text) */
	const struct gpscript *body;	/* commands after the preamble, ending
				   with the plot command; the variable
				   `datafile` holds 'NAME.dat' */
	const char *image;	/* NULL: draw NAME.png and NAME.svg; else the
				   one image file name, ending in .png or .svg
				   (a plain file name from the program) */
};

/*
 * The complete gnuplot script of c, appended to out.  Returns 0, or -1
 * when out of memory or c->body is bad.
 */
int chart_script(const struct chart *c, struct sbuf *out);

/*
 * Write DIR/NAME.dat and DIR/NAME.gp (dirfd is DIR opened; dir its path
 * for messages) and, when gnuplot is not NULL, run that program on them
 * for at most timeout_s seconds (<= 0: CHART_TIMEOUT) and check that it
 * drew the image(s).  Everything is first written, and gnuplot run, in a
 * fresh private directory inside DIR; the files are then renamed into
 * DIR, so nothing planted in DIR (a symbolic link, say) is followed.
 * Images of an earlier run are removed when none is drawn.
 *
 * Returns 1 when drawn; 0 when written but not drawn (gnuplot NULL, or
 * it failed: run_err then holds a one-line reason, gnuplot's own first
 * error line, and its output is kept in DIR/NAME.log; run_err->msg is
 * "" when gnuplot was not run); -1 with err set when a file cannot be
 * written.
 */
int chart_make(int dirfd, const char *dir, const struct chart *c, const char *gnuplot,
	       int timeout_s, struct ic_error *run_err, struct ic_error *err);

/*
 * Remove DIR/NAME.{dat,gp,png,svg,log} (a chart that has no data this
 * time).  Missing files are fine.
 */
void chart_remove(int dirfd, const char *name);

/*
 * Find the gnuplot program.  prog NULL means "gnuplot" searched on $PATH;
 * a prog containing '/' is used as it is; any other prog is searched on
 * $PATH.  On success writes the path, made absolute (chart_make runs it
 * from another directory), into buf (size bytes) and returns 0; -1 with
 * err set ("gnuplot not found on PATH", "/x/gp is not an executable
 * file") otherwise.
 */
int chart_find_gnuplot(const char *prog, char *buf, size_t size, struct ic_error *err);

#endif
