/*
 * spillmap.h - a map from text keys to small byte values that lives in
 * memory up to a byte limit and, past it, in a private temporary SQLite
 * database (issue 14): what a streamed AWS JSON offer file keeps per SKU
 * (the keys of an object, for their duplicates; the products waiting for
 * their terms) stays within a bounded memory whatever the file's size.
 *
 * The temporary database is SQLite's own ("" as the file name): its file
 * is made in SQLite's temporary directory ($SQLITE_TMPDIR, else $TMPDIR,
 * else /var/tmp, /usr/tmp, /tmp) and unlinked as soon as it is opened,
 * so nothing is left behind after success, failure, Ctrl-C or a kill.
 * It is not the import's database: the import's transaction is not
 * touched.
 */
#ifndef IMCOST_SPILLMAP_H
#define IMCOST_SPILLMAP_H

#include <stddef.h>

#include "common/error.h"

/* Default of $IMCOST_OFFER_MEMORY_MB: MiB an AWS JSON offer file may
 * keep in memory (SKUs and products) before the rest goes to disk. */
#define OFFER_MEMORY_MB 16

struct spillmap;

/* The bytes of memory kept for offer files: $IMCOST_OFFER_MEMORY_MB MiB
 * when it is a whole number (0: everything on disk), else
 * OFFER_MEMORY_MB MiB. */
size_t offer_memory_limit(void);

/* A new, empty map that moves to disk once its entries take more than
 * limit bytes (0: on disk from the first entry).  NULL when out of
 * memory.  The caller frees it with spillmap_free. */
struct spillmap *spillmap_new(size_t limit);

/* Add key -> val[0..len).  1 added; 0 the key is there already (*old,
 * *oldlen: its value, valid until the next call on m; old may be NULL);
 * -1 with err set (out of memory, the temporary file failed). */
int spillmap_put(struct spillmap *m, const char *key, const void *val, size_t len,
		 const void **old, size_t *oldlen, struct ic_error *err);

/* The value of key: 1 found (*val, *len valid until the next call on m),
 * 0 not there, -1 with err set. */
int spillmap_get(struct spillmap *m, const char *key, const void **val, size_t *len,
		 struct ic_error *err);

/* Entries in m. */
size_t spillmap_count(const struct spillmap *m);

/* Is m on disk? */
int spillmap_spilled(const struct spillmap *m);

/* Remove every entry (m goes back to memory, its limit kept). */
void spillmap_clear(struct spillmap *m);

/* Free m and close its temporary database.  NULL is fine. */
void spillmap_free(struct spillmap *m);

#endif
