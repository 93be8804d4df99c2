/*
 * tagstore.c - writing SQLite's tag store (dim_tags, common/db.h) from a
 * charge's Tags text in C: one row per tag set and folded key, by the
 * rule of common/tags.h (tag_pairs_get), so that the import needs no
 * json_each.
 */
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
