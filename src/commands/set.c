/* set.c: the set command family over types/set.h. */
#include <limits.h>
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

static int lookup_set(client *c, const sds key, int write, dict **s) {
    kvobj *o = write ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
    *s = NULL;
    if (!o) return 0;
    if (o->type != OBJ_SET) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    *s = set_of(o);
    return 0;
}

static void signal_set(client *c, db *d, const sds key, const char *event, long long changes) {
    db_signal_modified(d, key);
    keyspace_event(c->srv, NOTIFY_SET, event, key, d->id);
    c->srv->dirty += changes;
}

static void delete_if_empty(client *c, db *d, const sds key, dict *s) {
    if (set_len(s)) return;
    db_delete(d, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, d->id);
}

static void sadd_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 1, &s) == -1) return;
    if (!s) s = set_of(db_add(c->db, c->argv[1], set_new_value()));
    long long added = 0;
    for (int i = 2; i < c->argc; i++) added += set_add(s, c->argv[i], sdslen(c->argv[i]));
    if (added) signal_set(c, c->db, c->argv[1], "sadd", added);
    reply_long(&c->reply, added);
}

static void srem_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 1, &s) == -1) return;
    long long removed = 0;
    for (int i = 2; s && i < c->argc; i++) removed += set_del(s, c->argv[i]);
    if (removed) {
        signal_set(c, c->db, c->argv[1], "srem", removed);
        delete_if_empty(c, c->db, c->argv[1], s);
    }
    reply_long(&c->reply, removed);
}

static void sismember_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    reply_long(&c->reply, s && set_has(s, c->argv[2]));
}

static void smismember_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) reply_long(&c->reply, s && set_has(s, c->argv[i]));
}

static void scard_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    reply_long(&c->reply, s ? (long long)set_len(s) : 0);
}

static void reply_members(client *c, dict *s) {
    reply_set(&c->reply, s ? (long)set_len(s) : 0);
    if (!s) return;
    dictIterator it;
    dict_iter_init(&it, s, 0);
    dictKey *e;
    while ((e = dict_iter_next(&it))) reply_bulk_sds(&c->reply, e->key);
    dict_iter_release(&it);
}

/* SPOP replicates as SREM of what it popped. */
static void spop_command(client *c) {
    long long count = 1;
    int with_count = c->argc == 3;
    if (c->argc > 3) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (with_count && arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count, "value is out of range, must be positive") == -1)
        return;
    dict *s;
    if (lookup_set(c, c->argv[1], 1, &s) == -1) return;
    if (!s) {
        if (with_count) reply_set(&c->reply, 0);
        else reply_null(&c->reply);
        return;
    }
    long long n = count > (long long)set_len(s) ? (long long)set_len(s) : count;
    if (with_count) reply_set(&c->reply, (long)n);
    sds *argv = zmalloc(sizeof(sds) * (size_t)(n + 2));
    argv[0] = sdsnew("SREM");
    argv[1] = sdsdup(c->argv[1]);
    for (long long i = 0; i < n; i++) {
        sds m = sdsdup(set_random(s));
        reply_bulk_sds(&c->reply, m);
        set_del(s, m);
        argv[2 + i] = m;
    }
    if (n) {
        signal_set(c, c->db, c->argv[1], "spop", n);
        delete_if_empty(c, c->db, c->argv[1], s);
        client_rewrite_argv(c, (int)n + 2, argv);
    } else {
        sdsfree(argv[0]);
        sdsfree(argv[1]);
        zfree(argv);
    }
}

static void srandmember_command(client *c) {
    dict *s;
    if (c->argc == 2) {
        if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
        sds m = s ? set_random(s) : NULL;
        if (m) reply_bulk_sds(&c->reply, m);
        else reply_null(&c->reply);
        return;
    }
    if (c->argc > 3) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    long long count;
    if (arg_ll_range(c, c->argv[2], -LONG_MAX, LONG_MAX, &count, NULL) == -1) return;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    if (!s || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    long len = (long)set_len(s);
    long n = count < 0 ? (long)-count : (count > len ? len : (long)count);
    sds *all = zmalloc(sizeof(sds) * (size_t)len);
    dictIterator it;
    dict_iter_init(&it, s, 0);
    long k = 0;
    dictKey *e;
    while ((e = dict_iter_next(&it))) all[k++] = e->key;
    dict_iter_release(&it);
    reply_array(&c->reply, n);
    for (long i = 0; i < n; i++) {
        if (count < 0) {
            reply_bulk_sds(&c->reply, all[random_u64() % (unsigned long)len]);
        } else {
            long j = i + (long)(random_u64() % (unsigned long)(len - i));
            sds t = all[i];
            all[i] = all[j];
            all[j] = t;
            reply_bulk_sds(&c->reply, all[i]);
        }
    }
    zfree(all);
}

static void smove_command(client *c) {
    dict *src, *dst;
    if (lookup_set(c, c->argv[1], 1, &src) == -1 || lookup_set(c, c->argv[2], 1, &dst) == -1) return;
    if (!src || !set_has(src, c->argv[3])) {
        reply_long(&c->reply, 0);
        return;
    }
    if (src == dst) {
        reply_long(&c->reply, 1);
        return;
    }
    set_del(src, c->argv[3]);
    signal_set(c, c->db, c->argv[1], "srem", 1);
    delete_if_empty(c, c->db, c->argv[1], src);
    if (!dst) dst = set_of(db_add(c->db, c->argv[2], set_new_value()));
    if (set_add(dst, c->argv[3], sdslen(c->argv[3]))) signal_set(c, c->db, c->argv[2], "sadd", 1);
    reply_long(&c->reply, 1);
}

/* ---- SINTER/SUNION/SDIFF[STORE], SINTERCARD */
enum { OP_INTER, OP_UNION, OP_DIFF };

/* Computes the operation over keys; returns a new set value, or NULL after
 * replying an error. Missing keys count as empty sets. */
static dict *compute(client *c, sds *keys, int n, int op, long long limit) {
    dict **sets = zcalloc(sizeof(dict *) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (lookup_set(c, keys[i], 0, &sets[i]) == -1) {
            zfree(sets);
            return NULL;
        }
    }
    dict *r = set_new_value().ptr;
    if (op == OP_INTER) {
        int smallest = 0, empty = 0;
        for (int i = 0; i < n; i++) {
            if (!sets[i]) empty = 1;
            else if (sets[smallest] && set_len(sets[i]) < set_len(sets[smallest])) smallest = i;
        }
        if (!empty) {
            /* Safe iterator: lookups below may run a rehash step, and the
             * same set can be given twice (SINTER s s). */
            dictIterator it;
            dict_iter_init(&it, sets[smallest], 1);
            dictKey *e;
            while ((e = dict_iter_next(&it))) {
                int all = 1;
                for (int i = 0; i < n && all; i++)
                    if (sets[i] != sets[smallest]) all = set_has(sets[i], e->key);
                if (all) set_add(r, e->key, sdslen(e->key));
                if (limit && (long long)set_len(r) >= limit) break;
            }
            dict_iter_release(&it);
        }
    } else {
        for (int i = 0; i < n; i++) {
            if (!sets[i]) continue;
            dictIterator it;
            dict_iter_init(&it, sets[i], 1);
            dictKey *e;
            while ((e = dict_iter_next(&it))) {
                if (op == OP_UNION || i == 0) set_add(r, e->key, sdslen(e->key));
                else set_del(r, e->key);
            }
            dict_iter_release(&it);
            if (op == OP_DIFF && set_len(r) == 0) break;
        }
    }
    zfree(sets);
    return r;
}

static void setop_reply(client *c, int op) {
    dict *r = compute(c, c->argv + 1, c->argc - 1, op, 0);
    if (!r) return;
    reply_members(c, r);
    dict_release(r);
}

static void setop_store(client *c, int op) {
    dict *r = compute(c, c->argv + 2, c->argc - 2, op, 0);
    if (!r) return;
    sds dst = c->argv[1];
    long long n = (long long)set_len(r);
    if (n) {
        value v = {OBJ_SET, OBJ_ENC_HT, r};
        db_set(c->db, dst, v, 0);
        static const char *ev[] = {"sinterstore", "sunionstore", "sdiffstore"};
        keyspace_event(c->srv, NOTIFY_SET, ev[op], dst, c->db->id);
    } else {
        dict_release(r);
        if (db_delete(c->db, dst)) {
            db_signal_modified(c->db, dst);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", dst, c->db->id);
        }
    }
    c->srv->dirty++;
    reply_long(&c->reply, n);
}

static void sinter_command(client *c) { setop_reply(c, OP_INTER); }
static void sunion_command(client *c) { setop_reply(c, OP_UNION); }
static void sdiff_command(client *c) { setop_reply(c, OP_DIFF); }
static void sinterstore_command(client *c) { setop_store(c, OP_INTER); }
static void sunionstore_command(client *c) { setop_store(c, OP_UNION); }
static void sdiffstore_command(client *c) { setop_store(c, OP_DIFF); }

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
    dict *r = compute(c, c->argv + 2, (int)numkeys, OP_INTER, limit);
    if (!r) return;
    reply_long(&c->reply, (long long)set_len(r));
    dict_release(r);
}

static void smembers_command(client *c) {
    dict *s;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    reply_members(c, s);
}

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
    dict *s;
    if (lookup_set(c, c->argv[1], 0, &s) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    cursor = s ? scan_dict(s, cursor, sscan_collect, &b) : 0;
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
