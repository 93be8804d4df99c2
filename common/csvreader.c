/*
 * csvreader.c - libcsv driven from struct input (see csvreader.h).
 *
 * libcsv reports fields and record ends through callbacks.  With
 * CSV_REPALL_NL it also reports newlines outside records, which is how
 * lines are counted: one per '\n' outside a record plus the '\n' bytes
 * inside quoted fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>

#include "common/csvreader.h"

#define READ_SIZE (1024 * 1024)

struct reader {
	struct input *in;
	csv_record_fn fn;
	void *ctx;
	struct ic_error *err;
	int failed;

	char *buf;		/* field bytes, each followed by NUL */
	size_t buf_len, buf_cap;
	size_t *off;		/* start of field i in buf */
	size_t *len;
	int nf, nf_cap;
	struct csv_field *fields;
	int fields_cap;

	long line;		/* line the parser is on */
	long rec_line;		/* line the current record started on */
	long nl_in_rec;		/* newlines inside quoted fields of this record */
};

/* Length of a valid UTF-8 sequence at p (max bytes left n), or 0. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (need > n)
		return 0;
	if (c == 0xe0) lo = 0xa0;
	else if (c == 0xed) hi = 0x9f;
	else if (c == 0xf0) lo = 0x90;
	else if (c == 0xf4) hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need;
}

/* 0 when valid; else the 1-based byte offset of the first bad byte. */
static size_t
check_bytes(const unsigned char *p, size_t n, int *is_nul)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;

	while (i < n) {
		/* fast path: 8 ASCII bytes without NUL at a time */
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			if ((v & highs) || ((v - ones) & ~v & highs))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			if (p[i] == 0) {
				*is_nul = 1;
				return i + 1;
			}
			i++;
			continue;
		}
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0) {
			*is_nul = 0;
			return i + 1;
		}
		i += k;
	}
	return 0;
}

static void
on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;
	int is_nul = 0;
	size_t bad;

	if (r->failed)
		return;
	if (r->nf == 0)
		r->rec_line = r->line;
	bad = check_bytes(s, n, &is_nul);
	if (bad) {
		long line = r->rec_line + r->nl_in_rec;
		for (size_t i = 0; i + 1 < bad; i++)
			if (((const char *)s)[i] == '\n')
				line++;
		ic_error_at(r->err, r->in->name, line, r->nf + 1,
			    is_nul ? "NUL byte in field (binary data?)"
				   : "invalid UTF-8 byte 0x%02x in field (convert the file to UTF-8)",
			    ((const unsigned char *)s)[bad - 1]);
		r->failed = 1;
		return;
	}
	for (const char *q = s, *e = q + n; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
		r->nl_in_rec++;
	if (r->nf == r->nf_cap) {
		int cap = r->nf_cap ? r->nf_cap * 2 : 64;
		size_t *o = realloc(r->off, (size_t)cap * sizeof *o);
		size_t *l = o ? realloc(r->len, (size_t)cap * sizeof *l) : NULL;
		if (o) r->off = o;
		if (l == NULL) {
			ic_errorf(r->err, "out of memory");
			r->failed = 1;
			return;
		}
		r->len = l;
		r->nf_cap = cap;
	}
	if (r->buf_len + n + 1 > r->buf_cap) {
		size_t cap = r->buf_cap ? r->buf_cap : 4096;
		while (cap < r->buf_len + n + 1)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (b == NULL) {
			ic_errorf(r->err, "out of memory");
			r->failed = 1;
			return;
		}
		r->buf = b;
		r->buf_cap = cap;
	}
	r->off[r->nf] = r->buf_len;
	r->len[r->nf] = n;
	if (n)
		memcpy(r->buf + r->buf_len, s, n);
	r->buf[r->buf_len + n] = '\0';
	r->buf_len += n + 1;
	r->nf++;
}

static void
on_row(int c, void *data)
{
	struct reader *r = data;
	struct csv_record rec;

	if (r->failed)
		return;
	if (r->nf == 0) {
		/* a newline outside any record (blank line, or LF of a CRLF) */
		if (c == '\n')
			r->line++;
		return;
	}
	if (r->nf > r->fields_cap) {
		int cap = r->nf_cap;
		struct csv_field *f = realloc(r->fields, (size_t)cap * sizeof *f);
		if (f == NULL) {
			ic_errorf(r->err, "out of memory");
			r->failed = 1;
			return;
		}
		r->fields = f;
		r->fields_cap = cap;
	}
	for (int i = 0; i < r->nf; i++) {
		r->fields[i].s = r->buf + r->off[i];
		r->fields[i].len = r->len[i];
	}
	rec.f = r->fields;
	rec.n = r->nf;
	rec.line = r->rec_line;
	rec.last = c == -1;
	if (r->fn(r->ctx, &rec, r->err) != 0)
		r->failed = 1;
	r->line += r->nl_in_rec + (c == '\n');
	r->nl_in_rec = 0;
	r->nf = 0;
	r->buf_len = 0;
}

/* libcsv grows its field buffer through this; refusing is how a huge
 * field is caught before it eats memory. */
static void *
bounded_realloc(void *p, size_t n)
{
	if (n > CSV_FIELD_MAX + 4096)
		return NULL;
	return realloc(p, n);
}

static int
parse_error(struct reader *r, struct csv_parser *p)
{
	int e = csv_error(p);

	if (r->failed)
		return -1;
	if (r->nf == 0)
		r->rec_line = r->line;
	if (e == CSV_ENOMEM)
		return ic_error_at(r->err, r->in->name, r->rec_line + r->nl_in_rec, r->nf + 1,
				   "field longer than %d bytes (not a billing file?)", CSV_FIELD_MAX);
	return ic_error_at(r->err, r->in->name, r->rec_line + r->nl_in_rec, r->nf + 1,
			   "malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
}

int
csv_read_all(struct input *in, csv_record_fn fn, void *ctx, struct ic_error *err)
{
	struct reader r;
	struct csv_parser p;
	char *chunk;
	int first = 1, rc = -1;

	memset(&r, 0, sizeof r);
	r.in = in;
	r.fn = fn;
	r.ctx = ctx;
	r.err = err;
	r.line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		return ic_errorf(err, "out of memory");
	csv_set_realloc_func(&p, bounded_realloc);
	csv_set_blk_size(&p, 4096);
	chunk = malloc(READ_SIZE);
	if (chunk == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t n = input_read(in, chunk, READ_SIZE, err);
		const char *s = chunk;

		if (n < 0)
			goto out;
		if (n == 0)
			break;
		if (first) {
			first = 0;
			if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
				s += 3;
				n -= 3;
			}
		}
		if (csv_parse(&p, s, (size_t)n, on_field, on_row, &r) != (size_t)n) {
			parse_error(&r, &p);
			goto out;
		}
		if (r.failed)
			goto out;
	}
	if (csv_fini(&p, on_field, on_row, &r) != 0) {
		if (!r.failed)
			ic_error_at(err, in->name, r.nf ? r.rec_line : r.line, r.nf + 1,
				    "unterminated quoted field (the file ends inside quotes)");
		goto out;
	}
	if (r.failed)
		goto out;
	rc = 0;
out:
	csv_free(&p);
	free(chunk);
	free(r.buf);
	free(r.off);
	free(r.len);
	free(r.fields);
	return rc;
}
