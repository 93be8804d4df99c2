/*
 * import-target.c - the two import targets of import-target.h: the
 * SQLite session (import.c) and the remote engine import
 * (engine-import.c), each behind the same five operations.  Thin
 * adapters: what each does is in its own file.
 */
#include <sqlite3.h>

#include "common/engine.h"
#include "importers/engine-import.h"
#include "importers/import-target.h"
#include "importers/import.h"

static void *
sqlite_new(void *where, const struct import_opts *o, int nfiles)
{
	return import_session_new(where, o, nfiles);
}

static void
sqlite_set_progress(void *s, void (*fn)(void *, uint64_t, uint64_t), void *arg)
{
	import_session_set_progress(s, fn, arg);
}

static int
sqlite_file(void *s, const char *path, struct import_result *res, struct ic_error *err)
{
	return import_file(s, path, res, err);
}

static int
sqlite_commit(void *s, struct ic_error *err)
{
	return import_session_commit(s, err);
}

static void
sqlite_free(void *s)
{
	import_session_free(s);
}

const struct import_target_ops import_target_sqlite = {
	.name = "sqlite",
	.new_session = sqlite_new,
	.set_progress = sqlite_set_progress,
	.import_file = sqlite_file,
	.commit = sqlite_commit,
	.free_session = sqlite_free,
};

static void *
engine_new(void *where, const struct import_opts *o, int nfiles)
{
	return engine_import_new(where, o, nfiles);
}

static void
engine_set_progress(void *s, void (*fn)(void *, uint64_t, uint64_t), void *arg)
{
	engine_import_set_progress(s, fn, arg);
}

static int
engine_file(void *s, const char *path, struct import_result *res, struct ic_error *err)
{
	return engine_import_file(s, path, res, err);
}

static int
engine_commit(void *s, struct ic_error *err)
{
	return engine_import_commit(s, err);
}

static void
engine_free(void *s)
{
	engine_import_free(s);
}

const struct import_target_ops import_target_engine = {
	.name = "engine",
	.new_session = engine_new,
	.set_progress = engine_set_progress,
	.import_file = engine_file,
	.commit = engine_commit,
	.free_session = engine_free,
};
