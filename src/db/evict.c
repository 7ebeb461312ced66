/* evict.c: see evict.h. The pool is refilled from every db on each
 * eviction round with maxmemory-samples sampled keys; keeping the best
 * candidates across rounds makes the approximation close to true LRU/LFU
 * for small sample sizes, as in Redis. */
#include "evict.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/dict.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "server/propagate.h"
#include "server/server.h"

#define POOL_SIZE 16

typedef struct poolEntry {
    unsigned long long idle; /* higher: better candidate */
    sds key;
    int dbid;
} poolEntry;

size_t evict_used_memory(server *srv) { return zmalloc_used_memory(); }

static int is_volatile(int p) { return p <= MAXMEMORY_VOLATILE_TTL; }

static unsigned long long score(server *srv, kvobj *o) {
    switch (srv->maxmemory_policy) {
    case MAXMEMORY_VOLATILE_TTL: return ULLONG_MAX - (unsigned long long)kv_expire(o);
    case MAXMEMORY_VOLATILE_LFU:
    case MAXMEMORY_ALLKEYS_LFU: return 255 - db_lfu_counter(srv, o);
    default: return db_idle_ms(srv, o);
    }
}

/* Inserts a sample into the pool (sorted by idle ascending), dropping the
 * worst candidate when full. */
static void pool_insert(poolEntry *pool, unsigned long long idle, const sds key, int dbid) {
    int k = 0;
    while (k < POOL_SIZE && pool[k].key && pool[k].idle < idle) k++;
    for (int j = 0; j < POOL_SIZE; j++) /* already pooled: keep the fresher score */
        if (pool[j].key && pool[j].dbid == dbid && !sdscmp(pool[j].key, key)) return;
    if (k == 0 && pool[POOL_SIZE - 1].key) return; /* worse than everything in a full pool */
    if (!pool[POOL_SIZE - 1].key) {
        memmove(pool + k + 1, pool + k, sizeof(poolEntry) * (size_t)(POOL_SIZE - k - 1));
    } else {
        k--;
        sdsfree(pool[0].key);
        memmove(pool, pool + 1, sizeof(poolEntry) * (size_t)k);
    }
    pool[k].idle = idle;
    pool[k].key = sdsdup(key);
    pool[k].dbid = dbid;
}

static void pool_populate(server *srv, poolEntry *pool, int dbid) {
    db *d = &srv->dbs[dbid];
    dict *src = is_volatile(srv->maxmemory_policy) ? d->expires : d->keys;
    void *samples[64];
    unsigned n = dict_sample(src, samples, (unsigned)srv->maxmemory_samples);
    for (unsigned i = 0; i < n; i++) {
        kvobj *o = samples[i];
        pool_insert(pool, score(srv, o), kv_key(o), dbid);
    }
}

/* Picks the next key to evict; returns its db and key (caller frees). */
static sds pick(server *srv, poolEntry *pool, int *dbid) {
    int p = srv->maxmemory_policy;
    if (p == MAXMEMORY_ALLKEYS_RANDOM || p == MAXMEMORY_VOLATILE_RANDOM) {
        for (int tries = 0; tries < srv->dbnum; tries++) {
            int j = (srv->expire_current_db + tries) % srv->dbnum;
            db *d = &srv->dbs[j];
            kvobj *o = dict_random_entry(p == MAXMEMORY_ALLKEYS_RANDOM ? d->keys : d->expires);
            if (o) {
                *dbid = j;
                return sdsdup(kv_key(o));
            }
        }
        return NULL;
    }
    for (int round = 0; round < 4; round++) {
        for (int j = 0; j < srv->dbnum; j++)
            if (dict_size(is_volatile(p) ? srv->dbs[j].expires : srv->dbs[j].keys)) pool_populate(srv, pool, j);
        for (int k = POOL_SIZE - 1; k >= 0; k--) {
            if (!pool[k].key) continue;
            sds key = pool[k].key;
            int j = pool[k].dbid;
            pool[k].key = NULL;
            memmove(pool + k, pool + k + 1, sizeof(poolEntry) * (size_t)(POOL_SIZE - k - 1));
            pool[POOL_SIZE - 1].key = NULL;
            kvobj *o = db_find(&srv->dbs[j], key);
            if (o && (!is_volatile(p) || kv_expire(o) != -1)) {
                *dbid = j;
                return key;
            }
            sdsfree(key); /* a ghost: deleted since it was pooled */
        }
    }
    return NULL;
}

static poolEntry *the_pool(server *srv) {
    if (!srv->evict_pool) srv->evict_pool = zcalloc(sizeof(poolEntry) * POOL_SIZE);
    return srv->evict_pool;
}

int evict_perform(server *srv) {
    if (!srv->maxmemory || srv->loading || srv->masterhost_set) return 0;
    size_t used = evict_used_memory(srv);
    if (used <= srv->maxmemory) return 0;
    if (srv->maxmemory_policy == MAXMEMORY_NO_EVICTION) return -1;
    poolEntry *pool = the_pool(srv);
    long long start = ustime();
    while (evict_used_memory(srv) > srv->maxmemory) {
        int dbid;
        sds key = pick(srv, pool, &dbid);
        if (!key) return -1;
        db *d = &srv->dbs[dbid];
        db_signal_modified(d, key);
        if (srv->lazyfree_lazy_eviction) db_delete_async(d, key);
        else db_delete(d, key);
        srv->stat_evictedkeys++;
        keyspace_event(srv, NOTIFY_EVICTED, "evicted", key, dbid);
        propagate_deletion(srv, d, key, srv->lazyfree_lazy_eviction);
        sdsfree(key);
        if (ustime() - start > 500000) break; /* bound one call; the next command continues */
    }
    return evict_used_memory(srv) > srv->maxmemory ? -1 : 0;
}
