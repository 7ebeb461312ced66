/* repl.h: replication state shared by the master side (master.c: backlog,
 * PSYNC, feeding replicas), the replica side (replica.c: handshake,
 * loading, applying the stream, ACKs) and FAILOVER (failover.c). Offsets
 * count bytes of the replication stream; replid/replid2 implement PSYNC2
 * so a promoted replica can continue partial resyncs of its former
 * siblings. */
#ifndef STASH_REPL_H
#define STASH_REPL_H

#include "core/sds.h"

struct server;
struct client;

#define REPL_ID_LEN 40

/* FAILOVER states (INFO master_failover_state) */
#define FAILOVER_NONE 0
#define FAILOVER_WAIT_FOR_SYNC 1
#define FAILOVER_IN_PROGRESS 2

/* Replica states as seen by the master. */
#define SLAVE_WAIT_BGSAVE_START 6
#define SLAVE_WAIT_BGSAVE_END 7
#define SLAVE_SEND_BULK 8
#define SLAVE_ONLINE 9

/* Replica-side link states. */
#define LINK_NONE 0
#define LINK_CONNECT 1
#define LINK_CONNECTING 2
#define LINK_HANDSHAKE 3
#define LINK_TRANSFER 4
#define LINK_CONNECTED 5

typedef struct replicaInfo {
    int state;
    int listening_port;
    int capa_eof, capa_psync2;
    int rdb_only;  /* REPLCONF rdb-only 1: closed after the RDB */
    int pre_psync; /* attached with SYNC: no +FULLRESYNC line */
    long long ack_offset, ack_time_ms;
    long long psync_initial_offset; /* stream position the RDB covers */
    int bulk_fd;
    long long bulk_off, bulk_size;
    sds bulk_preamble;
    sds pending;                  /* stream produced while the RDB is on its way */
    long long pending_soft_since; /* ms pending passed the soft output limit, 0 = not */
    char ip[64];
} replicaInfo;

typedef struct replState {
    char replid[REPL_ID_LEN + 1], replid2[REPL_ID_LEN + 1];
    long long master_repl_offset, second_replid_offset;
    /* circular backlog */
    char *backlog;
    long long backlog_size, backlog_histlen, backlog_idx, backlog_off;
    long long backlog_no_replicas_since; /* for repl-backlog-ttl */
    int slaveseldb;
    struct client **replicas;
    int nreplicas, cap_replicas;
    int rdb_for_replication; /* the running BGSAVE serves replicas */
    long long rdb_offset;    /* master_repl_offset when it started */
    /* replica side */
    sds masterhost;
    int masterport;
    int link_state;
    int link_fd;
    struct client *master; /* the link once connected */
    long long link_down_since, last_io_ms;
    int handshake_step;
    sds handshake_buf;
    sds transfer_file;
    int transfer_fd;
    long long transfer_size, transfer_read;
    char eofmark[REPL_ID_LEN];
    int transfer_eof_mode;
    long long connect_next_try_ms;
    long long master_initial_offset;
    char master_replid[REPL_ID_LEN + 1];
    long long sync_start_ms;
    long long stat_net_repl_input_bytes, stat_net_repl_output_bytes;
    void *waiters; /* WAIT clients */
    int nwaiters;
    int get_ack_pending;
    int cached_master; /* replid/offset can be continued (PSYNC) */
    int master_db;     /* db the master's stream is in when it resumes */
    /* FAILOVER (master.c) */
    int failover_state;        /* FAILOVER_* */
    long long failover_end_ms; /* 0: no timeout */
    int failover_force;
    sds failover_host; /* target, NULL: the first caught-up replica */
    int failover_port;
    long long diskless_start_at;
    void *diskless_shared;               /* page shared with the diskless transfer child */
    unsigned long long diskless_ids[64]; /* client id of each of its sockets */
    int diskless_n;                      /* ms; 0 when no diskless sync is pending */
} replState;

void repl_init(struct server *srv);
void repl_cron(struct server *srv);
/* Master side */
void repl_feed(struct server *srv, int dbid, sds *argv, int argc);
void repl_feed_raw(struct server *srv, const char *buf, size_t len); /* chained: proxy the master's bytes */
void repl_sync_command(struct client *c);                            /* SYNC/PSYNC */
void repl_replconf_command(struct client *c);
void repl_bgsave_done(struct server *srv, int ok);
void repl_replica_freed(struct client *c);
void repl_change_id(struct server *srv);
/* Replica side: a backlog exists from the first sync on, so our own
 * replicas (and siblings after a promotion) can continue from us. */
void repl_ensure_backlog(struct server *srv);
void repl_reset_backlog(struct server *srv); /* empty, starting at our offset */
void repl_shift_ids(struct server *srv);     /* promotion: replid -> replid2 */
int repl_count_good_replicas(struct server *srv);
/* 0 when min-replicas-to-write is set and too few replicas are in sync:
 * the dispatcher refuses writes with -NOREPLICAS. */
int repl_writes_allowed(struct server *srv);
/* A replica cut off from its master with replica-serve-stale-data no:
 * commands not flagged `stale` get -MASTERDOWN. */
int repl_stale_refused(struct server *srv);
sds repl_info(struct server *srv, sds s);
long long repl_backlog_memory(struct server *srv);
void repl_net_bytes(struct server *srv, long long *in, long long *out); /* INFO replication, all fields */
sds repl_info_replicas(struct server *srv, sds s);
sds repl_info_backlog(struct server *srv, sds s);
sds repl_info_replica(struct server *srv, sds s);
void repl_master_cron(struct server *srv);
void repl_replica_cron(struct server *srv);
void repl_send_ack(struct server *srv);
/* The master link client went away (freed by the client layer). */
void repl_master_freed(struct client *c);
void repl_role_reply(struct client *c);
void repl_wait_command(struct client *c);
void repl_process_waiters(struct server *srv);
void repl_before_sleep(struct server *srv);
void repl_waiter_freed(struct client *c);
void repl_unblock_waiters(struct server *srv); /* becoming a replica */
long long repl_offset(struct server *srv);
/* RDB aux fields "repl-stream-db", "repl-id" and "repl-offset", as Redis
 * writes them: returns 1 and fills the values when this RDB should carry
 * them (a master with a backlog, or a replica that knows its master's
 * stream), else 0. The db is where the stream resumes without a SELECT. */
int repl_rdb_info(struct server *srv, int *stream_db, char *replid, long long *offset);
/* Start-up: an RDB carried those fields; a replica then keeps them as its
 * cached master, to continue with PSYNC instead of a full sync. */
void repl_rdb_loaded(struct server *srv, int stream_db, const char *replid, long long offset);
/* FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (failover.c) */
void repl_failover_command(struct client *c);
int repl_failover_state(struct server *srv);
const char *repl_failover_state_name(int state); /* INFO master_failover_state */
void repl_failover_cron(struct server *srv);
void repl_failover_done(struct server *srv); /* the target answered PSYNC */
void repl_failover_abort(struct server *srv, const char *why);
/* Replica side */
void repl_set_master(struct server *srv, const char *host, int port);
void repl_unset_master(struct server *srv);
/* The same, for a PSYNC FAILOVER from our master (logged as such). */
void repl_unset_master_for_failover(struct server *srv, struct client *requester);
/* A command from the master link was applied: forward its raw bytes. */
void repl_master_processed(struct client *c, const char *raw, size_t len);
int repl_is_replica(struct server *srv);
/* The master we replicate from (NULL when we are a master). */
const char *repl_master_host(struct server *srv, int *port);

#endif
