/*
 * test_tags.c - Check unit tests for common/tags.c: the folded form of tag
 * keys as each provider spells them (worked out by hand from the rule in
 * tags.h), the overflow and empty cases, and the walk over stored Tags.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/tags.h"

static const char *
fold(const char *k, int aws)
{
	static char out[64];
	size_t n = tag_key_fold(k, strlen(k), aws, out, sizeof out);
	return n == (size_t)-1 ? "(too long)" : out;
}

START_TEST(test_fold)
{
	/* one key, four providers' spellings */
	ck_assert_str_eq(fold("user:cost-center", 1), "cost_center");	/* legacy CUR */
	ck_assert_str_eq(fold("user_cost_center", 1), "cost_center");	/* CUR 2.0 map */
	ck_assert_str_eq(fold("Cost-Center", 0), "cost_center");	/* Azure */
	ck_assert_str_eq(fold("cost_center", 0), "cost_center");	/* GCP label */
	/* "user_" is only AWS's prefix */
	ck_assert_str_eq(fold("user_id", 0), "user_id");
	ck_assert_str_eq(fold("User:Team", 0), "team");
	ck_assert_str_eq(fold("aws:createdBy", 1), "aws_createdby");
	ck_assert_str_eq(fold("costCategory:Team", 1), "costcategory_team");
	/* UTF-8 bytes kept as they are */
	ck_assert_str_eq(fold("\xe9\xa1\xb9\xe7\x9b\xae", 0), "\xe9\xa1\xb9\xe7\x9b\xae");
	ck_assert_str_eq(fold("", 1), "");
	ck_assert_str_eq(fold("user:", 1), "");
}
END_TEST

START_TEST(test_fold_bounds)
{
	char out[4];
	ck_assert_uint_eq(tag_key_fold("abc", 3, 0, out, sizeof out), 3);
	ck_assert_str_eq(out, "abc");
	ck_assert_uint_eq(tag_key_fold("abcd", 4, 0, out, sizeof out), (size_t)-1);
	ck_assert_str_eq(out, "");
	/* the prefix does not count against the room */
	ck_assert_uint_eq(tag_key_fold("user:abc", 8, 0, out, sizeof out), 3);
	ck_assert_uint_eq(tag_key_fold("a", 1, 0, out, 0), (size_t)-1);
}
END_TEST

struct acc {
	char buf[256];
	int calls, stop_at;
};

static int
collect(void *arg, const char *k, const char *v)
{
	struct acc *a = arg;
	size_t n = strlen(a->buf);
	snprintf(a->buf + n, sizeof a->buf - n, "%s=%s;", k, v);
	return ++a->calls == a->stop_at ? 7 : 0;
}

START_TEST(test_each)
{
	struct acc a = { "", 0, 0 };
	ck_assert_int_eq(tags_each("{\"user:Team\":\"chat\",\"n\":3,\"b\":true,\"z\":null}", collect, &a), 0);
	ck_assert_str_eq(a.buf, "user:Team=chat;n=3;b=true;z=;");
	ck_assert_int_eq(a.calls, 4);

	struct acc b = { "", 0, 1 };
	ck_assert_int_eq(tags_each("{\"a\":\"1\",\"b\":\"2\"}", collect, &b), 7);
	ck_assert_str_eq(b.buf, "a=1;");

	struct acc c = { "", 0, 0 };
	ck_assert_int_eq(tags_each(NULL, collect, &c), 0);
	ck_assert_int_eq(tags_each("", collect, &c), 0);
	ck_assert_int_eq(tags_each("{}", collect, &c), 0);
	ck_assert_int_eq(c.calls, 0);
	ck_assert_int_eq(tags_each("[1,2]", collect, &c), -1);
	ck_assert_int_eq(tags_each("{\"a\":", collect, &c), -1);
	ck_assert_int_eq(c.calls, 0);
}
END_TEST

Suite *
tags_suite(void)
{
	Suite *s = suite_create("tags");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_fold_bounds);
	tcase_add_test(tc, test_each);
	suite_add_tcase(s, tc);
	return s;
}
