/* loading.h: the state of a dataset load (RDB at start-up or DEBUG RELOAD,
 * AOF replay, a replica's full sync) for INFO's loading_* fields, the
 * -LOADING refusal, and keeping the server responsive while it loads: see
 * loading.c. */
#ifndef STASH_LOADING_H
#define STASH_LOADING_H

#include "core/sds.h"

struct server;

/* serve_clients: answer clients (with -LOADING) while loading; only where
 * the event loop may run (start-up, replica sync), not inside a command. */
void loading_start(struct server *srv, long long total_bytes, int serve_clients);
/* Called by loaders as they go (cheap; acts every 2 MB or 100 ms). */
void loading_progress(struct server *srv, long long loaded_bytes);
void loading_end(struct server *srv);
sds loading_info(struct server *srv, sds s); /* INFO persistence loading_* lines (when loading) */

#endif
