/*
 * importer.h - the shape every input format plugs into.
 *
 * An importer knows one format: how to recognise its header, and how to
 * map one record onto FOCUS charges (or usage metrics).  It never touches
 * the database or the file: the driver (import.c) reads records, calls
 * the importer's row function, and writes what it emits.  Adding a format
 * is one new file defining a `const struct importer` and one line in the
 * table in importers.c.
 */
#ifndef IMCOST_IMPORTER_H
#define IMCOST_IMPORTER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/csvreader.h"
#include "common/decimal.h"
#include "common/error.h"

struct cJSON;

/* A slice of the current record (not NUL-terminated unless it came from a
 * field); valid until the row function returns. */
struct str {
	const char *s;
	size_t len;
};

/* Text columns of a charge, in the order they are stored. */
enum charge_text {
	CT_CURRENCY,		/* BillingCurrency (required) */
	CT_PROVIDER,		/* ProviderName (required) */
	CT_BILLING_ACCOUNT,	/* BillingAccountId (required) */
	CT_SUB_ACCOUNT,
	CT_CHARGE_CATEGORY,	/* Usage Purchase Tax Credit Adjustment (required) */
	CT_CHARGE_CLASS,
	CT_CHARGE_FREQUENCY,
	CT_CHARGE_DESCRIPTION,
	CT_PRICING_CATEGORY,	/* Standard Dynamic Committed Other */
	CT_CD_ID,
	CT_CD_TYPE,
	CT_CD_STATUS,		/* Used Unused */
	CT_CD_CATEGORY,		/* Spend Usage */
	CT_SERVICE_NAME,
	CT_SERVICE_CATEGORY,
	CT_REGION,
	CT_AZ,
	CT_RESOURCE_ID,
	CT_RESOURCE_TYPE,
	CT_SKU_ID,
	CT_CONSUMED_UNIT,
	CT_PRICING_UNIT,
	CT_TAGS,		/* JSON object text */
	CT_X_INSTANCE_TYPE,
	CT_X_USAGE_TYPE,
	CT_X_OPERATION,
	CT_X_PLATFORM,
	CT_X_LINE_ITEM_TYPE,
	CT_X_SERVICE_CODE,	/* the provider's code of the service: AWS lineItem/ProductCode */
	CT_COUNT
};

/* One FOCUS charge.  Zero it (charge_clear) before filling. */
struct charge {
	int64_t billed, effective;	/* nano-units; required */
	int64_t list, contracted;
	int has_list, has_contracted;
	double consumed_qty, pricing_qty;
	int has_consumed_qty, has_pricing_qty;
	int64_t charge_start, charge_end;	/* seconds, end exclusive */
	int64_t period_start, period_end;	/* billing period, end exclusive */
	struct str text[CT_COUNT];		/* len 0 or s NULL = NULL */
};

/* One usage metric sample, under the name and in the unit its provider
 * exports it (the driver maps it onto imcost's vocabulary: metrics.h).
 * statistic: the statistic the value is (Average, Sum, Maximum...), or a
 * null slice when the name or the format says it.  Zero it before
 * filling. */
struct metric {
	struct str resource_id, metric, unit, statistic;
	int64_t ts;
	double value;
};

/* The header of a CSV file: names trimmed, compared case-insensitively.
 * A name may repeat: header_find finds the first, and dup (NULL, or one
 * flag a column) marks every later column whose trimmed name is the same
 * bytes as an earlier one's, for importers that walk the columns. */
struct header {
	const struct csv_field *f;
	int n;
	const unsigned char *dup;
};

/* Index of the column named `name` (ASCII case-insensitive), or -1. */
int header_find(const struct header *h, const char *name);
/* Index of the first of several alternative names present, or -1. */
int header_find_any(const struct header *h, const char *const *names);

/*
 * The driver's side of a row: where the record came from and where its
 * charges go.  Importers use the rc_* helpers to read typed fields: they
 * produce FILE:LINE:COLUMN errors naming the column.
 */
struct row_ctx;

/* The record's field at index col (col may be -1: an absent column,
 * read as an empty string). */
struct str rc_field(const struct row_ctx *rc, int col);

/* Parse money in column col into *out.  Null or absent -> *out = dflt and
 * returns 0 (or, with required, an error).  Returns 0, or -1 with err set. */
int rc_money(struct row_ctx *rc, int col, int required, int64_t dflt, int64_t *out,
	     struct ic_error *err);
/* Parse money, telling whether a value was present: *present = 0 for null. */
int rc_money_opt(struct row_ctx *rc, int col, int64_t *out, int *present,
		 struct ic_error *err);
/*
 * Money in a column that only feeds list cost (CUR
 * pricing/publicOnDemandCost, FOCUS ListCost, Azure paygCost..., GCP
 * cost_at_list, the 原价 of Alibaba and Tencent): as rc_money_opt, except
 * that a value that is not a number at all ("convertible", "N/A") is
 * stored as NULL (*present = 0) and counted in one warning per column,
 * with the line and column of the first.  A number out of range is still
 * an error.  Billed and effective cost columns stay strict: never use this
 * for them.
 */
int rc_money_list(struct row_ctx *rc, int col, int64_t *out, int *present,
		  struct ic_error *err);
/* Parse a quantity; *present = 0 for null. */
int rc_number(struct row_ctx *rc, int col, double *out, int *present, struct ic_error *err);
/* Parse a timestamp (tz_default_s: offset for zone-less text). */
int rc_time(struct row_ctx *rc, int col, int required, int tz_default_s, int64_t *out,
	    int *present, struct ic_error *err);
/*
 * Check a billing currency code read from column col (-1: not from a
 * column): currency_code_ok (common/decimal.h).  Anything else
 * (a newline, a quote, a '!' ...) is an error naming the code.  Returns
 * 0, or -1 with err set.
 */
int rc_currency(struct row_ctx *rc, int col, struct str cur, struct ic_error *err);
/* An error at column col of this record: "FILE:LINE:COL: column NAME: ...". */
int rc_error(struct row_ctx *rc, int col, struct ic_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Which dataset of its format this file is, when a row shows it: "actual"
 * or "amortized" (Azure; a static string).  A file showing both is
 * neither.  The driver lets an amortized file's rows replace an actual
 * file's shared rows in the same command too (import.c). */
void rc_set_dataset(struct row_ctx *rc, const char *dataset);
/* A warning (counted, and printed once per distinct message by the CLI). */
void rc_warn(struct row_ctx *rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same, remembering column col (0-based) of the first occurrence. */
void rc_warn_col(struct row_ctx *rc, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Column col as the Tags of a charge (importer.h: JSON object text): the
 * field itself when it is one JSON object (surrounding blanks allowed;
 * with skip_empty, an object without members reads as null); a null slice
 * when it is null; and a null slice plus a warning naming the column
 * (counted, with the line and column of the first) when it is any other
 * text: the row is kept.  The slice points into the record. */
struct str rc_tags(struct row_ctx *rc, int col, int skip_empty);

/* Check the JSON in column col (jsonscan.h: duplicate keys, nesting,
 * non-finite numbers) before it is parsed.  Returns 0, or -1 with err
 * set at the field: "column NAME: duplicate key ... at byte N of its
 * JSON". */
int rc_json_field(struct row_ctx *rc, int col, struct ic_error *err);

/* Hand a finished charge or metric to the driver.  Returns 0 or -1. */
int rc_emit_charge(struct row_ctx *rc, const struct charge *c, struct ic_error *err);
int rc_emit_metric(struct row_ctx *rc, const struct metric *m, struct ic_error *err);

/* Slices of string constants and of C strings (NULL: a null slice).
 * Inline, so that the length of a literal is known when compiling: the
 * mappings call it for several constants on every row. */
static inline struct str
str_c(const char *s)
{
	struct str r = { s, s ? strlen(s) : 0 };
	return r;
}
/* Is the slice null (absent, empty, or a null token)? */
int str_null(struct str s);
/* Case-insensitive equality with a C string. */
int str_ieq(struct str s, const char *c);

void charge_clear(struct charge *c);

enum import_kind { KIND_CHARGES, KIND_USAGE, KIND_PRICES };

struct price_format;

/*
 * What a file of a format is a complete copy of, i.e. which rows of
 * earlier imports (other batches) its rows replace (README "Replacement
 * rules"); always within the same provider and billing account.
 */
enum restates {
	RESTATES_PERIOD = 0,	/* every billing period it has (AWS CUR) */
	RESTATES_PERIOD_WINDOW,	/* in each billing period it has, the rows whose
				   ChargePeriodStart lies in its span (FOCUS, Azure) */
	RESTATES_WINDOW,	/* any period: rows whose ChargePeriodStart lies in
				   the span of its own charge starts (GCP) */
	RESTATES_NOTHING,	/* cannot tell: it adds, with a warning on overlap */
};

struct importer {
	const char *name;		/* --as name, e.g. "aws-cur" */
	const char *description;	/* one line for `imcost formats` */
	const char *needs;		/* the columns it needs, for `imcost formats` */
	enum import_kind kind;
	/* How well the header matches: 0 = not this format; higher wins. */
	int (*detect)(const struct header *h);
	/* Map columns; return per-file state (freed by close) or NULL with err. */
	void *(*open)(const struct header *h, struct ic_error *err);
	/* Map one data record; emit 0..n charges or metrics through rc.  A
	 * record that emits nothing must say why with rc_warn. */
	int (*row)(void *state, struct row_ctx *rc, struct ic_error *err);
	void (*close)(void *state);

	/*
	 * JSON formats set these instead of detect/row (open then gets a NULL
	 * header).  A file whose first non-blank byte is '{' or '[' is JSON:
	 * either one document (CloudWatch get-metric-data, Prometheus
	 * query_range, Tencent DescribeBillDetail) or JSON lines, one value
	 * per line (BigQuery export).  detect_json scores the document or the
	 * first line; json_row maps the document or one line, with rc's line
	 * set to that line.  rc_field returns "" for JSON rows.
	 */
	int (*detect_json)(const struct cJSON *v);
	int (*json_row)(void *state, struct row_ctx *rc, const struct cJSON *v,
			struct ic_error *err);

	/* Price lists (kind KIND_PRICES, importers/prices.h): detect and
	 * detect_json as above (detect sees the first record), and this
	 * parser instead of open/row/json_row. */
	const struct price_format *prices;
	/* Optional: after a file imported without error, the instance size
	 * factors it states (AWS CUR lineItem/NormalizationFactor), each
	 * through put(arg, provider, instance type, factor); the driver keeps
	 * them in instance_types where a price list gave none. */
	void (*size_factors)(void *state,
			     void (*put)(void *arg, const char *provider, const char *type, double f),
			     void *arg);

	/* What a file restates (charges only); 0 = its billing periods. */
	enum restates restates;
};

/* The best JSON importer for a parsed value; NULL if none. */
const struct importer *importer_detect_json(const struct cJSON *v);

/* All importers, NULL-terminated (importers.c). */
extern const struct importer *const importers[];

/* Find by name; NULL if unknown. */
const struct importer *importer_find(const char *name);
/* The best match for a header; NULL if none. */
const struct importer *importer_detect(const struct header *h);

#endif
