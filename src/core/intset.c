/* intset.c: see intset.h. Values are read and written byte by byte in
 * little-endian order, so the layout is the same on any host. */
#include "intset.h"

#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"

struct intset {
    unsigned char width[4]; /* u32 LE: 2, 4 or 8 */
    unsigned char count[4]; /* u32 LE */
    unsigned char values[];
};

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned width_of(const intset *is) { return rd32(is->width); }
static void set_len(intset *is, uint32_t n) { wr32(is->count, n); }

/* The smallest width that holds v. */
static unsigned width_for(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return 8;
    if (v < INT16_MIN || v > INT16_MAX) return 4;
    return 2;
}

static int64_t get_at(const intset *is, uint32_t pos, unsigned width) {
    const unsigned char *p = is->values + (size_t)pos * width;
    uint64_t u = 0;
    for (int i = (int)width - 1; i >= 0; i--) u = (u << 8) | p[i];
    if (width == 2) return (int16_t)u;
    if (width == 4) return (int32_t)u;
    return (int64_t)u;
}

static void set_at(intset *is, uint32_t pos, unsigned width, int64_t v) {
    unsigned char *p = is->values + (size_t)pos * width;
    for (unsigned i = 0; i < width; i++) p[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

static intset *resize(intset *is, uint32_t len, unsigned width) {
    return zrealloc(is, sizeof(intset) + (size_t)len * width);
}

/* Binary search: 1 and the position if found, else 0 and the position
 * where v would be inserted. */
static int search(const intset *is, int64_t v, uint32_t *pos) {
    uint32_t n = intset_len(is), lo = 0, hi = n;
    unsigned w = width_of(is);
    if (n && v > get_at(is, n - 1, w)) {
        *pos = n;
        return 0;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = get_at(is, mid, w);
        if (cur == v) {
            *pos = mid;
            return 1;
        }
        if (cur < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return 0;
}

intset *intset_new(void) {
    intset *is = zmalloc(sizeof(intset));
    wr32(is->width, 2);
    set_len(is, 0);
    return is;
}

void intset_free(intset *is) { zfree(is); }

intset *intset_dup(const intset *is) {
    size_t n = intset_blob_len(is);
    intset *d = zmalloc(n);
    memcpy(d, is, n);
    return d;
}

/* Widens every value to fit v, which is outside the current range and so
 * goes first (negative) or last (positive). Walks from the tail so no value
 * is overwritten before it is read. */
static intset *upgrade_and_add(intset *is, int64_t v) {
    unsigned oldw = width_of(is), neww = width_for(v);
    uint32_t n = intset_len(is);
    int first = v < 0;
    is = resize(is, n + 1, neww);
    wr32(is->width, neww);
    for (uint32_t i = n; i-- > 0;) set_at(is, i + (first ? 1 : 0), neww, get_at(is, i, oldw));
    set_at(is, first ? 0 : n, neww, v);
    set_len(is, n + 1);
    return is;
}

intset *intset_add(intset *is, int64_t v, int *added) {
    unsigned w = width_of(is);
    *added = 1;
    if (width_for(v) > w) return upgrade_and_add(is, v);
    uint32_t pos, n = intset_len(is);
    if (search(is, v, &pos)) {
        *added = 0;
        return is;
    }
    is = resize(is, n + 1, w);
    memmove(is->values + (size_t)(pos + 1) * w, is->values + (size_t)pos * w, (size_t)(n - pos) * w);
    set_at(is, pos, w, v);
    set_len(is, n + 1);
    return is;
}

intset *intset_remove(intset *is, int64_t v, int *removed) {
    unsigned w = width_of(is);
    uint32_t pos, n = intset_len(is);
    *removed = 0;
    if (width_for(v) > w || !search(is, v, &pos)) return is;
    memmove(is->values + (size_t)pos * w, is->values + (size_t)(pos + 1) * w, (size_t)(n - pos - 1) * w);
    set_len(is, n - 1);
    *removed = 1;
    return resize(is, n - 1, w);
}

int intset_find(const intset *is, int64_t v) {
    uint32_t pos;
    return width_for(v) <= width_of(is) && search(is, v, &pos);
}

uint32_t intset_len(const intset *is) { return rd32(is->count); }

int intset_get(const intset *is, uint32_t pos, int64_t *v) {
    if (pos >= intset_len(is)) return 0;
    *v = get_at(is, pos, width_of(is));
    return 1;
}

int64_t intset_random(const intset *is) {
    return get_at(is, (uint32_t)(random_u64() % intset_len(is)), width_of(is));
}

int64_t intset_min(const intset *is) { return get_at(is, 0, width_of(is)); }
int64_t intset_max(const intset *is) { return get_at(is, intset_len(is) - 1, width_of(is)); }
size_t intset_blob_len(const intset *is) { return sizeof(intset) + (size_t)intset_len(is) * width_of(is); }
unsigned intset_width(const intset *is) { return width_of(is); }

int intset_validate(const unsigned char *p, size_t size, int deep) {
    if (size < sizeof(intset)) return 0;
    const intset *is = (const intset *)p;
    uint64_t w = width_of(is), n = intset_len(is);
    if (w != 2 && w != 4 && w != 8) return 0;
    if (n == 0 || sizeof(intset) + n * w != size) return 0;
    if (!deep) return 1;
    for (uint32_t i = 1; i < n; i++)
        if (get_at(is, i - 1, (unsigned)w) >= get_at(is, i, (unsigned)w)) return 0;
    return 1;
}
