/*
 * parquet-text.c - values to text records (parquet-int.h): each output
 * column's values for a chunk of rows written as text (numbers, dates,
 * JSON for maps and lists), then handed out row by row as CSV-like
 * records.  Split from parquet.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parquet-int.h"

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
int
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

/* Hand out row i (of k in the chunk) of the columns' texts. */
int
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
int
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
