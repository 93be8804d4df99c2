/*
 * levers-emit.h - printing the IM cost levers (levers-emit.c).
 */
#ifndef IMCOST_LEVERS_EMIT_H
#define IMCOST_LEVERS_EMIT_H

#include "analyzers/levers.h"

struct emitter;

#define NLEVERS 8

/* A lever that could not be priced, and the input it needs. */
struct lever_missing {
	char lever[24];
	char needs[240];
};

/* The n levers lv (borrowed) into e: the summary table, then each lever's
 * inputs, formula and outputs; period is the bill's month (JSON
 * "bill_month"), NULL when no bill was read. */
void levers_emit(struct emitter *e, const struct lever *lv, int n, const char *period);

/* Every lever imcost knows that lv[] lacks or could not price, with the
 * input it needs.  Returns the count written to m (at most NLEVERS). */
int levers_missing(const struct lever *lv, int n, int have_profile, struct lever_missing *m);

/* The n levers of m into e as the "not computed" table (JSON: an array). */
void levers_emit_missing(struct emitter *e, const struct lever_missing *m, int n);

#endif
