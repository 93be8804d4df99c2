/*
 * table.c - one result table rendered as an aligned terminal table,
 * a Markdown pipe table, RFC 4180 CSV or a JSON array (see table.h).
 *
 * Cells keep the value they were given (text, int64, nanos or double); the
 * column kind picks alignment and, for doubles, percent versus plain.  Text
 * is stored as valid UTF-8 (invalid bytes become U+FFFD) so every output is
 * valid UTF-8 and valid JSON.  Display widths are counted with a small
 * built-in wcwidth, independent of the process locale.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/decimal.h"
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

/* ---- UTF-8 ---------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence at s[0..n).  Returns its length (1..4) and sets
 * *cp, or 0 if the bytes at s are not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, k;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

struct range {
	uint32_t lo, hi;
};

/* Zero-width: combining marks, zero-width spaces/joiners, selectors. */
static const struct range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd},
	{0x0610, 0x061a}, {0x064b, 0x065f}, {0x0670, 0x0670},
	{0x06d6, 0x06dc}, {0x0900, 0x0902}, {0x093c, 0x093c},
	{0x0941, 0x0948}, {0x094d, 0x094d}, {0x0e31, 0x0e31},
	{0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e},
	{0x2060, 0x2064}, {0x20d0, 0x20ff}, {0x302a, 0x302d},
	{0x3099, 0x309a}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
	{0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth: two terminal columns. */
static const struct range wide[] = {
	{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a},
	{0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
	{0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653},
	{0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5},
	{0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
	{0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa},
	{0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
	{0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c},
	{0x2b50, 0x2b50}, {0x2b55, 0x2b55}, {0x2e80, 0x303e},
	{0x3041, 0x3247}, {0x3250, 0x4dbf}, {0x4e00, 0xa4cf},
	{0xa960, 0xa97f}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
	{0xfe10, 0xfe19}, {0xfe30, 0xfe6f}, {0xff00, 0xff60},
	{0xffe0, 0xffe6}, {0x16fe0, 0x16fe4}, {0x17000, 0x18cff},
	{0x1b000, 0x1b2ff}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf},
	{0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f251},
	{0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff},
	{0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

static int
in_ranges(uint32_t c, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c < r[mid].lo)
			hi = mid;
		else if (c > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Terminal columns of one code point (controls count 1: we print a space). */
static int
char_width(uint32_t c)
{
	if (c < 0x20 || c == 0x7f)
		return 1;
	if (c >= 0x80 && c < 0xa0)
		return 0;
	if (in_ranges(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_ranges(c, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

/* Display width of a NUL-terminated string; invalid bytes count 1 each. */
static size_t
display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0, k;
	uint32_t c;

	while (n > 0) {
		k = utf8_decode(p, n, &c);
		if (k == 0) {
			w++;
			k = 1;
		} else {
			w += (size_t)char_width(c);
		}
		p += k;
		n -= k;
	}
	return w;
}

/* Copy s as valid UTF-8, each invalid byte replaced by U+FFFD. */
static char *
utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0, k;
	uint32_t c;
	char *out;

	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * n + 1);
	if (out == NULL)
		return NULL;
	while (n > 0) {
		k = utf8_decode(p, n, &c);
		if (k == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			k = 1;
		} else {
			memcpy(out + o, p, k);
			o += k;
		}
		p += k;
		n -= k;
	}
	out[o] = '\0';
	return out;
}

/* ---- fitting text into a width -------------------------------------- */

static void group_digits(char *buf, size_t size);

static int out_width;		/* table_set_width; 0: never cut */
static int out_color;		/* table_set_color */

void
table_set_color(int on)
{
	out_color = on != 0;
}

int
table_color(void)
{
	return out_color;
}

void
table_set_width(int width)
{
	out_width = width > 0 ? width : 0;
}

int
table_width(void)
{
	return out_width;
}

char *
format_count(int64_t n, char *buf)
{
	snprintf(buf, 32, "%lld", (long long)n);
	group_digits(buf, 32);
	return buf;
}

size_t
text_width(const char *s)
{
	return display_width(s);
}

/* Byte length of the longest prefix of s (n bytes) at most w columns wide. */
static size_t
prefix_bytes(const char *s, size_t n, size_t w)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, used = 0, k;
	uint32_t c;
	int cw;

	while (o < n) {
		k = utf8_decode(p + o, n - o, &c);
		cw = k == 0 ? 1 : char_width(c);
		if (k == 0)
			k = 1;
		if (used + (size_t)cw > w)
			break;
		used += (size_t)cw;
		o += k;
	}
	return o;
}

/* Byte offset where the longest suffix of s at most w columns wide starts. */
static size_t
suffix_start(const char *s, size_t w)
{
	size_t n = strlen(s), total = display_width(s), o = 0, k;
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;

	while (o < n && total > w) {
		k = utf8_decode(p + o, n - o, &c);
		total -= k == 0 ? 1 : (size_t)char_width(c);
		o += k == 0 ? 1 : k;
	}
	return o;
}

/* Append n bytes of s to buf (size bytes, at *o), always NUL-terminated. */
static void
append(char *buf, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o >= size)
		return;
	if (n > size - 1 - *o)
		n = size - 1 - *o;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, one column */

void
text_fit(const char *s, size_t width, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (display_width(s) <= width) {
		append(buf, size, &o, s, strlen(s));
		return;
	}
	if (width == 0)
		return;
	append(buf, size, &o, s, prefix_bytes(s, strlen(s), width - 1));
	while (o > 0 && buf[o - 1] == ' ')
		buf[--o] = '\0';
	append(buf, size, &o, ELLIPSIS, 3);
}

/* s with its middle replaced by "…", width columns, appended at *o. */
static void
middle_cut(const char *s, size_t width, char *buf, size_t size, size_t *o)
{
	size_t tail = (width - 1) / 2, head = width - 1 - tail;

	append(buf, size, o, s, prefix_bytes(s, strlen(s), head));
	append(buf, size, o, ELLIPSIS, 3);
	s += suffix_start(s, tail);
	append(buf, size, o, s, strlen(s));
}

void
text_shorten_id(const char *s, size_t width, char *buf, size_t size)
{
	const char *id = NULL, *seg = s;
	size_t o = 0, n = strlen(s);

	if (size == 0)
		return;
	buf[0] = '\0';
	if (display_width(s) <= width || width < 5) {
		text_fit(s, width, buf, size);
		return;
	}
	/* the id: after the last '/' or ':'; seg: the path element before it */
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':') {
			if (id != NULL)
				seg = id;
			id = s + i + 1;
		}
	if (id != NULL && *id != '\0' && seg < id && (size_t)(id - seg) < 256) {
		/* "…natgateway/nat-0d80ba13e3ea0d1fb9": the kind and the whole id */
		char tmp[256];
		memcpy(tmp, seg, (size_t)(id - seg));
		tmp[id - seg] = '\0';
		if (display_width(tmp) + display_width(id) + 1 <= width) {
			append(buf, size, &o, ELLIPSIS, 3);
			append(buf, size, &o, tmp, strlen(tmp));
			append(buf, size, &o, id, strlen(id));
			return;
		}
	}
	if (id != NULL && *id != '\0' && display_width(id) + 1 <= width) {
		append(buf, size, &o, ELLIPSIS, 3);
		s += suffix_start(s, width - 1);
		append(buf, size, &o, s, strlen(s));
		return;
	}
	if (id != NULL && *id != '\0' && seg < id) {
		size_t segw;
		char tmp[256];
		size_t sl = (size_t)(id - seg);

		if (sl >= sizeof tmp)
			sl = sizeof tmp - 1;
		memcpy(tmp, seg, sl);
		tmp[sl] = '\0';
		segw = display_width(tmp);
		if (segw + 1 + 9 <= width) {
			append(buf, size, &o, ELLIPSIS, 3);
			append(buf, size, &o, tmp, sl);
			middle_cut(id, width - 1 - segw, buf, size, &o);
			return;
		}
	}
	middle_cut(id != NULL && *id != '\0' ? id : s, width, buf, size, &o);
}

/* ---- building ------------------------------------------------------- */

struct table *
table_new(const char *title, const struct table_col *cols, int ncols)
{
	struct table *t;

	if (ncols < 0 || (ncols > 0 && cols == NULL))
		return NULL;
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	if (title != NULL) {
		t->title = utf8_sanitize(title);
		if (t->title == NULL) {
			free(t);
			return NULL;
		}
	}
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

static void
cell_clear(struct cell *c)
{
	if (c->tag == V_TEXT)
		free(c->u.s);
	c->tag = V_NULL;
}

void
table_free(struct table *t)
{
	int r, c;

	if (t == NULL)
		return;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			cell_clear(&t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->prio);
	free(t->sum);
	free(t->title);
	free(t);
}

int
table_add_row(struct table *t)
{
	struct cell *row;

	if (t == NULL || t->nrows == INT_MAX)
		return -1;
	if (t->nrows == t->cap) {
		int ncap = t->cap < 16 ? 16 : t->cap > INT_MAX / 2 ? INT_MAX : t->cap * 2;
		struct cell **nr;

		if ((size_t)ncap > SIZE_MAX / sizeof *nr)
			return -1;
		nr = realloc(t->rows, (size_t)ncap * sizeof *nr);
		if (nr == NULL)
			return -1;
		t->rows = nr;
		t->cap = ncap;
	}
	row = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *row);
	if (row == NULL)
		return -1;
	/* calloc's zero bytes are V_NULL cells. */
	t->rows[t->nrows] = row;
	return t->nrows++;
}

static struct cell *
cell_at(struct table *t, int row, int col)
{
	if (t == NULL || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return &t->rows[row][col];
}

int
table_set_text(struct table *t, int row, int col, const char *s)
{
	struct cell *c = cell_at(t, row, col);
	char *copy = NULL;

	if (c == NULL)
		return -1;
	if (s != NULL && (copy = utf8_sanitize(s)) == NULL)
		return -1;
	cell_clear(c);
	if (copy != NULL) {
		c->tag = V_TEXT;
		c->u.s = copy;
	}
	return 0;
}

int
table_set_int(struct table *t, int row, int col, int64_t v)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_INT;
	c->u.i = v;
	return 0;
}

int
table_set_money(struct table *t, int row, int col, int64_t nanos)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_MONEY;
	c->u.i = nanos;
	return 0;
}

int
table_set_num(struct table *t, int row, int col, double v)
{
	struct cell *c = cell_at(t, row, col);

	if (c == NULL)
		return -1;
	cell_clear(c);
	c->tag = V_DBL;
	c->u.d = v;
	return 0;
}

int
table_set_prio(struct table *t, const int *prio)
{
	if (t == NULL || prio == NULL || t->ncols == 0)
		return -1;
	if (t->prio == NULL && (t->prio = malloc((size_t)t->ncols * sizeof *t->prio)) == NULL)
		return -1;
	memcpy(t->prio, prio, (size_t)t->ncols * sizeof *t->prio);
	return 0;
}

int
table_sum_col(struct table *t, int col)
{
	if (t == NULL || col < 0 || col >= t->ncols)
		return -1;
	if (t->sum == NULL && (t->sum = calloc((size_t)t->ncols, 1)) == NULL)
		return -1;
	t->sum[col] = 1;
	return 0;
}

static int
col_prio(const struct table *t, int c)
{
	return t->prio ? t->prio[c] : 0;
}

static int
col_sum(const struct table *t, int c)
{
	return t->sum && t->sum[c] &&
	       (t->cols[c].kind == CELL_MONEY || t->cols[c].kind == CELL_INT);
}

int
table_set_qty(struct table *t, int row, int col, double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return table_set_int(t, row, col, (int64_t)v);
	return table_set_num(t, row, col, v);
}

int
table_rows(const struct table *t)
{
	return t == NULL ? 0 : t->nrows;
}

const char *
table_title(const struct table *t)
{
	return t == NULL ? NULL : t->title;
}

/* ---- rendering one cell --------------------------------------------- */

/* Insert ',' every three digits of the integer part of a formatted number. */
static void
group_digits(char *buf, size_t size)
{
	char tmp[CELL_BUF];
	size_t start = 0, end, ndig, o = 0, i;

	if (buf[0] == '-')
		start = 1;
	end = start;
	while (buf[end] >= '0' && buf[end] <= '9')
		end++;
	ndig = end - start;
	if (ndig <= 3 || strlen(buf) + ndig / 3 + 1 > sizeof tmp ||
	    strlen(buf) + ndig / 3 + 1 > size)
		return;
	memcpy(tmp, buf, start);
	o = start;
	for (i = 0; i < ndig; i++) {
		if (i > 0 && (ndig - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = buf[start + i];
	}
	strcpy(tmp + o, buf + end);
	strcpy(buf, tmp);
}

/*
 * "%.*f" of a finite v, with a '.' whatever LC_NUMERIC says and no sign
 * on a value that rounds to zero.  decimals is clamped to 0..9.
 */
static void
format_fixed(double v, int decimals, char *buf, size_t size)
{
	const char *dp = localeconv()->decimal_point;
	char *p;
	int nonzero = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(buf, size, "%.*f", decimals, v);
	if (dp != NULL && strcmp(dp, ".") != 0 && dp[0] != '\0' &&
	    (p = strstr(buf, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + strlen(dp), strlen(p + strlen(dp)) + 1);
	}
	for (p = buf; *p != '\0'; p++)
		if (*p >= '1' && *p <= '9')
			nonzero = 1;
	if (buf[0] == '-' && !nonzero)
		memmove(buf, buf + 1, strlen(buf));
}

/* A ratio with up to 6 decimals, trailing zeros removed. */
static void
format_ratio(double v, char *buf, size_t size)
{
	size_t n;

	format_fixed(v, 6, buf, size);
	if (strchr(buf, '.') == NULL)
		return;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

/*
 * The text of one cell in format fmt: a text cell's own string, otherwise
 * a number rendered into buf.  NULL for a NULL cell (and for a non-finite
 * double, which has no representation in these forms).  For FMT_JSON the
 * result of a non-text cell is a valid JSON number.
 */
static const char *
render_cell(const struct table *t, const struct cell *c, int col,
	    enum out_format fmt, char *buf, size_t size)
{
	const struct table_col *tc = &t->cols[col];
	int group = fmt == FMT_TABLE;
	int plain = fmt == FMT_JSON || fmt == FMT_CSV;

	switch (c->tag) {
	case V_NULL:
		return NULL;
	case V_TEXT:
		return c->u.s;
	case V_INT:
		snprintf(buf, size, "%lld", (long long)c->u.i);
		break;
	case V_MONEY:
		if (size < 40)
			return NULL;
		if (plain)
			return money_format_json(c->u.i, buf);
		/* decimals > 2: a unit price (imcost prices), shown to that many */
		return money_format(c->u.i, tc->decimals > 2 ? tc->decimals : 2, group, buf);
	case V_DBL:
		if (!isfinite(c->u.d))
			return NULL;
		if (tc->kind == CELL_PCT) {
			if (plain) {
				format_ratio(c->u.d, buf, size);
				return buf;
			}
			if (!isfinite(c->u.d * 100.0))
				return NULL;
			format_fixed(c->u.d * 100.0, tc->decimals, buf, size - 8);
			if (group)
				group_digits(buf, size - 2);
			strcat(buf, "%");
			return buf;
		}
		format_fixed(c->u.d, tc->decimals, buf, size);
		break;
	}
	if (group)
		group_digits(buf, size);
	return buf;
}

/* ---- the four forms ------------------------------------------------- */

static int
right_aligned(const struct table_col *c)
{
	return c->kind != CELL_TEXT;
}

static void
put_spaces(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

enum clean { CLEAN_PLAIN, CLEAN_MD, CLEAN_MD_CELL };

/*
 * Write s with control bytes as spaces.  CLEAN_MD (a Markdown title) also
 * backslash-escapes the characters that would make a link, an image, code
 * or HTML (\ ` [ ] < >), so data stays text; CLEAN_MD_CELL also '|'.
 */
static void
put_clean(FILE *out, const char *s, enum clean how)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fputc(' ', out);
		else if (how != CLEAN_PLAIN && (strchr("\\`[]<>", c) != NULL ||
						(how == CLEAN_MD_CELL && c == '|')))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

/* As put_padded, the text (not the padding) in the SGR colour sgr
 * ("1", "31"; NULL: none). */
static void
put_padded_sgr(FILE *out, const char *s, size_t width, int right, int last, const char *sgr)
{
	size_t w = display_width(s);
	size_t pad = w < width ? width - w : 0;

	if (right)
		put_spaces(out, pad);
	if (sgr != NULL && *s != '\0')
		fprintf(out, "\033[%sm", sgr);
	put_clean(out, s, CLEAN_PLAIN);
	if (sgr != NULL && *s != '\0')
		fputs("\033[0m", out);
	if (!right && !last)
		put_spaces(out, pad);
}


/*
 * The Total row: the sums of the columns marked sum, when the table has at
 * least two rows, no sum overflows and every row has the same currency (a
 * column keyed "currency").  Returns 1 and fills tot (ncols cells, V_NULL
 * where nothing is summed), or 0 when there is no Total row.
 */
static int
total_row(const struct table *t, struct cell *tot)
{
	int any = 0, cur = -1;

	if (t->nrows < 2)
		return 0;
	for (int c = 0; c < t->ncols; c++) {
		tot[c].tag = V_NULL;
		if (t->cols[c].key && strcmp(t->cols[c].key, "currency") == 0)
			cur = c;
		if (col_sum(t, c))
			any = 1;
	}
	if (!any)
		return 0;
	if (cur >= 0)
		for (int r = 1; r < t->nrows; r++) {
			const struct cell *a = &t->rows[0][cur], *b = &t->rows[r][cur];
			if (a->tag != b->tag || (a->tag == V_TEXT && strcmp(a->u.s, b->u.s) != 0))
				return 0;
		}
	for (int c = 0; c < t->ncols; c++) {
		int64_t sum = 0;
		int seen = 0;
		if (!col_sum(t, c))
			continue;
		for (int r = 0; r < t->nrows; r++) {
			const struct cell *x = &t->rows[r][c];
			if (x->tag != V_MONEY && x->tag != V_INT)
				continue;
			if (__builtin_add_overflow(sum, x->u.i, &sum))
				return 0;
			seen = 1;
		}
		if (seen) {
			tot[c].tag = t->cols[c].kind == CELL_MONEY ? V_MONEY : V_INT;
			tot[c].u.i = sum;
		}
	}
	if (t->ncols > 0 && tot[0].tag == V_NULL) {
		tot[0].tag = V_TEXT;
		tot[0].u.s = (char *)"Total";
	}
	return 1;
}

/* The text of a cell cut to width w (a text cell only; numbers never are). */
static const char *
fit_cell(const char *s, const struct cell *c, size_t w, char *buf, size_t size)
{
	if (s == NULL || c->tag != V_TEXT || display_width(s) <= w)
		return s;
	if (strchr(s, ' ') != NULL)
		text_fit(s, w, buf, size);
	else
		text_shorten_id(s, w, buf, size);
	return buf;
}

/* Display width of the shown columns with their separators. */
static size_t
shown_width(const struct table *t, const size_t *width, const char *show)
{
	size_t w = 0;
	int n = 0;

	for (int c = 0; c < t->ncols; c++)
		if (show[c]) {
			w += width[c] + (n ? 2 : 0);
			n++;
		}
	return w;
}

/* Does text column c hold prose (a cell with a space)? */
static int
prose_col(const struct table *t, int c)
{
	for (int r = 0; r < t->nrows; r++)
		if (t->rows[r][c].tag == V_TEXT && strchr(t->rows[r][c].u.s, ' ') != NULL)
			return 1;
	return 0;
}

/* Shrink the widest shown text column of the kind (prose or not) that is
 * wider than its floor (its label, at least minw).  0 when none could. */
static int
shrink_one(const struct table *t, size_t *width, const char *show, int prose, size_t minw)
{
	size_t W = (size_t)out_width, floor = 0, excess;
	int best = -1;

	for (int c = 0; c < t->ncols; c++) {
		size_t m = display_width(t->cols[c].label ? t->cols[c].label : "");
		if (m < minw)
			m = minw;
		if (show[c] && t->cols[c].kind == CELL_TEXT && width[c] > m &&
		    prose_col(t, c) == prose && (best < 0 || width[c] > width[best])) {
			best = c;
			floor = m;
		}
	}
	if (best < 0)
		return 0;
	excess = shown_width(t, width, show) - W;
	width[best] -= excess < width[best] - floor ? excess : width[best] - floor;
	return 1;
}

/*
 * Fit the columns into out_width: shorten ids to 32 columns and prose to
 * 24, hide the
 * columns of highest prio, then shrink prose columns (not below 16 columns), ids (not below 20, then
 * 10), then hide columns from the right (the first stays).
 */
static void
fit_columns(const struct table *t, size_t *width, char *show)
{
	size_t W = (size_t)out_width;

	if (W == 0)
		return;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 32))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 24))
		;
	while (shown_width(t, width, show) > W) {
		int best = -1;
		for (int c = 0; c < t->ncols; c++)
			if (show[c] && col_prio(t, c) > 0 &&
			    (best < 0 || col_prio(t, c) >= col_prio(t, best)))
				best = c;
		if (best < 0)
			break;
		show[best] = 0;
	}
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 16))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 20))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 1, 8))
		;
	while (shown_width(t, width, show) > W && shrink_one(t, width, show, 0, 10))
		;
	for (int c = t->ncols - 1; c > 0 && shown_width(t, width, show) > W; c--)
		show[c] = 0;
}

static void
print_row(const struct table *t, FILE *out, const struct cell *row, const size_t *width,
	  const char *show, int last, int total)
{
	char buf[CELL_BUF], fit[CELL_BUF];
	const char *s;
	int first = 1;

	for (int c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		s = render_cell(t, &row[c], c, FMT_TABLE, buf, sizeof buf);
		s = fit_cell(s, &row[c], width[c], fit, sizeof fit);
		if (!first)
			fputs("  ", out);
		first = 0;
		{
			/* colour (table_set_color): Total bold, negative numbers red */
			int neg = (row[c].tag == V_MONEY || row[c].tag == V_INT) ? row[c].u.i < 0 :
				  row[c].tag == V_DBL && row[c].u.d < 0 && s && s[0] == '-';
			const char *sgr = !out_color ? NULL : neg ? (total ? "1;31" : "31") :
					  total ? "1" : NULL;
			put_padded_sgr(out, s ? s : "", width[c], right_aligned(&t->cols[c]), c == last,
				       sgr);
		}
	}
	fputc('\n', out);
}

static void
print_rule(const struct table *t, FILE *out, const size_t *width, const char *show)
{
	int first = 1;

	for (int c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		if (!first)
			fputs("  ", out);
		first = 0;
		for (size_t k = 0; k < width[c]; k++)
			fputc('-', out);
	}
	fputc('\n', out);
}

static int
print_aligned(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	size_t *width;
	struct cell *tot;
	char *show;
	const char *s;
	int r, c, has_total, last = -1, first = 1;

	width = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *width);
	show = malloc(t->ncols > 0 ? (size_t)t->ncols : 1);
	tot = calloc(t->ncols > 0 ? (size_t)t->ncols : 1, sizeof *tot);
	if (width == NULL || show == NULL || tot == NULL) {
		free(width);
		free(show);
		free(tot);
		return -1;
	}
	has_total = total_row(t, tot);
	for (c = 0; c < t->ncols; c++) {
		show[c] = 1;
		width[c] = display_width(t->cols[c].label ? t->cols[c].label : "");
		for (r = 0; r <= t->nrows; r++) {
			const struct cell *x = r < t->nrows ? &t->rows[r][c] : &tot[c];
			if (r == t->nrows && !has_total)
				break;
			s = render_cell(t, x, c, FMT_TABLE, buf, sizeof buf);
			if (s != NULL && display_width(s) > width[c])
				width[c] = display_width(s);
		}
	}
	fit_columns(t, width, show);
	for (c = 0; c < t->ncols; c++)
		if (show[c])
			last = c;
	if (t->title != NULL) {
		char tb[CELL_BUF];
		put_clean(out, out_width ? (text_fit(t->title, (size_t)out_width, tb, sizeof tb), tb) :
			  t->title, CLEAN_PLAIN);
		fputc('\n', out);
	}
	for (c = 0; c < t->ncols; c++) {
		if (!show[c])
			continue;
		if (!first)
			fputs("  ", out);
		first = 0;
		put_padded_sgr(out, t->cols[c].label ? t->cols[c].label : "", width[c],
		    right_aligned(&t->cols[c]), c == last, out_color ? "1" : NULL);
	}
	fputc('\n', out);
	print_rule(t, out, width, show);
	for (r = 0; r < t->nrows; r++)
		print_row(t, out, t->rows[r], width, show, last, 0);
	if (has_total && !show[0]) {
		/* the label moves to the first shown column left empty */
		for (c = 1; c < t->ncols; c++)
			if (show[c] && tot[c].tag == V_NULL && width[c] >= 5) {
				tot[c] = tot[0];
				break;
			}
	}
	if (has_total) {
		print_rule(t, out, width, show);
		print_row(t, out, tot, width, show, last, 1);
	}
	/* what --wide would add */
	{
		char note[CELL_BUF], fitted[CELL_BUF];
		size_t o = 0;
		note[0] = '\0';
		for (c = 0; c < t->ncols; c++)
			if (!show[c]) {
				const char *l = t->cols[c].label ? t->cols[c].label : t->cols[c].key;
				if (o == 0)
					append(note, sizeof note, &o, "  (--wide adds: ", 16);
				else
					append(note, sizeof note, &o, ", ", 2);
				append(note, sizeof note, &o, l, strlen(l));
			}
		if (o > 0) {
			append(note, sizeof note, &o, ")", 1);
			text_fit(note, (size_t)out_width, fitted, sizeof fitted);
			put_clean(out, fitted, CLEAN_PLAIN);
			fputc('\n', out);
		}
	}
	free(width);
	free(show);
	free(tot);
	return 0;
}

static void
print_markdown(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	const char *s;
	int r, c;

	if (t->title != NULL) {
		fputs("### ", out);
		put_clean(out, t->title, CLEAN_MD);
		fputs("\n\n", out);
	}
	fputc('|', out);
	for (c = 0; c < t->ncols; c++) {
		fputc(' ', out);
		put_clean(out, t->cols[c].label ? t->cols[c].label : "", CLEAN_MD_CELL);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (c = 0; c < t->ncols; c++)
		fputs(right_aligned(&t->cols[c]) ? " ---: |" : " --- |", out);
	fputc('\n', out);
	for (r = 0; r < t->nrows; r++) {
		fputc('|', out);
		for (c = 0; c < t->ncols; c++) {
			s = render_cell(t, &t->rows[r][c], c, FMT_MARKDOWN, buf, sizeof buf);
			fputc(' ', out);
			put_clean(out, s ? s : "", CLEAN_MD_CELL);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
	if (t->ncols > 0) {
		struct cell *tot = calloc((size_t)t->ncols, sizeof *tot);
		if (tot != NULL && total_row(t, tot)) {
			fputc('|', out);
			for (c = 0; c < t->ncols; c++) {
				s = render_cell(t, &tot[c], c, FMT_MARKDOWN, buf, sizeof buf);
				fputs(c == 0 ? " **" : " ", out);
				put_clean(out, s ? s : "", CLEAN_MD_CELL);
				fputs(c == 0 ? "** |" : " |", out);
			}
			fputc('\n', out);
		}
		free(tot);
	}
}

/*
 * A text cell a spreadsheet would read as a formula (starting with =, +,
 * -, @, tab or CR: "=HYPERLINK(...)", "-cmd|..."), written with a leading
 * ' so that it stays text when the CSV is opened in Excel or LibreOffice
 * (OWASP's advice for CSV injection).  A lone "-" is left alone.
 */
static int
csv_formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL && strcmp(s, "-") != 0;
}

static void
put_csv_field(FILE *out, const char *s, int text)
{
	if (text && csv_formula_like(s)) {
		fputs("\"'", out);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
		return;
	}
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
print_csv(const struct table *t, FILE *out)
{
	char buf[CELL_BUF];
	const char *s;
	int r, c;

	for (c = 0; c < t->ncols; c++) {
		if (c > 0)
			fputc(',', out);
		put_csv_field(out, t->cols[c].key ? t->cols[c].key : "", 1);
	}
	fputc('\n', out);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c > 0)
				fputc(',', out);
			s = render_cell(t, &t->rows[r][c], c, FMT_CSV, buf, sizeof buf);
			if (s != NULL)
				put_csv_field(out, s, t->rows[r][c].tag == V_TEXT);
		}
		fputc('\n', out);
	}
}

cJSON *
json_money(int64_t nanos)
{
	char buf[40];

	return cJSON_CreateRaw(money_format_json(nanos, buf));
}

cJSON *
table_to_json(const struct table *t)
{
	char buf[CELL_BUF];
	cJSON *arr, *obj, *item;
	const char *s;
	int r, c;

	if (t == NULL)
		return NULL;
	arr = cJSON_CreateArray();
	if (arr == NULL)
		return NULL;
	for (r = 0; r < t->nrows; r++) {
		obj = cJSON_CreateObject();
		if (obj == NULL)
			goto fail;
		cJSON_AddItemToArray(arr, obj);
		for (c = 0; c < t->ncols; c++) {
			const struct cell *cl = &t->rows[r][c];

			s = render_cell(t, cl, c, FMT_JSON, buf, sizeof buf);
			if (s == NULL)
				item = cJSON_CreateNull();
			else if (cl->tag == V_TEXT)
				item = cJSON_CreateString(s);
			else
				item = cJSON_CreateRaw(s);
			if (item == NULL)
				goto fail;
			cJSON_AddItemToObject(obj, t->cols[c].key ? t->cols[c].key : "", item);
		}
	}
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
}

static int
print_json(const struct table *t, FILE *out)
{
	cJSON *arr = table_to_json(t);
	char *text;

	if (arr == NULL)
		return -1;
	text = cJSON_Print(arr);
	cJSON_Delete(arr);
	if (text == NULL)
		return -1;
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	return 0;
}

int
table_print(const struct table *t, FILE *out, enum out_format fmt)
{
	int rc = 0;

	if (t == NULL || out == NULL)
		return -1;
	switch (fmt) {
	case FMT_TABLE:
		rc = print_aligned(t, out);
		break;
	case FMT_MARKDOWN:
		print_markdown(t, out);
		break;
	case FMT_CSV:
		print_csv(t, out);
		break;
	case FMT_JSON:
		rc = print_json(t, out);
		break;
	default:
		return -1;
	}
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return rc;
}

int
out_format_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "table") == 0)
		return FMT_TABLE;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	if (strcmp(s, "csv") == 0)
		return FMT_CSV;
	if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		return FMT_MARKDOWN;
	return -1;
}
