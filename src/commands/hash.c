/* hash.c: the hash command family over types/hash.h, which hides the
 * encodings (and converts them where Redis does: before a write whose
 * arguments would not fit a listpack, and after one that grew it too
 * much). */
#include <limits.h>
#include <math.h>
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
#include "types/hash.h"

/* Looks a hash up; replies WRONGTYPE and returns -1 for another type, 0
 * with *o NULL when missing. */
static int lookup_hash(client *c, const sds key, int write, kvobj **o) {
    *o = write ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
    if (*o && (*o)->type != OBJ_HASH) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

/* The hash at key, created empty (a listpack) when missing; NULL after
 * replying WRONGTYPE. */
static kvobj *hash_for_write(client *c, const sds key) {
    kvobj *o;
    if (lookup_hash(c, key, 1, &o) == -1) return NULL;
    return o ? o : db_add(c->db, key, hash_new_value());
}

static void signal_hash(client *c, const sds key, const char *event, long long changes) {
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_HASH, event, key, c->db->id);
    c->srv->dirty += changes;
}

static void reply_elem(client *c, const elem *e) { reply_bulk(&c->reply, e->s, e->len); }

static void hset_command(client *c) {
    if (c->argc % 2 == 1) {
        reply_arity_error(c);
        return;
    }
    kvobj *o = hash_for_write(c, c->argv[1]);
    if (!o) return;
    hash_try_conversion(c->srv, o, c->argv, 2, c->argc - 1);
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2)
        created += hash_set(c->srv, o, c->argv[i], sdslen(c->argv[i]), c->argv[i + 1], sdslen(c->argv[i + 1]));
    /* HMSET replies OK, HSET the number of new fields */
    if (c->cmd->name[1] == 'm') reply_ok(&c->reply);
    else reply_long(&c->reply, created);
    signal_hash(c, c->argv[1], "hset", (c->argc - 2) / 2);
}

static void hsetnx_command(client *c) {
    kvobj *o = hash_for_write(c, c->argv[1]);
    if (!o) return;
    if (hash_exists(o, c->argv[2], sdslen(c->argv[2]))) {
        reply_long(&c->reply, 0);
        return;
    }
    hash_try_conversion(c->srv, o, c->argv, 2, 3);
    hash_set(c->srv, o, c->argv[2], sdslen(c->argv[2]), c->argv[3], sdslen(c->argv[3]));
    reply_long(&c->reply, 1);
    signal_hash(c, c->argv[1], "hset", 1);
}

static void hget_command(client *c) {
    kvobj *o;
    elem v;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    if (o && hash_get(o, c->argv[2], sdslen(c->argv[2]), &v)) reply_elem(c, &v);
    else reply_null(&c->reply);
}

static void hmget_command(client *c) {
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        elem v;
        if (o && hash_get(o, c->argv[i], sdslen(c->argv[i]), &v)) reply_elem(c, &v);
        else reply_null(&c->reply);
    }
}

static void hdel_command(client *c) {
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 1, &o) == -1) return;
    long long deleted = 0;
    for (int i = 2; o && i < c->argc; i++) deleted += hash_del(o, c->argv[i], sdslen(c->argv[i]));
    if (deleted) {
        signal_hash(c, c->argv[1], "hdel", deleted);
        if (hash_len(o) == 0) {
            db_delete(c->db, c->argv[1]);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        }
    }
    reply_long(&c->reply, deleted);
}

static void hlen_command(client *c) {
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    reply_long(&c->reply, o ? (long long)hash_len(o) : 0);
}

static void hstrlen_command(client *c) {
    kvobj *o;
    elem v;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    reply_long(&c->reply, o && hash_get(o, c->argv[2], sdslen(c->argv[2]), &v) ? (long long)v.len : 0);
}

static void hexists_command(client *c) {
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    reply_long(&c->reply, o && hash_exists(o, c->argv[2], sdslen(c->argv[2])));
}

/* HKEYS (what 1), HVALS (2), HGETALL (3) */
static void getall_generic(client *c, int what) {
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    long n = o ? (long)hash_len(o) : 0;
    if (what == 3) reply_map(&c->reply, n);
    else reply_array(&c->reply, n);
    if (!o) return;
    hashIter it;
    elem f, v;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it, &f, &v)) {
        if (what & 1) reply_elem(c, &f);
        if (what & 2) reply_elem(c, &v);
    }
    hash_iter_release(&it);
}
static void hkeys_command(client *c) { getall_generic(c, 1); }
static void hvals_command(client *c) { getall_generic(c, 2); }
static void hgetall_command(client *c) { getall_generic(c, 3); }

static void hincrby_command(client *c) {
    long long incr, cur = 0;
    if (arg_ll(c, c->argv[3], &incr, NULL) == -1) return;
    kvobj *o = hash_for_write(c, c->argv[1]);
    if (!o) return;
    elem v;
    if (hash_get(o, c->argv[2], sdslen(c->argv[2]), &v)) {
        if (v.is_int) cur = v.v;
        else if (!string2ll(v.s, v.len, &cur)) {
            reply_error(&c->reply, "hash value is not an integer");
            return;
        }
    }
    if ((incr < 0 && cur < 0 && incr < (LLONG_MIN - cur)) || (incr > 0 && cur > 0 && incr > (LLONG_MAX - cur))) {
        reply_error(&c->reply, ERR_OVERFLOW);
        return;
    }
    cur += incr;
    char buf[24];
    int l = ll2string(buf, sizeof(buf), cur);
    hash_set(c->srv, o, c->argv[2], sdslen(c->argv[2]), buf, (size_t)l);
    reply_long(&c->reply, cur);
    signal_hash(c, c->argv[1], "hincrby", 1);
}

static void hincrbyfloat_command(client *c) {
    long double incr, cur = 0;
    if (arg_long_double(c, c->argv[3], &incr, NULL) == -1) return;
    if (isnan(incr) || isinf(incr)) {
        reply_error(&c->reply, "value is NaN or Infinity");
        return;
    }
    kvobj *o = hash_for_write(c, c->argv[1]);
    if (!o) return;
    elem v;
    if (hash_get(o, c->argv[2], sdslen(c->argv[2]), &v)) {
        if (v.is_int) cur = (long double)v.v;
        else if (!string2ld(v.s, v.len, &cur)) {
            reply_error(&c->reply, "hash value is not a float");
            return;
        }
    }
    cur += incr;
    if (isnan(cur) || isinf(cur)) {
        reply_error(&c->reply, ERR_INCR_NAN);
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int l = ld2string_human(buf, sizeof(buf), cur);
    hash_set(c->srv, o, c->argv[2], sdslen(c->argv[2]), buf, (size_t)l);
    reply_bulk(&c->reply, buf, (size_t)l);
    signal_hash(c, c->argv[1], "hincrbyfloat", 1);
    /* Replicas and the AOF get the exact value, not the increment. */
    sds *argv = zmalloc(sizeof(sds) * 4);
    argv[0] = sdsnew("HSET");
    argv[1] = sdsdup(c->argv[1]);
    argv[2] = sdsdup(c->argv[2]);
    argv[3] = sdsnewlen(buf, (size_t)l);
    client_rewrite_argv(c, 4, argv);
}

/* HRANDFIELD key [count [WITHVALUES]] */
typedef struct randCtx {
    client *c;
    int withvalues;
} randCtx;

static void rand_emit(void *ctx, const elem *f, const elem *v) {
    randCtx *rc = ctx;
    if (rc->withvalues && rc->c->resp == 3) reply_array(&rc->c->reply, 2);
    reply_elem(rc->c, f);
    if (rc->withvalues) reply_elem(rc->c, v);
}

static void hrandfield_command(client *c) {
    kvobj *o;
    if (c->argc == 2) {
        if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
        if (!o) {
            reply_null(&c->reply);
            return;
        }
        elem f, v;
        hash_random(o, &f, &v);
        reply_elem(c, &f);
        return;
    }
    long long count;
    int withvalues = 0;
    if (arg_ll(c, c->argv[2], &count, NULL) == -1) return;
    if (c->argc == 4 && arg_is(c->argv[3], "withvalues")) withvalues = 1;
    else if (c->argc >= 4) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
        reply_error(&c->reply, "value is out of range");
        return;
    }
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    if (!o || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    int unique = count > 0;
    unsigned long n = unique ? (unsigned long)count : (unsigned long)-count, size = hash_len(o);
    if (unique && n > size) n = size;
    reply_array(&c->reply, withvalues && c->resp == 2 ? (long)n * 2 : (long)n);
    randCtx rc = {c, withvalues};
    hash_random_count(o, n, unique, rand_emit, &rc);
}

/* ---- HSCAN: a hashtable is scanned with a cursor; a listpack hash is
 * small and comes back whole, with cursor 0, as in Redis. */
static void hscan_collect(void *privdata, void *entry) {
    scanBatch *b = privdata;
    dictKV *e = entry;
    b->sampled++;
    if (!scan_matches(b->opts, e->key, sdslen(e->key))) return;
    scan_batch_add(b, e->key, sdslen(e->key));
    scan_batch_add(b, e->v.val, sdslen(e->v.val));
}

static void hscan_command(client *c) {
    unsigned long cursor;
    scanOpts opts;
    if (scan_parse_cursor(c, c->argv[2], &cursor) == -1 || scan_parse_options(c, 3, 0, &opts) == -1) return;
    kvobj *o;
    if (lookup_hash(c, c->argv[1], 0, &o) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    if (o && o->encoding == OBJ_ENC_HT) {
        cursor = scan_dict(o->ptr, cursor, hscan_collect, &b);
    } else {
        cursor = 0;
        if (o) {
            hashIter it;
            elem f, v;
            hash_iter_init(&it, o);
            while (hash_iter_next(&it, &f, &v)) {
                if (!scan_matches(&opts, f.s, f.len)) continue;
                scan_batch_add(&b, f.s, f.len);
                scan_batch_add(&b, v.s, v.len);
            }
            hash_iter_release(&it);
        }
    }
    scan_reply(c, cursor, &b);
}

#define RO KEY1("RO ACCESS")
commandDef hash_commands[] = {
    {"hset", hset_command, -4, "write denyoom fast", "@hash", KEY1("RW UPDATE"), "hash", "2.0.0",
     "Creates or modifies the value of a field in a hash.",
     "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs."},
    {"hmset", hset_command, -4, "write denyoom fast", "@hash", KEY1("RW UPDATE"), "hash", "2.0.0",
     "Sets the values of multiple fields.", "O(N) where N is the number of fields being set."},
    {"hsetnx", hsetnx_command, 4, "write denyoom fast", "@hash", KEY1("RW INSERT"), "hash", "2.0.0",
     "Sets the value of a field in a hash only when the field doesn't exist.", "O(1)"},
    {"hget", hget_command, 3, "readonly fast", "@hash", RO, "hash", "2.0.0", "Returns the value of a field in a hash.", "O(1)"},
    {"hmget", hmget_command, -3, "readonly fast", "@hash", RO, "hash", "2.0.0",
     "Returns the values of all fields in a hash.", "O(N) where N is the number of fields being requested."},
    {"hdel", hdel_command, -3, "write fast", "@hash", KEY1("RW DELETE"), "hash", "2.0.0",
     "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
     "O(N) where N is the number of fields to be removed."},
    {"hlen", hlen_command, 2, "readonly fast", "@hash", KEY1("RO"), "hash", "2.0.0", "Returns the number of fields in a hash.", "O(1)"},
    {"hstrlen", hstrlen_command, 3, "readonly fast", "@hash", KEY1("RO"), "hash", "3.2.0",
     "Returns the length of the value of a field.", "O(1)"},
    {"hexists", hexists_command, 3, "readonly fast", "@hash", KEY1("RO"), "hash", "2.0.0",
     "Determines whether a field exists in a hash.", "O(1)"},
    {"hkeys", hkeys_command, 2, "readonly", "@hash", RO, "hash", "2.0.0", "Returns all fields in a hash.",
     "O(N) where N is the size of the hash.", "nondeterministic_output_order"},
    {"hvals", hvals_command, 2, "readonly", "@hash", RO, "hash", "2.0.0", "Returns all values in a hash.",
     "O(N) where N is the size of the hash.", "nondeterministic_output_order"},
    {"hgetall", hgetall_command, 2, "readonly", "@hash", RO, "hash", "2.0.0", "Returns all fields and values in a hash.",
     "O(N) where N is the size of the hash.", "nondeterministic_output_order"},
    {"hincrby", hincrby_command, 4, "write denyoom fast", "@hash", KEY1("RW ACCESS UPDATE"), "hash", "2.0.0",
     "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)"},
    {"hincrbyfloat", hincrbyfloat_command, 4, "write denyoom fast", "@hash", KEY1("RW ACCESS UPDATE"), "hash", "2.6.0",
     "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)"},
    {"hrandfield", hrandfield_command, -2, "readonly", "@hash", RO, "hash", "6.2.0",
     "Returns one or more random fields from a hash.", "O(N) where N is the number of fields returned", "nondeterministic_output"},
    {"hscan", hscan_command, -3, "readonly", "@hash", RO, "hash", "2.8.0", "Iterates over fields and values of a hash.",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
     "nondeterministic_output"},
    {0}};
