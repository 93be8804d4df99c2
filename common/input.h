/*
 * input.h - a byte stream from a file, a .gz file or stdin.
 *
 * gzip is recognised by its magic bytes, not by the name, and may hold
 * several members (concatenated .gz files).  The SHA-256 of the
 * decompressed bytes is kept as they pass, so the same content has the
 * same hash whether it came compressed or not.
 *
 * Character set: Chinese bills (Alibaba, Tencent) saved through Excel are
 * GBK/GB18030, not UTF-8.  By default the first 64 KiB decide: when they
 * are not valid UTF-8 and their first line (the header) decodes as GB18030
 * with Chinese characters in it, the whole stream is converted to UTF-8
 * (iconv) as it is read, and a byte that is not GB18030 later on is an
 * error at its line and column; anything else passes unchanged (invalid
 * UTF-8 is then refused by its reader).  The hash is always of the
 * original bytes.
 */
#ifndef IMCOST_INPUT_H
#define IMCOST_INPUT_H

#include <stdint.h>
#include <sys/types.h>
#include <zlib.h>

#include "common/error.h"
#include "common/sha256.h"

struct input {
	const char *name;	/* as given; "-" is shown as "<stdin>" */
	int fd;
	int gz;			/* 1 when the stream is gzip */
	int gz_done;		/* current member ended */
	z_stream zs;
	unsigned char *raw;	/* compressed read buffer */
	size_t raw_len, raw_pos;
	int raw_eof;
	uint64_t raw_read;	/* bytes read from the file so far */
	uint64_t size;		/* file size when known (regular file), else 0 */
	uint64_t out_bytes;	/* decompressed bytes delivered */
	struct sha256 hash;
	unsigned char look[4096];	/* bytes peeked but not yet read */
	size_t look_len, look_pos;
	/* character set layer (input_set_charset) */
	int charset;		/* enum input_charset asked for */
	int cs_state;		/* 0 undecided, 1 bytes pass, 2 GB18030 -> UTF-8 */
	void *cs_conv;		/* iconv_t while converting */
	unsigned char *cs_in;	/* original bytes not yet delivered or converted */
	size_t cs_in_len, cs_in_pos;
	unsigned char *cs_out;	/* converted bytes not yet delivered */
	size_t cs_out_len, cs_out_pos;
	int cs_eof;		/* the original bytes are all in cs_in */
	long cs_line, cs_col;	/* position of cs_in[cs_in_pos] in the original text */
};

enum input_charset {
	INPUT_CHARSET_AUTO,	/* the default: decided by the first 64 KiB */
	INPUT_CHARSET_UTF8,	/* bytes pass unchanged */
	INPUT_CHARSET_GB18030	/* converted from GB18030 (GBK, GB2312) to UTF-8 */
};

/*
 * Open path ("-" for stdin).  Returns 0, or -1 with err set.  The struct
 * keeps a pointer to path: it must outlive the input.
 */
int input_open(struct input *in, const char *path, struct ic_error *err);

/*
 * Read up to n decompressed bytes into buf.  Returns the count, 0 at the
 * end of the data, or -1 with err set (read error, corrupt or truncated
 * gzip).
 */
ssize_t input_read(struct input *in, void *buf, size_t n, struct ic_error *err);

/*
 * Look at up to n (<= 4096) upcoming decompressed bytes without consuming
 * them: *p points at them (valid until the next read).  Returns how many
 * are available (fewer at the end of the data), or -1 with err set.
 */
ssize_t input_peek(struct input *in, size_t n, const unsigned char **p, struct ic_error *err);

/*
 * Choose the character set before the first read or peek (the default is
 * INPUT_CHARSET_AUTO).  Returns 0, or -1 once reading has begun.
 */
int input_set_charset(struct input *in, enum input_charset cs);

/* 1 when the stream is being converted from GB18030 (known after the first
 * read or peek), else 0. */
int input_transcoding(const struct input *in);

/* The hash of everything read so far, as 64 hex digits, into hex[65].
 * Returns 0, or -1 when the hash library failed. */
int input_hash(struct input *in, char hex[65]);

/* Close and free.  Safe to call twice. */
void input_close(struct input *in);

#endif
