/* lua_readonly.c: see lua_readonly.h.
 *
 * Two registry tables keep the bookkeeping: RO_SOURCE maps every proxy and
 * every metatable view to the table it reads from, RO_PROXY maps a source
 * table back to its proxy (so getfenv never hands out an unprotected
 * globals table). The wrappers keep the original builtin as their first
 * upvalue and call it once the arguments passed the check. */
#include "lua_readonly.h"

#include <lauxlib.h>

#define RO_SOURCE "__stash_ro_source"
#define RO_PROXY "__stash_ro_proxy"

int readonly_error(lua_State *L) { return luaL_error(L, "Attempt to modify a readonly table"); }

/* Pushes registry[map][value at idx]. */
static void map_get(lua_State *L, const char *map, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_getfield(L, LUA_REGISTRYINDEX, map);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

/* registry[map][key at k] = value at v */
static void map_set(lua_State *L, const char *map, int k, int v) {
    k = k < 0 ? lua_gettop(L) + k + 1 : k;
    v = v < 0 ? lua_gettop(L) + v + 1 : v;
    lua_getfield(L, LUA_REGISTRYINDEX, map);
    lua_pushvalue(L, k);
    lua_pushvalue(L, v);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

int readonly_is(lua_State *L, int idx) {
    if (!lua_istable(L, idx)) return 0;
    map_get(L, RO_SOURCE, idx);
    int is = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return is;
}

void readonly_push_source(lua_State *L, int idx) { map_get(L, RO_SOURCE, idx); }

/* Gives the empty table at t the metatable {__index=source, __newindex=
 * refuse, __metatable=mt_view} and records it as read-only. source and
 * mt_view are stack indexes (mt_view 0: the table is its own view). */
static void make_proxy(lua_State *L, int t, int source, int mt_view) {
    lua_newtable(L);
    lua_pushvalue(L, source);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_error);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, mt_view ? mt_view : t);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, t);
    map_set(L, RO_SOURCE, t, source);
}

/* Pushes a read-only view that looks like {__index = <value at target>}:
 * what getmetatable returns for a protected table. */
static void push_metatable_view(lua_State *L, int target) {
    target = target < 0 ? lua_gettop(L) + target + 1 : target;
    lua_newtable(L); /* the view's contents */
    lua_pushvalue(L, target);
    lua_setfield(L, -2, "__index");
    lua_newtable(L); /* the view */
    make_proxy(L, lua_gettop(L), lua_gettop(L) - 1, 0);
    lua_remove(L, -2);
}

void readonly_push_proxy(lua_State *L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_newtable(L);
    int p = lua_gettop(L);
    push_metatable_view(L, p);
    make_proxy(L, p, idx, p + 1);
    lua_pop(L, 1);
    map_set(L, RO_PROXY, idx, p);
}

void readonly_set_source(lua_State *L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    if (!lua_getmetatable(L, idx)) {
        lua_pop(L, 1);
        return;
    }
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    map_set(L, RO_SOURCE, idx, -1);
    lua_pop(L, 1);
}

void readonly_protect_fields(lua_State *L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_newtable(L); /* collect first: no writes while iterating */
    int names = lua_gettop(L);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_istable(L, -1) && !lua_rawequal(L, -1, idx) && !readonly_is(L, -1)) {
            lua_pushvalue(L, -2);
            lua_rawseti(L, names, ++n);
        }
        lua_pop(L, 1);
    }
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, names, i);
        lua_pushvalue(L, -1);
        lua_rawget(L, idx);
        readonly_push_proxy(L, -1);
        lua_remove(L, -2);
        lua_rawset(L, idx);
    }
    lua_pop(L, 1);
}

void readonly_hide_metatable(lua_State *L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    if (!lua_getmetatable(L, idx)) return;
    lua_getfield(L, -1, "__index");
    map_get(L, RO_PROXY, -1); /* show the protected table, never its source */
    if (!lua_isnil(L, -1))
        lua_replace(L, -2);
    else
        lua_pop(L, 1);
    push_metatable_view(L, -1);
    lua_setfield(L, -3, "__metatable");
    lua_pop(L, 2);
}

/* ---- wrapped builtins */
int readonly_call_wrapped(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) == 0) return lua_gettop(L);
    if (lua_type(L, -1) == LUA_TSTRING) { /* as if called directly: "script:line: ... to 'name'" */
        lua_Debug ar;
        if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name) {
            lua_pushfstring(L, "to '%s'", ar.name);
            luaL_gsub(L, lua_tostring(L, -2), "to '?'", lua_tostring(L, -1));
            lua_replace(L, -3);
            lua_pop(L, 1);
        }
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

/* rawset, setmetatable, table.insert/remove/sort: never on a protected table. */
static int write_guard(lua_State *L) {
    if (lua_gettop(L) >= 1 && readonly_is(L, 1)) return readonly_error(L);
    return readonly_call_wrapped(L);
}

/* rawget, next: a protected table answers with its source's contents. */
static int read_through(lua_State *L) {
    if (lua_gettop(L) >= 1 && readonly_is(L, 1)) {
        readonly_push_source(L, 1);
        lua_replace(L, 1);
    }
    return readonly_call_wrapped(L);
}

/* getfenv: a protected table's source is never handed out. */
static int env_guard(lua_State *L) {
    int n = readonly_call_wrapped(L);
    if (n >= 1 && lua_istable(L, 1)) {
        map_get(L, RO_PROXY, 1);
        if (!lua_isnil(L, -1))
            lua_replace(L, 1);
        else
            lua_pop(L, 1);
    }
    return n;
}

/* pairs(t): the wrapped next, so proxies iterate their source. */
static int pairs_through(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void readonly_wrap(lua_State *L, const char *name, lua_CFunction fn) {
    lua_getfield(L, -1, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, -2, name);
}

static void new_weak_map(lua_State *L, const char *name) {
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, name);
}

void readonly_init(lua_State *L) {
    new_weak_map(L, RO_SOURCE);
    new_weak_map(L, RO_PROXY);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    readonly_wrap(L, "rawset", write_guard);
    readonly_wrap(L, "setmetatable", write_guard);
    readonly_wrap(L, "rawget", read_through);
    readonly_wrap(L, "next", read_through);
    readonly_wrap(L, "getfenv", env_guard);
    lua_getfield(L, -1, "next");
    lua_pushcclosure(L, pairs_through, 1);
    lua_setfield(L, -2, "pairs");
    lua_getfield(L, -1, "table");
    if (lua_istable(L, -1)) {
        readonly_wrap(L, "insert", write_guard);
        readonly_wrap(L, "remove", write_guard);
        readonly_wrap(L, "sort", write_guard);
    }
    lua_pop(L, 2);
}
