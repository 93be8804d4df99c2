/*
 * import-target.h - one interface for the two places an import goes: the
 * SQLite database (import.h's session) and a remote engine
 * (engine-import.h).  Both keep import.h's rules; the command runs one
 * loop over its files through these five operations, tmux-style (an ops
 * table chosen once, then called without knowing which it is).
 */
#ifndef IMCOST_IMPORT_TARGET_H
#define IMCOST_IMPORT_TARGET_H

#include <stdint.h>

#include "common/error.h"
#include "importers/import.h"

struct import_target_ops {
	const char *name;	/* "sqlite" or "engine", for messages and tests */
	/* A session importing into `where` (the sqlite3 * opened DB_WRITE,
	 * or the struct engine * opened DB_WRITE) with options o (copied).
	 * NULL on ENOMEM.  Free with free_session. */
	void *(*new_session)(void *where, const struct import_opts *o, int nfiles);
	/* Point progress reports at a new callback (e.g. one per file). */
	void (*set_progress)(void *s, void (*fn)(void *, uint64_t, uint64_t), void *arg);
	/* Import one file ("-" = stdin): 0 with *res filled, or -1 with err
	 * set (then free the session: it undoes the whole command). */
	int (*import_file)(void *s, const char *path, struct import_result *res,
			   struct ic_error *err);
	/* Make every file imported so far visible at once: 0, or -1 with err
	 * set (nothing became visible). */
	int (*commit)(void *s, struct ic_error *err);
	/* Free the session (NULL is fine); without a commit it undoes what it
	 * imported. */
	void (*free_session)(void *s);
};

/* The SQLite database (import_session_*): where is a sqlite3 *. */
extern const struct import_target_ops import_target_sqlite;
/* A remote engine (engine_import_*): where is a struct engine *. */
extern const struct import_target_ops import_target_engine;

#endif
