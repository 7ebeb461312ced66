/* hash.c: see hash.h. Entries are dictKV {key = field sds, v.val = value
 * sds}; freeing an entry frees both. RDB: plain HASH type (4) for the
 * dict encoding, which every Redis version loads. */
#include "hash.h"

#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"

static void entry_free(void *e) {
    dictKV *kv = e;
    sdsfree(kv->key);
    sdsfree(kv->v.val);
    zfree(kv);
}
static const dictType hash_dict_type = {dict_sds_hash, dict_sds_equal, dict_kv_key, entry_free, 0};

value hash_new_value(void) {
    value v = {OBJ_HASH, OBJ_ENC_HT, dict_create(&hash_dict_type)};
    return v;
}

int hash_set(dict *h, const char *f, size_t flen, const char *v, size_t vlen) {
    char stackbuf[128];
    sds key = flen + 10 <= sizeof(stackbuf) ? sdsEmbed(stackbuf, f, flen) : sdsnewlen(f, flen);
    dictKV *e = dict_find(h, key);
    int isnew = e == NULL;
    if (e) {
        sdsfree(e->v.val);
        e->v.val = sdsnewlen(v, vlen);
    } else {
        e = zmalloc(sizeof(*e));
        e->key = sdsnewlen(f, flen);
        e->v.val = sdsnewlen(v, vlen);
        dict_add_new(h, e);
    }
    if (flen + 10 > sizeof(stackbuf)) sdsfree(key);
    return isnew;
}

sds hash_get(dict *h, const sds field) {
    dictKV *e = dict_find(h, field);
    return e ? e->v.val : NULL;
}

int hash_del(dict *h, const sds field) {
    dictKV *e = dict_unlink(h, field);
    if (!e) return 0;
    entry_free(e);
    return 1;
}

static void free_value(unsigned enc, void *ptr) { dict_release(ptr); }

static void *dup_value(unsigned enc, void *ptr) {
    value v = hash_new_value();
    dictIterator it;
    dict_iter_init(&it, ptr, 0);
    dictKV *e;
    while ((e = dict_iter_next(&it))) hash_set(v.ptr, e->key, sdslen(e->key), e->v.val, sdslen(e->v.val));
    dict_iter_release(&it);
    return v.ptr;
}

static size_t len_value(unsigned enc, void *ptr) { return (size_t)dict_size(ptr); }

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = RDB_TYPE_HASH;
    if (!r) return 0;
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

static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    value v = hash_new_value();
    for (uint64_t i = 0; i < len; i++) {
        sds f = rdb_load_string(r), val = f ? rdb_load_string(r) : NULL;
        if (!f || !val || hash_get(v.ptr, f)) { /* truncated or a duplicate field */
            sdsfree(f);
            sdsfree(val);
            dict_release(v.ptr);
            return -1;
        }
        dictKV *e = zmalloc(sizeof(*e));
        e->key = f;
        e->v.val = val;
        dict_add_new(v.ptr, e);
    }
    *out = v;
    return 0;
}

/* Hashes Redis saved compactly: zipmap (9), ziplist (13), listpack (16),
 * all field/value pairs in one blob. */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    int kind = rdbtype == RDB_TYPE_HASH_ZIPMAP ? BLOB_ZIPMAP : rdbtype == RDB_TYPE_HASH_ZIPLIST ? BLOB_ZIPLIST : BLOB_LISTPACK;
    sds *items;
    long n = rdb_load_blob_items(r, kind, &items);
    if (n <= 0 || n % 2) {
        if (n > 0) blob_free_items(items, n);
        return -1;
    }
    value v = hash_new_value();
    for (long i = 0; i < n; i += 2) {
        if (!hash_set(v.ptr, items[i], sdslen(items[i]), items[i + 1], sdslen(items[i + 1]))) {
            dict_release(v.ptr); /* duplicate field: corrupt */
            blob_free_items(items, n);
            return -1;
        }
    }
    blob_free_items(items, n);
    *out = v;
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
