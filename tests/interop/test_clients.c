/* test_clients.c: the tools and libraries applications already own, run
 * against a real stash-server: Debian's redis-cli, redis-benchmark and
 * redis-py. Each runs as a child process with a time limit; its output is
 * checked for what a working server produces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

/* Runs a shell command (bounded by `timeout`), returns its output. */
static char *run(const char *fmt, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    char full[1100];
    snprintf(full, sizeof(full), "timeout 60 %s 2>&1", line);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 >= cap) out = realloc(out, cap *= 2);
    }
    out[n] = '\0';
    pclose(p);
    return out;
}

static void test_redis_cli(void **state) {
    char *out = run("redis-cli -p %d set greeting hello", srv.port);
    assert_string_equal(out, "OK\n");
    free(out);
    out = run("redis-cli -p %d get greeting", srv.port);
    assert_string_equal(out, "hello\n");
    free(out);
    out = run("redis-cli -p %d get nosuchkey", srv.port);
    assert_string_equal(out, "\n");
    free(out);
    out = run("redis-cli -p %d nosuchcommand", srv.port);
    assert_non_null(strstr(out, "ERR unknown command 'nosuchcommand'"));
    free(out);
}

static void test_redis_benchmark(void **state) {
    char *out = run("redis-benchmark -p %d -t set,get,incr -n 5000 -c 10 -r 1000 -q", srv.port);
    assert_non_null(strstr(out, "SET: "));
    assert_non_null(strstr(out, "GET: "));
    assert_non_null(strstr(out, "INCR: "));
    assert_null(strstr(out, "ERR"));
    free(out);
}

static void test_redis_py(void **state) {
    const char *dir = getenv("STASH_SRCDIR");
    char *out = run("/usr/bin/python3 %s/tests/interop/redispy_smoke.py %d", dir ? dir : ".", srv.port);
    if (!strstr(out, "redis-py smoke: ok")) fail_msg("redis-py smoke failed:\n%s", out);
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redis_cli),
        cmocka_unit_test(test_redis_benchmark),
        cmocka_unit_test(test_redis_py),
    };
    return cmocka_run_group_tests_name("clients", tests, group_start_server, group_stop_server);
}
