/*
 * jsonscan.h - what cJSON lets through in JSON input, found before it
 * parses: a key given twice in one object (cJSON keeps both and lookups
 * find the first, so a bill could be read with either value), nesting
 * deeper than JSON_SCAN_MAX_DEPTH (cJSON only says "invalid"), numbers
 * that are not finite doubles (1e400 parses as Inf), and strings that are
 * not UTF-8 (RFC 8259 requires it; cJSON copies any byte).
 *
 * The scan is one pass with a stack of open containers; keys are compared
 * after unescaping (so "a" and "\u0061" are the same key), sorted per
 * object when it has many, so a hostile object with a million keys costs
 * n log n.  It does not validate syntax: text that is not JSON is left to
 * the parser, which says where.
 */
#ifndef IMCOST_JSONSCAN_H
#define IMCOST_JSONSCAN_H

#include <stddef.h>

#include "common/error.h"

/* Containers nested deeper than this are refused (real exports nest a
 * handful of levels; cJSON's own limit is 1000). */
#define JSON_SCAN_MAX_DEPTH 256

/*
 * Scan s[0..len), the JSON text read from file `name` starting at line
 * `line` (1 for a whole file; a JSON lines file passes the line of the
 * value).  Returns 0 when none of the above is found, else -1 with err
 * set to "NAME:LINE:COL: ..." (COL in bytes from 1) at the second
 * occurrence of the key, the container one level too deep or the number.
 * With name NULL (JSON inside a CSV field), the message has no prefix and
 * says "at byte N of its JSON" instead.
 */
int json_scan(const char *name, long line, const char *s, size_t len, struct ic_error *err);

/*
 * Text cut out of a larger document: piece k says that byte off of the
 * text is at line `line`, column `col` of the file, and the bytes after it
 * follow it there, up to the next piece (pieces sorted by off, the first
 * at off 0).  One piece {0, line, col}: a value that starts mid-line; two:
 * a document whose middle was read (and dropped) on the way.
 */
struct json_piece {
	size_t off;
	long line, col;
};

/* json_scan of such text: the same checks, positions through pieces. */
int json_scan_pieces(const char *name, const struct json_piece *pieces, int npieces,
		     const char *s, size_t len, struct ic_error *err);

/* Line and column of offset off of such text. */
void json_pos_pieces(const char *s, size_t off, const struct json_piece *pieces, int npieces,
		     long *line, long *col);

/*
 * A streaming splitter of one big JSON document: finds the first member
 * of the top-level object whose value is an array, then hands out that
 * array's elements one at a time as byte ranges, so that a caller can
 * parse each element alone and drop what it has read (memory bounded by
 * the largest element, not the document).  It follows strings, escapes
 * and nesting only: each element and what is left around the array
 * (the "skeleton") are parsed by the caller, which says what is invalid.
 * Offsets are absolute (from the first byte fed); the caller keeps the
 * bytes from json_split_keep() on.
 */
enum json_split_event {
	JS_MORE,	/* every byte given was read: feed more (or end) */
	JS_ARRAY,	/* the array opened: key[0..key_len) names it, at = its '[' */
	JS_ITEM,	/* an element: [at, end), starting at line, col */
	JS_CLOSE,	/* the array closed: at = its ']', at line, col */
	JS_NONE		/* the document is not an object with an array member */
};

struct json_split {
	/* results of the last event */
	long long at, end;
	long line, col;
	long long key_at, key_len;	/* JS_ARRAY: the member name, inside its quotes */
	/* state */
	long long pos;			/* next byte to read */
	long long line_start;		/* offset of the first byte of the current line */
	long cur_line;
	int depth, in_str, esc, state, pending_close, after_comma;
	long long str_at, str_end, item_at, item_last;
	int want_value, top;
	long item_line, item_col;
};

/* Start reading a document whose first byte (offset 0) is at line 1,
 * column 1. */
void json_split_init(struct json_split *sp);
/* Read on from sp->pos in buf, which holds the offsets [base, base + len).
 * Returns the next event; JS_MORE when it needs the bytes after
 * base + len. */
enum json_split_event json_split_next(struct json_split *sp, const char *buf, long long base,
				      size_t len);
/* The first offset the splitter still needs (the current element's start,
 * or the next byte to read). */
long long json_split_keep(const struct json_split *sp);

/*
 * A streaming splitter of the MEMBERS of objects inside one big JSON
 * object: paths names the objects ("products", "terms.*": a "*" segment
 * is any key; the keys compared as written, escapes and all), and each
 * member of such an object is handed out as the byte range of its text
 * ("KEY": VALUE, up to the ',' or '}' that ends it), so that a caller can
 * parse it alone (as {TEXT}) and drop it.  Events: JS_ARRAY when such an
 * object opens (which = the index in paths, at = its '{'), JS_ITEM per
 * member ([at, end) at line, col; empty, at == end, for ",," "{," ",}",
 * which the caller refuses there), JS_CLOSE when it closes (at its '}')
 * and once more when the whole document closes (done set), JS_NONE when
 * the document is not an object, has an array member before any such
 * object, or no such object opens in its first head_max bytes.  Like
 * json_split it follows strings, escapes and nesting only; the rest is
 * the caller's parser's.  Objects are looked for JSON_OSPLIT_DEPTH levels
 * deep at most; keys longer than 63 bytes match nothing.
 */
#define JSON_OSPLIT_DEPTH 4
struct json_osplit {
	/* results of the last event */
	long long at, end;
	long line, col;
	int which, done;
	/* state */
	const char *const *paths;
	long long head_max, pos, line_start, mem_at;
	long cur_line, mem_line, mem_col;
	int depth, split_depth, in_str, esc, want_value, top, opened, after_comma;
	int str_len;
	char str[64];
	char key[JSON_OSPLIT_DEPTH + 1][64];
	size_t key_len[JSON_OSPLIT_DEPTH + 1];
	unsigned char is_obj[JSON_OSPLIT_DEPTH + 1];	/* the container at depth d+1 */
};

/* Start reading a document (offset 0 at line 1, column 1); paths is the
 * caller's, NULL-terminated, kept while the splitter is used. */
void json_osplit_init(struct json_osplit *sp, const char *const *paths, long long head_max);
/* As json_split_next. */
enum json_split_event json_osplit_next(struct json_osplit *sp, const char *buf, long long base,
				       size_t len);
/* The first offset the splitter still needs (the current member's start,
 * or the next byte to read). */
long long json_osplit_keep(const struct json_osplit *sp);

/* The offset in s[0..len) of its k-th value (0-based, in document order:
 * a container before its members, keys not counted; what a preorder walk
 * of cJSON's tree counts), or -1 when there are fewer. */
long json_value_offset(const char *s, size_t len, long k);

/* Line (counting from line0) and byte column (from 1) of offset off in s. */
void json_pos(const char *s, size_t off, long line0, long *line, long *col);

#endif
