/* lua_redis.c: see lua_redis.h.
 *
 * Errors raised by these functions are Redis's error tables (built by
 * luaconv_push_error), so a script failing inside redis.call reports
 * "ERR <text>" plus its script and line, as Redis 7 does. */
#include "lua_redis.h"

#include <lauxlib.h>

#include "core/sha1.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "script/lua_convert.h"
#include "script/run.h"
#include "server/client.h"
#include "server/server.h"

#define REDIS_VERSION_NUM 0x00070206

int luaredis_error(lua_State *L, const char *msg) {
    luaconv_push_error(L, msg);
    return lua_error(L);
}

static scriptRun *current_run(lua_State *L) {
    server *srv = run_server_of(L);
    return srv ? run_current(srv) : NULL;
}

/* The call's arguments as a command line: strings as they are, numbers as
 * integers when they are integral. NULL (and *err) for anything else. */
static sds *args_to_argv(lua_State *L, int *argc, const char **err) {
    int n = lua_gettop(L);
    if (n == 0) {
        *err = "Please specify at least one argument for this redis lib call";
        return NULL;
    }
    sds *argv = zmalloc(sizeof(sds) * (size_t)n);
    for (int i = 0; i < n; i++) {
        char buf[64];
        size_t len;
        const char *s;
        if (lua_type(L, i + 1) == LUA_TNUMBER) {
            double d = (double)lua_tonumber(L, i + 1);
            long long ll;
            len =
                (size_t)(double2ll(d, &ll) ? ll2string(buf, sizeof(buf), ll) : d2string(buf, sizeof(buf), d));
            s = buf;
        } else if (lua_type(L, i + 1) == LUA_TSTRING) {
            s = lua_tolstring(L, i + 1, &len);
        } else {
            for (int j = 0; j < i; j++) sdsfree(argv[j]);
            zfree(argv);
            *err = "Lua redis lib command arguments must be strings or integers";
            return NULL;
        }
        argv[i] = sdsnewlen(s, len);
    }
    *argc = n;
    return argv;
}

static void free_argv(sds *argv, int argc) {
    for (int i = 0; i < argc; i++) sdsfree(argv[i]);
    zfree(argv);
}

/* Pushes the error table of a refused command: counted already. */
static void push_refusal(lua_State *L, const char *err) {
    sds msg = sdscatprintf(sdsempty(), "-%s", err);
    luaconv_push_error(L, msg);
    sdsfree(msg);
    lua_pushstring(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_settable(L, -3);
}

/* redis.call (raise = 1) and redis.pcall. */
static int generic_call(lua_State *L, int raise) {
    scriptRun *r = current_run(L);
    if (!r) return luaredis_error(L, "redis.call can only be used while a script runs");
    int argc = 0;
    const char *why = NULL;
    sds *argv = args_to_argv(L, &argc, &why);
    if (!argv) {
        luaconv_push_error(L, why);
        return raise ? lua_error(L) : 1;
    }
    lua_settop(L, 0);
    sds err = NULL;
    sds reply = run_command(r, argv, argc, &err);
    if (!reply) {
        push_refusal(L, err);
        sdsfree(err);
        return raise ? lua_error(L) : 1;
    }
    luaconv_push_reply(L, reply, sdslen(reply));
    int failed = reply[0] == '-';
    sdsfree(reply);
    return failed && raise ? lua_error(L) : 1;
}

static int l_call(lua_State *L) { return generic_call(L, 1); }
static int l_pcall(lua_State *L) { return generic_call(L, 0); }

/* redis.error_reply / status_reply: bad arguments give back an error table
 * (not raised), as in Redis. */
static int l_error_reply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        luaconv_push_error(L, "wrong number or type of arguments");
        return 1;
    }
    const char *e = lua_tostring(L, -1);
    sds msg = e[0] == '-' ? sdsnew(e) : sdscatprintf(sdsempty(), "-%s", e);
    luaconv_push_error(L, msg);
    sdsfree(msg);
    return 1;
}

static int l_status_reply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        luaconv_push_error(L, "wrong number or type of arguments");
        return 1;
    }
    lua_newtable(L);
    lua_pushstring(L, "ok");
    lua_pushvalue(L, -3);
    lua_settable(L, -3);
    return 1;
}

static int l_sha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return luaredis_error(L, "wrong number of arguments");
    size_t len = 0;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1_hex(s ? s : "", s ? len : 0, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int l_log(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return luaredis_error(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return luaredis_error(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return luaredis_error(L, "Invalid debug level.");
    server *srv = run_server_of(L);
    if (!srv || level < srv->verbosity) return 0;
    sds msg = sdsempty();
    for (int i = 2; i <= argc; i++) {
        size_t len;
        const char *s = lua_tolstring(L, i, &len);
        if (!s) continue;
        if (i > 2) msg = sdscatlen(msg, " ", 1);
        msg = sdscatlen(msg, s, len);
    }
    server_log_raw(srv, level, msg);
    sdsfree(msg);
    return 0;
}

static int l_setresp(lua_State *L) {
    scriptRun *r = current_run(L);
    if (lua_gettop(L) != 1) return luaredis_error(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return luaredis_error(L, "RESP version must be 2 or 3.");
    if (r) client_set_protocol(r->fake, resp);
    return 0;
}

static int l_set_repl(lua_State *L) {
    scriptRun *r = current_run(L);
    if (lua_gettop(L) != 1) return luaredis_error(L, "redis.set_repl() requires one argument.");
    int flags = (int)lua_tonumber(L, -1);
    if (flags & ~SCRIPT_REPL_ALL)
        return luaredis_error(
            L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    if (r) r->repl = flags;
    return 0;
}

static int l_acl_check_cmd(lua_State *L) {
    scriptRun *r = current_run(L);
    int argc = 0;
    const char *why = NULL;
    sds *argv = args_to_argv(L, &argc, &why);
    if (!argv) return luaredis_error(L, why);
    int ok = r ? run_acl_check(r, argv, argc) : -1;
    free_argv(argv, argc);
    if (ok == -1) return luaredis_error(L, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, ok);
    return 1;
}

static int l_false(lua_State *L) {
    lua_pushboolean(L, 0);
    return 1;
}
static int l_true(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}
static int l_noop(lua_State *L) { return 0; }

static void set_fn(lua_State *L, const char *name, lua_CFunction fn) {
    lua_pushcfunction(L, fn);
    lua_setfield(L, -2, name);
}
static void set_num(lua_State *L, const char *name, lua_Number v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, name);
}

void luaredis_add_log_and_version(lua_State *L) {
    set_fn(L, "log", l_log);
    set_num(L, "LOG_DEBUG", LL_DEBUG);
    set_num(L, "LOG_VERBOSE", LL_VERBOSE);
    set_num(L, "LOG_NOTICE", LL_NOTICE);
    set_num(L, "LOG_WARNING", LL_WARNING);
    set_num(L, "REDIS_VERSION_NUM", REDIS_VERSION_NUM);
    lua_pushstring(L, REDIS_COMPAT_VERSION);
    lua_setfield(L, -2, "REDIS_VERSION");
}

void luaredis_push_api(lua_State *L, int eval) {
    lua_newtable(L);
    set_fn(L, "call", l_call);
    set_fn(L, "pcall", l_pcall);
    luaredis_add_log_and_version(L);
    set_fn(L, "setresp", l_setresp);
    set_fn(L, "sha1hex", l_sha1hex);
    set_fn(L, "error_reply", l_error_reply);
    set_fn(L, "status_reply", l_status_reply);
    set_fn(L, "set_repl", l_set_repl);
    set_num(L, "REPL_NONE", 0);
    set_num(L, "REPL_AOF", SCRIPT_REPL_AOF);
    set_num(L, "REPL_SLAVE", SCRIPT_REPL_REPLICA);
    set_num(L, "REPL_REPLICA", SCRIPT_REPL_REPLICA);
    set_num(L, "REPL_ALL", SCRIPT_REPL_ALL);
    set_fn(L, "acl_check_cmd", l_acl_check_cmd);
    if (eval) {
        set_fn(L, "breakpoint", l_false);
        set_fn(L, "debug", l_noop);
        set_fn(L, "replicate_commands", l_true);
    }
}
