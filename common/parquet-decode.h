/*
 * parquet-decode.h - Parquet's value encodings (parquet-decode.c), codecs
 * (parquet-codec.c) and the text form of each value type (see parquet.h
 * for the reader built on them).
 *
 * Every decoder takes the exact bytes it may read and the count it must
 * produce, and fails (-1, err set) rather than reading past them or
 * inventing values.  Text forms are exact: DECIMAL is formatted from its
 * integer (never through a double), doubles in the shortest form that
 * reads back as the same double, timestamps as 2024-01-31T23:00:00Z (with
 * a fraction only when there is one).
 */
#ifndef IMCOST_PARQUET_DECODE_H
#define IMCOST_PARQUET_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* One decoded value: i for BOOLEAN/INT32/INT64, d for FLOAT/DOUBLE, p/len
 * for BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY and INT96 (pointing into a page or
 * dictionary buffer the column owns). */
struct pq_val {
	union {
		int64_t i;
		double d;
	} u;
	const unsigned char *p;
	uint32_t len;
};

/*
 * The RLE / bit-packed hybrid (levels, dictionary indices): decode exactly
 * n values of bit_width (0..32) bits from p[0..len) into out.  Returns 0,
 * or -1 with err set when the data ends early or a run is malformed.
 */
int pq_rle_decode(const unsigned char *p, size_t len, int bit_width, uint32_t *out, size_t n,
		  struct ic_error *err);

/* The same as a stream: pq_rle_init on p[0..len) (which must outlive d),
 * then pq_rle_next for the next n values, as many times as needed; the
 * values are those pq_rle_decode gives for the total count. */
struct pq_rle {
	const unsigned char *p, *end;
	int bw;
	uint64_t rle_left;		/* values left in the current RLE run */
	uint32_t rle_val;
	uint64_t groups;		/* bit-packed groups of 8 not yet unpacked */
	uint32_t grp[8];		/* the group being handed out */
	int grp_i, grp_n;
};
void pq_rle_init(struct pq_rle *d, const unsigned char *p, size_t len, int bw);
int pq_rle_next(struct pq_rle *d, uint32_t *out, size_t n, struct ic_error *err);

/*
 * PLAIN: decode n values of physical type `type` (enum pq_type; type_len
 * for FIXED_LEN_BYTE_ARRAY) from p[0..len) into out.  *used gets the bytes
 * consumed.  Returns 0, or -1 with err set.
 */
int pq_plain_decode(int type, int32_t type_len, const unsigned char *p, size_t len,
		    struct pq_val *out, size_t n, size_t *used, struct ic_error *err);

/* DELTA_BINARY_PACKED of INT32/INT64 (is32 1 for INT32): n values into
 * out[].u.i.  *used as above. */
int pq_delta_binary_decode(const unsigned char *p, size_t len, int is32, struct pq_val *out,
			   size_t n, size_t *used, struct ic_error *err);

/* DELTA_LENGTH_BYTE_ARRAY: n byte arrays pointing into p. */
int pq_dlba_decode(const unsigned char *p, size_t len, struct pq_val *out, size_t n, size_t *used,
		   struct ic_error *err);
/* DELTA_BYTE_ARRAY: n byte arrays rebuilt into *buf (malloc, the caller
 * frees it; NULL on error), at most max bytes in all. */
int pq_dba_decode(const unsigned char *p, size_t len, struct pq_val *out, size_t n,
		  unsigned char **buf, size_t max, struct ic_error *err);
/* BYTE_STREAM_SPLIT of FLOAT, DOUBLE, INT32, INT64 or FIXED_LEN_BYTE_ARRAY:
 * values rebuilt into *buf (malloc, the caller frees it). */
int pq_bss_decode(int type, int32_t type_len, const unsigned char *p, size_t len,
		  struct pq_val *out, size_t n, unsigned char **buf, struct ic_error *err);

/* Where a page's compressed bytes come from: the next len bytes into dst.
 * Returns 0, or -1 having recorded its own error (the caller's business). */
#define PQ_WINDOW_MIN 16
typedef int (*pq_pull_fn)(void *ctx, unsigned char *dst, size_t len);

/*
 * Decompress a page of srclen bytes with codec (enum pq_codec) into exactly
 * dstlen bytes at dst, pulling the compressed bytes through win[0..wincap)
 * (wincap >= PQ_WINDOW_MIN, more than the longest element header; a
 * literal run is pulled straight into dst), so no more than the window of
 * them is held at once.  Codecs: UNCOMPRESSED, SNAPPY
 * (imcost's own decoder of the raw format), GZIP, ZSTD, LZ4_RAW (its own
 * decoder of the block format), BROTLI; LZO and the Hadoop-framed LZ4 are
 * refused.  Returns 0, or -1: with *pull_failed 1 when pull failed (its
 * error is elsewhere), else with err set (also when the result is not
 * exactly dstlen bytes or input is left over).
 */
int pq_decompress_stream(int codec, pq_pull_fn pull, void *ctx, size_t srclen, unsigned char *win,
			 size_t wincap, unsigned char *dst, size_t dstlen, int *pull_failed,
			 struct ic_error *err);

/* The same from src[0..srclen) in memory, through a window of wincap bytes
 * (tests: small windows split elements; below PQ_WINDOW_MIN, PQ_WINDOW_MIN). */
int pq_decompress(int codec, const unsigned char *src, size_t srclen, unsigned char *dst,
		  size_t dstlen, size_t wincap, struct ic_error *err);

/* Size of buffers for the pq_fmt_* functions below. */
#define PQ_FMT_SIZE 64

/* A decimal integer with `scale` digits after the point ("-12.3400"). */
char *pq_fmt_decimal(__int128 v, int32_t scale, char *buf);
/* A big-endian two's complement integer of len (1..16) bytes. */
__int128 pq_be_int(const unsigned char *p, uint32_t len);
/* Units since the epoch (units per second: 1000, 1e6, 1e9) as ISO UTC text.
 * Returns NULL when the year is outside 0001..9999. */
char *pq_fmt_timestamp(int64_t v, int64_t per_second, char *buf);
/* Days since the epoch as YYYY-MM-DD; NULL outside 0001..9999. */
char *pq_fmt_date(int64_t days, char *buf);
/* An INT96 (nanoseconds of the day, Julian day) as ISO text; NULL when
 * out of range. */
char *pq_fmt_int96(const unsigned char *p, char *buf);
/* The shortest text that reads back as d ("0.1", "1e-07"); NULL for
 * infinities and NaN. */
char *pq_fmt_double(double d, char *buf);

#endif
