/* list.h: the list type API. Commands use only these functions. The
 * encoding today is a ring-buffer deque of sds elements: O(1) push/pop at
 * both ends and O(1) LINDEX/LSET, O(N) inserts and removals in the middle.
 * (Redis uses a listpack for small lists and a quicklist of listpacks for
 * large ones; a compact encoding slots in behind this same API.) */
#ifndef STASH_LIST_H
#define STASH_LIST_H

#include "types/object.h"

typedef struct list {
    sds *items;
    long cap, head, len; /* element i lives at items[(head + i) % cap] */
} list;

#define LIST_HEAD 0
#define LIST_TAIL 1

void list_register(void);
value list_new_value(void);
static inline list *list_of(kvobj *o) { return o->ptr; }
static inline long list_len(const list *l) { return l->len; }
void list_push(list *l, const char *p, size_t len, int where);
sds list_pop(list *l, int where); /* caller frees; NULL when empty */
sds list_index(list *l, long i);  /* borrowed; negative from the tail; NULL when out of range */
void list_set(list *l, long i, const char *p, size_t len);
void list_insert_at(list *l, long i, const char *p, size_t len); /* before position i (0..len) */
void list_delete_at(list *l, long i);
/* Keeps elements [start, end] (normalized), frees the rest. */
void list_trim(list *l, long start, long end);

#endif
