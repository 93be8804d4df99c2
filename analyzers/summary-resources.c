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
 * account), the groups of one resource together; resource_rows picks each
 * currency's top resources in C as they stream by (a per-currency LIMIT
 * would need the currency as a text parameter, which ClickHouse cannot
 * take; a bill with a million resource ids is a million groups, so only
 * the top ones are kept).  Parameters: start, end.
 */
static const char resource_sql[] =
	"SELECT BillingCurrency AS cur, ResourceId AS resource_id,"
	" COALESCE(ServiceName, '(none)') AS service, COALESCE(RegionId, '(global)') AS region,"
	" COALESCE(SubAccountId, BillingAccountId) AS account,"
	" SUM(BilledCostNanos) AS billed, SUM(EffectiveCostNanos) AS effective"
	" FROM rollup_resource"
	" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ResourceId IS NOT NULL"
	" GROUP BY BillingCurrency, ResourceId, COALESCE(ServiceName, '(none)'),"
	" COALESCE(RegionId, '(global)'), COALESCE(SubAccountId, BillingAccountId)"
	" ORDER BY cur, resource_id";

/* one (currency, resource, service, region, account) group of
 * resource_sql, or one resource folded from them (its strings owned) */
struct resrow {
	char *cur, *id, *svc, *region, *acct;
	int64_t billed, eff;
	int64_t maxeff;		/* effective cost of the group svc..acct come from */
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

static void
resrow_clear(struct resrow *r)
{
	free(r->cur);
	free(r->id);
	free(r->svc);
	free(r->region);
	free(r->acct);
	memset(r, 0, sizeof *r);
}

/* The top resources of every currency of a summary, kept while the groups
 * of resource_sql stream by (an_each): the groups of one resource are
 * folded into `now`, then offered to its currency's top. */
struct resstream {
	struct summary *s;
	int limit;
	struct resrow **top;	/* top[i]: s->c[i]'s, in cmp_resource order; owned */
	int *ntop;
	struct resrow now;	/* the resource being folded; now.id NULL: none */
	int now_cur;		/* its currency's index in s->c, -1: not summarized */
};

/* Offer the folded resource to its currency's top; now is emptied. */
static int
resource_offer(struct resstream *rs, struct ic_error *err)
{
	struct resrow *t;
	int *n, k;

	if (rs->now.id == NULL)
		return 0;
	if (rs->now_cur < 0) {
		resrow_clear(&rs->now);
		return 0;
	}
	t = rs->top[rs->now_cur];
	n = &rs->ntop[rs->now_cur];
	if (*n == rs->limit && cmp_resource(&rs->now, &t[*n - 1]) >= 0) {
		resrow_clear(&rs->now);
		return 0;
	}
	if (*n == rs->limit)
		resrow_clear(&t[--*n]);
	for (k = *n; k > 0 && cmp_resource(&rs->now, &t[k - 1]) < 0; k--)
		;
	memmove(&t[k + 1], &t[k], (size_t)(*n - k) * sizeof *t);
	t[k] = rs->now;
	(*n)++;
	memset(&rs->now, 0, sizeof rs->now);
	(void)err;
	return 0;
}

static int
resource_group_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct resstream *rs = arg;
	const char *cur = an_text(st, 0), *id = an_text(st, 1);
	int64_t billed = engine_column_int64(st, 5), eff = engine_column_int64(st, 6);

	if (rs->now.id && strcmp(rs->now.id, id) == 0 && strcmp(rs->now.cur, cur) == 0) {
		/* one more group of the same resource: add it; its service,
		 * region and account are those of its largest group
		 * (cmp_resrow's order) */
		struct resrow cand = rs->now, rep = rs->now;

		cand.svc = (char *)an_text(st, 2);
		cand.region = (char *)an_text(st, 3);
		cand.acct = (char *)an_text(st, 4);
		cand.eff = eff;
		rep.eff = rs->now.maxeff;
		if (cmp_resrow(&cand, &rep) < 0) {
			char *a = strdup(cand.svc), *b = strdup(cand.region), *c = strdup(cand.acct);

			if (!a || !b || !c) {
				free(a);
				free(b);
				free(c);
				return ic_errorf(err, "out of memory");
			}
			free(rs->now.svc);
			free(rs->now.region);
			free(rs->now.acct);
			rs->now.svc = a;
			rs->now.region = b;
			rs->now.acct = c;
			rs->now.maxeff = eff;
		}
		if (__builtin_add_overflow(rs->now.billed, billed, &rs->now.billed) ||
		    __builtin_add_overflow(rs->now.eff, eff, &rs->now.eff))
			return ic_errorf(err, "the cost of resource %s overflows", rs->now.id);
		return 0;
	}
	if (resource_offer(rs, err) != 0)
		return -1;
	rs->now.cur = strdup(cur);
	rs->now.id = strdup(id);
	rs->now.svc = strdup(an_text(st, 2));
	rs->now.region = strdup(an_text(st, 3));
	rs->now.acct = strdup(an_text(st, 4));
	rs->now.billed = billed;
	rs->now.eff = rs->now.maxeff = eff;
	if (!rs->now.cur || !rs->now.id || !rs->now.svc || !rs->now.region || !rs->now.acct)
		return ic_errorf(err, "out of memory");
	rs->now_cur = -1;
	for (int i = 0; i < rs->s->n; i++)
		if (strcmp(rs->s->c[i].currency, cur) == 0)
			rs->now_cur = i;
	return 0;
}

/* Fill c->by[BY_RESOURCE] of every currency of s with its top `limit`
 * resources by effective cost.  Returns 0 or -1 with err set. */
static int
resource_rows(const struct analysis_ctx *ctx, struct summary *s, int limit, struct ic_error *err)
{
	struct resstream rs;
	struct engine_stmt *st;
	int ret = -1;

	memset(&rs, 0, sizeof rs);
	rs.s = s;
	rs.limit = limit;
	rs.now_cur = -1;
	rs.top = calloc((size_t)s->n, sizeof *rs.top);
	rs.ntop = calloc((size_t)s->n, sizeof *rs.ntop);
	if (rs.top == NULL || rs.ntop == NULL)
		goto oom;
	for (int i = 0; i < s->n; i++)
		if ((rs.top[i] = calloc((size_t)limit + 1, sizeof **rs.top)) == NULL)
			goto oom;
	st = summary_prepare(ctx, resource_sql, err);
	if (st == NULL)
		goto out;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "finding the top resources", resource_group_row, &rs, err) != 0 ||
	    resource_offer(&rs, err) != 0)
		goto out;
	for (int i = 0; i < s->n; i++) {
		struct cur_summary *c = &s->c[i];
		struct table *t = c->by[BY_RESOURCE];

		for (int k = 0; k < rs.ntop[i]; k++) {
			const struct resrow *r = &rs.top[i][k];
			int row = table_add_row(t);

			if (row < 0 || table_set_text(t, row, 0, r->id) != 0 ||
			    table_set_text(t, row, 1, r->svc) != 0 ||
			    table_set_text(t, row, 2, r->region) != 0 ||
			    table_set_text(t, row, 3, r->acct) != 0)
				goto oom;
			table_set_money(t, row, 4, r->billed);
			table_set_money(t, row, 5, r->eff);
			table_set_num(t, row, 6, c->effective != 0 ?
				      (double)r->eff / (double)c->effective : NAN);
		}
	}
	ret = 0;
	goto out;
oom:
	ic_errorf(err, "out of memory");
out:
	resrow_clear(&rs.now);
	for (int i = 0; rs.top && i < s->n; i++) {
		for (int k = 0; rs.top[i] && k < rs.ntop[i]; k++)
			resrow_clear(&rs.top[i][k]);
		free(rs.top[i]);
	}
	free(rs.top);
	free(rs.ntop);
	return ret;
}

int
summary_top_resources(const struct analysis_ctx *ctx, struct summary *s, struct ic_error *err)
{
	return resource_rows(ctx, s, analysis_opts(ctx)->top_resources, err);
}
