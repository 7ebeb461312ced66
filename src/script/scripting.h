/* scripting.h: EVAL scripts (EVAL/EVALSHA/EVAL_RO/EVALSHA_RO and SCRIPT).
 * Scripts are cached by the SHA1 of their body and run in their own Lua
 * state (lua_sandbox.h) with KEYS and ARGV as globals. A first line
 * "#!lua flags=no-writes,allow-oom,..." declares flags that Redis 7
 * checks before the script runs (run.h); without it the script runs in
 * compatibility mode. Writes are replicated as their effects. */
#ifndef STASH_SCRIPTING_H
#define STASH_SCRIPTING_H

#include <stddef.h>

struct server;
struct client;

void script_init(struct server *srv);
/* SCRIPT FLUSH: a fresh Lua state, an empty cache. */
void script_reset(struct server *srv);
/* EVAL/EVALSHA(_RO): body_or_sha is argv[1]. */
void script_eval(struct client *c, int evalsha, int readonly);
/* SCRIPT LOAD: returns 0 and writes the 40-char sha into out, or -1 with
 * the compile error replied to c. */
int script_load(struct client *c, const char *body, size_t len, char *out);
int script_exists(struct server *srv, const char *sha);
long script_count(struct server *srv);
long long script_memory(struct server *srv);

#endif
