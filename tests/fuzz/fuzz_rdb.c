/* fuzz_rdb.c: libFuzzer harness for the RDB loader and the RESTORE
 * payload decoder. Input bytes are tried both as a whole RDB file (header,
 * opcodes, every object type) and, after the first byte, as one object of
 * the RDB type that byte names (what RESTORE decodes), and what loads is
 * then walked and converted. Nothing may crash, leak or read out of
 * bounds; loading fails cleanly on bad input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/zmalloc.h"
#include "db/db.h"
#include "db/digest.h"
#include "persist/rdb.h"
#include "persist/rio.h"
#include "server/server.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

static server *fuzz_server(void) {
    static server srv;
    static int ready;
    if (!ready) {
        srv.dbnum = 2;
        srv.dbs = zcalloc(sizeof(db) * 2);
        for (int i = 0; i < 2; i++) db_init(&srv.dbs[i], i, &srv);
        srv.rdb_checksum = 1;
        srv.verbosity = LL_NOTHING;
        /* Redis's defaults, so small collections load in their compact
         * encodings and the conversions to the big ones run too */
        srv.set_max_intset_entries = 512;
        srv.set_max_listpack_entries = 128;
        srv.set_max_listpack_value = 64;
        srv.hash_max_listpack_entries = 512;
        srv.hash_max_listpack_value = 64;
        srv.zset_max_listpack_entries = 128;
        srv.zset_max_listpack_value = 64;
        zset_register();
        hash_register();
        set_register();
        list_register();
        ready = 1;
    }
    return &srv;
}

/* Walks a loaded value (a digest reads every element), converts a compact
 * encoding to the big one and walks it again, then frees it: loaded blobs
 * must be safe to use, not only to free. */
static void exercise(value v) {
    uint8_t digest[20] = {0};
    kvobj o = kv_temp(v);
    digest_object(digest, &o);
    if (o.encoding == OBJ_ENC_LISTPACK || o.encoding == OBJ_ENC_INTSET) {
        if (o.type == OBJ_SET) set_convert(&o, OBJ_ENC_HT, set_len(&o));
        else if (o.type == OBJ_HASH) hash_convert(&o, OBJ_ENC_HT);
        else if (o.type == OBJ_ZSET) zset_convert(&o, OBJ_ENC_SKIPLIST, zset_len(&o));
        digest_object(digest, &o);
    }
    value_free(kv_value(&o));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    server *srv = fuzz_server();
    rio r;
    sds err = NULL;
    rio_init_buffer(&r, sdsnewlen(data, size));
    rdb_load_rio(srv, &r, &err);
    sdsfree(err);
    sdsfree(rio_buffer(&r));
    for (int i = 0; i < srv->dbnum; i++) db_empty(&srv->dbs[i], 0);
    if (size > 1 && rdb_is_object_type(data[0])) {
        value v;
        rio_init_buffer(&r, sdsnewlen(data + 1, size - 1));
        if (rdb_load_object(&r, data[0], &v, 1, srv) == 0) exercise(v);
        sdsfree(rio_buffer(&r));
    }
    return 0;
}
