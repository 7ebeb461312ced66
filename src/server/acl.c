/* acl.c: see acl.h.
 *
 * Command permissions are a bitmap indexed by the dense command ids the
 * command table assigns (subcommands have ids of their own). The rules a
 * user was given are also kept in order, normalized, for ACL GETUSER and
 * ACL LIST, since a bitmap cannot say which rules produced it. */
#include "acl.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "commands/command.h"
#include "core/dict.h"
#include "core/sha256.h"
#include "core/util.h"
#include "server/pubsub.h"
#include "core/zmalloc.h"
#include "server/client.h"
#include "server/server.h"

#define KEY_READ 1
#define KEY_WRITE 2

typedef struct keyPattern {
    sds pattern;
    int flags;
} keyPattern;

typedef struct aclUser {
    dictLink link;
    sds name;
    int enabled, nopass, allkeys, allchannels;
    int skip_sanitize; /* skip-sanitize-payload (RESTORE payloads trusted) */
    sds *passwords; /* sha256 hex */
    int npasswords;
    uint64_t *cmds; /* allowed command ids */
    sds cmd_rules;  /* "+@all -debug" as given, normalized */
    keyPattern *keys;
    int nkeys;
    sds *channels;
    int nchannels;
} aclUser;

typedef struct aclLogEntry {
    long long count;
    sds reason, context, object, username, client_info;
    long long created, updated, entry_id;
} aclLogEntry;

typedef struct aclState {
    dict *users;
    aclLogEntry *log;
    int nlog;
    long long next_entry_id;
    int default_unrestricted;
} aclState;

static const void *user_key(const void *e) { return ((const aclUser *)e)->name; }
static void user_free(void *e);
static const dictType users_type = {dict_sds_hash, dict_sds_equal, user_key, user_free, 0};

static aclState *astate(server *srv) { return srv->acl; }

static unsigned words(void) { return (command_id_limit() + 63) / 64; }

static aclUser *user_new(const char *name) {
    aclUser *u = zcalloc(sizeof(*u));
    u->name = sdsnew(name);
    u->cmds = zcalloc(sizeof(uint64_t) * words());
    u->cmd_rules = sdsnew("-@all");
    return u;
}

static void reset_keys(aclUser *u) {
    for (int i = 0; i < u->nkeys; i++) sdsfree(u->keys[i].pattern);
    zfree(u->keys);
    u->keys = NULL;
    u->nkeys = 0;
    u->allkeys = 0;
}

static void reset_channels(aclUser *u) {
    for (int i = 0; i < u->nchannels; i++) sdsfree(u->channels[i]);
    zfree(u->channels);
    u->channels = NULL;
    u->nchannels = 0;
    u->allchannels = 0;
}

static void reset_passwords(aclUser *u) {
    for (int i = 0; i < u->npasswords; i++) sdsfree(u->passwords[i]);
    zfree(u->passwords);
    u->passwords = NULL;
    u->npasswords = 0;
}

static void user_free(void *e) {
    aclUser *u = e;
    reset_keys(u);
    reset_channels(u);
    reset_passwords(u);
    zfree(u->cmds);
    sdsfree(u->cmd_rules);
    sdsfree(u->name);
    zfree(u);
}

/* ---- command bitmap */
static void set_bit(aclUser *u, unsigned id, int on) {
    if (on) u->cmds[id / 64] |= 1ULL << (id % 64);
    else u->cmds[id / 64] &= ~(1ULL << (id % 64));
}
static int get_bit(const aclUser *u, unsigned id) { return (u->cmds[id / 64] >> (id % 64)) & 1; }

static void set_command_tree(aclUser *u, commandDef *c, int on) {
    set_bit(u, c->id, on);
    if (c->subcommands)
        for (commandDef *s = c->subcommands; s->name; s++) set_bit(u, s->id, on);
}

typedef struct catCtx {
    aclUser *u;
    int bit, on;
} catCtx;

static void apply_category(commandDef *c, void *ctx) {
    catCtx *cc = ctx;
    if (cc->bit < 0 || (c->acl_categories & (1ULL << cc->bit))) set_bit(cc->u, c->id, cc->on);
    if (c->subcommands)
        for (commandDef *s = c->subcommands; s->name; s++)
            if (cc->bit < 0 || (s->acl_categories & (1ULL << cc->bit))) set_bit(cc->u, s->id, cc->on);
}

static void append_rule(aclUser *u, const char *rule) {
    if (!strcmp(rule, "+@all") || !strcmp(rule, "-@all")) { /* these reset the whole history */
        sdsfree(u->cmd_rules);
        u->cmd_rules = sdsnew(rule);
        return;
    }
    u->cmd_rules = sdscatprintf(u->cmd_rules, " %s", rule);
}

/* ---- rules */
static int apply_rule(aclUser *u, const sds op) {
    size_t len = sdslen(op); /* passwords are binary-safe */
    if (!strcasecmp(op, "on")) u->enabled = 1;
    else if (!strcasecmp(op, "off")) u->enabled = 0;
    else if (!strcasecmp(op, "nopass")) {
        u->nopass = 1;
        reset_passwords(u);
    } else if (!strcasecmp(op, "sanitize-payload")) {
        u->skip_sanitize = 0;
    } else if (!strcasecmp(op, "skip-sanitize-payload")) {
        u->skip_sanitize = 1;
    } else if (!strcasecmp(op, "resetpass")) {
        u->nopass = 0;
        reset_passwords(u);
    } else if (!strcasecmp(op, "allkeys") || !strcmp(op, "~*")) {
        reset_keys(u);
        u->allkeys = 1;
    } else if (!strcasecmp(op, "resetkeys")) {
        reset_keys(u);
    } else if (!strcasecmp(op, "allchannels") || !strcmp(op, "&*")) {
        reset_channels(u);
        u->allchannels = 1;
    } else if (!strcasecmp(op, "resetchannels")) {
        reset_channels(u);
    } else if (!strcasecmp(op, "allcommands") || !strcasecmp(op, "+@all")) {
        catCtx cc = {u, -1, 1};
        command_foreach(apply_category, &cc);
        append_rule(u, "+@all");
    } else if (!strcasecmp(op, "nocommands") || !strcasecmp(op, "-@all")) {
        memset(u->cmds, 0, sizeof(uint64_t) * words());
        append_rule(u, "-@all");
    } else if (!strcasecmp(op, "reset")) {
        reset_passwords(u);
        reset_keys(u);
        reset_channels(u);
        memset(u->cmds, 0, sizeof(uint64_t) * words());
        sdsfree(u->cmd_rules);
        u->cmd_rules = sdsnew("-@all");
        u->enabled = u->nopass = u->skip_sanitize = 0;
    } else if (op[0] == '>' || op[0] == '#') {
        char hex[65];
        if (op[0] == '>') {
            sha256_hex(op + 1, len - 1, hex);
        } else {
            if (len != 65) {
                errno = EBADMSG;
                return -1;
            }
            for (size_t i = 1; i < len; i++)
                if (!((op[i] >= '0' && op[i] <= '9') || (op[i] >= 'a' && op[i] <= 'f'))) {
                    errno = EBADMSG;
                    return -1;
                }
            memcpy(hex, op + 1, 64);
            hex[64] = '\0';
        }
        for (int i = 0; i < u->npasswords; i++)
            if (!strcmp(u->passwords[i], hex)) return 0;
        u->passwords = zrealloc(u->passwords, sizeof(sds) * (size_t)(u->npasswords + 1));
        u->passwords[u->npasswords++] = sdsnew(hex);
        u->nopass = 0;
    } else if (op[0] == '<' || op[0] == '!') {
        char hex[65];
        if (op[0] == '<') sha256_hex(op + 1, len - 1, hex);
        else snprintf(hex, sizeof(hex), "%s", op + 1);
        int found = 0;
        for (int i = 0; i < u->npasswords; i++) {
            if (!strcmp(u->passwords[i], hex)) {
                sdsfree(u->passwords[i]);
                u->passwords[i] = u->passwords[--u->npasswords];
                found = 1;
                break;
            }
        }
        if (!found) {
            errno = ENODEV;
            return -1;
        }
    } else if (op[0] == '~' || op[0] == '%') {
        int flags = KEY_READ | KEY_WRITE;
        const char *pat = op + 1;
        if (op[0] == '%') {
            flags = 0;
            for (; *pat && *pat != '~'; pat++) {
                if (*pat == 'R' || *pat == 'r') flags |= KEY_READ;
                else if (*pat == 'W' || *pat == 'w') flags |= KEY_WRITE;
                else {
                    errno = EINVAL;
                    return -1;
                }
            }
            if (*pat != '~' || !flags) {
                errno = EINVAL;
                return -1;
            }
            pat++;
        }
        if (u->allkeys) {
            errno = EEXIST;
            return -1;
        }
        if (!strcmp(pat, "*") && flags == (KEY_READ | KEY_WRITE)) {
            u->allkeys = 1;
            return 0;
        }
        u->keys = zrealloc(u->keys, sizeof(keyPattern) * (size_t)(u->nkeys + 1));
        u->keys[u->nkeys].pattern = sdsnew(pat);
        u->keys[u->nkeys++].flags = flags;
    } else if (op[0] == '&') {
        if (u->allchannels) {
            errno = EISDIR;
            return -1;
        }
        u->channels = zrealloc(u->channels, sizeof(sds) * (size_t)(u->nchannels + 1));
        u->channels[u->nchannels++] = sdsnew(op + 1);
    } else if ((op[0] == '+' || op[0] == '-') && op[1] == '@') {
        int bit = acl_category_bit(op + 2);
        if (bit < 0) {
            errno = ENOENT;
            return -1;
        }
        catCtx cc = {u, bit, op[0] == '+'};
        command_foreach(apply_category, &cc);
        append_rule(u, op);
    } else if (op[0] == '+' || op[0] == '-') {
        commandDef *c = command_lookup_fullname(op + 1);
        if (!c) {
            errno = strchr(op + 1, '|') ? ECHILD : ENOENT;
            if (strchr(op + 1, '|') && command_lookup_name(op + 1, (size_t)(strchr(op + 1, '|') - op - 1))) errno = ENOENT;
            return -1;
        }
        set_command_tree(u, c, op[0] == '+');
        sds lower = sdsnew(op);
        sdstolower(lower);
        append_rule(u, lower);
        sdsfree(lower);
    } else if (op[0] == '(') {
        errno = EINVAL; /* selectors: not supported yet */
        return -1;
    } else {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

static const char *rule_error(void) {
    switch (errno) {
    case ENOENT: return "Unknown command or category name in ACL";
    case EINVAL: return "Syntax error";
    case EEXIST:
        return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any "
               "effect. Try 'resetkeys' to start with an empty list of patterns";
    case EISDIR:
        return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any "
               "effect. Try 'resetchannels' to start with an empty list of channels";
    case ENODEV: return "The password you are trying to remove from the user does not exist";
    case EBADMSG: return "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";
    case ECHILD: return "Allowing first-arg of a subcommand is not supported";
    default: return "Wrong format";
    }
}

static void refresh_default_flag(aclState *as) {
    sds name = sdsnew("default");
    aclUser *u = dict_find(as->users, name);
    sdsfree(name);
    int all = u && u->enabled && u->allkeys && u->allchannels;
    for (unsigned w = 0; all && w < words(); w++) {
        uint64_t want = (w == words() - 1 && command_id_limit() % 64) ? (1ULL << (command_id_limit() % 64)) - 1 : ~0ULL;
        if ((u->cmds[w] & want) != want) all = 0;
    }
    as->default_unrestricted = all;
}

static int channel_allowed(aclUser *u, const sds chan, int literal);

static int channel_ok(void *u, const sds name) { return channel_allowed(u, name, 0); }
static int pattern_ok(void *u, const sds name) { return channel_allowed(u, name, 1); }

/* After a user's channel permissions changed, its subscribers that now hold
 * a subscription they may not have are disconnected, as Redis does. */
static void kill_revoked_subscribers(server *srv, aclUser *u) {
    for (client *c = srv->clients; c; c = c->next) {
        if (!(c->flags & CLIENT_PUBSUB) || !c->user || strcmp(c->user, u->name)) continue;
        if (!pubsub_client_all(c, 0, channel_ok, u) || !pubsub_client_all(c, 1, pattern_ok, u) ||
            !pubsub_client_all(c, 2, channel_ok, u))
            client_close_async(c);
    }
}

int acl_setuser(server *srv, const char *name, sds *rules, int nrules, sds *err) {
    aclState *as = astate(srv);
    sds key = sdsnew(name);
    aclUser *existing = dict_find(as->users, key);
    sdsfree(key);
    /* Work on a copy so a failing rule leaves the user as it was. */
    aclUser *u = user_new(name);
    if (existing) {
        u->enabled = existing->enabled;
        u->nopass = existing->nopass;
        u->skip_sanitize = existing->skip_sanitize;
        u->allkeys = existing->allkeys;
        u->allchannels = existing->allchannels;
        memcpy(u->cmds, existing->cmds, sizeof(uint64_t) * words());
        sdsfree(u->cmd_rules);
        u->cmd_rules = sdsdup(existing->cmd_rules);
        for (int i = 0; i < existing->npasswords; i++) {
            u->passwords = zrealloc(u->passwords, sizeof(sds) * (size_t)(u->npasswords + 1));
            u->passwords[u->npasswords++] = sdsdup(existing->passwords[i]);
        }
        for (int i = 0; i < existing->nkeys; i++) {
            u->keys = zrealloc(u->keys, sizeof(keyPattern) * (size_t)(u->nkeys + 1));
            u->keys[u->nkeys].pattern = sdsdup(existing->keys[i].pattern);
            u->keys[u->nkeys++].flags = existing->keys[i].flags;
        }
        for (int i = 0; i < existing->nchannels; i++) {
            u->channels = zrealloc(u->channels, sizeof(sds) * (size_t)(u->nchannels + 1));
            u->channels[u->nchannels++] = sdsdup(existing->channels[i]);
        }
    }
    for (int i = 0; i < nrules; i++) {
        if (apply_rule(u, rules[i]) == -1) {
            *err = sdscatprintf(sdsempty(), "Error in ACL SETUSER modifier '%s': %s", rules[i], rule_error());
            user_free(u);
            return -1;
        }
    }
    if (existing) {
        dict_unlink(as->users, existing->name);
        user_free(existing);
    }
    dict_add_new(as->users, u);
    refresh_default_flag(as);
    if (!u->allchannels) kill_revoked_subscribers(srv, u);
    return 0;
}

void acl_init(server *srv) {
    aclState *as = zcalloc(sizeof(*as));
    as->users = dict_create(&users_type);
    srv->acl = as;
    sds rules[] = {sdsnew("on"), sdsnew("nopass"), sdsnew("~*"), sdsnew("&*"), sdsnew("+@all")};
    sds err = NULL;
    acl_setuser(srv, "default", rules, 5, &err);
    for (int i = 0; i < 5; i++) sdsfree(rules[i]);
    if (srv->requirepass && srv->requirepass[0]) acl_set_default_password(srv, srv->requirepass);
}

void acl_set_default_password(server *srv, const sds pass) {
    if (!astate(srv)) return;
    sds rules[2] = {sdsnew("resetpass"), NULL};
    int n = 1;
    if (pass && sdslen(pass)) rules[n++] = sdscatlen(sdsnew(">"), pass, sdslen(pass));
    else rules[0] = sdscpy(rules[0], "nopass");
    sds err = NULL;
    acl_setuser(srv, "default", rules, n, &err);
    sdsfree(err);
    for (int i = 0; i < n; i++) sdsfree(rules[i]);
}

static aclUser *find_user(server *srv, const char *name) {
    sds key = sdsnew(name);
    aclUser *u = dict_find(astate(srv)->users, key);
    sdsfree(key);
    return u;
}

int acl_default_needs_auth(server *srv) {
    aclUser *u = astate(srv) ? find_user(srv, "default") : NULL;
    return u && (!u->nopass || !u->enabled);
}

int acl_authenticate(server *srv, const char *name, const sds pass) {
    aclUser *u = find_user(srv, name);
    if (!u || !u->enabled) return 0;
    if (u->nopass) return 1;
    char hex[65];
    sha256_hex(pass, sdslen(pass), hex);
    for (int i = 0; i < u->npasswords; i++)
        if (!strcmp(u->passwords[i], hex)) return 1;
    return 0;
}

/* ---- checks */
static int key_allowed(aclUser *u, const sds key, int need) {
    if (u->allkeys) return 1;
    for (int i = 0; i < u->nkeys; i++)
        if ((u->keys[i].flags & need) == need &&
            stringmatchlen(u->keys[i].pattern, sdslen(u->keys[i].pattern), key, sdslen(key), 0))
            return 1;
    return 0;
}

static int channel_allowed(aclUser *u, const sds chan, int literal) {
    if (u->allchannels) return 1;
    for (int i = 0; i < u->nchannels; i++) {
        if (literal ? !strcmp(u->channels[i], chan)
                    : stringmatchlen(u->channels[i], sdslen(u->channels[i]), chan, sdslen(chan), 0))
            return 1;
    }
    return 0;
}

/* What a key spec asks of the user, as Redis reads it: access needs read,
 * insert/delete/update need write, none of these both. */
static int key_permission(unsigned ksflags) {
    int need = 0;
    if (ksflags & KS_ACCESS) need |= KEY_READ;
    if (ksflags & (KS_INSERT | KS_DELETE | KS_UPDATE)) need |= KEY_WRITE;
    return need ? need : KEY_READ | KEY_WRITE;
}

int acl_check(client *c, commandDef *cmd, sds *argv, int argc, int *errpos) {
    server *srv = c->srv;
    aclState *as = astate(srv);
    if (!as || (c->flags & (CLIENT_MASTER | CLIENT_FAKE))) return ACL_OK;
    int is_default = c->user && !strcmp(c->user, "default");
    if (is_default && as->default_unrestricted) return ACL_OK;
    aclUser *u = find_user(srv, c->user ? c->user : "default");
    if (!u) return ACL_DENIED_CMD;
    /* AUTH, HELLO and friends (no_auth) are open to every user, as in Redis. */
    if (!get_bit(u, cmd->id) && !(cmd->flags & CMD_NO_AUTH)) return ACL_DENIED_CMD;
    if (!u->allkeys && cmd->key_spec_count) {
        int keys[256];
        unsigned kflags[256];
        int n = command_get_keys_flags(cmd, argv, argc, keys, kflags, 256);
        for (int i = 0; i < n; i++) {
            if (kflags[i] & KS_NOT_KEY) continue; /* shard channels and the like */
            if (!key_allowed(u, argv[keys[i]], key_permission(kflags[i]))) {
                *errpos = keys[i];
                return ACL_DENIED_KEY;
            }
        }
    }
    if (!u->allchannels && (cmd->flags & CMD_PUBSUB)) {
        const char *name = cmd->parent ? cmd->parent->name : cmd->name;
        int first = 1, last = argc - 1, literal = 0;
        if (!strcmp(name, "publish") || !strcmp(name, "spublish")) last = 1;
        else if (!strcmp(name, "psubscribe")) literal = 1;
        else if (strcmp(name, "subscribe") && strcmp(name, "ssubscribe")) last = 0;
        for (int i = first; i <= last && i < argc; i++) {
            if (!channel_allowed(u, argv[i], literal)) {
                *errpos = i;
                return ACL_DENIED_CHANNEL;
            }
        }
    }
    return ACL_OK;
}

static void log_entry(client *c, const char *reason, const char *object) {
    server *srv = c->srv;
    aclState *as = astate(srv);
    const char *context = (c->flags & CLIENT_MULTI) || srv->in_exec ? "multi" : srv->in_script ? "lua" : "toplevel";
    long long now = mstime();
    for (int i = 0; i < as->nlog; i++) {
        aclLogEntry *e = &as->log[i];
        if (!strcmp(e->reason, reason) && !strcmp(e->context, context) && !strcmp(e->object, object) &&
            !strcmp(e->username, c->user ? c->user : "default") && now - e->updated < 60000) {
            e->count++;
            e->updated = now;
            return;
        }
    }
    int max = 128;
    if (as->nlog == max) {
        aclLogEntry *old = &as->log[max - 1];
        sdsfree(old->reason);
        sdsfree(old->context);
        sdsfree(old->object);
        sdsfree(old->username);
        sdsfree(old->client_info);
        as->nlog--;
    }
    as->log = zrealloc(as->log, sizeof(aclLogEntry) * (size_t)(as->nlog + 1));
    memmove(as->log + 1, as->log, sizeof(aclLogEntry) * (size_t)as->nlog);
    as->log[0] = (aclLogEntry){1, sdsnew(reason), sdsnew(context), sdsnew(object), sdsnew(c->user ? c->user : "default"),
                               client_info_string(sdsempty(), c), now, now, as->next_entry_id++};
    as->nlog++;
}

void acl_log_auth_failure(client *c, const char *user) {
    c->srv->stat_acl_denied[0]++;
    sds saved = c->user;
    c->user = sdsnew(user);
    log_entry(c, "auth", "AUTH");
    sdsfree(c->user);
    c->user = saved;
}

void acl_reply_denied(client *c, commandDef *cmd, int reason, int errpos) {
    c->srv->stat_acl_denied[reason == ACL_DENIED_CMD ? 1 : reason == ACL_DENIED_KEY ? 2 : 3]++;
    if (reason == ACL_DENIED_CMD) {
        reply_errorf(&c->reply, "-NOPERM User %s has no permissions to run the '%s' command",
                     c->user ? c->user : "default", cmd->fullname);
        log_entry(c, "command", cmd->fullname);
    } else if (reason == ACL_DENIED_KEY) {
        reply_error(&c->reply, "-NOPERM No permissions to access a key");
        log_entry(c, "key", c->argv[errpos]);
    } else {
        reply_error(&c->reply, "-NOPERM No permissions to access a channel");
        log_entry(c, "channel", c->argv[errpos]);
    }
}

/* ---- introspection for the ACL command */
static sds describe_user(aclUser *u) {
    sds s = sdscatprintf(sdsempty(), "user %s %s", u->name, u->enabled ? "on" : "off");
    if (u->nopass) s = sdscat(s, " nopass");
    s = sdscat(s, u->skip_sanitize ? " skip-sanitize-payload" : " sanitize-payload");
    for (int i = 0; i < u->npasswords; i++) s = sdscatprintf(s, " #%s", u->passwords[i]);
    if (u->allkeys) s = sdscat(s, " ~*");
    for (int i = 0; i < u->nkeys; i++) {
        const char *f = u->keys[i].flags == (KEY_READ | KEY_WRITE) ? "~" : u->keys[i].flags == KEY_READ ? "%R~" : "%W~";
        s = sdscatprintf(s, " %s%s", f, u->keys[i].pattern);
    }
    s = sdscat(s, u->allchannels ? " &*" : " resetchannels");
    for (int i = 0; i < u->nchannels; i++) s = sdscatprintf(s, " &%s", u->channels[i]);
    return sdscatprintf(s, " %s", u->cmd_rules);
}

sds acl_describe(server *srv, const char *name) {
    aclUser *u = find_user(srv, name);
    return u ? describe_user(u) : NULL;
}

/* Calls fn for each user name, in name order as ACL LIST/USERS show. */
static int cmp_sds_ptr(const void *a, const void *b) { return sdscmp(*(const sds *)a, *(const sds *)b); }

sds *acl_user_names(server *srv, long *n) {
    aclState *as = astate(srv);
    *n = (long)dict_size(as->users);
    sds *names = zmalloc(sizeof(sds) * (size_t)(*n ? *n : 1));
    dictIterator it;
    dict_iter_init(&it, as->users, 0);
    aclUser *u;
    long i = 0;
    while ((u = dict_iter_next(&it))) names[i++] = u->name;
    dict_iter_release(&it);
    qsort(names, (size_t)*n, sizeof(sds), cmp_sds_ptr);
    return names;
}

int acl_deluser(server *srv, const char *name) {
    aclState *as = astate(srv);
    sds key = sdsnew(name);
    aclUser *u = dict_unlink(as->users, key);
    sdsfree(key);
    if (!u) return 0;
    /* Connections authenticated as that user are closed, as in Redis. */
    for (client *c = srv->clients; c; c = c->next)
        if (c->user && !strcmp(c->user, name)) client_close_async(c);
    user_free(u);
    return 1;
}

void acl_reply_getuser(client *c, const char *name) {
    aclUser *u = find_user(c->srv, name);
    if (!u) {
        reply_null(&c->reply);
        return;
    }
    reply_map(&c->reply, 6);
    reply_bulk_cstr(&c->reply, "flags");
    int nflags = 2 + u->nopass;
    reply_set(&c->reply, nflags);
    reply_bulk_cstr(&c->reply, u->enabled ? "on" : "off");
    if (u->nopass) reply_bulk_cstr(&c->reply, "nopass");
    reply_bulk_cstr(&c->reply, u->skip_sanitize ? "skip-sanitize-payload" : "sanitize-payload");
    reply_bulk_cstr(&c->reply, "passwords");
    reply_array(&c->reply, u->npasswords);
    for (int i = 0; i < u->npasswords; i++) reply_bulk_sds(&c->reply, u->passwords[i]);
    reply_bulk_cstr(&c->reply, "commands");
    reply_bulk_sds(&c->reply, u->cmd_rules);
    sds keys = sdsempty();
    if (u->allkeys) keys = sdscat(keys, "~*");
    for (int i = 0; i < u->nkeys; i++) {
        const char *f = u->keys[i].flags == (KEY_READ | KEY_WRITE) ? "~" : u->keys[i].flags == KEY_READ ? "%R~" : "%W~";
        keys = sdscatprintf(keys, "%s%s%s", sdslen(keys) ? " " : "", f, u->keys[i].pattern);
    }
    reply_bulk_cstr(&c->reply, "keys");
    reply_bulk_sds(&c->reply, keys);
    sdsfree(keys);
    sds chans = sdsnew(u->allchannels ? "&*" : "");
    for (int i = 0; i < u->nchannels; i++) chans = sdscatprintf(chans, "%s&%s", sdslen(chans) ? " " : "", u->channels[i]);
    reply_bulk_cstr(&c->reply, "channels");
    reply_bulk_sds(&c->reply, chans);
    sdsfree(chans);
    reply_bulk_cstr(&c->reply, "selectors");
    reply_empty_array(&c->reply);
}

void acl_reply_log(client *c, long count) {
    aclState *as = astate(c->srv);
    long n = count < 0 || count > as->nlog ? as->nlog : count;
    long long now = mstime();
    reply_array(&c->reply, n);
    for (long i = 0; i < n; i++) {
        aclLogEntry *e = &as->log[i];
        reply_map(&c->reply, 10);
        reply_bulk_cstr(&c->reply, "count");
        reply_long(&c->reply, e->count);
        reply_bulk_cstr(&c->reply, "reason");
        reply_bulk_sds(&c->reply, e->reason);
        reply_bulk_cstr(&c->reply, "context");
        reply_bulk_sds(&c->reply, e->context);
        reply_bulk_cstr(&c->reply, "object");
        reply_bulk_sds(&c->reply, e->object);
        reply_bulk_cstr(&c->reply, "username");
        reply_bulk_sds(&c->reply, e->username);
        reply_bulk_cstr(&c->reply, "age-seconds");
        reply_double(&c->reply, (double)(now - e->created) / 1000);
        reply_bulk_cstr(&c->reply, "client-info");
        reply_bulk_sds(&c->reply, e->client_info);
        reply_bulk_cstr(&c->reply, "entry-id");
        reply_long(&c->reply, e->entry_id);
        reply_bulk_cstr(&c->reply, "timestamp-created");
        reply_long(&c->reply, e->created);
        reply_bulk_cstr(&c->reply, "timestamp-last-updated");
        reply_long(&c->reply, e->updated);
    }
}

void acl_log_reset(server *srv) {
    aclState *as = astate(srv);
    for (int i = 0; i < as->nlog; i++) {
        aclLogEntry *e = &as->log[i];
        sdsfree(e->reason);
        sdsfree(e->context);
        sdsfree(e->object);
        sdsfree(e->username);
        sdsfree(e->client_info);
    }
    as->nlog = 0;
}

/* DRYRUN: 1 if allowed, else 0 with *why set. */
int acl_dryrun(client *c, const char *user, sds *argv, int argc, sds *why) {
    aclUser *u = find_user(c->srv, user);
    if (!u) {
        *why = sdscatprintf(sdsempty(), "User '%s' not found", user);
        return -1;
    }
    commandDef *cmd = command_lookup(argv, argc);
    if (!cmd) {
        *why = sdscatprintf(sdsempty(), "Command '%s' not found", argv[0]);
        return -1;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        *why = sdscatprintf(sdsempty(), "wrong number of arguments for '%s' command", cmd->fullname);
        return -1;
    }
    sds saved = c->user;
    c->user = (sds)u->name;
    int pos = 0, rc = acl_check(c, cmd, argv, argc, &pos);
    c->user = saved;
    if (rc == ACL_OK) return 1;
    if (rc == ACL_DENIED_CMD)
        *why = sdscatprintf(sdsempty(), "This user has no permissions to run the '%s' command", cmd->fullname);
    else if (rc == ACL_DENIED_KEY)
        *why = sdscatprintf(sdsempty(), "This user has no permissions to access the '%s' key", argv[pos]);
    else
        *why = sdscatprintf(sdsempty(), "This user has no permissions to access the '%s' channel", argv[pos]);
    return 0;
}
