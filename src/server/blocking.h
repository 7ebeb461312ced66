/* blocking.h: clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...).
 *
 * A blocking command that finds nothing to serve calls blocking_block with
 * its keys and deadline; the client stops processing input and keeps its
 * argv. Whenever a key is created (db_add) the db signals it ready; after
 * the current command (or whole EXEC/script) finishes, blocking_serve_ready
 * re-runs the command of each client blocked on a ready key, oldest first.
 * A command that still finds nothing simply blocks again. Deadlines sit in
 * a min-heap served by one reactor timer, so timeouts cost O(log n) and no
 * client is polled. */
#ifndef STASH_BLOCKING_H
#define STASH_BLOCKING_H

#include "core/sds.h"

struct client;
struct server;
struct db;

/* What a timeout replies: a null array (BLPOP family) or a null bulk
 * (BLMOVE, BRPOPLPUSH). */
#define BLOCK_REPLY_NULL_ARRAY 0
#define BLOCK_REPLY_NULL 1

void blocking_init(struct server *srv);
/* Blocks c on keys until deadline_ms (absolute, 0 = forever). `type` is
 * the object type the command waits for (OBJ_LIST, OBJ_ZSET, ...). When the
 * client is already being re-run for a ready key it keeps its deadline and
 * its place is taken at the back of the queue, as Redis does. */
void blocking_block(struct client *c, sds *keys, int numkeys, long long deadline_ms, int type, int timeout_reply);
/* True when the current command must not block (inside MULTI/EXEC or a
 * script): it answers as on timeout instead. */
int blocking_not_allowed(struct client *c);
/* A key got a value: queue it so blocked clients are served. */
void blocking_signal_key(struct db *d, const sds key, int type);
/* Serves every client waiting on a ready key. Called after each top-level
 * command; does nothing while one is already running. */
void blocking_serve_ready(struct server *srv);
/* Unblocks a client: as on timeout (reply per its timeout_reply), with an
 * error reply, or silently (client being freed). */
#define UNBLOCK_TIMEOUT 0
#define UNBLOCK_ERROR 1
#define UNBLOCK_SILENT 2
void blocking_unblock(struct client *c, int how);
long long blocking_count_clients(struct server *srv);
void blocking_client_freed(struct client *c);
long long blocking_count_keys(struct server *srv);
/* 1 while c is being re-run for a ready key (commands keep their state). */
int blocking_is_reprocessing(struct client *c);

#endif
