/*
 * db.h - the SQLite database: opening it, its schema and migrations.
 *
 * Schema (version DB_SCHEMA_VERSION, kept in PRAGMA user_version):
 *   charges        one FOCUS-shaped row per charge.  Money columns end in
 *                  "Nanos": integers in 1e-9 of BillingCurrency, so sums are
 *                  exact.  Times are integer seconds since the epoch, UTC;
 *                  period ends are exclusive.  x_ columns are extensions.
 *                  Since version 4 (the narrow fact table, see below) a
 *                  VIEW with the same columns and values as the table it
 *                  was; INSERT, UPDATE and DELETE on it still work (INSTEAD
 *                  OF triggers), so SQL written against it is unchanged.
 *   charge_facts   (version 4) the numbers of each charge: id (the charges
 *                  id: AUTOINCREMENT, never reused), import_id, SourceLine,
 *                  money, quantities, times, dim_id, and (version 10)
 *                  resource_id and tag_set_id (NULL: no ResourceId, Tags).
 *   charge_dims    (version 4) the text columns of charges, one row per
 *                  distinct combination within an import (dictionary
 *                  encoding); since version 10 all but ResourceId and
 *                  Tags, so a CUR month repeats tens of combinations over
 *                  millions of rows whatever its number of resources.
 *   resources, tag_sets
 *                  (version 10) the dictionaries of ResourceId and of Tags
 *                  (with aws: whether its keys fold as AWS's), rows per
 *                  distinct value within an import.  charges =
 *                  charge_facts LEFT JOIN charge_dims ON id = dim_id LEFT
 *                  JOIN resources, tag_sets.  Rows no fact points to may
 *                  remain (after an UPDATE through the view); they are
 *                  invisible in charges.
 *   focus          a view of charges with FOCUS names and units (decimal
 *                  money, ISO 8601 times) for people writing SQL.
 *   usage          usage metrics, long form: resource, time, metric, value.
 *   batches        one per import command (or CUR manifest assembly).
 *   imports        one per imported file: hash, format, rows, rowid range.
 *   import_periods per file and (provider, account, billing period,
 *                  currency): rows and totals; replaced_by is set when a
 *                  later batch restated that period.
 *   rollup_*       (version 2; version 3 rebuilt rollup_resource) small
 *                  aggregate tables kept at import, each defined by a
 *                  GROUP BY over charges/usage: the analyzers read these
 *                  (see common/rollup.h).
 *   price_lists, prices, instance_types
 *                  (version 5) imported provider price lists
 *                  (importers/prices-db.h).
 *   replaced_charges
 *                  (version 6) charge_facts rows a later import restated,
 *                  with replaced_by_import, so `imcost forget` of that
 *                  import puts them back; import_periods.replaced_rows
 *                  counts the rows of a period no longer current;
 *                  imports.dataset is "actual" or "amortized" (Azure).  The
 *                  rows an import replaced are dropped once that import
 *                  is itself wholly replaced: one earlier copy is kept.
 *   dim_tags       (version 8) the tags, one row per folded key
 *                  (common/tags.h): key_fold, the key as the provider
 *                  spelled it, and the value (text); since version 10 of
 *                  each tag set (tag_set_id), keyed (tag_set_id,
 *                  key_fold): a group-by on one tag joins it to
 *                  charge_facts.tag_set_id.  Filled by the import in C
 *                  (db_tag_rows); deleting a tag_sets row deletes its
 *                  tags.  The migrations filled it with json_each and the
 *                  SQL function imcost_tag_fold(key, provider) that
 *                  db_open registers.
 *   focus_daily    (version 9) the focus view at day granularity, one row
 *                  per import, billing period, day and charge_dims row,
 *                  over the rollup rollup_dims_day (common/rollup.h), with
 *                  exact *Nanos sums and x_Rows beside the decimal money;
 *                  since version 10 without ResourceId and Tags.
 *   rollup_resource, rollup_instance_runs
 *                  (version 11) views over rollup_resource_data and
 *                  rollup_runs_data, which keep the two per-resource
 *                  rollups by resources and charge_dims ids.
 */
#ifndef IMCOST_DB_H
#define IMCOST_DB_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/db-exec.h"
#include "common/error.h"

#define DB_SCHEMA_VERSION 11

/* The columns of charge_facts (and of replaced_charges before its
 * replaced_by_import), in order. */
#define DB_FACT_COLS "id, import_id, SourceLine, BilledCostNanos, EffectiveCostNanos," \
	" ListCostNanos, ContractedCostNanos, ConsumedQuantity, PricingQuantity," \
	" ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd, dim_id," \
	" resource_id, tag_set_id"

/*
 * The select list that turns json_each rows j of a Tags object into
 * dim_tags's key_fold, key, value, for a charge of the provider named by
 * the SQL expression prov: the key folded by common/tags.h's rule (the
 * SQL function imcost_tag_fold), strings as they are, null as '', other
 * values as their JSON text.  Used with INSERT OR IGNORE ... ORDER BY
 * j.id, so that the first of the keys that fold alike wins.
 */
#define DB_DIM_TAGS_SELECT(prov) " imcost_tag_fold(j.key, " prov "), j.key," \
	" CASE j.type WHEN 'text' THEN j.value WHEN 'null' THEN '' WHEN 'true' THEN 'true'" \
	" WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END"

/* A Tags text as json_each may read it: anything but a JSON object
 * (malformed text, an array, a scalar) as no tags. */
#define DB_TAGS_OBJECT(t) "CASE WHEN NOT json_valid(" t ") THEN '{}' WHEN json_type(" t ")" \
	" = 'object' THEN " t " ELSE '{}' END"

/* One row of the tag store (schema 10: keyed by the tag set): tag set ?1,
 * folded key ?2, the key as spelled ?3, value ?4.  OR IGNORE: the first
 * of the keys that fold alike wins (the writer fills them in the text's
 * order, db_tag_rows). */
#define DB_TAG_ROW_INSERT "INSERT OR IGNORE INTO dim_tags(tag_set_id, key_fold, key, value)" \
	" VALUES(?1, ?2, ?3, ?4)"

/*
 * Write the tag store's rows of tag set id (Tags text json, NUL-terminated,
 * of a charge of ProviderName "AWS" when aws) with st, a prepared
 * DB_TAG_ROW_INSERT: one row per folded key, the first of the keys that
 * fold alike winning, values as tags_each gives them (common/tags.h).
 * Text that is not a JSON object writes nothing.  Returns 0, or -1 with
 * err set (out of memory, or the write failed).
 */
int db_tag_rows(sqlite3 *db, sqlite3_stmt *st, int64_t id, const char *json, int aws,
		struct ic_error *err);

/*
 * Register imcost_tag_fold(key, provider) on db: key folded by
 * tag_key_fold (aws when provider is "AWS"); NULL for a NULL key or one
 * too long to fold.  Returns 0, or -1 with err set.
 */
int db_register_functions(sqlite3 *db, struct ic_error *err);

/* Remove the charge_dims, resources and tag_sets rows (and so the tag
 * store's rows of those tag sets) no charge, current or replaced, uses. */
#define DB_DROP_UNUSED_DIMS "DELETE FROM charge_dims WHERE id NOT IN" \
	" (SELECT dim_id FROM charge_facts) AND id NOT IN (SELECT dim_id FROM replaced_charges);" \
	"DELETE FROM resources WHERE id NOT IN (SELECT resource_id FROM charge_facts WHERE" \
	" resource_id IS NOT NULL) AND id NOT IN (SELECT resource_id FROM replaced_charges" \
	" WHERE resource_id IS NOT NULL);" \
	"DELETE FROM tag_sets WHERE id NOT IN (SELECT tag_set_id FROM charge_facts WHERE" \
	" tag_set_id IS NOT NULL) AND id NOT IN (SELECT tag_set_id FROM replaced_charges" \
	" WHERE tag_set_id IS NOT NULL);" \
	"DELETE FROM dim_tags WHERE tag_set_id NOT IN (SELECT id FROM tag_sets)"

/* The numeric columns of charges (charge_facts), in table order, after
 * id; then the text columns (charge_dims), in order.  The view charges is
 * id, CHARGE_FACT_COLS, CHARGE_DIM_COLS; importers/import.c binds them in
 * this order. */
#define CHARGE_FACT_COLS \
	"import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, ListCostNanos," \
	" ContractedCostNanos, ConsumedQuantity, PricingQuantity, ChargePeriodStart," \
	" ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd"
#define CHARGE_DIM_COLS \
	"BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory," \
	" ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory," \
	" CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus," \
	" CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId," \
	" AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, PricingUnit," \
	" Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType," \
	" x_ServiceCode"
/* The text columns charge_dims itself holds since schema 10: those of
 * CHARGE_DIM_COLS but ResourceId (resources) and Tags (tag_sets). */
#define CHARGE_DIMS_STORED_COLS \
	"BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory," \
	" ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory," \
	" CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus," \
	" CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId," \
	" AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit," \
	" x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType," \
	" x_ServiceCode"
#define CHARGE_NFACT 12
#define CHARGE_NDIM 29

enum db_mode {
	DB_READ,	/* must exist; opened read-only (sql, analyze without files) */
	DB_WRITE,	/* created and migrated when needed */
	DB_QUERY,	/* as DB_READ, but the quick check is the caller's: it
			 * runs db_check_tables on what it reads (imcost sql) */
	DB_CHECK,	/* as DB_READ, without the quick check, any older schema
			 * accepted (imcost check runs its own) */
	DB_READ_BG,	/* as DB_READ, but the quick check runs on a second
			 * connection in a thread while the caller reads: it
			 * calls db_check_wait before it prints anything it
			 * read (imcost analyze) */
	DB_WRITE_BG	/* as DB_WRITE, but on a file above DB_FULL_CHECK_MB
			 * whose schema is current the check before the write
			 * (the page walk) runs on a second connection in a
			 * thread while the caller writes its transaction: it
			 * calls db_check_wait before COMMIT and rolls back on
			 * damage (imcost import) */
};

/*
 * Open the database at path.  Returns a handle the caller closes with
 * db_close, or NULL with err set to the real cause (a directory, no
 * permission, a newer schema, a damaged file...).  DB_WRITE creates the
 * file and brings its schema to DB_SCHEMA_VERSION, after checking an
 * existing file (the full PRAGMA integrity_check up to DB_FULL_CHECK_MB,
 * every b-tree page above): a damaged database is refused and never
 * written.  DB_READ refuses a missing file, a schema
 * other than this program's, and a file that fails a PRAGMA quick_check
 * bounded to DB_QUICK_CHECK_SECONDS ($IMCOST_QUICK_CHECK_SECONDS
 * overrides it; db_quick_check_cut tells whether it stopped early).  It
 * never writes the file nor its directory: a WAL database in a directory
 * the reader cannot write is opened with SQLite's immutable=1 (see
 * may_open_immutable in db-open.c for when that is safe).
 */
sqlite3 *db_open(const char *path, enum db_mode mode, struct ic_error *err);
/* A second read-only connection to the file of db (opened by db_open for
 * reading, DB_READ or DB_READ_BG), for a thread of its own: immutable
 * when db is, without a check of its own (db's covers the file).  Close
 * with db_close.  NULL with err set. */
sqlite3 *db_open_peer(sqlite3 *db, struct ic_error *err);
/* Close db (a DB_READ_BG check still running is waited for first). */
void db_close(sqlite3 *db);

/*
 * Wait for the quick check of a DB_READ_BG open of db.  Returns 0 when it
 * found nothing (or db has no such check, or it was waited for already
 * and found nothing), -1 with err set to the damage it found ("DB is
 * damaged: ..."; the same on every later call).  db_quick_check_cut is
 * meaningful once this returned.
 */
int db_check_wait(sqlite3 *db, struct ic_error *err);
/* 1 with err set to it when a background check of this process (waited
 * for or closed) found damage, else 0: for the one place that reports a
 * command's outcome, whatever path the command failed by. */
int db_check_damage(struct ic_error *err);

/* Up to this size (MiB; $IMCOST_FULL_CHECK_MB overrides) DB_WRITE runs the
 * full PRAGMA integrity_check (0.3 s at most) and reads the bounded
 * quick check; above it, both read every b-tree page and check it (db-check.c,
 * walk_btrees; reads within DB_QUICK_CHECK_SECONDS) and a write also gets
 * the full check of the import's bookkeeping tables: README, "Damage,
 * read-only places". */
#define DB_FULL_CHECK_MB 64

/* The time limit of the quick check on a DB_READ open and of imcost sql's,
 * in seconds: the check stops there, inside a table too (db-check.c,
 * struct bound).  A 1M-row month takes 0.3 s in all on the reference
 * machine; a 4 GB year (48M charges) 3.2 s, which the limit cuts to 0.5 s
 * (it was 2 s, checked only between tables: 1.7 s of a 1.8 s
 * `analyze --month` on that year, issue 23). */
#define DB_QUICK_CHECK_SECONDS 0.5

/*
 * The quick check of a DB_QUERY open (the page walk above
 * DB_FULL_CHECK_MB), on the n tables of main named in tables[] only (those one statement reads: a query of focus_daily need
 * not wait for the check of a 4M-row charge_facts), in that order, none
 * started after the time limit above (db_quick_check_cut tells).
 * Returns 0 when nothing was found, -1 with err set ("DB is damaged").
 */
int db_check_tables(sqlite3 *db, const char *path, const char *const *tables, int n,
		    struct ic_error *err);

/* Did the quick check of the last db_open stop at its time limit (its
 * limit in *seconds when not NULL)?  The tables it had not reached yet
 * were not checked; imcost check checks all. */
int db_quick_check_cut(double *seconds);

/*
 * Run PRAGMA integrity_check (full) or quick_check (not full) on db, or
 * on one table of it and its indexes (table not NULL), reporting up to
 * max problems, each to problem(arg, text) when problem is not NULL.
 * Returns 0 when the check found nothing, 1 when it found a problem, 2
 * when sqlite3_interrupt stopped it before it found any (the time limit
 * of the bounded checks, db-check.c), -1 with err set when it could not
 * run.
 */
int db_integrity(sqlite3 *db, int full, const char *table, int max,
		 void (*problem)(void *arg, const char *text), void *arg, struct ic_error *err);

/* PRAGMA application_id of an imcost database ("IMCS"): set when the
 * schema is created or migrated; DB_WRITE refuses a file with another
 * one, and a file of another application without one (see db-open.c). */
#define DB_APPLICATION_ID 0x494d4353
#define DB_APPLICATION_ID_SQL "1229800275"

/* Remove path and its -wal, -shm and -journal files (a database this
 * command created and must not leave behind).  Errors are ignored. */
void db_remove_files(const char *path);

/*
 * The journal of a bulk load.  An imcost database runs in WAL mode, so
 * that readers go on while an import writes.  But WAL writes every page
 * twice (into the WAL, then by the checkpoint into the database, with a
 * sync each time): on a first import of a million rows that is a sixth of
 * the time.  A rollback journal writes an appended page once and journals
 * none (only pages that existed before the transaction), and a database
 * that holds no import yet has nothing a reader could want.
 *
 * db_bulk_journal: when db holds no import (table imports is empty) and
 * no other connection has it open, switch it to a rollback journal and
 * return 1; otherwise leave it in WAL and return 0 (also when the check
 * fails: the caller's transaction will report real errors).  Call it
 * outside a transaction.  A process killed meanwhile leaves a hot journal
 * that the next open rolls back, as it would a WAL.
 *
 * db_wal_journal: back to WAL after the transaction ended (committed or
 * rolled back).  When another connection opened the file meanwhile the
 * switch waits for the next db_open(DB_WRITE), which asks for WAL again.
 */
int db_bulk_journal(sqlite3 *db);
void db_wal_journal(sqlite3 *db);

/* Where the database lives: the --db value, else $IMCOST_DB, else ./imcost.db. */
const char *db_default_path(const char *flag);

#endif
