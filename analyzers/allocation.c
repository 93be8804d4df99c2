/*
 * allocation.c - the cost of each allocation value (team, product, IM
 * feature) under the rules of analyze --allocation FILE (allocation.h),
 * with shared costs split over the values.
 *
 * Query: the period's effective cost and charge count per distinct
 * charge_dims row (SQLite: charge_facts grouped by dim_id, resource_id and
 * tag_set_id, then joined to
 * its dims; remote engines: charges grouped by the columns the rules
 * read), and the usage metrics of resource_id 'KEY:VALUE' (e.g.
 * feature:messaging) summed over the period.  Tags come from the tag
 * store the slices read (--group-by tag:KEY matches the same way):
 * SQLite's SLICE_TAG_ROWS per tag set, a remote charge's tag_pairs_get of
 * its Tags, the function that filled its TagKeys/TagValues at import.
 *
 * Compute, in the period's main currency (the one with the largest
 * effective cost; other currencies are never added to it and a note says
 * what was left out): each dims row goes to the first rule that takes it.
 * A value rule adds its cost to the value's direct cost; a shared rule to
 * its pool.  Each pool is split over the values by the largest remainder
 * (alloc_split_lr: exact to the nano):
 *   proportional  over the values with a positive direct cost, by it
 *   even          over the values that took at least one charge
 *   fixed         by the rule's ratios
 *   metric        by the metric's sum under resource_id KEY:VALUE
 *                 (counted to 0.001)
 * A pool with nothing to spread over (no value with a positive direct
 * cost, no usage rows, ...) is not split: it stays a row of its own
 * (kind "unsplit_shared") and a note says why.  Charges no rule takes
 * are unallocated, always shown.
 *
 * JSON: allocation{key, file, currency, cost_basis, total_cost, rows[]
 * (value, kind, direct_cost, shared_cost, total_cost, share), unallocated
 * {cost, share, charges}, rules_used[] (index, value | shared, split,
 * charges, cost), splits[] (shared, split, cost, parts[] {value, amount}),
 * unit_costs[] (value, metric, quantity, total_cost, cost_per_unit,
 * cost_per_million), notes[]}.  alloc-emit.c prints them
 * (allocation-int.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/allocation.h"
#include "analyzers/allocation-int.h"
#include "analyzers/analyzer.h"
#include "analyzers/columns.h"
#include "analyzers/anutil.h"
#include "analyzers/slice.h"
#include "common/decimal.h"
#include "common/engine.h"
#include "common/timeparse.h"
#include "output/table.h"

static void
alloc_free(void *p)
{
	struct alloc *a = p;

	if (a == NULL)
		return;
	for (int i = 0; i < a->nu; i++) {
		free(a->u[i].value);
		free(a->u[i].metric);
	}
	for (int i = 0; i < a->nv; i++)
		free(a->v[i].name);
	for (int i = 0; i < a->npools; i++)
		free(a->pools[i].parts);
	for (int i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	free(a->pools);
	free(a->v);
	free(a->u);
	free(a->d);
	free(a->rule_n);
	free(a->rule_cost);
	free(a);
}

static void
note(struct alloc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
note(struct alloc *a, const char *fmt, ...)
{
	char buf[1024], **n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if ((n = realloc(a->notes, (size_t)(a->nnotes + 1) * sizeof *n)) == NULL) {
		a->oom = 1;
		return;
	}
	a->notes = n;
	if ((n[a->nnotes] = strdup(buf)) == NULL)
		a->oom = 1;
	else
		a->nnotes++;
}

/* SQLite: the tag store's rows of the period's tag sets, by tag set */
struct tagrows {
	int64_t *dim;
	char **key, **value;
	size_t n, cap, at;	/* at: the next row dims_row looks at */
	int64_t last;		/* the tag set of the rows from, to */
	size_t from, to;
};

static void
tagrows_free(struct tagrows *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->key[i]);
		free(t->value[i]);
	}
	free(t->dim);
	free(t->key);
	free(t->value);
}

struct qarg {
	struct alloc *a;
	const struct alloc_rules *rules;
	int sqlite;
	struct tagrows tr;
	struct tag_pairs tp;
};

/* tag_set_id, key_fold, value */
static int
tag_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct tagrows *t = &((struct qarg *)arg)->tr;
	int oom = 0;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		int64_t *d = realloc(t->dim, cap * sizeof *d);
		char **k, **v;
		if (d == NULL)
			return ic_errorf(err, "out of memory");
		t->dim = d;
		if ((k = realloc(t->key, cap * sizeof *k)) == NULL)
			return ic_errorf(err, "out of memory");
		t->key = k;
		if ((v = realloc(t->value, cap * sizeof *v)) == NULL)
			return ic_errorf(err, "out of memory");
		t->value = v;
		t->cap = cap;
	}
	t->dim[t->n] = engine_column_int64(st, 0);
	t->key[t->n] = an_strdup(st, 1, &oom);
	t->value[t->n] = an_strdup(st, 2, &oom);
	if (oom || t->key[t->n] == NULL || t->value[t->n] == NULL) {
		free(t->key[t->n]);
		free(t->value[t->n]);
		return ic_errorf(err, "out of memory");
	}
	t->n++;
	return 0;
}

/* q->tp = the tags of this dims row: SQLite's store rows of its tag set
 * (both queries go by tag set; rows of one tag set follow each other),
 * else tag_pairs_get of the Tags text.  0 or -1 (out of memory). */
static int
row_tags(struct qarg *q, struct engine_stmt *st, const char *tags, const char *prov)
{
	struct tagrows *t = &q->tr;
	int64_t dim;

	tag_pairs_clear(&q->tp);
	if (!q->sqlite)
		return tag_pairs_get(tags, prov != NULL && strcmp(prov, "AWS") == 0, &q->tp);
	/* borrowed: tp.n is reset before tag_pairs_clear could free them */
	dim = engine_column_int64(st, 13);
	if (dim == 0 || dim != t->last) {
		while (t->at < t->n && t->dim[t->at] < dim)
			t->at++;
		t->from = t->at;
		while (t->at < t->n && t->dim[t->at] == dim)
			t->at++;
		t->to = t->at;
		t->last = dim;
	}
	q->tp.key = t->key + t->from;
	q->tp.value = t->value + t->from;
	q->tp.n = dim == 0 ? 0 : (int)(t->to - t->from);
	return 0;
}

/* cur, prov, acct, sub, cat, svc, reg, res, ut, tags, cost, n[, code, tag_set_id] */
static int
dims_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct qarg *q = arg;
	struct alloc *a = q->a;
	struct alloc_charge c;
	char *f[11];
	int oom = 0;
	struct drow *d;

	for (int i = 0; i < 10; i++)
		f[i] = an_strdup(st, i, &oom);
	f[10] = q->sqlite ? an_strdup(st, 12, &oom) : NULL;
	if (oom || row_tags(q, st, f[9], f[1]) != 0)
		goto oom;
	c.provider = f[1];
	c.account = f[2];
	c.sub_account = f[3];
	c.category = f[4];
	c.service = f[5];
	c.region = f[6];
	c.resource = f[7];
	c.usage_type = f[8];
	c.tags = &q->tp;
	c.service_code = f[10];
	if (a->nd == a->capd) {
		int cap = a->capd ? a->capd * 2 : 256;
		struct drow *nd = realloc(a->d, (size_t)cap * sizeof *nd);
		if (nd == NULL)
			goto oom;
		a->d = nd;
		a->capd = cap;
	}
	d = &a->d[a->nd];
	snprintf(d->cur, sizeof d->cur, "%s", f[0] ? f[0] : "");
	d->rule = alloc_match(q->rules, &c, &oom);
	if (oom)
		goto oom;
	d->cost = engine_column_int64(st, 10);
	d->n = (long)engine_column_int64(st, 11);
	a->nd++;
	for (int i = 0; i < 11; i++)
		free(f[i]);
	if (q->sqlite)
		q->tp.n = 0;	/* borrowed from q->tr */
	return 0;
oom:
	for (int i = 0; i < 11; i++)
		free(f[i]);
	if (q->sqlite)
		q->tp.n = 0;
	return ic_errorf(err, "out of memory");
}

/* resource_id, metric, sum */
static int
usage_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct qarg *q = arg;
	struct alloc *a = q->a;
	const char *r = an_text(st, 0);
	size_t kl = strlen(q->rules->key);
	struct uval *u;

	if (strncasecmp(r, q->rules->key, kl) != 0 || r[kl] != ':' || r[kl + 1] == '\0')
		return 0;
	if ((u = realloc(a->u, (size_t)(a->nu + 1) * sizeof *u)) == NULL)
		return ic_errorf(err, "out of memory");
	a->u = u;
	u = &a->u[a->nu];
	u->value = strdup(r + kl + 1);
	u->metric = strdup(an_text(st, 1));
	u->sum = engine_column_double(st, 2);
	if (u->value == NULL || u->metric == NULL) {
		free(u->value);
		free(u->metric);
		return ic_errorf(err, "out of memory");
	}
	a->nu++;
	return 0;
}

static int alloc_compute(const struct analysis_ctx *ctx, struct alloc *a, struct ic_error *err);

static int
alloc_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct alloc *a;
	struct qarg q;
	struct engine_stmt *st;
	int sqlite = engine_kind(ctx->eng) == ENGINE_SQLITE;

	*out = NULL;
	if (ctx->allocation == NULL)
		return 0;
	if ((a = calloc(1, sizeof *a)) == NULL)
		return ic_errorf(err, "out of memory");
	memset(&q, 0, sizeof q);
	q.a = a;
	q.rules = ctx->allocation;
	q.sqlite = sqlite;
	if (sqlite) {
		/* the tags of the period's dims rows, from the tag store */
		st = an_prepare(ctx, "SELECT t.tag_set_id AS g, t.key_fold AS k, t.value AS v FROM"
				" (SELECT DISTINCT tag_set_id FROM charge_facts WHERE BillingPeriodStart >= ?"
				" AND BillingPeriodStart < ?) s JOIN " SLICE_TAG_ROWS " t ON t.tag_set_id ="
				" s.tag_set_id ORDER BY t.tag_set_id", err);
		if (st == NULL)
			goto fail;
		engine_bind_int64(st, 1, ctx->start);
		engine_bind_int64(st, 2, ctx->end);
		if (an_each(st, "reading tags for allocation", tag_row, &q, err) != 0)
			goto fail;
	}
	/* the rules are evaluated once per distinct dims row, not per charge */
	st = an_prepare(ctx, sqlite ?
		"SELECT d.BillingCurrency AS cur, d.ProviderName AS prov, d.BillingAccountId AS acct,"
		" d.SubAccountId AS sub, d.ChargeCategory AS cat, d.ServiceName AS svc, d.RegionId AS reg,"
		" r.ResourceId AS res, d.x_UsageType AS ut, NULL AS tags, s.cost AS cost, s.n AS n,"
		" d.x_ServiceCode AS code, s.tag_set_id AS g"
		" FROM (SELECT dim_id, resource_id, tag_set_id, SUM(EffectiveCostNanos) AS cost,"
		" COUNT(*) AS n FROM charge_facts WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY dim_id, resource_id, tag_set_id) s" SLICE_DIMS_JOIN("s")
		" ORDER BY s.tag_set_id, s.dim_id, s.resource_id" :
		"SELECT BillingCurrency AS cur, ProviderName AS prov, BillingAccountId AS acct,"
		" SubAccountId AS sub, ChargeCategory AS cat, ServiceName AS svc, RegionId AS reg,"
		" ResourceId AS res, x_UsageType AS ut, Tags AS tags, SUM(EffectiveCostNanos) AS cost,"
		" COUNT(*) AS n FROM charges WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" GROUP BY BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory,"
		" ServiceName, RegionId, ResourceId, x_UsageType, Tags", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	if (an_each(st, "reading charges for allocation", dims_row, &q, err) != 0)
		goto fail;
	st = an_prepare(ctx,
		"SELECT resource_id AS r, metric AS m, SUM(value) AS v FROM usage"
		" WHERE ts >= ? AND ts < ? AND resource_id LIKE '%:%'"
		" GROUP BY resource_id, metric ORDER BY r, m", err);
	if (st == NULL)
		goto fail;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, month_next(ctx->end - 1));
	if (an_each(st, "reading usage per allocation value", usage_row, &q, err) != 0)
		goto fail;
	if (alloc_compute(ctx, a, err) != 0)
		goto fail;
	tagrows_free(&q.tr);
	if (!sqlite)
		tag_pairs_free(&q.tp);
	*out = a;
	return 0;
fail:
	tagrows_free(&q.tr);
	if (!sqlite)
		tag_pairs_free(&q.tp);
	alloc_free(a);
	return -1;
}

static int
value_index(struct alloc *a, const char *name, int add)
{
	struct aval *v;

	for (int i = 0; i < a->nv; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return i;
	if (!add)
		return -1;
	if ((v = realloc(a->v, (size_t)(a->nv + 1) * sizeof *v)) == NULL)
		return -1;
	a->v = v;
	memset(&a->v[a->nv], 0, sizeof *v);
	if ((a->v[a->nv].name = strdup(name)) == NULL)
		return -1;
	return a->nv++;
}

/* The metric's sum under KEY:value (case-folded value), or -1 when there
 * is none. */
double
alloc_usage_sum(const struct alloc *a, const char *value, const char *metric)
{
	double s = -1;

	for (int i = 0; i < a->nu; i++)
		if (strcasecmp(a->u[i].value, value) == 0 && strcmp(a->u[i].metric, metric) == 0)
			s = (s < 0 ? 0 : s) + a->u[i].sum;
	return s;
}

static int
split_pool(struct alloc *a, const struct alloc_rules *rs, struct pool *p)
{
	const struct alloc_rule *r = &rs->rules[p->rule];
	int64_t *w = calloc((size_t)a->nv + 1, sizeof *w);
	int any = 0;

	if (w == NULL)
		return -1;
	for (int i = 0; i < a->nv; i++) {
		switch (r->split) {
		case SPLIT_PROPORTIONAL:
			w[i] = a->v[i].direct > 0 ? a->v[i].direct : 0;
			break;
		case SPLIT_EVEN:
			w[i] = a->v[i].charges > 0;
			break;
		case SPLIT_FIXED:
			for (int k = 0; k < r->nratios; k++)
				if (strcmp(r->ratio_values[k], a->v[i].name) == 0)
					w[i] += r->ratio_w[k];
			break;
		case SPLIT_METRIC: {
			double s = alloc_usage_sum(a, a->v[i].name, r->metric);
			w[i] = s > 0 && s < 9e15 ? (int64_t)llround(s * 1000) : 0;
			break;
		}
		default:
			break;
		}
		any |= w[i] > 0;
	}
	if (any && (p->parts = calloc((size_t)a->nv, sizeof *p->parts)) == NULL) {
		free(w);
		return -1;
	}
	if (any && alloc_split_lr(p->cost, w, a->nv, p->parts) != 0) {
		free(p->parts);
		p->parts = NULL;
		any = 0;
	}
	free(w);
	if (!any) {
		static const char *const why[SPLIT_NKINDS] = {
			"no allocation value has a positive direct cost",
			"no allocation value took a charge",
			"its ratios name no value",
			NULL
		};
		if (r->split == SPLIT_METRIC)
			snprintf(p->why, sizeof p->why, "no usage rows of metric '%s' under resource_id"
				 " '%s:VALUE' for the values in this period", r->metric, rs->key);
		else
			snprintf(p->why, sizeof p->why, "%s", why[r->split]);
		return 0;
	}
	for (int i = 0; i < a->nv; i++)
		a->v[i].shared += p->parts[i];
	return 0;
}

/* The arithmetic over a (the query's rows); a->oom aside, 0 or -1. */
static int
alloc_compute(const struct analysis_ctx *ctx, struct alloc *a, struct ic_error *err)
{
	const struct alloc_rules *rs = ctx->allocation;
	char curs[8][16];
	int64_t csum[8];
	long cn[8];
	int ncur = 0, main = -1;

	/* the main currency */
	for (int i = 0; i < a->nd; i++) {
		int k;
		for (k = 0; k < ncur && strcmp(curs[k], a->d[i].cur) != 0; k++)
			;
		if (k == ncur) {
			if (ncur == 8)
				continue;
			snprintf(curs[ncur], sizeof curs[ncur], "%s", a->d[i].cur);
			csum[ncur] = 0;
			cn[ncur++] = 0;
		}
		csum[k] += a->d[i].cost;
		cn[k] += a->d[i].n;
	}
	for (int k = 0; k < ncur; k++)
		if (main < 0 || csum[k] > csum[main])
			main = k;
	if (main >= 0)
		snprintf(a->cur, sizeof a->cur, "%s", curs[main]);
	for (int k = 0; k < ncur; k++)
		if (k != main) {
			char m[48];
			note(a, "%ld charges in %s (%s %s) are not allocated: amounts in different"
			     " currencies are never added", cn[k], curs[k], money_format_json(csum[k], m),
			     curs[k]);
		}
	a->rule_n = calloc((size_t)rs->n + 1, sizeof *a->rule_n);
	a->rule_cost = calloc((size_t)rs->n + 1, sizeof *a->rule_cost);
	a->pools = calloc((size_t)rs->n + 1, sizeof *a->pools);
	if (a->rule_n == NULL || a->rule_cost == NULL || a->pools == NULL)
		goto oom;
	/* the values in the order the rules name them */
	for (int i = 0; i < rs->n; i++)
		if (!rs->rules[i].shared && value_index(a, rs->rules[i].name, 1) < 0)
			goto oom;
	for (int i = 0; i < a->nd; i++) {
		const struct drow *d = &a->d[i];
		if (strcmp(d->cur, a->cur) != 0)
			continue;
		a->grand += d->cost;
		if (d->rule < 0) {
			a->unalloc += d->cost;
			a->unalloc_n += d->n;
			continue;
		}
		a->rule_n[d->rule] += d->n;
		a->rule_cost[d->rule] += d->cost;
	}
	for (int i = 0; i < rs->n; i++) {
		const struct alloc_rule *r = &rs->rules[i];
		if (!r->shared) {
			struct aval *v = &a->v[value_index(a, r->name, 0)];
			v->direct += a->rule_cost[i];
			v->charges += a->rule_n[i];
		}
	}
	for (int i = 0; i < rs->n; i++) {
		struct pool *p;
		if (!rs->rules[i].shared || a->rule_n[i] == 0)
			continue;
		p = &a->pools[a->npools++];
		p->rule = i;
		p->cost = a->rule_cost[i];
		if (split_pool(a, rs, p) != 0)
			goto oom;
		if (p->parts == NULL) {
			char m[48];
			note(a, "shared cost '%s' (%s %s) is not split: %s; it is shown as a row of its own",
			     rs->rules[i].name, money_format_json(p->cost, m), a->cur, p->why);
		}
	}
	if (a->oom)
		goto oom;
	return 0;
oom:
	return ic_errorf(err, "out of memory");
}

const struct analyzer analyzer_allocation = {
	.name = "allocation",
	.summary = "cost per team, product or IM feature (--allocation FILE)",
	.query = alloc_query,
	.emit = alloc_emit,
	.free_findings = alloc_free,
};
