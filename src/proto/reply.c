/* reply.c: RESP2/RESP3 encoding into the output buffer (see reply.h).
 *
 * Invariant: bytes go into `buf` only while the block list is empty, so the
 * output order is buf, then the blocks in list order. A deferred-length
 * placeholder is an empty block of size 0 in the list; the header is
 * written into it when the length is set. */
#include "reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include "core/util.h"
#include "core/zmalloc.h"

void reply_init(replyBuf *rb, int resp) {
    memset(rb, 0, sizeof(*rb));
    rb->buf = zmalloc(REPLY_BUF_SIZE);
    rb->resp = resp;
}

void reply_clear(replyBuf *rb) {
    while (rb->head) {
        replyBlock *b = rb->head;
        rb->head = b->next;
        zfree(b);
    }
    rb->tail = NULL;
    rb->bufpos = rb->sentlen = rb->list_bytes = 0;
}

void reply_free(replyBuf *rb) {
    reply_clear(rb);
    zfree(rb->buf);
    rb->buf = NULL;
}

int reply_pending(const replyBuf *rb) { return rb->bufpos > 0 || rb->head != NULL; }

size_t reply_pending_bytes(const replyBuf *rb) {
    size_t n = rb->bufpos;
    for (replyBlock *b = rb->head; b; b = b->next) n += b->used;
    return n - rb->sentlen;
}

static replyBlock *new_block(size_t size) {
    replyBlock *b = zmalloc(sizeof(replyBlock) + size);
    b->size = zmalloc_size(b) - sizeof(replyBlock);
    b->used = 0;
    b->next = NULL;
    return b;
}

static void append_block(replyBuf *rb, replyBlock *b) {
    if (rb->tail) rb->tail->next = b;
    else rb->head = b;
    rb->tail = b;
    rb->list_bytes += b->size;
}

void reply_raw(replyBuf *rb, const char *p, size_t len) {
    if (rb->muted) return;
    if (!rb->head) {
        size_t room = REPLY_BUF_SIZE - rb->bufpos;
        size_t n = len < room ? len : room;
        memcpy(rb->buf + rb->bufpos, p, n);
        rb->bufpos += n;
        p += n;
        len -= n;
        if (!len) return;
    }
    replyBlock *t = rb->tail;
    if (t && t->size > 0) { /* never write into a deferred placeholder */
        size_t room = t->size - t->used;
        size_t n = len < room ? len : room;
        memcpy(t->data + t->used, p, n);
        t->used += n;
        p += n;
        len -= n;
    }
    if (len) {
        replyBlock *b = new_block(len < REPLY_BLOCK_SIZE ? REPLY_BLOCK_SIZE : len);
        memcpy(b->data, p, len);
        b->used = len;
        append_block(rb, b);
    }
}

int reply_iov(const replyBuf *rb, struct iovec *iov, int n, size_t max_bytes) {
    int cnt = 0;
    size_t total = 0, skip = rb->sentlen;
    if (rb->bufpos && cnt < n) {
        iov[cnt].iov_base = rb->buf + skip;
        iov[cnt].iov_len = rb->bufpos - skip;
        total += iov[cnt].iov_len;
        cnt++;
        skip = 0;
    }
    for (replyBlock *b = rb->head; b && cnt < n && total < max_bytes; b = b->next) {
        if (b->used == 0) {
            if (b->size == 0) break; /* unresolved deferred length: stop here */
            continue;
        }
        iov[cnt].iov_base = b->data + skip;
        iov[cnt].iov_len = b->used - skip;
        total += iov[cnt].iov_len;
        cnt++;
        skip = 0;
    }
    return cnt;
}

void reply_consume(replyBuf *rb, size_t n) {
    if (rb->bufpos) {
        size_t left = rb->bufpos - rb->sentlen;
        if (n < left) {
            rb->sentlen += n;
            return;
        }
        n -= left;
        rb->bufpos = rb->sentlen = 0;
    }
    while (rb->head && (n > 0 || (rb->head->used == 0 && rb->head->size != 0))) {
        replyBlock *b = rb->head;
        size_t left = b->used - rb->sentlen;
        if (n < left) {
            rb->sentlen += n;
            return;
        }
        n -= left;
        rb->sentlen = 0;
        rb->head = b->next;
        if (!rb->head) rb->tail = NULL;
        rb->list_bytes -= b->size;
        zfree(b);
    }
}

void reply_copy_to_sds(const replyBuf *rb, sds *out) {
    *out = sdscatlen(*out, rb->buf + rb->sentlen, rb->bufpos - (rb->bufpos ? rb->sentlen : 0));
    size_t skip = rb->bufpos ? 0 : rb->sentlen;
    for (replyBlock *b = rb->head; b; b = b->next) {
        *out = sdscatlen(*out, b->data + skip, b->used - skip);
        skip = 0;
    }
}

/* ---- scalars. */
static void prefixed_len(replyBuf *rb, char prefix, long long n) {
    char buf[32];
    buf[0] = prefix;
    int l = ll2string(buf + 1, sizeof(buf) - 3, n);
    buf[l + 1] = '\r';
    buf[l + 2] = '\n';
    reply_raw(rb, buf, (size_t)l + 3);
}

void reply_ok(replyBuf *rb) { reply_raw(rb, "+OK\r\n", 5); }

void reply_status_len(replyBuf *rb, const char *s, size_t len) {
    reply_raw(rb, "+", 1);
    reply_raw(rb, s, len);
    reply_raw(rb, "\r\n", 2);
}
void reply_status(replyBuf *rb, const char *s) { reply_status_len(rb, s, strlen(s)); }

void reply_error_len(replyBuf *rb, const char *msg, size_t len) {
    char stackbuf[512];
    char *line = len + 8 <= sizeof(stackbuf) ? stackbuf : zmalloc(len + 8);
    size_t l = 0;
    if (!len || msg[0] != '-') {
        memcpy(line, "-ERR ", 5);
        l = 5;
    }
    for (size_t i = 0; i < len; i++) line[l++] = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
    if (rb->on_error) rb->on_error(rb->owner, line + 1, l - 1);
    line[l++] = '\r';
    line[l++] = '\n';
    reply_raw(rb, line, l);
    if (line != stackbuf) zfree(line);
}
void reply_error(replyBuf *rb, const char *msg) { reply_error_len(rb, msg, strlen(msg)); }

void reply_errorf(replyBuf *rb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sds s = sdscatvprintf(sdsempty(), fmt, ap);
    va_end(ap);
    s = sdstrim(s, "\r\n"); /* as Redis: line breaks at either end go, inner ones become spaces */
    reply_error_len(rb, s, sdslen(s));
    sdsfree(s);
}

void reply_long(replyBuf *rb, long long v) { prefixed_len(rb, ':', v); }
void reply_bulk_header(replyBuf *rb, size_t len) { prefixed_len(rb, '$', (long long)len); }

void reply_bulk(replyBuf *rb, const void *p, size_t len) {
    if (rb->muted) return;
    /* Header, payload and CRLF in one copy when the first buffer has room. */
    if (!rb->head && len < 4096 && REPLY_BUF_SIZE - rb->bufpos >= len + 32) {
        char *d = rb->buf + rb->bufpos;
        *d++ = '$';
        d += ll2string(d, 24, (long long)len);
        *d++ = '\r';
        *d++ = '\n';
        memcpy(d, p, len);
        d += len;
        *d++ = '\r';
        *d++ = '\n';
        rb->bufpos = (size_t)(d - rb->buf);
        return;
    }
    reply_bulk_header(rb, len);
    reply_raw(rb, p, len);
    reply_raw(rb, "\r\n", 2);
}
void reply_bulk_sds(replyBuf *rb, const sds s) { reply_bulk(rb, s, sdslen(s)); }
void reply_bulk_cstr(replyBuf *rb, const char *s) {
    if (!s) reply_null(rb);
    else reply_bulk(rb, s, strlen(s));
}
void reply_bulk_ll(replyBuf *rb, long long v) {
    char buf[32];
    int l = ll2string(buf, sizeof(buf), v);
    reply_bulk(rb, buf, (size_t)l);
}

void reply_null(replyBuf *rb) {
    if (rb->resp == 2) reply_raw(rb, "$-1\r\n", 5);
    else reply_raw(rb, "_\r\n", 3);
}
void reply_null_array(replyBuf *rb) {
    if (rb->resp == 2) reply_raw(rb, "*-1\r\n", 5);
    else reply_raw(rb, "_\r\n", 3);
}

void reply_double(replyBuf *rb, double d) {
    char buf[MAX_D2STRING_CHARS];
    int l = d2string(buf, sizeof(buf), d);
    if (rb->resp == 2) {
        reply_bulk(rb, buf, (size_t)l);
    } else {
        reply_raw(rb, ",", 1);
        reply_raw(rb, buf, (size_t)l);
        reply_raw(rb, "\r\n", 2);
    }
}

void reply_human_long_double(replyBuf *rb, long double d) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    int l = ld2string_human(buf, sizeof(buf), d);
    if (rb->resp == 2) {
        reply_bulk(rb, buf, (size_t)l);
    } else {
        reply_raw(rb, ",", 1);
        reply_raw(rb, buf, (size_t)l);
        reply_raw(rb, "\r\n", 2);
    }
}

void reply_bool(replyBuf *rb, int b) {
    if (rb->resp == 2) reply_raw(rb, b ? ":1\r\n" : ":0\r\n", 4);
    else reply_raw(rb, b ? "#t\r\n" : "#f\r\n", 4);
}

void reply_verbatim(replyBuf *rb, const char *p, size_t len, const char *ext) {
    if (rb->resp == 2) {
        reply_bulk(rb, p, len);
        return;
    }
    prefixed_len(rb, '=', (long long)len + 4);
    reply_raw(rb, ext, 3);
    reply_raw(rb, ":", 1);
    reply_raw(rb, p, len);
    reply_raw(rb, "\r\n", 2);
}

void reply_bignum(replyBuf *rb, const char *p, size_t len) {
    if (rb->resp == 2) {
        reply_bulk(rb, p, len);
        return;
    }
    reply_raw(rb, "(", 1);
    reply_raw(rb, p, len);
    reply_raw(rb, "\r\n", 2);
}

/* ---- aggregates. */
void reply_array(replyBuf *rb, long n) { prefixed_len(rb, '*', n); }
void reply_map(replyBuf *rb, long n) {
    if (rb->resp == 2) prefixed_len(rb, '*', n * 2);
    else prefixed_len(rb, '%', n);
}
void reply_set(replyBuf *rb, long n) { prefixed_len(rb, rb->resp == 2 ? '*' : '~', n); }
void reply_push(replyBuf *rb, long n) { prefixed_len(rb, rb->resp == 2 ? '*' : '>', n); }
void reply_empty_array(replyBuf *rb) { reply_raw(rb, "*0\r\n", 4); }

void reply_help(replyBuf *rb, const char *cmd, const char **lines) {
    long n = 0;
    while (lines[n]) n++;
    reply_array(rb, n + 3);
    char head[128];
    snprintf(head, sizeof(head), "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", cmd);
    reply_status(rb, head);
    for (long i = 0; i < n; i++) reply_status(rb, lines[i]);
    reply_status(rb, "HELP");
    reply_status(rb, "    Print this help.");
}

/* A placeholder is a block with size 0 (so reply_raw never writes into it
 * and reply_iov stops at it) that has room for the longest header; setting
 * the length writes the header into it in place, with no list walk. */
#define DEFER_ROOM 32

void *reply_defer(replyBuf *rb) {
    if (rb->muted) return NULL;
    replyBlock *b = zmalloc(sizeof(replyBlock) + DEFER_ROOM);
    b->size = b->used = 0;
    b->next = NULL;
    append_block(rb, b);
    return b;
}

static void set_deferred(replyBuf *rb, void *handle, char prefix, long n) {
    replyBlock *b = handle;
    if (!b) return;
    b->data[0] = prefix;
    int l = ll2string(b->data + 1, DEFER_ROOM - 3, n);
    b->data[l + 1] = '\r';
    b->data[l + 2] = '\n';
    b->used = (size_t)l + 3;
    b->size = DEFER_ROOM; /* later output may follow in the spare room */
    rb->list_bytes += b->size;
}

void reply_set_array(replyBuf *rb, void *h, long n) { set_deferred(rb, h, '*', n); }
void reply_set_map(replyBuf *rb, void *h, long n) {
    if (rb->resp == 2) set_deferred(rb, h, '*', n * 2);
    else set_deferred(rb, h, '%', n);
}
void reply_set_set(replyBuf *rb, void *h, long n) { set_deferred(rb, h, rb->resp == 2 ? '*' : '~', n); }
