/* pubsub.c: see pubsub.h.
 *
 * Server side: three dicts (channels, shard channels, patterns) from the
 * name to a subscriber list. Subscriber lists are small arrays of client
 * pointers kept in subscription order. Client side: three dicts of names
 * the client holds, in state attached to c->pubsub_state. A client is in
 * pub/sub mode (CLIENT_PUBSUB) while it holds any subscription. */
#include "pubsub.h"

#include <string.h>

#include "core/dict.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "server/client.h"
#include "server/server.h"

typedef struct subscribers {
    dictLink link;
    sds name;
    client **clients;
    long n, cap;
} subscribers;

typedef struct pubsubState {
    dict *names[3]; /* channels, patterns, shard channels: dictKey entries */
} pubsubState;

typedef struct pubsub {
    dict *table[3]; /* same kinds: name -> subscribers */
    long subscribed_clients;
} pubsub;

static const void *subs_key(const void *e) { return ((const subscribers *)e)->name; }
static const dictType subs_type = {dict_sds_hash, dict_sds_equal, subs_key, NULL, 0};
static const dictType names_type = {dict_sds_hash, dict_sds_equal, dict_key_key, NULL, 0};

static void publish_hook(server *srv, const char *chan, size_t chanlen, const char *msg, size_t msglen) {
    pubsub_publish(srv, chan, chanlen, msg, msglen, 0);
}

void pubsub_init(server *srv) {
    pubsub *ps = zcalloc(sizeof(*ps));
    for (int i = 0; i < 3; i++) ps->table[i] = dict_create(&subs_type);
    srv->pubsub = ps;
    srv->publish = publish_hook;
}

static pubsubState *state_of(client *c, int create) {
    if (!c->pubsub_state && create) {
        pubsubState *st = zcalloc(sizeof(*st));
        for (int i = 0; i < 3; i++) st->names[i] = dict_create(&names_type);
        c->pubsub_state = st;
    }
    return c->pubsub_state;
}

int pubsub_client_count(client *c, int kind) {
    pubsubState *st = state_of(c, 0);
    return st ? (int)dict_size(st->names[kind]) : 0;
}

static int total_subs(client *c) {
    return pubsub_client_count(c, 0) + pubsub_client_count(c, 1) + pubsub_client_count(c, 2);
}

static void update_mode(client *c) {
    pubsub *ps = c->srv->pubsub;
    int in = total_subs(c) > 0;
    if (in && !(c->flags & CLIENT_PUBSUB)) {
        c->flags |= CLIENT_PUBSUB;
        ps->subscribed_clients++;
    } else if (!in && (c->flags & CLIENT_PUBSUB)) {
        c->flags &= ~CLIENT_PUBSUB;
        ps->subscribed_clients--;
    }
}

/* Adds c to name's subscribers of `kind`; 1 if it was not subscribed. */
int pubsub_subscribe(client *c, int kind, const sds name) {
    pubsub *ps = c->srv->pubsub;
    pubsubState *st = state_of(c, 1);
    if (dict_find(st->names[kind], name)) return 0;
    dictKey *k = zmalloc(sizeof(*k));
    k->key = sdsdup(name);
    dict_add_new(st->names[kind], k);
    subscribers *s = dict_find(ps->table[kind], name);
    if (!s) {
        s = zcalloc(sizeof(*s));
        s->name = sdsdup(name);
        dict_add_new(ps->table[kind], s);
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->clients = zrealloc(s->clients, sizeof(client *) * (size_t)s->cap);
    }
    s->clients[s->n++] = c;
    update_mode(c);
    return 1;
}

/* Removes c from name's subscribers; 1 if it was subscribed. */
int pubsub_unsubscribe(client *c, int kind, const sds name) {
    pubsub *ps = c->srv->pubsub;
    pubsubState *st = state_of(c, 0);
    dictKey *k = st ? dict_unlink(st->names[kind], name) : NULL;
    if (!k) return 0;
    subscribers *s = dict_find(ps->table[kind], name);
    if (s) {
        for (long i = 0; i < s->n; i++) {
            if (s->clients[i] == c) {
                memmove(s->clients + i, s->clients + i + 1, sizeof(client *) * (size_t)(s->n - i - 1));
                s->n--;
                break;
            }
        }
        if (s->n == 0) {
            dict_unlink(ps->table[kind], name);
            sdsfree(s->name);
            zfree(s->clients);
            zfree(s);
        }
    }
    sdsfree(k->key);
    zfree(k);
    update_mode(c);
    return 1;
}

static const char *kind_event(int kind, int sub) {
    static const char *ev[3][2] = {{"unsubscribe", "subscribe"}, {"punsubscribe", "psubscribe"},
                                   {"sunsubscribe", "ssubscribe"}};
    return ev[kind][sub];
}

/* Pub/sub pushes (confirmations and messages) reach the client even under
 * CLIENT REPLY OFF/SKIP, as Redis's CLIENT_PUSHING makes them: the reply
 * buffer is unmuted around them. */
static int push_begin(client *c) {
    int muted = c->reply.muted;
    c->reply.muted = 0;
    return muted;
}
static void push_end(client *c, int muted) { c->reply.muted = muted; }

/* The confirmation for (un)subscribing: [event, name|nil, count]. */
void pubsub_reply_confirm(client *c, int kind, int sub, const sds name) {
    const char *ev = kind_event(kind, sub);
    int muted = push_begin(c);
    reply_push(&c->reply, 3);
    reply_bulk(&c->reply, ev, strlen(ev));
    if (name) reply_bulk_sds(&c->reply, name);
    else reply_null(&c->reply);
    reply_long(&c->reply, kind == 2 ? pubsub_client_count(c, 2) : pubsub_client_count(c, 0) + pubsub_client_count(c, 1));
    push_end(c, muted);
}

/* Leaves every subscription of `kind`, confirming each when notify. */
void pubsub_unsubscribe_kind(client *c, int kind, int notify) {
    pubsubState *st = state_of(c, 0);
    int any = 0;
    while (st && dict_size(st->names[kind])) {
        dictKey *k = dict_random_entry(st->names[kind]);
        sds name = sdsdup(k->key);
        pubsub_unsubscribe(c, kind, name);
        if (notify) pubsub_reply_confirm(c, kind, 0, name);
        sdsfree(name);
        any = 1;
    }
    if (notify && !any) pubsub_reply_confirm(c, kind, 0, NULL);
}

void pubsub_unsubscribe_all(client *c, int notify) {
    for (int k = 0; k < 3; k++) pubsub_unsubscribe_kind(c, k, notify);
}

void pubsub_client_freed(client *c) {
    pubsubState *st = state_of(c, 0);
    if (!st) return;
    pubsub_unsubscribe_all(c, 0);
    for (int i = 0; i < 3; i++) dict_release(st->names[i]);
    zfree(st);
    c->pubsub_state = NULL;
}

static void deliver(client *c, const char *kind, const sds pattern, const char *chan, size_t chanlen,
                    const char *msg, size_t msglen) {
    int muted = push_begin(c);
    reply_push(&c->reply, pattern ? 4 : 3);
    reply_bulk(&c->reply, kind, strlen(kind));
    if (pattern) reply_bulk_sds(&c->reply, pattern);
    reply_bulk(&c->reply, chan, chanlen);
    reply_bulk(&c->reply, msg, msglen);
    push_end(c, muted);
    client_install_write(c);
    client_check_output_limits(c);
}

long pubsub_publish(server *srv, const char *chan, size_t chanlen, const char *msg, size_t msglen, int shard) {
    pubsub *ps = srv->pubsub;
    if (!ps) return 0;
    long receivers = 0;
    char stackbuf[256 + 16];
    sds key = chanlen <= 256 ? sdsEmbed(stackbuf, chan, chanlen) : sdsnewlen(chan, chanlen);
    int kind = shard ? 2 : 0;
    subscribers *s = dict_find(ps->table[kind], key);
    if (s) {
        for (long i = 0; i < s->n; i++) deliver(s->clients[i], shard ? "smessage" : "message", NULL, chan, chanlen, msg, msglen);
        receivers += s->n;
    }
    if (!shard && dict_size(ps->table[1])) {
        dictIterator it;
        dict_iter_init(&it, ps->table[1], 0);
        subscribers *p;
        while ((p = dict_iter_next(&it))) {
            if (!stringmatchlen(p->name, sdslen(p->name), chan, chanlen, 0)) continue;
            for (long i = 0; i < p->n; i++) deliver(p->clients[i], "pmessage", p->name, chan, chanlen, msg, msglen);
            receivers += p->n;
        }
        dict_iter_release(&it);
    }
    if (chanlen > 256) sdsfree(key);
    return receivers;
}

long pubsub_total_channels(server *srv) {
    pubsub *ps = srv->pubsub;
    return ps ? (long)dict_size(ps->table[0]) : 0;
}
int pubsub_client_all(client *c, int kind, int (*fn)(void *ctx, const sds name), void *ctx) {
    pubsubState *st = c->pubsub_state;
    if (!st || !st->names[kind]) return 1;
    dictIterator it;
    dict_iter_init(&it, st->names[kind], 0);
    dictKey *e;
    int ok = 1;
    while (ok && (e = dict_iter_next(&it))) ok = fn(ctx, e->key);
    dict_iter_release(&it);
    return ok;
}

long pubsub_total_shard_channels(server *srv) {
    pubsub *ps = srv->pubsub;
    return ps ? (long)dict_size(ps->table[2]) : 0;
}
long pubsub_total_patterns(server *srv) {
    pubsub *ps = srv->pubsub;
    return ps ? (long)dict_size(ps->table[1]) : 0;
}
long pubsub_clients(server *srv) {
    pubsub *ps = srv->pubsub;
    return ps ? ps->subscribed_clients : 0;
}

/* PUBSUB CHANNELS/SHARDCHANNELS [pattern]: names with subscribers. */
void pubsub_reply_names(client *c, int kind, const char *pattern) {
    pubsub *ps = c->srv->pubsub;
    void *h = reply_defer(&c->reply);
    long n = 0;
    dictIterator it;
    dict_iter_init(&it, ps->table[kind], 0);
    subscribers *s;
    while ((s = dict_iter_next(&it))) {
        if (pattern && !stringmatchlen(pattern, strlen(pattern), s->name, sdslen(s->name), 0)) continue;
        reply_bulk_sds(&c->reply, s->name);
        n++;
    }
    dict_iter_release(&it);
    reply_set_array(&c->reply, h, n);
}

long pubsub_count_subscribers(server *srv, int kind, const sds name) {
    pubsub *ps = srv->pubsub;
    subscribers *s = dict_find(ps->table[kind], name);
    return s ? s->n : 0;
}
