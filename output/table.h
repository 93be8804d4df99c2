/*
 * table.h - one result table, printed the same way by every command.
 *
 * A table is a title, a fixed list of typed columns and any number of rows.
 * Cells are copied in; the table owns its memory.  Rendering:
 *   FMT_TABLE     aligned columns for a terminal, money with 2 decimals and
 *                 thousands separators, widths counted in UTF-8 display
 *                 columns (CJK wide characters count 2);
 *   FMT_MARKDOWN  a GitHub pipe table (money 2 decimals, no separators);
 *   FMT_CSV       RFC 4180, header row, money with up to 6 decimals;
 *   FMT_JSON      an array of objects keyed by column key, money as JSON
 *                 numbers with up to 6 decimals, NULL cells as null.
 */
#ifndef IMCOST_TABLE_H
#define IMCOST_TABLE_H

#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>

enum out_format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MARKDOWN };

enum cell_kind {
	CELL_TEXT,	/* UTF-8 string */
	CELL_INT,	/* int64 */
	CELL_MONEY,	/* int64 nano-units, see common/decimal.h */
	CELL_NUM,	/* double, printed with the column's decimals */
	CELL_PCT	/* double ratio 0..1, printed as percent in table forms,
			   as the ratio (up to 6 decimals) in JSON and CSV */
};

struct table_col {
	const char *key;	/* JSON key and CSV header, e.g. "billed_cost" */
	const char *label;	/* table/markdown header, e.g. "Billed" */
	enum cell_kind kind;
	int decimals;		/* CELL_NUM and CELL_PCT: digits after the point;
				   CELL_MONEY: table/markdown digits when above 2 */
};

/* A table's column definitions, as an analyzer exports them
 * (analyzers/columns.h) for the report to show the same keys and labels. */
struct table_colset {
	const struct table_col *cols;
	int n;
};

/*
 * Fill dst (room for max columns) with the columns of set named in keys
 * (NULL-terminated), in the order of keys.  A key is "KEY", and may add
 * "/D" (D decimals instead of the set's) and then "=LABEL" (the label
 * shown instead of the set's): "impact=Above baseline".  The strings of
 * dst point into set and keys, which must outlive it.  Returns the number
 * of columns, or -1 when a key is not in set, is malformed or max is
 * too small.
 */
int table_cols_pick(const struct table_colset *set, const char *const *keys,
		    struct table_col *dst, int max);

struct table;

/*
 * New empty table.  `cols` (ncols entries) and the strings it points to
 * must outlive the table (use static arrays).  Returns NULL on allocation
 * failure.  Caller frees with table_free.
 */
struct table *table_new(const char *title, const struct table_col *cols, int ncols);
void table_free(struct table *t);

/* Append an empty row (all cells NULL); returns its index or -1 on ENOMEM. */
int table_add_row(struct table *t);

/* Set cells of an existing row.  Text is copied (invalid UTF-8 bytes become
 * U+FFFD); NULL text means a NULL cell.  A NaN or infinite double prints as
 * a NULL cell.  Return 0, or -1 on allocation failure or a row/col out of
 * range. */
int table_set_text(struct table *t, int row, int col, const char *s);
int table_set_int(struct table *t, int row, int col, int64_t v);
int table_set_money(struct table *t, int row, int col, int64_t nanos);
int table_set_num(struct table *t, int row, int col, double v);
/* A quantity: a whole number prints as a count ("50,000"), any other
 * value as table_set_num with the column's decimals. */
int table_set_qty(struct table *t, int row, int col, double v);

/*
 * Column priorities for a narrow terminal (table_set_width): prio[c] for
 * each of the ncols columns (a copy is kept); the columns of the highest
 * prio are hidden first; 0 is never hidden.  Returns 0 or -1.
 */
int table_set_prio(struct table *t, const int *prio);
/* Sum the CELL_MONEY or CELL_INT column col in a Total row (table and
 * Markdown forms, two rows or more, one currency: a column keyed
 * "currency" must hold the same value in every row).  Returns 0 or -1. */
int table_sum_col(struct table *t, int col);

int table_rows(const struct table *t);
const char *table_title(const struct table *t);

/*
 * Print the table.  FMT_TABLE prints the title line first (unless NULL),
 * FMT_MARKDOWN a "### title" heading; FMT_CSV and FMT_JSON print only data.
 * In FMT_TABLE and FMT_MARKDOWN control characters in text print as spaces.
 * Returns 0, or -1 when writing failed (ferror on out, e.g. /dev/full).
 */
int table_print(const struct table *t, FILE *out, enum out_format fmt);

/*
 * FMT_TABLE output width for this process: tables wider than width display
 * columns drop their columns of highest prio, then shorten long text (ids
 * in the middle, keeping their distinctive ends; prose at the end with
 * "…") and say which columns --wide would show.  0 (the default, and
 * what cli/ leaves when stdout is not a terminal or --wide is given):
 * nothing is cut.
 */
void table_set_width(int width);
int table_width(void);

/* A count with thousands separators ("50,032") into buf (32 bytes); returns buf. */
char *format_count(int64_t n, char *buf);

/* FMT_TABLE in colour for this process (cli/ sets it for a terminal
 * without NO_COLOR): bold headers and Total rows, negative numbers red.
 * Off by default. */
void table_set_color(int on);
int table_color(void);

/* Display columns of a UTF-8 string (CJK wide characters count 2). */
size_t text_width(const char *s);

/* s cut to at most width display columns, "…" at the cut, into buf. */
void text_fit(const char *s, size_t width, char *buf, size_t size);

/* An id shortened to width display columns keeping its distinctive ends:
 * "arn:aws:ec2:...:reserved-instances/ab162511-...-cb5b4a0f3628" becomes
 * "…reserved-instances/ab162…3628".  Into buf. */
void text_shorten_id(const char *s, size_t width, char *buf, size_t size);

/* The rows as a new cJSON array of objects (caller owns); NULL on ENOMEM. */
cJSON *table_to_json(const struct table *t);

/* A money value as a cJSON number with at most 6 decimals, exact (raw). */
cJSON *json_money(int64_t nanos);

/* Parse "table", "json", "csv", "markdown" (also "md"); -1 if unknown. */
int out_format_parse(const char *s);

#endif
