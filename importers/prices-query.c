/*
 * prices-query.c - the imported price lists and prices read back for
 * imcost prices (see prices-query.h).
 */
#include <string.h>

#include "common/db.h"
#include "importers/prices-query.h"

#define TXT(st, i) ((const char *)sqlite3_column_text((st), (i)) ? \
		    (const char *)sqlite3_column_text((st), (i)) : "")

/* Open db_path and prepare sql; NULL with err set (and *db NULL). */
static sqlite3_stmt *
open_query(const char *db_path, const char *sql, sqlite3 **db, struct ic_error *err)
{
	sqlite3_stmt *st;

	*db = db_open(db_path, DB_READ, err);
	if (*db == NULL)
		return NULL;
	st = db_prepare(*db, sql, err);
	if (st == NULL) {
		if (err && strstr(err->msg, "no such table"))
			ic_errorf(err, "%s: no price lists yet (imcost import a price list first)",
				  db_path);
		db_close(*db);
		*db = NULL;
	}
	return st;
}

/* After the last step r: 0 when done, else the error; closes both. */
static int
close_query(sqlite3 *db, sqlite3_stmt *st, int r, int stop, struct ic_error *err)
{
	sqlite3_finalize(st);
	if (stop == 0 && r != SQLITE_DONE)
		stop = db_error(db, "reading prices", err);
	db_close(db);
	return stop;
}

int
prices_query_lists(const char *db_path, int (*fn)(void *arg, const struct price_list_row *row),
		   void *arg, struct ic_error *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = open_query(db_path,
		"SELECT l.id, l.import_id, l.provider, l.offer, l.region, l.publication, l.rows,"
		" i.path, l.replaced_by FROM price_lists l JOIN imports i ON i.id = l.import_id"
		" ORDER BY l.provider, l.offer, l.region, l.publication, l.id", &db, err);
	struct price_list_row row;
	int r = SQLITE_DONE, stop = 0;

	if (st == NULL)
		return -1;
	while (stop == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		row.id = sqlite3_column_int64(st, 0);
		row.import_id = sqlite3_column_int64(st, 1);
		row.provider = TXT(st, 2);
		row.offer = TXT(st, 3);
		row.region = TXT(st, 4);
		row.publication = TXT(st, 5);
		row.rows = sqlite3_column_int64(st, 6);
		row.path = TXT(st, 7);
		row.replaced_by = sqlite3_column_type(st, 8) == SQLITE_NULL ? 0 :
			sqlite3_column_int64(st, 8);
		stop = fn(arg, &row);
	}
	return close_query(db, st, r, stop, err);
}

int
prices_query_lookup(const char *db_path, const char *region, const char *type, const char *kind,
		    int all, int (*fn)(void *arg, const struct price_row *row), void *arg,
		    struct ic_error *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = open_query(db_path,
		"SELECT p.provider, p.region, p.instance_type, p.platform, p.kind, p.term,"
		" p.payment, p.offering_class, p.currency, p.upfront_nanos, p.hourly_nanos,"
		" t.vcpu, t.memory_gib, i.path, l.publication, l.replaced_by"
		" FROM prices p JOIN price_lists l ON l.id = p.list_id"
		" JOIN imports i ON i.id = l.import_id"
		" LEFT JOIN instance_types t ON t.provider = p.provider AND t.instance_type = p.instance_type"
		" WHERE (?1 IS NULL OR p.region = ?1) AND (?2 IS NULL OR p.instance_type = ?2)"
		" AND (?3 IS NULL OR p.kind = ?3) AND (?4 = 1 OR l.replaced_by IS NULL)"
		" ORDER BY p.provider, p.region, p.instance_type, p.platform, p.kind, p.term,"
		" p.payment, p.offering_class, l.publication DESC, l.id", &db, err);
	struct price_row row;
	int r = SQLITE_DONE, stop = 0;

	if (st == NULL)
		return -1;
	if (region)
		sqlite3_bind_text(st, 1, region, -1, SQLITE_STATIC);
	if (type)
		sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	if (kind)
		sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, all);
	while (stop == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
		row.provider = TXT(st, 0);
		row.region = TXT(st, 1);
		row.instance_type = TXT(st, 2);
		row.platform = TXT(st, 3);
		row.kind = TXT(st, 4);
		row.term = TXT(st, 5);
		row.payment = TXT(st, 6);
		row.offering_class = TXT(st, 7);
		row.currency = TXT(st, 8);
		row.upfront_nanos = sqlite3_column_int64(st, 9);
		row.hourly_nanos = sqlite3_column_int64(st, 10);
		row.vcpu = sqlite3_column_double(st, 11);
		row.memory_gib = sqlite3_column_double(st, 12);
		row.path = TXT(st, 13);
		row.publication = TXT(st, 14);
		row.replaced = sqlite3_column_type(st, 15) != SQLITE_NULL;
		stop = fn(arg, &row);
	}
	return close_query(db, st, r, stop, err);
}
