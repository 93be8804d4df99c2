/*
 * aws-cur.c - AWS Cost and Usage Report: legacy CSV (lineItem/UnblendedCost),
 * its Athena/Parquet spelling and CUR 2.0 (line_item_unblended_cost).
 *
 * Columns are found by name in either spelling, never by position: the
 * legacy column set changes month to month.  Cost rules (docs/FORMATS.md 2.3,
 * 2.4 and 7):
 *   BilledCost    lineItem/NetUnblendedCost when the row has it, else
 *                 lineItem/UnblendedCost (all line types, so the sum is the
 *                 invoice).
 *   EffectiveCost by line item type, using the Net twins when present:
 *     Usage, Tax, Credit, Refund, discounts, other Fee   = BilledCost
 *     DiscountedUsage            reservation/EffectiveCost
 *     SavingsPlanCoveredUsage    savingsPlan/SavingsPlanEffectiveCost
 *     SavingsPlanNegation        0
 *     SavingsPlanUpfrontFee, Fee with a ReservationARN   0
 *     RIFee                      0 on the fee, plus an Unused row with
 *                                UnusedAmortizedUpfrontFee + UnusedRecurringFee
 *     SavingsPlanRecurringFee    0 on the fee, plus an Unused row with
 *                                TotalCommitmentToDate - UsedCommitment
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "importers/billutil.h"
#include "importers/cur-idset.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

enum col {
	C_TYPE, C_UNBLENDED, C_NET_UNBLENDED, C_CURRENCY, C_BP_START, C_BP_END, C_PAYER,
	C_USAGE_ACCOUNT, C_START, C_END, C_PRODUCT_CODE, C_PRODUCT_NAME, C_USAGE_TYPE,
	C_OPERATION, C_AZ, C_RESOURCE, C_USAGE_AMOUNT, C_PRICING_UNIT, C_DESCRIPTION,
	C_REGION_CODE, C_REGION, C_INSTANCE_TYPE, C_OS, C_PUBLIC_OD_COST, C_SKU,
	C_RI_ARN, C_RI_EFFECTIVE, C_RI_NET_EFFECTIVE, C_RI_UNUSED_UPFRONT,
	C_RI_NET_UNUSED_UPFRONT, C_RI_UNUSED_RECURRING, C_RI_NET_UNUSED_RECURRING,
	C_SP_ARN, C_SP_EFFECTIVE, C_SP_NET_EFFECTIVE, C_SP_TOTAL_COMMITMENT,
	C_SP_USED_COMMITMENT, C_BILLING_ENTITY, C_TAGS_MAP, C_PRODUCT_MAP, C_NORM_FACTOR,
	C_TENANCY, C_LINE_ITEM_ID, C_TIME_INTERVAL, C_COST_CAT_MAP, C_NCOLS
};

/* legacy spelling; the Athena / CUR 2.0 spelling is derived from it */
static const char *const legacy_names[C_NCOLS] = {
	[C_TYPE] = "lineItem/LineItemType",
	[C_UNBLENDED] = "lineItem/UnblendedCost",
	[C_NET_UNBLENDED] = "lineItem/NetUnblendedCost",
	[C_CURRENCY] = "lineItem/CurrencyCode",
	[C_BP_START] = "bill/BillingPeriodStartDate",
	[C_BP_END] = "bill/BillingPeriodEndDate",
	[C_PAYER] = "bill/PayerAccountId",
	[C_USAGE_ACCOUNT] = "lineItem/UsageAccountId",
	[C_START] = "lineItem/UsageStartDate",
	[C_END] = "lineItem/UsageEndDate",
	[C_PRODUCT_CODE] = "lineItem/ProductCode",
	[C_PRODUCT_NAME] = "product/ProductName",
	[C_USAGE_TYPE] = "lineItem/UsageType",
	[C_OPERATION] = "lineItem/Operation",
	[C_AZ] = "lineItem/AvailabilityZone",
	[C_RESOURCE] = "lineItem/ResourceId",
	[C_USAGE_AMOUNT] = "lineItem/UsageAmount",
	[C_PRICING_UNIT] = "pricing/unit",
	[C_DESCRIPTION] = "lineItem/LineItemDescription",
	[C_REGION_CODE] = "product/regionCode",
	[C_REGION] = "product/region",
	[C_INSTANCE_TYPE] = "product/instanceType",
	[C_OS] = "product/operatingSystem",
	[C_PUBLIC_OD_COST] = "pricing/publicOnDemandCost",
	[C_SKU] = "product/sku",
	[C_RI_ARN] = "reservation/ReservationARN",
	[C_RI_EFFECTIVE] = "reservation/EffectiveCost",
	[C_RI_NET_EFFECTIVE] = "reservation/NetEffectiveCost",
	[C_RI_UNUSED_UPFRONT] = "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
	[C_RI_NET_UNUSED_UPFRONT] = "reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod",
	[C_RI_UNUSED_RECURRING] = "reservation/UnusedRecurringFee",
	[C_RI_NET_UNUSED_RECURRING] = "reservation/NetUnusedRecurringFee",
	[C_SP_ARN] = "savingsPlan/SavingsPlanARN",
	[C_SP_EFFECTIVE] = "savingsPlan/SavingsPlanEffectiveCost",
	[C_SP_NET_EFFECTIVE] = "savingsPlan/NetSavingsPlanEffectiveCost",
	[C_SP_TOTAL_COMMITMENT] = "savingsPlan/TotalCommitmentToDate",
	[C_SP_USED_COMMITMENT] = "savingsPlan/UsedCommitment",
	[C_BILLING_ENTITY] = "bill/BillingEntity",
	[C_TAGS_MAP] = "resource_tags",	/* CUR 2.0 map column (JSON text) */
	[C_PRODUCT_MAP] = "product",	/* CUR 2.0 map column (JSON text) */
	[C_NORM_FACTOR] = "lineItem/NormalizationFactor",
	[C_TENANCY] = "product/tenancy",
	[C_LINE_ITEM_ID] = "identity/LineItemId",
	[C_TIME_INTERVAL] = "identity/TimeInterval",
	[C_COST_CAT_MAP] = "cost_category",	/* CUR 2.0 map column (JSON text) */
};

/* an instance type's normalization factor as the CUR states it */
struct nfactor {
	char type[48];
	double f;
};

struct tagcol {
	int col;
	size_t qoff, qlen;	/* "key": in keys.s (jb_key) */
};

struct cur {
	int c[C_NCOLS];
	struct tagcol *tags;
	int ntags;
	struct jsonbuf jb;
	struct jsonbuf keys;	/* the tag keys, quoted once */
	int currency_missing;
	/* the last product code and its service category: most rows
	 * repeat the one before (a linear search of the table otherwise) */
	char last_code[64];
	size_t last_code_len;
	const char *last_cat;
	struct nfactor *nf;	/* distinct types (at most NF_MAX) */
	int nnf;
	char platform[96];	/* x_Platform with a tenancy suffix */
	char *merged;		/* the last row's Tags with its cost categories
				   (cJSON_free) */
	struct idset ids;	/* line items seen (duplicate warning) */
};

#define NF_MAX 4096

/*
 * "lineItem/UnblendedCost" -> "line_item_unblended_cost",
 * "reservation/ReservationARN" -> "reservation_reservation_a_r_n"
 * (Athena puts '_' before every capital letter but a segment's first).
 */
static void
snake(const char *legacy, char *out, size_t n)
{
	size_t o = 0;
	int seg_start = 1;

	for (const char *p = legacy; *p && o + 3 < n; p++) {
		if (*p == '/') {
			out[o++] = '_';
			seg_start = 1;
			continue;
		}
		if (*p >= 'A' && *p <= 'Z') {
			if (!seg_start)
				out[o++] = '_';
			out[o++] = (char)(*p - 'A' + 'a');
		} else {
			out[o++] = *p;
		}
		seg_start = 0;
	}
	out[o] = '\0';
}

static int
find(const struct header *h, const char *legacy)
{
	char alt[128];
	int i = header_find(h, legacy);

	if (i >= 0)
		return i;
	snake(legacy, alt, sizeof alt);
	return header_find(h, alt);
}

static int
cur_detect(const struct header *h)
{
	if (find(h, "lineItem/LineItemType") >= 0 && find(h, "lineItem/UnblendedCost") >= 0 &&
	    find(h, "bill/BillingPeriodStartDate") >= 0)
		return 10;
	return 0;
}

static int
prefix_ci(const char *s, size_t len, const char *pfx)
{
	size_t n = strlen(pfx);
	return len > n && strncasecmp(s, pfx, n) == 0;
}

static void cur_close(void *p);

static void *
cur_open(const struct header *h, struct ic_error *err)
{
	struct cur *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < C_NCOLS; i++)
		st->c[i] = find(h, legacy_names[i]);
	/* savingsPlan/SavingsPlanARN is spelled SavingsPlanArn in some files */
	if (st->c[C_SP_ARN] < 0)
		st->c[C_SP_ARN] = header_find(h, "savingsPlan/SavingsPlanArn");
	if (st->c[C_BP_END] < 0 || st->c[C_PAYER] < 0) {
		ic_errorf(err, "required column %s is missing",
			  st->c[C_BP_END] < 0 ? "bill/BillingPeriodEndDate" : "bill/PayerAccountId");
		free(st);
		return NULL;
	}
	st->currency_missing = st->c[C_CURRENCY] < 0;
	st->tags = calloc((size_t)h->n, sizeof *st->tags);
	if (st->tags == NULL) {
		free(st);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < h->n; i++) {
		const char *s = h->f[i].s;
		size_t len = h->f[i].len, skip = 0;
		int cc = 0;

		if (prefix_ci(s, len, "resourceTags/"))
			skip = 13;
		else if (prefix_ci(s, len, "resource_tags_"))
			skip = 14;
		else if (prefix_ci(s, len, "costCategory/"))
			skip = 13, cc = 1;	/* an AWS cost category: key "costCategory:NAME" */
		if (skip && !(h->dup && h->dup[i])) {	/* a repeated column: the first is read */
			st->tags[st->ntags].col = i;
			st->tags[st->ntags].qoff = st->keys.buf.len;
			if (cc) {
				/* a name too long for k is cut at a character: the
				 * key goes into Tags, UTF-8 JSON */
				char k[512];
				int n = snprintf(k, sizeof k, "costCategory:%.*s",
						 (int)str_fit(s + skip, len - skip, sizeof k - 14), s + skip);
				jb_key(&st->keys, k, n < (int)sizeof k ? (size_t)n : sizeof k - 1);
			} else {
				jb_key(&st->keys, s + skip, len - skip);
			}
			st->tags[st->ntags].qlen = st->keys.buf.len - st->tags[st->ntags].qoff;
			st->ntags++;
		}
	}
	if (st->keys.buf.oom) {
		cur_close(st);
		ic_errorf(err, "out of memory");
		return NULL;
	}
	return st;
}

static void
cur_close(void *p)
{
	struct cur *st = p;

	jb_free(&st->jb);
	jb_free(&st->keys);
	cJSON_free(st->merged);
	free(st->tags);
	free(st->nf);
	free(st->ids.slot);
	free(st);
}

/* the factor of an instance type, kept once per type (the first stated) */
static int
keep_factor(struct cur *st, struct str type, double f)
{
	struct nfactor *n;

	if (!(f > 0) || type.len == 0 || type.len >= sizeof st->nf->type || st->nnf >= NF_MAX)
		return 0;
	for (int i = 0; i < st->nnf; i++)
		if (strlen(st->nf[i].type) == type.len && memcmp(st->nf[i].type, type.s, type.len) == 0)
			return 0;
	if (st->nnf % 64 == 0) {
		n = realloc(st->nf, (size_t)(st->nnf + 64) * sizeof *n);
		if (n == NULL)
			return -1;
		st->nf = n;
	}
	memcpy(st->nf[st->nnf].type, type.s, type.len);
	st->nf[st->nnf].type[type.len] = '\0';
	st->nf[st->nnf++].f = f;
	return 0;
}

static void
cur_size_factors(void *p, void (*put)(void *arg, const char *provider, const char *type, double f),
		 void *arg)
{
	struct cur *st = p;

	for (int i = 0; i < st->nnf; i++)
		put(arg, "AWS", st->nf[i].type, st->nf[i].f);
}

/* FOCUS ServiceCategory of the common AWS product codes. */
static const char *
service_category(struct str code)
{
	static const struct { const char *code, *cat; } map[] = {
		{ "AmazonEC2", "Compute" }, { "AWSLambda", "Compute" },
		{ "AmazonECS", "Compute" }, { "AmazonEKS", "Compute" },
		{ "AWSFargate", "Compute" }, { "AmazonLightsail", "Compute" },
		{ "AmazonS3", "Storage" }, { "AmazonEFS", "Storage" },
		{ "AmazonGlacier", "Storage" }, { "AWSBackup", "Storage" },
		{ "AmazonFSx", "Storage" },
		{ "AmazonRDS", "Databases" }, { "AmazonDynamoDB", "Databases" },
		{ "AmazonElastiCache", "Databases" }, { "AmazonDocDB", "Databases" },
		{ "AmazonRedshift", "Databases" }, { "AmazonNeptune", "Databases" },
		{ "AmazonMemoryDB", "Databases" }, { "AmazonKeyspaces", "Databases" },
		{ "AmazonCloudFront", "Networking" }, { "AmazonVPC", "Networking" },
		{ "AWSELB", "Networking" }, { "AmazonRoute53", "Networking" },
		{ "AWSDataTransfer", "Networking" }, { "AWSDirectConnect", "Networking" },
		{ "AWSGlobalAccelerator", "Networking" }, { "AmazonApiGateway", "Networking" },
		{ "AmazonSQS", "Integration" }, { "AmazonSNS", "Integration" },
		{ "AmazonMQ", "Integration" }, { "AWSEvents", "Integration" },
		{ "AmazonMSK", "Analytics" }, { "AmazonKinesis", "Analytics" },
		{ "AmazonAthena", "Analytics" }, { "AWSGlue", "Analytics" },
		{ "AmazonES", "Analytics" }, { "AmazonOpenSearchService", "Analytics" },
		{ "AmazonCloudWatch", "Management and Governance" },
		{ "AWSCloudTrail", "Management and Governance" },
		{ "AWSConfig", "Management and Governance" },
		{ "AWSSupportBusiness", "Management and Governance" },
		{ "AWSSupportEnterprise", "Management and Governance" },
		{ "AWSCostExplorer", "Management and Governance" },
		{ "awskms", "Security" }, { "AWSSecretsManager", "Security" },
		{ "AWSShield", "Security" }, { "awswaf", "Security" },
		{ "AmazonGuardDuty", "Security" }, { "AmazonCognito", "Identity" },
		{ "AmazonSES", "Business Applications" }, { "AmazonChime", "Business Applications" },
		{ "AmazonPinpoint", "Mobile" }, { "AmazonSageMaker", "AI and Machine Learning" },
		{ "AmazonBedrock", "AI and Machine Learning" },
	};
	if (str_null(code))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(code, map[i].code))
			return map[i].cat;
	return "Other";
}

/* "us-east-1a" -> "us-east-1" as a region fallback */
static struct str
region_of_az(struct str az)
{
	if (!str_null(az) && az.len > 1 && az.s[az.len - 1] >= 'a' && az.s[az.len - 1] <= 'z' &&
	    az.s[az.len - 2] >= '0' && az.s[az.len - 2] <= '9')
		az.len--;
	return az;
}

static int
contains_ci(struct str s, const char *needle)
{
	size_t n = strlen(needle);

	char first = (char)(needle[0] | 0x20);	/* needles start with a letter */

	for (size_t i = 0; s.s && i + n <= s.len; i++)
		if ((char)(s.s[i] | 0x20) == first && strncasecmp(s.s + i, needle, n) == 0)
			return 1;
	return 0;
}

/*
 * The string value of "key" in a CUR 2.0 map column's JSON object text
 * ({"product_name":"Amazon Elastic Compute Cloud",...}), as a slice of the
 * field; a NULL str when absent, not a string, or escaped (a value with a
 * backslash: product names have none, and the code is kept then).
 */
static struct str
map_value(struct str m, const char *key)
{
	struct str none = { NULL, 0 };
	size_t kl = strlen(key);

	for (size_t i = 0; m.s && i + kl + 2 < m.len; i++) {
		size_t j;
		if (m.s[i] != '"' || memcmp(m.s + i + 1, key, kl) != 0 || m.s[i + 1 + kl] != '"')
			continue;
		j = i + kl + 2;
		while (j < m.len && (m.s[j] == ' ' || m.s[j] == ':'))
			j++;
		if (j >= m.len || m.s[j] != '"')
			return none;
		for (size_t e = j + 1; e < m.len; e++) {
			if (m.s[e] == '\\')
				return none;
			if (m.s[e] == '"')
				return e > j + 1 ? (struct str){ m.s + j + 1, e - j - 1 } : none;
		}
		return none;
	}
	return none;
}

/* Net twin when the row has it, else the gross column. */
static int
money_net(struct row_ctx *rc, int net, int gross, int64_t *out, int *present,
	  struct ic_error *err)
{
	if (rc_money_opt(rc, net, out, present, err) != 0)
		return -1;
	if (*present)
		return 0;
	return rc_money_opt(rc, gross, out, present, err);
}

/*
 * CUR 2.0's cost_category map (JSON object text cc) added to the Tags
 * object text tags (NULL: none) as keys "costCategory:NAME", as legacy
 * CUR's costCategory/NAME columns are; a key the tags already have is
 * not repeated.  *out: the merged text, valid until the next row.
 * Returns 0, or -1 when out of memory.
 */
static int
merge_cost_categories(struct cur *st, struct str tags, struct str cc, struct str *out)
{
	cJSON *t = tags.s ? cJSON_ParseWithLength(tags.s, tags.len) : cJSON_CreateObject();
	cJSON *c = cJSON_ParseWithLength(cc.s, cc.len), *it;
	int rc = -1;

	if (t == NULL || c == NULL || !cJSON_IsObject(t) || !cJSON_IsObject(c)) {
		/* both were checked to be objects: only memory can fail here */
		goto out;
	}
	cJSON_ArrayForEach(it, c) {
		char key[512];
		cJSON *v;

		if (it->string == NULL || !cJSON_IsString(it) || it->valuestring[0] == '\0')
			continue;
		snprintf(key, sizeof key, "costCategory:%s", it->string);
		if (cJSON_GetObjectItemCaseSensitive(t, key) != NULL)
			continue;
		if ((v = cJSON_CreateString(it->valuestring)) == NULL ||
		    !cJSON_AddItemToObject(t, key, v)) {
			cJSON_Delete(v);
			goto out;
		}
	}
	cJSON_free(st->merged);
	st->merged = cJSON_GetArraySize(t) > 0 ? cJSON_PrintUnformatted(t) : NULL;
	if (st->merged == NULL && cJSON_GetArraySize(t) > 0)
		goto out;
	*out = st->merged ? (struct str){ st->merged, strlen(st->merged) } : (struct str){ NULL, 0 };
	rc = 0;
out:
	cJSON_Delete(t);
	cJSON_Delete(c);
	return rc;
}

static int
cur_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct cur *st = p;
	const int *c = st->c;
	struct charge ch;
	struct str type = rc_field(rc, c[C_TYPE]);
	int present, tmp;
	int64_t unblended, v1, v2;

	charge_clear(&ch);
	if (c[C_LINE_ITEM_ID] >= 0) {
		struct str id = rc_field(rc, c[C_LINE_ITEM_ID]);

		/* the rows are kept as the provider wrote them: a warning only */
		if (id.len && idset_seen(&st->ids, idset_hash(id, rc_field(rc, c[C_TIME_INTERVAL]))))
			rc_warn_col(rc, c[C_LINE_ITEM_ID], "the same identity/LineItemId and"
				    " identity/TimeInterval as an earlier row of this file (a"
				    " duplicated line item?); both rows are kept as written");
		if (st->ids.not_held == 1 && id.len)
			rc_warn(rc, "more than %zu distinct line items: the duplicate"
				" identity/LineItemId check holds the first ones only (bounded memory)",
				st->ids.n);
	}
	if (rc_money(rc, c[C_UNBLENDED], 1, 0, &unblended, err) != 0 ||
	    money_net(rc, c[C_NET_UNBLENDED], c[C_UNBLENDED], &ch.billed, &present, err) != 0)
		return -1;
	if (rc_time(rc, c[C_BP_START], 1, 0, &ch.period_start, NULL, err) != 0 ||
	    rc_time(rc, c[C_BP_END], 1, 0, &ch.period_end, NULL, err) != 0 ||
	    rc_time(rc, c[C_START], 0, 0, &ch.charge_start, &present, err) != 0)
		return -1;
	if (!present)
		ch.charge_start = ch.period_start;
	if (rc_time(rc, c[C_END], 0, 0, &ch.charge_end, &present, err) != 0)
		return -1;
	if (!present)
		ch.charge_end = ch.period_end;
	if (rc_number(rc, c[C_USAGE_AMOUNT], &ch.consumed_qty, &ch.has_consumed_qty, err) != 0)
		return -1;
	ch.pricing_qty = ch.consumed_qty;
	ch.has_pricing_qty = ch.has_consumed_qty;
	if (rc_money_list(rc, c[C_PUBLIC_OD_COST], &ch.list, &ch.has_list, err) != 0)
		return -1;

	ch.text[CT_CURRENCY] = st->currency_missing ? str_c("USD") : rc_field(rc, c[C_CURRENCY]);
	if (st->currency_missing)
		rc_warn(rc, "no lineItem/CurrencyCode column; amounts taken as USD");
	else if (!str_null(ch.text[CT_CURRENCY]) &&
		 rc_currency(rc, c[C_CURRENCY], ch.text[CT_CURRENCY], err) != 0)
		return -1;
	ch.text[CT_PROVIDER] = str_c("AWS");
	ch.text[CT_BILLING_ACCOUNT] = rc_field(rc, c[C_PAYER]);
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[C_USAGE_ACCOUNT]);
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[C_DESCRIPTION]);
	ch.text[CT_SERVICE_NAME] = rc_field(rc, c[C_PRODUCT_NAME]);
	/* CUR 2.0 keeps the product name in its product map: the same name
	 * as legacy CUR and FOCUS give, not the code (AmazonEC2) */
	if (str_null(ch.text[CT_SERVICE_NAME]) && c[C_PRODUCT_MAP] >= 0)
		ch.text[CT_SERVICE_NAME] = map_value(rc_field(rc, c[C_PRODUCT_MAP]), "product_name");
	if (str_null(ch.text[CT_SERVICE_NAME]))
		ch.text[CT_SERVICE_NAME] = rc_field(rc, c[C_PRODUCT_CODE]);
	/* and the code beside it, in every CUR flavour (CUR 2.0 users filter
	 * on it) */
	ch.text[CT_X_SERVICE_CODE] = rc_field(rc, c[C_PRODUCT_CODE]);
	{
		struct str code = rc_field(rc, c[C_PRODUCT_CODE]);
		if (st->last_cat == NULL || code.len != st->last_code_len ||
		    memcmp(code.s, st->last_code, code.len) != 0) {
			const char *cat = service_category(code);
			if (code.len < sizeof st->last_code && cat != NULL) {
				memcpy(st->last_code, code.s, code.len);
				st->last_code_len = code.len;
				st->last_cat = cat;
			}
			ch.text[CT_SERVICE_CATEGORY] = str_c(cat);
		} else {
			ch.text[CT_SERVICE_CATEGORY] = str_c(st->last_cat);
		}
	}
	ch.text[CT_AZ] = rc_field(rc, c[C_AZ]);
	ch.text[CT_REGION] = rc_field(rc, c[C_REGION_CODE]);
	if (str_null(ch.text[CT_REGION])) {
		/* legacy product/region holds the code (us-east-1) */
		ch.text[CT_REGION] = rc_field(rc, c[C_REGION]);
		if (str_null(ch.text[CT_REGION]))
			ch.text[CT_REGION] = region_of_az(ch.text[CT_AZ]);
	}
	ch.text[CT_RESOURCE_ID] = rc_field(rc, c[C_RESOURCE]);
	ch.text[CT_SKU_ID] = rc_field(rc, c[C_SKU]);
	ch.text[CT_CONSUMED_UNIT] = rc_field(rc, c[C_PRICING_UNIT]);
	ch.text[CT_PRICING_UNIT] = ch.text[CT_CONSUMED_UNIT];
	ch.text[CT_X_INSTANCE_TYPE] = rc_field(rc, c[C_INSTANCE_TYPE]);
	ch.text[CT_X_USAGE_TYPE] = rc_field(rc, c[C_USAGE_TYPE]);
	ch.text[CT_X_OPERATION] = rc_field(rc, c[C_OPERATION]);
	ch.text[CT_X_PLATFORM] = rc_field(rc, c[C_OS]);
	if (str_null(ch.text[CT_X_PLATFORM]) && c[C_PRODUCT_MAP] >= 0)
		ch.text[CT_X_PLATFORM] = map_value(rc_field(rc, c[C_PRODUCT_MAP]), "operating_system");
	if (str_null(ch.text[CT_X_PLATFORM]) && !str_null(ch.text[CT_X_INSTANCE_TYPE]))
		ch.text[CT_X_PLATFORM] = str_c(bu_aws_platform_of_operation(ch.text[CT_X_OPERATION]));
	/* tenancy: Dedicated and Host usage is priced apart and is not size
	 * flexible; its platform says so as the price lists' does
	 * (aws_platform: "Linux (Dedicated)") */
	{
		struct str ten = rc_field(rc, c[C_TENANCY]), os = ch.text[CT_X_PLATFORM];
		if (str_null(ten) && c[C_PRODUCT_MAP] >= 0)
			ten = map_value(rc_field(rc, c[C_PRODUCT_MAP]), "tenancy");
		if (!str_null(os) && (str_ieq(ten, "Dedicated") || str_ieq(ten, "Host")) &&
		    os.len + 16 < sizeof st->platform) {
			snprintf(st->platform, sizeof st->platform, "%.*s (%s)", (int)os.len, os.s,
				 str_ieq(ten, "Host") ? "Host" : "Dedicated");
			ch.text[CT_X_PLATFORM] = str_c(st->platform);
		}
	}
	ch.text[CT_X_LINE_ITEM_TYPE] = type;
	if (c[C_NORM_FACTOR] >= 0 && !str_null(ch.text[CT_X_INSTANCE_TYPE])) {
		double f;
		int has;
		if (rc_number(rc, c[C_NORM_FACTOR], &f, &has, err) != 0)
			return -1;
		if (has && keep_factor(st, ch.text[CT_X_INSTANCE_TYPE], f) != 0)
			return ic_errorf(err, "out of memory");
	}

	/* tags */
	if (c[C_TAGS_MAP] >= 0) {
		/* CUR 2.0's map column, serialized as JSON object text in CSV
		 * (docs/FORMATS.md 2.1); an empty map is no tags */
		ch.text[CT_TAGS] = rc_tags(rc, c[C_TAGS_MAP], 1);
	} else if (st->ntags) {
		jb_begin(&st->jb);
		for (int i = 0; i < st->ntags; i++) {
			struct str v = rc_field(rc, st->tags[i].col);
			if (v.len)
				jb_pair_quoted(&st->jb, st->keys.buf.s + st->tags[i].qoff,
					       st->tags[i].qlen, v.s, v.len);
		}
		if (jb_end(&st->jb) > 0 && !st->jb.buf.oom)
			ch.text[CT_TAGS] = (struct str){ st->jb.buf.s, st->jb.buf.len };
		if (st->jb.buf.oom)
			return ic_errorf(err, "out of memory");
	}
	if (c[C_COST_CAT_MAP] >= 0) {
		struct str cc = rc_tags(rc, c[C_COST_CAT_MAP], 1);

		if (cc.s && merge_cost_categories(st, ch.text[CT_TAGS], cc, &ch.text[CT_TAGS]) != 0)
			return ic_errorf(err, "out of memory");
	}

	ch.effective = ch.billed;
	ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
	ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
	ch.text[CT_PRICING_CATEGORY] = str_c("Standard");

	if (str_ieq(type, "Usage")) {
		if (contains_ci(ch.text[CT_X_USAGE_TYPE], "SpotUsage"))
			ch.text[CT_PRICING_CATEGORY] = str_c("Dynamic");
	} else if (str_ieq(type, "DiscountedUsage")) {
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_ID] = rc_field(rc, c[C_RI_ARN]);
		ch.text[CT_CD_TYPE] = str_c("Reservation");
		ch.text[CT_CD_STATUS] = str_c("Used");
		ch.text[CT_CD_CATEGORY] = str_c("Usage");
		if (money_net(rc, c[C_RI_NET_EFFECTIVE], c[C_RI_EFFECTIVE], &ch.effective, &present, err) != 0)
			return -1;
		if (!present)
			rc_warn(rc, "DiscountedUsage without reservation/EffectiveCost: effective cost taken as 0");
	} else if (str_ieq(type, "SavingsPlanCoveredUsage")) {
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_ID] = rc_field(rc, c[C_SP_ARN]);
		ch.text[CT_CD_TYPE] = str_c("Savings Plan");
		ch.text[CT_CD_STATUS] = str_c("Used");
		ch.text[CT_CD_CATEGORY] = str_c("Spend");
		if (money_net(rc, c[C_SP_NET_EFFECTIVE], c[C_SP_EFFECTIVE], &ch.effective, &present, err) != 0)
			return -1;
		if (!present)
			rc_warn(rc, "SavingsPlanCoveredUsage without savingsPlan/SavingsPlanEffectiveCost: effective cost taken as 0");
	} else if (str_ieq(type, "SavingsPlanNegation")) {
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_ID] = rc_field(rc, c[C_SP_ARN]);
		ch.text[CT_CD_TYPE] = str_c("Savings Plan");
		ch.text[CT_CD_CATEGORY] = str_c("Spend");
		ch.text[CT_CD_STATUS] = str_c("Used");
		ch.effective = 0;
		ch.has_list = 0;
	} else if (str_ieq(type, "SavingsPlanUpfrontFee")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
		ch.text[CT_CD_ID] = rc_field(rc, c[C_SP_ARN]);
		ch.text[CT_CD_TYPE] = str_c("Savings Plan");
		ch.text[CT_CD_CATEGORY] = str_c("Spend");
		ch.effective = 0;
	} else if (str_ieq(type, "RIFee") || str_ieq(type, "SavingsPlanRecurringFee")) {
		int ri = str_ieq(type, "RIFee");
		struct charge unused;

		ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Recurring");
		ch.text[CT_CD_ID] = rc_field(rc, c[ri ? C_RI_ARN : C_SP_ARN]);
		ch.text[CT_CD_TYPE] = str_c(ri ? "Reservation" : "Savings Plan");
		ch.text[CT_CD_CATEGORY] = str_c(ri ? "Usage" : "Spend");
		ch.effective = 0;
		if (ri) {
			if (money_net(rc, c[C_RI_NET_UNUSED_UPFRONT], c[C_RI_UNUSED_UPFRONT], &v1, &tmp, err) != 0 ||
			    money_net(rc, c[C_RI_NET_UNUSED_RECURRING], c[C_RI_UNUSED_RECURRING], &v2, &tmp, err) != 0)
				return -1;
		} else {
			if (rc_money(rc, c[C_SP_TOTAL_COMMITMENT], 0, 0, &v1, err) != 0 ||
			    rc_money(rc, c[C_SP_USED_COMMITMENT], 0, 0, &v2, err) != 0)
				return -1;
			v2 = -v2;
		}
		if (money_add(v1, v2, &v1) != 0)
			return rc_error(rc, -1, err, "unused commitment is out of range");
		if (rc_emit_charge(rc, &ch, err) != 0)
			return -1;
		if (v1 == 0)
			return 0;
		/* the unused part of the commitment, as FOCUS shows it */
		unused = ch;
		unused.billed = 0;
		unused.effective = v1;
		unused.has_list = 0;
		unused.text[CT_CHARGE_CATEGORY] = str_c("Usage");
		unused.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
		unused.text[CT_PRICING_CATEGORY] = str_c("Committed");
		unused.text[CT_CD_STATUS] = str_c("Unused");
		if (str_null(unused.text[CT_RESOURCE_ID]))
			unused.text[CT_RESOURCE_ID] = unused.text[CT_CD_ID];
		unused.has_consumed_qty = 0;
		return rc_emit_charge(rc, &unused, err);
	} else if (str_ieq(type, "Fee")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
		if (!str_null(rc_field(rc, c[C_RI_ARN]))) {
			ch.text[CT_CD_ID] = rc_field(rc, c[C_RI_ARN]);
			ch.text[CT_CD_TYPE] = str_c("Reservation");
			ch.text[CT_CD_CATEGORY] = str_c("Usage");
			ch.effective = 0;
		}
	} else if (str_ieq(type, "Tax")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Tax");
		ch.text[CT_PRICING_CATEGORY] = str_c(NULL);
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Recurring");
	} else if (str_ieq(type, "Credit")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Credit");
		ch.text[CT_PRICING_CATEGORY] = str_c(NULL);
		ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
	} else if (str_ieq(type, "Refund")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Credit");
		ch.text[CT_CHARGE_CLASS] = str_c("Correction");
		ch.text[CT_PRICING_CATEGORY] = str_c(NULL);
		ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
	} else if (type.len >= 8 && strncasecmp(type.s + type.len - 8, "Discount", 8) == 0) {
		/* BundledDiscount, EdpDiscount, PrivateRateDiscount, RiVolumeDiscount */
		ch.text[CT_CHARGE_CATEGORY] = str_c("Credit");
		ch.text[CT_PRICING_CATEGORY] = str_c(NULL);
	} else if (str_null(type)) {
		return rc_error(rc, c[C_TYPE], err, "line item type is empty");
	} else {
		char q[IC_QUOTE_SIZE];
		rc_warn(rc, "unknown line item type '%s' kept as Adjustment with effective = billed",
			ic_quote(type.s, type.len, 40, q));
		ch.text[CT_CHARGE_CATEGORY] = str_c("Adjustment");
		ch.text[CT_PRICING_CATEGORY] = str_c(NULL);
	}
	return rc_emit_charge(rc, &ch, err);
}

const struct importer importer_aws_cur = {
	.name = "aws-cur",
	.description = "AWS Cost and Usage Report: legacy CSV, Athena names, CUR 2.0",
	.needs = "lineItem/LineItemType, lineItem/UnblendedCost, bill/BillingPeriodStartDate, "
		 "bill/BillingPeriodEndDate, bill/PayerAccountId (or line_item_... names)",
	.kind = KIND_CHARGES,
	.detect = cur_detect,
	.open = cur_open,
	.row = cur_row,
	.close = cur_close,
	.size_factors = cur_size_factors,
};
