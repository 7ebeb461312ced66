/* sha1.h: SHA-1 message digest (FIPS 180-1).
 *
 * Used where Redis uses it for identity rather than security: script SHAs
 * for EVALSHA / SCRIPT LOAD (script/), and DEBUG DIGEST (server/). Streaming
 * API: sha1_init, any number of sha1_update calls with arbitrary chunk
 * sizes, then sha1_final. The one-shot helpers cover the common cases; hex
 * output is 40 lowercase digits plus a NUL. No allocation, no global state. */
#ifndef STASH_SHA1_H
#define STASH_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_HEX_LEN 40 /* without the NUL */

typedef struct sha1_ctx {
    uint32_t h[5];     /* chaining state */
    uint64_t total;    /* bytes hashed so far */
    uint8_t block[64]; /* pending partial block */
    size_t block_len;  /* bytes used in block */
} sha1_ctx;

void sha1_init(sha1_ctx *ctx);
void sha1_update(sha1_ctx *ctx, const void *data, size_t len);
void sha1_final(sha1_ctx *ctx, uint8_t digest[SHA1_DIGEST_LEN]);

void sha1_buf(const void *data, size_t len, uint8_t digest[SHA1_DIGEST_LEN]);
void sha1_to_hex(const uint8_t digest[SHA1_DIGEST_LEN], char hex[SHA1_HEX_LEN + 1]);
void sha1_hex(const void *data, size_t len, char hex[SHA1_HEX_LEN + 1]);

#endif
