/* dispatch.h: from a parsed command line to its execution: lookup, arity,
 * authentication, the context checks Redis makes (MULTI queueing, pub/sub
 * mode, pause, read-only replica, OOM), the call itself with its
 * statistics, and propagation of writes. */
#ifndef STASH_DISPATCH_H
#define STASH_DISPATCH_H

#include <stddef.h>

struct client;
struct server;
struct commandDef;

void dispatch_command(struct client *c);
/* Runs c->cmd with c->argv now (used by EXEC and scripts as well). */
void dispatch_call(struct client *c);
void dispatch_count_error(struct client *c, const char *err, size_t len);
/* 1 if a CLIENT PAUSE keeps this client from running anything now. */
int dispatch_client_paused(struct client *c);
void dispatch_pause(struct server *srv, long long end_ms, int write_only);
void dispatch_unpause(struct server *srv);
/* Standard argument errors, worded as Redis words them. */
void reply_arity_error(struct client *c);
void reply_subcommand_error(struct client *c);

#endif
