/*
 * commitments.h - the purchases the commitments analyzer recommends, as
 * a struct (levers.c sums them; the struct is commit-rec.h's), and the
 * arithmetic of the advice, exposed for the unit tests
 * (commit-optimal.h).
 */
#ifndef IMCOST_COMMITMENTS_H
#define IMCOST_COMMITMENTS_H

#include <stdint.h>

#include "analyzers/commit-optimal.h"
#include "analyzers/commit-rec.h"
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

#endif
