/* cmdlog.h: SLOWLOG and the MONITOR feed (see cmdlog.c). */
#ifndef STASH_CMDLOG_H
#define STASH_CMDLOG_H

struct client;
struct server;

/* 1 if argument j of the client's command is a secret shown as "(redacted)". */
int cmdlog_arg_redacted(struct client *c, int j);

void slowlog_push(struct client *c, long long duration_us);
unsigned long slowlog_len(struct server *srv);
void slowlog_reset(struct server *srv);
void slowlog_reply(struct client *c, long count); /* count < 0: all */
void slowlog_free(struct server *srv);

void monitor_add(struct client *c);
void monitor_client_freed(struct client *c);
void monitor_feed(struct client *c);

#endif
