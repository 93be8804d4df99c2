/*
 * parquet.c - the Parquet reader: footer, schema to columns, pages to
 * values, values to text records (see parquet.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/parquet.h"
#include "common/parquet-decode.h"
#include "common/parquet-thrift.h"
#include "common/utf8.h"

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

int
parquet_magic(const unsigned char *p, size_t n)
{
	return n >= 4 && memcmp(p, "PAR1", 4) == 0;
}

static int
src_read(struct reader *r, uint64_t off, size_t len, unsigned char *dst)
{
	if (off > r->src.size || len > r->src.size - off)
		return ic_errorf(r->err, "%s: truncated file (a page reaches past its end)",
				 r->src.name);
	if (r->src.fd < 0) {
		memcpy(dst, r->src.mem + off, len);
		return 0;
	}
	while (len > 0) {
		ssize_t n = pread(r->src.fd, dst, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ic_errorf(r->err, "%s: read failed: %s", r->src.name,
					 n < 0 ? strerror(errno) : "unexpected end of file");
		dst += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* "FILE: column X, row group N: " + the decoder's message in err */
static int
col_error(struct reader *r, const char *col, int rg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
col_error(struct reader *r, const char *col, int rg, const char *fmt, ...)
{
	char msg[IC_ERRMSG_MAX], q[IC_QUOTE_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ic_quote(col, strlen(col), 60, q);
	if (rg > 0)
		return ic_errorf(r->err, "%s: column %s, row group %d: %s", r->src.name, q, rg, msg);
	return ic_errorf(r->err, "%s: column %s: %s", r->src.name, q, msg);
}

static int
bits_for(int v)
{
	int b = 0;

	while (v >> b)
		b++;
	return b;
}

static int
leaf_type_ok(struct reader *r, const struct pq_schema *s, const char *top)
{
	const char *what = NULL;

	if (s->type < PQ_BOOLEAN || s->type > PQ_FIXED)
		what = "physical type";
	else if (s->logical == PL_DECIMAL) {
		if (s->scale < 0 || s->scale > 38 || (s->type != PQ_INT32 && s->type != PQ_INT64 &&
						      s->type != PQ_FIXED && s->type != PQ_BYTE_ARRAY))
			what = "DECIMAL (scale or physical type)";
		else if (s->type == PQ_FIXED && (s->type_length < 1 || s->type_length > 16))
			what = "DECIMAL wider than 16 bytes";
	} else if (s->logical == PL_DATE && s->type != PQ_INT32) {
		what = "DATE not on INT32";
	} else if ((s->logical == PL_TS_MILLIS || s->logical == PL_TS_MICROS ||
		    s->logical == PL_TS_NANOS) && s->type != PQ_INT64) {
		what = "TIMESTAMP not on INT64";
	} else if (s->logical == PL_TIME || s->logical == PL_OTHER || s->logical == PL_MAP ||
		   s->logical == PL_LIST) {
		what = "logical type (TIME, UUID, INTERVAL or another imcost does not read)";
	} else if (s->logical == PL_INT && (s->type != PQ_INT32 && s->type != PQ_INT64)) {
		what = "INTEGER not on INT32/INT64";
	} else if ((s->logical == PL_STRING || s->logical == PL_JSON) &&
		   s->type != PQ_BYTE_ARRAY && s->type != PQ_FIXED) {
		what = "STRING not on BYTE_ARRAY";
	}
	if (s->type == PQ_FIXED && s->type_length < 1)
		what = "FIXED_LEN_BYTE_ARRAY without a length";
	if (what)
		return col_error(r, top, 0, "unsupported %s", what);
	return 0;
}

/* Walk the schema: top-level primitives and MAP<key,value> groups. */
static int
build_columns(struct reader *r)
{
	const struct pq_meta *m = &r->m;
	const struct pq_schema *root = &m->schema[0];
	int k = 1;

	if (root->num_children <= 0 || root->num_children > CSV_FIELDS_MAX)
		return ic_errorf(r->err, "%s: the schema has %d columns", r->src.name,
				 (int)root->num_children);
	r->cols = calloc((size_t)root->num_children, sizeof *r->cols);
	r->leaves = calloc((size_t)m->nschema, sizeof *r->leaves);
	if (r->cols == NULL || r->leaves == NULL)
		return ic_errorf(r->err, "out of memory");
	for (int c = 0; c < root->num_children; c++) {
		const struct pq_schema *s;
		struct outcol *oc = &r->cols[r->ncols];
		if (k >= m->nschema)
			return ic_errorf(r->err, "%s: the schema lists fewer columns than it declares",
					 r->src.name);
		s = &m->schema[k];
		for (size_t i = 0, n = strlen(s->name), q; i < n; i += q)
			if ((q = utf8_seq((const unsigned char *)s->name + i, n - i)) == 0) {
				char qb[IC_QUOTE_SIZE];
				ic_quote(s->name, n, 60, qb);
				return ic_errorf(r->err, "%s: column name '%s' is not UTF-8", r->src.name, qb);
			}
		oc->name = s->name;
		oc->val = -1;
		if (s->repetition == 2)
			return col_error(r, s->name, 0, "unsupported repeated column");
		if (s->type >= 0 && s->num_children <= 0) {
			struct leaf *l = &r->leaves[r->nleaves];
			if (leaf_type_ok(r, s, s->name) != 0)
				return -1;
			l->s = s;
			l->maxdef = s->repetition == 1;
			oc->key = r->nleaves++;
			k++;
		} else {
			/* MAP: group (MAP) { repeated group key_value { key; value; } } */
			const struct pq_schema *kv = k + 1 < m->nschema ? &m->schema[k + 1] : NULL;
			const struct pq_schema *ks = k + 2 < m->nschema ? &m->schema[k + 2] : NULL;
			const struct pq_schema *vs = k + 3 < m->nschema ? &m->schema[k + 3] : NULL;
			int def = s->repetition == 1;
			if (s->num_children != 1 || kv == NULL || kv->repetition != 2 ||
			    kv->num_children != 2 || kv->type >= 0 || ks == NULL || vs == NULL ||
			    ks->type < 0 || vs->type < 0 || ks->num_children > 0 || vs->num_children > 0 ||
			    ks->repetition == 2 || vs->repetition == 2 ||
			    (s->logical != PL_MAP && kv->logical != PL_MAP))
				return col_error(r, s->name, 0,
						 "unsupported nested column (only top-level MAP columns are read)");
			if (leaf_type_ok(r, ks, s->name) != 0 || leaf_type_ok(r, vs, s->name) != 0)
				return -1;
			oc->map_def = def;
			r->leaves[r->nleaves].s = ks;
			r->leaves[r->nleaves].maxdef = def + 1 + (ks->repetition == 1);
			r->leaves[r->nleaves].maxrep = 1;
			oc->key = r->nleaves++;
			r->leaves[r->nleaves].s = vs;
			r->leaves[r->nleaves].maxdef = def + 1 + (vs->repetition == 1);
			r->leaves[r->nleaves].maxrep = 1;
			oc->val = r->nleaves++;
			k += 4;
		}
		r->ncols++;
	}
	if (k != m->nschema)
		return ic_errorf(r->err, "%s: the schema has %d elements where its columns need %d",
				 r->src.name, m->nschema, k);
	r->offs = calloc((size_t)r->ncols * CHUNK, sizeof *r->offs);
	r->text = calloc((size_t)r->ncols, sizeof *r->text);
	r->f = calloc((size_t)r->ncols, sizeof *r->f);
	if (r->offs == NULL || r->text == NULL || r->f == NULL)
		return ic_errorf(r->err, "out of memory");
	return 0;
}

static const char *
leaf_top(struct reader *r, const struct leaf *l)
{
	for (int c = 0; c < r->ncols; c++)
		if (&r->leaves[r->cols[c].key] == l ||
		    (r->cols[c].val >= 0 && &r->leaves[r->cols[c].val] == l))
			return r->cols[c].name;
	return "?";
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	void *q;

	if (need <= *cap)
		return 0;
	q = realloc(*p, need * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = need;
	return 0;
}

/* Read the next page header of l into h; *hlen its size. */
static int
read_page_header(struct reader *r, struct leaf *l, struct pq_page_header *h, size_t *hlen)
{
	size_t want = HDR_FIRST;
	struct ic_error e;

	for (;;) {
		size_t n = l->end - l->pos < want ? (size_t)(l->end - l->pos) : want;
		/* the reader's one buffer for compressed bytes (not one per column) */
		if (grow((void **)&r->cbuf, &r->cbuf_cap, n ? n : 1, 1) != 0)
			return ic_errorf(r->err, "out of memory");
		if (src_read(r, l->pos, n, r->cbuf) != 0)
			return -1;
		if (pq_page_header_parse(r->cbuf, n, h, hlen, &e) == 0)
			return 0;
		if (n < want || want >= HDR_MAX)
			return col_error(r, leaf_top(r, l), l->rg, "page header: %s", e.msg);
		want *= 4;
	}
}

/* Pulls a page's compressed bytes from the file at *pos onwards. */
struct pull {
	struct reader *r;
	uint64_t pos;
};

static int
pull_src(void *ctx, unsigned char *dst, size_t len)
{
	struct pull *pl = ctx;

	if (src_read(pl->r, pl->pos, len, dst) != 0)
		return -1;
	pl->pos += len;
	return 0;
}

/* Read and decompress the body of a page into l->page (its size into
 * *len), the compressed bytes streamed through the reader's window of
 * PQ_WINDOW bytes.  v2: the first `plain` bytes are not compressed. */
static int
read_page_body(struct reader *r, struct leaf *l, const struct pq_page_header *h, size_t plain,
	       int compressed, size_t *len)
{
	size_t csize = (size_t)h->compressed_size, usize = (size_t)h->uncompressed_size;
	struct ic_error e;
	struct pull pl = { r, l->pos };
	int failed;
	const char *top = leaf_top(r, l);

	if (usize > PQ_PAGE_BYTES_MAX)
		return col_error(r, top, l->rg, "a page of %zu bytes (more than imcost reads)", usize);
	if (csize > l->end - l->pos)
		return col_error(r, top, l->rg, "a page reaches past its column chunk (truncated?)");
	if (plain > csize || plain > usize)
		return col_error(r, top, l->rg, "page levels longer than the page");
	if (grow((void **)&l->page, &l->page_cap, usize ? usize : 1, 1) != 0 ||
	    grow((void **)&r->cbuf, &r->cbuf_cap, PQ_WINDOW, 1) != 0)
		return ic_errorf(r->err, "out of memory");
	if (src_read(r, l->pos, plain, l->page) != 0)
		return -1;
	pl.pos += plain;
	if (pq_decompress_stream(compressed ? l->codec : PQ_UNCOMPRESSED, pull_src, &pl,
				 csize - plain, r->cbuf, PQ_WINDOW, l->page + plain, usize - plain,
				 &failed, &e) != 0)
		return failed ? -1 : col_error(r, top, l->rg, "%s", e.msg);
	l->pos += csize;
	*len = usize;
	return 0;
}

static int
load_dictionary(struct reader *r, struct leaf *l, const struct pq_page_header *h)
{
	size_t len, used;
	struct ic_error e;
	const char *top = leaf_top(r, l);

	if (l->has_dict)
		return col_error(r, top, l->rg, "a second dictionary page");
	if (h->encoding != PQ_PLAIN && h->encoding != PQ_PLAIN_DICT)
		return col_error(r, top, l->rg, "unsupported dictionary encoding %d", h->encoding);
	if (h->num_values < 0 || (uint32_t)h->num_values > PQ_PAGE_VALUES_MAX)
		return col_error(r, top, l->rg, "a dictionary of %d values", (int)h->num_values);
	if (read_page_body(r, l, h, 0, 1, &len) != 0)
		return -1;
	/* the dictionary keeps its own buffer: values point into it */
	free(l->dictbuf);
	l->dictbuf = l->page;
	l->page = NULL;
	l->page_cap = 0;
	free(l->dict);
	free(l->dict_ok);
	l->dict = calloc(h->num_values ? (size_t)h->num_values : 1, sizeof *l->dict);
	l->dict_ok = calloc(h->num_values ? (size_t)h->num_values : 1, 1);
	if (l->dict == NULL || l->dict_ok == NULL)
		return ic_errorf(r->err, "out of memory");
	if (pq_plain_decode(l->s->type, l->s->type_length, l->dictbuf, len, l->dict,
			    (size_t)h->num_values, &used, &e) != 0)
		return col_error(r, top, l->rg, "dictionary: %s", e.msg);
	l->ndict = (size_t)h->num_values;
	l->dict_bytes = len + l->ndict * (sizeof *l->dict + 1);
	l->has_dict = 1;
	return 0;
}

/* 1 when l's values are text (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY, not
 * DECIMAL) */
static int
is_text(const struct pq_schema *s)
{
	return (s->type == PQ_BYTE_ARRAY || s->type == PQ_FIXED) && s->logical != PL_DECIMAL;
}

/* How many of p[0..n) are, 8 bytes at a time, ASCII without NUL (a
 * multiple of 8: the rest is for the caller to look at). */
static size_t
ascii_prefix(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			break;	/* a byte >= 0x80, or a NUL */
	}
	return i;
}

/* Text must be valid UTF-8 without NUL, as the CSV reader demands. */
static int
text_check(struct reader *r, struct leaf *l, const struct pq_val *v, const char *top)
{
	for (size_t i = ascii_prefix(v->p, v->len), k; i < v->len; i += k) {
		if (v->p[i] - 1u < 0x7fu) {
			k = 1;	/* ASCII other than NUL */
			continue;
		}
		k = utf8_seq(v->p + i, v->len - i);
		if (k == 0 || v->p[i] == 0) {
			char q[IC_QUOTE_SIZE];
			ic_quote((const char *)v->p, v->len, 40, q);
			return col_error(r, top, l->rg, "%s in '%s'",
					 k ? "a NUL byte" : "invalid UTF-8", q);
		}
	}
	return 0;
}

static int over_budget(const struct reader *r);

/* Decode the nv values of the current batch into l->vals: PLAIN (not
 * BOOLEAN) and dictionary pages a batch at a time, the others were decoded
 * whole by decode_values. */
static int
batch_values(struct reader *r, struct leaf *l, size_t nv)
{
	struct ic_error e;
	size_t used;
	const char *top = leaf_top(r, l);

	l->checked = 0;
	if (l->whole || nv == 0)
		return 0;
	if (l->enc == PQ_PLAIN) {
		if (pq_plain_decode(l->s->type, l->s->type_length, l->vp + l->voff, l->vlen - l->voff,
				    l->vals, nv, &used, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
		l->voff += used;
	} else {
		if (!l->idx_ready) {
			if (l->vlen < 1)
				return col_error(r, top, l->rg, "dictionary indices missing");
			pq_rle_init(&l->idx_rd, l->vp + 1, l->vlen - 1, l->vp[0]);
			l->idx_ready = 1;
		}
		if (pq_rle_next(&l->idx_rd, l->idx, nv, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
		for (size_t i = 0; i < nv; i++) {
			if (l->idx[i] >= l->ndict)
				return col_error(r, top, l->rg, "dictionary index %u out of %zu entries",
						 l->idx[i], l->ndict);
			l->vals[i] = l->dict[l->idx[i]];
		}
		if (is_text(l->s)) {
			/* each dictionary entry's text checked once, not at every use */
			for (size_t i = 0; i < nv; i++) {
				if (l->dict_ok[l->idx[i]])
					continue;
				if (text_check(r, l, &l->vals[i], top) != 0)
					return -1;
				l->dict_ok[l->idx[i]] = 1;
			}
			l->checked = 1;
		}
	}
	l->vi = 0;
	return 0;
}

/* Decode all nv values of a data page (after the levels) into l->vals:
 * for BOOLEAN, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
 * DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT pages (and the errors of
 * encodings imcost does not read). */
static int
decode_values(struct reader *r, struct leaf *l, int enc, const unsigned char *p, size_t len,
	      size_t nv)
{
	struct ic_error e;
	size_t used;
	const char *top = leaf_top(r, l);

	if (grow((void **)&l->vals, &l->vcap, nv ? nv : 1, sizeof *l->vals) != 0)
		return ic_errorf(r->err, "out of memory");
	if (over_budget(r))
		return col_error(r, top, l->rg, "the row group's pages need more than %u MiB at once",
				 PQ_MEM_MAX >> 20);
	l->vi = 0;
	if (enc == PQ_PLAIN) {
		if (pq_plain_decode(l->s->type, l->s->type_length, p, len, l->vals, nv, &used, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
	} else if (enc == PQ_DELTA_BINARY && (l->s->type == PQ_INT32 || l->s->type == PQ_INT64)) {
		if (pq_delta_binary_decode(p, len, l->s->type == PQ_INT32, l->vals, nv, &used, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
	} else if (enc == PQ_DELTA_LENGTH && l->s->type == PQ_BYTE_ARRAY) {
		if (pq_dlba_decode(p, len, l->vals, nv, &used, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
	} else if (enc == PQ_DELTA_BYTE_ARRAY &&
		   (l->s->type == PQ_BYTE_ARRAY || l->s->type == PQ_FIXED)) {
		free(l->extra);
		if (pq_dba_decode(p, len, l->vals, nv, &l->extra, PQ_PAGE_BYTES_MAX, &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
	} else if (enc == PQ_BYTE_STREAM_SPLIT) {
		free(l->extra);
		if (pq_bss_decode(l->s->type, l->s->type_length, p, len, l->vals, nv, &l->extra,
				  &e) != 0)
			return col_error(r, top, l->rg, "%s", e.msg);
	} else {
		return col_error(r, top, l->rg, "unsupported encoding %d%s", enc,
				 enc == PQ_DELTA_LENGTH ? " (DELTA_LENGTH_BYTE_ARRAY)"
				 : enc == PQ_DELTA_BYTE_ARRAY ? " (DELTA_BYTE_ARRAY)"
				 : enc == PQ_BYTE_STREAM_SPLIT ? " (BYTE_STREAM_SPLIT)"
				 : enc == PQ_DELTA_BINARY ? " (DELTA_BINARY_PACKED on this type)" : "");
	}
	return 0;
}

/* Set d to the levels with a 4-byte length prefix (v1) or of known
 * length (v2) at *p, and step over them. */
static int
open_levels(struct reader *r, struct leaf *l, const unsigned char **p, size_t *len, int v1,
	    size_t v2len, int maxlevel, struct pq_rle *d)
{
	size_t ll;

	if (maxlevel == 0)
		return 0;
	if (v1) {
		if (*len < 4)
			return col_error(r, leaf_top(r, l), l->rg, "levels missing");
		ll = (size_t)(*p)[0] | (size_t)(*p)[1] << 8 | (size_t)(*p)[2] << 16 |
		     (size_t)(*p)[3] << 24;
		*p += 4;
		*len -= 4;
	} else {
		ll = v2len;
	}
	if (ll > *len)
		return col_error(r, leaf_top(r, l), l->rg, "levels longer than the page");
	pq_rle_init(d, *p, ll, bits_for(maxlevel));
	*p += ll;
	*len -= ll;
	return 0;
}

/* The next n levels from d into out (zeros when maxlevel is 0). */
static int
next_levels(struct reader *r, struct leaf *l, struct pq_rle *d, int maxlevel, uint32_t *out,
	    size_t n)
{
	struct ic_error e;

	if (maxlevel == 0) {
		memset(out, 0, n * sizeof *out);
		return 0;
	}
	if (pq_rle_next(d, out, n, &e) != 0)
		return col_error(r, leaf_top(r, l), l->rg, "levels: %s", e.msg);
	for (size_t i = 0; i < n; i++)
		if (out[i] > (uint32_t)maxlevel)
			return col_error(r, leaf_top(r, l), l->rg, "level %u above the maximum %d",
					 out[i], maxlevel);
	return 0;
}

/* 1 when the pages and dictionaries held by all columns exceed PQ_MEM_MAX */
static int
over_budget(const struct reader *r)
{
	uint64_t total = r->cbuf_cap;

	for (int i = 0; i < r->nleaves; i++) {
		const struct leaf *l = &r->leaves[i];
		total += l->page_cap + l->dict_bytes + sizeof *l +
			 (uint64_t)l->vcap * sizeof *l->vals;
	}
	return total > PQ_MEM_MAX;
}

/* Load the next data page of l (reading a dictionary page first if one
 * comes).  Returns 0, or -1 (also when the chunk has no more pages). */
static int
next_page(struct reader *r, struct leaf *l)
{
	const char *top = leaf_top(r, l);

	for (;;) {
		struct pq_page_header h;
		size_t hlen, len, nv = 0;
		const unsigned char *p;
		int v1;

		if (l->left <= 0 || l->pos >= l->end)
			return col_error(r, top, l->rg, "fewer values than rows (truncated?)");
		if (read_page_header(r, l, &h, &hlen) != 0)
			return -1;
		l->pos += hlen;
		if (h.type == PQ_DICT_PAGE) {
			if (!h.has_body)
				return col_error(r, top, l->rg, "dictionary page without its header");
			if (load_dictionary(r, l, &h) != 0)
				return -1;
			continue;
		}
		if (h.type == PQ_INDEX_PAGE || (h.type != PQ_DATA_PAGE && h.type != PQ_DATA_PAGE_V2)) {
			if ((size_t)h.compressed_size > l->end - l->pos)
				return col_error(r, top, l->rg, "a page reaches past its chunk");
			l->pos += (size_t)h.compressed_size;
			continue;
		}
		if (!h.has_body)
			return col_error(r, top, l->rg, "data page without its header");
		if (h.num_values < 0 || (uint32_t)h.num_values > PQ_PAGE_VALUES_MAX ||
		    h.num_values > l->left)
			return col_error(r, top, l->rg, "a page of %d values (the chunk has %lld left)",
					 (int)h.num_values, (long long)l->left);
		v1 = h.type == PQ_DATA_PAGE;
		if (!v1 && (h.def_bytes < 0 || h.rep_bytes < 0))
			return col_error(r, top, l->rg, "negative level lengths");
		if (read_page_body(r, l, &h, v1 ? 0 : (size_t)h.def_bytes + (size_t)h.rep_bytes,
				   v1 ? 1 : h.is_compressed, &len) != 0)
			return -1;
		p = l->page;
		if (v1 && l->maxrep && h.rep_encoding != PQ_RLE)
			return col_error(r, top, l->rg, "unsupported repetition level encoding %d",
					 h.rep_encoding);
		if (v1 && l->maxdef && h.def_encoding != PQ_RLE)
			return col_error(r, top, l->rg, "unsupported definition level encoding %d",
					 h.def_encoding);
		if (open_levels(r, l, &p, &len, v1, (size_t)h.rep_bytes, l->maxrep, &l->rep_rd) != 0 ||
		    open_levels(r, l, &p, &len, v1, (size_t)h.def_bytes, l->maxdef, &l->def_rd) != 0)
			return -1;
		if (!v1 && (l->maxrep == 0 && h.rep_bytes > 0)) {
			p += h.rep_bytes;	/* levels present but not needed */
			len -= (size_t)h.rep_bytes;
		}
		if (!v1 && (l->maxdef == 0 && h.def_bytes > 0)) {
			p += h.def_bytes;
			len -= (size_t)h.def_bytes;
		}
		l->pn = (size_t)h.num_values;
		l->pdone = l->bn = l->bi = l->vi = 0;
		l->enc = h.encoding;
		l->vp = p;
		l->vlen = len;
		l->voff = 0;
		l->idx_ready = 0;
		l->whole = !((h.encoding == PQ_PLAIN && l->s->type != PQ_BOOLEAN) ||
			     h.encoding == PQ_PLAIN_DICT || h.encoding == PQ_RLE_DICT);
		if ((h.encoding == PQ_PLAIN_DICT || h.encoding == PQ_RLE_DICT) && !l->has_dict)
			return col_error(r, top, l->rg, "dictionary-encoded page without a dictionary");
		if (!l->whole) {
			if (grow((void **)&l->vals, &l->vcap, BATCH, sizeof *l->vals) != 0)
				return ic_errorf(r->err, "out of memory");
			if (over_budget(r))
				return col_error(r, top, l->rg,
						 "the row group's pages need more than %u MiB at once",
						 PQ_MEM_MAX >> 20);
		} else {
			/* count the page's values with a copy of its level decoder */
			struct pq_rle d = l->def_rd;
			for (size_t done = 0; done < l->pn;) {
				size_t k = l->pn - done < BATCH ? l->pn - done : BATCH;
				if (next_levels(r, l, &d, l->maxdef, l->defs, k) != 0)
					return -1;
				for (size_t i = 0; i < k; i++)
					nv += l->defs[i] == (uint32_t)l->maxdef;
				done += k;
			}
			if (decode_values(r, l, h.encoding, p, len, nv) != 0)
				return -1;
		}
		l->left -= h.num_values;
		if (l->pn > 0)
			return 0;
	}
}

/* Make l's next entry ready in its batch, loading the next batch and,
 * when the page is done, the next page. */
static int
fill(struct reader *r, struct leaf *l)
{
	size_t k, nv = 0;

	if (l->bi < l->bn)
		return 0;
	if (l->pdone >= l->pn && next_page(r, l) != 0)
		return -1;
	k = l->pn - l->pdone < BATCH ? l->pn - l->pdone : BATCH;
	if (next_levels(r, l, &l->rep_rd, l->maxrep, l->reps, k) != 0 ||
	    next_levels(r, l, &l->def_rd, l->maxdef, l->defs, k) != 0)
		return -1;
	for (size_t i = 0; i < k; i++)
		nv += l->defs[i] == (uint32_t)l->maxdef;
	if (batch_values(r, l, nv) != 0)
		return -1;
	l->pdone += k;
	l->bn = k;
	l->bi = 0;
	return 0;
}

/* The next entry of l: *def, *rep and (when defined) *v. */
static inline int
next_entry(struct reader *r, struct leaf *l, uint32_t *def, uint32_t *rep,
	   const struct pq_val **v)
{
	if (l->bi >= l->bn && fill(r, l) != 0)
		return -1;
	*def = l->defs[l->bi];
	*rep = l->reps[l->bi];
	l->bi++;
	*v = NULL;
	if (*def == (uint32_t)l->maxdef)
		*v = &l->vals[l->vi++];
	return 0;
}

/* Peek at the repetition level of the next entry (0 at the end). */
static int
peek_rep(struct reader *r, struct leaf *l, uint32_t *rep)
{
	if (l->bi >= l->bn) {
		if (l->pdone >= l->pn && l->left <= 0) {
			*rep = 0;
			return 0;
		}
		if (fill(r, l) != 0)
			return -1;
	}
	*rep = l->reps[l->bi];
	return 0;
}

/* put() when the column's text must grow: the texts of a chunk's rows
 * (all columns) stay within ROW_MAX. */
static int
put_grow(struct reader *r, const void *s, size_t n)
{
	struct textbuf *t = r->cur;
	size_t need = t->len + n + 1, cap = need > 2 * t->cap ? need + 4096 : 2 * t->cap;

	if (n >= ROW_MAX || r->text_bytes - t->cap + cap > ROW_MAX)
		return ic_errorf(r->err, "%s: row group %d: rows longer than %u MiB (%d at a time)",
				 r->src.name, r->rg, ROW_MAX >> 20, CHUNK);
	r->text_bytes -= t->cap;
	if (grow((void **)&t->p, &t->cap, cap, 1) != 0)
		return ic_errorf(r->err, "out of memory");
	r->text_bytes += t->cap;
	memcpy(t->p + t->len, s, n);
	t->len += n;
	return 0;
}

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

/* Append value v of leaf l as text; json: quote strings for JSON. */
static int
put_value(struct reader *r, struct leaf *l, const struct pq_val *v, int json, const char *top)
{
	const struct pq_schema *s = l->s;
	char buf[PQ_FMT_SIZE];
	const char *t = buf;

	switch (s->type) {
	case PQ_BOOLEAN:
		t = v->u.i ? "true" : "false";
		break;
	case PQ_INT32:
	case PQ_INT64:
		if (s->logical == PL_DECIMAL)
			pq_fmt_decimal(v->u.i, s->scale, buf);
		else if (s->logical == PL_DATE)
			t = pq_fmt_date(v->u.i, buf);
		else if (s->logical == PL_TS_MILLIS)
			t = pq_fmt_timestamp(v->u.i, 1000, buf);
		else if (s->logical == PL_TS_MICROS)
			t = pq_fmt_timestamp(v->u.i, 1000000, buf);
		else if (s->logical == PL_TS_NANOS)
			t = pq_fmt_timestamp(v->u.i, 1000000000, buf);
		else if (s->logical == PL_INT && !s->int_signed && s->type == PQ_INT32)
			snprintf(buf, sizeof buf, "%lu", (unsigned long)(uint32_t)v->u.i);
		else if (s->logical == PL_INT && !s->int_signed)
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)(uint64_t)v->u.i);
		else
			snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
		if (t == NULL)
			return col_error(r, top, l->rg, "a date or timestamp outside the years 1-9999");
		break;
	case PQ_INT96:
		if (pq_fmt_int96(v->p, buf) == NULL)
			return col_error(r, top, l->rg, "an INT96 timestamp out of range");
		break;
	case PQ_FLOAT:
	case PQ_DOUBLE:
		if (pq_fmt_double(v->u.d, buf) == NULL)
			return col_error(r, top, l->rg, "a NaN or infinite number");
		break;
	default:
		if (s->logical == PL_DECIMAL) {
			if (v->len > 16)
				return col_error(r, top, l->rg, "unsupported DECIMAL wider than 16 bytes");
			pq_fmt_decimal(pq_be_int(v->p, v->len), s->scale, buf);
			break;
		}
		if (!l->checked && text_check(r, l, v, top) != 0)
			return -1;
		if (!json)
			return put(r, v->p, v->len);
		if (put(r, "\"", 1) != 0)
			return -1;
		for (size_t i = 0; i < v->len; i++) {
			unsigned char c = v->p[i];
			char e[8];
			size_t run = 0;
			while (i + run < v->len && v->p[i + run] >= 0x20 && v->p[i + run] != '"' &&
			       v->p[i + run] != '\\')
				run++;
			if (run > 0) {	/* bytes JSON takes as they are */
				if (put(r, v->p + i, run) != 0)
					return -1;
				i += run - 1;
				continue;
			}
			if (c == '"' || c == '\\') {
				e[0] = '\\';
				e[1] = (char)c;
				if (put(r, e, 2) != 0)
					return -1;
			} else if (c < 0x20) {
				/* the short escapes where JSON has them, as JSON writers do */
				const char *sh = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
						 : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
				if (sh)
					snprintf(e, sizeof e, "%s", sh);
				else
					snprintf(e, sizeof e, "\\u%04x", c);
				if (put(r, e, strlen(e)) != 0)
					return -1;
			} else if (put(r, &v->p[i], 1) != 0) {
				return -1;
			}
		}
		return put(r, "\"", 1);
	}
	if (json && (s->logical == PL_DATE || s->logical == PL_TS_MILLIS ||
		     s->logical == PL_TS_MICROS || s->logical == PL_TS_NANOS || s->type == PQ_INT96)) {
		if (put(r, "\"", 1) != 0 || put(r, t, strlen(t)) != 0)
			return -1;
		return put(r, "\"", 1);
	}
	return put(r, t, strlen(t));
}

/* The text of output column c of the next row. */
static int
put_column(struct reader *r, const struct outcol *oc)
{
	struct leaf *k = &r->leaves[oc->key];
	uint32_t def, rep, vdef, vrep;
	const struct pq_val *v, *vv;
	int n = 0;

	if (next_entry(r, k, &def, &rep, &v) != 0)
		return -1;
	if (rep != 0)
		return col_error(r, oc->name, k->rg, "a row starts inside a repeated value");
	if (oc->val < 0)
		return v ? put_value(r, k, v, 0, oc->name) : 0;
	/* a MAP: entries until the next row starts */
	for (;;) {
		struct leaf *vl = &r->leaves[oc->val];
		if (next_entry(r, vl, &vdef, &vrep, &vv) != 0)
			return -1;
		if (vrep != rep || (def > (uint32_t)oc->map_def) != (vdef > (uint32_t)oc->map_def))
			return col_error(r, oc->name, k->rg, "map keys and values do not line up");
		if (def < (uint32_t)oc->map_def)
			return 0;	/* a NULL map: an empty field */
		if (n == 0 && put(r, "{", 1) != 0)
			return -1;
		if (def > (uint32_t)oc->map_def) {
			if (v == NULL)
				return col_error(r, oc->name, k->rg, "a map entry without a key");
			if ((n > 0 && put(r, ",", 1) != 0) || put_value(r, k, v, 1, oc->name) != 0 ||
			    put(r, ":", 1) != 0)
				return -1;
			if (vv ? put_value(r, vl, vv, 1, oc->name) : put(r, "null", 4))
				return -1;
			if (k->s->type != PQ_BYTE_ARRAY && k->s->type != PQ_FIXED)
				return col_error(r, oc->name, k->rg, "unsupported map key type (not a string)");
		}
		n++;
		if (peek_rep(r, k, &rep) != 0)
			return -1;
		if (rep == 0)
			break;
		if (next_entry(r, k, &def, &rep, &v) != 0)
			return -1;
	}
	return put(r, "}", 1);
}

static void
leaves_free(struct reader *r)
{
	for (int i = 0; i < r->nleaves; i++) {
		struct leaf *l = &r->leaves[i];
		free(l->dictbuf);
		free(l->dict);
		free(l->dict_ok);
		free(l->page);
		free(l->vals);
		free(l->extra);
	}
	free(r->leaves);
	free(r->cols);
	for (int c = 0; r->text && c < r->ncols; c++)
		free(r->text[c].p);
	free(r->text);
	free(r->cbuf);
	free(r->offs);
	free(r->f);
	pq_meta_free(&r->m);
}

/* Hand out row i (of k in the chunk) of the columns' texts. */
static int
emit(struct reader *r, size_t i, size_t k, long line, csv_record_fn fn, void *ctx)
{
	struct csv_record rec;

	for (int c = 0; c < r->ncols; c++) {
		const size_t *o = r->offs + (size_t)c * CHUNK;
		size_t end = i + 1 < k ? o[i + 1] : r->text[c].len;
		r->f[c].s = r->text[c].p + o[i];
		r->f[c].len = end - 1 - o[i];
	}
	rec.f = r->f;
	rec.n = r->ncols;
	rec.line = line;
	rec.last = 0;
	return fn(ctx, &rec, r->err);
}

/* The text of column c for the k rows of a chunk, into r->text[c]. */
static int
column_text(struct reader *r, int c, size_t k)
{
	struct textbuf *t = &r->text[c];
	size_t *o = r->offs + (size_t)c * CHUNK;

	t->len = 0;
	r->cur = t;
	for (size_t i = 0; i < k; i++) {
		o[i] = t->len;
		if (put_column(r, &r->cols[c]) != 0 || put(r, "", 1) != 0)
			return -1;
	}
	return 0;
}

static int
start_rowgroup(struct reader *r, int g)
{
	const struct pq_rowgroup *rg = &r->m.rgs[g];

	if (rg->nchunks != r->nleaves)
		return ic_errorf(r->err, "%s: row group %d has %d column chunks for %d columns",
				 r->src.name, g + 1, rg->nchunks, r->nleaves);
	if (rg->num_rows < 0)
		return ic_errorf(r->err, "%s: row group %d: negative row count", r->src.name, g + 1);
	for (int i = 0; i < r->nleaves; i++) {
		struct leaf *l = &r->leaves[i];
		const struct pq_chunk *c = &rg->chunks[i];
		int64_t start = c->data_page_offset;
		const char *top = leaf_top(r, l);
		if (!c->has_meta)
			return col_error(r, top, g + 1, "unsupported: column metadata in another file");
		if (c->type != l->s->type)
			return col_error(r, top, g + 1, "the chunk's type differs from the schema's");
		if (c->dict_page_offset > 0 && c->dict_page_offset < start)
			start = c->dict_page_offset;
		if (start < 4 || c->total_compressed < 0 || c->num_values < 0 ||
		    (uint64_t)start > r->src.size ||
		    (uint64_t)c->total_compressed > r->src.size - (uint64_t)start)
			return col_error(r, top, g + 1, "the column chunk lies outside the file");
		l->pos = (uint64_t)start;
		l->end = (uint64_t)start + (uint64_t)c->total_compressed;
		l->codec = c->codec;
		l->left = c->num_values;
		l->rg = g + 1;
		l->pn = l->pdone = l->bn = l->bi = l->vi = 0;
		l->has_dict = 0;
		l->ndict = 0;
	}
	return 0;
}

static int
read_file(struct reader *r, csv_record_fn fn, void *ctx)
{
	unsigned char tail[8], head[4];
	uint32_t flen;
	unsigned char *footer;
	struct ic_error e;
	long line = 1;

	if (r->src.size < 12)
		return ic_errorf(r->err, "%s: truncated Parquet file (%llu bytes)", r->src.name,
				 (unsigned long long)r->src.size);
	if (src_read(r, 0, 4, head) != 0 || src_read(r, r->src.size - 8, 8, tail) != 0)
		return -1;
	if (memcmp(head, "PAR1", 4) != 0)
		return ic_errorf(r->err, "%s: not a Parquet file", r->src.name);
	if (memcmp(tail + 4, "PAR1", 4) != 0)
		return ic_errorf(r->err, "%s: %s", r->src.name, memcmp(tail + 4, "PARE", 4) == 0
				 ? "unsupported encrypted Parquet file"
				 : "truncated Parquet file (no PAR1 at its end)");
	flen = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
	       (uint32_t)tail[3] << 24;
	if (flen > FOOTER_MAX || flen > r->src.size - 12)
		return ic_errorf(r->err, "%s: corrupt Parquet footer length %u", r->src.name, flen);
	footer = malloc(flen ? flen : 1);
	if (footer == NULL)
		return ic_errorf(r->err, "out of memory");
	if (src_read(r, r->src.size - 8 - flen, flen, footer) != 0) {
		free(footer);
		return -1;
	}
	if (pq_meta_parse(footer, flen, &r->m, &e) != 0) {
		free(footer);
		return ic_errorf(r->err, "%s: Parquet footer: %s", r->src.name, e.msg);
	}
	free(footer);
	if (build_columns(r) != 0)
		return -1;
	/* the header */
	for (int c = 0; c < r->ncols; c++) {
		r->cur = &r->text[c];
		r->cur->len = r->offs[(size_t)c * CHUNK] = 0;
		if (put(r, r->cols[c].name, strlen(r->cols[c].name)) != 0 || put(r, "", 1) != 0)
			return -1;
	}
	if (emit(r, 0, 1, line++, fn, ctx) != 0)
		return -1;
	for (int g = 0; g < r->m.nrgs; g++) {
		r->rg = g + 1;
		if (start_rowgroup(r, g) != 0)
			return -1;
		for (int64_t row = 0; row < r->m.rgs[g].num_rows; row += CHUNK) {
			size_t k = r->m.rgs[g].num_rows - row < CHUNK ?
				   (size_t)(r->m.rgs[g].num_rows - row) : CHUNK;
			for (int c = 0; c < r->ncols; c++)
				if (column_text(r, c, k) != 0)
					return -1;
			for (size_t i = 0; i < k; i++)
				if (emit(r, i, k, line++, fn, ctx) != 0)
					return -1;
		}
		for (int i = 0; i < r->nleaves; i++) {
			struct leaf *l = &r->leaves[i];
			if (l->bi < l->bn || l->pdone < l->pn || l->left > 0)
				return col_error(r, leaf_top(r, l), g + 1,
						 "more values than the row group's %lld rows",
						 (long long)r->m.rgs[g].num_rows);
		}
	}
	return 0;
}

int
parquet_read_mem(const char *name, const unsigned char *buf, size_t len, csv_record_fn fn,
		 void *ctx, struct ic_error *err)
{
	struct reader r;
	int ret;

	memset(&r, 0, sizeof r);
	r.src.name = name;
	r.src.fd = -1;
	r.src.mem = buf;
	r.src.size = len;
	r.err = err;
	ret = read_file(&r, fn, ctx);
	leaves_free(&r);
	return ret;
}

int
parquet_read_all(struct input *in, csv_record_fn fn, void *ctx, struct ic_error *err)
{
	struct reader r;
	unsigned char buf[65536];
	int ret;

	if (in->gz)
		return ic_errorf(err, "%s: a gzip-compressed Parquet file: decompress it first "
				 "(Parquet compresses its own pages)", in->name);
	if (in->fd == 0 || in->size == 0)
		return ic_errorf(err, "%s: Parquet is read from a file, not from a pipe or stdin",
				 in->name);
	memset(&r, 0, sizeof r);
	r.src.name = in->name;
	r.src.fd = in->fd;
	r.src.size = in->size;
	r.err = err;
	ret = read_file(&r, fn, ctx);
	leaves_free(&r);
	if (ret != 0)
		return ret;
	/* read the whole file through `in` for its SHA-256 */
	for (;;) {
		ssize_t n = input_read(in, buf, sizeof buf, err);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
	}
	return 0;
}
