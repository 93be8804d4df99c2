/*
 * test_timeparse.c - Check unit tests for common/timeparse.c: every
 * timestamp form listed in timeparse.h (T or space, Z, fractions, " UTC",
 * +08:00 / +0800 / -05 offsets, no seconds, date only), the default zone
 * applied only to zone-less text, rejected input (hour 30 from the FOCUS
 * spec example, 29 February of a common year, month 13, junk, trailing
 * text), the civil-day conversions, month_parse / month_next / month_start
 * across year ends, leap years and negative epochs, and the formatters.
 *
 * Expected epochs come from a naive year-by-year day count written here
 * (checked against hand anchors such as 2023-11-01T00:00:00Z = 1698796800),
 * never from the code under test.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/timeparse.h"

/* ---- an independent calendar: count days one year and month at a time ---- */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return dm[m - 1] + (m == 2 && leap(y));
}

static int64_t
naive_days(int y, int m, int d)
{
	int64_t n = 0;

	if (y >= 1970)
		for (int k = 1970; k < y; k++)
			n += leap(k) ? 366 : 365;
	else
		for (int k = y; k < 1970; k++)
			n -= leap(k) ? 366 : 365;
	for (int k = 1; k < m; k++)
		n += mdays(y, k);
	return n + d - 1;
}

static int64_t
ep(int y, int mo, int d, int h, int mi, int s)
{
	return naive_days(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + s;
}

/* time_parse on a C string; *out preset to garbage to prove it is set. */
static enum num_status
tp(const char *s, int tz, int64_t *out)
{
	*out = 12345;
	return time_parse(s, strlen(s), tz, out);
}

static void
time_ok(const char *s, int tz, int64_t want)
{
	int64_t v;
	enum num_status st = tp(s, tz, &v);

	ck_assert_msg(st == NUM_OK, "time_parse(\"%s\", %d) status %d, want NUM_OK", s, tz, (int)st);
	ck_assert_msg(v == want, "time_parse(\"%s\", %d) = %lld, want %lld", s, tz,
		      (long long)v, (long long)want);
}

static void
time_bad(const char *s)
{
	int64_t v;
	enum num_status st = tp(s, 0, &v);

	ck_assert_msg(st == NUM_SYNTAX, "time_parse(\"%s\") status %d, want NUM_SYNTAX (value %lld)",
		      s, (int)st, (long long)v);
}

START_TEST(test_calendar_anchors)
{
	/* the helper itself against hand-known anchors */
	ck_assert(ep(1970, 1, 1, 0, 0, 0) == 0);
	ck_assert(ep(2023, 11, 1, 0, 0, 0) == 1698796800LL);
	ck_assert(ep(2023, 12, 1, 0, 0, 0) == 1698796800LL + 30 * 86400);
	ck_assert(ep(2024, 1, 1, 0, 0, 0) == 1704067200LL);
	ck_assert(ep(2024, 3, 1, 0, 0, 0) - ep(2024, 2, 1, 0, 0, 0) == 29 * 86400);
	ck_assert(ep(1969, 12, 31, 23, 59, 59) == -1);
	ck_assert(ep(1900, 1, 1, 0, 0, 0) == -2208988800LL);

	/* days_from_civil and civil_from_days, day by day, 1899-12-01 .. 2101-03-01 */
	{
		int y = 1899, m = 12, d = 1;
		int64_t n = naive_days(y, m, d);
		while (y < 2101 || m < 3) {
			int ry;
			unsigned rm, rd;
			ck_assert_msg(days_from_civil(y, (unsigned)m, (unsigned)d) == n,
				      "days_from_civil(%d-%02d-%02d) = %lld, want %lld", y, m, d,
				      (long long)days_from_civil(y, (unsigned)m, (unsigned)d), (long long)n);
			civil_from_days(n, &ry, &rm, &rd);
			ck_assert_msg(ry == y && rm == (unsigned)m && rd == (unsigned)d,
				      "civil_from_days(%lld) = %d-%u-%u, want %d-%d-%d",
				      (long long)n, ry, rm, rd, y, m, d);
			n++;
			if (++d > mdays(y, m)) {
				d = 1;
				if (++m > 12) {
					m = 1;
					y++;
				}
			}
		}
	}
}
END_TEST

START_TEST(test_forms)
{
	int64_t base = 1698796800LL;	/* 2023-11-01T00:00:00Z */

	time_ok("2023-11-01T00:00:00Z", 0, base);
	time_ok("2023-11-01", 0, base);
	time_ok("2023-11-01T00:00:00.000Z", 0, base);
	time_ok("2023-11-01T00:00:00.999999Z", 0, base);	/* fraction dropped */
	time_ok("2023-11-01 00:00:00", 0, base);
	time_ok("2023-11-01T00:00:00", 0, base);
	time_ok("2023-11-01t00:00:00z", 0, base);
	time_ok("2024-09-01 00:00:00", 0, ep(2024, 9, 1, 0, 0, 0));
	time_ok("2024-09-01 00:00:00", 0, 1725148800LL);
	time_ok("2022-07-01 00:00:00.000", 0, ep(2022, 7, 1, 0, 0, 0));
	time_ok("2020-11-09 23:00:00 UTC", 0, ep(2020, 11, 9, 23, 0, 0));
	time_ok("2023-11-01T12:34:56Z", 0, base + 12 * 3600 + 34 * 60 + 56);
	time_ok("2023-11-01T12:34Z", 0, base + 12 * 3600 + 34 * 60);	/* no seconds */
	time_ok("2023-11-01 12:34", 0, base + 12 * 3600 + 34 * 60);
	time_ok("2023-11-01T23:59:59Z", 0, base + 86399);
	time_ok("  2023-11-01T00:00:00Z\t", 0, base);	/* surrounding blanks */

	/* offsets: local time minus offset */
	time_ok("2023-11-01T08:00:00+08:00", 0, base);
	time_ok("2023-11-01T08:00:00+0800", 0, base);
	time_ok("2023-11-01T08:00+08:00", 0, base);
	time_ok("2023-10-31T19:00:00-05", 0, base);
	time_ok("2023-10-31T19:00:00-05:00", 0, base);
	time_ok("2023-11-01T00:00:00+00:00", 0, base);
	time_ok("2023-11-01T05:30:00+05:30", 0, base);
	time_ok("2023-11-01T00:00:00.123+01:00", 0, base - 3600);
	time_ok("2023-10-31T14:00:00-10:00", 0, base);
	/* offsets crossing a year end and a leap day */
	time_ok("2024-01-01T07:59:59+08:00", 0, ep(2023, 12, 31, 23, 59, 59));
	time_ok("2024-02-29T20:00:00-05:00", 0, ep(2024, 3, 1, 1, 0, 0));
}
END_TEST

START_TEST(test_default_zone)
{
	int64_t base = 1698796800LL;
	int cst = 8 * 3600;

	/* zone-less text: the default offset applies */
	time_ok("2023-11-01 08:00:00", cst, base);
	time_ok("2023-11-01T08:00", cst, base);
	time_ok("2023-11-01", cst, base - cst);	/* midnight China time */
	time_ok("2023-11-01 00:00:00.000", -3600, base + 3600);
	/* any explicit zone overrides it */
	time_ok("2023-11-01T00:00:00Z", cst, base);
	time_ok("2023-11-01T00:00:00.000Z", cst, base);
	time_ok("2023-11-01 00:00:00 UTC", cst, base);
	time_ok("2023-11-01T09:00:00+09:00", cst, base);
	time_ok("2023-11-01T00:00:00+00:00", cst, base);
	time_ok("2023-11-01T00:00:00-00:00", cst, base);
}
END_TEST

START_TEST(test_rejects)
{
	time_bad("2023-02-01T30:00:00Z");	/* FOCUS spec example: hour 30 */
	time_bad("2023-02-01T25:00:00Z");
	time_bad("2023-02-01T24:01:00Z");
	time_bad("2023-02-01T23:60:00Z");
	time_bad("2023-02-01T23:59:61Z");
	time_bad("2023-02-29");			/* not a leap year */
	time_bad("2023-02-29T00:00:00Z");
	time_bad("1900-02-29");			/* century, not a leap year */
	time_bad("2100-02-29");
	time_bad("2023-13-01");
	time_bad("2023-00-10");
	time_bad("2023-01-00");
	time_bad("2023-04-31");
	time_bad("2023-01-32");
	time_bad("abc");
	time_bad("2023");
	time_bad("2023-11");
	time_bad("23-11-01");
	time_bad("2023/11/01");
	time_bad("11/01/2023");
	time_bad("2023-1-01");
	time_bad("2023-11-1");
	time_bad("2023-11-01T");
	time_bad("2023-11-01T0");
	time_bad("2023-11-01T00");
	time_bad("2023-11-01T00:");
	time_bad("2023-11-01T00:0");
	time_bad("2023-11-01T00:00:");
	time_bad("2023-11-01T00:00:00.");
	time_bad("2023-11-01T00:00:00.Z");
	time_bad("2023-11-01T00:00:00ZZ");
	time_bad("2023-11-01T00:00:00Z junk");
	time_bad("2023-11-01 garbage");
	time_bad("2023-11-01x");
	time_bad("2023-11-01T00:00:00 EST");
	time_bad("2023-11-01T00:00:00 UTC+1");
	time_bad("2023-11-01T00:00:00+");
	time_bad("2023-11-01T00:00:00+8");
	time_bad("2023-11-01T00:00:00+08:0");
	time_bad("2023-11-01T00:00:00+08:60");
	time_bad("2023-11-01T00:00:00+15:00");
	time_bad("2023-11-01T00:00:00+08:00:00");
	time_bad("2023-11-01T00:00:00+08:");	/* dangling colon */
	time_bad("-2023-11-01");
	time_bad("2023-11-01T00:00:00Z\n");
}
END_TEST

START_TEST(test_edges)
{
	int64_t v;

	/* null tokens */
	ck_assert_int_eq(tp("", 0, &v), NUM_NULL);
	ck_assert_int_eq(tp("   ", 0, &v), NUM_NULL);
	ck_assert_int_eq(tp("NULL", 0, &v), NUM_NULL);
	ck_assert_int_eq(tp("null", 0, &v), NUM_NULL);
	/* on failure nothing useful is left behind */
	ck_assert_int_eq(tp("2023-13-01", 0, &v), NUM_SYNTAX);
	ck_assert(v == 0);

	/* len bounds the text: a longer buffer is not read past len */
	v = 1;
	ck_assert_int_eq(time_parse("2023-11-01T00:00:00Zgarbage", 20, 0, &v), NUM_OK);
	ck_assert(v == 1698796800LL);
	ck_assert_int_eq(time_parse("2023-11-01XX", 10, 0, &v), NUM_OK);
	ck_assert(v == 1698796800LL);

	/* leap days and 24:00 (end of day) */
	time_ok("2024-02-29T12:00:00Z", 0, ep(2024, 2, 29, 12, 0, 0));
	time_ok("2000-02-29", 0, 951782400LL);
	time_ok("2023-11-01T24:00:00Z", 0, ep(2023, 11, 2, 0, 0, 0));
	time_ok("2023-12-31T24:00:00Z", 0, ep(2024, 1, 1, 0, 0, 0));
	/* a leap second stays in its minute */
	time_ok("2016-12-31T23:59:60Z", 0, ep(2016, 12, 31, 23, 59, 59));

	/* negative epochs */
	time_ok("1969-12-31T23:59:59Z", 0, -1);
	time_ok("1969-12-31", 0, -86400);
	time_ok("1900-01-01T00:00:00Z", 0, -2208988800LL);
	time_ok("1960-02-29 06:07:08", 0, ep(1960, 2, 29, 6, 7, 8));
	time_ok("1970-01-01T01:00:00+02:00", 0, -3600);

	/* far years */
	time_ok("2099-12-31T23:59:59Z", 0, ep(2099, 12, 31, 23, 59, 59));
	time_ok("9999-12-31", 0, ep(9999, 12, 31, 0, 0, 0));
	time_ok("0001-01-01", 0, ep(1, 1, 1, 0, 0, 0));
}
END_TEST

static void
month_ok(const char *s, int64_t want_start, int64_t want_end)
{
	int64_t a = -7, b = -7;

	ck_assert_msg(month_parse(s, &a, &b) == 0, "month_parse(\"%s\") failed", s);
	ck_assert_msg(a == want_start && b == want_end,
		      "month_parse(\"%s\") = [%lld, %lld), want [%lld, %lld)", s,
		      (long long)a, (long long)b, (long long)want_start, (long long)want_end);
}

START_TEST(test_month_parse)
{
	int64_t a, b;

	month_ok("2023-11", 1698796800LL, 1701388800LL);
	month_ok("202311", 1698796800LL, 1701388800LL);
	month_ok("2023-12", ep(2023, 12, 1, 0, 0, 0), ep(2024, 1, 1, 0, 0, 0));
	month_ok("202312", ep(2023, 12, 1, 0, 0, 0), 1704067200LL);
	month_ok("2024-01", 1704067200LL, ep(2024, 2, 1, 0, 0, 0));
	month_ok("2024-02", ep(2024, 2, 1, 0, 0, 0), ep(2024, 2, 1, 0, 0, 0) + 29 * 86400);
	month_ok("2023-02", ep(2023, 2, 1, 0, 0, 0), ep(2023, 2, 1, 0, 0, 0) + 28 * 86400);
	month_ok("1969-12", -2678400LL, 0);
	month_ok("1969-11", -5270400LL, -2678400LL);
	month_ok("1970-01", 0, 31 * 86400);

	ck_assert_int_eq(month_parse("2023-13", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023-00", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023-1", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023-", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023-11-01", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023-11 ", &a, &b), -1);
	ck_assert_int_eq(month_parse("20231", &a, &b), -1);
	ck_assert_int_eq(month_parse("2023111", &a, &b), -1);
	ck_assert_int_eq(month_parse("Nov 2023", &a, &b), -1);
	ck_assert_int_eq(month_parse("", &a, &b), -1);
}
END_TEST

START_TEST(test_month_next_start)
{
	/* within a month, at its first and last second */
	ck_assert(month_start(1698796800LL) == 1698796800LL);
	ck_assert(month_start(1698796800LL + 15 * 86400 + 7) == 1698796800LL);
	ck_assert(month_start(1701388800LL - 1) == 1698796800LL);
	ck_assert(month_next(1698796800LL) == 1701388800LL);
	ck_assert(month_next(1701388800LL - 1) == 1701388800LL);

	/* across the year end */
	ck_assert(month_next(ep(2023, 12, 31, 23, 59, 59)) == 1704067200LL);
	ck_assert(month_next(ep(2023, 12, 1, 0, 0, 0)) == 1704067200LL);
	ck_assert(month_start(ep(2023, 12, 31, 23, 59, 59)) == ep(2023, 12, 1, 0, 0, 0));
	ck_assert(month_start(1704067200LL) == 1704067200LL);

	/* February of leap and common years */
	ck_assert(month_next(ep(2024, 2, 29, 23, 0, 0)) == ep(2024, 3, 1, 0, 0, 0));
	ck_assert(month_next(ep(2024, 2, 1, 0, 0, 0)) - ep(2024, 2, 1, 0, 0, 0) == 29 * 86400);
	ck_assert(month_next(ep(2023, 2, 1, 0, 0, 0)) - ep(2023, 2, 1, 0, 0, 0) == 28 * 86400);
	ck_assert(month_next(ep(2000, 2, 10, 0, 0, 0)) == ep(2000, 3, 1, 0, 0, 0));
	ck_assert(month_next(ep(1900, 2, 10, 0, 0, 0)) - ep(1900, 2, 1, 0, 0, 0) == 28 * 86400);

	/* negative epochs round toward the past, not toward zero */
	ck_assert(month_start(-1) == -2678400LL);
	ck_assert(month_next(-1) == 0);
	ck_assert(month_start(-86400) == -2678400LL);
	ck_assert(month_start(-2678400LL) == -2678400LL);
	ck_assert(month_start(-2678400LL - 1) == -5270400LL);
	ck_assert(month_next(-2678400LL - 1) == -2678400LL);
	ck_assert(month_start(ep(1969, 1, 1, 0, 0, 1)) == ep(1969, 1, 1, 0, 0, 0));
	ck_assert(month_next(ep(1968, 12, 31, 12, 0, 0)) == ep(1969, 1, 1, 0, 0, 0));
	ck_assert(month_start(0) == 0);
	ck_assert(month_next(0) == 31 * 86400);

	/* walk every month 1960..2040 both ways */
	{
		int64_t t = ep(1960, 1, 1, 0, 0, 0);
		for (int y = 1960; y < 2040; y++)
			for (int m = 1; m <= 12; m++) {
				int64_t want = ep(y, m, 1, 0, 0, 0) + (int64_t)mdays(y, m) * 86400;
				ck_assert_msg(t == ep(y, m, 1, 0, 0, 0), "walk at %d-%02d", y, m);
				ck_assert_msg(month_next(t) == want, "month_next(%d-%02d)", y, m);
				ck_assert_msg(month_next(want - 1) == want, "month_next(end of %d-%02d)", y, m);
				ck_assert_msg(month_start(want - 1) == t, "month_start(end of %d-%02d)", y, m);
				t = want;
			}
	}
}
END_TEST

START_TEST(test_format)
{
	char buf[32];

	ck_assert_str_eq(time_format(1698796800LL, buf), "2023-11-01T00:00:00Z");
	ck_assert_str_eq(time_format(ep(2024, 2, 29, 23, 59, 58), buf), "2024-02-29T23:59:58Z");
	ck_assert_str_eq(time_format(-1, buf), "1969-12-31T23:59:59Z");
	ck_assert_str_eq(time_format(0, buf), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(date_format(-1, buf), "1969-12-31");
	ck_assert_str_eq(date_format(1704067199LL, buf), "2023-12-31");
	ck_assert_str_eq(month_format(1704067199LL, buf), "2023-12");
	ck_assert_str_eq(month_format(-2678400LL - 1, buf), "1969-11");
	ck_assert_str_eq(month_format(1704067200LL, buf), "2024-01");
}
END_TEST

Suite *
timeparse_suite(void)
{
	Suite *s = suite_create("timeparse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_calendar_anchors);
	tcase_add_test(tc, test_forms);
	tcase_add_test(tc, test_default_zone);
	tcase_add_test(tc, test_rejects);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_month_parse);
	tcase_add_test(tc, test_month_next_start);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}
