/* repl_helpers.h: what the replication and Sentinel tests share, on top of
 * the harness: starting a replica of a given server, reading INFO fields,
 * waiting (bounded) until replicas have processed the master's whole
 * stream, DEBUG DIGEST, and a fake replica on a raw socket that speaks
 * PSYNC so a test can see the exact bytes a master sends. Header-only:
 * each test binary is one translation unit. */
#ifndef STASH_TEST_REPL_HELPERS_H
#define STASH_TEST_REPL_HELPERS_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/harness.h"

#define REDIS_BIN "/usr/bin/redis-server"

static inline long long rh_now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Copies the value of "field:" from INFO <section> into buf ("" if absent). */
static inline void info_str(redisContext *c, const char *section, const char *field, char *buf, size_t cap) {
    redisReply *r = cmd(c, "INFO %s", section);
    buf[0] = '\0';
    if (r->type == REDIS_REPLY_STRING) {
        char pat[128];
        snprintf(pat, sizeof(pat), "\r\n%s:", field);
        char *p = strstr(r->str, pat); /* the section header precedes every field */
        if (p) {
            p += strlen(pat);
            size_t n = strcspn(p, "\r\n");
            if (n >= cap) n = cap - 1;
            memcpy(buf, p, n);
            buf[n] = '\0';
        }
    }
    freeReplyObject(r);
}

static inline long long info_field(redisContext *c, const char *section, const char *field) {
    char buf[128];
    info_str(c, section, field, buf, sizeof(buf));
    return buf[0] ? strtoll(buf, NULL, 10) : -1;
}

/* Polls until GET key on c returns want (or 10 s pass). */
static inline int wait_value(redisContext *c, const char *key, const char *want) {
    for (int i = 0; i < 500; i++) {
        redisReply *r = redisCommand(c, "GET %s", key);
        int ok = r && r->type == REDIS_REPLY_STRING && !strcmp(r->str, want);
        if (r) freeReplyObject(r);
        if (ok) return 1;
        usleep(20000);
    }
    return 0;
}

/* Starts bin (NULL: Stash) as a replica of master; extra words follow. */
static inline int start_replica(testServer *ts, const char *bin, testServer *master,
                                const char *const *extra) {
    /* the harness keeps the argv pointer (for ts_restart): static storage */
    static char ports[16][16];
    static const char *argvs[16][32];
    static int next;
    int slot = next++ % 16;
    const char **argv = argvs[slot];
    snprintf(ports[slot], 16, "%d", master->port);
    int n = 0;
    argv[n++] = "--replicaof";
    argv[n++] = "127.0.0.1";
    argv[n++] = ports[slot];
    for (int i = 0; extra && extra[i] && n < 31; i++) argv[n++] = extra[i];
    argv[n] = NULL;
    return ts_start_in(ts, bin, NULL, argv);
}

/* Waits until every replica reports link up and has processed everything
 * the master has produced (slave_repl_offset == master_repl_offset). */
static inline int wait_synced(redisContext *m, redisContext **replicas, int n, int ms) {
    long long deadline = rh_now_ms() + ms;
    do {
        long long moff = info_field(m, "replication", "master_repl_offset");
        int ok = 1;
        for (int i = 0; i < n && ok; i++) {
            char link[32];
            info_str(replicas[i], "replication", "master_link_status", link, sizeof(link));
            ok = !strcmp(link, "up") && info_field(replicas[i], "replication", "slave_repl_offset") == moff;
        }
        if (ok && info_field(m, "replication", "master_repl_offset") == moff) return 1;
        usleep(10000);
    } while (rh_now_ms() < deadline);
    return 0;
}

static inline void digest(redisContext *c, char *out) {
    redisReply *r = cmd(c, "DEBUG DIGEST");
    snprintf(out, 41, "%s", r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING ? r->str : "?");
    freeReplyObject(r);
}

/* Reads one "\r\n"-terminated line from fd, skipping the bare "\n"
 * keepalives a master sends while it prepares; NUL-terminated, no CRLF. */
static inline int raw_line(int fd, char *buf, size_t cap, int ms) {
    size_t n = 0;
    long long deadline = rh_now_ms() + ms;
    while (n + 1 < cap && rh_now_ms() < deadline) {
        char ch;
        if (raw_read(fd, &ch, 1, (int)(deadline - rh_now_ms())) != 1) break;
        if (n == 0 && ch == '\n') continue;
        buf[n++] = ch;
        if (n >= 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
            buf[n - 2] = '\0';
            return 1;
        }
    }
    buf[n] = '\0';
    return 0;
}

/* A fake replica: connects, sends `line` (e.g. "PSYNC <id> <off>\r\n") and
 * returns the socket with the first reply line in reply. */
static inline int fake_replica(int port, const char *line, char *reply, size_t cap) {
    int fd = raw_connect(port);
    if (fd == -1) return -1;
    raw_send(fd, line, strlen(line));
    raw_line(fd, reply, cap, 5000);
    return fd;
}

/* A PSYNC2 fake replica: REPLCONF capa psync2, then PSYNC replid offset
 * (a master refuses PSYNC while a reply is still pending, so one at a
 * time); reply gets the PSYNC reply line. */
static inline int fake_psync(int port, const char *replid, long long offset, char *reply, size_t cap) {
    int fd = fake_replica(port, "REPLCONF capa psync2\r\n", reply, cap);
    if (fd == -1 || strcmp(reply, "+OK")) return fd;
    char req[128];
    snprintf(req, sizeof(req), "PSYNC %s %lld\r\n", replid, offset);
    raw_send(fd, req, strlen(req));
    raw_line(fd, reply, cap, 5000);
    return fd;
}

#endif
