/* sha256.c: SHA-256 as specified in FIPS 180-4.
 *
 * 64-byte blocks are expanded into a 64-word schedule (each new word mixes
 * four earlier ones through the small sigma functions) and folded into
 * eight state words over 64 rounds, each adding one round constant. The
 * constants are the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes; the initial state uses the square roots of
 * the first 8. Padding is the same as SHA-1: 0x80, zeros, 64-bit big-endian
 * bit length.
 *
 * Invariant of sha256_ctx: block_len < 64 between calls. Callers: see
 * sha256.h. */
#include "sha256.h"

#include <string.h>

static const uint32_t round_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t initial_h[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The four sigma functions of FIPS 180-4 section 4.1.2. */
static uint32_t big_sigma0(uint32_t x) { return rotr32(x, 2) ^ rotr32(x, 13) ^ rotr32(x, 22); }
static uint32_t big_sigma1(uint32_t x) { return rotr32(x, 6) ^ rotr32(x, 11) ^ rotr32(x, 25); }
static uint32_t small_sigma0(uint32_t x) { return rotr32(x, 7) ^ rotr32(x, 18) ^ (x >> 3); }
static uint32_t small_sigma1(uint32_t x) { return rotr32(x, 17) ^ rotr32(x, 19) ^ (x >> 10); }

/* Working variables a..h of the compression function. */
typedef struct {
    uint32_t a, b, c, d, e, f, g, h;
} sha256_vars;

/* One round with schedule word w and round constant k. */
static inline sha256_vars round_step(sha256_vars v, uint32_t k, uint32_t w) {
    uint32_t choose = (v.e & v.f) ^ (~v.e & v.g);
    uint32_t majority = (v.a & v.b) ^ (v.a & v.c) ^ (v.b & v.c);
    uint32_t t1 = v.h + big_sigma1(v.e) + choose + k + w;
    uint32_t t2 = big_sigma0(v.a) + majority;
    sha256_vars n = {t1 + t2, v.a, v.b, v.c, v.d + t1, v.e, v.f, v.g};
    return n;
}

/* Mixes one 64-byte block into the state. */
static void compress(uint32_t h[8], const uint8_t *block) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
    for (int t = 16; t < 64; t++)
        w[t] = small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];

    sha256_vars v = {h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]};
    for (int t = 0; t < 64; t++) v = round_step(v, round_k[t], w[t]);
    h[0] += v.a;
    h[1] += v.b;
    h[2] += v.c;
    h[3] += v.d;
    h[4] += v.e;
    h[5] += v.f;
    h[6] += v.g;
    h[7] += v.h;
}

void sha256_init(sha256_ctx *ctx) {
    memcpy(ctx->h, initial_h, sizeof(ctx->h));
    ctx->total = 0;
    ctx->block_len = 0;
}

void sha256_update(sha256_ctx *ctx, const void *data, size_t len) {
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
void sha256_final(sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]) {
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
    for (int i = 0; i < 8; i++) store_be32(digest + 4 * i, ctx->h[i]);
    memset(ctx, 0, sizeof(*ctx));
}

void sha256_buf(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_final(&ctx, digest);
}

void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_LEN], char hex[SHA256_HEX_LEN + 1]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]) {
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_buf(data, len, digest);
    sha256_to_hex(digest, hex);
}
