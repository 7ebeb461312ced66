/* skiplist.c: ordered (score, member) index with O(log N) rank queries.
 *
 * A skiplist is a sorted linked list with express lanes. Every node sits in
 * lane 0; each node also joins lanes 1, 2, ... with probability 1/4 per
 * extra lane, so lane k holds about N/4^k nodes. A search starts on the top
 * lane of the head sentinel, runs forward while the next node still sorts
 * before the target, then drops one lane; on average it touches a handful
 * of nodes per lane, O(log N) in total, without any rebalancing.
 *
 * Spans: each forward link also stores how many lane-0 steps it skips.
 * Summing the spans of the links taken during a search yields the rank of
 * the node reached, and a search can be steered by rank instead of by key,
 * which is what ZRANK, ZRANGE by index and ZREMRANGEBYRANK need. A link
 * whose forward is NULL keeps span = number of nodes after its owner, so
 * the arithmetic in link_node/unlink_node needs no special case.
 *
 * Why a dict beside it: the list is ordered by score first, so it cannot
 * find a member without knowing its score. A sorted set therefore keeps a
 * dict member -> score as well (types/zset.c): ZSCORE and the "already
 * present?" check of ZADD are O(1) there, and the score it returns is what
 * zsl_delete / zsl_update_score / zsl_get_rank need to locate the node.
 * The member sds is shared: the list owns it, the dict borrows it, and the
 * delete-range callbacks let the dict drop its entry before it is freed.
 *
 * Invariants: nodes ordered by (score, sdscmp(member)); backward pointers
 * mirror lane 0; the spans along any lane sum to `length`; head links at
 * lanes >= level are stale and reset when the level grows. Level choice
 * uses a per-list PRNG so no global state is touched. */
#include "skiplist.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/zmalloc.h"

/* ------------------------------------------------------------------------
 * The "-" and "+" markers of lex ranges: valid, read-only one-byte sds
 * strings, compared by address. */

struct lex_marker {
    uint8_t len, alloc;
    unsigned char flags;
    char buf[2];
};
static const struct lex_marker minus_marker = {1, 1, SDS_TYPE_8, "-"};
static const struct lex_marker plus_marker = {1, 1, SDS_TYPE_8, "+"};
const sds zsl_lex_minus_inf = (sds)minus_marker.buf;
const sds zsl_lex_plus_inf = (sds)plus_marker.buf;

/* ------------------------------------------------------------------------
 * Nodes, creation, destruction. */

/* splitmix64: a tiny, well-mixed generator; its state lives in the list. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Height 1 always, then one more lane for each pair of random bits that
 * is zero (probability ZSL_LEVEL_P = 1/4). 31 pairs fit in 62 bits. */
static int random_height(zsl *zl) {
    uint64_t r = next_random(&zl->rng);
    int h = 1;
    while (h < ZSL_MAX_LEVEL && (r & 3) == 0) {
        h++;
        r >>= 2;
    }
    return h;
}

/* Allocates a node of `height` lanes; links are filled in by link_node. */
static zslNode *node_new(int height, double score, sds member) {
    zslNode *n = zmalloc(sizeof(*n) + (size_t)height * sizeof(zslLink));
    n->member = member;
    n->score = score;
    n->backward = NULL;
    n->height = height;
    for (int i = 0; i < height; i++) {
        n->link[i].forward = NULL;
        n->link[i].span = 0;
    }
    return n;
}

/* Frees a node unlinked by zsl_delete together with its member (set
 * node->member to NULL first to keep the member). */
void zsl_free_node(zslNode *node) {
    sdsfree(node->member);
    zfree(node);
}

/* Returns an empty list. Never fails (zmalloc aborts on OOM). */
zsl *zsl_create(void) {
    zsl *zl = zmalloc(sizeof(*zl));
    zl->head = node_new(ZSL_MAX_LEVEL, 0, NULL);
    zl->tail = NULL;
    zl->length = 0;
    zl->level = 1;
    zl->rng = (uint64_t)(uintptr_t)zl ^ 0x5851f42d4c957f2dULL;
    return zl;
}

/* Frees the list, every node and every member. */
void zsl_free(zsl *zl) {
    zslNode *n = zl->head->link[0].forward;
    while (n) {
        zslNode *next = n->link[0].forward;
        zsl_free_node(n);
        n = next;
    }
    zfree(zl->head);
    zfree(zl);
}

/* ------------------------------------------------------------------------
 * Searching and (un)linking. The `pred` array passed around holds, for
 * each lane, the last node sorting before the position of interest; `rank`
 * (optional) holds the rank of each pred (head = 0). */

/* Does node n sort strictly before (score, member)? */
static int sorts_before(const zslNode *n, double score, const sds member) {
    if (n->score != score) return n->score < score;
    return sdscmp(n->member, member) < 0;
}

/* Fills pred[] (and rank[] if not NULL) for the position of (score,
 * member); returns the lane-0 successor of pred[0], i.e. the node equal to
 * the target if it exists. */
static zslNode *find_preds(zsl *zl, double score, const sds member, zslNode **pred, unsigned long *rank) {
    zslNode *x = zl->head;
    unsigned long r = 0;
    for (int i = zl->level - 1; i >= 0; i--) {
        while (x->link[i].forward && sorts_before(x->link[i].forward, score, member)) {
            r += x->link[i].span;
            x = x->link[i].forward;
        }
        pred[i] = x;
        if (rank) rank[i] = r;
    }
    return x->link[0].forward;
}

/* Inserts an unlinked node at the position described by pred/rank. Lanes
 * above the current level start at the head. */
static void link_node(zsl *zl, zslNode *node, zslNode **pred, unsigned long *rank) {
    int h = node->height;
    while (zl->level < h) {
        pred[zl->level] = zl->head;
        rank[zl->level] = 0;
        zl->head->link[zl->level].span = zl->length;
        zl->level++;
    }
    for (int i = 0; i < h; i++) {
        unsigned long skipped = rank[0] - rank[i]; /* nodes between pred[i] and node */
        node->link[i].forward = pred[i]->link[i].forward;
        node->link[i].span = pred[i]->link[i].span - skipped;
        pred[i]->link[i].forward = node;
        pred[i]->link[i].span = skipped + 1;
    }
    for (int i = h; i < zl->level; i++) pred[i]->link[i].span++;

    node->backward = pred[0] == zl->head ? NULL : pred[0];
    if (node->link[0].forward)
        node->link[0].forward->backward = node;
    else
        zl->tail = node;
    zl->length++;
}

/* Removes `node` given its predecessors; the node itself is left intact
 * except for being detached. */
static void unlink_node(zsl *zl, zslNode *node, zslNode **pred) {
    for (int i = 0; i < zl->level; i++) {
        if (pred[i]->link[i].forward == node) {
            pred[i]->link[i].span += node->link[i].span - 1;
            pred[i]->link[i].forward = node->link[i].forward;
        } else {
            pred[i]->link[i].span--;
        }
    }
    if (node->link[0].forward)
        node->link[0].forward->backward = node->backward;
    else
        zl->tail = node->backward;
    while (zl->level > 1 && zl->head->link[zl->level - 1].forward == NULL) zl->level--;
    zl->length--;
}

/* ------------------------------------------------------------------------
 * Insert, delete, update. */

/* Adds (score, member), taking ownership of member, and returns the new
 * node. The caller guarantees the member is not already present (its dict
 * knows) and that score is not NaN. */
zslNode *zsl_insert(zsl *zl, double score, sds member) {
    zslNode *pred[ZSL_MAX_LEVEL];
    unsigned long rank[ZSL_MAX_LEVEL];
    assert(!isnan(score));
    find_preds(zl, score, member, pred, rank);
    zslNode *node = node_new(random_height(zl), score, member);
    link_node(zl, node, pred, rank);
    return node;
}

/* Removes the element (score, member). Returns 1 if it was found, else 0.
 * With node_out NULL the node and its member are freed; otherwise the
 * detached node is stored there for the caller to zsl_free_node. */
int zsl_delete(zsl *zl, double score, sds member, zslNode **node_out) {
    zslNode *pred[ZSL_MAX_LEVEL];
    zslNode *x = find_preds(zl, score, member, pred, NULL);
    if (!x || x->score != score || sdscmp(x->member, member) != 0) return 0;
    unlink_node(zl, x, pred);
    if (node_out)
        *node_out = x;
    else
        zsl_free_node(x);
    return 1;
}

/* Changes the score of an existing element from curscore to newscore and
 * returns its node. The node is never reallocated: if it still sorts
 * between its neighbours only the score changes, otherwise it is detached
 * and relinked (keeping its height) at the new position. */
zslNode *zsl_update_score(zsl *zl, double curscore, sds member, double newscore) {
    zslNode *pred[ZSL_MAX_LEVEL];
    unsigned long rank[ZSL_MAX_LEVEL];
    assert(!isnan(newscore));
    zslNode *x = find_preds(zl, curscore, member, pred, NULL);
    assert(x && x->score == curscore && sdscmp(x->member, member) == 0);

    zslNode *prev = x->backward, *next = x->link[0].forward;
    int after_prev = prev == NULL || sorts_before(prev, newscore, x->member);
    int before_next = next == NULL || !sorts_before(next, newscore, x->member);
    if (after_prev && before_next) {
        x->score = newscore;
        return x;
    }
    unlink_node(zl, x, pred);
    x->score = newscore;
    find_preds(zl, newscore, x->member, pred, rank);
    link_node(zl, x, pred, rank);
    return x;
}

/* ------------------------------------------------------------------------
 * Ranks (1-based; 0 means absent). */

unsigned long zsl_get_rank(zsl *zl, double score, sds member) {
    zslNode *x = zl->head;
    unsigned long r = 0;
    for (int i = zl->level - 1; i >= 0; i--) {
        zslNode *f;
        while ((f = x->link[i].forward) &&
               (f->score < score || (f->score == score && sdscmp(f->member, member) <= 0))) {
            r += x->link[i].span;
            x = f;
        }
        /* x is the last node <= target; it may be the target itself. */
        if (x != zl->head && x->score == score && sdscmp(x->member, member) == 0) return r;
    }
    return 0;
}

/* Returns the node at 1-based `rank`, or NULL when out of range. */
zslNode *zsl_get_by_rank(zsl *zl, unsigned long rank) {
    zslNode *x = zl->head;
    unsigned long r = 0;
    if (rank == 0 || rank > zl->length) return NULL;
    for (int i = zl->level - 1; i >= 0; i--) {
        while (x->link[i].forward && r + x->link[i].span <= rank) {
            r += x->link[i].span;
            x = x->link[i].forward;
        }
        if (r == rank) return x;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Score ranges. */

/* Parses one bound: "(x" is exclusive, anything else goes to strtod whole.
 * Mirrors Redis: trailing garbage or NaN is an error, "" reads as 0. */
static int parse_score_bound(const char *s, double *value, int *exclusive) {
    char *end;
    *exclusive = s[0] == '(';
    if (*exclusive) s++;
    *value = strtod(s, &end);
    if (*end != '\0' || isnan(*value)) return -1;
    return 0;
}

/* Fills `out` from the textual bounds of ZRANGEBYSCORE and friends.
 * Returns 0 on success, -1 when either bound is not a float (the caller
 * replies "min or max is not a float"). */
int zsl_parse_score_range(const char *min, const char *max, zslScoreRange *out) {
    if (parse_score_bound(min, &out->min, &out->minex) != 0) return -1;
    if (parse_score_bound(max, &out->max, &out->maxex) != 0) return -1;
    return 0;
}

int zsl_score_gte_min(double score, const zslScoreRange *r) {
    return r->minex ? score > r->min : score >= r->min;
}

int zsl_score_lte_max(double score, const zslScoreRange *r) {
    return r->maxex ? score < r->max : score <= r->max;
}

/* Quick overlap test in O(1): 0 when r is empty or lies wholly before
 * the first or after the last element; 1 otherwise, which does not promise
 * a hit (r may fall between two scores); zsl_first_in_range is exact. */
int zsl_score_range_empty(const zslScoreRange *r) {
    return r->min > r->max || (r->min == r->max && (r->minex || r->maxex));
}

int zsl_is_in_range(zsl *zl, const zslScoreRange *r) {
    if (zsl_score_range_empty(r)) return 0;
    if (!zl->tail || !zsl_score_gte_min(zl->tail->score, r)) return 0;
    zslNode *first = zl->head->link[0].forward;
    return zsl_score_lte_max(first->score, r);
}

/* First (lowest) node inside r, or NULL. O(log N). */
zslNode *zsl_first_in_range(zsl *zl, const zslScoreRange *r) {
    if (!zsl_is_in_range(zl, r)) return NULL;
    zslNode *x = zl->head;
    for (int i = zl->level - 1; i >= 0; i--)
        while (x->link[i].forward && !zsl_score_gte_min(x->link[i].forward->score, r)) x = x->link[i].forward;
    x = x->link[0].forward; /* exists: the tail is >= min */
    return zsl_score_lte_max(x->score, r) ? x : NULL;
}

/* Last (highest) node inside r, or NULL. O(log N). */
zslNode *zsl_last_in_range(zsl *zl, const zslScoreRange *r) {
    if (!zsl_is_in_range(zl, r)) return NULL;
    zslNode *x = zl->head;
    for (int i = zl->level - 1; i >= 0; i--)
        while (x->link[i].forward && zsl_score_lte_max(x->link[i].forward->score, r)) x = x->link[i].forward;
    /* x != head: the first node is <= max */
    return zsl_score_gte_min(x->score, r) ? x : NULL;
}

/* ------------------------------------------------------------------------
 * Lex ranges. Only meaningful when all scores are equal, as documented for
 * ZRANGEBYLEX; the list then is ordered by member alone. */

int zsl_member_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return c;
    return (alen > blen) - (alen < blen);
}

/* Parses "[x", "(x", "-" or "+"; on success *dest is an owned sds or a
 * marker. Like Redis, "-"/"+" must stand alone (up to a NUL). */
static int parse_lex_bound(const char *s, size_t len, sds *dest, int *exclusive) {
    if (len == 0) return -1;
    switch (s[0]) {
    case '-':
    case '+':
        if (len > 1 && s[1] != '\0') return -1;
        *dest = s[0] == '-' ? zsl_lex_minus_inf : zsl_lex_plus_inf;
        *exclusive = 1;
        return 0;
    case '(':
    case '[':
        *dest = sdsnewlen(s + 1, len - 1);
        *exclusive = s[0] == '(';
        return 0;
    default: return -1;
    }
}

static void free_lex_bound(sds s) {
    if (s != zsl_lex_minus_inf && s != zsl_lex_plus_inf) sdsfree(s);
}

/* Fills `out` from the textual bounds of ZRANGEBYLEX and friends. Returns
 * 0 on success (release with zsl_free_lex_range), -1 on a malformed bound
 * (nothing to release; the caller replies "min or max not valid string
 * range item"). */
int zsl_parse_lex_range(const char *min, size_t minlen, const char *max, size_t maxlen, zslLexRange *out) {
    out->min = out->max = NULL;
    if (parse_lex_bound(min, minlen, &out->min, &out->minex) != 0) return -1;
    if (parse_lex_bound(max, maxlen, &out->max, &out->maxex) != 0) {
        free_lex_bound(out->min);
        out->min = NULL;
        return -1;
    }
    return 0;
}

void zsl_free_lex_range(zslLexRange *r) {
    if (r->min) free_lex_bound(r->min);
    if (r->max) free_lex_bound(r->max);
    r->min = r->max = NULL;
}

int zsl_lex_gte_min(const char *s, size_t len, const zslLexRange *r) {
    if (r->min == zsl_lex_minus_inf) return 1;
    if (r->min == zsl_lex_plus_inf) return 0;
    int c = zsl_member_cmp(s, len, r->min, sdslen(r->min));
    return r->minex ? c > 0 : c >= 0;
}

int zsl_lex_lte_max(const char *s, size_t len, const zslLexRange *r) {
    if (r->max == zsl_lex_plus_inf) return 1;
    if (r->max == zsl_lex_minus_inf) return 0;
    int c = zsl_member_cmp(s, len, r->max, sdslen(r->max));
    return r->maxex ? c < 0 : c <= 0;
}

static int node_lex_gte_min(const zslNode *n, const zslLexRange *r) {
    return zsl_lex_gte_min(n->member, sdslen(n->member), r);
}

static int node_lex_lte_max(const zslNode *n, const zslLexRange *r) {
    return zsl_lex_lte_max(n->member, sdslen(n->member), r);
}

/* Orders two bounds, treating the markers as -infinity / +infinity. */
static int lex_bound_cmp(sds a, sds b) {
    if (a == b) return 0;
    if (a == zsl_lex_minus_inf || b == zsl_lex_plus_inf) return -1;
    if (a == zsl_lex_plus_inf || b == zsl_lex_minus_inf) return 1;
    return sdscmp(a, b);
}

/* Same quick overlap test as zsl_is_in_range, on members. */
int zsl_lex_range_empty(const zslLexRange *r) {
    int c = lex_bound_cmp(r->min, r->max);
    return c > 0 || (c == 0 && (r->minex || r->maxex));
}

int zsl_is_in_lex_range(zsl *zl, const zslLexRange *r) {
    if (zsl_lex_range_empty(r)) return 0;
    if (!zl->tail || !node_lex_gte_min(zl->tail, r)) return 0;
    return node_lex_lte_max(zl->head->link[0].forward, r);
}

/* First / last node whose member lies inside r, or NULL. O(log N). */
zslNode *zsl_first_in_lex_range(zsl *zl, const zslLexRange *r) {
    if (!zsl_is_in_lex_range(zl, r)) return NULL;
    zslNode *x = zl->head;
    for (int i = zl->level - 1; i >= 0; i--)
        while (x->link[i].forward && !node_lex_gte_min(x->link[i].forward, r)) x = x->link[i].forward;
    x = x->link[0].forward;
    return node_lex_lte_max(x, r) ? x : NULL;
}

zslNode *zsl_last_in_lex_range(zsl *zl, const zslLexRange *r) {
    if (!zsl_is_in_lex_range(zl, r)) return NULL;
    zslNode *x = zl->head;
    for (int i = zl->level - 1; i >= 0; i--)
        while (x->link[i].forward && node_lex_lte_max(x->link[i].forward, r)) x = x->link[i].forward;
    return node_lex_gte_min(x, r) ? x : NULL;
}

/* ------------------------------------------------------------------------
 * Range deletion. Each function positions pred[] just before the first
 * doomed node, then removes nodes walking lane 0; after each unlink pred[]
 * still describes the position, so no second search is needed. */

/* Unlinks, reports and frees one node. */
static void remove_node(zsl *zl, zslNode *x, zslNode **pred, zslRemovedFn *cb, void *ctx) {
    unlink_node(zl, x, pred);
    if (cb) cb(ctx, x->member, x->score);
    zsl_free_node(x);
}

/* Removes every element with a score inside r; returns how many. */
unsigned long zsl_delete_range_by_score(zsl *zl, const zslScoreRange *r, zslRemovedFn *cb, void *ctx) {
    zslNode *pred[ZSL_MAX_LEVEL], *x = zl->head;
    unsigned long removed = 0;
    for (int i = zl->level - 1; i >= 0; i--) {
        while (x->link[i].forward && !zsl_score_gte_min(x->link[i].forward->score, r)) x = x->link[i].forward;
        pred[i] = x;
    }
    x = x->link[0].forward;
    while (x && zsl_score_lte_max(x->score, r)) {
        zslNode *next = x->link[0].forward;
        remove_node(zl, x, pred, cb, ctx);
        removed++;
        x = next;
    }
    return removed;
}

/* Removes every element whose member is inside r; returns how many. */
unsigned long zsl_delete_range_by_lex(zsl *zl, const zslLexRange *r, zslRemovedFn *cb, void *ctx) {
    zslNode *pred[ZSL_MAX_LEVEL], *x = zl->head;
    unsigned long removed = 0;
    for (int i = zl->level - 1; i >= 0; i--) {
        while (x->link[i].forward && !node_lex_gte_min(x->link[i].forward, r)) x = x->link[i].forward;
        pred[i] = x;
    }
    x = x->link[0].forward;
    while (x && node_lex_lte_max(x, r)) {
        zslNode *next = x->link[0].forward;
        remove_node(zl, x, pred, cb, ctx);
        removed++;
        x = next;
    }
    return removed;
}

/* Removes the elements of 1-based ranks start..end inclusive (clamped to
 * the list); returns how many. */
unsigned long zsl_delete_range_by_rank(zsl *zl, unsigned long start, unsigned long end, zslRemovedFn *cb,
                                       void *ctx) {
    zslNode *pred[ZSL_MAX_LEVEL], *x = zl->head;
    unsigned long r = 0, removed = 0;
    if (start == 0) start = 1;
    if (end < start) return 0;
    for (int i = zl->level - 1; i >= 0; i--) {
        while (x->link[i].forward && r + x->link[i].span < start) {
            r += x->link[i].span;
            x = x->link[i].forward;
        }
        pred[i] = x;
    }
    x = x->link[0].forward;
    for (r = start; x && r <= end; r++) {
        zslNode *next = x->link[0].forward;
        remove_node(zl, x, pred, cb, ctx);
        removed++;
        x = next;
    }
    return removed;
}
