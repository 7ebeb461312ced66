/* sds.h: binary-safe dynamic strings.
 *
 * An sds is a char* pointing at the bytes of the string, always followed by
 * a NUL terminator, and preceded by a header that records the length, the
 * allocated capacity and the header type (the byte just before the string).
 * Header types trade size for range: 8-bit lengths for short strings (the
 * common case for keys and small values), then 16, 32 and 64 bits.
 * Functions that may grow a string return the (possibly moved) sds; callers
 * must use the return value. Nothing here is thread-safe per string. */
#ifndef STASH_SDS_H
#define STASH_SDS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef char *sds;

#define SDS_TYPE_8 1
#define SDS_TYPE_16 2
#define SDS_TYPE_32 3
#define SDS_TYPE_64 4
#define SDS_TYPE_MASK 7

struct __attribute__((__packed__)) sdshdr8 { uint8_t len, alloc; unsigned char flags; char buf[]; };
struct __attribute__((__packed__)) sdshdr16 { uint16_t len, alloc; unsigned char flags; char buf[]; };
struct __attribute__((__packed__)) sdshdr32 { uint32_t len, alloc; unsigned char flags; char buf[]; };
struct __attribute__((__packed__)) sdshdr64 { uint64_t len, alloc; unsigned char flags; char buf[]; };

#define SDS_HDR(T, s) ((struct sdshdr##T *)((s) - sizeof(struct sdshdr##T)))

static inline size_t sdslen(const sds s) {
    switch (s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: return SDS_HDR(8, s)->len;
    case SDS_TYPE_16: return SDS_HDR(16, s)->len;
    case SDS_TYPE_32: return SDS_HDR(32, s)->len;
    default: return SDS_HDR(64, s)->len;
    }
}
static inline size_t sdsalloc(const sds s) {
    switch (s[-1] & SDS_TYPE_MASK) {
    case SDS_TYPE_8: return SDS_HDR(8, s)->alloc;
    case SDS_TYPE_16: return SDS_HDR(16, s)->alloc;
    case SDS_TYPE_32: return SDS_HDR(32, s)->alloc;
    default: return SDS_HDR(64, s)->alloc;
    }
}
static inline size_t sdsavail(const sds s) { return sdsalloc(s) - sdslen(s); }
void sdssetlen(sds s, size_t len);

sds sdsnewlen(const void *init, size_t len);
sds sdstrynewlen(const void *init, size_t len);   /* NULL on allocation failure */
sds sdsnew(const char *init);
sds sdsempty(void);
sds sdsdup(const sds s);
void sdsfree(sds s);
sds sdsgrowzero(sds s, size_t len);
sds sdscatlen(sds s, const void *t, size_t len);
sds sdscat(sds s, const char *t);
sds sdscatsds(sds s, const sds t);
sds sdscpylen(sds s, const char *t, size_t len);
sds sdscpy(sds s, const char *t);
sds sdscatvprintf(sds s, const char *fmt, va_list ap);
sds sdscatprintf(sds s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
sds sdstrim(sds s, const char *cset);
void sdsrange(sds s, ssize_t start, ssize_t end);
void sdssubstr(sds s, size_t start, size_t len);
void sdsclear(sds s);
int sdscmp(const sds s1, const sds s2);
sds *sdssplitlen(const char *s, ssize_t len, const char *sep, int seplen, int *count);
void sdsfreesplitres(sds *tokens, int count);
void sdstolower(sds s);
void sdstoupper(sds s);
sds sdsfromlonglong(long long value);
sds sdscatrepr(sds s, const char *p, size_t len);
sds *sdssplitargs(const char *line, int *argc);
sds sdsjoin(char **argv, int argc, const char *sep);
sds sdsjoinsds(sds *argv, int argc, const char *sep, size_t seplen);
sds sdsMakeRoomFor(sds s, size_t addlen);
sds sdsMakeRoomForNonGreedy(sds s, size_t addlen);
void sdsIncrLen(sds s, ssize_t incr);
sds sdsRemoveFreeSpace(sds s);
size_t sdsAllocSize(const sds s);
void *sdsAllocPtr(const sds s);

/* Embedded strings: write an immutable sds header+bytes+NUL into caller
 * memory (at least sdsEmbedSize(len) bytes). The result must never be freed
 * or grown; it lives as long as the memory holding it. */
size_t sdsEmbedSize(size_t len);
sds sdsEmbed(void *where, const void *init, size_t len);

#endif
