/* dump.c: DUMP and RESTORE. A payload is the RDB encoding of one value
 * (type byte + object), then the RDB version as 2 bytes little endian and
 * a CRC-64 of everything before it, little endian: exactly Redis's format,
 * so payloads move between Stash and Redis. We write version 10 so Redis
 * 7.0 accepts our payloads, and accept up to 11 (Redis 7.2). */
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/crc64.h"
#include "core/util.h"
#include "db/db.h"
#include "db/keyspace_events.h"
#include "persist/rdb.h"
#include "persist/rdb_codec.h"
#include "persist/rio.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/server.h"


/* Checks the footer: version we can read and a matching CRC. */
static int verify_payload(const sds p, int skip_crc) {
    size_t len = sdslen(p);
    if (len < 10) return 0;
    const unsigned char *footer = (const unsigned char *)p + len - 10;
    unsigned rdbver = footer[0] | (footer[1] << 8);
    if (rdbver > RDB_VERSION_MAX) return 0;
    if (skip_crc) return 1;
    uint64_t crc = crc64(0, p, len - 8), got = 0;
    for (int i = 7; i >= 0; i--) got = (got << 8) | footer[2 + i];
    return crc == got;
}

static void dump_command(client *c) {
    kvobj *o = db_lookup_read(c->db, c->argv[1]);
    if (!o) {
        reply_null(&c->reply);
        return;
    }
    sds p = rdb_dump_payload(kv_value(o));
    reply_bulk_sds(&c->reply, p);
    sdsfree(p);
}

/* RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
static void restore_command(client *c) {
    int replace = 0, absttl = 0;
    long long ttl, idle = -1, freq = -1;
    for (int j = 4; j < c->argc; j++) {
        int more = j + 1 < c->argc;
        if (arg_is(c->argv[j], "replace")) replace = 1;
        else if (arg_is(c->argv[j], "absttl")) absttl = 1;
        else if (more && arg_is(c->argv[j], "idletime") && idle == -1 && freq == -1) {
            if (arg_ll(c, c->argv[++j], &idle, NULL) == -1) return;
            if (idle < 0) {
                reply_error(&c->reply, "Invalid IDLETIME value, must be >= 0");
                return;
            }
        } else if (more && arg_is(c->argv[j], "freq") && idle == -1 && freq == -1) {
            if (arg_ll(c, c->argv[++j], &freq, NULL) == -1) return;
            if (freq < 0 || freq > 255) {
                reply_error(&c->reply, "Invalid FREQ value, must be >= 0 and <= 255");
                return;
            }
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    sds key = c->argv[1];
    if (!replace && db_lookup_write(c->db, key)) {
        reply_error(&c->reply, "-BUSYKEY Target key name already exists.");
        return;
    }
    if (arg_ll(c, c->argv[2], &ttl, NULL) == -1) return;
    if (ttl < 0) {
        reply_error(&c->reply, "Invalid TTL value, must be >= 0");
        return;
    }
    if (!verify_payload(c->argv[3], c->srv->skip_checksum_validation)) {
        reply_error(&c->reply, "DUMP payload version or checksum are wrong");
        return;
    }
    rio r;
    sds copy = sdsnewlen(c->argv[3], sdslen(c->argv[3]) - 10);
    rio_init_buffer(&r, copy);
    int type = rdb_load_type(&r);
    value v;
    if (type == -1 || !rdb_is_object_type(type) || rdb_load_object(&r, type, &v, 1, c->srv) == -1) {
        sdsfree(rio_buffer(&r));
        c->srv->stat_dump_payload_sanitizations++;
        reply_error(&c->reply, "Bad data format");
        return;
    }
    int trailing = rio_remaining(&r) != 0;
    sdsfree(rio_buffer(&r));
    if (trailing) { /* garbage after the object: refuse it */
        value_free(v);
        reply_error(&c->reply, "Bad data format");
        return;
    }
    int deleted = replace ? db_delete(c->db, key) : 0;
    if (ttl && !absttl) ttl += mstime();
    if (ttl && ttl <= mstime()) { /* already expired */
        value_free(v);
        if (deleted) {
            db_signal_modified(c->db, key);
            keyspace_event(c->srv, NOTIFY_GENERIC, "del", key, c->db->id);
            c->srv->dirty++;
        }
        reply_ok(&c->reply);
        return;
    }
    kvobj *o = db_add(c->db, key, v);
    if (ttl) o = db_set_expire(c->db, o, ttl);
    db_set_lru_or_lfu(c->srv, o, freq, idle);
    db_signal_modified(c->db, key);
    keyspace_event(c->srv, NOTIFY_GENERIC, "restore", key, c->db->id);
    c->srv->dirty++;
    reply_ok(&c->reply);
}

commandDef dump_commands[] = {
    {"dump", dump_command, 2, "readonly", "@keyspace", KEY1("RO ACCESS"), "generic", "2.6.0",
     "Returns a serialized representation of the value stored at a key.",
     "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
     "nondeterministic_output"},
    {"restore", restore_command, -4, "write denyoom", "@keyspace @dangerous", KEY1("OW UPDATE"), "generic", "2.6.0",
     "Creates a key from the serialized representation of a value.",
     "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N))."},
    {0}};
