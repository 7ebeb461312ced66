/* zset.c: the sorted-set command family. Handlers parse arguments, look
 * keys up and reply; everything about order and storage is in types/zset.c.
 * Reply shapes follow Redis 7.2 in both protocols: WITHSCORES ranges are
 * flat in RESP2 and [member, score] pairs in RESP3; scores are bulk strings
 * in RESP2 and doubles in RESP3. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands/args.h"
#include "commands/families.h"
#include "commands/scan.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/blocking.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"
#include "types/set.h"
#include "types/zset.h"

#define ERR_MINMAX_FLOAT "min or max is not a float"
#define ERR_MINMAX_LEX "min or max not valid string range item"

/* Looks up a sorted set for reading; replies WRONGTYPE and returns -1 for
 * another type, 0 with *z NULL when missing. */
static int lookup_zset(client *c, const sds key, int write, kvobj **z) {
    *z = write ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
    if (*z && (*z)->type != OBJ_ZSET) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

static void delete_if_empty(client *c, const sds key, kvobj *z) {
    if (zset_len(z) > 0) return;
    db_delete(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, c->db->id);
}

static void signal_write(client *c, const sds key, const char *event, long long changes) {
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_ZSET, event, key, c->db->id);
    c->srv->dirty += changes;
}

/* A member with its score: pair in RESP3, two items in RESP2. */
static void reply_member_score(client *c, const elem *member, double score, int withscores) {
    if (withscores && c->resp == 3) reply_array(&c->reply, 2);
    reply_bulk(&c->reply, member->s, member->len);
    if (withscores) reply_double(&c->reply, score);
}

/* ---- ZADD / ZINCRBY */
static void zadd_generic(client *c, int incr) {
    int flags = incr ? ZADD_IN_INCR : 0, ch = 0, j = 2;
    for (; j < c->argc; j++) {
        sds a = c->argv[j];
        if (arg_is(a, "nx")) flags |= ZADD_IN_NX;
        else if (arg_is(a, "xx")) flags |= ZADD_IN_XX;
        else if (arg_is(a, "gt")) flags |= ZADD_IN_GT;
        else if (arg_is(a, "lt")) flags |= ZADD_IN_LT;
        else if (arg_is(a, "ch")) ch = 1;
        else if (arg_is(a, "incr")) flags |= ZADD_IN_INCR;
        else break;
    }
    int elements = c->argc - j;
    if (elements % 2 || !elements) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    elements /= 2;
    int nx = flags & ZADD_IN_NX, xx = flags & ZADD_IN_XX, gt = flags & ZADD_IN_GT, lt = flags & ZADD_IN_LT;
    if (nx && xx) {
        reply_error(&c->reply, "XX and NX options at the same time are not compatible");
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        reply_error(&c->reply, "GT, LT, and/or NX options at the same time are not compatible");
        return;
    }
    if ((flags & ZADD_IN_INCR) && elements > 1) {
        reply_error(&c->reply, "INCR option supports a single increment-element pair");
        return;
    }
    double *scores = zmalloc(sizeof(double) * (size_t)elements);
    for (int i = 0; i < elements; i++) {
        if (arg_double(c, c->argv[j + 2 * i], &scores[i], NULL) == -1) {
            zfree(scores);
            return;
        }
    }
    sds key = c->argv[1];
    kvobj *z;
    if (lookup_zset(c, key, 1, &z) == -1) {
        zfree(scores);
        return;
    }
    if (!z) {
        if (xx) {
            if (flags & ZADD_IN_INCR) reply_null(&c->reply);
            else reply_long(&c->reply, 0);
            zfree(scores);
            return;
        }
        /* sized by the pairs given and the first member, as Redis does */
        z = db_add(c->db, key, zset_create(c->srv, (size_t)elements, sdslen(c->argv[j + 1])));
    } else {
        zset_maybe_convert(c->srv, z, (size_t)elements);
    }
    long long added = 0, updated = 0, processed = 0;
    double score = 0;
    for (int i = 0; i < elements; i++) {
        int out;
        double newscore;
        sds m = c->argv[j + 2 * i + 1];
        if (!zset_add(c->srv, z, scores[i], m, sdslen(m), flags, &out, &newscore)) {
            reply_error(&c->reply, ERR_INCR_NAN);
            goto cleanup;
        }
        if (out & ZADD_OUT_ADDED) added++;
        if (out & ZADD_OUT_UPDATED) updated++;
        if (!(out & ZADD_OUT_NOP)) processed++;
        score = newscore;
    }
    if (flags & ZADD_IN_INCR) {
        if (processed) reply_double(&c->reply, score);
        else reply_null(&c->reply);
    } else {
        reply_long(&c->reply, ch ? added + updated : added);
    }
cleanup:
    zfree(scores);
    if (added || updated) signal_write(c, key, (flags & ZADD_IN_INCR) ? "zincr" : "zadd", added + updated);
    delete_if_empty(c, key, z);
}

static void zadd_command(client *c) { zadd_generic(c, 0); }

static void zincrby_command(client *c) {
    /* ZINCRBY key increment member == ZADD key INCR increment member */
    double incr;
    if (arg_double(c, c->argv[2], &incr, NULL) == -1) return;
    sds key = c->argv[1];
    kvobj *z;
    if (lookup_zset(c, key, 1, &z) == -1) return;
    if (!z) z = db_add(c->db, key, zset_create(c->srv, 1, sdslen(c->argv[3])));
    int out;
    double newscore;
    if (!zset_add(c->srv, z, incr, c->argv[3], sdslen(c->argv[3]), ZADD_IN_INCR, &out, &newscore)) {
        reply_error(&c->reply, ERR_INCR_NAN);
        delete_if_empty(c, key, z);
        return;
    }
    reply_double(&c->reply, newscore);
    signal_write(c, key, "zincr", 1);
}

static void zrem_command(client *c) {
    sds key = c->argv[1];
    kvobj *z;
    if (lookup_zset(c, key, 1, &z) == -1) return;
    long long deleted = 0;
    for (int i = 2; z && i < c->argc; i++) {
        deleted += zset_del(z, c->argv[i], sdslen(c->argv[i]));
        if (zset_len(z) == 0) break;
    }
    reply_long(&c->reply, deleted);
    if (deleted) {
        signal_write(c, key, "zrem", deleted);
        delete_if_empty(c, key, z);
    }
}

static void zcard_command(client *c) {
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    reply_long(&c->reply, z ? (long long)zset_len(z) : 0);
}

static void zscore_command(client *c) {
    kvobj *z;
    double s;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    if (z && zset_score(z, c->argv[2], sdslen(c->argv[2]), &s)) reply_double(&c->reply, s);
    else reply_null(&c->reply);
}

static void zmscore_command(client *c) {
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    reply_array(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        double s;
        if (z && zset_score(z, c->argv[i], sdslen(c->argv[i]), &s)) reply_double(&c->reply, s);
        else reply_null(&c->reply);
    }
}

static void zrank_generic(client *c, int rev) {
    int withscore = 0;
    if (c->argc == 4) {
        if (!arg_is(c->argv[3], "withscore")) {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
        withscore = 1;
    } else if (c->argc > 4) {
        reply_arity_error(c);
        return;
    }
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    double score;
    long rank = z ? zset_rank(z, c->argv[2], sdslen(c->argv[2]), rev, &score) : -1;
    if (rank < 0) {
        if (withscore) reply_null_array(&c->reply);
        else reply_null(&c->reply);
        return;
    }
    if (withscore) {
        reply_array(&c->reply, 2);
        reply_long(&c->reply, rank);
        reply_double(&c->reply, score);
    } else {
        reply_long(&c->reply, rank);
    }
}
static void zrank_command(client *c) { zrank_generic(c, 0); }
static void zrevrank_command(client *c) { zrank_generic(c, 1); }

/* ---- ranges */
enum { RANGE_RANK, RANGE_SCORE, RANGE_LEX };

typedef struct rangeSpec {
    int type, rev, withscores;
    long long offset, limit; /* limit -1: all */
    long long start, stop;   /* rank */
    zslScoreRange score;
    zslLexRange lex;
    int lex_parsed;
} rangeSpec;

/* Parses min/max for the range type (swapped when rev: the caller passes
 * them in command order). */
static int parse_bounds(client *c, rangeSpec *rs, sds a, sds b) {
    sds min = rs->rev ? b : a, max = rs->rev ? a : b;
    if (rs->type == RANGE_RANK) {
        if (arg_ll(c, a, &rs->start, NULL) == -1 || arg_ll(c, b, &rs->stop, NULL) == -1) return -1;
        return 0;
    }
    if (rs->type == RANGE_SCORE) {
        if (zsl_parse_score_range(min, max, &rs->score) == -1) {
            reply_error(&c->reply, ERR_MINMAX_FLOAT);
            return -1;
        }
        return 0;
    }
    if (zsl_parse_lex_range(min, sdslen(min), max, sdslen(max), &rs->lex) == -1) {
        reply_error(&c->reply, ERR_MINMAX_LEX);
        return -1;
    }
    rs->lex_parsed = 1;
    return 0;
}

/* Walks the range, calling emit for each element within offset/limit. */
typedef void emitFn(void *ctx, const elem *member, double score);

/* Normalizes a rank range to [*start, *end] inside a set of len; 0 when
 * it is empty. */
static int clamp_ranks(long long len, long long *start, long long *end) {
    if (*start < 0) *start = len + *start;
    if (*end < 0) *end = len + *end;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= len) return 0;
    if (*end >= len) *end = len - 1;
    return 1;
}

static long long walk_range(kvobj *z, rangeSpec *rs, emitFn *emit, void *ctx) {
    long long emitted = 0;
    zsetPos pos;
    elem m;
    double score;
    if (!z) return 0;
    if (rs->type == RANGE_RANK) {
        long long start = rs->start, end = rs->stop;
        if (!clamp_ranks((long long)zset_len(z), &start, &end)) return 0;
        int more = zset_seek_rank(z, (unsigned long)start, rs->rev, &pos);
        for (long long i = start; i <= end && more; i++, more = zset_step(z, &pos, rs->rev)) {
            zset_read(z, &pos, &m, &score);
            emit(ctx, &m, score);
            emitted++;
        }
        return emitted;
    }
    int more = rs->type == RANGE_SCORE ? zset_seek_score(z, &rs->score, rs->rev, &pos)
                                       : zset_seek_lex(z, &rs->lex, rs->rev, &pos);
    /* a negative offset skips everything, as in Redis */
    for (long long offset = rs->offset; more && offset != 0; offset--) more = zset_step(z, &pos, rs->rev);
    for (long long limit = rs->limit; more && limit != 0; more = zset_step(z, &pos, rs->rev)) {
        zset_read(z, &pos, &m, &score);
        int in = rs->type == RANGE_SCORE ? (rs->rev ? zsl_score_gte_min(score, &rs->score) : zsl_score_lte_max(score, &rs->score))
                                         : (rs->rev ? zsl_lex_gte_min(m.s, m.len, &rs->lex) : zsl_lex_lte_max(m.s, m.len, &rs->lex));
        if (!in) break;
        emit(ctx, &m, score);
        emitted++;
        if (limit > 0) limit--;
    }
    return emitted;
}

typedef struct replyCtx {
    client *c;
    int withscores;
} replyCtx;

static void emit_reply(void *ctx, const elem *m, double score) {
    replyCtx *rc = ctx;
    reply_member_score(rc->c, m, score, rc->withscores);
}

typedef struct storeCtx {
    client *c;
    kvobj *dst;
} storeCtx;

static void emit_store(void *ctx, const elem *m, double score) {
    storeCtx *sc = ctx;
    int out;
    zset_add(sc->c->srv, sc->dst, score, m->s, m->len, 0, &out, NULL);
}

/* Parses options after the fixed arguments (from index `from`). */
static int parse_range_options(client *c, rangeSpec *rs, int from, int allow_by, int store) {
    for (int j = from; j < c->argc; j++) {
        sds a = c->argv[j];
        int left = c->argc - j - 1;
        if (!store && arg_is(a, "withscores")) rs->withscores = 1;
        else if (left >= 2 && arg_is(a, "limit")) {
            if (arg_ll(c, c->argv[j + 1], &rs->offset, NULL) == -1 || arg_ll(c, c->argv[j + 2], &rs->limit, NULL) == -1)
                return -1;
            rs->limit = rs->limit < 0 ? -1 : rs->limit;
            rs->lex_parsed |= 2; /* remember LIMIT was given */
            j += 2;
        } else if (allow_by && arg_is(a, "rev")) rs->rev = 1;
        else if (allow_by && arg_is(a, "byscore")) rs->type = RANGE_SCORE;
        else if (allow_by && arg_is(a, "bylex")) rs->type = RANGE_LEX;
        else {
            reply_error(&c->reply, ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

static void range_reply(client *c, kvobj *z, rangeSpec *rs) {
    replyCtx rc = {c, rs->withscores};
    void *h = reply_defer(&c->reply);
    long long n = walk_range(z, rs, emit_reply, &rc);
    reply_set_array(&c->reply, h, (rs->withscores && c->resp == 2) ? n * 2 : n);
}

static void free_range(rangeSpec *rs) {
    if (rs->lex_parsed & 1) zsl_free_lex_range(&rs->lex);
}

/* ZRANGE and ZRANGESTORE (key_idx = 1 or 2). */
static void zrange_generic(client *c, int store) {
    rangeSpec rs = {RANGE_RANK, 0, 0, 0, -1, 0, 0, {0}, {0}, 0};
    int base = store ? 2 : 1;
    if (parse_range_options(c, &rs, base + 3, 1, store) == -1) return;
    int limit_given = rs.lex_parsed & 2;
    rs.lex_parsed = 0;
    if (limit_given && rs.type == RANGE_RANK) {
        reply_error(&c->reply, "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        return;
    }
    if (rs.withscores && rs.type == RANGE_LEX) {
        reply_error(&c->reply, "syntax error, WITHSCORES not supported in combination with BYLEX");
        return;
    }
    if (parse_bounds(c, &rs, c->argv[base + 1], c->argv[base + 2]) == -1) return;
    kvobj *z;
    if (lookup_zset(c, c->argv[base], 0, &z) == -1) {
        free_range(&rs);
        return;
    }
    if (!store) {
        range_reply(c, z, &rs);
        free_range(&rs);
        return;
    }
    /* The destination is sized for a rank range's length (other ranges
     * give no hint), as Redis's zsetTypeCreate is. */
    long long start = rs.start, end = rs.stop, hint = 0;
    if (z && rs.type == RANGE_RANK && clamp_ranks((long long)zset_len(z), &start, &end)) hint = end - start + 1;
    kvobj dstobj = kv_temp(zset_create(c->srv, (size_t)hint, 0));
    storeCtx sc = {c, &dstobj};
    long long n = walk_range(z, &rs, emit_store, &sc);
    free_range(&rs);
    sds dst = c->argv[1];
    value v = kv_value(&dstobj);
    if (n) {
        db_set(c->db, dst, v, 0);
        keyspace_event(c->srv, NOTIFY_ZSET, "zrangestore", dst, c->db->id);
    } else {
        value_free(v);
        if (db_delete(c->db, dst)) {
            db_signal_modified(c->db, dst);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", dst, c->db->id);
        }
    }
    c->srv->dirty++;
    reply_long(&c->reply, n);
}
static void zrange_command(client *c) { zrange_generic(c, 0); }
static void zrangestore_command(client *c) { zrange_generic(c, 1); }

/* The legacy forms: fixed type and direction. */
static void legacy_range(client *c, int type, int rev) {
    rangeSpec rs = {type, rev, 0, 0, -1, 0, 0, {0}, {0}, 0};
    if (parse_range_options(c, &rs, 4, 0, type == RANGE_LEX) == -1) return;
    if (type == RANGE_RANK && (rs.lex_parsed & 2)) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    rs.lex_parsed = 0;
    if (parse_bounds(c, &rs, c->argv[2], c->argv[3]) == -1) return;
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) {
        free_range(&rs);
        return;
    }
    range_reply(c, z, &rs);
    free_range(&rs);
}
static void zrevrange_command(client *c) { legacy_range(c, RANGE_RANK, 1); }
static void zrangebyscore_command(client *c) { legacy_range(c, RANGE_SCORE, 0); }
static void zrevrangebyscore_command(client *c) { legacy_range(c, RANGE_SCORE, 1); }
static void zrangebylex_command(client *c) { legacy_range(c, RANGE_LEX, 0); }
static void zrevrangebylex_command(client *c) { legacy_range(c, RANGE_LEX, 1); }

static void count_emit(void *ctx, const elem *m, double score) { (*(long long *)ctx)++; }

static void zcount_generic(client *c, int type) {
    rangeSpec rs = {type, 0, 0, 0, -1, 0, 0, {0}, {0}, 0};
    if (parse_bounds(c, &rs, c->argv[2], c->argv[3]) == -1) return;
    kvobj *z;
    long long n = 0;
    if (lookup_zset(c, c->argv[1], 0, &z) == 0) {
        walk_range(z, &rs, count_emit, &n);
        reply_long(&c->reply, n);
    }
    free_range(&rs);
}
static void zcount_command(client *c) { zcount_generic(c, RANGE_SCORE); }
static void zlexcount_command(client *c) { zcount_generic(c, RANGE_LEX); }

static void zremrange_generic(client *c, int type) {
    rangeSpec rs = {type, 0, 0, 0, -1, 0, 0, {0}, {0}, 0};
    if (parse_bounds(c, &rs, c->argv[2], c->argv[3]) == -1) return;
    sds key = c->argv[1];
    kvobj *z;
    if (lookup_zset(c, key, 1, &z) == -1) {
        free_range(&rs);
        return;
    }
    unsigned long deleted = 0;
    if (z) {
        if (type == RANGE_RANK) {
            long long start = rs.start, end = rs.stop;
            if (clamp_ranks((long long)zset_len(z), &start, &end))
                deleted = zset_del_range_rank(z, (unsigned long)start, (unsigned long)end);
        } else if (type == RANGE_SCORE) {
            deleted = zset_del_range_score(z, &rs.score);
        } else {
            deleted = zset_del_range_lex(z, &rs.lex);
        }
    }
    free_range(&rs);
    if (deleted) {
        static const char *events[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
        signal_write(c, key, events[type], (long long)deleted);
        delete_if_empty(c, key, z);
    }
    reply_long(&c->reply, (long long)deleted);
}
static void zremrangebyrank_command(client *c) { zremrange_generic(c, RANGE_RANK); }
static void zremrangebyscore_command(client *c) { zremrange_generic(c, RANGE_SCORE); }
static void zremrangebylex_command(client *c) { zremrange_generic(c, RANGE_LEX); }

/* ---- pops */
/* Pops up to count from key's set (min or max end); replies the elements
 * in the shape the caller wants. Returns the number popped. */
static long pop_and_reply(client *c, const sds key, kvobj *z, int max, long count, int shape) {
    /* shape 0: ZPOPMIN (flat/pairs); 1: BZPOP single [key, member, score];
     * 2: ZMPOP [key, [[m,s]...]] */
    long len = (long)zset_len(z);
    if (count > len) count = len;
    if (shape == 2) {
        reply_array(&c->reply, 2);
        reply_bulk_sds(&c->reply, key);
        reply_array(&c->reply, count);
    } else if (shape == 1) {
        reply_array(&c->reply, 3);
        reply_bulk_sds(&c->reply, key);
    } else {
        reply_array(&c->reply, c->resp == 3 && shape == 0 && c->argc > 2 ? count : count * 2);
    }
    for (long i = 0; i < count; i++) {
        zsetPos pos;
        elem e;
        double s;
        zset_seek_rank(z, 0, max, &pos);
        zset_read(z, &pos, &e, &s);
        sds m = elem_sds(&e);
        if (shape == 2 || (shape == 0 && c->resp == 3 && c->argc > 2)) reply_array(&c->reply, 2);
        reply_bulk_sds(&c->reply, m);
        reply_double(&c->reply, s);
        zset_del(z, m, sdslen(m));
        sdsfree(m);
    }
    if (count) {
        signal_write(c, key, max ? "zpopmax" : "zpopmin", count);
        delete_if_empty(c, key, z);
    }
    /* BZPOP* replicates as ZPOPMIN/ZPOPMAX key, [B]ZMPOP as ZPOPMIN/ZPOPMAX
     * key <popped>, as Redis does. */
    if (shape != 0) {
        int argc = shape == 1 ? 2 : 3;
        sds *argv = zmalloc(sizeof(sds) * 3);
        argv[0] = sdsnew(max ? "ZPOPMAX" : "ZPOPMIN");
        argv[1] = sdsdup(key);
        if (argc == 3) argv[2] = sdsfromlonglong(count);
        client_rewrite_argv(c, argc, argv);
    }
    return count;
}

static void zpop_generic(client *c, int max) {
    long long count = 1;
    if (c->argc > 3) {
        reply_arity_error(c);
        return;
    }
    if (c->argc == 3 && arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count, "value is out of range, must be positive") == -1)
        return;
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 1, &z) == -1) return;
    if (!z || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    pop_and_reply(c, c->argv[1], z, max, (long)count, 0);
}
static void zpopmin_command(client *c) { zpop_generic(c, 0); }
static void zpopmax_command(client *c) { zpop_generic(c, 1); }

/* Finds the first non-empty sorted set among keys; -1 on WRONGTYPE. */
static int first_nonempty(client *c, sds *keys, int n, kvobj **out, int *idx) {
    for (int i = 0; i < n; i++) {
        kvobj *z;
        if (lookup_zset(c, keys[i], 1, &z) == -1) return -1;
        if (z && zset_len(z)) {
            *out = z;
            *idx = i;
            return 1;
        }
    }
    return 0;
}

static void bzpop_generic(client *c, int max) {
    long long timeout;
    if (arg_timeout(c, c->argv[c->argc - 1], &timeout) == -1) return;
    kvobj *z;
    int idx;
    int found = first_nonempty(c, c->argv + 1, c->argc - 2, &z, &idx);
    if (found == -1) return;
    if (found) {
        pop_and_reply(c, c->argv[1 + idx], z, max, 1, 1);
        return;
    }
    if (blocking_not_allowed(c)) {
        reply_null_array(&c->reply);
        return;
    }
    blocking_block(c, c->argv + 1, c->argc - 2, timeout ? mstime() + timeout : 0, OBJ_ZSET, BLOCK_REPLY_NULL_ARRAY);
}
static void bzpopmin_command(client *c) { bzpop_generic(c, 0); }
static void bzpopmax_command(client *c) { bzpop_generic(c, 1); }

/* ZMPOP numkeys key... MIN|MAX [COUNT n] and BZMPOP timeout numkeys ... */
static void zmpop_generic(client *c, int numkeys_idx, int blocking) {
    long long numkeys, count = -1, timeout = 0;
    if (blocking && arg_timeout(c, c->argv[1], &timeout) == -1) return;
    if (arg_ll_range(c, c->argv[numkeys_idx], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") == -1) return;
    long long where_idx = numkeys_idx + numkeys + 1;
    if (where_idx >= c->argc) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    int max;
    if (arg_is(c->argv[where_idx], "min")) max = 0;
    else if (arg_is(c->argv[where_idx], "max")) max = 1;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    for (long long j = where_idx + 1; j < c->argc; j++) {
        if (count == -1 && j + 1 < c->argc && arg_is(c->argv[j], "count")) {
            if (arg_ll_range(c, c->argv[j + 1], 1, LONG_MAX, &count, "count should be greater than 0") == -1) return;
            j++;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    if (count == -1) count = 1;
    kvobj *z;
    int idx;
    sds *keys = c->argv + numkeys_idx + 1;
    int found = first_nonempty(c, keys, (int)numkeys, &z, &idx);
    if (found == -1) return;
    if (found) {
        pop_and_reply(c, keys[idx], z, max, (long)count, 2);
        return;
    }
    if (!blocking || blocking_not_allowed(c)) {
        reply_null_array(&c->reply);
        return;
    }
    blocking_block(c, keys, (int)numkeys, timeout ? mstime() + timeout : 0, OBJ_ZSET, BLOCK_REPLY_NULL_ARRAY);
}
static void zmpop_command(client *c) { zmpop_generic(c, 1, 0); }
static void bzmpop_command(client *c) { zmpop_generic(c, 2, 1); }

/* ---- ZRANDMEMBER */
typedef struct randCtx {
    client *c;
    int withscores;
} randCtx;

static void rand_emit(void *ctx, const elem *m, double score) {
    randCtx *rc = ctx;
    reply_member_score(rc->c, m, score, rc->withscores);
}

static void zrandmember_command(client *c) {
    kvobj *z;
    if (c->argc == 2) {
        if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
        if (!z) {
            reply_null(&c->reply);
            return;
        }
        elem m;
        double score;
        zset_random(z, &m, &score);
        reply_bulk(&c->reply, m.s, m.len);
        return;
    }
    long long count;
    int withscores = 0;
    if (arg_ll(c, c->argv[2], &count, NULL) == -1) return;
    if (c->argc == 4) {
        if (!arg_is(c->argv[3], "withscores")) {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
        withscores = 1;
    } else if (c->argc > 4) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (count < -LONG_MAX / 2 || count > LONG_MAX / 2) {
        reply_error(&c->reply, "value is out of range");
        return;
    }
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    if (!z || count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    int unique = count > 0;
    unsigned long n = unique ? (unsigned long)count : (unsigned long)-count, len = zset_len(z);
    if (unique && n > len) n = len;
    reply_array(&c->reply, withscores && c->resp == 2 ? (long)n * 2 : (long)n);
    randCtx rc = {c, withscores};
    zset_random_count(z, n, unique, rand_emit, &rc);
}

/* ---- set algebra: ZUNION/ZINTER/ZDIFF[STORE], ZINTERCARD */
enum { OP_UNION, OP_INTER, OP_DIFF };
enum { AGG_SUM, AGG_MIN, AGG_MAX };

static double aggregate(double a, double b, int agg) {
    if (agg == AGG_MIN) return a < b ? a : b;
    if (agg == AGG_MAX) return a > b ? a : b;
    double r = a + b;
    return isnan(r) ? 0 : r; /* inf + -inf: Redis uses 0 */
}

/* An input: a sorted set, or a plain set whose members all score 1, as
 * Redis accepts them. */
typedef struct zsetSrc {
    kvobj *o; /* NULL for a missing key: an empty set */
    double weight;
    long long index;
} zsetSrc;

static unsigned long src_len(const zsetSrc *src) {
    if (!src->o) return 0;
    return src->o->type == OBJ_SET ? set_len(src->o) : zset_len(src->o);
}

static int src_score(const zsetSrc *src, const elem *m, double *score) {
    if (!src->o) return 0;
    if (src->o->type == OBJ_ZSET) return zset_score(src->o, m->s, m->len, score);
    *score = 1.0;
    return set_has_elem(src->o, m);
}

/* Walks an input in its order (score order for sorted sets). */
typedef struct srcIter {
    const zsetSrc *src;
    int started, more;
    zsetPos pos;
    setIter si;
} srcIter;

static void src_iter_init(srcIter *it, const zsetSrc *src) {
    it->src = src;
    it->started = 0;
    it->more = src->o != NULL;
    if (src->o && src->o->type == OBJ_SET) set_iter_init(&it->si, src->o);
}

static int src_iter_next(srcIter *it, elem *m, double *score) {
    kvobj *o = it->src->o;
    if (!it->more) return 0;
    if (o->type == OBJ_SET) {
        *score = 1.0;
        return it->more = set_iter_next(&it->si, m);
    }
    it->more = it->started ? zset_step(o, &it->pos, 0) : zset_seek_rank(o, 0, 0, &it->pos);
    it->started = 1;
    if (it->more) zset_read(o, &it->pos, m, score);
    return it->more;
}

static void src_iter_release(srcIter *it) {
    if (it->src->o && it->src->o->type == OBJ_SET) set_iter_release(&it->si);
}

/* By size, then by position among the keys (a stable order). */
static int by_card(const void *a, const void *b) {
    const zsetSrc *x = a, *y = b;
    unsigned long lx = src_len(x), ly = src_len(y);
    if (lx != ly) return lx < ly ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void setop_generic(client *c, int numkeys_idx, sds dst, int op, int card_only) {
    long long setnum;
    if (arg_ll(c, c->argv[numkeys_idx], &setnum, NULL) == -1) return;
    if (setnum < 1) {
        reply_errorf(&c->reply, "at least 1 input key is needed for '%s' command", c->cmd->fullname);
        return;
    }
    if (setnum > c->argc - (numkeys_idx + 1)) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    zsetSrc *src = zcalloc(sizeof(zsetSrc) * (size_t)setnum);
    int agg = AGG_SUM, withscores = 0;
    long long limit = 0;
    for (long long i = 0; i < setnum; i++) {
        src[i].weight = 1;
        src[i].index = i;
        sds key = c->argv[numkeys_idx + 1 + i];
        src[i].o = dst ? db_lookup_write(c->db, key) : db_lookup_read(c->db, key);
        if (src[i].o && src[i].o->type != OBJ_ZSET && src[i].o->type != OBJ_SET) {
            reply_error(&c->reply, ERR_WRONGTYPE);
            goto cleanup;
        }
    }
    for (int j = numkeys_idx + 1 + (int)setnum; j < c->argc; j++) {
        int left = c->argc - j - 1;
        if (op != OP_DIFF && !card_only && left >= setnum && arg_is(c->argv[j], "weights")) {
            for (long long w = 0; w < setnum; w++)
                if (arg_double(c, c->argv[j + 1 + w], &src[w].weight, "weight value is not a float") == -1)
                    goto cleanup;
            j += (int)setnum;
        } else if (op != OP_DIFF && !card_only && left >= 1 && arg_is(c->argv[j], "aggregate")) {
            sds a = c->argv[++j];
            if (arg_is(a, "sum")) agg = AGG_SUM;
            else if (arg_is(a, "min")) agg = AGG_MIN;
            else if (arg_is(a, "max")) agg = AGG_MAX;
            else {
                reply_error(&c->reply, ERR_SYNTAX);
                goto cleanup;
            }
        } else if (!dst && !card_only && arg_is(c->argv[j], "withscores")) {
            withscores = 1;
        } else if (card_only && left >= 1 && arg_is(c->argv[j], "limit")) {
            if (arg_ll_range(c, c->argv[++j], 0, LLONG_MAX, &limit, "LIMIT can't be negative") == -1) goto cleanup;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            goto cleanup;
        }
    }
    /* Smallest inputs first, as Redis orders them (which also fixes the
     * order scores are aggregated in). */
    if (op != OP_DIFF) qsort(src, (size_t)setnum, sizeof(zsetSrc), by_card);
    kvobj r = kv_temp(zset_new_skiplist());
    long long card = 0;
    zsetPos pos;
    srcIter it;
    elem m;
    double score;
    int out;
    if (op == OP_INTER) {
        /* iterate the smallest input, check membership in the others */
        src_iter_init(&it, &src[0]);
        while (src_iter_next(&it, &m, &score)) {
            double s = src[0].weight * score, os;
            if (isnan(s)) s = 0;
            long long j;
            for (j = 1; j < setnum; j++) {
                if (src[j].o == src[0].o) os = score;
                else if (!src_score(&src[j], &m, &os)) break;
                s = aggregate(s, os * src[j].weight, agg);
            }
            if (j < setnum) continue;
            card++;
            if (card_only) {
                if (limit && card >= limit) break;
                continue;
            }
            zset_add(c->srv, &r, s, m.s, m.len, 0, &out, NULL);
        }
        src_iter_release(&it);
    } else if (op == OP_UNION) {
        for (long long i = 0; i < setnum; i++) {
            src_iter_init(&it, &src[i]);
            while (src_iter_next(&it, &m, &score)) {
                double s = score * src[i].weight, cur;
                if (isnan(s)) s = 0;
                if (zset_score(&r, m.s, m.len, &cur)) s = aggregate(cur, s, agg);
                zset_add(c->srv, &r, s, m.s, m.len, 0, &out, NULL);
            }
            src_iter_release(&it);
        }
    } else {
        src_iter_init(&it, &src[0]);
        while (src_iter_next(&it, &m, &score)) {
            long long j;
            double os;
            for (j = 1; j < setnum; j++)
                if (src[j].o && (src[j].o == src[0].o || src_score(&src[j], &m, &os))) break;
            if (j == setnum) zset_add(c->srv, &r, score, m.s, m.len, 0, &out, NULL);
        }
        src_iter_release(&it);
    }
    if (card_only) {
        reply_long(&c->reply, card);
        value_free(kv_value(&r));
    } else if (dst) {
        long long n = (long long)zset_len(&r);
        if (n) {
            /* the result becomes a listpack if it fits one */
            size_t maxlen = 0, totlen = 0;
            for (int more = zset_seek_rank(&r, 0, 0, &pos); more; more = zset_step(&r, &pos, 0)) {
                zset_read(&r, &pos, &m, &score);
                totlen += m.len;
                if (m.len > maxlen) maxlen = m.len;
            }
            zset_maybe_to_listpack(c->srv, &r, maxlen, totlen);
            db_set(c->db, dst, kv_value(&r), 0);
            static const char *ev[] = {"zunionstore", "zinterstore", "zdiffstore"};
            keyspace_event(c->srv, NOTIFY_ZSET, ev[op], dst, c->db->id);
        } else {
            value_free(kv_value(&r));
            if (db_delete(c->db, dst)) {
                db_signal_modified(c->db, dst);
                keyspace_event(c->srv, NOTIFY_GENERIC, "del", dst, c->db->id);
            }
        }
        c->srv->dirty++;
        reply_long(&c->reply, n);
    } else {
        long long n = (long long)zset_len(&r);
        reply_array(&c->reply, withscores && c->resp == 2 ? n * 2 : n);
        for (int more = zset_seek_rank(&r, 0, 0, &pos); more; more = zset_step(&r, &pos, 0)) {
            zset_read(&r, &pos, &m, &score);
            reply_member_score(c, &m, score, withscores);
        }
        value_free(kv_value(&r));
    }
cleanup:
    zfree(src);
}

static void zunionstore_command(client *c) { setop_generic(c, 2, c->argv[1], OP_UNION, 0); }
static void zinterstore_command(client *c) { setop_generic(c, 2, c->argv[1], OP_INTER, 0); }
static void zdiffstore_command(client *c) { setop_generic(c, 2, c->argv[1], OP_DIFF, 0); }
static void zunion_command(client *c) { setop_generic(c, 1, NULL, OP_UNION, 0); }
static void zinter_command(client *c) { setop_generic(c, 1, NULL, OP_INTER, 0); }
static void zdiff_command(client *c) { setop_generic(c, 1, NULL, OP_DIFF, 0); }
static void zintercard_command(client *c) { setop_generic(c, 1, NULL, OP_INTER, 1); }

/* ---- ZSCAN: a skiplist set is scanned over its member dict, so the cursor
 * has SCAN's guarantees; a listpack is small and comes back whole, with
 * cursor 0, scores as stored, as in Redis. */
static void zscan_collect(void *privdata, void *entry) {
    scanBatch *b = privdata;
    dictKV *e = entry;
    zslNode *n = e->v.val;
    b->sampled++;
    if (!scan_matches(b->opts, n->member, sdslen(n->member))) return;
    char buf[MAX_D2STRING_CHARS];
    int l = d2string(buf, sizeof(buf), n->score);
    scan_batch_add(b, n->member, sdslen(n->member));
    scan_batch_add(b, buf, (size_t)l);
}

static void zscan_command(client *c) {
    unsigned long cursor;
    scanOpts opts;
    if (scan_parse_cursor(c, c->argv[2], &cursor) == -1 || scan_parse_options(c, 3, 0, &opts) == -1) return;
    kvobj *z;
    if (lookup_zset(c, c->argv[1], 0, &z) == -1) return;
    scanBatch b = {NULL, 0, 0, 0, &opts};
    if (z && z->encoding == OBJ_ENC_SKIPLIST) {
        cursor = scan_dict(zset_member_dict(z), cursor, zscan_collect, &b);
    } else {
        cursor = 0;
        zsetPos pos;
        elem m, text;
        double score;
        for (int more = z && zset_seek_rank(z, 0, 0, &pos); more; more = zset_step(z, &pos, 0)) {
            zset_read(z, &pos, &m, &score);
            if (!scan_matches(&opts, m.s, m.len)) continue;
            zset_read_score_text(z, &pos, &text);
            scan_batch_add(&b, m.s, m.len);
            scan_batch_add(&b, text.s, text.len);
        }
    }
    scan_reply(c, cursor, &b);
}

#define RO KEY1("RO ACCESS")
#define RW_UPDATE KEY1("RW ACCESS UPDATE")
#define NUMKEYS_RO(idx) {KEYS_NUM("RO ACCESS", idx, 0, 1, 1)}
#define STORE_FROM_NUMKEYS {KEYS_RANGE("OW UPDATE", 1, 0, 1, 0), KEYS_NUM("RO ACCESS", 2, 0, 1, 1)}

commandDef zset_commands[] = {
    {"zadd", zadd_command, -4, "write denyoom fast", "@sortedset", {KEYS_RANGE("RW UPDATE", 1, 0, 1, 0)}, "sorted_set",
     "1.2.0", "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
     "O(log(N)) for each item added, where N is the number of elements in the sorted set."},
    {"zincrby", zincrby_command, 4, "write denyoom fast", "@sortedset", {KEYS_RANGE("RW ACCESS UPDATE", 1, 0, 1, 0)},
     "sorted_set", "1.2.0", "Increments the score of a member in a sorted set.",
     "O(log(N)) where N is the number of elements in the sorted set."},
    {"zrem", zrem_command, -3, "write fast", "@sortedset", {KEYS_RANGE("RW DELETE", 1, 0, 1, 0)}, "sorted_set", "1.2.0",
     "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
     "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed."},
    {"zcard", zcard_command, 2, "readonly fast", "@sortedset", KEY1("RO"), "sorted_set", "1.2.0",
     "Returns the number of members in a sorted set.", "O(1)"},
    {"zscore", zscore_command, 3, "readonly fast", "@sortedset", RO, "sorted_set", "1.2.0",
     "Returns the score of a member in a sorted set.", "O(1)"},
    {"zmscore", zmscore_command, -3, "readonly fast", "@sortedset", RO, "sorted_set", "6.2.0",
     "Returns the score of one or more members in a sorted set.", "O(N) where N is the number of members being requested."},
    {"zrank", zrank_command, -3, "readonly fast", "@sortedset", RO, "sorted_set", "2.0.0",
     "Returns the index of a member in a sorted set ordered by ascending scores.", "O(log(N))"},
    {"zrevrank", zrevrank_command, -3, "readonly fast", "@sortedset", RO, "sorted_set", "2.0.0",
     "Returns the index of a member in a sorted set ordered by descending scores.", "O(log(N))"},
    {"zrange", zrange_command, -4, "readonly", "@sortedset", RO, "sorted_set", "1.2.0",
     "Returns members in a sorted set within a range of indexes.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."},
    {"zrangestore", zrangestore_command, -5, "write denyoom", "@sortedset",
     {KEYS_RANGE("OW UPDATE", 1, 0, 1, 0), KEYS_RANGE("RO ACCESS", 2, 0, 1, 0)}, "sorted_set", "6.2.0",
     "Stores a range of members from sorted set in a key.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key."},
    {"zrevrange", zrevrange_command, -4, "readonly", "@sortedset", RO, "sorted_set", "1.2.0",
     "Returns members in a sorted set within a range of indexes in reverse order.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."},
    {"zrangebyscore", zrangebyscore_command, -4, "readonly", "@sortedset", RO, "sorted_set", "1.0.5",
     "Returns members in a sorted set within a range of scores.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned."},
    {"zrevrangebyscore", zrevrangebyscore_command, -4, "readonly", "@sortedset", RO, "sorted_set", "2.2.0",
     "Returns members in a sorted set within a range of scores in reverse order.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned."},
    {"zrangebylex", zrangebylex_command, -4, "readonly", "@sortedset", RO, "sorted_set", "2.8.9",
     "Returns members in a sorted set within a lexicographical range.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned."},
    {"zrevrangebylex", zrevrangebylex_command, -4, "readonly", "@sortedset", RO, "sorted_set", "2.8.9",
     "Returns members in a sorted set within a lexicographical range in reverse order.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned."},
    {"zcount", zcount_command, 4, "readonly fast", "@sortedset", RO, "sorted_set", "2.0.0",
     "Returns the count of members in a sorted set that have scores within a range.",
     "O(log(N)) with N being the number of elements in the sorted set."},
    {"zlexcount", zlexcount_command, 4, "readonly fast", "@sortedset", RO, "sorted_set", "2.8.9",
     "Returns the number of members in a sorted set within a lexicographical range.",
     "O(log(N)) with N being the number of elements in the sorted set."},
    {"zremrangebyrank", zremrangebyrank_command, 4, "write", "@sortedset", {KEYS_RANGE("RW DELETE", 1, 0, 1, 0)},
     "sorted_set", "2.0.0", "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."},
    {"zremrangebyscore", zremrangebyscore_command, 4, "write", "@sortedset", {KEYS_RANGE("RW DELETE", 1, 0, 1, 0)},
     "sorted_set", "1.2.0", "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."},
    {"zremrangebylex", zremrangebylex_command, 4, "write", "@sortedset", {KEYS_RANGE("RW DELETE", 1, 0, 1, 0)},
     "sorted_set", "2.8.9", "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
     "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."},
    {"zpopmin", zpopmin_command, -2, "write fast", "@sortedset", {KEYS_RANGE("RW ACCESS DELETE", 1, 0, 1, 0)},
     "sorted_set", "5.0.0", "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
     "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."},
    {"zpopmax", zpopmax_command, -2, "write fast", "@sortedset", {KEYS_RANGE("RW ACCESS DELETE", 1, 0, 1, 0)},
     "sorted_set", "5.0.0", "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
     "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."},
    {"bzpopmin", bzpopmin_command, -3, "write blocking fast", "@sortedset", {KEYS_RANGE("RW ACCESS DELETE", 1, -2, 1, 0)},
     "sorted_set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
     "O(log(N)) with N being the number of elements in the sorted set."},
    {"bzpopmax", bzpopmax_command, -3, "write blocking fast", "@sortedset", {KEYS_RANGE("RW ACCESS DELETE", 1, -2, 1, 0)},
     "sorted_set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.",
     "O(log(N)) with N being the number of elements in the sorted set."},
    {"zmpop", zmpop_command, -4, "write", "@sortedset", {KEYS_NUM("RW ACCESS DELETE", 1, 0, 1, 1)}, "sorted_set", "7.0.0",
     "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
     "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."},
    {"bzmpop", bzmpop_command, -5, "write blocking", "@sortedset", {KEYS_NUM("RW ACCESS DELETE", 2, 0, 1, 1)},
     "sorted_set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
     "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."},
    {"zrandmember", zrandmember_command, -2, "readonly", "@sortedset", RO, "sorted_set", "6.2.0",
     "Returns one or more random members from a sorted set.",
     "O(N) where N is the number of members returned", "nondeterministic_output"},
    {"zunion", zunion_command, -3, "readonly", "@sortedset", NUMKEYS_RO(1), "sorted_set", "6.2.0",
     "Returns the union of multiple sorted sets.",
     "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."},
    {"zinter", zinter_command, -3, "readonly", "@sortedset", NUMKEYS_RO(1), "sorted_set", "6.2.0",
     "Returns the intersect of multiple sorted sets.",
     "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."},
    {"zdiff", zdiff_command, -3, "readonly", "@sortedset", NUMKEYS_RO(1), "sorted_set", "6.2.0",
     "Returns the difference between multiple sorted sets.",
     "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."},
    {"zintercard", zintercard_command, -3, "readonly", "@sortedset", NUMKEYS_RO(1), "sorted_set", "7.0.0",
     "Returns the number of members of the intersect of multiple sorted sets.",
     "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets."},
    {"zunionstore", zunionstore_command, -4, "write denyoom", "@sortedset", STORE_FROM_NUMKEYS, "sorted_set", "2.0.0",
     "Stores the union of multiple sorted sets in a key.",
     "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."},
    {"zinterstore", zinterstore_command, -4, "write denyoom", "@sortedset", STORE_FROM_NUMKEYS, "sorted_set", "2.0.0",
     "Stores the intersect of multiple sorted sets in a key.",
     "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."},
    {"zdiffstore", zdiffstore_command, -4, "write denyoom", "@sortedset", STORE_FROM_NUMKEYS, "sorted_set", "6.2.0",
     "Stores the difference of multiple sorted sets in a key.",
     "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."},
    {"zscan", zscan_command, -3, "readonly", "@sortedset", RO, "sorted_set", "2.8.0",
     "Iterates over members and scores of a sorted set.",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
     "nondeterministic_output"},
    {0}};
