/* bitops.c: bit commands on string values: SETBIT, GETBIT, BITCOUNT,
 * BITPOS, BITOP, BITFIELD and BITFIELD_RO.
 *
 * A string is a bit array, most significant bit of byte 0 first: bit
 * offset n is bit 7 - n%8 of byte n/8, and multi-bit BITFIELD integers are
 * big-endian in that order. Missing keys read as all-zero; writes grow the
 * string with zero bytes (within proto-max-bulk-len, strings.h) and leave
 * it raw-encoded. BITCOUNT/BITPOS ranges are byte ranges unless BIT is
 * given; both are normalised to an inclusive range of bit offsets here. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "commands/strings.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/server.h"

/* ---- bit array primitives */

static int get_bit(const unsigned char *p, uint64_t off) { return (p[off >> 3] >> (7 - (off & 7))) & 1; }

static void set_bit(unsigned char *p, uint64_t off, int on) {
    unsigned char mask = (unsigned char)(1 << (7 - (off & 7)));
    if (on)
        p[off >> 3] |= mask;
    else
        p[off >> 3] &= (unsigned char)~mask;
}

static long long popcount_bytes(const unsigned char *p, size_t n) {
    long long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++) count += __builtin_popcount(p[i]);
    return count;
}

/* Set bits in the inclusive bit range [from, to]. */
static long long popcount_range(const unsigned char *p, uint64_t from, uint64_t to) {
    uint64_t first = from >> 3, last = to >> 3;
    long long count = popcount_bytes(p + first, (size_t)(last - first + 1));
    count -= __builtin_popcount(p[first] & ~(0xffu >> (from & 7)) & 0xffu); /* bits before from */
    count -= __builtin_popcount(p[last] & (0xffu >> ((to & 7) + 1)));       /* bits after to */
    return count;
}

/* First bit equal to `bit` among n whole bytes, or -1. */
static long long find_bit_in_bytes(const unsigned char *p, size_t n, int bit) {
    uint64_t skip_word = bit ? 0 : UINT64_MAX;
    unsigned char skip = bit ? 0 : 0xff;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w != skip_word) break;
    }
    for (; i < n; i++) {
        if (p[i] == skip) continue;
        unsigned v = bit ? p[i] : (unsigned char)~p[i];
        return (long long)i * 8 + (__builtin_clz(v) - 24);
    }
    return -1;
}

/* First bit equal to `bit` in the inclusive bit range [from, to], or -1:
 * bit by bit up to a byte boundary, then whole bytes, then the tail. */
static long long find_bit(const unsigned char *p, uint64_t from, uint64_t to, int bit) {
    for (; from <= to && (from & 7); from++)
        if (get_bit(p, from) == bit) return (long long)from;
    uint64_t whole_end = (to + 1) & ~(uint64_t)7; /* exclusive */
    if (from < whole_end) {
        long long pos = find_bit_in_bytes(p + (from >> 3), (size_t)((whole_end - from) >> 3), bit);
        if (pos >= 0) return (long long)from + pos;
        from = whole_end;
    }
    for (; from <= to; from++)
        if (get_bit(p, from) == bit) return (long long)from;
    return -1;
}

/* ---- argument parsing and lookup */

/* A bit offset (SETBIT, GETBIT, BITFIELD). With bits > 0, "#n" means the
 * n-th field of that width (BITFIELD). Offsets whose byte lies at or past
 * proto-max-bulk-len are refused, except for the master and AOF. */
static int parse_bit_offset(client *c, const sds arg, int bits, uint64_t *out) {
    size_t len = sdslen(arg);
    int scaled = bits > 0 && len > 0 && arg[0] == '#';
    long long v;
    int ok = string2ll(arg + scaled, len - (size_t)scaled, &v) && v >= 0;
    if (ok && scaled) {
        ok = v <= LLONG_MAX / bits;
        v *= ok ? bits : 0;
    }
    if (ok && !string_limit_exempt(c)) ok = (v >> 3) < c->srv->proto_max_bulk_len;
    if (!ok) {
        reply_error(&c->reply, ERR_BIT_OFFSET);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* The bytes of a string value (o may be NULL: empty); buf holds the digits
 * of int-encoded values and must have 24 bytes. */
static const unsigned char *string_bytes(const kvobj *o, char *buf, size_t *len) {
    *len = 0;
    return o ? (const unsigned char *)kv_string_bytes(o, buf, len) : (const unsigned char *)"";
}

/* Looks up argv[1] for a string write reaching bit maxbit: creates it or
 * grows it with zeros, raw-encoded. *grown tells whether the value was
 * created or lengthened. NULL after replying WRONGTYPE. */
static kvobj *lookup_bits_for_write(client *c, uint64_t maxbit, int *grown) {
    size_t need = (size_t)(maxbit >> 3) + 1;
    kvobj *o = db_lookup_write(c->db, c->argv[1]);
    if (o && o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return NULL;
    }
    if (!o) {
        *grown = 1;
        return db_add(c->db, c->argv[1], value_string_raw(sdsnewlen(NULL, need)));
    }
    sds s = kv_string_unshare(o);
    size_t before = sdslen(s);
    o->ptr = sdsgrowzero(s, need);
    *grown = sdslen(o->ptr) != before;
    return o;
}

static void signal_bits_changed(client *c, long long changes) {
    db_signal_modified(c->db, c->argv[1]);
    keyspace_event(c->srv, NOTIFY_STRING, "setbit", c->argv[1], c->db->id);
    c->srv->dirty += changes;
}

/* ---- SETBIT / GETBIT */

static void setbit_command(client *c) {
    uint64_t off;
    long on;
    int grown;
    if (parse_bit_offset(c, c->argv[2], 0, &off) == -1) return;
    if (arg_long(c, c->argv[3], &on, ERR_BIT_VALUE) == -1) return;
    if (on & ~1L) {
        reply_error(&c->reply, ERR_BIT_VALUE);
        return;
    }
    kvobj *o = lookup_bits_for_write(c, off, &grown);
    if (!o) return;
    unsigned char *p = (unsigned char *)o->ptr;
    int old = get_bit(p, off);
    if (grown || old != on) {
        set_bit(p, off, (int)on);
        signal_bits_changed(c, 1);
    }
    reply_long(&c->reply, old);
}

static void getbit_command(client *c) {
    uint64_t off;
    if (parse_bit_offset(c, c->argv[2], 0, &off) == -1) return;
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (o && o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return;
    }
    char buf[24];
    size_t len;
    const unsigned char *p = string_bytes(o, buf, &len);
    reply_long(&c->reply, (off >> 3) < len ? get_bit(p, off) : 0);
}

/* ---- BITCOUNT / BITPOS ranges */

/* Reads the optional BIT|BYTE word at argv[idx]; 1 for BIT. */
static int parse_range_unit(client *c, int idx, int *isbit) {
    *isbit = 0;
    if (idx >= c->argc || arg_is(c->argv[idx], "byte")) return 0;
    if (arg_is(c->argv[idx], "bit")) {
        *isbit = 1;
        return 0;
    }
    reply_error(&c->reply, ERR_SYNTAX);
    return -1;
}

/* Turns start/end (negative: from the end) in units of the string's
 * `total` bytes or bits into an inclusive range of bit offsets. Returns 0
 * when the range is empty. */
static int normalise_range(long long start, long long end, long long total, int isbit, uint64_t *from,
                           uint64_t *to) {
    if (start < 0) start += total;
    if (end < 0) end += total;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (start > end) return 0;
    *from = isbit ? (uint64_t)start : (uint64_t)start * 8;
    *to = isbit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    return 1;
}

/* BITCOUNT key [start end [BYTE|BIT]] */
static void bitcount_command(client *c) {
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (!o) {
        reply_long(&c->reply, 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return;
    }
    char buf[24];
    size_t len;
    const unsigned char *p = string_bytes(o, buf, &len);
    long long start = 0, end = -1;
    int isbit = 0;
    if (c->argc == 3 || c->argc > 5) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (c->argc >= 4) {
        if (arg_ll(c, c->argv[2], &start, NULL) == -1 || arg_ll(c, c->argv[3], &end, NULL) == -1) return;
        if (start < 0 && end < 0 && start > end) {
            reply_long(&c->reply, 0);
            return;
        }
        if (parse_range_unit(c, 4, &isbit) == -1) return;
    }
    uint64_t from, to;
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!normalise_range(start, end, total, isbit, &from, &to))
        reply_long(&c->reply, 0);
    else
        reply_long(&c->reply, popcount_range(p, from, to));
}

/* BITPOS key bit [start [end [BYTE|BIT]]]. Past the end of the string
 * bits read as 0, so when looking for a 0 without an explicit end the
 * answer may be the first bit after the string. */
static void bitpos_command(client *c) {
    long bit;
    if (arg_long(c, c->argv[2], &bit, NULL) == -1) return;
    if (bit != 0 && bit != 1) {
        reply_error(&c->reply, "The bit argument must be 1 or 0.");
        return;
    }
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (!o) {
        reply_long(&c->reply, bit ? -1 : 0);
        return;
    }
    if (o->type != OBJ_STRING) {
        reply_error(&c->reply, ERR_WRONGTYPE);
        return;
    }
    char buf[24];
    size_t len;
    const unsigned char *p = string_bytes(o, buf, &len);
    long long start = 0, end = -1;
    int isbit = 0, end_given = c->argc >= 5;
    if (c->argc > 6) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    if (c->argc >= 4 && arg_ll(c, c->argv[3], &start, NULL) == -1) return;
    if (parse_range_unit(c, 5, &isbit) == -1) return;
    if (end_given && arg_ll(c, c->argv[4], &end, NULL) == -1) return;
    uint64_t from, to;
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (!normalise_range(start, end, total, isbit, &from, &to)) {
        reply_long(&c->reply, -1);
        return;
    }
    long long pos = find_bit(p, from, to, (int)bit);
    if (pos == -1 && bit == 0 && !end_given) pos = (long long)to + 1;
    reply_long(&c->reply, pos);
}

/* ---- BITOP */

enum { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

/* res (maxlen bytes, starting as the first source zero-padded) op= src. */
static void bitop_combine(int op, unsigned char *res, size_t maxlen, const unsigned char *src, size_t len) {
    size_t i;
    switch (op) {
    case BITOP_AND:
        for (i = 0; i < len; i++) res[i] &= src[i];
        memset(res + len, 0, maxlen - len); /* missing bytes are zeros */
        break;
    case BITOP_OR:
        for (i = 0; i < len; i++) res[i] |= src[i];
        break;
    case BITOP_XOR:
        for (i = 0; i < len; i++) res[i] ^= src[i];
        break;
    }
}

static int parse_bitop(client *c, int *op) {
    static const char *names[] = {"and", "or", "xor", "not"};
    for (int i = 0; i < 4; i++) {
        if (arg_is(c->argv[1], names[i])) {
            *op = i;
            if (i == BITOP_NOT && c->argc != 4) {
                reply_error(&c->reply, "BITOP NOT must be called with a single source key.");
                return -1;
            }
            return 0;
        }
    }
    reply_error(&c->reply, ERR_SYNTAX);
    return -1;
}

/* The result of op over the source keys (missing ones are empty strings),
 * or NULL when all are empty. Replies WRONGTYPE (and sets *err) if a
 * source is not a string. */
static sds bitop_compute(client *c, int op, int *err) {
    int n = c->argc - 3;
    const unsigned char **src = zmalloc(sizeof(*src) * (size_t)n);
    size_t *len = zmalloc(sizeof(*len) * (size_t)n), maxlen = 0;
    char(*bufs)[24] = zmalloc(sizeof(*bufs) * (size_t)n);
    sds res = NULL;
    *err = 0;
    for (int j = 0; j < n && !*err; j++) {
        kvobj *o = db_lookup_read(c->db, c->argv[j + 3]);
        if (o && o->type != OBJ_STRING) {
            reply_error(&c->reply, ERR_WRONGTYPE);
            *err = 1;
        }
        src[j] = string_bytes(*err ? NULL : o, bufs[j], &len[j]);
        if (len[j] > maxlen) maxlen = len[j];
    }
    if (!*err && maxlen) {
        res = sdsnewlen(NULL, maxlen);
        unsigned char *r = (unsigned char *)res;
        memcpy(r, src[0], len[0]);
        if (op == BITOP_NOT)
            for (size_t i = 0; i < maxlen; i++) r[i] = (unsigned char)~r[i];
        for (int j = 1; j < n; j++) bitop_combine(op, r, maxlen, src[j], len[j]);
    }
    zfree(bufs);
    zfree(len);
    zfree(src);
    return res;
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...]: stores the result (deleting
 * destkey when it would be empty) and replies its length. */
static void bitop_command(client *c) {
    int op, err;
    if (parse_bitop(c, &op) == -1) return;
    sds res = bitop_compute(c, op, &err);
    if (err) return;
    sds dest = c->argv[2];
    size_t len = res ? sdslen(res) : 0;
    if (res) {
        db_set(c->db, dest, value_string_raw(res), 0);
        keyspace_event(c->srv, NOTIFY_STRING, "set", dest, c->db->id);
        c->srv->dirty++;
    } else if (db_delete(c->db, dest)) {
        db_signal_modified(c->db, dest);
        keyspace_event(c->srv, NOTIFY_GENERIC, "del", dest, c->db->id);
        c->srv->dirty++;
    }
    reply_long(&c->reply, (long long)len);
}

/* ---- BITFIELD
 *
 * Operations are parsed and checked first; then the key is looked up once
 * (for writing, grown to the farthest bit any SET/INCRBY touches) and the
 * operations run in order. Results outside the type's range follow the
 * OVERFLOW mode in force when the operation was given: WRAP (two's
 * complement wrap-around), SAT (clamp to the limits) or FAIL (null reply,
 * nothing written). For SET on an unsigned type a negative value counts
 * as too large, as in Redis. */

enum { BF_GET, BF_SET, BF_INCRBY };
enum { BF_WRAP, BF_SAT, BF_FAIL };

typedef struct bitfieldOp {
    uint64_t offset;
    int64_t arg; /* SET value or INCRBY increment */
    int opcode, overflow, bits, sign;
} bitfieldOp;

static uint64_t bf_read(const unsigned char *p, uint64_t off, int bits) {
    uint64_t v = 0;
    for (int i = 0; i < bits; i++) v = (v << 1) | (uint64_t)get_bit(p, off + (uint64_t)i);
    return v;
}

static void bf_write(unsigned char *p, uint64_t off, int bits, uint64_t v) {
    for (int i = 0; i < bits; i++) set_bit(p, off + (uint64_t)i, (int)((v >> (bits - 1 - i)) & 1));
}

/* Interprets the low `bits` bits of v as the op's type. */
static int64_t bf_from_bits(const bitfieldOp *op, uint64_t v) {
    if (op->bits < 64) v &= ((uint64_t)1 << op->bits) - 1;
    if (op->sign && op->bits < 64 && (v >> (op->bits - 1)) & 1) v |= UINT64_MAX << op->bits;
    return (int64_t)v;
}

/* Fits the exact result v into the op's type: returns 0 and *out = v when
 * it fits, else 1 with *out wrapped or saturated per the overflow mode. */
static int bf_fit(const bitfieldOp *op, __int128 v, int64_t *out) {
    __int128 max = op->sign ? ((__int128)1 << (op->bits - 1)) - 1 : ((__int128)1 << op->bits) - 1;
    __int128 min = op->sign ? -max - 1 : 0;
    if (v >= min && v <= max) {
        *out = (int64_t)v;
        return 0;
    }
    if (op->overflow == BF_SAT)
        *out = (int64_t)(v > max ? max : min);
    else
        *out = bf_from_bits(op, (uint64_t)v);
    return 1;
}

/* The field's current value; p/len may be shorter than the field (zeros). */
static int64_t bf_get(const bitfieldOp *op, const unsigned char *p, size_t len) {
    unsigned char window[9] = {0}; /* any 64-bit field lies within 9 bytes */
    uint64_t first = op->offset >> 3;
    for (uint64_t i = 0; i < 9 && first + i < len; i++) window[i] = p[first + i];
    return bf_from_bits(op, bf_read(window, op->offset & 7, op->bits));
}

/* Runs a SET or INCRBY on p (long enough); replies the old value (SET),
 * the new one (INCRBY) or null (FAIL on overflow). Returns 1 if the
 * stored bits changed. */
static int bf_update(client *c, const bitfieldOp *op, unsigned char *p, int grown) {
    int64_t old = bf_from_bits(op, bf_read(p, op->offset, op->bits)), stored;
    __int128 exact = op->opcode == BF_INCRBY ? (__int128)old + op->arg
                     : op->sign              ? (__int128)op->arg
                                             : (__int128)(uint64_t)op->arg;
    if (bf_fit(op, exact, &stored) && op->overflow == BF_FAIL) {
        reply_null(&c->reply);
        return 0;
    }
    reply_long(&c->reply, op->opcode == BF_INCRBY ? stored : old);
    bf_write(p, op->offset, op->bits, (uint64_t)stored);
    return grown || old != stored;
}

static int parse_bitfield_type(client *c, const sds arg, int *sign, int *bits) {
    long long v;
    int ok = arg[0] == 'i' || arg[0] == 'u';
    if (ok) {
        *sign = arg[0] == 'i';
        ok = string2ll(arg + 1, strlen(arg + 1), &v) && v >= 1 && v <= (*sign ? 64 : 63);
    }
    if (!ok) {
        reply_error(&c->reply,
                    "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
                    "but i64 is.");
        return -1;
    }
    *bits = (int)v;
    return 0;
}

static int parse_overflow(client *c, const sds arg, int *mode) {
    static const char *names[] = {"wrap", "sat", "fail"};
    for (int i = 0; i < 3; i++) {
        if (arg_is(arg, names[i])) {
            *mode = i;
            return 0;
        }
    }
    reply_error(&c->reply, "Invalid OVERFLOW type specified");
    return -1;
}

/* One GET/SET/INCRBY at argv[*j]; advances *j past its arguments. */
static int parse_bitfield_op(client *c, int *j, int overflow, bitfieldOp *op) {
    const sds name = c->argv[*j];
    int left = c->argc - *j - 1;
    if (arg_is(name, "get") && left >= 2)
        op->opcode = BF_GET;
    else if (arg_is(name, "set") && left >= 3)
        op->opcode = BF_SET;
    else if (arg_is(name, "incrby") && left >= 3)
        op->opcode = BF_INCRBY;
    else {
        reply_error(&c->reply, ERR_SYNTAX);
        return -1;
    }
    op->overflow = overflow;
    op->arg = 0;
    if (parse_bitfield_type(c, c->argv[*j + 1], &op->sign, &op->bits) == -1) return -1;
    if (parse_bit_offset(c, c->argv[*j + 2], op->bits, &op->offset) == -1) return -1;
    if (op->opcode != BF_GET) {
        long long v;
        if (arg_ll(c, c->argv[*j + 3], &v, NULL) == -1) return -1;
        op->arg = v;
    }
    *j += op->opcode == BF_GET ? 2 : 3;
    return 0;
}

/* Parses all operations into ops (room for argc/3 of them); returns their
 * count, or -1 after replying an error. *maxbit is the farthest bit a
 * write reaches, *writes the number of SET/INCRBY. */
static int parse_bitfield(client *c, bitfieldOp *ops, uint64_t *maxbit, int *writes) {
    int n = 0, overflow = BF_WRAP;
    *maxbit = 0;
    *writes = 0;
    for (int j = 2; j < c->argc; j++) {
        if (arg_is(c->argv[j], "overflow") && j + 1 < c->argc) {
            if (parse_overflow(c, c->argv[++j], &overflow) == -1) return -1;
            continue;
        }
        bitfieldOp *op = &ops[n++];
        if (parse_bitfield_op(c, &j, overflow, op) == -1) return -1;
        if (op->opcode == BF_GET) continue;
        (*writes)++;
        uint64_t last = op->offset + (uint64_t)op->bits - 1;
        if (last > *maxbit) *maxbit = last;
    }
    return n;
}

static void run_bitfield(client *c, bitfieldOp *ops, int n, kvobj *o, int grown) {
    long long changes = 0;
    reply_array(&c->reply, n);
    for (int i = 0; i < n; i++) {
        if (ops[i].opcode == BF_GET) {
            char buf[24];
            size_t len;
            const unsigned char *p = string_bytes(o, buf, &len);
            reply_long(&c->reply, bf_get(&ops[i], p, len));
        } else {
            changes += bf_update(c, &ops[i], (unsigned char *)o->ptr, grown);
        }
    }
    if (changes) signal_bits_changed(c, changes);
}

static void bitfield_generic(client *c, int readonly) {
    bitfieldOp *ops = zmalloc(sizeof(*ops) * (size_t)(c->argc / 3 + 1));
    uint64_t maxbit;
    int writes, grown = 0;
    int n = parse_bitfield(c, ops, &maxbit, &writes);
    kvobj *o = NULL;
    if (n == -1) goto done;
    if (writes && readonly) {
        reply_error(&c->reply, "BITFIELD_RO only supports the GET subcommand");
        goto done;
    }
    if (writes) {
        o = lookup_bits_for_write(c, maxbit, &grown);
        if (!o) goto done;
    } else {
        o = db_lookup_read(c->db, c->argv[1]);
        if (o && o->type != OBJ_STRING) {
            reply_error(&c->reply, ERR_WRONGTYPE);
            goto done;
        }
    }
    run_bitfield(c, ops, n, o, grown);
done:
    zfree(ops);
}

/* BITFIELD key [GET type offset | SET type offset value |
 *               INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL ...] */
static void bitfield_command(client *c) { bitfield_generic(c, 0); }
static void bitfield_ro_command(client *c) { bitfield_generic(c, 1); }

commandDef bitops_commands[] = {
    {"setbit", setbit_command, 4, "write denyoom", "@bitmap", KEY1("RW ACCESS UPDATE"), "bitmap", "2.2.0",
     "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.", "O(1)"},
    {"getbit", getbit_command, 3, "readonly fast", "@bitmap", KEY1("RO ACCESS"), "bitmap", "2.2.0",
     "Returns a bit value by offset.", "O(1)"},
    {"bitcount", bitcount_command, -2, "readonly", "@bitmap", KEY1("RO ACCESS"), "bitmap", "2.6.0",
     "Counts the number of set bits (population counting) in a string.", "O(N)"},
    {"bitpos", bitpos_command, -3, "readonly", "@bitmap", KEY1("RO ACCESS"), "bitmap", "2.8.7",
     "Finds the first set (1) or clear (0) bit in a string.", "O(N)"},
    {"bitop",
     bitop_command,
     -4,
     "write denyoom",
     "@bitmap",
     {KEYS_RANGE("OW UPDATE", 2, 0, 1, 0), KEYS_RANGE("RO ACCESS", 3, -1, 1, 0)},
     "bitmap",
     "2.6.0",
     "Performs bitwise operations on multiple strings, and stores the result.",
     "O(N)"},
    {"bitfield", bitfield_command, -2, "write denyoom", "@bitmap", KEY1("RW UPDATE ACCESS VARIABLE_FLAGS"),
     "bitmap", "3.2.0", "Performs arbitrary bitfield integer operations on strings.",
     "O(1) for each subcommand specified"},
    {"bitfield_ro", bitfield_ro_command, -2, "readonly fast", "@bitmap", KEY1("RO ACCESS"), "bitmap", "6.0.0",
     "Performs arbitrary read-only bitfield integer operations on strings.",
     "O(1) for each subcommand specified"},
    {0}};
