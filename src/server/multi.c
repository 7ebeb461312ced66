/* multi.c: see multi.h. Queued commands keep their own argv copies; the
 * watch tables map key -> array of clients per db, and each client keeps
 * the (db, key) pairs it watches so UNWATCH and disconnects are O(keys). */
#include "multi.h"

#include <string.h>

#include "commands/command.h"
#include "core/dict.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "server/client.h"
#include "server/propagate.h"
#include "server/server.h"

typedef struct queuedCmd {
    int argc;
    sds *argv;
    commandDef *cmd;
} queuedCmd;

typedef struct multiState {
    queuedCmd *cmds;
    int count, cap;
} multiState;

typedef struct watchers {
    dictLink link;
    sds key;
    client **clients;
    long n, cap;
} watchers;

typedef struct watchedKey {
    int dbid;
    int expired; /* present but already logically expired when WATCHed */
    sds key;
} watchedKey;

typedef struct watchState {
    watchedKey *keys;
    long n, cap;
} watchState;

typedef struct watchTables {
    dict **per_db;
    long watching_clients;
} watchTables;

static const void *w_key(const void *e) { return ((const watchers *)e)->key; }
static const dictType watchers_type = {dict_sds_hash, dict_sds_equal, w_key, NULL, 0};

void multi_init(server *srv) {
    watchTables *wt = zcalloc(sizeof(*wt));
    wt->per_db = zmalloc(sizeof(dict *) * (size_t)srv->dbnum);
    for (int i = 0; i < srv->dbnum; i++) wt->per_db[i] = dict_create(&watchers_type);
    srv->watched = wt;
}

int multi_should_queue(client *c, commandDef *cmd) {
    if (!(c->flags & CLIENT_MULTI)) return 0;
    const char *n = cmd->parent ? cmd->parent->name : cmd->name;
    return strcmp(n, "exec") && strcmp(n, "discard") && strcmp(n, "multi") && strcmp(n, "watch") &&
           strcmp(n, "quit") && strcmp(n, "reset");
}

void multi_queue(client *c) {
    multiState *ms = c->multi_state;
    if (!ms) ms = c->multi_state = zcalloc(sizeof(*ms));
    if (ms->count == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 8;
        ms->cmds = zrealloc(ms->cmds, sizeof(queuedCmd) * (size_t)ms->cap);
    }
    queuedCmd *q = &ms->cmds[ms->count++];
    q->argc = c->argc;
    q->argv = c->argv; /* take ownership: the client gets a fresh argv next time */
    q->cmd = c->cmd;
    c->argv = NULL;
    c->argc = 0;
    reply_status(&c->reply, "QUEUED");
}

void multi_flag_error(client *c) {
    if (c->flags & CLIENT_MULTI) c->flags |= CLIENT_DIRTY_EXEC;
}

int multi_queued_count(client *c) {
    multiState *ms = c->multi_state;
    return (c->flags & CLIENT_MULTI) ? (ms ? ms->count : 0) : -1;
}

static void free_queue(client *c) {
    multiState *ms = c->multi_state;
    if (!ms) return;
    for (int i = 0; i < ms->count; i++) {
        for (int j = 0; j < ms->cmds[i].argc; j++) sdsfree(ms->cmds[i].argv[j]);
        zfree(ms->cmds[i].argv);
    }
    ms->count = 0;
}

void multi_discard(client *c) {
    free_queue(c);
    c->flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_EXEC | CLIENT_DIRTY_CAS);
    watch_unwatch_all(c);
}

void multi_client_freed(client *c) {
    multi_discard(c);
    multiState *ms = c->multi_state;
    if (ms) {
        zfree(ms->cmds);
        zfree(ms);
        c->multi_state = NULL;
    }
    zfree(c->watch_state ? ((watchState *)c->watch_state)->keys : NULL);
    zfree(c->watch_state);
    c->watch_state = NULL;
}

/* Runs the queue. The reply array is written first, then each reply. */
void multi_exec(client *c, void (*call)(client *c)) {
    multiState *ms = c->multi_state;
    int n = ms ? ms->count : 0;
    int saved_argc = c->argc;
    sds *saved_argv = c->argv;
    commandDef *saved_cmd = c->cmd;
    c->flags &= ~CLIENT_MULTI;
    reply_array(&c->reply, n);
    c->srv->in_exec = 1;
    propagate_tx_begin(c->srv);
    for (int i = 0; i < n; i++) {
        c->argc = ms->cmds[i].argc;
        c->argv = ms->cmds[i].argv;
        c->cmd = ms->cmds[i].cmd;
        call(c);
        ms->cmds[i].argc = c->argc; /* the command may have rewritten its argv */
        ms->cmds[i].argv = c->argv;
    }
    propagate_tx_end(c->srv);
    c->srv->in_exec = 0;
    c->argc = saved_argc;
    c->argv = saved_argv;
    c->cmd = saved_cmd;
    multi_discard(c);
}

/* ---- WATCH */
static watchState *wstate(client *c) {
    if (!c->watch_state) c->watch_state = zcalloc(sizeof(watchState));
    return c->watch_state;
}

long watch_client_count(client *c) { return c->watch_state ? ((watchState *)c->watch_state)->n : 0; }

void watch_key(client *c, const sds key) {
    watchTables *wt = c->srv->watched;
    watchState *ws = wstate(c);
    int dbid = c->db->id;
    for (long i = 0; i < ws->n; i++)
        if (ws->keys[i].dbid == dbid && sdscmp(ws->keys[i].key, key) == 0) return;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 4;
        ws->keys = zrealloc(ws->keys, sizeof(watchedKey) * (size_t)ws->cap);
    }
    if (ws->n == 0) wt->watching_clients++;
    kvobj *o = db_find(c->db, key);
    ws->keys[ws->n].dbid = dbid;
    ws->keys[ws->n].expired = o && db_key_is_expired(c->db, o);
    ws->keys[ws->n].key = sdsdup(key);
    ws->n++;
    watchers *w = dict_find(wt->per_db[dbid], key);
    if (!w) {
        w = zcalloc(sizeof(*w));
        w->key = sdsdup(key);
        dict_add_new(wt->per_db[dbid], w);
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 2;
        w->clients = zrealloc(w->clients, sizeof(client *) * (size_t)w->cap);
    }
    w->clients[w->n++] = c;
}

void watch_unwatch_all(client *c) {
    watchTables *wt = c->srv->watched;
    watchState *ws = c->watch_state;
    if (!ws || ws->n == 0 || !wt) return;
    for (long i = 0; i < ws->n; i++) {
        dict *d = wt->per_db[ws->keys[i].dbid];
        watchers *w = dict_find(d, ws->keys[i].key);
        for (long j = 0; w && j < w->n; j++) {
            if (w->clients[j] == c) {
                memmove(w->clients + j, w->clients + j + 1, sizeof(client *) * (size_t)(w->n - j - 1));
                w->n--;
                break;
            }
        }
        if (w && w->n == 0) {
            dict_unlink(d, w->key);
            sdsfree(w->key);
            zfree(w->clients);
            zfree(w);
        }
        sdsfree(ws->keys[i].key);
    }
    ws->n = 0;
    wt->watching_clients--;
    c->flags &= ~CLIENT_DIRTY_CAS;
}

static watchedKey *find_watched(client *c, int dbid, const sds key) {
    watchState *ws = c->watch_state;
    for (long i = 0; ws && i < ws->n; i++)
        if (ws->keys[i].dbid == dbid && sdscmp(ws->keys[i].key, key) == 0) return &ws->keys[i];
    return NULL;
}

/* A key watched while already expired that is now gone (its lazy or
 * active deletion, a DEL) has not logically changed: the watcher stays
 * clean, as in Redis 7; any other change makes it dirty. */
void watch_touch_key(db *d, const sds key) {
    watchTables *wt = d->srv->watched;
    if (!wt || dict_size(wt->per_db[d->id]) == 0) return;
    watchers *w = dict_find(wt->per_db[d->id], key);
    for (long i = 0; w && i < w->n; i++) {
        client *c = w->clients[i];
        watchedKey *wk = find_watched(c, d->id, key);
        if (wk && wk->expired && !db_find(d, key)) {
            wk->expired = 0;
            continue;
        }
        c->flags |= CLIENT_DIRTY_CAS;
    }
}

/* FLUSHDB/FLUSHALL (other NULL) or SWAPDB (d's content replaced with
 * other's): watchers of keys that exist on either side get dirty, except
 * where only stale (already expired) keys are involved. */
static void touch_swapped_key(client *c, db *d, db *other, const sds key, int in_d) {
    watchedKey *wk = find_watched(c, d->id, key);
    kvobj *repl = other ? db_find(other, key) : NULL;
    if (wk && wk->expired) {
        if (!repl) {
            wk->expired = 0; /* the stale key is gone: no logical change */
            return;
        }
        if (db_key_is_expired(other, repl)) return; /* stale replaced by stale */
    } else if (wk && !in_d && repl && db_key_is_expired(other, repl)) {
        wk->expired = 1; /* nothing replaced by a stale key */
        return;
    }
    c->flags |= CLIENT_DIRTY_CAS;
}

void watch_touch_db(db *d, db *other) {
    watchTables *wt = d->srv->watched;
    if (!wt || dict_size(wt->per_db[d->id]) == 0) return;
    dictIterator it;
    dict_iter_init(&it, wt->per_db[d->id], 0);
    watchers *w;
    while ((w = dict_iter_next(&it))) {
        int in_d = db_find(d, w->key) != NULL;
        if (!in_d && !(other && db_find(other, w->key))) continue;
        for (long i = 0; i < w->n; i++) touch_swapped_key(w->clients[i], d, other, w->key, in_d);
    }
    dict_iter_release(&it);
}

int watch_any_expired(client *c) {
    watchState *ws = c->watch_state;
    for (long i = 0; ws && i < ws->n; i++) {
        if (ws->keys[i].expired) continue;
        db *d = &c->srv->dbs[ws->keys[i].dbid];
        kvobj *o = db_find(d, ws->keys[i].key);
        if (o && db_key_is_expired(d, o)) return 1;
    }
    return 0;
}

long watch_total_keys(server *srv) {
    watchTables *wt = srv->watched;
    long n = 0;
    for (int i = 0; wt && i < srv->dbnum; i++) n += (long)dict_size(wt->per_db[i]);
    return n;
}

long watch_watching_clients(server *srv) {
    watchTables *wt = srv->watched;
    return wt ? wt->watching_clients : 0;
}
