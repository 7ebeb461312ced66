/* keyspace_events.h: notify-keyspace-events. Commands report what they did
 * to a key (class flag + event name); when the class is enabled the event is
 * published on __keyspace@<db>__:<key> and/or __keyevent@<db>__:<event>
 * through the server's publish hook (installed by the pub/sub module). */
#ifndef STASH_KEYSPACE_EVENTS_H
#define STASH_KEYSPACE_EVENTS_H

#include "core/sds.h"

struct server;

#define NOTIFY_KEYSPACE (1 << 0) /* K */
#define NOTIFY_KEYEVENT (1 << 1) /* E */
#define NOTIFY_GENERIC (1 << 2)  /* g */
#define NOTIFY_STRING (1 << 3)   /* $ */
#define NOTIFY_LIST (1 << 4)     /* l */
#define NOTIFY_SET (1 << 5)      /* s */
#define NOTIFY_HASH (1 << 6)     /* h */
#define NOTIFY_ZSET (1 << 7)     /* z */
#define NOTIFY_EXPIRED (1 << 8)  /* x */
#define NOTIFY_EVICTED (1 << 9)  /* e */
#define NOTIFY_STREAM (1 << 10)  /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m */
#define NOTIFY_LOADED (1 << 12)
#define NOTIFY_MODULE (1 << 13)  /* d */
#define NOTIFY_NEW (1 << 14)     /* n */
#define NOTIFY_ALL (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET | \
                    NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE) /* A */

/* Parses "KEA"-style flags; returns -1 on an unknown character. */
int keyspace_events_parse(const char *s);
sds keyspace_events_format(int flags);
void keyspace_event(struct server *srv, int type, const char *event, const sds key, int dbid);

#endif
