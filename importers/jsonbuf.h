/*
 * jsonbuf.h - a growable byte buffer for building small JSON objects
 * (the Tags column) from row fields without per-field allocation.
 */
#ifndef IMCOST_JSONBUF_H
#define IMCOST_JSONBUF_H

#include <stddef.h>

#include "common/sbuf.h"

struct jsonbuf {
	struct sbuf buf;	/* the text (buf.s, buf.len); buf.oom: an
				   allocation failed */
	int fields;
};

/* Start an object "{" (reusing the buffer). */
void jb_begin(struct jsonbuf *b);
/* Add "key":"value" with JSON escaping. */
void jb_pair(struct jsonbuf *b, const char *k, size_t klen, const char *v, size_t vlen);
/* Append s[0..n) as a JSON string and then ':', for jb_pair_quoted (the
 * key of a pair, written once instead of on every row). */
void jb_key(struct jsonbuf *b, const char *s, size_t n);
/* Add a pair whose key qk[0..qlen) was written by jb_key: the same bytes
 * as jb_pair. */
void jb_pair_quoted(struct jsonbuf *b, const char *qk, size_t qlen, const char *v, size_t vlen);
/* Close the object; returns the number of pairs (0 = empty object). */
int jb_end(struct jsonbuf *b);
void jb_free(struct jsonbuf *b);

/* Is s[0..len) exactly one JSON object, with nothing but JSON whitespace
 * around it?  (Parsed with cJSON; nothing is kept.)  *members gets the
 * number of members when members is not NULL. */
int json_is_object(const char *s, size_t len, int *members);

#endif
