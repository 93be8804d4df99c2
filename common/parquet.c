/*
 * parquet.c - the Parquet reader (see parquet.h): the footer, the
 * schema's leaves to output columns, row groups, and the read loop.
 * Pages to values are in parquet-pages.c, values to text records in
 * parquet-text.c (parquet-int.h between them).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/parquet-int.h"
#include "common/utf8.h"

int
parquet_magic(const unsigned char *p, size_t n)
{
	return n >= 4 && memcmp(p, "PAR1", 4) == 0;
}

int
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
int
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

const char *
leaf_top(struct reader *r, const struct leaf *l)
{
	for (int c = 0; c < r->ncols; c++)
		if (&r->leaves[r->cols[c].key] == l ||
		    (r->cols[c].val >= 0 && &r->leaves[r->cols[c].val] == l))
			return r->cols[c].name;
	return "?";
}

int
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
