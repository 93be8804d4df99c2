/*
 * gcp-legacy.c - the Google Cloud legacy billing "file export" CSV: the
 * daily file Cloud Billing wrote to a Cloud Storage bucket before the
 * BigQuery export (still in archives of old months).
 *
 * Source of the columns: Google's "Export billing data to a file" page
 * (https://cloud.google.com/billing/docs/how-to/export-data-file, the
 * "Contents of the exported billing file" table: CSV names in
 * parentheses under the JSON ones, e.g. accountId (Account ID)), as
 * listed verbatim by project-koku/nise GCP_REPORT_COLUMNS: Account ID,
 * Line Item, Start Time, End Time, Project, Measurement1, Measurement1
 * Total Consumption, Measurement1 Units, Credit1, Credit1 Amount, Credit1
 * Currency, Cost, Currency, Project Number, Project ID, Project Name,
 * Project Labels, Description (docs/FORMATS.md 4.5).  Google's page says
 * the file holds no invoice-level charges (no tax, no adjustment memos): a
 * month imported from it is usage and credits only.
 *
 * Mapping:
 *   BilledCost = EffectiveCost  Cost + every CreditN Amount (credits are
 *                  negative; Credit1..Credit9 are read, each in its
 *                  CreditN Currency, which must be the row's Currency)
 *   ListCost       not set (Cost is after sustained-use pricing, not list)
 *   currency       Currency (required)
 *   times          Start Time / End Time, ISO 8601 with Google's Pacific
 *                  offset (2017-11-02T00:00:00-07:00); stored in UTC; an
 *                  empty End Time is Start Time + 1 day (the file is daily)
 *   billing period the month of Start Time's own date (Google invoices by
 *                  Pacific-time month), as a month label
 *   ChargeCategory Usage, Usage-Based, PricingCategory Standard
 *   BillingAccountId Account ID; SubAccountId Project ID (else Project
 *                  Number, else Project); ServiceName the service of Line
 *                  Item (com.google.cloud/services/compute-engine/... ->
 *                  compute-engine); SkuId and x_UsageType Line Item;
 *                  ChargeDescription Description; ConsumedQuantity
 *                  Measurement1 Total Consumption in Measurement1 Units;
 *                  Tags Project Labels (a JSON object, or k:v;k:v pairs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

#define GL_MAX_CREDITS 9

enum col {
	GL_ACCOUNT, GL_LINE_ITEM, GL_START, GL_END, GL_PROJECT, GL_MEASUREMENT, GL_QUANTITY,
	GL_UNITS, GL_COST, GL_CURRENCY, GL_PROJECT_NUMBER, GL_PROJECT_ID, GL_PROJECT_NAME,
	GL_LABELS, GL_DESCRIPTION, GL_NCOLS
};

static const char *const names[GL_NCOLS] = {
	[GL_ACCOUNT] = "Account ID",
	[GL_LINE_ITEM] = "Line Item",
	[GL_START] = "Start Time",
	[GL_END] = "End Time",
	[GL_PROJECT] = "Project",
	[GL_MEASUREMENT] = "Measurement1",
	[GL_QUANTITY] = "Measurement1 Total Consumption",
	[GL_UNITS] = "Measurement1 Units",
	[GL_COST] = "Cost",
	[GL_CURRENCY] = "Currency",
	[GL_PROJECT_NUMBER] = "Project Number",
	[GL_PROJECT_ID] = "Project ID",
	[GL_PROJECT_NAME] = "Project Name",
	[GL_LABELS] = "Project Labels",
	[GL_DESCRIPTION] = "Description",
};

struct gcp_legacy {
	int c[GL_NCOLS];
	int credit_amount[GL_MAX_CREDITS], credit_currency[GL_MAX_CREDITS];
	struct jsonbuf tags;
};

static int
gl_detect(const struct header *h)
{
	if (header_find(h, "Account ID") >= 0 && header_find(h, "Line Item") >= 0 &&
	    header_find(h, "Start Time") >= 0 && header_find(h, "Cost") >= 0)
		return 10;
	return 0;
}

static void *
gl_open(const struct header *h, struct ic_error *err)
{
	struct gcp_legacy *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < GL_NCOLS; i++)
		st->c[i] = header_find(h, names[i]);
	for (int k = 0; k < GL_MAX_CREDITS; k++) {
		char name[32];
		snprintf(name, sizeof name, "Credit%d Amount", k + 1);
		st->credit_amount[k] = header_find(h, name);
		snprintf(name, sizeof name, "Credit%d Currency", k + 1);
		st->credit_currency[k] = header_find(h, name);
	}
	for (int i = GL_ACCOUNT; i <= GL_CURRENCY; i++) {
		int need = i == GL_ACCOUNT || i == GL_START || i == GL_COST || i == GL_CURRENCY;
		if (need && st->c[i] < 0) {
			ic_errorf(err, "required column %s is missing", names[i]);
			free(st);
			return NULL;
		}
	}
	return st;
}

static void
gl_close(void *p)
{
	struct gcp_legacy *st = p;

	jb_free(&st->tags);
	free(st);
}

/* The service in a Line Item URI: "com.google.cloud/services/NAME/SKU"
 * -> NAME; the whole item when it has no such segment. */
static struct str
service_of(struct str item)
{
	static const char mark[] = "/services/";
	const size_t n = sizeof mark - 1;

	for (size_t i = 0; item.s && i + n <= item.len; i++)
		if (memcmp(item.s + i, mark, n) == 0) {
			const char *s = item.s + i + n, *e = item.s + item.len;
			const char *slash = memchr(s, '/', (size_t)(e - s));
			struct str r = { s, (size_t)((slash ? slash : e) - s) };
			return r.len ? r : item;
		}
	return item;
}

static const char *
service_category(struct str svc)
{
	static const struct { const char *svc, *cat; } map[] = {
		{ "compute-engine", "Compute" }, { "app-engine", "Compute" },
		{ "container-engine", "Compute" }, { "kubernetes-engine", "Compute" },
		{ "cloud-functions", "Compute" }, { "cloud-storage", "Storage" },
		{ "bigquery", "Analytics" }, { "cloud-sql", "Databases" },
		{ "cloud-datastore", "Databases" }, { "cloud-spanner", "Databases" },
		{ "bigtable", "Databases" }, { "cloud-dns", "Networking" },
		{ "networking", "Networking" }, { "cloud-pubsub", "Integration" },
		{ "stackdriver", "Management and Governance" },
	};
	if (str_null(svc))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(svc, map[i].svc))
			return map[i].cat;
	return "Other";
}

static int
gl_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct gcp_legacy *st = p;
	const int *c = st->c;
	struct charge ch;
	struct str v, cur;
	int64_t cost;
	int present;
	char q[IC_QUOTE_SIZE];

	charge_clear(&ch);
	if (rc_money(rc, c[GL_COST], 1, 0, &cost, err) != 0 ||
	    rc_number(rc, c[GL_QUANTITY], &ch.consumed_qty, &ch.has_consumed_qty, err) != 0 ||
	    rc_time(rc, c[GL_START], 1, 0, &ch.charge_start, NULL, err) != 0 ||
	    rc_time(rc, c[GL_END], 0, 0, &ch.charge_end, &present, err) != 0)
		return -1;
	if (!present)
		ch.charge_end = ch.charge_start + 86400;
	if (ch.charge_end < ch.charge_start)
		return rc_error(rc, c[GL_END], err, "the usage ends before it starts");
	cur = rc_field(rc, c[GL_CURRENCY]);
	if (str_null(cur))
		return rc_error(rc, c[GL_CURRENCY], err, "the currency is empty");
	if (rc_currency(rc, c[GL_CURRENCY], cur, err) != 0)
		return -1;

	/* net cost: Cost + the credits, each in the row's currency */
	ch.billed = cost;
	for (int k = 0; k < GL_MAX_CREDITS; k++) {
		int64_t amt;
		struct str cc;
		if (rc_money_opt(rc, st->credit_amount[k], &amt, &present, err) != 0)
			return -1;
		if (!present)
			continue;
		cc = rc_field(rc, st->credit_currency[k]);
		if (!str_null(cc) && !(cc.len == cur.len && memcmp(cc.s, cur.s, cc.len) == 0))
			return rc_error(rc, st->credit_currency[k], err,
					"credit currency '%s' is not the row's currency",
					ic_quote(cc.s, cc.len, 40, q));
		if (money_add(ch.billed, amt, &ch.billed) != 0)
			return rc_error(rc, st->credit_amount[k], err, "cost plus credits is out of range");
	}
	ch.effective = ch.billed;

	/* the invoice month: Start Time's own date (Pacific time) */
	v = rc_field(rc, c[GL_START]);
	if (!(v.len >= 10 && v.s[4] == '-' && v.s[7] == '-' &&
	      bu_month_label((struct str){ v.s, 7 }, &ch.period_start) == 0))
		ch.period_start = month_start(ch.charge_start);
	ch.period_end = month_next(ch.period_start);

	ch.text[CT_CURRENCY] = cur;
	ch.text[CT_PROVIDER] = str_c("Google Cloud");
	ch.text[CT_BILLING_ACCOUNT] = rc_field(rc, c[GL_ACCOUNT]);
	if (str_null(ch.text[CT_BILLING_ACCOUNT]))
		return rc_error(rc, c[GL_ACCOUNT], err, "the billing account is empty");
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[GL_PROJECT_ID]);
	if (str_null(ch.text[CT_SUB_ACCOUNT]))
		ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[GL_PROJECT_NUMBER]);
	if (str_null(ch.text[CT_SUB_ACCOUNT]))
		ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[GL_PROJECT]);
	ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
	ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
	ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
	v = rc_field(rc, c[GL_LINE_ITEM]);
	ch.text[CT_SKU_ID] = v;
	ch.text[CT_X_USAGE_TYPE] = v;
	ch.text[CT_SERVICE_NAME] = service_of(v);
	ch.text[CT_SERVICE_CATEGORY] = str_c(service_category(ch.text[CT_SERVICE_NAME]));
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[GL_DESCRIPTION]);
	ch.text[CT_CONSUMED_UNIT] = rc_field(rc, c[GL_UNITS]);
	ch.text[CT_PRICING_UNIT] = ch.text[CT_CONSUMED_UNIT];
	ch.pricing_qty = ch.consumed_qty;
	ch.has_pricing_qty = ch.has_consumed_qty;

	v = rc_field(rc, c[GL_LABELS]);
	if (!str_null(v)) {
		size_t i = 0;
		while (i < v.len && (v.s[i] == ' ' || v.s[i] == '\t'))
			i++;
		if (i < v.len && v.s[i] == '{') {
			ch.text[CT_TAGS] = rc_tags(rc, c[GL_LABELS], 1);
		} else {
			jb_begin(&st->tags);
			if (bu_tags_kv_append(&st->tags, v.s, v.len) > 0 && jb_end(&st->tags) > 0 &&
			    !st->tags.buf.oom)
				ch.text[CT_TAGS] = (struct str){ st->tags.buf.s, st->tags.buf.len };
			else if (!st->tags.buf.oom)
				rc_warn_col(rc, c[GL_LABELS], "column Project Labels: no key:value pair, stored as NULL");
			if (st->tags.buf.oom)
				return ic_errorf(err, "out of memory");
		}
	}
	return rc_emit_charge(rc, &ch, err);
}

const struct importer importer_gcp_legacy = {
	.name = "gcp-legacy",
	.description = "Google Cloud legacy billing file export CSV (daily files to a bucket, pre-BigQuery)",
	.needs = "Account ID, Line Item, Start Time, Cost, Currency (End Time, Measurement1 Total "
		 "Consumption, Measurement1 Units, CreditN Amount, Project ID expected)",
	.kind = KIND_CHARGES,
	.detect = gl_detect,
	.open = gl_open,
	.row = gl_row,
	.close = gl_close,
};
