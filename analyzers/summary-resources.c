/*
 * summary-resources.c - the top resources of the summary (by_resource[],
 * see summary.c): every resource's cost per (service, region, account),
 * folded into one row per resource with the attributes of its largest
 * group, the costliest `--top-resources` of each currency kept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/anutil.h"
#include "analyzers/rollups.h"
#include "analyzers/slice.h"
#include "common/db.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "analyzers/summary-int.h"

/*
 * The resources of every currency with their cost per (service, region,
 * account); resource_rows picks each currency's top resources in C (a
 * per-currency LIMIT would need the currency as a text parameter, which
 * ClickHouse cannot take).  Parameters: start, end.
 */
static const char resource_sql[] =
	"SELECT BillingCurrency AS cur, ResourceId AS resource_id,"
	" COALESCE(ServiceName, '(none)') AS service, COALESCE(RegionId, '(global)') AS region,"
	" COALESCE(SubAccountId, BillingAccountId) AS account,"
	" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS effective"
	" FROM rollup_resource"
	" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ResourceId IS NOT NULL"
	" GROUP BY BillingCurrency, ResourceId, COALESCE(ServiceName, '(none)'),"
	" COALESCE(RegionId, '(global)'), COALESCE(SubAccountId, BillingAccountId)";

/* one (currency, resource, service, region, account) group of
 * resource_sql; the strings are owned by the array (resrows_free) */
struct resrow {
	char *cur, *id, *svc, *region, *acct;
	int64_t billed, eff;
};

static int
cmp_resrow(const void *a, const void *b)
{
	const struct resrow *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->eff != y->eff)
		return x->eff > y->eff ? -1 : 1;
	if ((c = strcmp(x->svc, y->svc)) || (c = strcmp(x->region, y->region)))
		return c;
	return strcmp(x->acct, y->acct);
}

/* resources (one row each, attributes of its largest group): the most
 * effective cost first, then by id, as resource_sql picks them */
static int
cmp_resource(const void *a, const void *b)
{
	const struct resrow *x = a, *y = b;

	if (x->eff != y->eff)
		return x->eff > y->eff ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* a copy of text column i ("" for NULL), the caller's to free; NULL when
 * out of memory */
static char *
col_dup(struct engine_stmt *st, int i)
{
	return strdup(an_text(st, i));
}

static void
resrows_free(struct resrow *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].cur);
		free(r[i].id);
		free(r[i].svc);
		free(r[i].region);
		free(r[i].acct);
	}
	free(r);
}

/* The groups of resource_sql as they are read (an_each). */
struct resgroups {
	struct resrow *rows;	/* owned: resrows_free */
	size_t n, cap;
};

static int
resource_group_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct resgroups *g = arg;
	struct resrow *x;

	if (g->n == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 64;
		struct resrow *m = realloc(g->rows, ncap * sizeof *m);
		if (m == NULL)
			return ic_errorf(err, "out of memory");
		g->rows = m;
		g->cap = ncap;
	}
	x = &g->rows[g->n++];
	x->cur = col_dup(st, 0);
	x->id = col_dup(st, 1);
	x->svc = col_dup(st, 2);
	x->region = col_dup(st, 3);
	x->acct = col_dup(st, 4);
	x->billed = engine_column_int64(st, 5);
	x->eff = engine_column_int64(st, 6);
	if (!x->cur || !x->id || !x->svc || !x->region || !x->acct)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* The groups of resource_sql into *g (the caller frees g->rows with
 * resrows_free, also after an error).  Returns 0 or -1 with err set. */
static int
resource_groups(const struct analysis_ctx *ctx, struct resgroups *g, struct ic_error *err)
{
	struct engine_stmt *st = summary_prepare(ctx, resource_sql, err);

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	return an_each(st, "finding the top resources", resource_group_row, g, err);
}

/* Fill c->by[BY_RESOURCE] with the top `limit` resources of c's currency
 * from the groups all[0..nall) (left as they are).  Returns 0 or -1 with
 * err set. */
static int
resource_rows(const struct resrow *all, size_t nall, struct cur_summary *c, int limit,
	      struct ic_error *err)
{
	struct table *t = c->by[BY_RESOURCE];
	struct resrow *rr;
	size_t n = 0, nres = 0;
	int ret = -1;

	/* shallow copies: the strings stay all's */
	rr = malloc((nall ? nall : 1) * sizeof *rr);
	if (rr == NULL)
		return ic_errorf(err, "out of memory");
	for (size_t i = 0; i < nall; i++)
		if (strcmp(all[i].cur, c->currency) == 0)
			rr[n++] = all[i];
	/* fold each resource's groups into its first (largest) one */
	if (n > 1)
		qsort(rr, n, sizeof *rr, cmp_resrow);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		struct resrow tmp;

		while (j < n && strcmp(rr[j].id, rr[i].id) == 0) {
			if (__builtin_add_overflow(rr[i].billed, rr[j].billed, &rr[i].billed) ||
			    __builtin_add_overflow(rr[i].eff, rr[j].eff, &rr[i].eff)) {
				ic_errorf(err, "the cost of resource %s overflows", rr[i].id);
				goto out;
			}
			j++;
		}
		tmp = rr[nres];
		rr[nres] = rr[i];
		rr[i] = tmp;
		nres++;
		i = j;
	}
	if (nres > 1)
		qsort(rr, nres, sizeof *rr, cmp_resource);
	if (nres > (size_t)limit)
		nres = (size_t)limit;
	for (size_t i = 0; i < nres; i++) {
		int row = table_add_row(t);

		if (row < 0 || table_set_text(t, row, 0, rr[i].id) != 0 ||
		    table_set_text(t, row, 1, rr[i].svc) != 0 ||
		    table_set_text(t, row, 2, rr[i].region) != 0 ||
		    table_set_text(t, row, 3, rr[i].acct) != 0) {
			ic_errorf(err, "out of memory");
			goto out;
		}
		table_set_money(t, row, 4, rr[i].billed);
		table_set_money(t, row, 5, rr[i].eff);
		table_set_num(t, row, 6, c->effective != 0 ? (double)rr[i].eff / (double)c->effective
			      : NAN);
	}
	ret = 0;
out:
	free(rr);
	return ret;
}

int
summary_top_resources(const struct analysis_ctx *ctx, struct summary *s, struct ic_error *err)
{
	struct resgroups g = { NULL, 0, 0 };
	int rc = 0;

	if (resource_groups(ctx, &g, err) != 0)
		rc = -1;
	for (int i = 0; i < s->n && rc == 0; i++)
		if (resource_rows(g.rows, g.n, &s->c[i], analysis_opts(ctx)->top_resources, err) != 0)
			rc = -1;
	resrows_free(g.rows, g.n);
	return rc;
}
