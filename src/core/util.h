/* util.h: number <-> string conversions, glob matching, time and random
 * helpers shared by every layer. Conversions follow Redis's rules exactly
 * (which strings count as integers, how doubles print) because replies and
 * encodings depend on them. Nothing here allocates except where noted. */
#ifndef STASH_UTIL_H
#define STASH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define MAX_LONG_DOUBLE_CHARS 5 * 1024
#define MAX_D2STRING_CHARS 128

/* Strict integer parse: optional '-', no leading zeros, no spaces, no '+',
 * must fit. Returns 1 on success. */
int string2ll(const char *s, size_t slen, long long *value);
int string2ull(const char *s, unsigned long long *value);
int string2l(const char *s, size_t slen, long *value);
/* Double parse as Redis's getDoubleFromObject: whole string, no spaces,
 * no NaN. Returns 1 on success. */
int string2d(const char *s, size_t slen, double *dp);
int string2ld(const char *s, size_t slen, long double *dp);
int ll2string(char *dst, size_t dstlen, long long svalue);
int ull2string(char *dst, size_t dstlen, unsigned long long value);
/* The text Redis 7.2 prints for scores and floats, byte for byte: integers
 * (up to 2^62) without a dot, "inf", "-inf", "nan", "-0", otherwise the
 * Grisu2 digits that read back to the same double, in plain notation unless
 * the exponent is large or small ("1e+21", "1e-7", never "1e-07"). */
int d2string(char *buf, size_t len, double value);
int double2ll(double d, long long *out);
/* INCRBYFLOAT's format: %.17Lf with trailing zeros (and dot) removed.
 * Returns 0 if the value does not fit. */
int ld2string_human(char *buf, size_t len, long double value);

/* Glob-style matching (*, ?, [a-z], [^x], \x). Runs in O(pattern*string)
 * worst case: no input can make it exponential. */
int stringmatchlen(const char *p, size_t plen, const char *s, size_t slen, int nocase);
int stringmatch(const char *p, const char *s, int nocase);

/* "1gb", "10mb", "512k", "100" -> bytes; *err set to 1 on a bad input
 * ("-1", "1x", "1.5mb"). Like Redis, "" and "kb" give 0. */
unsigned long long memtoull(const char *p, int *err);

long long ustime(void);
long long mstime(void);
long long monotonic_us(void);
void random_bytes(unsigned char *p, size_t len);
void random_hex(char *p, size_t len);
uint64_t random_u64(void);

int yesnotoi(const char *s);
/* Test delays (rdb-key-save-delay, key-load-delay): sleeps usec
 * microseconds; a negative value sleeps 1 microsecond every -usec calls,
 * counted in *calls. */
void debug_delay(int usec, unsigned long *calls);

#endif
