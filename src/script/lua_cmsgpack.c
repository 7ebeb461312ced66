/* lua_cmsgpack.c: see lua_cmsgpack.h.
 *
 * Encoding appends to an sds (no Lua buffer, since the encoder walks
 * tables on the Lua stack) and never raises while it holds it. Numbers
 * that are whole int64 values encode as the smallest MessagePack integer,
 * others as float32 when that is exact, else float64, as lua-cmsgpack
 * does. Decoding reads through a cursor that reports a short input or an
 * unknown type byte; declared lengths are never trusted for allocation
 * (tables grow as elements actually decode) and every nesting level needs
 * Lua stack room, which bounds the recursion. */
#include "lua_cmsgpack.h"

#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/sds.h"

#define MP_MAX_NESTING 16 /* deeper tables encode as nil */

/* ---- encoding */
static sds put_be(sds b, unsigned char type, uint64_t v, int bytes) {
    unsigned char buf[9];
    buf[0] = type;
    for (int i = 0; i < bytes; i++) buf[1 + i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    return sdscatlen(b, buf, (size_t)bytes + 1);
}

static sds put_int(sds b, int64_t n) {
    unsigned char one;
    if (n >= 0) {
        if (n <= 127) {
            one = (unsigned char)n;
            return sdscatlen(b, &one, 1);
        }
        if (n <= 0xff) return put_be(b, 0xcc, (uint64_t)n, 1);
        if (n <= 0xffff) return put_be(b, 0xcd, (uint64_t)n, 2);
        if (n <= 0xffffffffLL) return put_be(b, 0xce, (uint64_t)n, 4);
        return put_be(b, 0xcf, (uint64_t)n, 8);
    }
    if (n >= -32) {
        one = (unsigned char)(int8_t)n;
        return sdscatlen(b, &one, 1);
    }
    if (n >= -128) return put_be(b, 0xd0, (uint64_t)n & 0xff, 1);
    if (n >= -32768) return put_be(b, 0xd1, (uint64_t)n & 0xffff, 2);
    if (n >= -2147483648LL) return put_be(b, 0xd2, (uint64_t)n & 0xffffffffULL, 4);
    return put_be(b, 0xd3, (uint64_t)n, 8);
}

static sds put_number(sds b, lua_Number n) {
    if (!isinf(n) && !isnan(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
        (lua_Number)(int64_t)n == n)
        return put_int(b, (int64_t)n);
    float f = (float)n;
    if ((lua_Number)f == n) {
        uint32_t bits;
        memcpy(&bits, &f, 4);
        return put_be(b, 0xca, bits, 4);
    }
    double d = (double)n;
    uint64_t bits;
    memcpy(&bits, &d, 8);
    return put_be(b, 0xcb, bits, 8);
}

static sds put_string(sds b, const char *s, size_t len) {
    if (len < 32) {
        unsigned char h = (unsigned char)(0xa0 | len);
        b = sdscatlen(b, &h, 1);
    } else if (len <= 0xff) {
        b = put_be(b, 0xd9, len, 1);
    } else if (len <= 0xffff) {
        b = put_be(b, 0xda, len, 2);
    } else {
        b = put_be(b, 0xdb, len, 4);
    }
    return sdscatlen(b, s, len);
}

/* Header of an array (0x90/0xdc/0xdd) or a map (0x80/0xde/0xdf) of n. */
static sds put_header(sds b, int map, size_t n) {
    if (n < 16) {
        unsigned char h = (unsigned char)((map ? 0x80 : 0x90) | n);
        return sdscatlen(b, &h, 1);
    }
    if (n <= 0xffff) return put_be(b, map ? 0xde : 0xdc, n, 2);
    return put_be(b, map ? 0xdf : 0xdd, n, 4);
}

/* 1 if the table on top has exactly the keys 1..n. */
static int is_array(lua_State *L) {
    double max = 0, count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_Number k;
        if (lua_type(L, -1) != LUA_TNUMBER || (k = lua_tonumber(L, -1)) <= 0 || k != floor(k)) {
            lua_pop(L, 1);
            return 0;
        }
        if (k > max) max = k;
        count++;
    }
    return max == count;
}

static sds put_value(lua_State *L, sds b, int level);

static sds put_table(lua_State *L, sds b, int level) {
    if (is_array(L)) {
        size_t n = lua_objlen(L, -1);
        b = put_header(b, 0, n);
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, (int)i);
            b = put_value(L, b, level + 1);
        }
        return b;
    }
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        n++;
    }
    b = put_header(b, 1, n);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        b = put_value(L, b, level + 1); /* key */
        b = put_value(L, b, level + 1); /* value */
    }
    return b;
}

/* Encodes and pops the value on top. */
static sds put_value(lua_State *L, sds b, int level) {
    int t = lua_type(L, -1);
    if (t == LUA_TTABLE && (level >= MP_MAX_NESTING || !lua_checkstack(L, 4))) t = LUA_TNIL;
    switch (t) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        b = put_string(b, s, len);
        break;
    }
    case LUA_TBOOLEAN: b = sdscatlen(b, lua_toboolean(L, -1) ? "\xc3" : "\xc2", 1); break;
    case LUA_TNUMBER: b = put_number(b, lua_tonumber(L, -1)); break;
    case LUA_TTABLE: b = put_table(L, b, level); break;
    default: b = sdscatlen(b, "\xc0", 1); break;
    }
    lua_pop(L, 1);
    return b;
}

static int mp_pack(lua_State *L) {
    int n = lua_gettop(L);
    if (n == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
    sds b = sdsempty();
    for (int i = 1; i <= n; i++) {
        lua_pushvalue(L, i);
        b = put_value(L, b, 0);
    }
    lua_pushlstring(L, b, sdslen(b));
    sdsfree(b);
    return 1;
}

/* ---- decoding */
enum { MP_OK = 0, MP_EOF, MP_BADFMT };

typedef struct mpCursor {
    const unsigned char *p;
    size_t left;
} mpCursor;

static int take(mpCursor *c, size_t n, const unsigned char **out) {
    if (c->left < n) return MP_EOF;
    *out = c->p;
    c->p += n;
    c->left -= n;
    return MP_OK;
}

static int read_be(mpCursor *c, int bytes, uint64_t *v) {
    const unsigned char *p;
    if (take(c, (size_t)bytes, &p)) return MP_EOF;
    *v = 0;
    for (int i = 0; i < bytes; i++) *v = (*v << 8) | p[i];
    return MP_OK;
}

static int get_value(lua_State *L, mpCursor *c);

static int get_string(lua_State *L, mpCursor *c, uint64_t len) {
    const unsigned char *p;
    if (len > c->left || take(c, (size_t)len, &p)) return MP_EOF;
    lua_pushlstring(L, (const char *)p, (size_t)len);
    return MP_OK;
}

static int get_aggregate(lua_State *L, mpCursor *c, uint64_t n, int map) {
    luaL_checkstack(L, 4, "too many nested MessagePack values");
    lua_newtable(L);
    for (uint64_t i = 0; i < n; i++) {
        int rc;
        if (map) {
            if ((rc = get_value(L, c)) || (rc = get_value(L, c))) return rc;
            if (lua_isnil(L, -2)) return MP_BADFMT;
            lua_settable(L, -3);
        } else {
            lua_pushnumber(L, (lua_Number)(i + 1));
            if ((rc = get_value(L, c))) return rc;
            lua_settable(L, -3);
        }
    }
    return MP_OK;
}

static int get_float(lua_State *L, mpCursor *c, int bytes) {
    uint64_t v;
    if (read_be(c, bytes, &v)) return MP_EOF;
    if (bytes == 4) {
        uint32_t bits = (uint32_t)v;
        float f;
        memcpy(&f, &bits, 4);
        lua_pushnumber(L, f);
    } else {
        double d;
        memcpy(&d, &v, 8);
        lua_pushnumber(L, d);
    }
    return MP_OK;
}

/* Unsigned (0xcc-0xcf) and signed (0xd0-0xd3) integers. */
static int get_int(lua_State *L, mpCursor *c, unsigned char type) {
    int bytes = 1 << (type & 3);
    uint64_t v;
    if (read_be(c, bytes, &v)) return MP_EOF;
    if (type <= 0xcf) {
        lua_pushnumber(L, (lua_Number)v);
    } else {
        int shift = 64 - 8 * bytes;
        lua_pushnumber(L, (lua_Number)((int64_t)(v << shift) >> shift));
    }
    return MP_OK;
}

/* Sized strings, arrays and maps: the length's width comes from the type. */
static int get_sized(lua_State *L, mpCursor *c, unsigned char type) {
    uint64_t n;
    switch (type) {
    case 0xd9: return read_be(c, 1, &n) ? MP_EOF : get_string(L, c, n);
    case 0xda: return read_be(c, 2, &n) ? MP_EOF : get_string(L, c, n);
    case 0xdb: return read_be(c, 4, &n) ? MP_EOF : get_string(L, c, n);
    case 0xdc: return read_be(c, 2, &n) ? MP_EOF : get_aggregate(L, c, n, 0);
    case 0xdd: return read_be(c, 4, &n) ? MP_EOF : get_aggregate(L, c, n, 0);
    case 0xde: return read_be(c, 2, &n) ? MP_EOF : get_aggregate(L, c, n, 1);
    case 0xdf: return read_be(c, 4, &n) ? MP_EOF : get_aggregate(L, c, n, 1);
    default: return MP_BADFMT;
    }
}

/* Decodes one value and pushes it (on error, maybe a partial one). */
static int get_value(lua_State *L, mpCursor *c) {
    const unsigned char *p;
    if (take(c, 1, &p)) return MP_EOF;
    luaL_checkstack(L, 2, "too many MessagePack values");
    unsigned char t = *p;
    if (t <= 0x7f)
        lua_pushnumber(L, t);
    else if (t >= 0xe0)
        lua_pushnumber(L, (int8_t)t);
    else if (t >= 0xa0 && t <= 0xbf)
        return get_string(L, c, t & 0x1f);
    else if (t >= 0x90 && t <= 0x9f)
        return get_aggregate(L, c, t & 0x0f, 0);
    else if (t >= 0x80 && t <= 0x8f)
        return get_aggregate(L, c, t & 0x0f, 1);
    else if (t == 0xc0)
        lua_pushnil(L);
    else if (t == 0xc2 || t == 0xc3)
        lua_pushboolean(L, t == 0xc3);
    else if (t == 0xca || t == 0xcb)
        return get_float(L, c, t == 0xca ? 4 : 8);
    else if (t >= 0xcc && t <= 0xd3)
        return get_int(L, c, t);
    else
        return get_sized(L, c, t);
    return MP_OK;
}

/* Decodes up to limit values (all when limit and offset are 0) of the
 * string at index 1 from offset; with a limit or offset, the next offset
 * (-1 at the end) comes first in the results. */
static int unpack_full(lua_State *L, lua_Integer limit, lua_Integer offset) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int all = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.", (int)offset,
                          (int)len);
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.", (int)offset, (int)len);
    if (all) limit = INT_MAX;
    mpCursor c = {(const unsigned char *)s + offset, len - (size_t)offset};
    int count = 0;
    while (c.left > 0 && count < limit) {
        int rc = get_value(L, &c);
        if (rc == MP_EOF) return luaL_error(L, "Missing bytes in input.");
        if (rc == MP_BADFMT) return luaL_error(L, "Bad data format in input.");
        count++;
    }
    if (all) return count;
    lua_pushnumber(L, c.left == 0 ? -1 : (lua_Number)(len - c.left));
    lua_insert(L, 2);
    return count + 1;
}

static int mp_unpack(lua_State *L) { return unpack_full(L, 0, 0); }

static int mp_unpack_one(lua_State *L) {
    lua_Integer offset = luaL_optinteger(L, 2, 0);
    lua_settop(L, 1);
    return unpack_full(L, 1, offset);
}

static int mp_unpack_limit(lua_State *L) {
    lua_Integer limit = luaL_checkinteger(L, 2);
    lua_Integer offset = luaL_optinteger(L, 3, 0);
    lua_settop(L, 1);
    return unpack_full(L, limit, offset);
}

int luaopen_cmsgpack(lua_State *L) {
    static const luaL_Reg fns[] = {{"pack", mp_pack},
                                   {"unpack", mp_unpack},
                                   {"unpack_one", mp_unpack_one},
                                   {"unpack_limit", mp_unpack_limit},
                                   {NULL, NULL}};
    luaL_register(L, "cmsgpack", fns);
    lua_pushliteral(L, "cmsgpack");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, "lua-cmsgpack 0.4.0");
    lua_setfield(L, -2, "_VERSION");
    return 1;
}
