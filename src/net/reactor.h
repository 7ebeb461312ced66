/* reactor.h: the event loop. One epoll instance watches file descriptors
 * for readability/writability and a list of timers fires callbacks when due.
 * Each iteration runs the before-sleep hook (where replies are flushed),
 * waits for events no longer than the nearest timer, dispatches file events,
 * then fires due timers. Single-threaded: only the loop thread calls this. */
#ifndef STASH_REACTOR_H
#define STASH_REACTOR_H

#define RE_NONE 0
#define RE_READABLE 1
#define RE_WRITABLE 2
#define RE_BARRIER 4 /* fire writable before readable in the same iteration */

#define RE_NOMORE -1 /* timer callback return: do not reschedule */

struct reactor;
typedef void reFileProc(struct reactor *r, int fd, void *data, int mask);
typedef int reTimeProc(struct reactor *r, long long id, void *data); /* ms until next, or RE_NOMORE */
typedef void reHookProc(struct reactor *r);

typedef struct reFileEvent {
    int mask;
    reFileProc *rproc, *wproc;
    void *data;
} reFileEvent;

typedef struct reTimer {
    long long id;
    long long when_us; /* monotonic */
    reTimeProc *proc;
    void *data;
    struct reTimer *next;
} reTimer;

typedef struct reactor {
    int epfd;
    int setsize;
    int maxfd;
    reFileEvent *events;
    void *fired; /* struct epoll_event array */
    reTimer *timers;
    long long next_timer_id;
    int stop;
    long long iterations; /* loop cycles (INFO eventloop_cycles) */
    reHookProc *before_sleep, *after_sleep;
    void *data; /* owner context (the server) */
} reactor;

reactor *reactor_create(int setsize, void *data);
void reactor_free(reactor *r);
int reactor_resize(reactor *r, int setsize);
int reactor_add(reactor *r, int fd, int mask, reFileProc *proc, void *data);
void reactor_del(reactor *r, int fd, int mask);
int reactor_mask(reactor *r, int fd);
long long reactor_add_timer(reactor *r, long long ms, reTimeProc *proc, void *data);
int reactor_del_timer(reactor *r, long long id);
/* Runs one iteration; returns the number of events processed. */
int reactor_poll(reactor *r, int dont_wait);
void reactor_run(reactor *r);
void reactor_stop(reactor *r);

#endif
