/*
 * csvreader-fast.c - the one-pass path of the CSV reader (csvreader.c's
 * top comment says how it works): a record read as 64-byte blocks of bit
 * masks, with AVX2, SSE2 or 8 bytes at a time in a uint64_t.  A record it
 * does not take in whole goes back, as it was, to csvreader.c's careful
 * path.  Split from csvreader.c.
 */
#include <stdint.h>
#include <string.h>

#include "common/csvreader.h"
#include "common/csvreader-int.h"

/* ---- the one-pass path: records as 64-byte blocks of bit masks ---- */

#define BLOCK 64

/* One block of a record: bit i of each mask stands for byte i. */
struct block {
	uint64_t comma, quote, lf;
	uint64_t check;		/* NUL or >= 0x80: bytes check_bytes must see */
	uint64_t cr;		/* carriage returns: one no LF follows goes to split() */
};

#if !defined(__SSE2__) || defined(CSV_NO_SIMD)
/* The portable code.  The high bit of each byte of v that equals pat's
 * byte in that lane, and no other bit (no borrow runs from one byte into
 * the next, unlike the usual zero-byte test). */
static inline uint64_t
swar_eq(uint64_t v, uint64_t pat)
{
	uint64_t x = v ^ pat;

	return ~(((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
}

/* The high bits of m's bytes (its only bits) as 8 bits, byte 0 in bit 0. */
static inline uint64_t
swar_bits(uint64_t m)
{
	return ((m >> 7) * 0x0102040810204080ULL) >> 56;
}

/* Fills *m for the 64 bytes at p, 8 at a time, with any compiler and CPU. */
static inline void
block_swar(const char *p, struct block *m)
{
	memset(m, 0, sizeof *m);
	for (int j = 0; j < BLOCK / 8; j++) {
		uint64_t v;
		memcpy(&v, p + 8 * j, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = __builtin_bswap64(v);	/* byte 0 in the low bits */
#endif
		m->comma |= swar_bits(swar_eq(v, ONES * ',')) << (8 * j);
		m->quote |= swar_bits(swar_eq(v, ONES * '"')) << (8 * j);
		m->lf |= swar_bits(swar_eq(v, ONES * '\n')) << (8 * j);
		m->check |= swar_bits(swar_eq(v, 0) | (v & HIGHS)) << (8 * j);
		m->cr |= swar_bits(swar_eq(v, ONES * '\r')) << (8 * j);
	}
}
#else
/* Fills *m for the 64 bytes at p, 16 at a time. */
static inline void
block_sse2(const char *p, struct block *m)
{
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	const __m128i cr = _mm_set1_epi8('\r');

	memset(m, 0, sizeof *m);
	for (int j = 0; j < BLOCK / 16; j++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
		int sh = 16 * j;
		m->comma |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << sh;
		m->quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << sh;
		m->lf |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) << sh;
		m->check |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))) << sh;
		m->cr |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr)) << sh;
	}
}
#endif

#ifdef CSV_AVX2
/* Fills *m for the 64 bytes at p, 32 at a time. */
__attribute__((target("avx2"))) static inline void
block_avx2(const char *p, struct block *m)
{
	const __m256i comma = _mm256_set1_epi8(','), quote = _mm256_set1_epi8('"');
	const __m256i lf = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
	const __m256i cr = _mm256_set1_epi8('\r');
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));

#define AVX2_BITS(x, y) ((uint64_t)(uint32_t)_mm256_movemask_epi8(x) | \
			 (uint64_t)(uint32_t)_mm256_movemask_epi8(y) << 32)
	m->comma = AVX2_BITS(_mm256_cmpeq_epi8(lo, comma), _mm256_cmpeq_epi8(hi, comma));
	m->quote = AVX2_BITS(_mm256_cmpeq_epi8(lo, quote), _mm256_cmpeq_epi8(hi, quote));
	m->lf = AVX2_BITS(_mm256_cmpeq_epi8(lo, lf), _mm256_cmpeq_epi8(hi, lf));
	m->check = AVX2_BITS(_mm256_or_si256(lo, _mm256_cmpeq_epi8(lo, zero)),
			     _mm256_or_si256(hi, _mm256_cmpeq_epi8(hi, zero)));
	m->cr = AVX2_BITS(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(hi, cr));
#undef AVX2_BITS
}
#endif

#define ISA_BASE 0	/* SSE2 on x86-64, else block_swar */
#define ISA_AVX2 1

/* Fills *m for the 64 bytes at p with the instructions isa names. */
static inline __attribute__((always_inline)) void
block_masks(const char *p, struct block *m, int isa)
{
#ifdef CSV_AVX2
	if (isa == ISA_AVX2) {
		block_avx2(p, m);
		return;
	}
#endif
	(void)isa;
#if defined(__SSE2__) && !defined(CSV_NO_SIMD)
	block_sse2(p, m);
#else
	block_swar(p, m);
#endif
}

/* 1 when s[0..n) is not valid UTF-8 or holds a NUL, else 0. */
static int
bad_bytes(const char *s, size_t n)
{
	int is_nul;

	return check_bytes((const unsigned char *)s, n, &is_nul) != 0;
}

/* Room for at least `need` fields in r->f; returns 0, or -1 out of memory. */
static int
grow_fields(struct reader *r, int need)
{
	int cap = r->nf_cap ? r->nf_cap : 256;
	struct csv_field *f;

	while (cap < need)
		cap *= 2;
	f = realloc(r->f, (size_t)cap * sizeof *f);
	if (f == NULL)
		return -1;
	r->f = f;
	r->nf_cap = cap;
	return 0;
}

/* Unquotes field u of the record at b, whose quotes all come in pairs, in
 * place, the way split does, and NUL-terminates it. */
static void
unescape(char *b, struct csv_field *u)
{
	char *s = b + (u->s - b), *w = s, *p = s, *e = s + u->len;

	while (p < e)
		if ((*w++ = *p++) == '"')
			p++;
	*w = '\0';
	u->len = (size_t)(w - s);
}

/* Doubled-quote fields fast_record lists; a record with more has its
 * fields searched for them. */
#define ESC_LIST 16

/*
 * Reads the record at buf[pos] in one pass over 64-byte blocks, if the
 * data holds all of it and it is one split would take without an error:
 * every quote opens a field or closes one (or is doubled inside one), a
 * closing quote is followed by a comma or the line end, the bytes check
 * valid, no field is too long and there are not too many.  A record with
 * a doubled quote in a field that spans lines is left to split too (its
 * in-place unquoting moves line breaks that csv_read_all then counts).
 * Returns 1 with the fields in r->f, NUL-terminated in place, *end =
 * the index of its LF (or len) and *nl = the line breaks inside it; or 0,
 * with the buffer as it was, when the careful path is to read it.
 */
static inline __attribute__((always_inline)) int
fast_record_isa(struct reader *r, size_t *end, int *nf_out, long *nl_out, int isa)
{
	char *b = r->buf + r->pos, *data_end = r->buf + r->len;
	char *fs = b;		/* where the field (a quoted one's content) starts */
	char *stop, *e;		/* the record's LF (or the data's end); its last field's end */
	uint64_t skip = 0;	/* 1: the next block's byte 0 is a closing quote's comma
				 * or a doubled quote's second half, already read */
	int chk = 0, inq = 0, esc = 0, nf;
	int esc_at[ESC_LIST], nesc = 0;	/* the fields with doubled quotes */
	long nl = 0, nl_open = 0;
	struct csv_field *f, *fp, *room;	/* the next field; the last with a block's room after it */

	if (r->nf_cap <= BLOCK && grow_fields(r, BLOCK + 1) != 0)
		return 0;
	f = fp = r->f;
	room = f + (r->nf_cap - BLOCK - 1);
	for (char *blk = b; blk < data_end; blk += BLOCK) {
		struct block m;
		uint64_t c, q, l, k, from;

		/* a block ends at most 64 fields; one more ends the record */
		if (fp > room) {
			nf = (int)(fp - f);
			if (nf > CSV_FIELDS_MAX || grow_fields(r, nf + BLOCK + 1) != 0)
				goto undo;
			f = r->f;
			fp = f + nf;
			room = f + (r->nf_cap - BLOCK - 1);
		}
		if (data_end - blk >= BLOCK) {
			block_masks(blk, &m, isa);
		} else {
			/* the last bytes of the data: a copy, not a read past it */
			char tail[BLOCK];
			size_t n = (size_t)(data_end - blk);
			uint64_t in = ((uint64_t)1 << n) - 1;

			memset(tail, 0, sizeof tail);
			memcpy(tail, blk, n);
			block_masks(tail, &m, isa);
			m.comma &= in;
			m.quote &= in;
			m.lf &= in;
			m.check &= in;
			m.cr &= in;
		}
		/* a CR that no LF follows (data in quotes, an error outside
		 * them, a CR-only file's line end): the careful path reads it */
		if (m.cr & ~(m.lf >> 1)) {
			uint64_t bare = m.cr & ~(m.lf >> 1);
			if (bare != (uint64_t)1 << 63 || blk + BLOCK >= data_end || blk[BLOCK] != '\n')
				goto undo;
		}
		c = m.comma & ~skip;
		q = m.quote & ~skip;
		l = m.lf;
		k = m.check;
		skip = 0;
		from = ~(uint64_t)0;	/* in quotes: the bits not read yet */
		for (;;) {
			if (inq) {
				/* in a quoted field: only its next quote matters */
				uint64_t qs = q & from, qb = qs & -qs, in = from & (qb - 1);
				char *at;

				if (l & in)
					nl += __builtin_popcountll(l & in);
				if (k & in)
					chk = 1;
				if (qs == 0)
					break;	/* on in the next block */
				at = blk + __builtin_ctzll(qs);
				if (at + 1 < data_end && at[1] == '"') {
					/* a doubled quote: data */
					esc = 1;
					from = ~((qb << 2) - 1);
					skip = qb >> 63;
					continue;
				}
				/* the closing quote */
				if ((at + 1 == data_end && !r->eof) || (esc && nl != nl_open))
					goto undo;	/* a doubled quote may come; see above */
				if (esc && nesc++ < ESC_LIST)
					esc_at[nesc - 1] = (int)(fp - f);
				inq = 0;
				e = at;
				if (at + 1 == data_end) {
					stop = data_end;
					goto last;
				}
				if (at[1] == ',') {
					uint64_t done = (qb << 2) - 1;

					if (chk && bad_bytes(fs, (size_t)(at - fs)))
						goto undo;
					chk = 0;
					fp->s = fs;
					fp->len = (size_t)(at - fs);
					fp++;
					*at = '\0';
					fs = at + 2;
					c &= ~done;
					q &= ~done;
					l &= ~done;
					k &= ~done;
					skip = qb >> 63;
					continue;
				}
				if (at[1] == '\n') {
					stop = at + 1;
					goto last;
				}
				if (at[1] == '\r') {
					if (at + 2 == data_end && r->eof) {
						stop = data_end;
						goto last;
					}
					if (at + 2 < data_end && at[2] == '\n') {
						stop = at + 2;
						goto last;
					}
				}
				goto undo;	/* text after the closing quote, or more to read */
			} else {
				/* the commas before the first quote, LF or byte to check */
				uint64_t stops = q | l | k, sb = stops & -stops, below = sb - 1;
				uint64_t cs = c & below;

				if (cs) {
					char *at = blk + __builtin_ctzll(cs);

					if (chk && bad_bytes(fs, (size_t)(at - fs)))
						goto undo;
					chk = 0;
					for (;;) {
						fp->s = fs;
						fp->len = (size_t)(at - fs);
						fp++;
						*at = '\0';
						fs = at + 1;
						cs &= cs - 1;
						if (cs == 0)
							break;
						at = blk + __builtin_ctzll(cs);
					}
					c &= ~below;
				}
				if (stops == 0)
					break;
				if (k & sb) {
					/* the field needs the check; its other such
					 * bytes need not stop the walk */
					uint64_t next = c | q | l;
					chk = 1;
					k &= ~((next & -next) - 1);
					continue;
				}
				if (l & sb) {
					stop = blk + __builtin_ctzll(sb);
					e = stop > b && stop[-1] == '\r' ? stop - 1 : stop;
					goto last;
				}
				/* a quote, which must open the field */
				if (blk + __builtin_ctzll(sb) != fs)
					goto undo;
				fs++;
				q &= ~sb;
				from = ~(sb | below);
				inq = 1;
				esc = 0;
				nl_open = nl;
			}
		}
	}
	/* the data ends before an LF */
	if (inq || !r->eof)
		goto undo;
	stop = data_end;
	e = stop > b && stop[-1] == '\r' ? stop - 1 : stop;
last:
	nf = (int)(fp - f) + 1;
	/* a blank line, too many fields, bad bytes or maybe a field too long:
	 * split's */
	if (stop == b || (stop == b + 1 && b[0] == '\r') || nf > CSV_FIELDS_MAX ||
	    (chk && bad_bytes(fs, (size_t)(e - fs))))
		goto undo;
	if (stop - b > CSV_FIELD_MAX) {
		if (e - fs > CSV_FIELD_MAX)
			goto undo;
		for (int i = 0; i < nf - 1; i++)
			if (f[i].len > CSV_FIELD_MAX)
				goto undo;
	}
	fp->s = fs;
	fp->len = (size_t)(e - fs);
	*e = '\0';
	/* all read: unquote the fields with doubled quotes */
	if (nesc <= ESC_LIST) {
		for (int i = 0; i < nesc; i++)
			unescape(b, &f[esc_at[i]]);
	} else {
		/* too many to list: the quoted fields that hold a quote */
		for (int i = 0; i < nf; i++)
			if (f[i].s > b && f[i].s[-1] == '"' && memchr(f[i].s, '"', f[i].len) != NULL)
				unescape(b, &f[i]);
	}
	*end = (size_t)(stop - r->buf);
	*nf_out = nf;
	*nl_out = nl;
	return 1;
undo:
	/* put back the commas and closing quotes the fields' NULs replaced */
	for (struct csv_field *u = r->f; u < fp; u++)
		b[(u->s - b) + u->len] = u->s > b && u->s[-1] == '"' ? '"' : ',';
	return 0;
}

/* fast_record_isa with the baseline instructions. */
int
fast_record(struct reader *r, size_t *end, int *nf, long *nl)
{
	return fast_record_isa(r, end, nf, nl, ISA_BASE);
}

#ifdef CSV_AVX2
/* fast_record_isa with AVX2 (and BMI1 and POPCNT, which every AVX2 CPU has,
 * but csv_read_all checks them too). */
__attribute__((target("avx2,bmi,popcnt"))) int
fast_record_avx2(struct reader *r, size_t *end, int *nf, long *nl)
{
	return fast_record_isa(r, end, nf, nl, ISA_AVX2);
}
#endif
