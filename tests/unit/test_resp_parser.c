/* test_resp_parser.c: unit tests for proto/resp_parser.c.
 *
 * A small driver plays the client's query buffer: bytes are appended as
 * they "arrive", resp_parse is called until it wants more, consumed bytes
 * are dropped from the front, and every completed command is rendered as
 * its quoted arguments ("SET" "k" "v", or (empty) for a skipped one) so a
 * test states the exact outcome in one string. Streams mixing multibulk,
 * inline, empty lines, *0 and *-1 are parsed whole, split at every byte
 * boundary, and one byte at a time, and must always give the same
 * commands. Every protocol error is checked with its exact reply text and
 * log reason, the limits at their boundaries, and big (>= 32 KB) bulks are
 * checked to stream into their own buffer as they arrive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/sds.h"
#include "core/zmalloc.h"
#include "proto/resp_parser.h"

/* ---------------------------------------------------------------- driver */

typedef struct {
    respParser p;
    sds qbuf;        /* bytes received and not yet consumed */
    sds commands;    /* rendered commands, one per line */
    int rc;          /* the last resp_parse result */
    size_t max_qbuf; /* the most the query buffer ever held */
} conn;

static void conn_init(conn *c) {
    resp_parser_init(&c->p);
    c->qbuf = sdsempty();
    c->commands = sdsempty();
    c->rc = RESP_MORE;
    c->max_qbuf = 0;
}

static void conn_free(conn *c) {
    resp_parser_free(&c->p);
    sdsfree(c->qbuf);
    sdsfree(c->commands);
}

/* Appends n bytes and parses until the parser wants more or fails. */
static void conn_feed(conn *c, const char *data, size_t n) {
    if (c->rc == RESP_ERROR) return;
    c->qbuf = sdscatlen(c->qbuf, data, n);
    if (sdslen(c->qbuf) > c->max_qbuf) c->max_qbuf = sdslen(c->qbuf);
    while (sdslen(c->qbuf) > 0) {
        size_t consumed = 0;
        c->rc = resp_parse(&c->p, c->qbuf, sdslen(c->qbuf), &consumed);
        assert_true(consumed <= sdslen(c->qbuf));
        sdsrange(c->qbuf, (ssize_t)consumed, -1);
        if (c->rc == RESP_ERROR) return;
        if (c->rc == RESP_MORE) return;
        int argc;
        sds *argv = resp_parser_take(&c->p, &argc);
        if (argc == 0) c->commands = sdscat(c->commands, "(empty)");
        for (int i = 0; i < argc; i++) {
            if (i) c->commands = sdscat(c->commands, " ");
            c->commands = sdscatrepr(c->commands, argv[i], sdslen(argv[i]));
            sdsfree(argv[i]);
        }
        zfree(argv);
        c->commands = sdscat(c->commands, "\n");
    }
}

/* Parses `in` delivered as pieces cut at the given offsets. */
static void parse_cut(conn *c, const char *in, size_t len, const size_t *cuts, int ncuts) {
    size_t from = 0;
    for (int i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        conn_feed(c, in + from, to - from);
        from = to;
    }
}

/* Runs a whole input on a fresh connection and returns what was parsed. */
static sds parse_whole(const char *in, size_t len, int *rc) {
    conn c;
    conn_init(&c);
    conn_feed(&c, in, len);
    sds out = sdsdup(c.commands);
    if (rc) *rc = c.rc;
    conn_free(&c);
    return out;
}

/* ------------------------------------------------------------- multibulk */

static void test_multibulk_command(void **state) {
    const char *in = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    respParser p;
    resp_parser_init(&p);
    size_t consumed;
    assert_int_equal(resp_parse(&p, in, strlen(in), &consumed), RESP_DONE);
    assert_int_equal(consumed, strlen(in));
    assert_int_equal(p.argc, 3);
    assert_string_equal(p.argv[0], "SET");
    assert_string_equal(p.argv[1], "key");
    assert_string_equal(p.argv[2], "value");
    assert_false(resp_parser_busy(&p));
    int argc;
    sds *argv = resp_parser_take(&p, &argc);
    assert_int_equal(argc, 3);
    assert_int_equal(p.argc, 0);
    for (int i = 0; i < argc; i++) sdsfree(argv[i]);
    zfree(argv);
    resp_parser_free(&p);
}

static void test_multibulk_is_binary_safe(void **state) {
    static const char in[] = "*2\r\n$4\r\n\r\n\0x\r\n$0\r\n\r\n";
    int rc;
    sds out = parse_whole(in, sizeof(in) - 1, &rc);
    assert_int_equal(rc, RESP_DONE);
    assert_string_equal(out, "\"\\r\\n\\x00x\" \"\"\n");
    sdsfree(out);
}

static void test_partial_command_waits(void **state) {
    conn c;
    conn_init(&c);
    conn_feed(&c, "*2\r\n$3\r\nGET\r\n$3\r\nk", 18);
    assert_int_equal(c.rc, RESP_MORE);
    assert_true(resp_parser_busy(&c.p));
    assert_string_equal(c.commands, "");
    /* Parsed arguments were consumed; the incomplete one waits in qbuf. */
    assert_int_equal(c.p.argc, 1);
    assert_string_equal(c.qbuf, "k");
    assert_int_equal(resp_parser_pending_bulk(&c.p), 5); /* the whole bulk and its CRLF, "k" included */
    conn_feed(&c, "ey\r\n", 4);
    assert_int_equal(c.rc, RESP_DONE);
    assert_string_equal(c.commands, "\"GET\" \"key\"\n");
    assert_int_equal(sdslen(c.qbuf), 0);
    conn_free(&c);
}

static void test_zero_and_negative_counts_are_empty_commands(void **state) {
    const char *in = "*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n";
    int rc;
    sds out = parse_whole(in, strlen(in), &rc);
    assert_string_equal(out, "(empty)\n(empty)\n\"PING\"\n");
    sdsfree(out);

    respParser p;
    resp_parser_init(&p);
    size_t consumed;
    assert_int_equal(resp_parse(&p, "*0\r\nrest", 8, &consumed), RESP_DONE);
    assert_int_equal(consumed, 4);
    assert_int_equal(p.argc, 0);
    assert_int_equal(resp_parse(&p, "*-1\r\n", 5, &consumed), RESP_DONE);
    assert_int_equal(consumed, 5);
    resp_parser_free(&p);
}

static void test_many_arguments(void **state) {
    /* More than the initial argv allocation (1024). */
    sds in = sdscatprintf(sdsempty(), "*3000\r\n");
    for (int i = 0; i < 3000; i++)
        in = sdscatprintf(in, "$%d\r\n%d\r\n", i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4, i);
    respParser p;
    resp_parser_init(&p);
    size_t consumed;
    assert_int_equal(resp_parse(&p, in, sdslen(in), &consumed), RESP_DONE);
    assert_int_equal(consumed, sdslen(in));
    assert_int_equal(p.argc, 3000);
    assert_string_equal(p.argv[0], "0");
    assert_string_equal(p.argv[2999], "2999");
    resp_parser_free(&p);
    sdsfree(in);
}

/* ---------------------------------------------------------------- inline */

static void test_inline_commands(void **state) {
    const char *in = "SET key value\r\n"
                     "PING\n"                          /* a bare LF ends a line too */
                     "SET \"a b\" 'c d' \"\\x41\"\r\n" /* redis.conf-style quoting */
                     "  spaced   out  \r\n";
    int rc;
    sds out = parse_whole(in, strlen(in), &rc);
    assert_int_equal(rc, RESP_DONE);
    assert_string_equal(out, "\"SET\" \"key\" \"value\"\n"
                             "\"PING\"\n"
                             "\"SET\" \"a b\" \"c d\" \"A\"\n"
                             "\"spaced\" \"out\"\n");
    sdsfree(out);
}

static void test_empty_lines_are_empty_commands(void **state) {
    const char *in = "\r\n\n   \r\n*1\r\n$4\r\nPING\r\n\r\n";
    int rc;
    sds out = parse_whole(in, strlen(in), &rc);
    assert_string_equal(out, "(empty)\n(empty)\n(empty)\n\"PING\"\n(empty)\n");
    sdsfree(out);
}

static void test_inline_waits_for_newline(void **state) {
    conn c;
    conn_init(&c);
    conn_feed(&c, "GET ke", 6);
    assert_int_equal(c.rc, RESP_MORE);
    assert_true(resp_parser_busy(&c.p));
    conn_feed(&c, "y\r", 2);
    assert_int_equal(c.rc, RESP_MORE);
    conn_feed(&c, "\n", 1);
    assert_string_equal(c.commands, "\"GET\" \"key\"\n");
    conn_free(&c);
}

/* ------------------------------------------------ splitting at every byte */

static const char stream[] = "*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$10\r\nab\r\ncd\0efg\r\n"
                             "PING\r\n"
                             "*0\r\n"
                             "\r\n"
                             "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
                             "echo \"quoted \\\"arg\\\"\"\n"
                             "*-1\r\n"
                             "*1\r\n$4\r\nQUIT\r\n";
static const char stream_commands[] = "\"SET\" \"k1\" \"ab\\r\\ncd\\x00efg\"\n"
                                      "\"PING\"\n"
                                      "(empty)\n"
                                      "(empty)\n"
                                      "\"ECHO\" \"\"\n"
                                      "\"echo\" \"quoted \\\"arg\\\"\"\n"
                                      "(empty)\n"
                                      "\"QUIT\"\n";

static void test_stream_whole(void **state) {
    int rc;
    sds out = parse_whole(stream, sizeof(stream) - 1, &rc);
    assert_int_equal(rc, RESP_DONE);
    assert_string_equal(out, stream_commands);
    sdsfree(out);
}

static void test_stream_split_at_every_boundary(void **state) {
    size_t len = sizeof(stream) - 1;
    for (size_t cut = 1; cut < len; cut++) {
        conn c;
        conn_init(&c);
        parse_cut(&c, stream, len, &cut, 1);
        if (strcmp(c.commands, stream_commands) != 0) fail_msg("split at %zu gave:\n%s", cut, c.commands);
        assert_int_equal(sdslen(c.qbuf), 0);
        assert_false(resp_parser_busy(&c.p));
        conn_free(&c);
    }
    /* And at every pair of boundaries. */
    for (size_t a = 1; a < len; a++) {
        for (size_t b = a + 1; b < len; b++) {
            size_t cuts[2] = {a, b};
            conn c;
            conn_init(&c);
            parse_cut(&c, stream, len, cuts, 2);
            if (strcmp(c.commands, stream_commands) != 0)
                fail_msg("split at %zu,%zu gave:\n%s", a, b, c.commands);
            conn_free(&c);
        }
    }
}

static void test_stream_one_byte_at_a_time(void **state) {
    conn c;
    conn_init(&c);
    for (size_t i = 0; i < sizeof(stream) - 1; i++) conn_feed(&c, stream + i, 1);
    assert_string_equal(c.commands, stream_commands);
    assert_int_equal(sdslen(c.qbuf), 0);
    conn_free(&c);
}

/* ------------------------------------------------------------ big bulks */

static void test_big_bulk_streams_into_its_own_buffer(void **state) {
    const size_t big = 100000;
    sds in = sdscatprintf(sdsempty(), "*2\r\n$3\r\nSET\r\n$%zu\r\n", big);
    size_t header = sdslen(in);
    for (size_t i = 0; i < big; i++) in = sdscatlen(in, &"0123456789"[i % 10], 1);
    in = sdscat(in, "\r\n*1\r\n$4\r\nPING\r\n");

    conn c;
    conn_init(&c);
    conn_feed(&c, in, header);
    assert_int_equal(c.rc, RESP_MORE);
    assert_non_null(c.p.bigarg); /* allocated on the header, for the whole bulk */
    assert_true(sdsalloc(c.p.bigarg) >= big + 2);
    assert_int_equal(resp_parser_pending_bulk(&c.p), big + 2);
    size_t pos = header, last_pending = big + 2;
    while (c.rc == RESP_MORE && pos < sdslen(in)) {
        size_t n = sdslen(in) - pos < 1000 ? sdslen(in) - pos : 1000;
        conn_feed(&c, in + pos, n);
        pos += n;
        if (c.rc == RESP_MORE && c.p.bigarg) {
            /* Every byte was taken: the query buffer never holds the bulk. */
            assert_int_equal(sdslen(c.qbuf), 0);
            assert_true(resp_parser_pending_bulk(&c.p) < last_pending);
            last_pending = resp_parser_pending_bulk(&c.p);
        }
    }
    assert_true(c.max_qbuf <= header + 1000);
    /* The tail of the last chunk held the next command: it was parsed too. */
    if (pos < sdslen(in)) conn_feed(&c, in + pos, sdslen(in) - pos);
    assert_int_equal(c.rc, RESP_DONE);
    const char *nl = strchr(c.commands, '\n');
    assert_non_null(nl);
    assert_string_equal(nl + 1, "\"PING\"\n");
    /* "SET" "<100000 digits>"\n then "PING"\n */
    assert_int_equal(sdslen(c.commands), 5 + 1 + 1 + big + 1 + 1 + 7);
    assert_memory_equal(c.commands, "\"SET\" \"0123456789", 17);
    conn_free(&c);
    sdsfree(in);
}

static void test_big_bulk_threshold(void **state) {
    /* One byte below RESP_BIG_ARG the bulk is copied from the query
     * buffer; at RESP_BIG_ARG it gets its own. */
    for (size_t len = RESP_BIG_ARG - 1; len <= RESP_BIG_ARG; len++) {
        sds in = sdscatprintf(sdsempty(), "*1\r\n$%zu\r\n", len);
        size_t header = sdslen(in);
        respParser p;
        resp_parser_init(&p);
        size_t consumed;
        assert_int_equal(resp_parse(&p, in, header, &consumed), RESP_MORE);
        assert_int_equal(consumed, header);
        if (len < RESP_BIG_ARG)
            assert_null(p.bigarg);
        else
            assert_non_null(p.bigarg);
        sds body = sdsgrowzero(sdsempty(), len);
        memset(body, 'x', len);
        body = sdscat(body, "\r\n");
        assert_int_equal(resp_parse(&p, body, sdslen(body), &consumed), RESP_DONE);
        assert_int_equal(consumed, len + 2);
        assert_int_equal(p.argc, 1);
        assert_int_equal(sdslen(p.argv[0]), len);
        assert_int_equal(p.argv[0][len - 1], 'x');
        assert_int_equal(p.argv_bytes, len);
        resp_parser_free(&p);
        sdsfree(body);
        sdsfree(in);
    }
}

/* ----------------------------------------------------------------- errors */

typedef struct {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *reply;
    const char *kind;
} errorCase;

static void expect_error(conn *c, const char *reply, const char *kind) {
    assert_int_equal(c->rc, RESP_ERROR);
    assert_string_equal(c->p.err, reply);
    assert_string_equal(c->p.err_kind, kind);
}

static void test_protocol_errors(void **state) {
    static const errorCase cases[] = {
        {"unbalanced quotes", "SET \"foo bar\r\n", 0, "Protocol error: unbalanced quotes in request",
         "unbalanced quotes in inline request"},
        {"quote glued to text", "SET 'a'b\r\n", 0, "Protocol error: unbalanced quotes in request",
         "unbalanced quotes in inline request"},
        {"count not a number", "*abc\r\n", 0, "Protocol error: invalid multibulk length",
         "invalid mbulk count"},
        {"count with a sign", "*+1\r\n", 0, "Protocol error: invalid multibulk length",
         "invalid mbulk count"},
        {"count above INT_MAX", "*2147483648\r\n", 0, "Protocol error: invalid multibulk length",
         "invalid mbulk count"},
        {"empty count", "*\r\n", 0, "Protocol error: invalid multibulk length", "invalid mbulk count"},
        {"not a bulk", "*1\r\nx3\r\nfoo\r\n", 0, "Protocol error: expected '$', got 'x'",
         "expected $ but got something else"},
        {"inline inside multibulk", "*2\r\n$3\r\nGET\r\nkey\r\n", 0, "Protocol error: expected '$', got 'k'",
         "expected $ but got something else"},
        {"bulk length not a number", "*1\r\n$abc\r\n", 0, "Protocol error: invalid bulk length",
         "invalid bulk length"},
        {"negative bulk length", "*1\r\n$-1\r\n", 0, "Protocol error: invalid bulk length",
         "invalid bulk length"},
        {"bulk above proto-max-bulk-len", "*1\r\n$536870913\r\n", 0, "Protocol error: invalid bulk length",
         "invalid bulk length"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        conn c;
        conn_init(&c);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        conn_feed(&c, cases[i].in, len);
        if (c.rc != RESP_ERROR) fail_msg("%s: no error", cases[i].name);
        expect_error(&c, cases[i].reply, cases[i].kind);
        conn_free(&c);
    }
}

static void test_too_big_inline_request(void **state) {
    /* 64 KB without a newline is still acceptable; one byte more is not. */
    char *line = malloc(RESP_INLINE_MAX + 1);
    memset(line, 'a', RESP_INLINE_MAX + 1);
    conn c;
    conn_init(&c);
    conn_feed(&c, line, RESP_INLINE_MAX);
    assert_int_equal(c.rc, RESP_MORE);
    conn_feed(&c, line, 1);
    expect_error(&c, "Protocol error: too big inline request", "too big inline request");
    conn_free(&c);
    /* The limit applies only while no newline has arrived: a longer line
     * that comes with its newline is accepted. */
    conn_init(&c);
    sds ok = sdscatlen(sdsnewlen(line, RESP_INLINE_MAX + 1), "\r\n", 2);
    conn_feed(&c, ok, sdslen(ok));
    assert_int_equal(c.rc, RESP_DONE);
    assert_int_equal(sdslen(c.commands), 1 + RESP_INLINE_MAX + 1 + 1 + 1); /* quoted, newline */
    sdsfree(ok);
    conn_free(&c);
    free(line);
}

static void test_too_big_count_strings(void **state) {
    char *digits = malloc(RESP_INLINE_MAX + 2);
    memset(digits, '1', RESP_INLINE_MAX + 2);
    conn c;
    conn_init(&c);
    conn_feed(&c, "*", 1);
    conn_feed(&c, digits, RESP_INLINE_MAX - 1);
    assert_int_equal(c.rc, RESP_MORE); /* exactly 64 KB so far, the '*' included */
    conn_feed(&c, digits, 1);
    expect_error(&c, "Protocol error: too big mbulk count string", "too big mbulk count string");
    conn_free(&c);

    conn_init(&c);
    conn_feed(&c, "*1\r\n$", 5);
    conn_feed(&c, digits, RESP_INLINE_MAX - 1);
    assert_int_equal(c.rc, RESP_MORE); /* "$" and 64 KB - 1 digits */
    conn_feed(&c, digits, 1);
    expect_error(&c, "Protocol error: too big bulk count string", "too big bulk count string");
    conn_free(&c);
    free(digits);
}

static void test_limits_are_fields(void **state) {
    /* proto-max-bulk-len */
    conn c;
    conn_init(&c);
    c.p.max_bulk_len = 100;
    conn_feed(&c, "*1\r\n$100\r\n", 10);
    assert_int_equal(c.rc, RESP_MORE);
    conn_free(&c);
    conn_init(&c);
    c.p.max_bulk_len = 100;
    conn_feed(&c, "*1\r\n$101\r\n", 10);
    expect_error(&c, "Protocol error: invalid bulk length", "invalid bulk length");
    conn_free(&c);
    /* No limit at all (the master link). */
    conn_init(&c);
    c.p.max_bulk_len = -1;
    conn_feed(&c, "*1\r\n$101\r\n", 10);
    assert_int_equal(c.rc, RESP_MORE);
    conn_free(&c);
    /* Largest argument count */
    conn_init(&c);
    c.p.max_multibulk = 3;
    conn_feed(&c, "*4\r\n", 4);
    expect_error(&c, "Protocol error: invalid multibulk length", "invalid mbulk count");
    conn_free(&c);
}

static void test_unauthenticated_limits(void **state) {
    conn c;
    conn_init(&c);
    c.p.unauthenticated = 1;
    conn_feed(&c, "*10\r\n", 5);
    assert_int_equal(c.rc, RESP_MORE);
    conn_free(&c);

    conn_init(&c);
    c.p.unauthenticated = 1;
    conn_feed(&c, "*11\r\n", 5);
    expect_error(&c, "Protocol error: unauthenticated multibulk length", "unauth mbulk count");
    conn_free(&c);

    conn_init(&c);
    c.p.unauthenticated = 1;
    conn_feed(&c, "*1\r\n$16384\r\n", 12);
    assert_int_equal(c.rc, RESP_MORE);
    conn_free(&c);

    conn_init(&c);
    c.p.unauthenticated = 1;
    conn_feed(&c, "*1\r\n$16385\r\n", 12);
    expect_error(&c, "Protocol error: unauthenticated bulk length", "unauth bulk length");
    conn_free(&c);

    /* Authenticated: both pass. */
    conn_init(&c);
    conn_feed(&c, "*11\r\n$16385\r\n", 13);
    assert_int_equal(c.rc, RESP_MORE);
    conn_free(&c);
}

static void test_inline_refused_when_not_allowed(void **state) {
    /* AOF files hold multibulk only. */
    conn c;
    conn_init(&c);
    c.p.inline_allowed = 0;
    conn_feed(&c, "PING\r\n", 6);
    expect_error(&c, "Protocol error: expected '*', got 'P'", "expected *");
    conn_free(&c);

    conn_init(&c);
    c.p.inline_allowed = 0;
    conn_feed(&c, "*1\r\n$4\r\nPING\r\n", 14);
    assert_string_equal(c.commands, "\"PING\"\n");
    conn_free(&c);
}

/* -------------------------------------------------------- reset and reuse */

static void test_reset_drops_partial_command(void **state) {
    size_t before = zmalloc_used_memory();
    respParser p;
    resp_parser_init(&p);
    size_t consumed;
    sds big = sdscatprintf(sdsempty(), "*3\r\n$1\r\na\r\n$%d\r\n", RESP_BIG_ARG * 2);
    big = sdsgrowzero(big, sdslen(big) + 100);
    assert_int_equal(resp_parse(&p, big, sdslen(big), &consumed), RESP_MORE);
    assert_int_equal(p.argc, 1);
    assert_non_null(p.bigarg);
    assert_true(resp_parser_busy(&p));
    resp_parser_reset(&p);
    assert_false(resp_parser_busy(&p));
    assert_int_equal(p.argc, 0);
    assert_null(p.bigarg);
    assert_int_equal(resp_parser_pending_bulk(&p), 0);
    /* Ready for a fresh command. */
    assert_int_equal(resp_parse(&p, "*1\r\n$4\r\nPING\r\n", 14, &consumed), RESP_DONE);
    assert_string_equal(p.argv[0], "PING");
    resp_parser_free(&p);
    sdsfree(big);
    assert_int_equal(zmalloc_used_memory(), before);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multibulk_command),
        cmocka_unit_test(test_multibulk_is_binary_safe),
        cmocka_unit_test(test_partial_command_waits),
        cmocka_unit_test(test_zero_and_negative_counts_are_empty_commands),
        cmocka_unit_test(test_many_arguments),
        cmocka_unit_test(test_inline_commands),
        cmocka_unit_test(test_empty_lines_are_empty_commands),
        cmocka_unit_test(test_inline_waits_for_newline),
        cmocka_unit_test(test_stream_whole),
        cmocka_unit_test(test_stream_split_at_every_boundary),
        cmocka_unit_test(test_stream_one_byte_at_a_time),
        cmocka_unit_test(test_big_bulk_streams_into_its_own_buffer),
        cmocka_unit_test(test_big_bulk_threshold),
        cmocka_unit_test(test_protocol_errors),
        cmocka_unit_test(test_too_big_inline_request),
        cmocka_unit_test(test_too_big_count_strings),
        cmocka_unit_test(test_limits_are_fields),
        cmocka_unit_test(test_unauthenticated_limits),
        cmocka_unit_test(test_inline_refused_when_not_allowed),
        cmocka_unit_test(test_reset_drops_partial_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
