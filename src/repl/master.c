/* master.c: the master side of replication.
 *
 * Every write the server executes is encoded as RESP (with a SELECT when
 * the db changes) and appended to a circular backlog; online replicas get
 * the same bytes in their output buffers. A replica asking PSYNC with a
 * known replication id (or the previous one, replid2, up to where it was
 * valid: PSYNC2) and an offset still inside the backlog continues from
 * there (+CONTINUE <replid>); otherwise it gets +FULLRESYNC <replid>
 * <offset> and an RDB snapshot (plain SYNC: the RDB alone). The snapshot
 * goes to disk (BGSAVE, then streamed from the file; a replica arriving
 * meanwhile shares it) or, diskless, straight from a child to the sockets.
 * What is written while a replica's RDB is made and sent waits in its own
 * buffer (bounded by the replica output-buffer limits) and follows the RDB,
 * so a full sync never depends on the backlog's size. Also here: REPLCONF,
 * WAIT, ROLE and INFO replication. FAILOVER lives in failover.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "persist/rdb.h"
#include "persist/rio.h"
#include "persist/snapshot.h"
#include "repl/repl.h"
#include "proto/resp_parser.h"
#include "server/client.h"
#include "server/propagate.h"
#include "server/server.h"

static replState *rstate(server *srv) { return srv->repl; }
static replicaInfo *rinfo(client *c) { return c->repl_state; }

/* The page a diskless transfer child shares with the parent (see below). */
#define DISKLESS_MAX 64
typedef struct disklessShared {
    volatile int repl_timeout;           /* parent -> child, seconds */
    volatile char dropped[DISKLESS_MAX]; /* child -> parent, per socket */
} disklessShared;

void repl_change_id(server *srv) {
    random_hex(rstate(srv)->replid, REPL_ID_LEN);
    rstate(srv)->replid[REPL_ID_LEN] = '\0';
}

static void clear_id2(replState *rs) {
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->replid2[REPL_ID_LEN] = '\0';
    rs->second_replid_offset = -1;
}

void repl_shift_ids(server *srv) {
    replState *rs = rstate(srv);
    memcpy(rs->replid2, rs->replid, sizeof(rs->replid));
    rs->second_replid_offset = rs->master_repl_offset + 1;
    repl_change_id(srv);
    LOG(srv, LL_NOTICE,
        "Setting secondary replication ID to %s, valid up to offset: %lld. New replication ID is %s",
        rs->replid2, rs->second_replid_offset, rs->replid);
}

static void sink(server *srv, int dbid, sds *argv, int argc) { repl_feed(srv, dbid, argv, argc); }

void repl_init(server *srv) {
    replState *rs = zcalloc(sizeof(*rs));
    srv->repl = rs;
    repl_change_id(srv);
    clear_id2(rs);
    rs->slaveseldb = -1;
    rs->link_fd = -1;
    rs->transfer_fd = -1;
    void *page =
        mmap(NULL, sizeof(disklessShared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    rs->diskless_shared =
        page == MAP_FAILED ? zcalloc(sizeof(disklessShared)) : page; /* no mmap: no live updates */
    propagate_add_sink(srv, sink);
}

int repl_is_replica(server *srv) { return rstate(srv) && rstate(srv)->masterhost != NULL; }

/* ---- backlog */
static void create_backlog(server *srv) {
    replState *rs = rstate(srv);
    rs->backlog_size = srv->repl_backlog_size > 0 ? srv->repl_backlog_size : 1024 * 1024;
    rs->backlog = zmalloc((size_t)rs->backlog_size);
    rs->backlog_histlen = 0;
    rs->backlog_idx = 0;
    rs->backlog_off = rs->master_repl_offset + 1;
}

void repl_ensure_backlog(server *srv) {
    if (!rstate(srv)->backlog) create_backlog(srv);
}

void repl_reset_backlog(server *srv) {
    replState *rs = rstate(srv);
    if (!rs->backlog) {
        create_backlog(srv);
        return;
    }
    rs->backlog_histlen = 0;
    rs->backlog_idx = 0;
    rs->backlog_off = rs->master_repl_offset + 1;
}

static void backlog_append(replState *rs, const char *p, size_t len) {
    rs->master_repl_offset += (long long)len;
    if (!rs->backlog) return;
    while (len) {
        size_t room = (size_t)(rs->backlog_size - rs->backlog_idx);
        size_t n = len < room ? len : room;
        memcpy(rs->backlog + rs->backlog_idx, p, n);
        rs->backlog_idx += (long long)n;
        if (rs->backlog_idx == rs->backlog_size) rs->backlog_idx = 0;
        rs->backlog_histlen += (long long)n;
        p += n;
        len -= n;
    }
    if (rs->backlog_histlen > rs->backlog_size) rs->backlog_histlen = rs->backlog_size;
    rs->backlog_off = rs->master_repl_offset - rs->backlog_histlen + 1;
}

/* The backlog from `offset` (inclusive) to its end, appended to *out;
 * -1 (nothing appended) when the backlog no longer holds that offset. */
static int backlog_since(replState *rs, long long offset, sds *out) {
    if (!rs->backlog || offset < rs->backlog_off || offset > rs->master_repl_offset + 1) return -1;
    long long skip = offset - rs->backlog_off;
    long long len = rs->backlog_histlen - skip;
    long long j = (rs->backlog_idx + (rs->backlog_size - rs->backlog_histlen) + skip) % rs->backlog_size;
    while (len > 0) {
        long long n = rs->backlog_size - j < len ? rs->backlog_size - j : len;
        *out = sdscatlen(*out, rs->backlog + j, (size_t)n);
        len -= n;
        j = 0;
    }
    return 0;
}

static int hold_for_sync(client *c, const char *p, size_t len);

/* CONFIG SET repl-backlog-size: the backlog takes the new size, keeping
 * as much of the latest history as fits (as Redis 7 does). */
static void backlog_fit(server *srv) {
    replState *rs = rstate(srv);
    long long want = srv->repl_backlog_size > 0 ? srv->repl_backlog_size : 1024 * 1024;
    if (!rs->backlog || want == rs->backlog_size) return;
    long long keep = rs->backlog_histlen < want ? rs->backlog_histlen : want;
    sds tail = sdsempty();
    backlog_since(rs, rs->master_repl_offset + 1 - keep, &tail);
    zfree(rs->backlog);
    rs->backlog = zmalloc((size_t)want);
    rs->backlog_size = want;
    memcpy(rs->backlog, tail, (size_t)keep);
    rs->backlog_histlen = keep;
    rs->backlog_idx = keep % want;
    rs->backlog_off = rs->master_repl_offset - keep + 1;
    sdsfree(tail);
}

/* ---- feeding */
static void feed_bytes(server *srv, const char *p, size_t len) {
    replState *rs = rstate(srv);
    backlog_fit(srv);
    backlog_append(rs, p, len);
    for (int i = rs->nreplicas - 1; i >= 0; i--) {
        client *r = rs->replicas[i];
        int st = rinfo(r)->state;
        if (st == SLAVE_WAIT_BGSAVE_END || st == SLAVE_SEND_BULK) {
            hold_for_sync(r, p, len);
        } else if (st == SLAVE_ONLINE) {
            reply_raw(&r->reply, p, len);
            client_install_write(r);
        }
    }
}

void repl_feed(server *srv, int dbid, sds *argv, int argc) {
    replState *rs = rstate(srv);
    if (!rs || (!rs->backlog && rs->nreplicas == 0)) return;
    /* A replica forwards its master's stream verbatim (repl_feed_raw); its
     * own writes (a writable replica) stay local, as in Redis. */
    if (repl_is_replica(srv)) return;
    if (srv->executing_client && (srv->executing_client->flags & CLIENT_MASTER)) return;
    sds buf = sdsempty();
    if (dbid >= 0 && dbid != rs->slaveseldb) {
        char id[16];
        snprintf(id, sizeof(id), "%d", dbid);
        sds sel[2] = {sdsnew("SELECT"), sdsnew(id)};
        buf = resp_append_command(buf, sel, 2);
        sdsfree(sel[0]);
        sdsfree(sel[1]);
        rs->slaveseldb = dbid;
    }
    buf = resp_append_command(buf, argv, argc);
    feed_bytes(srv, buf, sdslen(buf));
    sdsfree(buf);
}

void repl_feed_raw(server *srv, const char *p, size_t len) {
    replState *rs = rstate(srv);
    if (!rs) return;
    feed_bytes(srv, p, len);
}

/* ---- what RDB files record about replication */
int repl_rdb_info(server *srv, int *stream_db, char *replid, long long *offset) {
    replState *rs = rstate(srv);
    if (!rs) return 0;
    if (!repl_is_replica(srv)) {
        if (!rs->backlog) return 0;
        *stream_db = rs->slaveseldb == -1 ? 0 : rs->slaveseldb;
    } else if (rs->master) {
        *stream_db = rs->master->db ? rs->master->db->id : 0;
    } else if (rs->cached_master) {
        *stream_db = rs->master_db;
    } else {
        return 0;
    }
    memcpy(replid, rs->replid, REPL_ID_LEN + 1);
    *offset = rs->master_repl_offset;
    return 1;
}

void repl_rdb_loaded(server *srv, int stream_db, const char *replid, long long offset) {
    replState *rs = rstate(srv);
    if (!rs || strlen(replid) != REPL_ID_LEN) return;
    memcpy(rs->replid, replid, REPL_ID_LEN + 1);
    rs->master_repl_offset = offset;
    if (!repl_is_replica(srv)) {
        repl_reset_backlog(srv); /* replicas may continue after our restart */
        return;
    }
    rs->cached_master = 1;
    rs->master_db = stream_db;
}

/* ---- replicas */

/* The per-replica state, created by the first REPLCONF or PSYNC. */
static replicaInfo *rinfo_get(client *c) {
    if (!c->repl_state) {
        replicaInfo *ri = zcalloc(sizeof(*ri));
        ri->bulk_fd = -1;
        c->repl_state = ri;
    }
    return c->repl_state;
}

/* "ip:listening-port" as Redis names a replica in its log lines (the
 * port it announced, not the ephemeral one it connects from). */
static const char *replica_name(client *c) {
    static char buf[128];
    replicaInfo *ri = rinfo(c);
    char ip[64];
    if (ri && ri->ip[0]) {
        snprintf(ip, sizeof(ip), "%s", ri->ip);
    } else {
        const char *colon = strrchr(c->addr, ':');
        int iplen = colon ? (int)(colon - c->addr) : (int)strlen(c->addr);
        snprintf(ip, sizeof(ip), "%.*s", iplen, c->addr);
    }
    if (c->slave_listening_port)
        snprintf(buf, sizeof(buf), "%s:%d", ip, c->slave_listening_port);
    else
        snprintf(buf, sizeof(buf), "%s:<unknown-replica-port>", ip);
    return buf;
}

/* ---- replicas receiving their RDB
 * From the moment its snapshot is taken until the RDB is delivered, a
 * replica's share of the stream waits in ri->pending (Redis keeps it in
 * the replica's output buffer), bounded by the replica class of
 * client-output-buffer-limit; then it follows the RDB on the socket. So
 * a full sync never depends on the backlog being large enough. */
static int hold_for_sync(client *c, const char *p, size_t len) {
    replicaInfo *ri = rinfo(c);
    ri->pending = sdscatlen(ri->pending ? ri->pending : sdsempty(), p, len);
    const clientBufferLimits *l = &c->srv->obuf_limits[CLIENT_TYPE_SLAVE];
    size_t used = sdslen(ri->pending);
    int over = l->hard_limit_bytes && used >= l->hard_limit_bytes;
    if (l->soft_limit_bytes && used >= l->soft_limit_bytes) {
        if (!ri->pending_soft_since)
            ri->pending_soft_since = mstime();
        else if ((mstime() - ri->pending_soft_since) / 1000 > l->soft_limit_seconds)
            over = 1;
    }
    if (!over) return 0;
    sds info = client_info_string(sdsempty(), c);
    LOG(c->srv, LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
        info);
    sdsfree(info);
    c->srv->stat_client_outbuf_limit_disconnections++;
    client_close_async(c);
    return -1;
}

/* The snapshot c will receive covers the stream up to `offset`. */
static void wait_bgsave_end(client *c, long long offset) {
    replicaInfo *ri = rinfo(c);
    ri->state = SLAVE_WAIT_BGSAVE_END;
    ri->psync_initial_offset = offset;
    sdsfree(ri->pending);
    ri->pending = sdsempty();
    ri->pending_soft_since = 0;
}

/* The RDB is delivered: the stream that waited follows, and from now on
 * the replica gets the stream as it is produced. */
static void put_online(client *c) {
    replicaInfo *ri = rinfo(c);
    ri->state = SLAVE_ONLINE;
    ri->ack_time_ms = mstime();
    LOG(c->srv, LL_NOTICE, "Synchronization with replica %s succeeded", replica_name(c));
    if (ri->pending && sdslen(ri->pending)) reply_raw(&c->reply, ri->pending, sdslen(ri->pending));
    sdsfree(ri->pending);
    ri->pending = NULL;
    client_install_write(c);
}

static void add_replica(server *srv, client *c) {
    replState *rs = rstate(srv);
    if (rs->nreplicas == rs->cap_replicas) {
        rs->cap_replicas = rs->cap_replicas ? rs->cap_replicas * 2 : 4;
        rs->replicas = zrealloc(rs->replicas, sizeof(client *) * (size_t)rs->cap_replicas);
    }
    rs->replicas[rs->nreplicas++] = c;
    c->flags |= CLIENT_SLAVE;
    rinfo_get(c)->ack_time_ms = mstime();
    rinfo(c)->listening_port = c->slave_listening_port;
    if (rinfo(c)->ip[0]) return; /* REPLCONF ip-address */
    const char *colon = strrchr(c->addr, ':');
    size_t iplen = colon ? (size_t)(colon - c->addr) : strlen(c->addr);
    if (iplen >= sizeof(rinfo(c)->ip)) iplen = sizeof(rinfo(c)->ip) - 1;
    memcpy(rinfo(c)->ip, c->addr, iplen);
    rinfo(c)->ip[iplen] = '\0';
}

void repl_replica_freed(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    replicaInfo *ri = rinfo(c);
    if (!rs || !ri) return;
    for (int i = 0; i < rs->nreplicas; i++) {
        if (rs->replicas[i] == c) {
            memmove(rs->replicas + i, rs->replicas + i + 1,
                    sizeof(client *) * (size_t)(rs->nreplicas - i - 1));
            rs->nreplicas--;
            LOG(srv, LL_NOTICE, "Connection with replica %s lost.", replica_name(c));
            break;
        }
    }
    if (ri->bulk_fd != -1) close(ri->bulk_fd);
    sdsfree(ri->bulk_preamble);
    sdsfree(ri->pending);
    int was_receiving = ri->state == SLAVE_WAIT_BGSAVE_END;
    zfree(ri);
    c->repl_state = NULL;
    if (rs->nreplicas == 0) rs->backlog_no_replicas_since = mstime();
    /* A diskless transfer nobody receives any more is stopped; replicas
     * that wait for one get a new one from the cron. */
    if (was_receiving && rs->rdb_for_replication == 2 && snapshot_in_progress(srv)) {
        for (int i = 0; i < rs->nreplicas; i++)
            if (rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_END) return;
        LOG(srv, LL_WARNING, "Diskless rdb transfer, last replica dropped, killing fork child.");
        snapshot_kill_child(srv);
        rs->rdb_for_replication = 0;
    }
}

/* PSYNC replicas learn the replication id and offset the RDB covers; a
 * plain SYNC replica gets the RDB payload with nothing before it. */
static void send_fullresync(client *c, long long offset) {
    replState *rs = rstate(c->srv);
    if (rinfo(c)->pre_psync) return;
    char buf[128];
    int n = snprintf(buf, sizeof(buf), "+FULLRESYNC %s %lld\r\n", rs->replid, offset);
    reply_raw(&c->reply, buf, (size_t)n);
    client_install_write(c);
}

/* ---- diskless transfer
 * A child writes "$EOF:<mark>\r\n", the RDB and the mark straight to the
 * sockets of every replica waiting to start. A replica whose socket fails,
 * or that accepts nothing for repl-timeout seconds, is dropped: the child
 * shuts its socket down and notes it in a page shared with the parent,
 * which owns the clients; the others go on. The same page carries the
 * current repl-timeout to the child (CONFIG SET after the fork counts). */

typedef struct fanout {
    rio r; /* first: the RDB encoder writes through it */
    server *srv;
    disklessShared *shared;
    int fds[DISKLESS_MAX];
    char names[DISKLESS_MAX][80];
    int n, alive;
    sds buf;
} fanout;

static void fanout_drop(fanout *f, int i, int timed_out) {
    if (timed_out) LOG(f->srv, LL_WARNING, "Disconnecting timedout replica (full sync): %s", f->names[i]);
    shutdown(f->fds[i], SHUT_RDWR);
    f->fds[i] = -1;
    f->shared->dropped[i] = 1;
    f->alive--;
}

/* Writes p to every live socket; waits for room at most repl-timeout
 * seconds without progress per socket. -1 when no replica is left. */
static int fanout_send(fanout *f, const char *p, size_t len) {
    for (int i = 0; i < f->n; i++) {
        size_t off = 0;
        long long last_progress = mstime();
        while (f->fds[i] != -1 && off < len) {
            ssize_t w = write(f->fds[i], p + off, len - off);
            if (w > 0) {
                off += (size_t)w;
                last_progress = mstime();
            } else if (w < 0 && errno == EAGAIN) {
                struct pollfd pfd = {.fd = f->fds[i], .events = POLLOUT};
                if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
                    fanout_drop(f, i, 0);
                else if (mstime() - last_progress > f->shared->repl_timeout * 1000LL)
                    fanout_drop(f, i, 1);
            } else if (!(w < 0 && errno == EINTR)) {
                fanout_drop(f, i, 0);
            }
        }
    }
    return f->alive ? 0 : -1;
}

static size_t fanout_write(rio *r, const void *buf, size_t len) {
    fanout *f = (fanout *)r;
    f->buf = sdscatlen(f->buf, buf, len);
    if (sdslen(f->buf) < 64 * 1024) return len;
    int rc = fanout_send(f, f->buf, sdslen(f->buf));
    sdsclear(f->buf);
    return rc == 0 ? len : 0;
}

static int fanout_flush(rio *r) {
    fanout *f = (fanout *)r;
    int rc = fanout_send(f, f->buf, sdslen(f->buf));
    sdsclear(f->buf);
    return rc;
}

static size_t fanout_read(rio *r, void *buf, size_t len) { return 0; }

/* In the child: the whole transfer; the exit status says if any replica got it. */
static void diskless_child(server *srv, fanout *f, const char *mark) {
    memset(&f->r, 0, sizeof(f->r));
    f->r.write = fanout_write;
    f->r.read = fanout_read;
    f->r.flush = fanout_flush;
    f->buf = sdsempty();
    for (int i = 0; i < f->n; i++) fcntl(f->fds[i], F_SETFL, fcntl(f->fds[i], F_GETFL) | O_NONBLOCK);
    sds pre = sdscatprintf(sdsempty(), "$EOF:%.*s\r\n", REPL_ID_LEN, mark);
    int ok = rio_write(&f->r, pre, sdslen(pre)) && rdb_save_rio(srv, &f->r) == 0 &&
             rio_write(&f->r, mark, REPL_ID_LEN) && rio_flush(&f->r) == 0;
    _exit(ok ? 0 : 1);
}

static int start_diskless(server *srv) {
    replState *rs = rstate(srv);
    static fanout f; /* the child's copy is the one used */
    disklessShared *sh = rs->diskless_shared;
    memset((void *)sh->dropped, 0, sizeof(sh->dropped));
    sh->repl_timeout = srv->repl_timeout;
    f.srv = srv;
    f.shared = sh;
    f.n = 0;
    char mark[REPL_ID_LEN];
    random_hex(mark, REPL_ID_LEN);
    for (int i = 0; i < rs->nreplicas && f.n < DISKLESS_MAX; i++) {
        client *r = rs->replicas[i];
        if (rinfo(r)->state != SLAVE_WAIT_BGSAVE_START) continue;
        wait_bgsave_end(r, rs->rdb_offset);
        send_fullresync(r, rs->rdb_offset);
        client_write(r, 0); /* the +FULLRESYNC line must precede the child's bytes */
        rs->diskless_ids[f.n] = r->id;
        snprintf(f.names[f.n], sizeof(f.names[0]), "%s", replica_name(r));
        f.fds[f.n++] = r->fd;
    }
    f.alive = f.n;
    rs->diskless_n = f.n;
    pid_t pid = snapshot_fork(srv);
    if (pid == 0) diskless_child(srv, &f, mark);
    if (pid == -1) return -1;
    LOG(srv, LL_NOTICE, "Starting BGSAVE for SYNC with target: replicas sockets");
    LOG(srv, LL_NOTICE, "Background RDB transfer started by pid %ld", (long)pid);
    rs->rdb_for_replication = 2; /* socket target */
    return 0;
}

/* The parent's side: replicas the child dropped are closed here, even if
 * their socket's EOF has not been seen yet. */
static void diskless_close_dropped(server *srv) {
    replState *rs = rstate(srv);
    disklessShared *sh = rs->diskless_shared;
    for (int slot = 0; slot < rs->diskless_n; slot++) {
        if (!sh->dropped[slot]) continue;
        for (int i = 0; i < rs->nreplicas; i++)
            if (rs->replicas[i]->id == rs->diskless_ids[slot] &&
                rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_END) {
                rinfo(rs->replicas[i])->state = SLAVE_WAIT_BGSAVE_START; /* no longer counted as receiving */
                client_close_async(rs->replicas[i]);
            }
    }
}

static void start_bgsave_for_replication(server *srv) {
    replState *rs = rstate(srv);
    rs->rdb_offset = rs->master_repl_offset;
    if (srv->repl_diskless_sync) {
        int all_eof = 1;
        for (int i = 0; i < rs->nreplicas; i++)
            if (rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_START && !rinfo(rs->replicas[i])->capa_eof)
                all_eof = 0;
        if (all_eof) {
            rs->slaveseldb = -1;
            if (start_diskless(srv) == -1) LOG(srv, LL_WARNING, "Can't fork for diskless replication");
            return;
        }
    }
    rs->slaveseldb = -1; /* the replica starts from the snapshot in db 0 */
    LOG(srv, LL_NOTICE, "Starting BGSAVE for SYNC with target: disk");
    if (snapshot_bgsave(srv) == -1) {
        LOG(srv, LL_WARNING, "BGSAVE for replication failed");
        for (int i = rs->nreplicas - 1; i >= 0; i--)
            if (rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_START) {
                reply_error(&rs->replicas[i]->reply, "BGSAVE failed, replication can't continue");
                rs->replicas[i]->flags |= CLIENT_CLOSE_AFTER_REPLY;
            }
        return;
    }
    rs->rdb_for_replication = 1;
    for (int i = 0; i < rs->nreplicas; i++) {
        client *r = rs->replicas[i];
        if (rinfo(r)->state != SLAVE_WAIT_BGSAVE_START) continue;
        wait_bgsave_end(r, rs->rdb_offset);
        send_fullresync(r, rs->rdb_offset);
    }
}

static int try_partial(client *c, const char *replid, long long psync_offset) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (strcasecmp(replid, rs->replid) != 0 &&
        (strcasecmp(replid, rs->replid2) != 0 || psync_offset > rs->second_replid_offset)) {
        if (replid[0] == '?')
            LOG(srv, LL_NOTICE, "Full resync requested by replica %s", replica_name(c));
        else if (strcasecmp(replid, rs->replid2) != 0)
            LOG(srv, LL_NOTICE,
                "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for "
                "'%s', my replication IDs are '%s' and '%s')",
                replid, rs->replid, rs->replid2);
        else
            LOG(srv, LL_NOTICE,
                "Partial resynchronization not accepted: Requested offset for second ID was %lld, "
                "but I can reply up to %lld",
                psync_offset, rs->second_replid_offset);
        return -1;
    }
    if (!rs->backlog || psync_offset < rs->backlog_off ||
        psync_offset > rs->backlog_off + rs->backlog_histlen) {
        LOG(srv, LL_NOTICE,
            "Unable to partial resync with replica %s for lack of backlog (Replica request was: %lld).",
            replica_name(c), psync_offset);
        if (psync_offset > rs->master_repl_offset)
            LOG(srv, LL_WARNING,
                "Warning: replica %s tried to PSYNC with an offset that is greater than the master "
                "replication offset.",
                replica_name(c));
        return -1;
    }
    add_replica(srv, c);
    rinfo(c)->state = SLAVE_ONLINE;
    char buf[128];
    int n = rinfo(c)->capa_psync2 ? snprintf(buf, sizeof(buf), "+CONTINUE %s\r\n", rs->replid)
                                  : snprintf(buf, sizeof(buf), "+CONTINUE\r\n");
    reply_raw(&c->reply, buf, (size_t)n);
    sds rest = sdsempty();
    backlog_since(rs, psync_offset, &rest);
    reply_raw(&c->reply, rest, sdslen(rest));
    sdsfree(rest);
    client_install_write(c);
    LOG(srv, LL_NOTICE,
        "Partial resynchronization request from %s accepted. Sending %lld bytes of backlog starting "
        "from offset %lld.",
        replica_name(c), rs->master_repl_offset - psync_offset + 1, psync_offset);
    return 0;
}

void repl_sync_command(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (c->flags & CLIENT_SLAVE) return;
    /* PSYNC <replid> <offset> FAILOVER: our master hands over to us. */
    if (c->argc > 3 && !strcasecmp(c->argv[0], "psync") && !strcasecmp(c->argv[3], "failover")) {
        LOG(srv, LL_NOTICE, "Failover request received for replid %s.", c->argv[1]);
        if (!repl_is_replica(srv)) {
            reply_error(&c->reply, "PSYNC FAILOVER can't be sent to a master.");
            return;
        }
        if (strcasecmp(c->argv[1], rs->replid) != 0) {
            reply_error(&c->reply, "PSYNC FAILOVER replid must match my replid.");
            return;
        }
        repl_unset_master_for_failover(srv, c);
    }
    if (rs->failover_state != FAILOVER_NONE) {
        reply_error(&c->reply, "-NOMASTERLINK Can't SYNC while failing over");
        return;
    }
    if (repl_is_replica(srv) && rs->link_state != LINK_CONNECTED) {
        reply_error(&c->reply, "-NOMASTERLINK Can't SYNC while not connected with my master");
        return;
    }
    if (reply_pending(&c->reply)) {
        reply_error(&c->reply, "SYNC and PSYNC are invalid with pending output");
        return;
    }
    LOG(srv, LL_NOTICE, "Replica %s asks for synchronization", replica_name(c));
    int is_psync = !strcasecmp(c->argv[0], "psync");
    if (is_psync) {
        long long off;
        if (!string2ll(c->argv[2], sdslen(c->argv[2]), &off)) {
            reply_error(&c->reply, "value is not an integer or out of range");
            return;
        }
        rinfo_get(c);
        if (try_partial(c, c->argv[1], off) == 0) {
            srv->stat_sync_partial_ok++;
            return;
        }
        if (c->argv[1][0] != '?') srv->stat_sync_partial_err++;
    }
    srv->stat_sync_full++;
    add_replica(srv, c);
    rinfo(c)->state = SLAVE_WAIT_BGSAVE_START;
    rinfo(c)->pre_psync = !is_psync;
    if (rs->nreplicas == 1 && !rs->backlog) {
        repl_change_id(srv);
        clear_id2(rs);
        create_backlog(srv);
        LOG(srv, LL_NOTICE, "Replication backlog created, my new replication IDs are '%s' and '%s'",
            rs->replid, rs->replid2);
    }
    if (snapshot_in_progress(srv)) {
        /* A replication BGSAVE to disk can serve one more replica if the
         * backlog still holds everything written since it started. A
         * socket target streams to the replicas it was started for only. */
        sds since = sdsempty();
        if (rs->rdb_for_replication == 1 && backlog_since(rs, rs->rdb_offset + 1, &since) == 0) {
            wait_bgsave_end(c, rs->rdb_offset);
            sdsfree(rinfo(c)->pending);
            rinfo(c)->pending = since;
            send_fullresync(c, rs->rdb_offset);
            LOG(srv, LL_NOTICE, "Waiting for end of BGSAVE for SYNC");
            return;
        }
        sdsfree(since);
        if (rs->rdb_for_replication == 2) {
            LOG(srv, LL_NOTICE, "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
        } else {
            LOG(srv, LL_NOTICE,
                "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
        }
        return;
    }
    if (srv->repl_diskless_sync && srv->repl_diskless_sync_delay > 0) {
        /* counted from the first replica that waits, as Redis does */
        if (!rs->diskless_start_at) {
            LOG(srv, LL_NOTICE, "Delay next BGSAVE for diskless SYNC");
            rs->diskless_start_at = mstime() + srv->repl_diskless_sync_delay * 1000LL;
        }
        return; /* the cron starts it, so replicas arriving meanwhile share it */
    }
    start_bgsave_for_replication(srv);
}

/* Streams the RDB file to a replica once its output buffer is empty. */
static void send_bulk(reactor *r, int fd, void *data, int mask) {
    client *c = data;
    replicaInfo *ri = rinfo(c);
    if (reply_pending(&c->reply)) {
        if (client_write(c, 1) == -1) return;
        if (reply_pending(&c->reply)) return;
        reactor_add(c->srv->el, c->fd, RE_WRITABLE, send_bulk, c);
    }
    char buf[65536];
    if (ri->bulk_preamble) {
        ssize_t n = write(fd, ri->bulk_preamble, sdslen(ri->bulk_preamble));
        if (n < 0) {
            if (errno == EAGAIN) return;
            client_close_async(c);
            return;
        }
        sdsrange(ri->bulk_preamble, n, -1);
        if (sdslen(ri->bulk_preamble)) return;
        sdsfree(ri->bulk_preamble);
        ri->bulk_preamble = NULL;
    }
    ssize_t got = pread(ri->bulk_fd, buf, sizeof(buf), ri->bulk_off);
    if (got < 0) {
        client_close_async(c);
        return;
    }
    ssize_t n = got ? write(fd, buf, (size_t)got) : 0;
    if (n < 0) {
        if (errno != EAGAIN) client_close_async(c);
        return;
    }
    ri->bulk_off += n;
    rstate(c->srv)->stat_net_repl_output_bytes += n;
    if (ri->bulk_off < ri->bulk_size) return;
    close(ri->bulk_fd);
    ri->bulk_fd = -1;
    reactor_del(c->srv->el, c->fd, RE_WRITABLE);
    if (ri->rdb_only) {
        LOG(c->srv, LL_NOTICE, "RDB transfer completed, rdb only replica (%s) should be disconnected asap",
            replica_name(c));
        client_close_async(c);
        return;
    }
    put_online(c);
}

void repl_bgsave_done(server *srv, int ok) {
    replState *rs = rstate(srv);
    if (!rs) return;
    int was_for_repl = rs->rdb_for_replication;
    rs->rdb_for_replication = 0;
    if (was_for_repl == 2) {
        diskless_close_dropped(srv);
        int up = 0;
        for (int i = 0; i < rs->nreplicas; i++) up += rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_END;
        LOG(srv, LL_NOTICE, "Diskless rdb transfer, done reading from pipe, %d replicas still up.", up);
    }
    struct stat st;
    int fd = ok ? open(srv->dbfilename, O_RDONLY) : -1;
    if (fd != -1 && fstat(fd, &st) == -1) {
        close(fd);
        fd = -1;
    }
    for (int i = rs->nreplicas - 1; i >= 0; i--) {
        client *c = rs->replicas[i];
        replicaInfo *ri = rinfo(c);
        if (ri->state != SLAVE_WAIT_BGSAVE_END || !was_for_repl) continue;
        if (was_for_repl == 2) { /* diskless: the child already sent the RDB */
            if (!ok) {
                client_close_async(c);
                continue;
            }
            LOG(srv, LL_NOTICE,
                "Streamed RDB transfer with replica %s succeeded (socket). Waiting for REPLCONF ACK "
                "from replica to enable streaming",
                replica_name(c));
            if (ri->rdb_only) {
                client_close_async(c);
                continue;
            }
            put_online(c);
            continue;
        }
        if (fd == -1) {
            LOG(srv, LL_WARNING, "SYNC failed. BGSAVE child returned an error");
            client_close_async(c);
            continue;
        }
        ri->bulk_fd = dup(fd);
        ri->bulk_off = 0;
        ri->bulk_size = st.st_size;
        ri->bulk_preamble = sdscatprintf(sdsempty(), "$%lld\r\n", (long long)st.st_size);
        ri->state = SLAVE_SEND_BULK;
        reactor_add(srv->el, c->fd, RE_WRITABLE, send_bulk, c);
    }
    if (fd != -1) close(fd);
    /* Replicas that arrived during a non-replication BGSAVE get one now. */
    for (int i = 0; i < rs->nreplicas; i++)
        if (rinfo(rs->replicas[i])->state == SLAVE_WAIT_BGSAVE_START) {
            start_bgsave_for_replication(srv);
            break;
        }
}

void repl_replconf_command(client *c) {
    if ((c->argc % 2) == 0) {
        reply_error(&c->reply, "syntax error");
        return;
    }
    for (int j = 1; j < c->argc; j += 2) {
        sds opt = c->argv[j], val = c->argv[j + 1];
        if (!strcasecmp(opt, "listening-port")) {
            long long port;
            if (!string2ll(val, sdslen(val), &port)) {
                reply_error(&c->reply, "value is not an integer or out of range");
                return;
            }
            c->slave_listening_port = (int)port;
        } else if (!strcasecmp(opt, "ip-address")) {
            if (sdslen(val) >= sizeof(rinfo_get(c)->ip)) {
                reply_errorf(&c->reply,
                             "REPLCONF ip-address provided by replica instance is too long: %zd bytes",
                             sdslen(val));
                return;
            }
            memcpy(rinfo_get(c)->ip, val, sdslen(val) + 1);
        } else if (!strcasecmp(opt, "rdb-only")) {
            long long v;
            if (!string2ll(val, sdslen(val), &v) || (v != 0 && v != 1)) {
                reply_error(&c->reply, "value is not an integer or out of range");
                return;
            }
            rinfo_get(c)->rdb_only = (int)v;
        } else if (!strcasecmp(opt, "rdb-filter-only")) {
            /* accepted: Stash has no module aux data to filter */
        } else if (!strcasecmp(opt, "capa")) {
            /* remembered when the replica attaches */
            if (!strcasecmp(val, "eof")) rinfo_get(c)->capa_eof = 1;
            if (!strcasecmp(val, "psync2")) rinfo_get(c)->capa_psync2 = 1;
        } else if (!strcasecmp(opt, "ack") || !strcasecmp(opt, "fack")) {
            if (!(c->flags & CLIENT_SLAVE)) return;
            long long off;
            if (!string2ll(val, sdslen(val), &off)) return;
            if (!strcasecmp(opt, "ack") && off > rinfo(c)->ack_offset) rinfo(c)->ack_offset = off;
            rinfo(c)->ack_time_ms = mstime();
            if (rstate(c->srv)->nwaiters) repl_process_waiters(c->srv);
            return; /* no reply to ACKs */
        } else if (!strcasecmp(opt, "getack")) {
            return; /* only meaningful from a master; handled on the replica side */
        } else {
            reply_errorf(&c->reply, "Unrecognized REPLCONF option: %s", opt);
            return;
        }
    }
    if (c->repl_state) rinfo(c)->listening_port = c->slave_listening_port;
    reply_ok(&c->reply);
}

int repl_count_good_replicas(server *srv) {
    replState *rs = rstate(srv);
    int good = 0;
    long long now = mstime();
    for (int i = 0; rs && i < rs->nreplicas; i++) {
        replicaInfo *ri = rinfo(rs->replicas[i]);
        if (ri->state == SLAVE_ONLINE && (now - ri->ack_time_ms) / 1000 <= srv->min_replicas_max_lag) good++;
    }
    return good;
}

int repl_writes_allowed(server *srv) {
    if (repl_is_replica(srv) || !srv->min_replicas_to_write || !srv->min_replicas_max_lag) return 1;
    return repl_count_good_replicas(srv) >= srv->min_replicas_to_write;
}

static const char *state_name(int st) {
    switch (st) {
    case SLAVE_WAIT_BGSAVE_START:
    case SLAVE_WAIT_BGSAVE_END: return "wait_bgsave";
    case SLAVE_SEND_BULK: return "send_bulk";
    case SLAVE_ONLINE: return "online";
    default: return "unknown";
    }
}

sds repl_info_replicas(server *srv, sds s) {
    replState *rs = rstate(srv);
    long long now = mstime();
    s = sdscatprintf(s, "connected_slaves:%d\r\n", rs->nreplicas);
    if (srv->min_replicas_to_write && srv->min_replicas_max_lag)
        s = sdscatprintf(s, "min_slaves_good_slaves:%d\r\n", repl_count_good_replicas(srv));
    for (int i = 0; i < rs->nreplicas; i++) {
        replicaInfo *ri = rinfo(rs->replicas[i]);
        s = sdscatprintf(s, "slave%d:ip=%s,port=%d,state=%s,offset=%lld,lag=%lld\r\n", i, ri->ip,
                         ri->listening_port, state_name(ri->state), ri->ack_offset,
                         (now - ri->ack_time_ms) / 1000);
    }
    return s;
}

sds repl_info_backlog(server *srv, sds s) {
    replState *rs = rstate(srv);
    return sdscatprintf(s,
                        "master_failover_state:%s\r\nmaster_replid:%s\r\nmaster_replid2:%s\r\n"
                        "master_repl_offset:%lld\r\nsecond_repl_offset:%lld\r\nrepl_backlog_active:%d\r\n"
                        "repl_backlog_size:%lld\r\nrepl_backlog_first_byte_offset:%lld\r\n"
                        "repl_backlog_histlen:%lld\r\n",
                        repl_failover_state_name(rs->failover_state), rs->replid, rs->replid2,
                        rs->master_repl_offset, rs->second_replid_offset, rs->backlog != NULL,
                        srv->repl_backlog_size, rs->backlog ? rs->backlog_off : 0, rs->backlog_histlen);
}

/* Sends PINGs through the stream and frees the backlog after its TTL. */
void repl_master_cron(server *srv) {
    replState *rs = rstate(srv);
    if (!rs) return;
    long long now = mstime();
    ((disklessShared *)rs->diskless_shared)->repl_timeout = srv->repl_timeout;
    if (rs->diskless_start_at && now >= rs->diskless_start_at && !snapshot_in_progress(srv)) {
        rs->diskless_start_at = 0;
        start_bgsave_for_replication(srv);
    } else if (!rs->diskless_start_at && !snapshot_in_progress(srv)) {
        /* replicas left waiting (a transfer was stopped, a BGSAVE failed to start) */
        for (int i = 0; i < rs->nreplicas; i++) {
            client *r = rs->replicas[i];
            if (rinfo(r)->state == SLAVE_WAIT_BGSAVE_START &&
                !(r->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY))) {
                start_bgsave_for_replication(srv);
                break;
            }
        }
    }
    repl_failover_cron(srv);
    /* no PINGs while a failover waits for a replica to match our offset */
    static const char *ping = "*1\r\n$4\r\nPING\r\n";
    if (rs->nreplicas && !repl_is_replica(srv) && srv->repl_ping_period > 0 &&
        rs->failover_state == FAILOVER_NONE &&
        (srv->cron_loops % ((long long)srv->repl_ping_period * srv->hz)) == 0)
        feed_bytes(srv, ping, strlen(ping));
    if (rs->backlog && rs->nreplicas == 0 && !repl_is_replica(srv) && srv->repl_backlog_ttl > 0 &&
        rs->backlog_no_replicas_since &&
        (now - rs->backlog_no_replicas_since) / 1000 > srv->repl_backlog_ttl) {
        repl_change_id(srv);
        clear_id2(rs);
        zfree(rs->backlog);
        rs->backlog = NULL;
        LOG(srv, LL_NOTICE, "Replication backlog freed after %d seconds without connected replicas.",
            srv->repl_backlog_ttl);
    }
    /* Replicas that stopped acknowledging are dropped after repl-timeout. */
    for (int i = rs->nreplicas - 1; i >= 0; i--) {
        client *c = rs->replicas[i];
        replicaInfo *ri = rinfo(c);
        if (ri->state == SLAVE_ONLINE && ri->capa_psync2 &&
            (now - ri->ack_time_ms) / 1000 > srv->repl_timeout) {
            LOG(srv, LL_WARNING, "Disconnecting timedout replica (streaming sync): %s", replica_name(c));
            client_close_async(c);
        }
    }
}

sds repl_info(server *srv, sds s) {
    s = sdscatprintf(s, "role:%s\r\n", repl_is_replica(srv) ? "slave" : "master");
    if (repl_is_replica(srv)) s = repl_info_replica(srv, s);
    s = repl_info_replicas(srv, s);
    return repl_info_backlog(srv, s);
}

/* ROLE: master: [master, offset, [[ip, port, offset]...]];
 *       replica: [slave, host, port, state, offset]. */
void repl_role_reply(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (!repl_is_replica(srv)) {
        reply_array(&c->reply, 3);
        reply_bulk_cstr(&c->reply, "master");
        reply_long(&c->reply, rs->master_repl_offset);
        reply_array(&c->reply, rs->nreplicas);
        for (int i = 0; i < rs->nreplicas; i++) {
            replicaInfo *ri = rinfo(rs->replicas[i]);
            reply_array(&c->reply, 3);
            reply_bulk_cstr(&c->reply, ri->ip);
            reply_bulk_ll(&c->reply, ri->listening_port);
            reply_bulk_ll(&c->reply, ri->ack_offset);
        }
        return;
    }
    static const char *states[] = {"none", "connect", "connecting", "handshake", "sync", "connected"};
    reply_array(&c->reply, 5);
    reply_bulk_cstr(&c->reply, "slave");
    reply_bulk_sds(&c->reply, rs->masterhost);
    reply_long(&c->reply, rs->masterport);
    reply_bulk_cstr(&c->reply, states[rs->link_state]);
    reply_long(&c->reply, rs->link_state == LINK_CONNECTED ? rs->master_repl_offset : -1);
}

/* ---- WAIT: clients waiting for replicas to acknowledge their writes.
 * A waiting client is blocked (no input processed) until enough replicas
 * report an offset at or past the client's last write, or its deadline. */
typedef struct waiter {
    client *c;
    long long offset, deadline;
    int numreplicas;
} waiter;

static int replicas_acked(server *srv, long long offset) {
    replState *rs = rstate(srv);
    int n = 0;
    for (int i = 0; i < rs->nreplicas; i++)
        if (rinfo(rs->replicas[i])->state == SLAVE_ONLINE && rinfo(rs->replicas[i])->ack_offset >= offset)
            n++;
    return n;
}

static void finish_wait(server *srv, int idx) {
    replState *rs = rstate(srv);
    waiter *w = &((waiter *)rs->waiters)[idx];
    client *c = w->c;
    reply_long(&c->reply, replicas_acked(srv, w->offset));
    memmove(w, w + 1, sizeof(waiter) * (size_t)(rs->nwaiters - idx - 1));
    rs->nwaiters--;
    c->flags &= ~CLIENT_BLOCKED;
    if (c->cmd) c->cmd->stats.calls++; /* a blocked command counts when it ends */
    client_reset_command(c);
    client_install_write(c);
    if (sdslen(c->querybuf) > c->qb_pos) client_process_input(c);
}

/* Serves waiters that are satisfied or timed out. */
void repl_process_waiters(server *srv) {
    replState *rs = rstate(srv);
    long long now = mstime();
    for (int i = 0; rs && i < rs->nwaiters;) {
        waiter *w = &((waiter *)rs->waiters)[i];
        if (replicas_acked(srv, w->offset) >= w->numreplicas || (w->deadline && now >= w->deadline))
            finish_wait(srv, i);
        else
            i++;
    }
}

void repl_wait_command(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (repl_is_replica(srv)) {
        reply_error(&c->reply,
                    "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if "
                    "a replica is configured to be writable (which is not the default) writes to replicas "
                    "are just local and are not propagated.");
        return;
    }
    long long numreplicas, timeout;
    if (!string2ll(c->argv[1], sdslen(c->argv[1]), &numreplicas)) {
        reply_error(&c->reply, "value is not an integer or out of range");
        return;
    }
    if (!string2ll(c->argv[2], sdslen(c->argv[2]), &timeout)) {
        reply_error(&c->reply, "timeout is not an integer or out of range");
        return;
    }
    if (timeout < 0) {
        reply_error(&c->reply, "timeout is negative");
        return;
    }
    int acked = replicas_acked(srv, c->woff);
    if (acked >= numreplicas || (c->flags & CLIENT_MULTI) || srv->in_exec || srv->in_script) {
        reply_long(&c->reply, acked);
        return;
    }
    rs->waiters = zrealloc(rs->waiters, sizeof(waiter) * (size_t)(rs->nwaiters + 1));
    waiter *w = &((waiter *)rs->waiters)[rs->nwaiters++];
    w->c = c;
    w->offset = c->woff;
    w->numreplicas = (int)numreplicas;
    w->deadline = timeout ? mstime() + timeout : 0;
    c->flags |= CLIENT_BLOCKED;
    rs->get_ack_pending = 1;
}

/* Before sleeping: ask replicas for ACKs if a WAIT needs them. */
void repl_before_sleep(server *srv) {
    replState *rs = rstate(srv);
    if (!rs) return;
    if (rs->get_ack_pending && rs->nreplicas) {
        static const char *getack = "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n";
        feed_bytes(srv, getack, strlen(getack));
    }
    rs->get_ack_pending = 0;
    if (rs->nwaiters) repl_process_waiters(srv);
}

/* Becoming a replica: WAIT clients get the error Redis sends to every
 * blocked client when the instance changes role. */
void repl_unblock_waiters(server *srv) {
    replState *rs = rstate(srv);
    while (rs && rs->nwaiters) {
        client *c = ((waiter *)rs->waiters)[0].c;
        memmove(rs->waiters, (waiter *)rs->waiters + 1, sizeof(waiter) * (size_t)(rs->nwaiters - 1));
        rs->nwaiters--;
        reply_error(&c->reply,
                    "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
                    "replica?)");
        c->flags &= ~CLIENT_BLOCKED;
        client_reset_command(c);
        client_install_write(c);
        if (sdslen(c->querybuf) > c->qb_pos) client_process_input(c);
    }
}

/* Called for every client that goes away. A client that sent REPLCONF but
 * never became a replica still owns its replicaInfo (replicas release
 * theirs in repl_replica_freed, which runs first). */
void repl_waiter_freed(client *c) {
    replState *rs = rstate(c->srv);
    if (c->repl_state && !(c->flags & CLIENT_SLAVE)) {
        zfree(c->repl_state);
        c->repl_state = NULL;
    }
    for (int i = 0; rs && i < rs->nwaiters; i++) {
        if (((waiter *)rs->waiters)[i].c == c) {
            memmove((waiter *)rs->waiters + i, (waiter *)rs->waiters + i + 1,
                    sizeof(waiter) * (size_t)(rs->nwaiters - i - 1));
            rs->nwaiters--;
            return;
        }
    }
}

long long repl_backlog_memory(server *srv) {
    replState *rs = rstate(srv);
    return rs && rs->backlog ? rs->backlog_size : 0;
}

void repl_net_bytes(server *srv, long long *in, long long *out) {
    replState *rs = rstate(srv);
    *in = rs ? rs->stat_net_repl_input_bytes : 0;
    *out = rs ? rs->stat_net_repl_output_bytes : 0;
}

long long repl_offset(server *srv) { return rstate(srv) ? rstate(srv)->master_repl_offset : 0; }
