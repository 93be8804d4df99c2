/*
 * test_tags.c - Check unit tests for common/tags.c: the folded form of tag
 * keys as each provider spells them (worked out by hand from the rule in
 * tags.h), the overflow and empty cases, and the walk over stored Tags.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/slice.h"
#include "common/db.h"
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

/* The tag store's fill at import (db_tag_rows) on a database of the
 * current schema: rows as "key_fold|key|value" in key_fold order. */
static void
fill(sqlite3 *db, int64_t dim, const char *prov, const char *tags, char *out, size_t n)
{
	sqlite3_stmt *st;
	struct ic_error err;
	size_t o = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db, DB_TAG_ROW_INSERT, -1, &st, NULL), SQLITE_OK);
	ck_assert_msg(db_tag_rows(db, st, dim, tags, strcmp(prov, "AWS") == 0, &err) == 0,
		      "db_tag_rows: %s", err.msg);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT key_fold || '|' || key || '|' || value FROM"
					    " dim_tags WHERE tag_set_id = ? ORDER BY key_fold", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, dim);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW)
		o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "",
				      (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

START_TEST(test_store)
{
	struct ic_error err;
	sqlite3 *db = db_open(":memory:", DB_WRITE, &err);
	char out[512];

	ck_assert_msg(db != NULL, "db_open: %s", err.msg);
	/* folded as tags.h says; AWS's user_ only on AWS charges */
	fill(db, 1, "AWS", "{\"user:Team\": \"chat\", \"user_env\": \"prod\"}", out, sizeof out);
	ck_assert_str_eq(out, "env|user_env|prod team|user:Team|chat");
	fill(db, 2, "Microsoft", "{\"user_env\": \"prod\"}", out, sizeof out);
	ck_assert_str_eq(out, "user_env|user_env|prod");
	/* two keys that fold alike: the first counts, once */
	fill(db, 3, "GCP", "{\"Team\": \"a\", \"team\": \"b\", \"TEAM\": \"c\"}", out, sizeof out);
	ck_assert_str_eq(out, "team|Team|a");
	/* values: numbers and booleans as text, null as "" */
	fill(db, 4, "X", "{\"n\": 12, \"b\": true, \"z\": null}", out, sizeof out);
	ck_assert_str_eq(out, "b|b|true n|n|12 z|z|");
	/* not an object, or broken: no tags, no error */
	fill(db, 5, "X", "[1, 2]", out, sizeof out);
	ck_assert_str_eq(out, "");
	fill(db, 6, "X", "{\"a\": ", out, sizeof out);
	ck_assert_str_eq(out, "");
	db_close(db);
}
END_TEST

/* tag_pairs_get (the import's fill since schema 10, the remote engines'
 * tag arrays, the allocation's remote tags) gives the pairs the SQL fill
 * of the migrations (json_each, DB_DIM_TAGS_SELECT: schema 8 filled the
 * store so, and schema 10 copied those rows) stores, for the same Tags:
 * one rule, whichever wrote the rows. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_pairs_as_store)
{
	static const struct { const char *prov, *tags; } in[] = {
		{ "AWS", "{\"user:Team\": \"chat\", \"user_env\": \"prod\"}" },
		{ "Microsoft", "{\"user_env\": \"prod\"}" },
		{ "GCP", "{\"Team\": \"a\", \"team\": \"b\", \"TEAM\": \"c\"}" },
		{ "X", "{\"n\": 12, \"b\": true, \"z\": null, \"q\": \"a'b,\\\"c\\\\\"}" },
		{ "X", "{\"\u56e2\u961f\": \"\u804a\u5929\", \"Cost Center\": \"x\"}" },
		{ "X", "[1, 2]" },
		{ "X", "{\"a\": " },
	};
	struct ic_error err;
	sqlite3 *db = db_open(":memory:", DB_WRITE, &err);
	struct tag_pairs tp = { 0 };

	ck_assert_msg(db != NULL, "db_open: %s", err.msg);
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		char store[512], mine[512], *rows[16];
		size_t o = 0;
		sqlite3_stmt *st;

		ck_assert_int_eq(sqlite3_exec(db, "DROP TABLE IF EXISTS temp.t; CREATE TEMP TABLE"
					      " t(key_fold TEXT NOT NULL PRIMARY KEY, key, value)",
					      NULL, NULL, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.t SELECT"
						    DB_DIM_TAGS_SELECT("?1") " FROM json_each("
						    DB_TAGS_OBJECT("?2") ") j ORDER BY j.id", -1, &st,
						    NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, in[i].prov, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, in[i].tags, -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT group_concat(r, ' ') FROM (SELECT"
						    " key_fold || '|' || value AS r FROM temp.t"
						    " ORDER BY r)", -1, &st, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		snprintf(store, sizeof store, "%s", sqlite3_column_text(st, 0) ?
			 (const char *)sqlite3_column_text(st, 0) : "");
		sqlite3_finalize(st);
		tag_pairs_clear(&tp);
		ck_assert_int_eq(tag_pairs_get(in[i].tags, strcmp(in[i].prov, "AWS") == 0, &tp), 0);
		ck_assert_int_le(tp.n, 16);
		for (int k = 0; k < tp.n; k++) {
			rows[k] = malloc(256);
			ck_assert_ptr_nonnull(rows[k]);
			snprintf(rows[k], 256, "%s|%s", tp.key[k], tp.value[k]);
		}
		qsort(rows, (size_t)tp.n, sizeof *rows, cmp_str);
		mine[0] = '\0';
		for (int k = 0; k < tp.n; k++) {
			o += (size_t)snprintf(mine + o, sizeof mine - o, "%s%s", o ? " " : "", rows[k]);
			free(rows[k]);
		}
		ck_assert_msg(strcmp(mine, store) == 0, "%s: store '%s', tag_pairs_get '%s'", in[i].tags,
			      store, mine);
	}
	tag_pairs_free(&tp);
	db_close(db);
}
END_TEST

START_TEST(test_slice_parse)
{
	struct slice sl;
	char msg[400];

	memset(&sl, 0, sizeof sl);
	ck_assert_int_eq(slice_key_parse("tag:user:Cost-Center", &sl.group_by, msg, sizeof msg), 0);
	ck_assert_int_eq(sl.group_by.dim, SD_TAG);
	ck_assert_str_eq(sl.group_by.fold, "cost_center");
	ck_assert_int_eq(slice_key_parse("region", &sl.group_by, msg, sizeof msg), 0);
	ck_assert_int_eq(sl.group_by.dim, SD_REGION);
	ck_assert_int_eq(slice_key_parse("regoin", &sl.group_by, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "did you mean region?"));
	ck_assert_int_eq(slice_key_parse("tag:", &sl.group_by, msg, sizeof msg), -1);
	/* KEY=VALUE and KEY!=VALUE; the value may hold = and ! */
	ck_assert_int_eq(slice_filter_add(&sl, "tag:team!=a=b!", msg, sizeof msg), 0);
	ck_assert_int_eq(sl.f[0].neg, 1);
	ck_assert_str_eq(sl.f[0].key.fold, "team");
	ck_assert_str_eq(sl.f[0].value, "a=b!");
	ck_assert_int_eq(slice_filter_add(&sl, "service=", msg, sizeof msg), 0);
	ck_assert_int_eq(sl.f[1].neg, 0);
	ck_assert_str_eq(sl.f[1].value, "");
	ck_assert_int_eq(slice_filter_add(&sl, "=x", msg, sizeof msg), -1);
	ck_assert_int_eq(slice_filter_add(&sl, "service", msg, sizeof msg), -1);
	ck_assert_int_eq(sl.nf, 2);
	ck_assert_int_eq(slice_restricts(&sl), 1);
	/* days: YYYY-MM-DD only */
	ck_assert_int_eq(slice_day_parse("2026-10-03", &sl.since), 0);
	ck_assert_int_eq(sl.since, 1790985600);
	ck_assert_int_eq(slice_day_parse("2026-10", &sl.since), -1);
	ck_assert_int_eq(slice_day_parse("2026-02-30", &sl.since), -1);
	ck_assert_int_eq(slice_day_parse("2026-10-03T00:00:00Z", &sl.since), -1);
}
END_TEST

/* A value with a quote cannot leave its SQL string literal. */
START_TEST(test_slice_quote)
{
	struct slice sl;
	char msg[200], *q;

	memset(&sl, 0, sizeof sl);
	ck_assert_int_eq(slice_filter_add(&sl, "service=a' OR 1=1 --", msg, sizeof msg), 0);
	q = slice_temp_sql(&sl, 0, 1);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_nonnull(strstr(q, "d.ServiceName IS 'a'' OR 1=1 --'"));
	free(q);
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
	tcase_add_test(tc, test_store);
	tcase_add_test(tc, test_pairs_as_store);
	tcase_add_test(tc, test_slice_parse);
	tcase_add_test(tc, test_slice_quote);
	suite_add_tcase(s, tc);
	return s;
}
