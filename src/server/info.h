/* info.h: the INFO report (see info.c). */
#ifndef STASH_INFO_H
#define STASH_INFO_H

#include "core/sds.h"

#include <stddef.h>

struct server;

#define INFO_MAX_DBS 16

typedef struct memoryStats {
    size_t used, rss, peak, startup, allocated, active, resident;
    size_t clients_normal, clients_replicas, backlog, lua, overhead, dataset, keys;
    size_t db_main[INFO_MAX_DBS], db_expires[INFO_MAX_DBS]; /* hash table overhead per db */
} memoryStats;

/* The figures behind INFO memory and MEMORY STATS. */
void info_memory_stats(struct server *srv, memoryStats *m);

/* INFO [section ...]: no sections means "default"; "all" and
 * "everything" add commandstats and latencystats. */
sds info_generate(struct server *srv, sds *sections, int nsections);

#endif
