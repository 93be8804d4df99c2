/*
 * sbuf.h - the one growable string buffer: SQL text (engine*.c), gnuplot
 * scripts and data (reports/chart.c), JSON object text (importers/
 * jsonbuf.c), report paragraphs.
 *
 * Zero-initialize.  Every append keeps s NUL-terminated (the NUL is not
 * counted in len), so s can be read as a C string once anything was
 * appended; s is NULL before that.  On ENOMEM oom is set and later
 * appends do nothing: check oom once at the end.  Setting len = 0 reuses
 * the buffer (s keeps its old bytes until the next append).  Free with
 * sbuf_free, or free(s).
 */
#ifndef IMCOST_SBUF_H
#define IMCOST_SBUF_H

#include <stddef.h>

struct sbuf {
	char *s;
	size_t len;
	size_t cap;
	int oom;
};

/* Room for more bytes and the NUL after them.  Returns 0, or -1 (oom
 * set).  The bytes go at s + len; the writer then advances len and
 * writes the NUL. */
int sbuf_reserve(struct sbuf *b, size_t more);
void sbuf_put(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_putc(struct sbuf *b, char c);
/* s, or "" when nothing was appended or memory ran out; owned by b. */
const char *sbuf_str(struct sbuf *b);
/* Free s and zero b. */
void sbuf_free(struct sbuf *b);

#endif
