/*
 * gpcheck.h - a checker for the gnuplot scripts imcost writes (used by
 * tests/fuzz/fuzz-chart.c): does anything in the script run a command?
 *
 * The script is read as gnuplot reads it: physical lines ending in a
 * backslash continue onto the next one; then, outside quoted strings and
 * comments, gp_check fails on
 *   - a '!' (a shell command at the start of a command, also after ';')
 *   - a backquote (command substitution) or '@' (macro)
 *   - the words system, load, call, shell, cd, pipe (a command or
 *     function that runs or reads something)
 * and it fails on
 *   - a string that is not terminated on its line
 *   - a single-quoted string followed directly by another quote: gnuplot
 *     5.4's '' escape is unreliable, so the writer never uses one
 *   - a backquote inside a double-quoted string (gnuplot substitutes it)
 *   - `set output`, `set print` or `datafile =` naming anything but one of
 *     the expected file names (a '|' or '<' name is a pipe)
 * A comment ('#' outside strings) ends the line.  Returns 0 when the
 * script is clean, else -1 with a reason in why.
 */
#ifndef IMCOST_GPCHECK_H
#define IMCOST_GPCHECK_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is the word at s (outside strings) one of the forbidden ones? */
static int
gp_bad_word(const char *s, size_t n, size_t i)
{
	static const char *const words[] = { "system", "load", "call", "shell", "cd", "pipe" };

	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
		return 0;
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		size_t k = strlen(words[w]);
		if (i + k <= n && memcmp(s + i, words[w], k) == 0 &&
		    (i + k == n || !(isalnum((unsigned char)s[i + k]) || s[i + k] == '_')))
			return 1;
	}
	return 0;
}

/* The first quoted string after position i of line s (n bytes), unquoted
 * into buf; 0 when found. */
static int
gp_next_string(const char *s, size_t n, size_t i, char *buf, size_t size)
{
	size_t o = 0;
	char q;

	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '\'' && s[i] != '"'))
		return -1;
	q = s[i++];
	while (i < n && s[i] != q && o + 1 < size)
		buf[o++] = s[i++];
	buf[o] = '\0';
	return 0;
}

/* One logical line (continuations joined). */
static int
gp_check_line(const char *s, size_t n, long lno, const char *const *names, char *why, size_t wsize)
{
	size_t i = 0;
	int start = 1;	/* at the start of a command */

	while (i < n) {
		char c = s[i];

		if (c == ' ' || c == '\t') {
			i++;
			continue;
		}
		if (c == '#')
			return 0;
		if (c == '!') {
			snprintf(why, wsize, "line %ld: '!' outside a string%s", lno,
				 start ? " (a shell command)" : "");
			return -1;
		}
		if (c == '`' || c == '@') {
			snprintf(why, wsize, "line %ld: '%c' outside a string", lno, c);
			return -1;
		}
		if (gp_bad_word(s, n, i)) {
			snprintf(why, wsize, "line %ld: forbidden word at column %zu", lno, i + 1);
			return -1;
		}
		if (start) {
			static const char *const out[] = { "set output", "set print", "datafile =" };
			for (size_t k = 0; k < 3; k++) {
				size_t len = strlen(out[k]);
				char name[512];
				int ok = 0;
				if (i + len > n || memcmp(s + i, out[k], len) != 0)
					continue;
				if (gp_next_string(s, n, i + len, name, sizeof name) == 0)
					for (const char *const *p = names; *p; p++)
						ok |= strcmp(*p, name) == 0;
				if (!ok) {
					snprintf(why, wsize, "line %ld: %s names an unexpected file", lno, out[k]);
					return -1;
				}
			}
		}
		start = 0;
		if (c == ';' || c == '{' || c == '}') {
			start = 1;
			i++;
			continue;
		}
		if (c == '\'') {
			size_t j = i + 1;
			while (j < n && s[j] != '\'')
				j++;
			if (j >= n) {
				snprintf(why, wsize, "line %ld: unterminated '...' string", lno);
				return -1;
			}
			if (j + 1 < n && (s[j + 1] == '\'' || s[j + 1] == '"')) {
				snprintf(why, wsize, "line %ld: a quote right after a '...' string", lno);
				return -1;
			}
			i = j + 1;
			continue;
		}
		if (c == '"') {
			size_t j = i + 1;
			while (j < n && s[j] != '"') {
				if (s[j] == '`') {
					snprintf(why, wsize, "line %ld: backquote in a \"...\" string", lno);
					return -1;
				}
				j += s[j] == '\\' ? 2 : 1;
			}
			if (j >= n) {
				snprintf(why, wsize, "line %ld: unterminated \"...\" string", lno);
				return -1;
			}
			i = j + 1;
			continue;
		}
		i++;
	}
	return 0;
}

/* Check the NUL-terminated script; names: the file names it may write or
 * read by name (NULL-terminated list). */
static int
gp_check(const char *script, const char *const *names, char *why, size_t wsize)
{
	const char *p = script;
	long lno = 0;
	char *logical = NULL;
	size_t cap = 0;

	while (*p) {
		size_t len = 0;
		long first = lno + 1;

		/* join physical lines ending in a backslash */
		for (;;) {
			const char *e = strchr(p, '\n');
			size_t k = e ? (size_t)(e - p) : strlen(p);
			int cont = k > 0 && p[k - 1] == '\\';

			lno++;
			if (len + k + 1 > cap) {
				cap = (len + k + 1) * 2;
				logical = realloc(logical, cap);
				if (logical == NULL)
					abort();
			}
			memcpy(logical + len, p, cont ? k - 1 : k);
			len += cont ? k - 1 : k;
			p += k + (e ? 1 : 0);
			if (!cont || !*p)
				break;
		}
		if (gp_check_line(logical, len, first, names, why, wsize) != 0) {
			free(logical);
			return -1;
		}
	}
	free(logical);
	return 0;
}

#endif
