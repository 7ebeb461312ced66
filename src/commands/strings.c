/* strings.c: the string command family: SET and its variants (SETNX, SETEX,
 * PSETEX, GETSET, MSET, MSETNX), GET and its variants (GETEX, GETDEL, MGET),
 * APPEND, SETRANGE, GETRANGE/SUBSTR, STRLEN, INCR/DECR[BY], INCRBYFLOAT and
 * LCS.
 *
 * Values are encoded as Redis encodes them (object.h): SET-like commands
 * store int/embstr/raw by content, commands editing bytes in place (APPEND,
 * SETRANGE on an existing key) leave raw strings, INCR leaves an int and
 * INCRBYFLOAT an embstr/raw string. Anything relative is made absolute for
 * the AOF and replicas (client_rewrite_argv): SET/SETEX/PSETEX with a TTL
 * go out as SET key value PXAT ms, GETEX as PEXPIREAT/PERSIST/DEL/UNLINK,
 * GETDEL as DEL, GETSET as SET, INCRBYFLOAT as SET key result KEEPTTL.
 * Growing a string is bounded by proto-max-bulk-len (strings.h). */
#include "commands/strings.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

/* ---- shared helpers */

int string_limit_exempt(const client *c) {
    if (c->flags & CLIENT_MASTER) return 1;
    return (c->flags & (CLIENT_FAKE | CLIENT_LUA)) == CLIENT_FAKE; /* AOF replay */
}

int string_check_length(client *c, long long size, long long append) {
    if (string_limit_exempt(c)) return 0;
    unsigned long long total = (unsigned long long)size + (unsigned long long)append;
    if (total > (unsigned long long)c->srv->proto_max_bulk_len) {
        reply_error(&c->reply, ERR_STRING_TOO_LONG);
        return -1;
    }
    return 0;
}

/* Replaces the command line propagated to the AOF and replicas with the
 * argc strings that follow, which it takes over. */
static void rewrite_argv(client *c, int argc, ...) {
    sds *argv = zmalloc(sizeof(sds) * (size_t)argc);
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++) argv[i] = va_arg(ap, sds);
    va_end(ap);
    client_rewrite_argv(c, argc, argv);
}

static int check_string_type(client *c, const kvobj *o) {
    if (o && o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

static void reply_string(client *c, const kvobj *o) {
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    reply_bulk(&c->reply, p, len);
}

/* GET's reply for argv[1]: the value, or null when missing. Returns -1
 * (after replying WRONGTYPE) when the key holds another type. */
static int reply_get(client *c) {
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (check_string_type(c, o) == -1) return -1;
    if (o)
        reply_string(c, o);
    else
        reply_null(&c->reply);
    return 0;
}

/* A write to key: WATCH invalidation, keyspace event, dirty counter. */
static void signal_string_write(client *c, const sds key, const char *event) {
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_STRING, event, key, c->db->id);
    c->srv->dirty++;
}

/* ---- SET / GETEX options */

#define OPT_NX (1 << 0)
#define OPT_XX (1 << 1)
#define OPT_GET (1 << 2)
#define OPT_KEEPTTL (1 << 3)
#define OPT_PERSIST (1 << 4)
#define OPT_EX (1 << 5)
#define OPT_PX (1 << 6)
#define OPT_EXAT (1 << 7)
#define OPT_PXAT (1 << 8)
#define OPT_EXPIRE (OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT)

#define FOR_SET 1
#define FOR_GETEX 2

/* An option may be repeated, but not combined with those it excludes;
 * anything else (including a missing expire value) is a syntax error. */
typedef struct stringOption {
    const char *name;
    int flag, excludes, commands;
} stringOption;

static const stringOption string_options[] = {
    {"nx", OPT_NX, OPT_XX, FOR_SET},
    {"xx", OPT_XX, OPT_NX, FOR_SET},
    {"get", OPT_GET, 0, FOR_SET},
    {"keepttl", OPT_KEEPTTL, OPT_PERSIST | OPT_EXPIRE, FOR_SET},
    {"persist", OPT_PERSIST, OPT_KEEPTTL | OPT_EXPIRE, FOR_GETEX},
    {"ex", OPT_EX, OPT_KEEPTTL | OPT_PERSIST | (OPT_EXPIRE & ~OPT_EX), FOR_SET | FOR_GETEX},
    {"px", OPT_PX, OPT_KEEPTTL | OPT_PERSIST | (OPT_EXPIRE & ~OPT_PX), FOR_SET | FOR_GETEX},
    {"exat", OPT_EXAT, OPT_KEEPTTL | OPT_PERSIST | (OPT_EXPIRE & ~OPT_EXAT), FOR_SET | FOR_GETEX},
    {"pxat", OPT_PXAT, OPT_KEEPTTL | OPT_PERSIST | (OPT_EXPIRE & ~OPT_PXAT), FOR_SET | FOR_GETEX},
};

static const stringOption *find_string_option(const sds arg) {
    for (size_t i = 0; i < sizeof(string_options) / sizeof(string_options[0]); i++)
        if (arg_is(arg, string_options[i].name)) return &string_options[i];
    return NULL;
}

/* Parses options from argv[first] on; *expire is the argument of the last
 * EX/PX/EXAT/PXAT (or stays NULL). */
static int parse_string_options(client *c, int first, int command, int *flags, sds *expire) {
    for (int j = first; j < c->argc; j++) {
        const stringOption *opt = find_string_option(c->argv[j]);
        int ok = opt && (opt->commands & command) && !(*flags & opt->excludes);
        if (ok && (opt->flag & OPT_EXPIRE)) {
            ok = j + 1 < c->argc;
            if (ok) *expire = c->argv[++j];
        }
        if (!ok) {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
        *flags |= opt->flag;
    }
    return 0;
}

/* The absolute unix time in ms named by an EX/PX/EXAT/PXAT argument.
 * Values must be positive and the result must not overflow. */
static int parse_expire_ms(client *c, const sds arg, int flags, long long *when) {
    long long v;
    if (arg_ll(c, arg, &v, NULL) == -1) return -1;
    int seconds = (flags & (OPT_EX | OPT_EXAT)) != 0;
    long long base = (flags & (OPT_EX | OPT_PX)) ? c->srv->mstime : 0;
    int valid = v > 0 && !(seconds && v > LLONG_MAX / 1000);
    if (valid && seconds) v *= 1000;
    if (valid) valid = v <= LLONG_MAX - base;
    if (!valid) {
        reply_errorf(&c->reply, ERR_INVALID_EXPIRE, c->cmd->fullname);
        return -1;
    }
    *when = v + base;
    return 0;
}

/* ---- SET and its variants */

#define REPLY_OK_NULL 0  /* SET: +OK, or null when NX/XX prevented it */
#define REPLY_ONE_ZERO 1 /* SETNX: 1 or 0 */

/* SET ... GET propagates without its GET words (the reply is not needed). */
static void rewrite_without_get(client *c) {
    sds *argv = zmalloc(sizeof(sds) * (size_t)c->argc);
    int argc = 0;
    for (int j = 0; j < c->argc; j++)
        if (j < 3 || !arg_is(c->argv[j], "get")) argv[argc++] = sdsdup(c->argv[j]);
    client_rewrite_argv(c, argc, argv);
}

/* The value for a SET-like argument: a big argument is taken over from
 * argv instead of copied, when its spare room is no more than the
 * allocator's size-class rounding a copy would have too (at most a
 * quarter); an integer-looking or short one is encoded as usual. */
static value string_value_of_arg(client *c, const sds val) {
    size_t len = sdslen(val);
    if (len > 20 && len > OBJ_EMBSTR_LIMIT && sdsavail(val) <= len / 4 + 64) {
        for (int j = 1; j < c->argc; j++)
            if (c->argv[j] == val && client_lend_arg(c, j)) return value_string_raw(val);
    }
    return value_string(val, len);
}

/* Stores val under key with SET's semantics; o is the key's current
 * object (db_lookup_write) or NULL. Overwriting a short string value is
 * done in place when the TTL stays as it is; otherwise a new object
 * replaces the old one. Signals the key as modified. */
static kvobj *store_string(client *c, const sds key, kvobj *o, const sds val, int keep_ttl, int may_lend) {
    if (o && (keep_ttl || kv_expire(o) == -1) && kv_string_set_inplace(o, val, sdslen(val))) {
        db_signal_modified(c->db, key);
        return o;
    }
    return db_set(c->db, key, may_lend ? string_value_of_arg(c, val) : value_string(val, sdslen(val)), keep_ttl);
}

/* What SET, SETNX, SETEX and PSETEX share: val goes to argv[1] subject to
 * NX/XX, with the expire argument (or NULL) read according to flags. */
static void set_generic(client *c, int flags, const sds val, const sds expire, int reply_kind) {
    sds key = c->argv[1];
    long long when = -1;
    if (expire && parse_expire_ms(c, expire, flags, &when) == -1) return;
    if ((flags & OPT_GET) && reply_get(c) == -1) return;
    kvobj *o = db_lookup_write(c->db, key);
    if (((flags & OPT_NX) && o) || ((flags & OPT_XX) && !o)) {
        if (flags & OPT_GET) return;
        if (reply_kind == REPLY_ONE_ZERO)
            reply_long(&c->reply, 0);
        else
            reply_null(&c->reply);
        return;
    }
    /* With a new TTL coming, keeping the old one lets it be updated in place. */
    int keep_ttl = (flags & OPT_KEEPTTL) || expire;
    o = store_string(c, key, o, val, keep_ttl, 1);
    c->srv->dirty++;
    keyspace_event(c->srv, NOTIFY_STRING, "set", key, c->db->id);
    if (expire) {
        db_set_expire(c->db, o, when);
        keyspace_event(c->srv, NOTIFY_GENERIC, "expire", key, c->db->id);
    }
    if (!(flags & OPT_GET)) {
        if (reply_kind == REPLY_ONE_ZERO)
            reply_long(&c->reply, 1);
        else
            reply_ok(&c->reply);
    }
    if (expire && !(flags & OPT_PXAT))
        rewrite_argv(c, 5, sdsnew("SET"), sdsdup(key), sdsdup(val), sdsnew("PXAT"), sdsfromlonglong(when));
    else if ((flags & OPT_GET) && !expire)
        rewrite_without_get(c);
}

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
static void set_command(client *c) {
    if (c->argc == 3) { /* the common case: nothing to parse */
        set_generic(c, 0, c->argv[2], NULL, REPLY_OK_NULL);
        return;
    }
    int flags = 0;
    sds expire = NULL;
    if (parse_string_options(c, 3, FOR_SET, &flags, &expire) == -1) return;
    set_generic(c, flags, c->argv[2], expire, REPLY_OK_NULL);
}

static void setnx_command(client *c) { set_generic(c, OPT_NX, c->argv[2], NULL, REPLY_ONE_ZERO); }
static void setex_command(client *c) { set_generic(c, OPT_EX, c->argv[3], c->argv[2], REPLY_OK_NULL); }
static void psetex_command(client *c) { set_generic(c, OPT_PX, c->argv[3], c->argv[2], REPLY_OK_NULL); }

static void getset_command(client *c) {
    if (reply_get(c) == -1) return;
    store_string(c, c->argv[1], db_lookup_write(c->db, c->argv[1]), c->argv[2], 0, 1);
    keyspace_event(c->srv, NOTIFY_STRING, "set", c->argv[1], c->db->id);
    c->srv->dirty++;
    rewrite_argv(c, 3, sdsnew("SET"), sdsdup(c->argv[1]), sdsdup(c->argv[2]));
}

/* MSET and MSETNX: key value pairs; MSETNX sets nothing if any key exists. */
static void mset_generic(client *c, int nx) {
    if (c->argc % 2 == 0) {
        reply_arity_error(c);
        return;
    }
    for (int j = 1; nx && j < c->argc; j += 2) {
        if (db_lookup_write(c->db, c->argv[j])) {
            reply_long(&c->reply, 0);
            return;
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        /* never lent: a key named twice frees its first value within this command */
        store_string(c, c->argv[j], db_lookup_write(c->db, c->argv[j]), c->argv[j + 1], 0, 0);
        keyspace_event(c->srv, NOTIFY_STRING, "set", c->argv[j], c->db->id);
    }
    c->srv->dirty += (c->argc - 1) / 2;
    if (nx)
        reply_long(&c->reply, 1);
    else
        reply_ok(&c->reply);
}

static void mset_command(client *c) { mset_generic(c, 0); }
static void msetnx_command(client *c) { mset_generic(c, 1); }

/* ---- GET and its variants */

static void get_command(client *c) { reply_get(c); }

/* MGET: null for missing keys and for keys of other types. */
static void mget_command(client *c) {
    reply_array(&c->reply, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        kvobj *o = db_lookup_read(c->db, c->argv[j]);
        if (o && o->type == OBJ_STRING)
            reply_string(c, o);
        else
            reply_null(&c->reply);
    }
}

static int already_expired(server *srv, long long when) {
    return when <= srv->mstime && !srv->loading && !srv->masterhost_set;
}

/* GETEX with an absolute time already past: the key goes now, and goes
 * to replicas and the AOF as an explicit DEL (or UNLINK). */
static void getex_delete(client *c) {
    server *srv = c->srv;
    int lazy = srv->lazyfree_lazy_expire;
    sds key = c->argv[1];
    db_remove(c->db, key, lazy);
    db_signal_modified(c->db, key);
    keyspace_event(srv, NOTIFY_GENERIC, "del", key, c->db->id);
    srv->dirty++;
    rewrite_argv(c, 2, sdsnew(lazy ? "UNLINK" : "DEL"), sdsdup(key));
}

static void getex_set_expire(client *c, kvobj *o, long long when) {
    sds key = c->argv[1];
    db_set_expire(c->db, o, when);
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "expire", key, c->db->id);
    c->srv->dirty++;
    rewrite_argv(c, 3, sdsnew("PEXPIREAT"), sdsdup(key), sdsfromlonglong(when));
}

static void getex_persist(client *c, kvobj *o) {
    sds key = c->argv[1];
    if (kv_expire(o) == -1) return;
    db_persist(c->db, o);
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "persist", key, c->db->id);
    c->srv->dirty++;
    rewrite_argv(c, 2, sdsnew("PERSIST"), sdsdup(key));
}

/* GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST] */
static void getex_command(client *c) {
    int flags = 0;
    sds expire = NULL;
    long long when = -1;
    if (parse_string_options(c, 2, FOR_GETEX, &flags, &expire) == -1) return;
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (!o) {
        reply_null(&c->reply);
        return;
    }
    if (check_string_type(c, o) == -1) return;
    if (expire && parse_expire_ms(c, expire, flags, &when) == -1) return;
    reply_string(c, o);
    if ((flags & (OPT_EXAT | OPT_PXAT)) && already_expired(c->srv, when))
        getex_delete(c);
    else if (expire)
        getex_set_expire(c, o, when);
    else if (flags & OPT_PERSIST)
        getex_persist(c, o);
}

static void getdel_command(client *c) {
    if (reply_get(c) == -1) return;
    sds key = c->argv[1];
    if (!db_remove(c->db, key, 0)) return;
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, c->db->id);
    c->srv->dirty++;
    rewrite_argv(c, 2, sdsnew("DEL"), sdsdup(key));
}

/* ---- byte-level edits and reads */

static void append_command(client *c) {
    sds key = c->argv[1], tail = c->argv[2];
    kvobj *o = db_lookup_write(c->db, key);
    size_t total;
    if (!o) {
        db_add(c->db, key, value_string(tail, sdslen(tail)));
        total = sdslen(tail);
    } else {
        if (check_string_type(c, o) == -1) return;
        if (string_check_length(c, (long long)kv_string_len(o), (long long)sdslen(tail)) == -1) return;
        o->ptr = sdscatlen(kv_string_unshare(o), tail, sdslen(tail));
        total = sdslen(o->ptr);
    }
    signal_string_write(c, key, "append");
    reply_long(&c->reply, (long long)total);
}

static void strlen_command(client *c) {
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (check_string_type(c, o) == -1) return;
    reply_long(&c->reply, o ? (long long)kv_string_len(o) : 0);
}

/* SETRANGE key offset value: zero-pads as needed; an empty value changes
 * nothing (and creates nothing) and replies the current length. */
static void setrange_command(client *c) {
    sds key = c->argv[1], val = c->argv[3];
    size_t vlen = sdslen(val);
    long offset;
    if (arg_long(c, c->argv[2], &offset, NULL) == -1) return;
    if (offset < 0) {
        reply_error(&c->reply, "offset is out of range");
        return;
    }
    kvobj *o = db_lookup_write(c->db, key);
    if (check_string_type(c, o) == -1) return;
    if (vlen == 0) {
        reply_long(&c->reply, o ? (long long)kv_string_len(o) : 0);
        return;
    }
    if (string_check_length(c, offset, (long long)vlen) == -1) return;
    sds s;
    if (!o) {
        s = sdsnewlen(NULL, (size_t)offset + vlen);
        db_add(c->db, key, value_string_raw(s));
    } else {
        s = o->ptr = sdsgrowzero(kv_string_unshare(o), (size_t)offset + vlen);
    }
    memcpy(s + offset, val, vlen);
    signal_string_write(c, key, "setrange");
    reply_long(&c->reply, (long long)sdslen(s));
}

/* GETRANGE/SUBSTR key start end: inclusive, negative indexes count from
 * the end, out-of-range indexes are clamped; "" when nothing is left. */
static void getrange_command(client *c) {
    long long start, end;
    if (arg_ll(c, c->argv[2], &start, NULL) == -1 || arg_ll(c, c->argv[3], &end, NULL) == -1) return;
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (check_string_type(c, o) == -1) return;
    char buf[24];
    size_t len = 0;
    const char *p = o ? kv_string_bytes(o, buf, &len) : "";
    long long n = (long long)len;
    if (start < 0 && end < 0 && start > end) {
        reply_bulk(&c->reply, "", 0);
        return;
    }
    if (start < 0) start = n + start;
    if (end < 0) end = n + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= n) end = n - 1;
    if (n == 0 || start > end)
        reply_bulk(&c->reply, "", 0);
    else
        reply_bulk(&c->reply, p + start, (size_t)(end - start + 1));
}

/* ---- counters */

/* Stores an integer result, keeping the key's TTL; an int-encoded value
 * is updated in place. */
static void store_integer(client *c, kvobj *o, long long v) {
    if (!o)
        db_add(c->db, c->argv[1], value_string_ll(v));
    else if (o->encoding == OBJ_ENC_INT)
        o->ptr = (void *)(intptr_t)v;
    else
        db_overwrite(c->db, o, value_string_ll(v), 1);
}

static void incr_generic(client *c, long long incr) {
    kvobj *o = db_lookup_write(c->db, c->argv[1]);
    long long v = 0;
    if (check_string_type(c, o) == -1) return;
    if (o && !kv_string_get_ll(o, &v)) {
        reply_error(&c->reply, ERR_NOT_INTEGER);
        return;
    }
    if ((incr < 0 && v < 0 && incr < LLONG_MIN - v) || (incr > 0 && v > 0 && incr > LLONG_MAX - v)) {
        reply_error(&c->reply, ERR_OVERFLOW);
        return;
    }
    v += incr;
    store_integer(c, o, v);
    signal_string_write(c, c->argv[1], "incrby");
    reply_long(&c->reply, v);
}

static void incr_command(client *c) { incr_generic(c, 1); }
static void decr_command(client *c) { incr_generic(c, -1); }

static void incrby_command(client *c) {
    long long incr;
    if (arg_ll(c, c->argv[2], &incr, NULL) == -1) return;
    incr_generic(c, incr);
}

static void decrby_command(client *c) {
    long long decr;
    if (arg_ll(c, c->argv[2], &decr, NULL) == -1) return;
    if (decr == LLONG_MIN) {
        reply_error(&c->reply, "decrement would overflow");
        return;
    }
    incr_generic(c, -decr);
}

/* The result is stored as text (never int-encoded), keeps the TTL, and is
 * propagated as SET key result KEEPTTL so replicas need not redo the
 * floating point math. */
static void incrbyfloat_command(client *c) {
    sds key = c->argv[1];
    kvobj *o = db_lookup_write(c->db, key);
    long double v = 0, incr;
    if (check_string_type(c, o) == -1) return;
    if (o) {
        char buf[24];
        size_t len;
        const char *p = kv_string_bytes(o, buf, &len);
        if (!string2ld(p, len, &v)) {
            reply_error(&c->reply, ERR_NOT_FLOAT);
            return;
        }
    }
    if (arg_long_double(c, c->argv[2], &incr, NULL) == -1) return;
    v += incr;
    if (isnan(v) || isinf(v)) {
        reply_error(&c->reply, ERR_INCR_NAN);
        return;
    }
    char out[MAX_LONG_DOUBLE_CHARS];
    size_t len = (size_t)ld2string_human(out, sizeof(out), v);
    if (o)
        db_overwrite(c->db, o, value_string_noint(out, len), 1);
    else
        db_add(c->db, key, value_string_noint(out, len));
    signal_string_write(c, key, "incrbyfloat");
    reply_bulk(&c->reply, out, len);
    rewrite_argv(c, 4, sdsnew("SET"), sdsdup(key), sdsnewlen(out, len), sdsnew("KEEPTTL"));
}

/* ---- LCS
 *
 * Classic dynamic programming: T[i][k] is the length of the longest common
 * subsequence of a[0..i) and b[0..k). Walking back from T[alen][blen]
 * (taking a character where both match, else moving towards the larger
 * neighbour, preferring to drop from b on ties) yields the subsequence from
 * its end, and runs of consecutive matches form the IDX ranges, reported
 * last-to-first as Redis does. The table is bounded by proto-max-bulk-len. */

typedef struct lcsTable {
    const char *a, *b;
    uint32_t alen, blen;
    uint32_t *t;
} lcsTable;

/* How matched ranges are reported during the walk (IDX). */
typedef struct lcsRanges {
    replyBuf *rb;
    long long minlen;
    int withlen;
    long count;
} lcsRanges;

static uint32_t *lcs_cell(const lcsTable *lt, uint32_t i, uint32_t k) {
    return &lt->t[(size_t)i * (lt->blen + 1) + k];
}

static void lcs_fill(lcsTable *lt) {
    for (uint32_t i = 0; i <= lt->alen; i++) {
        for (uint32_t k = 0; k <= lt->blen; k++) {
            uint32_t v;
            if (i == 0 || k == 0)
                v = 0;
            else if (lt->a[i - 1] == lt->b[k - 1])
                v = *lcs_cell(lt, i - 1, k - 1) + 1;
            else {
                uint32_t up = *lcs_cell(lt, i - 1, k), left = *lcs_cell(lt, i, k - 1);
                v = up > left ? up : left;
            }
            *lcs_cell(lt, i, k) = v;
        }
    }
}

static void lcs_emit(lcsRanges *r, uint32_t as, uint32_t ae, uint32_t bs, uint32_t be) {
    long long len = (long long)ae - as + 1;
    if (!r || (r->minlen && len < r->minlen)) return;
    reply_array(r->rb, 2 + r->withlen);
    reply_array(r->rb, 2);
    reply_long(r->rb, as);
    reply_long(r->rb, ae);
    reply_array(r->rb, 2);
    reply_long(r->rb, bs);
    reply_long(r->rb, be);
    if (r->withlen) reply_long(r->rb, len);
    r->count++;
}

/* Walks the table back, writing the subsequence into out (if not NULL,
 * with room for its length) and reporting ranges to r (if not NULL). */
static void lcs_walk(const lcsTable *lt, char *out, lcsRanges *r) {
    uint32_t i = lt->alen, k = lt->blen, n = *lcs_cell(lt, i, k);
    uint32_t as = 0, ae = 0, bs = 0, be = 0;
    int open = 0;
    while (i > 0 && k > 0) {
        int close;
        if (lt->a[i - 1] == lt->b[k - 1]) {
            if (out) out[--n] = lt->a[i - 1];
            if (!open) {
                ae = i - 1;
                be = k - 1;
                open = 1;
            }
            as = --i;
            bs = --k;
            close = as == 0 || bs == 0;
        } else {
            close = open;
            if (*lcs_cell(lt, i - 1, k) > *lcs_cell(lt, i, k - 1))
                i--;
            else
                k--;
        }
        if (close) {
            lcs_emit(r, as, ae, bs, be);
            open = 0;
        }
    }
}

/* Allocates the table, or replies why not. */
#define LCS_NO_MEMORY "Insufficient memory, failed allocating transient memory for LCS"

static int lcs_alloc(client *c, lcsTable *lt) {
    size_t cells, bytes;
    if (__builtin_mul_overflow((size_t)lt->alen + 1, (size_t)lt->blen + 1, &cells) ||
        __builtin_mul_overflow(cells, sizeof(uint32_t), &bytes)) {
        reply_error(&c->reply, LCS_NO_MEMORY);
        return -1;
    }
    if (bytes > (unsigned long long)c->srv->proto_max_bulk_len) {
        reply_error(&c->reply, "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return -1;
    }
    lt->t = ztrymalloc(bytes);
    if (!lt->t) {
        reply_error(&c->reply, LCS_NO_MEMORY);
        return -1;
    }
    return 0;
}

typedef struct lcsOptions {
    int len, idx, withlen;
    long long minlen;
} lcsOptions;

static int parse_lcs_options(client *c, lcsOptions *o) {
    memset(o, 0, sizeof(*o));
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c->argv[j], "idx"))
            o->idx = 1;
        else if (arg_is(c->argv[j], "len"))
            o->len = 1;
        else if (arg_is(c->argv[j], "withmatchlen"))
            o->withlen = 1;
        else if (arg_is(c->argv[j], "minmatchlen") && j + 1 < c->argc) {
            if (arg_ll(c, c->argv[++j], &o->minlen, NULL) == -1) return -1;
            if (o->minlen < 0) o->minlen = 0;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
    }
    if (o->len && o->idx) {
        reply_error(&c->reply, "If you want both the length and indexes, please just use IDX.");
        return -1;
    }
    return 0;
}

static void lcs_reply(client *c, const lcsTable *lt, const lcsOptions *opt) {
    uint32_t total = *lcs_cell(lt, lt->alen, lt->blen);
    if (opt->len) {
        reply_long(&c->reply, total);
    } else if (opt->idx) {
        lcsRanges r = {&c->reply, opt->minlen, opt->withlen, 0};
        reply_map(&c->reply, 2);
        reply_bulk_cstr(&c->reply, "matches");
        void *h = reply_defer(&c->reply);
        lcs_walk(lt, NULL, &r);
        reply_set_array(&c->reply, h, r.count);
        reply_bulk_cstr(&c->reply, "len");
        reply_long(&c->reply, total);
    } else {
        sds s = sdsnewlen(NULL, total);
        lcs_walk(lt, s, NULL);
        reply_bulk_sds(&c->reply, s);
        sdsfree(s);
    }
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
static void lcs_command(client *c) {
    kvobj *oa = db_lookup_read(c->db, c->argv[1]);
    kvobj *ob = db_lookup_read(c->db, c->argv[2]);
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        reply_error(&c->reply, "The specified keys must contain string values");
        return;
    }
    lcsOptions opt;
    if (parse_lcs_options(c, &opt) == -1) return;
    char abuf[24], bbuf[24];
    size_t alen = 0, blen = 0;
    lcsTable lt = {"", "", 0, 0, NULL};
    if (oa) lt.a = kv_string_bytes(oa, abuf, &alen);
    if (ob) lt.b = kv_string_bytes(ob, bbuf, &blen);
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) {
        reply_error(&c->reply, "String too long for LCS");
        return;
    }
    lt.alen = (uint32_t)alen;
    lt.blen = (uint32_t)blen;
    if (lcs_alloc(c, &lt) == -1) return;
    lcs_fill(&lt);
    lcs_reply(c, &lt, &opt);
    zfree(lt.t);
}

#define RO_ACCESS KEY1("RO ACCESS")
#define RW_ACCESS_UPDATE KEY1("RW ACCESS UPDATE")

commandDef string_commands[] = {
    {"get", get_command, 2, "readonly fast", "@string", RO_ACCESS, "string", "1.0.0",
     "Returns the string value of a key.", "O(1)"},
    {"set", set_command, -3, "write denyoom", "@string", KEY1("RW ACCESS UPDATE VARIABLE_FLAGS"), "string",
     "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
     "O(1)"},
    {"getex", getex_command, -2, "write fast", "@string", RW_ACCESS_UPDATE, "string", "6.2.0",
     "Returns the string value of a key after setting its expiration time.", "O(1)"},
    {"getdel", getdel_command, 2, "write fast", "@string", KEY1("RW ACCESS DELETE"), "string", "6.2.0",
     "Returns the string value of a key after deleting the key.", "O(1)"},
    {"getset", getset_command, 3, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string", "1.0.0",
     "Returns the previous string value of a key after setting it to a new value.", "O(1)"},
    {"setnx", setnx_command, 3, "write denyoom fast", "@string", KEY1("OW INSERT"), "string", "1.0.0",
     "Set the string value of a key only when the key doesn't exist.", "O(1)"},
    {"setex", setex_command, 4, "write denyoom", "@string", KEY1("OW UPDATE"), "string", "2.0.0",
     "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "O(1)"},
    {"psetex", psetex_command, 4, "write denyoom", "@string", KEY1("OW UPDATE"), "string", "2.6.0",
     "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't "
     "exist.",
     "O(1)"},
    {"mset",
     mset_command,
     -3,
     "write denyoom",
     "@string",
     {KEYS_RANGE("OW UPDATE", 1, -1, 2, 0)},
     "string",
     "1.0.1",
     "Atomically creates or modifies the string values of one or more keys.",
     "O(N) where N is the number of keys to set.",
     "request_policy:multi_shard response_policy:all_succeeded"},
    {"msetnx",
     msetnx_command,
     -3,
     "write denyoom",
     "@string",
     {KEYS_RANGE("OW INSERT", 1, -1, 2, 0)},
     "string",
     "1.0.1",
     "Atomically modifies the string values of one or more keys only when all keys don't exist.",
     "O(N) where N is the number of keys to set."},
    {"mget",
     mget_command,
     -2,
     "readonly fast",
     "@string",
     {KEYS_RANGE("RO ACCESS", 1, -1, 1, 0)},
     "string",
     "1.0.0",
     "Atomically returns the string values of one or more keys.",
     "O(N) where N is the number of keys to retrieve.",
     "request_policy:multi_shard"},
    {"append", append_command, 3, "write denyoom fast", "@string", KEY1("RW INSERT"), "string", "2.0.0",
     "Appends a string to the value of a key. Creates the key if it doesn't exist.",
     "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already "
     "present value is of any size, since the dynamic string library used by Redis will double the free "
     "space available on every reallocation."},
    {"strlen", strlen_command, 2, "readonly fast", "@string", KEY1("RO"), "string", "2.2.0",
     "Returns the length of a string value.", "O(1)"},
    {"setrange", setrange_command, 4, "write denyoom", "@string", KEY1("RW UPDATE"), "string", "2.2.0",
     "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
     "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small "
     "so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the "
     "value argument."},
    {"getrange", getrange_command, 4, "readonly", "@string", RO_ACCESS, "string", "2.4.0",
     "Returns a substring of the string stored at a key.",
     "O(N) where N is the length of the returned string. The complexity is ultimately determined by the "
     "returned length, but because creating a substring from an existing string is very cheap, it can be "
     "considered O(1) for small strings."},
    {"substr", getrange_command, 4, "readonly", "@string", RO_ACCESS, "string", "1.0.0",
     "Returns a substring from a string value.",
     "O(N) where N is the length of the returned string. The complexity is ultimately determined by the "
     "returned length, but because creating a substring from an existing string is very cheap, it can be "
     "considered O(1) for small strings."},
    {"incr", incr_command, 2, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string", "1.0.0",
     "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
     "O(1)"},
    {"decr", decr_command, 2, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string", "1.0.0",
     "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
     "O(1)"},
    {"incrby", incrby_command, 3, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string", "1.0.0",
     "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
     "O(1)"},
    {"decrby", decrby_command, 3, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string", "1.0.0",
     "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
     "O(1)"},
    {"incrbyfloat", incrbyfloat_command, 3, "write denyoom fast", "@string", RW_ACCESS_UPDATE, "string",
     "2.6.0",
     "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't "
     "exist.",
     "O(1)"},
    {"lcs",
     lcs_command,
     -3,
     "readonly",
     "@string",
     {KEYS_RANGE("RO ACCESS", 1, 1, 1, 0)},
     "string",
     "7.0.0",
     "Finds the longest common substring.",
     "O(N*M) where N and M are the lengths of s1 and s2, respectively"},
    {0}};
