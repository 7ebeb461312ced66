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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_and_restart),
        cmocka_unit_test(test_bgsave),
        cmocka_unit_test(test_bgsave_schedule_and_errors),
    };
    return cmocka_run_group_tests_name("persistence", tests, group_start_server, group_stop_server);
}
