/* test_pubsub.c: SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE delivery, confirmations,
 * the RESP2 subscriber-mode restrictions, RESP3 push messages, PUBSUB
 * introspection and cleanup when a subscriber disconnects. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static redisReply *next_reply(redisContext *c) {
    void *r = NULL;
    if (redisGetReply(c, &r) != REDIS_OK) fail_msg("no message: %s", c->errstr);
    return r;
}

/* Asserts a 3- or 4-element message array. */
static void expect_msg(redisReply *r, const char *kind, const char *a, const char *b, const char *d) {
    size_t n = d ? 4 : 3;
    expect_array_len(r, n);
    assert_string_equal(r->element[0]->str, kind);
    assert_string_equal(r->element[1]->str, a);
    if (r->element[2]->type == REDIS_REPLY_INTEGER) assert_int_equal(r->element[2]->integer, atoll(b));
    else assert_string_equal(r->element[2]->str, b);
    if (d) assert_string_equal(r->element[3]->str, d);
    freeReplyObject(r);
}

static void test_subscribe_publish(void **state) {
    redisContext *sub = ts_connect(&srv), *pub = ts_connect(&srv);
    redisAppendCommand(sub, "SUBSCRIBE news sport");
    expect_msg(next_reply(sub), "subscribe", "news", "1", NULL);
    expect_msg(next_reply(sub), "subscribe", "sport", "2", NULL);
    expect_int(cmd(pub, "PUBLISH news hello"), 1);
    expect_msg(next_reply(sub), "message", "news", "hello", NULL);
    expect_int(cmd(pub, "PUBLISH nobody x"), 0);
    redisAppendCommand(sub, "UNSUBSCRIBE news");
    expect_msg(next_reply(sub), "unsubscribe", "news", "1", NULL);
    redisAppendCommand(sub, "UNSUBSCRIBE");
    expect_msg(next_reply(sub), "unsubscribe", "sport", "0", NULL);
    /* out of subscriber mode: normal commands work again */
    expect_status(cmd(sub, "PING"), "PONG");
    redisFree(sub);
    redisFree(pub);
}

static void test_psubscribe(void **state) {
    redisContext *sub = ts_connect(&srv), *pub = ts_connect(&srv);
    redisAppendCommand(sub, "PSUBSCRIBE news.*");
    expect_msg(next_reply(sub), "psubscribe", "news.*", "1", NULL);
    expect_int(cmd(pub, "PUBLISH news.tech hi"), 1);
    expect_msg(next_reply(sub), "pmessage", "news.*", "news.tech", "hi");
    expect_int(cmd(pub, "PUBSUB NUMPAT"), 1);
    redisFree(sub);
    usleep(100000);
    expect_int(cmd(pub, "PUBSUB NUMPAT"), 0);
    redisFree(pub);
}

static void test_subscriber_mode_restrictions(void **state) {
    redisContext *sub = ts_connect(&srv);
    redisAppendCommand(sub, "SUBSCRIBE ch");
    expect_msg(next_reply(sub), "subscribe", "ch", "1", NULL);
    expect_error(cmd(sub, "GET foo"),
                 "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                 "allowed in this context");
    redisReply *r = cmd(sub, "PING");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "pong");
    assert_string_equal(r->element[1]->str, "");
    freeReplyObject(r);
    redisFree(sub);
}

static void test_pubsub_introspection(void **state) {
    redisContext *s1 = ts_connect(&srv), *s2 = ts_connect(&srv), *c = ts_connect(&srv);
    redisAppendCommand(s1, "SUBSCRIBE a b");
    expect_msg(next_reply(s1), "subscribe", "a", "1", NULL);
    expect_msg(next_reply(s1), "subscribe", "b", "2", NULL);
    redisAppendCommand(s2, "SUBSCRIBE a");
    expect_msg(next_reply(s2), "subscribe", "a", "1", NULL);
    redisReply *r = cmd(c, "PUBSUB NUMSUB a b zz");
    expect_array_len(r, 6);
    assert_string_equal(r->element[0]->str, "a");
    assert_int_equal(r->element[1]->integer, 2);
    assert_int_equal(r->element[3]->integer, 1);
    assert_int_equal(r->element[5]->integer, 0);
    freeReplyObject(r);
    r = cmd(c, "PUBSUB CHANNELS a*");
    expect_array_len(r, 1);
    freeReplyObject(r);
    expect_int(cmd(c, "PUBLISH a m"), 2);
    redisFree(s1);
    redisFree(s2);
    usleep(100000);
    r = cmd(c, "PUBSUB CHANNELS");
    expect_array_len(r, 0);
    freeReplyObject(r);
    expect_error(cmd(c, "PUBSUB NOSUCH"), "ERR unknown subcommand 'NOSUCH'. Try PUBSUB HELP.");
    redisFree(c);
}

static void test_shard_channels(void **state) {
    redisContext *sub = ts_connect(&srv), *pub = ts_connect(&srv);
    redisAppendCommand(sub, "SSUBSCRIBE orders");
    expect_msg(next_reply(sub), "ssubscribe", "orders", "1", NULL);
    expect_int(cmd(pub, "SPUBLISH orders o1"), 1);
    expect_msg(next_reply(sub), "smessage", "orders", "o1", NULL);
    expect_int(cmd(pub, "PUBLISH orders o2"), 0); /* a different namespace */
    redisFree(sub);
    redisFree(pub);
}

static void test_resp3_push(void **state) {
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3");
    assert_non_null(r);
    r3_free(r);
    r = r3_cmds(fd, "SUBSCRIBE ch3");
    assert_non_null(r);
    assert_int_equal(r->type, R3_PUSH);
    assert_string_equal(r->elem[0]->str, "subscribe");
    r3_free(r);
    redisContext *pub = ts_connect(&srv);
    expect_int(cmd(pub, "PUBLISH ch3 payload"), 1);
    r = r3_read(fd, 2000);
    assert_non_null(r);
    assert_int_equal(r->type, R3_PUSH);
    assert_string_equal(r->elem[2]->str, "payload");
    r3_free(r);
    /* In RESP3 a subscriber may run any command. */
    r = r3_cmds(fd, "GET nokey");
    assert_non_null(r);
    assert_int_equal(r->type, R3_NULL);
    r3_free(r);
    redisFree(pub);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subscribe_publish),
        cmocka_unit_test(test_psubscribe),
        cmocka_unit_test(test_subscriber_mode_restrictions),
        cmocka_unit_test(test_pubsub_introspection),
        cmocka_unit_test(test_shard_channels),
        cmocka_unit_test(test_resp3_push),
    };
    return cmocka_run_group_tests_name("pubsub", tests, group_start_server, group_stop_server);
}
