/* config.h: configuration directives. One table (config.c) names every
 * directive Stash implements with its type, bounds, default and where it
 * lives in the server struct; that table drives redis.conf parsing,
 * command-line --directive overrides, CONFIG GET/SET/REWRITE and the
 * defaults. The other Redis 7.2 directives are validated and their values
 * kept for CONFIG GET/REWRITE, without effect. */
#ifndef STASH_CONFIG_H
#define STASH_CONFIG_H

#include <stdio.h>

#include "core/sds.h"

struct server;

/* Fills every directive with its default. */
void config_set_defaults(struct server *srv);
/* Parses config text (file contents followed by command-line options).
 * On error prints Redis's FATAL CONFIG FILE ERROR report and returns -1. */
int config_load_string(struct server *srv, const char *text, const char *filename);
/* Loads a file (and its includes) plus extra options text. */
int config_load(struct server *srv, const char *filename, const char *options);
/* CONFIG SET name value [name value ...] (pairs holds 2*npairs strings):
 * all or nothing. Returns 0, or -1 with *err (sds) the error reply text. */
int config_set_pairs(struct server *srv, sds *pairs, int npairs, sds *err);
/* One directive from argument words (joined with spaces), as CONFIG SET. */
int config_set(struct server *srv, const char *name, sds *argv, int argc, sds *err);
/* Value of one directive as CONFIG GET prints it; NULL if unknown. */
sds config_get(struct server *srv, const char *name);
/* CONFIG GET: calls fn(name, value) once per directive matching any of the
 * patterns (globs, or exact names, which may name hidden directives). */
void config_get_many(struct server *srv, sds *patterns, int npatterns,
                     void (*fn)(void *ctx, const char *name, sds value), void *ctx);
/* CONFIG REWRITE. Returns 0, or -1 with *err set. */
int config_rewrite(struct server *srv, sds *err);
/* 1 for a Redis directive that Stash accepts without acting on it. */
int config_is_known_redis_directive(const char *name);
/* Writes the documented example configuration (defaults) to fp. */
void config_write_example(struct server *defaults, FILE *fp);

#endif
