/* blocking.c: see blocking.h.
 *
 * Data: per db, a dict key -> FIFO of waiting clients (doubly linked nodes,
 * each also listed in the client's own state so it can leave every queue
 * in O(keys)). A server-wide list of ready keys collects signals; it only
 * holds keys someone waits on. Deadlines: a binary min-heap of clients
 * ordered by deadline, each client remembering its heap index. */
#include "blocking.h"

#include <string.h>

#include "commands/command.h"
#include "core/dict.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

typedef struct waiter {
    struct waiter *prev, *next; /* in the key's queue */
    client *c;
    struct keyQueue *q;
} waiter;

typedef struct keyQueue {
    dictLink link;
    sds key;
    int dbid;
    waiter *head, *tail;
    long count;
} keyQueue;

typedef struct blockState {
    waiter **waiters;
    int numwaiters;
    long long deadline; /* 0: forever */
    int type, timeout_reply;
    long heap_idx;      /* -1 when not in the heap */
    int reprocessing;
} blockState;

typedef struct readyKey {
    struct readyKey *next;
    sds key;
    int dbid;
} readyKey;

typedef struct blocking {
    dict **queues;      /* per db: key -> keyQueue */
    readyKey *ready_head, *ready_tail;
    dict *ready_set;    /* "dbid:key" markers to avoid duplicates */
    client **heap;
    long heap_len, heap_cap;
    long long timer_id;
    long long timer_when;
    int serving;
    long long blocked_clients;
} blocking;

static const void *kq_key(const void *e) { return ((const keyQueue *)e)->key; }
static const dictType queue_type = {dict_sds_hash, dict_sds_equal, kq_key, NULL, 0};
static const dictType ready_type = {dict_sds_hash, dict_sds_equal, dict_key_key, NULL, 0};

void blocking_init(server *srv) {
    blocking *b = zcalloc(sizeof(*b));
    b->queues = zmalloc(sizeof(dict *) * (size_t)srv->dbnum);
    for (int i = 0; i < srv->dbnum; i++) b->queues[i] = dict_create(&queue_type);
    b->ready_set = dict_create(&ready_type);
    b->timer_id = -1;
    srv->blocking = b;
}

static blockState *state_of(client *c) { return c->blocking_state; }

/* ---- deadline heap */
static void heap_swap(blocking *b, long i, long j) {
    client *t = b->heap[i];
    b->heap[i] = b->heap[j];
    b->heap[j] = t;
    state_of(b->heap[i])->heap_idx = i;
    state_of(b->heap[j])->heap_idx = j;
}
static long long dl(blocking *b, long i) { return state_of(b->heap[i])->deadline; }
static void heap_up(blocking *b, long i) {
    while (i > 0 && dl(b, (i - 1) / 2) > dl(b, i)) {
        heap_swap(b, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}
static void heap_down(blocking *b, long i) {
    for (;;) {
        long l = 2 * i + 1, r = l + 1, m = i;
        if (l < b->heap_len && dl(b, l) < dl(b, m)) m = l;
        if (r < b->heap_len && dl(b, r) < dl(b, m)) m = r;
        if (m == i) return;
        heap_swap(b, i, m);
        i = m;
    }
}
static void heap_push(blocking *b, client *c) {
    if (b->heap_len == b->heap_cap) {
        b->heap_cap = b->heap_cap ? b->heap_cap * 2 : 64;
        b->heap = zrealloc(b->heap, sizeof(client *) * (size_t)b->heap_cap);
    }
    b->heap[b->heap_len] = c;
    state_of(c)->heap_idx = b->heap_len++;
    heap_up(b, b->heap_len - 1);
}
static void heap_remove(blocking *b, client *c) {
    long i = state_of(c)->heap_idx;
    if (i < 0) return;
    b->heap_len--;
    if (i != b->heap_len) {
        heap_swap(b, i, b->heap_len);
        heap_down(b, i);
        heap_up(b, i);
    }
    state_of(c)->heap_idx = -1;
}

static int timer_fired(reactor *r, long long id, void *data);

/* Keeps one reactor timer armed for the earliest deadline. */
static void arm_timer(server *srv) {
    blocking *b = srv->blocking;
    long long want = b->heap_len ? dl(b, 0) : 0;
    if (b->timer_id != -1 && want == b->timer_when) return;
    if (b->timer_id != -1) reactor_del_timer(srv->el, b->timer_id);
    b->timer_id = -1;
    if (!want) return;
    long long delay = want - mstime();
    b->timer_id = reactor_add_timer(srv->el, delay > 0 ? delay : 0, timer_fired, srv);
    b->timer_when = want;
}

static int timer_fired(reactor *r, long long id, void *data) {
    server *srv = data;
    blocking *b = srv->blocking;
    b->timer_id = -1;
    long long now = mstime();
    while (b->heap_len && dl(b, 0) <= now) blocking_unblock(b->heap[0], UNBLOCK_TIMEOUT);
    arm_timer(srv);
    return RE_NOMORE;
}

/* ---- queues */
static keyQueue *queue_for(blocking *b, int dbid, const sds key, int create) {
    keyQueue *q = dict_find(b->queues[dbid], key);
    if (!q && create) {
        q = zcalloc(sizeof(*q));
        q->key = sdsdup(key);
        q->dbid = dbid;
        dict_add_new(b->queues[dbid], q);
    }
    return q;
}

static void queue_remove(blocking *b, waiter *w) {
    keyQueue *q = w->q;
    if (w->prev) w->prev->next = w->next;
    else q->head = w->next;
    if (w->next) w->next->prev = w->prev;
    else q->tail = w->prev;
    q->count--;
    if (q->count == 0) {
        dict_unlink(b->queues[q->dbid], q->key);
        sdsfree(q->key);
        zfree(q);
    }
    zfree(w);
}

int blocking_not_allowed(client *c) { return (c->flags & CLIENT_MULTI) || c->srv->in_exec || c->srv->in_script; }

int blocking_is_reprocessing(client *c) { return state_of(c) && state_of(c)->reprocessing; }

void blocking_block(client *c, sds *keys, int numkeys, long long deadline, int type, int timeout_reply) {
    server *srv = c->srv;
    blocking *b = srv->blocking;
    blockState *st = state_of(c);
    if (!st) {
        st = zcalloc(sizeof(*st));
        st->heap_idx = -1;
        c->blocking_state = st;
    }
    if (!st->reprocessing) st->deadline = deadline;
    st->type = type;
    st->timeout_reply = timeout_reply;
    st->waiters = zrealloc(st->waiters, sizeof(waiter *) * (size_t)numkeys);
    st->numwaiters = 0;
    for (int i = 0; i < numkeys; i++) {
        keyQueue *q = queue_for(b, c->db->id, keys[i], 1);
        int dup = 0;
        for (waiter *w = q->head; w; w = w->next)
            if (w->c == c) dup = 1;
        if (dup) continue;
        waiter *w = zcalloc(sizeof(*w));
        w->c = c;
        w->q = q;
        w->prev = q->tail;
        if (q->tail) q->tail->next = w;
        else q->head = w;
        q->tail = w;
        q->count++;
        st->waiters[st->numwaiters++] = w;
    }
    c->flags |= CLIENT_BLOCKED;
    b->blocked_clients++;
    if (st->deadline) {
        heap_push(b, c);
        arm_timer(srv);
    }
}

/* Leaves every queue and the heap; the client is no longer blocked. */
static void detach(client *c) {
    blocking *b = c->srv->blocking;
    blockState *st = state_of(c);
    for (int i = 0; i < st->numwaiters; i++) queue_remove(b, st->waiters[i]);
    st->numwaiters = 0;
    heap_remove(b, c);
    c->flags &= ~CLIENT_BLOCKED;
    b->blocked_clients--;
}

static void resume_input(client *c) {
    client_reset_command(c);
    if (reply_pending(&c->reply)) client_install_write(c);
    if (!(c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY)) && sdslen(c->querybuf) > c->qb_pos)
        client_process_input(c);
}

void blocking_unblock(client *c, int how) {
    blockState *st = state_of(c);
    if (!(c->flags & CLIENT_BLOCKED) || !st || st->numwaiters == 0) return; /* not blocked on keys (WAIT) */
    detach(c);
    if (how == UNBLOCK_SILENT) return;
    if (how == UNBLOCK_ERROR) reply_error(&c->reply, "-UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else if (st->timeout_reply == BLOCK_REPLY_NULL) reply_null(&c->reply);
    else reply_null_array(&c->reply);
    /* The command ends here: count it as Redis does on timeout. */
    if (c->cmd) {
        c->lastcmd = c->cmd;
        c->cmd->stats.calls++;
    }
    resume_input(c);
    arm_timer(c->srv);
}

void blocking_signal_key(db *d, const sds key, int type) {
    blocking *b = d->srv->blocking;
    if (!b || !queue_for(b, d->id, key, 0)) return;
    sds marker = sdscatsds(sdscatprintf(sdsempty(), "%d:", d->id), key);
    if (dict_find(b->ready_set, marker)) {
        sdsfree(marker);
        return;
    }
    dictKey *m = zmalloc(sizeof(*m));
    m->key = marker;
    dict_add_new(b->ready_set, m);
    readyKey *rk = zmalloc(sizeof(*rk));
    rk->key = sdsdup(key);
    rk->dbid = d->id;
    rk->next = NULL;
    if (b->ready_tail) b->ready_tail->next = rk;
    else b->ready_head = rk;
    b->ready_tail = rk;
}

static void clear_marker(blocking *b, readyKey *rk) {
    sds marker = sdscatsds(sdscatprintf(sdsempty(), "%d:", rk->dbid), rk->key);
    dictKey *m = dict_unlink(b->ready_set, marker);
    if (m) {
        sdsfree(m->key);
        zfree(m);
    }
    sdsfree(marker);
}

/* Re-runs the command of each client waiting on rk, oldest first, while
 * the key holds a value of the awaited type. */
static void serve_key(server *srv, readyKey *rk) {
    blocking *b = srv->blocking;
    keyQueue *q = queue_for(b, rk->dbid, rk->key, 0);
    long todo = q ? q->count : 0;
    while (todo-- > 0) {
        q = queue_for(b, rk->dbid, rk->key, 0);
        if (!q) break;
        db *d = &srv->dbs[rk->dbid];
        kvobj *o = db_find(d, rk->key);
        if (!o || db_key_is_expired(d, o)) break;
        client *c = q->head->c;
        blockState *st = state_of(c);
        if ((int)o->type != st->type) break;
        detach(c);
        st->reprocessing = 1;
        db *saved = c->db;
        c->db = d;
        c->flags |= CLIENT_PROTECTED;
        dispatch_call(c);
        c->flags &= ~CLIENT_PROTECTED;
        st->reprocessing = 0;
        if (!(c->flags & CLIENT_BLOCKED)) {
            c->db = saved;
            resume_input(c);
        }
    }
}

void blocking_serve_ready(server *srv) {
    if (srv->in_script) return; /* served once the script is done, as in Redis */
    blocking *b = srv->blocking;
    if (!b || b->serving || !b->ready_head) return;
    b->serving = 1;
    while (b->ready_head) {
        readyKey *list = b->ready_head;
        b->ready_head = b->ready_tail = NULL;
        while (list) {
            readyKey *rk = list;
            list = rk->next;
            clear_marker(b, rk);
            serve_key(srv, rk);
            sdsfree(rk->key);
            zfree(rk);
        }
    }
    b->serving = 0;
    arm_timer(srv);
}

long long blocking_count_clients(server *srv) {
    blocking *b = srv->blocking;
    return b ? b->blocked_clients : 0;
}

long long blocking_count_keys(server *srv) {
    blocking *b = srv->blocking;
    long long n = 0;
    if (!b) return 0;
    for (int i = 0; i < srv->dbnum; i++) n += (long long)dict_size(b->queues[i]);
    return n;
}

/* Called when a client is freed. */
void blocking_client_freed(client *c) {
    blockState *st = state_of(c);
    if (!st) return;
    if (c->flags & CLIENT_BLOCKED) detach(c);
    zfree(st->waiters);
    zfree(st);
    c->blocking_state = NULL;
}
