/*
 * jsonbuf.c - building JSON object text (see jsonbuf.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "importers/jsonbuf.h"

/* Room for n more bytes and the NUL; 0, or -1 (failed set). */
static int
reserve(struct jsonbuf *b, size_t n)
{
	if (b->failed)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (p == NULL) {
			b->failed = 1;
			return -1;
		}
		b->s = p;
		b->cap = cap;
	}
	return 0;
}

/* Append s[0..n) and keep the text NUL-terminated. */
static void
put(struct jsonbuf *b, const char *s, size_t n)
{
	if (reserve(b, n) != 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* s[0..n) as a JSON string, written in place after one reservation of
 * the worst case (every byte a \u00XX escape). */
static void
put_string(struct jsonbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;

	if (n > ((size_t)-1 - 16) / 6 || reserve(b, 6 * n + 2) != 0) {
		b->failed = 1;
		return;
	}
	o = b->s + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->s);
}

void
jb_begin(struct jsonbuf *b)
{
	b->len = 0;
	b->fields = 0;
	put(b, "{", 1);
}

void
jb_pair(struct jsonbuf *b, const char *k, size_t klen, const char *v, size_t vlen)
{
	if (b->fields++)
		put(b, ",", 1);
	put_string(b, k, klen);
	put(b, ":", 1);
	put_string(b, v, vlen);
}

void
jb_key(struct jsonbuf *b, const char *s, size_t n)
{
	put_string(b, s, n);
	put(b, ":", 1);
}

void
jb_pair_quoted(struct jsonbuf *b, const char *qk, size_t qlen, const char *v, size_t vlen)
{
	if (b->fields++)
		put(b, ",", 1);
	put(b, qk, qlen);
	put_string(b, v, vlen);
}

int
jb_end(struct jsonbuf *b)
{
	put(b, "}", 1);
	return b->fields;
}

void
jb_free(struct jsonbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

int
json_is_object(const char *s, size_t len, int *members)
{
	const char *end = NULL;
	cJSON *j;
	int ok;

	if (members)
		*members = 0;
	if (s == NULL || len == 0)
		return 0;
	j = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	ok = cJSON_IsObject(j);
	if (ok && members)
		*members = cJSON_GetArraySize(j);
	cJSON_Delete(j);
	if (!ok || end == NULL || end < s || end > s + len)
		return 0;
	/* cJSON stops after the value: only whitespace may follow */
	for (; end < s + len; end++)
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
			return 0;
	return 1;
}
