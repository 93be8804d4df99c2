/*
 * price-aws.c - AWS Price List files: the bulk offer files (CSV and JSON,
 * AmazonEC2 and any service with instance types, e.g. RDS), GetProducts
 * items, and the Savings Plans files (CSV and JSON).  This file: one price
 * dimension or savings plans rate, whichever format it came from, the
 * parser's state, and the helpers every price parser shares (prices.h);
 * the names are in price-aws-names.c, the formats in price-aws-csv.c and
 * price-aws-json.c.
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

#include "common/decimal.h"
#include "importers/importer.h"
#include "importers/price-aws.h"
#include "importers/prices.h"
#include "importers/spillmap.h"

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

/* ---- one price dimension, from CSV or JSON ---- */

void
aws_warn(struct aws_state *st, long line, long col, const char *msg)
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
void
aws_family_of(const char *itype, char *buf, size_t n)
{
	const char *dot = strrchr(itype, '.');
	size_t l = dot ? (size_t)(dot - itype) : strlen(itype);

	l = str_fit(itype, l, n - 1);
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
	str_copy_fit(p->key, sizeof p->key, key);
	str_copy_fit(p->region, sizeof p->region, r->region);
	str_copy_fit(p->itype, sizeof p->itype, r->instance_type);
	str_copy_fit(p->platform, sizeof p->platform, r->platform);
	str_copy_fit(p->currency, sizeof p->currency, r->currency);
	str_copy_fit(p->usage, sizeof p->usage, r->usage_type ? r->usage_type : "");
	str_copy_fit(p->op, sizeof p->op, r->operation ? r->operation : "");
	str_copy_fit(p->sku, sizeof p->sku, r->sku ? r->sku : "");
	str_copy_fit(p->family, sizeof p->family, r->family ? r->family : "");
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
int
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
		aws_warn(st, it->line, 0, "price list: terms other than OnDemand and Reserved are not used");
		return 0;
	}
	if (!iprefix(it->family, "Compute Instance") &&
	    !ieq(it->family, "Database Instance") &&
	    !ieq(it->family, "Cache Instance")) {
		aws_warn(st, it->line, 0, "price list: rows of other products (storage, transfer, ...) are not used");
		return 0;
	}
	if (it->itype[0] == '\0') {
		aws_warn(st, it->line, 0, "price list: instance rows without an instance type are not used");
		return 0;
	}
	if (it->capacity[0] && !ieq(it->capacity, "Used")) {
		aws_warn(st, it->line, 0, "price list: capacity-reservation rows (CapacityStatus not Used) are not prices of running instances; not used");
		return 0;
	}
	if (it->market[0] && !ieq(it->market, "OnDemand")) {
		aws_warn(st, it->line, 0, "price list: Capacity Block and other market options are not used");
		return 0;
	}
	if (ieq(it->tenancy, "Host")) {
		aws_warn(st, it->line, 0, "price list: instances on dedicated hosts are priced per host; not used");
		return 0;
	}
	quantity = ieq(it->unit, "Quantity");
	if (!quantity && !ieq(it->unit, "Hrs")) {
		aws_warn(st, it->line, 0, "price list: price dimensions other than Hrs and Quantity are not used");
		return 0;
	}
	region = it->region_code[0] ? it->region_code : aws_location_region(it->location);
	if (region == NULL) {
		aws_warn(st, it->line, 0, "price list: rows of a Location with no known region code are not used");
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
			aws_warn(st, it->line, 0, "price list: reserved terms with an unknown length or purchase option are not used");
			return 0;
		}
		oclass = ieq(it->oclass, "convertible") ? "convertible" : "standard";
	} else if (quantity) {
		aws_warn(st, it->line, 0, "price list: on-demand fees per quantity are not used");
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
			aws_family_of(it->itype, st->prod_family, sizeof st->prod_family);
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
			aws_warn(st, it->line, 0, "price list: an upfront fee on a No Upfront term is not used");
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

int
aws_sp_item(struct aws_state *st, const struct sp_item *it, struct ic_error *err)
{
	char qb[IC_QUOTE_SIZE];
	struct price_row r;
	char platform[96], itype[64], fam[32];
	const char *region, *term, *payment;
	int64_t rate;

	memset(&r, 0, sizeof r);
	if (it->service[0] && !ieq(it->service, "AmazonEC2")) {
		aws_warn(st, it->line, 0, "savings plans: rates of services other than EC2 (Fargate, Lambda, SageMaker) are not used");
		return 0;
	}
	if (aws_platform_op(it->usage_type, it->operation, platform, sizeof platform) == NULL) {
		aws_warn(st, it->line, 0, "savings plans: rates of usage that is not an instance hour (unused reservations, hosts) are not used");
		return 0;
	}
	if (it->unit[0] && !ieq(it->unit, "Hrs")) {
		aws_warn(st, it->line, 0, "savings plans: rates per unit other than Hrs are not used");
		return 0;
	}
	if (it->itype[0]) {
		str_copy_fit(itype, sizeof itype, it->itype);
	} else {
		const char *c = strchr(it->usage_type, ':');
		str_copy_fit(itype, sizeof itype, c ? c + 1 : "");
	}
	if (itype[0] == '\0') {
		aws_warn(st, it->line, 0, "savings plans: rates without an instance type are not used");
		return 0;
	}
	region = it->region_code[0] ? it->region_code : aws_location_region(it->location);
	if (region == NULL) {
		aws_warn(st, it->line, 0, "savings plans: rates of a Location with no known region code are not used");
		return 0;
	}
	term = aws_term(it->lease, it->lease_unit);
	payment = aws_payment(it->purchase);
	if (term == NULL || payment == NULL) {
		aws_warn(st, it->line, 0, "savings plans: rates with an unknown term or purchase option are not used");
		return 0;
	}
	if (it->currency[0] == '\0')
		return ic_error_at(err, st->sink->name, it->line, it->rate_col, "a rate without a currency code");
	if (price_money(it->rate, strlen(it->rate), &rate) != 0)
		return ic_error_at(err, st->sink->name, it->line, it->rate_col,
				   "rate '%s' is not a decimal number >= 0",
				   ic_quote(it->rate, strlen(it->rate), 40, qb));
	aws_family_of(itype, fam, sizeof fam);
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

/* ---- open, finish, close ---- */

void *
aws_open(struct price_sink *s, struct ic_error *err)
{
	return price_state_new(sizeof(struct aws_state), s, err);
}

int
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
			aws_warn(st, q->line, 0, "price list: an All Upfront term without its hourly row; hourly read as 0");
			if (emit_pending(st, q, err) != 0)
				return -1;
			continue;
		}
		aws_warn(st, q->line, 0, "price list: a reserved term with its upfront fee or its hourly row missing is not used");
	}
	st->npend = 0;
	return 0;
}

void
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

