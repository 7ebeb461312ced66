/* anet.h: thin socket helpers over the BSD API: listening (TCP v4/v6 and
 * unix sockets), accepting, and per-connection options. Errors come back
 * as -1 with a message written into `err` (ANET_ERR_LEN bytes). */
#ifndef STASH_ANET_H
#define STASH_ANET_H

#include <stddef.h>

#define ANET_ERR_LEN 256

int anet_tcp_listen(char *err, int port, const char *bindaddr, int backlog);
int anet_unix_listen(char *err, const char *path, int perm, int backlog);
int anet_accept_tcp(char *err, int lfd, char *ip, size_t iplen, int *port);
int anet_accept_unix(char *err, int lfd);
int anet_tcp_connect(char *err, const char *addr, int port, int nonblock);
int anet_nonblock(char *err, int fd);
int anet_block(char *err, int fd);
int anet_cloexec(int fd);
int anet_nodelay(char *err, int fd);
int anet_keepalive(char *err, int fd, int interval);
/* Formats "ip:port" (or "[ip]:port" for v6) of the peer / local end. */
int anet_fd_to_string(int fd, char *ip, size_t iplen, int *port, int local);
int anet_format_addr(char *buf, size_t buflen, const char *ip, int port);
int anet_is_loopback(const char *ip);

#endif
