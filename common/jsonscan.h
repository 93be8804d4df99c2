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

/* The offset in s[0..len) of its k-th value (0-based, in document order:
 * a container before its members, keys not counted; what a preorder walk
 * of cJSON's tree counts), or -1 when there are fewer. */
long json_value_offset(const char *s, size_t len, long k);

/* Line (counting from line0) and byte column (from 1) of offset off in s. */
void json_pos(const char *s, size_t off, long line0, long *line, long *col);

#endif
