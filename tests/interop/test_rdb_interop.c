/* test_rdb_interop.c: RDB files move between Stash and Debian's Redis 7.0
 * both ways: a dump Stash writes loads into redis-server with the same
 * content, and a dump redis-server writes loads into Stash; DUMP payloads
 * RESTORE both ways too. Small collections keep their compact encodings
 * (listpack, intset) across the move. Types are added here as Stash grows
 * them. */
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

static void expect_encoding(redisContext *c, const char *key, const char *enc) {
    redisReply *r = cmd(c, "OBJECT ENCODING %s", key);
    if (r->type != REDIS_REPLY_STRING || strcmp(r->str, enc))
        fail_msg("OBJECT ENCODING %s: expected %s, got %s", key, enc, r->str ? r->str : "(not a string)");
    freeReplyObject(r);
}

/* What Stash holds after loading fill_collections' keys, from any source:
 * Redis 7.2's encodings (7.0 has no listpack sets: it says hashtable). */
static void check_stash_encodings(redisContext *c) {
    expect_encoding(c, "h:small", "listpack");
    expect_encoding(c, "h:big", "listpack"); /* 300 fields: under hash-max-listpack-entries */
    expect_encoding(c, "z:small", "listpack");
    expect_encoding(c, "z:big", "skiplist");
    expect_encoding(c, "set:ints", "intset");
    expect_encoding(c, "set:strs", "listpack");
    expect_encoding(c, "set:big", "hashtable");
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
    expect_encoding(c, "h:small", "listpack");
    expect_encoding(c, "z:small", "listpack");
    expect_encoding(c, "set:ints", "intset");
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
    check_stash_encodings(c);
    redisFree(c);
    ts_stop(&stash);
}

/* Moves every collection key of fill_collections from one server to the
 * other with DUMP and RESTORE (keeping the TTL). */
static void move_by_dump(redisContext *from, redisContext *to) {
    const char *keys[] = {"h:small", "h:big", "z:small", "z:big", "set:ints", "set:strs", "set:big", "l:small", "l:big"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        redisReply *ttl = cmd(from, "PTTL %s", keys[i]);
        redisReply *d = cmd(from, "DUMP %s", keys[i]);
        assert_int_equal(d->type, REDIS_REPLY_STRING);
        expect_status(cmd(to, "RESTORE %s %lld %b REPLACE", keys[i], ttl->integer > 0 ? ttl->integer : 0, d->str, d->len),
                      "OK");
        freeReplyObject(d);
        freeReplyObject(ttl);
    }
}

static void test_dump_restore_both_ways(void **state) {
    testServer stash, redis;
    assert_int_equal(ts_start(&stash, NULL), 0);
    assert_int_equal(ts_start_in(&redis, REDIS_BIN, NULL, NULL), 0);
    redisContext *s = ts_connect(&stash), *r = ts_connect(&redis);
    fill_collections(s);
    move_by_dump(s, r);
    check_collections(r);
    expect_encoding(r, "h:small", "listpack");
    expect_encoding(r, "z:small", "listpack");
    expect_encoding(r, "set:ints", "intset");
    OK(s, "FLUSHALL");
    OK(r, "FLUSHALL");
    fill_collections(r);
    move_by_dump(r, s);
    check_collections(s);
    check_stash_encodings(s);
    redisFree(s);
    redisFree(r);
    ts_stop(&redis);
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
        cmocka_unit_test(test_dump_restore_both_ways),
    };
    return cmocka_run_group_tests_name("rdb interop", tests, NULL, NULL);
}
