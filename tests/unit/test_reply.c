/* test_reply.c: unit tests for proto/reply.c.
 *
 * Each reply kind is encoded into a RESP2 and a RESP3 buffer and compared
 * with the exact bytes Redis 7.2 sends for it. Then the buffer mechanics:
 * error lines (code prefixing, CR/LF sanitising, the error-stats hook),
 * muting, deferred aggregate lengths set out of order in the middle of
 * other output, overflow from the 16 KB first buffer into blocks, and a
 * simulated socket that accepts a few bytes at a time through
 * reply_iov/reply_consume while new replies keep arriving. Every test
 * checks that all memory is returned. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <string.h>
#include <sys/uio.h>

#include "core/sds.h"
#include "core/zmalloc.h"
#include "proto/reply.h"

static size_t mem_at_start;
static int remember_memory(void **state) {
    mem_at_start = zmalloc_used_memory();
    return 0;
}
static int check_no_leak(void **state) {
    assert_int_equal(zmalloc_used_memory(), mem_at_start);
    return 0;
}

/* Everything pending in rb, as one string. */
static sds pending(const replyBuf *rb) {
    sds s = sdsempty();
    reply_copy_to_sds(rb, &s);
    return s;
}

static void assert_output(const replyBuf *rb, const char *want, size_t wantlen) {
    sds got = pending(rb);
    if (sdslen(got) != wantlen || memcmp(got, want, wantlen) != 0) {
        sds a = sdscatrepr(sdsempty(), got, sdslen(got)), b = sdscatrepr(sdsempty(), want, wantlen);
        fail_msg("output %s, expected %s", a, b);
    }
    assert_int_equal(reply_pending_bytes(rb), wantlen);
    sdsfree(got);
}
#define ASSERT_OUTPUT(rb, lit) assert_output((rb), (lit), sizeof(lit) - 1)

/* ------------------------------------------------- every kind, both protocols */

typedef void replyFn(replyBuf *rb);

static void r_ok(replyBuf *rb) { reply_ok(rb); }
static void r_status(replyBuf *rb) { reply_status(rb, "PONG"); }
static void r_status_len(replyBuf *rb) { reply_status_len(rb, "QUEUEDxyz", 6); }
static void r_long(replyBuf *rb) { reply_long(rb, -42); }
static void r_long_min(replyBuf *rb) { reply_long(rb, LLONG_MIN); }
static void r_bulk(replyBuf *rb) { reply_bulk(rb, "foo", 3); }
static void r_bulk_empty(replyBuf *rb) { reply_bulk(rb, "", 0); }
static void r_bulk_binary(replyBuf *rb) { reply_bulk(rb, "a\r\n\0b", 5); }
static void r_bulk_sds(replyBuf *rb) {
    sds s = sdsnew("sds!");
    reply_bulk_sds(rb, s);
    sdsfree(s);
}
static void r_bulk_cstr(replyBuf *rb) { reply_bulk_cstr(rb, "cstr"); }
static void r_bulk_cstr_null(replyBuf *rb) { reply_bulk_cstr(rb, NULL); }
static void r_bulk_ll(replyBuf *rb) { reply_bulk_ll(rb, -5); }
static void r_bulk_header(replyBuf *rb) { reply_bulk_header(rb, 1234); }
static void r_null(replyBuf *rb) { reply_null(rb); }
static void r_null_array(replyBuf *rb) { reply_null_array(rb); }
static void r_double(replyBuf *rb) { reply_double(rb, 1.5); }
static void r_double_int(replyBuf *rb) { reply_double(rb, 3.0); }
static void r_double_inf(replyBuf *rb) { reply_double(rb, -INFINITY); }
static void r_double_small(replyBuf *rb) { reply_double(rb, 1e-7); }
static void r_human(replyBuf *rb) { reply_human_long_double(rb, 10.5L); }
static void r_true(replyBuf *rb) { reply_bool(rb, 1); }
static void r_false(replyBuf *rb) { reply_bool(rb, 0); }
static void r_verbatim(replyBuf *rb) { reply_verbatim(rb, "hello", 5, "txt"); }
static void r_bignum(replyBuf *rb) { reply_bignum(rb, "1234567890123456789012", 22); }
static void r_array(replyBuf *rb) { reply_array(rb, 3); }
static void r_map(replyBuf *rb) { reply_map(rb, 2); }
static void r_set(replyBuf *rb) { reply_set(rb, 2); }
static void r_push(replyBuf *rb) { reply_push(rb, 3); }
static void r_empty_array(replyBuf *rb) { reply_empty_array(rb); }
static void r_raw(replyBuf *rb) { reply_raw(rb, "+RAW\r\n", 6); }

static const struct {
    const char *name;
    replyFn *fn;
    const char *resp2, *resp3;
} kinds[] = {
    {"ok", r_ok, "+OK\r\n", "+OK\r\n"},
    {"status", r_status, "+PONG\r\n", "+PONG\r\n"},
    {"status_len", r_status_len, "+QUEUED\r\n", "+QUEUED\r\n"},
    {"long", r_long, ":-42\r\n", ":-42\r\n"},
    {"long min", r_long_min, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
    {"bulk", r_bulk, "$3\r\nfoo\r\n", "$3\r\nfoo\r\n"},
    {"empty bulk", r_bulk_empty, "$0\r\n\r\n", "$0\r\n\r\n"},
    {"bulk_sds", r_bulk_sds, "$4\r\nsds!\r\n", "$4\r\nsds!\r\n"},
    {"bulk_cstr", r_bulk_cstr, "$4\r\ncstr\r\n", "$4\r\ncstr\r\n"},
    {"bulk_cstr NULL", r_bulk_cstr_null, "$-1\r\n", "_\r\n"},
    {"bulk_ll", r_bulk_ll, "$2\r\n-5\r\n", "$2\r\n-5\r\n"},
    {"bulk_header", r_bulk_header, "$1234\r\n", "$1234\r\n"},
    {"null", r_null, "$-1\r\n", "_\r\n"},
    {"null array", r_null_array, "*-1\r\n", "_\r\n"},
    {"double", r_double, "$3\r\n1.5\r\n", ",1.5\r\n"},
    {"integral double", r_double_int, "$1\r\n3\r\n", ",3\r\n"},
    {"infinite double", r_double_inf, "$4\r\n-inf\r\n", ",-inf\r\n"},
    {"small double", r_double_small, "$4\r\n1e-7\r\n", ",1e-7\r\n"},
    {"human long double", r_human, "$4\r\n10.5\r\n", ",10.5\r\n"},
    {"true", r_true, ":1\r\n", "#t\r\n"},
    {"false", r_false, ":0\r\n", "#f\r\n"},
    {"verbatim", r_verbatim, "$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n"},
    {"bignum", r_bignum, "$22\r\n1234567890123456789012\r\n", "(1234567890123456789012\r\n"},
    {"array", r_array, "*3\r\n", "*3\r\n"},
    {"map", r_map, "*4\r\n", "%2\r\n"},
    {"set", r_set, "*2\r\n", "~2\r\n"},
    {"push", r_push, "*3\r\n", ">3\r\n"},
    {"empty array", r_empty_array, "*0\r\n", "*0\r\n"},
    {"raw", r_raw, "+RAW\r\n", "+RAW\r\n"},
};

static void test_every_kind_in_resp2_and_resp3(void **state) {
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        for (int resp = 2; resp <= 3; resp++) {
            replyBuf rb;
            reply_init(&rb, resp);
            kinds[i].fn(&rb);
            const char *want = resp == 2 ? kinds[i].resp2 : kinds[i].resp3;
            sds got = pending(&rb);
            if (strcmp(got, want) != 0) fail_msg("%s in RESP%d: got \"%s\"", kinds[i].name, resp, got);
            sdsfree(got);
            reply_free(&rb);
        }
    }
    /* A binary bulk keeps its bytes. */
    replyBuf rb;
    reply_init(&rb, 2);
    r_bulk_binary(&rb);
    ASSERT_OUTPUT(&rb, "$5\r\na\r\n\0b\r\n");
    reply_free(&rb);
}

static void test_help_reply(void **state) {
    static const char *lines[] = {"GET <key>", "    Gets it.", NULL};
    replyBuf rb;
    reply_init(&rb, 2);
    reply_help(&rb, "THING", lines);
    ASSERT_OUTPUT(&rb, "*5\r\n"
                       "+THING <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                       "+GET <key>\r\n"
                       "+    Gets it.\r\n"
                       "+HELP\r\n"
                       "+    Print this help.\r\n");
    reply_free(&rb);
}

/* ------------------------------------------------------------------ errors */

static sds errors_seen;
static void record_error(void *owner, const char *err, size_t len) {
    assert_ptr_equal(owner, &errors_seen);
    errors_seen = sdscatlen(errors_seen, err, len);
    errors_seen = sdscat(errors_seen, "|");
}

static void test_error_lines(void **state) {
    replyBuf rb;
    reply_init(&rb, 3);
    errors_seen = sdsempty();
    rb.on_error = record_error;
    rb.owner = &errors_seen;

    reply_error(&rb, "syntax error");                       /* gets the ERR code */
    reply_error(&rb, "-WRONGTYPE Operation against a key"); /* brings its own */
    reply_error(&rb, "bad\r\ninput\nhere\r");               /* line breaks become spaces */
    reply_error_len(&rb, "cut here, not there", 8);
    reply_error(&rb, "");
    reply_errorf(&rb, "unknown command '%s', with args beginning with: ", "FOO");
    reply_errorf(&rb, "\r\ntrimmed at both ends, %d inner\nbreak\r\n", 1);
    ASSERT_OUTPUT(&rb, "-ERR syntax error\r\n"
                       "-WRONGTYPE Operation against a key\r\n"
                       "-ERR bad  input here \r\n"
                       "-ERR cut here\r\n"
                       "-ERR \r\n"
                       "-ERR unknown command 'FOO', with args beginning with: \r\n"
                       "-ERR trimmed at both ends, 1 inner break\r\n");
    /* The hook sees each full line without '-' and CRLF. */
    assert_string_equal(errors_seen,
                        "ERR syntax error|WRONGTYPE Operation against a key|ERR bad  input here |"
                        "ERR cut here|ERR |ERR unknown command 'FOO', with args beginning with: |"
                        "ERR trimmed at both ends, 1 inner break|");
    sdsfree(errors_seen);
    reply_free(&rb);
}

static void test_long_error_uses_heap(void **state) {
    char msg[2000];
    memset(msg, 'e', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    msg[1000] = '\n';
    replyBuf rb;
    reply_init(&rb, 2);
    reply_error(&rb, msg);
    sds out = pending(&rb);
    assert_int_equal(sdslen(out), 5 + 1999 + 2);
    assert_memory_equal(out, "-ERR eee", 8);
    assert_int_equal(out[5 + 1000], ' ');
    assert_memory_equal(out + sdslen(out) - 3, "e\r\n", 3);
    sdsfree(out);
    reply_free(&rb);
}

static void test_muted_buffer_drops_output_but_counts_errors(void **state) {
    replyBuf rb;
    reply_init(&rb, 2);
    errors_seen = sdsempty();
    rb.on_error = record_error;
    rb.owner = &errors_seen;
    rb.muted = 1;
    reply_ok(&rb);
    reply_bulk(&rb, "x", 1);
    reply_long(&rb, 1);
    reply_error(&rb, "still counted");
    void *h = reply_defer(&rb);
    assert_null(h);
    reply_set_array(&rb, h, 5); /* a no-op */
    assert_false(reply_pending(&rb));
    assert_int_equal(reply_pending_bytes(&rb), 0);
    assert_string_equal(errors_seen, "ERR still counted|");
    sdsfree(errors_seen);
    reply_free(&rb);
}

/* -------------------------------------------------------- deferred lengths */

static void test_deferred_lengths_in_the_middle(void **state) {
    for (int resp = 2; resp <= 3; resp++) {
        replyBuf rb;
        reply_init(&rb, resp);
        reply_status(&rb, "before");
        void *outer = reply_defer(&rb);
        reply_bulk(&rb, "k", 1);
        void *inner = reply_defer(&rb);
        reply_long(&rb, 1);
        reply_long(&rb, 2);
        reply_set_array(&rb, inner, 2); /* inner first: order of setting does not matter */
        reply_bulk(&rb, "k2", 2);
        void *set = reply_defer(&rb);
        reply_set_set(&rb, set, 0); /* set at once, while it is the tail */
        reply_set_map(&rb, outer, 2);
        reply_status(&rb, "after");
        if (resp == 2)
            ASSERT_OUTPUT(&rb, "+before\r\n*4\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n$2\r\nk2\r\n*0\r\n+after\r\n");
        else
            ASSERT_OUTPUT(&rb, "+before\r\n%2\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n$2\r\nk2\r\n~0\r\n+after\r\n");
        reply_free(&rb);
    }
}

static void test_unset_deferred_length_holds_back_output(void **state) {
    /* A writer must not send past a length that is not known yet. */
    replyBuf rb;
    reply_init(&rb, 2);
    reply_ok(&rb);
    void *h = reply_defer(&rb);
    reply_bulk(&rb, "a", 1);
    struct iovec iov[8];
    int n = reply_iov(&rb, iov, 8, SIZE_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(iov[0].iov_len, 5);
    assert_memory_equal(iov[0].iov_base, "+OK\r\n", 5);
    reply_consume(&rb, 5);
    assert_true(reply_pending(&rb));
    assert_int_equal(reply_iov(&rb, iov, 8, SIZE_MAX), 0); /* the placeholder is at the head now */
    reply_set_array(&rb, h, 1);
    n = reply_iov(&rb, iov, 8, SIZE_MAX);
    sds sent = sdsempty();
    for (int i = 0; i < n; i++) sent = sdscatlen(sent, iov[i].iov_base, iov[i].iov_len);
    assert_string_equal(sent, "*1\r\n$1\r\na\r\n");
    reply_consume(&rb, sdslen(sent));
    assert_false(reply_pending(&rb));
    assert_int_equal(rb.list_bytes, 0);
    sdsfree(sent);
    reply_free(&rb);
}

static void test_many_deferred_lengths(void **state) {
    /* 20000 deferred replies in one output (a long pipeline of them). */
    replyBuf rb;
    reply_init(&rb, 3);
    sds want = sdsempty();
    for (int i = 0; i < 20000; i++) {
        void *h = reply_defer(&rb);
        reply_long(&rb, i);
        reply_set_array(&rb, h, 1);
        want = sdscatprintf(want, "*1\r\n:%d\r\n", i);
    }
    sds got = pending(&rb);
    assert_int_equal(sdslen(got), sdslen(want));
    assert_memory_equal(got, want, sdslen(want));
    sdsfree(got);
    sdsfree(want);
    reply_free(&rb);
}

/* ------------------------------------------------ buffer overflow, writing */

static void test_overflow_into_blocks(void **state) {
    replyBuf rb;
    reply_init(&rb, 2);
    sds want = sdsempty();
    char payload[1000];
    for (int i = 0; i < 40; i++) { /* ~40 KB: the 16 KB buffer, then blocks */
        memset(payload, 'a' + i % 26, sizeof(payload));
        reply_bulk(&rb, payload, sizeof(payload));
        want = sdscatprintf(want, "$1000\r\n%.*s\r\n", 1000, payload);
    }
    assert_int_equal(rb.bufpos, REPLY_BUF_SIZE); /* filled to the last byte */
    assert_non_null(rb.head);
    assert_true(rb.list_bytes >= sdslen(want) - REPLY_BUF_SIZE);
    /* One reply bigger than a block gets a block of its own size. */
    sds big = sdsgrowzero(sdsempty(), 3 * REPLY_BLOCK_SIZE);
    memset(big, 'z', sdslen(big));
    reply_bulk_sds(&rb, big);
    want = sdscatprintf(want, "$%zu\r\n", sdslen(big));
    want = sdscatsds(want, big);
    want = sdscat(want, "\r\n");
    sds got = pending(&rb);
    assert_int_equal(sdslen(got), sdslen(want));
    assert_memory_equal(got, want, sdslen(want));
    sdsfree(got);
    sdsfree(big);
    reply_clear(&rb);
    assert_false(reply_pending(&rb));
    assert_int_equal(rb.list_bytes, 0);
    assert_null(rb.head);
    sdsfree(want);
    reply_free(&rb);
}

/* Writes like a socket that takes at most `take` bytes per call. Returns
 * the bytes "sent". */
static size_t slow_write(replyBuf *rb, size_t take, sds *wire) {
    struct iovec iov[4];
    int n = reply_iov(rb, iov, 4, SIZE_MAX);
    size_t sent = 0;
    for (int i = 0; i < n && sent < take; i++) {
        size_t part = iov[i].iov_len < take - sent ? iov[i].iov_len : take - sent;
        *wire = sdscatlen(*wire, iov[i].iov_base, part);
        sent += part;
    }
    reply_consume(rb, sent);
    return sent;
}

static void test_partial_writes_with_new_output_arriving(void **state) {
    static const size_t takes[] = {1, 7, 100, 4096, 16385, 70000};
    for (size_t t = 0; t < sizeof(takes) / sizeof(takes[0]); t++) {
        replyBuf rb;
        reply_init(&rb, 2);
        sds want = sdsempty(), wire = sdsempty();
        char payload[700];
        int produced = 0;
        /* Interleave: produce some replies, write a little, repeat. */
        for (int round = 0; round < 400; round++) {
            for (int j = 0; j < 3 && produced < 600; j++, produced++) {
                memset(payload, 'A' + produced % 26, sizeof(payload));
                size_t len = (size_t)(produced * 37) % sizeof(payload);
                void *h = (produced % 5 == 0) ? reply_defer(&rb) : NULL;
                reply_bulk(&rb, payload, len);
                if (h) reply_set_array(&rb, h, 1);
                if (h) want = sdscat(want, "*1\r\n");
                want = sdscatprintf(want, "$%zu\r\n", len);
                want = sdscatlen(want, payload, len);
                want = sdscat(want, "\r\n");
            }
            slow_write(&rb, takes[t], &wire);
        }
        while (reply_pending(&rb)) assert_true(slow_write(&rb, takes[t], &wire) > 0);
        assert_int_equal(sdslen(wire), sdslen(want));
        assert_memory_equal(wire, want, sdslen(want));
        /* All blocks were freed as they were written out. */
        assert_null(rb.head);
        assert_null(rb.tail);
        assert_int_equal(rb.list_bytes, 0);
        assert_int_equal(rb.bufpos, 0);
        assert_int_equal(rb.sentlen, 0);
        sdsfree(want);
        sdsfree(wire);
        reply_free(&rb);
    }
}

static void test_iov_limits(void **state) {
    replyBuf rb;
    reply_init(&rb, 2);
    char payload[REPLY_BLOCK_SIZE];
    memset(payload, 'p', sizeof(payload));
    for (int i = 0; i < 6; i++) reply_raw(&rb, payload, sizeof(payload)); /* the buffer, then blocks */
    struct iovec iov[16];
    assert_int_equal(reply_iov(&rb, iov, 3, SIZE_MAX), 3); /* at most n entries */
    /* max_bytes: stop adding entries once that much is gathered. */
    int n = reply_iov(&rb, iov, 16, 2 * REPLY_BUF_SIZE);
    size_t total = 0;
    for (int i = 0; i < n; i++) total += iov[i].iov_len;
    assert_true(total >= 2 * REPLY_BUF_SIZE);
    assert_true(n < 6);
    /* After a partial write the first entry starts mid-buffer. */
    reply_consume(&rb, 10);
    reply_iov(&rb, iov, 16, SIZE_MAX);
    assert_ptr_equal(iov[0].iov_base, rb.buf + 10);
    assert_int_equal(iov[0].iov_len, REPLY_BUF_SIZE - 10);
    assert_int_equal(reply_pending_bytes(&rb), 6 * sizeof(payload) - 10);
    reply_free(&rb);
}

#define T(f) cmocka_unit_test_setup_teardown(f, remember_memory, check_no_leak)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_every_kind_in_resp2_and_resp3),
        T(test_help_reply),
        T(test_error_lines),
        T(test_long_error_uses_heap),
        T(test_muted_buffer_drops_output_but_counts_errors),
        T(test_deferred_lengths_in_the_middle),
        T(test_unset_deferred_length_holds_back_output),
        T(test_many_deferred_lengths),
        T(test_overflow_into_blocks),
        T(test_partial_writes_with_new_output_arriving),
        T(test_iov_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
