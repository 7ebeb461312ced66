/* propagate.h: feeding the effects of commands to the AOF and to replicas.
 * The command dispatcher propagates each write command as executed (or as
 * rewritten by the command via client_rewrite_argv); the keyspace code
 * propagates deletions it makes on its own (expiry, eviction). Sinks
 * register themselves (AOF, replication); with none registered this is a
 * no-op. */
#ifndef STASH_PROPAGATE_H
#define STASH_PROPAGATE_H

#include "core/sds.h"

struct server;
struct db;

void propagate_add_sink(struct server *srv, void (*sink)(struct server *, int, sds *, int));
void propagate_command(struct server *srv, int dbid, sds *argv, int argc);
void propagate_deletion(struct server *srv, struct db *d, const sds key, int lazy);
/* Writes made between begin and end (EXEC, a script) reach the AOF and
 * replicas wrapped in MULTI/EXEC, so they apply atomically there too. The
 * MULTI is only sent if at least one write happens. */
void propagate_tx_begin(struct server *srv);
void propagate_tx_end(struct server *srv);

#endif
