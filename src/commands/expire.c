/* expire.c: the expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with
 * NX|XX|GT|LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
 *
 * Expire times are absolute unix milliseconds. Setting one is propagated
 * as PEXPIREAT with the absolute time, so replicas and the AOF agree
 * whatever their clocks say; a time already in the past deletes the key at
 * once (event "del", propagated as DEL or UNLINK), except on replicas and
 * while loading, which keep the key and wait for the master's DEL. The
 * relative forms count from the command's cached time (srv->mstime). */
#include <limits.h>
#include <stdio.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/server.h"

#define EXPIRE_NX (1 << 0)
#define EXPIRE_XX (1 << 1)
#define EXPIRE_GT (1 << 2)
#define EXPIRE_LT (1 << 3)

/* [NX | XX | GT | LT] after the time; repeats are allowed. */
static int parse_expire_flags(client *c, int *flags) {
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c->argv[j], "nx")) *flags |= EXPIRE_NX;
        else if (arg_is(c->argv[j], "xx")) *flags |= EXPIRE_XX;
        else if (arg_is(c->argv[j], "gt")) *flags |= EXPIRE_GT;
        else if (arg_is(c->argv[j], "lt")) *flags |= EXPIRE_LT;
        else {
            reply_errorf(&c->reply, "Unsupported option %s", c->argv[j]);
            return -1;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        reply_error(&c->reply, "NX and XX, GT or LT options at the same time are not compatible");
        return -1;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        reply_error(&c->reply, "GT and LT options at the same time are not compatible");
        return -1;
    }
    return 0;
}

/* The absolute time in ms named by argv[2]; negative results are allowed
 * (they delete the key), overflowing ones are refused. */
static int parse_expire_time(client *c, long long basetime, int seconds, long long *when) {
    if (arg_ll(c, c->argv[2], when, NULL) == -1) return -1;
    int overflow = seconds && (*when > LLONG_MAX / 1000 || *when < LLONG_MIN / 1000);
    if (!overflow) {
        if (seconds) *when *= 1000;
        overflow = *when > LLONG_MAX - basetime;
    }
    if (overflow) {
        reply_errorf(&c->reply, ERR_INVALID_EXPIRE, c->cmd->fullname);
        return -1;
    }
    *when += basetime;
    return 0;
}

/* Whether NX/XX/GT/LT allow replacing `current` (-1: none, which GT and
 * LT treat as an infinite TTL) with `when`. */
static int expire_condition_met(int flags, long long current, long long when) {
    if ((flags & EXPIRE_NX) && current != -1) return 0;
    if ((flags & EXPIRE_XX) && current == -1) return 0;
    if ((flags & EXPIRE_GT) && (current == -1 || when <= current)) return 0;
    if ((flags & EXPIRE_LT) && current != -1 && when >= current) return 0;
    return 1;
}

/* Replaces argv so the command propagates as `name key [value] ...rest`:
 * argv[0] becomes name, argv[2] becomes value when given, the rest stays
 * (only the first `keep` arguments are kept). */
static void rewrite_for_propagation(client *c, const char *name, const char *value, int keep) {
    sds *argv = zmalloc(sizeof(sds) * (size_t)keep);
    for (int i = 0; i < keep; i++) argv[i] = sdsdup(c->argv[i]);
    sdsfree(argv[0]);
    argv[0] = sdsnew(name);
    if (value) {
        sdsfree(argv[2]);
        argv[2] = sdsnew(value);
    }
    client_rewrite_argv(c, keep, argv);
}

static int already_expired(server *srv, long long when) {
    return when <= srv->mstime && !srv->loading && !srv->masterhost_set;
}

/* The key goes now, as an explicit DEL/UNLINK for replicas and the AOF. */
static void expire_now(client *c, const sds key) {
    server *srv = c->srv;
    int lazy = srv->lazyfree_lazy_expire;
    sds k = sdsdup(key); /* argv is about to be replaced */
    db_remove(c->db, k, lazy);
    srv->dirty++;
    rewrite_for_propagation(c, lazy ? "UNLINK" : "DEL", NULL, 2);
    db_signal_modified(c->db, k);
    keyspace_event(srv, NOTIFY_GENERIC, "del", k, c->db->id);
    reply_long(&c->reply, 1);
    sdsfree(k);
}

static void expire_generic(client *c, long long basetime, int seconds) {
    sds key = c->argv[1];
    int flags;
    long long when;
    if (parse_expire_flags(c, &flags) == -1 || parse_expire_time(c, basetime, seconds, &when) == -1) return;
    kvobj *o = db_lookup_write(c->db, key);
    if (!o || !expire_condition_met(flags, kv_expire(o), when)) {
        reply_long(&c->reply, 0);
        return;
    }
    if (already_expired(c->srv, when)) {
        expire_now(c, key);
        return;
    }
    db_set_expire(c->db, o, when);
    reply_long(&c->reply, 1);
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "expire", key, c->db->id);
    c->srv->dirty++;
    char buf[24];
    ll2string(buf, sizeof(buf), when);
    int absolute_ms = basetime == 0 && !seconds;
    if (!absolute_ms) rewrite_for_propagation(c, "PEXPIREAT", buf, c->argc);
}

static void expire_command(client *c) { expire_generic(c, c->srv->mstime, 1); }
static void pexpire_command(client *c) { expire_generic(c, c->srv->mstime, 0); }
static void expireat_command(client *c) { expire_generic(c, 0, 1); }
static void pexpireat_command(client *c) { expire_generic(c, 0, 0); }

/* -2: no key; -1: no expire; else the remaining time (or, when absolute,
 * the expire time) in ms or rounded seconds. */
static void ttl_generic(client *c, int ms, int absolute) {
    kvobj *o = db_lookup(c->db, c->argv[1], LOOKUP_NOTOUCH);
    if (!o) {
        reply_long(&c->reply, -2);
        return;
    }
    long long expire = kv_expire(o);
    if (expire == -1) {
        reply_long(&c->reply, -1);
        return;
    }
    long long t = absolute ? expire : expire - c->srv->mstime;
    if (t < 0) t = 0;
    reply_long(&c->reply, ms ? t : (t + 500) / 1000);
}

static void ttl_command(client *c) { ttl_generic(c, 0, 0); }
static void pttl_command(client *c) { ttl_generic(c, 1, 0); }
static void expiretime_command(client *c) { ttl_generic(c, 0, 1); }
static void pexpiretime_command(client *c) { ttl_generic(c, 1, 1); }

static void persist_command(client *c) {
    kvobj *o = db_lookup_write(c->db, c->argv[1]);
    if (!o || kv_expire(o) == -1) {
        reply_long(&c->reply, 0);
        return;
    }
    db_persist(c->db, o);
    db_signal_modified(c->db, c->argv[1]);
    keyspace_event(c->srv, NOTIFY_GENERIC, "persist", c->argv[1], c->db->id);
    c->srv->dirty++;
    reply_long(&c->reply, 1);
}

#define EXPIRE_KEY KEY1("RW UPDATE")
#define TTL_KEY KEY1("RO ACCESS")

commandDef expire_commands[] = {
    {"expire", expire_command, -3, "write fast", "@keyspace", EXPIRE_KEY, "generic", "1.0.0",
     "Sets the expiration time of a key in seconds.", "O(1)"},
    {"pexpire", pexpire_command, -3, "write fast", "@keyspace", EXPIRE_KEY, "generic", "2.6.0",
     "Sets the expiration time of a key in milliseconds.", "O(1)"},
    {"expireat", expireat_command, -3, "write fast", "@keyspace", EXPIRE_KEY, "generic", "1.2.0",
     "Sets the expiration time of a key to a Unix timestamp.", "O(1)"},
    {"pexpireat", pexpireat_command, -3, "write fast", "@keyspace", EXPIRE_KEY, "generic", "2.6.0",
     "Sets the expiration time of a key to a Unix milliseconds timestamp.", "O(1)"},
    {"ttl", ttl_command, 2, "readonly fast", "@keyspace", TTL_KEY, "generic", "1.0.0",
     "Returns the expiration time in seconds of a key.", "O(1)", "nondeterministic_output"},
    {"pttl", pttl_command, 2, "readonly fast", "@keyspace", TTL_KEY, "generic", "2.6.0",
     "Returns the expiration time in milliseconds of a key.", "O(1)", "nondeterministic_output"},
    {"expiretime", expiretime_command, 2, "readonly fast", "@keyspace", TTL_KEY, "generic", "7.0.0",
     "Returns the expiration time of a key as a Unix timestamp.", "O(1)"},
    {"pexpiretime", pexpiretime_command, 2, "readonly fast", "@keyspace", TTL_KEY, "generic", "7.0.0",
     "Returns the expiration time of a key as a Unix milliseconds timestamp.", "O(1)"},
    {"persist", persist_command, 2, "write fast", "@keyspace", EXPIRE_KEY, "generic", "2.2.0",
     "Removes the expiration time of a key.", "O(1)"},
    {0}};
