/*
 * parquet-codec.c - the compression codecs of Parquet pages (see
 * parquet-decode.h): Snappy and LZ4_RAW decoded here, gzip, zstd and
 * Brotli through their libraries, each streaming its input through a
 * small window.  Split from parquet-decode.c.
 */
#include <brotli/decode.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "common/parquet-decode.h"
#include "common/parquet-thrift.h"

/* The compressed bytes of one page, pulled through a window. */
struct inflow {
	pq_pull_fn pull;
	void *ctx;
	uint64_t left;			/* bytes not yet pulled */
	unsigned char *win;
	size_t cap, pos, end;		/* window size; unread bytes are win[pos..end) */
	int pulled_failed;		/* the pull set its own error */
};

/* Make at least `want` bytes (or all that are left) unread in the window;
 * returns how many are, or -1 when the pull failed. */
static ptrdiff_t
inflow_fill(struct inflow *in, size_t want)
{
	size_t have = in->end - in->pos, n;

	if (have >= want || in->left == 0)
		return (ptrdiff_t)have;
	memmove(in->win, in->win + in->pos, have);
	in->pos = 0;
	in->end = have;
	n = in->cap - have;
	if (n > in->left)
		n = (size_t)in->left;
	if (in->pull(in->ctx, in->win + have, n) != 0) {
		in->pulled_failed = 1;
		return -1;
	}
	in->left -= n;
	in->end += n;
	return (ptrdiff_t)in->end;
}

/* Copy the next n compressed bytes to dst: what the window holds, then
 * straight from the source. */
static int
inflow_copy(struct inflow *in, unsigned char *dst, size_t n)
{
	size_t have = in->end - in->pos, k = have < n ? have : n;

	memcpy(dst, in->win + in->pos, k);
	in->pos += k;
	n -= k;
	if (n == 0)
		return 0;
	if (n > in->left)
		return -2;
	if (in->pull(in->ctx, dst + k, n) != 0) {
		in->pulled_failed = 1;
		return -1;
	}
	in->left -= n;
	return 0;
}

/* Snappy's raw format: a varint of the uncompressed length, then literals
 * (tag 0) and copies with 1-, 2- or 4-byte offsets back into the output. */
static int
snappy_stream(struct inflow *in, unsigned char *dst, size_t dstlen, struct ic_error *err)
{
	uint64_t ulen = 0;
	size_t op = 0;
	int shift = 0;
	ptrdiff_t have;

	for (;;) {
		unsigned char b;
		if ((have = inflow_fill(in, 1)) < 0)
			return -1;
		if (have < 1 || shift > 28)
			return ic_errorf(err, "corrupt Snappy page (its length)");
		b = in->win[in->pos++];
		ulen |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (ulen != dstlen)
		return ic_errorf(err, "corrupt Snappy page (or not the declared size)");
	while (op < dstlen) {
		const unsigned char *t;
		size_t len, off, extra;
		unsigned tag;
		if ((have = inflow_fill(in, 5)) < 0)
			return -1;
		if (have < 1)
			break;
		t = in->win + in->pos;
		tag = t[0];
		switch (tag & 3) {
		case 0:
			len = tag >> 2;
			extra = len < 60 ? 0 : len - 59;
			if ((size_t)have < 1 + extra)
				return ic_errorf(err, "corrupt Snappy page (truncated)");
			if (extra) {
				len = 0;
				for (size_t i = extra; i > 0; i--)
					len = len << 8 | t[i];
			}
			len += 1;
			in->pos += 1 + extra;
			if (len > dstlen - op)
				return ic_errorf(err, "corrupt Snappy page (a literal past its end)");
			switch (inflow_copy(in, dst + op, len)) {
			case -1:
				return -1;
			case -2:
				return ic_errorf(err, "corrupt Snappy page (truncated)");
			}
			op += len;
			continue;
		case 1:
			if (have < 2)
				return ic_errorf(err, "corrupt Snappy page (truncated)");
			len = ((tag >> 2) & 7) + 4;
			off = (size_t)(tag >> 5) << 8 | t[1];
			in->pos += 2;
			break;
		case 2:
			if (have < 3)
				return ic_errorf(err, "corrupt Snappy page (truncated)");
			len = (tag >> 2) + 1;
			off = (size_t)t[1] | (size_t)t[2] << 8;
			in->pos += 3;
			break;
		default:
			if (have < 5)
				return ic_errorf(err, "corrupt Snappy page (truncated)");
			len = (tag >> 2) + 1;
			off = (size_t)t[1] | (size_t)t[2] << 8 | (size_t)t[3] << 16 |
			      (size_t)t[4] << 24;
			in->pos += 5;
			break;
		}
		if (off == 0 || off > op || len > dstlen - op)
			return ic_errorf(err, "corrupt Snappy page (a copy outside the page)");
		if (off >= len) {
			memcpy(dst + op, dst + op - off, len);
		} else {
			/* overlapping: byte by byte, repeating the last off bytes */
			unsigned char *d = dst + op;
			const unsigned char *from = dst + op - off;
			for (size_t i = 0; i < len; i++)
				d[i] = from[i];
		}
		op += len;
	}
	if (op != dstlen || in->pos != in->end || in->left != 0)
		return ic_errorf(err, "corrupt Snappy page (or not the declared size)");
	return 0;
}

/* LZ4's block format (LZ4_RAW): sequences of a token, literals, a 2-byte
 * offset and a match; the last sequence has literals only. */
static int
lz4_len(struct inflow *in, size_t *len, struct ic_error *err)
{
	for (;;) {
		ptrdiff_t have = inflow_fill(in, 1);
		unsigned char b;
		if (have < 0)
			return -1;
		if (have < 1)
			return ic_errorf(err, "corrupt LZ4 page (truncated)");
		b = in->win[in->pos++];
		if (*len > SIZE_MAX / 2)
			return ic_errorf(err, "corrupt LZ4 page (a length too large)");
		*len += b;
		if (b != 255)
			return 0;
	}
}

static int
lz4_stream(struct inflow *in, unsigned char *dst, size_t dstlen, struct ic_error *err)
{
	size_t op = 0;

	for (;;) {
		ptrdiff_t have = inflow_fill(in, 3);
		size_t lit, mlen, off;
		unsigned tok;
		if (have < 0)
			return -1;
		if (have < 1)
			return ic_errorf(err, "corrupt LZ4 page (truncated)");
		tok = in->win[in->pos++];
		lit = tok >> 4;
		if (lit == 15 && lz4_len(in, &lit, err) != 0)
			return -1;
		if (lit > dstlen - op)
			return ic_errorf(err, "corrupt LZ4 page (literals past its end)");
		switch (inflow_copy(in, dst + op, lit)) {
		case -1:
			return -1;
		case -2:
			return ic_errorf(err, "corrupt LZ4 page (truncated)");
		}
		op += lit;
		if ((have = inflow_fill(in, 2)) < 0)
			return -1;
		if (have == 0)
			break;	/* the last sequence */
		if (have < 2)
			return ic_errorf(err, "corrupt LZ4 page (truncated)");
		off = (size_t)in->win[in->pos] | (size_t)in->win[in->pos + 1] << 8;
		in->pos += 2;
		mlen = tok & 15;
		if (mlen == 15 && lz4_len(in, &mlen, err) != 0)
			return -1;
		mlen += 4;
		if (off == 0 || off > op || mlen > dstlen - op)
			return ic_errorf(err, "corrupt LZ4 page (a match outside the page)");
		if (off >= mlen) {
			memcpy(dst + op, dst + op - off, mlen);
		} else {
			unsigned char *d = dst + op;
			const unsigned char *from = dst + op - off;
			for (size_t i = 0; i < mlen; i++)
				d[i] = from[i];
		}
		op += mlen;
	}
	if (op != dstlen)
		return ic_errorf(err, "corrupt LZ4 page (or not the declared size)");
	return 0;
}

static int
gzip_stream(struct inflow *in, unsigned char *dst, size_t dstlen, struct ic_error *err)
{
	z_stream zs;
	int r = Z_OK;

	if (dstlen > UINT32_MAX)
		return ic_errorf(err, "gzip page too large");
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return ic_errorf(err, "zlib: cannot start");
	zs.next_out = dst;
	zs.avail_out = (uInt)dstlen;
	while (r == Z_OK) {
		ptrdiff_t have = inflow_fill(in, in->cap);
		if (have < 0) {
			inflateEnd(&zs);
			return -1;
		}
		if (have == 0)
			break;
		zs.next_in = in->win + in->pos;
		zs.avail_in = (uInt)have;
		r = inflate(&zs, Z_NO_FLUSH);
		in->pos = in->end - zs.avail_in;
		if (r == Z_BUF_ERROR && zs.avail_out > 0)
			r = Z_OK;	/* wants more input */
	}
	inflateEnd(&zs);
	if (r != Z_STREAM_END || zs.total_out != dstlen || in->pos != in->end || in->left != 0)
		return ic_errorf(err, "corrupt gzip page (or not the declared size)");
	return 0;
}

static int
zstd_stream(struct inflow *in, unsigned char *dst, size_t dstlen, struct ic_error *err)
{
	ZSTD_DCtx *z = ZSTD_createDCtx();
	ZSTD_outBuffer out = { dst, dstlen, 0 };
	size_t r = 1;

	if (z == NULL)
		return ic_errorf(err, "out of memory");
	/* ZSTD_d_stableOutBuffer: matches are read from dst itself, so zstd
	 * allocates no window buffer of the page's size (a libzstd without it
	 * buffers, still correctly) */
	(void)ZSTD_DCtx_setParameter(z, ZSTD_d_experimentalParam2, 1);
	for (;;) {
		ptrdiff_t have = inflow_fill(in, in->cap);
		ZSTD_inBuffer ib;
		if (have < 0) {
			ZSTD_freeDCtx(z);
			return -1;
		}
		if (have == 0)
			break;
		ib.src = in->win + in->pos;
		ib.size = (size_t)have;
		ib.pos = 0;
		r = ZSTD_decompressStream(z, &out, &ib);
		in->pos += ib.pos;
		if (ZSTD_isError(r) || (ib.pos == 0 && out.pos == out.size))
			break;
	}
	ZSTD_freeDCtx(z);
	if (ZSTD_isError(r) || r != 0 || out.pos != dstlen || in->pos != in->end || in->left != 0)
		return ic_errorf(err, "corrupt zstd page (or not the declared size)");
	return 0;
}

static int
brotli_stream(struct inflow *in, unsigned char *dst, size_t dstlen, struct ic_error *err)
{
	BrotliDecoderState *b = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	BrotliDecoderResult r = BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT;
	size_t avail_out = dstlen;
	uint8_t *next_out = dst;

	if (b == NULL)
		return ic_errorf(err, "out of memory");
	while (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
		ptrdiff_t have = inflow_fill(in, in->cap);
		const uint8_t *next_in;
		size_t avail_in;
		if (have < 0) {
			BrotliDecoderDestroyInstance(b);
			return -1;
		}
		if (have == 0)
			break;
		next_in = in->win + in->pos;
		avail_in = (size_t)have;
		r = BrotliDecoderDecompressStream(b, &avail_in, &next_in, &avail_out, &next_out, NULL);
		in->pos = in->end - avail_in;
	}
	BrotliDecoderDestroyInstance(b);
	if (r != BROTLI_DECODER_RESULT_SUCCESS || avail_out != 0 || in->pos != in->end ||
	    in->left != 0)
		return ic_errorf(err, "corrupt Brotli page (or not the declared size)");
	return 0;
}

int
pq_decompress_stream(int codec, pq_pull_fn pull, void *ctx, size_t srclen, unsigned char *win,
		     size_t wincap, unsigned char *dst, size_t dstlen, int *pull_failed,
		     struct ic_error *err)
{
	struct inflow in = { pull, ctx, srclen, win, wincap, 0, 0, 0 };
	int r;

	*pull_failed = 0;
	if (wincap < PQ_WINDOW_MIN)
		return ic_errorf(err, "a decompression window of %zu bytes", wincap);
	switch (codec) {
	case PQ_UNCOMPRESSED:
		if (srclen != dstlen)
			return ic_errorf(err, "uncompressed page of %zu bytes where %zu were declared",
					 srclen, dstlen);
		r = inflow_copy(&in, dst, dstlen);
		break;
	case PQ_SNAPPY:
		r = snappy_stream(&in, dst, dstlen, err);
		break;
	case PQ_GZIP:
		r = gzip_stream(&in, dst, dstlen, err);
		break;
	case PQ_ZSTD:
		r = zstd_stream(&in, dst, dstlen, err);
		break;
	case PQ_LZ4_RAW:
		r = lz4_stream(&in, dst, dstlen, err);
		break;
	case PQ_BROTLI:
		r = brotli_stream(&in, dst, dstlen, err);
		break;
	case PQ_LZ4:
		return ic_errorf(err, "unsupported compression codec LZ4 (the deprecated "
				 "Hadoop-framed LZ4: write LZ4_RAW instead)");
	default:
		return ic_errorf(err, "unsupported compression codec %s",
				 codec == PQ_LZO ? "LZO" : "(unknown)");
	}
	*pull_failed = in.pulled_failed;
	return r == 0 ? 0 : -1;
}

struct mem_pull {
	const unsigned char *p;
};

static int
mem_pull(void *ctx, unsigned char *dst, size_t len)
{
	struct mem_pull *m = ctx;

	memcpy(dst, m->p, len);
	m->p += len;
	return 0;
}

int
pq_decompress(int codec, const unsigned char *src, size_t srclen, unsigned char *dst,
	      size_t dstlen, size_t wincap, struct ic_error *err)
{
	struct mem_pull m = { src };
	unsigned char *win;
	int failed, r;

	if (wincap < PQ_WINDOW_MIN)
		wincap = PQ_WINDOW_MIN;
	if ((win = malloc(wincap)) == NULL)
		return ic_errorf(err, "out of memory");
	r = pq_decompress_stream(codec, mem_pull, &m, srclen, win, wincap, dst,
				 dstlen, &failed, err);
	free(win);
	return r;
}
