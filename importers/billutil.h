/*
 * billutil.h - helpers shared by the Azure, GCP, Alibaba, Tencent,
 * CloudWatch and Prometheus importers: localized header lookup, typed
 * values out of cJSON trees (exact money from JSON numbers and strings),
 * Python-repr / JSON literal parsing for flattened exports, "k:v;k:v" tags,
 * and the spreading of prepaid (包年包月) orders over their service period.
 */
#ifndef IMCOST_BILLUTIL_H
#define IMCOST_BILLUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "common/decimal.h"
#include "importers/importer.h"
#include "importers/jsonbuf.h"

struct cJSON;

/* China Standard Time, the zone of Alibaba and Tencent bills (no DST). */
#define TZ_CHINA (8 * 3600)

/*
 * Index of the first column whose normalized name equals one of names
 * (NULL-terminated), or -1.  Normalizing trims ASCII blanks, U+3000
 * (full-width space) and a UTF-8 BOM, drops a trailing unit suffix in
 * ASCII or full-width parentheses ("应付金额(元)", "原价（元）"), and
 * compares ASCII letters case-insensitively.
 */
int bu_hdr_find_norm(const struct header *h, const char *const *names);

/* The member at a dotted path ("service.description") of a JSON object:
 * each segment is looked up in turn, and the whole path is also tried as a
 * flat key.  NULL when absent or JSON null. */
const struct cJSON *bu_jpath(const struct cJSON *obj, const char *path);

/*
 * A JSON scalar as text: strings as they are, numbers in their shortest
 * round-trip form, booleans as true/false.  buf (>= 40 bytes, caller's)
 * holds the text of numbers.  Returns 0 with *out set (len 0 for null or
 * absent), or -1 for an object or array.
 */
int bu_json_scalar(const struct cJSON *v, char *buf, size_t n, struct str *out);

/*
 * Money out of a JSON number or numeric string, exact to the nano for any
 * number written with at most 15 significant digits.  Returns NUM_OK,
 * NUM_NULL (absent, null or an empty string), NUM_SYNTAX or NUM_RANGE.
 */
enum num_status bu_json_money(const struct cJSON *v, int64_t *out);
/* A quantity out of a JSON number or numeric string (same statuses). */
enum num_status bu_json_number(const struct cJSON *v, double *out);

/*
 * Parse a Python literal or JSON value (the repr that flattened BigQuery
 * CSVs hold: [{'key': 'k', 'value': None}]) into a cJSON tree.  Numbers
 * become JSON strings holding their exact text.  Returns the tree (caller
 * frees with cJSON_Delete) or NULL when the text is not such a literal.
 */
struct cJSON *bu_pyjson_parse(const char *s, size_t len);

/*
 * Append "key":"value" pairs parsed from "k1:v1;k2:v2" (Alibaba tags; also
 * accepts '=' and full-width '：') to b (between jb_begin and jb_end).
 * Returns the number of pairs.
 */
int bu_tags_kv_append(struct jsonbuf *b, const char *s, size_t len);

/* Is s (length len) valid UTF-8?  (JSON text must be.) */
int bu_utf8_valid(const char *s, size_t len);

/*
 * Check that every string and member name of a JSON tree is valid UTF-8
 * (cJSON passes raw bytes through and turns a lone \ud800 escape into an
 * encoded surrogate).  Returns 0, or -1 with the path of the first bad
 * string ("DetailSet[0].BusinessCodeName") in path (size n).
 */
int bu_json_utf8_check(const struct cJSON *v, char *path, size_t n);

/*
 * Spreading of a prepaid order (包年包月) for EffectiveCost.
 *
 * The order row is emitted as given in *order (its ChargeCategory is
 * Purchase, BilledCost the amount paid, EffectiveCost 0; the caller sets
 * every field), then its amount is emitted again as EffectiveCost over
 * [start, end): one Usage row per local day (zone tz), BilledCost 0,
 * PricingCategory Committed, CommitmentDiscountStatus Used, type
 * cd_type ("Subscription" for 包年包月, "Reservation"), id `cd_id`.
 * The daily shares are proportional to the
 * seconds of each day and add up to the amount exactly.
 *
 * Billing period and replacement key of the daily rows: each row carries
 * the local calendar month it falls in as its billing period (so a month's
 * EffectiveCost holds that month's share of every order), and the billing
 * account "ACCOUNT/prepaid-YYYY-MM" where YYYY-MM is the bill's own period
 * (order->period_start): a re-import of the same bill replaces these rows,
 * and the bill of another month never does.
 *
 * Returns 0, or -1 with err set.  A service period of more than
 * SPREAD_MAX_DAYS days is refused.
 */
#define SPREAD_MAX_DAYS 3700
struct spread_buf {
	char account[160];
	char desc[512];
};
int bu_spread_prepaid(struct row_ctx *rc, const struct charge *order, int64_t start, int64_t end,
		      int tz, struct str cd_id, const char *cd_type, struct spread_buf *sb,
		      struct ic_error *err);

/* The label of the local calendar month holding t (zone tz): first second
 * of that month as if it were UTC, the way billing periods are stored. */
int64_t bu_local_month(int64_t t, int tz);

/* A billing month written YYYY-MM, YYYYMM, YYYY/MM or as any date or time
 * inside it ("2023-07-01 00:00:00"): the first second of that month as a
 * UTC label into *start.  Returns 0, or -1 when it is none of these. */
int bu_month_label(struct str v, int64_t *start);

/* The EC2 instance type in an AWS usage type: "BoxUsage:m5.large",
 * "USE1-BoxUsage:m5.large", "EUW1-DedicatedUsage:c5.xlarge",
 * "SpotUsage:m5.large" -> "m5.large" (a slice of ut); a NULL str for any
 * other usage type (data transfer, EBS, RDS's "InstanceUsage:db...").
 * AWS's FOCUS export carries the type only there (x_UsageType). */
struct str bu_aws_usage_instance_type(struct str ut);

/* The platform of an EC2 operation code ("RunInstances" -> "Linux/UNIX",
 * "RunInstances:0002" -> "Windows"), NULL when not known. */
const char *bu_aws_platform_of_operation(struct str op);

#endif
