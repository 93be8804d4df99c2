/*
 * engine-sqlite.c - the SQLite dialect of the engine layer: how the
 * query macros (engine.h) are spelled for the embedded database.  The
 * schema is db.c's; queries run through sqlite3_prepare (engine.c), so
 * nothing else differs.
 */
#include <string.h>

#include "common/engine-int.h"

static int
sqlite_macro(struct sbuf *out, const char *name, const char *const *a, int n)
{
	if (strcmp(name, "idiv") == 0 && n == 2) {
		/* integer operands: SQLite's / truncates toward zero */
		sbuf_printf(out, "((%s) / (%s))", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "like_ci") == 0 && n == 2) {
		sbuf_printf(out, "(%s LIKE %s)", a[0], a[1]);
		return 0;
	}
	if (strcmp(name, "int") == 0 && n == 1) {
		sbuf_printf(out, "CAST((%s) AS INTEGER)", a[0]);
		return 0;
	}
	if (strcmp(name, "month_start") == 0 && n == 1) {
		sbuf_printf(out, "CAST(strftime('%%s', (%s), 'unixepoch', 'start of month') AS INTEGER)",
			    a[0]);
		return 0;
	}
	if (n == 1 && (strcmp(name, "min") == 0 || strcmp(name, "max") == 0 ||
		       strcmp(name, "sum") == 0 || strcmp(name, "avg") == 0)) {
		/* SQLite's aggregates already give NULL over no rows */
		sbuf_printf(out, "%s(%s)", strcmp(name, "min") == 0 ? "MIN" :
			    strcmp(name, "max") == 0 ? "MAX" : strcmp(name, "sum") == 0 ? "SUM" : "AVG",
			    a[0]);
		return 0;
	}
	if (strcmp(name, "str") == 0 && n == 1 && engine_hex_arg(a[0])) {
		sbuf_printf(out, "CAST(X'%s' AS TEXT)", a[0]);
		return 0;
	}
	return -1;
}

static int
sqlite_schema(struct engine *e, int create, struct ic_error *err)
{
	(void)e;
	(void)create;
	(void)err;
	return 0;	/* db_open made or checked it */
}

static int
sqlite_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err)
{
	(void)e;
	(void)ids;
	(void)n;
	return ic_errorf(err, "sqlite: imports are removed by import.c, not by the engine layer");
}

const struct engine_dialect engine_dialect_sqlite = {
	.kind = ENGINE_SQLITE,
	.name = "sqlite",
	.macro = sqlite_macro,
	.schema = sqlite_schema,
	.delete_imports = sqlite_delete_imports,
};
