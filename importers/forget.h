/*
 * forget.h - undoing imports: `imcost forget IMPORT|BATCH`.
 *
 * Forgetting a billing import removes its rows and puts back the rows it
 * replaced (kept in replaced_charges, see common/db.h), so the imports it
 * restated are current again where they were; a usage import's metric
 * values are removed (values it overwrote in place are not kept).  All of
 * it happens in one transaction, with the rollups rebuilt before the
 * commit: all or nothing.
 */
#ifndef IMCOST_FORGET_H
#define IMCOST_FORGET_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"

struct forget_item {
	int64_t import_id, batch_id;
	char path[512];
	char kind[16];		/* charges | usage */
	long removed;		/* its charges (or metric values) removed */
	long restored;		/* rows of earlier imports put back */
	int nrestored_imports;	/* how many earlier imports they belong to */
	long not_kept;		/* periods it replaced whose rows are no longer kept */
};

struct forget_result {
	struct forget_item *items;	/* owned: free with forget_result_free */
	int nitems;
};

/*
 * Forget import `id` (batch = 0) or every import of batch `id` (batch =
 * 1), newest first.  dry_run: do it all, fill *res, then roll back.
 * Returns 0, or -1 with err set, *res empty and the database unchanged
 * (an unknown id, a price-list import, a locked or failing database).
 */
int import_forget(sqlite3 *db, int64_t id, int batch, int dry_run, struct forget_result *res,
		  struct ic_error *err);

void forget_result_free(struct forget_result *res);

#endif
