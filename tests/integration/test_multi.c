/* test_multi.c: MULTI/EXEC/DISCARD/WATCH as clients use them (redis-py
 * pipelines default to transactions). */
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static void test_exec_runs_queue(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "MULTI");
    expect_status(cmd(c, "SET t1 a"), "QUEUED");
    expect_status(cmd(c, "GET t1"), "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "OK");
    assert_string_equal(r->element[1]->str, "a");
    freeReplyObject(r);
    redisFree(c);
}

static void test_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "EXEC"), "ERR EXEC without MULTI");
    expect_error(cmd(c, "DISCARD"), "ERR DISCARD without MULTI");
    OK(c, "MULTI");
    expect_error(cmd(c, "MULTI"), "ERR MULTI calls can not be nested");
    expect_error(cmd(c, "WATCH x"), "ERR WATCH inside MULTI is not allowed");
    expect_error(cmd(c, "NOSUCH"), "ERR unknown command 'NOSUCH'");
    expect_error(cmd(c, "EXEC"), "EXECABORT Transaction discarded because of previous errors.");
    OK(c, "MULTI");
    expect_error(cmd(c, "GET"), "ERR wrong number of arguments for 'get' command");
    expect_error(cmd(c, "EXEC"), "EXECABORT Transaction discarded because of previous errors.");
    redisFree(c);
}

static void test_discard(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET d1 before");
    OK(c, "MULTI");
    expect_status(cmd(c, "SET d1 after"), "QUEUED");
    OK(c, "DISCARD");
    expect_bulk(cmd(c, "GET d1"), "before");
    redisFree(c);
}

static void test_watch(void **state) {
    redisContext *c = ts_connect(&srv), *other = ts_connect(&srv);
    OK(c, "SET w1 1");
    OK(c, "WATCH w1");
    OK(other, "SET w1 2");
    OK(c, "MULTI");
    expect_status(cmd(c, "SET w1 3"), "QUEUED");
    expect_nil(cmd(c, "EXEC"));
    expect_bulk(cmd(c, "GET w1"), "2");
    /* untouched watched key: EXEC runs */
    OK(c, "WATCH w1");
    OK(c, "MULTI");
    expect_status(cmd(c, "SET w1 4"), "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    expect_array_len(r, 1);
    freeReplyObject(r);
    expect_bulk(cmd(c, "GET w1"), "4");
    /* UNWATCH forgets */
    OK(c, "WATCH w1");
    OK(c, "UNWATCH");
    OK(other, "SET w1 5");
    OK(c, "MULTI");
    expect_status(cmd(c, "GET w1"), "QUEUED");
    r = cmd(c, "EXEC");
    expect_array_len(r, 1);
    freeReplyObject(r);
    /* FLUSHALL touches watched keys that existed */
    OK(c, "WATCH w1");
    OK(other, "FLUSHALL");
    OK(c, "MULTI");
    expect_status(cmd(c, "PING"), "QUEUED");
    expect_nil(cmd(c, "EXEC"));
    redisFree(c);
    redisFree(other);
}

static void test_watch_expire(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET we 1 PX 50");
    OK(c, "WATCH we");
    usleep(200000);
    expect_nil(cmd(c, "GET we")); /* expired and deleted while watched */
    OK(c, "MULTI");
    expect_status(cmd(c, "PING"), "QUEUED");
    expect_nil(cmd(c, "EXEC"));
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_runs_queue),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_discard),
        cmocka_unit_test(test_watch),
        cmocka_unit_test(test_watch_expire),
    };
    return cmocka_run_group_tests_name("multi", tests, group_start_server, group_stop_server);
}
