/*
 * test_suggest.c - Check unit tests for common/suggest.c: edit distances
 * worked out by hand (substitution, insertion, deletion, a swap of two
 * neighbours counting one), and which known words are offered for typos
 * of imcost's own commands and options (none for an unrelated word, all
 * of a tie, a unique prefix).
 */
#include <check.h>
#include <string.h>

#include "common/suggest.h"

START_TEST(test_distance)
{
	ck_assert_int_eq(suggest_distance("", ""), 0);
	ck_assert_int_eq(suggest_distance("abc", ""), 3);
	ck_assert_int_eq(suggest_distance("", "abcd"), 4);
	ck_assert_int_eq(suggest_distance("analyse", "analyze"), 1);	/* substitution */
	ck_assert_int_eq(suggest_distance("improt", "import"), 1);	/* swap */
	ck_assert_int_eq(suggest_distance("lst", "list"), 1);		/* insertion */
	ck_assert_int_eq(suggest_distance("reports", "report"), 1);	/* deletion */
	ck_assert_int_eq(suggest_distance("kitten", "sitting"), 3);
	ck_assert_int_eq(suggest_distance("--mnoth", "--month"), 1);
	/* over 64 bytes: never "close" */
	ck_assert_int_gt(suggest_distance("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a"), 64);
}
END_TEST

static const char *const cmds[] = { "import", "analyze", "list", "prices", "sql",
				    "formats", "vendors", "levers", "report", "completion" };
#define NCMDS (sizeof cmds / sizeof cmds[0])

static const char *
one(const char *w)
{
	size_t out[4];
	size_t n = suggest_nearest(w, cmds, NCMDS, out, 4);
	return n == 1 ? cmds[out[0]] : n == 0 ? "" : "(several)";
}

START_TEST(test_nearest)
{
	ck_assert_str_eq(one("analyse"), "analyze");
	ck_assert_str_eq(one("improt"), "import");
	ck_assert_str_eq(one("lsit"), "list");
	ck_assert_str_eq(one("reprot"), "report");
	ck_assert_str_eq(one("vendor"), "vendors");
	ck_assert_str_eq(one("comp"), "completion");	/* unique prefix */
	ck_assert_str_eq(one("frobnicate"), "");
	ck_assert_str_eq(one("x"), "");
	ck_assert_str_eq(one(""), "");
	/* "sq" is 1 from sql, but half of the longer word: still a typo? 1*2 < 3 */
	ck_assert_str_eq(one("sq"), "sql");
}
END_TEST

START_TEST(test_ties)
{
	static const char *const opts[] = { "--month", "--only", "--as", "--at" };
	size_t out[4];
	size_t n = suggest_nearest("--ax", opts, 4, out, 4);

	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(out[1], 3);
	n = suggest_nearest("--ax", opts, 4, out, 1);	/* room for one */
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(out[0], 2);
}
END_TEST

Suite *
suggest_suite(void)
{
	Suite *s = suite_create("suggest");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_distance);
	tcase_add_test(tc, test_nearest);
	tcase_add_test(tc, test_ties);
	suite_add_tcase(s, tc);
	return s;
}
