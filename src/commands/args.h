/* args.h: argument parsing helpers shared by command handlers. Each one
 * replies the standard Redis error itself and returns -1 on bad input, so
 * handlers read as `if (arg_ll(c, c->argv[2], &n, NULL) == -1) return;`. */
#ifndef STASH_ARGS_H
#define STASH_ARGS_H

#include "core/sds.h"
#include "server/client.h"

/* msg NULL means "value is not an integer or out of range". */
int arg_ll(client *c, const sds s, long long *out, const char *msg);
int arg_ll_range(client *c, const sds s, long long min, long long max, long long *out, const char *msg);
int arg_long(client *c, const sds s, long *out, const char *msg);
int arg_positive_ll(client *c, const sds s, long long *out, const char *msg); /* > 0 */
int arg_double(client *c, const sds s, double *out, const char *msg);
int arg_long_double(client *c, const sds s, long double *out, const char *msg);
/* Case-insensitive equality with a lower-case literal. */
int arg_is(const sds s, const char *lower);
/* Timeouts for blocking commands: seconds as a decimal, result in ms
 * (absolute when `absolute`), with Redis's errors. */
int arg_timeout(client *c, const sds s, long long *out_ms);

#endif
