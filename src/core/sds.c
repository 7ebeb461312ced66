/* sds.c: implementation of the dynamic strings declared in sds.h.
 *
 * Growth policy: below 1 MB a string doubles when it must grow, above that
 * it grows by 1 MB at a time, so appending N bytes costs O(N) amortized.
 * The header type is chosen from the capacity and may change on growth. */
#include "sds.h"

#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zmalloc.h"

#define SDS_MAX_PREALLOC (1024 * 1024)

static size_t hdr_size(char type) {
    switch (type & SDS_TYPE_MASK) {
    case SDS_TYPE_8: return sizeof(struct sdshdr8);
    case SDS_TYPE_16: return sizeof(struct sdshdr16);
    case SDS_TYPE_32: return sizeof(struct sdshdr32);
    default: return sizeof(struct sdshdr64);
    }
}

static char req_type(size_t size) {
    if (size < 256) return SDS_TYPE_8;
    if (size < 65536) return SDS_TYPE_16;
    if (size < 0xffffffffULL) return SDS_TYPE_32;
    return SDS_TYPE_64;
}

static size_t type_max(char type) {
    switch (type) {
    case SDS_TYPE_8: return 0xff;
    case SDS_TYPE_16: return 0xffff;
    case SDS_TYPE_32: return 0xffffffffULL;
    default: return SIZE_MAX;
    }
}

void sdssetlen(sds s, size_t len) {
    switch (s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: SDS_HDR(8, s)->len = (uint8_t)len; break;
    case SDS_TYPE_16: SDS_HDR(16, s)->len = (uint16_t)len; break;
    case SDS_TYPE_32: SDS_HDR(32, s)->len = (uint32_t)len; break;
    default: SDS_HDR(64, s)->len = len; break;
    }
}

static void set_alloc(sds s, size_t alloc) {
    switch (s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: SDS_HDR(8, s)->alloc = (uint8_t)alloc; break;
    case SDS_TYPE_16: SDS_HDR(16, s)->alloc = (uint16_t)alloc; break;
    case SDS_TYPE_32: SDS_HDR(32, s)->alloc = (uint32_t)alloc; break;
    default: SDS_HDR(64, s)->alloc = alloc; break;
    }
}

/* Writes a header of the given type at mem, returns the string pointer. */
static sds init_at(void *mem, char type, size_t len, size_t alloc) {
    sds s = (char *)mem + hdr_size(type);
    s[-1] = type;
    sdssetlen(s, len);
    set_alloc(s, alloc);
    return s;
}

static sds newlen(const void *init, size_t len, int try) {
    char type = req_type(len);
    size_t hl = hdr_size(type);
    assert(hl + len + 1 > len); /* overflow */
    void *mem = try ? ztrymalloc(hl + len + 1) : zmalloc(hl + len + 1);
    if (!mem) return NULL;
    size_t usable = zmalloc_size(mem) - hl - 1;
    if (usable > type_max(type)) usable = type_max(type);
    sds s = init_at(mem, type, len, usable);
    if (init && len) memcpy(s, init, len);
    else if (len) memset(s, 0, len);
    s[len] = '\0';
    return s;
}

sds sdsnewlen(const void *init, size_t len) { return newlen(init, len, 0); }
sds sdstrynewlen(const void *init, size_t len) { return newlen(init, len, 1); }
sds sdsnew(const char *init) { return sdsnewlen(init, init ? strlen(init) : 0); }
sds sdsempty(void) { return sdsnewlen("", 0); }
sds sdsdup(const sds s) { return sdsnewlen(s, sdslen(s)); }
void sdsfree(sds s) { if (s) zfree(s - hdr_size(s[-1])); }
void *sdsAllocPtr(const sds s) { return s - hdr_size(s[-1]); }
size_t sdsAllocSize(const sds s) { return hdr_size(s[-1]) + sdsalloc(s) + 1; }

size_t sdsEmbedSize(size_t len) { return hdr_size(req_type(len)) + len + 1; }
sds sdsEmbed(void *where, const void *init, size_t len) {
    sds s = init_at(where, req_type(len), len, len);
    if (len) memcpy(s, init, len);
    s[len] = '\0';
    return s;
}

static sds make_room(sds s, size_t addlen, int greedy) {
    size_t len = sdslen(s), avail = sdsavail(s);
    if (avail >= addlen) return s;
    size_t newlen = len + addlen;
    assert(newlen > len);
    if (greedy) newlen = newlen < SDS_MAX_PREALLOC ? newlen * 2 : newlen + SDS_MAX_PREALLOC;
    char oldtype = s[-1] & SDS_TYPE_MASK, type = req_type(newlen);
    size_t hl = hdr_size(type);
    sds ns;
    if (oldtype == type) {
        void *mem = zrealloc(s - hl, hl + newlen + 1);
        ns = (char *)mem + hl;
        size_t usable = zmalloc_size(mem) - hl - 1;
        set_alloc(ns, usable > type_max(type) ? type_max(type) : usable);
    } else {
        void *mem = zmalloc(hl + newlen + 1);
        size_t usable = zmalloc_size(mem) - hl - 1;
        ns = init_at(mem, type, len, usable > type_max(type) ? type_max(type) : usable);
        memcpy(ns, s, len + 1);
        sdsfree(s);
    }
    return ns;
}

sds sdsMakeRoomFor(sds s, size_t addlen) { return make_room(s, addlen, 1); }
sds sdsMakeRoomForNonGreedy(sds s, size_t addlen) { return make_room(s, addlen, 0); }

void sdsIncrLen(sds s, ssize_t incr) {
    size_t len = sdslen(s);
    assert(incr >= 0 ? sdsavail(s) >= (size_t)incr : len >= (size_t)(-incr));
    len += incr;
    sdssetlen(s, len);
    s[len] = '\0';
}

sds sdsRemoveFreeSpace(sds s) {
    size_t len = sdslen(s);
    if (sdsavail(s) == 0) return s;
    sds ns = sdsnewlen(s, len);
    sdsfree(s);
    return ns;
}

sds sdsgrowzero(sds s, size_t len) {
    size_t cur = sdslen(s);
    if (len <= cur) return s;
    s = sdsMakeRoomFor(s, len - cur);
    memset(s + cur, 0, len - cur + 1);
    sdssetlen(s, len);
    return s;
}

sds sdscatlen(sds s, const void *t, size_t len) {
    size_t cur = sdslen(s);
    s = sdsMakeRoomFor(s, len);
    memcpy(s + cur, t, len);
    sdssetlen(s, cur + len);
    s[cur + len] = '\0';
    return s;
}
sds sdscat(sds s, const char *t) { return sdscatlen(s, t, strlen(t)); }
sds sdscatsds(sds s, const sds t) { return sdscatlen(s, t, sdslen(t)); }

sds sdscpylen(sds s, const char *t, size_t len) {
    if (sdsalloc(s) < len) s = sdsMakeRoomFor(s, len - sdslen(s));
    memmove(s, t, len);
    s[len] = '\0';
    sdssetlen(s, len);
    return s;
}
sds sdscpy(sds s, const char *t) { return sdscpylen(s, t, strlen(t)); }

sds sdscatvprintf(sds s, const char *fmt, va_list ap) {
    char stackbuf[1024];
    va_list cpy;
    va_copy(cpy, ap);
    int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, cpy);
    va_end(cpy);
    if (n < 0) return s;
    if ((size_t)n < sizeof(stackbuf)) return sdscatlen(s, stackbuf, n);
    char *buf = zmalloc((size_t)n + 1);
    va_copy(cpy, ap);
    vsnprintf(buf, (size_t)n + 1, fmt, cpy);
    va_end(cpy);
    s = sdscatlen(s, buf, n);
    zfree(buf);
    return s;
}

sds sdscatprintf(sds s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = sdscatvprintf(s, fmt, ap);
    va_end(ap);
    return s;
}

sds sdstrim(sds s, const char *cset) {
    size_t len = sdslen(s);
    char *sp = s, *ep = s + len - 1, *end = ep;
    while (sp <= end && strchr(cset, *sp)) sp++;
    while (ep > sp && strchr(cset, *ep)) ep--;
    size_t nl = (ep < sp) ? 0 : (size_t)(ep - sp) + 1;
    if (len == 0) nl = 0;
    if (sp != s && nl) memmove(s, sp, nl);
    s[nl] = '\0';
    sdssetlen(s, nl);
    return s;
}

void sdssubstr(sds s, size_t start, size_t len) {
    size_t oldlen = sdslen(s);
    if (start >= oldlen) start = len = 0;
    if (len > oldlen - start) len = oldlen - start;
    if (len) memmove(s, s + start, len);
    s[len] = '\0';
    sdssetlen(s, len);
}

/* Keeps s[start..end] (inclusive, negative indexes count from the end). */
void sdsrange(sds s, ssize_t start, ssize_t end) {
    ssize_t len = (ssize_t)sdslen(s);
    if (len == 0) return;
    if (start < 0) start = len + start < 0 ? 0 : len + start;
    if (end < 0) end = len + end < 0 ? 0 : len + end;
    ssize_t newlen = (start > end) ? 0 : end - start + 1;
    sdssubstr(s, (size_t)start, (size_t)newlen);
}

void sdsclear(sds s) { sdssetlen(s, 0); s[0] = '\0'; }

int sdscmp(const sds s1, const sds s2) {
    size_t l1 = sdslen(s1), l2 = sdslen(s2);
    int c = memcmp(s1, s2, l1 < l2 ? l1 : l2);
    if (c) return c;
    return (l1 > l2) - (l1 < l2);
}

sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count) {
    int slots = 5, n = 0;
    ssize_t start = 0;
    *count = 0;
    if (seplen < 1 || len < 0) return NULL;
    sds *tokens = zmalloc(sizeof(sds) * slots);
    if (len == 0) return tokens;
    for (ssize_t j = 0; j < len - (seplen - 1); j++) {
        if (n + 2 > slots) { slots *= 2; tokens = zrealloc(tokens, sizeof(sds) * slots); }
        if ((seplen == 1 && s[j] == sep[0]) || memcmp(s + j, sep, seplen) == 0) {
            tokens[n++] = sdsnewlen(s + start, j - start);
            start = j + seplen;
            j = j + seplen - 1;
        }
    }
    tokens[n++] = sdsnewlen(s + start, len - start);
    *count = n;
    return tokens;
}

void sdsfreesplitres(sds *tokens, int count) {
    if (!tokens) return;
    while (count--) sdsfree(tokens[count]);
    zfree(tokens);
}

void sdstolower(sds s) { for (size_t i = 0, l = sdslen(s); i < l; i++) s[i] = tolower((unsigned char)s[i]); }
void sdstoupper(sds s) { for (size_t i = 0, l = sdslen(s); i < l; i++) s[i] = toupper((unsigned char)s[i]); }

sds sdsfromlonglong(long long value) {
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%lld", value);
    return sdsnewlen(buf, n);
}

/* Appends a quoted, escaped representation of p[0..len) (as redis-cli and
 * MONITOR print strings). */
sds sdscatrepr(sds s, const char *p, size_t len) {
    s = sdscatlen(s, "\"", 1);
    while (len--) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '\\': case '"': s = sdscatprintf(s, "\\%c", c); break;
        case '\n': s = sdscatlen(s, "\\n", 2); break;
        case '\r': s = sdscatlen(s, "\\r", 2); break;
        case '\t': s = sdscatlen(s, "\\t", 2); break;
        case '\a': s = sdscatlen(s, "\\a", 2); break;
        case '\b': s = sdscatlen(s, "\\b", 2); break;
        default:
            if (isprint(c)) s = sdscatlen(s, p, 1);
            else s = sdscatprintf(s, "\\x%02x", c);
        }
        p++;
    }
    return sdscatlen(s, "\"", 1);
}

static int hex_val(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Splits a line into arguments the way redis.conf and inline commands are
 * split: spaces separate, "double quotes" support \n \r \t \b \a \\ \" and
 * \xHH escapes, 'single quotes' only \'. A closing quote must be followed
 * by a space or the end. Returns NULL on unbalanced quotes. */
sds *sdssplitargs(const char *line, int *argc) {
    const char *p = line;
    sds current = NULL;
    sds *vector = NULL;
    *argc = 0;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) {
            if (!vector) vector = zmalloc(sizeof(sds));
            return vector;
        }
        int inq = 0, insq = 0, done = 0;
        current = sdsempty();
        while (!done) {
            if (inq) {
                if (*p == '\\' && p[1] == 'x' && hex_val(p[2]) >= 0 && hex_val(p[3]) >= 0) {
                    char c = (char)(hex_val(p[2]) * 16 + hex_val(p[3]));
                    current = sdscatlen(current, &c, 1);
                    p += 3;
                } else if (*p == '\\' && p[1]) {
                    char c;
                    p++;
                    switch (*p) {
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'b': c = '\b'; break;
                    case 'a': c = '\a'; break;
                    default: c = *p; break;
                    }
                    current = sdscatlen(current, &c, 1);
                } else if (*p == '"') {
                    if (p[1] && !isspace((unsigned char)p[1])) goto err;
                    done = 1;
                } else if (!*p) {
                    goto err;
                } else {
                    current = sdscatlen(current, p, 1);
                }
            } else if (insq) {
                if (*p == '\\' && p[1] == '\'') {
                    p++;
                    current = sdscatlen(current, "'", 1);
                } else if (*p == '\'') {
                    if (p[1] && !isspace((unsigned char)p[1])) goto err;
                    done = 1;
                } else if (!*p) {
                    goto err;
                } else {
                    current = sdscatlen(current, p, 1);
                }
            } else {
                switch (*p) {
                case ' ': case '\n': case '\r': case '\t': case '\0': done = 1; break;
                case '"': inq = 1; break;
                case '\'': insq = 1; break;
                default: current = sdscatlen(current, p, 1); break;
                }
            }
            if (*p) p++;
        }
        vector = zrealloc(vector, ((*argc) + 1) * sizeof(sds));
        vector[*argc] = current;
        (*argc)++;
        current = NULL;
    }
err:
    while ((*argc)--) sdsfree(vector[*argc]);
    zfree(vector);
    sdsfree(current);
    *argc = 0;
    return NULL;
}

sds sdsjoin(char **argv, int argc, const char *sep) {
    sds r = sdsempty();
    for (int j = 0; j < argc; j++) {
        r = sdscat(r, argv[j]);
        if (j != argc - 1) r = sdscat(r, sep);
    }
    return r;
}

sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen) {
    sds r = sdsempty();
    for (int j = 0; j < argc; j++) {
        r = sdscatsds(r, argv[j]);
        if (j != argc - 1) r = sdscatlen(r, sep, seplen);
    }
    return r;
}
