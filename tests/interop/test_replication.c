/* test_replication.c: full synchronization and the replication commands.
 * Every value type in every encoding (integer, embstr and raw strings,
 * small and large lists, sets, hashes and sorted sets), TTLs and several
 * databases reach the replica through a disk and a diskless full sync,
 * between Stash servers and with Debian's Redis 7.0 on either side; the
 * datasets are compared with DEBUG DIGEST (Stash computes Redis's digest,
 * so equal datasets give equal digests across the two servers). Then the
 * live stream, -READONLY, ROLE, plain SYNC (no +FULLRESYNC line),
 * REPLICAOF NO ONE before the link is up, CONFIG GET replicaof,
 * min-replicas-to-write and WAIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interop/repl_helpers.h"

/* One key of every type and encoding, some with TTLs, in dbs 0 and 3. */
static void populate(redisContext *c) {
    OK(c, "SET str:int 12345");
    OK(c, "SET str:embstr hello");
    char raw[300];
    memset(raw, 'r', sizeof(raw) - 1);
    raw[sizeof(raw) - 1] = '\0';
    OK(c, "SET str:raw %s", raw);
    size_t biglen = 200 * 1024;
    char *big = malloc(biglen);
    for (size_t i = 0; i < biglen; i++) big[i] = (char)('a' + i % 26);
    OK(c, "SET str:big %b", big, biglen);
    free(big);
    OK(c, "SET str:ttl v EX 1000");
    OK(c, "SET str:pttl v PXAT 99999999999999");
    expect_int(cmd(c, "RPUSH list:small a b 1 2"), 4);
    expect_int(cmd(c, "SADD set:int 1 2 3"), 3);
    expect_int(cmd(c, "SADD set:small a b c"), 3);
    expect_int(cmd(c, "HSET hash:small f v g 1"), 2);
    expect_int(cmd(c, "ZADD zset:small 1 a 2.5 b -3 c"), 3);
    for (int i = 0; i < 300; i++) {
        redisAppendCommand(c, "RPUSH list:big item-%d", i);
        redisAppendCommand(c, "SADD set:big member-%d", i);
        redisAppendCommand(c, "SADD set:bigint %d", i * 7);
        redisAppendCommand(c, "HSET hash:big field-%d value-%d", i, i);
        redisAppendCommand(c, "ZADD zset:big %d.25 member-%d", i, i);
    }
    for (int i = 0; i < 300 * 5; i++) {
        redisReply *r = NULL;
        assert_int_equal(redisGetReply(c, (void **)&r), REDIS_OK);
        freeReplyObject(r);
    }
    expect_int(cmd(c, "SADD set:bigint 100000000000"), 1); /* leaves intset for a hashtable */
    expect_int(cmd(c, "PEXPIRE hash:big 900000000"), 1);
    expect_int(cmd(c, "EXPIREAT zset:small 4000000000"), 1);
    OK(c, "SELECT 3");
    OK(c, "SET indb3 three");
    expect_int(cmd(c, "LPUSH indb3:list x"), 1);
    OK(c, "SELECT 0");
}

static void expect_same_digest(redisContext *a, redisContext *b) {
    char da[41], db[41];
    digest(a, da);
    digest(b, db);
    assert_string_not_equal(da, "0000000000000000000000000000000000000000");
    assert_string_equal(da, db);
}

static void replicate_and_check(const char *master_bin, const char *replica_bin, int diskless) {
    testServer m, s;
    const char *mextra[] = {"--repl-diskless-sync", diskless ? "yes" : "no", "--repl-diskless-sync-delay",
                            "0", NULL};
    assert_int_equal(ts_start_in(&m, master_bin, NULL, mextra), 0);
    redisContext *mc = ts_connect(&m);
    populate(mc);
    assert_int_equal(start_replica(&s, replica_bin, &m, NULL), 0);
    redisContext *sc = ts_connect(&s);
    assert_true(wait_synced(mc, &sc, 1, 10000));
    expect_same_digest(mc, sc);
    redisReply *r = cmd(sc, "PTTL str:ttl");
    assert_true(r->type == REDIS_REPLY_INTEGER && r->integer > 900000);
    freeReplyObject(r);
    expect_bulk(cmd(sc, "GET str:int"), "12345");

    /* the live stream, with SELECT */
    OK(mc, "SET live stream");
    OK(mc, "SELECT 3");
    OK(mc, "SET indb3 updated");
    OK(mc, "SELECT 0");
    expect_int(cmd(mc, "INCR str:int"), 12346);
    assert_true(wait_value(sc, "live", "stream"));
    assert_true(wait_synced(mc, &sc, 1, 10000));
    expect_same_digest(mc, sc);
    OK(sc, "SELECT 3");
    expect_bulk(cmd(sc, "GET indb3"), "updated");
    OK(sc, "SELECT 0");

    expect_error(cmd(sc, "SET nope 1"), "READONLY You can't write against a read only replica.");
    r = cmd(sc, "ROLE");
    expect_array_len(r, 5);
    assert_string_equal(r->element[0]->str, "slave");
    assert_int_equal(r->element[2]->integer, m.port);
    assert_string_equal(r->element[3]->str, "connected");
    freeReplyObject(r);
    r = cmd(mc, "ROLE");
    expect_array_len(r, 3);
    assert_string_equal(r->element[0]->str, "master");
    expect_array_len(r->element[2], 1);
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

/* Writes made while the snapshot is produced and sent reach the replica
 * after it, however small the backlog (they wait in the replica's output
 * buffer): one full sync, no retries. */
static void writes_during_sync(int diskless) {
    testServer m, s;
    const char *extra[] = {"--repl-backlog-size",
                           "100",
                           "--rdb-key-save-delay",
                           "5000",
                           "--repl-diskless-sync",
                           diskless ? "yes" : "no",
                           "--repl-diskless-sync-delay",
                           "0",
                           NULL};
    assert_int_equal(ts_start(&m, extra), 0);
    redisContext *mc = ts_connect(&m);
    for (int i = 0; i < 100; i++) OK(mc, "SET old:%d %d", i, i); /* 100 keys: a 0.5 s snapshot */
    assert_int_equal(start_replica(&s, NULL, &m, NULL), 0);
    assert_true(ts_wait_log(&m, "Starting BGSAVE for SYNC", 5000));
    for (int i = 0; i < 500; i++) OK(mc, "SET new:%d %d-%s", i, i, "padding-padding-padding");
    redisContext *sc = ts_connect(&s);
    assert_true(wait_synced(mc, &sc, 1, 10000));
    expect_same_digest(mc, sc);
    expect_int(cmd(sc, "DBSIZE"), 600);
    assert_int_equal(info_field(mc, "stats", "sync_full"), 1);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

static void test_writes_during_disk_sync(void **state) { writes_during_sync(0); }
static void test_writes_during_diskless_sync(void **state) { writes_during_sync(1); }

/* A replica that stops reading during a diskless transfer is dropped after
 * repl-timeout (the value of when it expires, not of the fork), and the
 * others still get the RDB. The stuck one is a fake replica that never
 * reads; the snapshot (20 MB, uncompressed) is larger than what socket
 * buffers can absorb. */
static void test_diskless_drops_a_stuck_replica(void **state) {
    testServer m, s;
    const char *extra[] = {"--repl-diskless-sync-delay", "1", "--rdbcompression", "no", NULL};
    assert_int_equal(ts_start(&m, extra), 0);
    redisContext *mc = ts_connect(&m);
    OK(mc, "DEBUG POPULATE 20000 key 1000");
    char line[256];
    int stuck = fake_replica(m.port, "REPLCONF capa eof\r\n", line, sizeof(line));
    assert_string_equal(line, "+OK");
    raw_send(stuck, "PSYNC ? -1\r\n", 12);
    assert_int_equal(start_replica(&s, NULL, &m, NULL), 0);
    assert_true(ts_wait_log(&m, "Starting BGSAVE for SYNC with target: replicas sockets", 5000));
    OK(mc, "CONFIG SET repl-timeout 1");
    redisContext *sc = ts_connect(&s);
    assert_true(wait_synced(mc, &sc, 1, 15000));
    assert_true(ts_wait_log(&m, "Disconnecting timedout replica (full sync)", 2000));
    assert_true(ts_wait_log(&m, "Diskless rdb transfer, done reading from pipe, 1 replicas still up.", 2000));
    expect_int(cmd(sc, "DBSIZE"), 20000);
    assert_true(raw_closed(stuck, 2000));
    close(stuck);
    assert_int_equal(info_field(mc, "replication", "connected_slaves"), 1);
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

/* SYNC (the pre-PSYNC protocol) gets the RDB bulk directly. */
static void test_plain_sync_has_no_fullresync_line(void **state) {
    testServer m;
    const char *extra[] = {"--repl-diskless-sync", "no", NULL};
    assert_int_equal(ts_start(&m, extra), 0);
    redisContext *mc = ts_connect(&m);
    OK(mc, "SET k v");
    char line[256];
    int fd = fake_replica(m.port, "SYNC\r\n", line, sizeof(line));
    assert_true(fd != -1);
    assert_true(line[0] == '$');
    long long len = strtoll(line + 1, NULL, 10);
    assert_true(len > 9 && len < 4096);
    char rdb[4096];
    assert_int_equal(raw_read(fd, rdb, (size_t)len, 5000), len);
    assert_memory_equal(rdb, "REDIS", 5);
    close(fd);
    /* PSYNC still announces the full resync */
    fd = fake_replica(m.port, "PSYNC ? -1\r\n", line, sizeof(line));
    assert_true(!strncmp(line, "+FULLRESYNC ", 12));
    close(fd);
    redisFree(mc);
    ts_stop(&m);
}

/* REPLICAOF to a master that is not there, then NO ONE (used to crash),
 * with CONFIG GET replicaof following the live state. */
static void test_replicaof_then_no_one(void **state) {
    testServer s;
    assert_int_equal(ts_start(&s, NULL), 0);
    redisContext *c = ts_connect(&s);
    OK(c, "REPLICAOF 127.0.0.1 1");
    redisReply *r = cmd(c, "CONFIG GET replicaof");
    expect_array_len(r, 2);
    assert_string_equal(r->element[1]->str, "127.0.0.1 1");
    freeReplyObject(r);
    OK(c, "REPLICAOF NO ONE");
    expect_status(cmd(c, "PING"), "PONG");
    r = cmd(c, "CONFIG GET slaveof");
    expect_array_len(r, 2);
    assert_string_equal(r->element[1]->str, "");
    freeReplyObject(r);
    usleep(200000); /* a cron tick with no master */
    OK(c, "SLAVEOF 127.0.0.1 1");
    OK(c, "SLAVEOF NO ONE");
    expect_status(cmd(c, "PING"), "PONG");
    assert_true(ts_alive(&s));
    redisFree(c);
    ts_stop(&s);
}

/* min-replicas-to-write: INFO counts good replicas; without enough of
 * them writes fail with -NOREPLICAS. */
static void test_min_replicas_to_write(void **state) {
    testServer m, s;
    const char *extra[] = {"--min-replicas-to-write",
                           "1",
                           "--min-replicas-max-lag",
                           "10",
                           "--repl-diskless-sync-delay",
                           "0",
                           NULL};
    assert_int_equal(ts_start(&m, extra), 0);
    redisContext *mc = ts_connect(&m);
    assert_int_equal(info_field(mc, "replication", "min_slaves_good_slaves"), 0);
    expect_error(cmd(mc, "SET k v"), "NOREPLICAS Not enough good replicas to write.");
    OK(mc, "MULTI");
    expect_error(cmd(mc, "SET k v"), "NOREPLICAS"); /* refused while queueing, as Redis does */
    expect_error(cmd(mc, "EXEC"), "EXECABORT");
    expect_bulk(cmd(mc, "PING x"), "x"); /* reads and non-writes still run */
    assert_int_equal(start_replica(&s, NULL, &m, NULL), 0);
    redisContext *sc = ts_connect(&s);
    assert_true(wait_synced(mc, &sc, 1, 10000));
    /* the master sees the replica online once it reaped the sync child */
    for (int i = 0; i < 500 && info_field(mc, "replication", "min_slaves_good_slaves") != 1; i++)
        usleep(10000);
    assert_int_equal(info_field(mc, "replication", "min_slaves_good_slaves"), 1);
    OK(mc, "SET k v2");
    assert_true(wait_value(sc, "k", "v2"));
    OK(mc, "CONFIG SET min-replicas-to-write 0");
    assert_int_equal(info_field(mc, "replication", "min_slaves_good_slaves"), -1); /* field gone */
    redisFree(sc);
    redisFree(mc);
    ts_stop(&s);
    ts_stop(&m);
}

/* WAIT counts replicas that acknowledged the client's last write. */
static void test_wait(void **state) {
    testServer m, a, b;
    const char *extra[] = {"--repl-diskless-sync-delay", "0", NULL};
    assert_int_equal(ts_start(&m, extra), 0);
    assert_int_equal(start_replica(&a, NULL, &m, NULL), 0);
    assert_int_equal(start_replica(&b, NULL, &m, NULL), 0);
    redisContext *mc = ts_connect(&m), *rc[2] = {ts_connect(&a), ts_connect(&b)};
    assert_true(wait_synced(mc, rc, 2, 10000));
    expect_int(cmd(mc, "WAIT 2 0"), 2); /* nothing written yet: already acknowledged */
    OK(mc, "SET k v");
    expect_int(cmd(mc, "WAIT 2 5000"), 2);
    expect_int(cmd(mc, "WAIT 3 200"), 2); /* times out with what it has */
    kill(b.pid, SIGSTOP);
    OK(mc, "SET k v2");
    long long t0 = rh_now_ms();
    expect_int(cmd(mc, "WAIT 2 300"), 1);
    assert_true(rh_now_ms() - t0 >= 290);
    kill(b.pid, SIGCONT);
    expect_int(cmd(mc, "WAIT 2 5000"), 2);
    expect_error(cmd(rc[0], "WAIT 1 10"), "ERR WAIT cannot be used with replica instances.");
    /* a WAIT still blocked when the master turns replica is released */
    redisContext *w = ts_connect(&m);
    redisAppendCommand(w, "WAIT 3 0");
    int done = 0;
    while (!done) assert_int_equal(redisBufferWrite(w, &done), REDIS_OK);
    usleep(50000);
    OK(mc, "REPLICAOF 127.0.0.1 1");
    redisReply *r = NULL;
    assert_int_equal(redisGetReply(w, (void **)&r), REDIS_OK);
    expect_error(
        r, "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");
    OK(mc, "REPLICAOF NO ONE");
    redisFree(w);
    redisFree(rc[0]);
    redisFree(rc[1]);
    redisFree(mc);
    ts_stop(&b);
    ts_stop(&a);
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
        cmocka_unit_test(test_writes_during_disk_sync),
        cmocka_unit_test(test_writes_during_diskless_sync),
        cmocka_unit_test(test_diskless_drops_a_stuck_replica),
        cmocka_unit_test(test_plain_sync_has_no_fullresync_line),
        cmocka_unit_test(test_replicaof_then_no_one),
        cmocka_unit_test(test_min_replicas_to_write),
        cmocka_unit_test(test_wait),
    };
    return cmocka_run_group_tests_name("replication", tests, NULL, NULL);
}
