/* rio.c: the three stream kinds of rio.h. */
#include "rio.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "core/crc64.h"
#include "core/zmalloc.h"

uint64_t rio_crc(uint64_t crc, const void *buf, size_t len) { return crc64(crc, buf, len); }

/* ---- memory buffer */
static size_t mem_write(rio *r, const void *buf, size_t len) {
    r->io.mem.buf = sdscatlen(r->io.mem.buf, buf, len);
    r->io.mem.pos += len;
    return len;
}
static size_t mem_read(rio *r, const void *buf, size_t len) {
    if (sdslen(r->io.mem.buf) - r->io.mem.pos < len) {
        r->eof = 1;
        return 0;
    }
    memcpy((void *)buf, r->io.mem.buf + r->io.mem.pos, len);
    r->io.mem.pos += len;
    return len;
}
static size_t mem_read_cb(rio *r, void *buf, size_t len) { return mem_read(r, buf, len); }
static size_t mem_remaining(rio *r) { return sdslen(r->io.mem.buf) - r->io.mem.pos; }

void rio_init_buffer(rio *r, sds buf) {
    memset(r, 0, sizeof(*r));
    r->read = mem_read_cb;
    r->write = mem_write;
    r->remaining = mem_remaining;
    r->io.mem.buf = buf;
}
sds rio_buffer(rio *r) { return r->io.mem.buf; }

/* ---- stdio file */
static size_t file_write(rio *r, const void *buf, size_t len) {
    size_t n = fwrite(buf, 1, len, r->io.file.fp);
    r->io.file.buffered += n;
    if (r->io.file.autosync && r->io.file.buffered >= r->io.file.autosync) {
        fflush(r->io.file.fp);
        if (fdatasync(fileno(r->io.file.fp)) == -1) return 0;
        r->io.file.buffered = 0;
    }
    return n;
}
static size_t file_read(rio *r, void *buf, size_t len) {
    size_t n = fread(buf, 1, len, r->io.file.fp);
    if (n != len && feof(r->io.file.fp)) r->eof = 1;
    return n;
}
static int file_flush(rio *r) { return fflush(r->io.file.fp) == 0 ? 0 : -1; }
/* The file's size and our start offset are read once (a regular file
 * being loaded does not grow); the bytes read since come from processed. */
static size_t file_remaining(rio *r) {
    if (r->io.file.end < 0) return SIZE_MAX;
    long long pos = r->io.file.start + (long long)r->processed;
    return r->io.file.end > pos ? (size_t)(r->io.file.end - pos) : 0;
}

void rio_init_file(rio *r, FILE *fp) {
    memset(r, 0, sizeof(*r));
    r->read = file_read;
    r->write = file_write;
    r->flush = file_flush;
    r->remaining = file_remaining;
    r->io.file.fp = fp;
    struct stat st;
    long long pos = ftello(fp);
    r->io.file.start = pos;
    r->io.file.end = pos >= 0 && fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

/* ---- file descriptor (write side of a socket or pipe), 64 KB buffered */
#define FD_BUF 65536
static int write_all(int fd, const char *p, size_t len) {
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, p + off, len - off);
        if (n <= 0) {
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

static int fd_drain(rio *r) {
    int alive = 0;
    if (r->io.fd.fds) {
        for (int i = 0; i < r->io.fd.nfds; i++) {
            if (r->io.fd.fds[i] == -1) continue;
            if (write_all(r->io.fd.fds[i], r->io.fd.buf, sdslen(r->io.fd.buf)) == -1) r->io.fd.fds[i] = -1;
            else alive++;
        }
    } else if (write_all(r->io.fd.fd, r->io.fd.buf, sdslen(r->io.fd.buf)) == 0) {
        alive = 1;
    }
    sdsclear(r->io.fd.buf);
    return alive ? 0 : -1;
}
static size_t fd_write(rio *r, const void *buf, size_t len) {
    r->io.fd.buf = sdscatlen(r->io.fd.buf, buf, len);
    if (sdslen(r->io.fd.buf) >= FD_BUF && fd_drain(r) == -1) return 0;
    return len;
}
static size_t fd_read(rio *r, void *buf, size_t len) { return 0; }
static int fd_flush(rio *r) { return fd_drain(r); }

void rio_init_fd(rio *r, int fd) {
    memset(r, 0, sizeof(*r));
    r->read = fd_read;
    r->write = fd_write;
    r->flush = fd_flush;
    r->io.fd.fd = fd;
    r->io.fd.buf = sdsempty();
}
void rio_init_fdset(rio *r, int *fds, int nfds) {
    rio_init_fd(r, -1);
    r->io.fd.fds = fds;
    r->io.fd.nfds = nfds;
}

void rio_free_fd(rio *r) {
    sdsfree(r->io.fd.buf);
    r->io.fd.buf = NULL;
}
