/* test_skiplist.c: unit tests for core/skiplist.c.
 *
 * The central test drives a zsl and a brute-force sorted array with the
 * same few thousand random inserts, deletes and score updates, and after
 * every step checks ranks, lookups and the structural invariants (order,
 * spans on every lane, backward links, tail, length, level). The others
 * pin down ties, both update paths, every range query with inclusive and
 * exclusive bounds, range parsing exactly as Redis accepts it, and the
 * delete-range callbacks. Uses only skiplist, sds and zmalloc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/sds.h"
#include "core/skiplist.h"
#include "core/zmalloc.h"

/* ---------------------------------------------------------------- helpers */

static uint64_t test_rng = 0x243f6a8885a308d3ULL;
static uint64_t rnd(void) {
    test_rng ^= test_rng << 13;
    test_rng ^= test_rng >> 7;
    test_rng ^= test_rng << 17;
    return test_rng;
}

/* Walks every lane and asserts the structural invariants. */
static void check_invariants(zsl *zl) {
    assert_true(zl->level >= 1 && zl->level <= ZSL_MAX_LEVEL);
    /* Lane 0: order, backward links, tail, length, ranks of each node. */
    unsigned long n = 0;
    zslNode *prev = NULL, *x = zl->head->link[0].forward;
    int max_height = 1;
    while (x) {
        n++;
        assert_ptr_equal(x->backward, prev);
        assert_true(x->height >= 1 && x->height <= ZSL_MAX_LEVEL);
        if (x->height > max_height) max_height = x->height;
        if (prev) {
            int ordered =
                prev->score < x->score || (prev->score == x->score && sdscmp(prev->member, x->member) < 0);
            assert_true(ordered);
        }
        prev = x;
        x = x->link[0].forward;
    }
    assert_int_equal(n, zl->length);
    assert_ptr_equal(zl->tail, prev);
    if (zl->length) assert_int_equal(max_height, zl->level);
    /* Every lane: spans equal the rank distance, sum to length, and a lane
     * only visits nodes tall enough for it. */
    for (int i = 0; i < zl->level; i++) {
        zslNode *p = zl->head;
        unsigned long prank = 0, total = 0;
        while (p->link[i].forward) {
            zslNode *f = p->link[i].forward;
            assert_true(f->height > i);
            unsigned long frank = zsl_get_rank(zl, f->score, f->member);
            assert_int_equal(p->link[i].span, frank - prank);
            total += p->link[i].span;
            p = f;
            prank = frank;
        }
        total += p->link[i].span;
        assert_int_equal(total, zl->length);
    }
}

/* The brute-force model: an array kept sorted by (score, member). */
typedef struct {
    double score;
    sds member;
} model_item;

typedef struct {
    model_item *items;
    size_t len, cap;
} model;

static int item_cmp(double s1, const sds m1, double s2, const sds m2) {
    if (s1 != s2) return s1 < s2 ? -1 : 1;
    return sdscmp(m1, m2);
}

static long model_find(model *m, const sds member) {
    for (size_t i = 0; i < m->len; i++)
        if (sdscmp(m->items[i].member, member) == 0) return (long)i;
    return -1;
}

static void model_insert(model *m, double score, const sds member) {
    if (m->len == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->items = zrealloc(m->items, m->cap * sizeof(*m->items));
    }
    size_t pos = 0;
    while (pos < m->len && item_cmp(m->items[pos].score, m->items[pos].member, score, member) < 0) pos++;
    memmove(&m->items[pos + 1], &m->items[pos], (m->len - pos) * sizeof(*m->items));
    m->items[pos].score = score;
    m->items[pos].member = sdsdup(member);
    m->len++;
}

static void model_remove_at(model *m, size_t pos) {
    sdsfree(m->items[pos].member);
    memmove(&m->items[pos], &m->items[pos + 1], (m->len - pos - 1) * sizeof(*m->items));
    m->len--;
}

static void model_free(model *m) {
    for (size_t i = 0; i < m->len; i++) sdsfree(m->items[i].member);
    zfree(m->items);
}

/* Asserts the list holds exactly the model, through lane 0 and by rank. */
static void check_against_model(zsl *zl, model *m) {
    assert_int_equal(zl->length, m->len);
    zslNode *x = zl->head->link[0].forward;
    for (size_t i = 0; i < m->len; i++, x = x->link[0].forward) {
        assert_non_null(x);
        assert_true(x->score == m->items[i].score);
        assert_int_equal(sdscmp(x->member, m->items[i].member), 0);
    }
    assert_null(x);
}

static zsl *make_list(const double *scores, const char **members, size_t n) {
    zsl *zl = zsl_create();
    for (size_t i = 0; i < n; i++) zsl_insert(zl, scores[i], sdsnew(members[i]));
    return zl;
}

/* Collects the members handed to a delete-range callback. */
typedef struct {
    sds names;
    int calls;
    double last_score;
} removed_log;

static void log_removed(void *ctx, sds member, double score) {
    removed_log *log = ctx;
    log->names = sdscatsds(log->names, member);
    log->names = sdscat(log->names, " ");
    log->calls++;
    log->last_score = score;
}

/* ------------------------------------------------------------------ tests */

static void test_empty_list(void **state) {
    zsl *zl = zsl_create();
    sds a = sdsnew("a");
    zslScoreRange all = {-INFINITY, INFINITY, 0, 0};
    zslLexRange lall = {zsl_lex_minus_inf, zsl_lex_plus_inf, 1, 1};
    assert_int_equal(zl->length, 0);
    assert_null(zl->tail);
    assert_int_equal(zsl_get_rank(zl, 1, a), 0);
    assert_null(zsl_get_by_rank(zl, 1));
    assert_null(zsl_get_by_rank(zl, 0));
    assert_int_equal(zsl_delete(zl, 1, a, NULL), 0);
    assert_false(zsl_is_in_range(zl, &all));
    assert_null(zsl_first_in_range(zl, &all));
    assert_null(zsl_last_in_range(zl, &all));
    assert_false(zsl_is_in_lex_range(zl, &lall));
    assert_null(zsl_first_in_lex_range(zl, &lall));
    assert_int_equal(zsl_delete_range_by_score(zl, &all, NULL, NULL), 0);
    assert_int_equal(zsl_delete_range_by_lex(zl, &lall, NULL, NULL), 0);
    assert_int_equal(zsl_delete_range_by_rank(zl, 1, 10, NULL, NULL), 0);
    check_invariants(zl);
    sdsfree(a);
    zsl_free(zl);
}

static void test_ties_ordered_by_member(void **state) {
    const char *names[] = {"b", "ab", "a", "c", "", "aa", "B"};
    double scores[] = {1, 1, 1, 0, 1, 1, 2};
    zsl *zl = make_list(scores, names, 7);
    /* Expected: (0,c) (1,"") (1,a) (1,aa) (1,ab) (1,b) (2,B) */
    const char *want[] = {"c", "", "a", "aa", "ab", "b", "B"};
    for (unsigned long r = 1; r <= 7; r++) {
        zslNode *n = zsl_get_by_rank(zl, r);
        assert_non_null(n);
        assert_string_equal(n->member, want[r - 1]);
        assert_int_equal(zsl_get_rank(zl, n->score, n->member), r);
    }
    /* Binary members: bytes compare unsigned, embedded NULs count. */
    zsl_insert(zl, 5, sdsnewlen("x\0b", 3));
    zsl_insert(zl, 5, sdsnewlen("x\0a", 3));
    zsl_insert(zl, 5, sdsnewlen("x\xff", 2));
    zsl_insert(zl, 5, sdsnewlen("x", 1));
    assert_int_equal(sdslen(zsl_get_by_rank(zl, 8)->member), 1);
    assert_memory_equal(zsl_get_by_rank(zl, 9)->member, "x\0a", 3);
    assert_memory_equal(zsl_get_by_rank(zl, 10)->member, "x\0b", 3);
    assert_memory_equal(zsl_get_by_rank(zl, 11)->member, "x\xff", 2);
    /* Same member text under another score is a different position. */
    sds c = sdsnew("c");
    assert_int_equal(zsl_get_rank(zl, 1, c), 0);
    assert_int_equal(zsl_get_rank(zl, 0, c), 1);
    sdsfree(c);
    check_invariants(zl);
    zsl_free(zl);
}

static void test_random_ops_match_model(void **state) {
    zsl *zl = zsl_create();
    model m = {0};
    char buf[32];
    for (int op = 0; op < 4000; op++) {
        unsigned kind = rnd() % 10;
        snprintf(buf, sizeof(buf), "m%u", (unsigned)(rnd() % 1500));
        sds member = sdsnew(buf);
        double score = (double)(rnd() % 50) / 4.0 - 5; /* many ties */
        long pos = model_find(&m, member);
        if (kind < 5) { /* insert (or delete if present) */
            if (pos < 0) {
                zslNode *n = zsl_insert(zl, score, sdsdup(member));
                assert_true(n->score == score);
                model_insert(&m, score, member);
            } else {
                assert_int_equal(zsl_delete(zl, m.items[pos].score, member, NULL), 1);
                model_remove_at(&m, (size_t)pos);
            }
        } else if (kind < 7 && pos >= 0) { /* delete, keeping the node */
            zslNode *out = NULL;
            assert_int_equal(zsl_delete(zl, m.items[pos].score, member, &out), 1);
            assert_non_null(out);
            assert_int_equal(sdscmp(out->member, member), 0);
            zsl_free_node(out);
            model_remove_at(&m, (size_t)pos);
        } else if (kind < 9 && pos >= 0) { /* update score */
            double old = m.items[pos].score;
            zslNode *n = zsl_update_score(zl, old, member, score);
            assert_true(n->score == score);
            assert_int_equal(sdscmp(n->member, member), 0);
            model_remove_at(&m, (size_t)pos);
            model_insert(&m, score, member);
        } else { /* absent lookups must miss */
            if (pos < 0) {
                assert_int_equal(zsl_get_rank(zl, score, member), 0);
                assert_int_equal(zsl_delete(zl, score, member, NULL), 0);
            } else {
                /* right member, wrong score */
                assert_int_equal(zsl_get_rank(zl, m.items[pos].score + 0.125, member), 0);
            }
        }
        sdsfree(member);
        if (op % 200 == 0) {
            check_against_model(zl, &m);
            for (size_t i = 0; i < m.len; i++) {
                assert_int_equal(zsl_get_rank(zl, m.items[i].score, m.items[i].member), i + 1);
                zslNode *n = zsl_get_by_rank(zl, i + 1);
                assert_int_equal(sdscmp(n->member, m.items[i].member), 0);
            }
            assert_null(zsl_get_by_rank(zl, m.len + 1));
        }
    }
    check_against_model(zl, &m);
    check_invariants(zl);
    assert_true(zl->length > 100);
    /* Drain completely through zsl_delete and end with an empty list. */
    while (m.len) {
        size_t pos = rnd() % m.len;
        assert_int_equal(zsl_delete(zl, m.items[pos].score, m.items[pos].member, NULL), 1);
        model_remove_at(&m, pos);
    }
    assert_int_equal(zl->length, 0);
    assert_null(zl->tail);
    assert_int_equal(zl->level, 1);
    check_invariants(zl);
    model_free(&m);
    zsl_free(zl);
}

static void test_update_score_in_place(void **state) {
    const char *names[] = {"a", "b", "c", "d"};
    double scores[] = {10, 20, 30, 40};
    zsl *zl = make_list(scores, names, 4);
    zslNode *b = zsl_get_by_rank(zl, 2);
    zslLink before[ZSL_MAX_LEVEL];
    memcpy(before, b->link, (size_t)b->height * sizeof(zslLink));
    zslNode *bprev = b->backward;

    sds key = sdsnew("b");
    zslNode *n = zsl_update_score(zl, 20, key, 25);
    assert_ptr_equal(n, b);
    assert_true(n->score == 25);
    assert_ptr_equal(n->backward, bprev);
    assert_memory_equal(before, n->link, (size_t)n->height * sizeof(zslLink));
    assert_int_equal(zsl_get_rank(zl, 25, key), 2);
    /* A score equal to a neighbour's still fits when the member order does:
     * (10,a) < (10,b) < (30,c). */
    n = zsl_update_score(zl, 25, key, 10);
    assert_ptr_equal(n, b);
    assert_memory_equal(before, n->link, (size_t)n->height * sizeof(zslLink));
    assert_int_equal(zsl_get_rank(zl, 10, key), 2);
    /* Same score is a no-op. */
    n = zsl_update_score(zl, 10, key, 10);
    assert_int_equal(zsl_get_rank(zl, 10, key), 2);
    /* First and last nodes can go arbitrarily far outward in place. */
    sds a = sdsnew("a"), d = sdsnew("d");
    zslNode *na = zsl_get_by_rank(zl, 1), *nd = zsl_get_by_rank(zl, 4);
    assert_ptr_equal(zsl_update_score(zl, 10, a, -1e300), na);
    assert_ptr_equal(zsl_update_score(zl, 40, d, INFINITY), nd);
    assert_int_equal(zsl_get_rank(zl, -1e300, a), 1);
    assert_int_equal(zsl_get_rank(zl, INFINITY, d), 4);
    check_invariants(zl);
    sdsfree(a);
    sdsfree(d);
    sdsfree(key);
    zsl_free(zl);
}

static void test_update_score_moves(void **state) {
    const char *names[] = {"a", "b", "c", "d", "e"};
    double scores[] = {1, 2, 3, 4, 5};
    zsl *zl = make_list(scores, names, 5);
    sds c = sdsnew("c"), a = sdsnew("a"), e = sdsnew("e");
    zslNode *nc = zsl_get_by_rank(zl, 3);

    zslNode *n = zsl_update_score(zl, 3, c, 10); /* to the end */
    assert_ptr_equal(n, nc);                     /* never reallocated */
    assert_ptr_equal(zl->tail, nc);
    assert_int_equal(zsl_get_rank(zl, 10, c), 5);
    check_invariants(zl);

    n = zsl_update_score(zl, 10, c, -10); /* to the front */
    assert_ptr_equal(zl->head->link[0].forward, n);
    assert_null(n->backward);
    assert_int_equal(zsl_get_rank(zl, -10, c), 1);
    assert_string_equal(zl->tail->member, "e");
    check_invariants(zl);

    n = zsl_update_score(zl, -10, c, 4); /* a b c d e, c ties d: "c" < "d" */
    assert_int_equal(zsl_get_rank(zl, 4, c), 3);
    assert_string_equal(zsl_get_by_rank(zl, 4)->member, "d");
    check_invariants(zl);

    zsl_update_score(zl, 1, a, 5); /* b c d a e: ties e, "a" < "e" */
    assert_int_equal(zsl_get_rank(zl, 5, a), 4);
    zsl_update_score(zl, 5, e, 0); /* last to first */
    assert_int_equal(zsl_get_rank(zl, 0, e), 1);
    const char *want[] = {"e", "b", "c", "d", "a"};
    for (int i = 0; i < 5; i++) assert_string_equal(zsl_get_by_rank(zl, i + 1)->member, want[i]);
    check_invariants(zl);

    /* A long run of moves on a bigger list keeps spans right. */
    char buf[16];
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof(buf), "k%d", i);
        zsl_insert(zl, i, sdsnew(buf));
    }
    for (int i = 0; i < 500; i++) {
        snprintf(buf, sizeof(buf), "k%d", i);
        sds k = sdsnew(buf);
        zsl_update_score(zl, i, k, 1000 - i);
        sdsfree(k);
    }
    check_invariants(zl);
    assert_string_equal(zl->tail->member, "k0");
    sdsfree(a);
    sdsfree(c);
    sdsfree(e);
    zsl_free(zl);
}

static void test_delete_keeps_node(void **state) {
    const char *names[] = {"a", "b", "c"};
    double scores[] = {1, 2, 3};
    zsl *zl = make_list(scores, names, 3);
    sds b = sdsnew("b");
    zslNode *out = NULL;
    assert_int_equal(zsl_delete(zl, 3, b, &out), 0); /* wrong score */
    assert_null(out);
    assert_int_equal(zsl_delete(zl, 2, b, &out), 1);
    assert_string_equal(out->member, "b");
    assert_true(out->score == 2);
    sds kept = out->member;
    out->member = NULL;
    zsl_free_node(out);
    assert_string_equal(kept, "b");
    sdsfree(kept);
    assert_int_equal(zl->length, 2);
    assert_int_equal(zsl_get_rank(zl, 2, b), 0);
    check_invariants(zl);
    sdsfree(b);
    zsl_free(zl);
}

static void test_parse_score_range(void **state) {
    zslScoreRange r;
    assert_int_equal(zsl_parse_score_range("1", "2", &r), 0);
    assert_true(r.min == 1 && r.max == 2 && !r.minex && !r.maxex);
    assert_int_equal(zsl_parse_score_range("(1.5", "(2.5", &r), 0);
    assert_true(r.min == 1.5 && r.max == 2.5 && r.minex && r.maxex);
    assert_int_equal(zsl_parse_score_range("-inf", "+inf", &r), 0);
    assert_true(isinf(r.min) && r.min < 0 && isinf(r.max) && r.max > 0);
    assert_int_equal(zsl_parse_score_range("(-inf", "inf", &r), 0);
    assert_true(isinf(r.min) && r.minex && isinf(r.max) && r.max > 0 && !r.maxex);
    assert_int_equal(zsl_parse_score_range("1e3", "(-0x10", &r), 0);
    assert_true(r.min == 1000 && r.max == -16 && r.maxex);
    /* strtod quirks Redis inherits: empty reads as 0, "(" as exclusive 0,
     * leading blanks are skipped. */
    assert_int_equal(zsl_parse_score_range("", "(", &r), 0);
    assert_true(r.min == 0 && !r.minex && r.max == 0 && r.maxex);
    assert_int_equal(zsl_parse_score_range(" 5", "6", &r), 0);
    assert_true(r.min == 5);
    /* Errors: garbage, trailing bytes, NaN, doubled parenthesis, "[". */
    assert_int_equal(zsl_parse_score_range("abc", "1", &r), -1);
    assert_int_equal(zsl_parse_score_range("1", "2x", &r), -1);
    assert_int_equal(zsl_parse_score_range("1 ", "2", &r), -1);
    assert_int_equal(zsl_parse_score_range("nan", "1", &r), -1);
    assert_int_equal(zsl_parse_score_range("1", "(nan", &r), -1);
    assert_int_equal(zsl_parse_score_range("((1", "2", &r), -1);
    assert_int_equal(zsl_parse_score_range("[1", "2", &r), -1);
}

/* Scores 0..9, two members per score: "<s>a" and "<s>b". */
static zsl *make_score_grid(void) {
    zsl *zl = zsl_create();
    char buf[16];
    for (int s = 9; s >= 0; s--)
        for (char c = 'b'; c >= 'a'; c--) {
            snprintf(buf, sizeof(buf), "%d%c", s, c);
            zsl_insert(zl, s, sdsnew(buf));
        }
    return zl;
}

static void test_score_ranges_exhaustive(void **state) {
    zsl *zl = make_score_grid();
    check_invariants(zl);
    const double bounds[] = {-INFINITY, -1, 0, 0.5, 3, 4.5, 9, 9.5, 12, INFINITY};
    const int nb = sizeof(bounds) / sizeof(bounds[0]);
    for (int i = 0; i < nb; i++)
        for (int j = 0; j < nb; j++)
            for (int ex = 0; ex < 4; ex++) {
                zslScoreRange r = {bounds[i], bounds[j], ex & 1, ex >> 1};
                /* brute force over lane 0 */
                zslNode *first = NULL, *last = NULL;
                for (zslNode *x = zl->head->link[0].forward; x; x = x->link[0].forward)
                    if (zsl_score_gte_min(x->score, &r) && zsl_score_lte_max(x->score, &r)) {
                        if (!first) first = x;
                        last = x;
                    }
                /* is_in_range only looks at the extremes: it may say yes
                 * when the range falls in a gap, never no when it holds. */
                if (first) assert_true(zsl_is_in_range(zl, &r));
                if (!zsl_is_in_range(zl, &r)) assert_null(first);
                assert_ptr_equal(zsl_first_in_range(zl, &r), first);
                assert_ptr_equal(zsl_last_in_range(zl, &r), last);
            }
    /* A few spelled-out cases. */
    zslScoreRange r;
    zsl_parse_score_range("(3", "5", &r);
    assert_string_equal(zsl_first_in_range(zl, &r)->member, "4a");
    assert_string_equal(zsl_last_in_range(zl, &r)->member, "5b");
    zsl_parse_score_range("3", "(5", &r);
    assert_string_equal(zsl_first_in_range(zl, &r)->member, "3a");
    assert_string_equal(zsl_last_in_range(zl, &r)->member, "4b");
    zsl_parse_score_range("(3", "(4", &r); /* a gap: overlaps, holds nothing */
    assert_true(zsl_is_in_range(zl, &r));
    assert_null(zsl_first_in_range(zl, &r));
    assert_null(zsl_last_in_range(zl, &r));
    zsl_parse_score_range("(9", "10", &r); /* past the end */
    assert_false(zsl_is_in_range(zl, &r));
    zsl_parse_score_range("4", "4", &r);
    assert_true(zsl_is_in_range(zl, &r));
    assert_string_equal(zsl_last_in_range(zl, &r)->member, "4b");
    zsl_parse_score_range("(4", "4", &r);
    assert_false(zsl_is_in_range(zl, &r));
    zsl_parse_score_range("5", "3", &r);
    assert_false(zsl_is_in_range(zl, &r));
    zsl_free(zl);
}

static void test_parse_lex_range(void **state) {
    zslLexRange r;
    assert_int_equal(zsl_parse_lex_range("[a", 2, "(b", 2, &r), 0);
    assert_string_equal(r.min, "a");
    assert_string_equal(r.max, "b");
    assert_true(!r.minex && r.maxex);
    zsl_free_lex_range(&r);
    assert_null(r.min);

    assert_int_equal(zsl_parse_lex_range("-", 1, "+", 1, &r), 0);
    assert_ptr_equal(r.min, zsl_lex_minus_inf);
    assert_ptr_equal(r.max, zsl_lex_plus_inf);
    assert_int_equal(sdslen(r.min), 1);
    assert_string_equal(r.max, "+");
    zsl_free_lex_range(&r); /* must not free the markers */

    assert_int_equal(zsl_parse_lex_range("[", 1, "(a\0b", 4, &r), 0);
    assert_int_equal(sdslen(r.min), 0);
    assert_int_equal(sdslen(r.max), 3);
    assert_memory_equal(r.max, "a\0b", 3);
    zsl_free_lex_range(&r);

    /* "-"/"+" followed by a NUL still count as the marker, like Redis. */
    assert_int_equal(zsl_parse_lex_range("-\0x", 3, "+", 1, &r), 0);
    assert_ptr_equal(r.min, zsl_lex_minus_inf);
    zsl_free_lex_range(&r);

    /* Errors free whatever was parsed first (ASan checks). */
    assert_int_equal(zsl_parse_lex_range("a", 1, "+", 1, &r), -1);
    assert_int_equal(zsl_parse_lex_range("[a", 2, "b", 1, &r), -1);
    assert_int_equal(zsl_parse_lex_range("", 0, "+", 1, &r), -1);
    assert_int_equal(zsl_parse_lex_range("-a", 2, "+", 1, &r), -1);
    assert_int_equal(zsl_parse_lex_range("-", 1, "++", 2, &r), -1);
    assert_int_equal(zsl_parse_lex_range("(a", 2, "", 0, &r), -1);
}

/* Members a..j, all with score 0. */
static zsl *make_lex_list(void) {
    zsl *zl = zsl_create();
    for (char c = 'j'; c >= 'a'; c--) zsl_insert(zl, 0, sdsnewlen(&c, 1));
    return zl;
}

static void test_lex_ranges_exhaustive(void **state) {
    zsl *zl = make_lex_list();
    const char *bounds[] = {"-", "+", "", "a", "b", "bb", "e", "j", "jj", "z"};
    const int nb = sizeof(bounds) / sizeof(bounds[0]);
    for (int i = 0; i < nb; i++)
        for (int j = 0; j < nb; j++)
            for (int ex = 0; ex < 4; ex++) {
                char min[8], max[8];
                const char *bi = bounds[i], *bj = bounds[j];
                if (!strcmp(bi, "-") || !strcmp(bi, "+"))
                    snprintf(min, sizeof(min), "%s", bi);
                else
                    snprintf(min, sizeof(min), "%c%s", (ex & 1) ? '(' : '[', bi);
                if (!strcmp(bj, "-") || !strcmp(bj, "+"))
                    snprintf(max, sizeof(max), "%s", bj);
                else
                    snprintf(max, sizeof(max), "%c%s", (ex & 2) ? '(' : '[', bj);
                zslLexRange r;
                assert_int_equal(zsl_parse_lex_range(min, strlen(min), max, strlen(max), &r), 0);
                zslNode *first = NULL, *last = NULL;
                for (zslNode *x = zl->head->link[0].forward; x; x = x->link[0].forward)
                    if (zsl_lex_gte_min(x->member, sdslen(x->member), &r) &&
                        zsl_lex_lte_max(x->member, sdslen(x->member), &r)) {
                        if (!first) first = x;
                        last = x;
                    }
                if (first) assert_true(zsl_is_in_lex_range(zl, &r));
                assert_ptr_equal(zsl_first_in_lex_range(zl, &r), first);
                assert_ptr_equal(zsl_last_in_lex_range(zl, &r), last);
                zsl_free_lex_range(&r);
            }
    /* Spelled-out cases. */
    zslLexRange r;
    zsl_parse_lex_range("(b", 2, "[e", 2, &r);
    assert_string_equal(zsl_first_in_lex_range(zl, &r)->member, "c");
    assert_string_equal(zsl_last_in_lex_range(zl, &r)->member, "e");
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("[bb", 3, "(e", 2, &r);
    assert_string_equal(zsl_first_in_lex_range(zl, &r)->member, "c");
    assert_string_equal(zsl_last_in_lex_range(zl, &r)->member, "d");
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("+", 1, "-", 1, &r);
    assert_false(zsl_is_in_lex_range(zl, &r));
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("-", 1, "-", 1, &r);
    assert_false(zsl_is_in_lex_range(zl, &r));
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("[c", 2, "(c", 2, &r);
    assert_false(zsl_is_in_lex_range(zl, &r));
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("[c", 2, "[c", 2, &r);
    assert_ptr_equal(zsl_first_in_lex_range(zl, &r), zsl_last_in_lex_range(zl, &r));
    zsl_free_lex_range(&r);
    zsl_free(zl);
}

static void test_delete_range_by_score(void **state) {
    zsl *zl = make_score_grid();
    removed_log log = {sdsempty(), 0, 0};
    zslScoreRange r;
    zsl_parse_score_range("(2", "4", &r);
    assert_int_equal(zsl_delete_range_by_score(zl, &r, log_removed, &log), 4);
    assert_string_equal(log.names, "3a 3b 4a 4b ");
    assert_int_equal(log.calls, 4);
    assert_true(log.last_score == 4);
    assert_int_equal(zl->length, 16);
    check_invariants(zl);
    /* Empty and disjoint ranges remove nothing. */
    assert_int_equal(zsl_delete_range_by_score(zl, &r, log_removed, &log), 0);
    zsl_parse_score_range("(9", "+inf", &r);
    assert_int_equal(zsl_delete_range_by_score(zl, &r, log_removed, &log), 0);
    assert_int_equal(log.calls, 4);
    /* Without a callback, up to the end. */
    zsl_parse_score_range("7", "+inf", &r);
    assert_int_equal(zsl_delete_range_by_score(zl, &r, NULL, NULL), 6);
    assert_string_equal(zl->tail->member, "6b");
    check_invariants(zl);
    zsl_parse_score_range("-inf", "(1", &r);
    assert_int_equal(zsl_delete_range_by_score(zl, &r, NULL, NULL), 2);
    assert_string_equal(zsl_get_by_rank(zl, 1)->member, "1a");
    assert_null(zsl_get_by_rank(zl, 1)->backward);
    check_invariants(zl);
    zsl_parse_score_range("-inf", "inf", &r);
    assert_int_equal(zsl_delete_range_by_score(zl, &r, NULL, NULL), 8);
    assert_int_equal(zl->length, 0);
    assert_int_equal(zl->level, 1);
    check_invariants(zl);
    sdsfree(log.names);
    zsl_free(zl);
}

static void test_delete_range_by_lex(void **state) {
    zsl *zl = make_lex_list();
    removed_log log = {sdsempty(), 0, 0};
    zslLexRange r;
    zsl_parse_lex_range("[c", 2, "(f", 2, &r);
    assert_int_equal(zsl_delete_range_by_lex(zl, &r, log_removed, &log), 3);
    assert_string_equal(log.names, "c d e ");
    check_invariants(zl);
    assert_int_equal(zsl_delete_range_by_lex(zl, &r, log_removed, &log), 0);
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("(h", 2, "+", 1, &r);
    assert_int_equal(zsl_delete_range_by_lex(zl, &r, log_removed, &log), 2);
    assert_string_equal(log.names, "c d e i j ");
    assert_string_equal(zl->tail->member, "h");
    zsl_free_lex_range(&r);
    zsl_parse_lex_range("-", 1, "[a", 2, &r);
    assert_int_equal(zsl_delete_range_by_lex(zl, &r, NULL, NULL), 1);
    zsl_free_lex_range(&r);
    check_invariants(zl);
    assert_int_equal(zl->length, 4); /* b f g h */
    zsl_parse_lex_range("-", 1, "+", 1, &r);
    assert_int_equal(zsl_delete_range_by_lex(zl, &r, log_removed, &log), 4);
    assert_string_equal(log.names, "c d e i j b f g h ");
    zsl_free_lex_range(&r);
    assert_int_equal(zl->length, 0);
    check_invariants(zl);
    sdsfree(log.names);
    zsl_free(zl);
}

static void test_delete_range_by_rank(void **state) {
    zsl *zl = make_lex_list(); /* a..j = ranks 1..10 */
    removed_log log = {sdsempty(), 0, 0};
    assert_int_equal(zsl_delete_range_by_rank(zl, 2, 4, log_removed, &log), 3);
    assert_string_equal(log.names, "b c d ");
    check_invariants(zl); /* a e f g h i j */
    assert_int_equal(zsl_delete_range_by_rank(zl, 5, 5, log_removed, &log), 1);
    assert_string_equal(log.names, "b c d h ");
    assert_int_equal(zsl_delete_range_by_rank(zl, 4, 3, log_removed, &log), 0);
    /* End past the length is clamped; start past it removes nothing. */
    assert_int_equal(zsl_delete_range_by_rank(zl, 7, 9, NULL, NULL), 0);
    assert_int_equal(zsl_delete_range_by_rank(zl, 5, 100, NULL, NULL), 2); /* i j */
    assert_string_equal(zl->tail->member, "g");
    check_invariants(zl);
    assert_int_equal(zsl_delete_range_by_rank(zl, 1, 1, log_removed, &log), 1);
    assert_string_equal(zsl_get_by_rank(zl, 1)->member, "e");
    assert_int_equal(zsl_delete_range_by_rank(zl, 1, 3, log_removed, &log), 3);
    assert_string_equal(log.names, "b c d h a e f g ");
    assert_int_equal(zl->length, 0);
    check_invariants(zl);
    sdsfree(log.names);
    zsl_free(zl);
}

static void test_delete_range_by_rank_random(void **state) {
    /* Against the model: remove random rank windows from a big list. */
    zsl *zl = zsl_create();
    model m = {0};
    char buf[16];
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof(buf), "r%d", i);
        sds k = sdsnew(buf);
        double score = (double)(rnd() % 100);
        zsl_insert(zl, score, sdsdup(k));
        model_insert(&m, score, k);
        sdsfree(k);
    }
    while (m.len > 0) {
        unsigned long start = 1 + rnd() % m.len;
        unsigned long end = start + rnd() % 60;
        unsigned long expect = (end > m.len ? m.len : end) - start + 1;
        assert_int_equal(zsl_delete_range_by_rank(zl, start, end, NULL, NULL), expect);
        for (unsigned long k = 0; k < expect; k++) model_remove_at(&m, start - 1);
        check_against_model(zl, &m);
    }
    check_invariants(zl);
    model_free(&m);
    zsl_free(zl);
}

static void test_level_distribution(void **state) {
    /* p = 1/4: mean height 4/3, about N/4^k nodes reach lane k+1. */
    zsl *zl = zsl_create();
    char buf[16];
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "%08d", i);
        zsl_insert(zl, 0, sdsnew(buf));
    }
    unsigned long total = 0, tall = 0;
    for (zslNode *x = zl->head->link[0].forward; x; x = x->link[0].forward) {
        total += (unsigned long)x->height;
        if (x->height >= 2) tall++;
    }
    double mean = (double)total / n;
    assert_true(mean > 1.28 && mean < 1.39);
    assert_true(tall > n / 4 - 600 && tall < n / 4 + 600);
    assert_true(zl->level >= 5 && zl->level <= 16);
    /* Equal scores: ranks follow member order exactly. */
    assert_string_equal(zsl_get_by_rank(zl, 12345)->member, "00012344");
    check_invariants(zl);
    zsl_free(zl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_ties_ordered_by_member),
        cmocka_unit_test(test_random_ops_match_model),
        cmocka_unit_test(test_update_score_in_place),
        cmocka_unit_test(test_update_score_moves),
        cmocka_unit_test(test_delete_keeps_node),
        cmocka_unit_test(test_parse_score_range),
        cmocka_unit_test(test_score_ranges_exhaustive),
        cmocka_unit_test(test_parse_lex_range),
        cmocka_unit_test(test_lex_ranges_exhaustive),
        cmocka_unit_test(test_delete_range_by_score),
        cmocka_unit_test(test_delete_range_by_lex),
        cmocka_unit_test(test_delete_range_by_rank),
        cmocka_unit_test(test_delete_range_by_rank_random),
        cmocka_unit_test(test_level_distribution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
