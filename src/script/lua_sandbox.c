/* lua_sandbox.c: see lua_sandbox.h.
 *
 * Layout after sandbox_seal: the real globals table G holds the libraries
 * (each replaced by its read-only proxy) and has a metatable that raises on
 * missing keys; the thread's environment is a read-only proxy of G, and
 * G._G points to that proxy. The registry keeps both (SB_REAL, SB_PROXY)
 * and the error handler (SB_ERRH). */
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdint.h>
#include <string.h>

#include "script/lua_cmsgpack.h"
#include "script/lua_readonly.h"
#include "script/lua_struct.h"

extern int luaopen_cjson(lua_State *L);
extern int luaopen_bit(lua_State *L);

#define SB_REAL "__stash_real_globals"
#define SB_PROXY "__stash_globals"
#define SB_ERRH "__stash_error_handler"

/* ---- loading code */
int sandbox_load(lua_State *L, const char *buf, size_t len, const char *chunkname) {
    if (len > 0 && buf[0] == LUA_SIGNATURE[0]) {
        lua_pushfstring(L, "%s: binary chunks are not allowed", chunkname);
        return LUA_ERRSYNTAX;
    }
    return luaL_loadbuffer(L, buf, len, chunkname);
}

/* loadstring(s [, chunkname]) */
static int sb_loadstring(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s);
    if (sandbox_load(L, s, len, name) == 0) return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

/* load(func [, chunkname]): the pieces are gathered first, then checked. */
static int sb_load(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *name = luaL_optstring(L, 2, "=(load)");
    lua_settop(L, 2);
    luaL_Buffer b;
    lua_newtable(L); /* pieces, index 3 */
    int n = 0;
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1) || (lua_isstring(L, -1) && lua_objlen(L, -1) == 0)) {
            lua_pop(L, 1);
            break;
        }
        if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
        lua_rawseti(L, 3, ++n);
    }
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, 3, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *code = lua_tolstring(L, -1, &len);
    if (sandbox_load(L, code, len, name) == 0) return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

/* ---- hardened builtins */

/* An optional integer argument, clamped to int (no overflowing casts). */
static int opt_int(lua_State *L, int idx, int def) {
    if (lua_isnoneornil(L, idx)) return def;
    lua_Number d = luaL_checknumber(L, idx);
    if (d != d) return 0;
    if (d <= (lua_Number)INT_MIN) return INT_MIN;
    if (d >= (lua_Number)INT_MAX) return INT_MAX;
    return (int)d;
}

/* unpack(t [, i [, j]]): the element count is computed in 64 bits, so a
 * huge range is an error instead of an overflow. */
static int sb_unpack(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int i = opt_int(L, 2, 1);
    int e = opt_int(L, 3, (int)lua_objlen(L, 1));
    if (i > e) return 0;
    long long n = (long long)e - i + 1;
    if (n >= INT_MAX || !lua_checkstack(L, (int)n)) return luaL_error(L, "too many results to unpack");
    for (long long k = i; k <= e; k++) lua_rawgeti(L, 1, (int)k);
    return (int)n;
}

/* Lua BitOp's argument rule: the number rounded to an integer, modulo 2^32. */
static uint32_t bit_arg(lua_State *L, int idx) {
    union {
        lua_Number n;
        uint64_t b;
    } u;
    u.n = luaL_checknumber(L, idx) + 6755399441055744.0; /* 2^52 + 2^51 */
    return (uint32_t)u.b;
}

/* bit.tohex(x [, n]): n digits (negative: upper case), at most 8. */
static int sb_tohex(lua_State *L) {
    uint32_t b = bit_arg(L, 1);
    int32_t n = lua_isnone(L, 2) ? 8 : (int32_t)bit_arg(L, 2);
    const char *digits = "0123456789abcdef";
    char buf[8];
    if (n == INT32_MIN) n = INT32_MIN + 1;
    if (n < 0) {
        n = -n;
        digits = "0123456789ABCDEF";
    }
    if (n > 8) n = 8;
    for (int i = n - 1; i >= 0; i--) {
        buf[i] = digits[b & 15];
        b >>= 4;
    }
    lua_pushlstring(L, buf, (size_t)n);
    return 1;
}

/* ---- cjson with Debian's 2.1.0: its buffers count in int, so output or
 * input of 2 GB overflows them (CVE-2022-24834, fixed only in Redis's
 * copy). Sizes are checked first and refused instead. */
#define CJSON_MAX_BYTES ((size_t)INT_MAX / 2)
#define CJSON_WALK_DEPTH 1000

/* The JSON text of a string: escapes take 2 bytes, control bytes 6. */
static size_t json_string_bytes(lua_State *L, int idx) {
    size_t len;
    const unsigned char *p = (const unsigned char *)lua_tolstring(L, idx, &len);
    size_t n = 2;
    for (size_t i = 0; i < len; i++)
        n += p[i] < 0x20 || p[i] == 0x7f ? 6 : (p[i] == '"' || p[i] == '\\' || p[i] == '/') ? 2 : 1;
    return n;
}

/* An upper bound of the JSON text of the value at idx. Past the nesting
 * cjson refuses, *deep is set and the walk stops (cjson then reports its
 * own error); it also stops once the bound is too big. */
static size_t json_bound(lua_State *L, int idx, int depth, int *deep) {
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: return json_string_bytes(L, idx);
    case LUA_TTABLE: break;
    default: return 32;
    }
    if (depth > CJSON_WALK_DEPTH || !lua_checkstack(L, 3)) {
        *deep = 1;
        return 0;
    }
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    size_t n = 2;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        n += json_bound(L, -2, depth + 1, deep) + json_bound(L, -1, depth + 1, deep) + 2;
        lua_pop(L, 1);
        if (n > CJSON_MAX_BYTES || *deep) {
            lua_pop(L, 1);
            break;
        }
    }
    return n;
}

static int sb_json_encode(lua_State *L) {
    int deep = 0;
    if (json_bound(L, 1, 0, &deep) > CJSON_MAX_BYTES && !deep)
        return luaL_error(L, "Cannot serialise: the result would exceed 1 GB");
    return readonly_call_wrapped(L);
}

static int sb_json_decode(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING && lua_objlen(L, 1) > CJSON_MAX_BYTES)
        return luaL_error(L, "Cannot decode: the JSON text exceeds 1 GB");
    return readonly_call_wrapped(L);
}

static void wrap_json(lua_State *L);

/* cjson.new(): a fresh instance, guarded like the first. */
static int sb_json_new(lua_State *L) {
    int n = readonly_call_wrapped(L);
    if (n >= 1 && lua_istable(L, 1)) {
        lua_pushvalue(L, 1);
        wrap_json(L);
        lua_pop(L, 1);
    }
    return n;
}

/* Guards encode, decode and new of the cjson table on top. */
static void wrap_json(lua_State *L) {
    readonly_wrap(L, "encode", sb_json_encode);
    readonly_wrap(L, "decode", sb_json_decode);
    readonly_wrap(L, "new", sb_json_new);
}

/* pcall that hands back the message of Redis error tables, as Redis 7's. */
static int sb_pcall(lua_State *L) {
    int argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) == 0) return lua_gettop(L);
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "err");
        if (lua_isstring(L, -1))
            lua_replace(L, -2);
        else
            lua_pop(L, 1);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* ---- math.random with Redis's PRNG (the 48-bit lrand48 generator), so a
 * seed gives the same sequence on every platform. State per Lua state. */
#define RAND48_MAX INT32_MAX

static uint64_t *rand_state(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

static int32_t rand48_next(uint64_t *x) {
    *x = (*x * 0x5DEECE66DULL + 0xB) & ((1ULL << 48) - 1);
    return (int32_t)(*x >> 17);
}

static int sb_random(lua_State *L) {
    lua_Number r = (lua_Number)(rand48_next(rand_state(L)) % RAND48_MAX) / (lua_Number)RAND48_MAX;
    switch (lua_gettop(L)) {
    case 0: lua_pushnumber(L, r); return 1;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, (lua_Number)((long long)(r * u) + 1));
        return 1;
    }
    case 2: {
        int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, (lua_Number)((long long)(r * ((double)u - l + 1)) + l));
        return 1;
    }
    default: return luaL_error(L, "wrong number of arguments");
    }
}

static int sb_randomseed(lua_State *L) {
    uint32_t seed = (uint32_t)luaL_checkint(L, 1);
    *rand_state(L) = ((uint64_t)seed << 16) | 0x330E;
    return 0;
}

static void install_random(lua_State *L) {
    lua_getglobal(L, LUA_MATHLIBNAME);
    uint64_t *x = lua_newuserdata(L, sizeof(uint64_t));
    *x = 0x1234ABCD330EULL;
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, sb_random, 1);
    lua_setfield(L, -3, "random");
    lua_pushcclosure(L, sb_randomseed, 1);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
}

/* ---- libraries */
static void open_lib(lua_State *L, const char *name, lua_CFunction open) {
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    /* Debian's cjson/bit return their table without setting a global. */
    if (name[0] && lua_istable(L, -1))
        lua_setglobal(L, name);
    else
        lua_pop(L, 1);
}

static void open_libraries(lua_State *L) {
    static const luaL_Reg libs[] = {{"", luaopen_base},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_DBLIBNAME, luaopen_debug},
                                    {"cjson", luaopen_cjson},
                                    {"struct", luaopen_struct},
                                    {"cmsgpack", luaopen_cmsgpack},
                                    {"bit", luaopen_bit},
                                    {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) open_lib(L, l->name, l->func);
}

static void set_global_fn(lua_State *L, const char *name, lua_CFunction fn) {
    lua_pushcfunction(L, fn);
    lua_setglobal(L, name);
}

static void harden_builtins(lua_State *L) {
    /* Nothing that reaches the file system or prints to our stdout. */
    static const char *denied[] = {"loadfile", "dofile", "print", "module", "require", NULL};
    for (int i = 0; denied[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, denied[i]);
    }
    set_global_fn(L, "unpack", sb_unpack);
    set_global_fn(L, "loadstring", sb_loadstring);
    set_global_fn(L, "load", sb_load);
    set_global_fn(L, "pcall", sb_pcall);
    lua_getglobal(L, "bit");
    lua_pushcfunction(L, sb_tohex);
    lua_setfield(L, -2, "tohex");
    lua_pop(L, 1);
    lua_getglobal(L, "cjson");
    wrap_json(L);
    lua_pop(L, 1);
    install_random(L);
}

/* The message handler: error objects become {err=, source=, line=} with the
 * position of the script frame (the caller, when a C function raised). */
static const char *error_handler_src =
    "local dbg = debug\n"
    "return function(err)\n"
    "  local i = dbg.getinfo(2, 'nSl')\n"
    "  if i and i.what == 'C' then i = dbg.getinfo(3, 'nSl') end\n"
    "  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n"
    "  if i then err['source'] = i.source; err['line'] = i.currentline end\n"
    "  return err\n"
    "end\n";

static void make_error_handler(lua_State *L) {
    luaL_loadbuffer(L, error_handler_src, strlen(error_handler_src), "@err_handler_def");
    lua_call(L, 0, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, SB_ERRH);
    /* debug was only needed to build it. */
    lua_pushnil(L);
    lua_setglobal(L, LUA_DBLIBNAME);
}

void sandbox_push_error_handler(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, SB_ERRH); }

lua_State *sandbox_open(void) {
    lua_State *L = luaL_newstate();
    if (!L) return NULL;
    open_libraries(L);
    harden_builtins(L);
    readonly_init(L);
    make_error_handler(L);
    return L;
}

/* ---- sealing */
static int missing_global(lua_State *L) {
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name ? name : "?");
}

void sandbox_set_missing_error(lua_State *L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_newtable(L);
    lua_pushcfunction(L, missing_global);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, idx);
}

void sandbox_seal(lua_State *L) {
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    int g = lua_gettop(L);
    lua_pushvalue(L, g);
    lua_setfield(L, LUA_REGISTRYINDEX, SB_REAL);
    readonly_protect_fields(L, g);
    lua_pushliteral(L, "");
    readonly_hide_metatable(L, -1); /* the string metatable */
    lua_pop(L, 1);
    sandbox_set_missing_error(L, g);
    readonly_push_proxy(L, g);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, SB_PROXY);
    lua_pushstring(L, "_G");
    lua_pushvalue(L, -2);
    lua_rawset(L, g);
    lua_replace(L, LUA_GLOBALSINDEX);
    lua_pop(L, 1);
}

void sandbox_restore_globals(lua_State *L) {
    sandbox_push_globals(L);
    lua_replace(L, LUA_GLOBALSINDEX);
}

void sandbox_push_real_globals(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, SB_REAL); }
void sandbox_push_globals(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, SB_PROXY); }
