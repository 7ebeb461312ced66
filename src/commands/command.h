/* command.h: the command table's shape. One declaration per command (in
 * commands/table.c) drives dispatch, arity checks, COMMAND INFO/DOCS/LIST/
 * GETKEYS, ACL categories and key extraction; nothing else lists commands.
 * Flags and ACL categories are written as Redis spells them ("write denyoom",
 * "@string @fast") and parsed once at start-up. */
#ifndef STASH_COMMAND_H
#define STASH_COMMAND_H

#include <stdint.h>

#include "core/sds.h"

struct client;
typedef void commandProc(struct client *c);

/* command flags */
#define CMD_WRITE (1ULL << 0)
#define CMD_READONLY (1ULL << 1)
#define CMD_DENYOOM (1ULL << 2)
#define CMD_MODULE (1ULL << 3)
#define CMD_ADMIN (1ULL << 4)
#define CMD_PUBSUB (1ULL << 5)
#define CMD_NOSCRIPT (1ULL << 6)
#define CMD_BLOCKING (1ULL << 8)
#define CMD_LOADING (1ULL << 9)
#define CMD_STALE (1ULL << 10)
#define CMD_SKIP_MONITOR (1ULL << 11)
#define CMD_SKIP_SLOWLOG (1ULL << 12)
#define CMD_ASKING (1ULL << 13)
#define CMD_FAST (1ULL << 14)
#define CMD_NO_AUTH (1ULL << 15)
#define CMD_MAY_REPLICATE (1ULL << 16)
#define CMD_SENTINEL (1ULL << 17)
#define CMD_ONLY_SENTINEL (1ULL << 18)
#define CMD_NO_MANDATORY_KEYS (1ULL << 19)
#define CMD_PROTECTED (1ULL << 20)
#define CMD_NO_ASYNC_LOADING (1ULL << 23)
#define CMD_NO_MULTI (1ULL << 24)
#define CMD_MOVABLE_KEYS (1ULL << 25)
#define CMD_ALLOW_BUSY (1ULL << 26)
#define CMD_TOUCHES_ARBITRARY_KEYS (1ULL << 28)

/* key spec flags */
#define KS_RO (1 << 0)
#define KS_RW (1 << 1)
#define KS_OW (1 << 2)
#define KS_RM (1 << 3)
#define KS_ACCESS (1 << 4)
#define KS_UPDATE (1 << 5)
#define KS_INSERT (1 << 6)
#define KS_DELETE (1 << 7)
#define KS_NOT_KEY (1 << 8)
#define KS_INCOMPLETE (1 << 9)
#define KS_VARIABLE_FLAGS (1 << 10)

enum { KSB_INVALID = 0, KSB_INDEX, KSB_KEYWORD };
enum { KSF_INVALID = 0, KSF_RANGE, KSF_KEYNUM };

typedef struct keySpec {
    const char *flags_str;
    int begin_type;
    int index;             /* KSB_INDEX */
    const char *keyword;   /* KSB_KEYWORD */
    int startfrom;
    int find_type;
    int lastkey, keystep, limit;           /* KSF_RANGE */
    int keynumidx, firstkey, keynumstep;   /* KSF_KEYNUM */
    unsigned flags;        /* parsed from flags_str */
} keySpec;

#define MAX_KEY_SPECS 4

typedef struct commandStats {
    long long calls, usec, rejected_calls, failed_calls;
} commandStats;

typedef struct commandDef {
    const char *name;      /* lower case; subcommands: just the subcommand name */
    commandProc *proc;
    int arity;             /* >0 exact, <0 at least -arity */
    const char *flags_str;
    const char *acl_str;   /* extra categories beyond those implied by flags */
    keySpec keys[MAX_KEY_SPECS];
    const char *group, *since, *summary, *complexity;
    const char *tips;      /* "nondeterministic_output request_policy:all_shards" */
    struct commandDef *subcommands; /* NULL-name terminated array */
    /* filled at start-up */
    uint64_t flags, acl_categories;
    int key_spec_count;
    int legacy_first, legacy_last, legacy_step;
    sds fullname;          /* "config|get" */
    struct commandDef *parent;
    unsigned id;           /* dense index for ACL bitmaps */
    commandStats stats;
    struct latencyHist *latency_hist; /* INFO latencystats, LATENCY HISTOGRAM (lazily allocated) */
} commandDef;

/* Table access (commands/table.c). */
void command_table_init(void);
commandDef *command_lookup(sds *argv, int argc);      /* resolves subcommands */
commandDef *command_lookup_name(const char *name, size_t len); /* top level only */
commandDef *command_lookup_fullname(const char *fullname);   /* "config|get" */
/* Calls fn for every top-level command. */
void command_foreach(void (*fn)(commandDef *cmd, void *ctx), void *ctx);
/* The same, then each of its subcommands ("config", "config|get", ...). */
void command_foreach_all(void (*fn)(commandDef *cmd, void *ctx), void *ctx);
unsigned command_count(void);
unsigned command_id_limit(void); /* ids of commands and subcommands are below this */
/* ACL categories: name <-> bit. */
const char *acl_category_name(int bit);
int acl_category_bit(const char *name);
int acl_category_count(void);
/* Key positions of a command line (COMMAND GETKEYS, ACL, WATCH-like uses).
 * Fills out[] with argument indexes; returns the count (-1: bad args). */
int command_get_keys(commandDef *cmd, sds *argv, int argc, int *out, int max);
/* The same, with each key's key-spec flags (KS_*) in flags[] (COMMAND GETKEYSANDFLAGS). */
int command_get_keys_flags(commandDef *cmd, sds *argv, int argc, int *out, unsigned *flags, int max);

/* Flag names <-> bits for COMMAND INFO. */
const char *command_flag_name(int bit);

#endif
