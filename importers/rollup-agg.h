/*
 * rollup-agg.h - maintaining the rollup tables (common/rollup.h) during an
 * import.
 *
 * The writer thread (writer.c) feeds every charge and metric of a file it
 * writes to an aggregator (cheap: a few hash lookups; the reader thread,
 * which parses, is the busier one); after the writer thread is done
 * and the file is known not to be a duplicate, rollup_agg_write adds the
 * file's groups to the main rollup tables (charges) or recomputes the
 * usage rollups of the resources and days the file touched.  When the
 * groups of one file would take more than a fixed amount of memory, the
 * aggregator gives up and rollup_agg_write computes the same groups with
 * the rollups' GROUP BY over the file's rowid range instead (slower, same
 * result), or rebuilds the usage rollups whole.  rollup_dims_day, whose
 * groups (days x charge_dims rows) are the most numerous, falls back
 * alone first (past its own 12 MiB, or when the others need the memory of
 * the 16 MiB budget): the other rollups stay aggregated in C.
 */
#ifndef IMCOST_ROLLUP_AGG_H
#define IMCOST_ROLLUP_AGG_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"
#include "importers/importer.h"

struct rollup_agg;

/* A new, empty aggregator; NULL when out of memory.  Free with
 * rollup_agg_free (NULL is fine). */
struct rollup_agg *rollup_agg_new(void);
void rollup_agg_free(struct rollup_agg *a);

/*
 * What the aggregator learned from one combination of a charge's texts
 * (one charge_dims row): the writer keeps one per combination, zeroed
 * when the combination is new, and passes it with every charge of it, so
 * that the texts are looked up once per combination, not on every row.
 */
struct rollup_texts {
	int known;			/* id[] below is filled */
	uint32_t id[CT_COUNT];		/* interned ids of the texts used */
	/* the groups its last charges went to (entry index + 1, 0 = none),
	 * with the rest of their keys */
	uint32_t daily, resource[2], run, dims_day;
	int64_t daily_day, daily_period, resource_period, run_period, run_span;
	int64_t dims_day_day, dims_day_period;
	int daily_short;
};

/* Count one charge as the writer stores it (text NULL iff s is NULL,
 * dim_id its charge_dims row, res_id its resources row or 0), or one
 * metric.  t: the cache of c's texts
 * (see above), or NULL.  Never fails: see above. */
void rollup_agg_charge(struct rollup_agg *a, const struct charge *c, int64_t dim_id,
		       int64_t res_id, struct rollup_texts *t);
void rollup_agg_metric(struct rollup_agg *a, const struct metric *m);

/*
 * Write the file's rollups: charges with import_id in rowids
 * [first_rowid, last_rowid] (0, 0: none), and the usage rollups of the
 * metrics seen, except the sets in `skip` (a mask of enum rollup_set:
 * stale rollups that will be rebuilt anyway).  Runs in the caller's
 * transaction on db.  Returns 0 or -1 with err set.
 */
int rollup_agg_write(struct rollup_agg *a, sqlite3 *db, int64_t import_id,
		     int64_t first_rowid, int64_t last_rowid, unsigned skip,
		     struct ic_error *err);

#endif
