/* hash.h: the hash type API. Commands use only these functions. The
 * encoding today is a dict of field -> value (both sds, owned by the
 * entry); a listpack encoding for small hashes slots in behind the API. */
#ifndef STASH_HASH_H
#define STASH_HASH_H

#include "core/dict.h"
#include "types/object.h"

void hash_register(void);
value hash_new_value(void);
static inline dict *hash_of(kvobj *o) { return o->ptr; }
static inline unsigned long hash_len(dict *h) { return (unsigned long)dict_size(h); }
/* Sets field to a copy of val; returns 1 if the field is new. */
int hash_set(dict *h, const char *f, size_t flen, const char *v, size_t vlen);
sds hash_get(dict *h, const sds field); /* borrowed, NULL if absent */
int hash_del(dict *h, const sds field);

#endif
