/* lazyfree.h: freeing big values off the main thread (UNLINK, FLUSHALL
 * ASYNC, lazyfree-lazy-* options). Small values are freed at once: a
 * hand-off costs more than freeing a few allocations. */
#ifndef STASH_LAZYFREE_H
#define STASH_LAZYFREE_H

#include "core/dict.h"
#include "types/object.h"

struct server;

#define LAZYFREE_THRESHOLD 64 /* elements above which a value is freed in the background */

void lazyfree_init(struct server *srv);
void lazyfree_shutdown(struct server *srv);
void lazyfree_object(struct server *srv, kvobj *o);
void lazyfree_dicts(struct server *srv, dict *keys, dict *expires);
long long lazyfree_pending(struct server *srv);
long long lazyfree_freed(struct server *srv);
/* Per-type element counters so the threshold works for every type. */
typedef size_t (*valueLenFn)(unsigned encoding, void *ptr);
void lazyfree_register_len(unsigned type, valueLenFn fn);
/* Blocks until every queued job is done (tests, DEBUG). */
void lazyfree_drain(struct server *srv);

#endif
