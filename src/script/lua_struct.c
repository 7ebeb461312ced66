/* lua_struct.c: see lua_struct.h.
 *
 * A format is walked one option at a time by next_option, which yields the
 * option letter and its size (parsing any count after it); pack, unpack and
 * size share that walk and the alignment rule (an item of size n starts at
 * a multiple of min(n, alignment), except strings). Integers travel as
 * 64-bit two's complement; sizes above 8 bytes are zero-filled on pack and
 * keep their low 8 bytes on unpack. */
#include "lua_struct.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STRUCT_MAX_INT_SIZE 32
#define STRUCT_MAX_ALIGN 8

typedef struct fmtState {
    const char *p;
    int little; /* little endian */
    int align;  /* maximum alignment */
} fmtState;

static int is_pow2(int x) { return x > 0 && (x & (x - 1)) == 0; }

/* The count after an option, or def; counts that overflow an int error. */
static int read_count(lua_State *L, fmtState *f, int def) {
    if (!isdigit((unsigned char)*f->p)) return def;
    int n = 0;
    while (isdigit((unsigned char)*f->p)) {
        int d = *f->p++ - '0';
        if (n > (INT_MAX - d) / 10) luaL_error(L, "integral size overflow");
        n = n * 10 + d;
    }
    return n;
}

/* The size of option opt (0 for s and for settings). */
static size_t option_size(lua_State *L, fmtState *f, char opt) {
    switch (opt) {
    case 'b':
    case 'B':
    case 'x': return 1;
    case 'h':
    case 'H': return 2;
    case 'l':
    case 'L': return sizeof(long);
    case 'T': return sizeof(size_t);
    case 'f': return sizeof(float);
    case 'd': return sizeof(double);
    case 'c': return (size_t)read_count(L, f, 1);
    case 'i':
    case 'I': {
        int n = read_count(L, f, sizeof(int));
        if (n > STRUCT_MAX_INT_SIZE)
            luaL_error(L, "integral size %d is larger than limit of %d", n, STRUCT_MAX_INT_SIZE);
        return (size_t)n;
    }
    default: return 0;
    }
}

/* Applies a setting option; 0 if opt is not one. */
static int setting(lua_State *L, fmtState *f, char opt) {
    switch (opt) {
    case ' ': return 1;
    case '>': f->little = 0; return 1;
    case '<': f->little = 1; return 1;
    case '!': {
        int a = read_count(L, f, STRUCT_MAX_ALIGN);
        if (!is_pow2(a)) luaL_error(L, "alignment %d is not a power of 2", a);
        f->align = a;
        return 1;
    }
    default: return 0;
    }
}

/* The next data option and its size; 0 at the end of the format. */
static char next_option(lua_State *L, fmtState *f, size_t *size) {
    for (;;) {
        char opt = *f->p;
        if (!opt) return 0;
        f->p++;
        if (setting(L, f, opt)) continue;
        if (!strchr("bBhHlLTiIfdcsx", opt)) luaL_error(L, "invalid format option '%c'", opt);
        *size = option_size(L, f, opt);
        return opt;
    }
}

/* Padding before an item of size at offset len. */
static size_t padding(fmtState *f, size_t len, size_t size, char opt) {
    if (size == 0 || opt == 'c' || opt == 's') return 0;
    if (size > (size_t)f->align) size = (size_t)f->align;
    return (size - (len & (size - 1))) & (size - 1);
}

static void init_format(fmtState *f, const char *fmt) {
    f->p = fmt;
    f->little = 1;
    f->align = 1;
}

/* Bytes of v in the format's byte order (size may exceed 8: zero-filled). */
static void put_integer(luaL_Buffer *b, fmtState *f, uint64_t v, size_t size) {
    unsigned char buf[STRUCT_MAX_INT_SIZE];
    for (size_t i = 0; i < size; i++) {
        buf[f->little ? i : size - 1 - i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
    luaL_addlstring(b, (const char *)buf, size);
}

static uint64_t get_integer(fmtState *f, const unsigned char *p, size_t size, int is_signed) {
    uint64_t v = 0;
    for (size_t i = 0; i < size; i++) v = (v << 8) | p[f->little ? size - 1 - i : i];
    if (is_signed && size < 8) {
        uint64_t mask = (uint64_t)1 << (size * 8 - 1);
        v = (v ^ mask) - mask;
    }
    return v;
}

/* A float or double in the format's byte order. */
static void put_bytes(luaL_Buffer *b, fmtState *f, const void *p, size_t size) {
    unsigned char buf[8];
    for (size_t i = 0; i < size; i++) buf[f->little ? i : size - 1 - i] = ((const unsigned char *)p)[i];
    luaL_addlstring(b, (const char *)buf, size);
}

static void get_bytes(fmtState *f, const unsigned char *p, void *out, size_t size) {
    for (size_t i = 0; i < size; i++) ((unsigned char *)out)[i] = p[f->little ? i : size - 1 - i];
}

static uint64_t number_bits(lua_Number n) {
    if (n != n) return 0;
    if (n < 0) return n <= -9223372036854775808.0 ? (uint64_t)INT64_MIN : (uint64_t)(int64_t)n;
    return n >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)n;
}

/* Packs one string option; returns the bytes added. */
static size_t pack_string(lua_State *L, luaL_Buffer *b, int arg, char opt, size_t size) {
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    if (size == 0) size = len;
    luaL_argcheck(L, len >= size, arg, "string too short");
    luaL_addlstring(b, s, size);
    if (opt == 's') {
        luaL_addchar(b, '\0');
        size++;
    }
    return size;
}

static int struct_pack(lua_State *L) {
    fmtState f;
    init_format(&f, luaL_checkstring(L, 1));
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int arg = 2;
    size_t total = 0, size;
    char opt;
    while ((opt = next_option(L, &f, &size))) {
        for (size_t pad = padding(&f, total, size, opt); pad > 0; pad--, total++) luaL_addchar(&b, '\0');
        if (strchr("bBhHlLTiI", opt)) {
            put_integer(&b, &f, number_bits(luaL_checknumber(L, arg++)), size);
        } else if (opt == 'x') {
            luaL_addchar(&b, '\0');
        } else if (opt == 'f') {
            float v = (float)luaL_checknumber(L, arg++);
            put_bytes(&b, &f, &v, sizeof(v));
        } else if (opt == 'd') {
            double v = (double)luaL_checknumber(L, arg++);
            put_bytes(&b, &f, &v, sizeof(v));
        } else {
            size = pack_string(L, &b, arg++, opt, size);
        }
        total += size;
    }
    luaL_pushresult(&b);
    return 1;
}

/* Unpacks one option at data + pos, pushing its value (if it has one). */
static size_t unpack_one(lua_State *L, fmtState *f, char opt, size_t size, const char *data, size_t len,
                         size_t pos, int *pushed) {
    const unsigned char *p = (const unsigned char *)data + pos;
    luaL_checkstack(L, 2, "too many results");
    if (opt == 'c' && size == 0) {
        if (*pushed == 0 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
        lua_Number n = lua_tonumber(L, -1);
        lua_pop(L, 1);
        (*pushed)--;
        luaL_argcheck(L, n >= 0 && n <= (lua_Number)len, 2, "data string too short");
        size = (size_t)n;
    }
    if (opt == 's') {
        const char *end = memchr(p, '\0', len - pos);
        if (!end) luaL_error(L, "unfinished string in data");
        size = (size_t)(end - (const char *)p) + 1;
    }
    luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
    (*pushed)++;
    if (strchr("bhliT", opt)) {
        lua_pushnumber(L, (lua_Number)(int64_t)get_integer(f, p, size, opt != 'T'));
    } else if (strchr("BHLI", opt)) {
        lua_pushnumber(L, (lua_Number)get_integer(f, p, size, 0));
    } else if (opt == 'f') {
        float v;
        get_bytes(f, p, &v, sizeof(v));
        lua_pushnumber(L, v);
    } else if (opt == 'd') {
        double v;
        get_bytes(f, p, &v, sizeof(v));
        lua_pushnumber(L, v);
    } else if (opt == 'c' || opt == 's') {
        lua_pushlstring(L, (const char *)p, opt == 's' ? size - 1 : size);
    } else {
        (*pushed)--; /* x: padding only */
    }
    return size;
}

static int struct_unpack(lua_State *L) {
    fmtState f;
    init_format(&f, luaL_checkstring(L, 1));
    size_t len;
    const char *data = luaL_checklstring(L, 2, &len);
    lua_Number init = luaL_optnumber(L, 3, 1);
    luaL_argcheck(L, init >= 1, 3, "offset must be 1 or greater");
    luaL_argcheck(L, init - 1 <= (lua_Number)len, 3, "offset is past the end of the data");
    size_t pos = (size_t)init - 1, size;
    int pushed = 0;
    char opt;
    lua_settop(L, 2);
    while ((opt = next_option(L, &f, &size))) {
        size_t pad = padding(&f, pos, size, opt);
        luaL_argcheck(L, pad <= len - pos, 2, "data string too short");
        pos += pad;
        pos += unpack_one(L, &f, opt, size, data, len, pos, &pushed);
    }
    lua_pushnumber(L, (lua_Number)(pos + 1));
    return pushed + 1;
}

static int struct_size(lua_State *L) {
    fmtState f;
    init_format(&f, luaL_checkstring(L, 1));
    size_t total = 0, size;
    char opt;
    while ((opt = next_option(L, &f, &size))) {
        if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
        if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
        total += padding(&f, total, size, opt) + size;
        if (total > (size_t)INT_MAX) luaL_error(L, "format result too large");
    }
    lua_pushnumber(L, (lua_Number)total);
    return 1;
}

int luaopen_struct(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"pack", struct_pack}, {"unpack", struct_unpack}, {"size", struct_size}, {NULL, NULL}};
    luaL_register(L, "struct", fns);
    return 1;
}
