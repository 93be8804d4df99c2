/*
 * html.h - the small pieces of HTML writing the monthly report needs:
 * escaping text, base64 (for images embedded as data: URIs, so that one
 * .html file carries everything), and embedding a PNG file.
 *
 * Nothing here allocates behind the caller's back except html_base64,
 * whose result the caller frees.
 */
#ifndef IMCOST_HTML_H
#define IMCOST_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write s with &, <, >, " and ' escaped, control characters (other than
 * tab and newline) as spaces and invalid UTF-8 bytes as U+FFFD.  NULL
 * writes nothing. */
void html_escape(FILE *out, const char *s);

/* The base64 (RFC 4648, with padding, no line breaks) of data[0..n) as a
 * new NUL-terminated string the caller frees; NULL when out of memory.
 * n == 0 gives "". */
char *html_base64(const unsigned char *data, size_t n);

/* Write <img src="data:image/png;base64,..." alt="ALT" width=W height=H>
 * for the PNG file at path (a symbolic link is not followed); W and H come
 * from the file's IHDR chunk.
 * Returns 0, or -1 when the file cannot be read or is not a PNG (nothing
 * written then). */
int html_embed_png(FILE *out, const char *path, const char *alt);

/* Read the width and height of the PNG file at path (not through a
 * symbolic link) from its IHDR chunk.
 * Returns 0, or -1 when the file cannot be read or is not a PNG. */
int png_size(const char *path, unsigned *width, unsigned *height);

#endif
