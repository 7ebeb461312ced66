/* scripting.c: see scripting.h.
 *
 * Compiled scripts live in the Lua registry as f_<sha1 of body>; a dict-free
 * table of bodies keyed by sha answers SCRIPT EXISTS. KEYS and ARGV are set
 * with rawset (the globals table is write-protected). Errors are tables
 * {err="CODE msg", source=, line=} built by a small Lua error handler, and
 * become "-CODE msg script: <sha>, on @user_script:<line>." replies. */
#include "scripting.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands/command.h"
#include "core/sha1.h"
#include "core/util.h"
#include "core/zmalloc.h"
#include "server/client.h"
#include "server/dispatch.h"
#include "server/propagate.h"
#include "server/server.h"

extern int luaopen_cjson(lua_State *L);
extern int luaopen_bit(lua_State *L);

typedef struct scriptState {
    lua_State *L;
    client *fake;
    client *caller;
    int readonly;
    int resp;       /* redis.setresp */
    long count;
    long long body_bytes;
} scriptState;

static scriptState *sstate(server *srv) { return srv->script; }

/* ---- RESP reply -> Lua */
static const char *parse_reply(lua_State *L, const char *p, const char *end, int resp);

static const char *line_end(const char *p, const char *end) {
    const char *q = p;
    while (q + 1 < end && !(q[0] == '\r' && q[1] == '\n')) q++;
    return q;
}

static void push_field_table(lua_State *L, const char *field) {
    lua_newtable(L);
    lua_pushstring(L, field);
}

static const char *parse_aggregate(lua_State *L, const char *p, const char *end, long n, int resp, int kind) {
    /* kind: 0 array, 1 map, 2 set */
    if (kind == 0) {
        lua_newtable(L);
        for (long i = 0; i < n && p; i++) {
            lua_pushnumber(L, (lua_Number)(i + 1));
            p = parse_reply(L, p, end, resp);
            lua_settable(L, -3);
        }
        return p;
    }
    push_field_table(L, kind == 1 ? "map" : "set");
    lua_newtable(L);
    for (long i = 0; i < n && p; i++) {
        p = parse_reply(L, p, end, resp);
        if (kind == 1) p = parse_reply(L, p, end, resp);
        else lua_pushboolean(L, 1);
        lua_settable(L, -3);
    }
    lua_settable(L, -3);
    return p;
}

static const char *parse_reply(lua_State *L, const char *p, const char *end, int resp) {
    if (!p || p >= end) {
        lua_pushboolean(L, 0);
        return NULL;
    }
    const char *le = line_end(p, end);
    char type = *p;
    long long n = 0;
    string2ll(p + 1, (size_t)(le - p - 1), &n);
    const char *next = le + 2;
    switch (type) {
    case ':': lua_pushnumber(L, (lua_Number)n); return next;
    case '+':
        push_field_table(L, "ok");
        lua_pushlstring(L, p + 1, (size_t)(le - p - 1));
        lua_settable(L, -3);
        return next;
    case '-':
        push_field_table(L, "err");
        lua_pushlstring(L, p + 1, (size_t)(le - p - 1));
        lua_settable(L, -3);
        return next;
    case '$':
    case '=':
        if (n < 0) {
            lua_pushboolean(L, 0);
            return next;
        }
        if (type == '=' && n >= 4) lua_pushlstring(L, next + 4, (size_t)n - 4);
        else lua_pushlstring(L, next, (size_t)n);
        return next + n + 2;
    case '*':
        if (n < 0) {
            lua_pushboolean(L, 0);
            return next;
        }
        return parse_aggregate(L, next, end, (long)n, resp, 0);
    case '%': return parse_aggregate(L, next, end, (long)n, resp, 1);
    case '~': return parse_aggregate(L, next, end, (long)n, resp, 2);
    case '_': lua_pushnil(L); return next;
    case '#': lua_pushboolean(L, p[1] == 't'); return next;
    case ',':
        push_field_table(L, "double");
        lua_pushnumber(L, strtod(p + 1, NULL));
        lua_settable(L, -3);
        return next;
    case '(':
        push_field_table(L, "big_number");
        lua_pushlstring(L, p + 1, (size_t)(le - p - 1));
        lua_settable(L, -3);
        return next;
    default: lua_pushboolean(L, 0); return NULL;
    }
}

/* ---- Lua value -> RESP for the caller */
static int table_field(lua_State *L, const char *field, int type) {
    lua_pushstring(L, field);
    lua_rawget(L, -2);
    if (lua_type(L, -1) == type) return 1;
    lua_pop(L, 1);
    return 0;
}

static void lua_to_reply(lua_State *L, replyBuf *rb, int depth) {
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reply_bulk(rb, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (rb->resp == 2) {
            if (lua_toboolean(L, -1)) reply_long(rb, 1);
            else reply_null(rb);
        } else {
            reply_bool(rb, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER: reply_long(rb, (long long)lua_tonumber(L, -1)); break;
    case LUA_TTABLE:
        if (depth > 1000) {
            reply_error(rb, "reached lua stack limit");
            break;
        }
        if (table_field(L, "err", LUA_TSTRING)) {
            sds e = sdscatprintf(sdsempty(), "-%s", lua_tostring(L, -1));
            lua_pop(L, 1);
            reply_error_len(rb, e, sdslen(e));
            sdsfree(e);
        } else if (table_field(L, "ok", LUA_TSTRING)) {
            reply_status(rb, lua_tostring(L, -1));
            lua_pop(L, 1);
        } else if (table_field(L, "double", LUA_TNUMBER)) {
            reply_double(rb, lua_tonumber(L, -1));
            lua_pop(L, 1);
        } else if (table_field(L, "big_number", LUA_TSTRING)) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            reply_bignum(rb, s, len);
            lua_pop(L, 1);
        } else if (table_field(L, "map", LUA_TTABLE)) {
            void *h = reply_defer(rb);
            long n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pushvalue(L, -2);
                lua_to_reply(L, rb, depth + 1); /* key */
                lua_to_reply(L, rb, depth + 1); /* value */
                n++;
            }
            lua_pop(L, 1);
            reply_set_map(rb, h, n);
        } else if (table_field(L, "set", LUA_TTABLE)) {
            void *h = reply_defer(rb);
            long n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pop(L, 1);
                lua_pushvalue(L, -1);
                lua_to_reply(L, rb, depth + 1);
                n++;
            }
            lua_pop(L, 1);
            reply_set_set(rb, h, n);
        } else {
            void *h = reply_defer(rb);
            long n = 0;
            for (;;) {
                lua_pushnumber(L, (lua_Number)(n + 1));
                lua_rawget(L, -2);
                if (lua_isnil(L, -1)) {
                    lua_pop(L, 1);
                    break;
                }
                lua_to_reply(L, rb, depth + 1);
                n++;
            }
            reply_set_array(rb, h, n);
        }
        break;
    default: reply_null(rb); break;
    }
    lua_pop(L, 1);
}

/* ---- redis.* functions */
static server *srv_of(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, "__stash_server");
    server *srv = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return srv;
}

static void push_error(lua_State *L, const char *msg) {
    lua_newtable(L);
    lua_pushstring(L, "err");
    if (msg[0] == '-') {
        lua_pushstring(L, msg + 1);
    } else {
        sds m = sdscatprintf(sdsempty(), "ERR %s", msg);
        lua_pushstring(L, m);
        sdsfree(m);
    }
    lua_settable(L, -3);
}

static int run_command(lua_State *L, int raise) {
    server *srv = srv_of(L);
    scriptState *ss = sstate(srv);
    int argc = lua_gettop(L);
    if (argc == 0) {
        push_error(L, "Please specify at least one argument for this redis lib call");
        return raise ? lua_error(L) : 1;
    }
    sds *argv = zmalloc(sizeof(sds) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        size_t len;
        const char *s = NULL;
        if (lua_type(L, i + 1) == LUA_TNUMBER) {
            char buf[64];
            lua_Number num = lua_tonumber(L, i + 1);
            int l = snprintf(buf, sizeof(buf), "%.17g", (double)num);
            argv[i] = sdsnewlen(buf, (size_t)l);
            continue;
        }
        if (lua_type(L, i + 1) == LUA_TSTRING) s = lua_tolstring(L, i + 1, &len);
        if (!s) {
            for (int j = 0; j < i; j++) sdsfree(argv[j]);
            zfree(argv);
            push_error(L, "Lua redis lib command arguments must be strings or integers");
            return raise ? lua_error(L) : 1;
        }
        argv[i] = sdsnewlen(s, len);
    }
    client *f = ss->fake;
    f->argv = argv;
    f->argc = argc;
    f->db = ss->caller->db;
    f->resp = ss->resp;
    f->reply.resp = ss->resp;
    const char *err = NULL;
    commandDef *cmd = command_lookup(argv, argc);
    if (!cmd) err = "Unknown Redis command called from script";
    else if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity)
        err = "Wrong number of args calling Redis command from script";
    else if (cmd->flags & CMD_NOSCRIPT) err = "This Redis command is not allowed from script";
    else if (ss->readonly && (cmd->flags & CMD_WRITE)) err = "Write commands are not allowed from read-only scripts.";
    if (err) {
        client_reset_command(f);
        push_error(L, err);
        return raise ? lua_error(L) : 1;
    }
    f->cmd = cmd;
    dispatch_call(f);
    ss->caller->db = f->db; /* SELECT inside a script sticks, as in Redis */
    sds out = sdsempty();
    reply_copy_to_sds(&f->reply, &out);
    reply_clear(&f->reply);
    client_reset_command(f);
    parse_reply(L, out, out + sdslen(out), ss->resp);
    int is_err = out[0] == '-';
    sdsfree(out);
    if (is_err && raise) return lua_error(L);
    return 1;
}

static int l_call(lua_State *L) { return run_command(L, 1); }
static int l_pcall(lua_State *L) { return run_command(L, 0); }

static int l_status_or_error(lua_State *L, const char *field) {
    if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) return luaL_error(L, "wrong number or type of arguments");
    lua_newtable(L);
    lua_pushstring(L, field);
    lua_pushvalue(L, 1);
    lua_settable(L, -3);
    return 1;
}
static int l_error_reply(lua_State *L) {
    if (lua_gettop(L) == 1 && lua_type(L, 1) == LUA_TSTRING) {
        const char *m = lua_tostring(L, 1);
        sds e = m[0] == '-' ? sdsnew(m + 1) : sdscatprintf(sdsempty(), "%s", m);
        lua_pop(L, 1);
        lua_pushstring(L, e);
        sdsfree(e);
    }
    return l_status_or_error(L, "err");
}
static int l_status_reply(lua_State *L) { return l_status_or_error(L, "ok"); }

static int l_sha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return luaL_error(L, "wrong number of arguments");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1_hex(s ? s : "", s ? len : 0, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int l_log(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return luaL_error(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return luaL_error(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return luaL_error(L, "Invalid debug level.");
    sds msg = sdsempty();
    for (int i = 2; i <= argc; i++) {
        size_t len;
        const char *s = lua_tolstring(L, i, &len);
        if (s) msg = sdscatlen(sdscatlen(msg, i > 2 ? " " : "", i > 2), s, len);
    }
    server *srv = srv_of(L);
    LOG(srv, level, "%s", msg);
    sdsfree(msg);
    return 0;
}

static int l_setresp(lua_State *L) {
    if (lua_gettop(L) != 1) return luaL_error(L, "redis.setresp() requires one argument.");
    int v = (int)lua_tonumber(L, 1);
    if (v != 2 && v != 3) return luaL_error(L, "RESP version must be 2 or 3.");
    sstate(srv_of(L))->resp = v;
    return 0;
}

static int l_noop(lua_State *L) { return 0; }
static int l_true(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

static int l_global_get(lua_State *L) {
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name ? name : "?");
}
static int l_global_set(lua_State *L) { return luaL_error(L, "Attempt to modify a readonly table"); }

static void set_fn(lua_State *L, const char *name, lua_CFunction fn) {
    lua_pushstring(L, name);
    lua_pushcfunction(L, fn);
    lua_settable(L, -3);
}
static void set_num(lua_State *L, const char *name, int v) {
    lua_pushstring(L, name);
    lua_pushnumber(L, v);
    lua_settable(L, -3);
}

static const char *err_handler_src =
    "local dbg = debug\n"
    "__stash_err_handler = function(err)\n"
    "  local i = dbg.getinfo(2, 'nSl')\n"
    "  if i and i.what == 'C' then i = dbg.getinfo(3, 'nSl') end\n"
    "  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n"
    "  if i then err['source'] = i.source; err['line'] = i.currentline end\n"
    "  return err\n"
    "end\n";

static void open_libs(lua_State *L) {
    static const luaL_Reg libs[] = {{"", luaopen_base},         {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_DBLIBNAME, luaopen_debug}, {"cjson", luaopen_cjson},
                                    {"bit", luaopen_bit},       {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        lua_pushcfunction(L, l->func);
        lua_pushstring(L, l->name);
        lua_call(L, 1, 1);
        /* Debian's cjson/bit return their table without setting a global. */
        if (l->name[0] && lua_istable(L, -1)) lua_setglobal(L, l->name);
        else lua_pop(L, 1);
    }
    /* Sandbox: nothing that reaches the file system or loads code. */
    static const char *banned[] = {"loadfile", "dofile", "print", NULL};
    for (int i = 0; banned[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, banned[i]);
    }
}

void script_init(server *srv) {
    scriptState *ss = srv->script ? srv->script : zcalloc(sizeof(*ss));
    srv->script = ss;
    lua_State *L = luaL_newstate();
    ss->L = L;
    ss->resp = 2;
    open_libs(L);
    lua_pushlightuserdata(L, srv);
    lua_setfield(L, LUA_REGISTRYINDEX, "__stash_server");
    lua_newtable(L);
    set_fn(L, "call", l_call);
    set_fn(L, "pcall", l_pcall);
    set_fn(L, "error_reply", l_error_reply);
    set_fn(L, "status_reply", l_status_reply);
    set_fn(L, "sha1hex", l_sha1hex);
    set_fn(L, "log", l_log);
    set_fn(L, "setresp", l_setresp);
    set_fn(L, "set_repl", l_noop);
    set_fn(L, "replicate_commands", l_true);
    set_num(L, "LOG_DEBUG", LL_DEBUG);
    set_num(L, "LOG_VERBOSE", LL_VERBOSE);
    set_num(L, "LOG_NOTICE", LL_NOTICE);
    set_num(L, "LOG_WARNING", LL_WARNING);
    set_num(L, "REPL_NONE", 0);
    set_num(L, "REPL_AOF", 1);
    set_num(L, "REPL_SLAVE", 2);
    set_num(L, "REPL_REPLICA", 2);
    set_num(L, "REPL_ALL", 3);
    lua_setglobal(L, "redis");
    luaL_loadbuffer(L, err_handler_src, strlen(err_handler_src), "@err_handler_def");
    lua_pcall(L, 0, 0, 0);
    /* debug was only needed by the error handler. */
    lua_pushnil(L);
    lua_setglobal(L, "debug");
    /* Globals become read-only; unknown globals are errors. */
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_newtable(L);
    lua_pushcfunction(L, l_global_get);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_global_set);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
    if (!ss->fake) {
        ss->fake = client_create(srv, -1, CLIENT_FAKE | CLIENT_LUA);
        ss->fake->authenticated = 1;
    }
    ss->count = 0;
    ss->body_bytes = 0;
}

void script_reset(server *srv) {
    scriptState *ss = sstate(srv);
    lua_close(ss->L);
    script_init(srv);
}

static int compile(client *c, const char *sha, const char *body, size_t len) {
    scriptState *ss = sstate(c->srv);
    lua_State *L = ss->L;
    char fname[43];
    snprintf(fname, sizeof(fname), "f_%s", sha);
    lua_getfield(L, LUA_REGISTRYINDEX, fname);
    int known = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (known) return 0;
    /* A shebang line (#!lua flags) is skipped, as Redis does. */
    size_t skip = 0;
    if (len >= 2 && body[0] == '#' && body[1] == '!') {
        while (skip < len && body[skip] != '\n') skip++;
    }
    if (luaL_loadbuffer(L, body + skip, len - skip, "@user_script")) {
        reply_errorf(&c->reply, "Error compiling script (new function): %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    lua_setfield(L, LUA_REGISTRYINDEX, fname);
    lua_pushlstring(L, body, len);
    lua_setfield(L, LUA_REGISTRYINDEX, fname + 2); /* body under the bare sha */
    ss->count++;
    ss->body_bytes += (long long)len;
    return 0;
}

int script_load(client *c, const char *body, size_t len, char *out) {
    sha1_hex(body, len, out);
    return compile(c, out, body, len);
}

int script_exists(server *srv, const char *sha) {
    lua_State *L = sstate(srv)->L;
    char fname[64];
    snprintf(fname, sizeof(fname), "f_%.40s", sha);
    for (char *p = fname; *p; p++) *p = (char)tolower((unsigned char)*p);
    lua_getfield(L, LUA_REGISTRYINDEX, fname);
    int known = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return known;
}

long script_count(server *srv) { return sstate(srv)->count; }
long long script_memory(server *srv) { return (long long)lua_gc(sstate(srv)->L, LUA_GCCOUNT, 0) * 1024; }

static void set_array_global(lua_State *L, const char *name, sds *elems, int n) {
    lua_newtable(L);
    for (int i = 0; i < n; i++) {
        lua_pushlstring(L, elems[i], sdslen(elems[i]));
        lua_rawseti(L, -2, i + 1);
    }
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_pushstring(L, name);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 2);
}

void script_eval(client *c, int evalsha, int readonly) {
    server *srv = c->srv;
    scriptState *ss = sstate(srv);
    lua_State *L = ss->L;
    long long numkeys;
    if (!string2ll(c->argv[2], sdslen(c->argv[2]), &numkeys)) {
        reply_error(&c->reply, "value is not an integer or out of range");
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
    char sha[41];
    if (evalsha) {
        if (sdslen(c->argv[1]) != 40 || !script_exists(srv, c->argv[1])) {
            reply_error(&c->reply, "-NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
        for (int i = 0; i < 40; i++) sha[i] = (char)tolower((unsigned char)c->argv[1][i]);
        sha[40] = '\0';
    } else {
        sha1_hex(c->argv[1], sdslen(c->argv[1]), sha);
        if (compile(c, sha, c->argv[1], sdslen(c->argv[1])) == -1) return;
    }
    lua_getglobal(L, "__stash_err_handler");
    char fname[43];
    snprintf(fname, sizeof(fname), "f_%s", sha);
    lua_getfield(L, LUA_REGISTRYINDEX, fname);
    set_array_global(L, "KEYS", c->argv + 3, (int)numkeys);
    set_array_global(L, "ARGV", c->argv + 3 + numkeys, c->argc - 3 - (int)numkeys);
    ss->caller = c;
    ss->readonly = readonly;
    ss->resp = 2;
    srv->in_script = 1;
    propagate_tx_begin(srv);
    int err = lua_pcall(L, 0, 1, -2);
    propagate_tx_end(srv);
    srv->in_script = 0;
    if (err) {
        if (lua_istable(L, -1)) {
            sds msg = sdsempty();
            if (table_field(L, "err", LUA_TSTRING)) {
                msg = sdscatprintf(msg, "-%s", lua_tostring(L, -1));
                lua_pop(L, 1);
            }
            lua_getfield(L, -1, "source");
            lua_getfield(L, -2, "line");
            if (lua_isstring(L, -2) && lua_isstring(L, -1))
                msg = sdscatprintf(msg, " script: %s, on %s:%s.", fname, lua_tostring(L, -2), lua_tostring(L, -1));
            lua_pop(L, 2);
            reply_error_len(&c->reply, msg, sdslen(msg));
            sdsfree(msg);
        } else {
            reply_errorf(&c->reply, "Error running script %s, %.100s\n", fname,
                         lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure");
        }
        lua_pop(L, 1);
    } else {
        lua_to_reply(L, &c->reply, 0);
    }
    lua_pop(L, 1); /* the error handler */
    ss->caller = NULL;
}
