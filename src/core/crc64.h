/* crc64.h: the CRC-64 that guards RDB files and DUMP/RESTORE payloads.
 *
 * Parameters (the "Jones" CRC-64 Redis uses): polynomial 0xad93d23594c935a9,
 * input and output reflected, initial value 0, no final xor. Check value:
 * crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca. Because there is neither
 * an initial nor a final xor, a CRC can be continued: crc64(crc64(0, a), b)
 * equals the CRC of a followed by b, which is how the RDB writer and
 * reader checksum a file chunk by chunk. Callers: persist/ (RDB, DUMP). */
#ifndef STASH_CRC64_H
#define STASH_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Builds the lookup tables. Optional (crc64 builds them on first use) and
 * idempotent; the server calls it at startup so no request pays for it. */
void crc64_init(void);

/* Continues `crc` over len bytes of buf and returns the new value; start
 * with crc = 0. */
uint64_t crc64(uint64_t crc, const void *buf, size_t len);

#endif
