/* lazyfree.c: one background thread with a FIFO of jobs (see lazyfree.h).
 * The main thread only enqueues; the thread frees and counts. Freed memory
 * is accounted by zmalloc's atomic counter, so INFO stays exact. */
#include "lazyfree.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/zmalloc.h"
#include "server/server.h"

typedef struct job {
    struct job *next;
    kvobj *obj;
    dict *keys, *expires;
} job;

typedef struct lazyfree {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond, idle;
    job *head, *tail;
    int stop, running;
    _Atomic long long pending, freed;
} lazyfree;

static valueLenFn len_fns[16];
void lazyfree_register_len(unsigned type, valueLenFn fn) { len_fns[type] = fn; }

static void run_job(lazyfree *lf, job *j) {
    long long n = 1;
    if (j->obj) {
        kv_free(j->obj);
    } else {
        n = (long long)dict_size(j->keys);
        dict_release(j->expires);
        dict_release(j->keys);
    }
    atomic_fetch_add(&lf->freed, n);
    atomic_fetch_sub(&lf->pending, n);
    zfree(j);
}

static void *worker(void *arg) {
    lazyfree *lf = arg;
    pthread_mutex_lock(&lf->lock);
    for (;;) {
        while (!lf->head && !lf->stop) {
            pthread_cond_broadcast(&lf->idle);
            pthread_cond_wait(&lf->cond, &lf->lock);
        }
        if (!lf->head && lf->stop) break;
        job *j = lf->head;
        lf->head = j->next;
        if (!lf->head) lf->tail = NULL;
        lf->running = 1;
        pthread_mutex_unlock(&lf->lock);
        run_job(lf, j);
        pthread_mutex_lock(&lf->lock);
        lf->running = 0;
    }
    pthread_cond_broadcast(&lf->idle);
    pthread_mutex_unlock(&lf->lock);
    return NULL;
}

void lazyfree_init(server *srv) {
    lazyfree *lf = zcalloc(sizeof(*lf));
    pthread_mutex_init(&lf->lock, NULL);
    pthread_cond_init(&lf->cond, NULL);
    pthread_cond_init(&lf->idle, NULL);
    pthread_create(&lf->thread, NULL, worker, lf);
    srv->lazyfree = lf;
}

void lazyfree_shutdown(server *srv) {
    lazyfree *lf = srv->lazyfree;
    if (!lf) return;
    pthread_mutex_lock(&lf->lock);
    lf->stop = 1;
    pthread_cond_signal(&lf->cond);
    pthread_mutex_unlock(&lf->lock);
    pthread_join(lf->thread, NULL);
    zfree(lf);
    srv->lazyfree = NULL;
}

static void enqueue(lazyfree *lf, job *j, long long weight) {
    atomic_fetch_add(&lf->pending, weight);
    pthread_mutex_lock(&lf->lock);
    if (lf->tail) lf->tail->next = j;
    else lf->head = j;
    lf->tail = j;
    pthread_cond_signal(&lf->cond);
    pthread_mutex_unlock(&lf->lock);
}

void lazyfree_object(server *srv, kvobj *o) {
    lazyfree *lf = srv->lazyfree;
    size_t len = len_fns[o->type] ? len_fns[o->type](o->encoding, o->ptr) : 1;
    if (!lf || len <= LAZYFREE_THRESHOLD) {
        kv_free(o);
        return;
    }
    job *j = zcalloc(sizeof(*j));
    j->obj = o;
    enqueue(lf, j, 1);
}

void lazyfree_dicts(server *srv, dict *keys, dict *expires) {
    lazyfree *lf = srv->lazyfree;
    if (!lf) {
        dict_release(expires);
        dict_release(keys);
        return;
    }
    job *j = zcalloc(sizeof(*j));
    j->keys = keys;
    j->expires = expires;
    enqueue(lf, j, (long long)dict_size(keys));
}

long long lazyfree_pending(server *srv) {
    lazyfree *lf = srv->lazyfree;
    return lf ? atomic_load(&lf->pending) : 0;
}
long long lazyfree_freed(server *srv) {
    lazyfree *lf = srv->lazyfree;
    return lf ? atomic_load(&lf->freed) : 0;
}

void lazyfree_drain(server *srv) {
    lazyfree *lf = srv->lazyfree;
    if (!lf) return;
    pthread_mutex_lock(&lf->lock);
    while (lf->head || lf->running) pthread_cond_wait(&lf->idle, &lf->lock);
    pthread_mutex_unlock(&lf->lock);
}
