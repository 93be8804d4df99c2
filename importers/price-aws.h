/*
 * price-aws.h - what the parts of the AWS Price List reader share
 * (price-aws.c: one price dimension, a savings plans rate, the parser's
 * state; price-aws-names.c: locations, platforms, terms; price-aws-csv.c
 * and price-aws-json.c: the two file formats).  Private to those files.
 */
#ifndef IMCOST_PRICE_AWS_H
#define IMCOST_PRICE_AWS_H

#include <stddef.h>
#include <stdint.h>

#include "common/csvreader.h"
#include "common/error.h"
#include "importers/prices.h"

struct kept_prod;	/* price-aws-json.c */
struct spillmap;	/* spillmap.h */

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

struct sp_item {
	const char *rate, *currency, *usage_type, *operation, *service, *purchase, *lease,
		   *lease_unit, *family, *region_code, *location, *itype, *sku, *unit;
	long line, rate_col;
};

/* A counted warning of the parser's sink (prices.h). */
void aws_warn(struct aws_state *st, long line, long col, const char *msg);
/* "c6i" of "c6i.xlarge", "db.r6g" of "db.r6g.large", into buf[n] */
void aws_family_of(const char *itype, char *buf, size_t n);
/* Filter, name and price one price dimension (price-aws.c).  0, or -1
 * with err set. */
int aws_item(struct aws_state *st, const struct aws_item *it, struct ic_error *err);
/* One savings plans rate.  0, or -1 with err set. */
int aws_sp_item(struct aws_state *st, const struct sp_item *it, struct ic_error *err);
/* price_format's open, finish and close of both formats; open returns
 * the state (owned by the caller: aws_close frees it), NULL with err set. */
void *aws_open(struct price_sink *s, struct ic_error *err);
int aws_finish(void *st, struct ic_error *err);
void aws_close(void *st);

#endif
