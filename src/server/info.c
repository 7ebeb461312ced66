/* info.c: the INFO report. One function per section, each appending
 * "field:value\r\n" lines with Redis 7.2's field names and order, so tools
 * that parse INFO (redis-cli, Sentinel, client libraries, monitoring) read
 * Stash unchanged. Sections owned by a subsystem (persistence, replication)
 * are written by that subsystem; this file only asks for them. */
#include "info.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands/command.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "db/lazyfree.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "repl/repl.h"
#include "script/functions.h"
#include "script/scripting.h"
#include "server/blocking.h"
#include "server/config.h"
#include "server/dispatch.h"
#include "server/latency.h"
#include "server/pubsub.h"
#include "server/server.h"

typedef sds sectionFn(server *srv, sds s);

/* "1.23M" style, as Redis's bytesToHuman. */
static sds human_bytes(sds s, const char *field, unsigned long long n) {
    static const char *units = "BKMGTP";
    double d = (double)n;
    int u = 0;
    while (d >= 1024 && u < 5) {
        d /= 1024;
        u++;
    }
    if (u == 0) return sdscatprintf(s, "%s:%lluB\r\n", field, n);
    return sdscatprintf(s, "%s:%.2f%c\r\n", field, d, units[u]);
}

static sds section_server(server *srv, sds s) {
    struct utsname name;
    uname(&name);
    long long now_us = ustime();
    long long uptime = (now_us / 1000 - srv->start_time_ms) / 1000;
    s = sdscatprintf(s,
                     "redis_version:%s\r\nstash_version:%s\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n"
                     "redis_build_id:0\r\nredis_mode:standalone\r\nos:%s %s %s\r\narch_bits:%d\r\n"
                     "monotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\n"
                     "gcc_version:%d.%d.%d\r\nprocess_id:%d\r\nprocess_supervised:no\r\nrun_id:%s\r\n"
                     "tcp_port:%d\r\nserver_time_usec:%lld\r\nuptime_in_seconds:%lld\r\nuptime_in_days:%lld\r\n"
                     "hz:%d\r\nconfigured_hz:%d\r\nlru_clock:%u\r\nexecutable:%s\r\nconfig_file:%s\r\n"
                     "io_threads_active:0\r\n",
                     REDIS_COMPAT_VERSION, STASH_VERSION, name.sysname, name.release, name.machine, srv->arch_bits,
#ifdef __GNUC__
                     __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
#else
                     0, 0, 0,
#endif
                     (int)srv->pid, srv->runid, srv->port, now_us, uptime, uptime / 86400, srv->hz, srv->config_hz,
                     server_lru_clock(srv), srv->executable ? srv->executable : "",
                     srv->configfile ? srv->configfile : "");
    if (srv->listener_count > 0) {
        s = sdscatprintf(s, "listener0:name=tcp");
        for (int j = 0; j < srv->bindaddr_count; j++) s = sdscatprintf(s, ",bind=%s", srv->bindaddr[j]);
        s = sdscatprintf(s, ",port=%d\r\n", srv->port);
    }
    if (srv->unixsocket && srv->unix_listener != -1)
        s = sdscatprintf(s, "listener1:name=unix,bind=%s\r\n", srv->unixsocket);
    return s;
}

static sds section_clients(server *srv, sds s) {
    size_t max_in = 0, max_out = 0;
    unsigned long replicas = 0;
    long long paused = 0; /* postponed by CLIENT PAUSE: Redis counts them as blocked */
    for (client *c = srv->paused_head; c; c = c->pause_next) paused++;
    for (client *c = srv->clients; c; c = c->next) {
        if (c->flags & CLIENT_SLAVE) replicas++;
        if (c->querybuf_peak > max_in) max_in = c->querybuf_peak;
        size_t out = client_output_memory(c);
        if (out > max_out) max_out = out;
    }
    return sdscatprintf(s,
                        "connected_clients:%lu\r\ncluster_connections:0\r\nmaxclients:%u\r\n"
                        "client_recent_max_input_buffer:%zu\r\nclient_recent_max_output_buffer:%zu\r\n"
                        "blocked_clients:%lld\r\ntracking_clients:0\r\nclients_in_timeout_table:%lld\r\n"
                        "total_blocking_keys:%lld\r\ntotal_blocking_keys_on_nokey:0\r\n",
                        srv->client_count - replicas, srv->maxclients, max_in, max_out,
                        blocking_count_clients(srv) + paused,
                        blocking_count_clients(srv), blocking_count_keys(srv));
}

static size_t total_system_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0;
}

/* Memory not holding data: the start-up footprint, client buffers,
 * replication backlog, scripts and the keyspace tables themselves. */
void info_memory_stats(server *srv, memoryStats *m) {
    memset(m, 0, sizeof(*m));
    m->used = zmalloc_used_memory();
    m->rss = zmalloc_get_rss();
    m->peak = (size_t)srv->stat_peak_memory > m->used ? (size_t)srv->stat_peak_memory : m->used;
    zmalloc_get_allocator_info(&m->allocated, &m->active, &m->resident);
    m->startup = srv->used_memory_startup;
    for (client *c = srv->clients; c; c = c->next) {
        if (c->flags & CLIENT_SLAVE)
            m->clients_replicas += client_memory_usage(c);
        else
            m->clients_normal += client_memory_usage(c);
    }
    m->backlog = (size_t)repl_backlog_memory(srv);
    m->lua = (size_t)script_memory(srv);
    size_t o = m->startup + m->clients_normal + m->clients_replicas + m->backlog + m->lua;
    for (int j = 0; j < srv->dbnum; j++) {
        db *d = &srv->dbs[j];
        size_t main = (size_t)dict_buckets(d->keys) * sizeof(void *);
        size_t exp = (size_t)dict_buckets(d->expires) * sizeof(void *);
        if (j < INFO_MAX_DBS) {
            m->db_main[j] = main;
            m->db_expires[j] = exp;
        }
        o += main + exp;
        m->keys += (size_t)dict_size(d->keys);
    }
    m->overhead = o > m->used ? m->used : o;
    m->dataset = m->used - m->overhead;
}

static sds section_memory(server *srv, sds s) {
    memoryStats m;
    info_memory_stats(srv, &m);
    size_t used = m.used, rss = m.rss, peak = m.peak, allocated = m.allocated, active = m.active,
           resident = m.resident, cn = m.clients_normal, cr = m.clients_replicas, overhead = m.overhead;
    size_t dataset = m.dataset, net = used > m.startup ? used - m.startup : 0;
    size_t sysmem = total_system_memory();
    long long lua = script_memory(srv);
    sds policy = config_get(srv, "maxmemory-policy");
    s = sdscatprintf(s, "used_memory:%zu\r\n", used);
    s = human_bytes(s, "used_memory_human", used);
    s = sdscatprintf(s, "used_memory_rss:%zu\r\n", rss);
    s = human_bytes(s, "used_memory_rss_human", rss);
    s = sdscatprintf(s, "used_memory_peak:%zu\r\n", peak);
    s = human_bytes(s, "used_memory_peak_human", peak);
    s = sdscatprintf(s,
                     "used_memory_peak_perc:%.2f%%\r\nused_memory_overhead:%zu\r\nused_memory_startup:%zu\r\n"
                     "used_memory_dataset:%zu\r\nused_memory_dataset_perc:%.2f%%\r\nallocator_allocated:%zu\r\n"
                     "allocator_active:%zu\r\nallocator_resident:%zu\r\ntotal_system_memory:%zu\r\n",
                     peak ? (double)used * 100 / (double)peak : 0.0, overhead, srv->used_memory_startup, dataset,
                     net ? (double)dataset * 100 / (double)net : 0.0, allocated, active, resident, sysmem);
    s = human_bytes(s, "total_system_memory_human", sysmem);
    s = sdscatprintf(s, "used_memory_lua:%lld\r\nused_memory_vm_eval:%lld\r\n", lua, lua);
    s = human_bytes(s, "used_memory_lua_human", (unsigned long long)lua);
    long long fvm = functions_vm_memory(srv), fmem = functions_memory(srv);
    s = sdscatprintf(s,
                     "used_memory_scripts_eval:%lld\r\nnumber_of_cached_scripts:%ld\r\nnumber_of_functions:%ld\r\n"
                     "number_of_libraries:%ld\r\nused_memory_vm_functions:%lld\r\nused_memory_vm_total:%lld\r\n",
                     lua, script_count(srv), functions_count(srv), functions_library_count(srv), fvm, lua + fvm);
    s = human_bytes(s, "used_memory_vm_total_human", (unsigned long long)(lua + fvm));
    s = sdscatprintf(s, "used_memory_functions:%lld\r\nused_memory_scripts:%lld\r\n", fmem, lua + fmem);
    s = human_bytes(s, "used_memory_scripts_human", (unsigned long long)(lua + fmem));
    s = sdscatprintf(s, "maxmemory:%llu\r\n", srv->maxmemory);
    s = human_bytes(s, "maxmemory_human", srv->maxmemory);
    s = sdscatprintf(s, "maxmemory_policy:%s\r\n", policy ? policy : "noeviction");
    sdsfree(policy);
    double frag = used ? (double)rss / (double)used : 0;
    s = sdscatprintf(
        s,
        "allocator_frag_ratio:%.2f\r\nallocator_frag_bytes:%lld\r\nallocator_rss_ratio:%.2f\r\n"
        "allocator_rss_bytes:%lld\r\nrss_overhead_ratio:%.2f\r\nrss_overhead_bytes:%lld\r\n"
        "mem_fragmentation_ratio:%.2f\r\nmem_fragmentation_bytes:%lld\r\nmem_not_counted_for_evict:0\r\n"
        "mem_replication_backlog:%lld\r\nmem_total_replication_buffers:%lld\r\nmem_clients_slaves:%zu\r\n"
        "mem_clients_normal:%zu\r\nmem_cluster_links:0\r\nmem_aof_buffer:0\r\nmem_allocator:%s\r\n"
        "active_defrag_running:0\r\nlazyfree_pending_objects:%lld\r\nlazyfreed_objects:%lld\r\n",
        allocated ? (double)active / (double)allocated : 0, (long long)active - (long long)allocated,
        active ? (double)resident / (double)active : 0, (long long)resident - (long long)active,
        resident ? (double)rss / (double)resident : 0, (long long)rss - (long long)resident, frag,
        (long long)rss - (long long)used, repl_backlog_memory(srv), repl_backlog_memory(srv), cr, cn,
        zmalloc_lib_name(), lazyfree_pending(srv), lazyfree_freed(srv));
    return s;
}

static sds section_persistence(server *srv, sds s) {
    s = snapshot_info(srv, s);
    return aof_info(srv, s);
}

static long long inst_avg(server *srv, int metric) {
    long long sum = 0;
    for (int j = 0; j < 16; j++) sum += srv->inst_samples[metric][j];
    return sum / 16;
}

static sds section_stats(server *srv, sds s) {
    long long repl_in = 0, repl_out = 0;
    repl_net_bytes(srv, &repl_in, &repl_out);
    s = sdscatprintf(
        s,
        "total_connections_received:%lld\r\ntotal_commands_processed:%lld\r\ninstantaneous_ops_per_sec:%lld\r\n"
        "total_net_input_bytes:%lld\r\ntotal_net_output_bytes:%lld\r\ntotal_net_repl_input_bytes:%lld\r\n"
        "total_net_repl_output_bytes:%lld\r\ninstantaneous_input_kbps:%.2f\r\ninstantaneous_output_kbps:%.2f\r\n"
        "instantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\n"
        "rejected_connections:%lld\r\nsync_full:%lld\r\nsync_partial_ok:%lld\r\nsync_partial_err:%lld\r\n"
        "expired_keys:%lld\r\nexpired_stale_perc:%.2f\r\nexpired_time_cap_reached_count:%lld\r\n"
        "expire_cycle_cpu_milliseconds:%lld\r\nevicted_keys:%lld\r\nevicted_clients:%lld\r\n"
        "total_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n"
        "keyspace_hits:%lld\r\nkeyspace_misses:%lld\r\npubsub_channels:%ld\r\npubsub_patterns:%ld\r\n"
        "pubsubshard_channels:%ld\r\nlatest_fork_usec:%lld\r\ntotal_forks:%lld\r\nmigrate_cached_sockets:0\r\n"
        "slave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\n"
        "active_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\n"
        "current_active_defrag_time:0\r\ntracking_total_keys:0\r\ntracking_total_items:0\r\n"
        "tracking_total_prefixes:0\r\nunexpected_error_replies:%lld\r\ntotal_error_replies:%lld\r\n"
        "dump_payload_sanitizations:%lld\r\ntotal_reads_processed:%lld\r\ntotal_writes_processed:%lld\r\n"
        "io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\n"
        "reply_buffer_expands:0\r\neventloop_cycles:%lld\r\n"
        "acl_access_denied_auth:%lld\r\nacl_access_denied_cmd:%lld\r\nacl_access_denied_key:%lld\r\n"
        "acl_access_denied_channel:%lld\r\n",
        srv->stat_numconnections, srv->stat_numcommands, inst_avg(srv, 0), srv->stat_net_input_bytes,
        srv->stat_net_output_bytes, repl_in, repl_out, (double)inst_avg(srv, 1) / 1024,
        (double)inst_avg(srv, 2) / 1024, srv->stat_rejected_conn, srv->stat_sync_full, srv->stat_sync_partial_ok,
        srv->stat_sync_partial_err, srv->stat_expiredkeys, (double)srv->stat_expired_stale_perc_x100 / 100,
        srv->stat_expired_time_cap_reached_count, srv->stat_expire_cycle_time_used / 1000, srv->stat_evictedkeys,
        srv->stat_evictedclients, srv->stat_keyspace_hits, srv->stat_keyspace_misses, pubsub_total_channels(srv),
        pubsub_total_patterns(srv), pubsub_total_shard_channels(srv), snapshot_last_fork_usec(srv),
        snapshot_total_forks(srv), srv->stat_unexpected_error_replies, srv->stat_total_error_replies,
        srv->stat_dump_payload_sanitizations, srv->stat_total_reads_processed, srv->stat_total_writes_processed,
        srv->el ? srv->el->iterations : 0, srv->stat_acl_denied[0], srv->stat_acl_denied[1],
        srv->stat_acl_denied[2], srv->stat_acl_denied[3]);
    return s;
}

static sds section_replication(server *srv, sds s) { return repl_info(srv, s); }

static double tv_sec(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

static sds section_cpu(server *srv, sds s) {
    (void)srv;
    struct rusage self, children, thread;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    getrusage(RUSAGE_THREAD, &thread);
    return sdscatprintf(s,
                        "used_cpu_sys:%.6f\r\nused_cpu_user:%.6f\r\nused_cpu_sys_children:%.6f\r\n"
                        "used_cpu_user_children:%.6f\r\nused_cpu_sys_main_thread:%.6f\r\n"
                        "used_cpu_user_main_thread:%.6f\r\n",
                        tv_sec(self.ru_stime), tv_sec(self.ru_utime), tv_sec(children.ru_stime),
                        tv_sec(children.ru_utime), tv_sec(thread.ru_stime), tv_sec(thread.ru_utime));
}

static sds section_modules(server *srv, sds s) {
    (void)srv;
    return s;
}

static sds section_errorstats(server *srv, sds s) { return dispatch_errorstats_info(srv, s); }

static sds section_cluster(server *srv, sds s) {
    (void)srv;
    return sdscat(s, "cluster_enabled:0\r\n");
}

static sds section_keyspace(server *srv, sds s) {
    for (int j = 0; j < srv->dbnum; j++) {
        db *d = &srv->dbs[j];
        uint64_t keys = dict_size(d->keys);
        if (!keys) continue;
        s = sdscatprintf(s, "db%d:keys=%llu,expires=%llu,avg_ttl=%lld\r\n", j, (unsigned long long)keys,
                         (unsigned long long)dict_size(d->expires), d->avg_ttl);
    }
    return s;
}

static void cmdstat_line(commandDef *cmd, void *ctx) {
    sds *s = ctx;
    if (cmd->stats.calls || cmd->stats.failed_calls || cmd->stats.rejected_calls) {
        const char *name = cmd->fullname;
        *s = sdscatprintf(*s, "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f,rejected_calls=%lld,"
                              "failed_calls=%lld\r\n",
                          name, cmd->stats.calls, cmd->stats.usec,
                          cmd->stats.calls ? (double)cmd->stats.usec / (double)cmd->stats.calls : 0.0,
                          cmd->stats.rejected_calls, cmd->stats.failed_calls);
    }
}

static sds section_commandstats(server *srv, sds s) {
    (void)srv;
    command_foreach_all(cmdstat_line, &s);
    return s;
}

static void latstat_line(commandDef *cmd, void *ctx) {
    sds *s = ctx;
    if (cmd->latency_hist) *s = latency_percentiles_line(*s, cmd->fullname, cmd->latency_hist);
}

static sds section_latencystats(server *srv, sds s) {
    (void)srv;
    command_foreach_all(latstat_line, &s);
    return s;
}

/* The order INFO prints sections in; `dflt` marks the default set and
 * `all` those "all" adds ("everything" adds none more: no modules). */
static const struct {
    const char *name, *title;
    sectionFn *fn;
    int dflt;
} sections[] = {
    {"server", "Server", section_server, 1},
    {"clients", "Clients", section_clients, 1},
    {"memory", "Memory", section_memory, 1},
    {"persistence", "Persistence", section_persistence, 1},
    {"stats", "Stats", section_stats, 1},
    {"replication", "Replication", section_replication, 1},
    {"cpu", "CPU", section_cpu, 1},
    {"modules", "Modules", section_modules, 1},
    {"commandstats", "Commandstats", section_commandstats, 0},
    {"errorstats", "Errorstats", section_errorstats, 1},
    {"latencystats", "Latencystats", section_latencystats, 0},
    {"cluster", "Cluster", section_cluster, 1},
    {"keyspace", "Keyspace", section_keyspace, 1},
};
#define NSECTIONS (int)(sizeof(sections) / sizeof(sections[0]))

/* Marks the sections one INFO argument selects. */
static void select_sections(const char *arg, int *want) {
    int all = !strcasecmp(arg, "all") || !strcasecmp(arg, "everything");
    int dflt = !strcasecmp(arg, "default");
    for (int i = 0; i < NSECTIONS; i++)
        if (all || (dflt && sections[i].dflt) || !strcasecmp(arg, sections[i].name)) want[i] = 1;
}

sds info_generate(server *srv, sds *args, int nargs) {
    int want[NSECTIONS] = {0};
    if (nargs == 0)
        select_sections("default", want);
    else
        for (int j = 0; j < nargs; j++) select_sections(args[j], want);
    sds s = sdsempty();
    int first = 1;
    for (int i = 0; i < NSECTIONS; i++) {
        if (!want[i]) continue;
        if (!first) s = sdscat(s, "\r\n");
        first = 0;
        s = sdscatprintf(s, "# %s\r\n", sections[i].title);
        s = sections[i].fn(srv, s);
    }
    return s;
}
