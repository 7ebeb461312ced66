/* set.c: the set command family over types/set.h, which hides the
 * encodings. The set algebra follows Redis's t_set.c step for step where
 * the steps decide the encoding of a stored result (SINTERSTORE starts
 * from the smallest input's encoding, SUNIONSTORE/SDIFFSTORE from an
 * intset), so OBJECT ENCODING answers as Redis would. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "commands/scan.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"
#include "types/set.h"

/* Looks a set up; replies WRONGTYPE and returns -1 for another type, 0
 * with *o NULL when missing. */
static int lookup_set(client *c, const sds key, int write, kvobj **o) {
    *o = write ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
    if (*o && (*o)->type != OBJ_SET) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

static void signal_set(client *c, db *d, const sds key, const char *event, long long changes) {
    db_signal_modified(d, key);
    keyspace_event(c->srv, NOTIFY_SET, event, key, d->id);
    c->srv->dirty += changes;
}

static void delete_if_empty(client *c, db *d, const sds key, kvobj *o) {
    if (set_len(o)) return;
    db_delete(d, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, d->id);
}

static void reply_elem(client *c, const elem *e) { reply_bulk(&c->reply, e->s, e->len); }

static void sadd_command(client *c) {
    kvobj *o;
    if (lookup_set(c, c->argv[1], 1, &o) == -1) return;
    if (!o) o = db_add(c->db, c->argv[1], set_create(c->srv, c->argv[2], sdslen(c->argv[2]), (size_t)c->argc - 2));
    else set_maybe_convert(c->srv, o, (size_t)c->argc - 2);
    long long added = 0;
    for (int i = 2; i < c->argc; i++) added += set_add(c->srv, o, c->argv[i], sdslen(c->argv[i]));
    if (added) signal_set(c, c->db, c->argv[1], "sadd", added);
    reply_long(&c->reply, added);
}

static void srem_command(client *c) {
    kvobj *o;
    if (lookup_set(c, c->argv[1], 1, &o) == -1) return;
    long long removed = 0;
    for (int i = 2; o && i < c->argc; i++) removed += set_del(o, c->argv[i], sdslen(c->argv[i]));
    if (removed) {
        signal_set(c, c->db, c->argv[1], "srem", removed);
        delete_if_empty(c, c->db, c->argv[1], o);
    }
    reply_long(&c->reply, removed);
}

static void sismember_command(client *c) {
    kvobj *o;
    if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
    reply_long(&c->reply, o && set_has(o, c->argv[2], sdslen(c->argv[2])));
}

static void smismember_command(client *c) {
    kvobj *o;
    if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) reply_long(&c->reply, o && set_has(o, c->argv[i], sdslen(c->argv[i])));
}

static void scard_command(client *c) {
    kvobj *o;
    if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
    reply_long(&c->reply, o ? (long long)set_len(o) : 0);
}

/* Replies every member of o (a set reply). */
static void reply_members(client *c, kvobj *o) {
    reply_set(&c->reply, o ? (long)set_len(o) : 0);
    if (!o) return;
    setIter it;
    elem e;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) reply_elem(c, &e);
    set_iter_release(&it);
}

/* ---- SPOP: replicated by effect, as SREM of what it popped (or DEL when
 * it popped everything). */
typedef struct popCtx {
    client *c;
    sds *argv;
    int argc;
} popCtx;

static void pop_emit(void *ctx, const elem *e) {
    popCtx *pc = ctx;
    reply_elem(pc->c, e);
    pc->argv[pc->argc++] = elem_sds(e);
}

static void spop_command(client *c) {
    if (c->argc > 3) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    long long count = 1;
    int with_count = c->argc == 3;
    if (with_count && arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count, "value is out of range, must be positive") == -1)
        return;
    kvobj *o;
    if (lookup_set(c, c->argv[1], 1, &o) == -1) return;
    if (!o || (with_count && count == 0)) {
        if (with_count) reply_set(&c->reply, 0);
        else reply_null(&c->reply);
        return;
    }
    sds key = c->argv[1];
    unsigned long size = set_len(o);
    if (!with_count) {
        sds m = set_pop(o);
        reply_bulk_sds(&c->reply, m);
        sds *argv = zmalloc(sizeof(sds) * 3);
        argv[0] = sdsnew("SREM");
        argv[1] = sdsdup(key);
        argv[2] = m;
        signal_set(c, c->db, key, "spop", 1);
        delete_if_empty(c, c->db, key, o);
        client_rewrite_argv(c, 3, argv);
        return;
    }
    if ((unsigned long long)count >= size) { /* everything: reply the set, delete the key */
        reply_members(c, o);
        keyspace_event(c->srv, NOTIFY_SET, "spop", key, c->db->id);
        c->srv->dirty += (long long)size;
        sds *argv = zmalloc(sizeof(sds) * 2);
        argv[0] = sdsnew(c->srv->lazyfree_lazy_server_del ? "UNLINK" : "DEL");
        argv[1] = sdsdup(key);
        db_delete(c->db, key);
        keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, c->db->id);
        db_signal_modified(c->db, key);
        client_rewrite_argv(c, 2, argv);
        return;
    }
    popCtx pc = {c, zmalloc(sizeof(sds) * (size_t)(count + 2)), 2};
    pc.argv[0] = sdsnew("SREM");
    pc.argv[1] = sdsdup(key);
    reply_set(&c->reply, (long)count);
    set_pop_count(c->srv, o, (unsigned long)count, pop_emit, &pc);
    signal_set(c, c->db, key, "spop", count);
    client_rewrite_argv(c, pc.argc, pc.argv);
}

static void reply_emit(void *ctx, const elem *e) { reply_elem(ctx, e); }

static void srandmember_command(client *c) {
    kvobj *o;
    if (c->argc == 2) {
        if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
        if (!o) {
            reply_null(&c->reply);
            return;
        }
        elem e;
        set_random(o, &e);
        reply_elem(c, &e);
        return;
    }
    if (c->argc > 3) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    long long count;
    if (arg_ll_range(c, c->argv[2], -LONG_MAX, LONG_MAX, &count, NULL) == -1) return;
    if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
    if (!o || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    int unique = count > 0;
    unsigned long n = unique ? (unsigned long)count : (unsigned long)-count, size = set_len(o);
    reply_array(&c->reply, (long)(unique && n > size ? size : n));
    set_random_count(o, n, unique, reply_emit, c);
}

/* SMOVE: a missing source answers 0 before the destination's type is
 * looked at, as in Redis. */
static void smove_command(client *c) {
    kvobj *src = db_lookup_write(c->db, c->argv[1]), *dst = db_lookup_write(c->db, c->argv[2]);
    sds member = c->argv[3];
    if (!src) {
        reply_long(&c->reply, 0);
        return;
    }
    if (src->type != OBJ_SET || (dst && dst->type != OBJ_SET)) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return;
    }
    if (src == dst) {
        reply_long(&c->reply, set_has(src, member, sdslen(member)));
        return;
    }
    if (!set_del(src, member, sdslen(member))) {
        reply_long(&c->reply, 0);
        return;
    }
    keyspace_event(c->srv, NOTIFY_SET, "srem", c->argv[1], c->db->id);
    delete_if_empty(c, c->db, c->argv[1], src);
    if (!dst) dst = db_add(c->db, c->argv[2], set_create(c->srv, member, sdslen(member), 1));
    db_signal_modified(c->db, c->argv[1]);
    c->srv->dirty++;
    if (set_add(c->srv, dst, member, sdslen(member))) signal_set(c, c->db, c->argv[2], "sadd", 1);
    reply_long(&c->reply, 1);
}

/* ---- SINTER/SUNION/SDIFF[STORE], SINTERCARD, SMEMBERS */

/* Looks up every key (missing ones give NULL); -1 after replying
 * WRONGTYPE. */
static int lookup_all(client *c, sds *keys, int n, kvobj **sets, int *missing) {
    *missing = 0;
    for (int i = 0; i < n; i++) {
        if (lookup_set(c, keys[i], 0, &sets[i]) == -1) return -1;
        if (!sets[i]) (*missing)++;
    }
    return 0;
}

/* Stores a non-empty result under dst, or deletes dst for an empty one;
 * replies the size. The value is consumed. */
static void store_result(client *c, sds dst, kvobj *r, const char *event) {
    long long n = (long long)set_len(r);
    if (n) {
        db_set(c->db, dst, kv_value(r), 0);
        keyspace_event(c->srv, NOTIFY_SET, event, dst, c->db->id);
        c->srv->dirty++;
    } else {
        value_free(kv_value(r));
        if (db_delete(c->db, dst)) {
            c->srv->dirty++;
            db_signal_modified(c->db, dst);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", dst, c->db->id);
        }
    }
    reply_long(&c->reply, n);
}

static int by_size(const void *a, const void *b) {
    unsigned long x = set_len(*(kvobj *const *)a), y = set_len(*(kvobj *const *)b);
    return x < y ? -1 : x > y;
}

/* SINTER, SMEMBERS, SINTERSTORE (dst), SINTERCARD (card_only, limit). */
static void sinter_generic(client *c, sds *keys, int n, sds dst, int card_only, long long limit) {
    kvobj **sets = zmalloc(sizeof(kvobj *) * (size_t)n);
    int missing;
    if (lookup_all(c, keys, n, sets, &missing) == -1) goto out;
    if (missing) { /* intersection with an empty set */
        if (dst) {
            if (db_delete(c->db, dst)) {
                db_signal_modified(c->db, dst);
                keyspace_event(c->srv, NOTIFY_GENERIC, "del", dst, c->db->id);
                c->srv->dirty++;
            }
            reply_long(&c->reply, 0);
        } else if (card_only) {
            reply_long(&c->reply, 0);
        } else {
            reply_set(&c->reply, 0);
        }
        goto out;
    }
    qsort(sets, (size_t)n, sizeof(kvobj *), by_size);
    /* The result starts in the smallest input's compact encoding (a
     * listpack sized like it), or as a listpack for a hashtable input. */
    kvobj r = {0};
    void *deferred = NULL;
    if (dst) {
        value v = sets[0]->encoding == OBJ_ENC_INTSET     ? set_new_intset()
                  : sets[0]->encoding == OBJ_ENC_LISTPACK ? set_new_listpack(set_listpack_bytes(sets[0]))
                                                          : set_new_listpack(0);
        r = kv_temp(v);
    } else if (!card_only) {
        deferred = reply_defer(&c->reply);
    }
    long long card = 0;
    int only_integers = 1;
    setIter it;
    elem e;
    set_iter_init(&it, sets[0]);
    while (set_iter_next(&it, &e)) {
        int j;
        for (j = 1; j < n; j++)
            if (sets[j] != sets[0] && !set_has_elem(sets[j], &e)) break;
        if (j < n) continue;
        card++;
        if (dst) {
            long long v;
            if (only_integers && !e.is_int && !(e.len <= 20 && string2ll(e.s, e.len, &v))) only_integers = 0;
            set_add_elem(c->srv, &r, &e);
        } else if (!card_only) {
            reply_elem(c, &e);
        } else if (limit && card >= limit) {
            break;
        }
    }
    set_iter_release(&it);
    if (card_only) {
        reply_long(&c->reply, card);
    } else if (dst) {
        if (set_len(&r)) {
            if (only_integers) set_maybe_to_intset(c->srv, &r);
            set_shrink(&r);
        }
        store_result(c, dst, &r, "sinterstore");
    } else {
        reply_set_set(&c->reply, deferred, (long)card);
    }
out:
    zfree(sets);
}

/* Missing keys (NULL) count as empty sets. */
static int by_size_desc(const void *a, const void *b) {
    kvobj *x = *(kvobj *const *)a, *y = *(kvobj *const *)b;
    unsigned long lx = x ? set_len(x) : 0, ly = y ? set_len(y) : 0;
    return lx < ly ? 1 : lx > ly ? -1 : 0;
}

enum { OP_UNION, OP_DIFF };

/* SUNION, SDIFF and their STORE forms: the result is built in a set that
 * starts as an intset, so its encoding follows what was added. */
static void sunion_diff_generic(client *c, sds *keys, int n, sds dst, int op) {
    kvobj **sets = zmalloc(sizeof(kvobj *) * (size_t)n);
    int missing, sameset = 0;
    if (lookup_all(c, keys, n, sets, &missing) == -1) goto out;
    for (int j = 1; j < n; j++)
        if (sets[j] && sets[j] == sets[0]) sameset = 1;
    /* DIFF: algorithm 1 checks each member of the first set against the
     * others (O(N*M)); algorithm 2 adds the first and removes the others
     * (O(total)). Pick the cheaper, as Redis does. */
    int algo = 1;
    if (op == OP_DIFF && sets[0] && !sameset) {
        long long one = 0, two = 0;
        for (int j = 0; j < n; j++) {
            if (!sets[j]) continue;
            one += (long long)set_len(sets[0]);
            two += (long long)set_len(sets[j]);
        }
        algo = one / 2 <= two ? 1 : 2;
        /* biggest first: members are found sooner */
        if (algo == 1 && n > 1) qsort(sets + 1, (size_t)n - 1, sizeof(kvobj *), by_size_desc);
    }
    kvobj r = kv_temp(set_new_intset());
    setIter it;
    elem e;
    if (op == OP_UNION) {
        for (int j = 0; j < n; j++) {
            if (!sets[j]) continue;
            set_iter_init(&it, sets[j]);
            while (set_iter_next(&it, &e)) set_add_elem(c->srv, &r, &e);
            set_iter_release(&it);
        }
    } else if (sets[0] && !sameset && algo == 1) {
        set_iter_init(&it, sets[0]);
        while (set_iter_next(&it, &e)) {
            int j;
            for (j = 1; j < n; j++) {
                if (!sets[j]) continue;
                if (sets[j] == sets[0] || set_has_elem(sets[j], &e)) break;
            }
            if (j == n) set_add_elem(c->srv, &r, &e);
        }
        set_iter_release(&it);
    } else if (sets[0] && !sameset) {
        for (int j = 0; j < n; j++) {
            if (!sets[j]) continue;
            set_iter_init(&it, sets[j]);
            while (set_iter_next(&it, &e)) {
                if (j == 0) set_add_elem(c->srv, &r, &e);
                else set_del_elem(&r, &e);
            }
            set_iter_release(&it);
            if (set_len(&r) == 0) break;
        }
    }
    if (dst) {
        store_result(c, dst, &r, op == OP_UNION ? "sunionstore" : "sdiffstore");
    } else {
        reply_members(c, &r);
        value_free(kv_value(&r));
    }
out:
    zfree(sets);
}

static void sinter_command(client *c) { sinter_generic(c, c->argv + 1, c->argc - 1, NULL, 0, 0); }
static void smembers_command(client *c) { sinter_generic(c, c->argv + 1, 1, NULL, 0, 0); }
static void sinterstore_command(client *c) { sinter_generic(c, c->argv + 2, c->argc - 2, c->argv[1], 0, 0); }
static void sunion_command(client *c) { sunion_diff_generic(c, c->argv + 1, c->argc - 1, NULL, OP_UNION); }
static void sdiff_command(client *c) { sunion_diff_generic(c, c->argv + 1, c->argc - 1, NULL, OP_DIFF); }
static void sunionstore_command(client *c) { sunion_diff_generic(c, c->argv + 2, c->argc - 2, c->argv[1], OP_UNION); }
static void sdiffstore_command(client *c) { sunion_diff_generic(c, c->argv + 2, c->argc - 2, c->argv[1], OP_DIFF); }

static void sintercard_command(client *c) {
    long long numkeys, limit = 0;
    if (arg_ll_range(c, c->argv[1], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") == -1) return;
    if (numkeys > c->argc - 2) {
        reply_error(&c->reply, "Number of keys can't be greater than number of args");
        return;
    }
    for (long long j = 2 + numkeys; j < c->argc; j++) {
        if (arg_is(c->argv[j], "limit") && j + 1 < c->argc) {
            if (arg_ll_range(c, c->argv[++j], 0, LONG_MAX, &limit, "LIMIT can't be negative") == -1) return;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    sinter_generic(c, c->argv + 2, (int)numkeys, NULL, 1, limit);
}

/* ---- SSCAN: a hashtable is scanned with a cursor; compact sets are
 * small and come back whole, with cursor 0, as in Redis. */
static void sscan_collect(void *privdata, void *entry) {
    scanBatch *b = privdata;
    dictKey *e = entry;
    b->sampled++;
    if (scan_matches(b->opts, e->key, sdslen(e->key))) scan_batch_add(b, e->key, sdslen(e->key));
}

static void sscan_command(client *c) {
    unsigned long cursor;
    scanOpts opts;
    if (scan_parse_cursor(c, c->argv[2], &cursor) == -1 || scan_parse_options(c, 3, 0, &opts) == -1) return;
    kvobj *o;
    if (lookup_set(c, c->argv[1], 0, &o) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    if (o && o->encoding == OBJ_ENC_HT) {
        cursor = scan_dict(o->ptr, cursor, sscan_collect, &b);
    } else {
        cursor = 0;
        if (o) {
            setIter it;
            elem e;
            set_iter_init(&it, o);
            while (set_iter_next(&it, &e))
                if (scan_matches(&opts, e.s, e.len)) scan_batch_add(&b, e.s, e.len);
            set_iter_release(&it);
        }
    }
    scan_reply(c, cursor, &b);
}

#define RO KEY1("RO ACCESS")
#define ALL_RO {KEYS_RANGE("RO ACCESS", 1, -1, 1, 0)}
#define STORE_ALL {KEYS_RANGE("OW UPDATE", 1, 0, 1, 0), KEYS_RANGE("RO ACCESS", 2, -1, 1, 0)}
commandDef set_commands[] = {
    {"sadd", sadd_command, -3, "write denyoom fast", "@set", KEY1("RW INSERT"), "set", "1.0.0",
     "Adds one or more members to a set. Creates the key if it doesn't exist.",
     "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."},
    {"srem", srem_command, -3, "write fast", "@set", KEY1("RW DELETE"), "set", "1.0.0",
     "Removes one or more members from a set. Deletes the set if the last member was removed.",
     "O(N) where N is the number of members to be removed."},
    {"sismember", sismember_command, 3, "readonly fast", "@set", KEY1("RO"), "set", "1.0.0",
     "Determines whether a member belongs to a set.", "O(1)"},
    {"smismember", smismember_command, -3, "readonly fast", "@set", KEY1("RO"), "set", "6.2.0",
     "Determines whether multiple members belong to a set.", "O(N) where N is the number of elements being checked for membership"},
    {"scard", scard_command, 2, "readonly fast", "@set", KEY1("RO"), "set", "1.0.0", "Returns the number of members in a set.", "O(1)"},
    {"smembers", smembers_command, 2, "readonly", "@set", RO, "set", "1.0.0", "Returns all members of a set.",
     "O(N) where N is the set cardinality.", "nondeterministic_output_order"},
    {"spop", spop_command, -2, "write fast", "@set", KEY1("RW ACCESS DELETE"), "set", "1.0.0",
     "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
     "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", "nondeterministic_output"},
    {"srandmember", srandmember_command, -2, "readonly", "@set", RO, "set", "1.0.0",
     "Get one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
     "nondeterministic_output"},
    {"smove", smove_command, 4, "write fast", "@set",
     {KEYS_RANGE("RW ACCESS DELETE", 1, 0, 1, 0), KEYS_RANGE("RW INSERT", 2, 0, 1, 0)}, "set", "1.0.0",
     "Moves a member from one set to another.", "O(1)"},
    {"sinter", sinter_command, -2, "readonly", "@set", ALL_RO, "set", "1.0.0", "Returns the intersect of multiple sets.",
     "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "nondeterministic_output_order"},
    {"sintercard", sintercard_command, -3, "readonly", "@set", {KEYS_NUM("RO ACCESS", 1, 0, 1, 1)}, "set", "7.0.0",
     "Returns the number of members of the intersect of multiple sets.",
     "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."},
    {"sinterstore", sinterstore_command, -3, "write denyoom", "@set", STORE_ALL, "set", "1.0.0",
     "Stores the intersect of multiple sets in a key.", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."},
    {"sunion", sunion_command, -2, "readonly", "@set", ALL_RO, "set", "1.0.0", "Returns the union of multiple sets.",
     "O(N) where N is the total number of elements in all given sets.", "nondeterministic_output_order"},
    {"sunionstore", sunionstore_command, -3, "write denyoom", "@set", STORE_ALL, "set", "1.0.0",
     "Stores the union of multiple sets in a key.", "O(N) where N is the total number of elements in all given sets."},
    {"sdiff", sdiff_command, -2, "readonly", "@set", ALL_RO, "set", "1.0.0", "Returns the difference of multiple sets.",
     "O(N) where N is the total number of elements in all given sets.", "nondeterministic_output_order"},
    {"sdiffstore", sdiffstore_command, -3, "write denyoom", "@set", STORE_ALL, "set", "1.0.0",
     "Stores the difference of multiple sets in a key.", "O(N) where N is the total number of elements in all given sets."},
    {"sscan", sscan_command, -3, "readonly", "@set", RO, "set", "2.8.0", "Iterates over members of a set.",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
     "nondeterministic_output"},
    {0}};
