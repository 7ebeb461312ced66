/* strings.c: the string command family (GET, SET and friends). */
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "db/db.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

/* Replies the string value of o, or the WRONGTYPE error. */
static int reply_string_value(client *c, kvobj *o) {
    if (o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    reply_bulk(&c->reply, p, len);
    return 0;
}

static void get_command(client *c) {
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (!o) reply_null(&c->reply);
    else reply_string_value(c, o);
}

static void set_command(client *c) {
    db_set(c->db, c->argv[1], value_string(c->argv[2], sdslen(c->argv[2])), 0);
    c->srv->dirty++;
    reply_ok(&c->reply);
}

commandDef string_commands[] = {
    {"get", get_command, 2, "readonly fast", "@string", KEY1("RO ACCESS"), "string", "1.0.0",
     "Returns the string value of a key.", "O(1)"},
    {"set", set_command, -3, "write denyoom", "@string", KEY1("RW ACCESS UPDATE VARIABLE_FLAGS"), "string",
     "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "O(1)"},
    {0}};
