/* test_rdb_interop.c: RDB files move between Stash and Debian's Redis 7.0
 * both ways: a dump Stash writes loads into redis-server with the same
 * content, and a dump redis-server writes loads into Stash. Types are
 * added here as Stash grows them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

#define REDIS_BIN "/usr/bin/redis-server"

static void fill_strings(redisContext *c) {
    OK(c, "SET s:small abc");
    OK(c, "SET s:int 123456789");
    OK(c, "SET s:neg -42");
    OK(c, "SET s:binary %b", "\0\r\n\xff", (size_t)4);
    char big[5000];
    for (int i = 0; i < 4999; i++) big[i] = (char)('a' + i % 7);
    big[4999] = '\0';
    OK(c, "SET s:big %s", big);
    OK(c, "SET s:ttl v EX 1000");
    OK(c, "SELECT 5");
    OK(c, "SET s:db5 five");
    OK(c, "SELECT 0");
}

/* Every type, in the small (compact) and large encodings Redis uses. */
static void fill_collections(redisContext *c) {
    freeReplyObject(cmd(c, "HSET h:small f1 v1 f2 2"));
    for (int i = 0; i < 300; i++) freeReplyObject(cmd(c, "HSET h:big field%d value%d", i, i));
    freeReplyObject(cmd(c, "ZADD z:small 1.5 a 2 b -3 c"));
    for (int i = 0; i < 300; i++) freeReplyObject(cmd(c, "ZADD z:big %d m%d", i, i));
    freeReplyObject(cmd(c, "SADD set:ints 1 2 3 -100 99999999999"));
    freeReplyObject(cmd(c, "SADD set:strs a b c"));
    for (int i = 0; i < 600; i++) freeReplyObject(cmd(c, "SADD set:big %d", i));
    freeReplyObject(cmd(c, "RPUSH l:small a 1 b"));
    for (int i = 0; i < 1000; i++) freeReplyObject(cmd(c, "RPUSH l:big item%d", i));
    freeReplyObject(cmd(c, "PEXPIRE h:small 500000"));
}

static void check_collections(redisContext *c) {
    expect_bulk(cmd(c, "HGET h:small f2"), "2");
    expect_int(cmd(c, "HLEN h:big"), 300);
    expect_bulk(cmd(c, "HGET h:big field299"), "value299");
    expect_bulk(cmd(c, "ZSCORE z:small a"), "1.5");
    expect_bulk(cmd(c, "ZSCORE z:small c"), "-3");
    expect_int(cmd(c, "ZCARD z:big"), 300);
    expect_int(cmd(c, "ZRANK z:big m250"), 250);
    expect_int(cmd(c, "SCARD set:ints"), 5);
    expect_int(cmd(c, "SISMEMBER set:ints 99999999999"), 1);
    expect_int(cmd(c, "SISMEMBER set:strs b"), 1);
    expect_int(cmd(c, "SCARD set:big"), 600);
    expect_bulk(cmd(c, "LINDEX l:small 1"), "1");
    expect_int(cmd(c, "LLEN l:big"), 1000);
    expect_bulk(cmd(c, "LINDEX l:big 999"), "item999");
    redisReply *r = cmd(c, "PTTL h:small");
    assert_true(r->integer > 400000);
    freeReplyObject(r);
}

static void check_strings(redisContext *c) {
    expect_bulk(cmd(c, "GET s:small"), "abc");
    expect_bulk(cmd(c, "GET s:int"), "123456789");
    expect_bulk(cmd(c, "GET s:neg"), "-42");
    expect_bulk_len(cmd(c, "GET s:binary"), "\0\r\n\xff", 4);
    redisReply *r = cmd(c, "STRLEN s:big");
    expect_int(r, 4999);
    r = cmd(c, "TTL s:ttl");
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    assert_true(r->integer > 900 && r->integer <= 1000);
    freeReplyObject(r);
    OK(c, "SELECT 5");
    expect_bulk(cmd(c, "GET s:db5"), "five");
    OK(c, "SELECT 0");
}

static void test_stash_dump_loads_in_redis(void **state) {
    testServer stash, redis;
    assert_int_equal(ts_start(&stash, NULL), 0);
    redisContext *c = ts_connect(&stash);
    fill_strings(c);
    fill_collections(c);
    OK(c, "SAVE");
    redisFree(c);
    assert_int_equal(ts_start_in(&redis, REDIS_BIN, stash.dir, NULL), 0);
    c = ts_connect(&redis);
    check_collections(c);
    check_strings(c);
    redisFree(c);
    ts_stop(&redis);
    ts_stop(&stash);
}

static void test_redis_dump_loads_in_stash(void **state) {
    testServer redis, stash;
    assert_int_equal(ts_start_in(&redis, REDIS_BIN, NULL, NULL), 0);
    redisContext *c = ts_connect(&redis);
    fill_strings(c);
    fill_collections(c);
    OK(c, "SAVE");
    redisFree(c);
    char dir[256];
    snprintf(dir, sizeof(dir), "%s", redis.dir);
    redis.keep_dir = 1;
    ts_stop(&redis);
    assert_int_equal(ts_start_in(&stash, NULL, dir, NULL), 0);
    stash.keep_dir = 0; /* stash's stop removes the shared directory */
    c = ts_connect(&stash);
    check_collections(c);
    check_strings(c);
    redisFree(c);
    ts_stop(&stash);
}

static void test_redis_check_rdb_accepts_stash_dump(void **state) {
    testServer stash;
    assert_int_equal(ts_start(&stash, NULL), 0);
    redisContext *c = ts_connect(&stash);
    fill_strings(c);
    fill_collections(c);
    OK(c, "SAVE");
    redisFree(c);
    char line[600];
    snprintf(line, sizeof(line), "timeout 30 redis-check-rdb %s/dump.rdb 2>&1", stash.dir);
    FILE *p = popen(line, "r");
    char out[8192];
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    if (rc != 0 || !strstr(out, "RDB looks OK")) fail_msg("redis-check-rdb said:\n%s", out);
    ts_stop(&stash);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stash_dump_loads_in_redis),
        cmocka_unit_test(test_redis_dump_loads_in_stash),
        cmocka_unit_test(test_redis_check_rdb_accepts_stash_dump),
    };
    return cmocka_run_group_tests_name("rdb interop", tests, NULL, NULL);
}
