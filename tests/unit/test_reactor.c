/* test_reactor.c: unit tests for net/reactor.c.
 *
 * Timers: due ones fire in deadline order (also when several are due in
 * the same iteration), RE_NOMORE ends a timer, a returned delay reschedules
 * it, a timer may delete itself or another one from its callback, and a
 * timer created or rescheduled to 0 ms by a callback waits for the next
 * iteration. File events use pipes and socketpairs: readable and writable
 * dispatch, the handler's data and mask, deletion (also from inside a
 * handler), RE_BARRIER ordering, and one handler registered for both
 * directions. The loop's hooks: before-sleep runs before the wait is
 * computed (so a timer it adds bounds the wait), after-sleep after it, and
 * reactor_stop ends reactor_run. A SIGALRM guard turns a hang into a
 * failure instead of a stuck test run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/reactor.h"

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int start_guard(void **state) {
    alarm(20); /* a hang becomes a crash, which tests/run.sh counts as a failure */
    return 0;
}
static int stop_guard(void **state) {
    alarm(0);
    return 0;
}

/* ------------------------------------------------------------------ timers */

/* A log of which timers fired, by tag. */
static char fired_log[64];
static size_t fired_n;

static void log_reset(void) {
    memset(fired_log, 0, sizeof(fired_log));
    fired_n = 0;
}

static int log_once(reactor *r, long long id, void *data) {
    fired_log[fired_n++] = *(const char *)data;
    return RE_NOMORE;
}

static void test_timers_fire_in_deadline_order(void **state) {
    reactor *r = reactor_create(64, NULL);
    log_reset();
    long long start = now_ms();
    reactor_add_timer(r, 30, log_once, "c");
    reactor_add_timer(r, 10, log_once, "a");
    reactor_add_timer(r, 20, log_once, "b");
    while (fired_n < 3) reactor_poll(r, 0);
    assert_string_equal(fired_log, "abc");
    assert_true(now_ms() - start >= 30);
    reactor_free(r);
}

static void test_due_timers_fire_in_order_in_one_iteration(void **state) {
    /* All three are overdue when the loop wakes up: still earliest first,
     * and equal deadlines in creation order. */
    reactor *r = reactor_create(64, NULL);
    log_reset();
    reactor_add_timer(r, 3, log_once, "d");
    reactor_add_timer(r, 1, log_once, "b");
    reactor_add_timer(r, 2, log_once, "c");
    reactor_add_timer(r, 0, log_once, "a");
    sleep_ms(10);
    assert_int_equal(reactor_poll(r, 1), 4);
    assert_string_equal(fired_log, "abcd");
    reactor_free(r);
}

static int repeat_count;
static int repeat_three_times(reactor *r, long long id, void *data) {
    repeat_count++;
    return repeat_count < 3 ? 1 : RE_NOMORE;
}

static void test_nomore_and_rescheduling(void **state) {
    reactor *r = reactor_create(64, NULL);
    repeat_count = 0;
    long long id = reactor_add_timer(r, 1, repeat_three_times, NULL);
    long long start = now_ms();
    while (repeat_count < 3 && now_ms() - start < 2000) reactor_poll(r, 0);
    assert_int_equal(repeat_count, 3);
    /* RE_NOMORE removed it. */
    assert_int_equal(reactor_del_timer(r, id), -1);
    sleep_ms(3);
    reactor_poll(r, 1);
    assert_int_equal(repeat_count, 3);
    reactor_free(r);
}

static int self_delete_calls;
static int delete_self(reactor *r, long long id, void *data) {
    self_delete_calls++;
    assert_int_equal(reactor_del_timer(r, id), 0);
    return 1; /* would reschedule, but the timer is gone */
}

static void test_timer_deletes_itself(void **state) {
    reactor *r = reactor_create(64, NULL);
    self_delete_calls = 0;
    log_reset();
    long long id = reactor_add_timer(r, 0, delete_self, NULL);
    reactor_add_timer(r, 0, log_once, "x"); /* a neighbour still fires */
    sleep_ms(2);
    reactor_poll(r, 1);
    assert_int_equal(self_delete_calls, 1);
    assert_string_equal(fired_log, "x");
    assert_int_equal(reactor_del_timer(r, id), -1);
    sleep_ms(3);
    reactor_poll(r, 1);
    assert_int_equal(self_delete_calls, 1);
    reactor_free(r);
}

static long long victim_id;
static int delete_victim(reactor *r, long long id, void *data) {
    fired_log[fired_n++] = 'k';
    assert_int_equal(reactor_del_timer(r, victim_id), 0);
    return RE_NOMORE;
}

static void test_timer_deletes_another_due_timer(void **state) {
    reactor *r = reactor_create(64, NULL);
    log_reset();
    reactor_add_timer(r, 0, delete_victim, NULL);
    victim_id = reactor_add_timer(r, 1, log_once, "v"); /* due, but later than the killer */
    sleep_ms(5);
    reactor_poll(r, 1);
    assert_string_equal(fired_log, "k");
    reactor_free(r);
}

static int spawn_calls;
static int spawn_child(reactor *r, long long id, void *data) {
    spawn_calls++;
    reactor_add_timer(r, 0, log_once, "n");
    return RE_NOMORE;
}

static int zero_delay_calls;
static int again_at_once(reactor *r, long long id, void *data) {
    zero_delay_calls++;
    return 0;
}

static void test_new_or_zero_delay_timers_wait_for_next_iteration(void **state) {
    reactor *r = reactor_create(64, NULL);
    log_reset();
    spawn_calls = zero_delay_calls = 0;
    reactor_add_timer(r, 0, spawn_child, NULL);
    long long again = reactor_add_timer(r, 0, again_at_once, NULL);
    sleep_ms(2);
    reactor_poll(r, 1);
    assert_int_equal(spawn_calls, 1);
    assert_int_equal(zero_delay_calls, 1); /* once per iteration, not in a loop */
    assert_string_equal(fired_log, "");    /* the child was created during this one */
    reactor_poll(r, 1);
    assert_string_equal(fired_log, "n");
    assert_int_equal(zero_delay_calls, 2);
    assert_int_equal(reactor_del_timer(r, again), 0);
    reactor_free(r);
}

static int stop_after(reactor *r, long long id, void *data) {
    int *left = data;
    if (--*left == 0) reactor_stop(r);
    return 1;
}

static void test_stop_ends_run(void **state) {
    reactor *r = reactor_create(64, NULL);
    int left = 3;
    reactor_add_timer(r, 1, stop_after, &left);
    reactor_run(r);
    assert_int_equal(left, 0);
    reactor_free(r);
}

/* ---------------------------------------------------------------- hooks */

static int before_calls, after_calls, hook_timer_fired;
static int hook_timer(reactor *r, long long id, void *data) {
    hook_timer_fired = 1;
    return RE_NOMORE;
}
static void before_adds_timer(reactor *r) {
    if (before_calls++ == 0) reactor_add_timer(r, 1, hook_timer, NULL);
}
static void after_hook(reactor *r) {
    assert_true(before_calls > after_calls);
    after_calls++;
}

static void test_before_sleep_runs_before_the_wait_is_chosen(void **state) {
    /* No timers and no fds: only the timer the hook adds can end the wait.
     * (Computing the timeout before the hook would block forever here.) */
    reactor *r = reactor_create(64, NULL);
    before_calls = after_calls = hook_timer_fired = 0;
    r->before_sleep = before_adds_timer;
    r->after_sleep = after_hook;
    long long start = now_ms();
    while (!hook_timer_fired) reactor_poll(r, 0);
    assert_true(now_ms() - start < 1000);
    assert_true(before_calls >= 1);
    assert_int_equal(after_calls, before_calls);
    reactor_free(r);
}

/* ----------------------------------------------------------- file events */

typedef struct {
    int calls, last_fd, last_mask;
    char order[16];
    int norder;
    int del_on_read; /* read handler removes both directions */
} fdLog;

static void on_read(reactor *r, int fd, void *data, int mask) {
    fdLog *l = data;
    l->calls++;
    l->last_fd = fd;
    l->last_mask = mask;
    l->order[l->norder++] = 'r';
    char buf[64];
    ssize_t n = read(fd, buf, sizeof(buf));
    (void)n;
    if (l->del_on_read) reactor_del(r, fd, RE_READABLE | RE_WRITABLE);
}

static void on_write(reactor *r, int fd, void *data, int mask) {
    fdLog *l = data;
    l->calls++;
    l->last_fd = fd;
    l->last_mask = mask;
    l->order[l->norder++] = 'w';
}

static void on_either(reactor *r, int fd, void *data, int mask) {
    fdLog *l = data;
    l->calls++;
    l->last_mask = mask;
    l->order[l->norder++] = 'e';
    if (mask & RE_READABLE) {
        char buf[64];
        ssize_t n = read(fd, buf, sizeof(buf));
        (void)n;
    }
}

static void test_pipe_becomes_readable(void **state) {
    reactor *r = reactor_create(64, NULL);
    int p[2];
    assert_int_equal(pipe(p), 0);
    fdLog l = {0};
    assert_int_equal(reactor_add(r, p[0], RE_READABLE, on_read, &l), 0);
    assert_int_equal(reactor_mask(r, p[0]), RE_READABLE);
    assert_int_equal(r->maxfd, p[0]);

    assert_int_equal(reactor_poll(r, 1), 0); /* nothing written yet */
    assert_int_equal(l.calls, 0);

    assert_int_equal(write(p[1], "x", 1), 1);
    assert_int_equal(reactor_poll(r, 0), 1);
    assert_int_equal(l.calls, 1);
    assert_int_equal(l.last_fd, p[0]);
    assert_int_equal(l.last_mask, RE_READABLE);

    /* Deleted: a new byte goes unnoticed. */
    reactor_del(r, p[0], RE_READABLE);
    assert_int_equal(reactor_mask(r, p[0]), RE_NONE);
    assert_int_equal(r->maxfd, -1);
    assert_int_equal(write(p[1], "y", 1), 1);
    assert_int_equal(reactor_poll(r, 1), 0);
    assert_int_equal(l.calls, 1);
    close(p[0]);
    close(p[1]);
    reactor_free(r);
}

static void test_pipe_is_writable(void **state) {
    reactor *r = reactor_create(64, NULL);
    int p[2];
    assert_int_equal(pipe(p), 0);
    fdLog l = {0};
    assert_int_equal(reactor_add(r, p[1], RE_WRITABLE, on_write, &l), 0);
    assert_int_equal(reactor_poll(r, 0), 1);
    assert_int_equal(l.calls, 1);
    assert_int_equal(l.last_mask, RE_WRITABLE);
    reactor_del(r, p[1], RE_WRITABLE);
    close(p[0]);
    close(p[1]);
    reactor_free(r);
}

static void test_read_then_write_unless_barrier(void **state) {
    /* A socket with data waiting is readable and writable at once. */
    for (int barrier = 0; barrier <= 1; barrier++) {
        reactor *r = reactor_create(64, NULL);
        int sv[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        assert_int_equal(write(sv[1], "ping", 4), 4);
        fdLog l = {0};
        assert_int_equal(reactor_add(r, sv[0], RE_READABLE, on_read, &l), 0);
        assert_int_equal(reactor_add(r, sv[0], RE_WRITABLE | (barrier ? RE_BARRIER : 0), on_write, &l), 0);
        assert_int_equal(reactor_mask(r, sv[0]), RE_READABLE | RE_WRITABLE | (barrier ? RE_BARRIER : 0));
        reactor_poll(r, 0);
        assert_string_equal(l.order, barrier ? "wr" : "rw");
        /* Removing the writable side also drops the barrier. */
        reactor_del(r, sv[0], RE_WRITABLE);
        assert_int_equal(reactor_mask(r, sv[0]), RE_READABLE);
        close(sv[0]);
        close(sv[1]);
        reactor_free(r);
    }
}

static void test_one_handler_for_both_directions_runs_once(void **state) {
    for (int barrier = 0; barrier <= 1; barrier++) {
        reactor *r = reactor_create(64, NULL);
        int sv[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        fdLog l = {0};
        int flags = RE_READABLE | RE_WRITABLE | (barrier ? RE_BARRIER : 0);
        assert_int_equal(reactor_add(r, sv[0], flags, on_either, &l), 0);
        /* Both directions ready: one call. */
        assert_int_equal(write(sv[1], "a", 1), 1);
        reactor_poll(r, 0);
        assert_int_equal(l.calls, 1);
        assert_int_equal(l.last_mask, RE_READABLE | RE_WRITABLE);
        close(sv[0]);
        close(sv[1]);
        reactor_free(r);

        /* Only readable (a pipe's read end never becomes writable): the
         * shared handler must still run, with or without the barrier. */
        r = reactor_create(64, NULL);
        int p[2];
        assert_int_equal(pipe(p), 0);
        memset(&l, 0, sizeof(l));
        assert_int_equal(reactor_add(r, p[0], flags, on_either, &l), 0);
        assert_int_equal(write(p[1], "b", 1), 1);
        reactor_poll(r, 0);
        if (l.calls != 1) fail_msg("barrier=%d: handler ran %d times", barrier, l.calls);
        assert_int_equal(l.last_mask, RE_READABLE);
        close(p[0]);
        close(p[1]);
        reactor_free(r);
    }
}

static void test_handler_may_delete_its_fd(void **state) {
    reactor *r = reactor_create(64, NULL);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], "bye", 3), 3);
    fdLog l = {.del_on_read = 1};
    reactor_add(r, sv[0], RE_READABLE, on_read, &l);
    reactor_add(r, sv[0], RE_WRITABLE, on_write, &l);
    reactor_poll(r, 0);
    assert_string_equal(l.order, "r"); /* the write handler was removed before its turn */
    assert_int_equal(reactor_mask(r, sv[0]), RE_NONE);
    close(sv[0]);
    close(sv[1]);
    reactor_free(r);
}

static void test_hangup_reports_both_directions(void **state) {
    reactor *r = reactor_create(64, NULL);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    fdLog l = {0};
    reactor_add(r, sv[0], RE_READABLE, on_read, &l);
    close(sv[1]); /* EOF, then HUP */
    reactor_poll(r, 0);
    assert_int_equal(l.calls, 1);
    assert_true(l.last_mask & RE_READABLE);
    close(sv[0]);
    reactor_free(r);
}

static void test_setsize_limits(void **state) {
    reactor *r = reactor_create(8, NULL);
    int p[2];
    assert_int_equal(pipe(p), 0);
    int high = dup2(p[0], 100);
    assert_int_equal(high, 100);
    fdLog l = {0};
    errno = 0;
    assert_int_equal(reactor_add(r, high, RE_READABLE, on_read, &l), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(reactor_mask(r, high), 0);
    /* Grow the table: now it fits. */
    assert_int_equal(reactor_resize(r, 128), 0);
    assert_int_equal(reactor_add(r, high, RE_READABLE, on_read, &l), 0);
    /* It cannot shrink below a registered fd. */
    assert_int_equal(reactor_resize(r, 50), -1);
    assert_int_equal(write(p[1], "z", 1), 1);
    reactor_poll(r, 0);
    assert_int_equal(l.calls, 1);
    assert_int_equal(l.last_fd, 100);
    reactor_del(r, high, RE_READABLE);
    assert_int_equal(reactor_resize(r, 50), 0);
    close(high);
    close(p[0]);
    close(p[1]);
    reactor_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, start_guard, stop_guard)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_timers_fire_in_deadline_order),
        T(test_due_timers_fire_in_order_in_one_iteration),
        T(test_nomore_and_rescheduling),
        T(test_timer_deletes_itself),
        T(test_timer_deletes_another_due_timer),
        T(test_new_or_zero_delay_timers_wait_for_next_iteration),
        T(test_stop_ends_run),
        T(test_before_sleep_runs_before_the_wait_is_chosen),
        T(test_pipe_becomes_readable),
        T(test_pipe_is_writable),
        T(test_read_then_write_unless_barrier),
        T(test_one_handler_for_both_directions_runs_once),
        T(test_handler_may_delete_its_fd),
        T(test_hangup_reports_both_directions),
        T(test_setsize_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
