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
#include "common/sbuf.h"
#include "common/timeparse.h"
#include "analyzers/summary-int.h"

/*
 * The resources of every currency with their cost per (service, region,
 * account), the rows of one resource together (ORDER BY its id only);
 * resource_rows folds each resource's rows in C and picks each currency's
 * top resources as they stream by (a per-currency LIMIT would need the
 * currency as a text parameter, which ClickHouse cannot take; a bill with
 * a million resource ids is a million resources, so only the top ones are
 * kept).  On SQLite the rows of rollup_resource come as they are, not
 * grouped: a GROUP BY on the five text keys sorted every row twice and
 * took 0.5-0.8 s of a year's 185k rows, the sort by id alone 0.15 s.
 * Remote engines group first (their rollup_resource is a view over the
 * charges, and a slice there is one row per charge).  Parameters: start,
 * end.
 */
#define RESOURCE_SQL(SUM_OPEN, SUM_CLOSE, GROUP) \
	"SELECT BillingCurrency AS cur, ResourceId AS resource_id," \
	" COALESCE(ServiceName, '(none)') AS service, COALESCE(RegionId, '(global)') AS region," \
	" COALESCE(SubAccountId, BillingAccountId) AS account," \
	" " SUM_OPEN "BilledCostNanos" SUM_CLOSE " AS billed," \
	" " SUM_OPEN "EffectiveCostNanos" SUM_CLOSE " AS effective" \
	" FROM rollup_resource" \
	" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ResourceId IS NOT NULL" \
	GROUP " ORDER BY resource_id"
static const char resource_sql_rows[] = RESOURCE_SQL("", "", "");
static const char resource_sql_groups[] = RESOURCE_SQL("SUM(", ")",
	" GROUP BY BillingCurrency, ResourceId, COALESCE(ServiceName, '(none)'),"
	" COALESCE(RegionId, '(global)'), COALESCE(SubAccountId, BillingAccountId)");

/* one resource folded from its rows (its strings owned) */
struct resrow {
	char *cur, *id, *svc, *region, *acct;
	int64_t billed, eff;
};

/* one row of the query for the resource being folded: its strings as
 * offsets in the fold's text buffer while rows come (the buffer may
 * move), then as pointers for the fold */
struct part {
	size_t off[4];		/* currency, service, region, account */
	const char *cur, *svc, *region, *acct;
	int64_t billed, eff;
};

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

/* The top resources of every currency of a summary, kept while the rows
 * of resource_sql stream by (an_each): the rows of one resource are kept
 * in part[] (their text in `text`), then folded per currency into `now` and
 * offered to that currency's top. */
struct resstream {
	struct summary *s;
	int limit;
	struct resrow **top;	/* top[i]: s->c[i]'s, in cmp_resource order; owned */
	int *ntop;
	struct resrow now;	/* the resource being offered */
	int now_cur;		/* its currency's index in s->c, -1: not summarized */
	char *id;		/* the resource whose rows part[] holds; NULL: none */
	struct part *part;
	size_t npart, cappart;
	struct sbuf text;	/* the parts' strings, each NUL-terminated */
};

/* Offer the folded resource to its currency's top; now is emptied. */
static void
resource_offer(struct resstream *rs)
{
	struct resrow *t;
	int *n, k;

	if (rs->now_cur < 0) {
		resrow_clear(&rs->now);
		return;
	}
	t = rs->top[rs->now_cur];
	n = &rs->ntop[rs->now_cur];
	if (*n == rs->limit && cmp_resource(&rs->now, &t[*n - 1]) >= 0) {
		resrow_clear(&rs->now);
		return;
	}
	if (*n == rs->limit)
		resrow_clear(&t[--*n]);
	for (k = *n; k > 0 && cmp_resource(&rs->now, &t[k - 1]) < 0; k--)
		;
	memmove(&t[k + 1], &t[k], (size_t)(*n - k) * sizeof *t);
	t[k] = rs->now;
	(*n)++;
	memset(&rs->now, 0, sizeof rs->now);
}

/* Copy s, with its NUL, into rs->text; *off gets its offset.  Returns 0,
 * -1 out of memory. */
static int
part_text(struct resstream *rs, const char *s, size_t *off)
{
	*off = rs->text.len;
	sbuf_put(&rs->text, s, strlen(s));
	sbuf_putc(&rs->text, '\0');
	return rs->text.oom ? -1 : 0;
}

/* parts by currency, service, region, account */
static int
cmp_part(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	int c;

	if ((c = strcmp(x->cur, y->cur)) || (c = strcmp(x->svc, y->svc)) ||
	    (c = strcmp(x->region, y->region)))
		return c;
	return strcmp(x->acct, y->acct);
}

/* Whether group x (effective cost ex) names the resource rather than y:
 * the most effective cost, then the first service, region and account. */
static int
part_before(const struct part *x, int64_t ex, const struct part *y, int64_t ey)
{
	int c;

	if (ex != ey)
		return ex > ey;
	if ((c = strcmp(x->svc, y->svc)) || (c = strcmp(x->region, y->region)))
		return c < 0;
	return strcmp(x->acct, y->acct) < 0;
}

/* Fold the rows of rs->id: per currency one resource, its cost the sum
 * of its rows, its service, region and account those of its largest
 * (service, region, account) group; offer each.  Empties part[]. */
static int
resource_flush(struct resstream *rs, struct ic_error *err)
{
	size_t i = 0, n = rs->npart;
	int ret = -1;

	if (rs->id == NULL)
		return 0;
	for (size_t k = 0; k < n; k++) {
		struct part *p = &rs->part[k];

		p->cur = rs->text.s + p->off[0];
		p->svc = rs->text.s + p->off[1];
		p->region = rs->text.s + p->off[2];
		p->acct = rs->text.s + p->off[3];
	}
	qsort(rs->part, n, sizeof *rs->part, cmp_part);
	while (i < n) {
		const struct part *rep = NULL;
		int64_t rep_eff = 0, billed = 0, eff = 0;
		size_t j = i;

		/* the currency's groups: runs of equal (svc, region, acct) */
		while (j < n && strcmp(rs->part[j].cur, rs->part[i].cur) == 0) {
			size_t g = j;
			int64_t gb = 0, ge = 0;

			while (j < n && cmp_part(&rs->part[g], &rs->part[j]) == 0) {
				if (__builtin_add_overflow(gb, rs->part[j].billed, &gb) ||
				    __builtin_add_overflow(ge, rs->part[j].eff, &ge))
					goto overflow;
				j++;
			}
			if (rep == NULL || part_before(&rs->part[g], ge, rep, rep_eff)) {
				rep = &rs->part[g];
				rep_eff = ge;
			}
			if (__builtin_add_overflow(billed, gb, &billed) ||
			    __builtin_add_overflow(eff, ge, &eff))
				goto overflow;
		}
		rs->now.cur = strdup(rep->cur);
		rs->now.id = strdup(rs->id);
		rs->now.svc = strdup(rep->svc);
		rs->now.region = strdup(rep->region);
		rs->now.acct = strdup(rep->acct);
		rs->now.billed = billed;
		rs->now.eff = eff;
		if (!rs->now.cur || !rs->now.id || !rs->now.svc || !rs->now.region || !rs->now.acct) {
			resrow_clear(&rs->now);
			ic_errorf(err, "out of memory");
			goto out;
		}
		rs->now_cur = -1;
		for (int k = 0; k < rs->s->n; k++)
			if (strcmp(rs->s->c[k].currency, rs->now.cur) == 0)
				rs->now_cur = k;
		resource_offer(rs);
		i = j;
	}
	ret = 0;
	goto out;
overflow:
	ic_errorf(err, "the cost of resource %s overflows", rs->id);
out:
	free(rs->id);
	rs->id = NULL;
	rs->npart = 0;
	rs->text.len = 0;
	return ret;
}

static int
resource_part_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct resstream *rs = arg;
	const char *id = an_text(st, 1);
	struct part *p;

	if (rs->id && strcmp(rs->id, id) != 0 && resource_flush(rs, err) != 0)
		return -1;
	if (rs->id == NULL && (rs->id = strdup(id)) == NULL)
		return ic_errorf(err, "out of memory");
	if (rs->npart == rs->cappart) {
		size_t cap = rs->cappart ? rs->cappart * 2 : 16;
		struct part *np = realloc(rs->part, cap * sizeof *np);

		if (np == NULL)
			return ic_errorf(err, "out of memory");
		rs->part = np;
		rs->cappart = cap;
	}
	p = &rs->part[rs->npart];
	for (int k = 0; k < 4; k++)
		if (part_text(rs, an_text(st, k ? k + 1 : 0), &p->off[k]) != 0)
			return ic_errorf(err, "out of memory");
	p->billed = engine_column_int64(st, 5);
	p->eff = engine_column_int64(st, 6);
	rs->npart++;
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
	st = summary_prepare(ctx, engine_kind(ctx->eng) == ENGINE_SQLITE ? resource_sql_rows :
			     resource_sql_groups, err);
	if (st == NULL)
		goto out;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "finding the top resources", resource_part_row, &rs, err) != 0 ||
	    resource_flush(&rs, err) != 0)
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
	free(rs.id);
	free(rs.part);
	sbuf_free(&rs.text);
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
