/* lua_readonly.h: read-only tables for the script sandbox.
 *
 * Redis patches its Lua with a read-only flag on tables; Debian's Lua 5.1
 * has none, so Stash gets the same behaviour from proxies. A protected
 * table R is replaced by an empty proxy P whose metatable sends reads to R
 * and refuses writes with "Attempt to modify a readonly table". The
 * metatable itself is hidden: getmetatable(P) returns a read-only view
 * whose __index is P, so neither the metatable nor R can be reached.
 * Builtins that bypass metatables (rawset, setmetatable, table.insert/
 * remove/sort) are wrapped to refuse proxies; rawget, next and pairs read
 * through them, so a proxy iterates like its table. */
#ifndef STASH_LUA_READONLY_H
#define STASH_LUA_READONLY_H

#include <lua.h>

/* Installs the registry bookkeeping and wraps the builtins above; call once
 * after the base and table libraries are open. */
void readonly_init(lua_State *L);
/* Pushes a read-only proxy of the table at idx. */
void readonly_push_proxy(lua_State *L, int idx);
/* Replaces every table-valued field of the table at idx (except the table
 * itself) by its read-only proxy. */
void readonly_protect_fields(lua_State *L, int idx);
/* Hides the metatable of the table or value at idx behind a read-only view
 * (used for the string metatable, which must stay a real table). */
void readonly_hide_metatable(lua_State *L, int idx);
/* 1 if the value at idx is a read-only proxy or view. */
int readonly_is(lua_State *L, int idx);
/* Pushes the table a proxy reads from (the proxy's own __index source). */
void readonly_push_source(lua_State *L, int idx);
/* Points the proxy at idx to read from the table on top of the stack
 * (popped). Used by functions to switch between the load-time API and the
 * full globals. */
void readonly_set_source(lua_State *L, int idx);
/* Body of a wrapped builtin: calls the original (upvalue 1) with the same
 * arguments; its errors get the caller's script position, as when the
 * original is called directly. */
int readonly_call_wrapped(lua_State *L);
/* Replaces table[name] (the table on top of the stack) by fn, a closure
 * holding the original as upvalue 1; a missing field stays missing. */
void readonly_wrap(lua_State *L, const char *name, lua_CFunction fn);
/* The error every refused write raises. */
int readonly_error(lua_State *L);

#endif
