/*
 * price-gcp.c - GCP Cloud Billing Catalog SKUs (services.skus.list of
 * Compute Engine, JSON {skus[], nextPageToken}), composed into machine-type
 * prices.
 *
 * GCP prices a vCPU-hour and a GiB-hour per machine series, region and
 * usage type: "<SERIES> Instance Core running in <place>" (usageUnit h)
 * and "<SERIES> Instance Ram running in <place>" (GiBy.h), "N1 Predefined
 * Instance Core ...", "Compute optimized Core/Ram ..." (C2), and the
 * committed-use SKUs "Commitment v1: [<SERIES> ]Cpu|Ram in <place> for 1
 * Year|3 Years" (usageType Commit1Yr/Commit3Yr; no series = N1).  A
 * machine type's price = vCPUs x core price + GiB x RAM price, for the
 * shapes of the predefined machine types below (vCPU counts and GiB per
 * vCPU as listed on cloud.google.com/compute/docs/general-purpose-machines
 * and .../compute-optimized-machines, 2025).  Money: units (string or
 * number) + nanos; a composed price is rounded half away from zero to the
 * nano.  Core and RAM of a series must be in the same file (import the
 * whole Compute Engine list, or pages merged with jq '{skus: [.[].skus[]]}'),
 * else the series is reported and not composed.  Spot (Preemptible), GPU,
 * custom, sole-tenant and other SKUs are counted and not used.
 *
 * Each series' core and RAM prices are also emitted as they are, per unit
 * (GCP_UNIT_TYPES in prices.h: "n2:vcpu-hour", "n2:gib-hour"; the
 * commitment SKUs as 1y/3y no-upfront reserved rows), for the commitment
 * advice, which GCP sells per vCPU and GiB of a series, not per machine.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "importers/prices.h"

/* ---- shapes ---- */

struct gshape {
	const char *series;		/* lower case: "n2" */
	const char *kind;		/* standard, highmem, highcpu */
	int gib100_per_vcpu;		/* GiB per vCPU x 100 */
	int vcpus[12];			/* 0-terminated */
};

static const struct gshape gshapes[] = {
	{ "e2", "standard", 400, { 2, 4, 8, 16, 32 } },
	{ "e2", "highmem", 800, { 2, 4, 8, 16 } },
	{ "e2", "highcpu", 100, { 2, 4, 8, 16, 32 } },
	{ "n1", "standard", 375, { 1, 2, 4, 8, 16, 32, 64, 96 } },
	{ "n1", "highmem", 650, { 2, 4, 8, 16, 32, 64, 96 } },
	{ "n1", "highcpu", 90, { 2, 4, 8, 16, 32, 64, 96 } },
	{ "n2", "standard", 400, { 2, 4, 8, 16, 32, 48, 64, 80, 96, 128 } },
	{ "n2", "highmem", 800, { 2, 4, 8, 16, 32, 48, 64, 80, 96, 128 } },
	{ "n2", "highcpu", 100, { 2, 4, 8, 16, 32, 48, 64, 80, 96 } },
	{ "n2d", "standard", 400, { 2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224 } },
	{ "n2d", "highmem", 800, { 2, 4, 8, 16, 32, 48, 64, 80, 96 } },
	{ "n2d", "highcpu", 100, { 2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224 } },
	{ "n4", "standard", 400, { 2, 4, 8, 16, 32, 48, 64, 80 } },
	{ "n4", "highmem", 800, { 2, 4, 8, 16, 32, 48, 64, 80 } },
	{ "n4", "highcpu", 200, { 2, 4, 8, 16, 32, 48, 64, 80 } },
	{ "t2d", "standard", 400, { 1, 2, 4, 8, 16, 32, 48, 60 } },
	{ "c2", "standard", 400, { 4, 8, 16, 30, 60 } },
	{ "c2d", "standard", 400, { 2, 4, 8, 16, 32, 56, 112 } },
	{ "c2d", "highmem", 800, { 2, 4, 8, 16, 32, 56, 112 } },
	{ "c2d", "highcpu", 200, { 2, 4, 8, 16, 32, 56, 112 } },
	{ "c3", "standard", 400, { 4, 8, 22, 44, 88, 176 } },
	{ "c3", "highmem", 800, { 4, 8, 22, 44, 88, 176 } },
	{ "c3", "highcpu", 200, { 4, 8, 22, 44, 88, 176 } },
};

char *
gcp_series(const char *mt, char *buf, size_t n)
{
	const char *dash = strchr(mt ? mt : "", '-');
	size_t l = dash ? (size_t)(dash - mt) : 0;

	if (l == 0 || l + 1 > n)
		return NULL;
	for (size_t i = 0; i < l; i++)
		buf[i] = (char)toupper((unsigned char)mt[i]);
	buf[l] = '\0';
	return buf;
}

/* vCPUs and GiB x 100 of a predefined machine type */
static int
shape_of(const char *mt, int *vcpu, int *gib100)
{
	char series[16], kind[16];
	int v;

	if (sscanf(mt, "%15[a-z0-9]-%15[a-z]-%d", series, kind, &v) != 3 || v <= 0)
		return 0;
	for (size_t i = 0; i < sizeof gshapes / sizeof gshapes[0]; i++) {
		if (strcmp(gshapes[i].series, series) != 0 || strcmp(gshapes[i].kind, kind) != 0)
			continue;
		for (int k = 0; gshapes[i].vcpus[k]; k++)
			if (gshapes[i].vcpus[k] == v) {
				char check[64];
				snprintf(check, sizeof check, "%s-%s-%d", series, kind, v);
				if (strcmp(check, mt) != 0)
					return 0;
				*vcpu = v;
				*gib100 = v * gshapes[i].gib100_per_vcpu;
				return 1;
			}
	}
	return 0;
}

int
gcp_shape(const char *mt, double *vcpu, double *gib)
{
	int v, g;

	*vcpu = *gib = 0;
	if (mt == NULL || !shape_of(mt, &v, &g))
		return 0;
	*vcpu = v;
	*gib = g / 100.0;
	return 1;
}

/* ---- money ---- */

int
gcp_money(const cJSON *units, const cJSON *nanos, int64_t *out)
{
	int64_t u = 0, n = 0;

	*out = 0;
	if (cJSON_IsString(units)) {
		const char *s = units->valuestring;
		int neg = *s == '-';
		if (neg)
			s++;
		if (*s == '\0')
			return -1;
		for (; *s; s++) {
			if (!isdigit((unsigned char)*s) || u > 9000000000LL)
				return -1;
			u = u * 10 + (*s - '0');
		}
		if (neg)
			u = -u;
	} else if (cJSON_IsNumber(units)) {
		if (!(fabs(units->valuedouble) <= 9e9) || units->valuedouble != floor(units->valuedouble))
			return -1;
		u = (int64_t)units->valuedouble;
	} else if (units != NULL) {
		return -1;
	}
	if (cJSON_IsNumber(nanos)) {
		if (!(fabs(nanos->valuedouble) <= 999999999) || nanos->valuedouble != floor(nanos->valuedouble))
			return -1;
		n = (int64_t)nanos->valuedouble;
	} else if (nanos != NULL) {
		return -1;
	}
	if ((u > 0 && n < 0) || (u < 0 && n > 0))
		return -1;
	*out = u * 1000000000LL + n;
	return 0;
}

/* ---- SKUs ---- */

enum { GU_OD, GU_1Y, GU_3Y, GU_N };

/* core and RAM prices of one series, region, usage type and currency */
struct gpart {
	char series[32], region[40], currency[8];
	int usage;
	int64_t core, ram;
	int has_core, has_ram;
};

struct gstate2 {
	struct price_sink *sink;
	struct gpart *p;
	int n, cap;
	int meta_done;
};

static void *
gcp_open(struct price_sink *s, struct ic_error *err)
{
	return price_state_new(sizeof(struct gstate2), s, err);
}

static const char *
gs(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void
gwarn(struct gstate2 *st, const char *msg)
{
	if (st->sink->warn)
		st->sink->warn(st->sink, 1, 0, msg);
}

/* series and part (0 core, 1 ram) from a description; 0 when not one of
 * the patterns of the top comment */
static int
parse_desc(const char *d, int commit, char *series, size_t n, int *ram)
{
	char a[32], b[32], c[32];

	if (commit) {
		/* Commitment v1: [SERIES ]Cpu|Ram in PLACE for ... */
		if (strncmp(d, "Commitment v", 12) != 0 || (d = strchr(d, ':')) == NULL)
			return 0;
		if (sscanf(d + 1, " %31s %31s %31s", a, b, c) != 3)
			return 0;
		if ((strcmp(a, "Cpu") == 0 || strcmp(a, "Ram") == 0) && strcmp(b, "in") == 0) {
			snprintf(series, n, "N1");
			*ram = strcmp(a, "Ram") == 0;
			return 1;
		}
		if ((strcmp(b, "Cpu") == 0 || strcmp(b, "Ram") == 0) && strcmp(c, "in") == 0) {
			snprintf(series, n, "%s", a);
			*ram = strcmp(b, "Ram") == 0;
			return 1;
		}
		return 0;
	}
	if (strncmp(d, "Compute optimized Core running in ", 34) == 0 ||
	    strncmp(d, "Compute optimized Ram running in ", 33) == 0) {
		snprintf(series, n, "C2");
		*ram = d[18] == 'R';
		return 1;
	}
	/* SERIES [Predefined |AMD ]Instance Core|Ram running in ... */
	if (sscanf(d, "%31s", a) != 1)
		return 0;
	d += strlen(a);
	if (strncmp(d, " Predefined", 11) == 0)
		d += 11;
	else if (strncmp(d, " AMD", 4) == 0)
		d += 4;
	if (strncmp(d, " Instance Core running in ", 26) == 0)
		*ram = 0;
	else if (strncmp(d, " Instance Ram running in ", 25) == 0)
		*ram = 1;
	else
		return 0;
	for (char *p = a; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	snprintf(series, n, "%s", a);
	return 1;
}

static int
gcp_sku(struct gstate2 *st, const cJSON *sku, long idx, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	const cJSON *cat = cJSON_GetObjectItemCaseSensitive(sku, "category");
	const cJSON *regions = cJSON_GetObjectItemCaseSensitive(sku, "serviceRegions"), *rg;
	const cJSON *pi = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sku, "pricingInfo"), 0);
	const cJSON *pe = cJSON_GetObjectItemCaseSensitive(pi, "pricingExpression");
	const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(pe, "tieredRates");
	const cJSON *t0 = cJSON_GetArrayItem(tiers, 0);
	const cJSON *up = cJSON_GetObjectItemCaseSensitive(t0, "unitPrice");
	const char *usage = gs(cat, "usageType"), *unit = gs(pe, "usageUnit");
	char series[32];
	int ram, u;
	int64_t price;

	if (!cJSON_IsObject(sku))
		return ic_error_at(err, st->sink->name, 1, 1, "GCP SKUs: skus[%ld] is not an object", idx);
	if (strcmp(usage, "OnDemand") == 0)
		u = GU_OD;
	else if (strcmp(usage, "Commit1Yr") == 0)
		u = GU_1Y;
	else if (strcmp(usage, "Commit3Yr") == 0)
		u = GU_3Y;
	else {
		gwarn(st, "GCP SKUs: usage types other than OnDemand, Commit1Yr and Commit3Yr (Spot) are not used");
		return 0;
	}
	if (strcmp(gs(cat, "resourceFamily"), "Compute") != 0 ||
	    !parse_desc(gs(sku, "description"), u != GU_OD, series, sizeof series, &ram)) {
		gwarn(st, "GCP SKUs: SKUs other than the vCPU and RAM of a machine series (GPU, custom, sole-tenant, licences) are not used");
		return 0;
	}
	if (strcmp(unit, ram ? "GiBy.h" : "h") != 0) {
		gwarn(st, "GCP SKUs: core or RAM SKUs priced in an unexpected unit are not used");
		return 0;
	}
	if (!cJSON_IsObject(up) || gcp_money(cJSON_GetObjectItemCaseSensitive(up, "units"),
					     cJSON_GetObjectItemCaseSensitive(up, "nanos"), &price) != 0 ||
	    price < 0)
		return ic_error_at(err, st->sink->name, 1, 1,
				   "GCP SKUs: skus[%ld] (%s): tieredRates[0].unitPrice is not {units, nanos} >= 0",
				   idx, ic_quote(gs(sku, "description"), strlen(gs(sku, "description")), 60, qb));
	if (strlen(gs(up, "currencyCode")) != 3)
		return ic_error_at(err, st->sink->name, 1, 1, "GCP SKUs: skus[%ld]: no currencyCode", idx);
	cJSON_ArrayForEach(rg, regions) {
		struct gpart *p = NULL;
		if (!cJSON_IsString(rg) || strlen(rg->valuestring) >= sizeof p->region)
			continue;
		for (int i = 0; i < st->n; i++)
			if (st->p[i].usage == u && strcmp(st->p[i].series, series) == 0 &&
			    strcmp(st->p[i].region, rg->valuestring) == 0 &&
			    strcmp(st->p[i].currency, gs(up, "currencyCode")) == 0)
				p = &st->p[i];
		if (p == NULL) {
			if (st->n == st->cap) {
				int cap = st->cap ? st->cap * 2 : 32;
				struct gpart *np = realloc(st->p, (size_t)cap * sizeof *np);
				if (np == NULL)
					return ic_errorf(err, "out of memory");
				st->p = np;
				st->cap = cap;
			}
			p = &st->p[st->n++];
			memset(p, 0, sizeof *p);
			snprintf(p->series, sizeof p->series, "%s", series);
			snprintf(p->region, sizeof p->region, "%s", rg->valuestring);
			snprintf(p->currency, sizeof p->currency, "%s", gs(up, "currencyCode"));
			p->usage = u;
		}
		if (ram) {
			p->ram = price;
			p->has_ram = 1;
		} else {
			p->core = price;
			p->has_core = 1;
		}
	}
	return 0;
}

static void
gcp_meta(struct gstate2 *st)
{
	if (!st->meta_done && st->sink->meta)
		st->sink->meta(st->sink, "gcp-compute-engine", "");
	st->meta_done = 1;
}

/* skus[idx], read alone from a list too big to parse whole */
static int
gcp_item(void *arg, const cJSON *sku, long idx, struct ic_error *err)
{
	struct gstate2 *st = arg;

	gcp_meta(st);
	return gcp_sku(st, sku, idx, err);
}

static int
gcp_doc(void *arg, const cJSON *v, struct ic_error *err)
{
	struct gstate2 *st = arg;
	const cJSON *skus = cJSON_GetObjectItemCaseSensitive(v, "skus"), *s;
	long i = 0;

	if (!cJSON_IsArray(skus))
		return ic_error_at(err, st->sink->name, 1, 1, "GCP SKUs: no skus array");
	gcp_meta(st);
	cJSON_ArrayForEach(s, skus)
		if (gcp_sku(st, s, i++, err) != 0)
			return -1;
	return 0;
}

int
gcp_sku_part(const char *desc, char *series, size_t n, int *ram)
{
	char buf[32];

	*ram = 0;
	if (desc == NULL || n == 0 || !parse_desc(desc, 0, buf, sizeof buf, ram))
		return 0;
	for (size_t i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	snprintf(series, n, "%s", buf);
	return 1;
}

char *
gcp_unit_type(const char *series, int ram, char *buf, size_t n)
{
	size_t k = 0;

	for (; series[k] && k + 1 < n; k++)
		buf[k] = (char)tolower((unsigned char)series[k]);
	buf[k] = '\0';
	snprintf(buf + k, n - k, "%s", ram ? ":gib-hour" : ":vcpu-hour");
	return buf;
}

/* the per-unit row of one part of a series (GCP_UNIT_TYPES in prices.h) */
static int
emit_unit(struct gstate2 *st, const struct gpart *p, int ram, const char *term,
	  struct ic_error *err)
{
	struct price_row r;
	char type[48];

	memset(&r, 0, sizeof r);
	r.provider = "GCP";
	r.region = p->region;
	r.instance_type = gcp_unit_type(p->series, ram, type, sizeof type);
	r.platform = "Linux";
	r.kind = p->usage == GU_OD ? PK_ON_DEMAND : PK_RESERVED;
	r.term = term;
	r.payment = p->usage == GU_OD ? "" : "no_upfront";
	r.offering_class = "";
	r.currency = p->currency;
	r.hourly = ram ? p->ram : p->core;
	return st->sink->emit(st->sink, &r, err);
}

/* vcpu x core + gib100/100 x ram, rounded half away from zero */
int64_t
gcp_compose(int vcpu, int gib100, int64_t core, int64_t ram)
{
	/* prices are at most 9e9 units (gcp_money): ram * gib100 fits */
	int64_t r = ram * gib100;
	int64_t ramp = r >= 0 ? (r + 50) / 100 : -((-r + 50) / 100);
	return (int64_t)vcpu * core + ramp;
}

static int
gcp_finish(void *arg, struct ic_error *err)
{
	struct gstate2 *st = arg;
	static const char *const terms[GU_N] = { "", "1y", "3y" };

	for (int i = 0; i < st->n; i++) {
		struct gpart *p = &st->p[i];
		char lower[16];
		int any = 0;

		if ((p->has_core && emit_unit(st, p, 0, terms[p->usage], err) != 0) ||
		    (p->has_ram && emit_unit(st, p, 1, terms[p->usage], err) != 0))
			return -1;
		if (!p->has_core || !p->has_ram) {
			gwarn(st, "GCP SKUs: a series with its core or its RAM SKU missing from this file is not composed into machine types");
			continue;
		}
		{
			size_t k = 0;
			for (; k + 1 < sizeof lower && p->series[k]; k++)
				lower[k] = (char)tolower((unsigned char)p->series[k]);
			lower[k] = '\0';
		}
		for (size_t s = 0; s < sizeof gshapes / sizeof gshapes[0]; s++) {
			if (strcmp(gshapes[s].series, lower) != 0)
				continue;
			for (int k = 0; gshapes[s].vcpus[k]; k++) {
				struct price_row r;
				char mt[64];
				int v = gshapes[s].vcpus[k], g = v * gshapes[s].gib100_per_vcpu;

				snprintf(mt, sizeof mt, "%s-%s-%d", lower, gshapes[s].kind, v);
				memset(&r, 0, sizeof r);
				r.provider = "GCP";
				r.region = p->region;
				r.instance_type = mt;
				r.platform = "Linux";
				r.kind = p->usage == GU_OD ? PK_ON_DEMAND : PK_RESERVED;
				r.term = terms[p->usage];
				r.payment = p->usage == GU_OD ? "" : "no_upfront";
				r.offering_class = "";
				r.currency = p->currency;
				r.hourly = gcp_compose(v, g, p->core, p->ram);
				r.vcpu = v;
				r.memory_gib = g / 100.0;
				r.family = lower;
				if (st->sink->emit(st->sink, &r, err) != 0)
					return -1;
				any = 1;
			}
		}
		if (!any)
			gwarn(st, "GCP SKUs: a series without shipped machine-type shapes (e.g. A2, M1) is not composed");
	}
	return 0;
}

static void
gcp_close(void *arg)
{
	struct gstate2 *st = arg;

	if (st == NULL)
		return;
	free(st->p);
	free(st);
}

const struct price_format price_gcp_json = {
	.open = gcp_open, .json_doc = gcp_doc, .finish = gcp_finish, .close = gcp_close,
	.json_items = "skus", .json_item = gcp_item,
};
