/*
 * sha256.h - SHA-256 (FIPS 180-4), for the content hash that makes import
 * idempotent: the same bytes under any name, compressed or not, are the
 * same import.
 */
#ifndef IMCOST_SHA256_H
#define IMCOST_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex[65]. */
void sha256_final_hex(struct sha256 *c, char hex[65]);

#endif
