/* rdb.h: RDB snapshots. Writes RDB version 10 (loadable by Redis 7.0 and
 * later) and loads versions 1 to 11. The per-object encoding is dispatched
 * by type: each type module registers how its values are saved and which
 * RDB type codes it can load, so this file knows only strings and the file
 * structure (header, aux fields, SELECTDB, RESIZEDB, expire/idle/freq
 * opcodes, EOF and the CRC-64 trailer). */
#ifndef STASH_RDB_H
#define STASH_RDB_H

#include "core/sds.h"
#include "persist/rio.h"
#include "types/object.h"

struct server;

#define RDB_VERSION_WRITTEN 10
#define RDB_VERSION_MAX 11

#define RDB_TYPE_STRING 0
#define RDB_TYPE_LIST 1
#define RDB_TYPE_SET 2
#define RDB_TYPE_ZSET 3
#define RDB_TYPE_HASH 4
#define RDB_TYPE_ZSET_2 5
#define RDB_TYPE_MODULE_PRE_GA 6
#define RDB_TYPE_MODULE_2 7
#define RDB_TYPE_HASH_ZIPMAP 9
#define RDB_TYPE_LIST_ZIPLIST 10
#define RDB_TYPE_SET_INTSET 11
#define RDB_TYPE_ZSET_ZIPLIST 12
#define RDB_TYPE_HASH_ZIPLIST 13
#define RDB_TYPE_LIST_QUICKLIST 14
#define RDB_TYPE_STREAM_LISTPACKS 15
#define RDB_TYPE_HASH_LISTPACK 16
#define RDB_TYPE_ZSET_LISTPACK 17
#define RDB_TYPE_LIST_QUICKLIST_2 18
#define RDB_TYPE_STREAM_LISTPACKS_2 19
#define RDB_TYPE_SET_LISTPACK 20
#define RDB_TYPE_STREAM_LISTPACKS_3 21
#define RDB_TYPE_MAX 21

#define RDB_OPCODE_FUNCTION2 245
#define RDB_OPCODE_FUNCTION_PRE_GA 246
#define RDB_OPCODE_MODULE_AUX 247
#define RDB_OPCODE_IDLE 248
#define RDB_OPCODE_FREQ 249
#define RDB_OPCODE_AUX 250
#define RDB_OPCODE_RESIZEDB 251
#define RDB_OPCODE_EXPIRETIME_MS 252
#define RDB_OPCODE_EXPIRETIME 253
#define RDB_OPCODE_SELECTDB 254
#define RDB_OPCODE_EOF 255

/* Loaders presize tables for at most this many elements: counts in a file
 * are untrusted, and bigger tables grow by rehashing as elements arrive. */
#define RDB_PRESIZE_MAX (1UL << 20)

/* Type plug-ins. A saver writes the payload of v and returns the RDB type
 * code through *rdbtype (the caller writes the code first, so savers are
 * called twice: once with r == NULL to learn the type). */
typedef int (*rdbSaveFn)(rio *r, value v, unsigned char *rdbtype, int compress);
/* A loader reads the payload of an RDB type into *out; `deep` asks for full
 * validation of embedded blobs (sanitize-dump-payload). */
typedef int (*rdbLoadFn)(rio *r, int rdbtype, value *out, int deep, struct server *srv);
void rdb_register_saver(unsigned objtype, rdbSaveFn fn);
void rdb_register_loader(int rdbtype, rdbLoadFn fn);

/* Saves/loads one value (type byte + payload). */
int rdb_save_object_type(rio *r, value v);
int rdb_save_object(rio *r, value v, int compress);
int rdb_load_object(rio *r, int rdbtype, value *out, int deep, struct server *srv);
int rdb_is_object_type(int t);
const char *rdb_type_name(int t);

/* Whole dataset. rdb_save writes to a temp file, fsyncs and renames it over
 * `filename`. rdb_load returns 0, or -1 with a message in *err (the caller
 * logs it and stops, as Redis does). */
int rdb_save_rio(struct server *srv, rio *r);
int rdb_save(struct server *srv, const char *filename);
int rdb_load_rio(struct server *srv, rio *r, sds *err);
int rdb_load(struct server *srv, const char *filename, sds *err);
/* The DUMP/RESTORE payload of a value. */
sds rdb_dump_payload(value v);

#endif
