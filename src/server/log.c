/* log.c: the server log in Redis's format
 *   <pid>:<role> <day> <month> <year> <hh:mm:ss.mmm> <level char> <message>
 * with role M (master), S (replica), C (child process) and level chars
 * . - * # for debug, verbose, notice, warning. Lines go to `logfile` (or
 * stdout when it is empty). The upstream test suite waits for several of
 * these lines, so wording elsewhere follows Redis's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "server/server.h"

void server_log_raw(server *srv, int level, const char *msg) {
    static const char marks[] = ".-*#";
    int rawmode = level & 0x400;
    level &= 0xff;
    if (level < srv->verbosity) return;
    int to_stdout = srv->logfile == NULL || srv->logfile[0] == '\0';
    FILE *fp = to_stdout ? stdout : fopen(srv->logfile, "a");
    if (!fp) return;
    if (rawmode) {
        fprintf(fp, "%s", msg);
    } else {
        char buf[64];
        struct timeval tv;
        gettimeofday(&tv, NULL);
        struct tm tm;
        localtime_r(&tv.tv_sec, &tm);
        int off = (int)strftime(buf, sizeof(buf), "%d %b %Y %H:%M:%S.", &tm);
        snprintf(buf + off, sizeof(buf) - (size_t)off, "%03d", (int)tv.tv_usec / 1000);
        char role = getpid() != srv->pid ? 'C' : (srv->masterhost_set ? 'S' : 'M');
        fprintf(fp, "%d:%c %s %c %s\n", (int)getpid(), role, buf, marks[level & 3], msg);
    }
    fflush(fp);
    if (!to_stdout) fclose(fp);
}

void server_log(server *srv, int level, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    if ((level & 0xff) < srv->verbosity) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    server_log_raw(srv, level, msg);
}
