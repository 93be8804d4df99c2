/*
 * price-aws.c - AWS Price List files: the bulk offer files (CSV and JSON,
 * AmazonEC2 and any service with instance types, e.g. RDS), GetProducts
 * items, and the Savings Plans files (CSV and JSON).
 *
 * Offer CSV: 5 metadata rows ("Publication Date", "OfferCode", ...) then
 * the header ("SKU","OfferTermCode","RateCode","TermType",...); one row
 * per price dimension of a term.  Kept: TermType OnDemand and Reserved of
 * product family "Compute Instance" (and bare metal, and "Database
 * Instance"), CapacityStatus Used (the others are capacity-reservation
 * accounting rows), MarketOption OnDemand (not Capacity Blocks), tenancy
 * Shared or Dedicated (Host rows are priced per host).  The plain price of
 * AWS's own tools (Linux, No License required, Pre Installed S/W NA,
 * Shared) is platform "Linux"; everything else is kept under its own
 * platform name (aws_platform).  A reserved term's upfront fee (Unit
 * Quantity) and hourly fee (Unit Hrs) are two rows of one SKU and offer
 * term code, joined here: a term is complete when the rows its purchase
 * option needs are in (No Upfront: Hrs; Partial/All Upfront: both).  The
 * rows of a term are adjacent in AWS's files, so few terms wait at once.
 *
 * Savings Plans CSV: 5 metadata rows, header SKU,RateCode,...,
 * DiscountedRate; one row per (plan, discounted usage type, operation).
 * JSON files carry the same attributes (products + terms).  Region: the
 * "Region Code" / regionCode attribute, else the Location name mapped.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/decimal.h"
#include "importers/prices.h"
#include "importers/spillmap.h"

/* ASCII case-insensitive equality of a and the literal b (what
 * strcasecmp does in the C locale, without its call and locale lookup:
 * these run a dozen times a row of an offer file) */
static inline int
ieq(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x == y) {
			if (x == '\0')
				return 1;
		} else if ((x | 0x20) != (y | 0x20) || (unsigned)((y | 0x20) - 'a') > 25) {
			return 0;
		}
	}
}

/* Does a start with the literal b, ignoring ASCII case? */
static inline int
iprefix(const char *a, const char *b)
{
	for (; *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x != y && ((x | 0x20) != (y | 0x20) || (unsigned)((y | 0x20) - 'a') > 25))
			return 0;
	}
	return 1;
}

const char *const price_kind_names[NPRICE_KINDS] = {
	"on_demand", "reserved", "savings_plan", "compute_savings_plan", "subscription"
};

int
price_money(const char *s, size_t len, int64_t *out)
{
	if (money_parse(s, len, out) != NUM_OK || *out < 0) {
		*out = 0;
		return -1;
	}
	return 0;
}

void *
price_state_new(size_t size, struct price_sink *s, struct ic_error *err)
{
	void *st = calloc(1, size);

	if (st == NULL)
		ic_errorf(err, "out of memory");
	else
		*(struct price_sink **)st = s;
	return st;
}

int
price_field_is(const struct csv_field *f, const char *name)
{
	const char *s = f->s;
	size_t n = f->len;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

/* ---- names ---- */

static const struct { const char *loc, *code; } aws_locations[] = {
	{ "US East (N. Virginia)", "us-east-1" }, { "US East (Ohio)", "us-east-2" },
	{ "US West (N. California)", "us-west-1" }, { "US West (Oregon)", "us-west-2" },
	{ "Africa (Cape Town)", "af-south-1" }, { "Asia Pacific (Hong Kong)", "ap-east-1" },
	{ "Asia Pacific (Taipei)", "ap-east-2" },
	{ "Asia Pacific (Hyderabad)", "ap-south-2" }, { "Asia Pacific (Jakarta)", "ap-southeast-3" },
	{ "Asia Pacific (Malaysia)", "ap-southeast-5" }, { "Asia Pacific (Melbourne)", "ap-southeast-4" },
	{ "Asia Pacific (Mumbai)", "ap-south-1" }, { "Asia Pacific (Osaka)", "ap-northeast-3" },
	{ "Asia Pacific (Seoul)", "ap-northeast-2" }, { "Asia Pacific (Singapore)", "ap-southeast-1" },
	{ "Asia Pacific (Sydney)", "ap-southeast-2" }, { "Asia Pacific (Thailand)", "ap-southeast-7" },
	{ "Asia Pacific (New Zealand)", "ap-southeast-6" },
	{ "Asia Pacific (Tokyo)", "ap-northeast-1" }, { "Canada (Central)", "ca-central-1" },
	{ "Canada West (Calgary)", "ca-west-1" }, { "EU (Frankfurt)", "eu-central-1" },
	{ "EU (Zurich)", "eu-central-2" }, { "EU (Ireland)", "eu-west-1" },
	{ "EU (London)", "eu-west-2" }, { "EU (Paris)", "eu-west-3" },
	{ "EU (Milan)", "eu-south-1" }, { "EU (Spain)", "eu-south-2" },
	{ "EU (Stockholm)", "eu-north-1" }, { "Europe (Frankfurt)", "eu-central-1" },
	{ "Europe (Ireland)", "eu-west-1" }, { "Europe (London)", "eu-west-2" },
	{ "Europe (Paris)", "eu-west-3" }, { "Europe (Stockholm)", "eu-north-1" },
	{ "Israel (Tel Aviv)", "il-central-1" }, { "Mexico (Central)", "mx-central-1" },
	{ "Middle East (Bahrain)", "me-south-1" }, { "Middle East (UAE)", "me-central-1" },
	{ "South America (Sao Paulo)", "sa-east-1" },
	{ "AWS GovCloud (US-East)", "us-gov-east-1" }, { "AWS GovCloud (US-West)", "us-gov-west-1" },
	{ "AWS GovCloud (US)", "us-gov-west-1" },
};

const char *
aws_location_region(const char *location)
{
	if (location == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof aws_locations / sizeof aws_locations[0]; i++)
		if (strcasecmp(location, aws_locations[i].loc) == 0)
			return aws_locations[i].code;
	return NULL;
}

static const char *
os_name(const char *os)
{
	if (os == NULL || *os == '\0' || ieq(os, "NA"))
		return "Linux";
	if (ieq(os, "Red Hat Enterprise Linux with HA"))
		return "RHEL with HA";
	if (ieq(os, "Red Hat Enterprise Linux"))
		return "RHEL";
	return os;
}

char *
aws_platform(const char *os, const char *presw, const char *license, const char *tenancy,
	     char *buf, size_t n)
{
	size_t l;

	snprintf(buf, n, "%s", os_name(os));
	l = strlen(buf);
	if (presw && *presw && !ieq(presw, "NA")) {
		const char *sql = presw;
		if (iprefix(sql, "SQL "))
			sql += 4;
		snprintf(buf + l, n - l, " with SQL %s", sql);
		l = strlen(buf);
	}
	if (license && ieq(license, "Bring your own license")) {
		snprintf(buf + l, n - l, " BYOL");
		l = strlen(buf);
	}
	if (tenancy && *tenancy && !ieq(tenancy, "Shared") &&
	    !ieq(tenancy, "NA"))
		snprintf(buf + l, n - l, " (%s)", tenancy);
	return buf;
}

/* operation code -> (os, pre-installed software, license); AWS's
 * "Instance platform" table of usage operations */
static const struct { const char *code, *os, *sw, *lic; } aws_ops[] = {
	{ "", "Linux", NULL, NULL },
	{ "0002", "Windows", NULL, NULL },
	{ "0800", "Windows", NULL, "Bring your own license" },
	{ "0010", "RHEL", NULL, NULL },
	{ "1010", "RHEL with HA", NULL, NULL },
	{ "000g", "SUSE", NULL, NULL },
	{ "0g00", "Ubuntu Pro", NULL, NULL },
	{ "0202", "Windows", "SQL Web", NULL },
	{ "0006", "Windows", "SQL Std", NULL },
	{ "0102", "Windows", "SQL Ent", NULL },
	{ "0200", "Linux", "SQL Web", NULL },
	{ "0004", "Linux", "SQL Std", NULL },
	{ "0100", "Linux", "SQL Ent", NULL },
	{ "0210", "RHEL", "SQL Web", NULL },
	{ "0014", "RHEL", "SQL Std", NULL },
	{ "0110", "RHEL", "SQL Ent", NULL },
	{ "1014", "RHEL with HA", "SQL Std", NULL },
	{ "1110", "RHEL with HA", "SQL Ent", NULL },
};

char *
aws_platform_op(const char *usage_type, const char *op, char *buf, size_t n)
{
	const char *code = "", *tenancy = "Shared", *u = usage_type ? usage_type : "";
	const char *colon = strchr(u, ':');
	size_t ul = colon ? (size_t)(colon - u) : strlen(u);

	/* the part before ':' ends in BoxUsage, DedicatedUsage, ...
	 * (HostBoxUsage: an instance on a dedicated host, priced per host) */
	if (ul >= 12 && strncmp((colon ? colon : u + ul) - 12, "HostBoxUsage", 12) == 0)
		return NULL;
	if (ul >= 8 && strncmp(colon ? colon - 8 : u + ul - 8, "BoxUsage", 8) == 0)
		tenancy = "Shared";
	else if (ul >= 14 && strncmp((colon ? colon : u + ul) - 14, "DedicatedUsage", 14) == 0)
		tenancy = "Dedicated";
	else
		return NULL;
	if (op == NULL || strncmp(op, "RunInstances", 12) != 0)
		return NULL;
	if (op[12] == ':')
		code = op + 13;
	else if (op[12] != '\0')
		return NULL;
	for (size_t i = 0; i < sizeof aws_ops / sizeof aws_ops[0]; i++)
		if (strcmp(code, aws_ops[i].code) == 0)
			return aws_platform(aws_ops[i].os, aws_ops[i].sw, aws_ops[i].lic, tenancy, buf, n);
	snprintf(buf, n, "RunInstances:%s%s", code, strcmp(tenancy, "Shared") ? " (Dedicated)" : "");
	return buf;
}

const char *
aws_term(const char *lease, const char *unit)
{
	int years;

	if (lease == NULL)
		return NULL;
	while (*lease == ' ')
		lease++;
	if (lease[0] < '1' || lease[0] > '9')
		return NULL;
	years = lease[0] - '0';
	if (lease[1] != '\0' && !ieq(lease + 1, "yr") && !ieq(lease + 1, " year") &&
	    !ieq(lease + 1, " years") && !ieq(lease + 1, "y"))
		return NULL;
	if (lease[1] == '\0' && unit && *unit && !iprefix(unit, "year"))
		return NULL;
	return years == 1 ? "1y" : years == 3 ? "3y" : NULL;
}

const char *
aws_payment(const char *p)
{
	if (p == NULL)
		return NULL;
	if (ieq(p, "No Upfront"))
		return "no_upfront";
	if (ieq(p, "Partial Upfront"))
		return "partial_upfront";
	if (ieq(p, "All Upfront"))
		return "all_upfront";
	return NULL;
}

/* ---- one price dimension, from CSV or JSON ---- */

/* The attributes of one row / price dimension, as C strings ("" absent). */
struct aws_item {
	const char *sku, *offer_term, *term_type, *family, *itype, *region_code, *location;
	const char *os, *presw, *license, *tenancy, *capacity, *market, *unit, *price;
	const char *currency, *lease, *purchase, *oclass, *vcpu, *memory, *nsf;
	const char *usage_type, *operation;
	long line;
	long price_col;		/* column of the price, for messages (0: none) */
};

/* a reserved term waiting for its other row */
struct pending {
	char key[96];
	struct price_row r;
	char region[64], itype[64], platform[96], currency[8], usage[96], op[48], sku[40],
	     family[32];
	const char *term, *payment, *oclass;
	int need_upfront, has_upfront, has_hourly;
	long line;
};

struct aws_state {
	struct price_sink *sink;
	int nrec;			/* CSV records seen */
	int header_seen;
	int sp;				/* savings plans file */
	char offer[64], publication[40];
	/* column indexes (CSV) */
	int col[40];
	int ncols;
	struct pending *pend;
	int npend, cap;
	/* the attributes of the last SKU's product (aws_item) */
	char prod_key[256];		/* its source strings, each with its NUL */
	size_t prod_len;		/* 0: none */
	char prod_platform[96], prod_family[32];
	double prod_vcpu, prod_memory, prod_nsf;
	/* products{} of a JSON offer file read member by member: an open
	 * hash set of kept products (prod_keep), cprods a power of 2, their
	 * attribute values interned (istr[k], found through islot) */
	struct kept_prod **prods;
	size_t nprods, cprods;
	char **istr;
	size_t nistr, cistr;
	uint32_t *islot;	/* index + 1, 0: free */
	size_t cislot;
	/* their bytes (kept_bytes); past two thirds of
	 * offer_memory_limit(), the products that follow go to spill (the
	 * family and prod_attrs values, each with its NUL, by SKU) */
	size_t kept, kept_limit;
	struct spillmap *spill;
};

static void
warn(struct aws_state *st, long line, long col, const char *msg)
{
	if (st->sink->warn)
		st->sink->warn(st->sink, line, col, msg);
}

static double
leading_number(const char *s)
{
	double d = 0;
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (s[n] && (isdigit((unsigned char)s[n]) || s[n] == '.'))
		n++;
	if (n == 0 || number_parse(s, n, &d) != NUM_OK || !(d >= 0))
		return 0;
	return d;
}

/* "c6i" of "c6i.xlarge", "db.r6g" of "db.r6g.large" */
static void
family_of(const char *itype, char *buf, size_t n)
{
	const char *dot = strrchr(itype, '.');
	size_t l = dot ? (size_t)(dot - itype) : strlen(itype);

	if (l >= n)
		l = n - 1;
	memcpy(buf, itype, l);
	buf[l] = '\0';
}

static int
emit_pending(struct aws_state *st, struct pending *p, struct ic_error *err)
{
	p->r.region = p->region;
	p->r.instance_type = p->itype;
	p->r.platform = p->platform;
	p->r.currency = p->currency;
	p->r.usage_type = p->usage[0] ? p->usage : NULL;
	p->r.operation = p->op[0] ? p->op : NULL;
	p->r.sku = p->sku[0] ? p->sku : NULL;
	p->r.family = p->family[0] ? p->family : NULL;
	p->r.term = p->term;
	p->r.payment = p->payment;
	p->r.offering_class = p->oclass;
	return st->sink->emit(st->sink, &p->r, err);
}

static void
drop_pending(struct aws_state *st, int i)
{
	st->pend[i] = st->pend[--st->npend];
}

/* Copy src into dst[n], cut to fit (as snprintf "%s" would). */
static void
cpy(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);

	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

/* Put a reserved term's row r (strings of the current item) in the
 * pending list, copied. */
static int
add_pending(struct aws_state *st, const struct price_row *r, const char *key, int quantity,
	    struct ic_error *err)
{
	struct pending *p;

	if (st->npend == st->cap) {
		int cap = st->cap ? st->cap * 2 : 16;
		struct pending *np = realloc(st->pend, (size_t)cap * sizeof *np);
		if (np == NULL)
			return ic_errorf(err, "out of memory");
		st->pend = np;
		st->cap = cap;
	}
	p = &st->pend[st->npend++];
	memset(p, 0, sizeof *p);
	p->r = *r;
	cpy(p->key, sizeof p->key, key);
	cpy(p->region, sizeof p->region, r->region);
	cpy(p->itype, sizeof p->itype, r->instance_type);
	cpy(p->platform, sizeof p->platform, r->platform);
	cpy(p->currency, sizeof p->currency, r->currency);
	cpy(p->usage, sizeof p->usage, r->usage_type ? r->usage_type : "");
	cpy(p->op, sizeof p->op, r->operation ? r->operation : "");
	cpy(p->sku, sizeof p->sku, r->sku ? r->sku : "");
	cpy(p->family, sizeof p->family, r->family ? r->family : "");
	p->term = r->term;
	p->payment = r->payment;
	p->oclass = r->offering_class;
	p->need_upfront = 1;
	p->has_upfront = quantity;
	p->has_hourly = !quantity;
	p->line = r->line;
	return 0;
}

/* Filter, name and price one item; on-demand rows are emitted, reserved
 * rows joined (see the top comment).  The strings of the emitted row are
 * the item's own (the sink copies what it keeps); the product attributes
 * (platform, vCPU, memory, size factor, family) are worked out once per
 * SKU: the rows of a SKU are adjacent in AWS's files, and share them. */
static int
aws_item(struct aws_state *st, const struct aws_item *it, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	struct price_row r;
	const char *region, *term = "", *payment = "", *oclass = "";
	int64_t amount;
	int reserved, quantity;
	char key[96];

	if (ieq(it->term_type, "OnDemand"))
		reserved = 0;
	else if (ieq(it->term_type, "Reserved"))
		reserved = 1;
	else {
		warn(st, it->line, 0, "price list: terms other than OnDemand and Reserved are not used");
		return 0;
	}
	if (!iprefix(it->family, "Compute Instance") &&
	    !ieq(it->family, "Database Instance") &&
	    !ieq(it->family, "Cache Instance")) {
		warn(st, it->line, 0, "price list: rows of other products (storage, transfer, ...) are not used");
		return 0;
	}
	if (it->itype[0] == '\0') {
		warn(st, it->line, 0, "price list: instance rows without an instance type are not used");
		return 0;
	}
	if (it->capacity[0] && !ieq(it->capacity, "Used")) {
		warn(st, it->line, 0, "price list: capacity-reservation rows (CapacityStatus not Used) are not prices of running instances; not used");
		return 0;
	}
	if (it->market[0] && !ieq(it->market, "OnDemand")) {
		warn(st, it->line, 0, "price list: Capacity Block and other market options are not used");
		return 0;
	}
	if (ieq(it->tenancy, "Host")) {
		warn(st, it->line, 0, "price list: instances on dedicated hosts are priced per host; not used");
		return 0;
	}
	quantity = ieq(it->unit, "Quantity");
	if (!quantity && !ieq(it->unit, "Hrs")) {
		warn(st, it->line, 0, "price list: price dimensions other than Hrs and Quantity are not used");
		return 0;
	}
	region = it->region_code[0] ? it->region_code : aws_location_region(it->location);
	if (region == NULL) {
		warn(st, it->line, 0, "price list: rows of a Location with no known region code are not used");
		return 0;
	}
	if (it->currency[0] == '\0' || strlen(it->currency) >= sizeof st->pend->currency)
		return ic_error_at(err, st->sink->name, it->line, it->price_col,
				   "a price without a currency code");
	if (price_money(it->price, strlen(it->price), &amount) != 0)
		return ic_error_at(err, st->sink->name, it->line, it->price_col,
				   "price '%s' is not a decimal number >= 0",
				   ic_quote(it->price, strlen(it->price), 40, qb));
	if (reserved) {
		term = aws_term(it->lease, NULL);
		payment = aws_payment(it->purchase);
		if (term == NULL || payment == NULL) {
			warn(st, it->line, 0, "price list: reserved terms with an unknown length or purchase option are not used");
			return 0;
		}
		oclass = ieq(it->oclass, "convertible") ? "convertible" : "standard";
	} else if (quantity) {
		warn(st, it->line, 0, "price list: on-demand fees per quantity are not used");
		return 0;
	}
	/* the product's attributes, once per run of rows with the same ones
	 * (a SKU's rows are adjacent) */
	{
		const char *src[] = { it->sku, it->os, it->presw, it->license, it->tenancy, it->itype,
				      it->vcpu, it->memory, it->nsf };
		const size_t nsrc = sizeof src / sizeof src[0];
		const char *p = st->prod_key, *end = p + st->prod_len;
		size_t k = 0;

		/* the same as the last row's?  (one pass, no copy: most rows) */
		if (st->prod_len > 0)
			for (; k < nsrc; k++) {
				const char *q = src[k];
				while (p < end && *p == *q && *q)
					p++, q++;
				if (p >= end || *p != *q)
					break;
				p++;
			}
		if (k < nsrc || p != end) {
			size_t n = 0;
			int fits = 1;

			for (k = 0; k < nsrc; k++) {
				size_t l = strlen(src[k]) + 1;
				if (n + l > sizeof st->prod_key) {
					fits = 0;
					break;
				}
				memcpy(st->prod_key + n, src[k], l);
				n += l;
			}
			st->prod_len = fits ? n : 0;	/* 0: never the same */
			aws_platform(it->os, it->presw, it->license, it->tenancy, st->prod_platform,
				     sizeof st->prod_platform);
			family_of(it->itype, st->prod_family, sizeof st->prod_family);
			st->prod_vcpu = leading_number(it->vcpu);
			st->prod_memory = leading_number(it->memory);
			st->prod_nsf = leading_number(it->nsf);
		}
	}
	memset(&r, 0, sizeof r);
	r.provider = "AWS";
	r.region = region;
	r.instance_type = it->itype;
	r.platform = st->prod_platform;
	r.currency = it->currency;
	r.usage_type = it->usage_type[0] ? it->usage_type : NULL;
	r.operation = it->operation[0] ? it->operation : NULL;
	r.sku = it->sku[0] ? it->sku : NULL;
	r.family = st->prod_family[0] ? st->prod_family : NULL;
	r.vcpu = st->prod_vcpu;
	r.memory_gib = st->prod_memory;
	r.size_factor = st->prod_nsf;
	r.line = it->line;
	r.term = term;
	r.payment = payment;
	r.offering_class = oclass;
	if (!reserved) {
		r.kind = PK_ON_DEMAND;
		r.hourly = amount;
		return st->sink->emit(st->sink, &r, err);
	}
	/* join the term's rows */
	{
		size_t ls = strlen(it->sku), lt = strlen(it->offer_term);
		if (ls > sizeof key - 2)
			ls = sizeof key - 2;
		if (lt > sizeof key - 2 - ls)
			lt = sizeof key - 2 - ls;
		memcpy(key, it->sku, ls);
		key[ls] = '.';
		memcpy(key + ls + 1, it->offer_term, lt);
		key[ls + 1 + lt] = '\0';
	}
	for (int i = st->npend - 1; i >= 0; i--) {
		struct pending *q = &st->pend[i];
		if (strcmp(q->key, key) != 0)
			continue;
		if (quantity ? q->has_upfront : q->has_hourly)
			return ic_error_at(err, st->sink->name, it->line, it->price_col,
					   "offer term %s has two %s rows (the first on line %ld)",
					   ic_quote(key, strlen(key), 100, qb),
					   quantity ? "upfront fee" : "hourly", q->line);
		if (quantity) {
			q->r.upfront = amount;
			q->has_upfront = 1;
		} else {
			q->r.hourly = amount;
			q->has_hourly = 1;
		}
		if (q->has_hourly && (q->has_upfront || !q->need_upfront)) {
			int rc = emit_pending(st, q, err);
			drop_pending(st, i);
			return rc;
		}
		return 0;
	}
	r.kind = PK_RESERVED;
	if (strcmp(payment, "no_upfront") == 0) {
		if (quantity) {
			warn(st, it->line, 0, "price list: an upfront fee on a No Upfront term is not used");
			return 0;
		}
		r.hourly = amount;
		return st->sink->emit(st->sink, &r, err);
	}
	if (quantity)
		r.upfront = amount;
	else
		r.hourly = amount;
	return add_pending(st, &r, key, quantity, err);
}

/* ---- savings plans: one rate ---- */

struct sp_item {
	const char *rate, *currency, *usage_type, *operation, *service, *purchase, *lease,
		   *lease_unit, *family, *region_code, *location, *itype, *sku, *unit;
	long line, rate_col;
};

static int
sp_item(struct aws_state *st, const struct sp_item *it, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	struct price_row r;
	char platform[96], itype[64], fam[32];
	const char *region, *term, *payment;
	int64_t rate;

	memset(&r, 0, sizeof r);
	if (it->service[0] && !ieq(it->service, "AmazonEC2")) {
		warn(st, it->line, 0, "savings plans: rates of services other than EC2 (Fargate, Lambda, SageMaker) are not used");
		return 0;
	}
	if (aws_platform_op(it->usage_type, it->operation, platform, sizeof platform) == NULL) {
		warn(st, it->line, 0, "savings plans: rates of usage that is not an instance hour (unused reservations, hosts) are not used");
		return 0;
	}
	if (it->unit[0] && !ieq(it->unit, "Hrs")) {
		warn(st, it->line, 0, "savings plans: rates per unit other than Hrs are not used");
		return 0;
	}
	if (it->itype[0]) {
		snprintf(itype, sizeof itype, "%s", it->itype);
	} else {
		const char *c = strchr(it->usage_type, ':');
		snprintf(itype, sizeof itype, "%s", c ? c + 1 : "");
	}
	if (itype[0] == '\0') {
		warn(st, it->line, 0, "savings plans: rates without an instance type are not used");
		return 0;
	}
	region = it->region_code[0] ? it->region_code : aws_location_region(it->location);
	if (region == NULL) {
		warn(st, it->line, 0, "savings plans: rates of a Location with no known region code are not used");
		return 0;
	}
	term = aws_term(it->lease, it->lease_unit);
	payment = aws_payment(it->purchase);
	if (term == NULL || payment == NULL) {
		warn(st, it->line, 0, "savings plans: rates with an unknown term or purchase option are not used");
		return 0;
	}
	if (it->currency[0] == '\0')
		return ic_error_at(err, st->sink->name, it->line, it->rate_col, "a rate without a currency code");
	if (price_money(it->rate, strlen(it->rate), &rate) != 0)
		return ic_error_at(err, st->sink->name, it->line, it->rate_col,
				   "rate '%s' is not a decimal number >= 0",
				   ic_quote(it->rate, strlen(it->rate), 40, qb));
	family_of(itype, fam, sizeof fam);
	r.provider = "AWS";
	r.region = region;
	r.instance_type = itype;
	r.platform = platform;
	r.kind = iprefix(it->family, "ComputeSavingsPlans") ? PK_COMPUTE_SAVINGS_PLAN
									 : PK_SAVINGS_PLAN;
	r.term = term;
	r.payment = payment;
	r.offering_class = "";
	r.currency = it->currency;
	r.hourly = rate;
	r.usage_type = it->usage_type[0] ? it->usage_type : NULL;
	r.operation = it->operation[0] ? it->operation : NULL;
	r.sku = it->sku[0] ? it->sku : NULL;
	r.family = fam;
	r.line = it->line;
	return st->sink->emit(st->sink, &r, err);
}

/* ---- CSV ---- */

enum {
	/* offer file */
	O_SKU, O_TERMCODE, O_TERMTYPE, O_UNIT, O_PRICE, O_CURRENCY, O_LEASE, O_PURCHASE, O_CLASS,
	O_FAMILY, O_LOCATION, O_ITYPE, O_VCPU, O_MEMORY, O_TENANCY, O_OS, O_LICENSE, O_USAGE,
	O_OP, O_CAPACITY, O_MARKET, O_NSF, O_PRESW, O_REGION,
	O_N
};
static const char *const offer_cols[O_N] = {
	"SKU", "OfferTermCode", "TermType", "Unit", "PricePerUnit", "Currency",
	"LeaseContractLength", "PurchaseOption", "OfferingClass", "Product Family", "Location",
	"Instance Type", "vCPU", "Memory", "Tenancy", "Operating System", "License Model",
	"usageType", "operation", "CapacityStatus", "MarketOption", "Normalization Size Factor",
	"Pre Installed S/W", "Region Code",
};
enum {
	S_SKU, S_UNIT, S_RATE, S_CURRENCY, S_USAGE, S_OP, S_SERVICE, S_PURCHASE, S_LEASE,
	S_LEASE_UNIT, S_FAMILY, S_REGION, S_LOCATION, S_ITYPE,
	S_N
};
static const char *const sp_cols[S_N] = {
	"SKU", "Unit", "DiscountedRate", "Currency", "DiscountedUsageType", "DiscountedOperation",
	"DiscountedServiceCode", "PurchaseOption", "LeaseContractLength", "LeaseContractLengthUnit",
	"Product Family", "DiscountedRegionCode", "Location", "DiscountedInstanceType",
};
/* required columns */
static const int offer_req[] = { O_SKU, O_TERMCODE, O_TERMTYPE, O_UNIT, O_PRICE, O_CURRENCY,
				 O_FAMILY, O_ITYPE, O_LOCATION };
static const int sp_req[] = { S_RATE, S_CURRENCY, S_USAGE, S_OP, S_PURCHASE, S_LEASE };

static void *
aws_open(struct price_sink *s, struct ic_error *err)
{
	return price_state_new(sizeof(struct aws_state), s, err);
}

static int
csv_header(struct aws_state *st, const struct csv_record *rec, struct ic_error *err)
{
	const char *const *names;
	const int *req;
	int n, nreq;

	st->sp = 0;
	for (int i = 0; i < rec->n; i++)
		if (price_field_is(&rec->f[i], "DiscountedRate"))
			st->sp = 1;
	names = st->sp ? sp_cols : offer_cols;
	n = st->sp ? S_N : O_N;
	req = st->sp ? sp_req : offer_req;
	nreq = st->sp ? (int)(sizeof sp_req / sizeof *sp_req) : (int)(sizeof offer_req / sizeof *offer_req);
	for (int k = 0; k < n; k++) {
		st->col[k] = -1;
		for (int i = 0; i < rec->n; i++)
			if (price_field_is(&rec->f[i], names[k])) {
				st->col[k] = i;
				break;
			}
	}
	st->ncols = rec->n;
	for (int k = 0; k < nreq; k++)
		if (st->col[req[k]] < 0)
			return ic_error_at(err, st->sink->name, rec->line, 1,
					   "AWS %s price list: the header has no column '%s'",
					   st->sp ? "savings plans" : "offer", names[req[k]]);
	if (st->sink->meta)
		st->sink->meta(st->sink, st->offer[0] ? st->offer : st->sp ? "AWSSavingsPlans" : "AWS",
			       st->publication);
	st->header_seen = 1;
	return 0;
}

static const char *
fld(const struct aws_state *st, const struct csv_record *rec, int k)
{
	int c = st->col[k];
	return c >= 0 && c < rec->n ? rec->f[c].s : "";
}

static int
aws_csv_record(void *p, const struct csv_record *rec, struct ic_error *err)
{
	struct aws_state *st = p;

	st->nrec++;
	if (!st->header_seen) {
		if (rec->n >= 2 && rec->n <= 3 && !price_field_is(&rec->f[0], "SKU")) {
			/* a metadata row: key, value */
			if (st->nrec > 10)
				return ic_error_at(err, st->sink->name, rec->line, 1,
						   "AWS price list: no header row (\"SKU\",...) after the metadata rows");
			if (price_field_is(&rec->f[0], "Publication Date"))
				snprintf(st->publication, sizeof st->publication, "%.*s",
					 (int)(rec->f[1].len < 39 ? rec->f[1].len : 39), rec->f[1].s);
			else if (price_field_is(&rec->f[0], "OfferCode"))
				snprintf(st->offer, sizeof st->offer, "%.*s",
					 (int)(rec->f[1].len < 63 ? rec->f[1].len : 63), rec->f[1].s);
			return 0;
		}
		if (!price_field_is(&rec->f[0], "SKU"))
			return ic_error_at(err, st->sink->name, rec->line, 1,
					   "AWS price list: expected the header row (\"SKU\",...)");
		return csv_header(st, rec, err);
	}
	if (rec->n != st->ncols)
		return ic_error_at(err, st->sink->name, rec->line, (rec->n < st->ncols ? rec->n : st->ncols) + 1,
				   "expected %d fields as in the header, found %d", st->ncols, rec->n);
	if (st->sp) {
		struct sp_item it = {
			fld(st, rec, S_RATE), fld(st, rec, S_CURRENCY), fld(st, rec, S_USAGE),
			fld(st, rec, S_OP), fld(st, rec, S_SERVICE), fld(st, rec, S_PURCHASE),
			fld(st, rec, S_LEASE), fld(st, rec, S_LEASE_UNIT), fld(st, rec, S_FAMILY),
			fld(st, rec, S_REGION), fld(st, rec, S_LOCATION), fld(st, rec, S_ITYPE),
			fld(st, rec, S_SKU), fld(st, rec, S_UNIT), rec->line, st->col[S_RATE] + 1
		};
		return sp_item(st, &it, err);
	} else {
		struct aws_item it;
		memset(&it, 0, sizeof it);
		it.sku = fld(st, rec, O_SKU);
		it.offer_term = fld(st, rec, O_TERMCODE);
		it.term_type = fld(st, rec, O_TERMTYPE);
		it.family = fld(st, rec, O_FAMILY);
		it.itype = fld(st, rec, O_ITYPE);
		it.region_code = fld(st, rec, O_REGION);
		it.location = fld(st, rec, O_LOCATION);
		it.os = fld(st, rec, O_OS);
		it.presw = fld(st, rec, O_PRESW);
		it.license = fld(st, rec, O_LICENSE);
		it.tenancy = fld(st, rec, O_TENANCY);
		it.capacity = fld(st, rec, O_CAPACITY);
		it.market = fld(st, rec, O_MARKET);
		it.unit = fld(st, rec, O_UNIT);
		it.price = fld(st, rec, O_PRICE);
		it.currency = fld(st, rec, O_CURRENCY);
		it.lease = fld(st, rec, O_LEASE);
		it.purchase = fld(st, rec, O_PURCHASE);
		it.oclass = fld(st, rec, O_CLASS);
		it.vcpu = fld(st, rec, O_VCPU);
		it.memory = fld(st, rec, O_MEMORY);
		it.nsf = fld(st, rec, O_NSF);
		it.usage_type = fld(st, rec, O_USAGE);
		it.operation = fld(st, rec, O_OP);
		it.line = rec->line;
		it.price_col = st->col[O_PRICE] + 1;
		return aws_item(st, &it, err);
	}
}

static int
aws_finish(void *p, struct ic_error *err)
{
	struct aws_state *st = p;

	if (st->nrec > 0 && !st->header_seen)
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS price list: metadata rows but no header row (\"SKU\",...)");
	for (int i = 0; i < st->npend; i++) {
		struct pending *q = &st->pend[i];
		if (q->has_upfront && !q->has_hourly && strcmp(q->payment, "all_upfront") == 0) {
			/* All Upfront: the hourly row is 0 when present */
			warn(st, q->line, 0, "price list: an All Upfront term without its hourly row; hourly read as 0");
			if (emit_pending(st, q, err) != 0)
				return -1;
			continue;
		}
		warn(st, q->line, 0, "price list: a reserved term with its upfront fee or its hourly row missing is not used");
	}
	st->npend = 0;
	return 0;
}

static void
aws_close(void *p)
{
	struct aws_state *st = p;

	if (st == NULL)
		return;
	for (size_t i = 0; i < st->cprods; i++)
		free(st->prods[i]);
	free(st->prods);
	for (size_t i = 0; i < st->nistr; i++)
		free(st->istr[i]);
	free(st->istr);
	free(st->islot);
	free(st->pend);
	spillmap_free(st->spill);
	free(st);
}

/* ---- JSON ---- */

static const char *
js(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The product attributes json_term reads (prod_attrs' order; an empty
 * operatingSystem gives way to databaseEngine). */
static const char *const prod_attrs[] = {
	"instanceType", "regionCode", "location", "operatingSystem", "preInstalledSw",
	"licenseModel", "tenancy", "capacitystatus", "marketoption", "vcpu", "memory",
	"normalizationSizeFactor", "usagetype", "operation",
};
#define NPROD_ATTRS (sizeof prod_attrs / sizeof prod_attrs[0])

/* One term (object with offerTermCode, sku, termAttributes,
 * priceDimensions) of a product with attribute values av (prod_attrs). */
static int
json_term_of(struct aws_state *st, const char *term_type, const char *const *av, const char *family,
	     const char *sku, const cJSON *term, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	char qb2[IC_QUOTE_SIZE];
	const cJSON *ta = cJSON_GetObjectItemCaseSensitive(term, "termAttributes");
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(term, "priceDimensions");
	const cJSON *d;

	if (!cJSON_IsObject(term))
		return ic_error_at(err, st->sink->name, 1, 1, "AWS price list JSON: a term is not an object");
	if (!cJSON_IsObject(dims))
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS price list JSON: term %s of %s has no priceDimensions object",
				   ic_quote(js(term, "offerTermCode"), strlen(js(term, "offerTermCode")), 40, qb),
				   ic_quote(sku, strlen(sku), 40, qb2));
	cJSON_ArrayForEach(d, dims) {
		const cJSON *ppu = cJSON_GetObjectItemCaseSensitive(d, "pricePerUnit"), *cur;
		struct aws_item it;

		if (!cJSON_IsObject(ppu) || (cur = ppu->child) == NULL || !cJSON_IsString(cur))
			return ic_error_at(err, st->sink->name, 1, 1,
					   "AWS price list JSON: price dimension %s has no pricePerUnit",
					   d->string ? ic_quote(d->string, strlen(d->string), 60, qb) : "?");
		memset(&it, 0, sizeof it);
		it.sku = sku;
		it.offer_term = js(term, "offerTermCode");
		it.term_type = term_type;
		it.family = family;
		it.itype = av[0];
		it.region_code = av[1];
		it.location = av[2];
		it.os = av[3];
		it.presw = av[4];
		it.license = av[5];
		it.tenancy = av[6];
		it.capacity = av[7];
		it.market = av[8];
		it.unit = js(d, "unit");
		it.price = cur->valuestring;
		it.currency = cur->string ? cur->string : "";
		it.lease = js(ta, "LeaseContractLength");
		it.purchase = js(ta, "PurchaseOption");
		it.oclass = js(ta, "OfferingClass");
		it.vcpu = av[9];
		it.memory = av[10];
		it.nsf = av[11];
		it.usage_type = av[12];
		it.operation = av[13];
		it.line = 1;
		if (aws_item(st, &it, err) != 0)
			return -1;
	}
	return 0;
}

/* The attribute values (prod_attrs) of attributes object a. */
static void
attr_values(const cJSON *a, const char **av)
{
	for (size_t i = 0; i < NPROD_ATTRS; i++)
		av[i] = js(a, prod_attrs[i]);
	if (*av[3] == '\0')
		av[3] = js(a, "databaseEngine");
}

/* One term of a product with attributes `a`. */
static int
json_term(struct aws_state *st, const char *term_type, const cJSON *a, const char *family,
	  const char *sku, const cJSON *term, struct ic_error *err)
{
	const char *av[NPROD_ATTRS];

	attr_values(a, av);
	return json_term_of(st, term_type, av, family, sku, term, err);
}

/* terms of one section of a GetProducts item: {"<sku>.<code>": term} */
static int
json_item(struct aws_state *st, const cJSON *item, struct ic_error *err)
{
	const cJSON *prod = cJSON_GetObjectItemCaseSensitive(item, "product");
	const cJSON *terms = cJSON_GetObjectItemCaseSensitive(item, "terms");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(prod, "attributes"), *sec;

	if (!cJSON_IsObject(prod) || !cJSON_IsObject(terms))
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS GetProducts item: expected \"product\" and \"terms\" objects");
	cJSON_ArrayForEach(sec, terms) {
		const cJSON *t;
		cJSON_ArrayForEach(t, sec)
			if (json_term(st, sec->string ? sec->string : "", a, js(prod, "productFamily"),
				      js(prod, "sku"), t, err) != 0)
				return -1;
	}
	return 0;
}

static int
json_offer(struct aws_state *st, const cJSON *v, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	const cJSON *products = cJSON_GetObjectItemCaseSensitive(v, "products");
	const cJSON *terms = cJSON_GetObjectItemCaseSensitive(v, "terms"), *sec;

	if (!cJSON_IsObject(products) || !cJSON_IsObject(terms))
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS offer file: expected \"products\" and \"terms\" objects");
	cJSON_ArrayForEach(sec, terms) {
		const cJSON *per_sku;
		if (!cJSON_IsObject(sec))
			return ic_error_at(err, st->sink->name, 1, 1,
					   "AWS offer file: terms.%s is not an object",
					   ic_quote(sec->string, strlen(sec->string), 40, qb));
		cJSON_ArrayForEach(per_sku, sec) {
			const cJSON *prod = cJSON_GetObjectItemCaseSensitive(products, per_sku->string);
			const cJSON *t;
			if (prod == NULL) {
				warn(st, 1, 0, "price list: terms of a SKU missing from products are not used");
				continue;
			}
			cJSON_ArrayForEach(t, per_sku)
				if (json_term(st, sec->string, cJSON_GetObjectItemCaseSensitive(prod, "attributes"),
					      js(prod, "productFamily"), per_sku->string, t, err) != 0)
					return -1;
		}
	}
	return 0;
}

static int
json_sp(struct aws_state *st, const cJSON *v, struct ic_error *err)
{
	const cJSON *products = cJSON_GetObjectItemCaseSensitive(v, "products");
	const cJSON *terms = cJSON_GetObjectItemCaseSensitive(v, "terms");
	const cJSON *plans = cJSON_GetObjectItemCaseSensitive(terms, "savingsPlan"), *plan;
	const char *region = js(v, "regionCode");

	if (!cJSON_IsArray(products) || !cJSON_IsArray(plans))
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS savings plans file: expected \"products\" and \"terms.savingsPlan\" arrays");
	cJSON_ArrayForEach(plan, plans) {
		const char *sku = js(plan, "sku");
		const cJSON *prod = NULL, *p, *a, *lease = cJSON_GetObjectItemCaseSensitive(plan, "leaseContractLength");
		const cJSON *rates = cJSON_GetObjectItemCaseSensitive(plan, "rates"), *rt;
		char years[16];

		cJSON_ArrayForEach(p, products)
			if (strcmp(js(p, "sku"), sku) == 0)
				prod = p;
		if (prod == NULL) {
			warn(st, 1, 0, "savings plans: plans missing from products are not used");
			continue;
		}
		a = cJSON_GetObjectItemCaseSensitive(prod, "attributes");
		{
			const cJSON *dur = cJSON_GetObjectItemCaseSensitive(lease, "duration");
			if (cJSON_IsNumber(dur))
				snprintf(years, sizeof years, "%d", (int)dur->valuedouble);
			else
				snprintf(years, sizeof years, "%s", js(lease, "duration"));
		}
		cJSON_ArrayForEach(rt, rates) {
			const cJSON *dr = cJSON_GetObjectItemCaseSensitive(rt, "discountedRate");
			struct sp_item it = {
				js(dr, "price"), js(dr, "currency"), js(rt, "discountedUsageType"),
				js(rt, "discountedOperation"), js(rt, "discountedServiceCode"),
				js(a, "purchaseOption"), years, js(lease, "unit"),
				js(prod, "productFamily"), region, js(a, "location"), "",
				sku, js(rt, "unit"), 1, 0
			};
			if (sp_item(st, &it, err) != 0)
				return -1;
		}
	}
	return 0;
}

static int
aws_json_doc(void *p, const cJSON *v, struct ic_error *err)
{
	struct aws_state *st = p;
	const cJSON *list;

	snprintf(st->publication, sizeof st->publication, "%s", js(v, "publicationDate"));
	snprintf(st->offer, sizeof st->offer, "%s", js(v, "offerCode"));
	if (cJSON_IsObject(v) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v, "products"))) {
		if (st->offer[0] == '\0')
			snprintf(st->offer, sizeof st->offer, "AWSSavingsPlans");
		if (st->sink->meta)
			st->sink->meta(st->sink, st->offer, st->publication);
		return json_sp(st, v, err);
	}
	if (cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "products")) {
		if (st->sink->meta)
			st->sink->meta(st->sink, st->offer[0] ? st->offer : "AWS", st->publication);
		return json_offer(st, v, err);
	}
	/* GetProducts: one item, an array of items, or {"PriceList": [...]}
	 * whose items may be JSON text */
	list = cJSON_IsArray(v) ? v : cJSON_GetObjectItemCaseSensitive(v, "PriceList");
	if (cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "product")) {
		snprintf(st->offer, sizeof st->offer, "%s", js(v, "serviceCode"));
		if (st->sink->meta)
			st->sink->meta(st->sink, st->offer[0] ? st->offer : "AWS", st->publication);
		return json_item(st, v, err);
	}
	if (cJSON_IsArray(list)) {
		const cJSON *it;
		int first = 1;
		cJSON_ArrayForEach(it, list) {
			cJSON *parsed = NULL;
			int r;
			if (cJSON_IsString(it))
				it = parsed = cJSON_Parse(it->valuestring);
			if (!cJSON_IsObject(it)) {
				cJSON_Delete(parsed);
				return ic_error_at(err, st->sink->name, 1, 1,
						   "AWS GetProducts: a PriceList item is not a JSON object");
			}
			if (first) {
				snprintf(st->publication, sizeof st->publication, "%s", js(it, "publicationDate"));
				snprintf(st->offer, sizeof st->offer, "%s", js(it, "serviceCode"));
				if (st->sink->meta)
					st->sink->meta(st->sink, st->offer[0] ? st->offer : "AWS", st->publication);
				first = 0;
			}
			r = json_item(st, it, err);
			cJSON_Delete(parsed);
			if (r != 0)
				return -1;
		}
		return 0;
	}
	return ic_error_at(err, st->sink->name, 1, 1,
			   "not an AWS price list (no products/terms, product or PriceList)");
}

/* ---- JSON offer files read member by member (import.c) ---- */

/* Does aws_item read on past the family check for products of family? */
static int
instance_family(const char *family)
{
	return iprefix(family, "Compute Instance") || ieq(family, "Database Instance") ||
	       ieq(family, "Cache Instance");
}

static uint64_t
sku_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* A kept product: its family and prod_attrs values as indexes into
 * aws_state.istr (all "" when aws_item stops at the family), its SKU. */
struct kept_prod {
	uint32_t v[1 + NPROD_ATTRS];
	char sku[];
};

/* The index of string s in st->istr, added when new; -1 out of memory. */
static long
intern(struct aws_state *st, const char *s)
{
	size_t i;

	if (2 * (st->nistr + 1) > st->cislot) {
		size_t ncap = st->cislot ? st->cislot * 2 : 1024;
		uint32_t *big = calloc(ncap, sizeof *big);
		if (big == NULL)
			return -1;
		for (size_t k = 0; k < st->nistr; k++) {
			for (i = sku_hash(st->istr[k]) & (ncap - 1); big[i]; i = (i + 1) & (ncap - 1))
				;
			big[i] = (uint32_t)k + 1;
		}
		free(st->islot);
		st->islot = big;
		st->cislot = ncap;
	}
	for (i = sku_hash(s) & (st->cislot - 1); st->islot[i]; i = (i + 1) & (st->cislot - 1))
		if (strcmp(st->istr[st->islot[i] - 1], s) == 0)
			return (long)st->islot[i] - 1;
	if (st->nistr == st->cistr) {
		size_t ncap = st->cistr ? st->cistr * 2 : 512;
		char **nv = realloc(st->istr, ncap * sizeof *nv);
		if (nv == NULL)
			return -1;
		st->istr = nv;
		st->cistr = ncap;
	}
	if ((st->istr[st->nistr] = strdup(s)) == NULL)
		return -1;
	st->kept += strlen(s) + 1 + 16;
	st->islot[i] = (uint32_t)++st->nistr;
	return (long)st->nistr - 1;
}

/* The kept product of sku, or NULL. */
static const struct kept_prod *
prod_find(const struct aws_state *st, const char *sku)
{
	if (st->nprods == 0)
		return NULL;
	for (size_t i = sku_hash(sku) & (st->cprods - 1); st->prods[i]; i = (i + 1) & (st->cprods - 1))
		if (strcmp(st->prods[i]->sku, sku) == 0)
			return st->prods[i];
	return NULL;
}

/* The bytes of memory the kept products take (malloc's overhead counted
 * as 16 a block). */
static size_t
kept_bytes(const struct aws_state *st)
{
	return st->kept + st->cprods * sizeof *st->prods + st->cistr * sizeof *st->istr +
	       st->cislot * sizeof *st->islot;
}

/* Keep product sku (family, values vals) in st->spill, on disk. */
static int
prod_spill(struct aws_state *st, const char *sku, const char *family, const char *const *vals,
	   struct ic_error *err)
{
	size_t len = 0, l;
	char *rec, *p;
	int r;

	if (st->spill == NULL && (st->spill = spillmap_new(0)) == NULL)
		return ic_errorf(err, "out of memory");
	len = strlen(family) + 1;
	for (size_t i = 0; i < NPROD_ATTRS; i++)
		len += strlen(vals[i]) + 1;
	if ((rec = malloc(len)) == NULL)
		return ic_errorf(err, "out of memory");
	l = strlen(family) + 1;
	memcpy(rec, family, l);
	p = rec + l;
	for (size_t i = 0; i < NPROD_ATTRS; i++) {
		l = strlen(vals[i]) + 1;
		memcpy(p, vals[i], l);
		p += l;
	}
	r = spillmap_put(st->spill, sku, rec, len, NULL, NULL, err);
	free(rec);
	return r < 0 ? -1 : 0;
}

/* The product of sku kept on disk: *family and vals[NPROD_ATTRS] point
 * into st->spill's buffer (valid until its next call).  1, 0 not
 * there, -1 with err set. */
static int
prod_unspill(struct aws_state *st, const char *sku, const char **family, const char **vals,
	     struct ic_error *err)
{
	const void *v;
	const char *p, *end;
	size_t len;
	int r;

	if (st->spill == NULL || (r = spillmap_get(st->spill, sku, &v, &len, err)) == 0)
		return 0;
	if (r < 0)
		return -1;
	p = v;
	end = p + len;
	for (size_t i = 0; i <= NPROD_ATTRS; i++) {
		const char *nul = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		if (nul == NULL)
			return ic_errorf(err, "a product kept on disk is damaged");
		if (i == 0)
			*family = p;
		else
			vals[i - 1] = p;
		p = nul + 1;
	}
	return 1;
}

/* Keep member (SKU: product) of products{} until its terms come: what
 * json_term reads of it (kept_prod, owned by st; the same rows and
 * warnings come out as from the whole document).  import.c refuses a SKU
 * given twice. */
static int
prod_keep(struct aws_state *st, const cJSON *m, struct ic_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "attributes");
	const char *family = js(m, "productFamily"), *vals[NPROD_ATTRS];
	struct kept_prod *kp;
	size_t i;
	long k;

	if (instance_family(family))
		attr_values(a, vals);
	else
		for (i = 0; i < NPROD_ATTRS; i++)
			vals[i] = "";
	if (st->spill != NULL || kept_bytes(st) >= st->kept_limit)
		return prod_spill(st, m->string, family, vals, err);
	if (2 * (st->nprods + 1) > st->cprods) {
		size_t ncap = st->cprods ? st->cprods * 2 : 4096;
		struct kept_prod **big = calloc(ncap, sizeof *big);
		if (big == NULL)
			return ic_errorf(err, "out of memory");
		for (size_t q = 0; q < st->cprods; q++) {
			if (st->prods[q] == NULL)
				continue;
			for (i = sku_hash(st->prods[q]->sku) & (ncap - 1); big[i]; i = (i + 1) & (ncap - 1))
				;
			big[i] = st->prods[q];
		}
		free(st->prods);
		st->prods = big;
		st->cprods = ncap;
	}
	if ((kp = malloc(sizeof *kp + strlen(m->string) + 1)) == NULL)
		return ic_errorf(err, "out of memory");
	strcpy(kp->sku, m->string);
	st->kept += sizeof *kp + strlen(kp->sku) + 1 + 16;
	for (i = 0; i <= NPROD_ATTRS; i++) {
		if ((k = intern(st, i == 0 ? family : vals[i - 1])) < 0) {
			free(kp);
			return ic_errorf(err, "out of memory");
		}
		kp->v[i] = (uint32_t)k;
	}
	for (i = sku_hash(kp->sku) & (st->cprods - 1); st->prods[i]; i = (i + 1) & (st->cprods - 1))
		;
	st->prods[i] = kp;
	st->nprods++;
	return 0;
}

static int
aws_json_member(void *p, int which, const char *parent, const cJSON *m, long line,
		struct ic_error *err)
{
	struct aws_state *st = p;
	const struct kept_prod *prod;
	const char *vals[NPROD_ATTRS], *family = "";
	const cJSON *t;

	(void)line;
	if (which == 0) {
		if (st->kept_limit == 0 && st->nprods == 0 && st->spill == NULL)
			st->kept_limit = offer_memory_limit() / 3 * 2;
		return prod_keep(st, m, err);
	}
	/* terms.<parent>: SKU -> {code: term} */
	if ((prod = prod_find(st, m->string)) != NULL) {
		family = st->istr[prod->v[0]];
		for (size_t i = 0; i < NPROD_ATTRS; i++)
			vals[i] = st->istr[prod->v[i + 1]];
	} else {
		int r = prod_unspill(st, m->string, &family, vals, err);
		if (r < 0)
			return -1;
		if (r == 0) {
			warn(st, 1, 0, "price list: terms of a SKU missing from products are not used");
			return 0;
		}
	}
	cJSON_ArrayForEach(t, m)
		if (json_term_of(st, parent, vals, family, m->string, t, err) != 0)
			return -1;
	return 0;
}

/* The document with products{} and terms.*{} emptied: what the whole
 * document's reading checks and states besides them. */
static int
aws_json_skeleton(void *p, const cJSON *v, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	struct aws_state *st = p;
	const cJSON *terms = cJSON_GetObjectItemCaseSensitive(v, "terms"), *sec;

	snprintf(st->publication, sizeof st->publication, "%s", js(v, "publicationDate"));
	snprintf(st->offer, sizeof st->offer, "%s", js(v, "offerCode"));
	if (st->sink->meta)
		st->sink->meta(st->sink, st->offer[0] ? st->offer : "AWS", st->publication);
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(v, "products")) || !cJSON_IsObject(terms))
		return ic_error_at(err, st->sink->name, 1, 1,
				   "AWS offer file: expected \"products\" and \"terms\" objects");
	cJSON_ArrayForEach(sec, terms)
		if (!cJSON_IsObject(sec))
			return ic_error_at(err, st->sink->name, 1, 1,
					   "AWS offer file: terms.%s is not an object",
					   ic_quote(sec->string, strlen(sec->string), 40, qb));
	return 0;
}

static const char *const aws_objects[] = { "products", "terms.*", NULL };

const struct price_format price_aws_csv = {
	.open = aws_open, .csv_record = aws_csv_record, .finish = aws_finish, .close = aws_close,
};
const struct price_format price_aws_json = {
	.open = aws_open, .json_doc = aws_json_doc, .finish = aws_finish, .close = aws_close,
	.json_objects = aws_objects, .json_member = aws_json_member,
	.json_skeleton = aws_json_skeleton,
};
