/* replica_expire.c: keys with a TTL written directly on a writable replica
 * (replica-read-only no) by its own clients. The master never sends a DEL
 * for them, so, as Redis does, the replica remembers them (key -> bitmap of
 * the dbs it was written in) and its cron deletes them once expired,
 * without propagating anything. Keys the master sends are not tracked. */
#include "replica_expire.h"

#include "core/dict.h"
#include "core/zmalloc.h"
#include "db/keyspace_events.h"
#include "server/client.h"
#include "server/server.h"

#define MAX_TRACKED_DBS 64

static const dictType tracked_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, NULL, 0};

static void free_entry(dictKV *e) {
    sdsfree(e->key);
    zfree(e);
}

void replica_expire_track(server *srv, int dbid, const sds key) {
    client *c = srv->executing_client;
    if (!srv->masterhost_set || !c || (c->flags & CLIENT_MASTER) || dbid >= MAX_TRACKED_DBS) return;
    if (!srv->replica_keys_with_expire) srv->replica_keys_with_expire = dict_create(&tracked_type);
    dict *d = srv->replica_keys_with_expire;
    dictKV *e = dict_find(d, key);
    if (!e) {
        e = zcalloc(sizeof(*e));
        e->key = sdsdup(key);
        dict_add_new(d, e);
    }
    e->v.i |= (int64_t)1 << dbid;
}

/* Checks one tracked key in every db it was written in; returns the
 * bitmap of dbs where it still waits for its expire time. */
static int64_t expire_in_dbs(server *srv, const sds key, int64_t dbs) {
    for (int j = 0; j < srv->dbnum && j < MAX_TRACKED_DBS; j++) {
        if (!(dbs >> j & 1)) continue;
        db *d = &srv->dbs[j];
        kvobj *o = db_find(d, key);
        if (!o || kv_expire(o) == -1) {
            dbs &= ~((int64_t)1 << j); /* gone or persisted: no longer ours to expire */
        } else if (db_key_is_expired(d, o)) {
            db_remove(d, key, srv->lazyfree_lazy_expire);
            keyspace_event(srv, NOTIFY_EXPIRED, "expired", key, j);
            db_signal_modified(d, key);
            srv->stat_expiredkeys++;
            dbs &= ~((int64_t)1 << j);
        }
    }
    return dbs;
}

void replica_expire_cycle(server *srv) {
    dict *d = srv->replica_keys_with_expire;
    if (!d || !dict_size(d)) return;
    if (!srv->masterhost_set) { /* promoted: the normal expiry takes over */
        replica_expire_forget(srv);
        return;
    }
    dictIterator it;
    dict_iter_init(&it, d, 1);
    dictKV *e;
    while ((e = dict_iter_next(&it))) {
        e->v.i = expire_in_dbs(srv, e->key, e->v.i);
        if (!e->v.i) free_entry(dict_unlink(d, e->key));
    }
    dict_iter_release(&it);
}

void replica_expire_forget(server *srv) {
    dict *d = srv->replica_keys_with_expire;
    if (!d) return;
    dictIterator it;
    dict_iter_init(&it, d, 1);
    dictKV *e;
    while ((e = dict_iter_next(&it))) free_entry(dict_unlink(d, e->key));
    dict_iter_release(&it);
}
