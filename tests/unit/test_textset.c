/*
 * test_textset.c - Check unit tests for common/textset.c: distinct strings
 * counted against an independent count (sorting the same strings), bits
 * ORed per string, strings that differ in one byte or only in length
 * (embedded NULs, the empty string), growth past the first slots, and
 * the byte limit: an add that does not fit fails and changes nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textset.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_distinct_against_sort)
{
	enum { N = 50000 };
	struct textset *s = textset_new((size_t)64 << 20, 0);
	char **v = malloc(N * sizeof *v);
	size_t distinct = 0, with_two = 0;
	unsigned seed = 12345;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(v);
	for (int i = 0; i < N; i++) {
		char buf[64];
		seed = seed * 1103515245u + 12345u;
		/* about 20k distinct ids, long shared prefixes, ARN-like */
		snprintf(buf, sizeof buf, "arn:aws:ec2:us-east-1:123456789012:volume/vol-%05u",
			 (seed >> 8) % 20000);
		v[i] = strdup(buf);
		ck_assert_ptr_nonnull(v[i]);
		/* bit 1 on every add, bit 2 on every third */
		ck_assert_int_eq(textset_or(s, buf, strlen(buf), 1u | (i % 3 == 0 ? 2u : 0u)), 0);
	}
	qsort(v, N, sizeof *v, cmp_str);
	for (int i = 0; i < N; i++)
		distinct += i == 0 || strcmp(v[i], v[i - 1]) != 0;
	ck_assert_uint_eq(textset_count(s, 1), distinct);
	/* bit 2 per string, independently: the distinct strings among the
	 * adds with i % 3 == 0, counted by sorting them */
	{
		char **w = malloc(N * sizeof *w);
		int m = 0;
		ck_assert_ptr_nonnull(w);
		seed = 12345;
		for (int i = 0; i < N; i++) {
			char buf[64];
			seed = seed * 1103515245u + 12345u;
			snprintf(buf, sizeof buf, "arn:aws:ec2:us-east-1:123456789012:volume/vol-%05u",
				 (seed >> 8) % 20000);
			if (i % 3 == 0)
				ck_assert_ptr_nonnull(w[m++] = strdup(buf));
		}
		qsort(w, (size_t)m, sizeof *w, cmp_str);
		for (int i = 0; i < m; i++)
			with_two += i == 0 || strcmp(w[i], w[i - 1]) != 0;
		for (int i = 0; i < m; i++)
			free(w[i]);
		free(w);
	}
	ck_assert_uint_eq(textset_count(s, 2), with_two);
	ck_assert_uint_eq(textset_count(s, 3), with_two);
	ck_assert_uint_eq(textset_count(s, 4), 0);
	for (int i = 0; i < N; i++)
		free(v[i]);
	free(v);
	textset_free(s);
}
END_TEST

START_TEST(test_bytes_and_lengths)
{
	struct textset *s = textset_new((size_t)1 << 20, 4);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(textset_or(s, "", 0, 1), 0);
	ck_assert_int_eq(textset_or(s, "a\0b", 3, 2), 0);
	ck_assert_int_eq(textset_or(s, "a\0c", 3, 4), 0);
	ck_assert_int_eq(textset_or(s, "a", 1, 8), 0);
	ck_assert_int_eq(textset_or(s, "a\0b", 3, 16), 0);	/* the same string again */
	ck_assert_uint_eq(textset_count(s, 0), 4);
	ck_assert_uint_eq(textset_count(s, 1), 1);		/* "" */
	ck_assert_uint_eq(textset_count(s, 2 | 16), 1);	/* "a\0b" got both */
	ck_assert_uint_eq(textset_count(s, 4), 1);
	ck_assert_uint_eq(textset_count(s, 8), 1);
	textset_free(s);
	textset_free(NULL);
}
END_TEST

START_TEST(test_limit)
{
	/* 1024 slots of 16 bytes fit 16 KiB: the first arena (64 KiB) does not */
	struct textset *s = textset_new(20000, 0);
	size_t added = 0;
	char buf[32];
	int r = 0;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(textset_or(s, "x", 1, 1), -1);
	ck_assert_uint_eq(textset_count(s, 0), 0);
	textset_free(s);

	/* room for the slots and an arena, not for the slots' growth */
	s = textset_new((size_t)1024 * 16 + 65536 + 100, 0);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < 5000 && r == 0; i++) {
		snprintf(buf, sizeof buf, "i-%08d", i);
		r = textset_or(s, buf, strlen(buf), 1);
		if (r == 0)
			added++;
	}
	ck_assert_int_eq(r, -1);
	ck_assert_uint_eq(added, 512);			/* half of 1024 slots */
	ck_assert_uint_eq(textset_count(s, 1), added);	/* the failed add changed nothing */
	/* strings already in still take bits */
	ck_assert_int_eq(textset_or(s, "i-00000000", 10, 2), 0);
	ck_assert_uint_eq(textset_count(s, 2), 1);
	textset_free(s);
}
END_TEST

Suite *
textset_suite(void)
{
	Suite *s = suite_create("textset");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_distinct_against_sort);
	tcase_add_test(tc, test_bytes_and_lengths);
	tcase_add_test(tc, test_limit);
	suite_add_tcase(s, tc);
	return s;
}
