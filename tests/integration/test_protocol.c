/* test_protocol.c: the request protocol as Redis's protocol.tcl exercises
 * it: empty and negative multibulk counts, every malformed header with its
 * exact "Protocol error" text and the close that follows, inline commands
 * with quoting and binary escapes, binary-safe bulk arguments, big
 * arguments, protocol desync (no terminator ever), and the HTTP lines
 * ("POST", "Host:") that close the connection without a reply. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

/* Sends req on a fresh connection; returns what came back within ms. */
static char *exchange(const char *req, size_t len, int ms) {
    int fd = raw_connect(srv.port);
    assert_true(fd >= 0);
    raw_send(fd, req, len);
    char *buf = malloc(4096);
    raw_read_all(fd, buf, 4096, ms);
    close(fd);
    return buf;
}

/* A protocol error: exactly this reply, then the server closes. */
static void expect_protocol_error(const char *req, size_t len, const char *reply) {
    int fd = raw_connect(srv.port);
    raw_send(fd, req, len);
    char buf[512];
    ssize_t n = raw_read(fd, buf, strlen(reply), 2000);
    buf[n < 0 ? 0 : n] = '\0';
    assert_string_equal(buf, reply);
    assert_true(raw_closed(fd, 2000));
    close(fd);
}

#define S(lit) lit, sizeof(lit) - 1

static void test_empty_query_and_negative_counts_are_skipped(void **state) {
    char *r = exchange(S("\r\n*-10\r\n*0\r\nPING\r\n"), 300);
    assert_string_equal(r, "+PONG\r\n");
    free(r);
}

static void test_malformed_headers(void **state) {
    expect_protocol_error(S("*3000000000\r\n"), "-ERR Protocol error: invalid multibulk length\r\n");
    expect_protocol_error(S("*abc\r\n"), "-ERR Protocol error: invalid multibulk length\r\n");
    expect_protocol_error(S("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"),
                          "-ERR Protocol error: expected '$', got 'f'\r\n");
    expect_protocol_error(S("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"),
                          "-ERR Protocol error: invalid bulk length\r\n");
    expect_protocol_error(S("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n"),
                          "-ERR Protocol error: invalid bulk length\r\n");
    expect_protocol_error(S("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"),
                          "-ERR Protocol error: invalid bulk length\r\n");
    expect_protocol_error(S("*1\r\n$12abc\r\n"), "-ERR Protocol error: invalid bulk length\r\n");
    expect_protocol_error(S("*1\r\n$99999999999999999999\r\n"),
                          "-ERR Protocol error: invalid bulk length\r\n");
    expect_protocol_error(S("*1\r\nfoo\r\n"), "-ERR Protocol error: expected '$', got 'f'\r\n");
    expect_protocol_error(S("set \"\"\"test-key\"\"\" test-value\r\nping\r\n"),
                          "-ERR Protocol error: unbalanced quotes in request\r\n");
}

static void test_commands_before_an_error_still_run(void **state) {
    expect_protocol_error(S("PING\r\n*1\r\n$x\r\n"), "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
}

/* Bytes that never end a line: the server must give up after 64 KB. */
static void desync(const char *prefix, const char *reply) {
    int fd = raw_connect(srv.port);
    raw_send(fd, prefix, strlen(prefix) + (prefix[0] == '\0'));
    char chunk[1024];
    memset(chunk, 'A', sizeof(chunk));
    for (int i = 0; i < 80; i++)
        if (raw_send(fd, chunk, sizeof(chunk)) == -1) break;
    char buf[256];
    raw_read_all(fd, buf, sizeof(buf), 2000);
    assert_string_equal(buf, reply);
    assert_true(raw_closed(fd, 2000));
    close(fd);
}

static void test_protocol_desync(void **state) {
    desync("", "-ERR Protocol error: too big inline request\r\n"); /* a NUL byte, then no newline */
    desync("*", "-ERR Protocol error: too big mbulk count string\r\n");
    desync("*1\r\n$", "-ERR Protocol error: too big bulk count string\r\n");
    desync("GET ", "-ERR Protocol error: too big inline request\r\n");
}

static void test_inline_commands(void **state) {
    redisContext *c = ts_connect(&srv);
    char *r = exchange(S("SET \"inline key\" 'single quoted'\r\nGET \"inline key\"\r\n"), 300);
    assert_string_equal(r, "+OK\r\n$13\r\nsingle quoted\r\n");
    free(r);
    /* Escapes give binary values, \n alone ends a line too. */
    r = exchange(S("SET bin \"a\\x00b\\r\\n\"\nSTRLEN bin\n"), 300);
    assert_string_equal(r, "+OK\r\n:5\r\n");
    free(r);
    expect_bulk_len(cmd(c, "GET bin"), "a\0b\r\n", 5);
    /* Inline and multibulk mixed in one pipeline. */
    r = exchange(S("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO x\r\n"), 300);
    assert_string_equal(r, "+PONG\r\n$2\r\nhi\r\n$1\r\nx\r\n");
    free(r);
    redisFree(c);
}

static void test_binary_safe_arguments(void **state) {
    redisContext *c = ts_connect(&srv);
    const char key[] = "k\r\n\0ey", val[] = "\0\r\n$3\r\n*1\r\n";
    const char *argv[] = {"SET", key, val};
    size_t lens[] = {3, sizeof(key) - 1, sizeof(val) - 1};
    expect_status(cmdargv(c, 3, argv, lens), "OK");
    const char *get[] = {"GET", key};
    size_t glens[] = {3, sizeof(key) - 1};
    expect_bulk_len(cmdargv(c, 2, get, glens), val, sizeof(val) - 1);
    /* A zero-length argument. */
    expect_status(cmd(c, "SET %b %b", "", (size_t)0, "", (size_t)0), "OK");
    expect_bulk_len(cmd(c, "GET %b", "", (size_t)0), "", 0);
    redisFree(c);
}

static void test_big_arguments_and_splits(void **state) {
    redisContext *c = ts_connect(&srv);
    size_t len = 5 * 1024 * 1024 + 7;
    char *big = malloc(len);
    for (size_t i = 0; i < len; i++) big[i] = (char)(i * 31);
    expect_status(cmd(c, "SET big %b", big, len), "OK");
    redisReply *r = cmd(c, "GET big");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_int_equal(r->len, len);
    assert_memory_equal(r->str, big, len);
    freeReplyObject(r);
    free(big);
    /* A command arriving one byte at a time. */
    int fd = raw_connect(srv.port);
    const char *req = "*3\r\n$3\r\nSET\r\n$5\r\nslow1\r\n$2\r\nok\r\n";
    for (size_t i = 0; i < strlen(req); i++) raw_send(fd, req + i, 1);
    char buf[16];
    assert_int_equal(raw_read(fd, buf, 5, 2000), 5);
    assert_memory_equal(buf, "+OK\r\n", 5);
    close(fd);
    expect_bulk(cmd(c, "GET slow1"), "ok");
    redisFree(c);
}

static void test_many_pipelined_commands(void **state) {
    int fd = raw_connect(srv.port);
    size_t n = 20000, cap = n * 32;
    char *req = malloc(cap);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) used += (size_t)snprintf(req + used, cap - used, "INCR pipelined\r\n");
    raw_send(fd, req, used);
    char *buf = malloc(n * 16);
    size_t want = 0;
    for (size_t i = 1; i <= n; i++) want += (size_t)snprintf(req, 32, ":%zu\r\n", i);
    assert_int_equal(raw_read(fd, buf, want, 10000), (ssize_t)want);
    assert_memory_equal(buf + want - 8, ":20000\r\n", 8);
    free(buf);
    free(req);
    close(fd);
}

static void test_http_requests_are_dropped(void **state) {
    int fd = raw_connect(srv.port);
    const char *post = "POST / HTTP/1.1\r\nHost: example.com\r\n\r\nSET pwned 1\r\n";
    raw_send(fd, post, strlen(post));
    assert_true(raw_closed(fd, 2000));
    close(fd);
    fd = raw_connect(srv.port);
    raw_send(fd, S("Host: x\r\nSET pwned 1\r\n"));
    assert_true(raw_closed(fd, 2000));
    close(fd);
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "EXISTS pwned"), 0);
    redisFree(c);
}

static void test_resp3_replies_differ_where_redis_says(void **state) {
    int fd = raw_connect(srv.port);
    r3_free(r3_cmds(fd, "HELLO 3"));
    r3 *r = r3_cmds(fd, "CONFIG GET maxmemory");
    assert_int_equal(r->type, R3_MAP);
    r3_free(r);
    r = r3_cmds(fd, "CLIENT GETNAME");
    assert_int_equal(r->type, R3_NULL);
    r3_free(r);
    r = r3_cmds(fd, "CLIENT TRACKINGINFO");
    assert_int_equal(r->type, R3_MAP);
    assert_int_equal(r->elem[1]->type, R3_SET);
    r3_free(r);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_query_and_negative_counts_are_skipped),
        cmocka_unit_test(test_malformed_headers),
        cmocka_unit_test(test_commands_before_an_error_still_run),
        cmocka_unit_test(test_protocol_desync),
        cmocka_unit_test(test_inline_commands),
        cmocka_unit_test(test_binary_safe_arguments),
        cmocka_unit_test(test_big_arguments_and_splits),
        cmocka_unit_test(test_many_pipelined_commands),
        cmocka_unit_test(test_http_requests_are_dropped),
        cmocka_unit_test(test_resp3_replies_differ_where_redis_says),
    };
    return cmocka_run_group_tests_name("protocol", tests, group_start_server, group_stop_server);
}
