/* keyspace_events.c: flag parsing/formatting for notify-keyspace-events and
 * the event fan-out (see keyspace_events.h). Events cost nothing when the
 * class is disabled: the check is a single AND before any formatting. */
#include "keyspace_events.h"

#include <stdio.h>
#include <string.h>

#include "server/server.h"

int keyspace_events_parse(const char *s) {
    int flags = 0;
    for (; *s; s++) {
        switch (*s) {
        case 'A': flags |= NOTIFY_ALL; break;
        case 'g': flags |= NOTIFY_GENERIC; break;
        case '$': flags |= NOTIFY_STRING; break;
        case 'l': flags |= NOTIFY_LIST; break;
        case 's': flags |= NOTIFY_SET; break;
        case 'h': flags |= NOTIFY_HASH; break;
        case 'z': flags |= NOTIFY_ZSET; break;
        case 'x': flags |= NOTIFY_EXPIRED; break;
        case 'e': flags |= NOTIFY_EVICTED; break;
        case 'K': flags |= NOTIFY_KEYSPACE; break;
        case 'E': flags |= NOTIFY_KEYEVENT; break;
        case 't': flags |= NOTIFY_STREAM; break;
        case 'm': flags |= NOTIFY_KEY_MISS; break;
        case 'd': flags |= NOTIFY_MODULE; break;
        case 'n': flags |= NOTIFY_NEW; break;
        default: return -1;
        }
    }
    return flags;
}

sds keyspace_events_format(int flags) {
    sds res = sdsempty();
    if ((flags & NOTIFY_ALL) == NOTIFY_ALL) {
        res = sdscatlen(res, "A", 1);
    } else {
        static const struct { int flag; char c; } map[] = {
            {NOTIFY_GENERIC, 'g'}, {NOTIFY_STRING, '$'}, {NOTIFY_LIST, 'l'},    {NOTIFY_SET, 's'},
            {NOTIFY_HASH, 'h'},    {NOTIFY_ZSET, 'z'},   {NOTIFY_EXPIRED, 'x'}, {NOTIFY_EVICTED, 'e'},
            {NOTIFY_STREAM, 't'},  {NOTIFY_MODULE, 'd'}};
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
            if (flags & map[i].flag) res = sdscatlen(res, &map[i].c, 1);
    }
    if (flags & NOTIFY_KEYSPACE) res = sdscatlen(res, "K", 1);
    if (flags & NOTIFY_KEYEVENT) res = sdscatlen(res, "E", 1);
    if (flags & NOTIFY_KEY_MISS) res = sdscatlen(res, "m", 1);
    if (flags & NOTIFY_NEW) res = sdscatlen(res, "n", 1);
    return res;
}

void keyspace_event(server *srv, int type, const char *event, const sds key, int dbid) {
    int flags = srv->notify_keyspace_events;
    if (!(flags & type) || !srv->publish) return;
    char prefix[48];
    if (flags & NOTIFY_KEYSPACE) {
        int n = snprintf(prefix, sizeof(prefix), "__keyspace@%d__:", dbid);
        sds chan = sdscatsds(sdsnewlen(prefix, (size_t)n), key);
        srv->publish(srv, chan, sdslen(chan), event, strlen(event));
        sdsfree(chan);
    }
    if (flags & NOTIFY_KEYEVENT) {
        int n = snprintf(prefix, sizeof(prefix), "__keyevent@%d__:", dbid);
        sds chan = sdscat(sdsnewlen(prefix, (size_t)n), event);
        srv->publish(srv, chan, sdslen(chan), key, sdslen(key));
        sdsfree(chan);
    }
}
