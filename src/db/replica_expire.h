/* replica_expire.h: expiry of keys written on a writable replica (see
 * replica_expire.c). */
#ifndef STASH_REPLICA_EXPIRE_H
#define STASH_REPLICA_EXPIRE_H

#include "core/sds.h"

struct server;

/* A key got an expire in db dbid: tracked when a replica's own client set it. */
void replica_expire_track(struct server *srv, int dbid, const sds key);
/* Cron: deletes tracked keys whose time has come. */
void replica_expire_cycle(struct server *srv);
void replica_expire_forget(struct server *srv);

#endif
