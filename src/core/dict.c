/* dict.c: the intrusive hash table declared in dict.h.
 *
 * Sizing: tables are powers of two. A table grows to the next power of two
 * above used*2 when used reaches the size (load factor 1), or 5 while resize
 * is discouraged (a fork is running), and callers shrink tables explicitly
 * (the cron does it when fill drops below 10%).
 *
 * Rehashing moves whole buckets from table[0] to table[1]; rehash_idx is the
 * next bucket of table[0] to move. A "safe" iterator pauses rehashing so the
 * caller may delete entries while iterating; an unsafe one checks a
 * fingerprint of the table on release and aborts if the table changed.
 *
 * Hashing is SipHash-1-2 with a random 128-bit seed per process, which keeps
 * attacker-chosen keys from piling into one bucket. */
#include "dict.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "sds.h"
#include "zmalloc.h"

#define DICT_INITIAL_EXP 2
#define DICT_FORCE_RATIO 5

static int resize_allowed = 1;
static uint8_t hash_seed[16];

void dict_set_resize_allowed(int allowed) { resize_allowed = allowed; }
void dict_set_hash_seed(const uint8_t seed[16]) { memcpy(hash_seed, seed, 16); }

/* ---- SipHash-1-2 (one compression round, two finalization rounds). */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                            \
    do {                                                                                                    \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                                          \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                                              \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                                              \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                                          \
    } while (0)

static uint64_t load_le64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v; /* x86-64 and every target we build on are little endian */
}

static uint64_t siphash(const uint8_t *in, size_t len, int nocase) {
    uint64_t k0 = load_le64(hash_seed), k1 = load_le64(hash_seed + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = (uint64_t)len << 56;
    size_t full = len & ~(size_t)7;
    uint8_t tmp[8];
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m;
        if (nocase) {
            for (int j = 0; j < 8; j++) tmp[j] = (uint8_t)tolower(in[i + j]);
            m = load_le64(tmp);
        } else {
            m = load_le64(in + i);
        }
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t j = 0; j < (len & 7); j++) {
        uint8_t c = in[full + j];
        if (nocase) c = (uint8_t)tolower(c);
        b |= (uint64_t)c << (8 * j);
    }
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t dict_hash_bytes(const void *buf, size_t len) { return siphash(buf, len, 0); }
uint64_t dict_hash_bytes_nocase(const void *buf, size_t len) { return siphash(buf, len, 1); }

/* ---- sds helpers for the common dictionary types. */
uint64_t dict_sds_hash(const void *key) { return dict_hash_bytes(key, sdslen((sds)key)); }
uint64_t dict_sds_case_hash(const void *key) { return dict_hash_bytes_nocase(key, sdslen((sds)key)); }
int dict_sds_equal(const void *a, const void *b) {
    size_t l = sdslen((sds)a);
    return l == sdslen((sds)b) && memcmp(a, b, l) == 0;
}
/* Byte by byte rather than strncasecmp, which would stop at a NUL inside
 * the key and call "a\0b" and "a\0c" equal. */
int dict_sds_case_equal(const void *a, const void *b) {
    size_t l = sdslen((sds)a);
    if (l != sdslen((sds)b)) return 0;
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < l; i++)
        if (tolower(x[i]) != tolower(y[i])) return 0;
    return 1;
}
const void *dict_kv_key(const void *entry) { return ((const dictKV *)entry)->key; }
const void *dict_key_key(const void *entry) { return ((const dictKey *)entry)->key; }

/* ---- entry <-> link conversions. */
static inline dictLink *link_of(const dict *d, void *entry) {
    return (dictLink *)((char *)entry + d->type->link_offset);
}
static inline void *entry_of(const dict *d, dictLink *l) { return (char *)l - d->type->link_offset; }
static inline const void *key_of(const dict *d, dictLink *l) { return d->type->entry_key(entry_of(d, l)); }
static inline uint64_t mask_of(const dict *d, int t) {
    return d->size_exp[t] ? (1ULL << d->size_exp[t]) - 1 : 0;
}

static void reset_table(dict *d, int t) {
    d->table[t] = NULL;
    d->size_exp[t] = 0;
    d->used[t] = 0;
}

dict *dict_create(const dictType *type) {
    dict *d = zmalloc(sizeof(*d));
    d->type = type;
    reset_table(d, 0);
    reset_table(d, 1);
    d->rehash_idx = -1;
    d->pause_rehash = 0;
    d->metadata = NULL;
    return d;
}

static void clear_table(dict *d, int t, void (*progress)(dict *)) {
    uint64_t size = d->size_exp[t] ? 1ULL << d->size_exp[t] : 0;
    for (uint64_t i = 0; i < size && d->used[t] > 0; i++) {
        if (progress && (i & 65535) == 0) progress(d);
        dictLink *l = d->table[t][i];
        while (l) {
            dictLink *next = l->next;
            if (d->type->entry_free) d->type->entry_free(entry_of(d, l));
            d->used[t]--;
            l = next;
        }
    }
    zfree(d->table[t]);
    reset_table(d, t);
}

void dict_empty(dict *d, void (*progress)(dict *)) {
    clear_table(d, 0, progress);
    clear_table(d, 1, progress);
    d->rehash_idx = -1;
    d->pause_rehash = 0;
}

void dict_release(dict *d) {
    if (!d) return;
    dict_empty(d, NULL);
    zfree(d);
}

static int exp_for(uint64_t size) {
    int e = DICT_INITIAL_EXP;
    if (size >= (1ULL << 62)) return 62;
    while ((1ULL << e) < size) e++;
    return e;
}

static int expand(dict *d, uint64_t size, int try) {
    if (dict_is_rehashing(d) || d->used[0] > size) return -1;
    int e = exp_for(size);
    if (d->size_exp[0] && (uint64_t)e == d->size_exp[0]) return -1;
    uint64_t n = 1ULL << e;
    if (n > SIZE_MAX / sizeof(dictLink *)) return -1; /* the byte count would wrap */
    dictLink **t;
    if (try) {
        t = ztrymalloc(n * sizeof(dictLink *));
        if (!t) return -1;
        memset(t, 0, n * sizeof(dictLink *));
    } else {
        t = zcalloc(n * sizeof(dictLink *));
    }
    if (d->table[0] == NULL) {
        d->table[0] = t;
        d->size_exp[0] = e;
        return 0;
    }
    d->table[1] = t;
    d->size_exp[1] = e;
    d->used[1] = 0;
    d->rehash_idx = 0;
    return 0;
}

int dict_expand(dict *d, uint64_t size) { return expand(d, size, 0); }
int dict_try_expand(dict *d, uint64_t size) { return expand(d, size, 1); }

int dict_shrink_to_fit(dict *d) {
    if (!resize_allowed || dict_is_rehashing(d)) return -1;
    uint64_t minimal = d->used[0] < (1ULL << DICT_INITIAL_EXP) ? (1ULL << DICT_INITIAL_EXP) : d->used[0];
    return expand(d, minimal, 0);
}

/* Moves up to n buckets; visits at most n*10 empty buckets so one call is
 * bounded even on a sparse table. */
int dict_rehash(dict *d, int n) {
    int empty_visits = n * 10;
    if (!dict_is_rehashing(d)) return 0;
    while (n-- && d->used[0] != 0) {
        uint64_t size0 = 1ULL << d->size_exp[0];
        assert((uint64_t)d->rehash_idx < size0);
        while (d->table[0][d->rehash_idx] == NULL) {
            d->rehash_idx++;
            if (--empty_visits == 0) return 1;
        }
        dictLink *l = d->table[0][d->rehash_idx];
        uint64_t m1 = mask_of(d, 1);
        while (l) {
            dictLink *next = l->next;
            uint64_t h = d->type->hash(key_of(d, l)) & m1;
            l->next = d->table[1][h];
            d->table[1][h] = l;
            d->used[0]--;
            d->used[1]++;
            l = next;
        }
        d->table[0][d->rehash_idx] = NULL;
        d->rehash_idx++;
    }
    if (d->used[0] == 0) {
        zfree(d->table[0]);
        d->table[0] = d->table[1];
        d->size_exp[0] = d->size_exp[1];
        d->used[0] = d->used[1];
        reset_table(d, 1);
        d->rehash_idx = -1;
        return 0;
    }
    return 1;
}

static long long now_us(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int dict_rehash_ms(dict *d, int ms) {
    if (d->pause_rehash > 0) return 0;
    long long start = now_us();
    int moved = 0;
    while (dict_rehash(d, 100)) {
        moved += 100;
        if (now_us() - start > ms * 1000LL) break;
    }
    return moved;
}

static void rehash_step(dict *d) {
    if (d->pause_rehash == 0) dict_rehash(d, 1);
}

static void expand_if_needed(dict *d) {
    if (dict_is_rehashing(d)) return;
    if (d->size_exp[0] == 0) {
        expand(d, 1ULL << DICT_INITIAL_EXP, 0);
        return;
    }
    uint64_t size = 1ULL << d->size_exp[0];
    if (d->used[0] >= size && (resize_allowed || d->used[0] / size > DICT_FORCE_RATIO))
        expand(d, d->used[0] + 1, 0);
}

void *dict_find_hashed(dict *d, const void *key, uint64_t hash) {
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) rehash_step(d);
    for (int t = 0; t <= 1; t++) {
        if (!d->table[t]) break;
        for (dictLink *l = d->table[t][hash & mask_of(d, t)]; l; l = l->next)
            if (d->type->key_equal(key, key_of(d, l))) return entry_of(d, l);
        if (!dict_is_rehashing(d)) break;
    }
    return NULL;
}

void *dict_find(dict *d, const void *key) {
    if (dict_size(d) == 0) return NULL;
    return dict_find_hashed(d, key, d->type->hash(key));
}

void dict_add_new(dict *d, void *entry) {
    if (dict_is_rehashing(d)) rehash_step(d);
    expand_if_needed(d);
    int t = dict_is_rehashing(d) ? 1 : 0;
    uint64_t h = d->type->hash(d->type->entry_key(entry)) & mask_of(d, t);
    dictLink *l = link_of(d, entry);
    l->next = d->table[t][h];
    d->table[t][h] = l;
    d->used[t]++;
}

int dict_add(dict *d, void *entry) {
    if (dict_find(d, d->type->entry_key(entry))) return -1;
    dict_add_new(d, entry);
    return 0;
}

/* Finds the slot (pointer to the link pointer) holding key, or NULL. */
static dictLink **find_slot(dict *d, const void *key, int *table_out) {
    uint64_t h = d->type->hash(key);
    for (int t = 0; t <= 1; t++) {
        if (!d->table[t]) break;
        dictLink **pp = &d->table[t][h & mask_of(d, t)];
        for (; *pp; pp = &(*pp)->next) {
            if (d->type->key_equal(key, key_of(d, *pp))) {
                *table_out = t;
                return pp;
            }
        }
        if (!dict_is_rehashing(d)) break;
    }
    return NULL;
}

void *dict_unlink(dict *d, const void *key) {
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) rehash_step(d);
    int t;
    dictLink **pp = find_slot(d, key, &t);
    if (!pp) return NULL;
    dictLink *l = *pp;
    *pp = l->next;
    d->used[t]--;
    return entry_of(d, l);
}

int dict_replace_entry(dict *d, void *old_entry, void *new_entry) {
    int t;
    dictLink **pp = find_slot(d, d->type->entry_key(old_entry), &t);
    if (!pp || *pp != link_of(d, old_entry)) return -1;
    dictLink *nl = link_of(d, new_entry);
    nl->next = (*pp)->next;
    *pp = nl;
    return 0;
}

/* ---- iteration. */
static uint64_t fingerprint(dict *d) {
    uint64_t parts[6] = {(uint64_t)(uintptr_t)d->table[0], d->size_exp[0], d->used[0],
                         (uint64_t)(uintptr_t)d->table[1], d->size_exp[1], d->used[1]};
    uint64_t h = 0;
    for (int i = 0; i < 6; i++) {
        h += parts[i];
        h = (~h) + (h << 21);
        h ^= h >> 24;
        h = h * 265;
        h ^= h >> 14;
    }
    return h;
}

void dict_iter_init(dictIterator *it, dict *d, int safe) {
    it->d = d;
    it->index = -1;
    it->table = 0;
    it->safe = safe;
    it->link = it->next_link = NULL;
    it->fingerprint = 0;
}

void *dict_iter_next(dictIterator *it) {
    dict *d = it->d;
    for (;;) {
        if (it->link == NULL) {
            if (it->index == -1 && it->table == 0) {
                if (it->safe) d->pause_rehash++;
                else it->fingerprint = fingerprint(d);
            }
            it->index++;
            uint64_t size = d->size_exp[it->table] ? 1ULL << d->size_exp[it->table] : 0;
            if ((uint64_t)it->index >= size) {
                if (dict_is_rehashing(d) && it->table == 0) {
                    it->table++;
                    it->index = 0;
                    size = 1ULL << d->size_exp[1];
                } else {
                    return NULL;
                }
            }
            if (!d->table[it->table]) return NULL;
            it->link = d->table[it->table][it->index];
        } else {
            it->link = it->next_link;
        }
        if (it->link) {
            it->next_link = it->link->next;
            return entry_of(d, it->link);
        }
    }
}

void dict_iter_release(dictIterator *it) {
    if (!(it->index == -1 && it->table == 0)) {
        if (it->safe) it->d->pause_rehash--;
        else assert(it->fingerprint == fingerprint(it->d));
    }
}

/* ---- random sampling. */
void *dict_random_entry(dict *d) {
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) rehash_step(d);
    dictLink *l = NULL;
    if (dict_is_rehashing(d)) {
        uint64_t s0 = 1ULL << d->size_exp[0];
        uint64_t span = s0 + (1ULL << d->size_exp[1]) - (uint64_t)d->rehash_idx;
        do {
            uint64_t h = (uint64_t)d->rehash_idx + ((uint64_t)random() * RAND_MAX + random()) % span;
            l = h >= s0 ? d->table[1][h - s0] : d->table[0][h];
        } while (!l);
    } else {
        uint64_t m = mask_of(d, 0);
        do {
            l = d->table[0][((uint64_t)random() * RAND_MAX + random()) & m];
        } while (!l);
    }
    /* Pick uniformly within the chain. */
    unsigned len = 0;
    for (dictLink *p = l; p; p = p->next) len++;
    unsigned pick = (unsigned)(random() % len);
    while (pick--) l = l->next;
    return entry_of(d, l);
}

/* Walks consecutive buckets from a random index (both tables while
 * rehashing, skipping the already-moved part of table 0), jumping elsewhere
 * after a run of empty buckets, for at most count*10 buckets. Every entry
 * of a visited chain is considered: once out[] is full the rest of the
 * chain replaces slots by reservoir sampling, so long chains are not
 * sampled only by their heads. After a random jump or a wrap past the last
 * bucket, a bucket may come round again; from then on entries already in
 * out[] are skipped, so one call never returns an entry twice. */
static int already_sampled(void **out, unsigned long n, void *e) {
    for (unsigned long k = 0; k < n; k++)
        if (out[k] == e) return 1;
    return 0;
}

unsigned dict_sample(dict *d, void **out, unsigned count) {
    uint64_t total = dict_size(d);
    if (total == 0) return 0;
    if (count > total) count = (unsigned)total;
    for (unsigned j = 0; j < count && dict_is_rehashing(d); j++) rehash_step(d);
    int tables = dict_is_rehashing(d) ? 2 : 1;
    uint64_t maxmask = mask_of(d, 0);
    if (tables > 1 && mask_of(d, 1) > maxmask) maxmask = mask_of(d, 1);
    uint64_t i = ((uint64_t)random() * RAND_MAX + random()) & maxmask;
    unsigned long empty = 0, stored = 0, seen = 0, maxsteps = count * 10UL;
    int may_repeat = 0;
    while (stored < count && maxsteps--) {
        for (int t = 0; t < tables; t++) {
            if (tables == 2 && t == 0 && i < (uint64_t)d->rehash_idx) {
                /* Moved buckets of table 0 are empty; if table 1 is too
                 * small to have this index either, skip ahead. */
                if (i >= (1ULL << d->size_exp[1])) i = (uint64_t)d->rehash_idx;
                else continue;
            }
            if (i >= (1ULL << d->size_exp[t])) continue;
            dictLink *l = d->table[t][i];
            if (!l) {
                if (++empty >= 5 && empty > count) {
                    i = ((uint64_t)random() * RAND_MAX + random()) & maxmask;
                    empty = 0;
                    may_repeat = 1;
                }
                continue;
            }
            empty = 0;
            for (; l; l = l->next) {
                void *e = entry_of(d, l);
                if (may_repeat && already_sampled(out, stored, e)) continue;
                if (stored < count) {
                    out[stored++] = e;
                } else {
                    unsigned long r = (unsigned long)random() % (seen + 1);
                    if (r < count) out[r] = e;
                }
                seen++;
            }
            if (stored == count) return (unsigned)stored;
        }
        i = (i + 1) & maxmask;
        if (i == 0) may_repeat = 1; /* wrapped around */
    }
    return (unsigned)stored;
}

void *dict_fair_random_entry(dict *d) {
    void *sample[16];
    unsigned n = dict_sample(d, sample, 16);
    if (n == 0) return dict_random_entry(d);
    return sample[random() % n];
}

/* ---- SCAN.
 * The cursor is a bucket index whose bits are incremented from the most
 * significant end (reverse the bits, add one, reverse back). Because tables
 * are powers of two, bucket i of a table of size 2^n expands to buckets
 * i and i + 2^n of a table of size 2^(n+1): with the reversed increment,
 * both children come after the parent's position in cursor order, and when
 * shrinking, the buckets that fold together are visited together. So a
 * resize between calls never skips a bucket (it may return an entry twice).
 * During a rehash we visit the cursor's bucket in the smaller table and all
 * buckets of the larger table that expand from it. */
static unsigned long rev(unsigned long v) {
    unsigned long s = 8 * sizeof(v), mask = ~0UL;
    while ((s >>= 1) > 0) {
        mask ^= (mask << s);
        v = ((v >> s) & mask) | ((v << s) & ~mask);
    }
    return v;
}

static void scan_bucket(dict *d, dictLink *l, dictScanFn *fn, void *privdata) {
    while (l) {
        dictLink *next = l->next; /* fn may unlink the entry */
        fn(privdata, entry_of(d, l));
        l = next;
    }
}

unsigned long dict_scan(dict *d, unsigned long v, dictScanFn *fn, void *privdata) {
    if (dict_size(d) == 0) return 0;
    d->pause_rehash++;
    if (!dict_is_rehashing(d)) {
        unsigned long m0 = (unsigned long)mask_of(d, 0);
        scan_bucket(d, d->table[0][v & m0], fn, privdata);
        v |= ~m0;
        v = rev(v);
        v++;
        v = rev(v);
    } else {
        int small = 0, large = 1;
        if (d->size_exp[0] > d->size_exp[1]) small = 1, large = 0;
        unsigned long m0 = (unsigned long)mask_of(d, small), m1 = (unsigned long)mask_of(d, large);
        scan_bucket(d, d->table[small][v & m0], fn, privdata);
        do {
            scan_bucket(d, d->table[large][v & m1], fn, privdata);
            v |= ~m1;
            v = rev(v);
            v++;
            v = rev(v);
        } while (v & (m0 ^ m1));
    }
    d->pause_rehash--;
    return v;
}
