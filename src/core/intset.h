/* intset.h: a sorted array of distinct integers in one allocation, in
 * Redis's intset byte layout (RDB files carry intsets verbatim):
 *
 *   <element width u32: 2, 4 or 8> <count u32> <values, ascending>
 *
 * all little endian. Every value has the width of the widest one; adding a
 * value that needs more bits upgrades the whole array (never downgraded).
 * Lookups are binary searches; adds and removes move the tail, so intsets
 * are for small sets (the set type converts them past a few hundred
 * members). Functions that change the set return the (possibly moved)
 * intset, which the caller must use. Allocation failures abort. Intsets
 * from outside (RDB, RESTORE) must pass intset_validate first. */
#ifndef STASH_INTSET_H
#define STASH_INTSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct intset intset;

intset *intset_new(void);
void intset_free(intset *is);
intset *intset_dup(const intset *is);
/* Adds v; *added is 1 if it was not there. */
intset *intset_add(intset *is, int64_t v, int *added);
/* Removes v; *removed is 1 if it was there. */
intset *intset_remove(intset *is, int64_t v, int *removed);
int intset_find(const intset *is, int64_t v);
uint32_t intset_len(const intset *is);
/* The value at pos (0-based, ascending); 0 when pos is out of range. */
int intset_get(const intset *is, uint32_t pos, int64_t *v);
int64_t intset_random(const intset *is); /* the set must not be empty */
int64_t intset_min(const intset *is);
int64_t intset_max(const intset *is);
/* Bytes of the whole blob (what RDB writes). */
size_t intset_blob_len(const intset *is);
/* Width in bytes of the current encoding (2, 4 or 8). */
unsigned intset_width(const intset *is);

/* Checks a blob of `size` bytes: a known width, a size matching the count,
 * at least one element; deep also checks the values ascend strictly (no
 * duplicates). Returns 1 if valid. */
int intset_validate(const unsigned char *p, size_t size, int deep);

#endif
