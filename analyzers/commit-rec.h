/*
 * commit-rec.h - one purchase the commitments analyzer recommends (the
 * findings type levers.c sums), and a list of them (commit-rec.c).  Below
 * both commitments.h and commit-gcp.c, which appends GCP's.
 */
#ifndef IMCOST_COMMIT_REC_H
#define IMCOST_COMMIT_REC_H

#include <stdint.h>

/* One purchase the commitments analyzer recommends: a row of its
 * recommendations[], with the same values. */
struct commit_rec {
	char *region;			/* owned; NULL: the bill names none */
	char *instance_type;		/* owned; NULL: none.  GCP: "N2 vCPU + RAM" */
	const char *term, *payment;	/* static names (commit_term_names...) */
	long count;			/* units to buy; 0 for GCP (vCPUs and GiB) */
	int64_t monthly_savings;	/* nanos, in currency */
	char currency[16];
};

/* Free the n entries of r and r (NULL: nothing). */
void commit_recs_free(struct commit_rec *r, int n);

/* Append one recommendation to *r (*n entries, grown by one); strings are
 * copied.  Returns 0, or -1 when out of memory. */
int commit_recs_add(struct commit_rec **r, int *n, const char *region, const char *instance_type,
		    const char *term, const char *payment, long count, int64_t monthly_savings,
		    const char *currency);

#endif
