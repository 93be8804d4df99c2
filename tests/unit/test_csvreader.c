/*
 * test_csvreader.c - Check unit tests for common/csvreader.c (with
 * common/input.c underneath): BOM stripping, LF and CRLF, quoted fields
 * holding commas, quotes and newlines with the right start line for the
 * records after them, blank lines skipped but counted, the .last flag,
 * FILE:LINE:COL errors for an unterminated quote, stray quotes, NUL
 * bytes, invalid UTF-8 and oversized fields (naming the physical line
 * inside a multi-line record), the CSV_FIELD_MAX boundary, wide records,
 * line numbers across the reader's 1 MiB chunks, multi-member and
 * truncated gzip, a callback that stops the reading, and records and
 * errors with each kind of field on either side of the reader's 16-, 32-
 * and 64-byte blocks.
 *
 * Every input is written by the test into a mkstemp file (gzip through
 * zlib's gzopen/gzwrite); expected records are the ones planted.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/csvreader.h"
#include "common/input.h"

/* ---- temp files ---- */

static char *
tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char *p = malloc(4096);
	int fd;

	ck_assert_ptr_nonnull(p);
	snprintf(p, 4096, "%s/imcost-csv-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(p);
	ck_assert_msg(fd >= 0, "mkstemp failed");
	close(fd);
	return p;
}

/* A temp file holding data[0..len); caller unlinks and frees the path. */
static char *
tmp_file(const void *data, size_t len)
{
	char *p = tmp_path();
	FILE *f = fopen(p, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

/* Append one gzip member holding data[0..len) to path ("wb" or "ab"). */
static void
gz_member(const char *path, const char *mode, const void *data, size_t len)
{
	gzFile g = gzopen(path, mode);

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(gzwrite(g, data, (unsigned)len), (int)len);
	ck_assert_int_eq(gzclose(g), Z_OK);
}

static void
rm_file(char *p)
{
	unlink(p);
	free(p);
}

/* ---- collecting records ---- */

struct rec {
	int n;
	char **f;
	size_t *len;
	long line;
	int last;
};

struct coll {
	struct rec *r;
	int n, cap;
	long calls;
	long stop_at;		/* return -1 on this call (1-based); 0 = never */
	int keep;		/* store the records (0: only count) */
	int bad_terminator;	/* a field was not NUL-terminated at len */
};

static int
collect(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct coll *c = ctx;
	struct rec *r;

	c->calls++;
	for (int i = 0; i < rec->n; i++)
		if (rec->f[i].s == NULL || rec->f[i].s[rec->f[i].len] != '\0')
			c->bad_terminator = 1;
	if (c->stop_at && c->calls == c->stop_at)
		return ic_errorf(err, "callback stop at record %ld (line %ld)", c->calls, rec->line);
	if (!c->keep)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->r = realloc(c->r, (size_t)c->cap * sizeof *c->r);
		ck_assert_ptr_nonnull(c->r);
	}
	r = &c->r[c->n++];
	r->n = rec->n;
	r->line = rec->line;
	r->last = rec->last;
	r->f = malloc((size_t)(rec->n ? rec->n : 1) * sizeof *r->f);
	r->len = malloc((size_t)(rec->n ? rec->n : 1) * sizeof *r->len);
	ck_assert(r->f && r->len);
	for (int i = 0; i < rec->n; i++) {
		r->f[i] = malloc(rec->f[i].len + 1);
		ck_assert_ptr_nonnull(r->f[i]);
		memcpy(r->f[i], rec->f[i].s, rec->f[i].len + 1);
		r->len[i] = rec->f[i].len;
	}
	return 0;
}

static void
coll_free(struct coll *c)
{
	for (int i = 0; i < c->n; i++) {
		for (int k = 0; k < c->r[i].n; k++)
			free(c->r[i].f[k]);
		free(c->r[i].f);
		free(c->r[i].len);
	}
	free(c->r);
	memset(c, 0, sizeof *c);
}

static int
read_path(const char *path, struct coll *c, struct ic_error *err)
{
	struct input in;
	int rc;

	memset(err, 0, sizeof *err);
	if (input_open(&in, path, err) != 0)
		return -2;
	rc = csv_read_all(&in, collect, c, err);
	input_close(&in);
	return rc;
}

/* Read a buffer written to a temp file; records kept in *c. */
static int
read_buf(const void *data, size_t len, struct coll *c, struct ic_error *err, char **path_out)
{
	char *p = tmp_file(data, len);
	int rc;

	c->keep = 1;
	rc = read_path(p, c, err);
	if (path_out)
		*path_out = p;
	else
		rm_file(p);
	return rc;
}

static int
read_str(const char *s, struct coll *c, struct ic_error *err, char **path_out)
{
	return read_buf(s, strlen(s), c, err, path_out);
}

static void
field_is(const struct coll *c, int r, int i, const char *want, size_t want_len)
{
	ck_assert_msg(r < c->n, "record %d missing (have %d)", r, c->n);
	ck_assert_msg(i < c->r[r].n, "record %d has %d fields, wanted field %d", r, c->r[r].n, i);
	ck_assert_msg(c->r[r].len[i] == want_len && memcmp(c->r[r].f[i], want, want_len) == 0,
		      "record %d field %d is '%s' (len %zu), want '%s' (len %zu)", r, i,
		      c->r[r].f[i], c->r[r].len[i], want, want_len);
}

#define FIELD(c, r, i, lit) field_is(c, r, i, lit, sizeof(lit) - 1)

/* err starts with path:line:col and holds word; removes the file at path
 * (and frees path) before asserting, so a failure leaves no temp file. */
static void
err_at(const struct ic_error *err, char *path, long line, long col, const char *word)
{
	char want[4200];
	int at_ok, word_ok;

	snprintf(want, sizeof want, "%s:%ld:%ld:", path, line, col);
	at_ok = strncmp(err->msg, want, strlen(want)) == 0;
	word_ok = strstr(err->msg, word) != NULL;
	rm_file(path);
	ck_assert_msg(at_ok, "error '%s' does not start with '%s'", err->msg, want);
	ck_assert_msg(word_ok, "error '%s' lacks '%s'", err->msg, word);
}

/* ---- tests ---- */

START_TEST(test_basic_lf)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("a,b,c\n1,,3\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[0].n, 3);
	FIELD(&c, 0, 0, "a");
	FIELD(&c, 0, 2, "c");
	FIELD(&c, 1, 0, "1");
	FIELD(&c, 1, 1, "");
	FIELD(&c, 1, 2, "3");
	ck_assert_int_eq(c.r[0].line, 1);
	ck_assert_int_eq(c.r[1].line, 2);
	ck_assert_int_eq(c.r[0].last, 0);
	ck_assert_int_eq(c.r[1].last, 0);
	ck_assert_int_eq(c.bad_terminator, 0);
	coll_free(&c);
}
END_TEST

START_TEST(test_bom)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("\xef\xbb\xbfname,v\nx,\xef\xbb\xbfy\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	FIELD(&c, 0, 0, "name");	/* leading BOM stripped */
	FIELD(&c, 0, 1, "v");
	FIELD(&c, 1, 1, "\xef\xbb\xbfy");	/* a BOM elsewhere is data */
	ck_assert_int_eq(c.r[1].line, 2);
	coll_free(&c);

	/* BOM then a quoted first field */
	ck_assert_int_eq(read_str("\xef\xbb\xbf\"q,1\",2\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 1);
	FIELD(&c, 0, 0, "q,1");
	coll_free(&c);
}
END_TEST

START_TEST(test_crlf)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("a,b\r\n1,2\r\n\r\n3,4\r\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 3);
	FIELD(&c, 0, 1, "b");	/* no CR left on the last field */
	FIELD(&c, 1, 1, "2");
	FIELD(&c, 2, 0, "3");
	FIELD(&c, 2, 1, "4");
	ck_assert_int_eq(c.r[0].line, 1);
	ck_assert_int_eq(c.r[1].line, 2);
	ck_assert_int_eq(c.r[2].line, 4);
	coll_free(&c);

	/* a quoted field holding CRLF, in a CRLF file */
	ck_assert_int_eq(read_str("h1,h2\r\n\"p\r\nq\",r\r\ns,t\r\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 3);
	FIELD(&c, 1, 0, "p\r\nq");
	FIELD(&c, 1, 1, "r");
	ck_assert_int_eq(c.r[1].line, 2);
	ck_assert_int_eq(c.r[2].line, 4);
	FIELD(&c, 2, 1, "t");
	coll_free(&c);
}
END_TEST

START_TEST(test_quoted)
{
	struct coll c = { 0 };
	struct ic_error err;
	const char *csv =
		"h1,h2,h3\n"
		"\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\nl3\"\n"
		"next,\"\",x\n"
		"\"\"\"\",\"\n\",\"end\"\n"
		"last,\"x\"\",y\",\"\"\n";

	ck_assert_int_eq(read_str(csv, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 5);
	ck_assert_int_eq(c.r[1].n, 3);
	FIELD(&c, 1, 0, "a,b");
	FIELD(&c, 1, 1, "say \"hi\"");
	FIELD(&c, 1, 2, "l1\nl2\nl3");
	ck_assert_int_eq(c.r[1].line, 2);
	/* the record after a three-line field starts on line 5 */
	ck_assert_int_eq(c.r[2].line, 5);
	FIELD(&c, 2, 0, "next");
	FIELD(&c, 2, 1, "");
	FIELD(&c, 2, 2, "x");
	ck_assert_int_eq(c.r[3].line, 6);
	FIELD(&c, 3, 0, "\"");
	FIELD(&c, 3, 1, "\n");
	FIELD(&c, 3, 2, "end");
	ck_assert_int_eq(c.r[4].line, 8);
	FIELD(&c, 4, 0, "last");
	FIELD(&c, 4, 1, "x\",y");	/* doubled quote before a comma */
	FIELD(&c, 4, 2, "");
	ck_assert_int_eq(c.bad_terminator, 0);
	coll_free(&c);
}
END_TEST

START_TEST(test_blank_lines)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("\n\na\n\n\nb,c\n\n\"m\nn\"\n\nz\n\n\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 4);
	FIELD(&c, 0, 0, "a");
	ck_assert_int_eq(c.r[0].line, 3);
	FIELD(&c, 1, 1, "c");
	ck_assert_int_eq(c.r[1].line, 6);
	FIELD(&c, 2, 0, "m\nn");
	ck_assert_int_eq(c.r[2].line, 8);
	FIELD(&c, 3, 0, "z");
	ck_assert_int_eq(c.r[3].line, 11);
	coll_free(&c);

	/* an empty file and a file of blank lines have no records */
	ck_assert_int_eq(read_str("", &c, &err, NULL), 0);
	ck_assert_int_eq(c.calls, 0);
	coll_free(&c);
	ck_assert_int_eq(read_str("\n\r\n\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.calls, 0);
	coll_free(&c);
}
END_TEST

START_TEST(test_last_flag)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("a,b\n1,2", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[0].last, 0);
	ck_assert_int_eq(c.r[1].last, 1);
	FIELD(&c, 1, 1, "2");
	ck_assert_int_eq(c.r[1].line, 2);
	coll_free(&c);

	ck_assert_int_eq(read_str("a,b\n1,2\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[1].last, 0);
	coll_free(&c);

	ck_assert_int_eq(read_str("a,b\r\n1,2\r\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[1].last, 0);
	coll_free(&c);

	/* a multi-line quoted last record without newline */
	ck_assert_int_eq(read_str("a,b\n\"x\ny\",2", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[1].last, 1);
	ck_assert_int_eq(c.r[1].line, 2);
	FIELD(&c, 1, 0, "x\ny");
	coll_free(&c);

	/* a last record ending in a quoted field without newline */
	ck_assert_int_eq(read_str("a,b\n1,\"2\"", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(c.r[1].last, 1);
	FIELD(&c, 1, 1, "2");
	coll_free(&c);
}
END_TEST

START_TEST(test_unterminated_quote)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;
	int n;

	ck_assert_int_eq(read_str("a,b\n1,\"xx\nyy\n", &c, &err, &p), -1);
	n = c.n;
	coll_free(&c);
	err_at(&err, p, 2, 2, "unterminated");
	ck_assert_int_eq(n, 1);	/* the header was delivered */

	ck_assert_int_eq(read_str("a\nb\n\n\"open\nstill open", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 4, 1, "unterminated");

	/* text after a closing quote is malformed quoting, also located */
	ck_assert_int_eq(read_str("a,b\nx,\"q\"junk\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 2, 2, "quot");
}
END_TEST

/* A carriage return that no line feed follows is data inside quotes and
 * an error outside them (libcsv, the oracle, would end the line there):
 * in an unquoted field, after a closing quote, and anywhere in a long
 * record whose CR sits past the reader's first 64-byte block. */
START_TEST(test_bare_cr)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;
	char big[400];

	ck_assert_int_eq(read_str("a,b\nx\ry,z\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 2, 1, "carriage return");

	ck_assert_int_eq(read_str("a,b\r\n1,\"q\"\r,2\r\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 2, 2, "carriage return");

	memset(big, 'v', sizeof big);
	memcpy(big, "h1,h2\nabc,", 10);
	big[200] = '\r';
	memcpy(big + sizeof big - 2, "\n", 2);
	ck_assert_int_eq(read_str(big, &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 2, 2, "carriage return");

	/* in quotes, and before the LF of CRLF, it is fine */
	ck_assert_int_eq(read_str("a,b\r\n\"x\ry\",z\r\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	coll_free(&c);
}
END_TEST

/* Every error inside a multi-line record names the physical line of the
 * offending byte, as the NUL and UTF-8 errors do: a stray quote ... */
START_TEST(test_multiline_stray_quote_line)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;

	/* a stray quote in an unquoted field on the record's third line */
	ck_assert_int_eq(read_str("h1,h2\n\"a\nb\nc\",x\"y\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 4, 2, "quot");
}
END_TEST

/* ... text after a closing quote ... */
START_TEST(test_multiline_after_quote_line)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;

	ck_assert_int_eq(read_str("h1,h2\n\"a\nb\"junk,y\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 3, 1, "quot");
}
END_TEST

/* ... and an oversized field that starts on the record's second line. */
START_TEST(test_multiline_long_field_line)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p, *buf;
	size_t n = CSV_FIELD_MAX + 10, k;

	buf = malloc(n + 64);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, "h1,h2\n\"a\nb\",", 12);
	k = 12;
	memset(buf + k, 'z', n);
	k += n;
	buf[k++] = '\n';
	ck_assert_int_eq(read_buf(buf, k, &c, &err, &p), -1);
	coll_free(&c);
	free(buf);
	err_at(&err, p, 3, 2, "longer");
}
END_TEST

/* Doubled quotes before line breaks in a quoted field: unescaping in
 * place leaves the line breaks' old bytes behind; the records after it
 * still start on their own lines (SourceLine of every later charge). */
START_TEST(test_doubled_quotes_then_line_breaks)
{
	struct coll c = { 0 };
	struct ic_error err;

	ck_assert_int_eq(read_str("h1,h2,h3\na,\"\"\"\"\"\n\n\",b\nc,d,e\nf,g,h\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 4);
	FIELD(&c, 1, 1, "\"\"\n\n");
	ck_assert_int_eq(c.r[1].line, 2);
	ck_assert_int_eq(c.r[2].line, 5);
	ck_assert_int_eq(c.r[3].line, 6);
	coll_free(&c);
}
END_TEST

/* A bad byte after a multi-line field of the same record: the error
 * names the line the byte is on. */
START_TEST(test_bad_byte_after_multiline_field)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;

	ck_assert_int_eq(read_str("h1,h2,h3\na,\"x\ny\",\xff\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 3, 3, "UTF-8");
	ck_assert_int_eq(read_str("h1,h2,h3\na,\"x\"\"\n\ny\",z\xff\n", &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 4, 3, "UTF-8");
}
END_TEST

START_TEST(test_nul_byte)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;
	static const char d1[] = "a,b\n1,x\0y\n";
	static const char d2[] = "h1,h2\nx,\"l1\nl2\0\"\n";

	ck_assert_int_eq(read_buf(d1, sizeof d1 - 1, &c, &err, &p), -1);
	err_at(&err, p, 2, 2, "NUL");
	ck_assert_int_eq(c.n, 1);	/* the bad record was not delivered */
	coll_free(&c);

	/* on the second line of a multi-line field */
	ck_assert_int_eq(read_buf(d2, sizeof d2 - 1, &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 3, 2, "NUL");
}
END_TEST

static void
utf8_bad(const char *csv, long line, long col, const char *hex)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p;

	ck_assert_msg(read_str(csv, &c, &err, &p) == -1, "invalid UTF-8 accepted");
	coll_free(&c);
	err_at(&err, p, line, col, hex);
}

START_TEST(test_utf8)
{
	struct coll c = { 0 };
	struct ic_error err;

	/* valid 2-, 3- and 4-byte sequences pass untouched */
	ck_assert_int_eq(read_str("\xe5\x90\x8d\xe5\x89\x8d,\xe2\x82\xac,\xf0\x9f\x98\x80,\xc3\xa9\n"
				  "\xef\xbf\xbd,\xf4\x8f\xbf\xbf,\xed\x9f\xbf,x\n", &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	FIELD(&c, 0, 0, "\xe5\x90\x8d\xe5\x89\x8d");
	FIELD(&c, 0, 2, "\xf0\x9f\x98\x80");
	FIELD(&c, 1, 1, "\xf4\x8f\xbf\xbf");
	coll_free(&c);

	utf8_bad("a,b\nok,\xff\n", 2, 2, "0xff");
	utf8_bad("a,b\nok,x\xc0\xaf\n", 2, 2, "0xc0");		/* overlong '/' */
	utf8_bad("a,b\n\xed\xa0\x80,y\n", 2, 1, "0xed");	/* surrogate */
	utf8_bad("a,b\nx,\xe2\x82\n", 2, 2, "0xe2");		/* truncated sequence */
	utf8_bad("a,b\nx\xc3\x28,y\n", 2, 1, "0xc3");		/* bad continuation */
	utf8_bad("a,b\nx,\xf4\x90\x80\x80\n", 2, 2, "0xf4");	/* above U+10FFFF */
	utf8_bad("a,b\nx,\x80\n", 2, 2, "0x80");		/* lone continuation */
	utf8_bad("a,b,c\nx,y,\"\xe9t\xe9\"\n", 2, 3, "0xe9");	/* Latin-1 */
	/* on the third line of a multi-line field */
	utf8_bad("h1,h2\nx,\"l1\nl2\nl3\xfe\"\n", 4, 2, "0xfe");
	/* in the record after a multi-line field and blank lines */
	utf8_bad("h\n\"a\nb\"\n\n\xff\n", 5, 1, "0xff");
	/* in the header */
	utf8_bad("ok,\xc3\n", 1, 2, "0xc3");
}
END_TEST

START_TEST(test_field_max)
{
	struct coll c = { 0 };
	struct ic_error err;
	size_t n = CSV_FIELD_MAX;
	char *buf = malloc(n * 2 + 64), *p;
	size_t k;

	ck_assert_ptr_nonnull(buf);
	/* exactly CSV_FIELD_MAX bytes: accepted */
	k = 0;
	memcpy(buf, "h,g\n", 4);
	k = 4;
	memset(buf + k, 'x', n);
	k += n;
	memcpy(buf + k, ",1\n", 3);
	k += 3;
	ck_assert_int_eq(read_buf(buf, k, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_uint_eq(c.r[1].len[0], n);
	ck_assert_int_eq(c.r[1].f[0][n - 1], 'x');
	FIELD(&c, 1, 1, "1");
	coll_free(&c);

	/* one byte more: refused, at line 2 column 1 */
	k = 4;
	memset(buf + k, 'x', n + 1);
	k += n + 1;
	memcpy(buf + k, ",1\n", 3);
	k += 3;
	ck_assert_int_eq(read_buf(buf, k, &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 2, 1, "longer");

	/* twice the limit in a quoted second field, after blank lines */
	k = 0;
	memcpy(buf, "h,g\n\n\nx,\"", 10);
	k = 10;
	memset(buf + k, 'y', 2 * n);
	k += 2 * n;
	memcpy(buf + k, "\"\n", 2);
	k += 2;
	ck_assert_int_eq(read_buf(buf, k, &c, &err, &p), -1);
	coll_free(&c);
	err_at(&err, p, 4, 2, "longer");
	free(buf);
}
END_TEST

/*
 * A record longer than the first read, scanned before the reader reads
 * more of it: the limit counts the unescaped bytes ("" is one), a
 * field over it is refused at its own line and column however far the
 * record goes on, and many small records in one read are not one record.
 */
START_TEST(test_field_max_streamed)
{
	struct coll c = { 0 };
	struct ic_error err;
	size_t n = CSV_FIELD_MAX, k, big = 3 * n;
	char *buf = malloc(big + 64), *p;

	ck_assert_ptr_nonnull(buf);
	/* line 2: "a\nb" then a quoted field of n/2 doubled quotes and n/2
	 * letters (n unescaped bytes, 1.5 n raw): accepted */
	k = (size_t)sprintf(buf, "h,g,i\n\"a\nb\",\"");
	for (size_t i = 0; i < n / 2; i++) {
		buf[k++] = '"';
		buf[k++] = '"';
	}
	memset(buf + k, 'q', n / 2);
	k += n / 2;
	k += (size_t)sprintf(buf + k, "\",z\n");
	ck_assert_int_eq(read_buf(buf, k, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_uint_eq(c.r[1].len[1], n);
	ck_assert_int_eq(c.r[1].f[1][0], '"');
	ck_assert_int_eq(c.r[1].f[1][n - 1], 'q');
	FIELD(&c, 1, 2, "z");
	coll_free(&c);

	/* one letter more, and the field runs on to 3 MiB: line 3 (where the
	 * field starts, after the quoted line break of field 1), column 2 */
	k = (size_t)sprintf(buf, "h,g,i\n\"a\nb\",\"");
	for (size_t i = 0; i < n / 2; i++) {
		buf[k++] = '"';
		buf[k++] = '"';
	}
	memset(buf + k, 'q', big - k);
	k = big;
	k += (size_t)sprintf(buf + k, "\",z\n");
	ck_assert_int_eq(read_buf(buf, k, &c, &err, &p), -1);
	ck_assert_int_eq(c.n, 1);
	coll_free(&c);
	err_at(&err, p, 3, 2, "longer");

	/* 3 MiB of short records: none is too long, none has too many fields */
	k = (size_t)sprintf(buf, "h,g\n");
	while (k + 16 < big)
		k += (size_t)sprintf(buf + k, "1,\"x\ny\"\n");
	ck_assert_int_eq(read_buf(buf, k, &c, &err, NULL), 0);
	ck_assert_int_gt(c.n, 100000);
	coll_free(&c);
	free(buf);
}
END_TEST

START_TEST(test_wide_records)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *buf = malloc(8192);
	size_t k = 0;

	ck_assert_ptr_nonnull(buf);
	k += (size_t)sprintf(buf + k, "one\n");
	for (int i = 0; i < 200; i++)
		k += (size_t)sprintf(buf + k, "%sf%d", i ? "," : "", i);
	k += (size_t)sprintf(buf + k, "\na,b,c\n");
	for (int i = 0; i < 300; i++)
		k += (size_t)sprintf(buf + k, "%s%d", i ? "," : "", i * 7);
	k += (size_t)sprintf(buf + k, "\n");
	ck_assert_int_eq(read_buf(buf, k, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, 4);
	ck_assert_int_eq(c.r[0].n, 1);
	ck_assert_int_eq(c.r[1].n, 200);
	FIELD(&c, 1, 0, "f0");
	FIELD(&c, 1, 199, "f199");
	ck_assert_int_eq(c.r[2].n, 3);
	FIELD(&c, 2, 2, "c");
	ck_assert_int_eq(c.r[3].n, 300);
	FIELD(&c, 3, 299, "2093");
	ck_assert_int_eq(c.r[3].line, 4);
	ck_assert_int_eq(c.bad_terminator, 0);
	coll_free(&c);
	free(buf);
}
END_TEST

/* 150000 records (several MiB: more than one read chunk), every 1000th
 * with a two-line quoted field, every 777th followed by a blank line. */
static char *
big_csv(size_t *len, long *nrec, long **lines)
{
	size_t cap = 16 << 20, k = 0;
	char *b = malloc(cap);
	long line = 1;

	ck_assert_ptr_nonnull(b);
	*nrec = 150000;
	*lines = malloc((size_t)*nrec * sizeof **lines);
	ck_assert_ptr_nonnull(*lines);
	for (long i = 0; i < *nrec; i++) {
		(*lines)[i] = line;
		if (i % 1000 == 999) {
			k += (size_t)sprintf(b + k, "%ld,\"two\nlines %ld\",padpadpadpad\n", i, i);
			line += 2;
		} else {
			k += (size_t)sprintf(b + k, "%ld,row %ld,padpadpadpadpadpad\n", i, i);
			line++;
		}
		if (i % 777 == 0) {
			k += (size_t)sprintf(b + k, "\n");
			line++;
		}
	}
	*len = k;
	return b;
}

START_TEST(test_big_lines)
{
	struct coll c = { 0 };
	struct ic_error err;
	size_t len;
	long nrec, *lines;
	char *b = big_csv(&len, &nrec, &lines);
	char want[64];

	ck_assert(len > 3 * 1024 * 1024);
	ck_assert_int_eq(read_buf(b, len, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, nrec);
	for (long i = 0; i < nrec; i++) {
		ck_assert_msg(c.r[i].line == lines[i], "record %ld at line %ld, want %ld", i,
			      c.r[i].line, lines[i]);
		ck_assert_int_eq(c.r[i].n, 3);
		snprintf(want, sizeof want, "%ld", i);
		ck_assert_str_eq(c.r[i].f[0], want);
	}
	snprintf(want, sizeof want, "two\nlines %d", 149999);
	ck_assert_str_eq(c.r[149999].f[1], want);
	coll_free(&c);
	free(lines);
	free(b);
}
END_TEST

START_TEST(test_gzip_multi_member)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p = tmp_path();
	static const char m1[] = "\xef\xbb\xbf" "a,b\n1,2\n3,";
	static const char m2[] = "4\n\"5\n\",6\n";
	static const char m3[] = "7,8\n";

	gz_member(p, "wb", m1, sizeof m1 - 1);
	gz_member(p, "ab", m2, sizeof m2 - 1);
	gz_member(p, "ab", m3, sizeof m3 - 1);
	c.keep = 1;
	ck_assert_int_eq(read_path(p, &c, &err), 0);
	ck_assert_int_eq(c.n, 5);
	FIELD(&c, 0, 0, "a");	/* BOM stripped from decompressed data */
	FIELD(&c, 2, 0, "3");	/* record split across members */
	FIELD(&c, 2, 1, "4");
	ck_assert_int_eq(c.r[2].line, 3);
	FIELD(&c, 3, 0, "5\n");
	ck_assert_int_eq(c.r[3].line, 4);
	FIELD(&c, 4, 1, "8");	/* third member */
	ck_assert_int_eq(c.r[4].line, 6);
	coll_free(&c);
	rm_file(p);
}
END_TEST

START_TEST(test_gzip_big_multi_member)
{
	struct coll c = { 0 };
	struct ic_error err;
	size_t len;
	long nrec, *lines;
	char *b = big_csv(&len, &nrec, &lines);
	char *p = tmp_path();
	size_t half = len / 2;

	/* split at a line boundary near the middle */
	while (b[half - 1] != '\n')
		half++;
	gz_member(p, "wb", b, half);
	gz_member(p, "ab", b + half, len - half);
	ck_assert_int_eq(read_path(p, &c, &err), 0);
	ck_assert_int_eq(c.calls, nrec);
	rm_file(p);
	free(lines);
	free(b);
}
END_TEST

START_TEST(test_gzip_truncated)
{
	struct coll c = { 0 };
	struct ic_error err;
	size_t len;
	long nrec, *lines;
	char *b = big_csv(&len, &nrec, &lines);
	char *p = tmp_path();
	FILE *f;
	long full;

	gz_member(p, "wb", b, len);
	f = fopen(p, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	full = ftell(f);
	fclose(f);

	/* cut in the middle of the compressed stream */
	ck_assert_int_eq(truncate(p, full / 2), 0);
	ck_assert_int_eq(read_path(p, &c, &err), -1);
	ck_assert_msg(strstr(err.msg, p) != NULL, "error '%s' does not name the file", err.msg);
	ck_assert_msg(strstr(err.msg, "truncated") != NULL, "error '%s'", err.msg);
	ck_assert(c.calls < nrec);
	coll_free(&c);

	/* whole data but the trailer (CRC, size) cut short */
	gz_member(p, "wb", b, len);
	ck_assert_int_eq(truncate(p, full - 4), 0);
	ck_assert_int_eq(read_path(p, &c, &err), -1);
	ck_assert_msg(strstr(err.msg, "truncated") != NULL, "error '%s'", err.msg);
	coll_free(&c);

	/* only the gzip header */
	gz_member(p, "wb", b, len);
	ck_assert_int_eq(truncate(p, 12), 0);
	ck_assert_int_eq(read_path(p, &c, &err), -1);
	ck_assert_int_eq(c.calls, 0);
	coll_free(&c);

	/* a corrupted byte in the middle is an error too, never silent */
	{
		FILE *g;
		gz_member(p, "wb", b, len);
		g = fopen(p, "r+b");
		ck_assert_ptr_nonnull(g);
		fseek(g, full / 2, SEEK_SET);
		for (int i = 0; i < 16; i++)
			fputc(0xA5 ^ i, g);
		fclose(g);
		ck_assert_int_eq(read_path(p, &c, &err), -1);
		ck_assert_msg(err.msg[0] != '\0', "no error message");
		coll_free(&c);
	}
	rm_file(p);
	free(lines);
	free(b);
}
END_TEST

START_TEST(test_callback_stop)
{
	struct coll c = { 0 };
	struct ic_error err;
	char *p = tmp_file("h\n1\n2\n3\n4\n", 10);

	c.stop_at = 3;
	ck_assert_int_eq(read_path(p, &c, &err), -1);
	ck_assert_int_eq(c.calls, 3);	/* nothing after the refusal */
	ck_assert_str_eq(err.msg, "callback stop at record 3 (line 3)");
	rm_file(p);
	coll_free(&c);

	/* refusing the last record, which has no newline */
	p = tmp_file("h\n1\n2", 5);
	c.stop_at = 3;
	ck_assert_int_eq(read_path(p, &c, &err), -1);
	ck_assert_int_eq(c.calls, 3);
	ck_assert_str_eq(err.msg, "callback stop at record 3 (line 3)");
	rm_file(p);
	coll_free(&c);

	/* early in a file of several chunks: the rest is not delivered */
	{
		size_t len;
		long nrec, *lines;
		char *b = big_csv(&len, &nrec, &lines);
		p = tmp_file(b, len);
		c.stop_at = 10;
		ck_assert_int_eq(read_path(p, &c, &err), -1);
		ck_assert_int_eq(c.calls, 10);
		ck_assert_msg(strncmp(err.msg, "callback stop at record 10", 26) == 0, "%s", err.msg);
		rm_file(p);
		coll_free(&c);
		free(lines);
		free(b);
	}
}
END_TEST

/* ---- records across the reader's 16-, 32- and 64-byte blocks ---- */

/* Ways to write a field, and what the reader makes of each. */
static const struct {
	const char *raw, *val;
	int nl;			/* line breaks in raw */
} field_kinds[] = {
	{ "plain", "plain", 0 },
	{ "", "", 0 },
	{ "\"a,b\"", "a,b", 0 },
	{ "\"x\"\"y\"", "x\"y", 0 },
	{ "\"\"", "", 0 },
	{ "\"\"\"\"", "\"", 0 },
	{ "\"l1\nl2\"", "l1\nl2", 1 },
	{ "\"c\r\nd,\"", "c\r\nd,", 1 },
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 0 },
	{ "\"\xe5\x90\x8d,\xe5\x89\x8d\"", "\xe5\x90\x8d,\xe5\x89\x8d", 0 },
	{ "\"a\rb\"", "a\rb", 0 },	/* a bare CR is data in quotes only */
};

#define NKINDS ((int)(sizeof field_kinds / sizeof field_kinds[0]))
#define PAD_MAX 130

struct want_rec {
	long line;
	const char *f[3];
	size_t pad[3];		/* f[i] is pad[i] filler bytes when f[i] is NULL */
	char fill[3];
};

static size_t
put(char *b, size_t k, const char *s)
{
	size_t n = strlen(s);

	memcpy(b + k, s, n);
	return k + n;
}

static size_t
put_fill(char *b, size_t k, char c, size_t n)
{
	memset(b + k, c, n);
	return k + n;
}

/*
 * Every field kind after, before and between fillers of 0 to 130 bytes,
 * with LF and CRLF line ends, so that each comma, quote, line end and
 * multi-byte character falls on either side of a block boundary: every
 * field, its NUL terminator and every record's line as planted.
 */
START_TEST(test_block_boundaries)
{
	size_t cap = 8u << 20, k = 0;
	char *b = malloc(cap);
	int nw = (PAD_MAX + 1) * NKINDS * 3, w = 0;
	struct want_rec *want = calloc((size_t)nw, sizeof *want);
	struct coll c = { 0 };
	struct ic_error err;
	long line = 2;

	ck_assert(b && want);
	k = put(b, k, "h1,h2,h3\n");
	for (int pad = 0; pad <= PAD_MAX; pad++) {
		for (int i = 0; i < NKINDS; i++) {
			const char *eol = (pad + i) % 3 == 0 ? "\r\n" : "\n";
			const char *raw = field_kinds[i].raw, *val = field_kinds[i].val;
			struct want_rec *x;

			/* filler, kind, z */
			x = &want[w++];
			x->line = line;
			x->fill[0] = 'p';
			x->pad[0] = (size_t)pad;
			x->f[1] = val;
			x->f[2] = "z";
			k = put_fill(b, k, 'p', (size_t)pad);
			k = put(b, put(b, k, ","), raw);
			k = put(b, put(b, k, ",z"), eol);
			line += 1 + field_kinds[i].nl;
			/* kind, filler (the last field, before the line end) */
			x = &want[w++];
			x->line = line;
			x->f[0] = val;
			x->fill[1] = 'q';
			x->pad[1] = (size_t)pad;
			x->f[2] = "";
			k = put(b, put(b, k, raw), ",");
			k = put_fill(b, k, 'q', (size_t)pad);
			k = put(b, put(b, k, ","), eol);
			line += 1 + field_kinds[i].nl;
			/* filler, filler, kind (last) */
			x = &want[w++];
			x->line = line;
			x->fill[0] = 'r';
			x->pad[0] = (size_t)pad;
			x->fill[1] = 's';
			x->pad[1] = (size_t)(PAD_MAX - pad);
			x->f[2] = val;
			k = put_fill(b, k, 'r', (size_t)pad);
			k = put(b, k, ",");
			k = put_fill(b, k, 's', (size_t)(PAD_MAX - pad));
			k = put(b, put(b, k, ","), raw);
			k = put(b, k, eol);
			line += 1 + field_kinds[i].nl;
		}
	}
	ck_assert(k < cap);
	/* the last record as planted too, without its line end */
	k -= strcmp(b + k - 2, "\r\n") == 0 ? 2 : 1;

	ck_assert_int_eq(read_buf(b, k, &c, &err, NULL), 0);
	ck_assert_int_eq(c.n, nw + 1);
	ck_assert_int_eq(c.bad_terminator, 0);
	for (int r = 0; r < nw; r++) {
		const struct want_rec *x = &want[r];

		ck_assert_msg(c.r[r + 1].line == x->line, "record %d at line %ld, want %ld", r + 1,
			      c.r[r + 1].line, x->line);
		ck_assert_int_eq(c.r[r + 1].n, 3);
		for (int i = 0; i < 3; i++) {
			if (x->f[i] != NULL) {
				field_is(&c, r + 1, i, x->f[i], strlen(x->f[i]));
				continue;
			}
			ck_assert_uint_eq(c.r[r + 1].len[i], x->pad[i]);
			for (size_t j = 0; j < x->pad[i]; j++)
				ck_assert_int_eq(c.r[r + 1].f[i][j], x->fill[i]);
		}
	}
	ck_assert_int_eq(c.r[nw].last, 1);
	coll_free(&c);
	free(want);
	free(b);
}
END_TEST

/* The errors, with their line and column, wherever in the block the
 * offending byte falls. */
START_TEST(test_block_boundary_errors)
{
	static const struct {
		const char *bad;	/* after "h\n" and a filler field */
		size_t len;		/* of bad, when it holds a NUL; else 0 */
		long line, col;
		const char *word;
	} cases[] = {
		{ "x\"y\n", 0, 2, 2, "quote inside" },
		{ "\"q\"j,k\n", 0, 2, 2, "after a closing" },
		{ "\"q\"\rj\n", 0, 2, 2, "after a closing" },
		{ "ok,\xff\n", 0, 2, 3, "0xff" },
		{ "\xe2\x82\n", 0, 2, 2, "0xe2" },
		{ "\"a\xc3\"\n", 0, 2, 2, "0xc3" },
		{ "ok,a\0b\n", 7, 2, 3, "NUL" },
		{ "\"a\nb\xfe\"\n", 0, 3, 2, "0xfe" },
		{ "\"open\nstill", 0, 2, 2, "unterminated" },
	};
	char buf[512];

	for (int pad = 0; pad <= PAD_MAX; pad++) {
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			struct coll c = { 0 };
			struct ic_error err;
			size_t k = 0, n = cases[i].len ? cases[i].len : strlen(cases[i].bad);
			char *p;

			k = put(buf, k, "h\n");
			k = put_fill(buf, k, 'f', (size_t)pad);
			k = put(buf, k, ",");
			memcpy(buf + k, cases[i].bad, n);
			k += n;
			ck_assert_int_eq(read_buf(buf, k, &c, &err, &p), -1);
			ck_assert_int_eq(c.n, 1);	/* the header only */
			coll_free(&c);
			err_at(&err, p, cases[i].line, cases[i].col, cases[i].word);
		}
	}
}
END_TEST

Suite *
csvreader_suite(void)
{
	Suite *s = suite_create("csvreader");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_basic_lf);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_quoted);
	tcase_add_test(tc, test_blank_lines);
	tcase_add_test(tc, test_last_flag);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_multiline_stray_quote_line);
	tcase_add_test(tc, test_multiline_after_quote_line);
	tcase_add_test(tc, test_multiline_long_field_line);
	tcase_add_test(tc, test_doubled_quotes_then_line_breaks);
	tcase_add_test(tc, test_bad_byte_after_multiline_field);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_field_max);
	tcase_add_test(tc, test_field_max_streamed);
	tcase_add_test(tc, test_wide_records);
	tcase_add_test(tc, test_big_lines);
	tcase_add_test(tc, test_gzip_multi_member);
	tcase_add_test(tc, test_gzip_big_multi_member);
	tcase_add_test(tc, test_gzip_truncated);
	tcase_add_test(tc, test_callback_stop);
	tcase_add_test(tc, test_block_boundaries);
	tcase_add_test(tc, test_bare_cr);
	tcase_add_test(tc, test_block_boundary_errors);
	suite_add_tcase(s, tc);
	return s;
}
