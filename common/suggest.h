/*
 * suggest.h - "did you mean": the known words nearest to a mistyped one,
 * by edit distance (insertions, deletions, substitutions and swaps of
 * two neighbours each count 1), as git's help.autocorrect suggests.
 *
 * Nothing here prints.
 */
#ifndef IMCOST_SUGGEST_H
#define IMCOST_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance between a and b (bytes), or a large
 * number when either is longer than 64 bytes. */
int suggest_distance(const char *a, const char *b);

/*
 * The words of known[0..n) nearest to word, close enough to be a typo
 * (distance at most 2, and less than half of the longer word; or word is
 * a prefix of exactly one of them).  Writes their indexes, in known's
 * order, into out (room for max) and returns how many: 0 when nothing is
 * close.
 */
size_t suggest_nearest(const char *word, const char *const *known, size_t n, size_t *out,
		       size_t max);

#endif
