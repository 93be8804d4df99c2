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
