/* test_crc64.c: unit tests for core/crc64.c.
 *
 * Checks the catalogued check value of CRC-64/Jones, that a CRC continues
 * correctly across any split of its input (the RDB writer relies on it),
 * and compares the slice-by-8 code against an independent bit-at-a-time
 * model written in the unreflected (MSB-first) form, on buffers of every
 * length 0..100 and every start alignment. Uses only crc64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/crc64.h"

static uint8_t reverse8(uint8_t b) {
    uint8_t r = 0;
    for (int i = 0; i < 8; i++) r |= (uint8_t)(((b >> i) & 1) << (7 - i));
    return r;
}

static uint64_t reverse64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) r |= ((v >> i) & 1) << (63 - i);
    return r;
}

/* MSB-first CRC with the normal polynomial on bit-reversed bytes, result
 * reversed: the definition of a reflected CRC, spelled out the slow way.
 * `crc` is given and returned in reflected form like crc64(). */
static uint64_t model_crc64(uint64_t crc, const uint8_t *p, size_t len) {
    uint64_t reg = reverse64(crc);
    for (size_t i = 0; i < len; i++) {
        reg ^= (uint64_t)reverse8(p[i]) << 56;
        for (int bit = 0; bit < 8; bit++)
            reg = (reg & (1ULL << 63)) ? (reg << 1) ^ 0xad93d23594c935a9ULL : reg << 1;
    }
    return reverse64(reg);
}

static void fill_pattern(uint8_t *buf, size_t len) {
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
}

static void test_check_value(void **state) {
    crc64_init();
    crc64_init(); /* idempotent */
    assert_true(crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
    assert_true(model_crc64(0, (const uint8_t *)"123456789", 9) == 0xe9c6d914c4b8d9caULL);
}

static void test_empty_and_zero_length(void **state) {
    assert_true(crc64(0, "", 0) == 0);
    assert_true(crc64(0x1234, "ignored", 0) == 0x1234);
    /* With init 0 and no xor, zero bytes keep a zero register at zero. */
    uint8_t zeros[32] = {0};
    assert_true(crc64(0, zeros, sizeof(zeros)) == 0);
    assert_true(crc64(0, "a", 1) != 0);
}

static void test_incremental_every_split(void **state) {
    uint8_t buf[300];
    fill_pattern(buf, sizeof(buf));
    uint64_t whole = crc64(0, buf, sizeof(buf));
    for (size_t cut = 0; cut <= sizeof(buf); cut++) {
        uint64_t c = crc64(0, buf, cut);
        assert_true(crc64(c, buf + cut, sizeof(buf) - cut) == whole);
    }
    /* Three pieces with odd sizes, and byte by byte. */
    uint64_t c = crc64(0, buf, 7);
    c = crc64(c, buf + 7, 131);
    c = crc64(c, buf + 138, sizeof(buf) - 138);
    assert_true(c == whole);
    c = 0;
    for (size_t i = 0; i < sizeof(buf); i++) c = crc64(c, buf + i, 1);
    assert_true(c == whole);
    /* The check value split in two. */
    assert_true(crc64(crc64(0, "1234", 4), "56789", 5) == 0xe9c6d914c4b8d9caULL);
}

static void test_matches_bitwise_model(void **state) {
    uint8_t buf[128];
    fill_pattern(buf, sizeof(buf));
    for (size_t off = 0; off < 8; off++)
        for (size_t len = 0; len + off <= 108; len++) {
            uint64_t want = model_crc64(0, buf + off, len);
            assert_true(crc64(0, buf + off, len) == want);
            /* and from a non-zero starting register */
            assert_true(crc64(0xdeadbeefcafef00dULL, buf + off, len) ==
                        model_crc64(0xdeadbeefcafef00dULL, buf + off, len));
        }
}

static void test_large_buffer(void **state) {
    static uint8_t big[1 << 20];
    fill_pattern(big, sizeof(big));
    uint64_t fast = crc64(0, big, sizeof(big));
    assert_true(fast == model_crc64(0, big, sizeof(big)));
    big[12345] ^= 1; /* a single flipped bit changes the CRC */
    assert_true(crc64(0, big, sizeof(big)) != fast);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_value),
        cmocka_unit_test(test_empty_and_zero_length),
        cmocka_unit_test(test_incremental_every_split),
        cmocka_unit_test(test_matches_bitwise_model),
        cmocka_unit_test(test_large_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
