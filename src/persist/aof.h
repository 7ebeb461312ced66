/* aof.h: the append-only file, in Redis 7's multi-part layout: a directory
 * (appenddirname) holding one BASE file (an RDB image), INCR files with the
 * commands since, and a manifest naming them in order. redis-check-aof and
 * Redis itself read the same layout. */
#ifndef STASH_AOF_H
#define STASH_AOF_H

#include "core/sds.h"

struct server;

void aof_init(struct server *srv);             /* loads at start-up when enabled */
int aof_set_enabled(struct server *srv, int on); /* CONFIG SET appendonly */
void aof_before_sleep(struct server *srv);      /* write (and fsync) buffered commands */
void aof_cron(struct server *srv);              /* child reaping, auto rewrite, everysec fsync */
int aof_rewrite_background(struct server *srv); /* BGREWRITEAOF: 0 started, -1 failed */
int aof_rewrite_in_progress(struct server *srv);
void aof_schedule_rewrite(struct server *srv);
void aof_shutdown(struct server *srv);
/* DEBUG LOADAOF: flush, empty the dataset and replay the AOF. 0 or -1. */
int aof_reload(struct server *srv);          /* final write + fsync */
sds aof_info(struct server *srv, sds s);        /* INFO persistence aof_* lines */
/* True while a fork (BGSAVE or AOF rewrite) runs: only one child at a time. */
int persist_child_active(struct server *srv);

#endif
