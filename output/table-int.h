/*
 * table-int.h - what table.c, table-print.c and text.c share (not a
 * public API; see table.h).
 */
#ifndef IMCOST_TABLE_INT_H
#define IMCOST_TABLE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/table.h"

enum value_tag { V_NULL, V_TEXT, V_INT, V_MONEY, V_DBL };

struct cell {
	enum value_tag tag;
	union {
		char *s;
		int64_t i;
		double d;
	} u;
};

struct table {
	char *title;
	const struct table_col *cols;
	int ncols;
	int *prio;		/* table_set_prio, or NULL (all 0) */
	char *sum;		/* table_sum_col flags, or NULL */
	struct cell **rows;	/* nrows arrays of ncols cells */
	int nrows, cap;
};

/* Big enough for "%.9f" of DBL_MAX (320 bytes) plus separators and '%'. */
#define CELL_BUF 512

/* The priority of column c (table_set_prio; 0 when none was set). */
int col_prio(const struct table *t, int c);
/* Whether column c gets a total (table_sum_col; money and int columns only). */
int col_sum(const struct table *t, int c);
/* Insert ',' every three digits of the integer part of a formatted number. */
void group_digits(char *buf, size_t size);
/*
 * The text of one cell in format fmt: a text cell's own string, otherwise
 * a number rendered into buf.  NULL for a NULL cell (and for a non-finite
 * double, which has no representation in these forms).  For FMT_JSON the
 * result of a non-text cell is a valid JSON number.
 */
const char *render_cell(const struct table *t, const struct cell *c, int col, enum out_format fmt, char *buf, size_t size);
/* Display width of a NUL-terminated string; invalid bytes count 1 each. */
size_t display_width(const char *s);
/* Copy s as valid UTF-8, each invalid byte replaced by U+FFFD. */
char *utf8_sanitize(const char *s);
/* Append n bytes of s to buf (size bytes, at *o), always NUL-terminated. */
void text_append(char *buf, size_t size, size_t *o, const char *s, size_t n);

#endif
