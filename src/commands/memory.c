/* memory.c: the MEMORY command (USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE,
 * HELP). The accounting itself lives in types/memory.c (per key) and
 * server/info.c (server-wide figures shared with INFO memory). */
#ifdef USE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "core/zmalloc.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/info.h"
#include "server/server.h"
#include "types/memory.h"

#define MEMORY_DEFAULT_SAMPLES 5

static void memory_usage_command(client *c) {
    long long samples = MEMORY_DEFAULT_SAMPLES;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(c->argv[j], "samples") && j + 1 < c->argc) {
            if (arg_ll(c, c->argv[j + 1], &samples, NULL) == -1) return;
            if (samples < 0) {
                reply_error(&c->reply, ERR_SYNTAX);
                return;
            }
            j++;
        } else {
            reply_error(&c->reply, ERR_SYNTAX);
            return;
        }
    }
    kvobj *o = db_lookup(c->db, c->argv[2], LOOKUP_NOTOUCH);
    if (!o) {
        reply_null(&c->reply);
        return;
    }
    reply_long(&c->reply, (long long)kv_memory_usage(o, (size_t)samples));
}

static void kv_size(replyBuf *rb, const char *k, long long v) {
    reply_bulk_cstr(rb, k);
    reply_long(rb, v);
}

static void kv_double(replyBuf *rb, const char *k, double v) {
    reply_bulk_cstr(rb, k);
    reply_double(rb, v);
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

static void memory_stats_command(client *c) {
    server *srv = c->srv;
    memoryStats m;
    info_memory_stats(srv, &m);
    replyBuf *rb = &c->reply;
    int ndbs = 0;
    for (int j = 0; j < srv->dbnum && j < INFO_MAX_DBS; j++)
        if (dict_size(srv->dbs[j].keys)) ndbs++;
    reply_map(rb, 27 + ndbs);
    kv_size(rb, "peak.allocated", (long long)m.peak);
    kv_size(rb, "total.allocated", (long long)m.used);
    kv_size(rb, "startup.allocated", (long long)m.startup);
    kv_size(rb, "replication.backlog", (long long)m.backlog);
    kv_size(rb, "clients.slaves", (long long)m.clients_replicas);
    kv_size(rb, "clients.normal", (long long)m.clients_normal);
    kv_size(rb, "cluster.links", 0);
    kv_size(rb, "aof.buffer", 0);
    kv_size(rb, "lua.caches", (long long)m.lua);
    kv_size(rb, "functions.caches", 0);
    for (int j = 0; j < srv->dbnum && j < INFO_MAX_DBS; j++) {
        if (!dict_size(srv->dbs[j].keys)) continue;
        char name[32];
        snprintf(name, sizeof(name), "db.%d", j);
        reply_bulk_cstr(rb, name);
        reply_map(rb, 2);
        kv_size(rb, "overhead.hashtable.main", (long long)m.db_main[j]);
        kv_size(rb, "overhead.hashtable.expires", (long long)m.db_expires[j]);
    }
    kv_size(rb, "overhead.total", (long long)m.overhead);
    kv_size(rb, "keys.count", (long long)m.keys);
    kv_size(rb, "keys.bytes-per-key", m.keys ? (long long)((m.used - m.startup) / m.keys) : 0);
    kv_size(rb, "dataset.bytes", (long long)m.dataset);
    kv_double(rb, "dataset.percentage", ratio(m.dataset, m.used - m.startup) * 100);
    kv_double(rb, "peak.percentage", ratio(m.used, m.peak) * 100);
    kv_size(rb, "allocator.allocated", (long long)m.allocated);
    kv_size(rb, "allocator.active", (long long)m.active);
    kv_size(rb, "allocator.resident", (long long)m.resident);
    kv_double(rb, "allocator-fragmentation.ratio", ratio(m.active, m.allocated));
    kv_size(rb, "allocator-fragmentation.bytes", (long long)m.active - (long long)m.allocated);
    kv_double(rb, "allocator.rss-ratio", ratio(m.resident, m.active));
    kv_size(rb, "allocator.rss-bytes", (long long)m.resident - (long long)m.active);
    kv_double(rb, "rss-overhead.ratio", ratio(m.rss, m.resident));
    kv_size(rb, "rss-overhead.bytes", (long long)m.rss - (long long)m.resident);
    kv_double(rb, "fragmentation", ratio(m.rss, m.used));
    kv_size(rb, "fragmentation.bytes", (long long)m.rss - (long long)m.used);
}

/* A short report in the spirit of Redis's memory doctor. */
static void memory_doctor_command(client *c) {
    memoryStats m;
    info_memory_stats(c->srv, &m);
    sds s;
    if (m.used < 5 * 1024 * 1024) {
        s = sdsnew("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                   "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                   "Sam and I will be back to our programming as soon as I finished rebooting.");
    } else {
        s = sdsnew("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
        int issues = 0;
        if (m.peak > m.used * 3 / 2) {
            s = sdscat(s, " * Peak memory: In the past this instance used more than 150% the memory that is "
                          "currently using. The allocator is normally not able to release memory after a peak, so you "
                          "can expect to see a big fragmentation ratio.\n\n");
            issues++;
        }
        if (ratio(m.rss, m.used) > 1.4) {
            s = sdscatprintf(s, " * High total RSS: This instance has a memory fragmentation and RSS overhead greater "
                                "than 1.4 (this means that the Resident Set Size of the Redis process is much larger "
                                "than the sum of the logical allocations Redis performed).\n\n");
            issues++;
        }
        if (m.clients_normal > 200 * 1024 * 1024 || m.clients_replicas > 10 * 1024 * 1024) {
            s = sdscat(s, " * Big client buffers: The clients output buffers are using a lot of memory.\n\n");
            issues++;
        }
        if (!issues) {
            sdsfree(s);
            s = sdsnew("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs "
                       "on this base.");
        }
    }
    reply_verbatim(&c->reply, s, sdslen(s), "txt");
    sdsfree(s);
}

static void append_stats(void *ctx, const char *text) { *(sds *)ctx = sdscat(*(sds *)ctx, text); }

static void memory_malloc_stats_command(client *c) {
    sds s = sdsempty();
#ifdef USE_JEMALLOC
    malloc_stats_print(append_stats, &s, NULL);
#else
    append_stats(&s, "Stats not supported for the current allocator");
#endif
    reply_verbatim(&c->reply, s, sdslen(s), "txt");
    sdsfree(s);
}

static void memory_purge_command(client *c) {
    if (zmalloc_purge() != 0) {
        reply_error(&c->reply, "Error purging dirty pages");
        return;
    }
    reply_ok(&c->reply);
}

static void memory_help_command(client *c) {
    const char *lines[] = {"DOCTOR",
                           "    Return memory problems reports.",
                           "MALLOC-STATS",
                           "    Return internal statistics report from the memory allocator.",
                           "PURGE",
                           "    Attempt to purge dirty pages for reclamation by the allocator.",
                           "STATS",
                           "    Return information about the memory usage of the server.",
                           "USAGE <key> [SAMPLES <count>]",
                           "    Return memory in bytes used by <key> and its value. Nested values are",
                           "    sampled up to <count> times (default: 5, 0 means sample all).",
                           NULL};
    reply_help(&c->reply, "MEMORY", lines);
}

static void container(client *c) { reply_subcommand_error(c); }

#define MEM_SUB(n, p, a, f, keys, since, sum, cx, tips) {n, p, a, f, "", keys, "server", since, sum, cx, tips}

static commandDef memory_subcommands[] = {
    MEM_SUB("doctor", memory_doctor_command, 2, "", NOKEYS, "4.0.0", "Outputs a memory problems report.", "O(1)",
            "nondeterministic_output request_policy:all_shards response_policy:special"),
    MEM_SUB("help", memory_help_command, 2, "loading stale", NOKEYS, "4.0.0",
            "Returns helpful text about the different subcommands.", "O(1)", NULL),
    MEM_SUB("malloc-stats", memory_malloc_stats_command, 2, "", NOKEYS, "4.0.0",
            "Returns the allocator statistics.", "Depends on how much memory is allocated, could be slow",
            "nondeterministic_output request_policy:all_shards response_policy:special"),
    MEM_SUB("purge", memory_purge_command, 2, "", NOKEYS, "4.0.0", "Asks the allocator to release memory.",
            "Depends on how much memory is allocated, could be slow",
            "request_policy:all_shards response_policy:all_succeeded"),
    MEM_SUB("stats", memory_stats_command, 2, "", NOKEYS, "4.0.0", "Returns details about memory usage.", "O(1)",
            "nondeterministic_output request_policy:all_shards response_policy:special"),
    MEM_SUB("usage", memory_usage_command, -3, "readonly", {KEYS_RANGE("RO", 2, 0, 1, 0)}, "4.0.0",
            "Estimates the memory usage of a key.", "O(N) where N is the number of samples.", NULL),
    {0}};

commandDef memory_commands[] = {{"memory", container, -2, "", "", NOKEYS, "server", "4.0.0",
                                 "A container for memory diagnostics commands.", "Depends on subcommand.", NULL,
                                 memory_subcommands},
                                {0}};
