/*
 * test_rollups.c - Check unit tests of the rollup tables (common/rollup.h):
 * that imports keep them equal to their defining GROUP BY over the base
 * tables, and that the analyzers' view of them stays right when something
 * else writes the base tables.
 *
 * The tests write small FOCUS and usage-csv fixtures into a temporary
 * directory and import them through the real import path (import_file in
 * its own session per file, so each file is a batch and a later file of
 * the same provider, account and month restates it).  After every step
 * every rollup is compared with its definition (the *_SELECT/_WHERE/_GROUP
 * macros, run by SQLite over charges and usage) in both directions with
 * EXCEPT; the run-length rollup_instance_runs is expanded with a recursive
 * query first.  Besides, hand-computed facts of the fixtures are checked:
 * totals (sums of the fixture amounts, written out below), the runs of an
 * instance billed for hours 0-4 and 8-9, a null token stored as NULL, the
 * per-day CPU sums after a metric is replaced, the histogram bins
 * (value * 10 + 0.5, truncated), and the fallbacks: the SQL path when the
 * aggregator is limited to one byte (one run per hour then), TEMP rollups
 * after direct writes, and the checks of bounds that cut a day.
 *
 * Epochs: 2026-10-01T00:00:00Z = 1790812800, 2026-11-01 = 1793491200.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "analyzers/analyzer.h"
#include "analyzers/rollups.h"
#include "common/db.h"
#include "common/engine.h"
#include "common/rollup.h"
#include "importers/import.h"

#define OCT 1790812800LL
#define NOV 1793491200LL
#define H 3600LL

struct fx {
	char dir[4096];
	char dbpath[4200];
	char path[4300];
	sqlite3 *db;
	struct engine *eng;	/* over db */
	int n;
};

static struct fx f;

static void
setup(void)
{
	const char *t = getenv("TMPDIR");
	struct ic_error err;

	memset(&f, 0, sizeof f);
	snprintf(f.dir, sizeof f.dir, "%s/imcost-rollup-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f.dir));
	snprintf(f.dbpath, sizeof f.dbpath, "%s/test.db", f.dir);
	f.db = db_open(f.dbpath, DB_WRITE, &err);
	ck_assert_msg(f.db != NULL, "db_open: %s", err.msg);
	f.eng = engine_wrap_sqlite(f.db);
	ck_assert_ptr_nonnull(f.eng);
}

static void
teardown(void)
{
	char p[4400];
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };

	engine_close(f.eng);
	db_close(f.db);
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", f.dbpath, sfx[i]);
		unlink(p);
	}
	for (int i = 0; i < f.n; i++) {
		snprintf(p, sizeof p, "%s/f%d.csv", f.dir, i);
		unlink(p);
	}
	rmdir(f.dir);
	unsetenv("IMCOST_ROLLUP_AGG_MAX");
}

/* Write data to a new fixture file and import it in its own session
 * (restate: import_opts.restate, the import's --replace/--add). */
static void
import_text_as(const char *data, int restate)
{
	struct import_opts o;
	struct import_session *s;
	struct import_result res;
	struct ic_error err;
	FILE *fp;

	snprintf(f.path, sizeof f.path, "%s/f%d.csv", f.dir, f.n++);
	fp = fopen(f.path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(data, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	memset(&o, 0, sizeof o);
	o.restate = restate;
	s = import_session_new(f.db, &o, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(import_file(s, f.path, &res, &err) == 0, "import: %s", err.msg);
	ck_assert_msg(import_session_commit(s, &err) == 0, "commit: %s", err.msg);
	import_session_free(s);
}

static void
import_text(const char *data)
{
	import_text_as(data, RESTATE_AS_FORMAT);
}

static void
exec(const char *sql)
{
	char *msg = NULL;

	ck_assert_msg(sqlite3_exec(f.db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql,
		      msg ? msg : "");
}

static sqlite3_int64
q_int(const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v;

	ck_assert_msg(sqlite3_prepare_v2(f.db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
		      sqlite3_errmsg(f.db));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double
q_double(const char *sql)
{
	sqlite3_stmt *st;
	double v;

	ck_assert_msg(sqlite3_prepare_v2(f.db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
		      sqlite3_errmsg(f.db));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
	v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* rows of table not in the definition, and the other way round: both 0 */
static void
same_as(const char *table, const char *definition)
{
	char sql[8192];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT * FROM main.%s EXCEPT %s)", table,
		 definition);
	ck_assert_msg(q_int(sql) == 0, "%s has rows its definition has not", table);
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (%s EXCEPT SELECT * FROM main.%s)", definition,
		 table);
	ck_assert_msg(q_int(sql) == 0, "%s misses rows of its definition", table);
}

/* the runs expanded to one row per start, summed like the definition */
#define RUNS_EXPANDED \
	"WITH RECURSIVE e AS (SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart," \
	" BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, span, first_start, step, n," \
	" ConsumedQuantity, rows, 0 AS k FROM main.rollup_instance_runs UNION ALL SELECT import_id," \
	" ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId," \
	" x_InstanceType, x_Platform, span, first_start, step, n, ConsumedQuantity, rows, k + 1 FROM e" \
	" WHERE k + 1 < n) SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart," \
	" BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, span, first_start + k * step," \
	" 0, 1, SUM(ConsumedQuantity), SUM(rows) FROM e GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
#define RUNS_DEFINED ROLLUP_RUNS_SELECT ROLLUP_RUNS_WHERE ROLLUP_RUNS_GROUP

static void
all_match(void)
{
	same_as("rollup_daily", ROLLUP_DAILY_SELECT ROLLUP_DAILY_WHERE ROLLUP_DAILY_GROUP);
	same_as("rollup_compute", ROLLUP_COMPUTE_SELECT ROLLUP_COMPUTE_WHERE ROLLUP_COMPUTE_GROUP);
	same_as("rollup_resource", ROLLUP_RESOURCE_SELECT ROLLUP_RESOURCE_WHERE ROLLUP_RESOURCE_GROUP);
	same_as("rollup_usage_day",
		ROLLUP_USAGE_DAY_SELECT ROLLUP_USAGE_DAY_WHERE ROLLUP_USAGE_DAY_GROUP);
	same_as("rollup_usage_hist",
		ROLLUP_USAGE_HIST_SELECT ROLLUP_USAGE_HIST_WHERE ROLLUP_USAGE_HIST_GROUP);
	ck_assert_msg(q_int("SELECT COUNT(*) FROM (SELECT * FROM (" RUNS_EXPANDED ") EXCEPT"
			    " SELECT * FROM (" RUNS_DEFINED "))") == 0,
		      "rollup_instance_runs has starts its definition has not");
	ck_assert_msg(q_int("SELECT COUNT(*) FROM (SELECT * FROM (" RUNS_DEFINED ") EXCEPT"
			    " SELECT * FROM (" RUNS_EXPANDED "))") == 0,
		      "rollup_instance_runs misses starts of its definition");
	ck_assert_int_eq(q_int("SELECT charges_stale + usage_stale FROM main.rollup_state"), 0);
}

/* ---- fixtures ---- */

#define FOCUS_HEADER \
	"BilledCost,EffectiveCost,BillingCurrency,ProviderName,BillingAccountId,ChargeCategory," \
	"PricingCategory,CommitmentDiscountId,CommitmentDiscountStatus,ServiceName,RegionId," \
	"ResourceId,ConsumedQuantity,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart," \
	"BillingPeriodEnd,x_InstanceType,x_UsageType\n"
#define OD(cost, res, qty, start, end) \
	cost "," cost ",USD,AWS,111,Usage,Standard,,,EC2,us-east-1," res "," qty "," start "," end \
	",2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,m6i.large,BoxUsage:m6i.large\n"
#define RI(start, end) \
	"0,0.06,USD,AWS,111,Usage,Committed,ri-1,Used,EC2,us-east-1,i-c,1," start "," end \
	",2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,m6i.large,BoxUsage:m6i.large\n"
#define MONTHLY \
	"50,0,USD,AWS,111,Purchase,Committed,ri-1,,EC2,us-east-1,,,2026-10-01T00:00:00Z," \
	"2026-11-01T00:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,,\n" \
	"3.21,3.21,USD,AWS,111,Tax,,,,Tax,,,,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z," \
	"2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,,\n"

/* i-a hours 0-4 and 8-9, i-b hours 0-1 at half an hour and hour 2 at a
 * quarter, i-c on a reservation, egress with a null-token region, the RI
 * fee and tax */
static const char month_a[] = FOCUS_HEADER
	OD("0.096", "i-a", "1", "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	OD("0.048", "i-b", "0.5", "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T02:00:00Z", "2026-10-01T03:00:00Z")
	OD("0.048", "i-b", "0.5", "2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T03:00:00Z", "2026-10-01T04:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T04:00:00Z", "2026-10-01T05:00:00Z")
	OD("0.024", "i-b", "0.25", "2026-10-01T02:00:00Z", "2026-10-01T03:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T08:00:00Z", "2026-10-01T09:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T09:00:00Z", "2026-10-01T10:00:00Z")
	RI("2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	RI("2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	"0.945,0.945,USD,AWS,111,Usage,Standard,,,S3,n/a,,10.5,2026-10-02T00:00:00Z,"
	"2026-10-03T00:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,,USE1-DataTransfer-Out-Bytes\n"
	MONTHLY;

/* the restatement: i-a only hours 0-3, no egress */
static const char month_a2[] = FOCUS_HEADER
	OD("0.096", "i-a", "1", "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T02:00:00Z", "2026-10-01T03:00:00Z")
	OD("0.096", "i-a", "1", "2026-10-01T03:00:00Z", "2026-10-01T04:00:00Z")
	OD("0.048", "i-b", "0.5", "2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	OD("0.048", "i-b", "0.5", "2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	OD("0.048", "i-b", "0.5", "2026-10-01T02:00:00Z", "2026-10-01T03:00:00Z")
	RI("2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z")
	RI("2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z")
	MONTHLY;

static const char month_b[] = FOCUS_HEADER
	"0.096,0.096,USD,AWS,111,Usage,Standard,,,EC2,us-east-1,i-a,1,2026-11-01T00:00:00Z,"
	"2026-11-01T01:00:00Z,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,m6i.large,BoxUsage:m6i.large\n"
	"0.096,0.096,USD,AWS,111,Usage,Standard,,,EC2,us-east-1,i-a,1,2026-11-01T01:00:00Z,"
	"2026-11-01T02:00:00Z,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,m6i.large,BoxUsage:m6i.large\n";

static const char usage_1[] = "timestamp,resource_id,metric,value,unit\n"
	"2026-10-01T00:00:00Z,i-a,cpu_utilization,10,percent\n"
	"2026-10-01T01:00:00Z,i-a,cpu_utilization,20,percent\n"
	"2026-10-01T02:00:00Z,i-a,cpu_utilization,30.5,percent\n"
	"2026-10-01T00:00:00Z,i-a,network_out_bytes,1000,bytes\n"
	"2026-10-01T01:00:00Z,i-a,network_out_bytes,2000,bytes\n"
	"2026-10-01T00:00:00Z,i-a,memory_utilization,55.5,percent\n"
	"2026-10-02T00:00:00Z,i-a,cpu_utilization,5,percent\n"
	"2026-10-01T00:00:00Z,service,mau,1000,users\n";

/* replaces i-a's 01:00 CPU sample, adds a third day */
static const char usage_2[] = "timestamp,resource_id,metric,value,unit\n"
	"2026-10-01T01:00:00Z,i-a,cpu_utilization,40,percent\n"
	"2026-10-03T00:00:00Z,i-a,cpu_utilization,7,percent\n";

/* samples 517 days apart: recomputed with SQL rather than in memory */
static const char usage_3[] = "timestamp,resource_id,metric,value,unit\n"
	"2026-10-01T05:00:00Z,i-q,cpu_utilization,12.25,percent\n"
	"2028-03-01T05:00:00Z,i-q,cpu_utilization,13.75,percent\n"
	"2028-03-01T06:00:00Z,i-q,network_in_bytes,9,bytes\n";

/* ---- tests ---- */

START_TEST(test_import_restate_second_month)
{
	import_text(month_a);
	all_match();
	/* 7 x 0.096 + 2 x 0.048 + 0.024 + 0 + 0.945 + 50 + 3.21 = 54.947 */
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily"), 54947000000LL);
	/* effective: 0.672 + 0.12 + 2 x 0.06 + 0.945 + 0 + 3.21 = 5.067 */
	ck_assert_int_eq(q_int("SELECT SUM(EffectiveCostNanos) FROM rollup_daily"), 5067000000LL);
	ck_assert_int_eq(q_int("SELECT SUM(rows) FROM rollup_daily"), 15);
	/* i-a: two runs of hours (a gap), i-b: two (the quantity changes),
	 * i-c committed: none */
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_instance_runs"), 4);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_instance_runs WHERE ResourceId = 'i-a'"
			       " AND first_start = 1790812800 AND step = 3600 AND n = 5"), 1);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_instance_runs WHERE ResourceId = 'i-a'"
			       " AND first_start = 1790812800 + 8 * 3600 AND step = 3600 AND n = 2"), 1);
	ck_assert(q_double("SELECT ConsumedQuantity FROM rollup_instance_runs"
			   " WHERE ResourceId = 'i-b' AND first_start = 1790812800 AND n = 2") == 0.5);
	ck_assert(q_double("SELECT ConsumedQuantity FROM rollup_instance_runs"
			   " WHERE ResourceId = 'i-b' AND first_start = 1790812800 + 2 * 3600"
			   " AND n = 1") == 0.25);
	/* hour 0: i-a (1) and i-b (0.5) on demand; i-c committed */
	ck_assert(q_double("SELECT SUM(ConsumedQuantity) FROM rollup_compute WHERE"
			   " ChargePeriodStart = 1790812800 AND PricingCategory = 'Standard'") == 1.5);
	ck_assert_int_eq(q_int("SELECT SUM(rows) FROM rollup_compute WHERE"
			       " ChargePeriodStart = 1790812800 AND PricingCategory = 'Committed'"), 1);
	/* 'n/a' is a null token: no region */
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_resource WHERE RegionId IS NULL"
			       " AND x_UsageType = 'USE1-DataTransfer-Out-Bytes' AND positive = 1"), 1);
	/* the monthly lines: not within a day, day = the 1st */
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily WHERE within_day = 0"
			       " AND day = 1790812800"), 53210000000LL);

	/* restates October: a FOCUS file restates the span of its charges
	 * (hours 0-2 here), --replace the whole month */
	import_text_as(month_a2, RESTATE_FORCE_PERIOD);
	all_match();
	ck_assert_int_eq(q_int("SELECT COUNT(DISTINCT import_id) FROM rollup_daily"), 1);
	ck_assert_int_eq(q_int("SELECT COUNT(DISTINCT import_id) FROM rollup_instance_runs"), 1);
	/* 4 x 0.096 + 3 x 0.048 + 50 + 3.21 = 53.738 */
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily"), 53738000000LL);
	ck_assert_int_eq(q_int("SELECT SUM(rows) FROM rollup_daily"), 11);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_instance_runs WHERE ResourceId = 'i-a'"),
			 1);
	ck_assert_int_eq(q_int("SELECT n FROM rollup_instance_runs WHERE ResourceId = 'i-a'"), 4);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_resource WHERE x_UsageType LIKE"
			       " '%DataTransfer%'"), 0);

	import_text(month_b);
	all_match();
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily"
			       " WHERE BillingPeriodStart = 1793491200"), 192000000);
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily"
			       " WHERE BillingPeriodStart = 1790812800"), 53738000000LL);
	ck_assert_int_eq(q_int("SELECT COUNT(DISTINCT import_id) FROM rollup_daily"), 2);
}
END_TEST

START_TEST(test_usage_recomputed)
{
	import_text(usage_1);
	all_match();
	/* October 1st: CPU 10 + 20 + 30.5, network 1000 + 2000, one memory sample */
	ck_assert_int_eq(q_int("SELECT cpu_n FROM rollup_usage_day WHERE resource_id = 'i-a'"
			       " AND day = 1790812800"), 3);
	ck_assert(q_double("SELECT cpu_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800") == 60.5);
	ck_assert(q_double("SELECT net_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800") == 3000);
	ck_assert_int_eq(q_int("SELECT mem_n + 10 * net_n + 100 * disk_n FROM rollup_usage_day"
			       " WHERE resource_id = 'i-a' AND day = 1790812800"), 21);
	ck_assert_int_eq(q_int("SELECT disk_sum IS NULL FROM rollup_usage_day"
			       " WHERE resource_id = 'i-a' AND day = 1790812800"), 1);
	/* 'service' has only business metrics: no host rollup */
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_usage_day WHERE resource_id = 'service'"),
			 0);
	/* bins: 10 -> 100, 20 -> 200, 30.5 -> 305, 5 -> 50; memory 55.5 -> 555 */
	ck_assert_int_eq(q_int("SELECT SUM(bin) FROM rollup_usage_hist WHERE resource_id = 'i-a'"
			       " AND metric = 'cpu_utilization' AND month = 1790812800"), 655);
	ck_assert_int_eq(q_int("SELECT bin FROM rollup_usage_hist WHERE resource_id = 'i-a'"
			       " AND metric = 'memory_utilization'"), 555);

	import_text(usage_2);	/* 20 becomes 40 at 01:00; a third day */
	all_match();
	ck_assert(q_double("SELECT cpu_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800") == 80.5);
	ck_assert(q_double("SELECT cpu_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800 + 86400") == 5);
	ck_assert(q_double("SELECT cpu_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800 + 2 * 86400") == 7);
	/* 100 + 400 + 305 + 50 + 70, and no bin 200 left */
	ck_assert_int_eq(q_int("SELECT SUM(bin) FROM rollup_usage_hist WHERE resource_id = 'i-a'"
			       " AND metric = 'cpu_utilization'"), 925);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_usage_hist WHERE bin = 200"), 0);

	import_text(usage_3);
	all_match();
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_usage_day WHERE resource_id = 'i-q'"), 2);
	/* 12.25 -> 123 (122.5 + 0.5), 13.75 -> 138 */
	ck_assert_int_eq(q_int("SELECT SUM(bin) FROM rollup_usage_hist WHERE resource_id = 'i-q'"),
			 261);
	ck_assert(q_double("SELECT net_sum FROM rollup_usage_day WHERE resource_id = 'i-q'"
			   " AND net_n = 1") == 9);
}
END_TEST

START_TEST(test_sql_fallback)
{
	/* one byte: the aggregator gives up at once, the import uses the
	 * definitions over the file's rows and rebuilds the usage rollups */
	setenv("IMCOST_ROLLUP_AGG_MAX", "1", 1);
	import_text(month_a);
	import_text(usage_1);
	all_match();
	/* the definition's shape: one run per start */
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM rollup_instance_runs WHERE ResourceId = 'i-a'"),
			 7);
	ck_assert_int_eq(q_int("SELECT MAX(n) FROM rollup_instance_runs"), 1);
	import_text_as(month_a2, RESTATE_FORCE_PERIOD);
	import_text(usage_2);
	all_match();
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM rollup_daily"), 53738000000LL);
	ck_assert(q_double("SELECT cpu_sum FROM rollup_usage_day WHERE resource_id = 'i-a'"
			   " AND day = 1790812800") == 80.5);
}
END_TEST

static cJSON *
summary_json(void)
{
	const struct analyzer *a = analyzer_find("summary");
	struct analysis_ctx ctx;
	struct emitter e;
	struct ic_error err;
	FILE *devnull = fopen("/dev/null", "w");
	cJSON *root;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(devnull);
	memset(&ctx, 0, sizeof ctx);
	ctx.eng = f.eng;
	ctx.start = OCT;
	ctx.end = NOV;
	ck_assert_int_eq(emit_begin(&e, devnull, FMT_JSON), 0);
	ck_assert_msg(analyzer_run(a, &ctx, &e, &err) == 0, "summary: %s", err.msg);
	root = e.root;
	e.root = NULL;
	emit_free(&e);
	fclose(devnull);
	return root;
}

static double
billed_of(cJSON *root)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "summary");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, "billed_cost");

	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL);
	ck_assert(cJSON_IsNumber(v));
	return v->valuedouble;
}

START_TEST(test_direct_writes)
{
	struct ic_error err;
	cJSON *j;

	import_text(month_a);
	j = summary_json();
	ck_assert(billed_of(j) > 54.946 && billed_of(j) < 54.948);
	cJSON_Delete(j);

	/* a writer other than the import: the rollups are marked stale and
	 * the analyses see the row through TEMP rollups */
	exec("INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos,"
	     " ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd,"
	     " BillingCurrency, ProviderName, BillingAccountId, ChargeCategory)"
	     " VALUES(99, 1, 1000000000, 1000000000, 1790812800, 1790816400, 1790812800, 1793491200,"
	     " 'USD', 'AWS', '222', 'Usage')");
	ck_assert_int_eq(q_int("SELECT charges_stale FROM main.rollup_state"), 1);
	j = summary_json();
	ck_assert(billed_of(j) > 55.946 && billed_of(j) < 55.948);
	cJSON_Delete(j);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'rollup_daily'"),
			 1);
	/* a later delete is seen too */
	exec("DELETE FROM charges WHERE import_id = 99");
	j = summary_json();
	ck_assert(billed_of(j) > 54.946 && billed_of(j) < 54.948);
	cJSON_Delete(j);
	exec("INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos,"
	     " ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd,"
	     " BillingCurrency, ProviderName, BillingAccountId, ChargeCategory)"
	     " VALUES(99, 1, 2000000000, 2000000000, 1790812800, 1790816400, 1790812800, 1793491200,"
	     " 'USD', 'AWS', '222', 'Usage')");
	ck_assert_int_eq(q_int("SELECT charges_stale FROM main.rollup_state"), 1);

	/* the next import rebuilds the main rollups: fresh again */
	import_text(month_b);
	all_match();
	ck_assert_int_eq(q_int("SELECT SUM(rows) FROM main.rollup_daily"),
			 q_int("SELECT COUNT(*) FROM charges"));
	ck_assert_int_eq(an_rollups(f.eng, &err), 0);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM temp.sqlite_master"), 0);
	j = summary_json();
	ck_assert(billed_of(j) > 56.946 && billed_of(j) < 56.948);
	cJSON_Delete(j);

	/* usage written directly */
	exec("INSERT INTO usage(resource_id, ts, metric, value, import_id)"
	     " VALUES('i-z', 1790812800, 'cpu_utilization', 3, 1)");
	ck_assert_int_eq(q_int("SELECT usage_stale FROM main.rollup_state"), 1);
	ck_assert_int_eq(an_rollups(f.eng, &err), 0);
	ck_assert_int_eq(q_int("SELECT cpu_n FROM rollup_usage_day WHERE resource_id = 'i-z'"), 1);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM main.rollup_usage_day"), 0);
}
END_TEST

START_TEST(test_cut_bounds)
{
	struct ic_error err;
	int cut;

	import_text(month_a);
	import_text(usage_1);
	ck_assert_int_eq(an_rollups(f.eng, &err), 0);
	/* i-a's October 1st runs from 00:00 to 09:00: 01:00 cuts it */
	ck_assert_int_eq(an_daily_cut(f.eng, OCT + H, NOV, 1, &cut, &err), 0);
	ck_assert_int_eq(cut, 1);
	ck_assert_int_eq(an_daily_cut(f.eng, OCT, OCT + 86400, 1, &cut, &err), 0);
	ck_assert_int_eq(cut, 0);
	ck_assert_int_eq(an_daily_cut(f.eng, OCT, NOV, 0, &cut, &err), 0);
	ck_assert_int_eq(cut, 0);
	/* samples at 00:00, 01:00, 02:00 on the 1st */
	ck_assert_int_eq(an_usage_cut(f.eng, OCT + 2 * H, NOV, &cut, &err), 0);
	ck_assert_int_eq(cut, 1);
	ck_assert_int_eq(an_usage_cut(f.eng, OCT + 3 * H, NOV, &cut, &err), 0);
	ck_assert_int_eq(cut, 0);
	ck_assert_int_eq(an_usage_cut(f.eng, OCT, NOV, &cut, &err), 0);
	ck_assert_int_eq(cut, 0);
}
END_TEST

/* engine_rollups keeps what it saw in the engine object: a second call on
 * the same object leaves the TEMP rollups it built (a column added to
 * one marks it), another object over the connection builds them again,
 * and a write through the connection makes the first object rebuild. */
START_TEST(test_engine_keeps_temp)
{
	struct ic_error err;
	struct engine *e2;
	const char *marked = "SELECT COUNT(*) FROM pragma_table_info('rollup_daily', 'temp')"
			     " WHERE name = 'seen_marker'";

	import_text(month_a);
	exec("UPDATE main.rollup_state SET charges_stale = 1");
	ck_assert_int_eq(engine_rollups(f.eng, &err), 0);
	ck_assert_int_eq(q_int("SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'rollup_daily'"),
			 1);
	exec("ALTER TABLE temp.rollup_daily ADD COLUMN seen_marker INTEGER");
	ck_assert_int_eq(engine_rollups(f.eng, &err), 0);
	ck_assert_int_eq(q_int(marked), 1);
	e2 = engine_wrap_sqlite(f.db);
	ck_assert_ptr_nonnull(e2);
	ck_assert_int_eq(engine_rollups(e2, &err), 0);
	engine_close(e2);
	ck_assert_int_eq(q_int(marked), 0);
	exec("ALTER TABLE temp.rollup_daily ADD COLUMN seen_marker INTEGER");
	exec("UPDATE charges SET BilledCostNanos = BilledCostNanos + 1 WHERE id = 1");
	ck_assert_int_eq(engine_rollups(f.eng, &err), 0);
	ck_assert_int_eq(q_int(marked), 0);
	ck_assert_int_eq(q_int("SELECT SUM(BilledCostNanos) FROM temp.rollup_daily"),
			 q_int("SELECT SUM(BilledCostNanos) FROM charges"));
}
END_TEST

Suite *
rollups_suite(void)
{
	Suite *s = suite_create("rollups");
	TCase *tc = tcase_create("rollups");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_import_restate_second_month);
	tcase_add_test(tc, test_usage_recomputed);
	tcase_add_test(tc, test_sql_fallback);
	tcase_add_test(tc, test_direct_writes);
	tcase_add_test(tc, test_cut_bounds);
	tcase_add_test(tc, test_engine_keeps_temp);
	suite_add_tcase(s, tc);
	return s;
}
