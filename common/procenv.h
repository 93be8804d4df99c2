/*
 * procenv.h - the environment of a child program: ours with one variable
 * set or removed (gnuplot in a UTF-8 locale, psql with its client
 * encoding).  Nothing here prints.
 */
#ifndef IMCOST_PROCENV_H
#define IMCOST_PROCENV_H

/*
 * A copy of environ without the variable `name` (e.g. "LC_ALL"), plus
 * `value` ("LC_ALL=C.UTF-8") when value is not NULL.  Returns a
 * NULL-terminated array to free() (its strings are environ's and value
 * itself, not copies: value must outlive it), or NULL when out of memory.
 */
char **procenv_with(const char *name, const char *value);

#endif
