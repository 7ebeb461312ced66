/* persistence.c: SAVE, BGSAVE and LASTSAVE-adjacent persistence commands.
 * The work itself lives in persist/snapshot.c; these handlers only check
 * arguments and state and reply as Redis does. */
#include "commands/args.h"
#include "commands/families.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "server/client.h"
#include "server/server.h"

static void save_command(client *c) {
    if (snapshot_in_progress(c->srv)) {
        reply_error(&c->reply, "Background save already in progress");
        return;
    }
    if (snapshot_save(c->srv) == 0) reply_ok(&c->reply);
    else reply_error(&c->reply, "-ERR");
}

static void bgsave_command(client *c) {
    int schedule = 0;
    if (c->argc > 1) {
        if (c->argc == 2 && arg_is(c->argv[1], "schedule")) {
            schedule = 1;
        } else {
            reply_error(&c->reply, "syntax error");
            return;
        }
    }
    snapshot_init(c->srv);
    snapshot *s = c->srv->persist;
    if (snapshot_in_progress(c->srv) || aof_rewrite_in_progress(c->srv)) {
        if (aof_rewrite_in_progress(c->srv) && !schedule) {
            reply_error(&c->reply, "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
                                   "SCHEDULE in order to schedule a BGSAVE whenever possible.");
            return;
        }
        if (schedule) {
            s->bgsave_scheduled = 1;
            reply_status(&c->reply, "Background saving scheduled");
        } else {
            reply_error(&c->reply, "Background save already in progress");
        }
        return;
    }
    if (snapshot_bgsave(c->srv) == 0) reply_status(&c->reply, "Background saving started");
    else reply_error(&c->reply, "-ERR");
}

static void bgrewriteaof_command(client *c) {
    server *srv = c->srv;
    if (aof_rewrite_in_progress(srv)) {
        reply_error(&c->reply, "Background append only file rewriting already in progress");
    } else if (snapshot_in_progress(srv)) {
        aof_schedule_rewrite(srv);
        reply_status(&c->reply, "Background append only file rewriting scheduled");
    } else if (aof_rewrite_background(srv) == 0) {
        reply_status(&c->reply, "Background append only file rewriting started");
    } else {
        reply_error(&c->reply, "Can't execute an AOF background rewriting. Please check the server logs for more "
                               "information.");
    }
}

commandDef persistence_commands[] = {
    {"bgrewriteaof", bgrewriteaof_command, 1, "admin noscript no_async_loading", "@admin @slow @dangerous", NOKEYS,
     "server", "1.0.0", "Asynchronously rewrites the append-only file to disk.", "O(1)"},
    {"save", save_command, 1, "admin noscript no_async_loading no_multi", "@admin @slow @dangerous", NOKEYS,
     "server", "1.0.0", "Synchronously saves the database(s) to disk.",
     "O(N) where N is the total number of keys in all databases"},
    {"bgsave", bgsave_command, -1, "admin noscript no_async_loading", "@admin @slow @dangerous", NOKEYS, "server",
     "1.0.0", "Asynchronously saves the database(s) to disk.",
     "O(1)"},
    {0}};
