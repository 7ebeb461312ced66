/* sort.c: SORT and SORT_RO over lists, sets and sorted sets.
 *
 * Elements are collected with their sort weight (from BY pattern lookups,
 * or the element itself), sorted numerically or with ALPHA as strcoll-free
 * byte comparison, then LIMIT, then each element is expanded by the GET
 * patterns (# is the element itself, "*->field" reads a hash field). BY
 * with no '*' means "don't sort" (lists and sorted sets keep their order;
 * a set is sorted alphabetically when stored, for deterministic replicas). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/server.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

typedef struct sortItem {
    sds elem;
    sds weight_str; /* ALPHA by a pattern */
    double weight;
} sortItem;

/* Looks the pattern up with * replaced by subst: a string value, a hash
 * field (pattern "...*...->field"), or the element itself for "#".
 * Returns a new sds or NULL. */
static sds lookup_pattern(db *d, const sds pattern, const sds subst) {
    if (sdslen(pattern) == 1 && pattern[0] == '#') return sdsdup(subst);
    char *star = strchr(pattern, '*');
    if (!star) return NULL;
    char *arrow = strstr(star + 1, "->");
    size_t prefix = (size_t)(star - pattern);
    size_t postfix = arrow && arrow[2] ? (size_t)(arrow - star - 1) : sdslen(pattern) - prefix - 1;
    sds key = sdscatlen(sdscatsds(sdsnewlen(pattern, prefix), subst), star + 1, postfix);
    kvobj *o = db_lookup(d, key, LOOKUP_NONOTIFY | LOOKUP_NOSTATS);
    sdsfree(key);
    if (!o) return NULL;
    if (arrow && arrow[2]) {
        if (o->type != OBJ_HASH) return NULL;
        elem v;
        return hash_get(o, arrow + 2, strlen(arrow + 2), &v) ? elem_sds(&v) : NULL;
    }
    if (o->type != OBJ_STRING) return NULL;
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    return sdsnewlen(p, len);
}

typedef struct sortOpts {
    int desc, alpha;
} sortOpts;

static int cmp_items(const void *a, const void *b, void *ctx) {
    const sortItem *x = a, *y = b;
    const sortOpts *opts = ctx;
    int r;
    if (!opts->alpha) {
        r = x->weight < y->weight ? -1 : x->weight > y->weight ? 1 : 0;
    } else if (x->weight_str || y->weight_str) {
        if (!x->weight_str) r = y->weight_str ? -1 : 0;
        else if (!y->weight_str) r = 1;
        else r = sdscmp(x->weight_str, y->weight_str);
    } else {
        r = sdscmp(x->elem, y->elem);
    }
    if (r == 0 && !opts->alpha) r = sdscmp(x->elem, y->elem); /* ties ordered by element, as Redis does */
    return opts->desc ? -r : r;
}

static void collect(kvobj *o, sortItem **items, long *n) {
    long cap = 16;
    *items = zmalloc(sizeof(sortItem) * (size_t)cap);
    *n = 0;
#define ADD(s)                                                                                                       \
    do {                                                                                                             \
        if (*n == cap) *items = zrealloc(*items, sizeof(sortItem) * (size_t)(cap *= 2));                            \
        (*items)[(*n)++] = (sortItem){sdsdup(s), NULL, 0};                                                          \
    } while (0)
#define ADD_BYTES(p, len)                                                                                    \
    do {                                                                                                     \
        if (*n == cap) *items = zrealloc(*items, sizeof(sortItem) * (size_t)(cap *= 2));                    \
        (*items)[(*n)++] = (sortItem){sdsnewlen(p, len), NULL, 0};                                          \
    } while (0)
    if (o->type == OBJ_LIST) {
        list *l = list_of(o);
        for (long i = 0; i < list_len(l); i++) ADD(list_index(l, i));
    } else if (o->type == OBJ_SET) {
        setIter it;
        elem e;
        set_iter_init(&it, o);
        while (set_iter_next(&it, &e)) ADD_BYTES(e.s, e.len);
        set_iter_release(&it);
    } else {
        zsetPos pos;
        elem m;
        double score;
        for (int more = zset_seek_rank(o, 0, 0, &pos); more; more = zset_step(o, &pos, 0)) {
            zset_read(o, &pos, &m, &score);
            ADD_BYTES(m.s, m.len);
        }
    }
#undef ADD
#undef ADD_BYTES
}

static void sort_generic(client *c, int readonly) {
    sortOpts opts = {0, 0};
    long long offset = 0, count = -1;
    sds sortby = NULL, storekey = NULL;
    int dontsort = 0, ngets = 0;
    sds *gets = zmalloc(sizeof(sds) * (size_t)c->argc);
    for (int j = 2; j < c->argc; j++) {
        int left = c->argc - j - 1;
        sds a = c->argv[j];
        if (arg_is(a, "asc")) opts.desc = 0;
        else if (arg_is(a, "desc")) opts.desc = 1;
        else if (arg_is(a, "alpha")) opts.alpha = 1;
        else if (arg_is(a, "limit") && left >= 2) {
            if (arg_ll(c, c->argv[j + 1], &offset, NULL) == -1 || arg_ll(c, c->argv[j + 2], &count, NULL) == -1) goto out;
            j += 2;
        } else if (!readonly && arg_is(a, "store") && left >= 1) {
            storekey = c->argv[++j];
        } else if (arg_is(a, "by") && left >= 1) {
            sortby = c->argv[++j];
            if (!strchr(sortby, '*')) dontsort = 1;
        } else if (arg_is(a, "get") && left >= 1) {
            gets[ngets++] = c->argv[++j];
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            goto out;
        }
    }
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (o && o->type != OBJ_LIST && o->type != OBJ_SET && o->type != OBJ_ZSET) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        goto out;
    }
    sortItem *items = NULL;
    long n = 0;
    if (o) collect(o, &items, &n);
    if (dontsort && o && o->type == OBJ_SET && storekey) { /* deterministic for replicas */
        dontsort = 0;
        opts.alpha = 1;
        sortby = NULL;
    }
    if (!dontsort) {
        for (long i = 0; i < n; i++) {
            sds w = sortby ? lookup_pattern(c->db, sortby, items[i].elem) : NULL;
            if (opts.alpha) {
                items[i].weight_str = sortby ? w : NULL;
                w = NULL;
            } else {
                const sds src = sortby ? w : items[i].elem;
                if (src && !string2d(src, sdslen(src), &items[i].weight)) {
                    sdsfree(w);
                    reply_error(&c->reply, "One or more scores can't be converted into double");
                    for (long k = 0; k < n; k++) {
                        sdsfree(items[k].elem);
                        sdsfree(items[k].weight_str);
                    }
                    zfree(items);
                    goto out;
                }
            }
            sdsfree(w);
        }
        if (n > 1) qsort_r(items, (size_t)n, sizeof(sortItem), cmp_items, &opts);
    } else if (opts.desc && o && o->type != OBJ_SET) {
        for (long i = 0; i < n / 2; i++) {
            sortItem t = items[i];
            items[i] = items[n - 1 - i];
            items[n - 1 - i] = t;
        }
    }
    long start = offset < 0 ? 0 : (long)offset, end = count < 0 ? n : start + (long)count;
    if (start > n) start = n;
    if (end > n) end = n;
    long outn = (end - start) * (ngets ? ngets : 1);
    if (storekey) {
        value v = list_new_value();
        for (long i = start; i < end; i++) {
            for (int g = 0; g < (ngets ? ngets : 1); g++) {
                sds val = ngets ? lookup_pattern(c->db, gets[g], items[i].elem) : sdsdup(items[i].elem);
                if (val) list_push(v.ptr, val, sdslen(val), LIST_TAIL);
                else list_push(v.ptr, "", 0, LIST_TAIL);
                sdsfree(val);
            }
        }
        if (outn) {
            db_set(c->db, storekey, v, 0);
            keyspace_event(c->srv, NOTIFY_LIST, "sortstore", storekey, c->db->id);
        } else {
            value_free(v);
            if (db_delete(c->db, storekey)) keyspace_event(c->srv, NOTIFY_GENERIC, "del", storekey, c->db->id);
        }
        db_signal_modified(c->db, storekey);
        c->srv->dirty += outn ? outn : 1;
        reply_long(&c->reply, outn);
    } else {
        reply_array(&c->reply, outn);
        for (long i = start; i < end; i++) {
            for (int g = 0; g < (ngets ? ngets : 1); g++) {
                sds val = ngets ? lookup_pattern(c->db, gets[g], items[i].elem) : sdsdup(items[i].elem);
                if (val) reply_bulk_sds(&c->reply, val);
                else reply_null(&c->reply);
                sdsfree(val);
            }
        }
    }
    for (long i = 0; i < n; i++) {
        sdsfree(items[i].elem);
        sdsfree(items[i].weight_str);
    }
    zfree(items);
out:
    zfree(gets);
}

static void sort_command(client *c) { sort_generic(c, 0); }
static void sort_ro_command(client *c) { sort_generic(c, 1); }

commandDef sort_commands[] = {
    {"sort", sort_command, -2, "write denyoom", "@set @sortedset @list @dangerous",
     {KEYS_RANGE("RO ACCESS", 1, 0, 1, 0), KEYS_KEYWORD("OW UPDATE INCOMPLETE", "STORE", 1, 0, 1, 0)}, "generic",
     "1.0.0", "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
     "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."},
    {"sort_ro", sort_ro_command, -2, "readonly", "@set @sortedset @list @dangerous", KEY1("RO ACCESS"), "generic",
     "7.0.0", "Returns the sorted elements of a list, a set, or a sorted set.",
     "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."},
    {0}};
