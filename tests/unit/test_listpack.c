/* test_listpack.c: the listpack byte format entry by entry (every integer
 * width, every string length class, the backlen sizes), traversal both
 * ways, insert/replace/delete anywhere, search, the unknown-count header,
 * and validation of corrupt blobs (including random corruption, which must
 * never be read out of bounds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/listpack.h"
#include "core/zmalloc.h"

/* The bytes of a one-entry listpack: header, entry, terminator. */
static void expect_single(unsigned char *lp, const unsigned char *entry, size_t n) {
    assert_int_equal(lp_bytes(lp), 6 + n + 1);
    assert_int_equal(lp[4], 1);
    assert_int_equal(lp[5], 0);
    assert_memory_equal(lp + 6, entry, n);
    assert_int_equal(lp[6 + n], 0xFF);
    assert_true(lp_validate(lp, lp_bytes(lp), 1, NULL, NULL));
}

static void test_integer_encodings(void **state) {
    struct {
        long long v;
        unsigned char bytes[12];
        size_t n; /* entry plus backlen */
    } cases[] = {
        {0, {0x00, 0x01}, 2},
        {127, {0x7F, 0x01}, 2},
        {128, {0xC0, 0x80, 0x02}, 3},
        {-1, {0xDF, 0xFF, 0x02}, 3},
        {4095, {0xCF, 0xFF, 0x02}, 3},
        {-4096, {0xD0, 0x00, 0x02}, 3},
        {4096, {0xF1, 0x00, 0x10, 0x03}, 4},
        {-4097, {0xF1, 0xFF, 0xEF, 0x03}, 4},
        {32767, {0xF1, 0xFF, 0x7F, 0x03}, 4},
        {32768, {0xF2, 0x00, 0x80, 0x00, 0x04}, 5},
        {-8388608, {0xF2, 0x00, 0x00, 0x80, 0x04}, 5},
        {8388608, {0xF3, 0x00, 0x00, 0x80, 0x00, 0x05}, 6},
        {INT32_MIN, {0xF3, 0x00, 0x00, 0x00, 0x80, 0x05}, 6},
        {(long long)INT32_MAX + 1, {0xF4, 0x00, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0x09}, 10},
        {INT64_MIN, {0xF4, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x09}, 10},
        {INT64_MAX, {0xF4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x09}, 10},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char *lp = lp_append_int(lp_new(0), cases[i].v);
        expect_single(lp, cases[i].bytes, cases[i].n);
        size_t len;
        long long v = 0;
        assert_null(lp_get(lp_first(lp), &len, &v));
        assert_true(v == cases[i].v);
        lp_free(lp);
        /* The same number given as a string is stored as an integer. */
        char buf[32];
        int l = snprintf(buf, sizeof(buf), "%lld", cases[i].v);
        lp = lp_append(lp_new(0), buf, (size_t)l);
        expect_single(lp, cases[i].bytes, cases[i].n);
        char ib[LP_INTBUF_SIZE];
        const char *s = lp_get_str(lp_first(lp), &len, ib);
        assert_int_equal(len, (size_t)l);
        assert_memory_equal(s, buf, len);
        lp_free(lp);
    }
}

static void test_string_encodings(void **state) {
    /* Not canonical integers: stay strings. */
    const char *strs[] = {"",   "a", "007", "-0", "+1", "1 ", "9223372036854775808", "-9223372036854775809",
                          "1.5"};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        size_t n = strlen(strs[i]);
        unsigned char *lp = lp_append(lp_new(0), strs[i], n);
        unsigned char want[32];
        want[0] = (unsigned char)(0x80 | n);
        memcpy(want + 1, strs[i], n);
        want[1 + n] = (unsigned char)(1 + n);
        expect_single(lp, want, n + 2);
        size_t len;
        long long v;
        const unsigned char *s = lp_get(lp_first(lp), &len, &v);
        assert_non_null(s);
        assert_int_equal(len, n);
        lp_free(lp);
    }
    /* Length classes: 6-bit up to 63, 12-bit up to 4095, then 32-bit. */
    struct {
        size_t len, hdr, backlen;
        unsigned char h0, h1;
    } classes[] = {
        {63, 1, 1, 0xBF, 0},       {64, 2, 1, 0xE0, 0x40},    {125, 2, 1, 0xE0, 125},
        {126, 2, 2, 0xE0, 126},    {4095, 2, 2, 0xEF, 0xFF},  {4096, 5, 2, 0xF0, 0x00},
        {16377, 5, 2, 0xF0, 0xF9}, {16378, 5, 3, 0xF0, 0xFA}, {70000, 5, 3, 0xF0, 0x70},
    };
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        size_t n = classes[i].len;
        char *s = malloc(n);
        memset(s, 'x', n);
        unsigned char *lp = lp_append(lp_new(0), s, n);
        assert_int_equal(lp_bytes(lp), 6 + classes[i].hdr + n + classes[i].backlen + 1);
        assert_int_equal(lp[6], classes[i].h0);
        if (classes[i].hdr > 1) assert_int_equal(lp[7], classes[i].h1);
        assert_true(lp_validate(lp, lp_bytes(lp), 1, NULL, NULL));
        /* The backlen reads back: the entry is found from the tail. */
        assert_ptr_equal(lp_last(lp), lp_first(lp));
        size_t len;
        long long v;
        assert_ptr_equal(lp_get(lp_last(lp), &len, &v), lp + 6 + classes[i].hdr);
        assert_int_equal(len, n);
        lp_free(lp);
        free(s);
    }
}

/* A listpack of the strings "e0".."e<n-1>", mixed with integers i*1000 on
 * odd positions, so every traversal crosses several encodings. */
static unsigned char *sample(int n) {
    unsigned char *lp = lp_new(0);
    char buf[32];
    for (int i = 0; i < n; i++) {
        if (i % 2)
            lp = lp_append_int(lp, (long long)i * 1000);
        else
            lp = lp_append(lp, buf, (size_t)snprintf(buf, sizeof(buf), "e%d", i));
    }
    return lp;
}

static void expect_entry(const unsigned char *p, int i) {
    char want[32], ib[LP_INTBUF_SIZE];
    int wl = i % 2 ? snprintf(want, sizeof(want), "%d", i * 1000) : snprintf(want, sizeof(want), "e%d", i);
    size_t len;
    const char *s = lp_get_str(p, &len, ib);
    assert_int_equal(len, (size_t)wl);
    assert_memory_equal(s, want, len);
}

static void test_traversal_and_seek(void **state) {
    unsigned char *lp = sample(50);
    assert_int_equal(lp_length(lp), 50);
    int i = 0;
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) expect_entry(p, i++);
    assert_int_equal(i, 50);
    for (unsigned char *p = lp_last(lp); p; p = lp_prev(lp, p)) expect_entry(p, --i);
    assert_int_equal(i, 0);
    for (i = 0; i < 50; i++) {
        expect_entry(lp_seek(lp, i), i);
        expect_entry(lp_seek(lp, i - 50), i);
    }
    assert_null(lp_seek(lp, 50));
    assert_null(lp_seek(lp, -51));
    lp_free(lp);
    lp = lp_new(0);
    assert_null(lp_first(lp));
    assert_null(lp_last(lp));
    assert_null(lp_seek(lp, 0));
    assert_int_equal(lp_length(lp), 0);
    lp_free(lp);
}

static void test_insert_replace_delete(void **state) {
    unsigned char *lp = lp_append(lp_append(lp_new(0), "a", 1), "c", 1), *p, *next;
    lp = lp_insert(lp, "b", 1, lp_first(lp), LP_AFTER, &p); /* a b c */
    assert_true(lp_equals(p, "b", 1));
    lp = lp_insert_int(lp, -5, lp_first(lp), LP_BEFORE, &p); /* -5 a b c */
    assert_true(lp_equals(p, "-5", 2));
    lp = lp_prepend(lp, "first", 5);
    lp = lp_append_int(lp, 70000); /* first -5 a b c 70000 */
    assert_int_equal(lp_length(lp), 6);
    p = lp_seek(lp, 3);
    lp = lp_replace(lp, &p, "a much longer value than before", 31);
    assert_true(lp_equals(p, "a much longer value than before", 31));
    assert_true(lp_equals(lp_next(lp, p), "c", 1));
    assert_true(lp_equals(lp_prev(lp, p), "a", 1));
    lp = lp_replace_int(lp, &p, 3); /* shrinks in place */
    assert_int_equal(lp_length(lp), 6);
    const char *want[] = {"first", "-5", "a", "3", "c", "70000"};
    int i = 0;
    for (p = lp_first(lp); p; p = lp_next(lp, p)) assert_true(lp_equals(p, want[i], strlen(want[i]))), i++;
    /* delete in the middle: next is the entry after */
    lp = lp_delete(lp, lp_seek(lp, 2), &next);
    assert_true(lp_equals(next, "3", 1));
    assert_true(lp_equals(lp_prev(lp, next), "-5", 2));
    /* delete the last: next is NULL */
    lp = lp_delete(lp, lp_last(lp), &next);
    assert_null(next);
    assert_int_equal(lp_length(lp), 4);
    assert_true(lp_validate(lp, lp_bytes(lp), 1, NULL, NULL));
    /* ranges */
    lp = lp_delete_range(lp, 1, 2); /* first c */
    assert_int_equal(lp_length(lp), 2);
    assert_true(lp_equals(lp_last(lp), "c", 1));
    p = lp_first(lp);
    lp = lp_delete_range_at(lp, &p, 10); /* past the end: everything */
    assert_null(p);
    assert_int_equal(lp_length(lp), 0);
    assert_int_equal(lp_bytes(lp), 7);
    lp_free(lp);
}

static void test_batch_delete_and_find(void **state) {
    unsigned char *lp = sample(20);
    unsigned char *ps[5];
    int del[5] = {0, 3, 4, 11, 19};
    for (int i = 0; i < 5; i++) ps[i] = lp_seek(lp, del[i]);
    lp = lp_batch_delete(lp, ps, 5);
    assert_int_equal(lp_length(lp), 15);
    assert_true(lp_validate(lp, lp_bytes(lp), 1, NULL, NULL));
    int k = 0;
    for (int i = 0; i < 20; i++) {
        if (i == 0 || i == 3 || i == 4 || i == 11 || i == 19) continue;
        expect_entry(lp_seek(lp, k++), i);
    }
    /* find: strings by bytes, integers by value, with a skip */
    assert_ptr_equal(lp_find(lp, lp_first(lp), "e2", 2, 0), lp_seek(lp, 1));
    assert_ptr_equal(lp_find(lp, lp_first(lp), "5000", 4, 0), lp_seek(lp, 2));
    assert_null(lp_find(lp, lp_first(lp), "05000", 5, 0));
    assert_null(lp_find(lp, lp_first(lp), "nope", 4, 0));
    /* entries 1, 3, 5...: e2 at 1, e6 at 3; skip 1 from the first sees only 0, 2, 4 */
    assert_null(lp_find(lp, lp_first(lp), "e2", 2, 1));
    assert_ptr_equal(lp_find(lp, lp_seek(lp, 1), "e6", 2, 1), lp_seek(lp, 3));
    lp_free(lp);
}

static void test_unknown_count(void **state) {
    unsigned char *lp = lp_new(0);
    for (long long i = 0; i < 70000; i++) lp = lp_append_int(lp, i);
    assert_int_equal(lp[4] | lp[5] << 8, 65535);
    assert_int_equal(lp_length(lp), 70000);
    assert_true(lp_validate(lp, lp_bytes(lp), 1, NULL, NULL));
    long long v;
    size_t len;
    assert_null(lp_get(lp_seek(lp, -1), &len, &v));
    assert_true(v == 69999);
    assert_null(lp_get(lp_seek(lp, 65536), &len, &v));
    assert_true(v == 65536);
    lp = lp_delete_range(lp, 0, 10000);
    assert_int_equal(lp_length(lp), 60000); /* scanned, then the header is exact again */
    assert_int_equal(lp[4] | lp[5] << 8, 60000);
    lp_free(lp);
}

static void test_next_random(void **state) {
    unsigned char *lp = sample(30);
    for (unsigned long want = 0; want <= 30; want += 5) {
        unsigned long index = 0, picked = 0, last = 0;
        unsigned char *p = lp_first(lp);
        for (unsigned long left = want; left; left--) {
            p = lp_next_random(lp, p, &index, left, 0);
            assert_non_null(p);
            assert_ptr_equal(p, lp_seek(lp, (long)index));
            assert_true(picked == 0 || index > last);
            last = index;
            picked++;
            p = lp_next(lp, p);
            index++;
        }
        assert_int_equal(picked, want);
    }
    /* pairs: only even indexes */
    unsigned long index = 0;
    unsigned char *p = lp_first(lp);
    for (unsigned long left = 15; left; left--) {
        p = lp_next_random(lp, p, &index, left, 1);
        assert_non_null(p);
        assert_int_equal(index % 2, 0);
        p = lp_next(lp, lp_next(lp, p));
        index += 2;
    }
    lp_free(lp);
}

static int count_entries(const unsigned char *p, void *ctx) {
    (*(int *)ctx)++;
    return 1;
}
static int reject_third(const unsigned char *p, void *ctx) { return ++*(int *)ctx != 3; }

static void test_validation(void **state) {
    unsigned char *lp = sample(10);
    size_t n = lp_bytes(lp);
    int seen = 0;
    assert_true(lp_validate(lp, n, 1, count_entries, &seen));
    assert_int_equal(seen, 10);
    seen = 0;
    assert_false(lp_validate(lp, n, 1, reject_third, &seen));
    unsigned char *bad = malloc(n + 16);
#define CORRUPT(stmt, size)                                                                                  \
    do {                                                                                                     \
        memcpy(bad, lp, n);                                                                                  \
        stmt;                                                                                                \
        assert_false(lp_validate(bad, size, 1, NULL, NULL));                                                 \
    } while (0)
    CORRUPT((void)0, n - 1);                                /* size differs from the header */
    CORRUPT(bad[n - 1] = 0x00, n);                          /* no terminator */
    CORRUPT(bad[6] = 0xF5, n);                              /* unknown encoding */
    CORRUPT(bad[6] = 0xBF, n);                              /* string length runs past the end */
    CORRUPT(bad[9] = 0x05, n);                              /* backlen does not match */
    CORRUPT(bad[4] = 11, n);                                /* count does not match */
    CORRUPT(bad[6] = 0xFF, n);                              /* terminator in the middle */
    CORRUPT((bad[4] = 1, bad[6] = 0xE1, bad[7] = 0x00), n); /* 12-bit length past the end */
    /* a 32-bit string header whose length wraps past the end */
    CORRUPT((bad[4] = 1, bad[6] = 0xF0, bad[7] = 0xFF, bad[8] = 0xFF, bad[9] = 0xFF, bad[10] = 0xFF), n);
    assert_false(lp_validate(lp, 6, 1, NULL, NULL)); /* shorter than a header */
    /* shallow validation checks the header only */
    CORRUPT(bad[6] = 0xF5, n);
    assert_true(lp_validate(bad, n, 0, NULL, NULL));
#undef CORRUPT
    /* Random corruption: validation never reads outside the blob (the
     * sanitizer build checks), and what passes can be walked. */
    srand(1234);
    for (int round = 0; round < 20000; round++) {
        size_t sz = n - (size_t)(rand() % 3);
        unsigned char *b = malloc(sz);
        memcpy(b, lp, sz);
        b[0] = (unsigned char)sz; /* keep the size right most of the time */
        int flips = 1 + rand() % 3;
        for (int f = 0; f < flips; f++) b[6 + rand() % (int)(sz - 6)] = (unsigned char)rand();
        if (lp_validate(b, sz, 1, NULL, NULL)) {
            unsigned long count = 0;
            char ib[LP_INTBUF_SIZE];
            for (unsigned char *p = lp_first(b); p; p = lp_next(b, p)) {
                size_t len;
                lp_get_str(p, &len, ib);
                count++;
            }
            for (unsigned char *p = lp_last(b); p; p = lp_prev(b, p)) count--;
            assert_int_equal(count, 0);
        }
        free(b);
    }
    free(bad);
    lp_free(lp);
}

static void test_sizes_and_copies(void **state) {
    unsigned char *lp = lp_new(1000);
    assert_true(zmalloc_size(lp) >= 1000);
    lp = lp_append(lp, "x", 1);
    lp = lp_shrink_to_fit(lp);
    assert_true(zmalloc_size(lp) < 1000);
    unsigned char *d = lp_dup(lp);
    assert_memory_equal(d, lp, lp_bytes(lp));
    assert_true(lp_safe_to_add(NULL, LP_MAX_SAFE_SIZE));
    assert_false(lp_safe_to_add(lp, LP_MAX_SAFE_SIZE));
    assert_int_equal(lp_estimate_int_bytes(5, 10), 20);
    assert_int_equal(lp_estimate_int_bytes(1000, 10), 30);
    assert_int_equal(lp_estimate_int_bytes(INT64_MAX, 2), 20);
    lp_free(d);
    lp_free(lp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_encodings),     cmocka_unit_test(test_string_encodings),
        cmocka_unit_test(test_traversal_and_seek),    cmocka_unit_test(test_insert_replace_delete),
        cmocka_unit_test(test_batch_delete_and_find), cmocka_unit_test(test_unknown_count),
        cmocka_unit_test(test_next_random),           cmocka_unit_test(test_validation),
        cmocka_unit_test(test_sizes_and_copies),
    };
    return cmocka_run_group_tests_name("listpack", tests, NULL, NULL);
}
