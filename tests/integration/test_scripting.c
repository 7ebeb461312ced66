/* test_scripting.c: EVAL and friends as client libraries use them (locks,
 * rate limiters): conversions both ways, errors with their script/line
 * suffix, the sandbox, the script cache and read-only scripts. Then the
 * hardening Debian's Lua needs (Redis patches its own): builtins that
 * crashed, nesting limits, no way to load code from disk or bytecode,
 * read-only globals and libraries; the struct and cmsgpack libraries;
 * shebang flags; error statistics; long scripts answered with -BUSY,
 * SCRIPT KILL and SHUTDOWN NOSAVE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/harness.h"

static void test_eval_conversions(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "EVAL %s 0", "return 1 + 1"), 2);
    expect_int(cmd(c, "EVAL %s 0", "return 3.99"), 3); /* numbers become integers, truncated */
    expect_bulk(cmd(c, "EVAL %s 0", "return 'hello'"), "hello");
    expect_nil(cmd(c, "EVAL %s 0", "return false"));
    expect_int(cmd(c, "EVAL %s 0", "return true"), 1);
    expect_nil(cmd(c, "EVAL %s 0", "return nil"));
    expect_status(cmd(c, "EVAL %s 0", "return redis.status_reply('FINE')"), "FINE");
    expect_error(cmd(c, "EVAL %s 0", "return redis.error_reply('MYERR custom')"), "MYERR custom");
    expect_error(cmd(c, "EVAL %s 0", "return {err='CODE message'}"), "CODE message");
    redisReply *r = cmd(c, "EVAL %s 0", "return {1, 'two', {3}, nil, 5}");
    expect_array_len(r, 3); /* an array stops at the first nil */
    assert_int_equal(r->element[0]->integer, 1);
    assert_string_equal(r->element[1]->str, "two");
    assert_int_equal(r->element[2]->element[0]->integer, 3);
    freeReplyObject(r);
    redisFree(c);
}

static void test_keys_argv_and_calls(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_bulk(
        cmd(c, "EVAL %s 1 lk lv", "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])"),
        "lv");
    expect_bulk(cmd(c, "GET lk"), "lv");
    expect_nil(cmd(c, "EVAL %s 1 nokey", "return redis.call('get', KEYS[1])"));
    expect_status(cmd(c, "EVAL %s 0", "return redis.call('ping')"), "PONG");
    expect_error(cmd(c, "EVAL %s 2 a", "return 1"),
                 "ERR Number of keys can't be greater than number of args");
    expect_error(cmd(c, "EVAL %s -1", "return 1"), "ERR Number of keys can't be negative");
    expect_error(cmd(c, "EVAL %s x", "return 1"), "ERR value is not an integer or out of range");
    redisFree(c);
}

static void test_errors_carry_script_location(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "EVAL %s 0", "return redis.call('nosuchcommand')");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Unknown Redis command called from script"));
    assert_non_null(strstr(r->str, "on @user_script:1."));
    freeReplyObject(r);
    r = cmd(c, "EVAL %s 0", "local t = redis.pcall('nosuchcommand'); return t['err']");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    assert_string_equal(r->str, "ERR Unknown Redis command called from script");
    freeReplyObject(r);
    expect_error(cmd(c, "EVAL %s 0", "return redis.call()"),
                 "ERR Please specify at least one argument for this redis lib call");
    expect_error(cmd(c, "EVAL %s 0", "this is not lua"), "ERR Error compiling script");
    redisFree(c);
}

static void test_sandbox(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_error(cmd(c, "EVAL %s 0", "x = 1"), "ERR user_script:1: Attempt to modify a readonly table");
    expect_error(
        cmd(c, "EVAL %s 0", "return undefined_thing"),
        "ERR user_script:1: Script attempted to access nonexistent global variable 'undefined_thing'");
    expect_error(cmd(c, "EVAL %s 0", "return os.time()"),
                 "ERR user_script:1: Script attempted to access nonexistent");
    expect_error(cmd(c, "EVAL %s 0", "return io.open('/etc/passwd')"),
                 "ERR user_script:1: Script attempted to access");
    expect_error(cmd(c, "EVAL %s 0", "return loadfile('/etc/passwd')"),
                 "ERR user_script:1: Script attempted to access");
    /* the libraries Redis ships */
    expect_bulk(cmd(c, "EVAL %s 0", "return cjson.encode({1,2})"), "[1,2]");
    expect_int(cmd(c, "EVAL %s 0", "return bit.band(7, 3)"), 3);
    expect_bulk(cmd(c, "EVAL %s 0", "return redis.sha1hex('')"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    redisFree(c);
}

static void test_script_cache(void **state) {
    redisContext *c = ts_connect(&srv);
    redisReply *r = cmd(c, "SCRIPT LOAD %s", "return 'cached'");
    assert_int_equal(r->type, REDIS_REPLY_STRING);
    char sha[41];
    strcpy(sha, r->str);
    freeReplyObject(r);
    expect_bulk(cmd(c, "EVALSHA %s 0", sha), "cached");
    r = cmd(c, "SCRIPT EXISTS %s ffffffffffffffffffffffffffffffffffffffff", sha);
    expect_array_len(r, 2);
    assert_int_equal(r->element[0]->integer, 1);
    assert_int_equal(r->element[1]->integer, 0);
    freeReplyObject(r);
    OK(c, "SCRIPT FLUSH");
    expect_error(cmd(c, "EVALSHA %s 0", sha), "NOSCRIPT No matching script. Please use EVAL.");
    expect_error(cmd(c, "SCRIPT KILL"), "NOTBUSY No scripts in execution right now.");
    redisFree(c);
}

static void test_read_only_scripts(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SET rok 1");
    expect_bulk(cmd(c, "EVAL_RO %s 1 rok", "return redis.call('get', KEYS[1])"), "1");
    redisReply *r = cmd(c, "EVAL_RO %s 1 rok", "return redis.call('set', KEYS[1], 2)");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Write commands are not allowed from read-only scripts."));
    freeReplyObject(r);
    redisFree(c);
}

/* Each of these crashed or misbehaved with Debian's unpatched Lua 5.1. */
static void test_hardened_builtins(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_bulk(cmd(c, "EVAL %s 0", "return bit.tohex(65535, -2147483648)"), "0000FFFF");
    expect_bulk(cmd(c, "EVAL %s 0", "return bit.tohex(255, 4)"), "00ff");
    expect_error(cmd(c, "EVAL %s 0", "return {unpack({}, -2147483648, 2147483647)}"),
                 "ERR user_script:1: too many results to unpack");
    expect_error(cmd(c, "EVAL %s 0", "return {unpack({1, 2}, 0, 2147483647)}"),
                 "ERR user_script:1: too many results to unpack");
    redisReply *r = cmd(c, "EVAL %s 0", "return {unpack({1, 2, 3}, 2)}");
    expect_array_len(r, 2);
    freeReplyObject(r);
    r = cmd(c, "EVAL %s 0", "return cjson.decode(string.rep('[', 100000))");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Found too many nested data structures"));
    freeReplyObject(r);
    r = cmd(c, "EVAL %s 0", "local t = {} for i = 1, 2000 do t = {t} end return cjson.encode(t)");
    assert_int_equal(r->type, REDIS_REPLY_ERROR);
    assert_non_null(strstr(r->str, "Cannot serialise, excessive nesting"));
    freeReplyObject(r);
    /* Debian's cjson counts its buffer in int: output near 2 GB is refused
     * instead of overflowing it (control bytes encode as 6: 180 MB -> 1 GB+). */
    expect_error(cmd(c, "EVAL %s 0", "return #cjson.encode(string.rep('\\1', 180 * 1024 * 1024))"),
                 "ERR user_script:1: Cannot serialise: the result would exceed 1 GB");
    expect_error(cmd(c, "EVAL %s 0", "return #cjson.new().encode(string.rep('\\1', 180 * 1024 * 1024))"),
                 "ERR user_script:1: Cannot serialise: the result would exceed 1 GB");
    expect_error(cmd(c, "EVAL %s 0", "local t = {} t[1] = t t[2] = t return cjson.encode(t)"),
                 "ERR user_script:1: Cannot serialise, excessive nesting (1001)");
    expect_error(cmd(c, "EVAL %s 0", "return setmetatable(1, {})"),
                 "ERR user_script:1: bad argument #1 to 'setmetatable' (table expected, got number)");
    /* A self-referencing table returned by a script ends at the stack limit
     * (too deep for hiredis: read raw). */
    int fd = raw_connect(srv.port);
    const char *self = "local a = {} a[1] = a return a";
    char req[128], *buf = malloc(1 << 16);
    int n = snprintf(req, sizeof(req), "*3\r\n$4\r\nEVAL\r\n$%zu\r\n%s\r\n$1\r\n0\r\n", strlen(self), self);
    raw_send(fd, req, (size_t)n);
    raw_read_all(fd, buf, 1 << 16, 1000);
    assert_non_null(strstr(buf, "-ERR reached lua stack limit\r\n"));
    free(buf);
    close(fd);
    expect_status(cmd(c, "PING"), "PONG");
    redisFree(c);
}

/* No file system, no shared libraries, no bytecode. */
static void test_no_code_loading(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *absent[] = {"package",  "require", "module", "os",      "io", "dofile",
                            "loadfile", "print",   "debug",  "loadlib", NULL};
    for (int i = 0; absent[i]; i++) {
        char script[64], want[128];
        snprintf(script, sizeof(script), "return %s", absent[i]);
        snprintf(want, sizeof(want),
                 "ERR user_script:1: Script attempted to access nonexistent global variable '%s'", absent[i]);
        expect_error(cmd(c, "EVAL %s 0", script), want);
    }
    expect_error(cmd(c, "EVAL %s 0", "return loadstring(string.dump(function() return 1 end))()"),
                 "ERR user_script:1: attempt to call a nil value");
    expect_error(cmd(c, "EVAL %s 0",
                     "local s = string.dump(function() return 1 end)\n"
                     "return load(function() local x = s s = nil return x end)()"),
                 "ERR user_script:2: attempt to call a nil value");
    expect_int(cmd(c, "EVAL %s 0", "return loadstring('return 7')()"), 7);
    expect_error(cmd(c, "EVAL %b 0", "\x1bLuaQ\x00", (size_t)6),
                 "ERR Error compiling script (new function):");
    redisFree(c);
}

/* Globals, libraries and their metatables cannot be changed. */
static void test_read_only_globals_and_libraries(void **state) {
    redisContext *c = ts_connect(&srv);
    const char *attempts[] = {"x = 1",
                              "setmetatable(_G, {})",
                              "local g = getmetatable(_G) g.__index = {}",
                              "getmetatable(_G).__index.redis = 1",
                              "redis = function() return 1 end",
                              "_G = {}",
                              "redis.call = function() return 1 end",
                              "setmetatable(redis, {})",
                              "getmetatable(redis).__index = {}",
                              "getmetatable(redis).__index.call = 1",
                              "cjson.encode = function() return 1 end",
                              "bit.lshift = function() return 1 end",
                              "cmsgpack.pack = function() return 1 end",
                              "struct.pack = 1",
                              "string.upper = 1",
                              "getmetatable('').__index = {}",
                              "getmetatable('').__index.upper = 1",
                              "rawset(_G, 'x', 1)",
                              "rawset(redis, 'call', 1)",
                              "table.insert(redis, 1)",
                              "getfenv(redis.call).redis = 1",
                              NULL};
    for (int i = 0; attempts[i]; i++) {
        redisReply *r = cmd(c, "EVAL %s 0", attempts[i]);
        if (r->type != REDIS_REPLY_ERROR || !strstr(r->str, "Attempt to modify a readonly table"))
            fail_msg("'%s' was allowed: %s", attempts[i], r->str ? r->str : "(no error)");
        freeReplyObject(r);
    }
    /* Nothing leaked into the next script, and reads still see through. */
    expect_status(cmd(c, "EVAL %s 0", "return redis.call('ping')"), "PONG");
    expect_bulk(cmd(c, "EVAL %s 0", "return ('abc'):upper()"), "ABC");
    expect_int(
        cmd(c, "EVAL %s 0", "local n = 0 for k in pairs(redis) do n = n + 1 end return n > 10 and 1 or 0"),
        1);
    expect_bulk(cmd(c, "EVAL %s 0", "return type(rawget(_G, 'redis'))"), "table");
    /* setfenv(0) lasts one script only. */
    expect_int(cmd(c, "EVAL %s 0", "setfenv(0, {}) return 1"), 1);
    expect_status(cmd(c, "EVAL %s 0", "return redis.call('ping')"), "PONG");
    redisFree(c);
}

static void test_struct_and_cmsgpack(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_bulk_len(cmd(c, "EVAL %s 0", "return struct.pack('>I2<h', 258, -2)"), "\x01\x02\xfe\xff", 4);
    redisReply *r = cmd(c, "EVAL %s 0", "return {struct.unpack('>I2<h', struct.pack('>I2<h', 258, -2))}");
    expect_array_len(r, 3);
    assert_int_equal(r->element[0]->integer, 258);
    assert_int_equal(r->element[1]->integer, -2);
    assert_int_equal(r->element[2]->integer, 5); /* next position */
    freeReplyObject(r);
    expect_int(cmd(c, "EVAL %s 0", "return struct.size('!4bi')"), 8);
    expect_error(cmd(c, "EVAL %s 0", "return struct.pack('i99999999999', 1)"),
                 "ERR user_script:1: integral size overflow");
    expect_error(cmd(c, "EVAL %s 0", "return struct.pack('i33', 1)"),
                 "ERR user_script:1: integral size 33 is larger than limit of 32");
    expect_error(cmd(c, "EVAL %s 0", "return struct.pack('c2147483647', 'x')"),
                 "ERR user_script:1: bad argument #2 to 'pack' (string too short)");
    expect_error(cmd(c, "EVAL %s 0", "return struct.unpack('c2000000000', 'x')"),
                 "ERR user_script:1: bad argument #2 to 'unpack' (data string too short)");
    expect_error(cmd(c, "EVAL %s 0", "return struct.unpack('i', 'abcd', -5)"),
                 "ERR user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)");
    /* cmsgpack: Redis's test vectors */
    const char *hex = "local h = '' for i = 1, #e do h = h .. string.format('%02x', e:byte(i)) end return h";
    char script[512];
    snprintf(script, sizeof(script), "local e = cmsgpack.pack(0.1) %s", hex);
    expect_bulk(cmd(c, "EVAL %s 0", script), "cb3fb999999999999a");
    snprintf(script, sizeof(script), "local e = cmsgpack.pack(-1099511627776) %s", hex);
    expect_bulk(cmd(c, "EVAL %s 0", script), "d3ffffff0000000000");
    expect_int(cmd(c, "EVAL %s 0",
                   "local t = {1, 'two', {a = true}, 2^40, -3.5}\n"
                   "local u = cmsgpack.unpack(cmsgpack.pack(t))\n"
                   "return (u[1] == 1 and u[2] == 'two' and u[3].a == true and u[4] == 2^40 "
                   "and u[5] == -3.5) and 1 or 0"),
               1);
    r = cmd(c, "EVAL %s 0", "return {cmsgpack.unpack_limit(cmsgpack.pack('a', 'b', 'c'), 2)}");
    expect_array_len(r, 3);
    assert_int_equal(r->element[0]->integer, 4); /* the offset to go on from */
    freeReplyObject(r);
    expect_error(cmd(c, "EVAL %s 0", "return cmsgpack.unpack(string.rep(string.char(0x91), 100000))"),
                 "ERR user_script:1: stack overflow");
    expect_error(cmd(c, "EVAL %s 0", "return cmsgpack.unpack(string.char(0xdf, 255, 255, 255, 255))"),
                 "ERR user_script:1: Missing bytes in input.");
    expect_error(cmd(c, "EVAL %s 0", "return cmsgpack.unpack(string.char(0xc1))"),
                 "ERR user_script:1: Bad data format in input.");
    redisFree(c);
}

static void test_shebang_flags(void **state) {
    redisContext *c = ts_connect(&srv);
    expect_int(cmd(c, "EVAL %s 0", "#!lua\nreturn 1"), 1);
    expect_error(cmd(c, "EVAL %s 0", "#!not-lua\nreturn 1"),
                 "ERR Unexpected engine in script shebang: #!not-lua");
    expect_error(cmd(c, "EVAL %s 0", "#!lua badger=data\nreturn 1"),
                 "ERR Unknown lua shebang option: badger=data");
    expect_error(cmd(c, "EVAL %s 0", "#!lua flags=allow-oom,what?\nreturn 1"),
                 "ERR Unexpected flag in script shebang: what?");
    expect_error(cmd(c, "EVAL %s 1 k", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 1)"),
                 "ERR Write commands are not allowed from read-only scripts.");
    expect_error(cmd(c, "EVAL_RO %s 0", "#!lua\nreturn 1"),
                 "ERR Can not execute a script with write flag using *_ro command.");
    expect_int(cmd(c, "EVAL_RO %s 0", "#!lua flags=no-writes\nreturn 1"), 1);
    /* OOM: no flags means no writes; allow-oom writes anyway. */
    OK(c, "CONFIG SET maxmemory 1");
    expect_error(cmd(c, "EVAL %s 0", "#!lua\nreturn 1"),
                 "OOM command not allowed when used memory > 'maxmemory'.");
    expect_error(cmd(c, "EVAL %s 1 ok", "return redis.call('set', KEYS[1], 1)"),
                 "OOM command not allowed when used memory > 'maxmemory'.");
    expect_status(cmd(c, "EVAL %s 1 ok", "#!lua flags=allow-oom\nreturn redis.call('set', KEYS[1], 1)"),
                  "OK");
    expect_int(cmd(c, "EVAL %s 0", "#!lua flags=no-writes\nreturn 1"), 1);
    OK(c, "CONFIG SET maxmemory 0");
    redisFree(c);
}

/* A SELECT inside a script does not move the caller. */
static void test_select_stays_inside(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "SELECT 5");
    OK(c, "SET where five");
    expect_bulk(
        cmd(c, "EVAL %s 0", "redis.call('select', 6) redis.call('set', 'where', 'six') return 'done'"),
        "done");
    expect_bulk(cmd(c, "GET where"), "five");
    OK(c, "SELECT 6");
    expect_bulk(cmd(c, "GET where"), "six");
    OK(c, "SELECT 0");
    redisFree(c);
}

static long long info_count(redisContext *c, const char *section, const char *field) {
    redisReply *r = cmd(c, "INFO %s", section);
    const char *p = strstr(r->str, field);
    long long v = p ? strtoll(p + strlen(field), NULL, 10) : -1;
    freeReplyObject(r);
    return v;
}

/* An error is counted once, where it happened (Redis 7's errorstats). */
static void test_error_statistics(void **state) {
    redisContext *c = ts_connect(&srv);
    OK(c, "CONFIG RESETSTAT");
    expect_error(cmd(c, "EVAL %s 0", "return redis.call('select', 99)"), "ERR DB index is out of range");
    assert_int_equal(info_count(c, "stats", "total_error_replies:"), 1);
    OK(c, "CONFIG RESETSTAT");
    expect_int(cmd(c, "EVAL %s 0", "local t = redis.pcall('select', 99) return t['err'] and 1 or 0"), 1);
    assert_int_equal(info_count(c, "stats", "total_error_replies:"), 1);
    redisReply *r = cmd(c, "INFO commandstats");
    assert_non_null(strstr(r->str, "cmdstat_eval:calls=1,"));
    assert_non_null(strstr(r->str, "rejected_calls=0,failed_calls=0"));
    freeReplyObject(r);
    OK(c, "CONFIG RESETSTAT");
    expect_error(cmd(c, "EVAL %s 0", "return redis.error_reply('MY_CODE custom')"), "MY_CODE custom");
    assert_int_equal(info_count(c, "errorstats", "errorstat_MY_CODE:count="), 1);
    redisFree(c);
}

/* Sends EVAL <script> 0 on a raw socket (the reply is read later). */
static void send_eval(int fd, const char *script) {
    char buf[512];
    int n =
        snprintf(buf, sizeof(buf), "*3\r\n$4\r\nEVAL\r\n$%zu\r\n%s\r\n$1\r\n0\r\n", strlen(script), script);
    raw_send(fd, buf, (size_t)n);
}

/* A script past busy-reply-threshold: -BUSY for others, SCRIPT KILL ends
 * it unless it wrote (UNKILLABLE), SHUTDOWN NOSAVE always works. */
static void test_busy_scripts(void **state) {
    testServer ts;
    const char *args[] = {"--busy-reply-threshold", "50", NULL};
    assert_int_equal(ts_start(&ts, args), 0);
    redisContext *c = ts_connect(&ts);
    expect_error(cmd(c, "SCRIPT KILL"), "NOTBUSY No scripts in execution right now.");
    int fd = raw_connect(ts.port);
    send_eval(fd, "local a = 1 while true do a = a + 1 end");
    int busy = 0;
    for (int i = 0; i < 300 && !busy; i++) {
        redisReply *r = cmd(c, "GET x");
        busy = r->type == REDIS_REPLY_ERROR;
        if (busy)
            assert_string_equal(
                r->str,
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        freeReplyObject(r);
        if (!busy) usleep(10000);
    }
    assert_true(busy);
    expect_error(cmd(c, "FUNCTION KILL"),
                 "BUSY Redis is busy running a script. You can only call SCRIPT KILL");
    expect_error(cmd(c, "SCRIPT FLUSH"), "BUSY");
    OK(c, "SCRIPT KILL");
    char buf[512];
    raw_read_all(fd, buf, sizeof(buf), 2000);
    assert_non_null(strstr(buf, "Script killed by user with SCRIPT KILL..."));
    expect_nil(cmd(c, "GET x"));
    /* pcall cannot keep a killed script alive. */
    send_eval(fd, "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end");
    usleep(200000);
    OK(c, "SCRIPT KILL");
    raw_read_all(fd, buf, sizeof(buf), 2000);
    assert_non_null(strstr(buf, "killed by user"));
    /* Once it wrote, it cannot be killed; SHUTDOWN NOSAVE ends everything. */
    send_eval(fd, "redis.call('set', 'x', 1) local a = 1 while true do a = a + 1 end");
    usleep(200000);
    expect_error(cmd(c, "SCRIPT KILL"),
                 "UNKILLABLE Sorry the script already executed write commands against the "
                 "dataset. You can either wait the script termination or kill the server in a "
                 "hard way using the SHUTDOWN NOSAVE command.");
    expect_error(cmd(c, "SHUTDOWN"), "BUSY");
    redisReply *r = redisCommand(c, "SHUTDOWN NOSAVE");
    if (r) freeReplyObject(r);
    for (int i = 0; i < 200 && ts_alive(&ts); i++) usleep(10000);
    assert_false(ts_alive(&ts));
    close(fd);
    redisFree(c);
    ts_stop(&ts);
}

/* SCRIPT FLUSH drops the cache and the Lua state (ASan checks the rest). */
static void test_script_flush_with_live_references(void **state) {
    redisContext *c = ts_connect(&srv);
    for (int i = 0; i < 50; i++)
        expect_int(cmd(c, "EVAL %s 0", "local t = {} for i = 1, 100 do t[i] = {i} end return #t"), 100);
    redisReply *r = cmd(c, "SCRIPT LOAD %s", "return redis.call('ping')");
    char sha[41];
    snprintf(sha, sizeof(sha), "%s", r->str);
    freeReplyObject(r);
    OK(c, "SCRIPT FLUSH");
    expect_error(cmd(c, "EVALSHA %s 0", sha), "NOSCRIPT");
    OK(c, "SCRIPT FLUSH ASYNC");
    expect_status(cmd(c, "EVAL %s 0", "return redis.call('ping')"), "PONG");
    redisFree(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_conversions),
        cmocka_unit_test(test_keys_argv_and_calls),
        cmocka_unit_test(test_errors_carry_script_location),
        cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_script_cache),
        cmocka_unit_test(test_read_only_scripts),
        cmocka_unit_test(test_hardened_builtins),
        cmocka_unit_test(test_no_code_loading),
        cmocka_unit_test(test_read_only_globals_and_libraries),
        cmocka_unit_test(test_struct_and_cmsgpack),
        cmocka_unit_test(test_shebang_flags),
        cmocka_unit_test(test_select_stays_inside),
        cmocka_unit_test(test_error_statistics),
        cmocka_unit_test(test_busy_scripts),
        cmocka_unit_test(test_script_flush_with_live_references),
    };
    return cmocka_run_group_tests_name("scripting", tests, group_start_server, group_stop_server);
}
