/*
 * jsonsplit.c - the streaming splitters declared in jsonscan.h: the
 * members of a document's first top-level array (json_split_*, GCP SKU
 * lists) and the members of objects at given paths (json_osplit_*, the
 * AWS offer file's products and terms), handed out one at a time with
 * their real positions, so a price list of any size is read in memory
 * bounded by its largest member.  Split out of jsonscan.c, which checks
 * whole texts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonscan.h"
#include "common/utf8.h"

/* ---- the streaming splitter (jsonscan.h) ---- */

enum { SPLIT_HEAD, SPLIT_ITEMS, SPLIT_DONE };

void
json_split_init(struct json_split *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->cur_line = 1;
	sp->item_at = -1;
	sp->state = SPLIT_HEAD;
}

long long
json_split_keep(const struct json_split *sp)
{
	return sp->item_at >= 0 ? sp->item_at : sp->pos;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* the element [item_at, item_last] as the event */
static enum json_split_event
split_item(struct json_split *sp)
{
	sp->at = sp->item_at;
	sp->end = sp->item_last + 1;
	sp->line = sp->item_line;
	sp->col = sp->item_col;
	sp->item_at = -1;
	return JS_ITEM;
}

/* an empty element (",," "[," ",]") at pos: its text is empty, which the
 * caller's parser refuses at that position */
static enum json_split_event
split_empty(struct json_split *sp)
{
	sp->at = sp->end = sp->pos;
	sp->line = sp->cur_line;
	sp->col = (long)(sp->pos - sp->line_start) + 1;
	return JS_ITEM;
}

enum json_split_event
json_split_next(struct json_split *sp, const char *buf, long long base, size_t len)
{
	const long long stop = base + (long long)len;

	if (sp->state == SPLIT_DONE)
		return JS_MORE;
	while (sp->pos < stop) {
		long long at = sp->pos;
		char ch = buf[at - base];

		if (sp->in_str) {
			if (sp->esc)
				sp->esc = 0;
			else if (ch == '\\')
				sp->esc = 1;
			else if (ch == '"') {
				sp->in_str = 0;
				if (sp->depth == 1)
					sp->str_end = at;
			}
			if (sp->item_at >= 0)
				sp->item_last = at;
			if (ch == '\n') {
				sp->cur_line++;
				sp->line_start = at + 1;
			}
			sp->pos++;
			continue;
		}
		if (is_ws(ch)) {
			if (ch == '\n') {
				sp->cur_line++;
				sp->line_start = at + 1;
			}
			sp->pos++;
			continue;
		}
		if (sp->state == SPLIT_HEAD) {
			if (sp->depth == 0) {
				if (sp->top || ch != '{') {
					sp->state = SPLIT_DONE;
					return JS_NONE;
				}
				sp->top = 1;
				sp->depth = 1;
			} else if (sp->depth == 1 && ch == ':') {
				sp->want_value = 1;
			} else if (sp->depth == 1 && sp->want_value && ch == '[') {
				sp->want_value = 0;
				sp->depth = 2;
				sp->state = SPLIT_ITEMS;
				sp->after_comma = 1;
				sp->at = at;
				sp->key_at = sp->str_at;
				sp->key_len = sp->str_end - sp->str_at;
				sp->pos++;
				return JS_ARRAY;
			} else {
				if (sp->depth == 1)
					sp->want_value = 0;
				if (ch == '"') {
					sp->in_str = 1;
					sp->str_at = at + 1;
				} else if (ch == '{' || ch == '[') {
					sp->depth++;
				} else if (ch == '}' || ch == ']') {
					if (--sp->depth == 0) {
						sp->state = SPLIT_DONE;
						return JS_NONE;
					}
				}
			}
			sp->pos++;
			continue;
		}
		/* SPLIT_ITEMS: depth 2 is the array's own level */
		if (sp->depth == 2 && (ch == ',' || ch == ']')) {
			if (sp->item_at >= 0) {
				if (ch == ',') {
					sp->after_comma = 2;
					sp->pos++;
				} else {
					sp->after_comma = 0;	/* ']' is read again */
				}
				return split_item(sp);
			}
			if (ch == ',' || sp->after_comma == 2) {
				enum json_split_event e = split_empty(sp);
				if (ch == ',')
					sp->pos++;
				sp->after_comma = ch == ',' ? 2 : 0;
				return e;
			}
			sp->at = at;
			sp->line = sp->cur_line;
			sp->col = (long)(at - sp->line_start) + 1;
			sp->state = SPLIT_DONE;
			sp->pos++;
			return JS_CLOSE;
		}
		if (sp->item_at < 0) {
			sp->item_at = at;
			sp->item_line = sp->cur_line;
			sp->item_col = (long)(at - sp->line_start) + 1;
		}
		sp->item_last = at;
		if (ch == '"')
			sp->in_str = 1;
		else if (ch == '{' || ch == '[')
			sp->depth++;
		else if ((ch == '}' || ch == ']') && sp->depth > 2)
			sp->depth--;
		sp->pos++;
	}
	return JS_MORE;
}

/* ---- the object-member splitter (jsonscan.h) ---- */

void
json_osplit_init(struct json_osplit *sp, const char *const *paths, long long head_max)
{
	memset(sp, 0, sizeof *sp);
	sp->paths = paths;
	sp->head_max = head_max;
	sp->cur_line = 1;
	sp->mem_at = -1;
}

long long
json_osplit_keep(const struct json_osplit *sp)
{
	return sp->mem_at >= 0 ? sp->mem_at : sp->pos;
}

/* Does the path of the object opened at depth d (keys key[1..d]) match
 * paths[i] ("a.b", a segment "*" matching any key)?  The index, or -1. */
static int
osplit_match(const struct json_osplit *sp, int d)
{
	for (int i = 0; sp->paths && sp->paths[i]; i++) {
		const char *p = sp->paths[i];
		int k = 1;
		for (; k <= d && *p; k++) {
			const char *dot = strchr(p, '.');
			size_t n = dot ? (size_t)(dot - p) : strlen(p);
			if (!sp->is_obj[k - 1] ||
			    (!(n == 1 && p[0] == '*') &&
			     (n != sp->key_len[k] || memcmp(p, sp->key[k], n) != 0)))
				break;
			p += n + (dot != NULL);
			if (dot == NULL) {
				k++;
				break;
			}
		}
		if (k == d + 1 && *p == '\0' && (p == sp->paths[i] || p[-1] != '.'))
			return i;
	}
	return -1;
}

enum json_split_event
json_osplit_next(struct json_osplit *sp, const char *buf, long long base, size_t len)
{
	const long long stop = base + (long long)len;

	if (sp->done)
		return JS_MORE;
	while (sp->pos < stop) {
		long long at = sp->pos;
		char ch = buf[at - base];

		if (sp->in_str) {
			if (!sp->esc && ch == '"')
				sp->in_str = 0;
			else if (sp->split_depth == 0 && sp->str_len < (int)sizeof sp->str - 1)
				sp->str[sp->str_len++] = ch;	/* as written, escapes and all */
			sp->esc = !sp->esc && ch == '\\';
			if (ch == '\n') {
				sp->cur_line++;
				sp->line_start = at + 1;
			}
			sp->pos++;
			continue;
		}
		if (ch == '\n') {
			sp->cur_line++;
			sp->line_start = at + 1;
		}
		if (is_ws(ch)) {
			sp->pos++;
			continue;
		}
		if (sp->split_depth > 0) {
			/* inside a split object: depth == split_depth is its level */
			if (sp->depth == sp->split_depth && (ch == ',' || ch == '}')) {
				if (sp->mem_at >= 0 || ch == ',' || sp->after_comma) {
					/* a member (its text up to here), or an empty one */
					if (sp->mem_at < 0) {
						sp->at = sp->end = at;
						sp->line = sp->cur_line;
						sp->col = (long)(at - sp->line_start) + 1;
					} else {
						sp->at = sp->mem_at;
						sp->end = at;
						sp->line = sp->mem_line;
						sp->col = sp->mem_col;
					}
					sp->mem_at = -1;
					sp->after_comma = ch == ',';
					if (ch == ',')
						sp->pos++;
					return JS_ITEM;
				}
				sp->at = at;
				sp->line = sp->cur_line;
				sp->col = (long)(at - sp->line_start) + 1;
				sp->split_depth = 0;
				sp->depth--;
				sp->want_value = 0;
				sp->pos++;
				return JS_CLOSE;
			}
			if (sp->mem_at < 0) {
				sp->mem_at = at;
				sp->mem_line = sp->cur_line;
				sp->mem_col = (long)(at - sp->line_start) + 1;
			}
			if (ch == '"')
				sp->in_str = 1;
			else if (ch == '{' || ch == '[')
				sp->depth++;
			else if ((ch == '}' || ch == ']') && sp->depth > sp->split_depth)
				sp->depth--;
			sp->pos++;
			continue;
		}
		if (sp->depth == 0 && (sp->top || ch != '{')) {
			sp->done = 1;
			return JS_NONE;
		}
		if (!sp->opened && at >= sp->head_max) {
			sp->done = 1;	/* no split object near the start */
			return JS_NONE;
		}
		if (ch == '"') {
			sp->in_str = 1;
			sp->str_len = 0;
		} else if (ch == ':') {
			if (sp->depth >= 1 && sp->depth <= JSON_OSPLIT_DEPTH) {
				memcpy(sp->key[sp->depth], sp->str, (size_t)sp->str_len);
				sp->key_len[sp->depth] = (size_t)sp->str_len;
			}
			sp->want_value = 1;
		} else if (ch == '{' || ch == '[') {
			int d = sp->depth, m = -1;
			if (ch == '[' && d == 1 && sp->want_value && !sp->opened) {
				sp->done = 1;	/* an array member first: not this splitter's */
				return JS_NONE;
			}
			if (ch == '{' && sp->want_value && d >= 1 && d <= JSON_OSPLIT_DEPTH)
				m = osplit_match(sp, d);
			if (d <= JSON_OSPLIT_DEPTH)
				sp->is_obj[d] = ch == '{';
			sp->depth++;
			if (d == 0)
				sp->top = 1;
			sp->want_value = 0;
			if (m >= 0) {
				sp->split_depth = sp->depth;
				sp->after_comma = 0;
				sp->opened = 1;
				sp->which = m;
				sp->at = at;
				sp->line = sp->cur_line;
				sp->col = (long)(at - sp->line_start) + 1;
				sp->pos++;
				return JS_ARRAY;
			}
		} else if (ch == '}' || ch == ']') {
			sp->want_value = 0;
			if (--sp->depth <= 0) {
				sp->at = at;
				sp->done = 1;
				sp->pos++;
				return JS_CLOSE;	/* the document's end */
			}
		} else {
			sp->want_value = 0;
		}
		sp->pos++;
	}
	return JS_MORE;
}
