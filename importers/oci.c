/*
 * oci.c - Oracle Cloud Infrastructure (OCI) cost reports: the CSV files
 * (…-00001.csv.gz) OCI writes every six hours to an Oracle-owned bucket,
 * in its own "proprietary" layout (OCI's FOCUS reports go through
 * focus.c: their ProviderName is "Oracle").
 *
 * Source of the columns: Oracle's "Cost and Usage Reports" page, "Cost
 * Report Schema" (https://docs.oracle.com/en-us/iaas/Content/Billing/
 * Concepts/costusagereportsoverview.htm): lineItem/referenceNo,
 * lineItem/tenantId, lineItem/intervalUsageStart, lineItem/intervalUsageEnd
 * (UTC, written 2019-09-12T21:00Z), product/service, product/resource,
 * product/compartmentId, product/compartmentName, product/region,
 * product/availabilityDomain, product/resourceId, usage/billedQuantity,
 * usage/billedQuantityOverage, cost/subscriptionId, cost/productSku,
 * product/Description, cost/unitPrice, cost/unitPriceOverage, cost/myCost,
 * cost/myCostOverage, cost/currencyCode, cost/billingUnitReadable,
 * cost/skuUnitDescription, cost/overageFlag, lineItem/isCorrection,
 * lineItem/backreferenceNo, then one tags/NAMESPACE.KEY column per tag.
 * Oracle's note: "billedQuantity, myCost, and unitPrice are inclusive of
 * Overage numbers", so the *Overage columns are never added again.
 *
 * Mapping:
 *   BilledCost = EffectiveCost  cost/myCost (required; the report holds no
 *                  amortization); ListCost not set (unitPrice is your price)
 *   currency       cost/currencyCode (required)
 *   times          intervalUsageStart..intervalUsageEnd (UTC); the billing
 *                  period is the UTC calendar month of the start
 *   corrections    lineItem/isCorrection true: Oracle adds a correction as
 *                  a new row pointing at the corrected one
 *                  (lineItem/backreferenceNo); it is kept, added, with
 *                  ChargeClass Correction
 *   BillingAccountId lineItem/tenantId; SubAccountId product/compartmentId
 *   ServiceName product/service; x_UsageType product/resource; ResourceId
 *   product/resourceId; RegionId product/region; AvailabilityZone
 *   product/availabilityDomain; SkuId cost/productSku; ChargeDescription
 *   product/Description; Consumed/PricingQuantity usage/billedQuantity in
 *   cost/billingUnitReadable.  No commitment is inferred from
 *   cost/subscriptionId or cost/overageFlag: the report does not say which
 *   rows a commitment paid.
 *   Tags           every non-empty tags/KEY column as "KEY": value; a
 *                  repeated tags/ name is read from its first column.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

enum col {
	O_REFERENCE, O_TENANT, O_START, O_END, O_SERVICE, O_RESOURCE, O_COMPARTMENT, O_REGION,
	O_AD, O_RESOURCE_ID, O_QUANTITY, O_SKU, O_DESCRIPTION, O_MY_COST, O_CURRENCY, O_UNIT,
	O_CORRECTION, O_BACKREFERENCE, O_NCOLS
};

static const char *const names[O_NCOLS] = {
	[O_REFERENCE] = "lineItem/referenceNo",
	[O_TENANT] = "lineItem/tenantId",
	[O_START] = "lineItem/intervalUsageStart",
	[O_END] = "lineItem/intervalUsageEnd",
	[O_SERVICE] = "product/service",
	[O_RESOURCE] = "product/resource",
	[O_COMPARTMENT] = "product/compartmentId",
	[O_REGION] = "product/region",
	[O_AD] = "product/availabilityDomain",
	[O_RESOURCE_ID] = "product/resourceId",
	[O_QUANTITY] = "usage/billedQuantity",
	[O_SKU] = "cost/productSku",
	[O_DESCRIPTION] = "product/Description",
	[O_MY_COST] = "cost/myCost",
	[O_CURRENCY] = "cost/currencyCode",
	[O_UNIT] = "cost/billingUnitReadable",
	[O_CORRECTION] = "lineItem/isCorrection",
	[O_BACKREFERENCE] = "lineItem/backreferenceNo",
};

struct oci {
	int c[O_NCOLS];
	int *tag_cols;		/* indexes of the tags/ columns */
	int ntags;
	struct jsonbuf keys;	/* their keys (after "tags/"), each as jb_key wrote it */
	size_t *key_off, *key_len;	/* where each key is in keys.s */
	struct jsonbuf tags;
};

static int
oci_detect(const struct header *h)
{
	if (header_find(h, "lineItem/referenceNo") >= 0 && header_find(h, "cost/myCost") >= 0)
		return 10;
	return 0;
}

static void
oci_close(void *p)
{
	struct oci *st = p;

	jb_free(&st->tags);
	jb_free(&st->keys);
	free(st->tag_cols);
	free(st->key_off);
	free(st->key_len);
	free(st);
}

static void *
oci_open(const struct header *h, struct ic_error *err)
{
	struct oci *st = calloc(1, sizeof *st);
	static const int required[] = { O_TENANT, O_START, O_MY_COST, O_CURRENCY };

	size_t n = (size_t)(h->n > 0 ? h->n : 1);

	if (st == NULL || (st->tag_cols = calloc(n, sizeof(int))) == NULL ||
	    (st->key_off = calloc(n, sizeof(size_t))) == NULL ||
	    (st->key_len = calloc(n, sizeof(size_t))) == NULL) {
		if (st)
			oci_close(st);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < O_NCOLS; i++)
		st->c[i] = header_find(h, names[i]);
	for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
		if (st->c[required[k]] < 0) {
			ic_errorf(err, "required column %s is missing", names[required[k]]);
			oci_close(st);
			return NULL;
		}
	for (int i = 0; i < h->n; i++)
		if (h->f[i].len > 5 && strncasecmp(h->f[i].s, "tags/", 5) == 0 &&
		    !(h->dup && h->dup[i])) {
			size_t at = st->keys.buf.len;
			jb_key(&st->keys, h->f[i].s + 5, h->f[i].len - 5);
			st->key_off[st->ntags] = at;
			st->key_len[st->ntags] = st->keys.buf.len - at;
			st->tag_cols[st->ntags++] = i;
		}
	if (st->keys.buf.oom) {
		oci_close(st);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	return st;
}


/* lineItem/isCorrection: true/false, Y/N, 1/0 (empty: false). */
static int
is_true(struct str v)
{
	return str_ieq(v, "true") || str_ieq(v, "y") || str_ieq(v, "yes") || str_ieq(v, "1");
}

static int
oci_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct oci *st = p;
	const int *c = st->c;
	struct charge ch;
	struct str v;
	int present;

	charge_clear(&ch);
	if (rc_money(rc, c[O_MY_COST], 1, 0, &ch.billed, err) != 0 ||
	    rc_number(rc, c[O_QUANTITY], &ch.consumed_qty, &ch.has_consumed_qty, err) != 0 ||
	    rc_time(rc, c[O_START], 1, 0, &ch.charge_start, NULL, err) != 0 ||
	    rc_time(rc, c[O_END], 0, 0, &ch.charge_end, &present, err) != 0)
		return -1;
	ch.effective = ch.billed;
	if (!present)
		ch.charge_end = ch.charge_start + 3600;
	if (ch.charge_end < ch.charge_start)
		return rc_error(rc, c[O_END], err, "the usage interval ends before it starts");
	ch.pricing_qty = ch.consumed_qty;
	ch.has_pricing_qty = ch.has_consumed_qty;
	ch.period_start = month_start(ch.charge_start);
	ch.period_end = month_next(ch.period_start);

	ch.text[CT_CURRENCY] = rc_field(rc, c[O_CURRENCY]);
	if (str_null(ch.text[CT_CURRENCY]))
		return rc_error(rc, c[O_CURRENCY], err, "the currency is empty");
	if (rc_currency(rc, c[O_CURRENCY], ch.text[CT_CURRENCY], err) != 0)
		return -1;
	ch.text[CT_PROVIDER] = str_c("Oracle");
	ch.text[CT_BILLING_ACCOUNT] = rc_field(rc, c[O_TENANT]);
	if (str_null(ch.text[CT_BILLING_ACCOUNT]))
		return rc_error(rc, c[O_TENANT], err, "the tenancy is empty");
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[O_COMPARTMENT]);
	ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
	ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
	ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
	v = rc_field(rc, c[O_CORRECTION]);
	if (is_true(v))
		ch.text[CT_CHARGE_CLASS] = str_c("Correction");
	else if (!str_null(v) && !str_ieq(v, "false") && !str_ieq(v, "n") && !str_ieq(v, "no") &&
		 !str_ieq(v, "0"))
		rc_warn_col(rc, c[O_CORRECTION], "column lineItem/isCorrection: a value that is "
			    "neither true nor false is read as false");
	ch.text[CT_SERVICE_NAME] = rc_field(rc, c[O_SERVICE]);
	ch.text[CT_X_USAGE_TYPE] = rc_field(rc, c[O_RESOURCE]);
	ch.text[CT_RESOURCE_ID] = rc_field(rc, c[O_RESOURCE_ID]);
	ch.text[CT_REGION] = rc_field(rc, c[O_REGION]);
	ch.text[CT_AZ] = rc_field(rc, c[O_AD]);
	ch.text[CT_SKU_ID] = rc_field(rc, c[O_SKU]);
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[O_DESCRIPTION]);
	ch.text[CT_CONSUMED_UNIT] = rc_field(rc, c[O_UNIT]);
	ch.text[CT_PRICING_UNIT] = ch.text[CT_CONSUMED_UNIT];

	if (st->ntags > 0) {
		int n = 0;
		jb_begin(&st->tags);
		for (int k = 0; k < st->ntags; k++) {
			int i = st->tag_cols[k];
			struct str t = rc_field(rc, i);
			if (t.len == 0)
				continue;
			jb_pair_quoted(&st->tags, st->keys.buf.s + st->key_off[k], st->key_len[k], t.s, t.len);
			n++;
		}
		if (n > 0 && jb_end(&st->tags) > 0 && !st->tags.buf.oom)
			ch.text[CT_TAGS] = (struct str){ st->tags.buf.s, st->tags.buf.len };
		if (st->tags.buf.oom)
			return ic_errorf(err, "out of memory");
	}
	return rc_emit_charge(rc, &ch, err);
}

const struct importer importer_oci = {
	.name = "oci",
	.description = "Oracle Cloud (OCI) cost report CSV (lineItem/..., cost/myCost; OCI's FOCUS "
		       "reports read as focus)",
	.needs = "lineItem/referenceNo, lineItem/tenantId, lineItem/intervalUsageStart, cost/myCost, "
		 "cost/currencyCode (lineItem/intervalUsageEnd, product/service, product/resourceId, "
		 "usage/billedQuantity, lineItem/isCorrection, tags/... expected)",
	.kind = KIND_CHARGES,
	.detect = oci_detect,
	.open = oci_open,
	.row = oci_row,
	.close = oci_close,
};
