/* lua_struct.h: the `struct` library Redis scripts have (Roberto
 * Ierusalimschy's struct 0.2 interface, written for Stash since Debian
 * ships none for Lua 5.1): struct.pack(fmt, ...), struct.unpack(fmt, s
 * [, init]) and struct.size(fmt). Formats: < > (endianness), !n
 * (alignment), x (pad byte), b B h H l L T i[n] I[n] (integers, n up to
 * 32 bytes), f d (floats), c[n] (fixed string; c0 takes its length from
 * the previous value when unpacking), s (zero-terminated string). Every
 * count is checked before use: an oversized count is an error, never an
 * allocation or a read past the data. */
#ifndef STASH_LUA_STRUCT_H
#define STASH_LUA_STRUCT_H

#include <lua.h>

int luaopen_struct(lua_State *L);

#endif
