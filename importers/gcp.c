/*
 * gcp.c - Google Cloud billing export (the BigQuery standard and detailed
 * usage cost tables): newline-delimited JSON as `bq extract` writes it, and
 * CSV flattened by users (dotted headers such as service.description, or
 * underscores, with the repeated fields as JSON or Python repr text).
 *
 * Mapping (docs/FORMATS.md 4.2-4.4, Google's own FOCUS view):
 *   BilledCost = EffectiveCost = cost + sum(credits[].amount): every credit
 *                  type (free trial PROMOTION, sustained-use, committed-use,
 *                  FEE_UTILIZATION_OFFSET ...) is applied to its row, as
 *                  Google's console and FOCUS view do
 *   ListCost       cost_at_list when exported
 *   billing period invoice.month (YYYYMM): invoices reconcile on the invoice
 *                  month, not on usage time (late usage and corrections land
 *                  on a later invoice)
 *   ChargeCategory cost_type regular -> Usage, tax -> Tax, adjustment and
 *                  rounding_error -> Adjustment; ChargeClass Correction when
 *                  adjustment_info is set
 *   committed use  a row whose sku.description starts with "Commitment" is
 *                  the CUD fee: Purchase, Recurring, Committed (Google bills
 *                  it hourly over the term, so it is already spread);
 *                  usage with a COMMITTED_USAGE_DISCOUNT* or
 *                  FEE_UTILIZATION_OFFSET credit is Committed usage
 *                  (CommitmentDiscountCategory Spend for the dollar-based and
 *                  spend-based models, Usage for resource-based CUDs)
 *   ProviderName "Google Cloud", BillingAccountId billing_account_id,
 *   SubAccountId project.id, ResourceId resource.global_name (detailed
 *   export), Tags from labels[], x_InstanceType from the system label
 *   compute.googleapis.com/machine_spec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/jsonget.h"
#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"
#include "importers/jsonpages.h"

enum gf {
	G_ACCOUNT, G_SERVICE, G_SKU_ID, G_SKU, G_START, G_END, G_PROJECT, G_LABELS,
	G_SYSTEM_LABELS, G_REGION, G_LOCATION, G_ZONE, G_COST, G_CURRENCY, G_USAGE_AMOUNT,
	G_USAGE_UNIT, G_PRICING_AMOUNT, G_PRICING_UNIT, G_CREDITS, G_INVOICE, G_COST_TYPE,
	G_ADJ_ID, G_RESOURCE_NAME, G_RESOURCE_GLOBAL, G_COST_AT_LIST, G_SUBSCRIPTION, G_N
};

static const char *const paths[G_N] = {
	[G_ACCOUNT] = "billing_account_id",
	[G_SERVICE] = "service.description",
	[G_SKU_ID] = "sku.id",
	[G_SKU] = "sku.description",
	[G_START] = "usage_start_time",
	[G_END] = "usage_end_time",
	[G_PROJECT] = "project.id",
	[G_LABELS] = "labels",
	[G_SYSTEM_LABELS] = "system_labels",
	[G_REGION] = "location.region",
	[G_LOCATION] = "location.location",
	[G_ZONE] = "location.zone",
	[G_COST] = "cost",
	[G_CURRENCY] = "currency",
	[G_USAGE_AMOUNT] = "usage.amount",
	[G_USAGE_UNIT] = "usage.unit",
	[G_PRICING_AMOUNT] = "usage.amount_in_pricing_units",
	[G_PRICING_UNIT] = "usage.pricing_unit",
	[G_CREDITS] = "credits",
	[G_INVOICE] = "invoice.month",
	[G_COST_TYPE] = "cost_type",
	[G_ADJ_ID] = "adjustment_info.id",
	[G_RESOURCE_NAME] = "resource.name",
	[G_RESOURCE_GLOBAL] = "resource.global_name",
	[G_COST_AT_LIST] = "cost_at_list",
	[G_SUBSCRIPTION] = "subscription.instance_id",
};

struct gcp {
	int json;		/* JSON lines (else CSV) */
	int c[G_N];		/* CSV columns */
	const cJSON *row;	/* the JSON row being mapped */
	char num[G_N][48];	/* text of JSON numbers */
	struct jsonbuf tags;
	char instance_type[128];
	char cd_id[256];
};

/* CSV column of a field: the dotted name or its underscore spelling. */
static int
csv_col(const struct header *h, const char *path)
{
	char alt[64];
	size_t n = strlen(path);
	int i = header_find(h, path);

	if (i >= 0 || n >= sizeof alt)
		return i;
	for (size_t k = 0; k <= n; k++)
		alt[k] = path[k] == '.' ? '_' : path[k];
	return header_find(h, alt);
}

static int
gcp_detect(const struct header *h)
{
	if (csv_col(h, "billing_account_id") >= 0 && csv_col(h, "cost") >= 0 &&
	    csv_col(h, "usage_start_time") >= 0 &&
	    (csv_col(h, "service.description") >= 0 || csv_col(h, "sku.description") >= 0))
		return 10;
	return 0;
}

static int
gcp_detect_json(const cJSON *v)
{
	if (cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "billing_account_id") &&
	    cJSON_GetObjectItemCaseSensitive(v, "cost") &&
	    cJSON_GetObjectItemCaseSensitive(v, "usage_start_time"))
		return 10;
	return 0;
}

static void *
gcp_open(const struct header *h, struct ic_error *err)
{
	struct gcp *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (h == NULL) {
		st->json = 1;
		return st;
	}
	for (int i = 0; i < G_N; i++)
		st->c[i] = csv_col(h, paths[i]);
	for (int i = 0; i < G_N; i++) {
		if ((i == G_ACCOUNT || i == G_COST || i == G_CURRENCY || i == G_START) && st->c[i] < 0) {
			ic_errorf(err, "required column %s is missing", paths[i]);
			free(st);
			return NULL;
		}
	}
	return st;
}

static void
gcp_close(void *p)
{
	struct gcp *st = p;

	jb_free(&st->tags);
	free(st);
}

/* ---- one accessor for CSV cells and JSON members ---- */

static struct str
field(struct gcp *st, struct row_ctx *rc, int f)
{
	struct str s = { "", 0 };

	if (!st->json)
		return rc_field(rc, st->c[f]);
	if (bu_json_scalar(bu_jpath(st->row, paths[f]), st->num[f], sizeof st->num[f], &s) != 0)
		s = (struct str){ "", 0 };
	return s;
}

/* An error about field f: at its column for CSV, naming it for JSON. */
static int field_error(struct gcp *st, struct row_ctx *rc, int f, struct ic_error *err,
		       const char *what, struct str v);

/* An error about the value of field f: for JSON, an object or an array
 * is quoted as its JSON text (cut by ic_quote), a scalar as its text. */
static int
value_error(struct gcp *st, struct row_ctx *rc, int f, struct ic_error *err, const char *what)
{
	const cJSON *j = st->json ? bu_jpath(st->row, paths[f]) : NULL;
	char *text;
	int r;

	if (j == NULL || !(cJSON_IsObject(j) || cJSON_IsArray(j)))
		return field_error(st, rc, f, err, what, field(st, rc, f));
	text = cJSON_PrintUnformatted(j);
	if (text == NULL)
		return ic_errorf(err, "out of memory");
	r = field_error(st, rc, f, err, what, str_c(text));
	cJSON_free(text);
	return r;
}

/* A JSON field f that holds an object or an array where a scalar (or,
 * with want_array, anything but an array) belongs: value_error.  Returns 0
 * when it is of the right kind or absent, and for CSV. */
static int
json_kind_error(struct gcp *st, struct row_ctx *rc, int f, int want_array, const char *what,
		struct ic_error *err)
{
	const cJSON *j = st->json ? bu_jpath(st->row, paths[f]) : NULL;

	if (j == NULL || (want_array ? cJSON_IsArray(j) : !(cJSON_IsObject(j) || cJSON_IsArray(j))))
		return 0;
	return value_error(st, rc, f, err, what);
}

static int
field_error(struct gcp *st, struct row_ctx *rc, int f, struct ic_error *err, const char *what,
	    struct str v)
{
	char q[IC_QUOTE_SIZE];

	ic_quote(v.s, v.len, 60, q);
	if (!st->json)
		return rc_error(rc, st->c[f], err, "%s, found '%s'", what, q);
	return rc_error(rc, -1, err, "field %s: %s, found '%s'", paths[f], what, q);
}

static int
money(struct gcp *st, struct row_ctx *rc, int f, int required, int64_t *out, int *present,
      struct ic_error *err)
{
	enum num_status s;
	struct str v;

	*present = 0;
	*out = 0;
	if (!st->json) {
		if ((f == G_COST_AT_LIST ? rc_money_list(rc, st->c[f], out, present, err)
					 : rc_money_opt(rc, st->c[f], out, present, err)) != 0)
			return -1;
	} else {
		const cJSON *j = bu_jpath(st->row, paths[f]);
		s = bu_json_money(j, out);
		if (s == NUM_OK) {
			*present = 1;
		} else if (s == NUM_SYNTAX && f == G_COST_AT_LIST && !cJSON_IsObject(j) &&
			   !cJSON_IsArray(j)) {
			*out = 0;
			rc_warn(rc, "field %s: a value that is not a number is stored as NULL (the field "
				"only feeds list cost; billed and effective cost are not affected)", paths[f]);
		} else if (s != NUM_NULL) {
			if (json_kind_error(st, rc, f, 0, "expected a decimal number", err) != 0)
				return -1;
			v = field(st, rc, f);
			return field_error(st, rc, f, err, s == NUM_RANGE ? "amount out of range"
									  : "expected a decimal number", v);
		}
	}
	if (required && !*present) {
		if (!st->json)
			return rc_error(rc, st->c[f], err, "a number is required here");
		return rc_error(rc, -1, err, "field %s is required", paths[f]);
	}
	return 0;
}

static int
number(struct gcp *st, struct row_ctx *rc, int f, double *out, int *present, struct ic_error *err)
{
	enum num_status s;

	*present = 0;
	if (!st->json)
		return rc_number(rc, st->c[f], out, present, err);
	if (json_kind_error(st, rc, f, 0, "expected a number", err) != 0)
		return -1;
	s = bu_json_number(bu_jpath(st->row, paths[f]), out);
	if (s == NUM_OK)
		*present = 1;
	else if (s != NUM_NULL)
		return field_error(st, rc, f, err, "expected a number", field(st, rc, f));
	return 0;
}

static int
timestamp(struct gcp *st, struct row_ctx *rc, int f, int required, int64_t *out, int *present,
	  struct ic_error *err)
{
	struct str v;
	enum num_status s;

	if (!st->json)
		return rc_time(rc, st->c[f], required, 0, out, present, err);
	*present = 0;
	if (json_kind_error(st, rc, f, 0, "expected a timestamp like 2020-11-09 23:00:00 UTC", err) != 0)
		return -1;
	v = field(st, rc, f);
	s = time_parse(v.s, v.len, 0, out);
	if (s == NUM_NULL) {
		if (required)
			return rc_error(rc, -1, err, "field %s is required", paths[f]);
		return 0;
	}
	if (s != NUM_OK)
		return field_error(st, rc, f, err, "expected a timestamp like 2020-11-09 23:00:00 UTC", v);
	*present = 1;
	return 0;
}

/* A repeated field: the JSON node, or the CSV text parsed (JSON or Python
 * repr).  *owned receives what the caller must free.  NULL when empty. */
static int
repeated(struct gcp *st, struct row_ctx *rc, int f, const cJSON **out, cJSON **owned,
	 struct ic_error *err)
{
	struct str v;
	cJSON *j;

	*out = NULL;
	*owned = NULL;
	if (st->json) {
		if (json_kind_error(st, rc, f, 1, "expected an array", err) != 0)
			return -1;
		*out = bu_jpath(st->row, paths[f]);
		return 0;
	}
	v = rc_field(rc, st->c[f]);
	if (str_null(v) || (v.len == 2 && memcmp(v.s, "[]", 2) == 0))
		return 0;
	j = bu_pyjson_parse(v.s, v.len);
	if (!cJSON_IsArray(j)) {
		cJSON_Delete(j);
		return field_error(st, rc, f, err,
				   "expected a list like [{'key': 'k', 'value': 'v'}] (JSON or Python repr)", v);
	}
	*out = *owned = j;
	return 0;
}

static const char *
service_category(struct str s)
{
	static const struct { const char *svc, *cat; } map[] = {
		{ "Compute Engine", "Compute" }, { "Kubernetes Engine", "Compute" },
		{ "Cloud Run", "Compute" }, { "App Engine", "Compute" },
		{ "Cloud Functions", "Compute" }, { "Cloud Storage", "Storage" },
		{ "Filestore", "Storage" }, { "BigQuery", "Analytics" },
		{ "BigQuery Storage API", "Analytics" }, { "Dataflow", "Analytics" },
		{ "Dataproc", "Analytics" }, { "Cloud SQL", "Databases" },
		{ "Cloud Spanner", "Databases" }, { "Cloud Firestore", "Databases" },
		{ "Cloud Datastore", "Databases" }, { "Cloud Memorystore for Redis", "Databases" },
		{ "Cloud Bigtable", "Databases" }, { "Networking", "Networking" },
		{ "Cloud CDN", "Networking" }, { "Cloud DNS", "Networking" },
		{ "Cloud Load Balancing", "Networking" }, { "Network Intelligence Center", "Networking" },
		{ "Cloud Logging", "Management and Governance" },
		{ "Stackdriver Logging", "Management and Governance" },
		{ "Cloud Monitoring", "Management and Governance" },
		{ "Stackdriver Monitoring", "Management and Governance" },
		{ "Security Command Center", "Security" }, { "Secret Manager", "Security" },
		{ "Cloud Key Management Service (KMS)", "Security" },
		{ "Cloud Pub/Sub", "Integration" }, { "Vertex AI", "AI and Machine Learning" },
	};
	if (str_null(s))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(s, map[i].svc))
			return map[i].cat;
	return "Other";
}

static int
prefix_ci(struct str s, const char *p)
{
	size_t n = strlen(p);
	return s.s && s.len >= n && strncasecmp(s.s, p, n) == 0;
}

static int
contains_ci(struct str s, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; s.s && i + n <= s.len; i++)
		if (strncasecmp(s.s + i, needle, n) == 0)
			return 1;
	return 0;
}

static int
map_row(struct gcp *st, struct row_ctx *rc, struct ic_error *err)
{
	struct charge ch;
	struct str v, ct, sku;
	const cJSON *credits = NULL, *labels = NULL, *sys = NULL, *it;
	cJSON *own_credits = NULL, *own_labels = NULL, *own_sys = NULL;
	int64_t cost, sum = 0;
	int present, ret = -1, cud = 0, ncredit = 0;
	const char *cd_category = NULL;
	char buf[32];

	charge_clear(&ch);
	if (money(st, rc, G_COST, 1, &cost, &present, err) != 0 ||
	    money(st, rc, G_COST_AT_LIST, 0, &ch.list, &ch.has_list, err) != 0 ||
	    timestamp(st, rc, G_START, 1, &ch.charge_start, &present, err) != 0 ||
	    timestamp(st, rc, G_END, 0, &ch.charge_end, &present, err) != 0)
		return -1;
	if (!present)
		ch.charge_end = ch.charge_start + 3600;
	if (ch.charge_end < ch.charge_start) {
		/* docs/FORMATS.md 6.12: validate and warn, fail only on unparseable input */
		rc_warn(rc, "usage_end_time before usage_start_time: the charge period is taken as the hour from usage_start_time");
		ch.charge_end = ch.charge_start + 3600;
	}
	if (number(st, rc, G_USAGE_AMOUNT, &ch.consumed_qty, &ch.has_consumed_qty, err) != 0 ||
	    number(st, rc, G_PRICING_AMOUNT, &ch.pricing_qty, &ch.has_pricing_qty, err) != 0)
		return -1;

	/* the invoice month is the billing period; text fields that hold an
	 * object or an array are refused, not read as empty */
	if (json_kind_error(st, rc, G_INVOICE, 0, "expected a month like 202011", err) != 0 ||
	    json_kind_error(st, rc, G_CURRENCY, 0, "expected a currency code", err) != 0 ||
	    json_kind_error(st, rc, G_ACCOUNT, 0, "expected a billing account id", err) != 0)
		return -1;
	v = field(st, rc, G_INVOICE);
	if (str_null(v)) {
		ch.period_start = month_start(ch.charge_start);
		rc_warn(rc, "no invoice.month: the billing period is taken as the usage month");
	} else {
		int64_t end;
		if (v.len >= sizeof buf)
			return field_error(st, rc, G_INVOICE, err, "expected a month like 202011", v);
		memcpy(buf, v.s, v.len);
		buf[v.len] = '\0';
		if (month_parse(buf, &ch.period_start, &end) != 0)
			return field_error(st, rc, G_INVOICE, err, "expected a month like 202011", v);
	}
	ch.period_end = month_next(ch.period_start);

	if (repeated(st, rc, G_CREDITS, &credits, &own_credits, err) != 0 ||
	    repeated(st, rc, G_LABELS, &labels, &own_labels, err) != 0 ||
	    repeated(st, rc, G_SYSTEM_LABELS, &sys, &own_sys, err) != 0)
		goto out;

	/* net cost: cost + the credits */
	sum = cost;
	cJSON_ArrayForEach(it, credits) {
		int64_t amt;
		enum num_status s = bu_json_money(cJSON_GetObjectItemCaseSensitive(it, "amount"), &amt);
		const char *type = json_str(it, "type");
		if (!cJSON_IsObject(it) || s != NUM_OK) {
			char what[96];
			snprintf(what, sizeof what, "credit %d has no valid amount", ncredit + 1);
			value_error(st, rc, G_CREDITS, err, what);
			goto out;
		}
		if (money_add(sum, amt, &sum) != 0) {
			value_error(st, rc, G_CREDITS, err, "credits out of range");
			goto out;
		}
		ncredit++;
		if (type && (strncmp(type, "COMMITTED_USAGE_DISCOUNT", 24) == 0 ||
			     strcmp(type, "FEE_UTILIZATION_OFFSET") == 0)) {
			const char *id = json_str(it, "id");
			cud = 1;
			cd_category = strcmp(type, "COMMITTED_USAGE_DISCOUNT") == 0 ? "Usage" : "Spend";
			if (id && strlen(id) < sizeof st->cd_id) {
				strcpy(st->cd_id, id);
				ch.text[CT_CD_ID] = str_c(st->cd_id);
			}
		}
	}
	ch.billed = ch.effective = sum;

	ch.text[CT_CURRENCY] = field(st, rc, G_CURRENCY);
	if (str_null(ch.text[CT_CURRENCY])) {
		if (!st->json)
			rc_error(rc, st->c[G_CURRENCY], err, "the currency is empty");
		else
			rc_error(rc, -1, err, "field currency is required");
		goto out;
	}
	if (rc_currency(rc, st->json ? -1 : st->c[G_CURRENCY], ch.text[CT_CURRENCY], err) != 0)
		goto out;
	ch.text[CT_PROVIDER] = str_c("Google Cloud");
	ch.text[CT_BILLING_ACCOUNT] = field(st, rc, G_ACCOUNT);
	if (str_null(ch.text[CT_BILLING_ACCOUNT])) {
		if (!st->json)
			rc_error(rc, st->c[G_ACCOUNT], err, "the billing account is empty");
		else
			rc_error(rc, -1, err, "field billing_account_id is required");
		goto out;
	}
	ch.text[CT_SUB_ACCOUNT] = field(st, rc, G_PROJECT);

	ct = field(st, rc, G_COST_TYPE);
	sku = field(st, rc, G_SKU);
	if (str_null(ct) || str_ieq(ct, "regular")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
		ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
	} else if (str_ieq(ct, "tax")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Tax");
	} else {
		char q[IC_QUOTE_SIZE];
		if (!str_ieq(ct, "adjustment") && !str_ieq(ct, "rounding_error"))
			rc_warn(rc, "unknown cost_type '%s' kept as Adjustment", ic_quote(ct.s, ct.len, 40, q));
		ch.text[CT_CHARGE_CATEGORY] = str_c("Adjustment");
	}
	if (!str_null(field(st, rc, G_ADJ_ID)))
		ch.text[CT_CHARGE_CLASS] = str_c("Correction");
	if (contains_ci(sku, "Preemptible") || contains_ci(sku, "Spot "))
		ch.text[CT_PRICING_CATEGORY] = str_c("Dynamic");
	if (prefix_ci(sku, "Commitment")) {
		/* the committed-use fee, billed hourly over the term */
		ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Recurring");
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_TYPE] = str_c("Committed Use Discount");
		ch.text[CT_CD_CATEGORY] = str_c(contains_ci(sku, "dollar") || contains_ci(sku, "spend")
						? "Spend" : "Usage");
		ch.text[CT_CD_ID] = field(st, rc, G_SUBSCRIPTION);
		ch.has_consumed_qty = 0;
	} else if (cud) {
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_TYPE] = str_c("Committed Use Discount");
		ch.text[CT_CD_CATEGORY] = str_c(cd_category);
		ch.text[CT_CD_STATUS] = str_c("Used");
		if (!str_null(field(st, rc, G_SUBSCRIPTION)))
			ch.text[CT_CD_ID] = field(st, rc, G_SUBSCRIPTION);
	}

	ch.text[CT_CHARGE_DESCRIPTION] = sku;
	ch.text[CT_SERVICE_NAME] = field(st, rc, G_SERVICE);
	ch.text[CT_SERVICE_CATEGORY] = str_c(service_category(ch.text[CT_SERVICE_NAME]));
	ch.text[CT_REGION] = field(st, rc, G_REGION);
	if (str_null(ch.text[CT_REGION]) && !str_ieq(field(st, rc, G_LOCATION), "global"))
		ch.text[CT_REGION] = field(st, rc, G_LOCATION);
	ch.text[CT_AZ] = field(st, rc, G_ZONE);
	ch.text[CT_RESOURCE_ID] = field(st, rc, G_RESOURCE_GLOBAL);
	if (str_null(ch.text[CT_RESOURCE_ID]))
		ch.text[CT_RESOURCE_ID] = field(st, rc, G_RESOURCE_NAME);
	ch.text[CT_SKU_ID] = field(st, rc, G_SKU_ID);
	ch.text[CT_CONSUMED_UNIT] = field(st, rc, G_USAGE_UNIT);
	ch.text[CT_PRICING_UNIT] = field(st, rc, G_PRICING_UNIT);
	ch.text[CT_X_USAGE_TYPE] = sku;
	ch.text[CT_X_LINE_ITEM_TYPE] = str_null(ct) ? str_c("regular") : ct;

	/* labels -> Tags; the machine type from the system labels */
	if (labels && cJSON_GetArraySize(labels) > 0) {
		jb_begin(&st->tags);
		cJSON_ArrayForEach(it, labels) {
			const char *k = json_str(it, "key"), *val = json_str(it, "value");
			if (k)
				jb_pair(&st->tags, k, strlen(k), val ? val : "", val ? strlen(val) : 0);
		}
		if (jb_end(&st->tags) > 0 && !st->tags.buf.oom)
			ch.text[CT_TAGS] = (struct str){ st->tags.buf.s, st->tags.buf.len };
		if (st->tags.buf.oom) {
			ic_errorf(err, "out of memory");
			goto out;
		}
	}
	cJSON_ArrayForEach(it, sys) {
		const char *k = json_str(it, "key"), *val = json_str(it, "value");
		if (k && val && strcmp(k, "compute.googleapis.com/machine_spec") == 0 &&
		    strlen(val) < sizeof st->instance_type) {
			strcpy(st->instance_type, val);
			ch.text[CT_X_INSTANCE_TYPE] = str_c(st->instance_type);
		}
	}
	ret = rc_emit_charge(rc, &ch, err);
out:
	cJSON_Delete(own_credits);
	cJSON_Delete(own_labels);
	cJSON_Delete(own_sys);
	return ret;
}

static int
gcp_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct gcp *st = p;

	st->row = NULL;
	return map_row(st, rc, err);
}

static int
gcp_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	struct gcp *st = p;

	if (jp_utf8(rc, v, err) != 0)
		return -1;
	if (!cJSON_IsObject(v))
		return rc_error(rc, -1, err, "expected one JSON object per line (BigQuery NEWLINE_DELIMITED_JSON export)");
	if (!cJSON_GetObjectItemCaseSensitive(v, "billing_account_id") ||
	    !cJSON_GetObjectItemCaseSensitive(v, "cost"))
		return rc_error(rc, -1, err, "not a billing export row: billing_account_id or cost is missing");
	st->row = v;
	return map_row(st, rc, err);
}

const struct importer importer_gcp = {
	.name = "gcp",
	.description = "Google Cloud billing export (BigQuery standard/detailed): JSON lines, or flattened CSV",
	.needs = "billing_account_id, cost, currency, usage_start_time (service.description, sku.description, "
		 "credits, invoice.month expected; dotted or underscore CSV headers)",
	.kind = KIND_CHARGES,
	.detect = gcp_detect,
	.open = gcp_open,
	.row = gcp_row,
	.close = gcp_close,
	.detect_json = gcp_detect_json,
	.json_row = gcp_json_row,
	.restates = RESTATES_WINDOW,
};
