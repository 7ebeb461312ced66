/* propagate.c: fan-out of executed write commands to registered sinks
 * (see propagate.h). */
#include "propagate.h"

#include <strings.h>

#include "core/zmalloc.h"
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

/* ---- transactions (EXEC, scripts).
 * As Redis 7 does, a transaction that wrote once propagates that write
 * alone; from the second write on it is wrapped in MULTI ... EXEC, which
 * carry no db (so SELECTs fall inside the block). The first write is held
 * (already in its deterministic form) until we know which case it is. */
typedef struct heldCommand {
    int dbid, argc;
    sds *argv;
} heldCommand;

static void held_send_and_free(server *srv) {
    heldCommand *h = srv->propagate_held;
    if (!h) return;
    send_to_sinks(srv, h->dbid, h->argv, h->argc);
    for (int i = 0; i < h->argc; i++) sdsfree(h->argv[i]);
    zfree(h->argv);
    zfree(h);
    srv->propagate_held = NULL;
}

static void hold(server *srv, int dbid, sds *argv, int argc) {
    heldCommand *h = zmalloc(sizeof(*h));
    h->dbid = dbid;
    h->argc = argc;
    h->argv = zmalloc(sizeof(sds) * (size_t)argc);
    for (int i = 0; i < argc; i++) h->argv[i] = sdsdup(argv[i]);
    srv->propagate_held = h;
}

void propagate_tx_begin(server *srv) {
    srv->propagate_tx_depth++;
}

void propagate_tx_end(server *srv) {
    if (--srv->propagate_tx_depth > 0) return;
    held_send_and_free(srv); /* the only write: no MULTI/EXEC */
    if (srv->propagate_tx_open) send_word(srv, -1, "EXEC");
    srv->propagate_tx_open = 0;
}

/* Sends one command in its deterministic form, honouring an open transaction. */
static void emit(server *srv, int dbid, sds *argv, int argc) {
    if (srv->propagate_tx_depth > 0 && !srv->propagate_tx_open) {
        if (!srv->propagate_held) {
            hold(srv, dbid, argv, argc);
            return;
        }
        send_word(srv, -1, "MULTI");
        srv->propagate_tx_open = 1;
        held_send_and_free(srv);
    }
    send_to_sinks(srv, dbid, argv, argc);
}

void propagate_command(server *srv, int dbid, sds *argv, int argc) {
    if (srv->propagate_sink_count == 0) return;
    sds norm[NORM_MAX];
    int n = normalize(srv, dbid, argv, argc, norm);
    emit(srv, dbid, n ? norm : argv, n ? n : argc);
    for (int i = 0; i < n; i++) sdsfree(norm[i]);
}

void propagate_deletion(server *srv, db *d, const sds key, int lazy) {
    if (srv->propagate_sink_count == 0) return;
    sds argv[2] = {sdsnew(lazy ? "UNLINK" : "DEL"), sdsdup(key)};
    propagate_command(srv, d->id, argv, 2);
    sdsfree(argv[0]);
    sdsfree(argv[1]);
}
