/*
 * jsonscan.c - duplicate keys, deep nesting and non-finite numbers in
 * JSON text (see jsonscan.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonscan.h"
#include "common/utf8.h"

/* positions of the scanned text: pos_of(s, off, line0, &l, &c) in json_scan_pieces */
#define pos_of(s, off, line0, l, c) json_pos_pieces((s), (off), pieces, npieces, (l), (c))

struct key {
	uint64_t hash;
	size_t at;		/* offset of the key's opening quote in the text */
	size_t name, len;	/* the unescaped key in the arena */
};

struct scan {
	const char *s;
	size_t len;
	struct key *keys;
	size_t nkeys, keys_cap;
	char *arena;
	size_t alen, acap;
	int oom;
	size_t bad_utf8;	/* offset of an invalid UTF-8 byte in a string */
};

/* One open container: its kind and where its keys start in scan.keys. */
struct level {
	char kind;	/* '{' or '[' */
	size_t first_key, arena_mark;
};

void
json_pos(const char *s, size_t off, long line0, long *line, long *col)
{
	const char *p = s, *e = s + off, *nl;

	*line = line0;
	while ((nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		(*line)++;
		p = nl + 1;
	}
	*col = (long)(e - p) + 1;
}

static void
put_byte(struct scan *sc, char c)
{
	if (sc->alen == sc->acap) {
		size_t ncap = sc->acap ? sc->acap * 2 : 256;
		char *n = realloc(sc->arena, ncap);
		if (n == NULL) {
			sc->oom = 1;
			return;
		}
		sc->arena = n;
		sc->acap = ncap;
	}
	sc->arena[sc->alen++] = c;
}

static void
put_utf8(struct scan *sc, unsigned cp)
{
	if (cp < 0x80) {
		put_byte(sc, (char)cp);
	} else if (cp < 0x800) {
		put_byte(sc, (char)(0xc0 | cp >> 6));
		put_byte(sc, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put_byte(sc, (char)(0xe0 | cp >> 12));
		put_byte(sc, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put_byte(sc, (char)(0x80 | (cp & 0x3f)));
	} else {
		put_byte(sc, (char)(0xf0 | cp >> 18));
		put_byte(sc, (char)(0x80 | ((cp >> 12) & 0x3f)));
		put_byte(sc, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put_byte(sc, (char)(0x80 | (cp & 0x3f)));
	}
}

static int
hex4(const char *p, const char *e, unsigned *out)
{
	unsigned v = 0;

	if (e - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * The string whose opening quote is at *i: its end (just past the closing
 * quote) in *i; with key, its unescaped bytes appended to the arena.
 * Returns 0, -1 when it is not terminated (the parser will say so), or -2
 * at a byte that is not UTF-8 (its offset in sc->bad_utf8).
 */
static int
string_at(struct scan *sc, size_t *i, int key)
{
	const char *p = sc->s + *i + 1, *e = sc->s + sc->len;
	size_t mark = sc->alen;

	while (p < e && *p != '"') {
		if (*p == '\\') {
			unsigned cp, lo;
			if (e - p < 2)
				return -1;
			if (p[1] != 'u') {
				if (key) {
					static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
					const char *f = memchr(from, p[1], sizeof from - 1);
					put_byte(sc, f ? to[f - from] : p[1]);
				}
				p += 2;
				continue;
			}
			/* as cJSON reads it: a \u with fewer than 4 bytes left
			 * fails, one with a bad digit is U+0000 */
			if (e - p < 6)
				return -1;
			if (hex4(p + 2, e, &cp) != 0)
				cp = 0;
			p += 6;
			if (cp >= 0xd800 && cp < 0xdc00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
			    hex4(p + 2, e, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			}
			if (key)
				put_utf8(sc, cp);
			continue;
		}
		if ((unsigned char)*p >= 0x80) {
			size_t k = utf8_seq((const unsigned char *)p, (size_t)(e - p));
			if (k == 0) {
				sc->bad_utf8 = (size_t)(p - sc->s);
				return -2;
			}
			if (key)
				for (size_t j = 0; j < k; j++)
					put_byte(sc, p[j]);
			p += k;
			continue;
		}
		if (key)
			put_byte(sc, *p);
		p++;
	}
	if (p >= e)
		return -1;
	*i = (size_t)(p + 1 - sc->s);
	/* cJSON's keys are C strings: a NUL (raw or \u0000) ends one there,
	 * so "k\u0000x" and "k" are the same key to every lookup */
	if (key) {
		char *nul = memchr(sc->arena + mark, '\0', sc->alen - mark);
		if (nul)
			sc->alen = (size_t)(nul - sc->arena);
	}
	return 0;
}

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static const struct scan *sort_scan;

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n;
	int c;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	n = x->len < y->len ? x->len : y->len;
	c = memcmp(sort_scan->arena + x->name, sort_scan->arena + y->name, n);
	if (c == 0 && x->len != y->len)
		c = x->len < y->len ? -1 : 1;
	if (c == 0 && x->at != y->at)
		c = x->at < y->at ? -1 : 1;
	return c;
}

static int
same_key(const struct scan *sc, const struct key *x, const struct key *y)
{
	return x->hash == y->hash && x->len == y->len &&
	       memcmp(sc->arena + x->name, sc->arena + y->name, x->len) == 0;
}

/* Among the keys of one closed object, the repeat that comes first in the
 * text: *dup its key, *orig the earlier one with the same name.  Returns
 * 1 when there is one. */
static int
find_dup(struct scan *sc, size_t from, struct key *dup, struct key *orig)
{
	size_t n = sc->nkeys - from;
	struct key *k;
	int found = 0;

	if (n < 2)
		return 0;
	k = sc->keys + from;
	if (n <= 16) {
		for (size_t j = 1; j < n; j++)
			for (size_t i = 0; i < j; i++)
				if (same_key(sc, &k[i], &k[j]) && (!found || k[j].at < dup->at)) {
					*dup = k[j];
					*orig = k[i];
					found = 1;
					break;
				}
		return found;
	}
	sort_scan = sc;
	qsort(k, n, sizeof *k, key_cmp);	/* equal names: in text order */
	for (size_t j = 1; j < n; j++)
		if (same_key(sc, &k[j - 1], &k[j]) && (!found || k[j].at < dup->at)) {
			size_t i = j - 1;
			while (i > 0 && same_key(sc, &k[i - 1], &k[j]))
				i--;
			*dup = k[j];
			*orig = k[i];
			found = 1;
		}
	return found;
}

void
json_pos_pieces(const char *s, size_t off, const struct json_piece *pieces, int npieces,
		long *line, long *col)
{
	const struct json_piece *p = &pieces[0];

	for (int k = 1; k < npieces; k++)
		if (pieces[k].off <= off)
			p = &pieces[k];
	json_pos(s + p->off, off - p->off, p->line, line, col);
	if (*line == p->line)
		*col += p->col - 1;
}

int
json_scan(const char *name, long line, const char *s, size_t len, struct ic_error *err)
{
	struct json_piece one = { 0, line, 1 };

	return json_scan_pieces(name, &one, 1, s, len, err);
}

int
json_scan_pieces(const char *name, const struct json_piece *pieces, int npieces,
		 const char *s, size_t len, struct ic_error *err)
{

	struct scan sc;
	struct level stack[JSON_SCAN_MAX_DEPTH];
	int depth = 0, ret = 0;
	char last = 0;	/* the last structural character, or 'v' after a value */
	size_t i = 0;
	long l, c;

	memset(&sc, 0, sizeof sc);
	sc.s = s;
	sc.len = len;
	/* never NULL, so that empty keys compare without a null pointer */
	sc.acap = 256;
	sc.arena = malloc(sc.acap);
	if (sc.arena == NULL)
		return ic_errorf(err, "out of memory");
	while (i < len) {
		char ch = s[i];

		switch (ch) {
		case '{':
		case '[':
			if (depth == JSON_SCAN_MAX_DEPTH) {
				pos_of(s, i, line, &l, &c);
				ret = name ? ic_error_at(err, name, l, c, "nesting deeper than %d levels",
							 JSON_SCAN_MAX_DEPTH) :
					     ic_errorf(err, "nesting deeper than %d levels at byte %zu of its JSON",
						       JSON_SCAN_MAX_DEPTH, i + 1);
				goto out;
			}
			stack[depth].kind = ch;
			stack[depth].first_key = sc.nkeys;
			stack[depth].arena_mark = sc.alen;
			depth++;
			last = ch;
			i++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				goto out;	/* not JSON: the parser says where */
			depth--;
			if (ch == '}' && stack[depth].kind == '{') {
				struct key dup, orig;
				if (find_dup(&sc, stack[depth].first_key, &dup, &orig)) {
					char q[IC_QUOTE_SIZE];
					long ol, oc;
					pos_of(s, orig.at, line, &ol, &oc);
					pos_of(s, dup.at, line, &l, &c);
					ic_quote(sc.arena + dup.name, dup.len, 60, q);
					ret = name ? ic_error_at(err, name, l, c,
								 "duplicate key \"%s\" (first at line %ld, column %ld)",
								 q, ol, oc) :
						     ic_errorf(err, "duplicate key \"%s\" at byte %zu of its JSON (first at byte %zu)",
							       q, dup.at + 1, orig.at + 1);
					goto out;
				}
			}
			sc.nkeys = stack[depth].first_key;
			sc.alen = stack[depth].arena_mark;
			last = 'v';
			i++;
			break;
		case '"': {
			size_t at = i, mark = sc.alen;
			int key = depth > 0 && stack[depth - 1].kind == '{' && (last == '{' || last == ',');
			int r = string_at(&sc, &i, key);
			if (r == -2) {
				unsigned char b = (unsigned char)s[sc.bad_utf8];
				pos_of(s, sc.bad_utf8, line, &l, &c);
				ret = name ? ic_error_at(err, name, l, c,
							 "invalid UTF-8 byte 0x%02x in a string (JSON text must be UTF-8)", b) :
					     ic_errorf(err, "invalid UTF-8 byte 0x%02x at byte %zu of its JSON",
						       b, sc.bad_utf8 + 1);
				goto out;
			}
			if (r != 0)
				goto out;
			if (key) {
				if (sc.nkeys == sc.keys_cap) {
					size_t ncap = sc.keys_cap ? sc.keys_cap * 2 : 64;
					struct key *n = realloc(sc.keys, ncap * sizeof *n);
					if (n == NULL)
						sc.oom = 1;
					else {
						sc.keys = n;
						sc.keys_cap = ncap;
					}
				}
				if (sc.oom) {
					ret = ic_errorf(err, "out of memory");
					goto out;
				}
				sc.keys[sc.nkeys].at = at;
				sc.keys[sc.nkeys].name = mark;
				sc.keys[sc.nkeys].len = sc.alen - mark;
				sc.keys[sc.nkeys].hash = fnv1a(sc.arena + mark, sc.alen - mark);
				sc.nkeys++;
			}
			last = 'v';
			break;
		}
		case ',':
		case ':':
			last = ch;
			i++;
			break;
		case '-':
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9': {
			size_t at = i;
			int exp = 0;
			while (i < len && (strchr("+-.0123456789eE", s[i]) != NULL && s[i] != '\0')) {
				exp |= s[i] == 'e' || s[i] == 'E';
				i++;
			}
			/* only an exponent or more than 308 digits can leave the
			 * doubles; the token is then read as cJSON reads it */
			if (exp || i - at > 308) {
				char buf[1100];
				double v;
				int bad = i - at >= sizeof buf;
				if (!bad) {
					memcpy(buf, s + at, i - at);
					buf[i - at] = '\0';
					v = strtod(buf, NULL);
					bad = !isfinite(v);
				}
				if (bad) {
					char q[IC_QUOTE_SIZE];
					pos_of(s, at, line, &l, &c);
					ic_quote(s + at, i - at, 40, q);
					ret = name ? ic_error_at(err, name, l, c,
								 "number %s is out of range (not a finite double)", q) :
						     ic_errorf(err, "number %s at byte %zu of its JSON is out of range (not a finite double)",
							       q, at + 1);
					goto out;
				}
			}
			last = 'v';
			break;
		}
		default:
			i++;
			break;
		}
	}
out:
	free(sc.keys);
	free(sc.arena);
	return ret;
}

long
json_value_offset(const char *s, size_t len, long k)
{
	char stack[JSON_SCAN_MAX_DEPTH + 1];
	int depth = 0;
	char last = 0;
	long n = 0;
	size_t i = 0;

	while (i < len) {
		char ch = s[i];

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			i++;
		} else if (ch == '{' || ch == '[') {
			if (n++ == k)
				return (long)i;
			if (depth == JSON_SCAN_MAX_DEPTH + 1)
				return -1;
			stack[depth++] = ch;
			last = ch;
			i++;
		} else if (ch == '}' || ch == ']') {
			if (depth > 0)
				depth--;
			last = 'v';
			i++;
		} else if (ch == ',' || ch == ':') {
			last = ch;
			i++;
		} else if (ch == '"') {
			int key = depth > 0 && stack[depth - 1] == '{' && (last == '{' || last == ',');
			if (!key && n++ == k)
				return (long)i;
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			last = 'v';
		} else {
			if (n++ == k)
				return (long)i;
			while (i < len && !strchr(",]} \t\r\n", s[i]))
				i++;
			last = 'v';
		}
	}
	return -1;
}
