/* test_functions.c: Redis 7 functions as applications use them. FUNCTION
 * LOAD with the "#!lua name=" line, both register_function forms and their
 * flags, FCALL/FCALL_RO, LIST/DELETE/FLUSH/STATS, the load-time sandbox
 * and its errors worded as Redis 7.2 words them; DUMP/RESTORE with every
 * policy; libraries surviving a restart (RDB and AOF), DEBUG RELOAD and
 * reaching a replica; DUMP payloads and RDB files moving between Stash and
 * Debian's Redis 7.0 both ways; FUNCTION KILL and -BUSY for a function
 * stuck in a loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/harness.h"

#define REDIS_BIN "/usr/bin/redis-server"

/* FUNCTION LOAD [REPLACE] "#!lua name=<lib>\n<body>" */
static redisReply *load(redisContext *c, int replace, const char *lib, const char *body) {
    char code[4096];
    snprintf(code, sizeof(code), "#!lua name=%s\n%s", lib, body);
    return replace ? cmd(c, "FUNCTION LOAD REPLACE %s", code) : cmd(c, "FUNCTION LOAD %s", code);
}

static void expect_error_has(redisReply *r, const char *text) {
    if (r->type != REDIS_REPLY_ERROR || !strstr(r->str, text))
        fail_msg("expected an error containing \"%s\", got type %d \"%s\"", text, r->type,
                 r->str ? r->str : "");
    freeReplyObject(r);
}

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void test_load_and_call(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "mylib",
                     "redis.register_function('echo', function(keys, args) return {keys[1], args[1]} end)"),
                "mylib");
    redisReply *r = cmd(c, "FCALL echo 1 k1 a1");
    expect_array_len(r, 2);
    assert_string_equal(r->element[0]->str, "k1");
    assert_string_equal(r->element[1]->str, "a1");
    freeReplyObject(r);
    r = cmd(c, "FCALL ECHO 1 k2"); /* function names are case-insensitive */
    expect_array_len(r, 1);
    freeReplyObject(r);
    expect_error(load(c, 0, "mylib", "redis.register_function('other', function() return 1 end)"),
                 "ERR Library 'mylib' already exists");
    expect_bulk(load(c, 1, "mylib", "redis.register_function('echo', function() return 'v2' end)"), "mylib");
    expect_bulk(cmd(c, "FCALL echo 0"), "v2");
    /* Writes from a function; FCALL_RO refuses a function without no-writes. */
    expect_bulk(load(c, 1, "mylib",
                     "redis.register_function('setget', function(keys, args)\n"
                     "  redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)"),
                "mylib");
    expect_bulk(cmd(c, "FCALL setget 1 fk fv"), "fv");
    expect_bulk(cmd(c, "GET fk"), "fv");
    expect_error(cmd(c, "FCALL_RO setget 1 fk x"),
                 "ERR Can not execute a script with write flag using *_ro command.");
    expect_error(cmd(c, "FCALL nosuch 0"), "ERR Function not found");
    expect_error(cmd(c, "FCALL setget x"), "ERR Bad number of keys provided");
    expect_error(cmd(c, "FCALL setget 5 a"), "ERR Number of keys can't be greater than number of args");
    expect_error(cmd(c, "FCALL setget -1 a"), "ERR Number of keys can't be negative");
    r = cmd(c, "COMMAND GETKEYS FCALL setget 2 ka kb arg");
    expect_array_len(r, 2);
    assert_string_equal(r->element[1]->str, "kb");
    freeReplyObject(r);
    redisFree(c);
}

static void test_load_errors(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *ok_body = "redis.register_function('f', function() return 1 end)";
    expect_error(cmd(c, "FUNCTION LOAD %s", "return 1"), "ERR Missing library metadata");
    expect_error(cmd(c, "FUNCTION LOAD %s", "#!lua name=x"), "ERR Invalid library metadata");
    expect_error(cmd(c, "FUNCTION LOAD %s", "#!lua\nreturn 1"), "ERR Library name was not given");
    expect_error(cmd(c, "FUNCTION LOAD %s", "#!lua name=a name=b\nreturn 1"),
                 "ERR Invalid metadata value, name argument was given multiple times");
    expect_error(cmd(c, "FUNCTION LOAD %s", "#!lua name=a foo=bar\nreturn 1"),
                 "ERR Invalid metadata value given: foo=bar");
    expect_error(cmd(c, "FUNCTION LOAD %s", "#!python name=a\nreturn 1"), "ERR Engine 'python' not found");
    expect_error(
        load(c, 0, "bad-name", ok_body),
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one "
        "character long");
    expect_error(load(c, 0, "e1", "this is not lua"), "ERR Error compiling function: user_function:");
    expect_error(load(c, 0, "e1", "return 1"), "ERR No functions registered");
    expect_error(cmd(c, "FUNCTION LOAD foo bar %s", "#!lua name=x\nreturn 1"),
                 "ERR Unknown option given: foo");
    expect_bulk(load(c, 1, "owner", ok_body), "owner");
    expect_error(load(c, 0, "thief", ok_body), "ERR Function f already exists");
    expect_error_has(load(c, 0, "dup",
                          "redis.register_function('g', function() end)\n"
                          "redis.register_function('g', function() end)"),
                     "Function already exists in the library");
    /* A failed REPLACE keeps the old library. */
    expect_error_has(load(c, 1, "owner", "redis.register_function('f', 'not a function')"),
                     "second argument to redis.register_function must be a function");
    expect_int(cmd(c, "FCALL f 0"), 1);
    expect_error(cmd(c, "FUNCTION BADSUB"), "ERR unknown subcommand 'BADSUB'. Try FUNCTION HELP.");
    redisFree(c);
}

static void test_register_function_forms(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "named",
                     "redis.register_function{function_name='ro', description='reads only',\n"
                     "  callback=function(keys) return redis.call('get', keys[1]) end,\n"
                     "  flags={'no-writes', 'allow-stale'}}"),
                "named");
    OK(c, "SET rk rv");
    expect_bulk(cmd(c, "FCALL_RO ro 1 rk"), "rv");
    redisReply *r = cmd(c, "FUNCTION LIST");
    expect_array_len(r, 1);
    redisReply *lib = r->element[0];
    assert_int_equal(lib->elements, 6); /* library_name, engine, functions */
    assert_string_equal(lib->element[1]->str, "named");
    assert_string_equal(lib->element[3]->str, "LUA");
    redisReply *fn = lib->element[5]->element[0];
    assert_string_equal(fn->element[1]->str, "ro");
    assert_string_equal(fn->element[3]->str, "reads only");
    assert_int_equal(fn->element[5]->elements, 2);
    assert_string_equal(fn->element[5]->element[0]->str, "no-writes");
    assert_string_equal(fn->element[5]->element[1]->str, "allow-stale");
    freeReplyObject(r);
    /* no-writes functions may not write, even through FCALL. */
    expect_bulk(load(c, 1, "named",
                     "redis.register_function{function_name='w', flags={'no-writes'},\n"
                     "  callback=function() return redis.call('set', 'x', 1) end}"),
                "named");
    expect_error_has(cmd(c, "FCALL w 0"), "Write commands are not allowed from read-only scripts.");
    struct {
        const char *body, *error;
    } bad[] = {
        {"redis.register_function()", "wrong number of arguments to redis.register_function"},
        {"redis.register_function('f1')", "calling redis.register_function with a single argument is only "
                                          "applicable to Lua table (representing named arguments)."},
        {"redis.register_function(nil, function() end)",
         "first argument to redis.register_function must be a string"},
        {"redis.register_function('', function() end)", "Library names can only contain letters"},
        {"redis.register_function{function_name='f', callback=function() end, flags='x'}",
         "flags argument to redis.register_function must be a table representing function flags"},
        {"redis.register_function{function_name='f', callback=function() end, flags={'unknown'}}",
         "unknown flag given"},
        {"redis.register_function{function_name='f', callback=function() end, what=1}",
         "unknown argument given to redis.register_function"},
        {"redis.register_function{callback=function() end}",
         "redis.register_function must get a function name argument"},
        {"redis.register_function{function_name='f'}",
         "redis.register_function must get a callback argument"},
        {"redis.register_function{function_name='f', callback='x'}",
         "callback argument given to redis.register_function must be a function"},
        {"redis.register_function{function_name='f', callback=function() end, description=function() end}",
         "description argument given to redis.register_function must be a string"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error_has(load(c, 1, "badlib", bad[i].body), bad[i].error);
    redisFree(c);
}

static void test_load_time_sandbox(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error_has(load(c, 1, "sb", "return math.random()"),
                     "Script attempted to access nonexistent global variable 'math'");
    expect_error_has(load(c, 1, "sb", "return redis.call('ping')"),
                     "Script attempted to access nonexistent global variable 'call'");
    expect_error_has(load(c, 1, "sb", "mt = getmetatable(_G)"),
                     "Script attempted to access nonexistent global variable 'getmetatable'");
    expect_error_has(load(c, 1, "sb", "a = 1"), "Attempt to modify a readonly table");
    long long start = now_ms();
    expect_error_has(load(c, 1, "sb", "local a = 1 while 1 do a = a + 1 end"), "FUNCTION LOAD timeout");
    assert_true(now_ms() - start < 5000);
    /* The load API is gone once the function runs, and redis.call is there. */
    expect_bulk(load(c, 1, "sb",
                     "local lib = redis\n"
                     "redis.register_function('grab', function() lib.x = 1 end)\n"
                     "redis.register_function('again', function() lib.register_function('z', "
                     "function() end) end)\n"
                     "redis.register_function('globals', function() mt = getmetatable(_G) end)\n"
                     "redis.register_function('call', function() return redis.call('ping') end)"),
                "sb");
    expect_error_has(cmd(c, "FCALL grab 0"), "Attempt to modify a readonly table");
    expect_error_has(cmd(c, "FCALL again 0"),
                     "redis.register_function can only be called on FUNCTION LOAD command");
    expect_error_has(cmd(c, "FCALL globals 0"), "Attempt to modify a readonly table");
    expect_status(cmd(c, "FCALL call 0"), "PONG");
    redisFree(c);
}

static void test_list_delete_flush_stats(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "lib_a",
                     "redis.register_function('fa1', function() return 1 end)\n"
                     "redis.register_function('fa2', function() return 2 end)"),
                "lib_a");
    expect_bulk(load(c, 0, "lib_b", "redis.register_function('fb', function() return 3 end)"), "lib_b");
    redisReply *r = cmd(c, "FUNCTION LIST LIBRARYNAME lib_b WITHCODE");
    expect_array_len(r, 1);
    assert_int_equal(r->element[0]->elements, 8);
    assert_string_equal(r->element[0]->element[6]->str, "library_code");
    assert_non_null(strstr(r->element[0]->element[7]->str, "#!lua name=lib_b\n"));
    freeReplyObject(r);
    r = cmd(c, "FUNCTION LIST LIBRARYNAME lib_*");
    expect_array_len(r, 2);
    freeReplyObject(r);
    expect_error(cmd(c, "FUNCTION LIST bad_argument"), "ERR Unknown argument bad_argument");
    expect_error(cmd(c, "FUNCTION LIST LIBRARYNAME"), "ERR library name argument was not given");
    expect_error(cmd(c, "FUNCTION LIST WITHCODE WITHCODE"), "ERR Unknown argument WITHCODE");
    r = cmd(c, "FUNCTION STATS");
    expect_array_len(r, 4);
    assert_int_equal(r->element[1]->type, REDIS_REPLY_NIL);
    redisReply *lua = r->element[3]->element[1];
    assert_string_equal(r->element[3]->element[0]->str, "LUA");
    assert_int_equal(lua->element[1]->integer, 2); /* libraries_count */
    assert_int_equal(lua->element[3]->integer, 3); /* functions_count */
    freeReplyObject(r);
    OK(c, "FUNCTION DELETE lib_a");
    expect_error(cmd(c, "FCALL fa1 0"), "ERR Function not found");
    expect_error(cmd(c, "FUNCTION DELETE lib_a"), "ERR Library not found");
    expect_error(cmd(c, "FUNCTION FLUSH bad"), "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    expect_error(cmd(c, "FUNCTION FLUSH sync extra"),
                 "ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.");
    OK(c, "FUNCTION FLUSH ASYNC");
    expect_array_len(r = cmd(c, "FUNCTION LIST"), 0);
    freeReplyObject(r);
    /* FLUSHALL leaves functions alone. */
    expect_bulk(load(c, 0, "keep", "redis.register_function('kept', function() return 'k' end)"), "keep");
    OK(c, "FLUSHALL");
    expect_bulk(cmd(c, "FCALL kept 0"), "k");
    expect_error(cmd(c, "FUNCTION KILL"), "NOTBUSY No scripts in execution right now.");
    redisFree(c);
}

static void test_dump_restore(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "lib1", "redis.register_function('f1', function() return 'one' end)"), "lib1");
    redisReply *dump = cmd(c, "FUNCTION DUMP");
    assert_int_equal(dump->type, REDIS_REPLY_STRING);
    assert_int_equal((unsigned char)dump->str[0], 245); /* RDB_OPCODE_FUNCTION2 */
    OK(c, "FUNCTION FLUSH");
    OK(c, "FUNCTION RESTORE %b", dump->str, dump->len);
    expect_bulk(cmd(c, "FCALL f1 0"), "one");
    expect_error(cmd(c, "FUNCTION RESTORE %b", dump->str, dump->len), "ERR Library lib1 already exists");
    expect_error(cmd(c, "FUNCTION RESTORE %b APPEND", dump->str, dump->len),
                 "ERR Library lib1 already exists");
    expect_bulk(load(c, 1, "lib1", "redis.register_function('f1', function() return 'changed' end)"), "lib1");
    OK(c, "FUNCTION RESTORE %b REPLACE", dump->str, dump->len);
    expect_bulk(cmd(c, "FCALL f1 0"), "one");
    expect_bulk(load(c, 0, "other", "redis.register_function('f2', function() return 'two' end)"), "other");
    OK(c, "FUNCTION RESTORE %b FLUSH", dump->str, dump->len);
    expect_error(cmd(c, "FCALL f2 0"), "ERR Function not found");
    /* A function of the payload owned by another library: nothing changes. */
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "thief", "redis.register_function('f1', function() return 'thief' end)"), "thief");
    expect_error(cmd(c, "FUNCTION RESTORE %b REPLACE", dump->str, dump->len),
                 "ERR Function f1 already exists");
    expect_bulk(cmd(c, "FCALL f1 0"), "thief");
    /* Damaged payloads and bad arguments. */
    char *bad = malloc(dump->len);
    memcpy(bad, dump->str, dump->len);
    bad[3] ^= 0x55;
    expect_error(cmd(c, "FUNCTION RESTORE %b", bad, dump->len),
                 "ERR DUMP payload version or checksum are wrong");
    free(bad);
    expect_error(cmd(c, "FUNCTION RESTORE bad_payload"), "ERR DUMP payload version or checksum are wrong");
    expect_error(cmd(c, "FUNCTION RESTORE %b WHATEVER", dump->str, dump->len),
                 "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    expect_error(cmd(c, "FUNCTION RESTORE a b c"),
                 "ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP.");
    freeReplyObject(dump);
    redisFree(c);
}

static void test_survives_restart_and_reload(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "persisted",
                     "redis.register_function{function_name='p', flags={'no-writes'},\n"
                     "  callback=function() return 'saved' end}"),
                "persisted");
    OK(c, "SET some key");
    OK(c, "DEBUG RELOAD");
    expect_bulk(cmd(c, "FCALL_RO p 0"), "saved");
    OK(c, "SAVE");
    redisFree(c);
    assert_int_equal(ts_restart(&srv, 1), 0);
    c = ts_connect(&srv);
    expect_bulk(cmd(c, "FCALL_RO p 0"), "saved");
    redisReply *r = cmd(c, "FUNCTION LIST");
    expect_array_len(r, 1);
    assert_string_equal(r->element[0]->element[5]->element[0]->element[5]->element[0]->str, "no-writes");
    freeReplyObject(r);
    redisFree(c);
}

static void test_aof_replays_function_commands(void **state) {
    testServer ts;
    const char *args[] = {"--appendonly", "yes", NULL};
    assert_int_equal(ts_start(&ts, args), 0);
    redisContext *c = ts_connect(&ts);
    expect_bulk(load(c, 0, "a1", "redis.register_function('fa', function() return 'aof' end)"), "a1");
    expect_bulk(load(c, 0, "a2", "redis.register_function('gone', function() return 1 end)"), "a2");
    OK(c, "FUNCTION DELETE a2");
    redisFree(c);
    assert_int_equal(ts_restart(&ts, 1), 0);
    c = ts_connect(&ts);
    expect_bulk(cmd(c, "FCALL fa 0"), "aof");
    expect_error(cmd(c, "FCALL gone 0"), "ERR Function not found");
    redisFree(c);
    ts_stop(&ts);
}

/* Waits until cond holds for INFO replication of c (bounded). */
static int wait_link_up(redisContext *c) {
    for (int i = 0; i < 500; i++) {
        redisReply *r = cmd(c, "INFO replication");
        int up = r->type == REDIS_REPLY_STRING && strstr(r->str, "master_link_status:up");
        freeReplyObject(r);
        if (up) return 1;
        usleep(20000);
    }
    return 0;
}

static int wait_fcall(redisContext *c, const char *fn, const char *want) {
    for (int i = 0; i < 500; i++) {
        redisReply *r = cmd(c, "FCALL_RO %s 0", fn);
        int ok = r->type == REDIS_REPLY_STRING && !strcmp(r->str, want);
        freeReplyObject(r);
        if (ok) return 1;
        usleep(20000);
    }
    return 0;
}

static void test_replication(void **state) {
    redisContext *m = ts_connect(&srv);
    OK(m, "FUNCTION FLUSH");
    expect_bulk(load(m, 0, "before",
                     "redis.register_function{function_name='b', flags={'no-writes'},\n"
                     "  callback=function() return 'full sync' end}"),
                "before");
    testServer rs;
    assert_int_equal(ts_start(&rs, NULL), 0);
    redisContext *r = ts_connect(&rs);
    expect_bulk(load(r, 0, "stale", "redis.register_function('s', function() return 1 end)"), "stale");
    OK(r, "REPLICAOF 127.0.0.1 %d", srv.port);
    assert_true(wait_link_up(r));
    assert_true(wait_fcall(r, "b", "full sync"));
    expect_error(cmd(r, "FCALL s 0"),
                 "ERR Function not found"); /* the sync replaced the replica's libraries */
    expect_bulk(load(m, 0, "after",
                     "redis.register_function{function_name='a', flags={'no-writes'},\n"
                     "  callback=function() return 'stream' end}"),
                "after");
    assert_true(wait_fcall(r, "a", "stream"));
    expect_error(load(r, 0, "local", "redis.register_function('l', function() return 1 end)"),
                 "READONLY You can't write against a read only replica.");
    OK(m, "FUNCTION DELETE after");
    OK(m, "FUNCTION FLUSH");
    for (int i = 0; i < 500; i++) {
        redisReply *x = cmd(r, "FUNCTION LIST");
        size_t n = x->elements;
        freeReplyObject(x);
        if (n == 0) break;
        usleep(20000);
    }
    redisReply *x = cmd(r, "FUNCTION LIST");
    expect_array_len(x, 0);
    freeReplyObject(x);
    redisFree(r);
    redisFree(m);
    ts_stop(&rs);
}

/* Payloads and RDB files go both ways between Stash and Debian's Redis. */
static void test_redis_interop(void **state) {
    if (access(REDIS_BIN, X_OK) != 0) skip();
    testServer redis;
    assert_int_equal(ts_start_in(&redis, REDIS_BIN, NULL, NULL), 0);
    redisContext *rc = ts_connect(&redis);
    redisContext *c = ts_connect(&srv);
    OK(c, "FUNCTION FLUSH");
    expect_bulk(load(c, 0, "from_stash", "redis.register_function('fs', function() return 'stash' end)"),
                "from_stash");
    redisReply *d = cmd(c, "FUNCTION DUMP");
    OK(rc, "FUNCTION RESTORE %b", d->str, d->len);
    freeReplyObject(d);
    expect_bulk(cmd(rc, "FCALL fs 0"), "stash");
    expect_bulk(load(rc, 0, "from_redis",
                     "redis.register_function{function_name='fr', flags={'no-writes'},\n"
                     "  callback=function() return 'redis' end}"),
                "from_redis");
    OK(rc, "FUNCTION DELETE from_stash");
    d = cmd(rc, "FUNCTION DUMP");
    OK(c, "FUNCTION RESTORE %b", d->str, d->len);
    freeReplyObject(d);
    expect_bulk(cmd(c, "FCALL_RO fr 0"), "redis");
    /* An RDB file Redis wrote, with a library in it. */
    OK(rc, "SET rediskey 1");
    OK(rc, "SAVE");
    char dir[256];
    snprintf(dir, sizeof(dir), "%s", redis.dir);
    redisFree(rc);
    redis.keep_dir = 1;
    ts_stop(&redis);
    testServer st;
    assert_int_equal(ts_start_in(&st, NULL, dir, NULL), 0);
    redisContext *sc = ts_connect(&st);
    expect_bulk(cmd(sc, "FCALL_RO fr 0"), "redis");
    expect_bulk(cmd(sc, "GET rediskey"), "1");
    redisFree(sc);
    ts_stop(&st);
    char rm[300];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
    redisFree(c);
}

/* FUNCTION KILL stops a function stuck in a loop; others get -BUSY meanwhile. */
static void test_function_kill(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG SET busy-reply-threshold 50");
    expect_bulk(
        load(c, 1, "loops",
             "redis.register_function('spin', function() local a = 1 while true do a = a + 1 end end)"),
        "loops");
    int fd = raw_connect(srv.port);
    const char *spin = "*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n";
    raw_send(fd, spin, strlen(spin));
    int busy = 0;
    for (int i = 0; i < 200 && !busy; i++) {
        redisReply *r = cmd(c, "PING");
        busy = r->type == REDIS_REPLY_ERROR;
        if (busy)
            assert_string_equal(
                r->str,
                "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        freeReplyObject(r);
        if (!busy) usleep(10000);
    }
    assert_true(busy);
    redisReply *r = cmd(c, "FUNCTION STATS");
    expect_array_len(r, 4);
    redisReply *running = r->element[1];
    assert_string_equal(running->element[1]->str, "spin");
    assert_string_equal(running->element[3]->element[0]->str, "FCALL");
    freeReplyObject(r);
    expect_error(cmd(c, "SCRIPT KILL"),
                 "BUSY Redis is busy running a script. You can only call FUNCTION KILL");
    OK(c, "FUNCTION KILL");
    char buf[512];
    raw_read_all(fd, buf, sizeof(buf), 2000);
    assert_non_null(strstr(buf, "Script killed by user"));
    close(fd);
    expect_status(cmd(c, "PING"), "PONG");
    OK(c, "CONFIG SET busy-reply-threshold 5000");
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_call),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_register_function_forms),
        cmocka_unit_test(test_load_time_sandbox),
        cmocka_unit_test(test_list_delete_flush_stats),
        cmocka_unit_test(test_dump_restore),
        cmocka_unit_test(test_survives_restart_and_reload),
        cmocka_unit_test(test_aof_replays_function_commands),
        cmocka_unit_test(test_replication),
        cmocka_unit_test(test_redis_interop),
        cmocka_unit_test(test_function_kill),
    };
    return cmocka_run_group_tests_name("functions", tests, group_start_server, group_stop_server);
}
