/* harness.h: what integration tests use to run a real stash-server and talk
 * to it. ts_start picks a free loopback port, starts the binary named by
 * $STASH_SERVER with a private working directory, and waits until it
 * answers PING; ts_stop kills exactly that PID and removes the directory.
 * Reply assertions print the actual reply on failure. A tiny RESP3 reader
 * (Debian's hiredis 0.14 cannot parse RESP3) reads raw replies from a socket
 * for RESP3 checks, and raw helpers send arbitrary bytes. */
#ifndef STASH_TEST_HARNESS_H
#define STASH_TEST_HARNESS_H

#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
/* cmocka needs these before its header */
#include <setjmp.h>
#include <cmocka.h>

typedef struct testServer {
    pid_t pid;
    int port;
    char dir[256];
    char log[300];
    const char *const *extra;
    const char *bin;   /* NULL: $STASH_SERVER */
    int keep_dir;      /* ts_stop leaves dir in place */
} testServer;

/* Starts a server; extra is a NULL-terminated list of command-line words
 * ("--maxclients", "10", NULL) or NULL. Returns 0 on success. */
int ts_start(testServer *ts, const char *const *extra);
void ts_stop(testServer *ts);
/* Starts `bin` (e.g. Debian's /usr/bin/redis-server as an interop peer) in
 * an existing directory dir (NULL: a new one). */
int ts_start_in(testServer *ts, const char *bin, const char *dir, const char *const *extra);
/* Stops the process (SIGTERM, or SIGKILL when hard) and starts it again on
 * the same port and directory, with the same extra arguments. */
int ts_restart(testServer *ts, int hard);
/* 1 if the process is still alive. */
int ts_alive(testServer *ts);
redisContext *ts_connect(testServer *ts);
/* Reads the server's log file into a malloc'ed string. */
char *ts_log(testServer *ts);
/* Waits up to ms for a log line containing text. */
int ts_wait_log(testServer *ts, const char *text, int ms);

/* One command with printf-style hiredis formatting; asserts a reply came. */
redisReply *cmd(redisContext *c, const char *fmt, ...);
redisReply *cmdargv(redisContext *c, int argc, const char **argv, const size_t *lens);

/* Assertions that free the reply. */
void expect_status(redisReply *r, const char *s);
void expect_int(redisReply *r, long long v);
void expect_bulk(redisReply *r, const char *s);
void expect_bulk_len(redisReply *r, const char *s, size_t len);
void expect_nil(redisReply *r);
void expect_error(redisReply *r, const char *prefix); /* error text starts with prefix */
void expect_array_len(redisReply *r, size_t n);       /* does not free */

#define OK(c, ...) expect_status(cmd(c, __VA_ARGS__), "OK")

/* ---- raw sockets */
int raw_connect(int port);
int raw_send(int fd, const void *buf, size_t len);
/* Reads until `len` bytes arrived or ms elapsed; returns bytes read. */
ssize_t raw_read(int fd, char *buf, size_t len, int ms);
/* Reads whatever arrives within ms into buf (NUL-terminated). */
ssize_t raw_read_all(int fd, char *buf, size_t cap, int ms);
/* 1 if the peer closed within ms. */
int raw_closed(int fd, int ms);

/* ---- RESP3 reader */
typedef enum {
    R3_STRING, R3_ERROR, R3_STATUS, R3_INT, R3_NULL, R3_DOUBLE, R3_BOOL, R3_VERBATIM, R3_BIGNUM,
    R3_ARRAY, R3_MAP, R3_SET, R3_PUSH, R3_ATTR
} r3type;

typedef struct r3 {
    r3type type;
    char *str;           /* STRING, ERROR, STATUS, VERBATIM, BIGNUM, DOUBLE (text) */
    size_t len;
    long long integer;   /* INT, BOOL */
    double d;
    size_t n;            /* ARRAY/SET/PUSH elements; MAP: 2*pairs */
    struct r3 **elem;
} r3;

/* Reads one RESP3 value from fd (ms timeout); NULL on timeout/EOF/error. */
r3 *r3_read(int fd, int ms);
void r3_free(r3 *r);
/* Sends a command (argv) as RESP multibulk and reads one reply. */
r3 *r3_cmd(int fd, int argc, const char **argv);
/* Convenience: space-separated words, no quoting. */
r3 *r3_cmds(int fd, const char *line);

/* Runs a cmocka group with a shared server (started in setup, stopped in
 * teardown), exposed to tests as `srv`. */
extern testServer srv;
int group_start_server(void **state);
int group_stop_server(void **state);

#endif
