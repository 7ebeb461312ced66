/* acl.c (commands): the ACL command family. Users and checks live in
 * server/acl.c. */
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "server/acl.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

static void acl_setuser_command(client *c) {
    sds err = NULL;
    size_t len = sdslen(c->argv[2]);
    if (memchr(c->argv[2], ' ', len) || memchr(c->argv[2], '\0', len)) {
        reply_error(&c->reply, "Usernames can't contain spaces or null characters");
        return;
    }
    if (acl_setuser(c->srv, c->argv[2], c->argv + 3, c->argc - 3, &err) == -1) {
        reply_error(&c->reply, err);
        sdsfree(err);
        return;
    }
    reply_ok(&c->reply);
}

static void acl_getuser_command(client *c) { acl_reply_getuser(c, c->argv[2]); }

static void acl_deluser_command(client *c) {
    long long n = 0;
    for (int i = 2; i < c->argc; i++) {
        if (!strcmp(c->argv[i], "default")) {
            reply_error(&c->reply, "The 'default' user cannot be removed");
            return;
        }
    }
    for (int i = 2; i < c->argc; i++) n += acl_deluser(c->srv, c->argv[i]);
    reply_long(&c->reply, n);
}

static void acl_users_command(client *c) {
    long n;
    sds *names = acl_user_names(c->srv, &n);
    reply_array(&c->reply, n);
    for (long i = 0; i < n; i++) reply_bulk_sds(&c->reply, names[i]);
    zfree(names);
}

static void acl_list_command(client *c) {
    long n;
    sds *names = acl_user_names(c->srv, &n);
    reply_array(&c->reply, n);
    for (long i = 0; i < n; i++) {
        sds d = acl_describe(c->srv, names[i]);
        reply_bulk_sds(&c->reply, d);
        sdsfree(d);
    }
    zfree(names);
}

static void acl_whoami_command(client *c) { reply_bulk_cstr(&c->reply, c->user ? c->user : "default"); }

typedef struct catList {
    client *c;
    int bit;
    long n;
} catList;

static void list_in_category(commandDef *cmd, void *ctx) {
    catList *cl = ctx;
    if (cmd->acl_categories & (1ULL << cl->bit)) {
        reply_bulk_sds(&cl->c->reply, cmd->fullname);
        cl->n++;
    }
    if (cmd->subcommands)
        for (commandDef *s = cmd->subcommands; s->name; s++)
            if (s->acl_categories & (1ULL << cl->bit)) {
                reply_bulk_sds(&cl->c->reply, s->fullname);
                cl->n++;
            }
}

static void acl_cat_command(client *c) {
    if (c->argc == 2) {
        int n = acl_category_count();
        reply_array(&c->reply, n);
        for (int i = 0; i < n; i++) reply_bulk_cstr(&c->reply, acl_category_name(i));
        return;
    }
    int bit = acl_category_bit(c->argv[2]);
    if (bit < 0) {
        reply_errorf(&c->reply, "Unknown category '%.128s'", c->argv[2]);
        return;
    }
    catList cl = {c, bit, 0};
    void *h = reply_defer(&c->reply);
    command_foreach(list_in_category, &cl);
    reply_set_array(&c->reply, h, cl.n);
}

static void acl_genpass_command(client *c) {
    long long bits = 256;
    if (c->argc == 3 && arg_ll(c, c->argv[2], &bits, NULL) == -1) return;
    if (bits <= 0 || bits > 4096) {
        reply_error(&c->reply, "ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
        return;
    }
    long chars = (long)((bits + 3) / 4);
    char *buf = zmalloc((size_t)chars + 1);
    random_hex(buf, (size_t)chars);
    reply_bulk(&c->reply, buf, (size_t)chars);
    zfree(buf);
}

static void acl_log_command(client *c) {
    long long count = 10;
    if (c->argc == 3) {
        if (arg_is(c->argv[2], "reset")) {
            acl_log_reset(c->srv);
            reply_ok(&c->reply);
            return;
        }
        if (arg_ll(c, c->argv[2], &count, NULL) == -1) return;
    }
    acl_reply_log(c, (long)count);
}

static void acl_dryrun_command(client *c) {
    sds why = NULL;
    int rc = acl_dryrun(c, c->argv[2], c->argv + 3, c->argc - 3, &why);
    if (rc == 1) reply_ok(&c->reply);
    else if (rc == 0) reply_bulk_sds(&c->reply, why);
    else reply_error(&c->reply, why);
    sdsfree(why);
}

static void acl_file_command(client *c) {
    reply_error(&c->reply, "This Redis instance is not configured to use an ACL file. You may want to specify users via "
                           "the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                           "configuration file set) in order to store users in the Redis configuration.");
}

static void acl_help_command(client *c) {
    static const char *lines[] = {
        "CAT [<category>]", "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]", "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]", "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>", "    Get the user's details.",
        "GENPASS [<bits>]", "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST", "    Show users details in config file format.",
        "LOAD", "    Reload users from the ACL file.",
        "LOG [<count> | RESET]", "    Show the ACL log entries.",
        "SAVE", "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]", "    Create or modify a user with the specified attributes.",
        "USERS", "    List all the registered usernames.",
        "WHOAMI", "    Return the current connection username.",
        NULL};
    reply_help(&c->reply, "ACL", lines);
}

static void acl_container(client *c) { reply_subcommand_error(c); }

#define SUB(n, p, a, f, s) {n, p, a, f, "", NOKEYS, "server", "6.0.0", s, "O(1)"}
static commandDef acl_subcommands[] = {
    SUB("cat", acl_cat_command, -2, "noscript loading stale", "Lists the ACL categories, or the commands inside a category."),
    SUB("deluser", acl_deluser_command, -3, "admin noscript loading stale", "Deletes ACL users, and terminates their connections."),
    SUB("dryrun", acl_dryrun_command, -4, "admin noscript loading stale", "Simulates the execution of a command by a user, without executing the command."),
    SUB("genpass", acl_genpass_command, -2, "noscript loading stale", "Generates a pseudorandom, secure password that can be used to identify ACL users."),
    SUB("getuser", acl_getuser_command, 3, "admin noscript loading stale", "Lists the ACL rules of a user."),
    SUB("help", acl_help_command, 2, "loading stale", "Returns helpful text about the different subcommands."),
    SUB("list", acl_list_command, 2, "admin noscript loading stale", "Dumps the effective rules in ACL file format."),
    SUB("load", acl_file_command, 2, "admin noscript loading stale", "Reloads the rules from the configured ACL file."),
    SUB("log", acl_log_command, -2, "admin noscript loading stale", "Lists recent security events generated due to ACL rules."),
    SUB("save", acl_file_command, 2, "admin noscript loading stale", "Saves the effective ACL rules in the configured ACL file."),
    SUB("setuser", acl_setuser_command, -3, "admin noscript loading stale", "Creates and modifies an ACL user and its rules."),
    SUB("users", acl_users_command, 2, "admin noscript loading stale", "Lists all ACL users."),
    SUB("whoami", acl_whoami_command, 2, "noscript loading stale", "Returns the authenticated username of the current connection."),
    {0}};

commandDef acl_commands[] = {
    {"acl", acl_container, -2, "sentinel", "", NOKEYS, "server", "6.0.0", "A container for Access List Control commands.",
     "Depends on subcommand.", NULL, acl_subcommands},
    {0}};
