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
#include <fcntl.h>
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

#include "reports/chart.h"
#include "reports/html.h"

/* ---- strings ---- */

static void
sb_grow(struct strbuf *b, size_t need)
{
	size_t cap;
	char *n;

	if (b->oom || b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1) {
		if (cap > ((size_t)1 << 40)) {
			b->oom = 1;
			return;
		}
		cap *= 2;
	}
	n = realloc(b->s, cap);
	if (n == NULL) {
		b->oom = 1;
		return;
	}
	b->s = n;
	b->cap = cap;
}

void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	sb_grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sb_puts(struct strbuf *b, const char *s)
{
	size_t n = strlen(s);

	sb_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void
sb_putc(struct strbuf *b, char c)
{
	char s[2] = { c, '\0' };

	sb_puts(b, s);
}

void
sb_gpquote(struct strbuf *b, const char *s)
{
	sb_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '\'')
			sb_puts(b, "''");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			sb_putc(b, ' ');
		else
			sb_putc(b, *s);
	}
	sb_putc(b, '\'');
}

void
sb_datfield(struct strbuf *b, const char *s)
{
	if (s == NULL || *s == '\0') {
		sb_putc(b, '-');
		return;
	}
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(b, '\'');
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			sb_putc(b, ' ');
		else
			sb_putc(b, *s);
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

/* ---- files ---- */

static int
path_of(char *buf, size_t size, const char *dir, const char *name, const char *ext)
{
	int n = snprintf(buf, size, "%s/%s%s", dir, name, ext);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
write_file(const char *path, const char *text, struct ic_error *err)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return ic_errorf(err, "%s: %s", path, strerror(errno));
	fputs(text, f);
	if (fflush(f) != 0 || ferror(f)) {
		int e = errno;
		fclose(f);
		return ic_errorf(err, "%s: %s", path, strerror(e ? e : EIO));
	}
	if (fclose(f) != 0)
		return ic_errorf(err, "%s: %s", path, strerror(errno));
	return 0;
}

void
chart_remove(const char *dir, const char *name)
{
	static const char *const ext[] = { ".dat", ".gp", ".png", ".svg", ".log" };
	char p[4096];

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (path_of(p, sizeof p, dir, name, ext[i]) == 0)
			unlink(p);
}

int
chart_write(const char *dir, const struct chart *c, struct ic_error *err)
{
	struct strbuf gp = { 0 };
	char p[4096], dat[512];
	int rc;

	if (path_of(p, sizeof p, dir, c->name, ".png") == 0)
		unlink(p);
	if (path_of(p, sizeof p, dir, c->name, ".svg") == 0)
		unlink(p);
	if (path_of(p, sizeof p, dir, c->name, ".dat") != 0)
		return ic_errorf(err, "%s: path too long", dir);
	if (write_file(p, c->data, err) != 0)
		return -1;
	snprintf(dat, sizeof dat, "%s.dat", c->name);

	sb_printf(&gp, "# %s.gp - ", c->name);
	for (const char *s = c->title; *s; s++)
		sb_printf(&gp, "%c", (unsigned char)*s < 0x20 ? ' ' : *s);
	sb_printf(&gp, "\n"
		"# Written by imcost report.  Restyle freely, then run it again in this\n"
		"# directory: gnuplot %s.gp  (reads %s.dat, writes %s.png and %s.svg)\n\n",
		c->name, c->name, c->name, c->name);
	sb_puts(&gp, "datafile = ");
	sb_gpquote(&gp, dat);
	sb_printf(&gp, "\n"
		"set encoding utf8\n"
		"set datafile separator \"\\t\"\n"
		"set datafile missing 'NaN'\n"
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"\tset terminal pngcairo size %d,%d noenhanced font 'sans,11' background rgb 'white'\n"
		"} else {\n"
		"\tset terminal png size %d,%d noenhanced background rgb 'white'\n"
		"}\n"
		"set output '%s.png'\n\n"
		"# series styles: Okabe-Ito colours, each with its own dash and point type\n",
		CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT, c->name);
	for (int i = 0; i < CHART_STYLES; i++)
		sb_printf(&gp, "set style line %d lc rgb '%s' lw 2 dt %s pt %d ps 0.8\n", i + 1,
			  styles[i].color, styles[i].dash, styles[i].point);
	sb_puts(&gp, "set border 3 lc rgb '#444444'\n"
		"set tics nomirror\n"
		"set grid ytics lc rgb '#dddddd' lw 1 dt 1\n"
		"set key noautotitle\n"
		"set title ");
	sb_gpquote(&gp, c->title);
	sb_puts(&gp, " font 'sans,14'\n\n");
	sb_puts(&gp, c->body);
	if (gp.len && gp.s[gp.len - 1] != '\n')
		sb_puts(&gp, "\n");
	sb_printf(&gp, "\n# the same chart as SVG\n"
		"set terminal svg size %d,%d fixed noenhanced font 'sans,11' background rgb 'white'\n"
		"set output '%s.svg'\n"
		"replot\n"
		"unset output\n", CHART_WIDTH, CHART_HEIGHT, c->name);
	if (gp.oom) {
		free(gp.s);
		return ic_errorf(err, "out of memory");
	}
	if (path_of(p, sizeof p, dir, c->name, ".gp") != 0) {
		free(gp.s);
		return ic_errorf(err, "%s: path too long", dir);
	}
	rc = write_file(p, gp.s, err);
	free(gp.s);
	return rc;
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

int
chart_run(const char *gnuplot, const char *dir, const char *name, int timeout_s,
	  struct ic_error *err)
{
	char gpname[512], logpath[4096], png[4096], svg[4096], logname[512], why[300];
	struct stat st;
	double t0;
	pid_t pid;
	int status = 0, timed_out = 0;
	unsigned w, h;

	if (timeout_s <= 0)
		timeout_s = CHART_TIMEOUT;
	snprintf(gpname, sizeof gpname, "%s.gp", name);
	snprintf(logname, sizeof logname, "%s.log", name);
	if (path_of(logpath, sizeof logpath, dir, name, ".log") != 0 ||
	    path_of(png, sizeof png, dir, name, ".png") != 0 ||
	    path_of(svg, sizeof svg, dir, name, ".svg") != 0)
		return ic_errorf(err, "%s: path too long", dir);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return ic_errorf(err, "cannot start %s: %s", gnuplot, strerror(errno));
	if (pid == 0) {
		/* child: only async-signal-safe calls until exec */
		int fd;
		if (chdir(dir) != 0)
			_exit(126);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		fd = open(logname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		execl(gnuplot, "gnuplot", gpname, (char *)NULL);
		_exit(127);
	}
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
	if (timed_out) {
		unlink(png);
		unlink(svg);
		return ic_errorf(err, "%s.gp: gnuplot took longer than %d seconds and was stopped",
				 name, timeout_s);
	}
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_reason(logpath, why, sizeof why);
		unlink(png);
		unlink(svg);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return ic_errorf(err, "cannot run %s", gnuplot);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
			return ic_errorf(err, "cannot enter %s", dir);
		if (WIFSIGNALED(status))
			return ic_errorf(err, "%s.gp: gnuplot killed by signal %d", name, WTERMSIG(status));
		return ic_errorf(err, "%s.gp: gnuplot failed%s%s (see %s)", name, why[0] ? ": " : "",
				 why, logpath);
	}
	if (png_size(png, &w, &h) != 0) {
		log_reason(logpath, why, sizeof why);
		return ic_errorf(err, "%s.gp: gnuplot made no PNG%s%s", name, why[0] ? ": " : "", why);
	}
	if (stat(svg, &st) != 0 || st.st_size == 0) {
		log_reason(logpath, why, sizeof why);
		return ic_errorf(err, "%s.gp: gnuplot made no SVG%s%s", name, why[0] ? ": " : "", why);
	}
	unlink(logpath);
	return 0;
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
