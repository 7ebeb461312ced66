/* server.h: the server's state, in one struct passed to whoever needs it
 * (clients carry a pointer to it; nothing reaches for a global except the
 * signal handlers, through server_instance()).
 *
 * Fields are grouped by concern: configuration (written only by the config
 * table in config.c), runtime state, statistics. Subsystems with state of
 * their own keep it behind an opaque pointer here. */
#ifndef STASH_SERVER_H
#define STASH_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/sds.h"
#include "db/db.h"
#include "net/reactor.h"
#include "server/client.h"

#define STASH_VERSION "0.1.0"
#define REDIS_COMPAT_VERSION "7.2.6"
#define CONFIG_MAX_BIND 16
#define CONFIG_MIN_RESERVED_FDS 32
#define CONFIG_FDSET_INCR (CONFIG_MIN_RESERVED_FDS + 96)

#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3
#define LL_NOTHING 4

#define PROTECTED_ACTION_NO 0
#define PROTECTED_ACTION_YES 1
#define PROTECTED_ACTION_LOCAL 2

#define NET_IP_STR_LEN 46

typedef struct clientBufferLimits {
    unsigned long long hard_limit_bytes;
    unsigned long long soft_limit_bytes;
    time_t soft_limit_seconds;
} clientBufferLimits;

typedef struct slowlogEntry slowlogEntry;

typedef struct server {
    /* ---- configuration (see config.c for names and defaults) */
    sds configfile;           /* absolute path, or NULL */
    sds executable;
    char **exec_argv;
    int port;
    int tcp_backlog;
    char *bindaddr[CONFIG_MAX_BIND];
    int bindaddr_count;
    sds bind_config;          /* "bind" as given */
    sds unixsocket;
    unsigned int unixsocketperm;
    int protected_mode;
    int maxidletime;          /* timeout, seconds */
    int tcpkeepalive;
    unsigned int maxclients;
    int hz, config_hz, dynamic_hz;
    int dbnum;
    int verbosity;
    sds logfile;
    int daemonize;
    int always_show_logo;
    int rdb_key_save_delay, key_load_delay; /* test knobs: usec per key (negative: 1 usec every -N keys) */
    sds pidfile;
    int syslog_enabled;
    long long proto_max_bulk_len;
    unsigned long long client_max_querybuf_len;
    clientBufferLimits obuf_limits[CLIENT_TYPE_COUNT];
    sds requirepass;
    int enable_debug_cmd, enable_protected_configs, enable_module_cmd;
    long long slowlog_log_slower_than;
    unsigned long slowlog_max_len;
    long long latency_monitor_threshold;
    int active_expire_enabled;
    int active_expire_effort;
    int lazyfree_lazy_eviction, lazyfree_lazy_expire, lazyfree_lazy_server_del, lazyfree_lazy_user_del,
        lazyfree_lazy_user_flush;
    int activerehashing;
    unsigned long long maxmemory;
    int maxmemory_policy, maxmemory_samples;
    int crashlog_enabled;
    int shutdown_timeout;
    int set_proc_title;
    sds dir;
    int list_max_listpack_size, list_compress_depth;
    size_t hash_max_listpack_entries, hash_max_listpack_value;
    size_t set_max_intset_entries, set_max_listpack_entries, set_max_listpack_value;
    size_t zset_max_listpack_entries, zset_max_listpack_value;
    int lfu_log_factor, lfu_decay_time;
    int latency_tracking_enabled;
    int io_threads_num;
    int busy_reply_threshold;
    sds notify_keyspace_events_str;
    int notify_keyspace_events;
    int replica_read_only;
    int masterauth_dummy;
    sds dbfilename;
    int rdb_compression, rdb_checksum;
    int appendonly;
    sds appendfilename, appenddirname;
    int appendfsync;
    int aof_use_rdb_preamble, aof_load_truncated, aof_timestamp_enabled;
    int auto_aof_rewrite_perc;
    long long auto_aof_rewrite_min_size;
    long long repl_backlog_size;
    int repl_backlog_ttl, repl_ping_period, repl_timeout;
    int min_replicas_to_write, min_replicas_max_lag;
    sds masterauth, masteruser, replica_announce_ip;
    int replica_priority, replica_announce_port, replica_serve_stale_data;
    int repl_diskless_sync, repl_diskless_sync_delay;
    sds replicaof_host;            /* from the config file, applied at start */
    int replicaof_port;
    void *config_state;            /* config.c: values of directives kept only for CONFIG GET */
    /* ---- runtime */
    long long repl_down_since_ms;
    pid_t pid;
    int arch_bits;
    char runid[41];
    long long start_time_ms;
    reactor *el;
    int listeners[CONFIG_MAX_BIND];
    int listener_count;
    sds listen_signature;          /* port and bind list the listeners were opened for */
    int unix_listener;
    db *dbs;
    client *clients;               /* head of the doubly linked list */
    unsigned long client_count;
    client *pending_writes;        /* clients with output to flush */
    client *to_close;              /* clients to free before sleeping */
    client *current_client;        /* client executing a command */
    client *executing_client;
    uint64_t next_client_id;
    long long cron_loops;
    long long mstime;              /* cached at the start of each command */
    long long ustime;
    unsigned int lruclock;
    long long dirty;               /* changes since the last save */
    int shutdown_asap;
    int shutdown_flags;
    int shutdown_signal;           /* SIGTERM or SIGINT that asked for it */
    int loading;
    int in_exec, in_script;
    int masterhost_set;            /* replica of someone? (repl module) */
    int paused_actions;            /* CLIENT PAUSE in effect */
    long long pause_end_ms;
    int pause_write_only;
    client *paused_head, *paused_tail; /* clients postponed by CLIENT PAUSE, oldest first */
    int pause_resuming;            /* dispatch.c is re-running them */
    long long cron_paused;         /* DEBUG PAUSE-CRON */
    int stat_active_expire_disabled_by_debug;
    int skip_checksum_validation;  /* DEBUG SET-SKIP-CHECKSUM-VALIDATION */
    int aof_flush_sleep;           /* DEBUG AOF-FLUSH-SLEEP: usec before each AOF write */
    void *slowlog;                 /* server/slowlog.c */
    void *latency;                 /* server/latency.c */
    int monitor_count;             /* clients in MONITOR mode */
    void *lazyfree;                /* db/lazyfree.c */
    void *pubsub;                  /* pubsub state */
    void *watched;                 /* WATCH state */
    void *blocking;                /* blocking state */
    void *repl;                    /* replication state */
    void *persist;                 /* RDB snapshot state */
    void *aof;                     /* AOF state */
    struct loadingState *loading_state; /* persist/loading.c */
    void *evict_pool;              /* eviction candidates kept across calls */
    struct dict *replica_keys_with_expire; /* db/replica_expire.c */
    struct {
        int present, stream_db;
        char replid[48];
        long long offset;
    } rdb_repl;                    /* replication aux fields of the last RDB loaded */
    void *script;                  /* Lua scripting state */
    void *acl;                     /* ACL users and log */
    /* Hooks installed by optional subsystems. */
    void (*publish)(struct server *srv, const char *chan, size_t chanlen, const char *msg, size_t msglen);
    void (*propagate_sinks[4])(struct server *srv, int dbid, sds *argv, int argc);
    int propagate_sink_count;
    int propagate_tx_depth, propagate_tx_open;
    struct heldCommand *propagate_held; /* a transaction's first write, held (propagate.c) */
    int expire_timelimit_exit;     /* active expire cycle state */
    int expire_current_db;
    long long expire_last_fast_start;
    long long lastsave;
    long long lastbgsave_try;
    int quicklist_packed_threshold_set;
    size_t quicklist_packed_threshold;
    /* ---- statistics (INFO stats; CONFIG RESETSTAT zeroes them) */
    long long stat_numcommands, stat_numconnections, stat_rejected_conn;
    long long stat_expiredkeys, stat_expired_stale_perc_x100, stat_expired_time_cap_reached_count;
    long long stat_evictedkeys, stat_evictedclients;
    long long stat_keyspace_hits, stat_keyspace_misses;
    long long stat_net_input_bytes, stat_net_output_bytes;
    long long stat_client_qbuf_limit_disconnections, stat_client_outbuf_limit_disconnections;
    long long stat_total_error_replies, stat_unexpected_error_replies;
    long long stat_total_reads_processed, stat_total_writes_processed;
    long long stat_io_reads_processed, stat_io_writes_processed;
    long long stat_expire_cycle_time_used;
    long long stat_peak_memory;
    long long stat_lazyfreed_objects;
    long long stat_total_active_defrag_time;
    long long stat_fork_time;
    long long stat_dump_payload_sanitizations;
    long long stat_sync_full, stat_sync_partial_ok, stat_sync_partial_err;
    void *errors;                  /* dict: error code -> count (errorstats) */
    size_t errors_overflow;
    long long stat_starttime_ms;
    long long stat_acl_denied[4];  /* auth, cmd, key, channel */
    size_t used_memory_startup;
    /* instantaneous metrics (ops/sec samples) */
    long long inst_samples[3][16];
    int inst_idx[3];
    long long inst_last_time, inst_last_cmds, inst_last_in, inst_last_out;
} server;

server *server_instance(void);
void server_log(server *srv, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void server_log_raw(server *srv, int level, const char *msg);
#define LOG(srv, level, ...) do { if ((level) >= (srv)->verbosity) server_log(srv, level, __VA_ARGS__); } while (0)

int server_init(server *srv);
int server_listen(server *srv);
/* CONFIG SET port/bind: opens the new listeners, then closes the old ones;
 * on failure keeps the old ones and sets *err to Redis's message. */
int server_relisten(server *srv, sds *err);
/* Writes what clients have pending (once per loop iteration, and while a
 * script serves other clients). */
void server_flush_pending_writes(server *srv);
void server_run(server *srv);
/* SHUTDOWN flags */
#define SHUTDOWN_NOFLAGS 0
#define SHUTDOWN_SAVE 1
#define SHUTDOWN_NOSAVE 2
#define SHUTDOWN_NOW 4
#define SHUTDOWN_FORCE 8
/* Stops children, flushes the AOF, saves the final RDB when save points are
 * set (or SAVE), then exits. Returns -1 (and the server goes on) when the
 * save fails without FORCE. */
int server_shutdown(server *srv, int flags);
void server_update_cached_time(server *srv);
unsigned int server_lru_clock(server *srv);
int server_check_protected_mode(server *srv, const char *ip);

/* Before the first command the server counts start-up stats and prints the
 * banner. */
void server_print_banner(server *srv);

#endif
