/* crash.h: signal handling. SIGTERM/SIGINT request a clean shutdown (acted
 * on by the cron, outside any command); SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGABRT
 * write a crash report with a stack trace to the log and exit. */
#ifndef STASH_CRASH_H
#define STASH_CRASH_H

struct server;
void crash_install_handlers(struct server *srv);

#endif
