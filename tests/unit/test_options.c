/*
 * test_options.c - the option grammar every command parses with
 * (cli/options.c): --a=b, --a b, flags, short options, --, repeated
 * options, values that start with '-', and each error.
 */
#include <check.h>
#include <string.h>

#include "cli/options.h"

enum { O_MONTH, O_PRICING, O_QUIET, O_DRY, O_OUT };

static const struct cmd_option table[] = {
	{ .name = "--month", .arg = "YYYY-MM" },
	{ .name = "--pricing", .arg = "FILE", .repeat = 1 },
	{ .name = "--quiet", .short_name = 'q' },
	{ .name = "--dry-run", .short_name = 'n' },
	{ .name = "--out", .short_name = 'o', .arg = "DIR" },
	{ .name = NULL }
};

/* Parse the words (argv[0] "cmd" added) into a; returns the status. */
#define PARSE(a, bad, ...) \
	parse(a, bad, (const char *[]){ "cmd", __VA_ARGS__, NULL })

static enum opt_status
parse(struct cmd_args *a, const char **bad, const char **words)
{
	static char *argv[32];
	int argc = 0;

	for (; words[argc]; argc++)
		argv[argc] = (char *)words[argc];
	argv[argc] = NULL;
	return cmd_args_parse(table, argc, argv, a, bad);
}

START_TEST(test_value_forms)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "--month=2026-10", "--out", "dir"), OPT_OK);
	ck_assert_int_eq(a.n, 2);
	ck_assert_int_eq(a.v[0].index, O_MONTH);
	ck_assert_str_eq(a.v[0].value, "2026-10");
	ck_assert_str_eq(a.v[0].given, "--month=2026-10");
	ck_assert_int_eq(a.v[1].index, O_OUT);
	ck_assert_str_eq(a.v[1].value, "dir");
	ck_assert_int_eq(a.npos, 0);
	cmd_args_free(&a);
	/* an empty value is a value, not a missing one */
	ck_assert_int_eq(PARSE(&a, &bad, "--month="), OPT_OK);
	ck_assert_str_eq(cmd_args_last(&a, O_MONTH), "");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_missing_and_unwanted)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "x.csv", "--month"), OPT_MISSING);
	ck_assert_str_eq(bad, "--month");
	cmd_args_free(&a);
	ck_assert_int_eq(PARSE(&a, &bad, "-o"), OPT_MISSING);
	ck_assert_str_eq(bad, "-o");
	cmd_args_free(&a);
	ck_assert_int_eq(PARSE(&a, &bad, "--quiet=yes"), OPT_UNWANTED);
	ck_assert_str_eq(bad, "--quiet=yes");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_unknown)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "--month", "2026-10", "--mnth", "x"), OPT_UNKNOWN);
	ck_assert_str_eq(bad, "--mnth");
	cmd_args_free(&a);
	/* a prefix is not the option (git would take it; imcost says no) */
	ck_assert_int_eq(PARSE(&a, &bad, "--mon=2026-10"), OPT_UNKNOWN);
	ck_assert_str_eq(bad, "--mon=2026-10");
	cmd_args_free(&a);
	ck_assert_int_eq(PARSE(&a, &bad, "-qz"), OPT_UNKNOWN);
	ck_assert_str_eq(bad, "-qz");
	cmd_args_free(&a);
	/* no table: every option is unknown, arguments are fine */
	{
		char *argv[] = { "cmd", "a", "--x", NULL };
		ck_assert_int_eq(cmd_args_parse(NULL, 3, argv, &a, &bad), OPT_UNKNOWN);
		ck_assert_str_eq(bad, "--x");
		ck_assert_int_eq(a.npos, 1);
		cmd_args_free(&a);
	}
}
END_TEST

START_TEST(test_double_dash)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "a.csv", "--", "--month", "-q", "--"), OPT_OK);
	ck_assert_int_eq(a.n, 0);
	ck_assert_int_eq(a.npos, 4);
	ck_assert_str_eq(a.pos[0], "a.csv");
	ck_assert_str_eq(a.pos[1], "--month");
	ck_assert_str_eq(a.pos[2], "-q");
	ck_assert_str_eq(a.pos[3], "--");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_repeated)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "--pricing", "a.json", "x", "--pricing=b.json",
			       "--month", "2026-01", "--month", "2026-02"), OPT_OK);
	ck_assert_int_eq(cmd_args_count(&a, O_PRICING), 2);
	ck_assert_int_eq(a.v[0].index, O_PRICING);
	ck_assert_str_eq(a.v[0].value, "a.json");
	ck_assert_int_eq(a.v[1].index, O_PRICING);
	ck_assert_str_eq(a.v[1].value, "b.json");
	/* the last one wins for cmd_args_last */
	ck_assert_str_eq(cmd_args_last(&a, O_MONTH), "2026-02");
	ck_assert_ptr_null(cmd_args_last(&a, O_OUT));
	ck_assert_int_eq(cmd_args_count(&a, O_OUT), 0);
	/* arguments keep their order between options */
	ck_assert_int_eq(a.npos, 1);
	ck_assert_str_eq(a.pos[0], "x");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_short)
{
	struct cmd_args a;
	const char *bad;

	ck_assert_int_eq(PARSE(&a, &bad, "-qn", "-oDIR", "-o", "other"), OPT_OK);
	ck_assert_int_eq(a.n, 4);
	ck_assert_int_eq(a.v[0].index, O_QUIET);
	ck_assert_ptr_null(a.v[0].value);
	ck_assert_int_eq(a.v[1].index, O_DRY);
	ck_assert_int_eq(a.v[2].index, O_OUT);
	ck_assert_str_eq(a.v[2].value, "DIR");
	ck_assert_str_eq(a.v[3].value, "other");
	cmd_args_free(&a);
	/* a value last in a group: -qoDIR and -qo DIR */
	ck_assert_int_eq(PARSE(&a, &bad, "-qoDIR"), OPT_OK);
	ck_assert_int_eq(a.n, 2);
	ck_assert_str_eq(a.v[1].value, "DIR");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_dash_values)
{
	struct cmd_args a;
	const char *bad;

	/* the word after an option that wants a value is its value, whatever it is */
	ck_assert_int_eq(PARSE(&a, &bad, "--month", "-3", "--out", "--quiet"), OPT_OK);
	ck_assert_int_eq(a.n, 2);
	ck_assert_str_eq(a.v[0].value, "-3");
	ck_assert_str_eq(a.v[1].value, "--quiet");
	ck_assert_int_eq(cmd_args_count(&a, O_QUIET), 0);
	cmd_args_free(&a);
	/* "-", "-3" and "-- comment" are arguments, not options */
	ck_assert_int_eq(PARSE(&a, &bad, "-", "-3", "-- comment\nSELECT 1", "--"), OPT_OK);
	ck_assert_int_eq(a.n, 0);
	ck_assert_int_eq(a.npos, 3);
	ck_assert_str_eq(a.pos[0], "-");
	ck_assert_str_eq(a.pos[1], "-3");
	ck_assert_str_eq(a.pos[2], "-- comment\nSELECT 1");
	cmd_args_free(&a);
}
END_TEST

START_TEST(test_find)
{
	ck_assert_ptr_eq(cmd_option_find(table, "--out=x", 5), &table[O_OUT]);
	ck_assert_ptr_null(cmd_option_find(table, "--ou", 4));
	ck_assert_ptr_null(cmd_option_find(NULL, "--out", 5));
}
END_TEST

Suite *
options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_value_forms);
	tcase_add_test(tc, test_missing_and_unwanted);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_double_dash);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_short);
	tcase_add_test(tc, test_dash_values);
	tcase_add_test(tc, test_find);
	suite_add_tcase(s, tc);
	return s;
}
