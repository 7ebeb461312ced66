/* test_hash_set.c: hashes and sets: normal, edge and error cases, RESP3
 * shapes, and the values they persist through SAVE and restart. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static int has_str(redisReply *r, const char *s) {
    for (size_t i = 0; i < r->elements; i++)
        if (r->element[i]->type == REDIS_REPLY_STRING && !strcmp(r->element[i]->str, s)) return 1;
    return 0;
}

static void test_hash_basics(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "HSET user:1 name alice age 30"), 2);
    expect_int(cmd(c, "HSET user:1 age 31 city paris"), 1);
    expect_bulk(cmd(c, "HGET user:1 age"), "31");
    expect_nil(cmd(c, "HGET user:1 nope"));
    expect_nil(cmd(c, "HGET nokey f"));
    expect_int(cmd(c, "HLEN user:1"), 3);
    expect_int(cmd(c, "HEXISTS user:1 city"), 1);
    expect_int(cmd(c, "HSTRLEN user:1 name"), 5);
    expect_int(cmd(c, "HSETNX user:1 name bob"), 0);
    expect_int(cmd(c, "HSETNX user:1 email a@b"), 1);
    redisReply *r = cmd(c, "HMGET user:1 name nope city");
    expect_array_len(r, 3);
    assert_string_equal(r->element[0]->str, "alice");
    assert_int_equal(r->element[1]->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    r = cmd(c, "HGETALL user:1");
    expect_array_len(r, 8);
    assert_true(has_str(r, "paris"));
    freeReplyObject(r);
    expect_status(cmd(c, "HMSET user:1 a 1 b 2"), "OK");
    expect_int(cmd(c, "HDEL user:1 a b nope"), 2);
    expect_error(cmd(c, "HSET user:1 odd"), "ERR wrong number of arguments for 'hset' command");
    OK(c, "SET str x");
    expect_error(cmd(c, "HGET str f"), "WRONGTYPE");
    expect_int(cmd(c, "HDEL user:1 name age city email"), 4);
    expect_int(cmd(c, "EXISTS user:1"), 0);
    expect_int(cmd(c, "HSET bin %b %b", "f\r\n\0", (size_t)4, "v\0\r\n", (size_t)4), 1);
    expect_bulk_len(cmd(c, "HGET bin %b", "f\r\n\0", (size_t)4), "v\0\r\n", 4);
    redisFree(c);
}

static void test_hash_increments(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "HINCRBY hi n 5"), 5);
    expect_int(cmd(c, "HINCRBY hi n -10"), -5);
    OK(c, "HMSET hi s abc big 9223372036854775807 f 1.5");
    expect_error(cmd(c, "HINCRBY hi s 1"), "ERR hash value is not an integer");
    expect_error(cmd(c, "HINCRBY hi big 1"), "ERR increment or decrement would overflow");
    expect_error(cmd(c, "HINCRBY hi n x"), "ERR value is not an integer or out of range");
    expect_bulk(cmd(c, "HINCRBYFLOAT hi f 0.25"), "1.75");
    expect_error(cmd(c, "HINCRBYFLOAT hi s 1"), "ERR hash value is not a float");
    expect_error(cmd(c, "HINCRBYFLOAT hi f inf"), "ERR value is NaN or Infinity");
    redisFree(c);
}

static void test_hrandfield_and_hscan(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "HSET hr a 1 b 2 c 3"), 3);
    redisReply *r = cmd(c, "HRANDFIELD hr 5");
    expect_array_len(r, 3);
    freeReplyObject(r);
    r = cmd(c, "HRANDFIELD hr -5 WITHVALUES");
    expect_array_len(r, 10);
    freeReplyObject(r);
    expect_nil(cmd(c, "HRANDFIELD nokey"));
    r = cmd(c, "HSCAN hr 0 COUNT 100");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "0");
    assert_int_equal(r->element[1]->elements, 6);
    freeReplyObject(r);
    expect_error(cmd(c, "HSCAN hr x"), "ERR invalid cursor");
    redisFree(c);
}

static void test_set_basics(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "SADD tags a b c a"), 3);
    expect_int(cmd(c, "SADD tags c d"), 1);
    expect_int(cmd(c, "SCARD tags"), 4);
    expect_int(cmd(c, "SISMEMBER tags a"), 1);
    expect_int(cmd(c, "SISMEMBER tags z"), 0);
    redisReply *r = cmd(c, "SMISMEMBER tags a z");
    expect_array_len(r, 2);
    assert_int_equal(r->element[0]->integer, 1);
    assert_int_equal(r->element[1]->integer, 0);
    freeReplyObject(r);
    expect_int(cmd(c, "SREM tags a z"), 1);
    r = cmd(c, "SMEMBERS tags");
    expect_array_len(r, 3);
    assert_true(has_str(r, "b") && has_str(r, "c") && has_str(r, "d"));
    freeReplyObject(r);
    expect_int(cmd(c, "SMOVE tags other b"), 1);
    expect_int(cmd(c, "SMOVE tags other nope"), 0);
    expect_int(cmd(c, "SISMEMBER other b"), 1);
    OK(c, "SET str x");
    expect_error(cmd(c, "SADD str a"), "WRONGTYPE");
    expect_error(cmd(c, "SPOP tags 1 2"), "ERR syntax error");
    expect_error(cmd(c, "SPOP tags -1"), "ERR value is out of range, must be positive");
    r = cmd(c, "SPOP tags 10");
    expect_array_len(r, 2);
    freeReplyObject(r);
    expect_int(cmd(c, "EXISTS tags"), 0);
    expect_nil(cmd(c, "SPOP tags"));
    redisFree(c);
}

static void test_set_algebra(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "SADD s1 a b c"), 3);
    expect_int(cmd(c, "SADD s2 b c d"), 3);
    redisReply *r = cmd(c, "SINTER s1 s2");
    expect_array_len(r, 2);
    freeReplyObject(r);
    r = cmd(c, "SUNION s1 s2 nokey");
    expect_array_len(r, 4);
    freeReplyObject(r);
    r = cmd(c, "SDIFF s1 s2");
    expect_array_len(r, 1);
    assert_string_equal(r->element[0]->str, "a");
    freeReplyObject(r);
    expect_int(cmd(c, "SINTERSTORE dst s1 s2"), 2);
    expect_int(cmd(c, "SCARD dst"), 2);
    expect_int(cmd(c, "SINTERSTORE dst s1 nokey"), 0);
    expect_int(cmd(c, "EXISTS dst"), 0);
    expect_int(cmd(c, "SINTERCARD 2 s1 s2"), 2);
    expect_int(cmd(c, "SINTERCARD 2 s1 s2 LIMIT 1"), 1);
    expect_error(cmd(c, "SINTERCARD 0 s1"), "ERR numkeys should be greater than 0");
    expect_error(cmd(c, "SINTERCARD 3 s1 s2"), "ERR Number of keys can't be greater than number of args");
    r = cmd(c, "SRANDMEMBER s1 -5");
    expect_array_len(r, 5);
    freeReplyObject(r);
    r = cmd(c, "SRANDMEMBER s1 5");
    expect_array_len(r, 3);
    freeReplyObject(r);
    redisFree(c);
}

static void test_resp3_set_reply(void **state) {
    int fd = raw_connect(srv.port);
    r3_free(r3_cmds(fd, "HELLO 3"));
    r3_free(r3_cmds(fd, "SADD r3s x"));
    r3 *r = r3_cmds(fd, "SMEMBERS r3s");
    assert_int_equal(r->type, R3_SET);
    r3_free(r);
    r3_free(r3_cmds(fd, "HSET r3h f v"));
    r = r3_cmds(fd, "HGETALL r3h");
    assert_int_equal(r->type, R3_MAP);
    r3_free(r);
    close(fd);
}

static void test_persist_hash_set_zset(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "HSET ph f v"), 1);
    expect_int(cmd(c, "SADD ps m"), 1);
    expect_int(cmd(c, "ZADD pz 2.5 m"), 1);
    OK(c, "SAVE");
    redisFree(c);
    assert_int_equal(ts_restart(&srv, 1), 0);
    c = ts_connect(&srv);
    expect_bulk(cmd(c, "HGET ph f"), "v");
    expect_int(cmd(c, "SISMEMBER ps m"), 1);
    expect_bulk(cmd(c, "ZSCORE pz m"), "2.5");
    redisFree(c);
}

/* Sets still rehashing after a burst of SADDs, and the same set named
 * twice: the intersection walks one set while looking up the others. */
static void test_set_algebra_while_rehashing(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    for (int i = 0; i < 1500; i++) {
        freeReplyObject(cmd(c, "SADD ra %d", i));
        freeReplyObject(cmd(c, "SADD rb %d", i * 2));
    }
    redisReply *r = cmd(c, "SINTER ra rb ra");
    assert_int_equal(r->elements, 750);
    freeReplyObject(r);
    r = cmd(c, "SUNION ra rb ra");
    assert_int_equal(r->elements, 2250);
    freeReplyObject(r);
    r = cmd(c, "SDIFF ra rb ra");
    assert_int_equal(r->elements, 0);
    freeReplyObject(r);
    expect_int(cmd(c, "SINTERCARD 2 ra ra"), 1500);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_basics),
        cmocka_unit_test(test_hash_increments),
        cmocka_unit_test(test_hrandfield_and_hscan),
        cmocka_unit_test(test_set_basics),
        cmocka_unit_test(test_set_algebra),
        cmocka_unit_test(test_resp3_set_reply),
        cmocka_unit_test(test_set_algebra_while_rehashing),
        cmocka_unit_test(test_persist_hash_set_zset),
    };
    return cmocka_run_group_tests_name("hash and set", tests, group_start_server, group_stop_server);
}
