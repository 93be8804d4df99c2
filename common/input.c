/*
 * input.c - plain, gzip and stdin input with a running content hash
 * (see input.h).
 */
#include <errno.h>
#include <fcntl.h>
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
		input_close(in);
		return ic_errorf(err, "%s: cannot start the SHA-256 hash (libcrypto)", path);
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
				return ic_errorf(err, "%s: unexpected bytes after the end of the gzip data", in->name);
			inflateReset(&in->zs);
			in->gz_done = 0;
		}
		if (fill_raw(in, err) < 0)
			return -1;
		if (in->raw_pos >= in->raw_len)
			return ic_errorf(err, "%s: truncated gzip data (file ends inside a compressed stream)", in->name);
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->zs.next_out = buf;
		in->zs.avail_out = (uInt)n;
		rc = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->zs.avail_in;
		if (rc == Z_STREAM_END)
			in->gz_done = 1;
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return ic_errorf(err, "%s: corrupt gzip data at byte %llu: %s", in->name,
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
		ssize_t got = decoded_read(in, in->look + in->look_len, n - in->look_len, err);
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
	return decoded_read(in, buf, n, err);
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
	sha256_free(&in->hash);
}
