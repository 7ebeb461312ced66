/* scripting.c: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. The
 * interpreter lives in script/scripting.c. */
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "script/run.h"
#include "script/scripting.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"

static void eval_command(client *c) { script_eval(c, 0, 0); }
static void evalsha_command(client *c) { script_eval(c, 1, 0); }
static void eval_ro_command(client *c) { script_eval(c, 0, 1); }
static void evalsha_ro_command(client *c) { script_eval(c, 1, 1); }

static void script_load_command(client *c) {
    char sha[41];
    if (script_load(c, c->argv[2], sdslen(c->argv[2]), sha) == 0) reply_bulk(&c->reply, sha, 40);
}

static void script_exists_command(client *c) {
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) reply_long(&c->reply, script_exists(c->srv, c->argv[i]));
}

static void script_flush_command(client *c) {
    if (c->argc == 3 && !arg_is(c->argv[2], "sync") && !arg_is(c->argv[2], "async")) {
        reply_error(&c->reply, "SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    if (run_current(c->srv)) { /* only reachable when served from inside a busy script */
        reply_error(&c->reply, run_busy_error(run_current(c->srv)));
        return;
    }
    script_reset(c->srv);
    reply_ok(&c->reply);
}

static void script_kill_command(client *c) { run_kill(c, 1); }

static void script_help_command(client *c) {
    static const char *lines[] = {
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL};
    reply_help(&c->reply, "SCRIPT", lines);
}

static void script_container(client *c) { reply_subcommand_error(c); }

static commandDef script_subcommands[] = {
    {"exists", script_exists_command, -3, "noscript", "@scripting", NOKEYS, "scripting", "2.6.0",
     "Determines whether server-side Lua scripts exist in the script cache.",
     "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation)."},
    {"flush", script_flush_command, -2, "noscript may_replicate", "@scripting", NOKEYS, "scripting", "2.6.0",
     "Removes all server-side Lua scripts from the script cache.",
     "O(N) with N being the number of scripts in cache"},
    {"help", script_help_command, 2, "loading stale", "@scripting", NOKEYS, "scripting", "5.0.0",
     "Returns helpful text about the different subcommands.", "O(1)"},
    {"kill", script_kill_command, 2, "noscript allow_busy", "@scripting", NOKEYS, "scripting", "2.6.0",
     "Terminates a server-side Lua script during execution.", "O(1)"},
    {"load", script_load_command, 3, "noscript stale", "@scripting", NOKEYS, "scripting", "2.6.0",
     "Loads a server-side Lua script to the script cache.",
     "O(N) with N being the length in bytes of the script body."},
    {0}};

#define EVAL_KEYS                                                                                            \
    { KEYS_NUM("RW ACCESS UPDATE", 2, 0, 1, 1) }
#define EVAL_RO_KEYS                                                                                         \
    { KEYS_NUM("RO ACCESS", 2, 0, 1, 1) }

commandDef scripting_commands[] = {
    {"eval", eval_command, -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", "@scripting",
     EVAL_KEYS, "scripting", "2.6.0", "Executes a server-side Lua script.",
     "Depends on the script that is executed."},
    {"evalsha", evalsha_command, -3, "noscript skip_monitor may_replicate no_mandatory_keys stale",
     "@scripting", EVAL_KEYS, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest.",
     "Depends on the script that is executed."},
    {"eval_ro", eval_ro_command, -3, "readonly noscript skip_monitor no_mandatory_keys stale", "@scripting",
     EVAL_RO_KEYS, "scripting", "7.0.0", "Executes a read-only server-side Lua script.",
     "Depends on the script that is executed."},
    {"evalsha_ro", evalsha_ro_command, -3, "readonly noscript skip_monitor no_mandatory_keys stale",
     "@scripting", EVAL_RO_KEYS, "scripting", "7.0.0",
     "Executes a read-only server-side Lua script by SHA1 digest.",
     "Depends on the script that is executed."},
    {"script", script_container, -2, "", "", NOKEYS, "scripting", "2.6.0",
     "A container for Lua scripts management commands.", "Depends on subcommand.", NULL, script_subcommands},
    {0}};
