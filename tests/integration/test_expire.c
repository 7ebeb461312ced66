/* test_expire.c: the expiry commands as a client sees them: EXPIRE,
 * PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT, TTL, PTTL, EXPIRETIME,
 * PEXPIRETIME, PERSIST; that an expired key is invisible to every command;
 * active expiry of keys nobody touches; and that replicas receive absolute
 * expire times and the master's DELs. One server is shared by the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/harness.h"

static const char BIN_KEY[] = "exp\r\n\0key";
#define BIN_LEN (sizeof(BIN_KEY) - 1)

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static long long int_reply(redisReply *r) {
    if (r->type != REDIS_REPLY_INTEGER) fail_msg("expected an integer, got type %d (%s)", r->type, r->str ? r->str : "");
    long long v = r->integer;
    freeReplyObject(r);
    return v;
}

static void expect_between(redisReply *r, long long lo, long long hi) {
    long long v = int_reply(r);
    if (v < lo || v > hi) fail_msg("%lld not in [%lld, %lld]", v, lo, hi);
}

/* Polls `fmt` (an integer command) until it returns want, for up to ms. */
static int wait_int(redisContext *c, long long want, int ms, const char *fmt, const char *arg) {
    for (int waited = 0; waited <= ms; waited += 20) {
        if (int_reply(cmd(c, fmt, arg)) == want) return 1;
        usleep(20000);
    }
    return 0;
}

/* ---- setting and reading expire times */

static void test_expire_and_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET k1 v");
    expect_int(cmd(c, "EXPIRE k1 100"), 1);
    expect_between(cmd(c, "TTL k1"), 99, 100);
    expect_between(cmd(c, "PTTL k1"), 99000, 100000);
    long long t0 = now_ms();
    expect_between(cmd(c, "EXPIRETIME k1"), t0 / 1000 + 98, t0 / 1000 + 101);
    expect_between(cmd(c, "PEXPIRETIME k1"), t0 + 98000, t0 + 100100);
    expect_int(cmd(c, "PEXPIRE k1 5500"), 1);
    expect_between(cmd(c, "TTL k1"), 5, 6); /* rounded to the nearest second */
    expect_between(cmd(c, "PTTL k1"), 5000, 5500);
    expect_bulk(cmd(c, "GET k1"), "v");
    redisFree(c);
}

static void test_expireat_exact(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET k2 v");
    long long at = now_ms() / 1000 + 1000;
    expect_int(cmd(c, "EXPIREAT k2 %lld", at), 1);
    expect_int(cmd(c, "EXPIRETIME k2"), at);
    expect_int(cmd(c, "PEXPIRETIME k2"), at * 1000);
    long long pat = now_ms() + 123456;
    expect_int(cmd(c, "PEXPIREAT k2 %lld", pat), 1);
    expect_int(cmd(c, "PEXPIRETIME k2"), pat);
    expect_int(cmd(c, "EXPIRETIME k2"), (pat + 500) / 1000); /* rounded, as TTL */
    /* the largest millisecond time is allowed */
    expect_int(cmd(c, "PEXPIREAT k2 9223372036854775807"), 1);
    expect_int(cmd(c, "PEXPIRETIME k2"), 9223372036854775807LL);
    redisFree(c);
}

static void test_ttl_without_key_or_expire(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *cmds[] = {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"};
    OK(c, "SET plain v");
    for (int i = 0; i < 4; i++) {
        expect_int(cmd(c, "%s nosuch", cmds[i]), -2);
        expect_int(cmd(c, "%s plain", cmds[i]), -1);
        expect_error(cmd(c, "%s", cmds[i]), "ERR wrong number of arguments");
        expect_error(cmd(c, "%s a b", cmds[i]), "ERR wrong number of arguments");
    }
    expect_int(cmd(c, "EXPIRE nosuch 100"), 0);
    expect_int(cmd(c, "PEXPIREAT nosuch 1"), 0);
    expect_int(cmd(c, "EXISTS nosuch"), 0);
    redisFree(c);
}

static void test_set_clears_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET k3 v");
    expect_int(cmd(c, "EXPIRE k3 100"), 1);
    OK(c, "SET k3 w");
    expect_int(cmd(c, "TTL k3"), -1);
    redisFree(c);
}

static void test_expire_in_the_past_deletes(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *forms[] = {"EXPIRE %s -1", "PEXPIRE %s 0", "EXPIREAT %s 1", "PEXPIREAT %s 100"};
    for (int i = 0; i < 4; i++) {
        OK(c, "SET past v");
        expect_int(cmd(c, forms[i], "past"), 1);
        expect_int(cmd(c, "EXISTS past"), 0);
    }
    OK(c, "SET past v");
    expect_int(cmd(c, "EXPIRE past -9223372036854775"), 1); /* huge negative: still fine */
    expect_int(cmd(c, "EXISTS past"), 0);
    redisFree(c);
}

static void test_persist(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET ps v");
    expect_int(cmd(c, "PERSIST ps"), 0); /* no expire */
    expect_int(cmd(c, "EXPIRE ps 100"), 1);
    expect_int(cmd(c, "PERSIST ps"), 1);
    expect_int(cmd(c, "TTL ps"), -1);
    expect_bulk(cmd(c, "GET ps"), "v");
    expect_int(cmd(c, "PERSIST ps"), 0);
    expect_int(cmd(c, "PERSIST nosuch"), 0);
    expect_error(cmd(c, "PERSIST"), "ERR wrong number of arguments for 'persist' command");
    expect_error(cmd(c, "PERSIST a b"), "ERR wrong number of arguments for 'persist' command");
    redisFree(c);
}

/* Values of every string encoding survive the expire block being added and
 * removed (the object is rebuilt each time). */
static void test_expire_keeps_value_and_encoding(void **state) {
    redisContext *c = ts_connect(&srv);
    char big[200];
    memset(big, 'z', sizeof(big));
    OK(c, "SET enc_int 987");
    OK(c, "SET enc_emb short");
    OK(c, "SET enc_raw %b", big, sizeof(big));
    const char *keys[] = {"enc_int", "enc_emb", "enc_raw"}, *encs[] = {"int", "embstr", "raw"};
    for (int i = 0; i < 3; i++) {
        expect_int(cmd(c, "EXPIRE %s 100", keys[i]), 1);
        expect_int(cmd(c, "EXPIRE %s 200", keys[i]), 1);
        expect_bulk(cmd(c, "OBJECT ENCODING %s", keys[i]), encs[i]);
        expect_int(cmd(c, "PERSIST %s", keys[i]), 1);
        expect_bulk(cmd(c, "OBJECT ENCODING %s", keys[i]), encs[i]);
    }
    expect_bulk(cmd(c, "GET enc_int"), "987");
    expect_bulk(cmd(c, "GET enc_emb"), "short");
    expect_bulk_len(cmd(c, "GET enc_raw"), big, sizeof(big));
    redisFree(c);
}

static void test_binary_key(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    expect_int(cmd(c, "EXPIRE %b 100", BIN_KEY, BIN_LEN), 1);
    expect_between(cmd(c, "TTL %b", BIN_KEY, BIN_LEN), 99, 100);
    expect_int(cmd(c, "TTL %b", "exp\r\n", (size_t)5), -2);
    expect_int(cmd(c, "PERSIST %b", BIN_KEY, BIN_LEN), 1);
    expect_int(cmd(c, "PEXPIRE %b 0", BIN_KEY, BIN_LEN), 1);
    expect_int(cmd(c, "EXISTS %b", BIN_KEY, BIN_LEN), 0);
    redisFree(c);
}

/* ---- NX | XX | GT | LT */

static void test_conditions_without_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET cond v");
    expect_int(cmd(c, "EXPIRE cond 100 XX"), 0);
    expect_int(cmd(c, "EXPIRE cond 100 GT"), 0); /* no TTL counts as infinite */
    expect_int(cmd(c, "TTL cond"), -1);
    expect_int(cmd(c, "EXPIRE cond 100 LT"), 1);
    expect_between(cmd(c, "TTL cond"), 99, 100);
    OK(c, "SET cond v");
    expect_int(cmd(c, "EXPIRE cond 100 nx"), 1);
    expect_int(cmd(c, "EXPIRE cond 200 NX"), 0);
    expect_between(cmd(c, "TTL cond"), 99, 100);
    redisFree(c);
}

static void test_conditions_with_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET cond2 v");
    expect_int(cmd(c, "EXPIRE cond2 100"), 1);
    expect_int(cmd(c, "EXPIRE cond2 200 XX"), 1);
    expect_between(cmd(c, "TTL cond2"), 199, 200);
    expect_int(cmd(c, "EXPIRE cond2 50 GT"), 0);
    long long at = now_ms() + 200000;
    expect_int(cmd(c, "PEXPIREAT cond2 %lld", at), 1);
    expect_int(cmd(c, "PEXPIREAT cond2 %lld GT", at), 0); /* equal is neither greater */
    expect_int(cmd(c, "PEXPIREAT cond2 %lld LT", at), 0); /* nor less */
    expect_int(cmd(c, "EXPIRE cond2 300 gt"), 1);
    expect_between(cmd(c, "TTL cond2"), 299, 300);
    expect_int(cmd(c, "EXPIRE cond2 400 LT"), 0);
    expect_int(cmd(c, "EXPIRE cond2 50 LT"), 1);
    expect_between(cmd(c, "TTL cond2"), 49, 50);
    expect_int(cmd(c, "EXPIRE cond2 60 XX GT"), 1);
    expect_int(cmd(c, "EXPIRE cond2 70 XX XX"), 1); /* repeats are fine */
    expect_int(cmd(c, "PEXPIRE cond2 1000 LT XX"), 1);
    expect_between(cmd(c, "PTTL cond2"), 900, 1000);
    long long far = now_ms() + 1000000;
    expect_int(cmd(c, "PEXPIREAT cond2 %lld GT", far), 1);
    expect_int(cmd(c, "PEXPIRETIME cond2"), far);
    expect_int(cmd(c, "EXPIREAT cond2 %lld LT", far / 1000 + 10), 0);
    expect_int(cmd(c, "EXPIRE cond2 -1 LT"), 1); /* the past still deletes */
    expect_int(cmd(c, "EXISTS cond2"), 0);
    redisFree(c);
}

static void test_option_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET opt v");
    const char *nx_combo = "ERR NX and XX, GT or LT options at the same time are not compatible";
    expect_error(cmd(c, "EXPIRE opt 100 NX XX"), nx_combo);
    expect_error(cmd(c, "EXPIRE opt 100 NX GT"), nx_combo);
    expect_error(cmd(c, "PEXPIRE opt 100 LT NX"), nx_combo);
    expect_error(cmd(c, "EXPIRE opt 100 GT LT"), "ERR GT and LT options at the same time are not compatible");
    expect_error(cmd(c, "EXPIREAT opt 100 lt gt"), "ERR GT and LT options at the same time are not compatible");
    expect_error(cmd(c, "EXPIRE opt 100 foo"), "ERR Unsupported option foo");
    expect_error(cmd(c, "EXPIRE opt 100 NX foo"), "ERR Unsupported option foo");
    expect_error(cmd(c, "EXPIRE opt abc foo"), "ERR Unsupported option foo"); /* options come first */
    expect_error(cmd(c, "EXPIRE nosuch 100 NX XX"), nx_combo);
    expect_int(cmd(c, "TTL opt"), -1);
    redisFree(c);
}

static void test_time_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET tm v");
    const char *names[] = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
    for (int i = 0; i < 4; i++) {
        expect_error(cmd(c, "%s tm abc", names[i]), "ERR value is not an integer or out of range");
        expect_error(cmd(c, "%s tm 1.5", names[i]), "ERR value is not an integer or out of range");
        expect_error(cmd(c, "%s tm 9223372036854775808", names[i]), "ERR value is not an integer or out of range");
        expect_error(cmd(c, "%s tm", names[i]), "ERR wrong number of arguments");
    }
    expect_error(cmd(c, "EXPIRE tm 9223372036854775807"), "ERR invalid expire time in 'expire' command");
    expect_error(cmd(c, "EXPIRE tm 9223372036854775"), "ERR invalid expire time in 'expire' command");
    expect_error(cmd(c, "EXPIRE tm -9223372036854775808"), "ERR invalid expire time in 'expire' command");
    expect_error(cmd(c, "PEXPIRE tm 9223372036854775807"), "ERR invalid expire time in 'pexpire' command");
    expect_error(cmd(c, "EXPIREAT tm 9223372036854775807"), "ERR invalid expire time in 'expireat' command");
    expect_error(cmd(c, "expireat tm -9223372036854775808"), "ERR invalid expire time in 'expireat' command");
    expect_int(cmd(c, "TTL tm"), -1); /* nothing changed */
    redisFree(c);
}

/* ---- expired keys are gone for every command */

static void test_expired_key_is_invisible(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET gone v");
    OK(c, "SET other v");
    expect_int(cmd(c, "PEXPIRE gone 30"), 1);
    expect_bulk(cmd(c, "GET gone"), "v");
    usleep(60000);
    expect_nil(cmd(c, "GET gone"));
    expect_int(cmd(c, "EXISTS gone"), 0);
    expect_int(cmd(c, "TTL gone"), -2);
    expect_int(cmd(c, "PTTL gone"), -2);
    expect_status(cmd(c, "TYPE gone"), "none");
    expect_int(cmd(c, "TOUCH gone"), 0);
    expect_int(cmd(c, "PERSIST gone"), 0);
    expect_int(cmd(c, "EXPIRE gone 100"), 0);
    expect_error(cmd(c, "RENAME gone x"), "ERR no such key");
    expect_int(cmd(c, "MOVE gone 1"), 0);
    expect_int(cmd(c, "COPY gone x"), 0);
    expect_nil(cmd(c, "OBJECT ENCODING gone"));
    expect_int(cmd(c, "DEL gone"), 0);
    redisReply *r = cmd(c, "KEYS *");
    expect_array_len(r, 1);
    assert_string_equal(r->element[0]->str, "other");
    freeReplyObject(r);
    r = cmd(c, "SCAN 0 COUNT 100");
    assert_int_equal(r->element[1]->elements, 1);
    freeReplyObject(r);
    expect_int(cmd(c, "DBSIZE"), 1);
    redisFree(c);
}

/* An expired destination is simply replaced. */
static void test_expired_destination(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET src v");
    OK(c, "SET dst old");
    expect_int(cmd(c, "PEXPIRE dst 10"), 1);
    usleep(30000);
    expect_int(cmd(c, "RENAMENX src dst"), 1);
    expect_bulk(cmd(c, "GET dst"), "v");
    expect_int(cmd(c, "TTL dst"), -1);
    OK(c, "SET cp old");
    expect_int(cmd(c, "PEXPIRE cp 10"), 1);
    usleep(30000);
    expect_int(cmd(c, "COPY dst cp"), 1);
    expect_bulk(cmd(c, "GET cp"), "v");
    redisFree(c);
}

/* Keys nobody touches still go: DBSIZE counts without expiring anything. */
static void test_active_expiry(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    for (int db = 0; db < 3; db++) {
        OK(c, "SELECT %d", db);
        for (int i = 0; i < 100; i++) {
            OK(c, "SET act:%d v", i);
            expect_int(cmd(c, "PEXPIRE act:%d 100", i), 1);
        }
        OK(c, "SET forever v");
        expect_int(cmd(c, "DBSIZE"), 101);
    }
    for (int db = 0; db < 3; db++) {
        OK(c, "SELECT %d", db);
        if (!wait_int(c, 1, 3000, "DBSIZE", NULL)) fail_msg("db %d still has volatile keys", db);
        expect_int(cmd(c, "EXISTS forever"), 1);
    }
    OK(c, "SELECT 0");
    redisFree(c);
}

/* ---- replication: absolute times and the master's DELs */

static void start_replica(testServer *rep, redisContext **rc, redisContext *master) {
    assert_int_equal(ts_start(rep, NULL), 0);
    *rc = ts_connect(rep);
    OK(*rc, "REPLICAOF 127.0.0.1 %d", srv.port);
    OK(master, "SET repl:ready 1");
    for (int i = 0; i < 500; i++) { /* 10 s: Redis waits 5 s before a diskless sync */
        redisReply *r = cmd(*rc, "EXISTS repl:ready");
        long long v = r->integer;
        freeReplyObject(r);
        if (v == 1) return;
        usleep(20000);
    }
    fail_msg("replica never synced");
}

static void test_replica_gets_absolute_times_and_dels(void **state) {
    redisContext *m = ts_connect(&srv), *r;
    OK(m, "FLUSHALL");
    testServer rep = {0};
    start_replica(&rep, &r, m);
    OK(m, "SET rk v");
    expect_int(cmd(m, "EXPIRE rk 1000"), 1);
    long long when = int_reply(cmd(m, "PEXPIRETIME rk"));
    if (!wait_int(r, when, 3000, "PEXPIRETIME %s", "rk")) fail_msg("replica has another expire time");
    /* an expire in the past reaches the replica as a DEL */
    expect_int(cmd(m, "EXPIREAT rk 1"), 1);
    if (!wait_int(r, 0, 3000, "EXISTS %s", "rk")) fail_msg("replica kept rk");
    /* keys the master expires on its own are deleted on the replica too */
    for (int i = 0; i < 20; i++) {
        OK(m, "SET rv:%d v", i);
        expect_int(cmd(m, "PEXPIRE rv:%d 50", i), 1);
    }
    if (!wait_int(r, 1, 3000, "DBSIZE", NULL)) fail_msg("replica kept expired keys"); /* repl:ready stays */
    expect_error(cmd(r, "EXPIRE repl:ready 10"), "READONLY");
    redisFree(r);
    ts_stop(&rep);
    redisFree(m);
}

/* A writable replica expires the keys its own clients gave a TTL (the
 * master never sends DELs for them), counted in expired_keys; keys that
 * came from the master keep waiting for the master's DEL. */
static void test_writable_replica_expires_its_own_keys(void **state) {
    redisContext *m = ts_connect(&srv), *r;
    OK(m, "FLUSHALL");
    testServer rep = {0};
    start_replica(&rep, &r, m);
    OK(r, "CONFIG SET replica-read-only no");
    OK(r, "SET own1 v PX 1");
    OK(r, "SET own2 v");
    expect_int(cmd(r, "PEXPIRE own2 1"), 1);
    OK(r, "SET own3 v EX 1000"); /* not yet due */
    /* DBSIZE counts keys physically present: repl:ready and own3 remain */
    if (!wait_int(r, 2, 3000, "DBSIZE", NULL)) fail_msg("the replica did not delete its expired keys");
    expect_int(cmd(r, "EXISTS own3"), 1);
    redisReply *info = cmd(r, "INFO stats");
    assert_non_null(strstr(info->str, "expired_keys:2\r\n"));
    freeReplyObject(info);
    redisFree(r);
    ts_stop(&rep);
    redisFree(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expire_and_ttl),
        cmocka_unit_test(test_expireat_exact),
        cmocka_unit_test(test_ttl_without_key_or_expire),
        cmocka_unit_test(test_set_clears_ttl),
        cmocka_unit_test(test_expire_in_the_past_deletes),
        cmocka_unit_test(test_persist),
        cmocka_unit_test(test_expire_keeps_value_and_encoding),
        cmocka_unit_test(test_binary_key),
        cmocka_unit_test(test_conditions_without_ttl),
        cmocka_unit_test(test_conditions_with_ttl),
        cmocka_unit_test(test_option_errors),
        cmocka_unit_test(test_time_errors),
        cmocka_unit_test(test_expired_key_is_invisible),
        cmocka_unit_test(test_expired_destination),
        cmocka_unit_test(test_active_expiry),
        cmocka_unit_test(test_replica_gets_absolute_times_and_dels),
        cmocka_unit_test(test_writable_replica_expires_its_own_keys),
    };
    return cmocka_run_group_tests_name("expire", tests, group_start_server, group_stop_server);
}
