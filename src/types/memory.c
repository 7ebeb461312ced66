/* memory.c: how many bytes a key and its value take (MEMORY USAGE). Small
 * encodings (listpack, intset) are one allocation and are measured
 * exactly; hash tables are measured by their bucket array plus the average
 * entry of a sample times the entry count, as Redis's objectComputeSize
 * estimates them (samples 0 means every entry). */
#include "memory.h"

#include "core/dict.h"
#include "core/zmalloc.h"
#include "types/list.h"
#include "types/zset.h"

static size_t sds_bytes(const sds s) { return zmalloc_size(sdsAllocPtr(s)); }

/* Sampled size of a dict whose entries are (entry_size + key sds [+ value sds]). */
static size_t dict_bytes(dict *d, size_t samples, int has_sds_value) {
    size_t total = sizeof(dict) + (size_t)dict_buckets(d) * sizeof(void *);
    uint64_t n = dict_size(d);
    if (!n) return total;
    size_t seen = 0, bytes = 0;
    dictIterator it;
    dict_iter_init(&it, d, 0);
    void *e;
    while ((e = dict_iter_next(&it)) && (samples == 0 || seen < samples)) {
        const dictKV *kv = e; /* dictKey is a prefix of dictKV */
        bytes += zmalloc_size(e) + sds_bytes(kv->key);
        if (has_sds_value) bytes += sds_bytes(kv->v.val);
        seen++;
    }
    dict_iter_release(&it);
    return total + (size_t)((double)bytes / (double)seen * (double)n);
}

static size_t list_bytes(list *l, size_t samples) {
    size_t total = zmalloc_size(l) + (l->items ? zmalloc_size(l->items) : 0);
    if (!l->len) return total;
    long take = samples == 0 || (long)samples > l->len ? l->len : (long)samples;
    size_t bytes = 0;
    for (long i = 0; i < take; i++) bytes += sds_bytes(list_index(l, i));
    return total + (size_t)((double)bytes / (double)take * (double)l->len);
}

static size_t value_bytes(const kvobj *o, size_t samples) {
    if (o->encoding == OBJ_ENC_LISTPACK || o->encoding == OBJ_ENC_INTSET) return zmalloc_size(o->ptr);
    switch (o->type) {
    case OBJ_STRING: return o->encoding == OBJ_ENC_RAW ? sds_bytes(o->ptr) : 0; /* others live in the object */
    case OBJ_LIST: return list_bytes(o->ptr, samples);
    case OBJ_SET: return dict_bytes(o->ptr, samples, 0);
    case OBJ_HASH: return dict_bytes(o->ptr, samples, 1);
    case OBJ_ZSET: return zset_memory(o);
    default: return 0;
    }
}

size_t kv_memory_usage(const kvobj *o, size_t samples) {
    /* The object holds key, expire and short values; add its table slot. */
    return zmalloc_size(o) + sizeof(void *) + value_bytes(o, samples);
}
