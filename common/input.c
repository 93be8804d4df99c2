/*
 * input.c - plain, gzip and stdin input with a running content hash, and
 * the GB18030 -> UTF-8 conversion of Chinese bills (see input.h).
 *
 * Layers, bottom up: read(2) -> gzip (read_gz) -> hash (decoded_read, the
 * original bytes) -> character set (text_read) -> peek buffer (look).
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/input.h"

#define RAW_SIZE (256 * 1024)

static ssize_t
fill_raw(struct input *in, struct ic_error *err)
{
	ssize_t n;

	if (in->raw_pos < in->raw_len || in->raw_eof)
		return (ssize_t)(in->raw_len - in->raw_pos);
	do
		n = read(in->fd, in->raw, RAW_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ic_errorf(err, "%s: read failed: %s", in->name, strerror(errno));
	in->raw_pos = 0;
	in->raw_len = (size_t)n;
	in->raw_read += (uint64_t)n;
	if (n == 0)
		in->raw_eof = 1;
	return n;
}

int
input_open(struct input *in, const char *path, struct ic_error *err)
{
	struct stat st;

	memset(in, 0, sizeof *in);
	in->fd = -1;
	if (strcmp(path, "-") == 0) {
		in->name = "<stdin>";
		in->fd = 0;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0)
			return ic_errorf(err, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			input_close(in);
			return ic_errorf(err, "%s: is a directory", path);
		}
		if (S_ISREG(st.st_mode))
			in->size = (uint64_t)st.st_size;
	}
	in->raw = malloc(RAW_SIZE);
	if (in->raw == NULL) {
		input_close(in);
		return ic_errorf(err, "out of memory");
	}
	if (sha256_init(&in->hash) != 0) {
		const char *why = sha256_unavailable();
		input_close(in);
		return ic_errorf(err, "%s: cannot start the SHA-256 hash (%s)", path,
				 why ? why : "libcrypto");
	}
	/* Look at the first two bytes for the gzip magic. */
	while (in->raw_len < 2 && !in->raw_eof) {
		ssize_t n;
		do
			n = read(in->fd, in->raw + in->raw_len, RAW_SIZE - in->raw_len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			ic_errorf(err, "%s: read failed: %s", in->name, strerror(errno));
			input_close(in);
			return -1;
		}
		if (n == 0)
			in->raw_eof = 1;
		in->raw_len += (size_t)n;
		in->raw_read += (uint64_t)n;
	}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gz = 1;
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			input_close(in);
			return ic_errorf(err, "%s: cannot start gzip decoder", in->name);
		}
	}
	return 0;
}

static ssize_t
read_gz(struct input *in, unsigned char *buf, size_t n, struct ic_error *err)
{
	for (;;) {
		int rc;

		if (in->gz_done) {
			/* Another member may follow. */
			if (fill_raw(in, err) < 0)
				return -1;
			if (in->raw_pos >= in->raw_len)
				return 0;
			if (in->raw[in->raw_pos] != 0x1f)
				return ic_errorf(err, "%s: unexpected bytes after the end of the gzip data at compressed byte %llu",
						 in->name, (unsigned long long)(in->raw_read - (in->raw_len - in->raw_pos)));
			inflateReset(&in->zs);
			in->gz_done = 0;
		}
		if (fill_raw(in, err) < 0)
			return -1;
		if (in->raw_pos >= in->raw_len)
			return ic_errorf(err, "%s: truncated gzip data at compressed byte %llu (file ends inside a compressed stream)",
					 in->name, (unsigned long long)in->raw_read);
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->zs.next_out = buf;
		in->zs.avail_out = (uInt)n;
		rc = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->zs.avail_in;
		if (rc == Z_STREAM_END)
			in->gz_done = 1;
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return ic_errorf(err, "%s: corrupt gzip data at compressed byte %llu: %s", in->name,
					 (unsigned long long)(in->raw_read - (in->raw_len - in->raw_pos)),
					 in->zs.msg ? in->zs.msg : "inflate failed");
		if (n - in->zs.avail_out > 0)
			return (ssize_t)(n - in->zs.avail_out);
	}
}

static ssize_t
decoded_read(struct input *in, void *buf, size_t n, struct ic_error *err)
{
	ssize_t got;

	if (n > (1u << 30))
		n = 1u << 30;
	if (in->gz) {
		got = read_gz(in, buf, n, err);
	} else if (in->raw_pos >= in->raw_len && !in->raw_eof && n >= RAW_SIZE) {
		/* a large read with nothing buffered: straight into buf, one
		 * copy fewer */
		do
			got = read(in->fd, buf, n);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return ic_errorf(err, "%s: read failed: %s", in->name, strerror(errno));
		in->raw_read += (uint64_t)got;
		if (got == 0)
			in->raw_eof = 1;
	} else {
		if (fill_raw(in, err) < 0)
			return -1;
		got = (ssize_t)(in->raw_len - in->raw_pos);
		if ((size_t)got > n)
			got = (ssize_t)n;
		memcpy(buf, in->raw + in->raw_pos, (size_t)got);
		in->raw_pos += (size_t)got;
	}
	if (got > 0) {
		sha256_update(&in->hash, buf, (size_t)got);
		in->out_bytes += (uint64_t)got;
	}
	return got;
}

/* ---- character set ---- */

#define CS_DETECT (64 * 1024)	/* bytes that decide the character set */
#define CS_CHUNK (256 * 1024)	/* original bytes converted at a time */
#define CS_OUT (CS_CHUNK * 2 + 64)

/* Is p[0..n) valid UTF-8?  An incomplete last character passes when more
 * data follows (!at_eof). */
static int
utf8_ok(const unsigned char *p, size_t n, int at_eof)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i], lo = 0x80, hi = 0xbf;
		size_t need, k;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return 0;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (c == 0xe0) lo = 0xa0;
		else if (c == 0xed) hi = 0x9f;
		else if (c == 0xf0) lo = 0x90;
		else if (c == 0xf4) hi = 0x8f;
		for (k = 1; k < need && i + k < n; k++)
			if (p[i + k] < (k == 1 ? lo : 0x80) || p[i + k] > (k == 1 ? hi : 0xbf))
				return 0;
		if (i + need > n)
			return !at_eof;
		i += need;
	}
	return 1;
}

/* Does the first line read as GB18030 with Chinese in it?  (Only the
 * first line: a stray byte further on is then reported where it is.) */
static int
looks_gb18030(const unsigned char *p, size_t n, int at_eof)
{
	const unsigned char *nl = memchr(p, '\n', n);
	iconv_t cd;
	size_t out_cap, in_left, out_left;
	char *out, *ip = (char *)p, *op;
	int ok = 0;

	if (nl) {
		n = (size_t)(nl - p);
		at_eof = 1;
	}
	out_cap = n * 2 + 16;
	in_left = n;
	out_left = out_cap;
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return 0;
	out = malloc(out_cap);
	if (out != NULL) {
		op = out;
		if (iconv(cd, &ip, &in_left, &op, &out_left) != (size_t)-1 ||
		    (errno == EINVAL && !at_eof)) {
			/* a CJK ideograph (U+3400..U+9FFF) */
			for (char *q = out; q + 2 < op; q++) {
				unsigned char c = (unsigned char)*q, d = (unsigned char)q[1];
				if ((c >= 0xe4 && c <= 0xe9) || (c == 0xe3 && d >= 0x90)) {
					ok = 1;
					break;
				}
			}
		}
		free(out);
	}
	iconv_close(cd);
	return ok;
}

/* Top cs_in up with original bytes (moving what is left to the front). */
static int
cs_fill(struct input *in, size_t want, struct ic_error *err)
{
	if (in->cs_in_pos > 0) {
		memmove(in->cs_in, in->cs_in + in->cs_in_pos, in->cs_in_len - in->cs_in_pos);
		in->cs_in_len -= in->cs_in_pos;
		in->cs_in_pos = 0;
	}
	while (!in->cs_eof && in->cs_in_len < want) {
		ssize_t got = decoded_read(in, in->cs_in + in->cs_in_len, want - in->cs_in_len, err);
		if (got < 0)
			return -1;
		if (got == 0)
			in->cs_eof = 1;
		in->cs_in_len += (size_t)got;
	}
	return 0;
}

static void
cs_advance(struct input *in, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			in->cs_line++;
			in->cs_col = 1;
		} else {
			in->cs_col++;
		}
	}
}

static int
cs_decide(struct input *in, struct ic_error *err)
{
	if (in->cs_in == NULL)
		in->cs_in = malloc(CS_CHUNK + 16);
	if (in->cs_in == NULL)
		return ic_errorf(err, "out of memory");
	in->cs_line = in->cs_col = 1;
	if (in->charset == INPUT_CHARSET_UTF8) {
		in->cs_state = 1;
		return 0;
	}
	if (cs_fill(in, CS_DETECT, err) != 0)
		return -1;
	in->cs_state = 1;
	/* Parquet (binary, read by offset) is never converted */
	if (in->cs_in_len >= 4 && memcmp(in->cs_in, "PAR1", 4) == 0)
		return 0;
	if (in->charset == INPUT_CHARSET_GB18030 ||
	    (!utf8_ok(in->cs_in, in->cs_in_len, in->cs_eof) &&
	     looks_gb18030(in->cs_in, in->cs_in_len, in->cs_eof))) {
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		if (cd == (iconv_t)-1)
			return ic_errorf(err, "%s: cannot convert from GB18030 (iconv: %s)", in->name,
					 strerror(errno));
		in->cs_conv = cd;
		in->cs_out = malloc(CS_OUT);
		if (in->cs_out == NULL)
			return ic_errorf(err, "out of memory");
		in->cs_state = 2;
	}
	return 0;
}

/* Convert the next chunk of cs_in into cs_out. */
static int
cs_convert(struct input *in, struct ic_error *err)
{
	char *ip, *op;
	size_t in_left, out_left, r;

	if (cs_fill(in, CS_CHUNK, err) != 0)
		return -1;
	in->cs_out_len = in->cs_out_pos = 0;
	if (in->cs_in_len == 0)
		return 0;
	ip = (char *)in->cs_in;
	in_left = in->cs_in_len;
	op = (char *)in->cs_out;
	out_left = CS_OUT;
	r = iconv((iconv_t)in->cs_conv, &ip, &in_left, &op, &out_left);
	if (r == (size_t)-1 && errno != E2BIG && errno != EINVAL) {
		cs_advance(in, in->cs_in, (size_t)((unsigned char *)ip - in->cs_in));
		return ic_error_at(err, in->name, in->cs_line, in->cs_col,
				   "invalid byte 0x%02x: the file is neither UTF-8 nor GB18030/GBK",
				   (unsigned char)*ip);
	}
	if (r == (size_t)-1 && errno == EINVAL && in->cs_eof &&
	    (unsigned char *)ip == in->cs_in) {
		cs_advance(in, in->cs_in, (size_t)((unsigned char *)ip - in->cs_in));
		return ic_error_at(err, in->name, in->cs_line, in->cs_col,
				   "the file ends inside a GB18030 character (truncated?)");
	}
	cs_advance(in, in->cs_in, (size_t)((unsigned char *)ip - in->cs_in));
	in->cs_in_pos = (size_t)((unsigned char *)ip - in->cs_in);
	in->cs_out_len = CS_OUT - out_left;
	if (in->cs_out_len == 0 && in->cs_eof && in->cs_in_pos < in->cs_in_len)
		return ic_error_at(err, in->name, in->cs_line, in->cs_col,
				   "the file ends inside a GB18030 character (truncated?)");
	return 0;
}

/* decoded_read with the character set layer on top. */
static ssize_t
text_read(struct input *in, void *buf, size_t n, struct ic_error *err)
{
	size_t k;

	if (in->cs_state == 0 && cs_decide(in, err) != 0)
		return -1;
	if (in->cs_state == 1) {
		if (in->cs_in_pos < in->cs_in_len) {
			k = in->cs_in_len - in->cs_in_pos;
			if (k > n)
				k = n;
			memcpy(buf, in->cs_in + in->cs_in_pos, k);
			in->cs_in_pos += k;
			return (ssize_t)k;
		}
		return decoded_read(in, buf, n, err);
	}
	while (in->cs_out_pos >= in->cs_out_len) {
		if (in->cs_eof && in->cs_in_pos >= in->cs_in_len)
			return 0;
		if (cs_convert(in, err) != 0)
			return -1;
		if (in->cs_out_len == 0 && in->cs_eof && in->cs_in_len == 0)
			return 0;
	}
	k = in->cs_out_len - in->cs_out_pos;
	if (k > n)
		k = n;
	memcpy(buf, in->cs_out + in->cs_out_pos, k);
	in->cs_out_pos += k;
	return (ssize_t)k;
}

int
input_set_charset(struct input *in, enum input_charset cs)
{
	if (in->cs_state != 0)
		return -1;
	in->charset = cs;
	return 0;
}

int
input_transcoding(const struct input *in)
{
	return in->cs_state == 2;
}

ssize_t
input_peek(struct input *in, size_t n, const unsigned char **p, struct ic_error *err)
{
	if (n > sizeof in->look)
		n = sizeof in->look;
	if (in->look_pos > 0 && in->look_pos < in->look_len) {
		memmove(in->look, in->look + in->look_pos, in->look_len - in->look_pos);
		in->look_len -= in->look_pos;
	} else if (in->look_pos >= in->look_len) {
		in->look_len = 0;
	}
	in->look_pos = 0;
	while (in->look_len < n) {
		ssize_t got = text_read(in, in->look + in->look_len, n - in->look_len, err);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		in->look_len += (size_t)got;
	}
	*p = in->look;
	return (ssize_t)(in->look_len < n ? in->look_len : n);
}

ssize_t
input_read(struct input *in, void *buf, size_t n, struct ic_error *err)
{
	if (in->look_pos < in->look_len) {
		size_t k = in->look_len - in->look_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->look + in->look_pos, k);
		in->look_pos += k;
		return (ssize_t)k;
	}
	return text_read(in, buf, n, err);
}

int
input_hash(struct input *in, char hex[65])
{
	return sha256_peek_hex(&in->hash, hex);
}

void
input_close(struct input *in)
{
	if (in->gz)
		inflateEnd(&in->zs);
	in->gz = 0;
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
	free(in->raw);
	in->raw = NULL;
	if (in->cs_conv)
		iconv_close((iconv_t)in->cs_conv);
	in->cs_conv = NULL;
	free(in->cs_in);
	free(in->cs_out);
	in->cs_in = in->cs_out = NULL;
	sha256_free(&in->hash);
}
