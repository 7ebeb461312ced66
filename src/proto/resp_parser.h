/* resp_parser.h: the request parser. It is fed bytes and yields commands
 * (arrays of sds arguments); it never touches a socket, so the same code
 * serves clients, the AOF loader, the replica link and the fuzzer.
 *
 * Both request forms are understood: RESP multibulk ("*2\r\n$3\r\nGET...")
 * and inline ("GET key\r\n", with redis.conf-style quoting). Parsing is
 * incremental: a command split across many reads resumes where it stopped.
 * Every limit is a field so each caller sets its own. */
#ifndef STASH_RESP_PARSER_H
#define STASH_RESP_PARSER_H

#include <stddef.h>

#include "core/sds.h"

#define RESP_INLINE_MAX 65536        /* longest inline line / count header */
#define RESP_BIG_ARG (1024 * 32)     /* above this, a bulk gets its own buffer */

enum { RESP_MORE = 0, RESP_DONE = 1, RESP_ERROR = -1 };

typedef struct respParser {
    /* limits, set by the owner */
    long long max_bulk_len;   /* proto-max-bulk-len; <0 = unlimited (master link) */
    long long max_multibulk;  /* largest accepted argument count */
    int unauthenticated;      /* 10 args / 16 KB bulks until AUTH */
    int inline_allowed;       /* 0 for AOF files */
    /* state */
    int reqtype;              /* 0 unknown, 1 inline, 2 multibulk */
    long long multibulklen;   /* arguments still to read */
    long long bulklen;        /* -1 while reading a bulk header */
    sds bigarg;               /* a big bulk being accumulated */
    int argc, argv_cap;
    sds *argv;
    size_t argv_bytes;        /* sum of argument lengths so far */
    char err[128];            /* set on RESP_ERROR: the reply text */
    const char *err_kind;     /* short reason for the log */
} respParser;

void resp_parser_init(respParser *p);
void resp_parser_reset(respParser *p);  /* drops a partial command */
void resp_parser_free(respParser *p);
/* Parses from buf[0..len). Sets *consumed to the bytes used. On RESP_DONE
 * the command is in p->argv/p->argc until resp_parser_take() or reset. An
 * inline empty line yields RESP_DONE with argc 0 (callers skip it). */
int resp_parse(respParser *p, const char *buf, size_t len, size_t *consumed);
/* Hands the completed argv to the caller (who frees each sds and the
 * array with zfree) and readies the parser for the next command. */
sds *resp_parser_take(respParser *p, int *argc);
/* Bytes still wanted by the current bulk (0 if none): a read-size hint. */
size_t resp_parser_pending_bulk(const respParser *p);
/* The inverse: appends argv as a RESP multibulk request to buf (used for
 * the AOF and the replication stream). */
sds resp_append_command(sds buf, sds *argv, int argc);

/* True while a command is half parsed. */
static inline int resp_parser_busy(const respParser *p) { return p->reqtype != 0; }

#endif
