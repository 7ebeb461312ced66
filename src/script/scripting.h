/* scripting.h: Lua 5.1 scripting (EVAL family, SCRIPT). One interpreter per
 * server, sandboxed: no os/io/loadfile/dofile, globals read-only, access
 * to undefined globals is an error. Scripts reach the data through
 * redis.call/redis.pcall, which run commands on a fake client and convert
 * its RESP reply into Lua values (and the script's result back to RESP) by
 * the rules Redis documents. Writes are replicated as their effects. */
#ifndef STASH_SCRIPTING_H
#define STASH_SCRIPTING_H

#include <stddef.h>

struct server;
struct client;

void script_init(struct server *srv);
void script_reset(struct server *srv);       /* SCRIPT FLUSH */
/* EVAL/EVALSHA(_RO): body_or_sha is argv[1]. */
void script_eval(struct client *c, int evalsha, int readonly);
/* SCRIPT LOAD: returns 0 and writes the 40-char sha into out, or -1 with
 * the compile error replied to c. */
int script_load(struct client *c, const char *body, size_t len, char *out);
int script_exists(struct server *srv, const char *sha);
long script_count(struct server *srv);
long long script_memory(struct server *srv);

#endif
