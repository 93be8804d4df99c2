/*
 * textset.c - a bounded set of byte strings with bits (see textset.h).
 */
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/textset.h"

/* 16 bytes: the slots of a year's resources stay in 8 MiB */
struct slot {
	uint64_t h;		/* 0 = empty */
	uint32_t off;		/* the string: arena[off .. off + len) */
	uint32_t len_bits;	/* len << 8 | bits */
};
#define LEN(e) ((e)->len_bits >> 8)
#define MAX_LEN (UINT32_MAX >> 8)

struct textset {
	struct slot *slot;
	uint32_t nslots, n;	/* nslots: a power of two; at most half used */
	char *arena;
	size_t used, cap, max_bytes;
};

static size_t
bytes(uint32_t nslots, size_t cap)
{
	return (size_t)nslots * sizeof(struct slot) + cap;
}

struct textset *
textset_new(size_t max_bytes, size_t expect)
{
	struct textset *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->nslots = 1024;
	while (s->nslots < 2 * expect && bytes(s->nslots * 2, 0) <= max_bytes / 2)
		s->nslots *= 2;
	s->max_bytes = max_bytes;
	if ((s->slot = calloc(s->nslots, sizeof *s->slot)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
textset_free(struct textset *s)
{
	if (s == NULL)
		return;
	free(s->slot);
	free(s->arena);
	free(s);
}

static struct slot *
find(struct slot *slot, uint32_t mask, uint64_t h, const char *arena, const char *p, size_t len)
{
	uint32_t i;

	for (i = (uint32_t)h & mask; slot[i].h; i = (i + 1) & mask)
		if (slot[i].h == h && LEN(&slot[i]) == len &&
		    (len == 0 || memcmp(arena + slot[i].off, p, len) == 0))
			return &slot[i];
	return &slot[i];
}

/* double the slots; -1 past the limit or out of memory */
static int
grow(struct textset *s)
{
	uint32_t n2 = s->nslots * 2;
	struct slot *s2;

	if (n2 == 0 || bytes(n2, s->cap) > s->max_bytes || (s2 = calloc(n2, sizeof *s2)) == NULL)
		return -1;
	for (uint32_t k = 0; k < s->nslots; k++) {
		uint32_t j;
		if (!s->slot[k].h)
			continue;
		for (j = (uint32_t)s->slot[k].h & (n2 - 1); s2[j].h; j = (j + 1) & (n2 - 1))
			;
		s2[j] = s->slot[k];
	}
	free(s->slot);
	s->slot = s2;
	s->nslots = n2;
	return 0;
}

int
textset_or(struct textset *s, const char *p, size_t len, unsigned bits)
{
	uint64_t h = ic_hash(p, len);
	struct slot *e = find(s->slot, s->nslots - 1, h, s->arena, p, len);

	if (e->h) {
		e->len_bits |= bits & 0xff;
		return 0;
	}
	if (len > MAX_LEN || s->used + len > UINT32_MAX)
		return -1;
	if (2 * (s->n + 1) > s->nslots) {
		if (grow(s) != 0)
			return -1;
		e = find(s->slot, s->nslots - 1, h, s->arena, p, len);
	}
	if (s->cap - s->used < len) {
		size_t cap = s->cap ? s->cap : 65536;
		char *a;
		while (cap - s->used < len)
			cap *= 2;
		if (bytes(s->nslots, cap) > s->max_bytes || (a = realloc(s->arena, cap)) == NULL)
			return -1;
		s->arena = a;
		s->cap = cap;
	}
	if (len)
		memcpy(s->arena + s->used, p, len);
	e->h = h;
	e->off = (uint32_t)s->used;
	e->len_bits = (uint32_t)len << 8 | (bits & 0xff);
	s->used += len;
	s->n++;
	return 0;
}

size_t
textset_count(const struct textset *s, unsigned all)
{
	size_t n = 0;

	for (uint32_t i = 0; i < s->nslots; i++)
		if (s->slot[i].h && (s->slot[i].len_bits & all) == all)
			n++;
	return n;
}
