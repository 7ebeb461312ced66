/* main.c: process entry. Parses the command line exactly as redis-server
 * does (`stash-server [configfile] [--directive value ...]`, `-` reads the
 * config from stdin, -v/--version, -h/--help), loads the configuration,
 * daemonizes if asked, writes the pidfile, installs signal handlers, opens
 * the listeners and runs the event loop. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/zmalloc.h"
#include "persist/aof.h"
#include "persist/snapshot.h"
#include "server/config.h"
#include "server/crash.h"
#include "server/server.h"

static void usage(void) {
    fprintf(stderr,
            "Usage: ./stash-server [/path/to/redis.conf] [options] [-]\n"
            "       ./stash-server - (read config from stdin)\n"
            "       ./stash-server -v or --version\n"
            "       ./stash-server -h or --help\n\n"
            "Examples:\n"
            "       ./stash-server (run the server with default conf)\n"
            "       ./stash-server /etc/redis/6379.conf\n"
            "       ./stash-server --port 7777\n"
            "       ./stash-server /etc/myredis.conf --loglevel verbose -\n");
    exit(1);
}

/* Turns "--port 7777 --save 900 1" into config text lines. */
static sds options_from_argv(int argc, char **argv, int start, int *read_stdin) {
    sds options = sdsempty();
    for (int j = start; j < argc; j++) {
        if (!strcmp(argv[j], "-") && j == argc - 1) {
            *read_stdin = 1;
            continue;
        }
        if (argv[j][0] == '-' && argv[j][1] == '-' && argv[j][2]) {
            if (sdslen(options)) options = sdscat(options, "\n");
            options = sdscat(options, argv[j] + 2);
            options = sdscat(options, " ");
        } else {
            options = sdscatrepr(options, argv[j], strlen(argv[j]));
            options = sdscat(options, " ");
        }
    }
    return options;
}

static void write_pidfile(server *srv) {
    if (!srv->pidfile || !srv->pidfile[0]) return;
    FILE *fp = fopen(srv->pidfile, "w");
    if (fp) {
        fprintf(fp, "%d\n", (int)getpid());
        fclose(fp);
    } else {
        LOG(srv, LL_WARNING, "Failed to write PID file: %s", strerror(errno));
    }
}

static void daemonize(void) {
    if (fork() != 0) exit(0);
    setsid();
    int fd = open("/dev/null", O_RDWR, 0);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

/* The start-up banner (always-show-logo yes, or a terminal on stdout with
 * no log file), else the one-line summary Redis logs instead. Tools wait
 * for its " PID: " line, as they do with Redis's logo. */
static void print_logo(server *srv) {
    if (!srv->always_show_logo && !(isatty(STDOUT_FILENO) && (!srv->logfile || !srv->logfile[0]))) {
        LOG(srv, LL_NOTICE, "Running mode=standalone, port=%d.", srv->port);
        return;
    }
    sds logo = sdscatprintf(sdsempty(),
                            "\n"
                            "      _____ _            _\n"
                            "     / ____| |          | |        Stash %s (Redis %s compatible) %d bit\n"
                            "    | (___ | |_ __ _ ___| |__\n"
                            "     \\___ \\| __/ _` / __| '_ \\     Running in standalone mode\n"
                            "     ____) | || (_| \\__ \\ | | |    Port: %d\n"
                            "    |_____/ \\__\\__,_|___/_| |_|    PID: %ld\n\n",
                            STASH_VERSION, REDIS_COMPAT_VERSION, srv->arch_bits, srv->port, (long)srv->pid);
    server_log_raw(srv, LL_NOTICE | 0x400, logo); /* raw: no timestamp prefix */
    sdsfree(logo);
}

int main(int argc, char **argv) {
    static server srv;
    if (argc >= 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
        printf("Stash server v=%s (Redis %s compatible) malloc=%s bits=%d\n", STASH_VERSION, REDIS_COMPAT_VERSION,
               zmalloc_lib_name(), (int)sizeof(long) * 8);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) usage();
    config_set_defaults(&srv);
    if (argc == 2 && !strcmp(argv[1], "--dump-config-example")) {
        config_write_example(&srv, stdout);
        return 0;
    }
    srv.executable = sdsnew(argv[0]);
    srv.exec_argv = argv;
    srv.pid = getpid();
    int j = 1, read_stdin = 0;
    const char *configfile = NULL;
    if (argc >= 2 && argv[1][0] != '-') {
        configfile = argv[1];
        j = 2;
    } else if (argc >= 2 && !strcmp(argv[1], "-")) {
        read_stdin = 1;
        j = 2;
    }
    sds options = options_from_argv(argc, argv, j, &read_stdin);
    if (configfile) {
        char *abs = realpath(configfile, NULL);
        srv.configfile = sdsnew(abs ? abs : configfile);
        free(abs);
    }
    if (config_load(&srv, configfile, options) == -1) exit(1);
    if (read_stdin && config_load(&srv, "-", NULL) == -1) exit(1);
    sdsfree(options);
    if (srv.daemonize) daemonize();
    srv.pid = getpid();
    LOG(&srv, LL_NOTICE, "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
    LOG(&srv, LL_NOTICE, "Redis version=%s, bits=%d, commit=00000000, modified=0, pid=%d, just started",
        REDIS_COMPAT_VERSION, (int)sizeof(long) * 8, (int)srv.pid);
    if (!configfile)
        LOG(&srv, LL_WARNING, "Warning: no config file specified, using the default config. In order to specify a "
                              "config file use %s /path/to/redis.conf", argv[0]);
    else
        LOG(&srv, LL_NOTICE, "Configuration loaded");
    if (server_init(&srv) == -1) exit(1);
    srv.used_memory_startup = zmalloc_used_memory();
    print_logo(&srv);
    LOG(&srv, LL_NOTICE, "Server initialized");
    crash_install_handlers(&srv);
    /* Listening first: clients that come while the data loads get -LOADING. */
    if (server_listen(&srv) == -1) exit(1);
    if (!srv.appendonly) snapshot_load_at_startup(&srv);
    aof_init(&srv); /* with appendonly yes the dataset comes from the AOF */
    write_pidfile(&srv);
    LOG(&srv, LL_NOTICE, "Ready to accept connections tcp");
    server_run(&srv);
    return 0;
}
