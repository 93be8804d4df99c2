/*
 * error.c - filling struct ic_error (see error.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"

size_t
str_fit(const char *s, size_t len, size_t max)
{
	size_t lead, need;
	unsigned char b;

	if (len <= max)
		return len;
	if (max == 0)
		return 0;
	lead = max - 1;
	while (lead > 0 && ((unsigned char)s[lead] & 0xc0) == 0x80)
		lead--;
	b = (unsigned char)s[lead];
	need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
	return max - lead < need ? lead : max;
}

char *
str_copy_fit(char *dst, size_t n, const char *src)
{
	size_t l = str_fit(src, strlen(src), n - 1);

	memmove(dst, src, l);
	dst[l] = '\0';
	return dst;
}

char *
ic_trim_cut(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char c;

	while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (c = (unsigned char)s[i - 1]) < 0xc0)
		return s;	/* ends in ASCII (or in stray bytes, left as they are) */
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
	return s;
}

int
ic_errorf(struct ic_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof err->msg)
		ic_trim_cut(err->msg);
	return -1;
}

int
ic_error_at(struct ic_error *err, const char *file, long line, long col,
	    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	if (col > 0)
		n = snprintf(err->msg, sizeof err->msg, "%s:%ld:%ld: ", file, line, col);
	else
		n = snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line);
	if (n < 0 || (size_t)n >= sizeof err->msg) {
		ic_trim_cut(err->msg);
		return -1;
	}
	va_start(ap, fmt);
	if (vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap) >=
	    (int)(sizeof err->msg - (size_t)n))
		ic_trim_cut(err->msg);
	va_end(ap);
	return -1;
}

char *
ic_quote(const char *s, size_t len, size_t max, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, o = 0;

	if (max > 120)
		max = 120;
	while (i < len && i < max) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			buf[o++] = (char)c;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xf4) {
			size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, k;
			unsigned char lo = 0x80, hi = 0xbf;
			int ok = i + need <= len;
			/* the second byte's range rules out overlong forms,
			 * surrogates and code points past U+10FFFF */
			if (c == 0xe0) lo = 0xa0;
			else if (c == 0xed) hi = 0x9f;
			else if (c == 0xf0) lo = 0x90;
			else if (c == 0xf4) hi = 0x8f;
			if (ok && ((unsigned char)s[i + 1] < lo || (unsigned char)s[i + 1] > hi))
				ok = 0;
			for (k = 2; ok && k < need; k++)
				ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
			if (ok) {
				memcpy(buf + o, s + i, need);
				o += need;
				i += need;
				continue;
			}
		}
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[c >> 4];
		buf[o++] = hex[c & 15];
		i++;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
