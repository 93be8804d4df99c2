/*
 * commitments.h - the purchases the commitments analyzer recommends, as
 * a struct (levers.c sums them), and the arithmetic of the advice,
 * exposed for the unit tests (commit-compute.c); the struct and the
 * arithmetic are declared in commit-core.h, which commit-gcp.c includes
 * without the rest.
 */
#ifndef IMCOST_COMMITMENTS_H
#define IMCOST_COMMITMENTS_H

#include <stdint.h>

#include "analyzers/commit-core.h"
#include "common/error.h"

struct analysis_ctx;

/*
 * Run the commitments analysis for ctx's period (ctx->catalog prices it)
 * and return its recommendations in the order of recommendations[]:
 * instance purchases by saving, largest first, then GCP's resource-based
 * CUDs likewise.  *out: n entries (NULL when none); caller frees with
 * commit_recs_free.  Returns 0, or -1 with err set.
 */
int commitments_recommended(const struct analysis_ctx *ctx, struct commit_rec **out, int *n,
			    struct ic_error *err);
void commit_recs_free(struct commit_rec *r, int n);

#endif
