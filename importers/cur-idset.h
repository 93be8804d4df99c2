/*
 * cur-idset.h - the line items seen in an AWS CUR file (cur-idset.c).
 */
#ifndef IMCOST_CUR_IDSET_H
#define IMCOST_CUR_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "importers/importer.h"

/*
 * The line items seen in this file, for the duplicate warning: a set of
 * 40-bit fingerprints of (identity/LineItemId, identity/TimeInterval)
 * hashes, 5 bytes each, in IDSET_SLOTS slots (10 MiB, one allocation made
 * at the first id: no growth that would hold two tables at once; pages
 * only count once touched), open addressing.  Past 70% (1.47M distinct
 * line items) new ids are only looked up, not added, and a warning says
 * so.  A false match needs two ids with the same 21-bit home and the same
 * 40 bits: about one file in 400,000 of a million line items would warn
 * once wrongly.
 */
#define IDSET_SLOTS ((size_t)1 << 21)
#define IDSET_FP 5

struct idset {
	unsigned char *slot;	/* IDSET_SLOTS * IDSET_FP bytes; all zero: empty */
	size_t n;
	long not_held;		/* ids not added: the set was full */
	int failed;		/* out of memory: checking stopped */
};

/* The hash of the pair (a, b) (identity/LineItemId, identity/TimeInterval). */
uint64_t idset_hash(struct str a, struct str b);

/* Was the id of hash h seen before?  Adds it when there is room (the
 * table, IDSET_SLOTS * IDSET_FP bytes, is allocated at the first id;
 * s->slot is freed by the owner of s with free()).  Returns 1 when seen;
 * 0 also when out of memory (s->failed set: checking stopped). */
int idset_seen(struct idset *s, uint64_t h);

#endif
