/* run.h: one script execution, shared by EVAL and FCALL (Redis's
 * script.c). run_prepare checks the script's flags against the server
 * state (read-only replica, OOM, *_RO commands) and replies the refusal;
 * run_call runs the Lua function under the busy hook and replies its
 * result; run_command is redis.call's way into the command table, with
 * the checks Redis makes for commands called from scripts. Only one script
 * runs at a time: run_current says which (SCRIPT KILL, FUNCTION STATS). */
#ifndef STASH_SCRIPT_RUN_H
#define STASH_SCRIPT_RUN_H

#include <lua.h>
#include <stdint.h>

#include "core/sds.h"

struct server;
struct client;

/* Script flags (shebang "#!lua flags=..." and register_function flags). */
#define SCRIPT_FLAG_NO_WRITES (1ULL << 0)
#define SCRIPT_FLAG_ALLOW_OOM (1ULL << 1)
#define SCRIPT_FLAG_ALLOW_STALE (1ULL << 2)
#define SCRIPT_FLAG_NO_CLUSTER (1ULL << 3)
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1ULL << 4)
#define SCRIPT_FLAG_EVAL_COMPAT (1ULL << 5) /* EVAL without a shebang: no flag checks */

typedef struct scriptFlagName {
    uint64_t flag;
    const char *name;
} scriptFlagName;
/* The user-visible flags in Redis's order, ending with {0, NULL}. */
extern const scriptFlagName script_flag_names[];
/* 0 and the flag's bit in *flag, or -1 for an unknown name. */
int script_flag_lookup(const char *name, int nocase, uint64_t *flag);

/* redis.set_repl targets */
#define SCRIPT_REPL_AOF 1
#define SCRIPT_REPL_REPLICA 2
#define SCRIPT_REPL_ALL 3

typedef struct scriptRun {
    struct server *srv;
    struct client *caller; /* the client that sent EVAL/FCALL */
    struct client *fake;   /* runs the script's redis.call commands */
    lua_State *L;
    const char *name; /* sha1 (EVAL) or function name */
    int eval;         /* EVAL family: errors say SCRIPT KILL */
    int readonly;     /* *_RO command or no-writes flag */
    int allow_oom;
    int oom;            /* memory was over maxmemory when it started */
    int wrote;          /* a write command ran: can't be killed */
    int killed;         /* SCRIPT/FUNCTION KILL asked for the end */
    int timedout;       /* past busy-reply-threshold: serving others */
    int repl;           /* redis.set_repl */
    long long start_us; /* monotonic */
} scriptRun;

/* Everything scripting keeps per server (srv->script). */
typedef struct scriptCtx {
    struct evalEngine *eval;           /* scripting.c */
    struct functionsEngine *functions; /* functions.c */
    struct client *fake;
    scriptRun *running;
    struct busyState *busy; /* busy.c */
    int allow_noscript;     /* DEBUG SET-DISABLE-DENY-SCRIPTS (tests) */
    long long runs;         /* scripts run: paces the Lua GC steps */
} scriptCtx;

/* The server's scripting state, created on first use. */
scriptCtx *script_ctx(struct server *srv);
/* Every script Lua state knows its server (for redis.* and the hooks). */
void run_bind_state(lua_State *L, struct server *srv);
struct server *run_server_of(lua_State *L);

/* Fills r for a run of `name` with `flags` for caller; on refusal replies
 * the error to caller and returns -1. */
int run_prepare(scriptRun *r, struct client *caller, lua_State *L, const char *name, uint64_t flags, int ro,
                int eval);
/* The stack holds the error handler, the function and nargs arguments:
 * calls it and replies the result (or the error) to the caller. */
void run_call(scriptRun *r, int nargs);
scriptRun *run_current(struct server *srv);
/* SCRIPT KILL (eval = 1) and FUNCTION KILL (eval = 0). */
void run_kill(struct client *c, int eval);
/* The running script's elapsed time in ms (FUNCTION STATS). */
long long run_duration_ms(scriptRun *r);
/* Runs argv (taken over: freed here) as redis.call from the running script.
 * Returns the reply as RESP text, or NULL with *err set to the refusal
 * ("CODE message", already counted in the error stats). */
sds run_command(scriptRun *r, sds *argv, int argc, sds *err);
/* redis.acl_check_cmd: 1 allowed, 0 denied, -1 unknown command. */
int run_acl_check(scriptRun *r, sds *argv, int argc);
/* DEBUG SET-DISABLE-DENY-SCRIPTS: lets scripts call commands flagged
 * noscript (Redis's test suite uses it). */
void run_set_allow_noscript(struct server *srv, int allow);
/* The -BUSY error for the running script (who it is decides the wording). */
const char *run_busy_error(scriptRun *r);

#endif
