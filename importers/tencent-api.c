/*
 * tencent-api.c - Tencent Cloud billing API `DescribeBillDetail` (version
 * 2018-07-09) responses as JSON: what `tccli billing DescribeBillDetail`
 * prints ({"DetailSet": [...], "Total": N, ...}), the raw API body
 * ({"Response": {"DetailSet": [...]}}), an array of such pages, or one page
 * per line (JSON lines).
 *
 * Each DetailSet record is one bill line of a resource; its ComponentSet
 * entries carry the money (strings with 8 decimals: Cost = 原价, RealCost =
 * 优惠后总价, CashPayAmount + IncentivePayAmount + VoucherPayAmount +
 * TransferPayAmount = RealCost).  One charge per component, mapped by the
 * same rules as the bill-detail CSV (tencent.c, tc_emit): ActionType
 * prepay_* / pre_to_post are purchases and refunds spread over
 * FeeBeginTime..FeeEndTime, postpay_* are on-demand usage, recon_* are
 * adjustments.  Times are China time without offset; BillMonth is the
 * billing period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"
#include "importers/jsonpages.h"
#include "importers/tencent.h"

struct tapi {
	struct tc_state ts;
	struct jsonbuf tags;
	long details;
};

/* The DetailSet array of one response object, or NULL. */
static const cJSON *
detail_set(const cJSON *v)
{
	const cJSON *d;

	if (!cJSON_IsObject(v))
		return NULL;
	d = cJSON_GetObjectItemCaseSensitive(v, "DetailSet");
	if (!d) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "Response");
		d = cJSON_GetObjectItemCaseSensitive(r, "DetailSet");
	}
	return cJSON_IsArray(d) ? d : NULL;
}

static int
tapi_detect_json(const cJSON *v)
{
	const cJSON *first = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;
	const cJSON *d = detail_set(first), *rec;

	if (d == NULL)
		return 0;
	rec = cJSON_GetArrayItem(d, 0);
	if (rec == NULL || cJSON_GetObjectItemCaseSensitive(rec, "PayerUin") ||
	    cJSON_GetObjectItemCaseSensitive(rec, "ComponentSet"))
		return 10;
	return 0;
}

static void *
tapi_open(const struct header *h, struct ic_error *err)
{
	struct tapi *st;

	if (h != NULL) {
		ic_errorf(err, "DescribeBillDetail is JSON; for the bill-detail CSV use --as tencent");
		return NULL;
	}
	st = calloc(1, sizeof *st);
	if (st == NULL)
		ic_errorf(err, "out of memory");
	return st;
}

static void
tapi_close(void *p)
{
	struct tapi *st = p;

	jb_free(&st->tags);
	free(st);
}

static int
tapi_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	(void)p;
	return jp_row_not_csv(rc, "DescribeBillDetail", err);
}

static struct str
s_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (cJSON_IsString(v))
		return str_c(v->valuestring);
	return (struct str){ "", 0 };
}

/* Error about member `what` of DetailSet[i] (ComponentSet[j] when j >= 0). */
static int
bad(struct row_ctx *rc, struct ic_error *err, long i, long j, const char *what,
    const cJSON *v, const char *expect)
{
	char q[IC_QUOTE_SIZE], path[96];
	char *txt = v ? cJSON_PrintUnformatted(v) : NULL;

	if (j >= 0)
		snprintf(path, sizeof path, "DetailSet[%ld].ComponentSet[%ld].%s", i, j, what);
	else
		snprintf(path, sizeof path, "DetailSet[%ld].%s", i, what);
	ic_quote(txt ? txt : "", txt ? strlen(txt) : 0, 60, q);
	free(txt);
	return rc_error(rc, -1, err, "%s: expected %s, found '%s'", path, expect, q);
}

static int
time_of(struct row_ctx *rc, const cJSON *rec, long i, const char *k, int64_t *out, int *present,
	struct ic_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, k);
	enum num_status s;

	*present = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return bad(rc, err, i, -1, k, v, "a time like 2023-07-07 16:14:21");
	s = time_parse(v->valuestring, strlen(v->valuestring), TZ_CHINA, out);
	if (s == NUM_NULL)
		return 0;
	if (s != NUM_OK)
		return bad(rc, err, i, -1, k, v, "a time like 2023-07-07 16:14:21");
	*present = 1;
	return 0;
}

static int
one_record(struct tapi *st, struct row_ctx *rc, const cJSON *rec, long i, struct ic_error *err)
{
	struct tc_line l;
	const cJSON *comps, *comp, *tags, *t;
	struct str month;
	int64_t pay;
	int has_pay;
	long j = 0;

	if (!cJSON_IsObject(rec))
		return bad(rc, err, i, -1, "", rec, "an object");
	memset(&l, 0, sizeof l);
	if (time_of(rc, rec, i, "FeeBeginTime", &l.start, &l.has_start, err) != 0 ||
	    time_of(rc, rec, i, "FeeEndTime", &l.end, &l.has_end, err) != 0 ||
	    time_of(rc, rec, i, "PayTime", &pay, &has_pay, err) != 0)
		return -1;
	if (l.has_start && l.has_end && l.end < l.start)
		return bad(rc, err, i, -1, "FeeEndTime", cJSON_GetObjectItemCaseSensitive(rec, "FeeEndTime"),
			   "a time after FeeBeginTime");
	month = s_of(rec, "BillMonth");
	if (str_null(month))
		month = s_of(rec, "BillDay");
	if (!str_null(month)) {
		if (bu_month_label(month, &l.period_start) != 0)
			return bad(rc, err, i, -1, "BillMonth", cJSON_GetObjectItemCaseSensitive(rec, "BillMonth"),
				   "a month like 2023-07-01 00:00:00");
	} else if (has_pay || l.has_start) {
		l.period_start = bu_local_month(has_pay ? pay : l.start, TZ_CHINA);
	} else {
		return bad(rc, err, i, -1, "BillMonth", NULL, "a bill month, PayTime or FeeBeginTime");
	}
	l.payer = s_of(rec, "PayerUin");
	if (str_null(l.payer))
		return bad(rc, err, i, -1, "PayerUin", cJSON_GetObjectItemCaseSensitive(rec, "PayerUin"),
			   "the payer's UIN");
	l.owner = s_of(rec, "OwnerUin");
	l.product = s_of(rec, "BusinessCodeName");
	l.product_code = s_of(rec, "BusinessCode");
	l.subproduct = s_of(rec, "ProductCodeName");
	l.pay_mode = s_of(rec, "PayModeName");
	if (str_null(l.pay_mode))
		l.pay_mode = s_of(rec, "PayMode");
	l.action = s_of(rec, "ActionType");
	if (str_null(l.action))
		l.action = s_of(rec, "ActionTypeName");
	l.region = s_of(rec, "RegionName");
	l.zone = s_of(rec, "ZoneName");
	l.resource = s_of(rec, "ResourceId");
	l.resource_name = s_of(rec, "ResourceName");
	l.order = s_of(rec, "OrderId");
	tags = cJSON_GetObjectItemCaseSensitive(rec, "Tags");
	if (cJSON_IsArray(tags) && cJSON_GetArraySize(tags) > 0) {
		jb_begin(&st->tags);
		cJSON_ArrayForEach(t, tags) {
			struct str k = s_of(t, "TagKey"), v = s_of(t, "TagValue");
			if (!str_null(k))
				jb_pair(&st->tags, k.s, k.len, v.s, v.len);
		}
		if (jb_end(&st->tags) > 0 && !st->tags.buf.oom)
			l.tags = (struct str){ st->tags.buf.s, st->tags.buf.len };
		if (st->tags.buf.oom)
			return ic_errorf(err, "out of memory");
	}
	comps = cJSON_GetObjectItemCaseSensitive(rec, "ComponentSet");
	if (!cJSON_IsArray(comps))
		return bad(rc, err, i, -1, "ComponentSet", comps, "an array of components");
	if (cJSON_GetArraySize(comps) == 0) {
		rc_warn(rc, "DetailSet record without components: no charge");
		return 0;
	}
	cJSON_ArrayForEach(comp, comps) {
		const cJSON *v;
		enum num_status s;

		if (!cJSON_IsObject(comp))
			return bad(rc, err, i, j, "", comp, "an object");
		v = cJSON_GetObjectItemCaseSensitive(comp, "RealCost");
		if (bu_json_money(v, &l.real) != NUM_OK)
			return bad(rc, err, i, j, "RealCost", v, "an amount like \"80.89000000\"");
		v = cJSON_GetObjectItemCaseSensitive(comp, "Cost");
		s = bu_json_money(v, &l.cost);
		if (s == NUM_OK)
			l.has_cost = 1;
		else if (s == NUM_NULL || (cJSON_IsString(v) && strcmp(v->valuestring, "-") == 0))
			l.has_cost = 0;
		else
			return bad(rc, err, i, j, "Cost", v, "an amount");
		v = cJSON_GetObjectItemCaseSensitive(comp, "UsedAmount");
		s = bu_json_number(v, &l.used);
		if (s == NUM_OK)
			l.has_used = 1;
		else if (s == NUM_NULL || (cJSON_IsString(v) && strcmp(v->valuestring, "-") == 0))
			l.has_used = 0;
		else
			return bad(rc, err, i, j, "UsedAmount", v, "a quantity");
		l.used_unit = s_of(comp, "UsedAmountUnit");
		l.item = s_of(comp, "ItemCodeName");
		l.item_code = s_of(comp, "ItemCode");
		l.instance_type = s_of(comp, "InstanceType");
		if (tc_emit(&st->ts, rc, &l, err) != 0)
			return -1;
		j++;
	}
	return 0;
}

static int
one_page(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	struct tapi *st = p;
	const cJSON *d = detail_set(v), *rec;
	long i = 0;

	if (d == NULL) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "Response");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "Error");
		if (e) {
			struct str m = s_of(e, "Message");
			char q[IC_QUOTE_SIZE];
			return rc_error(rc, -1, err, "the API answered with an error: %s",
					ic_quote(m.s, m.len, 120, q));
		}
		return rc_error(rc, -1, err, "not a DescribeBillDetail response: no DetailSet array");
	}
	cJSON_ArrayForEach(rec, d) {
		if (one_record(st, rc, rec, i, err) != 0)
			return -1;
		i++;
		st->details++;
	}
	if (i == 0)
		rc_warn(rc, "DescribeBillDetail page with an empty DetailSet");
	return 0;
}

static int
tapi_json_row(void *p, struct row_ctx *rc, const cJSON *v, struct ic_error *err)
{
	return jp_pages(p, rc, v, one_page, err);
}

const struct importer importer_tencent_api = {
	.name = "tencent-api",
	.description = "Tencent Cloud DescribeBillDetail API response (JSON, tccli output or raw)",
	.needs = "DetailSet[] with PayerUin, BillMonth, ActionType, FeeBeginTime, FeeEndTime, "
		 "ComponentSet[] with RealCost (Cost, UsedAmount expected)",
	.kind = KIND_CHARGES,
	.detect = NULL,
	.open = tapi_open,
	.row = tapi_row,
	.close = tapi_close,
	.detect_json = tapi_detect_json,
	.json_row = tapi_json_row,
	.restates = RESTATES_NOTHING,
};
