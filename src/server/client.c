/* client.c: connection lifecycle and I/O.
 *
 * Reading: the read handler appends to querybuf (sized by the parser's hint
 * for big bulks), then client_process_input parses and executes as many
 * complete commands as are buffered (pipelining), stopping early if the
 * client blocks, is postponed by CLIENT PAUSE, or must close. Writing:
 * replies accumulate in the client's replyBuf; the client is put on
 * server->pending_writes and flushed with one writev before the loop
 * sleeps. Only if the socket cannot take everything is a writable handler
 * installed.
 *
 * Freeing: a client is never freed while one of its commands runs; code
 * inside a command uses client_close_async (or client_kill, which picks),
 * honoured in before-sleep. Also here: the CLIENT LIST line, name/attribute
 * validation, the RESET of a connection's state, CLIENT REPLY silencing. */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "net/anet.h"
#include "proto/errors.h"
#include "repl/repl.h"
#include "server/dispatch.h"
#include "server/hooks.h"
#include "server/multi.h"
#include "server/pubsub.h"
#include "server/server.h"

#define IO_BUF_LEN (16 * 1024)
#define MAX_WRITE_PER_EVENT (64 * 1024)
/* Unread replies an unauthenticated client may leave queued beyond the
 * first buffer (Redis's fix for CVE-2025-21605). */
#define UNAUTH_OBUF_LIMIT 1024

static void read_handler(reactor *r, int fd, void *data, int mask);
static void write_handler(reactor *r, int fd, void *data, int mask);

static void count_error(void *owner, const char *err, size_t len) { dispatch_count_error(owner, err, len); }

client *client_create(server *srv, int fd, int flags) {
    client *c = zcalloc(sizeof(*c));
    c->srv = srv;
    c->fd = fd;
    c->id = ++srv->next_client_id;
    c->flags = (uint64_t)flags;
    c->resp = 2;
    c->authenticated = 0;
    c->user = sdsnew("default");
    c->db = &srv->dbs[0];
    c->querybuf = sdsempty();
    resp_parser_init(&c->parser);
    c->parser.max_bulk_len = srv->proto_max_bulk_len;
    reply_init(&c->reply, 2);
    c->reply.on_error = count_error;
    c->reply.owner = c;
    c->ctime = c->last_interaction = srv->mstime ? srv->mstime : mstime();
    snprintf(c->addr, sizeof(c->addr), "?");
    if (fd != -1) {
        char ip[NET_IP_STR_LEN];
        int port;
        anet_nodelay(NULL, fd);
        if (srv->tcpkeepalive) anet_keepalive(NULL, fd, srv->tcpkeepalive);
        if (reactor_add(srv->el, fd, RE_READABLE, read_handler, c) == -1) {
            reply_free(&c->reply);
            sdsfree(c->querybuf);
            sdsfree(c->user);
            resp_parser_free(&c->parser);
            zfree(c);
            return NULL;
        }
        if (flags & CLIENT_UNIX_SOCKET) {
            snprintf(c->addr, sizeof(c->addr), "%s:0", srv->unixsocket ? srv->unixsocket : "");
            snprintf(c->laddr, sizeof(c->laddr), "%s:0", srv->unixsocket ? srv->unixsocket : "");
        } else {
            anet_fd_to_string(fd, ip, sizeof(ip), &port, 0);
            anet_format_addr(c->addr, sizeof(c->addr), ip, port);
            anet_fd_to_string(fd, ip, sizeof(ip), &port, 1);
            anet_format_addr(c->laddr, sizeof(c->laddr), ip, port);
        }
        /* link into the client list */
        c->next = srv->clients;
        if (srv->clients) srv->clients->prev = c;
        srv->clients = c;
        srv->client_count++;
    }
    c->authenticated = !auth_required_for_new_client(srv);
    c->parser.unauthenticated = client_auth_required(c);
    hooks_client_created(c);
    return c;
}

static void unlink_pending(client *c) {
    server *srv = c->srv;
    if (!(c->flags & CLIENT_IN_PENDING_LIST)) return;
    for (client **pp = &srv->pending_writes; *pp; pp = &(*pp)->pending_next) {
        if (*pp == c) {
            *pp = c->pending_next;
            break;
        }
    }
    c->flags &= ~CLIENT_IN_PENDING_LIST;
}

static void unlink_close(client *c) {
    server *srv = c->srv;
    for (client **pp = &srv->to_close; *pp; pp = &(*pp)->close_next) {
        if (*pp == c) {
            *pp = c->close_next;
            break;
        }
    }
}

/* Frees the argument strings, except those lent to the dataset. */
static void free_argv_strings(client *c) {
    for (int i = 0; i < c->argc; i++)
        if (i >= 64 || !(c->argv_lent >> i & 1)) sdsfree(c->argv[i]);
    c->argv_lent = 0;
}

sds client_lend_arg(client *c, int j) {
    if (j >= 64 || (c->flags & (CLIENT_MULTI | CLIENT_FAKE | CLIENT_LUA)) || c->srv->in_exec || c->srv->in_script)
        return NULL;
    c->argv_lent |= 1ULL << j;
    return c->argv[j];
}

void client_reset_command(client *c) {
    free_argv_strings(c);
    zfree(c->argv);
    c->argv = NULL;
    c->argc = 0;
    c->argv_bytes = 0;
    c->cmd = NULL;
}

void client_free(client *c) {
    server *srv = c->srv;
    if (srv->current_client == c) srv->current_client = NULL;
    if (c->flags & CLIENT_PAUSED) dispatch_forget_paused(c);
    hooks_client_freed(c);
    if (c->fd != -1) {
        reactor_del(srv->el, c->fd, RE_READABLE | RE_WRITABLE);
        close(c->fd);
        if (c->prev)
            c->prev->next = c->next;
        else if (srv->clients == c)
            srv->clients = c->next;
        if (c->next) c->next->prev = c->prev;
        srv->client_count--;
    }
    unlink_pending(c);
    if (c->flags & CLIENT_CLOSE_ASAP) unlink_close(c);
    client_reset_command(c);
    resp_parser_free(&c->parser);
    reply_free(&c->reply);
    sdsfree(c->querybuf);
    sdsfree(c->user);
    sdsfree(c->name);
    sdsfree(c->lib_name);
    sdsfree(c->lib_ver);
    zfree(c->peerid_cache);
    zfree(c);
}

void client_close_async(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    if (c->fd == -1) return; /* fake clients are never closed this way */
    c->flags |= CLIENT_CLOSE_ASAP;
    c->close_next = c->srv->to_close;
    c->srv->to_close = c;
}

void client_kill(client *c) {
    server *srv = c->srv;
    if ((c->flags & CLIENT_PROTECTED) || c == srv->current_client || c == srv->executing_client)
        client_close_async(c);
    else
        client_free(c);
}

void client_set_protocol(client *c, int resp) {
    c->resp = resp;
    c->reply.resp = resp;
}

int client_auth_required(client *c) { return !c->authenticated && auth_required_for_new_client(c->srv); }

int client_type(const client *c) {
    if (c->flags & CLIENT_MASTER) return CLIENT_TYPE_MASTER;
    if ((c->flags & CLIENT_SLAVE) && !(c->flags & CLIENT_MONITOR)) return CLIENT_TYPE_SLAVE;
    if (c->flags & CLIENT_PUBSUB) return CLIENT_TYPE_PUBSUB;
    return CLIENT_TYPE_NORMAL;
}

const char *client_type_name(int type) {
    switch (type) {
    case CLIENT_TYPE_NORMAL: return "normal";
    case CLIENT_TYPE_SLAVE: return "slave";
    case CLIENT_TYPE_PUBSUB: return "pubsub";
    case CLIENT_TYPE_MASTER: return "master";
    default: return NULL;
    }
}

int client_type_by_name(const char *name) {
    if (!strcasecmp(name, "normal")) return CLIENT_TYPE_NORMAL;
    if (!strcasecmp(name, "slave") || !strcasecmp(name, "replica")) return CLIENT_TYPE_SLAVE;
    if (!strcasecmp(name, "pubsub")) return CLIENT_TYPE_PUBSUB;
    if (!strcasecmp(name, "master")) return CLIENT_TYPE_MASTER;
    return -1;
}

client *client_lookup_by_id(server *srv, uint64_t id) {
    for (client *c = srv->clients; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

/* As Redis's validateClientAttr: printable ASCII without spaces, read as a
 * C string (a NUL ends the check, as it ends the CLIENT LIST field). */
int client_valid_attr(const char *s) {
    for (; *s; s++)
        if (*s < '!' || *s > '~') return 0;
    return 1;
}

void client_set_name(client *c, const sds name) {
    sdsfree(c->name);
    c->name = (name && sdslen(name)) ? sdsdup(name) : NULL;
}

/* CLIENT REPLY OFF/SKIP: the reply buffer drops what the next command (or
 * every command) writes. Masters and fake clients manage muting themselves. */
static void apply_reply_silence(client *c) {
    if (c->flags & (CLIENT_MASTER | CLIENT_FAKE | CLIENT_CLOSE_ASAP)) return;
    c->reply.muted = (c->flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) != 0;
}

void client_set_reply_mode(client *c, uint64_t set, uint64_t clear) {
    c->flags = (c->flags | set) & ~clear;
    apply_reply_silence(c);
}

/* After each command: a pending CLIENT REPLY SKIP covers the next one. */
static void advance_reply_skip(client *c) {
    c->flags &= ~CLIENT_REPLY_SKIP;
    if (c->flags & CLIENT_REPLY_SKIP_NEXT)
        c->flags = (c->flags | CLIENT_REPLY_SKIP) & ~CLIENT_REPLY_SKIP_NEXT;
    apply_reply_silence(c);
}

void client_reset_connection(client *c) {
    server *srv = c->srv;
    multi_discard(c);
    pubsub_unsubscribe_all(c, 0);
    c->db = &srv->dbs[0];
    client_set_protocol(c, 2);
    sdsfree(c->user);
    c->user = sdsnew("default");
    c->authenticated = !auth_required_for_new_client(srv);
    c->parser.unauthenticated = client_auth_required(c);
    client_set_name(c, NULL);
    /* lib-name and lib-ver describe the library behind the connection: kept. */
    client_set_reply_mode(c, 0,
                          CLIENT_READONLY | CLIENT_PUBSUB | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT |
                              CLIENT_NO_TOUCH | CLIENT_NO_EVICT);
}

int client_has_pending_replies(const client *c) { return reply_pending(&c->reply); }

size_t client_output_memory(const client *c) { return c->reply.list_bytes; }

size_t client_memory_usage(const client *c) {
    return zmalloc_size(c) + sdsAllocSize(c->querybuf) + REPLY_BUF_SIZE + c->reply.list_bytes + c->argv_bytes;
}

void client_install_write(client *c) {
    if ((c->flags & CLIENT_IN_PENDING_LIST) || c->fd == -1) return;
    if (c->flags & CLIENT_CLOSE_ASAP) return;
    c->flags |= CLIENT_IN_PENDING_LIST;
    c->pending_next = c->srv->pending_writes;
    c->srv->pending_writes = c;
}

/* 1 if the soft limit has now been exceeded for longer than allowed. */
static int soft_limit_expired(client *c, const clientBufferLimits *l, size_t used) {
    if (!l->soft_limit_bytes || used < l->soft_limit_bytes) {
        c->obuf_soft_limit_since = 0;
        return 0;
    }
    long long now = c->srv->mstime ? c->srv->mstime : mstime();
    if (c->obuf_soft_limit_since == 0) {
        c->obuf_soft_limit_since = now;
        return 0;
    }
    return (now - c->obuf_soft_limit_since) / 1000 > l->soft_limit_seconds;
}

/* Output buffer limits: the hard limit closes at once; the soft limit closes
 * a client that stays above it for soft_limit_seconds. An unauthenticated
 * client may not leave more than UNAUTH_OBUF_LIMIT unread bytes queued. */
int client_check_output_limits(client *c) {
    int type = client_type(c);
    if (type == CLIENT_TYPE_MASTER || c->fd == -1 || (c->flags & CLIENT_CLOSE_ASAP)) return 0;
    const clientBufferLimits *l = &c->srv->obuf_limits[type];
    size_t used = client_output_memory(c);
    if (used == 0 && type != CLIENT_TYPE_SLAVE) {
        c->obuf_soft_limit_since = 0;
        return 0;
    }
    int over = (used > UNAUTH_OBUF_LIMIT && client_auth_required(c)) ||
               (l->hard_limit_bytes && used >= l->hard_limit_bytes);
    if (soft_limit_expired(c, l, used)) over = 1;
    if (!over) return 0;
    sds info = client_info_string(sdsempty(), c);
    LOG(c->srv, LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
        info);
    sdsfree(info);
    reply_clear(&c->reply);
    c->reply.muted = 1;
    c->srv->stat_client_outbuf_limit_disconnections++;
    client_close_async(c);
    return 1;
}

static void free_now_or_later(client *c) {
    if (c->flags & CLIENT_PROTECTED)
        client_close_async(c);
    else
        client_free(c);
}

int client_write(client *c, int handler_installed) {
    server *srv = c->srv;
    struct iovec iov[16];
    size_t total = 0;
    while (reply_pending(&c->reply)) {
        int n = reply_iov(&c->reply, iov, 16, SIZE_MAX);
        if (n == 0) break; /* only an unresolved deferred length left */
        /* write() is cheaper than writev() in the kernel for one buffer,
         * which is the common case (the reply fits the first buffer). */
        ssize_t w = n == 1 ? write(c->fd, iov[0].iov_base, iov[0].iov_len) : writev(c->fd, iov, n);
        if (w <= 0) {
            if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
            LOG(srv, LL_VERBOSE, "Error writing to client: %s",
                w == 0 ? "connection closed" : strerror(errno));
            free_now_or_later(c);
            return -1;
        }
        reply_consume(&c->reply, (size_t)w);
        total += (size_t)w;
        c->net_output_bytes += w;
        if (total > MAX_WRITE_PER_EVENT && client_type(c) != CLIENT_TYPE_SLAVE &&
            !(srv->maxmemory && zmalloc_used_memory() > srv->maxmemory))
            break;
    }
    srv->stat_net_output_bytes += (long long)total;
    srv->stat_total_writes_processed++;
    if (total && !(c->flags & CLIENT_MASTER)) c->last_interaction = srv->mstime;
    if (!reply_pending(&c->reply)) {
        if (handler_installed) reactor_del(srv->el, c->fd, RE_WRITABLE);
        if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
            free_now_or_later(c);
            return -1;
        }
    } else if (!handler_installed) {
        if (reactor_add(srv->el, c->fd, RE_WRITABLE, write_handler, c) == -1) {
            free_now_or_later(c);
            return -1;
        }
    }
    return 0;
}

static void write_handler(reactor *r, int fd, void *data, int mask) { client_write(data, 1); }

/* The master link applied one command: its exact bytes advance the
 * replication offset and go on to our own replicas. */
static void master_applied(client *c) {
    repl_master_processed(c, c->querybuf + c->repl_cmd_start, c->qb_pos - c->repl_cmd_start);
    c->repl_cmd_start = c->qb_pos;
}

/* Runs the command parsed into c->argv. Returns 0 when the client must stop
 * consuming input for now: postponed by CLIENT PAUSE (argv kept, re-run by
 * client_resume_paused), blocked (argv kept), or closing. */
static int run_parsed_command(client *c) {
    dispatch_command(c);
    if (c->flags & CLIENT_PAUSED) return 0;
    if (c->flags & CLIENT_MASTER) master_applied(c);
    advance_reply_skip(c);
    if (c->flags & CLIENT_BLOCKED) return 0;
    client_reset_command(c);
    return !(c->flags & CLIENT_CLOSE_ASAP);
}

/* A protocol error: reply it, then close once the reply is written. */
static void protocol_error(client *c) {
    reply_error(&c->reply, c->parser.err);
    LOG(c->srv, LL_VERBOSE, "Protocol error (%s) from client: %s", c->parser.err_kind, c->addr);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    resp_parser_reset(&c->parser);
    client_install_write(c);
}

/* Drops the bytes already consumed. The master link keeps a partial or
 * postponed command's bytes so they can be forwarded whole once it runs. */
static void trim_querybuf(client *c) {
    size_t keep_from = c->qb_pos;
    if ((c->flags & CLIENT_MASTER) && (resp_parser_busy(&c->parser) || (c->flags & CLIENT_PAUSED)))
        keep_from = c->repl_cmd_start;
    if (!keep_from) return;
    sdsrange(c->querybuf, (ssize_t)keep_from, -1);
    c->qb_pos -= keep_from;
    c->repl_cmd_start -= keep_from < c->repl_cmd_start ? keep_from : c->repl_cmd_start;
}

/* Parses and runs buffered commands until the buffer is exhausted or the
 * client can't take more right now (blocked, paused, closing). */
void client_process_input(client *c) {
    server *srv = c->srv;
    c->flags |= CLIENT_PROTECTED;
    while (c->qb_pos < sdslen(c->querybuf)) {
        if (c->flags & (CLIENT_BLOCKED | CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP | CLIENT_PAUSED)) break;
        if (!resp_parser_busy(&c->parser)) c->repl_cmd_start = c->qb_pos;
        if (!c->authenticated) c->parser.unauthenticated = client_auth_required(c);
        size_t used = 0;
        int rc = resp_parse(&c->parser, c->querybuf + c->qb_pos, sdslen(c->querybuf) - c->qb_pos, &used);
        c->qb_pos += used;
        if (rc == RESP_ERROR) {
            protocol_error(c);
            break;
        }
        if (rc == RESP_MORE) break;
        c->argv = resp_parser_take(&c->parser, &c->argc);
        c->argv_bytes = 0;
        for (int i = 0; i < c->argc; i++) c->argv_bytes += sdslen(c->argv[i]);
        if (c->argc == 0) {
            client_reset_command(c);
            if (c->flags & CLIENT_MASTER) master_applied(c);
            continue;
        }
        c->last_interaction = srv->mstime;
        if (!run_parsed_command(c)) break;
    }
    trim_querybuf(c);
    c->flags &= ~CLIENT_PROTECTED;
    if (reply_pending(&c->reply)) client_install_write(c);
}

void client_resume_paused(client *c) {
    if (c->flags & CLIENT_CLOSE_ASAP) { /* closing: its command never runs */
        client_reset_command(c);
        return;
    }
    c->flags |= CLIENT_PROTECTED;
    run_parsed_command(c);
    c->flags &= ~CLIENT_PROTECTED;
    /* Also trims the buffer and queues the output. */
    client_process_input(c);
}

/* The query buffer limit: what a client has sent of commands not yet run,
 * including arguments the parser already holds. */
static int querybuf_over_limit(client *c) {
    server *srv = c->srv;
    if (!srv->client_max_querybuf_len || (c->flags & CLIENT_MASTER)) return 0;
    size_t pending =
        sdslen(c->querybuf) + c->parser.argv_bytes + (c->parser.bigarg ? sdslen(c->parser.bigarg) : 0);
    return pending > srv->client_max_querybuf_len;
}

static void read_handler(reactor *r, int fd, void *data, int mask) {
    client *c = data;
    server *srv = c->srv;
    size_t readlen = IO_BUF_LEN;
    size_t want = resp_parser_pending_bulk(&c->parser);
    if (want > readlen) readlen = want; /* a big argument: read it in big pieces */
    if (readlen > 1024 * 1024) readlen = 1024 * 1024;
    size_t qblen = sdslen(c->querybuf);
    c->querybuf = sdsMakeRoomForNonGreedy(c->querybuf, readlen);
    ssize_t n = read(fd, c->querybuf + qblen, readlen);
    if (n == -1) {
        if (errno == EAGAIN || errno == EINTR) return;
        LOG(srv, LL_VERBOSE, "Reading from client: %s", strerror(errno));
        client_free(c);
        return;
    }
    if (n == 0) {
        LOG(srv, LL_VERBOSE, "Client closed connection id=%llu addr=%s", (unsigned long long)c->id, c->addr);
        client_free(c);
        return;
    }
    sdsIncrLen(c->querybuf, n);
    if (sdslen(c->querybuf) > c->querybuf_peak) c->querybuf_peak = sdslen(c->querybuf);
    c->net_input_bytes += n;
    srv->stat_net_input_bytes += n;
    srv->stat_total_reads_processed++;
    if (!(c->flags & CLIENT_MASTER)) c->last_interaction = srv->mstime;
    if (querybuf_over_limit(c)) {
        sds info = client_info_string(sdsempty(), c);
        sds bytes = sdscatrepr(sdsempty(), c->querybuf, sdslen(c->querybuf) < 64 ? sdslen(c->querybuf) : 64);
        LOG(srv, LL_WARNING,
            "Closing client that reached max query buffer length: %s (qbuf initial bytes: %s)", info, bytes);
        sdsfree(info);
        sdsfree(bytes);
        srv->stat_client_qbuf_limit_disconnections++;
        client_free(c);
        return;
    }
    client_process_input(c);
}

void client_rewrite_argv(client *c, int argc, sds *argv) {
    free_argv_strings(c);
    zfree(c->argv);
    c->argv = argv;
    c->argc = argc;
    c->argv_bytes = 0;
    for (int i = 0; i < argc; i++) c->argv_bytes += sdslen(argv[i]);
}

const char *client_peer_id(client *c) { return c->addr; }

/* The flags field of CLIENT LIST, letters in Redis's order. */
static sds flags_string(sds s, client *c) {
    static const struct {
        uint64_t flag;
        char letter;
    } letters[] = {{CLIENT_MASTER, 'M'},     {CLIENT_PUBSUB, 'P'},      {CLIENT_MULTI, 'x'},
                   {CLIENT_BLOCKED, 'b'},    {CLIENT_DIRTY_CAS, 'd'},   {CLIENT_CLOSE_AFTER_REPLY, 'c'},
                   {CLIENT_CLOSE_ASAP, 'A'}, {CLIENT_UNIX_SOCKET, 'U'}, {CLIENT_READONLY, 'r'},
                   {CLIENT_NO_EVICT, 'e'},   {CLIENT_NO_TOUCH, 'T'}};
    char f[24], *p = f;
    if (c->flags & CLIENT_SLAVE) *p++ = (c->flags & CLIENT_MONITOR) ? 'O' : 'S';
    for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
        if (c->flags & letters[i].flag) *p++ = letters[i].letter;
    if (p == f) *p++ = 'N';
    return sdscatlen(s, f, (size_t)(p - f));
}

/* One CLIENT LIST line, fields in Redis 7.2's order. Names and library
 * attributes print as C strings, as Redis prints them. */
sds client_info_string(sds s, client *c) {
    long long now = c->srv->mstime ? c->srv->mstime : mstime();
    char events[3], *ev = events;
    int mask = c->fd != -1 ? reactor_mask(c->srv->el, c->fd) : 0;
    if (mask & RE_READABLE) *ev++ = 'r';
    if (mask & RE_WRITABLE) *ev++ = 'w';
    *ev = '\0';
    s = sdscatprintf(s, "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=",
                     (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
                     (now - c->ctime) / 1000, (now - c->last_interaction) / 1000);
    s = flags_string(s, c);
    size_t oll = 0;
    for (replyBlock *b = c->reply.head; b; b = b->next) oll++;
    s = sdscatprintf(s,
                     " db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=0 "
                     "rbs=%d rbp=%d obl=%zu oll=%zu omem=%zu tot-mem=%zu events=%s cmd=%s user=%s redir=-1 "
                     "resp=%d lib-name=%s lib-ver=%s",
                     c->db ? c->db->id : 0, hooks_client_subscriptions(c, 0),
                     hooks_client_subscriptions(c, 1), hooks_client_subscriptions(c, 2),
                     hooks_client_multi_count(c), sdslen(c->querybuf), sdsavail(c->querybuf), c->argv_bytes,
                     REPLY_BUF_SIZE, REPLY_BUF_SIZE, c->reply.bufpos, oll, client_output_memory(c),
                     client_memory_usage(c), events, c->lastcmd ? c->lastcmd->fullname : "NULL", c->user,
                     c->resp, c->lib_name ? c->lib_name : "", c->lib_ver ? c->lib_ver : "");
    return s;
}

sds client_list_string(server *srv, int type) {
    sds s = sdsempty();
    client *oldest = srv->clients;
    while (oldest && oldest->next) oldest = oldest->next;
    for (client *c = oldest; c; c = c->prev) { /* the list is newest first */
        if (type != -1 && client_type(c) != type) continue;
        s = client_info_string(s, c);
        s = sdscatlen(s, "\n", 1);
    }
    return s;
}
