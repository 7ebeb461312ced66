/* test_scripting.c: EVAL and friends as client libraries use them (locks,
 * rate limiters): conversions both ways, errors with their script/line
 * suffix, the sandbox, the script cache and read-only scripts. */
#include <string.h>

#include "harness/harness.h"

static void test_eval_conversions(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "EVAL %s 0", "return 1 + 1"), 2);
    expect_int(cmd(c, "EVAL %s 0", "return 3.99"), 3); /* numbers become integers, truncated */
    expect_bulk(cmd(c, "EVAL %s 0", "return 'hello'"), "hello");
    expect_nil(cmd(c, "EVAL %s 0", "return false"));
    expect_int(cmd(c, "EVAL %s 0", "return true"), 1);
    expect_nil(cmd(c, "EVAL %s 0", "return nil"));
    expect_status(cmd(c, "EVAL %s 0", "return redis.status_reply('FINE')"), "FINE");
    expect_error(cmd(c, "EVAL %s 0", "return redis.error_reply('MYERR custom')"), "MYERR custom");
    expect_error(cmd(c, "EVAL %s 0", "return {err='CODE message'}"), "CODE message");
    redisReply *r = cmd(c, "EVAL %s 0", "return {1, 'two', {3}, nil, 5}");
    expect_array_len(r, 3); /* an array stops at the first nil */
    assert_int_equal(r->element[0]->integer, 1);
    assert_string_equal(r->element[1]->str, "two");
    assert_int_equal(r->element[2]->element[0]->integer, 3);
    freeReplyObject(r);
    redisFree(c);
}

static void test_keys_argv_and_calls(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_bulk(cmd(c, "EVAL %s 1 lk lv", "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])"),
                "lv");
    expect_bulk(cmd(c, "GET lk"), "lv");
    expect_nil(cmd(c, "EVAL %s 1 nokey", "return redis.call('get', KEYS[1])"));
    expect_status(cmd(c, "EVAL %s 0", "return redis.call('ping')"), "PONG");
    expect_error(cmd(c, "EVAL %s 2 a", "return 1"), "ERR Number of keys can't be greater than number of args");
    expect_error(cmd(c, "EVAL %s -1", "return 1"), "ERR Number of keys can't be negative");
    expect_error(cmd(c, "EVAL %s x", "return 1"), "ERR value is not an integer or out of range");
    redisFree(c);
}

static void test_errors_carry_script_location(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "EVAL %s 0", "return redis.call('nosuchcommand')");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Unknown Redis command called from script"));
    assert_non_null(strstr(r->str, "on @user_script:1."));
    freeReplyObject(r);
    r = cmd(c, "EVAL %s 0", "local t = redis.pcall('nosuchcommand'); return t['err']");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_string_equal(r->str, "ERR Unknown Redis command called from script");
    freeReplyObject(r);
    expect_error(cmd(c, "EVAL %s 0", "return redis.call()"),
                 "ERR Please specify at least one argument for this redis lib call");
    expect_error(cmd(c, "EVAL %s 0", "this is not lua"), "ERR Error compiling script");
    redisFree(c);
}

static void test_sandbox(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "EVAL %s 0", "x = 1"), "ERR user_script:1: Attempt to modify a readonly table");
    expect_error(cmd(c, "EVAL %s 0", "return undefined_thing"),
                 "ERR user_script:1: Script attempted to access nonexistent global variable 'undefined_thing'");
    expect_error(cmd(c, "EVAL %s 0", "return os.time()"), "ERR user_script:1: Script attempted to access nonexistent");
    expect_error(cmd(c, "EVAL %s 0", "return io.open('/etc/passwd')"), "ERR user_script:1: Script attempted to access");
    expect_error(cmd(c, "EVAL %s 0", "return loadfile('/etc/passwd')"), "ERR user_script:1: Script attempted to access");
    /* the libraries Redis ships */
    expect_bulk(cmd(c, "EVAL %s 0", "return cjson.encode({1,2})"), "[1,2]");
    expect_int(cmd(c, "EVAL %s 0", "return bit.band(7, 3)"), 3);
    expect_bulk(cmd(c, "EVAL %s 0", "return redis.sha1hex('')"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    redisFree(c);
}

static void test_script_cache(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "SCRIPT LOAD %s", "return 'cached'");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    char sha[41];
    strcpy(sha, r->str);
    freeReplyObject(r);
    expect_bulk(cmd(c, "EVALSHA %s 0", sha), "cached");
    r = cmd(c, "SCRIPT EXISTS %s ffffffffffffffffffffffffffffffffffffffff", sha);
    expect_array_len(r, 2);
    assert_int_equal(r->element[0]->integer, 1);
    assert_int_equal(r->element[1]->integer, 0);
    freeReplyObject(r);
    OK(c, "SCRIPT FLUSH");
    expect_error(cmd(c, "EVALSHA %s 0", sha), "NOSCRIPT No matching script. Please use EVAL.");
    expect_error(cmd(c, "SCRIPT KILL"), "NOTBUSY No scripts in execution right now.");
    redisFree(c);
}

static void test_read_only_scripts(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET rok 1");
    expect_bulk(cmd(c, "EVAL_RO %s 1 rok", "return redis.call('get', KEYS[1])"), "1");
    redisReply *r = cmd(c, "EVAL_RO %s 1 rok", "return redis.call('set', KEYS[1], 2)");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Write commands are not allowed from read-only scripts."));
    freeReplyObject(r);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_conversions),
        cmocka_unit_test(test_keys_argv_and_calls),
        cmocka_unit_test(test_errors_carry_script_location),
        cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_script_cache),
        cmocka_unit_test(test_read_only_scripts),
    };
    return cmocka_run_group_tests_name("scripting", tests, group_start_server, group_stop_server);
}
