/* db.c: keyspace access with lazy expiry and access bookkeeping, adding,
 * replacing and removing keys, and whole-db operations (see db.h). The
 * active expire cycle and table maintenance live in expire_cycle.c.
 *
 * Invariants: the keyspace table stores kvobj directly (link at offset 0);
 * an object is in the expires table (threaded through its kvExpire block)
 * exactly when it has KV_HAS_EXPIRE. Functions that change an object's
 * layout (adding/removing the expire block, renaming) build a new object
 * with kv_move, swap it into the tables and release the old shell, so a
 * caller must use the returned pointer. Command handlers in commands/ call
 * these; nothing here replies to clients. */
#include "db.h"

#include <stddef.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "db/keyspace_events.h"
#include "db/lazyfree.h"
#include "db/replica_expire.h"
#include "persist/snapshot.h"
#include "server/blocking.h"
#include "server/multi.h"
#include "server/propagate.h"
#include "server/server.h"

#define LFU_INIT_VAL 5
#define RANDOMKEY_HIDDEN_TRIES 100

/* Both tables hand the object start to entry_key (the expires table's
 * link_offset is undone by the dict). */
static const void *kv_entry_key(const void *e) { return kv_key((const kvobj *)e); }
static void kv_entry_free(void *e) { kv_free(e); }

const dictType db_keys_type = {dict_sds_hash, dict_sds_equal, kv_entry_key, kv_entry_free, 0};
const dictType db_expires_type = {dict_sds_hash, dict_sds_equal, kv_entry_key, NULL, sizeof(kvobj)};

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

/* ---- access bookkeeping (LRU clock or LFU counter in o->lru) */

int db_lfu_enabled(server *srv) {
    return srv->maxmemory_policy == MAXMEMORY_VOLATILE_LFU || srv->maxmemory_policy == MAXMEMORY_ALLKEYS_LFU;
}

static unsigned long lfu_minutes(server *srv) { return (unsigned long)(srv->mstime / 60000) & 65535; }

unsigned db_new_lru(server *srv) {
    if (db_lfu_enabled(srv)) return (unsigned)((lfu_minutes(srv) << 8) | LFU_INIT_VAL);
    return server_lru_clock(srv);
}

void db_set_lru_or_lfu(server *srv, kvobj *o, long long lfu_freq, long long lru_idle_secs) {
    if (db_lfu_enabled(srv)) {
        if (lfu_freq >= 0) o->lru = (unsigned)((lfu_minutes(srv) << 8) | (unsigned long)(lfu_freq & 255));
    } else if (lru_idle_secs >= 0) {
        unsigned long long idle = (unsigned long long)lru_idle_secs * 1000 / LRU_CLOCK_RESOLUTION;
        o->lru = (unsigned)((server_lru_clock(srv) - idle) & LRU_CLOCK_MAX);
    }
}

/* The counter minus one per lfu-decay-time minutes since the last
 * decrement (the 16-bit minute clock wraps once at most). */
unsigned long db_lfu_counter(server *srv, const kvobj *o) {
    unsigned long ldt = o->lru >> 8, counter = o->lru & 255;
    unsigned long now = lfu_minutes(srv);
    unsigned long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    unsigned long periods = srv->lfu_decay_time ? elapsed / (unsigned long)srv->lfu_decay_time : 0;
    return periods > counter ? 0 : counter - periods;
}

/* Logarithmic increment: the higher the counter, the less likely a hit
 * counts; saturates at 255. */
static unsigned long lfu_log_incr(server *srv, unsigned long counter) {
    if (counter >= 255) return 255;
    double r = (double)(random_u64() >> 11) / (double)(1ULL << 53);
    double base = counter > LFU_INIT_VAL ? (double)(counter - LFU_INIT_VAL) : 0.0;
    return r < 1.0 / (base * srv->lfu_log_factor + 1) ? counter + 1 : counter;
}

unsigned long long db_idle_ms(server *srv, const kvobj *o) {
    unsigned long long clock = server_lru_clock(srv), lru = o->lru;
    unsigned long long ticks = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
    return ticks * LRU_CLOCK_RESOLUTION;
}

/* Whether this lookup records an access: not when asked not to, not for a
 * CLIENT NO-TOUCH client (unless TOUCH itself), not while a snapshot child
 * shares the pages (copy-on-write). */
static int records_access(server *srv, int flags) {
    if (flags & LOOKUP_NOTOUCH) return 0;
    client *cur = srv->current_client;
    if (cur && (cur->flags & CLIENT_NO_TOUCH) && !(flags & LOOKUP_TOUCH)) return 0;
    return !snapshot_in_progress(srv);
}

static void record_access(server *srv, kvobj *o) {
    if (db_lfu_enabled(srv)) {
        unsigned long counter = lfu_log_incr(srv, db_lfu_counter(srv, o));
        o->lru = (unsigned)((lfu_minutes(srv) << 8) | counter);
    } else {
        o->lru = server_lru_clock(srv);
    }
}

/* ---- expiry */

int db_key_is_expired(db *d, const kvobj *o) {
    long long when = kv_expire(o);
    if (when < 0 || d->srv->loading) return 0;
    return d->srv->mstime > when;
}

int db_expiry_paused(server *srv) {
    if (!srv->paused_actions) return 0;
    return srv->pause_end_ms == 0 || srv->mstime < srv->pause_end_ms;
}

void db_delete_expired(db *d, kvobj *o) {
    server *srv = d->srv;
    sds key = sdsdup(kv_key(o));
    db_remove(d, key, srv->lazyfree_lazy_expire);
    keyspace_event(srv, NOTIFY_EXPIRED, "expired", key, d->id);
    db_signal_modified(d, key);
    propagate_deletion(srv, d, key, srv->lazyfree_lazy_expire);
    srv->stat_expiredkeys++;
    sdsfree(key);
}

int db_expire_if_needed(db *d, kvobj *o, int flags) {
    server *srv = d->srv;
    if (!db_key_is_expired(d, o)) return 0;
    if (srv->masterhost_set) {
        /* The master's own stream sees its keys until it sends the DEL. */
        if (srv->current_client && (srv->current_client->flags & CLIENT_MASTER)) return 0;
        int writable_write = !srv->replica_read_only && (flags & LOOKUP_WRITE);
        if (!writable_write) return 1;
    }
    if ((flags & LOOKUP_NOEXPIRE) || db_expiry_paused(srv)) return 1;
    db_delete_expired(d, o);
    return 1;
}

kvobj *db_lookup(db *d, const sds key, int flags) {
    server *srv = d->srv;
    kvobj *o = dict_find(d->keys, key);
    if (o && db_expire_if_needed(d, o, flags)) o = NULL;
    if (o) {
        if (records_access(srv, flags)) record_access(srv, o);
        if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv->stat_keyspace_hits++;
    } else {
        if (!(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE))) keyspace_event(srv, NOTIFY_KEY_MISS, "keymiss", key, d->id);
        if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) srv->stat_keyspace_misses++;
    }
    return o;
}

/* ---- adding, replacing, removing */

void db_attach(db *d, kvobj *o) {
    dict_add_new(d->keys, o);
    if (o->flags & KV_HAS_EXPIRE) dict_add_new(d->expires, o);
    blocking_signal_key(d, kv_key(o), o->type);
}

kvobj *db_add(db *d, const sds key, value v) {
    kvobj *o = kv_new(key, sdslen(key), v, -1, db_new_lru(d->srv));
    db_attach(d, o);
    return o;
}

kvobj *db_unlink_object(db *d, const sds key) {
    kvobj *o = dict_unlink(d->keys, key);
    if (o && (o->flags & KV_HAS_EXPIRE)) dict_unlink(d->expires, key);
    return o;
}

/* Swaps o for n (same key) in both tables. */
static void swap_in(db *d, kvobj *o, kvobj *n) {
    if (o->flags & KV_HAS_EXPIRE) dict_unlink(d->expires, kv_key(o));
    dict_replace_entry(d->keys, o, n);
    if (n->flags & KV_HAS_EXPIRE) dict_add_new(d->expires, n);
}

kvobj *db_overwrite(db *d, kvobj *old, value v, int keep_ttl) {
    long long when = keep_ttl ? kv_expire(old) : -1;
    kvobj *o = kv_new(kv_key(old), sdslen(kv_key(old)), v, when, old->lru);
    swap_in(d, old, o);
    if (d->srv->lazyfree_lazy_server_del) lazyfree_object(d->srv, old);
    else kv_free(old);
    return o;
}

kvobj *db_set(db *d, const sds key, value v, int keep_ttl) {
    kvobj *old = db_lookup(d, key, LOOKUP_WRITE | LOOKUP_NOTOUCH);
    if (!old) old = dict_find(d->keys, key); /* expired but kept (replica): replace it */
    kvobj *o = old ? db_overwrite(d, old, v, keep_ttl) : db_add(d, key, v);
    db_signal_modified(d, key);
    return o;
}

int db_remove(db *d, const sds key, int async) {
    kvobj *o = db_unlink_object(d, key);
    if (!o) return 0;
    if (async) lazyfree_object(d->srv, o);
    else kv_free(o);
    return 1;
}

int db_delete(db *d, const sds key) { return db_remove(d, key, d->srv->lazyfree_lazy_server_del); }
int db_delete_async(db *d, const sds key) { return db_remove(d, key, 1); }

kvobj *db_move_key(db *src, const sds key, db *dst, const sds newkey) {
    kvobj *o = db_unlink_object(src, key);
    if (!o) return NULL;
    if (sdslen(key) != sdslen(newkey) || memcmp(key, newkey, sdslen(key)) != 0) {
        kvobj *n = kv_move(o, newkey, sdslen(newkey), kv_expire(o));
        zfree(o); /* kv_move left an empty shell */
        o = n;
    }
    db_attach(dst, o);
    return o;
}

/* Rebuilds o with a different expire layout and swaps it in. */
static kvobj *relayout(db *d, kvobj *o, long long when) {
    kvobj *n = kv_move(o, kv_key(o), sdslen(kv_key(o)), when);
    swap_in(d, o, n);
    zfree(o);
    return n;
}

kvobj *db_set_expire(db *d, kvobj *o, long long when) {
    if (d->srv->masterhost_set) replica_expire_track(d->srv, d->id, kv_key(o));
    if (o->flags & KV_HAS_EXPIRE) {
        kv_expire_block(o)->when = when;
        return o;
    }
    return relayout(d, o, when);
}

kvobj *db_persist(db *d, kvobj *o) {
    if (!(o->flags & KV_HAS_EXPIRE)) return o;
    return relayout(d, o, -1);
}

/* ---- whole-db operations */

long long db_empty(db *d, int async) {
    long long removed = (long long)dict_size(d->keys);
    watch_touch_db(d, NULL);
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

/* After a swap, clients blocked on a key that now exists can be served.
 * The blocking module keeps no per-db list we could walk, so the keys are
 * offered one by one, and only when somebody is blocked at all. */
static void wake_blocked_on_db(db *d) {
    if (blocking_count_keys(d->srv) == 0) return;
    dictIterator it;
    dict_iter_init(&it, d->keys, 1);
    kvobj *o;
    while ((o = dict_iter_next(&it))) blocking_signal_key(d, kv_key(o), o->type);
    dict_iter_release(&it);
}

void db_swap(db *a, db *b) {
    if (a == b) return;
    watch_touch_db(a, b);
    watch_touch_db(b, a);
    db tmp = *a;
    a->keys = b->keys;
    a->expires = b->expires;
    a->avg_ttl = b->avg_ttl;
    a->expires_cursor = b->expires_cursor;
    b->keys = tmp.keys;
    b->expires = tmp.expires;
    b->avg_ttl = tmp.avg_ttl;
    b->expires_cursor = tmp.expires_cursor;
    wake_blocked_on_db(a);
    wake_blocked_on_db(b);
}

/* Picks fairly among keys; expired ones are deleted and another is tried.
 * When expired keys cannot be deleted (replica, CLIENT PAUSE) a hidden key
 * is returned after a bounded number of tries rather than looping. */
kvobj *db_random_key(db *d) {
    int hidden = 0;
    for (;;) {
        kvobj *o = dict_fair_random_entry(d->keys);
        if (!o) return NULL;
        if (!(o->flags & KV_HAS_EXPIRE)) return o;
        uint64_t before = dict_size(d->keys);
        if (!db_expire_if_needed(d, o, LOOKUP_NONE)) return o;
        int kept = dict_size(d->keys) == before; /* hidden, not deleted: o is still valid */
        if (kept && ++hidden >= RANDOMKEY_HIDDEN_TRIES) return o;
    }
}

void db_signal_modified(db *d, const sds key) { watch_touch_key(d, key); }
