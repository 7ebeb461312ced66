/* replication.c: REPLICAOF/SLAVEOF, ROLE, SYNC/PSYNC, REPLCONF, WAIT and FAILOVER.
 * The protocol work lives in repl/master.c and repl/replica.c. */
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "repl/repl.h"
#include "server/client.h"
#include "server/server.h"

static void replicaof_command(client *c) {
    server *srv = c->srv;
    replState *rs = srv->repl;
    if (rs->failover_state != FAILOVER_NONE) {
        reply_error(&c->reply, "REPLICAOF not allowed while failing over.");
        return;
    }
    if (!strcasecmp(c->argv[1], "no") && !strcasecmp(c->argv[2], "one")) {
        repl_unset_master(srv);
        reply_ok(&c->reply);
        return;
    }
    if (c->flags & CLIENT_SLAVE) {
        reply_error(&c->reply, "Command is not valid when client is a replica.");
        return;
    }
    long long port;
    if (arg_ll_range(c, c->argv[2], 0, 65535, &port, "Invalid master port") == -1) return;
    if (rs->masterhost && !strcasecmp(rs->masterhost, c->argv[1]) && rs->masterport == port) {
        LOG(srv, LL_NOTICE,
            "REPLICAOF would result into synchronization with the master we are already "
            "connected with. No operation performed.");
        reply_status(&c->reply, "OK Already connected to specified master");
        return;
    }
    repl_set_master(srv, c->argv[1], (int)port);
    reply_ok(&c->reply);
}

static void role_command(client *c) { repl_role_reply(c); }
static void sync_command(client *c) { repl_sync_command(c); }
static void replconf_command(client *c) {
    if (c->flags & CLIENT_MASTER) {
        /* REPLCONF GETACK from our master: answer with our offset. */
        if (c->argc >= 2 && !strcasecmp(c->argv[1], "getack")) repl_send_ack(c->srv);
        return;
    }
    repl_replconf_command(c);
}

static void wait_command(client *c) { repl_wait_command(c); }
static void failover_command(client *c) { repl_failover_command(c); }

commandDef replication_commands[] = {
    {"wait", wait_command, 3, "", "@slow @connection", NOKEYS, "generic", "3.0.0",
     "Blocks until the asynchronous replication of all preceding write commands sent by the connection is "
     "completed.",
     "O(1)", "request_policy:all_shards response_policy:agg_min"},
    {"replicaof", replicaof_command, 3, "admin noscript stale no_async_loading", "@admin @slow @dangerous",
     NOKEYS, "server", "5.0.0", "Configures a server as replica of another, or promotes it to a master.",
     "O(1)"},
    {"slaveof", replicaof_command, 3, "admin noscript stale no_async_loading", "@admin @slow @dangerous",
     NOKEYS, "server", "1.0.0",
     "Sets a Redis server as a replica of another, or promotes it to being a master.", "O(1)"},
    {"failover", failover_command, -1, "admin noscript stale", "@admin @slow @dangerous", NOKEYS, "server",
     "6.2.0", "Starts a coordinated failover from a server to one of its replicas.", "O(1)"},
    {"role", role_command, 1, "noscript loading stale fast sentinel", "@admin @fast @dangerous", NOKEYS,
     "server", "2.8.12", "Returns the replication role.", "O(1)"},
    {"sync", sync_command, 1, "admin noscript no_async_loading no_multi", "@admin @slow @dangerous", NOKEYS,
     "server", "1.0.0", "An internal command used in replication.", NULL},
    {"psync", sync_command, -3, "admin noscript no_async_loading no_multi", "@admin @slow @dangerous", NOKEYS,
     "server", "2.8.0", "An internal command used in replication.", NULL},
    {"replconf", replconf_command, -1, "admin noscript loading stale allow_busy", "@admin @slow @dangerous",
     NOKEYS, "server", "3.0.0", "An internal command for configuring the replication stream.", "O(1)"},
    {0}};
