/*
 * commit-rec.c - a list of recommended purchases (see commit-rec.h):
 * appending one, freeing the list.  Split from commit-recs.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/commit-rec.h"

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
