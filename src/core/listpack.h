/* listpack.h: a compact array of strings and integers in one allocation,
 * in Redis's listpack byte format (RDB files and DUMP payloads carry
 * listpacks verbatim, so the layout is fixed, not ours to choose):
 *
 *   <total bytes u32> <count u16> <entry> ... <entry> <0xFF>
 *
 * Each entry is an encoding (which also holds small integers and string
 * lengths), the string bytes if any, then a "backlen": the entry's size
 * without the backlen, written so it can be read from its last byte
 * backwards, which is what makes backward traversal possible. Strings that
 * are canonical 64-bit integers are always stored as integers. The count is
 * 65535 when unknown (too many entries), and lp_length then scans.
 *
 * Element pointers (`p`) point at an entry's first byte and stay valid
 * until the next call that modifies the listpack; every modifying call
 * returns the (possibly moved) listpack, which the caller must use.
 * Allocation failures abort (zmalloc). Listpacks from outside (RDB,
 * RESTORE) must pass lp_validate with deep = 1 before any other call. */
#ifndef STASH_LISTPACK_H
#define STASH_LISTPACK_H

#include <stddef.h>
#include <stdint.h>

#define LP_INTBUF_SIZE 21 /* enough to print any int64 */
#define LP_BEFORE 0
#define LP_AFTER 1
#define LP_REPLACE 2
/* Listpacks never grow past 1 GB (the header holds a 32-bit size). */
#define LP_MAX_SAFE_SIZE (1UL << 30)

/* An empty listpack with room for `capacity` bytes. */
unsigned char *lp_new(size_t capacity);
void lp_free(unsigned char *lp);
unsigned char *lp_shrink_to_fit(unsigned char *lp);
unsigned char *lp_dup(const unsigned char *lp);
size_t lp_bytes(const unsigned char *lp);
/* Number of entries; scans (and fixes the header) when it is unknown. */
unsigned long lp_length(unsigned char *lp);
/* 1 if adding `add` bytes keeps the listpack under LP_MAX_SAFE_SIZE;
 * lp may be NULL (an empty listpack). */
int lp_safe_to_add(const unsigned char *lp, size_t add);
/* Upper bound of the bytes of `repeat` entries holding the integer v. */
size_t lp_estimate_int_bytes(long long v, unsigned long repeat);

/* Navigation; all return NULL past either end. */
unsigned char *lp_first(const unsigned char *lp);
unsigned char *lp_last(const unsigned char *lp);
unsigned char *lp_next(const unsigned char *lp, const unsigned char *p);
unsigned char *lp_prev(const unsigned char *lp, const unsigned char *p);
/* Entry at index (negative: from the tail), or NULL out of range. */
unsigned char *lp_seek(const unsigned char *lp, long index);

/* Reads an entry: returns its string bytes (pointing into the listpack)
 * with *len, or NULL for an integer entry, stored in *v. */
const unsigned char *lp_get(const unsigned char *p, size_t *len, long long *v);
/* Reads an entry as a string: integers are printed into buf. */
const char *lp_get_str(const unsigned char *p, size_t *len, char *buf);
/* 1 if the entry holds exactly the bytes s (an integer entry equals its
 * canonical decimal form). */
int lp_equals(const unsigned char *p, const char *s, size_t len);
/* The first entry equal to s, looking at p and then at every (skip+1)-th
 * entry after it (skip 1 visits the fields of a field/value listpack), or
 * NULL. */
unsigned char *lp_find(const unsigned char *lp, const unsigned char *p, const char *s, size_t len,
                       unsigned skip);

/* Inserts s before or after p, or replaces p with it (LP_BEFORE, LP_AFTER,
 * LP_REPLACE); p may be the 0xFF terminator to append. *newp (if given)
 * is set to the written entry. */
unsigned char *lp_insert(unsigned char *lp, const char *s, size_t len, unsigned char *p, int where,
                         unsigned char **newp);
unsigned char *lp_insert_int(unsigned char *lp, long long v, unsigned char *p, int where,
                             unsigned char **newp);
unsigned char *lp_append(unsigned char *lp, const char *s, size_t len);
unsigned char *lp_append_int(unsigned char *lp, long long v);
unsigned char *lp_prepend(unsigned char *lp, const char *s, size_t len);
unsigned char *lp_prepend_int(unsigned char *lp, long long v);
/* Replaces the entry at *p, which is updated to the new entry. */
unsigned char *lp_replace(unsigned char *lp, unsigned char **p, const char *s, size_t len);
unsigned char *lp_replace_int(unsigned char *lp, unsigned char **p, long long v);
/* Deletes the entry at p; *next (if given) gets the entry that followed
 * it, or NULL when it was the last. */
unsigned char *lp_delete(unsigned char *lp, unsigned char *p, unsigned char **next);
/* Deletes num entries starting at *p (fewer if the end comes first); *p
 * is set to the entry after them, or NULL. */
unsigned char *lp_delete_range_at(unsigned char *lp, unsigned char **p, unsigned long num);
/* Deletes num entries from index (negative: from the tail). */
unsigned char *lp_delete_range(unsigned char *lp, long index, unsigned long num);
/* Deletes the entries ps[0..count-1], which must be distinct and in
 * ascending order, in one pass. */
unsigned char *lp_batch_delete(unsigned char *lp, unsigned char **ps, unsigned long count);

/* Selection sampling: starting at p (whose index is *index), returns the
 * next entry to pick so that `remaining` picks spread uniformly over the
 * entries left (with pairs, only even indexes: keys of key/value pairs).
 * *index is updated to the returned entry's index. Callers pick one, move
 * past it, and call again with remaining - 1. */
unsigned char *lp_next_random(const unsigned char *lp, const unsigned char *p, unsigned long *index,
                              unsigned long remaining, int pairs);

/* Checks a listpack of `size` bytes from an untrusted source. Shallow
 * (deep = 0): header, size and terminator only. Deep: every entry's
 * encoding, bounds and backlen, and the header count; fn (may be NULL) is
 * called on each entry and can reject it by returning 0. Returns 1 if
 * valid. Never reads outside [lp, lp + size). */
typedef int lpEntryCheckFn(const unsigned char *p, void *ctx);
int lp_validate(const unsigned char *lp, size_t size, int deep, lpEntryCheckFn *fn, void *ctx);

#endif
