/* test_replication.c: PSYNC replication between Stash servers and with
 * Debian's Redis 7.0 in both directions: full sync of existing data, the
 * live stream (including SELECT and expiries), read-only replicas, ROLE,
 * and a partial resync (+CONTINUE) after the link is killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

#define REDIS_BIN "/usr/bin/redis-server"

/* Polls until GET key on c returns want (or 10 s pass). */
static int wait_value(redisContext *c, const char *key, const char *want) {
    for (int i = 0; i < 500; i++) {
        redisReply *r = redisCommand(c, "GET %s", key);
        int ok = r && r->type == REDIS_REPLY_STRING && !strcmp(r->str, want);
        if (r) freeReplyObject(r);
        if (ok) return 1;
        usleep(20000);
    }
    return 0;
}

static long long info_field(redisContext *c, const char *section, const char *field) {
    redisReply *r = cmd(c, "INFO %s", section);
    long long v = -1;
    if (r->type == REDIS_REPLY_STRING) {
        char *p = strstr(r->str, field);
        if (p) v = strtoll(p + strlen(field) + 1, NULL, 10);
    }
    freeReplyObject(r);
    return v;
}

static void replicate_and_check(const char *master_bin, const char *replica_bin, int diskless) {
    testServer m, s;
    const char *mextra[] = {"--repl-diskless-sync", diskless ? "yes" : "no", "--repl-diskless-sync-delay", "0", NULL};
    assert_int_equal(ts_start_in(&m, master_bin, NULL, mextra), 0);
    redisContext *mc = ts_connect(&m);
    OK(mc, "SET before sync");
    OK(mc, "SELECT 3");
    OK(mc, "SET indb3 three");
    OK(mc, "SELECT 0");
    char port[16];
    snprintf(port, sizeof(port), "%d", m.port);
    const char *extra[] = {"--replicaof", "127.0.0.1", port, NULL};
    assert_int_equal(ts_start_in(&s, replica_bin, NULL, extra), 0);
    redisContext *sc = ts_connect(&s);
    assert_true(wait_value(sc, "before", "sync"));
    OK(mc, "SET live stream");
    OK(mc, "SELECT 3");
    OK(mc, "SET indb3 updated");
    OK(mc, "SELECT 0");
    assert_true(wait_value(sc, "live", "stream"));
    OK(sc, "SELECT 3");
    assert_true(wait_value(sc, "indb3", "updated"));
    OK(sc, "SELECT 0");
    expect_error(cmd(sc, "SET nope 1"), "READONLY You can't write against a read only replica.");
    redisReply *r = cmd(sc, "ROLE");
    expect_array_len(r, 5);
    assert_string_equal(r->element[0]->str, "slave");
    freeReplyObject(r);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

static void test_stash_to_stash_diskless(void **state) { replicate_and_check(NULL, NULL, 1); }
static void test_stash_to_stash_disk(void **state) { replicate_and_check(NULL, NULL, 0); }
static void test_stash_to_redis_diskless(void **state) { replicate_and_check(NULL, REDIS_BIN, 1); }
static void test_stash_to_redis_disk(void **state) { replicate_and_check(NULL, REDIS_BIN, 0); }
static void test_redis_to_stash_diskless(void **state) { replicate_and_check(REDIS_BIN, NULL, 1); }
static void test_redis_to_stash_disk(void **state) { replicate_and_check(REDIS_BIN, NULL, 0); }

static void test_partial_resync_after_link_kill(void **state) {
    testServer m, s;
    assert_int_equal(ts_start(&m, NULL), 0);
    char port[16];
    snprintf(port, sizeof(port), "%d", m.port);
    const char *extra[] = {"--replicaof", "127.0.0.1", port, NULL};
    assert_int_equal(ts_start(&s, extra), 0);
    redisContext *mc = ts_connect(&m), *sc = ts_connect(&s);
    OK(mc, "SET k1 v1");
    assert_true(wait_value(sc, "k1", "v1"));
    long long full_before = info_field(mc, "stats", "sync_full");
    expect_int(cmd(sc, "CLIENT KILL TYPE master"), 1);
    OK(mc, "SET k2 v2"); /* written while the link is down: comes from the backlog */
    assert_true(wait_value(sc, "k2", "v2"));
    assert_int_equal(info_field(mc, "stats", "sync_full"), full_before);
    assert_true(info_field(mc, "stats", "sync_partial_ok") >= 1);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stash_to_stash_diskless),
        cmocka_unit_test(test_stash_to_stash_disk),
        cmocka_unit_test(test_stash_to_redis_diskless),
        cmocka_unit_test(test_stash_to_redis_disk),
        cmocka_unit_test(test_redis_to_stash_diskless),
        cmocka_unit_test(test_redis_to_stash_disk),
        cmocka_unit_test(test_partial_resync_after_link_kill),
    };
    return cmocka_run_group_tests_name("replication", tests, NULL, NULL);
}
