/* test_sentinel.c: Debian's redis-sentinel (7.0) monitoring Stash. A Stash
 * master with two Stash replicas, each started from a config file so that
 * Sentinel's CONFIG REWRITE has somewhere to write. Sentinel must discover
 * the replicas from the master's INFO, talk through __sentinel__:hello,
 * and after the master is killed promote a replica (MULTI, SLAVEOF NO ONE,
 * CONFIG REWRITE, CLIENT KILL TYPE normal/pubsub, EXEC) and re-point the
 * other one. Everything Sentinel sent must have worked: INFO errorstats
 * stays empty and no command has failed or rejected calls. Finally the old
 * master comes back and Sentinel turns it into a replica of the new one.
 * Every process is started here and killed by its PID.
 *
 * down-after-milliseconds is 2000, as in Redis's own Sentinel tests: with
 * 1000 (Sentinel's ping period) Sentinel itself races after a switch (the
 * new master's link may be reconnected up to a ping period after its
 * "last ping" clock was reset) and now and then declares the promoted
 * replica down and fails over a second time. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interop/repl_helpers.h"

#define SENTINEL_BIN "/usr/bin/redis-sentinel"

typedef struct proc {
    pid_t pid;
    int port;
    char conf[300], log[300], dir[200];
} proc;

/* Static, not on the test's stack: a failing assertion longjmps out of
 * the test and the exit handler must still find every PID. */
static char tmpdir[64];
static proc m, a, b, s;
static proc *all[] = {&m, &a, &b, &s};

static void kill_all(void) {
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (all[i]->pid > 0) {
            kill(all[i]->pid, SIGKILL);
            waitpid(all[i]->pid, NULL, 0);
            all[i]->pid = 0;
        }
}

static void stop(proc *p) {
    if (p->pid <= 0) return;
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->pid = 0;
}

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* Connects to port; NULL if nothing answers. */
static redisContext *conn(int port) {
    struct timeval tv = {5, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
    if (!c || c->err) {
        if (c) redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    return c;
}

/* Starts bin with its config file and waits until it answers PING. */
static int launch(proc *p, const char *bin) {
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(bin, bin, p->conf, (char *)NULL);
        _exit(127);
    }
    p->pid = pid;
    for (int i = 0; i < 500; i++) {
        redisContext *c = conn(p->port);
        if (c) {
            redisReply *r = redisCommand(c, "PING");
            int ok = r && r->type == REDIS_REPLY_STATUS;
            if (r) freeReplyObject(r);
            redisFree(c);
            if (ok) return 0;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            p->pid = 0;
            return -1;
        }
        usleep(10000);
    }
    return -1;
}

static const char *stash_bin(void) {
    const char *bin = getenv("STASH_SERVER");
    return bin ? bin : "src/stash-server";
}

static void write_file(const char *path, const char *text) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *read_file(const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) return strdup("");
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return strdup(buf);
}

static void stash_conf(proc *p, const char *name, int master_port) {
    p->port = free_port();
    snprintf(p->dir, sizeof(p->dir), "%s/%s", tmpdir, name);
    mkdir(p->dir, 0755);
    snprintf(p->conf, sizeof(p->conf), "%s/stash.conf", p->dir);
    snprintf(p->log, sizeof(p->log), "%s/stash.log", p->dir);
    char text[1024];
    int n = snprintf(text, sizeof(text),
                     "port %d\nbind 127.0.0.1\ndir \"%s\"\nlogfile \"%s\"\nsave \"\"\ndaemonize no\n"
                     "enable-debug-command yes\nrepl-diskless-sync-delay 0\n",
                     p->port, p->dir, p->log);
    if (master_port) snprintf(text + n, sizeof(text) - (size_t)n, "replicaof 127.0.0.1 %d\n", master_port);
    write_file(p->conf, text);
}

/* INFO field of the server on port, through a fresh connection (Sentinel's
 * CLIENT KILL TYPE normal closes long-lived ones). */
static void info_at(int port, const char *field, char *buf, size_t cap) {
    buf[0] = '\0';
    redisContext *c = conn(port);
    if (!c) return;
    info_str(c, "replication", field, buf, cap);
    redisFree(c);
}

/* SENTINEL REPLICAS m: how many replicas Sentinel knows with flags "slave". */
static int sentinel_good_replicas(int sport) {
    redisContext *c = conn(sport);
    if (!c) return -1;
    redisReply *r = redisCommand(c, "SENTINEL REPLICAS m");
    int good = 0;
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *e = r->element[i];
        for (size_t j = 0; j + 1 < e->elements; j += 2)
            if (!strcmp(e->element[j]->str, "flags") && !strcmp(e->element[j + 1]->str, "slave")) good++;
    }
    if (r) freeReplyObject(r);
    redisFree(c);
    return good;
}

static int sentinel_master_port(int sport) {
    redisContext *c = conn(sport);
    if (!c) return -1;
    redisReply *r = redisCommand(c, "SENTINEL GET-MASTER-ADDR-BY-NAME m");
    int port = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 ? atoi(r->element[1]->str) : -1;
    if (r) freeReplyObject(r);
    redisFree(c);
    return port;
}

/* Waits for a __sentinel__:hello message from Sentinel on the server at port. */
static int saw_hello(int port, int sport, int ms) {
    redisContext *c = conn(port);
    if (!c) return 0;
    redisReply *r = redisCommand(c, "SUBSCRIBE __sentinel__:hello");
    if (r) freeReplyObject(r);
    char want[64];
    snprintf(want, sizeof(want), "127.0.0.1,%d,", sport);
    int found = 0;
    long long deadline = rh_now_ms() + ms;
    struct timeval tv = {0, 200000};
    redisSetTimeout(c, tv);
    while (!found && rh_now_ms() < deadline) {
        r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK) {
            if (c->err != REDIS_ERR_IO) break;
            c->err = 0; /* a read timeout: keep waiting */
            continue;
        }
        found = r->type == REDIS_REPLY_ARRAY && r->elements == 3 && !strcmp(r->element[0]->str, "message") &&
                !strncmp(r->element[2]->str, want, strlen(want));
        freeReplyObject(r);
    }
    redisFree(c);
    return found;
}

/* No error replies at all, and no command with failed or rejected calls. */
static void expect_no_errors(int port) {
    redisContext *c = conn(port);
    assert_non_null(c);
    redisReply *r = cmd(c, "INFO errorstats");
    if (strstr(r->str, "errorstat_")) fail_msg("errors on port %d:\n%s", port, r->str);
    freeReplyObject(r);
    r = cmd(c, "INFO commandstats");
    for (char *line = strtok(r->str, "\r\n"); line; line = strtok(NULL, "\r\n"))
        if (strstr(line, "cmdstat_") &&
            (!strstr(line, "rejected_calls=0") || !strstr(line, "failed_calls=0")))
            fail_msg("port %d: %s", port, line);
    freeReplyObject(r);
    redisFree(c);
}

static int cmdstat_calls(int port, const char *name) {
    redisContext *c = conn(port);
    if (!c) return -1;
    redisReply *r = cmd(c, "INFO commandstats");
    char pat[64];
    snprintf(pat, sizeof(pat), "cmdstat_%s:calls=", name);
    char *p = strstr(r->str, pat);
    int calls = p ? atoi(p + strlen(pat)) : 0;
    freeReplyObject(r);
    redisFree(c);
    return calls;
}

static void test_sentinel_failover(void **state) {
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/stash-sentinel-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    atexit(kill_all);
    stash_conf(&m, "master", 0);
    assert_int_equal(launch(&m, stash_bin()), 0);
    stash_conf(&a, "replica-a", m.port);
    stash_conf(&b, "replica-b", m.port);
    assert_int_equal(launch(&a, stash_bin()), 0);
    assert_int_equal(launch(&b, stash_bin()), 0);
    redisContext *mc = conn(m.port), *rc[2] = {conn(a.port), conn(b.port)};
    for (int i = 0; i < 200; i++) OK(mc, "SET key:%d %d", i, i);
    expect_int(cmd(mc, "HSET h f v"), 1);
    assert_true(wait_synced(mc, rc, 2, 10000));
    OK(mc, "CONFIG RESETSTAT");
    OK(rc[0], "CONFIG RESETSTAT");
    OK(rc[1], "CONFIG RESETSTAT");

    s.port = free_port();
    snprintf(s.dir, sizeof(s.dir), "%s", tmpdir);
    snprintf(s.conf, sizeof(s.conf), "%s/sentinel.conf", tmpdir);
    snprintf(s.log, sizeof(s.log), "%s/sentinel.log", tmpdir);
    char text[1024];
    snprintf(text, sizeof(text),
             "port %d\nbind 127.0.0.1\ndaemonize no\nlogfile \"%s\"\ndir \"%s\"\n"
             "sentinel monitor m 127.0.0.1 %d 1\nsentinel down-after-milliseconds m 2000\n"
             "sentinel failover-timeout m 5000\n",
             s.port, s.log, tmpdir, m.port);
    write_file(s.conf, text);
    assert_int_equal(launch(&s, SENTINEL_BIN), 0);

    /* discovery through the master's INFO, then hello messages */
    int good = 0;
    for (int i = 0; i < 100 && (good = sentinel_good_replicas(s.port)) != 2; i++) usleep(100000);
    assert_int_equal(good, 2);
    assert_true(saw_hello(m.port, s.port, 5000));
    assert_true(saw_hello(b.port, s.port, 5000));
    redisReply *r = cmd(mc, "CLIENT LIST");
    assert_non_null(strstr(r->str, "-cmd "));
    assert_non_null(strstr(r->str, "-pubsub "));
    assert_non_null(strstr(r->str, "name=sentinel-"));
    freeReplyObject(r);

    /* clients Sentinel's CLIENT KILL TYPE normal / pubsub must close */
    redisContext *victim = conn(a.port), *subscriber = conn(a.port);
    r = cmd(subscriber, "SUBSCRIBE some-channel");
    freeReplyObject(r);

    /* the master dies */
    long long t0 = rh_now_ms();
    stop(&m);
    redisFree(mc);
    redisFree(rc[0]);
    redisFree(rc[1]);
    int newport = m.port;
    while (rh_now_ms() - t0 < 30000 && (newport = sentinel_master_port(s.port)) == m.port) usleep(100000);
    long long failover_ms = rh_now_ms() - t0;
    assert_true(newport == a.port || newport == b.port);
    proc *promoted = newport == a.port ? &a : &b, *other = newport == a.port ? &b : &a;
    char buf[64];
    info_at(promoted->port, "role", buf, sizeof(buf));
    assert_string_equal(buf, "master");

    /* the other replica follows the new master */
    int ok = 0;
    while (rh_now_ms() - t0 < 45000 && !ok) {
        char port[16], link[16];
        info_at(other->port, "master_port", port, sizeof(port));
        info_at(other->port, "master_link_status", link, sizeof(link));
        ok = atoi(port) == newport && !strcmp(link, "up");
        if (!ok) usleep(100000);
    }
    assert_true(ok);
    redisContext *pc = conn(promoted->port), *oc = conn(other->port);
    OK(pc, "SET after failover");
    assert_true(wait_value(oc, "after", "failover"));
    expect_bulk(cmd(oc, "GET key:199"), "199");
    assert_true(wait_synced(pc, &oc, 1, 10000));
    char d1[41], d2[41];
    digest(pc, d1);
    digest(oc, d2);
    assert_string_equal(d1, d2);
    redisFree(pc);
    redisFree(oc);

    /* Sentinel's own view and its log */
    char *slog = read_file(s.log);
    for (int i = 0; i < 100 && !strstr(slog, "+failover-end"); i++) {
        free(slog);
        usleep(100000);
        slog = read_file(s.log);
    }
    assert_non_null(strstr(slog, "+promoted-slave"));
    assert_non_null(strstr(slog, "+slave-reconf-done"));
    assert_non_null(strstr(slog, "+failover-end"));
    assert_non_null(strstr(slog, "+switch-master"));
    assert_null(strstr(slog, "-failover-abort"));
    free(slog);

    /* what Sentinel sent worked: the transaction ran, configs were rewritten,
     * normal and pubsub clients were killed, and no command failed */
    assert_true(cmdstat_calls(promoted->port, "exec") >= 1);
    assert_true(cmdstat_calls(other->port, "exec") >= 1);
    assert_true(cmdstat_calls(other->port, "config|rewrite") >= 1);
    assert_true(cmdstat_calls(other->port, "client|kill") >= 2);
    assert_true(cmdstat_calls(promoted->port, "publish") >= 1);
    if (getenv("SENTINEL_TEST_VERBOSE")) {
        redisContext *c = conn(other->port);
        r = cmd(c, "INFO commandstats");
        for (char *line = strtok(r->str, "\r\n"); line; line = strtok(NULL, "\r\n"))
            print_message("%s\n", line);
        freeReplyObject(r);
        redisFree(c);
    }
    expect_no_errors(promoted->port);
    expect_no_errors(other->port);
    char *conf = read_file(other->conf);
    snprintf(buf, sizeof(buf), "replicaof 127.0.0.1 %d", newport);
    assert_non_null(strstr(conf, buf));
    free(conf);
    conf = read_file(promoted->conf);
    assert_null(strstr(conf, "replicaof"));
    free(conf);
    r = redisCommand(victim, "PING");
    assert_true(r == NULL || victim->err);
    if (r) freeReplyObject(r);
    r = redisCommand(subscriber, "PING");
    assert_true(r == NULL || subscriber->err);
    if (r) freeReplyObject(r);
    redisFree(victim);
    redisFree(subscriber);

    /* the old master returns and is converted into a replica */
    assert_int_equal(launch(&m, stash_bin()), 0);
    ok = 0;
    long long t1 = rh_now_ms();
    while (rh_now_ms() - t1 < 30000 && !ok) {
        char port[16], link[16];
        info_at(m.port, "master_port", port, sizeof(port));
        info_at(m.port, "master_link_status", link, sizeof(link));
        ok = atoi(port) == newport && !strcmp(link, "up");
        if (!ok) usleep(100000);
    }
    assert_true(ok);
    redisContext *mc2 = conn(m.port);
    assert_true(wait_value(mc2, "after", "failover"));
    redisFree(mc2);
    print_message("failover took %lld ms; old master converted in %lld ms\n", failover_ms, rh_now_ms() - t1);

    stop(&s);
    stop(&m);
    stop(&a);
    stop(&b);
    char rm[128];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", tmpdir);
    if (system(rm) != 0) { /* best effort */
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentinel_failover),
    };
    return cmocka_run_group_tests_name("sentinel", tests, NULL, NULL);
}
