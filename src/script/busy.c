/* busy.c: see busy.h.
 *
 * Serving clients from inside a script is Redis's processEventsWhileBlocked.
 * While the hook polls the event loop:
 *   - the caller (and a master link) stop being read, so their next
 *     commands wait for the script instead of running inside it;
 *   - the cron is paused (no expiry or snapshots halfway through a script)
 *     and the before-sleep step only flushes replies, never frees clients
 *     (the caller must outlive the script);
 *   - every command not flagged allow-busy answers -BUSY. The dispatcher
 *     has no such check yet, so the gate swaps those commands' handlers
 *     for the -BUSY reply for the duration of each poll, and swaps them
 *     back before the script runs its next redis.call.
 * Nothing here runs when busy-reply-threshold is 0 or while loading. */
#include "busy.h"

#include <lauxlib.h>

#include "commands/command.h"
#include "core/zmalloc.h"
#include "net/reactor.h"
#include "script/lua_convert.h"
#include "script/run.h"
#include "server/client.h"
#include "server/server.h"

#define BUSY_HOOK_INSTRUCTIONS 100000
#define BUSY_MAX_GUARDED 2

typedef struct guardedFd {
    int fd;
    reFileProc *proc;
    void *data;
} guardedFd;

typedef struct busyState {
    commandProc **saved; /* handlers by command id while the gate is closed */
    unsigned nsaved;
    guardedFd guarded[BUSY_MAX_GUARDED];
    int nguarded;
    int kill_logged;
} busyState;

static busyState *bstate(server *srv) {
    scriptCtx *ctx = script_ctx(srv);
    if (!ctx->busy) ctx->busy = zcalloc(sizeof(busyState));
    return ctx->busy;
}

/* ---- the -BUSY gate */
static void busy_refuse(client *c) { reply_error(&c->reply, run_busy_error(run_current(c->srv))); }

static void gate_swap_one(busyState *b, commandDef *cmd, int close) {
    if ((cmd->flags & CMD_ALLOW_BUSY) || cmd->id >= b->nsaved) return;
    if (close) {
        b->saved[cmd->id] = cmd->proc;
        cmd->proc = busy_refuse;
    } else if (b->saved[cmd->id]) {
        cmd->proc = b->saved[cmd->id];
        b->saved[cmd->id] = NULL;
    }
}

typedef struct gateArg {
    busyState *b;
    int close;
} gateArg;

static void gate_swap_cmd(commandDef *cmd, void *arg) {
    gateArg *g = arg;
    gate_swap_one(g->b, cmd, g->close);
    for (commandDef *sub = cmd->subcommands; sub && sub->name; sub++) gate_swap_one(g->b, sub, g->close);
}

static void gate(busyState *b, int close) {
    if (!b->saved) {
        b->nsaved = command_id_limit();
        b->saved = zcalloc(sizeof(commandProc *) * b->nsaved);
    }
    gateArg g = {b, close};
    command_foreach(gate_swap_cmd, &g);
}

/* ---- clients that must not be read while the script runs */
static void guard(busyState *b, server *srv, client *c) {
    if (!c || c->fd < 0 || b->nguarded == BUSY_MAX_GUARDED) return;
    if (!(reactor_mask(srv->el, c->fd) & RE_READABLE)) return;
    reFileEvent *fe = &srv->el->events[c->fd];
    b->guarded[b->nguarded++] = (guardedFd){c->fd, fe->rproc, fe->data};
    reactor_del(srv->el, c->fd, RE_READABLE);
}

static void unguard_all(busyState *b, server *srv) {
    for (int i = 0; i < b->nguarded; i++) {
        guardedFd *g = &b->guarded[i];
        reactor_add(srv->el, g->fd, RE_READABLE, g->proc, g->data);
    }
    b->nguarded = 0;
}

static client *master_link(server *srv) {
    for (client *c = srv->clients; c; c = c->next)
        if (c->flags & CLIENT_MASTER) return c;
    return NULL;
}

/* ---- serving clients */

/* Before-sleep while a script is busy: flush replies, nothing else. */
static void flush_only(reactor *el) {
    server *srv = el->data;
    while (srv->pending_writes) {
        client *c = srv->pending_writes;
        srv->pending_writes = c->pending_next;
        c->flags &= ~CLIENT_IN_PENDING_LIST;
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        if (reactor_mask(el, c->fd) & RE_WRITABLE) continue;
        client_write(c, 0);
    }
}

static void serve_clients(scriptRun *r) {
    server *srv = r->srv;
    reactor *el = srv->el;
    busyState *b = bstate(srv);
    client *current = srv->current_client;
    long long cron_paused = srv->cron_paused;
    reHookProc *before_sleep = el->before_sleep;
    srv->cron_paused = 1;
    el->before_sleep = flush_only;
    gate(b, 1);
    reactor_poll(el, 1);
    gate(b, 0);
    el->before_sleep = before_sleep;
    srv->cron_paused = cron_paused;
    srv->current_client = current;
}

static void enter_timedout(scriptRun *r) {
    server *srv = r->srv;
    busyState *b = bstate(srv);
    LOG(srv, LL_WARNING,
        "Slow script detected: still in execution after %lld milliseconds. You can try killing the script "
        "using "
        "the %s command. Script name is: %s.",
        run_duration_ms(r), r->eval ? "SCRIPT KILL" : "FUNCTION KILL", r->name);
    r->timedout = 1;
    b->kill_logged = 0;
    guard(b, srv, r->caller);
    guard(b, srv, master_link(srv));
}

static int can_serve(server *srv) { return srv->el && !srv->loading; }

/* The count hook: time check, clients, and the kill. */
static void busy_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    server *srv = run_server_of(L);
    scriptRun *r = srv ? run_current(srv) : NULL;
    if (!r || !can_serve(srv)) return;
    if (!r->timedout && run_duration_ms(r) >= srv->busy_reply_threshold) enter_timedout(r);
    if (r->timedout && !r->killed) serve_clients(r);
    if (!r->killed) return;
    busyState *b = bstate(srv);
    if (!b->kill_logged) LOG(srv, LL_NOTICE, "Lua script killed by user with SCRIPT KILL.");
    b->kill_logged = 1;
    /* From now on every line fails, so pcall cannot catch its way out. */
    lua_sethook(L, busy_hook, LUA_MASKLINE, 0);
    luaconv_push_error(L, "Script killed by user with SCRIPT KILL...");
    lua_error(L);
}

void busy_start(scriptRun *r) {
    if (r->srv->busy_reply_threshold > 0) lua_sethook(r->L, busy_hook, LUA_MASKCOUNT, BUSY_HOOK_INSTRUCTIONS);
}

void busy_end(scriptRun *r) {
    lua_sethook(r->L, NULL, 0, 0);
    if (r->timedout) unguard_all(bstate(r->srv), r->srv);
    r->timedout = 0;
}
