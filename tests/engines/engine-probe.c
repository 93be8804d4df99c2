/*
 * engine-probe.c - a small driver of the engine layer for the engine
 * tests (tests/e2e/t-engines.sh builds it against libimcost.a).  It lets
 * the tests reach common/engine.c and importers/engine-import.c without
 * the CLI:
 *
 *   engine-probe URL import [--label L] [--fail-after N] FILE...
 *        import the files as one command; prints one line per file:
 *        "FILE id=N unchanged=0|1 rows=N replaced=N"; --fail-after N
 *        stops after N files without committing (the session is freed,
 *        as the CLI does on an error) and exits 3
 *   engine-probe URL query SQL [i:INT | d:DOUBLE | t:TEXT | n]...
 *        run SQL with those parameters; prints each row as tab-separated
 *        typed values: NULL, i:123, r:1.5 (%.17g), t:text
 *   engine-probe URL exec SQL
 *        run SQL, ignore results
 *   engine-probe URL load TABLE COL... -- VALUE...
 *        load one row (values as for query) with engine_load_*
 *
 * Errors go to stderr as "error: MESSAGE", exit 1 (2 for usage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/engine.h"
#include "importers/engine-import.h"
#include "importers/import.h"

static int
fail(const struct ic_error *err)
{
	fprintf(stderr, "error: %s\n", err->msg);
	return err->usage ? 2 : 1;
}

static int
bind_arg(struct engine_stmt *st, int k, const char *a)
{
	if (strncmp(a, "i:", 2) == 0)
		return engine_bind_int64(st, k, strtoll(a + 2, NULL, 10));
	if (strncmp(a, "d:", 2) == 0)
		return engine_bind_double(st, k, strtod(a + 2, NULL));
	if (strncmp(a, "t:", 2) == 0)
		return engine_bind_text(st, k, a + 2);
	return engine_bind_null(st, k);
}

static void
load_arg(struct engine_load *l, const char *a)
{
	if (strncmp(a, "i:", 2) == 0)
		engine_load_int64(l, strtoll(a + 2, NULL, 10));
	else if (strncmp(a, "d:", 2) == 0)
		engine_load_double(l, strtod(a + 2, NULL));
	else if (strncmp(a, "t:", 2) == 0)
		engine_load_text(l, a + 2, strlen(a + 2));
	else
		engine_load_null(l);
}

static int
do_query(struct engine *e, int argc, char **argv, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(e, argv[0], err);
	int r;

	if (st == NULL)
		return -1;
	for (int i = 1; i < argc; i++)
		if (bind_arg(st, i, argv[i]) != 0) {
			engine_finalize(st);
			return ic_errorf(err, "cannot bind parameter %d", i);
		}
	while ((r = engine_step(st, err)) == 1) {
		for (int i = 0; i < engine_column_count(st); i++) {
			if (i)
				putchar('\t');
			switch (engine_column_type(st, i)) {
			case ENGINE_NULL: fputs("NULL", stdout); break;
			case ENGINE_INT: printf("i:%lld", (long long)engine_column_int64(st, i)); break;
			case ENGINE_REAL: printf("r:%.17g", engine_column_double(st, i)); break;
			default: printf("t:%s", engine_column_text(st, i));
			}
		}
		putchar('\n');
	}
	engine_finalize(st);
	return r < 0 ? -1 : 0;
}

static int
do_import(struct engine *e, int argc, char **argv, struct ic_error *err)
{
	struct import_opts o;
	struct engine_import *s;
	int fail_after = -1, i = 0, rc = 0;

	memset(&o, 0, sizeof o);
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--label") == 0 && i + 1 < argc)
			o.label = argv[++i];
		else if (strcmp(argv[i], "--fail-after") == 0 && i + 1 < argc)
			fail_after = atoi(argv[++i]);
		else
			break;
	}
	s = engine_import_new(e, &o, argc - i);
	if (s == NULL)
		return ic_errorf(err, "out of memory");
	for (int k = 0; i < argc; i++, k++) {
		struct import_result res;
		if (k == fail_after) {
			engine_import_free(s);
			return 3;
		}
		if (engine_import_file(s, argv[i], &res, err) != 0) {
			engine_import_free(s);
			return -1;
		}
		printf("%s id=%lld unchanged=%d rows=%ld replaced=%d\n", argv[i],
		       (long long)res.import_id, res.unchanged, res.rows, res.replaced);
	}
	if (engine_import_commit(s, err) != 0)
		rc = -1;
	engine_import_free(s);
	return rc;
}

static int
do_load(struct engine *e, int argc, char **argv, struct ic_error *err)
{
	int ncols = 0;
	struct engine_load *l;

	while (1 + ncols < argc && strcmp(argv[1 + ncols], "--") != 0)
		ncols++;
	if (1 + ncols >= argc)
		return ic_errorf(err, "load: no '--'");
	l = engine_load_begin(e, argv[0], (const char *const *)argv + 1, ncols, err);
	if (l == NULL)
		return -1;
	for (int i = 2 + ncols; i < argc; i++)
		load_arg(l, argv[i]);
	if (engine_load_row(l, err) != 0) {
		engine_load_abort(l);
		return -1;
	}
	return engine_load_end(l, err);
}

int
main(int argc, char **argv)
{
	struct ic_error err = { "", 0 };
	struct engine *e;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: engine-probe URL import|query|exec|load ...\n");
		return 2;
	}
	e = engine_open(argv[1], strcmp(argv[2], "import") == 0 || strcmp(argv[2], "load") == 0
			? DB_WRITE : DB_READ, &err);
	if (e == NULL)
		return fail(&err);
	if (strcmp(argv[2], "import") == 0)
		rc = do_import(e, argc - 3, argv + 3, &err);
	else if (strcmp(argv[2], "query") == 0 && argc >= 4)
		rc = do_query(e, argc - 3, argv + 3, &err);
	else if (strcmp(argv[2], "exec") == 0 && argc == 4)
		rc = engine_exec(e, argv[3], "exec", &err);
	else if (strcmp(argv[2], "load") == 0 && argc >= 5)
		rc = do_load(e, argc - 3, argv + 3, &err);
	else
		rc = ic_errorf(&err, "unknown command %s", argv[2]);
	engine_close(e);
	if (rc == 3)
		return 3;
	return rc ? fail(&err) : 0;
}
