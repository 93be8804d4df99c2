/*
 * csvreader.h - records of a CSV stream, with the line each one starts on.
 *
 * RFC 4180 records from a struct input: strips a UTF-8 BOM, skips blank
 * lines, refuses NUL bytes, invalid UTF-8, stray quotes, fields longer
 * than CSV_FIELD_MAX and records of more than CSV_FIELDS_MAX fields or
 * 64 MiB with FILE:LINE:COLUMN errors (an overlong field or record is
 * refused once the reader is a read past the limit, so memory stays a few
 * MiB above the largest record accepted), and hands each record to
 * a callback as an array of NUL-terminated fields that stay valid until the
 * callback returns.
 */
#ifndef IMCOST_CSVREADER_H
#define IMCOST_CSVREADER_H

#include <stddef.h>

#include "common/error.h"
#include "common/input.h"

#define CSV_FIELD_MAX (1024 * 1024)
/* More columns than any export has; bounds the memory of a hostile record. */
#define CSV_FIELDS_MAX 100000

struct csv_field {
	const char *s;		/* NUL-terminated; never NULL */
	size_t len;
};

struct csv_record {
	const struct csv_field *f;
	int n;			/* number of fields */
	long line;		/* line the record starts on (1 = first line) */
	int last;		/* 1 when the file ended without a newline after it */
};

/*
 * Called once per non-blank record, the header included.  Return 0 to go
 * on, or -1 with err set to stop.
 */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec, struct ic_error *err);

/*
 * Read all of `in`, calling fn for each record.  Returns 0, or -1 with err
 * set (by the reader or by fn).  Errors name in->name, the line and the
 * column (1-based field number).
 */
int csv_read_all(struct input *in, csv_record_fn fn, void *ctx, struct ic_error *err);

#endif
