/* dispatch.h: from a parsed command line to its execution: lookup, arity,
 * authentication, the context checks Redis makes (MULTI queueing, pub/sub
 * mode, pause, read-only replica, OOM), the call itself with its
 * statistics, and propagation of writes. */
#ifndef STASH_DISPATCH_H
#define STASH_DISPATCH_H

#include <stddef.h>

#include "core/sds.h"

struct client;
struct server;
struct commandDef;

void dispatch_command(struct client *c);
/* Runs c->cmd with c->argv now (used by EXEC and scripts as well). */
void dispatch_call(struct client *c);
void dispatch_count_error(struct client *c, const char *err, size_t len);
/* CLIENT PAUSE until end_ms (absolute): all commands, or only write-like
 * ones. Never weakens a pause in force. */
void dispatch_pause(struct server *srv, long long end_ms, int write_only);
/* Ends the pause; postponed clients run again in the order they came
 * (right away, or when the current command is done). */
void dispatch_unpause(struct server *srv);
/* A postponed client is being freed. */
void dispatch_forget_paused(struct client *c);
/* CONFIG RESETSTAT: forget the error counts (INFO errorstats). */
void dispatch_reset_error_stats(struct server *srv);
/* INFO errorstats lines. */
sds dispatch_errorstats_info(struct server *srv, sds s);
/* Standard argument errors, worded as Redis words them. */
void reply_arity_error(struct client *c);
void reply_subcommand_error(struct client *c);

#endif
