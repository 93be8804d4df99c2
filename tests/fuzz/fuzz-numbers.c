/*
 * fuzz-numbers.c - libFuzzer harness for the number, money and time
 * parsers of common/decimal.h and common/timeparse.h, and for ic_quote.
 *
 * The whole input is one field.  Invariants (abort() when broken):
 *  money_parse   a status other than NUM_OK leaves 0; NUM_NULL exactly for
 *                is_null_token; a value is never INT64_MIN; it survives
 *                money_format(9 decimals) -> money_parse unchanged, and
 *                appending "e0" to a plain number changes nothing;
 *                money_format_json and 2-decimal money_format round it by
 *                at most half a unit of their last digit; number_parse
 *                accepts what money_parse accepts, within 1e-9.
 *  number_parse  NUM_OK values are finite.
 *  time_parse    the same status for any default zone, and a zone-less
 *                time moves by exactly the default offset; a parsed time
 *                survives time_format -> time_parse (years 0..9999);
 *                month_start(t) <= t < month_next(t).
 *  month_parse   start < end, start is a month start, end = month_next.
 *  ic_quote      stays inside its documented buffer (4*max+8) and writes
 *                only printable ASCII, valid UTF-8 and \xNN escapes.
 *
 * A check whose bug is reported but not fixed yet is compiled out of the
 * fuzzing build by a FUZZ_OPEN_BUG_* define (FUZZ_OPEN_BUGS in mk/fuzz.mk),
 * so the fuzzer goes on finding new bugs; the replay build keeps every
 * check, and tests/fuzz/regressions/open-bugs.txt lists the inputs that
 * still fail.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "common/error.h"
#include "common/timeparse.h"
#include "tests/fuzz/fuzz-replay.h"

static void fuzz_fail(const char *what, const char *s, size_t n) __attribute__((noreturn));
static void
fuzz_fail(const char *what, const char *s, size_t n)
{
	fprintf(stderr, "fuzz invariant broken: %s (input %zu bytes: '%.*s')\n", what, n,
		(int)(n > 200 ? 200 : n), s);
	abort();
}

static int
utf8_printable(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t need, k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (i + need > n)
			return 0;
		if (c == 0xe0) lo = 0xa0;
		else if (c == 0xed) hi = 0x9f;
		else if (c == 0xf0) lo = 0x90;
		else if (c == 0xf4) hi = 0x8f;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k < need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += need;
	}
	return 1;
}

static int64_t
abs_diff(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

static void
check_money(const char *s, size_t n)
{
	int64_t v, w;
	double d;
	char buf[64];
	enum num_status st = money_parse(s, n, &v), dst;

	if (st != NUM_OK && st != NUM_NULL && st != NUM_SYNTAX && st != NUM_RANGE)
		fuzz_fail("money_parse: unknown status", s, n);
	if (st != NUM_OK && v != 0)
		fuzz_fail("money_parse: value left on failure", s, n);
	if ((st == NUM_NULL) != (is_null_token(s, n) != 0))
		fuzz_fail("money_parse: NUM_NULL differs from is_null_token", s, n);
	dst = number_parse(s, n, &d);
	if (dst == NUM_OK && !isfinite(d))
		fuzz_fail("number_parse: not finite", s, n);
	if (dst != NUM_OK && d != 0.0)
		fuzz_fail("number_parse: value left on failure", s, n);
	if (st != NUM_OK)
		return;
	if (v == INT64_MIN)
		fuzz_fail("money_parse: INT64_MIN", s, n);
	money_format(v, 9, 0, buf);
	if (money_parse(buf, strlen(buf), &w) != NUM_OK || w != v)
		fuzz_fail("money_format(9) does not parse back to the same nanos", s, n);
	money_format(v, 9, 1, buf);
	for (const char *p = buf; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == ',' || *p == '.' || *p == '-'))
			fuzz_fail("money_format(group) wrote a stray byte", s, n);
	/* Rounding to fewer decimals may step past the int64 range at the very
	 * top (9223372036.854775807 -> ...854776): that is the one case where
	 * the rounded text need not parse back. */
	money_format(v, 2, 0, buf);
	if (money_parse(buf, strlen(buf), &w) != NUM_OK) {
		if (v < INT64_MAX - 5000000 && v > -INT64_MAX + 5000000)
			fuzz_fail("money_format(2) does not parse back", s, n);
	} else if (abs_diff(w, v) > 5000000 || w % 10000000 != 0) {
		fuzz_fail("money_format(2) rounds by more than half a cent", s, n);
	}
	money_format_json(v, buf);
	if (money_parse(buf, strlen(buf), &w) != NUM_OK) {
		if (v < INT64_MAX - 500 && v > -INT64_MAX + 500)
			fuzz_fail("money_format_json does not parse back", s, n);
	} else if (abs_diff(w, v) > 500 || w % 1000 != 0) {
		fuzz_fail("money_format_json rounds by more than half a micro-unit", s, n);
	}
	if (dst != NUM_OK)
		fuzz_fail("number_parse refuses what money_parse accepts", s, n);
	if (fabs(d - (double)v / 1e9) > 1e-9 + 1e-14 * fabs(d))
		fuzz_fail("number_parse and money_parse disagree", s, n);
	/* "12.5" and "12.5e0" are the same number */
	if (n < 200 && memchr(s, 'e', n) == NULL && memchr(s, 'E', n) == NULL &&
	    memchr(s, ' ', n) == NULL && memchr(s, '\t', n) == NULL) {
		char t[210];
		memcpy(t, s, n);
		memcpy(t + n, "e0", 2);
		if (money_parse(t, n + 2, &w) != NUM_OK || w != v)
			fuzz_fail("appending e0 changed the value", s, n);
	}
}

static void
check_time(const char *s, size_t n)
{
	static const int64_t lo = -62167219200LL;	/* 0000-01-01 */
	static const int64_t hi = 253402300800LL;	/* 10000-01-01 */
	int64_t t0, t8, t;
	char buf[64];
	enum num_status a = time_parse(s, n, 0, &t0), b = time_parse(s, n, 8 * 3600, &t8);

	if (a != b)
		fuzz_fail("time_parse: status depends on the default zone", s, n);
	if ((a == NUM_NULL) != (is_null_token(s, n) != 0))
		fuzz_fail("time_parse: NUM_NULL differs from is_null_token", s, n);
	if (a != NUM_OK)
		return;
	if (t0 != t8 && t0 - t8 != 8 * 3600)
		fuzz_fail("time_parse: the default zone moved a time by another amount", s, n);
	if (month_start(t0) > t0 || month_next(t0) <= t0 ||
	    month_next(month_start(t0)) != month_next(t0))
		fuzz_fail("month_start/month_next do not bracket the time", s, n);
	if (t0 >= lo && t0 < hi) {
		time_format(t0, buf);
		if (time_parse(buf, strlen(buf), 0, &t) != NUM_OK || t != t0)
			fuzz_fail("time_format does not parse back to the same time", s, n);
	}
}

static void
check_month(const char *s, size_t n)
{
	char *z = malloc(n + 1);
	int64_t start, end, s2, e2;
	char buf[64];

	if (z == NULL)
		return;
	memcpy(z, s, n);
	z[n] = '\0';
	if (month_parse(z, &start, &end) == 0) {
		if (end <= start || month_start(start) != start || month_next(start) != end)
			fuzz_fail("month_parse: not one calendar month", s, n);
		month_format(start, buf);
		if (month_parse(buf, &s2, &e2) != 0 || s2 != start || e2 != end)
			fuzz_fail("month_format does not parse back", s, n);
	}
	free(z);
}

static void
check_quote(const char *s, size_t n)
{
	size_t max = n ? (unsigned char)s[0] % 80 : 10;
	char *buf = malloc(4 * max + 8);

	if (buf == NULL)
		return;
	ic_quote(s, n, max, buf);
	{
		size_t len = strlen(buf);
		if (len + 1 > 4 * max + 8)
			fuzz_fail("ic_quote wrote past 4*max+8", s, n);
		int valid = utf8_printable((const unsigned char *)buf, len);
#ifdef FUZZ_OPEN_BUG_IC_QUOTE_UTF8
		valid = 1;	/* reported, not fixed: see regressions/open-bugs.txt */
#endif
		if (!valid)
			fuzz_fail("ic_quote let a control byte or invalid UTF-8 through", s, n);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes, so ASan sees any read past the end */
	char *s = malloc(size ? size : 1);

	if (s == NULL)
		return 0;
	if (size)
		memcpy(s, data, size);
	check_money(s, size);
	check_time(s, size);
	check_month(s, size);
	check_quote(s, size);
	free(s);
	return 0;
}
