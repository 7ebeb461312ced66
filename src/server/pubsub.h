/* pubsub.h: publish/subscribe. Channels and patterns map to the clients
 * subscribed to them; each client keeps its own sets so it can leave all of
 * them when it disconnects. Messages are written straight into subscribers'
 * output buffers (RESP2 arrays, RESP3 push), and the pubsub output-buffer
 * class limits protect the server from slow subscribers. Shard channels
 * (SSUBSCRIBE/SPUBLISH) behave as plain channels in a non-cluster server,
 * kept in their own namespace as Redis does. */
#ifndef STASH_PUBSUB_H
#define STASH_PUBSUB_H

#include <stddef.h>

#include "core/sds.h"

struct server;
struct client;

void pubsub_init(struct server *srv);
/* Delivers msg to every subscriber of chan (and of matching patterns);
 * returns the number of receivers. */
long pubsub_publish(struct server *srv, const char *chan, size_t chanlen, const char *msg, size_t msglen, int shard);
void pubsub_client_freed(struct client *c);
/* kind 0 channels, 1 patterns, 2 shard channels */
int pubsub_client_count(struct client *c, int kind);
long pubsub_total_channels(struct server *srv);
long pubsub_total_patterns(struct server *srv);
long pubsub_total_shard_channels(struct server *srv);
/* 1 if fn (returning 1 to go on) accepts every name the client is
 * subscribed to of one kind (0 channels, 1 patterns, 2 shard channels). */
int pubsub_client_all(struct client *c, int kind, int (*fn)(void *ctx, const sds name), void *ctx);
long pubsub_clients(struct server *srv);
/* Leaves every subscription (RESET, client freed); confirms when notify. */
void pubsub_unsubscribe_all(struct client *c, int notify);
void pubsub_unsubscribe_kind(struct client *c, int kind, int notify);
/* Single (un)subscriptions; 1 if the state changed. */
#include "core/sds.h"
int pubsub_subscribe(struct client *c, int kind, const sds name);
int pubsub_unsubscribe(struct client *c, int kind, const sds name);
void pubsub_reply_confirm(struct client *c, int kind, int sub, const sds name);
void pubsub_reply_names(struct client *c, int kind, const char *pattern);
long pubsub_count_subscribers(struct server *srv, int kind, const sds name);

#endif
