/* evict.h: the memory cap. When maxmemory is set, every command first
 * gives eviction a chance to bring used memory under the cap; commands
 * flagged denyoom are refused with -OOM when it cannot. Keys are chosen by
 * maxmemory-policy with Redis's approximations: a sampled pool of the best
 * candidates for LRU/LFU/TTL, or plain random picks. Access bookkeeping
 * (LRU clock or LFU counter in the object's 24 LRU bits) is db.c's. */
#ifndef STASH_EVICT_H
#define STASH_EVICT_H

#include "db/db.h"

struct server;

/* Frees memory down to maxmemory. Returns 0 when under the limit (or no
 * limit), -1 when it could not get there. */
int evict_perform(struct server *srv);
/* Memory that counts against maxmemory (excludes replica output buffers
 * and the AOF buffer, as Redis does). */
size_t evict_used_memory(struct server *srv);

#endif
