/*
 * cur-idset.c - the set of line items an AWS CUR file has shown, for
 * aws-cur.c's duplicate warning (cur-idset.h says how it is sized).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "importers/cur-idset.h"

/* Mix the bytes of a into h, 8 at a time. */
static uint64_t
id_mix(uint64_t h, struct str a)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= a.len; i += 8) {
		memcpy(&w, a.s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, a.s + i, a.len - i);
	h = (h ^ w ^ ((uint64_t)a.len << 56)) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

uint64_t
idset_hash(struct str a, struct str b)
{
	uint64_t h = id_mix(id_mix(0x243f6a8885a308d3ULL, a), b);

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

/* Was the id of hash h seen before?  Adds it when there is room.
 * Returns 1 when seen. */
int
idset_seen(struct idset *s, uint64_t h)
{
	uint64_t fp = (h >> 24) | 1;	/* 40 bits, never 0 */
	unsigned char e[IDSET_FP];
	size_t j;

	if (s->failed)
		return 0;
	if (s->slot == NULL && (s->slot = calloc(IDSET_SLOTS, IDSET_FP)) == NULL) {
		s->failed = 1;
		return 0;
	}
	for (int k = 0; k < IDSET_FP; k++)
		e[k] = (unsigned char)(fp >> (8 * k));
	for (j = h & (IDSET_SLOTS - 1);; j = (j + 1) & (IDSET_SLOTS - 1)) {
		const unsigned char *p = s->slot + j * IDSET_FP;

		if ((p[0] | p[1] | p[2] | p[3] | p[4]) == 0)
			break;
		if (memcmp(p, e, IDSET_FP) == 0)
			return 1;
	}
	if ((s->n + 1) * 10 > IDSET_SLOTS * 7) {
		s->not_held++;
		return 0;
	}
	memcpy(s->slot + j * IDSET_FP, e, IDSET_FP);
	s->n++;
	return 0;
}
