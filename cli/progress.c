/*
 * progress.c - a one-line progress indicator on stderr, shown only when
 * stderr is a terminal and --quiet is off.
 */
#include <stdio.h>

#include "cli/cli.h"

void
progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	if (!p->cli->tty || p->cli->quiet)
		return;
	if (total > 0) {
		unsigned pct = (unsigned)(done * 100 / total);
		int bar = (int)(pct / 5);
		fprintf(stderr, "\r%-30.30s [%-20.*s] %3u%% %llu MB", p->label, bar,
			"====================", pct, (unsigned long long)(done >> 20));
	} else {
		fprintf(stderr, "\r%-30.30s %llu MB", p->label, (unsigned long long)(done >> 20));
	}
	p->shown = 1;
}

void
progress_done(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r%-70s\r", "");
	p->shown = 0;
}
