/*
 * hash.h - a fast 64-bit hash of a byte string, for in-memory hash
 * tables (not for anything an attacker may choose against: a crafted set
 * of keys can collide; tables must compare the keys themselves).
 */
#ifndef IMCOST_HASH_H
#define IMCOST_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of p[0 .. n): never 0, so that tables may use 0 for empty. */
uint64_t ic_hash(const char *p, size_t n);

#endif
