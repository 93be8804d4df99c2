/*
 * price-aws-json.c - AWS Price List JSON: offer files (products{} and
 * terms.OnDemand{} / terms.Reserved{}) read whole or member by member
 * (import.c), GetProducts items, and Savings Plans files.  Read member
 * by member, products are kept until their terms come: interned in
 * memory up to two thirds of offer_memory_limit(), the rest in a
 * spillmap on disk (spillmap.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "importers/importer.h"
#include "importers/price-aws.h"
#include "importers/prices.h"
#include "importers/spillmap.h"

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
				aws_warn(st, 1, 0, "price list: terms of a SKU missing from products are not used");
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
			aws_warn(st, 1, 0, "savings plans: plans missing from products are not used");
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
			if (aws_sp_item(st, &it, err) != 0)
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

	str_copy_fit(st->publication, sizeof st->publication, js(v, "publicationDate"));
	str_copy_fit(st->offer, sizeof st->offer, js(v, "offerCode"));
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
		str_copy_fit(st->offer, sizeof st->offer, js(v, "serviceCode"));
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
				str_copy_fit(st->publication, sizeof st->publication, js(it, "publicationDate"));
				str_copy_fit(st->offer, sizeof st->offer, js(it, "serviceCode"));
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
			aws_warn(st, 1, 0, "price list: terms of a SKU missing from products are not used");
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

	str_copy_fit(st->publication, sizeof st->publication, js(v, "publicationDate"));
	str_copy_fit(st->offer, sizeof st->offer, js(v, "offerCode"));
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

const struct price_format price_aws_json = {
	.open = aws_open, .json_doc = aws_json_doc, .finish = aws_finish, .close = aws_close,
	.json_objects = aws_objects, .json_member = aws_json_member,
	.json_skeleton = aws_json_skeleton,
};
