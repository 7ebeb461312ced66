/* test_bitops.c: the bit commands as a client sees them: SETBIT, GETBIT,
 * BITCOUNT and BITPOS (BYTE and BIT ranges), BITOP, BITFIELD and
 * BITFIELD_RO, with Redis 7.2's exact replies and errors, the
 * proto-max-bulk-len bound on offsets, keyspace events, and an overflow
 * check of BITFIELD INCRBY against arithmetic done here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

#define NIL 0x5a5a5a5a5a5a5a5aLL /* stands for a null element */
#define I64_MIN (-9223372036854775807LL - 1)
#define I64_MAX 9223372036854775807LL
#define WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define NOT_INT "ERR value is not an integer or out of range"
#define SYNTAX "ERR syntax error"
#define BAD_OFFSET "ERR bit offset is not an integer or out of range"
#define BAD_BIT "ERR bit is not an integer or out of range"
#define BAD_TYPE                                                                                             \
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."

static redisContext *fresh(void) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FLUSHALL");
    return c;
}

/* Asserts an array reply of integers (nil written as NIL). */
static void expect_ints(redisReply *r, size_t n, const long long *want) {
    expect_array_len(r, n);
    for (size_t i = 0; i < n; i++) {
        if (want[i] == NIL) {
            assert_int_equal(r->element[i]->type, REDIS_REPLY_NIL);
        } else {
            assert_int_equal(r->element[i]->type, REDIS_REPLY_INTEGER);
            assert_int_equal(r->element[i]->integer, want[i]);
        }
    }
    freeReplyObject(r);
}

#define EXPECT_INTS(r, ...)                                                                                  \
    do {                                                                                                     \
        const long long want_[] = {__VA_ARGS__};                                                             \
        expect_ints((r), sizeof(want_) / sizeof(want_[0]), want_);                                           \
    } while (0)

/* ---- SETBIT / GETBIT */

static void test_setbit_getbit(void **state) {
    redisContext *c = fresh();
    expect_int(cmd(c, "SETBIT k 7 1"), 0);
    expect_bulk_len(cmd(c, "GET k"), "\x01", 1);
    expect_int(cmd(c, "SETBIT k 0 1"), 0);
    expect_bulk_len(cmd(c, "GET k"), "\x81", 1);
    expect_int(cmd(c, "SETBIT k 0 1"), 1); /* the old value */
    expect_int(cmd(c, "SETBIT k 0 0"), 1);
    expect_bulk_len(cmd(c, "GET k"), "\x01", 1);
    expect_int(cmd(c, "SETBIT k 23 0"), 0); /* clearing past the end still grows */
    expect_bulk_len(cmd(c, "GET k"), "\x01\0\0", 3);
    expect_int(cmd(c, "GETBIT k 7"), 1);
    expect_int(cmd(c, "GETBIT k 6"), 0);
    expect_int(cmd(c, "GETBIT k 1000"), 0);
    expect_int(cmd(c, "GETBIT nokey 0"), 0);
    OK(c, "SET n 1"); /* '1' is 0x31: 00110001, int-encoded */
    expect_int(cmd(c, "GETBIT n 2"), 1);
    expect_int(cmd(c, "GETBIT n 4"), 0);
    expect_int(cmd(c, "GETBIT n 7"), 1);
    expect_int(cmd(c, "SETBIT n 6 1"), 0);
    expect_bulk(cmd(c, "GET n"), "3");
    expect_bulk(cmd(c, "OBJECT ENCODING n"), "raw");
    OK(c, "SET t v EX 100");
    expect_int(cmd(c, "SETBIT t 0 1"), 0);
    expect_int(cmd(c, "TTL t"), 100); /* SETBIT keeps the TTL */
    redisFree(c);
}

static void test_setbit_errors(void **state) {
    redisContext *c = fresh();
    expect_error(cmd(c, "SETBIT k 4294967296 1"), BAD_OFFSET);
    expect_error(cmd(c, "SETBIT k -1 1"), BAD_OFFSET);
    expect_error(cmd(c, "SETBIT k abc 1"), BAD_OFFSET);
    expect_error(cmd(c, "SETBIT k #1 1"), BAD_OFFSET);
    expect_error(cmd(c, "SETBIT k 9223372036854775808 1"), BAD_OFFSET);
    expect_error(cmd(c, "GETBIT k 4294967296"), BAD_OFFSET);
    expect_error(cmd(c, "GETBIT k -1"), BAD_OFFSET);
    expect_error(cmd(c, "SETBIT k 0 2"), BAD_BIT);
    expect_error(cmd(c, "SETBIT k 0 -1"), BAD_BIT);
    expect_error(cmd(c, "SETBIT k 0 10"), BAD_BIT);
    expect_error(cmd(c, "SETBIT k 0 x"), BAD_BIT);
    expect_int(cmd(c, "EXISTS k"), 0);
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "SETBIT l 0 1"), WRONGTYPE);
    expect_error(cmd(c, "GETBIT l 0"), WRONGTYPE);
    expect_error(cmd(c, "SETBIT k 0"), "ERR wrong number of arguments for 'setbit' command");
    expect_error(cmd(c, "GETBIT k"), "ERR wrong number of arguments for 'getbit' command");
    redisFree(c);
}

/* Offsets are bounded by proto-max-bulk-len in bytes: with a 1 MB limit
 * bit 8388607 is the last one allowed. */
static void test_bit_offset_limit(void **state) {
    testServer ts = {0};
    const char *extra[] = {"--proto-max-bulk-len", "1048576", NULL};
    assert_int_equal(ts_start(&ts, extra), 0);
    redisContext *c = ts_connect(&ts);
    expect_int(cmd(c, "SETBIT k 8388607 1"), 0);
    expect_int(cmd(c, "STRLEN k"), 1048576);
    expect_error(cmd(c, "SETBIT k 8388608 1"), BAD_OFFSET);
    expect_error(cmd(c, "GETBIT k 8388608"), BAD_OFFSET);
    expect_int(cmd(c, "GETBIT k 8388607"), 1);
    EXPECT_INTS(cmd(c, "BITFIELD k GET u8 #1048575"), 1);
    expect_error(cmd(c, "BITFIELD k GET u8 #1048576"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET u8 8388608"), BAD_OFFSET);
    expect_int(cmd(c, "BITCOUNT k"), 1);
    expect_int(cmd(c, "BITPOS k 1"), 8388607);
    redisFree(c);
    ts_stop(&ts);
}

/* ---- BITCOUNT */

static void test_bitcount(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k foobar");
    expect_int(cmd(c, "BITCOUNT k"), 26);
    expect_int(cmd(c, "BITCOUNT k 0 0"), 4);
    expect_int(cmd(c, "BITCOUNT k 1 1"), 6);
    expect_int(cmd(c, "BITCOUNT k 1 1 BYTE"), 6);
    expect_int(cmd(c, "BITCOUNT k 5 30 BIT"), 17);
    expect_int(cmd(c, "BITCOUNT k 0 -1"), 26);
    expect_int(cmd(c, "BITCOUNT k -2 -1"), 7);
    expect_int(cmd(c, "BITCOUNT k -1 -2"), 0); /* start after end */
    expect_int(cmd(c, "BITCOUNT k 4 2"), 0);
    expect_int(cmd(c, "BITCOUNT k 0 1000"), 26);
    expect_int(cmd(c, "BITCOUNT k -1000 1000"), 26);
    expect_int(cmd(c, "BITCOUNT k 100 1000"), 0);
    expect_int(cmd(c, "BITCOUNT k -9223372036854775808 9223372036854775807 bit"), 26);
    expect_int(cmd(c, "BITCOUNT k 47 47 BIT"), 0);
    expect_int(cmd(c, "BITCOUNT k 46 46 BIT"), 1);
    expect_int(cmd(c, "BITCOUNT k -3 -1 BIT"), 1); /* "r" ends in 010 */
    expect_int(cmd(c, "BITCOUNT nokey"), 0);
    expect_int(cmd(c, "BITCOUNT nokey x y"), 0); /* a missing key answers before parsing */
    OK(c, "SET b %b", "\xff\0\r\n\x0f", (size_t)5);
    expect_int(cmd(c, "BITCOUNT b"), 8 + 0 + 3 + 2 + 4);
    OK(c, "SET n 12"); /* int-encoded: counts the bits of "12" */
    expect_int(cmd(c, "BITCOUNT n"), 3 + 3);
    OK(c, "SET e %s", "");
    expect_int(cmd(c, "BITCOUNT e 0 -1 BIT"), 0);
    char big[1000];
    for (size_t i = 0; i < sizeof(big); i++) big[i] = (char)i;
    long long want = 0;
    for (size_t i = 0; i < sizeof(big); i++) want += __builtin_popcount((unsigned char)big[i]);
    OK(c, "SET big %b", big, sizeof(big));
    expect_int(cmd(c, "BITCOUNT big"), want);
    redisFree(c);
}

static void test_bitcount_errors(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k foobar");
    expect_error(cmd(c, "BITCOUNT k 0"), SYNTAX);
    expect_error(cmd(c, "BITCOUNT k 0 1 BAR"), SYNTAX);
    expect_error(cmd(c, "BITCOUNT k 0 1 BIT x"), SYNTAX);
    expect_error(cmd(c, "BITCOUNT k a 1"), NOT_INT);
    expect_error(cmd(c, "BITCOUNT k 0 1.5"), NOT_INT);
    expect_int(cmd(c, "BITCOUNT k -1 -2 BAR"), 0); /* the empty range answers first */
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "BITCOUNT l"), WRONGTYPE);
    expect_error(cmd(c, "BITCOUNT"), "ERR wrong number of arguments for 'bitcount' command");
    redisFree(c);
}

/* ---- BITPOS */

static void test_bitpos(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k %b", "\xff\xf0\x00", (size_t)3);
    expect_int(cmd(c, "BITPOS k 0"), 12);
    OK(c, "SET k %b", "\x00\xff\xf0", (size_t)3);
    expect_int(cmd(c, "BITPOS k 1 0"), 8);
    expect_int(cmd(c, "BITPOS k 1 2"), 16);
    expect_int(cmd(c, "BITPOS k 1 2 -1 BYTE"), 16);
    expect_int(cmd(c, "BITPOS k 1 7 15 BIT"), 8);
    expect_int(cmd(c, "BITPOS k 1 9 15 BIT"), 9);
    expect_int(cmd(c, "BITPOS k 0 8 19 BIT"), -1);
    expect_int(cmd(c, "BITPOS k 0 8 20 BIT"), 20);
    expect_int(cmd(c, "BITPOS k 1 -1"), 16);
    expect_int(cmd(c, "BITPOS k 1 5 3"), -1); /* empty range */
    OK(c, "SET k %b", "\x00\x00\x00", (size_t)3);
    expect_int(cmd(c, "BITPOS k 1"), -1);
    expect_int(cmd(c, "BITPOS k 1 7 -3 BIT"), -1);
    expect_int(cmd(c, "BITPOS k 0"), 0);
    /* All ones: past the end bits read as 0, unless the end was given. */
    OK(c, "SET k %b", "\xff\xff\xff", (size_t)3);
    expect_int(cmd(c, "BITPOS k 0"), 24);
    expect_int(cmd(c, "BITPOS k 0 1"), 24);
    expect_int(cmd(c, "BITPOS k 0 0 -1"), -1);
    expect_int(cmd(c, "BITPOS k 0 0 -1 BIT"), -1);
    expect_int(cmd(c, "BITPOS nokey 0"), 0);
    expect_int(cmd(c, "BITPOS nokey 1"), -1);
    expect_int(cmd(c, "BITPOS nokey 1 x"), -1); /* a missing key answers before parsing */
    OK(c, "SET e %s", "");
    expect_int(cmd(c, "BITPOS e 0"), -1);
    expect_int(cmd(c, "BITPOS e 1"), -1);
    char big[100] = {0};
    big[77] = 0x04;
    OK(c, "SET big %b", big, sizeof(big));
    expect_int(cmd(c, "BITPOS big 1"), 77 * 8 + 5);
    expect_int(cmd(c, "BITPOS big 1 0 -1 BIT"), 77 * 8 + 5);
    expect_int(cmd(c, "BITPOS big 1 622"), -1);
    memset(big, 0xff, sizeof(big));
    big[93] = (char)0xef;
    OK(c, "SET big %b", big, sizeof(big));
    expect_int(cmd(c, "BITPOS big 0 3"), 93 * 8 + 3);
    redisFree(c);
}

static void test_bitpos_errors(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k abc");
    expect_error(cmd(c, "BITPOS k 2"), "ERR The bit argument must be 1 or 0.");
    expect_error(cmd(c, "BITPOS k -1"), "ERR The bit argument must be 1 or 0.");
    expect_error(cmd(c, "BITPOS k x"), NOT_INT);
    expect_error(cmd(c, "BITPOS nokey 2"), "ERR The bit argument must be 1 or 0.");
    expect_error(cmd(c, "BITPOS k 1 x"), NOT_INT);
    expect_error(cmd(c, "BITPOS k 1 0 x"), NOT_INT);
    expect_error(cmd(c, "BITPOS k 1 0 1 FOO"), SYNTAX);
    expect_error(cmd(c, "BITPOS k 1 0 1 BIT x"), SYNTAX);
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "BITPOS l 1"), WRONGTYPE);
    expect_error(cmd(c, "BITPOS k"), "ERR wrong number of arguments for 'bitpos' command");
    redisFree(c);
}

/* ---- BITOP */

static void test_bitop(void **state) {
    redisContext *c = fresh();
    OK(c, "MSET a %b b %b", "\xff\x0f", (size_t)2, "\x0f", (size_t)1);
    expect_int(cmd(c, "BITOP AND d a b"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\x0f\x00", 2); /* the shorter source is zero padded */
    expect_int(cmd(c, "BITOP OR d a b"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\xff\x0f", 2);
    expect_int(cmd(c, "BITOP XOR d a b"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\xf0\x0f", 2);
    expect_int(cmd(c, "BITOP NOT d a"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\x00\xf0", 2);
    expect_int(cmd(c, "BITOP xor d a nokey"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\xff\x0f", 2);
    expect_int(cmd(c, "BITOP and d nokey a"), 2);
    expect_bulk_len(cmd(c, "GET d"), "\x00\x00", 2);
    expect_int(cmd(c, "BITOP OR a a a"), 2); /* destination among the sources */
    expect_bulk_len(cmd(c, "GET a"), "\xff\x0f", 2);
    OK(c, "SET n 1"); /* int-encoded: '1' is 0x31 */
    expect_int(cmd(c, "BITOP NOT d n"), 1);
    expect_bulk_len(cmd(c, "GET d"), "\xce", 1);
    expect_bulk(cmd(c, "OBJECT ENCODING d"), "raw");
    /* Replaces a destination of any type, dropping its TTL. */
    expect_int(cmd(c, "RPUSH dl x"), 1);
    expect_int(cmd(c, "BITOP OR dl a"), 2);
    expect_bulk_len(cmd(c, "GET dl"), "\xff\x0f", 2);
    OK(c, "SET dt x EX 100");
    expect_int(cmd(c, "BITOP OR dt a"), 2);
    expect_int(cmd(c, "TTL dt"), -1);
    /* An empty result deletes the destination. */
    expect_int(cmd(c, "BITOP AND d nokey1 nokey2"), 0);
    expect_int(cmd(c, "EXISTS d"), 0);
    OK(c, "SET e %s", "");
    OK(c, "SET d x");
    expect_int(cmd(c, "BITOP NOT d e"), 0);
    expect_int(cmd(c, "EXISTS d"), 0);
    redisFree(c);
}

/* Long operands (the word-at-a-time paths) against bytes computed here. */
static void test_bitop_long(void **state) {
    redisContext *c = fresh();
    unsigned char x[300], y[173], z[250];
    for (size_t i = 0; i < sizeof(x); i++) x[i] = (unsigned char)(i * 7 + 3);
    for (size_t i = 0; i < sizeof(y); i++) y[i] = (unsigned char)(i * 13 + 1);
    for (size_t i = 0; i < sizeof(z); i++) z[i] = (unsigned char)(i * 31 + 5);
    OK(c, "MSET x %b y %b z %b", x, sizeof(x), y, sizeof(y), z, sizeof(z));
    const char *ops[] = {"AND", "OR", "XOR"};
    for (int op = 0; op < 3; op++) {
        unsigned char want[300];
        for (size_t i = 0; i < sizeof(want); i++) {
            unsigned a = x[i], b = i < sizeof(y) ? y[i] : 0, d = i < sizeof(z) ? z[i] : 0;
            want[i] = (unsigned char)(op == 0 ? a & b & d : op == 1 ? a | b | d : a ^ b ^ d);
        }
        expect_int(cmd(c, "BITOP %s d y x z", ops[op]), 300);
        expect_bulk_len(cmd(c, "GET d"), (const char *)want, sizeof(want));
    }
    unsigned char inv[300];
    for (size_t i = 0; i < sizeof(inv); i++) inv[i] = (unsigned char)~x[i];
    expect_int(cmd(c, "BITOP NOT d x"), 300);
    expect_bulk_len(cmd(c, "GET d"), (const char *)inv, sizeof(inv));
    redisFree(c);
}

static void test_bitop_errors(void **state) {
    redisContext *c = fresh();
    OK(c, "SET a x");
    OK(c, "SET d keep");
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "BITOP AND d a l"), WRONGTYPE);
    expect_bulk(cmd(c, "GET d"), "keep"); /* untouched */
    expect_error(cmd(c, "BITOP NOT d a a"), "ERR BITOP NOT must be called with a single source key.");
    expect_error(cmd(c, "BITOP NAND d a"), SYNTAX);
    expect_error(cmd(c, "BITOP AND d"), "ERR wrong number of arguments for 'bitop' command");
    redisFree(c);
}

/* ---- BITFIELD */

static void test_bitfield_basics(void **state) {
    redisContext *c = fresh();
    EXPECT_INTS(cmd(c, "BITFIELD bits SET i8 0 -100"), 0);
    EXPECT_INTS(cmd(c, "BITFIELD bits SET i8 0 101"), -100);
    EXPECT_INTS(cmd(c, "BITFIELD bits GET i8 0"), 101);
    EXPECT_INTS(cmd(c, "BITFIELD u SET u8 0 255 SET u8 0 100 GET u8 0"), 0, 255, 100);
    EXPECT_INTS(cmd(c, "BITFIELD s SET i8 0 255 SET i8 0 100 GET i8 0"), 0, -1, 100);
    EXPECT_INTS(cmd(c, "BITFIELD w SET u8 0 255 INCRBY u8 0 100 GET u8 0"), 0, 99, 99);
    redisReply *r = cmd(c, "BITFIELD nokey");
    expect_array_len(r, 0);
    freeReplyObject(r);
    expect_int(cmd(c, "EXISTS nokey"), 0);
    EXPECT_INTS(cmd(c, "BITFIELD abc SET u8 #0 65 SET u8 #1 66 SET u8 #2 67"), 0, 0, 0);
    expect_bulk(cmd(c, "GET abc"), "ABC");
    EXPECT_INTS(cmd(c, "BITFIELD abc GET u4 0 GET u4 4 GET i16 #1 GET u3 21"), 4, 1, 0x4300, 3);
    EXPECT_INTS(cmd(c, "BITFIELD abc GET u8 100 GET i64 0"), 0, 0x4142430000000000LL);
    EXPECT_INTS(cmd(c, "BITFIELD abc INCRBY u8 #0 10 INCRBY u8 #0 10"), 75, 85);
    /* Fields need not be byte aligned: 12 bits from bit 4. */
    EXPECT_INTS(cmd(c, "BITFIELD x SET u12 4 4095 GET u8 0 GET u8 8"), 0, 15, 255);
    EXPECT_INTS(cmd(c, "BITFIELD x SET i64 0 -9223372036854775808 GET i64 0 GET u63 0"), 0x0fff000000000000LL,
                I64_MIN, 0x4000000000000000LL);
    OK(c, "SET n 1"); /* int-encoded values read as their digits */
    EXPECT_INTS(cmd(c, "BITFIELD n GET u8 0"), '1');
    EXPECT_INTS(cmd(c, "BITFIELD_RO abc GET u8 #1"), 'B');
    redisFree(c);
}

static void test_bitfield_overflow(void **state) {
    redisContext *c = fresh();
    EXPECT_INTS(cmd(c, "BITFIELD u SET u8 #0 100 OVERFLOW WRAP INCRBY u8 #0 257 INCRBY u8 #0 255"), 0, 101,
                100);
    EXPECT_INTS(cmd(c, "BITFIELD u OVERFLOW SAT INCRBY u8 #0 257 INCRBY u8 #0 -255 INCRBY u8 #0 -1"), 255, 0,
                0);
    EXPECT_INTS(cmd(c, "BITFIELD s SET i8 #0 100 OVERFLOW WRAP INCRBY i8 #0 257 INCRBY i8 #0 255"), 0, 101,
                100);
    EXPECT_INTS(cmd(c, "BITFIELD s OVERFLOW SAT INCRBY i8 #0 257 INCRBY i8 #0 -255"), 127, -128);
    /* FAIL: null and nothing written; the mode applies to later ops only. */
    EXPECT_INTS(cmd(c, "BITFIELD f SET u2 0 1 OVERFLOW FAIL INCRBY u2 0 3 INCRBY u2 0 2 GET u2 0"), 0, NIL, 3,
                3);
    EXPECT_INTS(cmd(c, "BITFIELD f INCRBY u2 0 1 OVERFLOW FAIL INCRBY u2 0 1"), 0, 1);
    EXPECT_INTS(cmd(c, "BITFIELD f OVERFLOW FAIL SET i4 0 8 SET i4 0 -9 SET i4 0 7 GET i4 0"), NIL, NIL, 4,
                7);
    /* SET also obeys the mode; for unsigned types a negative value is too large. */
    EXPECT_INTS(cmd(c, "BITFIELD g SET u8 0 -1 OVERFLOW SAT SET u8 0 -1 SET u8 0 300 SET i8 0 -300"), 0, 255,
                255, -1);
    EXPECT_INTS(cmd(c, "BITFIELD g GET i8 0 OVERFLOW WRAP SET u8 0 258 GET u8 0"), -128, 128, 2);
    /* 64-bit limits. */
    EXPECT_INTS(cmd(c, "BITFIELD h SET i64 0 9223372036854775807 INCRBY i64 0 1"), 0, I64_MIN);
    EXPECT_INTS(cmd(c, "BITFIELD h OVERFLOW SAT INCRBY i64 0 -1 SET i64 0 9223372036854775807 "
                       "INCRBY i64 0 9223372036854775807"),
                I64_MIN, I64_MIN, I64_MAX);
    EXPECT_INTS(cmd(c, "BITFIELD h OVERFLOW FAIL INCRBY i64 0 1 GET i64 0"), NIL, I64_MAX);
    EXPECT_INTS(cmd(c, "BITFIELD h OVERFLOW SAT SET u63 0 9223372036854775807 INCRBY u63 0 1"),
                4611686018427387903LL, I64_MAX);
    redisFree(c);
}

/* The wrapped/saturated INCRBY result as plain arithmetic defines it. */
static int model_incr(int sign, int bits, int mode, __int128 old, __int128 incr, __int128 *out) {
    __int128 range = (__int128)1 << bits;
    __int128 min = sign ? -(range / 2) : 0, max = min + range - 1;
    __int128 v = old + incr;
    if (v >= min && v <= max) {
        *out = v;
        return 1;
    }
    if (mode == 2) return 0; /* FAIL */
    if (mode == 1)
        *out = v > max ? max : min;
    else
        *out = ((v - min) % range + range) % range + min;
    return 1;
}

static uint64_t rand64(void) {
    return ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
}

/* A random value of the given field type. */
static long long rand_field_value(int sign, int bits) {
    uint64_t v = rand64();
    if (bits < 64) v &= ((uint64_t)1 << bits) - 1;
    if (sign && bits < 64 && ((v >> (bits - 1)) & 1)) v |= UINT64_MAX << bits;
    return (long long)v;
}

static void test_bitfield_overflow_model(void **state) {
    redisContext *c = fresh();
    const char *modes[] = {"WRAP", "SAT", "FAIL"};
    srand(1234);
    for (int i = 0; i < 400; i++) {
        int bits = rand() % 64 + 1, sign = bits == 64 ? 1 : rand() % 2, mode = rand() % 3;
        long long old = rand_field_value(sign, bits);
        long long incr = rand_field_value(1, rand() % 64 + 1);
        __int128 want;
        int ok = model_incr(sign, bits, mode, old, incr, &want);
        char type[8];
        snprintf(type, sizeof(type), "%c%d", sign ? 'i' : 'u', bits);
        redisReply *r = cmd(c, "BITFIELD m SET %s 3 %lld OVERFLOW %s INCRBY %s 3 %lld", type, old,
                            modes[mode], type, incr);
        expect_array_len(r, 2);
        if (ok) {
            assert_int_equal(r->element[1]->type, REDIS_REPLY_INTEGER);
            assert_int_equal(r->element[1]->integer, (long long)want);
        } else {
            assert_int_equal(r->element[1]->type, REDIS_REPLY_NIL);
        }
        freeReplyObject(r);
    }
    redisFree(c);
}

static void test_bitfield_errors(void **state) {
    redisContext *c = fresh();
    const char *bad_types[] = {"u64", "i65", "I8", "U8", "u0", "i", "x8", "u-1", "u8x"};
    for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++)
        expect_error(cmd(c, "BITFIELD k GET %s 0", bad_types[i]), BAD_TYPE);
    expect_error(cmd(c, "BITFIELD k GET u8 -1"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET u8 #-1"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET u8 x"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET u8 4294967296"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET u8 #536870912"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k GET i64 #9223372036854775807"), BAD_OFFSET);
    expect_error(cmd(c, "BITFIELD k SET u8 0 x"), NOT_INT);
    expect_error(cmd(c, "BITFIELD k INCRBY u8 0 9223372036854775808"), NOT_INT);
    expect_error(cmd(c, "BITFIELD k OVERFLOW FOO GET u8 0"), "ERR Invalid OVERFLOW type specified");
    expect_error(cmd(c, "BITFIELD k OVERFLOW"), SYNTAX);
    expect_error(cmd(c, "BITFIELD k GET u8"), SYNTAX);
    expect_error(cmd(c, "BITFIELD k SET u8 0"), SYNTAX);
    expect_error(cmd(c, "BITFIELD k FOO"), SYNTAX);
    expect_error(cmd(c, "BITFIELD k GET u8 0 SET u8 0 1 BAR"), SYNTAX);
    expect_int(cmd(c, "EXISTS k"), 0); /* nothing ran */
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "BITFIELD l GET u8 0"), WRONGTYPE);
    expect_error(cmd(c, "BITFIELD l SET u8 0 1"), WRONGTYPE);
    expect_error(cmd(c, "BITFIELD l"), WRONGTYPE);
    expect_error(cmd(c, "BITFIELD"), "ERR wrong number of arguments for 'bitfield' command");
    redisFree(c);
}

static void test_bitfield_ro(void **state) {
    redisContext *c = fresh();
    OK(c, "SET k A");
    EXPECT_INTS(cmd(c, "BITFIELD_RO k GET u8 0 GET i4 4"), 65, 1);
    EXPECT_INTS(cmd(c, "BITFIELD_RO k OVERFLOW SAT GET u8 0"), 65);
    EXPECT_INTS(cmd(c, "BITFIELD_RO nokey GET u8 0"), 0);
    expect_int(cmd(c, "EXISTS nokey"), 0);
    expect_error(cmd(c, "BITFIELD_RO k SET u8 0 1"), "ERR BITFIELD_RO only supports the GET subcommand");
    expect_error(cmd(c, "BITFIELD_RO k GET u8 0 INCRBY u8 0 1"),
                 "ERR BITFIELD_RO only supports the GET subcommand");
    expect_error(cmd(c, "BITFIELD_RO k GET u64 0 SET u8 0 1"), BAD_TYPE); /* parse errors come first */
    expect_bulk(cmd(c, "GET k"), "A");
    expect_int(cmd(c, "RPUSH l a"), 1);
    expect_error(cmd(c, "BITFIELD_RO l GET u8 0"), WRONGTYPE);
    redisFree(c);
}

/* RESP3: a FAIL overflow is a RESP3 null inside the array. */
static void test_bitfield_resp3(void **state) {
    redisContext *c = fresh();
    redisFree(c);
    int fd = raw_connect(srv.port);
    r3 *r = r3_cmds(fd, "HELLO 3");
    assert_non_null(r);
    assert_int_equal(r->type, R3_MAP);
    r3_free(r);
    r = r3_cmds(fd, "BITFIELD r3 OVERFLOW FAIL INCRBY u2 0 5 INCRBY u2 0 1");
    assert_int_equal(r->type, R3_ARRAY);
    assert_int_equal(r->n, 2);
    assert_int_equal(r->elem[0]->type, R3_NULL);
    assert_int_equal(r->elem[1]->type, R3_INT);
    assert_int_equal(r->elem[1]->integer, 1);
    r3_free(r);
    close(fd);
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

static void test_bit_events(void **state) {
    testServer ts = {0};
    const char *extra[] = {"--notify-keyspace-events", "E$g", NULL};
    assert_int_equal(ts_start(&ts, extra), 0);
    redisContext *c = ts_connect(&ts);
    redisContext *sub = ts_connect(&ts);
    freeReplyObject(cmd(sub, "PSUBSCRIBE __keyevent@0__:*"));
    expect_int(cmd(c, "SETBIT a 1 1"), 0);
    expect_event(sub, "setbit", "a");
    expect_int(cmd(c, "SETBIT a 1 1"), 1); /* no change: no event */
    EXPECT_INTS(cmd(c, "BITFIELD a GET u8 0 SET u8 0 64"), 64, 64);
    EXPECT_INTS(cmd(c, "BITFIELD a SET u8 0 65"), 64);
    expect_event(sub, "setbit", "a");
    expect_int(cmd(c, "BITOP NOT b a"), 1);
    expect_event(sub, "set", "b");
    expect_int(cmd(c, "BITOP AND b nokey"), 0);
    expect_event(sub, "del", "b");
    redisFree(sub);
    redisFree(c);
    ts_stop(&ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setbit_getbit),
        cmocka_unit_test(test_setbit_errors),
        cmocka_unit_test(test_bit_offset_limit),
        cmocka_unit_test(test_bitcount),
        cmocka_unit_test(test_bitcount_errors),
        cmocka_unit_test(test_bitpos),
        cmocka_unit_test(test_bitpos_errors),
        cmocka_unit_test(test_bitop),
        cmocka_unit_test(test_bitop_long),
        cmocka_unit_test(test_bitop_errors),
        cmocka_unit_test(test_bitfield_basics),
        cmocka_unit_test(test_bitfield_overflow),
        cmocka_unit_test(test_bitfield_overflow_model),
        cmocka_unit_test(test_bitfield_errors),
        cmocka_unit_test(test_bitfield_ro),
        cmocka_unit_test(test_bitfield_resp3),
        cmocka_unit_test(test_bit_events),
    };
    return cmocka_run_group_tests_name("bitops", tests, group_start_server, group_stop_server);
}
