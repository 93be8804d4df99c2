/*
 * prices-db-int.h - what prices-db.c (a price import: its sink, start,
 * end, commit, the formats) and prices-write.c (its rows into the
 * tables, on the writer thread) share.  Private to those two files.
 */
#ifndef IMCOST_PRICES_DB_INT_H
#define IMCOST_PRICES_DB_INT_H

#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "common/error.h"
#include "importers/prices.h"

/*
 * The writer thread: profiling the import of a 1,000,000-row AWS offer
 * CSV showed the SQLite inserts costing about twice the parse, so, as for
 * bills (writer.c), the parser's rows are copied into batches that a
 * second thread writes while the parser reads on.  At most PRICE_SLOTS
 * batches exist, so memory stays flat whatever the file size.  Every
 * database write of a price import happens on that thread between
 * price_import_new and price_import_end / price_import_stop.
 */
#define PRICE_SLOTS 3
#define PRICE_BATCH_ROWS 4096
#define PRICE_ARENA (1024 * 1024)
#define PRICE_MULTI 32			/* rows per multi-row INSERT */
#define PRICE_COLS 15			/* parameters of one prices row */
#define NO_STR ((size_t)-1)

/* A price_row whose strings are offsets into its batch's arena (NO_STR:
 * NULL). */
enum { PS_PROVIDER, PS_REGION, PS_TYPE, PS_PLATFORM, PS_TERM, PS_PAYMENT, PS_CLASS,
       PS_CURRENCY, PS_USAGE, PS_OP, PS_SKU, PS_FAMILY, PS_N };
struct prow {
	struct price_row r;		/* numbers; string pointers unset */
	size_t off[PS_N];
	int len[PS_N];			/* strlen of each string (bound as is) */
};

struct pbatch {
	struct prow *rows;
	int n;
	char *arena;
	size_t used, cap;
	int full;			/* handed to the writer, not written yet */
};

/* one (provider, offer, region) of this import */
struct plist {
	char provider[16], region[64];
	int64_t id;
	long rows;
};

struct price_import {
	struct price_sink sink;		/* first: the parsers get &sink */
	sqlite3 *db;
	int64_t import_id;
	const struct price_format *fmt;
	void *state;
	char offer[64], publication[40];
	sqlite3_stmt *ins_price, *ins_list, *ins_type;
	struct plist *lists;
	int nlists, cap, last;
	long rows;
	/* instance types already written by this import (a small open table) */
	char **types;
	size_t ntypes, types_cap;
	void (*warn)(void *, long, long, const char *);
	void *warn_arg;
	int replaced;
	/* the writer thread (see "the writer thread" below) */
	sqlite3_stmt *ins_many;		/* PRICE_MULTI rows at once */
	int nmulti;			/* rows bound to ins_many, not yet stepped */
	struct pbatch batch[PRICE_SLOTS];
	int fill;			/* the batch the parser fills */
	int wslot;			/* the batch the writer writes next */
	/* indexes of prices dropped for this import and made again at its
	 * end (price_import_expect) */
	uint64_t expect_bytes;
	int index_checked;
	char **index_sql;
	int nindex;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started, stopping, failed;
	struct ic_error werr;		/* the writer's error, when failed */
};

/* The sink's emit: the row copied into the batch the parser fills,
 * handed to the writer thread when full.  0, or -1 with err set. */
int prices_sink_emit(struct price_sink *s, const struct price_row *r, struct ic_error *err);
/* The writer thread's body (arg: the price_import). */
void *prices_writer_main(void *arg);
/* Hand the batch being filled to the writer.  0, or -1 with err set. */
int prices_hand_over(struct price_import *pi, struct ic_error *err);
/* Stop the writer thread after it wrote what is queued (or at once when
 * it failed).  0, or -1 with err set when it failed (err may be NULL). */
int prices_writer_stop(struct price_import *pi, struct ic_error *err);
/* Make again the indexes of prices dropped for this import.  0 or -1. */
int prices_index_restore(struct price_import *pi, struct ic_error *err);

#endif
