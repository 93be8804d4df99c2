/*
 * fuzz-chart.c - libFuzzer harness for the gnuplot chart-script writer
 * (reports/chart.h: gp_cmd and chart_script), the one way text reaches a
 * gnuplot script in imcost.
 *
 * The input is split at NUL bytes into text fields: the chart title, and
 * the strings given to every kind of gp_cmd directive the report and the
 * vendors charts use (%q labels, series titles, colours, times; %n
 * amounts; %g numbers read from 8 input bytes; %d and %F indices).  The
 * script is made for both kinds of chart (PNG + SVG, and a single image)
 * and must pass tests/fuzz/gpcheck.h: nothing outside a string may run a
 * command (no '!', backquote, '@', system, load, call...), every string is
 * terminated on its line, and only the chart's own files are named by set
 * output and datafile.  Every %q field must also appear in the script as
 * one quoted string holding the text with control characters as spaces
 * and ' as U+2019 (abort() otherwise).
 *
 * Before the first input the checker itself is tried on scripts that do
 * run commands (the forms of issue 25): it must refuse each.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/chart.h"
#include "tests/fuzz/fuzz-replay.h"
#include "tests/fuzz/gpcheck.h"

#define NFIELDS 10

static void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s\n%s\n", what, detail ? detail : "");
	abort();
}

/* the checker refuses what would run a command */
static void
self_test(void)
{
	static const char *const bad[] = {
		"set ylabel 'Effective cost ('\n!id>PWN;# per day)'\n",
		"set title 'a'; !id\n",
		"set title \"`id`\"\n",
		"x = system('id')\n",
		"set xlabel 'a' . `id` . 'b'\n",
		"set title 'unterminated\n",
		"set title '''x'\n",
		"set output '|sh'\n",
		"datafile = '< id'\n",
		"set ylabel 'a' \\\n!id\n",
		"set title @m\n",
		"load 'x.gp'\n",
	};
	const char *names[] = { "t.dat", "t.png", "t.svg", NULL };
	char why[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (gp_check(bad[i], names, why, sizeof why) == 0)
			fuzz_fail("the checker let a command through", bad[i]);
	if (gp_check("datafile = 't.dat'\nset output 't.png'\nplot datafile using 1:2 title 'a # b'\n",
		     names, why, sizeof why) != 0)
		fuzz_fail("the checker refused a clean script", why);
}

/* s as chart.h's sb_gpquote must write it, without the outer quotes */
static char *
expected_text(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *r = malloc(3 * n + 1);

	if (r == NULL)
		abort();
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(r + o, "\xe2\x80\x99", 3);
			o += 3;
		} else {
			r[o++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
		}
	}
	r[o] = '\0';
	return r;
}

static void
must_hold_quoted(const char *script, const char *field)
{
	char *t = expected_text(field);
	size_t n = strlen(t);
	char *q = malloc(n + 3);

	if (q == NULL)
		abort();
	q[0] = '\'';
	memcpy(q + 1, t, n);
	q[n + 1] = '\'';
	q[n + 2] = '\0';
	if (strstr(script, q) == NULL)
		fuzz_fail("a %q field is not in the script as one quoted string", q);
	free(q);
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int tested;
	char *buf, *f[NFIELDS];
	size_t k = 0;
	double num = 0;
	int idx = 0;

	if (!tested) {
		self_test();
		tested = 1;
	}
	if (size > 65536)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* fields at NUL bytes; missing ones are "" */
	f[k++] = buf;
	for (size_t i = 0; i < size && k < NFIELDS; i++)
		if (buf[i] == '\0')
			f[k++] = buf + i + 1;
	for (; k < NFIELDS; k++)
		f[k] = buf + size;
	if (size >= 8) {
		memcpy(&num, data + size - 8, 8);
		idx = data[size - 1];
	}

	for (int mode = 0; mode < 2; mode++) {
		struct gpscript b = { 0 };
		struct chart c = { 0 };
		struct sbuf out = { 0 };
		const char *names[] = { "t.dat", "t.png", "t.svg", NULL };
		const char *vnames[] = { "t.dat", "t.svg", NULL };
		char why[256];

		c.name = "t";
		c.title = f[0];
		c.data = "";
		c.body = &b;
		c.image = mode ? "t.svg" : NULL;
		if (mode)
			vnames[0] = "t.dat";
		/* every directive, with text from the input */
		gp_cmd(&b, "set xlabel %q\nset ylabel %q\n", f[1], f[2]);
		gp_cmd(&b, "set xdata time\nset timefmt '%%Y-%%m-%%dT%%H:%%M'\nset xrange [%q:%q]\n",
		       f[3], f[4]);
		gp_cmd(&b, "set arrow from %g, graph 0 to %g, graph 1 nohead\n", num, -num);
		gp_cmd(&b, "plot datafile using 1:%d title %q lc rgb %q %F, \\\n"
		       "     '' using 0:2:(sprintf('%%.2f', $2)) with labels title %q, \\\n"
		       "     %n with lines ls 7 title %q\n", idx, f[5], f[6], idx, f[7], f[8], f[9]);
		if (b.bad || b.sb.oom)
			fuzz_fail("gp_cmd refused a known directive", NULL);
		if (chart_script(&c, &out) != 0)
			fuzz_fail("chart_script failed", NULL);
		if (gp_check(out.s, mode ? vnames : names, why, sizeof why) != 0)
			fuzz_fail(why, out.s);
		must_hold_quoted(out.s, f[0]);
		for (int i = 1; i <= 9; i++)
			if (i != 8)
				must_hold_quoted(out.s, f[i]);
		free(out.s);
		free(b.sb.s);
	}
	/* %s and unknown directives are refused, whatever follows */
	{
		struct gpscript b = { 0 };
		gp_cmd(&b, "set ylabel '%s'\n", f[1]);
		if (!b.bad)
			fuzz_fail("gp_cmd took %s", NULL);
		free(b.sb.s);
	}
	free(buf);
	return 0;
}
