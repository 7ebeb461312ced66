/* rdb.c: RDB file structure and the string type (see rdb.h).
 *
 * Loading is defensive: every opcode and length is checked, unknown or
 * unsupported types (streams, modules) stop the load with a message naming
 * them, duplicate keys are an error, and the CRC-64 trailer is verified when
 * rdbchecksum is on. Keys already expired are skipped on a master, kept on a
 * replica (its master will send the DEL), as Redis does. */
#include "rdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/crc64.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "persist/loading.h"
#include "persist/rdb_codec.h"
#include "script/functions.h"
#include "repl/repl.h"
#include "server/server.h"

static rdbSaveFn savers[16];
static rdbLoadFn loaders[RDB_TYPE_MAX + 1];

void rdb_register_saver(unsigned objtype, rdbSaveFn fn) { savers[objtype] = fn; }
void rdb_register_loader(int rdbtype, rdbLoadFn fn) {
    if (rdbtype >= 0 && rdbtype <= RDB_TYPE_MAX) loaders[rdbtype] = fn;
}

int rdb_is_object_type(int t) { return (t >= 0 && t <= 7) || (t >= 9 && t <= RDB_TYPE_MAX); }

const char *rdb_type_name(int t) {
    static const char *names[] = {"string", "list", "set", "zset", "hash", "zset-v2", "module-pre-ga", "module",
                                  NULL, "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist",
                                  "hash-ziplist", "quicklist", "stream", "hash-listpack", "zset-listpack",
                                  "quicklist-v2", "stream-v2", "set-listpack", "stream-v3"};
    return t >= 0 && t <= RDB_TYPE_MAX && names[t] ? names[t] : "unknown";
}

/* ---- strings */
static int save_string(rio *r, value v, unsigned char *rdbtype, int compress) {
    *rdbtype = RDB_TYPE_STRING;
    if (!r) return 0;
    if (v.encoding == OBJ_ENC_INT) return rdb_save_ll_as_string(r, (long long)(intptr_t)v.ptr);
    return rdb_save_string(r, v.ptr, sdslen(v.ptr), compress);
}

static int load_string(rio *r, int rdbtype, value *out, int deep, server *srv) {
    sds s = rdb_load_string(r);
    if (!s) return -1;
    *out = value_string_sds(s);
    return 0;
}

static void register_strings(void) {
    if (!savers[OBJ_STRING]) savers[OBJ_STRING] = save_string;
    if (!loaders[RDB_TYPE_STRING]) loaders[RDB_TYPE_STRING] = load_string;
}

int rdb_save_object_type(rio *r, value v) {
    register_strings();
    unsigned char t;
    if (!savers[v.type] || savers[v.type](NULL, v, &t, 0) == -1) return -1;
    return rdb_save_type(r, t);
}

int rdb_save_object(rio *r, value v, int compress) {
    register_strings();
    unsigned char t;
    if (!savers[v.type]) return -1;
    return savers[v.type](r, v, &t, compress);
}

int rdb_load_object(rio *r, int rdbtype, value *out, int deep, server *srv) {
    register_strings();
    if (rdbtype < 0 || rdbtype > RDB_TYPE_MAX || !loaders[rdbtype]) return -1;
    return loaders[rdbtype](r, rdbtype, out, deep, srv);
}

/* ---- saving */
static int save_aux(rio *r, const char *key, const char *val) {
    return (rdb_save_type(r, RDB_OPCODE_AUX) == 0 && rdb_save_string(r, key, strlen(key), 0) == 0 &&
            rdb_save_string(r, val, strlen(val), 0) == 0)
               ? 0
               : -1;
}

static int save_aux_ll(rio *r, const char *key, long long v) {
    char buf[24];
    ll2string(buf, sizeof(buf), v);
    return save_aux(r, key, buf);
}

static int save_key(server *srv, rio *r, kvobj *o) {
    long long exp = kv_expire(o);
    if (exp != -1 && (rdb_save_type(r, RDB_OPCODE_EXPIRETIME_MS) == -1 || rdb_save_millis(r, exp) == -1)) return -1;
    value v = kv_value(o);
    sds key = kv_key(o);
    if (rdb_save_object_type(r, v) == -1) return -1;
    if (rdb_save_string(r, key, sdslen(key), srv->rdb_compression) == -1) return -1;
    return rdb_save_object(r, v, srv->rdb_compression);
}

int rdb_save_rio(server *srv, rio *r) {
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", RDB_VERSION_WRITTEN);
    if (srv->rdb_checksum) r->checksum = 1;
    if (!rio_write(r, magic, 9)) return -1;
    if (save_aux(r, "redis-ver", REDIS_COMPAT_VERSION) == -1 || save_aux_ll(r, "redis-bits", srv->arch_bits) == -1 ||
        save_aux_ll(r, "ctime", (long long)time(NULL)) == -1 ||
        save_aux_ll(r, "used-mem", (long long)zmalloc_used_memory()) == -1)
        return -1;
    /* Where the replication stream stands, so a restarted replica (or a
     * replica fed this file) can continue with PSYNC. */
    int stream_db;
    char replid[48];
    long long offset;
    if (repl_rdb_info(srv, &stream_db, replid, &offset) &&
        (save_aux_ll(r, "repl-stream-db", stream_db) == -1 || save_aux(r, "repl-id", replid) == -1 ||
         save_aux_ll(r, "repl-offset", offset) == -1))
        return -1;
    if (save_aux_ll(r, "aof-base", 0) == -1) return -1;
    if (functions_rdb_save(srv, r) == -1) return -1;
    for (int j = 0; j < srv->dbnum; j++) {
        db *d = &srv->dbs[j];
        if (dict_size(d->keys) == 0) continue;
        if (rdb_save_type(r, RDB_OPCODE_SELECTDB) == -1 || rdb_save_len(r, (uint64_t)j) == -1) return -1;
        if (rdb_save_type(r, RDB_OPCODE_RESIZEDB) == -1 || rdb_save_len(r, dict_size(d->keys)) == -1 ||
            rdb_save_len(r, dict_size(d->expires)) == -1)
            return -1;
        dictIterator it;
        dict_iter_init(&it, d->keys, 1);
        kvobj *o;
        int rc = 0;
        unsigned long delays = 0;
        while ((o = dict_iter_next(&it)) && rc == 0) {
            rc = save_key(srv, r, o);
            if (srv->rdb_key_save_delay) debug_delay(srv->rdb_key_save_delay, &delays);
        }
        dict_iter_release(&it);
        if (rc == -1) return -1;
    }
    if (rdb_save_type(r, RDB_OPCODE_EOF) == -1) return -1;
    /* The trailer: CRC-64 of everything before it, little endian (or 0). */
    uint64_t crc = srv->rdb_checksum ? r->cksum : 0;
    r->checksum = 0;
    unsigned char buf[8];
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)(crc >> (8 * i));
    if (!rio_write(r, buf, 8)) return -1;
    return r->error ? -1 : 0;
}

int rdb_save(server *srv, const char *filename) {
    char tmp[512];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)getpid());
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        char cwd[512];
        if (!getcwd(cwd, sizeof(cwd))) snprintf(cwd, sizeof(cwd), "unknown");
        LOG(srv, LL_WARNING, "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tmp, cwd,
            strerror(errno));
        return -1;
    }
    rio r;
    rio_init_file(&r, fp);
    if (rdb_save_rio(srv, &r) == -1 || rio_flush(&r) == -1 || fsync(fileno(fp)) == -1) {
        LOG(srv, LL_WARNING, "Write error saving DB on disk: %s", strerror(errno));
        fclose(fp);
        unlink(tmp);
        return -1;
    }
    if (fclose(fp) != 0) {
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, filename) == -1) {
        LOG(srv, LL_WARNING, "Error moving temp DB file %s on the final destination %s: %s", tmp, filename,
            strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ---- loading */
#define FAIL(...)                                                                                                    \
    do {                                                                                                             \
        *err = sdscatprintf(sdsempty(), __VA_ARGS__);                                                                \
        goto fail;                                                                                                   \
    } while (0)

static int load_aux(server *srv, rio *r) {
    sds k = rdb_load_string(r), v = k ? rdb_load_string(r) : NULL;
    if (!k || !v) {
        sdsfree(k);
        return -1;
    }
    if (!strcmp(k, "redis-ver")) LOG(srv, LL_NOTICE, "Loading RDB produced by version %s", v);
    else if (!strcmp(k, "ctime")) {
        long long age = (long long)time(NULL) - strtoll(v, NULL, 10);
        LOG(srv, LL_NOTICE, "RDB age %lld seconds", age < 0 ? 0 : age);
    } else if (!strcmp(k, "used-mem")) {
        LOG(srv, LL_NOTICE, "RDB memory usage when created %.2f Mb", strtoll(v, NULL, 10) / (1024.0 * 1024));
    } else if (!strcmp(k, "repl-stream-db")) {
        srv->rdb_repl.stream_db = atoi(v);
    } else if (!strcmp(k, "repl-id") && sdslen(v) < sizeof(srv->rdb_repl.replid)) {
        memcpy(srv->rdb_repl.replid, v, sdslen(v) + 1);
    } else if (!strcmp(k, "repl-offset")) {
        srv->rdb_repl.offset = strtoll(v, NULL, 10);
        srv->rdb_repl.present = 1;
    }
    sdsfree(k);
    sdsfree(v);
    return 0;
}

int rdb_load_rio(server *srv, rio *r, sds *err) {
    char buf[10];
    int dbid = 0;
    long long expire = -1, lru_idle = -1, lfu_freq = -1;
    int is_replica = srv->masterhost_set;
    long long now = mstime();
    long long keys_loaded = 0, expired_skipped = 0;
    unsigned long load_delays = 0;
    functionsLoad *functions = functions_load_begin(srv); /* see functions.h */
    r->checksum = 1;
    r->cksum = 0;
    if (!rio_read(r, buf, 9)) FAIL("Short read or OOM loading DB. Unrecoverable error, aborting now.");
    buf[9] = '\0';
    if (memcmp(buf, "REDIS", 5) != 0) FAIL("Wrong signature trying to load DB from file");
    int version = atoi(buf + 5);
    if (version < 1 || version > RDB_VERSION_MAX) FAIL("Can't handle RDB format version %d", version);
    for (;;) {
        int type = rdb_load_type(r);
        if (type == -1) FAIL("Short read or OOM loading DB. Unrecoverable error, aborting now.");
        if (type == RDB_OPCODE_EXPIRETIME) {
            long long secs;
            if (rdb_load_seconds(r, &secs) == -1) FAIL("Short read loading expire time");
            expire = secs * 1000;
            continue;
        } else if (type == RDB_OPCODE_EXPIRETIME_MS) {
            expire = rdb_load_millis(r);
            if (r->error) FAIL("Short read loading expire time");
            continue;
        } else if (type == RDB_OPCODE_FREQ) {
            unsigned char f;
            if (!rio_read(r, &f, 1)) FAIL("Short read loading LFU frequency");
            lfu_freq = f;
            continue;
        } else if (type == RDB_OPCODE_IDLE) {
            uint64_t idle = rdb_load_len(r, NULL);
            if (idle == RDB_LENERR) FAIL("Short read loading LRU idle time");
            lru_idle = (long long)idle;
            continue;
        } else if (type == RDB_OPCODE_EOF) {
            break;
        } else if (type == RDB_OPCODE_SELECTDB) {
            uint64_t id = rdb_load_len(r, NULL);
            if (id == RDB_LENERR) FAIL("Short read loading DB number");
            if (id >= (uint64_t)srv->dbnum)
                FAIL("FATAL: Data file was created with a Redis server configured to handle more than %d "
                     "databases. Exiting\n", srv->dbnum);
            dbid = (int)id;
            continue;
        } else if (type == RDB_OPCODE_RESIZEDB) {
            uint64_t size = rdb_load_len(r, NULL), esize = rdb_load_len(r, NULL);
            if (size == RDB_LENERR || esize == RDB_LENERR) FAIL("Short read loading resize hint");
            /* Only a hint: never believe more keys than the bytes left could hold. */
            if (size < (1ULL << 31) && size <= rio_remaining(r) / 4) dict_try_expand(srv->dbs[dbid].keys, size);
            continue;
        } else if (type == RDB_OPCODE_AUX) {
            if (load_aux(srv, r) == -1) FAIL("Short read loading aux field");
            continue;
        } else if (type == RDB_OPCODE_MODULE_AUX) {
            FAIL("The RDB file contains AUX module data I can't load: no matching module");
        } else if (type == RDB_OPCODE_FUNCTION2) {
            if (functions_load_library(functions, r, err) == -1) goto fail;
            continue;
        } else if (type == RDB_OPCODE_FUNCTION_PRE_GA) {
            FAIL("Pre-GA function format not supported");
        }
        if (!rdb_is_object_type(type)) FAIL("Unknown RDB encoding type %d", type);
        if (type == RDB_TYPE_MODULE_PRE_GA || type == RDB_TYPE_MODULE_2)
            FAIL("The RDB file contains module data (type %d), which Stash does not support", type);
        if (type == RDB_TYPE_STREAM_LISTPACKS || type == RDB_TYPE_STREAM_LISTPACKS_2 ||
            type == RDB_TYPE_STREAM_LISTPACKS_3)
            FAIL("The RDB file contains a stream (RDB type %d), which Stash does not support", type);
        sds key = rdb_load_string(r);
        if (!key) FAIL("Short read or OOM loading DB. Unrecoverable error, aborting now.");
        value v;
        if (rdb_load_object(r, type, &v, 0, srv) == -1) {
            sdsfree(key);
            if (!loaders[type]) FAIL("The RDB file contains a value of type '%s', which Stash cannot load yet",
                                     rdb_type_name(type));
            FAIL("Bad data format loading a '%s' value", rdb_type_name(type));
        }
        db *d = &srv->dbs[dbid];
        if (!is_replica && expire != -1 && expire < now) {
            value_free(v);
            expired_skipped++;
        } else if (dict_find(d->keys, key)) {
            value_free(v);
            sds k = key;
            key = NULL;
            *err = sdscatprintf(sdsempty(), "Duplicate key '%s' found in RDB file", k);
            sdsfree(k);
            goto fail;
        } else {
            kvobj *o = kv_new(key, sdslen(key), v, expire, db_new_lru(srv));
            db_set_lru_or_lfu(srv, o, lfu_freq, lru_idle);
            db_attach(d, o);
            keys_loaded++;
            if (srv->key_load_delay) debug_delay(srv->key_load_delay, &load_delays);
            if (srv->loading) loading_progress(srv, (long long)r->processed);
        }
        sdsfree(key);
        expire = -1;
        lru_idle = lfu_freq = -1;
    }
    if (version >= 5) {
        uint64_t expected = r->cksum;
        unsigned char cbuf[8];
        r->checksum = 0;
        if (!rio_read(r, cbuf, 8)) FAIL("Short read or OOM loading DB. Unrecoverable error, aborting now.");
        uint64_t got = 0;
        for (int i = 7; i >= 0; i--) got = (got << 8) | cbuf[i];
        if (srv->rdb_checksum && !srv->skip_checksum_validation && got != 0 && got != expected)
            FAIL("Wrong RDB checksum expected: (%llx) got (%llx). Aborting now.", (unsigned long long)got,
                 (unsigned long long)expected);
    }
    if (functions_load_commit(functions, err) == -1) return -1;
    LOG(srv, LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.", keys_loaded, expired_skipped);
    return 0;
fail:
    functions_load_abort(functions);
    return -1;
}

int rdb_load(server *srv, const char *filename, sds *err) {
    FILE *fp = fopen(filename, "r");
    if (!fp) {
        *err = sdscatprintf(sdsempty(), "Fatal error loading the DB: %s. Exiting.", strerror(errno));
        return errno == ENOENT ? 1 : -1;
    }
    rio r;
    rio_init_file(&r, fp);
    int rc = rdb_load_rio(srv, &r, err);
    fclose(fp);
    return rc;
}

/* DUMP's payload: type byte, value, RDB version, CRC-64 (all little endian). */
sds rdb_dump_payload(value v) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    rdb_save_object_type(&r, v);
    rdb_save_object(&r, v, 1);
    unsigned char footer[10];
    footer[0] = RDB_VERSION_WRITTEN & 0xff;
    footer[1] = (RDB_VERSION_WRITTEN >> 8) & 0xff;
    sds payload = rio_buffer(&r);
    payload = sdscatlen(payload, footer, 2);
    uint64_t crc = crc64(0, payload, sdslen(payload));
    for (int i = 0; i < 8; i++) footer[2 + i] = (unsigned char)(crc >> (8 * i));
    return sdscatlen(payload, footer + 2, 8);
}
