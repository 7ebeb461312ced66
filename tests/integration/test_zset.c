/* test_zset.c: sorted sets as a leaderboard uses them, and every ZSET
 * command's edge and error cases, including RESP3 reply shapes and
 * blocking pops served when another client adds a member. */
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static void expect_strs(redisReply *r, int n, const char **want) {
    expect_array_len(r, (size_t)n);
    for (int i = 0; i < n; i++) {
        if (r->element[i]->type != REDIS_REPLY_STRING || strcmp(r->element[i]->str, want[i]))
            fail_msg("element %d: expected '%s', got '%s'", i, want[i],
                     r->element[i]->str ? r->element[i]->str : "(non-string)");
    }
    freeReplyObject(r);
}

static void test_leaderboard(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "ZADD lb 100 alice 200 bob 150 carol"), 3);
    expect_strs(cmd(c, "ZREVRANGE lb 0 -1 WITHSCORES"), 6,
                (const char *[]){"bob", "200", "carol", "150", "alice", "100"});
    expect_int(cmd(c, "ZREVRANK lb carol"), 1);
    expect_int(cmd(c, "ZRANK lb carol"), 1);
    expect_nil(cmd(c, "ZRANK lb nobody"));
    expect_bulk(cmd(c, "ZSCORE lb bob"), "200");
    expect_bulk(cmd(c, "ZINCRBY lb 60.5 alice"), "160.5");
    expect_strs(cmd(c, "ZREVRANGE lb 0 1"), 2, (const char *[]){"bob", "alice"});
    expect_int(cmd(c, "ZCARD lb"), 3);
    expect_int(cmd(c, "ZCOUNT lb (150 +inf"), 2);
    redisReply *r = cmd(c, "ZRANK lb bob WITHSCORE");
    expect_array_len(r, 2);
    assert_int_equal(r->element[0]->integer, 2);
    assert_string_equal(r->element[1]->str, "200");
    freeReplyObject(r);
    redisFree(c);
}

static void test_zadd_options(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "ZADD zo 1 a"), 1);
    expect_int(cmd(c, "ZADD zo NX 5 a 2 b"), 1);
    expect_bulk(cmd(c, "ZSCORE zo a"), "1");
    expect_int(cmd(c, "ZADD zo XX 3 a 9 nope"), 0);
    expect_nil(cmd(c, "ZSCORE zo nope"));
    expect_int(cmd(c, "ZADD zo CH GT 0 a 4 b"), 1); /* only b changed */
    expect_int(cmd(c, "ZADD zo CH LT 0 a"), 1);
    expect_bulk(cmd(c, "ZADD zo INCR 10 a"), "10");
    expect_nil(cmd(c, "ZADD zo NX INCR 1 a"));
    expect_error(cmd(c, "ZADD zo NX XX 1 a"), "ERR XX and NX options at the same time are not compatible");
    expect_error(cmd(c, "ZADD zo GT LT 1 a"), "ERR GT, LT, and/or NX options at the same time are not compatible");
    expect_error(cmd(c, "ZADD zo INCR 1 a 2 b"), "ERR INCR option supports a single increment-element pair");
    expect_error(cmd(c, "ZADD zo 1 a 2"), "ERR syntax error");
    expect_error(cmd(c, "ZADD zo 1"), "ERR wrong number of arguments for 'zadd' command");
    expect_error(cmd(c, "ZADD zo abc a"), "ERR value is not a valid float");
    expect_error(cmd(c, "ZADD zo nan a"), "ERR value is not a valid float");
    OK(c, "SET str x");
    expect_error(cmd(c, "ZADD str 1 a"), "WRONGTYPE");
    expect_int(cmd(c, "ZADD zinf +inf a -inf b"), 2);
    expect_error(cmd(c, "ZINCRBY zinf -inf a"), "ERR increment would produce NaN or Infinity");
    expect_int(cmd(c, "ZADD zo XX 1 x"), 0);
    expect_int(cmd(c, "ZADD newkey XX 1 x"), 0);
    expect_int(cmd(c, "EXISTS newkey"), 0);
    redisFree(c);
}

static void test_ranges(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "DEL zr"));
    expect_int(cmd(c, "ZADD zr 1 a 2 b 3 c 4 d 5 e"), 5);
    expect_strs(cmd(c, "ZRANGE zr 1 3"), 3, (const char *[]){"b", "c", "d"});
    expect_strs(cmd(c, "ZRANGE zr -2 -1"), 2, (const char *[]){"d", "e"});
    expect_strs(cmd(c, "ZRANGE zr (1 3 BYSCORE"), 2, (const char *[]){"b", "c"});
    expect_strs(cmd(c, "ZRANGE zr 5 1 BYSCORE REV LIMIT 1 2"), 2, (const char *[]){"d", "c"});
    expect_strs(cmd(c, "ZRANGEBYSCORE zr -inf +inf LIMIT 3 10"), 2, (const char *[]){"d", "e"});
    expect_strs(cmd(c, "ZREVRANGEBYSCORE zr 4 2 WITHSCORES"), 6, (const char *[]){"d", "4", "c", "3", "b", "2"});
    expect_error(cmd(c, "ZRANGE zr 0 1 LIMIT 0 1"),
                 "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    expect_error(cmd(c, "ZRANGEBYSCORE zr a b"), "ERR min or max is not a float");
    expect_error(cmd(c, "ZRANGE zr 0 x"), "ERR value is not an integer or out of range");
    redisReply *r = cmd(c, "ZRANGE zr 10 20");
    expect_array_len(r, 0);
    freeReplyObject(r);
    freeReplyObject(cmd(c, "DEL zl"));
    expect_int(cmd(c, "ZADD zl 0 apple 0 banana 0 cherry 0 date"), 4);
    expect_strs(cmd(c, "ZRANGEBYLEX zl [b (d"), 2, (const char *[]){"banana", "cherry"});
    expect_strs(cmd(c, "ZREVRANGEBYLEX zl + - LIMIT 0 1"), 1, (const char *[]){"date"});
    expect_int(cmd(c, "ZLEXCOUNT zl - +"), 4);
    expect_error(cmd(c, "ZRANGEBYLEX zl a b"), "ERR min or max not valid string range item");
    expect_error(cmd(c, "ZRANGE zl [a [z BYLEX WITHSCORES"),
                 "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    expect_int(cmd(c, "ZRANGESTORE dst zr 0 1"), 2);
    expect_strs(cmd(c, "ZRANGE dst 0 -1"), 2, (const char *[]){"a", "b"});
    redisFree(c);
}

static void test_removals_and_pops(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "DEL zp"));
    expect_int(cmd(c, "ZADD zp 1 a 2 b 3 c 4 d 5 e 6 f"), 6);
    expect_int(cmd(c, "ZREM zp a nope"), 1);
    expect_int(cmd(c, "ZREMRANGEBYRANK zp 0 0"), 1);
    expect_int(cmd(c, "ZREMRANGEBYSCORE zp 5 5"), 1);
    expect_strs(cmd(c, "ZPOPMIN zp"), 2, (const char *[]){"c", "3"});
    expect_strs(cmd(c, "ZPOPMAX zp 5"), 4, (const char *[]){"f", "6", "d", "4"});
    expect_int(cmd(c, "EXISTS zp"), 0); /* an emptied set is deleted */
    redisReply *r = cmd(c, "ZPOPMIN zp");
    expect_array_len(r, 0);
    freeReplyObject(r);
    expect_int(cmd(c, "ZADD m1 1 a"), 1);
    r = cmd(c, "ZMPOP 2 nokey m1 MIN COUNT 5");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "m1");
    assert_int_equal(r->element[1]->elements, 1);
    freeReplyObject(r);
    expect_nil(cmd(c, "ZMPOP 1 nokey MAX"));
    expect_error(cmd(c, "ZMPOP 0 k MIN"), "ERR numkeys should be greater than 0");
    redisFree(c);
}

static void test_set_algebra(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "ZADD za 1 a 2 b 3 c"), 3);
    expect_int(cmd(c, "ZADD zb 10 b 20 c 30 d"), 3);
    expect_int(cmd(c, "ZUNIONSTORE zu 2 za zb WEIGHTS 1 2"), 4);
    expect_strs(cmd(c, "ZRANGE zu 0 -1 WITHSCORES"), 8, (const char *[]){"a", "1", "b", "22", "c", "43", "d", "60"});
    expect_strs(cmd(c, "ZINTER 2 za zb AGGREGATE MAX WITHSCORES"), 4, (const char *[]){"b", "10", "c", "20"});
    expect_strs(cmd(c, "ZDIFF 2 za zb"), 1, (const char *[]){"a"});
    expect_int(cmd(c, "ZINTERCARD 2 za zb"), 2);
    expect_int(cmd(c, "ZINTERCARD 2 za zb LIMIT 1"), 1);
    expect_error(cmd(c, "ZUNIONSTORE zu 0 za"), "ERR at least 1 input key is needed for 'zunionstore' command");
    expect_error(cmd(c, "ZUNION 3 za zb"), "ERR syntax error");
    expect_error(cmd(c, "ZINTER 2 za zb WEIGHTS 1 x"), "ERR weight value is not a float");
    redisFree(c);
}

static void test_resp3_shapes(void **state) {
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3");
    r3_free(r);
    r3_free(r3_cmds(fd, "ZADD z3 1.5 a 2 b"));
    r = r3_cmds(fd, "ZSCORE z3 a");
    assert_int_equal(r->type, R3_DOUBLE);
    assert_true(r->d == 1.5);
    r3_free(r);
    r = r3_cmds(fd, "ZRANGE z3 0 -1 WITHSCORES");
    assert_int_equal(r->type, R3_ARRAY);
    assert_int_equal(r->n, 2);
    assert_int_equal(r->elem[0]->type, R3_ARRAY);
    assert_int_equal(r->elem[0]->elem[1]->type, R3_DOUBLE);
    r3_free(r);
    close(fd);
}

static void test_bzpopmin_wakes_up(void **state) {
    redisContext *waiter = ts_connect(&srv), *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "DEL bz"));
    redisAppendCommand(waiter, "BZPOPMIN bz 5");
    redisBufferWrite(waiter, &(int){0});
    usleep(100000);
    expect_int(cmd(c, "ZADD bz 7 seven"), 1);
    void *reply;
    assert_int_equal(redisGetReply(waiter, &reply), REDIS_OK);
    redisReply *r = reply;
    expect_array_len(r, 3);
    assert_string_equal(r->element[0]->str, "bz");
    assert_string_equal(r->element[1]->str, "seven");
    assert_string_equal(r->element[2]->str, "7");
    freeReplyObject(r);
    expect_int(cmd(c, "EXISTS bz"), 0);
    expect_nil(cmd(waiter, "BZPOPMIN bz 0.1")); /* times out */
    redisFree(waiter);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaderboard),
        cmocka_unit_test(test_zadd_options),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_removals_and_pops),
        cmocka_unit_test(test_set_algebra),
        cmocka_unit_test(test_resp3_shapes),
        cmocka_unit_test(test_bzpopmin_wakes_up),
    };
    return cmocka_run_group_tests_name("zset", tests, group_start_server, group_stop_server);
}
