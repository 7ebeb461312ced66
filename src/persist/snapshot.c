/* snapshot.c: see snapshot.h.
 *
 * BGSAVE forks; the child calls rdb_save (temp file, fsync, rename) and
 * exits 0 or 1. The parent never waits: the cron reaps the child with
 * waitpid(WNOHANG), then records the outcome and forgets the changes the
 * snapshot covered. While a child runs, dict resizing is discouraged so
 * copy-on-write copies fewer pages. */
#include "snapshot.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/dict.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "persist/aof.h"
#include "persist/loading.h"
#include "persist/rdb.h"
#include "repl/repl.h"
#include "server/server.h"

static snapshot *state(struct server *srv) { return srv->persist; }

void snapshot_init(server *srv) {
    if (srv->persist) return;
    snapshot *s = zcalloc(sizeof(*s));
    s->child_pid = -1;
    s->last_bgsave_ok = 1;
    s->params = zmalloc(sizeof(saveParam) * 3);
    s->params[0] = (saveParam){3600, 1};
    s->params[1] = (saveParam){300, 100};
    s->params[2] = (saveParam){60, 10000};
    s->nparams = 3;
    srv->persist = s;
}

int snapshot_set_params(server *srv, sds *argv, int argc, sds *err) {
    snapshot_init(srv);
    snapshot *s = state(srv);
    if (argc == 1 && argv[0][0] == '\0') argc = 0;
    if (argc % 2) {
        *err = sdsnew("Invalid save parameters");
        return -1;
    }
    saveParam *p = zmalloc(sizeof(saveParam) * (size_t)(argc / 2 + 1));
    for (int j = 0; j < argc; j += 2) {
        long long secs, changes;
        if (!string2ll(argv[j], sdslen(argv[j]), &secs) || !string2ll(argv[j + 1], sdslen(argv[j + 1]), &changes) ||
            secs < 1 || changes < 0) {
            zfree(p);
            *err = sdsnew("Invalid save parameters");
            return -1;
        }
        p[j / 2] = (saveParam){secs, changes};
    }
    zfree(s->params);
    s->params = p;
    s->nparams = argc / 2;
    return 0;
}

sds snapshot_get_params(server *srv) {
    snapshot_init(srv);
    snapshot *s = state(srv);
    sds out = sdsempty();
    for (int j = 0; j < s->nparams; j++)
        out = sdscatprintf(out, "%s%lld %lld", j ? " " : "", s->params[j].seconds, s->params[j].changes);
    return out;
}

int snapshot_in_progress(server *srv) { return state(srv) && state(srv)->child_pid != -1; }

static void saved(server *srv, long long covered_dirty) {
    snapshot *s = state(srv);
    srv->dirty -= covered_dirty;
    if (srv->dirty < 0) srv->dirty = 0;
    srv->lastsave = time(NULL);
    s->last_bgsave_ok = 1;
    s->saves++;
}

int snapshot_save(server *srv) {
    snapshot_init(srv);
    long long dirty = srv->dirty;
    if (rdb_save(srv, srv->dbfilename) == -1) {
        state(srv)->last_bgsave_ok = 0;
        return -1;
    }
    LOG(srv, LL_NOTICE, "DB saved on disk");
    saved(srv, dirty);
    return 0;
}

pid_t snapshot_fork(server *srv) {
    snapshot_init(srv);
    snapshot *s = state(srv);
    if (s->child_pid != -1 || aof_rewrite_in_progress(srv)) return -1;
    s->last_bgsave_try = time(NULL);
    long long start = ustime();
    pid_t pid = fork();
    if (pid == 0) {
        /* Child: close the listeners so a restarting parent can rebind. */
        for (int j = 0; j < srv->listener_count; j++) close(srv->listeners[j]);
        return 0;
    }
    s->last_fork_usec = ustime() - start;
    s->total_forks++;
    if (pid == -1) {
        s->last_bgsave_ok = 0;
        LOG(srv, LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        return -1;
    }
    s->child_pid = pid;
    s->child_start_ms = mstime();
    s->dirty_at_start = srv->dirty;
    s->bgsave_scheduled = 0;
    dict_set_resize_allowed(0);
    return pid;
}

int snapshot_bgsave(server *srv) {
    pid_t pid = snapshot_fork(srv);
    if (pid == 0) {
        int rc = rdb_save(srv, srv->dbfilename);
        if (rc == 0) LOG(srv, LL_NOTICE, "DB saved on disk");
        _exit(rc == 0 ? 0 : 1);
    }
    if (pid == -1) return -1;
    LOG(srv, LL_NOTICE, "Background saving started by pid %ld", (long)pid);
    return 0;
}

int snapshot_has_save_points(server *srv) {
    snapshot_init(srv);
    return state(srv)->nparams > 0;
}

void snapshot_kill_child(server *srv) {
    snapshot *s = state(srv);
    if (!s || s->child_pid == -1) return;
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "temp-%d.rdb", (int)s->child_pid);
    kill(s->child_pid, SIGUSR1);
    waitpid(s->child_pid, NULL, 0);
    unlink(tmp);
    s->child_pid = -1;
    dict_set_resize_allowed(1);
}

static void reap_child(server *srv) {
    snapshot *s = state(srv);
    int status;
    pid_t pid = waitpid(s->child_pid, &status, WNOHANG);
    if (pid != s->child_pid) return;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    s->last_bgsave_time_sec = (mstime() - s->child_start_ms) / 1000;
    if (ok) {
        LOG(srv, LL_NOTICE, "Background saving terminated with success");
        saved(srv, s->dirty_at_start);
    } else if (WIFSIGNALED(status)) {
        LOG(srv, LL_WARNING, "Background saving terminated by signal %d", WTERMSIG(status));
        s->last_bgsave_ok = WTERMSIG(status) == SIGUSR1;
    } else {
        LOG(srv, LL_WARNING, "Background saving error");
        s->last_bgsave_ok = 0;
    }
    s->child_pid = -1;
    dict_set_resize_allowed(1);
    repl_bgsave_done(srv, ok);
}

void snapshot_cron(server *srv) {
    snapshot *s = state(srv);
    if (!s) return;
    if (s->child_pid != -1) {
        reap_child(srv);
        return;
    }
    long long now = time(NULL);
    if (s->bgsave_scheduled) {
        snapshot_bgsave(srv);
        return;
    }
    for (int j = 0; j < s->nparams; j++) {
        saveParam *p = &s->params[j];
        /* After a failed BGSAVE, retry only every 5 seconds, as Redis does. */
        if (srv->dirty >= p->changes && now - srv->lastsave > p->seconds &&
            (s->last_bgsave_ok || now - s->last_bgsave_try > 5)) {
            LOG(srv, LL_NOTICE, "%lld changes in %lld seconds. Saving...", p->changes, p->seconds);
            snapshot_bgsave(srv);
            break;
        }
    }
}

void snapshot_load_at_startup(server *srv) {
    snapshot_init(srv);
    long long start = ustime();
    sds err = NULL;
    struct stat st;
    loading_start(srv, stat(srv->dbfilename, &st) == 0 ? (long long)st.st_size : 0, 1);
    srv->rdb_repl.present = 0;
    int rc = rdb_load(srv, srv->dbfilename, &err);
    loading_end(srv);
    if (rc == 0 && srv->rdb_repl.present)
        repl_rdb_loaded(srv, srv->rdb_repl.stream_db, srv->rdb_repl.replid, srv->rdb_repl.offset);
    if (rc == 0) {
        LOG(srv, LL_NOTICE, "DB loaded from disk: %.3f seconds", (double)(ustime() - start) / 1000000);
    } else if (rc == -1) {
        LOG(srv, LL_WARNING, "%s", err ? err : "Error loading the RDB file");
        LOG(srv, LL_WARNING, "Fatal error loading the DB, check server logs. Exiting.");
        exit(1);
    }
    sdsfree(err);
}

long long snapshot_last_fork_usec(server *srv) {
    snapshot_init(srv);
    return state(srv)->last_fork_usec;
}
long long snapshot_total_forks(server *srv) {
    snapshot_init(srv);
    return state(srv)->total_forks;
}

sds snapshot_info(server *srv, sds out) {
    snapshot_init(srv);
    snapshot *s = state(srv);
    out = sdscatprintf(out, "loading:%d\r\nasync_loading:0\r\n", srv->loading);
    out = loading_info(srv, out);
    return sdscatprintf(out,
                        "current_cow_peak:0\r\ncurrent_cow_size:0\r\n"
                        "current_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\n"
                        "current_save_keys_total:0\r\nrdb_changes_since_last_save:%lld\r\n"
                        "rdb_bgsave_in_progress:%d\r\nrdb_last_save_time:%lld\r\nrdb_last_bgsave_status:%s\r\n"
                        "rdb_last_bgsave_time_sec:%lld\r\nrdb_current_bgsave_time_sec:%lld\r\n"
                        "rdb_saves:%lld\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\n"
                        "rdb_last_load_keys_loaded:0\r\n",
                        srv->dirty, s->child_pid != -1, srv->lastsave,
                        s->last_bgsave_ok ? "ok" : "err", s->saves ? s->last_bgsave_time_sec : -1,
                        s->child_pid != -1 ? (mstime() - s->child_start_ms) / 1000 : -1, s->saves);
}
