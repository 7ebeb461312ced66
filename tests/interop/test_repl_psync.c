/* test_repl_psync.c: partial resynchronization. A replica whose link is
 * killed continues with +CONTINUE from the backlog (no new full sync, in
 * the db the stream was in), between Stash servers and with Redis 7.0 on
 * either side; a backlog overrun while the link is down falls back to a
 * full sync; after REPLICAOF NO ONE the promoted replica continues its
 * former sibling's stream through replid2 (PSYNC2); a chained replica gets
 * byte for byte the stream its master's master sends; FAILOVER hands
 * the master role to a replica with partial resyncs only. The masters'
 * INFO stats sync_full / sync_partial_ok count what happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interop/repl_helpers.h"

static const char *fast_sync[] = {"--repl-diskless-sync-delay", "0", NULL};

/* Master and replica (bin NULL: Stash); the link is killed on the replica
 * side with CLIENT KILL TYPE master while the stream is in db 5. */
static void partial_after_link_kill(const char *master_bin, const char *replica_bin) {
    testServer m, s;
    assert_int_equal(ts_start_in(&m, master_bin, NULL, fast_sync), 0);
    assert_int_equal(start_replica(&s, replica_bin, &m, NULL), 0);
    redisContext *mc = ts_connect(&m), *sc = ts_connect(&s);
    OK(mc, "SET k1 v1");
    OK(mc, "SELECT 5");
    OK(mc, "SET k5 v5"); /* the stream is now in db 5 */
    assert_true(wait_synced(mc, &sc, 1, 10000));
    long long full = info_field(mc, "stats", "sync_full"),
              partial = info_field(mc, "stats", "sync_partial_ok");
    assert_int_equal(full, 1);
    expect_int(cmd(sc, "CLIENT KILL TYPE master"), 1);
    OK(mc, "SET k5b written-while-down"); /* no SELECT: comes from the backlog */
    OK(mc, "SELECT 0");
    OK(mc, "SET k2 v2");
    assert_true(wait_value(sc, "k2", "v2"));
    assert_true(wait_synced(mc, &sc, 1, 10000));
    OK(sc, "SELECT 5");
    expect_bulk(cmd(sc, "GET k5b"), "written-while-down");
    OK(sc, "SELECT 0");
    assert_int_equal(info_field(mc, "stats", "sync_full"), full);
    assert_int_equal(info_field(mc, "stats", "sync_partial_ok"), partial + 1);
    assert_true(ts_wait_log(&m, "Partial resynchronization request from", 2000));
    assert_true(
        ts_wait_log(&s, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.", 2000));
    char dm[41], ds[41];
    digest(mc, dm);
    digest(sc, ds);
    assert_string_equal(dm, ds);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

static void test_partial_stash_to_stash(void **state) { partial_after_link_kill(NULL, NULL); }
static void test_partial_redis_master_stash_replica(void **state) {
    partial_after_link_kill(REDIS_BIN, NULL);
}
static void test_partial_stash_master_redis_replica(void **state) {
    partial_after_link_kill(NULL, REDIS_BIN);
}

/* The exact reply to a PSYNC that can continue. */
static void test_psync_reply_is_continue(void **state) {
    testServer m;
    assert_int_equal(ts_start(&m, fast_sync), 0);
    redisContext *mc = ts_connect(&m);
    char line[256], replid[64];
    int fd = fake_replica(m.port, "PSYNC ? -1\r\n", line, sizeof(line)); /* creates the backlog */
    assert_true(!strncmp(line, "+FULLRESYNC ", 12));
    close(fd);
    long long off = info_field(mc, "replication", "master_repl_offset");
    OK(mc, "SET k v");
    OK(mc, "CONFIG SET repl-backlog-size 2097152"); /* a resize keeps the history */
    info_str(mc, "replication", "master_replid", replid, sizeof(replid));
    fd = fake_psync(m.port, replid, off + 1, line, sizeof(line));
    char want[128];
    snprintf(want, sizeof(want), "+CONTINUE %s", replid);
    assert_string_equal(line, want);
    OK(mc, "SET k2 v2");
    char buf[256];
    const char *expect = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
                         "*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$2\r\nv2\r\n";
    assert_int_equal(raw_read(fd, buf, strlen(expect), 2000), strlen(expect));
    assert_memory_equal(buf, expect, strlen(expect));
    close(fd);
    redisFree(mc);
    ts_stop(&m);
}

/* More than repl-backlog-size (shrunk by CONFIG SET) written while the
 * replica is away: its offset left the backlog, so it gets a full sync. */
static void test_backlog_overrun_falls_back_to_full_sync(void **state) {
    testServer m, s;
    assert_int_equal(ts_start(&m, fast_sync), 0);
    assert_int_equal(start_replica(&s, NULL, &m, NULL), 0);
    redisContext *mc = ts_connect(&m), *sc = ts_connect(&s);
    OK(mc, "SET before overrun");
    assert_true(wait_synced(mc, &sc, 1, 10000));
    assert_int_equal(info_field(mc, "stats", "sync_full"), 1);
    OK(mc, "CONFIG SET repl-backlog-size 16384"); /* shrinks the live backlog */
    kill(s.pid, SIGSTOP);                         /* cannot reconnect before we are done */
    expect_int(cmd(mc, "CLIENT KILL TYPE replica"), 1);
    char val[1024];
    memset(val, 'x', sizeof(val) - 1);
    val[sizeof(val) - 1] = '\0';
    for (int i = 0; i < 64; i++) OK(mc, "SET fill:%d %s", i, val); /* 64 KB > 16 KB backlog */
    OK(mc, "SET after overrun");
    assert_int_equal(info_field(mc, "replication", "repl_backlog_histlen"), 16384);
    kill(s.pid, SIGCONT);
    assert_true(wait_value(sc, "after", "overrun"));
    assert_true(wait_synced(mc, &sc, 1, 10000));
    assert_int_equal(info_field(mc, "stats", "sync_full"), 2);
    assert_int_equal(info_field(mc, "stats", "sync_partial_ok"), 0);
    assert_true(ts_wait_log(&m, "for lack of backlog", 1000));
    expect_int(cmd(sc, "DBSIZE"), 66);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

/* Replicas A and B of M; A is promoted with REPLICAOF NO ONE and B is
 * re-pointed to A: B continues with a partial resync through A's replid2. */
static void promotion_keeps_partial_resync(const char *b_bin) {
    testServer m, a, b;
    assert_int_equal(ts_start(&m, fast_sync), 0);
    assert_int_equal(start_replica(&a, NULL, &m, fast_sync), 0);
    assert_int_equal(start_replica(&b, b_bin, &m, NULL), 0);
    redisContext *mc = ts_connect(&m), *ac = ts_connect(&a), *bc = ts_connect(&b);
    redisContext *both[2] = {ac, bc};
    for (int i = 0; i < 100; i++) OK(mc, "SET key:%d %d", i, i);
    expect_int(cmd(mc, "RPUSH list a b c"), 3);
    assert_true(wait_synced(mc, both, 2, 10000));
    char old_id[64], id[64], id2[64];
    info_str(mc, "replication", "master_replid", old_id, sizeof(old_id));
    long long old_off = info_field(mc, "replication", "master_repl_offset");
    ts_stop(&m); /* the master dies */

    OK(ac, "REPLICAOF NO ONE");
    info_str(ac, "replication", "master_replid", id, sizeof(id));
    info_str(ac, "replication", "master_replid2", id2, sizeof(id2));
    assert_string_equal(id2, old_id);
    assert_string_not_equal(id, old_id);
    assert_int_equal(info_field(ac, "replication", "second_repl_offset"), old_off + 1);
    OK(ac, "SET promoted yes");

    OK(bc, "REPLICAOF 127.0.0.1 %d", a.port);
    assert_true(wait_value(bc, "promoted", "yes"));
    assert_true(wait_synced(ac, &bc, 1, 10000));
    assert_int_equal(info_field(ac, "stats", "sync_full"), 0);
    assert_int_equal(info_field(ac, "stats", "sync_partial_ok"), 1);
    char dig_a[41], dig_b[41];
    digest(ac, dig_a);
    digest(bc, dig_b);
    assert_string_equal(dig_a, dig_b);
    /* B follows the new history too */
    info_str(bc, "replication", "master_replid", id2, sizeof(id2));
    assert_string_equal(id2, id);
    redisFree(bc);
    redisFree(ac);
    redisFree(mc);
    ts_stop(&b);
    ts_stop(&a);
}

static void test_promotion_psync2_stash(void **state) { promotion_keeps_partial_resync(NULL); }
static void test_promotion_psync2_redis_sibling(void **state) { promotion_keeps_partial_resync(REDIS_BIN); }

/* M -> R1 -> R2: R1 forwards M's stream verbatim. Two fake replicas ask M
 * and R1 to continue from the same offset; they must receive the same bytes. */
static void test_chained_replica_gets_the_masters_stream(void **state) {
    testServer m, r1, r2;
    assert_int_equal(ts_start(&m, fast_sync), 0);
    assert_int_equal(start_replica(&r1, NULL, &m, fast_sync), 0);
    assert_int_equal(start_replica(&r2, NULL, &r1, NULL), 0);
    redisContext *mc = ts_connect(&m), *c1 = ts_connect(&r1), *c2 = ts_connect(&r2);
    OK(mc, "SET k v");
    assert_true(wait_synced(mc, &c1, 1, 10000));
    assert_true(wait_synced(mc, &c2, 1, 10000));
    char replid[64], replid1[64], replid2[64];
    info_str(mc, "replication", "master_replid", replid, sizeof(replid));
    info_str(c1, "replication", "master_replid", replid1, sizeof(replid1));
    info_str(c2, "replication", "master_replid", replid2, sizeof(replid2));
    assert_string_equal(replid, replid1);
    assert_string_equal(replid, replid2);

    long long off = info_field(mc, "replication", "master_repl_offset");
    char line[256];
    int fm = fake_psync(m.port, replid, off + 1, line, sizeof(line));
    assert_true(!strncmp(line, "+CONTINUE", 9));
    int f1 = fake_psync(r1.port, replid, off + 1, line, sizeof(line));
    assert_true(!strncmp(line, "+CONTINUE", 9));

    /* writes of several kinds, in two dbs, one that expires */
    OK(mc, "SET a 1");
    expect_int(cmd(mc, "INCR a"), 2);
    OK(mc, "SELECT 2");
    expect_int(cmd(mc, "HSET h f v"), 1);
    OK(mc, "SET gone soon PX 50");
    expect_int(cmd(mc, "ZADD z 1 one"), 1);
    OK(mc, "SELECT 0");
    expect_int(cmd(mc, "DEL k"), 1);
    usleep(300000); /* "gone" expires on M and its DEL is propagated */
    assert_true(wait_synced(mc, &c2, 1, 10000));
    long long len = info_field(mc, "replication", "master_repl_offset") - off;
    assert_true(len > 100);
    char *bm = malloc((size_t)len), *b1 = malloc((size_t)len);
    assert_int_equal(raw_read(fm, bm, (size_t)len, 3000), len);
    assert_int_equal(raw_read(f1, b1, (size_t)len, 3000), len);
    assert_memory_equal(bm, b1, (size_t)len);
    assert_non_null(memmem(bm, (size_t)len, "$3\r\nDEL\r\n$4\r\ngone\r\n", 19));
    free(bm);
    free(b1);
    close(fm);
    close(f1);
    assert_int_equal(info_field(c1, "replication", "slave_repl_offset"), off + len);
    assert_int_equal(info_field(c2, "replication", "slave_repl_offset"), off + len);
    char d0[41], d1[41], d2[41];
    digest(mc, d0);
    digest(c1, d1);
    digest(c2, d2);
    assert_string_equal(d0, d1);
    assert_string_equal(d0, d2);
    redisFree(c2);
    redisFree(c1);
    redisFree(mc);
    ts_stop(&r2);
    ts_stop(&r1);
    ts_stop(&m);
}

static void wait_failover_done(redisContext *c) {
    char st[64] = "";
    for (int i = 0; i < 500; i++) {
        info_str(c, "replication", "master_failover_state", st, sizeof(st));
        if (!strcmp(st, "no-failover")) return;
        usleep(10000);
    }
    fail_msg("failover still %s", st);
}

/* FAILOVER TO a replica: the master pauses writes, waits for the target
 * to match its offset, becomes its replica and sends PSYNC FAILOVER; the
 * target continues the history (partial resyncs only). A FAILOVER whose
 * target never catches up is aborted at its timeout. */
static void test_failover_command(void **state) {
    testServer m, a, b;
    assert_int_equal(ts_start(&m, fast_sync), 0);
    redisContext *mc = ts_connect(&m);
    expect_error(cmd(mc, "FAILOVER"), "ERR FAILOVER requires connected replicas.");
    assert_int_equal(start_replica(&a, NULL, &m, fast_sync), 0);
    assert_int_equal(start_replica(&b, NULL, &m, NULL), 0);
    redisContext *ac = ts_connect(&a), *bc = ts_connect(&b), *both[2] = {ac, bc};
    for (int i = 0; i < 100; i++) OK(mc, "SET key:%d %d", i, i);
    assert_true(wait_synced(mc, both, 2, 10000));
    expect_error(cmd(mc, "FAILOVER TO 127.0.0.1 %d FORCE", a.port),
                 "ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
    expect_error(cmd(mc, "FAILOVER TO 127.0.0.1 1"), "ERR FAILOVER target HOST and PORT is not a replica.");
    expect_error(cmd(ac, "FAILOVER"), "ERR FAILOVER is not valid when server is a replica.");
    expect_error(cmd(mc, "FAILOVER ABORT"), "ERR No failover in progress.");

    OK(mc, "FAILOVER TO 127.0.0.1 %d", a.port);
    wait_failover_done(mc);
    redisReply *r = cmd(mc, "ROLE");
    assert_string_equal(r->element[0]->str, "slave");
    freeReplyObject(r);
    r = cmd(ac, "ROLE");
    assert_string_equal(r->element[0]->str, "master");
    freeReplyObject(r);
    OK(ac, "SET after failover");
    assert_true(wait_value(mc, "after", "failover"));
    OK(bc, "REPLICAOF 127.0.0.1 %d", a.port);
    redisContext *followers[2] = {mc, bc};
    assert_true(wait_synced(ac, followers, 2, 10000));
    assert_int_equal(info_field(ac, "stats", "sync_full"), 0);
    assert_int_equal(info_field(ac, "stats", "sync_partial_ok"), 2);
    char d1[41], d2[41], d3[41];
    digest(ac, d1);
    digest(mc, d2);
    digest(bc, d3);
    assert_string_equal(d1, d2);
    assert_string_equal(d1, d3);

    /* a target that never catches up: aborted at the timeout, writes resume */
    kill(b.pid, SIGSTOP);
    OK(ac, "SET more writes");
    OK(ac, "FAILOVER TO 127.0.0.1 %d TIMEOUT 300", b.port);
    expect_error(cmd(ac, "FAILOVER"), "ERR FAILOVER already in progress.");
    expect_error(cmd(ac, "REPLICAOF NO ONE"), "ERR REPLICAOF not allowed while failing over.");
    wait_failover_done(ac);
    kill(b.pid, SIGCONT);
    assert_true(ts_wait_log(&a, "aborted: Replica never caught up before timeout", 2000));
    r = cmd(ac, "ROLE");
    assert_string_equal(r->element[0]->str, "master");
    freeReplyObject(r);
    OK(ac, "SET writable again");
    redisFree(bc);
    redisFree(ac);
    redisFree(mc);
    ts_stop(&b);
    ts_stop(&a);
    ts_stop(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_stash_to_stash),
        cmocka_unit_test(test_partial_redis_master_stash_replica),
        cmocka_unit_test(test_partial_stash_master_redis_replica),
        cmocka_unit_test(test_psync_reply_is_continue),
        cmocka_unit_test(test_backlog_overrun_falls_back_to_full_sync),
        cmocka_unit_test(test_promotion_psync2_stash),
        cmocka_unit_test(test_promotion_psync2_redis_sibling),
        cmocka_unit_test(test_chained_replica_gets_the_masters_stream),
        cmocka_unit_test(test_failover_command),
    };
    return cmocka_run_group_tests_name("repl_psync", tests, NULL, NULL);
}
