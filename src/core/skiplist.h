/* skiplist.h: the ordered index behind large sorted sets.
 *
 * A zsl keeps (score, member) pairs ordered by score, then by member bytes
 * (memcmp order, shorter first on a common prefix). Every forward link
 * records how many level-0 steps it jumps (its span), so the 1-based rank
 * of any element is found in O(log N) on average. Members are sds strings
 * owned by the list: zsl_insert takes ownership, deletion frees them unless
 * the caller asks for the unlinked node back.
 *
 * The list does not check for duplicate members; types/zset.c keeps a dict
 * beside it to answer "is X present, with which score" in O(1), and it is
 * the only intended caller (plus the RDB loader through that API).
 * Scores must never be NaN. Nothing here is thread-safe per list. */
#ifndef STASH_SKIPLIST_H
#define STASH_SKIPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/sds.h"

#define ZSL_MAX_LEVEL 32 /* enough for 4^32 elements */
#define ZSL_LEVEL_P 0.25 /* chance that a node reaches the next level */

typedef struct zslNode zslNode;

typedef struct zslLink {
    zslNode *forward;
    unsigned long span; /* level-0 steps from this node to `forward` */
} zslLink;

struct zslNode {
    sds member;
    double score;
    zslNode *backward; /* previous node at level 0; NULL for the first */
    int height;        /* number of entries in link[] */
    zslLink link[];
};

typedef struct zsl {
    zslNode *head;        /* sentinel with ZSL_MAX_LEVEL links, no member */
    zslNode *tail;        /* last node, NULL when empty */
    unsigned long length; /* number of elements */
    int level;            /* highest level in use (>= 1) */
    uint64_t rng;         /* private PRNG state for level choice */
} zsl;

/* An interval of scores; minex/maxex make that bound exclusive. */
typedef struct zslScoreRange {
    double min, max;
    int minex, maxex;
} zslScoreRange;

/* An interval of members for the *BYLEX commands. min/max are either an
 * owned sds or one of the two markers below, which stand for "-" (below
 * every string) and "+" (above every string). The markers are recognised
 * by address, live in read-only memory and must never be freed or written;
 * sdslen() on them is safe (they read as "-" and "+"). */
typedef struct zslLexRange {
    sds min, max;
    int minex, maxex;
} zslLexRange;

extern const sds zsl_lex_minus_inf;
extern const sds zsl_lex_plus_inf;

/* Called by the delete-range functions with each removed element before
 * its member is freed, so the caller can drop it from its dict. */
typedef void zslRemovedFn(void *ctx, sds member, double score);

zsl *zsl_create(void);
void zsl_free(zsl *zl);
void zsl_free_node(zslNode *node);

zslNode *zsl_insert(zsl *zl, double score, sds member);
int zsl_delete(zsl *zl, double score, sds member, zslNode **node_out);
zslNode *zsl_update_score(zsl *zl, double curscore, sds member, double newscore);

unsigned long zsl_get_rank(zsl *zl, double score, sds member);
zslNode *zsl_get_by_rank(zsl *zl, unsigned long rank);

/* The member order: memcmp, the shorter first on a common prefix. */
int zsl_member_cmp(const char *a, size_t alen, const char *b, size_t blen);

int zsl_parse_score_range(const char *min, const char *max, zslScoreRange *out);
int zsl_score_gte_min(double score, const zslScoreRange *r);
int zsl_score_lte_max(double score, const zslScoreRange *r);
/* 1 when no score can lie in r (min above max, or equal and exclusive). */
int zsl_score_range_empty(const zslScoreRange *r);
int zsl_is_in_range(zsl *zl, const zslScoreRange *r);
zslNode *zsl_first_in_range(zsl *zl, const zslScoreRange *r);
zslNode *zsl_last_in_range(zsl *zl, const zslScoreRange *r);

int zsl_parse_lex_range(const char *min, size_t minlen, const char *max, size_t maxlen, zslLexRange *out);
void zsl_free_lex_range(zslLexRange *r);
int zsl_lex_gte_min(const char *s, size_t len, const zslLexRange *r);
int zsl_lex_lte_max(const char *s, size_t len, const zslLexRange *r);
int zsl_lex_range_empty(const zslLexRange *r);
int zsl_is_in_lex_range(zsl *zl, const zslLexRange *r);
zslNode *zsl_first_in_lex_range(zsl *zl, const zslLexRange *r);
zslNode *zsl_last_in_lex_range(zsl *zl, const zslLexRange *r);

unsigned long zsl_delete_range_by_score(zsl *zl, const zslScoreRange *r, zslRemovedFn *cb, void *ctx);
unsigned long zsl_delete_range_by_lex(zsl *zl, const zslLexRange *r, zslRemovedFn *cb, void *ctx);
unsigned long zsl_delete_range_by_rank(zsl *zl, unsigned long start, unsigned long end, zslRemovedFn *cb,
                                       void *ctx);

#endif
