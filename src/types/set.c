/* set.c: see set.h. RDB: plain SET type (2), loadable by every Redis. */
#include "set.h"

#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"

static void entry_free(void *e) {
    sdsfree(((dictKey *)e)->key);
    zfree(e);
}
static const dictType set_dict_type = {dict_sds_hash, dict_sds_equal, dict_key_key, entry_free, 0};

value set_new_value(void) {
    value v = {OBJ_SET, OBJ_ENC_HT, dict_create(&set_dict_type)};
    return v;
}

int set_add(dict *s, const char *m, size_t len) {
    char stackbuf[128];
    sds key = len + 10 <= sizeof(stackbuf) ? sdsEmbed(stackbuf, m, len) : sdsnewlen(m, len);
    int added = 0;
    if (!dict_find(s, key)) {
        dictKey *e = zmalloc(sizeof(*e));
        e->key = sdsnewlen(m, len);
        dict_add_new(s, e);
        added = 1;
    }
    if (len + 10 > sizeof(stackbuf)) sdsfree(key);
    return added;
}

int set_has(dict *s, const sds m) { return dict_find(s, m) != NULL; }

int set_del(dict *s, const sds m) {
    dictKey *e = dict_unlink(s, m);
    if (!e) return 0;
    entry_free(e);
    return 1;
}

sds set_random(dict *s) {
    dictKey *e = dict_fair_random_entry(s);
    return e ? e->key : NULL;
}

static void free_value(unsigned enc, void *ptr) { dict_release(ptr); }
static void *dup_value(unsigned enc, void *ptr) {
    value v = set_new_value();
    dictIterator it;
    dict_iter_init(&it, ptr, 0);
    dictKey *e;
    while ((e = dict_iter_next(&it))) set_add(v.ptr, e->key, sdslen(e->key));
    dict_iter_release(&it);
    return v.ptr;
}
static size_t len_value(unsigned enc, void *ptr) { return (size_t)dict_size(ptr); }

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = RDB_TYPE_SET;
    if (!r) return 0;
    dict *s = v.ptr;
    if (rdb_save_len(r, dict_size(s)) == -1) return -1;
    dictIterator it;
    dict_iter_init(&it, s, 1);
    dictKey *e;
    int rc = 0;
    while (rc == 0 && (e = dict_iter_next(&it))) rc = rdb_save_string(r, e->key, sdslen(e->key), compress);
    dict_iter_release(&it);
    return rc;
}

static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    value v = set_new_value();
    for (uint64_t i = 0; i < len; i++) {
        sds m = rdb_load_string(r);
        if (!m || !set_add(v.ptr, m, sdslen(m))) { /* truncated or duplicate */
            sdsfree(m);
            dict_release(v.ptr);
            return -1;
        }
        sdsfree(m);
    }
    *out = v;
    return 0;
}

/* Sets Redis saved compactly: intset (11), listpack (20). */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    sds *items;
    long n = rdb_load_blob_items(r, rdbtype == RDB_TYPE_SET_INTSET ? BLOB_INTSET : BLOB_LISTPACK, &items);
    if (n <= 0) {
        if (n == 0) blob_free_items(items, n);
        return -1;
    }
    value v = set_new_value();
    for (long i = 0; i < n; i++) {
        if (!set_add(v.ptr, items[i], sdslen(items[i]))) {
            dict_release(v.ptr);
            blob_free_items(items, n);
            return -1;
        }
    }
    blob_free_items(items, n);
    *out = v;
    return 0;
}

void set_register(void) {
    obj_register_type(OBJ_SET, free_value, dup_value);
    lazyfree_register_len(OBJ_SET, len_value);
    rdb_register_saver(OBJ_SET, save_rdb);
    rdb_register_loader(RDB_TYPE_SET, load_rdb);
    rdb_register_loader(RDB_TYPE_SET_INTSET, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_SET_LISTPACK, load_rdb_compact);
}
