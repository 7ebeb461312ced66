/* test_client.c: the CLIENT family: ID, SETNAME/GETNAME, SETINFO, INFO and
 * LIST (fields and their order, filters), KILL (old and new forms, every
 * filter, killing oneself), REPLY ON/OFF/SKIP, NO-EVICT, NO-TOUCH, PAUSE
 * and UNPAUSE (what is held back, resumption in arrival order, expiry
 * frozen during a pause), UNBLOCK, HELP and unknown subcommands. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/harness.h"

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long client_id(redisContext *c) {
    redisReply *r = cmd(c, "CLIENT ID");
    assert_int_equal(r->type, REDIS_REPLY_INTEGER);
    long long id = r->integer;
    freeReplyObject(r);
    return id;
}

/* The value of `field` in a CLIENT INFO/LIST line, copied into out. */
static const char *info_field(const char *line, const char *field, char *out, size_t cap) {
    char key[64];
    snprintf(key, sizeof(key), " %s=", field);
    const char *p = strncmp(line, key + 1, strlen(key) - 1) ? strstr(line, key) : line - 1;
    if (!p) fail_msg("no %s in '%s'", field, line);
    p += strlen(key);
    size_t n = strcspn(p, " \n");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static char *client_info(redisContext *c) {
    redisReply *r = cmd(c, "CLIENT INFO");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    char *s = strdup(r->str);
    freeReplyObject(r);
    return s;
}

/* Sends raw bytes on a fresh socket; used for clients whose replies are
 * observed byte by byte. */
static int raw_client(const char *first) {
    int fd = raw_connect(srv.port);
    assert_true(fd >= 0);
    if (first) raw_send(fd, first, strlen(first));
    return fd;
}

static void expect_raw(int fd, const char *want, int ms) {
    char buf[512];
    ssize_t n = raw_read(fd, buf, strlen(want), ms);
    buf[n < 0 ? 0 : n] = '\0';
    assert_string_equal(buf, want);
}

static void expect_nothing(int fd, int ms) {
    char buf[64];
    assert_int_equal(raw_read(fd, buf, 1, ms), 0);
}

static void test_id_is_unique_and_increasing(void **state) {
    redisContext *a = ts_connect(&srv), *b = ts_connect(&srv);
    long long ia = client_id(a), ib = client_id(b);
    assert_true(ia > 0);
    assert_true(ib > ia);
    assert_int_equal(client_id(a), ia);
    expect_error(cmd(a, "CLIENT ID extra"), "ERR wrong number of arguments for 'client|id' command");
    redisFree(a);
    redisFree(b);
}

static void test_setname_getname(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_nil(cmd(c, "CLIENT GETNAME"));
    OK(c, "CLIENT SETNAME worker-1");
    expect_bulk(cmd(c, "CLIENT GETNAME"), "worker-1");
    const char *bad[] = {"a b", "a\nb", "tab\there", "\x01", "caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(cmd(c, "CLIENT SETNAME %s", bad[i]),
                     "ERR Client names cannot contain spaces, newlines or special characters.");
    expect_bulk(cmd(c, "CLIENT GETNAME"), "worker-1");
    OK(c, "CLIENT SETNAME %s", ""); /* the empty name removes it */
    expect_nil(cmd(c, "CLIENT GETNAME"));
    expect_error(cmd(c, "CLIENT SETNAME"), "ERR wrong number of arguments for 'client|setname' command");
    redisFree(c);
}

static void test_setinfo(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CLIENT SETINFO lib-name hiredis");
    OK(c, "CLIENT SETINFO LIB-VER 0.14.1");
    char *info = client_info(c), v[64];
    assert_string_equal(info_field(info, "lib-name", v, sizeof(v)), "hiredis");
    assert_string_equal(info_field(info, "lib-ver", v, sizeof(v)), "0.14.1");
    free(info);
    expect_error(cmd(c, "CLIENT SETINFO lib-name %s", "has space"),
                 "ERR lib-name cannot contain spaces, newlines or special characters.");
    expect_error(cmd(c, "CLIENT SETINFO LIB-VER %s", "1\n2"),
                 "ERR LIB-VER cannot contain spaces, newlines or special characters.");
    expect_error(cmd(c, "CLIENT SETINFO lib-color red"), "ERR Unrecognized option 'lib-color'");
    OK(c, "CLIENT SETINFO lib-name %s", "");
    info = client_info(c);
    assert_non_null(strstr(info, " lib-name= lib-ver=0.14.1"));
    free(info);
    redisFree(c);
}

static void test_info_fields_in_redis_order(void **state) {
    static const char *fields[] = {"id",    "addr",  "laddr",     "fd",       "name",      "age",
                                   "idle",  "flags", "db",        "sub",      "psub",      "ssub",
                                   "multi", "qbuf",  "qbuf-free", "argv-mem", "multi-mem", "rbs",
                                   "rbp",   "obl",   "oll",       "omem",     "tot-mem",   "events",
                                   "cmd",   "user",  "redir",     "resp",     "lib-name",  "lib-ver"};
    redisContext *c = ts_connect(&srv);
    OK(c, "SELECT 2");
    OK(c, "CLIENT SETNAME inspector");
    char *info = client_info(c);
    size_t len = strlen(info);
    assert_true(len > 1 && info[len - 1] == '\n');
    const char *p = info;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        size_t klen = strlen(fields[i]);
        if (strncmp(p, fields[i], klen) || p[klen] != '=')
            fail_msg("field %zu: want %s at '%.30s'", i, fields[i], p);
        p += klen + 1 + strcspn(p + klen + 1, " \n");
        p += *p == ' ';
    }
    assert_int_equal(*p, '\n');
    char v[128];
    char id[32];
    snprintf(id, sizeof(id), "%lld", client_id(c));
    assert_string_equal(info_field(info, "id", v, sizeof(v)), id);
    assert_string_equal(info_field(info, "name", v, sizeof(v)), "inspector");
    assert_string_equal(info_field(info, "db", v, sizeof(v)), "2");
    assert_string_equal(info_field(info, "flags", v, sizeof(v)), "N");
    assert_string_equal(info_field(info, "multi", v, sizeof(v)), "-1");
    assert_string_equal(info_field(info, "cmd", v, sizeof(v)), "client|info");
    assert_string_equal(info_field(info, "user", v, sizeof(v)), "default");
    assert_string_equal(info_field(info, "resp", v, sizeof(v)), "2");
    assert_string_equal(info_field(info, "events", v, sizeof(v)), "r");
    assert_string_equal(info_field(info, "redir", v, sizeof(v)), "-1");
    assert_true(strncmp(info_field(info, "addr", v, sizeof(v)), "127.0.0.1:", 10) == 0);
    char laddr[64];
    snprintf(laddr, sizeof(laddr), "127.0.0.1:%d", srv.port);
    assert_string_equal(info_field(info, "laddr", v, sizeof(v)), laddr);
    free(info);
    redisFree(c);
}

/* The CLIENT LIST line of the client with this id, as seen by `from`. */
static char *list_line(redisContext *from, long long id) {
    redisReply *r = cmd(from, "CLIENT LIST ID %lld", id);
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    char *s = strdup(r->str);
    freeReplyObject(r);
    return s;
}

static void test_list_shows_flags_of_other_clients(void **state) {
    redisContext *obs = ts_connect(&srv), *c = ts_connect(&srv);
    long long id = client_id(c);
    OK(c, "MULTI");
    expect_status(cmd(c, "SET a 1"), "QUEUED");
    expect_status(cmd(c, "SET b 2"), "QUEUED");
    char *line = list_line(obs, id), v[64];
    assert_string_equal(info_field(line, "flags", v, sizeof(v)), "x");
    assert_string_equal(info_field(line, "multi", v, sizeof(v)), "2");
    free(line);
    redisReply *r = cmd(c, "EXEC");
    freeReplyObject(r);
    OK(c, "CLIENT NO-EVICT on");
    OK(c, "CLIENT NO-TOUCH on");
    line = list_line(obs, id);
    assert_string_equal(info_field(line, "flags", v, sizeof(v)), "eT");
    assert_string_equal(info_field(line, "cmd", v, sizeof(v)), "client|no-touch");
    free(line);
    OK(c, "CLIENT NO-EVICT off");
    OK(c, "CLIENT NO-TOUCH OFF");
    line = list_line(obs, id);
    assert_string_equal(info_field(line, "flags", v, sizeof(v)), "N");
    free(line);
    expect_error(cmd(c, "CLIENT NO-EVICT maybe"), "ERR syntax error");
    expect_error(cmd(c, "CLIENT NO-TOUCH maybe"), "ERR syntax error");
    expect_error(cmd(c, "CLIENT NO-TOUCH"), "ERR wrong number of arguments for 'client|no-touch' command");
    redisFree(c);
    redisFree(obs);
}

static void test_list_filters(void **state) {
    redisContext *a = ts_connect(&srv), *b = ts_connect(&srv);
    long long ia = client_id(a), ib = client_id(b);
    redisReply *r = cmd(a, "CLIENT LIST");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    char ida[32], idb[32];
    snprintf(ida, sizeof(ida), "id=%lld ", ia);
    snprintf(idb, sizeof(idb), "id=%lld ", ib);
    const char *pa = strstr(r->str, ida), *pb = strstr(r->str, idb);
    assert_non_null(pa);
    assert_non_null(pb);
    assert_true(pa < pb); /* oldest first */
    freeReplyObject(r);
    r = cmd(a, "CLIENT LIST ID %lld %lld 999999", ib, ia);
    pa = strstr(r->str, ida);
    pb = strstr(r->str, idb);
    assert_true(pb && pa && pb < pa);                                  /* in the order asked */
    assert_int_equal(strchr(strchr(r->str, '\n') + 1, '\n')[1], '\0'); /* two lines */
    freeReplyObject(r);
    /* A subscriber is of type pubsub, not normal. */
    redisReply *sub = cmd(b, "SUBSCRIBE news");
    freeReplyObject(sub);
    r = cmd(a, "CLIENT LIST TYPE pubsub");
    assert_non_null(strstr(r->str, idb));
    assert_null(strstr(r->str, ida));
    freeReplyObject(r);
    r = cmd(a, "CLIENT LIST TYPE normal");
    assert_non_null(strstr(r->str, ida));
    assert_null(strstr(r->str, idb));
    freeReplyObject(r);
    r = cmd(a, "CLIENT LIST TYPE replica");
    assert_string_equal(r->str, "");
    freeReplyObject(r);
    expect_error(cmd(a, "CLIENT LIST TYPE foo"), "ERR Unknown client type 'foo'");
    expect_error(cmd(a, "CLIENT LIST ID abc"), "ERR Invalid client ID");
    expect_error(cmd(a, "CLIENT LIST foo"), "ERR syntax error");
    expect_error(cmd(a, "CLIENT LIST TYPE"), "ERR syntax error");
    redisFree(a);
    redisFree(b);
}

static void test_list_and_info_in_resp3_are_verbatim(void **state) {
    int fd = raw_connect(srv.port);
    r3_free(r3_cmds(fd, "HELLO 3"));
    r3 *r = r3_cmds(fd, "CLIENT INFO");
    assert_int_equal(r->type, R3_VERBATIM);
    assert_memory_equal(r->str, "txt:id=", 7);
    assert_non_null(strstr(r->str, " resp=3 "));
    r3_free(r);
    r = r3_cmds(fd, "CLIENT LIST");
    assert_int_equal(r->type, R3_VERBATIM);
    assert_memory_equal(r->str, "txt:", 4);
    r3_free(r);
    close(fd);
}

static void test_kill_old_form(void **state) {
    redisContext *killer = ts_connect(&srv);
    int victim = raw_client("PING\r\n");
    expect_raw(victim, "+PONG\r\n", 2000);
    /* The victim's address is the newest entry of CLIENT LIST. */
    redisReply *r = cmd(killer, "CLIENT LIST");
    const char *last = r->str, *p;
    while ((p = strstr(last + 1, "\nid=")) != NULL) last = p;
    char addr[64];
    info_field(last == r->str ? last : last + 1, "addr", addr, sizeof(addr));
    freeReplyObject(r);
    OK(killer, "CLIENT KILL %s", addr);
    assert_true(raw_closed(victim, 2000));
    close(victim);
    expect_error(cmd(killer, "CLIENT KILL %s", addr), "ERR No such client");
    expect_error(cmd(killer, "CLIENT KILL 1.2.3.4:5"), "ERR No such client");
    redisFree(killer);
}

static void test_kill_self_replies_first(void **state) {
    /* Old form: killing one's own address is allowed, the OK arrives first. */
    redisContext *c = ts_connect(&srv);
    char *info = client_info(c), addr[64];
    info_field(info, "addr", addr, sizeof(addr));
    free(info);
    redisFree(c);
    int fd = raw_connect(srv.port);
    raw_send(fd, "CLIENT INFO\r\n", 13);
    char buf[1024];
    raw_read_all(fd, buf, sizeof(buf), 500);
    info_field(strchr(buf, '\n') + 1, "addr", addr, sizeof(addr));
    char req[128];
    snprintf(req, sizeof(req), "CLIENT KILL %s\r\nPING\r\n", addr);
    raw_send(fd, req, strlen(req));
    expect_raw(fd, "+OK\r\n", 2000);
    assert_true(raw_closed(fd, 2000)); /* and PING never ran */
    close(fd);
    /* New form with SKIPME no: the count, then the close. */
    fd = raw_connect(srv.port);
    raw_send(fd, "CLIENT ID\r\n", 11);
    raw_read_all(fd, buf, sizeof(buf), 500);
    long long id = atoll(buf + 1);
    snprintf(req, sizeof(req), "CLIENT KILL ID %lld SKIPME no\r\n", id);
    raw_send(fd, req, strlen(req));
    expect_raw(fd, ":1\r\n", 2000);
    assert_true(raw_closed(fd, 2000));
    close(fd);
    /* With SKIPME yes (the default) one is never killed. */
    c = ts_connect(&srv);
    expect_int(cmd(c, "CLIENT KILL ID %lld", client_id(c)), 0);
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
}

static void test_kill_filters(void **state) {
    redisContext *c = ts_connect(&srv);
    int a = raw_client(NULL), b = raw_client("SUBSCRIBE ch\r\n");
    char buf[256];
    raw_read_all(b, buf, sizeof(buf), 300);
    redisContext *named = ts_connect(&srv);
    long long nid = client_id(named);
    /* TYPE pubsub kills only the subscriber. */
    expect_int(cmd(c, "CLIENT KILL TYPE pubsub"), 1);
    assert_true(raw_closed(b, 2000));
    /* ID kills exactly one. */
    expect_int(cmd(c, "CLIENT KILL ID %lld", nid), 1);
    expect_int(cmd(c, "CLIENT KILL ID %lld", nid), 0);
    /* USER default, skipping the caller: the raw client goes. */
    expect_int(cmd(c, "CLIENT KILL USER default"), 1);
    assert_true(raw_closed(a, 2000));
    close(a);
    close(b);
    redisFree(named);
    /* LADDR: every connection to this port but ours. */
    int d = raw_client(NULL), e = raw_client(NULL);
    usleep(50000);
    expect_int(cmd(c, "CLIENT KILL LADDR 127.0.0.1:%d", srv.port), 2);
    assert_true(raw_closed(d, 2000));
    assert_true(raw_closed(e, 2000));
    close(d);
    close(e);
    expect_int(cmd(c, "CLIENT KILL LADDR 127.0.0.1:1"), 0);
    expect_int(cmd(c, "CLIENT KILL TYPE master"), 0);
    expect_error(cmd(c, "CLIENT KILL ID 0"), "ERR client-id should be greater than 0");
    expect_error(cmd(c, "CLIENT KILL ID abc"), "ERR client-id should be greater than 0");
    expect_error(cmd(c, "CLIENT KILL TYPE foo"), "ERR Unknown client type 'foo'");
    expect_error(cmd(c, "CLIENT KILL USER nobody"), "ERR No such user 'nobody'");
    expect_error(cmd(c, "CLIENT KILL SKIPME maybe"), "ERR syntax error");
    expect_error(cmd(c, "CLIENT KILL ID 5 SKIPME"), "ERR syntax error");
    expect_error(cmd(c, "CLIENT KILL FOO bar"), "ERR syntax error");
    expect_error(cmd(c, "CLIENT KILL"), "ERR wrong number of arguments for 'client|kill' command");
    redisFree(c);
}

static void test_kill_maxage(void **state) {
    redisContext *c = ts_connect(&srv);
    int young = raw_client(NULL);
    usleep(50000);
    expect_int(cmd(c, "CLIENT KILL MAXAGE 3600"), 0); /* nobody is an hour old */
    expect_error(cmd(c, "CLIENT KILL MAXAGE 0"), "ERR maxage should be greater than 0");
    assert_false(raw_closed(young, 100));
    close(young);
    redisFree(c);
}

static void test_reply_off_on_skip(void **state) {
    int fd = raw_client("CLIENT REPLY OFF\r\nSET r 1\r\nGET r\r\nCLIENT REPLY ON\r\nGET r\r\n");
    expect_raw(fd, "+OK\r\n$1\r\n1\r\n", 2000);
    expect_nothing(fd, 100);
    const char *skip = "CLIENT REPLY SKIP\r\nPING one\r\nPING two\r\n";
    raw_send(fd, skip, strlen(skip));
    expect_raw(fd, "$3\r\ntwo\r\n", 2000);
    expect_nothing(fd, 100);
    /* SKIP while OFF changes nothing; errors are silenced too. */
    const char *off = "CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nNOSUCH\r\nPING a\r\nCLIENT REPLY ON\r\n";
    raw_send(fd, off, strlen(off));
    expect_raw(fd, "+OK\r\n", 2000);
    expect_nothing(fd, 100);
    raw_send(fd, "CLIENT REPLY maybe\r\n", strlen("CLIENT REPLY maybe\r\n"));
    expect_raw(fd, "-ERR syntax error\r\n", 2000);
    close(fd);
}

/* ---- CLIENT PAUSE */

static void test_pause_write_holds_writes_not_reads(void **state) {
    redisContext *ctl = ts_connect(&srv);
    OK(ctl, "SET pw before");
    OK(ctl, "CLIENT PAUSE 10000 WRITE");
    int writer = raw_client("SET pw after\r\n");
    int reader = raw_client("GET pw\r\nPING\r\n");
    expect_raw(reader, "$6\r\nbefore\r\n+PONG\r\n", 2000);
    expect_nothing(writer, 300);
    /* A syntax error is answered at once, pause or not. */
    expect_error(cmd(ctl, "SET pw"), "ERR wrong number of arguments for 'set' command");
    /* PUBLISH may replicate: held back too. */
    int publisher = raw_client("PUBLISH ch msg\r\n");
    expect_nothing(publisher, 200);
    OK(ctl, "CLIENT UNPAUSE");
    expect_raw(writer, "+OK\r\n", 2000);
    expect_raw(publisher, ":0\r\n", 2000);
    expect_bulk(cmd(ctl, "GET pw"), "after");
    close(writer);
    close(reader);
    close(publisher);
    redisFree(ctl);
}

static void test_pause_resumes_clients_in_arrival_order(void **state) {
    redisContext *ctl = ts_connect(&srv);
    freeReplyObject(cmd(ctl, "DEL order"));
    OK(ctl, "CLIENT PAUSE 10000 WRITE");
    int fds[4];
    for (int i = 0; i < 4; i++) {
        char req[64];
        snprintf(req, sizeof(req), "RPUSH order %d\r\nRPUSH order %d\r\n", i, i + 10);
        fds[i] = raw_client(req);
        expect_nothing(fds[i], 50);
    }
    OK(ctl, "CLIENT UNPAUSE");
    for (int i = 0; i < 4; i++) {
        char want[32];
        snprintf(want, sizeof(want), ":%d\r\n:%d\r\n", 2 * i + 1, 2 * i + 2);
        expect_raw(fds[i], want, 2000);
        close(fds[i]);
    }
    redisReply *r = cmd(ctl, "LRANGE order 0 -1");
    expect_array_len(r, 8);
    const char *want[] = {"0", "10", "1", "11", "2", "12", "3", "13"};
    for (int i = 0; i < 8; i++) assert_string_equal(r->element[i]->str, want[i]);
    freeReplyObject(r);
    redisFree(ctl);
}

static void test_pause_all_and_expiry_of_the_pause(void **state) {
    redisContext *ctl = ts_connect(&srv);
    long long start = now_ms();
    OK(ctl, "CLIENT PAUSE 400 ALL");
    int reader = raw_client("PING\r\n");
    /* Under ALL even CLIENT UNPAUSE waits: the pause ends on its own. */
    int unpauser = raw_client("CLIENT UNPAUSE\r\n");
    expect_nothing(reader, 150);
    expect_raw(reader, "+PONG\r\n", 3000);
    assert_true(now_ms() - start >= 350);
    expect_raw(unpauser, "+OK\r\n", 2000);
    close(reader);
    close(unpauser);
    redisFree(ctl);
}

static void test_pause_never_weakens(void **state) {
    redisContext *ctl = ts_connect(&srv);
    /* ALL for 500 ms then WRITE for 50 ms: reads still wait for the ALL. */
    long long start = now_ms();
    OK(ctl, "MULTI");
    expect_status(cmd(ctl, "CLIENT PAUSE 500 ALL"), "QUEUED");
    expect_status(cmd(ctl, "CLIENT PAUSE 50 WRITE"), "QUEUED");
    redisReply *r = cmd(ctl, "EXEC");
    freeReplyObject(r);
    int reader = raw_client("GET anything\r\n");
    expect_raw(reader, "$-1\r\n", 3000);
    assert_true(now_ms() - start >= 450);
    close(reader);
    /* A shorter new pause keeps the old end. */
    OK(ctl, "CLIENT PAUSE 10000 WRITE");
    OK(ctl, "CLIENT PAUSE 10 WRITE");
    usleep(100000);
    int writer = raw_client("SET held 1\r\n");
    expect_nothing(writer, 200);
    OK(ctl, "CLIENT UNPAUSE");
    expect_raw(writer, "+OK\r\n", 2000);
    close(writer);
    redisFree(ctl);
}

static void test_pause_errors_and_zero(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "CLIENT PAUSE -1"), "ERR timeout is negative");
    expect_error(cmd(c, "CLIENT PAUSE 1.5"), "ERR timeout is not an integer or out of range");
    expect_error(cmd(c, "CLIENT PAUSE abc"), "ERR timeout is not an integer or out of range");
    expect_error(cmd(c, "CLIENT PAUSE 10 both"), "ERR CLIENT PAUSE mode must be WRITE or ALL");
    expect_error(cmd(c, "CLIENT PAUSE"), "ERR wrong number of arguments for 'client|pause' command");
    OK(c, "CLIENT PAUSE 0"); /* a pause that ends now holds nothing */
    OK(c, "SET after-zero 1");
    OK(c, "CLIENT UNPAUSE"); /* without a pause: fine */
    redisFree(c);
}

static void test_pause_write_and_transactions(void **state) {
    redisContext *ctl = ts_connect(&srv), *rd = ts_connect(&srv);
    OK(ctl, "SET tx v");
    /* A transaction with a write, queued before the pause... */
    int fd = raw_client("MULTI\r\nSET tx w\r\n");
    expect_raw(fd, "+OK\r\n+QUEUED\r\n", 2000);
    /* A read-only transaction runs during a WRITE pause... */
    OK(ctl, "CLIENT PAUSE 10000 WRITE");
    OK(rd, "MULTI");
    expect_status(cmd(rd, "GET tx"), "QUEUED");
    redisReply *r = cmd(rd, "EXEC");
    expect_array_len(r, 1);
    freeReplyObject(r);
    /* ...the EXEC of one that writes waits for the end of the pause. */
    raw_send(fd, "EXEC\r\n", 6);
    expect_nothing(fd, 200);
    OK(ctl, "CLIENT UNPAUSE");
    expect_raw(fd, "*1\r\n+OK\r\n", 2000);
    close(fd);
    /* CLIENT PAUSE inside a transaction starts when EXEC is done. */
    OK(ctl, "MULTI");
    expect_status(cmd(ctl, "SET tx1 a"), "QUEUED");
    expect_status(cmd(ctl, "CLIENT PAUSE 10000 WRITE"), "QUEUED");
    expect_status(cmd(ctl, "SET tx2 b"), "QUEUED");
    r = cmd(ctl, "EXEC");
    expect_array_len(r, 3);
    freeReplyObject(r);
    expect_bulk(cmd(rd, "GET tx2"), "b");
    fd = raw_client("SET tx3 c\r\n");
    expect_nothing(fd, 200);
    OK(ctl, "CLIENT UNPAUSE");
    expect_raw(fd, "+OK\r\n", 2000);
    close(fd);
    redisFree(rd);
    redisFree(ctl);
}

static void test_keys_do_not_expire_during_a_pause(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SELECT 9");
    OK(c, "FLUSHDB");
    OK(c, "SET short-lived v PX 50");
    OK(c, "CLIENT PAUSE 5000 WRITE");
    usleep(300000);
    /* Logically gone, but not deleted while writes are paused. */
    expect_nil(cmd(c, "GET short-lived"));
    expect_int(cmd(c, "DBSIZE"), 1);
    OK(c, "CLIENT UNPAUSE");
    expect_nil(cmd(c, "GET short-lived"));
    expect_int(cmd(c, "DBSIZE"), 0);
    redisFree(c);
}

static void test_paused_client_that_disconnects(void **state) {
    redisContext *ctl = ts_connect(&srv);
    OK(ctl, "CLIENT PAUSE 10000 WRITE");
    int gone = raw_client("SET gone 1\r\n");
    int stays = raw_client("SET stays 1\r\n");
    expect_nothing(stays, 100);
    close(gone); /* freed while queued */
    usleep(100000);
    OK(ctl, "CLIENT UNPAUSE");
    expect_raw(stays, "+OK\r\n", 2000);
    close(stays);
    expect_int(cmd(ctl, "EXISTS gone"), 0);
    redisFree(ctl);
}

/* A replica paused for writes stops applying its master's stream (the
 * master link is paused like any client) and catches up on UNPAUSE. */
static void test_pause_holds_the_master_stream_on_a_replica(void **state) {
    char port[16];
    snprintf(port, sizeof(port), "%d", srv.port);
    const char *const args[] = {"--replicaof", "127.0.0.1", port, NULL};
    redisContext *m = ts_connect(&srv);
    OK(m, "CONFIG SET repl-diskless-sync-delay 0");
    testServer replica;
    assert_int_equal(ts_start(&replica, args), 0);
    redisContext *r = ts_connect(&replica);
    OK(m, "SET repl-probe 1");
    long long deadline = now_ms() + 10000;
    redisReply *got = NULL;
    while (now_ms() < deadline) {
        got = cmd(r, "GET repl-probe");
        int synced = got->type == REDIS_REPLY_STRING;
        freeReplyObject(got);
        if (synced) break;
        usleep(50000);
    }
    expect_bulk(cmd(r, "GET repl-probe"), "1");
    OK(r, "CLIENT PAUSE 10000 WRITE");
    OK(m, "SET while-paused yes");
    usleep(300000);
    expect_nil(cmd(r, "GET while-paused"));
    OK(r, "CLIENT UNPAUSE");
    deadline = now_ms() + 5000;
    while (now_ms() < deadline) {
        got = cmd(r, "GET while-paused");
        int arrived = got->type == REDIS_REPLY_STRING;
        freeReplyObject(got);
        if (arrived) break;
        usleep(20000);
    }
    expect_bulk(cmd(r, "GET while-paused"), "yes");
    OK(m, "CONFIG SET repl-diskless-sync-delay 5");
    redisFree(r);
    redisFree(m);
    ts_stop(&replica);
}

static void test_unblock(void **state) {
    redisContext *c = ts_connect(&srv), *b = ts_connect(&srv);
    long long id = client_id(b);
    redisAppendCommand(b, "BLPOP empty-list 0");
    redisBufferWrite(b, &(int){0});
    usleep(100000);
    expect_int(cmd(c, "CLIENT UNBLOCK %lld", id), 1);
    redisReply *r = NULL;
    assert_int_equal(redisGetReply(b, (void **)&r), REDIS_OK);
    assert_int_equal(r->type, REDIS_REPLY_NIL);
    freeReplyObject(r);
    redisAppendCommand(b, "BLPOP empty-list 0");
    redisBufferWrite(b, &(int){0});
    usleep(100000);
    expect_int(cmd(c, "CLIENT UNBLOCK %lld ERROR", id), 1);
    assert_int_equal(redisGetReply(b, (void **)&r), REDIS_OK);
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_string_equal(r->str, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
    freeReplyObject(r);
    expect_int(cmd(c, "CLIENT UNBLOCK %lld", id), 0); /* not blocked */
    expect_int(cmd(c, "CLIENT UNBLOCK 999999"), 0);
    expect_error(cmd(c, "CLIENT UNBLOCK %lld FOO", id),
                 "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    expect_error(cmd(c, "CLIENT UNBLOCK abc"), "ERR value is not an integer or out of range");
    redisFree(b);
    redisFree(c);
}

static void test_help_unknown_subcommands_and_tracking_info(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "CLIENT HELP");
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_true(r->elements > 20);
    assert_string_equal(r->element[0]->str,
                        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    assert_string_equal(r->element[r->elements - 1]->str, "    Print this help.");
    freeReplyObject(r);
    expect_error(cmd(c, "CLIENT MAINT_NOTIFICATIONS on"),
                 "ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.");
    expect_error(cmd(c, "CLIENT"), "ERR wrong number of arguments for 'client' command");
    expect_status(cmd(c, "PING"), "PONG"); /* still connected */
    expect_int(cmd(c, "CLIENT GETREDIR"), -1);
    r = cmd(c, "CLIENT TRACKINGINFO");
    expect_array_len(r, 6);
    assert_string_equal(r->element[0]->str, "flags");
    assert_int_equal(r->element[1]->elements, 1);
    assert_string_equal(r->element[1]->element[0]->str, "off");
    assert_int_equal(r->element[3]->integer, -1);
    freeReplyObject(r);
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_is_unique_and_increasing),
        cmocka_unit_test(test_setname_getname),
        cmocka_unit_test(test_setinfo),
        cmocka_unit_test(test_info_fields_in_redis_order),
        cmocka_unit_test(test_list_shows_flags_of_other_clients),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_list_and_info_in_resp3_are_verbatim),
        cmocka_unit_test(test_kill_old_form),
        cmocka_unit_test(test_kill_self_replies_first),
        cmocka_unit_test(test_kill_filters),
        cmocka_unit_test(test_kill_maxage),
        cmocka_unit_test(test_reply_off_on_skip),
        cmocka_unit_test(test_pause_write_holds_writes_not_reads),
        cmocka_unit_test(test_pause_resumes_clients_in_arrival_order),
        cmocka_unit_test(test_pause_all_and_expiry_of_the_pause),
        cmocka_unit_test(test_pause_never_weakens),
        cmocka_unit_test(test_pause_errors_and_zero),
        cmocka_unit_test(test_pause_write_and_transactions),
        cmocka_unit_test(test_keys_do_not_expire_during_a_pause),
        cmocka_unit_test(test_paused_client_that_disconnects),
        cmocka_unit_test(test_pause_holds_the_master_stream_on_a_replica),
        cmocka_unit_test(test_unblock),
        cmocka_unit_test(test_help_unknown_subcommands_and_tracking_info),
    };
    return cmocka_run_group_tests_name("client", tests, group_start_server, group_stop_server);
}
