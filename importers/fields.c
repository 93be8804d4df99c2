/*
 * fields.c - the field and header helpers of importer.h that need nothing
 * of a row: header lookups by name, null slices, UTF-8 safe cuts, case
 * folding, clearing a charge.  Below the driver, the writer and the
 * rollups, which all call them (docs/ARCHITECTURE.md: no file-level cycle).
 */
#include <string.h>
#include <strings.h>

#include "common/decimal.h"
#include "importers/importer.h"

/* ---- header ---- */

static int
name_eq(const struct csv_field *f, const char *name)
{
	const char *s = f->s, *e = f->s + f->len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return strlen(name) == (size_t)(e - s) && strncasecmp(s, name, (size_t)(e - s)) == 0;
}

int
header_find(const struct header *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (name_eq(&h->f[i], name))
			return i;
	return -1;
}

int
header_find_any(const struct header *h, const char *const *names)
{
	for (; *names; names++) {
		int i = header_find(h, *names);
		if (i >= 0)
			return i;
	}
	return -1;
}

/* ---- strings ---- */

int
str_null(struct str s)
{
	return s.s == NULL || is_null_token(s.s, s.len);
}

char *
str_copy_fit(char *dst, size_t n, const char *src)
{
	size_t l = str_fit(src, strlen(src), n - 1);

	memmove(dst, src, l);
	dst[l] = '\0';
	return dst;
}

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

int
str_ieq(struct str s, const char *c)
{
	return s.s && strlen(c) == s.len && strncasecmp(s.s, c, s.len) == 0;
}

void
charge_clear(struct charge *c)
{
	memset(c, 0, sizeof *c);
}
