/*
 * test_decimal.c - Check unit tests for common/decimal.c: exact money
 * parsing (rounding at the ninth decimal, int64 limits, junk, null
 * tokens), number parsing, money formatting and overflow-checked addition.
 */
#include <check.h>
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "common/decimal.h"

/* money_parse on a C string; *out is preset to garbage to prove it is reset. */
static enum num_status
mp(const char *s, int64_t *out)
{
	*out = 777;
	return money_parse(s, strlen(s), out);
}

static void
money_ok(const char *s, int64_t want)
{
	int64_t v;
	enum num_status st = mp(s, &v);

	ck_assert_msg(st == NUM_OK, "money_parse(\"%s\") status %d", s, (int)st);
	ck_assert_msg(v == want, "money_parse(\"%s\") = %lld, want %lld", s,
	    (long long)v, (long long)want);
}

static void
money_status(const char *s, enum num_status want)
{
	int64_t v;
	enum num_status st = mp(s, &v);

	ck_assert_msg(st == want, "money_parse(\"%s\") status %d, want %d", s,
	    (int)st, (int)want);
	ck_assert_msg(v == 0, "money_parse(\"%s\") left %lld on failure", s,
	    (long long)v);
}

START_TEST(test_money_plain)
{
	money_ok("12", 12000000000LL);
	money_ok("-0.5", -500000000LL);
	money_ok(".5", 500000000LL);
	money_ok("5.", 5000000000LL);
	money_ok("+3", 3000000000LL);
	money_ok("0", 0);
	money_ok("-0", 0);
	money_ok("-0.000", 0);
	money_ok("007.250", 7250000000LL);
	money_ok("  1.25\t", 1250000000LL);
	money_ok("\t -2 ", -2000000000LL);
	money_ok("0.000000001", 1);
	money_ok("-0.000000001", -1);
	money_ok("123456.789012345", 123456789012345LL);
	/* CUR's ten decimals, read 8 digits at a time, then rounded */
	money_ok("0.1234567895", 123456790);
	money_ok("-2.1700000004", -2170000000LL);
	money_ok("98765.4321098765", 98765432109877LL);
}
END_TEST

START_TEST(test_money_exponent)
{
	money_ok("5e-06", 5000);
	money_ok("35.2E-7", 3520);
	money_ok("35.2E+7", 352000000LL * NANOS_PER_UNIT);
	money_ok("35.2e7", 352000000LL * NANOS_PER_UNIT);
	money_ok("1E+2", 100LL * NANOS_PER_UNIT);
	money_ok("-1.5e1", -15LL * NANOS_PER_UNIT);
	money_ok(".5e1", 5LL * NANOS_PER_UNIT);
	money_ok("5.e-1", 500000000LL);
	money_ok("0.000000000000000000000000000000000000001e39", NANOS_PER_UNIT);
	money_ok("1000000000000000000000e-21", NANOS_PER_UNIT);
	money_ok("1e-30", 0);
	money_ok("-1e-30", 0);
	money_ok("5e-10", 1);
	money_ok("-5e-10", -1);
	money_ok("4.9999e-10", 0);
	money_ok("-4.9999e-10", 0);
	money_ok("1.5e-9", 2);
	money_ok("-1.5e-9", -2);
	money_ok("1e-999999999999", 0);
	money_ok("1e-99999999999999999999999999999", 0);
	money_ok("0e999999999999", 0);
	money_ok("0.0e99999999999999999999999999999", 0);
}
END_TEST

START_TEST(test_money_rounding_28_decimals)
{
	/* 28 decimals as billing exports write them. */
	money_ok("0.1234567891234567891234567891", 123456789);
	money_ok("0.1234567895000000000000000000", 123456790);
	money_ok("-0.1234567895000000000000000000", -123456790);
	money_ok("0.1234567894999999999999999999", 123456789);
	money_ok("-0.1234567894999999999999999999", -123456789);
	money_ok("1.0000000005000000000000000000", 1000000001);
	money_ok("-1.0000000005000000000000000000", -1000000001);
	money_ok("0.0000000004999999999999999999", 0);
	money_ok("-0.0000000004999999999999999999", 0);
	money_ok("0.0000000005000000000000000000", 1);
	money_ok("19.9999999999999999999999999999", 20LL * NANOS_PER_UNIT);
	money_ok("-19.9999999999999999999999999999", -20LL * NANOS_PER_UNIT);
	money_ok("0.0000340000000000000000000000", 34000);
}
END_TEST

START_TEST(test_money_limits)
{
	money_ok("9223372036.854775807", INT64_MAX);
	money_ok("-9223372036.854775807", -INT64_MAX);
	money_ok("9223372036.8547758074999", INT64_MAX);
	money_ok("9223372036854775807e-9", INT64_MAX);
	money_ok("0.9223372036854775807e10", INT64_MAX);
	money_status("9223372036.854775808", NUM_RANGE);
	money_status("-9223372036.854775808", NUM_RANGE);
	money_status("9223372036.8547758075", NUM_RANGE);
	money_status("-9223372036.8547758075", NUM_RANGE);
	money_status("10000000000", NUM_RANGE);
	money_status("99999999999.5", NUM_RANGE);
	money_status("18446744073.709551616", NUM_RANGE);
	money_status("1e10", NUM_RANGE);
	money_status("1e400", NUM_RANGE);
	money_status("-1e400", NUM_RANGE);
	money_status("1e999999999999", NUM_RANGE);
	money_status("1e99999999999999999999999999999999999", NUM_RANGE);
	money_status("123456789012345678901234567890", NUM_RANGE);
}
END_TEST

START_TEST(test_money_junk)
{
	static const char *junk[] = {
		"1,5", "$3", "3$", "€1", "1.2.3", "--1", "+-1", "-+1", "1e", "e5",
		".", "+", "-", "+.", "-.e1", "0x10", "0X1p3", "inf", "-inf", "nan",
		"Infinity", "1 2", "1e5.5", "1e+-5", "1e--5", "1ee5", "1e5 x",
		"1_000", "1'000", "1.5-", "1,000.00", "\xef\xbc\x91", "abc",
		"1d5", "e", "E+", "12a", "- 1", "NA", "nil", "1/2", "\"1\"",
		"1\n", "\n1", "\r", "1.5%",
	};
	size_t i;

	for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
		money_status(junk[i], NUM_SYNTAX);
}
END_TEST

START_TEST(test_money_embedded_nul_and_len)
{
	int64_t v;

	v = 5;
	ck_assert_int_eq(money_parse("1\0", 2, &v), NUM_SYNTAX);
	ck_assert(v == 0);
	ck_assert_int_eq(money_parse("\0", 1, &v), NUM_SYNTAX);
	ck_assert_int_eq(money_parse("1\0002", 3, &v), NUM_SYNTAX);
	ck_assert_int_eq(money_parse("nu\0l", 4, &v), NUM_SYNTAX);
	/* Only len bytes are read: no terminator needed. */
	ck_assert_int_eq(money_parse("12345", 2, &v), NUM_OK);
	ck_assert(v == 12 * NANOS_PER_UNIT);
	ck_assert_int_eq(money_parse("1.5e3junk", 5, &v), NUM_OK);
	ck_assert(v == 1500 * NANOS_PER_UNIT);
	ck_assert_int_eq(money_parse("xyz", 0, &v), NUM_NULL);
}
END_TEST

START_TEST(test_money_long_inputs)
{
	static char buf[20010];
	int64_t v;

	/* 20000 leading zeros, then 1. */
	memset(buf, '0', 20000);
	buf[20000] = '1';
	ck_assert_int_eq(money_parse(buf, 20001, &v), NUM_OK);
	ck_assert(v == NANOS_PER_UNIT);
	/* "0." followed by 20000 fractional digits: 0.1111... */
	buf[0] = '0';
	buf[1] = '.';
	memset(buf + 2, '1', 20000);
	ck_assert_int_eq(money_parse(buf, 20002, &v), NUM_OK);
	ck_assert(v == 111111111);
	memset(buf + 2, '9', 20000);
	ck_assert_int_eq(money_parse(buf, 20002, &v), NUM_OK);
	ck_assert(v == NANOS_PER_UNIT);
	/* 20000 integer digits: out of range, not wrapped. */
	memset(buf, '9', 20000);
	ck_assert_int_eq(money_parse(buf, 20000, &v), NUM_RANGE);
}
END_TEST

START_TEST(test_null_tokens)
{
	static const char *nulls[] = {
		"", " ", "\t", "  \t ", "NULL", "null", "Null", "nULL", " None ",
		"none", "NONE", "N/A", "n/a", "N/a", "\tnull\t",
	};
	static const char *not_null[] = {
		"0", "nul", "nulls", "NA", "n-a", "nil", "-", "none1", "n /a",
	};
	size_t i;
	double d;

	for (i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
		ck_assert_msg(is_null_token(nulls[i], strlen(nulls[i])),
		    "\"%s\" should be a null token", nulls[i]);
		money_status(nulls[i], NUM_NULL);
		d = 3.0;
		ck_assert_int_eq(number_parse(nulls[i], strlen(nulls[i]), &d), NUM_NULL);
		ck_assert(d == 0.0);
	}
	for (i = 0; i < sizeof not_null / sizeof not_null[0]; i++)
		ck_assert_msg(!is_null_token(not_null[i], strlen(not_null[i])),
		    "\"%s\" is not a null token", not_null[i]);
	ck_assert(is_null_token("NULLx", 4));
}
END_TEST

/* Every value survives money_format(.., 9, ..) -> money_parse. */
START_TEST(test_money_roundtrip)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char buf[40];
	int64_t v, back;
	int i;

	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		v = (int64_t)(x >> (i % 60));
		if (i & 1)
			v = -v;
		if (v == INT64_MIN)
			continue;
		money_format(v, 9, i & 2, buf);
		if (i & 2) {
			/* grouped form is display-only: must be refused */
			if (strchr(buf, ',') != NULL)
				ck_assert_int_eq(mp(buf, &back), NUM_SYNTAX);
			continue;
		}
		ck_assert_int_eq(mp(buf, &back), NUM_OK);
		ck_assert_msg(back == v, "%s -> %lld, want %lld", buf,
		    (long long)back, (long long)v);
	}
}
END_TEST

static void
number_ok(const char *s, double want, double tol)
{
	double d = -123.0;
	enum num_status st = number_parse(s, strlen(s), &d);

	ck_assert_msg(st == NUM_OK, "number_parse(\"%s\") status %d", s, (int)st);
	if (tol == 0.0)
		ck_assert_msg(d == want, "number_parse(\"%s\") = %.17g, want %.17g",
		    s, d, want);
	else
		ck_assert_msg(d - want <= tol && want - d <= tol,
		    "number_parse(\"%s\") = %.17g, want %.17g", s, d, want);
}

START_TEST(test_number_parse)
{
	double d;

	number_ok("1.5", 1.5, 0);
	number_ok("-0.25", -0.25, 0);
	number_ok("0.1", 0.1, 0);
	number_ok(" 12 ", 12.0, 0);
	number_ok(".5", 0.5, 0);
	number_ok("5.", 5.0, 0);
	number_ok("5e-06", 5e-06, 0);
	number_ok("35.2E+7", 352000000.0, 0);
	number_ok("35.2E-7", 35.2e-7, 1e-21);
	number_ok("0.0", 0.0, 0);
	number_ok("123456789012345678901234567890", 1.2345678901234568e29, 1e15);
	number_ok("0.1234567891234567891234567891", 0.12345678912345679, 1e-16);
	number_ok("1e308", 1e308, 1e293);
	number_ok("1.7976931348623157e308", DBL_MAX, 1e293);
	number_ok("2.2250738585072014e-308", DBL_MIN, 1e-322);
	number_ok("1e-400", 0.0, 0);
	number_ok("1e-99999999999999999999", 0.0, 0);
	number_ok("0e99999999999999999999", 0.0, 0);
	number_ok("-9007199254740993", -9007199254740992.0, 2.0);

	d = 1.0;
	ck_assert_int_eq(number_parse("1e309", 5, &d), NUM_RANGE);
	ck_assert(d == 0.0);
	ck_assert_int_eq(number_parse("-1e309", 6, &d), NUM_RANGE);
	ck_assert_int_eq(number_parse("1e999999999999", 14, &d), NUM_RANGE);
	ck_assert_int_eq(number_parse("inf", 3, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("-Infinity", 9, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("nan", 3, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("NaN", 3, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("1,5", 3, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("0x1p3", 5, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("1e", 2, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("1\0", 2, &d), NUM_SYNTAX);
	ck_assert_int_eq(number_parse("N/A", 3, &d), NUM_NULL);
}
END_TEST

static void
fmt_is(int64_t v, int dec, int group, const char *want)
{
	char buf[40];

	memset(buf, 'x', sizeof buf);
	ck_assert_str_eq(money_format(v, dec, group, buf), want);
	ck_assert_ptr_eq(money_format(v, dec, group, buf), buf);
}

START_TEST(test_money_format)
{
	fmt_is(1234567891000000LL, 2, 1, "1,234,567.89");
	fmt_is(1234567891000000LL, 2, 0, "1234567.89");
	fmt_is(1234567895000000LL, 2, 1, "1,234,567.90");
	fmt_is(-1234567895000000LL, 2, 1, "-1,234,567.90");
	fmt_is(-1234567894999999LL, 2, 1, "-1,234,567.89");
	fmt_is(0, 2, 1, "0.00");
	fmt_is(-4999999, 2, 0, "0.00");
	fmt_is(-5000000, 2, 0, "-0.01");
	fmt_is(5000000, 2, 0, "0.01");
	fmt_is(999000000000LL, 2, 1, "999.00");
	fmt_is(1000000000000LL, 2, 1, "1,000.00");
	fmt_is(100000000000000LL, 2, 1, "100,000.00");
	fmt_is(-1000000000000000LL, 0, 1, "-1,000,000");
	fmt_is(999999999, 0, 0, "1");
	fmt_is(500000000, 0, 0, "1");
	fmt_is(499999999, 0, 0, "0");
	fmt_is(-500000000, 0, 0, "-1");
	fmt_is(123, 9, 0, "0.000000123");
	fmt_is(-123, 9, 0, "-0.000000123");
	fmt_is(123, 12, 0, "0.000000123");	/* clamped to 9 */
	fmt_is(1500000000, -3, 0, "2");		/* clamped to 0 */
	fmt_is(INT64_MAX, 9, 1, "9,223,372,036.854775807");
	fmt_is(INT64_MIN, 9, 1, "-9,223,372,036.854775808");
	fmt_is(INT64_MIN, 2, 1, "-9,223,372,036.85");
	fmt_is(INT64_MAX, 0, 0, "9223372037");
	fmt_is(-INT64_MAX, 5, 0, "-9223372036.85478");
}
END_TEST

static void
json_is(int64_t v, const char *want)
{
	char buf[40];

	ck_assert_str_eq(money_format_json(v, buf), want);
}

START_TEST(test_money_format_json)
{
	json_is(1500000000, "1.5");
	json_is(-1000, "-0.000001");
	json_is(12000000000LL, "12");
	json_is(0, "0");
	json_is(-499, "0");
	json_is(499, "0");
	json_is(500, "0.000001");
	json_is(-500, "-0.000001");
	json_is(10000, "0.00001");
	json_is(1234567890123LL, "1234.56789");
	json_is(1234567899500LL, "1234.5679");
	json_is(-12345000000LL, "-12.345");
	json_is(999999500, "1");
	json_is(INT64_MAX, "9223372036.854776");
	json_is(INT64_MIN, "-9223372036.854776");
}
END_TEST

START_TEST(test_money_add)
{
	int64_t s = 0;

	ck_assert_int_eq(money_add(1, 2, &s), 0);
	ck_assert(s == 3);
	ck_assert_int_eq(money_add(INT64_MAX, -1, &s), 0);
	ck_assert(s == INT64_MAX - 1);
	ck_assert_int_eq(money_add(INT64_MAX - 1, 1, &s), 0);
	ck_assert(s == INT64_MAX);
	ck_assert_int_eq(money_add(INT64_MAX, 1, &s), -1);
	ck_assert_int_eq(money_add(1, INT64_MAX, &s), -1);
	ck_assert_int_eq(money_add(INT64_MAX, INT64_MAX, &s), -1);
	ck_assert_int_eq(money_add(-INT64_MAX, 1, &s), 0);
	ck_assert(s == -INT64_MAX + 1);
	ck_assert_int_eq(money_add(-INT64_MAX, -1, &s), -1);
	ck_assert_int_eq(money_add(-INT64_MAX, -INT64_MAX, &s), -1);
	ck_assert_int_eq(money_add(INT64_MIN, -1, &s), -1);
	ck_assert_int_eq(money_add(INT64_MAX, -INT64_MAX, &s), 0);
	ck_assert(s == 0);
}
END_TEST

Suite *
decimal_suite(void)
{
	Suite *s = suite_create("decimal");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_money_plain);
	tcase_add_test(tc, test_money_exponent);
	tcase_add_test(tc, test_money_rounding_28_decimals);
	tcase_add_test(tc, test_money_limits);
	tcase_add_test(tc, test_money_junk);
	tcase_add_test(tc, test_money_embedded_nul_and_len);
	tcase_add_test(tc, test_money_long_inputs);
	tcase_add_test(tc, test_null_tokens);
	tcase_add_test(tc, test_money_roundtrip);
	tcase_add_test(tc, test_number_parse);
	tcase_add_test(tc, test_money_format);
	tcase_add_test(tc, test_money_format_json);
	tcase_add_test(tc, test_money_add);
	suite_add_tcase(s, tc);
	return s;
}
