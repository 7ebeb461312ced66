/* hooks.c: see hooks.h. Each function lists, in order, the subsystems
 * that take part in that moment. */
#include "hooks.h"

#include "db/lazyfree.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "repl/repl.h"
#include "script/scripting.h"
#include "server/acl.h"
#include "commands/command.h"
#include "server/blocking.h"
#include "server/cmdlog.h"
#include "server/latency.h"
#include "server/client.h"
#include "server/multi.h"
#include "server/pubsub.h"
#include "server/server.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

void hooks_init(server *srv) {
    zset_register();
    hash_register();
    set_register();
    list_register();
    lazyfree_init(srv);
    pubsub_init(srv);
    blocking_init(srv);
    multi_init(srv);
    snapshot_init(srv);
    repl_init(srv);
    script_init(srv);
    acl_init(srv);
    if (srv->replicaof_host) repl_set_master(srv, srv->replicaof_host, srv->replicaof_port);
}

void hooks_shutdown(server *srv) {
    lazyfree_shutdown(srv);
}

void hooks_client_created(client *c) { (void)c; }

void hooks_client_freed(client *c) {
    if (c->flags & CLIENT_SLAVE) repl_replica_freed(c);
    if (c->flags & CLIENT_MASTER) repl_master_freed(c);
    repl_waiter_freed(c);
    monitor_client_freed(c);
    blocking_client_freed(c);
    multi_client_freed(c);
    pubsub_client_freed(c);
}

int hooks_client_subscriptions(client *c, int kind) { return pubsub_client_count(c, kind); }

int hooks_client_multi_count(client *c) { return multi_queued_count(c); }

int auth_required_for_new_client(server *srv) {
    return acl_default_needs_auth(srv) || (srv->requirepass != NULL && srv->requirepass[0] != '\0');
}

void hooks_before_call(client *c) { (void)c; }

void hooks_after_call(client *c, long long duration_us) {
    server *srv = c->srv;
    if (srv->loading) return; /* AOF replay is not traffic */
    slowlog_push(c, duration_us);
    commandDef *cmd = c->realcmd ? c->realcmd : c->cmd;
    latency_record_command(srv, cmd, duration_us * 1000);
    if (srv->latency_monitor_threshold > 0)
        latency_add_sample(srv, (cmd->flags & CMD_FAST) ? "fast-command" : "command", duration_us / 1000);
    monitor_feed(c);
}

void hooks_before_sleep(server *srv) {
    repl_before_sleep(srv);
    aof_before_sleep(srv);
}

void hooks_cron(server *srv) {
    snapshot_cron(srv);
    aof_cron(srv);
    repl_master_cron(srv);
    repl_replica_cron(srv);
}
