/* expire_cycle.c: active expiry and keyspace table maintenance, both run
 * from the server cron (server.c) and, for the fast expire cycle, before
 * the event loop sleeps.
 *
 * The active cycle walks each db's expires table with a scan cursor, a few
 * buckets at a time, deleting keys whose time has passed (db_delete_expired
 * propagates the DELs). It repeats on a db while more than an acceptable
 * share of the sampled keys had expired (10% minus effort), and stops when
 * its time budget runs out: 25% of a cron tick (plus effort) for the slow
 * cycle, 1 ms for the fast one, which only runs when the last cycle hit its
 * time limit or many stale keys are estimated. The cursor, the next db and
 * the time-limit flag live in the db/server structs so every db gets its
 * turn across calls. Masters only: replicas wait for the master's DELs, and
 * nothing expires while CLIENT PAUSE holds writes. */
#include <stddef.h>

#include "core/util.h"
#include "db/db.h"
#include "persist/snapshot.h"
#include "server/server.h"

#define KEYS_PER_LOOP 20
#define FAST_DURATION_US 1000
#define SLOW_TIME_PERC 25
#define ACCEPTABLE_STALE 10
#define DBS_PER_CALL 16
#define MIN_FILL_PERC 10 /* shrink tables under this fill */

typedef struct cycleParams {
    unsigned long keys_per_loop;
    long long timelimit_us;
    long acceptable_stale; /* percent */
} cycleParams;

typedef struct expireCtx {
    db *d;
    long long now;
    unsigned long sampled, expired;
    long long ttl_sum;
    long ttl_samples;
} expireCtx;

static void expire_visit(void *privdata, void *entry) {
    expireCtx *ctx = privdata;
    kvobj *o = entry;
    long long ttl = kv_expire(o) - ctx->now;
    if (ttl < 0) {
        db_delete_expired(ctx->d, o);
        ctx->expired++;
    } else if (ttl > 0) {
        ctx->ttl_sum += ttl;
        ctx->ttl_samples++;
    }
    ctx->sampled++;
}

/* One sampling round on d: up to keys_per_loop keys, 20 buckets per key at
 * most so a sparse table cannot stall us. Returns 0 when d has nothing to
 * sample. */
static int sample_db(db *d, unsigned long keys_per_loop, expireCtx *ctx) {
    unsigned long num = dict_size(d->expires), slots = dict_buckets(d->expires);
    if (num == 0) {
        d->avg_ttl = 0;
        return 0;
    }
    if (slots > 4 && num * 100 / slots < 1) return 0; /* too sparse: wait for the resize */
    *ctx = (expireCtx){d, mstime(), 0, 0, 0, 0};
    if (num > keys_per_loop) num = keys_per_loop;
    long max_buckets = (long)num * 20, checked = 0;
    while (ctx->sampled < num && checked < max_buckets && dict_size(d->expires)) {
        d->expires_cursor = dict_scan(d->expires, d->expires_cursor, expire_visit, ctx);
        checked++;
    }
    if (ctx->ttl_samples) {
        long long avg = ctx->ttl_sum / ctx->ttl_samples;
        if (d->avg_ttl == 0) d->avg_ttl = avg;
        d->avg_ttl = (d->avg_ttl / 50) * 49 + avg / 50;
    }
    return 1;
}

static cycleParams cycle_params(server *srv, int fast) {
    long effort = srv->active_expire_effort - 1; /* 0..9 */
    cycleParams p;
    p.keys_per_loop = (unsigned long)(KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort);
    p.acceptable_stale = ACCEPTABLE_STALE - effort;
    if (fast) {
        p.timelimit_us = FAST_DURATION_US + FAST_DURATION_US / 4 * effort;
    } else {
        p.timelimit_us = (SLOW_TIME_PERC + 2 * effort) * 1000000LL / srv->hz / 100;
        if (p.timelimit_us <= 0) p.timelimit_us = 1;
    }
    return p;
}

/* The fast cycle runs only when the last cycle ran out of time or many
 * keys are estimated stale, and never twice within twice its duration. */
static int fast_cycle_allowed(server *srv, const cycleParams *p, long long start) {
    if (!srv->expire_timelimit_exit && srv->stat_expired_stale_perc_x100 < p->acceptable_stale * 100) return 0;
    if (start < srv->expire_last_fast_start + p->timelimit_us * 2) return 0;
    srv->expire_last_fast_start = start;
    return 1;
}

void db_active_expire_cycle(server *srv, int fast) {
    if (!srv->active_expire_enabled || srv->masterhost_set || db_expiry_paused(srv)) return;
    cycleParams p = cycle_params(srv, fast);
    long long start = ustime();
    if (fast && !fast_cycle_allowed(srv, &p, start)) return;
    int dbs_per_call = DBS_PER_CALL;
    if (dbs_per_call > srv->dbnum || srv->expire_timelimit_exit) dbs_per_call = srv->dbnum;
    srv->expire_timelimit_exit = 0;
    long long total_sampled = 0, total_expired = 0;
    int iteration = 0;
    for (int j = 0; j < dbs_per_call && !srv->expire_timelimit_exit; j++) {
        db *d = &srv->dbs[srv->expire_current_db % srv->dbnum];
        srv->expire_current_db = (srv->expire_current_db + 1) % srv->dbnum;
        expireCtx ctx;
        do {
            iteration++;
            if (!sample_db(d, p.keys_per_loop, &ctx)) break;
            total_sampled += (long long)ctx.sampled;
            total_expired += (long long)ctx.expired;
            if ((iteration & 0xf) == 0 && ustime() - start > p.timelimit_us) {
                srv->expire_timelimit_exit = 1;
                srv->stat_expired_time_cap_reached_count++;
                break;
            }
        } while (ctx.sampled == 0 || (long)(ctx.expired * 100 / ctx.sampled) > p.acceptable_stale);
    }
    srv->stat_expire_cycle_time_used += ustime() - start;
    /* Running estimate of stale keys, in hundredths of a percent: this
     * sample weighs 5%. */
    long long current = total_sampled ? total_expired * 10000 / total_sampled : 0;
    srv->stat_expired_stale_perc_x100 = (current * 5 + srv->stat_expired_stale_perc_x100 * 95) / 100;
}

/* ---- table maintenance */

static void shrink_if_sparse(dict *dt) {
    uint64_t size = dict_buckets(dt), used = dict_size(dt);
    if (size > 4 && used * 100 / size < MIN_FILL_PERC) dict_shrink_to_fit(dt);
}

/* 1 ms of rehashing on the first table of d that needs it; 1 if any. */
static int rehash_some(db *d) {
    dict *tables[2] = {d->keys, d->expires};
    for (int t = 0; t < 2; t++) {
        if (dict_is_rehashing(tables[t])) {
            dict_rehash_ms(tables[t], 1);
            return 1;
        }
    }
    return 0;
}

/* Shrinks sparse tables and spends 1 ms rehashing, never while a snapshot
 * child shares the pages (moving entries would copy them). */
void db_cron_resize(server *srv) {
    if (snapshot_in_progress(srv)) return;
    for (int j = 0; j < srv->dbnum; j++) {
        shrink_if_sparse(srv->dbs[j].keys);
        shrink_if_sparse(srv->dbs[j].expires);
    }
    if (!srv->activerehashing) return;
    for (int j = 0; j < srv->dbnum; j++)
        if (rehash_some(&srv->dbs[j])) break;
}
