/* lua_sandbox.h: the Lua state scripts run in, shared by EVAL and
 * functions. Redis's libraries only (base, table, string, math, cjson, bit,
 * struct, cmsgpack): no io, os, package/require/loadlib, dofile, loadfile or
 * print, so a script can never reach the file system or load a shared
 * library. Debian's Lua 5.1 lacks Redis's patches, so the builtins those
 * patches fix are replaced here: unpack with a huge range errors instead of
 * overflowing, loadstring/load refuse binary chunks, bit.tohex survives
 * INT_MIN, math.random uses Redis's PRNG. After sandbox_seal every library
 * table and the globals are read-only (lua_readonly.h) and reading an
 * undefined global is an error. */
#ifndef STASH_LUA_SANDBOX_H
#define STASH_LUA_SANDBOX_H

#include <lua.h>
#include <stddef.h>

/* A new state with the libraries and hardened builtins; the globals are
 * still writable so the caller can add its `redis` table. */
lua_State *sandbox_open(void);
/* Locks the globals: library tables become read-only proxies, the globals
 * table a read-only proxy whose missing keys raise errors. */
void sandbox_seal(lua_State *L);
/* Puts back the sealed globals as the thread's environment (a script may
 * have called setfenv(0, ...)). */
void sandbox_restore_globals(lua_State *L);
/* Pushes the table behind the sealed globals (where EVAL puts KEYS/ARGV). */
void sandbox_push_real_globals(lua_State *L);
/* Pushes the sealed globals proxy. */
void sandbox_push_globals(lua_State *L);
/* luaL_loadbuffer that refuses precompiled (binary) chunks. */
int sandbox_load(lua_State *L, const char *buf, size_t len, const char *chunkname);
/* Pushes the pcall message handler that turns an error into Redis's error
 * table, with the source and line of the script frame that raised it. */
void sandbox_push_error_handler(lua_State *L);
/* Gives the table at idx a metatable whose __index raises "Script attempted
 * to access nonexistent global variable '<key>'". */
void sandbox_set_missing_error(lua_State *L, int idx);

#endif
