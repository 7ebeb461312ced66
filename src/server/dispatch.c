/* dispatch.c: command execution (see dispatch.h).
 *
 * Order of checks follows Redis's processCommand so that a command failing
 * several checks gets the same error: unknown command, arity, auth, ...
 * Errors raised before the call count as rejected_calls of the command;
 * errors the command itself replies count as failed_calls. */
#include "dispatch.h"

#include <ctype.h>
#include <string.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "proto/errors.h"
#include "server/client.h"
#include "db/evict.h"
#include "repl/repl.h"
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
        if (c->flags & CLIENT_EXECUTING) c->cmd->stats.failed_calls++;
        else c->cmd->stats.rejected_calls++;
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
    static const char *ok[] = {"subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe",
                               "punsubscribe", "ping", "quit", "reset", NULL};
    for (int i = 0; ok[i]; i++)
        if (!strcmp(cmd->name, ok[i]) && !cmd->parent) return 1;
    return 0;
}

static int is_write_like(commandDef *cmd) { return (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0; }

int dispatch_client_paused(client *c) {
    server *srv = c->srv;
    if (!srv->paused_actions || srv->pause_write_only) return 0;
    if (c->flags & (CLIENT_MASTER | CLIENT_SLAVE)) return 0;
    return 1;
}

void dispatch_pause(server *srv, long long end_ms, int write_only) {
    /* A new pause never weakens one in force: ALL beats WRITE, later end wins. */
    if (srv->paused_actions) {
        if (srv->pause_write_only && !write_only) srv->pause_write_only = 0;
        if (end_ms > srv->pause_end_ms) srv->pause_end_ms = end_ms;
    } else {
        srv->paused_actions = 1;
        srv->pause_write_only = write_only;
        srv->pause_end_ms = end_ms;
    }
}

void dispatch_unpause(server *srv) {
    srv->paused_actions = 0;
    srv->pause_write_only = 0;
    for (client *c = srv->clients; c; c = c->next) {
        if (c->flags & CLIENT_PAUSED) {
            c->flags &= ~CLIENT_PAUSED;
            c->flags |= CLIENT_PROTECTED;
            dispatch_command(c);
            client_reset_command(c);
            c->flags &= ~CLIENT_PROTECTED;
        }
        if (sdslen(c->querybuf) > c->qb_pos && !(c->flags & CLIENT_CLOSE_ASAP)) client_process_input(c);
        else if (reply_pending(&c->reply)) client_install_write(c);
    }
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
    counted->stats.calls++;
    counted->stats.usec += duration;
    c->lastcmd = cmd;
    c->commands_processed++;
    srv->stat_numcommands++;
    if (srv->dirty > dirty_before && (cmd->flags & CMD_WRITE)) propagate_command(srv, c->db->id, c->argv, c->argc);
    if (srv->dirty > dirty_before) c->woff = repl_offset(srv); /* for WAIT */
    hooks_after_call(c, duration);
    c->realcmd = NULL;
}

void dispatch_command(client *c) {
    server *srv = c->srv;
    srv->current_client = c;
    commandDef *cmd = resolve(c);
    if (!cmd) {
        multi_flag_error(c);
        srv->current_client = NULL;
        return;
    }
    c->cmd = cmd;
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        reply_error(&c->reply, ERR_NOAUTH);
        srv->current_client = NULL;
        return;
    }
    int denied_pos = 0, denied = acl_check(c, cmd, c->argv, c->argc, &denied_pos);
    if (denied != ACL_OK) {
        acl_reply_denied(c, cmd, denied, denied_pos);
        multi_flag_error(c);
        srv->current_client = NULL;
        return;
    }
    if (c->resp == 2 && (c->flags & CLIENT_PUBSUB) && !allowed_in_subscriber_mode(cmd)) {
        reply_errorf(&c->reply, ERR_PUBSUB_CONTEXT, cmd->fullname);
        srv->current_client = NULL;
        return;
    }
    if (srv->paused_actions && !(c->flags & (CLIENT_MASTER | CLIENT_SLAVE)) &&
        (!srv->pause_write_only || is_write_like(cmd))) {
        c->flags |= CLIENT_PAUSED; /* argv stays; re-run on unpause */
        srv->current_client = NULL;
        return;
    }
    if (srv->masterhost_set && srv->replica_read_only && !(c->flags & CLIENT_MASTER) && (cmd->flags & CMD_WRITE)) {
        reply_error(&c->reply, ERR_READONLY);
        multi_flag_error(c);
        srv->current_client = NULL;
        return;
    }
    if (srv->maxmemory && !(c->flags & CLIENT_MASTER) && !srv->in_exec && evict_perform(srv) == -1 &&
        (cmd->flags & CMD_DENYOOM)) {
        reply_error(&c->reply, ERR_OOM);
        multi_flag_error(c);
        srv->current_client = NULL;
        return;
    }
    if (multi_should_queue(c, cmd)) {
        if (cmd->flags & CMD_NO_MULTI) {
            reply_error(&c->reply, "Command not allowed inside a transaction");
            multi_flag_error(c);
        } else {
            multi_queue(c);
        }
        srv->current_client = NULL;
        return;
    }
    dispatch_call(c);
    blocking_serve_ready(srv);
    srv->current_client = NULL;
}
