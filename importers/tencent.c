/*
 * tencent.c - Tencent Cloud (腾讯云) bill details (账单明细) as exported from
 * the billing center: CSV with Chinese headers (支付者UIN, 产品名称, 计费模式,
 * 交易类型, 资源ID, 开始使用时间, 原价, 优惠后总价, ...) or the English
 * headers of the international site (Payer Account ID, Product Name,
 * Billing Mode, Transaction Type, Instance ID, Usage Start Time, Original
 * Cost, Total Amount After Discount, ...), UTF-8 or GBK.  No public real
 * file exists: column names come from Tencent's field documentation
 * (docs/FORMATS.md 5.2); the mapping is shared with tencent-api.c.
 *
 * Mapping (docs/FORMATS.md 5.2 and 7):
 *   BilledCost     优惠后总价 (RealTotalCost); ListCost 原价
 *   currency       币种 / Currency when present, else CNY
 *   times          China time (UTC+8) without offset, stored in UTC
 *   billing period 账单月份 (Bill Month) when present, else the China-time
 *                  month of 扣费时间 (transaction time), as a month label
 *   交易类型       新购/续费/升降配 (prepay_purchase/renew/modify), 退费
 *                  (prepay_return) and 包年包月转按量 (pre_to_post, a refund)
 *                  -> Purchase (refunds with ChargeClass Correction), spread
 *                  over 开始使用时间..结束使用时间 for EffectiveCost, one row per
 *                  China-time day; 按量计费 settlements (postpay_deduct*) ->
 *                  Usage, PricingCategory Standard; 调账 (recon_*) ->
 *                  Adjustment; 预留实例 (ripay_purchase) -> Purchase spread as
 *                  a Reservation
 *   BillingAccountId 支付者UIN, SubAccountId 使用者UIN, ResourceId 资源ID.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"
#include "importers/tencent.h"

/* ---- the shared mapping ---- */

static int
is_any(struct str s, const char *const *vals)
{
	for (; *vals; vals++)
		if (str_ieq(s, *vals))
			return 1;
	return 0;
}

static int
has_prefix(struct str s, const char *p)
{
	size_t n = strlen(p);
	return s.s && s.len >= n && strncasecmp(s.s, p, n) == 0;
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

enum tc_kind { TK_PURCHASE, TK_REFUND, TK_RI, TK_USAGE, TK_ADJUST, TK_UNKNOWN };

static enum tc_kind
action_kind(struct str a)
{
	static const char *const purchase[] = {
		"新购", "续费", "升配", "降配", "变配", "升降配", "配置变更", "prepay_purchase",
		"prepay_renew", "prepay_modify", "New Purchase", "Purchase", "Renewal", "Renew",
		"Upgrade", "Downgrade", "Modification", "Configuration Change", NULL };
	static const char *const refund[] = {
		"退费", "退款", "退订", "包年包月转按量", "prepay_return", "pre_to_post", "Refund",
		"Return", "Monthly subscription to pay-as-you-go", NULL };
	static const char *const ri[] = { "预留实例", "预留实例预付", "ripay_purchase",
		"Reserved Instance", NULL };
	static const char *const adjust[] = { "调账扣费", "调账补偿", "调账", "recon_deduct",
		"recon_increase", "Adjustment Deduction", "Adjustment Compensation", NULL };

	if (is_any(a, purchase))
		return TK_PURCHASE;
	if (is_any(a, refund))
		return TK_REFUND;
	if (is_any(a, ri))
		return TK_RI;
	if (is_any(a, adjust) || has_prefix(a, "recon_"))
		return TK_ADJUST;
	if (has_prefix(a, "postpay") || contains(a, "按量计费") || contains(a, "按量") ||
	    has_prefix(a, "offline_deduct") || has_prefix(a, "online_deduct") ||
	    contains(a, "项目扣费") || contains(a, "settlement") || contains(a, "pay-as-you-go") ||
	    contains(a, "Deduction"))
		return TK_USAGE;
	return TK_UNKNOWN;
}

static int
prepaid_mode(struct str m)
{
	return contains(m, "包年包月") || str_ieq(m, "prePay") || contains(m, "Monthly Subscription") ||
	       contains(m, "Prepaid");
}

static const char *
service_category(struct str code, struct str name)
{
	static const struct { const char *code, *cat; } map[] = {
		{ "p_cvm", "Compute" }, { "p_tke", "Compute" }, { "p_scf", "Compute" },
		{ "p_lighthouse", "Compute" }, { "p_cbs", "Storage" }, { "p_cos", "Storage" },
		{ "p_cfs", "Storage" }, { "p_cdb", "Databases" }, { "p_cynosdb", "Databases" },
		{ "p_redis", "Databases" }, { "p_mongodb", "Databases" }, { "p_postgresql", "Databases" },
		{ "p_sqlserver", "Databases" }, { "p_cdn", "Networking" }, { "p_clb", "Networking" },
		{ "p_eip", "Networking" }, { "p_vpc", "Networking" }, { "p_bwp", "Networking" },
		{ "p_ip", "Networking" }, { "p_dnspod", "Networking" }, { "p_ckafka", "Integration" },
		{ "p_tdmq", "Integration" }, { "p_cls", "Management and Governance" },
		{ "p_im", "Business Applications" }, { "p_trtc", "Business Applications" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(code, map[i].code))
			return map[i].cat;
	if (contains(name, "云服务器") || contains(name, "CVM"))
		return "Compute";
	if (contains(name, "对象存储") || contains(name, "云硬盘"))
		return "Storage";
	if (contains(name, "数据库"))
		return "Databases";
	if (str_null(code) && str_null(name))
		return NULL;
	return "Other";
}

int
tc_emit(struct tc_state *ts, struct row_ctx *rc, const struct tc_line *l, struct ic_error *err)
{
	struct charge ch;
	enum tc_kind kind = action_kind(l->action);
	int prepaid = prepaid_mode(l->pay_mode);
	char q[IC_QUOTE_SIZE];
	struct str cd_id;

	charge_clear(&ch);
	ch.billed = ch.effective = l->real;
	ch.list = l->cost;
	ch.has_list = l->has_cost;
	ch.consumed_qty = ch.pricing_qty = l->used;
	ch.has_consumed_qty = ch.has_pricing_qty = l->has_used;
	ch.period_start = l->period_start;
	ch.period_end = month_next(l->period_start);
	if (l->has_start) {
		ch.charge_start = l->start;
		ch.charge_end = l->has_end && l->end > l->start ? l->end : l->start;
	} else {
		ch.charge_start = ch.period_start - TZ_CHINA;
		ch.charge_end = ch.period_end - TZ_CHINA;
	}
	ch.text[CT_CURRENCY] = str_null(l->currency) ? str_c("CNY") : l->currency;
	ch.text[CT_PROVIDER] = str_c("Tencent Cloud");
	ch.text[CT_BILLING_ACCOUNT] = l->payer;
	ch.text[CT_SUB_ACCOUNT] = str_null(l->owner) ? l->payer : l->owner;
	ch.text[CT_SERVICE_NAME] = l->product;
	ch.text[CT_SERVICE_CATEGORY] = str_c(service_category(l->product_code, l->product));
	ch.text[CT_CHARGE_DESCRIPTION] = str_null(l->subproduct) ? l->product : l->subproduct;
	ch.text[CT_REGION] = l->region;
	ch.text[CT_AZ] = l->zone;
	ch.text[CT_RESOURCE_ID] = l->resource;
	ch.text[CT_SKU_ID] = l->item_code;
	ch.text[CT_CONSUMED_UNIT] = l->used_unit;
	ch.text[CT_PRICING_UNIT] = l->used_unit;
	ch.text[CT_X_USAGE_TYPE] = l->item;
	ch.text[CT_X_LINE_ITEM_TYPE] = l->action;
	ch.text[CT_TAGS] = l->tags;

	if (kind == TK_UNKNOWN) {
		if (!str_null(l->action))
			rc_warn(rc, "unknown 交易类型 (ActionType) '%s': classified by 计费模式",
				ic_quote(l->action.s, l->action.len, 40, q));
		kind = prepaid ? TK_PURCHASE : TK_USAGE;
	}
	if (kind == TK_ADJUST) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Adjustment");
		return rc_emit_charge(rc, &ch, err);
	}
	if (kind == TK_USAGE) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
		ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
		if (contains(l->instance_type, "spot") || contains(l->pay_mode, "竞价") ||
		    contains(l->subproduct, "竞价"))
			ch.text[CT_PRICING_CATEGORY] = str_c("Dynamic");
		else if (str_ieq(l->instance_type, "ri") || str_ieq(l->instance_type, "sp")) {
			int sp = str_ieq(l->instance_type, "sp");
			ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
			ch.text[CT_CD_TYPE] = str_c(sp ? "Savings Plan" : "Reservation");
			ch.text[CT_CD_CATEGORY] = str_c(sp ? "Spend" : "Usage");
			ch.text[CT_CD_STATUS] = str_c("Used");
		}
		return rc_emit_charge(rc, &ch, err);
	}
	/* a prepaid purchase or refund: now as Purchase, spread for effective */
	ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
	ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
	ch.text[CT_PRICING_CATEGORY] = str_c("Standard");
	if (kind == TK_REFUND)
		ch.text[CT_CHARGE_CLASS] = str_c("Correction");
	ch.has_consumed_qty = 0;
	if (!l->has_start || !l->has_end || l->end <= l->start) {
		rc_warn(rc, "prepaid order or refund without a usage period (开始/结束使用时间): its effective cost is not spread");
		return rc_emit_charge(rc, &ch, err);
	}
	ch.effective = 0;
	cd_id = str_null(l->order) ? l->resource : l->order;
	return bu_spread_prepaid(rc, &ch, l->start, l->end, TZ_CHINA, cd_id,
				 kind == TK_RI ? "Reservation" : "Subscription", &ts->sb, err);
}

/* ---- the bill-detail CSV ---- */

enum col {
	T_MONTH, T_PAYER, T_OWNER, T_PRODUCT, T_PRODUCT_CODE, T_SUBPRODUCT, T_PAY_MODE, T_REGION,
	T_ZONE, T_RESOURCE, T_RESOURCE_NAME, T_INSTANCE_TYPE, T_ACTION, T_ORDER, T_PAY_TIME,
	T_START, T_END, T_ITEM, T_ITEM_CODE, T_USED, T_USED_UNIT, T_COST, T_REAL, T_CURRENCY,
	T_TAGS, T_NCOLS
};

static const char *const names[T_NCOLS][6] = {
	[T_MONTH] = { "账单月份", "账期", "BillMonth", "Bill Month" },
	[T_PAYER] = { "支付者UIN", "PayerUin", "Payer Account ID", "Payer UIN" },
	[T_OWNER] = { "使用者UIN", "OwnerUin", "Owner Account ID", "Owner UIN" },
	[T_PRODUCT] = { "产品名称", "BusinessCodeName", "Product Name" },
	[T_PRODUCT_CODE] = { "产品编码", "BusinessCode", "Product Code" },
	[T_SUBPRODUCT] = { "子产品名称", "ProductCodeName", "Subproduct Name", "Sub-product Name" },
	[T_PAY_MODE] = { "计费模式", "PayModeName", "Billing Mode" },
	[T_REGION] = { "地域", "RegionName", "Region" },
	[T_ZONE] = { "可用区", "ZoneName", "Availability Zone" },
	[T_RESOURCE] = { "资源ID", "ResourceId", "Instance ID", "Resource ID" },
	[T_RESOURCE_NAME] = { "实例名称", "资源别名", "ResourceName", "Instance Name" },
	[T_INSTANCE_TYPE] = { "实例类型", "InstanceType", "Instance Type" },
	[T_ACTION] = { "交易类型", "ActionTypeName", "ActionType", "Transaction Type" },
	[T_ORDER] = { "订单ID", "订单号", "OrderId", "Order ID" },
	[T_PAY_TIME] = { "扣费时间", "PayTime", "Transaction Time" },
	[T_START] = { "开始使用时间", "FeeBeginTime", "Usage Start Time" },
	[T_END] = { "结束使用时间", "FeeEndTime", "Usage End Time" },
	[T_ITEM] = { "组件名称", "ItemCodeName", "Component Name" },
	[T_ITEM_CODE] = { "组件编码", "ItemCode", "Component Code" },
	[T_USED] = { "组件用量", "用量", "UsedAmount", "Component Usage" },
	[T_USED_UNIT] = { "组件用量单位", "用量单位", "UsedAmountUnit", "Component Usage Unit" },
	[T_COST] = { "原价", "组件原价", "TotalCost", "Cost", "Original Cost" },
	[T_REAL] = { "优惠后总价", "RealTotalCost", "RealCost", "Total Amount After Discount" },
	[T_CURRENCY] = { "币种", "Currency" },
	[T_TAGS] = { "标签", "Tags", "Tag", "Tag Keys" },
};

struct tencent {
	int c[T_NCOLS];
	struct tc_state ts;
	struct jsonbuf tags;
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
tencent_detect(const struct header *h)
{
	if (col(h, T_PAYER) >= 0 && col(h, T_REAL) >= 0)
		return 10;
	return 0;
}

static void *
tencent_open(const struct header *h, struct ic_error *err)
{
	struct tencent *st = calloc(1, sizeof *st);

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	for (int i = 0; i < T_NCOLS; i++)
		st->c[i] = col(h, i);
	if (st->c[T_PAYER] < 0 || st->c[T_REAL] < 0 ||
	    (st->c[T_MONTH] < 0 && st->c[T_PAY_TIME] < 0 && st->c[T_START] < 0)) {
		ic_errorf(err, "required column %s is missing",
			  st->c[T_PAYER] < 0 ? "支付者UIN (Payer Account ID)" :
			  st->c[T_REAL] < 0 ? "优惠后总价 (Total Amount After Discount)" :
			  "账单月份, 扣费时间 or 开始使用时间 (Bill Month, Transaction Time or Usage Start Time)");
		free(st);
		return NULL;
	}
	return st;
}

static void
tencent_close(void *p)
{
	struct tencent *st = p;

	jb_free(&st->tags);
	free(st);
}

static int
tencent_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct tencent *st = p;
	const int *c = st->c;
	struct tc_line l;
	struct str v;
	int64_t pay;
	int has_pay;
	char q[IC_QUOTE_SIZE];

	memset(&l, 0, sizeof l);
	/* "-" marks a price Tencent does not show (contract prices, old bills) */
	if (rc_money(rc, c[T_REAL], 1, 0, &l.real, err) != 0 ||
	    (!str_ieq(rc_field(rc, c[T_COST]), "-") &&
	     rc_money_list(rc, c[T_COST], &l.cost, &l.has_cost, err) != 0) ||
	    (!str_ieq(rc_field(rc, c[T_USED]), "-") &&
	     rc_number(rc, c[T_USED], &l.used, &l.has_used, err) != 0) ||
	    rc_time(rc, c[T_START], 0, TZ_CHINA, &l.start, &l.has_start, err) != 0 ||
	    rc_time(rc, c[T_END], 0, TZ_CHINA, &l.end, &l.has_end, err) != 0 ||
	    rc_time(rc, c[T_PAY_TIME], 0, TZ_CHINA, &pay, &has_pay, err) != 0)
		return -1;
	if (l.has_start && l.has_end && l.end < l.start)
		return rc_error(rc, c[T_END], err, "usage ends before it starts");
	v = rc_field(rc, c[T_MONTH]);
	if (!str_null(v)) {
		if (bu_month_label(v, &l.period_start) != 0)
			return rc_error(rc, c[T_MONTH], err, "expected a bill month like 2023-07, found '%s'",
					ic_quote(v.s, v.len, 40, q));
	} else if (has_pay || l.has_start) {
		l.period_start = bu_local_month(has_pay ? pay : l.start, TZ_CHINA);
		if (c[T_MONTH] < 0)
			rc_warn(rc, "no 账单月份 (Bill Month) column: the billing month is the China-time month of the transaction");
	} else {
		return rc_error(rc, c[T_MONTH] >= 0 ? c[T_MONTH] : c[T_PAY_TIME] >= 0 ? c[T_PAY_TIME] : c[T_START],
				err, "no bill month, transaction time or usage start time on this row");
	}
	l.payer = rc_field(rc, c[T_PAYER]);
	if (str_null(l.payer))
		return rc_error(rc, c[T_PAYER], err, "the payer UIN is empty");
	l.owner = rc_field(rc, c[T_OWNER]);
	l.product = rc_field(rc, c[T_PRODUCT]);
	l.product_code = rc_field(rc, c[T_PRODUCT_CODE]);
	l.subproduct = rc_field(rc, c[T_SUBPRODUCT]);
	l.pay_mode = rc_field(rc, c[T_PAY_MODE]);
	l.action = rc_field(rc, c[T_ACTION]);
	l.region = rc_field(rc, c[T_REGION]);
	l.zone = rc_field(rc, c[T_ZONE]);
	l.resource = rc_field(rc, c[T_RESOURCE]);
	l.resource_name = rc_field(rc, c[T_RESOURCE_NAME]);
	l.instance_type = rc_field(rc, c[T_INSTANCE_TYPE]);
	l.order = rc_field(rc, c[T_ORDER]);
	l.item = rc_field(rc, c[T_ITEM]);
	l.item_code = rc_field(rc, c[T_ITEM_CODE]);
	l.used_unit = rc_field(rc, c[T_USED_UNIT]);
	l.currency = rc_field(rc, c[T_CURRENCY]);
	if (!str_null(l.currency) && rc_currency(rc, c[T_CURRENCY], l.currency, err) != 0)
		return -1;
	v = rc_field(rc, c[T_TAGS]);
	if (!str_null(v) && !str_ieq(v, "-")) {
		jb_begin(&st->tags);
		if (bu_tags_kv_append(&st->tags, v.s, v.len) > 0 && jb_end(&st->tags) > 0 &&
		    !st->tags.buf.oom)
			l.tags = (struct str){ st->tags.buf.s, st->tags.buf.len };
		if (st->tags.buf.oom)
			return ic_errorf(err, "out of memory");
	}
	return tc_emit(&st->ts, rc, &l, err);
}

const struct importer importer_tencent = {
	.name = "tencent",
	.description = "Tencent Cloud bill details CSV (Chinese or English headers, UTF-8 or GBK)",
	.needs = "支付者UIN (Payer Account ID), 优惠后总价 (Total Amount After Discount), 账单月份 or "
		 "扣费时间 (Bill Month or Transaction Time); 计费模式, 交易类型, 开始/结束使用时间, 原价 expected",
	.kind = KIND_CHARGES,
	.detect = tencent_detect,
	.open = tencent_open,
	.row = tencent_row,
	.close = tencent_close,
};
