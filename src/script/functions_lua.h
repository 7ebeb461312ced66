/* functions_lua.h: the Lua engine behind FUNCTION LOAD and FCALL (Redis's
 * function_lua.c). Every library shares one sandboxed state. Loading a
 * library runs its code once with a small API in place of the globals:
 * only redis.register_function, redis.log, the LOG_* levels and
 * REDIS_VERSION(_NUM) exist, anything else is an error, and a load running
 * longer than its timeout is stopped. Registered callbacks are kept as Lua
 * registry references; calling one passes KEYS and ARGV as arguments. */
#ifndef STASH_FUNCTIONS_LUA_H
#define STASH_FUNCTIONS_LUA_H

#include <stddef.h>
#include <stdint.h>

#include "core/sds.h"

struct server;
struct scriptRun;
typedef struct functionsLua functionsLua;

/* What redis.register_function hands over for each function: name and
 * desc (NULL when none) are given away; returns 0, or -1 with *err (the
 * engine then drops the reference). */
typedef int flua_register_fn(void *ctx, sds name, sds desc, uint64_t flags, int ref, sds *err);

functionsLua *flua_create(struct server *srv);
/* Runs a library's code (its shebang line already removed); timeout_ms 0
 * means none. Returns 0, or -1 with *err ("Error compiling function: ..."
 * or "Error registering functions: ..."). */
int flua_load(functionsLua *fl, const char *code, size_t len, long long timeout_ms, flua_register_fn *fn,
              void *ctx, sds *err);
void flua_unref(functionsLua *fl, int ref);
/* Runs the callback under r (prepared by run_prepare) and replies. */
void flua_call(functionsLua *fl, struct scriptRun *r, int ref, sds *keys, int nkeys, sds *args, int nargs);
struct lua_State *flua_state(functionsLua *fl);
long long flua_memory(functionsLua *fl);

#endif
