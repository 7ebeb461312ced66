/* client.h: one connection's state. A client owns its input buffer and
 * parser, the command being executed (argc/argv/cmd), its output buffer
 * (replyBuf), and its place in the server's lists. Clients are created by
 * the listener (client.c), destroyed only through client_free or, from
 * inside a command, client_close_async (freed at the next before-sleep). */
#ifndef STASH_CLIENT_H
#define STASH_CLIENT_H

#include <stdint.h>

#include "core/sds.h"
#include "proto/reply.h"
#include "proto/resp_parser.h"

struct server;
struct db;
struct commandDef;

#define CLIENT_CLOSE_AFTER_REPLY (1ULL << 0)
#define CLIENT_CLOSE_ASAP (1ULL << 1)
#define CLIENT_PENDING_WRITE (1ULL << 2)
#define CLIENT_MONITOR (1ULL << 3)
#define CLIENT_MULTI (1ULL << 4)
#define CLIENT_BLOCKED (1ULL << 5)
#define CLIENT_UNIX_SOCKET (1ULL << 6)
#define CLIENT_REPLY_OFF (1ULL << 7)
#define CLIENT_REPLY_SKIP_NEXT (1ULL << 8)
#define CLIENT_REPLY_SKIP (1ULL << 9)
#define CLIENT_NO_EVICT (1ULL << 10)
#define CLIENT_PUBSUB (1ULL << 11)
#define CLIENT_MASTER (1ULL << 12)
#define CLIENT_SLAVE (1ULL << 13)
#define CLIENT_FAKE (1ULL << 14) /* no socket: AOF loading, scripts */
#define CLIENT_DIRTY_EXEC (1ULL << 15)
#define CLIENT_DIRTY_CAS (1ULL << 16)
#define CLIENT_PROTECTED (1ULL << 17) /* must not be freed right now */
#define CLIENT_EXECUTING (1ULL << 18)
#define CLIENT_NO_TOUCH (1ULL << 19)
#define CLIENT_READONLY (1ULL << 20)
#define CLIENT_IN_PENDING_LIST (1ULL << 21)
#define CLIENT_LUA (1ULL << 22)
#define CLIENT_PAUSED (1ULL << 23) /* waiting on CLIENT PAUSE */

/* Output buffer limit classes. */
#define CLIENT_TYPE_NORMAL 0
#define CLIENT_TYPE_SLAVE 1
#define CLIENT_TYPE_PUBSUB 2
#define CLIENT_TYPE_MASTER 3
#define CLIENT_TYPE_COUNT 3

typedef struct client {
    uint64_t id;
    int fd;
    struct server *srv;
    uint64_t flags;
    int resp;
    int authenticated;
    sds user; /* ACL user name ("default") */
    struct db *db;
    sds querybuf;
    size_t qb_pos;         /* bytes of querybuf already parsed */
    size_t repl_cmd_start; /* master link: where the current command began */
    size_t querybuf_peak;
    respParser parser;
    int argc;
    sds *argv;
    size_t argv_bytes;
    struct commandDef *cmd, *lastcmd, *realcmd;
    replyBuf reply;
    sds name, lib_name, lib_ver;
    char addr[64], laddr[64];
    long long ctime;                 /* creation, ms */
    long long last_interaction;      /* ms, for timeout and idle */
    long long obuf_soft_limit_since; /* ms when the soft limit was first passed, 0 = not */
    long long duration_us;           /* of the current command */
    long long net_input_bytes, net_output_bytes, commands_processed;
    int slave_listening_port;
    /* intrusive list links */
    struct client *prev, *next;  /* server->clients */
    struct client *pending_next; /* server->pending_writes */
    struct client *close_next;   /* server->to_close */
    /* subsystems attach their per-client state here */
    void *multi_state;
    void *blocking_state;
    void *pubsub_state;
    void *watch_state;
    void *repl_state;
    long long woff; /* replication offset after last write */
    char *peerid_cache;
    struct client *pause_next; /* server->paused_head queue (CLIENT PAUSE) */
    uint64_t multi_cmd_flags;  /* flags of the commands queued by MULTI */
    uint64_t argv_lent;        /* argv[i] now owned by the dataset (bit i): not freed with argv */
} client;

client *client_create(struct server *srv, int fd, int flags);
void client_free(client *c);
void client_close_async(client *c);
/* Closes c now, or at the next before-sleep if it is running a command. */
void client_kill(client *c);
void client_set_protocol(client *c, int resp);
/* 1 while the connection must authenticate before running commands (the
 * default user has a password or is disabled, and c has not logged in). */
int client_auth_required(client *c);
/* CLIENT SETNAME / SETINFO values: printable ASCII, no spaces (read up to a
 * NUL as Redis does). */
int client_valid_attr(const char *s);
/* NULL or "" removes the name. */
void client_set_name(client *c, const sds name);
/* Sets and clears flags among CLIENT_REPLY_OFF/SKIP/SKIP_NEXT (and any
 * other), then mutes or unmutes the reply buffer to match. */
void client_set_reply_mode(client *c, uint64_t set, uint64_t clear);
/* RESET: back to a fresh connection's state (db 0, RESP2, no name, no
 * transaction or subscriptions, default user, unauthenticated if needed). */
void client_reset_connection(client *c);
/* Runs the command c was postponed with by CLIENT PAUSE, then whatever
 * else it has buffered (called by the dispatcher when the pause ends). */
void client_resume_paused(client *c);
client *client_lookup_by_id(struct server *srv, uint64_t id);
/* "normal", "slave"/"replica", "pubsub", "master" -> CLIENT_TYPE_*, or -1. */
int client_type_by_name(const char *name);
/* CLIENT LIST: one line per client (oldest first), type -1 for all. */
sds client_list_string(struct server *srv, int type);
/* Queues the client so its output is flushed before the next sleep. */
void client_install_write(client *c);
/* Flushes as much output as the socket takes; returns -1 if the client was
 * freed because of an error. */
int client_write(client *c, int handler_installed);
/* Called when data arrives (also used by tests on fake clients). */
void client_process_input(client *c);
void client_reset_command(client *c);
int client_type(const client *c);
const char *client_type_name(int type);
/* "id=3 addr=... " line for CLIENT LIST / CLIENT INFO. */
sds client_info_string(sds s, client *c);
/* Output buffer accounting and limits; 1 if the client was scheduled to close. */
int client_check_output_limits(client *c);
size_t client_output_memory(const client *c);
size_t client_memory_usage(const client *c);
int client_has_pending_replies(const client *c);
/* Replaces argv (commands that rewrite themselves for propagation). */
void client_rewrite_argv(client *c, int argc, sds *argv);
/* Hands argument j over to the caller (who stores it in the dataset)
 * without a copy: it stays readable in argv until the command is done
 * (propagation, MONITOR, SLOWLOG), then is not freed with argv. NULL when
 * the argv's lifetime is not the client's (MULTI, scripts, AOF loading):
 * copy then. */
sds client_lend_arg(client *c, int j);
/* The connection's peer "ip:port" (cached). */
const char *client_peer_id(client *c);

#endif
