/* config.h: configuration directives. One table (config.c) names every
 * directive Stash implements with its type, bounds, default and where it
 * lives in the server struct; that table drives redis.conf parsing,
 * command-line --directive overrides, CONFIG GET/SET/REWRITE and the
 * defaults. Redis directives Stash does not implement yet are accepted
 * with a warning and their value kept for CONFIG GET. */
#ifndef STASH_CONFIG_H
#define STASH_CONFIG_H

#include "core/sds.h"

struct server;

/* Fills every directive with its default. */
void config_set_defaults(struct server *srv);
/* Parses config text (file contents followed by command-line options).
 * On error prints Redis's FATAL CONFIG FILE ERROR report and returns -1. */
int config_load_string(struct server *srv, const char *text, const char *filename);
/* Loads a file (and its includes) plus extra options text. */
int config_load(struct server *srv, const char *filename, const char *options);
/* Sets one directive from strings, as CONFIG SET does for one pair.
 * Returns 0 or -1 with *err set to a static or sds-allocated message. */
int config_set(struct server *srv, const char *name, sds *argv, int argc, sds *err);
/* Value of one directive as CONFIG GET prints it; NULL if unknown. */
sds config_get(struct server *srv, const char *name);
/* Calls fn(name, value) for each directive matching the glob pattern. */
void config_get_matching(struct server *srv, const char *pattern, void (*fn)(void *ctx, const char *name, sds value),
                         void *ctx);
int config_rewrite(struct server *srv, sds *err);
int config_is_known_redis_directive(const char *name);
/* Writes the documented example configuration (defaults) to fp. */
#include <stdio.h>
void config_write_example(struct server *defaults, FILE *fp);

#endif
