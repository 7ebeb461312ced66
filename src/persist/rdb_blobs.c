/* rdb_blobs.c: see rdb_blobs.h. Listpacks and intsets are read through
 * core/listpack.c and core/intset.c (Stash keeps small collections in
 * those encodings too). The two formats only old dumps carry are parsed
 * here:
 *
 * ziplist: u32 bytes, u32 tail offset, u16 count, entries, 0xFF. An entry
 *   is prevlen (1 byte, or 0xFE + u32), an encoding (6/14/32-bit string
 *   lengths; int8/16/24/32/64; or an immediate 0..12), then the data.
 * zipmap: u8 count, then len/key, len/free/value pairs, 0xFF.
 * All multi-byte integers are little endian except ziplist 14/32-bit
 * string lengths, which are big endian. */
#include "rdb_blobs.h"

#include <stdint.h>
#include <string.h>

#include "core/intset.h"
#include "core/listpack.h"
#include "core/zmalloc.h"
#include "persist/rdb_codec.h"

static uint64_t le(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static long long sign_extend(uint64_t v, int bits) {
    uint64_t m = 1ULL << (bits - 1);
    return (long long)((v ^ m) - m);
}

/* Listpacks and intsets are Stash's own encodings too: core/listpack.c and
 * core/intset.c validate them, and the walk below only reads what passed. */
long blob_listpack_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx) {
    if (!lp_validate(p, size, 1, NULL, NULL)) return -1;
    long count = 0;
    for (const unsigned char *e = lp_first(p); e; e = lp_next(p, e)) {
        size_t len = 0;
        long long v = 0;
        const unsigned char *s = lp_get(e, &len, &v);
        if (fn(ctx, s, len, v, s == NULL) == -1) return -1;
        count++;
    }
    return count;
}

long blob_ziplist_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx) {
    if (size < 11 || le(p, 4) != size || p[size - 1] != 0xFF) return -1;
    size_t pos = 10;
    long count = 0;
    while (pos < size - 1) {
        size_t prevlen = p[pos] < 254 ? 1 : 5;
        pos += prevlen;
        if (pos >= size - 1) return -1;
        unsigned char b = p[pos];
        size_t hdr = 1, datalen = 0;
        long long v = 0;
        int is_int = 0;
        switch (b >> 6) {
        case 0: datalen = b & 0x3F; break;
        case 1:
            if (pos + 2 > size) return -1;
            hdr = 2;
            datalen = ((size_t)(b & 0x3F) << 8) | p[pos + 1];
            break;
        case 2:
            if (pos + 5 > size) return -1;
            hdr = 5;
            datalen = ((size_t)p[pos + 1] << 24) | ((size_t)p[pos + 2] << 16) | ((size_t)p[pos + 3] << 8) | p[pos + 4];
            break;
        default: {
            int bytes;
            is_int = 1;
            if (b == 0xC0) bytes = 2;
            else if (b == 0xD0) bytes = 4;
            else if (b == 0xE0) bytes = 8;
            else if (b == 0xF0) bytes = 3;
            else if (b == 0xFE) bytes = 1;
            else if (b >= 0xF1 && b <= 0xFD) bytes = 0, v = (b & 0x0F) - 1;
            else return -1;
            if (pos + 1 + (size_t)bytes > size) return -1;
            if (bytes) v = sign_extend(le(p + pos + 1, bytes), bytes * 8);
            hdr = 1 + (size_t)bytes;
        }
        }
        if (!is_int && (datalen > size || pos + hdr + datalen > size)) return -1;
        if (fn(ctx, is_int ? NULL : p + pos + hdr, datalen, v, is_int) == -1) return -1;
        pos += hdr + datalen;
        count++;
    }
    return count;
}

long blob_intset_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx) {
    if (!intset_validate(p, size, 0)) return -1;
    const intset *is = (const intset *)p;
    int64_t v;
    for (uint32_t i = 0; intset_get(is, i, &v); i++)
        if (fn(ctx, NULL, 0, v, 1) == -1) return -1;
    return (long)intset_len(is);
}

static int zipmap_len(const unsigned char *p, size_t size, size_t *pos, size_t *len) {
    if (*pos >= size) return -1;
    if (p[*pos] < 254) {
        *len = p[*pos];
        *pos += 1;
    } else if (p[*pos] == 254) {
        if (*pos + 5 > size) return -1;
        *len = (size_t)le(p + *pos + 1, 4);
        *pos += 5;
    } else {
        return -1;
    }
    return 0;
}

long blob_zipmap_foreach(const unsigned char *p, size_t size, blobElemFn fn, void *ctx) {
    if (size < 2 || p[size - 1] != 0xFF) return -1;
    size_t pos = 1;
    long count = 0;
    while (pos < size - 1) {
        size_t klen, vlen;
        if (zipmap_len(p, size, &pos, &klen) == -1 || klen > size || pos + klen > size) return -1;
        const unsigned char *k = p + pos;
        pos += klen;
        if (zipmap_len(p, size, &pos, &vlen) == -1 || pos + 1 > size) return -1;
        size_t free_bytes = p[pos++];
        if (vlen > size || pos + vlen + free_bytes > size) return -1;
        if (fn(ctx, k, klen, 0, 0) == -1 || fn(ctx, p + pos, vlen, 0, 0) == -1) return -1;
        pos += vlen + free_bytes;
        count += 2;
    }
    return count;
}

/* ---- collecting elements as sds strings (what the type loaders want) */
typedef struct collect {
    sds *items;
    long n, cap;
} collect;

static int collect_one(void *ctx, const unsigned char *s, size_t len, long long v, int is_int) {
    collect *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->items = zrealloc(c->items, sizeof(sds) * (size_t)c->cap);
    }
    c->items[c->n++] = is_int ? sdsfromlonglong(v) : sdsnewlen(s, len);
    return 0;
}

long blob_collect(int kind, const unsigned char *p, size_t size, sds **out) {
    collect c = {NULL, 0, 0};
    long rc;
    switch (kind) {
    case BLOB_LISTPACK: rc = blob_listpack_foreach(p, size, collect_one, &c); break;
    case BLOB_ZIPLIST: rc = blob_ziplist_foreach(p, size, collect_one, &c); break;
    case BLOB_INTSET: rc = blob_intset_foreach(p, size, collect_one, &c); break;
    default: rc = blob_zipmap_foreach(p, size, collect_one, &c); break;
    }
    if (rc < 0) {
        blob_free_items(c.items, c.n);
        *out = NULL;
        return -1;
    }
    *out = c.items;
    return c.n;
}

void blob_free_items(sds *items, long n) {
    for (long i = 0; i < n; i++) sdsfree(items[i]);
    zfree(items);
}

long rdb_load_blob_items(rio *r, int kind, sds **out) {
    sds blob = rdb_load_string(r);
    if (!blob) return -1;
    long n = blob_collect(kind, (const unsigned char *)blob, sdslen(blob), out);
    sdsfree(blob);
    return n;
}
