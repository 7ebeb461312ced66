/* test_encodings.c: the compact encodings of small sets, hashes and sorted
 * sets. OBJECT ENCODING at each conversion threshold (entry counts, value
 * lengths, integers and non-integers, one big command at once), as Redis
 * 7.2 answers; every command giving the same replies whatever the
 * encoding (the same data is built in each encoding by lowering the
 * limits with CONFIG SET); encodings of stored results (SINTERSTORE,
 * ZUNIONSTORE, SPOP with a big count...); and what comes back after SAVE
 * + restart, DUMP/RESTORE, and RESTORE of Redis 7.2's own set listpacks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crc64.h"
#include "core/listpack.h"
#include "harness/harness.h"

static void expect_enc(redisContext *c, const char *key, const char *enc) {
    redisReply *r = cmd(c, "OBJECT ENCODING %s", key);
    if (r->type != REDIS_REPLY_STRING || strcmp(r->str, enc))
        fail_msg("OBJECT ENCODING %s: expected %s, got %s", key, enc, r->str ? r->str : "(not a string)");
    freeReplyObject(r);
}

/* ---- building long commands */
typedef struct args {
    int argc;
    char *argv[4096];
    size_t lens[4096];
} args;

static void add(args *a, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    a->argv[a->argc] = strdup(buf);
    a->lens[a->argc++] = (size_t)n;
}

static redisReply *run(redisContext *c, args *a) {
    redisReply *r = cmdargv(c, a->argc, (const char **)a->argv, a->lens);
    for (int i = 0; i < a->argc; i++) free(a->argv[i]);
    a->argc = 0;
    return r;
}

/* command key, then for i in [from, to) the words fmt (given i) and, for
 * pairs, fmt2 (given i). Returns the reply. */
static redisReply *many(redisContext *c, const char *command, const char *key, int from, int to, const char *fmt,
                        const char *fmt2) {
    static args a;
    add(&a, "%s", command);
    add(&a, "%s", key);
    for (int i = from; i < to; i++) {
        add(&a, fmt, i);
        if (fmt2) add(&a, fmt2, i);
    }
    return run(c, &a);
}

static char *repeat(char ch, int n) {
    static char buf[8][256];
    static int slot;
    char *s = buf[slot++ % 8];
    memset(s, ch, (size_t)n);
    s[n] = '\0';
    return s;
}

/* Deep equality of two replies (the same command on two encodings). */
static int same_reply(const redisReply *a, const redisReply *b) {
    if (a->type != b->type || a->integer != b->integer || a->len != b->len || a->elements != b->elements) return 0;
    if (a->str && memcmp(a->str, b->str, a->len)) return 0;
    for (size_t i = 0; i < a->elements; i++)
        if (!same_reply(a->element[i], b->element[i])) return 0;
    return 1;
}

/* Runs fmt (with %s for the key) against both keys and compares. */
static void expect_same(redisContext *c, const char *k1, const char *k2, const char *fmt) {
    char q1[512], q2[512];
    snprintf(q1, sizeof(q1), fmt, k1);
    snprintf(q2, sizeof(q2), fmt, k2);
    redisReply *a = redisCommand(c, q1), *b = redisCommand(c, q2);
    assert_non_null(a);
    assert_non_null(b);
    if (!same_reply(a, b)) fail_msg("'%s' and '%s' differ", q1, q2);
    freeReplyObject(a);
    freeReplyObject(b);
}

/* Sorts the string elements of an array reply in place (for unordered
 * replies), numbers numerically when both are numbers. */
static int cmp_elems(const void *x, const void *y) {
    const redisReply *a = *(redisReply *const *)x, *b = *(redisReply *const *)y;
    char *ea, *eb;
    long long la = strtoll(a->str, &ea, 10), lb = strtoll(b->str, &eb, 10);
    if (!*ea && !*eb && a->len && b->len) return la < lb ? -1 : la > lb;
    return strcmp(a->str, b->str);
}
static redisReply *sorted(redisReply *r) {
    qsort(r->element, r->elements, sizeof(redisReply *), cmp_elems);
    return r;
}

/* 1 if every element of r is distinct. */
static int distinct(redisReply *r) {
    for (size_t i = 0; i < r->elements; i++)
        for (size_t j = i + 1; j < r->elements; j++)
            if (!strcmp(r->element[i]->str, r->element[j]->str)) return 0;
    return 1;
}

static void config(redisContext *c, const char *name, const char *value) {
    OK(c, "CONFIG SET %s %s", name, value);
}

static void reset_limits(redisContext *c) {
    config(c, "set-max-intset-entries", "512");
    config(c, "set-max-listpack-entries", "128");
    config(c, "set-max-listpack-value", "64");
    config(c, "hash-max-listpack-entries", "512");
    config(c, "hash-max-listpack-value", "64");
    config(c, "zset-max-listpack-entries", "128");
    config(c, "zset-max-listpack-value", "64");
}

/* ------------------------------------------------------------------ sets */

static void test_set_thresholds(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    expect_int(cmd(c, "SADD si 1 2 3"), 3);
    expect_enc(c, "si", "intset");
    expect_int(cmd(c, "SADD si -9223372036854775808 9223372036854775807 -1"), 3);
    expect_enc(c, "si", "intset");
    expect_int(cmd(c, "SADD si 9223372036854775808"), 1); /* past int64: a string */
    expect_enc(c, "si", "listpack");
    expect_int(cmd(c, "SADD s0 007"), 1); /* not canonical: a string */
    expect_enc(c, "s0", "listpack");
    /* intset -> listpack on a string, while it stays small */
    freeReplyObject(many(c, "SADD", "smix", 0, 10, "%d", NULL));
    expect_enc(c, "smix", "intset");
    expect_int(cmd(c, "SADD smix x"), 1);
    expect_enc(c, "smix", "listpack");
    /* intset of 127 + a string: 128 members still fit a listpack, 129 not */
    freeReplyObject(many(c, "SADD", "s127", 0, 127, "%d", NULL));
    expect_int(cmd(c, "SADD s127 x"), 1);
    expect_enc(c, "s127", "listpack");
    freeReplyObject(many(c, "SADD", "s128", 0, 128, "%d", NULL));
    expect_int(cmd(c, "SADD s128 x"), 1);
    expect_enc(c, "s128", "hashtable");
    /* listpack: 128 entries, then hashtable for good */
    freeReplyObject(many(c, "SADD", "sl", 0, 128, "m%d", NULL));
    expect_enc(c, "sl", "listpack");
    expect_int(cmd(c, "SADD sl m128"), 1);
    expect_enc(c, "sl", "hashtable");
    freeReplyObject(many(c, "SREM", "sl", 1, 129, "m%d", NULL));
    expect_int(cmd(c, "SCARD sl"), 1);
    expect_enc(c, "sl", "hashtable"); /* never back down */
    /* member length: 64 bytes fit a listpack, 65 do not */
    expect_int(cmd(c, "SADD sv %s", repeat('a', 64)), 1);
    expect_enc(c, "sv", "listpack");
    expect_int(cmd(c, "SADD sv %s", repeat('b', 65)), 1);
    expect_enc(c, "sv", "hashtable");
    expect_int(cmd(c, "SADD sv2 %s", repeat('c', 65)), 1);
    expect_enc(c, "sv2", "hashtable");
    /* intset: 512 entries, then hashtable */
    freeReplyObject(many(c, "SADD", "sint", 0, 512, "%d", NULL));
    expect_enc(c, "sint", "intset");
    expect_int(cmd(c, "SADD sint 512"), 1);
    expect_enc(c, "sint", "hashtable");
    /* many members in one command: the encoding is picked for all of them */
    freeReplyObject(many(c, "SADD", "sbig", 0, 513, "%d", NULL));
    expect_enc(c, "sbig", "hashtable");
    freeReplyObject(many(c, "SADD", "sstr", 0, 129, "m%d", NULL));
    expect_enc(c, "sstr", "hashtable");
    freeReplyObject(many(c, "SADD", "sl2", 0, 10, "m%d", NULL));
    freeReplyObject(many(c, "SADD", "sl2", 0, 129, "n%d", NULL));
    expect_enc(c, "sl2", "hashtable");
    /* the limits are live */
    config(c, "set-max-intset-entries", "4");
    expect_int(cmd(c, "SADD cs 1 2 3 4"), 4);
    expect_enc(c, "cs", "intset");
    expect_int(cmd(c, "SADD cs 5"), 1);
    expect_enc(c, "cs", "hashtable");
    config(c, "set-max-listpack-entries", "2");
    expect_int(cmd(c, "SADD cl a b"), 2);
    expect_enc(c, "cl", "listpack");
    expect_int(cmd(c, "SADD cl c"), 1);
    expect_enc(c, "cl", "hashtable");
    reset_limits(c);
    redisFree(c);
}

/* The same 100 members in all three encodings (integers), and strings in
 * two; every read command answers the same on each. */
static void build_sets(redisContext *c) {
    OK(c, "FLUSHALL");
    freeReplyObject(many(c, "SADD", "int_i", 0, 100, "%d", NULL));
    config(c, "set-max-intset-entries", "0");
    freeReplyObject(many(c, "SADD", "int_l", 0, 100, "%d", NULL));
    config(c, "set-max-listpack-entries", "0");
    freeReplyObject(many(c, "SADD", "int_h", 0, 100, "%d", NULL));
    freeReplyObject(many(c, "SADD", "str_h", 0, 100, "m%d", NULL));
    reset_limits(c);
    freeReplyObject(many(c, "SADD", "str_l", 0, 100, "m%d", NULL));
    expect_enc(c, "int_i", "intset");
    expect_enc(c, "int_l", "listpack");
    expect_enc(c, "int_h", "hashtable");
    expect_enc(c, "str_l", "listpack");
    expect_enc(c, "str_h", "hashtable");
}

static void check_set_reads(redisContext *c, const char *key, int ints) {
    char m5[8], m100[8];
    snprintf(m5, sizeof(m5), ints ? "5" : "m5");
    snprintf(m100, sizeof(m100), ints ? "100" : "m100");
    expect_int(cmd(c, "SCARD %s", key), 100);
    expect_int(cmd(c, "SISMEMBER %s %s", key, m5), 1);
    expect_int(cmd(c, "SISMEMBER %s %s", key, m100), 0);
    expect_int(cmd(c, "SISMEMBER %s 05", key), 0);
    redisReply *r = sorted(cmd(c, "SMEMBERS %s", key));
    expect_array_len(r, 100);
    for (int i = 0; i < 100; i++) {
        char want[8];
        snprintf(want, sizeof(want), ints ? "%d" : "m%d", i);
        if (!ints) continue; /* string order is checked through SINTER below */
        assert_string_equal(r->element[i]->str, want);
    }
    freeReplyObject(r);
    int counts[] = {1, 10, 40, 99, 100, 200};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        r = cmd(c, "SRANDMEMBER %s %d", key, counts[i]);
        expect_array_len(r, counts[i] > 100 ? 100 : (size_t)counts[i]);
        assert_true(distinct(r));
        for (size_t j = 0; j < r->elements; j++) expect_int(cmd(c, "SISMEMBER %s %s", key, r->element[j]->str), 1);
        freeReplyObject(r);
    }
    r = cmd(c, "SRANDMEMBER %s -300", key);
    expect_array_len(r, 300);
    freeReplyObject(r);
    /* SSCAN: compact sets come back whole with cursor 0 */
    unsigned long cursor = 0;
    size_t seen = 0;
    int calls = 0;
    do {
        r = cmd(c, "SSCAN %s %lu COUNT 5", key, cursor);
        cursor = strtoul(r->element[0]->str, NULL, 10);
        seen += r->element[1]->elements;
        calls++;
        freeReplyObject(r);
    } while (cursor);
    assert_true(seen >= 100);
    if (strstr(key, "_h")) assert_true(calls > 1);
    else assert_int_equal(calls, 1), assert_int_equal(seen, 100);
    r = cmd(c, "SSCAN %s 0 MATCH %s COUNT 1000", key, ints ? "1*" : "m1*");
    expect_array_len(r, 2);
    assert_int_equal(r->element[1]->elements, 11); /* 1, 10..19 */
    freeReplyObject(r);
}

static void test_set_commands_on_each_encoding(void **state) {
    redisContext *c = ts_connect(&srv);
    build_sets(c);
    check_set_reads(c, "int_i", 1);
    check_set_reads(c, "int_l", 1);
    check_set_reads(c, "int_h", 1);
    check_set_reads(c, "str_l", 0);
    check_set_reads(c, "str_h", 0);
    /* algebra across encodings */
    redisReply *r = cmd(c, "SINTER int_i int_l int_h");
    expect_array_len(r, 100);
    freeReplyObject(r);
    r = cmd(c, "SINTER str_l str_h");
    expect_array_len(r, 100);
    freeReplyObject(r);
    r = cmd(c, "SUNION int_i str_l nokey");
    expect_array_len(r, 200);
    freeReplyObject(r);
    r = cmd(c, "SDIFF int_h int_i");
    expect_array_len(r, 0);
    freeReplyObject(r);
    expect_int(cmd(c, "SINTERCARD 3 int_i int_l int_h LIMIT 7"), 7);
    /* stored results pick their encoding as Redis does */
    expect_int(cmd(c, "SINTERSTORE d1 int_h int_l"), 100);
    expect_enc(c, "d1", "intset"); /* only integers */
    expect_int(cmd(c, "SINTERSTORE d2 str_h str_l"), 100);
    expect_enc(c, "d2", "listpack");
    expect_int(cmd(c, "SUNIONSTORE d3 int_h"), 100);
    expect_enc(c, "d3", "intset");
    expect_int(cmd(c, "SUNIONSTORE d4 str_h"), 100);
    expect_enc(c, "d4", "listpack");
    expect_int(cmd(c, "SUNIONSTORE d5 str_h int_i"), 200);
    expect_enc(c, "d5", "hashtable");
    expect_int(cmd(c, "SDIFFSTORE d6 d5 str_l"), 100);
    expect_enc(c, "d6", "intset");
    expect_int(cmd(c, "SDIFFSTORE d6 int_i int_l"), 0);
    expect_int(cmd(c, "EXISTS d6"), 0);
    /* SMOVE between encodings */
    expect_int(cmd(c, "SMOVE int_i str_l 5"), 1);
    expect_int(cmd(c, "SISMEMBER str_l 5"), 1);
    expect_int(cmd(c, "SISMEMBER int_i 5"), 0);
    expect_int(cmd(c, "SMOVE str_l newset 5"), 1);
    expect_enc(c, "newset", "intset");
    expect_int(cmd(c, "SMOVE str_l newset2 m1"), 1);
    expect_enc(c, "newset2", "listpack");
    redisFree(c);
}

static void test_spop_on_each_encoding(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *keys[] = {"int_i", "int_l", "int_h", "str_l", "str_h"};
    /* few: popped one by one, the encoding stays */
    build_sets(c);
    for (int k = 0; k < 5; k++) {
        redisReply *r = cmd(c, "SPOP %s 5", keys[k]);
        expect_array_len(r, 5);
        assert_true(distinct(r));
        freeReplyObject(r);
        expect_int(cmd(c, "SCARD %s", keys[k]), 95);
        r = cmd(c, "SPOP %s", keys[k]);
        assert_int_equal(r->type, REDIS_REPLY_STRING);
        expect_int(cmd(c, "SISMEMBER %s %s", keys[k], r->str), 0);
        freeReplyObject(r);
    }
    expect_enc(c, "int_i", "intset");
    expect_enc(c, "int_l", "listpack");
    expect_enc(c, "int_h", "hashtable");
    /* most: the few that remain move to a new set, which is compact */
    build_sets(c);
    const char *after[] = {"intset", "listpack", "listpack", "listpack", "listpack"};
    for (int k = 0; k < 5; k++) {
        redisReply *r = cmd(c, "SPOP %s 95", keys[k]);
        expect_array_len(r, 95);
        assert_true(distinct(r));
        for (size_t j = 0; j < r->elements; j++) expect_int(cmd(c, "SISMEMBER %s %s", keys[k], r->element[j]->str), 0);
        freeReplyObject(r);
        expect_int(cmd(c, "SCARD %s", keys[k]), 5);
        expect_enc(c, keys[k], after[k]);
    }
    /* everything: the key goes */
    redisReply *r = cmd(c, "SPOP int_h 1000");
    expect_array_len(r, 5);
    freeReplyObject(r);
    expect_int(cmd(c, "EXISTS int_h"), 0);
    redisFree(c);
}

/* ---------------------------------------------------------------- hashes */

static void test_hash_thresholds(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    expect_int(cmd(c, "HSET h f v"), 1);
    expect_enc(c, "h", "listpack");
    freeReplyObject(many(c, "HSET", "h512", 0, 512, "f%d", "v%d"));
    expect_enc(c, "h512", "listpack");
    expect_int(cmd(c, "HSET h512 f512 v"), 1);
    expect_enc(c, "h512", "hashtable");
    expect_int(cmd(c, "HDEL h512 f512 f511 f510"), 3);
    expect_enc(c, "h512", "hashtable");
    freeReplyObject(many(c, "HSET", "h513", 0, 513, "f%d", "v%d"));
    expect_enc(c, "h513", "hashtable");
    /* value and field lengths */
    expect_int(cmd(c, "HSET hv f %s", repeat('a', 64)), 1);
    expect_enc(c, "hv", "listpack");
    expect_int(cmd(c, "HSET hv g %s", repeat('a', 65)), 1);
    expect_enc(c, "hv", "hashtable");
    expect_int(cmd(c, "HSET hf %s v", repeat('f', 65)), 1);
    expect_enc(c, "hf", "hashtable");
    expect_int(cmd(c, "HSETNX hn f %s", repeat('n', 65)), 1);
    expect_enc(c, "hn", "hashtable");
    /* HINCRBYFLOAT results are checked too */
    expect_int(cmd(c, "HSET hi n 1"), 1);
    freeReplyObject(cmd(c, "HINCRBYFLOAT hi n 0.5"));
    expect_enc(c, "hi", "listpack");
    /* the old ziplist names are aliases */
    config(c, "hash-max-ziplist-entries", "2");
    redisReply *r = cmd(c, "CONFIG GET hash-max-listpack-entries");
    expect_array_len(r, 2);
    assert_string_equal(r->element[1]->str, "2");
    freeReplyObject(r);
    r = cmd(c, "CONFIG GET hash-max-ziplist-entries");
    assert_string_equal(r->element[1]->str, "2");
    freeReplyObject(r);
    expect_int(cmd(c, "HSET hc a 1 b 2"), 2);
    expect_enc(c, "hc", "listpack");
    expect_int(cmd(c, "HSET hc c 3"), 1);
    expect_enc(c, "hc", "hashtable");
    config(c, "hash-max-ziplist-value", "3");
    expect_int(cmd(c, "HSET hc2 a abcd"), 1);
    expect_enc(c, "hc2", "hashtable");
    reset_limits(c);
    redisFree(c);
}

static void test_hash_commands_on_each_encoding(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    freeReplyObject(many(c, "HSET", "hl", 0, 50, "f%d", "%d"));
    config(c, "hash-max-listpack-entries", "0");
    freeReplyObject(many(c, "HSET", "hh", 0, 50, "f%d", "%d"));
    reset_limits(c);
    expect_enc(c, "hl", "listpack");
    expect_enc(c, "hh", "hashtable");
    const char *keys[] = {"hl", "hh"};
    for (int k = 0; k < 2; k++) {
        const char *key = keys[k];
        expect_bulk(cmd(c, "HGET %s f7", key), "7");
        expect_nil(cmd(c, "HGET %s f50", key));
        expect_int(cmd(c, "HLEN %s", key), 50);
        expect_int(cmd(c, "HSTRLEN %s f12", key), 2);
        expect_int(cmd(c, "HEXISTS %s f49", key), 1);
        expect_int(cmd(c, "HINCRBY %s f10 5", key), 15);
        expect_bulk(cmd(c, "HINCRBYFLOAT %s f11 0.5", key), "11.5");
        expect_int(cmd(c, "HSET %s f12 twelve", key), 0);
        expect_bulk(cmd(c, "HGET %s f12", key), "twelve");
        expect_int(cmd(c, "HDEL %s f0 nope", key), 1);
        redisReply *r = sorted(cmd(c, "HKEYS %s", key));
        expect_array_len(r, 49);
        freeReplyObject(r);
        r = cmd(c, "HGETALL %s", key);
        expect_array_len(r, 98);
        for (size_t i = 0; i < r->elements; i += 2) {
            redisReply *v = cmd(c, "HGET %s %s", key, r->element[i]->str);
            assert_string_equal(v->str, r->element[i + 1]->str);
            freeReplyObject(v);
        }
        freeReplyObject(r);
        /* HRANDFIELD: distinct for a positive count, fields with their values */
        int counts[] = {1, 5, 20, 48, 49, 100};
        for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
            r = cmd(c, "HRANDFIELD %s %d WITHVALUES", key, counts[i]);
            size_t want = counts[i] > 49 ? 49 : (size_t)counts[i];
            expect_array_len(r, want * 2);
            for (size_t j = 0; j < r->elements; j += 2) {
                redisReply *v = cmd(c, "HGET %s %s", key, r->element[j]->str);
                assert_string_equal(v->str, r->element[j + 1]->str);
                freeReplyObject(v);
            }
            freeReplyObject(r);
            r = cmd(c, "HRANDFIELD %s %d", key, counts[i]);
            assert_true(distinct(r));
            freeReplyObject(r);
        }
        r = cmd(c, "HRANDFIELD %s -200 WITHVALUES", key);
        expect_array_len(r, 400);
        freeReplyObject(r);
        r = cmd(c, "HSCAN %s 0 COUNT 2 MATCH f1*", key);
        if (k == 0) assert_string_equal(r->element[0]->str, "0");
        if (k == 0) assert_int_equal(r->element[1]->elements, 22); /* f1, f10..f19 */
        freeReplyObject(r);
    }
    expect_enc(c, "hl", "listpack");
    redisFree(c);
}

/* ----------------------------------------------------------- sorted sets */

static void test_zset_thresholds(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    expect_int(cmd(c, "ZADD z 1 a"), 1);
    expect_enc(c, "z", "listpack");
    freeReplyObject(many(c, "ZADD", "z128", 0, 128, "%d", "m%d"));
    expect_enc(c, "z128", "listpack");
    expect_int(cmd(c, "ZADD z128 1 new"), 1);
    expect_enc(c, "z128", "skiplist");
    freeReplyObject(many(c, "ZREM", "z128", 0, 128, "m%d", NULL));
    expect_enc(c, "z128", "skiplist");
    freeReplyObject(many(c, "ZADD", "z129", 0, 129, "%d", "m%d"));
    expect_enc(c, "z129", "skiplist");
    expect_int(cmd(c, "ZADD zv 1 %s", repeat('a', 64)), 1);
    expect_enc(c, "zv", "listpack");
    expect_int(cmd(c, "ZADD zv 2 %s", repeat('b', 65)), 1);
    expect_enc(c, "zv", "skiplist");
    expect_int(cmd(c, "ZADD zv2 1 %s", repeat('c', 65)), 1);
    expect_enc(c, "zv2", "skiplist");
    expect_bulk(cmd(c, "ZINCRBY zv3 1 %s", repeat('d', 65)), "1");
    expect_enc(c, "zv3", "skiplist");
    config(c, "zset-max-ziplist-entries", "2");
    redisReply *r = cmd(c, "CONFIG GET zset-max-listpack-entries");
    assert_string_equal(r->element[1]->str, "2");
    freeReplyObject(r);
    expect_int(cmd(c, "ZADD zc 1 a 2 b"), 2);
    expect_enc(c, "zc", "listpack");
    expect_int(cmd(c, "ZADD zc 3 c"), 1);
    expect_enc(c, "zc", "skiplist");
    reset_limits(c);
    /* stored results pick their encoding by their own size */
    freeReplyObject(many(c, "ZADD", "big1", 0, 200, "%d", "m%d"));
    freeReplyObject(many(c, "ZADD", "big2", 190, 390, "%d", "m%d"));
    expect_int(cmd(c, "ZINTERSTORE small 2 big1 big2"), 10);
    expect_enc(c, "small", "listpack");
    expect_int(cmd(c, "ZUNIONSTORE large 2 big1 big2"), 390);
    expect_enc(c, "large", "skiplist");
    expect_int(cmd(c, "ZUNIONSTORE u2 2 z z128"), 2); /* from a skiplist, into a listpack */
    expect_enc(c, "u2", "listpack");
    expect_int(cmd(c, "ZDIFFSTORE d1 2 big1 big2"), 190);
    expect_enc(c, "d1", "skiplist");
    expect_int(cmd(c, "ZRANGESTORE r1 big1 0 9"), 10);
    expect_enc(c, "r1", "listpack");
    expect_int(cmd(c, "ZRANGESTORE r2 big1 0 149"), 150);
    expect_enc(c, "r2", "skiplist");
    expect_int(cmd(c, "ZRANGESTORE r3 big1 (10 20 BYSCORE"), 10);
    expect_enc(c, "r3", "listpack");
    /* a plain set is an input with scores 1 */
    expect_int(cmd(c, "SADD plain m1 m2 zz"), 3);
    expect_int(cmd(c, "ZUNIONSTORE withset 2 plain big1 WEIGHTS 10 1"), 201);
    expect_bulk(cmd(c, "ZSCORE withset m2"), "12");
    expect_bulk(cmd(c, "ZSCORE withset zz"), "10");
    expect_int(cmd(c, "ZINTERCARD 2 plain big1"), 2);
    redisFree(c);
}

/* The same members in a listpack and a skiplist; every command replies the
 * same on both. Scores repeat, so member order matters. */
static void build_zsets(redisContext *c) {
    freeReplyObject(cmd(c, "DEL zl zs"));
    for (int pass = 0; pass < 2; pass++) {
        const char *key = pass ? "zs" : "zl";
        if (pass) config(c, "zset-max-listpack-entries", "0");
        freeReplyObject(many(c, "ZADD", key, 0, 60, "%d", "m%d"));
        freeReplyObject(many(c, "ZADD", key, 0, 20, "%d.5", "x%d"));
        expect_int(cmd(c, "ZADD %s -inf ninf +inf pinf 0 zero -3.25 neg 7 same1 7 same0 7 same2 1e300 huge", key),
                   8);
        expect_int(cmd(c, "ZADD %s 5 123 5 -12 5 abc", key), 3);
    }
    reset_limits(c);
    /* lex ranges are for members of one score */
    freeReplyObject(cmd(c, "DEL lexl lexs"));
    for (int pass = 0; pass < 2; pass++) {
        const char *key = pass ? "lexs" : "lexl";
        if (pass) config(c, "zset-max-listpack-entries", "0");
        freeReplyObject(many(c, "ZADD", key, 0, 40, "0", "w%d"));
        expect_int(cmd(c, "ZADD %s 0 a 0 b 0 c 0 10 0 9 0 -5 0 %b", key, "z\0", (size_t)3), 7);
    }
    reset_limits(c);
    expect_enc(c, "zl", "listpack");
    expect_enc(c, "zs", "skiplist");
    expect_enc(c, "lexl", "listpack");
    expect_enc(c, "lexs", "skiplist");
}

static void test_zset_commands_on_each_encoding(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    build_zsets(c);
    const char *reads[] = {
        "ZCARD %s", "ZRANGE %s 0 -1 WITHSCORES", "ZRANGE %s 5 20", "ZRANGE %s -5 -1 WITHSCORES",
        "ZREVRANGE %s 0 10 WITHSCORES", "ZRANGE %s 3 1", "ZRANGE %s (1 7 BYSCORE", "ZRANGE %s 7 (1 BYSCORE REV",
        "ZRANGE %s -inf +inf BYSCORE LIMIT 2 5 WITHSCORES", "ZRANGE %s +inf -inf BYSCORE REV LIMIT 1 3",
        "ZRANGE %s 0 10 BYSCORE LIMIT -1 5", "ZRANGEBYSCORE %s 5 7 WITHSCORES", "ZREVRANGEBYSCORE %s 7 5",
        "ZRANGEBYSCORE %s (7 (7", "ZCOUNT %s 5 7", "ZCOUNT %s -inf +inf", "ZCOUNT %s (0 0",
        "ZRANGEBYLEX %s - + LIMIT 0 3", "ZREVRANGEBYLEX %s + - LIMIT 2 2", "ZRANK %s same1", "ZREVRANK %s same1 WITHSCORE", "ZRANK %s nope",
        "ZSCORE %s huge", "ZSCORE %s ninf", "ZMSCORE %s m1 x3 nope 123", "ZRANK %s -12", "ZSCORE %s 123",
        "ZUNION 1 %s WITHSCORES", "ZINTER 2 %s %s WITHSCORES", "ZDIFF 1 %s",
    };
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
        if (strstr(reads[i], "%s %s")) {
            redisReply *a = cmd(c, reads[i], "zl", "zl"), *b = cmd(c, reads[i], "zs", "zs");
            assert_true(same_reply(a, b));
            freeReplyObject(a);
            freeReplyObject(b);
        } else {
            expect_same(c, "zl", "zs", reads[i]);
        }
    }
    const char *lex[] = {
        "ZRANGE %s [b [w3 BYLEX", "ZRANGE %s (b (w3 BYLEX", "ZRANGE %s [w3 [b BYLEX REV", "ZRANGE %s - [9 BYLEX",
        "ZRANGE %s (w1 + BYLEX LIMIT 2 4", "ZRANGEBYLEX %s [10 [9", "ZREVRANGEBYLEX %s + (w2 LIMIT 0 5",
        "ZLEXCOUNT %s [a [c", "ZLEXCOUNT %s - +", "ZLEXCOUNT %s (z +", "ZRANGE %s [c [a BYLEX",
        "ZREMRANGEBYLEX %s [w1 [w2", "ZREMRANGEBYLEX %s - (a", "ZRANGE %s 0 -1",
    };
    for (size_t i = 0; i < sizeof(lex) / sizeof(lex[0]); i++) expect_same(c, "lexl", "lexs", lex[i]);
    /* ZRANDMEMBER: distinct for positive counts, score matching */
    const char *keys[] = {"zl", "zs"};
    for (int k = 0; k < 2; k++) {
        int counts[] = {1, 10, 50, 90, 200};
        for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
            redisReply *r = cmd(c, "ZRANDMEMBER %s %d WITHSCORES", keys[k], counts[i]);
            size_t want = counts[i] > 91 ? 91 : (size_t)counts[i];
            expect_array_len(r, want * 2);
            for (size_t j = 0; j < r->elements; j += 2) {
                redisReply *s = cmd(c, "ZSCORE %s %s", keys[k], r->element[j]->str);
                assert_string_equal(s->str, r->element[j + 1]->str);
                freeReplyObject(s);
            }
            freeReplyObject(r);
            r = cmd(c, "ZRANDMEMBER %s %d", keys[k], counts[i]);
            assert_true(distinct(r));
            freeReplyObject(r);
        }
        redisReply *r = cmd(c, "ZRANDMEMBER %s -300", keys[k]);
        expect_array_len(r, 300);
        freeReplyObject(r);
    }
    /* ZSCAN: a listpack comes back whole with cursor 0 */
    redisReply *r = cmd(c, "ZSCAN zl 0 COUNT 1");
    assert_string_equal(r->element[0]->str, "0");
    assert_int_equal(r->element[1]->elements, 182);
    freeReplyObject(r);
    r = cmd(c, "ZSCAN zl 0 MATCH same*");
    expect_array_len(r->element[1], 6);
    freeReplyObject(r);
    /* writes, then the same contents */
    const char *writes[] = {
        "ZINCRBY %s 100 m3", "ZINCRBY %s -0.5 x10", "ZADD %s GT 1 m50", "ZADD %s LT CH 1 m50",
        "ZADD %s NX 3 m1 3 brandnew", "ZADD %s XX INCR 2 same0", "ZREM %s m4 m5 nope", "ZPOPMIN %s 2",
        "ZPOPMAX %s", "ZREMRANGEBYSCORE %s (10 20", "ZREMRANGEBYRANK %s 5 9", "ZRANGE %s 0 -1 WITHSCORES",
    };
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) expect_same(c, "zl", "zs", writes[i]);
    expect_enc(c, "zl", "listpack");
    redisFree(c);
}

/* ----------------------------------------------------------- persistence */

static void fill_all_encodings(redisContext *c) {
    OK(c, "FLUSHALL");
    freeReplyObject(many(c, "SADD", "s_int", 0, 50, "%d", NULL));
    freeReplyObject(many(c, "SADD", "s_lp", 0, 50, "%d", NULL));
    expect_int(cmd(c, "SADD s_lp word"), 1);
    freeReplyObject(many(c, "SADD", "s_ht", 0, 300, "m%d", NULL));
    freeReplyObject(many(c, "SADD", "s_shrunk", 0, 300, "m%d", NULL));
    freeReplyObject(many(c, "SREM", "s_shrunk", 0, 290, "m%d", NULL));
    freeReplyObject(many(c, "HSET", "h_lp", 0, 20, "f%d", "%d"));
    freeReplyObject(many(c, "HSET", "h_ht", 0, 600, "f%d", "v%d"));
    freeReplyObject(many(c, "ZADD", "z_lp", 0, 20, "%d.25", "m%d"));
    freeReplyObject(many(c, "ZADD", "z_sl", 0, 200, "%d", "m%d"));
    freeReplyObject(many(c, "ZADD", "z_shrunk", 0, 200, "%d", "m%d"));
    freeReplyObject(cmd(c, "ZREMRANGEBYRANK z_shrunk 0 149"));
    expect_enc(c, "s_shrunk", "hashtable");
    expect_enc(c, "z_shrunk", "skiplist");
}

static void check_all_encodings(redisContext *c) {
    expect_enc(c, "s_int", "intset");
    expect_int(cmd(c, "SCARD s_int"), 50);
    expect_enc(c, "s_lp", "listpack");
    expect_int(cmd(c, "SISMEMBER s_lp word"), 1);
    expect_int(cmd(c, "SISMEMBER s_lp 49"), 1);
    expect_enc(c, "s_ht", "hashtable");
    expect_int(cmd(c, "SCARD s_ht"), 300);
    expect_enc(c, "s_shrunk", "listpack"); /* loaded as Redis would: it fits now */
    expect_int(cmd(c, "SCARD s_shrunk"), 10);
    expect_enc(c, "h_lp", "listpack");
    expect_bulk(cmd(c, "HGET h_lp f19"), "19");
    expect_enc(c, "h_ht", "hashtable");
    expect_bulk(cmd(c, "HGET h_ht f599"), "v599");
    expect_enc(c, "z_lp", "listpack");
    expect_bulk(cmd(c, "ZSCORE z_lp m19"), "19.25");
    expect_enc(c, "z_sl", "skiplist");
    expect_int(cmd(c, "ZRANK z_sl m150"), 150);
    expect_enc(c, "z_shrunk", "listpack");
    expect_int(cmd(c, "ZCARD z_shrunk"), 50);
    expect_int(cmd(c, "ZRANK z_shrunk m199"), 49);
}

static void test_save_and_restart_keep_encodings(void **state) {
    redisContext *c = ts_connect(&srv);
    fill_all_encodings(c);
    OK(c, "SAVE");
    redisFree(c);
    assert_int_equal(ts_restart(&srv, 1), 0);
    c = ts_connect(&srv);
    check_all_encodings(c);
    redisFree(c);
}

static void test_dump_restore_encodings(void **state) {
    redisContext *c = ts_connect(&srv);
    fill_all_encodings(c);
    /* the RDB type of each payload: Redis 7.0 must be able to load them */
    struct {
        const char *key;
        unsigned char type;
    } types[] = {{"s_int", 11}, {"s_lp", 2}, {"s_ht", 2}, {"h_lp", 16}, {"h_ht", 4}, {"z_lp", 17}, {"z_sl", 5}};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        redisReply *d = cmd(c, "DUMP %s", types[i].key);
        assert_int_equal(d->type, REDIS_REPLY_STRING);
        assert_int_equal((unsigned char)d->str[0], types[i].type);
        assert_int_equal((unsigned char)d->str[d->len - 10], 10); /* RDB version 10 */
        freeReplyObject(d);
    }
    const char *keys[] = {"s_int", "s_lp", "s_ht", "s_shrunk", "h_lp", "h_ht", "z_lp", "z_sl", "z_shrunk"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        redisReply *d = cmd(c, "DUMP %s", keys[i]);
        expect_status(cmd(c, "RESTORE %s 0 %b REPLACE", keys[i], d->str, d->len), "OK");
        freeReplyObject(d);
    }
    check_all_encodings(c);
    redisFree(c);
}

/* A payload as Redis 7.2 writes a small set: a SET_LISTPACK (type 20) at
 * RDB version 11, which Stash reads and keeps as a listpack. */
static size_t set_listpack_payload(char *out, int duplicate) {
    unsigned char *lp = lp_new(0);
    lp = lp_append(lp, "a", 1);
    lp = lp_append(lp, "b", 1);
    lp = lp_append_int(lp, 5);
    if (duplicate) lp = lp_append(lp, "a", 1);
    size_t n = 0, bytes = lp_bytes(lp);
    out[n++] = 20;
    out[n++] = (char)bytes; /* 6-bit RDB length */
    memcpy(out + n, lp, bytes);
    n += bytes;
    lp_free(lp);
    out[n++] = 11;
    out[n++] = 0;
    uint64_t crc = crc64(0, out, n);
    for (int i = 0; i < 8; i++) out[n++] = (char)(crc >> (8 * i));
    return n;
}

static void test_restore_redis72_set_listpack(void **state) {
    redisContext *c = ts_connect(&srv);
    char p[128];
    size_t n = set_listpack_payload(p, 0);
    expect_status(cmd(c, "RESTORE lp72 0 %b REPLACE", p, n), "OK");
    expect_enc(c, "lp72", "listpack");
    expect_int(cmd(c, "SCARD lp72"), 3);
    expect_int(cmd(c, "SISMEMBER lp72 5"), 1);
    /* and it goes out as a plain set, loadable by Redis 7.0 */
    redisReply *d = cmd(c, "DUMP lp72");
    assert_int_equal((unsigned char)d->str[0], 2);
    freeReplyObject(d);
    n = set_listpack_payload(p, 1);
    expect_error(cmd(c, "RESTORE lp72dup 0 %b", p, n), "ERR Bad data format");
    expect_int(cmd(c, "EXISTS lp72dup"), 0);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_thresholds),
        cmocka_unit_test(test_set_commands_on_each_encoding),
        cmocka_unit_test(test_spop_on_each_encoding),
        cmocka_unit_test(test_hash_thresholds),
        cmocka_unit_test(test_hash_commands_on_each_encoding),
        cmocka_unit_test(test_zset_thresholds),
        cmocka_unit_test(test_zset_commands_on_each_encoding),
        cmocka_unit_test(test_dump_restore_encodings),
        cmocka_unit_test(test_restore_redis72_set_listpack),
        cmocka_unit_test(test_save_and_restart_keep_encodings),
    };
    return cmocka_run_group_tests_name("encodings", tests, group_start_server, group_stop_server);
}
