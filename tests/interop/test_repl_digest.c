/* test_repl_digest.c: replicas hold exactly the master's dataset after a
 * mixed write load. 100,000 pipelined commands (SET with and without EX,
 * PEXPIRE, DEL, INCR/INCRBY, APPEND, list/hash/set/zset writes, MULTI/EXEC
 * blocks, two databases) go to a master; keys with short TTLs expire on
 * the master and reach the replicas as DELs. Then DEBUG DIGEST must be
 * equal everywhere: on a Stash master, its Stash replica, a chained Stash
 * replica and a Redis 7.0 replica; and on a Redis 7.0 master and its Stash
 * replica (the digest is Redis's algorithm, so it compares across
 * servers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interop/repl_helpers.h"

#define LOAD_COMMANDS 100000
#define KEYS_PER_TYPE 400
#define BATCH 1000

static unsigned long long rng_state;
static unsigned rnd(unsigned n) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

/* Appends one command of the mix; returns how many replies it expects. */
static int append_one(redisContext *c) {
    unsigned k = rnd(KEYS_PER_TYPE), op = rnd(100);
    /* 0 to 80 bytes of padding: embstr and raw strings */
    static const char pad[] =
        "--------------------------------------------------------------------------------";
    if (op < 14) return redisAppendCommand(c, "SET str:%u v%u%s", k, rnd(1000000), pad + rnd(81)), 1;
    if (op < 18) return redisAppendCommand(c, "SET str:%u %u", k, rnd(100000)), 1;
    if (op < 22) return redisAppendCommand(c, "SET tmp:%u short EX 1", k), 1;
    if (op < 25) return redisAppendCommand(c, "SET str:%u long EX %u", k, 1000 + rnd(1000)), 1;
    if (op < 28) return redisAppendCommand(c, "PEXPIRE list:%u %u", k, 100 + rnd(500)), 1;
    if (op < 30) return redisAppendCommand(c, "PEXPIRE hash:%u 10000000", k), 1;
    if (op < 36) {
        static const char *ns[] = {"str", "cnt", "list", "hash", "set", "zset"};
        return redisAppendCommand(c, "DEL %s:%u", ns[rnd(6)], k), 1;
    }
    if (op < 42) return redisAppendCommand(c, "INCR cnt:%u", k), 1;
    if (op < 45) return redisAppendCommand(c, "INCRBY cnt:%u %d", k, (int)rnd(2000) - 1000), 1;
    if (op < 47) return redisAppendCommand(c, "APPEND app:%u abc%u", k % 50, k), 1;
    if (op < 53) return redisAppendCommand(c, "RPUSH list:%u e%u", k, rnd(1000)), 1;
    if (op < 56) return redisAppendCommand(c, "LPUSH list:%u %u", k, rnd(1000)), 1;
    if (op < 58) return redisAppendCommand(c, "LPOP list:%u", k), 1;
    if (op < 64) return redisAppendCommand(c, "HSET hash:%u f%u v%u", k, rnd(200), rnd(1000)), 1;
    if (op < 66) return redisAppendCommand(c, "HDEL hash:%u f%u", k, rnd(200)), 1;
    if (op < 68) return redisAppendCommand(c, "HINCRBY hash:%u n %u", k, rnd(10)), 1;
    if (op < 74) return redisAppendCommand(c, "SADD set:%u %u", k, rnd(k % 2 ? 600 : 100000)), 1;
    if (op < 76) return redisAppendCommand(c, "SADD set:%u m%u", k + KEYS_PER_TYPE, rnd(300)), 1;
    if (op < 78) return redisAppendCommand(c, "SREM set:%u %u", k, rnd(600)), 1;
    if (op < 84) return redisAppendCommand(c, "ZADD zset:%u %u.5 m%u", k, rnd(1000), rnd(300)), 1;
    if (op < 86) return redisAppendCommand(c, "ZINCRBY zset:%u 2 m%u", k, rnd(300)), 1;
    if (op < 88) return redisAppendCommand(c, "ZREM zset:%u m%u", k, rnd(300)), 1;
    if (op < 92) { /* the same names in db 1 */
        redisAppendCommand(c, "SELECT 1");
        redisAppendCommand(c, "HSET hash:%u f%u %u", k, rnd(20), rnd(1000));
        redisAppendCommand(c, "SET str:%u x EX %u", k, 1 + rnd(3) * 1000);
        redisAppendCommand(c, "SELECT 0");
        return 4;
    }
    if (op < 94) {
        redisAppendCommand(c, "MULTI");
        redisAppendCommand(c, "INCR cnt:%u", k);
        redisAppendCommand(c, "RPUSH list:%u tx", k);
        redisAppendCommand(c, "EXEC");
        return 4;
    }
    if (op < 97) return redisAppendCommand(c, "SETEX tmp:%u 1 gone", k + KEYS_PER_TYPE), 1;
    return redisAppendCommand(c, "GETDEL str:%u", k), 1;
}

/* Runs the load through a pipeline; every reply is read (errors such as
 * INCR on a non-integer are fine: they are not propagated). */
static void write_load(redisContext *c, int ncommands) {
    rng_state = 42;
    for (int sent = 0; sent < ncommands;) {
        int replies = 0;
        for (int i = 0; i < BATCH && sent < ncommands; i++, sent++) replies += append_one(c);
        for (int i = 0; i < replies; i++) {
            redisReply *r = NULL;
            assert_int_equal(redisGetReply(c, (void **)&r), REDIS_OK);
            freeReplyObject(r);
        }
    }
}

/* After the short TTLs ran out, a full SCAN of every used db makes the
 * master delete (and propagate) whatever its active expiry left. */
static void expire_everything_due(redisContext *c) {
    usleep(1200000);
    for (int db = 0; db < 2; db++) {
        OK(c, "SELECT %d", db);
        char cursor[32] = "0";
        int rounds = 0;
        do {
            redisReply *r = cmd(c, "SCAN %s COUNT 1000", cursor);
            assert_int_equal(r->type, REDIS_REPLY_ARRAY);
            snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
            freeReplyObject(r);
        } while (strcmp(cursor, "0") && ++rounds < 10000);
    }
    OK(c, "SELECT 0");
}

static void expect_digests_equal(redisContext *m, redisContext **rs, int n) {
    char dm[41], dr[41];
    digest(m, dm);
    assert_string_not_equal(dm, "0000000000000000000000000000000000000000");
    for (int i = 0; i < n; i++) {
        digest(rs[i], dr);
        if (strcmp(dm, dr)) {
            redisReply *a = cmd(m, "DBSIZE"), *b = cmd(rs[i], "DBSIZE");
            print_error("replica %d: dbsize %lld vs master %lld\n", i, b->integer, a->integer);
            freeReplyObject(a);
            freeReplyObject(b);
        }
        assert_string_equal(dm, dr);
    }
}

static void test_stash_master_stash_chained_and_redis_replicas(void **state) {
    testServer m, r1, r2, r3;
    const char *mextra[] = {"--repl-diskless-sync-delay", "0", NULL};
    const char *disk[] = {"--repl-diskless-sync", "no", NULL};
    assert_int_equal(ts_start(&m, mextra), 0);
    assert_int_equal(start_replica(&r1, NULL, &m, disk), 0);
    assert_int_equal(start_replica(&r2, NULL, &r1, NULL), 0);
    assert_int_equal(start_replica(&r3, REDIS_BIN, &m, NULL), 0);
    redisContext *mc = ts_connect(&m);
    redisContext *rc[3] = {ts_connect(&r1), ts_connect(&r2), ts_connect(&r3)};
    OK(mc, "SET warmup 1");
    assert_true(wait_synced(mc, rc, 3, 10000));
    write_load(mc, LOAD_COMMANDS);
    expire_everything_due(mc);
    assert_true(wait_synced(mc, rc, 3, 20000));
    redisReply *r = cmd(mc, "DBSIZE");
    assert_true(r->integer > 1000);
    freeReplyObject(r);
    assert_true(info_field(mc, "stats", "expired_keys") > 100);
    expect_digests_equal(mc, rc, 3);
    for (int i = 0; i < 3; i++) redisFree(rc[i]);
    redisFree(mc);
    ts_stop(&r3);
    ts_stop(&r2);
    ts_stop(&r1);
    ts_stop(&m);
}

static void test_redis_master_stash_replica(void **state) {
    testServer m, s;
    assert_int_equal(ts_start_in(&m, REDIS_BIN, NULL, NULL), 0);
    assert_int_equal(start_replica(&s, NULL, &m, NULL), 0);
    redisContext *mc = ts_connect(&m), *sc = ts_connect(&s);
    OK(mc, "SET warmup 1");
    assert_true(wait_synced(mc, &sc, 1, 10000));
    write_load(mc, LOAD_COMMANDS);
    expire_everything_due(mc);
    assert_true(wait_synced(mc, &sc, 1, 20000));
    expect_digests_equal(mc, &sc, 1);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stash_master_stash_chained_and_redis_replicas),
        cmocka_unit_test(test_redis_master_stash_replica),
    };
    return cmocka_run_group_tests_name("repl_digest", tests, NULL, NULL);
}
