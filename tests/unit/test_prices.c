/*
 * test_prices.c - the price-list parsers (importers/prices.h) with a sink
 * that collects what they emit: the AWS offer-term join, Location ->
 * region, the platform names and filters, Azure's whole-term reservation
 * prices and savings plans, GCP units + nanos and machine-type shapes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/csvreader.h"
#include "importers/prices.h"
#include "importers/spillmap.h"

#define MAXR 64

struct got {
	struct price_sink sink;		/* first */
	int n, nwarn;
	struct {
		char region[64], type[64], platform[96], term[8], payment[24], oclass[16], currency[8];
		int kind;
		int64_t upfront, hourly;
		double vcpu, mem, nsf;
	} r[MAXR];
	char offer[64], publication[40];
	char lastwarn[256];
};

static int
got_emit(struct price_sink *s, const struct price_row *r, struct ic_error *err)
{
	struct got *g = (struct got *)s;

	(void)err;
	ck_assert_int_lt(g->n, MAXR);
	snprintf(g->r[g->n].region, sizeof g->r[g->n].region, "%s", r->region);
	snprintf(g->r[g->n].type, sizeof g->r[g->n].type, "%s", r->instance_type);
	snprintf(g->r[g->n].platform, sizeof g->r[g->n].platform, "%s", r->platform);
	snprintf(g->r[g->n].term, sizeof g->r[g->n].term, "%s", r->term);
	snprintf(g->r[g->n].payment, sizeof g->r[g->n].payment, "%s", r->payment);
	snprintf(g->r[g->n].oclass, sizeof g->r[g->n].oclass, "%s", r->offering_class);
	snprintf(g->r[g->n].currency, sizeof g->r[g->n].currency, "%s", r->currency);
	g->r[g->n].kind = r->kind;
	g->r[g->n].upfront = r->upfront;
	g->r[g->n].hourly = r->hourly;
	g->r[g->n].vcpu = r->vcpu;
	g->r[g->n].mem = r->memory_gib;
	g->r[g->n].nsf = r->size_factor;
	g->n++;
	return 0;
}

static void
got_meta(struct price_sink *s, const char *offer, const char *pub)
{
	struct got *g = (struct got *)s;
	snprintf(g->offer, sizeof g->offer, "%s", offer);
	snprintf(g->publication, sizeof g->publication, "%s", pub);
}

static void
got_warn(struct price_sink *s, long line, long col, const char *msg)
{
	struct got *g = (struct got *)s;
	(void)line;
	(void)col;
	g->nwarn++;
	snprintf(g->lastwarn, sizeof g->lastwarn, "%s", msg);
}

static void
got_init(struct got *g)
{
	memset(g, 0, sizeof *g);
	g->sink.name = "test.csv";
	g->sink.emit = got_emit;
	g->sink.meta = got_meta;
	g->sink.warn = got_warn;
}

/* Split one CSV line (no quotes inside fields, quotes around allowed) and
 * feed it to the parser as record `line`. */
static int
feed(const struct price_format *f, void *st, const char *text, long line, struct ic_error *err)
{
	static char buf[4096];
	struct csv_field fields[128];
	struct csv_record rec;
	int n = 0;
	char *p = buf;

	snprintf(buf, sizeof buf, "%s", text);
	for (;;) {
		char *start = p, *end;
		if (*p == '"') {
			start = ++p;
			end = strchr(p, '"');
			*end = '\0';
			p = end + 1;
		} else {
			end = strchr(p, ',');
			if (end == NULL)
				end = p + strlen(p);
			p = end;
		}
		fields[n].s = start;
		fields[n].len = strlen(start);
		n++;
		if (*p != ',')
			break;
		*p++ = '\0';
	}
	rec.f = fields;
	rec.n = n;
	rec.line = line;
	rec.last = 0;
	return f->csv_record(st, &rec, err);
}

static const char *const offer_head[] = {
	"\"FormatVersion\",\"v1.0\"",
	"\"Disclaimer\",\"test\"",
	"\"Publication Date\",\"2025-09-12T22:53:08Z\"",
	"\"Version\",\"20250912225308\"",
	"\"OfferCode\",\"AmazonEC2\"",
	"\"SKU\",\"OfferTermCode\",\"TermType\",\"Unit\",\"PricePerUnit\",\"Currency\",\"LeaseContractLength\","
	"\"PurchaseOption\",\"OfferingClass\",\"Product Family\",\"Location\",\"Instance Type\",\"vCPU\","
	"\"Memory\",\"Tenancy\",\"Operating System\",\"License Model\",\"CapacityStatus\",\"Pre Installed S/W\","
	"\"Normalization Size Factor\",\"Region Code\"",
};

#define ROW(sku, code, tt, unit, price, lease, po, oc, loc, type, ten, os, lic, cap, sw, rcode) \
	"\"" sku "\",\"" code "\",\"" tt "\",\"" unit "\",\"" price "\",\"USD\",\"" lease "\",\"" po \
	"\",\"" oc "\",\"Compute Instance\",\"" loc "\",\"" type "\",\"2\",\"8 GiB\",\"" ten "\",\"" \
	os "\",\"" lic "\",\"" cap "\",\"" sw "\",\"4\",\"" rcode "\""

static void *
offer_open(struct got *g, struct ic_error *err)
{
	void *st = price_aws_csv.open(&g->sink, err);

	ck_assert_ptr_nonnull(st);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(feed(&price_aws_csv, st, offer_head[i], i + 1, err), 0);
	return st;
}

START_TEST(test_offer_term_join)
{
	struct got g;
	struct ic_error err = { 0 };
	void *st;

	got_init(&g);
	st = offer_open(&g, &err);
	ck_assert_str_eq(g.offer, "AmazonEC2");
	ck_assert_str_eq(g.publication, "2025-09-12T22:53:08Z");
	/* Partial Upfront: hourly row first, then the fee; a No Upfront term
	 * of another SKU in between must not disturb the join */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T1", "Reserved", "Hrs", "0.0290000000", "1yr",
		"Partial Upfront", "standard", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 7, &err), 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S2", "T9", "Reserved", "Hrs", "0.0600000000", "1yr",
		"No Upfront", "standard", "US East (N. Virginia)", "m5.xlarge", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 8, &err), 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T1", "Reserved", "Quantity", "252", "1yr",
		"Partial Upfront", "standard", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 9, &err), 0);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.r[1].type, "m5.large");
	ck_assert_int_eq(g.r[1].kind, PK_RESERVED);
	ck_assert_str_eq(g.r[1].term, "1y");
	ck_assert_str_eq(g.r[1].payment, "partial_upfront");
	ck_assert_str_eq(g.r[1].oclass, "standard");
	ck_assert_int_eq(g.r[1].upfront, 252000000000LL);
	ck_assert_int_eq(g.r[1].hourly, 29000000LL);
	/* Location mapped when Region Code is empty */
	ck_assert_str_eq(g.r[1].region, "us-east-1");
	ck_assert(g.r[1].vcpu == 2 && g.r[1].mem == 8 && g.r[1].nsf == 4);
	/* All Upfront: fee first, then the 0 hourly row */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T2", "Reserved", "Quantity", "949", "3yr",
		"All Upfront", "convertible", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 10, &err), 0);
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T2", "Reserved", "Hrs", "0.0000000000", "3yr",
		"All Upfront", "convertible", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 11, &err), 0);
	ck_assert_int_eq(g.n, 3);
	ck_assert_int_eq(g.r[2].upfront, 949000000000LL);
	ck_assert_int_eq(g.r[2].hourly, 0);
	ck_assert_str_eq(g.r[2].oclass, "convertible");
	/* a second fee for the same term is an error naming the line */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T3", "Reserved", "Quantity", "1", "3yr",
		"Partial Upfront", "standard", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 12, &err), 0);
	ck_assert_int_ne(feed(&price_aws_csv, st, ROW("S1", "T3", "Reserved", "Quantity", "2", "3yr",
		"Partial Upfront", "standard", "US East (N. Virginia)", "m5.large", "Shared", "Linux",
		"No License required", "Used", "NA", ""), 13, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.csv:13:5:"));
	ck_assert_ptr_nonnull(strstr(err.msg, "line 12"));
	price_aws_csv.close(st);
}
END_TEST

START_TEST(test_offer_unfinished_term)
{
	struct got g;
	struct ic_error err = { 0 };
	void *st;

	got_init(&g);
	st = offer_open(&g, &err);
	/* a Partial Upfront fee whose hourly row never comes: counted, not kept */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("S1", "T1", "Reserved", "Quantity", "252", "1yr",
		"Partial Upfront", "standard", "", "m5.large", "Shared", "Linux", "No License required",
		"Used", "NA", "us-east-1"), 7, &err), 0);
	ck_assert_int_eq(price_aws_csv.finish(st, &err), 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(g.nwarn, 1);
	ck_assert_ptr_nonnull(strstr(g.lastwarn, "missing"));
	price_aws_csv.close(st);
}
END_TEST

START_TEST(test_platform_filters)
{
	struct got g;
	struct ic_error err = { 0 };
	void *st;
	char b[96];

	got_init(&g);
	st = offer_open(&g, &err);
	/* the plain price: Linux, Shared, Used, NA */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("A", "JRTCKXETXF", "OnDemand", "Hrs", "0.0960000000",
		"", "", "", "EU (Ireland)", "m6i.large", "Shared", "Linux", "No License required", "Used",
		"NA", "eu-west-1"), 7, &err), 0);
	/* capacity reservation rows and host tenancy: not prices of instances */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("B", "JRTCKXETXF", "OnDemand", "Hrs", "0.0960000000",
		"", "", "", "EU (Ireland)", "m6i.large", "Shared", "Linux", "No License required",
		"UnusedCapacityReservation", "NA", "eu-west-1"), 8, &err), 0);
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("C", "JRTCKXETXF", "OnDemand", "Hrs", "0.0000000000",
		"", "", "", "EU (Ireland)", "m6i.large", "Host", "Linux", "No License required", "Used",
		"NA", "eu-west-1"), 9, &err), 0);
	/* other platforms kept under their own names */
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("D", "JRTCKXETXF", "OnDemand", "Hrs", "0.2773000000",
		"", "", "", "Asia Pacific (Tokyo)", "c6i.large", "Dedicated", "Windows", "No License required",
		"Used", "SQL Web", ""), 10, &err), 0);
	ck_assert_int_eq(feed(&price_aws_csv, st, ROW("E", "JRTCKXETXF", "OnDemand", "Hrs", "0.5",
		"", "", "", "EU (Frankfurt)", "r7i.2xlarge", "Shared", "Windows", "Bring your own license",
		"Used", "NA", ""), 11, &err), 0);
	ck_assert_int_eq(g.n, 3);
	ck_assert_str_eq(g.r[0].platform, "Linux");
	ck_assert_int_eq(g.r[0].hourly, 96000000);
	ck_assert_str_eq(g.r[1].platform, "Windows with SQL Web (Dedicated)");
	ck_assert_str_eq(g.r[1].region, "ap-northeast-1");
	ck_assert_str_eq(g.r[2].platform, "Windows BYOL");
	ck_assert_str_eq(g.r[2].region, "eu-central-1");
	ck_assert_int_eq(g.nwarn, 2);
	/* the savings-plans naming agrees with the offer file's */
	ck_assert_str_eq(aws_platform_op("BoxUsage:m5.large", "RunInstances", b, sizeof b), "Linux");
	ck_assert_str_eq(aws_platform_op("APE2-DedicatedUsage:r7g.medium", "RunInstances:0010", b, sizeof b),
			 "RHEL (Dedicated)");
	ck_assert_str_eq(aws_platform_op("EU-BoxUsage:c6i.large", "RunInstances:0202", b, sizeof b),
			 "Windows with SQL Web");
	ck_assert_str_eq(aws_platform("Red Hat Enterprise Linux with HA", "NA", "No License required",
				      "Shared", b, sizeof b), "RHEL with HA");
	ck_assert_ptr_null(aws_platform_op("APE2-UnusedBox:r7g.large", "RunInstances", b, sizeof b));
	ck_assert_ptr_null(aws_platform_op("HostBoxUsage:m5.large", "RunInstances", b, sizeof b));
	price_aws_csv.close(st);
}
END_TEST

START_TEST(test_location_map)
{
	char b[96];

	ck_assert_str_eq(aws_location_region("US East (N. Virginia)"), "us-east-1");
	ck_assert_str_eq(aws_location_region("EU (Ireland)"), "eu-west-1");
	ck_assert_str_eq(aws_location_region("Europe (Ireland)"), "eu-west-1");
	ck_assert_str_eq(aws_location_region("Asia Pacific (Tokyo)"), "ap-northeast-1");
	ck_assert_str_eq(aws_location_region("AWS GovCloud (US-West)"), "us-gov-west-1");
	ck_assert_str_eq(aws_location_region("Asia Pacific (Taipei)"), "ap-east-2");
	ck_assert_ptr_null(aws_location_region("US East (New York City)"));
	ck_assert_ptr_null(aws_location_region(NULL));
	ck_assert_str_eq(aws_term("1yr", NULL), "1y");
	ck_assert_str_eq(aws_term("3", "year"), "3y");
	ck_assert_ptr_null(aws_term("2yr", NULL));
	ck_assert_str_eq(aws_payment("All Upfront"), "all_upfront");
	/* ASCII case folds, nothing else does (price-aws.c's ieq/iprefix) */
	ck_assert_str_eq(aws_payment("pARTIAL uPFRONT"), "partial_upfront");
	ck_assert_ptr_null(aws_payment("No\x00Upfront"));
	ck_assert_ptr_null(aws_payment("No Upfron"));
	ck_assert_ptr_null(aws_payment("No Upfronts"));
	ck_assert_ptr_null(aws_payment("No\x01Upfront"));
	ck_assert_ptr_null(aws_payment("No Upfront\x20"));
	ck_assert_ptr_null(aws_payment("No@Upfront"));
	ck_assert_ptr_null(aws_payment("No`Upfront"));
	ck_assert_ptr_null(aws_payment("No\xc3\xa9Upfront"));
	ck_assert_str_eq(aws_term("1 YEAR", NULL), "1y");
	ck_assert_str_eq(aws_term("3", "Years"), "3y");
	ck_assert_ptr_null(aws_term("3", "yea"));
	ck_assert_ptr_null(aws_term("1yrs", NULL));
	ck_assert_str_eq(aws_platform("windows", "sql ent", "bring your own license", "dedicated", b, sizeof b),
			 "windows with SQL ent BYOL (dedicated)");
	ck_assert_str_eq(aws_platform("Linux", "SQLX", "No License required", "shared", b, sizeof b),
			 "Linux with SQL SQLX");
}
END_TEST

static void
json_doc(const struct price_format *f, struct got *g, const char *text)
{
	struct ic_error err = { 0 };
	cJSON *v = cJSON_Parse(text);
	void *st;

	ck_assert_ptr_nonnull(v);
	st = f->open(&g->sink, &err);
	ck_assert_int_eq(f->json_doc(st, v, &err), 0);
	ck_assert_int_eq(f->finish(st, &err), 0);
	f->close(st);
	cJSON_Delete(v);
}

START_TEST(test_azure_whole_term)
{
	struct got g;
	static const char doc[] =
		"{\"BillingCurrency\":\"USD\",\"Items\":["
		"{\"currencyCode\":\"USD\",\"retailPrice\":0.0804,\"armRegionName\":\"eastus\","
		"\"serviceName\":\"Virtual Machines\",\"armSkuName\":\"Standard_D2als_v7\",\"type\":\"Consumption\","
		"\"productName\":\"Virtual Machines Dalsv7 Series\",\"meterName\":\"D2als v7\",\"skuName\":\"D2als v7\","
		"\"unitOfMeasure\":\"1 Hour\",\"savingsPlan\":[{\"retailPrice\":0.035376,\"term\":\"3 Years\"},"
		"{\"retailPrice\":0.053868,\"term\":\"1 Year\"}]},"
		"{\"currencyCode\":\"USD\",\"retailPrice\":416.0,\"armRegionName\":\"eastus\",\"reservationTerm\":\"1 Year\","
		"\"serviceName\":\"Virtual Machines\",\"armSkuName\":\"Standard_D2als_v7\",\"type\":\"Reservation\","
		"\"productName\":\"Virtual Machines Dalsv7 Series\",\"meterName\":\"D2als v7\",\"unitOfMeasure\":\"1 Hour\"},"
		"{\"currencyCode\":\"USD\",\"retailPrice\":0.015598,\"armRegionName\":\"eastus\",\"serviceName\":\"Virtual Machines\","
		"\"armSkuName\":\"Standard_D2als_v7\",\"type\":\"Consumption\",\"productName\":\"Virtual Machines Dalsv7 Series\","
		"\"meterName\":\"D2als v7 Spot\",\"unitOfMeasure\":\"1 Hour\"},"
		"{\"currencyCode\":\"USD\",\"retailPrice\":0.172,\"armRegionName\":\"eastus\",\"serviceName\":\"Virtual Machines\","
		"\"armSkuName\":\"Standard_D2als_v7\",\"type\":\"Consumption\",\"productName\":\"Virtual Machines Dalsv7 Series Windows\","
		"\"meterName\":\"D2als v7\",\"unitOfMeasure\":\"1 Hour\"}]}";

	got_init(&g);
	json_doc(&price_azure_json, &g, doc);
	ck_assert_int_eq(g.n, 5);
	ck_assert_int_eq(g.r[0].kind, PK_ON_DEMAND);
	ck_assert_int_eq(g.r[0].hourly, 80400000);
	ck_assert_int_eq(g.r[1].kind, PK_COMPUTE_SAVINGS_PLAN);
	ck_assert_str_eq(g.r[1].term, "3y");
	ck_assert_int_eq(g.r[1].hourly, 35376000);
	ck_assert_str_eq(g.r[2].term, "1y");
	ck_assert_int_eq(g.r[2].hourly, 53868000);
	/* the reservation's price is for the whole year: upfront, not hourly */
	ck_assert_int_eq(g.r[3].kind, PK_RESERVED);
	ck_assert_int_eq(g.r[3].upfront, 416000000000LL);
	ck_assert_int_eq(g.r[3].hourly, 0);
	ck_assert_str_eq(g.r[4].platform, "Windows");
	ck_assert_int_eq(g.r[4].hourly, 172000000);
	ck_assert_int_eq(g.nwarn, 1);	/* the Spot meter */
}
END_TEST

START_TEST(test_gcp_money_and_shapes)
{
	struct got g;
	int64_t v;
	cJSON *u = cJSON_CreateString("508"), *n = cJSON_CreateNumber(934997455);
	cJSON *neg = cJSON_CreateNumber(-5), *bad = cJSON_CreateString("1.5");
	double vc, gib;
	char s[16];
	static const char doc[] =
		"{\"skus\":["
		"{\"description\":\"N2 Instance Core running in Americas\",\"category\":{\"resourceFamily\":\"Compute\","
		"\"resourceGroup\":\"CPU\",\"usageType\":\"OnDemand\"},\"serviceRegions\":[\"us-central1\"],"
		"\"pricingInfo\":[{\"pricingExpression\":{\"usageUnit\":\"h\",\"tieredRates\":[{\"startUsageAmount\":0,"
		"\"unitPrice\":{\"currencyCode\":\"USD\",\"units\":\"0\",\"nanos\":31611000}}]}}]},"
		"{\"description\":\"N2 Instance Ram running in Americas\",\"category\":{\"resourceFamily\":\"Compute\","
		"\"resourceGroup\":\"RAM\",\"usageType\":\"OnDemand\"},\"serviceRegions\":[\"us-central1\"],"
		"\"pricingInfo\":[{\"pricingExpression\":{\"usageUnit\":\"GiBy.h\",\"tieredRates\":[{\"startUsageAmount\":0,"
		"\"unitPrice\":{\"currencyCode\":\"USD\",\"units\":\"0\",\"nanos\":4237000}}]}}]},"
		"{\"description\":\"Commitment v1: N2 Cpu in Americas for 1 Year\",\"category\":{\"resourceFamily\":\"Compute\","
		"\"resourceGroup\":\"CPU\",\"usageType\":\"Commit1Yr\"},\"serviceRegions\":[\"us-central1\"],"
		"\"pricingInfo\":[{\"pricingExpression\":{\"usageUnit\":\"h\",\"tieredRates\":[{\"startUsageAmount\":0,"
		"\"unitPrice\":{\"currencyCode\":\"USD\",\"units\":\"0\",\"nanos\":19915000}}]}}]}"
		"]}";

	ck_assert_int_eq(gcp_money(u, n, &v), 0);
	ck_assert_int_eq(v, 508934997455LL);
	ck_assert_int_ne(gcp_money(u, neg, &v), 0);	/* signs differ */
	ck_assert_int_ne(gcp_money(bad, n, &v), 0);
	cJSON_Delete(u);
	cJSON_Delete(n);
	cJSON_Delete(neg);
	cJSON_Delete(bad);
	ck_assert_int_eq(gcp_shape("n2-standard-4", &vc, &gib), 1);
	ck_assert(vc == 4 && gib == 16);
	ck_assert_int_eq(gcp_shape("n1-standard-1", &vc, &gib), 1);
	ck_assert(vc == 1 && gib == 3.75);
	ck_assert_int_eq(gcp_shape("n2-standard-5", &vc, &gib), 0);
	ck_assert_int_eq(gcp_shape("n2-standard-04", &vc, &gib), 0);
	ck_assert_str_eq(gcp_series("n2d-highmem-8", s, sizeof s), "N2D");
	{
		int ram = -1;
		char t[48];
		ck_assert_int_eq(gcp_sku_part("N2 Instance Core running in Americas", s, sizeof s, &ram), 1);
		ck_assert_str_eq(s, "n2");
		ck_assert_int_eq(ram, 0);
		ck_assert_int_eq(gcp_sku_part("N1 Predefined Instance Ram running in Iowa", s, sizeof s, &ram), 1);
		ck_assert_str_eq(s, "n1");
		ck_assert_int_eq(ram, 1);
		ck_assert_int_eq(gcp_sku_part("T2D AMD Instance Core running in Singapore", s, sizeof s, &ram), 1);
		ck_assert_str_eq(s, "t2d");
		ck_assert_int_eq(gcp_sku_part("N2 Custom Instance Core running in Americas", s, sizeof s, &ram), 0);
		ck_assert_int_eq(gcp_sku_part("Spot Preemptible N2 Instance Core running in Americas", s, sizeof s, &ram), 0);
		ck_assert_str_eq(gcp_unit_type("N2D", 1, t, sizeof t), "n2d:gib-hour");
	}
	/* 3.75 GiB x 4237000: 15888750 exactly; 0.9 x 3 GiB rounds half up */
	ck_assert_int_eq(gcp_compose(1, 375, 31611000, 4237000), 31611000 + 15888750);
	ck_assert_int_eq(gcp_compose(0, 50, 0, 3), 2);

	got_init(&g);
	json_doc(&price_gcp_json, &g, doc);
	/* N2: 10 standard + 10 highmem + 9 highcpu shapes, on demand only (the
	 * commitment has no RAM SKU in this file: counted, not composed), and
	 * the per-unit rows: core and RAM on demand, the 1-year core */
	ck_assert_int_eq(g.n, 32);
	for (int i = 0, units = 0; i < g.n; i++) {
		if (strcmp(g.r[i].type, "n2:vcpu-hour") == 0 && g.r[i].kind == PK_ON_DEMAND) {
			ck_assert_int_eq(g.r[i].hourly, 31611000LL);
			units++;
		}
		if (strcmp(g.r[i].type, "n2:gib-hour") == 0) {
			ck_assert_int_eq(g.r[i].hourly, 4237000LL);
			units++;
		}
		if (strcmp(g.r[i].type, "n2:vcpu-hour") == 0 && g.r[i].kind == PK_RESERVED)
			units++;
		if (i == g.n - 1)
			ck_assert_int_eq(units, 3);
	}
	for (int i = 0; i < g.n; i++)
		if (strcmp(g.r[i].type, "n2-standard-4") == 0) {
			ck_assert_int_eq(g.r[i].kind, PK_ON_DEMAND);
			ck_assert_int_eq(g.r[i].hourly, 4 * 31611000LL + 16 * 4237000LL);
			ck_assert_str_eq(g.r[i].region, "us-central1");
		}
	ck_assert_ptr_nonnull(strstr(g.lastwarn, "missing"));
}
END_TEST

/* spillmap: the same answers in memory, on disk from the first entry, and
 * moved to disk part way (a limit of 4 KiB: the move happens within the
 * first hundred entries); a key given twice keeps its first value */
static void
spill_check(size_t limit, int spilled_after)
{
	struct ic_error err = { 0 };
	struct spillmap *m = spillmap_new(limit);
	const void *v;
	size_t n;
	char key[32], val[64];

	ck_assert_ptr_nonnull(m);
	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "SKU%07d", i * 7919 % 100003);
		snprintf(val, sizeof val, "v%d%c%d", i, '\0', i * 3);
		ck_assert_int_eq(spillmap_put(m, key, val, strlen(val) + 1 + strlen(val + strlen(val) + 1),
					      NULL, NULL, &err), 1);
	}
	ck_assert_uint_eq(spillmap_count(m), 2000);
	ck_assert_int_eq(spillmap_spilled(m), spilled_after);
	for (int i = 0; i < 2000; i++) {
		char want[64];
		size_t wl;
		snprintf(key, sizeof key, "SKU%07d", i * 7919 % 100003);
		wl = (size_t)snprintf(want, sizeof want, "v%d", i) + 1;
		wl += (size_t)snprintf(want + wl, sizeof want - wl, "%d", i * 3);
		ck_assert_int_eq(spillmap_get(m, key, &v, &n, &err), 1);
		ck_assert_uint_eq(n, wl);
		ck_assert(memcmp(v, want, wl) == 0);
	}
	ck_assert_int_eq(spillmap_get(m, "SKU-none", &v, &n, &err), 0);
	snprintf(key, sizeof key, "SKU%07d", 5 * 7919 % 100003);
	ck_assert_int_eq(spillmap_put(m, key, "other", 5, &v, &n, &err), 0);
	ck_assert_uint_eq(n, 5);	/* "v5", NUL, "15" */
	ck_assert(memcmp(v, "v5\0" "15", 5) == 0);
	ck_assert_uint_eq(spillmap_count(m), 2000);
	spillmap_clear(m);
	ck_assert_uint_eq(spillmap_count(m), 0);
	ck_assert_int_eq(spillmap_get(m, key, &v, &n, &err), 0);
	ck_assert_int_eq(spillmap_put(m, key, "x", 1, NULL, NULL, &err), 1);
	ck_assert_int_eq(spillmap_get(m, key, &v, &n, &err), 1);
	ck_assert_uint_eq(n, 1);
	spillmap_free(m);
}

START_TEST(test_spillmap)
{
	spill_check((size_t)1 << 30, 0);
	spill_check(0, 1);
	spill_check(4096, 1);
}
END_TEST

START_TEST(test_offer_memory_env)
{
	setenv("IMCOST_OFFER_MEMORY_MB", "0", 1);
	ck_assert_uint_eq(offer_memory_limit(), 0);
	setenv("IMCOST_OFFER_MEMORY_MB", "3", 1);
	ck_assert_uint_eq(offer_memory_limit(), (size_t)3 << 20);
	setenv("IMCOST_OFFER_MEMORY_MB", "3x", 1);
	ck_assert_uint_eq(offer_memory_limit(), (size_t)OFFER_MEMORY_MB << 20);
	setenv("IMCOST_OFFER_MEMORY_MB", "-1", 1);
	ck_assert_uint_eq(offer_memory_limit(), (size_t)OFFER_MEMORY_MB << 20);
	unsetenv("IMCOST_OFFER_MEMORY_MB");
	ck_assert_uint_eq(offer_memory_limit(), (size_t)OFFER_MEMORY_MB << 20);
}
END_TEST

Suite *prices_suite(void);

Suite *
prices_suite(void)
{
	Suite *s = suite_create("prices");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_offer_term_join);
	tcase_add_test(tc, test_offer_unfinished_term);
	tcase_add_test(tc, test_platform_filters);
	tcase_add_test(tc, test_location_map);
	tcase_add_test(tc, test_azure_whole_term);
	tcase_add_test(tc, test_gcp_money_and_shapes);
	tcase_add_test(tc, test_spillmap);
	tcase_add_test(tc, test_offer_memory_env);
	suite_add_tcase(s, tc);
	return s;
}
