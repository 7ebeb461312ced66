/* introspection.c: commands that describe the server to its clients and
 * operators: COMMAND (the table, for redis-cli and client libraries),
 * INFO, TIME, LASTSAVE, SLOWLOG, LATENCY and MONITOR. The data they show
 * is kept elsewhere (command table, info.c, cmdlog.c, latency.c); these
 * are the reply formats, as Redis 7.2 gives them. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/cmdlog.h"
#include "server/dispatch.h"
#include "server/info.h"
#include "server/latency.h"
#include "server/server.h"

/* ---- COMMAND */

/* Flags Redis lists in COMMAND INFO (may_replicate, sentinel, only_sentinel,
 * protected and touches_arbitrary_keys are hidden on purpose). */
static const uint64_t shown_flags = ~(CMD_MAY_REPLICATE | CMD_SENTINEL | CMD_ONLY_SENTINEL | CMD_PROTECTED |
                                      CMD_TOUCHES_ARBITRARY_KEYS);

static void reply_status_set(replyBuf *rb, uint64_t bits, const char *(*name)(int), const char *prefix) {
    int n = 0;
    for (int b = 0; b < 64; b++)
        if ((bits >> b & 1) && name(b)) n++;
    reply_set(rb, n);
    for (int b = 0; b < 64; b++) {
        if (!(bits >> b & 1) || !name(b)) continue;
        if (prefix) {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s%s", prefix, name(b));
            reply_status(rb, buf);
        } else {
            reply_status(rb, name(b));
        }
    }
}

static const char *keyspec_flag_name(int bit) {
    static const char *names[] = {"RO",     "RW",     "OW",      "RM",         "access",        "update",
                                  "insert", "delete", "not_key", "incomplete", "variable_flags"};
    return bit >= 0 && bit < 11 ? names[bit] : NULL;
}

static void reply_tips(replyBuf *rb, const char *tips) {
    int n = 0;
    for (const char *p = tips; p && *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        n++;
        while (*p && *p != ' ') p++;
    }
    reply_set(rb, n);
    for (const char *p = tips; p && *p;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if (e > p) reply_bulk(rb, p, (size_t)(e - p));
        p = e;
    }
}

static void reply_kv_long(replyBuf *rb, const char *k, long long v) {
    reply_bulk_cstr(rb, k);
    reply_long(rb, v);
}

static void reply_keyspec(replyBuf *rb, const keySpec *ks) {
    reply_map(rb, 3);
    reply_bulk_cstr(rb, "flags");
    reply_status_set(rb, ks->flags, keyspec_flag_name, NULL);
    reply_bulk_cstr(rb, "begin_search");
    reply_map(rb, 2);
    reply_bulk_cstr(rb, "type");
    if (ks->begin_type == KSB_INDEX) {
        reply_bulk_cstr(rb, "index");
        reply_bulk_cstr(rb, "spec");
        reply_map(rb, 1);
        reply_kv_long(rb, "index", ks->index);
    } else {
        reply_bulk_cstr(rb, "keyword");
        reply_bulk_cstr(rb, "spec");
        reply_map(rb, 2);
        reply_bulk_cstr(rb, "keyword");
        reply_bulk_cstr(rb, ks->keyword);
        reply_kv_long(rb, "startfrom", ks->startfrom);
    }
    reply_bulk_cstr(rb, "find_keys");
    reply_map(rb, 2);
    reply_bulk_cstr(rb, "type");
    reply_bulk_cstr(rb, ks->find_type == KSF_RANGE ? "range" : "keynum");
    reply_bulk_cstr(rb, "spec");
    reply_map(rb, 3);
    if (ks->find_type == KSF_RANGE) {
        reply_kv_long(rb, "lastkey", ks->lastkey);
        reply_kv_long(rb, "keystep", ks->keystep);
        reply_kv_long(rb, "limit", ks->limit);
    } else {
        reply_kv_long(rb, "keynumidx", ks->keynumidx);
        reply_kv_long(rb, "firstkey", ks->firstkey);
        reply_kv_long(rb, "keystep", ks->keynumstep);
    }
}

static long subcommand_count(const commandDef *cmd) {
    long n = 0;
    for (const commandDef *s = cmd->subcommands; s && s->name; s++) n++;
    return n;
}

static void reply_command_info(replyBuf *rb, const commandDef *cmd) {
    if (!cmd) {
        reply_null_array(rb);
        return;
    }
    reply_array(rb, 10);
    reply_bulk_cstr(rb, cmd->fullname);
    reply_long(rb, cmd->arity);
    reply_status_set(rb, cmd->flags & shown_flags, command_flag_name, NULL);
    reply_long(rb, cmd->legacy_first);
    reply_long(rb, cmd->legacy_last);
    reply_long(rb, cmd->legacy_step);
    reply_status_set(rb, cmd->acl_categories, acl_category_name, "@");
    reply_tips(rb, cmd->tips);
    reply_set(rb, cmd->key_spec_count);
    for (int j = 0; j < cmd->key_spec_count; j++) reply_keyspec(rb, &cmd->keys[j]);
    if (!cmd->subcommands) {
        reply_set(rb, 0);
        return;
    }
    reply_array(rb, subcommand_count(cmd));
    for (const commandDef *s = cmd->subcommands; s->name; s++) reply_command_info(rb, s);
}

static void reply_command_docs(replyBuf *rb, const commandDef *cmd) {
    long n = 1 + (cmd->summary != NULL) + (cmd->since != NULL) + (cmd->complexity != NULL) +
             (cmd->subcommands != NULL);
    reply_map(rb, n);
    if (cmd->summary) {
        reply_bulk_cstr(rb, "summary");
        reply_bulk_cstr(rb, cmd->summary);
    }
    if (cmd->since) {
        reply_bulk_cstr(rb, "since");
        reply_bulk_cstr(rb, cmd->since);
    }
    reply_bulk_cstr(rb, "group");
    reply_bulk_cstr(rb, cmd->group ? cmd->group : "generic");
    if (cmd->complexity) {
        reply_bulk_cstr(rb, "complexity");
        reply_bulk_cstr(rb, cmd->complexity);
    }
    if (cmd->subcommands) {
        reply_bulk_cstr(rb, "subcommands");
        reply_map(rb, subcommand_count(cmd));
        for (const commandDef *s = cmd->subcommands; s->name; s++) {
            reply_bulk_cstr(rb, s->fullname);
            reply_command_docs(rb, s);
        }
    }
}

static void info_each(commandDef *cmd, void *ctx) { reply_command_info(ctx, cmd); }

static void command_command(client *c) {
    reply_array(&c->reply, command_count());
    command_foreach(info_each, &c->reply);
}

static void command_count_command(client *c) { reply_long(&c->reply, command_count()); }

static void command_info_command(client *c) {
    if (c->argc == 2) {
        command_command(c);
        return;
    }
    reply_array(&c->reply, c->argc - 2);
    for (int j = 2; j < c->argc; j++) reply_command_info(&c->reply, command_lookup_fullname(c->argv[j]));
}

static void docs_each(commandDef *cmd, void *ctx) {
    reply_bulk_cstr(ctx, cmd->fullname);
    reply_command_docs(ctx, cmd);
}

static void command_docs_command(client *c) {
    if (c->argc == 2) {
        reply_map(&c->reply, command_count());
        command_foreach(docs_each, &c->reply);
        return;
    }
    void *len = reply_defer(&c->reply);
    long n = 0;
    for (int j = 2; j < c->argc; j++) {
        commandDef *cmd = command_lookup_fullname(c->argv[j]);
        if (!cmd) continue;
        docs_each(cmd, &c->reply);
        n++;
    }
    reply_set_map(&c->reply, len, n);
}

typedef struct listFilter {
    int type; /* 0 none, 1 aclcat, 2 pattern, 3 module */
    const char *arg;
    int cat;
    replyBuf *rb;
    long n;
} listFilter;

static int list_filter_keeps(const listFilter *f, const commandDef *cmd) {
    switch (f->type) {
    case 1: return f->cat >= 0 && (cmd->acl_categories >> f->cat & 1);
    case 2: return stringmatchlen(f->arg, strlen(f->arg), cmd->fullname, sdslen(cmd->fullname), 1);
    case 3: return 0; /* no modules */
    default: return 1;
    }
}

static void list_each(commandDef *cmd, void *ctx) {
    listFilter *f = ctx;
    if (list_filter_keeps(f, cmd)) {
        reply_bulk_cstr(f->rb, cmd->fullname);
        f->n++;
    }
}

static void command_list_command(client *c) {
    listFilter f = {0, NULL, -1, &c->reply, 0};
    for (int i = 2; i < c->argc; i++) {
        if (!strcasecmp(c->argv[i], "filterby") && c->argc - 1 - i == 2) {
            const char *t = c->argv[i + 1];
            f.type = !strcasecmp(t, "aclcat") ? 1 : !strcasecmp(t, "pattern") ? 2 : !strcasecmp(t, "module") ? 3 : -1;
            if (f.type == -1) {
                reply_error(&c->reply, ERR_SYNTAX);
                return;
            }
            f.arg = c->argv[i + 2];
            f.cat = acl_category_bit(f.arg);
            i += 2;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    void *len = reply_defer(&c->reply);
    command_foreach_all(list_each, &f);
    reply_set_array(&c->reply, len, f.n);
}

#define GETKEYS_MAX 1024

static void getkeys_reply(client *c, int with_flags) {
    commandDef *cmd = command_lookup(c->argv + 2, c->argc - 2);
    int n = c->argc - 2;
    if (!cmd) {
        reply_error(&c->reply, "Invalid command specified");
        return;
    }
    if (cmd->key_spec_count == 0) {
        reply_error(&c->reply, "The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != n) || n < -cmd->arity) {
        reply_error(&c->reply, "Invalid number of arguments specified for command");
        return;
    }
    int pos[GETKEYS_MAX];
    unsigned flags[GETKEYS_MAX];
    int k = command_get_keys_flags(cmd, c->argv + 2, n, pos, flags, GETKEYS_MAX);
    if (k <= 0) {
        if (cmd->flags & CMD_NO_MANDATORY_KEYS)
            reply_empty_array(&c->reply);
        else
            reply_error(&c->reply, "Invalid arguments specified for command");
        return;
    }
    reply_array(&c->reply, k);
    for (int j = 0; j < k; j++) {
        if (with_flags) {
            reply_array(&c->reply, 2);
            reply_bulk_sds(&c->reply, c->argv[pos[j] + 2]);
            reply_status_set(&c->reply, flags[j], keyspec_flag_name, NULL);
        } else {
            reply_bulk_sds(&c->reply, c->argv[pos[j] + 2]);
        }
    }
}

static void command_getkeys_command(client *c) { getkeys_reply(c, 0); }
static void command_getkeysandflags_command(client *c) { getkeys_reply(c, 1); }

static void command_help_command(client *c) {
    const char *lines[] = {"(no subcommand)",
                           "    Return details about all Redis commands.",
                           "COUNT",
                           "    Return the total number of commands in this Redis server.",
                           "LIST",
                           "    Return a list of all commands in this Redis server.",
                           "INFO [<command-name> ...]",
                           "    Return details about multiple Redis commands.",
                           "    If no command names are given, documentation details for all",
                           "    commands are returned.",
                           "DOCS [<command-name> ...]",
                           "    Return documentation details about multiple Redis commands.",
                           "    If no command names are given, documentation details for all",
                           "    commands are returned.",
                           "GETKEYS <full-command>",
                           "    Return the keys from a full Redis command.",
                           "GETKEYSANDFLAGS <full-command>",
                           "    Return the keys and the access flags from a full Redis command.",
                           NULL};
    reply_help(&c->reply, "COMMAND", lines);
}

/* ---- INFO, TIME, LASTSAVE */

static void info_command(client *c) {
    sds s = info_generate(c->srv, c->argv + 1, c->argc - 1);
    reply_verbatim(&c->reply, s, sdslen(s), "txt");
    sdsfree(s);
}

static void time_command(client *c) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    reply_array(&c->reply, 2);
    reply_bulk_ll(&c->reply, (long long)tv.tv_sec);
    reply_bulk_ll(&c->reply, (long long)tv.tv_usec);
}

static void lastsave_command(client *c) { reply_long(&c->reply, c->srv->lastsave); }

/* ---- SLOWLOG */

static void slowlog_get_command(client *c) {
    long long count = 10;
    if (c->argc == 3) {
        if (arg_ll_range(c, c->argv[2], -1, LONG_MAX, &count, "count should be greater than or equal to -1") != 0)
            return;
    }
    slowlog_reply(c, (long)count);
}

static void slowlog_len_command(client *c) { reply_long(&c->reply, (long long)slowlog_len(c->srv)); }

static void slowlog_reset_command(client *c) {
    slowlog_reset(c->srv);
    reply_ok(&c->reply);
}

static void slowlog_help_command(client *c) {
    const char *lines[] = {"GET [<count>]",
                           "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                           "    Entries are made of:",
                           "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                           "    client name",
                           "LEN",
                           "    Return the length of the slowlog.",
                           "RESET",
                           "    Reset the slowlog.",
                           NULL};
    reply_help(&c->reply, "SLOWLOG", lines);
}

/* ---- LATENCY */

static void latency_latest_command(client *c) { latency_reply_latest(c->srv, &c->reply); }

static void latency_history_command(client *c) { latency_reply_history(c->srv, &c->reply, c->argv[2]); }

static void latency_reset_command(client *c) {
    reply_long(&c->reply, latency_reset(c->srv, c->argv + 2, c->argc - 2));
}

static void latency_graph_command(client *c) {
    sds g = latency_graph(c->srv, c->argv[2]);
    if (!g) {
        reply_errorf(&c->reply, "No samples available for event '%s'", c->argv[2]);
        return;
    }
    reply_verbatim(&c->reply, g, sdslen(g), "txt");
    sdsfree(g);
}

static void latency_doctor_command(client *c) {
    sds d = latency_doctor(c->srv);
    reply_verbatim(&c->reply, d, sdslen(d), "txt");
    sdsfree(d);
}

typedef struct histCtx {
    replyBuf *rb;
    long n;
} histCtx;

static void histogram_each(commandDef *cmd, void *ctx) {
    histCtx *h = ctx;
    if (cmd->latency_hist) {
        latency_reply_histogram(h->rb, cmd->fullname, cmd->latency_hist);
        h->n++;
    }
}

static void latency_histogram_command(client *c) {
    histCtx h = {&c->reply, 0};
    void *len = reply_defer(&c->reply);
    if (c->argc == 2) {
        command_foreach_all(histogram_each, &h);
    } else {
        for (int j = 2; j < c->argc; j++) {
            commandDef *cmd = command_lookup_fullname(c->argv[j]);
            if (!cmd || !cmd->latency_hist) continue;
            latency_reply_histogram(&c->reply, cmd->fullname, cmd->latency_hist);
            h.n++;
        }
    }
    reply_set_map(&c->reply, len, h.n);
}

static void latency_help_command(client *c) {
    const char *lines[] = {"DOCTOR",
                           "    Return a human readable latency analysis report.",
                           "GRAPH <event>",
                           "    Return an ASCII latency graph for the <event> class.",
                           "HISTORY <event>",
                           "    Return time-latency samples for the <event> class.",
                           "LATEST",
                           "    Return the latest latency samples for all events.",
                           "RESET [<event> ...]",
                           "    Reset latency data of one or more <event> classes.",
                           "    (default: reset all data for all event classes)",
                           "HISTOGRAM [COMMAND ...]",
                           "    Return a cumulative distribution of latencies in the format of a histogram for the "
                           "specified command names.",
                           "    If no commands are specified then all histograms are replied.",
                           NULL};
    reply_help(&c->reply, "LATENCY", lines);
}

/* ---- MONITOR */

static void monitor_command(client *c) {
    if (c->flags & (CLIENT_MULTI | CLIENT_LUA)) {
        reply_error(&c->reply, "MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (c->flags & (CLIENT_MONITOR | CLIENT_SLAVE)) return; /* a replica cannot be a monitor too */
    monitor_add(c);
    reply_ok(&c->reply);
}

static void container(client *c) { reply_subcommand_error(c); }

#define SUB(n, p, a, f, acl, keys, group, since, sum, cx, tips) {n, p, a, f, acl, keys, group, since, sum, cx, tips}

static commandDef command_subcommands[] = {
    SUB("count", command_count_command, 2, "loading stale", "@connection", NOKEYS, "server", "2.8.13",
        "Returns a count of commands.", "O(1)", NULL),
    SUB("docs", command_docs_command, -2, "loading stale", "@connection", NOKEYS, "server", "7.0.0",
        "Returns documentary information about one, multiple or all commands.",
        "O(N) where N is the number of commands to look up", "nondeterministic_output_order"),
    SUB("getkeys", command_getkeys_command, -3, "loading stale", "@connection", NOKEYS, "server", "2.8.13",
        "Extracts the key names from an arbitrary command.", "O(N) where N is the number of arguments to the command",
        NULL),
    SUB("getkeysandflags", command_getkeysandflags_command, -3, "loading stale", "@connection", NOKEYS, "server",
        "7.0.0", "Extracts the key names and access flags for an arbitrary command.",
        "O(N) where N is the number of arguments to the command", NULL),
    SUB("help", command_help_command, 2, "loading stale", "@connection", NOKEYS, "server", "5.0.0",
        "Returns helpful text about the different subcommands.", "O(1)", NULL),
    SUB("info", command_info_command, -2, "loading stale", "@connection", NOKEYS, "server", "2.8.13",
        "Returns information about one, multiple or all commands.",
        "O(N) where N is the number of commands to look up", "nondeterministic_output_order"),
    SUB("list", command_list_command, -2, "loading stale", "@connection", NOKEYS, "server", "7.0.0",
        "Returns a list of command names.", "O(N) where N is the total number of Redis commands",
        "nondeterministic_output_order"),
    {0}};

static commandDef slowlog_subcommands[] = {
    SUB("get", slowlog_get_command, -2, "admin loading stale", "", NOKEYS, "server", "2.2.12",
        "Returns the slow log's entries.", "O(N) where N is the number of entries returned",
        "request_policy:all_nodes nondeterministic_output"),
    SUB("help", slowlog_help_command, 2, "loading stale", "", NOKEYS, "server", "6.2.0",
        "Show helpful text about the different subcommands", "O(1)", NULL),
    SUB("len", slowlog_len_command, 2, "admin loading stale", "", NOKEYS, "server", "2.2.12",
        "Returns the number of entries in the slow log.", "O(1)",
        "request_policy:all_nodes response_policy:agg_sum nondeterministic_output"),
    SUB("reset", slowlog_reset_command, 2, "admin loading stale", "", NOKEYS, "server", "2.2.12",
        "Clears all entries from the slow log.", "O(N) where N is the number of entries in the slowlog",
        "request_policy:all_nodes response_policy:all_succeeded"),
    {0}};

static commandDef latency_subcommands[] = {
    SUB("doctor", latency_doctor_command, 2, "admin noscript loading stale", "", NOKEYS, "server", "2.8.13",
        "Returns a human-readable latency analysis report.", "O(1)",
        "nondeterministic_output request_policy:all_nodes response_policy:special"),
    SUB("graph", latency_graph_command, 3, "admin noscript loading stale", "", NOKEYS, "server", "2.8.13",
        "Returns a latency graph for an event.", "O(1)",
        "nondeterministic_output request_policy:all_nodes response_policy:special"),
    SUB("help", latency_help_command, 2, "loading stale", "", NOKEYS, "server", "2.8.13",
        "Returns helpful text about the different subcommands.", "O(1)", NULL),
    SUB("histogram", latency_histogram_command, -2, "admin noscript loading stale", "", NOKEYS, "server", "7.0.0",
        "Returns the cumulative distribution of latencies of a subset or all commands.",
        "O(N) where N is the number of commands with latency information being retrieved.",
        "nondeterministic_output request_policy:all_nodes response_policy:special"),
    SUB("history", latency_history_command, 3, "admin noscript loading stale", "", NOKEYS, "server", "2.8.13",
        "Returns timestamp-latency samples for an event.", "O(1)",
        "nondeterministic_output request_policy:all_nodes response_policy:special"),
    SUB("latest", latency_latest_command, 2, "admin noscript loading stale", "", NOKEYS, "server", "2.8.13",
        "Returns the latest latency samples for all events.", "O(1)",
        "nondeterministic_output request_policy:all_nodes response_policy:special"),
    SUB("reset", latency_reset_command, -2, "admin noscript loading stale", "", NOKEYS, "server", "2.8.13",
        "Resets the latency data for one or more events.", "O(1)",
        "request_policy:all_nodes response_policy:agg_sum"),
    {0}};

commandDef introspection_commands[] = {
    {"command", command_command, -1, "loading stale", "@connection", NOKEYS, "server", "2.8.13",
     "Returns detailed information about all commands.", "O(N) where N is the total number of Redis commands",
     "nondeterministic_output_order", command_subcommands},
    {"info", info_command, -1, "loading stale", "@dangerous", NOKEYS, "server", "1.0.0",
     "Returns information and statistics about the server.", "O(1)",
     "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"time", time_command, 1, "loading stale fast", "", NOKEYS, "server", "2.6.0",
     "Returns the server time.", "O(1)", "nondeterministic_output"},
    {"lastsave", lastsave_command, 1, "loading stale fast", "@admin @dangerous", NOKEYS, "server", "1.0.0",
     "Returns the Unix timestamp of the last successful save to disk.", "O(1)", "nondeterministic_output"},
    {"slowlog", container, -2, "", "", NOKEYS, "server", "2.2.12", "A container for slow log commands.",
     "Depends on subcommand.", NULL, slowlog_subcommands},
    {"latency", container, -2, "", "", NOKEYS, "server", "2.8.13", "A container for latency diagnostics commands.",
     "Depends on subcommand.", NULL, latency_subcommands},
    {"monitor", monitor_command, 1, "admin noscript loading stale", "", NOKEYS, "server", "1.0.0",
     "Listens for all requests received by the server in real-time.", NULL, NULL},
    {0}};
