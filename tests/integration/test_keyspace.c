/* test_keyspace.c: the generic key commands as a client sees them: DEL,
 * UNLINK, EXISTS, TYPE, TOUCH, KEYS, SCAN (including its guarantee across
 * rehashing), RANDOMKEY, RENAME(NX), COPY, MOVE, SWAPDB, FLUSHDB, FLUSHALL,
 * OBJECT, and the keyspace notifications they fire. One server is shared
 * by the whole file (tests that count keys start with FLUSHALL); tests
 * needing a start-up configuration run their own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/harness.h"

static const char BIN_KEY[] = "bin\r\n\0key";
#define BIN_LEN (sizeof(BIN_KEY) - 1)

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* 1 if the array reply r holds the bulk string s (of len bytes). */
static int array_has(redisReply *r, const char *s, size_t len) {
    for (size_t i = 0; i < r->elements; i++)
        if (r->element[i]->len == len && memcmp(r->element[i]->str, s, len) == 0) return 1;
    return 0;
}

/* Asserts an array reply of exactly the given strings, in any order. */
static void expect_set_of(redisReply *r, const char **want, size_t n) {
    expect_array_len(r, n);
    for (size_t i = 0; i < n; i++)
        if (!array_has(r, want[i], strlen(want[i]))) fail_msg("missing %s", want[i]);
    freeReplyObject(r);
}

/* ---- DEL, UNLINK, EXISTS, TYPE, TOUCH */

static void test_del(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET d1 a");
    OK(c, "SET d2 b");
    expect_int(cmd(c, "DEL d1 d2 d3"), 2);
    expect_nil(cmd(c, "GET d1"));
    expect_int(cmd(c, "DEL d1"), 0);
    OK(c, "SET d1 a");
    expect_int(cmd(c, "DEL d1 d1"), 1); /* a repeated key is deleted once */
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    expect_int(cmd(c, "DEL %b", BIN_KEY, BIN_LEN), 1);
    expect_int(cmd(c, "EXISTS %b", BIN_KEY, BIN_LEN), 0);
    expect_error(cmd(c, "DEL"), "ERR wrong number of arguments for 'del' command");
    redisFree(c);
}

static void test_unlink(void **state) {
    redisContext *c = ts_connect(&srv);
    char big[100000];
    memset(big, 'x', sizeof(big));
    OK(c, "SET u1 %b", big, sizeof(big));
    OK(c, "SET u2 small");
    expect_int(cmd(c, "UNLINK u1 u2 u3"), 2);
    expect_int(cmd(c, "EXISTS u1 u2"), 0);
    expect_int(cmd(c, "UNLINK u1"), 0);
    expect_error(cmd(c, "UNLINK"), "ERR wrong number of arguments for 'unlink' command");
    redisFree(c);
}

static void test_exists_counts_repeats(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET e1 v");
    expect_int(cmd(c, "EXISTS e1"), 1);
    expect_int(cmd(c, "EXISTS e1 e1 nosuch e1"), 3);
    expect_int(cmd(c, "EXISTS nosuch"), 0);
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    expect_int(cmd(c, "EXISTS %b bin", BIN_KEY, BIN_LEN), 1);
    expect_error(cmd(c, "EXISTS"), "ERR wrong number of arguments for 'exists' command");
    redisFree(c);
}

static void test_type(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET t1 v");
    expect_status(cmd(c, "TYPE t1"), "string");
    expect_status(cmd(c, "TYPE nosuch"), "none");
    OK(c, "SET %b 12", BIN_KEY, BIN_LEN);
    expect_status(cmd(c, "TYPE %b", BIN_KEY, BIN_LEN), "string");
    expect_error(cmd(c, "TYPE"), "ERR wrong number of arguments for 'type' command");
    expect_error(cmd(c, "TYPE a b"), "ERR wrong number of arguments for 'type' command");
    redisFree(c);
}

/* EXISTS and TYPE leave the access time alone; TOUCH and GET renew it. The
 * LRU clock ticks once a second, so this waits a little over two. */
static void test_touch_and_idletime(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET idle1 v");
    OK(c, "SET idle2 v");
    expect_int(cmd(c, "OBJECT IDLETIME idle1"), 0);
    usleep(2200000);
    expect_int(cmd(c, "EXISTS idle1 idle2"), 2);
    expect_status(cmd(c, "TYPE idle1"), "string");
    redisReply *r = cmd(c, "OBJECT IDLETIME idle1");
    assert_true(r->integer >= 2 && r->integer <= 3);
    freeReplyObject(r);
    expect_int(cmd(c, "TOUCH idle1 nosuch idle1"), 2);
    expect_int(cmd(c, "OBJECT IDLETIME idle1"), 0);
    r = cmd(c, "OBJECT IDLETIME idle2");
    assert_true(r->integer >= 2);
    freeReplyObject(r);
    expect_error(cmd(c, "TOUCH"), "ERR wrong number of arguments for 'touch' command");
    redisFree(c);
}

/* ---- KEYS */

static void test_keys_patterns(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    const char *names[] = {"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "other"};
    for (int i = 0; i < 7; i++) OK(c, "SET %s v", names[i]);
    const char *all_h[] = {"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo"};
    expect_set_of(cmd(c, "KEYS h*llo"), all_h, 6);
    const char *one_char[] = {"hello", "hallo", "hxllo", "h*llo"};
    expect_set_of(cmd(c, "KEYS h?llo"), one_char, 4);
    const char *ae[] = {"hello", "hallo"};
    expect_set_of(cmd(c, "KEYS h[ae]llo"), ae, 2);
    const char *not_e[] = {"hallo", "hxllo", "h*llo"};
    expect_set_of(cmd(c, "KEYS h[^e]llo"), not_e, 3);
    const char *range[] = {"hallo"};
    expect_set_of(cmd(c, "KEYS h[a-b]llo"), range, 1);
    const char *escaped[] = {"h*llo"};
    expect_set_of(cmd(c, "KEYS h\\*llo"), escaped, 1);
    expect_set_of(cmd(c, "KEYS nomatch*"), NULL, 0);
    redisReply *r = cmd(c, "KEYS *");
    expect_array_len(r, 7);
    freeReplyObject(r);
    expect_error(cmd(c, "KEYS"), "ERR wrong number of arguments for 'keys' command");
    expect_error(cmd(c, "KEYS a b"), "ERR wrong number of arguments for 'keys' command");
    redisFree(c);
}

static void test_keys_binary(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    redisReply *r = cmd(c, "KEYS bin*");
    expect_array_len(r, 1);
    assert_int_equal(r->element[0]->len, BIN_LEN);
    assert_memory_equal(r->element[0]->str, BIN_KEY, BIN_LEN);
    freeReplyObject(r);
    r = cmd(c, "KEYS %b", "bin\r\n\0*", (size_t)7);
    expect_array_len(r, 1);
    freeReplyObject(r);
    redisFree(c);
}

/* A backtracking matcher would take ages on this; ours is linear-ish. */
static void test_keys_pathological_pattern(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    static char key[5000];
    memset(key, 'a', sizeof(key));
    for (int i = 0; i < 50; i++) {
        key[0] = (char)('A' + i % 26);
        key[1] = (char)('A' + i / 26);
        OK(c, "SET %b v", key, sizeof(key));
    }
    long long start = now_ms();
    expect_set_of(cmd(c, "KEYS *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"), NULL, 0);
    assert_true(now_ms() - start < 2000);
    redisFree(c);
}

/* ---- SCAN */

/* Runs a whole SCAN iteration (extra options appended) and returns how
 * many times each of keys[0..n) was seen in seen[]; returns the total
 * number of keys returned. */
static long scan_all(redisContext *c, const char *opts, char **keys, int n, int *seen) {
    char cursor[32] = "0";
    long total = 0;
    memset(seen, 0, sizeof(int) * (size_t)n);
    char optbuf[128];
    const char *argv[16] = {"SCAN", cursor};
    int argc = 2;
    snprintf(optbuf, sizeof(optbuf), "%s", opts);
    for (char *w = strtok(optbuf, " "); w && argc < 16; w = strtok(NULL, " ")) argv[argc++] = w;
    for (int round = 0; round < 100000; round++) {
        redisReply *r = cmdargv(c, argc, argv, NULL);
        expect_array_len(r, 2);
        snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
        redisReply *ks = r->element[1];
        total += (long)ks->elements;
        for (size_t i = 0; i < ks->elements; i++)
            for (int k = 0; k < n; k++)
                if (strlen(keys[k]) == ks->element[i]->len && !memcmp(keys[k], ks->element[i]->str, ks->element[i]->len))
                    seen[k]++;
        freeReplyObject(r);
        if (strcmp(cursor, "0") == 0) return total;
    }
    fail_msg("SCAN never returned to cursor 0");
    return -1;
}

static char **make_names(const char *prefix, int n) {
    char **names = calloc((size_t)n, sizeof(char *));
    for (int i = 0; i < n; i++) {
        names[i] = malloc(32);
        snprintf(names[i], 32, "%s%d", prefix, i);
    }
    return names;
}

static void free_names(char **names, int n) {
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

static void test_scan_full_iteration(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    int n = 500;
    char **names = make_names("scan:", n);
    for (int i = 0; i < n; i++) OK(c, "SET %s v", names[i]);
    OK(c, "SET other v");
    int *seen = calloc((size_t)n, sizeof(int));
    long total = scan_all(c, "COUNT 7", names, n, seen);
    for (int i = 0; i < n; i++) assert_int_equal(seen[i], 1); /* no resize: each exactly once */
    assert_int_equal(total, n + 1);
    total = scan_all(c, "MATCH scan:1* COUNT 100", names, n, seen);
    assert_int_equal(total, 111); /* 1, 10-19, 100-199 */
    for (int i = 0; i < n; i++) assert_int_equal(seen[i], names[i][5] == '1' ? 1 : 0);
    free(seen);
    free_names(names, n);
    redisFree(c);
}

/* Keys present for the whole iteration are returned even though the table
 * grows (and rehashes) between calls. */
static void test_scan_survives_rehash(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    int n = 1000;
    char **names = make_names("keep:", n);
    for (int i = 0; i < n; i++) OK(c, "SET %s v", names[i]);
    int *seen = calloc((size_t)n, sizeof(int));
    char cursor[32] = "0";
    int added = 0;
    for (int round = 0; round < 100000; round++) {
        redisReply *r = cmd(c, "SCAN %s COUNT 10", cursor);
        snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            int k;
            if (sscanf(r->element[1]->element[i]->str, "keep:%d", &k) == 1) seen[k]++;
        }
        freeReplyObject(r);
        if (round < 30)
            for (int j = 0; j < 100; j++) OK(c, "SET grow:%d v", added++);
        if (strcmp(cursor, "0") == 0) break;
    }
    assert_int_equal(added, 3000); /* the table grew twice during the scan */
    for (int i = 0; i < n; i++)
        if (seen[i] < 1) fail_msg("keep:%d never returned", i);
    free(seen);
    free_names(names, n);
    redisFree(c);
}

/* ...and while it shrinks: delete most keys mid-scan, let the cron resize. */
static void test_scan_survives_shrink(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    int n = 200, tmp = 4000;
    char **names = make_names("stay:", n);
    for (int i = 0; i < n; i++) OK(c, "SET %s v", names[i]);
    for (int i = 0; i < tmp; i++) OK(c, "SET tmp:%d v", i);
    int *seen = calloc((size_t)n, sizeof(int));
    char cursor[32] = "0";
    for (int round = 0; round < 100000; round++) {
        redisReply *r = cmd(c, "SCAN %s COUNT 50", cursor);
        snprintf(cursor, sizeof(cursor), "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            int k;
            if (sscanf(r->element[1]->element[i]->str, "stay:%d", &k) == 1) seen[k]++;
        }
        freeReplyObject(r);
        if (round == 3) {
            for (int i = 0; i < tmp; i++) expect_int(cmd(c, "DEL tmp:%d", i), 1);
            usleep(500000); /* a few cron ticks: the table shrinks */
        }
        if (strcmp(cursor, "0") == 0) break;
    }
    for (int i = 0; i < n; i++)
        if (seen[i] < 1) fail_msg("stay:%d never returned", i);
    free(seen);
    free_names(names, n);
    redisFree(c);
}

static void test_scan_type_option(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET s1 v");
    OK(c, "SET s2 12");
    char *names[] = {"s1", "s2"};
    int seen[2];
    assert_int_equal(scan_all(c, "TYPE string", names, 2, seen), 2);
    assert_int_equal(scan_all(c, "TYPE STRING COUNT 1000", names, 2, seen), 2);
    assert_int_equal(scan_all(c, "TYPE list", names, 2, seen), 0);
    assert_int_equal(scan_all(c, "TYPE nosuchtype", names, 2, seen), 0); /* no error in 7.2 */
    assert_int_equal(scan_all(c, "MATCH *1 TYPE string", names, 2, seen), 1);
    assert_int_equal(seen[0], 1);
    redisFree(c);
}

static void test_scan_binary_keys(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    redisReply *r = cmd(c, "SCAN 0 COUNT 100");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "0");
    assert_int_equal(r->element[1]->elements, 1);
    assert_int_equal(r->element[1]->element[0]->len, BIN_LEN);
    assert_memory_equal(r->element[1]->element[0]->str, BIN_KEY, BIN_LEN);
    freeReplyObject(r);
    r = cmd(c, "SCAN 0 MATCH %b", "bin\r\n\0*", (size_t)7);
    assert_int_equal(r->element[1]->elements, 1);
    freeReplyObject(r);
    redisFree(c);
}

static void test_scan_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "SCAN x"), "ERR invalid cursor");
    expect_error(cmd(c, "SCAN 1x"), "ERR invalid cursor");
    expect_error(cmd(c, "SCAN %s", " 1"), "ERR invalid cursor");
    expect_error(cmd(c, "SCAN 18446744073709551616"), "ERR invalid cursor");
    expect_error(cmd(c, "SCAN 0 COUNT 0"), "ERR syntax error");
    expect_error(cmd(c, "SCAN 0 COUNT -1"), "ERR syntax error");
    expect_error(cmd(c, "SCAN 0 COUNT x"), "ERR value is not an integer or out of range");
    redisReply *huge = cmd(c, "SCAN 0 COUNT 9223372036854775807");
    expect_array_len(huge, 2);
    assert_string_equal(huge->element[0]->str, "0"); /* everything in one call */
    freeReplyObject(huge);
    expect_error(cmd(c, "SCAN 0 COUNT"), "ERR syntax error");
    expect_error(cmd(c, "SCAN 0 MATCH"), "ERR syntax error");
    expect_error(cmd(c, "SCAN 0 TYPE"), "ERR syntax error");
    expect_error(cmd(c, "SCAN 0 FOO bar"), "ERR syntax error");
    expect_error(cmd(c, "SCAN"), "ERR wrong number of arguments for 'scan' command");
    /* strtoul's view: a cursor ends at a NUL byte, and the largest one is fine */
    redisReply *nul = cmd(c, "SCAN %b", "1\0", (size_t)2);
    expect_array_len(nul, 2);
    freeReplyObject(nul);
    redisReply *r = cmd(c, "SCAN 18446744073709551615");
    expect_array_len(r, 2);
    freeReplyObject(r);
    redisFree(c);
}

/* ---- RANDOMKEY */

static void test_randomkey(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    expect_nil(cmd(c, "RANDOMKEY"));
    OK(c, "SET only v");
    expect_bulk(cmd(c, "RANDOMKEY"), "only");
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    int saw_bin = 0, saw_only = 0;
    for (int i = 0; i < 100 && !(saw_bin && saw_only); i++) {
        redisReply *r = cmd(c, "RANDOMKEY");
        if (r->len == BIN_LEN && !memcmp(r->str, BIN_KEY, BIN_LEN)) saw_bin = 1;
        else if (strcmp(r->str, "only") == 0) saw_only = 1;
        else fail_msg("unexpected key %s", r->str);
        freeReplyObject(r);
    }
    assert_true(saw_bin && saw_only);
    expect_error(cmd(c, "RANDOMKEY x"), "ERR wrong number of arguments for 'randomkey' command");
    redisFree(c);
}

static void test_randomkey_skips_expired(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    for (int i = 0; i < 50; i++) {
        OK(c, "SET gone:%d v", i);
        expect_int(cmd(c, "PEXPIRE gone:%d 1", i), 1);
    }
    OK(c, "SET stays v");
    usleep(20000);
    for (int i = 0; i < 10; i++) expect_bulk(cmd(c, "RANDOMKEY"), "stays");
    redisFree(c);
}

/* ---- RENAME, RENAMENX */

static void test_rename(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET r1 hello");
    OK(c, "RENAME r1 r2");
    expect_nil(cmd(c, "GET r1"));
    expect_bulk(cmd(c, "GET r2"), "hello");
    OK(c, "SET r3 other");
    OK(c, "RENAME r2 r3"); /* overwrites */
    expect_bulk(cmd(c, "GET r3"), "hello");
    expect_int(cmd(c, "EXISTS r2"), 0);
    OK(c, "RENAME r3 r3"); /* to itself: nothing happens */
    expect_bulk(cmd(c, "GET r3"), "hello");
    expect_error(cmd(c, "RENAME nosuch x"), "ERR no such key");
    expect_error(cmd(c, "RENAME nosuch nosuch"), "ERR no such key");
    OK(c, "RENAME r3 %b", BIN_KEY, BIN_LEN);
    expect_bulk(cmd(c, "GET %b", BIN_KEY, BIN_LEN), "hello");
    expect_error(cmd(c, "RENAME a"), "ERR wrong number of arguments for 'rename' command");
    expect_error(cmd(c, "RENAME a b c"), "ERR wrong number of arguments for 'rename' command");
    redisFree(c);
}

static void test_rename_keeps_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET rt1 v");
    expect_int(cmd(c, "PEXPIREAT rt1 %lld", now_ms() + 100000), 1);
    redisReply *r = cmd(c, "PEXPIRETIME rt1");
    long long when = r->integer;
    freeReplyObject(r);
    OK(c, "RENAME rt1 rt2");
    expect_int(cmd(c, "PEXPIRETIME rt2"), when);
    /* a persistent source makes a persistent destination */
    OK(c, "SET rt3 v");
    OK(c, "RENAME rt3 rt2");
    expect_int(cmd(c, "TTL rt2"), -1);
    redisFree(c);
}

static void test_renamenx(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET nx1 a");
    OK(c, "SET nx2 b");
    expect_int(cmd(c, "RENAMENX nx1 nx2"), 0);
    expect_bulk(cmd(c, "GET nx1"), "a");
    expect_bulk(cmd(c, "GET nx2"), "b");
    expect_int(cmd(c, "RENAMENX nx1 nx3"), 1);
    expect_bulk(cmd(c, "GET nx3"), "a");
    expect_int(cmd(c, "EXISTS nx1"), 0);
    expect_int(cmd(c, "RENAMENX nx3 nx3"), 0);
    expect_error(cmd(c, "RENAMENX nosuch nosuch"), "ERR no such key");
    expect_error(cmd(c, "RENAMENX nosuch x"), "ERR no such key");
    expect_error(cmd(c, "RENAMENX a"), "ERR wrong number of arguments for 'renamenx' command");
    redisFree(c);
}

static void test_rename_invalidates_watch(void **state) {
    redisContext *c = ts_connect(&srv), *other = ts_connect(&srv);
    OK(c, "SET w1 v");
    OK(c, "WATCH w2");
    OK(other, "RENAME w1 w2");
    OK(c, "MULTI");
    expect_status(cmd(c, "GET w2"), "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisFree(other);
    redisFree(c);
}

/* ---- COPY, MOVE */

static void test_copy(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET c1 value");
    expect_int(cmd(c, "COPY c1 c2"), 1);
    expect_bulk(cmd(c, "GET c2"), "value");
    OK(c, "SET c1 changed"); /* the copy is independent */
    expect_bulk(cmd(c, "GET c2"), "value");
    expect_int(cmd(c, "COPY c1 c2"), 0); /* destination exists */
    expect_bulk(cmd(c, "GET c2"), "value");
    expect_int(cmd(c, "COPY c1 c2 REPLACE"), 1);
    expect_bulk(cmd(c, "GET c2"), "changed");
    expect_int(cmd(c, "COPY nosuch c9"), 0);
    expect_int(cmd(c, "EXISTS c9"), 0);
    char big[300];
    memset(big, 'r', sizeof(big));
    OK(c, "SET craw %b", big, sizeof(big));
    expect_int(cmd(c, "COPY craw %b", BIN_KEY, BIN_LEN), 1);
    expect_bulk_len(cmd(c, "GET %b", BIN_KEY, BIN_LEN), big, sizeof(big));
    expect_bulk(cmd(c, "OBJECT ENCODING %b", BIN_KEY, BIN_LEN), "raw");
    OK(c, "SET cint 42");
    expect_int(cmd(c, "COPY cint cint2"), 1);
    expect_bulk(cmd(c, "OBJECT ENCODING cint2"), "int");
    redisFree(c);
}

static void test_copy_db_and_ttl(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET cd v");
    expect_int(cmd(c, "PEXPIREAT cd %lld", now_ms() + 100000), 1);
    redisReply *r = cmd(c, "PEXPIRETIME cd");
    long long when = r->integer;
    freeReplyObject(r);
    expect_int(cmd(c, "COPY cd cd DB 1"), 1); /* same name, other db */
    expect_int(cmd(c, "COPY cd cd2 db 1 replace"), 1);
    OK(c, "SELECT 1");
    expect_bulk(cmd(c, "GET cd"), "v");
    expect_int(cmd(c, "PEXPIRETIME cd"), when);
    expect_int(cmd(c, "PEXPIRETIME cd2"), when);
    OK(c, "SELECT 0");
    expect_int(cmd(c, "EXISTS cd2"), 0);
    redisFree(c);
}

static void test_copy_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET ce v");
    expect_error(cmd(c, "COPY ce ce"), "ERR source and destination objects are the same");
    expect_error(cmd(c, "COPY ce ce DB 0"), "ERR source and destination objects are the same");
    expect_error(cmd(c, "COPY ce x DB 16"), "ERR DB index is out of range");
    expect_error(cmd(c, "COPY ce x DB -1"), "ERR DB index is out of range");
    expect_error(cmd(c, "COPY ce x DB abc"), "ERR value is not an integer or out of range");
    expect_error(cmd(c, "COPY ce x DB 4294967296"),
                 "ERR value is out of range, value must between -2147483648 and 2147483647");
    expect_error(cmd(c, "SWAPDB 0 4294967296"), "ERR invalid second DB index");
    expect_error(cmd(c, "COPY ce x DB"), "ERR syntax error");
    expect_error(cmd(c, "COPY ce x FOO"), "ERR syntax error");
    expect_error(cmd(c, "COPY ce"), "ERR wrong number of arguments for 'copy' command");
    expect_int(cmd(c, "COPY ce x REPLACE REPLACE DB 1 DB 2"), 1);
    OK(c, "SELECT 2");
    expect_bulk(cmd(c, "GET x"), "v");
    OK(c, "SELECT 0");
    redisFree(c);
}

static void test_move(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET m1 v");
    expect_int(cmd(c, "PEXPIREAT m1 %lld", now_ms() + 100000), 1);
    redisReply *r = cmd(c, "PEXPIRETIME m1");
    long long when = r->integer;
    freeReplyObject(r);
    expect_int(cmd(c, "MOVE m1 3"), 1);
    expect_int(cmd(c, "EXISTS m1"), 0);
    OK(c, "SELECT 3");
    expect_bulk(cmd(c, "GET m1"), "v");
    expect_int(cmd(c, "PEXPIRETIME m1"), when);
    OK(c, "SELECT 0");
    OK(c, "SET m1 here");
    expect_int(cmd(c, "MOVE m1 3"), 0); /* exists in the target */
    expect_bulk(cmd(c, "GET m1"), "here");
    expect_int(cmd(c, "MOVE nosuch 3"), 0);
    OK(c, "SET %b v", BIN_KEY, BIN_LEN);
    expect_int(cmd(c, "MOVE %b 4", BIN_KEY, BIN_LEN), 1);
    OK(c, "SELECT 4");
    expect_int(cmd(c, "EXISTS %b", BIN_KEY, BIN_LEN), 1);
    OK(c, "SELECT 0");
    expect_error(cmd(c, "MOVE m1 0"), "ERR source and destination objects are the same");
    expect_error(cmd(c, "MOVE m1 16"), "ERR DB index is out of range");
    expect_error(cmd(c, "MOVE m1 -1"), "ERR DB index is out of range");
    expect_error(cmd(c, "MOVE m1 x"), "ERR value is not an integer or out of range");
    expect_error(cmd(c, "MOVE m1"), "ERR wrong number of arguments for 'move' command");
    redisFree(c);
}

/* ---- SWAPDB, FLUSHDB, FLUSHALL */

static void test_swapdb(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET in0 a");
    OK(c, "SELECT 5");
    OK(c, "SET in5 b");
    OK(c, "SELECT 0");
    OK(c, "SWAPDB 0 5");
    expect_bulk(cmd(c, "GET in5"), "b");
    expect_nil(cmd(c, "GET in0"));
    OK(c, "SELECT 5");
    expect_bulk(cmd(c, "GET in0"), "a");
    OK(c, "SELECT 0");
    OK(c, "SWAPDB 5 5");
    expect_bulk(cmd(c, "GET in5"), "b");
    expect_error(cmd(c, "SWAPDB 0 x"), "ERR invalid second DB index");
    expect_error(cmd(c, "SWAPDB x 0"), "ERR invalid first DB index");
    expect_error(cmd(c, "SWAPDB x y"), "ERR invalid first DB index");
    expect_error(cmd(c, "SWAPDB 0 16"), "ERR DB index is out of range");
    expect_error(cmd(c, "SWAPDB -1 0"), "ERR DB index is out of range");
    expect_error(cmd(c, "SWAPDB 0"), "ERR wrong number of arguments for 'swapdb' command");
    redisFree(c);
}

static void test_swapdb_invalidates_watch(void **state) {
    redisContext *c = ts_connect(&srv), *other = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SELECT 7");
    OK(c, "SET sw v");
    OK(c, "SELECT 0");
    OK(c, "WATCH sw"); /* absent in db 0, present in db 7 */
    OK(other, "SWAPDB 0 7");
    OK(c, "MULTI");
    expect_status(cmd(c, "PING"), "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisFree(other);
    redisFree(c);
}

static void test_flushdb(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    OK(c, "SET f0 v");
    OK(c, "SELECT 1");
    OK(c, "SET f1 v");
    OK(c, "FLUSHDB");
    expect_int(cmd(c, "DBSIZE"), 0);
    OK(c, "SELECT 0");
    expect_int(cmd(c, "DBSIZE"), 1); /* other dbs untouched */
    OK(c, "FLUSHDB ASYNC");
    expect_int(cmd(c, "DBSIZE"), 0);
    OK(c, "SET f0 v");
    OK(c, "FLUSHDB sync");
    expect_int(cmd(c, "DBSIZE"), 0);
    OK(c, "FLUSHDB"); /* already empty */
    expect_error(cmd(c, "FLUSHDB foo"), "ERR syntax error");
    expect_error(cmd(c, "FLUSHDB ASYNC SYNC"), "ERR syntax error");
    redisFree(c);
}

static void test_flushall(void **state) {
    redisContext *c = ts_connect(&srv);
    for (int db = 0; db < 16; db += 3) {
        OK(c, "SELECT %d", db);
        for (int i = 0; i < 100; i++) OK(c, "SET k%d v", i);
    }
    OK(c, "FLUSHALL ASYNC");
    for (int db = 0; db < 16; db += 3) {
        OK(c, "SELECT %d", db);
        expect_int(cmd(c, "DBSIZE"), 0);
        OK(c, "SET k v");
    }
    OK(c, "FLUSHALL SYNC");
    for (int db = 0; db < 16; db += 3) {
        OK(c, "SELECT %d", db);
        expect_int(cmd(c, "DBSIZE"), 0);
    }
    OK(c, "SELECT 0");
    expect_error(cmd(c, "FLUSHALL foo"), "ERR syntax error");
    expect_error(cmd(c, "FLUSHALL SYNC ASYNC"), "ERR syntax error");
    redisFree(c);
}

static void test_flush_invalidates_watch(void **state) {
    redisContext *c = ts_connect(&srv), *other = ts_connect(&srv);
    OK(c, "SET fw v");
    OK(c, "WATCH fw");
    OK(other, "FLUSHALL");
    OK(c, "MULTI");
    expect_status(cmd(c, "PING"), "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisFree(other);
    redisFree(c);
}

/* ---- OBJECT */

static void test_object_encoding_and_refcount(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET o_int 123");
    OK(c, "SET o_bigint 123456789");
    OK(c, "SET o_emb hello");
    char big[45];
    memset(big, 'x', sizeof(big));
    OK(c, "SET o_raw %b", big, sizeof(big));
    expect_bulk(cmd(c, "OBJECT ENCODING o_int"), "int");
    expect_bulk(cmd(c, "OBJECT ENCODING o_emb"), "embstr");
    expect_bulk(cmd(c, "OBJECT encoding o_raw"), "raw");
    expect_nil(cmd(c, "OBJECT ENCODING nosuch"));
    /* small integers are shared objects in Redis */
    expect_int(cmd(c, "OBJECT REFCOUNT o_int"), 2147483647);
    expect_int(cmd(c, "OBJECT REFCOUNT o_bigint"), 1);
    expect_int(cmd(c, "OBJECT REFCOUNT o_emb"), 1);
    expect_nil(cmd(c, "OBJECT REFCOUNT nosuch"));
    expect_nil(cmd(c, "OBJECT IDLETIME nosuch"));
    expect_nil(cmd(c, "OBJECT FREQ nosuch"));
    OK(c, "SET %b 1", BIN_KEY, BIN_LEN);
    expect_bulk(cmd(c, "OBJECT ENCODING %b", BIN_KEY, BIN_LEN), "int");
    redisFree(c);
}

static void test_object_freq_needs_lfu(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET of hello");
    expect_error(cmd(c, "OBJECT FREQ of"), "ERR An LFU maxmemory policy is not selected, access frequency not "
                                             "tracked. Please note that when switching between policies at runtime "
                                             "LRU and LFU data will take some time to adjust.");
    redisFree(c);
    testServer lfu = {0};
    const char *args[] = {"--maxmemory-policy", "allkeys-lfu", NULL};
    assert_int_equal(ts_start(&lfu, args), 0);
    c = ts_connect(&lfu);
    OK(c, "SET of2 hello");
    expect_int(cmd(c, "OBJECT FREQ of2"), 5); /* new keys start at 5 */
    expect_bulk(cmd(c, "GET of2"), "hello");
    expect_int(cmd(c, "OBJECT FREQ of2"), 6); /* the first hits always count */
    expect_int(cmd(c, "OBJECT FREQ of2"), 6); /* OBJECT itself does not */
    expect_error(cmd(c, "OBJECT IDLETIME of2"), "ERR An LFU maxmemory policy is selected, idle time not tracked. "
                                                "Please note that when switching between policies at runtime LRU "
                                                "and LFU data will take some time to adjust.");
    redisFree(c);
    ts_stop(&lfu);
}

static void test_object_help_and_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "OBJECT HELP");
    expect_array_len(r, 15);
    assert_string_equal(r->element[0]->str, "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    assert_string_equal(r->element[1]->str, "ENCODING <key>");
    assert_string_equal(r->element[13]->str, "HELP");
    freeReplyObject(r);
    expect_error(cmd(c, "OBJECT foo"), "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
    expect_error(cmd(c, "OBJECT ENCODING"), "ERR wrong number of arguments for 'object|encoding' command");
    expect_error(cmd(c, "OBJECT ENCODING a b"), "ERR wrong number of arguments for 'object|encoding' command");
    expect_error(cmd(c, "OBJECT HELP x"), "ERR wrong number of arguments for 'object|help' command");
    expect_error(cmd(c, "OBJECT"), "ERR wrong number of arguments for 'object' command");
    redisFree(c);
}

static void test_object_resp3_null(void **state) {
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3");
    assert_non_null(r);
    r3_free(r);
    r = r3_cmds(fd, "OBJECT ENCODING nosuch");
    assert_int_equal(r->type, R3_NULL);
    r3_free(r);
    r = r3_cmds(fd, "RANDOMKEY");
    assert_true(r->type == R3_NULL || r->type == R3_STRING);
    r3_free(r);
    close(fd);
}

/* ---- keyspace notifications */

/* Reads keyevent messages until the END marker published on db 15 and
 * returns them as "event:key event:key ..." (caller frees). */
static char *collect_events(redisContext *sub, redisContext *c) {
    expect_int(cmd(c, "PUBLISH __keyevent@15__:END x"), 1);
    char *out = calloc(1, 4096);
    for (int i = 0; i < 100; i++) {
        void *v = NULL;
        if (redisGetReply(sub, &v) != REDIS_OK) fail_msg("no event: %s", sub->errstr);
        redisReply *m = v;
        const char *ev = strstr(m->element[2]->str, "__:") + 3;
        if (strcmp(ev, "END") == 0) {
            freeReplyObject(m);
            return out;
        }
        snprintf(out + strlen(out), 4096 - strlen(out), "%s%s:%d:%s", *out ? " " : "", ev,
                 m->element[2]->str[11] - '0', m->element[3]->str);
        freeReplyObject(m);
    }
    fail_msg("no END marker");
    return out;
}

static void expect_events(redisContext *sub, redisContext *c, const char *want) {
    char *got = collect_events(sub, c);
    assert_string_equal(got, want);
    free(got);
}

static void test_keyspace_events(void **state) {
    testServer ev = {0};
    const char *args[] = {"--notify-keyspace-events", "Egx", NULL};
    assert_int_equal(ts_start(&ev, args), 0);
    redisContext *c = ts_connect(&ev), *sub = ts_connect(&ev);
    redisReply *r = cmd(sub, "PSUBSCRIBE __keyevent@*__:*");
    freeReplyObject(r);
    OK(c, "SET a 1");
    OK(c, "SET b 2");
        expect_int(cmd(c, "DEL a nosuch"), 1);
    expect_int(cmd(c, "UNLINK b"), 1);
    expect_events(sub, c, "del:0:a del:0:b");
    OK(c, "SET a 1");
    OK(c, "RENAME a b");
    expect_int(cmd(c, "RENAMENX b c"), 1);
    expect_error(cmd(c, "RENAMENX nosuch c"), "ERR no such key"); /* no event */
    expect_events(sub, c, "rename_from:0:a rename_to:0:b rename_from:0:b rename_to:0:c");
    expect_int(cmd(c, "COPY c d DB 2"), 1);
    expect_int(cmd(c, "MOVE c 3"), 1);
    expect_events(sub, c, "copy_to:2:d move_from:0:c move_to:3:c");
    OK(c, "SET e 1");
    expect_int(cmd(c, "EXPIRE e 100"), 1);
    expect_int(cmd(c, "PERSIST e"), 1);
    expect_int(cmd(c, "PERSIST e"), 0);
    expect_int(cmd(c, "EXPIRE e -1"), 1); /* in the past: deleted, as "del" */
    expect_events(sub, c, "expire:0:e persist:0:e del:0:e");
    OK(c, "SET f 1");
    expect_int(cmd(c, "PEXPIRE f 1"), 1);
    usleep(20000);
    expect_nil(cmd(c, "GET f"));
    expect_events(sub, c, "expire:0:f expired:0:f");
    redisFree(sub);
    redisFree(c);
    ts_stop(&ev);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_del),
        cmocka_unit_test(test_unlink),
        cmocka_unit_test(test_exists_counts_repeats),
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_touch_and_idletime),
        cmocka_unit_test(test_keys_patterns),
        cmocka_unit_test(test_keys_binary),
        cmocka_unit_test(test_keys_pathological_pattern),
        cmocka_unit_test(test_scan_full_iteration),
        cmocka_unit_test(test_scan_survives_rehash),
        cmocka_unit_test(test_scan_survives_shrink),
        cmocka_unit_test(test_scan_type_option),
        cmocka_unit_test(test_scan_binary_keys),
        cmocka_unit_test(test_scan_errors),
        cmocka_unit_test(test_randomkey),
        cmocka_unit_test(test_randomkey_skips_expired),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_rename_keeps_ttl),
        cmocka_unit_test(test_renamenx),
        cmocka_unit_test(test_rename_invalidates_watch),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_copy_db_and_ttl),
        cmocka_unit_test(test_copy_errors),
        cmocka_unit_test(test_move),
        cmocka_unit_test(test_swapdb),
        cmocka_unit_test(test_swapdb_invalidates_watch),
        cmocka_unit_test(test_flushdb),
        cmocka_unit_test(test_flushall),
        cmocka_unit_test(test_flush_invalidates_watch),
        cmocka_unit_test(test_object_encoding_and_refcount),
        cmocka_unit_test(test_object_freq_needs_lfu),
        cmocka_unit_test(test_object_help_and_errors),
        cmocka_unit_test(test_object_resp3_null),
        cmocka_unit_test(test_keyspace_events),
    };
    return cmocka_run_group_tests_name("keyspace", tests, group_start_server, group_stop_server);
}
