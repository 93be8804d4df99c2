/*
 * vendors-emit.h - printing the vendor comparison (vendors-emit.c).
 */
#ifndef IMCOST_VENDORS_EMIT_H
#define IMCOST_VENDORS_EMIT_H

#include "analyzers/vendors.h"
#include "common/error.h"

struct emitter;

/* The verdict on top of the output: pointers borrowed from the quotes. */
struct verdict {
	const struct vquote *cheapest, *runner_up;	/* NULL when none */
	int has_change;
	double change_at;			/* mau at which ... */
	char new_cheapest[96];			/* ... this option is cheapest */
	double looked_to;			/* the sweep's end */
};

/*
 * The verdict: the two cheapest ranked options of the n quotes q (ranked
 * order), and the first mau above p's at which the cheapest option
 * changes (a sweep over mau .. 100 x mau).  v points into q.  Returns 0
 * or -1 with err set.
 */
int vendors_verdict_make(const struct vcatalog *cat, const struct vprofile *p, const struct vquote *q,
			 int n, struct verdict *v, struct ic_error *err);

/* The profile p with its assumed values, the n ranked quotes q and the
 * sweep s into e (each as its table, or JSON object). */
void vendors_emit_profile(struct emitter *e, const struct vprofile *p);
void vendors_emit_quotes(struct emitter *e, const struct vprofile *p, const struct vquote *q, int n);
void vendors_emit_sweep(struct emitter *e, const struct vsweep *s, const struct vprofile *p);

#endif
