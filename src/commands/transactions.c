/* transactions.c: MULTI, EXEC, DISCARD, WATCH, UNWATCH. The queueing
 * itself happens in the dispatcher (server/multi.c decides what queues). */
#include "commands/args.h"
#include "commands/families.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/multi.h"
#include "server/server.h"

static void multi_command(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(&c->reply, ERR_MULTI_NESTED);
        return;
    }
    c->flags |= CLIENT_MULTI;
    reply_ok(&c->reply);
}

static void exec_command(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(&c->reply, ERR_EXEC_NO_MULTI);
        return;
    }
    if (c->flags & CLIENT_DIRTY_EXEC) {
        reply_error(&c->reply, ERR_EXECABORT);
        multi_discard(c);
        return;
    }
    if ((c->flags & CLIENT_DIRTY_CAS) || watch_any_expired(c)) {
        reply_null_array(&c->reply);
        multi_discard(c);
        return;
    }
    multi_exec(c, dispatch_call);
}

static void discard_command(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(&c->reply, ERR_DISCARD_NO_MULTI);
        return;
    }
    multi_discard(c);
    reply_ok(&c->reply);
}

static void watch_command(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(&c->reply, "WATCH inside MULTI is not allowed");
        return;
    }
    /* A dirty transaction can't become clean again: no need to watch more. */
    if (!(c->flags & CLIENT_DIRTY_CAS))
        for (int i = 1; i < c->argc; i++) watch_key(c, c->argv[i]);
    reply_ok(&c->reply);
}

static void unwatch_command(client *c) {
    watch_unwatch_all(c);
    c->flags &= ~CLIENT_DIRTY_CAS;
    reply_ok(&c->reply);
}

commandDef transaction_commands[] = {
    {"multi", multi_command, 1, "noscript loading stale fast allow_busy", "@transaction", NOKEYS, "transactions",
     "1.2.0", "Starts a transaction.", "O(1)"},
    {"exec", exec_command, 1, "noscript loading stale skip_slowlog", "@transaction", NOKEYS, "transactions", "1.2.0",
     "Executes all commands in a transaction.", "Depends on commands in the transaction"},
    {"discard", discard_command, 1, "noscript loading stale fast allow_busy", "@transaction", NOKEYS,
     "transactions", "2.0.0", "Discards a transaction.", "O(N), when N is the number of queued commands"},
    {"watch", watch_command, -2, "noscript loading stale fast allow_busy", "@transaction",
     {KEYS_RANGE("RO", 1, -1, 1, 0)}, "transactions", "2.2.0",
     "Monitors changes to keys to determine the execution of a transaction.", "O(1) for every key."},
    {"unwatch", unwatch_command, 1, "noscript loading stale fast allow_busy", "@transaction", NOKEYS,
     "transactions", "2.2.0", "Forgets about watched keys of a transaction.", "O(1)"},
    {0}};
