/*
 * commit-recs.c - the commitments analyzer's recommendations as a struct
 * (commitments.h: commitments_recommended), for the commitment lever
 * (levers.c), in the order and with the values of recommendations[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/commit-gcp.h"
#include "analyzers/commitments.h"
#include "analyzers/commitments-int.h"

int
commitments_recommended(const struct analysis_ctx *ctx, struct commit_rec **out, int *n,
			struct ic_error *err)
{
	struct commit *c = NULL;
	struct commit_rec *r = NULL;
	int nr = 0, *order = NULL, rc = -1;

	*out = NULL;
	*n = 0;
	if (commit_run_query(ctx, (void **)&c, err) != 0)
		return -1;
	if ((order = commit_rec_order(c)) == NULL)
		goto oom;
	for (int i = 0; i < c->nrec; i++) {
		const struct evald *v = &c->ev[order[i]];
		const struct group *g = &c->g[v->g];

		if (commit_recs_add(&r, &nr, g->region, g->itype, commit_term_names[v->o->term],
				    commit_payment_names[v->o->payment], v->count, v->savings_monthly,
				    g->currency) != 0)
			goto oom;
	}
	if (gcp_cud_recommended(c->gcp, &r, &nr) != 0)
		goto oom;
	*out = r;
	*n = nr;
	r = NULL;
	nr = 0;
	rc = 0;
	goto out;
oom:
	ic_errorf(err, "out of memory");
out:
	free(order);
	commit_recs_free(r, nr);
	commit_free(c);
	return rc;
}

