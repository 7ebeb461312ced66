/* run.c: see run.h.
 *
 * A run brackets the script with propagate_tx_begin/end (its writes reach
 * the AOF and replicas as one MULTI/EXEC of their effects) and sets
 * srv->in_script. Commands the script calls run on the shared fake client,
 * in the caller's database; a SELECT inside the script moves only the fake
 * client. Refusals (unknown command, arity, noscript, ACL, read-only
 * script, read-only replica, OOM) are counted like Redis counts them: an
 * error stat and a rejected call of the inner command. */
#include "run.h"

#include <lauxlib.h>
#include <string.h>
#include <strings.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/evict.h"
#include "proto/errors.h"
#include "repl/repl.h"
#include "script/busy.h"
#include "script/lua_convert.h"
#include "script/lua_sandbox.h"
#include "server/acl.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/propagate.h"
#include "server/server.h"

const scriptFlagName script_flag_names[] = {
    {SCRIPT_FLAG_NO_WRITES, "no-writes"},
    {SCRIPT_FLAG_ALLOW_OOM, "allow-oom"},
    {SCRIPT_FLAG_ALLOW_STALE, "allow-stale"},
    {SCRIPT_FLAG_NO_CLUSTER, "no-cluster"},
    {SCRIPT_FLAG_ALLOW_CROSS_SLOT, "allow-cross-slot-keys"},
    {0, NULL},
};

int script_flag_lookup(const char *name, int nocase, uint64_t *flag) {
    for (const scriptFlagName *f = script_flag_names; f->name; f++) {
        if (nocase ? !strcasecmp(f->name, name) : !strcmp(f->name, name)) {
            *flag = f->flag;
            return 0;
        }
    }
    return -1;
}

scriptCtx *script_ctx(server *srv) {
    if (!srv->script) srv->script = zcalloc(sizeof(scriptCtx));
    scriptCtx *ctx = srv->script;
    if (!ctx->fake) {
        ctx->fake = client_create(srv, -1, CLIENT_FAKE | CLIENT_LUA);
        ctx->fake->authenticated = 1;
    }
    return ctx;
}

#define RUN_SERVER_KEY "__stash_server"

void run_bind_state(lua_State *L, server *srv) {
    lua_pushlightuserdata(L, srv);
    lua_setfield(L, LUA_REGISTRYINDEX, RUN_SERVER_KEY);
}

server *run_server_of(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, RUN_SERVER_KEY);
    server *srv = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return srv;
}

scriptRun *run_current(server *srv) { return srv->script ? ((scriptCtx *)srv->script)->running : NULL; }

void run_set_allow_noscript(server *srv, int allow) { script_ctx(srv)->allow_noscript = allow; }

long long run_duration_ms(scriptRun *r) { return (monotonic_us() - r->start_us) / 1000; }

const char *run_busy_error(scriptRun *r) {
    return r && !r->eval
               ? "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
               : "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
}

/* The master link and AOF loading are obeyed whatever the state. */
static int must_obey(client *c) {
    return (c->flags & CLIENT_MASTER) || ((c->flags & CLIENT_FAKE) && !(c->flags & CLIENT_LUA)) ||
           c->srv->loading;
}

/* A replica cut off from its master with replica-serve-stale-data no. */
static int running_stale(server *srv) { return repl_stale_refused(srv); }

static int over_maxmemory(server *srv) { return srv->maxmemory && evict_used_memory(srv) > srv->maxmemory; }

/* Redis's checks of a script's declared flags; NULL when it may run. Redis
 * makes the stale, read-only-replica and OOM checks twice: first in the dispatcher
 * (the declared flags make EVAL/FCALL a write or deny-oom command there),
 * then before the run for calls that skipped it (inside EXEC). Outside
 * EXEC the dispatcher's wording is what clients see. */
static const char *flags_refusal(client *caller, uint64_t flags, int ro) {
    server *srv = caller->srv;
    int dispatched = !srv->in_exec;
    const char *masterdown =
        "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    if (flags & SCRIPT_FLAG_EVAL_COMPAT) return running_stale(srv) ? masterdown : NULL;
    if (running_stale(srv) && !(flags & SCRIPT_FLAG_ALLOW_STALE))
        return dispatched
                   ? masterdown
                   : "-MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and "
                     "'allow-stale' flag is not set on the script.";
    if (!(flags & SCRIPT_FLAG_NO_WRITES)) {
        if (srv->masterhost_set && srv->replica_read_only && !must_obey(caller))
            return dispatched ? ERR_READONLY
                              : "-READONLY Can not run script with write flag on readonly replica";
        if (ro) return "Can not execute a script with write flag using *_ro command.";
        if (!repl_writes_allowed(srv)) return "-NOREPLICAS Not enough good replicas to write.";
    }
    if (!(flags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES)) && !must_obey(caller) &&
        over_maxmemory(srv))
        return dispatched ? ERR_OOM
                          : "-OOM allow-oom flag is not set on the script, can not run it when used memory > "
                            "'maxmemory'";
    return NULL;
}

int run_prepare(scriptRun *r, client *caller, lua_State *L, const char *name, uint64_t flags, int ro,
                int eval) {
    server *srv = caller->srv;
    const char *refusal = flags_refusal(caller, flags, ro);
    if (refusal) {
        reply_error(&caller->reply, refusal);
        return -1;
    }
    scriptCtx *ctx = script_ctx(srv);
    int compat = (flags & SCRIPT_FLAG_EVAL_COMPAT) != 0;
    *r = (scriptRun){.srv = srv, .caller = caller, .fake = ctx->fake, .L = L, .name = name, .eval = eval};
    r->readonly = ro || (!compat && (flags & SCRIPT_FLAG_NO_WRITES));
    r->allow_oom = !compat && (flags & SCRIPT_FLAG_ALLOW_OOM);
    r->oom = !must_obey(caller) && over_maxmemory(srv);
    r->repl = SCRIPT_REPL_ALL;
    r->start_us = monotonic_us();
    r->fake->db = caller->db;
    client_set_protocol(r->fake, 2);
    return 0;
}

/* Replies the error object on top of the stack (popped) to the caller. */
static void reply_script_error(scriptRun *r) {
    client *c = r->caller;
    if (!lua_istable(r->L, -1)) {
        const char *msg = lua_isstring(r->L, -1) ? lua_tostring(r->L, -1) : "execution failure";
        reply_errorf(&c->reply, "Error running script %s, %.100s\n", r->name, msg);
        lua_pop(r->L, 1);
        return;
    }
    luaError e;
    luaconv_error_read(r->L, &e);
    sds text = e.msg ? sdsdup(e.msg) : sdsnew("ERR unknown error");
    if (e.source && e.line) text = sdscatprintf(text, " script: %s, on %s:%s.", r->name, e.source, e.line);
    luaconv_reply_error(&c->reply, text, sdslen(text), e.ignore_stats);
    if (e.ignore_stats && c->cmd) (c->realcmd ? c->realcmd : c->cmd)->stats.failed_calls++;
    sdsfree(text);
    luaconv_error_free(&e);
    lua_pop(r->L, 1);
}

void run_call(scriptRun *r, int nargs) {
    server *srv = r->srv;
    scriptCtx *ctx = script_ctx(srv);
    client *c = r->caller;
    ctx->running = r;
    srv->in_script = 1;
    busy_start(r);
    propagate_tx_begin(srv);
    int err = lua_pcall(r->L, nargs, 1, -(nargs + 2));
    propagate_tx_end(srv);
    busy_end(r);
    srv->in_script = 0;
    ctx->running = NULL;
    if (err) {
        reply_script_error(r);
    } else {
        int uncounted = 0;
        luaconv_reply(r->L, &c->reply, r->fake->resp, &uncounted);
        if (uncounted && c->cmd) (c->realcmd ? c->realcmd : c->cmd)->stats.failed_calls += uncounted;
    }
    sandbox_restore_globals(r->L);
    /* Collect a little now and then rather than a full cycle at random. */
    if (++ctx->runs % 50 == 0) lua_gc(r->L, LUA_GCSTEP, 50);
}

void run_kill(client *c, int eval) {
    scriptRun *r = run_current(c->srv);
    if (!r) {
        reply_error(&c->reply, "-NOTBUSY No scripts in execution right now.");
    } else if (must_obey(r->caller)) {
        reply_error(&c->reply, "-UNKILLABLE The busy script was sent by a master instance in the context of "
                               "replication and cannot be killed.");
    } else if (r->wrote) {
        reply_error(&c->reply,
                    "-UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    "You can either wait the script termination or kill the server in a hard way using "
                    "the SHUTDOWN NOSAVE command.");
    } else if (eval != r->eval) {
        reply_error(&c->reply, run_busy_error(r));
    } else {
        r->killed = 1;
        reply_ok(&c->reply);
    }
}

/* ---- redis.call */

/* The ACL refusal text, as the script sees it ("ACL failure in script: ..."):
 * the denial is logged and answered on the fake client, then taken back. */
static sds acl_refusal(scriptRun *r, commandDef *cmd) {
    client *f = r->fake;
    int pos = 0, denied = acl_check(r->caller, cmd, f->argv, f->argc, &pos);
    if (denied == ACL_OK) return NULL;
    void (*on_error)(void *, const char *, size_t) = f->reply.on_error;
    f->reply.on_error = NULL;
    acl_reply_denied(f, cmd, denied, pos);
    f->reply.on_error = on_error;
    sds out = sdsempty();
    reply_copy_to_sds(&f->reply, &out);
    reply_clear(&f->reply);
    sdsrange(out, 1, -1); /* "-NOPERM msg\r\n" */
    char *space = strchr(out, ' ');
    sds msg = sdscatprintf(sdsempty(), "ACL failure in script: %s", space ? space + 1 : out);
    sdsfree(out);
    return sdstrim(msg, "\r\n");
}

/* Write commands in a read-only script, on a read-only replica, without
 * enough replicas; the server-state checks only before the first write. */
static const char *write_refusal(scriptRun *r, commandDef *cmd) {
    server *srv = r->srv;
    if (r->readonly && (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)))
        return "Write commands are not allowed from read-only scripts.";
    if (!(cmd->flags & CMD_WRITE) || r->wrote) return NULL;
    if (srv->masterhost_set && srv->replica_read_only && !must_obey(r->caller)) return ERR_READONLY;
    if (!repl_writes_allowed(srv)) return "-NOREPLICAS Not enough good replicas to write.";
    if (!r->allow_oom && r->oom && !must_obey(r->caller) && (cmd->flags & CMD_DENYOOM)) return ERR_OOM;
    return NULL;
}

/* Why the command on the fake client may not run, or NULL. */
static sds refusal(scriptRun *r, commandDef *cmd) {
    client *f = r->fake;
    if (!cmd) return sdsnew("Unknown Redis command called from script");
    if ((cmd->arity > 0 && cmd->arity != f->argc) || f->argc < -cmd->arity)
        return sdsnew("Wrong number of args calling Redis command from script");
    if ((cmd->flags & CMD_NOSCRIPT) && !script_ctx(r->srv)->allow_noscript)
        return sdsnew("This Redis command is not allowed from script");
    if (running_stale(r->srv) && !(cmd->flags & CMD_STALE))
        return sdsnew("Can not execute the command on a stale replica");
    sds acl = acl_refusal(r, cmd);
    if (acl) return acl;
    const char *w = write_refusal(r, cmd);
    return w ? sdsnew(w) : NULL;
}

/* "CODE msg" from a refusal text ("-CODE msg" or a bare message). */
static sds error_line(sds why) {
    sds line = why[0] == '-' ? sdsnew(why + 1) : sdscatprintf(sdsempty(), "ERR %s", why);
    sdsfree(why);
    return line;
}

/* Runs f's command; with redis.set_repl(REPL_NONE) its effects stay local
 * (the call sees a copy of the command without the write flag, which is
 * what decides propagation; statistics still go to the real command). */
static void execute(scriptRun *r, commandDef *cmd) {
    client *f = r->fake;
    commandDef local;
    if (r->repl == 0 && (cmd->flags & CMD_WRITE)) {
        local = *cmd;
        local.flags &= ~CMD_WRITE;
        f->cmd = &local;
        f->realcmd = cmd;
    } else {
        f->cmd = cmd;
    }
    dispatch_call(f);
    f->cmd = cmd;
}

sds run_command(scriptRun *r, sds *argv, int argc, sds *err) {
    client *f = r->fake;
    client *caller = r->caller;
    f->argv = argv;
    f->argc = argc;
    sds own_user = f->user;
    f->user = caller->user;
    commandDef *cmd = command_lookup(argv, argc);
    f->cmd = cmd;
    sds why = refusal(r, cmd);
    sds out = NULL;
    if (why) {
        *err = error_line(why);
        dispatch_count_error(f, *err, sdslen(*err));
    } else {
        if (cmd->flags & CMD_WRITE) r->wrote = 1;
        execute(r, cmd);
        out = sdsempty();
        reply_copy_to_sds(&f->reply, &out);
        reply_clear(&f->reply);
    }
    f->user = own_user;
    client_reset_command(f);
    f->cmd = NULL;
    return out;
}

int run_acl_check(scriptRun *r, sds *argv, int argc) {
    commandDef *cmd = command_lookup(argv, argc);
    if (!cmd) return -1;
    int pos = 0;
    return acl_check(r->caller, cmd, argv, argc, &pos) == ACL_OK;
}
