/* busy.h: scripts that run past busy-reply-threshold (lua-time-limit).
 * A Lua count hook checks the clock every 100,000 instructions; once the
 * threshold is passed the server serves other clients from inside the
 * hook, answering every command not flagged allow-busy with -BUSY, so
 * SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE can reach it. A killed
 * script gets an error on every following line, so pcall cannot keep it
 * alive. */
#ifndef STASH_SCRIPT_BUSY_H
#define STASH_SCRIPT_BUSY_H

struct scriptRun;

/* Around run_call's lua_pcall. */
void busy_start(struct scriptRun *r);
void busy_end(struct scriptRun *r);

#endif
