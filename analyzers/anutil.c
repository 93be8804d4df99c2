/*
 * anutil.c - small helpers shared by the analyzers (see anutil.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/anutil.h"
#include "common/db.h"

char *
an_col_strdup(sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	char *r;

	if (s == NULL)
		return NULL;
	r = strdup((const char *)s);
	if (r == NULL)
		*oom = 1;
	return r;
}

const char *
an_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

int64_t
an_nanos(double v)
{
	if (!(v == v))
		return 0;
	if (v >= 9.2e18)
		return INT64_MAX;
	if (v <= -9.2e18)
		return -INT64_MAX;
	return llround(v);
}

int
an_each_row(sqlite3 *db, sqlite3_stmt *st, const char *what,
	    int (*row)(void *arg, sqlite3_stmt *st, struct ic_error *err), void *arg,
	    struct ic_error *err)
{
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (row(arg, st, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	if (r != SQLITE_DONE) {
		db_error(db, what, err);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double
an_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
