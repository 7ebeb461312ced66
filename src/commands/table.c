/* table.c: the command table. Each command family file declares its
 * commands in an array (one entry per command, see command.h); this file
 * gathers the families, parses the flag and category strings once at
 * start-up, derives the legacy first/last/step key range from the key
 * specs, and answers lookups through a case-insensitive dictionary. */
#include "command.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands/families.h"
#include "core/dict.h"
#include "core/zmalloc.h"

static commandDef *families[] = {
    connection_commands, string_commands, bitops_commands, keyspace_commands, expire_commands,
    server_commands,     config_commands, introspection_commands, debug_commands, memory_commands,
    persistence_commands, pubsub_commands, transaction_commands,
    replication_commands, scripting_commands, function_commands, zset_commands, hash_commands,
    set_commands, list_commands, dump_commands, sort_commands, acl_commands, NULL,
};

static const char *flag_names[] = {
    "write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", NULL, "blocking", "loading", "stale",
    "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth", "may_replicate", "sentinel", "only_sentinel",
    "no_mandatory_keys", "protected", NULL, NULL, "no_async_loading", "no_multi", "movablekeys", "allow_busy",
    NULL, "touches_arbitrary_keys", NULL};

static const char *acl_names[] = {"keyspace", "read",  "write",     "set",       "sortedset", "list",
                                  "hash",     "string", "bitmap",   "hyperloglog", "geo",     "stream",
                                  "pubsub",   "admin", "fast",      "slow",      "blocking",  "dangerous",
                                  "connection", "transaction", "scripting", NULL};

const char *command_flag_name(int bit) {
    return bit >= 0 && bit < (int)(sizeof(flag_names) / sizeof(flag_names[0])) ? flag_names[bit] : NULL;
}
const char *acl_category_name(int bit) { return bit >= 0 && bit < acl_category_count() ? acl_names[bit] : NULL; }
int acl_category_count(void) {
    int n = 0;
    while (acl_names[n]) n++;
    return n;
}
int acl_category_bit(const char *name) {
    for (int i = 0; acl_names[i]; i++)
        if (!strcasecmp(acl_names[i], name)) return i;
    return -1;
}

static uint64_t parse_words(const char *s, const char **names, int n, int skip_at) {
    uint64_t bits = 0;
    if (!s) return 0;
    while (*s) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        const char *w = s;
        if (skip_at && *w == '@') w++;
        for (int i = 0; i < n; i++)
            if (names[i] && strlen(names[i]) == (size_t)(e - w) && !strncasecmp(names[i], w, (size_t)(e - w)))
                bits |= 1ULL << i;
        s = e;
    }
    return bits;
}

static unsigned parse_keyspec_flags(const char *s) {
    static const char *names[] = {"RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", "NOT_KEY",
                                  "INCOMPLETE", "VARIABLE_FLAGS"};
    return (unsigned)parse_words(s, names, 11, 0);
}

/* Categories implied by flags, as Redis's setImplicitACLCategories. */
static uint64_t implicit_acl(uint64_t flags) {
    uint64_t acl = 0;
    if (flags & CMD_WRITE) acl |= 1ULL << acl_category_bit("write");
    if (flags & CMD_READONLY) acl |= 1ULL << acl_category_bit("read");
    if (flags & CMD_ADMIN) acl |= (1ULL << acl_category_bit("admin")) | (1ULL << acl_category_bit("dangerous"));
    if (flags & CMD_PUBSUB) acl |= 1ULL << acl_category_bit("pubsub");
    if (flags & CMD_FAST) acl |= 1ULL << acl_category_bit("fast");
    if (flags & CMD_BLOCKING) acl |= 1ULL << acl_category_bit("blocking");
    if (!(flags & CMD_FAST)) acl |= 1ULL << acl_category_bit("slow");
    return acl;
}

/* first/last/step as Redis's populateCommandLegacyRangeSpec: only from
 * plain index+range specs; anything else makes the command movablekeys. */
static void legacy_range(commandDef *c) {
    c->legacy_first = c->legacy_last = c->legacy_step = 0;
    int prev_last = 0;
    for (int i = 0; i < c->key_spec_count; i++) {
        keySpec *ks = &c->keys[i];
        if (ks->begin_type != KSB_INDEX || ks->find_type != KSF_RANGE || (ks->flags & KS_INCOMPLETE)) {
            c->flags |= CMD_MOVABLE_KEYS;
            continue;
        }
        if (ks->limit > 1) {
            c->flags |= CMD_MOVABLE_KEYS;
            continue;
        }
        if (c->legacy_first == 0) {
            c->legacy_first = ks->index;
            c->legacy_last = ks->lastkey < 0 ? ks->lastkey : ks->index + ks->lastkey;
            c->legacy_step = ks->keystep;
            prev_last = c->legacy_last;
        } else if (c->legacy_step == ks->keystep && ks->index == prev_last + c->legacy_step) {
            c->legacy_last = ks->lastkey < 0 ? ks->lastkey : ks->index + ks->lastkey;
            prev_last = c->legacy_last;
        } else {
            c->flags |= CMD_MOVABLE_KEYS;
        }
    }
}

static dict *lookup_table;
static unsigned next_id;

static const void *cmd_key(const void *e) { return ((const dictKV *)e)->key; }
static const dictType cmd_dict_type = {dict_sds_case_hash, dict_sds_case_equal, cmd_key, NULL, 0};

static void prepare(commandDef *c, commandDef *parent) {
    c->flags = parse_words(c->flags_str, flag_names, (int)(sizeof(flag_names) / sizeof(flag_names[0])), 0);
    c->acl_categories = parse_words(c->acl_str, acl_names, acl_category_count(), 1) | implicit_acl(c->flags);
    c->key_spec_count = 0;
    for (int i = 0; i < MAX_KEY_SPECS && c->keys[i].begin_type != KSB_INVALID; i++) {
        c->keys[i].flags = parse_keyspec_flags(c->keys[i].flags_str);
        c->key_spec_count++;
    }
    legacy_range(c);
    c->parent = parent;
    c->fullname = parent ? sdscatprintf(sdsempty(), "%s|%s", parent->name, c->name) : sdsnew(c->name);
    c->id = next_id++;
    if (c->subcommands)
        for (commandDef *s = c->subcommands; s->name; s++) prepare(s, c);
}

void command_table_init(void) {
    if (lookup_table) return;
    lookup_table = dict_create(&cmd_dict_type);
    for (int f = 0; families[f]; f++) {
        for (commandDef *c = families[f]; c->name; c++) {
            prepare(c, NULL);
            dictKV *e = zmalloc(sizeof(*e));
            e->key = sdsnew(c->name);
            e->v.val = c;
            dict_add_new(lookup_table, e);
        }
    }
}

commandDef *command_lookup_name(const char *name, size_t len) {
    char stackbuf[64 + 9];
    /* Build a temporary sds on the stack for the lookup. */
    if (len > 64) return NULL;
    sds key = sdsEmbed(stackbuf, name, len);
    dictKV *e = dict_find(lookup_table, key);
    return e ? e->v.val : NULL;
}

static commandDef *find_sub(commandDef *parent, const char *name, size_t len) {
    for (commandDef *s = parent->subcommands; s->name; s++)
        if (strlen(s->name) == len && !strncasecmp(s->name, name, len)) return s;
    return NULL;
}

commandDef *command_lookup(sds *argv, int argc) {
    commandDef *c = command_lookup_name(argv[0], sdslen(argv[0]));
    if (!c || !c->subcommands) return c;
    if (argc < 2) return c; /* arity check reports it */
    return find_sub(c, argv[1], sdslen(argv[1]));
}

commandDef *command_lookup_fullname(const char *fullname) {
    const char *bar = strchr(fullname, '|');
    commandDef *c = command_lookup_name(fullname, bar ? (size_t)(bar - fullname) : strlen(fullname));
    if (!c || !bar) return c;
    if (!c->subcommands) return NULL;
    return find_sub(c, bar + 1, strlen(bar + 1));
}

void command_foreach(void (*fn)(commandDef *cmd, void *ctx), void *ctx) {
    for (int f = 0; families[f]; f++)
        for (commandDef *c = families[f]; c->name; c++) fn(c, ctx);
}

void command_foreach_all(void (*fn)(commandDef *cmd, void *ctx), void *ctx) {
    for (int f = 0; families[f]; f++)
        for (commandDef *c = families[f]; c->name; c++) {
            fn(c, ctx);
            for (commandDef *s = c->subcommands; s && s->name; s++) fn(s, ctx);
        }
}

unsigned command_id_limit(void) { return next_id; }

unsigned command_count(void) { return lookup_table ? (unsigned)dict_size(lookup_table) : 0; }

/* Range key spec as Redis resolves it: a non-negative lastkey is relative
 * to the first key, a negative one to the end of argv; with a limit, only
 * 1/limit of the remaining arguments are keys (e.g. MSET: every other). */
static int add_range(const keySpec *ks, int first, int argc, int *out, int n, int max) {
    int last;
    if (ks->lastkey >= 0) last = first + ks->lastkey;
    else if (!ks->limit) last = argc + ks->lastkey;
    else last = first + (argc - first) / ks->limit + ks->lastkey;
    int step = ks->keystep ? ks->keystep : 1;
    for (int i = first; i <= last && i < argc && n < max; i += step) out[n++] = i;
    return n;
}

int command_get_keys(commandDef *cmd, sds *argv, int argc, int *out, int max) {
    return command_get_keys_flags(cmd, argv, argc, out, NULL, max);
}

int command_get_keys_flags(commandDef *cmd, sds *argv, int argc, int *out, unsigned *flags, int max) {
    int n = 0;
    for (int s = 0; s < cmd->key_spec_count; s++) {
        const keySpec *ks = &cmd->keys[s];
        for (int k = n; flags && k < max; k++) flags[k] = ks->flags;
        int start;
        if (ks->begin_type == KSB_INDEX) {
            start = ks->index;
        } else {
            start = -1;
            if (ks->startfrom >= 0) {
                for (int i = ks->startfrom; i < argc; i++)
                    if (!strcasecmp(argv[i], ks->keyword)) { start = i + 1; break; }
            } else {
                for (int i = argc + ks->startfrom; i > 0; i--)
                    if (!strcasecmp(argv[i], ks->keyword)) { start = i + 1; break; }
            }
            if (start == -1) continue;
        }
        if (start >= argc) continue;
        if (ks->find_type == KSF_RANGE) {
            n = add_range(ks, start, argc, out, n, max);
        } else {
            int idx = start + ks->keynumidx;
            if (idx >= argc) return -1;
            long long num;
            char *end;
            num = strtoll(argv[idx], &end, 10);
            if (*end || num < 0 || idx + ks->firstkey + (num - 1) * ks->keynumstep >= argc) return -1;
            for (long long k = 0; k < num && n < max; k++) out[n++] = idx + ks->firstkey + (int)(k * ks->keynumstep);
        }
    }
    return n;
}
