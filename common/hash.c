/*
 * hash.c - the 64-bit hash of a byte string that the import's dictionaries
 * and the analyses' text sets key their tables by (see hash.h).
 */
#include <string.h>

#include "common/hash.h"

/* 64-bit hash of n bytes (never 0): four independent lanes of 8 bytes,
 * so that the multiplies of a 500-byte key overlap instead of waiting on
 * each other, then 8 bytes at a time. */
uint64_t
ic_hash(const char *p, size_t n)
{
	uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xc2b2ae3d27d4eb4fULL, c = 0x165667b19e3779f9ULL,
		 d = 0x27d4eb2f165667c5ULL, h, w;
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		uint64_t w0, w1, w2, w3;
		memcpy(&w0, p + i, 8);
		memcpy(&w1, p + i + 8, 8);
		memcpy(&w2, p + i + 16, 8);
		memcpy(&w3, p + i + 24, 8);
		a = (a ^ w0) * 0xff51afd7ed558ccdULL;
		b = (b ^ w1) * 0xff51afd7ed558ccdULL;
		c = (c ^ w2) * 0xff51afd7ed558ccdULL;
		d = (d ^ w3) * 0xff51afd7ed558ccdULL;
		a ^= a >> 32;
		b ^= b >> 32;
		c ^= c >> 32;
		d ^= d >> 32;
	}
	h = a ^ (b * 0x9e3779b97f4a7c15ULL) ^ (c * 0xc4ceb9fe1a85ec53ULL) ^ (d * 0xbf58476d1ce4e5b9ULL);
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h ? h : 1;
}
