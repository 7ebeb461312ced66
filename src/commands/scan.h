/* scan.h: what SCAN, HSCAN, SSCAN and ZSCAN share: cursor parsing, the
 * MATCH/COUNT(/TYPE) options, and the bounded dict_scan loop that fills a
 * batch (COUNT entries seen, the cursor wrapped, or ten times COUNT buckets
 * visited on a sparse table). */
#ifndef STASH_SCAN_H
#define STASH_SCAN_H

#include "core/dict.h"
#include "server/client.h"

typedef struct scanOpts {
    long count;
    sds pattern;   /* NULL: everything */
    sds type_name; /* SCAN TYPE argument, NULL when absent */
} scanOpts;

/* Collected strings; for hashes and sorted sets they come in pairs. */
typedef struct scanBatch {
    sds *items;
    long n, cap;
    long sampled;
    const scanOpts *opts;
} scanBatch;

int scan_parse_cursor(client *c, const sds s, unsigned long *cursor);
/* allow_type: accept TYPE (keyspace SCAN only). */
int scan_parse_options(client *c, int first, int allow_type, scanOpts *opts);
/* Adds one item (copied). */
void scan_batch_add(scanBatch *b, const char *p, size_t len);
int scan_matches(const scanOpts *opts, const char *p, size_t len);
/* Runs dict_scan with fn collecting into the batch; returns the next cursor. */
unsigned long scan_dict(dict *d, unsigned long cursor, dictScanFn *fn, scanBatch *b);
/* [cursor, [items...]] and frees the batch. */
void scan_reply(client *c, unsigned long cursor, scanBatch *b);
void scan_batch_free(scanBatch *b);

#endif
