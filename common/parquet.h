/*
 * parquet.h - Parquet files as the records the CSV reader produces.
 *
 * imcost's own Parquet reader (Debian packages no Parquet library for C):
 * the footer and page headers are read with the Thrift compact protocol
 * (parquet-thrift.h), pages are decompressed (UNCOMPRESSED, SNAPPY, GZIP,
 * ZSTD, LZ4_RAW, BROTLI) and decoded (PLAIN, PLAIN_DICTIONARY /
 * RLE_DICTIONARY, the RLE / bit-packed hybrid, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
 * DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT; data pages v1 and v2) by
 * parquet-decode.h, and every row is handed to a csv_record_fn as text
 * fields, the header first, exactly as csv_read_all does: so every CSV
 * importer reads Parquet with no format-specific code.
 *
 * Text of the values: strings as they are (valid UTF-8 without NUL, else an
 * error); integers in decimal; DECIMAL exactly from its unscaled integer
 * ("-12.3400"); FLOAT/DOUBLE in the shortest form that reads back as the
 * same double; BOOLEAN true/false; DATE as 2024-01-31; TIMESTAMP (milli,
 * micro, nano) and INT96 as 2024-01-31T23:00:00Z, with a fraction only
 * when there is one; NULL (an unset optional value) as an empty field.  A
 * top-level MAP column (CUR 2.0 resource_tags, product, cost_category,
 * discount) becomes one JSON object {"key":"value",...} in the map's order,
 * string values quoted, numbers bare, null values null; a NULL map is an
 * empty field and an empty map {}.  Other nested columns (LIST, structs),
 * other logical types (TIME, UUID, INTERVAL...), other codecs (LZO, the
 * deprecated Hadoop-framed LZ4) and other encodings are refused with an
 * error naming the column and the row group: never a wrong value.
 *
 * Records' `line` is the row number + 1 (the header is line 1, the first
 * row line 2), so importers' FILE:LINE:COL errors point at the row.
 *
 * Memory: one row group at a time, and within it, for each column, its
 * dictionary and its current decompressed page, whose levels, dictionary
 * indices and PLAIN values are decoded 256 entries at a time into fixed
 * buffers (values point into the page or the dictionary: no copy of the
 * bytes); only BOOLEAN, DELTA_* and BYTE_STREAM_SPLIT pages have all their
 * values decoded at once (24 bytes a value).  Compressed bytes are never
 * held whole: a page streams from the file through one PQ_WINDOW (64 KiB)
 * window into its decompressed buffer (Snappy and LZ4_RAW by imcost's own
 * decoders, gzip, zstd and Brotli by their streaming APIs).  Rows are
 * turned into text CHUNK (256) at a time, a column at a time (each
 * column's batches read in one run, cache-friendly), and handed out with
 * fields pointing into the columns' texts.  So the bound is the
 * decompressed size of one page per column plus the dictionaries, plus
 * 64 KiB, plus 256 rows of text: not a decoded row group nor its
 * compressed bytes.  Pages declaring more than PQ_PAGE_BYTES_MAX
 * decompressed bytes or PQ_PAGE_VALUES_MAX values are refused, and so is a
 * row group whose columns' current pages, dictionaries and values together
 * need more than PQ_MEM_MAX, and 256 rows whose text exceeds 64 MiB.
 * DuckDB writes one page per column chunk (row groups of 122,880 rows):
 * for a 79-column CUR 2.0 month that is about 10 MB of decompressed pages
 * and dictionaries.
 *
 * Errors: "FILE: column X, row group N: what" (row groups counted from 1),
 * or "FILE: what" for the footer; the callback's own errors pass through.
 */
#ifndef IMCOST_PARQUET_H
#define IMCOST_PARQUET_H

#include <stddef.h>

#include "common/csvreader.h"
#include "common/error.h"
#include "common/input.h"

#define PQ_PAGE_BYTES_MAX (256u * 1024 * 1024)
#define PQ_PAGE_VALUES_MAX (4u * 1024 * 1024)
/* The window a page's compressed bytes are streamed through */
#define PQ_WINDOW (64u * 1024)
/* What the current pages and dictionaries of all columns may hold at once */
#define PQ_MEM_MAX (512u * 1024 * 1024)

/* 1 when the first n bytes at p start a Parquet file ("PAR1"). */
int parquet_magic(const unsigned char *p, size_t n);

/*
 * Read the Parquet file open as `in` (a regular file, not compressed as a
 * whole, not stdin), calling fn for the header and each row.  Afterwards
 * the whole file has been read through `in`, so input_hash gives its
 * SHA-256.  Returns 0, or -1 with err set (by the reader or by fn).
 */
int parquet_read_all(struct input *in, csv_record_fn fn, void *ctx, struct ic_error *err);

/* The same from memory (tests, fuzzing): name is used in messages. */
int parquet_read_mem(const char *name, const unsigned char *buf, size_t len, csv_record_fn fn,
		     void *ctx, struct ic_error *err);

#endif
