/* set.c: see set.h. Which encoding a set gets, and when it moves to the
 * next one, follows Redis 7.2's t_set.c rule for rule (setTypeCreate,
 * setTypeAddAux, setTypeMaybeConvert, the SPOP strategies), because
 * OBJECT ENCODING must answer the same after the same commands.
 *
 * RDB: intsets are written as SET_INTSET blobs (type 11), listpack and
 * hashtable sets as plain SET (type 2): Redis 7.0 cannot read the
 * SET_LISTPACK type (20) that Redis 7.2 writes. On load a set comes up in
 * the encoding Redis would give it. */
#include "set.h"

#include <string.h>

#include "core/intset.h"
#include "core/listpack.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/rdb.h"
#include "persist/rdb_blobs.h"
#include "persist/rdb_codec.h"
#include "server/server.h"

static void entry_free(void *e) {
    sdsfree(((dictKey *)e)->key);
    zfree(e);
}
static const dictType set_dict_type = {dict_sds_hash, dict_sds_equal, dict_key_key, entry_free, 0};

static dict *new_dict(unsigned long cap) {
    dict *d = dict_create(&set_dict_type);
    if (cap) dict_expand(d, cap);
    return d;
}

static void dict_add_member(dict *d, const char *m, size_t len) {
    dictKey *e = zmalloc(sizeof(*e));
    e->key = sdsnewlen(m, len);
    dict_add_new(d, e);
}

static size_t intset_max_entries(const server *srv) {
    size_t max = srv->set_max_intset_entries;
    return max >= (1UL << 30) ? (1UL << 30) : max;
}

static int as_int(const char *s, size_t len, long long *v) { return len <= 20 && string2ll(s, len, v); }

/* ---- creation and size */

value set_new_intset(void) {
    value v = {OBJ_SET, OBJ_ENC_INTSET, intset_new()};
    return v;
}

value set_new_listpack(size_t capacity) {
    value v = {OBJ_SET, OBJ_ENC_LISTPACK, lp_new(capacity)};
    return v;
}

value set_create(const server *srv, const char *first, size_t len, size_t size_hint) {
    long long ll;
    if (as_int(first, len, &ll) && size_hint <= srv->set_max_intset_entries) return set_new_intset();
    if (size_hint <= srv->set_max_listpack_entries) return set_new_listpack(0);
    value v = {OBJ_SET, OBJ_ENC_HT, new_dict(size_hint)};
    return v;
}

unsigned long set_len(const kvobj *o) {
    switch (o->encoding) {
    case OBJ_ENC_INTSET: return intset_len(o->ptr);
    case OBJ_ENC_LISTPACK: return lp_length(o->ptr);
    default: return (unsigned long)dict_size(o->ptr);
    }
}

size_t set_listpack_bytes(const kvobj *o) { return o->encoding == OBJ_ENC_LISTPACK ? lp_bytes(o->ptr) : 0; }

static void free_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_HT) dict_release(ptr);
    else zfree(ptr);
}

/* ---- iteration */

void set_iter_init(setIter *it, kvobj *o) {
    it->o = o;
    it->encoding = o->encoding;
    it->index = 0;
    it->p = NULL;
    if (o->encoding == OBJ_ENC_HT) dict_iter_init(&it->di, o->ptr, 1);
}

int set_iter_next(setIter *it, elem *e) {
    switch (it->encoding) {
    case OBJ_ENC_INTSET: {
        int64_t v;
        if (!intset_get(it->o->ptr, it->index, &v)) return 0;
        it->index++;
        elem_set_int(e, v);
        return 1;
    }
    case OBJ_ENC_LISTPACK:
        it->p = it->p ? lp_next(it->o->ptr, it->p) : lp_first(it->o->ptr);
        if (!it->p) return 0;
        elem_from_lp(e, it->p);
        return 1;
    default: {
        dictKey *k = dict_iter_next(&it->di);
        if (!k) return 0;
        elem_set_str(e, k->key, sdslen(k->key));
        return 1;
    }
    }
}

void set_iter_release(setIter *it) {
    if (it->encoding == OBJ_ENC_HT) dict_iter_release(&it->di);
}

/* ---- conversion */

void set_convert(kvobj *o, unsigned enc, unsigned long cap) {
    void *to;
    setIter it;
    elem e;
    if (enc == OBJ_ENC_HT) {
        dict *d = new_dict(cap);
        set_iter_init(&it, o);
        while (set_iter_next(&it, &e)) { /* a duplicate (in an unsanitized listpack) is dropped */
            dictKey *k = zmalloc(sizeof(*k));
            k->key = sdsnewlen(e.s, e.len);
            if (dict_add(d, k) == -1) entry_free(k);
        }
        set_iter_release(&it);
        to = d;
    } else {
        /* at least two bytes per member; from an intset we know better */
        size_t estcap = cap * 2;
        if (o->encoding == OBJ_ENC_INTSET && intset_len(o->ptr)) {
            size_t a = lp_estimate_int_bytes(intset_min(o->ptr), cap);
            size_t b = lp_estimate_int_bytes(intset_max(o->ptr), cap);
            estcap = a > b ? a : b;
        }
        unsigned char *lp = lp_new(estcap);
        set_iter_init(&it, o);
        while (set_iter_next(&it, &e)) lp = e.is_int ? lp_append_int(lp, e.v) : lp_append(lp, e.s, e.len);
        set_iter_release(&it);
        to = lp;
    }
    free_value(o->encoding, o->ptr);
    o->encoding = enc;
    o->ptr = to;
}

void set_maybe_convert(const server *srv, kvobj *o, size_t size_hint) {
    if ((o->encoding == OBJ_ENC_LISTPACK && size_hint > srv->set_max_listpack_entries) ||
        (o->encoding == OBJ_ENC_INTSET && size_hint > srv->set_max_intset_entries))
        set_convert(o, OBJ_ENC_HT, size_hint);
}

void set_maybe_to_intset(const server *srv, kvobj *o) {
    if (o->encoding == OBJ_ENC_INTSET || set_len(o) > intset_max_entries(srv)) return;
    intset *is = intset_new();
    setIter it;
    elem e;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) {
        long long v = e.v;
        if (!e.is_int && !as_int(e.s, e.len, &v)) {
            set_iter_release(&it);
            intset_free(is);
            return;
        }
        int added;
        is = intset_add(is, v, &added);
    }
    set_iter_release(&it);
    free_value(o->encoding, o->ptr);
    o->encoding = OBJ_ENC_INTSET;
    o->ptr = is;
}

void set_shrink(kvobj *o) {
    if (o->encoding == OBJ_ENC_LISTPACK) o->ptr = lp_shrink_to_fit(o->ptr);
}

/* ---- add / remove / membership */

static int intset_add_checked(const server *srv, kvobj *o, long long v) {
    int added;
    o->ptr = intset_add(o->ptr, v, &added);
    if (added && intset_len(o->ptr) > intset_max_entries(srv)) set_convert(o, OBJ_ENC_HT, intset_len(o->ptr));
    return added;
}

/* Printed width of v, sign included. */
static size_t digits(long long v) {
    char buf[24];
    return (size_t)ll2string(buf, sizeof(buf), v);
}

/* A non-integer member arrives at an intset: listpack if everything will
 * fit one (assuming every integer as long as the longest), else hashtable. */
static void intset_outgrown(const server *srv, kvobj *o, const char *m, size_t len) {
    unsigned long n = intset_len(o->ptr);
    size_t maxlen = 0, total = 0;
    if (n) {
        size_t a = digits(intset_max(o->ptr)), b = digits(intset_min(o->ptr));
        maxlen = a > b ? a : b;
        a = lp_estimate_int_bytes(intset_max(o->ptr), n);
        b = lp_estimate_int_bytes(intset_min(o->ptr), n);
        total = a > b ? a : b;
    }
    if (n < srv->set_max_listpack_entries && len <= srv->set_max_listpack_value &&
        maxlen <= srv->set_max_listpack_value && lp_safe_to_add(NULL, total + len)) {
        set_convert(o, OBJ_ENC_LISTPACK, n + 1);
        o->ptr = lp_shrink_to_fit(lp_append(o->ptr, m, len));
    } else {
        set_convert(o, OBJ_ENC_HT, n + 1);
        dict_add_member(o->ptr, m, len);
    }
}

int set_add_elem(const server *srv, kvobj *o, const elem *e) {
    long long v;
    switch (o->encoding) {
    case OBJ_ENC_INTSET:
        if (e->is_int) return intset_add_checked(srv, o, e->v);
        if (as_int(e->s, e->len, &v)) return intset_add_checked(srv, o, v);
        intset_outgrown(srv, o, e->s, e->len);
        return 1;
    case OBJ_ENC_LISTPACK: {
        unsigned char *lp = o->ptr, *p = lp_first(lp);
        if (p && lp_find(lp, p, e->s, e->len, 0)) return 0;
        if (lp_length(lp) < srv->set_max_listpack_entries && e->len <= srv->set_max_listpack_value &&
            lp_safe_to_add(lp, e->len)) {
            o->ptr = e->is_int ? lp_append_int(lp, e->v) : lp_append(lp, e->s, e->len);
        } else {
            set_convert(o, OBJ_ENC_HT, lp_length(lp) + 1);
            dict_add_member(o->ptr, e->s, e->len);
        }
        return 1;
    }
    default: {
        char buf[LOOKUP_KEY_BUF];
        sds key = lookup_key(buf, e->s, e->len);
        int added = dict_find(o->ptr, key) == NULL;
        if (added) dict_add_member(o->ptr, e->s, e->len);
        lookup_key_done(buf, key);
        return added;
    }
    }
}

int set_add(const server *srv, kvobj *o, const char *m, size_t len) {
    elem e;
    elem_set_str(&e, m, len);
    return set_add_elem(srv, o, &e);
}

int set_del_elem(kvobj *o, const elem *e) {
    switch (o->encoding) {
    case OBJ_ENC_INTSET: {
        long long v = e->v;
        int removed = 0;
        if (e->is_int || as_int(e->s, e->len, &v)) o->ptr = intset_remove(o->ptr, v, &removed);
        return removed;
    }
    case OBJ_ENC_LISTPACK: {
        unsigned char *lp = o->ptr, *p = lp_first(lp);
        if (p) p = lp_find(lp, p, e->s, e->len, 0);
        if (!p) return 0;
        o->ptr = lp_delete(lp, p, NULL);
        return 1;
    }
    default: {
        char buf[LOOKUP_KEY_BUF];
        sds key = lookup_key(buf, e->s, e->len);
        dictKey *k = dict_unlink(o->ptr, key);
        lookup_key_done(buf, key);
        if (!k) return 0;
        entry_free(k);
        return 1;
    }
    }
}

int set_del(kvobj *o, const char *m, size_t len) {
    elem e;
    elem_set_str(&e, m, len);
    return set_del_elem(o, &e);
}

int set_has_elem(kvobj *o, const elem *e) {
    switch (o->encoding) {
    case OBJ_ENC_INTSET: {
        long long v = e->v;
        return (e->is_int || as_int(e->s, e->len, &v)) && intset_find(o->ptr, v);
    }
    case OBJ_ENC_LISTPACK: {
        unsigned char *p = lp_first(o->ptr);
        return p && lp_find(o->ptr, p, e->s, e->len, 0);
    }
    default: {
        char buf[LOOKUP_KEY_BUF];
        sds key = lookup_key(buf, e->s, e->len);
        int found = dict_find(o->ptr, key) != NULL;
        lookup_key_done(buf, key);
        return found;
    }
    }
}

int set_has(kvobj *o, const char *m, size_t len) {
    elem e;
    elem_set_str(&e, m, len);
    return set_has_elem(o, &e);
}

/* ---- random members */

void set_random(kvobj *o, elem *e) {
    switch (o->encoding) {
    case OBJ_ENC_INTSET: elem_set_int(e, intset_random(o->ptr)); break;
    case OBJ_ENC_LISTPACK:
        elem_from_lp(e, lp_seek(o->ptr, (long)(random_u64() % lp_length(o->ptr))));
        break;
    default: {
        dictKey *k = dict_fair_random_entry(o->ptr);
        elem_set_str(e, k->key, sdslen(k->key));
    }
    }
}

sds set_pop(kvobj *o) {
    elem e;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char *p = lp_seek(o->ptr, (long)(random_u64() % lp_length(o->ptr)));
        elem_from_lp(&e, p);
        sds m = elem_sds(&e);
        o->ptr = lp_delete(o->ptr, p, NULL);
        return m;
    }
    set_random(o, &e);
    sds m = elem_sds(&e);
    set_del(o, m, sdslen(m));
    return m;
}

/* Picks `count` listpack entries in order (selection sampling) and
 * returns them for a batch delete. */
static unsigned char **lp_pick(unsigned char *lp, unsigned long count) {
    unsigned char **ps = zmalloc(sizeof(*ps) * (count ? count : 1)), *p = lp_first(lp);
    unsigned long index = 0;
    for (unsigned long i = 0; i < count; i++) {
        p = lp_next_random(lp, p, &index, count - i, 0);
        ps[i] = p;
        p = lp_next(lp, p);
        index++;
    }
    return ps;
}

/* How much bigger than what remains the popped part must be for SPOP to
 * rebuild the set from the remaining members (Redis's constant). */
#define SPOP_MOVE_STRATEGY_MUL 5

void set_pop_count(const server *srv, kvobj *o, unsigned long count, setEmitFn *emit, void *ctx) {
    unsigned long size = set_len(o), remaining = size - count;
    elem e;
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
        /* few picks: take them out one by one */
        if (o->encoding == OBJ_ENC_LISTPACK) {
            unsigned char **ps = lp_pick(o->ptr, count);
            for (unsigned long i = 0; i < count; i++) {
                elem_from_lp(&e, ps[i]);
                emit(ctx, &e);
            }
            o->ptr = lp_batch_delete(o->ptr, ps, count);
            zfree(ps);
        } else {
            for (unsigned long i = 0; i < count; i++) {
                sds m = set_pop(o);
                elem_set_str(&e, m, sdslen(m));
                emit(ctx, &e);
                sdsfree(m);
            }
        }
        return;
    }
    /* Most members go: move the ones that stay to a new set, hand out
     * everything left in the old one, and swap. */
    kvobj fresh = {0};
    fresh.type = OBJ_SET;
    if (o->encoding == OBJ_ENC_LISTPACK) {
        fresh.encoding = OBJ_ENC_LISTPACK;
        fresh.ptr = lp_new(0);
        unsigned char **ps = lp_pick(o->ptr, remaining);
        for (unsigned long i = 0; i < remaining; i++) {
            elem_from_lp(&e, ps[i]);
            set_add_elem(srv, &fresh, &e);
        }
        o->ptr = lp_batch_delete(o->ptr, ps, remaining);
        zfree(ps);
    } else {
        for (unsigned long i = 0; i < remaining; i++) {
            set_random(o, &e);
            if (!fresh.ptr) { /* an intset's members arrive as integers */
                value v = e.is_int ? set_new_intset() : set_new_listpack(0);
                fresh.encoding = v.encoding;
                fresh.ptr = v.ptr;
            }
            set_add_elem(srv, &fresh, &e);
            set_del_elem(o, &e);
        }
    }
    setIter it;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) emit(ctx, &e);
    set_iter_release(&it);
    free_value(o->encoding, o->ptr);
    if (!fresh.ptr) { /* nothing stays: cannot happen as count < size */
        value v = set_new_listpack(0);
        fresh.encoding = v.encoding;
        fresh.ptr = v.ptr;
    }
    o->encoding = fresh.encoding;
    o->ptr = fresh.ptr;
}

/* SRANDMEMBER above this share of the size copies the set and removes
 * random members instead of drawing (Redis's constant). */
#define SRANDMEMBER_SUB_STRATEGY_MUL 3

void set_random_count(kvobj *o, unsigned long count, int unique, setEmitFn *emit, void *ctx) {
    unsigned long size = set_len(o);
    elem e;
    if (!unique || count == 1) {
        if (o->encoding == OBJ_ENC_LISTPACK) { /* index the entries once */
            unsigned char **ps = zmalloc(sizeof(*ps) * size), *p = lp_first(o->ptr);
            for (unsigned long i = 0; p; p = lp_next(o->ptr, p)) ps[i++] = p;
            while (count--) {
                elem_from_lp(&e, ps[random_u64() % size]);
                emit(ctx, &e);
            }
            zfree(ps);
            return;
        }
        while (count--) {
            set_random(o, &e);
            emit(ctx, &e);
        }
        return;
    }
    if (count >= size) {
        setIter it;
        set_iter_init(&it, o);
        while (set_iter_next(&it, &e)) emit(ctx, &e);
        set_iter_release(&it);
        return;
    }
    if (o->encoding == OBJ_ENC_LISTPACK) {
        unsigned char **ps = lp_pick(o->ptr, count);
        for (unsigned long i = 0; i < count; i++) {
            elem_from_lp(&e, ps[i]);
            emit(ctx, &e);
        }
        zfree(ps);
        return;
    }
    if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
        /* copy everything, keep a random `count` of it (partial shuffle) */
        sds *all = zmalloc(sizeof(sds) * size);
        unsigned long n = 0;
        setIter it;
        set_iter_init(&it, o);
        while (set_iter_next(&it, &e)) all[n++] = elem_sds(&e);
        set_iter_release(&it);
        for (unsigned long i = 0; i < count; i++) {
            unsigned long j = i + random_u64() % (n - i);
            sds t = all[i];
            all[i] = all[j];
            all[j] = t;
            elem_set_str(&e, all[i], sdslen(all[i]));
            emit(ctx, &e);
        }
        for (unsigned long i = 0; i < n; i++) sdsfree(all[i]);
        zfree(all);
        return;
    }
    /* a big set: draw until count distinct members */
    dict *seen = new_dict(count);
    while (dict_size(seen) < count) {
        set_random(o, &e);
        char buf[LOOKUP_KEY_BUF];
        sds key = lookup_key(buf, e.s, e.len);
        if (!dict_find(seen, key)) {
            dict_add_member(seen, e.s, e.len);
            emit(ctx, &e);
        }
        lookup_key_done(buf, key);
    }
    dict_release(seen);
}

/* ---- plug-ins: free, dup, lazy-free effort, RDB */

static void *dup_value(unsigned enc, void *ptr) {
    if (enc == OBJ_ENC_INTSET) return intset_dup(ptr);
    if (enc == OBJ_ENC_LISTPACK) return lp_dup(ptr);
    dict *d = new_dict(dict_size(ptr));
    dictIterator it;
    dict_iter_init(&it, ptr, 0);
    dictKey *e;
    while ((e = dict_iter_next(&it))) dict_add_member(d, e->key, sdslen(e->key));
    dict_iter_release(&it);
    return d;
}

/* Compact encodings are one allocation: freeing them costs nothing. */
static size_t len_value(unsigned enc, void *ptr) { return enc == OBJ_ENC_HT ? (size_t)dict_size(ptr) : 1; }

static int save_rdb(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = v.encoding == OBJ_ENC_INTSET ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    if (!r) return 0;
    if (v.encoding == OBJ_ENC_INTSET) return rdb_save_string(r, v.ptr, intset_blob_len(v.ptr), compress);
    kvobj o = kv_temp(v);
    if (rdb_save_len(r, set_len(&o)) == -1) return -1;
    setIter it;
    elem e;
    int rc = 0;
    set_iter_init(&it, &o);
    while (rc == 0 && set_iter_next(&it, &e))
        rc = e.is_int ? rdb_save_ll_as_string(r, e.v) : rdb_save_string(r, e.s, e.len, compress);
    set_iter_release(&it);
    return rc;
}

/* Plain sets: members one by one, into the encoding Redis would pick
 * (intset while they are integers, then listpack or hashtable). */
static int load_rdb(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    uint64_t len = rdb_load_len(r, NULL);
    if (len == RDB_LENERR || len == 0) return -1;
    unsigned long cap = len < RDB_PRESIZE_MAX ? len : RDB_PRESIZE_MAX; /* len is untrusted */
    value v = len > intset_max_entries(srv) ? (value){OBJ_SET, OBJ_ENC_HT, new_dict(cap)} : set_new_intset();
    kvobj o = kv_temp(v);
    size_t maxlen = 0, sumlen = 0;
    for (uint64_t i = 0; i < len; i++) {
        sds m = rdb_load_string(r);
        if (!m) goto fail;
        size_t mlen = sdslen(m);
        sumlen += mlen;
        if (mlen > maxlen) maxlen = mlen;
        long long ll = 0;
        if (o.encoding == OBJ_ENC_INTSET && !as_int(m, mlen, &ll)) {
            if (set_len(&o) < srv->set_max_listpack_entries && maxlen <= srv->set_max_listpack_value &&
                lp_safe_to_add(NULL, sumlen))
                set_convert(&o, OBJ_ENC_LISTPACK, set_len(&o) + 1);
            else
                set_convert(&o, OBJ_ENC_HT, cap);
        }
        if (o.encoding == OBJ_ENC_LISTPACK && !(set_len(&o) < srv->set_max_listpack_entries &&
                                                mlen <= srv->set_max_listpack_value && lp_safe_to_add(o.ptr, mlen)))
            set_convert(&o, OBJ_ENC_HT, cap);
        int added;
        if (o.encoding == OBJ_ENC_INTSET) {
            o.ptr = intset_add(o.ptr, ll, &added);
        } else if (o.encoding == OBJ_ENC_LISTPACK) {
            added = !set_has(&o, m, mlen);
            if (added) o.ptr = lp_append(o.ptr, m, mlen);
        } else {
            added = set_add(srv, &o, m, mlen);
        }
        sdsfree(m);
        if (!added) goto fail; /* a duplicate member: corrupt */
    }
    *out = kv_value(&o);
    return 0;
fail:
    free_value(o.encoding, o.ptr);
    return -1;
}

/* Compact sets: an intset (11) or, from Redis 7.2, a listpack (20). Kept
 * as they are when within the limits, after validation. */
static int load_rdb_compact(rio *r, int rdbtype, value *out, int deep, struct server *srv) {
    sds blob = rdb_load_string(r);
    if (!blob) return -1;
    size_t n = sdslen(blob);
    kvobj o = {0};
    o.type = OBJ_SET;
    if (rdbtype == RDB_TYPE_SET_INTSET) {
        if (!intset_validate((unsigned char *)blob, n, 1)) goto fail;
        o.encoding = OBJ_ENC_INTSET;
        o.ptr = zmalloc(n);
        memcpy(o.ptr, blob, n);
        if (intset_len(o.ptr) > srv->set_max_intset_entries) set_convert(&o, OBJ_ENC_HT, intset_len(o.ptr));
    } else {
        if (!obj_lp_validate(blob, n, deep, 0) || lp_length((unsigned char *)blob) == 0) goto fail;
        o.encoding = OBJ_ENC_LISTPACK;
        o.ptr = zmalloc(n);
        memcpy(o.ptr, blob, n);
        if (lp_length(o.ptr) > srv->set_max_listpack_entries) set_convert(&o, OBJ_ENC_HT, lp_length(o.ptr));
    }
    sdsfree(blob);
    *out = kv_value(&o);
    return 0;
fail:
    sdsfree(blob);
    return -1;
}

void set_register(void) {
    obj_register_type(OBJ_SET, free_value, dup_value);
    lazyfree_register_len(OBJ_SET, len_value);
    rdb_register_saver(OBJ_SET, save_rdb);
    rdb_register_loader(RDB_TYPE_SET, load_rdb);
    rdb_register_loader(RDB_TYPE_SET_INTSET, load_rdb_compact);
    rdb_register_loader(RDB_TYPE_SET_LISTPACK, load_rdb_compact);
}
