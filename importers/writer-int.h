/*
 * writer-int.h - what the writer thread (writer.c) and its dimension
 * dictionaries (writer-dims.c) share: the writer's structures, limits and
 * the functions one calls in the other.  Private to those two files.
 */
#ifndef IMCOST_WRITER_INT_H
#define IMCOST_WRITER_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "common/db.h"
#include "importers/rollup-agg.h"
#include "importers/writer.h"


#define WRITER_SLOTS 3
/* 2048 rows a batch (was 4096): the three slots' rows and the arena pages
 * they touch were 20 MiB of a 1M-row import's peak; halved, the import
 * costs the same CPU (one more hand-over per 2048 rows, no commit) */
#define BATCH_ROWS 2048
#define ARENA_SIZE (4u * 1024 * 1024)
/* The table of full combinations: up to 2x DIM_MAX_ENTRIES slots of 56
 * bytes, a rollup cache of 200 bytes and DIM_MAX_BYTES of keys.  At 64k
 * entries and 8 MiB (before schema 10) it was 28 MiB of a high-cardinality
 * import's peak, where it never hits; a normal month has under 4k
 * combinations. */
#define DIM_MAX_ENTRIES (1u << 14)
#define DIM_MIN_SLOTS 1024u
#define DIM_MAX_BYTES ((size_t)4 << 20)	/* keys kept */
#define DIM_NULL_LEN 0xffffffffu
/* the columns of a charge_facts row the writer binds: CHARGE_FACT_COLS,
 * dim_id, resource_id, tag_set_id */
#define FACT_NCOLS (CHARGE_NFACT + 3)
/* the caches of the three dictionaries (struct idcache): at most 2x
 * entries slots of 32 bytes and the keys, 3.8 MiB in all (7.4 MiB at
 * twice these, measured with heaptrack on a 100k-row bill whose every row
 * has its own resource and tags, where they never hit; a 1M-row month
 * has 90 combinations, 3,540 resources and 13 tag sets) */
#define IDC_DIMS_ENTRIES (1u << 12)
#define IDC_DIMS_BYTES ((size_t)512 << 10)
#define IDC_RES_ENTRIES (1u << 14)
#define IDC_RES_BYTES ((size_t)1 << 20)
#define IDC_TAGS_ENTRIES (1u << 13)
#define IDC_TAGS_BYTES ((size_t)512 << 10)

/* One combination of the text columns in the writer's table. */
struct dim_slot {
	uint64_t hash;		/* 0 = empty slot */
	int64_t id;		/* charge_dims.id */
	int64_t res, tags;	/* resources.id, tag_sets.id; 0: NULL */
	size_t off, len;	/* key bytes in dims.keys */
	uint32_t ent;		/* its rollup cache: dims.rt[ent] */
};

/* The values of one charge_facts row (all numbers: they do not point
 * into a batch). */
struct fact {
	int64_t v[FACT_NCOLS];	/* CHARGE_FACT_COLS, dim_id, resource_id, tag_set_id */
	unsigned nulls;			/* bit k: column k is NULL */
	unsigned real;			/* bit k: column k is a double in d[k] */
	double d[FACT_NCOLS];
};

struct dims {
	struct dim_slot *slot;	/* nslots (a power of 2), allocated on first use */
	uint32_t n, nslots;
	char *keys;
	size_t used, cap;
	struct rollup_texts *rt;	/* rt[0 .. n): per combination, for rollup-agg */
	uint32_t rt_cap;
	struct rollup_texts lone;	/* of a combination not kept */
};

/* A bounded cache of one dictionary: key bytes -> id.  Open addressing,
 * at most half full; emptied when it reaches max entries or max bytes
 * of keys (a miss then costs a duplicate dictionary row only). */
struct idc_slot {
	uint64_t hash;		/* 0 = empty */
	int64_t id;
	size_t off, len;
};

struct idcache {
	struct idc_slot *slot;	/* nslots, a power of 2 */
	uint32_t n, nslots, max;
	char *keys;
	size_t used, cap, max_bytes;
};

struct row {
	int is_metric;
	uint32_t key_len;	/* charge: its dims key (make_key's form) ... */
	size_t key_off;		/* ... at this offset of the batch arena */
	long line;
	struct charge c;	/* text points into the batch arena */
	struct metric m;
};

struct batch {
	struct row *rows;
	int n;
	char *arena;
	size_t used, cap;
	int full;		/* handed to the writer, not yet written */
};

struct writer {
	sqlite3 *db;
	sqlite3_stmt *ins_charge, *ins_charges, *ins_dim, *ins_metric;
	sqlite3_stmt *ins_res, *ins_tagset;	/* resources, tag_sets rows; owned */
	sqlite3_stmt *ins_tags;		/* DB_TAG_ROW_INSERT; owned */
	struct idcache c_dims, c_res, c_tags;
	char *scratch;			/* a coarse key or a Tags text with its NUL */
	size_t scratch_cap;
	int64_t import_id;
	struct rollup_agg *agg;
	struct dims dims;
	struct fact pending[WRITER_FACT_ROWS];	/* facts not yet inserted */
	/* what ins_charges holds bound (bindings outlive sqlite3_reset), so
	 * that a value equal to the one 32 rows back (the import, the
	 * billing period) is not bound again */
	struct fact bound[WRITER_FACT_ROWS];
	int have_bound;
	int npending;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t to_writer, to_reader;
	struct batch slot[WRITER_SLOTS];
	int fill;		/* slot the reader fills */
	int next;		/* slot the writer takes next */
	int done;		/* reader has nothing more */
	int failed;		/* writer hit an error; msg in werr */
	struct ic_error werr;
	int64_t first_rowid, last_rowid;
};

void
dims_free(struct dims *d);
void
idc_free(struct idcache *c);
char *
scratch(struct writer *w, size_t n);
int
dim_id(struct writer *w, const struct charge *c, const char *key, size_t len, int64_t *id,
       int64_t *res, int64_t *tags, struct rollup_texts **rt);

#endif
