/*
 * timeparse.h - timestamps in billing files, as seconds since the epoch (UTC).
 *
 * Accepted (docs/FORMATS.md section 6.6): 2023-11-01, 2023-11-01T00:00:00Z,
 * 2023-11-01T00:00:00.000Z, 2024-09-01 00:00:00, 2022-07-01 00:00:00.000,
 * 2020-11-09 23:00:00 UTC, offsets +08:00 / +0800 / -05, and minutes without
 * seconds.  A timestamp without zone is taken as UTC unless the caller says
 * otherwise (China bills: tz_default_s = 8*3600).  Fractions of a second are
 * dropped.  Field ranges are checked: hour 30 or 31 February is an error.
 * Independent of TZ and of the C library's time functions.
 */
#ifndef IMCOST_TIMEPARSE_H
#define IMCOST_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "common/decimal.h"	/* enum num_status */

/* Days since 1970-01-01 of a proleptic Gregorian date (no range check). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of days_from_civil. */
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/*
 * Parse s[0..len).  Returns NUM_OK with *out set, NUM_NULL for a null token,
 * NUM_SYNTAX for anything else.  tz_default_s is the offset east of UTC
 * applied when the text carries no zone.
 */
enum num_status time_parse(const char *s, size_t len, int tz_default_s, int64_t *out);

/* Parse "YYYY-MM" (or "YYYYMM"): *start = first second of that month UTC,
 * *end = first second of the next month.  Returns 0, or -1 if malformed. */
int month_parse(const char *s, int64_t *start, int64_t *end);

/* The first second of the month after the one containing t. */
int64_t month_next(int64_t t);
/* The first second of the month containing t. */
int64_t month_start(int64_t t);

/* "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 32 bytes); returns buf. */
char *time_format(int64_t t, char *buf);
/* "YYYY-MM-DD" into buf (>= 32 bytes); returns buf. */
char *date_format(int64_t t, char *buf);
/* "YYYY-MM" into buf (>= 32 bytes); returns buf. */
char *month_format(int64_t t, char *buf);

#endif
