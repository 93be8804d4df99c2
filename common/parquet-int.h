/*
 * parquet-int.h - what the Parquet reader's files share: parquet.c (the
 * footer, the schema's columns, the row groups), parquet-pages.c (pages
 * to values) and parquet-text.c (values to text records).  Not a public
 * API: everything else includes parquet.h.
 */
#ifndef IMCOST_PARQUET_INT_H
#define IMCOST_PARQUET_INT_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/parquet.h"
#include "common/parquet-decode.h"
#include "common/parquet-thrift.h"

#define FOOTER_MAX (64u * 1024 * 1024)
#define HDR_FIRST (64u * 1024)
#define HDR_MAX (16u * 1024 * 1024)
#define ROW_MAX (64u * 1024 * 1024)
/* Entries (levels, and values when defined) decoded at a time per column */
#define BATCH 256
/* Rows turned into text a column at a time (each column's values are read
 * in a run, then the rows handed out with fields pointing into the
 * columns' texts) */
#define CHUNK 256

struct src {
	const char *name;
	int fd;				/* -1 for memory */
	const unsigned char *mem;
	uint64_t size;
};

/* One leaf column and its cursor in the current row group. */
struct leaf {
	const struct pq_schema *s;
	int maxdef, maxrep;
	/* the chunk */
	uint64_t pos, end;
	int codec;
	int64_t left;			/* values not yet loaded */
	int rg;
	/* the dictionary */
	unsigned char *dictbuf;
	struct pq_val *dict;
	size_t ndict;
	uint64_t dict_bytes;		/* of dictbuf and dict */
	int has_dict;
	unsigned char *dict_ok;		/* [ndict]: 1 once the entry's text was checked */
	/* the current page, its levels and values decoded BATCH entries at a
	 * time (all at once only for the encodings listed at whole_page) */
	unsigned char *page;
	size_t page_cap;
	struct pq_rle rep_rd, def_rd, idx_rd;
	const unsigned char *vp;	/* the page's value bytes */
	size_t vlen, voff;
	int enc, whole, idx_ready;
	int checked;			/* the batch's values are checked text */
	size_t pn, pdone;		/* entries in the page, entries batched so far */
	uint32_t defs[BATCH], reps[BATCH], idx[BATCH];
	struct pq_val *vals;
	size_t vcap;			/* of vals: BATCH, or a whole page's values */
	size_t bn, bi, vi;		/* entries in the batch, next entry, next value */
	unsigned char *extra;		/* values rebuilt by DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT */
};

/* One output column: a primitive leaf, or a MAP's key and value leaves. */
struct outcol {
	const char *name;
	int key, val;			/* leaf indexes; val -1 for a primitive */
	int map_def;			/* MAP: def level at which the map is not null */
};

/* Text of one output column for the rows of a chunk */
struct textbuf {
	char *p;
	size_t len, cap;
};

struct reader {
	struct src src;
	struct pq_meta m;
	struct leaf *leaves;
	int nleaves;
	struct outcol *cols;
	int ncols;
	struct textbuf *text;		/* per output column */
	struct textbuf *cur;		/* the one put() appends to */
	size_t text_bytes;		/* the capacity of all of text[] */
	size_t *offs;			/* [c * CHUNK + i]: row i's field c in text[c] */
	struct csv_field *f;
	struct ic_error *err;
	int rg;
	unsigned char *cbuf;		/* a page header or compressed page, reused */
	size_t cbuf_cap;
};

/* ---- parquet.c ---- */

/* Read len bytes at off of the file into dst.  Returns 0, or -1 with
 * r->err set. */
int src_read(struct reader *r, uint64_t off, size_t len, unsigned char *dst);
/* "FILE: column X, row group N: " + the decoder's message in err.
 * Returns -1. */
int col_error(struct reader *r, const char *col, int rg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The name of l's top-level column (borrowed from the schema). */
const char *leaf_top(struct reader *r, const struct leaf *l);
/* *p holds at least need elements of elem bytes (*cap counts them).
 * Returns 0, or -1 out of memory (*p unchanged). */
int grow(void **p, size_t *cap, size_t need, size_t elem);

/* ---- parquet-pages.c ---- */

/* Check value v of leaf l as text (UTF-8, no NUL) when its column is
 * text.  Returns 0, or -1 with r->err set. */
int text_check(struct reader *r, struct leaf *l, const struct pq_val *v, const char *top);
/* The next batch of entries of l (the next page when its page is done).
 * Returns 0, or -1 with r->err set. */
int fill(struct reader *r, struct leaf *l);

/* ---- parquet-text.c ---- */

/* put() when the column's text must grow.  Returns 0, or -1 with r->err
 * set. */
int put_grow(struct reader *r, const void *s, size_t n);
/* Hand out row i (of k in the chunk) of the columns' texts. */
int emit(struct reader *r, size_t i, size_t k, long line, csv_record_fn fn, void *ctx);
/* The text of output column c for the k rows of the chunk. */
int column_text(struct reader *r, int c, size_t k);

/* Append s[0..n) to the current column's text. */
static inline int
put(struct reader *r, const void *s, size_t n)
{
	struct textbuf *t = r->cur;

	if (t->len + n + 1 > t->cap)
		return put_grow(r, s, n);
	memcpy(t->p + t->len, s, n);
	t->len += n;
	return 0;
}

#endif
