/* crash.c: see crash.h. The crash report follows Redis's layout closely
 * enough that people who read Redis crash logs recognise it:
 * "=== REDIS BUG REPORT START ===", the signal, the stack trace from
 * backtrace_symbols_fd, and "=== REDIS BUG REPORT END ===". Only
 * async-signal-safe calls are used between the signal and the trace. */
#include "crash.h"

#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server.h"

static int log_fd(server *srv) {
    if (!srv->logfile || !srv->logfile[0]) return STDOUT_FILENO;
    int fd = open(srv->logfile, O_APPEND | O_CREAT | O_WRONLY, 0644);
    return fd == -1 ? STDOUT_FILENO : fd;
}

static void write_str(int fd, const char *s) {
    if (write(fd, s, strlen(s)) == -1) { /* nothing to do in a crash */
    }
}

static void crash_handler(int sig, siginfo_t *info, void *secret) {
    server *srv = server_instance();
    int fd = srv ? log_fd(srv) : STDOUT_FILENO;
    char buf[256];
    snprintf(buf, sizeof(buf), "\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===\n"
                               "%d:M Crashed by signal: %d, si_code: %d\n",
             (int)getpid(), sig, info ? info->si_code : 0);
    write_str(fd, buf);
    write_str(fd, "\n------ STACK TRACE ------\n");
    void *trace[100];
    int n = backtrace(trace, 100);
    backtrace_symbols_fd(trace, n, fd);
    write_str(fd, "\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n\n");
    if (fd != STDOUT_FILENO) close(fd);
    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    act.sa_handler = SIG_DFL;
    sigaction(sig, &act, NULL);
    kill(getpid(), sig);
}

static void shutdown_handler(int sig) {
    server *srv = server_instance();
    if (!srv) _exit(0);
    if (srv->shutdown_asap && sig == SIGINT) {
        write_str(STDOUT_FILENO, "You insist... exiting now.\n");
        /* A final save may be under way in this process: drop its temp file. */
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)getpid());
        unlink(tmp);
        _exit(1);
    }
    srv->shutdown_signal = sig;
    srv->shutdown_asap = 1;
}

void crash_install_handlers(server *srv) {
    struct sigaction act;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    act.sa_handler = shutdown_handler;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    if (!srv->crashlog_enabled) return;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_NODEFER | SA_RESETHAND | SA_SIGINFO;
    act.sa_sigaction = crash_handler;
    sigaction(SIGSEGV, &act, NULL);
    sigaction(SIGBUS, &act, NULL);
    sigaction(SIGFPE, &act, NULL);
    sigaction(SIGILL, &act, NULL);
    sigaction(SIGABRT, &act, NULL);
}
