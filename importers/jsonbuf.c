/*
 * jsonbuf.c - building JSON object text (see jsonbuf.h).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "importers/jsonbuf.h"

/* s[0..n) as a JSON string, written in place after one reservation of
 * the worst case (every byte a \u00XX escape). */
static void
put_string(struct jsonbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;

	if (n > ((size_t)-1 - 16) / 6) {
		b->buf.oom = 1;
		return;
	}
	if (sbuf_reserve(&b->buf, 6 * n + 2) != 0)
		return;
	o = b->buf.s + b->buf.len;
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
	b->buf.len = (size_t)(o - b->buf.s);
}

void
jb_begin(struct jsonbuf *b)
{
	b->buf.len = 0;
	b->fields = 0;
	sbuf_putc(&b->buf, '{');
}

void
jb_pair(struct jsonbuf *b, const char *k, size_t klen, const char *v, size_t vlen)
{
	if (b->fields++)
		sbuf_putc(&b->buf, ',');
	put_string(b, k, klen);
	sbuf_putc(&b->buf, ':');
	put_string(b, v, vlen);
}

void
jb_key(struct jsonbuf *b, const char *s, size_t n)
{
	put_string(b, s, n);
	sbuf_putc(&b->buf, ':');
}

void
jb_pair_quoted(struct jsonbuf *b, const char *qk, size_t qlen, const char *v, size_t vlen)
{
	if (b->fields++)
		sbuf_putc(&b->buf, ',');
	sbuf_put(&b->buf, qk, qlen);
	put_string(b, v, vlen);
}

int
jb_end(struct jsonbuf *b)
{
	sbuf_putc(&b->buf, '}');
	return b->fields;
}

void
jb_free(struct jsonbuf *b)
{
	sbuf_free(&b->buf);
	b->fields = 0;
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
