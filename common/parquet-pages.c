/*
 * parquet-pages.c - pages to values (parquet-int.h): a column chunk's
 * page headers, decompressed bodies, dictionary, repetition and
 * definition levels, and values decoded BATCH entries at a time, their
 * text checked as UTF-8.  Split from parquet.c.
 */
#include <stdlib.h>
#include <string.h>

#include "common/parquet-int.h"
#include "common/utf8.h"

static int
bits_for(int v)
{
	int b = 0;

	while (v >> b)
		b++;
	return b;
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
int
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
int
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
