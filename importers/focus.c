/*
 * focus.c - FinOps FOCUS exports, versions 1.0 to 1.3 (and 0.5/preview
 * column names), from any provider.
 *
 * The charges table already speaks FOCUS, so this is mostly a copy by
 * column name.  What real exports need on top (docs/FORMATS.md 1.8): enum
 * values in the wrong case ("Usage-based"), the pre-1.0 PricingCategory
 * values (On-Demand -> Standard, Commitment-Based -> Committed), NULL /
 * null / empty as null, timestamps with a space and no zone, and the 1.3
 * ServiceProviderName.  The spec's own example files leave out
 * BillingCurrency, ProviderName and BillingAccountId: those default to
 * USD / "unknown" with a warning rather than failing.  The instance type
 * comes from x_InstanceType, SkuPriceDetails' InstanceType, or (AWS's own
 * FOCUS export) the EC2 usage type in x_UsageType, "BoxUsage:m5.large",
 * with the platform from x_Operation.
 *
 * FOCUS 0.5 (2023) is detected by its own names: ChargeType for
 * ChargeCategory, AmortizedCost for EffectiveCost, Provider for
 * ProviderName, Region for RegionId, UsageQuantity/UsageUnit, and the
 * BilledCurrency of the FinOps Foundation validator's 0.5 example
 * (finopsfoundation/focus_validator, tests/samples/all_pass_0.5.csv).
 * That example also writes BillingPeriodStart after BillingPeriodEnd
 * (2023-06-30 / 2023-06-01): a period whose end comes before its start is
 * read swapped, and a warning counts those rows with the line and column
 * of the first.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"

enum col {
	F_BILLED, F_EFFECTIVE, F_LIST, F_CONTRACTED, F_CURRENCY, F_PROVIDER, F_ACCOUNT,
	F_SUB_ACCOUNT, F_CATEGORY, F_CLASS, F_FREQUENCY, F_DESCRIPTION, F_PRICING_CATEGORY,
	F_CD_ID, F_CD_TYPE, F_CD_STATUS, F_CD_CATEGORY, F_SERVICE, F_SERVICE_CATEGORY,
	F_REGION, F_AZ, F_RESOURCE, F_RESOURCE_TYPE, F_SKU, F_CONSUMED_QTY, F_CONSUMED_UNIT,
	F_PRICING_QTY, F_PRICING_UNIT, F_CP_START, F_CP_END, F_BP_START, F_BP_END, F_TAGS,
	F_X_INSTANCE_TYPE, F_X_USAGE_TYPE, F_X_OPERATION, F_SKU_PRICE_DETAILS, F_NCOLS
};

/* alternative names, NULL-terminated; the first is the FOCUS 1.x name */
static const char *const names[F_NCOLS][4] = {
	[F_BILLED] = { "BilledCost" },
	[F_EFFECTIVE] = { "EffectiveCost", "AmortizedCost" },
	[F_LIST] = { "ListCost" },
	[F_CONTRACTED] = { "ContractedCost" },
	[F_CURRENCY] = { "BillingCurrency", "BilledCurrency" },
	[F_PROVIDER] = { "ProviderName", "ServiceProviderName", "Provider" },
	[F_ACCOUNT] = { "BillingAccountId" },
	[F_SUB_ACCOUNT] = { "SubAccountId" },
	[F_CATEGORY] = { "ChargeCategory", "ChargeType" },
	[F_CLASS] = { "ChargeClass" },
	[F_FREQUENCY] = { "ChargeFrequency" },
	[F_DESCRIPTION] = { "ChargeDescription" },
	[F_PRICING_CATEGORY] = { "PricingCategory" },
	[F_CD_ID] = { "CommitmentDiscountId" },
	[F_CD_TYPE] = { "CommitmentDiscountType" },
	[F_CD_STATUS] = { "CommitmentDiscountStatus" },
	[F_CD_CATEGORY] = { "CommitmentDiscountCategory" },
	[F_SERVICE] = { "ServiceName" },
	[F_SERVICE_CATEGORY] = { "ServiceCategory" },
	[F_REGION] = { "RegionId", "Region" },
	[F_AZ] = { "AvailabilityZone" },
	[F_RESOURCE] = { "ResourceId" },
	[F_RESOURCE_TYPE] = { "ResourceType" },
	[F_SKU] = { "SkuId" },
	[F_CONSUMED_QTY] = { "ConsumedQuantity", "UsageQuantity" },
	[F_CONSUMED_UNIT] = { "ConsumedUnit", "UsageUnit" },
	[F_PRICING_QTY] = { "PricingQuantity" },
	[F_PRICING_UNIT] = { "PricingUnit" },
	[F_CP_START] = { "ChargePeriodStart" },
	[F_CP_END] = { "ChargePeriodEnd" },
	[F_BP_START] = { "BillingPeriodStart" },
	[F_BP_END] = { "BillingPeriodEnd" },
	[F_TAGS] = { "Tags" },
	[F_X_INSTANCE_TYPE] = { "x_InstanceType" },
	[F_X_USAGE_TYPE] = { "x_UsageType" },
	[F_X_OPERATION] = { "x_Operation" },
	[F_SKU_PRICE_DETAILS] = { "SkuPriceDetails" },
};

struct focus {
	int c[F_NCOLS];
	char instance_type[128];	/* from SkuPriceDetails, per row */
};

static int
focus_detect(const struct header *h)
{
	if (header_find(h, "BilledCost") >= 0 &&
	    (header_find(h, "ChargeCategory") >= 0 || header_find(h, "ChargeType") >= 0) &&
	    header_find(h, "ChargePeriodStart") >= 0 &&
	    (header_find(h, "EffectiveCost") >= 0 || header_find(h, "AmortizedCost") >= 0))
		return 10;
	return 0;
}

static void *
focus_open(const struct header *h, struct ic_error *err)
{
	struct focus *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < F_NCOLS; i++) {
		const char *alts[5] = { names[i][0], names[i][1], names[i][2], names[i][3], NULL };
		st->c[i] = header_find_any(h, alts);
	}
	if (st->c[F_BILLED] < 0 || st->c[F_EFFECTIVE] < 0 || st->c[F_CATEGORY] < 0 ||
	    st->c[F_CP_START] < 0) {
		free(st);
		ic_errorf(err, "required FOCUS column missing (BilledCost, EffectiveCost, ChargeCategory, ChargePeriodStart)");
		return NULL;
	}
	return st;
}

static void
focus_close(void *p)
{
	free(p);
}

/* The canonical spelling of an enum value, matched case-insensitively;
 * unknown values are returned as they are and *unknown is set. */
static struct str
canon(struct str v, const char *const *values, int *unknown)
{
	*unknown = 0;
	if (str_null(v))
		return v;
	for (; *values; values++)
		if (str_ieq(v, *values))
			return str_c(*values);
	*unknown = 1;
	return v;
}

static struct str
pricing_category(struct str v, int *unknown)
{
	static const char *const vals[] = { "Standard", "Dynamic", "Committed", "Other", NULL };

	*unknown = 0;
	if (str_ieq(v, "On-Demand") || str_ieq(v, "OnDemand"))
		return str_c("Standard");
	if (str_ieq(v, "Commitment-Based") || str_ieq(v, "Commitment Based"))
		return str_c("Committed");
	if (str_ieq(v, "Spot"))
		return str_c("Dynamic");
	return canon(v, vals, unknown);
}

static int
focus_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	static const char *const categories[] = { "Usage", "Purchase", "Tax", "Credit", "Adjustment", NULL };
	static const char *const frequencies[] = { "One-Time", "Recurring", "Usage-Based", NULL };
	static const char *const statuses[] = { "Used", "Unused", NULL };
	static const char *const cd_categories[] = { "Spend", "Usage", NULL };
	static const char *const classes[] = { "Correction", NULL };
	struct focus *st = p;
	const int *c = st->c;
	struct charge ch;
	int present, unknown;
	char q[IC_QUOTE_SIZE];

	charge_clear(&ch);
	if (rc_money(rc, c[F_BILLED], 1, 0, &ch.billed, err) != 0 ||
	    rc_money(rc, c[F_EFFECTIVE], 0, ch.billed, &ch.effective, err) != 0 ||
	    rc_money_list(rc, c[F_LIST], &ch.list, &ch.has_list, err) != 0 ||
	    rc_money_opt(rc, c[F_CONTRACTED], &ch.contracted, &ch.has_contracted, err) != 0 ||
	    rc_number(rc, c[F_CONSUMED_QTY], &ch.consumed_qty, &ch.has_consumed_qty, err) != 0 ||
	    rc_number(rc, c[F_PRICING_QTY], &ch.pricing_qty, &ch.has_pricing_qty, err) != 0)
		return -1;
	if (rc_time(rc, c[F_CP_START], 1, 0, &ch.charge_start, NULL, err) != 0 ||
	    rc_time(rc, c[F_CP_END], 0, 0, &ch.charge_end, &present, err) != 0)
		return -1;
	if (!present)
		ch.charge_end = ch.charge_start + 3600;
	if (ch.charge_end < ch.charge_start)
		return rc_error(rc, c[F_CP_END], err, "charge period ends before it starts");
	if (rc_time(rc, c[F_BP_START], 0, 0, &ch.period_start, &present, err) != 0)
		return -1;
	if (!present) {
		ch.period_start = month_start(ch.charge_start);
		rc_warn(rc, "no BillingPeriodStart: the billing period is taken as the charge's calendar month");
	}
	if (rc_time(rc, c[F_BP_END], 0, 0, &ch.period_end, &present, err) != 0)
		return -1;
	if (!present) {
		ch.period_end = month_next(ch.period_start);
	} else if (ch.period_end < ch.period_start) {
		int64_t t = ch.period_start;
		ch.period_start = ch.period_end;
		ch.period_end = t;
		rc_warn_col(rc, c[F_BP_START], "BillingPeriodStart is after BillingPeriodEnd (as in the "
			    "FOCUS 0.5 validator's example): the two are read swapped");
	}

	ch.text[CT_CURRENCY] = rc_field(rc, c[F_CURRENCY]);
	if (str_null(ch.text[CT_CURRENCY])) {
		ch.text[CT_CURRENCY] = str_c("USD");
		rc_warn(rc, "no BillingCurrency: amounts taken as USD");
	} else if (rc_currency(rc, c[F_CURRENCY], ch.text[CT_CURRENCY], err) != 0) {
		return -1;
	}
	ch.text[CT_PROVIDER] = rc_field(rc, c[F_PROVIDER]);
	if (str_null(ch.text[CT_PROVIDER])) {
		ch.text[CT_PROVIDER] = str_c("unknown");
		rc_warn(rc, "no ProviderName: provider recorded as 'unknown'");
	}
	ch.text[CT_BILLING_ACCOUNT] = rc_field(rc, c[F_ACCOUNT]);
	if (str_null(ch.text[CT_BILLING_ACCOUNT])) {
		ch.text[CT_BILLING_ACCOUNT] = str_c("unknown");
		rc_warn(rc, "no BillingAccountId: account recorded as 'unknown'");
	}
	ch.text[CT_CHARGE_CATEGORY] = canon(rc_field(rc, c[F_CATEGORY]), categories, &unknown);
	if (str_null(ch.text[CT_CHARGE_CATEGORY]))
		return rc_error(rc, c[F_CATEGORY], err, "ChargeCategory is required");
	if (unknown)
		rc_warn(rc, "ChargeCategory '%s' is not a FOCUS value; kept as is",
			ic_quote(ch.text[CT_CHARGE_CATEGORY].s, ch.text[CT_CHARGE_CATEGORY].len, 40, q));
	ch.text[CT_CHARGE_CLASS] = canon(rc_field(rc, c[F_CLASS]), classes, &unknown);
	ch.text[CT_CHARGE_FREQUENCY] = canon(rc_field(rc, c[F_FREQUENCY]), frequencies, &unknown);
	ch.text[CT_PRICING_CATEGORY] = pricing_category(rc_field(rc, c[F_PRICING_CATEGORY]), &unknown);
	if (unknown)
		rc_warn(rc, "PricingCategory '%s' is not a FOCUS value; kept as is",
			ic_quote(ch.text[CT_PRICING_CATEGORY].s, ch.text[CT_PRICING_CATEGORY].len, 40, q));
	ch.text[CT_CD_STATUS] = canon(rc_field(rc, c[F_CD_STATUS]), statuses, &unknown);
	ch.text[CT_CD_CATEGORY] = canon(rc_field(rc, c[F_CD_CATEGORY]), cd_categories, &unknown);
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[F_DESCRIPTION]);
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[F_SUB_ACCOUNT]);
	ch.text[CT_CD_ID] = rc_field(rc, c[F_CD_ID]);
	ch.text[CT_CD_TYPE] = rc_field(rc, c[F_CD_TYPE]);
	ch.text[CT_SERVICE_NAME] = rc_field(rc, c[F_SERVICE]);
	ch.text[CT_SERVICE_CATEGORY] = rc_field(rc, c[F_SERVICE_CATEGORY]);
	ch.text[CT_REGION] = rc_field(rc, c[F_REGION]);
	ch.text[CT_AZ] = rc_field(rc, c[F_AZ]);
	ch.text[CT_RESOURCE_ID] = rc_field(rc, c[F_RESOURCE]);
	ch.text[CT_RESOURCE_TYPE] = rc_field(rc, c[F_RESOURCE_TYPE]);
	ch.text[CT_SKU_ID] = rc_field(rc, c[F_SKU]);
	ch.text[CT_CONSUMED_UNIT] = rc_field(rc, c[F_CONSUMED_UNIT]);
	ch.text[CT_PRICING_UNIT] = rc_field(rc, c[F_PRICING_UNIT]);
	ch.text[CT_TAGS] = rc_tags(rc, c[F_TAGS], 0);
	ch.text[CT_X_USAGE_TYPE] = rc_field(rc, c[F_X_USAGE_TYPE]);
	ch.text[CT_X_OPERATION] = rc_field(rc, c[F_X_OPERATION]);
	ch.text[CT_X_INSTANCE_TYPE] = rc_field(rc, c[F_X_INSTANCE_TYPE]);
	if (str_null(ch.text[CT_X_INSTANCE_TYPE]) && c[F_SKU_PRICE_DETAILS] >= 0) {
		struct str d = rc_field(rc, c[F_SKU_PRICE_DETAILS]);
		if (!str_null(d) && d.s[0] == '{') {
			cJSON *j;
			if (rc_json_field(rc, c[F_SKU_PRICE_DETAILS], err) != 0)
				return -1;
			j = cJSON_ParseWithLength(d.s, d.len);
			const cJSON *it = cJSON_GetObjectItemCaseSensitive(j, "InstanceType");
			if (cJSON_IsString(it) && strlen(it->valuestring) < sizeof st->instance_type) {
				strcpy(st->instance_type, it->valuestring);
				ch.text[CT_X_INSTANCE_TYPE] = str_c(st->instance_type);
			}
			cJSON_Delete(j);
		}
	}
	/* AWS's FOCUS export: the type only in x_UsageType (BoxUsage:m5.large),
	 * the platform in x_Operation (RunInstances) */
	if (str_null(ch.text[CT_X_INSTANCE_TYPE])) {
		ch.text[CT_X_INSTANCE_TYPE] = bu_aws_usage_instance_type(ch.text[CT_X_USAGE_TYPE]);
		if (!str_null(ch.text[CT_X_INSTANCE_TYPE]))
			ch.text[CT_X_PLATFORM] = str_c(bu_aws_platform_of_operation(ch.text[CT_X_OPERATION]));
	}
	return rc_emit_charge(rc, &ch, err);
}

const struct importer importer_focus = {
	.name = "focus",
	.description = "FinOps FOCUS 1.0-1.3 export (any provider; 0.5 names too)",
	.needs = "BilledCost, EffectiveCost (0.5: AmortizedCost), ChargeCategory (0.5: ChargeType), "
		 "ChargePeriodStart (BillingCurrency, ProviderName, BillingAccountId, BillingPeriodStart "
		 "expected)",
	.kind = KIND_CHARGES,
	.detect = focus_detect,
	.open = focus_open,
	.row = focus_row,
	.close = focus_close,
	.restates = RESTATES_PERIOD_WINDOW,
};
