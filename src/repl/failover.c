/* failover.c: FAILOVER, a coordinated switch of the master role to one of
 * our replicas (Redis 6.2+).
 *
 *   no-failover --FAILOVER--> waiting-for-sync --target acked our offset
 *   (or TIMEOUT with FORCE)--> failover-in-progress --target answered
 *   PSYNC ... FAILOVER--> no-failover
 *
 * Writes are paused from the command on. Once the target (or, without TO,
 * the first replica whose acknowledged offset equals ours) has everything,
 * we turn into its replica and send it PSYNC <replid> <offset> FAILOVER
 * (replica.c), which makes it a master continuing our history through
 * replid2 (master.c, repl_sync_command); its +CONTINUE ends the failover
 * and the pause. FAILOVER ABORT, a timeout without FORCE or a refused
 * PSYNC give the role back and end the pause. The master cron drives the
 * waiting state (repl_failover_cron). */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "repl/repl.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

static replState *rstate(server *srv) { return srv->repl; }
static replicaInfo *rinfo(client *c) { return c->repl_state; }

const char *repl_failover_state_name(int st) {
    switch (st) {
    case FAILOVER_NONE: return "no-failover";
    case FAILOVER_WAIT_FOR_SYNC: return "waiting-for-sync";
    case FAILOVER_IN_PROGRESS: return "failover-in-progress";
    default: return "unknown";
    }
}

int repl_failover_state(server *srv) { return rstate(srv) ? rstate(srv)->failover_state : FAILOVER_NONE; }

static client *find_replica(server *srv, const char *host, int port) {
    replState *rs = rstate(srv);
    for (int i = 0; i < rs->nreplicas; i++) {
        client *r = rs->replicas[i];
        if (!strcasecmp(rinfo(r)->ip, host) && r->slave_listening_port == port) return r;
    }
    return NULL;
}

/* Ends the failover, successful or not, and the write pause with it. */
void repl_failover_done(server *srv) {
    replState *rs = rstate(srv);
    if (rs->failover_state == FAILOVER_NONE) return;
    rs->failover_state = FAILOVER_NONE;
    rs->failover_end_ms = 0;
    rs->failover_force = 0;
    sdsfree(rs->failover_host);
    rs->failover_host = NULL;
    rs->failover_port = 0;
    dispatch_unpause(srv);
}

void repl_failover_abort(server *srv, const char *why) {
    replState *rs = rstate(srv);
    if (rs->failover_state == FAILOVER_NONE) return;
    if (rs->failover_host)
        LOG(srv, LL_NOTICE, "FAILOVER to %s:%d aborted: %s", rs->failover_host, rs->failover_port, why);
    else
        LOG(srv, LL_NOTICE, "FAILOVER to any replica aborted: %s", why);
    if (rs->failover_state == FAILOVER_IN_PROGRESS) repl_unset_master(srv);
    repl_failover_done(srv);
}

static void failover_switch(server *srv) {
    replState *rs = rstate(srv);
    rs->failover_state = FAILOVER_IN_PROGRESS;
    repl_set_master(srv, rs->failover_host, rs->failover_port);
}

void repl_failover_cron(server *srv) {
    replState *rs = rstate(srv);
    if (rs->failover_state != FAILOVER_WAIT_FOR_SYNC) return;
    if (rs->failover_end_ms && rs->failover_end_ms <= mstime()) {
        if (!rs->failover_force) {
            repl_failover_abort(srv, "Replica never caught up before timeout");
            return;
        }
        LOG(srv, LL_NOTICE, "FAILOVER to %s:%d time out exceeded, failing over.", rs->failover_host,
            rs->failover_port);
        failover_switch(srv);
        return;
    }
    client *target = NULL;
    if (rs->failover_host) {
        target = find_replica(srv, rs->failover_host, rs->failover_port);
    } else {
        for (int i = 0; i < rs->nreplicas && !target; i++)
            if (rinfo(rs->replicas[i])->ack_offset == rs->master_repl_offset) target = rs->replicas[i];
        if (target) {
            rs->failover_host = sdsnew(rinfo(target)->ip);
            rs->failover_port = target->slave_listening_port;
        }
    }
    if (!target || rinfo(target)->ack_offset != rs->master_repl_offset) return;
    LOG(srv, LL_NOTICE, "Failover target %s:%d is synced, failing over.", rs->failover_host,
        rs->failover_port);
    failover_switch(srv);
}

void repl_failover_command(client *c) {
    server *srv = c->srv;
    replState *rs = rstate(srv);
    if (c->argc == 2 && !strcasecmp(c->argv[1], "abort")) {
        if (rs->failover_state == FAILOVER_NONE) {
            reply_error(&c->reply, "No failover in progress.");
            return;
        }
        repl_failover_abort(srv, "Failover manually aborted");
        reply_ok(&c->reply);
        return;
    }
    long long timeout = 0, port = 0;
    int force = 0;
    const char *host = NULL;
    for (int j = 1; j < c->argc; j++) {
        if (!strcasecmp(c->argv[j], "timeout") && j + 1 < c->argc && timeout == 0) {
            if (!string2ll(c->argv[j + 1], sdslen(c->argv[j + 1]), &timeout)) {
                reply_error(&c->reply, "value is not an integer or out of range");
                return;
            }
            if (timeout <= 0) {
                reply_error(&c->reply, "FAILOVER timeout must be greater than 0");
                return;
            }
            j++;
        } else if (!strcasecmp(c->argv[j], "to") && j + 2 < c->argc && !host) {
            if (!string2ll(c->argv[j + 2], sdslen(c->argv[j + 2]), &port)) {
                reply_error(&c->reply, "value is not an integer or out of range");
                return;
            }
            host = c->argv[j + 1];
            j += 2;
        } else if (!strcasecmp(c->argv[j], "force") && !force) {
            force = 1;
        } else {
            reply_error(&c->reply, "syntax error");
            return;
        }
    }
    if (rs->failover_state != FAILOVER_NONE) {
        reply_error(&c->reply, "FAILOVER already in progress.");
        return;
    }
    if (repl_is_replica(srv)) {
        reply_error(&c->reply, "FAILOVER is not valid when server is a replica.");
        return;
    }
    if (rs->nreplicas == 0) {
        reply_error(&c->reply, "FAILOVER requires connected replicas.");
        return;
    }
    if (force && (!timeout || !host)) {
        reply_error(&c->reply, "FAILOVER with force option requires both a timeout and target HOST and IP.");
        return;
    }
    if (host) {
        client *r = find_replica(srv, host, (int)port);
        if (!r) {
            reply_error(&c->reply, "FAILOVER target HOST and PORT is not a replica.");
            return;
        }
        if (rinfo(r)->state != SLAVE_ONLINE) {
            reply_error(&c->reply, "FAILOVER target replica is not online.");
            return;
        }
        rs->failover_host = sdsnew(host);
        rs->failover_port = (int)port;
        LOG(srv, LL_NOTICE, "FAILOVER requested to %s:%lld.", host, port);
    } else {
        LOG(srv, LL_NOTICE, "FAILOVER requested to any replica.");
    }
    rs->failover_end_ms = timeout ? mstime() + timeout : 0;
    rs->failover_force = force;
    rs->failover_state = FAILOVER_WAIT_FOR_SYNC;
    dispatch_pause(srv, LLONG_MAX, 1);
    reply_ok(&c->reply);
}
