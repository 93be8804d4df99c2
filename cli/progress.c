/*
 * progress.c - a one-line progress indicator on stderr, shown only when
 * stderr is a terminal and --quiet is off: the file, a bar, the share
 * done, MB done of the total, the rate and the time left.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

#define LABEL_COLS 24

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The end of label in at most LABEL_COLS bytes (whole UTF-8 characters),
 * "..." in front when cut. */
static void
label_tail(const char *label, char *buf, size_t size)
{
	size_t n = strlen(label);
	const char *t = label;

	if (n > LABEL_COLS) {
		t = label + n - (LABEL_COLS - 3);
		while (*t && (*(const unsigned char *)t & 0xc0) == 0x80)
			t++;
		snprintf(buf, size, "...%s", t);
	} else {
		snprintf(buf, size, "%s", label);
	}
}

void
progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	char label[LABEL_COLS + 8], rate[32] = "", eta[32] = "";
	double t, el, mbs;

	if (!p->cli->tty || p->cli->quiet)
		return;
	t = now_s();
	if (p->t0 == 0)
		p->t0 = t;
	/* at most ten updates a second, and always the last */
	if (p->shown && t - p->last < 0.1 && done < total)
		return;
	p->last = t;
	el = t - p->t0;
	label_tail(p->label, label, sizeof label);
	mbs = el > 0.2 ? (double)done / 1048576.0 / el : 0;
	if (mbs > 0)
		snprintf(rate, sizeof rate, " %.1f MB/s", mbs);
	if (total > 0) {
		unsigned pct = (unsigned)(done * 100 / total);
		int bar = (int)(pct / 5);

		if (mbs > 0 && done < total) {
			double left = (double)(total - done) / 1048576.0 / mbs;
			snprintf(eta, sizeof eta, " ETA %d:%02d", (int)(left / 60), (int)left % 60);
		}
		fprintf(stderr, "\r%-*s [%-20.*s] %3u%% %llu/%llu MB%s%s\033[K", LABEL_COLS, label, bar,
			"====================", pct, (unsigned long long)(done >> 20),
			(unsigned long long)(total >> 20), rate, eta);
	} else {
		fprintf(stderr, "\r%-*s %llu MB%s\033[K", LABEL_COLS, label,
			(unsigned long long)(done >> 20), rate);
	}
	p->shown = 1;
}

void
progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
