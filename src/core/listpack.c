/* listpack.c: see listpack.h for the layout. The entry encodings, by the
 * first byte:
 *
 *   0xxxxxxx                 7-bit unsigned integer (0..127)
 *   10LLLLLL                 string of L bytes (0..63)
 *   110xxxxx xxxxxxxx        13-bit signed integer
 *   1110LLLL LLLLLLLL        string of up to 4095 bytes
 *   11110000 L L L L         string, 32-bit little-endian length
 *   0xF1 / F2 / F3 / F4      16 / 24 / 32 / 64-bit little-endian integer
 *   0xFF                     end of the listpack
 *
 * The backlen after each entry stores the size of encoding + data in 1 to
 * 5 bytes of 7 bits; the byte nearest the entry holds the highest bits and
 * every byte but that one has bit 7 set, so reading from the last byte
 * backwards, a clear bit 7 says "this was the last byte".
 *
 * Every modification is one memmove plus one realloc of the whole block:
 * listpacks are meant to stay small (the type layer converts them to hash
 * tables or skiplists past a few hundred entries). */
#include "listpack.h"

#include <assert.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"

#define HDR_SIZE 6
#define COUNT_UNKNOWN 65535
#define EOF_BYTE 0xFF

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint64_t rd_le(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static long long sign_extend(uint64_t v, int bits) {
    if (bits == 64) return (long long)v;
    uint64_t m = 1ULL << (bits - 1);
    return (long long)((v ^ m) - m);
}

static uint32_t get_count(const unsigned char *lp) { return (uint32_t)lp[4] | (uint32_t)lp[5] << 8; }
static void set_count(unsigned char *lp, uint32_t n) {
    lp[4] = (unsigned char)n;
    lp[5] = (unsigned char)(n >> 8);
}

/* ---- entry sizes */

/* Bytes of the encoding header at p (type byte plus length bytes), from
 * the first byte alone; 0 for an invalid encoding. */
static size_t header_bytes(unsigned char b) {
    if (b < 0x80 || (b & 0xC0) == 0x80 || (b & 0xE0) == 0xC0) return 1;
    if ((b & 0xF0) == 0xE0) return 2;
    if (b == 0xF0) return 5;
    if (b >= 0xF1 && b <= 0xF4) return 1;
    if (b == EOF_BYTE) return 1;
    return 0;
}

/* Encoding plus data bytes of the entry at p (its backlen excluded); the
 * header bytes must be readable. 0 for an invalid encoding. */
static size_t encoded_size(const unsigned char *p) {
    unsigned char b = p[0];
    if (b < 0x80) return 1;
    if ((b & 0xC0) == 0x80) return 1 + (size_t)(b & 0x3F);
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 2 + (((size_t)(b & 0x0F) << 8) | p[1]);
    switch (b) {
    case 0xF0: return 5 + (size_t)rd32(p + 1);
    case 0xF1: return 3;
    case 0xF2: return 4;
    case 0xF3: return 5;
    case 0xF4: return 9;
    case EOF_BYTE: return 1;
    default: return 0;
    }
}

/* Writes the backlen of an entry of l bytes into buf (if not NULL);
 * returns its size. */
static size_t backlen_encode(unsigned char *buf, uint64_t l) {
    size_t n = l < 128 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    if (buf) {
        for (size_t i = 0; i < n; i++) {
            unsigned shift = (unsigned)(7 * (n - 1 - i));
            buf[i] = (unsigned char)((l >> shift) & 127);
            if (i > 0) buf[i] |= 128;
        }
    }
    return n;
}

/* Reads a backlen whose last byte is at p; UINT64_MAX when it runs over
 * five bytes (corrupt). */
static uint64_t backlen_decode(const unsigned char *p) {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7, p--) {
        if (shift > 28) return UINT64_MAX;
        v |= (uint64_t)(p[0] & 127) << shift;
        if (!(p[0] & 128)) return v;
    }
}

/* Whole size of the entry at p, backlen included. */
static size_t entry_size(const unsigned char *p) {
    size_t e = encoded_size(p);
    return e + backlen_encode(NULL, e);
}

static void check_inside(const unsigned char *lp, const unsigned char *p) {
    assert(p >= lp + HDR_SIZE && p < lp + rd32(lp));
    (void)lp;
    (void)p;
}

/* ---- encoding new entries */

/* What lp_insert writes: the encoding header (or the whole integer) in
 * hdr, then `len` bytes of s for strings. */
typedef struct element {
    unsigned char hdr[9];
    size_t hdrlen;
    const char *s; /* NULL for integers */
    size_t len;
} element;

static void encode_int(element *e, long long v) {
    unsigned char *b = e->hdr;
    e->s = NULL;
    e->len = 0;
    if (v >= 0 && v <= 127) {
        b[0] = (unsigned char)v;
        e->hdrlen = 1;
    } else if (v >= -4096 && v <= 4095) {
        uint64_t u = v < 0 ? (uint64_t)((1 << 13) + v) : (uint64_t)v;
        b[0] = (unsigned char)(0xC0 | (u >> 8));
        b[1] = (unsigned char)u;
        e->hdrlen = 2;
    } else {
        int bytes = v >= -32768 && v <= 32767          ? 2
                    : v >= -8388608 && v <= 8388607    ? 3
                    : v >= INT32_MIN && v <= INT32_MAX ? 4
                                                       : 8;
        b[0] = bytes == 2 ? 0xF1 : bytes == 3 ? 0xF2 : bytes == 4 ? 0xF3 : 0xF4;
        for (int i = 0; i < bytes; i++) b[1 + i] = (unsigned char)((uint64_t)v >> (8 * i));
        e->hdrlen = 1 + (size_t)bytes;
    }
}

/* Strings that are canonical integers become integer entries, as Redis
 * stores them (the byte layout of saved listpacks depends on it). */
static void encode_string(element *e, const char *s, size_t len) {
    long long v;
    if (len <= 20 && string2ll(s, len, &v)) {
        encode_int(e, v);
        return;
    }
    unsigned char *b = e->hdr;
    if (len < 64) {
        b[0] = (unsigned char)(0x80 | len);
        e->hdrlen = 1;
    } else if (len < 4096) {
        b[0] = (unsigned char)(0xE0 | (len >> 8));
        b[1] = (unsigned char)len;
        e->hdrlen = 2;
    } else {
        assert(len <= UINT32_MAX);
        b[0] = 0xF0;
        wr32(b + 1, (uint32_t)len);
        e->hdrlen = 5;
    }
    e->s = s;
    e->len = len;
}

/* ---- creation and size */

unsigned char *lp_new(size_t capacity) {
    unsigned char *lp = zmalloc(capacity > HDR_SIZE + 1 ? capacity : HDR_SIZE + 1);
    wr32(lp, HDR_SIZE + 1);
    set_count(lp, 0);
    lp[HDR_SIZE] = EOF_BYTE;
    return lp;
}

void lp_free(unsigned char *lp) { zfree(lp); }

unsigned char *lp_shrink_to_fit(unsigned char *lp) {
    size_t size = rd32(lp);
    return size < zmalloc_size(lp) ? zrealloc(lp, size) : lp;
}

unsigned char *lp_dup(const unsigned char *lp) {
    size_t size = rd32(lp);
    unsigned char *d = zmalloc(size);
    memcpy(d, lp, size);
    return d;
}

size_t lp_bytes(const unsigned char *lp) { return rd32(lp); }

unsigned long lp_length(unsigned char *lp) {
    uint32_t n = get_count(lp);
    if (n != COUNT_UNKNOWN) return n;
    unsigned long count = 0;
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) count++;
    if (count < COUNT_UNKNOWN) set_count(lp, (uint32_t)count);
    return count;
}

int lp_safe_to_add(const unsigned char *lp, size_t add) {
    size_t len = lp ? rd32(lp) : 0;
    return len + add <= LP_MAX_SAFE_SIZE;
}

size_t lp_estimate_int_bytes(long long v, unsigned long repeat) {
    element e;
    encode_int(&e, v);
    return (e.hdrlen + backlen_encode(NULL, e.hdrlen)) * repeat;
}

/* ---- navigation */

unsigned char *lp_first(const unsigned char *lp) {
    const unsigned char *p = lp + HDR_SIZE;
    return p[0] == EOF_BYTE ? NULL : (unsigned char *)p;
}

unsigned char *lp_last(const unsigned char *lp) {
    const unsigned char *eof = lp + rd32(lp) - 1;
    return lp_prev(lp, eof);
}

unsigned char *lp_next(const unsigned char *lp, const unsigned char *p) {
    check_inside(lp, p);
    p += entry_size(p);
    check_inside(lp, p);
    return p[0] == EOF_BYTE ? NULL : (unsigned char *)p;
}

/* p may be the terminator (lp_last uses that). */
unsigned char *lp_prev(const unsigned char *lp, const unsigned char *p) {
    if (p == lp + HDR_SIZE) return NULL;
    uint64_t e = backlen_decode(p - 1);
    p -= e + backlen_encode(NULL, e);
    check_inside(lp, p);
    return (unsigned char *)p;
}

unsigned char *lp_seek(const unsigned char *lp, long index) {
    uint32_t n = get_count(lp);
    int forward = 1;
    if (n != COUNT_UNKNOWN) {
        if (index < 0) index += (long)n;
        if (index < 0 || index >= (long)n) return NULL;
        if (index > (long)n / 2) { /* closer to the tail */
            forward = 0;
            index -= (long)n;
        }
    } else if (index < 0) {
        forward = 0;
    }
    unsigned char *p;
    if (forward) {
        for (p = lp_first(lp); p && index > 0; index--) p = lp_next(lp, p);
    } else {
        for (p = lp_last(lp); p && index < -1; index++) p = lp_prev(lp, p);
    }
    return p;
}

/* ---- reading */

const unsigned char *lp_get(const unsigned char *p, size_t *len, long long *v) {
    unsigned char b = p[0];
    if (b < 0x80) {
        *v = b;
        return NULL;
    }
    if ((b & 0xC0) == 0x80) {
        *len = b & 0x3F;
        return p + 1;
    }
    if ((b & 0xE0) == 0xC0) {
        *v = sign_extend(((uint64_t)(b & 0x1F) << 8) | p[1], 13);
        return NULL;
    }
    if ((b & 0xF0) == 0xE0) {
        *len = ((size_t)(b & 0x0F) << 8) | p[1];
        return p + 2;
    }
    switch (b) {
    case 0xF0: *len = rd32(p + 1); return p + 5;
    case 0xF1: *v = sign_extend(rd_le(p + 1, 2), 16); return NULL;
    case 0xF2: *v = sign_extend(rd_le(p + 1, 3), 24); return NULL;
    case 0xF3: *v = sign_extend(rd_le(p + 1, 4), 32); return NULL;
    case 0xF4: *v = (long long)rd_le(p + 1, 8); return NULL;
    default: assert(!"listpack: bad entry encoding"); return NULL;
    }
}

const char *lp_get_str(const unsigned char *p, size_t *len, char *buf) {
    long long v;
    const unsigned char *s = lp_get(p, len, &v);
    if (s) return (const char *)s;
    *len = (size_t)ll2string(buf, LP_INTBUF_SIZE, v);
    return buf;
}

int lp_equals(const unsigned char *p, const char *s, size_t len) {
    size_t elen;
    long long v, sv;
    const unsigned char *e = lp_get(p, &elen, &v);
    if (e) return elen == len && memcmp(e, s, len) == 0;
    return len <= 20 && string2ll(s, len, &sv) && sv == v;
}

unsigned char *lp_find(const unsigned char *lp, const unsigned char *p, const char *s, size_t len,
                       unsigned skip) {
    /* Parse s once: -1 not an integer, 1 an integer (in sv). */
    int s_is_int = 0;
    long long sv = 0;
    unsigned skipcnt = 0;
    while (p) {
        if (skipcnt == 0) {
            size_t elen;
            long long v;
            const unsigned char *e = lp_get(p, &elen, &v);
            if (e) {
                if (elen == len && memcmp(e, s, len) == 0) return (unsigned char *)p;
            } else {
                if (s_is_int == 0) s_is_int = len <= 20 && string2ll(s, len, &sv) ? 1 : -1;
                if (s_is_int == 1 && v == sv) return (unsigned char *)p;
            }
            skipcnt = skip;
        } else {
            skipcnt--;
        }
        p = lp_next(lp, p);
    }
    return NULL;
}

/* ---- modification */

/* The one primitive behind insert, replace and delete (e NULL). */
static unsigned char *insert_element(unsigned char *lp, const element *e, unsigned char *p, int where,
                                     unsigned char **newp) {
    size_t old_bytes = rd32(lp);
    assert(p >= lp + HDR_SIZE && p < lp + old_bytes);
    if (where == LP_AFTER) {
        p += entry_size(p);
        where = LP_BEFORE;
    }
    size_t off = (size_t)(p - lp);
    size_t removed = (!e || where == LP_REPLACE) ? entry_size(p) : 0;
    size_t enc = e ? e->hdrlen + e->len : 0;
    size_t added = e ? enc + backlen_encode(NULL, enc) : 0;
    uint64_t new_bytes = (uint64_t)old_bytes + added - removed;
    assert(new_bytes <= UINT32_MAX);
    if (new_bytes > old_bytes) lp = zrealloc(lp, (size_t)new_bytes);
    memmove(lp + off + added, lp + off + removed, old_bytes - off - removed);
    if (new_bytes < old_bytes) lp = zrealloc(lp, (size_t)new_bytes);
    if (e) {
        unsigned char *dst = lp + off;
        memcpy(dst, e->hdr, e->hdrlen);
        if (e->s) memcpy(dst + e->hdrlen, e->s, e->len);
        backlen_encode(dst + enc, enc);
    }
    wr32(lp, (uint32_t)new_bytes);
    uint32_t n = get_count(lp);
    if (n != COUNT_UNKNOWN) {
        if (!e)
            set_count(lp, n - 1);
        else if (where != LP_REPLACE)
            set_count(lp, n + 1);
    }
    if (newp) *newp = (!e && lp[off] == EOF_BYTE) ? NULL : lp + off;
    return lp;
}

unsigned char *lp_insert(unsigned char *lp, const char *s, size_t len, unsigned char *p, int where,
                         unsigned char **newp) {
    element e;
    encode_string(&e, s, len);
    return insert_element(lp, &e, p, where, newp);
}

unsigned char *lp_insert_int(unsigned char *lp, long long v, unsigned char *p, int where,
                             unsigned char **newp) {
    element e;
    encode_int(&e, v);
    return insert_element(lp, &e, p, where, newp);
}

unsigned char *lp_append(unsigned char *lp, const char *s, size_t len) {
    return lp_insert(lp, s, len, lp + rd32(lp) - 1, LP_BEFORE, NULL);
}
unsigned char *lp_append_int(unsigned char *lp, long long v) {
    return lp_insert_int(lp, v, lp + rd32(lp) - 1, LP_BEFORE, NULL);
}
unsigned char *lp_prepend(unsigned char *lp, const char *s, size_t len) {
    return lp_insert(lp, s, len, lp + HDR_SIZE, LP_BEFORE, NULL);
}
unsigned char *lp_prepend_int(unsigned char *lp, long long v) {
    return lp_insert_int(lp, v, lp + HDR_SIZE, LP_BEFORE, NULL);
}
unsigned char *lp_replace(unsigned char *lp, unsigned char **p, const char *s, size_t len) {
    return lp_insert(lp, s, len, *p, LP_REPLACE, p);
}
unsigned char *lp_replace_int(unsigned char *lp, unsigned char **p, long long v) {
    return lp_insert_int(lp, v, *p, LP_REPLACE, p);
}
unsigned char *lp_delete(unsigned char *lp, unsigned char *p, unsigned char **next) {
    return insert_element(lp, NULL, p, LP_REPLACE, next);
}

unsigned char *lp_delete_range_at(unsigned char *lp, unsigned char **pp, unsigned long num) {
    unsigned char *p = *pp, *end = p;
    size_t old_bytes = rd32(lp);
    unsigned long deleted = 0;
    while (deleted < num && end[0] != EOF_BYTE) {
        end += entry_size(end);
        deleted++;
    }
    size_t off = (size_t)(p - lp), gap = (size_t)(end - p);
    memmove(p, end, old_bytes - (size_t)(end - lp));
    lp = zrealloc(lp, old_bytes - gap);
    wr32(lp, (uint32_t)(old_bytes - gap));
    uint32_t n = get_count(lp);
    if (n != COUNT_UNKNOWN) set_count(lp, n - (uint32_t)deleted);
    *pp = lp[off] == EOF_BYTE ? NULL : lp + off;
    return lp;
}

unsigned char *lp_delete_range(unsigned char *lp, long index, unsigned long num) {
    unsigned char *p = lp_seek(lp, index);
    if (!p || num == 0) return lp;
    return lp_delete_range_at(lp, &p, num);
}

unsigned char *lp_batch_delete(unsigned char *lp, unsigned char **ps, unsigned long count) {
    if (count == 0) return lp;
    size_t old_bytes = rd32(lp);
    unsigned char *eof = lp + old_bytes - 1, *dst = ps[0];
    for (unsigned long i = 0; i < count; i++) {
        unsigned char *keep = ps[i] + entry_size(ps[i]);
        unsigned char *until = i + 1 < count ? ps[i + 1] : eof;
        assert(keep <= until);
        memmove(dst, keep, (size_t)(until - keep));
        dst += until - keep;
    }
    *dst = EOF_BYTE;
    size_t new_bytes = (size_t)(dst + 1 - lp);
    lp = zrealloc(lp, new_bytes);
    wr32(lp, (uint32_t)new_bytes);
    uint32_t n = get_count(lp);
    if (n != COUNT_UNKNOWN) set_count(lp, n - (uint32_t)count);
    return lp;
}

unsigned char *lp_next_random(const unsigned char *lp, const unsigned char *p, unsigned long *index,
                              unsigned long remaining, int pairs) {
    unsigned long total = lp_length((unsigned char *)lp), i = *index;
    while (p && i < total) {
        if (pairs && i % 2) {
            p = lp_next(lp, p);
            i++;
            continue;
        }
        unsigned long available = pairs ? (total - i + 1) / 2 : total - i;
        if (random_u64() % available < remaining) {
            *index = i;
            return (unsigned char *)p;
        }
        p = lp_next(lp, p);
        i++;
    }
    return NULL;
}

/* ---- validation */

/* Checks the entry at *pp and moves *pp past it (NULL at the terminator).
 * Every read stays below lp + size. */
static int validate_next(const unsigned char *lp, size_t size, const unsigned char **pp) {
    const unsigned char *p = *pp, *last = lp + size - 1; /* the terminator */
    if (p < lp + HDR_SIZE || p > last) return 0;
    if (p[0] == EOF_BYTE) {
        *pp = NULL;
        return 1;
    }
    size_t hb = header_bytes(p[0]);
    if (!hb || hb > (size_t)(last - p)) return 0;
    size_t enc = encoded_size(p);
    size_t total = enc + backlen_encode(NULL, enc);
    if (total > (size_t)(last - p)) return 0;
    p += total;
    if (backlen_decode(p - 1) != enc) return 0;
    *pp = p;
    return 1;
}

int lp_validate(const unsigned char *lp, size_t size, int deep, lpEntryCheckFn *fn, void *ctx) {
    if (size < HDR_SIZE + 1 || rd32(lp) != size || lp[size - 1] != EOF_BYTE) return 0;
    if (!deep) return 1;
    uint32_t n = get_count(lp), count = 0;
    const unsigned char *p = lp + HDR_SIZE;
    while (p && p[0] != EOF_BYTE) {
        const unsigned char *entry = p;
        if (!validate_next(lp, size, &p)) return 0;
        if (fn && !fn(entry, ctx)) return 0;
        count++;
    }
    if (p != lp + size - 1) return 0;
    return n == COUNT_UNKNOWN || n == count;
}
