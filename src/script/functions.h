/* functions.h: Redis 7 functions. A library is Lua code whose first line
 * is "#!lua name=<library>"; loading it registers named functions (with
 * flags such as no-writes) that FCALL/FCALL_RO call. Libraries are data:
 * they are saved in the RDB (opcode RDB_OPCODE_FUNCTION2 and the code),
 * propagated to replicas and the AOF as the FUNCTION command that made
 * them, and FUNCTION DUMP/RESTORE move them in Redis's payload format.
 * The commands live in commands/functions.c, the Lua side in
 * functions_lua.c; this file keeps the libraries. */
#ifndef STASH_FUNCTIONS_H
#define STASH_FUNCTIONS_H

#include <stdint.h>

#include "core/dict.h"
#include "core/sds.h"
#include "persist/rio.h"

struct server;
struct client;

/* ---- libraries (read-only for callers) */
typedef struct functionInfo {
    dictLink link; /* in the functions dict (names are case-insensitive) */
    sds name;
    sds desc; /* NULL when none */
    uint64_t flags;
    int ref; /* the callback in the Lua registry */
    struct functionLib *lib;
    struct functionInfo *next; /* in its library, in registration order */
} functionInfo;

typedef struct functionLib {
    dictLink link; /* in the libraries dict */
    sds name;
    sds code; /* as loaded, shebang included */
    functionInfo *functions, *last;
    long nfunctions;
} functionLib;

#define FUNCTIONS_ENGINE_NAME "LUA"

/* FUNCTION LOAD: returns the library name (caller frees), or NULL with
 * *err. timeout_ms 0: no limit (master link, AOF). */
sds functions_create(struct server *srv, const sds code, int replace, long long timeout_ms, sds *err);
int functions_delete(struct server *srv, const sds name); /* -1: no such library */
void functions_flush(struct server *srv);
void functions_foreach_library(struct server *srv, void (*fn)(functionLib *lib, void *ctx), void *ctx);
/* FUNCTION DUMP's payload: every library as in an RDB, then the RDB
 * version and a CRC-64 (Redis's format). */
sds functions_dump(struct server *srv);
#define FUNCTIONS_RESTORE_APPEND 0
#define FUNCTIONS_RESTORE_REPLACE 1
#define FUNCTIONS_RESTORE_FLUSH 2
/* FUNCTION RESTORE: all or nothing; -1 with *err. */
int functions_restore(struct server *srv, const sds payload, int policy, sds *err);
/* FCALL / FCALL_RO: runs the function and replies. */
void functions_fcall(struct client *c, int readonly);

/* A command-format AOF base (aof-use-rdb-preamble no) carries libraries as
 * commands: appends "FUNCTION LOAD <code>" for each to out, as Redis's
 * rewriteFunctions does (before the keys). */
sds functions_append_load_commands(struct server *srv, sds out);

/* ---- INFO memory */
long functions_count(struct server *srv);
long functions_library_count(struct server *srv);
long long functions_memory(struct server *srv);    /* used_memory_functions: libraries' overhead */
long long functions_vm_memory(struct server *srv); /* used_memory_vm_functions: the Lua state */

/* ---- RDB. Saving writes each library as the opcode and its code. A load
 * (begun with every RDB load) gathers the file's libraries aside and
 * installs them only when the whole file loaded: they replace every
 * library when the dataset was empty when the load began (start-up,
 * replica sync, DEBUG RELOAD), else they are added and a library that
 * exists already fails the load. */
int functions_rdb_save(struct server *srv, rio *r);
typedef struct functionsLoad functionsLoad;
functionsLoad *functions_load_begin(struct server *srv);
/* Reads one library after its RDB_OPCODE_FUNCTION2 byte. */
int functions_load_library(functionsLoad *fl, rio *r, sds *err);
int functions_load_commit(functionsLoad *fl, sds *err); /* frees fl */
void functions_load_abort(functionsLoad *fl);           /* frees fl; NULL is fine */

#endif
