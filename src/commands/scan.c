/* scan.c: see scan.h. */
#include "scan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "commands/args.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "proto/errors.h"

/* A cursor is an unsigned decimal as strtoul reads it, without leading
 * spaces or trailing bytes (what Redis accepts). */
int scan_parse_cursor(client *c, const sds s, unsigned long *cursor) {
    char *end;
    errno = 0;
    *cursor = strtoul(s, &end, 10);
    if (isspace((unsigned char)s[0]) || *end != '\0' || errno == ERANGE) {
        reply_error(&c->reply, ERR_INVALID_CURSOR);
        return -1;
    }
    return 0;
}

int scan_parse_options(client *c, int first, int allow_type, scanOpts *opts) {
    *opts = (scanOpts){10, NULL, NULL};
    for (int i = first; i < c->argc; i += 2) {
        sds opt = c->argv[i], val = i + 1 < c->argc ? c->argv[i + 1] : NULL;
        int ok = val != NULL;
        if (ok && arg_is(opt, "count")) {
            if (arg_long(c, val, &opts->count, NULL) == -1) return -1;
            ok = opts->count >= 1;
        } else if (ok && arg_is(opt, "match")) {
            opts->pattern = sdslen(val) == 1 && val[0] == '*' ? NULL : val;
        } else if (ok && allow_type && arg_is(opt, "type")) {
            opts->type_name = val;
        } else {
            ok = 0;
        }
        if (!ok) {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

void scan_batch_add(scanBatch *b, const char *p, size_t len) {
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = zrealloc(b->items, sizeof(sds) * (size_t)b->cap);
    }
    b->items[b->n++] = sdsnewlen(p, len);
}

int scan_matches(const scanOpts *opts, const char *p, size_t len) {
    return !opts->pattern || stringmatchlen(opts->pattern, sdslen(opts->pattern), p, len, 0);
}

unsigned long scan_dict(dict *d, unsigned long cursor, dictScanFn *fn, scanBatch *b) {
    long count = b->opts->count;
    long maxiterations = count > LONG_MAX / 10 ? LONG_MAX : count * 10;
    do {
        cursor = dict_scan(d, cursor, fn, b);
    } while (cursor && maxiterations-- && b->sampled < count);
    return cursor;
}

void scan_reply(client *c, unsigned long cursor, scanBatch *b) {
    char buf[24];
    int len = ull2string(buf, sizeof(buf), cursor);
    reply_array(&c->reply, 2);
    reply_bulk(&c->reply, buf, (size_t)len);
    reply_array(&c->reply, b->n);
    for (long i = 0; i < b->n; i++) reply_bulk_sds(&c->reply, b->items[i]);
    scan_batch_free(b);
}

void scan_batch_free(scanBatch *b) {
    for (long i = 0; i < b->n; i++) sdsfree(b->items[i]);
    zfree(b->items);
    b->items = NULL;
    b->n = b->cap = 0;
}
