/* test_config.c: CONFIG GET/SET/RESETSTAT/REWRITE/HELP and the config file.
 * GET: exact names, aliases, globs, several patterns, hidden directives,
 * RESP3 maps. SET: every kind of value, Redis's error texts, atomicity of
 * several pairs. REWRITE: a server started from a file rewrites it and
 * comes back with the new values. Start-up: Redis's FATAL CONFIG FILE
 * ERROR report with the line, exit status 1; include (nested, relative,
 * globs); directives Redis knows but Stash ignores. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/harness.h"

static char workdir[256]; /* config files written by the tests */

static const char *server_bin(void) {
    const char *bin = getenv("STASH_SERVER");
    return bin ? bin : "src/stash-server";
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_file(const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", workdir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *read_whole(const char *name) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", workdir, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Runs the server on a config file (in workdir, which is its cwd) until it
 * exits or 5 s pass; returns the exit status and what it wrote to stderr. */
static int run_to_exit(const char *conf, const char *extra_opt, char *err, size_t cap) {
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 2);
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        close(pipefd[0]);
        if (chdir(workdir) != 0) _exit(126);
        const char *argv[] = {server_bin(), conf, "--port", "0", extra_opt ? "--loglevel" : NULL,
                              extra_opt,    NULL};
        execv(server_bin(), (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t got = 0;
    long long deadline = now_ms() + 5000;
    int status = -1;
    while (now_ms() < deadline) {
        ssize_t n = read(pipefd[0], err + got, cap - 1 - got);
        if (n > 0) got += (size_t)n;
        if (waitpid(pid, &status, WNOHANG) == pid) break;
        if (n <= 0) usleep(10000);
    }
    if (waitpid(pid, &status, WNOHANG) == 0) { /* still running: not what the test wants */
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        status = -1;
    }
    ssize_t n;
    while (got + 1 < cap && (n = read(pipefd[0], err + got, cap - 1 - got)) > 0) got += (size_t)n;
    err[got] = '\0';
    close(pipefd[0]);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A server started from workdir/conf (cwd = workdir) on a free port. */
typedef struct confServer {
    pid_t pid;
    int port;
} confServer;

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

/* Servers started here, so a failing test (cmocka longjmps out of it)
 * cannot leave one running: the exit handler kills them by PID. */
static pid_t started[8];

static void kill_started(void) {
    for (int i = 0; i < 8; i++)
        if (started[i] > 0 && waitpid(started[i], NULL, WNOHANG) == 0) {
            kill(started[i], SIGKILL);
            waitpid(started[i], NULL, 0);
        }
}

static void remember(pid_t pid) {
    static int registered;
    if (!registered) registered = !atexit(kill_started);
    for (int i = 0; i < 8; i++)
        if (started[i] <= 0 || waitpid(started[i], NULL, WNOHANG) != 0) {
            started[i] = pid;
            return;
        }
}

static void conf_start(confServer *cs, const char *conf) {
    cs->port = free_port();
    char port[16];
    snprintf(port, sizeof(port), "%d", cs->port);
    cs->pid = fork();
    if (cs->pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (chdir(workdir) != 0) _exit(126);
        const char *argv[] = {server_bin(), conf,          "--port", port, "--bind",
                              "127.0.0.1",  "--daemonize", "no",     NULL};
        execv(server_bin(), (char *const *)argv);
        _exit(127);
    }
    remember(cs->pid);
    long long deadline = now_ms() + 5000;
    while (now_ms() < deadline) {
        int fd = raw_connect(cs->port);
        if (fd >= 0) {
            close(fd);
            return;
        }
        usleep(10000);
    }
    fail_msg("server on %s did not start", conf);
}

static void conf_stop(confServer *cs) {
    if (cs->pid <= 0) return;
    kill(cs->pid, SIGTERM);
    long long deadline = now_ms() + 5000;
    while (waitpid(cs->pid, NULL, WNOHANG) == 0) {
        if (now_ms() > deadline) {
            kill(cs->pid, SIGKILL);
            waitpid(cs->pid, NULL, 0);
            break;
        }
        usleep(10000);
    }
    cs->pid = 0;
}

static redisContext *conf_connect(confServer *cs) {
    testServer t = {0};
    t.port = cs->port;
    return ts_connect(&t);
}

/* The value of name in a CONFIG GET reply (RESP2 flat array), or NULL. */
static const char *pair_value(redisReply *r, const char *name) {
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (!strcmp(r->element[i]->str, name)) return r->element[i + 1]->str;
    return NULL;
}

static void expect_config(redisContext *c, const char *name, const char *value) {
    redisReply *r = cmd(c, "CONFIG GET %s", name);
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, name);
    assert_string_equal(r->element[1]->str, value);
    freeReplyObject(r);
}

/* ---- CONFIG GET */

static void test_get_exact_alias_and_unknown(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_config(c, "maxmemory", "0");
    expect_config(c, "MAXMEMORY", "0"); /* the name is echoed as asked */
    expect_config(c, "slave-read-only", "yes");
    expect_config(c, "replica-read-only", "yes");
    expect_config(c, "hash-max-listpack-entries", "512");
    expect_config(c, "client-output-buffer-limit",
                  "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    expect_config(c, "activedefrag", "no");      /* known to Redis, ignored by Stash */
    expect_config(c, "use-exit-on-panic", "no"); /* hidden: exact name only */
    redisReply *r = cmd(c, "CONFIG GET no-such-directive");
    expect_array_len(r, 0);
    freeReplyObject(r);
    expect_error(cmd(c, "CONFIG GET"), "ERR wrong number of arguments for 'config|get' command");
    redisFree(c);
}

static void test_get_globs_and_several_patterns(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "CONFIG GET maxmemory*");
    assert_int_equal(r->elements, 10);
    const char *names[] = {"maxmemory", "maxmemory-policy", "maxmemory-samples", "maxmemory-clients",
                           "maxmemory-eviction-tenacity"};
    for (int i = 0; i < 5; i++) assert_non_null(pair_value(r, names[i]));
    assert_string_equal(pair_value(r, "maxmemory-policy"), "noeviction");
    freeReplyObject(r);
    /* Several patterns: each directive once. */
    r = cmd(c, "CONFIG GET maxmemory maxmemory* port maxmemory");
    assert_int_equal(r->elements, 12);
    freeReplyObject(r);
    /* Every directive: 190+ of them, no hidden ones, aliases included. */
    r = cmd(c, "CONFIG GET *");
    assert_true(r->elements >= 2 * 190);
    assert_null(pair_value(r, "use-exit-on-panic"));
    assert_non_null(pair_value(r, "slave-read-only"));
    assert_non_null(pair_value(r, "tls-port"));
    for (size_t i = 0; i < r->elements; i += 2)
        for (size_t j = i + 2; j < r->elements; j += 2)
            assert_string_not_equal(r->element[i]->str, r->element[j]->str);
    freeReplyObject(r);
    r = cmd(c, "CONFIG GET *max-*-entries*");
    assert_int_equal(r->elements, 2 * 6); /* hash/zset (+aliases), set-max-intset, set-max-listpack */
    freeReplyObject(r);
    redisFree(c);
}

static void test_get_is_a_map_in_resp3(void **state) {
    int fd = raw_connect(srv.port);
    r3_free(r3_cmds(fd, "HELLO 3"));
    raw_send(fd, "CONFIG GET maxmemory\r\n", 22);
    char buf[64];
    const char *want = "%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n";
    assert_int_equal(raw_read(fd, buf, strlen(want), 2000), (ssize_t)strlen(want));
    assert_memory_equal(buf, want, strlen(want));
    close(fd);
}

/* ---- CONFIG SET */

static void test_set_values_of_every_kind(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG SET maxmemory 1kb");
    expect_config(c, "maxmemory", "1024");
    OK(c, "CONFIG SET maxmemory 2m");
    expect_config(c, "maxmemory", "2000000");
    OK(c, "CONFIG SET maxmemory 0");
    OK(c, "CONFIG SET LOGLEVEL WARNING"); /* names and enum values ignore case */
    expect_config(c, "loglevel", "warning");
    OK(c, "CONFIG SET loglevel notice");
    OK(c, "CONFIG SET timeout 7");
    expect_config(c, "timeout", "7");
    OK(c, "CONFIG SET timeout 0");
    OK(c, "CONFIG SET lazyfree-lazy-expire yes");
    expect_config(c, "lazyfree-lazy-expire", "yes");
    OK(c, "CONFIG SET lazyfree-lazy-expire no");
    OK(c, "CONFIG SET slowlog-log-slower-than -1");
    expect_config(c, "slowlog-log-slower-than", "-1");
    OK(c, "CONFIG SET slowlog-log-slower-than 10000");
    OK(c, "CONFIG SET hz 1000"); /* clamped to 500, as Redis does */
    expect_config(c, "hz", "500");
    OK(c, "CONFIG SET hz 10");
    OK(c, "CONFIG SET maxmemory-clients %s", "5%");
    expect_config(c, "maxmemory-clients", "5%");
    OK(c, "CONFIG SET maxmemory-clients 0");
    OK(c, "CONFIG SET notify-keyspace-events KEA");
    expect_config(c, "notify-keyspace-events", "AKE");
    OK(c, "CONFIG SET notify-keyspace-events %s", "");
    OK(c, "CONFIG SET save %s", "100 10 20 30");
    expect_config(c, "save", "100 10 20 30");
    OK(c, "CONFIG SET save %s", "");
    expect_config(c, "save", "");
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 1mb 512kb 10");
    expect_config(c, "client-output-buffer-limit",
                  "normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 0 0 0");
    OK(c, "CONFIG SET shutdown-on-sigint %s", "save now");
    expect_config(c, "shutdown-on-sigint", "save now");
    OK(c, "CONFIG SET shutdown-on-sigint default");
    OK(c, "CONFIG SET slave-read-only no");
    expect_config(c, "replica-read-only", "no");
    OK(c, "CONFIG SET slave-read-only yes replica-read-only yes"); /* an alias counts apart, as in 7.2 */
    OK(c, "CONFIG SET activedefrag yes");
    expect_config(c, "activedefrag", "yes");
    OK(c, "CONFIG SET activedefrag no");
    redisFree(c);
}

static void test_set_errors(void **state) {
    redisContext *c = ts_connect(&srv);
#define FAILED(arg) "ERR CONFIG SET failed (possibly related to argument '" arg "') - "
    expect_error(cmd(c, "CONFIG SET maxmemory abc"), FAILED("maxmemory") "argument must be a memory value");
    expect_error(cmd(c, "CONFIG SET maxmemory -1"), FAILED("maxmemory") "argument must be a memory value");
    expect_error(cmd(c, "CONFIG SET port abc"), FAILED("port") "argument couldn't be parsed into an integer");
    expect_error(cmd(c, "CONFIG SET port 70000"),
                 FAILED("port") "argument must be between 0 and 65535 inclusive");
    expect_error(cmd(c, "CONFIG SET maxclients 0"),
                 FAILED("maxclients") "argument must be between 1 and 4294967295 inclusive");
    expect_error(cmd(c, "CONFIG SET daemonize yes"), FAILED("daemonize") "can't set immutable config");
    expect_error(cmd(c, "CONFIG SET databases 4"), FAILED("databases") "can't set immutable config");
    expect_error(cmd(c, "CONFIG SET dir /tmp"), FAILED("dir") "can't set protected config");
    expect_error(cmd(c, "CONFIG SET dbfilename x.rdb"), FAILED("dbfilename") "can't set protected config");
    expect_error(
        cmd(c, "CONFIG SET loglevel loud"),
        FAILED(
            "loglevel") "argument(s) must be one of the following: debug, verbose, notice, warning, nothing");
    expect_error(cmd(c, "CONFIG SET protected-mode local"),
                 FAILED("protected-mode") "argument must be 'yes' or 'no'");
    expect_error(cmd(c, "CONFIG SET slave-read-only maybe"),
                 FAILED("slave-read-only") "argument must be 'yes' or 'no'");
    expect_error(cmd(c, "CONFIG SET maxmemory-clients %s", "200%"),
                 FAILED("maxmemory-clients") "percentage argument must be less or equal to 100");
    expect_error(cmd(c, "CONFIG SET maxmemory-clients abc"),
                 FAILED("maxmemory-clients") "argument must be a memory or percent value");
    expect_error(cmd(c, "CONFIG SET save %s", "100 x"), FAILED("save") "Invalid save parameters");
    expect_error(
        cmd(c, "CONFIG SET client-output-buffer-limit %s", "foo 1 2 3"),
        FAILED("client-output-buffer-limit") "Invalid client class specified in buffer limit configuration.");
    expect_error(
        cmd(c, "CONFIG SET client-output-buffer-limit %s", "normal 1 2"),
        FAILED("client-output-buffer-limit") "Wrong number of arguments in buffer limit configuration.");
    expect_error(cmd(c, "CONFIG SET client-output-buffer-limit %s", "normal x 2 3"),
                 FAILED("client-output-buffer-limit") "Error in hard, soft or soft_seconds setting in buffer "
                                                      "limit configuration.");
    expect_error(cmd(c, "CONFIG SET notify-keyspace-events Q"),
                 FAILED("notify-keyspace-events") "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    expect_error(cmd(c, "CONFIG SET oom-score-adj-values %s", "1 2"),
                 FAILED("oom-score-adj-values") "wrong number of arguments");
    expect_error(
        cmd(c, "CONFIG SET oom-score-adj-values %s", "1 2 3000"),
        FAILED(
            "oom-score-adj-values") "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    expect_error(
        cmd(c, "CONFIG SET repl-diskless-load foo"),
        FAILED(
            "repl-diskless-load") "argument(s) must be one of the following: disabled, on-empty-db, swapdb");
    expect_error(cmd(c, "CONFIG SET maxmemory 1 maxmemory 2"), FAILED("maxmemory") "duplicate parameter");
    expect_error(cmd(c, "CONFIG SET foo bar"),
                 "ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    expect_error(cmd(c, "CONFIG SET maxmemory 1 hz"), "ERR syntax error");
    expect_error(cmd(c, "CONFIG SET maxmemory"), "ERR wrong number of arguments for 'config|set' command");
#undef FAILED
    expect_config(c, "maxmemory", "0");
    redisFree(c);
}

static void test_set_is_all_or_nothing(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "CONFIG SET maxmemory 5mb timeout 30 port abc"),
                 "ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed");
    expect_config(c, "maxmemory", "0");
    expect_config(c, "timeout", "0");
    /* A bad name anywhere: nothing is set either. */
    expect_error(cmd(c, "CONFIG SET timeout 30 nosuch 1"),
                 "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect_config(c, "timeout", "0");
    OK(c, "CONFIG SET maxmemory 5mb timeout 30 maxmemory-policy allkeys-lru");
    expect_config(c, "maxmemory", "5242880");
    expect_config(c, "timeout", "30");
    expect_config(c, "maxmemory-policy", "allkeys-lru");
    OK(c, "CONFIG SET maxmemory 0 timeout 0 maxmemory-policy noeviction");
    redisFree(c);
}

static void test_set_proto_max_bulk_len_applies_to_open_connections(void **state) {
    redisContext *c = ts_connect(&srv);
    int fd = raw_connect(srv.port);
    OK(c, "CONFIG SET proto-max-bulk-len 1mb");
    const char *req = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n";
    raw_send(fd, req, strlen(req));
    char buf[128];
    raw_read_all(fd, buf, sizeof(buf), 1000);
    assert_string_equal(buf, "-ERR Protocol error: invalid bulk length\r\n");
    assert_true(raw_closed(fd, 2000));
    close(fd);
    expect_error(
        cmd(c, "CONFIG SET proto-max-bulk-len 1000"),
        "ERR CONFIG SET failed (possibly related to argument "
        "'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive");
    OK(c, "CONFIG SET proto-max-bulk-len 512mb");
    redisFree(c);
}

static void test_resetstat_and_help(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "NOSUCHCOMMAND"), "ERR unknown command");
    OK(c, "CONFIG RESETSTAT");
    redisReply *info = cmd(c, "INFO stats");
    if (info->type == REDIS_REPLY_STRING) { /* INFO is someone else's; check it when present */
        assert_non_null(strstr(info->str, "total_error_replies:0"));
        assert_non_null(strstr(info->str, "rejected_connections:0"));
    }
    freeReplyObject(info);
    expect_error(cmd(c, "CONFIG RESETSTAT now"),
                 "ERR wrong number of arguments for 'config|resetstat' command");
    redisReply *r = cmd(c, "CONFIG HELP");
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, 11);
    assert_string_equal(r->element[0]->str,
                        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    assert_string_equal(r->element[1]->str, "GET <pattern>");
    freeReplyObject(r);
    expect_error(cmd(c, "CONFIG FOO"), "ERR unknown subcommand 'FOO'. Try CONFIG HELP.");
    expect_error(cmd(c, "CONFIG REWRITE"), "ERR The server is running without a config file");
    redisFree(c);
}

/* ---- config files */

static void test_rewrite_keeps_layout_and_survives_restart(void **state) {
    write_file("rw.conf", "# my settings\n"
                          "maxmemory 100mb\n"
                          "slave-read-only yes\n"
                          "maxmemory 200mb\n"
                          "\n"
                          "activedefrag no\n"
                          "\n"
                          "save 900 1\n");
    confServer cs = {0};
    conf_start(&cs, "rw.conf");
    redisContext *c = conf_connect(&cs);
    expect_config(c, "maxmemory", "209715200"); /* the last line wins */
    OK(c, "CONFIG SET maxmemory 1gb timeout 12 requirepass %s", "two words");
    OK(c, "CONFIG SET client-output-buffer-limit %s", "normal 1mb 2mb 3");
    OK(c, "CONFIG SET maxmemory-clients %s active-defrag-ignore-bytes 2mb", "5%");
    OK(c, "CONFIG REWRITE");
    OK(c, "CONFIG REWRITE"); /* twice: same result */
    char *text = read_whole("rw.conf");
    /* The second maxmemory line is blanked; runs of blank lines shrink to one. */
    const char *kept =
        "# my settings\nmaxmemory 1gb\nreplica-read-only yes\n\nactivedefrag no\n\nsave 900 1\n";
    assert_memory_equal(text, kept, strlen(kept));
    const char *signature = strstr(text, "# Generated by CONFIG REWRITE\n");
    assert_non_null(signature);
    assert_null(strstr(signature + 1, "# Generated by CONFIG REWRITE"));
    assert_non_null(strstr(signature, "\ntimeout 12\n"));
    assert_non_null(strstr(signature, "\nrequirepass \"two words\"\n"));
    assert_non_null(strstr(signature, "\nclient-output-buffer-limit normal 1mb 2mb 3\n"));
    assert_non_null(strstr(signature, "\nmaxmemory-clients 5%\n"));
    assert_non_null(strstr(signature, "\nactive-defrag-ignore-bytes 2mb\n"));
    assert_non_null(strstr(signature, "\nport "));
    assert_null(strstr(text, "maxmemory 200mb"));
    free(text);
    redisFree(c);
    conf_stop(&cs);
    /* Restarted from the rewritten file: the values are back. */
    conf_start(&cs, "rw.conf");
    c = conf_connect(&cs);
    OK(c, "AUTH %s", "two words");
    expect_config(c, "maxmemory", "1073741824");
    expect_config(c, "timeout", "12");
    expect_config(c, "maxmemory-clients", "5%");
    expect_config(c, "save", "900 1");
    redisFree(c);
    conf_stop(&cs);
}

static void test_fatal_config_errors(void **state) {
    char err[4096];
    write_file("bad1.conf", "port 1234\nfoo bar\n");
    assert_int_equal(run_to_exit("bad1.conf", NULL, err, sizeof(err)), 1);
    assert_string_equal(err, "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\n"
                             "Reading the configuration file, at line 2\n"
                             ">>> 'foo bar'\n"
                             "Bad directive or wrong number of arguments\n");
    write_file("bad2.conf", "# comment\n\nmaxmemory abc\n");
    assert_int_equal(run_to_exit("bad2.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "at line 3\n>>> 'maxmemory abc'\nargument must be a memory value\n"));
    write_file("bad3.conf", "port 1 2\n");
    assert_int_equal(run_to_exit("bad3.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, ">>> 'port 1 2'\nwrong number of arguments\n"));
    write_file("bad4.conf", "requirepass \"unbalanced\n");
    assert_int_equal(run_to_exit("bad4.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "Unbalanced quotes in configuration line\n"));
    write_file("bad5.conf", "rename-command NOSUCHCMD foo\n");
    assert_int_equal(run_to_exit("bad5.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "No such command in rename-command\n"));
    write_file("bad6.conf", "activedefrag perhaps\n");
    assert_int_equal(run_to_exit("bad6.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "argument must be 'yes' or 'no'\n"));
    /* Command-line options continue the file's line numbers. */
    write_file("ok.conf", "port 0\n");
    assert_int_equal(run_to_exit("ok.conf", "loud", err, sizeof(err)), 1);
    assert_non_null(strstr(err, "at line 4\n>>> 'loglevel \"loud\"'\n"));
    /* A missing include is fatal too. */
    write_file("bad7.conf", "include nonexistent.conf\n");
    assert_int_equal(run_to_exit("bad7.conf", NULL, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "Fatal error, can't open config file 'nonexistent.conf'"));
}

static void test_include_nested_relative_and_glob(void **state) {
    mkdir(strcat(strcpy((char[300]){0}, workdir), "/conf.d"), 0755);
    write_file("conf.d/a.conf", "maxmemory-samples 7\n");
    write_file("conf.d/b.conf", "timeout 33\ninclude level2.conf\n");
    write_file("level2.conf", "tcp-keepalive 44\n");
    write_file("main.conf", "hz 15\n"
                            "include conf.d/*.conf\n"
                            "include empty.d/*.conf\n"         /* no match: fine */
                            "activedefrag yes\n"               /* Redis directive Stash ignores */
                            "list-max-ziplist-entries 128\n"); /* deprecated, silently ignored */
    confServer cs = {0};
    conf_start(&cs, "main.conf");
    redisContext *c = conf_connect(&cs);
    expect_config(c, "hz", "15");
    expect_config(c, "maxmemory-samples", "7");
    expect_config(c, "timeout", "33");
    expect_config(c, "tcp-keepalive", "44");
    expect_config(c, "activedefrag", "yes");
    redisFree(c);
    conf_stop(&cs);
}

static int setup(void **state) {
    snprintf(workdir, sizeof(workdir), "/tmp/stash-config-test-XXXXXX");
    if (!mkdtemp(workdir)) return -1;
    return group_start_server(state);
}

static int teardown(void **state) {
    char cmdline[400];
    snprintf(cmdline, sizeof(cmdline), "rm -rf '%s'", workdir);
    if (system(cmdline) != 0) { /* best effort */
    }
    return group_stop_server(state);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_exact_alias_and_unknown),
        cmocka_unit_test(test_get_globs_and_several_patterns),
        cmocka_unit_test(test_get_is_a_map_in_resp3),
        cmocka_unit_test(test_set_values_of_every_kind),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_set_is_all_or_nothing),
        cmocka_unit_test(test_set_proto_max_bulk_len_applies_to_open_connections),
        cmocka_unit_test(test_resetstat_and_help),
        cmocka_unit_test(test_rewrite_keeps_layout_and_survives_restart),
        cmocka_unit_test(test_fatal_config_errors),
        cmocka_unit_test(test_include_nested_relative_and_glob),
    };
    return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
