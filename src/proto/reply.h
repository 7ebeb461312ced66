/* reply.h: the typed reply builder. Every reply a command produces goes
 * through these functions, which encode it for the connection's protocol
 * version (RESP2 or RESP3) into the connection's output buffer. Command code
 * never writes RESP by hand.
 *
 * Output buffer: a fixed first buffer (16 KB, filled while nothing is queued
 * behind it) followed by a list of blocks. Nothing is written to the socket
 * here: the server flushes all of it with one write per client per loop
 * iteration. Deferred lengths (for replies whose element count is only
 * known at the end) reserve an empty block that is filled in later. */
#ifndef STASH_REPLY_H
#define STASH_REPLY_H

#include <stddef.h>

#include "core/sds.h"

#define REPLY_BUF_SIZE (16 * 1024)
#define REPLY_BLOCK_SIZE (16 * 1024)

typedef struct replyBlock {
    struct replyBlock *next;
    size_t size, used;
    char data[];
} replyBlock;

typedef struct replyBuf {
    char *buf;              /* the first buffer, REPLY_BUF_SIZE bytes */
    size_t bufpos;          /* bytes used in buf */
    size_t sentlen;         /* bytes of the head (buf or first block) already written */
    replyBlock *head, *tail;
    size_t list_bytes;      /* bytes allocated in blocks (output buffer limits) */
    int resp;               /* 2 or 3 */
    int muted;              /* CLIENT REPLY OFF/SKIP: drop everything */
    /* Called for every error reply with the full error line (no CRLF), so
     * the owner can count error stats. */
    void (*on_error)(void *owner, const char *err, size_t len);
    void *owner;
} replyBuf;

void reply_init(replyBuf *rb, int resp);
void reply_free(replyBuf *rb);
void reply_clear(replyBuf *rb);      /* drop all pending output */
int reply_pending(const replyBuf *rb); /* 1 if anything waits to be written */
size_t reply_pending_bytes(const replyBuf *rb);
/* Gathers a pending region list for writev; returns iov count (max n). */
struct iovec;
int reply_iov(const replyBuf *rb, struct iovec *iov, int n, size_t max_bytes);
/* Marks n bytes as written, freeing finished blocks. */
void reply_consume(replyBuf *rb, size_t n);
/* Moves all output of src to the end of dst (for scripts/MULTI helpers). */
void reply_copy_to_sds(const replyBuf *rb, sds *out);

/* Raw protocol bytes (for shared, pre-encoded replies and proxying). */
void reply_raw(replyBuf *rb, const char *p, size_t len);

void reply_ok(replyBuf *rb);
void reply_status(replyBuf *rb, const char *s);
void reply_status_len(replyBuf *rb, const char *s, size_t len);
/* An error line. If msg starts with '-' it already carries its code
 * ("-WRONGTYPE ..."), otherwise "-ERR " is prepended. CR/LF in the text
 * become spaces so the reply cannot break the protocol. */
void reply_error(replyBuf *rb, const char *msg);
void reply_error_len(replyBuf *rb, const char *msg, size_t len);
void reply_errorf(replyBuf *rb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_long(replyBuf *rb, long long v);
void reply_bulk(replyBuf *rb, const void *p, size_t len);
void reply_bulk_sds(replyBuf *rb, const sds s);
void reply_bulk_cstr(replyBuf *rb, const char *s); /* NULL gives a null */
void reply_bulk_ll(replyBuf *rb, long long v);      /* integer as bulk string */
void reply_bulk_header(replyBuf *rb, size_t len);    /* "$len\r\n" alone */
void reply_null(replyBuf *rb);       /* $-1 / _ */
void reply_null_array(replyBuf *rb); /* *-1 / _ */
void reply_double(replyBuf *rb, double d);          /* bulk / ',' double */
void reply_human_long_double(replyBuf *rb, long double d); /* INCRBYFLOAT style */
void reply_bool(replyBuf *rb, int b);                /* :1/:0 / #t/#f */
void reply_verbatim(replyBuf *rb, const char *p, size_t len, const char *ext);
void reply_bignum(replyBuf *rb, const char *p, size_t len);
void reply_array(replyBuf *rb, long n);
void reply_map(replyBuf *rb, long n);  /* n pairs: *2n in RESP2 */
void reply_set(replyBuf *rb, long n);
void reply_push(replyBuf *rb, long n);
void reply_empty_array(replyBuf *rb);
/* "HELP" output: an array of status lines; lines end with NULL. */
void reply_help(replyBuf *rb, const char *cmd, const char **lines);

/* Deferred aggregate lengths. */
void *reply_defer(replyBuf *rb);
void reply_set_array(replyBuf *rb, void *handle, long n);
void reply_set_map(replyBuf *rb, void *handle, long n);
void reply_set_set(replyBuf *rb, void *handle, long n);

#endif
