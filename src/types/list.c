/* list.c: see list.h. The ring grows by doubling; positions are
 * translated through (head + i) % cap. RDB: the plain LIST type (1), which
 * every Redis version loads. */
#include "list.h"

#include <string.h>

#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"

static list *list_create(void) {
    list *l = zcalloc(sizeof(*l));
    return l;
}

static void list_destroy(list *l) {
    for (long i = 0; i < l->len; i++) sdsfree(l->items[(l->head + i) % l->cap]);
    zfree(l->items);
    zfree(l);
}

value list_new_value(void) {
    value v = {OBJ_LIST, OBJ_ENC_QUICKLIST, list_create()};
    return v;
}

static sds *slot(list *l, long i) { return &l->items[(l->head + i) % l->cap]; }

static void grow(list *l) {
    if (l->len < l->cap) return;
    long ncap = l->cap ? l->cap * 2 : 8;
    sds *n = zmalloc(sizeof(sds) * (size_t)ncap);
    for (long i = 0; i < l->len; i++) n[i] = *slot(l, i);
    zfree(l->items);
    l->items = n;
    l->cap = ncap;
    l->head = 0;
}

void list_push(list *l, const char *p, size_t len, int where) {
    grow(l);
    sds s = sdsnewlen(p, len);
    if (where == LIST_HEAD) {
        l->head = (l->head - 1 + l->cap) % l->cap;
        l->items[l->head] = s;
    } else {
        *slot(l, l->len) = s;
    }
    l->len++;
}

sds list_pop(list *l, int where) {
    if (l->len == 0) return NULL;
    sds s;
    if (where == LIST_HEAD) {
        s = l->items[l->head];
        l->head = (l->head + 1) % l->cap;
    } else {
        s = *slot(l, l->len - 1);
    }
    l->len--;
    return s;
}

sds list_index(list *l, long i) {
    if (i < 0) i += l->len;
    if (i < 0 || i >= l->len) return NULL;
    return *slot(l, i);
}

void list_set(list *l, long i, const char *p, size_t len) {
    sds *s = slot(l, i);
    sdsfree(*s);
    *s = sdsnewlen(p, len);
}

void list_insert_at(list *l, long i, const char *p, size_t len) {
    grow(l);
    for (long j = l->len; j > i; j--) *slot(l, j) = *slot(l, j - 1);
    *slot(l, i) = sdsnewlen(p, len);
    l->len++;
}

void list_delete_at(list *l, long i) {
    sdsfree(*slot(l, i));
    for (long j = i; j < l->len - 1; j++) *slot(l, j) = *slot(l, j + 1);
    l->len--;
}

void list_trim(list *l, long start, long end) {
    for (long i = 0; i < l->len; i++)
        if (i < start || i > end) sdsfree(*slot(l, i));
    long keep = start <= end ? end - start + 1 : 0;
    l->head = keep ? (l->head + start) % l->cap : 0;
    l->len = keep;
}

static void free_value(unsigned enc, void *ptr) { list_destroy(ptr); }
static void *dup_value(unsigned enc, void *ptr) {
    list *src = ptr, *d = list_create();
    for (long i = 0; i < src->len; i++) {
        sds s = *slot(src, i);
        list_push(d, s, sdslen(s), LIST_TAIL);
    }
    return d;
}
static size_t len_value(unsigned enc, void *ptr) { return (size_t)((list *)ptr)->len; }

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = RDB_TYPE_LIST;
    if (!r) return 0;
    list *l = v.ptr;
    if (rdb_save_len(r, (uint64_t)l->len) == -1) return -1;
    for (long i = 0; i < l->len; i++) {
        sds s = *slot(l, i);
        if (rdb_save_string(r, s, sdslen(s), compress) == -1) return -1;
    }
    return 0;
}

static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    list *l = list_create();
    for (uint64_t i = 0; i < len; i++) {
        sds s = rdb_load_string(r);
        if (!s) {
            list_destroy(l);
            return -1;
        }
        list_push(l, s, sdslen(s), LIST_TAIL);
        sdsfree(s);
    }
    out->type = OBJ_LIST;
    out->encoding = OBJ_ENC_QUICKLIST;
    out->ptr = l;
    return 0;
}

static int append_items(list *l, sds *items, long n) {
    for (long i = 0; i < n; i++) list_push(l, items[i], sdslen(items[i]), LIST_TAIL);
    blob_free_items(items, n);
    return 0;
}

/* Lists Redis saved compactly: one ziplist (10), a quicklist of ziplists
 * (14), or quicklist 2 (18): nodes tagged plain (one big element) or
 * packed (a listpack). */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    list *l = list_create();
    sds *items;
    long n;
    if (rdbtype == RDB_TYPE_LIST_ZIPLIST) {
        if ((n = rdb_load_blob_items(r, BLOB_ZIPLIST, &items)) <= 0) goto fail_items;
        append_items(l, items, n);
    } else {
        uint64_t nodes = rdb_load_len(r, NULL);
        if (nodes == RDB_LENERR || nodes == 0) goto fail;
        for (uint64_t i = 0; i < nodes; i++) {
            uint64_t container = 2;
            if (rdbtype == RDB_TYPE_LIST_QUICKLIST_2) {
                container = rdb_load_len(r, NULL);
                if (container != 1 && container != 2) goto fail;
            }
            if (container == 1) { /* plain node: a single element */
                sds s = rdb_load_string(r);
                if (!s) goto fail;
                list_push(l, s, sdslen(s), LIST_TAIL);
                sdsfree(s);
                continue;
            }
            int kind = rdbtype == RDB_TYPE_LIST_QUICKLIST ? BLOB_ZIPLIST : BLOB_LISTPACK;
            n = rdb_load_blob_items(r, kind, &items);
            if (n < 0) goto fail;
            append_items(l, items, n); /* empty nodes are skipped, as Redis does */
        }
        if (l->len == 0) goto fail;
    }
    out->type = OBJ_LIST;
    out->encoding = OBJ_ENC_QUICKLIST;
    out->ptr = l;
    return 0;
fail_items:
    if (n == 0) blob_free_items(items, n);
fail:
    list_destroy(l);
    return -1;
}

void list_register(void) {
    obj_register_type(OBJ_LIST, free_value, dup_value);
    lazyfree_register_len(OBJ_LIST, len_value);
    rdb_register_saver(OBJ_LIST, save_rdb);
    rdb_register_loader(RDB_TYPE_LIST, load_rdb);
    rdb_register_loader(RDB_TYPE_LIST_ZIPLIST, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_LIST_QUICKLIST, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_LIST_QUICKLIST_2, load_rdb_compact);
}
