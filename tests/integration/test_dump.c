/* test_dump.c: DUMP/RESTORE round trips for every type, the options
 * (REPLACE, ABSTTL, IDLETIME, FREQ) and the refusal of damaged payloads. */
#include <string.h>

#include "harness/harness.h"

static void roundtrip(redisContext *c, const char *key, const char *newkey) {
    redisReply *d = cmd(c, "DUMP %s", key);
    assert_int_equal(d->type, REDIS_REPLY_STRING);
    expect_status(cmd(c, "RESTORE %s 0 %b", newkey, d->str, d->len), "OK");
    freeReplyObject(d);
}

static void test_roundtrip_all_types(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "HSET dh f v"));
    freeReplyObject(cmd(c, "SADD ds a b"));
    freeReplyObject(cmd(c, "ZADD dz 1.25 m"));
    freeReplyObject(cmd(c, "RPUSH dl x y"));
    roundtrip(c, "dh", "dh2");
    roundtrip(c, "ds", "ds2");
    roundtrip(c, "dz", "dz2");
    roundtrip(c, "dl", "dl2");
    expect_bulk(cmd(c, "HGET dh2 f"), "v");
    expect_int(cmd(c, "SCARD ds2"), 2);
    expect_bulk(cmd(c, "ZSCORE dz2 m"), "1.25");
    expect_bulk(cmd(c, "LINDEX dl2 1"), "y");
    expect_nil(cmd(c, "DUMP nokey"));
    redisFree(c);
}

static void test_restore_options_and_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    freeReplyObject(cmd(c, "RPUSH src a"));
    redisReply *d = cmd(c, "DUMP src");
    expect_error(cmd(c, "RESTORE src 0 %b", d->str, d->len), "BUSYKEY Target key name already exists.");
    expect_status(cmd(c, "RESTORE src 0 %b REPLACE", d->str, d->len), "OK");
    expect_status(cmd(c, "RESTORE withttl 100000 %b", d->str, d->len), "OK");
    redisReply *r = cmd(c, "PTTL withttl");
    assert_true(r->integer > 90000 && r->integer <= 100000);
    freeReplyObject(r);
    expect_status(cmd(c, "RESTORE gone 1 %b ABSTTL", d->str, d->len), "OK"); /* already expired */
    expect_int(cmd(c, "EXISTS gone"), 0);
    expect_status(cmd(c, "RESTORE idle 0 %b IDLETIME 1000", d->str, d->len), "OK");
    expect_error(cmd(c, "RESTORE x -1 %b", d->str, d->len), "ERR Invalid TTL value, must be >= 0");
    expect_error(cmd(c, "RESTORE x 0 %b FREQ 300", d->str, d->len), "ERR Invalid FREQ value, must be >= 0 and <= 255");
    expect_error(cmd(c, "RESTORE x 0 %b BOGUS", d->str, d->len), "ERR syntax error");
    char damaged[256];
    memcpy(damaged, d->str, d->len);
    damaged[0] ^= 0x55;
    expect_error(cmd(c, "RESTORE x 0 %b", damaged, d->len), "ERR DUMP payload version or checksum are wrong");
    expect_error(cmd(c, "RESTORE x 0 short"), "ERR DUMP payload version or checksum are wrong");
    freeReplyObject(d);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_all_types),
        cmocka_unit_test(test_restore_options_and_errors),
    };
    return cmocka_run_group_tests_name("dump", tests, group_start_server, group_stop_server);
}
