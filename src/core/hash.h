/*
 * hash.h — FNV-1a over a NUL-terminated string: small, fast, good enough for the
 * in-process tables that key on short text (statement cache, list totals, the ID
 * numbers seen in one import).  Not for anything an attacker may choose to collide
 * at scale: those tables are bounded or compare the full key.
 */
#ifndef TP_HASH_H
#define TP_HASH_H

#include <stdint.h>

static inline uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

#endif
