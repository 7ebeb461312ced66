/* list.c: the list command family over types/list.h, including the
 * blocking pops (served through server/blocking.c) which replicate as the
 * plain pop they turned into. */
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/blocking.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/server.h"
#include "types/list.h"

static int lookup_list(client *c, db *d, const sds key, int write, list **l) {
    kvobj *o = write ? db_lookup_write(d, key) : db_lookup_read(d, key);
    *l = NULL;
    if (!o) return 0;
    if (o->type != OBJ_LIST) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return -1;
    }
    *l = list_of(o);
    return 0;
}

static void signal_list(client *c, db *d, const sds key, const char *event, long long changes) {
    db_signal_modified(d, key);
    keyspace_event(c->srv, NOTIFY_LIST, event, key, d->id);
    c->srv->dirty += changes;
}

static void delete_if_empty(client *c, db *d, const sds key, list *l) {
    if (list_len(l)) return;
    db_delete(d, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, d->id);
}

static int parse_where(client *c, const sds s, int *where) {
    if (arg_is(s, "left")) *where = LIST_HEAD;
    else if (arg_is(s, "right")) *where = LIST_TAIL;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return -1;
    }
    return 0;
}

/* ---- pushes */
static void push_generic(client *c, int where, int xx) {
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    if (!l) {
        if (xx) {
            reply_long(&c->reply, 0);
            return;
        }
        l = list_of(db_add(c->db, c->argv[1], list_new_value()));
    }
    for (int i = 2; i < c->argc; i++) list_push(l, c->argv[i], sdslen(c->argv[i]), where);
    reply_long(&c->reply, list_len(l));
    signal_list(c, c->db, c->argv[1], where == LIST_HEAD ? "lpush" : "rpush", c->argc - 2);
}
static void lpush_command(client *c) { push_generic(c, LIST_HEAD, 0); }
static void rpush_command(client *c) { push_generic(c, LIST_TAIL, 0); }
static void lpushx_command(client *c) { push_generic(c, LIST_HEAD, 1); }
static void rpushx_command(client *c) { push_generic(c, LIST_TAIL, 1); }

/* ---- pops */
static void pop_generic(client *c, int where) {
    long long count = 0;
    int hascount = c->argc == 3;
    if (c->argc > 3) {
        reply_arity_error(c);
        return;
    }
    if (hascount && arg_ll_range(c, c->argv[2], 0, LONG_MAX, &count, "value is out of range, must be positive") == -1)
        return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    if (!l) {
        if (hascount) reply_null_array(&c->reply);
        else reply_null(&c->reply);
        return;
    }
    if (hascount && count == 0) {
        reply_empty_array(&c->reply);
        return;
    }
    long n = hascount ? (count > list_len(l) ? list_len(l) : (long)count) : 1;
    if (hascount) reply_array(&c->reply, n);
    for (long i = 0; i < n; i++) {
        sds s = list_pop(l, where);
        reply_bulk_sds(&c->reply, s);
        sdsfree(s);
    }
    signal_list(c, c->db, c->argv[1], where == LIST_HEAD ? "lpop" : "rpop", n);
    delete_if_empty(c, c->db, c->argv[1], l);
}
static void lpop_command(client *c) { pop_generic(c, LIST_HEAD); }
static void rpop_command(client *c) { pop_generic(c, LIST_TAIL); }

static void llen_command(client *c) {
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 0, &l) == -1) return;
    reply_long(&c->reply, l ? list_len(l) : 0);
}

/* Normalizes [start, end] against len; returns 0 when the range is empty. */
static int normalize_range(long long len, long long *start, long long *end) {
    if (*start < 0) *start = len + *start;
    if (*end < 0) *end = len + *end;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= len) return 0;
    if (*end >= len) *end = len - 1;
    return 1;
}

static void lrange_command(client *c) {
    long long start, end;
    if (arg_ll(c, c->argv[2], &start, NULL) == -1 || arg_ll(c, c->argv[3], &end, NULL) == -1) return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 0, &l) == -1) return;
    if (!l || !normalize_range(list_len(l), &start, &end)) {
        reply_empty_array(&c->reply);
        return;
    }
    reply_array(&c->reply, end - start + 1);
    for (long long i = start; i <= end; i++) reply_bulk_sds(&c->reply, list_index(l, (long)i));
}

static void lindex_command(client *c) {
    long long idx;
    if (arg_ll(c, c->argv[2], &idx, NULL) == -1) return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 0, &l) == -1) return;
    sds s = l && idx >= LONG_MIN && idx <= LONG_MAX ? list_index(l, (long)idx) : NULL;
    if (s) reply_bulk_sds(&c->reply, s);
    else reply_null(&c->reply);
}

static void lset_command(client *c) {
    long long idx;
    if (arg_ll(c, c->argv[2], &idx, NULL) == -1) return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    if (!l) {
        reply_error(&c->reply, ERR_NO_SUCH_KEY);
        return;
    }
    if (idx < 0) idx += list_len(l);
    if (idx < 0 || idx >= list_len(l)) {
        reply_error(&c->reply, ERR_OUT_OF_RANGE);
        return;
    }
    list_set(l, (long)idx, c->argv[3], sdslen(c->argv[3]));
    reply_ok(&c->reply);
    signal_list(c, c->db, c->argv[1], "lset", 1);
}

static long find_from(list *l, const sds pivot, long from) {
    for (long i = from; i < list_len(l); i++) {
        sds s = list_index(l, i);
        if (sdslen(s) == sdslen(pivot) && !memcmp(s, pivot, sdslen(s))) return i;
    }
    return -1;
}

static void linsert_command(client *c) {
    int after;
    if (arg_is(c->argv[2], "after")) after = 1;
    else if (arg_is(c->argv[2], "before")) after = 0;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    if (!l) {
        reply_long(&c->reply, 0);
        return;
    }
    long pos = find_from(l, c->argv[3], 0);
    if (pos < 0) {
        reply_long(&c->reply, -1);
        return;
    }
    list_insert_at(l, pos + after, c->argv[4], sdslen(c->argv[4]));
    reply_long(&c->reply, list_len(l));
    signal_list(c, c->db, c->argv[1], "linsert", 1);
}

static void lrem_command(client *c) {
    long long count;
    if (arg_ll(c, c->argv[2], &count, NULL) == -1) return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    long removed = 0;
    if (l) {
        sds v = c->argv[3];
        if (count >= 0) {
            for (long i = 0; i < list_len(l) && (count == 0 || removed < count);) {
                sds s = list_index(l, i);
                if (sdslen(s) == sdslen(v) && !memcmp(s, v, sdslen(v))) {
                    list_delete_at(l, i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (long i = list_len(l) - 1; i >= 0 && removed < -count; i--) {
                sds s = list_index(l, i);
                if (sdslen(s) == sdslen(v) && !memcmp(s, v, sdslen(v))) {
                    list_delete_at(l, i);
                    removed++;
                }
            }
        }
    }
    if (removed) {
        signal_list(c, c->db, c->argv[1], "lrem", removed);
        delete_if_empty(c, c->db, c->argv[1], l);
    }
    reply_long(&c->reply, removed);
}

static void ltrim_command(client *c) {
    long long start, end;
    if (arg_ll(c, c->argv[2], &start, NULL) == -1 || arg_ll(c, c->argv[3], &end, NULL) == -1) return;
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 1, &l) == -1) return;
    if (l) {
        if (normalize_range(list_len(l), &start, &end)) list_trim(l, (long)start, (long)end);
        else list_trim(l, 1, 0);
        signal_list(c, c->db, c->argv[1], "ltrim", 1);
        delete_if_empty(c, c->db, c->argv[1], l);
    }
    reply_ok(&c->reply);
}

/* LPOS key element [RANK rank] [COUNT num] [MAXLEN len] */
static void lpos_command(client *c) {
    long long rank = 1, count = -1, maxlen = 0;
    for (int j = 3; j < c->argc; j++) {
        int more = j + 1 < c->argc;
        if (more && arg_is(c->argv[j], "rank")) {
            if (arg_ll_range(c, c->argv[++j], -LONG_MAX, LONG_MAX, &rank, NULL) == -1) return;
            if (rank == 0) {
                reply_error(&c->reply, "RANK can't be zero: use 1 to start from the first match, 2 from the second "
                                       "... or use negative to start from the end of the list");
                return;
            }
        } else if (more && arg_is(c->argv[j], "count")) {
            if (arg_ll_range(c, c->argv[++j], 0, LONG_MAX, &count, "COUNT can't be negative") == -1) return;
        } else if (more && arg_is(c->argv[j], "maxlen")) {
            if (arg_ll_range(c, c->argv[++j], 0, LONG_MAX, &maxlen, "MAXLEN can't be negative") == -1) return;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    list *l;
    if (lookup_list(c, c->db, c->argv[1], 0, &l) == -1) return;
    if (!l) {
        if (count != -1) reply_empty_array(&c->reply);
        else reply_null(&c->reply);
        return;
    }
    void *h = count != -1 ? reply_defer(&c->reply) : NULL;
    long len = list_len(l), found = 0, matches = 0, step = rank > 0 ? 1 : -1;
    long skip = (long)(rank > 0 ? rank - 1 : -rank - 1);
    long i = rank > 0 ? 0 : len - 1;
    sds v = c->argv[2];
    for (long checked = 0; i >= 0 && i < len && (maxlen == 0 || checked < maxlen); i += step, checked++) {
        sds s = list_index(l, i);
        if (sdslen(s) != sdslen(v) || memcmp(s, v, sdslen(v))) continue;
        if (matches++ < skip) continue;
        if (count == -1) {
            reply_long(&c->reply, i);
            return;
        }
        reply_long(&c->reply, i);
        found++;
        if (count && found >= count) break;
    }
    if (count != -1) reply_set_array(&c->reply, h, found);
    else reply_null(&c->reply);
}

/* ---- moves */
/* Moves one element; replies it. Returns 0 if src was empty/missing. */
static int move_one(client *c, db *d, const sds srckey, list *src, const sds dstkey, int wherefrom, int whereto) {
    list *dst;
    if (lookup_list(c, d, dstkey, 1, &dst) == -1) return -1;
    sds v = list_pop(src, wherefrom);
    signal_list(c, d, srckey, wherefrom == LIST_HEAD ? "lpop" : "rpop", 1);
    int same = sdslen(srckey) == sdslen(dstkey) && !memcmp(srckey, dstkey, sdslen(srckey));
    if (!same) delete_if_empty(c, d, srckey, src);
    if (!dst && !same) dst = list_of(db_add(d, dstkey, list_new_value()));
    if (same) dst = src;
    list_push(dst, v, sdslen(v), whereto);
    signal_list(c, d, dstkey, whereto == LIST_HEAD ? "lpush" : "rpush", 1);
    reply_bulk_sds(&c->reply, v);
    sdsfree(v);
    return 1;
}

static sds *make_argv(int argc, ...) {
    va_list ap;
    va_start(ap, argc);
    sds *argv = zmalloc(sizeof(sds) * (size_t)argc);
    for (int i = 0; i < argc; i++) argv[i] = sdsdup(va_arg(ap, sds));
    va_end(ap);
    return argv;
}

/* blocking: 0 for LMOVE/RPOPLPUSH; else the form a served blocking call
 * replicates as (BLMOVE -> LMOVE, BRPOPLPUSH -> RPOPLPUSH, like Redis). */
#define BLOCKING_LMOVE 1
#define BLOCKING_RPOPLPUSH 2
static void lmove_generic(client *c, const sds src_key, const sds dst_key, int from, int to, long long timeout,
                          int blocking) {
    list *src;
    if (lookup_list(c, c->db, src_key, 1, &src) == -1) return;
    if (src && list_len(src)) {
        int moved = move_one(c, c->db, src_key, src, dst_key, from, to) == 1;
        if (moved && blocking == BLOCKING_RPOPLPUSH) {
            sds a = sdsnew("rpoplpush");
            client_rewrite_argv(c, 3, make_argv(3, a, src_key, dst_key));
            sdsfree(a);
        } else if (moved && blocking == BLOCKING_LMOVE) {
            sds a = sdsnew("lmove"), f = sdsnew(from == LIST_HEAD ? "left" : "right"),
                t = sdsnew(to == LIST_HEAD ? "left" : "right");
            client_rewrite_argv(c, 5, make_argv(5, a, src_key, dst_key, f, t));
            sdsfree(a);
            sdsfree(f);
            sdsfree(t);
        }
        return;
    }
    if (!blocking || blocking_not_allowed(c)) {
        reply_null(&c->reply);
        return;
    }
    sds keys[1] = {src_key};
    blocking_block(c, keys, 1, timeout ? mstime() + timeout : 0, OBJ_LIST, BLOCK_REPLY_NULL);
}

static void lmove_command(client *c) {
    int from, to;
    if (parse_where(c, c->argv[3], &from) == -1 || parse_where(c, c->argv[4], &to) == -1) return;
    lmove_generic(c, c->argv[1], c->argv[2], from, to, 0, 0);
}

static void rpoplpush_command(client *c) { lmove_generic(c, c->argv[1], c->argv[2], LIST_TAIL, LIST_HEAD, 0, 0); }

static void blmove_command(client *c) {
    int from, to;
    long long timeout;
    if (parse_where(c, c->argv[3], &from) == -1 || parse_where(c, c->argv[4], &to) == -1) return;
    if (arg_timeout(c, c->argv[5], &timeout) == -1) return;
    lmove_generic(c, c->argv[1], c->argv[2], from, to, blocking_is_reprocessing(c) ? 0 : timeout, BLOCKING_LMOVE);
}

static void brpoplpush_command(client *c) {
    long long timeout;
    if (arg_timeout(c, c->argv[3], &timeout) == -1) return;
    lmove_generic(c, c->argv[1], c->argv[2], LIST_TAIL, LIST_HEAD, timeout, BLOCKING_RPOPLPUSH);
}

/* BLPOP/BRPOP: [key, element] from the first non-empty list. */
static void bpop_generic(client *c, int where) {
    long long timeout;
    if (arg_timeout(c, c->argv[c->argc - 1], &timeout) == -1) return;
    for (int i = 1; i < c->argc - 1; i++) {
        list *l;
        if (lookup_list(c, c->db, c->argv[i], 1, &l) == -1) return;
        if (!l || !list_len(l)) continue;
        sds key = sdsdup(c->argv[i]);
        sds v = list_pop(l, where);
        reply_array(&c->reply, 2);
        reply_bulk_sds(&c->reply, key);
        reply_bulk_sds(&c->reply, v);
        sdsfree(v);
        signal_list(c, c->db, key, where == LIST_HEAD ? "lpop" : "rpop", 1);
        delete_if_empty(c, c->db, key, l);
        sds cmdname = sdsnew(where == LIST_HEAD ? "LPOP" : "RPOP");
        client_rewrite_argv(c, 2, make_argv(2, cmdname, key));
        sdsfree(cmdname);
        sdsfree(key);
        return;
    }
    if (blocking_not_allowed(c)) {
        reply_null_array(&c->reply);
        return;
    }
    blocking_block(c, c->argv + 1, c->argc - 2, timeout ? mstime() + timeout : 0, OBJ_LIST, BLOCK_REPLY_NULL_ARRAY);
}
static void blpop_command(client *c) { bpop_generic(c, LIST_HEAD); }
static void brpop_command(client *c) { bpop_generic(c, LIST_TAIL); }

/* LMPOP numkeys key... LEFT|RIGHT [COUNT n]; BLMPOP timeout numkeys ... */
static void lmpop_generic(client *c, int numkeys_idx, int blocking) {
    long long numkeys, count = -1, timeout = 0;
    if (blocking && arg_timeout(c, c->argv[1], &timeout) == -1) return;
    if (arg_ll_range(c, c->argv[numkeys_idx], 1, LONG_MAX, &numkeys, "numkeys should be greater than 0") == -1) return;
    long long where_idx = numkeys_idx + numkeys + 1;
    if (where_idx >= c->argc) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    int where;
    if (parse_where(c, c->argv[where_idx], &where) == -1) return;
    for (long long j = where_idx + 1; j < c->argc; j++) {
        if (count == -1 && j + 1 < c->argc && arg_is(c->argv[j], "count")) {
            if (arg_ll_range(c, c->argv[++j], 1, LONG_MAX, &count, "count should be greater than 0") == -1) return;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    if (count == -1) count = 1;
    sds *keys = c->argv + numkeys_idx + 1;
    for (long long i = 0; i < numkeys; i++) {
        list *l;
        if (lookup_list(c, c->db, keys[i], 1, &l) == -1) return;
        if (!l || !list_len(l)) continue;
        sds key = sdsdup(keys[i]);
        long n = count > list_len(l) ? list_len(l) : (long)count;
        reply_array(&c->reply, 2);
        reply_bulk_sds(&c->reply, key);
        reply_array(&c->reply, n);
        for (long k = 0; k < n; k++) {
            sds v = list_pop(l, where);
            reply_bulk_sds(&c->reply, v);
            sdsfree(v);
        }
        signal_list(c, c->db, key, where == LIST_HEAD ? "lpop" : "rpop", n);
        delete_if_empty(c, c->db, key, l);
        sds cmdname = sdsnew(where == LIST_HEAD ? "LPOP" : "RPOP");
        sds cnt = sdsfromlonglong(n);
        client_rewrite_argv(c, 3, make_argv(3, cmdname, key, cnt));
        sdsfree(cmdname);
        sdsfree(cnt);
        sdsfree(key);
        return;
    }
    if (!blocking || blocking_not_allowed(c)) {
        reply_null_array(&c->reply);
        return;
    }
    blocking_block(c, keys, (int)numkeys, timeout ? mstime() + timeout : 0, OBJ_LIST, BLOCK_REPLY_NULL_ARRAY);
}
static void lmpop_command(client *c) { lmpop_generic(c, 1, 0); }
static void blmpop_command(client *c) { lmpop_generic(c, 2, 1); }

#define RO KEY1("RO ACCESS")
#define RW_INSERT KEY1("RW INSERT")
#define RW_DEL {KEYS_RANGE("RW ACCESS DELETE", 1, 0, 1, 0)}
#define MOVE_KEYS {KEYS_RANGE("RW ACCESS DELETE", 1, 0, 1, 0), KEYS_RANGE("RW INSERT", 2, 0, 1, 0)}
commandDef list_commands[] = {
    {"lpush", lpush_command, -3, "write denyoom fast", "@list", RW_INSERT, "list", "1.0.0",
     "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
     "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."},
    {"rpush", rpush_command, -3, "write denyoom fast", "@list", RW_INSERT, "list", "1.0.0",
     "Appends one or more elements to a list. Creates the key if it doesn't exist.",
     "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."},
    {"lpushx", lpushx_command, -3, "write denyoom fast", "@list", RW_INSERT, "list", "2.2.0",
     "Prepends one or more elements to a list only when the list exists.",
     "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."},
    {"rpushx", rpushx_command, -3, "write denyoom fast", "@list", RW_INSERT, "list", "2.2.0",
     "Appends an element to a list only when the list exists.",
     "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."},
    {"lpop", lpop_command, -2, "write fast", "@list", RW_DEL, "list", "1.0.0",
     "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
     "O(N) where N is the number of elements returned"},
    {"rpop", rpop_command, -2, "write fast", "@list", RW_DEL, "list", "1.0.0",
     "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
     "O(N) where N is the number of elements returned"},
    {"llen", llen_command, 2, "readonly fast", "@list", KEY1("RO"), "list", "1.0.0", "Returns the length of a list.", "O(1)"},
    {"lrange", lrange_command, 4, "readonly", "@list", RO, "list", "1.0.0", "Returns a range of elements from a list.",
     "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range."},
    {"lindex", lindex_command, 3, "readonly", "@list", RO, "list", "1.0.0", "Returns an element from a list by its index.",
     "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1)."},
    {"lset", lset_command, 4, "write denyoom", "@list", KEY1("RW UPDATE"), "list", "1.0.0",
     "Sets the value of an element in a list by its index.",
     "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1)."},
    {"linsert", linsert_command, 5, "write denyoom", "@list", RW_INSERT, "list", "2.2.0",
     "Inserts an element before or after another element in a list.",
     "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N)."},
    {"lrem", lrem_command, 4, "write", "@list", KEY1("RW DELETE"), "list", "1.0.0",
     "Removes elements from a list. Deletes the list if the last element was removed.",
     "O(N+M) where N is the length of the list and M is the number of elements removed."},
    {"ltrim", ltrim_command, 4, "write", "@list", KEY1("RW DELETE"), "list", "1.0.0",
     "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
     "O(N) where N is the number of elements to be removed by the operation."},
    {"lpos", lpos_command, -3, "readonly", "@list", KEY1("RO"), "list", "6.0.6",
     "Returns the index of matching elements in a list.",
     "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time."},
    {"lmove", lmove_command, 5, "write denyoom", "@list", MOVE_KEYS, "list", "6.2.0",
     "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", "O(1)"},
    {"rpoplpush", rpoplpush_command, 3, "write denyoom", "@list", MOVE_KEYS, "list", "1.2.0",
     "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", "O(1)"},
    {"blmove", blmove_command, 6, "write denyoom blocking", "@list", MOVE_KEYS, "list", "6.2.0",
     "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", "O(1)"},
    {"brpoplpush", brpoplpush_command, 4, "write denyoom blocking", "@list", MOVE_KEYS, "list", "2.2.0",
     "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", "O(1)"},
    {"blpop", blpop_command, -3, "write blocking", "@list", {KEYS_RANGE("RW ACCESS DELETE", 1, -2, 1, 0)}, "list",
     "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
     "O(N) where N is the number of provided keys."},
    {"brpop", brpop_command, -3, "write blocking", "@list", {KEYS_RANGE("RW ACCESS DELETE", 1, -2, 1, 0)}, "list",
     "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
     "O(N) where N is the number of provided keys."},
    {"lmpop", lmpop_command, -4, "write", "@list", {KEYS_NUM("RW ACCESS DELETE", 1, 0, 1, 1)}, "list", "7.0.0",
     "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned."},
    {"blmpop", blmpop_command, -5, "write blocking", "@list", {KEYS_NUM("RW ACCESS DELETE", 2, 0, 1, 1)}, "list",
     "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned."},
    {0}};
