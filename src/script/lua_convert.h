/* lua_convert.h: values crossing between Lua and RESP, by the rules Redis
 * documents for scripts (shared by EVAL and functions).
 *
 *   RESP -> Lua   integer -> number, bulk -> string, null bulk/array ->
 *                 false, array -> table, status -> {ok=}, error -> {err=},
 *                 RESP3: map -> {map={}}, set -> {set={}}, null -> nil,
 *                 bool -> boolean, double -> {double=}, big number ->
 *                 {big_number=}, verbatim -> {verbatim_string={format=,
 *                 string=}}; attributes are skipped.
 *   Lua -> RESP   the reverse; numbers are truncated to integers, an array
 *                 stops at the first nil, booleans follow the script's
 *                 RESP version (redis.setresp).
 *
 * Error tables {err="CODE msg", source=, line=, ignore_error_stats_update=}
 * are Redis 7's script error objects; helpers here build and read them. */
#ifndef STASH_LUA_CONVERT_H
#define STASH_LUA_CONVERT_H

#include <lua.h>
#include <stddef.h>

#include "core/sds.h"
#include "proto/reply.h"

/* Pushes the Lua value of one RESP reply (trusted: produced by us). */
void luaconv_push_reply(lua_State *L, const char *p, size_t len);
/* Pops the value on top of the stack and replies it to rb. script_resp is
 * the RESP version the script selected (booleans depend on it). Errors that
 * were counted when the command inside the script failed are not counted
 * again; their number is added to *uncounted (the caller still counts the
 * script's command as failed). */
void luaconv_reply(lua_State *L, replyBuf *rb, int script_resp, int *uncounted);

/* Pushes {err="CODE msg"}: msg "-CODE text" keeps its code, any other text
 * gets "ERR "; trailing CR/LF is trimmed. */
void luaconv_push_error(lua_State *L, const char *msg);
/* An error table's parts, read from the table (or string) on top of the
 * stack; sds fields are NULL when missing. Free with luaconv_error_free. */
typedef struct luaError {
    sds msg, source, line;
    int ignore_stats; /* already counted when the command failed */
} luaError;
void luaconv_error_read(lua_State *L, luaError *e);
void luaconv_error_free(luaError *e);
/* Replies the error line text ("CODE msg ...") to rb; with uncounted set
 * the error statistics are not told (rb->on_error is skipped). */
void luaconv_reply_error(replyBuf *rb, const char *text, size_t len, int uncounted);

#endif
