/*
 * writer.h - a second thread that writes rows into SQLite while the
 * first one reads and maps the file.
 *
 * Rows are copied into batches (a few thousand rows and their strings in
 * one arena); at most WRITER_SLOTS batches are in flight, so memory stays
 * flat whatever the file size.  The database handle belongs to the writer
 * thread from writer_start to writer_finish/writer_abort: the caller must
 * not use it in between.
 */
#ifndef IMCOST_WRITER_H
#define IMCOST_WRITER_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"
#include "importers/importer.h"

struct rollup_agg;

struct writer;

/* Rows of charge_facts the writer inserts with one statement. */
#define WRITER_FACT_ROWS 32

/*
 * Start the writer thread.  ins_charge, ins_dim and ins_metric are
 * prepared INSERT statements of one row of charge_facts
 * (CHARGE_FACT_COLS, dim_id), charge_dims (CHARGE_DIM_COLS) and usage (see
 * import.c for the parameter order); ins_charges inserts WRITER_FACT_ROWS
 * rows of charge_facts at once.  They stay owned by the caller, as does
 * agg: the writer thread feeds it every row it writes (rollup-agg.h), so
 * it is complete, and the caller's again, after writer_finish.  Returns
 * NULL with err set on failure.
 */
struct writer *writer_start(sqlite3 *db, sqlite3_stmt *ins_charge, sqlite3_stmt *ins_charges,
			    sqlite3_stmt *ins_dim, sqlite3_stmt *ins_metric, int64_t import_id,
			    struct rollup_agg *agg, struct ic_error *err);

/* Queue a copy of a charge (line = its source line) or a metric.  Returns
 * 0, or -1 with err set when the writer has failed (e.g. disk full). */
int writer_charge(struct writer *w, const struct charge *c, long line, struct ic_error *err);
int writer_metric(struct writer *w, const struct metric *m, struct ic_error *err);

/*
 * Write what is queued, stop the thread and free the writer.  Returns 0
 * with the rowid range of the charges written (0, 0 when none), or -1
 * with err set.
 */
int writer_finish(struct writer *w, int64_t *first_rowid, int64_t *last_rowid,
		  struct ic_error *err);

/* Stop without caring about the result (the caller rolls back). */
void writer_abort(struct writer *w);

#endif
