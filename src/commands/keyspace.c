/* keyspace.c: generic key commands (DEL, EXISTS, ...). */
#include "commands/args.h"
#include "commands/families.h"
#include "db/db.h"
#include "server/client.h"
#include "server/server.h"

static void del_command(client *c) {
    long long n = 0;
    for (int i = 1; i < c->argc; i++) {
        db_lookup(c->db, c->argv[i], LOOKUP_WRITE); /* expire first, as Redis does */
        if (db_delete(c->db, c->argv[i])) {
            db_signal_modified(c->db, c->argv[i]);
            c->srv->dirty++;
            n++;
        }
    }
    reply_long(&c->reply, n);
}

commandDef keyspace_commands[] = {
    {"del", del_command, -2, "write", "@keyspace", {KEYS_RANGE("RM DELETE", 1, -1, 1, 0)}, "generic", "1.0.0",
     "Deletes one or more keys.", "O(N) where N is the number of keys that will be removed."},
    {0}};
