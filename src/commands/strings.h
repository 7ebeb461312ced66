/* strings.h: what the bit commands (bitops.c) share with the string family
 * (strings.c): the proto-max-bulk-len bound on how large a command may grow
 * a string value. The master link and AOF replay are exempt, as in Redis:
 * they replay what a server already accepted. */
#ifndef STASH_STRINGS_H
#define STASH_STRINGS_H

#include "server/client.h"

/* 1 for clients whose writes must be applied whatever the limits (the
 * master, AOF loading). */
int string_limit_exempt(const client *c);
/* 0 when a string of size + append bytes is allowed; otherwise replies
 * "string exceeds maximum allowed size" and returns -1. Both are >= 0. */
int string_check_length(client *c, long long size, long long append);

#endif
