/*
 * test_allocation.c - Check unit tests for analyzers/alloc-rules.c: the
 * largest-remainder split (parts worked out by hand; random splits add up
 * to their total exactly and differ from the exact share by less than one
 * nano), first-match rules with case-folded globs and folded tag keys, and
 * the file, line and column of errors in a rules file.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/allocation.h"

START_TEST(test_split_by_hand)
{
	int64_t p[3];
	const int64_t even[3] = { 1, 1, 1 }, w[3] = { 3, 2, 1 }, z[2] = { 0, 0 };

	/* 10 over 1:1:1 = 3.33.. each: the first remainder (all equal) gets 1 */
	ck_assert_int_eq(alloc_split_lr(10, even, 3, p), 0);
	ck_assert_int_eq(p[0], 4);
	ck_assert_int_eq(p[1], 3);
	ck_assert_int_eq(p[2], 3);
	/* 100 over 3:2:1 = 50, 33.33, 16.67: the largest remainder is the third */
	ck_assert_int_eq(alloc_split_lr(100, w, 3, p), 0);
	ck_assert_int_eq(p[0], 50);
	ck_assert_int_eq(p[1], 33);
	ck_assert_int_eq(p[2], 17);
	/* negative totals (credits) split like their magnitude */
	ck_assert_int_eq(alloc_split_lr(-100, w, 3, p), 0);
	ck_assert_int_eq(p[0], -50);
	ck_assert_int_eq(p[1], -33);
	ck_assert_int_eq(p[2], -17);
	/* nothing to spread over */
	ck_assert_int_eq(alloc_split_lr(5, z, 2, p), -1);
	ck_assert_int_eq(alloc_split_lr(5, w, 0, p), -1);
}
END_TEST

START_TEST(test_split_random)
{
	srand(19);
	for (int t = 0; t < 2000; t++) {
		int n = 1 + rand() % 12;
		int64_t w[12], p[12], total = ((int64_t)rand() << 20 ^ rand()) - ((int64_t)1 << 40), sum = 0;
		__int128 W = 0;
		for (int i = 0; i < n; i++) {
			w[i] = t % 3 == 0 ? (int64_t)rand() * rand() : rand() % 5;
			W += w[i];
		}
		if (W == 0)
			w[0] = W = 1;
		ck_assert_int_eq(alloc_split_lr(total, w, n, p), 0);
		for (int i = 0; i < n; i++) {
			__int128 exact = (__int128)(total < 0 ? -total : total) * w[i];
			__int128 mine = (__int128)(p[i] < 0 ? -p[i] : p[i]) * W;
			sum += p[i];
			/* |part - exact share| < 1 nano */
			ck_assert(mine - exact < W && exact - mine < W);
		}
		ck_assert_int_eq(sum, total);
	}
}
END_TEST

static struct alloc_rules *
parse(const char *text, char *msg)
{
	struct alloc_rules *r = NULL;
	struct ic_error err = { 0 };

	msg[0] = '\0';
	if (alloc_rules_parse(text, strlen(text), "r.json", &r, &err) != 0)
		strcpy(msg, err.msg);
	return r;
}

START_TEST(test_match)
{
	char msg[1024];
	struct alloc_rules *r = parse(
		"{\"key\": \"feature\", \"rules\": ["
		"{\"value\": \"msg\", \"match\": {\"tag:Cost-Center\": \"CHAT*\", \"region\": \"us-*\"}},"
		"{\"value\": \"media\", \"match\": {\"service\": [\"AmazonS3\", \"*storage*\"]}},"
		"{\"shared\": \"untagged\", \"match\": {\"tag:cost-center\": \"\"}},"
		"{\"value\": \"rest\", \"match\": {}}]}", msg);
	struct alloc_charge c = { 0 };
	struct tag_pairs tp = { 0 };
	int oom = 0;

	ck_assert_msg(r != NULL, "%s", msg);
	ck_assert_int_eq(r->n, 4);
	/* user:cost_center (CUR 2.0 spelling) is tag:Cost-Center; glob case-folded */
	c.provider = "AWS";
	/* the tags as the store holds them (tag_pairs_get, the import's rule) */
	ck_assert_int_eq(tag_pairs_get("{\"user_cost_center\": \"chat-backend\"}", 1, &tp), 0);
	c.tags = &tp;
	c.region = "US-EAST-1";
	ck_assert_int_eq(alloc_match(r, &c, &oom), 0);
	/* conditions are ANDed: the region fails, the service takes it */
	c.region = "eu-west-1";
	c.service_code = "AmazonS3";
	ck_assert_int_eq(alloc_match(r, &c, &oom), 1);
	c.service_code = NULL;
	c.service = "Azure Blob Storage";
	ck_assert_int_eq(alloc_match(r, &c, &oom), 1);
	/* no such tag: "" matches; with the tag, the catch-all */
	c.service = "Compute";
	c.tags = NULL;
	ck_assert_int_eq(alloc_match(r, &c, &oom), 2);
	/* an empty value is no tag ("" matches) */
	tag_pairs_clear(&tp);
	ck_assert_int_eq(tag_pairs_get("{\"cost-center\": \"\"}", 0, &tp), 0);
	c.tags = &tp;
	ck_assert_int_eq(alloc_match(r, &c, &oom), 2);
	tag_pairs_clear(&tp);
	ck_assert_int_eq(tag_pairs_get("{\"Cost Center\": \"x\"}", 0, &tp), 0);
	ck_assert_int_eq(alloc_match(r, &c, &oom), 3);
	ck_assert_int_eq(oom, 0);
	tag_pairs_free(&tp);
	alloc_rules_free(r);
}
END_TEST

START_TEST(test_errors)
{
	char msg[1024];

	ck_assert_ptr_null(parse("{\"key\": \"k\",\n \"rules\": [{\"value\": \"a\",\n"
				 "  \"match\": {\"regoin\": \"x\"}}]}", msg));
	ck_assert_str_eq(msg, "r.json:3:13: rules[0].match: unknown field 'regoin'"
			 " (did you mean 'region'?)");
	ck_assert_ptr_null(parse("{\"key\": \"k\", \"rules\": [{\"value\": \"a\", \"shared\": \"b\","
				 " \"match\": {}}]}", msg));
	ck_assert_str_eq(msg, "r.json:1:24: rules[0]: give either \"value\" (an allocation value)"
			 " or \"shared\" (the name of a shared cost)");
	ck_assert_ptr_null(parse("{\"key\": \"k\", \"rules\": [{\"shared\": \"s\", \"match\": {},"
				 " \"split\": \"fixed\", \"ratios\": {\"a\": -1}}]}", msg));
	ck_assert_str_eq(msg, "r.json:1:87: ratios: expected a number from 0 to 1000000000");
	ck_assert_ptr_null(parse("{\"key\": \"k\", \"rules\": [{\"value\": \"a\", \"match\":"
				 " {\"tag:\": \"x\"}}]}", msg));
	ck_assert_str_eq(msg, "r.json:1:49: rules[0].match: tag:KEY wants a tag key of 1 to 255"
			 " bytes after 'tag:'");
	ck_assert_ptr_null(parse("[]", msg));
	ck_assert_str_eq(msg, "r.json:1:1: allocation rules: expected an object with \"key\""
			 " and \"rules\"");
}
END_TEST

Suite *
allocation_suite(void)
{
	Suite *s = suite_create("allocation");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_split_by_hand);
	tcase_add_test(tc, test_split_random);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
