/* test_sds.c: unit tests for core/sds.c.
 *
 * Covers creation (binary-safe, zero-filled, every header type), appending
 * across header-type changes, the growth policy, copy/printf/trim/range/
 * substr/compare, splitting (by separator and redis.conf-style argument
 * splitting with every quoting rule), escaping for display, joins, manual
 * length control (MakeRoomFor + IncrLen) and embedded strings. Every test
 * also checks, in its teardown, that the bytes it allocated were all
 * freed: zmalloc's counter must be back where it started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "core/sds.h"
#include "core/zmalloc.h"

static size_t mem_at_start;
static int remember_memory(void **state) {
    mem_at_start = zmalloc_used_memory();
    return 0;
}
static int check_no_leak(void **state) {
    assert_int_equal(zmalloc_used_memory(), mem_at_start);
    return 0;
}

static int sds_type(const sds s) { return s[-1] & SDS_TYPE_MASK; }

/* ------------------------------------------------------------- creation */

static void test_new_is_terminated_and_measured(void **state) {
    sds s = sdsnew("foo");
    assert_int_equal(sdslen(s), 3);
    assert_memory_equal(s, "foo\0", 4);
    assert_true(sdsalloc(s) >= 3);
    assert_int_equal(sdsavail(s), sdsalloc(s) - 3);
    sdsfree(s);

    s = sdsempty();
    assert_int_equal(sdslen(s), 0);
    assert_int_equal(s[0], '\0');
    sdsfree(s);

    s = sdsnew(NULL);
    assert_int_equal(sdslen(s), 0);
    sdsfree(s);
    sdsfree(NULL); /* a no-op, like free(NULL) */
}

static void test_newlen_is_binary_safe(void **state) {
    sds s = sdsnewlen("a\0b\0", 4);
    assert_int_equal(sdslen(s), 4);
    assert_memory_equal(s, "a\0b\0\0", 5);
    sds d = sdsdup(s);
    assert_int_equal(sdslen(d), 4);
    assert_memory_equal(d, "a\0b\0", 4);
    assert_ptr_not_equal(d, s);
    sdsfree(s);
    sdsfree(d);

    /* No initializer: the bytes are zeroes. */
    s = sdsnewlen(NULL, 5);
    assert_int_equal(sdslen(s), 5);
    assert_memory_equal(s, "\0\0\0\0\0\0", 6);
    sdsfree(s);

    s = sdstrynewlen("xyz", 3);
    assert_non_null(s);
    assert_string_equal(s, "xyz");
    sdsfree(s);
}

static void test_header_type_follows_length(void **state) {
    static const struct {
        size_t len;
        int type;
    } cases[] = {{0, SDS_TYPE_8},      {255, SDS_TYPE_8},    {256, SDS_TYPE_16},
                 {65535, SDS_TYPE_16}, {65536, SDS_TYPE_32}, {100000, SDS_TYPE_32}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = sdsnewlen(NULL, cases[i].len);
        assert_int_equal(sds_type(s), cases[i].type);
        assert_int_equal(sdslen(s), cases[i].len);
        assert_true(sdsalloc(s) >= cases[i].len);
        /* Header + capacity + terminator, and the header sits right before s. */
        size_t hdr = (char *)s - (char *)sdsAllocPtr(s);
        assert_int_equal(sdsAllocSize(s), hdr + sdsalloc(s) + 1);
        sdsfree(s);
    }
    /* An 8-bit header never claims more than 255 bytes of capacity. */
    sds s = sdsnewlen(NULL, 250);
    assert_int_equal(sds_type(s), SDS_TYPE_8);
    assert_true(sdsalloc(s) <= 255);
    sdsfree(s);
}

/* ------------------------------------------------------------ appending */

static void test_cat_appends(void **state) {
    sds s = sdsnew("foo");
    s = sdscat(s, "bar");
    assert_string_equal(s, "foobar");
    s = sdscatlen(s, "\0baz", 4);
    assert_int_equal(sdslen(s), 10);
    assert_memory_equal(s, "foobar\0baz\0", 11);
    sds t = sdsnew("!");
    s = sdscatsds(s, t);
    assert_int_equal(sdslen(s), 11);
    assert_int_equal(s[10], '!');
    sdsfree(t);
    sdsfree(s);
}

static void test_cat_crosses_header_types(void **state) {
    /* One byte at a time through 8-, 16- and 32-bit headers: the content
     * must survive every reallocation and type change. */
    sds s = sdsempty();
    int seen8 = 0, seen16 = 0, seen32 = 0;
    for (int i = 0; i < 70000; i++) {
        char c = (char)('a' + i % 26);
        s = sdscatlen(s, &c, 1);
        int t = sds_type(s);
        seen8 |= t == SDS_TYPE_8;
        seen16 |= t == SDS_TYPE_16;
        seen32 |= t == SDS_TYPE_32;
    }
    assert_true(seen8 && seen16 && seen32);
    assert_int_equal(sdslen(s), 70000);
    for (int i = 0; i < 70000; i++) assert_int_equal(s[i], 'a' + i % 26);
    assert_int_equal(s[70000], '\0');
    sdsfree(s);
}

static void test_growth_policy(void **state) {
    /* Below 1 MB a string that must grow gets twice what it needs... */
    sds s = sdsnewlen(NULL, 100);
    s = sdsMakeRoomFor(s, 200);
    assert_int_equal(sdslen(s), 100);
    assert_true(sdsalloc(s) >= 600);
    sdsfree(s);
    /* ...above, 1 MB more than it needs. (The allocator's rounding may
     * leave spare room: ask for one byte more than that.) */
    s = sdsnewlen(NULL, 2 * 1024 * 1024);
    size_t need = sdslen(s) + sdsavail(s) + 1;
    s = sdsMakeRoomFor(s, sdsavail(s) + 1);
    assert_true(sdsalloc(s) >= need + 1024 * 1024);
    assert_true(sdsalloc(s) < need + 2 * 1024 * 1024);
    sdsfree(s);
    /* Non-greedy growth asks for exactly what is needed (the allocator may
     * round up a little). */
    s = sdsnewlen(NULL, 100000);
    s = sdsMakeRoomForNonGreedy(s, 100000);
    assert_true(sdsalloc(s) >= 200000);
    assert_true(sdsalloc(s) < 240000);
    sdsfree(s);
    /* Room already there: the same string comes back. */
    s = sdsMakeRoomFor(sdsempty(), 64);
    sds same = sdsMakeRoomFor(s, 10);
    assert_ptr_equal(same, s);
    sdsfree(s);
}

static void test_makeroom_then_incrlen(void **state) {
    /* The read-into-the-buffer pattern: reserve, write, commit. */
    sds s = sdsnew("head:");
    s = sdsMakeRoomFor(s, 5);
    memcpy(s + sdslen(s), "12345", 5);
    sdsIncrLen(s, 5);
    assert_string_equal(s, "head:12345");
    sdsIncrLen(s, -3);
    assert_int_equal(sdslen(s), 7);
    assert_string_equal(s, "head:12");
    sdsfree(s);
}

static void test_growzero(void **state) {
    sds s = sdsnew("ab");
    s = sdsgrowzero(s, 10);
    assert_int_equal(sdslen(s), 10);
    assert_memory_equal(s, "ab\0\0\0\0\0\0\0\0\0", 11);
    s = sdsgrowzero(s, 4); /* never shrinks */
    assert_int_equal(sdslen(s), 10);
    sdsfree(s);
}

static void test_remove_free_space(void **state) {
    sds s = sdsMakeRoomFor(sdsnew("compact me"), 5000);
    assert_true(sdsavail(s) >= 5000);
    s = sdsRemoveFreeSpace(s);
    assert_string_equal(s, "compact me");
    assert_true(sdsavail(s) < 16);
    sdsfree(s);
}

/* -------------------------------------------------------- copy, printf */

static void test_cpy(void **state) {
    sds s = sdsnew("a rather long string");
    s = sdscpy(s, "short");
    assert_string_equal(s, "short");
    assert_int_equal(sdslen(s), 5);
    s = sdscpy(s, "now a string longer than the original was, by far");
    assert_string_equal(s, "now a string longer than the original was, by far");
    s = sdscpylen(s, "x\0y", 3);
    assert_int_equal(sdslen(s), 3);
    assert_memory_equal(s, "x\0y\0", 4);
    sdsfree(s);
}

static void test_catprintf(void **state) {
    sds s = sdscatprintf(sdsnew("n="), "%d %s %lld", 42, "forty-two", LLONG_MIN);
    assert_string_equal(s, "n=42 forty-two -9223372036854775808");
    sdsfree(s);
    /* Longer than the 1 KB stack buffer: the heap path. */
    char big[3000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    s = sdscatprintf(sdsnew("<"), "%s>", big);
    assert_int_equal(sdslen(s), 3001);
    assert_int_equal(s[0], '<');
    assert_int_equal(s[1], 'q');
    assert_int_equal(s[2999], 'q');
    assert_int_equal(s[3000], '>');
    sdsfree(s);
}

static void test_fromlonglong(void **state) {
    static const struct {
        long long v;
        const char *text;
    } cases[] = {{0, "0"},
                 {-1, "-1"},
                 {123456789, "123456789"},
                 {LLONG_MAX, "9223372036854775807"},
                 {LLONG_MIN, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = sdsfromlonglong(cases[i].v);
        assert_string_equal(s, cases[i].text);
        assert_int_equal(sdslen(s), strlen(cases[i].text));
        sdsfree(s);
    }
}

/* ----------------------------------------------- trim, range, substr, cmp */

static void test_trim(void **state) {
    static const struct {
        const char *in, *cset, *out;
    } cases[] = {
        {"xxciaoyyy", "xy", "ciao"},
        {"  padded\r\n", " \r\n", "padded"},
        {"xxxx", "x", ""},
        {"", "x", ""},
        {"inner x stays", "x", "inner x stays"},
        {"x", "x", ""},
        {"ab", "b", "a"},
        {"ab", "a", "b"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = sdstrim(sdsnew(cases[i].in), cases[i].cset);
        assert_string_equal(s, cases[i].out);
        assert_int_equal(sdslen(s), strlen(cases[i].out));
        sdsfree(s);
    }
}

static void test_range(void **state) {
    /* Inclusive indexes, negative from the end, clamped, as GETRANGE. */
    static const struct {
        ssize_t start, end;
        const char *out;
    } cases[] = {
        {1, 1, "i"},    {1, -1, "iao"}, {-2, -1, "ao"},    {2, 1, ""},          {1, 100, "iao"},
        {100, 100, ""}, {0, 0, "c"},    {-100, -100, "c"}, {-100, 100, "ciao"}, {4, 10, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = sdsnew("ciao");
        sdsrange(s, cases[i].start, cases[i].end);
        assert_string_equal(s, cases[i].out);
        assert_int_equal(sdslen(s), strlen(cases[i].out));
        sdsfree(s);
    }
    sds e = sdsempty();
    sdsrange(e, 0, -1);
    assert_int_equal(sdslen(e), 0);
    sdsfree(e);
}

static void test_substr(void **state) {
    sds s = sdsnew("hello world");
    sdssubstr(s, 6, 100);
    assert_string_equal(s, "world");
    sdssubstr(s, 1, 3);
    assert_string_equal(s, "orl");
    sdssubstr(s, 3, 1);
    assert_string_equal(s, "");
    sdsfree(s);
}

static void test_clear_keeps_buffer(void **state) {
    sds s = sdsnew("something");
    size_t alloc = sdsalloc(s);
    sdsclear(s);
    assert_int_equal(sdslen(s), 0);
    assert_int_equal(s[0], '\0');
    assert_int_equal(sdsalloc(s), alloc);
    sdsfree(s);
}

static void test_cmp(void **state) {
    static const struct {
        const char *a;
        size_t alen;
        const char *b;
        size_t blen;
        int sign;
    } cases[] = {
        {"foo", 3, "foa", 3, 1},    {"bar", 3, "bar", 3, 0},   {"aar", 3, "bar", 3, -1},
        {"bar", 3, "barx", 4, -1},  {"barx", 4, "bar", 3, 1},  {"", 0, "", 0, 0},
        {"a\0b", 3, "a\0c", 3, -1}, {"\xff", 1, "\x01", 1, 1}, /* bytes compare unsigned */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds a = sdsnewlen(cases[i].a, cases[i].alen), b = sdsnewlen(cases[i].b, cases[i].blen);
        int c = sdscmp(a, b);
        assert_int_equal((c > 0) - (c < 0), cases[i].sign);
        sdsfree(a);
        sdsfree(b);
    }
}

static void test_tolower_toupper(void **state) {
    sds s = sdsnewlen("MiXeD\0Case", 10);
    sdstolower(s);
    assert_memory_equal(s, "mixed\0case", 10);
    sdstoupper(s);
    assert_memory_equal(s, "MIXED\0CASE", 10);
    sdsfree(s);
}

/* -------------------------------------------------------------- splitting */

static void assert_tokens(sds *tok, int count, const char **want, int nwant) {
    assert_non_null(tok);
    assert_int_equal(count, nwant);
    for (int i = 0; i < nwant; i++) {
        assert_int_equal(sdslen(tok[i]), strlen(want[i]));
        assert_string_equal(tok[i], want[i]);
    }
}

static void test_splitlen(void **state) {
    int n;
    sds *t = sdssplitlen("a,b,,c", 6, ",", 1, &n);
    assert_tokens(t, n, (const char *[]){"a", "b", "", "c"}, 4);
    sdsfreesplitres(t, n);

    t = sdssplitlen("a--b--", 6, "--", 2, &n);
    assert_tokens(t, n, (const char *[]){"a", "b", ""}, 3);
    sdsfreesplitres(t, n);

    t = sdssplitlen("no separator", 12, ";", 1, &n);
    assert_tokens(t, n, (const char *[]){"no separator"}, 1);
    sdsfreesplitres(t, n);

    /* Many tokens: the token array grows. */
    t = sdssplitlen("1 2 3 4 5 6 7 8 9 10 11 12", 26, " ", 1, &n);
    assert_int_equal(n, 12);
    assert_string_equal(t[11], "12");
    sdsfreesplitres(t, n);

    /* Empty input: no tokens; an empty separator: an error. */
    t = sdssplitlen("", 0, ",", 1, &n);
    assert_non_null(t);
    assert_int_equal(n, 0);
    sdsfreesplitres(t, n);
    assert_null(sdssplitlen("abc", 3, "", 0, &n));
    assert_int_equal(n, 0);
}

static void test_splitargs(void **state) {
    static const struct {
        const char *line;
        int argc;
        const char *argv[4];
        size_t lens[4];
    } ok[] = {
        {"set key value", 3, {"set", "key", "value"}, {3, 3, 5}},
        {"  leading and   many  spaces\t", 4, {"leading", "and", "many", "spaces"}, {7, 3, 4, 6}},
        {"set \"hello world\" x", 3, {"set", "hello world", "x"}, {3, 11, 1}},
        {"\"\\n\\r\\t\\b\\a\\\\\\\"\"", 1, {"\n\r\t\b\a\\\""}, {7}},
        {"\"\\x41\\x7a\\x00z\"", 1, {"Az\0z"}, {4}},
        {"\"\\xZZ\"", 1, {"xZZ"}, {3}}, /* not hex: the backslash just escapes the x */
        {"'single \\'quoted\\' \\n'", 1, {"single 'quoted' \\n"}, {18}},
        {"\"\" ''", 2, {"", ""}, {0, 0}},
        {"mid\"dle quote\"", 1, {"middle quote"}, {12}},
        {"", 0, {0}, {0}},
        {"   ", 0, {0}, {0}},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        int argc = -1;
        sds *argv = sdssplitargs(ok[i].line, &argc);
        assert_non_null(argv);
        assert_int_equal(argc, ok[i].argc);
        for (int j = 0; j < argc; j++) {
            assert_int_equal(sdslen(argv[j]), ok[i].lens[j]);
            assert_memory_equal(argv[j], ok[i].argv[j], ok[i].lens[j]);
        }
        sdsfreesplitres(argv, argc);
    }
    /* Unbalanced quotes, or a closing quote glued to more text: NULL. */
    static const char *bad[] = {"\"unterminated", "'unterminated", "\"closed\"glued", "'closed'glued",
                                "ok \"trailing backslash\\"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int argc = -1;
        assert_null(sdssplitargs(bad[i], &argc));
        assert_int_equal(argc, 0);
    }
}

/* ------------------------------------------------------- repr, joins */

static void test_catrepr(void **state) {
    sds s = sdscatrepr(sdsnew("repr: "), "\a\n\0foo\r\"\\\t\b\x7f\xe9", 13);
    assert_string_equal(s, "repr: \"\\a\\n\\x00foo\\r\\\"\\\\\\t\\b\\x7f\\xe9\"");
    sdsfree(s);
    s = sdscatrepr(sdsempty(), "", 0);
    assert_string_equal(s, "\"\"");
    sdsfree(s);
}

static void test_join(void **state) {
    char *words[] = {"a", "bb", "ccc"};
    sds s = sdsjoin(words, 3, ", ");
    assert_string_equal(s, "a, bb, ccc");
    sdsfree(s);
    s = sdsjoin(words, 0, ",");
    assert_string_equal(s, "");
    sdsfree(s);

    sds parts[] = {sdsnew("x"), sdsnewlen("\0y", 2)};
    s = sdsjoinsds(parts, 2, "|", 1);
    assert_int_equal(sdslen(s), 4);
    assert_memory_equal(s, "x|\0y", 4);
    sdsfree(s);
    sdsfree(parts[0]);
    sdsfree(parts[1]);
}

/* ------------------------------------------------------------- embedding */

static void test_embed(void **state) {
    /* An embedded sds lives inside caller memory: header, bytes, NUL. */
    char mem[64];
    memset(mem, 0x5a, sizeof(mem));
    assert_int_equal(sdsEmbedSize(5), sizeof(struct sdshdr8) + 5 + 1);
    sds s = sdsEmbed(mem, "hello", 5);
    assert_ptr_equal(s, mem + sizeof(struct sdshdr8));
    assert_int_equal(sdslen(s), 5);
    assert_int_equal(sdsavail(s), 0);
    assert_string_equal(s, "hello");
    assert_int_equal((unsigned char)mem[sdsEmbedSize(5)], 0x5a); /* nothing written past the end */

    /* Long enough to need a 16-bit header. */
    char big[400];
    char text[300];
    memset(text, 'k', sizeof(text));
    assert_int_equal(sdsEmbedSize(300), sizeof(struct sdshdr16) + 301);
    s = sdsEmbed(big, text, 300);
    assert_int_equal(sds_type(s), SDS_TYPE_16);
    assert_int_equal(sdslen(s), 300);
    assert_int_equal(s[300], '\0');
    /* And an sds copied from it is an ordinary one. */
    sds d = sdsdup(s);
    assert_int_equal(sdslen(d), 300);
    sdsfree(d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, remember_memory, check_no_leak)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_new_is_terminated_and_measured),
        T(test_newlen_is_binary_safe),
        T(test_header_type_follows_length),
        T(test_cat_appends),
        T(test_cat_crosses_header_types),
        T(test_growth_policy),
        T(test_makeroom_then_incrlen),
        T(test_growzero),
        T(test_remove_free_space),
        T(test_cpy),
        T(test_catprintf),
        T(test_fromlonglong),
        T(test_trim),
        T(test_range),
        T(test_substr),
        T(test_clear_keeps_buffer),
        T(test_cmp),
        T(test_tolower_toupper),
        T(test_splitlen),
        T(test_splitargs),
        T(test_catrepr),
        T(test_join),
        T(test_embed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
