/* config.c: the CONFIG command family: GET, SET, RESETSTAT, REWRITE, HELP.
 *
 * The directives themselves (names, parsing, defaults, atomic multi-pair
 * SET, the rewrite of the file) live in server/config.c; this file only
 * turns arguments into calls and results into Redis's replies. RESETSTAT
 * zeroes what Redis's resetServerStats, resetCommandTableStats and
 * resetErrorTableStats zero. */
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "proto/errors.h"
#include "server/client.h"
#include "server/config.h"
#include "server/dispatch.h"
#include "server/latency.h"
#include "server/server.h"

typedef struct getReply {
    replyBuf *rb;
    long pairs;
} getReply;

static void add_pair(void *ctx, const char *name, sds value) {
    getReply *g = ctx;
    reply_bulk_cstr(g->rb, name);
    reply_bulk_sds(g->rb, value);
    g->pairs++;
}

/* CONFIG GET parameter [parameter ...]: a map of every match. */
static void config_get_command(client *c) {
    getReply g = {&c->reply, 0};
    void *len = reply_defer(&c->reply);
    config_get_many(c->srv, c->argv + 2, c->argc - 2, add_pair, &g);
    reply_set_map(&c->reply, len, g.pairs);
}

/* CONFIG SET parameter value [parameter value ...]: all or nothing. */
static void config_set_command(client *c) {
    if (c->argc & 1) {
        reply_error(&c->reply, ERR_SYNTAX);
        return;
    }
    sds err = NULL;
    if (config_set_pairs(c->srv, c->argv + 2, (c->argc - 2) / 2, &err) == -1)
        reply_error(&c->reply, err);
    else
        reply_ok(&c->reply);
    sdsfree(err);
}

static void reset_command_stats(commandDef *cmd, void *ctx) {
    memset(&cmd->stats, 0, sizeof(cmd->stats));
    latency_reset_histogram(cmd);
}

static void reset_server_stats(server *srv) {
    srv->stat_numcommands = srv->stat_numconnections = srv->stat_rejected_conn = 0;
    srv->stat_expiredkeys = srv->stat_expired_stale_perc_x100 = srv->stat_expired_time_cap_reached_count = 0;
    srv->stat_expire_cycle_time_used = 0;
    srv->stat_evictedkeys = srv->stat_evictedclients = 0;
    srv->stat_keyspace_hits = srv->stat_keyspace_misses = 0;
    srv->stat_total_active_defrag_time = srv->stat_fork_time = 0;
    srv->stat_sync_full = srv->stat_sync_partial_ok = srv->stat_sync_partial_err = 0;
    srv->stat_io_reads_processed = srv->stat_io_writes_processed = 0;
    srv->stat_total_reads_processed = srv->stat_total_writes_processed = 0;
    srv->stat_net_input_bytes = srv->stat_net_output_bytes = 0;
    srv->stat_unexpected_error_replies = srv->stat_total_error_replies = 0;
    srv->stat_dump_payload_sanitizations = 0;
    srv->stat_lazyfreed_objects = 0;
    memset(srv->inst_samples, 0, sizeof(srv->inst_samples));
    memset(srv->inst_idx, 0, sizeof(srv->inst_idx));
    srv->inst_last_cmds = srv->inst_last_in = srv->inst_last_out = 0;
}

static void config_resetstat_command(client *c) {
    reset_server_stats(c->srv);
    command_foreach_all(reset_command_stats, NULL);
    dispatch_reset_error_stats(c->srv);
    reply_ok(&c->reply);
}

static void config_rewrite_command(client *c) {
    sds err = NULL;
    if (config_rewrite(c->srv, &err) == -1)
        reply_error(&c->reply, err);
    else
        reply_ok(&c->reply);
    sdsfree(err);
}

static void config_help_command(client *c) {
    static const char *lines[] = {"GET <pattern>",
                                  "    Return parameters matching the glob-like <pattern> and their values.",
                                  "SET <directive> <value>",
                                  "    Set the configuration <directive> to <value>.",
                                  "RESETSTAT",
                                  "    Reset statistics reported by the INFO command.",
                                  "REWRITE",
                                  "    Rewrite the configuration file.",
                                  NULL};
    reply_help(&c->reply, "CONFIG", lines);
}

static void config_container(client *c) { reply_subcommand_error(c); }

#define CONFIG_SUB(n, p, a, f, since, sum, cx, tips)                                                         \
    { n, p, a, f, "", NOKEYS, "server", since, sum, cx, tips }
#define ALL_NODES "request_policy:all_nodes response_policy:all_succeeded"
static commandDef config_subcommands[] = {
    CONFIG_SUB("get", config_get_command, -3, "admin noscript loading stale", "2.0.0",
               "Returns the effective values of configuration parameters.",
               "O(N) when N is the number of configuration parameters provided", NULL),
    CONFIG_SUB("help", config_help_command, 2, "loading stale", "5.0.0",
               "Returns helpful text about the different subcommands.", "O(1)", NULL),
    CONFIG_SUB("resetstat", config_resetstat_command, 2, "admin noscript loading stale", "2.0.0",
               "Resets the server's statistics.", "O(1)", ALL_NODES),
    CONFIG_SUB("rewrite", config_rewrite_command, 2, "admin noscript loading stale", "2.8.0",
               "Persists the effective configuration to file.", "O(1)", ALL_NODES),
    CONFIG_SUB("set", config_set_command, -4, "admin noscript loading stale", "2.0.0",
               "Sets configuration parameters in-flight.",
               "O(N) when N is the number of configuration parameters provided", ALL_NODES),
    {0}};

commandDef config_commands[] = {{"config", config_container, -2, "", "", NOKEYS, "server", "2.0.0",
                                 "A container for server configuration commands.", "Depends on subcommand.",
                                 NULL, config_subcommands},
                                {0}};
