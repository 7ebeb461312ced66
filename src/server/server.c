/* server.c: start-up, the listeners, the cron, before-sleep, shutdown.
 *
 * serverCron runs `hz` times a second: cached clocks, client timeouts and
 * buffer housekeeping, active expiry (slow cycle), table resizing and
 * incremental rehashing, pause expiry, stats sampling. before_sleep runs
 * every loop iteration: the fast expire cycle, freeing clients marked to
 * close, and flushing every client's pending output with one write each. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/replica_expire.h"
#include "net/anet.h"
#include "proto/errors.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "server/acl.h"
#include "server/dispatch.h"
#include "server/hooks.h"

static server *the_server;
server *server_instance(void) { return the_server; }

void server_update_cached_time(server *srv) {
    srv->ustime = ustime();
    srv->mstime = srv->ustime / 1000;
    srv->lruclock = (unsigned)((srv->mstime / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX);
}

unsigned int server_lru_clock(server *srv) { return srv->lruclock; }

/* Protected mode holds while the default user needs no password. */
int server_check_protected_mode(server *srv, const char *ip) {
    if (!srv->protected_mode) return 0;
    if (acl_default_needs_auth(srv) || (srv->requirepass && srv->requirepass[0])) return 0;
    return !anet_is_loopback(ip);
}

/* Raises RLIMIT_NOFILE to what maxclients needs; when the system refuses,
 * lowers maxclients to what the limit allows, as Redis does. */
static void adjust_open_files_limit(server *srv) {
    rlim_t want = (rlim_t)srv->maxclients + CONFIG_MIN_RESERVED_FDS;
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == -1) return;
    if (lim.rlim_cur >= want) return;
    rlim_t old = lim.rlim_cur;
    for (rlim_t f = want; f > old; f -= f - old > 16 ? 16 : f - old) {
        lim.rlim_cur = lim.rlim_max = f;
        if (setrlimit(RLIMIT_NOFILE, &lim) == 0) {
            if (f < want) break;
            LOG(srv, LL_NOTICE, "Increased maximum number of open files to %llu (it was originally set to %llu).",
                (unsigned long long)want, (unsigned long long)old);
            return;
        }
    }
    getrlimit(RLIMIT_NOFILE, &lim);
    unsigned int allowed = lim.rlim_cur > CONFIG_MIN_RESERVED_FDS ? (unsigned)(lim.rlim_cur - CONFIG_MIN_RESERVED_FDS) : 1;
    LOG(srv, LL_WARNING,
        "You requested maxclients of %u requiring at least %llu max file descriptors.", srv->maxclients,
        (unsigned long long)want);
    LOG(srv, LL_WARNING,
        "Server can't set maximum open files to %llu because of OS error: %s.", (unsigned long long)want,
        strerror(errno));
    LOG(srv, LL_WARNING,
        "Current maximum open files is %llu. maxclients has been reduced to %u to compensate for low ulimit. If "
        "you need higher maxclients increase 'ulimit -n'.",
        (unsigned long long)lim.rlim_cur, allowed);
    srv->maxclients = allowed;
}

/* ---- accepting connections */
static void accept_common(server *srv, int fd, int flags, const char *ip) {
    if (srv->client_count >= srv->maxclients) {
        if (write(fd, ERR_MAXCLIENTS, strlen(ERR_MAXCLIENTS)) == -1) { /* best effort */
        }
        srv->stat_rejected_conn++;
        close(fd);
        return;
    }
    if (!(flags & CLIENT_UNIX_SOCKET) && server_check_protected_mode(srv, ip)) {
        if (write(fd, ERR_PROTECTED_DENIED, strlen(ERR_PROTECTED_DENIED)) == -1) {
        }
        srv->stat_rejected_conn++;
        close(fd);
        return;
    }
    client *c = client_create(srv, fd, flags);
    if (!c) {
        LOG(srv, LL_WARNING, "Error registering fd event for the new client: %s (fd=%d)", strerror(errno), fd);
        close(fd);
        return;
    }
    srv->stat_numconnections++;
}

static void accept_tcp(reactor *r, int lfd, void *data, int mask) {
    server *srv = data;
    char ip[NET_IP_STR_LEN], err[ANET_ERR_LEN];
    for (int max = 1000; max > 0; max--) {
        int port;
        int fd = anet_accept_tcp(err, lfd, ip, sizeof(ip), &port);
        if (fd == -1) {
            if (errno != EWOULDBLOCK && errno != EAGAIN) LOG(srv, LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        LOG(srv, LL_VERBOSE, "Accepted %s:%d", ip, port);
        accept_common(srv, fd, 0, ip);
    }
}

static void accept_unix(reactor *r, int lfd, void *data, int mask) {
    server *srv = data;
    char err[ANET_ERR_LEN];
    for (int max = 1000; max > 0; max--) {
        int fd = anet_accept_unix(err, lfd);
        if (fd == -1) {
            if (errno != EWOULDBLOCK && errno != EAGAIN) LOG(srv, LL_WARNING, "Accepting client connection: %s", err);
            return;
        }
        LOG(srv, LL_VERBOSE, "Accepted connection to %s", srv->unixsocket);
        accept_common(srv, fd, CLIENT_UNIX_SOCKET, "/unixsocket");
    }
}

/* Opens the TCP listeners for the configured port and bind addresses
 * into fds[] (not yet in the reactor). Returns the count, -1 on failure
 * (with what was opened closed again). */
static int open_tcp_listeners(server *srv, int *fds, int *saved_errno) {
    char err[ANET_ERR_LEN];
    char **addrs = srv->bindaddr;
    int count = srv->bindaddr_count, n = 0; /* bind "" : no TCP listener at all */
    if (srv->port == 0) return 0;
    for (int j = 0; j < count; j++) {
        const char *addr = addrs[j];
        int optional = addr[0] == '-';
        if (optional) addr++;
        err[0] = '\0';
        int fd = anet_tcp_listen(err, srv->port, addr, srv->tcp_backlog);
        if (fd != -1) {
            fds[n++] = fd;
            continue;
        }
        if (optional && (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ||
                         errno == ESOCKTNOSUPPORT || errno == EINVAL))
            continue;
        *saved_errno = errno;
        LOG(srv, LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s", addr, srv->port,
            err);
        if (errno == EADDRINUSE || !optional) {
            while (n > 0) close(fds[--n]);
            return -1;
        }
    }
    return n;
}

static sds listen_signature(server *srv) {
    sds s = sdscatprintf(sdsempty(), "%d", srv->port);
    for (int j = 0; j < srv->bindaddr_count; j++) s = sdscatprintf(s, " %s", srv->bindaddr[j]);
    return s;
}

static void install_listeners(server *srv, int *fds, int n) {
    for (int j = 0; j < n; j++) {
        srv->listeners[j] = fds[j];
        reactor_add(srv->el, fds[j], RE_READABLE, accept_tcp, srv);
    }
    srv->listener_count = n;
    sdsfree(srv->listen_signature);
    srv->listen_signature = listen_signature(srv);
}

int server_relisten(server *srv, sds *err) {
    if (!srv->listen_signature) return 0; /* not listening yet: start-up will */
    sds want = listen_signature(srv);
    int same = !strcmp(want, srv->listen_signature);
    sdsfree(want);
    if (same) return 0;
    int fds[CONFIG_MAX_BIND + 2], e = 0;
    int n = open_tcp_listeners(srv, fds, &e);
    if (n == -1) {
        *err = e == EADDRINUSE ? sdscatprintf(sdsempty(), "Unable to listen on this port: %s", strerror(e))
                               : sdsnew("Failed to bind to specified addresses.");
        return -1;
    }
    for (int j = 0; j < srv->listener_count; j++) {
        reactor_del(srv->el, srv->listeners[j], RE_READABLE);
        close(srv->listeners[j]);
    }
    install_listeners(srv, fds, n);
    return 0;
}

int server_listen(server *srv) {
    char err[ANET_ERR_LEN];
    int fds[CONFIG_MAX_BIND + 2], e = 0;
    int n = open_tcp_listeners(srv, fds, &e);
    if (n == -1) {
        LOG(srv, LL_WARNING, "Failed listening on port %d (tcp), aborting.", srv->port);
        return -1;
    }
    install_listeners(srv, fds, n);
    if (srv->unixsocket && srv->unixsocket[0]) {
        int fd = anet_unix_listen(err, srv->unixsocket, (int)srv->unixsocketperm, srv->tcp_backlog);
        if (fd == -1) {
            LOG(srv, LL_WARNING, "Failed opening Unix socket: %s", err);
            return -1;
        }
        srv->unix_listener = fd;
        reactor_add(srv->el, fd, RE_READABLE, accept_unix, srv);
    }
    if (srv->listener_count == 0 && srv->unix_listener == -1 && srv->port != 0 && srv->bindaddr_count) {
        LOG(srv, LL_WARNING, "Failed listening on port %d (tcp), aborting.", srv->port);
        return -1;
    }
    return 0;
}

/* ---- cron */
static void clients_cron(server *srv) {
    long long now = srv->mstime;
    client *c = srv->clients;
    while (c) {
        client *next = c->next;
        if (srv->maxidletime && !(c->flags & (CLIENT_SLAVE | CLIENT_MASTER | CLIENT_BLOCKED | CLIENT_PUBSUB)) &&
            (now - c->last_interaction) / 1000 > srv->maxidletime) {
            LOG(srv, LL_VERBOSE, "Closing idle client");
            client_free(c);
        } else {
            /* Give back the input buffer of idle clients. */
            if (sdsavail(c->querybuf) > 4096 && sdslen(c->querybuf) == 0 &&
                (now - c->last_interaction) > 2000) {
                sdsfree(c->querybuf);
                c->querybuf = sdsempty();
                c->querybuf_peak = 0;
            }
            client_check_output_limits(c);
        }
        c = next;
    }
}

static void sample_instantaneous(server *srv) {
    long long now = srv->mstime;
    long long dt = now - srv->inst_last_time;
    if (dt < 100) return;
    long long vals[3] = {srv->stat_numcommands, srv->stat_net_input_bytes, srv->stat_net_output_bytes};
    long long *last[3] = {&srv->inst_last_cmds, &srv->inst_last_in, &srv->inst_last_out};
    for (int i = 0; i < 3; i++) {
        srv->inst_samples[i][srv->inst_idx[i]] = (vals[i] - *last[i]) * 1000 / (dt ? dt : 1);
        srv->inst_idx[i] = (srv->inst_idx[i] + 1) % 16;
        *last[i] = vals[i];
    }
    srv->inst_last_time = now;
}

/* SIGTERM/SIGINT set shutdown_asap; a failed shutdown leaves the server up. */
static void shutdown_from_signal(server *srv) {
    LOG(srv, LL_WARNING, "Received %s scheduling shutdown...", srv->shutdown_signal == SIGINT ? "SIGINT" : "SIGTERM");
    if (server_shutdown(srv, srv->shutdown_flags) == -1) {
        LOG(srv, LL_WARNING, "SIGTERM received but errors trying to shut down the server, check the logs for more "
                             "information");
        srv->shutdown_asap = 0;
    }
}

static int server_cron(reactor *r, long long id, void *data) {
    server *srv = data;
    server_update_cached_time(srv);
    size_t used = zmalloc_used_memory();
    if ((long long)used > srv->stat_peak_memory) srv->stat_peak_memory = (long long)used;
    /* SIGTERM/SIGINT act here, as in Redis (so DEBUG PAUSE-CRON holds them
     * and SHUTDOWN ABORT can still cancel), also while loading. */
    if (srv->shutdown_asap && !srv->cron_paused) shutdown_from_signal(srv);
    if (srv->cron_paused || srv->loading) return 1000 / srv->hz; /* nothing to maintain mid-load */
    sample_instantaneous(srv);
    clients_cron(srv);
    if (srv->paused_actions && srv->pause_end_ms && srv->mstime >= srv->pause_end_ms) dispatch_unpause(srv);
    db_active_expire_cycle(srv, 0);
    replica_expire_cycle(srv);
    db_cron_resize(srv);
    hooks_cron(srv);
    srv->cron_loops++;
    return 1000 / srv->hz;
}

static void free_closing_clients(server *srv) {
    while (srv->to_close) {
        client *c = srv->to_close;
        srv->to_close = c->close_next;
        c->flags &= ~CLIENT_CLOSE_ASAP; /* already unlinked */
        client_free(c);
    }
}

void server_flush_pending_writes(server *srv) {
    while (srv->pending_writes) {
        client *c = srv->pending_writes;
        srv->pending_writes = c->pending_next;
        c->flags &= ~CLIENT_IN_PENDING_LIST;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (client_check_output_limits(c)) continue;
        if (reactor_mask(srv->el, c->fd) & RE_WRITABLE) continue; /* handler will do it */
        client_write(c, 0);
    }
}

static void before_sleep(reactor *r) {
    server *srv = r->data;
    server_update_cached_time(srv);
    if (!srv->loading) {
        if (srv->active_expire_enabled && !srv->masterhost_set) db_active_expire_cycle(srv, 1);
        hooks_before_sleep(srv);
    }
    server_flush_pending_writes(srv);
    free_closing_clients(srv);
}

static void generate_runid(char *runid) {
    random_hex(runid, 40);
    runid[40] = '\0';
}

int server_init(server *srv) {
    the_server = srv;
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    srv->pid = getpid();
    srv->arch_bits = (int)(sizeof(long) * 8);
    generate_runid(srv->runid);
    uint8_t seed[16];
    random_bytes(seed, sizeof(seed));
    dict_set_hash_seed(seed);
    server_update_cached_time(srv);
    srv->start_time_ms = srv->mstime;
    srv->stat_starttime_ms = srv->mstime;
    srv->lastsave = time(NULL);
    srv->unix_listener = -1;
    adjust_open_files_limit(srv);
    srv->el = reactor_create((int)srv->maxclients + CONFIG_FDSET_INCR, srv);
    if (!srv->el) {
        LOG(srv, LL_WARNING, "Failed creating the event loop. Error message: '%s'", strerror(errno));
        return -1;
    }
    srv->el->before_sleep = before_sleep;
    srv->dbs = zcalloc(sizeof(db) * (size_t)srv->dbnum);
    for (int j = 0; j < srv->dbnum; j++) db_init(&srv->dbs[j], j, srv);
    command_table_init();
    hooks_init(srv);
    reactor_add_timer(srv->el, 1, server_cron, srv);
    return 0;
}

void server_run(server *srv) { reactor_run(srv->el); }

/* Gives replicas a last chance to receive what is queued for them. */
static void flush_replicas(server *srv) {
    long long deadline = mstime() + 1000;
    for (client *c = srv->clients; c; c = c->next) {
        if (!(c->flags & CLIENT_SLAVE) || c->fd == -1) continue;
        while (client_has_pending_replies(c) && mstime() < deadline)
            if (client_write(c, 0) == -1) break;
    }
}

int server_shutdown(server *srv, int flags) {
    LOG(srv, LL_WARNING, "User requested shutdown...");
    if (srv->loading) flags = (flags & ~SHUTDOWN_SAVE) | SHUTDOWN_NOSAVE; /* never save a half-loaded dataset */
    snapshot_kill_child(srv);
    aof_shutdown(srv);
    if (!(flags & SHUTDOWN_NOSAVE) && (snapshot_has_save_points(srv) || (flags & SHUTDOWN_SAVE))) {
        LOG(srv, LL_NOTICE, "Saving the final RDB snapshot before exiting.");
        if (snapshot_save(srv) == -1) {
            if (!(flags & SHUTDOWN_FORCE)) {
                LOG(srv, LL_WARNING, "Error trying to save the DB, can't exit.");
                LOG(srv, LL_WARNING, "Errors trying to shut down the server. Check the logs for more information.");
                return -1;
            }
            LOG(srv, LL_WARNING, "Error trying to save the DB. Exit anyway.");
        }
    }
    flush_replicas(srv);
    for (int j = 0; j < srv->listener_count; j++) close(srv->listeners[j]);
    if (srv->unix_listener != -1) {
        close(srv->unix_listener);
        unlink(srv->unixsocket);
    }
    if (srv->pidfile && srv->pidfile[0]) unlink(srv->pidfile);
    hooks_shutdown(srv);
    LOG(srv, LL_WARNING, "%s is now ready to exit, bye bye...", "Redis");
    exit(0);
}
