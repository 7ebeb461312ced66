/* test_sha256.c: unit tests for core/sha256.c.
 *
 * FIPS 180-4 example vectors ("", "abc", the 448-bit message, one million
 * 'a'), the hash of "foobar" (what ACL shows for `>foobar`), padding
 * boundaries around 55/56/64 bytes, chunked updates at odd sizes against
 * the one-shot result, and the hex helper. Uses only sha256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/sha256.h"

static void expect_hex(const void *msg, size_t len, const char *want) {
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(msg, len, hex);
    assert_string_equal(hex, want);
}

static void test_vectors(void **state) {
    expect_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    expect_hex(m448, strlen(m448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    expect_hex("foobar", 6, "c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2");
}

static void test_million_a(void **state) {
    static char buf[1000000];
    memset(buf, 'a', sizeof(buf));
    const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    expect_hex(buf, sizeof(buf), want);
    /* Same, in uneven pieces of 999 and a tail. */
    sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_LEN + 1];
    sha256_init(&ctx);
    size_t off = 0;
    while (off < sizeof(buf)) {
        size_t n = sizeof(buf) - off < 999 ? sizeof(buf) - off : 999;
        sha256_update(&ctx, buf + off, n);
        off += n;
    }
    sha256_final(&ctx, d);
    sha256_to_hex(d, hex);
    assert_string_equal(hex, want);
}

/* Hashes msg in pieces of the given sizes (cycled) and compares. */
static void check_chunked(const uint8_t *msg, size_t len, const size_t *sizes, int nsizes) {
    uint8_t one[SHA256_DIGEST_LEN], streamed[SHA256_DIGEST_LEN];
    sha256_buf(msg, len, one);
    sha256_ctx ctx;
    sha256_init(&ctx);
    size_t off = 0;
    for (int i = 0; off < len; i++) {
        size_t n = sizes[i % nsizes];
        if (n > len - off) n = len - off;
        sha256_update(&ctx, msg + off, n);
        off += n;
    }
    sha256_final(&ctx, streamed);
    assert_memory_equal(one, streamed, SHA256_DIGEST_LEN);
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
    /* The 448-bit vector as 3 + 0 + 50 + 3 bytes. */
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_LEN + 1];
    sha256_init(&ctx);
    sha256_update(&ctx, m, 3);
    sha256_update(&ctx, NULL, 0);
    sha256_update(&ctx, m + 3, 50);
    sha256_update(&ctx, m + 53, 3);
    sha256_final(&ctx, d);
    sha256_to_hex(d, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_padding_boundaries(void **state) {
    uint8_t msg[200];
    memset(msg, 'x', sizeof(msg));
    const size_t split[] = {5, 50};
    for (size_t len = 50; len <= 130; len++) check_chunked(msg, len, split, 2);
    memset(msg, 'a', sizeof(msg));
    expect_hex(msg, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    expect_hex(msg, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    expect_hex(msg, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_hex_format(void **state) {
    uint8_t d[SHA256_DIGEST_LEN];
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) d[i] = (uint8_t)(i * 7);
    char hex[SHA256_HEX_LEN + 1];
    memset(hex, '#', sizeof(hex));
    sha256_to_hex(d, hex);
    assert_int_equal(strlen(hex), 64);
    assert_string_equal(hex, "00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),         cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_chunked_updates), cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_hex_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
