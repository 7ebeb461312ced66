/* scripting.c: see scripting.h.
 *
 * The cache is a dict sha -> {body, flags}; the compiled function lives in
 * the Lua registry as f_<sha>. KEYS and ARGV are set in the table behind
 * the sealed globals (scripts cannot write globals themselves). The script
 * runs through run.h, which replies its result or its error
 * ("-CODE msg script: <sha>, on @user_script:<line>."). */
#include "scripting.h"

#include <lauxlib.h>
#include <string.h>

#include "core/dict.h"
#include "core/sha1.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "proto/errors.h"
#include "script/lua_redis.h"
#include "script/lua_sandbox.h"
#include "script/run.h"
#include "server/client.h"
#include "server/server.h"

typedef struct evalScript {
    dictLink link;
    sds sha; /* the key: 40 lower-case hex digits */
    sds body;
    uint64_t flags;
} evalScript;

typedef struct evalEngine {
    lua_State *L;
    dict *scripts;
    long long body_bytes;
} evalEngine;

static const void *script_key(const void *e) { return ((const evalScript *)e)->sha; }
static void script_free(void *e) {
    evalScript *s = e;
    sdsfree(s->sha);
    sdsfree(s->body);
    zfree(s);
}
static const dictType scripts_type = {dict_sds_hash, dict_sds_equal, script_key, script_free,
                                      offsetof(evalScript, link)};

static lua_State *new_state(server *srv) {
    lua_State *L = sandbox_open();
    run_bind_state(L, srv);
    luaredis_push_api(L, 1);
    lua_setglobal(L, "redis");
    sandbox_seal(L);
    return L;
}

static evalEngine *engine(server *srv) {
    scriptCtx *ctx = script_ctx(srv);
    if (!ctx->eval) {
        ctx->eval = zcalloc(sizeof(evalEngine));
        ctx->eval->L = new_state(srv);
        ctx->eval->scripts = dict_create(&scripts_type);
    }
    return ctx->eval;
}

void script_init(server *srv) { engine(srv); }

void script_reset(server *srv) {
    evalEngine *e = engine(srv);
    lua_close(e->L);
    dict_release(e->scripts);
    e->L = new_state(srv);
    e->scripts = dict_create(&scripts_type);
    e->body_bytes = 0;
}

/* ---- the "#!lua flags=..." line */

/* Flags from the comma-separated list after "flags=". */
static int parse_flag_list(const char *list, uint64_t *flags, sds *err) {
    int n = 0;
    sds *names = sdssplitlen(list, (ssize_t)strlen(list), ",", 1, &n);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        uint64_t f;
        if (script_flag_lookup(names[i], 0, &f) == 0) {
            *flags |= f;
        } else {
            *err = sdscatprintf(sdsempty(), "Unexpected flag in script shebang: %s", names[i]);
            rc = -1;
        }
    }
    sdsfreesplitres(names, n);
    return rc;
}

/* The flags of a shebang line of len bytes. */
static int parse_shebang(const char *line, size_t len, uint64_t *flags, sds *err) {
    sds text = sdsnewlen(line, len);
    int n = 0;
    sds *parts = sdssplitargs(text, &n);
    sdsfree(text);
    int rc = 0;
    if (!parts || n == 0) {
        *err = sdsnew("Invalid engine in script shebang");
        rc = -1;
    } else if (strcmp(parts[0], "#!lua")) {
        *err = sdscatprintf(sdsempty(), "Unexpected engine in script shebang: %s", parts[0]);
        rc = -1;
    }
    for (int i = 1; i < n && rc == 0; i++) {
        if (!strncmp(parts[i], "flags=", 6)) {
            rc = parse_flag_list(parts[i] + 6, flags, err);
        } else {
            *err = sdscatprintf(sdsempty(), "Unknown lua shebang option: %s", parts[i]);
            rc = -1;
        }
    }
    if (parts) sdsfreesplitres(parts, n);
    return rc;
}

/* Script flags and the shebang's length (0 without one: compat mode). */
static int script_flags(const char *body, size_t len, uint64_t *flags, size_t *skip, sds *err) {
    *flags = SCRIPT_FLAG_EVAL_COMPAT;
    *skip = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') return 0;
    const char *nl = memchr(body, '\n', len);
    if (!nl) {
        *err = sdsnew("Invalid script shebang");
        return -1;
    }
    *flags = 0;
    *skip = (size_t)(nl - body);
    return parse_shebang(body, *skip, flags, err);
}

/* ---- the cache */
static void function_name(char *out, const char *sha) { snprintf(out, 43, "f_%s", sha); }

/* Compiles and caches body under sha (no-op when cached). Returns the
 * entry, or NULL with the error replied to c. */
static evalScript *compile(client *c, const char *sha, const char *body, size_t len) {
    evalEngine *e = engine(c->srv);
    sds key = sdsnew(sha);
    evalScript *s = dict_find(e->scripts, key);
    sdsfree(key);
    if (s) return s;
    uint64_t flags;
    size_t skip;
    sds err = NULL;
    if (script_flags(body, len, &flags, &skip, &err) == -1) {
        reply_error(&c->reply, err);
        sdsfree(err);
        return NULL;
    }
    /* The shebang is skipped but its newline kept, so line numbers hold. */
    if (sandbox_load(e->L, body + skip, len - skip, "@user_script")) {
        reply_errorf(&c->reply, "Error compiling script (new function): %s", lua_tostring(e->L, -1));
        lua_pop(e->L, 1);
        return NULL;
    }
    char fname[43];
    function_name(fname, sha);
    lua_setfield(e->L, LUA_REGISTRYINDEX, fname);
    s = zcalloc(sizeof(*s));
    s->sha = sdsnew(sha);
    s->body = sdsnewlen(body, len);
    s->flags = flags;
    dict_add_new(e->scripts, s);
    e->body_bytes += (long long)len;
    return s;
}

int script_load(client *c, const char *body, size_t len, char *out) {
    sha1_hex(body, len, out);
    return compile(c, out, body, len) ? 0 : -1;
}

static evalScript *find_sha(server *srv, const char *sha, size_t len) {
    if (len != 40) return NULL;
    sds key = sdsnewlen(sha, 40);
    sdstolower(key);
    evalScript *s = dict_find(engine(srv)->scripts, key);
    sdsfree(key);
    return s;
}

int script_exists(server *srv, const char *sha) { return find_sha(srv, sha, strlen(sha)) != NULL; }
long script_count(server *srv) { return srv->script ? (long)dict_size(engine(srv)->scripts) : 0; }
long long script_memory(server *srv) { return (long long)lua_gc(engine(srv)->L, LUA_GCCOUNT, 0) * 1024; }

/* ---- running */
static void set_array_global(lua_State *L, const char *name, sds *elems, int n) {
    sandbox_push_real_globals(L);
    lua_pushstring(L, name);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, elems[i], sdslen(elems[i]));
        lua_rawseti(L, -2, i + 1);
    }
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* numkeys, checked as Redis checks it; -1 after replying the error. */
static long long parse_numkeys(client *c) {
    long long numkeys;
    if (!string2ll(c->argv[2], sdslen(c->argv[2]), &numkeys)) {
        reply_error(&c->reply, ERR_NOT_INTEGER);
        return -1;
    }
    if (numkeys > c->argc - 3) {
        reply_error(&c->reply, "Number of keys can't be greater than number of args");
        return -1;
    }
    if (numkeys < 0) {
        reply_error(&c->reply, "Number of keys can't be negative");
        return -1;
    }
    return numkeys;
}

void script_eval(client *c, int evalsha, int readonly) {
    server *srv = c->srv;
    long long numkeys = parse_numkeys(c);
    if (numkeys < 0) return;
    if (run_current(srv)) {
        reply_error(&c->reply, run_busy_error(run_current(srv)));
        return;
    }
    evalScript *s;
    if (evalsha) {
        s = find_sha(srv, c->argv[1], sdslen(c->argv[1]));
        if (!s) {
            reply_error(&c->reply, ERR_NOSCRIPT);
            return;
        }
    } else {
        char sha[41];
        sha1_hex(c->argv[1], sdslen(c->argv[1]), sha);
        if (!(s = compile(c, sha, c->argv[1], sdslen(c->argv[1])))) return;
    }
    lua_State *L = engine(srv)->L;
    scriptRun r;
    if (run_prepare(&r, c, L, s->sha, s->flags, readonly, 1) == -1) return;
    char fname[43];
    function_name(fname, s->sha);
    sandbox_push_error_handler(L);
    lua_getfield(L, LUA_REGISTRYINDEX, fname);
    set_array_global(L, "KEYS", c->argv + 3, (int)numkeys);
    set_array_global(L, "ARGV", c->argv + 3 + numkeys, c->argc - 3 - (int)numkeys);
    run_call(&r, 0);
    lua_pop(L, 1); /* the error handler */
}
