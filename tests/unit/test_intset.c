/* test_intset.c: the intset byte layout, ordering, upgrades from 16 to 32
 * to 64 bits (values landing first or last), removal, random picks and
 * validation of corrupt blobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/intset.h"

static intset *add(intset *is, int64_t v, int want_added) {
    int added;
    is = intset_add(is, v, &added);
    assert_int_equal(added, want_added);
    return is;
}

static void expect_values(const intset *is, const int64_t *want, uint32_t n) {
    assert_int_equal(intset_len(is), n);
    for (uint32_t i = 0; i < n; i++) {
        int64_t v;
        assert_true(intset_get(is, i, &v));
        assert_true(v == want[i]);
    }
    int64_t v;
    assert_false(intset_get(is, n, &v));
    assert_true(intset_validate((const unsigned char *)is, intset_blob_len(is), 1));
}

static void test_layout_and_order(void **state) {
    intset *is = intset_new();
    is = add(is, 5, 1);
    is = add(is, -1, 1);
    is = add(is, 10000, 1);
    is = add(is, 5, 0);
    const unsigned char want[] = {2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 5, 0, 0x10, 0x27};
    assert_int_equal(intset_blob_len(is), sizeof(want));
    assert_memory_equal(is, want, sizeof(want));
    assert_true(intset_find(is, 10000));
    assert_false(intset_find(is, 6));
    assert_false(intset_find(is, 1LL << 40)); /* wider than the encoding: absent */
    assert_true(intset_min(is) == -1);
    assert_true(intset_max(is) == 10000);
    intset_free(is);
}

static void test_upgrades(void **state) {
    intset *is = intset_new();
    is = add(is, 1, 1);
    is = add(is, 2, 1);
    assert_int_equal(intset_width(is), 2);
    is = add(is, 65536, 1); /* positive: appended, widened to 32 bits */
    assert_int_equal(intset_width(is), 4);
    expect_values(is, (int64_t[]){1, 2, 65536}, 3);
    is = add(is, -40000, 1);
    assert_int_equal(intset_width(is), 4);
    is = add(is, INT64_MIN, 1); /* negative: prepended, widened to 64 bits */
    assert_int_equal(intset_width(is), 8);
    expect_values(is, (int64_t[]){INT64_MIN, -40000, 1, 2, 65536}, 5);
    is = add(is, INT64_MAX, 1);
    is = add(is, 3, 1);
    expect_values(is, (int64_t[]){INT64_MIN, -40000, 1, 2, 3, 65536, INT64_MAX}, 7);
    /* 16 -> 64 directly, value first */
    intset *small = add(add(intset_new(), 7, 1), -3, 1);
    small = add(small, -(1LL << 40), 1);
    expect_values(small, (int64_t[]){-(1LL << 40), -3, 7}, 3);
    assert_int_equal(intset_width(small), 8);
    /* little endian 64-bit values in the blob */
    const unsigned char *b = (const unsigned char *)small;
    assert_int_equal(b[0], 8);
    assert_int_equal(b[8 + 8], 0xfd); /* -3 */
    assert_int_equal(b[8 + 15], 0xff);
    intset_free(small);
    intset_free(is);
}

static void test_remove_and_random(void **state) {
    intset *is = intset_new();
    for (int64_t i = 0; i < 100; i++) is = add(is, i * 3, 1);
    int removed;
    is = intset_remove(is, 4, &removed);
    assert_int_equal(removed, 0);
    is = intset_remove(is, 1LL << 50, &removed); /* wider than the set */
    assert_int_equal(removed, 0);
    is = intset_remove(is, 0, &removed);
    assert_int_equal(removed, 1);
    is = intset_remove(is, 297, &removed);
    assert_int_equal(removed, 1);
    is = intset_remove(is, 150, &removed);
    assert_int_equal(removed, 1);
    assert_int_equal(intset_len(is), 97);
    assert_false(intset_find(is, 150));
    assert_true(intset_find(is, 153));
    assert_true(intset_validate((const unsigned char *)is, intset_blob_len(is), 1));
    for (int i = 0; i < 1000; i++) {
        int64_t r = intset_random(is);
        assert_true(intset_find(is, r));
    }
    intset *d = intset_dup(is);
    assert_memory_equal(d, is, intset_blob_len(is));
    intset_free(d);
    while (intset_len(is)) is = intset_remove(is, intset_max(is), &removed);
    assert_int_equal(intset_blob_len(is), 8);
    intset_free(is);
}

static void test_validation(void **state) {
    const unsigned char ok[] = {2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 5, 0, 0x10, 0x27};
    unsigned char b[sizeof(ok)];
    assert_true(intset_validate(ok, sizeof(ok), 1));
    assert_false(intset_validate(ok, sizeof(ok) - 1, 0)); /* size and count disagree */
    assert_false(intset_validate(ok, 7, 0));              /* no room for a header */
    memcpy(b, ok, sizeof(b));
    b[0] = 3; /* unknown width */
    assert_false(intset_validate(b, sizeof(b), 0));
    memcpy(b, ok, sizeof(b));
    b[10] = 0x20; /* 5 becomes 32: still ascending */
    assert_true(intset_validate(b, sizeof(b), 1));
    b[12] = 0x01, b[13] = 0; /* 1 after 32: not ascending */
    assert_false(intset_validate(b, sizeof(b), 1));
    assert_true(intset_validate(b, sizeof(b), 0)); /* shallow does not look at values */
    memcpy(b, ok, sizeof(b));
    b[10] = 0xff, b[11] = 0xff; /* duplicate -1 */
    assert_false(intset_validate(b, sizeof(b), 1));
    const unsigned char empty[] = {2, 0, 0, 0, 0, 0, 0, 0};
    assert_false(intset_validate(empty, sizeof(empty), 0));
    const unsigned char huge[] = {8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}; /* count overflows the size */
    assert_false(intset_validate(huge, sizeof(huge), 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_and_order),
        cmocka_unit_test(test_upgrades),
        cmocka_unit_test(test_remove_and_random),
        cmocka_unit_test(test_validation),
    };
    return cmocka_run_group_tests_name("intset", tests, NULL, NULL);
}
