/* dict.h: intrusive chained hash table with incremental rehashing.
 *
 * The table stores caller-owned entries. Every entry embeds a `dictLink`
 * (the chain pointer) at the offset named by its dictType, and the type says
 * how to get an entry's key, hash it and compare it. This lets the keyspace
 * store value objects directly (one allocation per key) while hashes and sets
 * use small {link,key,val} structs (see dictKV below).
 *
 * Two tables exist during a rehash; every add/find/delete moves one bucket
 * from the old table to the new one, and the server cron moves more in
 * 1 ms slices, so growing never stalls. Scanning uses a reverse-binary
 * cursor (see dict_scan in dict.c) so every entry present for the whole
 * scan is returned at least once even while the table is resized. */
#ifndef STASH_DICT_H
#define STASH_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dictLink {
    struct dictLink *next;
} dictLink;

typedef struct dictType {
    uint64_t (*hash)(const void *key);
    int (*key_equal)(const void *key, const void *entry_key); /* 1 when equal */
    const void *(*entry_key)(const void *entry);
    void (*entry_free)(void *entry); /* used by dict_empty/dict_release; may be NULL */
    size_t link_offset;              /* offset of the dictLink inside an entry */
} dictType;

typedef struct dict {
    const dictType *type;
    dictLink **table[2];
    uint64_t size_exp[2]; /* table size is 1<<size_exp (0 = no table) */
    uint64_t used[2];
    long rehash_idx;       /* -1 when not rehashing */
    int pause_rehash;      /* > 0 while a safe iterator is alive */
    void *metadata;        /* free for the owner's use */
} dict;

typedef struct dictIterator {
    dict *d;
    long index;
    int table, safe;
    dictLink *link, *next_link;
    uint64_t fingerprint;
} dictIterator;

typedef void dictScanFn(void *privdata, void *entry);

/* Process-wide switch: while a child process is writing a snapshot, growing
 * is avoided unless the load factor passes 5 (copy-on-write friendliness). */
void dict_set_resize_allowed(int allowed);
void dict_set_hash_seed(const uint8_t seed[16]);
uint64_t dict_hash_bytes(const void *buf, size_t len);
uint64_t dict_hash_bytes_nocase(const void *buf, size_t len);

dict *dict_create(const dictType *type);
void dict_release(dict *d);                  /* frees entries via entry_free */
void dict_empty(dict *d, void (*progress)(dict *d));
static inline uint64_t dict_size(const dict *d) { return d->used[0] + d->used[1]; }
static inline uint64_t dict_buckets(const dict *d) {
    return (d->size_exp[0] ? (1ULL << d->size_exp[0]) : 0) + (d->size_exp[1] ? (1ULL << d->size_exp[1]) : 0);
}
static inline int dict_is_rehashing(const dict *d) { return d->rehash_idx != -1; }

int dict_expand(dict *d, uint64_t size);     /* 0 ok, -1 refused */
int dict_try_expand(dict *d, uint64_t size); /* like expand, NULL-safe allocation */
int dict_shrink_to_fit(dict *d);             /* resize to fit, when allowed */
int dict_rehash(dict *d, int n);             /* 1 if more work remains */
int dict_rehash_ms(dict *d, int ms);         /* returns buckets moved */

void *dict_find(dict *d, const void *key);
void *dict_find_hashed(dict *d, const void *key, uint64_t hash);
/* Adds an entry whose key is not present; returns -1 (and adds nothing) if
 * it is. */
int dict_add(dict *d, void *entry);
/* Adds without checking for an existing key: the caller knows it is absent. */
void dict_add_new(dict *d, void *entry);
/* Removes the entry with this key and returns it (not freed), or NULL. */
void *dict_unlink(dict *d, const void *key);
/* Swaps an entry for another with an equal key, in place in its chain. */
int dict_replace_entry(dict *d, void *old_entry, void *new_entry);

void dict_iter_init(dictIterator *it, dict *d, int safe);
void *dict_iter_next(dictIterator *it);
void dict_iter_release(dictIterator *it);

void *dict_random_entry(dict *d);
/* Samples up to count entries (maybe with repetitions across calls, not
 * within one); returns how many were stored. */
unsigned dict_sample(dict *d, void **out, unsigned count);
/* A better-distributed random entry (for SPOP/RANDOMKEY fairness). */
void *dict_fair_random_entry(dict *d);
unsigned long dict_scan(dict *d, unsigned long cursor, dictScanFn *fn, void *privdata);

/* ---- dictKV: the generic {key,value} entry for sds-keyed dictionaries. */
typedef struct dictKV {
    dictLink link;
    void *key;
    union {
        void *val;
        double d;
        int64_t i;
    } v;
} dictKV;
/* A set needs no value: a dictKey entry is a link and a key. */
typedef struct dictKey {
    dictLink link;
    void *key;
} dictKey;

uint64_t dict_sds_hash(const void *key);
uint64_t dict_sds_case_hash(const void *key);
int dict_sds_equal(const void *a, const void *b);
int dict_sds_case_equal(const void *a, const void *b);
const void *dict_kv_key(const void *entry);
const void *dict_key_key(const void *entry); /* for dictKey entries */

#endif
