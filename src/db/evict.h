/* evict.h: the memory cap. When maxmemory is set, every command first
 * gives eviction a chance to bring used memory under the cap; commands
 * flagged denyoom are refused with -OOM when it cannot. Keys are chosen by
 * maxmemory-policy with Redis's approximations: a sampled pool of the best
 * candidates for LRU/LFU/TTL, or plain random picks. The object's 24 LRU
 * bits hold either an LRU clock or, under LFU policies, a 16-bit minute
 * stamp and an 8-bit logarithmic access counter. */
#ifndef STASH_EVICT_H
#define STASH_EVICT_H

#include "types/object.h"

struct server;

#define MAXMEMORY_VOLATILE_LRU 0
#define MAXMEMORY_VOLATILE_LFU 1
#define MAXMEMORY_VOLATILE_RANDOM 2
#define MAXMEMORY_VOLATILE_TTL 3
#define MAXMEMORY_ALLKEYS_LRU 4
#define MAXMEMORY_ALLKEYS_LFU 5
#define MAXMEMORY_ALLKEYS_RANDOM 6
#define MAXMEMORY_NO_EVICTION 7

#define LFU_INIT_VAL 5

int evict_policy_is_lfu(int policy);
/* The LRU field for a new object under the current policy. */
unsigned evict_initial_lru(struct server *srv);
/* Records an access (LRU clock or LFU counter). */
void evict_touch(struct server *srv, kvobj *o);
/* Idle time in ms (LRU) / decayed counter (LFU), for OBJECT IDLETIME/FREQ. */
long long evict_idle_ms(struct server *srv, const kvobj *o);
unsigned evict_lfu_count(struct server *srv, const kvobj *o);
/* Frees memory down to maxmemory. Returns 0 when under the limit (or no
 * limit), -1 when it could not get there. */
int evict_perform(struct server *srv);
/* Memory that counts against maxmemory (excludes replica output buffers
 * and the AOF buffer, as Redis does). */
size_t evict_used_memory(struct server *srv);

#endif
