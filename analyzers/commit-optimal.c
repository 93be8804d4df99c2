/*
 * commit-optimal.c - the arithmetic of the commitments advice (see
 * commit-optimal.h): the count of committed units and the hourly spend of
 * a savings plan that save the most over a window of hourly usage.  Pure
 * functions, below commit-gcp.c and the rest of the commitments analyzer;
 * split from commit-compute.c.
 */
#include <math.h>
#include <stdlib.h>

#include "analyzers/commit-optimal.h"

long
commit_optimal_count(const double *u, int n, double p, double c, double H, double *covered)
{
	double umax = 0, tol;
	long k = 0, kmax;

	*covered = 0;
	if (!(p > 0) || !(c >= 0) || c >= p || !(H > 0))
		return 0;
	for (int h = 0; h < n; h++)
		if (u[h] > umax)
			umax = u[h];
	kmax = (long)ceil(umax - 1e-9);
	tol = 1e-9 * c * H;
	for (long j = 1; j <= kmax; j++) {
		double marg = 0;
		for (int h = 0; h < n; h++) {
			double x = u[h] - (double)(j - 1);
			marg += x >= 1 ? 1 : x > 0 ? x : 0;
		}
		if (p * marg + tol < c * H)
			break;
		k = j;
	}
	for (int h = 0; h < n; h++)
		*covered += u[h] < (double)k ? u[h] : (double)k;
	return k;
}

struct wo {
	double w, o;
};

static int
cmp_wo_desc(const void *a, const void *b)
{
	const struct wo *x = a, *y = b;
	return x->w > y->w ? -1 : x->w < y->w;
}

double
commit_optimal_spend(const double *w, const double *o, int n, double H, double *od_covered)
{
	struct wo *v;
	double acc = 0, X = 0;
	int m = 0;

	*od_covered = 0;
	if (!(H > 0) || n <= 0)
		return 0;
	v = malloc((size_t)n * sizeof *v);
	if (v == NULL)
		return -1;
	for (int h = 0; h < n; h++)
		if (w[h] > 0) {
			v[m].w = w[h];
			v[m].o = o[h];
			m++;
		}
	if (m > 1)
		qsort(v, (size_t)m, sizeof *v, cmp_wo_desc);
	for (int j = 0; j < m; j++) {
		acc += v[j].o / v[j].w;
		if (acc >= H * (1 - 1e-12)) {
			X = v[j].w;
			break;
		}
	}
	for (int j = 0; j < m && X > 0; j++)
		*od_covered += (v[j].w < X ? v[j].w : X) * v[j].o / v[j].w;
	free(v);
	return X;
}
