/* test_persistence.c: RDB snapshots through SAVE, BGSAVE and restarts:
 * what was saved comes back after the server restarts, TTLs included, and
 * INFO/LASTSAVE report the saves. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/harness.h"

static int file_exists(const char *dir, const char *name) {
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void test_save_and_restart(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET str hello");
    OK(c, "SET num 12345");
    OK(c, "SET big %b", "x\r\n\0yz", (size_t)6);
    char longval[1000];
    memset(longval, 'a', sizeof(longval) - 1);
    longval[sizeof(longval) - 1] = '\0';
    OK(c, "SET long %s", longval); /* compressible: stored LZF-encoded */
    OK(c, "SELECT 3");
    OK(c, "SET indb3 three");
    OK(c, "SAVE");
    redisFree(c);
    assert_true(file_exists(srv.dir, "dump.rdb"));
    assert_int_equal(ts_restart(&srv, 1), 0); /* even a kill -9 keeps what SAVE wrote */
    c = ts_connect(&srv);
    expect_bulk(cmd(c, "GET str"), "hello");
    expect_bulk(cmd(c, "GET num"), "12345");
    expect_bulk_len(cmd(c, "GET big"), "x\r\n\0yz", 6);
    expect_bulk(cmd(c, "GET long"), longval);
    OK(c, "SELECT 3");
    expect_bulk(cmd(c, "GET indb3"), "three");
    redisFree(c);
}

static void test_bgsave(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    for (int i = 0; i < 1000; i++) OK(c, "SET key:%d value:%d", i, i);
    expect_status(cmd(c, "BGSAVE"), "Background saving started");
    /* wait for the child to finish */
    int done = 0;
    for (int i = 0; i < 200 && !done; i++) {
        redisReply *r = cmd(c, "INFO persistence");
        done = r->type == REDIS_REPLY_STRING && strstr(r->str, "rdb_bgsave_in_progress:0") &&
               strstr(r->str, "rdb_last_bgsave_status:ok");
        freeReplyObject(r);
        if (!done) usleep(20000);
    }
    assert_true(done);
    redisFree(c);
    assert_int_equal(ts_restart(&srv, 0), 0);
    c = ts_connect(&srv);
    expect_int(cmd(c, "DBSIZE"), 1000);
    expect_bulk(cmd(c, "GET key:999"), "value:999");
    redisFree(c);
}

static void test_bgsave_schedule_and_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "BGSAVE foo"), "ERR syntax error");
    expect_error(cmd(c, "SAVE extra"), "ERR wrong number of arguments for 'save' command");
    redisFree(c);
}

static redisReply *wait_info_field(redisContext *c, const char *section, const char *want, int ms) {
    for (int i = 0; i < ms / 20; i++) {
        redisReply *r = cmd(c, "INFO %s", section);
        if (strstr(r->str, want)) return r;
        freeReplyObject(r);
        usleep(20000);
    }
    return NULL;
}

/* Every loading path ends in the same dataset: DEBUG RELOAD (RDB), and
 * with aof-use-rdb-preamble no a rewrite to a command-format BASE
 * (.base.aof) then DEBUG LOADAOF; TTLs and the #TS annotations of
 * aof-timestamp-enabled included. */
static void test_reload_paths_keep_the_digest(void **state) {
    testServer s = {0};
    const char *extra[] = {"--enable-debug-command", "yes", "--appendonly", "yes", "--aof-use-rdb-preamble", "no",
                           "--aof-timestamp-enabled", "yes", NULL};
    assert_int_equal(ts_start(&s, extra), 0);
    redisContext *c = ts_connect(&s);
    redisReply *r = wait_info_field(c, "persistence", "aof_rewrite_in_progress:0", 5000); /* the initial AOF */
    assert_non_null(r);
    freeReplyObject(r);
    usleep(200000);
    OK(c, "SET s v");
    OK(c, "SET n 42");
    expect_int(cmd(c, "RPUSH l a b c"), 3);
    expect_int(cmd(c, "HSET h f1 v1 f2 v2"), 2);
    expect_int(cmd(c, "SADD st 1 2 x"), 3);
    expect_int(cmd(c, "ZADD z 1 a 2.5 b"), 2);
    OK(c, "SET t v EX 1000");
    redisReply *d = cmd(c, "DEBUG DIGEST");
    char digest[64];
    snprintf(digest, sizeof(digest), "%s", d->str);
    freeReplyObject(d);
    expect_status(cmd(c, "BGREWRITEAOF"), "Background append only file rewriting started");
    r = wait_info_field(c, "persistence", "aof_rewrite_in_progress:0", 5000);
    assert_non_null(r);
    freeReplyObject(r);
    usleep(200000); /* the cron installs the new BASE */
    assert_true(file_exists(s.dir, "appendonlydir/appendonly.aof.2.base.aof"));
    OK(c, "DEBUG LOADAOF");
    expect_status(cmd(c, "DEBUG DIGEST"), digest);
    OK(c, "DEBUG RELOAD");
    expect_status(cmd(c, "DEBUG DIGEST"), digest);
    redisReply *ttl = cmd(c, "TTL t");
    assert_true(ttl->integer > 990);
    freeReplyObject(ttl);
    redisFree(c);
    ts_stop(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_and_restart),
        cmocka_unit_test(test_bgsave),
        cmocka_unit_test(test_bgsave_schedule_and_errors),
        cmocka_unit_test(test_reload_paths_keep_the_digest),
    };
    return cmocka_run_group_tests_name("persistence", tests, group_start_server, group_stop_server);
}
