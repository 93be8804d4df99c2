/*
 * restate.c - the bookkeeping after a file's rows: the current import of
 * the same content (a duplicate), the rows of older batches the file
 * restates (moved to replaced_charges, import.h's rules), overlaps of
 * files that restate nothing, the file's billing periods, and the
 * instance size factors it states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/import-int.h"

/* ---- bookkeeping after the rows ---- */

int
find_current_duplicate(struct import_session *s, const char *sha, int64_t self,
		       int64_t *dup_id, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"SELECT i.id FROM imports i WHERE i.sha256 = ? AND i.id <> ?"
		" AND (i.kind IN ('usage', 'prices')"
		"  OR (EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id AND p.replaced_by IS NULL)"
		"   AND NOT EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id"
		"    AND p.replaced_by IS NULL AND p.replaced_rows > 0))"
		"  OR (i.rows = 0 AND NOT EXISTS(SELECT 1 FROM import_periods p WHERE p.import_id = i.id)))"
		" ORDER BY i.id DESC LIMIT 1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, self);
	rc = sqlite3_step(st);
	*dup_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s->db, "looking for an earlier import", err);
	return 0;
}

/* One earlier (import, period) a file may restate. */
struct older {
	int64_t rowid, first, last, import_id, period, rows, replaced_rows;
};

/* The (import, period) rows of other batches, current, with the
 * provider and account of a; period = 0: any period.  Returns the count
 * (array owned by the caller, *out) or -1 with err set. */
static int
find_older(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
	   int64_t period, const char *also, const char *skip, struct older **out,
	   struct ic_error *err)
{
	/* other batches' imports, and this batch's of dataset `also`; none of
	 * dataset `skip` */
	sqlite3_stmt *st = db_prepare(s->db,
		"SELECT p.rowid, i.first_rowid, i.last_rowid, p.import_id, p.billing_period_start,"
		" p.rows, p.replaced_rows FROM import_periods p JOIN imports i ON i.id = p.import_id"
		" WHERE p.provider = ?1 AND p.billing_account_id = ?2"
		" AND (?3 = 0 OR p.billing_period_start = ?3)"
		" AND p.replaced_by IS NULL AND i.id <> ?5 AND i.first_rowid IS NOT NULL"
		" AND (i.batch_id <> ?4 OR i.dataset = ?6) AND (?7 IS NULL OR i.dataset IS NOT ?7)", err);
	struct older *v = NULL;
	int n = 0, cap = 0, r;

	*out = NULL;
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, a->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, period);
	sqlite3_bind_int64(st, 4, s->batch_id);
	sqlite3_bind_int64(st, 5, rc->import_id);
	if (also)
		sqlite3_bind_text(st, 6, also, -1, SQLITE_STATIC);
	if (skip)
		sqlite3_bind_text(st, 7, skip, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct older *nv = realloc(v, (size_t)(cap = cap ? cap * 2 : 8) * sizeof *nv);
			if (nv == NULL) {
				free(v);
				sqlite3_finalize(st);
				return ic_errorf(err, "out of memory");
			}
			v = nv;
		}
		v[n].rowid = sqlite3_column_int64(st, 0);
		v[n].first = sqlite3_column_int64(st, 1);
		v[n].last = sqlite3_column_int64(st, 2);
		v[n].import_id = sqlite3_column_int64(st, 3);
		v[n].period = sqlite3_column_int64(st, 4);
		v[n].rows = sqlite3_column_int64(st, 5);
		v[n].replaced_rows = sqlite3_column_int64(st, 6);
		n++;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE) {
		free(v);
		return db_error(s->db, "looking for restated periods", err);
	}
	*out = v;
	return n;
}

/*
 * Move the rows of o whose ChargePeriodStart lies in [ws, we] to
 * replaced_charges (replaced by import by_import of batch by_batch) and
 * record it in import_periods.  *moved gets the number of rows.
 */
static int
restate_rows(struct import_session *s, int64_t by_import, int64_t by_batch,
	     const struct period_acc *a, const struct older *o, int64_t ws, int64_t we,
	     long *moved, struct ic_error *err)
{
#define RESTATE_WHERE " WHERE id BETWEEN ?1 AND ?2 AND import_id = ?3 AND BillingPeriodStart = ?4" \
	" AND ChargePeriodStart BETWEEN ?5 AND ?6 AND EXISTS(SELECT 1 FROM charge_dims d" \
	" WHERE d.id = charge_facts.dim_id AND d.ProviderName = ?7 AND d.BillingAccountId = ?8)"
	static const char *const sql[2] = {
		"INSERT INTO replaced_charges(" DB_FACT_COLS ", replaced_by_import) SELECT "
		DB_FACT_COLS ", ?9 FROM charge_facts" RESTATE_WHERE,
		"DELETE FROM charge_facts" RESTATE_WHERE,
	};
#undef RESTATE_WHERE
	int ret = -1;

	*moved = 0;
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st = db_prepare(s->db, sql[k], err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, o->first);
		sqlite3_bind_int64(st, 2, o->last);
		sqlite3_bind_int64(st, 3, o->import_id);
		sqlite3_bind_int64(st, 4, o->period);
		sqlite3_bind_int64(st, 5, ws);
		sqlite3_bind_int64(st, 6, we);
		sqlite3_bind_text(st, 7, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, a->account, -1, SQLITE_STATIC);
		if (k == 0)
			sqlite3_bind_int64(st, 9, by_import);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(s->db, "removing the rows this import restates", err);
		}
		sqlite3_finalize(st);
		if (k == 0)
			*moved = (long)sqlite3_changes(s->db);
	}
	if (*moved == 0)
		return 0;
	if (o->replaced_rows + *moved >= o->rows) {
		/* the whole period: its rollup rows go with it */
		if (rollup_delete_period(s->db, o->import_id, a->provider, a->account, o->period,
					 err) != 0)
			return -1;
	} else {
		s->rollup_stale |= ROLLUP_CHARGES;	/* part of a period: rebuilt at commit */
	}
	{
		sqlite3_stmt *st = db_prepare(s->db,
			"UPDATE import_periods SET replaced_rows = MIN(rows, replaced_rows + ?1),"
			" replaced_by = CASE WHEN replaced_rows + ?1 >= rows THEN ?2 END WHERE rowid = ?3",
			err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, *moved);
		sqlite3_bind_int64(st, 2, by_batch);
		sqlite3_bind_int64(st, 3, o->rowid);
		if (sqlite3_step(st) == SQLITE_DONE)
			ret = 0;
		else
			db_error(s->db, "marking restated periods", err);
		sqlite3_finalize(st);
	}
	return ret;
}

/* Are there current rows of other batches this file's rows of a would
 * have replaced?  (RESTATES_NOTHING: they are added, with a warning.) */
static int
warn_overlap(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
	     struct ic_error *err)
{
	struct older *v;
	int n = find_older(s, rc, a, a->start, NULL, NULL, &v, err);

	free(v);
	if (n < 0)
		return -1;
	if (n > 0)
		add_warning(rc->res, "this format does not say what it is a complete copy of: its rows "
			    "were added to the earlier imports of the same billing period (import "
			    "--replace to replace them, --add to say so; imcost forget undoes an import)",
			    0, 0, 1, "period");
	return 0;
}

/*
 * An actual-cost file (Azure) whose rows an amortized file of the same
 * month already holds: its rows in the span of each current amortized
 * import's rows of key a move to replaced_charges, replaced by that
 * import, so the shared rows come from the amortized file whatever the
 * order (and forgetting the amortized import brings them back).
 */
static int
yield_to_amortized(struct import_session *s, struct row_ctx *rc, const struct period_acc *a,
		   struct ic_error *err)
{
	sqlite3_stmt *am = db_prepare(s->db,
		"SELECT i.id, i.batch_id, (SELECT MIN(f.ChargePeriodStart) FROM charge_facts f"
		"  JOIN charge_dims d ON d.id = f.dim_id WHERE f.id BETWEEN i.first_rowid AND i.last_rowid"
		"  AND f.import_id = i.id AND f.BillingPeriodStart = ?3 AND d.ProviderName = ?1"
		"  AND d.BillingAccountId = ?2),"
		" (SELECT MAX(f.ChargePeriodStart) FROM charge_facts f"
		"  JOIN charge_dims d ON d.id = f.dim_id WHERE f.id BETWEEN i.first_rowid AND i.last_rowid"
		"  AND f.import_id = i.id AND f.BillingPeriodStart = ?3 AND d.ProviderName = ?1"
		"  AND d.BillingAccountId = ?2)"
		" FROM imports i WHERE i.dataset = 'amortized' AND i.id <> ?4 AND EXISTS(SELECT 1"
		" FROM import_periods p WHERE p.import_id = i.id AND p.provider = ?1"
		" AND p.billing_account_id = ?2 AND p.billing_period_start = ?3 AND p.replaced_by IS NULL)",
		err);
	sqlite3_stmt *own = am ? db_prepare(s->db,
		"SELECT rowid, rows, replaced_rows FROM import_periods WHERE import_id = ?1"
		" AND provider = ?2 AND billing_account_id = ?3 AND billing_period_start = ?4"
		" AND replaced_by IS NULL", err) : NULL;
	int r, ret = -1;

	if (own == NULL)
		goto out;
	sqlite3_bind_text(am, 1, a->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(am, 2, a->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(am, 3, a->start);
	sqlite3_bind_int64(am, 4, rc->import_id);
	while ((r = sqlite3_step(am)) == SQLITE_ROW) {
		struct older o;
		long moved;

		if (sqlite3_column_type(am, 2) == SQLITE_NULL)
			continue;
		sqlite3_reset(own);
		sqlite3_bind_int64(own, 1, rc->import_id);
		sqlite3_bind_text(own, 2, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(own, 3, a->account, -1, SQLITE_STATIC);
		sqlite3_bind_int64(own, 4, a->start);
		if (sqlite3_step(own) != SQLITE_ROW)
			break;	/* nothing of ours left in this period */
		memset(&o, 0, sizeof o);
		o.rowid = sqlite3_column_int64(own, 0);
		o.rows = sqlite3_column_int64(own, 1);
		o.replaced_rows = sqlite3_column_int64(own, 2);
		o.first = rc->first_rowid;
		o.last = rc->last_rowid;
		o.import_id = rc->import_id;
		o.period = a->start;
		if (restate_rows(s, sqlite3_column_int64(am, 0), sqlite3_column_int64(am, 1), a, &o,
				 sqlite3_column_int64(am, 2), sqlite3_column_int64(am, 3), &moved,
				 err) != 0)
			goto out;
		if (moved > 0)
			add_warning(rc->res, "actual cost file: rows the amortized cost file of the month "
				    "also holds are taken from the amortized file (imcost forget of that "
				    "import brings these back)", 0, 0, moved, NULL);
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		db_error(s->db, "looking for the amortized file of the month", err);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(am);
	sqlite3_finalize(own);
	return ret;
}

/*
 * The rows of other batches this file restates (enum restates, the
 * import's --replace/--add) move to replaced_charges.  Azure: an amortized
 * file also restates the shared rows of an actual file of the same
 * command, and an actual file never restates an amortized file's rows (it
 * yields its own, yield_to_amortized).
 */
int
replace_older(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	enum restates how = rc->imp->restates;
	const char *also = NULL, *skip = NULL;
	int ret = -1;

	if (rc->dataset && strcmp(rc->dataset, "amortized") == 0)
		also = "actual";
	else if (rc->dataset && strcmp(rc->dataset, "actual") == 0)
		skip = "amortized";

	if (s->opts.restate == RESTATE_FORCE_PERIOD)
		how = RESTATES_PERIOD;
	else if (s->opts.restate == RESTATE_FORCE_ADD)
		return 0;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		int64_t ws = INT64_MIN, we = INT64_MAX, period = a->start;
		struct older *v = NULL;
		int n, dup = 0;

		if (how == RESTATES_NOTHING) {
			if (warn_overlap(s, rc, a, err) != 0)
				return -1;
			continue;
		}
		if (how == RESTATES_PERIOD_WINDOW) {
			ws = a->cmin;
			we = a->cmax;
		} else if (how == RESTATES_WINDOW) {
			/* one window per provider and account, over all its periods */
			for (int j = 0; j < i; j++)
				dup |= strcmp(rc->acc[j].provider, a->provider) == 0 &&
				       strcmp(rc->acc[j].account, a->account) == 0;
			if (dup)
				continue;
			ws = a->cmin;
			we = a->cmax;
			for (int j = i + 1; j < rc->nacc; j++)
				if (strcmp(rc->acc[j].provider, a->provider) == 0 &&
				    strcmp(rc->acc[j].account, a->account) == 0) {
					if (rc->acc[j].cmin < ws)
						ws = rc->acc[j].cmin;
					if (rc->acc[j].cmax > we)
						we = rc->acc[j].cmax;
				}
			period = 0;
		}
		n = find_older(s, rc, a, period, also, skip, &v, err);
		if (n < 0)
			return -1;
		for (int k = 0; k < n; k++) {
			long moved;
			if (restate_rows(s, rc->import_id, s->batch_id, a, &v[k], ws, we, &moved,
					 err) != 0) {
				free(v);
				return -1;
			}
			if (moved > 0)
				rc->res->replaced++;
		}
		free(v);
		if (skip && rc->first_rowid && yield_to_amortized(s, rc, a, err) != 0)
			return -1;
	}
	if (rc->res->replaced > 0) {
		/* one earlier copy is kept: the rows that imports wholly replaced
		 * now had replaced go */
		if (db_exec(s->db, "DELETE FROM replaced_charges WHERE replaced_by_import IN"
			    " (SELECT i.id FROM imports i WHERE EXISTS(SELECT 1 FROM import_periods p"
			    " WHERE p.import_id = i.id) AND NOT EXISTS(SELECT 1 FROM import_periods p"
			    " WHERE p.import_id = i.id AND p.replaced_by IS NULL))",
			    "dropping rows replaced twice", err) != 0)
			goto out;
		if (db_exec(s->db, DB_DROP_UNUSED_DIMS, "removing the rows this import restates",
			    err) != 0)
			goto out;
	}
	ret = 0;
out:
	return ret;
}

int
record_periods(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(s->db,
		"INSERT INTO import_periods(import_id, provider, billing_account_id,"
		" billing_period_start, billing_period_end, currency, rows,"
		" billed_cost_nanos, effective_cost_nanos) VALUES(?,?,?,?,?,?,?,?,?)", err);

	if (st == NULL)
		return -1;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rc->import_id);
		sqlite3_bind_text(st, 2, a->provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->account, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, a->start);
		sqlite3_bind_int64(st, 5, a->end);
		sqlite3_bind_text(st, 6, a->currency, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, a->rows);
		sqlite3_bind_int64(st, 8, a->billed);
		sqlite3_bind_int64(st, 9, a->effective);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_error(s->db, "recording the import's periods", err);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

struct factor_put {
	sqlite3_stmt *st;
	int failed;
};

static void
put_factor(void *arg, const char *provider, const char *type, double f)
{
	struct factor_put *fp = arg;

	if (fp->failed || !(f > 0))
		return;
	sqlite3_reset(fp->st);
	sqlite3_bind_text(fp->st, 1, provider, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(fp->st, 2, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(fp->st, 3, f);
	if (sqlite3_step(fp->st) != SQLITE_DONE)
		fp->failed = 1;
}

/* The file's instance size factors into instance_types (list_id 0: from a
 * bill), where no price list stated one: commitments (size flexibility)
 * reads them for sizes without a factor of their own (.metal).  Returns 0
 * or -1 with err set. */
int
save_size_factors(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	struct factor_put fp = { NULL, 0 };

	fp.st = db_prepare(s->db, "INSERT INTO instance_types(provider, instance_type, size_factor,"
			   " list_id) VALUES(?, ?, ?, 0) ON CONFLICT(provider, instance_type) DO UPDATE"
			   " SET size_factor = excluded.size_factor WHERE size_factor IS NULL", err);
	if (fp.st == NULL)
		return -1;
	rc->imp->size_factors(rc->state, put_factor, &fp);
	sqlite3_finalize(fp.st);
	if (fp.failed)
		return db_error(s->db, "saving instance size factors", err);
	return 0;
}
