/* args.c: see args.h. */
#include "args.h"

#include <limits.h>
#include <math.h>
#include <strings.h>

#include "core/util.h"
#include "proto/errors.h"

int arg_ll(client *c, const sds s, long long *out, const char *msg) {
    if (!string2ll(s, sdslen(s), out)) {
        reply_error(&c->reply, msg ? msg : ERR_NOT_INTEGER);
        return -1;
    }
    return 0;
}

int arg_ll_range(client *c, const sds s, long long min, long long max, long long *out, const char *msg) {
    long long v;
    if (!string2ll(s, sdslen(s), &v) || v < min || v > max) {
        if (msg) reply_error(&c->reply, msg);
        else reply_errorf(&c->reply, "value is out of range, must be between %lld and %lld", min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int arg_long(client *c, const sds s, long *out, const char *msg) {
    long long v;
    if (arg_ll(c, s, &v, msg) == -1) return -1;
    if (v < LONG_MIN || v > LONG_MAX) {
        reply_error(&c->reply, msg ? msg : ERR_NOT_INTEGER);
        return -1;
    }
    *out = (long)v;
    return 0;
}

int arg_positive_ll(client *c, const sds s, long long *out, const char *msg) {
    long long v;
    if (!string2ll(s, sdslen(s), &v) || v <= 0) {
        reply_error(&c->reply, msg ? msg : "value is out of range, must be positive");
        return -1;
    }
    *out = v;
    return 0;
}

int arg_double(client *c, const sds s, double *out, const char *msg) {
    if (!string2d(s, sdslen(s), out)) {
        reply_error(&c->reply, msg ? msg : ERR_NOT_FLOAT);
        return -1;
    }
    return 0;
}

int arg_long_double(client *c, const sds s, long double *out, const char *msg) {
    if (!string2ld(s, sdslen(s), out)) {
        reply_error(&c->reply, msg ? msg : ERR_NOT_FLOAT);
        return -1;
    }
    return 0;
}

int arg_is(const sds s, const char *lower) { return strcasecmp(s, lower) == 0; }

int arg_timeout(client *c, const sds s, long long *out_ms) {
    long double v;
    if (!string2ld(s, sdslen(s), &v) || isinf(v)) {
        reply_error(&c->reply, ERR_TIMEOUT_INVALID);
        return -1;
    }
    if (v < 0) {
        reply_error(&c->reply, ERR_TIMEOUT_NEG);
        return -1;
    }
    long double ms = v * 1000;
    if (ms > (long double)LLONG_MAX / 2) { /* deadline = now + ms would overflow */
        reply_error(&c->reply, "timeout is out of range");
        return -1;
    }
    *out_ms = (long long)ceill(ms);
    return 0;
}
