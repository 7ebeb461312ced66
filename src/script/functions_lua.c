/* functions_lua.c: see functions_lua.h.
 *
 * The globals proxy reads from the full globals while functions run and
 * from the load API while a library loads (readonly_set_source switches
 * it). The load API's tables raise on missing keys, so "redis.call" during
 * a load says "nonexistent global variable 'call'", as Redis does. The load
 * in progress is found through a registry pointer, which is what lets
 * register_function refuse to run anywhere else. */
#include "functions_lua.h"

#include <lauxlib.h>
#include <lua.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "script/lua_convert.h"
#include "script/lua_readonly.h"
#include "script/lua_redis.h"
#include "script/lua_sandbox.h"
#include "script/run.h"

#define LOAD_API "__stash_library_api"
#define LOAD_CTX "__stash_load_ctx"
#define LOAD_HOOK_INSTRUCTIONS 100000

struct functionsLua {
    lua_State *L;
};

typedef struct loadCtx {
    flua_register_fn *fn;
    void *ctx;
    long long start_us, timeout_ms;
} loadCtx;

static loadCtx *current_load(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, LOAD_CTX);
    loadCtx *lc = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return lc;
}

/* ---- redis.register_function */

/* The function and its flags, as parsed from either call form. */
typedef struct regArgs {
    sds name, desc;
    uint64_t flags;
    int ref; /* LUA_NOREF until the callback is referenced */
} regArgs;

static void reg_args_free(lua_State *L, regArgs *a) {
    sdsfree(a->name);
    sdsfree(a->desc);
    if (a->ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, a->ref);
}

static sds string_at(lua_State *L, int idx) {
    if (!lua_isstring(L, idx)) return NULL;
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    return sdsnewlen(s, len);
}

/* flags={'no-writes', ...}: the table is on top. */
static int read_flags(lua_State *L, uint64_t *flags) {
    for (int j = 1;; j++) {
        lua_rawgeti(L, -1, j);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        uint64_t f;
        int ok = lua_type(L, -1) == LUA_TSTRING && script_flag_lookup(lua_tostring(L, -1), 1, &f) == 0;
        lua_pop(L, 1);
        if (!ok) return -1;
        *flags |= f;
    }
}

/* One named argument (key at -2, value at -1, value popped). */
static const char *read_named(lua_State *L, regArgs *a) {
    if (lua_type(L, -2) != LUA_TSTRING)
        return "named argument key given to redis.register_function is not a string";
    const char *key = lua_tostring(L, -2);
    const char *err = NULL;
    if (!strcasecmp(key, "function_name")) {
        sdsfree(a->name);
        if (!(a->name = string_at(L, -1)))
            err = "function_name argument given to redis.register_function must be a string";
    } else if (!strcasecmp(key, "description")) {
        sdsfree(a->desc);
        if (!(a->desc = string_at(L, -1)))
            err = "description argument given to redis.register_function must be a string";
    } else if (!strcasecmp(key, "callback")) {
        if (!lua_isfunction(L, -1)) {
            err = "callback argument given to redis.register_function must be a function";
        } else {
            if (a->ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, a->ref);
            a->ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the value */
            return NULL;
        }
    } else if (!strcasecmp(key, "flags")) {
        if (!lua_istable(L, -1))
            err = "flags argument to redis.register_function must be a table representing function flags";
        else if (read_flags(L, &a->flags) == -1)
            err = "unknown flag given";
    } else {
        err = "unknown argument given to redis.register_function";
    }
    lua_pop(L, 1);
    return err;
}

/* redis.register_function{function_name=, callback=, description=, flags=} */
static const char *read_table_form(lua_State *L, regArgs *a) {
    if (!lua_istable(L, 1))
        return "calling redis.register_function with a single argument is only applicable to Lua table "
               "(representing named arguments).";
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        const char *err = read_named(L, a);
        if (err) return err;
    }
    if (!a->name) return "redis.register_function must get a function name argument";
    if (a->ref == LUA_NOREF) return "redis.register_function must get a callback argument";
    return NULL;
}

/* redis.register_function(name, callback) */
static const char *read_positional(lua_State *L, regArgs *a) {
    if (!(a->name = string_at(L, 1))) return "first argument to redis.register_function must be a string";
    if (!lua_isfunction(L, 2)) return "second argument to redis.register_function must be a function";
    lua_settop(L, 2);
    a->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return NULL;
}

static int register_function(lua_State *L) {
    loadCtx *lc = current_load(L);
    if (!lc) return luaredis_error(L, "redis.register_function can only be called on FUNCTION LOAD command");
    int argc = lua_gettop(L);
    if (argc < 1 || argc > 2)
        return luaredis_error(L, "wrong number of arguments to redis.register_function");
    regArgs a = {NULL, NULL, 0, LUA_NOREF};
    const char *why = argc == 1 ? read_table_form(L, &a) : read_positional(L, &a);
    if (why) {
        reg_args_free(L, &a);
        return luaredis_error(L, why);
    }
    sds err = NULL;
    if (lc->fn(lc->ctx, a.name, a.desc, a.flags, a.ref, &err) == -1) {
        luaL_unref(L, LUA_REGISTRYINDEX, a.ref);
        luaconv_push_error(L, err);
        sdsfree(err);
        return lua_error(L);
    }
    return 0;
}

/* ---- the state */

/* The load API: {redis = {register_function, log, LOG_*, REDIS_VERSION*}},
 * read-only, raising on anything missing. */
static void make_load_api(lua_State *L) {
    lua_newtable(L);
    lua_newtable(L);
    lua_pushcfunction(L, register_function);
    lua_setfield(L, -2, "register_function");
    luaredis_add_log_and_version(L);
    sandbox_set_missing_error(L, -1);
    readonly_push_proxy(L, -1);
    lua_setfield(L, -3, "redis");
    lua_pop(L, 1);
    sandbox_set_missing_error(L, -1);
    readonly_push_proxy(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, LOAD_API);
    lua_pop(L, 1);
}

functionsLua *flua_create(struct server *srv) {
    functionsLua *fl = zcalloc(sizeof(*fl));
    lua_State *L = fl->L = sandbox_open();
    run_bind_state(L, srv);
    luaredis_push_api(L, 0);
    lua_setglobal(L, "redis");
    make_load_api(L);
    sandbox_seal(L);
    return fl;
}

lua_State *flua_state(functionsLua *fl) { return fl->L; }
long long flua_memory(functionsLua *fl) { return (long long)lua_gc(fl->L, LUA_GCCOUNT, 0) * 1024; }
void flua_unref(functionsLua *fl, int ref) { luaL_unref(fl->L, LUA_REGISTRYINDEX, ref); }

/* ---- loading a library */
static void load_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    loadCtx *lc = current_load(L);
    if (!lc || lc->timeout_ms <= 0 || (monotonic_us() - lc->start_us) / 1000 <= lc->timeout_ms) return;
    lua_sethook(L, load_hook, LUA_MASKLINE, 0);
    luaredis_error(L, "FUNCTION LOAD timeout");
}

/* Reads from the load API (load = 1) or the full globals. */
static void switch_globals(lua_State *L, int load) {
    sandbox_push_globals(L);
    if (load)
        lua_getfield(L, LUA_REGISTRYINDEX, LOAD_API);
    else
        sandbox_push_real_globals(L);
    readonly_set_source(L, -2);
    lua_pop(L, 1);
}

static int run_library(lua_State *L, loadCtx *lc, sds *err) {
    lua_pushlightuserdata(L, lc);
    lua_setfield(L, LUA_REGISTRYINDEX, LOAD_CTX);
    lua_sethook(L, load_hook, LUA_MASKCOUNT, LOAD_HOOK_INSTRUCTIONS);
    int rc = 0;
    if (lua_pcall(L, 0, 0, 0)) {
        luaError e;
        luaconv_error_read(L, &e);
        *err = sdscatprintf(sdsempty(), "Error registering functions: %s", e.msg ? e.msg : "unknown error");
        luaconv_error_free(&e);
        lua_pop(L, 1);
        rc = -1;
    }
    lua_sethook(L, NULL, 0, 0);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LOAD_CTX);
    return rc;
}

int flua_load(functionsLua *fl, const char *code, size_t len, long long timeout_ms, flua_register_fn *fn,
              void *ctx, sds *err) {
    lua_State *L = fl->L;
    switch_globals(L, 1);
    int rc = -1;
    if (sandbox_load(L, code, len, "@user_function")) {
        *err = sdscatprintf(sdsempty(), "Error compiling function: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
    } else {
        loadCtx lc = {fn, ctx, monotonic_us(), timeout_ms};
        rc = run_library(L, &lc, err);
    }
    switch_globals(L, 0);
    sandbox_restore_globals(L);
    return rc;
}

/* ---- calling */
static void push_array(lua_State *L, sds *elems, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, elems[i], sdslen(elems[i]));
        lua_rawseti(L, -2, i + 1);
    }
}

void flua_call(functionsLua *fl, struct scriptRun *r, int ref, sds *keys, int nkeys, sds *args, int nargs) {
    lua_State *L = fl->L;
    sandbox_push_error_handler(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    push_array(L, keys, nkeys);
    push_array(L, args, nargs);
    run_call(r, 2);
    lua_pop(L, 1); /* the error handler */
}
