/* hash.c: the hash command family over types/hash.h. */
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

static int lookup_hash(client *c, const sds key, int write, dict **h) {
    kvobj *o = write ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
    *h = NULL;
    if (!o) return 0;
    if (o->type != OBJ_HASH) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    *h = hash_of(o);
    return 0;
}

static dict *hash_for_write(client *c, const sds key) {
    dict *h;
    if (lookup_hash(c, key, 1, &h) == -1) return NULL;
    if (!h) h = hash_of(db_add(c->db, key, hash_new_value()));
    return h;
}

static void signal_hash(client *c, const sds key, const char *event, long long changes) {
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_HASH, event, key, c->db->id);
    c->srv->dirty += changes;
}

static void hset_command(client *c) {
    if (c->argc % 2 == 1) {
        reply_arity_error(c);
        return;
    }
    dict *h = hash_for_write(c, c->argv[1]);
    if (!h) return;
    long long created = 0;
    for (int i = 2; i < c->argc; i += 2)
        created += hash_set(h, c->argv[i], sdslen(c->argv[i]), c->argv[i + 1], sdslen(c->argv[i + 1]));
    /* HMSET replies OK, HSET the number of new fields */
    if (c->cmd->name[1] == 'm') reply_ok(&c->reply);
    else reply_long(&c->reply, created);
    signal_hash(c, c->argv[1], "hset", (c->argc - 2) / 2);
}

static void hsetnx_command(client *c) {
    dict *h = hash_for_write(c, c->argv[1]);
    if (!h) return;
    if (hash_get(h, c->argv[2])) {
        reply_long(&c->reply, 0);
        return;
    }
    hash_set(h, c->argv[2], sdslen(c->argv[2]), c->argv[3], sdslen(c->argv[3]));
    reply_long(&c->reply, 1);
    signal_hash(c, c->argv[1], "hset", 1);
}

static void hget_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    sds v = h ? hash_get(h, c->argv[2]) : NULL;
    if (v) reply_bulk_sds(&c->reply, v);
    else reply_null(&c->reply);
}

static void hmget_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        sds v = h ? hash_get(h, c->argv[i]) : NULL;
        if (v) reply_bulk_sds(&c->reply, v);
        else reply_null(&c->reply);
    }
}

static void hdel_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 1, &h) == -1) return;
    long long deleted = 0;
    for (int i = 2; h && i < c->argc; i++) deleted += hash_del(h, c->argv[i]);
    if (deleted) {
        signal_hash(c, c->argv[1], "hdel", deleted);
        if (hash_len(h) == 0) {
            db_delete(c->db, c->argv[1]);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", c->argv[1], c->db->id);
        }
    }
    reply_long(&c->reply, deleted);
}

static void hlen_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    reply_long(&c->reply, h ? (long long)hash_len(h) : 0);
}

static void hstrlen_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    sds v = h ? hash_get(h, c->argv[2]) : NULL;
    reply_long(&c->reply, v ? (long long)sdslen(v) : 0);
}

static void hexists_command(client *c) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    reply_long(&c->reply, h && hash_get(h, c->argv[2]) ? 1 : 0);
}

/* HKEYS (what 1), HVALS (2), HGETALL (3) */
static void getall_generic(client *c, int what) {
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    long n = h ? (long)hash_len(h) : 0;
    if (what == 3) reply_map(&c->reply, n);
    else reply_array(&c->reply, n);
    if (!h) return;
    dictIterator it;
    dict_iter_init(&it, h, 0);
    dictKV *e;
    while ((e = dict_iter_next(&it))) {
        if (what & 1) reply_bulk_sds(&c->reply, e->key);
        if (what & 2) reply_bulk_sds(&c->reply, e->v.val);
    }
    dict_iter_release(&it);
}
static void hkeys_command(client *c) { getall_generic(c, 1); }
static void hvals_command(client *c) { getall_generic(c, 2); }
static void hgetall_command(client *c) { getall_generic(c, 3); }

static void hincrby_command(client *c) {
    long long incr, cur = 0;
    if (arg_ll(c, c->argv[3], &incr, NULL) == -1) return;
    dict *h = hash_for_write(c, c->argv[1]);
    if (!h) return;
    sds v = hash_get(h, c->argv[2]);
    if (v && !string2ll(v, sdslen(v), &cur)) {
        reply_error(&c->reply, "hash value is not an integer");
        return;
    }
    if ((incr < 0 && cur < 0 && incr < (LLONG_MIN - cur)) || (incr > 0 && cur > 0 && incr > (LLONG_MAX - cur))) {
        reply_error(&c->reply, ERR_OVERFLOW);
        return;
    }
    cur += incr;
    char buf[24];
    int l = ll2string(buf, sizeof(buf), cur);
    hash_set(h, c->argv[2], sdslen(c->argv[2]), buf, (size_t)l);
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
    dict *h = hash_for_write(c, c->argv[1]);
    if (!h) return;
    sds v = hash_get(h, c->argv[2]);
    if (v && !string2ld(v, sdslen(v), &cur)) {
        reply_error(&c->reply, "hash value is not a float");
        return;
    }
    cur += incr;
    if (isnan(cur) || isinf(cur)) {
        reply_error(&c->reply, ERR_INCR_NAN);
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int l = ld2string_human(buf, sizeof(buf), cur);
    hash_set(h, c->argv[2], sdslen(c->argv[2]), buf, (size_t)l);
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
static void hrandfield_command(client *c) {
    dict *h;
    if (c->argc == 2) {
        if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
        dictKV *e = h ? dict_fair_random_entry(h) : NULL;
        if (e) reply_bulk_sds(&c->reply, e->key);
        else reply_null(&c->reply);
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
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    if (!h || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    long len = (long)hash_len(h);
    long n = count < 0 ? (long)-count : (count > len ? len : (long)count);
    dictKV **all = zmalloc(sizeof(dictKV *) * (size_t)len);
    dictIterator it;
    dict_iter_init(&it, h, 0);
    long k = 0;
    dictKV *e;
    while ((e = dict_iter_next(&it))) all[k++] = e;
    dict_iter_release(&it);
    reply_array(&c->reply, withvalues && c->resp == 2 ? n * 2 : n);
    for (long i = 0; i < n; i++) {
        long pick;
        if (count < 0) {
            pick = (long)(random_u64() % (unsigned long)len);
        } else { /* distinct: partial Fisher-Yates */
            pick = i + (long)(random_u64() % (unsigned long)(len - i));
            dictKV *t = all[i];
            all[i] = all[pick];
            all[pick] = t;
            pick = i;
        }
        if (withvalues && c->resp == 3) reply_array(&c->reply, 2);
        reply_bulk_sds(&c->reply, all[pick]->key);
        if (withvalues) reply_bulk_sds(&c->reply, all[pick]->v.val);
    }
    zfree(all);
}

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
    dict *h;
    if (lookup_hash(c, c->argv[1], 0, &h) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    cursor = h ? scan_dict(h, cursor, hscan_collect, &b) : 0;
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
