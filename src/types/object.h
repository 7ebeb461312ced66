/* object.h: value objects of the keyspace.
 *
 * A kvobj is one allocation holding everything about a key: the keyspace
 * chain link, type/encoding/LRU bits, the value pointer, an optional expire
 * block (its own chain link for the expires table plus the expire time), the
 * key itself as an embedded sds, and for short strings the value as well.
 *
 *   [next][type|enc|lru][flags|keyoff][ptr] ([exp_next][expire]) [key sds] ([value sds])
 *
 * So a 16-byte key with a 16-byte value costs one 64-byte block plus its
 * bucket slot. Objects are owned by the database; functions that change the
 * layout (adding an expire) return a new pointer and the db relinks it.
 * Integer strings keep the number in ptr itself (OBJ_ENC_INT). */
#ifndef STASH_OBJECT_H
#define STASH_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/sds.h"

#define OBJ_STRING 0
#define OBJ_LIST 1
#define OBJ_SET 2
#define OBJ_ZSET 3
#define OBJ_HASH 4

#define OBJ_ENC_RAW 0
#define OBJ_ENC_INT 1
#define OBJ_ENC_HT 2
#define OBJ_ENC_INTSET 6
#define OBJ_ENC_SKIPLIST 7
#define OBJ_ENC_EMBSTR 8
#define OBJ_ENC_QUICKLIST 9
#define OBJ_ENC_LISTPACK 11

#define OBJ_EMBSTR_LIMIT 44 /* strings up to this length are embedded */
#define LRU_BITS 24
#define LRU_CLOCK_MAX ((1 << LRU_BITS) - 1)
#define LRU_CLOCK_RESOLUTION 1000 /* ms */

#define KV_HAS_EXPIRE 1

typedef struct kvobj {
    struct kvobj *next;
    unsigned type : 4;
    unsigned encoding : 4;
    unsigned lru : LRU_BITS;
    uint8_t flags;
    uint8_t key_offset; /* offset of the key sds from the object start */
    uint16_t unused;
    void *ptr;
} kvobj;

typedef struct kvExpire {
    struct kvobj *exp_next; /* chain link of the expires table */
    long long when;         /* absolute unix time in ms */
} kvExpire;

/* A value not yet attached to a key (what commands build before storing). */
typedef struct value {
    unsigned type, encoding;
    void *ptr;
} value;

static inline sds kv_key(const kvobj *o) { return (sds)((char *)o + o->key_offset); }
static inline kvExpire *kv_expire_block(const kvobj *o) { return (kvExpire *)((char *)o + sizeof(kvobj)); }
static inline long long kv_expire(const kvobj *o) {
    return (o->flags & KV_HAS_EXPIRE) ? kv_expire_block(o)->when : -1;
}

/* Builds an object for key with the given value. For strings, `v.ptr` is an
 * sds the object takes ownership of; it is stored as int, embedded or raw
 * exactly as Redis would choose (see kv_new_string). */
kvobj *kv_new(const char *key, size_t keylen, value v, long long expire, unsigned lru);
/* A new object holding o's value under key with the given expire (-1 for
 * none). The value moves: afterwards `o` is an empty shell the caller
 * releases with zfree() (never kv_free) once it is unlinked. Used to add or
 * drop the expire block (SET/EXPIRE/PERSIST) and to rename keys. */
kvobj *kv_move(kvobj *o, const char *key, size_t keylen, long long expire);
void kv_free(kvobj *o);
/* Frees a value that is not attached to an object (as built by the
 * value_* constructors or loaders); kv_free frees attached ones. */
void value_free(value v);
value kv_value(const kvobj *o);
/* Deep copy of a value (COPY). */
value value_dup(value v);

/* Strings. A string value given as bytes is encoded the way Redis encodes
 * SET values: integers that round-trip (at most 20 chars) become INT,
 * others up to 44 bytes are embedded, longer ones raw. */
value value_string(const char *p, size_t len);
value value_string_sds(sds s);           /* takes ownership, may keep s as raw */
value value_string_raw(sds s);           /* always raw (APPEND, SETRANGE results) */
/* Embedded up to 44 bytes, raw beyond, never INT: what Redis's
 * createStringObject gives (INCRBYFLOAT results). Copies p. */
value value_string_noint(const char *p, size_t len);
value value_string_ll(long long v);
/* Reads a string value: returns a pointer to its bytes (into buf for INT
 * values; buf must have 24 bytes) and its length. */
const char *kv_string_bytes(const kvobj *o, char *buf, size_t *len);
size_t kv_string_len(const kvobj *o);
/* Turns a string value into a modifiable raw sds owned by the object and
 * returns it (APPEND, SETRANGE, SETBIT work in place on it). */
sds kv_string_unshare(kvobj *o);
int kv_string_get_ll(const kvobj *o, long long *out); /* 1 if an integer */
/* SET's shortcut: replaces the value of a string object in place when the
 * new value is an integer or an embedded string that fits in the object's
 * allocation, leaving key, expire and LRU alone. Returns 0 (nothing done)
 * when the caller must build a new object instead. Never allocates. */
int kv_string_set_inplace(kvobj *o, const char *p, size_t len);

/* A header-only object around a value under construction (SINTERSTORE
 * results, RDB loaders): the type APIs, which work on kvobj so that they
 * can change the encoding in place, accept it like a stored object, and
 * kv_value() hands the result on (to db_set, or out of a loader). It has
 * no key and is never linked into a database. */
static inline kvobj kv_temp(value v) {
    kvobj o = {0};
    o.type = v.type;
    o.encoding = v.encoding;
    o.ptr = v.ptr;
    return o;
}

/* One element of a collection as the type APIs hand it out: its bytes
 * (s, len). Elements stored as integers (intset, listpack) are printed
 * into buf, so s may point into the struct itself: read it in place and
 * do not copy the struct while s is in use. is_int says the element is a
 * canonical integer held as one, with its value in v (set algebra uses it
 * to skip parsing). */
typedef struct elem {
    const char *s;
    size_t len;
    int is_int;
    long long v;
    char buf[32]; /* an int64, or a score as d2string prints it */
} elem;

void elem_set_str(elem *e, const char *s, size_t len);
void elem_set_int(elem *e, long long v);
/* Reads the listpack entry at p (core/listpack.h). */
void elem_from_lp(elem *e, const unsigned char *p);
static inline sds elem_sds(const elem *e) { return sdsnewlen(e->s, e->len); }
/* An sds holding (p, len) for a dict lookup, built in the caller's buf
 * when it fits (no allocation), else on the heap; release it with
 * lookup_key_done(buf, key). */
#define LOOKUP_KEY_BUF 128
static inline sds lookup_key(char *buf, const char *p, size_t len) {
    return len + 10 <= LOOKUP_KEY_BUF ? sdsEmbed(buf, p, len) : sdsnewlen(p, len);
}
static inline void lookup_key_done(char *buf, sds key) {
    if (sdsAllocPtr(key) != (void *)buf) sdsfree(key);
}

/* A scratch set of strings (dictKey entries owning an sds), for duplicate
 * checks and distinct random picks; free it with dict_release. */
struct dict;
struct dict *strset_new(unsigned long cap);
int strset_add(struct dict *d, const char *s, size_t len); /* 1 if it was not there */

/* Checks a listpack blob from an RDB file or a RESTORE payload before a
 * collection adopts it: structure always (every entry, see lp_validate),
 * an even count when it holds pairs (field/value, member/score), and when
 * check_dups no element (no key, for pairs) twice, as Redis's
 * sanitize-dump-payload does. Returns 1 if valid. */
int obj_lp_validate(const void *blob, size_t size, int check_dups, int pairs);

const char *obj_type_name(unsigned type);
const char *obj_encoding_name(unsigned enc);

/* Per-type free hooks so this file needs no knowledge of collection
 * internals; each type module registers its own at start-up. */
typedef void (*valueFreeFn)(unsigned encoding, void *ptr);
typedef void *(*valueDupFn)(unsigned encoding, void *ptr);
void obj_register_type(unsigned type, valueFreeFn free_fn, valueDupFn dup_fn);

#endif
