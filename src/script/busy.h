/* busy.h: scripts that run past busy-reply-threshold (lua-time-limit).
 * A Lua count hook checks the clock every 100,000 instructions; once the
 * threshold is passed the server serves other clients from inside the
 * hook, answering every command not flagged allow-busy with -BUSY, so
 * SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE can reach it. A killed
 * script gets an error on every following line, so pcall cannot keep it
 * alive. */
#ifndef STASH_SCRIPT_BUSY_H
#define STASH_SCRIPT_BUSY_H

#include <stdint.h>

struct scriptRun;
struct server;

/* The -BUSY error a command with these flags gets while a script runs
 * past busy-reply-threshold, or NULL when it may run. */
const char *busy_refusal(struct server *srv, uint64_t cmd_flags);

/* Around run_call's lua_pcall. */
void busy_start(struct scriptRun *r);
void busy_end(struct scriptRun *r);

#endif
