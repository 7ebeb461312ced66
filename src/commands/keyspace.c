/* keyspace.c: the generic key commands: DEL, UNLINK, EXISTS, TYPE, TOUCH,
 * KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, SWAPDB, FLUSHDB,
 * FLUSHALL and OBJECT. Expiry commands live in expire.c.
 *
 * Every key access goes through db/db.h, so expired keys are never seen
 * here. Write commands follow one pattern: change the keyspace, signal each
 * modified key (WATCH), fire the keyspace event Redis fires, bump
 * srv->dirty (which makes the dispatcher propagate the command), reply.
 * Replies and errors are worded as Redis 7.2's. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "commands/scan.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "persist/snapshot.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/propagate.h"
#include "server/server.h"

#define SHARED_INTEGERS 10000      /* Redis shares the integers 0..9999 */
#define SHARED_REFCOUNT 2147483647 /* and reports INT_MAX as their refcount */

static int same_sds(const sds a, const sds b) { return sdslen(a) == sdslen(b) && memcmp(a, b, sdslen(a)) == 0; }

/* Parses a DB index argument into its db; replies an error and returns
 * NULL when it is not an integer or not an int (with `badnum` if given, as
 * Redis's getIntFromObjectOrReply), or not a configured db. */
static db *arg_db(client *c, const sds s, const char *badnum) {
    long long id;
    if (arg_ll(c, s, &id, badnum) == -1) return NULL;
    if (id < INT_MIN || id > INT_MAX) {
        if (badnum) reply_error(&c->reply, badnum);
        else reply_errorf(&c->reply, ERR_RANGE_FMT, (long)INT_MIN, (long)INT_MAX);
        return NULL;
    }
    if (id < 0 || id >= c->srv->dbnum) {
        reply_error(&c->reply, ERR_DB_INDEX);
        return NULL;
    }
    return &c->srv->dbs[id];
}

/* ---- DEL, UNLINK, EXISTS, TYPE, TOUCH */

static void del_generic(client *c, int async) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++) {
        db_lookup(c->db, c->argv[i], LOOKUP_NOTOUCH | LOOKUP_NOSTATS | LOOKUP_NONOTIFY); /* expire first */
        if (!db_remove(c->db, c->argv[i], async)) continue;
        db_signal_modified(c->db, c->argv[i]);
        keyspace_event(c->srv, NOTIFY_GENERIC, "del", c->argv[i], c->db->id);
        c->srv->dirty++;
        n++;
    }
    reply_long(&c->reply, n);
}

static void del_command(client *c) { del_generic(c, c->srv->lazyfree_lazy_user_del); }
static void unlink_command(client *c) { del_generic(c, 1); }

/* Counts the arguments naming live keys (repeats count each time). */
static long long count_existing(client *c, int flags) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++)
        if (db_lookup(c->db, c->argv[i], flags)) n++;
    return n;
}

static void exists_command(client *c) { reply_long(&c->reply, count_existing(c, LOOKUP_NOTOUCH)); }
static void touch_command(client *c) { reply_long(&c->reply, count_existing(c, LOOKUP_TOUCH)); }

static void type_command(client *c) {
    kvobj *o = db_lookup(c->db, c->argv[1], LOOKUP_NOTOUCH);
    reply_status(&c->reply, o ? obj_type_name(o->type) : "none");
}

/* ---- KEYS, SCAN, RANDOMKEY */

static void keys_command(client *c) {
    sds pat = c->argv[1];
    int all = sdslen(pat) == 1 && pat[0] == '*';
    void *len = reply_defer(&c->reply);
    long n = 0;
    dictIterator it;
    dict_iter_init(&it, c->db->keys, 1);
    kvobj *o;
    while ((o = dict_iter_next(&it))) {
        sds k = kv_key(o);
        if (!all && !stringmatchlen(pat, sdslen(pat), k, sdslen(k), 0)) continue;
        if (db_key_is_expired(c->db, o)) continue;
        reply_bulk(&c->reply, k, sdslen(k));
        n++;
    }
    dict_iter_release(&it);
    reply_set_array(&c->reply, len, n);
}

#define SCAN_ANY_TYPE (-1)
#define SCAN_NO_SUCH_TYPE (-2)

static int type_by_name(const sds name) {
    if (!name) return SCAN_ANY_TYPE;
    for (unsigned t = 0; t < 16; t++)
        if (strcmp(obj_type_name(t), "unknown") != 0 && strcasecmp(name, obj_type_name(t)) == 0) return (int)t;
    return SCAN_NO_SUCH_TYPE; /* Redis 7.2 matches nothing rather than failing */
}

static void scan_collect(void *privdata, void *entry) {
    scanBatch *b = privdata;
    sds k = kv_key((kvobj *)entry);
    b->sampled++;
    if (scan_matches(b->opts, k, sdslen(k))) scan_batch_add(b, k, sdslen(k));
}

/* Whether a collected key is still to be returned: expired keys go (and
 * are deleted on masters), and with TYPE only keys of that type stay. */
static int scan_keeps(client *c, const sds key, int type) {
    if (type != SCAN_ANY_TYPE) {
        kvobj *o = db_lookup(c->db, key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
        return o && (int)o->type == type;
    }
    kvobj *o = db_find(c->db, key);
    return o && !db_expire_if_needed(c->db, o, LOOKUP_NONE);
}

static void scan_command(client *c) {
    unsigned long cursor;
    scanOpts opts;
    if (scan_parse_cursor(c, c->argv[1], &cursor) == -1 || scan_parse_options(c, 2, 1, &opts) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    cursor = scan_dict(c->db->keys, cursor, scan_collect, &b);
    int type = type_by_name(opts.type_name);
    long kept = 0;
    for (long i = 0; i < b.n; i++) {
        if (scan_keeps(c, b.items[i], type)) b.items[kept++] = b.items[i];
        else sdsfree(b.items[i]);
    }
    b.n = kept;
    scan_reply(c, cursor, &b);
}

static void randomkey_command(client *c) {
    kvobj *o = db_random_key(c->db);
    if (!o) reply_null(&c->reply);
    else reply_bulk_sds(&c->reply, kv_key(o));
}

/* ---- RENAME, RENAMENX, MOVE, COPY, SWAPDB */

static void rename_generic(client *c, int nx) {
    sds src = c->argv[1], dst = c->argv[2];
    if (!db_lookup_write(c->db, src)) {
        reply_error(&c->reply, ERR_NO_SUCH_KEY);
        return;
    }
    if (same_sds(src, dst) || (nx && db_lookup_write(c->db, dst))) {
        if (nx) reply_long(&c->reply, 0);
        else reply_ok(&c->reply);
        return;
    }
    db_lookup_write(c->db, dst); /* lets an expired destination go the usual way */
    db_delete(c->db, dst);
    db_move_key(c->db, src, c->db, dst);
    db_signal_modified(c->db, src);
    db_signal_modified(c->db, dst);
    keyspace_event(c->srv, NOTIFY_GENERIC, "rename_from", src, c->db->id);
    keyspace_event(c->srv, NOTIFY_GENERIC, "rename_to", dst, c->db->id);
    c->srv->dirty++;
    if (nx) reply_long(&c->reply, 1);
    else reply_ok(&c->reply);
}

static void rename_command(client *c) { rename_generic(c, 0); }
static void renamenx_command(client *c) { rename_generic(c, 1); }

static void move_command(client *c) {
    sds key = c->argv[1];
    db *src = c->db, *dst = arg_db(c, c->argv[2], NULL);
    if (!dst) return;
    if (dst == src) {
        reply_error(&c->reply, ERR_SAME_OBJECT);
        return;
    }
    if (!db_lookup_write(src, key) || db_lookup_write(dst, key)) {
        reply_long(&c->reply, 0);
        return;
    }
    db_delete(dst, key); /* an expired key a replica kept */
    db_move_key(src, key, dst, key);
    db_signal_modified(src, key);
    db_signal_modified(dst, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "move_from", key, src->id);
    keyspace_event(c->srv, NOTIFY_GENERIC, "move_to", key, dst->id);
    c->srv->dirty++;
    reply_long(&c->reply, 1);
}

/* COPY source destination [DB index] [REPLACE] */
static int parse_copy_opts(client *c, db **dst, int *replace) {
    *dst = c->db;
    *replace = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c->argv[j], "replace")) {
            *replace = 1;
        } else if (arg_is(c->argv[j], "db") && j + 1 < c->argc) {
            if (!(*dst = arg_db(c, c->argv[++j], NULL))) return -1;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

static void copy_command(client *c) {
    sds key = c->argv[1], newkey = c->argv[2];
    db *dst;
    int replace;
    if (parse_copy_opts(c, &dst, &replace) == -1) return;
    if (dst == c->db && same_sds(key, newkey)) {
        reply_error(&c->reply, ERR_SAME_OBJECT);
        return;
    }
    kvobj *o = db_lookup_read(c->db, key);
    if (!o || (db_lookup_write(dst, newkey) && !replace)) {
        reply_long(&c->reply, 0);
        return;
    }
    value v = value_dup(kv_value(o));
    if (v.type != OBJ_STRING && v.ptr == NULL) {
        reply_error(&c->reply, "unknown type object");
        return;
    }
    long long expire = kv_expire(o);
    db_delete(dst, newkey);
    kvobj *n = db_add(dst, newkey, v);
    if (expire >= 0) db_set_expire(dst, n, expire);
    db_signal_modified(dst, newkey);
    keyspace_event(c->srv, NOTIFY_GENERIC, "copy_to", newkey, dst->id);
    c->srv->dirty++;
    reply_long(&c->reply, 1);
}

static void swapdb_command(client *c) {
    db *a = arg_db(c, c->argv[1], "invalid first DB index");
    if (!a) return;
    db *b = arg_db(c, c->argv[2], "invalid second DB index");
    if (!b) return;
    db_swap(a, b);
    c->srv->dirty++;
    reply_ok(&c->reply);
}

/* ---- FLUSHDB, FLUSHALL */

/* [ASYNC|SYNC]; without it lazyfree-lazy-user-flush decides. */
static int parse_flush_mode(client *c, int *async) {
    if (c->argc == 1) *async = c->srv->lazyfree_lazy_user_flush;
    else if (c->argc == 2 && arg_is(c->argv[1], "sync")) *async = 0;
    else if (c->argc == 2 && arg_is(c->argv[1], "async")) *async = 1;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return -1;
    }
    return 0;
}

/* Flushes are replicated even when nothing was removed (or when a save
 * reset the dirty counter), which the dispatcher's "dirty grew" rule alone
 * would not do. */
static void propagate_anyway(client *c, long long dirty_before) {
    if (c->srv->dirty <= dirty_before) propagate_command(c->srv, c->db->id, c->argv, c->argc);
}

static void flushdb_command(client *c) {
    int async;
    long long dirty_before = c->srv->dirty;
    if (parse_flush_mode(c, &async) == -1) return;
    c->srv->dirty += db_empty(c->db, async);
    propagate_anyway(c, dirty_before);
    reply_ok(&c->reply);
}

/* Also stops a snapshot child and, when save points are configured,
 * writes an empty RDB at once (so the dirty counter restarts at 0). */
static void flushall_command(client *c) {
    server *srv = c->srv;
    int async;
    long long dirty_before = srv->dirty;
    if (parse_flush_mode(c, &async) == -1) return;
    for (int j = 0; j < srv->dbnum; j++) srv->dirty += db_empty(&srv->dbs[j], async);
    if (snapshot_in_progress(srv)) snapshot_kill_child(srv);
    snapshot *s = srv->persist;
    if (s && s->nparams > 0) snapshot_save(srv);
    propagate_anyway(c, dirty_before);
    reply_ok(&c->reply);
}

/* ---- OBJECT */

static kvobj *object_lookup_or_null(client *c) {
    kvobj *o = db_lookup(c->db, c->argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
    if (!o) reply_null(&c->reply);
    return o;
}

/* Redis keeps 0..9999 as shared objects unless an LRU/LFU maxmemory policy
 * needs per-key access data. */
static int is_shared_integer(server *srv, const kvobj *o) {
    if (o->type != OBJ_STRING || o->encoding != OBJ_ENC_INT) return 0;
    long long v = (long long)(intptr_t)o->ptr;
    if (v < 0 || v >= SHARED_INTEGERS) return 0;
    int p = srv->maxmemory_policy;
    int per_key = p == MAXMEMORY_VOLATILE_LRU || p == MAXMEMORY_ALLKEYS_LRU || db_lfu_enabled(srv);
    return srv->maxmemory == 0 || !per_key;
}

static void object_refcount(client *c) {
    kvobj *o = object_lookup_or_null(c);
    if (o) reply_long(&c->reply, is_shared_integer(c->srv, o) ? SHARED_REFCOUNT : 1);
}

static void object_encoding(client *c) {
    kvobj *o = object_lookup_or_null(c);
    if (o) reply_bulk_cstr(&c->reply, obj_encoding_name(o->encoding));
}

static void object_idletime(client *c) {
    kvobj *o = object_lookup_or_null(c);
    if (!o) return;
    if (db_lfu_enabled(c->srv)) {
        reply_error(&c->reply, "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
                               "switching between policies at runtime LRU and LFU data will take some time to adjust.");
        return;
    }
    reply_long(&c->reply, (long long)(db_idle_ms(c->srv, o) / 1000));
}

static void object_freq(client *c) {
    kvobj *o = object_lookup_or_null(c);
    if (!o) return;
    if (!db_lfu_enabled(c->srv)) {
        reply_error(&c->reply, "An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                               "that when switching between policies at runtime LRU and LFU data will take some "
                               "time to adjust.");
        return;
    }
    reply_long(&c->reply, (long long)db_lfu_counter(c->srv, o));
}

static void object_help(client *c) {
    static const char *lines[] = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        NULL};
    reply_help(&c->reply, "OBJECT", lines);
}

static void object_container(client *c) { reply_subcommand_error(c); }

#define OBJECT_KEY {KEYS_RANGE("RO", 2, 0, 1, 0)}

static commandDef object_subcommands[] = {
    {"encoding", object_encoding, 3, "readonly", "@keyspace", OBJECT_KEY, "generic", "2.2.3",
     "Returns the internal encoding of a Redis object.", "O(1)", "nondeterministic_output"},
    {"freq", object_freq, 3, "readonly", "@keyspace", OBJECT_KEY, "generic", "4.0.0",
     "Returns the logarithmic access frequency counter of a Redis object.", "O(1)", "nondeterministic_output"},
    {"help", object_help, 2, "loading stale", "@keyspace", NOKEYS, "generic", "6.2.0",
     "Returns helpful text about the different subcommands.", "O(1)"},
    {"idletime", object_idletime, 3, "readonly", "@keyspace", OBJECT_KEY, "generic", "2.2.3",
     "Returns the time since the last access to a Redis object.", "O(1)", "nondeterministic_output"},
    {"refcount", object_refcount, 3, "readonly", "@keyspace", OBJECT_KEY, "generic", "2.2.3",
     "Returns the reference count of a value of a key.", "O(1)", "nondeterministic_output"},
    {0}};

/* ---- the table (arity, flags, key specs and docs from Redis's JSON) */

#define ALL_KEYS(fl) {KEYS_RANGE(fl, 1, -1, 1, 0)}
#define TWO_KEYS(fl1, fl2) {KEYS_RANGE(fl1, 1, 0, 1, 0), KEYS_RANGE(fl2, 2, 0, 1, 0)}
#define MULTI_SHARD_SUM "request_policy:multi_shard response_policy:agg_sum"
#define ALL_SHARDS_OK "request_policy:all_shards response_policy:all_succeeded"

commandDef keyspace_commands[] = {
    {"del", del_command, -2, "write", "@keyspace", ALL_KEYS("RM DELETE"), "generic", "1.0.0",
     "Deletes one or more keys.",
     "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a "
     "string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, "
     "sorted set or hash. Removing a single key that holds a string value is O(1).",
     MULTI_SHARD_SUM},
    {"unlink", unlink_command, -2, "write fast", "@keyspace", ALL_KEYS("RM DELETE"), "generic", "4.0.0",
     "Asynchronously deletes one or more keys.",
     "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in "
     "order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
     MULTI_SHARD_SUM},
    {"exists", exists_command, -2, "readonly fast", "@keyspace", ALL_KEYS("RO"), "generic", "1.0.0",
     "Determines whether one or more keys exist.", "O(N) where N is the number of keys to check.", MULTI_SHARD_SUM},
    {"type", type_command, 2, "readonly fast", "@keyspace", KEY1("RO"), "generic", "1.0.0",
     "Determines the type of value stored at a key.", "O(1)"},
    {"touch", touch_command, -2, "readonly fast", "@keyspace", ALL_KEYS("RO"), "generic", "3.2.1",
     "Returns the number of existing keys out of those specified after updating the time they were last accessed.",
     "O(N) where N is the number of keys that will be touched.", MULTI_SHARD_SUM},
    {"keys", keys_command, 2, "readonly", "@keyspace @dangerous", NOKEYS, "generic", "1.0.0",
     "Returns all key names that match a pattern.",
     "O(N) with N being the number of keys in the database, under the assumption that the key names in the "
     "database and the given pattern have limited length.",
     "request_policy:all_shards nondeterministic_output_order"},
    {"scan", scan_command, -2, "readonly touches_arbitrary_keys", "@keyspace", NOKEYS, "generic", "2.8.0",
     "Iterates over the key names in the database.",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return "
     "back to 0. N is the number of elements inside the collection.",
     "nondeterministic_output request_policy:special response_policy:special"},
    {"randomkey", randomkey_command, 1, "readonly touches_arbitrary_keys", "@keyspace", NOKEYS, "generic", "1.0.0",
     "Returns a random key name from the database.", "O(1)",
     "request_policy:all_shards response_policy:special nondeterministic_output"},
    {"rename", rename_command, 3, "write", "@keyspace", TWO_KEYS("RW ACCESS DELETE", "OW UPDATE"), "generic",
     "1.0.0", "Renames a key and overwrites the destination.", "O(1)"},
    {"renamenx", renamenx_command, 3, "write fast", "@keyspace", TWO_KEYS("RW ACCESS DELETE", "OW INSERT"),
     "generic", "1.0.0", "Renames a key only when the target key name doesn't exist.", "O(1)"},
    {"copy", copy_command, -3, "write denyoom", "@keyspace", TWO_KEYS("RO ACCESS", "OW UPDATE"), "generic", "6.2.0",
     "Copies the value of a key to a new key.",
     "O(N) worst case for collections, where N is the number of nested items. O(1) for string values."},
    {"move", move_command, 3, "write fast", "@keyspace", KEY1("RW ACCESS UPDATE"), "generic", "1.0.0",
     "Moves a key to another database.", "O(1)"},
    {"swapdb", swapdb_command, 3, "write fast", "@keyspace @dangerous", NOKEYS, "server", "4.0.0",
     "Swaps two Redis databases.",
     "O(N) where N is the count of clients watching or blocking on keys from both databases."},
    {"flushdb", flushdb_command, -1, "write", "@keyspace @dangerous", NOKEYS, "server", "1.0.0",
     "Remove all keys from the current database.",
     "O(N) where N is the number of keys in the selected database", ALL_SHARDS_OK},
    {"flushall", flushall_command, -1, "write", "@keyspace @dangerous", NOKEYS, "server", "1.0.0",
     "Removes all keys from all databases.", "O(N) where N is the total number of keys in all databases",
     ALL_SHARDS_OK},
    {"object", object_container, -2, "", "", NOKEYS, "generic", "2.2.3",
     "A container for object introspection commands.", "Depends on subcommand.", NULL, object_subcommands},
    {0}};
