/*
 * import-list.h - what has been imported: one entry per imported file and
 * billing period (imports LEFT JOIN import_periods), for imcost list.
 */
#ifndef IMCOST_IMPORT_LIST_H
#define IMCOST_IMPORT_LIST_H

#include <stdint.h>

#include "common/error.h"

struct import_list_entry {
	int64_t import_id, batch;
	char *path, *format, *imported_at;	/* NULL for SQL NULL */
	char *kind;		/* imports.kind: "bill", "usage", "prices", ...; NULL for SQL NULL */
	int has_period;		/* an import_periods row; the fields below */
	char *provider, *billing_account, *currency;	/* NULL when has_period is 0 or SQL NULL */
	int64_t period_start;	/* billing period start, epoch seconds */
	int64_t rows;		/* the period's rows, or the import's without a period */
	int64_t billed_nanos, effective_nanos;
	int64_t replaced_by;	/* the batch that replaced it, 0 when none */
	int64_t replaced_rows;	/* rows a later overlapping file replaced */
};

struct import_list {
	struct import_list_entry *v;
	size_t n;
};

/*
 * Read the imports of the database at db_path (opened read-only), ordered
 * by import, billing period, provider and account.  Returns 0 with *out
 * filled (caller frees with import_list_free), or -1 with err set.
 */
int import_list_read(const char *db_path, struct import_list *out, struct ic_error *err);

/* Free what import_list_read filled; NULL and an empty list are fine. */
void import_list_free(struct import_list *l);

#endif
