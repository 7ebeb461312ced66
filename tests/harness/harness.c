/* harness.c: see harness.h. Every process started here is recorded by PID
 * and killed by that PID; nothing else on the machine is touched. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

testServer srv;

/* Every process spawned, so a failing test (cmocka longjmps out of it)
 * cannot leave a server behind: the exit handler kills what is left. */
#define MAX_SPAWNED 64
static pid_t spawned[MAX_SPAWNED];
static int nspawned;

static void kill_leftovers(void) {
    for (int i = 0; i < nspawned; i++) {
        if (spawned[i] > 0 && kill(spawned[i], 0) == 0) {
            kill(spawned[i], SIGKILL);
            waitpid(spawned[i], NULL, 0);
        }
    }
}

static void remember(pid_t pid) {
    if (nspawned == 0) atexit(kill_leftovers);
    for (int i = 0; i < nspawned; i++)
        if (spawned[i] <= 0 || kill(spawned[i], 0) != 0) {
            spawned[i] = pid;
            return;
        }
    if (nspawned < MAX_SPAWNED) spawned[nspawned++] = pid;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    socklen_t len = sizeof(sa);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    int port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

int ts_alive(testServer *ts) {
    if (ts->pid <= 0) return 0;
    int status;
    pid_t r = waitpid(ts->pid, &status, WNOHANG);
    if (r == ts->pid) {
        ts->pid = -ts->pid; /* reaped */
        return 0;
    }
    return 1;
}

/* Starts the binary on ts->port in ts->dir and waits for PING; 0 on success. */
static int spawn(testServer *ts) {
    const char *bin = ts->bin ? ts->bin : getenv("STASH_SERVER");
    if (!bin) bin = "src/stash-server";
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", ts->port);
    const char *argv[64];
    int n = 0;
    argv[n++] = bin;
    argv[n++] = "--port";
    argv[n++] = portstr;
    argv[n++] = "--bind";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--dir";
    argv[n++] = ts->dir;
    argv[n++] = "--logfile";
    argv[n++] = ts->log;
    argv[n++] = "--enable-debug-command";
    argv[n++] = "yes";
    argv[n++] = "--daemonize";
    argv[n++] = "no";
    argv[n++] = "--save";
    argv[n++] = "";
    for (int i = 0; ts->extra && ts->extra[i] && n < 62; i++) argv[n++] = ts->extra[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    ts->pid = pid;
    remember(pid);
    long long deadline = now_ms() + 10000;
    while (now_ms() < deadline) {
        if (!ts_alive(ts)) return -1;
        redisContext *c = redisConnect("127.0.0.1", ts->port);
        if (c && !c->err) {
            redisReply *r = redisCommand(c, "PING");
            int ok = r && (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR);
            if (r) freeReplyObject(r);
            redisFree(c);
            if (ok) return 0;
        } else if (c) {
            redisFree(c);
        }
        usleep(10000);
    }
    return -1;
}

static void kill_process(testServer *ts, int sig) {
    if (ts->pid > 0 && ts_alive(ts)) {
        kill(ts->pid, sig);
        long long deadline = now_ms() + 5000;
        while (ts_alive(ts) && now_ms() < deadline) usleep(5000);
        if (ts_alive(ts)) {
            kill(ts->pid, SIGKILL);
            waitpid(ts->pid, NULL, 0);
        }
    }
    ts->pid = 0;
}

int ts_start(testServer *ts, const char *const *extra) {
    memset(ts, 0, sizeof(*ts));
    ts->extra = extra;
    for (int attempt = 0; attempt < 5; attempt++) {
        snprintf(ts->dir, sizeof(ts->dir), "/tmp/stash-test-XXXXXX");
        if (!mkdtemp(ts->dir)) return -1;
        snprintf(ts->log, sizeof(ts->log), "%s/server.log", ts->dir);
        ts->port = free_port();
        if (spawn(ts) == 0) return 0;
        ts_stop(ts);
        ts->extra = extra;
    }
    return -1;
}

int ts_start_in(testServer *ts, const char *bin, const char *dir, const char *const *extra) {
    memset(ts, 0, sizeof(*ts));
    ts->extra = extra;
    ts->bin = bin;
    if (dir) {
        snprintf(ts->dir, sizeof(ts->dir), "%s", dir);
        ts->keep_dir = 1;
    } else {
        snprintf(ts->dir, sizeof(ts->dir), "/tmp/stash-test-XXXXXX");
        if (!mkdtemp(ts->dir)) return -1;
    }
    snprintf(ts->log, sizeof(ts->log), "%s/server-%d.log", ts->dir, (int)getpid());
    for (int attempt = 0; attempt < 5; attempt++) {
        ts->port = free_port();
        if (spawn(ts) == 0) return 0;
        kill_process(ts, SIGKILL);
    }
    return -1;
}

int ts_restart(testServer *ts, int hard) {
    kill_process(ts, hard ? SIGKILL : SIGTERM);
    return spawn(ts);
}

void ts_stop(testServer *ts) {
    kill_process(ts, SIGTERM);
    if (ts->dir[0] && !ts->keep_dir) {
        char cmdline[400];
        snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", ts->dir);
        if (system(cmdline) != 0) { /* best effort */
        }
        ts->dir[0] = '\0';
    }
}

redisContext *ts_connect(testServer *ts) {
    struct timeval tv = {10, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", ts->port, tv);
    assert_non_null(c);
    if (c->err) fail_msg("connect to port %d: %s", ts->port, c->errstr);
    redisSetTimeout(c, tv);
    return c;
}

char *ts_log(testServer *ts) {
    FILE *fp = fopen(ts->log, "r");
    if (!fp) return strdup("");
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    fclose(fp);
    return buf;
}

int ts_wait_log(testServer *ts, const char *text, int ms) {
    long long deadline = now_ms() + ms;
    do {
        char *log = ts_log(ts);
        int found = strstr(log, text) != NULL;
        free(log);
        if (found) return 1;
        usleep(10000);
    } while (now_ms() < deadline);
    return 0;
}

redisReply *cmd(redisContext *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    if (!r) fail_msg("no reply to '%s': %s", fmt, c->errstr);
    return r;
}

redisReply *cmdargv(redisContext *c, int argc, const char **argv, const size_t *lens) {
    redisReply *r = redisCommandArgv(c, argc, argv, lens);
    if (!r) fail_msg("no reply to '%s': %s", argv[0], c->errstr);
    return r;
}

static const char *type_name(int t) {
    switch (t) {
    case REDIS_REPLY_STRING: return "string";
    case REDIS_REPLY_ARRAY: return "array";
    case REDIS_REPLY_INTEGER: return "integer";
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_STATUS: return "status";
    case REDIS_REPLY_ERROR: return "error";
    default: return "?";
    }
}

static void describe_fail(redisReply *r, const char *want) {
    char got[512];
    if (r->type == REDIS_REPLY_INTEGER) snprintf(got, sizeof(got), "integer %lld", r->integer);
    else if (r->type == REDIS_REPLY_ARRAY) snprintf(got, sizeof(got), "array of %zu", r->elements);
    else if (r->str) snprintf(got, sizeof(got), "%s '%.400s'", type_name(r->type), r->str);
    else snprintf(got, sizeof(got), "%s", type_name(r->type));
    freeReplyObject(r);
    fail_msg("expected %s, got %s", want, got);
}

void expect_status(redisReply *r, const char *s) {
    char want[300];
    snprintf(want, sizeof(want), "status '%s'", s);
    if (r->type != REDIS_REPLY_STATUS || strcmp(r->str, s)) describe_fail(r, want);
    freeReplyObject(r);
}

void expect_int(redisReply *r, long long v) {
    char want[64];
    snprintf(want, sizeof(want), "integer %lld", v);
    if (r->type != REDIS_REPLY_INTEGER || r->integer != v) describe_fail(r, want);
    freeReplyObject(r);
}

void expect_bulk_len(redisReply *r, const char *s, size_t len) {
    char want[300];
    snprintf(want, sizeof(want), "bulk '%.200s'", s);
    if (r->type != REDIS_REPLY_STRING || r->len != len || memcmp(r->str, s, len)) describe_fail(r, want);
    freeReplyObject(r);
}

void expect_bulk(redisReply *r, const char *s) { expect_bulk_len(r, s, strlen(s)); }

void expect_nil(redisReply *r) {
    if (r->type != REDIS_REPLY_NIL) describe_fail(r, "nil");
    freeReplyObject(r);
}

void expect_error(redisReply *r, const char *prefix) {
    char want[300];
    snprintf(want, sizeof(want), "error starting '%s'", prefix);
    if (r->type != REDIS_REPLY_ERROR || strncmp(r->str, prefix, strlen(prefix))) describe_fail(r, want);
    freeReplyObject(r);
}

void expect_array_len(redisReply *r, size_t n) {
    char want[64];
    snprintf(want, sizeof(want), "array of %zu", n);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != n) describe_fail(r, want);
}

/* ---- raw sockets */
int raw_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    return fd;
}

int raw_send(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t raw_read(int fd, char *buf, size_t len, int ms) {
    size_t got = 0;
    long long deadline = now_ms() + ms;
    while (got < len) {
        long long left = deadline - now_ms();
        if (left <= 0) break;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0) break;
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

ssize_t raw_read_all(int fd, char *buf, size_t cap, int ms) {
    size_t got = 0;
    long long deadline = now_ms() + ms;
    while (got + 1 < cap) {
        long long left = deadline - now_ms();
        if (left <= 0) break;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0) break;
        ssize_t n = read(fd, buf + got, cap - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    return (ssize_t)got;
}

int raw_closed(int fd, int ms) {
    char buf[4096];
    long long deadline = now_ms() + ms;
    while (now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)(deadline - now_ms())) <= 0) return 0;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n == 0) return 1;
        if (n < 0 && errno == ECONNRESET) return 1;
    }
    return 0;
}

/* ---- RESP3 reader over a small buffered stream */
typedef struct rstream {
    int fd;
    long long deadline;
    char buf[65536];
    size_t pos, len;
} rstream;

static int rs_fill(rstream *s) {
    if (s->pos < s->len) return 1;
    long long left = s->deadline - now_ms();
    if (left <= 0) return 0;
    struct pollfd p = {s->fd, POLLIN, 0};
    if (poll(&p, 1, (int)left) <= 0) return 0;
    ssize_t n = read(s->fd, s->buf, sizeof(s->buf));
    if (n <= 0) return 0;
    s->pos = 0;
    s->len = (size_t)n;
    return 1;
}

/* Reads a CRLF-terminated line (without CRLF) into a malloc'ed string. */
static char *rs_line(rstream *s, size_t *outlen) {
    size_t cap = 64, n = 0;
    char *line = malloc(cap);
    for (;;) {
        if (!rs_fill(s)) {
            free(line);
            return NULL;
        }
        char ch = s->buf[s->pos++];
        if (n + 2 > cap) line = realloc(line, cap *= 2);
        line[n++] = ch;
        if (n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n') {
            n -= 2;
            line[n] = '\0';
            if (outlen) *outlen = n;
            return line;
        }
    }
}

static int rs_bytes(rstream *s, char *dst, size_t len) {
    while (len) {
        if (!rs_fill(s)) return 0;
        size_t take = s->len - s->pos < len ? s->len - s->pos : len;
        memcpy(dst, s->buf + s->pos, take);
        s->pos += take;
        dst += take;
        len -= take;
    }
    return 1;
}

static r3 *r3_parse(rstream *s) {
    size_t len;
    char *line = rs_line(s, &len);
    if (!line || len == 0) {
        free(line);
        return NULL;
    }
    r3 *r = calloc(1, sizeof(*r));
    char t = line[0];
    const char *rest = line + 1;
    switch (t) {
    case '+': case '-': case '(': case ',':
        r->type = t == '+' ? R3_STATUS : t == '-' ? R3_ERROR : t == '(' ? R3_BIGNUM : R3_DOUBLE;
        r->str = strdup(rest);
        r->len = strlen(rest);
        if (t == ',') r->d = strtod(rest, NULL);
        break;
    case ':': r->type = R3_INT; r->integer = strtoll(rest, NULL, 10); break;
    case '#': r->type = R3_BOOL; r->integer = rest[0] == 't'; break;
    case '_': r->type = R3_NULL; break;
    case '$': case '=': case '!': {
        long long n = strtoll(rest, NULL, 10);
        if (n < 0) { r->type = R3_NULL; break; }
        r->type = t == '$' ? R3_STRING : t == '=' ? R3_VERBATIM : R3_ERROR;
        r->str = malloc((size_t)n + 3);
        if (!rs_bytes(s, r->str, (size_t)n + 2)) { free(line); r3_free(r); return NULL; }
        r->str[n] = '\0';
        r->len = (size_t)n;
        break;
    }
    case '*': case '%': case '~': case '>': case '|': {
        long long n = strtoll(rest, NULL, 10);
        if (n < 0) { r->type = R3_NULL; break; }
        r->type = t == '*' ? R3_ARRAY : t == '%' ? R3_MAP : t == '~' ? R3_SET : t == '>' ? R3_PUSH : R3_ATTR;
        if (t == '%' || t == '|') n *= 2;
        r->n = (size_t)n;
        r->elem = calloc((size_t)n + 1, sizeof(r3 *));
        for (long long i = 0; i < n; i++) {
            r->elem[i] = r3_parse(s);
            if (!r->elem[i]) { free(line); r3_free(r); return NULL; }
        }
        break;
    }
    default:
        free(line);
        free(r);
        return NULL;
    }
    free(line);
    return r;
}

r3 *r3_read(int fd, int ms) {
    static rstream s; /* single-threaded tests: one stream per process is enough */
    if (s.fd != fd) { s.fd = fd; s.pos = s.len = 0; }
    s.deadline = now_ms() + ms;
    return r3_parse(&s);
}

void r3_free(r3 *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) r3_free(r->elem[i]);
    free(r->elem);
    free(r->str);
    free(r);
}

r3 *r3_cmd(int fd, int argc, const char **argv) {
    size_t cap = 64;
    for (int i = 0; i < argc; i++) cap += strlen(argv[i]) + 32;
    char *buf = malloc(cap);
    int n = snprintf(buf, cap, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) n += snprintf(buf + n, cap - (size_t)n, "$%zu\r\n%s\r\n", strlen(argv[i]), argv[i]);
    raw_send(fd, buf, (size_t)n);
    free(buf);
    return r3_read(fd, 5000);
}

r3 *r3_cmds(int fd, const char *line) {
    char *copy = strdup(line);
    const char *argv[64];
    int argc = 0;
    for (char *tok = strtok(copy, " "); tok && argc < 64; tok = strtok(NULL, " ")) argv[argc++] = tok;
    r3 *r = r3_cmd(fd, argc, argv);
    free(copy);
    return r;
}

int group_start_server(void **state) {
    (void)state;
    return ts_start(&srv, NULL);
}

int group_stop_server(void **state) {
    (void)state;
    ts_stop(&srv);
    return 0;
}
