/*
 * parquet-decode.c - Parquet value encodings (RLE/bit-packed hybrid, PLAIN,
 * DELTA_BINARY_PACKED, DELTA_(LENGTH_)BYTE_ARRAY, BYTE_STREAM_SPLIT) and
 * exact text forms of values (see parquet-decode.h).  The codecs are in
 * parquet-codec.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parquet-decode.h"
#include "common/parquet-thrift.h"
#include "common/timeparse.h"

static int
short_data(struct ic_error *err, const char *what)
{
	return ic_errorf(err, "%s: the data ends early (truncated or corrupt page)", what);
}

static int
uleb(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		unsigned char b = *(*p)++;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* Unpack count values of bw bits (LSB first) from p into out. */
static void
unpack(const unsigned char *p, int bw, uint32_t *out, size_t count)
{
	uint64_t acc = 0;
	int have = 0;
	uint32_t mask = bw == 32 ? 0xffffffffu : ((1u << bw) - 1);

	for (size_t i = 0; i < count; i++) {
		while (have < bw) {
			acc |= (uint64_t)*p++ << have;
			have += 8;
		}
		out[i] = (uint32_t)acc & mask;
		acc >>= bw;
		have -= bw;
	}
}

/* unpack for widths up to 64 (DELTA_BINARY_PACKED miniblocks) */
static void
unpack64(const unsigned char *p, int bw, uint64_t *out, size_t count)
{
	unsigned __int128 acc = 0;
	int have = 0;
	uint64_t mask = bw == 64 ? ~(uint64_t)0 : (((uint64_t)1 << bw) - 1);

	for (size_t i = 0; i < count; i++) {
		while (have < bw) {
			acc |= (unsigned __int128)*p++ << have;
			have += 8;
		}
		out[i] = (uint64_t)acc & mask;
		acc >>= bw;
		have -= bw;
	}
}

void
pq_rle_init(struct pq_rle *d, const unsigned char *p, size_t len, int bw)
{
	memset(d, 0, sizeof *d);
	d->p = p;
	d->end = p + len;
	d->bw = bw;
}

int
pq_rle_next(struct pq_rle *d, uint32_t *out, size_t n, struct ic_error *err)
{
	size_t got = 0;
	int bw = d->bw;

	if (bw < 0 || bw > 32)
		return ic_errorf(err, "RLE bit width %d out of range", bw);
	while (got < n) {
		uint64_t h;
		if (d->grp_i < d->grp_n) {
			size_t left = (size_t)(d->grp_n - d->grp_i);
			size_t k = left < n - got ? left : n - got;
			memcpy(out + got, d->grp + d->grp_i, k * sizeof *out);
			d->grp_i += (int)k;
			got += k;
		} else if (d->rle_left > 0) {
			size_t k = d->rle_left < n - got ? (size_t)d->rle_left : n - got;
			for (size_t i = 0; i < k; i++)
				out[got + i] = d->rle_val;
			d->rle_left -= k;
			got += k;
		} else if (d->groups > 0) {
			if ((size_t)(d->end - d->p) < (size_t)bw)
				return short_data(err, "RLE/bit-packed levels or indices");
			d->groups--;
			if (n - got >= 8) {
				unpack(d->p, bw, out + got, 8);
				got += 8;
			} else {
				unpack(d->p, bw, d->grp, 8);
				d->grp_i = 0;
				d->grp_n = 8;
			}
			d->p += bw;
		} else if (uleb(&d->p, d->end, &h) != 0) {
			return short_data(err, "RLE/bit-packed levels or indices");
		} else if (h & 1) {
			d->groups = h >> 1;
			if (d->groups == 0)
				return ic_errorf(err, "RLE/bit-packed: an empty bit-packed run");
		} else {
			int nb = (bw + 7) / 8;
			uint32_t v = 0;
			if ((size_t)(d->end - d->p) < (size_t)nb)
				return short_data(err, "RLE/bit-packed levels or indices");
			for (int b = 0; b < nb; b++)
				v |= (uint32_t)d->p[b] << (8 * b);
			d->p += nb;
			if (bw < 32 && (v >> bw))
				return ic_errorf(err, "RLE run value %u wider than %d bits", v, bw);
			d->rle_val = v;
			d->rle_left = h >> 1;
		}
	}
	return 0;
}

int
pq_rle_decode(const unsigned char *p, size_t len, int bw, uint32_t *out, size_t n,
	      struct ic_error *err)
{
	struct pq_rle d;

	pq_rle_init(&d, p, len, bw);
	return pq_rle_next(&d, out, n, err);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int
pq_plain_decode(int type, int32_t type_len, const unsigned char *p, size_t len,
		struct pq_val *out, size_t n, size_t *used, struct ic_error *err)
{
	size_t off = 0, w;

	switch (type) {
	case PQ_BOOLEAN:
		if (n > len * 8)
			return short_data(err, "PLAIN BOOLEAN values");
		for (size_t i = 0; i < n; i++)
			out[i].u.i = (p[i / 8] >> (i % 8)) & 1;
		*used = (n + 7) / 8;
		return 0;
	case PQ_INT32: case PQ_FLOAT: w = 4; break;
	case PQ_INT64: case PQ_DOUBLE: w = 8; break;
	case PQ_INT96: w = 12; break;
	case PQ_FIXED:
		if (type_len <= 0)
			return ic_errorf(err, "FIXED_LEN_BYTE_ARRAY of length %d", (int)type_len);
		w = (size_t)type_len;
		break;
	case PQ_BYTE_ARRAY:
		for (size_t i = 0; i < n; i++) {
			uint32_t l;
			if (len - off < 4)
				return short_data(err, "PLAIN BYTE_ARRAY values");
			l = le32(p + off);
			off += 4;
			if (l > len - off)
				return short_data(err, "PLAIN BYTE_ARRAY values");
			out[i].p = p + off;
			out[i].len = l;
			off += l;
		}
		*used = off;
		return 0;
	default:
		return ic_errorf(err, "unknown physical type %d", type);
	}
	if (n > len / w)
		return short_data(err, "PLAIN values");
	for (size_t i = 0; i < n; i++, off += w) {
		const unsigned char *q = p + off;
		switch (type) {
		case PQ_INT32: out[i].u.i = (int32_t)le32(q); break;
		case PQ_INT64: out[i].u.i = (int64_t)le64(q); break;
		case PQ_FLOAT: {
			uint32_t b = le32(q);
			float f;
			memcpy(&f, &b, 4);
			out[i].u.d = f;
			break;
		}
		case PQ_DOUBLE: {
			uint64_t b = le64(q);
			memcpy(&out[i].u.d, &b, 8);
			break;
		}
		default:
			out[i].p = q;
			out[i].len = (uint32_t)w;
		}
	}
	*used = off;
	return 0;
}

int
pq_delta_binary_decode(const unsigned char *p, size_t len, int is32, struct pq_val *out,
		       size_t n, size_t *used, struct ic_error *err)
{
	const unsigned char *start = p, *end = p + len;
	uint64_t block, minis, total, u;
	uint64_t last;
	size_t got = 0;
	uint64_t *tmp = NULL;

	if (uleb(&p, end, &block) != 0 || uleb(&p, end, &minis) != 0 ||
	    uleb(&p, end, &total) != 0 || uleb(&p, end, &u) != 0)
		return short_data(err, "DELTA_BINARY_PACKED header");
	if (block == 0 || block % 128 || minis == 0 || block % minis || (block / minis) % 32 ||
	    block > 65536)
		return ic_errorf(err, "DELTA_BINARY_PACKED: block size %llu with %llu miniblocks",
				 (unsigned long long)block, (unsigned long long)minis);
	if (total < n)
		return ic_errorf(err, "DELTA_BINARY_PACKED: %llu values where %zu are needed",
				 (unsigned long long)total, n);
	last = (u >> 1) ^ -(u & 1);
	if (n > 0)
		out[got++].u.i = is32 ? (int32_t)(uint32_t)last : (int64_t)last;
	tmp = malloc((size_t)(block / minis) * sizeof *tmp);
	if (tmp == NULL)
		return ic_errorf(err, "out of memory");
	/* blocks until total values are covered (the count may exceed n only
	 * in a malformed page; reading stops at n) */
	while (got < total && got < n) {
		uint64_t md;
		const unsigned char *widths;
		size_t per = (size_t)(block / minis);
		if (uleb(&p, end, &md) != 0 || (uint64_t)(end - p) < minis) {
			free(tmp);
			return short_data(err, "DELTA_BINARY_PACKED block");
		}
		md = (md >> 1) ^ -(md & 1);
		widths = p;
		p += minis;
		for (uint64_t m = 0; m < minis && got < n; m++) {
			int bw = widths[m];
			if (bw > 64) {
				free(tmp);
				return ic_errorf(err, "DELTA_BINARY_PACKED: bit width %d not supported", bw);
			}
			if ((size_t)(end - p) < per / 8 * (size_t)bw) {
				free(tmp);
				return short_data(err, "DELTA_BINARY_PACKED miniblock");
			}
			unpack64(p, bw, tmp, per);
			p += per / 8 * (size_t)bw;
			for (size_t k = 0; k < per && got < n; k++) {
				last += md + tmp[k];
				out[got++].u.i = is32 ? (int32_t)(uint32_t)last : (int64_t)last;
			}
		}
	}
	free(tmp);
	*used = (size_t)(p - start);
	return 0;
}

char *
pq_fmt_decimal(__int128 v, int32_t scale, char *buf)
{
	char tmp[48];
	unsigned __int128 m = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	int n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m);
	while (n <= scale)
		tmp[n++] = '0';
	if (v < 0)
		buf[k++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		buf[k++] = tmp[i];
		if (i == scale && scale > 0)
			buf[k++] = '.';
	}
	buf[k] = 0;
	return buf;
}

__int128
pq_be_int(const unsigned char *p, uint32_t len)
{
	unsigned __int128 u = (len > 0 && (p[0] & 0x80)) ? ~(unsigned __int128)0 : 0;

	for (uint32_t i = 0; i < len; i++)
		u = (u << 8) | p[i];
	return (__int128)u;
}

static char *
fmt_civil(int64_t days, int64_t sod, int64_t frac, int digits, char *buf)
{
	int y;
	unsigned mo, d;

	if (days < -719162 || days > 2932896)	/* 0001-01-01 .. 9999-12-31 */
		return NULL;
	civil_from_days(days, &y, &mo, &d);
	if (sod < 0) {
		snprintf(buf, PQ_FMT_SIZE, "%04d-%02u-%02u", y, mo, d);
		return buf;
	}
	{
		int n = snprintf(buf, PQ_FMT_SIZE, "%04d-%02u-%02uT%02d:%02d:%02d", y, mo, d,
				 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
		if (frac > 0) {
			char f[24];
			snprintf(f, sizeof f, "%0*lld", digits, (long long)frac);
			for (int i = digits - 1; i > 0 && f[i] == '0'; i--)
				f[i] = 0;
			n += snprintf(buf + n, (size_t)(PQ_FMT_SIZE - n), ".%s", f);
		}
		snprintf(buf + n, (size_t)(PQ_FMT_SIZE - n), "Z");
	}
	return buf;
}

char *
pq_fmt_timestamp(int64_t v, int64_t per_second, char *buf)
{
	int64_t secs = v / per_second, frac = v % per_second, days, sod;
	int digits = per_second == 1000 ? 3 : per_second == 1000000 ? 6 : 9;

	if (frac < 0) {
		frac += per_second;
		secs--;
	}
	days = secs / 86400;
	sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	return fmt_civil(days, sod, frac, digits, buf);
}

char *
pq_fmt_date(int64_t days, char *buf)
{
	return fmt_civil(days, -1, 0, 0, buf);
}

char *
pq_fmt_int96(const unsigned char *p, char *buf)
{
	int64_t nanos = (int64_t)le64(p);
	int64_t jd = (int32_t)le32(p + 8);

	if (nanos < 0 || nanos >= 86400LL * 1000000000LL)
		return NULL;
	return fmt_civil(jd - 2440588, nanos / 1000000000LL, nanos % 1000000000LL, 9, buf);
}

char *
pq_fmt_double(double d, char *buf)
{
	if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
		return NULL;
	/* the process never calls setlocale: printf and strtod use '.' */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, PQ_FMT_SIZE, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return buf;
}

int
pq_dlba_decode(const unsigned char *p, size_t len, struct pq_val *out, size_t n, size_t *used,
	       struct ic_error *err)
{
	size_t off;

	if (pq_delta_binary_decode(p, len, 1, out, n, &off, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t l = out[i].u.i;
		if (l < 0 || (uint64_t)l > len - off)
			return short_data(err, "DELTA_LENGTH_BYTE_ARRAY values");
		out[i].p = p + off;
		out[i].len = (uint32_t)l;
		off += (size_t)l;
	}
	*used = off;
	return 0;
}

int
pq_dba_decode(const unsigned char *p, size_t len, struct pq_val *out, size_t n,
	      unsigned char **buf, size_t max, struct ic_error *err)
{
	struct pq_val *pre;
	size_t used, total = 0, off = 0;
	int ret = -1;

	*buf = NULL;
	pre = calloc(n ? n : 1, sizeof *pre);
	if (pre == NULL)
		return ic_errorf(err, "out of memory");
	if (pq_delta_binary_decode(p, len, 1, pre, n, &used, err) != 0 ||
	    pq_dlba_decode(p + used, len - used, out, n, &used, err) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint64_t prev = i ? (uint64_t)pre[i - 1].u.i + out[i - 1].len : 0;
		if (pre[i].u.i < 0 || (uint64_t)pre[i].u.i > prev) {
			ic_errorf(err, "DELTA_BYTE_ARRAY: a prefix longer than the value before");
			goto out;
		}
		total += (size_t)pre[i].u.i + out[i].len;
		if (total > max) {
			ic_errorf(err, "DELTA_BYTE_ARRAY: values of more than %zu bytes", max);
			goto out;
		}
		pre[i].u.i += out[i].len;	/* the full length */
	}
	*buf = malloc(total ? total : 1);
	if (*buf == NULL) {
		ic_errorf(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t full = (size_t)pre[i].u.i, sl = out[i].len, pl = full - sl;
		if (pl)
			memcpy(*buf + off, out[i - 1].p, pl);
		memcpy(*buf + off + pl, out[i].p, sl);
		out[i].p = *buf + off;
		out[i].len = (uint32_t)full;
		off += full;
	}
	ret = 0;
out:
	free(pre);
	if (ret != 0) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

int
pq_bss_decode(int type, int32_t type_len, const unsigned char *p, size_t len, struct pq_val *out,
	      size_t n, unsigned char **buf, struct ic_error *err)
{
	size_t w = type == PQ_FLOAT || type == PQ_INT32 ? 4 : type == PQ_DOUBLE || type == PQ_INT64
		   ? 8 : type == PQ_FIXED && type_len > 0 ? (size_t)type_len : 0;
	size_t used;

	*buf = NULL;
	if (w == 0)
		return ic_errorf(err, "BYTE_STREAM_SPLIT on an unsupported type");
	if (n > len / w)
		return short_data(err, "BYTE_STREAM_SPLIT values");
	*buf = malloc(n > 0 ? n * w : 1);
	if (*buf == NULL)
		return ic_errorf(err, "out of memory");
	for (size_t k = 0; k < w; k++)
		for (size_t i = 0; i < n; i++)
			(*buf)[i * w + k] = p[k * n + i];
	if (pq_plain_decode(type, type_len, *buf, n * w, out, n, &used, err) != 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}
