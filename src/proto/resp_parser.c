/* resp_parser.c: incremental RESP/inline request parsing (see the header).
 *
 * Error texts match Redis's processMultibulkBuffer/processInlineBuffer
 * word for word ("Protocol error: invalid bulk length", ...), because
 * clients and the upstream tests compare them. After RESP_ERROR the caller
 * replies with p->err and closes the connection once the reply is written.
 *
 * Large bulks (>= RESP_BIG_ARG) are copied into an sds sized for the whole
 * argument as they arrive, so a 500 MB SET is received without the input
 * buffer having to hold it twice. */
#include "resp_parser.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"

void resp_parser_init(respParser *p) {
    memset(p, 0, sizeof(*p));
    p->max_bulk_len = 512LL * 1024 * 1024;
    p->max_multibulk = INT_MAX;
    p->inline_allowed = 1;
    p->bulklen = -1;
}

static void drop_args(respParser *p) {
    for (int i = 0; i < p->argc; i++) sdsfree(p->argv[i]);
    p->argc = 0;
    p->argv_bytes = 0;
}

void resp_parser_reset(respParser *p) {
    drop_args(p);
    sdsfree(p->bigarg);
    p->bigarg = NULL;
    p->reqtype = 0;
    p->multibulklen = 0;
    p->bulklen = -1;
}

void resp_parser_free(respParser *p) {
    resp_parser_reset(p);
    zfree(p->argv);
    p->argv = NULL;
    p->argv_cap = 0;
}

sds *resp_parser_take(respParser *p, int *argc) {
    sds *argv = p->argv;
    *argc = p->argc;
    p->argv = NULL;
    p->argv_cap = 0;
    p->argc = 0;
    p->argv_bytes = 0;
    p->reqtype = 0;
    p->multibulklen = 0;
    p->bulklen = -1;
    return argv;
}

size_t resp_parser_pending_bulk(const respParser *p) {
    if (p->bulklen < 0) return 0;
    return (size_t)p->bulklen + 2 - (p->bigarg ? sdslen(p->bigarg) : 0);
}

static int fail(respParser *p, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(respParser *p, const char *kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof(p->err), fmt, ap);
    va_end(ap);
    p->err_kind = kind;
    return RESP_ERROR;
}

static void push_arg(respParser *p, sds arg) {
    if (p->argc == p->argv_cap) {
        p->argv_cap = p->argv_cap ? p->argv_cap * 2 : 8;
        p->argv = zrealloc(p->argv, sizeof(sds) * (size_t)p->argv_cap);
    }
    p->argv[p->argc++] = arg;
    p->argv_bytes += sdslen(arg);
}

static int parse_inline(respParser *p, const char *buf, size_t len, size_t *consumed) {
    const char *nl = memchr(buf, '\n', len);
    if (!nl) {
        if (len > RESP_INLINE_MAX) return fail(p, "too big inline request", "Protocol error: too big inline request");
        return RESP_MORE;
    }
    size_t linelen = (size_t)(nl - buf);
    if (linelen && buf[linelen - 1] == '\r') linelen--;
    sds line = sdsnewlen(buf, linelen);
    int argc;
    sds *argv = sdssplitargs(line, &argc);
    sdsfree(line);
    if (!argv) return fail(p, "unbalanced quotes in inline request", "Protocol error: unbalanced quotes in request");
    for (int i = 0; i < argc; i++) push_arg(p, argv[i]);
    zfree(argv);
    *consumed = (size_t)(nl - buf) + 1;
    return RESP_DONE;
}

/* Reads "<prefix><number>\r\n" at buf. Returns bytes used, 0 if the line
 * is incomplete, -1 if it cannot be complete within the inline limit. */
static long read_count_line(const char *buf, size_t len, long long *out, int *ok) {
    const char *cr = memchr(buf, '\r', len);
    if (!cr) return len > RESP_INLINE_MAX ? -1 : 0;
    if ((size_t)(cr - buf) + 1 >= len) return 0; /* need the \n too */
    *ok = string2ll(buf + 1, (size_t)(cr - buf - 1), out);
    return (long)(cr - buf) + 2;
}

static int parse_multibulk(respParser *p, const char *buf, size_t len, size_t *consumed) {
    size_t pos = 0;
    if (p->multibulklen == 0) {
        long long ll = 0;
        int ok = 0;
        long used = read_count_line(buf, len, &ll, &ok);
        if (used < 0) return fail(p, "too big mbulk count string", "Protocol error: too big mbulk count string");
        if (used == 0) return RESP_MORE;
        if (!ok || ll > INT_MAX || ll > p->max_multibulk)
            return fail(p, "invalid mbulk count", "Protocol error: invalid multibulk length");
        if (ll > 10 && p->unauthenticated)
            return fail(p, "unauth mbulk count", "Protocol error: unauthenticated multibulk length");
        pos = (size_t)used;
        if (ll <= 0) {
            *consumed = pos;
            return RESP_DONE; /* an empty command: skipped by the caller */
        }
        p->multibulklen = ll;
        if (p->argv_cap < (ll < 1024 ? ll : 1024)) {
            p->argv_cap = (int)(ll < 1024 ? ll : 1024);
            p->argv = zrealloc(p->argv, sizeof(sds) * (size_t)p->argv_cap);
        }
    }
    while (p->multibulklen) {
        if (p->bulklen == -1) {
            long long ll = 0;
            int ok = 0;
            long used = read_count_line(buf + pos, len - pos, &ll, &ok);
            if (used < 0) {
                *consumed = pos;
                return fail(p, "too big bulk count string", "Protocol error: too big bulk count string");
            }
            if (used == 0) break;
            if (buf[pos] != '$') {
                *consumed = pos;
                return fail(p, "expected $ but got something else", "Protocol error: expected '$', got '%c'", buf[pos]);
            }
            if (!ok || ll < 0 || (p->max_bulk_len >= 0 && ll > p->max_bulk_len)) {
                *consumed = pos;
                return fail(p, "invalid bulk length", "Protocol error: invalid bulk length");
            }
            if (ll > 16384 && p->unauthenticated) {
                *consumed = pos;
                return fail(p, "unauth bulk length", "Protocol error: unauthenticated bulk length");
            }
            pos += (size_t)used;
            p->bulklen = ll;
            if (ll >= RESP_BIG_ARG) p->bigarg = sdsMakeRoomForNonGreedy(sdsempty(), (size_t)ll + 2);
        }
        size_t want = (size_t)p->bulklen + 2;
        if (p->bigarg) {
            size_t have = sdslen(p->bigarg), take = len - pos;
            if (take > want - have) take = want - have;
            p->bigarg = sdscatlen(p->bigarg, buf + pos, take);
            pos += take;
            if (sdslen(p->bigarg) < want) break;
            sdsIncrLen(p->bigarg, -2); /* drop the trailing CRLF */
            push_arg(p, p->bigarg);
            p->bigarg = NULL;
        } else {
            if (len - pos < want) break;
            push_arg(p, sdsnewlen(buf + pos, (size_t)p->bulklen));
            pos += want;
        }
        p->bulklen = -1;
        p->multibulklen--;
    }
    *consumed = pos;
    return p->multibulklen == 0 ? RESP_DONE : RESP_MORE;
}

int resp_parse(respParser *p, const char *buf, size_t len, size_t *consumed) {
    *consumed = 0;
    if (len == 0) return RESP_MORE;
    if (p->reqtype == 0) p->reqtype = (buf[0] == '*' || !p->inline_allowed) ? 2 : 1;
    int rc;
    if (p->reqtype == 1) {
        rc = parse_inline(p, buf, len, consumed);
    } else {
        if (p->multibulklen == 0 && buf[0] != '*')
            return fail(p, "expected *", "Protocol error: expected '*', got '%c'", buf[0]);
        rc = parse_multibulk(p, buf, len, consumed);
    }
    if (rc == RESP_DONE) p->reqtype = 0;
    return rc;
}

sds resp_append_command(sds buf, sds *argv, int argc) {
    char hdr[32];
    int n = snprintf(hdr, sizeof(hdr), "*%d\r\n", argc);
    buf = sdscatlen(buf, hdr, (size_t)n);
    for (int i = 0; i < argc; i++) {
        n = snprintf(hdr, sizeof(hdr), "$%zu\r\n", sdslen(argv[i]));
        buf = sdscatlen(buf, hdr, (size_t)n);
        buf = sdscatlen(buf, argv[i], sdslen(argv[i]));
        buf = sdscatlen(buf, "\r\n", 2);
    }
    return buf;
}
