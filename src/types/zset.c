/* zset.c: see zset.h. The dict's entries are dictKV whose key is the same
 * sds the skiplist node owns and whose value is the node; the skiplist
 * frees members, the dict frees only its entries. Every mutation keeps the
 * two in step. */
#include "zset.h"

#include <math.h>
#include <string.h>

#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "core/util.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"

static void kv_entry_free(void *e) { zfree(e); }
static const dictType member_dict_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, kv_entry_free, 0};

static zset *zset_create(void) {
    zset *z = zmalloc(sizeof(*z));
    z->dict = dict_create(&member_dict_type);
    z->zsl = zsl_create();
    return z;
}

static void zset_destroy(zset *z) {
    dict_release(z->dict);
    zsl_free(z->zsl);
    zfree(z);
}

value zset_new_value(void) {
    value v = {OBJ_ZSET, OBJ_ENC_SKIPLIST, zset_create()};
    return v;
}

zset *zset_of(kvobj *o) { return o->ptr; }
unsigned long zset_len(const zset *z) { return z->zsl->length; }

static zslNode *find(zset *z, const sds member) {
    dictKV *e = dict_find(z->dict, member);
    return e ? e->v.val : NULL;
}

static void insert(zset *z, double score, const sds member) {
    zslNode *n = zsl_insert(z->zsl, score, sdsdup(member));
    dictKV *e = zmalloc(sizeof(*e));
    e->key = n->member;
    e->v.val = n;
    dict_add_new(z->dict, e);
}

int zset_add(zset *z, double score, const sds member, int in, int *out, double *newscore) {
    int incr = in & ZADD_IN_INCR, nx = in & ZADD_IN_NX, xx = in & ZADD_IN_XX, gt = in & ZADD_IN_GT,
        lt = in & ZADD_IN_LT;
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return 0;
    }
    zslNode *n = find(z, member);
    if (n) {
        if (nx) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        double cur = n->score;
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
            zslNode *moved = zsl_update_score(z->zsl, cur, n->member, score);
            dictKV *e = dict_find(z->dict, member);
            e->v.val = moved;
            e->key = moved->member;
            *out |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (xx) {
        *out |= ZADD_OUT_NOP;
        return 1;
    }
    insert(z, score, member);
    *out |= ZADD_OUT_ADDED;
    if (newscore) *newscore = score;
    return 1;
}

int zset_score(zset *z, const sds member, double *score) {
    zslNode *n = find(z, member);
    if (!n) return 0;
    *score = n->score;
    return 1;
}

int zset_del(zset *z, const sds member) {
    dictKV *e = dict_unlink(z->dict, member);
    if (!e) return 0;
    zslNode *n = e->v.val;
    zfree(e);
    zsl_delete(z->zsl, n->score, n->member, NULL);
    return 1;
}

long zset_rank(zset *z, const sds member, int rev, double *score) {
    zslNode *n = find(z, member);
    if (!n) return -1;
    unsigned long r = zsl_get_rank(z->zsl, n->score, n->member);
    if (score) *score = n->score;
    return rev ? (long)(z->zsl->length - r) : (long)(r - 1);
}

zslNode *zset_node_by_rank(zset *z, unsigned long rank0, int rev) {
    if (rank0 >= z->zsl->length) return NULL;
    return zsl_get_by_rank(z->zsl, rev ? z->zsl->length - rank0 : rank0 + 1);
}

static void unlink_member(void *ctx, sds member, double score) {
    zset *z = ctx;
    dictKV *e = dict_unlink(z->dict, member);
    zfree(e);
}

unsigned long zset_del_range_score(zset *z, const zslScoreRange *r) {
    return zsl_delete_range_by_score(z->zsl, r, unlink_member, z);
}
unsigned long zset_del_range_lex(zset *z, const zslLexRange *r) {
    return zsl_delete_range_by_lex(z->zsl, r, unlink_member, z);
}
unsigned long zset_del_range_rank(zset *z, unsigned long start0, unsigned long end0) {
    return zsl_delete_range_by_rank(z->zsl, start0 + 1, end0 + 1, unlink_member, z);
}

value zset_dup_value(zset *z) {
    value v = zset_new_value();
    zset *d = v.ptr;
    for (zslNode *n = z->zsl->head->link[0].forward; n; n = n->link[0].forward) insert(d, n->score, n->member);
    return v;
}

size_t zset_memory(const zset *z) {
    return sizeof(*z) + z->zsl->length * (sizeof(zslNode) + 2 * sizeof(zslLink) + sizeof(dictKV) + 24) +
           dict_buckets(z->dict) * sizeof(void *);
}

/* ---- plug-ins */
static void free_value(unsigned enc, void *ptr) { zset_destroy(ptr); }
static void *dup_value(unsigned enc, void *ptr) { return zset_dup_value(ptr).ptr; }
static size_t len_value(unsigned enc, void *ptr) { return zset_len(ptr); }

/* RDB: ZSET_2 (binary scores), written highest score first so a loader
 * appending at the tail is cheap, as Redis does. */
static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = RDB_TYPE_ZSET_2;
    if (!r) return 0;
    zset *z = v.ptr;
    if (rdb_save_len(r, z->zsl->length) == -1) return -1;
    for (zslNode *n = z->zsl->tail; n; n = n->backward)
        if (rdb_save_string(r, n->member, sdslen(n->member), compress) == -1 || rdb_save_double_bin(r, n->score) == -1)
            return -1;
    return 0;
}

static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    value v = zset_new_value();
    zset *z = v.ptr;
    for (uint64_t i = 0; i < len; i++) {
        sds member = rdb_load_string(r);
        double score;
        int ok = member != NULL;
        if (ok) ok = (rdbtype == RDB_TYPE_ZSET_2 ? rdb_load_double_bin(r, &score) : rdb_load_double_text(r, &score)) == 0;
        if (ok && (isnan(score) || find(z, member))) ok = 0; /* corrupt: NaN or duplicate member */
        if (!ok) {
            sdsfree(member);
            zset_destroy(z);
            return -1;
        }
        insert(z, score, member);
        sdsfree(member);
    }
    *out = v;
    return 0;
}

/* Sorted sets Redis saved compactly: ziplist (12), listpack (17), as
 * member/score pairs in one blob, scores as strings or integers. */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    sds *items;
    long n = rdb_load_blob_items(r, rdbtype == RDB_TYPE_ZSET_ZIPLIST ? BLOB_ZIPLIST : BLOB_LISTPACK, &items);
    if (n <= 0 || n % 2) {
        if (n > 0) blob_free_items(items, n);
        return -1;
    }
    value v = zset_new_value();
    zset *z = v.ptr;
    int ok = 1;
    for (long i = 0; i < n && ok; i += 2) {
        double score;
        ok = string2d(items[i + 1], sdslen(items[i + 1]), &score) && !find(z, items[i]);
        if (ok) insert(z, score, items[i]);
    }
    blob_free_items(items, n);
    if (!ok) {
        zset_destroy(z);
        return -1;
    }
    *out = v;
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
