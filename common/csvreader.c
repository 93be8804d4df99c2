/*
 * csvreader.c - a CSV reader built for billing exports (see csvreader.h).
 *
 * RFC 4180 with the habits of real exports: LF or CRLF line ends, a UTF-8
 * BOM, blank lines, quoted fields holding commas, doubled quotes and line
 * breaks.  A quote inside an unquoted field, or text after a closing
 * quote, is an error, as are NUL bytes, invalid UTF-8 and fields longer
 * than CSV_FIELD_MAX.  Fields are split and unquoted in place in large
 * buffers, so an unquoted field is never copied.
 *
 * Each record is read in one pass over 64-byte blocks (fast_record, in
 * csvreader-fast.c; csvreader-int.h is what the two files share): a
 * block becomes four 64-bit masks, one bit a byte, of its commas, quotes,
 * LFs and the bytes that need the UTF-8 check (NUL and bytes >= 0x80),
 * with AVX2 where the CPU has it (chosen at run time), SSE2 on any other
 * x86-64, and 8 bytes at a time in a uint64_t elsewhere.  A block is read
 * from the buffer only when the data holds all 64 bytes; the last bytes
 * of the data are copied into a block of their own first, so the buffer
 * needs no padding.  The comma bits are walked with ctz, so a field costs
 * a few instructions whatever its length; a quote, a line end or a byte to
 * check stops the walk.  Quoted fields (doubled quotes and line breaks
 * too) take this path as well.
 * The pass NUL-terminates each field as it finds it, and puts the commas
 * and quotes back when it gives up a record: one it does not take in
 * whole (an error, a blank line, a doubled quote in a field spanning
 * lines, a record not all in the buffer yet) is read again, as it was, by
 * the careful path of before: first the end of the record (the first LF
 * outside quotes, found with memchr; record_end), then its fields, one at
 * a time (split), which also says what is wrong with it, at its line and
 * column.  So every error is the careful path's, and the pass takes only
 * records that path would read the same way.
 *
 * (imcost used libcsv here first; profiling a CUR import showed its
 * per-byte callbacks at a quarter of the run time.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvreader.h"
#include "common/csvreader-int.h"
#include "common/utf8.h"

#define READ_SIZE (1024 * 1024)
/* A record may be larger than a field (many columns), but not unbounded. */
#define RECORD_MAX (64 * 1024 * 1024)

/* A run of more blank lines than this is refused where it starts, so a
 * file of nothing but newlines is not read for minutes (no export has
 * more than a few). */
#define BLANK_RUN_MAX 100000

/*
 * Does the record at buf[pos..len) end its first line with a CR that no
 * LF follows (an old spreadsheet export's CR-only line endings, which
 * this reader does not split on), with nothing but text before it?
 * *col gets the field number (1-based, quotes ignored) of that CR.  Only asked on the error paths of the
 * first record, never per row.
 */
static int
cr_only(const struct reader *r, long *col)
{
	const char *b = r->buf + r->pos, *e = r->buf + r->len;

	*col = 1;
	for (const char *p = b; p < e; p++) {
		if (*p == '\n')
			return 0;
		if (*p == ',')
			(*col)++;
		if (*p == '\r') {
			int nul;
			/* binary garbage keeps its own error (NUL, bad UTF-8) */
			return p + 1 < e && p[1] != '\n' &&
			       check_bytes((const unsigned char *)b, (size_t)(p - b), &nul) == 0;
		}
	}
	return 0;
}

#define CR_ONLY_MSG "CR-only line endings (an old spreadsheet export?): convert them to LF" \
	" first, e.g. tr '\\r' '\\n' < FILE"

/* Replace the error of the first record by what it really is, when the
 * file has CR-only line endings.  Returns -1. */
static int
cr_only_error(struct reader *r)
{
	long col;

	/* split() has named the CR itself, on a buffer it has since changed */
	if (strstr(r->err->msg, "carriage return") != NULL || strstr(r->err->msg, "CR-only") != NULL)
		return -1;
	if (r->line == 1 && cr_only(r, &col))
		ic_error_at(r->err, r->in->name, 1, col, CR_ONLY_MSG);
	return -1;
}

enum { SC_START, SC_UNQUOTED, SC_QUOTED, SC_QUOTE_IN_QUOTED };

/* 0 when valid; else the 1-based byte offset of the first bad byte. */
size_t
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

static long
count_nl(const char *s, size_t n)
{
	long k = 0;

	for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
		k++;
	return k;
}

/* Read more input after the unconsumed data; returns bytes read, 0 at the
 * end, -1 on error. */
static ssize_t
refill(struct reader *r)
{
	ssize_t got;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < READ_SIZE / 2) {
		size_t cap = r->cap * 2;
		char *b;
		/* long_record refuses a record past RECORD_MAX before this */
		if (cap > RECORD_MAX + 2 * READ_SIZE)
			cap = RECORD_MAX + 2 * READ_SIZE;
		if (cap <= r->cap)
			return ic_error_at(r->err, r->in->name, r->line + r->sc_nl, r->sc_field + 1,
					   "record longer than %d MiB (not a billing file?)",
					   RECORD_MAX >> 20);
		b = realloc(r->buf, cap + 1);
		if (b == NULL)
			return ic_errorf(r->err, "out of memory");
		r->buf = b;
		r->cap = cap;
	}
	got = input_read(r->in, r->buf + r->len, r->cap - r->len, r->err);
	if (got < 0) {
		/* say where in the file the stream broke */
		char msg[IC_ERRMSG_MAX];
		size_t n = strlen(r->in->name);
		const char *m = r->err->msg;
		if (strncmp(m, r->in->name, n) == 0 && m[n] == ':' && m[n + 1] == ' ')
			m += n + 2;
		snprintf(msg, sizeof msg, "%s", m);
		return ic_error_at(r->err, r->in->name, r->line, 0, "%s", msg);
	}
	if (got == 0)
		r->eof = 1;
	r->len += (size_t)got;
	return got;
}

/*
 * Find the end of the record starting at buf[pos]: *end = index of its LF
 * (or len at the end of the data).  Returns 1 when found, 0 when more data
 * is needed, -1 when the data ends inside quotes.
 */
static int
record_end(const struct reader *r, size_t *end)
{
	const char *b = r->buf, *p = b + r->pos, *e = b + r->len;

	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *q = memchr(p, '"', (size_t)((nl ? nl : e) - p));

		if (q == NULL) {
			if (nl) {
				*end = (size_t)(nl - b);
				return 1;
			}
			if (r->eof) {
				*end = r->len;
				return 1;
			}
			return 0;
		}
		/* a quote that does not open a field is data (split() refuses it) */
		if (q != b + r->pos && q[-1] != ',') {
			p = q + 1;
			continue;
		}
		/* inside quotes: skip to the closing quote ("" stays inside) */
		p = q + 1;
		for (;;) {
			const char *c = memchr(p, '"', (size_t)(e - p));
			if (c == NULL)
				return r->eof ? -1 : 0;
			if (c + 1 < e && c[1] == '"') {
				p = c + 2;
				continue;
			}
			if (c + 1 == e && !r->eof)
				return 0;	/* "" may straddle the buffer end */
			p = c + 1;
			break;
		}
	}
}

static int
add_field(struct reader *r, int nf, char *s, size_t len)
{
	if (nf == CSV_FIELDS_MAX)
		return -2;
	if (nf == r->nf_cap) {
		int cap = r->nf_cap ? r->nf_cap * 2 : 256;
		struct csv_field *f = realloc(r->f, (size_t)cap * sizeof *f);
		if (f == NULL)
			return ic_errorf(r->err, "out of memory");
		r->f = f;
		r->nf_cap = cap;
	}
	s[len] = '\0';
	r->f[nf].s = s;
	r->f[nf].len = len;
	return 0;
}

/* Bytes an unquoted field's scan stops at: the comma ends it, a quote is
 * an error, NUL and non-ASCII bytes need the UTF-8 check, and a carriage
 * return there is an error (split() has taken off the one before the
 * record's LF: any other is a CR that no LF follows, which RFC 4180 does
 * not allow outside quotes, and which libcsv would read as a line end). */
#define K_COMMA 1
#define K_QUOTE 2
#define K_CHECK 4
#define K_CR 8
static const unsigned char byte_kind[256] = {
	[0] = K_CHECK, [','] = K_COMMA, ['"'] = K_QUOTE, ['\r'] = K_CR,
#define K16(b) [b] = K_CHECK, [b + 1] = K_CHECK, [b + 2] = K_CHECK, [b + 3] = K_CHECK, \
	[b + 4] = K_CHECK, [b + 5] = K_CHECK, [b + 6] = K_CHECK, [b + 7] = K_CHECK, \
	[b + 8] = K_CHECK, [b + 9] = K_CHECK, [b + 10] = K_CHECK, [b + 11] = K_CHECK, \
	[b + 12] = K_CHECK, [b + 13] = K_CHECK, [b + 14] = K_CHECK, [b + 15] = K_CHECK
	K16(0x80), K16(0x90), K16(0xa0), K16(0xb0), K16(0xc0), K16(0xd0), K16(0xe0), K16(0xf0)
#undef K16
};

/* Split buf[start..end) into fields, in place.  buf[end] may be
 * overwritten (it is the record's LF, or the byte after the data).
 * *nl_out: the line breaks in the record.  They are counted as the
 * quoted fields are read (only those hold any), since unescaping in place
 * leaves stale bytes behind: counting the buffer afterwards, or before an
 * error, would count a line break twice after a doubled quote. */
static int
split(struct reader *r, size_t start, size_t end, long line, int *nf_out, long *nl_out)
{
	char *p = r->buf + start, *e = r->buf + end;
	int nf = 0;
	long nl = 0;		/* line breaks before the field being read */
	/* no LF ends the file's first record: a bare CR in it is a CR-only file */
	int no_lf = line == 1 && !(end < r->len && r->buf[end] == '\n');

	if (e > p && e[-1] == '\r')
		e--;
#ifdef __SSE2__
	const __m128i sse_comma = _mm_set1_epi8(','), sse_quote = _mm_set1_epi8('"');
	const __m128i sse_cr = _mm_set1_epi8('\r');
#endif

	*e = ',';	/* stops the scan of the last unquoted field */
	for (;;) {
		char *s = p;
		size_t len;
		int quoted = 1, check = 0;
		long fnl = 0;	/* line breaks in this field */

		if (p < e && *p == '"') {
			/* quoted: unescape in place */
			char *w = ++p;
			s = w;
			for (;;) {
				if (p >= e)
					return ic_error_at(r->err, r->in->name, line + nl + fnl,
							   nf + 1, "unterminated quoted field");
				if (*p == '"') {
					if (p + 1 < e && p[1] == '"') {
						*w++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				fnl += *p == '\n';
				*w++ = *p++;
			}
			len = (size_t)(w - s);
			if (p < e && *p == '\r' && no_lf && nl + fnl == 0)
				return ic_error_at(r->err, r->in->name, 1, nf + 1, CR_ONLY_MSG);
			if (p < e && *p == '\r')
				return ic_error_at(r->err, r->in->name, line + nl + fnl, nf + 1,
						   "a carriage return that no line feed follows, after a"
						   " closing quote (convert CR line endings to LF)");
			if (p < e && *p != ',')
				return ic_error_at(r->err, r->in->name, line + nl + fnl,
						   nf + 1, "malformed quoting: text after a closing quote");
		} else {
			unsigned char k;

			quoted = 0;
			for (;;) {
				/* 8 bytes at a time while the word ends at e or
				 * before: the lowest flagged byte is exactly the
				 * first comma, quote, NUL or non-ASCII byte */
#ifdef __SSE2__
				/* 16 bytes at a time first, the same test */
				while (p + 15 <= e) {
					__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
					__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sse_comma),
									      _mm_cmpeq_epi8(v, sse_quote)),
								 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
											   _mm_cmpeq_epi8(v, sse_cr)), v));
					unsigned bits = (unsigned)_mm_movemask_epi8(m);
					if (bits) {
						p += __builtin_ctz(bits);
						goto classify;
					}
					p += 16;
				}
#endif
				while (p + 7 <= e) {
					uint64_t v, c, q, cr, m;
					memcpy(&v, p, 8);
					c = v ^ 0x2c2c2c2c2c2c2c2cULL;
					q = v ^ 0x2222222222222222ULL;
					cr = v ^ 0x0d0d0d0d0d0d0d0dULL;
					m = ((c - ONES) & ~c) | ((q - ONES) & ~q) | ((v - ONES) & ~v) | v |
					    ((cr - ONES) & ~cr);
					m &= HIGHS;
					if (m) {
						p += __builtin_ctzll(m) >> 3;
						break;
					}
					p += 8;
				}
#ifdef __SSE2__
classify:
#endif
				while ((k = byte_kind[(unsigned char)*p]) == 0)
					p++;
				if (k == K_CHECK) {
					check = 1;
					p++;
					continue;
				}
				if (k == K_QUOTE)
					return ic_error_at(r->err, r->in->name, line + nl, nf + 1,
							   "malformed quoting: a quote inside an unquoted field");
				if (k == K_CR && no_lf && nl == 0)
					return ic_error_at(r->err, r->in->name, 1, nf + 1, CR_ONLY_MSG);
				if (k == K_CR)
					return ic_error_at(r->err, r->in->name, line + nl, nf + 1,
							   "a carriage return that no line feed follows, outside quotes"
							   " (quote the field, or convert CR line endings to LF)");
				break;	/* a comma, or the end */
			}
			len = (size_t)(p - s);
		}
		if (len > CSV_FIELD_MAX)
			return ic_error_at(r->err, r->in->name, line + nl, nf + 1,
					   "field longer than %d bytes (not a billing file?)", CSV_FIELD_MAX);
		if (quoted || check) {
			int is_nul = 0;
			size_t bad = check_bytes((const unsigned char *)s, len, &is_nul);
			if (bad)
				return ic_error_at(r->err, r->in->name, line + nl + count_nl(s, bad - 1), nf + 1,
						   is_nul ? "NUL byte in field (binary data?)"
							  : "invalid UTF-8 byte 0x%02x in field (convert the file to UTF-8)",
						   (unsigned char)s[bad - 1]);
		}
		/* the terminator of s is overwritten only now: p is past it */
		switch (add_field(r, nf, s, len)) {
		case 0:
			break;
		case -2:
			return ic_error_at(r->err, r->in->name, line + nl, nf + 1,
					   "more than %d fields in one record (not a billing file?)",
					   CSV_FIELDS_MAX);
		default:
			return -1;
		}
		nl += fnl;
		nf++;
		if (p >= e)
			break;
		p++;	/* the comma */
	}
	*nf_out = nf;
	*nl_out = nl;
	return 0;
}

static void
scan_reset(struct reader *r)
{
	r->sc_off = 0;
	r->sc_flen = 0;
	r->sc_field = 0;
	r->sc_nl = 0;
	r->sc_nl_all = 0;
	r->sc_state = SC_START;
}

/*
 * A record that does not end within the buffer: before reading more of
 * it, look at what came since the last look, the way record_end and split
 * do, and refuse it as soon as a field is longer than CSV_FIELD_MAX, it
 * has more than CSV_FIELDS_MAX fields, or it is longer than RECORD_MAX, at
 * the line and column of the field where that happens.  So a 100 MB field
 * is refused after its first MiB, in a buffer of a few MiB.  Returns 0, or
 * -1 with the error set.
 */
static int
long_record(struct reader *r)
{
	const char *b = r->buf + r->pos;
	size_t n = r->len - r->pos, i = r->sc_off;
	size_t lim = n < RECORD_MAX ? n : RECORD_MAX;	/* where a record passes it, exactly */

	for (; i < lim; i++) {
		char c = b[i];

		switch (r->sc_state) {
		case SC_START:
			if (c == '"') {
				r->sc_state = SC_QUOTED;
				continue;
			}
			r->sc_state = SC_UNQUOTED;
			/* fall through */
		case SC_UNQUOTED:
			if (c == ',')
				break;
			if (c == '\n')	/* not reached: record_end would have ended the record */
				r->sc_nl_all++;
			r->sc_flen++;
			continue;
		case SC_QUOTE_IN_QUOTED:
			if (c == '"') {		/* "" inside quotes: one quote */
				r->sc_state = SC_QUOTED;
				r->sc_flen++;
				continue;
			}
			if (c == ',')
				break;
			r->sc_state = SC_UNQUOTED;	/* text after the closing quote (split refuses it) */
			r->sc_flen++;
			continue;
		case SC_QUOTED:
			if (c == '"') {
				r->sc_state = SC_QUOTE_IN_QUOTED;
				continue;
			}
			if (c == '\n')
				r->sc_nl_all++;
			r->sc_flen++;
			continue;
		}
		/* a comma ends the field */
		if (r->sc_flen > CSV_FIELD_MAX)
			break;
		r->sc_field++;
		r->sc_flen = 0;
		r->sc_nl = r->sc_nl_all;
		r->sc_state = SC_START;
		if (r->sc_field >= CSV_FIELDS_MAX)
			return ic_error_at(r->err, r->in->name, r->line + r->sc_nl, r->sc_field + 1,
					   "more than %d fields in one record (not a billing file?)",
					   CSV_FIELDS_MAX);
	}
	r->sc_off = i;
	if (r->sc_flen > CSV_FIELD_MAX)
		return ic_error_at(r->err, r->in->name, r->line + r->sc_nl, r->sc_field + 1,
				   "field longer than %d bytes (not a billing file?)", CSV_FIELD_MAX);
	if (n > RECORD_MAX)
		return ic_error_at(r->err, r->in->name, r->line + r->sc_nl, r->sc_field + 1,
				   "record longer than %d MiB (not a billing file?)", RECORD_MAX >> 20);
	return 0;
}

/* Where the quote that never closes opens: line and field number, for a
 * record starting at buf[pos] that runs to the end of the data. */
static void
open_quote(const struct reader *r, long *line, long *col)
{
	const char *p = r->buf + r->pos, *e = r->buf + r->len;
	long l = r->line, field = 1;
	int at_start = 1;

	*line = l;
	*col = 1;
	while (p < e) {
		char c = *p++;
		if (c == '"' && at_start) {
			*line = l;
			*col = field;
			/* skip the quoted part */
			while (p < e) {
				if (*p == '"') {
					if (p + 1 < e && p[1] == '"') {
						p += 2;
						continue;
					}
					break;
				}
				if (*p == '\n')
					l++;
				p++;
			}
			if (p >= e)
				return;
			p++;
			at_start = 0;
			continue;
		}
		at_start = c == ',' || c == '\n';
		if (c == ',')
			field++;
		else if (c == '\n') {
			l++;
			field = 1;
		}
	}
}

/* Hand the record at buf[pos..end) (nf fields in r->f, nl line breaks)
 * to fn and move past it.  Returns fn's status. */
static int
deliver(struct reader *r, int nf, long nl, size_t end, csv_record_fn fn, void *ctx)
{
	struct csv_record rec;

	rec.f = r->f;
	rec.n = nf;
	rec.line = r->line;
	rec.last = end >= r->len;
	if (fn(ctx, &rec, r->err) != 0)
		return -1;
	r->line += nl + 1;
	r->pos = end + 1;
	scan_reset(r);
	return 0;
}

int
csv_read_all(struct input *in, csv_record_fn fn, void *ctx, struct ic_error *err)
{
	struct reader r;
	int first = 1, rc = -1;
	int (*fast)(struct reader *, size_t *, int *, long *) = fast_record;

	memset(&r, 0, sizeof r);
	r.in = in;
	r.err = err;
	r.line = 1;
	r.cap = 2 * READ_SIZE;
	r.buf = malloc(r.cap + 1);
	if (r.buf == NULL)
		return ic_errorf(err, "out of memory");
#ifdef CSV_AVX2
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
	    __builtin_cpu_supports("popcnt"))
		fast = fast_record_avx2;
#endif
	for (;;) {
		size_t end, start;
		int found, nf = 0;
		long nl;

		if (r.pos >= r.len && r.eof)
			break;
		if (r.pos < r.len && fast(&r, &end, &nf, &nl)) {
			/* read in one pass */
			if (deliver(&r, nf, nl, end, fn, ctx) != 0)
				goto out;
			continue;
		}
		found = r.pos < r.len ? record_end(&r, &end) : 0;
		if (found == 0) {
			if (r.eof)
				break;
			/* buf[pos..len) is one record without its end yet */
			if (r.len - r.pos > CSV_FIELD_MAX && long_record(&r) != 0) {
				cr_only_error(&r);
				goto out;
			}
			if (refill(&r) < 0) {
				cr_only_error(&r);
				goto out;
			}
			if (first && r.len >= 3 && memcmp(r.buf, "\xef\xbb\xbf", 3) == 0)
				r.pos = 3;
			if (r.len > 0)
				first = 0;
			continue;
		}
		if (found < 0) {
			long qline, qcol;
			open_quote(&r, &qline, &qcol);
			ic_error_at(err, in->name, qline, qcol,
				    "unterminated quoted field (the file ends inside quotes)");
			cr_only_error(&r);
			goto out;
		}
		start = r.pos;
		/* blank line (or a lone CR) */
		if (end == start || (end == start + 1 && r.buf[start] == '\r')) {
			if (r.blank_to != r.line)
				r.blank_from = r.line;
			if (r.line - r.blank_from >= BLANK_RUN_MAX) {
				ic_error_at(err, in->name, r.blank_from, 1,
					    "more than %d blank lines in a row from here (not a billing file?)",
					    BLANK_RUN_MAX);
				goto out;
			}
			r.line++;
			r.blank_to = r.line;
			r.pos = end + 1;
			scan_reset(&r);
			continue;
		}
		if (split(&r, start, end, r.line, &nf, &nl) != 0) {
			cr_only_error(&r);
			goto out;
		}
		if (deliver(&r, nf, nl, end, fn, ctx) != 0)
			goto out;
	}
	rc = 0;
out:
	free(r.buf);
	free(r.f);
	return rc;
}
