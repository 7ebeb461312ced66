/* test_connection.c: HELLO, AUTH, RESET and QUIT as a client sees them:
 * the HELLO map in RESP2 and RESP3, protocol switching, requirepass and
 * ACL users, what an unauthenticated connection may do, and what RESET
 * puts back. A second server with requirepass runs for the auth tests. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static testServer secured; /* --requirepass secret */

/* The value paired with `field` in a flat RESP2 HELLO reply. */
static redisReply *hello_field(redisReply *r, const char *field) {
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (r->element[i]->type == REDIS_REPLY_STRING && !strcmp(r->element[i]->str, field))
            return r->element[i + 1];
    fail_msg("HELLO reply has no '%s'", field);
    return NULL;
}

static r3 *r3_field(r3 *map, const char *field) {
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->elem[i]->str && !strcmp(map->elem[i]->str, field)) return map->elem[i + 1];
    fail_msg("HELLO map has no '%s'", field);
    return NULL;
}

static long long client_id(redisContext *c) {
    redisReply *r = cmd(c, "CLIENT ID");
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    long long id = r->integer;
    freeReplyObject(r);
    return id;
}

static void test_hello_without_arguments_describes_the_server(void **state) {
    redisContext *c = ts_connect(&srv);
    long long id = client_id(c);
    redisReply *r = cmd(c, "HELLO");
    expect_array_len(r, 14);
    assert_string_equal(hello_field(r, "server")->str, "redis");
    assert_string_equal(hello_field(r, "version")->str, "7.2.6");
    assert_int_equal(hello_field(r, "proto")->integer, 2);
    assert_int_equal(hello_field(r, "id")->integer, id);
    assert_string_equal(hello_field(r, "mode")->str, "standalone");
    assert_string_equal(hello_field(r, "role")->str, "master");
    redisReply *modules = hello_field(r, "modules");
    assert_int_equal(modules->type, REDIS_REPLY_ARRAY);
    assert_int_equal(modules->elements, 0);
    assert_string_equal(r->element[0]->str, "server"); /* Redis's order */
    assert_string_equal(r->element[12]->str, "modules");
    freeReplyObject(r);
    redisFree(c);
}

static void test_hello_3_switches_to_resp3_and_back(void **state) {
    int fd = raw_connect(srv.port);
    r3 *m = r3_cmds(fd, "HELLO 3");
    assert_non_null(m);
    assert_int_equal(m->type, R3_MAP);
    assert_int_equal(m->n, 14);
    assert_int_equal(r3_field(m, "proto")->integer, 3);
    assert_string_equal(r3_field(m, "version")->str, "7.2.6");
    r3_free(m);
    /* Nulls are RESP3 nulls now. */
    r3 *r = r3_cmds(fd, "GET no-such-key");
    assert_int_equal(r->type, R3_NULL);
    r3_free(r);
    m = r3_cmds(fd, "HELLO 2");
    assert_int_equal(m->type, R3_ARRAY);
    assert_int_equal(r3_field(m, "proto")->integer, 2);
    r3_free(m);
    raw_send(fd, "GET no-such-key\r\n", 17);
    char buf[16];
    assert_int_equal(raw_read(fd, buf, 5, 2000), 5);
    assert_memory_equal(buf, "$-1\r\n", 5);
    close(fd);
}

static void test_hello_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "HELLO 4"), "NOPROTO unsupported protocol version");
    expect_error(cmd(c, "HELLO 1"), "NOPROTO unsupported protocol version");
    expect_error(cmd(c, "HELLO abc"), "ERR Protocol version is not an integer or out of range");
    expect_error(cmd(c, "HELLO 3 foo"), "ERR Syntax error in HELLO option 'foo'");
    expect_error(cmd(c, "HELLO 3 AUTH onlyuser"), "ERR Syntax error in HELLO option 'AUTH'");
    expect_error(cmd(c, "HELLO 3 SETNAME"), "ERR Syntax error in HELLO option 'SETNAME'");
    expect_error(cmd(c, "HELLO 3 SETNAME %s", "a b"),
                 "ERR Client names cannot contain spaces, newlines or special characters.");
    /* Nothing changed: still RESP2 and unnamed. */
    expect_nil(cmd(c, "CLIENT GETNAME"));
    redisFree(c);
}

static void test_hello_setname_and_auth_options(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "HELLO 2 AUTH default anything SETNAME hello-client");
    expect_array_len(r, 14);
    freeReplyObject(r);
    expect_bulk(cmd(c, "CLIENT GETNAME"), "hello-client");
    redisFree(c);
}

static void test_hello_role_follows_replicaof(void **state) {
    int unused = 1; /* port 1 on loopback: nothing listens, the link just retries */
    redisContext *c = ts_connect(&srv);
    OK(c, "REPLICAOF 127.0.0.1 %d", unused);
    redisReply *r = cmd(c, "HELLO");
    assert_string_equal(hello_field(r, "role")->str, "replica");
    freeReplyObject(r);
    usleep(500000); /* let the link make its first attempt (see the report: NO ONE before it crashes) */
    OK(c, "REPLICAOF NO ONE");
    r = cmd(c, "HELLO");
    assert_string_equal(hello_field(r, "role")->str, "master");
    freeReplyObject(r);
    redisFree(c);
}

static void test_auth_without_a_password_configured(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "AUTH foo"), "ERR AUTH <password> called without any password configured for the "
                                     "default user. Are you sure your configuration is correct?");
    /* The default user is "nopass": the two-word form accepts anything. */
    OK(c, "AUTH default whatever");
    expect_error(cmd(c, "AUTH a b c"), "ERR syntax error");
    expect_error(cmd(c, "AUTH"), "ERR wrong number of arguments for 'auth' command");
    redisFree(c);
}

static void test_requirepass_holds_back_everything_but_auth(void **state) {
    redisContext *c = ts_connect(&secured);
    expect_error(cmd(c, "PING"), "NOAUTH Authentication required.");
    expect_error(cmd(c, "GET k"), "NOAUTH Authentication required.");
    expect_error(cmd(c, "CLIENT ID"), "NOAUTH Authentication required.");
    expect_error(cmd(c, "NOSUCHCOMMAND"), "ERR unknown command 'NOSUCHCOMMAND'"); /* lookup comes first */
    expect_error(cmd(c, "AUTH wrong"), "WRONGPASS invalid username-password pair or user is disabled.");
    expect_error(cmd(c, "AUTH default wrong"),
                 "WRONGPASS invalid username-password pair or user is disabled.");
    expect_error(cmd(c, "AUTH nosuchuser secret"),
                 "WRONGPASS invalid username-password pair or user is disabled.");
    expect_error(cmd(c, "PING"), "NOAUTH Authentication required.");
    OK(c, "AUTH secret");
    expect_status(cmd(c, "PING"), "PONG");
    OK(c, "AUTH default secret");
    /* A failed AUTH does not log an authenticated connection out. */
    expect_error(cmd(c, "AUTH wrong"), "WRONGPASS");
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
}

static void test_hello_requires_authentication(void **state) {
    redisContext *c = ts_connect(&secured);
    expect_error(
        cmd(c, "HELLO 3"),
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol "
        "version at the same time");
    expect_error(cmd(c, "HELLO 2 AUTH default wrong"), "WRONGPASS invalid username-password pair");
    redisReply *r = cmd(c, "HELLO 2 AUTH default secret");
    expect_array_len(r, 14);
    freeReplyObject(r);
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
}

static void test_unauthenticated_quit_and_reset_are_allowed(void **state) {
    int fd = raw_connect(secured.port);
    const char *req = "RESET\r\nQUIT\r\n";
    raw_send(fd, req, strlen(req));
    char buf[64];
    ssize_t n = raw_read(fd, buf, 13, 2000);
    assert_int_equal(n, 13);
    assert_memory_equal(buf, "+RESET\r\n+OK\r\n", 13);
    assert_true(raw_closed(fd, 2000));
    close(fd);
}

static void test_unauthenticated_clients_get_tight_protocol_limits(void **state) {
    /* More than 10 arguments before AUTH: refused and closed. */
    int fd = raw_connect(secured.port);
    const char *many = "*11\r\n";
    raw_send(fd, many, strlen(many));
    char buf[256];
    raw_read_all(fd, buf, sizeof(buf), 1000);
    assert_string_equal(buf, "-ERR Protocol error: unauthenticated multibulk length\r\n");
    assert_true(raw_closed(fd, 2000));
    close(fd);
    /* A bulk over 16 KB before AUTH, likewise. */
    fd = raw_connect(secured.port);
    const char *big = "*2\r\n$4\r\nAUTH\r\n$16385\r\n";
    raw_send(fd, big, strlen(big));
    raw_read_all(fd, buf, sizeof(buf), 1000);
    assert_string_equal(buf, "-ERR Protocol error: unauthenticated bulk length\r\n");
    assert_true(raw_closed(fd, 2000));
    close(fd);
    /* After AUTH the normal limits apply. */
    redisContext *c = ts_connect(&secured);
    OK(c, "AUTH secret");
    redisReply *r = cmd(c, "MSET a 1 b 2 c 3 d 4 e 5 f 6");
    expect_status(r, "OK");
    char *value = malloc(20000);
    memset(value, 'v', 20000);
    OK(c, "SET big %b", value, (size_t)20000);
    free(value);
    expect_int(cmd(c, "STRLEN big"), 20000);
    redisFree(c);
}

static void test_acl_user_login(void **state) {
    redisContext *admin = ts_connect(&secured);
    OK(admin, "AUTH secret");
    OK(admin, "ACL SETUSER alice on >wonderland ~* +@all");
    redisContext *c = ts_connect(&secured);
    expect_error(cmd(c, "AUTH alice wrong"), "WRONGPASS");
    OK(c, "AUTH alice wonderland");
    expect_bulk(cmd(c, "ACL WHOAMI"), "alice");
    redisReply *r = cmd(c, "CLIENT INFO");
    assert_non_null(strstr(r->str, " user=alice "));
    freeReplyObject(r);
    /* HELLO AUTH switches user too. */
    r = cmd(c, "HELLO 2 AUTH default secret");
    freeReplyObject(r);
    expect_bulk(cmd(c, "ACL WHOAMI"), "default");
    expect_int(cmd(admin, "ACL DELUSER alice"), 1);
    redisFree(c);
    redisFree(admin);
}

static void test_requirepass_set_at_run_time(void **state) {
    redisContext *old = ts_connect(&srv);
    OK(old, "CONFIG SET requirepass newpass");
    /* Connections already open stay logged in; new ones must AUTH. */
    expect_status(cmd(old, "PING"), "PONG");
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "PING"), "NOAUTH Authentication required.");
    OK(c, "AUTH newpass");
    OK(c, "CONFIG SET requirepass %s", "");
    redisFree(c);
    c = ts_connect(&srv);
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
    redisFree(old);
}

static void test_reset_restores_a_fresh_connection(void **state) {
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3 SETNAME before-reset");
    r3_free(r);
    r3_free(r3_cmds(fd, "SELECT 5"));
    r3_free(r3_cmds(fd, "CLIENT NO-EVICT on"));
    r3_free(r3_cmds(fd, "MULTI"));
    r = r3_cmds(fd, "RESET");
    assert_int_equal(r->type, R3_STATUS);
    assert_string_equal(r->str, "RESET");
    r3_free(r);
    close(fd);

    redisContext *c = ts_connect(&srv);
    OK(c, "SELECT 3");
    OK(c, "CLIENT SETNAME named");
    OK(c, "MULTI");
    expect_status(cmd(c, "SET in-multi 1"), "QUEUED");
    expect_status(cmd(c, "RESET"), "RESET");
    expect_error(cmd(c, "EXEC"), "ERR EXEC without MULTI");
    expect_nil(cmd(c, "CLIENT GETNAME"));
    redisReply *info = cmd(c, "CLIENT INFO");
    assert_non_null(strstr(info->str, " db=0 "));
    assert_non_null(strstr(info->str, " resp=2 "));
    assert_non_null(strstr(info->str, " flags=N "));
    freeReplyObject(info);
    expect_int(cmd(c, "EXISTS in-multi"), 0);
    redisFree(c);
}

static void test_reset_leaves_subscriber_mode_and_reply_off(void **state) {
    int fd = raw_connect(srv.port);
    const char *req = "SUBSCRIBE chan\r\n";
    raw_send(fd, req, strlen(req));
    const char *confirm = "*3\r\n$9\r\nsubscribe\r\n$4\r\nchan\r\n:1\r\n";
    char buf[256];
    assert_int_equal(raw_read(fd, buf, strlen(confirm), 2000), (ssize_t)strlen(confirm));
    /* RESET leaves subscriber mode: PING answers as for a plain client. */
    req = "RESET\r\nPING\r\n";
    raw_send(fd, req, strlen(req));
    raw_read_all(fd, buf, sizeof(buf), 500);
    assert_string_equal(buf, "+RESET\r\n+PONG\r\n");
    /* OFF silences the first PING; RESET turns replies back on. */
    req = "CLIENT REPLY OFF\r\nPING\r\nRESET\r\nPING\r\n";
    raw_send(fd, req, strlen(req));
    raw_read_all(fd, buf, sizeof(buf), 500);
    assert_string_equal(buf, "+RESET\r\n+PONG\r\n");
    close(fd);
}

static void test_reset_makes_the_connection_unauthenticated_again(void **state) {
    redisContext *c = ts_connect(&secured);
    OK(c, "AUTH secret");
    expect_status(cmd(c, "PING"), "PONG");
    expect_status(cmd(c, "RESET"), "RESET");
    expect_error(cmd(c, "PING"), "NOAUTH Authentication required.");
    redisFree(c);
}

static void test_quit_replies_then_closes(void **state) {
    int fd = raw_connect(srv.port);
    const char *req = "QUIT\r\nPING\r\n";
    raw_send(fd, req, strlen(req));
    char buf[64];
    raw_read_all(fd, buf, sizeof(buf), 1000);
    assert_string_equal(buf, "+OK\r\n"); /* nothing after QUIT runs */
    assert_true(raw_closed(fd, 2000));
    close(fd);
}

static int setup(void **state) {
    static const char *const secure_args[] = {"--requirepass", "secret", NULL};
    if (group_start_server(state)) return -1;
    return ts_start(&secured, secure_args);
}

static int teardown(void **state) {
    ts_stop(&secured);
    return group_stop_server(state);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_without_arguments_describes_the_server),
        cmocka_unit_test(test_hello_3_switches_to_resp3_and_back),
        cmocka_unit_test(test_hello_errors),
        cmocka_unit_test(test_hello_setname_and_auth_options),
        cmocka_unit_test(test_hello_role_follows_replicaof),
        cmocka_unit_test(test_auth_without_a_password_configured),
        cmocka_unit_test(test_requirepass_holds_back_everything_but_auth),
        cmocka_unit_test(test_hello_requires_authentication),
        cmocka_unit_test(test_unauthenticated_quit_and_reset_are_allowed),
        cmocka_unit_test(test_unauthenticated_clients_get_tight_protocol_limits),
        cmocka_unit_test(test_acl_user_login),
        cmocka_unit_test(test_requirepass_set_at_run_time),
        cmocka_unit_test(test_reset_restores_a_fresh_connection),
        cmocka_unit_test(test_reset_leaves_subscriber_mode_and_reply_off),
        cmocka_unit_test(test_reset_makes_the_connection_unauthenticated_again),
        cmocka_unit_test(test_quit_replies_then_closes),
    };
    return cmocka_run_group_tests_name("connection", tests, setup, teardown);
}
