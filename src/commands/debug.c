/* debug.c: the DEBUG command, Redis's toolbox for tests and diagnosis:
 * dataset digests, reloading through RDB or AOF, object internals, reply
 * protocol samples, sleeping, toggling background jobs, and deliberate
 * crashes to exercise the crash report. Like Redis, one command parses its
 * own subcommands (it is `protected`: enable-debug-command gates it). */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/sha1.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/digest.h"
#include "persist/aof.h"
#include "persist/loading.h"
#include "persist/rdb.h"
#include "persist/rio.h"
#include "persist/snapshot.h"
#include "proto/errors.h"
#include "repl/repl.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

typedef struct debugSub {
    const char *name;
    int min_argc, max_argc; /* max -1: no limit */
    void (*fn)(client *c);
} debugSub;

static void debug_help(client *c) {
    const char *lines[] = {
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "DICT-RESIZING <0|1>",
        "    Enable or disable the main dict and expire dict resizing.",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "OBJECT <key>",
        "    Show low level info about the `key` and associated value.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-LEN",
        "    Run a fuzz tester against the stringmatchlen() function.",
        NULL};
    reply_help(&c->reply, "DEBUG", lines);
}

static void debug_digest(client *c) {
    uint8_t d[SHA1_DIGEST_LEN];
    char hex[SHA1_HEX_LEN + 1];
    digest_dataset(c->srv->dbs, c->srv->dbnum, d);
    sha1_to_hex(d, hex);
    reply_status(&c->reply, hex);
}

static void debug_digest_value(client *c) {
    reply_array(&c->reply, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        uint8_t d[SHA1_DIGEST_LEN] = {0};
        char hex[SHA1_HEX_LEN + 1];
        kvobj *o = db_find(c->db, c->argv[j]); /* logically expired keys too */
        if (o) digest_object(d, o);
        sha1_to_hex(d, hex);
        reply_status(&c->reply, hex);
    }
}

static int parse_reload_flags(client *c, int *nosave, int *noflush, int *merge) {
    for (int j = 2; j < c->argc; j++) {
        if (arg_is(c->argv[j], "nosave"))
            *nosave = 1;
        else if (arg_is(c->argv[j], "noflush"))
            *noflush = 1;
        else if (arg_is(c->argv[j], "merge"))
            *merge = 1;
        else {
            reply_error(&c->reply, "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            return -1;
        }
    }
    return 0;
}

static void debug_reload(client *c) {
    server *srv = c->srv;
    int nosave = 0, noflush = 0, merge = 0;
    if (parse_reload_flags(c, &nosave, &noflush, &merge) == -1) return;
    if (merge) {
        reply_error(&c->reply, "DEBUG RELOAD MERGE is not supported by this server");
        return;
    }
    if (!nosave && snapshot_save(srv) == -1) {
        reply_error(&c->reply, "Error trying to save the DB, check the server logs.");
        return;
    }
    if (!noflush)
        for (int j = 0; j < srv->dbnum; j++) db_empty(&srv->dbs[j], 0);
    sds err = NULL;
    loading_start(srv, 0, 0);
    int rc = rdb_load(srv, srv->dbfilename, &err);
    loading_end(srv);
    if (rc != 0) {
        LOG(srv, LL_WARNING, "DEBUG RELOAD: %s", err ? err : "error loading the RDB file");
        sdsfree(err);
        reply_error(&c->reply, "Error trying to load the RDB dump, check server logs.");
        return;
    }
    sdsfree(err);
    LOG(srv, LL_NOTICE, "DB reloaded by DEBUG RELOAD");
    reply_ok(&c->reply);
}

static void debug_loadaof(client *c) {
    if (aof_reload(c->srv) == -1) {
        reply_error(&c->reply, "Error loading the AOF, check the server logs (is appendonly enabled?).");
        return;
    }
    LOG(c->srv, LL_NOTICE, "Append Only File loaded by DEBUG LOADAOF");
    reply_ok(&c->reply);
}

/* Bytes the value takes in an RDB file (DEBUG OBJECT serializedlength). */
static size_t serialized_length(kvobj *o) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    rdb_save_object(&r, kv_value(o), 1);
    size_t n = sdslen(rio_buffer(&r));
    sdsfree(rio_buffer(&r));
    return n;
}

static void debug_object(client *c) {
    kvobj *o = db_find(c->db, c->argv[2]);
    if (!o) {
        reply_error(&c->reply, "no such key");
        return;
    }
    sds s = sdscatprintf(sdsempty(), "Value at:%p refcount:1 encoding:%s serializedlength:%zu lru:%u lru_seconds_idle:%llu",
                         (void *)o, obj_encoding_name(o->encoding), serialized_length(o), (unsigned)o->lru,
                         db_idle_ms(c->srv, o) / 1000);
    reply_status(&c->reply, s);
    sdsfree(s);
}

static void debug_sdslen(client *c) {
    kvobj *o = db_find(c->db, c->argv[2]);
    if (!o) {
        reply_error(&c->reply, "no such key");
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_error(&c->reply, "Not an sds encoded string.");
        return;
    }
    sds key = kv_key(o);
    char buf[24];
    size_t vlen;
    kv_string_bytes(o, buf, &vlen);
    size_t val_alloc = o->encoding == OBJ_ENC_RAW ? zmalloc_size(sdsAllocPtr(o->ptr)) : 0;
    sds s = sdscatprintf(sdsempty(),
                         "key_sds_len:%zu, key_sds_avail:%zu, obj_alloc:%zu, val_sds_len:%zu, val_sds_avail:%zu, "
                         "val_zmalloc: %zu",
                         sdslen(key), sdsavail(key), zmalloc_size(o), vlen,
                         o->encoding == OBJ_ENC_RAW ? sdsavail((sds)o->ptr) : 0, val_alloc);
    reply_status(&c->reply, s);
    sdsfree(s);
}

static void debug_populate(client *c) {
    long long count, size = 0;
    if (arg_ll_range(c, c->argv[2], 0, LLONG_MAX, &count, "count should be greater than or equal to 0") == -1) return;
    const char *prefix = c->argc >= 4 ? c->argv[3] : "key";
    if (c->argc == 5 && arg_ll_range(c, c->argv[4], 0, LLONG_MAX, &size, NULL) == -1) return;
    dict_expand(c->db->keys, dict_size(c->db->keys) + (uint64_t)count);
    for (long long j = 0; j < count; j++) {
        sds key = sdscatprintf(sdsnew(prefix), ":%lld", j);
        if (db_find(c->db, key)) {
            sdsfree(key);
            continue;
        }
        sds val = sdscatprintf(sdsempty(), "value:%lld", j);
        if (size) {
            size_t old = sdslen(val);
            val = sdsgrowzero(val, (size_t)size);
            if ((size_t)size < old) sdssetlen(val, (size_t)size);
        }
        db_add(c->db, key, value_string_sds(val));
        sdsfree(key);
    }
    reply_ok(&c->reply);
}

static void debug_protocol(client *c) {
    const char *t = c->argv[2];
    replyBuf *rb = &c->reply;
    if (!strcasecmp(t, "string")) {
        reply_bulk_cstr(rb, "Hello World");
    } else if (!strcasecmp(t, "integer")) {
        reply_long(rb, 12345);
    } else if (!strcasecmp(t, "double")) {
        reply_double(rb, 3.141);
    } else if (!strcasecmp(t, "bignum")) {
        const char *n = "1234567999999999999999999999999999999";
        reply_bignum(rb, n, strlen(n));
    } else if (!strcasecmp(t, "null")) {
        reply_null(rb);
    } else if (!strcasecmp(t, "array")) {
        reply_array(rb, 3);
        for (int j = 0; j < 3; j++) reply_long(rb, j);
    } else if (!strcasecmp(t, "set")) {
        reply_set(rb, 3);
        for (int j = 0; j < 3; j++) reply_long(rb, j);
    } else if (!strcasecmp(t, "map")) {
        reply_map(rb, 3);
        for (int j = 0; j < 3; j++) {
            reply_long(rb, j);
            reply_bool(rb, j == 1);
        }
    } else if (!strcasecmp(t, "attrib")) {
        static const char attrib[] = "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n";
        if (c->resp >= 3) reply_raw(rb, attrib, sizeof(attrib) - 1);
        reply_bulk_cstr(rb, "Some real reply following the attribute");
    } else if (!strcasecmp(t, "push")) {
        if (c->resp < 3) {
            reply_error(rb, "RESP2 is not supported by this command");
            return;
        }
        reply_push(rb, 2);
        reply_bulk_cstr(rb, "server-cpu-usage");
        reply_long(rb, 42);
        reply_bulk_cstr(rb, "Some real reply following the push reply");
    } else if (!strcasecmp(t, "true")) {
        reply_bool(rb, 1);
    } else if (!strcasecmp(t, "false")) {
        reply_bool(rb, 0);
    } else if (!strcasecmp(t, "verbatim")) {
        reply_verbatim(rb, "This is a verbatim\nstring", 25, "txt");
    } else {
        reply_error(rb, "Wrong protocol type name. Please use one of the following: string|integer|double|bignum|"
                        "null|array|set|map|attrib|push|verbatim|true|false");
    }
}

static void debug_sleep(client *c) {
    double secs;
    if (arg_double(c, c->argv[2], &secs, NULL) == -1) return;
    if (secs > 0) {
        struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
        nanosleep(&ts, NULL);
    }
    reply_ok(&c->reply);
}

/* DEBUG <name> 0|1 toggles. */
static int parse_bool(client *c, int *out) {
    long long v;
    if (arg_ll(c, c->argv[2], &v, NULL) == -1) return -1;
    *out = v != 0;
    return 0;
}

static void debug_set_active_expire(client *c) {
    int on;
    if (parse_bool(c, &on) == -1) return;
    c->srv->active_expire_enabled = on;
    reply_ok(&c->reply);
}

static void debug_pause_cron(client *c) {
    int on;
    if (parse_bool(c, &on) == -1) return;
    c->srv->cron_paused = on;
    reply_ok(&c->reply);
}

static void debug_dict_resizing(client *c) {
    int on;
    if (parse_bool(c, &on) == -1) return;
    dict_set_resize_allowed(on);
    reply_ok(&c->reply);
}

static void debug_skip_checksum(client *c) {
    int on;
    if (parse_bool(c, &on) == -1) return;
    c->srv->skip_checksum_validation = on;
    reply_ok(&c->reply);
}

static void debug_quicklist_threshold(client *c) {
    int err = 0;
    unsigned long long v = memtoull(c->argv[2], &err);
    if (err || v > (4ULL << 30)) {
        reply_error(&c->reply, "argument must be a memory value bigger than 1 and smaller than 4gb");
        return;
    }
    c->srv->quicklist_packed_threshold = (size_t)v;
    c->srv->quicklist_packed_threshold_set = v != 0;
    reply_ok(&c->reply);
}

static void debug_aof_flush_sleep(client *c) {
    long long usec;
    if (arg_ll_range(c, c->argv[2], 0, INT_MAX, &usec, NULL) == -1) return;
    c->srv->aof_flush_sleep = (int)usec;
    reply_ok(&c->reply);
}

static void debug_change_repl_id(client *c) {
    repl_change_id(c->srv);
    reply_ok(&c->reply);
}

static void debug_error(client *c) { reply_error(&c->reply, c->argv[2]); }

static void debug_log(client *c) {
    LOG(c->srv, LL_WARNING, "DEBUG LOG: %s", c->argv[2]);
    reply_ok(&c->reply);
}

static void debug_leak(client *c) {
    sds leaked = sdsdup(c->argv[2]);
    (void)leaked; /* deliberately never freed: leak detectors must see it */
    reply_ok(&c->reply);
}

static void debug_stringmatch_len(client *c) {
    /* A bounded fuzz run of the glob matcher on random patterns: it must
     * neither crash nor take exponential time. */
    char p[32], s[32];
    for (int i = 0; i < 100000; i++) {
        int pl = (int)(random() % 32), sl = (int)(random() % 32);
        for (int j = 0; j < pl; j++) p[j] = "*?[]\\^-ab"[random() % 9];
        for (int j = 0; j < sl; j++) s[j] = "ab*?[]"[random() % 6];
        stringmatchlen(p, (size_t)pl, s, (size_t)sl, 0);
    }
    reply_status(&c->reply, "Apparently Redis did not crash: test passed");
}

static void debug_segfault(client *c) {
    LOG(c->srv, LL_WARNING, "DEBUG SEGFAULT: crashing on purpose");
    raise(SIGSEGV);
}

static void debug_panic(client *c) {
    LOG(c->srv, LL_WARNING, "------------------------------------------------");
    LOG(c->srv, LL_WARNING, "!!! Software Failure. Press left mouse button to continue");
    LOG(c->srv, LL_WARNING, "Guru Meditation: DEBUG PANIC called at Unix time %ld", (long)time(NULL));
    abort();
}

static const debugSub subs[] = {
    {"help", 2, 2, debug_help},
    {"digest", 2, 2, debug_digest},
    {"digest-value", 2, -1, debug_digest_value},
    {"reload", 2, -1, debug_reload},
    {"loadaof", 2, 2, debug_loadaof},
    {"object", 3, 3, debug_object},
    {"sdslen", 3, 3, debug_sdslen},
    {"populate", 3, 5, debug_populate},
    {"protocol", 3, 3, debug_protocol},
    {"sleep", 3, 3, debug_sleep},
    {"set-active-expire", 3, 3, debug_set_active_expire},
    {"pause-cron", 3, 3, debug_pause_cron},
    {"dict-resizing", 3, 3, debug_dict_resizing},
    {"set-skip-checksum-validation", 3, 3, debug_skip_checksum},
    {"quicklist-packed-threshold", 3, 3, debug_quicklist_threshold},
    {"change-repl-id", 2, 2, debug_change_repl_id},
    {"aof-flush-sleep", 3, 3, debug_aof_flush_sleep},
    {"error", 3, 3, debug_error},
    {"log", 3, 3, debug_log},
    {"leak", 3, 3, debug_leak},
    {"stringmatch-len", 2, 2, debug_stringmatch_len},
    {"segfault", 2, 2, debug_segfault},
    {"panic", 2, 2, debug_panic},
};

static void debug_command(client *c) {
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcasecmp(c->argv[1], subs[i].name)) continue;
        if (c->argc < subs[i].min_argc || (subs[i].max_argc != -1 && c->argc > subs[i].max_argc)) break;
        subs[i].fn(c);
        return;
    }
    reply_subcommand_error(c);
}

commandDef debug_commands[] = {
    {"debug", debug_command, -2, "admin noscript loading stale protected", "", NOKEYS, "server", "1.0.0",
     "A container for debugging commands.", "Depends on subcommand.", NULL},
    {0}};
