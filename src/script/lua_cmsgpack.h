/* lua_cmsgpack.h: the `cmsgpack` library Redis scripts have (the
 * lua-cmsgpack 0.4 interface, written for Stash since Debian ships none for
 * Lua 5.1): cmsgpack.pack(...) encodes its arguments one after the other;
 * cmsgpack.unpack(s) decodes every value in s; unpack_one(s [, offset])
 * and unpack_limit(s, limit [, offset]) decode a few and also return the
 * offset to continue from (-1 at the end). Tables whose keys are exactly
 * 1..n become arrays, other tables maps; tables nested deeper than 16
 * levels encode as nil. Decoding checks every length against the input
 * and bounds nesting, so hostile input errors instead of crashing. */
#ifndef STASH_LUA_CMSGPACK_H
#define STASH_LUA_CMSGPACK_H

#include <lua.h>

int luaopen_cmsgpack(lua_State *L);

#endif
