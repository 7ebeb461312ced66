/* multi.h: MULTI/EXEC transactions and WATCH.
 *
 * While a client is in MULTI, the dispatcher hands each command to
 * multi_queue instead of running it; EXEC runs the queue back to back (no
 * other client runs in between, the loop is single-threaded) unless a
 * watched key was modified (null reply) or a command was refused while
 * queueing (EXECABORT). WATCH keeps, per db, which clients watch which key;
 * every write path calls watch_touch_key through db_signal_modified. */
#ifndef STASH_MULTI_H
#define STASH_MULTI_H

#include "core/sds.h"

struct client;
struct server;
struct db;
struct commandDef;

void multi_init(struct server *srv);
/* 1 if the command must be queued rather than run (client in MULTI and the
 * command is not one of EXEC/DISCARD/MULTI/WATCH/QUIT/RESET). */
int multi_should_queue(struct client *c, struct commandDef *cmd);
void multi_queue(struct client *c);
/* Marks the transaction as failed (an error while queueing). */
void multi_flag_error(struct client *c);
void multi_discard(struct client *c);
int multi_queued_count(struct client *c);
void multi_client_freed(struct client *c);
/* EXEC: runs the queue through `call` (the dispatcher's call). */
void multi_exec(struct client *c, void (*call)(struct client *c));
void watch_key(struct client *c, const sds key);

void watch_touch_key(struct db *d, const sds key);
/* FLUSHDB/FLUSHALL/SWAPDB: every watched key of d that exists (or existed
 * in `other` for SWAPDB) makes its watchers dirty. */
void watch_touch_db(struct db *d, struct db *other);
void watch_unwatch_all(struct client *c);
long watch_client_count(struct client *c);
/* EXEC: 1 if a key that was live when WATCHed has expired since. */
int watch_any_expired(struct client *c);
long watch_total_keys(struct server *srv);
long watch_watching_clients(struct server *srv);

#endif
