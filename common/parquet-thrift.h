/*
 * parquet-thrift.h - the Thrift compact protocol, and the parts of
 * Parquet's FileMetaData and PageHeader that imcost's reader uses.
 *
 * Every read is bounds-checked against the buffer it was given: a short,
 * hostile or nonsensical footer gives an error, never a read past the end.
 * Nesting is limited (TC_DEPTH_MAX) so a crafted footer cannot recurse the
 * stack away, and every count is checked against the bytes left before
 * anything is allocated.
 */
#ifndef IMCOST_PARQUET_THRIFT_H
#define IMCOST_PARQUET_THRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define TC_DEPTH_MAX 32

/* A cursor over a Thrift compact-protocol buffer. */
struct tc {
	const unsigned char *p, *end;
	int depth;
};

/* Compact protocol type ids. */
enum {
	TC_STOP = 0, TC_TRUE = 1, TC_FALSE = 2, TC_BYTE = 3, TC_I16 = 4, TC_I32 = 5,
	TC_I64 = 6, TC_DOUBLE = 7, TC_BINARY = 8, TC_LIST = 9, TC_SET = 10, TC_MAP = 11,
	TC_STRUCT = 12
};

/* Primitive reads; each returns 0, or -1 with err set ("...: truncated"). */
int tc_varint(struct tc *t, uint64_t *v, struct ic_error *err);
int tc_zigzag(struct tc *t, int64_t *v, struct ic_error *err);
/* A binary/string: *p points into the buffer, *len its length. */
int tc_binary(struct tc *t, const unsigned char **p, uint32_t *len, struct ic_error *err);
/* A field header: *type (TC_STOP ends the struct) and *id (from *last). */
int tc_field(struct tc *t, int *last, int *type, int *id, struct ic_error *err);
/* A list header: element type and count (checked against bytes left). */
int tc_list(struct tc *t, int *etype, uint32_t *n, struct ic_error *err);
/* Skip one value of the given type. */
int tc_skip(struct tc *t, int type, struct ic_error *err);

/* Parquet enums (parquet.thrift). */
enum pq_type { PQ_BOOLEAN, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE,
	       PQ_BYTE_ARRAY, PQ_FIXED };
enum pq_codec { PQ_UNCOMPRESSED, PQ_SNAPPY, PQ_GZIP, PQ_LZO, PQ_BROTLI, PQ_LZ4, PQ_ZSTD,
		PQ_LZ4_RAW };
enum pq_enc { PQ_PLAIN = 0, PQ_PLAIN_DICT = 2, PQ_RLE = 3, PQ_BIT_PACKED = 4,
	      PQ_DELTA_BINARY = 5, PQ_DELTA_LENGTH = 6, PQ_DELTA_BYTE_ARRAY = 7,
	      PQ_RLE_DICT = 8, PQ_BYTE_STREAM_SPLIT = 9 };
enum pq_page { PQ_DATA_PAGE = 0, PQ_INDEX_PAGE = 1, PQ_DICT_PAGE = 2, PQ_DATA_PAGE_V2 = 3 };
/* What a leaf's values mean (from ConvertedType or LogicalType). */
enum pq_logical { PL_NONE, PL_STRING, PL_DECIMAL, PL_DATE, PL_TS_MILLIS, PL_TS_MICROS,
		  PL_TS_NANOS, PL_INT, PL_OTHER, PL_MAP, PL_LIST, PL_JSON, PL_TIME };

struct pq_schema {
	char *name;		/* NUL-terminated copy (malloc) */
	int type;		/* enum pq_type, or -1 for a group */
	int32_t type_length;
	int repetition;		/* 0 required, 1 optional, 2 repeated, -1 absent */
	int32_t num_children;
	int logical;		/* enum pq_logical */
	int32_t scale, precision;
	int int_signed;		/* for PL_INT: 1 signed */
	int int_bits;
};

struct pq_chunk {
	int type;
	int codec;
	int64_t num_values;
	int64_t total_compressed, total_uncompressed;
	int64_t data_page_offset, dict_page_offset;	/* dict -1 when absent */
	int has_meta;		/* 0 when the chunk's metadata lives elsewhere */
};

struct pq_rowgroup {
	struct pq_chunk *chunks;
	int nchunks;
	int64_t num_rows;
	int64_t total_byte_size;
};

struct pq_meta {
	struct pq_schema *schema;
	int nschema;
	struct pq_rowgroup *rgs;
	int nrgs;
	int64_t num_rows;
};

/* Parse FileMetaData from buf[0..len).  Returns 0, or -1 with err set (the
 * message starts with what was being read, no file name).  On success the
 * caller owns m and frees it with pq_meta_free (safe on a zeroed or
 * half-filled struct too). */
int pq_meta_parse(const unsigned char *buf, size_t len, struct pq_meta *m, struct ic_error *err);
void pq_meta_free(struct pq_meta *m);

struct pq_page_header {
	int type;
	int32_t uncompressed_size, compressed_size;
	int32_t num_values;
	int encoding;
	int def_encoding, rep_encoding;	/* v1 */
	/* v2 */
	int32_t num_nulls, num_rows;
	int32_t def_bytes, rep_bytes;
	int is_compressed;	/* v2: default 1 */
	int has_body;		/* 1 when a data/dictionary header was present */
};

/* Parse a PageHeader at buf[0..len): *used gets its length in bytes.
 * Returns 0, or -1 with err set. */
int pq_page_header_parse(const unsigned char *buf, size_t len, struct pq_page_header *h,
			 size_t *used, struct ic_error *err);

#endif
