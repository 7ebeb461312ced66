/* zset.h: the sorted-set type API. Commands talk only to these functions,
 * never to an encoding. The encoding today is a skiplist (order, ranks,
 * ranges in O(log N)) plus a dict from member to its skiplist node (O(1)
 * ZSCORE and membership); both share the member strings. A compact listpack
 * encoding for small sets slots in behind this same API. */
#ifndef STASH_ZSET_H
#define STASH_ZSET_H

#include "core/dict.h"
#include "core/skiplist.h"
#include "types/object.h"

typedef struct zset {
    dict *dict; /* member -> zslNode* (dictKV: key is the node's member) */
    zsl *zsl;
} zset;

/* ZADD flags in, result flags out */
#define ZADD_IN_INCR (1 << 0)
#define ZADD_IN_NX (1 << 1)
#define ZADD_IN_XX (1 << 2)
#define ZADD_IN_GT (1 << 3)
#define ZADD_IN_LT (1 << 4)
#define ZADD_OUT_NOP (1 << 0)
#define ZADD_OUT_NAN (1 << 1)
#define ZADD_OUT_ADDED (1 << 2)
#define ZADD_OUT_UPDATED (1 << 3)

void zset_register(void);               /* free/dup/rdb/lazyfree hooks */
value zset_new_value(void);
zset *zset_of(kvobj *o);
unsigned long zset_len(const zset *z);
/* Adds or updates; see Redis's zsetAdd for the flag semantics. Returns 1
 * on success, 0 on error (NaN result): *out flags say what happened and
 * *newscore the resulting score when not NOP. */
int zset_add(zset *z, double score, const sds member, int in, int *out, double *newscore);
int zset_score(zset *z, const sds member, double *score);
int zset_del(zset *z, const sds member);
/* 0-based rank (reverse when rev), or -1 when absent. */
long zset_rank(zset *z, const sds member, int rev, double *score);
zslNode *zset_node_by_rank(zset *z, unsigned long rank0, int rev); /* NULL past the end */
static inline zslNode *zset_next(zslNode *n, int rev) { return rev ? n->backward : n->link[0].forward; }
/* Removes nodes in the range; returns how many. */
unsigned long zset_del_range_score(zset *z, const zslScoreRange *r);
unsigned long zset_del_range_lex(zset *z, const zslLexRange *r);
unsigned long zset_del_range_rank(zset *z, unsigned long start0, unsigned long end0);
value zset_dup_value(zset *z);
size_t zset_memory(const zset *z);

#endif
