/* aof.c: see aof.h.
 *
 * Writing: executed writes reach aof_feed (a propagate sink) already in
 * their deterministic form (relative expiries made absolute by
 * propagate.c); they are appended to a buffer and written to the current
 * INCR file before the event loop sleeps, i.e. before any client sees the
 * reply. appendfsync always fsyncs right there; everysec hands the fsync to
 * a background thread at most once a second so the loop never waits on the
 * disk; no leaves it to the kernel.
 *
 * Rewriting (BGREWRITEAOF): the parent opens a new INCR file and records it
 * in the manifest, then forks; the child writes the dataset as an RDB image
 * to a temp file. When the child succeeds, the temp file becomes the new
 * BASE and every older file leaves the manifest and the disk. No rewrite
 * buffer is needed: commands after the fork already go to the new INCR.
 *
 * Loading: the manifest's BASE (RDB or command format) then each INCR, fed
 * through the request parser to a fake client. A truncated last command is
 * cut off when aof-load-truncated is yes, as Redis does. */
#include "aof.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/dict.h"
#include "db/db.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "persist/loading.h"
#include "script/functions.h"
#include "persist/rdb.h"
#include "persist/snapshot.h"
#include "proto/resp_parser.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/propagate.h"
#include "server/server.h"

typedef struct aofFile {
    sds name;
    long long seq;
    char type; /* 'b' base, 'h' history, 'i' incr */
} aofFile;

typedef struct aofState {
    int on;
    aofFile *files;
    int nfiles;
    long long base_seq, incr_seq;
    long long loaded_before;   /* loading: bytes of the files already replayed */
    long long last_timestamp;  /* last "#TS:" annotation written (aof-timestamp-enabled) */
    int rewrite_rdb_format;    /* the running rewrite writes an RDB base (aof-use-rdb-preamble) */
    int fd;                    /* current INCR, -1 when off */
    sds buf;
    int seldb;
    long long last_fsync_ms;
    long long current_size, base_size;
    pid_t child_pid;
    long long child_start_ms;
    int rewrite_scheduled;
    int last_rewrite_ok, last_write_ok;
    long long last_rewrite_time_sec, rewrites;
    /* background fsync */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int fsync_fd, fsync_pending, thread_stop, thread_started;
} aofState;

static aofState *astate(server *srv) { return srv->aof; }

int persist_child_active(server *srv) { return snapshot_in_progress(srv) || aof_rewrite_in_progress(srv); }
int aof_rewrite_in_progress(server *srv) { return astate(srv) && astate(srv)->child_pid != -1; }

/* ---- paths and manifest */
static sds dir_path(server *srv, const char *name) {
    return sdscatprintf(sdsempty(), "%s/%s", srv->appenddirname, name);
}

static sds manifest_name(server *srv) { return sdscatprintf(sdsempty(), "%s.manifest", srv->appendfilename); }

static void add_file(aofState *as, const char *name, long long seq, char type) {
    as->files = zrealloc(as->files, sizeof(aofFile) * (size_t)(as->nfiles + 1));
    as->files[as->nfiles].name = sdsnew(name);
    as->files[as->nfiles].seq = seq;
    as->files[as->nfiles].type = type;
    as->nfiles++;
}

static void clear_files(aofState *as) {
    for (int i = 0; i < as->nfiles; i++) sdsfree(as->files[i].name);
    zfree(as->files);
    as->files = NULL;
    as->nfiles = 0;
}

/* "file NAME seq N type T\n", the name quoted when it needs it (spaces). */
static sds manifest_entry(sds text, const aofFile *f) {
    text = sdscat(text, "file ");
    int plain = 1;
    for (const char *p = f->name; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '\'' || *p == '\\' || (unsigned char)*p >= 127) plain = 0;
    text = plain ? sdscat(text, f->name) : sdscatrepr(text, f->name, sdslen(f->name));
    return sdscatprintf(text, " seq %lld type %c\n", f->seq, f->type);
}

/* Writes the manifest atomically (temp file + fsync + rename). */
static int write_manifest(server *srv) {
    aofState *as = astate(srv);
    sds text = sdsempty();
    for (char pass = 0; pass < 3; pass++) {
        char want = pass == 0 ? 'b' : pass == 1 ? 'h' : 'i';
        for (int i = 0; i < as->nfiles; i++)
            if (as->files[i].type == want) text = manifest_entry(text, &as->files[i]);
    }
    sds name = manifest_name(srv), path = dir_path(srv, name);
    sds tmp = sdscatprintf(sdsempty(), "%s/temp-%s", srv->appenddirname, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc = -1;
    if (fd != -1 && write(fd, text, sdslen(text)) == (ssize_t)sdslen(text) && fsync(fd) == 0) {
        close(fd);
        fd = -1;
        rc = rename(tmp, path);
    }
    if (fd != -1) close(fd);
    if (rc == -1) LOG(srv, LL_WARNING, "Can't persist the AOF manifest file %s: %s", name, strerror(errno));
    sdsfree(text);
    sdsfree(name);
    sdsfree(path);
    sdsfree(tmp);
    return rc;
}

#define MANIFEST_MAX_LINE 1024

/* One manifest line ("file NAME seq N type T", more pairs allowed):
 * checked and added. Returns NULL, or what is wrong with it, worded as
 * Redis words it. */
static const char *manifest_line(aofState *as, const char *line, long long *max_incr_seq, int *have_base) {
    int argc;
    sds *argv = sdssplitargs(line, &argc);
    const char *err = NULL, *fname = NULL;
    long long seq = 0;
    char type = 0;
    if (!argv || argc < 6 || argc % 2) err = "Invalid AOF manifest file format";
    for (int i = 0; !err && i < argc; i += 2) {
        if (!strcasecmp(argv[i], "file")) {
            fname = argv[i + 1];
            if (strchr(fname, '/')) err = "File can't be a path, just a filename";
        } else if (!strcasecmp(argv[i], "seq")) {
            seq = strtoll(argv[i + 1], NULL, 10);
        } else if (!strcasecmp(argv[i], "type")) {
            type = argv[i + 1][0];
        }
    }
    if (!err && (!fname || !seq || !type)) err = "Invalid AOF manifest file format";
    if (!err && type == 'b' && (*have_base)++) err = "Found duplicate base file information";
    if (!err && type == 'i' && seq <= *max_incr_seq) err = "Found a non-monotonic sequence number";
    if (!err && type != 'b' && type != 'i' && type != 'h') err = "Unknown AOF file type";
    if (!err) {
        add_file(as, fname, seq, type);
        if (type == 'b') as->base_seq = seq;
        if (type == 'i') as->incr_seq = *max_incr_seq = seq;
    }
    if (argv) sdsfreesplitres(argv, argc);
    return err;
}

/* Reads the manifest. Returns 1 when read, 0 when there is none, -1 on a
 * damaged one (after logging Redis's fatal manifest report). */
static int read_manifest(server *srv) {
    aofState *as = astate(srv);
    sds name = manifest_name(srv), path = dir_path(srv, name);
    FILE *fp = fopen(path, "r");
    sdsfree(name);
    if (!fp) {
        int missing = errno == ENOENT;
        if (!missing)
            LOG(srv, LL_WARNING, "Fatal error: can't open the AOF manifest file %s for reading: %s", path,
                strerror(errno));
        sdsfree(path);
        return missing ? 0 : -1;
    }
    sdsfree(path);
    char buf[MANIFEST_MAX_LINE + 1];
    const char *err = NULL;
    sds line = NULL;
    int linenum = 0, have_base = 0;
    long long max_incr_seq = 0;
    while (!err) {
        if (!fgets(buf, sizeof(buf), fp)) {
            if (!feof(fp)) err = "Read AOF manifest failed";
            else if (linenum == 0) err = "Found an empty AOF manifest";
            break;
        }
        linenum++;
        if (buf[0] == '#') continue;
        if (!strchr(buf, '\n')) {
            err = "The AOF manifest file contains too long line";
            break;
        }
        sdsfree(line);
        line = sdstrim(sdsnew(buf), " \t\r\n");
        err = sdslen(line) ? manifest_line(as, line, &max_incr_seq, &have_base) : "Invalid AOF manifest file format";
    }
    fclose(fp);
    if (err) {
        LOG(srv, LL_WARNING, "*** FATAL AOF MANIFEST FILE ERROR ***");
        if (line) {
            LOG(srv, LL_WARNING, "Reading the manifest file, at line %d", linenum);
            LOG(srv, LL_WARNING, ">>> '%s'", line);
        }
        LOG(srv, LL_WARNING, "%s", err);
    }
    sdsfree(line);
    return err ? -1 : 1;
}

/* ---- background fsync thread */
static void *fsync_worker(void *arg) {
    aofState *as = arg;
    pthread_mutex_lock(&as->lock);
    while (!as->thread_stop) {
        if (!as->fsync_pending) {
            pthread_cond_wait(&as->cond, &as->lock);
            continue;
        }
        int fd = as->fsync_fd;
        as->fsync_pending = 0;
        pthread_mutex_unlock(&as->lock);
        fdatasync(fd);
        pthread_mutex_lock(&as->lock);
    }
    pthread_mutex_unlock(&as->lock);
    return NULL;
}

static void request_fsync(aofState *as) {
    if (!as->thread_started) {
        pthread_mutex_init(&as->lock, NULL);
        pthread_cond_init(&as->cond, NULL);
        pthread_create(&as->thread, NULL, fsync_worker, as);
        as->thread_started = 1;
    }
    pthread_mutex_lock(&as->lock);
    as->fsync_fd = as->fd;
    as->fsync_pending = 1;
    pthread_cond_signal(&as->cond);
    pthread_mutex_unlock(&as->lock);
}

/* ---- feeding and writing */
static void aof_feed(server *srv, int dbid, sds *argv, int argc) {
    aofState *as = astate(srv);
    if (!as || !as->on || srv->loading) return;
    if (srv->aof_timestamp_enabled) { /* "#TS:<unix time>" annotation, once per second */
        long long now = srv->mstime / 1000;
        if (now != as->last_timestamp) {
            as->buf = sdscatprintf(as->buf, "#TS:%lld\r\n", now);
            as->last_timestamp = now;
        }
    }
    if (dbid >= 0 && dbid != as->seldb) {
        char id[16];
        snprintf(id, sizeof(id), "%d", dbid);
        sds sel[2] = {sdsnew("SELECT"), sdsnew(id)};
        as->buf = resp_append_command(as->buf, sel, 2);
        sdsfree(sel[0]);
        sdsfree(sel[1]);
        as->seldb = dbid;
    }
    as->buf = resp_append_command(as->buf, argv, argc);
}

static void write_buffer(server *srv, int force_fsync) {
    aofState *as = astate(srv);
    if (!as || as->fd == -1) return;
    size_t off = 0, len = sdslen(as->buf);
    if (len && srv->aof_flush_sleep > 0) usleep((useconds_t)srv->aof_flush_sleep); /* DEBUG AOF-FLUSH-SLEEP */
    while (off < len) {
        ssize_t n = write(as->fd, as->buf + off, len - off);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            if (as->last_write_ok)
                LOG(srv, LL_WARNING, "Error writing to the AOF file: %s", n < 0 ? strerror(errno) : "short write");
            as->last_write_ok = 0;
            break;
        }
        off += (size_t)n;
    }
    if (off == len) as->last_write_ok = 1;
    as->current_size += (long long)off;
    sdsrange(as->buf, (ssize_t)off, -1);
    if (off == 0 && !force_fsync) return;
    long long now = mstime();
    if (srv->appendfsync == 2 || force_fsync) { /* always */
        fdatasync(as->fd);
        as->last_fsync_ms = now;
    } else if (srv->appendfsync == 1 && now - as->last_fsync_ms >= 1000) { /* everysec */
        request_fsync(as);
        as->last_fsync_ms = now;
    }
}

void aof_before_sleep(server *srv) {
    aofState *as = astate(srv);
    if (as && as->on && sdslen(as->buf)) write_buffer(srv, 0);
}

/* ---- opening files */
static sds incr_name(server *srv, long long seq) {
    return sdscatprintf(sdsempty(), "%s.%lld.incr.aof", srv->appendfilename, seq);
}
static sds base_name(server *srv, long long seq, int rdb_format) {
    return sdscatprintf(sdsempty(), "%s.%lld.base.%s", srv->appendfilename, seq, rdb_format ? "rdb" : "aof");
}

/* Opens a fresh INCR file (next seq) for appending and lists it. */
static int open_new_incr(server *srv) {
    aofState *as = astate(srv);
    as->incr_seq++;
    sds name = incr_name(srv, as->incr_seq), path = dir_path(srv, name);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd == -1) {
        LOG(srv, LL_WARNING, "Can't open the append-only file %s: %s", name, strerror(errno));
        sdsfree(name);
        sdsfree(path);
        as->incr_seq--;
        return -1;
    }
    if (as->fd != -1) {
        write_buffer(srv, 1);
        close(as->fd);
    }
    as->fd = fd;
    as->seldb = -1;
    add_file(as, name, as->incr_seq, 'i');
    sdsfree(name);
    sdsfree(path);
    return 0;
}

static void open_last_incr(server *srv) {
    aofState *as = astate(srv);
    for (int i = as->nfiles - 1; i >= 0; i--) {
        if (as->files[i].type != 'i' || as->files[i].seq != as->incr_seq) continue;
        sds path = dir_path(srv, as->files[i].name);
        as->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        sdsfree(path);
        return;
    }
}

/* ---- loading */
static long long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Replays commands from a file through a fake client. Returns 0, or -1 on
 * a corrupt file; a truncated tail is cut off when allowed. */
/* Annotations ("#TS:1628217470\r\n") sit between commands: returns the
 * length of a complete one at p, 0 when p holds none (or only part). */
static size_t skip_annotation(respParser *parser, const char *p, size_t len) {
    if (!len || p[0] != '#' || resp_parser_busy(parser)) return 0;
    const char *nl = memchr(p, '\n', len);
    return nl ? (size_t)(nl - p) + 1 : 0;
}

static int replay_commands(server *srv, const char *path, long long offset, int is_last) {
    FILE *fp = fopen(path, "r");
    if (!fp) return errno == ENOENT ? 0 : -1;
    if (offset && fseeko(fp, offset, SEEK_SET) == -1) {
        fclose(fp);
        return -1;
    }
    client *fake = client_create(srv, -1, CLIENT_FAKE);
    fake->authenticated = 1;
    fake->reply.muted = 1;
    respParser p;
    resp_parser_init(&p);
    p.inline_allowed = 0;
    p.max_bulk_len = -1;
    sds buf = sdsempty();
    size_t pos = 0;
    long long valid_up_to = offset, consumed_total = offset, valid_before_multi = offset;
    int rc = 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        buf = sdscatlen(buf, chunk, n);
        for (;;) {
            size_t used = skip_annotation(&p, buf + pos, sdslen(buf) - pos);
            if (used) {
                pos += used;
                consumed_total += (long long)used;
                continue;
            }
            int r = resp_parse(&p, buf + pos, sdslen(buf) - pos, &used);
            pos += used;
            consumed_total += (long long)used;
            if (r == RESP_MORE) break;
            if (r == RESP_ERROR) {
                LOG(srv, LL_WARNING,
                    "Bad file format reading the append only file %s: make a backup of your AOF file, then use "
                    "./redis-check-aof --fix <filename.manifest> (%s)",
                    path, p.err);
                rc = -1;
                goto done;
            }
            int argc;
            sds *argv = resp_parser_take(&p, &argc);
            if (argc == 0) {
                zfree(argv);
                continue;
            }
            fake->argv = argv;
            fake->argc = argc;
            if (!command_lookup(argv, argc)) {
                LOG(srv, LL_WARNING, "Unknown command '%s' reading the append only file %s", argv[0], path);
                client_reset_command(fake);
                rc = -1;
                goto done;
            }
            if (!(fake->flags & CLIENT_MULTI)) valid_before_multi = valid_up_to;
            dispatch_command(fake);
            client_reset_command(fake);
            valid_up_to = consumed_total;
            loading_progress(srv, astate(srv)->loaded_before + consumed_total);
        }
        sdsrange(buf, (ssize_t)pos, -1);
        pos = 0;
    }
    int unfinished_multi = (fake->flags & CLIENT_MULTI) != 0;
    if (unfinished_multi) {
        /* The queued commands never ran: cut the file back to before MULTI. */
        LOG(srv, LL_WARNING, "Revert incomplete MULTI/EXEC transaction in AOF file %s", path);
        valid_up_to = valid_before_multi;
    }
    if (resp_parser_busy(&p) || sdslen(buf) || unfinished_multi) {
        if (is_last && srv->aof_load_truncated) {
            LOG(srv, LL_WARNING, "!!! Warning: short read while loading the AOF file %s!!!", path);
            LOG(srv, LL_WARNING, "!!! Truncating the AOF %s at offset %lld !!!", path, valid_up_to);
            if (truncate(path, valid_up_to) == -1) rc = -1;
            LOG(srv, LL_WARNING, "AOF %s loaded anyway because aof-load-truncated is enabled", path);
        } else {
            LOG(srv, LL_WARNING, "Unexpected end of file reading the append only file %s. You can: 1) Make a "
                                 "backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) "
                                 "Alternatively you can set the 'aof-load-truncated' configuration option to yes "
                                 "and restart the server.", path);
            rc = -1;
        }
    }
done:
    sdsfree(buf);
    resp_parser_free(&p);
    client_free(fake);
    fclose(fp);
    return rc;
}

static int load_base(server *srv, const char *path, int is_last) {
    FILE *fp = fopen(path, "r");
    if (!fp) return errno == ENOENT ? 0 : -1;
    char sig[5];
    size_t n = fread(sig, 1, 5, fp);
    if (n == 5 && !memcmp(sig, "REDIS", 5)) {
        rewind(fp);
        rio r;
        rio_init_file(&r, fp);
        sds err = NULL;
        int rc = rdb_load_rio(srv, &r, &err);
        if (rc == -1) LOG(srv, LL_WARNING, "Error reading the RDB base file %s, AOF loading aborted: %s", path, err);
        sdsfree(err);
        long long tail = ftello(fp);
        fclose(fp);
        if (rc == -1) return -1;
        /* An old-style AOF carries commands after its RDB preamble. */
        LOG(srv, LL_NOTICE, "Reading RDB base file on AOF loading...");
        return tail < file_size(path) ? replay_commands(srv, path, tail, is_last) : 0;
    }
    fclose(fp);
    return replay_commands(srv, path, 0, is_last);
}

static int load_files(server *srv, long long start);

/* Replays BASE then every INCR file. serve_clients: answer -LOADING
 * meanwhile (start-up). */
static int load_all(server *srv, int serve_clients) {
    aofState *as = astate(srv);
    long long start = ustime(), total = 0;
    for (int i = 0; i < as->nfiles; i++) {
        if (as->files[i].type == 'h') continue;
        sds path = dir_path(srv, as->files[i].name);
        long long size = file_size(path);
        if (size > 0) total += size;
        sdsfree(path);
    }
    as->loaded_before = 0;
    loading_start(srv, total, serve_clients);
    int rc = load_files(srv, start);
    loading_end(srv);
    return rc;
}

static int load_files(server *srv, long long start) {
    aofState *as = astate(srv);
    int last_incr = -1;
    for (int i = 0; i < as->nfiles; i++)
        if (as->files[i].type == 'i') last_incr = i;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < as->nfiles; i++) {
            aofFile *f = &as->files[i];
            if ((pass == 0 && f->type != 'b') || (pass == 1 && f->type != 'i')) continue;
            sds path = dir_path(srv, f->name);
            if (access(path, F_OK) == -1) {
                LOG(srv, LL_WARNING, "The append log file %s doesn't exist: %s", f->name, strerror(errno));
                sdsfree(path);
                return -1;
            }
            int rc = f->type == 'b' ? load_base(srv, path, last_incr == -1) : replay_commands(srv, path, 0, i == last_incr);
            long long size = file_size(path);
            if (f->type == 'b' && size > 0) as->base_size = size;
            if (size > 0) as->current_size += size;
            if (rc == -1) {
                sdsfree(path);
                return -1;
            }
            if (size > 0) as->loaded_before += size;
            LOG(srv, LL_NOTICE, "DB loaded from %s file %s: %.3f seconds", f->type == 'b' ? "base" : "incr", f->name,
                (double)(ustime() - start) / 1000000);
            sdsfree(path);
        }
    }
    return 0;
}

/* ---- rewriting */
/* aof-use-rdb-preamble no: the BASE as commands. Each key is one RESTORE
 * (its DUMP payload, REPLACE, an absolute TTL), after a FUNCTION LOAD per
 * library, which replays to exactly
 * the same value in Stash and in Redis whatever its type or encoding. */
static int write_command_base(server *srv, rio *r) {
    sds out = sdsempty();
    if (srv->aof_timestamp_enabled) out = sdscatprintf(out, "#TS:%lld\r\n", (long long)time(NULL));
    out = functions_append_load_commands(srv, out); /* libraries first: keys never need them, FCALLs do */
    int rc = 0;
    for (int j = 0; j < srv->dbnum && rc == 0; j++) {
        db *d = &srv->dbs[j];
        if (!dict_size(d->keys)) continue;
        sds sel[2] = {sdsnew("SELECT"), sdsfromlonglong(j)};
        out = resp_append_command(out, sel, 2);
        sdsfree(sel[0]);
        sdsfree(sel[1]);
        dictIterator it;
        dict_iter_init(&it, d->keys, 1);
        kvobj *o;
        while (rc == 0 && (o = dict_iter_next(&it))) {
            long long when = kv_expire(o);
            sds argv[6] = {sdsnew("RESTORE"), sdsdup(kv_key(o)), sdsfromlonglong(when < 0 ? 0 : when),
                           rdb_dump_payload(kv_value(o)), sdsnew("REPLACE"), sdsnew("ABSTTL")};
            out = resp_append_command(out, argv, when < 0 ? 5 : 6);
            for (int i = 0; i < 6; i++) sdsfree(argv[i]);
            if (sdslen(out) > 64 * 1024) {
                if (!rio_write(r, out, sdslen(out))) rc = -1;
                sdsclear(out);
            }
        }
        dict_iter_release(&it);
    }
    if (rc == 0 && sdslen(out) && !rio_write(r, out, sdslen(out))) rc = -1;
    sdsfree(out);
    return rc;
}

int aof_rewrite_background(server *srv) {
    aofState *as = astate(srv);
    if (persist_child_active(srv)) return -1;
    if (mkdir(srv->appenddirname, 0755) == -1 && errno != EEXIST) {
        LOG(srv, LL_WARNING, "Can't open or create append-only dir %s: %s", srv->appenddirname, strerror(errno));
        return -1;
    }
    as->rewrite_rdb_format = srv->aof_use_rdb_preamble;
    /* New commands go to a new INCR from now on. */
    if (as->on && (open_new_incr(srv) == -1 || write_manifest(srv) == -1)) return -1;
    long long start = ustime();
    pid_t pid = fork();
    if (pid == 0) {
        for (int j = 0; j < srv->listener_count; j++) close(srv->listeners[j]);
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "temp-rewriteaof-bg-%d.aof", (int)getpid());
        FILE *fp = fopen(tmp, "w");
        int ok = 0;
        if (fp) {
            rio r;
            rio_init_file(&r, fp);
            int rc = as->rewrite_rdb_format ? rdb_save_rio(srv, &r) : write_command_base(srv, &r);
            ok = rc == 0 && rio_flush(&r) == 0 && fsync(fileno(fp)) == 0;
            fclose(fp);
        }
        if (ok) LOG(srv, LL_NOTICE, "Successfully created the temporary AOF base file %s", tmp);
        _exit(ok ? 0 : 1);
    }
    if (pid == -1) {
        LOG(srv, LL_WARNING, "Can't rewrite append only file in background: fork: %s", strerror(errno));
        as->last_rewrite_ok = 0;
        return -1;
    }
    LOG(srv, LL_NOTICE, "Background append only file rewriting started by pid %ld", (long)pid);
    as->child_pid = pid;
    as->child_start_ms = mstime();
    as->rewrite_scheduled = 0;
    (void)start;
    dict_set_resize_allowed(0);
    return 0;
}

void aof_schedule_rewrite(server *srv) { astate(srv)->rewrite_scheduled = 1; }

/* The child finished: install its file as the new BASE. */
static void rewrite_done(server *srv, int ok) {
    aofState *as = astate(srv);
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "temp-rewriteaof-bg-%d.aof", (int)as->child_pid);
    as->child_pid = -1;
    dict_set_resize_allowed(1);
    as->last_rewrite_time_sec = (mstime() - as->child_start_ms) / 1000;
    if (!ok) {
        LOG(srv, LL_WARNING, "Background AOF rewrite terminated with error");
        unlink(tmp);
        as->last_rewrite_ok = 0;
        return;
    }
    as->base_seq++;
    sds bname = base_name(srv, as->base_seq, as->rewrite_rdb_format), bpath = dir_path(srv, bname);
    if (rename(tmp, bpath) == -1) {
        LOG(srv, LL_WARNING, "Error trying to rename the temporary AOF base file %s into %s: %s", tmp, bname,
            strerror(errno));
        as->last_rewrite_ok = 0;
        as->base_seq--;
        unlink(tmp);
        sdsfree(bname);
        sdsfree(bpath);
        return;
    }
    /* Old base and every INCR but the current one become history. */
    aofFile *old = as->files;
    int nold = as->nfiles;
    as->files = NULL;
    as->nfiles = 0;
    add_file(as, bname, as->base_seq, 'b');
    if (as->on) {
        sds iname = incr_name(srv, as->incr_seq);
        add_file(as, iname, as->incr_seq, 'i');
        sdsfree(iname);
    }
    as->base_size = file_size(bpath);
    as->current_size = as->base_size;
    if (write_manifest(srv) == 0) {
        for (int i = 0; i < nold; i++) {
            int keep = old[i].type == 'i' && old[i].seq == as->incr_seq && as->on;
            if (!keep) {
                sds p = dir_path(srv, old[i].name);
                unlink(p);
                sdsfree(p);
            }
        }
    }
    for (int i = 0; i < nold; i++) sdsfree(old[i].name);
    zfree(old);
    as->last_rewrite_ok = 1;
    as->rewrites++;
    LOG(srv, LL_NOTICE, "Background AOF rewrite finished successfully");
    sdsfree(bname);
    sdsfree(bpath);
}

void aof_cron(server *srv) {
    aofState *as = astate(srv);
    if (!as) return;
    if (as->child_pid != -1) {
        int status;
        if (waitpid(as->child_pid, &status, WNOHANG) == as->child_pid)
            rewrite_done(srv, WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return;
    }
    if (as->rewrite_scheduled && !persist_child_active(srv)) {
        aof_rewrite_background(srv);
        return;
    }
    if (as->on && srv->auto_aof_rewrite_perc && as->current_size > srv->auto_aof_rewrite_min_size &&
        !persist_child_active(srv)) {
        long long base = as->base_size ? as->base_size : 1;
        long long growth = (as->current_size * 100 / base) - 100;
        if (growth >= srv->auto_aof_rewrite_perc) {
            LOG(srv, LL_NOTICE, "Starting automatic rewriting of AOF on %lld%% growth", growth);
            aof_rewrite_background(srv);
        }
    }
    if (as->on && srv->appendfsync == 1 && mstime() - as->last_fsync_ms >= 1000 && as->fd != -1) {
        request_fsync(as);
        as->last_fsync_ms = mstime();
    }
}

static void sink(server *srv, int dbid, sds *argv, int argc) { aof_feed(srv, dbid, argv, argc); }

/* Redis 6 and older kept a single appendfilename in `dir`. When that file
 * is there and the AOF directory does not describe anything else (no
 * manifest, or a manifest naming only that file as BASE without the file
 * being in the directory: an upgrade interrupted after the manifest was
 * written), it becomes the BASE of a new manifest and moves into the
 * directory, as Redis 7 upgrades it. Returns 1 when upgraded, 0 when there
 * was nothing to do, -1 on failure. */
static int upgrade_old_aof(server *srv, int have_manifest) {
    aofState *as = astate(srv);
    if (access(srv->appendfilename, F_OK) == -1) return 0;
    sds in_dir = dir_path(srv, srv->appendfilename);
    int interrupted = have_manifest && as->nfiles == 1 && as->files[0].type == 'b' &&
                      !strcmp(as->files[0].name, srv->appendfilename) && access(in_dir, F_OK) == -1;
    if (have_manifest && !interrupted) {
        sdsfree(in_dir);
        return 0;
    }
    int rc = -1;
    if (mkdir(srv->appenddirname, 0755) == -1 && errno != EEXIST) {
        LOG(srv, LL_WARNING, "Can't create the AOF directory %s: %s", srv->appenddirname, strerror(errno));
    } else {
        clear_files(as);
        add_file(as, srv->appendfilename, 1, 'b');
        as->base_seq = 1;
        if (write_manifest(srv) == 0 && rename(srv->appendfilename, in_dir) == 0) rc = 1;
        else LOG(srv, LL_WARNING, "Error trying to rename the old AOF file %s into %s: %s", srv->appendfilename,
                 in_dir, strerror(errno));
    }
    if (rc == 1) LOG(srv, LL_NOTICE, "Successfully migrated an old-style AOF into the AOF directory %s.",
                     srv->appenddirname);
    sdsfree(in_dir);
    return rc;
}

void aof_init(server *srv) {
    aofState *as = zcalloc(sizeof(*as));
    as->fd = -1;
    as->child_pid = -1;
    as->buf = sdsempty();
    as->seldb = -1;
    as->last_rewrite_ok = as->last_write_ok = 1;
    srv->aof = as;
    propagate_add_sink(srv, sink);
    if (!srv->appendonly) return;
    int m = read_manifest(srv);
    if (m == -1) exit(1); /* read_manifest logged why */
    int up = upgrade_old_aof(srv, m == 1);
    if (up == -1) exit(1);
    if (up == 1) m = 1;
    if (m == 1) {
        /* The dataset comes from the AOF, not the RDB. */
        for (int j = 0; j < srv->dbnum; j++) db_empty(&srv->dbs[j], 0);
        int rc = load_all(srv, 1);
        if (rc == -1) {
            /* the failure itself was logged last, as Redis leaves it */
            exit(1);
        }
        as->on = 1;
        open_last_incr(srv);
        if (as->fd == -1) open_new_incr(srv), write_manifest(srv);
        return;
    }
    /* appendonly yes but no AOF yet: build one from the current dataset. */
    as->on = 1;
    if (aof_rewrite_background(srv) == -1) {
        LOG(srv, LL_WARNING, "Can't create the AOF. Exiting.");
        exit(1);
    }
}

int aof_reload(server *srv) {
    aofState *as = astate(srv);
    if (!as || !as->on) return -1;
    write_buffer(srv, 1);
    for (int j = 0; j < srv->dbnum; j++) db_empty(&srv->dbs[j], 0);
    return load_all(srv, 0) == -1 ? -1 : 0;
}

int aof_set_enabled(server *srv, int on) {
    aofState *as = astate(srv);
    if (on == as->on) return 0;
    if (!on) {
        write_buffer(srv, 1);
        if (as->fd != -1) close(as->fd);
        as->fd = -1;
        as->on = 0;
        if (as->child_pid != -1) {
            kill(as->child_pid, SIGUSR1);
            waitpid(as->child_pid, NULL, 0);
            as->child_pid = -1;
            dict_set_resize_allowed(1);
        }
        return 0;
    }
    as->on = 1;
    clear_files(as);
    read_manifest(srv);
    if (persist_child_active(srv)) {
        if (mkdir(srv->appenddirname, 0755) == -1 && errno != EEXIST) return -1;
        if (open_new_incr(srv) == -1 || write_manifest(srv) == -1) return -1;
        as->rewrite_scheduled = 1;
        return 0;
    }
    return aof_rewrite_background(srv);
}

void aof_shutdown(server *srv) {
    aofState *as = astate(srv);
    if (!as) return;
    if (as->child_pid != -1) {
        LOG(srv, LL_WARNING, "There is a child rewriting the AOF. Killing it!");
        kill(as->child_pid, SIGUSR1);
        waitpid(as->child_pid, NULL, 0);
        rewrite_done(srv, 0);
    }
    if (!as->on) return;
    LOG(srv, LL_NOTICE, "Calling fsync() on the AOF file.");
    write_buffer(srv, 1);
}

sds aof_info(server *srv, sds s) {
    aofState none = {.child_pid = -1, .last_rewrite_ok = 1, .last_write_ok = 1};
    aofState *as = astate(srv) ? astate(srv) : &none; /* INFO while the RDB loads, before aof_init */
    return sdscatprintf(s,
                        "aof_enabled:%d\r\naof_rewrite_in_progress:%d\r\naof_rewrite_scheduled:%d\r\n"
                        "aof_last_rewrite_time_sec:%lld\r\naof_current_rewrite_time_sec:%lld\r\n"
                        "aof_last_bgrewrite_status:%s\r\naof_rewrites:%lld\r\naof_rewrites_consecutive_failures:0\r\n"
                        "aof_last_write_status:%s\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\n"
                        "module_fork_last_cow_size:0\r\n",
                        as->on, as->child_pid != -1, as->rewrite_scheduled,
                        as->rewrites ? as->last_rewrite_time_sec : -1,
                        as->child_pid != -1 ? (mstime() - as->child_start_ms) / 1000 : -1,
                        as->last_rewrite_ok ? "ok" : "err", as->rewrites, as->last_write_ok ? "ok" : "err");
}
