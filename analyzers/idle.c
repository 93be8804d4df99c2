/*
 * idle.c - idle resources and waste visible in the bill.
 *
 * From usage metrics (the analyzed period):
 *   instance      the rule of idle.h (after AWS Trusted Advisor's low
 *                 utilization check): daily CPU and network under the
 *                 thresholds on enough days;
 *   volume        disk_read_ops + disk_write_ops below
 *                 --idle-volume-ops per day on average (resources that
 *                 also have CPU metrics are instances, not volumes).
 * From the bill alone:
 *   elastic_ip    usage types *ElasticIP:IdleAddress / *PublicIPv4:IdleAddress;
 *   nat_gateway, load_balancer
 *                 traffic charges (NatGateway-Bytes, LCUUsage,
 *                 DataProcessing-Bytes) below --idle-traffic-share of the
 *                 hourly charge (NatGateway-Hours, LoadBalancerUsage);
 *   commitment    unused reservation hours / savings-plan commitment
 *                 (CommitmentDiscountStatus = 'Unused').
 * Each finding is priced from the bill: its effective cost in the period
 * and per month (cost / hours it was charged for x 730), NULL when the
 * bill does not carry the resource.
 *
 * JSON: idle[] with resource_id, kind, reason, monthly_cost, period_cost,
 * currency, region, instance_type, evidence.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/analyzer.h"
#include "analyzers/anutil.h"
#include "analyzers/idle.h"
#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/decimal.h"

void
idle_bind(sqlite3_stmt *st, int first, int64_t start, int64_t end, const struct analysis_opts *o)
{
	sqlite3_bind_int64(st, first, start);
	sqlite3_bind_int64(st, first + 1, end);
	sqlite3_bind_double(st, first + 2, o->idle_cpu_pct);
	sqlite3_bind_double(st, first + 3, o->idle_net_bytes);
	sqlite3_bind_int(st, first + 4, o->idle_min_days);
	sqlite3_bind_double(st, first + 5, o->idle_cpu_pct);
	sqlite3_bind_double(st, first + 6, o->idle_net_bytes);
	sqlite3_bind_double(st, first + 7, o->idle_share);
}

struct finding {
	char *id, *kind, *reason, *evidence, *region, *itype, *currency;
	int priced;
	int64_t period_cost, monthly_cost;
};

struct idle {
	struct finding *f;
	int n;
	int oom;
	const struct analysis_opts *o;
};

static void
idle_free(void *p)
{
	struct idle *s = p;

	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++) {
		struct finding *f = &s->f[i];
		free(f->id);
		free(f->kind);
		free(f->reason);
		free(f->evidence);
		free(f->region);
		free(f->itype);
		free(f->currency);
	}
	free(s->f);
	free(s);
}

static struct finding *
add(struct idle *s, const char *id, const char *kind, const char *reason, const char *evidence)
{
	struct finding *f = realloc(s->f, (size_t)(s->n + 1) * sizeof *f);

	if (f == NULL) {
		s->oom = 1;
		return NULL;
	}
	s->f = f;
	f = &s->f[s->n++];
	memset(f, 0, sizeof *f);
	f->id = strdup(id);
	f->kind = strdup(kind);
	f->reason = strdup(reason);
	f->evidence = strdup(evidence);
	if (!f->id || !f->kind || !f->reason || !f->evidence)
		s->oom = 1;
	return f;
}

static struct finding *
find(struct idle *s, const char *id)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->f[i].id, id) == 0)
			return &s->f[i];
	return NULL;
}

/* monthly cost: cost over the hours charged, times 730 */
static int64_t
monthly(int64_t cost, int64_t t0, int64_t t1)
{
	double hours = (double)(t1 - t0) / 3600.0;

	if (hours < 1)
		hours = 1;
	return an_nanos((double)cost * HOURS_PER_MONTH / hours);
}

static void
set_price(struct idle *s, struct finding *f, sqlite3_stmt *st, int col)
{
	/* col: region, itype, currency, cost, t0, t1 */
	f->region = an_col_strdup(st, col, &s->oom);
	f->itype = an_col_strdup(st, col + 1, &s->oom);
	f->currency = an_col_strdup(st, col + 2, &s->oom);
	f->period_cost = sqlite3_column_int64(st, col + 3);
	f->monthly_cost = monthly(f->period_cost, sqlite3_column_int64(st, col + 4),
				  sqlite3_column_int64(st, col + 5));
	f->priced = 1;
}

/* resource_id, days, low days, mean cpu, max daily net */
static int
instance_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	const struct analysis_opts *o = s->o;
	int days = sqlite3_column_int(st, 1), low = sqlite3_column_int(st, 2);
	char ev[256], reason[128];

	if (strcmp(an_col_text(st, 0), "service") == 0)
		return 0;
	if (low < o->idle_min_days || !((double)low > o->idle_share * days))
		return 0;
	snprintf(reason, sizeof reason, "CPU <= %g%% and network <= %g MB a day", o->idle_cpu_pct,
		 o->idle_net_bytes / 1e6);
	snprintf(ev, sizeof ev, "low on %d of %d days with metrics; mean CPU %.2f%%, busiest day's"
		 " network %.2f MB", low, days, sqlite3_column_double(st, 3),
		 sqlite3_column_double(st, 4) / 1e6);
	if (add(s, an_col_text(st, 0), "instance", reason, ev) == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* resource_id, days, ops */
static int
volume_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	int days = sqlite3_column_int(st, 1);
	double ops = sqlite3_column_double(st, 2);
	char ev[256], reason[128];

	if (days <= 0 || !(ops < s->o->idle_volume_ops_day * days))
		return 0;
	if (find(s, an_col_text(st, 0)))
		return 0;
	snprintf(reason, sizeof reason, "fewer than %g read/write operations a day",
		 s->o->idle_volume_ops_day);
	snprintf(ev, sizeof ev, "%.0f operations over %d days with metrics", ops, days);
	if (add(s, an_col_text(st, 0), "volume", reason, ev) == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* ResourceId, region, itype, currency, cost, t0, t1 */
static int
cost_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f = find(s, an_col_text(st, 0));

	if (f == NULL || f->priced)
		return 0;
	set_price(s, f, st, 1);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* ResourceId, region, itype, currency, cost, t0, t1, hours */
static int
eip_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	char ev[256];

	if (sqlite3_column_int64(st, 4) <= 0)
		return 0;
	snprintf(ev, sizeof ev, "%.0f hours billed as an address not attached to a running instance",
		 sqlite3_column_double(st, 7));
	f = add(s, an_col_text(st, 0), "elastic_ip", "public address allocated but not in use", ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	set_price(s, f, st, 1);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* ResourceId, region, itype(NULL), currency, cost, t0, t1, kind, hourly cost, traffic cost */
static int
netfix_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	int64_t fixed = sqlite3_column_int64(st, 8), traffic = sqlite3_column_int64(st, 9);
	int nat = sqlite3_column_int(st, 7);
	char ev[256], reason[128], a[48], b[48];

	if (fixed <= 0 || !((double)traffic < s->o->idle_traffic_share * (double)fixed))
		return 0;
	snprintf(reason, sizeof reason, "traffic charges below %g%% of the hourly charge",
		 100 * s->o->idle_traffic_share);
	snprintf(ev, sizeof ev, "hourly charges %s, traffic charges %s in the period",
		 money_format(fixed, 2, 1, a), money_format(traffic, 4, 1, b));
	f = add(s, an_col_text(st, 0), nat ? "nat_gateway" : "load_balancer", reason, ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	set_price(s, f, st, 1);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* id, region, type, currency, unused, t0, t1 */
static int
unused_row(void *arg, sqlite3_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	const char *type = an_col_text(st, 2);
	int sp = strstr(type, "Savings") != NULL || strstr(type, "savings") != NULL;
	char ev[256], a[48];

	snprintf(ev, sizeof ev, "%s of commitment paid for and not used in the period",
		 money_format(sqlite3_column_int64(st, 4), 2, 1, a));
	f = add(s, an_col_text(st, 0), "commitment",
		sp ? "unused savings plan commitment" : "unused reservation hours", ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	f->region = an_col_strdup(st, 1, &s->oom);
	f->currency = an_col_strdup(st, 3, &s->oom);
	f->period_cost = sqlite3_column_int64(st, 4);
	f->monthly_cost = monthly(f->period_cost, sqlite3_column_int64(st, 5),
				  sqlite3_column_int64(st, 6));
	f->priced = 1;
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

static int
run(const struct analysis_ctx *ctx, struct idle *s, const char *sql, int nts, int nperiod,
    int (*row)(void *, sqlite3_stmt *, struct ic_error *), const char *what,
    struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(ctx->db, sql, err);
	int i = 1;

	if (st == NULL)
		return -1;
	/* parameters: nperiod pairs of (start, end), then nts pairs of (start, end) */
	for (int k = 0; k < nperiod + nts; k++) {
		sqlite3_bind_int64(st, i++, ctx->start);
		sqlite3_bind_int64(st, i++, ctx->end);
	}
	return an_each_row(ctx->db, st, what, row, s, err);
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->priced != y->priced)
		return x->priced ? -1 : 1;
	if (x->monthly_cost != y->monthly_cost)
		return x->monthly_cost > y->monthly_cost ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
idle_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct idle *s = calloc(1, sizeof *s);
	sqlite3_stmt *st;
	int cut;

	if (s == NULL)
		return ic_errorf(err, "out of memory");
	s->o = analysis_opts(ctx);
	if (an_rollups(ctx->eng, err) != 0 || an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
		goto fail;

	/* instances: the usage rollup, unless a bound falls inside one of its days */
	if (!cut) {
		st = db_prepare(ctx->db,
			"SELECT resource_id, COUNT(*), SUM(" AN_LOW_DAY_SQL "), AVG(cpu_sum / cpu_n),"
			" MAX(net_sum) FROM rollup_usage_day WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0"
			" GROUP BY resource_id ORDER BY resource_id", err);
		if (st == NULL)
			goto fail;
		an_idle_bind_sqlite(st, ctx->start, ctx->end, s->o);
	} else {
		st = db_prepare(ctx->db,
			"SELECT resource_id, COUNT(*), SUM(" IDLE_LOW_DAY_SQL "), AVG(cpu), MAX(net)"
			" FROM " IDLE_DAYS_SQL " d WHERE cpu IS NOT NULL GROUP BY resource_id ORDER BY resource_id",
			err);
		if (st == NULL)
			goto fail;
		sqlite3_bind_double(st, 1, s->o->idle_cpu_pct);
		sqlite3_bind_double(st, 2, s->o->idle_net_bytes);
		sqlite3_bind_int64(st, 3, ctx->start);
		sqlite3_bind_int64(st, 4, ctx->end);
	}
	if (an_each_row(ctx->db, st, "summarizing instance metrics", instance_row, s, err) != 0)
		goto fail;

	/* volumes (resources with CPU metrics are instances) */
	if (!cut && run(ctx, s,
		"SELECT resource_id, COUNT(*), SUM(disk_sum) FROM rollup_usage_day"
		" WHERE " AN_USAGE_DAYS_IN " AND disk_n > 0"
		" AND resource_id NOT IN (SELECT resource_id FROM rollup_usage_day"
		"  WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0)"
		" GROUP BY resource_id ORDER BY resource_id", 1, 0, volume_row,
		"summarizing volume metrics", err) != 0)
		goto fail;
	if (cut && run(ctx, s,
		"SELECT resource_id, COUNT(DISTINCT ts - ts % 86400), SUM(value) FROM usage"
		" WHERE ts >= ? AND ts < ? AND metric IN ('disk_read_ops', 'disk_write_ops')"
		" AND resource_id NOT IN (SELECT resource_id FROM usage WHERE ts >= ? AND ts < ?"
		"  AND metric = 'cpu_utilization')"
		" GROUP BY resource_id ORDER BY resource_id", 2, 0, volume_row,
		"summarizing volume metrics", err) != 0)
		goto fail;

	/* price what the metrics flagged (all of them have metrics in the
	 * period, so only they find their row) */
	if (s->n > 0 && run(ctx, s,
		"SELECT ResourceId, MAX(RegionId), MAX(x_InstanceType), MAX(BillingCurrency),"
		" SUM(EffectiveCostNanos), MIN(min_start), MAX(max_end) FROM rollup_resource"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ChargeCategory = 'Usage'"
		" AND ResourceId IS NOT NULL"
		" GROUP BY ResourceId", 0, 1, cost_row, "pricing idle resources", err) != 0)
		goto fail;

	/* idle addresses */
	if (run(ctx, s,
		"SELECT ResourceId, MAX(RegionId), MAX(x_InstanceType), BillingCurrency,"
		" SUM(EffectiveCostNanos), MIN(min_start), MAX(max_end),"
		" SUM(ConsumedQuantity) FROM rollup_resource"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ? AND ChargeCategory = 'Usage'"
		" AND ResourceId IS NOT NULL AND (x_UsageType LIKE '%ElasticIP:IdleAddress%'"
		"  OR x_UsageType LIKE '%PublicIPv4:IdleAddress%')"
		" GROUP BY ResourceId, BillingCurrency ORDER BY ResourceId", 0, 1, eip_row,
		"finding idle addresses", err) != 0)
		goto fail;

	/* NAT gateways and load balancers carrying ~no traffic */
	if (run(ctx, s,
		"SELECT ResourceId, MAX(RegionId), NULL, BillingCurrency,"
		" SUM(EffectiveCostNanos), MIN(min_start), MAX(max_end),"
		" MAX(CASE WHEN x_UsageType LIKE '%NatGateway%' THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN x_UsageType LIKE '%NatGateway-Hours' OR x_UsageType LIKE '%LoadBalancerUsage'"
		"  THEN EffectiveCostNanos ELSE 0 END),"
		" SUM(CASE WHEN x_UsageType LIKE '%NatGateway-Hours' OR x_UsageType LIKE '%LoadBalancerUsage'"
		"  THEN 0 ELSE EffectiveCostNanos END)"
		" FROM rollup_resource WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" AND ChargeCategory = 'Usage' AND ResourceId IS NOT NULL"
		" AND (x_UsageType LIKE '%NatGateway-Hours' OR x_UsageType LIKE '%NatGateway-Bytes'"
		"  OR x_UsageType LIKE '%LoadBalancerUsage' OR x_UsageType LIKE '%LCUUsage'"
		"  OR x_UsageType LIKE '%DataProcessing-Bytes')"
		" GROUP BY ResourceId, BillingCurrency ORDER BY ResourceId", 0, 1, netfix_row,
		"finding idle gateways and load balancers", err) != 0)
		goto fail;

	/* unused commitments */
	if (run(ctx, s,
		"SELECT CommitmentDiscountId, MAX(RegionId), MAX(CommitmentDiscountType), BillingCurrency,"
		" SUM(EffectiveCostNanos), MIN(min_start), MAX(max_end) FROM rollup_daily"
		" WHERE BillingPeriodStart >= ? AND BillingPeriodStart < ?"
		" AND CommitmentDiscountStatus = 'Unused' AND CommitmentDiscountId IS NOT NULL"
		" GROUP BY CommitmentDiscountId, BillingCurrency HAVING SUM(EffectiveCostNanos) > 0"
		" ORDER BY CommitmentDiscountId", 0, 1, unused_row, "finding unused commitments", err) != 0)
		goto fail;

	if (s->oom) {
		ic_errorf(err, "out of memory");
		goto fail;
	}
	if (s->n > 1)
		qsort(s->f, (size_t)s->n, sizeof *s->f, cmp_finding);
	*out = s;
	return 0;
fail:
	idle_free(s);
	return -1;
}

static const struct table_col idle_cols[] = {
	{ "resource_id", "Resource", CELL_TEXT, 0 },
	{ "kind", "Kind", CELL_TEXT, 0 },
	{ "reason", "Why", CELL_TEXT, 0 },
	{ "monthly_cost", "Per month", CELL_MONEY, 0 },
	{ "period_cost", "In period", CELL_MONEY, 0 },
	{ "currency", "Cur", CELL_TEXT, 0 },
	{ "region", "Region", CELL_TEXT, 0 },
	{ "instance_type", "Type", CELL_TEXT, 0 },
	{ "evidence", "Evidence", CELL_TEXT, 0 },
};

static int
idle_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct idle *s = p;
	struct table *t = table_new("Idle resources and waste", idle_cols, 9);
	int bad = 0;

	(void)ctx;
	if (t == NULL)
		return ic_errorf(err, "out of memory");
	for (int i = 0; i < s->n; i++) {
		const struct finding *f = &s->f[i];
		int r = table_add_row(t);
		if (r < 0) {
			bad = 1;
			break;
		}
		bad |= table_set_text(t, r, 0, f->id) | table_set_text(t, r, 1, f->kind) |
		       table_set_text(t, r, 2, f->reason) | table_set_text(t, r, 5, f->currency) |
		       table_set_text(t, r, 6, f->region) | table_set_text(t, r, 7, f->itype) |
		       table_set_text(t, r, 8, f->evidence);
		if (f->priced) {
			table_set_money(t, r, 3, f->monthly_cost);
			table_set_money(t, r, 4, f->period_cost);
		}
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	if (e->fmt != FMT_JSON && e->fmt != FMT_CSV && s->n == 0) {
		emit_heading(e, "Idle resources and waste");
		emit_line(e, "Findings", "none");
	}
	if (e->fmt == FMT_JSON || s->n > 0)
		emit_table(e, t, NULL, "idle");
	table_free(t);
	return 0;
}

const struct analyzer analyzer_idle = {
	.name = "idle",
	.summary = "idle instances, volumes, addresses, gateways and unused commitments",
	.query = idle_query,
	.emit = idle_emit,
	.free_findings = idle_free,
};
