/*
 * prices-db.h - importing a price list into the database (the import
 * driver's side of importers/prices.h).
 *
 * Tables (schema version 5, common/db.c):
 *   price_lists(id, import_id, provider, offer, region, publication, rows,
 *               replaced_by): one per (provider, offer code, region) of an
 *               import; publication is the file's date (ISO 8601) when it
 *               states one, else "";
 *   prices(list_id, provider, region, instance_type, platform, kind, term,
 *          payment, offering_class, currency, upfront_nanos, hourly_nanos,
 *          usage_type, operation, sku);
 *   instance_types(provider, instance_type, vcpu, memory_gib, family,
 *                  size_factor, list_id): the last import's attributes.
 *
 * A newer publication of the same provider, offer and region replaces the
 * older one: the older list's prices are deleted and its price_lists row
 * gets replaced_by = the newer import (an older file imported after a
 * newer one is recorded as replaced at once).  Equal publications: the
 * later import wins.
 */
#ifndef IMCOST_PRICES_DB_H
#define IMCOST_PRICES_DB_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/csvreader.h"
#include "common/error.h"

struct cJSON;
struct importer;
struct price_import;

/* Start importing a file of format imp (kind KIND_PRICES) as import
 * import_id, inside the caller's transaction.  warn(warn_arg, line, col,
 * msg) receives the counted warnings.  NULL with err set on failure.
 * Free with price_import_free. */
struct price_import *price_import_new(sqlite3 *db, int64_t import_id, const struct importer *imp,
				      const char *name,
				      void (*warn)(void *, long, long, const char *),
				      void *warn_arg, struct ic_error *err);
/* The size of the file in bytes (0: unknown), before the first record:
 * a file larger than what the prices table holds has the table's indexes
 * built once at the end instead of row by row (prices-db.c). */
void price_import_expect(struct price_import *pi, uint64_t bytes);
/* Feed one CSV record (the file's first included) or the JSON document. */
int price_import_csv(struct price_import *pi, const struct csv_record *rec, struct ic_error *err);
int price_import_json(struct price_import *pi, const struct cJSON *v, struct ic_error *err);
/* The name of the array member whose elements this import can read one
 * at a time (price_format.json_items), or NULL. */
const char *price_import_items(const struct price_import *pi);
/* Feed element idx of that array (in place of the whole document). */
int price_import_json_item(struct price_import *pi, const struct cJSON *item, long idx,
			   struct ic_error *err);
/* The objects whose members this import can read one at a time
 * (price_format.json_objects), or NULL; feed one member, and the
 * document without them (in place of the whole document). */
const char *const *price_import_objects(const struct price_import *pi);
int price_import_json_member(struct price_import *pi, int which, const char *parent,
			     const struct cJSON *member, long line, struct ic_error *err);
int price_import_json_skeleton(struct price_import *pi, const struct cJSON *doc, struct ic_error *err);
/* End of input: the parser's last checks, then every queued price
 * written (the rows go to the database on a writer thread, which owns the
 * database handle from price_import_new until price_import_end or
 * price_import_stop returns). */
int price_import_end(struct price_import *pi, struct ic_error *err);
/* Stop the writer thread without caring what it wrote (before the caller
 * rolls back after an error).  NULL is fine. */
void price_import_stop(struct price_import *pi);
/* Prices written so far; older lists replaced by price_import_commit. */
long price_import_rows(const struct price_import *pi);
int price_import_replaced(const struct price_import *pi);
/* Record the lists' row counts and replace older publications. */
int price_import_commit(struct price_import *pi, struct ic_error *err);
void price_import_free(struct price_import *pi);

#endif
