/* db.h: the databases. Each db is a keyspace table of kvobj and an expires
 * table threading the same objects through their expire blocks. Every
 * read/write of keys by commands goes through here so lazy expiry, keyspace
 * hit/miss stats, WATCH invalidation and change counting happen in one place.
 *
 * Expiry rule: an expired key is never returned; on a master it is deleted
 * when touched (lazy) or by the active cycle; a replica hides it but waits
 * for the master's DEL. */
#ifndef STASH_DB_H
#define STASH_DB_H

#include "core/dict.h"
#include "types/object.h"

struct server;
struct client;

typedef struct db {
    dict *keys;
    dict *expires;
    int id;
    long long avg_ttl;
    unsigned long expires_cursor;
    struct server *srv;
} db;

#define LOOKUP_NONE 0
#define LOOKUP_NOTOUCH (1 << 0)  /* don't update LRU/LFU */
#define LOOKUP_NONOTIFY (1 << 1) /* don't fire keymiss events */
#define LOOKUP_NOSTATS (1 << 2)  /* don't count hits/misses */
#define LOOKUP_WRITE (1 << 3)    /* about to write: expire even on replicas... (never on replica) */
#define LOOKUP_NOEXPIRE (1 << 4) /* don't delete an expired key (only hide it) */

void db_init(db *d, int id, struct server *srv);
void db_free(db *d);
extern const dictType db_keys_type;
extern const dictType db_expires_type;

kvobj *db_lookup(db *d, const sds key, int flags);
static inline kvobj *db_lookup_read(db *d, const sds key) { return db_lookup(d, key, LOOKUP_NONE); }
static inline kvobj *db_lookup_write(db *d, const sds key) { return db_lookup(d, key, LOOKUP_WRITE); }
/* Finds without side effects (no expiry, no stats): for introspection. */
kvobj *db_find(db *d, const sds key);

/* Stores v under key (which must not exist); returns the new object. */
kvobj *db_add(db *d, const sds key, value v);
/* Replaces the value of an existing key, keeping its expire if keep_ttl;
 * returns the new object (the old pointer is invalid afterwards). */
kvobj *db_overwrite(db *d, kvobj *old, value v, int keep_ttl);
/* SET semantics: add or overwrite; drops the TTL unless keep_ttl. Signals
 * the key as modified. */
kvobj *db_set(db *d, const sds key, value v, int keep_ttl);
int db_delete(db *d, const sds key);        /* 1 if a key was removed */
int db_delete_async(db *d, const sds key);  /* UNLINK: frees big values in the background */
/* Removes the object from the tables and hands it over (not freed). */
kvobj *db_unlink_object(db *d, const sds key);
/* Attaches an object (already built, expire included) under its own key. */
void db_attach(db *d, kvobj *o);

kvobj *db_set_expire(db *d, kvobj *o, long long when_ms);
kvobj *db_persist(db *d, kvobj *o);  /* returns the object without expire */
int db_key_is_expired(db *d, const kvobj *o);
/* Deletes the key if it has expired (on masters). Returns 1 if expired. */
int db_expire_if_needed(db *d, kvobj *o, int flags);
void db_delete_expired(db *d, kvobj *o); /* propagates DEL, fires "expired" */

long long db_empty(db *d, int async);  /* returns keys removed */
void db_swap(db *a, db *b);
kvobj *db_random_key(db *d);

/* A write changed key: invalidates WATCH, bumps dirty-bit consumers. */
void db_signal_modified(db *d, const sds key);

/* Active expiry: a time-bounded sampling cycle over volatile keys of all
 * dbs. `fast` is the short cycle run before sleeping. */
void db_active_expire_cycle(struct server *srv, int fast);

/* Cron work: incremental rehash and shrinking of sparse tables. */
void db_cron_resize(struct server *srv);

#endif
