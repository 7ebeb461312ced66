/* fuzz_rdb.c: libFuzzer harness for the RDB loader and the RESTORE
 * payload decoder. Input bytes are tried both as a whole RDB file (header,
 * opcodes, every object type) and, after the first byte, as one object of
 * the RDB type that byte names (what RESTORE decodes). Nothing may crash,
 * leak or read out of bounds; loading fails cleanly on bad input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/zmalloc.h"
#include "db/db.h"
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
        zset_register();
        hash_register();
        set_register();
        list_register();
        ready = 1;
    }
    return &srv;
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
        if (rdb_load_object(&r, data[0], &v, 1, srv) == 0) value_free(v);
        sdsfree(rio_buffer(&r));
    }
    return 0;
}
