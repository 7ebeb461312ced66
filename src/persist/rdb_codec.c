/* rdb_codec.c: see rdb_codec.h. All multi-byte numbers are written with
 * explicit byte order so files move between machines. */
#include "rdb_codec.h"

#include <lzf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/zmalloc.h"

#define RDB_6BITLEN 0
#define RDB_14BITLEN 1
#define RDB_32BITLEN 0x80
#define RDB_64BITLEN 0x81
#define RDB_ENCVAL 3
#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3

int rdb_save_type(rio *r, unsigned char type) { return rio_write(r, &type, 1) ? 0 : -1; }

int rdb_load_type(rio *r) {
    unsigned char t;
    return rio_read(r, &t, 1) ? t : -1;
}

int rdb_save_len(rio *r, uint64_t len) {
    unsigned char buf[9];
    size_t n;
    if (len < (1 << 6)) {
        buf[0] = (unsigned char)((RDB_6BITLEN << 6) | len);
        n = 1;
    } else if (len < (1 << 14)) {
        buf[0] = (unsigned char)((RDB_14BITLEN << 6) | (len >> 8));
        buf[1] = (unsigned char)(len & 0xff);
        n = 2;
    } else if (len <= UINT32_MAX) {
        buf[0] = RDB_32BITLEN;
        for (int i = 0; i < 4; i++) buf[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        n = 5;
    } else {
        buf[0] = RDB_64BITLEN;
        for (int i = 0; i < 8; i++) buf[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        n = 9;
    }
    return rio_write(r, buf, n) ? 0 : -1;
}

uint64_t rdb_load_len(rio *r, int *isencoded) {
    unsigned char buf[8];
    if (isencoded) *isencoded = 0;
    if (!rio_read(r, buf, 1)) return RDB_LENERR;
    int type = (buf[0] & 0xC0) >> 6;
    if (type == RDB_ENCVAL) {
        if (isencoded) *isencoded = 1;
        return buf[0] & 0x3F;
    }
    if (type == RDB_6BITLEN) return buf[0] & 0x3F;
    if (type == RDB_14BITLEN) {
        uint64_t hi = buf[0] & 0x3F;
        if (!rio_read(r, buf + 1, 1)) return RDB_LENERR;
        return (hi << 8) | buf[1];
    }
    int bytes;
    if (buf[0] == RDB_32BITLEN) bytes = 4;
    else if (buf[0] == RDB_64BITLEN) bytes = 8;
    else return RDB_LENERR;
    if (!rio_read(r, buf, (size_t)bytes)) return RDB_LENERR;
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = (v << 8) | buf[i];
    return v;
}

int rdb_save_millis(rio *r, long long ms) {
    unsigned char buf[8];
    uint64_t v = (uint64_t)ms;
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)(v >> (8 * i));
    return rio_write(r, buf, 8) ? 0 : -1;
}

long long rdb_load_millis(rio *r) {
    unsigned char buf[8];
    if (!rio_read(r, buf, 8)) return -1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | buf[i];
    return (long long)v;
}

int rdb_load_seconds(rio *r, long long *secs) {
    unsigned char buf[4];
    if (!rio_read(r, buf, 4)) return -1;
    int32_t v = (int32_t)((uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24);
    *secs = v;
    return 0;
}

/* Integer encodings for strings that are integers within 32 bits. */
static int encode_int(long long v, unsigned char *enc) {
    uint64_t u = (uint64_t)v; /* two's complement bytes, little endian */
    int bytes;
    if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
        bytes = 1;
    } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
        bytes = 2;
    } else if (v >= -((long long)1 << 31) && v <= ((long long)1 << 31) - 1) {
        enc[0] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
        bytes = 4;
    } else {
        return 0;
    }
    for (int i = 0; i < bytes; i++) enc[1 + i] = (unsigned char)((u >> (8 * i)) & 0xFF);
    return bytes + 1;
}

int rdb_save_ll_as_string(rio *r, long long v) {
    unsigned char enc[5];
    int n = encode_int(v, enc);
    if (n) return rio_write(r, enc, (size_t)n) ? 0 : -1;
    char buf[24];
    int l = ll2string(buf, sizeof(buf), v);
    if (rdb_save_len(r, (uint64_t)l) == -1) return -1;
    return rio_write(r, buf, (size_t)l) ? 0 : -1;
}

static int save_lzf(rio *r, const void *p, size_t len) {
    if (len <= 4) return 0;
    size_t outlen = len - 4;
    void *out = ztrymalloc(outlen + 1);
    if (!out) return 0;
    unsigned int comprlen = lzf_compress(p, (unsigned int)len, out, (unsigned int)outlen);
    if (comprlen == 0) {
        zfree(out);
        return 0;
    }
    unsigned char type = (RDB_ENCVAL << 6) | RDB_ENC_LZF;
    int ok = rio_write(r, &type, 1) && rdb_save_len(r, comprlen) == 0 && rdb_save_len(r, len) == 0 &&
             rio_write(r, out, comprlen);
    zfree(out);
    return ok ? 1 : -1;
}

int rdb_save_string(rio *r, const void *p, size_t len, int compress) {
    if (len <= 11) {
        long long v;
        unsigned char enc[5];
        if (string2ll(p, len, &v)) {
            int n = encode_int(v, enc);
            if (n) return rio_write(r, enc, (size_t)n) ? 0 : -1;
        }
    }
    if (compress && len > 20) {
        int rc = save_lzf(r, p, len);
        if (rc == -1) return -1;
        if (rc == 1) return 0;
    }
    if (rdb_save_len(r, len) == -1) return -1;
    if (len && !rio_write(r, p, len)) return -1;
    return 0;
}

static sds load_int(rio *r, int enctype) {
    unsigned char enc[4];
    long long v;
    if (enctype == RDB_ENC_INT8) {
        if (!rio_read(r, enc, 1)) return NULL;
        v = (signed char)enc[0];
    } else if (enctype == RDB_ENC_INT16) {
        if (!rio_read(r, enc, 2)) return NULL;
        v = (int16_t)(enc[0] | (enc[1] << 8));
    } else {
        if (!rio_read(r, enc, 4)) return NULL;
        v = (int32_t)((uint32_t)enc[0] | (uint32_t)enc[1] << 8 | (uint32_t)enc[2] << 16 | (uint32_t)enc[3] << 24);
    }
    return sdsfromlonglong(v);
}

static sds load_lzf(rio *r) {
    uint64_t clen = rdb_load_len(r, NULL), len = rdb_load_len(r, NULL);
    /* LZF expands at most ~132x (a 2-byte back-reference yields 264 bytes),
     * so a claimed length beyond that is corrupt: refuse before allocating. */
    if (clen == RDB_LENERR || len == RDB_LENERR || clen == 0 || len > RDB_MAX_STRING || clen > rio_remaining(r) ||
        len / 264 > clen)
        return NULL;
    void *c = ztrymalloc(clen);
    if (!c) return NULL;
    sds val = sdstrynewlen(NULL, len);
    if (!val || !rio_read(r, c, clen)) {
        zfree(c);
        sdsfree(val);
        return NULL;
    }
    unsigned int got = lzf_decompress(c, (unsigned int)clen, val, (unsigned int)len);
    zfree(c);
    if (got != len || (len == 0 && got != 0)) {
        sdsfree(val);
        return NULL;
    }
    return val;
}

sds rdb_load_string(rio *r) {
    int enc;
    uint64_t len = rdb_load_len(r, &enc);
    if (len == RDB_LENERR) return NULL;
    if (enc) {
        if (len <= RDB_ENC_INT32) return load_int(r, (int)len);
        if (len == RDB_ENC_LZF) return load_lzf(r);
        return NULL;
    }
    if (len > RDB_MAX_STRING) return NULL;
    /* A memory buffer knows how much is left: refuse lengths past its end
     * before allocating. */
    if (len > rio_remaining(r)) return NULL;
    sds s = sdstrynewlen(NULL, len);
    if (!s) return NULL;
    if (len && !rio_read(r, s, len)) {
        sdsfree(s);
        return NULL;
    }
    return s;
}

int rdb_save_double_bin(rio *r, double d) {
    unsigned char buf[8];
    uint64_t v;
    memcpy(&v, &d, 8);
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)(v >> (8 * i));
    return rio_write(r, buf, 8) ? 0 : -1;
}

int rdb_load_double_bin(rio *r, double *d) {
    unsigned char buf[8];
    if (!rio_read(r, buf, 8)) return -1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | buf[i];
    memcpy(d, &v, 8);
    return 0;
}

int rdb_load_double_text(rio *r, double *d) {
    unsigned char len;
    char buf[256];
    if (!rio_read(r, &len, 1)) return -1;
    switch (len) {
    case 255: *d = -INFINITY; return 0;
    case 254: *d = INFINITY; return 0;
    case 253: *d = NAN; return 0;
    default:
        if (!rio_read(r, buf, len)) return -1;
        buf[len] = '\0';
        if (sscanf(buf, "%lg", d) != 1) return -1;
        return 0;
    }
}
