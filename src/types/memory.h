/* memory.h: memory accounting of keys (MEMORY USAGE); see memory.c. */
#ifndef STASH_MEMORY_H
#define STASH_MEMORY_H

#include <stddef.h>

#include "types/object.h"

/* Bytes used by the key's object and value; samples bounds how many
 * elements of a collection are measured (0: all). */
size_t kv_memory_usage(const kvobj *o, size_t samples);

#endif
