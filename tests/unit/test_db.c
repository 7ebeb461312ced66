/* test_db.c: unit tests for db/db.c and db/expire_cycle.c on a bare server
 * struct (no event loop, no subsystems: events, WATCH, blocking, lazyfree
 * and propagation are all inert when their state is NULL).
 *
 * They pin down what integration tests cannot stage: the two tables stay
 * consistent through every relayout (expire added/removed, rename, move,
 * overwrite), the expiry rule on masters, read-only and writable replicas,
 * for the master's own stream, under CLIENT PAUSE and while loading;
 * RANDOMKEY terminating when expired keys cannot be deleted; the active
 * cycle; and the LFU/LRU bookkeeping behind OBJECT FREQ/IDLETIME. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "server/client.h"
#include "server/server.h"

#define NDB 2

static server S;
static db dbs[NDB];

static int setup(void **state) {
    memset(&S, 0, sizeof(S));
    S.dbnum = NDB;
    S.dbs = dbs;
    S.hz = 10;
    S.active_expire_enabled = 1;
    S.active_expire_effort = 1;
    S.maxmemory_policy = MAXMEMORY_NO_EVICTION;
    S.lfu_log_factor = 10;
    S.lfu_decay_time = 1;
    S.replica_read_only = 1;
    S.activerehashing = 1;
    server_update_cached_time(&S);
    for (int i = 0; i < NDB; i++) db_init(&dbs[i], i, &S);
    return 0;
}

static int teardown(void **state) {
    for (int i = 0; i < NDB; i++) db_free(&dbs[i]);
    return 0;
}

static sds key_of(int i) { return sdscatprintf(sdsempty(), "key:%d", i); }

/* Adds key:i holding a string that is int, embstr or raw depending on i. */
static kvobj *add_key(db *d, int i) {
    sds k = key_of(i);
    sds v = sdscatprintf(sdsempty(), i % 3 == 0 ? "%d" : i % 3 == 1 ? "short%d" : "%0200d", i);
    kvobj *o = db_add(d, k, value_string(v, sdslen(v)));
    sdsfree(v);
    sdsfree(k);
    return o;
}

static void check_value(db *d, int i) {
    sds k = key_of(i);
    kvobj *o = db_find(d, k);
    assert_non_null(o);
    sds want = sdscatprintf(sdsempty(), i % 3 == 0 ? "%d" : i % 3 == 1 ? "short%d" : "%0200d", i);
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    assert_int_equal(len, sdslen(want));
    assert_memory_equal(p, want, len);
    assert_int_equal(dict_find(d->expires, k) != NULL, kv_expire(o) >= 0);
    if (kv_expire(o) >= 0) assert_ptr_equal(dict_find(d->expires, k), o);
    sdsfree(want);
    sdsfree(k);
}

/* ---- tables stay consistent */

static void test_expire_relayout(void **state) {
    db *d = &dbs[0];
    for (int i = 0; i < 3000; i++) add_key(d, i);
    for (int i = 0; i < 3000; i += 2) {
        sds k = key_of(i);
        kvobj *o = db_set_expire(d, db_find(d, k), S.mstime + 100000 + i);
        assert_int_equal(kv_expire(o), S.mstime + 100000 + i);
        o = db_set_expire(d, o, S.mstime + 200000 + i); /* in place now */
        assert_ptr_equal(db_find(d, k), o);
        sdsfree(k);
    }
    assert_int_equal(dict_size(d->expires), 1500);
    for (int i = 0; i < 3000; i += 4) {
        sds k = key_of(i);
        kvobj *o = db_persist(d, db_find(d, k));
        assert_int_equal(kv_expire(o), -1);
        assert_ptr_equal(db_persist(d, o), o); /* nothing to remove */
        sdsfree(k);
    }
    assert_int_equal(dict_size(d->expires), 750);
    assert_int_equal(dict_size(d->keys), 3000);
    for (int i = 0; i < 3000; i++) check_value(d, i);
}

static void test_overwrite_keeps_or_drops_ttl(void **state) {
    db *d = &dbs[0];
    kvobj *o = add_key(d, 1);
    o = db_set_expire(d, o, S.mstime + 5000);
    o->lru = 1234;
    sds k = key_of(1);
    o = db_overwrite(d, o, value_string("new", 3), 1);
    assert_int_equal(kv_expire(o), S.mstime + 5000);
    assert_int_equal(o->lru, 1234);
    assert_ptr_equal(dict_find(d->expires, k), o);
    o = db_overwrite(d, o, value_string("newer", 5), 0);
    assert_int_equal(kv_expire(o), -1);
    assert_null(dict_find(d->expires, k));
    db_set_expire(d, o, S.mstime + 5000);
    o = db_set(d, k, value_string("x", 1), 0);
    assert_int_equal(kv_expire(o), -1);
    assert_int_equal(dict_size(d->expires), 0);
    assert_int_equal(dict_size(d->keys), 1);
    sdsfree(k);
}

static void test_move_key(void **state) {
    for (int i = 0; i < 30; i++) db_set_expire(&dbs[0], add_key(&dbs[0], i), S.mstime + 9000 + i);
    for (int i = 0; i < 30; i++) {
        sds from = key_of(i), to = key_of(i + 1000);
        kvobj *o = db_move_key(&dbs[0], from, i % 2 ? &dbs[1] : &dbs[0], to);
        assert_non_null(o);
        assert_int_equal(kv_expire(o), S.mstime + 9000 + i);
        assert_null(db_find(&dbs[0], from));
        sdsfree(from);
        sdsfree(to);
    }
    assert_int_equal(dict_size(dbs[0].keys), 15);
    assert_int_equal(dict_size(dbs[0].expires), 15);
    assert_int_equal(dict_size(dbs[1].keys), 15);
    assert_int_equal(dict_size(dbs[1].expires), 15);
    sds same = key_of(1001);
    assert_non_null(db_move_key(&dbs[1], same, &dbs[0], same)); /* MOVE keeps the object */
    assert_non_null(db_find(&dbs[0], same));
    sds none = sdsnew("nosuch");
    assert_null(db_move_key(&dbs[0], none, &dbs[1], same));
    sdsfree(none);
    sdsfree(same);
}

static void test_remove_and_empty(void **state) {
    for (int i = 0; i < 100; i++) db_set_expire(&dbs[0], add_key(&dbs[0], i), S.mstime + 9000);
    sds k = key_of(5);
    assert_int_equal(db_delete(&dbs[0], k), 1);
    assert_int_equal(db_delete(&dbs[0], k), 0);
    assert_int_equal(db_delete_async(&dbs[0], k), 0);
    assert_int_equal(dict_size(dbs[0].expires), 99);
    sdsfree(k);
    add_key(&dbs[1], 7);
    db_swap(&dbs[0], &dbs[1]);
    assert_int_equal(dict_size(dbs[1].keys), 99);
    assert_int_equal(dict_size(dbs[0].keys), 1);
    assert_int_equal(db_empty(&dbs[1], 0), 99);
    assert_int_equal(db_empty(&dbs[0], 1), 1); /* no lazyfree thread: freed at once */
    assert_int_equal(dict_size(dbs[0].keys) + dict_size(dbs[1].keys) + dict_size(dbs[1].expires), 0);
}

/* ---- the expiry rule */

/* Adds key:i expired 10 ms ago. */
static void add_expired(db *d, int i) { db_set_expire(d, add_key(d, i), S.mstime - 10); }

static void test_master_deletes_expired(void **state) {
    db *d = &dbs[0];
    add_expired(d, 1);
    sds k = key_of(1);
    assert_null(db_lookup_read(d, k));
    assert_null(db_find(d, k));
    assert_int_equal(S.stat_expiredkeys, 1);
    assert_int_equal(S.stat_keyspace_misses, 1);
    add_expired(d, 1);
    assert_null(db_lookup(d, k, LOOKUP_NOEXPIRE)); /* hidden only */
    assert_non_null(db_find(d, k));
    S.loading = 1; /* nothing expires while loading */
    assert_non_null(db_lookup_read(d, k));
    S.loading = 0;
    db_set_expire(d, db_find(d, k), S.mstime); /* expires strictly after its time */
    assert_non_null(db_lookup_read(d, k));
    sdsfree(k);
}

static void test_replica_hides_expired(void **state) {
    db *d = &dbs[0];
    S.masterhost_set = 1;
    add_expired(d, 1);
    sds k = key_of(1);
    assert_null(db_lookup_read(d, k));
    assert_null(db_lookup_write(d, k)); /* read-only replica: even writes leave it */
    assert_non_null(db_find(d, k));
    /* the master's stream still sees the key until its DEL arrives */
    client master = {0};
    master.flags = CLIENT_MASTER;
    S.current_client = &master;
    assert_non_null(db_lookup_read(d, k));
    S.current_client = NULL;
    /* a writable replica deletes on write, hides on read */
    S.replica_read_only = 0;
    assert_null(db_lookup_read(d, k));
    assert_non_null(db_find(d, k));
    assert_null(db_lookup_write(d, k));
    assert_null(db_find(d, k));
    S.masterhost_set = 0;
    S.replica_read_only = 1;
    sdsfree(k);
}

static void test_pause_keeps_expired(void **state) {
    db *d = &dbs[0];
    add_expired(d, 1);
    sds k = key_of(1);
    S.paused_actions = 1;
    S.pause_end_ms = S.mstime + 10000;
    assert_null(db_lookup_read(d, k));
    assert_non_null(db_find(d, k));
    db_active_expire_cycle(&S, 0);
    assert_non_null(db_find(d, k));
    S.pause_end_ms = S.mstime - 1; /* pause over */
    assert_null(db_lookup_read(d, k));
    assert_null(db_find(d, k));
    S.paused_actions = 0;
    sdsfree(k);
}

static void test_set_replaces_hidden_key(void **state) {
    db *d = &dbs[0];
    S.masterhost_set = 1;
    add_expired(d, 1);
    sds k = key_of(1);
    kvobj *o = db_set(d, k, value_string("fresh", 5), 0);
    assert_int_equal(dict_size(d->keys), 1);
    assert_int_equal(dict_size(d->expires), 0);
    assert_ptr_equal(db_lookup_read(d, k), o);
    S.masterhost_set = 0;
    sdsfree(k);
}

static void test_random_key(void **state) {
    db *d = &dbs[0];
    assert_null(db_random_key(d));
    for (int i = 0; i < 200; i++) add_expired(d, i);
    add_key(d, 1000);
    S.masterhost_set = 1; /* cannot delete: must still terminate */
    assert_non_null(db_random_key(d));
    assert_int_equal(dict_size(d->keys), 201);
    S.masterhost_set = 0;
    sds live = key_of(1000);
    for (int i = 0; i < 20; i++) assert_ptr_equal(db_random_key(d), db_find(d, live));
    sdsfree(live);
    assert_int_equal(dict_size(d->keys), 1);
}

/* ---- active expiry */

static void test_active_cycle(void **state) {
    for (int i = 0; i < 5000; i++) add_expired(&dbs[i % NDB], i);
    for (int i = 5000; i < 5100; i++) db_set_expire(&dbs[0], add_key(&dbs[0], i), S.mstime + 100000);
    for (int round = 0; round < 1000 && S.stat_expiredkeys < 5000; round++) {
        db_active_expire_cycle(&S, 0);
        db_cron_resize(&S); /* the cycle skips tables too sparse to sample until they shrink */
    }
    assert_int_equal(S.stat_expiredkeys, 5000);
    assert_int_equal(dict_size(dbs[0].keys), 100);
    assert_int_equal(dict_size(dbs[0].expires), 100);
    assert_int_equal(dict_size(dbs[1].keys), 0);
    assert_true(dbs[0].avg_ttl > 90000 && dbs[0].avg_ttl <= 100000);
    /* replicas never run it */
    add_expired(&dbs[1], 1);
    S.masterhost_set = 1;
    db_active_expire_cycle(&S, 0);
    assert_int_equal(dict_size(dbs[1].keys), 1);
    S.masterhost_set = 0;
}

/* ---- access bookkeeping */

static void test_lru_idle(void **state) {
    kvobj *o = add_key(&dbs[0], 1);
    assert_int_equal(o->lru, server_lru_clock(&S));
    assert_int_equal(db_idle_ms(&S, o), 0);
    o->lru = (server_lru_clock(&S) - 5) & LRU_CLOCK_MAX;
    assert_int_equal(db_idle_ms(&S, o), 5000);
    sds k = key_of(1);
    db_lookup(&dbs[0], k, LOOKUP_NOTOUCH);
    assert_int_equal(db_idle_ms(&S, o), 5000);
    db_lookup_read(&dbs[0], k);
    assert_int_equal(db_idle_ms(&S, o), 0);
    sdsfree(k);
}

static void test_lfu_counter(void **state) {
    S.maxmemory_policy = MAXMEMORY_ALLKEYS_LFU;
    kvobj *o = add_key(&dbs[0], 1);
    assert_int_equal(db_lfu_counter(&S, o), 5);
    sds k = key_of(1);
    db_lookup_read(&dbs[0], k);
    assert_int_equal(db_lfu_counter(&S, o), 6);
    for (int i = 0; i < 1000; i++) db_lookup_read(&dbs[0], k);
    unsigned long c = db_lfu_counter(&S, o);
    assert_true(c > 6 && c < 255); /* logarithmic */
    unsigned long minutes = (unsigned long)(S.mstime / 60000) & 65535;
    o->lru = (unsigned)((((minutes - 3) & 65535) << 8) | 20);
    assert_int_equal(db_lfu_counter(&S, o), 17); /* one per decay period */
    S.lfu_decay_time = 0;
    assert_int_equal(db_lfu_counter(&S, o), 20);
    S.lfu_decay_time = 1;
    S.maxmemory_policy = MAXMEMORY_NO_EVICTION;
    sdsfree(k);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_expire_relayout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_keeps_or_drops_ttl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_master_deletes_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replica_hides_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pause_keeps_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_replaces_hidden_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lru_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lfu_counter, setup, teardown),
    };
    return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
