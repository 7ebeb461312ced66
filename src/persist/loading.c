/* loading.c: see loading.h. While a load runs with serve_clients set, the
 * loaders call loading_progress, which every 2 MB or 100 ms polls the
 * event loop once without waiting: new connections are accepted and
 * commands not flagged `loading` get -LOADING (dispatch.c), so clients and
 * Sentinel see what Redis shows them instead of a silent server. */
#include "loading.h"

#include <time.h>

#include "core/util.h"
#include "core/zmalloc.h"
#include "net/reactor.h"
#include "server/server.h"

#define LOADING_POLL_BYTES (2 * 1024 * 1024)
#define LOADING_POLL_MS 100

typedef struct loadingState {
    long long start_time, start_ms, total, loaded, last_poll_bytes, last_poll_ms;
    int serve_clients;
} loadingState;

static loadingState *ls(server *srv) {
    if (!srv->loading_state) srv->loading_state = zcalloc(sizeof(loadingState));
    return srv->loading_state;
}

void loading_start(server *srv, long long total_bytes, int serve_clients) {
    srv->loading = 1;
    long long now = mstime();
    *ls(srv) = (loadingState){time(NULL), now, total_bytes > 0 ? total_bytes : 0, 0, 0, now, serve_clients};
}

void loading_progress(server *srv, long long loaded_bytes) {
    loadingState *st = ls(srv);
    st->loaded = loaded_bytes;
    if (!st->serve_clients || !srv->el) return;
    if (loaded_bytes - st->last_poll_bytes < LOADING_POLL_BYTES && mstime() - st->last_poll_ms < LOADING_POLL_MS)
        return;
    st->last_poll_bytes = loaded_bytes;
    st->last_poll_ms = mstime();
    reactor_poll(srv->el, 1);
}

void loading_end(server *srv) {
    srv->loading = 0;
    ls(srv)->serve_clients = 0;
}

sds loading_info(server *srv, sds s) {
    if (!srv->loading) return s;
    loadingState *st = ls(srv);
    double perc = st->total ? (double)st->loaded * 100 / (double)st->total : 0;
    long long elapsed = time(NULL) - st->start_time, eta = 1;
    if (st->loaded && st->total)
        eta = (long long)((double)elapsed * (double)(st->total - st->loaded) / (double)st->loaded);
    return sdscatprintf(s,
                        "loading_start_time:%lld\r\nloading_total_bytes:%lld\r\nloading_rdb_used_mem:0\r\n"
                        "loading_loaded_bytes:%lld\r\nloading_loaded_perc:%.2f\r\nloading_eta_seconds:%lld\r\n",
                        st->start_time, st->total, st->loaded, perc, eta);
}
