/* connection.c: connection commands: PING, ECHO, QUIT, SELECT.
 * (HELLO, AUTH, CLIENT, RESET live here too as they are added.) */
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

static void ping_command(client *c) {
    if (c->argc > 2) {
        reply_arity_error(c);
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        reply_array(&c->reply, 2);
        reply_bulk(&c->reply, "pong", 4);
        if (c->argc == 1) reply_bulk(&c->reply, "", 0);
        else reply_bulk_sds(&c->reply, c->argv[1]);
        return;
    }
    if (c->argc == 1) reply_status(&c->reply, "PONG");
    else reply_bulk_sds(&c->reply, c->argv[1]);
}

static void echo_command(client *c) { reply_bulk_sds(&c->reply, c->argv[1]); }

static void quit_command(client *c) {
    reply_ok(&c->reply);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

static void select_command(client *c) {
    long long id;
    if (arg_ll(c, c->argv[1], &id, ERR_INVALID_DB) == -1) return;
    if (id < 0 || id >= c->srv->dbnum) {
        reply_error(&c->reply, ERR_DB_INDEX);
        return;
    }
    c->db = &c->srv->dbs[id];
    reply_ok(&c->reply);
}

commandDef connection_commands[] = {
    {"ping", ping_command, -1, "fast sentinel", "@connection", NOKEYS, "connection", "1.0.0",
     "Returns the server's liveliness response.", "O(1)", "request_policy:all_shards response_policy:all_succeeded"},
    {"echo", echo_command, 2, "fast", "@connection", NOKEYS, "connection", "1.0.0", "Returns the given string.",
     "O(1)"},
    {"quit", quit_command, -1, "allow_busy noscript loading stale fast no_auth", "@connection", NOKEYS,
     "connection", "1.0.0", "Closes the connection.", "O(1)"},
    {"select", select_command, 2, "loading stale fast", "@connection", NOKEYS, "connection", "1.0.0",
     "Changes the selected database.", "O(1)"},
    {0}};
