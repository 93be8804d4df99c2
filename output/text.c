/*
 * text.c - UTF-8 text measured and fitted for the terminal (see table.h:
 * text_width, text_fit, text_shorten_id, format_count): display widths
 * from a small built-in wcwidth, independent of the process locale;
 * invalid bytes become U+FFFD.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
#include "output/table-int.h"
#include "output/table.h"


/* ---- UTF-8 ---------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence at s[0..n).  Returns its length (1..4) and sets
 * *cp, or 0 if the bytes at s are not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, k;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

struct range {
	uint32_t lo, hi;
};

/* Zero-width: combining marks, zero-width spaces/joiners, selectors. */
static const struct range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd},
	{0x0610, 0x061a}, {0x064b, 0x065f}, {0x0670, 0x0670},
	{0x06d6, 0x06dc}, {0x0900, 0x0902}, {0x093c, 0x093c},
	{0x0941, 0x0948}, {0x094d, 0x094d}, {0x0e31, 0x0e31},
	{0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e},
	{0x2060, 0x2064}, {0x20d0, 0x20ff}, {0x302a, 0x302d},
	{0x3099, 0x309a}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
	{0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth: two terminal columns. */
static const struct range wide[] = {
	{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a},
	{0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
	{0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653},
	{0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5},
	{0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
	{0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa},
	{0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
	{0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c},
	{0x2b50, 0x2b50}, {0x2b55, 0x2b55}, {0x2e80, 0x303e},
	{0x3041, 0x3247}, {0x3250, 0x4dbf}, {0x4e00, 0xa4cf},
	{0xa960, 0xa97f}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
	{0xfe10, 0xfe19}, {0xfe30, 0xfe6f}, {0xff00, 0xff60},
	{0xffe0, 0xffe6}, {0x16fe0, 0x16fe4}, {0x17000, 0x18cff},
	{0x1b000, 0x1b2ff}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf},
	{0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f251},
	{0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff},
	{0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

static int
in_ranges(uint32_t c, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < r[mid].lo)
			hi = mid;
		else if (c > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Terminal columns of one code point (controls count 1: we print a space). */
static int
char_width(uint32_t c)
{
	if (c < 0x20 || c == 0x7f)
		return 1;
	if (c >= 0x80 && c < 0xa0)
		return 0;
	if (in_ranges(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_ranges(c, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

/* Display width of a NUL-terminated string; invalid bytes count 1 each. */
size_t
display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0, k;
	uint32_t c;

	while (n > 0) {
		k = utf8_decode(p, n, &c);
		if (k == 0) {
			w++;
			k = 1;
		} else {
			w += (size_t)char_width(c);
		}
		p += k;
		n -= k;
	}
	return w;
}

/* Copy s as valid UTF-8, each invalid byte replaced by U+FFFD. */
char *
utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0, k;
	uint32_t c;
	char *out;

	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * n + 1);
	if (out == NULL)
		return NULL;
	while (n > 0) {
		k = utf8_decode(p, n, &c);
		if (k == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			k = 1;
		} else {
			memcpy(out + o, p, k);
			o += k;
		}
		p += k;
		n -= k;
	}
	out[o] = '\0';
	return out;
}

/* ---- fitting text into a width -------------------------------------- */

char *
format_count(int64_t n, char *buf)
{
	snprintf(buf, 32, "%lld", (long long)n);
	group_digits(buf, 32);
	return buf;
}

size_t
text_width(const char *s)
{
	return display_width(s);
}

/* Byte length of the longest prefix of s (n bytes) at most w columns wide. */
static size_t
prefix_bytes(const char *s, size_t n, size_t w)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, used = 0, k;
	uint32_t c;
	int cw;

	while (o < n) {
		k = utf8_decode(p + o, n - o, &c);
		cw = k == 0 ? 1 : char_width(c);
		if (k == 0)
			k = 1;
		if (used + (size_t)cw > w)
			break;
		used += (size_t)cw;
		o += k;
	}
	return o;
}

/* Byte offset where the longest suffix of s at most w columns wide starts. */
static size_t
suffix_start(const char *s, size_t w)
{
	size_t n = strlen(s), total = display_width(s), o = 0, k;
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;

	while (o < n && total > w) {
		k = utf8_decode(p + o, n - o, &c);
		total -= k == 0 ? 1 : (size_t)char_width(c);
		o += k == 0 ? 1 : k;
	}
	return o;
}

/* Append n bytes of s to buf (size bytes, at *o), always NUL-terminated. */
void
text_append(char *buf, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o >= size)
		return;
	if (n > size - 1 - *o)
		n = size - 1 - *o;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, one column */

void
text_fit(const char *s, size_t width, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (display_width(s) <= width) {
		text_append(buf, size, &o, s, strlen(s));
		return;
	}
	if (width == 0)
		return;
	text_append(buf, size, &o, s, prefix_bytes(s, strlen(s), width - 1));
	while (o > 0 && buf[o - 1] == ' ')
		buf[--o] = '\0';
	text_append(buf, size, &o, ELLIPSIS, 3);
}

/* s with its middle replaced by "…", width columns, appended at *o. */
static void
middle_cut(const char *s, size_t width, char *buf, size_t size, size_t *o)
{
	size_t tail = (width - 1) / 2, head = width - 1 - tail;

	text_append(buf, size, o, s, prefix_bytes(s, strlen(s), head));
	text_append(buf, size, o, ELLIPSIS, 3);
	s += suffix_start(s, tail);
	text_append(buf, size, o, s, strlen(s));
}

void
text_shorten_id(const char *s, size_t width, char *buf, size_t size)
{
	const char *id = NULL, *seg = s;
	size_t o = 0, n = strlen(s);

	if (size == 0)
		return;
	buf[0] = '\0';
	if (display_width(s) <= width || width < 5) {
		text_fit(s, width, buf, size);
		return;
	}
	/* the id: after the last '/' or ':'; seg: the path element before it */
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':') {
			if (id != NULL)
				seg = id;
			id = s + i + 1;
		}
	if (id != NULL && *id != '\0' && seg < id && (size_t)(id - seg) < 256) {
		/* "…natgateway/nat-0d80ba13e3ea0d1fb9": the kind and the whole id */
		char tmp[256];
		memcpy(tmp, seg, (size_t)(id - seg));
		tmp[id - seg] = '\0';
		if (display_width(tmp) + display_width(id) + 1 <= width) {
			text_append(buf, size, &o, ELLIPSIS, 3);
			text_append(buf, size, &o, tmp, strlen(tmp));
			text_append(buf, size, &o, id, strlen(id));
			return;
		}
	}
	if (id != NULL && *id != '\0' && display_width(id) + 1 <= width) {
		text_append(buf, size, &o, ELLIPSIS, 3);
		s += suffix_start(s, width - 1);
		text_append(buf, size, &o, s, strlen(s));
		return;
	}
	if (id != NULL && *id != '\0' && seg < id) {
		size_t segw;
		char tmp[256];
		size_t sl = (size_t)(id - seg);

		if (sl >= sizeof tmp)
			sl = sizeof tmp - 1;
		memcpy(tmp, seg, sl);
		tmp[sl] = '\0';
		segw = display_width(tmp);
		if (segw + 1 + 9 <= width) {
			text_append(buf, size, &o, ELLIPSIS, 3);
			text_append(buf, size, &o, tmp, sl);
			middle_cut(id, width - 1 - segw, buf, size, &o);
			return;
		}
	}
	middle_cut(id != NULL && *id != '\0' ? id : s, width, buf, size, &o);
}
