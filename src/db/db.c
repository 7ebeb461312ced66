/* db.c: keyspace access with lazy expiry, the active expire cycle, and
 * table maintenance (see db.h). The keyspace table stores kvobj directly
 * (link at offset 0); the expires table threads the same objects through
 * their kvExpire block. */
#include "db.h"

#include <stddef.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "db/keyspace_events.h"
#include "db/lazyfree.h"
#include "server/blocking.h"
#include "server/multi.h"
#include "server/propagate.h"
#include "server/server.h"

static const void *kv_entry_key(const void *e) { return kv_key((const kvobj *)e); }
static const void *kv_exp_entry_key(const void *link) {
    /* The expires table hands us the entry = object start (link_offset is
     * applied by the dict), so this is the same as kv_entry_key. */
    return kv_key((const kvobj *)link);
}
static void kv_entry_free(void *e) { kv_free(e); }

const dictType db_keys_type = {dict_sds_hash, dict_sds_equal, kv_entry_key, kv_entry_free, 0};
const dictType db_expires_type = {dict_sds_hash, dict_sds_equal, kv_exp_entry_key, NULL, sizeof(kvobj)};

void db_init(db *d, int id, server *srv) {
    d->keys = dict_create(&db_keys_type);
    d->expires = dict_create(&db_expires_type);
    d->id = id;
    d->avg_ttl = 0;
    d->expires_cursor = 0;
    d->srv = srv;
}

void db_free(db *d) {
    dict_release(d->expires);
    dict_release(d->keys);
}

kvobj *db_find(db *d, const sds key) { return dict_find(d->keys, key); }

int db_key_is_expired(db *d, const kvobj *o) {
    long long when = kv_expire(o);
    if (when < 0) return 0;
    if (d->srv->loading) return 0;
    return when <= d->srv->mstime;
}

static int is_replica(db *d) { return d->srv->masterhost_set; }

void db_delete_expired(db *d, kvobj *o) {
    server *srv = d->srv;
    sds key = sdsdup(kv_key(o));
    db_signal_modified(d, key);
    if (srv->lazyfree_lazy_expire) db_delete_async(d, key);
    else db_delete(d, key);
    srv->stat_expiredkeys++;
    keyspace_event(srv, NOTIFY_EXPIRED, "expired", key, d->id);
    propagate_deletion(srv, d, key, srv->lazyfree_lazy_expire);
    sdsfree(key);
}

int db_expire_if_needed(db *d, kvobj *o, int flags) {
    if (!db_key_is_expired(d, o)) return 0;
    if (is_replica(d) || (flags & LOOKUP_NOEXPIRE)) return 1;
    if (d->srv->paused_actions && d->srv->pause_write_only >= 0) return 1; /* CLIENT PAUSE: keep it */
    db_delete_expired(d, o);
    return 1;
}

kvobj *db_lookup(db *d, const sds key, int flags) {
    server *srv = d->srv;
    kvobj *o = dict_find(d->keys, key);
    if (o && db_expire_if_needed(d, o, flags)) o = NULL;
    if (o) {
        if (!(flags & LOOKUP_NOTOUCH)) o->lru = server_lru_clock(srv);
        if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv->stat_keyspace_hits++;
    } else {
        if (!(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE))) keyspace_event(srv, NOTIFY_KEY_MISS, "keymiss", key, d->id);
        if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv->stat_keyspace_misses++;
    }
    return o;
}

void db_attach(db *d, kvobj *o) {
    dict_add_new(d->keys, o);
    if (o->flags & KV_HAS_EXPIRE) dict_add_new(d->expires, o);
    blocking_signal_key(d, kv_key(o), o->type);
}

kvobj *db_add(db *d, const sds key, value v) {
    kvobj *o = kv_new(key, sdslen(key), v, -1, server_lru_clock(d->srv));
    dict_add_new(d->keys, o);
    blocking_signal_key(d, key, o->type);
    return o;
}

kvobj *db_unlink_object(db *d, const sds key) {
    kvobj *o = dict_unlink(d->keys, key);
    if (o && (o->flags & KV_HAS_EXPIRE)) dict_unlink(d->expires, key);
    return o;
}

kvobj *db_overwrite(db *d, kvobj *old, value v, int keep_ttl) {
    long long when = keep_ttl ? kv_expire(old) : -1;
    sds key = kv_key(old);
    kvobj *o = kv_new(key, sdslen(key), v, when, old->lru);
    if (old->flags & KV_HAS_EXPIRE) dict_unlink(d->expires, key);
    dict_replace_entry(d->keys, old, o);
    if (when >= 0) dict_add_new(d->expires, o);
    if (d->srv->lazyfree_lazy_server_del) lazyfree_object(d->srv, old);
    else kv_free(old);
    return o;
}

kvobj *db_set(db *d, const sds key, value v, int keep_ttl) {
    kvobj *old = db_lookup(d, key, LOOKUP_WRITE | LOOKUP_NOTOUCH);
    kvobj *o = old ? db_overwrite(d, old, v, keep_ttl) : db_add(d, key, v);
    db_signal_modified(d, key);
    return o;
}

int db_delete(db *d, const sds key) {
    kvobj *o = db_unlink_object(d, key);
    if (!o) return 0;
    kv_free(o);
    return 1;
}

int db_delete_async(db *d, const sds key) {
    kvobj *o = db_unlink_object(d, key);
    if (!o) return 0;
    lazyfree_object(d->srv, o);
    return 1;
}

/* Swaps o for n (same key) in both tables and releases o's shell. */
static kvobj *relink(db *d, kvobj *o, kvobj *n) {
    if (o->flags & KV_HAS_EXPIRE) dict_unlink(d->expires, kv_key(o));
    dict_replace_entry(d->keys, o, n);
    if (n->flags & KV_HAS_EXPIRE) dict_add_new(d->expires, n);
    zfree(o);
    return n;
}

kvobj *db_set_expire(db *d, kvobj *o, long long when) {
    if (o->flags & KV_HAS_EXPIRE) {
        kv_expire_block(o)->when = when;
        return o;
    }
    sds key = kv_key(o);
    return relink(d, o, kv_move(o, key, sdslen(key), when));
}

kvobj *db_persist(db *d, kvobj *o) {
    if (!(o->flags & KV_HAS_EXPIRE)) return o;
    sds key = kv_key(o);
    return relink(d, o, kv_move(o, key, sdslen(key), -1));
}

long long db_empty(db *d, int async) {
    long long removed = (long long)dict_size(d->keys);
    if (async) {
        lazyfree_dicts(d->srv, d->keys, d->expires);
        d->keys = dict_create(&db_keys_type);
        d->expires = dict_create(&db_expires_type);
    } else {
        dict_empty(d->expires, NULL);
        dict_empty(d->keys, NULL);
    }
    d->avg_ttl = 0;
    d->expires_cursor = 0;
    return removed;
}

void db_swap(db *a, db *b) {
    dict *k = a->keys, *e = a->expires;
    long long ttl = a->avg_ttl;
    unsigned long cur = a->expires_cursor;
    a->keys = b->keys;
    a->expires = b->expires;
    a->avg_ttl = b->avg_ttl;
    a->expires_cursor = b->expires_cursor;
    b->keys = k;
    b->expires = e;
    b->avg_ttl = ttl;
    b->expires_cursor = cur;
}

kvobj *db_random_key(db *d) {
    int tries = 100;
    for (;;) {
        kvobj *o = dict_fair_random_entry(d->keys);
        if (!o) return NULL;
        if (!db_key_is_expired(d, o)) return o;
        if (is_replica(d) && --tries == 0) return o; /* all volatile and expired: give up as Redis does */
        if (!is_replica(d)) {
            db_delete_expired(d, o);
            if (dict_size(d->keys) == 0) return NULL;
        }
    }
}

void db_signal_modified(db *d, const sds key) { watch_touch_key(d, key); }
