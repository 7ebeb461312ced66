/* server.c (commands): server administration commands. */
#include "commands/args.h"
#include "commands/families.h"
#include "server/client.h"
#include "server/server.h"

static void dbsize_command(client *c) { reply_long(&c->reply, (long long)dict_size(c->db->keys)); }

commandDef server_commands[] = {
    {"dbsize", dbsize_command, 1, "readonly fast", "@keyspace", NOKEYS, "server", "1.0.0",
     "Returns the number of keys in the database.", "O(1)"},
    {0}};
