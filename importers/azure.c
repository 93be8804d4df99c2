/*
 * azure.c - Azure Cost Management cost details exports: Enterprise
 * Agreement (PascalCase, older "Cost"/"BillingCurrency" names too),
 * Microsoft Customer Agreement (camelCase), and the pre-2020 pay-as-you-go
 * layout (PreTaxCost, UsageDateTime); actual and amortized datasets.
 *
 * Columns are found by name, case-insensitively (docs/FORMATS.md 3.2-3.4);
 * localized headers by the English name in parentheses at their end
 * ("Abonnement-GUID (SubscriptionGuid)").
 * Mapping (Microsoft's FOCUS conversion, finops-toolkit convert.md, with
 * FOCUS's own rule for unused commitments):
 *   BilledCost     CostInBillingCurrency, but 0 for usage covered by a
 *                  reservation or savings plan (prepaid) and for the
 *                  UnusedReservation / UnusedSavingsPlan rows (the purchase
 *                  carries the cash; Microsoft's table would count it twice)
 *   EffectiveCost  CostInBillingCurrency, but 0 for commitment Purchase and
 *                  Refund rows (the amortized file spreads them)
 *   ChargeCategory Usage/Purchase/Credit/Tax as given, Unused* -> Usage
 *                  (status Unused), Refund -> Purchase + Correction, other
 *                  (RoundingAdjustment) -> Adjustment
 *   Dates          MM/dd/yyyy, M/d/yyyy or ISO; Azure days and billing
 *                  period ends are inclusive, so ends get + 1 day
 *   Tags           EA bodies without braces are wrapped in { }
 *   Quantity       already counts UnitOfMeasure blocks ("10K", "100 Hours"):
 *                  PricingQuantity = Quantity, ConsumedQuantity = Quantity x
 *                  block size; cost is never recomputed from them
 *   BillingAccountId  EA BillingAccountId, MCA billingProfileId, legacy
 *                  SubscriptionGuid
 *
 * Actual and amortized files of one month.  Microsoft's rule is "all rows
 * of the amortized file plus the commitment Purchase/Refund rows of the
 * actual file".  The two files share every other row (on-demand usage,
 * tax, marketplace), so the rows are split over three replacement keys
 * (the driver restates per provider, billing account and period):
 *   ACCOUNT                         rows both datasets hold (and the zero
 *                                   cost covered usage of the actual file)
 *   ACCOUNT/commitment-usage        amortized-only rows: covered usage with
 *                                   its amortized cost, Unused* rows
 *   ACCOUNT/commitment-purchases    actual-only rows: commitment purchases
 *                                   and refunds
 * A file with commitment purchases or zero-cost covered usage is the
 * actual dataset, one with amortized covered usage or Unused* rows the
 * amortized one (rc_set_dataset).  In one command or two, in either
 * order, the shared rows come from the amortized file (import.c), so the
 * month ends as amortized + purchases: BilledCost is the invoice and
 * EffectiveCost the amortized cost.  A file with no commitment rows shows
 * neither dataset: its rows restate by date range (RESTATES_PERIOD_WINDOW)
 * in another command, and add up with the other files of the same one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/timeparse.h"
#include "importers/billutil.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

enum col {
	A_COST, A_CURRENCY, A_DATE, A_BP_START, A_BP_END, A_ACCOUNT, A_PROFILE, A_SUBSCRIPTION,
	A_CHARGE_TYPE, A_PRICING_MODEL, A_FREQUENCY, A_METER_CATEGORY, A_METER_SUBCATEGORY,
	A_METER_NAME, A_METER_ID, A_PRODUCT, A_PRODUCT_ID, A_PART, A_QUANTITY, A_UOM,
	A_RESOURCE, A_RESOURCE_TYPE, A_LOCATION, A_AZ, A_TAGS, A_ADDINFO, A_RESERVATION_ID,
	A_BENEFIT_ID, A_PAYG_COST, A_SERVICE_NAME, A_CONSUMED_SERVICE, A_NCOLS
};

static const char *const names[A_NCOLS][5] = {
	[A_COST] = { "CostInBillingCurrency", "PreTaxCost", "Cost" },
	[A_CURRENCY] = { "BillingCurrencyCode", "BillingCurrency", "Currency" },
	[A_DATE] = { "Date", "UsageDateTime", "UsageDate", "UsageStart" },
	[A_BP_START] = { "BillingPeriodStartDate" },
	[A_BP_END] = { "BillingPeriodEndDate" },
	[A_ACCOUNT] = { "BillingAccountId" },
	[A_PROFILE] = { "BillingProfileId" },
	[A_SUBSCRIPTION] = { "SubscriptionId", "SubscriptionGuid" },
	[A_CHARGE_TYPE] = { "ChargeType" },
	[A_PRICING_MODEL] = { "PricingModel" },
	[A_FREQUENCY] = { "Frequency" },
	[A_METER_CATEGORY] = { "MeterCategory" },
	[A_METER_SUBCATEGORY] = { "MeterSubCategory" },
	[A_METER_NAME] = { "MeterName" },
	[A_METER_ID] = { "MeterId" },
	[A_PRODUCT] = { "ProductName", "Product" },
	[A_PRODUCT_ID] = { "ProductId" },
	[A_PART] = { "PartNumber" },
	[A_QUANTITY] = { "Quantity", "UsageQuantity", "ConsumedQuantity" },
	[A_UOM] = { "UnitOfMeasure" },
	[A_RESOURCE] = { "ResourceId", "InstanceId", "InstanceName" },
	[A_RESOURCE_TYPE] = { "ResourceType" },
	[A_LOCATION] = { "ResourceLocation", "Location" },
	[A_AZ] = { "AvailabilityZone" },
	[A_TAGS] = { "Tags" },
	[A_ADDINFO] = { "AdditionalInfo" },
	[A_RESERVATION_ID] = { "ReservationId" },
	[A_BENEFIT_ID] = { "benefitId" },
	[A_PAYG_COST] = { "paygCostInBillingCurrency" },
	[A_SERVICE_NAME] = { "ServiceName" },
	[A_CONSUMED_SERVICE] = { "ConsumedService" },
};

struct azure {
	int c[A_NCOLS];
	int mca;
	char account[160];
	char *tags;		/* wrapped Tags text */
	size_t tags_cap;
	char instance_type[128];
	char unit[96];
};

static int
find(const struct header *h, int i)
{
	return header_find_any(h, names[i]);
}

/*
 * Localized downloads (the German portal's "Abonnement-GUID
 * (SubscriptionGuid)", "PreTaxCost (PreTaxCost)") end each name with the
 * English one in parentheses.  english_header fills *out with h where
 * every such name is replaced by the English name (letters, digits and
 * '_' between the last '(' and a final ')', after some other text); other
 * names, and the column indexes, stay as they are.  Returns 1 and sets
 * *mem (the caller frees it once done with *out) when a name was
 * replaced; 0 with *out = *h and *mem = NULL when none was (or out of
 * memory: the names are then read as written).
 */
static int
english_header(const struct header *h, struct header *out, void **mem)
{
	struct csv_field *f;
	char *text;
	size_t total = 0;
	int replaced = 0;

	*out = *h;
	*mem = NULL;
	for (int i = 0; i < h->n; i++)
		total += h->f[i].len + 1;
	f = malloc(sizeof *f * (size_t)(h->n > 0 ? h->n : 1) + total);
	if (f == NULL)
		return 0;
	text = (char *)(f + (h->n > 0 ? h->n : 1));
	for (int i = 0; i < h->n; i++) {
		const char *s = h->f[i].s, *e = s + h->f[i].len, *open;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		f[i] = h->f[i];
		if (e - s < 4 || e[-1] != ')')
			continue;
		for (open = e - 2; open > s && *open != '('; open--)
			if (!((*open >= 'A' && *open <= 'Z') || (*open >= 'a' && *open <= 'z') ||
			      (*open >= '0' && *open <= '9') || *open == '_'))
				break;
		if (*open != '(' || open + 1 == e - 1 || open == s)
			continue;
		memcpy(text, open + 1, (size_t)(e - 1 - (open + 1)));
		f[i].s = text;
		f[i].len = (size_t)(e - 1 - (open + 1));
		text[f[i].len] = '\0';
		text += f[i].len + 1;
		replaced = 1;
	}
	if (!replaced) {
		free(f);
		return 0;
	}
	out->f = f;
	*mem = f;
	return 1;
}

static int
azure_detect_names(const struct header *h)
{
	int date = header_find(h, "Date") >= 0;

	if (header_find(h, "CostInBillingCurrency") >= 0 && date &&
	    (header_find(h, "MeterCategory") >= 0 || header_find(h, "ChargeType") >= 0))
		return 10;
	if (header_find(h, "PreTaxCost") >= 0 &&
	    (header_find(h, "UsageDateTime") >= 0 || date))
		return 10;
	/* older EA names (FinOps toolkit sample): Cost, BillingCurrency */
	if (header_find(h, "Cost") >= 0 && date && header_find(h, "MeterCategory") >= 0 &&
	    (header_find(h, "BillingCurrency") >= 0 || header_find(h, "BillingCurrencyCode") >= 0))
		return 9;
	return 0;
}

static int
azure_detect(const struct header *orig)
{
	struct header h;
	void *mem;
	int score;

	english_header(orig, &h, &mem);
	score = azure_detect_names(&h);
	free(mem);
	return score;
}

static void *
azure_open(const struct header *orig, struct ic_error *err)
{
	struct azure *st = calloc(1, sizeof *st);
	const char *missing = NULL;
	struct header en, *h = &en;
	void *mem;

	if (st == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	english_header(orig, &en, &mem);
	for (int i = 0; i < A_NCOLS; i++)
		st->c[i] = find(h, i);
	st->mca = header_find(h, "exchangeRatePricingToBilling") >= 0 ||
		  header_find(h, "pricingCurrency") >= 0 || header_find(h, "invoiceId") >= 0;
	free(mem);
	if (st->c[A_COST] < 0)
		missing = "CostInBillingCurrency (or Cost, PreTaxCost)";
	else if (st->c[A_DATE] < 0)
		missing = "Date (or UsageDateTime)";
	else if (st->c[A_CURRENCY] < 0)
		missing = "BillingCurrencyCode (or BillingCurrency, Currency)";
	else if (st->c[A_ACCOUNT] < 0 && st->c[A_PROFILE] < 0 && st->c[A_SUBSCRIPTION] < 0)
		missing = "BillingAccountId (or billingProfileId, SubscriptionGuid)";
	if (missing) {
		ic_errorf(err, "required column %s is missing", missing);
		free(st);
		return NULL;
	}
	return st;
}

static void
azure_close(void *p)
{
	struct azure *st = p;

	free(st->tags);
	free(st);
}

/* ---- values ---- */

static int
num(const char **p, const char *e, int maxd, int *v)
{
	int n = 0;

	*v = 0;
	while (*p < e && **p >= '0' && **p <= '9' && n < maxd) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/*
 * An Azure date: M/d/yyyy (US order, zero padding optional, optionally
 * followed by a time "H:MM[:SS][ AM|PM]"), or anything time_parse takes.
 */
static enum num_status
azure_time(struct str v, int64_t *out)
{
	const char *p = v.s, *e = v.s + v.len;
	int mo, d, y, h = 0, mi = 0, s = 0;
	static const int dm[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!memchr(v.s, '/', v.len))
		return time_parse(v.s, v.len, 0, out);
	*out = 0;
	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	if (num(&p, e, 2, &mo) == 0 || p >= e || *p++ != '/' ||
	    num(&p, e, 2, &d) == 0 || p >= e || *p++ != '/' || num(&p, e, 4, &y) != 4)
		return NUM_SYNTAX;
	if (mo < 1 || mo > 12 || d < 1 || d > dm[mo - 1] ||
	    (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return NUM_SYNTAX;
	if (p < e) {
		if (*p != ' ' && *p != 'T')
			return NUM_SYNTAX;
		p++;
		if (num(&p, e, 2, &h) == 0 || p >= e || *p++ != ':' || num(&p, e, 2, &mi) != 2)
			return NUM_SYNTAX;
		if (p < e && *p == ':') {
			p++;
			if (num(&p, e, 2, &s) != 2)
				return NUM_SYNTAX;
		}
		while (p < e && *p == ' ')
			p++;
		if (e - p == 2 && (strncasecmp(p, "AM", 2) == 0 || strncasecmp(p, "PM", 2) == 0)) {
			if (h < 1 || h > 12)
				return NUM_SYNTAX;
			h = h % 12 + ((*p == 'P' || *p == 'p') ? 12 : 0);
			p += 2;
		}
		if (p != e || h > 23 || mi > 59 || s > 59)
			return NUM_SYNTAX;
	}
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
	return NUM_OK;
}

static int
rc_azure_time(struct row_ctx *rc, int col, int required, int64_t *out, int *present,
	      struct ic_error *err)
{
	struct str v = rc_field(rc, col);
	enum num_status st;
	char q[IC_QUOTE_SIZE];

	*present = 0;
	*out = 0;
	if (col < 0 || str_null(v)) {
		if (required)
			return rc_error(rc, col, err, "a date is required here");
		return 0;
	}
	st = azure_time(v, out);
	if (st != NUM_OK)
		return rc_error(rc, col, err, "expected a date like 09/21/2023 (MM/dd/yyyy) or 2023-09-21, found '%s'",
				ic_quote(v.s, v.len, 60, q));
	*present = 1;
	return 0;
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

/* FOCUS ServiceCategory of a MeterCategory. */
static const char *
service_category(struct str mc)
{
	static const struct { const char *mc, *cat; } map[] = {
		{ "Virtual Machines", "Compute" }, { "Virtual Machines Licenses", "Compute" },
		{ "Cloud Services", "Compute" }, { "Container Instances", "Compute" },
		{ "Azure App Service", "Compute" }, { "Functions", "Compute" },
		{ "Batch", "Compute" }, { "Azure Kubernetes Service", "Compute" },
		{ "Azure Container Apps", "Compute" }, { "Virtual Machine Scale Sets", "Compute" },
		{ "Storage", "Storage" }, { "Backup", "Storage" }, { "Azure NetApp Files", "Storage" },
		{ "Bandwidth", "Networking" }, { "Virtual Network", "Networking" },
		{ "Load Balancer", "Networking" }, { "Application Gateway", "Networking" },
		{ "VPN Gateway", "Networking" }, { "Azure DNS", "Networking" },
		{ "Content Delivery Network", "Networking" }, { "Azure Front Door Service", "Networking" },
		{ "Network Watcher", "Networking" }, { "Azure Firewall", "Networking" },
		{ "ExpressRoute", "Networking" }, { "NAT Gateway", "Networking" },
		{ "Azure Bastion", "Networking" }, { "Azure Private Link", "Networking" },
		{ "SQL Database", "Databases" }, { "Azure Cosmos DB", "Databases" },
		{ "Azure Database for MySQL", "Databases" }, { "Azure Database for PostgreSQL", "Databases" },
		{ "Azure Database for MariaDB", "Databases" }, { "Redis Cache", "Databases" },
		{ "SQL Managed Instance", "Databases" },
		{ "Event Hubs", "Integration" }, { "Service Bus", "Integration" },
		{ "Logic Apps", "Integration" }, { "Event Grid", "Integration" },
		{ "API Management", "Integration" }, { "Notification Hubs", "Integration" },
		{ "Azure Web PubSub", "Integration" }, { "SignalR", "Integration" },
		{ "Log Analytics", "Management and Governance" }, { "Azure Monitor", "Management and Governance" },
		{ "Insight and Analytics", "Management and Governance" }, { "Automation", "Management and Governance" },
		{ "Azure Synapse Analytics", "Analytics" }, { "HDInsight", "Analytics" },
		{ "Azure Databricks", "Analytics" }, { "Stream Analytics", "Analytics" },
		{ "Azure Data Factory v2", "Analytics" }, { "Azure Data Explorer", "Analytics" },
		{ "Key Vault", "Security" }, { "Microsoft Defender for Cloud", "Security" },
		{ "Security Center", "Security" }, { "Sentinel", "Security" },
		{ "Cognitive Services", "AI and Machine Learning" }, { "Azure Machine Learning", "AI and Machine Learning" },
		{ "Azure OpenAI", "AI and Machine Learning" },
	};
	if (str_null(mc))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_ieq(mc, map[i].mc))
			return map[i].cat;
	return "Other";
}

/* RegionId: the ARM name ("eastus") of a location written either way. */
static struct str
region_id(struct str loc, char *buf, size_t n)
{
	static const struct { const char *name, *id; } legacy[] = {
		{ "US East", "eastus" }, { "US East 2", "eastus2" }, { "US West", "westus" },
		{ "US West 2", "westus2" }, { "US West 3", "westus3" }, { "US Central", "centralus" },
		{ "US North Central", "northcentralus" }, { "US South Central", "southcentralus" },
		{ "US West Central", "westcentralus" }, { "EU West", "westeurope" },
		{ "EU North", "northeurope" }, { "UK South", "uksouth" }, { "UK West", "ukwest" },
		{ "AP East", "eastasia" }, { "AP Southeast", "southeastasia" },
		{ "JA East", "japaneast" }, { "JA West", "japanwest" }, { "AU East", "australiaeast" },
		{ "AU Southeast", "australiasoutheast" }, { "BR South", "brazilsouth" },
		{ "CA Central", "canadacentral" }, { "CA East", "canadaeast" },
		{ "IN Central", "centralindia" }, { "IN South", "southindia" }, { "IN West", "westindia" },
		{ "KR Central", "koreacentral" }, { "KR South", "koreasouth" },
		{ "FR Central", "francecentral" }, { "DE West Central", "germanywestcentral" },
		{ "CH North", "switzerlandnorth" }, { "NO East", "norwayeast" },
		{ "ZA North", "southafricanorth" }, { "AE North", "uaenorth" },
		{ "SE Central", "swedencentral" },
	};
	size_t o = 0;

	if (str_null(loc) || str_ieq(loc, "Unassigned"))
		return (struct str){ NULL, 0 };
	for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
		if (str_ieq(loc, legacy[i].name))
			return str_c(legacy[i].id);
	size_t i;

	for (i = 0; i < loc.len && o + 1 < n; i++) {
		char c = loc.s[i];
		if (c == ' ')
			continue;
		buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (i < loc.len)	/* cut short (no region is this long): not inside a character */
		o = str_fit(buf, o + 1, o);
	buf[o] = '\0';
	return (struct str){ buf, o };
}

/* "Microsoft.Compute/virtualMachines" out of an ARM resource id. */
static struct str
resource_type(struct str id)
{
	const char *tag = "/providers/";
	size_t n = strlen(tag), at = (size_t)-1;
	const char *s, *e;

	for (size_t i = 0; id.s && i + n <= id.len; i++)
		if (strncasecmp(id.s + i, tag, n) == 0)
			at = i + n;
	if (at == (size_t)-1)
		return (struct str){ NULL, 0 };
	s = id.s + at;
	e = memchr(s, '/', id.len - at);
	if (e == NULL)
		return (struct str){ NULL, 0 };
	e++;
	while (e < id.s + id.len && *e != '/')
		e++;
	return (struct str){ s, (size_t)(e - s) };
}

/* Block size and unit of a UnitOfMeasure: "10K" -> 10000 "Units",
 * "100 Hours" -> 100 "Hours", "1/Month" -> 1 "Units/Month". */
static double
uom_block(struct str u, char *unit, size_t n)
{
	const char *p = u.s, *e = u.s + u.len;
	double block = 0, frac = 0.1;
	int digits = 0, per;

	unit[0] = '\0';
	if (str_null(u))
		return 1;
	while (p < e && *p == ' ')
		p++;
	while (p < e && *p >= '0' && *p <= '9') {
		block = block * 10 + (*p++ - '0');
		digits++;
	}
	if (p < e && *p == '.')
		for (p++; p < e && *p >= '0' && *p <= '9'; p++, frac /= 10)
			block += (*p - '0') * frac;
	if (p < e && (*p == 'K' || *p == 'M' || *p == 'B') && (p + 1 == e || p[1] == ' ' || p[1] == '/')) {
		block *= *p == 'K' ? 1e3 : *p == 'M' ? 1e6 : 1e9;
		p++;
	}
	if (!digits || block <= 0)
		block = 1;
	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	per = p < e && *p == '/';
	if (p == e || per)
		snprintf(unit, n, "Units%.*s", (int)str_fit(p, (size_t)(e - p), n - 6), p);
	else
		snprintf(unit, n, "%.*s", (int)str_fit(p, (size_t)(e - p), n - 1), p);
	return block;
}

/* Tags as a JSON object: EA's brace-less body is wrapped.  NULL slice
 * (and a warning) when it is not a JSON object. */
static struct str
tags_json(struct azure *st, struct row_ctx *rc, int col)
{
	struct str t = rc_field(rc, col);
	const char *s = t.s, *e = t.s + t.len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e || str_null(t))
		return (struct str){ NULL, 0 };
	if (*s != '{') {
		size_t need = (size_t)(e - s) + 3;
		if (need > st->tags_cap) {
			char *nb = realloc(st->tags, need);
			if (nb == NULL)
				return (struct str){ NULL, 0 };
			st->tags = nb;
			st->tags_cap = need;
		}
		st->tags[0] = '{';
		memcpy(st->tags + 1, s, (size_t)(e - s));
		st->tags[need - 2] = '}';
		st->tags[need - 1] = '\0';
		s = st->tags;
		e = st->tags + need - 1;
	}
	if (!json_is_object(s, (size_t)(e - s), NULL)) {
		rc_warn_col(rc, col, "Tags that are not a JSON object body were left out");
		return (struct str){ NULL, 0 };
	}
	return (struct str){ s, (size_t)(e - s) };
}

/* AdditionalInfo.ServiceType: the VM size, for commitment analysis. */
static struct str
instance_type(struct azure *st, struct str info)
{
	cJSON *j;
	const cJSON *v;
	struct str r = { NULL, 0 };

	if (str_null(info) || info.len > 65536 || !contains_ci(info, "ServiceType"))
		return r;
	j = cJSON_ParseWithLength(info.s, info.len);
	v = cJSON_GetObjectItemCaseSensitive(j, "ServiceType");
	if (cJSON_IsString(v) && strlen(v->valuestring) < sizeof st->instance_type &&
	    v->valuestring[0]) {
		strcpy(st->instance_type, v->valuestring);
		r = str_c(st->instance_type);
	}
	cJSON_Delete(j);
	return r;
}

enum pm { PM_NONE, PM_ONDEMAND, PM_SPOT, PM_RESERVATION, PM_SAVINGS_PLAN, PM_OTHER };

static enum pm
pricing_model(struct str v, struct str benefit, struct str reservation)
{
	if (str_ieq(v, "OnDemand") || str_ieq(v, "On Demand"))
		return PM_ONDEMAND;
	if (str_ieq(v, "Spot"))
		return PM_SPOT;
	if (str_ieq(v, "Reservation"))
		return PM_RESERVATION;
	if (str_ieq(v, "SavingsPlan") || str_ieq(v, "Savings Plan"))
		return PM_SAVINGS_PLAN;
	if (!str_null(v))
		return PM_OTHER;
	/* no PricingModel: a commitment id still tells */
	if (contains_ci(benefit, "/microsoft.billingbenefits/"))
		return PM_SAVINGS_PLAN;
	if (!str_null(benefit) || !str_null(reservation))
		return PM_RESERVATION;
	return PM_NONE;
}

static struct str
account_key(struct azure *st, struct str acct, const char *suffix)
{
	int n;

	if (suffix == NULL)
		return acct;
	/* a long account id is cut (whole characters), never the suffix */
	n = snprintf(st->account, sizeof st->account, "%.*s/%s",
		     (int)str_fit(acct.s, acct.len, sizeof st->account - 2 - strlen(suffix)), acct.s,
		     suffix);
	if (n < 0 || (size_t)n >= sizeof st->account)
		n = (int)sizeof st->account - 1;
	return (struct str){ st->account, (size_t)n };
}

static int
azure_row(void *p, struct row_ctx *rc, struct ic_error *err)
{
	struct azure *st = p;
	const int *c = st->c;
	struct charge ch;
	struct str ct, acct, benefit, reservation, freq;
	enum pm pm;
	int64_t cost, date;
	int present, commitment, unused, is_usage, is_purchase, is_refund;
	const char *suffix = NULL;
	double qty, block;
	char region[64], q[IC_QUOTE_SIZE];

	charge_clear(&ch);
	if (rc_money(rc, c[A_COST], 1, 0, &cost, err) != 0 ||
	    rc_azure_time(rc, c[A_DATE], 1, &date, &present, err) != 0)
		return -1;
	ch.charge_start = date;
	ch.charge_end = date + 86400;
	if (rc_azure_time(rc, c[A_BP_START], 0, &ch.period_start, &present, err) != 0)
		return -1;
	if (!present) {
		ch.period_start = month_start(date);
		if (c[A_BP_START] >= 0)
			rc_warn(rc, "billing period dates are empty (open period): the billing period is taken as the charge's calendar month");
	}
	if (rc_azure_time(rc, c[A_BP_END], 0, &ch.period_end, &present, err) != 0)
		return -1;
	if (present)
		ch.period_end += 86400;	/* inclusive end date */
	else
		ch.period_end = month_next(ch.period_start);
	if (ch.period_end <= ch.period_start)
		return rc_error(rc, c[A_BP_END], err, "billing period ends before it starts");
	if (rc_number(rc, c[A_QUANTITY], &qty, &present, err) != 0)
		return -1;

	ct = rc_field(rc, c[A_CHARGE_TYPE]);
	if (str_null(ct))
		ct = str_c("Usage");
	benefit = rc_field(rc, c[A_BENEFIT_ID]);
	reservation = rc_field(rc, c[A_RESERVATION_ID]);
	pm = pricing_model(rc_field(rc, c[A_PRICING_MODEL]), benefit, reservation);
	commitment = pm == PM_RESERVATION || pm == PM_SAVINGS_PLAN;
	unused = str_ieq(ct, "UnusedReservation") || str_ieq(ct, "UnusedSavingsPlan");
	is_usage = str_ieq(ct, "Usage");
	is_purchase = str_ieq(ct, "Purchase");
	is_refund = str_ieq(ct, "Refund");
	if (unused)
		commitment = 1;

	ch.billed = cost;
	ch.effective = cost;
	ch.text[CT_CHARGE_CATEGORY] = str_c("Adjustment");
	if (is_usage || unused) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Usage");
		if (commitment)
			ch.billed = 0;
	} else if (is_purchase || is_refund) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Purchase");
		if (is_refund)
			ch.text[CT_CHARGE_CLASS] = str_c("Correction");
		if (commitment)
			ch.effective = 0;
	} else if (str_ieq(ct, "Credit")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Credit");
	} else if (str_ieq(ct, "Tax")) {
		ch.text[CT_CHARGE_CATEGORY] = str_c("Tax");
	} else if (!str_ieq(ct, "RoundingAdjustment") && !str_ieq(ct, "Adjustment")) {
		rc_warn(rc, "unknown ChargeType '%s' kept as Adjustment", ic_quote(ct.s, ct.len, 40, q));
	}

	/* the replacement key (see the top of the file) */
	if ((is_purchase || is_refund) && commitment) {
		suffix = "commitment-purchases";
		rc_set_dataset(rc, "actual");
		rc_warn(rc, "actual cost file: commitment purchases keep EffectiveCost 0 (import the amortized cost file of the month, in the same or another command, for their amortized cost)");
	} else if (unused || (is_usage && commitment && cost != 0)) {
		suffix = "commitment-usage";
		rc_set_dataset(rc, "amortized");
	} else if (is_usage && commitment && present && qty != 0) {
		rc_set_dataset(rc, "actual");
		rc_warn(rc, "actual cost file: usage covered by a reservation or savings plan costs 0 here (import the amortized cost file of the month, in the same or another command, for its effective cost)");
	}
	if (st->mca && c[A_PROFILE] >= 0 && !str_null(rc_field(rc, c[A_PROFILE])))
		acct = rc_field(rc, c[A_PROFILE]);
	else if (c[A_ACCOUNT] >= 0 && !str_null(rc_field(rc, c[A_ACCOUNT])))
		acct = rc_field(rc, c[A_ACCOUNT]);
	else if (c[A_PROFILE] >= 0 && !str_null(rc_field(rc, c[A_PROFILE])))
		acct = rc_field(rc, c[A_PROFILE]);
	else
		acct = rc_field(rc, c[A_SUBSCRIPTION]);
	if (str_null(acct))
		return rc_error(rc, c[A_ACCOUNT] >= 0 ? c[A_ACCOUNT] : c[A_PROFILE] >= 0 ? c[A_PROFILE] : c[A_SUBSCRIPTION],
				err, "no billing account on this row");
	ch.text[CT_BILLING_ACCOUNT] = account_key(st, acct, suffix);

	ch.text[CT_CURRENCY] = rc_field(rc, c[A_CURRENCY]);
	if (str_null(ch.text[CT_CURRENCY]))
		return rc_error(rc, c[A_CURRENCY], err, "the billing currency is empty");
	if (rc_currency(rc, c[A_CURRENCY], ch.text[CT_CURRENCY], err) != 0)
		return -1;
	ch.text[CT_PROVIDER] = str_c("Microsoft");
	ch.text[CT_SUB_ACCOUNT] = rc_field(rc, c[A_SUBSCRIPTION]);
	freq = rc_field(rc, c[A_FREQUENCY]);
	if (str_ieq(freq, "OneTime"))
		ch.text[CT_CHARGE_FREQUENCY] = str_c("One-Time");
	else if (str_ieq(freq, "Recurring"))
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Recurring");
	else if (str_ieq(freq, "UsageBased") || (str_null(freq) && (is_usage || unused)))
		ch.text[CT_CHARGE_FREQUENCY] = str_c("Usage-Based");
	ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[A_PRODUCT]);
	if (str_null(ch.text[CT_CHARGE_DESCRIPTION]))
		ch.text[CT_CHARGE_DESCRIPTION] = rc_field(rc, c[A_METER_NAME]);

	switch (pm) {
	case PM_ONDEMAND: ch.text[CT_PRICING_CATEGORY] = str_c("Standard"); break;
	case PM_SPOT: ch.text[CT_PRICING_CATEGORY] = str_c("Dynamic"); break;
	case PM_RESERVATION:
	case PM_SAVINGS_PLAN: ch.text[CT_PRICING_CATEGORY] = str_c("Committed"); break;
	case PM_NONE: if (is_usage) ch.text[CT_PRICING_CATEGORY] = str_c("Standard"); break;
	case PM_OTHER: break;
	}
	if (commitment) {
		int sp = pm == PM_SAVINGS_PLAN || contains_ci(benefit, "/microsoft.billingbenefits/") ||
			 str_ieq(ct, "UnusedSavingsPlan");
		ch.text[CT_PRICING_CATEGORY] = str_c("Committed");
		ch.text[CT_CD_ID] = !str_null(benefit) ? benefit : reservation;
		ch.text[CT_CD_TYPE] = str_c(sp ? "Savings Plan" : "Reservation");
		ch.text[CT_CD_CATEGORY] = str_c(sp ? "Spend" : "Usage");
		if (unused)
			ch.text[CT_CD_STATUS] = str_c("Unused");
		else if (is_usage)
			ch.text[CT_CD_STATUS] = str_c("Used");
	}

	ch.text[CT_SERVICE_NAME] = rc_field(rc, c[A_METER_CATEGORY]);
	if (str_null(ch.text[CT_SERVICE_NAME]) || str_ieq(ch.text[CT_SERVICE_NAME], "Unassigned"))
		ch.text[CT_SERVICE_NAME] = rc_field(rc, c[A_SERVICE_NAME]);
	if (str_null(ch.text[CT_SERVICE_NAME]))
		ch.text[CT_SERVICE_NAME] = rc_field(rc, c[A_CONSUMED_SERVICE]);
	ch.text[CT_SERVICE_CATEGORY] = str_c(service_category(ch.text[CT_SERVICE_NAME]));
	ch.text[CT_REGION] = region_id(rc_field(rc, c[A_LOCATION]), region, sizeof region);
	ch.text[CT_AZ] = rc_field(rc, c[A_AZ]);
	ch.text[CT_RESOURCE_ID] = rc_field(rc, c[A_RESOURCE]);
	ch.text[CT_RESOURCE_TYPE] = rc_field(rc, c[A_RESOURCE_TYPE]);
	if (str_null(ch.text[CT_RESOURCE_TYPE]))
		ch.text[CT_RESOURCE_TYPE] = resource_type(ch.text[CT_RESOURCE_ID]);
	ch.text[CT_SKU_ID] = rc_field(rc, c[A_PRODUCT_ID]);
	if (str_null(ch.text[CT_SKU_ID]))
		ch.text[CT_SKU_ID] = rc_field(rc, c[A_PART]);
	if (str_null(ch.text[CT_SKU_ID]))
		ch.text[CT_SKU_ID] = rc_field(rc, c[A_METER_ID]);

	block = uom_block(rc_field(rc, c[A_UOM]), st->unit, sizeof st->unit);
	if (present) {
		ch.pricing_qty = qty;
		ch.has_pricing_qty = 1;
		if (is_usage) {
			ch.consumed_qty = qty * block;
			ch.has_consumed_qty = 1;
		}
	}
	if (c[A_UOM] >= 0 && st->unit[0]) {
		ch.text[CT_PRICING_UNIT] = str_c(st->unit);
		if (is_usage)
			ch.text[CT_CONSUMED_UNIT] = ch.text[CT_PRICING_UNIT];
	}
	if (rc_money_list(rc, c[A_PAYG_COST], &ch.list, &ch.has_list, err) != 0)
		return -1;
	ch.text[CT_TAGS] = tags_json(st, rc, c[A_TAGS]);
	{
		/* the JSON instance_type reads: a repeated ServiceType is
		 * refused, not read as its first value */
		struct str info = rc_field(rc, c[A_ADDINFO]);
		if (!str_null(info) && info.len <= 65536 && contains_ci(info, "ServiceType") &&
		    rc_json_field(rc, c[A_ADDINFO], err) != 0)
			return -1;
		ch.text[CT_X_INSTANCE_TYPE] = instance_type(st, info);
	}
	ch.text[CT_X_USAGE_TYPE] = rc_field(rc, c[A_METER_NAME]);
	ch.text[CT_X_LINE_ITEM_TYPE] = ct;
	return rc_emit_charge(rc, &ch, err);
}

const struct importer importer_azure = {
	.name = "azure",
	.description = "Azure cost details (EA, MCA, legacy pay-as-you-go), actual or amortized",
	.needs = "CostInBillingCurrency (or Cost, PreTaxCost), Date (MM/dd/yyyy or ISO), "
		 "BillingCurrencyCode (or BillingCurrency), BillingAccountId or billingProfileId; "
		 "ChargeType, PricingModel, BillingPeriodStartDate/EndDate expected",
	.kind = KIND_CHARGES,
	.detect = azure_detect,
	.open = azure_open,
	.row = azure_row,
	.close = azure_close,
	.restates = RESTATES_PERIOD_WINDOW,
};
