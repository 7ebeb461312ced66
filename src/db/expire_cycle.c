/* expire_cycle.c: active expiry and keyspace table maintenance.
 *
 * The active cycle walks each db's expires table with a scan cursor, a few
 * buckets at a time, deleting keys whose time has passed. It stops when a
 * db's sampled expired ratio falls under the acceptable level (10% minus
 * effort) or when its time budget runs out: 25% of a cron tick for the slow
 * cycle (plus effort), 1 ms for the fast cycle run before sleeping, which
 * only runs when the previous slow cycle hit its time limit. The cursor and
 * db index carry over between calls so every db gets its turn. */
#include <stddef.h>

#include "core/util.h"
#include "db/db.h"
#include "server/server.h"

#define KEYS_PER_LOOP 20
#define FAST_DURATION_US 1000
#define SLOW_TIME_PERC 25
#define ACCEPTABLE_STALE 10

typedef struct expireCtx {
    db *d;
    long long now;
    long sampled, expired;
    long long ttl_sum;
    long ttl_samples;
} expireCtx;

static void expire_visit(void *privdata, void *entry) {
    expireCtx *ctx = privdata;
    kvobj *o = entry;
    long long when = kv_expire(o);
    ctx->sampled++;
    if (when <= ctx->now) {
        db_delete_expired(ctx->d, o);
        ctx->expired++;
    } else {
        ctx->ttl_sum += when - ctx->now;
        ctx->ttl_samples++;
    }
}

void db_active_expire_cycle(server *srv, int fast) {
    if (!srv->active_expire_enabled || srv->masterhost_set) return;
    int effort = srv->active_expire_effort - 1;
    long keys_per_loop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
    long long fast_duration = FAST_DURATION_US + FAST_DURATION_US / 4 * effort;
    long long slow_perc = SLOW_TIME_PERC + 2 * effort;
    long acceptable = ACCEPTABLE_STALE - effort;
    long long start = ustime();
    if (fast) {
        if (!srv->expire_timelimit_exit) return;
        if (start < srv->expire_last_fast_start + fast_duration * 2) return;
        srv->expire_last_fast_start = start;
    }
    long long timelimit = fast ? fast_duration : 1000000LL * slow_perc / srv->hz / 100;
    if (timelimit <= 0) timelimit = 1;
    int dbs_per_call = srv->dbnum;
    srv->expire_timelimit_exit = 0;
    for (int j = 0; j < dbs_per_call && !srv->expire_timelimit_exit; j++) {
        db *d = &srv->dbs[srv->expire_current_db % srv->dbnum];
        srv->expire_current_db++;
        long iteration = 0;
        expireCtx ctx = {d, 0, 0, 0, 0, 0};
        do {
            if (dict_size(d->expires) == 0) break;
            ctx.now = mstime();
            ctx.sampled = ctx.expired = 0;
            ctx.ttl_sum = ctx.ttl_samples = 0;
            long max_buckets = keys_per_loop * 20;
            long checked = 0;
            while (ctx.sampled < keys_per_loop && checked < max_buckets) {
                d->expires_cursor = dict_scan(d->expires, d->expires_cursor, expire_visit, &ctx);
                checked++;
                if (d->expires_cursor == 0) break;
            }
            if (ctx.ttl_samples) {
                long long avg = ctx.ttl_sum / ctx.ttl_samples;
                d->avg_ttl = d->avg_ttl ? (d->avg_ttl / 50) * 49 + avg / 50 : avg;
            }
            if ((++iteration & 0xf) == 0 && ustime() - start > timelimit) {
                srv->expire_timelimit_exit = 1;
                srv->stat_expired_time_cap_reached_count++;
                break;
            }
        } while (ctx.sampled == 0 || ctx.expired * 100 / ctx.sampled > acceptable);
    }
    long long elapsed = ustime() - start;
    srv->stat_expire_cycle_time_used += elapsed;
}

/* Shrinks tables under 10% fill and spends 1 ms per cron on rehashing. */
void db_cron_resize(server *srv) {
    for (int j = 0; j < srv->dbnum; j++) {
        db *d = &srv->dbs[j];
        dict *tables[2] = {d->keys, d->expires};
        for (int t = 0; t < 2; t++) {
            dict *dt = tables[t];
            uint64_t size = dict_buckets(dt), used = dict_size(dt);
            if (size > 4 && used * 100 / size < 10) dict_shrink_to_fit(dt);
            if (srv->activerehashing && dict_is_rehashing(dt)) dict_rehash_ms(dt, 1);
        }
    }
}
