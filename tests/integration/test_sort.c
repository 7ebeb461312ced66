/* test_sort.c: SORT and SORT_RO over lists, sets and sorted sets, with BY,
 * GET, LIMIT, ALPHA, DESC and STORE. */
#include <string.h>

#include "harness/harness.h"

static void expect_items(redisReply *r, int n, const char **want) {
    expect_array_len(r, (size_t)n);
    for (int i = 0; i < n; i++) {
        if (!want[i]) {
            assert_int_equal(r->element[i]->type, REDIS_REPLY_NIL);
            continue;
        }
        if (r->element[i]->type != REDIS_REPLY_STRING || strcmp(r->element[i]->str, want[i]))
            fail_msg("element %d: want '%s'", i, want[i]);
    }
    freeReplyObject(r);
}

static void test_sort_basics(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "RPUSH nums 3 10 1 2"));
    expect_items(cmd(c, "SORT nums"), 4, (const char *[]){"1", "2", "3", "10"});
    expect_items(cmd(c, "SORT nums DESC LIMIT 0 2"), 2, (const char *[]){"10", "3"});
    expect_items(cmd(c, "SORT nums ALPHA"), 4, (const char *[]){"1", "10", "2", "3"});
    freeReplyObject(cmd(c, "RPUSH words b a c"));
    expect_error(cmd(c, "SORT words"), "ERR One or more scores can't be converted into double");
    expect_items(cmd(c, "SORT words ALPHA DESC"), 3, (const char *[]){"c", "b", "a"});
    freeReplyObject(cmd(c, "SADD sset 5 4"));
    expect_items(cmd(c, "SORT sset"), 2, (const char *[]){"4", "5"});
    freeReplyObject(cmd(c, "ZADD zs 1 x 2 y"));
    expect_items(cmd(c, "SORT zs BY nosort DESC ALPHA"), 2, (const char *[]){"y", "x"});
    expect_items(cmd(c, "SORT nokey"), 0, NULL);
    OK(c, "SET str v");
    expect_error(cmd(c, "SORT str"), "WRONGTYPE");
    expect_error(cmd(c, "SORT nums BOGUS"), "ERR syntax error");
    expect_error(cmd(c, "SORT_RO nums STORE x"), "ERR syntax error");
    redisFree(c);
}

static void test_sort_by_get_store(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "RPUSH ids 1 2 3"));
    OK(c, "SET weight_1 30");
    OK(c, "SET weight_2 10");
    OK(c, "SET weight_3 20");
    freeReplyObject(cmd(c, "HSET user_1 name ann"));
    freeReplyObject(cmd(c, "HSET user_3 name cid"));
    expect_items(cmd(c, "SORT ids BY weight_*"), 3, (const char *[]){"2", "3", "1"});
    expect_items(cmd(c, "SORT ids BY weight_* GET user_*->name GET #"), 6,
                 (const char *[]){NULL, "2", "cid", "3", "ann", "1"});
    expect_int(cmd(c, "SORT ids BY weight_* DESC STORE sorted"), 3);
    expect_items(cmd(c, "LRANGE sorted 0 -1"), 3, (const char *[]){"1", "3", "2"});
    expect_items(cmd(c, "SORT_RO ids BY nosort"), 3, (const char *[]){"1", "2", "3"});
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_basics),
        cmocka_unit_test(test_sort_by_get_store),
    };
    return cmocka_run_group_tests_name("sort", tests, group_start_server, group_stop_server);
}
