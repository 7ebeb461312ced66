/* fuzz_resp_parser.c: libFuzzer harness for the request parser
 * (src/proto/resp_parser.c).
 *
 * Input layout: byte 0 picks the parser limits (small ones, so every error
 * path is reachable with short inputs) and options, byte 1 seeds the chunk
 * sizes, the rest is the byte stream a client would send. The stream is
 * fed the way client_process_input() feeds it: appended to a query buffer
 * chunk by chunk, parsed until RESP_MORE, consumed bytes dropped.
 *
 * Properties checked (a violation traps, so libFuzzer keeps the input):
 *  - no crash, leak, out-of-bounds access or UB (ASan/UBSan/LSan);
 *  - consumed never exceeds the bytes offered, and RESP_DONE always makes
 *    progress (else the server would run one command forever);
 *  - chunking does not matter: the commands and the error text produced
 *    from random chunks equal those produced from the whole stream;
 *  - resp_append_command() output parses back to the same arguments. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/sds.h"
#include "core/zmalloc.h"
#include "proto/resp_parser.h"

#define CHECK(cond)                           \
    do {                                      \
        if (!(cond)) __builtin_trap();        \
    } while (0)

#define MAX_STREAM (80 * 1024) /* cap after expansion: just past the limits */
#define MAX_STEPS 100000        /* bound on parse calls per feed */

/* Options decoded from byte 0. */
typedef struct fuzzOpts {
    long long max_bulk_len;
    long long max_multibulk;
    int unauthenticated;
    int inline_allowed;
    int expand; /* 0xFF n  ->  (n+1)*64 filler bytes, to reach big bulks */
} fuzzOpts;

static fuzzOpts decode_opts(uint8_t b) {
    static const long long bulk[4] = {16, 1024, 40000, 1024 * 1024};
    static const long long mbulk[4] = {1, 4, 1024, 0x7fffffff};
    fuzzOpts o = {bulk[b & 3], mbulk[(b >> 2) & 3], (b >> 4) & 1, !((b >> 5) & 1), (b >> 6) & 1};
    return o;
}

/* Builds the stream, expanding 0xFF markers when asked. */
static sds build_stream(const uint8_t *data, size_t size, int expand) {
    if (!expand) return sdsnewlen(data, size);
    sds s = sdsempty();
    for (size_t i = 0; i < size && sdslen(s) < MAX_STREAM; i++) {
        if (data[i] == 0xFF && i + 1 < size) {
            size_t n = ((size_t)data[++i] + 1) * 64;
            if (sdslen(s) + n > MAX_STREAM) n = MAX_STREAM - sdslen(s);
            size_t old = sdslen(s);
            s = sdsMakeRoomForNonGreedy(s, n);
            memset(s + old, 'a', n);
            sdsIncrLen(s, (ssize_t)n);
        } else {
            s = sdscatlen(s, &data[i], 1);
        }
    }
    return s;
}

/* Deterministic chunk sizes from a seed byte: the top bits choose the
 * largest chunk (1, 7, 63 or 4095 bytes, but at least len/128 so a long
 * stream is not fed byte by byte), xorshift picks each size. */
typedef struct chunker {
    uint32_t state;
    size_t max;
} chunker;

static chunker chunker_new(uint8_t seed, size_t len) {
    static const size_t max[4] = {1, 7, 63, 4095};
    chunker c = {0x9E3779B9u ^ ((uint32_t)seed * 2654435761u), max[seed >> 6]};
    if (c.max < len / 128) c.max = len / 128;
    return c;
}

static size_t chunker_next(chunker *c) {
    if (!c) return (size_t)-1; /* no chunker: everything at once */
    c->state ^= c->state << 13;
    c->state ^= c->state >> 17;
    c->state ^= c->state << 5;
    return 1 + c->state % c->max;
}

/* Appends one parsed command to the transcript. */
static sds log_command(sds log, sds *argv, int argc) {
    return argc ? resp_append_command(log, argv, argc) : sdscat(log, "<empty>\n");
}

/* Encodes argv and parses it back with a fresh, permissive parser. */
static void check_roundtrip(sds *argv, int argc) {
    if (argc == 0) return;
    sds wire = resp_append_command(sdsempty(), argv, argc);
    respParser p;
    resp_parser_init(&p);
    size_t used = 0;
    CHECK(resp_parse(&p, wire, sdslen(wire), &used) == RESP_DONE);
    CHECK(used == sdslen(wire));
    int argc2;
    sds *argv2 = resp_parser_take(&p, &argc2);
    CHECK(argc2 == argc);
    for (int i = 0; i < argc; i++) {
        CHECK(sdslen(argv2[i]) == sdslen(argv[i]));
        CHECK(memcmp(argv2[i], argv[i], sdslen(argv[i])) == 0);
        sdsfree(argv2[i]);
    }
    zfree(argv2);
    resp_parser_free(&p);
    sdsfree(wire);
}

/* Parses what the query buffer holds. Returns 0 to go on, 1 once a
 * protocol error ended the connection. */
static int drain(respParser *p, sds *qbuf, sds *log, int roundtrip) {
    for (int steps = 0; steps < MAX_STEPS && sdslen(*qbuf); steps++) {
        size_t used = 0, have = sdslen(*qbuf);
        int rc = resp_parse(p, *qbuf, have, &used);
        CHECK(used <= have);
        sdsrange(*qbuf, (ssize_t)used, -1);
        if (rc == RESP_ERROR) {
            CHECK(p->err[0] != '\0');
            *log = sdscatprintf(*log, "ERROR %s\n", p->err);
            resp_parser_reset(p);
            return 1;
        }
        if (rc == RESP_MORE) {
            (void)resp_parser_pending_bulk(p);
            return 0;
        }
        CHECK(rc == RESP_DONE && used > 0);
        int argc;
        sds *argv = resp_parser_take(p, &argc);
        *log = log_command(*log, argv, argc);
        if (roundtrip) check_roundtrip(argv, argc);
        for (int i = 0; i < argc; i++) sdsfree(argv[i]);
        zfree(argv);
    }
    return 0;
}

/* Feeds the stream in chunks (all at once when ch is NULL) and returns
 * the transcript: every command in order, then the error if any. */
static sds feed(const fuzzOpts *o, const sds stream, chunker *ch, int roundtrip) {
    respParser p;
    resp_parser_init(&p);
    p.max_bulk_len = o->max_bulk_len;
    p.max_multibulk = o->max_multibulk;
    p.unauthenticated = o->unauthenticated;
    p.inline_allowed = o->inline_allowed;
    sds qbuf = sdsempty(), log = sdsempty();
    size_t pos = 0, len = sdslen(stream);
    while (pos < len) {
        size_t n = chunker_next(ch);
        if (n > len - pos) n = len - pos;
        qbuf = sdscatlen(qbuf, stream + pos, n);
        pos += n;
        if (drain(&p, &qbuf, &log, roundtrip)) break;
    }
    if (resp_parser_busy(&p)) log = sdscat(log, "<partial>\n");
    sdsfree(qbuf);
    resp_parser_free(&p);
    return log;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    fuzzOpts o = decode_opts(data[0]);
    sds stream = build_stream(data + 2, size - 2, o.expand);
    chunker ch = chunker_new(data[1], sdslen(stream));
    sds whole = feed(&o, stream, NULL, 1);
    sds pieces = feed(&o, stream, &ch, 0);
    /* Beyond the inline limit a missing newline is judged per read, so
     * chunking may legitimately change the outcome there. */
    if (sdslen(stream) <= RESP_INLINE_MAX) {
        CHECK(sdslen(whole) == sdslen(pieces));
        CHECK(memcmp(whole, pieces, sdslen(whole)) == 0);
    }
    sdsfree(whole);
    sdsfree(pieces);
    sdsfree(stream);
    return 0;
}
