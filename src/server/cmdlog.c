/* cmdlog.c: the two logs of executed commands, SLOWLOG and the MONITOR
 * feed. Both show a command's arguments, both must hide secrets (AUTH and
 * HELLO passwords, ACL SETUSER rules, CONFIG SET of password directives),
 * so the redaction rule lives here once.
 *
 * Slowlog: a ring of the newest slowlog-max-len entries over
 * slowlog-log-slower-than microseconds; an entry keeps at most 32 arguments
 * of at most 128 bytes each, as Redis trims them. */
#include "cmdlog.h"

#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "commands/command.h"
#include "core/zmalloc.h"
#include "server/client.h"
#include "server/server.h"

#define SLOWLOG_ENTRY_MAX_ARGC 32
#define SLOWLOG_ENTRY_MAX_STRING 128

typedef struct slowlogEntry {
    long long id, time, duration;
    int argc;
    sds *argv;
    sds peerid, cname;
} slowlogEntry;

typedef struct slowlog {
    slowlogEntry *ring; /* capacity cap, newest at (head - 1) */
    unsigned long cap, len, head;
    long long next_id;
} slowlog;

int cmdlog_arg_redacted(client *c, int j) {
    const char *cmd = c->argv[0];
    if (!strcasecmp(cmd, "auth")) return j >= 1;
    if (!strcasecmp(cmd, "hello")) {
        for (int k = 2; k < c->argc && k < j; k++)
            if (!strcasecmp(c->argv[k], "auth") && j <= k + 2) return 1;
        return 0;
    }
    if (!strcasecmp(cmd, "acl") && c->argc > 1 && !strcasecmp(c->argv[1], "setuser")) return j >= 3;
    if (!strcasecmp(cmd, "config") && c->argc > 1 && !strcasecmp(c->argv[1], "set") && j >= 3 && (j % 2) == 1) {
        const char *name = c->argv[j - 1];
        return !strcasecmp(name, "requirepass") || !strcasecmp(name, "masterauth");
    }
    if (!strcasecmp(cmd, "migrate"))
        for (int k = 6; k < c->argc && k < j; k++) {
            if (!strcasecmp(c->argv[k], "auth")) return j == k + 1;
            if (!strcasecmp(c->argv[k], "auth2")) return j == k + 1 || j == k + 2;
        }
    return 0;
}

/* ---- slowlog */

static slowlog *slog(server *srv) {
    if (!srv->slowlog) srv->slowlog = zcalloc(sizeof(slowlog));
    return srv->slowlog;
}

static void entry_free(slowlogEntry *e) {
    for (int j = 0; j < e->argc; j++) sdsfree(e->argv[j]);
    zfree(e->argv);
    sdsfree(e->peerid);
    sdsfree(e->cname);
    memset(e, 0, sizeof(*e));
}

static sds entry_arg(client *c, int j) {
    if (cmdlog_arg_redacted(c, j)) return sdsnew("(redacted)");
    size_t len = sdslen(c->argv[j]);
    if (len <= SLOWLOG_ENTRY_MAX_STRING) return sdsdup(c->argv[j]);
    sds s = sdsnewlen(c->argv[j], SLOWLOG_ENTRY_MAX_STRING);
    return sdscatprintf(s, "... (%zu more bytes)", len - SLOWLOG_ENTRY_MAX_STRING);
}

static void entry_fill(slowlogEntry *e, client *c, long long duration, long long id) {
    int argc = c->argc > SLOWLOG_ENTRY_MAX_ARGC ? SLOWLOG_ENTRY_MAX_ARGC : c->argc;
    e->argc = argc;
    e->argv = zmalloc(sizeof(sds) * (size_t)argc);
    for (int j = 0; j < argc; j++) {
        if (j == argc - 1 && c->argc > argc)
            e->argv[j] = sdscatprintf(sdsempty(), "... (%d more arguments)", c->argc - argc + 1);
        else
            e->argv[j] = entry_arg(c, j);
    }
    e->id = id;
    e->time = time(NULL);
    e->duration = duration;
    e->peerid = sdsnew((c->flags & CLIENT_LUA) ? "lua" : c->addr);
    e->cname = c->name ? sdsdup(c->name) : sdsempty();
}

/* Keeps the ring's capacity equal to slowlog-max-len, dropping the oldest. */
static void slowlog_fit(slowlog *sl, unsigned long cap) {
    if (cap == sl->cap) return;
    slowlogEntry *ring = cap ? zcalloc(sizeof(slowlogEntry) * cap) : NULL;
    unsigned long keep = sl->len < cap ? sl->len : cap;
    for (unsigned long k = 0; k < sl->len; k++) {
        unsigned long from = (sl->head + sl->cap - sl->len + k) % sl->cap;
        if (k < sl->len - keep)
            entry_free(&sl->ring[from]);
        else
            ring[k - (sl->len - keep)] = sl->ring[from];
    }
    zfree(sl->ring);
    sl->ring = ring;
    sl->cap = cap;
    sl->len = keep;
    sl->head = cap ? keep % cap : 0;
}

void slowlog_push(client *c, long long duration_us) {
    server *srv = c->srv;
    if (srv->slowlog_log_slower_than < 0 || duration_us < srv->slowlog_log_slower_than) return;
    if (!c->cmd || (c->cmd->flags & CMD_SKIP_SLOWLOG)) return;
    slowlog *sl = slog(srv);
    slowlog_fit(sl, srv->slowlog_max_len);
    long long id = sl->next_id++;
    if (!sl->cap) return;
    slowlogEntry *e = &sl->ring[sl->head];
    if (sl->len == sl->cap) entry_free(e);
    entry_fill(e, c, duration_us, id);
    sl->head = (sl->head + 1) % sl->cap;
    if (sl->len < sl->cap) sl->len++;
}

unsigned long slowlog_len(server *srv) {
    slowlog *sl = slog(srv);
    slowlog_fit(sl, srv->slowlog_max_len);
    return sl->len;
}

void slowlog_reset(server *srv) {
    slowlog *sl = slog(srv);
    for (unsigned long j = 0; j < sl->cap; j++) entry_free(&sl->ring[j]);
    sl->len = 0;
    sl->head = 0;
}

void slowlog_reply(client *c, long count) {
    slowlog *sl = slog(c->srv);
    slowlog_fit(sl, c->srv->slowlog_max_len);
    unsigned long n = count < 0 || (unsigned long)count > sl->len ? sl->len : (unsigned long)count;
    reply_array(&c->reply, (long)n);
    for (unsigned long k = 0; k < n; k++) {
        slowlogEntry *e = &sl->ring[(sl->head + sl->cap - 1 - k) % sl->cap];
        reply_array(&c->reply, 6);
        reply_long(&c->reply, e->id);
        reply_long(&c->reply, e->time);
        reply_long(&c->reply, e->duration);
        reply_array(&c->reply, e->argc);
        for (int j = 0; j < e->argc; j++) reply_bulk_sds(&c->reply, e->argv[j]);
        reply_bulk_sds(&c->reply, e->peerid);
        reply_bulk_sds(&c->reply, e->cname);
    }
}

void slowlog_free(server *srv) {
    if (!srv->slowlog) return;
    slowlog_fit(slog(srv), 0);
    zfree(srv->slowlog);
    srv->slowlog = NULL;
}

/* ---- MONITOR */

void monitor_add(client *c) {
    c->flags |= CLIENT_MONITOR;
    c->srv->monitor_count++;
}

void monitor_client_freed(client *c) {
    if (c->flags & CLIENT_MONITOR) c->srv->monitor_count--;
}

/* +<time> [<db> <addr>] "arg" ... as Redis's replicationFeedMonitors. */
void monitor_feed(client *c) {
    server *srv = c->srv;
    if (!srv->monitor_count || !c->cmd || (c->cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN))) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    sds line = sdscatprintf(sdsempty(), "+%ld.%06ld ", (long)tv.tv_sec, (long)tv.tv_usec);
    if (c->flags & CLIENT_LUA)
        line = sdscatprintf(line, "[%d lua]", c->db->id);
    else if (c->flags & CLIENT_UNIX_SOCKET)
        line = sdscatprintf(line, "[%d unix:%s]", c->db->id, srv->unixsocket ? srv->unixsocket : "");
    else
        line = sdscatprintf(line, "[%d %s]", c->db->id, c->addr);
    for (int j = 0; j < c->argc; j++) {
        line = sdscat(line, " ");
        if (cmdlog_arg_redacted(c, j))
            line = sdscat(line, "\"(redacted)\"");
        else
            line = sdscatrepr(line, c->argv[j], sdslen(c->argv[j]));
    }
    line = sdscat(line, "\r\n");
    for (client *m = srv->clients; m; m = m->next) {
        if (!(m->flags & CLIENT_MONITOR) || (m->flags & CLIENT_CLOSE_ASAP)) continue;
        reply_raw(&m->reply, line, sdslen(line));
        client_install_write(m);
    }
    sdsfree(line);
}
