/* hooks.c: see hooks.h. Each function lists, in order, the subsystems
 * that take part in that moment. */
#include "hooks.h"

#include "db/lazyfree.h"
#include "server/client.h"
#include "server/server.h"

void hooks_init(server *srv) { lazyfree_init(srv); }

void hooks_shutdown(server *srv) { lazyfree_shutdown(srv); }

void hooks_client_created(client *c) { (void)c; }

void hooks_client_freed(client *c) { (void)c; }

int hooks_client_subscriptions(client *c, int kind) {
    (void)c;
    (void)kind;
    return 0;
}

int hooks_client_multi_count(client *c) {
    (void)c;
    return -1;
}

int auth_required_for_new_client(server *srv) { return srv->requirepass != NULL && srv->requirepass[0] != '\0'; }

void hooks_before_call(client *c) { (void)c; }

void hooks_after_call(client *c, long long duration_us) {
    (void)c;
    (void)duration_us;
}

void hooks_before_sleep(server *srv) { (void)srv; }

void hooks_cron(server *srv) { (void)srv; }
