/* sha1.c: SHA-1 as specified in FIPS 180-1.
 *
 * The message is cut into 64-byte blocks; each block is expanded into 80
 * big-endian 32-bit words (w[t] = rotl1(w[t-3]^w[t-8]^w[t-14]^w[t-16]),
 * computed as needed in a 16-word ring) and mixed into five state words
 * over 80 rounds in four groups of twenty, each group with its own boolean
 * function and constant. The last block is
 * padded with 0x80, zeros, and the message length in bits (big-endian, 64
 * bits), so the padded length is a multiple of 64 bytes.
 *
 * Invariant of sha1_ctx: block_len < 64 between calls; full blocks are
 * compressed as soon as they are complete. Callers: see sha1.h. */
#include "sha1.h"

#include <string.h>

static uint32_t rotl32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static uint32_t load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Working variables a..e of the compression function. */
typedef struct {
    uint32_t a, b, c, d, e;
} sha1_vars;

/* One round: the variables shift down by one, with a new `a` computed
 * from the round's boolean value f and constant k. */
static inline sha1_vars round_step(sha1_vars v, uint32_t f, uint32_t k, uint32_t w) {
    sha1_vars n = {rotl32(v.a, 5) + f + v.e + k + w, v.a, rotl32(v.b, 30), v.c, v.d};
    return n;
}

/* Schedule word t (0..79) kept in a 16-word ring: word t replaces word
 * t-16, from which it is computed (w[t-3] ^ w[t-8] ^ w[t-14] ^ w[t-16]). */
static inline uint32_t schedule(uint32_t w[16], int t) {
    if (t >= 16) w[t & 15] = rotl32(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1);
    return w[t & 15];
}

/* Mixes one 64-byte block into the state: rounds 0-19 use "choose",
 * 20-39 and 60-79 "parity", 40-59 "majority". */
static void compress(uint32_t h[5], const uint8_t *block) {
    uint32_t w[16];
    for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);

    sha1_vars v = {h[0], h[1], h[2], h[3], h[4]};
    int t = 0;
    for (; t < 20; t++) v = round_step(v, (v.b & v.c) | (~v.b & v.d), 0x5a827999, schedule(w, t));
    for (; t < 40; t++) v = round_step(v, v.b ^ v.c ^ v.d, 0x6ed9eba1, schedule(w, t));
    for (; t < 60; t++)
        v = round_step(v, (v.b & v.c) | (v.b & v.d) | (v.c & v.d), 0x8f1bbcdc, schedule(w, t));
    for (; t < 80; t++) v = round_step(v, v.b ^ v.c ^ v.d, 0xca62c1d6, schedule(w, t));

    h[0] += v.a;
    h[1] += v.b;
    h[2] += v.c;
    h[3] += v.d;
    h[4] += v.e;
}

void sha1_init(sha1_ctx *ctx) {
    ctx->h[0] = 0x67452301;
    ctx->h[1] = 0xefcdab89;
    ctx->h[2] = 0x98badcfe;
    ctx->h[3] = 0x10325476;
    ctx->h[4] = 0xc3d2e1f0;
    ctx->total = 0;
    ctx->block_len = 0;
}

void sha1_update(sha1_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    if (len == 0) return; /* data may be NULL then */
    ctx->total += len;
    if (ctx->block_len) { /* top up the pending block first */
        size_t take = 64 - ctx->block_len;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->block_len, p, take);
        ctx->block_len += take;
        p += take;
        len -= take;
        if (ctx->block_len < 64) return;
        compress(ctx->h, ctx->block);
        ctx->block_len = 0;
    }
    for (; len >= 64; p += 64, len -= 64) compress(ctx->h, p);
    memcpy(ctx->block, p, len);
    ctx->block_len = len;
}

/* Pads, writes the digest, and leaves ctx wiped (re-init to reuse). */
void sha1_final(sha1_ctx *ctx, uint8_t digest[SHA1_DIGEST_LEN]) {
    uint64_t bits = ctx->total * 8;
    ctx->block[ctx->block_len++] = 0x80;
    if (ctx->block_len > 56) { /* no room for the length: one more block */
        memset(ctx->block + ctx->block_len, 0, 64 - ctx->block_len);
        compress(ctx->h, ctx->block);
        ctx->block_len = 0;
    }
    memset(ctx->block + ctx->block_len, 0, 56 - ctx->block_len);
    store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
    store_be32(ctx->block + 60, (uint32_t)bits);
    compress(ctx->h, ctx->block);
    for (int i = 0; i < 5; i++) store_be32(digest + 4 * i, ctx->h[i]);
    memset(ctx, 0, sizeof(*ctx));
}

void sha1_buf(const void *data, size_t len, uint8_t digest[SHA1_DIGEST_LEN]) {
    sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, data, len);
    sha1_final(&ctx, digest);
}

void sha1_to_hex(const uint8_t digest[SHA1_DIGEST_LEN], char hex[SHA1_HEX_LEN + 1]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA1_DIGEST_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[SHA1_HEX_LEN] = '\0';
}

void sha1_hex(const void *data, size_t len, char hex[SHA1_HEX_LEN + 1]) {
    uint8_t digest[SHA1_DIGEST_LEN];
    sha1_buf(data, len, digest);
    sha1_to_hex(digest, hex);
}
