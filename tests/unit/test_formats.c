/*
 * test_formats.c - Check unit tests for the Azure, GCP, Alibaba Cloud,
 * Tencent Cloud (CSV and DescribeBillDetail JSON), CloudWatch and
 * Prometheus importers, and for the GB18030 layer of common/input.c.
 *
 * Driven through the real import path (db_open, import_session_new,
 * import_file, import_session_commit) on the hand-made fixtures in
 * tests/fixtures/ (see the README there) and on small inline files the test
 * writes into a temporary directory; rows are read back with SQL.
 *
 * Covered: detection of every format from its header or JSON shape and
 * --as; Azure M/d/yyyy, MM/dd/yyyy and ISO dates as inclusive days, EA tags
 * wrapped in braces, quantities in unit-of-measure blocks, the actual /
 * amortized rules and their three replacement keys (actual then amortized
 * and amortized then actual give the same month); GCP net cost = cost +
 * credits from JSON lines and from flattened CSV with Python-repr or JSON
 * credits, invoice.month as the billing period, CUD fees and covered
 * usage; Alibaba and Tencent China-time charge periods, 包年包月 orders and
 * refunds spread per China day into the month they fall in, GBK input;
 * CloudWatch resources from the label or the query, Prometheus series,
 * metric names mapped; malformed values refused with FILE:LINE:COL.
 *
 * Expected amounts are hand arithmetic on the fixture numbers (written in
 * the comments); epochs come from the anchors below plus day arithmetic.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "common/db.h"
#include "common/input.h"
#include "importers/import.h"
#include "importers/importer.h"

#define FIX "tests/fixtures/"
#define D 86400LL
#define T_2024_01 1704067200LL			/* 2024-01-01T00:00:00Z */
#define T_2024_03 (T_2024_01 + 60 * D)		/* + Jan 31 + Feb 29 */
#define T_2024_04 (T_2024_03 + 31 * D)
#define T_2024_05 (T_2024_04 + 30 * D)		/* 1714521600 */
#define T_2024_06 (T_2024_05 + 31 * D)
#define T_2024_09 1725148800LL			/* 2024-09-01T00:00:00Z */
#define T_2024_10 (T_2024_09 + 30 * D)
#define CN (8 * 3600LL)				/* China time is UTC+8 */

/* ---- a temporary directory with a database ---- */

struct fx {
	char dir[4096];
	char dbpath[4200];
	sqlite3 *db;
	char *files[16];
	int nfiles;
};

static void
fx_open(struct fx *f)
{
	const char *t = getenv("TMPDIR");
	struct ic_error err;

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "%s/imcost-fmt-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->dbpath, sizeof f->dbpath, "%s/test.db", f->dir);
	f->db = db_open(f->dbpath, DB_WRITE, &err);
	ck_assert_msg(f->db != NULL, "db_open: %s", err.msg);
}

static const char *
fx_write(struct fx *f, const char *name, const char *data)
{
	char *p = malloc(4300);
	size_t len = strlen(data);
	FILE *fp;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_lt(f->nfiles, 16);
	snprintf(p, 4300, "%s/%s", f->dir, name);
	fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	f->files[f->nfiles++] = p;
	return p;
}

static void
fx_close(struct fx *f)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[4300];

	db_close(f->db);
	for (int i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", f->dbpath, sfx[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

/* Import files in one session (as one `imcost import` command). */
static int
fx_import_as(struct fx *f, const char *as, const char *const *paths, int n,
	     struct import_result *res, struct ic_error *err)
{
	struct import_opts o;
	struct import_session *s;
	int rc = 0;

	memset(&o, 0, sizeof o);
	memset(err, 0, sizeof *err);
	o.as = as;
	s = import_session_new(f->db, &o, n);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < n && rc == 0; i++)
		rc = import_file(s, paths[i], res, err);
	if (rc == 0)
		ck_assert_msg(import_session_commit(s, err) == 0, "commit: %s", err->msg);
	import_session_free(s);
	return rc;
}

static void
fx_import_ok(struct fx *f, const char *path, struct import_result *res)
{
	struct ic_error err;

	ck_assert_msg(fx_import_as(f, NULL, &path, 1, res, &err) == 0, "import of %s failed: %s",
		      path, err.msg);
}

/* The import must fail with a message containing `want` (e.g. ":3:8: ")
 * and leave the charges and usage tables as they were. */
static void
fx_refused(struct fx *f, const char *as, const char *path, const char *want, const char *want2)
{
	struct import_result res;
	struct ic_error err;
	int64_t before, after;
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(f->db, "SELECT (SELECT count(*) FROM charges) + (SELECT count(*) FROM usage)",
					    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	before = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	ck_assert_msg(fx_import_as(f, as, &path, 1, &res, &err) == -1, "%s was accepted", path);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error '%s' lacks '%s'", err.msg, want);
	if (want2)
		ck_assert_msg(strstr(err.msg, want2) != NULL, "error '%s' lacks '%s'", err.msg, want2);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	after = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(before, after);
}

/* ---- reading back ---- */

static int64_t
q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "bad SQL %s", sql);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double
q_dbl(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	double v;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "bad SQL %s", sql);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* First column of the first row as text ("<NULL>", "<none>" when no row). */
static const char *
q_text(sqlite3 *db, const char *sql)
{
	static char buf[4][1024];
	static int k;
	sqlite3_stmt *st;
	char *out = buf[k++ % 4];

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "bad SQL %s", sql);
	if (sqlite3_step(st) != SQLITE_ROW)
		snprintf(out, 1024, "<none>");
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		snprintf(out, 1024, "<NULL>");
	else
		snprintf(out, 1024, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

#define TEXT_EQ(db, sql, want) do { \
	const char *got_ = q_text((db), (sql)); \
	ck_assert_msg(strcmp(got_, (want)) == 0, "%s: got '%s', want '%s'", (sql), got_, (want)); \
} while (0)
#define INT_EQ(db, sql, want) do { \
	int64_t got_ = q_int((db), (sql)), want_ = (want); \
	ck_assert_msg(got_ == want_, "%s: got %lld, want %lld", (sql), (long long)got_, (long long)want_); \
} while (0)

/* ---- detection ---- */

static const char *
detect_csv(const char *line)
{
	struct csv_field f[80];
	struct header h = { f, 0, NULL };
	const char *p = line;
	char *copy = strdup(line), *s = copy, *save = NULL, *tok;
	static char name[64];
	const struct importer *imp;

	(void)p;
	for (tok = strtok_r(s, ",", &save); tok && h.n < 80; tok = strtok_r(NULL, ",", &save)) {
		f[h.n].s = tok;
		f[h.n].len = strlen(tok);
		h.n++;
	}
	imp = importer_detect(&h);
	snprintf(name, sizeof name, "%s", imp ? imp->name : "none");
	free(copy);
	return name;
}

static const char *
detect_json(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	const struct importer *imp;

	ck_assert_ptr_nonnull(v);
	imp = importer_detect_json(v);
	cJSON_Delete(v);
	return imp ? imp->name : "none";
}

START_TEST(test_detect)
{
	/* EA 2024-08 names, the older EA names, MCA camelCase, legacy PAYG */
	ck_assert_str_eq(detect_csv("InvoiceSectionName,AccountName,Date,MeterCategory,Quantity,"
				    "CostInBillingCurrency,ChargeType,PricingModel,BillingAccountId,BillingCurrencyCode"), "azure");
	ck_assert_str_eq(detect_csv("BillingAccountId,Date,Product,MeterCategory,Quantity,EffectivePrice,Cost,"
				    "BillingCurrency,ChargeType"), "azure");
	ck_assert_str_eq(detect_csv("invoiceId,billingAccountId,billingProfileId,date,meterCategory,quantity,"
				    "chargeType,billingCurrency,costInBillingCurrency,exchangeRatePricingToBilling"), "azure");
	ck_assert_str_eq(detect_csv("SubscriptionGuid,UsageDateTime,MeterCategory,UsageQuantity,PreTaxCost,Currency"),
			 "azure");
	/* GCP flattened CSV, dotted and underscore spellings */
	ck_assert_str_eq(detect_csv("billing_account_id,service.description,sku.description,usage_start_time,"
				    "cost,currency,credits,invoice.month"), "gcp");
	ck_assert_str_eq(detect_csv("billing_account_id,service_description,sku_id,usage_start_time,cost,currency"),
			 "gcp");
	/* Alibaba (Chinese and English), Tencent (Chinese, unit suffix, English) */
	ck_assert_str_eq(detect_csv("账期,账号ID,产品,消费类型,实例ID,应付金额"), "alibaba");
	ck_assert_str_eq(detect_csv("BillingCycle,AccountID,ProductCode,SubscriptionType,PretaxAmount"), "alibaba");
	ck_assert_str_eq(detect_csv("账单月份,支付者UIN,产品名称,交易类型,原价(元),优惠后总价（元）"), "tencent");
	ck_assert_str_eq(detect_csv("Bill Month,Payer Account ID,Product Name,Total Amount After Discount"), "tencent");
	/* the existing formats still win their own headers */
	ck_assert_str_eq(detect_csv("BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,BillingCurrency"), "focus");
	ck_assert_str_eq(detect_csv("identity/LineItemId,lineItem/LineItemType,lineItem/UnblendedCost,"
				    "bill/BillingPeriodStartDate"), "aws-cur");
	ck_assert_str_eq(detect_csv("Date,Cost,Description"), "none");

	ck_assert_str_eq(detect_json("{\"billing_account_id\":\"A\",\"cost\":1,\"usage_start_time\":\"2024-05-01 00:00:00 UTC\"}"), "gcp");
	ck_assert_str_eq(detect_json("{\"Response\":{\"DetailSet\":[{\"PayerUin\":\"1\",\"ComponentSet\":[]}]}}"), "tencent-api");
	ck_assert_str_eq(detect_json("{\"DetailSet\":[],\"Total\":0}"), "tencent-api");
	ck_assert_str_eq(detect_json("{\"MetricDataResults\":[],\"Messages\":[]}"), "cloudwatch");
	ck_assert_str_eq(detect_json("[{\"MetricDataResults\":[]}]"), "cloudwatch");
	ck_assert_str_eq(detect_json("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"), "prometheus");
	ck_assert_str_eq(detect_json("{\"foo\":1}"), "none");

	ck_assert_ptr_nonnull(importer_find("azure"));
	ck_assert_ptr_nonnull(importer_find("tencent-api"));
	ck_assert_ptr_nonnull(importer_find("prometheus"));
}
END_TEST

/* ---- Azure ---- */

START_TEST(test_azure_dates_and_fields)
{
	struct fx f;
	struct import_result res;
	const char *p;

	fx_open(&f);
	/* three date spellings; billing period end inclusive; EA tags; blocks */
	p = fx_write(&f, "a.csv",
		"\xef\xbb\xbf" "BillingAccountId,BillingPeriodStartDate,BillingPeriodEndDate,SubscriptionId,Date,"
		"MeterCategory,MeterName,UnitOfMeasure,Quantity,CostInBillingCurrency,BillingCurrencyCode,"
		"ChargeType,PricingModel,Frequency,ResourceId,ResourceLocation,Tags,AdditionalInfo\r\n"
		"E1,9/1/2024,9/30/2024,S1,9/3/2024,Virtual Machines,D2 v5,100 Hours,0.24,12.50,EUR,Usage,OnDemand,"
		"UsageBased,/subscriptions/S1/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm1,"
		"EU West,\"\"\"env\"\": \"\"prod\"\"\",\"{\"\"ServiceType\"\":\"\"Standard_D2_v5\"\"}\"\r\n"
		"E1,09/01/2024,09/30/2024,S1,09/15/2024,Storage,Ops,10K,0.0004,0.00004,EUR,Usage,Spot,"
		"UsageBased,,eastus2,\"{\"\"a\"\":\"\"b\"\"}\",\r\n"
		"E1,2024-09-01,2024-09-30,S1,2024-09-30,Storage,Ops,1/Month,2,1.5,EUR,Usage,,,,,,\r\n");
	fx_import_ok(&f, p, &res);
	ck_assert_str_eq(res.format, "azure");
	INT_EQ(f.db, "SELECT count(*) FROM charges", 3);
	/* 9/3/2024 = T_2024_09 + 2 days, one inclusive day long */
	INT_EQ(f.db, "SELECT ChargePeriodStart FROM charges WHERE SourceLine = 2", T_2024_09 + 2 * D);
	INT_EQ(f.db, "SELECT ChargePeriodEnd FROM charges WHERE SourceLine = 2", T_2024_09 + 3 * D);
	INT_EQ(f.db, "SELECT ChargePeriodStart FROM charges WHERE SourceLine = 3", T_2024_09 + 14 * D);
	INT_EQ(f.db, "SELECT ChargePeriodEnd FROM charges WHERE SourceLine = 4", T_2024_10);
	/* 9/30 inclusive -> October 1st, for every spelling */
	INT_EQ(f.db, "SELECT count(*) FROM charges WHERE BillingPeriodStart = 1725148800 AND BillingPeriodEnd = 1727740800", 3);
	/* 12.50 + 0.00004 + 1.5 */
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges", 14000040000LL);
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges", 14000040000LL);
	TEXT_EQ(f.db, "SELECT Tags FROM charges WHERE SourceLine = 2", "{\"env\": \"prod\"}");
	TEXT_EQ(f.db, "SELECT Tags FROM charges WHERE SourceLine = 3", "{\"a\":\"b\"}");
	TEXT_EQ(f.db, "SELECT x_InstanceType FROM charges WHERE SourceLine = 2", "Standard_D2_v5");
	TEXT_EQ(f.db, "SELECT ResourceType FROM charges WHERE SourceLine = 2", "Microsoft.Compute/virtualMachines");
	TEXT_EQ(f.db, "SELECT RegionId FROM charges WHERE SourceLine = 2", "westeurope");
	TEXT_EQ(f.db, "SELECT RegionId FROM charges WHERE SourceLine = 3", "eastus2");
	TEXT_EQ(f.db, "SELECT PricingCategory FROM charges WHERE SourceLine = 2", "Standard");
	TEXT_EQ(f.db, "SELECT PricingCategory FROM charges WHERE SourceLine = 3", "Dynamic");
	TEXT_EQ(f.db, "SELECT ProviderName FROM charges WHERE SourceLine = 4", "Microsoft");
	TEXT_EQ(f.db, "SELECT BillingAccountId FROM charges WHERE SourceLine = 4", "E1");
	/* Quantity counts blocks: 0.24 x 100 hours, 0.0004 x 10K operations */
	ck_assert(q_dbl(f.db, "SELECT ConsumedQuantity FROM charges WHERE SourceLine = 2") > 23.999999 &&
		  q_dbl(f.db, "SELECT ConsumedQuantity FROM charges WHERE SourceLine = 2") < 24.000001);
	ck_assert(q_dbl(f.db, "SELECT ConsumedQuantity FROM charges WHERE SourceLine = 3") > 3.999999 &&
		  q_dbl(f.db, "SELECT ConsumedQuantity FROM charges WHERE SourceLine = 3") < 4.000001);
	ck_assert(q_dbl(f.db, "SELECT PricingQuantity FROM charges WHERE SourceLine = 2") == 0.24);
	TEXT_EQ(f.db, "SELECT PricingUnit FROM charges WHERE SourceLine = 2", "Hours");
	TEXT_EQ(f.db, "SELECT PricingUnit FROM charges WHERE SourceLine = 3", "Units");
	TEXT_EQ(f.db, "SELECT PricingUnit FROM charges WHERE SourceLine = 4", "Units/Month");
	fx_close(&f);
}
END_TEST

/* The fixture pair: actual and amortized EA exports of one month.
 * Shared on-demand rows: 12.50 + 0.0000000072922557592391990000 (7 nanos)
 * = 12.500000007.  Actual only: RI purchase 100.00, RI refund -10.00, SP
 * purchase 50.00 (= 140) and two covered usage rows at 0.  Amortized
 * only: RI usage 70.00, SP usage 45.00, unused RI 20.00, unused SP 5.00
 * (= 140). */
#define AZ_O 12500000007LL
#define AZ_COMMIT 140000000000LL

static void
azure_month(struct fx *f, int64_t billed, int64_t effective)
{
	INT_EQ(f->db, "SELECT sum(BilledCostNanos) FROM charges", billed);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges", effective);
}

START_TEST(test_azure_actual_amortized)
{
	struct fx f;
	struct import_result res;
	const char *actual = FIX "azure/ea-actual_2024-09.csv", *amort = FIX "azure/ea-amortized_2024-09.csv";

	/* each alone reconciles with its own file */
	fx_open(&f);
	fx_import_ok(&f, actual, &res);
	azure_month(&f, AZ_O + AZ_COMMIT, AZ_O);
	INT_EQ(f.db, "SELECT count(*) FROM charges WHERE BillingAccountId = '90000001/commitment-purchases'", 3);
	INT_EQ(f.db, "SELECT EffectiveCostNanos FROM charges WHERE SourceLine = 5", 0);
	TEXT_EQ(f.db, "SELECT ChargeCategory || '/' || ChargeClass FROM charges WHERE SourceLine = 6", "Purchase/Correction");
	TEXT_EQ(f.db, "SELECT CommitmentDiscountType FROM charges WHERE SourceLine = 7", "Savings Plan");
	TEXT_EQ(f.db, "SELECT CommitmentDiscountStatus FROM charges WHERE SourceLine = 4", "Used");
	/* then the amortized file (a second command): its shared rows restate
	 * the actual's, the purchases stay */
	fx_import_ok(&f, amort, &res);
	azure_month(&f, AZ_O + AZ_COMMIT, AZ_O + AZ_COMMIT);
	INT_EQ(f.db, "SELECT count(*) FROM charges", 2 + 3 + 4);
	fx_close(&f);

	fx_open(&f);
	fx_import_ok(&f, amort, &res);
	azure_month(&f, AZ_O, AZ_O + AZ_COMMIT);
	TEXT_EQ(f.db, "SELECT CommitmentDiscountStatus FROM charges WHERE x_LineItemType = 'UnusedReservation'", "Unused");
	TEXT_EQ(f.db, "SELECT BillingAccountId FROM charges WHERE x_LineItemType = 'UnusedSavingsPlan'",
		"90000001/commitment-usage");
	INT_EQ(f.db, "SELECT BilledCostNanos FROM charges WHERE x_LineItemType = 'UnusedSavingsPlan'", 0);
	/* the other order ends with the same month */
	fx_import_ok(&f, actual, &res);
	azure_month(&f, AZ_O + AZ_COMMIT, AZ_O + AZ_COMMIT);
	fx_close(&f);
}
END_TEST

START_TEST(test_azure_malformed)
{
	struct fx f;
	const char *hdr = "BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode,MeterCategory,ChargeType\n";
	char buf[1024];

	fx_open(&f);
	snprintf(buf, sizeof buf, "%sE1,9/3/2024,1.5,EUR,Storage,Usage\nE1,13/31/2024,1.5,EUR,Storage,Usage\n", hdr);
	fx_refused(&f, NULL, fx_write(&f, "date.csv", buf), ":3:2: ", "13/31/2024");
	snprintf(buf, sizeof buf, "%sE1,9/31/2024,1.5,EUR,Storage,Usage\n", hdr);
	fx_refused(&f, NULL, fx_write(&f, "date2.csv", buf), ":2:2: ", "9/31/2024");
	snprintf(buf, sizeof buf, "%sE1,9/3/2024,1,5,EUR,Storage,Usage\n", hdr);
	fx_refused(&f, NULL, fx_write(&f, "fields.csv", buf), ":2:", "fields");
	snprintf(buf, sizeof buf, "%sE1,9/3/2024,1.5x,EUR,Storage,Usage\n", hdr);
	fx_refused(&f, NULL, fx_write(&f, "num.csv", buf), ":2:3: ", "1.5x");
	fx_refused(&f, "azure", fx_write(&f, "nodate.csv",
		"BillingAccountId,CostInBillingCurrency,BillingCurrencyCode,MeterCategory,ChargeType\nE1,1,EUR,S,Usage\n"),
		"required column", NULL);
	fx_refused(&f, "azure", fx_write(&f, "nocost.csv",
		"BillingAccountId,Date,BillingCurrencyCode,MeterCategory\nE1,9/3/2024,EUR,S\n"),
		"CostInBillingCurrency", NULL);
	snprintf(buf, sizeof buf, "%sE1,9/3/2024,1.5,EUR,Storage,Usage\nE1,9/4/2024,1.5", hdr);
	fx_refused(&f, NULL, fx_write(&f, "trunc.csv", buf), ":3:", "truncated");
	fx_close(&f);
}
END_TEST

/* ---- GCP ---- */

START_TEST(test_gcp_jsonl)
{
	struct fx f;
	struct import_result res;

	fx_open(&f);
	fx_import_ok(&f, FIX "gcp/bq-export_2024-05.jsonl", &res);
	ck_assert_str_eq(res.format, "gcp");
	INT_EQ(f.db, "SELECT count(*) FROM charges", 5);
	/* 1.234567 - 0.2 - 0.034567 + 2.5 + (3.0 - 3.0) + 0.45 - 0.1 = 3.85 */
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges", 3850000000LL);
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges", 3850000000LL);
	INT_EQ(f.db, "SELECT BilledCostNanos FROM charges WHERE SourceLine = 1", 1000000000LL);
	INT_EQ(f.db, "SELECT ListCostNanos FROM charges WHERE SourceLine = 1", 1500000000LL);
	/* April usage on the May invoice: billed in May */
	INT_EQ(f.db, "SELECT ChargePeriodStart FROM charges WHERE SourceLine = 1", T_2024_05 - 3600);
	INT_EQ(f.db, "SELECT count(*) FROM charges WHERE BillingPeriodStart = 1714521600 AND BillingPeriodEnd = 1717200000", 5);
	TEXT_EQ(f.db, "SELECT ChargeCategory || '/' || PricingCategory || '/' || CommitmentDiscountCategory FROM charges WHERE SourceLine = 2",
		"Purchase/Committed/Usage");
	TEXT_EQ(f.db, "SELECT CommitmentDiscountId FROM charges WHERE SourceLine = 2",
		"projects/im-prod-123/regions/us-central1/commitments/im-cud-1");
	TEXT_EQ(f.db, "SELECT PricingCategory || '/' || CommitmentDiscountStatus FROM charges WHERE SourceLine = 3", "Committed/Used");
	INT_EQ(f.db, "SELECT BilledCostNanos FROM charges WHERE SourceLine = 3", 0);
	TEXT_EQ(f.db, "SELECT ChargeCategory FROM charges WHERE SourceLine = 4", "Tax");
	TEXT_EQ(f.db, "SELECT ChargeCategory || '/' || ChargeClass FROM charges WHERE SourceLine = 5", "Adjustment/Correction");
	TEXT_EQ(f.db, "SELECT Tags FROM charges WHERE SourceLine = 1", "{\"app\":\"im-gateway\",\"env\":\"prod\"}");
	TEXT_EQ(f.db, "SELECT x_InstanceType FROM charges WHERE SourceLine = 1", "e2-standard-2");
	TEXT_EQ(f.db, "SELECT ProviderName || '/' || BillingAccountId || '/' || SubAccountId FROM charges WHERE SourceLine = 1",
		"Google Cloud/01ABCD-234567-89EF01/im-prod-123");
	TEXT_EQ(f.db, "SELECT ResourceId FROM charges WHERE SourceLine = 1",
		"//compute.googleapis.com/projects/im-prod-123/zones/us-central1-a/instances/1234567890");
	TEXT_EQ(f.db, "SELECT RegionId || '/' || AvailabilityZone FROM charges WHERE SourceLine = 1", "us-central1/us-central1-a");
	ck_assert(q_dbl(f.db, "SELECT PricingQuantity FROM charges WHERE SourceLine = 2") == 2);
	fx_close(&f);
}
END_TEST

START_TEST(test_gcp_csv)
{
	struct fx f;
	struct import_result res;
	const char *p;

	fx_open(&f);
	/* credits as Python repr (single quotes, None, e-notation) and JSON */
	p = fx_write(&f, "g.csv",
		"billing_account_id,service.description,sku.description,usage_start_time,usage_end_time,"
		"project.id,labels,cost,currency,credits,invoice.month,cost_type\n"
		"B1,BigQuery,Analysis,2020-11-09 23:00:00+00:00,2020-11-10 00:00:00+00:00,p1,"
		"\"[{'key': 'team', 'value': \"\"o'neil\"\"}]\",5e-06,USD,"
		"\"[{'name': 'FreeTrial', 'amount': -5e-06, 'full_name': None, 'id': 'x', 'type': 'PROMOTION'}]\",202011,regular\n"
		"B1,Compute Engine,Core,2020-11-30 23:00:00+00:00,2020-12-01 00:00:00+00:00,p1,[],1.25,USD,"
		"\"[{\"\"amount\"\": -0.25, \"\"type\"\": \"\"SUSTAINED_USAGE_DISCOUNT\"\"}, {'amount': -0.5, 'type': 'DISCOUNT'}]\","
		"202012,regular\n"
		"B1,Compute Engine,Core,2020-11-30 22:00:00+00:00,2020-11-30 23:00:00+00:00,p1,[],0.75,USD,[],202011,\n");
	fx_import_ok(&f, p, &res);
	ck_assert_str_eq(res.format, "gcp");
	INT_EQ(f.db, "SELECT BilledCostNanos FROM charges WHERE SourceLine = 2", 0);
	/* 1.25 - 0.25 - 0.5 */
	INT_EQ(f.db, "SELECT BilledCostNanos FROM charges WHERE SourceLine = 3", 500000000LL);
	/* invoice months: 2020-11 holds 0 + 0.75, 2020-12 holds 0.5 */
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges WHERE BillingPeriodStart = 1604188800", 750000000LL);
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges WHERE BillingPeriodStart = 1606780800", 500000000LL);
	TEXT_EQ(f.db, "SELECT Tags FROM charges WHERE SourceLine = 2", "{\"team\":\"o'neil\"}");
	fx_refused(&f, NULL, fx_write(&f, "badcredit.csv",
		"billing_account_id,service.description,usage_start_time,cost,currency,credits\n"
		"B1,S,2020-11-09 23:00:00+00:00,1,USD,[{'amount': 'x'}]\n"), ":2:6: ", "credit 1");
	fx_refused(&f, NULL, fx_write(&f, "badrepr.csv",
		"billing_account_id,service.description,usage_start_time,cost,currency,credits\n"
		"B1,S,2020-11-09 23:00:00+00:00,1,USD,[{'amount': -1\n"), ":2:6: ", "list");
	fx_refused(&f, NULL, fx_write(&f, "badmonth.csv",
		"billing_account_id,service.description,usage_start_time,cost,currency,invoice.month\n"
		"B1,S,2020-11-09 23:00:00+00:00,1,USD,202013\n"), ":2:6: ", "202013");
	fx_refused(&f, NULL, fx_write(&f, "badtime.csv",
		"billing_account_id,service.description,usage_start_time,cost,currency\n"
		"B1,S,2020-11-31 23:00:00,1,USD\n"), ":2:3: ", "2020-11-31");
	fx_refused(&f, NULL, fx_write(&f, "nocur.csv",
		"billing_account_id,service.description,usage_start_time,cost\nB1,S,2020-11-09,1\n"),
		"required column currency", NULL);
	fx_close(&f);
}
END_TEST

START_TEST(test_gcp_jsonl_malformed)
{
	struct fx f;
	const char *good = "{\"billing_account_id\":\"B\",\"cost\":1,\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 00:00:00 UTC\",\"invoice\":{\"month\":\"202405\"}}\n";
	char buf[2048];

	fx_open(&f);
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 25:00:00 UTC\"}\n", good);
	fx_refused(&f, NULL, fx_write(&f, "t.jsonl", buf), ":2:72: ", "usage_start_time");
	snprintf(buf, sizeof buf, "%s%s{\"billing_account_id\":\"B\",\"cost\":\"1,5\",\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 00:00:00 UTC\"}\n", good, good);
	fx_refused(&f, NULL, fx_write(&f, "n.jsonl", buf), ":3:34: ", "field cost");
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 00:00:00 UTC\",\"credits\":{\"amount\":-1}}\n", good);
	fx_refused(&f, NULL, fx_write(&f, "c.jsonl", buf), ":2:108: ", "credits");
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"usage_start_time\":\"2024-05-01 00:00:00 UTC\"}\n", good);
	fx_refused(&f, NULL, fx_write(&f, "m.jsonl", buf), ":2:1: ", "currency");
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"curr", good);
	fx_refused(&f, NULL, fx_write(&f, "x.jsonl", buf), ":2:", "JSON");
	/* an encoded surrogate and a raw 0xff byte never reach a column */
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 00:00:00 UTC\",\"service\":{\"description\":\"x\xed\xa0\x80y\"}}\n", good);
	/* the JSON pre-scan names the first byte that is not UTF-8 */
	fx_refused(&f, NULL, fx_write(&f, "s.jsonl", buf), ":2:125: invalid UTF-8 byte 0xed", "UTF-8");
	snprintf(buf, sizeof buf, "%s{\"billing_account_id\":\"B\",\"cost\":1,\"currency\":\"USD\",\"usage_start_time\":\"2024-05-01 00:00:00 UTC\",\"labels\":[{\"key\":\"k\",\"value\":\"\xff\"}]}\n", good);
	fx_refused(&f, NULL, fx_write(&f, "b.jsonl", buf), ":2:128: invalid UTF-8 byte 0xff", "UTF-8");
	fx_close(&f);
}
END_TEST

/* ---- Alibaba ---- */

/* The fixture bill of 2024-03 (China time):
 *   ECS order 300.00 over 2024-03-17..2024-04-16 (30 days, 10.00 a day)
 *   RDS order 3650.00 over 2024-03-10..2025-03-10 (365 days, 10.00 a day)
 *   ECS on-demand 12.345678, OSS 0.50 (resource package), spot 1.25
 *   a subscription refund -160.00 over 2024-03-20..2024-04-05 (16 days)
 *   an adjustment -5.00
 * billed: 300 + 3650 + 12.345678 + 0.50 - 160 - 5 + 1.25 = 3799.095678
 * effective in March: 12.345678 + 0.5 - 5 + 1.25 + 15 x 10 + 22 x 10
 *   - 12 x 10 = 259.095678; April: 15 x 10 + 30 x 10 - 4 x 10 = 410 */
static void
alibaba_checks(struct fx *f)
{
	INT_EQ(f->db, "SELECT count(*) FROM charges", 7 + 30 + 365 + 16);
	INT_EQ(f->db, "SELECT sum(BilledCostNanos) FROM charges", 3799095678000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges", 3799095678000LL);
	INT_EQ(f->db, "SELECT sum(BilledCostNanos) FROM charges WHERE BillingPeriodStart = 1709251200", 3799095678000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1709251200", 259095678000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1711929600", 410000000000LL);
	/* the ECS order: 30 days of 10.00, the first from 2024-03-17 00:00 China */
	INT_EQ(f->db, "SELECT count(*) FROM charges WHERE CommitmentDiscountId = '210000000000001' AND EffectiveCostNanos = 10000000000", 30);
	INT_EQ(f->db, "SELECT min(ChargePeriodStart) FROM charges WHERE CommitmentDiscountId = '210000000000001'",
	       T_2024_03 + 16 * D - CN);
	INT_EQ(f->db, "SELECT max(ChargePeriodEnd) FROM charges WHERE CommitmentDiscountId = '210000000000001'",
	       T_2024_04 + 15 * D - CN);
	TEXT_EQ(f->db, "SELECT DISTINCT BillingAccountId FROM charges WHERE CommitmentDiscountId = '210000000000001'",
		"1234567890123456/prepaid-2024-03");
	/* the order itself: Purchase, billed now, effective 0 */
	TEXT_EQ(f->db, "SELECT ChargeCategory || '/' || BilledCostNanos || '/' || EffectiveCostNanos FROM charges WHERE SourceLine = 2 AND BillingAccountId = '1234567890123456'",
		"Purchase/300000000000/0");
	INT_EQ(f->db, "SELECT ListCostNanos FROM charges WHERE SourceLine = 2 AND BilledCostNanos > 0", 350000000000LL);
	/* on-demand: China time -> UTC */
	INT_EQ(f->db, "SELECT ChargePeriodStart FROM charges WHERE SourceLine = 4", T_2024_03 - CN);
	TEXT_EQ(f->db, "SELECT PricingCategory FROM charges WHERE SourceLine = 4", "Standard");
	TEXT_EQ(f->db, "SELECT PricingCategory FROM charges WHERE SourceLine = 5", "Committed");
	TEXT_EQ(f->db, "SELECT PricingCategory FROM charges WHERE SourceLine = 8", "Dynamic");
	TEXT_EQ(f->db, "SELECT ChargeClass FROM charges WHERE SourceLine = 6 AND BilledCostNanos <> 0", "Correction");
	TEXT_EQ(f->db, "SELECT ChargeCategory FROM charges WHERE SourceLine = 7", "Adjustment");
	TEXT_EQ(f->db, "SELECT Tags FROM charges WHERE SourceLine = 4", "{\"env\":\"prod\",\"team\":\"push\"}");
	TEXT_EQ(f->db, "SELECT RegionId || '/' || x_InstanceType FROM charges WHERE SourceLine = 4", "cn-hangzhou/ecs.c7.xlarge");
	TEXT_EQ(f->db, "SELECT DISTINCT BillingCurrency || '/' || ProviderName FROM charges", "CNY/Alibaba Cloud");
	TEXT_EQ(f->db, "SELECT SubAccountId FROM charges WHERE SourceLine = 4", "2234567890123456");
}

START_TEST(test_alibaba)
{
	struct fx f;
	struct import_result res;

	fx_open(&f);
	fx_import_ok(&f, FIX "alibaba/bill-detail_2024-03_zh.csv", &res);
	ck_assert_str_eq(res.format, "alibaba");
	alibaba_checks(&f);
	/* the same file again changes nothing; the next month's bill does not
	 * touch March's spread rows for April */
	fx_import_ok(&f, FIX "alibaba/bill-detail_2024-03_zh.csv", &res);
	ck_assert_int_eq(res.unchanged, 1);
	fx_import_ok(&f, FIX "alibaba/bill-detail_2024-04_en.csv", &res);
	ck_assert_str_eq(res.format, "alibaba");
	/* April: 410 from March's orders + 300 order (30 x 10) + 24.70 CDN */
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1711929600", 734700000000LL);
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges WHERE BillingPeriodStart = 1711929600", 324700000000LL);
	fx_close(&f);
}
END_TEST

START_TEST(test_alibaba_malformed)
{
	struct fx f;
	const char *h = "账期,账号ID,消费类型,账单开始时间,账单结束时间,应付金额\n";
	char buf[1024];

	fx_open(&f);
	snprintf(buf, sizeof buf, "%s2024-03,A1,PayAsYouGo,2024-03-01 00:00:00,2024-03-02 00:00:00,1\n"
		 "2024-03,A1,PayAsYouGo,2024-03-01 00:00:00,2024-03-32 00:00:00,1\n", h);
	fx_refused(&f, NULL, fx_write(&f, "d.csv", buf), ":3:5: ", "2024-03-32");
	snprintf(buf, sizeof buf, "%s2024-03,A1,PayAsYouGo,2024-03-01 00:00:00,2024-03-02 00:00:00,¥1\n", h);
	fx_refused(&f, NULL, fx_write(&f, "n.csv", buf), ":2:6: ", "¥1");
	snprintf(buf, sizeof buf, "%s2024-13,A1,PayAsYouGo,2024-03-01 00:00:00,2024-03-02 00:00:00,1\n", h);
	fx_refused(&f, NULL, fx_write(&f, "m.csv", buf), ":2:1: ", "2024-13");
	snprintf(buf, sizeof buf, "%s2024-03,A1,Subscription,2024-03-05 00:00:00,2024-03-01 00:00:00,100\n", h);
	fx_refused(&f, NULL, fx_write(&f, "r.csv", buf), ":2:5: ", "ends before");
	fx_refused(&f, "alibaba", fx_write(&f, "c.csv", "账期,消费类型,应付金额\n2024-03,PayAsYouGo,1\n"),
		   "账号ID", NULL);
	snprintf(buf, sizeof buf, "%s2024-03,A1,PayAsYouGo,2024-03-01 00:00:00,2024-03-02 00:00:00,1\n2024-03,A1,PayAs", h);
	fx_refused(&f, NULL, fx_write(&f, "t.csv", buf), ":3:", "truncated");
	fx_close(&f);
}
END_TEST

/* ---- Tencent ---- */

/* The fixture bill of 2024-05 (China time):
 *   CVM 新购 90.00 over 2024-05-11..2024-06-10 (30 days, 3.00 a day:
 *   21 in May, 9 in June); on-demand 0.52, 1.234567 and 0.10 (原价 "-");
 *   退费 -20.00 over 2024-05-20..2024-05-30 (10 days); 调账补偿 -3.00.
 * billed 90 + 0.52 + 1.234567 - 20 - 3 + 0.10 = 68.854567
 * effective May: 63 + 0.52 + 1.234567 - 20 - 3 + 0.10 = 41.854567; June 27 */
static void
tencent_checks(struct fx *f)
{
	INT_EQ(f->db, "SELECT count(*) FROM charges", 6 + 30 + 10);
	INT_EQ(f->db, "SELECT sum(BilledCostNanos) FROM charges", 68854567000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges", 68854567000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1714521600", 41854567000LL);
	INT_EQ(f->db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1717200000", 27000000000LL);
	INT_EQ(f->db, "SELECT count(*) FROM charges WHERE CommitmentDiscountId = '20240510000000000001' AND EffectiveCostNanos = 3000000000", 30);
	TEXT_EQ(f->db, "SELECT ChargeCategory || '/' || EffectiveCostNanos FROM charges WHERE SourceLine = 2 AND BilledCostNanos <> 0",
		"Purchase/0");
	TEXT_EQ(f->db, "SELECT ChargeCategory || '/' || PricingCategory FROM charges WHERE SourceLine = 3", "Usage/Standard");
	INT_EQ(f->db, "SELECT ChargePeriodStart FROM charges WHERE SourceLine = 3", T_2024_05 + 10 * 3600 - CN);
	TEXT_EQ(f->db, "SELECT ChargeClass FROM charges WHERE SourceLine = 5 AND BilledCostNanos <> 0", "Correction");
	TEXT_EQ(f->db, "SELECT ChargeCategory FROM charges WHERE SourceLine = 6", "Adjustment");
	TEXT_EQ(f->db, "SELECT coalesce(ListCostNanos, 'none') FROM charges WHERE SourceLine = 7", "none");
	INT_EQ(f->db, "SELECT ListCostNanos FROM charges WHERE SourceLine = 3", 650000000LL);
	TEXT_EQ(f->db, "SELECT BillingAccountId || '/' || SubAccountId FROM charges WHERE SourceLine = 3", "100000000001/100000000002");
	TEXT_EQ(f->db, "SELECT Tags FROM charges WHERE SourceLine = 2 AND BilledCostNanos <> 0", "{\"env\":\"prod\",\"team\":\"im\"}");
	TEXT_EQ(f->db, "SELECT DISTINCT ProviderName || '/' || BillingCurrency FROM charges", "Tencent Cloud/CNY");
}

START_TEST(test_tencent_csv)
{
	struct fx f;
	struct import_result res;

	fx_open(&f);
	fx_import_ok(&f, FIX "tencent/bill-detail_2024-05_zh.csv", &res);
	ck_assert_str_eq(res.format, "tencent");
	tencent_checks(&f);
	fx_close(&f);
	fx_open(&f);
	fx_import_ok(&f, FIX "tencent/bill-detail_2024-05_en.csv", &res);
	ck_assert_str_eq(res.format, "tencent");
	tencent_checks(&f);
	fx_close(&f);
}
END_TEST

START_TEST(test_tencent_api)
{
	struct fx f;
	struct import_result res;
	const char *p;

	fx_open(&f);
	/* two pages in an array; a prepay purchase of 2 components over 10
	 * days (31.00 and 9.00 -> 3.10 and 0.90 a day), one postpay line */
	p = fx_write(&f, "api.json",
		"[{\"DetailSet\":[{\"PayerUin\":\"9\",\"OwnerUin\":\"8\",\"BusinessCodeName\":\"云服务器CVM\",\"BusinessCode\":\"p_cvm\","
		"\"PayModeName\":\"包年包月\",\"ActionType\":\"prepay_purchase\",\"ActionTypeName\":\"新购\",\"OrderId\":\"O1\","
		"\"BillMonth\":\"2023-07-01 00:00:00\",\"FeeBeginTime\":\"2023-07-25 00:00:00\",\"FeeEndTime\":\"2023-08-04 00:00:00\","
		"\"ResourceId\":\"ins-1\",\"Tags\":[{\"TagKey\":\"env\",\"TagValue\":\"prod\"}],"
		"\"ComponentSet\":[{\"RealCost\":\"31.00000000\",\"Cost\":\"40.00000000\",\"UsedAmount\":\"1\",\"ItemCodeName\":\"cpu\"},"
		"{\"RealCost\":\"9.00000000\",\"Cost\":\"-\",\"UsedAmount\":\"-\",\"ItemCodeName\":\"disk\"}]}],\"Total\":2},"
		"{\"Response\":{\"DetailSet\":[{\"PayerUin\":\"9\",\"PayModeName\":\"按量计费\",\"ActionType\":\"postpay_deduct_h\","
		"\"BillMonth\":\"2023-07-01 00:00:00\",\"FeeBeginTime\":\"2023-07-02 10:00:00\",\"FeeEndTime\":\"2023-07-02 11:00:00\","
		"\"ComponentSet\":[{\"RealCost\":\"0.12345678\",\"Cost\":\"0.2\"}]}]}}]\n");
	fx_import_ok(&f, p, &res);
	ck_assert_str_eq(res.format, "tencent-api");
	INT_EQ(f.db, "SELECT count(*) FROM charges", 3 + 2 * 10);
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges", 40123456780LL);
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges", 40123456780LL);
	/* July holds 7 days of each component: 7 x 4.00, August 3 x 4.00 */
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1688169600", 28123456780LL);
	INT_EQ(f.db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE BillingPeriodStart = 1690848000", 12000000000LL);
	INT_EQ(f.db, "SELECT count(*) FROM charges WHERE EffectiveCostNanos = 3100000000", 10);
	TEXT_EQ(f.db, "SELECT Tags FROM charges WHERE BilledCostNanos = 31000000000", "{\"env\":\"prod\"}");
	TEXT_EQ(f.db, "SELECT coalesce(ListCostNanos, 'none') FROM charges WHERE BilledCostNanos = 9000000000", "none");
	TEXT_EQ(f.db, "SELECT ChargeCategory FROM charges WHERE BilledCostNanos = 123456780", "Usage");

	fx_refused(&f, NULL, fx_write(&f, "bad.json",
		"{\"DetailSet\":[{\"PayerUin\":\"9\",\"BillMonth\":\"2023-07\",\"ComponentSet\":[{\"RealCost\":\"1.2.3\"}]}]}"),
		":1:81: ", "DetailSet[0].ComponentSet[0].RealCost");
	fx_refused(&f, NULL, fx_write(&f, "badtime.json",
		"{\"DetailSet\":[{\"PayerUin\":\"9\",\"FeeBeginTime\":\"2023-02-30 00:00:00\",\"ComponentSet\":[]}]}"),
		":1:46: ", "DetailSet[0].FeeBeginTime");
	fx_refused(&f, NULL, fx_write(&f, "trunc.json", "{\"DetailSet\":[{\"PayerUin\":\"9\",\"Compo"), ":1:32: ", "invalid JSON");
	fx_refused(&f, "tencent-api", fx_write(&f, "err.json",
		"{\"Response\":{\"Error\":{\"Code\":\"AuthFailure\",\"Message\":\"signature expired\"}}}"),
		":1:1: ", "signature expired");
	fx_close(&f);
}
END_TEST

/* ---- metrics ---- */

START_TEST(test_cloudwatch)
{
	struct fx f;
	struct import_result res;

	fx_open(&f);
	fx_import_ok(&f, FIX "cloudwatch/get-metric-data.json", &res);
	ck_assert_str_eq(res.format, "cloudwatch");
	INT_EQ(f.db, "SELECT count(*) FROM usage", 3);
	/* the label names the resource; the two CPU samples of the hour make
	 * their mean at the hour's start */
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE resource_id = 'i-0123456789abcdef0' AND metric = 'cpu_utilization' AND ts = 1714521600") == 15.375);
	TEXT_EQ(f.db, "SELECT unit FROM usage WHERE metric = 'cpu_utilization'", "Percent");
	/* "NetworkIn" alone: the query's InstanceId dimension names it */
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE resource_id = 'i-0fedcba9876543210' AND metric = 'network_in_bytes'") == 1048576);
	/* an unmapped metric keeps its name */
	INT_EQ(f.db, "SELECT count(*) FROM usage WHERE metric = 'StatusCheckFailed' AND resource_id = 'i-0123456789abcdef0'", 1);

	fx_refused(&f, NULL, fx_write(&f, "nores.json",
		"{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"CPUUtilization\",\"Timestamps\":[],\"Values\":[]}]}"),
		":1:23: ", "names no resource");
	fx_refused(&f, NULL, fx_write(&f, "len.json",
		"{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"i-1 CPUUtilization\",\"Timestamps\":[\"2024-05-01T00:00:00Z\"],\"Values\":[]}]}"),
		":1:23: ", "1 Timestamps but 0 Values");
	fx_refused(&f, NULL, fx_write(&f, "ts.json",
		"{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"i-1 CPUUtilization\",\"Timestamps\":[\"2024-05-01T24:30:00Z\"],\"Values\":[1]}]}"),
		":1:77: ", "Timestamps[0]");
	fx_refused(&f, NULL, fx_write(&f, "utf8.json",
		"{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"i-1 CPU\xc3\",\"Timestamps\":[],\"Values\":[]}]}"),
		":1:50: invalid UTF-8 byte 0xc3", "UTF-8");
	fx_refused(&f, NULL, fx_write(&f, "val.json",
		"{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"i-1 CPUUtilization\",\"Timestamps\":[\"2024-05-01T00:00:00Z\"],\"Values\":[\"x\"]}]}"),
		":1:111: ", "Values[0]");
	fx_close(&f);
}
END_TEST

START_TEST(test_prometheus)
{
	struct fx f;
	struct import_result res;

	fx_open(&f);
	fx_import_ok(&f, FIX "prometheus/query_range.json", &res);
	ck_assert_str_eq(res.format, "prometheus");
	/* NaN skipped; the node-mixin ratio becomes a percentage */
	INT_EQ(f.db, "SELECT count(*) FROM usage", 2);
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE resource_id = 'i-0123456789abcdef0' AND metric = 'cpu_utilization' AND ts = 1714521600") == 31.25);
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE resource_id = '10.0.0.2:9100' AND metric = 'node_memory_MemAvailable_bytes'") == 1073741824.0);

	fx_refused(&f, NULL, fx_write(&f, "noname.json",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"instance\":\"a\"},\"values\":[[1,\"1\"]]}]}}"),
		":1:61: ", "__name__");
	fx_refused(&f, NULL, fx_write(&f, "badval.json",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\"},\"values\":[[1,\"1\"],[2,\"one\"]]}]}}"),
		":1:122: ", "data.result[0].values[1]");
	fx_refused(&f, NULL, fx_write(&f, "badts.json",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\"},\"values\":[[\"x\",\"1\"]]}]}}"),
		":1:114: ", "values[0]");
	fx_refused(&f, "prometheus", fx_write(&f, "err.json",
		"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}"), "", "parse error at char 4");
	fx_refused(&f, "cloudwatch", fx_write(&f, "wrong.json",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"), ":1:1: ", "MetricDataResults");
	fx_close(&f);
}
END_TEST

/* ---- --as ---- */

START_TEST(test_force_format)
{
	struct fx f;
	struct import_result res;
	struct ic_error err;
	const char *p = FIX "tencent/bill-detail_2024-05_zh.csv";

	fx_open(&f);
	ck_assert_int_eq(fx_import_as(&f, "tencent", &p, 1, &res, &err), 0);
	ck_assert_str_eq(res.format, "tencent");
	fx_refused(&f, "alibaba", FIX "tencent/bill-detail_2024-05_zh.csv", "required column", "账期");
	fx_refused(&f, "tencent-api", FIX "tencent/bill-detail_2024-05_zh.csv", "JSON", NULL);
	fx_refused(&f, "no-such-format", FIX "tencent/bill-detail_2024-05_zh.csv", "unknown format", NULL);
	fx_close(&f);
}
END_TEST

/* ---- GB18030 input ---- */

/* "账期,账号ID,应付金额,产品\n2024-03,1234,1.50,云服务器\n2024-03,1234,2.25,对象存储\n"
 * in GBK (bytes from Python's gbk codec) */
static const char gbk_csv[] =
	"\xd5\xcb\xc6\xda,\xd5\xcb\xba\xc5ID,\xd3\xa6\xb8\xb6\xbd\xf0\xb6\xee,\xb2\xfa\xc6\xb7\n"
	"2024-03,1234,1.50,\xd4\xc6\xb7\xfe\xce\xf1\xc6\xf7\n"
	"2024-03,1234,2.25,\xb6\xd4\xcf\xf3\xb4\xe6\xb4\xa2\n";

START_TEST(test_gbk_import)
{
	struct fx f;
	struct import_result res, res2;

	fx_open(&f);
	fx_import_ok(&f, fx_write(&f, "gbk.csv", gbk_csv), &res);
	ck_assert_str_eq(res.format, "alibaba");
	INT_EQ(f.db, "SELECT sum(BilledCostNanos) FROM charges", 3750000000LL);
	TEXT_EQ(f.db, "SELECT ServiceName FROM charges WHERE SourceLine = 2", "云服务器");
	TEXT_EQ(f.db, "SELECT ServiceName FROM charges WHERE SourceLine = 3", "对象存储");
	/* the content hash is of the original GBK bytes: the UTF-8 text of the
	 * same rows is another file */
	fx_import_ok(&f, fx_write(&f, "utf8.csv", "账期,账号ID,应付金额,产品\n2024-03,1234,1.50,云服务器\n"
						    "2024-03,1234,2.25,对象存储\n"), &res2);
	ck_assert_int_eq(res2.unchanged, 0);
	ck_assert_str_ne(res.sha256, res2.sha256);
	fx_close(&f);
}
END_TEST

static char *
read_all(const char *path, int force, struct ic_error *err, int *transcoded)
{
	struct input in;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	if (input_open(&in, path, err) != 0) {
		free(buf);
		return NULL;
	}
	if (force)
		ck_assert_int_eq(input_set_charset(&in, INPUT_CHARSET_GB18030), 0);
	while ((n = input_read(&in, buf + len, cap - len, err)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
	}
	*transcoded = input_transcoding(&in);
	ck_assert_int_eq(input_set_charset(&in, INPUT_CHARSET_UTF8), -1);
	input_close(&in);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

START_TEST(test_gbk_input_layer)
{
	struct fx f;
	struct ic_error err;
	char *out, *big;
	int tr;
	size_t n = 0, row = strlen("2024-03,1234,2.25,\xb6\xd4\xcf\xf3\xb4\xe6\xb4\xa2\n");
	const size_t rows = 40000;	/* ~1 MiB: many conversion chunks */

	fx_open(&f);
	out = read_all(fx_write(&f, "g.csv", gbk_csv), 0, &err, &tr);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(tr, 1);
	ck_assert_str_eq(out, "账期,账号ID,应付金额,产品\n2024-03,1234,1.50,云服务器\n2024-03,1234,2.25,对象存储\n");
	free(out);

	/* UTF-8 and Latin-1 text are left alone (the CSV reader refuses the latter) */
	out = read_all(fx_write(&f, "u.csv", "a,b\n账期,x\n"), 0, &err, &tr);
	ck_assert_int_eq(tr, 0);
	ck_assert_str_eq(out, "a,b\n账期,x\n");
	free(out);
	out = read_all(fx_write(&f, "l.csv", "name,city\ncaf\xe9,Z\xfcrich\n"), 0, &err, &tr);
	ck_assert_int_eq(tr, 0);
	ck_assert_str_eq(out, "name,city\ncaf\xe9,Z\xfcrich\n");
	free(out);

	/* a big GBK file converts across chunk boundaries */
	big = malloc(strlen(gbk_csv) + rows * row + 64);
	ck_assert_ptr_nonnull(big);
	strcpy(big, gbk_csv);
	n = strlen(big);
	for (size_t i = 0; i < rows; i++, n += row)
		memcpy(big + n, "2024-03,1234,2.25,\xb6\xd4\xcf\xf3\xb4\xe6\xb4\xa2\n", row);
	big[n] = '\0';
	out = read_all(fx_write(&f, "big.csv", big), 0, &err, &tr);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(tr, 1);
	{
		size_t cnt = 0;
		for (char *p = out; (p = strstr(p, "2024-03,1234,2.25,对象存储\n")) != NULL; p++)
			cnt++;
		ck_assert_uint_eq(cnt, rows + 1);
	}
	free(out);

	/* a byte that is not GB18030 on line 40004: FILE:LINE:COL */
	memcpy(big + n, "2024-03,1234,9,\xff\xff\n", 18);
	big[n + 18] = '\0';
	out = read_all(fx_write(&f, "bad.csv", big), 0, &err, &tr);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(err.msg, ":40004:16: ") && strstr(err.msg, "GB18030"), "got '%s'", err.msg);
	/* a file cut inside a two-byte character */
	big[n + 16] = '\0';
	big[n + 15] = (char)0xb6;
	out = read_all(fx_write(&f, "cut.csv", big), 0, &err, &tr);
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(err.msg, ":40004:16: ") && strstr(err.msg, "ends inside"), "got '%s'", err.msg);
	free(big);
	/* forced */
	out = read_all(fx_write(&f, "f.csv", "a,b\n\xd4\xc6,x\n"), 1, &err, &tr);
	ck_assert_int_eq(tr, 1);
	ck_assert_str_eq(out, "a,b\n云,x\n");
	free(out);
	fx_close(&f);
}
END_TEST

Suite *
formats_suite(void)
{
	Suite *s = suite_create("formats");
	TCase *tc = tcase_create("formats");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_azure_dates_and_fields);
	tcase_add_test(tc, test_azure_actual_amortized);
	tcase_add_test(tc, test_azure_malformed);
	tcase_add_test(tc, test_gcp_jsonl);
	tcase_add_test(tc, test_gcp_csv);
	tcase_add_test(tc, test_gcp_jsonl_malformed);
	tcase_add_test(tc, test_alibaba);
	tcase_add_test(tc, test_alibaba_malformed);
	tcase_add_test(tc, test_tencent_csv);
	tcase_add_test(tc, test_tencent_api);
	tcase_add_test(tc, test_cloudwatch);
	tcase_add_test(tc, test_prometheus);
	tcase_add_test(tc, test_force_format);
	tcase_add_test(tc, test_gbk_import);
	tcase_add_test(tc, test_gbk_input_layer);
	suite_add_tcase(s, tc);
	return s;
}
