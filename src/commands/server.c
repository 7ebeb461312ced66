/* server.c (commands): server administration commands. */
#include "commands/args.h"
#include "commands/families.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/server.h"

static void dbsize_command(client *c) { reply_long(&c->reply, (long long)dict_size(c->db->keys)); }

/* SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Stash never waits for
 * lagging replicas (it flushes what is queued for them and exits), so
 * there is no shutdown in progress for ABORT to stop. */
static void shutdown_command(client *c) {
    int flags = SHUTDOWN_NOFLAGS, abort = 0;
    for (int j = 1; j < c->argc; j++) {
        if (arg_is(c->argv[j], "nosave"))
            flags |= SHUTDOWN_NOSAVE;
        else if (arg_is(c->argv[j], "save"))
            flags |= SHUTDOWN_SAVE;
        else if (arg_is(c->argv[j], "now"))
            flags |= SHUTDOWN_NOW;
        else if (arg_is(c->argv[j], "force"))
            flags |= SHUTDOWN_FORCE;
        else if (arg_is(c->argv[j], "abort"))
            abort = 1;
        else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    if ((abort && flags != SHUTDOWN_NOFLAGS) || ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (abort) {
        if (!c->srv->shutdown_asap) {
            reply_error(&c->reply, "No shutdown in progress.");
            return;
        }
        c->srv->shutdown_asap = 0; /* a signal's shutdown not yet acted on */
        LOG(c->srv, LL_WARNING, "Shutdown manually aborted.");
        reply_ok(&c->reply);
        return;
    }
    if (!(flags & SHUTDOWN_NOSAVE) && c->srv->in_script) {
        reply_error(&c->reply, "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        return;
    }
    if (server_shutdown(c->srv, flags) == -1) reply_error(&c->reply, "Errors trying to SHUTDOWN. Check logs.");
}

commandDef server_commands[] = {
    {"dbsize", dbsize_command, 1, "readonly fast", "@keyspace", NOKEYS, "server", "1.0.0",
     "Returns the number of keys in the database.", "O(1)"},
    {"shutdown", shutdown_command, -1, "admin noscript loading stale no_multi sentinel allow_busy", "", NOKEYS,
     "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.",
     "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
     NULL},
    {0}};
