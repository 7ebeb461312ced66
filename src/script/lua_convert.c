/* lua_convert.c: see lua_convert.h.
 *
 * The RESP reader walks a reply our own server produced for the script's
 * fake client, so it trusts lengths, but it still stops at the end of the
 * buffer. Both directions recurse once per nesting level; the Lua -> RESP
 * side asks Lua for stack room at every level, so a self-referencing table
 * ends with "reached lua stack limit" (as in Redis) instead of running off
 * the C stack. */
#include "lua_convert.h"

#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* ---- RESP -> Lua */
static const char *push_value(lua_State *L, const char *p, const char *end);

/* The line after the type byte: its text and where the next item starts. */
static const char *read_line(const char *p, const char *end, const char **text, size_t *len) {
    const char *q = p + 1;
    while (q + 1 < end && !(q[0] == '\r' && q[1] == '\n')) q++;
    *text = p + 1;
    *len = (size_t)(q - p - 1);
    return q + 2 <= end ? q + 2 : end;
}

static void push_field(lua_State *L, const char *field, const char *s, size_t len) {
    lua_newtable(L);
    lua_pushstring(L, field);
    lua_pushlstring(L, s, len);
    lua_settable(L, -3);
}

static void push_verbatim(lua_State *L, const char *s, size_t len) {
    lua_newtable(L);
    lua_pushstring(L, "verbatim_string");
    lua_newtable(L);
    lua_pushstring(L, "format");
    lua_pushlstring(L, s, len >= 3 ? 3 : len);
    lua_settable(L, -3);
    lua_pushstring(L, "string");
    lua_pushlstring(L, len >= 4 ? s + 4 : s, len >= 4 ? len - 4 : 0);
    lua_settable(L, -3);
    lua_settable(L, -3);
}

/* Arrays become plain tables; maps and sets tables under a "map"/"set" key. */
static const char *push_aggregate(lua_State *L, const char *p, const char *end, long long n, char type) {
    luaL_checkstack(L, 4, "lua stack limit reached when parsing redis.call reply");
    if (type == '*' || type == '>') {
        lua_newtable(L);
        for (long long i = 0; i < n && p < end; i++) {
            lua_pushnumber(L, (lua_Number)(i + 1));
            p = push_value(L, p, end);
            lua_settable(L, -3);
        }
        return p;
    }
    lua_newtable(L);
    lua_pushstring(L, type == '%' ? "map" : "set");
    lua_newtable(L);
    for (long long i = 0; i < n && p < end; i++) {
        p = push_value(L, p, end);
        if (type == '%')
            p = push_value(L, p, end);
        else
            lua_pushboolean(L, 1);
        lua_settable(L, -3);
    }
    lua_settable(L, -3);
    return p;
}

/* Attributes carry nothing a script sees: skip the pairs, push the value. */
static const char *skip_attribute(lua_State *L, const char *p, const char *end, long long n) {
    for (long long i = 0; i < 2 * n && p < end; i++) {
        p = push_value(L, p, end);
        lua_pop(L, 1);
    }
    return push_value(L, p, end);
}

static const char *push_bulk(lua_State *L, const char *next, const char *end, long long n, char type) {
    if (n < 0) {
        lua_pushboolean(L, 0);
        return next;
    }
    if ((long long)(end - next) < n) n = end - next;
    if (type == '=')
        push_verbatim(L, next, (size_t)n);
    else
        lua_pushlstring(L, next, (size_t)n);
    return next + n + 2 <= end ? next + n + 2 : end;
}

static const char *push_value(lua_State *L, const char *p, const char *end) {
    luaL_checkstack(L, 4, "lua stack limit reached when parsing redis.call reply");
    if (p >= end) {
        lua_pushnil(L);
        return end;
    }
    const char *text;
    size_t len;
    const char *next = read_line(p, end, &text, &len);
    long long n = 0;
    switch (*p) {
    case '+': push_field(L, "ok", text, len); return next;
    case '-': {
        sds e = sdscatlen(sdsnew("-"), text, len);
        luaconv_push_error(L, e);
        sdsfree(e);
        lua_pushstring(L, "ignore_error_stats_update");
        lua_pushboolean(L, 1);
        lua_settable(L, -3);
        return next;
    }
    case ':':
        string2ll(text, len, &n);
        lua_pushnumber(L, (lua_Number)n);
        return next;
    case '$':
    case '=': string2ll(text, len, &n); return push_bulk(L, next, end, n, *p);
    case '*':
    case '>':
    case '%':
    case '~':
        string2ll(text, len, &n);
        if (n < 0) {
            lua_pushboolean(L, 0);
            return next;
        }
        return push_aggregate(L, next, end, n, *p);
    case '|': string2ll(text, len, &n); return skip_attribute(L, next, end, n);
    case '_': lua_pushnil(L); return next;
    case '#': lua_pushboolean(L, len && text[0] == 't'); return next;
    case ',': {
        sds d = sdsnewlen(text, len);
        lua_newtable(L);
        lua_pushstring(L, "double");
        lua_pushnumber(L, strtod(d, NULL));
        lua_settable(L, -3);
        sdsfree(d);
        return next;
    }
    case '(': push_field(L, "big_number", text, len); return next;
    default: lua_pushnil(L); return end;
    }
}

void luaconv_push_reply(lua_State *L, const char *p, size_t len) { push_value(L, p, p + len); }

/* ---- error tables */
void luaconv_push_error(lua_State *L, const char *msg) {
    sds final;
    if (msg[0] == '-') {
        const char *space = strchr(msg, ' ');
        final = space ? sdsnew(msg + 1) : sdscatprintf(sdsempty(), "ERR %s", msg + 1);
    } else {
        final = sdscatprintf(sdsempty(), "ERR %s", msg);
    }
    final = sdstrim(final, "\r\n");
    lua_newtable(L);
    lua_pushstring(L, "err");
    lua_pushlstring(L, final, sdslen(final));
    lua_settable(L, -3);
    sdsfree(final);
}

static sds field_sds(lua_State *L, const char *name) {
    lua_getfield(L, -1, name);
    sds s = NULL;
    if (lua_isstring(L, -1)) {
        size_t len;
        const char *p = lua_tolstring(L, -1, &len);
        s = sdsnewlen(p, len);
    }
    lua_pop(L, 1);
    return s;
}

void luaconv_error_read(lua_State *L, luaError *e) {
    memset(e, 0, sizeof(*e));
    if (lua_isstring(L, -1)) {
        e->msg = sdscatprintf(sdsempty(), "ERR %s", lua_tostring(L, -1));
        return;
    }
    if (!lua_istable(L, -1)) return;
    e->msg = field_sds(L, "err");
    e->source = field_sds(L, "source");
    e->line = field_sds(L, "line");
    lua_getfield(L, -1, "ignore_error_stats_update");
    e->ignore_stats = lua_isboolean(L, -1) && lua_toboolean(L, -1);
    lua_pop(L, 1);
}

void luaconv_error_free(luaError *e) {
    sdsfree(e->msg);
    sdsfree(e->source);
    sdsfree(e->line);
    memset(e, 0, sizeof(*e));
}

void luaconv_reply_error(replyBuf *rb, const char *text, size_t len, int uncounted) {
    sds line = sdscatlen(sdsnew("-"), text, len);
    void (*on_error)(void *, const char *, size_t) = rb->on_error;
    if (uncounted) rb->on_error = NULL;
    reply_error_len(rb, line, sdslen(line));
    rb->on_error = on_error;
    sdsfree(line);
}

/* ---- Lua -> RESP */
typedef struct toReply {
    replyBuf *rb;
    int resp;
    int *uncounted;
} toReply;

static void reply_value(lua_State *L, toReply *t);

/* t[field] when it has the given type (left on the stack), else nothing. */
static int raw_field(lua_State *L, const char *field, int type) {
    lua_pushstring(L, field);
    lua_rawget(L, -2);
    if (lua_type(L, -1) == type) return 1;
    lua_pop(L, 1);
    return 0;
}

/* A copy of the string on top with CR/LF made spaces (status, big number). */
static sds one_line(lua_State *L) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    sds out = sdsnewlen(s, len);
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    return out;
}

static void reply_error_table(lua_State *L, toReply *t) {
    luaError e;
    luaconv_error_read(L, &e);
    luaconv_reply_error(t->rb, e.msg, sdslen(e.msg), e.ignore_stats);
    if (e.ignore_stats && t->uncounted) (*t->uncounted)++;
    luaconv_error_free(&e);
}

static int reply_verbatim_table(lua_State *L, toReply *t) {
    if (!raw_field(L, "verbatim_string", LUA_TTABLE)) return 0;
    int done = 0;
    lua_pushstring(L, "format");
    lua_rawget(L, -2);
    lua_pushstring(L, "string");
    lua_rawget(L, -3);
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
        char ext[4] = "txt";
        size_t flen, len;
        const char *f = lua_tolstring(L, -2, &flen);
        memcpy(ext, f, flen < 3 ? flen : 3);
        const char *s = lua_tolstring(L, -1, &len);
        reply_verbatim(t->rb, s, len, ext);
        done = 1;
    }
    lua_pop(L, 3);
    return done;
}

static void reply_map_table(lua_State *L, toReply *t) {
    void *h = reply_defer(t->rb);
    long n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        reply_value(L, t); /* key */
        reply_value(L, t); /* value */
        n++;
    }
    reply_set_map(t->rb, h, n);
}

static void reply_set_table(lua_State *L, toReply *t) {
    void *h = reply_defer(t->rb);
    long n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        reply_value(L, t);
        n++;
    }
    reply_set_set(t->rb, h, n);
}

static void reply_array_table(lua_State *L, toReply *t) {
    void *h = reply_defer(t->rb);
    long n = 0;
    for (;;) {
        lua_pushnumber(L, (lua_Number)(n + 1));
        lua_rawget(L, -2);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        reply_value(L, t);
        n++;
    }
    reply_set_array(t->rb, h, n);
}

/* The table on top (left there): error, status, double, big number,
 * verbatim, map, set, or else an array. */
static void reply_table(lua_State *L, toReply *t) {
    if (raw_field(L, "err", LUA_TSTRING)) {
        lua_pop(L, 1);
        reply_error_table(L, t);
    } else if (raw_field(L, "ok", LUA_TSTRING)) {
        sds s = one_line(L);
        reply_status_len(t->rb, s, sdslen(s));
        sdsfree(s);
        lua_pop(L, 1);
    } else if (raw_field(L, "double", LUA_TNUMBER)) {
        reply_double(t->rb, lua_tonumber(L, -1));
        lua_pop(L, 1);
    } else if (raw_field(L, "big_number", LUA_TSTRING)) {
        sds s = one_line(L);
        reply_bignum(t->rb, s, sdslen(s));
        sdsfree(s);
        lua_pop(L, 1);
    } else if (reply_verbatim_table(L, t)) {
    } else if (raw_field(L, "map", LUA_TTABLE)) {
        reply_map_table(L, t);
        lua_pop(L, 1);
    } else if (raw_field(L, "set", LUA_TTABLE)) {
        reply_set_table(L, t);
        lua_pop(L, 1);
    } else {
        reply_array_table(L, t);
    }
}

/* Lua numbers are doubles; out of range ones give what x86 gives Redis. */
static long long number_to_ll(lua_Number n) {
    if (isnan(n) || n >= 9223372036854775808.0 || n < -9223372036854775808.0) return LLONG_MIN;
    return (long long)n;
}

static void reply_value(lua_State *L, toReply *t) {
    if (!lua_checkstack(L, 4)) {
        reply_error(t->rb, "reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reply_bulk(t->rb, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (t->resp == 2) {
            if (lua_toboolean(L, -1))
                reply_long(t->rb, 1);
            else
                reply_null(t->rb);
        } else {
            reply_bool(t->rb, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER: reply_long(t->rb, number_to_ll(lua_tonumber(L, -1))); break;
    case LUA_TTABLE: reply_table(L, t); break;
    default: reply_null(t->rb); break;
    }
    lua_pop(L, 1);
}

void luaconv_reply(lua_State *L, replyBuf *rb, int script_resp, int *uncounted) {
    toReply t = {rb, script_resp, uncounted};
    reply_value(L, &t);
}
