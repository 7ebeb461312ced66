/* test_list.c: lists as queues and stacks, every LIST command's edge and
 * error cases, and the blocking pops woken by other clients' pushes. */
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static void expect_list(redisReply *r, int n, const char **want) {
    expect_array_len(r, (size_t)n);
    for (int i = 0; i < n; i++)
        if (strcmp(r->element[i]->str, want[i])) fail_msg("element %d: '%s' != '%s'", i, r->element[i]->str, want[i]);
    freeReplyObject(r);
}

static void test_push_pop_range(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "RPUSH q a b c"), 3);
    expect_int(cmd(c, "LPUSH q z"), 4);
    expect_list(cmd(c, "LRANGE q 0 -1"), 4, (const char *[]){"z", "a", "b", "c"});
    expect_list(cmd(c, "LRANGE q -2 100"), 2, (const char *[]){"b", "c"});
    expect_int(cmd(c, "LLEN q"), 4);
    expect_bulk(cmd(c, "LINDEX q -1"), "c");
    expect_nil(cmd(c, "LINDEX q 10"));
    expect_bulk(cmd(c, "LPOP q"), "z");
    expect_bulk(cmd(c, "RPOP q"), "c");
    expect_list(cmd(c, "LPOP q 5"), 2, (const char *[]){"a", "b"});
    expect_int(cmd(c, "EXISTS q"), 0);
    expect_nil(cmd(c, "LPOP q"));
    redisReply *r = cmd(c, "LPOP q 2");
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    expect_int(cmd(c, "LPUSHX q x"), 0);
    expect_int(cmd(c, "EXISTS q"), 0);
    expect_error(cmd(c, "LPOP q -1"), "ERR value is out of range, must be positive");
    OK(c, "SET str x");
    expect_error(cmd(c, "LPUSH str a"), "WRONGTYPE");
    redisFree(c);
}

static void test_edit(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "RPUSH e a b c b d"), 5);
    OK(c, "LSET e 0 A");
    expect_error(cmd(c, "LSET e 10 x"), "ERR index out of range");
    expect_error(cmd(c, "LSET nokey 0 x"), "ERR no such key");
    expect_int(cmd(c, "LINSERT e BEFORE c X"), 6);
    expect_int(cmd(c, "LINSERT e AFTER nope X"), -1);
    expect_error(cmd(c, "LINSERT e MIDDLE c X"), "ERR syntax error");
    expect_int(cmd(c, "LREM e -1 b"), 1);
    expect_list(cmd(c, "LRANGE e 0 -1"), 5, (const char *[]){"A", "b", "X", "c", "d"});
    OK(c, "LTRIM e 1 2");
    expect_list(cmd(c, "LRANGE e 0 -1"), 2, (const char *[]){"b", "X"});
    OK(c, "LTRIM e 5 10");
    expect_int(cmd(c, "EXISTS e"), 0);
    expect_int(cmd(c, "RPUSH p a b c a b c"), 6);
    expect_int(cmd(c, "LPOS p c"), 2);
    expect_int(cmd(c, "LPOS p c RANK 2"), 5);
    expect_int(cmd(c, "LPOS p c RANK -1"), 5);
    redisReply *r = cmd(c, "LPOS p b COUNT 0");
    expect_array_len(r, 2);
    freeReplyObject(r);
    expect_nil(cmd(c, "LPOS p c MAXLEN 2"));
    expect_error(cmd(c, "LPOS p c RANK 0"), "ERR RANK can't be zero");
    redisFree(c);
}

static void test_moves(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "RPUSH src 1 2 3"), 3);
    expect_bulk(cmd(c, "LMOVE src dst RIGHT LEFT"), "3");
    expect_bulk(cmd(c, "RPOPLPUSH src dst"), "2");
    expect_list(cmd(c, "LRANGE dst 0 -1"), 2, (const char *[]){"2", "3"});
    expect_bulk(cmd(c, "LMOVE src src LEFT RIGHT"), "1"); /* rotation */
    expect_nil(cmd(c, "LMOVE nokey dst LEFT LEFT"));
    redisReply *r = cmd(c, "LMPOP 2 nokey dst LEFT COUNT 10");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "dst");
    assert_int_equal(r->element[1]->elements, 2);
    freeReplyObject(r);
    expect_error(cmd(c, "LMPOP 0 a LEFT"), "ERR numkeys should be greater than 0");
    redisFree(c);
}

static void test_blocking(void **state) {
    redisContext *w = ts_connect(&srv), *c = ts_connect(&srv);
    redisAppendCommand(w, "BLPOP jobs 5");
    redisBufferWrite(w, &(int){0});
    usleep(100000);
    expect_int(cmd(c, "RPUSH jobs j1"), 1);
    void *reply;
    assert_int_equal(redisGetReply(w, &reply), REDIS_OK);
    expect_list(reply, 2, (const char *[]){"jobs", "j1"});
    expect_int(cmd(c, "EXISTS jobs"), 0);
    redisReply *r = cmd(w, "BLPOP jobs 0.1");
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    /* FIFO among several waiters, and BLMOVE */
    redisContext *w2 = ts_connect(&srv);
    redisAppendCommand(w, "BRPOP q2 5");
    redisBufferWrite(w, &(int){0});
    usleep(50000);
    redisAppendCommand(w2, "BLMOVE q2 out LEFT RIGHT 5");
    redisBufferWrite(w2, &(int){0});
    usleep(50000);
    expect_int(cmd(c, "RPUSH q2 first second"), 2);
    assert_int_equal(redisGetReply(w, &reply), REDIS_OK);
    expect_list(reply, 2, (const char *[]){"q2", "second"});
    assert_int_equal(redisGetReply(w2, &reply), REDIS_OK);
    r = reply;
    assert_string_equal(r->str, "first");
    freeReplyObject(r);
    expect_list(cmd(c, "LRANGE out 0 -1"), 1, (const char *[]){"first"});
    /* inside MULTI a blocking pop does not block */
    OK(c, "MULTI");
    expect_status(cmd(c, "BLPOP nothing 0"), "QUEUED");
    r = cmd(c, "EXEC");
    expect_array_len(r, 1);
    assert_int_equal(r->element[0]->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisFree(w);
    redisFree(w2);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_pop_range),
        cmocka_unit_test(test_edit),
        cmocka_unit_test(test_moves),
        cmocka_unit_test(test_blocking),
    };
    return cmocka_run_group_tests_name("list", tests, group_start_server, group_stop_server);
}
