/*
 * test_analyzers.c - Check unit tests for the analyses in analyzers/ on
 * small planted fixtures: a fresh database per test, charges and usage
 * rows inserted with SQL, the analyzer run into a JSON emitter and the
 * document inspected.  Every expected number is computed in the test from
 * the planted data (brute force over k for the commitment count, by hand
 * for the rest), never copied from the program's output.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/analyzer.h"
#include "analyzers/catalog.h"
#include "analyzers/commitments.h"
#include "analyzers/sizeflex.h"
#include "analyzers/options.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/timeparse.h"

/* 2026-03-01 00:00:00 UTC, a Sunday: the start of a 31-day month */
#define MONTH0 1772323200LL
#define DAY 86400LL

static char dbpath[64];
static sqlite3 *db;
static struct catalog *cat;
static struct analysis_opts opts;

static void
setup(void)
{
	struct ic_error err;
	int fd;

	snprintf(dbpath, sizeof dbpath, "/tmp/imcost-test-XXXXXX");
	fd = mkstemp(dbpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(dbpath);
	db = db_open(dbpath, DB_WRITE, &err);
	ck_assert_msg(db != NULL, "db_open: %s", err.msg);
	cat = catalog_new();
	ck_assert_ptr_nonnull(cat);
	analysis_opts_default(&opts);
}

static void
teardown(void)
{
	char p[96];

	db_close(db);
	catalog_free(cat);
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

static void
exec(const char *sql)
{
	char *msg = NULL;
	int r = sqlite3_exec(db, sql, NULL, NULL, &msg);

	ck_assert_msg(r == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

/* One charge row.  pricing: 'Standard' / 'Committed'; status may be NULL. */
static void
charge(int64_t t0, int64_t t1, const char *resource, const char *itype, const char *region,
       const char *pricing, const char *status, const char *cd_id, const char *usage_type,
       double qty, int64_t effective_nanos, const char *service)
{
	sqlite3_stmt *st;
	int r = sqlite3_prepare_v2(db,
		"INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos,"
		" ConsumedQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart,"
		" BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, ChargeCategory,"
		" PricingCategory, CommitmentDiscountStatus, CommitmentDiscountId,"
		" CommitmentDiscountType, ServiceName, RegionId, ResourceId, x_InstanceType,"
		" x_UsageType, x_Platform)"
		" VALUES(1, 1, ?, ?, ?, ?, ?, ?, ?, 'USD', 'AWS', '111', 'Usage', ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, 'Linux')", -1, &st, NULL);
	int64_t ms, me;

	ck_assert_int_eq(r, SQLITE_OK);
	ms = month_start(t0);
	me = month_next(t0);
	sqlite3_bind_int64(st, 1, effective_nanos);
	sqlite3_bind_int64(st, 2, effective_nanos);
	sqlite3_bind_double(st, 3, qty);
	sqlite3_bind_int64(st, 4, t0);
	sqlite3_bind_int64(st, 5, t1);
	sqlite3_bind_int64(st, 6, ms);
	sqlite3_bind_int64(st, 7, me);
	sqlite3_bind_text(st, 8, pricing, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, cd_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, cd_id ? "Reservation" : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, service ? service : "Amazon Elastic Compute Cloud", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, itype, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, usage_type, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* An on-demand instance-hour of m6i.large in us-east-1 at 0.096. */
static void
od_hour(int64_t t, const char *resource)
{
	charge(t, t + 3600, resource, "m6i.large", "us-east-1", "Standard", NULL, NULL,
	       "BoxUsage:m6i.large", 1.0, 96000000, NULL);
}

static void
metric(const char *resource, int64_t ts, const char *name, double value)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db,
		"INSERT INTO usage(resource_id, ts, metric, value, import_id) VALUES(?, ?, ?, ?, 1)",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, resource, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, value);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Run one analyzer over [start, end) into a JSON root (caller frees). */
static cJSON *
run_json(const char *name, int64_t start, int64_t end)
{
	const struct analyzer *a = analyzer_find(name);
	struct analysis_ctx ctx;
	struct emitter e;
	struct ic_error err;
	cJSON *root;
	FILE *devnull = fopen("/dev/null", "w");

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(devnull);
	memset(&ctx, 0, sizeof ctx);
	ctx.eng = engine_wrap_sqlite(db);
	ck_assert_ptr_nonnull(ctx.eng);
	ctx.start = start;
	ctx.end = end;
	ctx.opts = &opts;
	ctx.catalog = cat;
	ck_assert_int_eq(emit_begin(&e, devnull, FMT_JSON), 0);
	ck_assert_msg(analyzer_run(a, &ctx, &e, &err) == 0, "%s: %s", name, err.msg);
	engine_close(ctx.eng);
	root = e.root;
	e.root = NULL;
	emit_free(&e);
	fclose(devnull);
	return root;
}

static void
load_catalog(const char *json)
{
	struct ic_error err;

	ck_assert_msg(catalog_merge_json(cat, json, strlen(json), "test", &err) == 0, "%s", err.msg);
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	/* tables put numbers in as raw JSON text (exact decimals) */
	if (cJSON_IsRaw(v) && v->valuestring && strcmp(v->valuestring, "null") != 0)
		return strtod(v->valuestring, NULL);
	ck_assert_msg(cJSON_IsNumber(v), "key %s is not a number", key);
	return v->valuedouble;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *
path(const cJSON *root, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, a);

	ck_assert_msg(v != NULL, "no key %s", a);
	if (b) {
		v = cJSON_GetObjectItemCaseSensitive(v, b);
		ck_assert_msg(v != NULL, "no key %s.%s", a, b);
	}
	return v;
}

/* the offers[] row for a term and payment, or NULL */
static const cJSON *
offer(const cJSON *root, const char *term, const char *payment)
{
	const cJSON *arr = path(root, "commitments", "offers"), *it;

	cJSON_ArrayForEach(it, arr)
		if (strcmp(str(it, "term"), term) == 0 && strcmp(str(it, "payment"), payment) == 0)
			return it;
	return NULL;
}

/* brute force: the k in [0, kmax] maximizing sum_h p*min(u,k) - k*c*H,
 * the largest on ties (integers in nanos: exact) */
static long
brute_k(const int *u, int n, int64_t p, int64_t c_num, int64_t c_den, int64_t *best_value)
{
	long best = 0, kmax = 0;
	/* value scaled by c_den to stay in integers */
	int64_t bestv = 0;

	for (int h = 0; h < n; h++)
		if (u[h] > kmax)
			kmax = u[h];
	for (long k = 0; k <= kmax; k++) {
		int64_t v = 0;
		for (int h = 0; h < n; h++)
			v += p * c_den * (u[h] < k ? u[h] : k);
		v -= k * c_num * n;
		if (k == 0 || v >= bestv) {
			bestv = v;
			best = k;
		}
	}
	*best_value = bestv;
	return best;
}

static const char *catalog_m6i =
	"{\"compute\":[{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":\"m6i.large\","
	"\"platform\":\"Linux/UNIX\",\"on_demand_hourly\":\"0.096\",\"vcpu\":2,\"memory_gib\":8,"
	"\"commitments\":[{\"term\":\"1y\",\"payment\":\"no_upfront\",\"hourly\":\"0.06\"},"
	"{\"term\":\"1y\",\"payment\":\"all_upfront\",\"upfront\":\"438\"},"
	"{\"term\":\"3y\",\"payment\":\"no_upfront\",\"hourly\":\"0.04\"}]}]}";

/* A fleet of 3 always-on instances plus a diurnal part of 0..6 instances
 * (a triangle over the day), for 14 days: the planted u_h. */
static int
plant_fleet(int *u, int days)
{
	int n = 0;
	char id[32];

	for (int d = 0; d < days; d++)
		for (int hr = 0; hr < 24; hr++) {
			int extra = hr < 12 ? hr / 2 : (23 - hr) / 2;	/* 0..5 */
			int64_t t = MONTH0 + d * DAY + hr * 3600;
			u[n++] = 3 + extra;
			for (int i = 0; i < 3 + extra; i++) {
				snprintf(id, sizeof id, "i-%02d", i);
				od_hour(t, id);
			}
		}
	return n;
}

START_TEST(test_commit_optimal_count_planted)
{
	int u[14 * 24];
	int n = plant_fleet(u, 14);
	int64_t bv;
	long want_nu, want_au, want_3y;
	const cJSON *o;
	cJSON *root;
	/* 1y no upfront: c = 0.06; 1y all upfront: c = 438 / 8760 = 0.05 */
	want_nu = brute_k(u, n, 96000000, 60000000, 1, &bv);
	want_au = brute_k(u, n, 96000000, 438000000000LL, 8760, &bv);
	want_3y = brute_k(u, n, 96000000, 40000000, 1, &bv);

	load_catalog(catalog_m6i);
	opts.term_mask = (1u << NTERMS) - 1;
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	o = offer(root, "1y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), want_nu);
	o = offer(root, "1y", "all_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), want_au);
	ck_assert(fabs(num(o, "upfront") - 438.0 * want_au) < 1e-6);
	ck_assert(fabs(num(o, "break_even_utilization") - 0.05 / 0.096) < 1e-6);
	o = offer(root, "3y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), want_3y);
	/* the brute-force value of the 1y no-upfront optimum, per 730 hours */
	{
		int64_t v;
		long k = brute_k(u, n, 96000000, 60000000, 1, &v);
		double monthly = (double)v / 1e9 * 730.0 / n;
		o = offer(root, "1y", "no_upfront");
		ck_assert(k > 3);	/* the always-on part is always worth it */
		ck_assert_msg(fabs(num(o, "monthly_savings") - monthly) < 2e-6,
			      "savings %f want %f", num(o, "monthly_savings"), monthly);
		ck_assert(fabs(num(o, "committed_monthly") - 0.06 * 730 * k) < 1e-6);
	}
	/* the recommendation is the offer with the most savings: 3y no upfront */
	{
		const cJSON *recs = path(root, "commitments", "recommendations");
		ck_assert_int_eq(cJSON_GetArraySize(recs), 1);
		o = cJSON_GetArrayItem(recs, 0);
		ck_assert_str_eq(str(o, "term"), "3y");
		ck_assert_str_eq(str(o, "region"), "us-east-1");
		ck_assert_str_eq(str(o, "instance_type"), "m6i.large");
		ck_assert_int_eq((long)num(o, "count"), want_3y);
	}
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_default_terms_and_idle_excluded)
{
	int u[14 * 24];
	int n = plant_fleet(u, 14);
	int64_t bv;
	long want;
	cJSON *root;
	const cJSON *recs, *o;

	/* two more always-on instances, idle by their metrics: not committed to */
	for (int d = 0; d < 14; d++)
		for (int hr = 0; hr < 24; hr++) {
			int64_t t = MONTH0 + d * DAY + hr * 3600;
			od_hour(t, "i-idle1");
			od_hour(t, "i-idle2");
			metric("i-idle1", t, "cpu_utilization", 1.5);
			metric("i-idle1", t, "network_out_bytes", 1000);
			metric("i-idle2", t, "cpu_utilization", 2.5);
			metric("i-idle2", t, "network_in_bytes", 2000);
		}
	want = brute_k(u, n, 96000000, 438000000000LL, 8760, &bv);	/* best 1y: all upfront */
	load_catalog(catalog_m6i);
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_ptr_null(offer(root, "3y", "no_upfront"));	/* default terms: 1y, 1m */
	recs = path(root, "commitments", "recommendations");
	ck_assert_int_eq(cJSON_GetArraySize(recs), 1);
	o = cJSON_GetArrayItem(recs, 0);
	ck_assert_str_eq(str(o, "term"), "1y");
	ck_assert_str_eq(str(o, "payment"), "all_upfront");
	ck_assert_int_eq((long)num(o, "count"), want);
	cJSON_Delete(root);

	/* and the idle analysis flags exactly those two */
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	{
		const cJSON *arr = path(root, "idle", NULL), *it;
		int found = 0;
		cJSON_ArrayForEach(it, arr) {
			ck_assert_str_eq(str(it, "kind"), "instance");
			ck_assert(strncmp(str(it, "resource_id"), "i-idle", 6) == 0);
			/* 14 days x 24 h x 0.096 over 336 h -> 730 h a month */
			ck_assert(fabs(num(it, "monthly_cost") - 0.096 * 730) < 1e-6);
			ck_assert(fabs(num(it, "period_cost") - 0.096 * 336) < 1e-6);
			found++;
		}
		ck_assert_int_eq(found, 2);
	}
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_exactly_at_break_even)
{
	/* 7 days: 2 instances for the first 84 hours, 1 for the next 84.
	 * c/p = 0.048/0.096 = 0.5 and the hours with u >= 2 are exactly half
	 * of the window: the second unit breaks even, and ties count, so
	 * k = 2 (the largest optimum). */
	cJSON *root;
	const cJSON *o;

	for (int h = 0; h < 168; h++) {
		int64_t t = MONTH0 + h * 3600LL;
		od_hour(t, "i-a");
		if (h < 84)
			od_hour(t, "i-b");
	}
	load_catalog("{\"compute\":[{\"provider\":\"Amazon Web Services\",\"region\":\"us-east-1\","
		     "\"instance_type\":\"m6i.large\",\"platform\":\"Linux\",\"on_demand_hourly\":0.096,"
		     "\"commitments\":[{\"term\":\"1y\",\"payment\":\"no_upfront\",\"hourly\":0.048}]}]}");
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	o = offer(root, "1y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), 2);
	ck_assert(fabs(num(o, "break_even_utilization") - 0.5) < 1e-9);
	/* savings: unit 1 saves (0.096 - 0.048) x 168 h, unit 2 saves 0 */
	ck_assert(fabs(num(o, "monthly_savings") - 0.048 * 730) < 1e-6);
	cJSON_Delete(root);

	/* one hour less with two instances: the second unit no longer pays */
	exec("DELETE FROM charges WHERE ResourceId = 'i-b' AND ChargePeriodStart = "
	     "(SELECT MAX(ChargePeriodStart) FROM charges WHERE ResourceId = 'i-b')");
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	o = offer(root, "1y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), 1);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_edge_cases)
{
	cJSON *root;

	load_catalog(catalog_m6i);
	/* no data at all */
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "recommendations")), 0);
	ck_assert_int_ge(cJSON_GetArraySize(path(root, "commitments", "notes")), 1);
	cJSON_Delete(root);

	/* one day of always-on usage: too short a window for advice */
	for (int h = 0; h < 24; h++)
		od_hour(MONTH0 + h * 3600LL, "i-a");
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "recommendations")), 0);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "offers")), 0);
	ck_assert(strstr(cJSON_GetArrayItem(path(root, "commitments", "notes"), 0)->valuestring,
			 "shorter than 7") != NULL);
	cJSON_Delete(root);

	/* ... which --commit-min-days 1 accepts */
	opts.commit_min_days = 1;
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "recommendations")), 1);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_zero_on_demand_and_existing)
{
	/* a week fully covered by one reservation: no on-demand usage, so no
	 * advice; the reservation's utilization is used / (used + unused) */
	cJSON *root;
	const cJSON *x;

	for (int h = 0; h < 168; h++)
		charge(MONTH0 + h * 3600LL, MONTH0 + h * 3600LL + 3600, "i-a", "m6i.large", "us-east-1",
		       "Committed", "Used", "ri-1", "BoxUsage:m6i.large", 1.0, 60000000, NULL);
	/* 56 unused reserved hours at 0.06 */
	charge(MONTH0, MONTH0 + 7 * DAY, "ri-1", "m6i.large", "us-east-1", "Committed", "Unused",
	       "ri-1", "HeavyUsage:m6i.large", 0, 56 * 60000000LL, NULL);
	load_catalog(catalog_m6i);
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "recommendations")), 0);
	x = cJSON_GetArrayItem(path(root, "commitments", "existing"), 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(str(x, "commitment_id"), "ri-1");
	ck_assert(fabs(num(x, "utilization") - 168.0 / 224.0) < 1e-6);
	ck_assert(fabs(num(x, "unused_cost") - 56 * 0.06) < 1e-9);
	ck_assert(fabs(num(x, "covered_hours") - 168) < 1e-9);
	ck_assert(fabs(num(path(root, "commitments", "coverage"), "coverage") - 1.0) < 1e-12);
	cJSON_Delete(root);

	/* the idle analysis reports the unused hours as waste */
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	x = cJSON_GetArrayItem(path(root, "idle", NULL), 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(str(x, "kind"), "commitment");
	ck_assert(fabs(num(x, "period_cost") - 3.36) < 1e-9);
	/* 3.36 over 168 charged hours -> per 730 hours */
	ck_assert(fabs(num(x, "monthly_cost") - 3.36 * 730 / 168) < 1e-6);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_daily_lines_not_assessed)
{
	/* a daily bill: one line per day carrying 48 instance-hours, for 10
	 * days: 2 instances all day, or 4 for half of it; nothing says which,
	 * so no purchase is sized on it and a note says why */
	cJSON *root;
	const cJSON *n, *it;
	int found = 0;

	for (int d = 0; d < 10; d++)
		charge(MONTH0 + d * DAY, MONTH0 + (d + 1) * DAY, NULL, "m6i.large", "us-east-1",
		       "Standard", NULL, NULL, "BoxUsage:m6i.large", 48.0, 48 * 96000000LL, NULL);
	load_catalog(catalog_m6i);
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_ptr_null(offer(root, "1y", "no_upfront"));
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "commitments", "recommendations")), 0);
	n = path(root, "commitments", "notes");
	cJSON_ArrayForEach(it, n)
		if (cJSON_IsString(it) && strstr(it->valuestring, "m6i.large") &&
		    strstr(it->valuestring, "480.0 on-demand instance hours") &&
		    strstr(it->valuestring, "export the CUR with hourly granularity"))
			found = 1;
	ck_assert_int_eq(found, 1);
	/* its hours still count in coverage */
	ck_assert(fabs(num(path(root, "commitments", "coverage"), "eligible_hours") - 480) < 1e-9);
	cJSON_Delete(root);
}
END_TEST

/* AWS's normalization factors (sizeflex.h) */
START_TEST(test_sizeflex_factor)
{
	static const struct { const char *t; double f; } cases[] = {
		{ "t3.nano", 0.25 }, { "t3.micro", 0.5 }, { "t3.small", 1 }, { "t3.medium", 2 },
		{ "m5.large", 4 }, { "m5.xlarge", 8 }, { "m5.2xlarge", 16 }, { "m5.24xlarge", 192 },
		{ "m5.metal", 0 }, { "m5", 0 }, { "Standard_D2s_v3", 0 }, { ".large", 0 },
		{ "m5.0xlarge", 0 }, { "m5.2large", 0 },
	};
	char fam[64];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(sizeflex_factor(cases[i].t) == cases[i].f, "%s", cases[i].t);
	ck_assert_int_eq(sizeflex_applies("AWS", "Linux/UNIX", "m5.xlarge", fam, sizeof fam), 1);
	ck_assert_str_eq(fam, "m5");
	ck_assert_int_eq(sizeflex_applies("Amazon Web Services", NULL, "c6g.large", fam, sizeof fam), 1);
	ck_assert_int_eq(sizeflex_applies("AWS", "Windows", "m5.xlarge", fam, sizeof fam), 0);
	ck_assert_int_eq(sizeflex_applies("Microsoft", "Linux", "m5.xlarge", fam, sizeof fam), 0);
	ck_assert_int_eq(sizeflex_applies("AWS", "Linux", "m5.metal", fam, sizeof fam), 0);
	{
		/* a factor from instance_types (the CUR's NormalizationFactor) */
		char *types[] = { "m5.metal" };
		double fs[] = { 192 };
		struct sizeflex_table t = { types, fs, 1 };
		ck_assert(sizeflex_factor_in(&t, "m5.metal") == 192);
		ck_assert(sizeflex_factor_in(&t, "m5.xlarge") == 8);	/* the fixed table first */
		ck_assert(sizeflex_factor_in(&t, "c5.metal") == 0);
		ck_assert(sizeflex_factor_in(NULL, "m5.metal") == 0);
		ck_assert_int_eq(sizeflex_applies_in(&t, "AWS", "Linux", "m5.metal", fam, sizeof fam), 1);
		ck_assert_str_eq(fam, "m5");
		/* dedicated tenancy is not size flexible */
		ck_assert_int_eq(sizeflex_applies_in(&t, "AWS", "Linux (Dedicated)", "m5.metal", fam,
						     sizeof fam), 0);
	}
}
END_TEST

START_TEST(test_commit_lookback)
{
	/* 14 days of one instance, a second one in the last 4 days */
	cJSON *root;
	const cJSON *o;

	for (int h = 0; h < 14 * 24; h++) {
		od_hour(MONTH0 + h * 3600LL, "i-a");
		if (h >= 10 * 24)
			od_hour(MONTH0 + h * 3600LL, "i-b");
	}
	load_catalog(catalog_m6i);
	opts.commit_min_days = 1;
	/* the last 4 days: two instances all the time */
	opts.lookback_days = 4;
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(fabs(num(path(root, "commitments", "window"), "hours") - 96) < 1e-9);
	o = offer(root, "1y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), 2);
	cJSON_Delete(root);
	/* 60 days asked, 14 in the database: the window starts at the data;
	 * two instances 96 of 336 hours < 0.625: one unit */
	opts.lookback_days = 60;
	root = run_json("commitments", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(fabs(num(path(root, "commitments", "window"), "hours") - 336) < 1e-9);
	o = offer(root, "1y", "no_upfront");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((long)num(o, "count"), 1);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_commit_optimal_spend_uniform)
{
	/* with one rate ratio r = w/o for every hour, the optimum is the
	 * ceil(r*H)-th largest hourly w */
	double w[100], o[100], cov;
	double X;

	for (int h = 0; h < 100; h++) {
		w[h] = (double)((h * 37) % 100 + 1);	/* a permutation of 1..100 */
		o[h] = w[h] / 0.6;
	}
	X = commit_optimal_spend(w, o, 100, 100, &cov);
	/* 60 hours at least X: X = 41 (values 41..100) */
	ck_assert(fabs(X - 41) < 1e-9);
	{
		double want = 0;
		for (int h = 0; h < 100; h++)
			want += (w[h] < 41 ? w[h] : 41) / 0.6;
		ck_assert(fabs(cov - want) < 1e-6);
	}
	/* a rate no better than on demand: nothing */
	for (int h = 0; h < 100; h++)
		o[h] = w[h];
	ck_assert(commit_optimal_spend(w, o, 100, 200, &cov) == 0);
}
END_TEST

START_TEST(test_catalog_merge)
{
	struct ic_error err;
	const struct catalog_entry *e;
	const char *bad_key = "{\"compute\":[{\"provider\":\"AWS\",\"region\":\"us-east-1\","
			      "\"instance_type\":\"m5.large\",\"platform\":\"Linux\"}]}";
	const char *bad_term = "{\"compute\":[{\"provider\":\"AWS\",\"region\":\"r\",\"instance_type\":"
			       "\"t\",\"platform\":\"Linux\",\"on_demand_hourly\":1,\"commitments\":"
			       "[{\"term\":\"2y\",\"payment\":\"no_upfront\",\"hourly\":0.5}]}]}";

	ck_assert_int_eq(catalog_load_builtin(cat, &err), 0);
	e = catalog_find(cat, "AWS", "us-east-1", "t3.medium", "Linux/UNIX");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->on_demand_hourly, 41600000);
	ck_assert_ptr_nonnull(e->source);
	ck_assert_ptr_nonnull(e->as_of);
	/* every built-in entry has a source and a date */
	for (int i = 0; i < cat->n; i++)
		ck_assert_msg(cat->e[i].source && cat->e[i].as_of, "entry %d", i);
	/* a user entry replaces the built-in one whole; unknown keys ignored */
	load_catalog("{\"compute\":[{\"provider\":\"aws\",\"region\":\"US-EAST-1\",\"instance_type\":"
		     "\"t3.medium\",\"platform\":\"linux\",\"on_demand_hourly\":\"0.04\",\"zone\":\"x\"}],"
		     "\"other\":1}");
	e = catalog_find(cat, "Amazon Web Services", "us-east-1", "t3.medium", NULL);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->on_demand_hourly, 40000000);
	ck_assert_int_eq(e->noffers, 0);
	/* a missing required key names the entry and the key; nothing changes */
	{
		int n = cat->n;
		ck_assert_int_eq(catalog_merge_json(cat, bad_key, strlen(bad_key), "f.json", &err), -1);
		ck_assert_msg(strstr(err.msg, "f.json: compute[0] (AWS us-east-1 m5.large Linux)") &&
			      strstr(err.msg, "on_demand_hourly"), "%s", err.msg);
		ck_assert_int_eq(catalog_merge_json(cat, bad_term, strlen(bad_term), "g", &err), -1);
		ck_assert_msg(strstr(err.msg, "2y") != NULL, "%s", err.msg);
		ck_assert_int_eq(catalog_merge_json(cat, "{\"compute\":", 11, "h", &err), -1);
		ck_assert_int_eq(cat->n, n);
	}
	/* effective rate: hourly + upfront spread over the term */
	{
		struct catalog_offer o = { TERM_3Y, PAY_PARTIAL_UPFRONT, 0, 2628000000000LL, 10000000 };
		ck_assert(fabs(catalog_offer_rate(&o) - (10000000 + 2628e9 / 26280)) < 1e-3);
	}
}
END_TEST

/* ---- idle ---- */

/* n days of hourly CPU at cpu and one daily network sample of net bytes
 * (net < 0: no network metric) */
static void
plant_metrics(const char *id, int day0, int days, double cpu, double net)
{
	for (int d = day0; d < day0 + days; d++) {
		for (int h = 0; h < 24; h++)
			metric(id, MONTH0 + d * DAY + h * 3600, "cpu_utilization", cpu);
		if (net >= 0)
			metric(id, MONTH0 + d * DAY + 12 * 3600, "network_in_bytes", net);
	}
}

static int
has_finding(const cJSON *root, const char *id, const char *kind)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, path(root, "idle", NULL))
		if (strcmp(str(it, "resource_id"), id) == 0)
			return kind == NULL || strcmp(str(it, "kind"), kind) == 0;
	return 0;
}

START_TEST(test_idle_thresholds)
{
	cJSON *root;

	/* exactly at both thresholds (<= counts): idle */
	plant_metrics("i-exact", 0, 10, 10.0, 5e6);
	/* just above the CPU threshold */
	plant_metrics("i-cpu", 0, 10, 10.5, 1000);
	/* network above 5 MB a day */
	plant_metrics("i-net", 0, 10, 1.0, 5000001);
	/* no network metric at all: not enough to call it idle */
	plant_metrics("i-nonet", 0, 10, 1.0, -1);
	/* only 3 days of metrics: fewer than 4 low days */
	plant_metrics("i-few", 0, 3, 1.0, 100);
	/* 10 days: 5 low, 5 busy -> not most of the days (the whole-period
	 * rule; test_idle_window has the default, the last 14 days) */
	plant_metrics("i-half", 0, 5, 1.0, 100);
	plant_metrics("i-half", 5, 5, 60.0, 1e9);
	/* 10 days: 6 low, 4 busy -> idle */
	plant_metrics("i-six", 0, 6, 1.0, 100);
	plant_metrics("i-six", 6, 4, 60.0, 1e9);
	/* the service's own metrics are not an instance */
	plant_metrics("service", 0, 10, 0.0, 0);

	opts.idle_window_days = 0;
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "i-exact", "instance"));
	ck_assert(has_finding(root, "i-six", "instance"));
	ck_assert(!has_finding(root, "i-cpu", NULL));
	ck_assert(!has_finding(root, "i-net", NULL));
	ck_assert(!has_finding(root, "i-nonet", NULL));
	ck_assert(!has_finding(root, "i-few", NULL));
	ck_assert(!has_finding(root, "i-half", NULL));
	ck_assert(!has_finding(root, "service", NULL));
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "idle", NULL)), 2);
	/* not in the bill: found, but not priced */
	{
		const cJSON *it;
		cJSON_ArrayForEach(it, path(root, "idle", NULL)) {
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "monthly_cost");
			ck_assert(cJSON_IsNull(m) || (cJSON_IsRaw(m) && strcmp(m->valuestring, "null") == 0));
		}
	}
	cJSON_Delete(root);

	/* thresholds are options: at 10.5% CPU i-cpu is idle too */
	opts.idle_cpu_pct = 10.5;
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "i-cpu", "instance"));
	cJSON_Delete(root);
}
END_TEST

/* Trusted Advisor's recency: 4 low days among the last 14 days with CPU
 * metrics (the default), or the whole period (--idle-window 0) where they
 * must also be most of the days */
START_TEST(test_idle_window)
{
	cJSON *root;

	/* the period's metrics end on day 29 (the window is days 16..29) */
	plant_metrics("i-busy", 0, 30, 60.0, 1e9);
	/* idle for 16 days, busy for the last 14: 0 low days in the window
	 * but most of the month low */
	plant_metrics("i-woke", 0, 16, 1.0, 100);
	plant_metrics("i-woke", 16, 14, 60.0, 1e9);
	/* busy for 24 days, low for the last 6: 6 of the last 14 */
	plant_metrics("i-slept", 0, 24, 60.0, 1e9);
	plant_metrics("i-slept", 24, 6, 1.0, 100);
	/* 3 low days in the window only: below 4 */
	plant_metrics("i-three", 0, 27, 60.0, 1e9);
	plant_metrics("i-three", 27, 3, 1.0, 100);
	/* low on days 12..15 only: outside the window */
	plant_metrics("i-before", 0, 12, 60.0, 1e9);
	plant_metrics("i-before", 12, 4, 1.0, 100);
	plant_metrics("i-before", 16, 14, 60.0, 1e9);

	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "i-slept", "instance"));
	ck_assert(!has_finding(root, "i-woke", NULL));
	ck_assert(!has_finding(root, "i-three", NULL));
	ck_assert(!has_finding(root, "i-before", NULL));
	ck_assert(!has_finding(root, "i-busy", NULL));
	cJSON_Delete(root);

	opts.idle_window_days = 0;
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "i-woke", "instance"));
	ck_assert(!has_finding(root, "i-slept", NULL));
	ck_assert(!has_finding(root, "i-three", NULL));
	ck_assert(!has_finding(root, "i-before", NULL));
	cJSON_Delete(root);

	/* a window of 18 days (days 12..29) reaches i-before's low days */
	opts.idle_window_days = 18;
	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "i-before", "instance"));
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_idle_bill_and_volumes)
{
	cJSON *root;
	const cJSON *it;

	/* an idle address for 10 days at 0.005/h */
	for (int d = 0; d < 10; d++)
		charge(MONTH0 + d * DAY, MONTH0 + (d + 1) * DAY, "eipalloc-1", NULL, "us-east-1",
		       "Standard", NULL, NULL, "USE1-ElasticIP:IdleAddress", 24, 120000000, NULL);
	/* a NAT gateway with 0.0001 of traffic against 10.8 of hours: idle;
	 * another with 1.00 of traffic: 9% of its hours, busy */
	charge(MONTH0, MONTH0 + 10 * DAY, "nat-1", NULL, "us-east-1", "Standard", NULL, NULL,
	       "NatGateway-Hours", 240, 10800000000LL, NULL);
	charge(MONTH0, MONTH0 + 10 * DAY, "nat-1", NULL, "us-east-1", "Standard", NULL, NULL,
	       "NatGateway-Bytes", 0.002, 100000, NULL);
	charge(MONTH0, MONTH0 + 10 * DAY, "nat-2", NULL, "us-east-1", "Standard", NULL, NULL,
	       "NatGateway-Hours", 240, 10800000000LL, NULL);
	charge(MONTH0, MONTH0 + 10 * DAY, "nat-2", NULL, "us-east-1", "Standard", NULL, NULL,
	       "NatGateway-Bytes", 22, 1000000000, NULL);
	/* volumes: one without I/O, one busy */
	for (int d = 0; d < 10; d++) {
		metric("vol-idle", MONTH0 + d * DAY, "disk_read_ops", 0);
		metric("vol-idle", MONTH0 + d * DAY, "disk_write_ops", 0);
		metric("vol-busy", MONTH0 + d * DAY, "disk_write_ops", 500);
	}
	charge(MONTH0, MONTH0 + 10 * DAY, "vol-idle", NULL, "us-east-1", "Standard", NULL, NULL,
	       "EBS:VolumeUsage.gp3", 100, 2000000000, NULL);

	root = run_json("idle", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert(has_finding(root, "eipalloc-1", "elastic_ip"));
	ck_assert(has_finding(root, "nat-1", "nat_gateway"));
	ck_assert(!has_finding(root, "nat-2", NULL));
	ck_assert(has_finding(root, "vol-idle", "volume"));
	ck_assert(!has_finding(root, "vol-busy", NULL));
	cJSON_ArrayForEach(it, path(root, "idle", NULL)) {
		if (strcmp(str(it, "resource_id"), "eipalloc-1") == 0) {
			ck_assert(fabs(num(it, "period_cost") - 1.2) < 1e-9);
			ck_assert(fabs(num(it, "monthly_cost") - 0.005 * 730) < 1e-6);
		} else if (strcmp(str(it, "resource_id"), "nat-1") == 0) {
			ck_assert(fabs(num(it, "period_cost") - 10.8001) < 1e-9);
			ck_assert(fabs(num(it, "monthly_cost") - 10.8001 * 730 / 240) < 1e-6);
		} else if (strcmp(str(it, "resource_id"), "vol-idle") == 0) {
			ck_assert(fabs(num(it, "monthly_cost") - 2.0 * 730 / 240) < 1e-6);
		}
		ck_assert_ptr_nonnull(str(it, "evidence"));
		ck_assert_ptr_nonnull(str(it, "reason"));
	}
	/* sorted by monthly cost, largest first: nat-1 (32.85) before the address (3.65) */
	ck_assert_str_eq(str(cJSON_GetArrayItem(path(root, "idle", NULL), 0), "resource_id"), "nat-1");
	cJSON_Delete(root);
}
END_TEST

/* ---- anomalies ---- */

static double
median_of(double *v, int n)
{
	/* insertion sort: independent of the analyzer's helper */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

START_TEST(test_anomaly_planted_spike)
{
	double cost[20], base[14], dev[14], med, mad;
	cJSON *root;
	const cJSON *arr, *a;

	for (int d = 0; d < 20; d++) {
		cost[d] = 100 + (d * 7) % 5;		/* 100..104 */
		if (d == 16)
			cost[d] = 160;
		/* two hourly lines a day */
		charge(MONTH0 + d * DAY, MONTH0 + d * DAY + 3600, NULL, NULL, "us-east-1", "Standard",
		       NULL, NULL, "x", 1, (int64_t)(cost[d] * 1e9) / 2, "Chat");
		charge(MONTH0 + d * DAY + 3600, MONTH0 + d * DAY + 7200, NULL, NULL, "us-east-1",
		       "Standard", NULL, NULL, "x", 1, (int64_t)(cost[d] * 1e9) / 2, "Chat");
		/* a small service whose spike (+0.5) is under the minimum impact */
		charge(MONTH0 + d * DAY, MONTH0 + d * DAY + 3600, NULL, NULL, "us-east-1", "Standard",
		       NULL, NULL, "x", 1, d == 16 ? 1500000000 : 1000000000, "Tiny");
	}
	/* a monthly line (the whole month) on day 0 is not a spike */
	charge(MONTH0, MONTH0 + 31 * DAY, NULL, NULL, "us-east-1", "Standard", NULL, NULL, "x", 1,
	       500000000000LL, "Chat");
	root = run_json("anomalies", MONTH0, MONTH0 + 31 * DAY);
	arr = path(root, "anomalies", "anomalies");
	ck_assert_int_eq(cJSON_GetArraySize(arr), 1);
	a = cJSON_GetArrayItem(arr, 0);
	ck_assert_str_eq(str(a, "day"), "2026-03-17");
	ck_assert_str_eq(str(a, "service"), "Chat");
	for (int k = 0; k < 14; k++)
		base[k] = cost[2 + k];
	med = median_of(base, 14);
	for (int k = 0; k < 14; k++)
		dev[k] = fabs(cost[2 + k] - med);
	mad = median_of(dev, 14);
	ck_assert(fabs(num(a, "expected") - med) < 1e-6);
	ck_assert(fabs(num(a, "actual") - 160) < 1e-6);
	ck_assert(fabs(num(a, "impact") - (160 - med)) < 1e-6);
	ck_assert(fabs(num(a, "z") - 0.6745 * (160 - med) / mad) < 0.05 + 1e-9);
	ck_assert_int_eq((int)num(a, "baseline_days"), 14);
	cJSON_Delete(root);

	/* with a minimum impact of 0.40 the tiny service's spike shows too */
	opts.anomaly_min_impact = 400000000;
	root = run_json("anomalies", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "anomalies", "anomalies")), 2);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_anomaly_edges)
{
	cJSON *root;
	const cJSON *a;

	/* one day of data: nothing to compare with */
	charge(MONTH0, MONTH0 + 3600, NULL, NULL, "r", "Standard", NULL, NULL, "x", 1,
	       900000000000LL, "Chat");
	root = run_json("anomalies", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "anomalies", "anomalies")), 0);
	ck_assert_int_eq((int)num(path(root, "anomalies", NULL), "days_checked"), 0);
	cJSON_Delete(root);

	/* a flat series (MAD 0) then a rise of 2.00: reported without a z;
	 * a rise of 0.99 the next day: under the minimum impact (the
	 * absolute floor alone: 2.00 is under 10% of 900) */
	opts.anomaly_min_share = 0;
	for (int d = 1; d < 9; d++)
		charge(MONTH0 + d * DAY, MONTH0 + d * DAY + 3600, NULL, NULL, "r", "Standard", NULL,
		       NULL, "x", 1, d == 8 ? 902000000000LL : 900000000000LL, "Chat");
	charge(MONTH0 + 9 * DAY, MONTH0 + 9 * DAY + 3600, NULL, NULL, "r", "Standard", NULL, NULL,
	       "x", 1, 900990000000LL, "Chat");
	root = run_json("anomalies", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "anomalies", "anomalies")), 1);
	a = cJSON_GetArrayItem(path(root, "anomalies", "anomalies"), 0);
	ck_assert_str_eq(str(a, "day"), "2026-03-09");
	ck_assert(fabs(num(a, "impact") - 2.0) < 1e-9);
	{
		const cJSON *z = cJSON_GetObjectItemCaseSensitive(a, "z");
		ck_assert(cJSON_IsNull(z) || (cJSON_IsRaw(z) && strcmp(z->valuestring, "null") == 0));
	}
	cJSON_Delete(root);

	/* the default relative floor (10% of the expected 900) hides it */
	opts.anomaly_min_share = 0.1;
	root = run_json("anomalies", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "anomalies", "anomalies")), 0);
	cJSON_Delete(root);
}
END_TEST

/* ---- forecast ---- */

/* day d of March 2026 costs c, as 24 hourly lines */
static void
day_cost(int d, double c)
{
	for (int h = 0; h < 24; h++)
		charge(MONTH0 + d * DAY + h * 3600, MONTH0 + d * DAY + (h + 1) * 3600, NULL, NULL, "r",
		       "Standard", NULL, NULL, "x", 1, (int64_t)llround(c / 24 * 1e9), "Chat");
}

static const cJSON *
forecast_row(const cJSON *root)
{
	const cJSON *arr = path(root, "forecast", "forecasts");
	ck_assert_int_eq(cJSON_GetArraySize(arr), 1);
	return cJSON_GetArrayItem(arr, 0);
}

START_TEST(test_forecast_run_rate)
{
	cJSON *root;
	const cJSON *f;

	/* 10 days at 24.00 plus a monthly fee of 100 */
	for (int d = 0; d < 10; d++)
		day_cost(d, 24);
	charge(MONTH0, MONTH0 + 31 * DAY, NULL, NULL, "r", "Standard", NULL, NULL, "fee", 1,
	       100000000000LL, "Support");
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert_str_eq(str(path(root, "forecast", NULL), "month"), "2026-03");
	ck_assert(fabs(num(f, "to_date") - 340) < 1e-6);
	ck_assert_int_eq((int)num(f, "days_seen"), 10);
	ck_assert_int_eq((int)num(f, "days_in_month"), 31);
	ck_assert(fabs(num(f, "forecast") - (340 + 21 * 24)) < 1e-6);
	ck_assert(strstr(str(f, "method"), "run-rate") != NULL);
	cJSON_Delete(root);

	/* half of day 11 seen (12 hours): 20.5 days left */
	for (int h = 0; h < 12; h++)
		charge(MONTH0 + 10 * DAY + h * 3600, MONTH0 + 10 * DAY + (h + 1) * 3600, NULL, NULL, "r",
		       "Standard", NULL, NULL, "x", 1, 1000000000, "Chat");
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert_int_eq((int)num(f, "days_seen"), 10);
	ck_assert(fabs(num(f, "forecast") - (352 + 20.5 * 24)) < 1e-6);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_forecast_weekday_and_complete)
{
	cJSON *root;
	const cJSON *f;
	double to_date = 0, want;

	/* 2026-03-01 is a Sunday: day i is a weekend day when i % 7 is 0 or 6 */
	for (int d = 0; d < 14; d++) {
		double c = (d % 7 == 0 || d % 7 == 6) ? 48 : 24;
		day_cost(d, c);
		to_date += c;
	}
	want = to_date;
	for (int d = 14; d < 31; d++)
		want += (d % 7 == 0 || d % 7 == 6) ? 48 : 24;
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert(strstr(str(f, "method"), "weekday") != NULL);
	ck_assert(fabs(num(f, "forecast") - want) < 1e-6);
	cJSON_Delete(root);

	/* with fewer days than --forecast-weekday-days: run-rate */
	opts.forecast_weekday_days = 15;
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert(fabs(num(f, "forecast") - (to_date + to_date / 14 * 17)) < 1e-6);
	cJSON_Delete(root);

	/* the whole month: the forecast is the total */
	for (int d = 14; d < 31; d++) {
		day_cost(d, 10);
		to_date += 10;
	}
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert(fabs(num(f, "forecast") - to_date) < 1e-6);
	ck_assert_str_eq(str(f, "method"), "complete month");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_forecast_one_day)
{
	cJSON *root;
	const cJSON *f;

	day_cost(0, 30);
	root = run_json("forecast", MONTH0, MONTH0 + 31 * DAY);
	f = forecast_row(root);
	ck_assert(fabs(num(f, "forecast") - 30 * 31) < 1e-6);
	ck_assert_str_eq(str(f, "method"), "run-rate over 1 day");
	cJSON_Delete(root);
}
END_TEST

/* ---- unit economics ---- */

START_TEST(test_unit_economics)
{
	cJSON *root;
	const cJSON *m;

	for (int d = 0; d < 31; d++) {
		int64_t t = MONTH0 + d * DAY;
		charge(t, t + DAY, NULL, NULL, "r", "Standard", NULL, NULL, "x", 1, 10000000000LL, "Chat");
		metric("service", t, "mau", 1000 + d);
		metric("service", t, "dau", 500);
		metric("service", t, "messages", 1e6);
		metric("service", t, "peak_connections", 100 + d);
	}
	root = run_json("unit_economics", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "unit_economics", "months")), 1);
	m = cJSON_GetArrayItem(path(root, "unit_economics", "months"), 0);
	ck_assert_str_eq(str(m, "month"), "2026-03");
	ck_assert(fabs(num(m, "cost") - 310) < 1e-9);
	ck_assert(fabs(num(m, "mau") - 1030) < 1e-9);
	ck_assert(fabs(num(m, "messages") - 31e6) < 1e-3);
	ck_assert(fabs(num(m, "cost_per_mau") - 310.0 / 1030) < 1e-6);
	ck_assert(fabs(num(m, "cost_per_dau") - 310.0 / 500) < 1e-6);
	ck_assert(fabs(num(m, "cost_per_million_messages") - 10) < 1e-6);
	ck_assert(fabs(num(m, "cost_per_peak_connection") - 310.0 / 130) < 1e-6);
	cJSON_Delete(root);

	/* message counts missing on 5 days: no cost per message, and a note */
	exec("DELETE FROM usage WHERE metric = 'messages' AND ts >= 1772323200 + 26 * 86400");
	root = run_json("unit_economics", MONTH0, MONTH0 + 31 * DAY);
	m = cJSON_GetArrayItem(path(root, "unit_economics", "months"), 0);
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "cost_per_million_messages");
		ck_assert(cJSON_IsNull(v) || (cJSON_IsRaw(v) && strcmp(v->valuestring, "null") == 0));
	}
	ck_assert(fabs(num(m, "cost_per_mau") - 310.0 / 1030) < 1e-6);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "unit_economics", "notes")), 1);
	cJSON_Delete(root);

	/* no service metrics: no months */
	exec("DELETE FROM usage");
	root = run_json("unit_economics", MONTH0, MONTH0 + 31 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "unit_economics", "months")), 0);
	cJSON_Delete(root);
}
END_TEST

/* ---- rightsizing ---- */

static const char *catalog_family =
	"{\"compute\":["
	"{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":\"m6i.large\",\"platform\":"
	"\"Linux\",\"on_demand_hourly\":\"0.096\",\"vcpu\":2,\"memory_gib\":8},"
	"{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":\"m6i.xlarge\",\"platform\":"
	"\"Linux\",\"on_demand_hourly\":\"0.192\",\"vcpu\":4,\"memory_gib\":16},"
	"{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":\"m6i.2xlarge\",\"platform\":"
	"\"Linux\",\"on_demand_hourly\":\"0.384\",\"vcpu\":8,\"memory_gib\":32},"
	"{\"provider\":\"AWS\",\"region\":\"us-east-1\",\"instance_type\":\"c6i.large\",\"platform\":"
	"\"Linux\",\"on_demand_hourly\":\"0.085\",\"vcpu\":2,\"memory_gib\":4}]}";

/* hours of one instance: type, cpu(h), optional memory */
static void
plant_instance(const char *id, const char *itype, double price, int hours, int step, double base,
	       double mem)
{
	for (int h = 0; h < hours; h++) {
		int64_t t = MONTH0 + h * 3600LL;
		charge(t, t + 3600, id, itype, "us-east-1", "Standard", NULL, NULL, "BoxUsage", 1.0,
		       (int64_t)llround(price * 1e9), NULL);
		metric(id, t, "cpu_utilization", base + (h * step) % 20);
		metric(id, t, "network_out_bytes", 1e9);
		if (mem >= 0)
			metric(id, t, "memory_utilization", mem);
	}
}

/* nearest-rank p95 of base + (h * step) % 20 over hours samples */
static double
p95_of(int hours, int step, double base)
{
	double *v = malloc((size_t)hours * sizeof *v), r;
	for (int h = 0; h < hours; h++)
		v[h] = base + (h * step) % 20;
	median_of(v, hours);	/* sorts */
	r = v[(int)ceil(0.95 * hours) - 1];
	free(v);
	return r;
}

static const cJSON *
rs_rec(const cJSON *root, const char *id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, path(root, "rightsizing", "recommendations"))
		if (strcmp(str(it, "resource_id"), id) == 0)
			return it;
	return NULL;
}

START_TEST(test_rightsizing)
{
	cJSON *root;
	const cJSON *r;
	double p;

	load_catalog(catalog_family);
	/* 2xlarge at p95 ~ 29: 58 on an xlarge, fits */
	plant_instance("i-big", "m6i.2xlarge", 0.384, 200, 7, 10, -1);
	/* xlarge at p95 ~ 49: 98 on a large, does not fit */
	plant_instance("i-busy", "m6i.xlarge", 0.192, 200, 7, 30, -1);
	/* xlarge with low CPU but memory at 50%: 100% on a large */
	plant_instance("i-mem", "m6i.xlarge", 0.192, 200, 7, 5, 50);
	/* exactly at the target: p95 40.0 on 2xlarge -> 80.0 on xlarge */
	plant_instance("i-edge", "m6i.2xlarge", 0.384, 200, 0, 40, -1);
	/* too few samples */
	plant_instance("i-new", "m6i.2xlarge", 0.384, 100, 7, 5, -1);
	/* the smallest of its family in the catalog: nothing smaller */
	plant_instance("i-small", "c6i.large", 0.085, 200, 7, 1, -1);

	/* the p95 rule (--rightsize-percentile 95) */
	opts.rs_percentile = 95;
	root = run_json("rightsizing", MONTH0 - DAY, MONTH0 + 30 * DAY);
	r = rs_rec(root, "i-big");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(str(r, "recommended_type"), "m6i.xlarge");
	p = p95_of(200, 7, 10);
	ck_assert(fabs(num(r, "cpu_at_percentile") - p) < 1e-9);
	ck_assert(fabs(num(r, "projected_cpu") - 2 * p) < 1e-9);
	ck_assert(fabs(num(r, "percentile") - 95) < 1e-9);
	ck_assert(fabs(num(r, "monthly_savings") - (0.384 - 0.192) * 730) < 1e-6);
	ck_assert_ptr_null(rs_rec(root, "i-busy"));
	ck_assert_ptr_null(rs_rec(root, "i-mem"));
	ck_assert_ptr_nonnull(rs_rec(root, "i-edge"));
	ck_assert_ptr_null(rs_rec(root, "i-new"));
	ck_assert_ptr_null(rs_rec(root, "i-small"));
	cJSON_Delete(root);

	/* a lower target keeps i-edge where it is */
	opts.rs_cpu_target = 79.9;
	root = run_json("rightsizing", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_ptr_null(rs_rec(root, "i-edge"));
	ck_assert_ptr_nonnull(rs_rec(root, "i-big"));
	cJSON_Delete(root);

	/* no catalog: nothing is assessed */
	catalog_free(cat);
	cat = catalog_new();
	root = run_json("rightsizing", MONTH0 - DAY, MONTH0 + 30 * DAY);
	ck_assert_int_eq(cJSON_GetArraySize(path(root, "rightsizing", "recommendations")), 0);
	cJSON_Delete(root);
}
END_TEST

Suite *
analyzers_suite(void)
{
	Suite *s = suite_create("analyzers");
	TCase *tc = tcase_create("commitments");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_commit_optimal_count_planted);
	tcase_add_test(tc, test_commit_default_terms_and_idle_excluded);
	tcase_add_test(tc, test_commit_exactly_at_break_even);
	tcase_add_test(tc, test_commit_edge_cases);
	tcase_add_test(tc, test_commit_zero_on_demand_and_existing);
	tcase_add_test(tc, test_commit_daily_lines_not_assessed);
	tcase_add_test(tc, test_commit_lookback);
	tcase_add_test(tc, test_sizeflex_factor);
	tcase_add_test(tc, test_commit_optimal_spend_uniform);
	tcase_add_test(tc, test_catalog_merge);
	suite_add_tcase(s, tc);

	tc = tcase_create("idle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_idle_thresholds);
	tcase_add_test(tc, test_idle_window);
	tcase_add_test(tc, test_idle_bill_and_volumes);
	suite_add_tcase(s, tc);

	tc = tcase_create("anomalies");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_anomaly_planted_spike);
	tcase_add_test(tc, test_anomaly_edges);
	suite_add_tcase(s, tc);

	tc = tcase_create("forecast");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_forecast_run_rate);
	tcase_add_test(tc, test_forecast_weekday_and_complete);
	tcase_add_test(tc, test_forecast_one_day);
	suite_add_tcase(s, tc);

	tc = tcase_create("unit_economics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_unit_economics);
	suite_add_tcase(s, tc);

	tc = tcase_create("rightsizing");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rightsizing);
	suite_add_tcase(s, tc);
	return s;
}
