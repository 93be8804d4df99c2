/*
 * decimal.h - exact money and locale-independent number parsing.
 *
 * Money is held as a signed 64-bit count of nano-units (1e-9 of the
 * currency unit).  Billing files carry up to 28 decimals; everything past
 * the ninth is rounded half away from zero, so one row is off by at most
 * 5e-10 and a million rows by at most 5e-4: totals stay exact to the cent.
 * The largest magnitude is 9,223,372,036.854775807 units; larger values are
 * refused rather than wrapped.
 *
 * Nothing here calls setlocale or strtod: "1,5" is an error whatever the
 * process locale says.
 */
#ifndef IMCOST_DECIMAL_H
#define IMCOST_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define NANOS_PER_UNIT 1000000000LL

enum num_status {
	NUM_OK = 0,	/* a value was parsed */
	NUM_NULL,	/* empty, NULL, null, None: no value */
	NUM_SYNTAX,	/* not a number */
	NUM_RANGE	/* a number, but too large for its type */
};

/*
 * Parse s[0..len) as a decimal number ("12", "-0.5", ".5", "5e-06",
 * "35.2E+7", surrounding blanks allowed) into nano-units.  On NUM_OK
 * *out holds the value; on any other status *out is 0.  The range is
 * symmetric: |value| <= INT64_MAX nanos, so INT64_MIN is never produced
 * and every parsed value can be negated.
 */
enum num_status money_parse(const char *s, size_t len, int64_t *out);

/*
 * Parse s[0..len) as a floating-point quantity with the same syntax as
 * money_parse (plus "inf"/"nan" refused).  On NUM_OK *out holds the value.
 */
enum num_status number_parse(const char *s, size_t len, double *out);

/* Is s[0..len) one of the null tokens: "", NULL, null, None, N/A (any case)? */
int is_null_token(const char *s, size_t len);

/*
 * Format nanos with exactly `decimals` digits after the point (0..9,
 * clamped), rounding half away from zero; `group` inserts ',' every three
 * integer digits.  A value that rounds to zero has no sign ("0.00", never
 * "-0.00").  Writes into buf (at least 40 bytes, caller's) and returns buf.
 */
char *money_format(int64_t nanos, int decimals, int group, char *buf);

/*
 * Format nanos with at most 6 decimals (half away from zero), trailing
 * zeros removed ("1.5", "-0.000001", "12", "0"): the JSON and CSV form.
 * buf as above.
 */
char *money_format_json(int64_t nanos, char *buf);

/* Add with overflow detection: returns 0 and sets *sum, or -1 on overflow
 * (a result of INT64_MIN counts as overflow, keeping the range symmetric). */
int money_add(int64_t a, int64_t b, int64_t *sum);

/*
 * 1 when s[0..len) is a currency code imcost accepts anywhere (bills,
 * profiles, catalogs): ISO 4217's shape, three ASCII capital letters, or
 * one of the provider extensions listed in decimal.c (Azure's "MC").
 */
int currency_code_ok(const char *s, size_t len);

#endif
