/* lua_redis.h: the `redis` table scripts see. redis.call/pcall run a
 * command through run_command and convert its reply (lua_convert.h);
 * error_reply, status_reply, sha1hex, log, setresp, set_repl,
 * acl_check_cmd, the LOG_* and REPL_* constants and REDIS_VERSION(_NUM)
 * complete Redis 7.2's API. EVAL also gets the debugger stubs
 * (breakpoint, debug) and the deprecated replicate_commands. */
#ifndef STASH_LUA_REDIS_H
#define STASH_LUA_REDIS_H

#include <lua.h>

/* Pushes a new runtime `redis` table (eval: with the EVAL-only extras). */
void luaredis_push_api(lua_State *L, int eval);
/* Adds log, the LOG_* levels and REDIS_VERSION(_NUM) to the table on top
 * (also part of the function-library load API). */
void luaredis_add_log_and_version(lua_State *L);
/* Raises the Redis error table for msg ("-CODE text" or plain text). */
int luaredis_error(lua_State *L, const char *msg);

#endif
