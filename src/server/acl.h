/* acl.h: users and what they may run. Each user has an on/off switch,
 * SHA-256 password hashes (or nopass), a bitmap of allowed commands (and
 * subcommands) built from +cmd/-cmd/+@category rules, key patterns with
 * read/write flags (~, %R~, %W~) and channel patterns (&). The "default"
 * user starts as "on nopass ~* &* +@all"; requirepass sets its password.
 * The dispatcher asks acl_check before running a command; denials are
 * recorded in the ACL LOG. Selectors (7.2's (...) syntax) are not
 * supported yet and are refused by ACL SETUSER. */
#ifndef STASH_ACL_H
#define STASH_ACL_H

#include "core/sds.h"

struct server;
struct client;
struct commandDef;

#define ACL_OK 0
#define ACL_DENIED_CMD 1
#define ACL_DENIED_KEY 2
#define ACL_DENIED_CHANNEL 3
#define ACL_DENIED_AUTH 4

void acl_init(struct server *srv);
/* Applies space-separated rules to a user (created if missing). */
int acl_setuser(struct server *srv, const char *name, sds *rules, int nrules, sds *err);
/* 1 if user/pass authenticate (user enabled, password matches or nopass). */
int acl_authenticate(struct server *srv, const char *user, const sds pass);
/* requirepass: the default user's only password (NULL/"" = nopass). */
void acl_set_default_password(struct server *srv, const sds pass);
int acl_default_needs_auth(struct server *srv);
/* Checks c running cmd with argv; on denial fills *errpos with the denied
 * argument index (key/channel) and returns the reason. */
int acl_check(struct client *c, struct commandDef *cmd, sds *argv, int argc, int *errpos);
/* Replies the NOPERM error for a denial and logs it. */
void acl_reply_denied(struct client *c, struct commandDef *cmd, int reason, int errpos);
void acl_log_auth_failure(struct client *c, const char *user);
/* For the ACL command. */
sds acl_describe(struct server *srv, const char *name);  /* "user x on ..." or NULL */
sds *acl_user_names(struct server *srv, long *n);         /* sorted, borrowed names; zfree the array */
int acl_deluser(struct server *srv, const char *name);
void acl_reply_getuser(struct client *c, const char *name);
void acl_reply_log(struct client *c, long count);
void acl_log_reset(struct server *srv);
int acl_dryrun(struct client *c, const char *user, sds *argv, int argc, sds *why);

#endif
