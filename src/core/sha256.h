/* sha256.h: SHA-256 message digest (FIPS 180-4).
 *
 * ACL stores user passwords as SHA-256 hashes and shows them as 64 lowercase
 * hex digits (ACL GETUSER, ACL LIST, the "#<hash>" rule), so server/acl
 * hashes with sha256_hex. Streaming API: sha256_init, sha256_update with
 * arbitrary chunk sizes, sha256_final; one-shot helpers for the common
 * case. No allocation, no global state beyond the constant round table. */
#ifndef STASH_SHA256_H
#define STASH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN 64 /* without the NUL */

typedef struct sha256_ctx {
    uint32_t h[8];     /* chaining state */
    uint64_t total;    /* bytes hashed so far */
    uint8_t block[64]; /* pending partial block */
    size_t block_len;  /* bytes used in block */
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]);

void sha256_buf(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_LEN], char hex[SHA256_HEX_LEN + 1]);
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
