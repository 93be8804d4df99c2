/*
 * html.c - HTML escaping, base64 and PNG embedding for the monthly
 * report (see html.h).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/html.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void
html_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL)
		return;
	while (*p) {
		size_t n;

		switch (*p) {
		case '&':
			fputs("&amp;", out);
			p++;
			continue;
		case '<':
			fputs("&lt;", out);
			p++;
			continue;
		case '>':
			fputs("&gt;", out);
			p++;
			continue;
		case '"':
			fputs("&quot;", out);
			p++;
			continue;
		case '\'':
			fputs("&#39;", out);
			p++;
			continue;
		default:
			break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fputc(*p == '\t' || *p == '\n' ? *p : ' ', out);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

char *
html_base64(const unsigned char *data, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t olen, i, o = 0;
	char *out;

	if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
		return NULL;
	olen = (n + 2) / 3 * 4;
	out = malloc(olen + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		out[o++] = abc[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* width and height from the first 24 bytes of a PNG */
static int
ihdr_size(const unsigned char *b, size_t n, unsigned *w, unsigned *h)
{
	if (n < 24 || memcmp(b, png_sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return -1;
	*w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
	*h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
	return *w && *h ? 0 : -1;
}

/* path opened for reading without following a final symbolic link (the
 * charts sit in a directory others may write to), or NULL */
static FILE *
open_nofollow(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;

	if (f == NULL && fd >= 0)
		close(fd);
	return f;
}

int
png_size(const char *path, unsigned *width, unsigned *height)
{
	unsigned char b[24];
	FILE *f = open_nofollow(path);
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(b, 1, sizeof b, f);
	fclose(f);
	return ihdr_size(b, n, width, height);
}

/* The whole file as a new buffer; NULL on failure.  At most 64 MiB. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = open_nofollow(path);
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= ((size_t)64 << 20))
				goto fail;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL)
				goto fail;
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

int
html_embed_png(FILE *out, const char *path, const char *alt)
{
	size_t n = 0;
	unsigned char *data = slurp(path, &n);
	unsigned w, h;
	char *b64;

	if (data == NULL)
		return -1;
	if (ihdr_size(data, n, &w, &h) != 0) {
		free(data);
		return -1;
	}
	b64 = html_base64(data, n);
	free(data);
	if (b64 == NULL)
		return -1;
	fputs("<img src=\"data:image/png;base64,", out);
	fputs(b64, out);
	fputs("\" alt=\"", out);
	html_escape(out, alt);
	fprintf(out, "\" width=\"%u\" height=\"%u\">", w, h);
	free(b64);
	return 0;
}
