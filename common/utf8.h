/*
 * utf8.h - the one UTF-8 validity rule of imcost's readers (the CSV reader
 * and the JSON pre-scan): well-formed sequences of RFC 3629, no overlong
 * forms, no surrogates, nothing beyond U+10FFFF.
 */
#ifndef IMCOST_UTF8_H
#define IMCOST_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (n bytes available, n >= 1):
 * 1 for ASCII, 2-4 for a multi-byte character, 0 when p does not start a
 * valid sequence within n bytes. */
static inline size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (need > n)
		return 0;
	if (c == 0xe0) lo = 0xa0;
	else if (c == 0xed) hi = 0x9f;
	else if (c == 0xf0) lo = 0x90;
	else if (c == 0xf4) hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need;
}

#endif
