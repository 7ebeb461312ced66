/* replica.c: the replica side of replication.
 *
 * REPLICAOF sets the master (a command connects at once, the config file
 * leaves it to the cron); a non-blocking connect and a small state machine
 * run the handshake Redis masters expect:
 *   PING, [AUTH], REPLCONF listening-port, [REPLCONF ip-address],
 *   REPLCONF capa eof capa psync2, PSYNC <replid> <offset+1> [FAILOVER]
 * ("PSYNC ? -1" without a cached master: a fresh replica has no history a
 * master could continue). +CONTINUE keeps the dataset and goes straight to
 * streaming; +FULLRESYNC is followed by the RDB as "$<len>" or
 * "$EOF:<40-byte mark>" (newlines before it are keepalives). The RDB goes
 * to a temp file, replaces the dataset (our own replicas are dropped: they
 * hold the old one), and the link becomes a client flagged MASTER whose
 * commands run without replies, starting in the db named by the RDB's
 * repl-stream-db. Every byte processed advances the replication offset
 * and is forwarded verbatim to our own replicas (chained replication).
 * The id, offset and current db survive disconnections (the "cached
 * master") so the next attempt can PSYNC. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "net/anet.h"
#include "persist/rdb.h"
#include "persist/rdb_codec.h"
#include "repl/repl.h"
#include "server/blocking.h"
#include "server/client.h"
#include "server/server.h"

static replState *rstate(server *srv) { return srv->repl; }

enum { HS_PING, HS_AUTH, HS_PORT, HS_IP, HS_CAPA, HS_PSYNC, HS_DONE };

static void link_read(reactor *r, int fd, void *data, int mask);

static void close_link_fd(server *srv) {
    replState *rs = rstate(srv);
    if (rs->link_fd != -1) {
        reactor_del(srv->el, rs->link_fd, RE_READABLE | RE_WRITABLE);
        close(rs->link_fd);
        rs->link_fd = -1;
    }
    if (rs->transfer_fd != -1) {
        close(rs->transfer_fd);
        rs->transfer_fd = -1;
        if (rs->transfer_file) unlink(rs->transfer_file);
    }
    sdsfree(rs->transfer_file);
    rs->transfer_file = NULL;
    if (rs->handshake_buf) sdsclear(rs->handshake_buf); /* NULL until the first connect */
}

/* Drops the link (handshake, transfer or connected) and schedules a retry. */
static void link_lost(server *srv, const char *why) {
    replState *rs = rstate(srv);
    if (why) LOG(srv, LL_WARNING, "%s", why);
    if (rs->master) {
        client *m = rs->master;
        rs->master = NULL;
        m->flags &= ~CLIENT_MASTER;
        rs->master_db = m->db ? m->db->id : 0;
        rs->cached_master = 1;
        LOG(srv, LL_NOTICE, "Connection with master lost.");
        LOG(srv, LL_NOTICE, "Caching the disconnected master state.");
        client_close_async(m);
        rs->link_fd = -1; /* the client owned the fd */
    }
    close_link_fd(srv);
    rs->link_state = rs->masterhost ? LINK_CONNECT : LINK_NONE;
    rs->link_down_since = mstime();
    rs->connect_next_try_ms = mstime() + 1000;
}

static int send_line(int fd, int argc, const char **argv) {
    sds buf = sdscatprintf(sdsempty(), "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) buf = sdscatprintf(buf, "$%zu\r\n%s\r\n", strlen(argv[i]), argv[i]);
    size_t off = 0;
    int rc = 0;
    long long deadline = mstime() + 5000;
    while (off < sdslen(buf)) {
        ssize_t n = write(fd, buf + off, sdslen(buf) - off);
        if (n < 0 && errno == EAGAIN && mstime() < deadline) {
            usleep(1000);
            continue;
        }
        if (n <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)n;
    }
    sdsfree(buf);
    return rc;
}

static void send_step(server *srv) {
    replState *rs = rstate(srv);
    char port[16], off[32];
    int rc = 0;
    switch (rs->handshake_step) {
    case HS_PING: rc = send_line(rs->link_fd, 1, (const char *[]){"PING"}); break;
    case HS_AUTH:
        if (srv->masterauth && srv->masterauth[0]) {
            if (srv->masteruser && srv->masteruser[0])
                rc = send_line(rs->link_fd, 3, (const char *[]){"AUTH", srv->masteruser, srv->masterauth});
            else
                rc = send_line(rs->link_fd, 2, (const char *[]){"AUTH", srv->masterauth});
        } else {
            rs->handshake_step = HS_PORT;
            send_step(srv);
            return;
        }
        break;
    case HS_PORT:
        snprintf(port, sizeof(port), "%d",
                 srv->replica_announce_port ? srv->replica_announce_port : srv->port);
        rc = send_line(rs->link_fd, 3, (const char *[]){"REPLCONF", "listening-port", port});
        break;
    case HS_IP:
        if (!srv->replica_announce_ip || !srv->replica_announce_ip[0]) {
            rs->handshake_step = HS_CAPA;
            send_step(srv);
            return;
        }
        rc = send_line(rs->link_fd, 3, (const char *[]){"REPLCONF", "ip-address", srv->replica_announce_ip});
        break;
    case HS_CAPA:
        rc = send_line(rs->link_fd, 5, (const char *[]){"REPLCONF", "capa", "eof", "capa", "psync2"});
        break;
    case HS_PSYNC:
        /* Without a cached master (a fresh replica, or a full sync that
         * failed half way) our id and offset describe no dataset the
         * master could continue: ask for a full sync. */
        if (rs->cached_master) {
            snprintf(off, sizeof(off), "%lld", rs->master_repl_offset + 1);
            LOG(srv, LL_NOTICE, "Trying a partial resynchronization (request %s:%s).", rs->replid, off);
            /* FAILOVER: the target becomes the master continuing our history */
            int failover = repl_failover_state(srv) == FAILOVER_IN_PROGRESS;
            rc = send_line(rs->link_fd, failover ? 4 : 3,
                           (const char *[]){"PSYNC", rs->replid, off, "FAILOVER"});
        } else {
            LOG(srv, LL_NOTICE, "Partial resynchronization not possible (no cached master)");
            rc = send_line(rs->link_fd, 3, (const char *[]){"PSYNC", "?", "-1"});
        }
        break;
    }
    if (rc == -1) {
        if (rs->handshake_step == HS_PSYNC) repl_failover_abort(srv, "Write error to failover target");
        if (rs->masterhost) link_lost(srv, "Error writing to the master during the handshake");
    }
}

static void become_connected(server *srv) {
    replState *rs = rstate(srv);
    reactor_del(srv->el, rs->link_fd, RE_READABLE | RE_WRITABLE);
    client *m = client_create(srv, rs->link_fd, CLIENT_MASTER);
    if (!m) {
        link_lost(srv, "Can't create the master client");
        return;
    }
    m->flags |= CLIENT_MASTER;
    m->authenticated = 1;
    m->parser.unauthenticated = 0;
    m->parser.max_bulk_len = -1;
    m->reply.muted = 1;
    if (rs->master_db >= 0 && rs->master_db < srv->dbnum) m->db = &srv->dbs[rs->master_db];
    rs->master = m;
    rs->link_fd = -1; /* owned by the client now */
    rs->link_state = LINK_CONNECTED;
    rs->last_io_ms = mstime();
    srv->repl_down_since_ms = 0;
    /* Bytes that arrived with the handshake reply belong to the stream. */
    if (sdslen(rs->handshake_buf)) {
        m->querybuf = sdscatsds(m->querybuf, rs->handshake_buf);
        sdsclear(rs->handshake_buf);
        client_process_input(m);
    }
}

static void disconnect_replicas(server *srv) {
    replState *rs = rstate(srv);
    for (int i = rs->nreplicas - 1; i >= 0; i--) client_close_async(rs->replicas[i]);
}

/* The db the master's stream continues in after the RDB: Redis masters
 * record it as the "repl-stream-db" aux field (and send no SELECT until
 * it changes). Scans the aux fields at the head of the file; 0 if absent. */
static int rdb_stream_db(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    rio r;
    rio_init_file(&r, fp);
    char magic[9];
    int db = 0;
    if (rio_read(&r, magic, 9) == 9 && !memcmp(magic, "REDIS", 5)) {
        while (rdb_load_type(&r) == RDB_OPCODE_AUX) {
            sds k = rdb_load_string(&r), v = k ? rdb_load_string(&r) : NULL;
            if (v && !strcmp(k, "repl-stream-db")) db = atoi(v);
            sdsfree(k);
            sdsfree(v);
            if (!v) break;
        }
    }
    fclose(fp);
    return db;
}

static void start_transfer(server *srv) {
    replState *rs = rstate(srv);
    rs->transfer_file = sdscatprintf(sdsempty(), "temp-%lld.%d.rdb", mstime(), (int)getpid());
    rs->transfer_fd = open(rs->transfer_file, O_CREAT | O_RDWR | O_EXCL | O_TRUNC, 0644);
    if (rs->transfer_fd == -1) {
        link_lost(srv, "Opening the temp file needed for MASTER <-> REPLICA synchronization failed");
        return;
    }
    rs->transfer_size = -1;
    rs->transfer_read = 0;
    rs->link_state = LINK_TRANSFER;
    rs->sync_start_ms = mstime();
}

/* Replaces the dataset with the received RDB and goes online. */
static void finish_transfer(server *srv) {
    replState *rs = rstate(srv);
    if (fsync(rs->transfer_fd) == -1) { /* best effort */
    }
    close(rs->transfer_fd);
    rs->transfer_fd = -1;
    /* Our replicas hold the old dataset: they must resync from us. */
    disconnect_replicas(srv);
    LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync: Flushing old data");
    for (int j = 0; j < srv->dbnum; j++) db_empty(&srv->dbs[j], 0);
    if (rename(rs->transfer_file, srv->dbfilename) == -1) {
        link_lost(srv,
                  "Failed trying to rename the temp DB into dump.rdb in MASTER <-> REPLICA synchronization");
        return;
    }
    sdsfree(rs->transfer_file);
    rs->transfer_file = NULL;
    rs->master_db = rdb_stream_db(srv->dbfilename);
    LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync: Loading DB in memory");
    sds err = NULL;
    srv->loading = 1;
    int rc = rdb_load(srv, srv->dbfilename, &err);
    srv->loading = 0;
    if (rc != 0) {
        if (err) LOG(srv, LL_WARNING, "%s", err);
        LOG(srv, LL_WARNING,
            "Failed trying to load the MASTER synchronization DB from disk, check server logs.");
        sdsfree(err);
        for (int j = 0; j < srv->dbnum; j++) db_empty(&srv->dbs[j], 0);
        link_lost(srv, NULL);
        return;
    }
    sdsfree(err);
    memcpy(rs->replid, rs->master_replid, sizeof(rs->replid));
    rs->master_repl_offset = rs->master_initial_offset;
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->second_replid_offset = -1;
    /* Our own backlog restarts at the new offset so sub-replicas can PSYNC. */
    repl_reset_backlog(srv);
    LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync: Finished with success");
    become_connected(srv);
}

/* Consumes transfer bytes from buf; returns bytes used. */
static size_t transfer_bytes(server *srv, const char *buf, size_t len) {
    replState *rs = rstate(srv);
    size_t used = 0;
    if (rs->transfer_size == -1) {
        /* Header line: skip keepalive newlines, then "$<len>" or "$EOF:<mark>". */
        while (used < len && buf[used] == '\n') used++;
        const char *nl = memchr(buf + used, '\n', len - used);
        if (!nl) return used;
        size_t linelen = (size_t)(nl - (buf + used));
        if (buf[used] != '$') {
            char why[300];
            int l = linelen > 0 && buf[used + linelen - 1] == '\r' ? (int)linelen - 1 : (int)linelen;
            if (l > 200) l = 200;
            if (buf[used] == '-')
                snprintf(why, sizeof(why), "MASTER aborted replication with an error: %.*s", l - 1,
                         buf + used + 1);
            else
                snprintf(why, sizeof(why),
                         "Bad protocol from MASTER, the first byte is not '$' (we received '%.*s'), "
                         "are you sure the host and port are right?",
                         l, buf + used);
            link_lost(srv, why);
            return len;
        }
        if (linelen >= 5 + REPL_ID_LEN && !strncmp(buf + used + 1, "EOF:", 4)) {
            memcpy(rs->eofmark, buf + used + 5, REPL_ID_LEN);
            rs->transfer_eof_mode = 1;
            rs->transfer_size = 0;
            LOG(srv, LL_NOTICE,
                "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
        } else {
            rs->transfer_size = strtoll(buf + used + 1, NULL, 10);
            rs->transfer_eof_mode = 0;
            LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync: receiving %lld bytes from master to disk",
                rs->transfer_size);
        }
        used += linelen + 1;
    }
    size_t avail = len - used;
    if (!rs->transfer_eof_mode) {
        long long want = rs->transfer_size - rs->transfer_read;
        size_t n = (long long)avail < want ? avail : (size_t)want;
        if (n && write(rs->transfer_fd, buf + used, n) != (ssize_t)n) {
            link_lost(srv,
                      "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA "
                      "synchronization");
            return len;
        }
        rs->transfer_read += (long long)n;
        used += n;
        if (rs->transfer_read == rs->transfer_size) finish_transfer(srv);
        return used;
    }
    /* EOF mode: the stream ends with the 40-byte mark. Keep the last 40
     * bytes back until more arrives. */
    if (write(rs->transfer_fd, buf + used, avail) != (ssize_t)avail) {
        link_lost(srv, "Write error writing the RDB received from the master");
        return len;
    }
    rs->transfer_read += (long long)avail;
    used += avail;
    if (rs->transfer_read >= REPL_ID_LEN) {
        char tail[REPL_ID_LEN];
        if (pread(rs->transfer_fd, tail, REPL_ID_LEN, rs->transfer_read - REPL_ID_LEN) == REPL_ID_LEN &&
            !memcmp(tail, rs->eofmark, REPL_ID_LEN)) {
            if (ftruncate(rs->transfer_fd, rs->transfer_read - REPL_ID_LEN) == -1) {
                link_lost(srv, "Error truncating the RDB file received from the master");
                return len;
            }
            finish_transfer(srv);
        }
    }
    return used;
}

/* Handles one handshake reply line. */
static void handshake_reply(server *srv, const char *line) {
    replState *rs = rstate(srv);
    switch (rs->handshake_step) {
    case HS_PING:
        if (line[0] == '-' && strncmp(line, "-NOAUTH", 7) && strncmp(line, "-NOPERM", 7) &&
            strncmp(line, "-ERR operation not permitted", 28)) {
            char why[256];
            snprintf(why, sizeof(why), "Error reply to PING from master: '%s'", line);
            link_lost(srv, why);
            return;
        }
        LOG(srv, LL_NOTICE, "Master replied to PING, replication can continue...");
        rs->handshake_step = HS_AUTH;
        break;
    case HS_AUTH:
        if (line[0] == '-') {
            char why[256];
            snprintf(why, sizeof(why), "Unable to AUTH to MASTER: %s", line);
            link_lost(srv, why);
            return;
        }
        rs->handshake_step = HS_PORT;
        break;
    case HS_PORT:
        if (line[0] == '-')
            LOG(srv, LL_NOTICE, "(Non critical) Master does not understand REPLCONF listening-port: %s",
                line);
        rs->handshake_step = HS_IP;
        break;
    case HS_IP:
        if (line[0] == '-')
            LOG(srv, LL_NOTICE, "(Non critical) Master does not understand REPLCONF ip-address: %s", line);
        rs->handshake_step = HS_CAPA;
        break;
    case HS_CAPA:
        if (line[0] == '-')
            LOG(srv, LL_NOTICE, "(Non critical) Master does not understand REPLCONF capa: %s", line);
        rs->handshake_step = HS_PSYNC;
        break;
    case HS_PSYNC:
        if (!strncmp(line, "+FULLRESYNC", 11)) {
            char id[REPL_ID_LEN + 1];
            long long off = 0;
            if (sscanf(line, "+FULLRESYNC %40s %lld", id, &off) != 2) {
                link_lost(srv, "Master replied with wrong +FULLRESYNC syntax.");
                return;
            }
            memcpy(rs->master_replid, id, sizeof(id));
            rs->master_initial_offset = off;
            if (rs->cached_master) LOG(srv, LL_NOTICE, "Discarding previously cached master state.");
            repl_failover_done(srv);
            rs->cached_master = 0; /* whatever we had cannot be continued */
            LOG(srv, LL_NOTICE, "Full resync from master: %s:%lld", id, off);
            rs->handshake_step = HS_DONE;
            start_transfer(srv);
            return;
        }
        if (!strncmp(line, "+CONTINUE", 9)) {
            const char *newid = line + 9;
            while (*newid == ' ') newid++;
            if (strlen(newid) == REPL_ID_LEN && strcmp(newid, rs->replid)) {
                memcpy(rs->replid2, rs->replid, sizeof(rs->replid));
                rs->second_replid_offset = rs->master_repl_offset + 1;
                memcpy(rs->replid, newid, REPL_ID_LEN);
                rs->replid[REPL_ID_LEN] = '\0';
                LOG(srv, LL_NOTICE, "Master replication ID changed to %s", rs->replid);
                /* Our replicas must learn the new id: they reconnect and
                 * continue from us through replid2. */
                disconnect_replicas(srv);
            }
            repl_ensure_backlog(srv);
            LOG(srv, LL_NOTICE, "Successful partial resynchronization with master.");
            repl_failover_done(srv);
            LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            rs->handshake_step = HS_DONE;
            become_connected(srv);
            return;
        }
        if (repl_failover_state(srv) == FAILOVER_IN_PROGRESS) {
            LOG(srv, LL_WARNING, "Unexpected reply to PSYNC from master: %s", line);
            repl_failover_abort(srv, "Failover target rejected psync request");
            return;
        }
        {
            char why[300];
            if (!strncmp(line, "-NOMASTERLINK", 13) || !strncmp(line, "-LOADING", 8))
                snprintf(why, sizeof(why),
                         "Master is currently unable to PSYNC but should be in the future: %s", line);
            else if (line[0] == '-')
                snprintf(why, sizeof(why), "Master does not support PSYNC or is in error state (reply: %s)",
                         line);
            else
                snprintf(why, sizeof(why), "Unexpected reply to PSYNC from master: %s", line);
            link_lost(srv, why);
        }
        return;
    }
    send_step(srv);
}

static void link_read(reactor *r, int fd, void *data, int mask) {
    server *srv = data;
    replState *rs = rstate(srv);
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        link_lost(srv, "Error condition on socket for SYNC: Connection lost");
        return;
    }
    rs->last_io_ms = mstime();
    rs->stat_net_repl_input_bytes += n;
    size_t off = 0;
    while (off < (size_t)n && rs->link_fd == fd) {
        if (rs->link_state == LINK_TRANSFER) {
            off += transfer_bytes(srv, buf + off, (size_t)n - off);
            if (rs->link_state == LINK_CONNECTED && off < (size_t)n && rs->master) {
                rs->master->querybuf = sdscatlen(rs->master->querybuf, buf + off, (size_t)n - off);
                client_process_input(rs->master);
                return;
            }
            continue;
        }
        rs->handshake_buf = sdscatlen(rs->handshake_buf, buf + off, (size_t)n - off);
        off = (size_t)n;
        char *nl;
        while (rs->link_state == LINK_HANDSHAKE && (nl = strstr(rs->handshake_buf, "\r\n"))) {
            *nl = '\0';
            /* Bare newlines are keepalives the master sends while it prepares. */
            const char *start = rs->handshake_buf;
            while (*start == '\n') start++;
            sds line = sdsnew(start);
            sdsrange(rs->handshake_buf, (ssize_t)(nl - rs->handshake_buf) + 2, -1);
            handshake_reply(srv, line);
            sdsfree(line);
            if (rs->link_state == LINK_TRANSFER && sdslen(rs->handshake_buf)) {
                sds rest = rs->handshake_buf;
                rs->handshake_buf = sdsempty();
                size_t used = transfer_bytes(srv, rest, sdslen(rest));
                if (rs->link_state == LINK_CONNECTED && rs->master && used < sdslen(rest)) {
                    rs->master->querybuf = sdscatlen(rs->master->querybuf, rest + used, sdslen(rest) - used);
                    client_process_input(rs->master);
                }
                sdsfree(rest);
            }
        }
    }
}

static void link_connected(reactor *r, int fd, void *data, int mask) {
    server *srv = data;
    replState *rs = rstate(srv);
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 || err) {
        char why[256];
        snprintf(why, sizeof(why), "Error condition on socket for SYNC: %s", strerror(err ? err : errno));
        link_lost(srv, why);
        return;
    }
    reactor_del(srv->el, fd, RE_WRITABLE);
    reactor_add(srv->el, fd, RE_READABLE, link_read, srv);
    LOG(srv, LL_NOTICE, "Non blocking connect for SYNC fired the event.");
    rs->link_state = LINK_HANDSHAKE;
    rs->handshake_step = HS_PING;
    send_step(srv);
}

static void connect_master(server *srv) {
    replState *rs = rstate(srv);
    char err[ANET_ERR_LEN] = {0};
    int fd = anet_tcp_connect(err, rs->masterhost, rs->masterport, 1);
    if (fd == -1) {
        LOG(srv, LL_WARNING, "Unable to connect to MASTER: %s", err);
        rs->connect_next_try_ms = mstime() + 1000;
        return;
    }
    anet_nodelay(NULL, fd);
    rs->link_fd = fd;
    rs->link_state = LINK_CONNECTING;
    rs->last_io_ms = mstime();
    if (!rs->handshake_buf) rs->handshake_buf = sdsempty();
    reactor_add(srv->el, fd, RE_WRITABLE, link_connected, srv);
    LOG(srv, LL_NOTICE, "MASTER <-> REPLICA sync started");
}

void repl_set_master(server *srv, const char *host, int port) {
    replState *rs = rstate(srv);
    int was_master = rs->masterhost == NULL;
    if (rs->masterhost) link_lost(srv, NULL);
    sdsfree(rs->masterhost);
    rs->masterhost = sdsnew(host);
    rs->masterport = port;
    srv->masterhost_set = 1;
    /* Clients blocked on keys would otherwise wait on a dataset that is
     * about to be replaced. */
    for (client *c = srv->clients; c; c = c->next)
        if (c->flags & CLIENT_BLOCKED) blocking_unblock(c, UNBLOCK_ERROR);
    repl_unblock_waiters(srv);
    /* Our replicas stay: with PSYNC2 they continue from us whatever we
     * continue from the new master (a full sync disconnects them then).
     * A master turned replica by a command may continue its own history
     * with the new master; at start-up (the config file, no client) there
     * is no history to continue, so the first PSYNC asks for a full sync. */
    int failover = repl_failover_state(srv) == FAILOVER_IN_PROGRESS;
    if (was_master && (srv->current_client || failover)) {
        rs->cached_master = 1;
        rs->master_db = 0;
        LOG(srv, LL_NOTICE,
            "Before turning into a replica, using my own master parameters to synthesize "
            "a cached master: I may be able to synchronize with the new master with just "
            "a partial transfer.");
    }
    rs->link_state = LINK_CONNECT;
    rs->connect_next_try_ms = 0;
    rs->link_down_since = mstime();
    if (srv->current_client || failover) {
        LOG(srv, LL_NOTICE, "Connecting to MASTER %s:%d", host, port);
        connect_master(srv); /* at start-up the cron connects */
    }
    if (srv->current_client) {
        sds who = client_info_string(sdsempty(), srv->current_client);
        LOG(srv, LL_NOTICE, "REPLICAOF %s:%d enabled (user request from '%s')", host, port, who);
        sdsfree(who);
    }
}

static void unset_master(server *srv) {
    replState *rs = rstate(srv);
    link_lost(srv, NULL);
    sdsfree(rs->masterhost);
    rs->masterhost = NULL;
    rs->link_state = LINK_NONE;
    srv->masterhost_set = 0;
    rs->cached_master = 0;
    repl_shift_ids(srv);
    disconnect_replicas(srv);
    rs->slaveseldb = -1;
    rs->backlog_no_replicas_since = mstime();
    srv->repl_down_since_ms = 0;
}

void repl_unset_master(server *srv) {
    if (!rstate(srv)->masterhost) return;
    unset_master(srv);
    if (srv->current_client) {
        sds who = client_info_string(sdsempty(), srv->current_client);
        LOG(srv, LL_NOTICE, "MASTER MODE enabled (user request from '%s')", who);
        sdsfree(who);
    }
}

void repl_unset_master_for_failover(server *srv, client *requester) {
    if (!rstate(srv)->masterhost) return;
    unset_master(srv);
    sds who = client_info_string(sdsempty(), requester);
    LOG(srv, LL_NOTICE, "MASTER MODE enabled (failover request from '%s')", who);
    sdsfree(who);
}

const char *repl_master_host(server *srv, int *port) {
    replState *rs = rstate(srv);
    *port = rs->masterport;
    return rs->masterhost;
}

void repl_master_processed(client *c, const char *raw, size_t len) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    rs->last_io_ms = mstime();
    repl_feed_raw(srv, raw, len);
}

/* Called by the REPLCONF GETACK handler on the master link. */
void repl_send_ack(server *srv) {
    replState *rs = rstate(srv);
    client *m = rs->master;
    if (!m) return;
    char off[32];
    snprintf(off, sizeof(off), "%lld", rs->master_repl_offset);
    sds buf =
        sdscatprintf(sdsempty(), "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$%zu\r\n%s\r\n", strlen(off), off);
    m->reply.muted = 0;
    reply_raw(&m->reply, buf, sdslen(buf));
    m->reply.muted = 1;
    client_install_write(m);
    sdsfree(buf);
}

void repl_replica_cron(server *srv) {
    replState *rs = rstate(srv);
    if (!rs || !rs->masterhost) return;
    long long now = mstime();
    if (rs->link_state == LINK_CONNECT && now >= rs->connect_next_try_ms) {
        LOG(srv, LL_NOTICE, "Connecting to MASTER %s:%d", rs->masterhost, rs->masterport);
        connect_master(srv);
    }
    if ((rs->link_state == LINK_CONNECTING || rs->link_state == LINK_HANDSHAKE) &&
        (now - rs->last_io_ms) / 1000 > srv->repl_timeout)
        link_lost(srv, "Timeout connecting to the MASTER...");
    if (rs->link_state == LINK_TRANSFER && (now - rs->last_io_ms) / 1000 > srv->repl_timeout)
        link_lost(srv, "Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                       "'repl-timeout' parameter in redis.conf to a larger value.");
    if (rs->link_state == LINK_CONNECTED) {
        if ((now - rs->last_io_ms) / 1000 > srv->repl_timeout) {
            link_lost(srv, "MASTER timeout: no data nor PING received...");
            return;
        }
        if (srv->cron_loops % srv->hz == 0) repl_send_ack(srv);
    }
}

sds repl_info_replica(server *srv, sds s) {
    replState *rs = rstate(srv);
    long long now = mstime();
    int up = rs->link_state == LINK_CONNECTED;
    s = sdscatprintf(s,
                     "master_host:%s\r\nmaster_port:%d\r\nmaster_link_status:%s\r\n"
                     "master_last_io_seconds_ago:%d\r\nmaster_sync_in_progress:%d\r\n"
                     "slave_read_repl_offset:%lld\r\nslave_repl_offset:%lld\r\n",
                     rs->masterhost, rs->masterport, up ? "up" : "down",
                     up ? (int)((now - rs->last_io_ms) / 1000) : -1, rs->link_state == LINK_TRANSFER,
                     rs->master_repl_offset, rs->master_repl_offset);
    if (rs->link_state == LINK_TRANSFER)
        s = sdscatprintf(
            s,
            "master_sync_total_bytes:%lld\r\nmaster_sync_read_bytes:%lld\r\n"
            "master_sync_left_bytes:%lld\r\nmaster_sync_perc:%.2f\r\nmaster_sync_last_io_seconds_ago:%d\r\n",
            rs->transfer_size, rs->transfer_read,
            rs->transfer_size > 0 ? rs->transfer_size - rs->transfer_read : -1,
            rs->transfer_size > 0 ? rs->transfer_read * 100.0 / rs->transfer_size : 0.0,
            (int)((now - rs->last_io_ms) / 1000));
    if (!up)
        s = sdscatprintf(s, "master_link_down_since_seconds:%lld\r\n",
                         rs->link_down_since ? (now - rs->link_down_since) / 1000 : -1);
    s = sdscatprintf(s, "slave_priority:%d\r\nslave_read_only:%d\r\nreplica_announced:1\r\n",
                     srv->replica_priority, srv->replica_read_only);
    return s;
}

void repl_master_freed(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (!rs || rs->master != c) return;
    rs->master = NULL;
    rs->master_db = c->db ? c->db->id : 0;
    rs->cached_master = 1;
    LOG(srv, LL_NOTICE, "Connection with master lost.");
    LOG(srv, LL_NOTICE, "Caching the disconnected master state.");
    rs->link_state = rs->masterhost ? LINK_CONNECT : LINK_NONE;
    rs->link_down_since = mstime();
    rs->connect_next_try_ms = mstime() + 1000;
}

int repl_stale_refused(server *srv) {
    replState *rs = srv->repl;
    return srv->masterhost_set && !srv->replica_serve_stale_data && rs && rs->link_state != LINK_CONNECTED;
}
