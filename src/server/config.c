/* config.c: the directive tables and everything driven by them (see
 * config.h): redis.conf parsing (with include), command-line overrides,
 * CONFIG GET/SET/REWRITE and the documented example file.
 *
 * Two tables. `table` names every directive Stash acts on, mapped to a
 * server field by offset: numeric types are checked against [min,max] (and
 * MEMORY values accept units, "1gb"), enums map names to ints, special
 * directives (bind, save, client-output-buffer-limit...) have their own
 * parse/format pair. `unsupported` lists the other Redis 7.2 directives
 * with Redis's type, bounds and default: they are validated the same way
 * and their values kept (per server, in srv->config_state) so CONFIG GET
 * and CONFIG REWRITE behave as in Redis, but nothing acts on them.
 *
 * CONFIG SET of several pairs is atomic: all values are set, then the
 * apply hooks run; on any failure every changed value is restored. Error
 * texts are Redis's, word for word. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/keyspace_events.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "proto/errors.h"
#include "repl/repl.h"
#include "server/acl.h"
#include "server/dispatch.h"
#include "server/server.h"

typedef enum { T_BOOL, T_INT, T_UINT, T_LL, T_ULL, T_SIZE, T_ENUM, T_SDS, T_SPECIAL } cfgType;

#define F_IMMUTABLE (1 << 0)
#define F_MEMORY (1 << 1) /* numeric with units */
#define F_SENSITIVE (1 << 2)
#define F_OCTAL (1 << 3)
#define F_HIDDEN (1 << 4) /* only an exact CONFIG GET shows it */
#define F_PROTECTED (1 << 5)
#define F_MULTI_ARG (1 << 6)
#define F_PERCENT (1 << 7)  /* memory or "N%" (stored negative) */
#define F_UNSIGNED (1 << 8) /* bounds shown as unsigned */

typedef struct cfgEnum {
    const char *name;
    int val;
} cfgEnum;

typedef int (*specialSet)(server *srv, sds *argv, int argc, sds *err);
typedef sds (*specialGet)(server *srv);
typedef int (*applyFn)(server *srv, sds *err);
typedef const char *(*checkFn)(const char *value); /* NULL if valid, else why */

typedef struct cfgDef {
    const char *name, *alias;
    cfgType type;
    unsigned flags;
    size_t offset;
    long long min, max, dflt;
    const char *dflt_str;
    const cfgEnum *enums;
    specialSet set;
    specialGet get;
    applyFn apply; /* after a change at run time */
    checkFn check; /* strings */
} cfgDef;

/* A Redis directive Stash only stores. `choices` lists an enum's names
 * ("a|b|c"); numbers are kept normalized ("1gb" -> "1073741824"). */
typedef enum { K_BOOL, K_INT, K_MEMORY, K_PERCENT, K_ENUM, K_STRING } valueKind;
typedef struct unsupportedDef {
    const char *name, *alias;
    valueKind kind;
    unsigned flags;
    long long min, max;
    const char *dflt, *choices;
} unsupportedDef;

#define OFF(f) offsetof(server, f)

static const cfgEnum loglevel_enum[] = {{"debug", LL_DEBUG},     {"verbose", LL_VERBOSE},
                                        {"notice", LL_NOTICE},   {"warning", LL_WARNING},
                                        {"nothing", LL_NOTHING}, {NULL, 0}};
static const cfgEnum maxmemory_policy_enum[] = {
    {"volatile-lru", 0},   {"volatile-lfu", 1}, {"volatile-random", 2},
    {"volatile-ttl", 3},   {"allkeys-lru", 4},  {"allkeys-lfu", 5},
    {"allkeys-random", 6}, {"noeviction", 7},   {NULL, 0}};
static const cfgEnum appendfsync_enum[] = {{"everysec", 1}, {"always", 2}, {"no", 0}, {NULL, 0}};
static const cfgEnum protected_enum[] = {
    {"no", PROTECTED_ACTION_NO}, {"yes", PROTECTED_ACTION_YES}, {"local", PROTECTED_ACTION_LOCAL}, {NULL, 0}};

/* ---- per-server state of the unsupported directives */
typedef struct configState {
    sds *values; /* parallel to `unsupported` */
    sds oom_values;
} configState;

static configState *cstate(server *srv) { return srv->config_state; }

/* ---- special directives */
static int set_bind(server *srv, sds *argv, int argc, sds *err) {
    if (argc > CONFIG_MAX_BIND) {
        *err = sdsnew("Too many bind addresses specified.");
        return -1;
    }
    if (argc == 1 && sdslen(argv[0]) == 0) argc = 0; /* bind "" : no TCP address */
    for (int j = 0; j < srv->bindaddr_count; j++) zfree(srv->bindaddr[j]);
    srv->bindaddr_count = 0;
    for (int j = 0; j < argc; j++) srv->bindaddr[srv->bindaddr_count++] = zstrdup(argv[j]);
    return 0;
}
static sds get_bind(server *srv) {
    if (srv->bindaddr_count == 0) return sdsempty();
    return sdsjoin(srv->bindaddr, srv->bindaddr_count, " ");
}

static int set_save(server *srv, sds *argv, int argc, sds *err) {
    return snapshot_set_params(srv, argv, argc, err);
}
static sds get_save(server *srv) { return snapshot_get_params(srv); }

static int set_obuf(server *srv, sds *argv, int argc, sds *err) {
    if (argc % 4 != 0) {
        *err = sdsnew("Wrong number of arguments in buffer limit configuration.");
        return -1;
    }
    clientBufferLimits limits[CLIENT_TYPE_COUNT];
    memcpy(limits, srv->obuf_limits, sizeof(limits));
    for (int j = 0; j < argc; j += 4) {
        int cls;
        if (!strcasecmp(argv[j], "normal"))
            cls = CLIENT_TYPE_NORMAL;
        else if (!strcasecmp(argv[j], "replica") || !strcasecmp(argv[j], "slave"))
            cls = CLIENT_TYPE_SLAVE;
        else if (!strcasecmp(argv[j], "pubsub"))
            cls = CLIENT_TYPE_PUBSUB;
        else {
            *err = sdsnew("Invalid client class specified in buffer limit configuration.");
            return -1;
        }
        int e1, e2;
        unsigned long long hard = memtoull(argv[j + 1], &e1), soft = memtoull(argv[j + 2], &e2);
        long long secs = 0;
        if (e1 || e2 || !string2ll(argv[j + 3], sdslen(argv[j + 3]), &secs) || secs < 0) {
            *err = sdsnew("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            return -1;
        }
        limits[cls].hard_limit_bytes = hard;
        limits[cls].soft_limit_bytes = soft;
        limits[cls].soft_limit_seconds = (time_t)secs;
    }
    memcpy(srv->obuf_limits, limits, sizeof(limits));
    return 0;
}
static sds get_obuf(server *srv) {
    sds s = sdsempty();
    static const char *names[] = {"normal", "slave", "pubsub"};
    for (int j = 0; j < CLIENT_TYPE_COUNT; j++)
        s = sdscatprintf(s, "%s%s %llu %llu %ld", j ? " " : "", names[j],
                         srv->obuf_limits[j].hard_limit_bytes, srv->obuf_limits[j].soft_limit_bytes,
                         (long)srv->obuf_limits[j].soft_limit_seconds);
    return s;
}

static int set_notify(server *srv, sds *argv, int argc, sds *err) {
    if (argc != 1) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    int flags = keyspace_events_parse(argv[0]);
    if (flags == -1) {
        *err = sdsnew("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        return -1;
    }
    srv->notify_keyspace_events = flags;
    return 0;
}
static sds get_notify(server *srv) { return keyspace_events_format(srv->notify_keyspace_events); }

static int set_dir(server *srv, sds *argv, int argc, sds *err) {
    if (argc != 1) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    if (chdir(argv[0]) == -1) {
        *err = sdsnew(strerror(errno));
        return -1;
    }
    return 0;
}
static sds get_dir(server *srv) {
    char buf[4096];
    if (!getcwd(buf, sizeof(buf))) buf[0] = '\0';
    return sdsnew(buf);
}

static int set_oom_values(server *srv, sds *argv, int argc, sds *err) {
    if (argc != 3) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        long long v;
        if (!string2ll(argv[i], sdslen(argv[i]), &v) || v < -2000 || v > 2000) {
            *err = sdsnew("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            return -1;
        }
    }
    sdsfree(cstate(srv)->oom_values);
    cstate(srv)->oom_values = sdsjoinsds(argv, argc, " ", 1);
    return 0;
}
static sds get_oom_values(server *srv) { return sdsdup(cstate(srv)->oom_values); }

/* replicaof <host> <port> in the config file; REPLICAOF at run time. */
static int set_replicaof(server *srv, sds *argv, int argc, sds *err) {
    if (argc != 2) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    sdsfree(srv->replicaof_host);
    srv->replicaof_host = NULL;
    if (!strcasecmp(argv[0], "no") && !strcasecmp(argv[1], "one")) return 0;
    long long port;
    if (!string2ll(argv[1], sdslen(argv[1]), &port) || port < 0 || port > 65535) {
        *err = sdsnew("Invalid master port");
        return -1;
    }
    srv->replicaof_host = sdsdup(argv[0]);
    srv->replicaof_port = (int)port;
    return 0;
}
static sds get_replicaof(server *srv) {
    int port = 0;
    const char *host = srv->repl ? repl_master_host(srv, &port) : NULL;
    if (srv->repl) return host ? sdscatprintf(sdsempty(), "%s %d", host, port) : sdsempty(); /* REPLICAOF at run time */
    if (!srv->replicaof_host) return sdsempty();
    return sdscatprintf(sdsempty(), "%s %d", srv->replicaof_host, srv->replicaof_port);
}

/* ---- checks of string values */
static const char *check_dbfilename(const char *v) {
    return strchr(v, '/') ? "dbfilename can't be a path, just a filename" : NULL;
}
static const char *check_aof_filename(const char *v) {
    if (!v[0]) return "appendfilename can't be empty";
    return strchr(v, '/') ? "appendfilename can't be a path, just a filename" : NULL;
}
static const char *check_aof_dirname(const char *v) {
    if (!v[0]) return "appenddirname can't be empty";
    return strchr(v, '/') ? "appenddirname can't be a path, just a dirname" : NULL;
}

/* ---- apply hooks (run after CONFIG SET changed the value) */
static int apply_appendonly(server *srv, sds *err) {
    if (!srv->aof) return 0; /* start-up: aof_init acts on it */
    if (aof_set_enabled(srv, srv->appendonly) == -1) {
        *err = sdsnew("Unable to turn on AOF. Check server logs.");
        return -1;
    }
    return 0;
}

static int apply_maxclients(server *srv, sds *err) {
    if (srv->el && reactor_resize(srv->el, (int)srv->maxclients + CONFIG_FDSET_INCR) == -1) {
        *err =
            sdsnew("The event loop API used by Redis is not able to handle the specified number of clients");
        return -1;
    }
    return 0;
}

static int apply_listeners(server *srv, sds *err) { return server_relisten(srv, err); }

static int apply_hz(server *srv, sds *err) {
    if (srv->config_hz < 1) srv->config_hz = 1;
    if (srv->config_hz > 500) srv->config_hz = 500;
    srv->hz = srv->config_hz;
    return 0;
}

static int apply_proto_max_bulk(server *srv, sds *err) {
    for (client *c = srv->clients; c; c = c->next)
        if (!(c->flags & CLIENT_MASTER)) c->parser.max_bulk_len = srv->proto_max_bulk_len;
    return 0;
}

/* requirepass is the default user's only password. Connections already
 * open stay logged in, as in Redis. */
static int apply_requirepass(server *srv, sds *err) {
    acl_set_default_password(srv, srv->requirepass);
    return 0;
}

#define NUM(tp, n, a, fl, f, mn, mx, d, ap)                                                                  \
    { n, a, tp, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap, NULL }
#define BOOL(n, a, fl, f, d, ap) NUM(T_BOOL, n, a, fl, f, 0, 1, d, ap)
#define INT(n, a, fl, f, mn, mx, d, ap) NUM(T_INT, n, a, fl, f, mn, mx, d, ap)
#define UINT(n, a, fl, f, mn, mx, d, ap) NUM(T_UINT, n, a, (fl) | F_UNSIGNED, f, mn, mx, d, ap)
#define LL(n, a, fl, f, mn, mx, d, ap) NUM(T_LL, n, a, fl, f, mn, mx, d, ap)
#define ULL(n, a, fl, f, mn, mx, d, ap) NUM(T_ULL, n, a, (fl) | F_UNSIGNED, f, mn, mx, d, ap)
#define SIZE(n, a, fl, f, mn, mx, d, ap) NUM(T_SIZE, n, a, (fl) | F_UNSIGNED, f, mn, mx, d, ap)
#define ENUM(n, a, fl, f, e, d)                                                                              \
    { n, a, T_ENUM, fl, OFF(f), 0, 0, d, NULL, e, NULL, NULL, NULL, NULL }
#define STR(n, a, fl, f, d, ck, ap)                                                                          \
    { n, a, T_SDS, fl, OFF(f), 0, 0, 0, d, NULL, NULL, NULL, ap, ck }
#define SPECIAL_AP(n, a, fl, s, g, d, ap) { n, a, T_SPECIAL, fl, 0, 0, 0, 0, d, NULL, s, g, ap, NULL }
#define SPECIAL(n, a, fl, s, g, d) SPECIAL_AP(n, a, fl, s, g, d, NULL)

/* Flags, bounds and defaults are Redis 7.2's except where noted. */
static const cfgDef table[] = {
    INT("port", NULL, 0, port, 0, 65535, 6379, apply_listeners),
    INT("tcp-backlog", NULL, F_IMMUTABLE, tcp_backlog, 0, INT_MAX, 511, NULL),
    SPECIAL_AP("bind", NULL, F_MULTI_ARG, set_bind, get_bind, "* -::*", apply_listeners),
    STR("unixsocket", NULL, F_IMMUTABLE, unixsocket, NULL, NULL, NULL),
    UINT("unixsocketperm", NULL, F_IMMUTABLE | F_OCTAL, unixsocketperm, 0, 0777, 0, NULL),
    BOOL("protected-mode", NULL, 0, protected_mode, 1, NULL),
    INT("timeout", NULL, 0, maxidletime, 0, INT_MAX, 0, NULL),
    INT("tcp-keepalive", NULL, 0, tcpkeepalive, 0, INT_MAX, 300, NULL),
    UINT("maxclients", NULL, 0, maxclients, 1, UINT_MAX, 10000, apply_maxclients),
    INT("hz", NULL, 0, config_hz, 0, INT_MAX, 10, apply_hz),
    BOOL("dynamic-hz", NULL, 0, dynamic_hz, 1, NULL),
    INT("databases", NULL, F_IMMUTABLE, dbnum, 1, INT_MAX, 16, NULL),
    ENUM("loglevel", NULL, 0, verbosity, loglevel_enum, LL_NOTICE),
    STR("logfile", NULL, F_IMMUTABLE, logfile, "", NULL, NULL),
    BOOL("daemonize", NULL, F_IMMUTABLE, daemonize, 0, NULL),
    STR("pidfile", NULL, F_IMMUTABLE, pidfile, NULL, NULL, NULL),
    BOOL("syslog-enabled", NULL, F_IMMUTABLE, syslog_enabled, 0, NULL),
    LL("proto-max-bulk-len", NULL, F_MEMORY, proto_max_bulk_len, 1024 * 1024, LONG_MAX, 512LL * 1024 * 1024,
       apply_proto_max_bulk),
    ULL("client-query-buffer-limit", NULL, F_MEMORY, client_max_querybuf_len, 1024 * 1024, LONG_MAX,
        1024LL * 1024 * 1024, NULL),
    SPECIAL("client-output-buffer-limit", NULL, F_MULTI_ARG, set_obuf, get_obuf,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
    STR("requirepass", NULL, F_SENSITIVE, requirepass, NULL, NULL, apply_requirepass),
    ENUM("enable-debug-command", NULL, F_IMMUTABLE, enable_debug_cmd, protected_enum, 0),
    ENUM("enable-protected-configs", NULL, F_IMMUTABLE, enable_protected_configs, protected_enum, 0),
    ENUM("enable-module-command", NULL, F_IMMUTABLE, enable_module_cmd, protected_enum, 0),
    LL("slowlog-log-slower-than", NULL, 0, slowlog_log_slower_than, -1, LLONG_MAX, 10000, NULL),
    ULL("slowlog-max-len", NULL, 0, slowlog_max_len, 0, LONG_MAX, 128, NULL),
    LL("latency-monitor-threshold", NULL, 0, latency_monitor_threshold, 0, LLONG_MAX, 0, NULL),
    INT("rdb-key-save-delay", NULL, F_HIDDEN, rdb_key_save_delay, INT_MIN, INT_MAX, 0, NULL),
    INT("key-load-delay", NULL, F_HIDDEN, key_load_delay, INT_MIN, INT_MAX, 0, NULL),
    BOOL("always-show-logo", NULL, F_IMMUTABLE, always_show_logo, 0, NULL),
    BOOL("latency-tracking", NULL, 0, latency_tracking_enabled, 1, NULL),
    INT("active-expire-effort", NULL, 0, active_expire_effort, 1, 10, 1, NULL),
    BOOL("lazyfree-lazy-eviction", NULL, 0, lazyfree_lazy_eviction, 0, NULL),
    BOOL("lazyfree-lazy-expire", NULL, 0, lazyfree_lazy_expire, 0, NULL),
    BOOL("lazyfree-lazy-server-del", NULL, 0, lazyfree_lazy_server_del, 0, NULL),
    BOOL("lazyfree-lazy-user-del", NULL, 0, lazyfree_lazy_user_del, 0, NULL),
    BOOL("lazyfree-lazy-user-flush", NULL, 0, lazyfree_lazy_user_flush, 0, NULL),
    BOOL("activerehashing", NULL, 0, activerehashing, 1, NULL),
    ULL("maxmemory", NULL, F_MEMORY, maxmemory, 0, LLONG_MAX, 0, NULL),
    ENUM("maxmemory-policy", NULL, 0, maxmemory_policy, maxmemory_policy_enum, 7),
    /* Redis allows up to INT_MAX samples; the eviction pool samples at most 64. */
    INT("maxmemory-samples", NULL, 0, maxmemory_samples, 1, 64, 5, NULL),
    BOOL("crash-log-enabled", NULL, 0, crashlog_enabled, 1, NULL),
    INT("shutdown-timeout", NULL, 0, shutdown_timeout, 0, INT_MAX, 10, NULL),
    BOOL("set-proc-title", NULL, F_IMMUTABLE, set_proc_title, 1, NULL),
    SPECIAL("dir", NULL, F_PROTECTED, set_dir, get_dir, NULL),
    INT("list-max-listpack-size", "list-max-ziplist-size", 0, list_max_listpack_size, INT_MIN, INT_MAX, -2,
        NULL),
    INT("list-compress-depth", NULL, 0, list_compress_depth, 0, INT_MAX, 0, NULL),
    SIZE("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, hash_max_listpack_entries, 0, LONG_MAX,
         512, NULL),
    SIZE("hash-max-listpack-value", "hash-max-ziplist-value", F_MEMORY, hash_max_listpack_value, 0, LONG_MAX,
         64, NULL),
    SIZE("set-max-intset-entries", NULL, 0, set_max_intset_entries, 0, LONG_MAX, 512, NULL),
    SIZE("set-max-listpack-entries", NULL, 0, set_max_listpack_entries, 0, LONG_MAX, 128, NULL),
    SIZE("set-max-listpack-value", NULL, 0, set_max_listpack_value, 0, LONG_MAX, 64, NULL),
    SIZE("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, zset_max_listpack_entries, 0, LONG_MAX,
         128, NULL),
    SIZE("zset-max-listpack-value", "zset-max-ziplist-value", F_MEMORY, zset_max_listpack_value, 0, LONG_MAX,
         64, NULL),
    INT("lfu-log-factor", NULL, 0, lfu_log_factor, 0, INT_MAX, 10, NULL),
    INT("lfu-decay-time", NULL, 0, lfu_decay_time, 0, INT_MAX, 1, NULL),
    INT("io-threads", NULL, F_IMMUTABLE, io_threads_num, 1, 128, 1, NULL),
    /* Redis allows up to LONG_MAX ms; the field is an int. */
    INT("busy-reply-threshold", "lua-time-limit", 0, busy_reply_threshold, 0, INT_MAX, 5000, NULL),
    SPECIAL("notify-keyspace-events", NULL, 0, set_notify, get_notify, ""),
    BOOL("replica-read-only", "slave-read-only", 0, replica_read_only, 1, NULL),
    STR("dbfilename", NULL, F_PROTECTED, dbfilename, "dump.rdb", check_dbfilename, NULL),
    BOOL("rdbcompression", NULL, 0, rdb_compression, 1, NULL),
    BOOL("rdbchecksum", NULL, F_IMMUTABLE, rdb_checksum, 1, NULL),
    BOOL("appendonly", NULL, 0, appendonly, 0, apply_appendonly),
    STR("appendfilename", NULL, F_IMMUTABLE, appendfilename, "appendonly.aof", check_aof_filename, NULL),
    STR("appenddirname", NULL, F_IMMUTABLE, appenddirname, "appendonlydir", check_aof_dirname, NULL),
    ENUM("appendfsync", NULL, 0, appendfsync, appendfsync_enum, 1),
    BOOL("aof-use-rdb-preamble", NULL, 0, aof_use_rdb_preamble, 1, NULL),
    BOOL("aof-load-truncated", NULL, 0, aof_load_truncated, 1, NULL),
    BOOL("aof-timestamp-enabled", NULL, 0, aof_timestamp_enabled, 0, NULL),
    INT("auto-aof-rewrite-percentage", NULL, 0, auto_aof_rewrite_perc, 0, INT_MAX, 100, NULL),
    LL("auto-aof-rewrite-min-size", NULL, F_MEMORY, auto_aof_rewrite_min_size, 0, LLONG_MAX,
       64LL * 1024 * 1024, NULL),
    SPECIAL("save", NULL, F_MULTI_ARG, set_save, get_save, "3600 1 300 100 60 10000"),
    LL("repl-backlog-size", NULL, F_MEMORY, repl_backlog_size, 1, LLONG_MAX, 1024 * 1024, NULL),
    INT("repl-backlog-ttl", NULL, 0, repl_backlog_ttl, 0, INT_MAX, 3600, NULL),
    INT("repl-ping-replica-period", "repl-ping-slave-period", 0, repl_ping_period, 1, INT_MAX, 10, NULL),
    INT("repl-timeout", NULL, 0, repl_timeout, 1, INT_MAX, 60, NULL),
    INT("min-replicas-to-write", "min-slaves-to-write", 0, min_replicas_to_write, 0, INT_MAX, 0, NULL),
    INT("min-replicas-max-lag", "min-slaves-max-lag", 0, min_replicas_max_lag, 0, INT_MAX, 10, NULL),
    STR("masterauth", NULL, F_SENSITIVE, masterauth, NULL, NULL, NULL),
    STR("masteruser", NULL, F_SENSITIVE, masteruser, NULL, NULL, NULL),
    STR("replica-announce-ip", "slave-announce-ip", 0, replica_announce_ip, NULL, NULL, NULL),
    INT("replica-announce-port", "slave-announce-port", 0, replica_announce_port, 0, 65535, 0, NULL),
    INT("replica-priority", "slave-priority", 0, replica_priority, 0, INT_MAX, 100, NULL),
    BOOL("replica-serve-stale-data", "slave-serve-stale-data", 0, replica_serve_stale_data, 1, NULL),
    BOOL("repl-diskless-sync", NULL, 0, repl_diskless_sync, 1, NULL),
    INT("repl-diskless-sync-delay", NULL, 0, repl_diskless_sync_delay, 0, INT_MAX, 5, NULL),
    SPECIAL("replicaof", "slaveof", F_IMMUTABLE | F_MULTI_ARG, set_replicaof, get_replicaof, NULL),
    SPECIAL("oom-score-adj-values", NULL, F_MULTI_ARG, set_oom_values, get_oom_values, "0 200 800"),
};
#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

#define U(n, a, k, fl, mn, mx, d, ch)                                                                        \
    { n, a, k, fl, mn, mx, d, ch }
#define UBOOL(n, a, fl, d) U(n, a, K_BOOL, fl, 0, 0, d, NULL)
#define UINT_(n, a, fl, mn, mx, d) U(n, a, K_INT, fl, mn, mx, d, NULL)
#define USTR(n, fl, d) U(n, NULL, K_STRING, fl, 0, 0, d, NULL)
#define UENUM(n, fl, d, ch) U(n, NULL, K_ENUM, fl, 0, 0, d, ch)

/* The Redis 7.2 directives Stash does not act on, with Redis's defaults. */
static const unsupportedDef unsupported[] = {
    UBOOL("io-threads-do-reads", NULL, F_IMMUTABLE, "no"),
    UBOOL("rdb-del-sync-files", NULL, 0, "no"),
    UBOOL("stop-writes-on-bgsave-error", NULL, 0, "yes"),
    UBOOL("repl-disable-tcp-nodelay", NULL, 0, "no"),
    UBOOL("aof-rewrite-incremental-fsync", NULL, 0, "yes"),
    UBOOL("no-appendfsync-on-rewrite", NULL, 0, "no"),
    UBOOL("cluster-require-full-coverage", NULL, 0, "yes"),
    UBOOL("rdb-save-incremental-fsync", NULL, 0, "yes"),
    UBOOL("cluster-replica-no-failover", "cluster-slave-no-failover", 0, "no"),
    UBOOL("replica-lazy-flush", "slave-lazy-flush", 0, "no"),
    UBOOL("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, "yes"),
    UBOOL("jemalloc-bg-thread", NULL, 0, "yes"),
    UBOOL("activedefrag", NULL, 0, "no"),
    UBOOL("cluster-enabled", NULL, F_IMMUTABLE, "no"),
    UBOOL("cluster-allow-reads-when-down", NULL, 0, "no"),
    UBOOL("cluster-allow-pubsubshard-when-down", NULL, 0, "yes"),
    UBOOL("crash-memcheck-enabled", NULL, 0, "yes"),
    UBOOL("use-exit-on-panic", NULL, F_HIDDEN, "no"),
    UBOOL("disable-thp", NULL, F_IMMUTABLE, "yes"),
    UBOOL("cluster-allow-replica-migration", NULL, 0, "yes"),
    UBOOL("replica-announced", NULL, 0, "yes"),
    UBOOL("aof-disable-auto-gc", NULL, F_HIDDEN, "no"),
    UBOOL("replica-ignore-disk-write-errors", NULL, 0, "no"),
    UBOOL("tls-cluster", NULL, 0, "no"),
    UBOOL("tls-replication", NULL, 0, "no"),
    UBOOL("tls-prefer-server-ciphers", NULL, 0, "no"),
    UBOOL("tls-session-caching", NULL, 0, "yes"),
    USTR("aclfile", F_IMMUTABLE, ""),
    USTR("cluster-announce-ip", 0, ""),
    USTR("cluster-config-file", F_IMMUTABLE, "nodes.conf"),
    USTR("cluster-announce-hostname", 0, ""),
    USTR("cluster-announce-human-nodename", 0, ""),
    USTR("syslog-ident", F_IMMUTABLE, "redis"),
    USTR("server_cpulist", F_IMMUTABLE, ""),
    USTR("bio_cpulist", F_IMMUTABLE, ""),
    USTR("aof_rewrite_cpulist", F_IMMUTABLE, ""),
    USTR("bgsave_cpulist", F_IMMUTABLE, ""),
    USTR("ignore-warnings", 0, ""),
    USTR("proc-title-template", 0, "{title} {listen-addr} {server-mode}"),
    USTR("bind-source-addr", 0, ""),
    USTR("req-res-logfile", F_IMMUTABLE | F_HIDDEN, ""),
    USTR("locale-collate", 0, ""),
    USTR("tls-cert-file", 0, ""),
    USTR("tls-key-file", F_SENSITIVE, ""),
    USTR("tls-key-file-pass", F_SENSITIVE, ""),
    USTR("tls-client-cert-file", 0, ""),
    USTR("tls-client-key-file", 0, ""),
    USTR("tls-client-key-file-pass", F_SENSITIVE, ""),
    USTR("tls-dh-params-file", 0, ""),
    USTR("tls-ca-cert-file", 0, ""),
    USTR("tls-ca-cert-dir", 0, ""),
    USTR("tls-protocols", 0, ""),
    USTR("tls-ciphers", 0, ""),
    USTR("tls-ciphersuites", 0, ""),
    USTR("latency-tracking-info-percentiles", F_MULTI_ARG, "50 99 99.9"),
    UENUM("supervised", F_IMMUTABLE, "no", "upstart|systemd|auto|no"),
    UENUM("syslog-facility", F_IMMUTABLE, "local0",
          "user|local0|local1|local2|local3|local4|local5|local6|local7"),
    UENUM("repl-diskless-load", 0, "disabled", "disabled|on-empty-db|swapdb"),
    UENUM("oom-score-adj", 0, "no", "no|yes|relative|absolute"),
    UENUM("acl-pubsub-default", 0, "resetchannels", "allchannels|resetchannels"),
    UENUM("sanitize-dump-payload", 0, "no", "no|yes|clients"),
    UENUM("cluster-preferred-endpoint-type", 0, "ip", "ip|hostname|unknown-endpoint"),
    UENUM("propagation-error-behavior", 0, "ignore", "ignore|panic|panic-on-replicas"),
    UENUM("shutdown-on-sigint", F_MULTI_ARG, "default", "default|save|nosave|now|force"),
    UENUM("shutdown-on-sigterm", F_MULTI_ARG, "default", "default|save|nosave|now|force"),
    UENUM("tls-auth-clients", 0, "yes", "no|yes|optional"),
    UINT_("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, INT_MAX, "10"),
    UINT_("cluster-migration-barrier", NULL, 0, 0, INT_MAX, "1"),
    UINT_("active-defrag-cycle-min", NULL, 0, 1, 99, "1"),
    UINT_("active-defrag-cycle-max", NULL, 0, 1, 99, "25"),
    UINT_("active-defrag-threshold-lower", NULL, 0, 0, 1000, "10"),
    UINT_("active-defrag-threshold-upper", NULL, 0, 0, 1000, "100"),
    UINT_("maxmemory-eviction-tenacity", NULL, 0, 0, 100, "10"),
    UINT_("cluster-port", NULL, F_IMMUTABLE, 0, 65535, "0"),
    UINT_("cluster-announce-bus-port", NULL, 0, 0, 65535, "0"),
    UINT_("cluster-announce-port", NULL, 0, 0, 65535, "0"),
    UINT_("cluster-announce-tls-port", NULL, 0, 0, 65535, "0"),
    UINT_("watchdog-period", NULL, F_HIDDEN, 0, INT_MAX, "0"),
    UINT_("repl-diskless-sync-max-replicas", NULL, 0, 0, INT_MAX, "0"),
    UINT_("socket-mark-id", NULL, F_IMMUTABLE | F_UNSIGNED, 0, UINT_MAX, "0"),
    UINT_("client-default-resp", NULL, F_IMMUTABLE | F_HIDDEN | F_UNSIGNED, 2, 3, "2"),
    UINT_("active-defrag-max-scan-fields", NULL, F_UNSIGNED, 1, LONG_MAX, "1000"),
    UINT_("acllog-max-len", NULL, F_UNSIGNED, 0, LONG_MAX, "128"),
    UINT_("cluster-node-timeout", NULL, 0, 0, LLONG_MAX, "15000"),
    UINT_("cluster-ping-interval", NULL, F_HIDDEN, 0, LLONG_MAX, "0"),
    UINT_("stream-node-max-entries", NULL, 0, 0, LLONG_MAX, "100"),
    UINT_("tracking-table-max-keys", NULL, F_UNSIGNED, 0, LONG_MAX, "1000000"),
    UINT_("loading-process-events-interval-bytes", NULL, F_HIDDEN, 1024, INT_MAX, "2097152"),
    UINT_("tls-port", NULL, 0, 0, 65535, "0"),
    UINT_("tls-session-cache-size", NULL, 0, 0, INT_MAX, "20480"),
    UINT_("tls-session-cache-timeout", NULL, 0, 0, INT_MAX, "300"),
    U("cluster-link-sendbuf-limit", NULL, K_MEMORY, F_UNSIGNED, 0, LLONG_MAX, "0", NULL),
    U("active-defrag-ignore-bytes", NULL, K_MEMORY, F_UNSIGNED, 1, LLONG_MAX, "104857600", NULL),
    U("stream-node-max-bytes", NULL, K_MEMORY, F_UNSIGNED, 0, LONG_MAX, "4096", NULL),
    U("hll-sparse-max-bytes", NULL, K_MEMORY, F_UNSIGNED, 0, LONG_MAX, "3000", NULL),
    U("maxmemory-clients", NULL, K_PERCENT, 0, -100, LLONG_MAX, "0", NULL),
};
#define UNSUPPORTED_LEN (sizeof(unsupported) / sizeof(unsupported[0]))

/* One directive of either table, and the name it was found by (an alias
 * is a directive of its own for CONFIG SET's checks and errors, as in
 * Redis 7.2). */
typedef struct cfgRef {
    const cfgDef *def;
    const unsupportedDef *u;
    const char *name;
} cfgRef;

static const char *matched_name(const char *name, const char *canonical, const char *alias) {
    if (!strcasecmp(name, canonical)) return canonical;
    return alias && !strcasecmp(name, alias) ? alias : NULL;
}

static int ref_lookup(const char *name, cfgRef *out) {
    *out = (cfgRef){NULL, NULL, NULL};
    for (size_t i = 0; i < TABLE_LEN && !out->name; i++)
        if ((out->name = matched_name(name, table[i].name, table[i].alias))) out->def = &table[i];
    for (size_t i = 0; i < UNSUPPORTED_LEN && !out->name; i++)
        if ((out->name = matched_name(name, unsupported[i].name, unsupported[i].alias)))
            out->u = &unsupported[i];
    return out->name != NULL;
}

static const char *ref_name(cfgRef r) { return r.def ? r.def->name : r.u->name; } /* canonical */
static unsigned ref_flags(cfgRef r) { return r.def ? r.def->flags : r.u->flags; }
static int ref_same(cfgRef a, cfgRef b) { return a.def == b.def && a.u == b.u && a.name == b.name; }

int config_is_known_redis_directive(const char *name) {
    cfgRef r;
    return ref_lookup(name, &r) && r.u;
}

/* ---- typed access to the server fields */
static void *field(server *srv, const cfgDef *d) { return (char *)srv + d->offset; }

static long long get_number(server *srv, const cfgDef *d) {
    void *p = field(srv, d);
    switch (d->type) {
    case T_BOOL:
    case T_INT:
    case T_ENUM: return *(int *)p;
    case T_UINT: return *(unsigned int *)p;
    case T_LL: return *(long long *)p;
    case T_ULL: return (long long)*(unsigned long long *)p;
    case T_SIZE: return (long long)*(size_t *)p;
    default: return 0;
    }
}

static void set_number(server *srv, const cfgDef *d, long long v) {
    void *p = field(srv, d);
    switch (d->type) {
    case T_BOOL:
    case T_INT:
    case T_ENUM: *(int *)p = (int)v; break;
    case T_UINT: *(unsigned int *)p = (unsigned int)v; break;
    case T_LL: *(long long *)p = v; break;
    case T_ULL: *(unsigned long long *)p = (unsigned long long)v; break;
    case T_SIZE: *(size_t *)p = (size_t)v; break;
    default: break;
    }
}

/* ---- parsing values, with Redis's error texts */
static int parse_bool(const char *s, long long *out, sds *err) {
    int v = yesnotoi(s);
    if (v == -1) {
        *err = sdsnew("argument must be 'yes' or 'no'");
        return -1;
    }
    *out = v;
    return 0;
}

static sds enum_error(const char *const *names, int n) {
    sds msg = sdsnew("argument(s) must be one of the following: ");
    for (int i = 0; i < n; i++) msg = sdscatprintf(msg, "%s%s", names[i], i + 1 < n ? ", " : "");
    return msg;
}

static int parse_enum(const cfgEnum *e, const char *s, long long *out, sds *err) {
    const char *names[16];
    int n = 0;
    for (; e[n].name; n++) {
        names[n] = e[n].name;
        if (!strcasecmp(e[n].name, s)) {
            *out = e[n].val;
            return 0;
        }
    }
    *err = enum_error(names, n);
    return -1;
}

/* Numbers as Redis's numericParseString: memory units, "N%" for percent
 * directives (stored negative), octal, or a plain integer. */
static int parse_number(const char *s, unsigned flags, long long *out, sds *err) {
    if (flags & (F_MEMORY | F_PERCENT)) {
        int e;
        unsigned long long u = memtoull(s, &e);
        if (!e) {
            *out = (long long)u;
            return 0;
        }
        size_t len = strlen(s);
        if ((flags & F_PERCENT) && len > 1 && s[len - 1] == '%' && string2ll(s, len - 1, out) && *out >= 0) {
            *out = -*out;
            return 0;
        }
        *err = sdsnew(flags & F_PERCENT ? "argument must be a memory or percent value"
                                        : "argument must be a memory value");
        return -1;
    }
    if (flags & F_OCTAL) {
        char *end;
        errno = 0;
        *out = strtoll(s, &end, 8);
        if (errno || *end || !*s) {
            *err = sdsnew("argument couldn't be parsed as an octal number");
            return -1;
        }
        return 0;
    }
    if (!string2ll(s, strlen(s), out)) {
        *err = sdsnew("argument couldn't be parsed into an integer");
        return -1;
    }
    return 0;
}

static int check_bounds(long long v, long long min, long long max, unsigned flags, sds *err) {
    if ((flags & F_PERCENT) && v < 0) {
        if (v >= min) return 0;
        *err = sdscatprintf(sdsempty(), "percentage argument must be less or equal to %lld", -min);
        return -1;
    }
    int out = (flags & F_UNSIGNED) ? ((unsigned long long)v > (unsigned long long)max ||
                                      (unsigned long long)v < (unsigned long long)min)
                                   : (v < min || v > max);
    if (!out) return 0;
    if (flags & F_OCTAL)
        *err = sdscatprintf(sdsempty(), "argument must be between %llo and %llo inclusive",
                            (unsigned long long)min, (unsigned long long)max);
    else if (flags & F_UNSIGNED)
        *err = sdscatprintf(sdsempty(), "argument must be between %llu and %llu inclusive",
                            (unsigned long long)min, (unsigned long long)max);
    else
        *err = sdscatprintf(sdsempty(), "argument must be between %lld and %lld inclusive", min, max);
    return -1;
}

static int parse_def_value(const cfgDef *d, const char *s, long long *num, sds *err) {
    if (d->type == T_BOOL) return parse_bool(s, num, err);
    if (d->type == T_ENUM) return parse_enum(d->enums, s, num, err);
    if (parse_number(s, d->flags, num, err) == -1) return -1;
    return check_bounds(*num, d->min, d->max, d->flags, err);
}

/* The value of a directive as CONFIG GET prints it. */
static sds format_def(server *srv, const cfgDef *d) {
    switch (d->type) {
    case T_BOOL: return sdsnew(get_number(srv, d) ? "yes" : "no");
    case T_ENUM: {
        long long v = get_number(srv, d);
        for (const cfgEnum *e = d->enums; e->name; e++)
            if (e->val == v) return sdsnew(e->name);
        return sdsempty();
    }
    case T_SDS: {
        sds v = *(sds *)field(srv, d);
        return sdsnew(v ? v : "");
    }
    case T_SPECIAL: return d->get(srv);
    default:
        if (d->flags & F_OCTAL)
            return sdscatprintf(sdsempty(), "%llo", (unsigned long long)get_number(srv, d));
        if (d->type == T_ULL || d->type == T_SIZE)
            return sdscatprintf(sdsempty(), "%llu", (unsigned long long)get_number(srv, d));
        return sdsfromlonglong(get_number(srv, d));
    }
}

static int set_def(server *srv, const cfgDef *d, sds *argv, int argc, sds *err) {
    if (d->type == T_SPECIAL) return d->set(srv, argv, argc, err);
    if (argc != 1) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    if (d->type == T_SDS) {
        const char *why = d->check ? d->check(argv[0]) : NULL;
        if (why) {
            *err = sdsnew(why);
            return -1;
        }
        sds *p = field(srv, d);
        sdsfree(*p);
        /* Directives without a default keep "" as NULL (Redis's EMPTY_STRING_IS_NULL). */
        *p = (sdslen(argv[0]) || d->dflt_str) ? sdsdup(argv[0]) : NULL;
        return 0;
    }
    long long v;
    if (parse_def_value(d, argv[0], &v, err) == -1) return -1;
    set_number(srv, d, v);
    return 0;
}

/* The words of an enum value (several for multi-argument directives), each
 * one of choices ("a|b|c"), lower-cased; NULL with *err if one is not. */
static sds enum_words(const char *choices, sds *argv, int argc, sds *err) {
    int n;
    sds *names = sdssplitlen(choices, (ssize_t)strlen(choices), "|", 1, &n);
    sds value = argc ? sdsempty() : NULL;
    for (int i = 0; i < argc && value; i++) {
        int ok = 0;
        for (int k = 0; k < n && !ok; k++) ok = !strcasecmp(names[k], argv[i]);
        if (ok) {
            value = sdscatprintf(value, "%s%s", i ? " " : "", argv[i]);
        } else {
            sdsfree(value);
            value = NULL;
        }
    }
    if (value)
        sdstolower(value);
    else
        *err = enum_error((const char *const *)names, n);
    sdsfreesplitres(names, n);
    return value;
}

/* Validates and normalizes a value of an unsupported directive. */
static int set_unsupported(server *srv, const unsupportedDef *u, sds *argv, int argc, sds *err) {
    if (!(u->flags & F_MULTI_ARG) && argc != 1) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    sds value = NULL;
    long long v;
    switch (u->kind) {
    case K_BOOL:
        if (parse_bool(argv[0], &v, err) == -1) return -1;
        value = sdsnew(v ? "yes" : "no");
        break;
    case K_INT:
    case K_MEMORY:
    case K_PERCENT: {
        unsigned fl = u->flags | (u->kind == K_MEMORY ? F_MEMORY : u->kind == K_PERCENT ? F_PERCENT : 0);
        if (parse_number(argv[0], fl, &v, err) == -1 || check_bounds(v, u->min, u->max, fl, err) == -1)
            return -1;
        value = v < 0 && u->kind == K_PERCENT ? sdscatprintf(sdsempty(), "%lld%%", -v) : sdsfromlonglong(v);
        break;
    }
    case K_ENUM:
        if (!(value = enum_words(u->choices, argv, argc, err))) return -1;
        break;
    case K_STRING: value = sdsjoinsds(argv, argc, " ", 1); break;
    }
    sds *slot = &cstate(srv)->values[u - unsupported];
    sdsfree(*slot);
    *slot = value;
    return 0;
}

static sds ref_get(server *srv, cfgRef r) {
    if (r.def) return format_def(srv, r.def);
    return sdsdup(cstate(srv)->values[r.u - unsupported]);
}

static int ref_set(server *srv, cfgRef r, sds *argv, int argc, sds *err) {
    return r.def ? set_def(srv, r.def, argv, argc, err) : set_unsupported(srv, r.u, argv, argc, err);
}

static applyFn ref_apply(cfgRef r) { return r.def ? r.def->apply : NULL; }

/* The default, formatted as CONFIG GET would print it. */
static sds ref_default(server *srv, cfgRef r) {
    if (r.u) return sdsnew(r.u->dflt);
    const cfgDef *d = r.def;
    if (d->type == T_SPECIAL || d->type == T_SDS) return sdsnew(d->dflt_str ? d->dflt_str : "");
    long long saved = get_number(srv, d);
    set_number(srv, d, d->dflt);
    sds v = format_def(srv, d);
    set_number(srv, d, saved);
    return v;
}

void config_set_defaults(server *srv) {
    if (!srv->config_state) {
        configState *cs = zcalloc(sizeof(*cs));
        cs->values = zcalloc(sizeof(sds) * UNSUPPORTED_LEN);
        srv->config_state = cs;
    }
    configState *cs = cstate(srv);
    for (size_t i = 0; i < UNSUPPORTED_LEN; i++) {
        sdsfree(cs->values[i]);
        cs->values[i] = sdsnew(unsupported[i].dflt);
    }
    sdsfree(cs->oom_values);
    cs->oom_values = sdsnew("0 200 800");
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const cfgDef *d = &table[i];
        if (d->type == T_SDS) {
            sds *p = field(srv, d);
            sdsfree(*p);
            *p = d->dflt_str ? sdsnew(d->dflt_str) : NULL;
        } else if (d->type == T_SPECIAL) {
            if (d->dflt_str && strcmp(d->name, "dir")) {
                int argc;
                sds *argv = sdssplitargs(d->dflt_str, &argc);
                sds err = NULL;
                d->set(srv, argv, argc, &err);
                sdsfree(err);
                sdsfreesplitres(argv, argc);
            }
        } else {
            set_number(srv, d, d->dflt);
        }
    }
    srv->hz = srv->config_hz;
    srv->active_expire_enabled = 1;
    srv->notify_keyspace_events = 0;
}

/* ---- loading redis.conf */
static void fatal_config_error(int linenum, const char *line, const char *msg) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", REDIS_COMPAT_VERSION);
    fprintf(stderr, "Reading the configuration file, at line %d\n", linenum);
    fprintf(stderr, ">>> '%s'\n", line);
    fprintf(stderr, "%s\n", msg);
}

/* Sets a directive from a config line's arguments. A multi-argument
 * directive given one argument ("--save '900 1'") has it split. */
static int load_directive(server *srv, cfgRef r, sds *argv, int argc, sds *err) {
    if (!(ref_flags(r) & F_MULTI_ARG)) {
        if (argc != 1) {
            *err = sdsnew("wrong number of arguments");
            return -1;
        }
        return ref_set(srv, r, argv, argc, err);
    }
    if (argc != 1 || sdslen(argv[0]) == 0) return ref_set(srv, r, argv, argc, err);
    int n;
    sds *split = sdssplitargs(argv[0], &n);
    if (!split) {
        *err = sdsnew("Unbalanced quotes in configuration line");
        return -1;
    }
    int rc = ref_set(srv, r, split, n, err);
    sdsfreesplitres(split, n);
    return rc;
}

/* Directives Redis reads that configure something Stash does not have
 * (rename-command, user, loadmodule): accepted with a warning. */
static int other_redis_directive(server *srv, sds *argv, int argc, sds *err) {
    static const struct {
        const char *name;
        int min_argc, max_argc;
    } ignored[] = {{"list-max-ziplist-entries", 2, 2},
                   {"list-max-ziplist-value", 2, 2},
                   {"lua-replicate-commands", 2, 2}};
    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        if (!strcmp(argv[0], ignored[i].name) && argc >= ignored[i].min_argc && argc <= ignored[i].max_argc)
            return 1; /* deprecated: silently ignored, as Redis does */
    if (!strcmp(argv[0], "rename-command") && argc == 3) {
        command_table_init();
        if (!command_lookup_name(argv[1], sdslen(argv[1]))) {
            *err = sdsnew("No such command in rename-command");
            return -1;
        }
    } else if (!strcmp(argv[0], "sentinel")) {
        if (argc != 1) {
            *err = sdsnew("sentinel directive while not in sentinel mode");
            return -1;
        }
    } else if (!((!strcmp(argv[0], "user") && argc >= 2) || (!strcmp(argv[0], "loadmodule") && argc >= 2))) {
        return 0;
    }
    LOG(srv, LL_WARNING, "Configuration directive '%s' is not supported by Stash; ignored.", argv[0]);
    return 1;
}

static int include_files(server *srv, const char *pattern);

/* One non-empty, non-comment line. Returns 0, or -1 with *err set. */
static int load_line(server *srv, sds *argv, int argc, sds *err) {
    sdstolower(argv[0]);
    cfgRef r;
    if (ref_lookup(argv[0], &r)) {
        if (r.u)
            LOG(srv, LL_NOTICE, "Configuration directive '%s' is accepted but has no effect in Stash.",
                argv[0]);
        return load_directive(srv, r, argv + 1, argc - 1, err);
    }
    if (!strcmp(argv[0], "include") && argc == 2) return include_files(srv, argv[1]);
    int other = other_redis_directive(srv, argv, argc, err);
    if (other) return other == 1 ? 0 : -1;
    *err = sdsnew("Bad directive or wrong number of arguments");
    return -1;
}

int config_load_string(server *srv, const char *text, const char *filename) {
    int count;
    sds *lines = sdssplitlen(text, (ssize_t)strlen(text), "\n", 1, &count);
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        sds line = lines[i] = sdstrim(lines[i], " \t\r\n");
        if (line[0] == '#' || line[0] == '\0') continue;
        int argc;
        sds *argv = sdssplitargs(line, &argc);
        sds err = NULL;
        if (!argv) {
            err = sdsnew("Unbalanced quotes in configuration line");
        } else if (argc > 0 && load_line(srv, argv, argc, &err) == -1 && !err) {
            rc = -1; /* an included file already reported its error */
        }
        if (err) {
            fatal_config_error(i + 1, line, err);
            sdsfree(err);
            rc = -1;
        }
        if (argv) sdsfreesplitres(argv, argc);
    }
    sdsfreesplitres(lines, count);
    if (rc == 0 && srv->logfile && srv->logfile[0]) {
        FILE *fp = fopen(srv->logfile, "a");
        if (!fp) {
            sds msg = sdscatprintf(sdsempty(), "Can't open the log file: %s", strerror(errno));
            fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n%s\n", REDIS_COMPAT_VERSION, msg);
            sdsfree(msg);
            rc = -1;
        } else {
            fclose(fp);
        }
    }
    apply_hz(srv, NULL);
    return rc;
}

static sds read_file(const char *filename, sds text) {
    FILE *fp = strcmp(filename, "-") ? fopen(filename, "r") : stdin;
    if (!fp) {
        fprintf(stderr, "Fatal error, can't open config file '%s': %s\n", filename, strerror(errno));
        sdsfree(text);
        return NULL;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) text = sdscatlen(text, buf, n);
    if (fp != stdin) fclose(fp);
    return text;
}

/* include <path>: a path with wildcards includes every match (none is
 * fine); a plain path must exist. Relative paths are relative to the
 * working directory at that point, as in Redis. */
static int include_files(server *srv, const char *pattern) {
    if (!strpbrk(pattern, "*?[")) return config_load(srv, pattern, NULL);
    glob_t g;
    int rc = 0;
    if (glob(pattern, 0, NULL, &g) != 0) return 0;
    for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) rc = config_load(srv, g.gl_pathv[i], NULL);
    globfree(&g);
    return rc;
}

int config_load(server *srv, const char *filename, const char *options) {
    sds text = sdsempty();
    if (filename && filename[0] && !(text = read_file(filename, text))) return -1;
    if (options) {
        text = sdscat(text, "\n");
        text = sdscat(text, options);
    }
    int rc = config_load_string(srv, text, filename);
    sdsfree(text);
    return rc;
}

/* ---- CONFIG GET */
sds config_get(server *srv, const char *name) {
    cfgRef r;
    return ref_lookup(name, &r) ? ref_get(srv, r) : NULL;
}

typedef struct getMatch {
    const char *name;
    cfgRef ref;
} getMatch;

static int already_matched(const getMatch *m, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(m[i].name, name)) return 1;
    return 0;
}

/* Adds every name (canonical or alias) of a directive that matches. */
static size_t match_names(getMatch *m, size_t n, const char *pattern, cfgRef r, const char *name,
                          const char *alias) {
    const char *names[2] = {name, alias};
    for (int k = 0; k < 2; k++) {
        if (!names[k] || already_matched(m, n, names[k])) continue;
        if (stringmatch(pattern, names[k], 1)) m[n++] = (getMatch){names[k], r};
    }
    return n;
}

void config_get_many(server *srv, sds *patterns, int npatterns, void (*fn)(void *, const char *, sds),
                     void *ctx) {
    size_t cap = 2 * (TABLE_LEN + UNSUPPORTED_LEN), n = 0;
    getMatch *m = zmalloc(sizeof(*m) * cap);
    for (int p = 0; p < npatterns; p++) {
        const char *pat = patterns[p];
        cfgRef r;
        if (!strpbrk(pat, "[*?")) { /* exact names may be hidden ones; shown as asked */
            if (ref_lookup(pat, &r) && !already_matched(m, n, pat)) m[n++] = (getMatch){pat, r};
            continue;
        }
        for (size_t i = 0; i < TABLE_LEN; i++)
            if (!(table[i].flags & F_HIDDEN))
                n = match_names(m, n, pat, (cfgRef){&table[i], NULL, NULL}, table[i].name, table[i].alias);
        for (size_t i = 0; i < UNSUPPORTED_LEN; i++)
            if (!(unsupported[i].flags & F_HIDDEN))
                n = match_names(m, n, pat, (cfgRef){NULL, &unsupported[i], NULL}, unsupported[i].name,
                                unsupported[i].alias);
    }
    for (size_t i = 0; i < n; i++) {
        sds v = ref_get(srv, m[i].ref);
        fn(ctx, m[i].name, v);
        sdsfree(v);
    }
    zfree(m);
}

/* ---- CONFIG SET */

/* A CONFIG SET value as Redis splits it: multi-argument directives on
 * single spaces ("" gives no arguments). */
static int set_from_value(server *srv, cfgRef r, const sds value, sds *err) {
    if (!(ref_flags(r) & F_MULTI_ARG)) {
        sds argv[1] = {value};
        return ref_set(srv, r, argv, 1, err);
    }
    int n;
    sds *argv = sdssplitlen(value, (ssize_t)sdslen(value), " ", 1, &n);
    int rc = ref_set(srv, r, argv, n, err);
    sdsfreesplitres(argv, n);
    return rc;
}

static int set_failed(sds *err, const char *name, sds why) {
    sds msg = sdscatprintf(sdsempty(), ERR_CONFIG_SET_FAILED, name, why ? why : "");
    if (!why) sdsrange(msg, 0, -4); /* no reason: drop the " - " */
    sdsfree(why);
    *err = msg;
    return -1;
}

/* Runs each distinct apply hook once. Returns the index of the pair whose
 * hook failed, or -1. */
static int run_apply_hooks(server *srv, const cfgRef *refs, int n, sds *err) {
    for (int i = 0; i < n; i++) {
        applyFn fn = ref_apply(refs[i]);
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = ref_apply(refs[j]) == fn;
        if (fn && !seen && fn(srv, err) == -1) return i;
    }
    return -1;
}

static void restore_values(server *srv, const cfgRef *refs, sds *old, int n) {
    for (int i = n - 1; i >= 0; i--) {
        sds ignored = NULL;
        set_from_value(srv, refs[i], old[i], &ignored);
        sdsfree(ignored);
    }
}

/* Checks names first (unknown, immutable, protected, duplicate), as Redis. */
static int resolve_pairs(server *srv, sds *pairs, int n, cfgRef *refs, sds *err) {
    for (int i = 0; i < n; i++) {
        if (!ref_lookup(pairs[2 * i], &refs[i])) {
            *err = sdscatprintf(sdsempty(), "Unknown option or number of arguments for CONFIG SET - '%s'",
                                pairs[2 * i]);
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        unsigned fl = ref_flags(refs[i]);
        if (fl & F_IMMUTABLE) return set_failed(err, pairs[2 * i], sdsnew("can't set immutable config"));
        if ((fl & F_PROTECTED) && srv->enable_protected_configs != PROTECTED_ACTION_YES)
            return set_failed(err, pairs[2 * i], sdsnew("can't set protected config"));
        for (int j = 0; j < i; j++)
            if (ref_same(refs[j], refs[i]))
                return set_failed(err, pairs[2 * i], sdsnew("duplicate parameter"));
    }
    return 0;
}

int config_set_pairs(server *srv, sds *pairs, int npairs, sds *err) {
    cfgRef *refs = zmalloc(sizeof(cfgRef) * (size_t)npairs);
    sds *old = zcalloc(sizeof(sds) * (size_t)npairs);
    int rc = resolve_pairs(srv, pairs, npairs, refs, err);
    for (int i = 0; rc == 0 && i < npairs; i++) old[i] = ref_get(srv, refs[i]);
    for (int i = 0; rc == 0 && i < npairs; i++) {
        sds why = NULL;
        if (set_from_value(srv, refs[i], pairs[2 * i + 1], &why) == -1) {
            restore_values(srv, refs, old, i + 1);
            rc = set_failed(err, refs[i].name, why);
        }
    }
    if (rc == 0) {
        sds why = NULL;
        int bad = run_apply_hooks(srv, refs, npairs, &why);
        if (bad >= 0) {
            LOG(srv, LL_WARNING,
                "Failed applying new configuration. Possibly related to new %s setting. Restoring previous "
                "settings.",
                ref_name(refs[bad]));
            restore_values(srv, refs, old, npairs);
            sds ignored = NULL;
            run_apply_hooks(srv, refs, npairs, &ignored);
            sdsfree(ignored);
            rc = set_failed(err, refs[bad].name, why);
        }
    }
    for (int i = 0; i < npairs; i++) sdsfree(old[i]);
    zfree(old);
    zfree(refs);
    return rc;
}

int config_set(server *srv, const char *name, sds *argv, int argc, sds *err) {
    sds value = sdsjoinsds(argv, argc, " ", 1);
    sds pair[2] = {sdsnew(name), value};
    int rc = config_set_pairs(srv, pair, 1, err);
    sdsfree(pair[0]);
    sdsfree(pair[1]);
    return rc;
}

/* ---- CONFIG REWRITE: keep the file's layout and comments, update the
 * lines of known directives in place (the first occurrence; later ones are
 * dropped), then append the directives that differ from their defaults
 * under a "# Generated by CONFIG REWRITE" line. */
#define REWRITE_SIGNATURE "# Generated by CONFIG REWRITE"

static int ref_index(cfgRef r) {
    return r.def ? (int)(r.def - table) : (int)TABLE_LEN + (int)(r.u - unsupported);
}

/* Bytes as Redis writes them back: the largest unit that divides them. */
static sds cat_memory(sds out, long long bytes) {
    static const struct {
        long long size;
        const char *unit;
    } units[] = {{1LL << 30, "gb"}, {1LL << 20, "mb"}, {1LL << 10, "kb"}};
    for (size_t i = 0; i < 3; i++)
        if (bytes && bytes % units[i].size == 0)
            return sdscatprintf(out, "%lld%s", bytes / units[i].size, units[i].unit);
    return sdscatprintf(out, "%lld", bytes);
}

static int is_memory(cfgRef r) {
    return r.def ? (r.def->flags & F_MEMORY) && r.def->type != T_SPECIAL : r.u->kind == K_MEMORY;
}

static int is_string(cfgRef r) {
    if (r.def)
        return r.def->type == T_SDS || !strcmp(r.def->name, "dir") ||
               !strcmp(r.def->name, "notify-keyspace-events");
    return r.u->kind == K_STRING && !(r.u->flags & F_MULTI_ARG);
}

/* save 3600 1 / save 300 100 ... one line per pair, `save ""` for none. */
static sds save_lines(server *srv, sds out) {
    sds v = get_save(srv);
    int n;
    sds *words = sdssplitargs(v, &n);
    if (n == 0) out = sdscat(out, "save \"\"\n");
    for (int i = 0; i + 1 < n; i += 2) out = sdscatprintf(out, "save %s %s\n", words[i], words[i + 1]);
    sdsfreesplitres(words, n);
    sdsfree(v);
    return out;
}

static sds obuf_lines(server *srv, sds out) {
    static const char *names[] = {"normal", "replica", "pubsub"};
    for (int j = 0; j < CLIENT_TYPE_COUNT; j++) {
        const clientBufferLimits *l = &srv->obuf_limits[j];
        out = sdscatprintf(out, "client-output-buffer-limit %s ", names[j]);
        out = cat_memory(out, (long long)l->hard_limit_bytes);
        out = sdscat(out, " ");
        out = cat_memory(out, (long long)l->soft_limit_bytes);
        out = sdscatprintf(out, " %ld\n", (long)l->soft_limit_seconds);
    }
    return out;
}

/* Appends the file lines for one directive (none when it must not appear:
 * a string without value, no replicaof). */
static sds directive_lines(server *srv, sds out, cfgRef r) {
    const char *name = ref_name(r);
    if (r.def && !strcmp(name, "save")) return save_lines(srv, out);
    if (r.def && !strcmp(name, "client-output-buffer-limit")) return obuf_lines(srv, out);
    if (r.def && r.def->type == T_SDS && *(sds *)field(srv, r.def) == NULL) return out;
    sds v = ref_get(srv, r);
    /* An empty special value means "unset", except bind "" (no TCP at all). */
    if (sdslen(v) == 0 && r.def && r.def->type == T_SPECIAL && !is_string(r) && strcmp(name, "bind")) {
        sdsfree(v);
        return out;
    }
    out = sdscatprintf(out, "%s ", name);
    if (is_string(r) || sdslen(v) == 0)
        out = sdscatrepr(out, v, sdslen(v));
    else if (is_memory(r))
        out = cat_memory(out, strtoll(v, NULL, 10));
    else
        out = sdscatsds(out, v);
    sdsfree(v);
    return sdscat(out, "\n");
}

/* Whether a directive absent from the file must be added: it differs from
 * its default (dir and save are always written, as Redis does). */
static int must_write(server *srv, cfgRef r) {
    if (r.def && (!strcmp(r.def->name, "dir") || !strcmp(r.def->name, "save"))) return 1;
    sds v = ref_get(srv, r), d = ref_default(srv, r);
    int differs = strcmp(v, d) != 0;
    sdsfree(v);
    sdsfree(d);
    return differs;
}

static sds rewrite_existing(server *srv, FILE *fp, char *seen, int *has_signature) {
    sds out = sdsempty();
    char buf[8192];
    while (fgets(buf, sizeof(buf), fp)) {
        sds line = sdstrim(sdsnew(buf), "\r\n");
        int argc = 0;
        sds *argv = (line[0] && line[0] != '#') ? sdssplitargs(line, &argc) : NULL;
        cfgRef r;
        if (!strcmp(line, REWRITE_SIGNATURE) && !*has_signature) {
            *has_signature = 1; /* new directives go at the end, under it */
            out = sdscatprintf(out, "%s\n", line);
        } else if (!strcmp(line, REWRITE_SIGNATURE)) {
            /* a duplicate signature is dropped */
        } else if (argc && ref_lookup(argv[0], &r)) {
            /* Later lines of the same directive become blank, as in Redis. */
            out = seen[ref_index(r)] ? sdscat(out, "\n") : directive_lines(srv, out, r);
            seen[ref_index(r)] = 1;
        } else {
            out = sdscatprintf(out, "%s\n", line);
        }
        if (argv) sdsfreesplitres(argv, argc);
        sdsfree(line);
    }
    return out;
}

static sds rewrite_changed(server *srv, sds out, const char *seen, int header) {
    for (size_t i = 0; i < TABLE_LEN + UNSUPPORTED_LEN; i++) {
        cfgRef r = i < TABLE_LEN
                       ? (cfgRef){&table[i], NULL, table[i].name}
                       : (cfgRef){NULL, &unsupported[i - TABLE_LEN], unsupported[i - TABLE_LEN].name};
        if (seen[i] || !must_write(srv, r)) continue;
        if (!header) {
            if (sdslen(out) && out[sdslen(out) - 1] != '\n') out = sdscat(out, "\n");
            out = sdscat(out, REWRITE_SIGNATURE "\n");
            header = 1;
        }
        out = directive_lines(srv, out, r);
    }
    return out;
}

/* Every run of blank lines becomes one blank line. */
static sds collapse_blank_lines(sds text) {
    sds out = sdsempty();
    int prev_blank = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        int blank = len == 1 && *p == '\n';
        if (!(blank && prev_blank)) out = sdscatlen(out, p, len);
        prev_blank = blank;
        p += len;
    }
    sdsfree(text);
    return out;
}

static int write_atomically(const char *path, const sds content) {
    sds tmp = sdscatprintf(sdsempty(), "%s.tmp-%d", path, (int)getpid());
    FILE *w = fopen(tmp, "w");
    int rc = -1;
    if (w && fwrite(content, 1, sdslen(content), w) == sdslen(content) && fflush(w) == 0 &&
        fsync(fileno(w)) == 0) {
        fclose(w);
        w = NULL;
        if (rename(tmp, path) == 0) rc = 0;
    }
    int saved = errno;
    if (w) fclose(w);
    if (rc) unlink(tmp);
    sdsfree(tmp);
    errno = saved;
    return rc;
}

int config_rewrite(server *srv, sds *err) {
    if (!srv->configfile) {
        *err = sdsnew("The server is running without a config file");
        return -1;
    }
    char *seen = zcalloc(TABLE_LEN + UNSUPPORTED_LEN);
    FILE *fp = fopen(srv->configfile, "r");
    if (!fp && errno != ENOENT) {
        *err = sdscatprintf(sdsempty(), "Rewriting config file: %s", strerror(errno));
        zfree(seen);
        return -1;
    }
    int has_signature = 0;
    sds out = fp ? rewrite_existing(srv, fp, seen, &has_signature) : sdsempty();
    if (fp) fclose(fp);
    out = collapse_blank_lines(rewrite_changed(srv, out, seen, has_signature));
    zfree(seen);
    int rc = write_atomically(srv->configfile, out);
    if (rc) {
        LOG(srv, LL_WARNING, "CONFIG REWRITE failed: %s", strerror(errno));
        *err = sdscatprintf(sdsempty(), "Rewriting config file: %s", strerror(errno));
    } else {
        LOG(srv, LL_NOTICE, "CONFIG REWRITE executed with success.");
    }
    sdsfree(out);
    return rc;
}

/* ---- redis.conf.example: every directive with its default and what it
 * accepts, derived from the table (so it can never drift from the code). */
static void describe(FILE *fp, const cfgDef *d) {
    switch (d->type) {
    case T_BOOL: fprintf(fp, "# yes or no"); break;
    case T_ENUM:
        fprintf(fp, "# one of:");
        for (const cfgEnum *e = d->enums; e->name; e++) fprintf(fp, " %s", e->name);
        break;
    case T_SDS: fprintf(fp, "# a string"); break;
    case T_SPECIAL: fprintf(fp, "# see Redis's redis.conf for the syntax"); break;
    default:
        if (d->flags & F_MEMORY)
            fprintf(fp, "# bytes, units allowed (1k 1kb 1m 1mb 1g 1gb)");
        else if (d->flags & F_OCTAL)
            fprintf(fp, "# octal permissions");
        else
            fprintf(fp, "# integer from %lld to %lld", d->min, d->max);
    }
    if (d->alias) fprintf(fp, "; alias: %s", d->alias);
    if (d->flags & F_IMMUTABLE) fprintf(fp, "; set at start-up only");
    fprintf(fp, "\n");
}

void config_write_example(server *defaults, FILE *fp) {
    fprintf(fp, "# redis.conf.example: every directive stash-server understands, with its\n"
                "# default value (Redis 7.2's default). Generated from the configuration\n"
                "# table by `stash-server --dump-config-example`; do not edit by hand.\n"
                "# Other Redis 7.2 directives are accepted with a warning and ignored.\n\n");
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const cfgDef *d = &table[i];
        describe(fp, d);
        sds v = d->type == T_SPECIAL && d->dflt_str ? sdsnew(d->dflt_str) : format_def(defaults, d);
        if (!strcmp(d->name, "dir")) {
            sdsfree(v);
            v = sdsnew("./");
        }
        int quote = sdslen(v) == 0 || (d->type == T_SDS && strchr(v, ' '));
        if (d->type == T_SPECIAL && sdslen(v) == 0) /* no default: shown commented out */
            fprintf(fp, "# %s <value>\n\n", d->name);
        else
            fprintf(fp, "%s %s%s%s\n\n", d->name, quote ? "\"" : "", v, quote ? "\"" : "");
        sdsfree(v);
    }
}
