/*
 * commit-core.h - what the commitments analyzer's parts share below it:
 * one recommended purchase (struct commit_rec, the list commit-recs.c
 * builds) and the sizing arithmetic of commit-compute.c.  commitments.h
 * includes it; commit-gcp.c includes only this, so the GCP part does not
 * reach back into the analyzer that calls it.
 */
#ifndef IMCOST_COMMIT_CORE_H
#define IMCOST_COMMIT_CORE_H

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

/* Append one recommendation to *r (*n entries, grown by one); strings are
 * copied.  Returns 0, or -1 when out of memory. */
int commit_recs_add(struct commit_rec **r, int *n, const char *region, const char *instance_type,
		    const char *term, const char *payment, long count, int64_t monthly_savings,
		    const char *currency);

/*
 * The count k of committed units that maximizes
 *     S(k) = sum_h p * min(u[h], k) - k * c * H
 * over the n hourly usage counts u[] of a window of H hours (n <= H;
 * hours without usage count as 0): the largest k whose marginal hours
 * sum_h clamp(u[h] - (k-1), 0, 1) make up at least c/p of the window
 * (ties count as reaching it).  p: on-demand rate, c: effective committed
 * rate, both per unit-hour.  Returns k (0 when c >= p or nothing to
 * cover); *covered receives sum_h min(u[h], k) (unit-hours covered).
 */
long commit_optimal_count(const double *u, int n, double p, double c, double H,
			  double *covered);

/*
 * The hourly commitment X (in committed-rate money per hour) of a
 * fleet-wide savings plan that maximizes
 *     S(X) = sum_h min(w[h], X) * o[h] / w[h] - X * H
 * where w[h] is the hour's usage priced at the plan's rates and o[h] the
 * same usage at on-demand rates: the largest X whose hours with
 * w[h] >= X, each weighted by o[h]/w[h], add up to at least H.  Returns
 * X (0 when no commitment pays); *od_covered receives the on-demand value
 * of the covered usage, sum_h min(w[h], X) * o[h] / w[h].  Sorts nothing
 * in the caller's arrays.  Returns -1 on ENOMEM.
 */
double commit_optimal_spend(const double *w, const double *o, int n, double H,
			    double *od_covered);

#endif
