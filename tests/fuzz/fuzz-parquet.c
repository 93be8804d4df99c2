/*
 * fuzz-parquet.c - libFuzzer harness for the Parquet reader
 * (common/parquet.c, parquet-thrift.c, parquet-decode.c): the footer,
 * the schema, page headers, every codec and decoder, reached through
 * parquet_read_mem on the whole input as one file.
 *
 * Invariants (abort() when broken):
 *  - parquet_read_mem returns 0 or -1; on -1 the message starts with
 *    "fuzz.parquet: " (or is "out of memory") and is one line of
 *    printable UTF-8;
 *  - the first record is the header, and every record has its number of
 *    fields, with line numbers 1, 2, 3...;
 *  - every field is valid UTF-8 without NUL, its len is its strlen.
 * Seeds (tests/fuzz/seeds/parquet/) are small files DuckDB wrote: every
 * codec, dictionary on and off, PARQUET_VERSION V2, a MAP column.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/parquet.h"
#include "common/utf8.h"
#include "tests/fuzz/fuzz-replay.h"

static void fuzz_fail(const char *what) __attribute__((noreturn));
static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz invariant broken: %s\n", what);
	abort();
}

static int
text_ok(const char *s, size_t len, int allow_ctl)
{
	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq((const unsigned char *)s + i, len - i);
		if (k == 0 || s[i] == 0 ||
		    (!allow_ctl && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)))
			return 0;
		i += k;
	}
	return 1;
}

struct seen {
	int ncols;
	long lines;
};

static int
on_record(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct seen *sn = ctx;

	(void)err;
	if (rec->line != sn->lines + 1)
		fuzz_fail("records not numbered 1, 2, 3...");
	sn->lines = rec->line;
	if (rec->line == 1)
		sn->ncols = rec->n;
	else if (rec->n != sn->ncols)
		fuzz_fail("a record without the header's number of fields");
	for (int i = 0; i < rec->n; i++) {
		if (strlen(rec->f[i].s) != rec->f[i].len)
			fuzz_fail("a field whose len is not its strlen");
		if (!text_ok(rec->f[i].s, rec->f[i].len, 1))
			fuzz_fail("a field that is not UTF-8 without NUL");
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ic_error err;
	struct seen sn = { 0, 0 };
	int r;

	memset(&err, 0, sizeof err);
	r = parquet_read_mem("fuzz.parquet", data, size, on_record, &sn, &err);
	if (r != 0 && r != -1)
		fuzz_fail("parquet_read_mem returned neither 0 nor -1");
	if (r == -1) {
		if (strcmp(err.msg, "out of memory") != 0 &&
		    strncmp(err.msg, "fuzz.parquet: ", 14) != 0)
			fuzz_fail("an error not starting with the file name");
		if (!text_ok(err.msg, strlen(err.msg), 0))
			fuzz_fail("an error message that is not one line of printable UTF-8");
	} else if (sn.lines < 1) {
		fuzz_fail("success without a header");
	}
	return 0;
}
