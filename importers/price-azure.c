/*
 * price-azure.c - Azure Retail Prices API pages
 * (https://prices.azure.com/api/retail/prices, JSON: {BillingCurrency,
 * Items[], NextPageLink, Count}).
 *
 * Kept: serviceName "Virtual Machines", unitOfMeasure "1 Hour", no
 * effectiveEndDate (expired), not Spot / Low Priority meters; platform
 * Windows when the productName ends in " Windows", else Linux.
 *   type Consumption  -> the on-demand hourly retailPrice, and each
 *                        savingsPlan[] entry ({term, retailPrice}: an
 *                        hourly rate) as a savings-plan offer (hourly);
 *   type Reservation  -> a reserved offer whose retailPrice is the price
 *                        of the WHOLE term (reservationTerm "1 Year" /
 *                        "3 Years"), stored as upfront = that price,
 *                        hourly 0 (Azure lets it be paid monthly: the
 *                        same total);
 *   DevTestConsumption and everything else is counted and not used.
 * Numbers are JSON numbers: read with 15 significant digits, which every
 * price of the API fits.  Several pages of one crawl are imported in one
 * command (they add up, as the parts of a bill do).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "importers/prices.h"

struct astate {
	struct price_sink *sink;
};

static const char *
s_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* a JSON number (or decimal string) as nanos >= 0 */
static int
num_nanos(const cJSON *v, int64_t *out)
{
	char buf[64];

	if (cJSON_IsString(v))
		return price_money(v->valuestring, strlen(v->valuestring), out);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
	    v->valuedouble > 9e9)
		return -1;
	snprintf(buf, sizeof buf, "%.15g", v->valuedouble);
	return price_money(buf, strlen(buf), out);
}

static const char *
az_term(const char *t)
{
	if (strcasecmp(t, "1 Year") == 0)
		return "1y";
	if (strcasecmp(t, "3 Years") == 0)
		return "3y";
	return NULL;
}

static void *
az_open(struct price_sink *s, struct ic_error *err)
{
	return price_state_new(sizeof(struct astate), s, err);
}

static void
az_warn(struct astate *st, const char *msg)
{
	if (st->sink->warn)
		st->sink->warn(st->sink, 1, 0, msg);
}

static int
az_item(struct astate *st, const cJSON *it, int idx, const char *currency0, struct ic_error *err)
{
	struct price_row r;
	const char *type = s_of(it, "type"), *sku = s_of(it, "armSkuName");
	const char *region = s_of(it, "armRegionName"), *currency = s_of(it, "currencyCode");
	const char *meter = s_of(it, "meterName"), *skuname = s_of(it, "skuName");
	const cJSON *tier = cJSON_GetObjectItemCaseSensitive(it, "tierMinimumUnits");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(it, "effectiveEndDate");
	const cJSON *price = cJSON_GetObjectItemCaseSensitive(it, "retailPrice");
	int64_t amount;

	if (!cJSON_IsObject(it))
		return ic_error_at(err, st->sink->name, 1, 1, "Azure prices: Items[%d] is not an object", idx);
	if (strcmp(s_of(it, "serviceName"), "Virtual Machines") != 0) {
		az_warn(st, "Azure prices: items of services other than Virtual Machines are not used");
		return 0;
	}
	if (*sku == '\0' || *region == '\0') {
		az_warn(st, "Azure prices: items without armSkuName or armRegionName are not used");
		return 0;
	}
	if (end && !cJSON_IsNull(end)) {
		az_warn(st, "Azure prices: expired items (effectiveEndDate) are not used");
		return 0;
	}
	if (ends_with(meter, " Spot") || ends_with(skuname, " Spot") ||
	    ends_with(meter, " Low Priority") || ends_with(skuname, " Low Priority")) {
		az_warn(st, "Azure prices: Spot and Low Priority meters are not used");
		return 0;
	}
	if (cJSON_IsNumber(tier) && tier->valuedouble > 0) {
		az_warn(st, "Azure prices: volume tiers above the first are not used");
		return 0;
	}
	if (*currency == '\0')
		currency = currency0;
	if (*currency == '\0')
		return ic_error_at(err, st->sink->name, 1, 1, "Azure prices: Items[%d] has no currencyCode", idx);
	if (num_nanos(price, &amount) != 0)
		return ic_error_at(err, st->sink->name, 1, 1,
				   "Azure prices: Items[%d].retailPrice is not a number >= 0", idx);
	memset(&r, 0, sizeof r);
	r.provider = "Azure";
	r.region = region;
	r.instance_type = sku;
	r.platform = ends_with(s_of(it, "productName"), " Windows") ? "Windows" : "Linux";
	r.currency = currency;
	r.sku = *s_of(it, "skuId") ? s_of(it, "skuId") : NULL;
	r.offering_class = "";
	r.line = 1;
	if (strcmp(type, "Consumption") == 0) {
		const cJSON *sp = cJSON_GetObjectItemCaseSensitive(it, "savingsPlan"), *p;
		if (strcmp(s_of(it, "unitOfMeasure"), "1 Hour") != 0) {
			az_warn(st, "Azure prices: consumption prices per unit other than 1 Hour are not used");
			return 0;
		}
		r.kind = PK_ON_DEMAND;
		r.term = r.payment = "";
		r.hourly = amount;
		if (st->sink->emit(st->sink, &r, err) != 0)
			return -1;
		cJSON_ArrayForEach(p, sp) {
			const char *term = az_term(s_of(p, "term"));
			int64_t rate;
			if (term == NULL) {
				az_warn(st, "Azure prices: savings plans of an unknown term are not used");
				continue;
			}
			if (num_nanos(cJSON_GetObjectItemCaseSensitive(p, "retailPrice"), &rate) != 0)
				return ic_error_at(err, st->sink->name, 1, 1,
						   "Azure prices: Items[%d].savingsPlan[].retailPrice is not a number >= 0",
						   idx);
			r.kind = PK_COMPUTE_SAVINGS_PLAN;
			r.term = term;
			r.payment = "no_upfront";
			r.hourly = rate;
			if (st->sink->emit(st->sink, &r, err) != 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(type, "Reservation") == 0) {
		const char *term = az_term(s_of(it, "reservationTerm"));
		if (term == NULL) {
			az_warn(st, "Azure prices: reservations of an unknown term are not used");
			return 0;
		}
		/* the price of the whole term, although unitOfMeasure says 1 Hour */
		r.kind = PK_RESERVED;
		r.term = term;
		r.payment = "all_upfront";
		r.upfront = amount;
		r.hourly = 0;
		return st->sink->emit(st->sink, &r, err);
	}
	az_warn(st, "Azure prices: item types other than Consumption and Reservation (DevTestConsumption) are not used");
	return 0;
}

static int
az_doc(void *p, const cJSON *v, struct ic_error *err)
{
	struct astate *st = p;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(v, "Items"), *it;
	int i = 0;

	if (!cJSON_IsArray(items))
		return ic_error_at(err, st->sink->name, 1, 1, "Azure prices: no Items array");
	if (st->sink->meta)
		st->sink->meta(st->sink, "azure-retail-prices", "");
	cJSON_ArrayForEach(it, items)
		if (az_item(st, it, i++, s_of(v, "BillingCurrency"), err) != 0)
			return -1;
	return 0;
}

static int
az_finish(void *p, struct ic_error *err)
{
	(void)p;
	(void)err;
	return 0;
}

static void
az_close(void *p)
{
	free(p);
}

const struct price_format price_azure_json = {
	.open = az_open, .json_doc = az_doc, .finish = az_finish, .close = az_close,
};
