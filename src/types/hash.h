/* hash.h: the hash type API. Commands use only these functions, never an
 * encoding. A hash is held as Redis 7.2 holds it:
 *
 *   listpack   field, value, field, value... while there are at most
 *              hash-max-listpack-entries fields and no field or value is
 *              longer than hash-max-listpack-value bytes
 *   hashtable  a dict of dictKV {field sds, value sds}, both owned
 *
 * New hashes start as listpacks and convert once, for good, when a limit
 * is crossed (where Redis converts, so OBJECT ENCODING answers the same).
 * Functions that may convert take the server for its limits and change
 * the kvobj's encoding and value in place. */
#ifndef STASH_HASH_H
#define STASH_HASH_H

#include "core/dict.h"
#include "types/object.h"

struct server;

typedef struct hashIter {
    kvobj *o;
    unsigned encoding;
    dictIterator di;  /* hashtable */
    unsigned char *p; /* listpack: the field last returned */
} hashIter;

void hash_register(void);
value hash_new_value(void); /* an empty listpack hash */
/* Converts to hashtable now if the field/value arguments argv[start..end]
 * of a write would not fit a listpack (HSET, HSETNX, HMSET). */
void hash_try_conversion(const struct server *srv, kvobj *o, sds *argv, int start, int end);
unsigned long hash_len(const kvobj *o);

/* Sets field to a copy of val; returns 1 if the field is new. */
int hash_set(const struct server *srv, kvobj *o, const char *f, size_t flen, const char *v, size_t vlen);
/* The value of field into *val (borrowed until the hash changes); 0 if
 * absent. */
int hash_get(kvobj *o, const char *f, size_t flen, elem *val);
int hash_exists(kvobj *o, const char *f, size_t flen);
int hash_del(kvobj *o, const char *f, size_t flen);

void hash_iter_init(hashIter *it, kvobj *o);
int hash_iter_next(hashIter *it, elem *field, elem *val); /* 0 at the end */
void hash_iter_release(hashIter *it);

/* A random field and its value (the hash must not be empty). */
void hash_random(kvobj *o, elem *field, elem *val);
/* HRANDFIELD key count: `count` fields with their values; distinct (at
 * most the size) when unique, else drawn independently. */
typedef void hashEmitFn(void *ctx, const elem *field, const elem *val);
void hash_random_count(kvobj *o, unsigned long count, int unique, hashEmitFn *emit, void *ctx);

void hash_convert(kvobj *o, unsigned encoding);

#endif
