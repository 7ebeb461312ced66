/* test_strings.c: the string commands as a client sees them: SET and its
 * options and variants, GET/GETEX/GETDEL/GETSET, MSET/MSETNX/MGET, APPEND,
 * STRLEN, SETRANGE/GETRANGE/SUBSTR, the counters, INCRBYFLOAT and LCS.
 * Normal, edge and error cases with Redis 7.2's exact replies, the
 * encodings OBJECT ENCODING reports, keyspace events, RESP3 shapes and
 * the deterministic forms written to the AOF. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "ERR value is not an integer or out of range"
#define SYNTAX "ERR syntax error"

static redisContext *fresh(void) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    return c;
}

static void expect_int_between(redisReply *r, long long lo, long long hi) {
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    assert_in_range(r->integer, lo, hi);
    freeReplyObject(r);
}

static void expect_encoding(redisContext *c, const char *key, const char *enc) {
    expect_bulk(cmd(c, "OBJECT ENCODING %s", key), enc);
}

/* A raw connection switched to RESP3 (HELLO 3 must answer with a map). */
static int resp3_connect(void) {
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3");
    assert_non_null(r);
    assert_int_equal(r->type, R3_MAP);
    r3_free(r);
    return fd;
}

/* ---- SET / GET */

static void test_set_get(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k hello");
    expect_bulk(cmd(c, "GET k"), "hello");
    expect_nil(cmd(c, "GET missing"));
    OK(c, "SET %b %b", "k\r\n\0", (size_t)4, "v\0\r\nx", (size_t)5);
    expect_bulk_len(cmd(c, "GET %b", "k\r\n\0", (size_t)4), "v\0\r\nx", 5);
    OK(c, "SET empty %s", "");
    expect_bulk(cmd(c, "GET empty"), "");
    expect_int(cmd(c, "RPUSH list a"), 1);
    expect_error(cmd(c, "GET list"), WRONGTYPE);
    OK(c, "SET list now-a-string"); /* SET ignores the old type */
    expect_bulk(cmd(c, "GET list"), "now-a-string");
    expect_error(cmd(c, "SET k"), "ERR wrong number of arguments for 'set' command");
    expect_error(cmd(c, "GET"), "ERR wrong number of arguments for 'get' command");
    expect_error(cmd(c, "GET a b"), "ERR wrong number of arguments for 'get' command");
    redisFree(c);
}

static void test_set_nx_xx_get(void **state) {
    redisContext *c = fresh();
    expect_nil(cmd(c, "SET k v1 XX"));
    expect_int(cmd(c, "EXISTS k"), 0);
    OK(c, "SET k v1 NX");
    expect_nil(cmd(c, "SET k v2 NX"));
    expect_bulk(cmd(c, "GET k"), "v1");
    OK(c, "SET k v2 xx");
    expect_bulk(cmd(c, "SET k v3 GET"), "v2");
    expect_nil(cmd(c, "SET new v GET"));
    expect_bulk(cmd(c, "GET new"), "v");
    /* With GET, NX/XX failures reply the old value (or null) instead. */
    expect_bulk(cmd(c, "SET k v4 NX GET"), "v3");
    expect_bulk(cmd(c, "GET k"), "v3");
    expect_nil(cmd(c, "SET other v XX GET"));
    expect_int(cmd(c, "EXISTS other"), 0);
    expect_nil(cmd(c, "SET k v NX NX")); /* repeating an option is fine */
    expect_bulk(cmd(c, "SET k v5 GET GET"), "v3");
    expect_int(cmd(c, "LPUSH l x"), 1);
    expect_error(cmd(c, "SET l v GET"), WRONGTYPE);
    expect_int(cmd(c, "LLEN l"), 1); /* untouched */
    redisFree(c);
}

static void test_set_option_conflicts(void **state) {
    redisContext *c = fresh();
    const char *bad[] = {"SET k v NX XX",         "SET k v XX NX",         "SET k v EX 10 PX 100",
                         "SET k v PX 10 EX 1",    "SET k v EX 10 EXAT 9",  "SET k v PXAT 9 EXAT 9",
                         "SET k v EX 10 KEEPTTL", "SET k v KEEPTTL EX 10", "SET k v EX",
                         "SET k v PERSIST",       "SET k v FOO",           "SET k v KEEPTTL PXAT 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) expect_error(cmd(c, bad[i]), SYNTAX);
    expect_int(cmd(c, "EXISTS k"), 0);
    OK(c, "SET k v ex 10 EX 20"); /* the same expire option twice: last wins */
    expect_int_between(cmd(c, "TTL k"), 19, 20);
    redisFree(c);
}

static void test_set_expire_options(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k v EX 100");
    expect_int_between(cmd(c, "TTL k"), 99, 100);
    OK(c, "SET k v PX 100000");
    expect_int_between(cmd(c, "PTTL k"), 99000, 100000);
    OK(c, "SET k v EXAT 4000000000");
    expect_int(cmd(c, "EXPIRETIME k"), 4000000000LL);
    OK(c, "SET k v PXAT 4000000000123");
    expect_int(cmd(c, "PEXPIRETIME k"), 4000000000123LL);
    OK(c, "SET k v2 KEEPTTL");
    expect_int(cmd(c, "PEXPIRETIME k"), 4000000000123LL);
    OK(c, "SET k v3");
    expect_int(cmd(c, "TTL k"), -1);
    /* A time already past: the key is stored expired, i.e. gone. */
    OK(c, "SET k v EXAT 1");
    expect_nil(cmd(c, "GET k"));
    expect_int(cmd(c, "EXISTS k"), 0);
    OK(c, "SET k v PX 1");
    usleep(20000);
    expect_nil(cmd(c, "GET k"));
    redisFree(c);
}

static void test_set_invalid_expire(void **state) {
    redisContext *c = fresh();
    const char *bad[] = {"SET k v EX 0",
                         "SET k v EX -1",
                         "SET k v PX 0",
                         "SET k v EXAT 0",
                         "SET k v PXAT -5",
                         "SET k v EX 9223372036854775807",
                         "SET k v PX 9223372036854775807",
                         "SET k v EXAT 9223372036854776"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(cmd(c, bad[i]), "ERR invalid expire time in 'set' command");
    expect_error(cmd(c, "SET k v EX 1.5"), NOT_INT);
    expect_error(cmd(c, "SET k v PX abc"), NOT_INT);
    expect_int(cmd(c, "EXISTS k"), 0);
    OK(c, "SET k v PXAT 9223372036854775807"); /* absolute: no addition, no overflow */
    expect_int(cmd(c, "PEXPIRETIME k"), 9223372036854775807LL);
    redisFree(c);
}

static void test_setnx_setex_psetex(void **state) {
    redisContext *c = fresh();
    expect_int(cmd(c, "SETNX k a"), 1);
    expect_int(cmd(c, "SETNX k b"), 0);
    expect_bulk(cmd(c, "GET k"), "a");
    OK(c, "SETEX k 100 v");
    expect_bulk(cmd(c, "GET k"), "v");
    expect_int_between(cmd(c, "TTL k"), 99, 100);
    OK(c, "PSETEX k 50000 w");
    expect_int_between(cmd(c, "PTTL k"), 49000, 50000);
    expect_error(cmd(c, "SETEX k 0 v"), "ERR invalid expire time in 'setex' command");
    expect_error(cmd(c, "SETEX k -10 v"), "ERR invalid expire time in 'setex' command");
    expect_error(cmd(c, "PSETEX k 0 v"), "ERR invalid expire time in 'psetex' command");
    expect_error(cmd(c, "SETEX k ten v"), NOT_INT);
    expect_error(cmd(c, "SETEX k 10"), "ERR wrong number of arguments for 'setex' command");
    expect_error(cmd(c, "SETNX k"), "ERR wrong number of arguments for 'setnx' command");
    expect_bulk(cmd(c, "GET k"), "w");
    redisFree(c);
}

/* ---- GETEX / GETDEL / GETSET */

static void test_getex(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k v");
    expect_bulk(cmd(c, "GETEX k"), "v");
    expect_int(cmd(c, "TTL k"), -1);
    expect_bulk(cmd(c, "GETEX k EX 100"), "v");
    expect_int_between(cmd(c, "TTL k"), 99, 100);
    expect_bulk(cmd(c, "GETEX k PX 5000"), "v");
    expect_int_between(cmd(c, "PTTL k"), 4000, 5000);
    expect_bulk(cmd(c, "GETEX k EXAT 4000000000"), "v");
    expect_int(cmd(c, "EXPIRETIME k"), 4000000000LL);
    expect_bulk(cmd(c, "GETEX k PXAT 4000000000001"), "v");
    expect_int(cmd(c, "PEXPIRETIME k"), 4000000000001LL);
    expect_bulk(cmd(c, "GETEX k PERSIST"), "v");
    expect_int(cmd(c, "TTL k"), -1);
    expect_bulk(cmd(c, "GETEX k PERSIST"), "v"); /* nothing to remove: fine */
    /* An absolute time in the past deletes the key after replying it. */
    expect_bulk(cmd(c, "GETEX k EXAT 1"), "v");
    expect_int(cmd(c, "EXISTS k"), 0);
    OK(c, "SET k v");
    expect_bulk(cmd(c, "GETEX k PXAT 1"), "v");
    expect_int(cmd(c, "EXISTS k"), 0);
    expect_nil(cmd(c, "GETEX k EX 10"));
    expect_nil(cmd(c, "GETEX k EX 0")); /* the value is only checked for an existing key */
    redisFree(c);
}

static void test_getex_errors(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k v");
    const char *bad[] = {"GETEX k EX 10 PX 10",
                         "GETEX k PERSIST EX 10",
                         "GETEX k EX 10 PERSIST",
                         "GETEX k KEEPTTL",
                         "GETEX k NX",
                         "GETEX k GET",
                         "GETEX k EX"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) expect_error(cmd(c, bad[i]), SYNTAX);
    expect_error(cmd(c, "GETEX nokey FOO"), SYNTAX); /* syntax is checked before the lookup */
    expect_error(cmd(c, "GETEX k EX 0"), "ERR invalid expire time in 'getex' command");
    expect_error(cmd(c, "GETEX k PX -1"), "ERR invalid expire time in 'getex' command");
    expect_error(cmd(c, "GETEX k EX x"), NOT_INT);
    expect_int(cmd(c, "TTL k"), -1);
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "GETEX l"), WRONGTYPE);
    expect_error(cmd(c, "GETEX l EX 0"), WRONGTYPE); /* type before the expire value */
    expect_error(cmd(c, "GETEX"), "ERR wrong number of arguments for 'getex' command");
    redisFree(c);
}

static void test_getdel_getset(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k v EX 100");
    expect_bulk(cmd(c, "GETDEL k"), "v");
    expect_int(cmd(c, "EXISTS k"), 0);
    expect_nil(cmd(c, "GETDEL k"));
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "GETDEL l"), WRONGTYPE);
    expect_int(cmd(c, "EXISTS l"), 1);
    expect_nil(cmd(c, "GETSET g first"));
    expect_int(cmd(c, "EXPIRE g 100"), 1);
    expect_bulk(cmd(c, "GETSET g second"), "first");
    expect_bulk(cmd(c, "GET g"), "second");
    expect_int(cmd(c, "TTL g"), -1); /* GETSET drops the TTL like SET */
    expect_error(cmd(c, "GETSET l x"), WRONGTYPE);
    expect_error(cmd(c, "GETDEL a b"), "ERR wrong number of arguments for 'getdel' command");
    expect_error(cmd(c, "GETSET a"), "ERR wrong number of arguments for 'getset' command");
    redisFree(c);
}

/* ---- MSET / MSETNX / MGET */

/* Big values are stored without copying the argument where that is safe;
 * MSET naming a key twice must still show (MONITOR, propagation) and
 * keep intact arguments: the first value is freed within the command. */
static void test_big_values_named_twice(void **state) {
    redisContext *c = fresh();
    int mon = raw_connect(srv.port);
    assert_true(mon >= 0);
    const char *monitor = "*1\r\n$7\r\nMONITOR\r\n";
    raw_send(mon, monitor, strlen(monitor));
    char buf[4096];
    assert_true(raw_read(mon, buf, sizeof(buf), 2000) > 0); /* +OK */
    char v1[101], v2[101];
    memset(v1, 'a', 100);
    memset(v2, 'b', 100);
    v1[100] = v2[100] = '\0';
    OK(c, "MSET twice %s twice %s", v1, v2);
    expect_bulk(cmd(c, "GET twice"), v2);
    OK(c, "SET once %s", v1);
    expect_bulk(cmd(c, "GETSET once %s", v2), v1); /* the old value */
    ssize_t n = raw_read_all(mon, buf, sizeof(buf) - 1, 500);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, v1));
    assert_non_null(strstr(buf, v2));
    expect_bulk(cmd(c, "GET once"), v2);
    close(mon);
    redisFree(c);
}

static void test_mset_mget(void **state) {
    redisContext *c = fresh();
    OK(c, "MSET a 1 b 2 a 3");
    redisReply *r = cmd(c, "MGET a b nokey");
    expect_array_len(r, 3);
    assert_string_equal(r->element[0]->str, "3");
    assert_string_equal(r->element[1]->str, "2");
    assert_int_equal(r->element[2]->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    expect_int(cmd(c, "RPUSH l x"), 1);
    r = cmd(c, "MGET l a"); /* other types read as null, no error */
    expect_array_len(r, 2);
    assert_int_equal(r->element[0]->type, REDIS_REPLY_NIL);
    assert_string_equal(r->element[1]->str, "3");
    freeReplyObject(r);
    expect_error(cmd(c, "MSET a 1 b"), "ERR wrong number of arguments for 'mset' command");
    expect_error(cmd(c, "MSET a"), "ERR wrong number of arguments for 'mset' command");
    expect_error(cmd(c, "MGET"), "ERR wrong number of arguments for 'mget' command");
    OK(c, "SET ttl v EX 100");
    OK(c, "MSET ttl w");
    expect_int(cmd(c, "TTL ttl"), -1);
    redisFree(c);
}

static void test_msetnx(void **state) {
    redisContext *c = fresh();
    expect_int(cmd(c, "MSETNX x 1 y 2"), 1);
    expect_int(cmd(c, "MSETNX y 9 z 3"), 0); /* all or nothing */
    expect_int(cmd(c, "EXISTS z"), 0);
    expect_bulk(cmd(c, "GET y"), "2");
    expect_int(cmd(c, "MSETNX z 1 z 2"), 1); /* the same key twice: last wins */
    expect_bulk(cmd(c, "GET z"), "2");
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_int(cmd(c, "MSETNX l 1"), 0); /* existing key of any type */
    expect_error(cmd(c, "MSETNX a 1 b"), "ERR wrong number of arguments for 'msetnx' command");
    redisFree(c);
}

/* ---- APPEND / STRLEN / SETRANGE / GETRANGE */

static void test_append_strlen(void **state) {
    redisContext *c = fresh();
    expect_int(cmd(c, "APPEND k hello"), 5);
    expect_int(cmd(c, "APPEND k %b", " \r\n\0!", (size_t)5), 10);
    expect_bulk_len(cmd(c, "GET k"), "hello \r\n\0!", 10);
    expect_int(cmd(c, "STRLEN k"), 10);
    expect_int(cmd(c, "STRLEN nokey"), 0);
    expect_int(cmd(c, "APPEND k %s", ""), 10);
    OK(c, "SET n 12345");
    expect_int(cmd(c, "STRLEN n"), 5); /* int-encoded values have their decimal length */
    expect_int(cmd(c, "APPEND n 6"), 6);
    expect_bulk(cmd(c, "GET n"), "123456");
    OK(c, "SET t v EX 100");
    expect_int(cmd(c, "APPEND t w"), 2);
    expect_int_between(cmd(c, "TTL t"), 99, 100); /* APPEND keeps the TTL */
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "APPEND l x"), WRONGTYPE);
    expect_error(cmd(c, "STRLEN l"), WRONGTYPE);
    expect_error(cmd(c, "APPEND k"), "ERR wrong number of arguments for 'append' command");
    redisFree(c);
}

static void test_setrange(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k %s", "Hello World");
    expect_int(cmd(c, "SETRANGE k 6 Redis"), 11);
    expect_bulk(cmd(c, "GET k"), "Hello Redis");
    expect_int(cmd(c, "SETRANGE k 13 %b", "\r\n", (size_t)2), 15); /* zero padded */
    expect_bulk_len(cmd(c, "GET k"), "Hello Redis\0\0\r\n", 15);
    expect_int(cmd(c, "SETRANGE new 3 ab"), 5);
    expect_bulk_len(cmd(c, "GET new"), "\0\0\0ab", 5);
    expect_int(cmd(c, "SETRANGE k 100 %s", ""), 15); /* empty: no change, current length */
    expect_int(cmd(c, "SETRANGE absent 5 %s", ""), 0);
    expect_int(cmd(c, "EXISTS absent"), 0);
    expect_error(cmd(c, "SETRANGE k -1 x"), "ERR offset is out of range");
    expect_error(cmd(c, "SETRANGE k x x"), NOT_INT);
    expect_error(cmd(c, "SETRANGE k 9223372036854775808 x"), NOT_INT);
    expect_error(cmd(c, "SETRANGE k 536870912 x"),
                 "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_error(cmd(c, "SETRANGE k 9223372036854775807 x"),
                 "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_error(cmd(c, "SETRANGE none 536870912 x"),
                 "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "SETRANGE l 0 x"), WRONGTYPE);
    expect_error(cmd(c, "SETRANGE l 0 %s", ""), WRONGTYPE);
    redisFree(c);
}

/* The limit is proto-max-bulk-len exactly: the last byte it allows can be
 * written, one more cannot. A server with a 1 MB limit keeps this cheap;
 * LCS's transient table is bounded by the same limit. */
static void test_string_size_limit(void **state) {
    testServer ts = {0};
    const char *extra[] = {"--proto-max-bulk-len", "1048576", NULL};
    assert_int_equal(ts_start(&ts, extra), 0);
    redisContext *c = ts_connect(&ts);
    expect_int(cmd(c, "SETRANGE k 1048575 x"), 1048576);
    expect_error(cmd(c, "SETRANGE k 1048576 x"),
                 "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_error(cmd(c, "SETRANGE k 1048575 xy"),
                 "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_error(cmd(c, "APPEND k y"), "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    expect_int(cmd(c, "STRLEN k"), 1048576);
    expect_int(cmd(c, "SETRANGE k 1048575 z"), 1048576); /* overwriting inside the limit is fine */
    char big[500];
    memset(big, 'a', sizeof(big));
    OK(c, "MSET big1 %b big2 %b", big, sizeof(big), big, sizeof(big));
    expect_int(cmd(c, "LCS big1 big2 LEN"), 500); /* 501 * 501 * 4 bytes fit in 1 MB */
    expect_int(cmd(c, "APPEND big1 %b", big, (size_t)40), 540);
    expect_error(cmd(c, "LCS big1 big2 LEN"),
                 "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    redisFree(c);
    ts_stop(&ts);
}

static void test_getrange_substr(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k %s", "This is a string");
    expect_bulk(cmd(c, "GETRANGE k 0 3"), "This");
    expect_bulk(cmd(c, "GETRANGE k -3 -1"), "ing");
    expect_bulk(cmd(c, "GETRANGE k 0 -1"), "This is a string");
    expect_bulk(cmd(c, "GETRANGE k 10 100"), "string");
    expect_bulk(cmd(c, "GETRANGE k 0 4294967297"), "This is a string");
    expect_bulk(cmd(c, "GETRANGE k -9223372036854775808 9223372036854775807"), "This is a string");
    expect_bulk(cmd(c, "GETRANGE k -9223372036854775808 -9223372036854775808"), "T");
    expect_bulk(cmd(c, "GETRANGE k -1 -5"), ""); /* both negative, start after end */
    expect_bulk(cmd(c, "GETRANGE k 5 3"), "");
    expect_bulk(cmd(c, "GETRANGE k 100 200"), "");
    expect_bulk(cmd(c, "GETRANGE nokey 0 -1"), ""); /* empty string, not null */
    expect_bulk(cmd(c, "SUBSTR k 5 6"), "is");
    OK(c, "SET n 1234");
    expect_bulk(cmd(c, "GETRANGE n 1 2"), "23");
    OK(c, "SET e %s", "");
    expect_bulk(cmd(c, "GETRANGE e 0 -1"), "");
    OK(c, "SET b %b", "a\0\r\nb", (size_t)5);
    expect_bulk_len(cmd(c, "GETRANGE b 1 3"), "\0\r\n", 3);
    expect_error(cmd(c, "GETRANGE k a 1"), NOT_INT);
    expect_error(cmd(c, "GETRANGE k 0 9223372036854775808"), NOT_INT);
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "GETRANGE l 0 1"), WRONGTYPE);
    expect_error(cmd(c, "GETRANGE k 0"), "ERR wrong number of arguments for 'getrange' command");
    redisFree(c);
}

/* ---- counters */

static void test_incr_decr(void **state) {
    redisContext *c = fresh();
    expect_int(cmd(c, "INCR n"), 1);
    expect_int(cmd(c, "INCRBY n 10"), 11);
    expect_int(cmd(c, "DECR n"), 10);
    expect_int(cmd(c, "DECRBY n 20"), -10);
    expect_int(cmd(c, "INCRBY n -5"), -15);
    expect_int(cmd(c, "DECRBY n -15"), 0);
    OK(c, "SET s 17179869184");
    expect_int(cmd(c, "INCR s"), 17179869185LL);
    OK(c, "SET e 5");
    expect_int(cmd(c, "EXPIRE e 100"), 1);
    expect_int(cmd(c, "INCR e"), 6);
    expect_int_between(cmd(c, "TTL e"), 99, 100); /* the TTL survives */
    OK(c, "SET big 9223372036854775807");
    expect_error(cmd(c, "INCR big"), "ERR increment or decrement would overflow");
    expect_int(cmd(c, "DECR big"), 9223372036854775806LL);
    OK(c, "SET small -9223372036854775808");
    expect_error(cmd(c, "DECR small"), "ERR increment or decrement would overflow");
    expect_error(cmd(c, "INCRBY small -1"), "ERR increment or decrement would overflow");
    expect_error(cmd(c, "DECRBY n -9223372036854775808"), "ERR decrement would overflow");
    expect_error(cmd(c, "INCRBY n 9223372036854775808"), NOT_INT);
    expect_error(cmd(c, "INCRBY n 1.5"), NOT_INT);
    const char *not_numbers[] = {"abc", " 1", "1 ", "+1", "01", "1.0", "", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
        OK(c, "SET bad %s", not_numbers[i]);
        expect_error(cmd(c, "INCR bad"), NOT_INT);
    }
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "INCR l"), WRONGTYPE);
    expect_error(cmd(c, "DECRBY l 1"), WRONGTYPE);
    expect_error(cmd(c, "INCR"), "ERR wrong number of arguments for 'incr' command");
    expect_error(cmd(c, "INCRBY n"), "ERR wrong number of arguments for 'incrby' command");
    redisFree(c);
}

static void test_incrbyfloat(void **state) {
    redisContext *c = fresh();
    expect_bulk(cmd(c, "INCRBYFLOAT f 10.5"), "10.5");
    expect_bulk(cmd(c, "INCRBYFLOAT f 0.1"), "10.6");
    expect_bulk(cmd(c, "INCRBYFLOAT f -10.6"), "0");
    expect_bulk(cmd(c, "INCRBYFLOAT f 5.0e3"), "5000");
    /* long double arithmetic printed with 17 decimals, as Redis does */
    expect_bulk(cmd(c, "INCRBYFLOAT f 2e-3"), "5000.00199999999999978");
    OK(c, "SET n 3");
    expect_bulk(cmd(c, "INCRBYFLOAT n 1.5"), "4.5");
    OK(c, "SET n 1.5e1");
    expect_bulk(cmd(c, "INCRBYFLOAT n 1"), "16");
    OK(c, "SET t 1 EX 100");
    expect_bulk(cmd(c, "INCRBYFLOAT t 1"), "2");
    expect_int_between(cmd(c, "TTL t"), 99, 100); /* the TTL survives */
    expect_error(cmd(c, "INCRBYFLOAT f inf"), "ERR increment would produce NaN or Infinity");
    expect_error(cmd(c, "INCRBYFLOAT f -inf"), "ERR increment would produce NaN or Infinity");
    OK(c, "SET huge 1e4932");
    expect_error(cmd(c, "INCRBYFLOAT huge 1e4932"), "ERR increment would produce NaN or Infinity");
    expect_error(cmd(c, "INCRBYFLOAT f nan"), "ERR value is not a valid float");
    expect_error(cmd(c, "INCRBYFLOAT f abc"), "ERR value is not a valid float");
    expect_error(cmd(c, "INCRBYFLOAT f %s", " 1"), "ERR value is not a valid float");
    expect_error(cmd(c, "INCRBYFLOAT f %s", "1 "), "ERR value is not a valid float");
    OK(c, "SET s abc");
    expect_error(cmd(c, "INCRBYFLOAT s 1"), "ERR value is not a valid float");
    expect_bulk(cmd(c, "GET f"), "5000.00199999999999978");
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "INCRBYFLOAT l 1"), WRONGTYPE);
    expect_error(cmd(c, "INCRBYFLOAT f"), "ERR wrong number of arguments for 'incrbyfloat' command");
    redisFree(c);
}

/* RESP3 does not change INCRBYFLOAT's reply: still a bulk string. */
static void test_incrbyfloat_resp3(void **state) {
    redisContext *c = fresh();
    redisFree(c);
    int fd = resp3_connect();
    r3 *r = r3_cmds(fd, "INCRBYFLOAT r3f 1.25");
    assert_int_equal(r->type, R3_STRING);
    assert_string_equal(r->str, "1.25");
    r3_free(r);
    r = r3_cmds(fd, "GET r3missing");
    assert_int_equal(r->type, R3_NULL);
    r3_free(r);
    close(fd);
}

/* ---- LCS */

static void test_lcs(void **state) {
    redisContext *c = fresh();
    OK(c, "MSET key1 ohmytext key2 mynewtext");
    expect_bulk(cmd(c, "LCS key1 key2"), "mytext");
    expect_int(cmd(c, "LCS key1 key2 LEN"), 6);
    redisReply *r = cmd(c, "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN");
    expect_array_len(r, 4);
    assert_string_equal(r->element[0]->str, "matches");
    redisReply *m = r->element[1];
    assert_int_equal(m->elements, 1);
    assert_int_equal(m->element[0]->elements, 3);
    assert_int_equal(m->element[0]->element[0]->element[0]->integer, 4);
    assert_int_equal(m->element[0]->element[0]->element[1]->integer, 7);
    assert_int_equal(m->element[0]->element[1]->element[0]->integer, 5);
    assert_int_equal(m->element[0]->element[1]->element[1]->integer, 8);
    assert_int_equal(m->element[0]->element[2]->integer, 4);
    assert_string_equal(r->element[2]->str, "len");
    assert_int_equal(r->element[3]->integer, 6);
    freeReplyObject(r);
    r = cmd(c, "LCS key1 key2 IDX"); /* ranges last to first, without lengths */
    expect_array_len(r, 4);
    m = r->element[1];
    assert_int_equal(m->elements, 2);
    assert_int_equal(m->element[0]->elements, 2);
    assert_int_equal(m->element[0]->element[0]->element[0]->integer, 4);
    assert_int_equal(m->element[1]->element[0]->element[0]->integer, 2);
    assert_int_equal(m->element[1]->element[0]->element[1]->integer, 3);
    assert_int_equal(m->element[1]->element[1]->element[0]->integer, 0);
    assert_int_equal(m->element[1]->element[1]->element[1]->integer, 1);
    freeReplyObject(r);
    expect_bulk(cmd(c, "LCS key1 nokey"), "");
    expect_int(cmd(c, "LCS nokey nokey2 LEN"), 0);
    OK(c, "MSET b1 %b b2 %b", "a\0\r\nb", (size_t)5, "x\0\r\ny", (size_t)5);
    expect_bulk_len(cmd(c, "LCS b1 b2"), "\0\r\n", 3);
    OK(c, "MSET n1 12345 n2 2345");
    expect_bulk(cmd(c, "LCS n1 n2"), "2345");
    redisFree(c);
}

static void test_lcs_errors(void **state) {
    redisContext *c = fresh();
    OK(c, "MSET a x b y");
    expect_int(cmd(c, "RPUSH l x"), 1);
    expect_error(cmd(c, "LCS a l"), "ERR The specified keys must contain string values");
    expect_error(cmd(c, "LCS l nokey"), "ERR The specified keys must contain string values");
    expect_error(cmd(c, "LCS a b LEN IDX"),
                 "ERR If you want both the length and indexes, please just use IDX.");
    expect_error(cmd(c, "LCS a b FOO"), SYNTAX);
    expect_error(cmd(c, "LCS a b MINMATCHLEN"), SYNTAX);
    expect_error(cmd(c, "LCS a b MINMATCHLEN x"), NOT_INT);
    expect_error(cmd(c, "LCS a"), "ERR wrong number of arguments for 'lcs' command");
    redisReply *r = cmd(c, "LCS a b IDX MINMATCHLEN -5"); /* negative means 0 */
    expect_array_len(r, 4);
    freeReplyObject(r);
    redisFree(c);
}

static void test_lcs_resp3(void **state) {
    redisContext *c = fresh();
    OK(c, "MSET key1 ohmytext key2 mynewtext");
    redisFree(c);
    int fd = resp3_connect();
    r3 *r = r3_cmds(fd, "LCS key1 key2 IDX WITHMATCHLEN");
    assert_int_equal(r->type, R3_MAP);
    assert_int_equal(r->n, 4);
    assert_string_equal(r->elem[0]->str, "matches");
    assert_int_equal(r->elem[1]->type, R3_ARRAY);
    assert_int_equal(r->elem[1]->n, 2);
    assert_int_equal(r->elem[1]->elem[0]->elem[2]->integer, 4);
    assert_string_equal(r->elem[2]->str, "len");
    assert_int_equal(r->elem[3]->integer, 6);
    r3_free(r);
    close(fd);
}

/* ---- encodings: what OBJECT ENCODING reports after each command */

static void test_encodings(void **state) {
    redisContext *c = fresh();
    OK(c, "SET i 12345");
    expect_encoding(c, "i", "int");
    OK(c, "SET i -9223372036854775808");
    expect_encoding(c, "i", "int");
    OK(c, "SET i 012");
    expect_encoding(c, "i", "embstr");
    OK(c, "SET e aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 44 bytes */
    expect_encoding(c, "e", "embstr");
    OK(c, "SET r aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"); /* 45 bytes */
    expect_encoding(c, "r", "raw");
    expect_int(cmd(c, "APPEND i 3"), 4);
    expect_encoding(c, "i", "raw");
    expect_int(cmd(c, "APPEND fresh 123"), 3); /* a new key is encoded like SET */
    expect_encoding(c, "fresh", "int");
    expect_int(cmd(c, "APPEND fresh2 abc"), 3);
    expect_encoding(c, "fresh2", "embstr");
    expect_int(cmd(c, "SETRANGE sr 0 12"), 2);
    expect_encoding(c, "sr", "raw");
    expect_int(cmd(c, "INCR sr"), 13);
    expect_encoding(c, "sr", "int");
    OK(c, "SET s 5");
    expect_int(cmd(c, "SETRANGE s 0 6"), 1);
    expect_encoding(c, "s", "raw");
    expect_bulk(cmd(c, "INCRBYFLOAT fl 3"), "3");
    expect_encoding(c, "fl", "embstr");
    OK(c, "MSET m1 7 m2 seven");
    expect_encoding(c, "m1", "int");
    expect_encoding(c, "m2", "embstr");
    expect_nil(cmd(c, "GETSET g 42"));
    expect_encoding(c, "g", "int");
    OK(c, "SETEX x 100 99");
    expect_encoding(c, "x", "int");
    redisFree(c);
}

/* Overwriting a value cycles through every encoding; the value, the TTL
 * rule and WATCH must hold whichever way the object is updated. */
static void test_overwrite_encodings(void **state) {
    redisContext *c = fresh();
    const char *long_val = "0123456789012345678901234567890123456789-long";
    const char *vals[] = {
        "1",      "abc", "-42", "abcd",   "a", "0123456789012345678901234567890123456789abcd",
        long_val, "7",   "x",   long_val, "zz"};
    const char *encs[] = {"int", "embstr", "int",    "embstr", "embstr", "embstr",
                          "raw", "int",    "embstr", "raw",    "embstr"};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        OK(c, "SET k %s", vals[i]);
        expect_bulk(cmd(c, "GET k"), vals[i]);
        expect_encoding(c, "k", encs[i]);
    }
    OK(c, "SET k short EX 100");
    OK(c, "SET k other");
    expect_int(cmd(c, "TTL k"), -1);
    OK(c, "SET k short EX 100");
    OK(c, "SET k kept KEEPTTL");
    expect_int_between(cmd(c, "TTL k"), 99, 100);
    expect_bulk(cmd(c, "GET k"), "kept");
    redisContext *other = ts_connect(&srv);
    OK(c, "WATCH k");
    OK(other, "SET k changed");
    OK(c, "MULTI");
    expect_status(cmd(c, "GET k"), "QUEUED");
    expect_nil(cmd(c, "EXEC")); /* the watched key was modified */
    redisFree(other);
    redisFree(c);
}

/* ---- keyspace events */

static void expect_event(redisContext *sub, const char *event, const char *key) {
    redisReply *r = NULL;
    assert_int_equal(redisGetReply(sub, (void **)&r), REDIS_OK);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, 4);
    char channel[128];
    snprintf(channel, sizeof(channel), "__keyevent@0__:%s", event);
    assert_string_equal(r->element[2]->str, channel);
    assert_string_equal(r->element[3]->str, key);
    freeReplyObject(r);
}

static void test_keyspace_events(void **state) {
    testServer ts = {0};
    const char *extra[] = {"--notify-keyspace-events", "E$g", NULL};
    assert_int_equal(ts_start(&ts, extra), 0);
    redisContext *c = ts_connect(&ts);
    redisContext *sub = ts_connect(&ts);
    freeReplyObject(cmd(sub, "PSUBSCRIBE __keyevent@0__:*"));
    OK(c, "SET k 1 EX 100");
    expect_event(sub, "set", "k");
    expect_event(sub, "expire", "k");
    expect_int(cmd(c, "INCRBY k 2"), 3);
    expect_event(sub, "incrby", "k");
    expect_bulk(cmd(c, "INCRBYFLOAT k 1"), "4");
    expect_event(sub, "incrbyfloat", "k");
    expect_int(cmd(c, "APPEND k x"), 2);
    expect_event(sub, "append", "k");
    expect_int(cmd(c, "SETRANGE k 0 y"), 2);
    expect_event(sub, "setrange", "k");
    expect_bulk(cmd(c, "GETEX k PERSIST"), "yx");
    expect_event(sub, "persist", "k");
    expect_bulk(cmd(c, "GETEX k EX 10"), "yx");
    expect_event(sub, "expire", "k");
    expect_bulk(cmd(c, "GETDEL k"), "yx");
    expect_event(sub, "del", "k");
    OK(c, "MSET a 1 b 2");
    expect_event(sub, "set", "a");
    expect_event(sub, "set", "b");
    redisFree(sub);
    redisFree(c);
    ts_stop(&ts);
}

/* ---- what reaches the AOF: relative times made absolute */

static char *read_incr_aof(const char *dir) {
    char path[512];
    snprintf(path, sizeof(path), "%s/appendonlydir", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    char *out = NULL;
    while ((e = readdir(d)) && !out) {
        if (!strstr(e->d_name, ".incr.aof")) continue;
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        FILE *f = fopen(file, "rb");
        assert_non_null(f);
        out = calloc(1, 1 << 16);
        size_t n = fread(out, 1, (1 << 16) - 1, f);
        assert_true(n > 0);
        fclose(f);
    }
    closedir(d);
    assert_non_null(out);
    return out;
}

static void test_aof_forms(void **state) {
    testServer ts = {0};
    const char *extra[] = {"--appendonly", "yes", "--appendfsync", "always", NULL};
    assert_int_equal(ts_start(&ts, extra), 0);
    redisContext *c = ts_connect(&ts);
    OK(c, "SET a v EX 100");
    OK(c, "SETEX b 100 v");
    expect_bulk(cmd(c, "INCRBYFLOAT f 1.5"), "1.5");
    expect_bulk(cmd(c, "GETEX a PX 5000"), "v");
    expect_bulk(cmd(c, "GETEX a PERSIST"), "v");
    expect_bulk(cmd(c, "GETSET b w"), "v");
    expect_bulk(cmd(c, "GETDEL b"), "w");
    expect_bulk(cmd(c, "SET a x GET"), "v");
    char *aof = read_incr_aof(ts.dir);
    assert_non_null(strstr(aof, "$3\r\nSET\r\n$1\r\na\r\n$1\r\nv\r\n$4\r\nPXAT\r\n"));
    assert_non_null(strstr(aof, "$3\r\nSET\r\n$1\r\nb\r\n$1\r\nv\r\n$4\r\nPXAT\r\n"));
    assert_non_null(strstr(aof, "*4\r\n$3\r\nSET\r\n$1\r\nf\r\n$3\r\n1.5\r\n$7\r\nKEEPTTL\r\n"));
    assert_non_null(strstr(aof, "$9\r\nPEXPIREAT\r\n$1\r\na\r\n"));
    assert_non_null(strstr(aof, "*2\r\n$7\r\nPERSIST\r\n$1\r\na\r\n"));
    assert_non_null(strstr(aof, "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\nw\r\n"));
    assert_non_null(strstr(aof, "*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n"));
    assert_non_null(strstr(aof, "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nx\r\n"));
    assert_null(strstr(aof, "INCRBYFLOAT"));
    assert_null(strstr(aof, "GETEX"));
    free(aof);
    redisFree(c);
    ts_stop(&ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_get),
        cmocka_unit_test(test_set_nx_xx_get),
        cmocka_unit_test(test_set_option_conflicts),
        cmocka_unit_test(test_set_expire_options),
        cmocka_unit_test(test_set_invalid_expire),
        cmocka_unit_test(test_setnx_setex_psetex),
        cmocka_unit_test(test_getex),
        cmocka_unit_test(test_getex_errors),
        cmocka_unit_test(test_getdel_getset),
        cmocka_unit_test(test_mset_mget),
        cmocka_unit_test(test_big_values_named_twice),
        cmocka_unit_test(test_msetnx),
        cmocka_unit_test(test_append_strlen),
        cmocka_unit_test(test_setrange),
        cmocka_unit_test(test_string_size_limit),
        cmocka_unit_test(test_getrange_substr),
        cmocka_unit_test(test_incr_decr),
        cmocka_unit_test(test_incrbyfloat),
        cmocka_unit_test(test_incrbyfloat_resp3),
        cmocka_unit_test(test_lcs),
        cmocka_unit_test(test_lcs_errors),
        cmocka_unit_test(test_lcs_resp3),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_overwrite_encodings),
        cmocka_unit_test(test_keyspace_events),
        cmocka_unit_test(test_aof_forms),
    };
    return cmocka_run_group_tests_name("strings", tests, group_start_server, group_stop_server);
}
