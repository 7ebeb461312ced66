/* test_acl.c: ACL users, rules and the checks the dispatcher makes. */
#include <string.h>

#include "harness/harness.h"

static void test_setuser_getuser_list(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "ACL SETUSER bob on >secret ~app:* +get +set");
    redisReply *r = cmd(c, "ACL LIST");
    expect_array_len(r, 2);
    assert_non_null(strstr(r->element[0]->str, "user bob on sanitize-payload #"));
    assert_non_null(strstr(r->element[0]->str, "~app:* resetchannels -@all +get +set"));
    assert_string_equal(r->element[1]->str, "user default on nopass sanitize-payload ~* &* +@all");
    freeReplyObject(r);
    r = cmd(c, "ACL USERS");
    expect_array_len(r, 2);
    freeReplyObject(r);
    r = cmd(c, "ACL GETUSER bob");
    expect_array_len(r, 12);
    assert_string_equal(r->element[0]->str, "flags");
    freeReplyObject(r);
    expect_nil(cmd(c, "ACL GETUSER nobody"));
    expect_bulk(cmd(c, "ACL WHOAMI"), "default");
    redisFree(c);
}

static void test_rule_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "ACL SETUSER x +nosuchcommand"),
                 "ERR Error in ACL SETUSER modifier '+nosuchcommand': Unknown command or category name in ACL");
    expect_error(cmd(c, "ACL SETUSER x +@nosuchcat"), "ERR Error in ACL SETUSER modifier '+@nosuchcat'");
    expect_error(cmd(c, "ACL SETUSER x #abc"),
                 "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters");
    expect_error(cmd(c, "ACL SETUSER x ~* ~foo"), "ERR Error in ACL SETUSER modifier '~foo': Adding a pattern after");
    expect_error(cmd(c, "ACL SETUSER x <nopw"), "ERR Error in ACL SETUSER modifier '<nopw'");
    expect_nil(cmd(c, "ACL GETUSER x")); /* failed SETUSER leaves nothing behind */
    expect_error(cmd(c, "ACL DELUSER default"), "ERR The 'default' user cannot be removed");
    expect_error(cmd(c, "ACL CAT nosuch"), "ERR Unknown category 'nosuch'");
    redisFree(c);
}

static void test_dryrun(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "ACL SETUSER ro on nopass %%R~cache:* +@read");
    expect_status(cmd(c, "ACL DRYRUN ro GET cache:1"), "OK");
    expect_bulk(cmd(c, "ACL DRYRUN ro SET cache:1 x"), "This user has no permissions to run the 'set' command");
    expect_bulk(cmd(c, "ACL DRYRUN ro GET other"), "This user has no permissions to access the 'other' key");
    expect_error(cmd(c, "ACL DRYRUN nobody GET x"), "ERR User 'nobody' not found");
    expect_error(cmd(c, "ACL DRYRUN ro NOSUCH x"), "ERR Command 'NOSUCH' not found");
    OK(c, "ACL SETUSER pub on nopass &news.* +publish +subscribe");
    expect_status(cmd(c, "ACL DRYRUN pub PUBLISH news.x hi"), "OK");
    expect_bulk(cmd(c, "ACL DRYRUN pub PUBLISH other hi"), "This user has no permissions to access the 'other' channel");
    expect_int(cmd(c, "ACL DELUSER ro pub nobody"), 2);
    redisReply *r = cmd(c, "ACL GENPASS 32");
    assert_int_equal(r->len, 8);
    freeReplyObject(r);
    r = cmd(c, "ACL CAT");
    assert_true(r->elements >= 20);
    freeReplyObject(r);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setuser_getuser_list),
        cmocka_unit_test(test_rule_errors),
        cmocka_unit_test(test_dryrun),
    };
    return cmocka_run_group_tests_name("acl", tests, group_start_server, group_stop_server);
}
