/* rdb_codec.h: the primitive encodings of the RDB format (shared by RDB
 * files, DUMP/RESTORE payloads and the replication stream):
 *   lengths    00|6 bits, 01|14 bits, 0x80 + 32-bit BE, 0x81 + 64-bit BE
 *   specials   11|enc: int8, int16, int32 (LE) or LZF (clen, len, bytes)
 *   strings    a length then bytes, or a special
 *   doubles    8-byte little-endian binary (ZSET_2), or the old text form
 *              with 253/254/255 for nan/+inf/-inf (ZSET type 3)
 * Loaders check every length against what remains plausible before they
 * allocate, and report failure instead of trusting the input. */
#ifndef STASH_RDB_CODEC_H
#define STASH_RDB_CODEC_H

#include <stdint.h>

#include "core/sds.h"
#include "persist/rio.h"

#define RDB_LENERR UINT64_MAX
/* Upper bound for a single string/blob loaded from untrusted input. */
#define RDB_MAX_STRING (1ULL << 32)

int rdb_save_type(rio *r, unsigned char type);
int rdb_load_type(rio *r);                            /* -1 on error */
int rdb_save_len(rio *r, uint64_t len);
uint64_t rdb_load_len(rio *r, int *isencoded);        /* RDB_LENERR on error */
int rdb_save_millis(rio *r, long long ms);
long long rdb_load_millis(rio *r);
int rdb_load_seconds(rio *r, long long *secs);
/* Strings: integers that fit 32 bits are saved encoded; with compress, strings
 * over 20 bytes are LZF-compressed when that saves space. */
int rdb_save_string(rio *r, const void *p, size_t len, int compress);
int rdb_save_ll_as_string(rio *r, long long v);
sds rdb_load_string(rio *r);                          /* NULL on error */
int rdb_save_double_bin(rio *r, double d);
int rdb_load_double_bin(rio *r, double *d);
int rdb_load_double_text(rio *r, double *d);

#endif
