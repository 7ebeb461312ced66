/* config.c: the directive table and everything driven by it (see config.h).
 *
 * Table entries map a directive to a server field by offset. Numeric types
 * are checked against [min,max] and MEMORY values accept units ("1gb").
 * Enums map names to ints. Special directives (bind, save,
 * client-output-buffer-limit, ...) have their own parse/format pair.
 * CONFIG SET of several pairs is atomic: every value is parsed and applied,
 * and on any failure the previous values are restored. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "db/keyspace_events.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "server/dispatch.h"
#include "server/server.h"

typedef enum { T_BOOL, T_INT, T_UINT, T_LL, T_ULL, T_SIZE, T_ENUM, T_SDS, T_SPECIAL } cfgType;

#define F_IMMUTABLE (1 << 0)
#define F_MEMORY (1 << 1)   /* numeric with units */
#define F_SENSITIVE (1 << 2)
#define F_OCTAL (1 << 3)
#define F_DEBUG (1 << 4)
#define F_PROTECTED (1 << 5)
#define F_MULTI_ARG (1 << 6)

typedef struct cfgEnum {
    const char *name;
    int val;
} cfgEnum;

typedef struct cfgDef cfgDef;
typedef int (*specialSet)(server *srv, sds *argv, int argc, sds *err);
typedef sds (*specialGet)(server *srv);

struct cfgDef {
    const char *name, *alias;
    cfgType type;
    unsigned flags;
    size_t offset;
    long long min, max, dflt;
    const char *dflt_str;
    const cfgEnum *enums;
    specialSet set;
    specialGet get;
    int (*apply)(server *srv, sds *err); /* after a change at run time */
};

#define OFF(f) offsetof(server, f)

static const cfgEnum loglevel_enum[] = {{"debug", LL_DEBUG}, {"verbose", LL_VERBOSE}, {"notice", LL_NOTICE},
                                        {"warning", LL_WARNING}, {"nothing", LL_NOTHING}, {NULL, 0}};
static const cfgEnum maxmemory_policy_enum[] = {{"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2},
                                                {"volatile-ttl", 3}, {"allkeys-lru", 4},  {"allkeys-lfu", 5},
                                                {"allkeys-random", 6}, {"noeviction", 7}, {NULL, 0}};
static const cfgEnum appendfsync_enum[] = {{"everysec", 1}, {"always", 2}, {"no", 0}, {NULL, 0}};
static const cfgEnum protected_enum[] = {{"no", 0}, {"yes", 1}, {"local", 2}, {NULL, 0}};

/* ---- special directives */
static int set_bind(server *srv, sds *argv, int argc, sds *err) {
    if (argc > CONFIG_MAX_BIND) {
        *err = sdsnew("Too many bind addresses specified.");
        return -1;
    }
    for (int j = 0; j < srv->bindaddr_count; j++) zfree(srv->bindaddr[j]);
    srv->bindaddr_count = 0;
    for (int j = 0; j < argc; j++) {
        if (argc == 1 && argv[0][0] == '\0') break;
        srv->bindaddr[srv->bindaddr_count++] = zstrdup(argv[j]);
    }
    return 0;
}
static sds get_bind(server *srv) {
    if (srv->bindaddr_count == 0) return sdsnew("* -::*");
    return sdsjoin(srv->bindaddr, srv->bindaddr_count, " ");
}

static int set_save(server *srv, sds *argv, int argc, sds *err) { return snapshot_set_params(srv, argv, argc, err); }
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
        if (!strcasecmp(argv[j], "normal")) cls = CLIENT_TYPE_NORMAL;
        else if (!strcasecmp(argv[j], "replica") || !strcasecmp(argv[j], "slave")) cls = CLIENT_TYPE_SLAVE;
        else if (!strcasecmp(argv[j], "pubsub")) cls = CLIENT_TYPE_PUBSUB;
        else {
            *err = sdsnew("Invalid client class specified in buffer limit configuration.");
            return -1;
        }
        int e1, e2;
        unsigned long long hard = memtoull(argv[j + 1], &e1), soft = memtoull(argv[j + 2], &e2);
        char *end;
        long long secs = strtoll(argv[j + 3], &end, 10);
        if (e1 || e2 || *end || secs < 0) {
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
        s = sdscatprintf(s, "%s%s %llu %llu %ld", j ? " " : "", names[j], srv->obuf_limits[j].hard_limit_bytes,
                         srv->obuf_limits[j].soft_limit_bytes, (long)srv->obuf_limits[j].soft_limit_seconds);
    return s;
}

static int set_notify(server *srv, sds *argv, int argc, sds *err) {
    int flags = keyspace_events_parse(argc ? argv[0] : "");
    if (flags == -1) {
        *err = sdsnew("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        return -1;
    }
    srv->notify_keyspace_events = flags;
    return 0;
}
static sds get_notify(server *srv) { return keyspace_events_format(srv->notify_keyspace_events); }

static int set_dir(server *srv, sds *argv, int argc, sds *err) {
    if (chdir(argv[0]) == -1) {
        *err = sdscatprintf(sdsempty(), "%s", strerror(errno));
        return -1;
    }
    return 0;
}
static sds get_dir(server *srv) {
    char buf[4096];
    if (!getcwd(buf, sizeof(buf))) buf[0] = '\0';
    return sdsnew(buf);
}

static sds oom_score_values;
static int set_oom_values(server *srv, sds *argv, int argc, sds *err) {
    if (argc != 3) {
        *err = sdsnew("Invalid oom-score-adj-values");
        return -1;
    }
    sdsfree(oom_score_values);
    oom_score_values = sdsjoinsds(argv, argc, " ", 1);
    return 0;
}
static sds get_oom_values(server *srv) { return oom_score_values ? sdsdup(oom_score_values) : sdsnew("0 200 800"); }

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
    if (!srv->replicaof_host) return sdsempty();
    return sdscatprintf(sdsempty(), "%s %d", srv->replicaof_host, srv->replicaof_port);
}

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
        *err = sdsnew("The event loop API used by Redis is not able to handle the specified number of clients");
        return -1;
    }
    return 0;
}

static int apply_hz(server *srv, sds *err) {
    if (srv->config_hz < 1) srv->config_hz = 1;
    if (srv->config_hz > 500) srv->config_hz = 500;
    srv->hz = srv->config_hz;
    return 0;
}

static int apply_proto_max_bulk(server *srv, sds *err) {
    for (client *c = srv->clients; c; c = c->next) c->parser.max_bulk_len = srv->proto_max_bulk_len;
    return 0;
}

#define BOOL(n, a, f, d) {n, a, T_BOOL, 0, OFF(f), 0, 1, d, NULL, NULL, NULL, NULL, NULL}
#define INT(n, a, fl, f, mn, mx, d, ap) {n, a, T_INT, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap}
#define UINT(n, a, fl, f, mn, mx, d, ap) {n, a, T_UINT, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap}
#define LL(n, a, fl, f, mn, mx, d, ap) {n, a, T_LL, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap}
#define ULL(n, a, fl, f, mn, mx, d, ap) {n, a, T_ULL, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap}
#define SIZE(n, a, fl, f, mn, mx, d, ap) {n, a, T_SIZE, fl, OFF(f), mn, mx, d, NULL, NULL, NULL, NULL, ap}
#define ENUM(n, a, fl, f, e, d) {n, a, T_ENUM, fl, OFF(f), 0, 0, d, NULL, e, NULL, NULL, NULL}
#define STR(n, a, fl, f, d) {n, a, T_SDS, fl, OFF(f), 0, 0, 0, d, NULL, NULL, NULL, NULL}
#define SPECIAL(n, fl, s, g, d) {n, NULL, T_SPECIAL, fl, 0, 0, 0, 0, d, NULL, s, g, NULL}

static const cfgDef table[] = {
    INT("port", NULL, 0, port, 0, 65535, 6379, NULL),
    INT("tcp-backlog", NULL, F_IMMUTABLE, tcp_backlog, 0, INT_MAX, 511, NULL),
    SPECIAL("bind", F_MULTI_ARG, set_bind, get_bind, "* -::*"),
    STR("unixsocket", NULL, F_IMMUTABLE, unixsocket, NULL),
    UINT("unixsocketperm", NULL, F_IMMUTABLE | F_OCTAL, unixsocketperm, 0, 0777, 0, NULL),
    ENUM("protected-mode", NULL, 0, protected_mode, protected_enum, 1),
    INT("timeout", NULL, 0, maxidletime, 0, INT_MAX, 0, NULL),
    INT("tcp-keepalive", NULL, 0, tcpkeepalive, 0, INT_MAX, 300, NULL),
    UINT("maxclients", NULL, 0, maxclients, 1, UINT_MAX, 10000, apply_maxclients),
    INT("hz", NULL, 0, config_hz, 0, INT_MAX, 10, apply_hz),
    BOOL("dynamic-hz", NULL, dynamic_hz, 1),
    INT("databases", NULL, F_IMMUTABLE, dbnum, 1, INT_MAX, 16, NULL),
    ENUM("loglevel", NULL, 0, verbosity, loglevel_enum, LL_NOTICE),
    STR("logfile", NULL, F_IMMUTABLE, logfile, ""),
    BOOL("daemonize", NULL, daemonize, 0),
    STR("pidfile", NULL, 0, pidfile, ""),
    BOOL("syslog-enabled", NULL, syslog_enabled, 0),
    LL("proto-max-bulk-len", NULL, F_MEMORY, proto_max_bulk_len, 1024 * 1024, LLONG_MAX, 512LL * 1024 * 1024,
       apply_proto_max_bulk),
    ULL("client-query-buffer-limit", NULL, F_MEMORY, client_max_querybuf_len, 1024 * 1024, LLONG_MAX,
        1024LL * 1024 * 1024, NULL),
    SPECIAL("client-output-buffer-limit", F_MULTI_ARG, set_obuf, get_obuf,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
    STR("requirepass", NULL, F_SENSITIVE, requirepass, NULL),
    ENUM("enable-debug-command", NULL, F_IMMUTABLE, enable_debug_cmd, protected_enum, 0),
    ENUM("enable-protected-configs", NULL, F_IMMUTABLE, enable_protected_configs, protected_enum, 0),
    ENUM("enable-module-command", NULL, F_IMMUTABLE, enable_module_cmd, protected_enum, 0),
    LL("slowlog-log-slower-than", NULL, 0, slowlog_log_slower_than, -1, LLONG_MAX, 10000, NULL),
    ULL("slowlog-max-len", NULL, 0, slowlog_max_len, 0, LONG_MAX, 128, NULL),
    LL("latency-monitor-threshold", NULL, 0, latency_monitor_threshold, 0, LLONG_MAX, 0, NULL),
    BOOL("latency-tracking", NULL, latency_tracking_enabled, 1),
    INT("active-expire-effort", NULL, 0, active_expire_effort, 1, 10, 1, NULL),
    BOOL("lazyfree-lazy-eviction", NULL, lazyfree_lazy_eviction, 0),
    BOOL("lazyfree-lazy-expire", NULL, lazyfree_lazy_expire, 0),
    BOOL("lazyfree-lazy-server-del", NULL, lazyfree_lazy_server_del, 0),
    BOOL("lazyfree-lazy-user-del", NULL, lazyfree_lazy_user_del, 0),
    BOOL("lazyfree-lazy-user-flush", NULL, lazyfree_lazy_user_flush, 0),
    BOOL("activerehashing", NULL, activerehashing, 1),
    ULL("maxmemory", NULL, F_MEMORY, maxmemory, 0, LLONG_MAX, 0, NULL),
    ENUM("maxmemory-policy", NULL, 0, maxmemory_policy, maxmemory_policy_enum, 7),
    INT("maxmemory-samples", NULL, 0, maxmemory_samples, 1, 64, 5, NULL),
    BOOL("crash-log-enabled", NULL, crashlog_enabled, 1),
    INT("shutdown-timeout", NULL, 0, shutdown_timeout, 0, INT_MAX, 10, NULL),
    BOOL("set-proc-title", NULL, set_proc_title, 1),
    SPECIAL("dir", 0, set_dir, get_dir, NULL),
    INT("list-max-listpack-size", "list-max-ziplist-size", 0, list_max_listpack_size, INT_MIN, INT_MAX, -2, NULL),
    INT("list-compress-depth", NULL, 0, list_compress_depth, 0, INT_MAX, 0, NULL),
    SIZE("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, hash_max_listpack_entries, 0, LONG_MAX, 128, NULL),
    SIZE("hash-max-listpack-value", "hash-max-ziplist-value", F_MEMORY, hash_max_listpack_value, 0, LONG_MAX, 64, NULL),
    SIZE("set-max-intset-entries", NULL, 0, set_max_intset_entries, 0, LONG_MAX, 512, NULL),
    SIZE("set-max-listpack-entries", NULL, 0, set_max_listpack_entries, 0, LONG_MAX, 128, NULL),
    SIZE("set-max-listpack-value", NULL, F_MEMORY, set_max_listpack_value, 0, LONG_MAX, 64, NULL),
    SIZE("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, zset_max_listpack_entries, 0, LONG_MAX, 128, NULL),
    SIZE("zset-max-listpack-value", "zset-max-ziplist-value", F_MEMORY, zset_max_listpack_value, 0, LONG_MAX, 64, NULL),
    INT("lfu-log-factor", NULL, 0, lfu_log_factor, 0, INT_MAX, 10, NULL),
    INT("lfu-decay-time", NULL, 0, lfu_decay_time, 0, INT_MAX, 1, NULL),
    INT("io-threads", NULL, F_IMMUTABLE, io_threads_num, 1, 128, 1, NULL),
    INT("busy-reply-threshold", "lua-time-limit", 0, busy_reply_threshold, 0, INT_MAX, 5000, NULL),
    SPECIAL("notify-keyspace-events", 0, set_notify, get_notify, ""),
    BOOL("replica-read-only", "slave-read-only", replica_read_only, 1),
    STR("dbfilename", NULL, F_PROTECTED, dbfilename, "dump.rdb"),
    BOOL("rdbcompression", NULL, rdb_compression, 1),
    BOOL("rdbchecksum", NULL, rdb_checksum, 1),
    {"appendonly", NULL, T_BOOL, 0, OFF(appendonly), 0, 1, 0, NULL, NULL, NULL, NULL, apply_appendonly},
    STR("appendfilename", NULL, F_IMMUTABLE, appendfilename, "appendonly.aof"),
    STR("appenddirname", NULL, F_IMMUTABLE, appenddirname, "appendonlydir"),
    ENUM("appendfsync", NULL, 0, appendfsync, appendfsync_enum, 1),
    BOOL("aof-use-rdb-preamble", NULL, aof_use_rdb_preamble, 1),
    BOOL("aof-load-truncated", NULL, aof_load_truncated, 1),
    BOOL("aof-timestamp-enabled", NULL, aof_timestamp_enabled, 0),
    INT("auto-aof-rewrite-percentage", NULL, 0, auto_aof_rewrite_perc, 0, INT_MAX, 100, NULL),
    LL("auto-aof-rewrite-min-size", NULL, F_MEMORY, auto_aof_rewrite_min_size, 0, LLONG_MAX, 64LL * 1024 * 1024, NULL),
    SPECIAL("save", F_MULTI_ARG, set_save, get_save, "3600 1 300 100 60 10000"),
    LL("repl-backlog-size", NULL, F_MEMORY, repl_backlog_size, 1, LLONG_MAX, 1024 * 1024, NULL),
    INT("repl-backlog-ttl", NULL, 0, repl_backlog_ttl, 0, INT_MAX, 3600, NULL),
    INT("repl-ping-replica-period", "repl-ping-slave-period", 0, repl_ping_period, 1, INT_MAX, 10, NULL),
    INT("repl-timeout", NULL, 0, repl_timeout, 1, INT_MAX, 60, NULL),
    INT("min-replicas-to-write", "min-slaves-to-write", 0, min_replicas_to_write, 0, INT_MAX, 0, NULL),
    INT("min-replicas-max-lag", "min-slaves-max-lag", 0, min_replicas_max_lag, 0, INT_MAX, 10, NULL),
    STR("masterauth", NULL, F_SENSITIVE, masterauth, NULL),
    STR("masteruser", NULL, 0, masteruser, NULL),
    STR("replica-announce-ip", "slave-announce-ip", 0, replica_announce_ip, NULL),
    INT("replica-announce-port", "slave-announce-port", 0, replica_announce_port, 0, 65535, 0, NULL),
    INT("replica-priority", "slave-priority", 0, replica_priority, 0, INT_MAX, 100, NULL),
    BOOL("replica-serve-stale-data", "slave-serve-stale-data", replica_serve_stale_data, 1),
    BOOL("repl-diskless-sync", NULL, repl_diskless_sync, 1),
    INT("repl-diskless-sync-delay", NULL, 0, repl_diskless_sync_delay, 0, INT_MAX, 5, NULL),
    {"replicaof", "slaveof", T_SPECIAL, F_IMMUTABLE, 0, 0, 0, 0, NULL, NULL, set_replicaof, get_replicaof, NULL},
    SPECIAL("oom-score-adj-values", F_MULTI_ARG, set_oom_values, get_oom_values, "0 200 800"),
};
#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

/* Redis 7.2 directives Stash accepts but does not act on yet. Their values
 * are remembered so CONFIG GET answers; the log says they are ignored. */
static const char *passthrough_names[] = {
    "io-threads-do-reads", "always-show-logo", "rdb-del-sync-files", "stop-writes-on-bgsave-error",
    "repl-disable-tcp-nodelay", "repl-diskless-sync", "aof-rewrite-incremental-fsync", "no-appendfsync-on-rewrite",
    "cluster-require-full-coverage", "rdb-save-incremental-fsync", "aof-load-truncated", "aof-use-rdb-preamble",
    "aof-timestamp-enabled", "cluster-replica-no-failover", "replica-lazy-flush", "replica-serve-stale-data",
    "replica-ignore-maxmemory", "jemalloc-bg-thread", "activedefrag", "cluster-enabled",
    "cluster-allow-reads-when-down", "cluster-allow-pubsubshard-when-down", "crash-memcheck-enabled",
    "use-exit-on-panic", "disable-thp", "cluster-allow-replica-migration", "replica-announced",
    "aof-disable-auto-gc", "replica-ignore-disk-write-errors", "aclfile", "replica-announce-ip", "masteruser",
    "cluster-announce-ip", "cluster-config-file", "cluster-announce-hostname", "cluster-announce-human-nodename",
    "syslog-ident", "ignore-warnings", "proc-title-template", "bind-source-addr", "req-res-logfile",
    "locale-collate", "masterauth", "supervised", "syslog-facility", "repl-diskless-load", "oom-score-adj",
    "acl-pubsub-default", "sanitize-dump-payload", "cluster-preferred-endpoint-type", "propagation-error-behavior",
    "shutdown-on-sigint", "shutdown-on-sigterm", "auto-aof-rewrite-percentage", "cluster-replica-validity-factor",
    "cluster-migration-barrier", "active-defrag-cycle-min", "active-defrag-cycle-max",
    "active-defrag-threshold-lower", "active-defrag-threshold-upper", "replica-priority", "repl-diskless-sync-delay",
    "maxmemory-eviction-tenacity", "replica-announce-port", "cluster-port", "cluster-announce-bus-port",
    "cluster-announce-port", "cluster-announce-tls-port", "repl-timeout", "repl-ping-replica-period",
    "rdb-key-save-delay", "key-load-delay", "min-replicas-to-write", "min-replicas-max-lag", "watchdog-period",
    "repl-diskless-sync-max-replicas", "socket-mark-id", "client-default-resp", "active-defrag-max-scan-fields",
    "acllog-max-len", "cluster-node-timeout", "cluster-ping-interval", "stream-node-max-entries",
    "repl-backlog-size", "cluster-link-sendbuf-limit", "active-defrag-ignore-bytes", "stream-node-max-bytes",
    "hll-sparse-max-bytes", "tracking-table-max-keys", "maxmemory-clients", "repl-backlog-ttl", "tls-port",
    "tls-session-cache-size", "tls-session-cache-timeout", "tls-cluster", "tls-replication", "tls-auth-clients",
    "tls-prefer-server-ciphers", "tls-session-caching", "tls-cert-file", "tls-key-file", "tls-key-file-pass",
    "tls-client-cert-file", "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file",
    "tls-ca-cert-file", "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites", "replicaof",
    "slaveof", "auto-aof-rewrite-min-size", "slave-serve-stale-data", "slave-lazy-flush", "slave-ignore-maxmemory",
    "slave-announce-ip", "slave-priority", "slave-announce-port", "repl-ping-slave-period", "min-slaves-to-write",
    "min-slaves-max-lag", "cluster-slave-validity-factor", "cluster-slave-no-failover", NULL};

typedef struct passthrough {
    char *name;
    sds value;
    struct passthrough *next;
} passthrough;
static passthrough *passthrough_values; /* process-wide like the table itself */

int config_is_known_redis_directive(const char *name) {
    for (int i = 0; passthrough_names[i]; i++)
        if (!strcasecmp(passthrough_names[i], name)) return 1;
    return 0;
}

static const cfgDef *lookup(const char *name) {
    for (size_t i = 0; i < TABLE_LEN; i++)
        if (!strcasecmp(table[i].name, name) || (table[i].alias && !strcasecmp(table[i].alias, name)))
            return &table[i];
    return NULL;
}

/* ---- typed access */
static void *field(server *srv, const cfgDef *d) { return (char *)srv + d->offset; }

static long long get_number(server *srv, const cfgDef *d) {
    void *p = field(srv, d);
    switch (d->type) {
    case T_BOOL: case T_INT: case T_ENUM: return *(int *)p;
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
    case T_BOOL: case T_INT: case T_ENUM: *(int *)p = (int)v; break;
    case T_UINT: *(unsigned int *)p = (unsigned int)v; break;
    case T_LL: *(long long *)p = v; break;
    case T_ULL: *(unsigned long long *)p = (unsigned long long)v; break;
    case T_SIZE: *(size_t *)p = (size_t)v; break;
    default: break;
    }
}

static int parse_value(const cfgDef *d, sds *argv, int argc, long long *num, sds *err) {
    const char *s = argv[0];
    if (d->type == T_BOOL) {
        int v = yesnotoi(s);
        if (v == -1) {
            *err = sdsnew("argument must be 'yes' or 'no'");
            return -1;
        }
        *num = v;
        return 0;
    }
    if (d->type == T_ENUM) {
        for (const cfgEnum *e = d->enums; e->name; e++) {
            if (!strcasecmp(e->name, s)) {
                *num = e->val;
                return 0;
            }
        }
        sds msg = sdsnew("argument(s) must be one of the following: ");
        for (const cfgEnum *e = d->enums; e->name; e++) msg = sdscatprintf(msg, "%s%s", e->name, e[1].name ? ", " : "");
        *err = msg;
        return -1;
    }
    long long v;
    if (d->flags & F_OCTAL) {
        char *end;
        errno = 0;
        v = strtoll(s, &end, 8);
        if (errno || *end || !*s) {
            *err = sdsnew("argument couldn't be parsed into an integer");
            return -1;
        }
    } else if (d->flags & F_MEMORY) {
        int e;
        if (s[0] == '-') {
            if (!string2ll(s, strlen(s), &v)) {
                *err = sdsnew("argument must be a memory value");
                return -1;
            }
        } else {
            unsigned long long u = memtoull(s, &e);
            if (e || u > LLONG_MAX) {
                *err = sdsnew("argument must be a memory value");
                return -1;
            }
            v = (long long)u;
        }
    } else if (!string2ll(s, strlen(s), &v)) {
        *err = sdsnew("argument couldn't be parsed into an integer");
        return -1;
    }
    if (v < d->min || v > d->max) {
        *err = sdscatprintf(sdsempty(), "argument must be between %lld and %lld inclusive", d->min, d->max);
        return -1;
    }
    *num = v;
    return 0;
}

static sds format_value(server *srv, const cfgDef *d) {
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
        if (d->flags & F_OCTAL) return sdscatprintf(sdsempty(), "%llo", (unsigned long long)get_number(srv, d));
        if (d->type == T_ULL || d->type == T_SIZE)
            return sdscatprintf(sdsempty(), "%llu", (unsigned long long)get_number(srv, d));
        return sdsfromlonglong(get_number(srv, d));
    }
}

/* Applies a value to one directive; no rollback here. */
static int apply_one(server *srv, const cfgDef *d, sds *argv, int argc, sds *err) {
    if (d->type == T_SPECIAL) return d->set(srv, argv, argc, err);
    if (argc != 1) {
        *err = sdsnew("wrong number of arguments");
        return -1;
    }
    if (d->type == T_SDS) {
        sds *p = field(srv, d);
        sdsfree(*p);
        *p = (argv[0][0] || d->dflt_str == NULL || strcmp(d->name, "requirepass")) ? sdsnew(argv[0]) : NULL;
        if (!strcmp(d->name, "requirepass") && argv[0][0] == '\0') {
            sdsfree(*p);
            *p = NULL;
        }
        return 0;
    }
    long long v;
    if (parse_value(d, argv, argc, &v, err) == -1) return -1;
    set_number(srv, d, v);
    return 0;
}

void config_set_defaults(server *srv) {
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const cfgDef *d = &table[i];
        if (d->type == T_SDS) {
            *(sds *)field(srv, d) = d->dflt_str ? sdsnew(d->dflt_str) : NULL;
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

static void set_passthrough(const char *name, sds *argv, int argc) {
    passthrough *p;
    for (p = passthrough_values; p; p = p->next)
        if (!strcasecmp(p->name, name)) break;
    if (!p) {
        p = zcalloc(sizeof(*p));
        p->name = zstrdup(name);
        for (char *c = p->name; *c; c++) *c = (char)tolower((unsigned char)*c);
        p->next = passthrough_values;
        passthrough_values = p;
    }
    sdsfree(p->value);
    p->value = sdsjoinsds(argv, argc, " ", 1);
}

static void fatal_config_error(server *srv, int linenum, const char *line, const char *msg) {
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (Redis %s) ***\n", REDIS_COMPAT_VERSION);
    if (linenum > 0) fprintf(stderr, "Reading the configuration file, at line %d\n", linenum);
    fprintf(stderr, ">>> '%s'\n", line);
    fprintf(stderr, "%s\n", msg);
}

int config_load_string(server *srv, const char *text, const char *filename) {
    int count;
    sds *lines = sdssplitlen(text, (ssize_t)strlen(text), "\n", 1, &count);
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        sds line = sdstrim(lines[i], " \t\r\n");
        if (line[0] == '#' || line[0] == '\0') continue;
        int argc;
        sds *argv = sdssplitargs(line, &argc);
        if (!argv) {
            fatal_config_error(srv, i + 1, line, "Unbalanced quotes in configuration line");
            rc = -1;
            break;
        }
        if (argc == 0) {
            sdsfreesplitres(argv, argc);
            continue;
        }
        sdstolower(argv[0]);
        const cfgDef *d = lookup(argv[0]);
        sds err = NULL;
        if (!strcmp(argv[0], "include") && argc == 2) {
            if (config_load(srv, argv[1], NULL) == -1) rc = -1;
        } else if (d) {
            if (argc < 2 && d->type != T_SPECIAL) {
                fatal_config_error(srv, i + 1, line, "wrong number of arguments");
                rc = -1;
            } else if (apply_one(srv, d, argv + 1, argc - 1, &err) == -1) {
                fatal_config_error(srv, i + 1, line, err);
                rc = -1;
            }
        } else if (config_is_known_redis_directive(argv[0]) || !strcmp(argv[0], "rename-command") ||
                   !strcmp(argv[0], "user") || !strcmp(argv[0], "loadmodule") || !strcmp(argv[0], "sentinel")) {
            set_passthrough(argv[0], argv + 1, argc - 1);
            LOG(srv, LL_WARNING, "Configuration directive '%s' is not supported by Stash yet; ignored.", argv[0]);
        } else {
            fatal_config_error(srv, i + 1, line, "Bad directive or wrong number of arguments");
            rc = -1;
        }
        sdsfree(err);
        sdsfreesplitres(argv, argc);
    }
    sdsfreesplitres(lines, count);
    srv->hz = srv->config_hz;
    return rc;
}

int config_load(server *srv, const char *filename, const char *options) {
    sds text = sdsempty();
    if (filename && filename[0]) {
        FILE *fp = strcmp(filename, "-") ? fopen(filename, "r") : stdin;
        if (!fp) {
            fprintf(stderr, "Fatal error, can't open config file '%s': %s\n", filename, strerror(errno));
            sdsfree(text);
            return -1;
        }
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) text = sdscatlen(text, buf, n);
        if (fp != stdin) fclose(fp);
    }
    if (options) {
        text = sdscat(text, "\n");
        text = sdscat(text, options);
    }
    int rc = config_load_string(srv, text, filename);
    sdsfree(text);
    return rc;
}

sds config_get(server *srv, const char *name) {
    const cfgDef *d = lookup(name);
    if (d) return format_value(srv, d);
    for (passthrough *p = passthrough_values; p; p = p->next)
        if (!strcasecmp(p->name, name)) return sdsdup(p->value);
    return NULL;
}

void config_get_matching(server *srv, const char *pattern, void (*fn)(void *, const char *, sds), void *ctx) {
    int glob = strpbrk(pattern, "*?[") != NULL;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const cfgDef *d = &table[i];
        const char *names[2] = {d->name, d->alias};
        for (int k = 0; k < 2; k++) {
            if (!names[k]) continue;
            if (glob ? stringmatch(pattern, names[k], 1) : !strcasecmp(pattern, names[k])) {
                sds v = format_value(srv, d);
                fn(ctx, names[k], v);
                sdsfree(v);
            }
        }
    }
    for (passthrough *p = passthrough_values; p; p = p->next)
        if (glob ? stringmatch(pattern, p->name, 1) : !strcasecmp(pattern, p->name)) fn(ctx, p->name, p->value);
}

int config_set(server *srv, const char *name, sds *argv, int argc, sds *err) {
    const cfgDef *d = lookup(name);
    if (!d) {
        if (config_is_known_redis_directive(name)) {
            set_passthrough(name, argv, argc);
            return 0;
        }
        *err = sdscatprintf(sdsempty(), "Unknown option or number of arguments for CONFIG SET - '%s'", name);
        return -1;
    }
    if (d->flags & F_IMMUTABLE) {
        *err = sdsnew("can't set immutable config");
        return -1;
    }
    if ((d->flags & F_PROTECTED) && srv->enable_protected_configs == 0) {
        *err = sdsnew("can't set protected config");
        return -1;
    }
    int n = argc;
    sds *v = argv;
    int split = 0;
    if ((d->flags & F_MULTI_ARG) && argc == 1) {
        v = sdssplitargs(argv[0], &n);
        split = 1;
        if (!v) {
            *err = sdsnew("Invalid argument");
            return -1;
        }
    }
    int rc = apply_one(srv, d, v, n == 0 && d->type == T_SPECIAL ? 0 : n, err);
    if (split) sdsfreesplitres(v, n);
    if (rc == 0 && d->apply) rc = d->apply(srv, err);
    return rc;
}

/* ---- CONFIG REWRITE: keep the file's layout, update known lines, append
 * changed directives that were not in the file. */
int config_rewrite(server *srv, sds *err) {
    if (!srv->configfile) {
        *err = sdsnew("The server is running without a config file");
        return -1;
    }
    sds out = sdsempty();
    FILE *fp = fopen(srv->configfile, "r");
    char *seen = zcalloc(TABLE_LEN);
    if (fp) {
        char buf[8192];
        while (fgets(buf, sizeof(buf), fp)) {
            sds line = sdstrim(sdsnew(buf), "\r\n");
            int argc = 0;
            sds *argv = (line[0] && line[0] != '#') ? sdssplitargs(line, &argc) : NULL;
            const cfgDef *d = argc ? lookup(argv[0]) : NULL;
            if (d) {
                size_t idx = (size_t)(d - table);
                if (!seen[idx]) {
                    sds v = format_value(srv, d);
                    out = sdscatprintf(out, "%s %s\n", d->name, v);
                    sdsfree(v);
                    seen[idx] = 1;
                }
            } else if (!(argc && !strcasecmp(argv[0], "# Generated by CONFIG REWRITE"))) {
                out = sdscatprintf(out, "%s\n", line);
            }
            if (argv) sdsfreesplitres(argv, argc);
            sdsfree(line);
        }
        fclose(fp);
    }
    int header = 0;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const cfgDef *d = &table[i];
        if (seen[i] || d->type == T_SPECIAL) continue;
        int is_default;
        if (d->type == T_SDS) {
            sds v = *(sds *)field(srv, d);
            is_default = d->dflt_str ? (v && !strcmp(v, d->dflt_str)) : (v == NULL || !v[0]);
        } else {
            is_default = get_number(srv, d) == d->dflt;
        }
        if (is_default) continue;
        if (!header) out = sdscat(out, "# Generated by CONFIG REWRITE\n"), header = 1;
        sds v = format_value(srv, d);
        out = sdscatprintf(out, "%s %s\n", d->name, v);
        sdsfree(v);
    }
    zfree(seen);
    sds tmp = sdscatprintf(sdsempty(), "%s.tmp-%d", srv->configfile, (int)getpid());
    FILE *w = fopen(tmp, "w");
    int rc = -1;
    if (w && fwrite(out, 1, sdslen(out), w) == sdslen(out) && fflush(w) == 0 && fsync(fileno(w)) == 0) {
        fclose(w);
        w = NULL;
        if (rename(tmp, srv->configfile) == 0) rc = 0;
    }
    if (w) fclose(w);
    if (rc) {
        *err = sdscatprintf(sdsempty(), "Rewriting config file: %s", strerror(errno));
        unlink(tmp);
    }
    sdsfree(tmp);
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
        if (d->flags & F_MEMORY) fprintf(fp, "# bytes, units allowed (1k 1kb 1m 1mb 1g 1gb)");
        else if (d->flags & F_OCTAL) fprintf(fp, "# octal permissions");
        else fprintf(fp, "# integer from %lld to %lld", d->min, d->max);
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
        sds v = d->type == T_SPECIAL && d->dflt_str ? sdsnew(d->dflt_str) : format_value(defaults, d);
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
