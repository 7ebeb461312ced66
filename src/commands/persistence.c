/* persistence.c: SAVE, BGSAVE and LASTSAVE-adjacent persistence commands.
 * The work itself lives in persist/snapshot.c; these handlers only check
 * arguments and state and reply as Redis does. */
#include "commands/args.h"
#include "commands/families.h"
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
    if (snapshot_in_progress(c->srv)) {
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

commandDef persistence_commands[] = {
    {"save", save_command, 1, "admin noscript no_async_loading no_multi", "@admin @slow @dangerous", NOKEYS,
     "server", "1.0.0", "Synchronously saves the database(s) to disk.",
     "O(N) where N is the total number of keys in all databases"},
    {"bgsave", bgsave_command, -1, "admin noscript no_async_loading", "@admin @slow @dangerous", NOKEYS, "server",
     "1.0.0", "Asynchronously saves the database(s) to disk.",
     "O(1)"},
    {0}};
