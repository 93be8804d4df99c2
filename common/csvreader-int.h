/*
 * csvreader-int.h - what csvreader.c (the careful path and the driver)
 * shares with csvreader-fast.c (the one-pass path over 64-byte blocks).
 * Not a public API: everything else includes csvreader.h.
 */
#ifndef IMCOST_CSVREADER_INT_H
#define IMCOST_CSVREADER_INT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* CSV_NO_SIMD builds the portable code only, CSV_NO_AVX2 leaves the AVX2
 * code out (to test the others on x86-64). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
	!defined(CSV_NO_SIMD) && !defined(CSV_NO_AVX2)
#include <immintrin.h>
#define CSV_AVX2 1		/* an AVX2 fast_record, taken when the CPU has it */
#endif

struct csv_field;
struct input;
struct ic_error;

/* The reader's state (csvreader.c). */
struct reader {
	struct input *in;
	struct ic_error *err;
	char *buf;
	size_t cap, len, pos;	/* data is buf[pos..len) */
	int eof;
	long line;		/* line at buf[pos] */
	struct csv_field *f;
	int nf_cap;
	/* The scan of a record that has no end in the buffer yet (long_record):
	 * where it got to, relative to pos, so each byte is looked at once. */
	size_t sc_off;
	size_t sc_flen;		/* unescaped length of the field being scanned */
	long sc_field;		/* its 0-based number */
	long sc_nl;		/* line breaks before it, in the record */
	long sc_nl_all;		/* line breaks scanned */
	int sc_state;
	long blank_from, blank_to;	/* the run of blank lines [from, to) */
};


#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The UTF-8 and NUL check of p[0..n) (csvreader.c): 0 when valid; else
 * the 1-based byte offset of the first bad byte (*is_nul set when it is a
 * NUL). */
size_t check_bytes(const unsigned char *p, size_t n, int *is_nul);

/*
 * The one-pass read of the record at r->buf[r->pos..] (csvreader-fast.c):
 * 1 with its fields in r->f[0..*nf), its end (the LF's offset, or the
 * data's end) in *end and its line breaks in *nl; 0 when the careful path
 * must read it (the buffer is then as it was).  fast_record_avx2 is the
 * same with AVX2, for CPUs that have it.
 */
int fast_record(struct reader *r, size_t *end, int *nf, long *nl);
#ifdef CSV_AVX2
int fast_record_avx2(struct reader *r, size_t *end, int *nf, long *nl);
#endif

#endif
