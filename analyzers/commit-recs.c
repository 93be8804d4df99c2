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
commit_recs_add(struct commit_rec **r, int *n, const char *region, const char *instance_type,
		const char *term, const char *payment, long count, int64_t monthly_savings,
		const char *currency)
{
	struct commit_rec *nr = realloc(*r, (size_t)(*n + 1) * sizeof *nr), *x;

	if (nr == NULL)
		return -1;
	*r = nr;
	x = &nr[*n];
	memset(x, 0, sizeof *x);
	x->region = region ? strdup(region) : NULL;
	x->instance_type = instance_type ? strdup(instance_type) : NULL;
	if ((region && x->region == NULL) || (instance_type && x->instance_type == NULL)) {
		free(x->region);
		free(x->instance_type);
		return -1;
	}
	x->term = term;
	x->payment = payment;
	x->count = count;
	x->monthly_savings = monthly_savings;
	snprintf(x->currency, sizeof x->currency, "%s", currency ? currency : "");
	(*n)++;
	return 0;
}

void
commit_recs_free(struct commit_rec *r, int n)
{
	for (int i = 0; r && i < n; i++) {
		free(r[i].region);
		free(r[i].instance_type);
	}
	free(r);
}

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

