/* test_limits.c: the limits that protect the server from its clients:
 * maxclients, the query buffer limit, proto-max-bulk-len, idle timeout,
 * output buffer limits (hard and soft) for clients that never read,
 * the 1 KB cap on unread replies of unauthenticated clients, and ten
 * thousand connections at once (as many as RLIMIT_NOFILE allows). Each
 * test checks that the offender is dropped and everybody else is served. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "harness/harness.h"

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 while CLIENT LIST (seen from c) shows a client with this name. */
static int client_named(redisContext *c, const char *name) {
    char needle[80];
    snprintf(needle, sizeof(needle), " name=%s ", name);
    redisReply *r = cmd(c, "CLIENT LIST");
    int found = strstr(r->str, needle) != NULL;
    freeReplyObject(r);
    return found;
}

static int wait_gone(redisContext *c, const char *name, int ms) {
    long long deadline = now_ms() + ms;
    while (client_named(c, name)) {
        if (now_ms() > deadline) return 0;
        usleep(20000);
    }
    return 1;
}

/* Sum of a numeric CLIENT LIST field over every client. */
static long long sum_field(redisContext *c, const char *field) {
    char key[32];
    snprintf(key, sizeof(key), " %s=", field);
    redisReply *r = cmd(c, "CLIENT LIST");
    long long sum = 0;
    for (const char *p = strstr(r->str, key); p; p = strstr(p + 1, key)) sum += atoll(p + strlen(key));
    freeReplyObject(r);
    return sum;
}

/* A raw client that names itself, so CLIENT LIST can find it. */
static int named_raw_client(testServer *ts, const char *name) {
    int fd = raw_connect(ts->port);
    char req[96], buf[16];
    snprintf(req, sizeof(req), "CLIENT SETNAME %s\r\n", name);
    raw_send(fd, req, strlen(req));
    assert_int_equal(raw_read(fd, buf, 5, 2000), 5);
    return fd;
}

static void test_maxclients(void **state) {
    static const char *const args[] = {"--maxclients", "3", NULL};
    testServer small;
    assert_int_equal(ts_start(&small, args), 0);
    int fds[3];
    char buf[128];
    for (int i = 0; i < 3; i++) {
        fds[i] = raw_connect(small.port);
        raw_send(fds[i], "PING\r\n", 6);
        assert_int_equal(raw_read(fds[i], buf, 7, 2000), 7);
    }
    int extra = raw_connect(small.port);
    raw_read_all(extra, buf, sizeof(buf), 2000);
    assert_string_equal(buf, "-ERR max number of clients reached\r\n");
    assert_true(raw_closed(extra, 2000));
    close(extra);
    /* A freed slot can be taken again. */
    close(fds[0]);
    usleep(100000);
    fds[0] = raw_connect(small.port);
    raw_send(fds[0], "PING\r\n", 6);
    assert_int_equal(raw_read(fds[0], buf, 7, 2000), 7);
    assert_memory_equal(buf, "+PONG\r\n", 7);
    for (int i = 0; i < 3; i++) close(fds[i]);
    ts_stop(&small);
}

static void test_query_buffer_limit(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG SET client-query-buffer-limit 1mb");
    int fd = named_raw_client(&srv, "bigsender");
    const char *hdr = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n";
    raw_send(fd, hdr, strlen(hdr));
    size_t chunk = 64 * 1024;
    char *data = malloc(chunk);
    memset(data, 'x', chunk);
    for (int i = 0; i < 24; i++)
        if (raw_send(fd, data, chunk) == -1) break;
    free(data);
    assert_true(raw_closed(fd, 3000)); /* closed without a reply */
    close(fd);
    assert_true(ts_wait_log(&srv, "Closing client that reached max query buffer length", 2000));
    /* Many small commands in one pipeline are not a big query buffer. */
    expect_status(cmd(c, "PING"), "PONG");
    OK(c, "CONFIG SET client-query-buffer-limit 1gb");
    redisFree(c);
}

static void test_bulk_over_proto_max_bulk_len(void **state) {
    int fd = raw_connect(srv.port);
    const char *req = "*2\r\n$3\r\nGET\r\n$536870913\r\n"; /* 512 MB + 1 */
    raw_send(fd, req, strlen(req));
    char buf[128];
    raw_read_all(fd, buf, sizeof(buf), 1000);
    assert_string_equal(buf, "-ERR Protocol error: invalid bulk length\r\n");
    assert_true(raw_closed(fd, 2000));
    close(fd);
    /* Exactly the limit is accepted (the server then waits for the data). */
    fd = raw_connect(srv.port);
    req = "*2\r\n$3\r\nGET\r\n$536870912\r\n";
    raw_send(fd, req, strlen(req));
    assert_false(raw_closed(fd, 300));
    close(fd);
}

static void test_idle_timeout(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG SET timeout 1");
    int idle = raw_connect(srv.port);
    int busy = raw_connect(srv.port);
    int sub = raw_connect(srv.port);
    raw_send(sub, "SUBSCRIBE ch\r\n", 14);
    char buf[256];
    long long start = now_ms();
    int idle_closed = 0;
    while (now_ms() - start < 4000 && !idle_closed) {
        raw_send(busy, "PING\r\n", 6);
        assert_int_equal(raw_read(busy, buf, 7, 1000), 7);
        idle_closed = raw_closed(idle, 300);
    }
    assert_true(idle_closed);
    assert_true(now_ms() - start >= 900); /* not before the timeout */
    /* The active client and the subscriber are still there. */
    raw_send(busy, "PING\r\n", 6);
    assert_int_equal(raw_read(busy, buf, 7, 1000), 7);
    raw_send(sub, "PING\r\n", 6);
    raw_read_all(sub, buf, sizeof(buf), 300);
    assert_non_null(strstr(buf, "pong"));
    redisFree(c); /* it was idle too: closed meanwhile */
    c = ts_connect(&srv);
    OK(c, "CONFIG SET timeout 0");
    close(idle);
    close(busy);
    close(sub);
    redisFree(c);
}

/* A client asking for a big value over and over, never reading. */
static int hog(testServer *ts, const char *name, int requests) {
    int fd = named_raw_client(ts, name);
    char *req = malloc((size_t)requests * 16);
    size_t used = 0;
    for (int i = 0; i < requests; i++) used += (size_t)sprintf(req + used, "GET big\r\n");
    raw_send(fd, req, used);
    free(req);
    return fd;
}

static void test_output_buffer_hard_limit(void **state) {
    redisContext *c = ts_connect(&srv);
    char *value = malloc(100000);
    memset(value, 'v', 100000);
    OK(c, "SET big %b", value, (size_t)100000);
    free(value);
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 1mb 0 0");
    int fd = hog(&srv, "hardhog", 400); /* 40 MB of replies it will not read */
    assert_true(wait_gone(c, "hardhog", 5000));
    assert_true(ts_wait_log(&srv, "for overcoming of output buffer limits", 2000));
    /* Its memory is given back: no other client holds output. */
    assert_int_equal(sum_field(c, "omem"), 0);
    expect_status(cmd(c, "PING"), "PONG");
    close(fd);
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 0 0 0");
    redisFree(c);
}

static void test_output_buffer_soft_limit(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 0 512kb 1");
    int fd = hog(&srv, "softhog", 200);
    usleep(300000);
    /* Over the soft limit but not for long enough yet: still there. */
    assert_true(client_named(c, "softhog"));
    assert_true(sum_field(c, "omem") > 0);
    assert_true(wait_gone(c, "softhog", 5000));
    assert_int_equal(sum_field(c, "omem"), 0);
    close(fd);
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 0 0 0");
    redisFree(c);
}

static void test_normal_clients_have_no_output_limit_by_default(void **state) {
    redisContext *c = ts_connect(&srv);
    int fd = hog(&srv, "patient", 300);
    usleep(300000);
    assert_true(client_named(c, "patient"));
    /* It reads in the end and gets everything. */
    size_t want = 300 * (100000 + strlen("$100000\r\n\r\n")), got = 0;
    char *buf = malloc(1 << 20);
    long long deadline = now_ms() + 10000;
    while (got < want && now_ms() < deadline) {
        ssize_t n = raw_read(fd, buf, (1 << 20) < want - got ? (1 << 20) : want - got, 500);
        if (n <= 0) break;
        got += (size_t)n;
    }
    free(buf);
    assert_int_equal(got, want);
    close(fd);
    redisFree(c);
}

static void test_unauthenticated_unread_replies_are_capped(void **state) {
    static const char *const args[] = {"--requirepass", "secret", NULL};
    testServer secured;
    assert_int_equal(ts_start(&secured, args), 0);
    size_t n = 10000, len = n * 6;
    char *pings = malloc(len);
    for (size_t i = 0; i < n; i++) memcpy(pings + i * 6, "PING\r\n", 6);
    /* Unauthenticated: 10000 NOAUTH errors would be 340 KB; it is dropped. */
    int fd = raw_connect(secured.port);
    raw_send(fd, pings, len);
    usleep(200000);
    size_t full = n * strlen("-NOAUTH Authentication required.\r\n"), got = 0;
    char *buf = malloc(full);
    for (;;) {
        ssize_t r = raw_read(fd, buf, full - got, 1000);
        if (r <= 0) break;
        got += (size_t)r;
    }
    assert_true(got < full);
    assert_true(raw_closed(fd, 1000));
    close(fd);
    /* Authenticated, the same pipeline is answered in full. */
    fd = raw_connect(secured.port);
    raw_send(fd, "AUTH secret\r\n", 13);
    char ok[8];
    assert_int_equal(raw_read(fd, ok, 5, 2000), 5);
    raw_send(fd, pings, len);
    usleep(200000);
    assert_int_equal(raw_read(fd, buf, n * 7, 5000), (ssize_t)(n * 7));
    assert_memory_equal(buf + n * 7 - 7, "+PONG\r\n", 7);
    close(fd);
    free(buf);
    free(pings);
    ts_stop(&secured);
}

/* Opens up to `want` connections; every 250 it waits for a PONG on the
 * newest so the accept queue never overflows. Returns how many opened. */
static int open_many(int port, int *fds, int want) {
    char buf[8];
    int n = 0;
    for (; n < want; n++) {
        fds[n] = raw_connect(port);
        if (fds[n] < 0) break;
        if (n % 250 == 249) {
            raw_send(fds[n], "PING\r\n", 6);
            if (raw_read(fds[n], buf, 7, 5000) != 7) return n + 1;
        }
    }
    return n;
}

static void test_ten_thousand_clients(void **state) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max; /* the server started below inherits it */
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    int want = 10000;
    if ((long long)rl.rlim_cur < want + 300) {
        want = (int)rl.rlim_cur - 300;
        printf("RLIMIT_NOFILE is %llu: testing %d clients instead of 10000\n",
               (unsigned long long)rl.rlim_cur, want);
    }
    char maxclients[16];
    snprintf(maxclients, sizeof(maxclients), "%d", want + 100);
    const char *const args[] = {"--maxclients", maxclients, NULL};
    testServer many;
    assert_int_equal(ts_start(&many, args), 0);
    int *fds = malloc(sizeof(int) * (size_t)want);
    int opened = open_many(many.port, fds, want);
    assert_int_equal(opened, want);
    for (int i = 0; i < opened; i++) raw_send(fds[i], "PING\r\n", 6);
    int answered = 0;
    char buf[8];
    for (int i = 0; i < opened; i++)
        if (raw_read(fds[i], buf, 7, 5000) == 7 && !memcmp(buf, "+PONG\r\n", 7)) answered++;
    assert_int_equal(answered, opened);
    /* Somebody else is still served, and sees them all. */
    redisContext *c = ts_connect(&many);
    OK(c, "SET crowd yes");
    expect_bulk(cmd(c, "GET crowd"), "yes");
    redisReply *r = cmd(c, "CLIENT LIST");
    int lines = 0;
    for (const char *p = r->str; (p = strchr(p, '\n')); p++) lines++;
    assert_true(lines >= opened + 1);
    freeReplyObject(r);
    for (int i = 0; i < opened; i++) close(fds[i]);
    free(fds);
    usleep(200000);
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
    assert_true(ts_alive(&many));
    ts_stop(&many);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maxclients),
        cmocka_unit_test(test_query_buffer_limit),
        cmocka_unit_test(test_bulk_over_proto_max_bulk_len),
        cmocka_unit_test(test_idle_timeout),
        cmocka_unit_test(test_output_buffer_hard_limit),
        cmocka_unit_test(test_output_buffer_soft_limit),
        cmocka_unit_test(test_normal_clients_have_no_output_limit_by_default),
        cmocka_unit_test(test_unauthenticated_unread_replies_are_capped),
        cmocka_unit_test(test_ten_thousand_clients),
    };
    return cmocka_run_group_tests_name("limits", tests, group_start_server, group_stop_server);
}
