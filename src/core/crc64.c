/* crc64.c: table-driven CRC-64/Jones, eight bytes per step (slice-by-8).
 *
 * A reflected CRC processes each byte least-significant bit first, so the
 * register shifts right and the polynomial is used bit-reversed
 * (0x95ac9329ac4bc9b5 for 0xad93d23594c935a9). table[0][b] is the effect of
 * feeding byte b into a zero register; table[k][b] is the effect of byte b
 * followed by k zero bytes. Xoring the next eight input bytes into the
 * register and combining eight lookups (one per register byte, each with
 * the right number of trailing zero bytes) advances the CRC by eight bytes
 * at once; leftovers go one byte at a time through table[0].
 *
 * The tables are the only state: written once under pthread_once, read-only
 * afterwards, so crc64() is safe from any thread (main, BGSAVE child, bio).
 * Byte order of the host does not matter: input words are assembled from
 * bytes explicitly (compilers turn that into a single load). */
#include "crc64.h"

#include <pthread.h>

#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t crc_table[8][256];
static pthread_once_t crc_table_once = PTHREAD_ONCE_INIT;

/* Effect of one byte on a zero register, computed bit by bit. */
static uint64_t crc_of_byte(uint8_t b) {
    uint64_t crc = b;
    for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ CRC64_POLY_REFLECTED : crc >> 1;
    return crc;
}

static void build_tables(void) {
    for (int b = 0; b < 256; b++) crc_table[0][b] = crc_of_byte((uint8_t)b);
    for (int k = 1; k < 8; k++)
        for (int b = 0; b < 256; b++) {
            uint64_t prev = crc_table[k - 1][b];
            crc_table[k][b] = (prev >> 8) ^ crc_table[0][prev & 0xff];
        }
}

void crc64_init(void) { pthread_once(&crc_table_once, build_tables); }

static uint64_t load_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint64_t crc_bytes(uint64_t crc, const uint8_t *p, size_t len) {
    while (len--) crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

/* Advances the CRC over eight bytes: register byte i (counting from the
 * low end) still has 7 - i further bytes to travel through. */
static uint64_t crc_word(uint64_t crc, const uint8_t *p) {
    uint64_t x = crc ^ load_le64(p);
    return crc_table[7][x & 0xff] ^ crc_table[6][(x >> 8) & 0xff] ^ crc_table[5][(x >> 16) & 0xff] ^
           crc_table[4][(x >> 24) & 0xff] ^ crc_table[3][(x >> 32) & 0xff] ^ crc_table[2][(x >> 40) & 0xff] ^
           crc_table[1][(x >> 48) & 0xff] ^ crc_table[0][x >> 56];
}

uint64_t crc64(uint64_t crc, const void *buf, size_t len) {
    const uint8_t *p = buf;
    crc64_init();
    while (len >= 8) {
        crc = crc_word(crc, p);
        p += 8;
        len -= 8;
    }
    return crc_bytes(crc, p, len);
}
