/*
 * test_error.c - Check unit tests for common/error.c: a message longer
 * than IC_ERRMSG_MAX is cut at a UTF-8 character, never inside one, at
 * every cut position of 2-, 3- and 4-byte characters, with and without
 * ic_error_at's "FILE:LINE:COL: " prefix; what is kept is a prefix of the
 * whole message that loses less than one character; a message that fits
 * is kept whole.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

/* Is s valid UTF-8 (written here, not taken from the code under test)? */
static int
utf8_ok(const unsigned char *s)
{
	while (*s) {
		int need = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3
			   : (*s & 0xf8) == 0xf0 ? 4 : 0;
		if (need == 0)
			return 0;
		for (int k = 1; k < need; k++)
			if ((s[k] & 0xc0) != 0x80)
				return 0;
		s += need;
	}
	return 1;
}

/* pad ASCII bytes, then the character ch again and again up to 2x the limit */
static char *
long_text(size_t pad, const char *ch)
{
	size_t cl = strlen(ch), n = 2 * IC_ERRMSG_MAX;
	char *t = malloc(n + 8);
	size_t o = 0;

	memset(t, 'a', pad);
	o = pad;
	while (o + cl <= n) {
		memcpy(t + o, ch, cl);
		o += cl;
	}
	t[o] = '\0';
	return t;
}

static void
check_cut(const char *msg, const char *whole)
{
	size_t n = strlen(msg);

	ck_assert_msg(utf8_ok((const unsigned char *)msg), "cut inside a character at %zu", n);
	ck_assert_uint_le(n, IC_ERRMSG_MAX - 1);
	ck_assert_uint_ge(n, IC_ERRMSG_MAX - 4);	/* less than one character lost */
	ck_assert_int_eq(memcmp(msg, whole, n), 0);
}

START_TEST(test_cut_at_character)
{
	static const char *const chars[] = { "\xc3\xa9", "\xe5\x93\x8c", "\xf0\x9f\x98\x80" };
	struct ic_error err;

	for (size_t c = 0; c < 3; c++)
		for (size_t pad = 0; pad < 4; pad++) {
			char *t = long_text(pad, chars[c]);
			char *whole = malloc(strlen(t) + 64);

			ic_errorf(&err, "%s", t);
			check_cut(err.msg, t);

			/* the prefix shifts the cut as a longer file name does */
			for (int f = 1; f <= 4; f++) {
				char file[8];
				snprintf(file, sizeof file, "%.*s", f, "abcd");
				sprintf(whole, "%s:12:3: %s", file, t);
				ic_error_at(&err, file, 12, 3, "%s", t);
				check_cut(err.msg, whole);
			}
			free(whole);
			free(t);
		}
}
END_TEST

START_TEST(test_fits_whole)
{
	struct ic_error err;
	char *t = malloc(IC_ERRMSG_MAX);

	/* 1019 bytes of ASCII, then a 4-byte character: exactly 1023 bytes */
	memset(t, 'x', IC_ERRMSG_MAX - 5);
	memcpy(t + IC_ERRMSG_MAX - 5, "\xf0\x9f\x98\x80", 5);
	ic_errorf(&err, "%s", t);
	ck_assert_str_eq(err.msg, t);
	ck_assert_uint_eq(strlen(err.msg), IC_ERRMSG_MAX - 1);

	ic_error_at(&err, "f.csv", 2, 0, "bad value \xc3\xa9");
	ck_assert_str_eq(err.msg, "f.csv:2: bad value \xc3\xa9");
	ck_assert_int_eq(ic_errorf(NULL, "x"), -1);
	free(t);
}
END_TEST

Suite *
error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cut_at_character);
	tcase_add_test(tc, test_fits_whole);
	suite_add_tcase(s, tc);
	return s;
}
