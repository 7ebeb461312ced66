/* digest.c: DEBUG DIGEST and DEBUG DIGEST-VALUE. A dataset digest that
 * does not depend on the order keys, set members or hash fields happen to
 * sit in, so a master and its replicas (or a server before and after a
 * restart) can be compared with one command. The mixing follows Redis's
 * debug.c (xor of SHA1s for unordered collections, a SHA1 feedback chain
 * for ordered ones), so equal datasets give equal digests in Stash and in
 * Redis too. */
#include "digest.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/sha1.h"
#include "core/util.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/zset.h"

/* digest ^= SHA1(p) */
static void xor_digest(uint8_t *digest, const void *p, size_t len) {
    uint8_t h[SHA1_DIGEST_LEN];
    sha1_buf(p, len, h);
    for (int j = 0; j < SHA1_DIGEST_LEN; j++) digest[j] ^= h[j];
}

/* digest = SHA1(digest ^ SHA1(p)): order matters */
static void mix_digest(uint8_t *digest, const void *p, size_t len) {
    xor_digest(digest, p, len);
    sha1_buf(digest, SHA1_DIGEST_LEN, digest);
}

static void digest_string(uint8_t *digest, const kvobj *o) {
    char buf[24];
    size_t len;
    const char *p = kv_string_bytes(o, buf, &len);
    mix_digest(digest, p, len);
}

static void digest_list(uint8_t *digest, kvobj *o) {
    list *l = list_of(o);
    for (long i = 0; i < list_len(l); i++) {
        sds e = list_index(l, i);
        mix_digest(digest, e, sdslen(e));
    }
}

static void digest_set(uint8_t *digest, kvobj *o) {
    setIter it;
    elem e;
    set_iter_init(&it, o);
    while (set_iter_next(&it, &e)) xor_digest(digest, e.s, e.len);
    set_iter_release(&it);
}

/* One member/score pair, xor-ed in. */
static void digest_pair(uint8_t *digest, const char *a, size_t alen, const char *b, size_t blen) {
    uint8_t ele[SHA1_DIGEST_LEN] = {0};
    mix_digest(ele, a, alen);
    mix_digest(ele, b, blen);
    xor_digest(digest, ele, SHA1_DIGEST_LEN);
}

static void digest_zset(uint8_t *digest, kvobj *o) {
    char buf[128];
    zsetPos pos;
    elem m;
    double score;
    for (int more = zset_seek_rank(o, 0, 0, &pos); more; more = zset_step(o, &pos, 0)) {
        zset_read(o, &pos, &m, &score);
        int len = d2string(buf, sizeof(buf), score);
        digest_pair(digest, m.s, m.len, buf, (size_t)len);
    }
}

static void digest_hash(uint8_t *digest, kvobj *o) {
    hashIter it;
    elem f, v;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it, &f, &v)) digest_pair(digest, f.s, f.len, v.s, v.len);
    hash_iter_release(&it);
}

void digest_object(uint8_t *digest, kvobj *o) {
    uint32_t type = htonl(o->type);
    mix_digest(digest, &type, sizeof(type));
    switch (o->type) {
    case OBJ_STRING: digest_string(digest, o); break;
    case OBJ_LIST: digest_list(digest, o); break;
    case OBJ_SET: digest_set(digest, o); break;
    case OBJ_ZSET: digest_zset(digest, o); break;
    case OBJ_HASH: digest_hash(digest, o); break;
    }
    if (kv_expire(o) != -1) xor_digest(digest, "!!expire!!", 10);
}

void digest_dataset(db *dbs, int dbnum, uint8_t *final) {
    memset(final, 0, SHA1_DIGEST_LEN);
    for (int j = 0; j < dbnum; j++) {
        db *d = &dbs[j];
        if (dict_size(d->keys) == 0) continue;
        uint32_t id = htonl((uint32_t)j);
        mix_digest(final, &id, sizeof(id));
        dictIterator it;
        dict_iter_init(&it, d->keys, 1);
        kvobj *o;
        while ((o = dict_iter_next(&it))) {
            uint8_t kd[SHA1_DIGEST_LEN] = {0};
            sds key = kv_key(o);
            mix_digest(kd, key, sdslen(key));
            digest_object(kd, o);
            xor_digest(final, kd, SHA1_DIGEST_LEN);
        }
        dict_iter_release(&it);
    }
}
