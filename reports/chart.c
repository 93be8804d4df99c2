/*
 * chart.c - gnuplot scripts and data files, and running gnuplot on them
 * (see chart.h).
 *
 * The preamble of every script picks pngcairo when this gnuplot has it
 * (else the libgd png terminal) at CHART_WIDTH x CHART_HEIGHT, then
 * replots to the svg terminal.  Series styles use the Okabe-Ito
 * colour-blind-safe palette and, in addition, a dash type and point type
 * of their own, so a grayscale print still tells them apart.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/outfile.h"
#include "common/procenv.h"
#include "reports/chart.h"
#include "reports/html.h"

/* ---- strings ---- */

void
sb_gpquote(struct sbuf *b, const char *s)
{
	sbuf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '\'')
			sbuf_puts(b, "\xe2\x80\x99");	/* U+2019: see chart.h */
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			sbuf_putc(b, ' ');
		else
			sbuf_putc(b, *s);
	}
	sbuf_putc(b, '\'');
}

void
sb_datfield(struct sbuf *b, const char *s)
{
	if (s == NULL || *s == '\0') {
		sbuf_putc(b, '-');
		return;
	}
	for (; *s; s++) {
		if (*s == '"')
			sbuf_putc(b, '\'');
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			sbuf_putc(b, ' ');
		else
			sbuf_putc(b, *s);
	}
}

/* ---- styles ---- */

/* Okabe & Ito (2008), "Color Universal Design", with black; each style
 * also has its own dash type and point type. */
static const struct {
	const char *color, *dash;
	int point;
} styles[CHART_STYLES] = {
	{ "#0072B2", "1", 7 },
	{ "#E69F00", "2", 5 },
	{ "#009E73", "3", 9 },
	{ "#CC79A7", "4", 11 },
	{ "#D55E00", "5", 13 },
	{ "#56B4E9", "(12,4,2,4,2,4)", 4 },
	{ "#000000", "(2,3)", 6 },
	{ "#F0E442", "(24,6)", 8 },
};

/* Solid fills and hatch patterns alternate.  The densities put the solid
 * ones at distinct gray levels when printed in grayscale (luma of the
 * colour at that density over white, 0-255): blue 1.0 -> 87, green 0.75
 * -> 143, vermillion 0.5 -> 187, black 0.12 -> 224. */
static const char *const fills[CHART_STYLES] = {
	"fs solid 1.0 border lc rgb 'black'",
	"fs pattern 4 border lc rgb 'black'",
	"fs solid 0.75 border lc rgb 'black'",
	"fs pattern 1 border lc rgb 'black'",
	"fs solid 0.5 border lc rgb 'black'",
	"fs pattern 5 border lc rgb 'black'",
	"fs solid 0.12 border lc rgb 'black'",
	"fs pattern 2 border lc rgb 'black'",
};

const char *
chart_color(int i)
{
	return styles[(i % CHART_STYLES + CHART_STYLES) % CHART_STYLES].color;
}

const char *
chart_fill(int i)
{
	return fills[(i % CHART_STYLES + CHART_STYLES) % CHART_STYLES];
}

/* ---- the script writer ---- */

/* Is s a plain decimal number, -?digits[.digits]? */
static int
is_decimal(const char *s)
{
	const char *p = s;

	if (s == NULL)
		return 0;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

void
gp_cmd_(struct gpscript *g, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *lit = fmt;

	va_start(ap, fmt);
	for (; *p; p++) {
		if (*p != '%')
			continue;
		if (p > lit)
			sbuf_printf(&g->sb, "%.*s", (int)(p - lit), lit);
		p++;
		switch (*p) {
		case 'd':
			sbuf_printf(&g->sb, "%d", va_arg(ap, int));
			break;
		case 'g': {
			double v = va_arg(ap, double);
			if (isfinite(v))
				sbuf_printf(&g->sb, "%.10g", v);
			else
				sbuf_puts(&g->sb, "NaN");
			break;
		}
		case 'q':
			sb_gpquote(&g->sb, va_arg(ap, const char *));
			break;
		case 'n': {
			const char *v = va_arg(ap, const char *);
			sbuf_puts(&g->sb, is_decimal(v) ? v : "NaN");
			break;
		}
		case 'F':
			sbuf_puts(&g->sb, chart_fill(va_arg(ap, int)));
			break;
		case '%':
			sbuf_putc(&g->sb, '%');
			break;
		default:
			/* %s and everything else: refused, and the rest of
			 * the format is dropped (its arguments are unknown) */
			g->bad = 1;
			va_end(ap);
			return;
		}
		lit = p + 1;
	}
	if (p > lit)
		sbuf_puts(&g->sb, lit);
	va_end(ap);
}

/* text on a '#' comment line: no control characters, and no backslash
 * (a trailing one would continue the comment onto the next line) */
static void
sb_comment(struct sbuf *b, const char *s)
{
	for (; s && *s; s++)
		sbuf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\' ? ' ' : *s);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int
chart_script(const struct chart *c, struct sbuf *out)
{
	struct gpscript g = { 0 };
	char dat[512], png[512], svg[512], font11[128], font14[128];

	if (c->body == NULL || c->body->bad || c->body->sb.oom)
		return -1;
	snprintf(font11, sizeof font11, "%s,11", chart_font());
	snprintf(font14, sizeof font14, "%s,14", chart_font());
	snprintf(dat, sizeof dat, "%s.dat", c->name);
	snprintf(png, sizeof png, "%s.png", c->name);
	snprintf(svg, sizeof svg, "%s.svg", c->name);
	sbuf_puts(&g.sb, "# ");
	sb_comment(&g.sb, c->name);
	sbuf_puts(&g.sb, ".gp - ");
	sb_comment(&g.sb, c->title);
	sbuf_puts(&g.sb, "\n# Written by imcost.  Restyle freely, then run it again in this directory:\n"
		"# gnuplot ");
	sb_comment(&g.sb, c->name);
	sbuf_puts(&g.sb, ".gp  (reads ");
	sb_comment(&g.sb, dat);
	sbuf_puts(&g.sb, ", writes ");
	sb_comment(&g.sb, c->image ? c->image : png);
	if (!c->image) {
		sbuf_puts(&g.sb, " and ");
		sb_comment(&g.sb, svg);
	}
	sbuf_puts(&g.sb, ")\n\n");
	gp_cmd(&g, "datafile = %q\n"
	       "set encoding utf8\n"
	       "set datafile separator \"\\t\"\n"
	       "set datafile missing 'NaN'\n", dat);
	if (c->image && ends_with(c->image, ".svg")) {
		gp_cmd(&g, "set terminal svg size %d,%d fixed noenhanced font %q background rgb 'white'\n",
		       CHART_WIDTH, CHART_HEIGHT, font11);
	} else {
		gp_cmd(&g, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		       "\tset terminal pngcairo size %d,%d noenhanced font %q background rgb 'white'\n"
		       "} else {\n"
		       "\tset terminal png size %d,%d noenhanced background rgb 'white'\n"
		       "}\n", CHART_WIDTH, CHART_HEIGHT, font11, CHART_WIDTH, CHART_HEIGHT);
	}
	gp_cmd(&g, "set output %q\n\n"
	       "# series styles: Okabe-Ito colours, each with its own dash and point type\n",
	       c->image ? c->image : png);
	for (int i = 0; i < CHART_STYLES; i++) {
		/* the dash types are program constants: a number or "(a,b,...)" */
		gp_cmd(&g, "set style line %d lc rgb %q lw 2 dt ", i + 1, styles[i].color);
		sbuf_puts(&g.sb, styles[i].dash);
		gp_cmd(&g, " pt %d ps 0.8\n", styles[i].point);
	}
	gp_cmd(&g, "set border 3 lc rgb '#444444'\n"
	       "set tics nomirror\n"
	       "set grid ytics lc rgb '#dddddd' lw 1 dt 1\n"
	       "set key noautotitle\n"
	       "set title %q font %q\n\n", c->title, font14);
	sbuf_puts(&g.sb, c->body->sb.s ? c->body->sb.s : "");
	if (g.sb.len && g.sb.s[g.sb.len - 1] != '\n')
		sbuf_puts(&g.sb, "\n");
	if (!c->image)
		gp_cmd(&g, "\n# the same chart as SVG\n"
		       "set terminal svg size %d,%d fixed noenhanced font %q background rgb 'white'\n"
		       "set output %q\n"
		       "replot\n", CHART_WIDTH, CHART_HEIGHT, font11, svg);
	sbuf_puts(&g.sb, "unset output\n");
	if (g.bad || g.sb.oom) {
		free(g.sb.s);
		return -1;
	}
	sbuf_puts(out, g.sb.s);
	free(g.sb.s);
	return out->oom ? -1 : 0;
}

/* ---- files ---- */

void
chart_remove(int dirfd, const char *name)
{
	static const char *const ext[] = { ".dat", ".gp", ".png", ".svg", ".log" };
	char p[512];

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if ((size_t)snprintf(p, sizeof p, "%s%s", name, ext[i]) < sizeof p)
			unlinkat(dirfd, p, 0);
}

/* ---- running gnuplot ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first line of the log that looks like an error, else its first
 * non-empty line, into buf. */
static void
log_reason(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int have = 0;

	buf[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		char *e = line + strlen(line);
		char *s = line;
		while (e > line && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
			*--e = '\0';
		while (*s == ' ' || *s == '\t' || *s == '^')
			s++;
		if (*s == '\0')
			continue;
		if (strstr(s, "rror") || strstr(s, "line ")) {
			snprintf(buf, size, "%s", s);
			break;
		}
		if (!have) {
			snprintf(buf, size, "%s", s);
			have = 1;
		}
	}
	fclose(f);
}

/*
 * The font family of the charts: the first CJK-capable family packaged by
 * Debian that is installed (bills and vendor plans carry Chinese names:
 * 云服务器CVM, 环信), else "sans" (fontconfig's default, which has no
 * Chinese glyphs unless such a font is installed).  The families are
 * looked for by their files, so no program is run.  Static, not owned.
 */
const char *
chart_font(void)
{
	static const struct {
		const char *file, *family;
	} fonts[] = {
		{ "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei" },	/* fonts-wqy-microhei */
		{ "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC" },	/* fonts-noto-cjk */
		{ "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei" },	/* fonts-wqy-zenhei */
	};
	const char *env = getenv("IMCOST_CHART_FONT");

	if (env && *env && strlen(env) < 100)
		return env;
	for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
		if (access(fonts[i].file, R_OK) == 0)
			return fonts[i].family;
	return "sans";
}

/*
 * gnuplot's error line made readable in place: the script's name before
 * "line N:" goes (the message names the chart), and the errors that only
 * mean "nothing to draw" say so in words.
 */
static void
readable_reason(char *why, size_t size)
{
	static const struct {
		const char *gnuplot, *says;
	} known[] = {
		{ "all points y value undefined", "no data point lies in the plotted range (every y value is missing or out of range)" },
		{ "all points x value undefined", "no data point lies in the plotted range (every x value is missing or out of range)" },
		{ "empty x range", "the data spans no x range" },
		{ "no valid points", "the data holds no valid point" },
	};
	char *line;

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strstr(why, known[i].gnuplot)) {
			snprintf(why, size, "%s", known[i].says);
			return;
		}
	if (why[0] == '"' && (line = strstr(why, "\" line ")) != NULL)
		memmove(why, line + 2, strlen(line + 2) + 1);
}

/* Remove every entry of the private directory tmp (fd tfd) and tmp. */
static void
rm_private(int dirfd, const char *tmp, int tfd)
{
	int fd = dup(tfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
	} else {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(tfd, e->d_name, 0);
		closedir(d);
	}
	close(tfd);
	unlinkat(dirfd, tmp, AT_REMOVEDIR);
}

/* Run gnuplot on NAME.gp in the directory tfd.  Returns 0, or -1 with
 * run_err set (tpath: the private directory's path, for the log). */
static int
run_gnuplot(const char *gnuplot, int tfd, const char *tpath, const char *dir,
	    const struct chart *c, int timeout_s, struct ic_error *run_err)
{
	char gpname[512], logname[512], logpath[4800], why[300];
	double t0;
	pid_t pid;
	int status = 0, timed_out = 0;
	char **env;

	snprintf(gpname, sizeof gpname, "%s.gp", c->name);
	snprintf(logname, sizeof logname, "%s.log", c->name);
	snprintf(logpath, sizeof logpath, "%s/%s", tpath, logname);
	/* the scripts are UTF-8 ("set encoding utf8"): under LC_ALL=C
	 * gnuplot warns that iconv cannot convert */
	env = procenv_with("LC_ALL", "LC_ALL=C.UTF-8");
	if (env == NULL)
		return ic_errorf(run_err, "out of memory");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(env);
		return ic_errorf(run_err, "cannot start %s: %s", gnuplot, strerror(errno));
	}
	if (pid == 0) {
		/* child: only async-signal-safe calls until exec */
		int fd;
		if (fchdir(tfd) != 0)
			_exit(126);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		fd = open(logname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		execle(gnuplot, "gnuplot", gpname, (char *)NULL, env);
		_exit(127);
	}
	free(env);	/* the parent's copy: the child has exec'd or exited */
	t0 = now_s();
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		struct timespec nap = { 0, 10 * 1000 * 1000 };

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		if (now_s() - t0 > (double)timeout_s) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			timed_out = 1;
			break;
		}
		nanosleep(&nap, NULL);
	}
	if (timed_out)
		return ic_errorf(run_err, "%s.gp: gnuplot took longer than %d seconds and was stopped",
				 c->name, timeout_s);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_reason(logpath, why, sizeof why);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return ic_errorf(run_err, "cannot run %s", gnuplot);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
			return ic_errorf(run_err, "cannot enter %s", tpath);
		if (WIFSIGNALED(status))
			return ic_errorf(run_err, "%s.gp: gnuplot killed by signal %d", c->name,
					 WTERMSIG(status));
		readable_reason(why, sizeof why);
		return ic_errorf(run_err, "%s.gp: gnuplot failed%s%s (see %s/%s)", c->name,
				 why[0] ? ": " : "", why, dir, logname);
	}
	for (int k = 0; k < (c->image ? 1 : 2); k++) {
		char img[512], path[4800];
		struct stat st;
		unsigned w, h;
		const char *kind;

		if (c->image)
			snprintf(img, sizeof img, "%s", c->image);
		else
			snprintf(img, sizeof img, "%s.%s", c->name, k ? "svg" : "png");
		kind = ends_with(img, ".svg") ? "SVG" : "PNG";
		snprintf(path, sizeof path, "%s/%s", tpath, img);
		if (fstatat(tfd, img, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size == 0 || (kind[0] == 'P' && png_size(path, &w, &h) != 0)) {
			log_reason(logpath, why, sizeof why);
			return ic_errorf(run_err, "%s.gp: gnuplot made no %s%s%s", c->name, kind,
					 why[0] ? ": " : "", why);
		}
	}
	return 0;
}

/* rename NAME from the private directory into dirfd */
static int
move_out(int tfd, int dirfd, const char *dir, const char *name, struct ic_error *err)
{
	if (renameat(tfd, name, dirfd, name) != 0)
		return ic_errorf(err, "%s/%s: %s", dir, name, strerror(errno));
	return 0;
}

int
chart_make(int dirfd, const char *dir, const struct chart *c, const char *gnuplot,
	   int timeout_s, struct ic_error *run_err, struct ic_error *err)
{
	struct sbuf gp = { 0 };
	char tmp[64], tpath[4200], dat[512], gpn[512], logn[512], img[2][512];
	int tfd, nimg = c->image ? 1 : 2, drawn = 0;

	run_err->msg[0] = '\0';
	if (timeout_s <= 0)
		timeout_s = CHART_TIMEOUT;
	if (strchr(c->name, '/') || (c->image && strchr(c->image, '/')) || strlen(c->name) > 400 ||
	    (c->image && strlen(c->image) > 400))
		return ic_errorf(err, "%s: bad chart file name", c->name);
	snprintf(dat, sizeof dat, "%s.dat", c->name);
	snprintf(gpn, sizeof gpn, "%s.gp", c->name);
	snprintf(logn, sizeof logn, "%s.log", c->name);
	if (c->image) {
		snprintf(img[0], sizeof img[0], "%s", c->image);
	} else {
		snprintf(img[0], sizeof img[0], "%s.png", c->name);
		snprintf(img[1], sizeof img[1], "%s.svg", c->name);
	}
	if (chart_script(c, &gp) != 0) {
		free(gp.s);
		return ic_errorf(err, "%s.gp: out of memory or a bad chart command", c->name);
	}
	tfd = outfile_tmpdir(dirfd, dir, tmp, sizeof tmp, err);
	if (tfd < 0) {
		free(gp.s);
		return -1;
	}
	snprintf(tpath, sizeof tpath, "%s/%s", dir, tmp);
	if (outfile_write(tfd, tpath, dat, c->data, err) != 0 ||
	    outfile_write(tfd, tpath, gpn, gp.s, err) != 0) {
		free(gp.s);
		rm_private(dirfd, tmp, tfd);
		return -1;
	}
	free(gp.s);
	if (gnuplot)
		drawn = run_gnuplot(gnuplot, tfd, tpath, dir, c, timeout_s, run_err) == 0;
	if (move_out(tfd, dirfd, dir, dat, err) != 0 || move_out(tfd, dirfd, dir, gpn, err) != 0)
		goto fail;
	for (int k = 0; k < nimg; k++) {
		if (!drawn)
			unlinkat(dirfd, img[k], 0);
		else if (move_out(tfd, dirfd, dir, img[k], err) != 0)
			goto fail;
	}
	if (gnuplot && !drawn)
		renameat(tfd, logn, dirfd, logn);	/* kept for the user */
	else
		unlinkat(dirfd, logn, 0);
	rm_private(dirfd, tmp, tfd);
	return drawn;
fail:
	rm_private(dirfd, tmp, tfd);
	return -1;
}

static int
is_exec_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* p made absolute (gnuplot runs in another directory) into buf */
static int
absolute(const char *p, char *buf, size_t size, struct ic_error *err)
{
	char cwd[4096];

	if (p[0] == '/') {
		if ((size_t)snprintf(buf, size, "%s", p) >= size)
			return ic_errorf(err, "%s: path too long", p);
		return 0;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		return ic_errorf(err, "cannot find the current directory: %s", strerror(errno));
	if ((size_t)snprintf(buf, size, "%s/%s", cwd, p) >= size)
		return ic_errorf(err, "%s: path too long", p);
	return 0;
}

int
chart_find_gnuplot(const char *prog, char *buf, size_t size, struct ic_error *err)
{
	const char *path, *p;

	if (prog == NULL || *prog == '\0')
		prog = "gnuplot";
	if (strchr(prog, '/')) {
		if (!is_exec_file(prog))
			return ic_errorf(err, "%s is not an executable file", prog);
		return absolute(prog, buf, size, err);
	}
	path = getenv("PATH");
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path;; ) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k;

		/* an empty PATH entry means the current directory */
		if (n == 0)
			k = snprintf(buf, size, "./%s", prog);
		else
			k = snprintf(buf, size, "%.*s/%s", (int)n, p, prog);
		if (k > 0 && (size_t)k < size && is_exec_file(buf)) {
			char rel[4096];
			snprintf(rel, sizeof rel, "%s", buf);
			return absolute(rel, buf, size, err);
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	buf[0] = '\0';
	return ic_errorf(err, "%s not found on PATH", prog);
}
