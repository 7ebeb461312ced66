/* zset.h: the sorted-set type API. Commands talk only to these functions,
 * never to an encoding. A sorted set is held as Redis 7.2 holds it:
 *
 *   listpack   member, score, member, score... ordered by score then
 *              member, while there are at most zset-max-listpack-entries
 *              members none longer than zset-max-listpack-value bytes;
 *              every operation is a linear scan, cheap at that size
 *   skiplist   a skiplist (order, ranks and ranges in O(log N)) plus a
 *              dict from member to its skiplist node (O(1) ZSCORE and
 *              membership); both share the member strings
 *
 * A listpack converts to a skiplist when a limit is crossed and never
 * back, except where Redis builds a result and then picks its encoding
 * (ZUNIONSTORE and friends, RDB loading). Functions that may convert take
 * the server for its limits and change the kvobj in place.
 *
 * Ranges are walked with positions: seek to a rank, a score or a member
 * bound, then step forward or backward (rev), reading each element. */
#ifndef STASH_ZSET_H
#define STASH_ZSET_H

#include "core/dict.h"
#include "core/skiplist.h"
#include "types/object.h"

struct server;

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

/* Where a walk stands: a skiplist node, or a listpack member entry (its
 * score is the next entry). */
typedef struct zsetPos {
    zslNode *node;
    unsigned char *ep;
} zsetPos;

void zset_register(void); /* free/dup/rdb/lazyfree hooks */
/* An empty sorted set of the encoding Redis picks for size_hint members of
 * about val_len_hint bytes (zsetTypeCreate). */
value zset_create(const struct server *srv, size_t size_hint, size_t val_len_hint);
/* An empty skiplist set (results built before their encoding is picked). */
value zset_new_skiplist(void);
/* Goes to skiplist now if size_hint more members would not fit a listpack. */
void zset_maybe_convert(const struct server *srv, kvobj *o, size_t size_hint);
/* For a result built as a skiplist: listpack if it fits (the longest
 * member and the total member bytes are given). */
void zset_maybe_to_listpack(const struct server *srv, kvobj *o, size_t maxlen, size_t totlen);
void zset_convert(kvobj *o, unsigned encoding, unsigned long cap);
unsigned long zset_len(const kvobj *o);

/* Adds or updates; see Redis's zsetAdd for the flag semantics. Returns 1
 * on success, 0 on error (NaN result): *out flags say what happened and
 * *newscore the resulting score when not NOP. */
int zset_add(const struct server *srv, kvobj *o, double score, const char *m, size_t len, int in, int *out,
             double *newscore);
int zset_score(kvobj *o, const char *m, size_t len, double *score);
int zset_del(kvobj *o, const char *m, size_t len);
/* 0-based rank (reverse when rev), or -1 when absent. */
long zset_rank(kvobj *o, const char *m, size_t len, int rev, double *score);

/* Positions: each returns 0 when there is no such element. */
int zset_seek_rank(kvobj *o, unsigned long rank0, int rev, zsetPos *pos);
/* The first element inside r (the last one when rev). */
int zset_seek_score(kvobj *o, const zslScoreRange *r, int rev, zsetPos *pos);
int zset_seek_lex(kvobj *o, const zslLexRange *r, int rev, zsetPos *pos);
int zset_step(kvobj *o, zsetPos *pos, int rev);
void zset_read(kvobj *o, const zsetPos *pos, elem *member, double *score);
/* The score as text: as stored in a listpack (ZSCAN shows it so), else
 * as d2string prints it. */
void zset_read_score_text(kvobj *o, const zsetPos *pos, elem *text);

/* Removes the elements in the range; returns how many. */
unsigned long zset_del_range_score(kvobj *o, const zslScoreRange *r);
unsigned long zset_del_range_lex(kvobj *o, const zslLexRange *r);
unsigned long zset_del_range_rank(kvobj *o, unsigned long start0, unsigned long end0);

/* A random member with its score (the set must not be empty). */
void zset_random(kvobj *o, elem *member, double *score);
/* ZRANDMEMBER key count: `count` members; distinct (at most the size)
 * when unique, else drawn independently. */
typedef void zsetEmitFn(void *ctx, const elem *member, double score);
void zset_random_count(kvobj *o, unsigned long count, int unique, zsetEmitFn *emit, void *ctx);

/* The member dict of a skiplist set (entries dictKV: key the member,
 * v.val its zslNode), for ZSCAN's cursor; NULL for a listpack. */
dict *zset_member_dict(kvobj *o);
size_t zset_memory(const kvobj *o);

#endif
