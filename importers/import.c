/*
 * import.c - the import driver: file -> records -> importer -> SQLite
 * (see import.h for the rules it keeps).  The session (its transaction and
 * prepared inserts) and the per-file driver; the helpers importers call
 * are in rowctx.c, CSV records in import-csv.c, JSON documents in
 * import-json.c and import-members.c, restatement in restate.c, all
 * sharing import-int.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "common/csvreader.h"
#include "common/db.h"
#include "common/input.h"
#include "common/parquet.h"
#include "common/jsonscan.h"
#include "common/rollup.h"
#include "common/timeparse.h"
#include "importers/import-int.h"
#include "importers/jsonbuf.h"
#include "importers/prices-db.h"
#include "importers/prices.h"
#include "importers/metrics.h"
#include "importers/rollup-agg.h"
#include "importers/writer.h"

/* ---- session ---- */

struct import_session *
import_session_new(sqlite3 *db, const struct import_opts *o, int nfiles)
{
	struct import_session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->db = db;
	if (o)
		s->opts = *o;
	s->date_slack = (int64_t)(s->opts.date_slack_days >= 0 && s->opts.date_slack_set ?
				  s->opts.date_slack_days : IMPORT_DATE_SLACK_DAYS) * 86400;
	s->nfiles = nfiles;
	return s;
}

void
import_session_free(struct import_session *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->ins_charge);
	sqlite3_finalize(s->ins_charges);
	sqlite3_finalize(s->ins_dim);
	sqlite3_finalize(s->ins_metric);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s->bulk_journal)
		db_wal_journal(s->db);
	free(s);
}

void
import_session_set_progress(struct import_session *s,
			    void (*fn)(void *, uint64_t, uint64_t), void *arg)
{
	s->opts.progress = fn;
	s->opts.progress_arg = arg;
}

int64_t
import_session_batch(const struct import_session *s)
{
	return s->batch_id;
}

static int
prepare_inserts(struct import_session *s, struct ic_error *err)
{
	if (s->ins_charge == NULL) {
		s->ins_charge = db_prepare(s->db,
			"INSERT INTO charge_facts(" CHARGE_FACT_COLS ", dim_id, resource_id, tag_set_id)"
			" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (s->ins_charge == NULL)
			return -1;
	}
	if (s->ins_charges == NULL) {
		/* the same, WRITER_FACT_ROWS rows at once (constant text).  OR
		 * FAIL: a statement that could stop half-way after changing
		 * rows would otherwise need a statement journal (SQLite copies
		 * every page it touches first; that was most of the writer's
		 * system time).  Half a statement is never kept: any error
		 * fails the file and rolls back its savepoint. */
		static const char head[] = "INSERT OR FAIL INTO charge_facts(" CHARGE_FACT_COLS
			", dim_id, resource_id, tag_set_id) VALUES";
		static const char row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
		char sql[sizeof head + WRITER_FACT_ROWS * sizeof row];
		size_t n = 0;

		memcpy(sql, head, sizeof head - 1);
		n += sizeof head - 1;
		for (int i = 0; i < WRITER_FACT_ROWS; i++) {
			if (i)
				sql[n++] = ',';
			memcpy(sql + n, row, sizeof row - 1);
			n += sizeof row - 1;
		}
		sql[n] = '\0';
		s->ins_charges = db_prepare(s->db, sql, err);
		if (s->ins_charges == NULL)
			return -1;
	}
	if (s->ins_dim == NULL) {
		s->ins_dim = db_prepare(s->db,
			"INSERT INTO charge_dims(" CHARGE_DIMS_STORED_COLS ")"
			" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (s->ins_dim == NULL)
			return -1;
	}
	if (s->ins_metric == NULL) {
		s->ins_metric = db_prepare(s->db,
			"INSERT OR REPLACE INTO usage(resource_id, ts, metric, value, unit, import_id)"
			" VALUES(?,?,?,?,?,?)", err);
		if (s->ins_metric == NULL)
			return -1;
	}
	return 0;
}

static void
now_iso(char *buf)
{
	time_t t = time(NULL);
	time_format((int64_t)t, buf);
}

static int
ensure_batch(struct import_session *s, struct ic_error *err)
{
	sqlite3_stmt *st;
	char now[32];

	if (s->batch_id)
		return 0;
	s->batch_in_sp = s->in_sp;
	st = db_prepare(s->db, "INSERT INTO batches(label, created_at) VALUES(?, ?)", err);
	if (st == NULL)
		return -1;
	now_iso(now);
	if (s->opts.label)
		sqlite3_bind_text(st, 1, s->opts.label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the batch", err);
	}
	sqlite3_finalize(st);
	s->batch_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/*
 * Read a JSON file: JSON lines when the first line is a complete value and
 * more follows, else one document (at most JSON_DOC_MAX bytes).
 */
static int
import_json(struct row_ctx *rc, struct input *in, struct ic_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, start = 0;
	long line = 1;
	int mode = 0;	/* 0 unknown, 1 lines, 2 document */
	int ret = -1, at_eof = 0, tried = 0;

	for (;;) {
		if (!at_eof) {
			ssize_t got;
			if (cap - len < 65536) {
				size_t ncap = cap ? cap * 2 : 1 << 20;
				char *nb;
				if (ncap > JSON_DOC_MAX + (1 << 20)) {
					ic_error_at(err, in->name, line, 0, "JSON %s larger than %u MiB",
						    mode == 1 ? "line" : "document (use JSON lines for big exports)",
						    JSON_DOC_MAX >> 20);
					goto out;
				}
				nb = realloc(buf, ncap);
				if (nb == NULL) {
					ic_errorf(err, "out of memory");
					goto out;
				}
				buf = nb;
				cap = ncap;
			}
			got = input_read(in, buf + len, cap - len - 1, err);
			if (got < 0)
				goto out;
			if (len == 0 && got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				start = 3;
			len += (size_t)got;
			at_eof = got == 0;
		}
		if (mode != 2) {
			/* hand out complete lines */
			char *nl;
			while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
				size_t n = (size_t)(nl - (buf + start));
				if (mode == 0) {
					const char *end = NULL;
					cJSON *v = cJSON_ParseWithLengthOpts(buf + start, n, &end, 0);
					mode = v ? 1 : 2;
					cJSON_Delete(v);
					if (mode == 2)
						break;
				}
				if (!blank_text(buf + start, n) &&
				    json_value(rc, buf + start, n, line, 0, err) != 0)
					goto out;
				line++;
				start += n + 1;
			}
			if (mode == 1 && start > 0) {
				memmove(buf, buf + start, len - start);
				len -= start;
				start = 0;
			}
		}
		/* one document, or a first line too long to wait for: a price
		 * list that reads its big array as a stream is read there */
		if (!tried && (mode == 2 || (mode == 0 && len - start >= JSON_STREAM_AFTER))) {
			int r = json_members_document(rc, in, &buf, &len, &cap, start, &at_eof, err);
			if (r == 1)
				r = json_document(rc, in, &buf, &len, &cap, start, &at_eof, err);
			tried = 1;
			if (r <= 0) {
				ret = r;
				goto out;
			}
			continue;	/* not streamed: read on as before (lines too) */
		}
		if (at_eof)
			break;
	}
	if (mode == 2 || mode == 0) {
		if (blank_text(buf + start, len - start) && rc->records == 0) {
			ic_error_at(err, in->name, 1, 1, "empty JSON file");
			goto out;
		}
		if (json_value(rc, buf + start, len - start, line, mode != 1, err) != 0)
			goto out;
	} else if (!blank_text(buf + start, len - start)) {
		if (json_value(rc, buf + start, len - start, line, 0, err) != 0)
			goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}


static int
finish_import(struct import_session *s, struct row_ctx *rc, const char *path,
	      struct ic_error *err)
{
	sqlite3_stmt *st;
	char warn[IMPORT_MAX_WARNINGS * 300] = "";
	size_t wl = 0;

	for (int i = 0; i < rc->res->nwarnings; i++) {
		const struct import_warning *w = &rc->res->warnings[i];
		int n = snprintf(warn + wl, sizeof warn - wl, "%s%s (%ld %ss)", i ? "; " : "",
				 w->msg, w->count, w->unit ? w->unit : "row");
		if (n > 0 && (size_t)n < sizeof warn - wl)
			wl += (size_t)n;
	}
	st = db_prepare(s->db,
		"UPDATE imports SET path = ?, sha256 = ?, format = ?, kind = ?, records = ?, rows = ?,"
		" first_rowid = ?, last_rowid = ?, warnings = ?, dataset = ?11 WHERE id = ?10", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rc->res->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rc->imp->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rc->imp->kind == KIND_USAGE ? "usage" :
			  rc->imp->kind == KIND_PRICES ? "prices" : "charges", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, rc->records);
	sqlite3_bind_int64(st, 6, rc->rows);
	if (rc->first_rowid) {
		sqlite3_bind_int64(st, 7, rc->first_rowid);
		sqlite3_bind_int64(st, 8, rc->last_rowid);
	}
	if (wl)
		sqlite3_bind_text(st, 9, warn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, rc->import_id);
	if (rc->dataset)
		sqlite3_bind_text(st, 11, rc->dataset, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the import", err);
	}
	sqlite3_finalize(st);
	if (record_periods(s, rc, err) != 0)
		return -1;
	return replace_older(s, rc, err);
}

static int
start_import(struct import_session *s, struct row_ctx *rc, struct ic_error *err)
{
	sqlite3_stmt *st;
	char now[32];

	if (ensure_batch(s, err) != 0)
		return -1;
	st = db_prepare(s->db,
		"INSERT INTO imports(batch_id, path, sha256, format, kind, records, rows, imported_at)"
		" VALUES(?, '', '', '', '', 0, 0, ?)", err);
	if (st == NULL)
		return -1;
	now_iso(now);
	sqlite3_bind_int64(st, 1, s->batch_id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "recording the import", err);
	}
	sqlite3_finalize(st);
	rc->import_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
summarize(struct row_ctx *rc)
{
	struct import_result *res = rc->res;

	res->records = rc->records;
	res->rows = rc->rows;
	res->import_id = rc->import_id;
	for (int i = 0; i < rc->nacc; i++) {
		struct period_acc *a = &rc->acc[i];
		if (res->period_start == 0 || a->start < res->period_start)
			res->period_start = a->start;
		if (a->end > res->period_end)
			res->period_end = a->end;
		if (res->currency[0] == '\0') {
			snprintf(res->currency, sizeof res->currency, "%s", a->currency);
			res->ncurrencies = 1;
		}
		if (strcmp(res->currency, a->currency) == 0) {
			money_add(res->billed, a->billed, &res->billed);
			money_add(res->effective, a->effective, &res->effective);
		} else {
			int seen = 0;
			for (int j = 0; j < i; j++)
				seen |= strcmp(rc->acc[j].currency, a->currency) == 0;
			if (!seen)
				res->ncurrencies++;
		}
	}
}

/* A savepoint was rolled back: forget a batch row made inside it. */
static void
undo_savepoint_batch(struct import_session *s)
{
	if (s->batch_in_sp)
		s->batch_id = 0;
	s->batch_in_sp = 0;
	s->in_sp = 0;
}

static int
adopt_duplicate(struct import_session *s, int64_t dup, struct ic_error *err)
{
	sqlite3_stmt *st;

	if (ensure_batch(s, err) != 0)
		return -1;
	st = db_prepare(s->db, "UPDATE imports SET batch_id = ? WHERE id = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->batch_id);
	sqlite3_bind_int64(st, 2, dup);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_error(s->db, "moving the earlier import into this batch", err);
	}
	sqlite3_finalize(st);
	return 0;
}

/* import_sniff's CSV callback: detect from the first record, then stop */
struct sniff {
	const struct importer *imp;
	int seen;
};

static int
sniff_record(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct sniff *sn = ctx;
	struct header h;

	memset(&h, 0, sizeof h);
	h.f = rec->f;
	h.n = rec->n;
	sn->imp = importer_detect(&h);
	sn->seen = 1;
	return ic_errorf(err, "enough");	/* stops csv_read_all */
}

const struct importer *
import_sniff(const char *path, const char *as)
{
	struct input in;
	struct ic_error err;
	struct sniff sn;
	const unsigned char *peek;
	ssize_t np, k = 0;

	if (as)
		return importer_find(as);
	if (strcmp(path, "-") == 0)
		return NULL;
	memset(&err, 0, sizeof err);
	memset(&sn, 0, sizeof sn);
	if (input_open(&in, path, &err) != 0)
		return NULL;
	np = input_peek(&in, 64, &peek, &err);
	if (np >= 3 && memcmp(peek, "\xef\xbb\xbf", 3) == 0)
		k = 3;
	while (k < np && (peek[k] == ' ' || peek[k] == '\t' || peek[k] == '\r' || peek[k] == '\n'))
		k++;
	if (parquet_magic(peek, np > 0 ? (size_t)np : 0))
		(void)parquet_read_all(&in, sniff_record, &sn, &err);
	else if (np > 0 && k < np && peek[k] != '{' && peek[k] != '[')
		(void)csv_read_all(&in, sniff_record, &sn, &err);
	input_close(&in);
	return sn.seen ? sn.imp : NULL;
}

int
import_file(struct import_session *s, const char *path, struct import_result *res,
	    struct ic_error *err)
{
	struct input in;
	struct row_ctx rc;
	int64_t dup = 0;
	int ret = -1, in_sp = 0;

	memset(res, 0, sizeof *res);
	memset(&rc, 0, sizeof rc);
	rc.s = s;
	rc.in = &in;
	rc.res = res;
	rc.last_acc = -1;
	rc.money_col = -1;
	if (input_open(&in, path, err) != 0)
		return -1;
	if (!s->in_tx) {
		if (!s->bulk_journal)
			s->bulk_journal = db_bulk_journal(s->db);
		if (db_exec(s->db, "BEGIN IMMEDIATE", "locking the database", err) != 0)
			goto out;
		s->in_tx = 1;
		/* the import maintains the rollups itself: no stale-marking
		 * triggers until import_session_commit puts them back */
		if (rollup_stale(s->db, &s->rollup_stale, err) != 0 ||
		    db_exec(s->db, ROLLUP_TRIGGERS_DROP, "preparing the rollups", err) != 0)
			goto out;
	}
	if (db_exec(s->db, "SAVEPOINT import_file", "starting the import", err) != 0)
		goto out;
	in_sp = 1;
	s->in_sp = 1;
	if (prepare_inserts(s, err) != 0 || start_import(s, &rc, err) != 0)
		goto out;
	rc.agg = rollup_agg_new();
	if (rc.agg == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	rc.w = writer_start(s->db, s->ins_charge, s->ins_charges, s->ins_dim, s->ins_metric,
			    rc.import_id, rc.agg, err);
	if (rc.w == NULL)
		goto out;
	{
		const unsigned char *peek;
		ssize_t np = input_peek(&in, 64, &peek, err);
		ssize_t k = 0;
		if (np < 0)
			goto out;
		if (np >= 3 && memcmp(peek, "\xef\xbb\xbf", 3) == 0)
			k = 3;
		while (k < np && (peek[k] == ' ' || peek[k] == '\t' || peek[k] == '\r' || peek[k] == '\n'))
			k++;
		if (parquet_magic(peek, (size_t)np)) {
			if (parquet_read_all(&in, on_record, &rc, err) != 0)
				goto out;
		} else if (k < np && (peek[k] == '{' || peek[k] == '[')) {
			if (import_json(&rc, &in, err) != 0)
				goto out;
		} else if (csv_read_all(&in, on_record, &rc, err) != 0) {
			goto out;
		}
	}
	if (rc.magg && metrics_agg_finish(rc.magg, hour_out, hour_warn, &rc, err) != 0)
		goto out;
	{
		struct writer *w = rc.w;
		rc.w = NULL;
		if (writer_finish(w, &rc.first_rowid, &rc.last_rowid, err) != 0)
			goto out;
	}
	if (rc.imp == NULL) {
		ic_error_at(err, in.name, 1, 1, "empty file: no header and no rows");
		goto out;
	}
	if (rc.pi) {
		if (price_import_end(rc.pi, err) != 0)
			goto out;
		rc.rows = price_import_rows(rc.pi);
		if (rc.rows == 0)
			add_warning(res, "no instance prices in this price list", 0, 0, 1, NULL);
	} else if (rc.records == 0) {
		/* A header and no records: nothing to record either (an import
		 * row would claim a month with no provider, account or period). */
		add_warning(res, "a header and no data records: nothing imported, no import"
			    " recorded", 0, 0, 1, "file");
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		in_sp = 0;
		undo_savepoint_batch(s);
		res->header_only = 1;
		res->import_id = 0;
		if (input_hash(&in, res->sha256) != 0) {
			ic_errorf(err, "%s: computing the SHA-256 of the content failed", in.name);
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (input_hash(&in, res->sha256) != 0) {
		ic_errorf(err, "%s: computing the SHA-256 of the content failed", in.name);
		goto out;
	}
	if (find_current_duplicate(s, res->sha256, rc.import_id, &dup, err) != 0)
		goto out;
	summarize(&rc);
	if (dup) {
		/* Same content is already current: change nothing. */
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		in_sp = 0;
		undo_savepoint_batch(s);
		res->unchanged = 1;
		res->same_as = dup;
		res->import_id = dup;
		if (s->nfiles > 1 && adopt_duplicate(s, dup, err) != 0)
			goto out;
		ret = 0;
		goto out;
	}
	if (rollup_agg_write(rc.agg, s->db, rc.import_id, rc.first_rowid, rc.last_rowid,
			     s->rollup_stale, err) != 0)
		goto out;
	if (finish_import(s, &rc, path, err) != 0)
		goto out;
	if (rc.imp->size_factors && save_size_factors(s, &rc, err) != 0)
		goto out;
	if (rc.pi) {
		if (price_import_commit(rc.pi, err) != 0)
			goto out;
		res->replaced = price_import_replaced(rc.pi);
	}
	if (db_exec(s->db, "RELEASE import_file", "saving the import", err) != 0)
		goto out;
	in_sp = 0;
	s->in_sp = 0;
	s->batch_in_sp = 0;
	ret = 0;
out:
	writer_abort(rc.w);
	price_import_stop(rc.pi);
	if (in_sp) {
		sqlite3_exec(s->db, "ROLLBACK TO import_file; RELEASE import_file", NULL, NULL, NULL);
		undo_savepoint_batch(s);
	}
	if (s->ins_charge)
		sqlite3_reset(s->ins_charge);
	if (s->ins_charges)
		sqlite3_reset(s->ins_charges);
	if (s->ins_dim)
		sqlite3_reset(s->ins_dim);
	if (s->ins_metric)
		sqlite3_reset(s->ins_metric);
	if (rc.imp && rc.state)
		rc.imp->close(rc.state);
	price_import_free(rc.pi);
	rollup_agg_free(rc.agg);
	metrics_agg_free(rc.magg);
	free(rc.acc);
	free(rc.hdr_copy);
	free(rc.hdr_buf);
	free(rc.hdr_dup);
	free(rc.padded);
	input_close(&in);
	return ret;
}

int
import_session_commit(struct import_session *s, struct ic_error *err)
{
	if (!s->in_tx)
		return 0;
	sqlite3_finalize(s->ins_charge);
	sqlite3_finalize(s->ins_charges);
	sqlite3_finalize(s->ins_dim);
	sqlite3_finalize(s->ins_metric);
	s->ins_charge = s->ins_charges = s->ins_dim = s->ins_metric = NULL;
	/* the check of a DB_WRITE_BG open (cmd-import) ran beside the
	 * import: a damaged database is never written */
	if (db_check_wait(s->db, err) != 0 ||
	    rollup_rebuild(s->db, s->rollup_stale, err) != 0 ||
	    db_exec(s->db, ROLLUP_TRIGGERS_CREATE, "saving the rollups", err) != 0 ||
	    db_exec(s->db, "COMMIT", "saving the imports", err) != 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_tx = 0;
		s->batch_id = 0;
		return -1;
	}
	s->in_tx = 0;
	if (s->bulk_journal) {
		db_wal_journal(s->db);
		s->bulk_journal = 0;
	}
	return 0;
}
