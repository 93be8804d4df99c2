/*
 * test_importer.c - Check unit tests for the importers' mapping and
 * amortization rules, driven through the real import path: the test
 * writes small CSV fixtures into a temporary directory, imports them into
 * a temporary database (db_open DB_WRITE, import_session_new, import_file,
 * import_session_commit) and reads the rows back with SQL.
 *
 * Covered: every AWS CUR line item type rule in the header comment of
 * importers/aws-cur.c (Usage, spot Usage, DiscountedUsage,
 * SavingsPlanCoveredUsage, SavingsPlanNegation, SavingsPlanUpfrontFee,
 * RIFee and SavingsPlanRecurringFee with their Unused rows, Fee with and
 * without ReservationARN, Tax, Credit, Refund, *Discount, unknown types),
 * NetUnblendedCost and the Net twins preferred per row with fallback,
 * the Athena snake_case spelling mapped exactly like the legacy one, tags
 * JSON from resourceTags/user:* columns and the CUR 2.0 map column; FOCUS
 * enum case normalisation, pre-1.0 PricingCategory values, null tokens,
 * timestamp spellings and the rejected hour 30; importer_detect for each
 * format and for headers nobody accepts; usage-csv rows into the usage
 * table; the SQLite import target's operations (import-target.h).
 *
 * Expected amounts are written by hand from the fixture numbers (money as
 * "$1.25", turned into nanos by a converter in this file) and epochs from
 * the 2023-11-01T00:00:00Z = 1698796800 and 2024-09-01T00:00:00Z =
 * 1725148800 anchors plus day arithmetic.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/csvreader.h"
#include "common/db.h"
#include "importers/billutil.h"
#include "importers/import-target.h"
#include "importers/import.h"
#include "importers/importer.h"
#include "importers/metrics.h"

#define T_NOV 1698796800LL	/* 2023-11-01T00:00:00Z */
#define T_DEC 1701388800LL	/* 2023-12-01T00:00:00Z = T_NOV + 30 days */
#define T_SEP24 1725148800LL	/* 2024-09-01T00:00:00Z */
#define T_OCT24 (T_SEP24 + 30 * 86400LL)
#define SQLNULL "<NULL>"

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
	snprintf(f->dir, sizeof f->dir, "%s/imcost-imp-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->dbpath, sizeof f->dbpath, "%s/test.db", f->dir);
	f->db = db_open(f->dbpath, DB_WRITE, &err);
	ck_assert_msg(f->db != NULL, "db_open: %s", err.msg);
}

static const char *
fx_write(struct fx *f, const char *name, const char *data, size_t len)
{
	char *p = malloc(4300);
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

static const char *
fx_write_str(struct fx *f, const char *name, const char *data)
{
	return fx_write(f, name, data, strlen(data));
}

static void
fx_close(struct fx *f)
{
	char p[4300];
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };

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

/* Import one file in its own session and commit.  Returns import_file's
 * result (the session is freed either way, rolling back on failure). */
static int
fx_import(struct fx *f, const char *path, struct import_result *res, struct ic_error *err)
{
	struct import_opts o;
	struct import_session *s;
	int rc;

	memset(&o, 0, sizeof o);
	memset(err, 0, sizeof *err);
	s = import_session_new(f->db, &o, 1);
	ck_assert_ptr_nonnull(s);
	rc = import_file(s, path, res, err);
	if (rc == 0)
		ck_assert_msg(import_session_commit(s, err) == 0, "commit: %s", err->msg);
	import_session_free(s);
	return rc;
}

static void
fx_import_ok(struct fx *f, const char *path, struct import_result *res)
{
	struct ic_error err;

	ck_assert_msg(fx_import(f, path, res, &err) == 0, "import of %s failed: %s", path, err.msg);
}

/* ---- reading back ---- */

static int64_t
q_int(sqlite3 *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *st;
	int64_t v;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Text of the first column of the first row ("<NULL>" for NULL); the
 * statement takes one int parameter and one optional text parameter. */
static void
q_text(sqlite3 *db, const char *sql, int64_t arg, const char *targ, char *out, size_t n)
{
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, arg);
	if (targ)
		sqlite3_bind_text(st, 2, targ, -1, SQLITE_STATIC);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		snprintf(out, n, "%s", SQLNULL);
	else
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* "$-1.25" -> "-1250000000": plain decimals with at most 9 fraction digits. */
static void
dollars_to_nanos(const char *s, char *out, size_t n)
{
	int neg = 0;
	int64_t whole = 0, frac = 0;
	int fd = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++)
		whole = whole * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, fd++)
			frac = frac * 10 + (*s - '0');
	ck_assert_msg(*s == '\0' && fd <= 9, "bad money literal in test");
	for (; fd < 9; fd++)
		frac *= 10;
	snprintf(out, n, "%lld", (long long)((neg ? -1 : 1) * (whole * 1000000000LL + frac)));
}

static const char *
num(int64_t v)
{
	static char ring[16][32];
	static int k;
	char *b = ring[k++ % 16];

	snprintf(b, 32, "%lld", (long long)v);
	return b;
}

static long
rows_at(sqlite3 *db, long line)
{
	return (long)q_int(db, "SELECT count(*) FROM charges WHERE SourceLine = ?", line);
}

/*
 * The nth (0-based, by id) charge of source line `line` must have the
 * given column values: pairs of column name and expected text, NULL
 * terminated.  "$1.5" is money in units (compared as nanos); "<NULL>" is
 * SQL NULL.  Reads SELECT * and finds columns by name.
 */
static void
expect(sqlite3 *db, long line, int nth, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	const char *col, *want;

	ck_assert_int_eq(sqlite3_prepare_v2(db,
		"SELECT * FROM charges WHERE SourceLine = ? ORDER BY id LIMIT 1 OFFSET ?",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, line);
	sqlite3_bind_int(st, 2, nth);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no charge #%d for line %ld", nth, line);
	va_start(ap, nth);
	while ((col = va_arg(ap, const char *)) != NULL) {
		char w[64], got[1024];
		int i, n = sqlite3_column_count(st);

		want = va_arg(ap, const char *);
		if (want[0] == '$') {
			dollars_to_nanos(want + 1, w, sizeof w);
			want = w;
		}
		for (i = 0; i < n; i++)
			if (strcmp(sqlite3_column_name(st, i), col) == 0)
				break;
		ck_assert_msg(i < n, "no column %s", col);
		if (sqlite3_column_type(st, i) == SQLITE_NULL)
			snprintf(got, sizeof got, "%s", SQLNULL);
		else
			snprintf(got, sizeof got, "%s", (const char *)sqlite3_column_text(st, i));
		ck_assert_msg(strcmp(got, want) == 0, "line %ld charge #%d: %s is '%s', want '%s'",
			      line, nth, col, got, want);
	}
	va_end(ap);
	sqlite3_finalize(st);
}

/* Tags of the nth charge of a line: number of keys, and key -> value. */
static long
tag_count(sqlite3 *db, long line)
{
	char t[64];

	q_text(db, "SELECT CASE WHEN Tags IS NULL THEN -1 WHEN json_valid(Tags) THEN"
		   " (SELECT count(*) FROM json_each(Tags)) ELSE -2 END"
		   " FROM charges WHERE SourceLine = ? ORDER BY id LIMIT 1", line, NULL, t, sizeof t);
	return atol(t);
}

static void
tag_is(sqlite3 *db, long line, const char *key, const char *want)
{
	char path[256], got[512];

	snprintf(path, sizeof path, "$.\"%s\"", key);
	q_text(db, "SELECT json_extract(Tags, ?2) FROM charges WHERE SourceLine = ?1"
		   " ORDER BY id LIMIT 1", line, path, got, sizeof got);
	ck_assert_msg(strcmp(got, want) == 0, "line %ld tag %s is '%s', want '%s'", line, key, got, want);
}

static const struct import_warning *
warning_with(const struct import_result *res, const char *needle)
{
	for (int i = 0; i < res->nwarnings; i++)
		if (strstr(res->warnings[i].msg, needle))
			return &res->warnings[i];
	return NULL;
}

/* ---- building CSV fixtures by column name ---- */

struct col {
	const char *legacy, *athena;
};

/* AWS CUR columns in both spellings (the Athena ones written by hand) */
static const struct col cur_cols[] = {
	{ "identity/LineItemId", "identity_line_item_id" },
	{ "bill/PayerAccountId", "bill_payer_account_id" },
	{ "bill/BillingPeriodStartDate", "bill_billing_period_start_date" },
	{ "bill/BillingPeriodEndDate", "bill_billing_period_end_date" },
	{ "lineItem/UsageAccountId", "line_item_usage_account_id" },
	{ "lineItem/LineItemType", "line_item_line_item_type" },
	{ "lineItem/UsageStartDate", "line_item_usage_start_date" },
	{ "lineItem/UsageEndDate", "line_item_usage_end_date" },
	{ "lineItem/ProductCode", "line_item_product_code" },
	{ "lineItem/UsageType", "line_item_usage_type" },
	{ "lineItem/Operation", "line_item_operation" },
	{ "lineItem/AvailabilityZone", "line_item_availability_zone" },
	{ "lineItem/ResourceId", "line_item_resource_id" },
	{ "lineItem/UsageAmount", "line_item_usage_amount" },
	{ "lineItem/CurrencyCode", "line_item_currency_code" },
	{ "lineItem/UnblendedCost", "line_item_unblended_cost" },
	{ "lineItem/NetUnblendedCost", "line_item_net_unblended_cost" },
	{ "lineItem/LineItemDescription", "line_item_line_item_description" },
	{ "product/ProductName", "product_product_name" },
	{ "product/instanceType", "product_instance_type" },
	{ "product/region", "product_region" },
	{ "pricing/publicOnDemandCost", "pricing_public_on_demand_cost" },
	{ "pricing/unit", "pricing_unit" },
	{ "reservation/ReservationARN", "reservation_reservation_a_r_n" },
	{ "reservation/EffectiveCost", "reservation_effective_cost" },
	{ "reservation/NetEffectiveCost", "reservation_net_effective_cost" },
	{ "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
	  "reservation_unused_amortized_upfront_fee_for_billing_period" },
	{ "reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod",
	  "reservation_net_unused_amortized_upfront_fee_for_billing_period" },
	{ "reservation/UnusedRecurringFee", "reservation_unused_recurring_fee" },
	{ "reservation/NetUnusedRecurringFee", "reservation_net_unused_recurring_fee" },
	{ "savingsPlan/SavingsPlanARN", "savings_plan_savings_plan_a_r_n" },
	{ "savingsPlan/SavingsPlanEffectiveCost", "savings_plan_savings_plan_effective_cost" },
	{ "savingsPlan/NetSavingsPlanEffectiveCost", "savings_plan_net_savings_plan_effective_cost" },
	{ "savingsPlan/TotalCommitmentToDate", "savings_plan_total_commitment_to_date" },
	{ "savingsPlan/UsedCommitment", "savings_plan_used_commitment" },
	{ "resourceTags/user:Team", "resource_tags_user_team" },
	{ "resourceTags/user:Env", "resource_tags_user_env" },
};
#define NCUR ((int)(sizeof cur_cols / sizeof cur_cols[0]))

/* values every CUR row has unless it says otherwise */
static const char *const cur_defaults[] = {
	"bill/PayerAccountId", "000123456789",
	"bill/BillingPeriodStartDate", "2023-11-01T00:00:00Z",
	"bill/BillingPeriodEndDate", "2023-12-01T00:00:00Z",
	"lineItem/UsageAccountId", "111122223333",
	"lineItem/UsageStartDate", "2023-11-05T10:00:00Z",
	"lineItem/UsageEndDate", "2023-11-05T11:00:00Z",
	"lineItem/CurrencyCode", "USD",
	"lineItem/ProductCode", "AmazonEC2",
	"product/ProductName", "Amazon Elastic Compute Cloud",
	"product/region", "us-east-1",
	"lineItem/AvailabilityZone", "us-east-1a",
	NULL
};

struct doc {
	char *s;
	size_t len, cap;
	const struct col *cols;
	int ncols;
	int athena;	/* write the snake_case names and Athena timestamps */
	int net;	/* include the Net* columns */
	const char *const *defaults;
	long line;	/* line of the last row written */
};

static void
put(struct doc *d, const char *s, size_t n)
{
	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->s = realloc(d->s, d->cap);
		ck_assert_ptr_nonnull(d->s);
	}
	memcpy(d->s + d->len, s, n);
	d->len += n;
	d->s[d->len] = '\0';
}

static void
put_field(struct doc *d, const char *v)
{
	if (strpbrk(v, ",\"\r\n") == NULL) {
		put(d, v, strlen(v));
		return;
	}
	put(d, "\"", 1);
	for (const char *p = v; *p; p++) {
		put(d, p, 1);
		if (*p == '"')
			put(d, "\"", 1);	/* doubled */
	}
	put(d, "\"", 1);
}

static int
col_used(const struct doc *d, int i)
{
	return d->net || strstr(d->cols[i].legacy, "/Net") == NULL;
}

static void
doc_begin(struct doc *d, const struct col *cols, int ncols, const char *const *defaults,
	  int athena, int net)
{
	int first = 1;

	memset(d, 0, sizeof *d);
	d->cols = cols;
	d->ncols = ncols;
	d->defaults = defaults;
	d->athena = athena;
	d->net = net;
	for (int i = 0; i < ncols; i++) {
		if (!col_used(d, i))
			continue;
		if (!first)
			put(d, ",", 1);
		first = 0;
		put_field(d, athena && cols[i].athena ? cols[i].athena : cols[i].legacy);
	}
	put(d, "\n", 1);
	d->line = 1;
}

/* "2023-11-05T10:00:00Z" -> "2023-11-05 10:00:00.000" (Athena style) */
static const char *
athena_time(const char *v, char *buf)
{
	if (strlen(v) == 20 && v[10] == 'T' && v[19] == 'Z') {
		memcpy(buf, v, 10);
		buf[10] = ' ';
		memcpy(buf + 11, v + 11, 8);
		memcpy(buf + 19, ".000", 5);
		return buf;
	}
	return v;
}

/* One row: pairs of legacy column name and value, NULL-terminated.
 * Returns the line the row is on. */
static long
doc_row(struct doc *d, ...)
{
	const char *vals[64] = { 0 };
	const char *k, *v;
	va_list ap;
	int first = 1;

	ck_assert_int_le(d->ncols, 64);
	for (int j = 0; d->defaults && d->defaults[j]; j += 2)
		for (int i = 0; i < d->ncols; i++)
			if (strcmp(d->cols[i].legacy, d->defaults[j]) == 0)
				vals[i] = d->defaults[j + 1];
	va_start(ap, d);
	while ((k = va_arg(ap, const char *)) != NULL) {
		int i;
		v = va_arg(ap, const char *);
		for (i = 0; i < d->ncols; i++)
			if (strcmp(d->cols[i].legacy, k) == 0)
				break;
		ck_assert_msg(i < d->ncols, "fixture names unknown column %s", k);
		vals[i] = v;
	}
	va_end(ap);
	for (int i = 0; i < d->ncols; i++) {
		char tb[32];
		if (!col_used(d, i))
			continue;
		if (!first)
			put(d, ",", 1);
		first = 0;
		v = vals[i] ? vals[i] : "";
		put_field(d, d->athena ? athena_time(v, tb) : v);
	}
	put(d, "\n", 1);
	return ++d->line;
}

/* ---- AWS CUR: one row per line item type ---- */

#define RI1 "arn:aws:ec2:us-east-1:000123456789:reserved-instances/ri-1"
#define RI2 "arn:aws:ec2:us-east-1:000123456789:reserved-instances/ri-2"
#define SP1 "arn:aws:savingsplans::000123456789:savingsplan/sp-1"
#define TAG_ESC "say \"hi\" \\ bye"

struct cur_lines {
	long usage, spot, du, spcu, spneg, spup, rifee, sprec, sprec_full, rifee_used,
	     rifee_blank, fee_ri, fee, tax, credit, refund, edp, bundled, weird;
	long nrec;
};

static void
cur_rules_doc(struct doc *d, int athena, struct cur_lines *L)
{
	doc_begin(d, cur_cols, NCUR, cur_defaults, athena, 0);
	L->usage = doc_row(d, "lineItem/LineItemType", "Usage",
		"lineItem/UsageType", "USE1-BoxUsage:m5.large", "lineItem/Operation", "RunInstances",
		"lineItem/ResourceId", "i-0abc", "lineItem/UsageAmount", "1",
		"lineItem/UnblendedCost", "0.096", "pricing/publicOnDemandCost", "0.096",
		"pricing/unit", "Hrs", "product/instanceType", "m5.large",
		"lineItem/LineItemDescription", "USD 0.096 per On Demand Linux m5.large Instance Hour",
		"resourceTags/user:Team", "chat", "resourceTags/user:Env", "prod", NULL);
	L->spot = doc_row(d, "lineItem/LineItemType", "Usage",
		"lineItem/UsageType", "USE1-SpotUsage:c5.xlarge", "lineItem/Operation", "RunInstances:SV001",
		"lineItem/UnblendedCost", "0.0612", "lineItem/UsageAmount", "1",
		"resourceTags/user:Team", "media", NULL);
	L->du = doc_row(d, "lineItem/LineItemType", "DiscountedUsage",
		"lineItem/UsageType", "USE1-BoxUsage:m5.large", "lineItem/UnblendedCost", "0",
		"pricing/publicOnDemandCost", "0.096", "reservation/ReservationARN", RI1,
		"reservation/EffectiveCost", "0.0604", "lineItem/UsageAmount", "1", NULL);
	L->spcu = doc_row(d, "lineItem/LineItemType", "SavingsPlanCoveredUsage",
		"lineItem/UnblendedCost", "0.192", "savingsPlan/SavingsPlanARN", SP1,
		"savingsPlan/SavingsPlanEffectiveCost", "0.1254", "lineItem/UsageAmount", "2",
		"resourceTags/user:Team", TAG_ESC, NULL);
	L->spneg = doc_row(d, "lineItem/LineItemType", "SavingsPlanNegation",
		"lineItem/UnblendedCost", "-0.192", "pricing/publicOnDemandCost", "0.192",
		"savingsPlan/SavingsPlanARN", SP1, NULL);
	L->spup = doc_row(d, "lineItem/LineItemType", "SavingsPlanUpfrontFee",
		"lineItem/UnblendedCost", "8760", "savingsPlan/SavingsPlanARN", SP1,
		"lineItem/ProductCode", "ComputeSavingsPlans",
		"lineItem/UsageStartDate", "2023-11-01T00:00:00Z", NULL);
	L->rifee = doc_row(d, "lineItem/LineItemType", "RIFee",
		"lineItem/UnblendedCost", "43.80", "reservation/ReservationARN", RI1,
		"lineItem/UsageAmount", "730",
		"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "4.25",
		"reservation/UnusedRecurringFee", "1.5",
		"lineItem/UsageStartDate", "2023-11-01T00:00:00Z",
		"lineItem/UsageEndDate", "2023-12-01T00:00:00Z", NULL);
	L->sprec = doc_row(d, "lineItem/LineItemType", "SavingsPlanRecurringFee",
		"lineItem/UnblendedCost", "72", "savingsPlan/SavingsPlanARN", SP1,
		"lineItem/ResourceId", "sp-resource",
		"savingsPlan/TotalCommitmentToDate", "72", "savingsPlan/UsedCommitment", "60.5", NULL);
	L->sprec_full = doc_row(d, "lineItem/LineItemType", "SavingsPlanRecurringFee",
		"lineItem/UnblendedCost", "10", "savingsPlan/SavingsPlanARN", SP1,
		"savingsPlan/TotalCommitmentToDate", "10", "savingsPlan/UsedCommitment", "10", NULL);
	L->rifee_used = doc_row(d, "lineItem/LineItemType", "RIFee",
		"lineItem/UnblendedCost", "12.5", "reservation/ReservationARN", RI2,
		"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "0",
		"reservation/UnusedRecurringFee", "0", NULL);
	L->rifee_blank = doc_row(d, "lineItem/LineItemType", "RIFee",
		"lineItem/UnblendedCost", "0", "reservation/ReservationARN", RI2, NULL);
	L->fee_ri = doc_row(d, "lineItem/LineItemType", "Fee",
		"lineItem/UnblendedCost", "1500", "reservation/ReservationARN", RI2,
		"lineItem/LineItemDescription", "Sign up charge for subscription: 123, planId: 456", NULL);
	L->fee = doc_row(d, "lineItem/LineItemType", "Fee",
		"lineItem/UnblendedCost", "29", "lineItem/ProductCode", "AWSSupportBusiness",
		"product/ProductName", "AWS Support (Business)", NULL);
	L->tax = doc_row(d, "lineItem/LineItemType", "Tax",
		"lineItem/UnblendedCost", "3.10", "lineItem/UsageAmount", "1", NULL);
	L->credit = doc_row(d, "lineItem/LineItemType", "Credit",
		"lineItem/UnblendedCost", "-5", NULL);
	L->refund = doc_row(d, "lineItem/LineItemType", "Refund",
		"lineItem/UnblendedCost", "-1.2", NULL);
	L->edp = doc_row(d, "lineItem/LineItemType", "EdpDiscount",
		"lineItem/UnblendedCost", "-0.75", NULL);
	L->bundled = doc_row(d, "lineItem/LineItemType", "BundledDiscount",
		"lineItem/UnblendedCost", "-0.05", NULL);
	L->weird = doc_row(d, "lineItem/LineItemType", "WeirdType",
		"lineItem/UnblendedCost", "0.33", NULL);
	L->nrec = d->line - 1;
}

/* Billed total: every UnblendedCost above, added by hand. */
#define CUR_BILLED "10423.8872"
/* Effective total: 0.096 + 0.0612 + 0.0604 + 0.1254 + 0 (negation) + 0 (upfront)
 * + 5.75 (RIFee unused) + 11.5 (SP unused) + 0 + 0 + 0 + 0 (RI upfront fee)
 * + 29 + 3.10 - 5 - 1.2 - 0.75 - 0.05 + 0.33 */
#define CUR_EFFECTIVE "43.023"

static void
check_cur_rules(sqlite3 *db, const struct cur_lines *L, const struct import_result *res,
		const char *team, const char *env)
{
	int64_t cstart = T_NOV + 4 * 86400 + 10 * 3600;	/* 2023-11-05T10:00:00Z */
	const struct import_warning *w;

	ck_assert_str_eq(res->format, "aws-cur");
	ck_assert_int_eq(res->records, L->nrec);
	ck_assert_int_eq(res->rows, L->nrec + 2);	/* two Unused rows */
	ck_assert_int_eq(q_int(db, "SELECT count(*) FROM charges", 0), L->nrec + 2);

	/* Usage: Standard, effective = billed, list from publicOnDemandCost */
	ck_assert_int_eq(rows_at(db, L->usage), 1);
	expect(db, L->usage, 0,
	       "BilledCostNanos", "$0.096", "EffectiveCostNanos", "$0.096", "ListCostNanos", "$0.096",
	       "ContractedCostNanos", SQLNULL,
	       "ChargeCategory", "Usage", "ChargeFrequency", "Usage-Based", "PricingCategory", "Standard",
	       "ChargeClass", SQLNULL,
	       "CommitmentDiscountId", SQLNULL, "CommitmentDiscountType", SQLNULL,
	       "CommitmentDiscountStatus", SQLNULL, "CommitmentDiscountCategory", SQLNULL,
	       "BillingCurrency", "USD", "ProviderName", "AWS",
	       "BillingAccountId", "000123456789", "SubAccountId", "111122223333",
	       "ServiceName", "Amazon Elastic Compute Cloud", "ServiceCategory", "Compute",
	       "RegionId", "us-east-1", "AvailabilityZone", "us-east-1a", "ResourceId", "i-0abc",
	       "ConsumedQuantity", "1.0", "PricingQuantity", "1.0",
	       "ConsumedUnit", "Hrs", "PricingUnit", "Hrs",
	       "x_InstanceType", "m5.large", "x_UsageType", "USE1-BoxUsage:m5.large",
	       "x_Operation", "RunInstances", "x_Platform", "Linux/UNIX", "x_LineItemType", "Usage",
	       "ChargeDescription", "USD 0.096 per On Demand Linux m5.large Instance Hour",
	       "ChargePeriodStart", num(cstart), "ChargePeriodEnd", num(cstart + 3600),
	       "BillingPeriodStart", num(T_NOV), "BillingPeriodEnd", num(T_DEC), NULL);
	ck_assert_int_eq(tag_count(db, L->usage), 2);
	tag_is(db, L->usage, team, "chat");
	tag_is(db, L->usage, env, "prod");

	/* spot Usage: Dynamic; only the non-empty tag */
	expect(db, L->spot, 0, "BilledCostNanos", "$0.0612", "EffectiveCostNanos", "$0.0612",
	       "ChargeCategory", "Usage", "PricingCategory", "Dynamic", "ListCostNanos", SQLNULL, NULL);
	ck_assert_int_eq(tag_count(db, L->spot), 1);
	tag_is(db, L->spot, team, "media");

	/* DiscountedUsage: effective = reservation/EffectiveCost */
	ck_assert_int_eq(rows_at(db, L->du), 1);
	expect(db, L->du, 0, "BilledCostNanos", "0", "EffectiveCostNanos", "$0.0604",
	       "ListCostNanos", "$0.096",
	       "ChargeCategory", "Usage", "ChargeFrequency", "Usage-Based", "PricingCategory", "Committed",
	       "CommitmentDiscountId", RI1, "CommitmentDiscountType", "Reservation",
	       "CommitmentDiscountStatus", "Used", "CommitmentDiscountCategory", "Usage",
	       "x_LineItemType", "DiscountedUsage", "Tags", SQLNULL, NULL);

	/* SavingsPlanCoveredUsage: effective = SavingsPlanEffectiveCost */
	expect(db, L->spcu, 0, "BilledCostNanos", "$0.192", "EffectiveCostNanos", "$0.1254",
	       "ChargeCategory", "Usage", "PricingCategory", "Committed",
	       "CommitmentDiscountId", SP1, "CommitmentDiscountType", "Savings Plan",
	       "CommitmentDiscountStatus", "Used", "CommitmentDiscountCategory", "Spend",
	       "ConsumedQuantity", "2.0", NULL);
	tag_is(db, L->spcu, team, TAG_ESC);	/* JSON escaping of " and \ */

	/* SavingsPlanNegation: billed kept, effective 0, no list cost */
	expect(db, L->spneg, 0, "BilledCostNanos", "$-0.192", "EffectiveCostNanos", "0",
	       "ListCostNanos", SQLNULL, "ChargeCategory", "Usage", "PricingCategory", "Committed",
	       "CommitmentDiscountId", SP1, "CommitmentDiscountType", "Savings Plan",
	       "CommitmentDiscountCategory", "Spend", NULL);

	/* SavingsPlanUpfrontFee: one-time purchase, effective 0 */
	ck_assert_int_eq(rows_at(db, L->spup), 1);
	expect(db, L->spup, 0, "BilledCostNanos", "$8760", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "One-Time",
	       "CommitmentDiscountId", SP1, "CommitmentDiscountType", "Savings Plan",
	       "CommitmentDiscountCategory", "Spend", "CommitmentDiscountStatus", SQLNULL,
	       "ChargePeriodStart", num(T_NOV), NULL);

	/* RIFee: Purchase row (effective 0) + Unused row (4.25 + 1.5) */
	ck_assert_int_eq(rows_at(db, L->rifee), 2);
	expect(db, L->rifee, 0, "BilledCostNanos", "$43.80", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "Recurring",
	       "CommitmentDiscountId", RI1, "CommitmentDiscountType", "Reservation",
	       "CommitmentDiscountCategory", "Usage", "CommitmentDiscountStatus", SQLNULL,
	       "ConsumedQuantity", "730.0", "ChargePeriodStart", num(T_NOV),
	       "ChargePeriodEnd", num(T_DEC), NULL);
	expect(db, L->rifee, 1, "BilledCostNanos", "0", "EffectiveCostNanos", "$5.75",
	       "ChargeCategory", "Usage", "ChargeFrequency", "Usage-Based", "PricingCategory", "Committed",
	       "CommitmentDiscountId", RI1, "CommitmentDiscountType", "Reservation",
	       "CommitmentDiscountCategory", "Usage", "CommitmentDiscountStatus", "Unused",
	       "ResourceId", RI1, "ConsumedQuantity", SQLNULL, "ListCostNanos", SQLNULL,
	       "BillingAccountId", "000123456789", "BillingPeriodStart", num(T_NOV), NULL);

	/* SavingsPlanRecurringFee: Purchase + Unused = 72 - 60.5 */
	ck_assert_int_eq(rows_at(db, L->sprec), 2);
	expect(db, L->sprec, 0, "BilledCostNanos", "$72", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "Recurring",
	       "CommitmentDiscountId", SP1, "CommitmentDiscountType", "Savings Plan",
	       "CommitmentDiscountCategory", "Spend", NULL);
	expect(db, L->sprec, 1, "BilledCostNanos", "0", "EffectiveCostNanos", "$11.5",
	       "ChargeCategory", "Usage", "PricingCategory", "Committed",
	       "CommitmentDiscountStatus", "Unused", "CommitmentDiscountId", SP1,
	       "CommitmentDiscountCategory", "Spend", "ResourceId", "sp-resource", NULL);

	/* fully used commitments: no Unused row */
	ck_assert_int_eq(rows_at(db, L->sprec_full), 1);
	expect(db, L->sprec_full, 0, "BilledCostNanos", "$10", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", NULL);
	ck_assert_int_eq(rows_at(db, L->rifee_used), 1);
	expect(db, L->rifee_used, 0, "BilledCostNanos", "$12.5", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "CommitmentDiscountId", RI2, NULL);
	ck_assert_int_eq(rows_at(db, L->rifee_blank), 1);

	/* Fee with a ReservationARN: RI upfront, effective 0 */
	expect(db, L->fee_ri, 0, "BilledCostNanos", "$1500", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "One-Time",
	       "CommitmentDiscountId", RI2, "CommitmentDiscountType", "Reservation",
	       "ChargeDescription", "Sign up charge for subscription: 123, planId: 456", NULL);
	/* Fee without: effective = billed */
	expect(db, L->fee, 0, "BilledCostNanos", "$29", "EffectiveCostNanos", "$29",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "One-Time",
	       "CommitmentDiscountId", SQLNULL, "CommitmentDiscountType", SQLNULL,
	       "ServiceName", "AWS Support (Business)",
	       "ServiceCategory", "Management and Governance", NULL);

	expect(db, L->tax, 0, "BilledCostNanos", "$3.10", "EffectiveCostNanos", "$3.10",
	       "ChargeCategory", "Tax", "ChargeFrequency", "Recurring", "PricingCategory", SQLNULL,
	       NULL);
	expect(db, L->credit, 0, "BilledCostNanos", "$-5", "EffectiveCostNanos", "$-5",
	       "ChargeCategory", "Credit", "ChargeFrequency", "One-Time", "PricingCategory", SQLNULL,
	       "ChargeClass", SQLNULL, NULL);
	expect(db, L->refund, 0, "BilledCostNanos", "$-1.2", "EffectiveCostNanos", "$-1.2",
	       "ChargeCategory", "Credit", "ChargeClass", "Correction", "PricingCategory", SQLNULL,
	       NULL);
	expect(db, L->edp, 0, "BilledCostNanos", "$-0.75", "EffectiveCostNanos", "$-0.75",
	       "ChargeCategory", "Credit", "PricingCategory", SQLNULL,
	       "x_LineItemType", "EdpDiscount", NULL);
	expect(db, L->bundled, 0, "BilledCostNanos", "$-0.05", "EffectiveCostNanos", "$-0.05",
	       "ChargeCategory", "Credit", NULL);
	expect(db, L->weird, 0, "BilledCostNanos", "$0.33", "EffectiveCostNanos", "$0.33",
	       "ChargeCategory", "Adjustment", "PricingCategory", SQLNULL,
	       "x_LineItemType", "WeirdType", NULL);
	w = warning_with(res, "unknown line item type 'WeirdType'");
	ck_assert_msg(w != NULL, "no warning for the unknown line item type");
	ck_assert_int_eq(w->count, 1);
	ck_assert_int_eq(w->first_line, L->weird);
	ck_assert_int_eq(res->nwarnings, 1);

	/* totals: the invoice (billed) and the amortized (effective) sums */
	{
		char b[64], e[64], got[64];
		dollars_to_nanos(CUR_BILLED, b, sizeof b);
		dollars_to_nanos(CUR_EFFECTIVE, e, sizeof e);
		q_text(db, "SELECT sum(BilledCostNanos) FROM charges WHERE ?1 = ?1", 0, NULL, got, sizeof got);
		ck_assert_str_eq(got, b);
		q_text(db, "SELECT sum(EffectiveCostNanos) FROM charges WHERE ?1 = ?1", 0, NULL, got, sizeof got);
		ck_assert_str_eq(got, e);
		ck_assert_str_eq(num(res->billed), b);
		ck_assert_str_eq(num(res->effective), e);
		ck_assert_str_eq(res->currency, "USD");
		ck_assert(res->period_start == T_NOV && res->period_end == T_DEC);
		/* one billing period recorded with the same totals */
		ck_assert_int_eq(q_int(db, "SELECT count(*) FROM import_periods", 0), 1);
		q_text(db, "SELECT billed_cost_nanos || '/' || effective_cost_nanos || '/' || rows"
			   " || '/' || provider || '/' || billing_account_id FROM import_periods"
			   " WHERE ?1 = ?1", 0, NULL, got, sizeof got);
		{
			char want[200];
			snprintf(want, sizeof want, "%s/%s/%ld/AWS/000123456789", b, e, L->nrec + 2);
			ck_assert_str_eq(got, want);
		}
	}
}

/* str_fit never cuts a UTF-8 character: "a" + 亖 (3 bytes) + é (2) + 😀 (4) */
START_TEST(test_str_fit)
{
	static const char s[] = "a\xe4\xba\x96\xc3\xa9\xf0\x9f\x98\x80";
	/* bytes that fit in max = 0..11 */
	static const size_t want[] = { 0, 1, 1, 1, 4, 4, 6, 6, 6, 6, 10, 10 };

	for (size_t max = 0; max < sizeof want / sizeof want[0]; max++)
		ck_assert_uint_eq(str_fit(s, 10, max), want[max]);
	ck_assert_uint_eq(str_fit("abc", 3, 2), 2);
}
END_TEST

/* str_copy_fit into every buffer size, and ic_trim_cut (common/error.c) of every prefix of
 * the same string, keep exactly what str_fit says fits */
START_TEST(test_str_copy_fit_and_trim)
{
	static const char s[] = "a\xe4\xba\x96\xc3\xa9\xf0\x9f\x98\x80";
	static const size_t want[] = { 0, 1, 1, 1, 4, 4, 6, 6, 6, 6, 10, 10 };
	char buf[16];

	for (size_t n = 1; n < sizeof want / sizeof want[0]; n++) {
		memset(buf, 'z', sizeof buf);
		ck_assert_ptr_eq(str_copy_fit(buf, n, s), buf);
		ck_assert_uint_eq(strlen(buf), want[n - 1]);
		ck_assert_int_eq(memcmp(buf, s, want[n - 1]), 0);
		ck_assert_int_eq(buf[n], 'z');	/* nothing written past dst[n] */
	}
	for (size_t len = 0; len <= 10; len++) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		ck_assert_uint_eq(strlen(ic_trim_cut(buf)), want[len]);
	}
	strcpy(buf, "x\x80\x80");	/* stray continuation bytes: left as they are */
	ck_assert_str_eq(ic_trim_cut(buf), "x\x80\x80");
}
END_TEST

/* the EC2 instance type in an AWS usage type (AWS's FOCUS export) */
START_TEST(test_aws_usage_instance_type)
{
	static const struct { const char *ut, *want; } cases[] = {
		{ "BoxUsage:m5.large", "m5.large" }, { "USE1-BoxUsage:m5.xlarge", "m5.xlarge" },
		{ "EUW1-DedicatedUsage:c5.2xlarge", "c5.2xlarge" }, { "SpotUsage:r6g.medium", "r6g.medium" },
		{ "APN1-UnusedBox:t3.micro", "t3.micro" },
		{ "BoxUsage", NULL }, { "USE1-DataTransfer-Out-Bytes", NULL },
		{ "InstanceUsage:db.m5.large", NULL }, { "USE1-EBS:VolumeUsage.gp3", NULL },
		{ "BoxUsage:", NULL }, { "BoxUsage:M5.LARGE", NULL }, { "BoxUsage:m5", NULL },
		{ "HeavyUsage:m5.large", NULL }, { "", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct str ut = { cases[i].ut, strlen(cases[i].ut) };
		struct str t = bu_aws_usage_instance_type(ut);
		if (cases[i].want == NULL) {
			ck_assert_msg(str_null(t), "%s", cases[i].ut);
		} else {
			ck_assert_uint_eq(t.len, strlen(cases[i].want));
			ck_assert(memcmp(t.s, cases[i].want, t.len) == 0);
		}
	}
	ck_assert_str_eq(bu_aws_platform_of_operation((struct str){ "RunInstances:0002", 17 }),
			 "Windows");
	ck_assert_ptr_null(bu_aws_platform_of_operation((struct str){ "CreateVolume", 12 }));
}
END_TEST

START_TEST(test_cur_rules_legacy)
{
	struct fx f;
	struct doc d;
	struct cur_lines L;
	struct import_result res;
	const char *p;

	fx_open(&f);
	cur_rules_doc(&d, 0, &L);
	p = fx_write(&f, "cur.csv", d.s, d.len);
	fx_import_ok(&f, p, &res);
	check_cur_rules(f.db, &L, &res, "user:Team", "user:Env");
	free(d.s);
	fx_close(&f);
}
END_TEST

START_TEST(test_cur_rules_athena)
{
	struct fx f;
	struct doc d;
	struct cur_lines L;
	struct import_result res;
	const char *p;

	fx_open(&f);
	cur_rules_doc(&d, 1, &L);
	ck_assert(strncmp(d.s, "identity_line_item_id,bill_payer_account_id,", 44) == 0);
	ck_assert(strstr(d.s, "2023-11-05 10:00:00.000") != NULL);
	p = fx_write(&f, "cur-athena.csv", d.s, d.len);
	fx_import_ok(&f, p, &res);
	check_cur_rules(f.db, &L, &res, "user_team", "user_env");
	free(d.s);
	fx_close(&f);
}
END_TEST

/* Both spellings give the very same rows, column for column (but Tags,
 * whose keys are spelled differently, and the import ids). */
START_TEST(test_cur_athena_same_as_legacy)
{
	struct fx a, b;
	struct doc da, db_;
	struct cur_lines L;
	struct import_result res;
	sqlite3_stmt *sa, *sb;
	long nrows = 0;
	const char *sql = "SELECT * FROM charges ORDER BY id";

	fx_open(&a);
	fx_open(&b);
	cur_rules_doc(&da, 0, &L);
	cur_rules_doc(&db_, 1, &L);
	fx_import_ok(&a, fx_write(&a, "legacy.csv", da.s, da.len), &res);
	fx_import_ok(&b, fx_write(&b, "athena.csv", db_.s, db_.len), &res);
	ck_assert_int_eq(sqlite3_prepare_v2(a.db, sql, -1, &sa, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(b.db, sql, -1, &sb, NULL), SQLITE_OK);
	for (;;) {
		int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
		ck_assert_int_eq(ra, rb);
		if (ra != SQLITE_ROW)
			break;
		nrows++;
		for (int i = 0; i < sqlite3_column_count(sa); i++) {
			const char *name = sqlite3_column_name(sa, i);
			const unsigned char *va, *vb;
			if (strcmp(name, "Tags") == 0 || strcmp(name, "id") == 0 ||
			    strcmp(name, "import_id") == 0)
				continue;
			ck_assert_int_eq(sqlite3_column_type(sa, i), sqlite3_column_type(sb, i));
			va = sqlite3_column_text(sa, i);
			vb = sqlite3_column_text(sb, i);
			ck_assert_msg((va == NULL && vb == NULL) ||
				      (va && vb && strcmp((const char *)va, (const char *)vb) == 0),
				      "row %ld column %s: legacy '%s', athena '%s'", nrows, name,
				      va ? (const char *)va : "NULL", vb ? (const char *)vb : "NULL");
		}
	}
	ck_assert_int_eq(nrows, L.nrec + 2);
	sqlite3_finalize(sa);
	sqlite3_finalize(sb);
	free(da.s);
	free(db_.s);
	fx_close(&a);
	fx_close(&b);
}
END_TEST

/* NetUnblendedCost and the Net twins win when the row has them; an empty
 * or null Net value falls back to the gross column on that row only. */
static void
net_case(int athena)
{
	struct fx f;
	struct doc d;
	struct import_result res;
	long usage, usage_nonet, usage_net0, du, du_nonet, spcu, rifee, tax, credit, fee_ri;

	fx_open(&f);
	doc_begin(&d, cur_cols, NCUR, cur_defaults, athena, 1);
	usage = doc_row(&d, "lineItem/LineItemType", "Usage",
		"lineItem/UnblendedCost", "10", "lineItem/NetUnblendedCost", "9", NULL);
	usage_nonet = doc_row(&d, "lineItem/LineItemType", "Usage",
		"lineItem/UnblendedCost", "4", "lineItem/NetUnblendedCost", "", NULL);
	usage_net0 = doc_row(&d, "lineItem/LineItemType", "Usage",
		"lineItem/UnblendedCost", "5", "lineItem/NetUnblendedCost", "0", NULL);
	du = doc_row(&d, "lineItem/LineItemType", "DiscountedUsage",
		"lineItem/UnblendedCost", "0", "lineItem/NetUnblendedCost", "0",
		"reservation/ReservationARN", RI1,
		"reservation/EffectiveCost", "0.80", "reservation/NetEffectiveCost", "0.72", NULL);
	du_nonet = doc_row(&d, "lineItem/LineItemType", "DiscountedUsage",
		"lineItem/UnblendedCost", "0", "reservation/ReservationARN", RI1,
		"reservation/EffectiveCost", "0.80", "reservation/NetEffectiveCost", "", NULL);
	spcu = doc_row(&d, "lineItem/LineItemType", "SavingsPlanCoveredUsage",
		"lineItem/UnblendedCost", "2", "lineItem/NetUnblendedCost", "1.8",
		"savingsPlan/SavingsPlanARN", SP1,
		"savingsPlan/SavingsPlanEffectiveCost", "1.30",
		"savingsPlan/NetSavingsPlanEffectiveCost", "1.17", NULL);
	rifee = doc_row(&d, "lineItem/LineItemType", "RIFee",
		"lineItem/UnblendedCost", "20", "lineItem/NetUnblendedCost", "18",
		"reservation/ReservationARN", RI1,
		"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "4",
		"reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod", "3.6",
		"reservation/UnusedRecurringFee", "1", "reservation/NetUnusedRecurringFee", "0.9", NULL);
	tax = doc_row(&d, "lineItem/LineItemType", "Tax",
		"lineItem/UnblendedCost", "1", "lineItem/NetUnblendedCost", "0.95", NULL);
	credit = doc_row(&d, "lineItem/LineItemType", "Credit",
		"lineItem/UnblendedCost", "-3", "lineItem/NetUnblendedCost", "NULL", NULL);
	fee_ri = doc_row(&d, "lineItem/LineItemType", "Fee",
		"lineItem/UnblendedCost", "100", "lineItem/NetUnblendedCost", "90",
		"reservation/ReservationARN", RI2, NULL);
	fx_import_ok(&f, fx_write(&f, "net.csv", d.s, d.len), &res);

	expect(f.db, usage, 0, "BilledCostNanos", "$9", "EffectiveCostNanos", "$9", NULL);
	expect(f.db, usage_nonet, 0, "BilledCostNanos", "$4", "EffectiveCostNanos", "$4", NULL);
	expect(f.db, usage_net0, 0, "BilledCostNanos", "0", "EffectiveCostNanos", "0", NULL);
	expect(f.db, du, 0, "BilledCostNanos", "0", "EffectiveCostNanos", "$0.72", NULL);
	expect(f.db, du_nonet, 0, "BilledCostNanos", "0", "EffectiveCostNanos", "$0.80", NULL);
	expect(f.db, spcu, 0, "BilledCostNanos", "$1.8", "EffectiveCostNanos", "$1.17", NULL);
	ck_assert_int_eq(rows_at(f.db, rifee), 2);
	expect(f.db, rifee, 0, "BilledCostNanos", "$18", "EffectiveCostNanos", "0", NULL);
	expect(f.db, rifee, 1, "BilledCostNanos", "0", "EffectiveCostNanos", "$4.5",
	       "CommitmentDiscountStatus", "Unused", NULL);
	expect(f.db, tax, 0, "BilledCostNanos", "$0.95", "EffectiveCostNanos", "$0.95", NULL);
	expect(f.db, credit, 0, "BilledCostNanos", "$-3", "EffectiveCostNanos", "$-3", NULL);
	expect(f.db, fee_ri, 0, "BilledCostNanos", "$90", "EffectiveCostNanos", "0", NULL);
	/* 9 + 4 + 0 + 0 + 0 + 1.8 + 18 + 0 + 0.95 - 3 + 90 */
	ck_assert(res.billed == 120750000000LL);
	/* 9 + 4 + 0 + 0.72 + 0.80 + 1.17 + 0 + 4.5 + 0.95 - 3 + 0 */
	ck_assert(res.effective == 18140000000LL);
	free(d.s);
	fx_close(&f);
}

START_TEST(test_cur_net_legacy)
{
	net_case(0);
}
END_TEST

START_TEST(test_cur_net_athena)
{
	net_case(1);
}
END_TEST

/* CUR 2.0: resource_tags is a map column serialised as JSON text. */
START_TEST(test_cur2_tags_map)
{
	static const struct col cols[] = {
		{ "line_item_line_item_type", NULL }, { "line_item_unblended_cost", NULL },
		{ "bill_billing_period_start_date", NULL }, { "bill_billing_period_end_date", NULL },
		{ "bill_payer_account_id", NULL }, { "line_item_currency_code", NULL },
		{ "resource_tags", NULL },
	};
	static const char *const defs[] = {
		"line_item_line_item_type", "Usage",
		"bill_billing_period_start_date", "2023-11-01T00:00:00.000Z",
		"bill_billing_period_end_date", "2023-12-01T00:00:00.000Z",
		"bill_payer_account_id", "999988887777", "line_item_currency_code", "EUR",
		NULL
	};
	struct fx f;
	struct doc d;
	struct import_result res;
	long l1, l2, l3;

	fx_open(&f);
	doc_begin(&d, cols, 7, defs, 0, 1);
	l1 = doc_row(&d, "line_item_unblended_cost", "1.5",
		     "resource_tags", "{\"user_team\":\"voice\",\"user_env\":\"prod\"}", NULL);
	l2 = doc_row(&d, "line_item_unblended_cost", "2", "resource_tags", "{}", NULL);
	l3 = doc_row(&d, "line_item_unblended_cost", "0.25", NULL);
	fx_import_ok(&f, fx_write(&f, "cur2.csv", d.s, d.len), &res);
	ck_assert_str_eq(res.format, "aws-cur");
	ck_assert_int_eq(tag_count(f.db, l1), 2);
	tag_is(f.db, l1, "user_team", "voice");
	tag_is(f.db, l1, "user_env", "prod");
	expect(f.db, l1, 0, "BilledCostNanos", "$1.5", "BillingCurrency", "EUR",
	       "BillingAccountId", "999988887777", "ChargePeriodStart", num(T_NOV),
	       "ChargePeriodEnd", num(T_DEC), NULL);
	expect(f.db, l2, 0, "Tags", SQLNULL, NULL);
	expect(f.db, l3, 0, "Tags", SQLNULL, "EffectiveCostNanos", "$0.25", NULL);
	free(d.s);
	fx_close(&f);
}
END_TEST

/* An empty line item type is an error at its line and column, and the
 * failed file leaves nothing behind. */
START_TEST(test_cur_empty_type)
{
	struct fx f;
	struct doc d;
	struct import_result res;
	struct ic_error err;
	const char *p;
	long bad;
	char want[4400];

	fx_open(&f);
	doc_begin(&d, cur_cols, NCUR, cur_defaults, 0, 0);
	doc_row(&d, "lineItem/LineItemType", "Usage", "lineItem/UnblendedCost", "1", NULL);
	bad = doc_row(&d, "lineItem/LineItemType", "", "lineItem/UnblendedCost", "2", NULL);
	p = fx_write(&f, "bad.csv", d.s, d.len);
	ck_assert_int_eq(fx_import(&f, p, &res, &err), -1);
	/* lineItem/LineItemType is the 6th column */
	snprintf(want, sizeof want, "%s:%ld:6:", p, bad);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "error '%s', want '%s...'",
		      err.msg, want);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM charges", 0), 0);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM imports", 0), 0);
	free(d.s);
	fx_close(&f);
}
END_TEST

/* ---- FOCUS ---- */

static const struct col focus_cols[] = {
	{ "BilledCost", NULL }, { "EffectiveCost", NULL }, { "ListCost", NULL },
	{ "ContractedCost", NULL }, { "BillingCurrency", NULL }, { "ProviderName", NULL },
	{ "BillingAccountId", NULL }, { "SubAccountId", NULL }, { "ChargeCategory", NULL },
	{ "ChargeClass", NULL }, { "ChargeFrequency", NULL }, { "PricingCategory", NULL },
	{ "CommitmentDiscountId", NULL }, { "CommitmentDiscountStatus", NULL },
	{ "CommitmentDiscountCategory", NULL }, { "ChargePeriodStart", NULL },
	{ "ChargePeriodEnd", NULL }, { "BillingPeriodStart", NULL }, { "BillingPeriodEnd", NULL },
	{ "ConsumedQuantity", NULL }, { "RegionId", NULL }, { "ServiceName", NULL },
	{ "Tags", NULL },
};
#define NFOCUS ((int)(sizeof focus_cols / sizeof focus_cols[0]))

static const char *const focus_defaults[] = {
	"BillingCurrency", "USD", "ProviderName", "Oracle", "BillingAccountId", "ocid1.tenancy.oc1..aaa",
	"SubAccountId", "ocid1.compartment.oc1..bbb",
	"ChargePeriodStart", "2024-09-01 00:00:00", "ChargePeriodEnd", "2024-09-01 01:00:00",
	"BillingPeriodStart", "2024-09-01 00:00:00", "BillingPeriodEnd", "2024-10-01 00:00:00",
	NULL
};

START_TEST(test_focus_mapping)
{
	struct fx f;
	struct doc d;
	struct import_result res;
	long usage, purchase, unused, nulls, tax, credit, dyn, ts1, ts2;

	fx_open(&f);
	doc_begin(&d, focus_cols, NFOCUS, focus_defaults, 0, 1);
	usage = doc_row(&d, "BilledCost", "1.5", "EffectiveCost", "1.5", "ListCost", "2.0",
		"ContractedCost", "1.5", "ChargeCategory", "usage", "ChargeFrequency", "usage-based",
		"PricingCategory", "On-Demand", "ConsumedQuantity", "3", "RegionId", "us-ashburn-1",
		"ServiceName", "Compute", "Tags", "{\"env\":\"prod\",\"team\":\"chat\"}", NULL);
	purchase = doc_row(&d, "BilledCost", "100", "EffectiveCost", "0",
		"ChargeCategory", "PURCHASE", "ChargeFrequency", "one-time",
		"PricingCategory", "Commitment-Based", "CommitmentDiscountId", "cd-1", NULL);
	unused = doc_row(&d, "BilledCost", "0", "EffectiveCost", "4.2",
		"ChargeCategory", "Usage", "ChargeFrequency", "Usage-Based",
		"PricingCategory", "committed", "CommitmentDiscountId", "cd-1",
		"CommitmentDiscountStatus", "unused", "CommitmentDiscountCategory", "spend", NULL);
	nulls = doc_row(&d, "BilledCost", "2.5", "EffectiveCost", "", "ListCost", "NULL",
		"ContractedCost", "null", "ChargeCategory", "Usage", "ChargeClass", "",
		"ChargeFrequency", "NULL", "PricingCategory", "null", "ConsumedQuantity", "",
		"RegionId", "NULL", "SubAccountId", "", "ServiceName", "null", "Tags", "null", NULL);
	tax = doc_row(&d, "BilledCost", "0.3", "EffectiveCost", "0.3", "ChargeCategory", "tax",
		"ChargeFrequency", "RECURRING", "PricingCategory", "", NULL);
	credit = doc_row(&d, "BilledCost", "-1", "EffectiveCost", "-1", "ChargeCategory", "credit",
		"ChargeClass", "correction", "ChargeFrequency", "One-Time", NULL);
	dyn = doc_row(&d, "BilledCost", "0.01", "EffectiveCost", "0.01", "ChargeCategory", "Usage",
		"PricingCategory", "DYNAMIC",
		"ChargePeriodStart", "2024-09-02T03:00:00Z", "ChargePeriodEnd", "2024-09-02T04:00:00.000Z",
		NULL);
	ts1 = doc_row(&d, "BilledCost", "0.02", "EffectiveCost", "0.02", "ChargeCategory", "Usage",
		"ChargePeriodStart", "2024-09-02 05:00:00 UTC",
		"ChargePeriodEnd", "2024-09-02T14:00:00+08:00", NULL);
	ts2 = doc_row(&d, "BilledCost", "0.03", "EffectiveCost", "0.03", "ChargeCategory", "Usage",
		"ChargePeriodStart", "2024-09-02 07:00:00.000",
		"ChargePeriodEnd", "2024-09-02T03:00:00-05:00",
		"BillingPeriodStart", "2024-09-01T00:00:00Z", "BillingPeriodEnd", "2024-10-01", NULL);
	fx_import_ok(&f, fx_write(&f, "focus.csv", d.s, d.len), &res);
	ck_assert_str_eq(res.format, "focus");
	ck_assert_int_eq(res.records, 9);
	ck_assert_int_eq(res.rows, 9);

	expect(f.db, usage, 0, "BilledCostNanos", "$1.5", "EffectiveCostNanos", "$1.5",
	       "ListCostNanos", "$2.0", "ContractedCostNanos", "$1.5",
	       "ChargeCategory", "Usage", "ChargeFrequency", "Usage-Based", "PricingCategory", "Standard",
	       "BillingCurrency", "USD", "ProviderName", "Oracle",
	       "BillingAccountId", "ocid1.tenancy.oc1..aaa", "SubAccountId", "ocid1.compartment.oc1..bbb",
	       "RegionId", "us-ashburn-1", "ServiceName", "Compute", "ConsumedQuantity", "3.0",
	       "ChargePeriodStart", num(T_SEP24), "ChargePeriodEnd", num(T_SEP24 + 3600),
	       "BillingPeriodStart", num(T_SEP24), "BillingPeriodEnd", num(T_OCT24), NULL);
	ck_assert_int_eq(tag_count(f.db, usage), 2);
	tag_is(f.db, usage, "env", "prod");
	expect(f.db, purchase, 0, "BilledCostNanos", "$100", "EffectiveCostNanos", "0",
	       "ChargeCategory", "Purchase", "ChargeFrequency", "One-Time",
	       "PricingCategory", "Committed", "CommitmentDiscountId", "cd-1", NULL);
	expect(f.db, unused, 0, "EffectiveCostNanos", "$4.2", "PricingCategory", "Committed",
	       "CommitmentDiscountStatus", "Unused", "CommitmentDiscountCategory", "Spend", NULL);
	expect(f.db, nulls, 0, "BilledCostNanos", "$2.5", "EffectiveCostNanos", "$2.5",
	       "ListCostNanos", SQLNULL, "ContractedCostNanos", SQLNULL, "ChargeClass", SQLNULL,
	       "ChargeFrequency", SQLNULL, "PricingCategory", SQLNULL, "ConsumedQuantity", SQLNULL,
	       "RegionId", SQLNULL, "SubAccountId", SQLNULL, "ServiceName", SQLNULL, "Tags", SQLNULL,
	       NULL);
	expect(f.db, tax, 0, "ChargeCategory", "Tax", "ChargeFrequency", "Recurring",
	       "PricingCategory", SQLNULL, NULL);
	expect(f.db, credit, 0, "BilledCostNanos", "$-1", "ChargeCategory", "Credit",
	       "ChargeClass", "Correction", NULL);
	expect(f.db, dyn, 0, "PricingCategory", "Dynamic",
	       "ChargePeriodStart", num(T_SEP24 + 86400 + 3 * 3600),
	       "ChargePeriodEnd", num(T_SEP24 + 86400 + 4 * 3600), NULL);
	expect(f.db, ts1, 0, "ChargePeriodStart", num(T_SEP24 + 86400 + 5 * 3600),
	       "ChargePeriodEnd", num(T_SEP24 + 86400 + 6 * 3600), NULL);
	expect(f.db, ts2, 0, "ChargePeriodStart", num(T_SEP24 + 86400 + 7 * 3600),
	       "ChargePeriodEnd", num(T_SEP24 + 86400 + 8 * 3600),
	       "BillingPeriodStart", num(T_SEP24), "BillingPeriodEnd", num(T_OCT24), NULL);
	/* 1.5 + 100 + 0 + 2.5 + 0.3 - 1 + 0.01 + 0.02 + 0.03 */
	ck_assert(res.billed == 103360000000LL);
	/* 1.5 + 0 + 4.2 + 2.5 + 0.3 - 1 + 0.01 + 0.02 + 0.03 */
	ck_assert(res.effective == 7560000000LL);
	ck_assert_int_eq(res.nwarnings, 0);
	free(d.s);
	fx_close(&f);
}
END_TEST

/* Pre-1.0 PricingCategory values are mapped silently, whatever the other
 * enum columns of the row hold; a value that is not FOCUS is kept and
 * warned about. */
START_TEST(test_focus_pricing_warnings)
{
	struct fx f;
	struct doc d;
	struct import_result res;
	long od, cb, odd;
	const struct import_warning *w;

	fx_open(&f);
	doc_begin(&d, focus_cols, NFOCUS, focus_defaults, 0, 1);
	/* ChargeFrequency "Monthly" is not a FOCUS value (kept, not warned) */
	od = doc_row(&d, "BilledCost", "1", "EffectiveCost", "1", "ChargeCategory", "Usage",
		     "ChargeFrequency", "Monthly", "PricingCategory", "On-Demand", NULL);
	cb = doc_row(&d, "BilledCost", "2", "EffectiveCost", "2", "ChargeCategory", "Usage",
		     "ChargeFrequency", "Monthly", "PricingCategory", "Commitment-Based", NULL);
	odd = doc_row(&d, "BilledCost", "3", "EffectiveCost", "3", "ChargeCategory", "Usage",
		      "ChargeFrequency", "Usage-Based", "PricingCategory", "Whatever", NULL);
	fx_import_ok(&f, fx_write(&f, "focus-pc.csv", d.s, d.len), &res);
	expect(f.db, od, 0, "PricingCategory", "Standard", "ChargeFrequency", "Monthly", NULL);
	expect(f.db, cb, 0, "PricingCategory", "Committed", NULL);
	expect(f.db, odd, 0, "PricingCategory", "Whatever", NULL);
	free(d.s);
	fx_close(&f);	/* before the asserts that may fail: no temp files left */
	w = warning_with(&res, "PricingCategory");
	ck_assert_msg(w != NULL, "no warning for PricingCategory 'Whatever'");
	ck_assert_msg(strstr(w->msg, "'Whatever'") && w->count == 1 && w->first_line == odd,
		      "PricingCategory warnings: '%s' x%ld from line %ld (want only 'Whatever' x1 at"
		      " line %ld)", w->msg, w->count, w->first_line, odd);
	ck_assert_int_eq(res.nwarnings, 1);
}
END_TEST

/* The FOCUS spec's own example has hour 30: rejected with line and column,
 * and nothing of the file is kept. */
START_TEST(test_focus_hour_30)
{
	struct fx f;
	struct doc d;
	struct import_result res;
	struct ic_error err;
	const char *p;
	long bad;
	char want[4400];

	fx_open(&f);
	doc_begin(&d, focus_cols, NFOCUS, focus_defaults, 0, 1);
	doc_row(&d, "BilledCost", "1", "EffectiveCost", "1", "ChargeCategory", "Usage", NULL);
	bad = doc_row(&d, "BilledCost", "1", "EffectiveCost", "1", "ChargeCategory", "Usage",
		      "ChargePeriodStart", "2023-02-01T30:00:00Z", NULL);
	p = fx_write(&f, "focus-bad.csv", d.s, d.len);
	ck_assert_int_eq(fx_import(&f, p, &res, &err), -1);
	/* ChargePeriodStart is the 16th column */
	snprintf(want, sizeof want, "%s:%ld:16:", p, bad);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "error '%s', want '%s...'",
		      err.msg, want);
	ck_assert_msg(strstr(err.msg, "ChargePeriodStart") && strstr(err.msg, "30:00:00"),
		      "error '%s' should name the column and quote the value", err.msg);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM charges", 0), 0);
	free(d.s);
	fx_close(&f);
}
END_TEST

/* ---- detection ---- */

/* Split a comma-separated header (no quoting) into a struct header. */
struct hdr {
	char buf[2048];
	struct csv_field f[64];
	struct header h;
};

static const struct header *
mk_header(struct hdr *h, const char *names)
{
	char *p;
	int n = 0;

	snprintf(h->buf, sizeof h->buf, "%s", names);
	p = h->buf;
	for (;;) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		h->f[n].s = p;
		h->f[n].len = strlen(p);
		n++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	h->h.f = h->f;
	h->h.n = n;
	h->h.dup = NULL;
	return &h->h;
}

static const char *
detect(const char *names)
{
	struct hdr h;
	const struct importer *imp = importer_detect(mk_header(&h, names));

	return imp ? imp->name : "(none)";
}

START_TEST(test_detect)
{
	struct doc d;

	/* the full fixture headers */
	doc_begin(&d, cur_cols, NCUR, NULL, 0, 1);
	d.s[d.len - 1] = '\0';
	ck_assert_str_eq(detect(d.s), "aws-cur");
	free(d.s);
	doc_begin(&d, cur_cols, NCUR, NULL, 1, 1);
	d.s[d.len - 1] = '\0';
	ck_assert_str_eq(detect(d.s), "aws-cur");
	free(d.s);
	doc_begin(&d, focus_cols, NFOCUS, NULL, 0, 1);
	d.s[d.len - 1] = '\0';
	ck_assert_str_eq(detect(d.s), "focus");
	free(d.s);

	/* minimal headers, any case, blanks around names */
	ck_assert_str_eq(detect("lineItem/LineItemType,lineItem/UnblendedCost,bill/BillingPeriodStartDate"),
			 "aws-cur");
	ck_assert_str_eq(detect(" LINEITEM/LINEITEMTYPE ,lineitem/unblendedcost,\tBill/BillingPeriodStartDate"),
			 "aws-cur");
	ck_assert_str_eq(detect("line_item_line_item_type,line_item_unblended_cost,bill_billing_period_start_date"),
			 "aws-cur");
	ck_assert_str_eq(detect("BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart"), "focus");
	ck_assert_str_eq(detect("billedcost,AMORTIZEDCOST,ChargeCategory,chargeperiodstart,x_Foo"), "focus");
	ck_assert_str_eq(detect("Id,ServiceProviderName,BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart"),
			 "focus");
	ck_assert_str_eq(detect("timestamp,resource_id,metric,value,unit"), "usage-csv");
	ck_assert_str_eq(detect("Timestamp,Resource_Id,Metric,Value"), "usage-csv");

	/* headers nobody accepts */
	ck_assert_str_eq(detect("date,amount,description"), "(none)");
	ck_assert_str_eq(detect(""), "(none)");
	ck_assert_str_eq(detect("lineItem/LineItemType,lineItem/UnblendedCost"), "(none)");
	ck_assert_str_eq(detect("lineItem/LineItemType;lineItem/UnblendedCost;bill/BillingPeriodStartDate"),
			 "(none)");
	ck_assert_str_eq(detect("BilledCost,ChargeCategory,ChargePeriodStart"), "(none)");
	ck_assert_str_eq(detect("name,email,phone,created_at"), "(none)");
	ck_assert_str_eq(detect("timestamp,resource_id,metric"), "(none)");
	ck_assert_str_eq(detect("lineItem/LineItemTypeX,lineItem/UnblendedCost,bill/BillingPeriodStartDate"),
			 "(none)");

	ck_assert_ptr_nonnull(importer_find("aws-cur"));
	ck_assert_ptr_nonnull(importer_find("focus"));
	ck_assert_ptr_nonnull(importer_find("usage-csv"));
	ck_assert_ptr_null(importer_find("nope"));
}
END_TEST

/* The variants of issue 17: FOCUS 0.5, localized Azure, GCP legacy, OCI. */
START_TEST(test_detect_variants)
{
	/* FOCUS 0.5 by ChargeType; a ChargeType without BilledCost is Azure's */
	ck_assert_str_eq(detect("BilledCost,AmortizedCost,ChargeType,ChargePeriodStart,BilledCurrency"),
			 "focus");
	ck_assert_str_eq(detect("BilledCost,ChargeType,ChargePeriodStart"), "(none)");
	/* Azure by the English name in parentheses, and only there */
	ck_assert_str_eq(detect("Abonnement-GUID (SubscriptionGuid),PreTaxCost (PreTaxCost),"
				"Nutzungsdatum/-uhrzeit (UsageDateTime)"), "azure");
	ck_assert_str_eq(detect("Kosten (CostInBillingCurrency),Datum (Date),Gebührentyp (ChargeType)"),
			 "azure");
	ck_assert_str_eq(detect("(PreTaxCost),(UsageDateTime)"), "(none)");
	ck_assert_str_eq(detect("PreTaxCost (Pre Tax Cost),UsageDateTime (x-y)"), "(none)");
	/* GCP legacy file export; OCI cost report (its lineItem/ is not CUR's) */
	ck_assert_str_eq(detect("Account ID,Line Item,Start Time,End Time,Cost,Currency"), "gcp-legacy");
	ck_assert_str_eq(detect("Account ID,Line Item,End Time,Cost"), "(none)");
	ck_assert_str_eq(detect("lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,"
				"cost/myCost,cost/currencyCode"), "oci");
	ck_assert_str_eq(detect("lineItem/referenceNo,lineItem/tenantId,cost/unitPrice"), "(none)");
	ck_assert_ptr_nonnull(importer_find("gcp-legacy"));
	ck_assert_ptr_nonnull(importer_find("oci"));
}
END_TEST

/* Through import_file: an unknown header fails at 1:1 and writes nothing. */
START_TEST(test_detect_unknown_file)
{
	struct fx f;
	struct import_result res;
	struct ic_error err;
	const char *p;
	char want[4400];

	fx_open(&f);
	p = fx_write_str(&f, "bank.csv", "date,amount,description\n2024-01-01,5,coffee\n");
	ck_assert_int_eq(fx_import(&f, p, &res, &err), -1);
	snprintf(want, sizeof want, "%s:1:1:", p);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0 && strstr(err.msg, "unknown format"),
		      "error '%s'", err.msg);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM imports", 0), 0);
	fx_close(&f);
}
END_TEST

/* ---- the import targets (import-target.h) ---- */

/* A FOCUS file of one Usage row billing `billed` into the fixture. */
static const char *
focus_file(struct fx *f, const char *name, const char *billed)
{
	struct doc d;
	const char *p;

	doc_begin(&d, focus_cols, NFOCUS, focus_defaults, 0, 1);
	doc_row(&d, "BilledCost", billed, "EffectiveCost", billed, "ChargeCategory", "Usage", NULL);
	p = fx_write(f, name, d.s, d.len);
	free(d.s);
	return p;
}

/* The SQLite target through its operations table, as the import command
 * runs it: two files of one session form one batch and add up once
 * committed; a session freed without a commit leaves nothing behind. */
START_TEST(test_import_target_sqlite)
{
	const struct import_target_ops *t = &import_target_sqlite;
	struct fx f;
	struct import_result res[2];
	struct ic_error err;
	struct import_opts o;
	const char *p1, *p2, *p3;
	void *s;

	fx_open(&f);
	p1 = focus_file(&f, "a.csv", "1.25");
	p2 = focus_file(&f, "b.csv", "2.5");
	p3 = focus_file(&f, "c.csv", "7");
	memset(&o, 0, sizeof o);
	memset(res, 0, sizeof res);
	memset(&err, 0, sizeof err);
	s = t->new_session(f.db, &o, 2);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(t->import_file(s, p1, &res[0], &err) == 0, "%s", err.msg);
	ck_assert_msg(t->import_file(s, p2, &res[1], &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res[0].rows, 1);
	ck_assert_int_eq(res[1].rows, 1);
	ck_assert_int_eq(res[0].billed, 1250000000);
	ck_assert_int_eq(res[1].billed, 2500000000);
	ck_assert_msg(t->commit(s, &err) == 0, "commit: %s", err.msg);
	t->free_session(s);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM charges", 0), 2);
	ck_assert_int_eq(q_int(f.db, "SELECT count(DISTINCT batch_id) FROM imports", 0), 1);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM imports", 0), 2);

	/* not committed: the file's rows and import row are undone */
	s = t->new_session(f.db, &o, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(t->import_file(s, p3, &res[0], &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res[0].billed, 7000000000);
	t->free_session(s);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM imports", 0), 2);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM charges", 0), 2);
	fx_close(&f);
}
END_TEST

/* ---- metric vocabulary and resource keys (metrics.h) ---- */

/* the first column of the one row of sql, as a double */
static double
q_dbl(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	double v;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row for %s", sql);
	v = sqlite3_column_double(st, 0);
	ck_assert_msg(sqlite3_step(st) == SQLITE_DONE, "more than one row for %s", sql);
	sqlite3_finalize(st);
	return v;
}

START_TEST(test_metric_vocabulary)
{
	char k[128];
	static const struct { const char *id, *key; } keys[] = {
		{ "arn:aws:ec2:us-east-1:123456789012:instance/i-0ABC", "i-0abc" },
		{ "i-0abc", "i-0abc" },
		{ "arn:aws:ec2:eu-west-1:123456789012:volume/vol-09f1", "vol-09f1" },
		{ "arn:aws:rds:us-east-1:123456789012:db:orders", "orders" },
		{ "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc",
		  "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc" },
		{ "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM1",
		  "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1" },
		{ "//compute.googleapis.com/projects/p/zones/z/instances/web-1", "web-1" },
		{ "projects/p/zones/z/instances/4785395811240263431", "4785395811240263431" },
		{ "//compute.googleapis.com/projects/p/zones/z/disks/data-1", "data-1" },
		{ "//storage.googleapis.com/projects/_/buckets/b", "//storage.googleapis.com/projects/_/buckets/b" },
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_str_eq(metrics_resource_key(keys[i].id, strlen(keys[i].id), k, sizeof k), keys[i].key);
	/* cut at the buffer, NUL-terminated */
	ck_assert_str_eq(metrics_resource_key("ABCDEF", 6, k, 4), "abc");
	ck_assert_str_eq(metrics_canonical("cpuutilization", 14), "cpu_utilization");
	ck_assert_str_eq(metrics_canonical("Percentage CPU", 14), "cpu_utilization");
	ck_assert_str_eq(metrics_canonical("LanOuttraffic", 13), "network_out_bytes");
	ck_assert_ptr_null(metrics_canonical("CPUUtilization_Average", 22));
	ck_assert_ptr_null(metrics_canonical("Percentage", 10));
	ck_assert_str_eq(metrics_statistic("NetworkIn", 9), "Total");
	ck_assert_str_eq(metrics_statistic("Percentage CPU", 14), "Average");
	ck_assert_str_eq(metrics_statistic("peak_connections", 16), "Maximum");
	ck_assert_ptr_null(metrics_statistic("StatusCheckFailed", 17));
}
END_TEST

/* statistic suffixes and columns, unit conversions, names kept */
START_TEST(test_metric_statistics)
{
	struct fx f;
	struct import_result res;
	const char *p;

	fx_open(&f);
	p = fx_write_str(&f, "stat.csv",
		"timestamp,resource_id,metric,value,statistic\n"
		"2024-09-01T00:00:00Z,i-1,CPUUtilization_Average,10,\n"
		"2024-09-01T00:30:00Z,i-1,CPUUtilization (Average),20,\n"
		"2024-09-01T00:00:00Z,i-1,CPUUtilization,99,Maximum\n"
		"2024-09-01T00:00:00Z,i-1,NetworkOut.Sum,100,\n"
		"2024-09-01T00:05:00Z,i-1,NetworkOut,50,Sum\n"
		"2024-09-01T00:00:00Z,i-1,InternetOutRate,800,\n"
		"2024-09-01T00:00:00Z,i-1,WanOuttraffic,1,\n"
		"2024-09-01T00:00:00Z,i-1,compute.googleapis.com/instance/cpu/utilization,0.5,\n"
		"2024-09-01T00:00:00Z,service,mau,5,\n"
		"2024-09-01T00:20:00Z,service,mau,7,\n"
		"2024-09-01T00:40:00Z,service,mau,6,\n");
	fx_import_ok(&f, p, &res);
	/* 10, 20 (CloudWatch, Average) and 50 (GCP 0.5 x 100): their mean */
	ck_assert(fabs(q_dbl(f.db, "SELECT value FROM usage WHERE metric = 'cpu_utilization'") - 80.0 / 3) < 1e-9);
	/* Maximum is not what cpu_utilization means: kept under its own name */
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE metric = 'CPUUtilization_Maximum'") == 99);
	/* 100 + 50 bytes, + 800 bit/s and 1 Mbit/s over the hour */
	ck_assert(fabs(q_dbl(f.db, "SELECT value FROM usage WHERE metric = 'network_out_bytes'") -
		       (150 + 800.0 / 8 * 3600 + 1e6 / 8 * 3600)) < 1e-6);
	ck_assert(q_dbl(f.db, "SELECT value FROM usage WHERE metric = 'mau'") == 7);
	ck_assert_int_eq(res.nwarnings, 1);
	ck_assert_msg(strstr(res.warnings[0].msg, "CPUUtilization (statistic Maximum: 1 samples)") != NULL,
		      "warning '%s'", res.warnings[0].msg);
	fx_close(&f);
}
END_TEST

/* ---- usage-csv ---- */

START_TEST(test_usage_csv)
{
	struct fx f;
	struct import_result res;
	struct ic_error err;
	const char *p;
	char got[256];
	static const char csv[] =
		"timestamp,resource_id,metric,value,unit\n"
		"2024-09-01T00:00:00Z,i-1,cpu_utilization,12.5,percent\n"
		"2024-09-01T00:05:00Z,i-1,cpu_utilization,50,percent\n"
		"2024-09-01 00:00:00,service,mau,1200000,\n"
		"2024-09-01T08:00:00+08:00,i-1,cpu_utilization,13.75,percent\n"
		"2024-09-01T00:00:00Z,i-1,network_out_bytes,1.5e9,bytes\n";

	fx_open(&f);
	p = fx_write(&f, "usage.csv", csv, sizeof csv - 1);
	fx_import_ok(&f, p, &res);
	ck_assert_str_eq(res.format, "usage-csv");
	ck_assert_int_eq(res.records, 5);
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM charges", 0), 0);
	/* one value per resource, metric and hour: the three CPU samples of
	 * 00:00-01:00 UTC (+08:00 spelling too) make their mean */
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM usage", 0), 3);
	q_text(f.db, "SELECT printf('%.9f', value) || '|' || unit FROM usage WHERE resource_id = 'i-1'"
		     " AND metric = 'cpu_utilization' AND ts = ?", T_SEP24, NULL, got, sizeof got);
	ck_assert_str_eq(got, "25.416666667|Percent");
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM usage WHERE ts = ?", T_SEP24 + 300), 0);
	q_text(f.db, "SELECT value || '|' || coalesce(unit, 'NULL') FROM usage WHERE resource_id = 'service'"
		     " AND metric = 'mau' AND ts = ?", T_SEP24, NULL, got, sizeof got);
	ck_assert_str_eq(got, "1200000.0|Count");
	ck_assert(q_int(f.db, "SELECT CAST(value AS INTEGER) FROM usage WHERE metric = 'network_out_bytes'"
			      " AND ts = ?", T_SEP24) == 1500000000LL);
	q_text(f.db, "SELECT kind || '|' || format || '|' || records FROM imports WHERE id = ?",
	       res.import_id, NULL, got, sizeof got);
	ck_assert_str_eq(got, "usage|usage-csv|5");

	/* a missing value is an error at its line and column */
	p = fx_write_str(&f, "usage-bad.csv",
			 "timestamp,resource_id,metric,value\n2024-09-02T00:00:00Z,i-2,cpu_utilization,\n");
	ck_assert_int_eq(fx_import(&f, p, &res, &err), -1);
	{
		char want[4400];
		snprintf(want, sizeof want, "%s:2:4:", p);
		ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "error '%s'", err.msg);
	}
	ck_assert_int_eq(q_int(f.db, "SELECT count(*) FROM usage WHERE resource_id = 'i-2'", 0), 0);
	fx_close(&f);
}
END_TEST

Suite *
importer_suite(void)
{
	Suite *s = suite_create("importer");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_str_fit);
	tcase_add_test(tc, test_str_copy_fit_and_trim);
	tcase_add_test(tc, test_aws_usage_instance_type);
	tcase_add_test(tc, test_cur_rules_legacy);
	tcase_add_test(tc, test_cur_rules_athena);
	tcase_add_test(tc, test_cur_athena_same_as_legacy);
	tcase_add_test(tc, test_cur_net_legacy);
	tcase_add_test(tc, test_cur_net_athena);
	tcase_add_test(tc, test_cur2_tags_map);
	tcase_add_test(tc, test_cur_empty_type);
	tcase_add_test(tc, test_focus_mapping);
	tcase_add_test(tc, test_focus_pricing_warnings);
	tcase_add_test(tc, test_focus_hour_30);
	tcase_add_test(tc, test_detect_variants);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_detect_unknown_file);
	tcase_add_test(tc, test_import_target_sqlite);
	tcase_add_test(tc, test_usage_csv);
	tcase_add_test(tc, test_metric_vocabulary);
	tcase_add_test(tc, test_metric_statistics);
	suite_add_tcase(s, tc);
	return s;
}
