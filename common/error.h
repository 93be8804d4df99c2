/*
 * error.h - one error message travelling up to the one place that prints it.
 *
 * Functions below cli/ never print errors or exit: they fill a struct
 * ic_error and return -1.  cli/ prints err.msg on one line and picks the
 * exit status.  Messages follow git's style: lowercase, no full stop, and
 * for input errors start with "FILE:LINE:COLUMN: ".
 */
#ifndef IMCOST_ERROR_H
#define IMCOST_ERROR_H

#include <stddef.h>

#define IC_ERRMSG_MAX 1024

struct ic_error {
	char msg[IC_ERRMSG_MAX];
	int usage;		/* 1 when the caller's arguments were wrong (exit 2) */
};

/* Set err->msg from a printf format.  Always returns -1, so callers can
 * write `return ic_errorf(err, "...")`.  err may be NULL.  A message longer
 * than IC_ERRMSG_MAX - 1 bytes is cut at a UTF-8 character, never inside
 * one. */
int ic_errorf(struct ic_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Text cut to fit a buffer, at a UTF-8 character, never inside one (the
 * database and the JSON output hold UTF-8): for messages, and for names and
 * labels copied into fixed buffers by importers and analyses alike.
 */
/* How many bytes of s[0..len) fit in max without cutting a UTF-8
 * character: min(len, max), less the start of a character cut short. */
size_t str_fit(const char *s, size_t len, size_t max);
/* Copy the C string src into dst[n] (n > 0), cut at a UTF-8 character
 * when it does not fit (snprintf "%s" cuts inside one); returns dst. */
char *str_copy_fit(char *dst, size_t n, const char *src);
/* Drop a UTF-8 character cut short at the end of s (what snprintf leaves
 * when it cuts a message, a name or a label inside one), so that s stays
 * valid UTF-8 for JSON and the database; returns s. */
char *ic_trim_cut(char *s);

/* Same as ic_errorf, prefixed with "FILE:LINE:COL: " (COL omitted when 0). */
int ic_error_at(struct ic_error *err, const char *file, long line, long col,
		const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A buffer of this size holds any ic_quote result. */
#define IC_QUOTE_SIZE 512

/*
 * Copy at most max (clamped to 120) bytes of s[0..len) into buf (at least
 * 4*max+8 bytes; IC_QUOTE_SIZE always suffices) for quoting in a message:
 * control bytes, backslashes and invalid UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF) become \xNN, and "..." marks a cut.  Returns buf.
 */
char *ic_quote(const char *s, size_t len, size_t max, char *buf);

#endif
