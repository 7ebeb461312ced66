/* reactor.c: epoll backend and timer list for reactor.h.
 *
 * Timers are few (the server cron, a handful of one-shot timers), so they
 * live in an unsorted singly linked list scanned once per iteration; due
 * ones fire in deadline order, and a deleted timer is unlinked at once.
 * File events are indexed by fd in an array of `setsize` slots (maxclients
 * plus reserved fds). */
#include "reactor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "core/zmalloc.h"

static long long mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

reactor *reactor_create(int setsize, void *data) {
    reactor *r = zcalloc(sizeof(*r));
    r->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (r->epfd < 0) {
        zfree(r);
        return NULL;
    }
    r->setsize = setsize;
    r->maxfd = -1;
    r->events = zcalloc(sizeof(reFileEvent) * setsize);
    r->fired = zcalloc(sizeof(struct epoll_event) * setsize);
    r->data = data;
    return r;
}

void reactor_free(reactor *r) {
    if (!r) return;
    close(r->epfd);
    while (r->timers) {
        reTimer *t = r->timers;
        r->timers = t->next;
        zfree(t);
    }
    zfree(r->events);
    zfree(r->fired);
    zfree(r);
}

int reactor_resize(reactor *r, int setsize) {
    if (setsize == r->setsize) return 0;
    if (r->maxfd >= setsize) return -1;
    r->events = zrealloc(r->events, sizeof(reFileEvent) * setsize);
    r->fired = zrealloc(r->fired, sizeof(struct epoll_event) * setsize);
    for (int i = r->setsize; i < setsize; i++) r->events[i].mask = RE_NONE;
    r->setsize = setsize;
    return 0;
}

static int apply(reactor *r, int fd, int oldmask, int newmask) {
    struct epoll_event ee = {0};
    ee.data.fd = fd;
    if (newmask & RE_READABLE) ee.events |= EPOLLIN;
    if (newmask & RE_WRITABLE) ee.events |= EPOLLOUT;
    int op = oldmask == RE_NONE ? EPOLL_CTL_ADD : (newmask == RE_NONE ? EPOLL_CTL_DEL : EPOLL_CTL_MOD);
    return epoll_ctl(r->epfd, op, fd, &ee);
}

int reactor_add(reactor *r, int fd, int mask, reFileProc *proc, void *data) {
    if (fd >= r->setsize) {
        errno = ERANGE;
        return -1;
    }
    reFileEvent *fe = &r->events[fd];
    int newmask = fe->mask | (mask & (RE_READABLE | RE_WRITABLE));
    if (newmask != (fe->mask & (RE_READABLE | RE_WRITABLE)) && apply(r, fd, fe->mask & 3, newmask) == -1)
        return -1;
    fe->mask |= mask;
    if (mask & RE_READABLE) fe->rproc = proc;
    if (mask & RE_WRITABLE) fe->wproc = proc;
    fe->data = data;
    if (fd > r->maxfd) r->maxfd = fd;
    return 0;
}

void reactor_del(reactor *r, int fd, int mask) {
    if (fd >= r->setsize) return;
    reFileEvent *fe = &r->events[fd];
    if (fe->mask == RE_NONE) return;
    if (mask & RE_WRITABLE) mask |= RE_BARRIER;
    int newmask = fe->mask & ~mask;
    if ((newmask & 3) != (fe->mask & 3)) apply(r, fd, fe->mask & 3, newmask & 3);
    fe->mask = newmask;
    if (fd == r->maxfd && fe->mask == RE_NONE) {
        int j;
        for (j = r->maxfd - 1; j >= 0; j--)
            if (r->events[j].mask != RE_NONE) break;
        r->maxfd = j;
    }
}

int reactor_mask(reactor *r, int fd) { return fd < r->setsize ? r->events[fd].mask : 0; }

long long reactor_add_timer(reactor *r, long long ms, reTimeProc *proc, void *data) {
    reTimer *t = zmalloc(sizeof(*t));
    t->id = r->next_timer_id++;
    t->when_us = mono_us() + ms * 1000;
    t->proc = proc;
    t->data = data;
    t->next = r->timers;
    r->timers = t;
    return t->id;
}

static long long nearest_timer_us(reactor *r) {
    long long best = -1;
    for (reTimer *t = r->timers; t; t = t->next)
        if (best == -1 || t->when_us < best) best = t->when_us;
    return best;
}

typedef struct {
    long long when_us, id;
} dueTimer;

/* The link pointing at the timer with this id, or NULL. */
static reTimer **find_timer(reactor *r, long long id) {
    for (reTimer **pp = &r->timers; *pp; pp = &(*pp)->next)
        if ((*pp)->id == id) return pp;
    return NULL;
}

int reactor_del_timer(reactor *r, long long id) {
    reTimer **pp = find_timer(r, id);
    if (!pp) return -1;
    reTimer *t = *pp;
    *pp = t->next;
    zfree(t);
    return 0;
}

static int due_before(const dueTimer *a, const dueTimer *b) {
    return a->when_us < b->when_us || (a->when_us == b->when_us && a->id < b->id);
}

/* Fires the timers that are due, earliest deadline first (ties in creation
 * order), each at most once per call. The due set is taken before the first
 * callback runs, so a timer created by a callback, or rescheduled by its
 * own callback with a delay of 0, waits for the next iteration; a due timer
 * deleted by an earlier callback is not fired. */
static int run_timers(reactor *r) {
    long long now = mono_us();
    size_t n = 0, cap = 16;
    dueTimer stackbuf[16], *due = stackbuf;
    for (reTimer *t = r->timers; t; t = t->next) {
        if (t->when_us > now) continue;
        if (n == cap) {
            dueTimer *bigger = zmalloc(sizeof(*bigger) * cap * 2);
            memcpy(bigger, due, sizeof(*due) * n);
            if (due != stackbuf) zfree(due);
            due = bigger;
            cap *= 2;
        }
        /* insertion sort: timers are few */
        size_t j = n++;
        dueTimer d = {t->when_us, t->id};
        while (j > 0 && due_before(&d, &due[j - 1])) {
            due[j] = due[j - 1];
            j--;
        }
        due[j] = d;
    }
    int processed = 0;
    for (size_t i = 0; i < n; i++) {
        reTimer **pp = find_timer(r, due[i].id);
        if (!pp) continue; /* deleted by an earlier callback */
        int ret = (*pp)->proc(r, due[i].id, (*pp)->data);
        processed++;
        /* The callback may have added or deleted timers: find ours again. */
        pp = find_timer(r, due[i].id);
        if (!pp) continue; /* it deleted itself */
        reTimer *t = *pp;
        if (ret == RE_NOMORE) {
            *pp = t->next;
            zfree(t);
        } else {
            t->when_us = mono_us() + (long long)ret * 1000;
        }
    }
    if (due != stackbuf) zfree(due);
    return processed;
}

/* One iteration: the before-sleep hook first (it may add timers or stop the
 * loop), then a wait bounded by the nearest timer, file events, timers. */
int reactor_poll(reactor *r, int dont_wait) {
    int timeout_ms = -1, processed = 0;
    r->iterations++;
    if (r->before_sleep) r->before_sleep(r);
    if (r->stop) return 0;
    if (dont_wait) {
        timeout_ms = 0;
    } else {
        long long when = nearest_timer_us(r);
        if (when != -1) {
            long long delta = when - mono_us();
            timeout_ms = delta <= 0 ? 0 : (int)((delta + 999) / 1000);
        }
    }
    struct epoll_event *fired = r->fired;
    int n = epoll_wait(r->epfd, fired, r->setsize, timeout_ms);
    if (r->after_sleep) r->after_sleep(r);
    for (int j = 0; j < n; j++) {
        int fd = fired[j].data.fd;
        reFileEvent *fe = &r->events[fd];
        int mask = 0;
        if (fired[j].events & EPOLLIN) mask |= RE_READABLE;
        if (fired[j].events & EPOLLOUT) mask |= RE_WRITABLE;
        if (fired[j].events & (EPOLLERR | EPOLLHUP)) mask |= RE_READABLE | RE_WRITABLE;
        /* Normally read before write; RE_BARRIER inverts that. One handler
         * installed for both directions runs once per event. A handler may
         * delete the fd's events or resize the table: re-read fe. */
        int fired_count = 0, invert = fe->mask & RE_BARRIER;
        if (!invert && (fe->mask & mask & RE_READABLE)) {
            fe->rproc(r, fd, fe->data, mask);
            fired_count++;
            fe = &r->events[fd];
        }
        if (fe->mask & mask & RE_WRITABLE) {
            if (!fired_count || fe->wproc != fe->rproc) {
                fe->wproc(r, fd, fe->data, mask);
                fired_count++;
            }
            fe = &r->events[fd];
        }
        if (invert && (fe->mask & mask & RE_READABLE) && (!fired_count || fe->rproc != fe->wproc)) {
            fe->rproc(r, fd, fe->data, mask);
        }
        processed++;
    }
    processed += run_timers(r);
    return processed;
}

void reactor_run(reactor *r) {
    r->stop = 0;
    while (!r->stop) reactor_poll(r, 0);
}

void reactor_stop(reactor *r) { r->stop = 1; }
