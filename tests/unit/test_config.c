/* test_config.c: unit tests for server/config.c on a bare server struct:
 * Redis 7.2's defaults as CONFIG GET prints them, parsing config text
 * (multi-argument directives given as one quoted word, last line wins,
 * errors), CONFIG SET atomicity when an apply hook fails (a reactor that
 * cannot shrink below an open descriptor), pattern matching for CONFIG
 * GET, and the protected-mode rule that integration tests cannot reach
 * from a loopback-only machine (server_check_protected_mode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/zmalloc.h"
#include "server/config.h"
#include "server/server.h"

static server S;

/* Every test starts from the defaults (S stays allocated across tests). */
static int setup(void **state) {
    config_set_defaults(&S);
    return 0;
}

static void expect_config_value(const char *name, const char *want) {
    sds v = config_get(&S, name);
    if (!v) fail_msg("%s: unknown", name);
    if (strcmp(v, want)) fail_msg("%s: got '%s', want '%s'", name, v, want);
    sdsfree(v);
}

static void test_defaults_are_redis_72s(void **state) {
    expect_config_value("port", "6379");
    expect_config_value("bind", "* -::*");
    expect_config_value("maxmemory", "0");
    expect_config_value("maxmemory-policy", "noeviction");
    expect_config_value("hash-max-listpack-entries", "512");
    expect_config_value("hash-max-ziplist-entries", "512");
    expect_config_value("list-max-ziplist-size", "-2");
    expect_config_value("save", "3600 1 300 100 60 10000");
    expect_config_value("client-output-buffer-limit",
                        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    expect_config_value("proto-max-bulk-len", "536870912");
    expect_config_value("client-query-buffer-limit", "1073741824");
    expect_config_value("protected-mode", "yes");
    expect_config_value("requirepass", "");
    expect_config_value("unixsocketperm", "0");
    expect_config_value("oom-score-adj-values", "0 200 800");
    expect_config_value("activedefrag", "no");
    expect_config_value("proc-title-template", "{title} {listen-addr} {server-mode}");
    expect_config_value("latency-tracking-info-percentiles", "50 99 99.9");
    expect_config_value("syslog-facility", "local0");
    assert_null(config_get(&S, "no-such-directive"));
}

static void test_load_text(void **state) {
    const char *text = "# comment\n"
                       "  port 7777  \n"
                       "maxmemory 1gb\n"
                       "maxmemory 2gb\n"
                       "save \"900 1 300 10\"\n"
                       "unixsocketperm 700\n"
                       "SLAVE-READ-ONLY no\n"
                       "activedefrag yes\n"
                       "list-max-ziplist-entries 512\n"
                       "notify-keyspace-events \"\"\n";
    assert_int_equal(config_load_string(&S, text, NULL), 0);
    expect_config_value("port", "7777");
    expect_config_value("maxmemory", "2147483648");
    expect_config_value("save", "900 1 300 10");
    expect_config_value("unixsocketperm", "700");
    expect_config_value("replica-read-only", "no");
    expect_config_value("activedefrag", "yes");
    assert_int_equal(S.unixsocketperm, 0700);
}

static void test_load_errors(void **state) {
    const char *bad[] = {"nosuchdirective 1\n",
                         "port\n",
                         "port 1 2\n",
                         "maxmemory lots\n",
                         "loglevel loud\n",
                         "save 1\n",
                         "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",
                         "sentinel monitor x\n",
                         "\"unbalanced\n",
                         "dbfilename a/b.rdb\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (config_load_string(&S, bad[i], NULL) != -1) fail_msg("accepted: %s", bad[i]);
}

static void test_set_pairs_restores_on_a_failed_apply(void **state) {
    /* A reactor with an open descriptor at 150 cannot shrink to 1 + 128. */
    S.el = reactor_create(300, &S);
    assert_non_null(S.el);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int high = dup2(fds[0], 150);
    assert_int_equal(high, 150);
    assert_int_equal(reactor_add(S.el, high, RE_READABLE, NULL, NULL), 0);
    sds pairs[] = {sdsnew("timeout"), sdsnew("30"), sdsnew("maxclients"), sdsnew("1")};
    sds err = NULL;
    assert_int_equal(config_set_pairs(&S, pairs, 2, &err), -1);
    assert_string_equal(err,
                        "CONFIG SET failed (possibly related to argument 'maxclients') - The event loop API "
                        "used by Redis is not able to handle the specified number of clients");
    sdsfree(err);
    expect_config_value("timeout", "0");
    expect_config_value("maxclients", "10000");
    reactor_del(S.el, high, RE_READABLE);
    close(high);
    close(fds[0]);
    close(fds[1]);
    reactor_free(S.el);
    S.el = NULL;
    for (int i = 0; i < 4; i++) sdsfree(pairs[i]);
}

static void test_set_pairs_checks_names_first(void **state) {
    sds pairs[] = {sdsnew("timeout"), sdsnew("30"), sdsnew("databases"), sdsnew("4")};
    sds err = NULL;
    assert_int_equal(config_set_pairs(&S, pairs, 2, &err), -1);
    assert_string_equal(
        err, "CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config");
    sdsfree(err);
    expect_config_value("timeout", "0");
    for (int i = 0; i < 4; i++) sdsfree(pairs[i]);
}

typedef struct collected {
    int n;
    char names[512][48];
} collected;

static void collect(void *ctx, const char *name, sds value) {
    collected *c = ctx;
    if (c->n < 512) snprintf(c->names[c->n++], sizeof(c->names[0]), "%s", name);
}

static void test_get_many_patterns(void **state) {
    static collected c;
    c.n = 0;
    sds pats[] = {sdsnew("*-ziplist-*"), sdsnew("hash-max-ziplist-value")};
    config_get_many(&S, pats, 2, collect, &c);
    assert_int_equal(c.n, 5); /* hash entries/value, zset entries/value, list size */
    for (int i = 0; i < c.n; i++) assert_non_null(strstr(c.names[i], "-ziplist-"));
    c.n = 0;
    sds hidden[] = {sdsnew("use-exit-on-panic"), sdsnew("*exit-on*")};
    config_get_many(&S, hidden, 2, collect, &c);
    assert_int_equal(c.n, 1); /* the exact name only */
    for (int i = 0; i < 2; i++) {
        sdsfree(pats[i]);
        sdsfree(hidden[i]);
    }
}

static void test_protected_mode_rule(void **state) {
    S.protected_mode = 1;
    sdsfree(S.requirepass);
    S.requirepass = NULL;
    assert_true(server_check_protected_mode(&S, "10.1.2.3"));
    assert_true(server_check_protected_mode(&S, "192.168.0.7"));
    assert_true(server_check_protected_mode(&S, "2001:db8::1"));
    assert_false(server_check_protected_mode(&S, "127.0.0.1"));
    assert_false(server_check_protected_mode(&S, "127.8.9.10"));
    assert_false(server_check_protected_mode(&S, "::1"));
    S.requirepass = sdsnew("secret"); /* a password lifts it */
    assert_false(server_check_protected_mode(&S, "10.1.2.3"));
    sdsfree(S.requirepass);
    S.requirepass = NULL;
    S.protected_mode = 0; /* and so does turning it off */
    assert_false(server_check_protected_mode(&S, "10.1.2.3"));
    S.protected_mode = 1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults_are_redis_72s, setup),
        cmocka_unit_test_setup(test_load_text, setup),
        cmocka_unit_test_setup(test_load_errors, setup),
        cmocka_unit_test_setup(test_set_pairs_restores_on_a_failed_apply, setup),
        cmocka_unit_test_setup(test_set_pairs_checks_names_first, setup),
        cmocka_unit_test_setup(test_get_many_patterns, setup),
        cmocka_unit_test_setup(test_protected_mode_rule, setup),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
