/* set.h: the set type API. The encoding today is a dict of members
 * (dictKey entries owning their sds); intset and listpack encodings for
 * small sets slot in behind the API. */
#ifndef STASH_SET_H
#define STASH_SET_H

#include "core/dict.h"
#include "types/object.h"

void set_register(void);
value set_new_value(void);
static inline dict *set_of(kvobj *o) { return o->ptr; }
static inline unsigned long set_len(dict *s) { return (unsigned long)dict_size(s); }
int set_add(dict *s, const char *m, size_t len); /* 1 if added */
int set_has(dict *s, const sds m);
int set_del(dict *s, const sds m);
sds set_random(dict *s); /* borrowed */

#endif
