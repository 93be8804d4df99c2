/*
 * price-aws-csv.c - AWS Price List CSV files: the offer files (5
 * metadata rows, then "SKU","OfferTermCode","RateCode","TermType",...)
 * and the Savings Plans files (header SKU,RateCode,...,DiscountedRate),
 * each record handed to price-aws.c as one price dimension or rate.
 */
#include <stdio.h>
#include <string.h>

#include "importers/importer.h"
#include "importers/price-aws.h"
#include "importers/prices.h"

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
			/* cut to the field at a character, never inside one
			 * (price_lists keeps them as UTF-8 text) */
			if (price_field_is(&rec->f[0], "Publication Date"))
				snprintf(st->publication, sizeof st->publication, "%.*s",
					 (int)str_fit(rec->f[1].s, rec->f[1].len, sizeof st->publication - 1),
					 rec->f[1].s);
			else if (price_field_is(&rec->f[0], "OfferCode"))
				snprintf(st->offer, sizeof st->offer, "%.*s",
					 (int)str_fit(rec->f[1].s, rec->f[1].len, sizeof st->offer - 1),
					 rec->f[1].s);
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
		return aws_sp_item(st, &it, err);
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

const struct price_format price_aws_csv = {
	.open = aws_open, .csv_record = aws_csv_record, .finish = aws_finish, .close = aws_close,
};
