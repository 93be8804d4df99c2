/*
 * test_parquet.c - common/parquet-thrift.c and parquet-decode.c on
 * hand-built byte sequences: the Thrift compact protocol (varints,
 * zigzag, short and long field headers, skipping, nesting limit), a
 * PageHeader and a FileMetaData, the RLE / bit-packed hybrid and
 * DELTA_BINARY_PACKED (the Parquet specification's examples), PLAIN of
 * each physical type, the codecs, and the exact text of DECIMAL,
 * TIMESTAMP, DATE, INT96 and DOUBLE values; and parquet_read_mem's
 * refusal of files that are not Parquet.
 */
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <check.h>

#include "common/parquet.h"
#include "common/parquet-decode.h"
#include "common/parquet-thrift.h"

START_TEST(test_thrift_primitives)
{
	static const unsigned char b[] = { 0x96, 0x01, 0x03, 0x04, 0x80 };
	struct tc t = { b, b + sizeof b, 0 };
	struct ic_error err;
	uint64_t u;
	int64_t v;

	ck_assert_int_eq(tc_varint(&t, &u, &err), 0);
	ck_assert_uint_eq(u, 150);
	ck_assert_int_eq(tc_zigzag(&t, &v, &err), 0);
	ck_assert_int_eq(v, -2);
	ck_assert_int_eq(tc_zigzag(&t, &v, &err), 0);
	ck_assert_int_eq(v, 2);
	/* 0x80: a continuation bit and then nothing */
	ck_assert_int_eq(tc_varint(&t, &u, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "truncated"));
}
END_TEST

START_TEST(test_thrift_fields_and_skip)
{
	/* field 1 i32 (short form), field 100 binary (long form: id zigzag
	 * 200), field 101 list<struct{field 1 i64}> of 2, field 102 map
	 * <i32,binary> of 1, stop */
	static const unsigned char b[] = {
		0x15, 0x02,
		0x08, 0xc8, 0x01, 0x03, 'a', 'b', 'c',
		0x19, 0x2c, 0x16, 0x02, 0x00, 0x16, 0x04, 0x00,
		0x1b, 0x01, 0x58, 0x02, 0x01, 'z',
		0x00
	};
	struct tc t = { b, b + sizeof b, 0 };
	struct ic_error err;
	int last = 0, type, id;

	ck_assert_int_eq(tc_field(&t, &last, &type, &id, &err), 0);
	ck_assert_int_eq(type, TC_I32);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(tc_skip(&t, type, &err), 0);
	ck_assert_int_eq(tc_field(&t, &last, &type, &id, &err), 0);
	ck_assert_int_eq(type, TC_BINARY);
	ck_assert_int_eq(id, 100);
	{
		const unsigned char *p;
		uint32_t n;
		ck_assert_int_eq(tc_binary(&t, &p, &n, &err), 0);
		ck_assert_uint_eq(n, 3);
		ck_assert_int_eq(memcmp(p, "abc", 3), 0);
	}
	ck_assert_int_eq(tc_field(&t, &last, &type, &id, &err), 0);
	ck_assert_int_eq(type, TC_LIST);
	ck_assert_int_eq(id, 101);
	ck_assert_int_eq(tc_skip(&t, type, &err), 0);
	ck_assert_int_eq(tc_field(&t, &last, &type, &id, &err), 0);
	ck_assert_int_eq(type, TC_MAP);
	ck_assert_int_eq(id, 102);
	ck_assert_int_eq(tc_skip(&t, type, &err), 0);
	ck_assert_int_eq(tc_field(&t, &last, &type, &id, &err), 0);
	ck_assert_int_eq(type, TC_STOP);
	ck_assert_ptr_eq(t.p, t.end);
}
END_TEST

START_TEST(test_thrift_hostile)
{
	unsigned char deep[100];
	struct tc t;
	struct ic_error err;
	/* a list claiming 1000 elements in 3 bytes */
	static const unsigned char big[] = { 0xf5, 0xe8, 0x07, 0x00 };
	/* a binary longer than the buffer */
	static const unsigned char lng[] = { 0x10, 'x' };

	/* struct field inside struct field... 100 deep */
	memset(deep, 0x1c, sizeof deep);
	t = (struct tc){ deep, deep + sizeof deep, 0 };
	ck_assert_int_eq(tc_skip(&t, TC_STRUCT, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "nested too deep"));
	t = (struct tc){ big, big + sizeof big, 0 };
	ck_assert_int_eq(tc_skip(&t, TC_LIST, &err), -1);
	t = (struct tc){ lng, lng + sizeof lng, 0 };
	{
		const unsigned char *p;
		uint32_t n;
		ck_assert_int_eq(tc_binary(&t, &p, &n, &err), -1);
	}
}
END_TEST

START_TEST(test_page_header)
{
	/* PageHeader{type=DATA_PAGE, uncompressed=100, compressed=80,
	 * data_page_header{num_values=10, encoding=PLAIN, def=RLE, rep=RLE}} */
	static const unsigned char b[] = {
		0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0xa0, 0x01,
		0x2c, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00,
		0x00, 0xee /* the page body */
	};
	struct pq_page_header h;
	struct ic_error err;
	size_t used;

	ck_assert_int_eq(pq_page_header_parse(b, sizeof b, &h, &used, &err), 0);
	ck_assert_uint_eq(used, sizeof b - 1);
	ck_assert_int_eq(h.type, PQ_DATA_PAGE);
	ck_assert_int_eq(h.uncompressed_size, 100);
	ck_assert_int_eq(h.compressed_size, 80);
	ck_assert_int_eq(h.num_values, 10);
	ck_assert_int_eq(h.encoding, PQ_PLAIN);
	ck_assert_int_eq(h.def_encoding, PQ_RLE);
	ck_assert_int_eq(h.has_body, 1);
	/* cut anywhere: an error, never a read past the end */
	for (size_t n = 0; n < sizeof b - 1; n++)
		ck_assert_int_eq(pq_page_header_parse(b, n, &h, &used, &err), -1);
}
END_TEST

START_TEST(test_file_metadata)
{
	/* FileMetaData{version=1, schema=[{name="schema", num_children=1},
	 * {type=INT64, repetition=OPTIONAL, name="cost", converted=DECIMAL,
	 * scale=2, precision=18}], num_rows=0, row_groups=[]} */
	static const unsigned char b[] = {
		0x15, 0x02,
		0x19, 0x2c,
		0x48, 0x06, 's', 'c', 'h', 'e', 'm', 'a', 0x15, 0x02, 0x00,
		0x15, 0x04, 0x25, 0x02, 0x18, 0x04, 'c', 'o', 's', 't', 0x25, 0x0a, 0x15, 0x04,
		0x15, 0x24, 0x00,
		0x16, 0x00,
		0x19, 0x0c,
		0x00
	};
	struct pq_meta m;
	struct ic_error err;

	ck_assert_int_eq(pq_meta_parse(b, sizeof b, &m, &err), 0);
	ck_assert_int_eq(m.nschema, 2);
	ck_assert_str_eq(m.schema[0].name, "schema");
	ck_assert_int_eq(m.schema[0].num_children, 1);
	ck_assert_str_eq(m.schema[1].name, "cost");
	ck_assert_int_eq(m.schema[1].type, PQ_INT64);
	ck_assert_int_eq(m.schema[1].repetition, 1);
	ck_assert_int_eq(m.schema[1].logical, PL_DECIMAL);
	ck_assert_int_eq(m.schema[1].scale, 2);
	ck_assert_int_eq(m.schema[1].precision, 18);
	ck_assert_int_eq(m.nrgs, 0);
	pq_meta_free(&m);
	for (size_t n = 0; n < sizeof b; n++) {
		ck_assert_int_eq(pq_meta_parse(b, n, &m, &err), -1);
		pq_meta_free(&m);
	}
}
END_TEST

START_TEST(test_rle_hybrid)
{
	/* the specification's bit-packed example (width 3, 0..7), then an
	 * RLE run of five 4s */
	static const unsigned char b[] = { 0x03, 0x88, 0xc6, 0xfa, 0x0a, 0x04 };
	static const unsigned char wide[] = { 0x02, 0x09 };	/* 9 in 3 bits */
	uint32_t out[13];
	struct ic_error err;

	ck_assert_int_eq(pq_rle_decode(b, sizeof b, 3, out, 13, &err), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(out[i], (uint32_t)i);
	for (int i = 8; i < 13; i++)
		ck_assert_uint_eq(out[i], 4);
	/* fewer values asked than the runs hold: fine; more: an error */
	ck_assert_int_eq(pq_rle_decode(b, sizeof b, 3, out, 5, &err), 0);
	ck_assert_uint_eq(out[4], 4 - 0);
	ck_assert_int_eq(pq_rle_decode(b, sizeof b, 3, out, 14, &err), -1);
	ck_assert_int_eq(pq_rle_decode(b, 3, 3, out, 8, &err), -1);
	ck_assert_int_eq(pq_rle_decode(wide, sizeof wide, 3, out, 1, &err), -1);
	ck_assert_int_eq(pq_rle_decode(b, sizeof b, 33, out, 1, &err), -1);
	/* width 0: all zeros, whatever the count */
	ck_assert_int_eq(pq_rle_decode((const unsigned char *)"\x10", 1, 0, out, 8, &err), 0);
	ck_assert_uint_eq(out[7], 0);
}
END_TEST

/* The streaming decoder hands out, in pieces of any size, exactly the
 * values of one whole decode, across run boundaries and inside a group. */
START_TEST(test_rle_stream)
{
	/* RLE run of three 5s, bit-packed 0..7 (width 3), RLE run of two 6s */
	static const unsigned char b[] = { 0x06, 0x05, 0x03, 0x88, 0xc6, 0xfa, 0x04, 0x06 };
	static const uint32_t want[] = { 5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7, 6, 6 };
	struct ic_error err;

	for (size_t piece = 1; piece <= 13; piece++) {
		struct pq_rle d;
		uint32_t out[13];
		size_t got = 0;
		pq_rle_init(&d, b, sizeof b, 3);
		while (got < 13) {
			size_t k = 13 - got < piece ? 13 - got : piece;
			ck_assert_int_eq(pq_rle_next(&d, out + got, k, &err), 0);
			got += k;
		}
		for (size_t i = 0; i < 13; i++)
			ck_assert_uint_eq(out[i], want[i]);
		/* and not one value more */
		ck_assert_int_eq(pq_rle_next(&d, out, 1, &err), -1);
	}
}
END_TEST

START_TEST(test_delta_binary)
{
	/* the specification's examples: 1..5 (width 0), and 7,5,3,1,2,3,4,5
	 * (min delta -2, width 2) */
	static const unsigned char a[] = { 0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0 };
	static const unsigned char b[] = { 0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 0x02, 0, 0, 0,
					   0xc0, 0x3f, 0, 0, 0, 0, 0, 0 };
	static const int64_t want[] = { 7, 5, 3, 1, 2, 3, 4, 5 };
	struct pq_val v[8];
	struct ic_error err;
	size_t used;

	ck_assert_int_eq(pq_delta_binary_decode(a, sizeof a, 1, v, 5, &used, &err), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(v[i].u.i, i + 1);
	ck_assert_int_eq(pq_delta_binary_decode(b, sizeof b, 0, v, 8, &used, &err), 0);
	ck_assert_uint_eq(used, sizeof b);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(v[i].u.i, want[i]);
	ck_assert_int_eq(pq_delta_binary_decode(b, sizeof b - 1, 0, v, 8, &used, &err), -1);
	ck_assert_int_eq(pq_delta_binary_decode(a, sizeof a, 1, v, 6, &used, &err), -1);
}
END_TEST

START_TEST(test_plain)
{
	static const unsigned char i32[] = { 0xff, 0xff, 0xff, 0xff, 0x2a, 0, 0, 0 };
	static const unsigned char ba[] = { 3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 2, 0, 0, 0, 'x' };
	static const unsigned char bools[] = { 0x05 };
	unsigned char dbl[8];
	double d = 0.1;
	struct pq_val v[3];
	struct ic_error err;
	size_t used;

	ck_assert_int_eq(pq_plain_decode(PQ_INT32, 0, i32, sizeof i32, v, 2, &used, &err), 0);
	ck_assert_int_eq(v[0].u.i, -1);
	ck_assert_int_eq(v[1].u.i, 42);
	ck_assert_int_eq(pq_plain_decode(PQ_INT64, 0, i32, sizeof i32, v, 1, &used, &err), 0);
	ck_assert_int_eq(v[0].u.i, 0x2affffffffLL);
	ck_assert_int_eq(pq_plain_decode(PQ_INT64, 0, i32, sizeof i32, v, 2, &used, &err), -1);
	memcpy(dbl, &d, 8);	/* x86-64 and arm64 are little-endian, like PLAIN */
	ck_assert_int_eq(pq_plain_decode(PQ_DOUBLE, 0, dbl, 8, v, 1, &used, &err), 0);
	ck_assert(v[0].u.d == 0.1);
	ck_assert_int_eq(pq_plain_decode(PQ_BYTE_ARRAY, 0, ba, 11, v, 2, &used, &err), 0);
	ck_assert_uint_eq(v[0].len, 3);
	ck_assert_int_eq(memcmp(v[0].p, "abc", 3), 0);
	ck_assert_uint_eq(v[1].len, 0);
	ck_assert_uint_eq(used, 11);
	/* a length beyond the data */
	ck_assert_int_eq(pq_plain_decode(PQ_BYTE_ARRAY, 0, ba, sizeof ba, v, 3, &used, &err), -1);
	ck_assert_int_eq(pq_plain_decode(PQ_BOOLEAN, 0, bools, 1, v, 3, &used, &err), 0);
	ck_assert_int_eq(v[0].u.i, 1);
	ck_assert_int_eq(v[1].u.i, 0);
	ck_assert_int_eq(v[2].u.i, 1);
	ck_assert_int_eq(pq_plain_decode(PQ_FIXED, 4, ba, 8, v, 2, &used, &err), 0);
	ck_assert_int_eq(memcmp(v[1].p, "abc", 3), 0);
	ck_assert_int_eq(pq_plain_decode(PQ_FIXED, 0, ba, 8, v, 1, &used, &err), -1);
	ck_assert_int_eq(pq_plain_decode(PQ_INT96, 0, ba, sizeof ba, v, 1, &used, &err), 0);
	ck_assert_uint_eq(v[0].len, 12);
}
END_TEST

START_TEST(test_codecs)
{
	/* a text with long and overlapping repeats (copies shorter than their
	 * offsets and longer), and a literal run longer than 60 bytes */
	static const char base[] = "resource_tags resource_tags resource_tags 12345 aaaaaaaaaaaaaaaaaaaa"
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?";
	char text[4000], comp[8192];
	unsigned char out[sizeof text];
	static const size_t wins[] = { 16, 17, 18, 19, 21, 23, 64, 65536 };
	size_t clen, n = 0;
	uLongf zlen;
	struct ic_error err;
	int zl;
	BrotliEncoderState *be;

	while (n + sizeof base <= sizeof text) {
		memcpy(text + n, base, sizeof base - 1);
		n += sizeof base - 1;
		text[n] = (char)('A' + n % 26);	/* breaks the period */
		n++;
	}
	memset(text + n, 'z', sizeof text - n);
	for (size_t w = 0; w < sizeof wins / sizeof wins[0]; w++) {
		size_t win = wins[w];
		/* Snappy, compressed by libsnappy, read by imcost's own decoder */
		clen = sizeof comp;
		ck_assert_int_eq(snappy_compress(text, sizeof text, comp, &clen), SNAPPY_OK);
		memset(out, 0, sizeof out);
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, (unsigned char *)comp, clen, out, sizeof text,
					       win, &err), 0);
		ck_assert_int_eq(memcmp(out, text, sizeof text), 0);
		/* not the declared size, truncated, or bytes left over: refused */
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, (unsigned char *)comp, clen, out,
					       sizeof text - 1, win, &err), -1);
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, (unsigned char *)comp, clen / 2, out,
					       sizeof text, win, &err), -1);
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, (unsigned char *)comp, clen + 1, out,
					       sizeof text, win, &err), -1);
		/* LZ4_RAW, compressed by liblz4 */
		zl = LZ4_compress_default(text, comp, sizeof text, sizeof comp);
		ck_assert_int_gt(zl, 0);
		memset(out, 0, sizeof out);
		ck_assert_int_eq(pq_decompress(PQ_LZ4_RAW, (unsigned char *)comp, (size_t)zl, out,
					       sizeof text, win, &err), 0);
		ck_assert_int_eq(memcmp(out, text, sizeof text), 0);
		ck_assert_int_eq(pq_decompress(PQ_LZ4_RAW, (unsigned char *)comp, (size_t)zl - 1, out,
					       sizeof text, win, &err), -1);
		ck_assert_int_eq(pq_decompress(PQ_LZ4_RAW, (unsigned char *)comp, (size_t)zl, out,
					       sizeof text + 1, win, &err), -1);
		/* zstd */
		clen = ZSTD_compress(comp, sizeof comp, text, sizeof text, 3);
		ck_assert(!ZSTD_isError(clen));
		memset(out, 0, sizeof out);
		ck_assert_int_eq(pq_decompress(PQ_ZSTD, (unsigned char *)comp, clen, out, sizeof text,
					       win, &err), 0);
		ck_assert_int_eq(memcmp(out, text, sizeof text), 0);
		ck_assert_int_eq(pq_decompress(PQ_ZSTD, (unsigned char *)comp, clen - 1, out,
					       sizeof text, win, &err), -1);
		ck_assert_int_eq(pq_decompress(PQ_ZSTD, (unsigned char *)comp, clen, out,
					       sizeof text - 1, win, &err), -1);
		/* gzip (zlib framing too: Parquet's GZIP is read with both) */
		zlen = sizeof comp;
		ck_assert_int_eq(compress2((Bytef *)comp, &zlen, (const Bytef *)text, sizeof text, 6),
				 Z_OK);
		memset(out, 0, sizeof out);
		ck_assert_int_eq(pq_decompress(PQ_GZIP, (unsigned char *)comp, zlen, out, sizeof text,
					       win, &err), 0);
		ck_assert_int_eq(memcmp(out, text, sizeof text), 0);
		ck_assert_int_eq(pq_decompress(PQ_GZIP, (unsigned char *)comp, zlen - 3, out,
					       sizeof text, win, &err), -1);
		/* Brotli */
		clen = sizeof comp;
		be = BrotliEncoderCreateInstance(NULL, NULL, NULL);
		ck_assert_ptr_nonnull(be);
		BrotliEncoderDestroyInstance(be);
		ck_assert_int_eq(BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, sizeof text,
						       (const uint8_t *)text, &clen, (uint8_t *)comp), 1);
		memset(out, 0, sizeof out);
		ck_assert_int_eq(pq_decompress(PQ_BROTLI, (unsigned char *)comp, clen, out, sizeof text,
					       win, &err), 0);
		ck_assert_int_eq(memcmp(out, text, sizeof text), 0);
		ck_assert_int_eq(pq_decompress(PQ_BROTLI, (unsigned char *)comp, clen - 1, out,
					       sizeof text, win, &err), -1);
		ck_assert_int_eq(pq_decompress(PQ_BROTLI, (unsigned char *)comp, clen, out,
					       sizeof text - 1, win, &err), -1);
	}
	/* a Snappy copy reaching before the start of the page: refused */
	{
		static const unsigned char bad[] = { 8, 0x04, 'a', 'b', 0x01, 0x05 };
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, bad, sizeof bad, out, 8, 64, &err), -1);
		ck_assert_str_eq(err.msg, "corrupt Snappy page (a copy outside the page)");
	}
	/* the same with a valid offset: "ab" then 6 bytes copied from 2 back */
	{
		static const unsigned char good[] = { 8, 0x04, 'a', 'b', 0x09, 0x02 };
		ck_assert_int_eq(pq_decompress(PQ_SNAPPY, good, sizeof good, out, 8, 1, &err), 0);
		ck_assert_int_eq(memcmp(out, "abababab", 8), 0);
	}
	ck_assert_int_eq(pq_decompress(PQ_LZ4, (unsigned char *)comp, 10, out, sizeof text, 64, &err),
			 -1);
	ck_assert_str_eq(err.msg, "unsupported compression codec LZ4 (the deprecated Hadoop-framed "
			 "LZ4: write LZ4_RAW instead)");
	ck_assert_int_eq(pq_decompress(PQ_LZO, (unsigned char *)comp, 10, out, sizeof text, 64, &err),
			 -1);
	ck_assert_str_eq(err.msg, "unsupported compression codec LZO");
}
END_TEST

START_TEST(test_text_forms)
{
	char buf[PQ_FMT_SIZE];
	static const unsigned char max16[16] = { 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
						 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const unsigned char neg[2] = { 0xff, 0x85 };
	/* INT96: 1.5 s into the day, Julian day 2440589 = 1970-01-02 */
	static const unsigned char i96[12] = { 0x00, 0x2f, 0x68, 0x59, 0, 0, 0, 0,
					       0x8d, 0x3d, 0x25, 0x00 };

	ck_assert_str_eq(pq_fmt_decimal(-12345, 2, buf), "-123.45");
	ck_assert_str_eq(pq_fmt_decimal(5, 3, buf), "0.005");
	ck_assert_str_eq(pq_fmt_decimal(-5, 3, buf), "-0.005");
	ck_assert_str_eq(pq_fmt_decimal(0, 2, buf), "0.00");
	ck_assert_str_eq(pq_fmt_decimal(42, 0, buf), "42");
	ck_assert_str_eq(pq_fmt_decimal(pq_be_int(max16, 16), 10, buf),
			 "17014118346046923173168730371.5884105727");
	ck_assert_str_eq(pq_fmt_decimal(pq_be_int(neg, 2), 1, buf), "-12.3");
	ck_assert_str_eq(pq_fmt_timestamp(0, 1000, buf), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(pq_fmt_timestamp(1700000000123LL, 1000, buf), "2023-11-14T22:13:20.123Z");
	ck_assert_str_eq(pq_fmt_timestamp(-1, 1000000, buf), "1969-12-31T23:59:59.999999Z");
	ck_assert_str_eq(pq_fmt_timestamp(86400LL * 1000000000 + 500, 1000000000, buf),
			 "1970-01-02T00:00:00.0000005Z");
	ck_assert_ptr_null(pq_fmt_timestamp(INT64_MAX, 1000, buf));
	ck_assert_str_eq(pq_fmt_date(19000, buf), "2022-01-08");
	ck_assert_str_eq(pq_fmt_date(-1, buf), "1969-12-31");
	ck_assert_str_eq(pq_fmt_int96(i96, buf), "1970-01-02T00:00:01.5Z");
	ck_assert_str_eq(pq_fmt_double(0.1, buf), "0.1");
	ck_assert_str_eq(pq_fmt_double(1e-07, buf), "1e-07");
	ck_assert_str_eq(pq_fmt_double(123.456, buf), "123.456");
	ck_assert_str_eq(pq_fmt_double(0.1 + 0.2, buf), "0.30000000000000004");
	ck_assert_ptr_null(pq_fmt_double(1.0 / 0.0, buf));
}
END_TEST

static int
count_rec(void *ctx, const struct csv_record *rec, struct ic_error *err)
{
	(void)rec;
	(void)err;
	++*(int *)ctx;
	return 0;
}

START_TEST(test_not_parquet)
{
	struct ic_error err;
	int n = 0;
	static const unsigned char junk[] = "PAR1\x01\x02\x03\x04\x05\x06\x07\x08\x04\x00\x00\x00PAR1";

	ck_assert_int_eq(parquet_read_mem("x.parquet", (const unsigned char *)"PAR1", 4, count_rec, &n,
					  &err), -1);
	ck_assert_str_eq(err.msg, "x.parquet: truncated Parquet file (4 bytes)");
	ck_assert_int_eq(parquet_read_mem("x.parquet", junk, sizeof junk - 1, count_rec, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "x.parquet: Parquet footer: "));
	ck_assert_int_eq(n, 0);
}
END_TEST

Suite *
parquet_suite(void)
{
	Suite *s = suite_create("parquet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_thrift_primitives);
	tcase_add_test(tc, test_thrift_fields_and_skip);
	tcase_add_test(tc, test_thrift_hostile);
	tcase_add_test(tc, test_page_header);
	tcase_add_test(tc, test_file_metadata);
	tcase_add_test(tc, test_rle_hybrid);
	tcase_add_test(tc, test_rle_stream);
	tcase_add_test(tc, test_delta_binary);
	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_codecs);
	tcase_add_test(tc, test_text_forms);
	tcase_add_test(tc, test_not_parquet);
	suite_add_tcase(s, tc);
	return s;
}
