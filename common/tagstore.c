/*
 * tagstore.c - writing SQLite's tag store (dim_tags, common/db.h) from a
 * charge's Tags text in C: one row per tag set and folded key, by the
 * rule of common/tags.h (tag_pairs_get), so that the import needs no
 * json_each; and the SQL function imcost_tag_fold (the same folding,
 * for the schema's back-fills and for queries).
 */
#include <string.h>

#include "common/db.h"
#include "common/tags.h"

int
db_tag_rows(sqlite3 *db, sqlite3_stmt *st, int64_t id, const char *json, int aws,
	    struct ic_error *err)
{
	struct tag_pairs p = { 0 };
	int ret = 0;

	if (tag_pairs_get(json, aws, &p) != 0) {
		tag_pairs_free(&p);
		return ic_errorf(err, "out of memory");
	}
	for (int i = 0; i < p.n && ret == 0; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, p.key[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, p.spelled[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p.value[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			ret = db_error(db, "writing a charge's tags", err);
		sqlite3_reset(st);
	}
	sqlite3_clear_bindings(st);
	tag_pairs_free(&p);
	return ret;
}

/* imcost_tag_fold(key, provider): see db.h. */
static void
fn_tag_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *key = (const char *)sqlite3_value_text(argv[0]);
	const char *prov = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
	size_t len, n;
	char buf[256], *out = buf;

	if (key == NULL)
		return;		/* NULL */
	len = (size_t)sqlite3_value_bytes(argv[0]);
	if (len >= sizeof buf && (out = sqlite3_malloc64(len + 1)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	n = tag_key_fold(key, len, prov != NULL && strcmp(prov, "AWS") == 0, out, len + 1);
	if (n != (size_t)-1)
		sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
	if (out != buf)
		sqlite3_free(out);
}

int
db_register_functions(sqlite3 *db, struct ic_error *err)
{
	if (sqlite3_create_function(db, "imcost_tag_fold", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, fn_tag_fold, NULL, NULL) != SQLITE_OK)
		return db_error(db, "registering imcost_tag_fold", err);
	return 0;
}
