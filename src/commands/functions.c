/* functions.c: FUNCTION (LOAD, DELETE, FLUSH, LIST, STATS, DUMP, RESTORE,
 * KILL, HELP), FCALL and FCALL_RO. Arguments and replies are here; the
 * libraries live in script/functions.c and the runs in script/run.c. */
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "proto/errors.h"
#include "script/functions.h"
#include "script/run.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

#define LOAD_TIMEOUT_MS 500

static void reply_subcommand_syntax(client *c) {
    sds name = sdsdup(c->argv[0]);
    sdstoupper(name);
    reply_errorf(&c->reply, ERR_SUBCMD_ARITY, c->argv[1], name);
    sdsfree(name);
}

/* Writes from the master link and the AOF are never timed out. */
static long long load_timeout(client *c) {
    return (c->flags & CLIENT_MASTER) || ((c->flags & CLIENT_FAKE) && !(c->flags & CLIENT_LUA))
               ? 0
               : LOAD_TIMEOUT_MS;
}

/* FUNCTION LOAD [REPLACE] code */
static void function_load_command(client *c) {
    int replace = 0, i = 2;
    for (; i < c->argc - 1; i++) {
        if (!arg_is(c->argv[i], "replace")) {
            reply_errorf(&c->reply, "Unknown option given: %s", c->argv[i]);
            return;
        }
        replace = 1;
    }
    if (i >= c->argc) {
        reply_error(&c->reply, "Function code is missing");
        return;
    }
    sds err = NULL;
    sds name = functions_create(c->srv, c->argv[i], replace, load_timeout(c), &err);
    if (!name) {
        reply_error(&c->reply, err);
        sdsfree(err);
        return;
    }
    reply_bulk_sds(&c->reply, name);
    sdsfree(name);
}

static void function_delete_command(client *c) {
    if (functions_delete(c->srv, c->argv[2]) == -1)
        reply_error(&c->reply, "Library not found");
    else
        reply_ok(&c->reply);
}

static void function_flush_command(client *c) {
    if (c->argc > 3) {
        reply_subcommand_syntax(c);
        return;
    }
    if (c->argc == 3 && !arg_is(c->argv[2], "sync") && !arg_is(c->argv[2], "async")) {
        reply_error(&c->reply, "FUNCTION FLUSH only supports SYNC|ASYNC option");
        return;
    }
    functions_flush(c->srv);
    reply_ok(&c->reply);
}

/* ---- FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] */
typedef struct listArgs {
    client *c;
    sds pattern; /* NULL: every library */
    int with_code;
    long count;
} listArgs;

static void reply_function_flags(replyBuf *rb, uint64_t flags) {
    long n = 0;
    for (const scriptFlagName *f = script_flag_names; f->name; f++) n += (flags & f->flag) != 0;
    reply_set(rb, n);
    for (const scriptFlagName *f = script_flag_names; f->name; f++)
        if (flags & f->flag) reply_status(rb, f->name);
}

static void reply_library(functionLib *lib, void *arg) {
    listArgs *a = arg;
    replyBuf *rb = &a->c->reply;
    if (a->pattern && !stringmatchlen(a->pattern, sdslen(a->pattern), lib->name, sdslen(lib->name), 1))
        return;
    a->count++;
    reply_map(rb, a->with_code ? 4 : 3);
    reply_bulk_cstr(rb, "library_name");
    reply_bulk_sds(rb, lib->name);
    reply_bulk_cstr(rb, "engine");
    reply_bulk_cstr(rb, FUNCTIONS_ENGINE_NAME);
    reply_bulk_cstr(rb, "functions");
    reply_array(rb, lib->nfunctions);
    for (functionInfo *f = lib->functions; f; f = f->next) {
        reply_map(rb, 3);
        reply_bulk_cstr(rb, "name");
        reply_bulk_sds(rb, f->name);
        reply_bulk_cstr(rb, "description");
        if (f->desc)
            reply_bulk_sds(rb, f->desc);
        else
            reply_null(rb);
        reply_bulk_cstr(rb, "flags");
        reply_function_flags(rb, f->flags);
    }
    if (a->with_code) {
        reply_bulk_cstr(rb, "library_code");
        reply_bulk_sds(rb, lib->code);
    }
}

static void function_list_command(client *c) {
    listArgs a = {c, NULL, 0, 0};
    for (int i = 2; i < c->argc; i++) {
        if (!a.with_code && arg_is(c->argv[i], "withcode")) {
            a.with_code = 1;
        } else if (!a.pattern && arg_is(c->argv[i], "libraryname")) {
            if (i == c->argc - 1) {
                reply_error(&c->reply, "library name argument was not given");
                return;
            }
            a.pattern = c->argv[++i];
        } else {
            reply_errorf(&c->reply, "Unknown argument %s", c->argv[i]);
            return;
        }
    }
    void *h = reply_defer(&c->reply);
    functions_foreach_library(c->srv, reply_library, &a);
    reply_set_array(&c->reply, h, a.count);
}

/* ---- FUNCTION STATS */
static void reply_running(client *c, scriptRun *r) {
    if (!r) {
        reply_null(&c->reply);
        return;
    }
    reply_map(&c->reply, 3);
    reply_bulk_cstr(&c->reply, "name");
    reply_bulk_cstr(&c->reply, r->name);
    reply_bulk_cstr(&c->reply, "command");
    reply_array(&c->reply, r->caller->argc);
    for (int i = 0; i < r->caller->argc; i++) reply_bulk_sds(&c->reply, r->caller->argv[i]);
    reply_bulk_cstr(&c->reply, "duration_ms");
    reply_long(&c->reply, run_duration_ms(r));
}

static void function_stats_command(client *c) {
    scriptRun *r = run_current(c->srv);
    if (r && r->eval) {
        reply_error(&c->reply, run_busy_error(r));
        return;
    }
    reply_map(&c->reply, 2);
    reply_bulk_cstr(&c->reply, "running_script");
    reply_running(c, r);
    reply_bulk_cstr(&c->reply, "engines");
    reply_map(&c->reply, 1);
    reply_bulk_cstr(&c->reply, FUNCTIONS_ENGINE_NAME);
    reply_map(&c->reply, 2);
    reply_bulk_cstr(&c->reply, "libraries_count");
    reply_long(&c->reply, functions_library_count(c->srv));
    reply_bulk_cstr(&c->reply, "functions_count");
    reply_long(&c->reply, functions_count(c->srv));
}

/* ---- DUMP / RESTORE */
static void function_dump_command(client *c) {
    sds payload = functions_dump(c->srv);
    reply_bulk_sds(&c->reply, payload);
    sdsfree(payload);
}

static void function_restore_command(client *c) {
    if (c->argc > 4) {
        reply_subcommand_syntax(c);
        return;
    }
    int policy = FUNCTIONS_RESTORE_APPEND;
    if (c->argc == 4) {
        if (arg_is(c->argv[3], "append"))
            policy = FUNCTIONS_RESTORE_APPEND;
        else if (arg_is(c->argv[3], "replace"))
            policy = FUNCTIONS_RESTORE_REPLACE;
        else if (arg_is(c->argv[3], "flush"))
            policy = FUNCTIONS_RESTORE_FLUSH;
        else {
            reply_error(&c->reply,
                        "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            return;
        }
    }
    sds err = NULL;
    if (functions_restore(c->srv, c->argv[2], policy, &err) == -1) {
        reply_error(&c->reply, err);
        sdsfree(err);
        return;
    }
    reply_ok(&c->reply);
}

static void function_kill_command(client *c) { run_kill(c, 0); }

static void function_help_command(client *c) {
    static const char *lines[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
        "RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy "
        "to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the "
        "old",
        "      libraries with the new libraries (notice that even on this option there is a chance of "
        "failure",
        "      in case of functions name collision with another library).",
        NULL};
    reply_help(&c->reply, "FUNCTION", lines);
}

static void function_container(client *c) { reply_subcommand_error(c); }

static void fcall_command(client *c) { functions_fcall(c, 0); }
static void fcall_ro_command(client *c) { functions_fcall(c, 1); }

#define ALL_SHARDS "request_policy:all_shards response_policy:all_succeeded"

static commandDef function_subcommands[] = {
    {"delete", function_delete_command, 3, "noscript write", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Deletes a library and its functions.", "O(1)", ALL_SHARDS},
    {"dump", function_dump_command, 2, "noscript", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Dumps all libraries into a serialized binary payload.", "O(N) where N is the number of functions"},
    {"flush", function_flush_command, -2, "noscript write", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Deletes all libraries and functions.", "O(N) where N is the number of functions deleted", ALL_SHARDS},
    {"help", function_help_command, 2, "loading stale", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Returns helpful text about the different subcommands.", "O(1)"},
    {"kill", function_kill_command, 2, "noscript allow_busy", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Terminates a function during execution.", "O(1)",
     "request_policy:all_shards response_policy:one_succeeded"},
    {"list", function_list_command, -2, "noscript", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Returns information about all libraries.", "O(N) where N is the number of functions",
     "nondeterministic_output_order"},
    {"load", function_load_command, -3, "noscript write denyoom", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Creates a library.", "O(1) (considering compilation time is redundant)", ALL_SHARDS},
    {"restore", function_restore_command, -3, "noscript write denyoom", "@scripting", NOKEYS, "scripting",
     "7.0.0", "Restores all libraries from a payload.",
     "O(N) where N is the number of functions on the payload", ALL_SHARDS},
    {"stats", function_stats_command, 2, "noscript allow_busy", "@scripting", NOKEYS, "scripting", "7.0.0",
     "Returns information about a function during execution.", "O(1)",
     "nondeterministic_output request_policy:all_shards response_policy:special"},
    {0}};

commandDef function_commands[] = {{"fcall",
                                   fcall_command,
                                   -3,
                                   "noscript skip_monitor may_replicate no_mandatory_keys stale",
                                   "@scripting",
                                   {KEYS_NUM("RW ACCESS UPDATE", 2, 0, 1, 1)},
                                   "scripting",
                                   "7.0.0",
                                   "Invokes a function.",
                                   "Depends on the function that is executed."},
                                  {"fcall_ro",
                                   fcall_ro_command,
                                   -3,
                                   "noscript skip_monitor no_mandatory_keys stale readonly",
                                   "@scripting",
                                   {KEYS_NUM("RO ACCESS", 2, 0, 1, 1)},
                                   "scripting",
                                   "7.0.0",
                                   "Invokes a read-only function.",
                                   "Depends on the function that is executed."},
                                  {"function", function_container, -2, "", "", NOKEYS, "scripting", "7.0.0",
                                   "A container for function commands.", "Depends on subcommand.", NULL,
                                   function_subcommands},
                                  {0}};
