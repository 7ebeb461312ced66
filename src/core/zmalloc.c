/* zmalloc.c: counting wrapper over the process allocator (jemalloc).
 *
 * Invariant: used_memory equals the sum of malloc_usable_size() over every
 * live block obtained through this file. jemalloc's own mallctl interface is
 * used only for the slower, whole-process numbers (allocated/active/resident)
 * that INFO memory and MEMORY MALLOC-STATS report. */
#include "zmalloc.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(USE_JEMALLOC)
#include <jemalloc/jemalloc.h>
#endif

/* Each thread counts into its own slot (no atomic read-modify-write on the
 * hot path); used_memory sums the slots. Threads that free memory they did
 * not allocate (lazy free) simply go negative: the sum stays exact. */
#define MAX_THREAD_SLOTS 16
static struct {
    _Alignas(64) _Atomic long long bytes;
} thread_used[MAX_THREAD_SLOTS];
static _Atomic int next_slot;
static _Thread_local int my_slot = -1;
static _Atomic size_t peak_memory;
static _Atomic long fail_countdown = -1;

static int slot(void) {
    if (my_slot < 0) my_slot = atomic_fetch_add(&next_slot, 1) % MAX_THREAD_SLOTS;
    return my_slot;
}

static void default_oom(size_t size) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", size);
    fflush(stderr);
    abort();
}
static void (*oom_handler)(size_t) = default_oom;

static inline void add_bytes(long long n) {
    _Atomic long long *b = &thread_used[slot()].bytes;
    /* Only this thread writes its slot: a plain load+store suffices. */
    atomic_store_explicit(b, atomic_load_explicit(b, memory_order_relaxed) + n, memory_order_relaxed);
}

static void account(void *p, int sign) {
    long long n = (long long)malloc_usable_size(p);
    add_bytes(sign > 0 ? n : -n);
}

static int injected_failure(void) {
    long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (n < 0) return 0;
    if (n == 0) return 1;
    atomic_store_explicit(&fail_countdown, n - 1, memory_order_relaxed);
    return 0;
}

void *ztrymalloc(size_t size) {
    if (injected_failure()) return NULL;
    void *p = malloc(size ? size : 1);
    if (p) account(p, 1);
    return p;
}

void *zmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) oom_handler(size);
    account(p, 1);
    return p;
}

void *zcalloc(size_t size) {
    void *p = calloc(1, size ? size : 1);
    if (!p) oom_handler(size);
    account(p, 1);
    return p;
}

void *ztryrealloc(void *ptr, size_t size) {
    if (!ptr) return ztrymalloc(size);
    if (injected_failure()) return NULL;
    size_t old = malloc_usable_size(ptr);
    void *p = realloc(ptr, size ? size : 1);
    if (!p) return NULL;
    add_bytes(-(long long)old);
    account(p, 1);
    return p;
}

void *zrealloc(void *ptr, size_t size) {
    if (!ptr) return zmalloc(size);
    size_t old = malloc_usable_size(ptr);
    void *p = realloc(ptr, size ? size : 1);
    if (!p) oom_handler(size);
    add_bytes(-(long long)old);
    account(p, 1);
    return p;
}

void zfree(void *ptr) {
    if (!ptr) return;
    account(ptr, -1);
    free(ptr);
}

char *zstrdup(const char *s) {
    size_t l = strlen(s) + 1;
    char *p = zmalloc(l);
    memcpy(p, s, l);
    return p;
}

size_t zmalloc_size(const void *ptr) { return malloc_usable_size((void *)ptr); }
size_t zmalloc_used_memory(void) {
    long long sum = 0;
    for (int i = 0; i < MAX_THREAD_SLOTS; i++) sum += atomic_load_explicit(&thread_used[i].bytes, memory_order_relaxed);
    size_t used = sum > 0 ? (size_t)sum : 0;
    if (used > atomic_load_explicit(&peak_memory, memory_order_relaxed))
        atomic_store_explicit(&peak_memory, used, memory_order_relaxed);
    return used;
}
size_t zmalloc_peak_memory(void) {
    zmalloc_used_memory(); /* refreshes the peak */
    return atomic_load_explicit(&peak_memory, memory_order_relaxed);
}
void zmalloc_reset_peak(void) { atomic_store(&peak_memory, zmalloc_used_memory()); }
void zmalloc_set_oom_handler(void (*handler)(size_t)) { oom_handler = handler ? handler : default_oom; }
void zmalloc_fail_after(long n) { atomic_store(&fail_countdown, n); }

/* Resident set size from /proc/self/stat (field 24, in pages). */
size_t zmalloc_get_rss(void) {
    char buf[4096];
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p) return 0;
    /* After ") " come fields 3..; rss is field 24, i.e. the 22nd after ')'. */
    int field = 2;
    while (*p && field < 24) {
        if (*p == ' ') field++;
        p++;
    }
    return (size_t)strtoll(p, NULL, 10) * (size_t)sysconf(_SC_PAGESIZE);
}

#if defined(USE_JEMALLOC)
int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident) {
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    sz = sizeof(size_t);
    *allocated = *active = *resident = 0;
    mallctl("stats.allocated", allocated, &sz, NULL, 0);
    mallctl("stats.active", active, &sz, NULL, 0);
    mallctl("stats.resident", resident, &sz, NULL, 0);
    return 1;
}
const char *zmalloc_lib_name(void) { return "jemalloc-5.3.0"; }
int zmalloc_purge(void) {
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "arena.%d.purge", 4096 /* MALLCTL_ARENAS_ALL */);
    return mallctl(cmd, NULL, NULL, NULL, 0) == 0 ? 0 : -1;
}
#else
int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident) {
    *allocated = *active = *resident = 0;
    return 0;
}
const char *zmalloc_lib_name(void) { return "libc"; }
int zmalloc_purge(void) { return 0; }
#endif
