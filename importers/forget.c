/*
 * forget.c - undoing imports (see forget.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "importers/forget.h"

/* Run one statement binding ?1 = a, ?2 = b; *changes gets its count. */
static int
run2(sqlite3 *db, const char *sql, int64_t a, int64_t b, long *changes, const char *what,
     struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(db, what, err);
	}
	sqlite3_finalize(st);
	if (changes)
		*changes = (long)sqlite3_changes(db);
	return 0;
}

/* Scalar of a query binding ?1 = a. */
static int
scalar(sqlite3 *db, const char *sql, int64_t a, int64_t *out, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	r = sqlite3_step(st);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_error(db, "reading the imports", err);
	return 0;
}

/* Put back the rows import x replaced, and mark their periods current. */
static int
restore_replaced(sqlite3 *db, struct forget_item *it, struct ic_error *err)
{
	sqlite3_stmt *q = db_prepare(db,
		"SELECT r.import_id, d.ProviderName, d.BillingAccountId, r.BillingPeriodStart,"
		" COUNT(*) FROM replaced_charges r JOIN charge_dims d ON d.id = r.dim_id"
		" WHERE r.replaced_by_import = ? GROUP BY 1, 2, 3, 4", err);
	sqlite3_stmt *up = q ? db_prepare(db,
		"UPDATE import_periods SET replaced_rows = MAX(0, replaced_rows - ?1),"
		" replaced_by = NULL WHERE import_id = ?2 AND provider = ?3"
		" AND billing_account_id = ?4 AND billing_period_start = ?5", err) : NULL;
	int64_t last_import = 0;
	int r, ret = -1;

	if (up == NULL)
		goto out;
	sqlite3_bind_int64(q, 1, it->import_id);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t imp = sqlite3_column_int64(q, 0);
		if (imp != last_import) {
			it->nrestored_imports++;
			last_import = imp;
		}
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(q, 4));
		sqlite3_bind_int64(up, 2, imp);
		sqlite3_bind_value(up, 3, sqlite3_column_value(q, 1));
		sqlite3_bind_value(up, 4, sqlite3_column_value(q, 2));
		sqlite3_bind_int64(up, 5, sqlite3_column_int64(q, 3));
		if (sqlite3_step(up) != SQLITE_DONE) {
			db_error(db, "marking restored periods", err);
			goto out;
		}
	}
	if (r != SQLITE_DONE) {
		db_error(db, "reading the replaced rows", err);
		goto out;
	}
	if (run2(db, "INSERT INTO charge_facts(" DB_FACT_COLS ") SELECT " DB_FACT_COLS
		 " FROM replaced_charges WHERE replaced_by_import = ?1 ORDER BY id",
		 it->import_id, 0, &it->restored, "restoring the replaced rows", err) != 0 ||
	    run2(db, "DELETE FROM replaced_charges WHERE replaced_by_import = ?1",
		 it->import_id, 0, NULL, "restoring the replaced rows", err) != 0)
		goto out;
	ret = 0;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(up);
	return ret;
}

static int
forget_one(sqlite3 *db, struct forget_item *it, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT batch_id, path, kind, first_rowid, last_rowid FROM imports WHERE id = ?", err);
	int64_t first, last;
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, it->import_id);
	r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (r != SQLITE_DONE)
			return db_error(db, "reading the imports", err);
		return ic_errorf(err, "no import %lld (imcost list shows them)",
				 (long long)it->import_id);
	}
	it->batch_id = sqlite3_column_int64(st, 0);
	snprintf(it->path, sizeof it->path, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(it->kind, sizeof it->kind, "%s", (const char *)sqlite3_column_text(st, 2));
	first = sqlite3_column_int64(st, 3);
	last = sqlite3_column_int64(st, 4);
	sqlite3_finalize(st);
	if (strcmp(it->kind, "prices") == 0)
		return ic_errorf(err, "import %lld is a price list: imcost prices manages those",
				 (long long)it->import_id);
	if (strcmp(it->kind, "usage") == 0) {
		if (run2(db, "DELETE FROM usage WHERE import_id = ?1", it->import_id, 0,
			 &it->removed, "removing the import's metrics", err) != 0)
			return -1;
	} else if (first > 0) {
		sqlite3_stmt *del = db_prepare(db,
			"DELETE FROM charge_facts WHERE id BETWEEN ?1 AND ?2 AND import_id = ?3", err);
		if (del == NULL)
			return -1;
		sqlite3_bind_int64(del, 1, first);
		sqlite3_bind_int64(del, 2, last);
		sqlite3_bind_int64(del, 3, it->import_id);
		r = sqlite3_step(del);
		sqlite3_finalize(del);
		if (r != SQLITE_DONE)
			return db_error(db, "removing the import's rows", err);
		it->removed = (long)sqlite3_changes(db);
	}
	/* its own rows that a later import replaced go too; then the rows it
	 * replaced come back */
	if (run2(db, "DELETE FROM replaced_charges WHERE import_id = ?1", it->import_id, 0, NULL,
		 "removing the import's rows", err) != 0 ||
	    restore_replaced(db, it, err) != 0 ||
	    run2(db, "DELETE FROM import_periods WHERE import_id = ?1", it->import_id, 0, NULL,
		 "removing the import", err) != 0 ||
	    run2(db, "DELETE FROM imports WHERE id = ?1", it->import_id, 0, NULL,
		 "removing the import", err) != 0)
		return -1;
	return 0;
}

static int
add_item(struct forget_result *res, int64_t id, struct ic_error *err)
{
	struct forget_item *n = realloc(res->items, (size_t)(res->nitems + 1) * sizeof *n);

	if (n == NULL)
		return ic_errorf(err, "out of memory");
	res->items = n;
	memset(&n[res->nitems], 0, sizeof *n);
	n[res->nitems++].import_id = id;
	return 0;
}

/* The imports of batch id, newest first, as items. */
static int
batch_items(sqlite3 *db, int64_t id, struct forget_result *res, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM imports WHERE batch_id = ? ORDER BY id DESC",
				      err);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if (add_item(res, sqlite3_column_int64(st, 0), err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_error(db, "reading the imports", err);
	if (res->nitems == 0)
		return ic_errorf(err, "no batch %lld (imcost list shows them)", (long long)id);
	return 0;
}

int
import_forget(sqlite3 *db, int64_t id, int batch, int dry_run, struct forget_result *res,
	      struct ic_error *err)
{
	unsigned stale = 0;
	int64_t left = 0;

	memset(res, 0, sizeof *res);
	if (db_exec(db, "BEGIN IMMEDIATE", "locking the database", err) != 0)
		return -1;
	if ((batch ? batch_items(db, id, res, err) : add_item(res, id, err)) != 0 ||
	    rollup_stale(db, &stale, err) != 0 ||
	    db_exec(db, ROLLUP_TRIGGERS_DROP, "preparing the rollups", err) != 0)
		goto fail;
	for (int i = 0; i < res->nitems; i++) {
		struct forget_item *it = &res->items[i];
		if (forget_one(db, it, err) != 0)
			goto fail;
		stale |= strcmp(it->kind, "usage") == 0 ? ROLLUP_USAGE : ROLLUP_CHARGES;
	}
	for (int i = 0; i < res->nitems; i++) {
		struct forget_item *it = &res->items[i];
		if (scalar(db, "SELECT COUNT(*) FROM imports WHERE batch_id = ?1", it->batch_id, &left,
			   err) != 0)
			goto fail;
		if (left > 0)
			continue;
		/* an emptied batch: what it replaced and no longer has */
		if (scalar(db, "SELECT COUNT(*) FROM import_periods WHERE replaced_by = ?1",
			   it->batch_id, &left, err) != 0 ||
		    run2(db, "DELETE FROM batches WHERE id = ?1", it->batch_id, 0, NULL,
			 "removing the batch", err) != 0)
			goto fail;
		it->not_kept = (long)left;
	}
	if (dry_run) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return 0;
	}
	if (db_exec(db, DB_DROP_UNUSED_DIMS, "removing unused dimensions", err) != 0 ||
	    rollup_rebuild(db, stale, err) != 0 ||
	    db_exec(db, ROLLUP_TRIGGERS_CREATE, "saving the rollups", err) != 0 ||
	    db_exec(db, "COMMIT", "saving the change", err) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	forget_result_free(res);
	return -1;
}

void
forget_result_free(struct forget_result *res)
{
	free(res->items);
	res->items = NULL;
	res->nitems = 0;
}
