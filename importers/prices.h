/*
 * prices.h - provider price lists: the parsers, what they emit, and the
 * lookup helpers shared with the unit tests (issue 14).
 *
 * A price-list format is a `struct importer` of kind KIND_PRICES
 * (importers.c) whose `prices` member holds its parser.  The import
 * driver (import.c) detects it like a bill, then hands every CSV record
 * (from the first line on: AWS files start with 5 metadata lines) or the
 * JSON document to the parser, which emits one `struct price_row` per
 * price through a `struct price_sink`.  The driver's sink writes them to
 * the `prices` table (prices-db.c); the unit tests' sink collects them.
 *
 * Money is exact: nanos of `currency`.  A reserved or subscription offer
 * is an upfront fee for the whole term plus an hourly rate; savings plans
 * are hourly rates only.  Everything a parser does not keep is counted in
 * a warning with the reason (never dropped silently).
 */
#ifndef IMCOST_PRICES_H
#define IMCOST_PRICES_H

#include <stddef.h>
#include <stdint.h>

#include "common/csvreader.h"
#include "common/error.h"

struct cJSON;

enum price_kind {
	PK_ON_DEMAND,		/* hourly list price */
	PK_RESERVED,		/* RI / reservation: upfront + hourly */
	PK_SAVINGS_PLAN,	/* instance-family savings plan: hourly rate of this type */
	PK_COMPUTE_SAVINGS_PLAN,/* compute savings plan: hourly rate of this type */
	PK_SUBSCRIPTION,	/* Alibaba/Tencent prepaid (包年包月): upfront + hourly */
	NPRICE_KINDS
};

/* Names stored in prices.kind. */
extern const char *const price_kind_names[NPRICE_KINDS];

struct price_row {
	const char *provider;		/* "AWS", "Azure", "GCP", "Alibaba", "Tencent" */
	const char *region;		/* region code: us-east-1, eastus, us-central1 */
	const char *instance_type;
	const char *platform;		/* Linux, Windows, RHEL, ... (price-aws.c) */
	enum price_kind kind;
	const char *term;		/* "" (on demand), "1m", "1y", "3y" */
	const char *payment;		/* "", no_upfront, partial_upfront, all_upfront */
	const char *offering_class;	/* "", standard, convertible */
	const char *currency;
	int64_t upfront;		/* nanos, once per term */
	int64_t hourly;			/* nanos per hour */
	const char *usage_type, *operation, *sku;	/* NULL when unknown */
	/* instance attributes, 0 / NULL when unknown */
	double vcpu, memory_gib, size_factor;
	const char *family;
	long line;			/* where it was read (CSV), for messages */
};

/* Where a parser's output goes. */
struct price_sink {
	const char *name;		/* file name, for FILE:LINE:COL errors */
	/* One price.  Returns 0, or -1 with err set. */
	int (*emit)(struct price_sink *s, const struct price_row *r, struct ic_error *err);
	/* The list's offer code and publication date (ISO 8601 text), when
	 * the file states them; may be called once before the rows. */
	void (*meta)(struct price_sink *s, const char *offer, const char *publication);
	/* A counted warning: msg is the same text for rows of the same kind. */
	void (*warn)(struct price_sink *s, long line, long col, const char *msg);
};

/* A parser.  open returns its state (NULL with err set); exactly one of
 * csv_record (each record, from the file's first) and json_doc (the whole
 * document) is called, then finish (end of input: flush, check), then
 * close.  json_item, when the format has one, may replace json_doc. */
struct price_format {
	void *(*open)(struct price_sink *s, struct ic_error *err);
	int (*csv_record)(void *st, const struct csv_record *rec, struct ic_error *err);
	int (*json_doc)(void *st, const struct cJSON *v, struct ic_error *err);
	/* Optional, for lists too big to parse whole: the name of the
	 * top-level array member whose elements json_item reads one at a
	 * time (element idx, from 0), in place of json_doc, when the document
	 * streams (import.c: a pretty-printed document whose first array
	 * member this is). */
	const char *json_items;
	int (*json_item)(void *st, const struct cJSON *item, long idx, struct ic_error *err);
	/* Optional, for lists keyed by object members (AWS offer files):
	 * the objects (jsonscan.h's json_osplit paths, NULL-terminated) whose
	 * members json_member reads one at a time ({"KEY": VALUE} parsed
	 * alone; which = the index in json_objects, parent = the object's own
	 * key as written, line = the member's), then json_skeleton the
	 * document with those objects emptied, in place of json_doc, when the
	 * document streams (import.c: json_objects[0] is the first of them to
	 * open, before any array member). */
	const char *const *json_objects;
	int (*json_member)(void *st, int which, const char *parent, const struct cJSON *member,
			   long line, struct ic_error *err);
	int (*json_skeleton)(void *st, const struct cJSON *doc, struct ic_error *err);
	int (*finish)(void *st, struct ic_error *err);
	void (*close)(void *st);
};

extern const struct price_format price_aws_csv, price_aws_json, price_azure_json,
	price_gcp_json, price_generic_csv;

/* ---- helpers (exposed for the unit tests) ---- */

/* Region code of an AWS Price List `Location` ("US East (N. Virginia)" ->
 * "us-east-1"), or NULL when unknown. */
const char *aws_location_region(const char *location);

/*
 * The platform name imcost uses for an AWS price: the operating system
 * as the CUR's product/operatingSystem writes it (Linux, Windows, RHEL,
 * SUSE, ...), " with SQL Web|Std|Ent" when SQL Server is pre-installed,
 * " BYOL" for bring-your-own-license, and " (Dedicated)" / " (Host)" for
 * those tenancies.  From the offer file's attributes.  Writes buf.
 */
char *aws_platform(const char *os, const char *preinstalled, const char *license,
		   const char *tenancy, char *buf, size_t n);
/* The same from a usage type and operation code (Savings Plans files:
 * BoxUsage/DedicatedUsage + RunInstances:0002 = Windows ...).  Returns
 * NULL when the usage is not an instance hour (e.g. UnusedBox). */
char *aws_platform_op(const char *usage_type, const char *operation, char *buf, size_t n);

/* term / payment names from AWS's LeaseContractLength ("1yr", "3yr", "1",
 * "3 year") and PurchaseOption ("No Upfront", ...); NULL when unknown. */
const char *aws_term(const char *lease, const char *unit);
const char *aws_payment(const char *purchase_option);

/* GCP Money {units (string or number), nanos} -> nanos of the currency.
 * Returns 0, or -1 when malformed or out of range. */
int gcp_money(const struct cJSON *units, const struct cJSON *nanos, int64_t *out);

/* A GCP machine type's shape (vCPU, GiB) from the shipped table
 * (price-gcp.c); 0 when unknown. */
int gcp_shape(const char *machine_type, double *vcpu, double *gib);
/* The catalog series of a machine type ("n2-standard-4" -> "N2"),
 * written to buf; NULL when not a predefined type. */
char *gcp_series(const char *machine_type, char *buf, size_t n);

/*
 * GCP_UNIT_TYPES: a series' vCPU and GiB prices are kept per unit under
 * the instance type "<series>:vcpu-hour" and "<series>:gib-hour" (lower
 * case, "n2:vcpu-hour"), provider GCP, platform Linux: on demand, and
 * committed use as reserved 1y/3y no_upfront rows.  A --pricing catalog
 * may give the same keys.  gcp_unit_type writes that name to buf and
 * returns buf.
 */
char *gcp_unit_type(const char *series, int ram, char *buf, size_t n);
/* The series (lower case, "n2") and part (*ram 0 vCPU, 1 RAM) of an
 * on-demand core or RAM SKU description as a bill writes it ("N2 Instance
 * Core running in Americas"); 0 when it is not one (custom, sole-tenant,
 * GPU, ...). */
int gcp_sku_part(const char *desc, char *series, size_t n, int *ram);

/* vcpu x core + gib100 / 100 x ram (nanos), rounded half away from zero:
 * a machine type's hourly price from its series' vCPU and GiB prices. */
int64_t gcp_compose(int vcpu, int gib100, int64_t core, int64_t ram);

/* A parser's state of `size` bytes, zeroed, whose first member is the
 * `struct price_sink *` it emits to (set to s).  NULL with err on ENOMEM;
 * the caller frees it. */
void *price_state_new(size_t size, struct price_sink *s, struct ic_error *err);

/* Is CSV field f the column name `name` (ASCII case-insensitive, blanks
 * and a UTF-8 BOM around it ignored)? */
int price_field_is(const struct csv_field *f, const char *name);

/* Parse a decimal price text into nanos (>= 0).  0 or -1. */
int price_money(const char *s, size_t len, int64_t *out);

#endif
