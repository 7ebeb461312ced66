/* set.h: the set type API. Commands use only these functions, never an
 * encoding. A set is held in one of three encodings, as in Redis 7.2:
 *
 *   intset     every member a 64-bit integer, at most set-max-intset-entries
 *   listpack   at most set-max-listpack-entries members, none longer than
 *              set-max-listpack-value bytes
 *   hashtable  a dict of sds members (dictKey entries owning their key)
 *
 * Adding converts intset -> listpack -> hashtable as limits are crossed
 * (exactly where Redis does, so OBJECT ENCODING answers the same); nothing
 * converts back down except the few places Redis rebuilds a set (SPOP
 * with a large count, SINTERSTORE results). Functions that may convert
 * take the server for its limits and work on the kvobj itself, changing
 * its encoding and value in place; a value under construction goes
 * through a kv_temp() header. */
#ifndef STASH_SET_H
#define STASH_SET_H

#include "core/dict.h"
#include "types/object.h"

struct server;

typedef struct setIter {
    kvobj *o;
    unsigned encoding;
    dictIterator di;  /* hashtable (a safe iterator: lookups may go on meanwhile) */
    uint32_t index;   /* intset */
    unsigned char *p; /* listpack: the entry last returned */
} setIter;

void set_register(void);
/* An empty set of the encoding Redis picks for a set about to receive
 * size_hint members, the first being `first` (setTypeCreate). */
value set_create(const struct server *srv, const char *first, size_t len, size_t size_hint);
value set_new_intset(void);
value set_new_listpack(size_t capacity);
/* Goes to hashtable now if size_hint more members would cross the limits
 * of the current compact encoding (SADD of many members at once). */
void set_maybe_convert(const struct server *srv, kvobj *o, size_t size_hint);
unsigned long set_len(const kvobj *o);

/* 1 if added / removed / present. */
int set_add(const struct server *srv, kvobj *o, const char *m, size_t len);
int set_add_elem(const struct server *srv, kvobj *o, const elem *e);
int set_del(kvobj *o, const char *m, size_t len);
int set_del_elem(kvobj *o, const elem *e);
int set_has(kvobj *o, const char *m, size_t len);
int set_has_elem(kvobj *o, const elem *e);

void set_iter_init(setIter *it, kvobj *o);
int set_iter_next(setIter *it, elem *e); /* 0 at the end */
void set_iter_release(setIter *it);

/* A random member (the set must not be empty). */
void set_random(kvobj *o, elem *e);
/* Removes a random member and returns it as a new sds. */
sds set_pop(kvobj *o);

/* Receives members one at a time (borrowed for the call only). */
typedef void setEmitFn(void *ctx, const elem *e);
/* SPOP key count, for 0 < count < size: removes count random members and
 * emits each, with Redis's strategy (and so its resulting encoding: when
 * few members remain, they are moved to a new set, which may be compact). */
void set_pop_count(const struct server *srv, kvobj *o, unsigned long count, setEmitFn *emit, void *ctx);
/* SRANDMEMBER key count: `count` members; distinct (at most the size)
 * when unique, else drawn independently. */
void set_random_count(kvobj *o, unsigned long count, int unique, setEmitFn *emit, void *ctx);

/* Converts to hashtable or listpack (never used to go down to intset),
 * sizing the new encoding for cap members. */
void set_convert(kvobj *o, unsigned encoding, unsigned long cap);
/* For results known to hold only integers: intset if they fit. */
void set_maybe_to_intset(const struct server *srv, kvobj *o);
/* Gives back the spare room of a listpack built with a capacity guess. */
void set_shrink(kvobj *o);
size_t set_listpack_bytes(const kvobj *o); /* 0 unless listpack */

#endif
