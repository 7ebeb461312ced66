/* connection.c: the connection commands: PING, ECHO, QUIT, SELECT, HELLO,
 * AUTH, RESET and the CLIENT family (ID, SETNAME, GETNAME, SETINFO, INFO,
 * LIST, KILL, REPLY, NO-EVICT, NO-TOUCH, PAUSE, UNPAUSE, UNBLOCK,
 * GETREDIR, TRACKINGINFO, HELP).
 *
 * Handlers only parse and reply; the state they change lives elsewhere:
 * client.c (names, RESET, reply silencing, the CLIENT LIST line), dispatch.c
 * (CLIENT PAUSE), acl.c (who may log in). Replies and error texts are
 * Redis 7.2's. CLIENT KILL also accepts MAXAGE (Redis 7.4). A client that
 * kills itself gets its reply first: it is closed once the reply is sent. */
#include <limits.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "proto/errors.h"
#include "server/acl.h"
#include "server/blocking.h"
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
        if (c->argc == 1)
            reply_bulk(&c->reply, "", 0);
        else
            reply_bulk_sds(&c->reply, c->argv[1]);
        return;
    }
    if (c->argc == 1)
        reply_status(&c->reply, "PONG");
    else
        reply_bulk_sds(&c->reply, c->argv[1]);
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

/* ---- authentication */

/* Logs c in as user; on failure replies WRONGPASS and records it in the
 * ACL log. Returns 1 on success. */
static int login(client *c, const sds user, const sds pass) {
    if (!acl_authenticate(c->srv, user, pass)) {
        acl_log_auth_failure(c, user);
        reply_error(&c->reply, ERR_WRONGPASS);
        return 0;
    }
    c->authenticated = 1;
    c->parser.unauthenticated = 0;
    sdsfree(c->user);
    c->user = sdsdup(user);
    return 1;
}

/* AUTH <password> | AUTH <username> <password> */
static void auth_command(client *c) {
    if (c->argc > 3) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (c->argc == 2 && !acl_default_needs_auth(c->srv)) {
        reply_error(&c->reply, ERR_AUTH_NOPASS);
        return;
    }
    sds user = c->argc == 2 ? sdsnew("default") : sdsdup(c->argv[1]);
    if (login(c, user, c->argv[c->argc - 1])) reply_ok(&c->reply);
    sdsfree(user);
}

static void reply_hello_map(client *c) {
    static const char *fields[] = {"server", "version", "proto", "id", "mode", "role", "modules"};
    replyBuf *rb = &c->reply;
    reply_map(rb, 7);
    reply_bulk_cstr(rb, fields[0]);
    reply_bulk_cstr(rb, "redis");
    reply_bulk_cstr(rb, fields[1]);
    reply_bulk_cstr(rb, REDIS_COMPAT_VERSION);
    reply_bulk_cstr(rb, fields[2]);
    reply_long(rb, c->resp);
    reply_bulk_cstr(rb, fields[3]);
    reply_long(rb, (long long)c->id);
    reply_bulk_cstr(rb, fields[4]);
    reply_bulk_cstr(rb, "standalone");
    reply_bulk_cstr(rb, fields[5]);
    reply_bulk_cstr(rb, c->srv->masterhost_set ? "replica" : "master");
    reply_bulk_cstr(rb, fields[6]);
    reply_empty_array(rb);
}

/* HELLO [protover [AUTH username password] [SETNAME clientname]] */
static void hello_command(client *c) {
    long long ver = 0;
    int j = 1;
    if (c->argc >= 2) {
        if (arg_ll(c, c->argv[j++], &ver, "Protocol version is not an integer or out of range") == -1) return;
        if (ver < 2 || ver > 3) {
            reply_error(&c->reply, ERR_NOPROTO);
            return;
        }
    }
    sds user = NULL, pass = NULL, name = NULL;
    for (; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (arg_is(c->argv[j], "auth") && more >= 2) {
            user = c->argv[j + 1];
            pass = c->argv[j + 2];
            j += 2;
        } else if (arg_is(c->argv[j], "setname") && more) {
            name = c->argv[++j];
            if (!client_valid_attr(name)) {
                reply_error(&c->reply, ERR_CLIENT_NAME);
                return;
            }
        } else {
            reply_errorf(&c->reply, "Syntax error in HELLO option '%s'", c->argv[j]);
            return;
        }
    }
    if (user && !login(c, user, pass)) return;
    if (client_auth_required(c)) {
        reply_error(&c->reply, ERR_HELLO_NOAUTH);
        return;
    }
    if (name) client_set_name(c, name);
    if (ver) client_set_protocol(c, (int)ver);
    reply_hello_map(c);
}

static void reset_command(client *c) {
    uint64_t flags = c->flags;
    if (flags & CLIENT_MONITOR) flags &= ~(CLIENT_MONITOR | CLIENT_SLAVE);
    if (flags & (CLIENT_SLAVE | CLIENT_MASTER)) {
        reply_error(&c->reply, "can only reset normal client connections");
        return;
    }
    client_reset_connection(c);
    reply_status(&c->reply, "RESET");
}

/* ---- CLIENT */

static void client_id_command(client *c) { reply_long(&c->reply, (long long)c->id); }

static void client_setname_command(client *c) {
    if (!client_valid_attr(c->argv[2])) {
        reply_error(&c->reply, ERR_CLIENT_NAME);
        return;
    }
    client_set_name(c, c->argv[2]);
    reply_ok(&c->reply);
}

static void client_getname_command(client *c) {
    if (c->name)
        reply_bulk_sds(&c->reply, c->name);
    else
        reply_null(&c->reply);
}

static void client_setinfo_command(client *c) {
    sds attr = c->argv[2], val = c->argv[3];
    sds *dest;
    if (arg_is(attr, "lib-name"))
        dest = &c->lib_name;
    else if (arg_is(attr, "lib-ver"))
        dest = &c->lib_ver;
    else {
        reply_errorf(&c->reply, "Unrecognized option '%s'", attr);
        return;
    }
    if (!client_valid_attr(val)) {
        reply_errorf(&c->reply, "%s cannot contain spaces, newlines or special characters.", attr);
        return;
    }
    sdsfree(*dest);
    *dest = sdslen(val) ? sdsdup(val) : NULL;
    reply_ok(&c->reply);
}

static void client_info_command(client *c) {
    sds o = client_info_string(sdsempty(), c);
    o = sdscatlen(o, "\n", 1);
    reply_verbatim(&c->reply, o, sdslen(o), "txt");
    sdsfree(o);
}

/* CLIENT LIST [TYPE type] | CLIENT LIST ID id [id ...] */
static void client_list_command(client *c) {
    sds o = NULL;
    int type = -1;
    if (c->argc == 4 && arg_is(c->argv[2], "type")) {
        type = client_type_by_name(c->argv[3]);
        if (type == -1) {
            reply_errorf(&c->reply, ERR_CLIENT_TYPE, c->argv[3]);
            return;
        }
    } else if (c->argc > 3 && arg_is(c->argv[2], "id")) {
        o = sdsempty();
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (arg_ll(c, c->argv[j], &id, "Invalid client ID") == -1) {
                sdsfree(o);
                return;
            }
            client *cl = client_lookup_by_id(c->srv, (uint64_t)id);
            if (cl) o = sdscatlen(client_info_string(o, cl), "\n", 1);
        }
    } else if (c->argc != 2) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (!o) o = client_list_string(c->srv, type);
    reply_verbatim(&c->reply, o, sdslen(o), "txt");
    sdsfree(o);
}

/* CLIENT KILL filters; unset fields match everything. */
typedef struct killFilter {
    const char *addr, *laddr, *user;
    int type;
    uint64_t id;
    long long maxage; /* seconds, 0 = any age */
    int skipme;
} killFilter;

/* Parses the new form's <option> <value> pairs; replies and returns -1 on
 * a bad one. */
static int parse_kill_filter(client *c, killFilter *f) {
    for (int i = 2; i < c->argc; i += 2) {
        const sds opt = c->argv[i];
        if (i + 1 >= c->argc) {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
        const sds val = c->argv[i + 1];
        long long n;
        if (arg_is(opt, "id")) {
            if (arg_ll_range(c, val, 1, LONG_MAX, &n, "client-id should be greater than 0") == -1) return -1;
            f->id = (uint64_t)n;
        } else if (arg_is(opt, "type")) {
            if ((f->type = client_type_by_name(val)) == -1) {
                reply_errorf(&c->reply, ERR_CLIENT_TYPE, val);
                return -1;
            }
        } else if (arg_is(opt, "addr")) {
            f->addr = val;
        } else if (arg_is(opt, "laddr")) {
            f->laddr = val;
        } else if (arg_is(opt, "user")) {
            sds rules = acl_describe(c->srv, val);
            if (!rules) {
                reply_errorf(&c->reply, "No such user '%s'", val);
                return -1;
            }
            sdsfree(rules);
            f->user = val;
        } else if (arg_is(opt, "skipme") && (arg_is(val, "yes") || arg_is(val, "no"))) {
            f->skipme = arg_is(val, "yes");
        } else if (arg_is(opt, "maxage")) {
            if (arg_ll_range(c, val, 1, LLONG_MAX, &n, "maxage should be greater than 0") == -1) return -1;
            f->maxage = n;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

static int kill_matches(const killFilter *f, client *self, client *cl) {
    if (f->addr && strcmp(cl->addr, f->addr)) return 0;
    if (f->laddr && strcmp(cl->laddr, f->laddr)) return 0;
    if (f->type != -1 && client_type(cl) != f->type) return 0;
    if (f->id && cl->id != f->id) return 0;
    if (f->user && strcmp(cl->user ? cl->user : "default", f->user)) return 0;
    if (f->maxage && (self->srv->mstime - cl->ctime) / 1000 < f->maxage) return 0;
    return !(cl == self && f->skipme);
}

/* CLIENT KILL addr:port | CLIENT KILL <filter> <value> ... */
static void client_kill_command(client *c) {
    killFilter f = {.type = -1, .skipme = 1};
    int old_form = c->argc == 3;
    if (old_form) {
        f.addr = c->argv[2];
        f.skipme = 0; /* the old form may kill the caller itself */
    } else if (parse_kill_filter(c, &f) == -1) {
        return;
    }
    long long killed = 0;
    int kill_self = 0;
    for (client *cl = c->srv->clients, *next; cl; cl = next) {
        next = cl->next;
        if (!kill_matches(&f, c, cl)) continue;
        if (cl == c)
            kill_self = 1;
        else
            client_kill(cl);
        killed++;
    }
    if (!old_form)
        reply_long(&c->reply, killed);
    else if (killed)
        reply_ok(&c->reply);
    else
        reply_error(&c->reply, "No such client");
    if (kill_self) c->flags |= CLIENT_CLOSE_AFTER_REPLY; /* after the reply is queued */
}

/* CLIENT REPLY ON|OFF|SKIP: OFF and SKIP answer nothing. */
static void client_reply_command(client *c) {
    const sds mode = c->argv[2];
    if (arg_is(mode, "on")) {
        client_set_reply_mode(c, 0, CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        reply_ok(&c->reply);
    } else if (arg_is(mode, "off")) {
        client_set_reply_mode(c, CLIENT_REPLY_OFF, 0);
    } else if (arg_is(mode, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) client_set_reply_mode(c, CLIENT_REPLY_SKIP_NEXT, 0);
    } else {
        reply_error(&c->reply, ERR_SYNTAX);
    }
}

/* CLIENT NO-EVICT / NO-TOUCH: ON sets the flag, OFF clears it. */
static void switch_flag(client *c, uint64_t flag) {
    if (arg_is(c->argv[2], "on"))
        c->flags |= flag;
    else if (arg_is(c->argv[2], "off"))
        c->flags &= ~flag;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    reply_ok(&c->reply);
}

static void client_no_evict_command(client *c) { switch_flag(c, CLIENT_NO_EVICT); }
static void client_no_touch_command(client *c) { switch_flag(c, CLIENT_NO_TOUCH); }

/* CLIENT PAUSE timeout [WRITE|ALL]: timeout in milliseconds. */
static void client_pause_command(client *c) {
    int write_only = 0;
    if (c->argc == 4) {
        if (arg_is(c->argv[3], "write")) {
            write_only = 1;
        } else if (!arg_is(c->argv[3], "all")) {
            reply_error(&c->reply, "CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long ms, now = c->srv->mstime;
    if (arg_ll(c, c->argv[2], &ms, ERR_TIMEOUT_INVALID) == -1) return;
    if (ms < 0) {
        reply_error(&c->reply, ERR_TIMEOUT_NEG);
        return;
    }
    if (ms > LLONG_MAX - now) {
        reply_error(&c->reply, "timeout is out of range");
        return;
    }
    dispatch_pause(c->srv, ms ? now + ms : 0, write_only);
    reply_ok(&c->reply);
}

static void client_unpause_command(client *c) {
    dispatch_unpause(c->srv);
    reply_ok(&c->reply);
}

/* CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if a blocked client was released. */
static void client_unblock_command(client *c) {
    int how = UNBLOCK_TIMEOUT;
    if (c->argc == 4) {
        if (arg_is(c->argv[3], "error"))
            how = UNBLOCK_ERROR;
        else if (!arg_is(c->argv[3], "timeout")) {
            reply_error(&c->reply, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    long long id;
    if (arg_ll(c, c->argv[2], &id, NULL) == -1) return;
    client *target = client_lookup_by_id(c->srv, (uint64_t)id);
    int released = 0;
    if (target && (target->flags & CLIENT_BLOCKED)) {
        blocking_unblock(target, how);
        released = !(target->flags & CLIENT_BLOCKED);
    }
    reply_long(&c->reply, released);
}

/* Client-side caching is not supported: a connection never tracks. */
static void client_getredir_command(client *c) { reply_long(&c->reply, -1); }

static void client_trackinginfo_command(client *c) {
    reply_map(&c->reply, 3);
    reply_bulk_cstr(&c->reply, "flags");
    reply_set(&c->reply, 1);
    reply_bulk_cstr(&c->reply, "off");
    reply_bulk_cstr(&c->reply, "redirect");
    reply_long(&c->reply, -1);
    reply_bulk_cstr(&c->reply, "prefixes");
    reply_empty_array(&c->reply);
}

static void client_help_command(client *c) {
    static const char *lines[] = {"GETNAME",
                                  "    Return the name of the current connection.",
                                  "GETREDIR",
                                  "    Return the client ID we are redirecting to when tracking is enabled.",
                                  "ID",
                                  "    Return the ID of the current connection.",
                                  "INFO",
                                  "    Return information about the current client connection.",
                                  "KILL <ip:port>",
                                  "    Kill connection made from <ip:port>.",
                                  "KILL <option> <value> [<option> <value> [...]]",
                                  "    Kill connections. Options are:",
                                  "    * ADDR (<ip:port>|<unixsocket>:0)",
                                  "      Kill connections made from the specified address",
                                  "    * LADDR (<ip:port>|<unixsocket>:0)",
                                  "      Kill connections made to specified local address",
                                  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                                  "      Kill connections by type.",
                                  "    * USER <username>",
                                  "      Kill connections authenticated by <username>.",
                                  "    * SKIPME (YES|NO)",
                                  "      Skip killing current connection (default: yes).",
                                  "    * ID <client-id>",
                                  "      Kill connections by client id.",
                                  "    * MAXAGE <maxage>",
                                  "      Kill connections older than the specified age.",
                                  "LIST [options ...]",
                                  "    Return information about client connections. Options:",
                                  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                                  "      Return clients of specified type.",
                                  "UNPAUSE",
                                  "    Stop the current client pause, resuming traffic.",
                                  "PAUSE <timeout> [WRITE|ALL]",
                                  "    Suspend all, or just write, clients for <timeout> milliseconds.",
                                  "REPLY (ON|OFF|SKIP)",
                                  "    Control the replies sent to the current connection.",
                                  "SETNAME <name>",
                                  "    Assign the name <name> to the current connection.",
                                  "SETINFO <option> <value>",
                                  "    Set client meta attr. Options are:",
                                  "    * LIB-NAME: the client lib name.",
                                  "    * LIB-VER: the client lib version.",
                                  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                                  "    Unblock the specified blocked client.",
                                  "TRACKINGINFO",
                                  "    Report tracking status for the current connection.",
                                  "NO-EVICT (ON|OFF)",
                                  "    Protect current client connection from eviction.",
                                  "NO-TOUCH (ON|OFF)",
                                  "    Will not touch LRU/LFU stats when this mode is on.",
                                  NULL};
    reply_help(&c->reply, "CLIENT", lines);
}

static void client_container(client *c) { reply_subcommand_error(c); }

#define CLIENT_SUB(n, p, a, f, since, sum, cx, tips)                                                         \
    { n, p, a, f, "@connection", NOKEYS, "connection", since, sum, cx, tips }
#define CLIENT_FLAGS "noscript loading stale sentinel"
#define CLIENT_ADMIN "admin noscript loading stale sentinel"
#define ALL_NODES "request_policy:all_nodes response_policy:all_succeeded"
static commandDef client_subcommands[] = {
    CLIENT_SUB("getname", client_getname_command, 2, CLIENT_FLAGS, "2.6.9",
               "Returns the name of the connection.", "O(1)", NULL),
    CLIENT_SUB("getredir", client_getredir_command, 2, CLIENT_FLAGS, "6.0.0",
               "Returns the client ID to which the connection's tracking notifications are redirected.",
               "O(1)", NULL),
    CLIENT_SUB("help", client_help_command, 2, "loading stale sentinel", "5.0.0",
               "Returns helpful text about the different subcommands.", "O(1)", NULL),
    CLIENT_SUB("id", client_id_command, 2, CLIENT_FLAGS, "5.0.0",
               "Returns the unique client ID of the connection.", "O(1)", NULL),
    CLIENT_SUB("info", client_info_command, 2, CLIENT_FLAGS, "6.2.0",
               "Returns information about the connection.", "O(1)", "nondeterministic_output"),
    CLIENT_SUB("kill", client_kill_command, -3, CLIENT_ADMIN, "2.4.0", "Terminates open connections.",
               "O(N) where N is the number of client connections", NULL),
    CLIENT_SUB("list", client_list_command, -2, CLIENT_ADMIN, "2.4.0", "Lists open connections.",
               "O(N) where N is the number of client connections", "nondeterministic_output"),
    CLIENT_SUB("no-evict", client_no_evict_command, 3, CLIENT_ADMIN, "7.0.0",
               "Sets the client eviction mode of the connection.", "O(1)", NULL),
    CLIENT_SUB("no-touch", client_no_touch_command, 3, "noscript loading stale", "7.2.0",
               "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "O(1)",
               NULL),
    CLIENT_SUB("pause", client_pause_command, -3, CLIENT_ADMIN, "3.0.0", "Suspends commands processing.",
               "O(1)", NULL),
    CLIENT_SUB("reply", client_reply_command, 3, CLIENT_FLAGS, "3.2.0",
               "Instructs the server whether to reply to commands.", "O(1)", NULL),
    CLIENT_SUB("setinfo", client_setinfo_command, 4, CLIENT_FLAGS, "7.2.0",
               "Sets information specific to the client or connection.", "O(1)", ALL_NODES),
    CLIENT_SUB("setname", client_setname_command, 3, CLIENT_FLAGS, "2.6.9", "Sets the connection name.",
               "O(1)", ALL_NODES),
    CLIENT_SUB("trackinginfo", client_trackinginfo_command, 2, CLIENT_FLAGS, "6.2.0",
               "Returns information about server-assisted client-side caching for the connection.", "O(1)",
               NULL),
    CLIENT_SUB("unblock", client_unblock_command, -3, CLIENT_ADMIN, "5.0.0",
               "Unblocks a client blocked by a blocking command from a different connection.",
               "O(log N) where N is the number of client connections", NULL),
    CLIENT_SUB("unpause", client_unpause_command, 2, CLIENT_ADMIN, "6.2.0",
               "Resumes processing commands from paused clients.",
               "O(N) Where N is the number of paused clients", NULL),
    {0}};

#define AUTH_FLAGS "noscript loading stale fast no_auth sentinel allow_busy"
commandDef connection_commands[] = {
    {"ping", ping_command, -1, "fast sentinel", "@connection", NOKEYS, "connection", "1.0.0",
     "Returns the server's liveliness response.", "O(1)",
     "request_policy:all_shards response_policy:all_succeeded"},
    {"echo", echo_command, 2, "loading stale fast", "@connection", NOKEYS, "connection", "1.0.0",
     "Returns the given string.", "O(1)"},
    {"quit", quit_command, -1, "allow_busy noscript loading stale fast no_auth", "@connection", NOKEYS,
     "connection", "1.0.0", "Closes the connection.", "O(1)"},
    {"select", select_command, 2, "loading stale fast", "@connection", NOKEYS, "connection", "1.0.0",
     "Changes the selected database.", "O(1)"},
    {"hello", hello_command, -1, AUTH_FLAGS, "@connection", NOKEYS, "connection", "6.0.0",
     "Handshakes with the Redis server.", "O(1)"},
    {"auth", auth_command, -2, AUTH_FLAGS, "@connection", NOKEYS, "connection", "1.0.0",
     "Authenticates the connection.", "O(N) where N is the number of passwords defined for the user"},
    {"reset", reset_command, 1, "noscript loading stale fast no_auth allow_busy", "@connection", NOKEYS,
     "connection", "6.2.0", "Resets the connection.", "O(1)"},
    {"client", client_container, -2, "sentinel", "", NOKEYS, "connection", "2.4.0",
     "A container for client connection commands.", "Depends on subcommand.", NULL, client_subcommands},
    {0}};
