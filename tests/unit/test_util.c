/* test_util.c: unit tests for core/util.c.
 *
 * The conversions decide reply bytes and "not an integer" errors, so they
 * are pinned case by case against what Redis 7.2 does: string2ll's
 * strictness, string2d's refusals, ll2string's buffer rules, d2string's
 * text for every layout fpconv (Grisu2) produces, including the doubles
 * where Grisu2 is not the shortest or closest text, and ld2string_human
 * (INCRBYFLOAT). The glob matcher is checked on every construct and on the
 * quirks Redis has (empty subject, classes), plus a pathological pattern
 * that must stay fast; memtoull on units and edge inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------- integers */

static void test_string2ll_accepts_canonical_integers(void **state) {
    static const struct {
        const char *s;
        long long v;
    } ok[] = {
        {"0", 0},
        {"1", 1},
        {"-1", -1},
        {"1234567890", 1234567890},
        {"9223372036854775807", LLONG_MAX},
        {"-9223372036854775808", LLONG_MIN},
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        long long v = 42;
        assert_int_equal(string2ll(ok[i].s, strlen(ok[i].s), &v), 1);
        assert_true(v == ok[i].v);
    }
    /* Only slen bytes are read; the value pointer may be NULL. */
    long long v;
    assert_int_equal(string2ll("12345", 3, &v), 1);
    assert_int_equal(v, 123);
    assert_int_equal(string2ll("77", 2, NULL), 1);
}

static void test_string2ll_rejects_everything_else(void **state) {
    static const char *bad[] = {
        "",
        "-",
        "+1",
        " 1",
        "1 ",
        "01",
        "-0",
        "00",
        "1a",
        "0x10",
        "1.0",
        "1e3",
        "9223372036854775808",   /* LLONG_MAX + 1 */
        "-9223372036854775809",  /* LLONG_MIN - 1 */
        "18446744073709551616",  /* wraps an unsigned 64-bit value */
        "123456789012345678901", /* 21 characters */
        "--1",
    };
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        long long v = 42;
        assert_int_equal(string2ll(bad[i], strlen(bad[i]), &v), 0);
        assert_int_equal(v, 42); /* untouched on failure */
    }
    /* A NUL inside the given length is not a digit. */
    assert_int_equal(string2ll("1\0002", 3, NULL), 0);
}

static void test_string2l_and_string2ull(void **state) {
    long l;
    assert_int_equal(string2l("-42", 3, &l), 1);
    assert_int_equal(l, -42);
    assert_int_equal(string2l("x", 1, &l), 0);

    unsigned long long u;
    assert_int_equal(string2ull("18446744073709551615", &u), 1);
    assert_true(u == ULLONG_MAX);
    assert_int_equal(string2ull("9223372036854775808", &u), 1);
    assert_true(u == 9223372036854775808ULL);
    assert_int_equal(string2ull("0", &u), 1);
    assert_true(u == 0);
    assert_int_equal(string2ull("18446744073709551616", &u), 0);
    assert_int_equal(string2ull("-1", &u), 0);
    assert_int_equal(string2ull("", &u), 0);
    assert_int_equal(string2ull("12x", &u), 0);
}

static void test_ll2string(void **state) {
    static const struct {
        long long v;
        const char *s;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {-7, "-7"},
                 {1000000, "1000000"},
                 {LLONG_MAX, "9223372036854775807"},
                 {LLONG_MIN, "-9223372036854775808"}};
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char buf[32];
        int n = ll2string(buf, sizeof(buf), cases[i].v);
        assert_int_equal(n, strlen(cases[i].s));
        assert_string_equal(buf, cases[i].s);
    }
    /* The terminator must fit too: 5 digits need 6 bytes. */
    char buf[8];
    assert_int_equal(ll2string(buf, 6, 12345), 5);
    assert_string_equal(buf, "12345");
    assert_int_equal(ll2string(buf, 5, 12345), 0);
    assert_string_equal(buf, "");
    assert_int_equal(ll2string(buf, 3, -12), 0);
    assert_int_equal(ll2string(buf, 4, -12), 3);
    assert_string_equal(buf, "-12");

    assert_int_equal(ull2string(buf, sizeof(buf), 1234567), 7);
    assert_string_equal(buf, "1234567");
    char big[24];
    assert_int_equal(ull2string(big, sizeof(big), ULLONG_MAX), 20);
    assert_string_equal(big, "18446744073709551615");
}

/* ----------------------------------------------------------- doubles */

static void test_string2d(void **state) {
    static const struct {
        const char *s;
        double v;
    } ok[] = {
        {"1.5", 1.5},
        {"-0.1", -0.1},
        {"1e10", 1e10},
        {"10", 10},
        {".5", 0.5},
        {"5.", 5},
        {"+3", 3},
        {"0x1p3", 8}, /* strtod's hex floats, as Redis */
        {"4.9e-324", 4.9e-324},
        {"1.7976931348623157e308", 1.7976931348623157e308},
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        double v = 0;
        assert_int_equal(string2d(ok[i].s, strlen(ok[i].s), &v), 1);
        assert_true(v == ok[i].v);
    }
    double v;
    assert_int_equal(string2d("inf", 3, &v), 1);
    assert_true(isinf(v) && v > 0);
    assert_int_equal(string2d("-inf", 4, &v), 1);
    assert_true(isinf(v) && v < 0);
    /* Only slen bytes count. */
    assert_int_equal(string2d("2.5xyz", 3, &v), 1);
    assert_true(v == 2.5);

    static const char *bad[] = {"",       " 1", "1 ", "abc", "1.5x", "nan", "-nan", "1e400", /* overflows */
                                "1e-400", /* underflows to zero */
                                "--1"};
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        v = 42;
        assert_int_equal(string2d(bad[i], strlen(bad[i]), &v), 0);
        assert_true(v == 42);
    }
}

static void test_string2d_has_no_length_limit(void **state) {
    /* "0.000...0001" with 6000 zeros: long, but a valid double. */
    size_t n = 6004;
    char *s = malloc(n + 1);
    memcpy(s, "0.", 2);
    memset(s + 2, '0', n - 3);
    s[n - 1] = '1';
    s[n] = 'x'; /* not terminated within slen */
    double v = 42;
    assert_int_equal(string2d(s, n, &v), 0); /* 1e-6002 underflows */
    memcpy(s, "1.", 2);
    assert_int_equal(string2d(s, n, &v), 1);
    assert_true(v == 1.0);
    free(s);
}

static void test_string2ld(void **state) {
    long double v;
    assert_int_equal(string2ld("10.5", 4, &v), 1);
    assert_true(v == 10.5L);
    assert_int_equal(string2ld("nan", 3, &v), 0);
    assert_int_equal(string2ld(" 1", 2, &v), 0);
    assert_int_equal(string2ld("1e99999", 7, &v), 0);
    assert_int_equal(string2ld("", 0, &v), 0);
}

static void test_double2ll(void **state) {
    long long ll;
    assert_int_equal(double2ll(3.0, &ll), 1);
    assert_int_equal(ll, 3);
    assert_int_equal(double2ll(-1e15, &ll), 1);
    assert_true(ll == -1000000000000000LL);
    assert_int_equal(double2ll(4611686018427387904.0, &ll), 1); /* 2^62: the last one */
    assert_int_equal(double2ll(9223372036854775808.0, &ll), 0);
    assert_int_equal(double2ll(0.5, &ll), 0);
    assert_int_equal(double2ll(NAN, &ll), 0);
}

/* The text Redis 7.2 prints (d2string: integers via ll2string, everything
 * else via fpconv_dtoa). Each expected string was produced by Redis 7.2.6's
 * own fpconv_dtoa.c. */
static const struct {
    double v;
    const char *text;
} redis_doubles[] = {
    /* integers up to 2^62: no dot, no exponent */
    {3.0, "3"},
    {1e15, "1000000000000000"},
    {1.2e17, "120000000000000000"},
    {4611686018427387904.0, "4611686018427387904"},
    /* beyond 2^62 Grisu2 digits with zeros appended... */
    {9223372036854775808.0, "9223372036854776000"},
    {-9223372036854775808.0, "-9223372036854776000"},
    /* ...until the exponent reaches digits + 7: then scientific, unpadded */
    {1e21, "1e+21"},
    {1.25e21, "1.25e+21"},
    {1.5e20, "1.5e+20"},
    {6.02214076e23, "6.02214076e+23"},
    {1e100, "1e+100"},
    {-1.5e+300, "-1.5e+300"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    /* plain decimals */
    {1.5, "1.5"},
    {1.5e10 + 0.5, "15000000000.5"},
    {0.1, "0.1"},
    {-0.1, "-0.1"},
    {100.25, "100.25"},
    {123456.789, "123456.789"},
    {3.14159, "3.14159"},
    {0.1 + 0.2, "0.30000000000000004"},
    {1.0 / 3, "0.3333333333333333"},
    {2.0 / 3, "0.6666666666666666"},
    {25.252738845706592, "25.252738845706592"},
    /* small numbers: plain down to six places after the point... */
    {1e-5, "0.00001"},
    {1e-6, "0.000001"},
    {0.000123, "0.000123"},
    /* ...then d.ddde-X, with no zero padding of X (never "1e-07") */
    {1e-7, "1e-7"},
    {1.5e-7, "1.5e-7"},
    {0.5e-6, "5e-7"},
    {1.2345e-5, "1.2345e-5"},
    {1234567.0e-10, "1.234567e-4"}, /* ten digits after the point: scientific */
    {123e-20, "1.23e-18"},
    {1e-100, "1e-100"},
    {-1e-300, "-1e-300"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {5e-324, "5e-324"},
    /* Grisu2 is not always shortest: these are where Redis prints more
     * digits, or a different last digit, than printf's shortest would. */
    {1e23, "99999999999999990000000"},
    {5.0374099999999997e+20, "503740999999999970000"},
    {1677449298865390.75, "1677449298865390.7"},
    {-4.6953771363350786e+193, "-4.6953771363350785e+193"},
    {34402338376325.1875, "34402338376325.187"},
};

static void test_d2string_prints_like_redis(void **state) {
    for (size_t i = 0; i < N_ELEMS(redis_doubles); i++) {
        char buf[MAX_D2STRING_CHARS];
        int n = d2string(buf, sizeof(buf), redis_doubles[i].v);
        assert_string_equal(buf, redis_doubles[i].text);
        assert_int_equal(n, strlen(redis_doubles[i].text));
        /* Whatever the layout, the text reads back to the same double. */
        assert_true(strtod(buf, NULL) == redis_doubles[i].v);
    }
}

static void test_d2string_special_values(void **state) {
    char buf[MAX_D2STRING_CHARS];
    d2string(buf, sizeof(buf), 0.0);
    assert_string_equal(buf, "0");
    d2string(buf, sizeof(buf), -0.0);
    assert_string_equal(buf, "-0");
    d2string(buf, sizeof(buf), INFINITY);
    assert_string_equal(buf, "inf");
    d2string(buf, sizeof(buf), -INFINITY);
    assert_string_equal(buf, "-inf");
    d2string(buf, sizeof(buf), NAN);
    assert_string_equal(buf, "nan");
    d2string(buf, sizeof(buf), -NAN);
    assert_string_equal(buf, "nan");
    /* A short buffer truncates and still terminates. */
    assert_int_equal(d2string(buf, 3, 123.5), 2);
    assert_string_equal(buf, "12");
}

static void test_d2string_round_trips(void **state) {
    /* Random bit patterns (finite ones) always read back exactly. */
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof(v));
        if (!isfinite(v)) continue;
        char buf[MAX_D2STRING_CHARS];
        d2string(buf, sizeof(buf), v);
        /* The longest layout: '-', 17 digits and 7 zeros. */
        assert_true(strlen(buf) <= 25);
        assert_true(strtod(buf, NULL) == v);
    }
}

static void test_ld2string_human(void **state) {
    /* INCRBYFLOAT: %.17Lf with trailing zeros and a bare dot removed. */
    static const struct {
        const char *in;
        const char *text;
    } cases[] = {
        {"1.5", "1.5"},
        {"10", "10"},
        {"0.1", "0.1"},
        {"-0.0", "0"},
        {"5.0e3", "5000"},
        {"3e-17", "0.00000000000000003"},
        {"1e20", "100000000000000000000"},
        {"-2.25", "-2.25"},
        {"0.0000000000000000001", "0"}, /* below 17 places: rounds to zero */
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        char buf[MAX_LONG_DOUBLE_CHARS];
        long double v = strtold(cases[i].in, NULL);
        int n = ld2string_human(buf, sizeof(buf), v);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
    /* SET x 10.5; INCRBYFLOAT x 0.1 replies "10.6". */
    char buf[MAX_LONG_DOUBLE_CHARS];
    ld2string_human(buf, sizeof(buf), strtold("10.5", NULL) + strtold("0.1", NULL));
    assert_string_equal(buf, "10.6");

    assert_int_equal(ld2string_human(buf, sizeof(buf), (long double)INFINITY), 3);
    assert_string_equal(buf, "inf");
    assert_int_equal(ld2string_human(buf, sizeof(buf), -(long double)INFINITY), 4);
    assert_string_equal(buf, "-inf");
    assert_int_equal(ld2string_human(buf, sizeof(buf), -(long double)NAN), 3);
    assert_string_equal(buf, "nan");
    /* No room: 0. ("1.5" is printed as "1.50000000000000000" first.) */
    assert_int_equal(ld2string_human(buf, 10, 1.5L), 0);
    assert_int_equal(ld2string_human(buf, 4, -(long double)INFINITY), 0);
}

/* --------------------------------------------------------------- glob */

static const struct {
    const char *pattern, *subject;
    int nocase, match;
} globs[] = {
    /* literals and ? */
    {"hello", "hello", 0, 1},
    {"hello", "hellO", 0, 0},
    {"hello", "hellO", 1, 1},
    {"h?llo", "hallo", 0, 1},
    {"h?llo", "hllo", 0, 0},
    {"?", "", 0, 0},
    {"", "", 0, 1},
    {"", "a", 0, 0},
    /* stars */
    {"*", "anything", 0, 1},
    {"h*o", "ho", 0, 1},
    {"h*o", "hello", 0, 1},
    {"h*o", "hellx", 0, 0},
    {"*llo", "hello", 0, 1},
    {"he*", "he", 0, 1},
    {"a**b", "axxb", 0, 1},
    {"*a*b*", "xxaxxbxx", 0, 1},
    {"*a*b*", "xxbxxaxx", 0, 0},
    {"user:*:name", "user:1000:name", 0, 1},
    {"user:*:name", "user:1000:names", 0, 0},
    /* an empty subject matches only the empty pattern, even "*" (Redis) */
    {"*", "", 0, 0},
    {"**", "", 0, 0},
    /* classes */
    {"h[ae]llo", "hallo", 0, 1},
    {"h[ae]llo", "hillo", 0, 0},
    {"h[^e]llo", "hallo", 0, 1},
    {"h[^e]llo", "hello", 0, 0},
    {"h[a-b]llo", "hbllo", 0, 1},
    {"h[a-b]llo", "hcllo", 0, 0},
    {"h[b-a]llo", "hallo", 0, 1}, /* reversed range */
    {"[A-Z]", "q", 1, 1},
    {"[a-z]", "Q", 1, 1},
    {"[a-z]", "Q", 0, 0},
    {"[abc]", "B", 1, 1},
    {"[\\]]", "]", 0, 1},
    {"[\\-]", "-", 0, 1},
    {"[\\a]", "A", 1, 0}, /* an escaped class member compares case-sensitively */
    {"[a-]", "]", 0, 1},  /* "a-]" is the range ']'..'a', and the class goes on */
    {"[a-]", "-", 0, 0},
    {"[a-]x]", "x", 0, 1},
    {"[abc", "c", 0, 1}, /* unterminated: the class ends with the pattern */
    {"[abc", "d", 0, 0},
    {"[", "[", 0, 0},
    {"[^", "z", 0, 1},
    {"a[]", "a", 0, 0},
    /* escapes */
    {"\\*", "*", 0, 1},
    {"\\*", "x", 0, 0},
    {"\\?x", "?x", 0, 1},
    {"a\\", "a\\", 0, 1}, /* a trailing backslash is literal */
    {"\\[a]", "[a]", 0, 1},
};

static void test_stringmatch_table(void **state) {
    for (size_t i = 0; i < N_ELEMS(globs); i++) {
        int got = stringmatchlen(globs[i].pattern, strlen(globs[i].pattern), globs[i].subject,
                                 strlen(globs[i].subject), globs[i].nocase);
        if (got != globs[i].match)
            fail_msg("pattern \"%s\" subject \"%s\" nocase %d: got %d, want %d", globs[i].pattern,
                     globs[i].subject, globs[i].nocase, got, globs[i].match);
        assert_int_equal(stringmatch(globs[i].pattern, globs[i].subject, globs[i].nocase), globs[i].match);
    }
}

static void test_stringmatch_is_binary_safe(void **state) {
    assert_int_equal(stringmatchlen("a?c", 3, "a\0c", 3, 0), 1);
    assert_int_equal(stringmatchlen("a\0*", 3, "a\0zzz", 5, 0), 1);
    assert_int_equal(stringmatchlen("a\0*", 3, "a\1zzz", 5, 0), 0);
    assert_int_equal(stringmatchlen("*", 1, "\xff\xfe", 2, 1), 1);
    /* Ranges compare signed chars, as Redis does: 0xe9 sorts below 'a'. */
    assert_int_equal(stringmatchlen("[\xe9-a]", 5, "Z", 1, 0), 1);
}

static void test_stringmatch_pathological_pattern_is_fast(void **state) {
    /* Exponential for a naive backtracker; must be quick here. */
    size_t n = 10000;
    char *s = malloc(n);
    memset(s, 'a', n);
    const char *p = "a*a*a*a*a*a*a*a*a*b";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(stringmatchlen(p, strlen(p), s, n, 0), 0);
    s[n - 1] = 'b';
    assert_int_equal(stringmatchlen(p, strlen(p), s, n, 0), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs < 0.5);
    free(s);
}

/* ------------------------------------------------------ memory sizes */

static void test_memtoull(void **state) {
    static const struct {
        const char *in;
        unsigned long long v;
    } ok[] = {
        {"100", 100},
        {"100b", 100},
        {"1k", 1000},
        {"1kb", 1024},
        {"512KB", 512 * 1024},
        {"10m", 10 * 1000 * 1000},
        {"10mb", 10 * 1024 * 1024},
        {"1g", 1000ULL * 1000 * 1000},
        {"1gb", 1024ULL * 1024 * 1024},
        {"1GB", 1024ULL * 1024 * 1024},
        {"0", 0},
        {"", 0}, /* Redis: no digits reads as 0 */
        {"kb", 0},
        {"18446744073709551615", ULLONG_MAX},
        {"99999999999999999999", ULLONG_MAX}, /* beyond 64 bits: saturates, as strtoull */
        {"20000000000gb", ULLONG_MAX},        /* the product would wrap: saturates */
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        int err = 42;
        unsigned long long v = memtoull(ok[i].in, &err);
        assert_int_equal(err, 0);
        assert_true(v == ok[i].v);
    }
    static const char *bad[] = {"-1", "1x", "1.5mb", "1 mb", " 1", "1kbb", "mb1"};
    for (size_t i = 0; i < N_ELEMS(bad); i++) {
        int err = 0;
        assert_true(memtoull(bad[i], &err) == 0);
        assert_int_equal(err, 1);
    }
    /* 128 digits do not fit the conversion buffer. */
    char longnum[200];
    memset(longnum, '1', 128);
    longnum[128] = '\0';
    int err = 0;
    memtoull(longnum, &err);
    assert_int_equal(err, 1);
    assert_true(memtoull("7", NULL) == 7); /* err may be NULL */
}

/* ------------------------------------------------------------ the rest */

static void test_yesnotoi(void **state) {
    assert_int_equal(yesnotoi("yes"), 1);
    assert_int_equal(yesnotoi("YES"), 1);
    assert_int_equal(yesnotoi("no"), 0);
    assert_int_equal(yesnotoi("No"), 0);
    assert_int_equal(yesnotoi("y"), -1);
    assert_int_equal(yesnotoi(""), -1);
}

static void test_random_helpers(void **state) {
    char hex[41];
    random_hex(hex, 40);
    hex[40] = '\0';
    assert_int_equal(strspn(hex, "0123456789abcdef"), 40);
    /* Two 40-character draws colliding would mean no randomness at all. */
    char hex2[41];
    random_hex(hex2, 40);
    hex2[40] = '\0';
    assert_string_not_equal(hex, hex2);
    assert_true(random_u64() != random_u64());
}

static void test_clocks(void **state) {
    long long us = ustime(), ms = mstime();
    assert_true(ms >= us / 1000 && ms <= us / 1000 + 1000);
    long long a = monotonic_us(), b = monotonic_us();
    assert_true(b >= a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string2ll_accepts_canonical_integers),
        cmocka_unit_test(test_string2ll_rejects_everything_else),
        cmocka_unit_test(test_string2l_and_string2ull),
        cmocka_unit_test(test_ll2string),
        cmocka_unit_test(test_string2d),
        cmocka_unit_test(test_string2d_has_no_length_limit),
        cmocka_unit_test(test_string2ld),
        cmocka_unit_test(test_double2ll),
        cmocka_unit_test(test_d2string_prints_like_redis),
        cmocka_unit_test(test_d2string_special_values),
        cmocka_unit_test(test_d2string_round_trips),
        cmocka_unit_test(test_ld2string_human),
        cmocka_unit_test(test_stringmatch_table),
        cmocka_unit_test(test_stringmatch_is_binary_safe),
        cmocka_unit_test(test_stringmatch_pathological_pattern_is_fast),
        cmocka_unit_test(test_memtoull),
        cmocka_unit_test(test_yesnotoi),
        cmocka_unit_test(test_random_helpers),
        cmocka_unit_test(test_clocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
