/* rio.h: one stream abstraction under the RDB encoder/decoder so the same
 * code serves SAVE/BGSAVE (buffered file), DUMP/RESTORE (memory buffer),
 * and replication (file descriptor). A stream optionally keeps a running
 * CRC-64 of every byte through it (the RDB trailer and DUMP footer), counts
 * bytes, and remembers the first error so callers check once at the end. */
#ifndef STASH_RIO_H
#define STASH_RIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/sds.h"

typedef struct rio rio;
struct rio {
    size_t (*read)(rio *r, void *buf, size_t len);   /* returns len or 0 on error/EOF */
    size_t (*write)(rio *r, const void *buf, size_t len);
    int (*flush)(rio *r);
    size_t (*remaining)(rio *r);                    /* bytes left to read, or SIZE_MAX */
    uint64_t cksum;
    int checksum;          /* update cksum on every byte */
    int error, eof;
    size_t processed;      /* bytes read or written */
    size_t max_chunk;      /* 0: no limit */
    union {
        struct { sds buf; size_t pos; } mem;
        struct { FILE *fp; size_t buffered, autosync; long long start, end; } file;
        struct { int fd; sds buf; size_t pos; int *fds; int nfds; } fd;
    } io;
};

void rio_init_buffer(rio *r, sds buf);      /* reads from/writes to buf (takes ownership) */
void rio_init_file(rio *r, FILE *fp);
void rio_init_fd(rio *r, int fd);           /* write-only, buffered; flush before use */
/* Write-only to several descriptors at once (diskless replication); a
 * descriptor that fails is dropped (set to -1) and the others go on. */
void rio_init_fdset(rio *r, int *fds, int nfds);
sds rio_buffer(rio *r);                     /* the memory buffer (buffer streams) */
void rio_free_fd(rio *r);

static inline size_t rio_write(rio *r, const void *buf, size_t len);
static inline size_t rio_read(rio *r, void *buf, size_t len);

uint64_t rio_crc(uint64_t crc, const void *buf, size_t len);

static inline size_t rio_write(rio *r, const void *buf, size_t len) {
    if (r->error) return 0;
    if (r->checksum) r->cksum = rio_crc(r->cksum, buf, len);
    if (r->write(r, buf, len) != len) {
        r->error = 1;
        return 0;
    }
    r->processed += len;
    return len;
}

static inline size_t rio_read(rio *r, void *buf, size_t len) {
    if (r->error) return 0;
    if (len == 0) return 0;
    if (r->read(r, buf, len) != len) {
        r->error = 1;
        return 0;
    }
    if (r->checksum) r->cksum = rio_crc(r->cksum, buf, len);
    r->processed += len;
    return len;
}

static inline int rio_flush(rio *r) { return r->flush ? r->flush(r) : 0; }
/* Bytes a reader can still get; SIZE_MAX when the stream cannot tell. */
static inline size_t rio_remaining(rio *r) { return r->remaining ? r->remaining(r) : SIZE_MAX; }

#endif
