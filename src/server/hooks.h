/* hooks.h: the points where optional subsystems (pub/sub, MULTI, WATCH,
 * blocking, MONITOR, slowlog, ACL, replication) attach to the client
 * lifecycle and to command execution. hooks.c calls each subsystem's own
 * function directly, so this file is the one list of what runs when; the
 * client and dispatch code stay free of subsystem details. */
#ifndef STASH_HOOKS_H
#define STASH_HOOKS_H

#include "core/sds.h"

struct client;
struct server;

void hooks_client_created(struct client *c);
void hooks_client_freed(struct client *c);
/* kind 0 channels, 1 patterns, 2 shard channels */
int hooks_client_subscriptions(struct client *c, int kind);
int hooks_client_multi_count(struct client *c);
int auth_required_for_new_client(struct server *srv);
/* Before a command runs (MONITOR feed). */
void hooks_before_call(struct client *c);
/* After a command ran: slowlog, latency monitor, keyspace bookkeeping. */
void hooks_after_call(struct client *c, long long duration_us);
/* Once per event-loop iteration, before sleeping. */
void hooks_before_sleep(struct server *srv);
/* Once per cron tick. */
void hooks_cron(struct server *srv);
/* Server start-up/shutdown of subsystems. */
void hooks_init(struct server *srv);
void hooks_shutdown(struct server *srv);

#endif
