/* pubsub.c: the pub/sub command family. State and delivery live in
 * server/pubsub.c; these handlers parse arguments and confirm. */
#include <string.h>

#include "commands/args.h"
#include "commands/families.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/pubsub.h"
#include "server/server.h"

#define KIND_CHANNEL 0
#define KIND_PATTERN 1
#define KIND_SHARD 2

static void subscribe_kind(client *c, int kind) {
    for (int i = 1; i < c->argc; i++) {
        pubsub_subscribe(c, kind, c->argv[i]);
        pubsub_reply_confirm(c, kind, 1, c->argv[i]);
    }
}

static void unsubscribe_kind(client *c, int kind) {
    if (c->argc == 1) {
        pubsub_unsubscribe_kind(c, kind, 1);
        return;
    }
    for (int i = 1; i < c->argc; i++) {
        pubsub_unsubscribe(c, kind, c->argv[i]);
        pubsub_reply_confirm(c, kind, 0, c->argv[i]);
    }
}

static void subscribe_command(client *c) { subscribe_kind(c, KIND_CHANNEL); }
static void psubscribe_command(client *c) { subscribe_kind(c, KIND_PATTERN); }
static void ssubscribe_command(client *c) { subscribe_kind(c, KIND_SHARD); }
static void unsubscribe_command(client *c) { unsubscribe_kind(c, KIND_CHANNEL); }
static void punsubscribe_command(client *c) { unsubscribe_kind(c, KIND_PATTERN); }
static void sunsubscribe_command(client *c) { unsubscribe_kind(c, KIND_SHARD); }

static void publish_command(client *c) {
    long n = pubsub_publish(c->srv, c->argv[1], sdslen(c->argv[1]), c->argv[2], sdslen(c->argv[2]), 0);
    reply_long(&c->reply, n);
}

static void spublish_command(client *c) {
    long n = pubsub_publish(c->srv, c->argv[1], sdslen(c->argv[1]), c->argv[2], sdslen(c->argv[2]), 1);
    reply_long(&c->reply, n);
}

static void pubsub_channels(client *c) { pubsub_reply_names(c, KIND_CHANNEL, c->argc == 3 ? c->argv[2] : NULL); }
static void pubsub_shardchannels(client *c) { pubsub_reply_names(c, KIND_SHARD, c->argc == 3 ? c->argv[2] : NULL); }

static void numsub_kind(client *c, int kind) {
    reply_map(&c->reply, c->argc - 2);
    for (int i = 2; i < c->argc; i++) {
        reply_bulk_sds(&c->reply, c->argv[i]);
        reply_long(&c->reply, pubsub_count_subscribers(c->srv, kind, c->argv[i]));
    }
}
static void pubsub_numsub(client *c) { numsub_kind(c, KIND_CHANNEL); }
static void pubsub_shardnumsub(client *c) { numsub_kind(c, KIND_SHARD); }
static void pubsub_numpat(client *c) { reply_long(&c->reply, pubsub_total_patterns(c->srv)); }

static void pubsub_help(client *c) {
    static const char *lines[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        NULL};
    reply_help(&c->reply, "PUBSUB", lines);
}

static commandDef pubsub_subcommands[] = {
    {"channels", pubsub_channels, -2, "pubsub loading stale", "", NOKEYS, "pubsub", "2.8.0",
     "Returns the active channels.", "O(N) where N is the number of active channels"},
    {"help", pubsub_help, 2, "loading stale", "", NOKEYS, "pubsub", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)"},
    {"numpat", pubsub_numpat, 2, "pubsub loading stale", "", NOKEYS, "pubsub", "2.8.0",
     "Returns a count of unique pattern subscriptions.", "O(1)"},
    {"numsub", pubsub_numsub, -2, "pubsub loading stale", "", NOKEYS, "pubsub", "2.8.0",
     "Returns a count of subscribers to channels.", "O(N) for the NUMSUB subcommand, where N is the number of requested channels"},
    {"shardchannels", pubsub_shardchannels, -2, "pubsub loading stale", "", NOKEYS, "pubsub", "7.0.0",
     "Returns the active shard channels.", "O(N) where N is the number of active shard channels"},
    {"shardnumsub", pubsub_shardnumsub, -2, "pubsub loading stale", "", NOKEYS, "pubsub", "7.0.0",
     "Returns the count of subscribers of shard channels.", "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels"},
    {0}};

static void pubsub_container(client *c) { reply_subcommand_error(c); }

commandDef pubsub_commands[] = {
    {"subscribe", subscribe_command, -2, "pubsub noscript loading stale", "", NOKEYS, "pubsub", "2.0.0",
     "Listens for messages published to channels.", "O(N) where N is the number of channels to subscribe to."},
    {"unsubscribe", unsubscribe_command, -1, "pubsub noscript loading stale", "", NOKEYS, "pubsub", "2.0.0",
     "Stops listening to messages posted to channels.", "O(N) where N is the number of channels to unsubscribe."},
    {"psubscribe", psubscribe_command, -2, "pubsub noscript loading stale", "", NOKEYS, "pubsub", "2.0.0",
     "Listens for messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to subscribe to."},
    {"punsubscribe", punsubscribe_command, -1, "pubsub noscript loading stale", "", NOKEYS, "pubsub", "2.0.0",
     "Stops listening to messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to unsubscribe."},
    {"ssubscribe", ssubscribe_command, -2, "pubsub noscript loading stale", "",
     {KEYS_RANGE("NOT_KEY", 1, -1, 1, 0)}, "pubsub", "7.0.0", "Listens for messages published to shard channels.",
     "O(N) where N is the number of shard channels to subscribe to."},
    {"sunsubscribe", sunsubscribe_command, -1, "pubsub noscript loading stale", "",
     {KEYS_RANGE("NOT_KEY", 1, -1, 1, 0)}, "pubsub", "7.0.0", "Stops listening to messages posted to shard channels.",
     "O(N) where N is the number of shard channels to unsubscribe."},
    {"publish", publish_command, 3, "pubsub loading stale fast may_replicate", "", NOKEYS, "pubsub", "2.0.0",
     "Posts a message to a channel.", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client)."},
    {"spublish", spublish_command, 3, "pubsub loading stale fast may_replicate", "",
     {KEYS_RANGE("NOT_KEY", 1, 0, 1, 0)}, "pubsub", "7.0.0", "Post a message to a shard channel",
     "O(N) where N is the number of clients subscribed to the receiving shard channel."},
    {"pubsub", pubsub_container, -2, "", "", NOKEYS, "pubsub", "2.8.0", "A container for Pub/Sub commands.",
     "Depends on subcommand.", NULL, pubsub_subcommands},
    {0}};
