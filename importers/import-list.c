/*
 * import-list.c - the imports and their billing periods as imcost list
 * shows them (see import-list.h).
 */
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "importers/import-list.h"

/* *dst = a copy of column i's text, NULL for SQL NULL.  -1 on ENOMEM. */
static int
col_dup(sqlite3_stmt *st, int i, char **dst)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*dst = s ? strdup(s) : NULL;
	return s && *dst == NULL ? -1 : 0;
}

static int
entry_read(sqlite3_stmt *st, struct import_list_entry *e)
{
	memset(e, 0, sizeof *e);
	e->import_id = sqlite3_column_int64(st, 0);
	e->batch = sqlite3_column_int64(st, 1);
	e->has_period = sqlite3_column_type(st, 6) != SQLITE_NULL;
	if (col_dup(st, 2, &e->path) || col_dup(st, 3, &e->format) ||
	    col_dup(st, 12, &e->imported_at) || col_dup(st, 14, &e->kind))
		return -1;
	if (!e->has_period) {
		e->rows = sqlite3_column_int64(st, 13);
		return 0;
	}
	if (col_dup(st, 4, &e->provider) || col_dup(st, 5, &e->billing_account) ||
	    col_dup(st, 8, &e->currency))
		return -1;
	e->period_start = sqlite3_column_int64(st, 6);
	e->rows = sqlite3_column_int64(st, 7);
	e->billed_nanos = sqlite3_column_int64(st, 9);
	e->effective_nanos = sqlite3_column_int64(st, 10);
	e->replaced_by = sqlite3_column_type(st, 11) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 11);
	e->replaced_rows = sqlite3_column_int64(st, 15);
	return 0;
}

static void
entry_free(struct import_list_entry *e)
{
	free(e->path);
	free(e->format);
	free(e->imported_at);
	free(e->kind);
	free(e->provider);
	free(e->billing_account);
	free(e->currency);
}

void
import_list_free(struct import_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
import_list_read(const char *db_path, struct import_list *out, struct ic_error *err)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t cap = 0;
	int r, oom = 0;

	memset(out, 0, sizeof *out);
	db = db_open(db_path, DB_READ, err);
	if (db == NULL)
		return -1;
	st = db_prepare(db,
		"SELECT i.id, i.batch_id, i.path, i.format, p.provider, p.billing_account_id,"
		" p.billing_period_start, p.rows, p.currency, p.billed_cost_nanos,"
		" p.effective_cost_nanos, p.replaced_by, i.imported_at, i.rows, i.kind, p.replaced_rows"
		" FROM imports i LEFT JOIN import_periods p ON p.import_id = i.id"
		" ORDER BY i.id, p.billing_period_start, p.provider, p.billing_account_id", err);
	if (st == NULL) {
		db_close(db);
		return -1;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct import_list_entry *v = realloc(out->v, nc * sizeof *v);
			if (v == NULL) {
				oom = 1;
				break;
			}
			out->v = v;
			cap = nc;
		}
		if (entry_read(st, &out->v[out->n]) != 0) {
			entry_free(&out->v[out->n]);
			oom = 1;
			break;
		}
		out->n++;
	}
	sqlite3_finalize(st);
	if (oom)
		ic_errorf(err, "out of memory");
	else if (r != SQLITE_DONE)
		db_error(db, "listing imports", err);
	db_close(db);
	if (oom || r != SQLITE_DONE) {
		import_list_free(out);
		return -1;
	}
	return 0;
}
