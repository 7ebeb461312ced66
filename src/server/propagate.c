/* propagate.c: fan-out of executed write commands to registered sinks
 * (see propagate.h). */
#include "propagate.h"

#include <strings.h>

#include "db/db.h"
#include "server/server.h"

void propagate_add_sink(server *srv, void (*sink)(server *, int, sds *, int)) {
    if (srv->propagate_sink_count < 4) srv->propagate_sinks[srv->propagate_sink_count++] = sink;
}

/* ---- deterministic forms.
 * Replaying a command later (AOF load, a replica) must give the same data,
 * so relative expiries are sent as absolute ones and INCRBYFLOAT as the
 * SET of its result. The form is derived from the key's state right after
 * the command, which also covers commands that ended up deleting the key. */
static sds ms_string(long long v) { return sdsfromlonglong(v); }

static int is_cmd(const sds s, const char *name) { return strcasecmp(s, name) == 0; }

#define NORM_MAX 12

/* Builds the rewritten argv into out (at most NORM_MAX); returns argc, or 0
 * to keep the command as it is. */
static int normalize(server *srv, int dbid, sds *argv, int argc, sds *out) {
    if (dbid < 0 || argc < 2) return 0;
    db *d = &srv->dbs[dbid];
    kvobj *o = db_find(d, argv[1]);
    long long when = o ? kv_expire(o) : -1;
    if (is_cmd(argv[0], "expire") || is_cmd(argv[0], "pexpire") || is_cmd(argv[0], "expireat") ||
        (is_cmd(argv[0], "getex") && argc > 2)) {
        if (!o) {
            out[0] = sdsnew("DEL");
            out[1] = sdsdup(argv[1]);
            return 2;
        }
        if (when < 0) {
            out[0] = sdsnew("PERSIST");
            out[1] = sdsdup(argv[1]);
            return 2;
        }
        out[0] = sdsnew("PEXPIREAT");
        out[1] = sdsdup(argv[1]);
        out[2] = ms_string(when);
        return 3;
    }
    if ((is_cmd(argv[0], "setex") || is_cmd(argv[0], "psetex")) && argc == 4) {
        out[0] = sdsnew("SET");
        out[1] = sdsdup(argv[1]);
        out[2] = sdsdup(argv[3]);
        if (when < 0) return 3;
        out[3] = sdsnew("PXAT");
        out[4] = ms_string(when);
        return 5;
    }
    if (is_cmd(argv[0], "set") && argc > 3 && o) {
        int n = 0, relative = 0;
        for (int i = 3; i < argc; i++)
            if (is_cmd(argv[i], "ex") || is_cmd(argv[i], "px") || is_cmd(argv[i], "exat")) relative = 1;
        if (!relative || argc > 8) return 0;
        for (int i = 0; i < argc; i++) {
            if (i >= 3 && (is_cmd(argv[i], "ex") || is_cmd(argv[i], "px") || is_cmd(argv[i], "exat"))) {
                out[n++] = sdsnew("PXAT");
                out[n++] = ms_string(when);
                i++;
            } else {
                out[n++] = sdsdup(argv[i]);
            }
        }
        return n;
    }
    if (is_cmd(argv[0], "restore") && argc >= 4 && argc < NORM_MAX && when >= 0) {
        for (int i = 4; i < argc; i++)
            if (is_cmd(argv[i], "absttl")) return 0;
        for (int i = 0; i < argc; i++) out[i] = i == 2 ? ms_string(when) : sdsdup(argv[i]);
        out[argc] = sdsnew("ABSTTL");
        return argc + 1;
    }
    if (is_cmd(argv[0], "incrbyfloat") && o && o->type == OBJ_STRING) {
        char buf[24];
        size_t len;
        const char *p = kv_string_bytes(o, buf, &len);
        out[0] = sdsnew("SET");
        out[1] = sdsdup(argv[1]);
        out[2] = sdsnewlen(p, len);
        out[3] = sdsnew("KEEPTTL");
        return 4;
    }
    return 0;
}

static void send_to_sinks(server *srv, int dbid, sds *argv, int argc) {
    for (int i = 0; i < srv->propagate_sink_count; i++) srv->propagate_sinks[i](srv, dbid, argv, argc);
}

static void send_word(server *srv, int dbid, const char *word) {
    sds w = sdsnew(word);
    send_to_sinks(srv, dbid, &w, 1);
    sdsfree(w);
}

void propagate_tx_begin(server *srv) {
    srv->propagate_tx_depth++;
}

void propagate_tx_end(server *srv) {
    if (--srv->propagate_tx_depth > 0) return;
    if (srv->propagate_tx_open) send_word(srv, srv->propagate_tx_db, "EXEC");
    srv->propagate_tx_open = 0;
}

void propagate_command(server *srv, int dbid, sds *argv, int argc) {
    if (srv->propagate_sink_count == 0) return;
    if (srv->propagate_tx_depth > 0 && !srv->propagate_tx_open) {
        send_word(srv, dbid, "MULTI");
        srv->propagate_tx_open = 1;
        srv->propagate_tx_db = dbid;
    }
    sds norm[NORM_MAX];
    int n = normalize(srv, dbid, argv, argc, norm);
    sds *use = n ? norm : argv;
    int usec = n ? n : argc;
    send_to_sinks(srv, dbid, use, usec);
    for (int i = 0; i < n; i++) sdsfree(norm[i]);
}

void propagate_deletion(server *srv, db *d, const sds key, int lazy) {
    if (srv->propagate_sink_count == 0) return;
    sds argv[2] = {sdsnew(lazy ? "UNLINK" : "DEL"), sdsdup(key)};
    propagate_command(srv, d->id, argv, 2);
    sdsfree(argv[0]);
    sdsfree(argv[1]);
}
