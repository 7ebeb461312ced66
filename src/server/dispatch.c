/* dispatch.c: command execution (see dispatch.h).
 *
 * Order of checks follows Redis's processCommand so that a command failing
 * several checks gets the same error: unknown command, arity, auth, ...
 * Errors raised before the call count as rejected_calls of the command;
 * errors the command itself replies count as failed_calls.
 *
 * CLIENT PAUSE is the last check: a postponed client keeps its argv and
 * waits in a FIFO on the server; when the pause ends (UNPAUSE, or the cron
 * sees the end time pass) the queue is re-dispatched in arrival order once
 * the running command, if any, is done. Error counts for INFO errorstats
 * are kept here too. */
#include "dispatch.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "proto/errors.h"
#include "server/client.h"
#include "db/evict.h"
#include "repl/repl.h"
#include "script/busy.h"
#include "server/acl.h"
#include "server/blocking.h"
#include "server/hooks.h"
#include "server/multi.h"
#include "server/propagate.h"
#include "server/server.h"

typedef struct errorCount {
    dictLink link;
    sds code;
    long long count;
} errorCount;

static const void *err_key(const void *e) { return ((const errorCount *)e)->code; }
static void err_free(void *e) {
    sdsfree(((errorCount *)e)->code);
    zfree(e);
}
static const dictType error_dict_type = {dict_sds_hash, dict_sds_equal, err_key, err_free, 0};

#define ERRORSTATS_LIMIT 128

/* Counts an error reply by its code (first word), as INFO errorstats shows. */
void dispatch_count_error(client *c, const char *err, size_t len) {
    server *srv = c->srv;
    srv->stat_total_error_replies++;
    size_t codelen = 0;
    while (codelen < len && err[codelen] != ' ') codelen++;
    if (!srv->errors) srv->errors = dict_create(&error_dict_type);
    dict *d = srv->errors;
    sds code = sdsnewlen(err, codelen);
    errorCount *e = dict_find(d, code);
    if (e) {
        e->count++;
        sdsfree(code);
    } else if (dict_size(d) >= ERRORSTATS_LIMIT) {
        srv->errors_overflow++;
        sdsfree(code);
    } else {
        e = zmalloc(sizeof(*e));
        e->code = code;
        e->count = 1;
        dict_add_new(d, e);
    }
    if (c->cmd) {
        if (c->flags & CLIENT_EXECUTING)
            c->cmd->stats.failed_calls++;
        else
            c->cmd->stats.rejected_calls++;
    }
}

void reply_arity_error(client *c) {
    const char *name = c->cmd ? c->cmd->fullname : c->argv[0];
    reply_errorf(&c->reply, ERR_ARITY, name);
}

void reply_subcommand_error(client *c) {
    sds cmd = sdsdup(c->argv[0]);
    sdstoupper(cmd);
    reply_errorf(&c->reply, ERR_UNKNOWN_SUBCMD, c->argc > 1 ? c->argv[1] : "", cmd);
    sdsfree(cmd);
}

static void reply_unknown_command(client *c) {
    sds args = sdsempty();
    for (int i = 1; i < c->argc && sdslen(args) < 128; i++)
        args = sdscatprintf(args, "'%.*s' ", (int)(128 - sdslen(args)), c->argv[i]);
    reply_errorf(&c->reply, ERR_UNKNOWN_CMD, c->argv[0], args);
    sdsfree(args);
}

/* Lookup and arity, as Redis's commandCheckExistence/commandCheckArity. */
static commandDef *resolve(client *c) {
    commandDef *cmd = command_lookup(c->argv, c->argc);
    if (!cmd) {
        commandDef *parent = command_lookup_name(c->argv[0], sdslen(c->argv[0]));
        if (parent && parent->subcommands) {
            sds name = sdsdup(c->argv[0]);
            sdstoupper(name);
            reply_errorf(&c->reply, ERR_UNKNOWN_SUBCMD, c->argc > 1 ? c->argv[1] : "", name);
            sdsfree(name);
        } else {
            reply_unknown_command(c);
        }
        return NULL;
    }
    if ((cmd->arity > 0 && cmd->arity != c->argc) || (c->argc < -cmd->arity)) {
        c->cmd = cmd;
        reply_arity_error(c);
        return NULL;
    }
    return cmd;
}

/* RESP2 subscribers may only (un)subscribe, PING, QUIT and RESET. */
static int allowed_in_subscriber_mode(commandDef *cmd) {
    static const char *ok[] = {"subscribe",    "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe",
                               "punsubscribe", "ping",       "quit",        "reset",        NULL};
    for (int i = 0; ok[i]; i++)
        if (!strcmp(cmd->name, ok[i]) && !cmd->parent) return 1;
    return 0;
}

/* What CLIENT PAUSE WRITE holds back: writes and commands that may
 * replicate (EVAL, PUBLISH, PFCOUNT...), and an EXEC that queued any. */
static int is_write_like(client *c, commandDef *cmd) {
    const uint64_t mask = CMD_WRITE | CMD_MAY_REPLICATE;
    if (cmd->flags & mask) return 1;
    return (c->flags & CLIENT_MULTI) && (c->multi_cmd_flags & mask) && !cmd->parent &&
           !strcmp(cmd->name, "exec");
}

/* ---- CLIENT PAUSE
 * A pause postpones commands (all, or only write-like ones) until its end
 * time or CLIENT UNPAUSE. A postponed client keeps its parsed command and
 * waits in a FIFO; when the pause ends they run again in arrival order
 * (and may be postponed again by a new pause). Replicas and fake clients
 * are never paused; the master link is. */
static int pause_applies(client *c, commandDef *cmd) {
    server *srv = c->srv;
    if (!srv->paused_actions || (c->flags & (CLIENT_SLAVE | CLIENT_FAKE))) return 0;
    if (srv->mstime >= srv->pause_end_ms) {
        dispatch_unpause(srv); /* expired; the cron would have ended it soon */
        return 0;
    }
    return !srv->pause_write_only || is_write_like(c, cmd);
}

static void pause_enqueue(client *c) {
    server *srv = c->srv;
    c->flags |= CLIENT_PAUSED;
    c->pause_next = NULL;
    if (srv->paused_tail)
        srv->paused_tail->pause_next = c;
    else
        srv->paused_head = c;
    srv->paused_tail = c;
}

void dispatch_forget_paused(client *c) {
    server *srv = c->srv;
    client *prev = NULL;
    for (client *p = srv->paused_head; p; prev = p, p = p->pause_next) {
        if (p != c) continue;
        if (prev)
            prev->pause_next = c->pause_next;
        else
            srv->paused_head = c->pause_next;
        if (srv->paused_tail == c) srv->paused_tail = prev;
        break;
    }
    c->pause_next = NULL;
    c->flags &= ~CLIENT_PAUSED;
}

void dispatch_pause(server *srv, long long end_ms, int write_only) {
    /* A new pause never weakens one in force: ALL beats WRITE, the later
     * end wins. An end already past adds nothing. */
    if (!srv->paused_actions) {
        srv->pause_write_only = write_only;
        srv->pause_end_ms = 0;
    } else if (!write_only) {
        srv->pause_write_only = 0;
    }
    if (end_ms > srv->pause_end_ms) srv->pause_end_ms = end_ms;
    srv->paused_actions = srv->pause_end_ms > srv->mstime;
}

/* Re-runs postponed clients, oldest first. Each gets one turn: a client
 * postponed again (a new pause began meanwhile) goes back to the tail. */
static void resume_paused(server *srv) {
    if (srv->pause_resuming) return;
    srv->pause_resuming = 1;
    long turns = 0;
    for (client *p = srv->paused_head; p; p = p->pause_next) turns++;
    while (turns-- > 0 && srv->paused_head) {
        client *c = srv->paused_head;
        srv->paused_head = c->pause_next;
        if (!srv->paused_head) srv->paused_tail = NULL;
        c->pause_next = NULL;
        c->flags &= ~CLIENT_PAUSED;
        client_resume_paused(c);
    }
    srv->pause_resuming = 0;
}

void dispatch_unpause(server *srv) {
    srv->paused_actions = 0;
    srv->pause_write_only = 0;
    srv->pause_end_ms = 0;
    /* Inside a command (CLIENT UNPAUSE) the clients run once it is done. */
    if (!srv->current_client) resume_paused(srv);
}

void dispatch_call(client *c) {
    server *srv = c->srv;
    commandDef *cmd = c->cmd;
    long long dirty_before = srv->dirty;
    hooks_before_call(c);
    /* One clock read serves both the command's time snapshot (expiry is
     * judged against it) and the duration measurement. */
    long long start = ustime();
    srv->ustime = start;
    srv->mstime = start / 1000;
    client *prev = srv->executing_client;
    srv->executing_client = c;
    c->flags |= CLIENT_EXECUTING;
    cmd->proc(c);
    c->flags &= ~CLIENT_EXECUTING;
    srv->executing_client = prev;
    long long duration = ustime() - start;
    c->duration_us = duration;
    commandDef *counted = c->realcmd ? c->realcmd : cmd;
    /* A command that blocked is counted once, when it is served or times
     * out (then the statistics, slowlog and latency see it), as in Redis. */
    int blocked = (c->flags & CLIENT_BLOCKED) != 0;
    if (!blocked) {
        counted->stats.calls++;
        counted->stats.usec += duration;
    }
    c->lastcmd = cmd;
    c->commands_processed++;
    srv->stat_numcommands++;
    if (srv->dirty > dirty_before && (cmd->flags & CMD_WRITE))
        propagate_command(srv, c->db->id, c->argv, c->argc);
    if (srv->dirty > dirty_before) c->woff = repl_offset(srv); /* for WAIT */
    if (!blocked) hooks_after_call(c, duration);
    c->realcmd = NULL;
}

/* A refusal before the call: the error, and a transaction that was being
 * queued is marked failed (EXEC will answer EXECABORT). */
static int refuse(client *c, const char *err) {
    reply_error(&c->reply, err);
    multi_flag_error(c);
    return 0;
}

/* "POST" and "Host:" are HTTP, sent by a browser tricked into talking to
 * us (cross-protocol scripting): close without a reply, as Redis does. */
static int is_http_attack(client *c) {
    if (strcasecmp(c->argv[0], "post") && strcasecmp(c->argv[0], "host:")) return 0;
    LOG(c->srv, LL_WARNING,
        "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to "
        "Redis. "
        "This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your "
        "Redis "
        "instance. Connection from %s aborted.",
        c->addr);
    client_close_async(c);
    return 1;
}

/* EXEC of a transaction that queued writes counts as a write. */
static int is_exec_with_writes(client *c, commandDef *cmd) {
    return !strcmp(cmd->name, "exec") && (c->multi_cmd_flags & CMD_WRITE);
}

/* enable-debug-command / enable-module-command: yes, no, or local. */
static int protected_allowed(client *c, int setting) {
    if (setting == PROTECTED_ACTION_YES) return 1;
    if (setting == PROTECTED_ACTION_NO) return 0;
    return (c->flags & CLIENT_UNIX_SOCKET) || !strncmp(c->addr, "127.", 4) || !strncmp(c->addr, "::1:", 4);
}

/* The checks between lookup and execution, in Redis's processCommand
 * order. Returns 1 when the command may run (or be queued) now. */
static int admit(client *c, commandDef *cmd) {
    server *srv = c->srv;
    if ((cmd->flags & CMD_PROTECTED) && !protected_allowed(c, srv->enable_debug_cmd)) {
        reply_errorf(&c->reply,
                     "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can "
                     "run it from a local connection, otherwise you need to set this option in the configuration "
                     "file, and then restart the server.");
        multi_flag_error(c);
        return 0;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH) && client_auth_required(c))
        return refuse(c, ERR_NOAUTH);
    if (srv->loading && !(c->flags & (CLIENT_FAKE | CLIENT_MASTER)) && !(cmd->flags & CMD_LOADING))
        return refuse(c, ERR_LOADING);
    const char *busy = busy_refusal(srv, cmd->flags);
    if (busy) return refuse(c, busy);
    if ((c->flags & CLIENT_MULTI) && (cmd->flags & CMD_NO_MULTI))
        return refuse(c, "Command not allowed inside a transaction");
    int denied_pos = 0, denied = acl_check(c, cmd, c->argv, c->argc, &denied_pos);
    if (denied != ACL_OK) {
        acl_reply_denied(c, cmd, denied, denied_pos);
        multi_flag_error(c);
        return 0;
    }
    if (srv->maxmemory && !(c->flags & CLIENT_MASTER) && !srv->in_exec && evict_perform(srv) == -1 &&
        (cmd->flags & CMD_DENYOOM))
        return refuse(c, ERR_OOM);
    int external = !(c->flags & (CLIENT_MASTER | CLIENT_FAKE));
    if (external && !repl_writes_allowed(srv) && ((cmd->flags & CMD_WRITE) || is_exec_with_writes(c, cmd)))
        return refuse(c, ERR_NOREPLICAS);
    /* The AOF replay (a fake client) rebuilds what the replica already had. */
    if (srv->masterhost_set && srv->replica_read_only && !(c->flags & (CLIENT_MASTER | CLIENT_FAKE)) &&
        (cmd->flags & CMD_WRITE))
        return refuse(c, ERR_READONLY);
    if (external && repl_stale_refused(srv) && !(cmd->flags & CMD_STALE)) return refuse(c, ERR_MASTERDOWN);
    if (c->resp == 2 && (c->flags & CLIENT_PUBSUB) && !allowed_in_subscriber_mode(cmd)) {
        reply_errorf(&c->reply, ERR_PUBSUB_CONTEXT, cmd->fullname);
        multi_flag_error(c);
        return 0;
    }
    if (pause_applies(c, cmd)) {
        pause_enqueue(c); /* argv stays; re-run when the pause ends */
        return 0;
    }
    return 1;
}

void dispatch_command(client *c) {
    server *srv = c->srv;
    if (is_http_attack(c)) return;
    srv->current_client = c;
    commandDef *cmd = resolve(c);
    if (!cmd) {
        multi_flag_error(c);
    } else {
        c->cmd = c->lastcmd = cmd;
        if (admit(c, cmd)) {
            if (multi_should_queue(c, cmd)) {
                if (multi_queued_count(c) <= 0) c->multi_cmd_flags = 0;
                c->multi_cmd_flags |= cmd->flags;
                multi_queue(c);
            } else {
                dispatch_call(c);
                blocking_serve_ready(srv);
            }
        }
    }
    srv->current_client = NULL;
    /* CLIENT UNPAUSE (or an expired pause) leaves clients to resume. */
    if (srv->paused_head && !srv->paused_actions) resume_paused(srv);
}

sds dispatch_errorstats_info(server *srv, sds s) {
    if (!srv->errors) return s;
    dictIterator it;
    dict_iter_init(&it, srv->errors, 0);
    errorCount *e;
    while ((e = dict_iter_next(&it))) s = sdscatprintf(s, "errorstat_%s:count=%lld\r\n", e->code, e->count);
    dict_iter_release(&it);
    return s;
}

void dispatch_reset_error_stats(server *srv) {
    if (srv->errors) dict_release(srv->errors);
    srv->errors = NULL;
    srv->errors_overflow = 0;
}
