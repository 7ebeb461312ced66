/* test_basics.c: the dispatcher's contract as a client sees it: unknown
 * commands, arity errors, pipelining, inline commands, SELECT. */
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static void test_ping_and_echo(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_status(cmd(c, "PING"), "PONG");
    expect_bulk(cmd(c, "PING %s", "hello"), "hello");
    expect_bulk_len(cmd(c, "ECHO %b", "a\r\nb\0c", (size_t)6), "a\r\nb\0c", 6);
    expect_error(cmd(c, "PING a b"), "ERR wrong number of arguments for 'ping' command");
    redisFree(c);
}

static void test_unknown_command(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "NOSUCHCMD a b"),
                 "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' 'b' ");
    expect_error(cmd(c, "GET"), "ERR wrong number of arguments for 'get' command");
    redisFree(c);
}

static void test_pipelining(void **state) {
    int fd = raw_connect(srv.port);
    const char *req = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n";
    raw_send(fd, req, strlen(req));
    char buf[256];
    const char *want = "+OK\r\n$1\r\nv\r\n+PONG\r\n";
    ssize_t n = raw_read(fd, buf, strlen(want), 2000);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    close(fd);
}

static void test_split_command_across_writes(void **state) {
    int fd = raw_connect(srv.port);
    const char *parts[] = {"*2\r\n$4\r\nEC", "HO\r\n$5\r\nhel", "lo\r", "\n"};
    for (int i = 0; i < 4; i++) {
        raw_send(fd, parts[i], strlen(parts[i]));
        usleep(20000);
    }
    char buf[64];
    ssize_t n = raw_read(fd, buf, 11, 2000);
    assert_int_equal(n, 11);
    assert_memory_equal(buf, "$5\r\nhello\r\n", 11);
    close(fd);
}

static void test_select(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SELECT 1");
    OK(c, "SET dbkey one");
    OK(c, "SELECT 0");
    expect_nil(cmd(c, "GET dbkey"));
    expect_error(cmd(c, "SELECT 16"), "ERR DB index is out of range");
    expect_error(cmd(c, "SELECT x"), "ERR invalid DB index");
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping_and_echo),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_pipelining),
        cmocka_unit_test(test_split_command_across_writes),
        cmocka_unit_test(test_select),
    };
    return cmocka_run_group_tests_name("basics", tests, group_start_server, group_stop_server);
}
