/* latency.h: the latency monitor (LATENCY LATEST/HISTORY/RESET/GRAPH/
 * DOCTOR) and per-command latency histograms (LATENCY HISTOGRAM, INFO
 * latencystats). See latency.c. */
#ifndef STASH_LATENCY_H
#define STASH_LATENCY_H

#include "core/sds.h"
#include "proto/reply.h"

struct server;
struct commandDef;
typedef struct latencyHist latencyHist;

/* Records an event sample when ms reaches latency-monitor-threshold. */
void latency_add_sample(struct server *srv, const char *event, long long ms);
void latency_reply_latest(struct server *srv, replyBuf *rb);
void latency_reply_history(struct server *srv, replyBuf *rb, const char *event);
long latency_reset(struct server *srv, sds *names, int n); /* n == 0: all */
sds latency_graph(struct server *srv, const char *event);  /* NULL if no such event */
sds latency_doctor(struct server *srv);

/* Per-command histograms (latency-tracking yes). */
void latency_record_command(struct server *srv, struct commandDef *cmd, long long ns);
void latency_reset_histogram(struct commandDef *cmd);
sds latency_percentiles_line(sds s, const char *cmdname, const latencyHist *h);
/* One "name => {calls, histogram_usec}" map entry (key and value). */
void latency_reply_histogram(replyBuf *rb, const char *name, const latencyHist *h);

#endif
