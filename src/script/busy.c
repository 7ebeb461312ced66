/* busy.c: see busy.h.
 *
 * Serving clients from inside a script is Redis's processEventsWhileBlocked.
 * While the hook polls the event loop:
 *   - the caller (and a master link) stop being read, so their next
 *     commands wait for the script instead of running inside it;
 *   - the cron is paused (no expiry or snapshots halfway through a script)
 *     and the before-sleep step only flushes replies, never frees clients
 *     (the caller must outlive the script);
 *   - every command not flagged allow-busy answers -BUSY: the dispatcher
 *     asks busy_refusal before running anything.
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
    guardedFd guarded[BUSY_MAX_GUARDED];
    int nguarded;
    int kill_logged;
} busyState;

static busyState *bstate(server *srv) {
    scriptCtx *ctx = script_ctx(srv);
    if (!ctx->busy) ctx->busy = zcalloc(sizeof(busyState));
    return ctx->busy;
}

/* ---- the -BUSY refusal (asked by the dispatcher for every command) */
const char *busy_refusal(server *srv, uint64_t cmd_flags) {
    if (!srv->script || (cmd_flags & CMD_ALLOW_BUSY)) return NULL;
    scriptRun *r = run_current(srv);
    return r && r->timedout ? run_busy_error(r) : NULL;
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
static void flush_only(reactor *el) { server_flush_pending_writes(el->data); }

static void serve_clients(scriptRun *r) {
    server *srv = r->srv;
    reactor *el = srv->el;
    client *current = srv->current_client;
    long long cron_paused = srv->cron_paused;
    reHookProc *before_sleep = el->before_sleep;
    srv->cron_paused = 1;
    el->before_sleep = flush_only;
    reactor_poll(el, 1);
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
