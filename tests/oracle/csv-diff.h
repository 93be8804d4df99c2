/*
 * csv-diff.h - imcost's CSV reader held against libcsv, the oracle.
 *
 * imcost reads CSV with its own one-pass reader (common/csvreader.c) for
 * speed; libcsv (Debian libcsv-dev) is an independent RFC 4180 parser.
 * csv_diff_file() reads one file with both and says how they compare:
 *
 *   - the decompressed bytes (gzip and GB18030 handled by common/input.c,
 *     the layer both readers share here) go to libcsv in strict mode
 *     (CSV_STRICT | CSV_STRICT_FINI: a stray quote, text after a closing
 *     quote and a file ending inside quotes are errors), with no space or
 *     tab trimming, after a UTF-8 BOM is taken off (imcost strips it too);
 *   - the same file goes through csv_read_all();
 *   - the records must be the same, field by field and byte by byte.
 *
 * Outcomes (enum csv_diff): both read the same records; both refuse the
 * file; imcost refuses it under one of its documented stricter rules (NUL
 * byte, invalid UTF-8, a field, record or field count over its limits,
 * CR-only line endings) and the records before the refusal are the same;
 * anything else is a defect of one of the two readers (CSV_DIFF_MISMATCH):
 * a record that differs, a record one reader has and the other not, or a
 * file that libcsv refuses and imcost accepts.
 *
 * Header-only (static functions), shared by tests/oracle/csv-oracle.c
 * (make check) and tests/fuzz/fuzz-csv-libcsv.c (the differential fuzz
 * harness).  Link with -lcsv.
 */
#ifndef IMCOST_CSV_DIFF_H
#define IMCOST_CSV_DIFF_H

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvreader.h"
#include "common/error.h"
#include "common/input.h"

/* largest decompressed input the oracle holds in memory */
#define CSV_DIFF_MAX ((size_t)512 << 20)

enum csv_diff {
	CSV_DIFF_SAME,		/* both read the same records */
	CSV_DIFF_BOTH_REFUSE,	/* both refuse the file */
	CSV_DIFF_STRICTER,	/* imcost refuses under a documented rule of its own */
	CSV_DIFF_INPUT,		/* the input layer refused (gzip, charset, size) */
	CSV_DIFF_MISMATCH	/* the two readers disagree: a defect */
};

/* libcsv's records, every field's bytes one after the other */
struct cd_records {
	char *bytes;
	size_t len, cap;
	size_t *flen;		/* length of each field */
	size_t nf, fcap;
	size_t *rend;		/* index in flen past each record's last field */
	size_t nr, rcap;
	int oom;
};

static void *
cd_grow(void *p, size_t *cap, size_t need, size_t size, int *oom)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	q = realloc(p, c * size);
	if (q == NULL) {
		*oom = 1;
		return p;
	}
	*cap = c;
	return q;
}

static void
cd_field(void *s, size_t len, void *data)
{
	struct cd_records *r = data;

	r->bytes = cd_grow(r->bytes, &r->cap, r->len + len + 1, 1, &r->oom);
	r->flen = cd_grow(r->flen, &r->fcap, r->nf + 1, sizeof *r->flen, &r->oom);
	if (r->oom)
		return;
	if (len)
		memcpy(r->bytes + r->len, s, len);
	r->len += len;
	r->flen[r->nf++] = len;
}

static void
cd_row(int c, void *data)
{
	struct cd_records *r = data;

	(void)c;
	r->rend = cd_grow(r->rend, &r->rcap, r->nr + 1, sizeof *r->rend, &r->oom);
	if (r->oom)
		return;
	r->rend[r->nr++] = r->nf;
}

static int
cd_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* state of the comparison while imcost reads */
struct cd_walk {
	const struct cd_records *lib;
	size_t rec;		/* next libcsv record to compare */
	size_t field;		/* index in lib->flen of its first field */
	size_t off;		/* offset in lib->bytes of its first byte */
	int lib_bad;		/* libcsv refused the file after lib->nr records */
	char why[512];		/* the first difference */
};

static int
cd_compare(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	struct cd_walk *w = ctx;
	const struct cd_records *l = w->lib;
	size_t n;

	if (w->rec >= l->nr) {
		if (w->lib_bad)
			return 0;	/* past libcsv's refusal: nothing to compare */
		snprintf(w->why, sizeof w->why,
			 "imcost has a record at line %ld that libcsv has not (libcsv: %zu records)",
			 rec->line, l->nr);
		return ic_errorf(err, "mismatch");
	}
	n = l->rend[w->rec] - w->field;
	if (n != (size_t)rec->n) {
		snprintf(w->why, sizeof w->why,
			 "record %zu (line %ld): imcost %d fields, libcsv %zu",
			 w->rec + 1, rec->line, rec->n, n);
		return ic_errorf(err, "mismatch");
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = l->flen[w->field + i];
		if (len != rec->f[i].len || memcmp(l->bytes + w->off, rec->f[i].s, len) != 0) {
			snprintf(w->why, sizeof w->why,
				 "record %zu (line %ld) field %zu: imcost %zu bytes, libcsv %zu bytes differ",
				 w->rec + 1, rec->line, i + 1, rec->f[i].len, len);
			return ic_errorf(err, "mismatch");
		}
		w->off += len;
	}
	w->field += n;
	w->rec++;
	return 0;
}

/* 1 when imcost's error is one of its documented rules stricter than RFC 4180 */
static int
cd_stricter_rule(const char *msg)
{
	static const char *const rules[] = {
		"NUL byte", "invalid UTF-8", "longer than", "more than",
		"CR-only line endings", "carriage return",
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strstr(msg, rules[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Read the decompressed bytes of path into *buf (caller frees), at most
 * CSV_DIFF_MAX.  Returns 0, or -1 with err set.
 */
static int
cd_slurp(const char *path, char **buf, size_t *len, struct ic_error *err)
{
	struct input in;
	size_t cap = 1 << 16;
	ssize_t got;

	*buf = NULL;
	*len = 0;
	if (input_open(&in, path, err) != 0)
		return -1;
	*buf = malloc(cap);
	if (*buf == NULL) {
		input_close(&in);
		return ic_errorf(err, "out of memory");
	}
	for (;;) {
		char *b;
		if (cap - *len < 4096) {
			if (cap >= CSV_DIFF_MAX) {
				input_close(&in);
				return ic_errorf(err, "%s: larger than the oracle reads", path);
			}
			b = realloc(*buf, cap * 2);
			if (b == NULL) {
				input_close(&in);
				return ic_errorf(err, "out of memory");
			}
			*buf = b;
			cap *= 2;
		}
		got = input_read(&in, *buf + *len, cap - *len, err);
		if (got < 0) {
			input_close(&in);
			return -1;
		}
		if (got == 0)
			break;
		*len += (size_t)got;
	}
	input_close(&in);
	return 0;
}

/*
 * Compare the two readers on path.  why[0..cap) gets one line saying what
 * was found (the difference, the refusals, or the record count).
 */
static enum csv_diff
csv_diff_file(const char *path, char *why, size_t cap)
{
	struct ic_error err = { .msg = "" };
	struct cd_records lib = { 0 };
	struct cd_walk w = { .lib = &lib };
	struct csv_parser p;
	struct input in;
	char *buf;
	size_t len, skip = 0;
	int lib_bad, rc;
	enum csv_diff res;

	if (cd_slurp(path, &buf, &len, &err) != 0) {
		free(buf);
		snprintf(why, cap, "input: %.800s", err.msg);
		return CSV_DIFF_INPUT;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(buf);
		snprintf(why, cap, "csv_init failed");
		return CSV_DIFF_INPUT;
	}
	csv_set_space_func(&p, cd_no_space);
	lib_bad = csv_parse(&p, buf + skip, len - skip, cd_field, cd_row, &lib) != len - skip;
	if (!lib_bad && csv_fini(&p, cd_field, cd_row, &lib) != 0)
		lib_bad = 1;
	if (lib_bad && csv_error(&p) != CSV_EPARSE)
		lib.oom = 1;
	csv_free(&p);
	free(buf);
	if (lib.oom) {
		snprintf(why, cap, "libcsv ran out of memory");
		res = CSV_DIFF_INPUT;
		goto out;
	}

	if (input_open(&in, path, &err) != 0) {
		snprintf(why, cap, "input: %.800s", err.msg);
		res = CSV_DIFF_INPUT;
		goto out;
	}
	w.lib_bad = lib_bad;
	rc = csv_read_all(&in, cd_compare, &w, &err);
	input_close(&in);

	if (rc != 0 && w.why[0]) {
		snprintf(why, cap, "%s", w.why);
		res = CSV_DIFF_MISMATCH;
	} else if (rc != 0 && lib_bad) {
		snprintf(why, cap, "both refuse; imcost: %.800s", err.msg);
		res = CSV_DIFF_BOTH_REFUSE;
	} else if (rc != 0 && cd_stricter_rule(err.msg)) {
		snprintf(why, cap, "imcost stricter after %zu equal records: %.800s", w.rec, err.msg);
		res = CSV_DIFF_STRICTER;
	} else if (rc != 0) {
		snprintf(why, cap, "imcost refuses what libcsv reads (%zu records): %.800s", lib.nr, err.msg);
		res = CSV_DIFF_MISMATCH;
	} else if (lib_bad) {
		snprintf(why, cap, "libcsv refuses (strict) what imcost reads (%zu records)", w.rec);
		res = CSV_DIFF_MISMATCH;
	} else if (w.rec != lib.nr) {
		snprintf(why, cap, "imcost read %zu records, libcsv %zu", w.rec, lib.nr);
		res = CSV_DIFF_MISMATCH;
	} else {
		snprintf(why, cap, "%zu records", w.rec);
		res = CSV_DIFF_SAME;
	}
out:
	free(lib.bytes);
	free(lib.flen);
	free(lib.rend);
	return res;
}

#endif
