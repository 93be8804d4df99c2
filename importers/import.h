/*
 * import.h - importing files into the database, one transaction per file.
 *
 * Rules (docs/ARCHITECTURE.md "The import pipeline", issue 9):
 *  - a file is imported whole or not at all, and so is a session: all the
 *    files of one command are committed together by import_session_commit,
 *    so a broken part never leaves a month half restated;
 *  - the same content (by SHA-256 of the decompressed bytes) already
 *    current in the database changes nothing;
 *  - the files of one session form one batch; a file's rows replace the
 *    rows of other batches that it is a complete copy of (its format's
 *    enum restates, importer.h: the same provider, billing account and
 *    billing period for a CUR refresh; the overlap of the usage windows for
 *    GCP), while the parts of one batch add up.  Replaced rows are moved to
 *    replaced_charges, so forgetting the import that replaced them
 *    (import_forget) puts them back.
 */
#ifndef IMCOST_IMPORT_H
#define IMCOST_IMPORT_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"

#define IMPORT_MAX_WARNINGS 8

struct import_opts {
	const char *as;		/* format name forced by --as, or NULL */
	const char *label;	/* batch label, or NULL */
	/* Called now and then with bytes read so far and the file size (0 if
	 * unknown).  May be NULL. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* Days a charge period may start before or end after its billing
	 * period (late and cross-over rows); used when date_slack_set,
	 * else IMPORT_DATE_SLACK_DAYS. */
	int date_slack_days;
	int date_slack_set;
	/* --replace / --add: override what the format restates */
	enum { RESTATE_AS_FORMAT = 0, RESTATE_FORCE_PERIOD, RESTATE_FORCE_ADD } restate;
};

/* The default of import_opts.date_slack_days. */
#define IMPORT_DATE_SLACK_DAYS 3

struct import_warning {
	char msg[1024];	/* a metrics import lists its unknown names */
	long count;		/* how many times (rows, or header columns) */
	long first_line;
	long first_col;		/* 1-based column of the first, or 0 */
	const char *unit;	/* what count counts: "row" (NULL) or "column"; static */
};

struct import_result {
	int64_t import_id;
	const char *format;	/* importer name (static) */
	long records;		/* data records read */
	long rows;		/* charges or metrics written */
	int unchanged;		/* identical content was already current */
	int header_only;	/* a header and no records: nothing imported, no
				   import row (a warning says so) */
	int64_t same_as;	/* when unchanged: the import it matched */
	int replaced;		/* periods of older batches this file replaced (price
				   lists: older publications it replaced) */
	int prices;		/* a price list (rows are prices) */
	char sha256[65];
	int nwarnings;
	struct import_warning warnings[IMPORT_MAX_WARNINGS];
	int64_t period_start, period_end;	/* span of billing periods, 0 if none */
	/* first currency's totals, for the one-line summary */
	char currency[16];
	int ncurrencies;
	int64_t billed, effective;
};

struct import_session;

/* A session writes into db; `nfiles` tells how many files the command
 * has.  Returns NULL on ENOMEM.  Free with import_session_free. */
struct import_session *import_session_new(sqlite3 *db, const struct import_opts *o, int nfiles);
void import_session_free(struct import_session *s);

/* Point progress reports at a new callback (e.g. one per file). */
void import_session_set_progress(struct import_session *s,
				 void (*fn)(void *, uint64_t, uint64_t), void *arg);

/* The batch id of this session (0 until a file was imported). */
int64_t import_session_batch(const struct import_session *s);

/*
 * Import one file ("-" = stdin) inside the session's transaction.  Returns
 * 0 with *res filled, or -1 with err set and the file's rows undone; the
 * caller then frees the session, which rolls back the whole batch.
 */
int import_file(struct import_session *s, const char *path, struct import_result *res,
		struct ic_error *err);

/*
 * The importer a file would be read with, from its first CSV record (or
 * `as`, the --as format, when not NULL), without importing it.  NULL when
 * unknown: not readable, no importer recognises it, standard input ("-"),
 * or a JSON document (told only by reading it whole).  Static: not freed.
 */
const struct importer *import_sniff(const char *path, const char *as);

/* Commit every file imported so far.  Returns 0, or -1 with err set (and
 * nothing committed).  Freeing a session without commit rolls back. */
int import_session_commit(struct import_session *s, struct ic_error *err);

#endif
