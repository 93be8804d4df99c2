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
#include "analyzers/columns.h"
#include "analyzers/anutil.h"
#include "analyzers/idle.h"
#include "analyzers/rollups.h"
#include "common/decimal.h"
#include "common/engine.h"

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
	/* coverage: bill instances and volumes, and those with metrics */
	long inst_eligible, inst_assessed, vol_eligible, vol_assessed;
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

/* col: region, itype, currency, cost, t0, t1; with typed = 0 there is no
 * itype column (region, currency, cost, t0, t1) and itype stays NULL */
static void
set_price(struct idle *s, struct finding *f, struct engine_stmt *st, int col, int typed)
{
	f->region = an_strdup(st, col, &s->oom);
	if (typed)
		f->itype = an_strdup(st, ++col, &s->oom);
	f->currency = an_strdup(st, col + 1, &s->oom);
	f->period_cost = engine_column_int64(st, col + 2);
	f->monthly_cost = monthly(f->period_cost, engine_column_int64(st, col + 3),
				  engine_column_int64(st, col + 4));
	f->priced = 1;
}

/* resource_id, days, low days, mean cpu, max daily net */
static int
instance_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	const struct analysis_opts *o = s->o;
	int days = (int)engine_column_int64(st, 1), low = (int)engine_column_int64(st, 2);
	char ev[256], reason[128];

	if (strcmp(an_text(st, 0), "service") == 0)
		return 0;
	double share = o->idle_window_days > 0 ? 0 : o->idle_share;

	if (low < o->idle_min_days || !((double)low > share * days))
		return 0;
	snprintf(reason, sizeof reason, "CPU <= %g%% and network <= %g MB a day", o->idle_cpu_pct,
		 o->idle_net_bytes / 1e6);
	snprintf(ev, sizeof ev, "low on %d of %s%d days with metrics; mean CPU %.2f%%, busiest day's"
		 " network %.2f MB", low, o->idle_window_days > 0 ? "the last " : "", days,
		 engine_column_double(st, 3), engine_column_double(st, 4) / 1e6);
	if (add(s, an_text(st, 0), "instance", reason, ev) == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* resource_id, days, ops */
static int
volume_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	int days = (int)engine_column_int64(st, 1);
	double ops = engine_column_double(st, 2);
	char ev[256], reason[128];

	if (days <= 0 || !(ops < s->o->idle_volume_ops_day * days))
		return 0;
	if (find(s, an_text(st, 0)))
		return 0;
	snprintf(reason, sizeof reason, "fewer than %g read/write operations a day",
		 s->o->idle_volume_ops_day);
	snprintf(ev, sizeof ev, "%.0f operations over %d days with metrics", ops, days);
	if (add(s, an_text(st, 0), "volume", reason, ev) == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	return 0;
}

/* ResourceId, region, itype, currency, cost, t0, t1 */
static int
cost_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f = find(s, an_text(st, 0));

	if (f == NULL || f->priced)
		return 0;
	set_price(s, f, st, 1, 1);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* ResourceId, region, itype, currency, cost, t0, t1, hours */
static int
eip_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	char ev[256];

	if (engine_column_int64(st, 4) <= 0)
		return 0;
	snprintf(ev, sizeof ev, "%.0f hours billed as an address not attached to a running instance",
		 engine_column_double(st, 7));
	f = add(s, an_text(st, 0), "elastic_ip", "public address allocated but not in use", ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	set_price(s, f, st, 1, 1);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* ResourceId, region, currency, cost, t0, t1, kind, hourly cost, traffic cost
 * (no instance type: it stays NULL) */
static int
netfix_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	int64_t fixed = engine_column_int64(st, 7), traffic = engine_column_int64(st, 8);
	int nat = (int)engine_column_int64(st, 6);
	char ev[256], reason[128], a[48], b[48];

	if (fixed <= 0 || !((double)traffic < s->o->idle_traffic_share * (double)fixed))
		return 0;
	snprintf(reason, sizeof reason, "traffic charges below %g%% of the hourly charge",
		 100 * s->o->idle_traffic_share);
	snprintf(ev, sizeof ev, "hourly charges %s, traffic charges %s in the period",
		 money_format(fixed, 2, 1, a), money_format(traffic, 4, 1, b));
	f = add(s, an_text(st, 0), nat ? "nat_gateway" : "load_balancer", reason, ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	set_price(s, f, st, 1, 0);
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* id, region, type, currency, unused, t0, t1 */
static int
unused_row(void *arg, struct engine_stmt *st, struct ic_error *err)
{
	struct idle *s = arg;
	struct finding *f;
	const char *type = an_text(st, 2);
	int sp = strstr(type, "Savings") != NULL || strstr(type, "savings") != NULL;
	char ev[256], a[48];

	snprintf(ev, sizeof ev, "%s of commitment paid for and not used in the period",
		 money_format(engine_column_int64(st, 4), 2, 1, a));
	f = add(s, an_text(st, 0), "commitment",
		sp ? "unused savings plan commitment" : "unused reservation hours", ev);
	if (f == NULL || s->oom)
		return ic_errorf(err, "out of memory");
	f->region = an_strdup(st, 1, &s->oom);
	f->currency = an_strdup(st, 3, &s->oom);
	f->period_cost = engine_column_int64(st, 4);
	f->monthly_cost = monthly(f->period_cost, engine_column_int64(st, 5),
				  engine_column_int64(st, 6));
	f->priced = 1;
	return s->oom ? ic_errorf(err, "out of memory") : 0;
}

/* Run sql on ctx's engine with ?1 = ctx->start, ?2 = ctx->end. */
static int
run(const struct analysis_ctx *ctx, struct idle *s, const char *sql,
    int (*row)(void *, struct engine_stmt *, struct ic_error *), const char *what,
    struct ic_error *err)
{
	struct engine_stmt *st = an_prepare(ctx, sql, err);

	if (st == NULL)
		return -1;
	engine_bind_int64(st, 1, ctx->start);
	engine_bind_int64(st, 2, ctx->end);
	return an_each(st, what, row, s, err);
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

/*
 * The usage-type tests below are case-insensitive for ASCII letters, as
 * SQLite's LIKE is, on every engine: $like_ci (engine.h) of the column
 * against a lower-case pattern.
 */
#define UT_EIP "($like_ci(x_UsageType, '%elasticip:idleaddress%')" \
	" OR $like_ci(x_UsageType, '%publicipv4:idleaddress%'))"
#define UT_HOURLY "($like_ci(x_UsageType, '%natgateway-hours')" \
	" OR $like_ci(x_UsageType, '%loadbalancerusage'))"
#define UT_NETFIX "(" UT_HOURLY " OR $like_ci(x_UsageType, '%natgateway-bytes')" \
	" OR $like_ci(x_UsageType, '%lcuusage') OR $like_ci(x_UsageType, '%dataprocessing-bytes'))"

static int
idle_query(const struct analysis_ctx *ctx, void **out, struct ic_error *err)
{
	struct idle *s = calloc(1, sizeof *s);
	struct engine_stmt *st;
	struct an_coverage cov;
	int cut;

	if (s == NULL)
		return ic_errorf(err, "out of memory");
	s->o = analysis_opts(ctx);
	if (an_rollups(ctx->eng, err) != 0 || an_usage_cut(ctx->eng, ctx->start, ctx->end, &cut, err) != 0)
		goto fail;

	/* instances: the usage rollup, unless a bound falls inside one of its
	 * days (both bound ?1..?4 as an_idle_bind does) */
	st = an_prepare(ctx, !cut ?
		"SELECT resource_id, COUNT(*) AS days, SUM(" AN_LOW_DAY_SQL ") AS low,"
		" AVG(cpu_sum / cpu_n) AS mean_cpu, MAX(net_sum) AS top_net FROM rollup_usage_day"
		" WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0" AN_IDLE_WINDOW_SQL
		" GROUP BY resource_id ORDER BY resource_id" :
		"SELECT resource_id, COUNT(*) AS days, SUM(" IDLE_LOW_DAY_SQL ") AS low,"
		" AVG(cpu) AS mean_cpu, MAX(net) AS top_net FROM " IDLE_DAYS_SQL " d"
		" WHERE cpu IS NOT NULL GROUP BY resource_id ORDER BY resource_id", err);
	if (st == NULL)
		goto fail;
	an_idle_bind(st, ctx->start, ctx->end, s->o);
	if (an_each(st, "summarizing instance metrics", instance_row, s, err) != 0)
		goto fail;

	/* what the metrics cover: instances with CPU and network samples,
	 * volumes with disk operations */
	if (an_metric_coverage(ctx, &cov, err) != 0)
		goto fail;
	s->inst_eligible = cov.instances;
	s->inst_assessed = cov.inst_cpu_net;
	s->vol_eligible = cov.volumes;
	s->vol_assessed = cov.vol_disk;

	/* volumes (resources with CPU metrics are instances) */
	if (run(ctx, s, !cut ?
		"SELECT resource_id, COUNT(*) AS days, SUM(disk_sum) AS ops FROM rollup_usage_day"
		" WHERE " AN_USAGE_DAYS_IN " AND disk_n > 0"
		" AND resource_id NOT IN (SELECT resource_id FROM rollup_usage_day"
		"  WHERE " AN_USAGE_DAYS_IN " AND cpu_n > 0)"
		" GROUP BY resource_id ORDER BY resource_id" :
		"SELECT resource_id, COUNT(DISTINCT ts - ts % 86400) AS days, SUM(value) AS ops FROM usage"
		" WHERE ts >= ?1 AND ts < ?2 AND metric IN ('disk_read_ops', 'disk_write_ops')"
		" AND resource_id NOT IN (SELECT resource_id FROM usage WHERE ts >= ?1 AND ts < ?2"
		"  AND metric = 'cpu_utilization')"
		" GROUP BY resource_id ORDER BY resource_id", volume_row,
		"summarizing volume metrics", err) != 0)
		goto fail;

	/* price what the metrics flagged (all of them have metrics in the
	 * period, so only they find their row; one row per resource, in any
	 * order) */
	if (s->n > 0 && run(ctx, s,
		"SELECT ResourceId, MAX(RegionId) AS region, MAX(x_InstanceType) AS itype,"
		" MAX(BillingCurrency) AS currency, SUM(EffectiveCostNanos) AS cost,"
		" MIN(min_start) AS t0, MAX(max_end) AS t1 FROM rollup_resource"
		" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'"
		" AND ResourceId IS NOT NULL"
		" GROUP BY ResourceId", cost_row, "pricing idle resources", err) != 0)
		goto fail;

	/* idle addresses */
	if (run(ctx, s,
		"SELECT ResourceId, MAX(RegionId) AS region, MAX(x_InstanceType) AS itype, BillingCurrency,"
		" SUM(EffectiveCostNanos) AS cost, MIN(min_start) AS t0, MAX(max_end) AS t1,"
		" SUM(ConsumedQuantity) AS hours FROM rollup_resource"
		" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2 AND ChargeCategory = 'Usage'"
		" AND ResourceId IS NOT NULL AND " UT_EIP
		" GROUP BY ResourceId, BillingCurrency ORDER BY ResourceId, BillingCurrency", eip_row,
		"finding idle addresses", err) != 0)
		goto fail;

	/* NAT gateways and load balancers carrying ~no traffic */
	if (run(ctx, s,
		"SELECT ResourceId, MAX(RegionId) AS region, BillingCurrency,"
		" SUM(EffectiveCostNanos) AS cost, MIN(min_start) AS t0, MAX(max_end) AS t1,"
		" MAX(CASE WHEN $like_ci(x_UsageType, '%natgateway%') THEN 1 ELSE 0 END) AS nat,"
		" SUM(CASE WHEN " UT_HOURLY " THEN EffectiveCostNanos ELSE 0 END) AS hourly_cost,"
		" SUM(CASE WHEN " UT_HOURLY " THEN 0 ELSE EffectiveCostNanos END) AS traffic_cost"
		" FROM rollup_resource WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2"
		" AND ChargeCategory = 'Usage' AND ResourceId IS NOT NULL AND " UT_NETFIX
		" GROUP BY ResourceId, BillingCurrency ORDER BY ResourceId, BillingCurrency", netfix_row,
		"finding idle gateways and load balancers", err) != 0)
		goto fail;

	/* unused commitments */
	if (run(ctx, s,
		"SELECT CommitmentDiscountId, MAX(RegionId) AS region, MAX(CommitmentDiscountType) AS ctype,"
		" BillingCurrency, SUM(EffectiveCostNanos) AS unused_cost, MIN(min_start) AS t0,"
		" MAX(max_end) AS t1 FROM rollup_daily"
		" WHERE BillingPeriodStart >= ?1 AND BillingPeriodStart < ?2"
		" AND CommitmentDiscountStatus = 'Unused' AND CommitmentDiscountId IS NOT NULL"
		" GROUP BY CommitmentDiscountId, BillingCurrency HAVING SUM(EffectiveCostNanos) > 0"
		" ORDER BY CommitmentDiscountId, BillingCurrency", unused_row,
		"finding unused commitments", err) != 0)
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

const struct table_colset idle_columns = { idle_cols, (int)(sizeof idle_cols / sizeof idle_cols[0]) };

/* the finding as a saving of the analyze block (output/savings.h) */
static void
idle_saving(struct emitter *e, const struct finding *f)
{
	char act[200];
	int unused = strcmp(f->kind, "commitment") == 0;

	if (strcmp(f->kind, "instance") == 0)
		snprintf(act, sizeof act, "stop the idle %s in %s", f->itype ? f->itype : "instance",
			 f->region ? f->region : "its region");
	else if (strcmp(f->kind, "volume") == 0)
		snprintf(act, sizeof act, "snapshot and delete the unused volume");
	else if (strcmp(f->kind, "elastic_ip") == 0)
		snprintf(act, sizeof act, "release the unused address");
	else if (strcmp(f->kind, "nat_gateway") == 0)
		snprintf(act, sizeof act, "remove the idle NAT gateway");
	else if (strcmp(f->kind, "load_balancer") == 0)
		snprintf(act, sizeof act, "remove the idle load balancer");
	else if (unused)
		snprintf(act, sizeof act, "move usage onto (or sell) the unused commitment");
	else
		snprintf(act, sizeof act, "remove the idle %s", f->kind);
	emit_saving(e, unused ? SAV_UNUSED_COMMITMENTS : SAV_IDLE, f->currency, f->monthly_cost, f->id,
		    NULL, act);
}

static int
idle_emit(const struct analysis_ctx *ctx, const void *p, struct emitter *e, struct ic_error *err)
{
	const struct idle *s = p;
	struct table *t = table_new("Idle resources and waste", idle_cols, 9);
	int bad = 0;

	(void)ctx;
	static const int prio[9] = { 0, 0, 1, 0, 3, 0, 2, 2, 4 };

	if (t == NULL || table_set_prio(t, prio) != 0 || table_sum_col(t, 3) != 0 ||
	    table_sum_col(t, 4) != 0) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
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
			idle_saving(e, f);
		}
	}
	if (bad) {
		table_free(t);
		return ic_errorf(err, "out of memory");
	}
	if (e->fmt != FMT_JSON && e->fmt != FMT_CSV && s->n == 0) {
		char line[200];
		emit_heading(e, "Idle resources and waste");
		emit_line(e, "Findings", "none among what was assessed");
		if (s->inst_assessed < s->inst_eligible || s->vol_assessed < s->vol_eligible) {
			snprintf(line, sizeof line, "%ld of %ld instances and %ld of %ld volumes (no usage"
				 " metrics: see Not assessed)", s->inst_eligible - s->inst_assessed,
				 s->inst_eligible, s->vol_eligible - s->vol_assessed, s->vol_eligible);
			emit_line(e, "Not assessed", line);
		}
	}
	emit_assessment(e, "idle", "instance", s->inst_eligible, s->inst_assessed,
			"no cpu_utilization, or no network_in_bytes/network_out_bytes, samples in the period",
			"import CPUUtilization and NetworkIn/NetworkOut for these instances (CloudWatch;"
			" Azure Percentage CPU, Network In/Out Total; GCP instance/cpu/utilization,"
			" network/*_bytes_count): imcost formats lists the names");
	emit_assessment(e, "idle", "volume", s->vol_eligible, s->vol_assessed,
			"no disk_read_ops/disk_write_ops samples in the period",
			"import VolumeReadOps and VolumeWriteOps for these volumes (CloudWatch AWS/EBS;"
			" Azure Disk Read/Write Operations/Sec; GCP disk/read_ops_count, write_ops_count)");
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
