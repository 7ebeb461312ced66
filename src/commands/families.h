/* families.h: the command families' tables and declaration helpers.
 * Each family file (connection.c, strings.c, ...) defines one NULL-name
 * terminated array of commandDef; table.c gathers them. The KS_* macros
 * write key specs the way Redis's command docs describe them. */
#ifndef STASH_FAMILIES_H
#define STASH_FAMILIES_H

#include "commands/command.h"

/* begin_search index + find_keys range */
#define KEYS_RANGE(fl, idx, last, step, lim) \
    {.flags_str = fl, .begin_type = KSB_INDEX, .index = idx, .find_type = KSF_RANGE, .lastkey = last, .keystep = step, .limit = lim}
/* begin_search index + find_keys keynum (numkeys at idx+keynumidx) */
#define KEYS_NUM(fl, idx, numidx, first, step) \
    {.flags_str = fl, .begin_type = KSB_INDEX, .index = idx, .find_type = KSF_KEYNUM, .keynumidx = numidx, .firstkey = first, .keynumstep = step}
/* begin_search keyword + find_keys range */
#define KEYS_KEYWORD(fl, kw, from, last, step, lim) \
    {.flags_str = fl, .begin_type = KSB_KEYWORD, .keyword = kw, .startfrom = from, .find_type = KSF_RANGE, .lastkey = last, .keystep = step, .limit = lim}
/* One key at position 1: the most common shape. */
#define KEY1(fl) {KEYS_RANGE(fl, 1, 0, 1, 0)}
#define NOKEYS {{0}}

extern commandDef connection_commands[];
extern commandDef string_commands[];
extern commandDef keyspace_commands[];
extern commandDef server_commands[];
extern commandDef bitops_commands[];
extern commandDef expire_commands[];
extern commandDef config_commands[];
extern commandDef introspection_commands[];
extern commandDef debug_commands[];
extern commandDef memory_commands[];
extern commandDef persistence_commands[];
extern commandDef pubsub_commands[];
extern commandDef transaction_commands[];
extern commandDef replication_commands[];
extern commandDef scripting_commands[];
extern commandDef function_commands[];
extern commandDef zset_commands[];
extern commandDef hash_commands[];
extern commandDef set_commands[];
extern commandDef list_commands[];
extern commandDef dump_commands[];
extern commandDef sort_commands[];
extern commandDef acl_commands[];

#endif
