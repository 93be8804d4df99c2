/*
 * alibaba.c - Alibaba Cloud (阿里云) bill details: the console / OSS
 * bill-subscription CSV with Chinese headers (账期, 产品, 实例ID, 消费类型,
 * 账单类型, 应付金额, ...) or the English field names of the same data
 * (BillingCycle, ProductName, InstanceID, SubscriptionType, Item,
 * PretaxAmount, ...), in UTF-8 or GBK/GB18030 (common/input.c transcodes).
 *
 * Mapping (docs/FORMATS.md 5.1, 5.3 and 7):
 *   BilledCost     应付金额 (PretaxAmount): after discounts and coupons,
 *                  before the payment instruments; ListCost 原价
 *   currency       币种 / Currency when present, else CNY
 *   times          账单开始时间 / 账单结束时间 are China time (UTC+8) without
 *                  an offset; they are stored in UTC
 *   billing period 账期 (YYYY-MM) as the calendar month label, like every
 *                  other provider's (so `--month 2024-03` finds 账期 2024-03)
 *   账单类型       SubscriptionOrder (预付订单) -> Purchase; PayAsYouGoBill
 *                  (后付账单) -> Usage; Refund (退款) -> the same with
 *                  ChargeClass Correction; Adjustment (调账) -> Adjustment
 *   包年包月       (消费类型 Subscription / 预付费, or 计费方式 包年包月): the
 *                  order is paid once at purchase; EffectiveCost spreads it
 *                  over its service period 账单开始时间..账单结束时间, one row per
 *                  China-time day (billutil.h, bu_spread_prepaid); a
 *                  subscription refund is spread the same way, negative
 *   按量付费       on-demand: PricingCategory Standard (Dynamic for spot
 *                  instances 抢占式, Committed when a resource package 资源包
 *                  paid part of it)
 *   BillingAccountId 账号ID, SubAccountId Owner账号 (the resource owner),
 *   ResourceId 实例ID, x_InstanceType 实例规格, Tags 实例标签 (k:v;k:v).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

enum col {
	L_PERIOD, L_ACCOUNT, L_OWNER, L_PRODUCT_CODE, L_PRODUCT, L_DETAIL_CODE, L_DETAIL,
	L_SUB_TYPE, L_START, L_END, L_RECORD, L_ITEM, L_METHOD, L_INSTANCE, L_TAG, L_SPEC,
	L_REGION, L_ZONE, L_BILLING_ITEM, L_USAGE, L_USAGE_UNIT, L_PACKAGE, L_GROSS, L_PAYABLE,
	L_CURRENCY, L_BILLING_DATE, L_NCOLS
};

static const char *const names[L_NCOLS][6] = {
	[L_PERIOD] = { "账期", "BillingCycle", "Billing Cycle" },
	[L_ACCOUNT] = { "账号ID", "AccountID", "Account ID", "BillAccountID" },
	[L_OWNER] = { "Owner账号", "Owner账号ID", "OwnerID", "Owner ID", "OwnerAccountID" },
	[L_PRODUCT_CODE] = { "产品Code", "产品代码", "ProductCode", "Product Code" },
	[L_PRODUCT] = { "产品", "产品名称", "ProductName", "Product Name", "Product" },
	[L_DETAIL_CODE] = { "产品明细Code", "CommodityCode", "ProductType" },
	[L_DETAIL] = { "产品明细", "ProductDetail", "Product Detail" },
	[L_SUB_TYPE] = { "消费类型", "SubscriptionType", "Subscription Type" },
	[L_START] = { "账单开始时间", "服务开始时间", "UsageStartTime", "Usage Start Time", "ServicePeriodStartTime" },
	[L_END] = { "账单结束时间", "服务结束时间", "UsageEndTime", "Usage End Time", "ServicePeriodEndTime" },
	[L_RECORD] = { "订单号/账单号", "订单号", "RecordID", "Record ID", "OrderId" },
	[L_ITEM] = { "账单类型", "Item", "Bill Type" },
	[L_METHOD] = { "计费方式", "BillingType", "Billing Method" },
	[L_INSTANCE] = { "实例ID", "InstanceID", "Instance ID" },
	[L_TAG] = { "实例标签", "标签", "Tag", "Tags" },
	[L_SPEC] = { "实例规格", "InstanceSpec", "Instance Spec" },
	[L_REGION] = { "地域", "Region" },
	[L_ZONE] = { "可用区", "Zone" },
	[L_BILLING_ITEM] = { "计费项", "BillingItem", "Billing Item" },
	[L_USAGE] = { "用量", "Usage" },
	[L_USAGE_UNIT] = { "用量单位", "UsageUnit", "Usage Unit" },
	[L_PACKAGE] = { "资源包抵扣", "DeductedByResourcePackage" },
	[L_GROSS] = { "原价", "PretaxGrossAmount", "Pretax Gross Amount" },
	[L_PAYABLE] = { "应付金额", "PretaxAmount", "Pretax Amount" },
	[L_CURRENCY] = { "币种", "Currency" },
	[L_BILLING_DATE] = { "消费日期", "BillingDate", "Billing Date" },
};

struct alibaba {
	int c[L_NCOLS];
	struct jsonbuf tags;
	struct spread_buf sb;
	char region[64];
};

static int
col(const struct header *h, int i)
{
	const char *alts[7] = { 0 };

	for (int k = 0; k < 6 && names[i][k]; k++)
		alts[k] = names[i][k];
	return bu_hdr_find_norm(h, alts);
}

static int
alibaba_detect(const struct header *h)
{
	if (col(h, L_PERIOD) >= 0 && col(h, L_PAYABLE) >= 0 &&
	    (col(h, L_ACCOUNT) >= 0 || col(h, L_INSTANCE) >= 0 || col(h, L_SUB_TYPE) >= 0))
		return 10;
	return 0;
}

static void *
alibaba_open(const struct header *h, struct ic_error *err)
{
	struct alibaba *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < L_NCOLS; i++)
		st->c[i] = col(h, i);
	if (st->c[L_PERIOD] < 0 || st->c[L_PAYABLE] < 0 || st->c[L_ACCOUNT] < 0) {
		ic_errorf(err, "required column %s is missing",
			  st->c[L_PERIOD] < 0 ? "账期 (BillingCycle)" :
			  st->c[L_PAYABLE] < 0 ? "应付金额 (PretaxAmount)" : "账号ID (AccountID)");
		free(st);
		return NULL;
	}
	return st;
}

static void
alibaba_close(void *p)
{
	struct alibaba *st = p;

	jb_free(&st->tags);
	free(st);
}

static int
contains(struct str s, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; s.s && i + n <= s.len; i++)
		if (strncasecmp(s.s + i, needle, n) == 0)
			return 1;
	return 0;
}

static int
is_any(struct str s, const char *const *vals)
{
	for (; *vals; vals++)
		if (str_ieq(s, *vals))
			return 1;
	return 0;
}

static const char *
service_category(struct str code)
{
	static const struct { const char *code, *cat; } map[] = {
		{ "ecs", "Compute" }, { "ecs-spot", "Compute" }, { "fc", "Compute" },
		{ "ack", "Compute" }, { "cs", "Compute" }, { "eci", "Compute" }, { "swas", "Compute" },
		{ "oss", "Storage" }, { "nas", "Storage" }, { "ebs", "Storage" }, { "yundisk", "Storage" },
		{ "rds", "Databases" }, { "polardb", "Databases" }, { "redisa", "Databases" },
		{ "kvstore", "Databases" }, { "dds", "Databases" }, { "mongodb", "Databases" },
		{ "cdn", "Networking" }, { "dcdn", "Networking" }, { "slb", "Networking" },
		{ "eip", "Networking" }, { "vpc", "Networking" }, { "cbwp", "Networking" },
		{ "nat", "Networking" }, { "nat_gw", "Networking" }, { "cen", "Networking" },
		{ "alidns", "Networking" }, { "sls", "Management and Governance" },
		{ "cms", "Management and Governance" }, { "arms", "Management and Governance" },
		{ "kms", "Security" }, { "waf", "Security" }, { "ddos", "Security" },
		{ "ons", "Integration" }, { "mns", "Integration" }, { "alikafka", "Integration" },
		{ "maxcompute", "Analytics" }, { "odps", "Analytics" },
	};
	if (str_null(code))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(code, map[i].code))
			return map[i].cat;
	return "Other";
}

static int
ascii(struct str s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.s[i] >= 0x80)
			return 0;
	return 1;
}

/* RegionId: 地域 when it is a region code, else derived from a zone code
 * (cn-hangzhou-i -> cn-hangzhou), else the 地域 text (华东1（杭州）). */
static struct str
region_of(struct alibaba *st, struct str region, struct str zone)
{
	if (!str_null(region) && ascii(region))
		return region;
	if (!str_null(zone) && ascii(zone) && zone.len < sizeof st->region) {
		const char *dash = NULL;
		for (size_t i = 0; i < zone.len; i++)
			if (zone.s[i] == '-')
				dash = zone.s + i;
		if (dash && zone.s + zone.len - dash <= 3) {
			size_t n = (size_t)(dash - zone.s);
			memcpy(st->region, zone.s, n);
			st->region[n] = '\0';
			return (struct str){ st->region, n };
		}
	}
	return region;
}

enum kind { K_ORDER, K_USAGE, K_REFUND, K_ADJUSTMENT };

static int
alibaba_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	static const char *const orders[] = { "SubscriptionOrder", "预付订单", "预付费订单", "订单", "新购", "续费", NULL };
	static const char *const usages[] = { "PayAsYouGoBill", "后付账单", "后付费账单", "账单", NULL };
	static const char *const refunds[] = { "Refund", "退款", "退款单", "退订", NULL };
	static const char *const adjusts[] = { "Adjustment", "调账", "调账单", NULL };
	static const char *const prepaid_types[] = { "Subscription", "预付费", "包年包月", "PrePaid", NULL };
	static const char *const payg_types[] = { "PayAsYouGo", "后付费", "按量付费", "按量", "PostPaid", NULL };
	struct alibaba *st = p;
	const int *c = st->c;
	struct charge ch;
	struct str item, sub, method, v;
	enum kind kind;
	int prepaid, has_start, has_end, tmp;
	int64_t start, end, pkg;
	char q[IC_QUOTE_SIZE];

	charge_clear(&ch);
	if (rc_money(rc, c[L_PAYABLE], 1, 0, &ch.billed, err) != 0 ||
	    rc_money_list(rc, c[L_GROSS], &ch.list, &ch.has_list, err) != 0 ||
	    rc_money(rc, c[L_PACKAGE], 0, 0, &pkg, err) != 0 ||
	    rc_number(rc, c[L_USAGE], &ch.consumed_qty, &ch.has_consumed_qty, err) != 0)
		return -1;
	ch.effective = ch.billed;
	ch.pricing_qty = ch.consumed_qty;
	ch.has_pricing_qty = ch.has_consumed_qty;
	v = rc_field(rc, c[L_PERIOD]);
	if (str_null(v) || bu_month_label(v, &ch.period_start) != 0)
		return rc_error(rc, c[L_PERIOD], err, "expected a billing month like 2024-03, found '%s'",
				ic_quote(v.s, v.len, 40, q));
	ch.period_end = month_next(ch.period_start);
	if (rc_time(rc, c[L_START], 0, TZ_CHINA, &start, &has_start, err) != 0 ||
	    rc_time(rc, c[L_END], 0, TZ_CHINA, &end, &has_end, err) != 0)
		return -1;
	if (has_start && has_end && end < start)
		return rc_error(rc, c[L_END], err, "the bill ends before it starts");
	if (has_start) {
		ch.charge_start = start;
		ch.charge_end = has_end ? end : start;
	} else if (rc_time(rc, c[L_BILLING_DATE], 0, TZ_CHINA, &ch.charge_start, &tmp, err) != 0) {
		return -1;
	} else if (tmp) {
		ch.charge_end = ch.charge_start + 86400;
	} else {
		/* the 账期 month in China time */
		ch.charge_start = ch.period_start - TZ_CHINA;
		ch.charge_end = ch.period_end - TZ_CHINA;
	}

	item = rc_field(rc, c[L_ITEM]);
	sub = rc_field(rc, c[L_SUB_TYPE]);
	method = rc_field(rc, c[L_METHOD]);
	prepaid = is_any(sub, prepaid_types) || (str_null(sub) && is_any(method, prepaid_types));
	if (!str_null(sub) && !prepaid && !is_any(sub, payg_types))
		rc_warn(rc, "unknown 消费类型 (SubscriptionType) '%s' taken as pay-as-you-go",
			ic_quote(sub.s, sub.len, 40, q));
	if (is_any(item, orders))
		kind = K_ORDER;
	else if (is_any(item, usages))
		kind = K_USAGE;
	else if (is_any(item, refunds))
		kind = K_REFUND;
	else if (is_any(item, adjusts))
		kind = K_ADJUSTMENT;
	else {
		if (!str_null(item))
			rc_warn(rc, "unknown 账单类型 (Item) '%s': classified by 消费类型",
				ic_quote(item.s, item.len, 40, q));
		kind = prepaid ? K_ORDER : K_USAGE;
	}
	if (kind == K_ORDER)
		prepaid = 1;

	ch.text[CT_CURRENCY] = rc_field(rc, c[L_CURRENCY]);
	if (str_null(ch.text[CT_CURRENCY]))
		ch.text[CT_CURRENCY] = str_c("CNY");
	else if (rc_currency(rc, c[L_CURRENCY], ch.text[CT_CURRENCY], err) != 0)
		return -1;
	ch.text[CT_PROVIDER] = str_c("Alibaba Cloud");
	ch.text[CT_BILLING_ACCOUNT] = rc_field(rc, c[L_ACCOUNT]);
	if (str_null(ch.text[CT_BILLING_ACCOUNT]))
		return rc_error(rc, c[L_ACCOUNT], err, "the account ID is empty");
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[L_OWNER]);
	if (str_null(ch.text[CT_SUB_ACCOUNT]))
		ch.text[CT_SUB_ACCOUNT] = ch.text[CT_BILLING_ACCOUNT];
	ch.text[CT_SERVICE_NAME] = rc_field(rc, c[L_PRODUCT]);
	ch.text[CT_SERVICE_CATEGORY] = str_c(service_category(rc_field(rc, c[L_PRODUCT_CODE])));
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[L_DETAIL]);
	if (str_null(ch.text[CT_CHARGE_DESCRIPTION]))
		ch.text[CT_CHARGE_DESCRIPTION] = ch.text[CT_SERVICE_NAME];
	ch.text[CT_REGION] = region_of(st, rc_field(rc, c[L_REGION]), rc_field(rc, c[L_ZONE]));
	ch.text[CT_AZ] = rc_field(rc, c[L_ZONE]);
	ch.text[CT_RESOURCE_ID] = rc_field(rc, c[L_INSTANCE]);
	ch.text[CT_SKU_ID] = rc_field(rc, c[L_DETAIL_CODE]);
	ch.text[CT_CONSUMED_UNIT] = rc_field(rc, c[L_USAGE_UNIT]);
	ch.text[CT_PRICING_UNIT] = ch.text[CT_CONSUMED_UNIT];
	ch.text[CT_X_INSTANCE_TYPE] = rc_field(rc, c[L_SPEC]);
	ch.text[CT_X_USAGE_TYPE] = rc_field(rc, c[L_BILLING_ITEM]);
	ch.text[CT_X_LINE_ITEM_TYPE] = item;
	v = rc_field(rc, c[L_TAG]);
	if (!str_null(v)) {
		jb_begin(&st->tags);
		if (bu_tags_kv_append(&st->tags, v.s, v.len) > 0 && jb_end(&st->tags) > 0 &&
		    !st->tags.buf.oom)
			ch.text[CT_TAGS] = (struct str){ st->tags.buf.s, st->tags.buf.len };
		if (st->tags.buf.oom)
			return ic_errorf(err, "out of memory");
	}

	if (kind == K_ADJUSTMENT) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Adjustment");
		return rc_emit_charge(rc, &ch, err);
	}
	if (kind == K_REFUND)
		ch.text[CT_CHARGE_CLASS] = str_c("Correction");
	if (!prepaid) {
		/* 按量付费: on-demand usage */
		ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
		ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
		if (contains(method, "抢占") || contains(rc_field(rc, c[L_DETAIL]), "抢占") ||
		    contains(method, "spot") || contains(rc_field(rc, c[L_PRODUCT_CODE]), "spot"))
			ch.text[CT_PRICING_CATEGORY] = str_c("Dynamic");
		else if (pkg != 0) {
			ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
			ch.text[CT_CD_TYPE] = str_c("Resource Package");
			ch.text[CT_CD_STATUS] = str_c("Used");
			ch.text[CT_CD_CATEGORY] = str_c("Usage");
		}
		return rc_emit_charge(rc, &ch, err);
	}
	/* 包年包月: the order (or its refund) now, its effective cost spread */
	ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
	ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
	ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
	ch.has_consumed_qty = 0;
	if (!has_start || !has_end || end <= start) {
		rc_warn(rc, "包年包月 order without a service period (账单开始时间..账单结束时间): its effective cost is not spread");
		return rc_emit_charge(rc, &ch, err);
	}
	ch.effective = 0;
	v = rc_field(rc, c[L_RECORD]);
	if (str_null(v))
		v = ch.text[CT_RESOURCE_ID];
	return bu_spread_prepaid(rc, &ch, start, end, TZ_CHINA, v, "Subscription", &st->sb, err);
}

const struct importer importer_alibaba = {
	.name = "alibaba",
	.description = "Alibaba Cloud bill details (Chinese or English headers, UTF-8 or GBK)",
	.needs = "账期 (BillingCycle), 应付金额 (PretaxAmount), 账号ID (AccountID); 消费类型, 账单类型, "
		 "账单开始时间, 账单结束时间, 产品, 实例ID expected",
	.kind = KIND_CHARGES,
	.detect = alibaba_detect,
	.open = alibaba_open,
	.row = alibaba_row,
	.close = alibaba_close,
};
