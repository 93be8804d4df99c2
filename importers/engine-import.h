/*
 * engine-import.h - importing files into a remote engine (ClickHouse,
 * PostgreSQL; see common/engine.h), with the rules of import.h.
 *
 * Each file is parsed, mapped and validated by the ordinary driver
 * (import.c, same importers, same errors) into a scratch SQLite database
 * in $TMPDIR, which is then streamed to the engine's bulk-load path
 * (INSERT ... FORMAT CSV / COPY ... FROM STDIN) and removed.  A file that
 * fails never reaches the engine.
 *
 * All or nothing without transactions: rows go into the data tables
 * (charges_data, usage_data) tagged with their import id, and the
 * bookkeeping rows (batches, imports, import_periods) go in beside them;
 * none of it is visible, because the views that analyzers read (charges,
 * usage) show only imports of batches that have a row in commits.
 * engine_import_commit writes that one row - a single-row INSERT, atomic
 * on both engines - and the whole command appears at once.  A command that
 * fails (or is killed) leaves only invisible rows, which it deletes by
 * import id when it can.  Batches replace older ones per (provider,
 * billing account, billing period) the same way: live_periods, a view, is
 * the latest committed batch's periods per key, so the replacing commit
 * hides the older rows in the same instant; they are then deleted.  (A
 * staging table swapped in at the end would need an atomic swap across
 * shards and synchronous deletes of the replaced rows, which ClickHouse
 * 18.16 has neither of.)
 *
 * Ids: batch and import ids are one more than the largest on the engine,
 * and an import's imports row is written before its data, so an id that
 * was ever used by rows is never given out again.  One importer at a time
 * per engine database, as with SQLite's write lock.
 */
#ifndef IMCOST_ENGINE_IMPORT_H
#define IMCOST_ENGINE_IMPORT_H

#include "common/engine.h"
#include "common/error.h"
#include "importers/import.h"

struct engine_import;

/* A session importing into the remote engine e (opened DB_WRITE) with
 * options o (copied; progress as in import.h).  NULL on ENOMEM. */
struct engine_import *engine_import_new(struct engine *e, const struct import_opts *o,
					int nfiles);

/* Point progress reports at a new callback (e.g. one per file). */
void engine_import_set_progress(struct engine_import *s,
				void (*fn)(void *, uint64_t, uint64_t), void *arg);

/*
 * Import one file ("-" = stdin).  Returns 0 with *res filled as
 * import_file does (import_id is the engine's), or -1 with err set; the
 * caller then frees the session, which undoes the whole command.
 */
int engine_import_file(struct engine_import *s, const char *path, struct import_result *res,
		       struct ic_error *err);

/* Make every file imported so far visible at once.  Returns 0, or -1
 * with err set (nothing became visible). */
int engine_import_commit(struct engine_import *s, struct ic_error *err);

/* Free the session; without a commit, deletes the rows it sent (best
 * effort: they are invisible anyway). */
void engine_import_free(struct engine_import *s);

#endif
