/* rdb_blobs.h: readers for the compact encodings Redis writes into RDB
 * files as opaque blobs: listpack (7.x), ziplist (up to 6.2), intset, and
 * the ancient zipmap. Loading a dump from real Redis needs them whatever
 * encodings Stash itself uses. Each reader validates every length against
 * the blob's size before reading, and walks the elements in order,
 * handing each to a callback as either bytes or an integer. */
#ifndef STASH_RDB_BLOBS_H
#define STASH_RDB_BLOBS_H

#include <stddef.h>

/* Called per element; is_int selects v, else (s, len). Return -1 to stop. */
typedef int (*blobElemFn)(void *ctx, const unsigned char *s, size_t len, long long v, int is_int);

/* Each returns the number of elements, or -1 if the blob is malformed. */
long blob_listpack_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx);
long blob_ziplist_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx);
long blob_intset_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx);
long blob_zipmap_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx);

#include "core/sds.h"
#include "persist/rio.h"

enum { BLOB_LISTPACK, BLOB_ZIPLIST, BLOB_INTSET, BLOB_ZIPMAP };
/* All elements of a blob as new sds strings (integers printed). Returns
 * the count (items in *out, freed with blob_free_items) or -1. */
long blob_collect(int kind, const unsigned char *p, size_t size, sds **out);
void blob_free_items(sds *items, long n);
/* Reads one RDB string holding a blob of `kind` and collects it. */
long rdb_load_blob_items(rio *r, int kind, sds **out);

#endif
