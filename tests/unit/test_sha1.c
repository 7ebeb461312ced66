/* test_sha1.c: unit tests for core/sha1.c.
 *
 * FIPS 180 / RFC 3174 test vectors ("", "abc", the 448-bit message, one
 * million 'a'), every padding boundary around 55/56/64 bytes checked as
 * one-shot versus streamed, chunked updates at odd sizes, and the hex
 * helper's format (what EVALSHA and DEBUG DIGEST print). Uses only sha1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/sha1.h"

static void expect_hex(const char *msg, const char *want) {
    char hex[SHA1_HEX_LEN + 1];
    sha1_hex(msg, strlen(msg), hex);
    assert_string_equal(hex, want);
}

static void test_vectors(void **state) {
    expect_hex("", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect_hex("abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
    expect_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    expect_hex("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

static void test_million_a(void **state) {
    static char buf[1000000];
    memset(buf, 'a', sizeof(buf));
    char hex[SHA1_HEX_LEN + 1];
    sha1_hex(buf, sizeof(buf), hex);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    /* Same, fed as 1000 x 1000 bytes. */
    sha1_ctx ctx;
    uint8_t d[SHA1_DIGEST_LEN];
    sha1_init(&ctx);
    for (int i = 0; i < 1000; i++) sha1_update(&ctx, buf, 1000);
    sha1_final(&ctx, d);
    sha1_to_hex(d, hex);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* Hashes msg in pieces of the given sizes (cycled) and compares. */
static void check_chunked(const uint8_t *msg, size_t len, const size_t *sizes, int nsizes) {
    uint8_t one[SHA1_DIGEST_LEN], streamed[SHA1_DIGEST_LEN];
    sha1_buf(msg, len, one);
    sha1_ctx ctx;
    sha1_init(&ctx);
    size_t off = 0;
    for (int i = 0; off < len; i++) {
        size_t n = sizes[i % nsizes];
        if (n > len - off) n = len - off;
        sha1_update(&ctx, msg + off, n);
        off += n;
    }
    sha1_final(&ctx, streamed);
    assert_memory_equal(one, streamed, SHA1_DIGEST_LEN);
}

static void test_chunked_updates(void **state) {
    uint8_t msg[1000];
    for (size_t i = 0; i < sizeof(msg); i++) msg[i] = (uint8_t)(i * 131 + 7);
    const size_t odd[] = {1, 63, 65, 3, 127, 0, 64, 17};
    const size_t ones[] = {1};
    const size_t big[] = {200, 1};
    for (size_t len = 0; len <= sizeof(msg); len += 37) {
        check_chunked(msg, len, odd, 8);
        check_chunked(msg, len, ones, 1);
        check_chunked(msg, len, big, 2);
    }
    /* "abc" as "a" + "" + "bc" */
    sha1_ctx ctx;
    uint8_t d[SHA1_DIGEST_LEN];
    char hex[SHA1_HEX_LEN + 1];
    sha1_init(&ctx);
    sha1_update(&ctx, "a", 1);
    sha1_update(&ctx, NULL, 0);
    sha1_update(&ctx, "bc", 2);
    sha1_final(&ctx, d);
    sha1_to_hex(d, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void test_padding_boundaries(void **state) {
    /* Lengths around the point where the length field no longer fits. */
    uint8_t msg[200];
    memset(msg, 'x', sizeof(msg));
    const size_t split[] = {5, 50};
    for (size_t len = 50; len <= 130; len++) check_chunked(msg, len, split, 2);
    /* Known values at 55, 56 and 64 bytes of 'a'. */
    char hex[SHA1_HEX_LEN + 1];
    memset(msg, 'a', sizeof(msg));
    sha1_hex(msg, 55, hex);
    assert_string_equal(hex, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    sha1_hex(msg, 56, hex);
    assert_string_equal(hex, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
    sha1_hex(msg, 64, hex);
    assert_string_equal(hex, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void test_hex_format(void **state) {
    uint8_t d[SHA1_DIGEST_LEN];
    for (int i = 0; i < SHA1_DIGEST_LEN; i++) d[i] = (uint8_t)(i * 17);
    char hex[SHA1_HEX_LEN + 1];
    memset(hex, '#', sizeof(hex));
    sha1_to_hex(d, hex);
    assert_int_equal(strlen(hex), 40);
    assert_string_equal(hex, "00112233445566778899aabbccddeeff10213243");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),         cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_chunked_updates), cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_hex_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
