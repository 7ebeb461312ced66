/* object.c: construction, encoding choice and destruction of kvobj (see
 * object.h for the layout). The encoding rules match Redis's
 * tryObjectEncoding for strings so OBJECT ENCODING answers the same. */
#include "object.h"

#include <string.h>

#include "core/dict.h"
#include "core/listpack.h"
#include "core/util.h"
#include "core/zmalloc.h"

static valueFreeFn free_fns[16];
static valueDupFn dup_fns[16];

void obj_register_type(unsigned type, valueFreeFn free_fn, valueDupFn dup_fn) {
    free_fns[type] = free_fn;
    dup_fns[type] = dup_fn;
}

static int embeds_value(value v) { return v.type == OBJ_STRING && v.encoding == OBJ_ENC_EMBSTR; }

/* For EMBSTR values, v.ptr is a normal sds whose bytes are copied into the
 * object and then freed. */
kvobj *kv_new(const char *key, size_t keylen, value v, long long expire, unsigned lru) {
    size_t head = sizeof(kvobj) + (expire >= 0 ? sizeof(kvExpire) : 0);
    size_t keysz = sdsEmbedSize(keylen);
    size_t valsz = embeds_value(v) ? sdsEmbedSize(sdslen((sds)v.ptr)) : 0;
    kvobj *o = zmalloc(head + keysz + valsz);
    o->next = NULL;
    o->type = v.type;
    o->encoding = v.encoding;
    o->lru = lru;
    o->flags = expire >= 0 ? KV_HAS_EXPIRE : 0;
    o->unused = 0;
    sds k = sdsEmbed((char *)o + head, key, keylen);
    o->key_offset = (uint8_t)((char *)k - (char *)o);
    if (expire >= 0) {
        kv_expire_block(o)->exp_next = NULL;
        kv_expire_block(o)->when = expire;
    }
    if (valsz) {
        sds src = v.ptr;
        o->ptr = sdsEmbed((char *)o + head + keysz, src, sdslen(src));
        sdsfree(src);
    } else {
        o->ptr = v.ptr;
    }
    return o;
}

kvobj *kv_move(kvobj *o, const char *key, size_t keylen, long long expire) {
    value v = {o->type, o->encoding, o->ptr};
    if (embeds_value(v)) v.ptr = sdsnewlen(o->ptr, sdslen(o->ptr));
    return kv_new(key, keylen, v, expire, o->lru);
}

/* A value not attached to an object owns its memory, EMBSTR included
 * (until kv_new copies the bytes into the object). */
void value_free(value v) {
    if (v.type == OBJ_STRING) {
        if (v.encoding != OBJ_ENC_INT) sdsfree(v.ptr);
    } else if (free_fns[v.type]) {
        free_fns[v.type](v.encoding, v.ptr);
    }
}

void kv_free(kvobj *o) {
    if (!o) return;
    /* An embedded string lives inside the object itself. */
    if (!(o->type == OBJ_STRING && o->encoding == OBJ_ENC_EMBSTR)) value_free(kv_value(o));
    zfree(o);
}

value kv_value(const kvobj *o) {
    value v = {o->type, o->encoding, o->ptr};
    return v;
}

value value_dup(value v) {
    if (v.type == OBJ_STRING) {
        if (v.encoding == OBJ_ENC_INT) return v;
        value r = {OBJ_STRING, v.encoding, sdsnewlen(v.ptr, sdslen(v.ptr))};
        return r;
    }
    value r = {v.type, v.encoding, dup_fns[v.type] ? dup_fns[v.type](v.encoding, v.ptr) : NULL};
    return r;
}

value value_string_ll(long long ll) {
    value v = {OBJ_STRING, OBJ_ENC_INT, (void *)(intptr_t)ll};
    return v;
}

value value_string_sds(sds s) {
    long long ll;
    size_t len = sdslen(s);
    if (len <= 20 && string2ll(s, len, &ll)) {
        sdsfree(s);
        return value_string_ll(ll);
    }
    value v = {OBJ_STRING, len <= OBJ_EMBSTR_LIMIT ? OBJ_ENC_EMBSTR : OBJ_ENC_RAW, s};
    if (v.encoding == OBJ_ENC_RAW && sdsavail(s) > len / 10) v.ptr = sdsRemoveFreeSpace(s);
    return v;
}

value value_string(const char *p, size_t len) { return value_string_sds(sdsnewlen(p, len)); }

value value_string_raw(sds s) {
    value v = {OBJ_STRING, OBJ_ENC_RAW, s};
    return v;
}

value value_string_noint(const char *p, size_t len) {
    value v = {OBJ_STRING, len <= OBJ_EMBSTR_LIMIT ? OBJ_ENC_EMBSTR : OBJ_ENC_RAW, sdsnewlen(p, len)};
    return v;
}

const char *kv_string_bytes(const kvobj *o, char *buf, size_t *len) {
    if (o->encoding == OBJ_ENC_INT) {
        *len = (size_t)ll2string(buf, 24, (long long)(intptr_t)o->ptr);
        return buf;
    }
    *len = sdslen(o->ptr);
    return o->ptr;
}

size_t kv_string_len(const kvobj *o) {
    char buf[24];
    size_t len;
    kv_string_bytes(o, buf, &len);
    return len;
}

sds kv_string_unshare(kvobj *o) {
    if (o->encoding == OBJ_ENC_RAW) return o->ptr;
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    o->ptr = sdsnewlen(p, len);
    o->encoding = OBJ_ENC_RAW;
    return o->ptr;
}

int kv_string_get_ll(const kvobj *o, long long *out) {
    if (o->encoding == OBJ_ENC_INT) {
        *out = (long long)(intptr_t)o->ptr;
        return 1;
    }
    return string2ll(o->ptr, sdslen(o->ptr), out);
}

/* Where kv_new puts an embedded value: right after the embedded key. */
static char *value_slot(const kvobj *o) {
    size_t head = sizeof(kvobj) + ((o->flags & KV_HAS_EXPIRE) ? sizeof(kvExpire) : 0);
    return (char *)o + head + sdsEmbedSize(sdslen(kv_key(o)));
}

int kv_string_set_inplace(kvobj *o, const char *p, size_t len) {
    if (o->type != OBJ_STRING || o->encoding == OBJ_ENC_RAW) return 0; /* a raw sds would need freeing */
    long long ll;
    if (len <= 20 && string2ll(p, len, &ll)) {
        o->encoding = OBJ_ENC_INT;
        o->ptr = (void *)(intptr_t)ll;
        return 1;
    }
    if (len > OBJ_EMBSTR_LIMIT) return 0;
    char *slot = value_slot(o);
    if (sdsEmbedSize(len) > zmalloc_size(o) - (size_t)(slot - (char *)o)) return 0;
    o->ptr = sdsEmbed(slot, p, len);
    o->encoding = OBJ_ENC_EMBSTR;
    return 1;
}

const char *obj_type_name(unsigned type) {
    static const char *names[] = {"string", "list", "set", "zset", "hash"};
    return type < 5 ? names[type] : "unknown";
}

const char *obj_encoding_name(unsigned enc) {
    switch (enc) {
    case OBJ_ENC_RAW: return "raw";
    case OBJ_ENC_INT: return "int";
    case OBJ_ENC_HT: return "hashtable";
    case OBJ_ENC_INTSET: return "intset";
    case OBJ_ENC_SKIPLIST: return "skiplist";
    case OBJ_ENC_EMBSTR: return "embstr";
    case OBJ_ENC_QUICKLIST: return "quicklist";
    case OBJ_ENC_LISTPACK: return "listpack";
    default: return "unknown";
    }
}

void elem_set_str(elem *e, const char *s, size_t len) {
    e->s = s;
    e->len = len;
    e->is_int = 0;
}

void elem_set_int(elem *e, long long v) {
    e->is_int = 1;
    e->v = v;
    e->len = (size_t)ll2string(e->buf, sizeof(e->buf), v);
    e->s = e->buf;
}

void elem_from_lp(elem *e, const unsigned char *p) {
    size_t len;
    long long v;
    const unsigned char *s = lp_get(p, &len, &v);
    if (s) elem_set_str(e, (const char *)s, len);
    else elem_set_int(e, v);
}

static void strset_entry_free(void *e) {
    sdsfree(((dictKey *)e)->key);
    zfree(e);
}
static const dictType strset_type = {dict_sds_hash, dict_sds_equal, dict_key_key, strset_entry_free, 0};

dict *strset_new(unsigned long cap) {
    dict *d = dict_create(&strset_type);
    if (cap) dict_expand(d, cap);
    return d;
}

int strset_add(dict *d, const char *s, size_t len) {
    char buf[LOOKUP_KEY_BUF];
    sds key = lookup_key(buf, s, len);
    int isnew = dict_find(d, key) == NULL;
    lookup_key_done(buf, key);
    if (isnew) {
        dictKey *e = zmalloc(sizeof(*e));
        e->key = sdsnewlen(s, len);
        dict_add_new(d, e);
    }
    return isnew;
}

int obj_lp_validate(const void *blob, size_t size, int check_dups, int pairs) {
    unsigned char *lp = (unsigned char *)blob;
    if (!lp_validate(lp, size, 1, NULL, NULL)) return 0;
    if (pairs && lp_length(lp) % 2) return 0;
    if (!check_dups) return 1;
    dict *seen = strset_new(0);
    int ok = 1;
    char buf[LP_INTBUF_SIZE];
    for (unsigned char *p = lp_first(lp); p && ok; p = pairs ? lp_next(lp, lp_next(lp, p)) : lp_next(lp, p)) {
        size_t len;
        const char *s = lp_get_str(p, &len, buf);
        ok = strset_add(seen, s, len);
    }
    dict_release(seen);
    return ok;
}
