/* propagate.c: fan-out of executed write commands to registered sinks
 * (see propagate.h). */
#include "propagate.h"

#include "db/db.h"
#include "server/server.h"

void propagate_add_sink(server *srv, void (*sink)(server *, int, sds *, int)) {
    if (srv->propagate_sink_count < 4) srv->propagate_sinks[srv->propagate_sink_count++] = sink;
}

void propagate_command(server *srv, int dbid, sds *argv, int argc) {
    for (int i = 0; i < srv->propagate_sink_count; i++) srv->propagate_sinks[i](srv, dbid, argv, argc);
}

void propagate_deletion(server *srv, db *d, const sds key, int lazy) {
    if (srv->propagate_sink_count == 0) return;
    sds argv[2] = {sdsnew(lazy ? "UNLINK" : "DEL"), sdsdup(key)};
    propagate_command(srv, d->id, argv, 2);
    sdsfree(argv[0]);
    sdsfree(argv[1]);
}
