/* test_rdb_codec.c: the RDB primitive encodings and the readers for the
 * compact blobs Redis writes (listpack, ziplist, intset), byte for byte as
 * the RDB format specifies, plus the RESP request encoder the AOF and the
 * replication stream use, checked against the request parser. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/zmalloc.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"
#include "persist/rio.h"
#include "proto/resp_parser.h"

static sds encode_len(uint64_t len) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    assert_int_equal(rdb_save_len(&r, len), 0);
    return rio_buffer(&r);
}

static void test_length_encodings(void **state) {
    struct {
        uint64_t v;
        size_t bytes;
        unsigned char first;
    } cases[] = {{0, 1, 0x00},          {63, 1, 0x3f},          {64, 2, 0x40},
                 {16383, 2, 0x7f},      {16384, 5, 0x80},       {UINT32_MAX, 5, 0x80},
                 {(uint64_t)UINT32_MAX + 1, 9, 0x81}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = encode_len(cases[i].v);
        assert_int_equal(sdslen(s), cases[i].bytes);
        assert_int_equal((unsigned char)s[0], cases[i].first);
        rio r;
        rio_init_buffer(&r, s);
        int enc;
        assert_int_equal(rdb_load_len(&r, &enc), cases[i].v);
        assert_int_equal(enc, 0);
        sdsfree(rio_buffer(&r));
    }
    /* 14-bit lengths are big endian: 300 = 0x41 0x2c */
    sds s = encode_len(300);
    assert_memory_equal(s, "\x41\x2c", 2);
    sdsfree(s);
}

static sds roundtrip_string(const char *p, size_t len, int compress, sds *encoded) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    assert_int_equal(rdb_save_string(&r, p, len, compress), 0);
    *encoded = sdsdup(rio_buffer(&r));
    sds in = rio_buffer(&r);
    rio_init_buffer(&r, in);
    sds out = rdb_load_string(&r);
    sdsfree(rio_buffer(&r));
    return out;
}

static void test_integer_strings(void **state) {
    struct {
        const char *s;
        size_t bytes;
        unsigned char first;
    } cases[] = {{"0", 2, 0xc0},           {"-128", 2, 0xc0},        {"127", 2, 0xc0},
                 {"128", 3, 0xc1},         {"-32768", 3, 0xc1},      {"32768", 5, 0xc2},
                 {"2147483647", 5, 0xc2},  {"2147483648", 11, 10},   {"007", 4, 3}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds enc;
        sds out = roundtrip_string(cases[i].s, strlen(cases[i].s), 0, &enc);
        assert_string_equal(out, cases[i].s);
        assert_int_equal(sdslen(enc), cases[i].bytes);
        assert_int_equal((unsigned char)enc[0], cases[i].first);
        sdsfree(out);
        sdsfree(enc);
    }
}

static void test_lzf_strings(void **state) {
    char buf[1000];
    for (int i = 0; i < 1000; i++) buf[i] = (char)('a' + i % 3);
    sds enc;
    sds out = roundtrip_string(buf, sizeof(buf), 1, &enc);
    assert_int_equal(sdslen(out), sizeof(buf));
    assert_memory_equal(out, buf, sizeof(buf));
    assert_int_equal((unsigned char)enc[0], 0xc3); /* the LZF special encoding */
    assert_true(sdslen(enc) < 100);
    sdsfree(out);
    sdsfree(enc);
    /* incompressible data is stored plain */
    out = roundtrip_string("abcdefghijklmnopqrstuvwxyz", 26, 1, &enc);
    assert_string_equal(out, "abcdefghijklmnopqrstuvwxyz");
    assert_int_equal((unsigned char)enc[0], 26);
    sdsfree(out);
    sdsfree(enc);
}

static void test_doubles(void **state) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    assert_int_equal(rdb_save_double_bin(&r, 1.5), 0);
    sds s = rio_buffer(&r);
    assert_memory_equal(s, "\x00\x00\x00\x00\x00\x00\xf8\x3f", 8); /* IEEE 754 little endian */
    rio_init_buffer(&r, s);
    double d;
    assert_int_equal(rdb_load_double_bin(&r, &d), 0);
    assert_true(d == 1.5);
    sdsfree(rio_buffer(&r));
    /* old text form: length byte then digits, 253/254/255 for nan/inf/-inf */
    rio_init_buffer(&r, sdsnewlen("\x04" "2.25" "\xfe" "\xff", 7));
    assert_int_equal(rdb_load_double_text(&r, &d), 0);
    assert_true(d == 2.25);
    assert_int_equal(rdb_load_double_text(&r, &d), 0);
    assert_true(isinf(d) && d > 0);
    assert_int_equal(rdb_load_double_text(&r, &d), 0);
    assert_true(isinf(d) && d < 0);
    sdsfree(rio_buffer(&r));
}

static void test_truncated_and_hostile_input(void **state) {
    rio r;
    rio_init_buffer(&r, sdsnewlen("\x80\xff\xff\xff\xff", 5)); /* 4 GB string in a 5-byte buffer */
    assert_null(rdb_load_string(&r));
    sdsfree(rio_buffer(&r));
    rio_init_buffer(&r, sdsnewlen("\xc3\x05\x7f\xff\xff", 5)); /* LZF claiming a huge output */
    assert_null(rdb_load_string(&r));
    sdsfree(rio_buffer(&r));
    rio_init_buffer(&r, sdsnewlen("\x41", 1)); /* 14-bit length cut short */
    assert_int_equal(rdb_load_len(&r, NULL), RDB_LENERR);
    sdsfree(rio_buffer(&r));
}

/* listpack of "a", 1, 1000 as the format specifies it */
static const unsigned char lp_a_1_1000[] = {
    0x0f, 0x00, 0x00, 0x00, /* total bytes: 15 */
    0x03, 0x00,             /* 3 elements */
    0x81, 'a', 0x02,        /* 6-bit string "a", backlen 2 */
    0x01, 0x01,             /* 7-bit uint 1, backlen 1 */
    0xc3, 0xe8, 0x02,       /* 13-bit int 1000 (0x3e8), backlen 2 */
    0xff};                  /* end */

static void test_listpack_reader(void **state) {
    sds *items;
    long n = blob_collect(BLOB_LISTPACK, lp_a_1_1000, 15, &items);
    assert_int_equal(n, 3);
    assert_string_equal(items[0], "a");
    assert_string_equal(items[1], "1");
    assert_string_equal(items[2], "1000");
    blob_free_items(items, n);
    unsigned char bad[15];
    memcpy(bad, lp_a_1_1000, 15);
    bad[6] = 0xbf; /* string length 63 runs past the end */
    assert_int_equal(blob_collect(BLOB_LISTPACK, bad, 15, &items), -1);
    assert_int_equal(blob_collect(BLOB_LISTPACK, lp_a_1_1000, 10, &items), -1); /* truncated */
}

static void test_intset_and_ziplist_readers(void **state) {
    const unsigned char is[] = {2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 1, 0, 0x10, 0x27}; /* int16: -1, 1, 10000 */
    sds *items;
    long n = blob_collect(BLOB_INTSET, is, sizeof(is), &items);
    assert_int_equal(n, 3);
    assert_string_equal(items[0], "-1");
    assert_string_equal(items[2], "10000");
    blob_free_items(items, n);
    /* ziplist: "hi" and the immediate integer 7 */
    const unsigned char zl[] = {0x11, 0, 0, 0, 0x0d, 0, 0, 0, 2, 0, 0x00, 0x02, 'h', 'i', 0x04, 0xf8, 0xff};
    n = blob_collect(BLOB_ZIPLIST, zl, sizeof(zl), &items);
    assert_int_equal(n, 2);
    assert_string_equal(items[0], "hi");
    assert_string_equal(items[1], "7");
    blob_free_items(items, n);
}

static void test_request_encoder_roundtrip(void **state) {
    sds argv[3] = {sdsnew("SET"), sdsnewlen("k\r\n\0", 4), sdsnew("")};
    sds wire = resp_append_command(sdsempty(), argv, 3);
    assert_memory_equal(wire, "*3\r\n$3\r\nSET\r\n$4\r\nk\r\n\0\r\n$0\r\n\r\n", sdslen(wire));
    respParser p;
    resp_parser_init(&p);
    size_t used;
    assert_int_equal(resp_parse(&p, wire, sdslen(wire), &used), RESP_DONE);
    assert_int_equal(used, sdslen(wire));
    int argc;
    sds *got = resp_parser_take(&p, &argc);
    assert_int_equal(argc, 3);
    assert_int_equal(sdslen(got[1]), 4);
    assert_memory_equal(got[1], "k\r\n\0", 4);
    for (int i = 0; i < 3; i++) {
        sdsfree(got[i]);
        sdsfree(argv[i]);
    }
    zfree(got);
    resp_parser_free(&p);
    sdsfree(wire);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length_encodings),  cmocka_unit_test(test_integer_strings),
        cmocka_unit_test(test_lzf_strings),       cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_truncated_and_hostile_input), cmocka_unit_test(test_listpack_reader),
        cmocka_unit_test(test_intset_and_ziplist_readers),  cmocka_unit_test(test_request_encoder_roundtrip),
    };
    return cmocka_run_group_tests_name("rdb codec", tests, NULL, NULL);
}
