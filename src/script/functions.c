/* functions.c: see functions.h.
 *
 * A libSet holds libraries by name and their functions by name (one
 * namespace for all libraries, case-insensitive). The server has a current
 * set; loads that may fail as a whole (FUNCTION RESTORE, an RDB) fill a
 * separate set first and then swap it in or join it to the current one,
 * so a failure leaves the current set as it was. Every change counts as a
 * dataset change (srv->dirty) for persistence and propagation. */
#include "functions.h"

#include <string.h>
#include <strings.h>

#include "core/crc64.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "persist/rdb.h"
#include "persist/rdb_codec.h"
#include "proto/resp_parser.h"
#include "script/functions_lua.h"
#include "script/run.h"
#include "server/client.h"
#include "server/server.h"

#define ERR_BAD_NAME                                                                                         \
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character " \
    "long"

typedef struct libSet {
    dict *libraries; /* name -> functionLib */
    dict *functions; /* name -> functionInfo, case-insensitive */
    long long overhead;
} libSet;

typedef struct functionsEngine {
    functionsLua *lua;
    libSet *current;
} functionsEngine;

static const void *lib_key(const void *e) { return ((const functionLib *)e)->name; }
static const void *fn_key(const void *e) { return ((const functionInfo *)e)->name; }
static const dictType libraries_type = {dict_sds_hash, dict_sds_equal, lib_key, NULL,
                                        offsetof(functionLib, link)};
static const dictType functions_type = {dict_sds_case_hash, dict_sds_case_equal, fn_key, NULL,
                                        offsetof(functionInfo, link)};

static libSet *libset_new(void) {
    libSet *s = zcalloc(sizeof(*s));
    s->libraries = dict_create(&libraries_type);
    s->functions = dict_create(&functions_type);
    return s;
}

static functionsEngine *engine(server *srv) {
    scriptCtx *ctx = script_ctx(srv);
    if (!ctx->functions) {
        ctx->functions = zcalloc(sizeof(functionsEngine));
        ctx->functions->lua = flua_create(srv);
        ctx->functions->current = libset_new();
    }
    return ctx->functions;
}

static libSet *current(server *srv) { return engine(srv)->current; }

/* ---- libraries */
static long long lib_size(functionLib *lib) {
    long long n = (long long)(sizeof(*lib) + sdslen(lib->name) + sdslen(lib->code));
    for (functionInfo *f = lib->functions; f; f = f->next)
        n += (long long)(sizeof(*f) + sdslen(f->name) + (f->desc ? sdslen(f->desc) : 0));
    return n;
}

static void lib_free(functionsEngine *e, functionLib *lib) {
    functionInfo *f = lib->functions;
    while (f) {
        functionInfo *next = f->next;
        flua_unref(e->lua, f->ref);
        sdsfree(f->name);
        sdsfree(f->desc);
        zfree(f);
        f = next;
    }
    sdsfree(lib->name);
    sdsfree(lib->code);
    zfree(lib);
}

static void libset_link(libSet *s, functionLib *lib) {
    for (functionInfo *f = lib->functions; f; f = f->next) dict_add(s->functions, f);
    dict_add(s->libraries, lib);
    s->overhead += lib_size(lib);
}

static void libset_unlink(libSet *s, functionLib *lib) {
    for (functionInfo *f = lib->functions; f; f = f->next) dict_unlink(s->functions, f->name);
    dict_unlink(s->libraries, lib->name);
    s->overhead -= lib_size(lib);
}

/* The set's libraries in an array (so the set can change while we walk). */
static functionLib **libset_array(libSet *s, long *n) {
    *n = (long)dict_size(s->libraries);
    functionLib **libs = zmalloc(sizeof(*libs) * (size_t)(*n ? *n : 1));
    dictIterator it;
    dict_iter_init(&it, s->libraries, 0);
    long i = 0;
    functionLib *lib;
    while ((lib = dict_iter_next(&it))) libs[i++] = lib;
    dict_iter_release(&it);
    return libs;
}

static void libset_free(functionsEngine *e, libSet *s) {
    long n;
    functionLib **libs = libset_array(s, &n);
    for (long i = 0; i < n; i++) {
        libset_unlink(s, libs[i]);
        lib_free(e, libs[i]);
    }
    zfree(libs);
    dict_release(s->libraries);
    dict_release(s->functions);
    zfree(s);
}

/* [a-zA-Z0-9_]+ */
static int valid_name(const sds name) {
    if (sdslen(name) == 0) return 0;
    for (size_t i = 0; i < sdslen(name); i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return 0;
    }
    return 1;
}

/* register_function's callback: adds a function to the library being
 * built (ctx). */
static int add_function(void *ctx, sds name, sds desc, uint64_t flags, int ref, sds *err) {
    functionLib *lib = ctx;
    const char *why = NULL;
    if (!valid_name(name)) why = ERR_BAD_NAME;
    for (functionInfo *f = lib->functions; f && !why; f = f->next)
        if (!strcmp(f->name, name)) why = "Function already exists in the library";
    if (why) {
        sdsfree(name);
        sdsfree(desc);
        *err = sdsnew(why);
        return -1;
    }
    functionInfo *fi = zcalloc(sizeof(*fi));
    *fi = (functionInfo){.name = name, .desc = desc, .flags = flags, .ref = ref, .lib = lib};
    if (lib->last)
        lib->last->next = fi;
    else
        lib->functions = fi;
    lib->last = fi;
    lib->nfunctions++;
    return 0;
}

/* ---- the "#!<engine> name=<library>" line */
typedef struct libMeta {
    sds engine, name;
    size_t header_len; /* the code starts at its newline */
} libMeta;

static void meta_free(libMeta *m) {
    sdsfree(m->engine);
    sdsfree(m->name);
}

static int parse_meta(const sds code, libMeta *m, sds *err) {
    memset(m, 0, sizeof(*m));
    if (strncmp(code, "#!", 2)) {
        *err = sdsnew("Missing library metadata");
        return -1;
    }
    const char *nl = memchr(code, '\n', sdslen(code));
    if (!nl) {
        *err = sdsnew("Invalid library metadata");
        return -1;
    }
    m->header_len = (size_t)(nl - code);
    sds line = sdsnewlen(code, m->header_len);
    int n = 0;
    sds *parts = sdssplitargs(line, &n);
    sdsfree(line);
    if (!parts || n == 0) {
        if (parts) sdsfreesplitres(parts, n);
        *err = sdsnew("Invalid library metadata");
        return -1;
    }
    m->engine = sdsnew(parts[0] + 2);
    for (int i = 1; i < n && !*err; i++) {
        if (strncasecmp(parts[i], "name=", 5))
            *err = sdscatprintf(sdsempty(), "Invalid metadata value given: %s", parts[i]);
        else if (m->name)
            *err = sdsnew("Invalid metadata value, name argument was given multiple times");
        else
            m->name = sdsnew(parts[i] + 5);
    }
    sdsfreesplitres(parts, n);
    if (!*err && !m->name) *err = sdsnew("Library name was not given");
    if (*err) {
        meta_free(m);
        return -1;
    }
    return 0;
}

/* ---- creating a library */

/* "Function <name> already exists" when a function of lib is in s. */
static sds function_collision(libSet *s, functionLib *lib) {
    for (functionInfo *f = lib->functions; f; f = f->next)
        if (dict_find(s->functions, f->name))
            return sdscatprintf(sdsempty(), "Function %s already exists", f->name);
    return NULL;
}

/* Compiles code into a new library of s (replacing one of the same name
 * when asked). Returns the library name, or NULL with *err. */
static sds create_in(functionsEngine *e, libSet *s, const sds code, int replace, long long timeout_ms,
                     sds *err) {
    libMeta m;
    if (parse_meta(code, &m, err) == -1) return NULL;
    functionLib *old = NULL, *lib = NULL;
    if (!valid_name(m.name)) {
        *err = sdsnew(ERR_BAD_NAME);
    } else if (strcasecmp(m.engine, FUNCTIONS_ENGINE_NAME)) {
        *err = sdscatprintf(sdsempty(), "Engine '%s' not found", m.engine);
    } else if ((old = dict_find(s->libraries, m.name)) && !replace) {
        *err = sdscatprintf(sdsempty(), "Library '%s' already exists", m.name);
        old = NULL;
    }
    if (*err) goto fail;
    if (old) libset_unlink(s, old);
    lib = zcalloc(sizeof(*lib));
    lib->name = sdsdup(m.name);
    lib->code = sdsdup(code);
    if (flua_load(e->lua, code + m.header_len, sdslen(code) - m.header_len, timeout_ms, add_function, lib,
                  err) == -1)
        goto fail;
    if (lib->nfunctions == 0)
        *err = sdsnew("No functions registered");
    else
        *err = function_collision(s, lib);
    if (*err) goto fail;
    libset_link(s, lib);
    if (old) lib_free(e, old);
    sds name = m.name;
    m.name = NULL;
    meta_free(&m);
    return name;
fail:
    if (lib) lib_free(e, lib);
    if (old) libset_link(s, old);
    meta_free(&m);
    return NULL;
}

sds functions_create(server *srv, const sds code, int replace, long long timeout_ms, sds *err) {
    functionsEngine *e = engine(srv);
    sds name = create_in(e, e->current, code, replace, timeout_ms, err);
    if (name) srv->dirty++;
    return name;
}

int functions_delete(server *srv, const sds name) {
    functionsEngine *e = engine(srv);
    functionLib *lib = dict_find(e->current->libraries, name);
    if (!lib) return -1;
    libset_unlink(e->current, lib);
    lib_free(e, lib);
    srv->dirty++;
    return 0;
}

static void swap_in(functionsEngine *e, libSet *s) {
    libset_free(e, e->current);
    e->current = s;
}

void functions_flush(server *srv) {
    functionsEngine *e = engine(srv);
    swap_in(e, libset_new());
    srv->dirty++;
}

void functions_foreach_library(server *srv, void (*fn)(functionLib *lib, void *ctx), void *ctx) {
    long n;
    functionLib **libs = libset_array(current(srv), &n);
    for (long i = 0; i < n; i++) fn(libs[i], ctx);
    zfree(libs);
}

/* Moves every library of src into dst (src is freed). On a name clash
 * (library, unless replace; or function, always) nothing moves: -1. */
static int join(functionsEngine *e, libSet *dst, libSet *src, int replace, sds *err) {
    long n;
    functionLib **libs = libset_array(src, &n);
    functionLib **olds = zcalloc(sizeof(*olds) * (size_t)(n ? n : 1));
    long i;
    for (i = 0; i < n && !*err; i++) {
        functionLib *old = dict_find(dst->libraries, libs[i]->name);
        if (old && !replace)
            *err = sdscatprintf(sdsempty(), "Library %s already exists", libs[i]->name);
        else if (old)
            libset_unlink(dst, olds[i] = old);
    }
    for (i = 0; i < n && !*err; i++) *err = function_collision(dst, libs[i]);
    for (i = 0; i < n; i++) {
        if (*err) {
            if (olds[i]) libset_link(dst, olds[i]);
            continue;
        }
        libset_unlink(src, libs[i]);
        libset_link(dst, libs[i]);
        if (olds[i]) lib_free(e, olds[i]);
    }
    zfree(olds);
    zfree(libs);
    if (*err) return -1;
    libset_free(e, src);
    return 0;
}

/* ---- payloads: RDB opcodes, DUMP/RESTORE */
static int save_set(server *srv, libSet *s, rio *r) {
    long n;
    functionLib **libs = libset_array(s, &n);
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        if (rdb_save_type(r, RDB_OPCODE_FUNCTION2) == -1 ||
            rdb_save_string(r, libs[i]->code, sdslen(libs[i]->code), srv->rdb_compression) == -1)
            rc = -1;
    }
    zfree(libs);
    return rc;
}

int functions_rdb_save(server *srv, rio *r) { return save_set(srv, current(srv), r); }

/* One library after its opcode, into s; -1 with *err. */
static int load_one(functionsEngine *e, libSet *s, rio *r, sds *err) {
    sds code = rdb_load_string(r);
    if (!code) {
        *err = sdsnew("Failed loading library payload");
        return -1;
    }
    sds name = create_in(e, s, code, 0, 0, err);
    sdsfree(code);
    if (!name) {
        if (!*err) *err = sdsnew("Failed creating the library");
        return -1;
    }
    sdsfree(name);
    return 0;
}

sds functions_dump(server *srv) {
    rio r;
    rio_init_buffer(&r, sdsempty());
    save_set(srv, current(srv), &r);
    sds payload = rio_buffer(&r);
    unsigned char footer[10];
    footer[0] = RDB_VERSION_WRITTEN & 0xff;
    footer[1] = (RDB_VERSION_WRITTEN >> 8) & 0xff;
    payload = sdscatlen(payload, footer, 2);
    uint64_t crc = crc64(0, payload, sdslen(payload));
    for (int i = 0; i < 8; i++) footer[2 + i] = (unsigned char)(crc >> (8 * i));
    return sdscatlen(payload, footer + 2, 8);
}

/* The footer: an RDB version we read and a matching CRC-64. */
static int payload_ok(server *srv, const sds p) {
    size_t len = sdslen(p);
    if (len < 10) return 0;
    const unsigned char *f = (const unsigned char *)p + len - 10;
    if ((unsigned)(f[0] | (f[1] << 8)) > RDB_VERSION_MAX) return 0;
    if (srv->skip_checksum_validation) return 1;
    uint64_t got = 0;
    for (int i = 7; i >= 0; i--) got = (got << 8) | f[2 + i];
    return crc64(0, p, len - 8) == got;
}

/* Every library of the payload (footer excluded) into a new set. */
static libSet *read_payload(functionsEngine *e, const sds p, sds *err) {
    libSet *s = libset_new();
    rio r;
    rio_init_buffer(&r, sdsnewlen(p, sdslen(p) - 10));
    while (!*err && rio_remaining(&r) > 0) {
        int type = rdb_load_type(&r);
        if (type == -1)
            *err = sdsnew("can not read data type");
        else if (type == RDB_OPCODE_FUNCTION_PRE_GA)
            *err = sdsnew("Pre-GA function format not supported");
        else if (type != RDB_OPCODE_FUNCTION2)
            *err = sdsnew("given type is not a function");
        else if (load_one(e, s, &r, err) == -1 && !*err)
            *err = sdsnew("failed loading the given functions payload");
    }
    sdsfree(rio_buffer(&r));
    if (!*err) return s;
    libset_free(e, s);
    return NULL;
}

int functions_restore(server *srv, const sds payload, int policy, sds *err) {
    if (!payload_ok(srv, payload)) {
        *err = sdsnew("DUMP payload version or checksum are wrong");
        return -1;
    }
    functionsEngine *e = engine(srv);
    libSet *s = read_payload(e, payload, err);
    if (!s) return -1;
    if (policy == FUNCTIONS_RESTORE_FLUSH) {
        swap_in(e, s);
    } else if (join(e, e->current, s, policy == FUNCTIONS_RESTORE_REPLACE, err) == -1) {
        libset_free(e, s);
        return -1;
    }
    srv->dirty++;
    return 0;
}

static void append_load(functionLib *lib, void *arg) {
    sds *out = arg;
    sds argv[3] = {sdsnew("FUNCTION"), sdsnew("LOAD"), lib->code};
    *out = resp_append_command(*out, argv, 3);
    sdsfree(argv[0]);
    sdsfree(argv[1]);
}

sds functions_append_load_commands(server *srv, sds out) {
    functions_foreach_library(srv, append_load, &out);
    return out;
}

/* ---- RDB loading */
struct functionsLoad {
    server *srv;
    libSet *set;
    int replace_all; /* the dataset was empty: the file's libraries are all */
};

static int dataset_empty(server *srv) {
    for (int j = 0; j < srv->dbnum; j++)
        if (dict_size(srv->dbs[j].keys)) return 0;
    return 1;
}

functionsLoad *functions_load_begin(server *srv) {
    functionsLoad *fl = zmalloc(sizeof(*fl));
    fl->srv = srv;
    fl->set = libset_new();
    fl->replace_all = dataset_empty(srv);
    return fl;
}

int functions_load_library(functionsLoad *fl, rio *r, sds *err) {
    sds why = NULL;
    if (load_one(engine(fl->srv), fl->set, r, &why) == 0) return 0;
    *err = sdscatprintf(sdsempty(), "Failed loading library, %s", why);
    sdsfree(why);
    return -1;
}

int functions_load_commit(functionsLoad *fl, sds *err) {
    functionsEngine *e = engine(fl->srv);
    int rc = 0;
    if (fl->replace_all) {
        swap_in(e, fl->set);
    } else {
        sds why = NULL;
        if (join(e, e->current, fl->set, 0, &why) == -1) {
            *err = sdscatprintf(sdsempty(), "Failed loading library, %s", why);
            sdsfree(why);
            libset_free(e, fl->set);
            rc = -1;
        }
    }
    zfree(fl);
    return rc;
}

void functions_load_abort(functionsLoad *fl) {
    if (!fl) return;
    libset_free(engine(fl->srv), fl->set);
    zfree(fl);
}

/* ---- FCALL */
void functions_fcall(client *c, int readonly) {
    server *srv = c->srv;
    functionsEngine *e = engine(srv);
    functionInfo *fi = dict_find(e->current->functions, c->argv[1]);
    if (!fi) {
        reply_error(&c->reply, "Function not found");
        return;
    }
    long long numkeys;
    if (!string2ll(c->argv[2], sdslen(c->argv[2]), &numkeys)) {
        reply_error(&c->reply, "Bad number of keys provided");
        return;
    }
    if (numkeys > c->argc - 3) {
        reply_error(&c->reply, "Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        reply_error(&c->reply, "Number of keys can't be negative");
        return;
    }
    if (run_current(srv)) {
        reply_error(&c->reply, run_busy_error(run_current(srv)));
        return;
    }
    scriptRun r;
    if (run_prepare(&r, c, flua_state(e->lua), fi->name, fi->flags, readonly, 0) == -1) return;
    flua_call(e->lua, &r, fi->ref, c->argv + 3, (int)numkeys, c->argv + 3 + numkeys,
              c->argc - 3 - (int)numkeys);
}

/* ---- INFO */
long functions_count(server *srv) { return srv->script ? (long)dict_size(current(srv)->functions) : 0; }
long functions_library_count(server *srv) {
    return srv->script ? (long)dict_size(current(srv)->libraries) : 0;
}
long long functions_memory(server *srv) { return srv->script ? current(srv)->overhead : 0; }
long long functions_vm_memory(server *srv) { return flua_memory(engine(srv)->lua); }
