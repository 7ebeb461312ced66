/* zset.c: see zset.h. Two encodings behind one API:
 *
 * listpack: member and score entries alternate, ordered by score then
 * member bytes. Scores are stored as the text d2string prints (which the
 * listpack keeps as an integer when it is one), read back with strtod, as
 * Redis does, so blobs move between Stash and Redis unchanged.
 *
 * skiplist: a zset struct. The dict's entries are dictKV whose key is the
 * same sds the skiplist node owns and whose value is the node; the
 * skiplist frees members, the dict frees only its entries. Every mutation
 * keeps the two in step.
 *
 * Conversions follow Redis 7.2's t_zset.c (zsetAdd, zsetTypeCreate,
 * zsetConvertToListpackIfNeeded) and rdb.c. RDB: listpacks are written as
 * ZSET_LISTPACK blobs (type 17, read by Redis 7.0), skiplists as ZSET_2. */
#include "zset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/listpack.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"
#include "server/server.h"

typedef struct zset {
    dict *dict; /* member -> zslNode* (dictKV: key is the node's member) */
    zsl *zsl;
} zset;

static void kv_entry_free(void *e) { zfree(e); }
static const dictType member_dict_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, kv_entry_free, 0};

/* ------------------------------------------------------------------------
 * The skiplist encoding. */

static zset *zs_create(unsigned long cap) {
    zset *z = zmalloc(sizeof(*z));
    z->dict = dict_create(&member_dict_type);
    if (cap) dict_expand(z->dict, cap);
    z->zsl = zsl_create();
    return z;
}

static void zs_destroy(zset *z) {
    dict_release(z->dict);
    zsl_free(z->zsl);
    zfree(z);
}

static zslNode *zs_find(zset *z, const char *m, size_t len) {
    char buf[LOOKUP_KEY_BUF];
    sds key = lookup_key(buf, m, len);
    dictKV *e = dict_find(z->dict, key);
    lookup_key_done(buf, key);
    return e ? e->v.val : NULL;
}

/* Inserts a member known to be absent; takes ownership of member. */
static void zs_insert(zset *z, double score, sds member) {
    zslNode *n = zsl_insert(z->zsl, score, member);
    dictKV *e = zmalloc(sizeof(*e));
    e->key = n->member;
    e->v.val = n;
    dict_add_new(z->dict, e);
}

static void zs_update(zset *z, zslNode *n, double score) {
    zslNode *moved = zsl_update_score(z->zsl, n->score, n->member, score);
    dictKV *e = dict_find(z->dict, moved->member);
    e->v.val = moved;
    e->key = moved->member;
}

static int zs_del(zset *z, const char *m, size_t len) {
    char buf[LOOKUP_KEY_BUF];
    sds key = lookup_key(buf, m, len);
    dictKV *e = dict_unlink(z->dict, key);
    lookup_key_done(buf, key);
    if (!e) return 0;
    zslNode *n = e->v.val;
    zfree(e);
    zsl_delete(z->zsl, n->score, n->member, NULL);
    return 1;
}

static void unlink_member(void *ctx, sds member, double score) {
    zset *z = ctx;
    zfree(dict_unlink(z->dict, member));
}

/* ------------------------------------------------------------------------
 * The listpack encoding. `ep` is a member entry, its score the next one. */

static double zl_score(const unsigned char *sp) {
    size_t len;
    long long v;
    const unsigned char *s = lp_get(sp, &len, &v);
    if (!s) return (double)v;
    char buf[128];
    if (len > sizeof(buf) - 1) len = sizeof(buf) - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

static unsigned char *zl_next(const unsigned char *lp, const unsigned char *ep) {
    return lp_next(lp, lp_next(lp, ep));
}

static unsigned char *zl_prev(const unsigned char *lp, const unsigned char *ep) {
    unsigned char *sp = lp_prev(lp, ep);
    return sp ? lp_prev(lp, sp) : NULL;
}

/* Compares the member at ep with (m, len) in member order. */
static int zl_cmp(const unsigned char *ep, const char *m, size_t len) {
    char buf[LP_INTBUF_SIZE];
    size_t elen;
    const char *e = lp_get_str(ep, &elen, buf);
    return zsl_member_cmp(e, elen, m, len);
}

static unsigned char *zl_find(unsigned char *lp, const char *m, size_t len, double *score) {
    unsigned char *ep = lp_first(lp);
    if (ep) ep = lp_find(lp, ep, m, len, 1);
    if (ep && score) *score = zl_score(lp_next(lp, ep));
    return ep;
}

/* Inserts (member, score) before ep, or at the end when ep is NULL. */
static unsigned char *zl_insert_at(unsigned char *lp, unsigned char *ep, const char *m, size_t len, double score) {
    char buf[MAX_D2STRING_CHARS];
    size_t slen = (size_t)d2string(buf, sizeof(buf), score);
    if (!ep) return lp_append(lp_append(lp, m, len), buf, slen);
    unsigned char *mp;
    lp = lp_insert(lp, m, len, ep, LP_BEFORE, &mp);
    return lp_insert(lp, buf, slen, mp, LP_AFTER, NULL);
}

/* Inserts in order (the member must be absent). */
static unsigned char *zl_insert(unsigned char *lp, const char *m, size_t len, double score) {
    for (unsigned char *ep = lp_first(lp); ep; ep = zl_next(lp, ep)) {
        double s = zl_score(lp_next(lp, ep));
        if (s > score || (s == score && zl_cmp(ep, m, len) > 0)) return zl_insert_at(lp, ep, m, len, score);
    }
    return zl_insert_at(lp, NULL, m, len, score);
}

static unsigned char *zl_delete(unsigned char *lp, unsigned char *ep) { return lp_delete_range_at(lp, &ep, 2); }

static int zl_lex_gte_min(const unsigned char *ep, const zslLexRange *r) {
    char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *s = lp_get_str(ep, &len, buf);
    return zsl_lex_gte_min(s, len, r);
}

static int zl_lex_lte_max(const unsigned char *ep, const zslLexRange *r) {
    char buf[LP_INTBUF_SIZE];
    size_t len;
    const char *s = lp_get_str(ep, &len, buf);
    return zsl_lex_lte_max(s, len, r);
}

static unsigned char *zl_first_in_score(unsigned char *lp, const zslScoreRange *r) {
    if (zsl_score_range_empty(r)) return NULL;
    for (unsigned char *ep = lp_first(lp); ep; ep = zl_next(lp, ep)) {
        double s = zl_score(lp_next(lp, ep));
        if (zsl_score_gte_min(s, r)) return zsl_score_lte_max(s, r) ? ep : NULL;
    }
    return NULL;
}

static unsigned char *zl_last_in_score(unsigned char *lp, const zslScoreRange *r) {
    if (zsl_score_range_empty(r)) return NULL;
    for (unsigned char *ep = lp_seek(lp, -2); ep; ep = zl_prev(lp, ep)) {
        double s = zl_score(lp_next(lp, ep));
        if (zsl_score_lte_max(s, r)) return zsl_score_gte_min(s, r) ? ep : NULL;
    }
    return NULL;
}

static unsigned char *zl_first_in_lex(unsigned char *lp, const zslLexRange *r) {
    if (zsl_lex_range_empty(r)) return NULL;
    for (unsigned char *ep = lp_first(lp); ep; ep = zl_next(lp, ep))
        if (zl_lex_gte_min(ep, r)) return zl_lex_lte_max(ep, r) ? ep : NULL;
    return NULL;
}

static unsigned char *zl_last_in_lex(unsigned char *lp, const zslLexRange *r) {
    if (zsl_lex_range_empty(r)) return NULL;
    for (unsigned char *ep = lp_seek(lp, -2); ep; ep = zl_prev(lp, ep))
        if (zl_lex_lte_max(ep, r)) return zl_lex_gte_min(ep, r) ? ep : NULL;
    return NULL;
}

/* ------------------------------------------------------------------------
 * Creation, size, conversion. */

value zset_create(const server *srv, size_t size_hint, size_t val_len_hint) {
    if (size_hint <= srv->zset_max_listpack_entries && val_len_hint <= srv->zset_max_listpack_value) {
        value v = {OBJ_ZSET, OBJ_ENC_LISTPACK, lp_new(0)};
        return v;
    }
    value v = {OBJ_ZSET, OBJ_ENC_SKIPLIST, zs_create(size_hint)};
    return v;
}

value zset_new_skiplist(void) {
    value v = {OBJ_ZSET, OBJ_ENC_SKIPLIST, zs_create(0)};
    return v;
}

unsigned long zset_len(const kvobj *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) return lp_length(o->ptr) / 2;
    return ((const zset *)o->ptr)->zsl->length;
}

static void free_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_LISTPACK) lp_free(ptr);
    else zs_destroy(ptr);
}

void zset_convert(kvobj *o, unsigned enc, unsigned long cap) {
    if (o->encoding == enc) return;
    if (enc == OBJ_ENC_SKIPLIST) {
        unsigned char *lp = o->ptr;
        zset *z = zs_create(cap);
        for (unsigned char *ep = lp_first(lp); ep; ep = zl_next(lp, ep)) {
            elem m;
            elem_from_lp(&m, ep);
            /* a duplicate (in an unsanitized listpack) is dropped: the dict
             * and the skiplist must hold each member once */
            if (!zs_find(z, m.s, m.len)) zs_insert(z, zl_score(lp_next(lp, ep)), elem_sds(&m));
        }
        lp_free(lp);
        o->ptr = z;
    } else {
        zset *z = o->ptr;
        unsigned char *lp = lp_new(0);
        for (zslNode *n = z->zsl->head->link[0].forward; n; n = n->link[0].forward)
            lp = zl_insert_at(lp, NULL, n->member, sdslen(n->member), n->score);
        zs_destroy(z);
        o->ptr = lp;
    }
    o->encoding = enc;
}

void zset_maybe_convert(const server *srv, kvobj *o, size_t size_hint) {
    if (o->encoding == OBJ_ENC_LISTPACK && size_hint > srv->zset_max_listpack_entries)
        zset_convert(o, OBJ_ENC_SKIPLIST, size_hint);
}

void zset_maybe_to_listpack(const server *srv, kvobj *o, size_t maxlen, size_t totlen) {
    if (o->encoding == OBJ_ENC_SKIPLIST && zset_len(o) <= srv->zset_max_listpack_entries &&
        maxlen <= srv->zset_max_listpack_value && lp_safe_to_add(NULL, totlen))
        zset_convert(o, OBJ_ENC_LISTPACK, 0);
}

dict *zset_member_dict(kvobj *o) { return o->encoding == OBJ_ENC_SKIPLIST ? ((zset *)o->ptr)->dict : NULL; }

size_t zset_memory(const kvobj *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) return zmalloc_size(o->ptr);
    const zset *z = o->ptr;
    return sizeof(*z) + z->zsl->length * (sizeof(zslNode) + 2 * sizeof(zslLink) + sizeof(dictKV) + 24) +
           dict_buckets(z->dict) * sizeof(void *);
}

/* ------------------------------------------------------------------------
 * Members. */

int zset_add(const server *srv, kvobj *o, double score, const char *m, size_t len, int in, int *out,
             double *newscore) {
    int incr = in & ZADD_IN_INCR, nx = in & ZADD_IN_NX, xx = in & ZADD_IN_XX, gt = in & ZADD_IN_GT,
        lt = in & ZADD_IN_LT;
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return 0;
    }
    double cur;
    unsigned char *ep = NULL;
    zslNode *n = NULL;
    int found;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        ep = zl_find(o->ptr, m, len, &cur);
        found = ep != NULL;
    } else {
        n = zs_find(o->ptr, m, len);
        found = n != NULL;
        if (n) cur = n->score;
    }
    if (found) {
        if (nx) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (incr) {
            score += cur;
            if (isnan(score)) {
                *out |= ZADD_OUT_NAN;
                return 0;
            }
        }
        if ((lt && score >= cur) || (gt && score <= cur)) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore) *newscore = score;
        if (score != cur) {
            if (ep) o->ptr = zl_insert(zl_delete(o->ptr, ep), m, len, score);
            else zs_update(o->ptr, n, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (xx) {
        *out |= ZADD_OUT_NOP;
        return 1;
    }
    if (o->encoding == OBJ_ENC_LISTPACK) {
        if (zset_len(o) + 1 > srv->zset_max_listpack_entries || len > srv->zset_max_listpack_value ||
            !lp_safe_to_add(o->ptr, len))
            zset_convert(o, OBJ_ENC_SKIPLIST, zset_len(o) + 1);
        else
            o->ptr = zl_insert(o->ptr, m, len, score);
    }
    if (o->encoding == OBJ_ENC_SKIPLIST) zs_insert(o->ptr, score, sdsnewlen(m, len));
    *out |= ZADD_OUT_ADDED;
    if (newscore) *newscore = score;
    return 1;
}

int zset_score(kvobj *o, const char *m, size_t len, double *score) {
    if (o->encoding == OBJ_ENC_LISTPACK) return zl_find(o->ptr, m, len, score) != NULL;
    zslNode *n = zs_find(o->ptr, m, len);
    if (!n) return 0;
    *score = n->score;
    return 1;
}

int zset_del(kvobj *o, const char *m, size_t len) {
    if (o->encoding == OBJ_ENC_SKIPLIST) return zs_del(o->ptr, m, len);
    unsigned char *ep = zl_find(o->ptr, m, len, NULL);
    if (!ep) return 0;
    o->ptr = zl_delete(o->ptr, ep);
    return 1;
}

long zset_rank(kvobj *o, const char *m, size_t len, int rev, double *score) {
    unsigned long length = zset_len(o), rank;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = o->ptr, *ep = lp_first(lp);
        for (rank = 0; ep && !lp_equals(ep, m, len); rank++) ep = zl_next(lp, ep);
        if (!ep) return -1;
        if (score) *score = zl_score(lp_next(lp, ep));
    } else {
        zset *z = o->ptr;
        zslNode *n = zs_find(z, m, len);
        if (!n) return -1;
        rank = zsl_get_rank(z->zsl, n->score, n->member) - 1;
        if (score) *score = n->score;
    }
    return rev ? (long)(length - 1 - rank) : (long)rank;
}

/* ------------------------------------------------------------------------
 * Positions. */

int zset_seek_rank(kvobj *o, unsigned long rank0, int rev, zsetPos *pos) {
    unsigned long len = zset_len(o);
    pos->node = NULL;
    pos->ep = NULL;
    if (rank0 >= len) return 0;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned long index = rev ? len - 1 - rank0 : rank0;
        pos->ep = lp_seek(o->ptr, 2 * (long)index);
        return 1;
    }
    zsl *zl = ((zset *)o->ptr)->zsl;
    pos->node = zsl_get_by_rank(zl, rev ? len - rank0 : rank0 + 1);
    return pos->node != NULL;
}

int zset_seek_score(kvobj *o, const zslScoreRange *r, int rev, zsetPos *pos) {
    pos->node = NULL;
    pos->ep = NULL;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        pos->ep = rev ? zl_last_in_score(o->ptr, r) : zl_first_in_score(o->ptr, r);
        return pos->ep != NULL;
    }
    zsl *zl = ((zset *)o->ptr)->zsl;
    pos->node = rev ? zsl_last_in_range(zl, r) : zsl_first_in_range(zl, r);
    return pos->node != NULL;
}

int zset_seek_lex(kvobj *o, const zslLexRange *r, int rev, zsetPos *pos) {
    pos->node = NULL;
    pos->ep = NULL;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        pos->ep = rev ? zl_last_in_lex(o->ptr, r) : zl_first_in_lex(o->ptr, r);
        return pos->ep != NULL;
    }
    zsl *zl = ((zset *)o->ptr)->zsl;
    pos->node = rev ? zsl_last_in_lex_range(zl, r) : zsl_first_in_lex_range(zl, r);
    return pos->node != NULL;
}

int zset_step(kvobj *o, zsetPos *pos, int rev) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        pos->ep = rev ? zl_prev(o->ptr, pos->ep) : zl_next(o->ptr, pos->ep);
        return pos->ep != NULL;
    }
    pos->node = rev ? pos->node->backward : pos->node->link[0].forward;
    return pos->node != NULL;
}

void zset_read(kvobj *o, const zsetPos *pos, elem *member, double *score) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        elem_from_lp(member, pos->ep);
        *score = zl_score(lp_next(o->ptr, pos->ep));
        return;
    }
    elem_set_str(member, pos->node->member, sdslen(pos->node->member));
    *score = pos->node->score;
}

void zset_read_score_text(kvobj *o, const zsetPos *pos, elem *text) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        elem_from_lp(text, lp_next(o->ptr, pos->ep));
        return;
    }
    text->len = (size_t)d2string(text->buf, sizeof(text->buf), pos->node->score);
    text->s = text->buf;
    text->is_int = 0;
}

/* ------------------------------------------------------------------------
 * Range deletion. */

unsigned long zset_del_range_score(kvobj *o, const zslScoreRange *r) {
    if (o->encoding == OBJ_ENC_SKIPLIST) {
        zset *z = o->ptr;
        return zsl_delete_range_by_score(z->zsl, r, unlink_member, z);
    }
    unsigned long deleted = 0;
    unsigned char *ep = zl_first_in_score(o->ptr, r);
    while (ep && zsl_score_lte_max(zl_score(lp_next(o->ptr, ep)), r)) {
        o->ptr = lp_delete_range_at(o->ptr, &ep, 2);
        deleted++;
    }
    return deleted;
}

unsigned long zset_del_range_lex(kvobj *o, const zslLexRange *r) {
    if (o->encoding == OBJ_ENC_SKIPLIST) {
        zset *z = o->ptr;
        return zsl_delete_range_by_lex(z->zsl, r, unlink_member, z);
    }
    unsigned long deleted = 0;
    unsigned char *ep = zl_first_in_lex(o->ptr, r);
    while (ep && zl_lex_lte_max(ep, r)) {
        o->ptr = lp_delete_range_at(o->ptr, &ep, 2);
        deleted++;
    }
    return deleted;
}

unsigned long zset_del_range_rank(kvobj *o, unsigned long start0, unsigned long end0) {
    if (o->encoding == OBJ_ENC_SKIPLIST) {
        zset *z = o->ptr;
        return zsl_delete_range_by_rank(z->zsl, start0 + 1, end0 + 1, unlink_member, z);
    }
    unsigned long n = end0 - start0 + 1;
    o->ptr = lp_delete_range(o->ptr, 2 * (long)start0, 2 * n);
    return n;
}

/* ------------------------------------------------------------------------
 * Random members. */

void zset_random(kvobj *o, elem *member, double *score) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *ep = lp_seek(o->ptr, 2 * (long)(random_u64() % zset_len(o)));
        elem_from_lp(member, ep);
        *score = zl_score(lp_next(o->ptr, ep));
        return;
    }
    dictKV *e = dict_fair_random_entry(((zset *)o->ptr)->dict);
    zslNode *n = e->v.val;
    elem_set_str(member, n->member, sdslen(n->member));
    *score = n->score;
}

static void emit_lp(const unsigned char *lp, const unsigned char *ep, zsetEmitFn *emit, void *ctx) {
    elem m;
    elem_from_lp(&m, ep);
    emit(ctx, &m, zl_score(lp_next(lp, ep)));
}

static void emit_node(const zslNode *n, zsetEmitFn *emit, void *ctx) {
    elem m;
    elem_set_str(&m, n->member, sdslen(n->member));
    emit(ctx, &m, n->score);
}

/* ZRANDMEMBER above this share of the size copies the set and keeps a
 * random part instead of drawing (Redis's constant). */
#define ZRANDMEMBER_SUB_STRATEGY_MUL 3

void zset_random_count(kvobj *o, unsigned long count, int unique, zsetEmitFn *emit, void *ctx) {
    unsigned long size = zset_len(o);
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = o->ptr, *ep;
        if (!unique) { /* index the members once */
            unsigned char **members = zmalloc(sizeof(*members) * size);
            unsigned long i = 0;
            for (ep = lp_first(lp); ep; ep = zl_next(lp, ep)) members[i++] = ep;
            while (count--) emit_lp(lp, members[random_u64() % size], emit, ctx);
            zfree(members);
            return;
        }
        if (count >= size) {
            for (ep = lp_first(lp); ep; ep = zl_next(lp, ep)) emit_lp(lp, ep, emit, ctx);
            return;
        }
        unsigned long index = 0;
        ep = lp_first(lp);
        for (unsigned long left = count; left; left--) { /* a random `count`, in order */
            ep = lp_next_random(lp, ep, &index, left, 1);
            emit_lp(lp, ep, emit, ctx);
            ep = zl_next(lp, ep);
            index += 2;
        }
        return;
    }
    zset *z = o->ptr;
    if (!unique) {
        while (count--) {
            dictKV *e = dict_fair_random_entry(z->dict);
            emit_node(e->v.val, emit, ctx);
        }
        return;
    }
    if (count >= size) {
        for (zslNode *n = z->zsl->head->link[0].forward; n; n = n->link[0].forward) emit_node(n, emit, ctx);
        return;
    }
    if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) { /* partial shuffle of all the nodes */
        zslNode **all = zmalloc(sizeof(*all) * size);
        unsigned long n = 0;
        for (zslNode *x = z->zsl->head->link[0].forward; x; x = x->link[0].forward) all[n++] = x;
        for (unsigned long i = 0; i < count; i++) {
            unsigned long j = i + random_u64() % (n - i);
            zslNode *t = all[i];
            all[i] = all[j];
            all[j] = t;
            emit_node(all[i], emit, ctx);
        }
        zfree(all);
        return;
    }
    dict *seen = strset_new(count); /* a big set: draw until count distinct */
    for (unsigned long n = 0; n < count;) {
        dictKV *e = dict_fair_random_entry(z->dict);
        zslNode *x = e->v.val;
        if (!strset_add(seen, x->member, sdslen(x->member))) continue;
        emit_node(x, emit, ctx);
        n++;
    }
    dict_release(seen);
}

/* ------------------------------------------------------------------------
 * Plug-ins: free, dup, lazy-free effort, RDB. */

static void *dup_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    zset *z = ptr, *d = zs_create(z->zsl->length);
    /* from the tail: each insert lands at the head, O(1) */
    for (zslNode *n = z->zsl->tail; n; n = n->backward) zs_insert(d, n->score, sdsdup(n->member));
    return d;
}

static size_t len_value(unsigned enc, void *ptr) {
    return enc == OBJ_ENC_LISTPACK ? 1 : ((zset *)ptr)->zsl->length;
}

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = v.encoding == OBJ_ENC_LISTPACK ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    if (!r) return 0;
    if (v.encoding == OBJ_ENC_LISTPACK) return rdb_save_string(r, v.ptr, lp_bytes(v.ptr), compress);
    /* ZSET_2: binary scores, highest first so a loader appending at the
     * tail is cheap, as Redis does */
    zset *z = v.ptr;
    if (rdb_save_len(r, z->zsl->length) == -1) return -1;
    for (zslNode *n = z->zsl->tail; n; n = n->backward)
        if (rdb_save_string(r, n->member, sdslen(n->member), compress) == -1 || rdb_save_double_bin(r, n->score) == -1)
            return -1;
    return 0;
}

/* ZSET and ZSET_2: into a skiplist, then a listpack if the result fits
 * (sorted sets are not stored in order, so convert after loading). */
static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    zset *z = zs_create(len < RDB_PRESIZE_MAX ? len : RDB_PRESIZE_MAX); /* len is untrusted */
    size_t maxlen = 0, totlen = 0;
    for (uint64_t i = 0; i < len; i++) {
        sds member = rdb_load_string(r);
        double score = 0;
        int ok = member != NULL;
        if (ok) ok = (rdbtype == RDB_TYPE_ZSET_2 ? rdb_load_double_bin(r, &score) : rdb_load_double_text(r, &score)) == 0;
        if (ok && (isnan(score) || zs_find(z, member, sdslen(member)))) ok = 0; /* NaN or duplicate: corrupt */
        if (!ok) {
            sdsfree(member);
            zs_destroy(z);
            return -1;
        }
        if (sdslen(member) > maxlen) maxlen = sdslen(member);
        totlen += sdslen(member);
        zs_insert(z, score, member);
    }
    kvobj o = {0};
    o.type = OBJ_ZSET;
    o.encoding = OBJ_ENC_SKIPLIST;
    o.ptr = z;
    zset_maybe_to_listpack(srv, &o, maxlen, totlen);
    *out = kv_value(&o);
    return 0;
}

/* Checks what a listpack zset must be beyond its structure: every score a
 * number, the pairs in order. */
static int zl_check_order(unsigned char *lp) {
    double prev = 0;
    unsigned char *prev_ep = NULL;
    for (unsigned char *ep = lp_first(lp); ep; ep = zl_next(lp, ep)) {
        unsigned char *sp = lp_next(lp, ep);
        size_t len;
        long long v;
        const unsigned char *s = lp_get(sp, &len, &v);
        double score;
        if (s && !string2d((const char *)s, len, &score)) return 0;
        score = zl_score(sp);
        if (prev_ep) {
            char buf[LP_INTBUF_SIZE];
            size_t plen;
            const char *pm = lp_get_str(prev_ep, &plen, buf);
            if (score < prev || (score == prev && zl_cmp(ep, pm, plen) < 0)) return 0;
        }
        prev = score;
        prev_ep = ep;
    }
    return 1;
}

/* Sorted sets Redis saved compactly: a listpack (17), adopted as it is
 * after validation, or a ziplist (12) from older versions, turned into one
 * (its duplicates always checked). Too many members give a skiplist. */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    kvobj o = {0};
    o.type = OBJ_ZSET;
    o.encoding = OBJ_ENC_LISTPACK;
    if (rdbtype == RDB_TYPE_ZSET_LISTPACK) {
        sds blob = rdb_load_string(r);
        if (!blob) return -1;
        if (obj_lp_validate(blob, sdslen(blob), deep, 1) && lp_length((unsigned char *)blob) > 0) {
            o.ptr = zmalloc(sdslen(blob));
            memcpy(o.ptr, blob, sdslen(blob));
        }
        sdsfree(blob);
        if (!o.ptr) return -1;
    } else {
        sds *items;
        long n = rdb_load_blob_items(r, BLOB_ZIPLIST, &items);
        if (n <= 0 || n % 2) {
            if (n >= 0) blob_free_items(items, n);
            return -1;
        }
        o.ptr = lp_new(0);
        for (long i = 0; i < n; i++) o.ptr = lp_append(o.ptr, items[i], sdslen(items[i]));
        blob_free_items(items, n);
        if (!obj_lp_validate(o.ptr, lp_bytes(o.ptr), 1, 1)) {
            lp_free(o.ptr);
            return -1;
        }
    }
    if (!zl_check_order(o.ptr)) {
        lp_free(o.ptr);
        return -1;
    }
    if (zset_len(&o) > srv->zset_max_listpack_entries) zset_convert(&o, OBJ_ENC_SKIPLIST, zset_len(&o));
    *out = kv_value(&o);
    return 0;
}

void zset_register(void) {
    obj_register_type(OBJ_ZSET, free_value, dup_value);
    lazyfree_register_len(OBJ_ZSET, len_value);
    rdb_register_saver(OBJ_ZSET, save_rdb);
    rdb_register_loader(RDB_TYPE_ZSET, load_rdb);
    rdb_register_loader(RDB_TYPE_ZSET_2, load_rdb);
    rdb_register_loader(RDB_TYPE_ZSET_ZIPLIST, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_ZSET_LISTPACK, load_rdb_compact);
}
