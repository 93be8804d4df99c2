/*
 * test_engine.c - Check unit tests for common/engine.c without a server:
 * URL parsing (accepted forms, every field, and what is refused), the
 * query macros as SQLite spells them (checked against SQLite's own integer
 * arithmetic written out by hand), statements over a wrapped SQLite handle
 * (bindings, typed columns, NULL), and the bulk-load API on SQLite.  The
 * remote paths (clients, CSV, servers) are tested by tests/e2e/t-engines.sh.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/engine.h"

static struct engine_url
parse_ok(const char *url)
{
	struct engine_url u;
	struct ic_error err = { "", 0 };

	ck_assert_msg(engine_url_parse(url, &u, &err) == 0, "%s: %s", url, err.msg);
	return u;
}

static void
parse_bad(const char *url)
{
	struct engine_url u;
	struct ic_error err = { "", 0 };

	ck_assert_msg(engine_url_parse(url, &u, &err) != 0, "%s accepted", url);
	ck_assert_msg(err.usage == 1, "%s: not a usage error", url);
	ck_assert_msg(strstr(err.msg, "--engine") != NULL, "%s: message %s", url, err.msg);
}

START_TEST(test_url_forms)
{
	struct engine_url u;

	u = parse_ok("sqlite:/tmp/x.db");
	ck_assert_int_eq(u.kind, ENGINE_SQLITE);
	ck_assert_str_eq(u.path, "/tmp/x.db");
	u = parse_ok("sqlite://rel/y.db");
	ck_assert_str_eq(u.path, "rel/y.db");
	u = parse_ok("clickhouse://127.0.0.1:9000/imcost?cluster=two_shards");
	ck_assert_int_eq(u.kind, ENGINE_CLICKHOUSE);
	ck_assert_str_eq(u.host, "127.0.0.1");
	ck_assert_int_eq(u.port, 9000);
	ck_assert_str_eq(u.db, "imcost");
	ck_assert_str_eq(u.cluster, "two_shards");
	ck_assert_str_eq(u.user, "");
	u = parse_ok("clickhouse://ch.example.org/db1");
	ck_assert_int_eq(u.port, 0);
	ck_assert_str_eq(u.cluster, "");
	u = parse_ok("postgresql://finops@db.internal:6543/bills");
	ck_assert_int_eq(u.kind, ENGINE_POSTGRESQL);
	ck_assert_str_eq(u.user, "finops");
	ck_assert_str_eq(u.host, "db.internal");
	ck_assert_int_eq(u.port, 6543);
	ck_assert_str_eq(u.db, "bills");
	u = parse_ok("postgres://[::1]:5432/_x9");
	ck_assert_int_eq(u.kind, ENGINE_POSTGRESQL);
	ck_assert_str_eq(u.host, "::1");
	ck_assert_int_eq(u.port, 5432);
	ck_assert_str_eq(u.db, "_x9");
}
END_TEST

START_TEST(test_url_refused)
{
	parse_bad("");
	parse_bad("sqlite:");
	parse_bad("mysql://h/db");
	parse_bad("clickhouse://h");			/* no database */
	parse_bad("clickhouse://h:0/db");
	parse_bad("clickhouse://h:65536/db");
	parse_bad("clickhouse://h:9x/db");
	parse_bad("clickhouse:///db");			/* no host */
	parse_bad("clickhouse://h/1db");		/* not an identifier */
	parse_bad("clickhouse://h/db;DROP");
	parse_bad("clickhouse://h/db?cluster=");
	parse_bad("clickhouse://h/db?cluster=a'b");
	parse_bad("clickhouse://h/db?shards=2");
	parse_bad("postgresql://h/db?cluster=x");	/* cluster is ClickHouse's */
	parse_bad("postgresql://bad user@h/db");
	parse_bad("postgresql://h$(x)/db");
	parse_bad("postgresql://[::1/db");
	parse_bad("postgresql://h/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}
END_TEST

START_TEST(test_default_url)
{
	ck_assert_str_eq(engine_default_url("postgresql://h/d", "x.db"), "postgresql://h/d");
	ck_assert_str_eq(engine_default_url(NULL, "/data/a.db"), "sqlite:/data/a.db");
}
END_TEST

static struct engine *
memory_engine(sqlite3 **db)
{
	struct engine *e;

	ck_assert_int_eq(sqlite3_open(":memory:", db), SQLITE_OK);
	e = engine_wrap_sqlite(*db);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(engine_kind(e), ENGINE_SQLITE);
	ck_assert_str_eq(engine_name(e), "sqlite");
	ck_assert_ptr_eq(engine_sqlite(e), *db);
	return e;
}

START_TEST(test_macros_sqlite)
{
	sqlite3 *db;
	struct engine *e = memory_engine(&db);
	struct ic_error err = { "", 0 };
	struct engine_stmt *st;

	/* -7 / 2 truncates to -3 (C and SQL integer division), $int(-3.7)
	 * to -3, $int(3.7) to 3; nested macros and a quoted "$idiv(" stay */
	st = engine_prepare(e, "SELECT $idiv(-7, 2), $int(-3.7), $int(3.7),"
			    " $idiv($int(9.9), (1 + 1)), '$idiv(1,2)', $min(x), $max(x), $sum(x), $avg(x)"
			    " FROM (SELECT 1 AS x WHERE 0)", &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_int_eq(engine_step(st, &err), 1);
	ck_assert_int_eq(engine_column_int64(st, 0), -3);
	ck_assert_int_eq(engine_column_int64(st, 1), -3);
	ck_assert_int_eq(engine_column_int64(st, 2), 3);
	ck_assert_int_eq(engine_column_int64(st, 3), 4);	/* 9 / 2 */
	ck_assert_str_eq(engine_column_text(st, 4), "$idiv(1,2)");
	for (int i = 5; i < 9; i++)
		ck_assert_int_eq(engine_column_type(st, i), ENGINE_NULL);
	ck_assert_int_eq(engine_step(st, &err), 0);
	engine_finalize(st);

	ck_assert_ptr_null(engine_prepare(e, "SELECT $nosuch(1)", &err));
	ck_assert_msg(strstr(err.msg, "unknown macro $nosuch") != NULL, "%s", err.msg);
	ck_assert_ptr_null(engine_prepare(e, "SELECT $idiv(1, 2", &err));
	ck_assert_msg(strstr(err.msg, "unclosed macro") != NULL, "%s", err.msg);
	ck_assert_ptr_null(engine_prepare(e, "SELECT $min(1, 2)", &err));
	engine_close(e);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_statements_sqlite)
{
	sqlite3 *db;
	struct engine *e = memory_engine(&db);
	struct ic_error err = { "", 0 };
	struct engine_stmt *st;

	ck_assert_int_eq(engine_exec(e, "CREATE TABLE t(k TEXT, n INTEGER, x REAL)", "t", &err), 0);
	ck_assert_int_eq(engine_exec(e, "INSERT INTO t VALUES('a', 1, 0.5), ('b', NULL, 2.25),"
				     " ('it''s', 3, NULL)", "t", &err), 0);
	st = engine_prepare(e, "SELECT k, n, x FROM t WHERE k <> ? AND (n IS NULL OR n < ?)"
			    " ORDER BY k", &err);
	ck_assert_msg(st != NULL, "%s", err.msg);
	ck_assert_int_eq(engine_bind_text(st, 1, "it's"), 0);
	ck_assert_int_eq(engine_bind_int64(st, 2, 10), 0);
	ck_assert_int_ne(engine_bind_int64(st, 3, 1), 0);	/* no third placeholder */
	ck_assert_int_eq(engine_column_count(st), 3);
	ck_assert_int_eq(engine_step(st, &err), 1);
	ck_assert_str_eq(engine_column_text(st, 0), "a");
	ck_assert_int_eq(engine_column_type(st, 1), ENGINE_INT);
	ck_assert_int_eq(engine_column_int64(st, 1), 1);
	ck_assert_int_eq(engine_column_type(st, 2), ENGINE_REAL);
	ck_assert(engine_column_double(st, 2) == 0.5);
	ck_assert_int_eq(engine_step(st, &err), 1);
	ck_assert_str_eq(engine_column_text(st, 0), "b");
	ck_assert_int_eq(engine_column_type(st, 1), ENGINE_NULL);
	ck_assert_ptr_null(engine_column_text(st, 1));
	ck_assert_int_eq(engine_column_int64(st, 1), 0);
	ck_assert_int_eq(engine_step(st, &err), 0);
	/* again with another binding */
	engine_reset(st);
	ck_assert_int_eq(engine_bind_double(st, 2, 0.5), 0);
	ck_assert_int_eq(engine_step(st, &err), 1);
	ck_assert_str_eq(engine_column_text(st, 0), "b");	/* only the NULL n passes */
	ck_assert_int_eq(engine_step(st, &err), 0);
	engine_finalize(st);
	ck_assert_ptr_null(engine_prepare(e, "SELECT nosuch FROM t", &err));
	ck_assert_msg(strstr(err.msg, "nosuch") != NULL, "%s", err.msg);
	engine_close(e);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_load_sqlite)
{
	sqlite3 *db;
	struct engine *e = memory_engine(&db);
	struct ic_error err = { "", 0 };
	const char *cols[] = { "k", "n", "x" };
	const char text[] = "q\"u,o\nte\\N";
	struct engine_load *l;
	sqlite3_stmt *q;

	ck_assert_int_eq(engine_exec(e, "CREATE TABLE t(k TEXT, n INTEGER, x REAL)", "t", &err), 0);
	l = engine_load_begin(e, "t", cols, 3, &err);
	ck_assert_msg(l != NULL, "%s", err.msg);
	engine_load_text(l, text, sizeof text - 1);
	engine_load_int64(l, INT64_MIN + 1);
	engine_load_double(l, 0.1);
	ck_assert_int_eq(engine_load_row(l, &err), 0);
	engine_load_null(l);
	engine_load_null(l);
	engine_load_null(l);
	ck_assert_int_eq(engine_load_row(l, &err), 0);
	engine_load_int64(l, 1);	/* one value short */
	ck_assert_int_ne(engine_load_row(l, &err), 0);
	ck_assert_msg(strstr(err.msg, "1 values for 3 columns") != NULL, "%s", err.msg);
	engine_load_abort(l);

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT k, n, x, typeof(k) FROM t ORDER BY rowid", -1,
					    &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_bytes(q, 0), (int)sizeof text - 1);
	ck_assert(memcmp(sqlite3_column_text(q, 0), text, sizeof text - 1) == 0);
	ck_assert(sqlite3_column_int64(q, 1) == INT64_MIN + 1);
	ck_assert(sqlite3_column_double(q, 2) == 0.1);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(q, 3), "null");
	ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	engine_close(e);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_schema_tables)
{
	/* the remote charges table has SQLite's charges columns (but id, and
	 * x_ServiceCode of schema 6: remote engines do not carry it yet), then
	 * the two tag arrays of the remote tag store */
	sqlite3 *db;
	struct ic_error err = { "", 0 };
	sqlite3_stmt *q;
	int n = 0;

	db = db_open(":memory:", DB_WRITE, &err);
	ck_assert_msg(db != NULL, "%s", err.msg);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('charges')"
					    " WHERE name NOT IN ('id', 'x_ServiceCode') ORDER BY cid", -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		ck_assert_int_lt(n, engine_tables[ET_CHARGES].ncols);
		ck_assert_str_eq((const char *)sqlite3_column_text(q, 0),
				 engine_tables[ET_CHARGES].cols[n].name);
		n++;
	}
	sqlite3_finalize(q);
	ck_assert_int_eq(n + 2, engine_tables[ET_CHARGES].ncols);
	ck_assert_str_eq(engine_tables[ET_CHARGES].cols[n].name, "TagKeys");
	ck_assert_int_eq(engine_tables[ET_CHARGES].cols[n].type, EC_TEXT_ARRAY);
	ck_assert_str_eq(engine_tables[ET_CHARGES].cols[n + 1].name, "TagValues");
	ck_assert_int_eq(engine_tables[ET_CHARGES].cols[n + 1].type, EC_TEXT_ARRAY);
	db_close(db);
}
END_TEST

Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_url_forms);
	tcase_add_test(tc, test_url_refused);
	tcase_add_test(tc, test_default_url);
	tcase_add_test(tc, test_macros_sqlite);
	tcase_add_test(tc, test_statements_sqlite);
	tcase_add_test(tc, test_load_sqlite);
	tcase_add_test(tc, test_schema_tables);
	suite_add_tcase(s, tc);
	return s;
}
