/* test_dict.c: unit tests for core/dict.c.
 *
 * Most tests store `item`s, whose dictLink is deliberately not the first
 * field, so every path goes through the type's link_offset. The central
 * test adds, finds, replaces and unlinks 100k entries across more than a
 * dozen table expansions and checks every step against a plain array. The
 * others check iteration while a rehash is in progress (a safe iterator
 * that deletes, an unsafe one that must see each entry once), the SCAN
 * guarantee (every entry present for the whole scan is returned at least
 * once) while the table grows and while it shrinks, random entries and
 * samples (always members, never duplicated within one sample, even in a
 * table of long chains), the sds-keyed dictKV/dictKey helpers, and memory:
 * dict_release must free every entry through entry_free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dict.h"
#include "core/sds.h"
#include "core/zmalloc.h"

/* -------------------------------------------------------------- items */

typedef struct item {
    uint64_t key;
    int64_t value;
    dictLink link; /* in the middle: the dict must use link_offset */
    int in_dict;   /* maintained by the tests, checked against the dict */
} item;

static uint64_t item_hash(const void *key) { return dict_hash_bytes(key, sizeof(uint64_t)); }
/* A terrible hash: eight distinct values, so chains get long. */
static uint64_t item_bad_hash(const void *key) { return *(const uint64_t *)key % 8; }
static int item_equal(const void *a, const void *b) { return *(const uint64_t *)a == *(const uint64_t *)b; }
static const void *item_key(const void *e) { return &((const item *)e)->key; }

static const dictType item_type = {item_hash, item_equal, item_key, NULL, offsetof(item, link)};
static const dictType chained_type = {item_bad_hash, item_equal, item_key, NULL, offsetof(item, link)};

static item *make_items(size_t n) {
    item *it = calloc(n, sizeof(item));
    for (size_t i = 0; i < n; i++) {
        it[i].key = i;
        it[i].value = (int64_t)i * 3;
    }
    return it;
}

/* Adds items[from..to) and marks them. */
static void add_range(dict *d, item *items, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        assert_int_equal(dict_add(d, &items[i]), 0);
        items[i].in_dict = 1;
    }
}

/* The dict holds exactly the marked items, each findable, and its size
 * agrees. */
static void check_contents(dict *d, item *items, size_t n) {
    uint64_t marked = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = items[i].key;
        item *f = dict_find(d, &k);
        if (items[i].in_dict) {
            marked++;
            assert_ptr_equal(f, &items[i]);
        } else {
            assert_null(f);
        }
    }
    assert_int_equal(dict_size(d), marked);
}

static void finish_rehash(dict *d) {
    while (dict_rehash(d, 100)) {
    }
    assert_false(dict_is_rehashing(d));
}

/* Builds a dict of n items that is early in a rehash (to twice the size):
 * both tables hold entries. */
static dict *dict_mid_rehash(item *items, size_t n) {
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, n);
    finish_rehash(d);
    assert_int_equal(dict_expand(d, dict_buckets(d) * 2), 0);
    dict_rehash(d, 3);
    assert_true(dict_is_rehashing(d));
    assert_true(d->used[0] > 0 && d->used[1] > 0);
    return d;
}

/* ------------------------------------------------------- basic operations */

static void test_empty_dict(void **state) {
    dict *d = dict_create(&item_type);
    uint64_t k = 1;
    assert_int_equal(dict_size(d), 0);
    assert_int_equal(dict_buckets(d), 0);
    assert_false(dict_is_rehashing(d));
    assert_null(dict_find(d, &k));
    assert_null(dict_unlink(d, &k));
    assert_null(dict_random_entry(d));
    void *out[4];
    assert_int_equal(dict_sample(d, out, 4), 0);
    assert_null(dict_fair_random_entry(d));
    assert_int_equal(dict_scan(d, 0, NULL, NULL), 0);
    dictIterator it;
    dict_iter_init(&it, d, 1);
    assert_null(dict_iter_next(&it));
    dict_iter_release(&it);
    assert_int_equal(d->pause_rehash, 0);
    dict_release(d);
}

static void test_first_add_creates_four_buckets(void **state) {
    dict *d = dict_create(&item_type);
    item *items = make_items(5);
    add_range(d, items, 0, 4);
    assert_int_equal(dict_buckets(d), 4);
    assert_false(dict_is_rehashing(d));
    /* The fifth entry finds the table full: it grows (to 8) by rehashing. */
    add_range(d, items, 4, 5);
    assert_true(dict_is_rehashing(d));
    assert_int_equal(d->size_exp[1], 3);
    finish_rehash(d);
    assert_int_equal(dict_buckets(d), 8);
    check_contents(d, items, 5);
    dict_release(d);
    free(items);
}

static void test_add_find_unlink_100k(void **state) {
    const size_t n = 100000;
    dict *d = dict_create(&item_type);
    item *items = make_items(n);
    int expansions = 0, was_rehashing = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(dict_add(d, &items[i]), 0);
        items[i].in_dict = 1;
        if (dict_is_rehashing(d) && !was_rehashing) expansions++;
        was_rehashing = dict_is_rehashing(d);
        /* A few lookups mid-rehash, of old and new keys. */
        if (i % 9973 == 0) {
            uint64_t k = i / 2;
            assert_ptr_equal(dict_find(d, &k), &items[i / 2]);
        }
    }
    assert_true(expansions >= 14); /* 4 -> 131072 buckets */
    assert_int_equal(dict_size(d), n);
    check_contents(d, items, n);

    /* A key already present is refused and leaves the dict unchanged. */
    item dup = {.key = 777};
    assert_int_equal(dict_add(d, &dup), -1);
    assert_int_equal(dict_size(d), n);
    uint64_t k777 = 777;
    assert_ptr_equal(dict_find(d, &k777), &items[777]);

    /* Unlink every even key: each comes back, once. */
    for (size_t i = 0; i < n; i += 2) {
        uint64_t k = i;
        assert_ptr_equal(dict_unlink(d, &k), &items[i]);
        items[i].in_dict = 0;
        assert_null(dict_unlink(d, &k));
    }
    check_contents(d, items, n);

    /* Shrink while odd keys stay; then everything again. */
    assert_int_equal(dict_shrink_to_fit(d), 0);
    assert_true(dict_is_rehashing(d));
    for (size_t i = 0; i < n; i += 2) {
        assert_int_equal(dict_add(d, &items[i]), 0);
        items[i].in_dict = 1;
    }
    check_contents(d, items, n);
    finish_rehash(d);
    check_contents(d, items, n);
    dict_release(d);
    free(items);
}

static void test_add_new_and_find_hashed(void **state) {
    dict *d = dict_create(&item_type);
    item *items = make_items(1000);
    for (size_t i = 0; i < 1000; i++) {
        dict_add_new(d, &items[i]);
        items[i].in_dict = 1;
    }
    check_contents(d, items, 1000);
    uint64_t k = 123;
    assert_ptr_equal(dict_find_hashed(d, &k, item_hash(&k)), &items[123]);
    k = 5000;
    assert_null(dict_find_hashed(d, &k, item_hash(&k)));
    dict_release(d);
    free(items);
}

static void test_replace_entry(void **state) {
    item *items = make_items(40);
    dict *d = dict_mid_rehash(items, 40);
    item fresh[2] = {{.key = 7, .value = -1}, {.key = 39, .value = -2}};
    /* In place, in its chain, whichever table it is in. */
    assert_int_equal(dict_replace_entry(d, &items[7], &fresh[0]), 0);
    assert_int_equal(dict_replace_entry(d, &items[39], &fresh[1]), 0);
    uint64_t k = 7;
    assert_ptr_equal(dict_find(d, &k), &fresh[0]);
    k = 39;
    assert_ptr_equal(dict_find(d, &k), &fresh[1]);
    assert_int_equal(dict_size(d), 40);
    /* The old entry is no longer linked: replacing it again fails. */
    assert_int_equal(dict_replace_entry(d, &items[7], &fresh[0]), -1);
    /* An entry whose key is absent cannot be replaced. */
    item absent = {.key = 1000};
    assert_int_equal(dict_replace_entry(d, &absent, &fresh[0]), -1);
    finish_rehash(d);
    k = 7;
    assert_ptr_equal(dict_find(d, &k), &fresh[0]);
    k = 8;
    assert_ptr_equal(dict_find(d, &k), &items[8]);
    dict_release(d);
    free(items);
}

static void test_long_chains(void **state) {
    /* Eight hash values for 2000 keys: every operation walks a chain. */
    dict *d = dict_create(&chained_type);
    item *items = make_items(2000);
    add_range(d, items, 0, 2000);
    check_contents(d, items, 2000);
    for (size_t i = 0; i < 2000; i += 3) {
        uint64_t k = i;
        assert_ptr_equal(dict_unlink(d, &k), &items[i]);
        items[i].in_dict = 0;
    }
    check_contents(d, items, 2000);
    dict_release(d);
    free(items);
}

/* ---------------------------------------------------- sizing and rehash */

static void test_expand_and_shrink(void **state) {
    dict *d = dict_create(&item_type);
    assert_int_equal(dict_expand(d, 1000), 0); /* an empty dict gets its table at once */
    assert_int_equal(dict_buckets(d), 1024);
    assert_false(dict_is_rehashing(d));
    assert_int_equal(dict_expand(d, 1000), -1); /* same size: nothing to do */

    item *items = make_items(1000);
    add_range(d, items, 0, 1000);
    assert_int_equal(dict_buckets(d), 1024);  /* no growth needed */
    assert_int_equal(dict_expand(d, 10), -1); /* smaller than the contents */

    assert_int_equal(dict_expand(d, 5000), 0);
    assert_true(dict_is_rehashing(d));
    assert_int_equal(dict_expand(d, 20000), -1); /* one resize at a time */
    assert_true(dict_rehash_ms(d, 100) > 0);
    assert_false(dict_is_rehashing(d));
    assert_int_equal(dict_buckets(d), 8192);
    check_contents(d, items, 1000);

    /* Keep 10 entries, shrink to fit: 16 buckets. */
    for (size_t i = 10; i < 1000; i++) {
        uint64_t k = i;
        dict_unlink(d, &k);
        items[i].in_dict = 0;
    }
    assert_int_equal(dict_shrink_to_fit(d), 0);
    finish_rehash(d);
    assert_int_equal(dict_buckets(d), 16);
    check_contents(d, items, 1000);

    /* Absurd sizes are refused before anything is allocated. */
    assert_int_equal(dict_try_expand(d, 1ULL << 61), -1);
    assert_int_equal(dict_try_expand(d, UINT64_MAX), -1);
    assert_int_equal(dict_buckets(d), 16);
    dict_release(d);
    free(items);
}

static void test_resize_discouraged_during_fork(void **state) {
    /* While a snapshot child runs, the table only grows past 5 per bucket. */
    dict *d = dict_create(&item_type);
    item *items = make_items(100);
    add_range(d, items, 0, 4);
    dict_set_resize_allowed(0);
    add_range(d, items, 4, 24); /* up to 6 per bucket: no growth yet */
    assert_int_equal(dict_buckets(d), 4);
    assert_false(dict_is_rehashing(d));
    assert_int_equal(dict_shrink_to_fit(d), -1);
    add_range(d, items, 24, 25); /* 24 / 4 > 5: now it must grow */
    assert_true(dict_is_rehashing(d));
    dict_set_resize_allowed(1);
    finish_rehash(d);
    assert_true(dict_buckets(d) >= 32);
    check_contents(d, items, 100);
    dict_release(d);
    free(items);
}

static void test_rehash_bounded_on_sparse_table(void **state) {
    /* Shrinking a huge, nearly empty table: each dict_rehash(d, 1) call
     * looks at no more than ten empty buckets before returning. */
    dict *d = dict_create(&item_type);
    item *items = make_items(1);
    assert_int_equal(dict_expand(d, 1 << 16), 0);
    add_range(d, items, 0, 1);
    assert_int_equal(dict_shrink_to_fit(d), 0);
    assert_true(dict_is_rehashing(d));
    long target = (long)(item_hash(&items[0].key) & 0xffff); /* the entry's bucket */
    int calls = 0;
    for (;;) {
        long before = d->rehash_idx;
        int more = dict_rehash(d, 1);
        calls++;
        if (!more) break;
        assert_true(d->rehash_idx - before <= 10);
    }
    assert_true(calls >= target / 10);
    assert_int_equal(dict_buckets(d), 4);
    check_contents(d, items, 1);
    dict_release(d);
    free(items);
}

/* ------------------------------------------------------------- iteration */

static void test_safe_iterator_deletes_during_rehash(void **state) {
    const size_t n = 5000;
    item *items = make_items(n);
    dict *d = dict_mid_rehash(items, n);
    long idx = d->rehash_idx;
    unsigned char *seen = calloc(n, 1);
    dictIterator it;
    dict_iter_init(&it, d, 1);
    item *e;
    while ((e = dict_iter_next(&it)) != NULL) {
        assert_int_equal(seen[e->key], 0);
        seen[e->key] = 1;
        /* Lookups and deletes while iterating do not move buckets. */
        uint64_t probe = (e->key * 7) % n;
        dict_find(d, &probe);
        if (e->key % 2) {
            assert_ptr_equal(dict_unlink(d, &e->key), e);
            e->in_dict = 0;
        }
        assert_int_equal(d->rehash_idx, idx);
    }
    dict_iter_release(&it);
    assert_int_equal(d->pause_rehash, 0);
    for (size_t i = 0; i < n; i++) assert_int_equal(seen[i], 1);
    check_contents(d, items, n);
    assert_int_equal(dict_size(d), n / 2);
    /* Rehashing resumes once the iterator is gone. */
    uint64_t k = 0;
    dict_find(d, &k);
    assert_true(!dict_is_rehashing(d) || d->rehash_idx != idx);
    free(seen);
    dict_release(d);
    free(items);
}

static void test_safe_iterator_tolerates_adds(void **state) {
    /* Entries added during a safe iteration may or may not be returned, but
     * each entry that was there from the start comes exactly once. */
    const size_t n = 3000;
    item *items = make_items(2 * n);
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, n);
    unsigned char *seen = calloc(2 * n, 1);
    dictIterator it;
    dict_iter_init(&it, d, 1);
    item *e;
    size_t next = n;
    while ((e = dict_iter_next(&it)) != NULL) {
        assert_int_equal(seen[e->key], 0);
        seen[e->key] = 1;
        if (next < 2 * n) add_range(d, items, next, next + 1), next++;
    }
    dict_iter_release(&it);
    for (size_t i = 0; i < n; i++) assert_int_equal(seen[i], 1);
    check_contents(d, items, 2 * n);
    free(seen);
    dict_release(d);
    free(items);
}

static void test_unsafe_iterator_sees_each_entry_once(void **state) {
    const size_t n = 5000;
    item *items = make_items(n);
    dict *d = dict_mid_rehash(items, n);
    unsigned char *seen = calloc(n, 1);
    dictIterator it;
    dict_iter_init(&it, d, 0);
    item *e;
    size_t count = 0;
    while ((e = dict_iter_next(&it)) != NULL) {
        assert_int_equal(seen[e->key], 0);
        seen[e->key] = 1;
        count++;
    }
    assert_null(dict_iter_next(&it)); /* stays exhausted */
    dict_iter_release(&it);           /* fingerprint unchanged: no abort */
    assert_int_equal(count, n);
    free(seen);
    dict_release(d);
    free(items);
}

/* ------------------------------------------------------------------ scan */

typedef struct {
    unsigned *hits;
    dict *d;
    int unlink_odd; /* the callback deletes odd keys it is given */
} scanState;

static void scan_record(void *privdata, void *entry) {
    scanState *st = privdata;
    item *e = entry;
    st->hits[e->key]++;
    if (st->unlink_odd && (e->key & 1)) {
        assert_ptr_equal(dict_unlink(st->d, &e->key), e);
        e->in_dict = 0;
    }
}

static void test_scan_returns_every_entry_of_a_stable_table(void **state) {
    const size_t n = 10000;
    item *items = make_items(n);
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, n);
    finish_rehash(d);
    scanState st = {calloc(n, sizeof(unsigned)), d, 0};
    unsigned long cursor = 0;
    int calls = 0;
    do {
        cursor = dict_scan(d, cursor, scan_record, &st);
        calls++;
    } while (cursor != 0);
    /* No resize: exactly once each, one bucket per call. */
    for (size_t i = 0; i < n; i++) assert_int_equal(st.hits[i], 1);
    assert_int_equal(calls, dict_buckets(d));
    free(st.hits);
    dict_release(d);
    free(items);
}

static void test_scan_while_growing(void **state) {
    /* 2000 entries are present throughout; between scan calls 40000 more
     * arrive, so the table grows (4096 -> 65536 buckets) with rehashes in
     * progress at many of the calls. */
    const size_t base = 2000, extra = 40000;
    item *items = make_items(base + extra);
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, base);
    scanState st = {calloc(base + extra, sizeof(unsigned)), d, 0};
    unsigned long cursor = 0;
    size_t next = base;
    int calls_mid_rehash = 0;
    do {
        if (dict_is_rehashing(d)) calls_mid_rehash++;
        cursor = dict_scan(d, cursor, scan_record, &st);
        for (int j = 0; j < 20 && next < base + extra; j++, next++) add_range(d, items, next, next + 1);
    } while (cursor != 0);
    assert_true(calls_mid_rehash > 10);
    for (size_t i = 0; i < base; i++) {
        if (st.hits[i] == 0) fail_msg("key %zu never returned while the table grew", i);
    }
    free(st.hits);
    dict_release(d);
    free(items);
}

static void test_scan_while_shrinking(void **state) {
    /* Keys divisible by 10 stay for the whole scan; the others are deleted
     * as it goes, and the table is shrunk whenever it may be. */
    const size_t n = 50000;
    item *items = make_items(n);
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, n);
    finish_rehash(d);
    scanState st = {calloc(n, sizeof(unsigned)), d, 0};
    unsigned long cursor = 0;
    size_t victim = 0;
    int shrinks = 0, calls_mid_rehash = 0;
    do {
        if (dict_is_rehashing(d)) calls_mid_rehash++;
        cursor = dict_scan(d, cursor, scan_record, &st);
        for (int j = 0; j < 400 && victim < n; victim++) {
            if (victim % 10 == 0) continue;
            dict_unlink(d, &items[victim].key);
            items[victim].in_dict = 0;
            j++;
        }
        if (!dict_is_rehashing(d) && dict_size(d) * 10 < dict_buckets(d) && dict_shrink_to_fit(d) == 0)
            shrinks++;
        dict_rehash(d, 2);
    } while (cursor != 0);
    assert_true(shrinks >= 1);
    assert_true(calls_mid_rehash > 0);
    for (size_t i = 0; i < n; i += 10) {
        if (st.hits[i] == 0) fail_msg("key %zu never returned while the table shrank", i);
    }
    check_contents(d, items, n);
    free(st.hits);
    dict_release(d);
    free(items);
}

static void test_scan_callback_may_unlink(void **state) {
    const size_t n = 3000;
    item *items = make_items(n);
    dict *d = dict_mid_rehash(items, n);
    scanState st = {calloc(n, sizeof(unsigned)), d, 1};
    unsigned long cursor = 0;
    do {
        cursor = dict_scan(d, cursor, scan_record, &st);
    } while (cursor != 0);
    for (size_t i = 0; i < n; i++) assert_true(st.hits[i] >= 1);
    check_contents(d, items, n);
    assert_int_equal(dict_size(d), n / 2);
    free(st.hits);
    dict_release(d);
    free(items);
}

/* ------------------------------------------------------ random sampling */

static void check_random_members(dict *d, item *items, size_t n) {
    unsigned *picked = calloc(n, sizeof(unsigned));
    for (int round = 0; round < 20000; round++) {
        item *e = dict_random_entry(d);
        assert_non_null(e);
        assert_true(e->key < n && e == &items[e->key] && e->in_dict);
        picked[e->key]++;
        e = dict_fair_random_entry(d);
        assert_true(e != NULL && e->in_dict);

        void *out[16];
        unsigned got = dict_sample(d, out, 16);
        assert_true(got >= 1 && got <= 16);
        for (unsigned j = 0; j < got; j++) {
            item *s = out[j];
            assert_true(s->key < n && s == &items[s->key] && s->in_dict);
            for (unsigned m = 0; m < j; m++) assert_ptr_not_equal(out[m], s);
        }
    }
    /* 20000 draws over at most 200 members: every one turns up. */
    for (size_t i = 0; i < n; i++)
        if (items[i].in_dict) assert_true(picked[i] > 0);
    free(picked);
}

static void test_random_entry_and_sample_return_members(void **state) {
    const size_t n = 200;
    item *items = make_items(n);
    dict *d = dict_create(&item_type);
    add_range(d, items, 0, n);
    check_random_members(d, items, n);
    /* Mid-rehash, including a shrinking one. */
    dict_release(d);
    d = dict_mid_rehash(items, n);
    check_random_members(d, items, n);
    for (size_t i = 0; i < n; i++)
        if (i % 5) {
            dict_unlink(d, &items[i].key);
            items[i].in_dict = 0;
        }
    finish_rehash(d);
    assert_int_equal(dict_shrink_to_fit(d), 0);
    assert_true(dict_is_rehashing(d));
    check_random_members(d, items, n);
    dict_release(d);
    free(items);
}

static void test_sample_never_repeats(void **state) {
    /* Long chains and a count equal to the size: every member exactly once. */
    const size_t n = 40;
    item *items = make_items(n);
    dict *d = dict_create(&chained_type);
    add_range(d, items, 0, n);
    for (int round = 0; round < 500; round++) {
        void *out[64];
        unsigned got = dict_sample(d, out, 64); /* more than there are */
        assert_true(got <= n);
        unsigned char seen[40] = {0};
        for (unsigned j = 0; j < got; j++) {
            item *s = out[j];
            assert_int_equal(seen[s->key], 0);
            seen[s->key] = 1;
        }
    }
    /* A sparse table: four members among 16384 buckets. */
    dict_release(d);
    d = dict_create(&item_type);
    assert_int_equal(dict_expand(d, 16384), 0);
    add_range(d, items, 0, 4);
    for (int round = 0; round < 2000; round++) {
        void *out[4];
        unsigned got = dict_sample(d, out, 4);
        for (unsigned j = 0; j < got; j++)
            for (unsigned m = 0; m < j; m++) assert_ptr_not_equal(out[m], out[j]);
    }
    dict_release(d);
    free(items);
}

/* --------------------------------------------- dictKV, dictKey and memory */

static void kv_free(void *entry) {
    dictKV *kv = entry;
    sdsfree(kv->key);
    sdsfree(kv->v.val);
    zfree(kv);
}

static const dictType kv_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, kv_free, offsetof(dictKV, link)};
static const dictType kv_case_type = {dict_sds_case_hash, dict_sds_case_equal, dict_kv_key, kv_free,
                                      offsetof(dictKV, link)};

static dictKV *new_kv(const char *k, size_t klen, const char *v) {
    dictKV *kv = zmalloc(sizeof(*kv));
    kv->key = sdsnewlen(k, klen);
    kv->v.val = sdsnew(v);
    return kv;
}

static void test_dictkv_with_sds_keys(void **state) {
    size_t before = zmalloc_used_memory();
    dict *d = dict_create(&kv_type);
    for (int i = 0; i < 1000; i++) {
        char k[32];
        int l = snprintf(k, sizeof(k), "key:%d", i);
        assert_int_equal(dict_add(d, new_kv(k, (size_t)l, "v")), 0);
    }
    /* Binary keys that differ only after a NUL are different keys. */
    assert_int_equal(dict_add(d, new_kv("bin\0a", 5, "A")), 0);
    assert_int_equal(dict_add(d, new_kv("bin\0b", 5, "B")), 0);
    sds probe = sdsnewlen("bin\0b", 5);
    dictKV *found = dict_find(d, probe);
    assert_non_null(found);
    assert_string_equal(found->v.val, "B");
    sdsfree(probe);
    probe = sdsnew("key:999");
    assert_non_null(dict_find(d, probe));
    sdsfree(probe);
    probe = sdsnew("KEY:999");
    assert_null(dict_find(d, probe)); /* case matters here */
    sdsfree(probe);
    assert_int_equal(dict_size(d), 1002);

    /* Unlinked entries are the caller's to free. */
    probe = sdsnew("key:5");
    dictKV *gone = dict_unlink(d, probe);
    assert_non_null(gone);
    kv_free(gone);
    sdsfree(probe);

    /* dict_release frees every entry through entry_free. */
    dict_release(d);
    assert_int_equal(zmalloc_used_memory(), before);
}

static void test_case_insensitive_dict(void **state) {
    dict *d = dict_create(&kv_case_type);
    assert_int_equal(dict_add(d, new_kv("MaxMemory", 9, "1")), 0);
    sds probe = sdsnew("maxmemory");
    assert_non_null(dict_find(d, probe));
    sdsfree(probe);
    probe = sdsnew("MAXMEMORY");
    assert_non_null(dict_find(d, probe));
    sdsfree(probe);
    dictKV *dup = new_kv("MAXmemory", 9, "2");
    assert_int_equal(dict_add(d, dup), -1);
    kv_free(dup);
    /* Equal ignoring case, and binary-safe: bytes after a NUL count. */
    assert_int_equal(dict_add(d, new_kv("A\0b", 3, "x")), 0);
    sds same = sdsnewlen("a\0B", 3), other = sdsnewlen("a\0C", 3);
    assert_int_equal(dict_sds_case_equal(same, other), 0);
    assert_non_null(dict_find(d, same));
    assert_null(dict_find(d, other));
    sds upper = sdsnewlen("A\0b", 3);
    assert_int_equal(dict_sds_case_hash(same), dict_sds_case_hash(upper));
    sdsfree(upper);
    sdsfree(same);
    sdsfree(other);
    dict_release(d);
}

static void key_free(void *entry) {
    dictKey *k = entry;
    sdsfree(k->key);
    zfree(k);
}

static void test_dictkey_set(void **state) {
    static const dictType set_type = {dict_sds_hash, dict_sds_equal, dict_key_key, key_free,
                                      offsetof(dictKey, link)};
    size_t before = zmalloc_used_memory();
    dict *d = dict_create(&set_type);
    const char *members[] = {"a", "b", "c", "a"};
    int added = 0;
    for (int i = 0; i < 4; i++) {
        dictKey *k = zmalloc(sizeof(*k));
        k->key = sdsnew(members[i]);
        if (dict_add(d, k) == 0)
            added++;
        else
            key_free(k);
    }
    assert_int_equal(added, 3);
    assert_int_equal(dict_size(d), 3);
    dict_release(d);
    assert_int_equal(zmalloc_used_memory(), before);
}

static int progress_calls;
static void count_progress(dict *d) { progress_calls++; }
static int freed;
static void count_free(void *entry) { freed++; }

static void test_empty_calls_progress_and_frees(void **state) {
    static const dictType counted = {item_hash, item_equal, item_key, count_free, offsetof(item, link)};
    const size_t n = 100000;
    item *items = make_items(n);
    dict *d = dict_create(&counted);
    add_range(d, items, 0, n);
    progress_calls = freed = 0;
    dict_empty(d, count_progress);
    assert_int_equal(freed, n);
    assert_true(progress_calls >= 2); /* every 65536 buckets */
    assert_int_equal(dict_size(d), 0);
    assert_int_equal(dict_buckets(d), 0);
    assert_false(dict_is_rehashing(d));
    /* Usable again afterwards. */
    add_range(d, items, 0, 10);
    assert_int_equal(dict_size(d), 10);
    freed = 0;
    dict_release(d);
    assert_int_equal(freed, 10);
    free(items);
}

static void test_hashing(void **state) {
    assert_int_equal(dict_hash_bytes("abc", 3), dict_hash_bytes("abc", 3));
    assert_int_not_equal(dict_hash_bytes("abc", 3), dict_hash_bytes("abd", 3));
    assert_int_not_equal(dict_hash_bytes("abc", 3), dict_hash_bytes("abc\0", 4));
    assert_int_equal(dict_hash_bytes_nocase("HeLLo, World!", 13),
                     dict_hash_bytes_nocase("hello, world!", 13));
    assert_int_equal(dict_hash_bytes_nocase("abc", 3), dict_hash_bytes("abc", 3));
    /* The seed changes every hash. */
    uint64_t before = dict_hash_bytes("seeded", 6);
    uint8_t seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    dict_set_hash_seed(seed);
    assert_int_not_equal(dict_hash_bytes("seeded", 6), before);
    memset(seed, 0, sizeof(seed));
    dict_set_hash_seed(seed);
    assert_int_equal(dict_hash_bytes("seeded", 6), before);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_dict),
        cmocka_unit_test(test_first_add_creates_four_buckets),
        cmocka_unit_test(test_add_find_unlink_100k),
        cmocka_unit_test(test_add_new_and_find_hashed),
        cmocka_unit_test(test_replace_entry),
        cmocka_unit_test(test_long_chains),
        cmocka_unit_test(test_expand_and_shrink),
        cmocka_unit_test(test_resize_discouraged_during_fork),
        cmocka_unit_test(test_rehash_bounded_on_sparse_table),
        cmocka_unit_test(test_safe_iterator_deletes_during_rehash),
        cmocka_unit_test(test_safe_iterator_tolerates_adds),
        cmocka_unit_test(test_unsafe_iterator_sees_each_entry_once),
        cmocka_unit_test(test_scan_returns_every_entry_of_a_stable_table),
        cmocka_unit_test(test_scan_while_growing),
        cmocka_unit_test(test_scan_while_shrinking),
        cmocka_unit_test(test_scan_callback_may_unlink),
        cmocka_unit_test(test_random_entry_and_sample_return_members),
        cmocka_unit_test(test_sample_never_repeats),
        cmocka_unit_test(test_dictkv_with_sds_keys),
        cmocka_unit_test(test_case_insensitive_dict),
        cmocka_unit_test(test_dictkey_set),
        cmocka_unit_test(test_empty_calls_progress_and_frees),
        cmocka_unit_test(test_hashing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
