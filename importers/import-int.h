/*
 * import-int.h - private to the import driver's files (import.c,
 * rowctx.c, import-csv.c, import-json.c, import-members.c, restate.c):
 * the session, the row context and the functions they share.  Not
 * included anywhere else.
 */
#ifndef IMCOST_IMPORT_INT_H
#define IMCOST_IMPORT_INT_H

#include <stdint.h>
#include <sqlite3.h>

#include <cjson/cJSON.h>

#include "common/csvreader.h"
#include "common/error.h"
#include "importers/import.h"
#include "importers/importer.h"

struct input;
struct json_osplit;

/* records between two calls of the progress callback */
#define PROGRESS_EVERY 8192

struct period_acc {
	char provider[64];
	char account[64];
	char currency[16];
	int64_t start, end;
	int64_t cmin, cmax;	/* span of the rows' ChargePeriodStart */
	long rows;
	int64_t billed, effective;
};

struct import_session {
	sqlite3 *db;
	struct import_opts opts;
	int nfiles;
	int in_tx;		/* the batch's transaction is open */
	int bulk_journal;	/* db_bulk_journal switched the journal */
	int in_sp;		/* a file's savepoint is open */
	int batch_in_sp;	/* the batch row was made inside that savepoint */
	int64_t batch_id;
	sqlite3_stmt *ins_charge, *ins_charges, *ins_dim, *ins_metric;
	unsigned rollup_stale;
	int64_t date_slack;	/* seconds a charge may lie outside its period */	/* rollups to rebuild at commit (enum rollup_set) */
};

struct row_ctx {
	struct import_session *s;
	struct input *in;
	const struct importer *imp;
	void *state;
	struct header h;
	struct csv_field *hdr_copy;	/* owned copy of the header fields */
	unsigned char *hdr_dup;		/* owned: rc->h.dup */
	char *hdr_buf;
	int ragged;			/* rows are one field short of the header */
	const struct csv_record *rec;
	struct csv_field *padded;	/* record + one empty field when ragged */
	int padded_cap;
	int64_t import_id;
	struct writer *w;		/* the writer thread, while rows flow */
	struct rollup_agg *agg;		/* the file's rollups (rollup-agg.h) */
	struct metrics_agg *magg;	/* the file's metric hours (metrics.h) */
	int64_t first_rowid, last_rowid;
	long records, rows;
	long emitted_this_record;
	struct period_acc *acc;
	int nacc, acc_cap, last_acc;
	struct import_result *res;
	struct price_import *pi;	/* a price list (prices-db.h), or NULL */
	/* the last time parsed per column: bills repeat the same few times
	 * (billing period, the hour) over many rows */
	struct time_memo {
		int col, tz;
		size_t len;
		int64_t value;
		char text[40];
	} tmemo[4];
	unsigned tmemo_next;
	/* the times rc_time read from this record and their columns, so that
	 * a charge's dates can be blamed on the column they came from */
	struct time_seen {
		int64_t value;
		int col;
	} tseen[8];
	int ntseen;
	int money_col;		/* the last required money column read */
	/* the JSON value being mapped: its text, first line and tree, so that
	 * an error naming a path ("DetailSet[3].RealCost: ...") gets the line
	 * and column of that member */
	const char *json_text;
	size_t json_len;
	const cJSON *json_root;
	const char *dataset;	/* rc_set_dataset: static, or NULL */
	int dataset_mixed;
	/* the last billing period checked (as written) and what it became */
	int64_t per_in_start, per_in_end, per_start, per_end;
};

/* The largest JSON document read whole, the largest skeleton kept around
 * streamed arrays or members, and the first-line length from which a
 * document is streamed without waiting for the line's end. */
#define JSON_DOC_MAX (256u * 1024 * 1024)
#define JSON_SKELETON_MAX (1u << 20)
/* a first line this long is not waited for (import_json) */
#define JSON_STREAM_AFTER (4u << 20)

/* ---- rowctx.c ---- */

/* Column col's header name quoted for a message into buf (n bytes); "?"
 * when col is not a column.  Returns buf or a static string, not owned. */
const char *col_name(const struct row_ctx *rc, int col, char *buf, size_t n);
/* Count one warning of res (msg copied; unit static, NULL: rows). */
void add_warning(struct import_result *res, const char *msg, long line, long col, long count,
		 const char *unit);
/* A price-list parser's counted warning (prices-db.h); arg is the row_ctx. */
void price_warn(void *arg, long line, long col, const char *msg);
/* metrics_agg_finish's callbacks (arg is the row_ctx): one hour to the
 * writer (0, or -1 with err set), a warning. */
int hour_out(void *arg, const struct metric *m, struct ic_error *err);
void hour_warn(void *arg, const char *text);

/* ---- import-csv.c ---- */

/* The CSV reader's callback (ctx is the row_ctx): the first record is the
 * header, the others are mapped.  Returns 0, or -1 with err set. */
int on_record(void *ctx, const struct csv_record *rec, struct ic_error *err);

/* ---- import-json.c ---- */

/* Detect (or take --as) the importer of the first JSON value v, read at
 * line `line`, and open it.  0, or -1 with err set. */
int json_open(struct row_ctx *rc, const cJSON *v, long line, struct ic_error *err);
/* Check, parse and map one JSON value text[0..len) starting at line;
 * whole: the value is the whole document.  0, or -1 with err set. */
int json_value(struct row_ctx *rc, const char *text, size_t len, long line, int whole,
	       struct ic_error *err);
/* Is s[0..n) JSON white space only? */
int blank_text(const char *s, size_t n);
/* One more read of a streamed document (import-json.c says how).  0, or
 * -1 with err set; *bufp may move (the caller frees it). */
int stream_refill(struct input *in, char **bufp, size_t *len, size_t *cap, long long *base,
		  long long keep, const char *what, long line, long col, int *eof,
		  struct ic_error *err);
/* A document whose big arrays stream: 0 read, -1 with err set, 1 it does
 * not stream (import-json.c).  *bufp and *capp may change (caller frees). */
int json_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp, size_t *capp,
		  size_t start, int *eofp, struct ic_error *err);

/* ---- import-members.c ---- */

/* A document read by object member (AWS offer files): as json_document. */
int json_members_document(struct row_ctx *rc, struct input *in, char **bufp, size_t *lenp,
			  size_t *capp, size_t start, int *eofp, struct ic_error *err);

/* ---- restate.c ---- */

/* The current import (not self) of the same content into *dup_id, 0 when
 * none.  0, or -1 with err set. */
int find_current_duplicate(struct import_session *s, const char *sha, int64_t self,
			   int64_t *dup_id, struct ic_error *err);
/* Move the rows of older batches this file restates to replaced_charges.
 * 0, or -1 with err set. */
int replace_older(struct import_session *s, struct row_ctx *rc, struct ic_error *err);
/* The file's billing periods into import_periods.  0, or -1 with err set. */
int record_periods(struct import_session *s, struct row_ctx *rc, struct ic_error *err);
/* The file's instance size factors into instance_types.  0, or -1 with
 * err set. */
int save_size_factors(struct import_session *s, struct row_ctx *rc, struct ic_error *err);

#endif
