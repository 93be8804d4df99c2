/*
 * textset.h - a set of byte strings, each with a few bits of its own, in
 * bounded memory: what counting distinct resource ids in C (instead of a
 * SQL GROUP BY that sorts every row by its text) needs.
 *
 * Open addressing on a 64-bit hash, the strings copied into an arena of
 * the set's own; nothing is ever removed.  An add that would take the set
 * past its byte limit fails and leaves it as it was, so that the caller
 * can fall back to a way that needs no memory per string.
 */
#ifndef IMCOST_TEXTSET_H
#define IMCOST_TEXTSET_H

#include <stddef.h>
#include <stdint.h>

struct textset;

/* A new, empty set that takes at most max_bytes (its slots and arena),
 * sized for about `expect` strings (0: unknown); NULL when out of memory.
 * Free with textset_free (NULL is fine). */
struct textset *textset_new(size_t max_bytes, size_t expect);
void textset_free(struct textset *s);

/* OR bits (the low 8 only) into the bits of p[0 .. len), adding it (with
 * bits) when new.
 * Returns 0, or -1 when it is new and the set is full (nothing changed). */
int textset_or(struct textset *s, const char *p, size_t len, unsigned bits);

/* How many strings have every bit of `all` (the low 8) set. */
size_t textset_count(const struct textset *s, unsigned all);

#endif
