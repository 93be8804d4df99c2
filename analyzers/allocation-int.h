/*
 * allocation-int.h - the allocation analysis' findings, shared by
 * allocation.c (query and compute) and alloc-emit.c (output); not
 * included elsewhere.
 */
#ifndef IMCOST_ALLOCATION_INT_H
#define IMCOST_ALLOCATION_INT_H

#include <stdint.h>

#include "common/error.h"

struct analysis_ctx;
struct emitter;

struct drow {			/* one dims row, matched */
	char cur[16];
	int rule;		/* -1: unallocated */
	int64_t cost;
	long n;
};

struct uval {			/* a usage metric under KEY:VALUE */
	char *value, *metric;
	double sum;
};

struct aval {			/* an allocation value */
	char *name;
	int64_t direct, shared;
	long charges;
};

struct pool {			/* a shared rule's cost and its split */
	int rule;
	int64_t cost;
	int64_t *parts;		/* per value; NULL: not split */
	char why[300];		/* not split: why */
};

struct alloc {
	struct drow *d;
	int nd, capd;
	struct uval *u;
	int nu;
	int oom;
	/* compute */
	char cur[16];
	long *rule_n;
	int64_t *rule_cost;
	struct aval *v;
	int nv;
	struct pool *pools;
	int npools;
	int64_t unalloc;
	long unalloc_n;
	int64_t grand;
	char **notes;
	int nnotes;
};

/* The metric's sum under KEY:value (case-folded value), or -1 when there
 * is none. */
double alloc_usage_sum(const struct alloc *a, const char *value, const char *metric);

/* The analyzer's emit: the findings p (a struct alloc) into e.  Returns 0,
 * or -1 with err set. */
int alloc_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err);

#endif
