/* test_crash.c: durability under kill -9. A writer streams acknowledged
 * RPUSHes; the server is killed at a random moment, restarted from its AOF,
 * and every acknowledged write must still be there (appendfsync always:
 * zero lost) or at most about a second's worth (everysec). 20 rounds each;
 * the counts are printed for the README. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness/harness.h"

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Writes acknowledged pushes for up to ms, returns how many were acked. */
static long write_for(redisContext *c, long start, int ms) {
    long long until = now_ms() + ms;
    long acked = start;
    while (now_ms() < until) {
        redisReply *r = redisCommand(c, "RPUSH log %ld", acked);
        if (!r) break;
        if (r->type == REDIS_REPLY_INTEGER) acked++;
        freeReplyObject(r);
    }
    return acked;
}

static long surviving(redisContext *c) {
    redisReply *r = cmd(c, "LLEN log");
    long n = r->type == REDIS_REPLY_INTEGER ? (long)r->integer : -1;
    freeReplyObject(r);
    return n;
}

static void run_rounds(const char *fsync, long *max_lost, long *total_lost, long *total_acked) {
    testServer s;
    const char *extra[] = {"--appendonly", "yes", "--appendfsync", fsync, NULL};
    assert_int_equal(ts_start(&s, extra), 0);
    srand((unsigned)time(NULL));
    long acked = 0;
    *max_lost = *total_lost = *total_acked = 0;
    for (int round = 0; round < 20; round++) {
        redisContext *c = ts_connect(&s);
        long before = acked;
        acked = write_for(c, acked, 50 + rand() % 150);
        redisFree(c);
        assert_int_equal(ts_restart(&s, 1), 0); /* SIGKILL, then start again from the AOF */
        c = ts_connect(&s);
        long have = surviving(c);
        redisFree(c);
        long lost = acked - have;
        if (lost < 0) lost = 0;
        if (lost > *max_lost) *max_lost = lost;
        *total_lost += lost;
        *total_acked += acked - before;
        acked = have; /* continue numbering from what survived */
    }
    ts_stop(&s);
}

static void test_appendfsync_always_loses_nothing(void **state) {
    long max_lost, total_lost, total_acked;
    run_rounds("always", &max_lost, &total_lost, &total_acked);
    printf("crash test appendfsync always: 20 kill -9 rounds, %ld acknowledged writes, %ld lost\n", total_acked,
           total_lost);
    assert_int_equal(total_lost, 0);
}

static void test_appendfsync_everysec_loses_at_most_a_second(void **state) {
    long max_lost, total_lost, total_acked;
    run_rounds("everysec", &max_lost, &total_lost, &total_acked);
    printf("crash test appendfsync everysec: 20 kill -9 rounds, %ld acknowledged writes, %ld lost (max %ld in a "
           "round)\n", total_acked, total_lost, max_lost);
    /* The process dies but the kernel keeps written pages: everysec loses
     * nothing on kill -9; only a machine crash can lose up to ~1 s. */
    assert_true(max_lost <= total_acked / 20 + 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendfsync_always_loses_nothing),
        cmocka_unit_test(test_appendfsync_everysec_loses_at_most_a_second),
    };
    return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
