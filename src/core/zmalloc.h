/* zmalloc.h: the allocator wrapper every module allocates through.
 *
 * Memory comes from jemalloc (linked as the process malloc). Each call keeps
 * a process-wide counter of the bytes actually handed out (usable size, not
 * the size asked for) so INFO's used_memory and maxmemory checks are cheap
 * and exact. Each thread counts in its own slot (the lazy-free thread frees
 * too) and used_memory sums them; the peak is sampled when read.
 * Allocation failure calls the out-of-memory handler, which by default logs
 * and aborts: callers never see NULL from zmalloc/zcalloc/zrealloc. The
 * try-variants return NULL instead, for the few places that can recover.
 * A test hook (zmalloc_fail_after) makes the try-variants fail on demand. */
#ifndef STASH_ZMALLOC_H
#define STASH_ZMALLOC_H

#include <stddef.h>

void *zmalloc(size_t size);
void *zcalloc(size_t size);
void *zrealloc(void *ptr, size_t size);
void *ztrymalloc(size_t size);
void *ztryrealloc(void *ptr, size_t size);
void zfree(void *ptr);
char *zstrdup(const char *s);
size_t zmalloc_size(const void *ptr);     /* usable size of an allocation */
size_t zmalloc_used_memory(void);         /* bytes currently allocated */
size_t zmalloc_peak_memory(void);         /* peak of used_memory since reset */
void zmalloc_reset_peak(void);
void zmalloc_set_oom_handler(void (*handler)(size_t));
void zmalloc_fail_after(long n);          /* test hook: -1 disables */

/* Process-level figures read from /proc and jemalloc's statistics. */
size_t zmalloc_get_rss(void);
int zmalloc_get_allocator_info(size_t *allocated, size_t *active, size_t *resident);
const char *zmalloc_lib_name(void);
int zmalloc_purge(void);

#endif
