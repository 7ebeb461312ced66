/* anet.c: implementation of anet.h. Listening sockets are always
 * non-blocking with SO_REUSEADDR (and IPV6_V6ONLY for "::" binds, as Redis
 * does, so "0.0.0.0" and "::" can be bound side by side). */
#include "anet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void set_err(char *err, const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ANET_ERR_LEN, fmt, ap);
    va_end(ap);
}

static int set_block(char *err, int fd, int nonblock) {
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1) {
        set_err(err, "fcntl(F_GETFL): %s", strerror(errno));
        return -1;
    }
    int nf = nonblock ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    if (nf != flags && fcntl(fd, F_SETFL, nf) == -1) {
        set_err(err, "fcntl(F_SETFL): %s", strerror(errno));
        return -1;
    }
    return 0;
}
int anet_nonblock(char *err, int fd) { return set_block(err, fd, 1); }
int anet_block(char *err, int fd) { return set_block(err, fd, 0); }

int anet_cloexec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags == -1) return -1;
    return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

int anet_nodelay(char *err, int fd) {
    int yes = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes)) == -1) {
        set_err(err, "setsockopt TCP_NODELAY: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int anet_keepalive(char *err, int fd, int interval) {
    int yes = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes)) == -1) {
        set_err(err, "setsockopt SO_KEEPALIVE: %s", strerror(errno));
        return -1;
    }
    int idle = interval, intvl = interval / 3 ? interval / 3 : 1, cnt = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
    return 0;
}

int anet_tcp_listen(char *err, int port, const char *bindaddr, int backlog) {
    char portstr[8];
    struct addrinfo hints = {0}, *info, *p;
    int fd = -1, rv;
    snprintf(portstr, sizeof(portstr), "%d", port);
    hints.ai_family = (bindaddr && strchr(bindaddr, ':')) ? AF_INET6 : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if (bindaddr && !strcmp(bindaddr, "*")) bindaddr = NULL;
    if (bindaddr && !strcmp(bindaddr, "::*")) bindaddr = "::";
    if ((rv = getaddrinfo(bindaddr, portstr, &hints, &info)) != 0) {
        set_err(err, "%s", gai_strerror(rv));
        return -1;
    }
    for (p = info; p; p = p->ai_next) {
        if ((fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol)) == -1) continue;
        int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        if (p->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
        if (bind(fd, p->ai_addr, p->ai_addrlen) == -1 || listen(fd, backlog) == -1) {
            set_err(err, "%s", strerror(errno));
            close(fd);
            fd = -1;
            continue;
        }
        break;
    }
    if (!p && fd == -1 && err && !err[0]) set_err(err, "unable to bind socket");
    freeaddrinfo(info);
    if (fd != -1 && anet_nonblock(err, fd) == -1) {
        close(fd);
        return -1;
    }
    return fd;
}

int anet_unix_listen(char *err, const char *path, int perm, int backlog) {
    struct sockaddr_un sa = {0};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        set_err(err, "socket: %s", strerror(errno));
        return -1;
    }
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 || listen(fd, backlog) == -1) {
        set_err(err, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (perm) chmod(path, (mode_t)perm);
    anet_nonblock(err, fd);
    return fd;
}

static int accept_raw(char *err, int lfd, struct sockaddr *sa, socklen_t *len) {
    int fd;
    do {
        fd = accept4(lfd, sa, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd == -1 && errno == EINTR);
    if (fd == -1) set_err(err, "accept: %s", strerror(errno));
    return fd;
}

int anet_accept_tcp(char *err, int lfd, char *ip, size_t iplen, int *port) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    int fd = accept_raw(err, lfd, (struct sockaddr *)&sa, &salen);
    if (fd == -1) return -1;
    if (sa.ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&sa;
        if (ip) inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)iplen);
        if (port) *port = ntohs(s->sin_port);
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
        if (ip) inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)iplen);
        if (port) *port = ntohs(s->sin6_port);
    }
    return fd;
}

int anet_accept_unix(char *err, int lfd) {
    struct sockaddr_un sa;
    socklen_t salen = sizeof(sa);
    return accept_raw(err, lfd, (struct sockaddr *)&sa, &salen);
}

int anet_tcp_connect(char *err, const char *addr, int port, int nonblock) {
    char portstr[8];
    struct addrinfo hints = {0}, *info, *p;
    int fd = -1, rv;
    snprintf(portstr, sizeof(portstr), "%d", port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((rv = getaddrinfo(addr, portstr, &hints, &info)) != 0) {
        set_err(err, "%s", gai_strerror(rv));
        return -1;
    }
    for (p = info; p; p = p->ai_next) {
        if ((fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol)) == -1) continue;
        if (nonblock) anet_nonblock(err, fd);
        if (connect(fd, p->ai_addr, p->ai_addrlen) == -1 && !(nonblock && errno == EINPROGRESS)) {
            set_err(err, "connect: %s", strerror(errno));
            close(fd);
            fd = -1;
            continue;
        }
        break;
    }
    freeaddrinfo(info);
    return fd;
}

int anet_fd_to_string(int fd, char *ip, size_t iplen, int *port, int local) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    int rc = local ? getsockname(fd, (struct sockaddr *)&sa, &salen) : getpeername(fd, (struct sockaddr *)&sa, &salen);
    if (rc == -1) goto fail;
    if (sa.ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&sa;
        if (ip) inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)iplen);
        if (port) *port = ntohs(s->sin_port);
    } else if (sa.ss_family == AF_INET6) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
        if (ip) inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)iplen);
        if (port) *port = ntohs(s->sin6_port);
    } else if (sa.ss_family == AF_UNIX) {
        if (ip) snprintf(ip, iplen, "/unixsocket");
        if (port) *port = 0;
    } else {
        goto fail;
    }
    return 0;
fail:
    if (ip && iplen) snprintf(ip, iplen, "?");
    if (port) *port = 0;
    return -1;
}

int anet_format_addr(char *buf, size_t buflen, const char *ip, int port) {
    return snprintf(buf, buflen, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

int anet_is_loopback(const char *ip) {
    return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11) ||
           !strcmp(ip, "/unixsocket");
}
