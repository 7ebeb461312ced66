/* hash.c: see hash.h. The conversion points are Redis 7.2's t_hash.c
 * (hashTypeTryConversion before a write, hashTypeSet after it) and its
 * rdb.c loaders, so the encoding of a hash is the one Redis would report.
 *
 * RDB: listpack hashes are written as HASH_LISTPACK blobs (type 16, which
 * Redis 7.0 reads), hashtables as plain HASH (type 4). Loaded hashes come
 * up as listpacks when they fit, whatever form the file used. */
#include "hash.h"

#include <string.h>

#include "core/listpack.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"
#include "server/server.h"

static void entry_free(void *e) {
    dictKV *kv = e;
    sdsfree(kv->key);
    sdsfree(kv->v.val);
    zfree(kv);
}
static const dictType hash_dict_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, entry_free, 0};

static void dict_add_pair(dict *d, const char *f, size_t flen, const char *v, size_t vlen) {
    dictKV *e = zmalloc(sizeof(*e));
    e->key = sdsnewlen(f, flen);
    e->v.val = sdsnewlen(v, vlen);
    dict_add_new(d, e);
}

static dictKV *dict_find_field(dict *d, const char *f, size_t flen) {
    char buf[LOOKUP_KEY_BUF];
    sds key = lookup_key(buf, f, flen);
    dictKV *e = dict_find(d, key);
    lookup_key_done(buf, key);
    return e;
}

/* The listpack entry of field f (its value follows it), or NULL. */
static unsigned char *lp_find_field(unsigned char *lp, const char *f, size_t flen) {
    unsigned char *p = lp_first(lp);
    return p ? lp_find(lp, p, f, flen, 1) : NULL;
}

value hash_new_value(void) {
    value v = {OBJ_HASH, OBJ_ENC_LISTPACK, lp_new(0)};
    return v;
}

unsigned long hash_len(const kvobj *o) {
    return o->encoding == OBJ_ENC_LISTPACK ? lp_length(o->ptr) / 2 : (unsigned long)dict_size(o->ptr);
}

static void free_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_HT) dict_release(ptr);
    else lp_free(ptr);
}

/* ---- iteration */

void hash_iter_init(hashIter *it, kvobj *o) {
    it->o = o;
    it->encoding = o->encoding;
    it->p = NULL;
    if (o->encoding == OBJ_ENC_HT) dict_iter_init(&it->di, o->ptr, 1);
}

int hash_iter_next(hashIter *it, elem *field, elem *val) {
    if (it->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = it->o->ptr;
        it->p = it->p ? lp_next(lp, lp_next(lp, it->p)) : lp_first(lp);
        if (!it->p) return 0;
        elem_from_lp(field, it->p);
        elem_from_lp(val, lp_next(lp, it->p));
        return 1;
    }
    dictKV *e = dict_iter_next(&it->di);
    if (!e) return 0;
    elem_set_str(field, e->key, sdslen(e->key));
    elem_set_str(val, e->v.val, sdslen(e->v.val));
    return 1;
}

void hash_iter_release(hashIter *it) {
    if (it->encoding == OBJ_ENC_HT) dict_iter_release(&it->di);
}

/* ---- conversion */

void hash_convert(kvobj *o, unsigned enc) {
    if (o->encoding == enc || enc != OBJ_ENC_HT) return;
    dict *d = dict_create(&hash_dict_type);
    dict_expand(d, hash_len(o));
    hashIter it;
    elem f, v;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it, &f, &v)) { /* a duplicate (in an unsanitized listpack) is dropped */
        dictKV *e = zmalloc(sizeof(*e));
        e->key = sdsnewlen(f.s, f.len);
        e->v.val = sdsnewlen(v.s, v.len);
        if (dict_add(d, e) == -1) entry_free(e);
    }
    hash_iter_release(&it);
    free_value(o->encoding, o->ptr);
    o->encoding = OBJ_ENC_HT;
    o->ptr = d;
}

void hash_try_conversion(const server *srv, kvobj *o, sds *argv, int start, int end) {
    if (o->encoding != OBJ_ENC_LISTPACK) return;
    size_t new_fields = (size_t)(end - start + 1) / 2, sum = 0;
    if (new_fields > srv->hash_max_listpack_entries) { /* presized for the fields to come */
        hash_convert(o, OBJ_ENC_HT);
        dict_expand(o->ptr, new_fields);
        return;
    }
    for (int i = start; i <= end; i++) {
        size_t len = sdslen(argv[i]);
        if (len > srv->hash_max_listpack_value) {
            hash_convert(o, OBJ_ENC_HT);
            return;
        }
        sum += len;
    }
    if (!lp_safe_to_add(o->ptr, sum)) hash_convert(o, OBJ_ENC_HT);
}

/* ---- access */

int hash_set(const server *srv, kvobj *o, const char *f, size_t flen, const char *v, size_t vlen) {
    if (o->encoding == OBJ_ENC_LISTPACK &&
        (flen > srv->hash_max_listpack_value || vlen > srv->hash_max_listpack_value))
        hash_convert(o, OBJ_ENC_HT);
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *lp = o->ptr, *p = lp_find_field(lp, f, flen);
        int isnew = p == NULL;
        if (p) {
            p = lp_next(lp, p);
            lp = lp_replace(lp, &p, v, vlen);
        } else {
            lp = lp_append(lp_append(lp, f, flen), v, vlen);
        }
        o->ptr = lp;
        if (hash_len(o) > srv->hash_max_listpack_entries) hash_convert(o, OBJ_ENC_HT);
        return isnew;
    }
    dictKV *e = dict_find_field(o->ptr, f, flen);
    if (!e) {
        dict_add_pair(o->ptr, f, flen, v, vlen);
        return 1;
    }
    sdsfree(e->v.val);
    e->v.val = sdsnewlen(v, vlen);
    return 0;
}

int hash_get(kvobj *o, const char *f, size_t flen, elem *val) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *p = lp_find_field(o->ptr, f, flen);
        if (!p) return 0;
        elem_from_lp(val, lp_next(o->ptr, p));
        return 1;
    }
    dictKV *e = dict_find_field(o->ptr, f, flen);
    if (!e) return 0;
    elem_set_str(val, e->v.val, sdslen(e->v.val));
    return 1;
}

int hash_exists(kvobj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENC_LISTPACK) return lp_find_field(o->ptr, f, flen) != NULL;
    return dict_find_field(o->ptr, f, flen) != NULL;
}

int hash_del(kvobj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *p = lp_find_field(o->ptr, f, flen);
        if (!p) return 0;
        o->ptr = lp_delete_range_at(o->ptr, &p, 2);
        return 1;
    }
    char buf[LOOKUP_KEY_BUF];
    sds key = lookup_key(buf, f, flen);
    dictKV *e = dict_unlink(o->ptr, key);
    lookup_key_done(buf, key);
    if (!e) return 0;
    entry_free(e);
    return 1;
}

/* ---- random fields */

void hash_random(kvobj *o, elem *field, elem *val) {
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *p = lp_seek(o->ptr, 2 * (long)(random_u64() % hash_len(o)));
        elem_from_lp(field, p);
        elem_from_lp(val, lp_next(o->ptr, p));
        return;
    }
    dictKV *e = dict_fair_random_entry(o->ptr);
    elem_set_str(field, e->key, sdslen(e->key));
    elem_set_str(val, e->v.val, sdslen(e->v.val));
}

/* HRANDFIELD above this share of the size copies the hash and removes
 * random fields instead of drawing (Redis's constant). */
#define HRANDFIELD_SUB_STRATEGY_MUL 3

static void emit_lp(const unsigned char *lp, const unsigned char *p, hashEmitFn *emit, void *ctx) {
    elem f, v;
    elem_from_lp(&f, p);
    elem_from_lp(&v, lp_next(lp, p));
    emit(ctx, &f, &v);
}

void hash_random_count(kvobj *o, unsigned long count, int unique, hashEmitFn *emit, void *ctx) {
    unsigned long size = hash_len(o);
    elem f, v;
    if (o->encoding == OBJ_ENC_LISTPACK && (!unique || count < size)) {
        unsigned char *lp = o->ptr, **fields = zmalloc(sizeof(*fields) * size), *p = lp_first(lp);
        for (unsigned long i = 0; p; p = lp_next(lp, lp_next(lp, p))) fields[i++] = p;
        if (!unique) {
            while (count--) emit_lp(lp, fields[random_u64() % size], emit, ctx);
        } else { /* a random `count` of the fields, in listpack order */
            unsigned long index = 0;
            p = lp_first(lp);
            for (unsigned long left = count; left; left--) {
                p = lp_next_random(lp, p, &index, left, 1);
                emit_lp(lp, p, emit, ctx);
                p = lp_next(lp, lp_next(lp, p));
                index += 2;
            }
        }
        zfree(fields);
        return;
    }
    if (!unique) {
        while (count--) {
            hash_random(o, &f, &v);
            emit(ctx, &f, &v);
        }
        return;
    }
    hashIter it;
    if (count >= size) {
        hash_iter_init(&it, o);
        while (hash_iter_next(&it, &f, &v)) emit(ctx, &f, &v);
        hash_iter_release(&it);
        return;
    }
    if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
        /* copy the entries, keep a random `count` of them (partial shuffle) */
        dictKV **all = zmalloc(sizeof(*all) * size);
        unsigned long n = 0;
        dictIterator di;
        dict_iter_init(&di, o->ptr, 0);
        dictKV *e;
        while ((e = dict_iter_next(&di))) all[n++] = e;
        dict_iter_release(&di);
        for (unsigned long i = 0; i < count; i++) {
            unsigned long j = i + random_u64() % (n - i);
            dictKV *t = all[i];
            all[i] = all[j];
            all[j] = t;
            elem_set_str(&f, all[i]->key, sdslen(all[i]->key));
            elem_set_str(&v, all[i]->v.val, sdslen(all[i]->v.val));
            emit(ctx, &f, &v);
        }
        zfree(all);
        return;
    }
    /* a big hash: draw until count distinct fields */
    dict *seen = strset_new(count);
    for (unsigned long n = 0; n < count;) {
        hash_random(o, &f, &v);
        if (!strset_add(seen, f.s, f.len)) continue;
        emit(ctx, &f, &v);
        n++;
    }
    dict_release(seen);
}

/* ---- plug-ins: free, dup, lazy-free effort, RDB */

static void *dup_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    dict *d = dict_create(&hash_dict_type);
    dict_expand(d, dict_size(ptr));
    dictIterator it;
    dict_iter_init(&it, ptr, 0);
    dictKV *e;
    while ((e = dict_iter_next(&it))) dict_add_pair(d, e->key, sdslen(e->key), e->v.val, sdslen(e->v.val));
    dict_iter_release(&it);
    return d;
}

/* A listpack is one allocation: freeing it costs nothing. */
static size_t len_value(unsigned enc, void *ptr) { return enc == OBJ_ENC_HT ? (size_t)dict_size(ptr) : 1; }

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = v.encoding == OBJ_ENC_LISTPACK ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    if (!r) return 0;
    if (v.encoding == OBJ_ENC_LISTPACK) return rdb_save_string(r, v.ptr, lp_bytes(v.ptr), compress);
    dict *h = v.ptr;
    if (rdb_save_len(r, dict_size(h)) == -1) return -1;
    dictIterator it;
    dict_iter_init(&it, h, 1);
    dictKV *e;
    int rc = 0;
    while (rc == 0 && (e = dict_iter_next(&it)))
        rc = (rdb_save_string(r, e->key, sdslen(e->key), compress) == 0 &&
              rdb_save_string(r, e->v.val, sdslen(e->v.val), compress) == 0)
                 ? 0
                 : -1;
    dict_iter_release(&it);
    return rc;
}

/* Plain hashes: pairs one by one, into a listpack until a limit is
 * crossed (as Redis loads them). Duplicate fields are found by the dict
 * once converted, and in listpack form only with `deep` (RESTORE), as
 * Redis's sanitize-dump-payload does. */
static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    kvobj o = kv_temp(hash_new_value());
    if (len > srv->hash_max_listpack_entries) {
        hash_convert(&o, OBJ_ENC_HT);
        dict_try_expand(o.ptr, len < RDB_PRESIZE_MAX ? len : RDB_PRESIZE_MAX); /* len is untrusted */
    }
    for (uint64_t i = 0; i < len; i++) {
        sds f = rdb_load_string(r), v = f ? rdb_load_string(r) : NULL;
        int ok = f && v;
        if (ok && o.encoding == OBJ_ENC_LISTPACK &&
            (sdslen(f) > srv->hash_max_listpack_value || sdslen(v) > srv->hash_max_listpack_value ||
             !lp_safe_to_add(o.ptr, sdslen(f) + sdslen(v)))) {
            if (deep && !obj_lp_validate(o.ptr, lp_bytes(o.ptr), 1, 1)) ok = 0;
            else hash_convert(&o, OBJ_ENC_HT);
        }
        if (ok && o.encoding == OBJ_ENC_LISTPACK) {
            o.ptr = lp_append(lp_append(o.ptr, f, sdslen(f)), v, sdslen(v));
        } else if (ok) {
            if (dict_find(o.ptr, f)) {
                ok = 0; /* a duplicate field: corrupt */
            } else {
                dictKV *e = zmalloc(sizeof(*e));
                e->key = f;
                e->v.val = v;
                dict_add_new(o.ptr, e);
                f = v = NULL;
            }
        }
        sdsfree(f);
        sdsfree(v);
        if (!ok) {
            free_value(o.encoding, o.ptr);
            return -1;
        }
    }
    if (deep && o.encoding == OBJ_ENC_LISTPACK && !obj_lp_validate(o.ptr, lp_bytes(o.ptr), 1, 1)) {
        free_value(o.encoding, o.ptr);
        return -1;
    }
    *out = kv_value(&o);
    return 0;
}

/* Hashes Redis saved compactly. A listpack (16) is adopted as it is after
 * validation; a ziplist (13) or zipmap (9) from older versions is turned
 * into one (duplicates always checked: those conversions are O(N) anyway).
 * Too many fields (or, for zipmaps, too long ones) give a hashtable. */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    kvobj o = {0};
    o.type = OBJ_HASH;
    o.encoding = OBJ_ENC_LISTPACK;
    if (rdbtype == RDB_TYPE_HASH_LISTPACK) {
        sds blob = rdb_load_string(r);
        if (!blob) return -1;
        int ok = obj_lp_validate(blob, sdslen(blob), deep, 1) && lp_length((unsigned char *)blob) > 0;
        if (ok) {
            o.ptr = zmalloc(sdslen(blob));
            memcpy(o.ptr, blob, sdslen(blob));
        }
        sdsfree(blob);
        if (!ok) return -1;
    } else {
        sds *items;
        long n = rdb_load_blob_items(r, rdbtype == RDB_TYPE_HASH_ZIPMAP ? BLOB_ZIPMAP : BLOB_ZIPLIST, &items);
        if (n <= 0 || n % 2) {
            if (n >= 0) blob_free_items(items, n);
            return -1;
        }
        size_t maxlen = 0;
        o.ptr = lp_new(0);
        for (long i = 0; i < n; i++) {
            if (sdslen(items[i]) > maxlen) maxlen = sdslen(items[i]);
            o.ptr = lp_append(o.ptr, items[i], sdslen(items[i]));
        }
        blob_free_items(items, n);
        if (!obj_lp_validate(o.ptr, lp_bytes(o.ptr), 1, 1)) {
            lp_free(o.ptr);
            return -1;
        }
        if (rdbtype == RDB_TYPE_HASH_ZIPMAP && maxlen > srv->hash_max_listpack_value) hash_convert(&o, OBJ_ENC_HT);
    }
    if (hash_len(&o) > srv->hash_max_listpack_entries) hash_convert(&o, OBJ_ENC_HT);
    *out = kv_value(&o);
    return 0;
}

void hash_register(void) {
    obj_register_type(OBJ_HASH, free_value, dup_value);
    lazyfree_register_len(OBJ_HASH, len_value);
    rdb_register_saver(OBJ_HASH, save_rdb);
    rdb_register_loader(RDB_TYPE_HASH, load_rdb);
    rdb_register_loader(RDB_TYPE_HASH_ZIPMAP, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_HASH_ZIPLIST, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_HASH_LISTPACK, load_rdb_compact);
}
