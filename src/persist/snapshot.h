/* snapshot.h: when and how RDB snapshots happen: SAVE (in the loop),
 * BGSAVE (a forked child writes the file while the parent keeps serving),
 * `save` points checked by the cron, loading at start-up, and the state
 * INFO persistence reports. */
#ifndef STASH_SNAPSHOT_H
#define STASH_SNAPSHOT_H

#include <sys/types.h>

#include "core/sds.h"

struct server;

typedef struct saveParam {
    long long seconds, changes;
} saveParam;

typedef struct snapshot {
    saveParam *params;
    int nparams;
    pid_t child_pid;             /* -1 when no child */
    long long child_start_ms;
    long long dirty_at_start;    /* srv->dirty when the child forked */
    int last_bgsave_ok;
    int bgsave_scheduled;
    long long last_bgsave_time_sec;
    long long last_bgsave_try;
    long long last_fork_usec;
    long long total_forks;
    long long changes_at_last_save;
    long long saves;
} snapshot;

void snapshot_init(struct server *srv);
/* "save" directive: "" disables, else pairs of seconds/changes. */
int snapshot_set_params(struct server *srv, sds *argv, int argc, sds *err);
sds snapshot_get_params(struct server *srv);
int snapshot_save(struct server *srv);               /* SAVE: 0 or -1 */
int snapshot_bgsave(struct server *srv);             /* 0 started, -1 failed */
/* Forks a snapshot child doing custom work (diskless replication): returns
 * 0 in the child, the pid in the parent (tracked like a BGSAVE), -1. */
pid_t snapshot_fork(struct server *srv);
int snapshot_in_progress(struct server *srv);
void snapshot_cron(struct server *srv);              /* child reaping and save points */
void snapshot_kill_child(struct server *srv);
int snapshot_has_save_points(struct server *srv);
/* Loads dbfilename at start-up if it exists; exits on a corrupt file. */
void snapshot_load_at_startup(struct server *srv);
long long snapshot_last_fork_usec(struct server *srv);
long long snapshot_total_forks(struct server *srv);
sds snapshot_info(struct server *srv, sds s);        /* INFO persistence lines */

#endif
