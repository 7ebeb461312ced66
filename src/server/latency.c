/* latency.c: the latency monitor and per-command latency histograms.
 *
 * Monitor: named events ("command", "fast-command", "expire-cycle", ...)
 * each keep the last 160 samples at or above latency-monitor-threshold
 * (one per second at most: a second sample in the same second keeps the
 * larger value), plus the all-time maximum.
 *
 * Histograms: log-linear buckets over nanoseconds, 16 sub-buckets per
 * power of two (about 6% resolution), so percentiles for INFO latencystats
 * come out within a few percent and the power-of-two cumulative counts of
 * LATENCY HISTOGRAM are exact. */
#include "latency.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "commands/command.h"
#include "core/dict.h"
#include "core/zmalloc.h"
#include "server/server.h"

#define LATENCY_TS_LEN 160
#define SUB_BITS 4
#define SUBS (1 << SUB_BITS)
#define MAX_EXP 44 /* 2^44 ns: about 4.9 hours */
#define NBUCKETS ((MAX_EXP + 1) * SUBS)

struct latencyHist {
    unsigned long long count;
    unsigned long long buckets[NBUCKETS];
};

typedef struct latencySample {
    long long time; /* unix seconds */
    long long latency_ms;
} latencySample;

typedef struct latencyEvent {
    dictLink link;
    sds name;
    int idx;
    long long max;
    latencySample samples[LATENCY_TS_LEN];
} latencyEvent;

static const void *ev_key(const void *e) { return ((const latencyEvent *)e)->name; }
static void ev_free(void *e) {
    sdsfree(((latencyEvent *)e)->name);
    zfree(e);
}
static const dictType event_type = {dict_sds_hash, dict_sds_equal, ev_key, ev_free, 0};

static dict *events(server *srv) {
    if (!srv->latency) srv->latency = dict_create(&event_type);
    return srv->latency;
}

void latency_add_sample(server *srv, const char *event, long long ms) {
    if (srv->latency_monitor_threshold <= 0 || ms < srv->latency_monitor_threshold) return;
    sds name = sdsnew(event);
    latencyEvent *ev = dict_find(events(srv), name);
    if (!ev) {
        ev = zcalloc(sizeof(*ev));
        ev->name = name;
        dict_add_new(events(srv), ev);
    } else {
        sdsfree(name);
    }
    long long now = time(NULL);
    int prev = (ev->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (ev->samples[prev].time == now) {
        if (ms > ev->samples[prev].latency_ms) ev->samples[prev].latency_ms = ms;
    } else {
        ev->samples[ev->idx] = (latencySample){now, ms};
        ev->idx = (ev->idx + 1) % LATENCY_TS_LEN;
    }
    if (ms > ev->max) ev->max = ms;
}

static latencyEvent *find_event(server *srv, const char *name) {
    sds key = sdsnew(name);
    latencyEvent *ev = dict_find(events(srv), key);
    sdsfree(key);
    return ev;
}

/* Samples oldest first. */
static int event_samples(const latencyEvent *ev, latencySample *out) {
    int n = 0;
    for (int j = 0; j < LATENCY_TS_LEN; j++) {
        const latencySample *s = &ev->samples[(ev->idx + j) % LATENCY_TS_LEN];
        if (s->time) out[n++] = *s;
    }
    return n;
}

void latency_reply_latest(server *srv, replyBuf *rb) {
    dict *d = events(srv);
    reply_array(rb, (long)dict_size(d));
    dictIterator it;
    dict_iter_init(&it, d, 0);
    latencyEvent *ev;
    while ((ev = dict_iter_next(&it))) {
        int last = (ev->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
        reply_array(rb, 4);
        reply_bulk_sds(rb, ev->name);
        reply_long(rb, ev->samples[last].time);
        reply_long(rb, ev->samples[last].latency_ms);
        reply_long(rb, ev->max);
    }
    dict_iter_release(&it);
}

void latency_reply_history(server *srv, replyBuf *rb, const char *event) {
    latencyEvent *ev = find_event(srv, event);
    if (!ev) {
        reply_empty_array(rb);
        return;
    }
    latencySample s[LATENCY_TS_LEN];
    int n = event_samples(ev, s);
    reply_array(rb, n);
    for (int j = 0; j < n; j++) {
        reply_array(rb, 2);
        reply_long(rb, s[j].time);
        reply_long(rb, s[j].latency_ms);
    }
}

long latency_reset(server *srv, sds *names, int n) {
    dict *d = events(srv);
    long count = 0;
    if (n == 0) {
        count = (long)dict_size(d);
        dict_empty(d, NULL);
        return count;
    }
    for (int j = 0; j < n; j++) {
        latencyEvent *ev = dict_unlink(d, names[j]);
        if (ev) {
            ev_free(ev);
            count++;
        }
    }
    return count;
}

/* LATENCY GRAPH: one column per sample, scaled between min and max. */
sds latency_graph(server *srv, const char *event) {
    latencyEvent *ev = find_event(srv, event);
    if (!ev) return NULL;
    latencySample s[LATENCY_TS_LEN];
    int n = event_samples(ev, s);
    long long lo = -1, hi = 0;
    for (int j = 0; j < n; j++) {
        if (lo == -1 || s[j].latency_ms < lo) lo = s[j].latency_ms;
        if (s[j].latency_ms > hi) hi = s[j].latency_ms;
    }
    sds g = sdscatprintf(sdsempty(), "%s - high %lld ms, low %lld ms (all time high %lld ms)\n", event, hi,
                         lo < 0 ? 0 : lo, ev->max);
    for (int j = 0; j < 80; j++) g = sdscatlen(g, "-", 1);
    g = sdscat(g, "\n");
    const int rows = 4;
    for (int r = rows; r >= 1; r--) {
        for (int j = 0; j < n; j++) {
            long long span = hi - lo;
            int h = span ? (int)((s[j].latency_ms - lo) * rows / span) : rows;
            if (h < 1) h = 1;
            g = sdscatlen(g, h >= r ? (h == r ? "_" : "|") : " ", 1);
        }
        g = sdscat(g, "\n");
    }
    long long now = time(NULL);
    for (int j = 0; j < n; j++) {
        long long age = now - s[j].time;
        char c = age < 60 ? 's' : age < 3600 ? 'm' : 'h';
        g = sdscatlen(g, &c, 1);
    }
    return sdscat(g, "\n");
}

/* LATENCY DOCTOR: a plain-language summary of the recorded events. */
sds latency_doctor(server *srv) {
    dict *d = events(srv);
    if (dict_size(d) == 0)
        return sdsnew("Dave, no latency spike was observed during the lifetime of this Redis instance, not in "
                      "the slightest bit. I honestly think you ought to sleep tonight.\n");
    sds s = sdsnew("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about "
                   "it, do you Dave?\n\n");
    dictIterator it;
    dict_iter_init(&it, d, 0);
    latencyEvent *ev;
    int i = 1;
    while ((ev = dict_iter_next(&it))) {
        latencySample smp[LATENCY_TS_LEN];
        int n = event_samples(ev, smp);
        long long sum = 0;
        for (int j = 0; j < n; j++) sum += smp[j].latency_ms;
        s = sdscatprintf(s, "%d. %s: %d latency spikes (average %lldms, mean deviation n/a, period n/a). "
                            "Worst all time event %lldms.\n",
                         i++, ev->name, n, n ? sum / n : 0, ev->max);
    }
    dict_iter_release(&it);
    return sdscatprintf(s, "\nThe latency monitor threshold is %lld milliseconds.\n",
                        srv->latency_monitor_threshold);
}

/* ---- histograms */

static int bucket_of(unsigned long long ns) {
    if (ns < SUBS) return (int)ns;
    int e = 63 - __builtin_clzll(ns);
    if (e > MAX_EXP) return NBUCKETS - 1;
    int sub = (int)((ns >> (e - SUB_BITS)) & (SUBS - 1));
    return (e - SUB_BITS + 1) * SUBS + sub;
}

/* Smallest and one past the largest ns value of a bucket. */
static void bucket_range(int b, unsigned long long *lo, unsigned long long *hi) {
    if (b < SUBS) {
        *lo = (unsigned long long)b;
        *hi = *lo + 1;
        return;
    }
    int e = b / SUBS + SUB_BITS - 1, sub = b % SUBS;
    unsigned long long width = 1ULL << (e - SUB_BITS);
    *lo = (1ULL << e) + (unsigned long long)sub * width;
    *hi = *lo + width;
}

void latency_record_command(server *srv, commandDef *cmd, long long ns) {
    if (!srv->latency_tracking_enabled) return;
    if (!cmd->latency_hist) cmd->latency_hist = zcalloc(sizeof(struct latencyHist));
    if (ns < 1) ns = 1;
    cmd->latency_hist->buckets[bucket_of((unsigned long long)ns)]++;
    cmd->latency_hist->count++;
}

void latency_reset_histogram(commandDef *cmd) {
    zfree(cmd->latency_hist);
    cmd->latency_hist = NULL;
}

/* The value (ns) at percentile p: the middle of the bucket holding it. */
static double percentile_ns(const latencyHist *h, double p) {
    unsigned long long want = (unsigned long long)((p / 100.0) * (double)h->count + 0.5), seen = 0;
    if (want < 1) want = 1;
    for (int b = 0; b < NBUCKETS; b++) {
        seen += h->buckets[b];
        if (seen >= want) {
            unsigned long long lo, hi;
            bucket_range(b, &lo, &hi);
            return (double)(hi - 1);
        }
    }
    return 0;
}

sds latency_percentiles_line(sds s, const char *cmdname, const latencyHist *h) {
    if (!h->count) return s;
    static const double pcts[] = {50, 99, 99.9};
    static const char *names[] = {"p50", "p99", "p99.9"};
    s = sdscatprintf(s, "latency_percentiles_usec_%s:", cmdname);
    for (int j = 0; j < 3; j++)
        s = sdscatprintf(s, "%s%s=%.3f", j ? "," : "", names[j], percentile_ns(h, pcts[j]) / 1000.0);
    return sdscat(s, "\r\n");
}

/* LATENCY HISTOGRAM entry: calls and cumulative counts at power-of-two
 * microsecond bounds (1024 ns * 2^i), listed where the count grows. */
void latency_reply_histogram(replyBuf *rb, const char *name, const latencyHist *h) {
    reply_bulk_cstr(rb, name);
    reply_map(rb, 2);
    reply_bulk_cstr(rb, "calls");
    reply_long(rb, (long long)h->count);
    reply_bulk_cstr(rb, "histogram_usec");
    void *len = reply_defer(rb);
    long n = 0;
    unsigned long long cumulative = 0, previous = 0, bound = 1024;
    int b = 0;
    while (previous < h->count && bound) {
        for (; b < NBUCKETS; b++) {
            unsigned long long lo, hi;
            bucket_range(b, &lo, &hi);
            if (lo >= bound) break;
            cumulative += h->buckets[b];
        }
        if (cumulative > previous) {
            reply_long(rb, (long long)(bound / 1000));
            reply_long(rb, (long long)cumulative);
            n++;
        }
        previous = cumulative;
        bound <<= 1;
    }
    reply_set_map(rb, len, n);
}
