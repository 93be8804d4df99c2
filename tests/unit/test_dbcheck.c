/*
 * test_dbcheck.c - the time limit of the bounded integrity checks
 * (common/db-check.c): a limit that passes inside one b-tree stops the
 * check there, as a cut (db_quick_check_cut), never as an error, and a
 * check with time to spare finds a damaged page all the same.
 */
#define _GNU_SOURCE 1	/* setenv, mkdtemp */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/db.h"
#include "common/error.h"

/* A database of one table, big enough that counting it takes a while:
 * 200,000 rows of 100 bytes, about 25 MB.  Its path into path[256]. */
static void
make_big(char *dir, char *path)
{
	sqlite3 *db;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, 256, "%s/big.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA page_size = 4096; BEGIN;"
				      " CREATE TABLE big(id INTEGER PRIMARY KEY, v BLOB);"
				      " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
				      "  WHERE i < 200000) INSERT INTO big SELECT i, randomblob(100) FROM n;"
				      " COMMIT;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Close db, drop the limits' variables and the database. */
static void
remove_big(sqlite3 *db, const char *dir, const char *path)
{
	unsetenv("IMCOST_FULL_CHECK_MB");
	unsetenv("IMCOST_QUICK_CHECK_SECONDS");
	sqlite3_close(db);
	unlink(path);
	rmdir(dir);
}

/* with a limit of a millisecond the walk of big is cut, not failed */
START_TEST(test_limit_inside_btree_is_a_cut)
{
	char dir[] = "/tmp/imcost-dbcheck-XXXXXX", path[256];
	const char *tables[] = { "big" };
	struct ic_error err = { "", 0 };
	double limit = -1;
	sqlite3 *db;

	make_big(dir, path);
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	setenv("IMCOST_FULL_CHECK_MB", "0", 1);	/* the page walk, as above 64 MB */
	setenv("IMCOST_QUICK_CHECK_SECONDS", "0.001", 1);
	ck_assert_msg(db_check_tables(db, path, tables, 1, &err) == 0, "error: %s", err.msg);
	ck_assert_int_eq(db_quick_check_cut(&limit), 1);
	ck_assert(limit > 0.0009 && limit < 0.0011);
	/* the connection is usable afterwards: the interrupt is spent */
	ck_assert_int_eq(sqlite3_exec(db, "SELECT count(*) FROM big", NULL, NULL, NULL), SQLITE_OK);
	/* the small-file path (PRAGMA quick_check per table) is cut the same way */
	setenv("IMCOST_FULL_CHECK_MB", "1000", 1);
	ck_assert_msg(db_check_tables(db, path, tables, 1, &err) == 0, "error: %s", err.msg);
	ck_assert_int_eq(db_quick_check_cut(NULL), 1);
	/* with time to spare, the whole table is checked and nothing cut */
	setenv("IMCOST_QUICK_CHECK_SECONDS", "600", 1);
	ck_assert_msg(db_check_tables(db, path, tables, 1, &err) == 0, "error: %s", err.msg);
	ck_assert_int_eq(db_quick_check_cut(NULL), 0);
	remove_big(db, dir, path);
}
END_TEST

/* a damaged page at the end of big is found when the limit allows */
START_TEST(test_damage_found_within_limit)
{
	char dir[] = "/tmp/imcost-dbcheck-XXXXXX", path[256];
	const char *tables[] = { "big" };
	struct ic_error err = { "", 0 };
	sqlite3 *db;
	FILE *f;
	long size;

	make_big(dir, path);
	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	/* a leaf page near the end: its header overwritten with a bad type */
	ck_assert_int_eq(fseek(f, size - 2 * 4096, SEEK_SET), 0);
	ck_assert_int_eq((int)fwrite("\x77\x77\x77\x77\x77\x77\x77\x77", 1, 8, f), 8);
	fclose(f);
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	setenv("IMCOST_FULL_CHECK_MB", "0", 1);
	setenv("IMCOST_QUICK_CHECK_SECONDS", "600", 1);
	ck_assert_int_eq(db_check_tables(db, path, tables, 1, &err), -1);
	ck_assert_msg(strstr(err.msg, "DB is damaged") != NULL, "%s", err.msg);
	ck_assert_int_eq(db_quick_check_cut(NULL), 0);
	remove_big(db, dir, path);
}
END_TEST

Suite *dbcheck_suite(void);

Suite *
dbcheck_suite(void)
{
	Suite *s = suite_create("dbcheck");
	TCase *tc = tcase_create("bound");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_limit_inside_btree_is_a_cut);
	tcase_add_test(tc, test_damage_found_within_limit);
	suite_add_tcase(s, tc);
	return s;
}
