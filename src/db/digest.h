/* digest.h: order-independent digests of values and of the whole dataset
 * (DEBUG DIGEST, DEBUG DIGEST-VALUE); see digest.c. */
#ifndef STASH_DIGEST_H
#define STASH_DIGEST_H

#include <stdint.h>

#include "db/db.h"

/* Mixes one value (type, content, has-expire) into a 20-byte digest. */
void digest_object(uint8_t *digest, kvobj *o);
/* The digest of every key of every db; all zeroes when empty. */
void digest_dataset(db *dbs, int dbnum, uint8_t *final);

#endif
