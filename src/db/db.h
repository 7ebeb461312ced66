/* db.h: the databases. Each db is a keyspace table of kvobj and an expires
 * table threading the same objects through their expire blocks. Every
 * read/write of keys by commands goes through here so lazy expiry, keyspace
 * hit/miss stats, LRU/LFU access bookkeeping, WATCH invalidation and
 * blocked-client wake-ups happen in one place.
 *
 * Expiry rule: a key is expired once the command time is past its expire
 * time. An expired key is never returned. On a master it is deleted when
 * touched (lazy) or by the active cycle (expire_cycle.c), which propagates
 * a DEL/UNLINK; a replica hides it and waits for the master's DEL, except
 * that commands coming from the master itself still see it, and writes on
 * a writable replica delete it. Nothing is deleted while CLIENT PAUSE holds
 * writes, or while loading. */
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
#define LOOKUP_WRITE (1 << 3)    /* about to write: no stats; deletes expired keys on writable replicas too */
#define LOOKUP_NOEXPIRE (1 << 4) /* don't delete an expired key (only hide it) */
#define LOOKUP_TOUCH (1 << 5)    /* update access time even for CLIENT NO-TOUCH clients (TOUCH) */

/* Values of srv->maxmemory_policy (the order of config.c's enum). */
#define MAXMEMORY_VOLATILE_LRU 0
#define MAXMEMORY_VOLATILE_LFU 1
#define MAXMEMORY_VOLATILE_RANDOM 2
#define MAXMEMORY_VOLATILE_TTL 3
#define MAXMEMORY_ALLKEYS_LRU 4
#define MAXMEMORY_ALLKEYS_LFU 5
#define MAXMEMORY_ALLKEYS_RANDOM 6
#define MAXMEMORY_NO_EVICTION 7

void db_init(db *d, int id, struct server *srv);
void db_free(db *d);
extern const dictType db_keys_type;
extern const dictType db_expires_type;

kvobj *db_lookup(db *d, const sds key, int flags);
static inline kvobj *db_lookup_read(db *d, const sds key) { return db_lookup(d, key, LOOKUP_NONE); }
static inline kvobj *db_lookup_write(db *d, const sds key) { return db_lookup(d, key, LOOKUP_WRITE); }
/* Finds without side effects (no expiry, no stats): for introspection. */
kvobj *db_find(db *d, const sds key);

/* Stores v under key (which must not exist); returns the new object. Wakes
 * clients blocked on the key. */
kvobj *db_add(db *d, const sds key, value v);
/* Replaces the value of an existing key, keeping its expire if keep_ttl and
 * its access time; returns the new object (the old pointer is invalid
 * afterwards). The old value is freed now, or in the background when
 * lazyfree-lazy-server-del is set. */
kvobj *db_overwrite(db *d, kvobj *old, value v, int keep_ttl);
/* SET semantics: add or overwrite; drops the TTL unless keep_ttl. Signals
 * the key as modified. */
kvobj *db_set(db *d, const sds key, value v, int keep_ttl);
/* Removes a key; returns 1 if it existed. With `async` big values are freed
 * by the lazyfree thread. db_delete lets lazyfree-lazy-server-del decide
 * (Redis's dbDelete); db_delete_async always hands over (UNLINK). None of
 * them fires events or signals: callers do, with the right event name. */
int db_remove(db *d, const sds key, int async);
int db_delete(db *d, const sds key);
int db_delete_async(db *d, const sds key);
/* Removes the object from the tables and hands it over (not freed). */
kvobj *db_unlink_object(db *d, const sds key);
/* Attaches an object (already built, expire included) under its own key,
 * which must be absent, and wakes clients blocked on it. */
void db_attach(db *d, kvobj *o);
/* Moves key of src to newkey of dst (RENAME, MOVE) keeping value, expire
 * and access time; newkey must be absent from dst. Returns the object under
 * its new name, or NULL if key does not exist. */
kvobj *db_move_key(db *src, const sds key, db *dst, const sds newkey);

/* Sets or removes the expire of o (absolute unix ms). Both may reallocate
 * the object: use the returned pointer. */
kvobj *db_set_expire(db *d, kvobj *o, long long when_ms);
kvobj *db_persist(db *d, kvobj *o);
/* 1 if o's expire time has passed (never while loading). */
int db_key_is_expired(db *d, const kvobj *o);
/* Applies the expiry rule above to o with lookup flags: returns 1 if the
 * key must be treated as missing (it may have been deleted: o is then
 * freed). */
int db_expire_if_needed(db *d, kvobj *o, int flags);
/* Deletes an expired key: fires "expired", propagates DEL/UNLINK, counts. */
void db_delete_expired(db *d, kvobj *o);
/* 1 while CLIENT PAUSE keeps the server from deleting expired keys. */
int db_expiry_paused(struct server *srv);

/* Empties d (FLUSHDB/FLUSHALL/full sync), in the background if async;
 * clients watching keys that existed are made dirty. Returns keys removed. */
long long db_empty(db *d, int async);
/* SWAPDB: exchanges the contents of a and b; watchers of keys present on
 * either side are made dirty and clients blocked on keys that now exist are
 * woken, as Redis does. */
void db_swap(db *a, db *b);
/* A random key that is not expired, or NULL when the db is empty. */
kvobj *db_random_key(db *d);

/* A write changed key: invalidates WATCH, bumps dirty-bit consumers. */
void db_signal_modified(db *d, const sds key);

/* Access bookkeeping. The kvobj lru field holds either the LRU clock of
 * the last access, or with an LFU maxmemory-policy (last decrement minute
 * << 8 | logarithmic counter), as Redis does. */
int db_lfu_enabled(struct server *srv);
unsigned db_new_lru(struct server *srv);                            /* value for new objects */
/* RESTORE IDLETIME/FREQ and the RDB's idle/freq opcodes: applies the one
 * that matches the maxmemory policy (LFU: freq, otherwise idle seconds);
 * -1 means not given. */
void db_set_lru_or_lfu(struct server *srv, kvobj *o, long long lfu_freq, long long lru_idle_secs);
unsigned long db_lfu_counter(struct server *srv, const kvobj *o);   /* decayed counter (OBJECT FREQ) */
unsigned long long db_idle_ms(struct server *srv, const kvobj *o);  /* OBJECT IDLETIME * 1000 */

/* Active expiry: a time-bounded sampling cycle over volatile keys of all
 * dbs. `fast` is the short cycle run before sleeping. */
void db_active_expire_cycle(struct server *srv, int fast);

/* Cron work: incremental rehash and shrinking of sparse tables. */
void db_cron_resize(struct server *srv);

#endif
