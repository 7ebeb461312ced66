# Makefile: builds stash-server, its tests, benchmark and fuzzers.
#
#   make                 build src/stash-server (installs Debian deps once)
#   make run             build and start the server on the default port
#   make test            unit + integration tests, ends with "N passed, N failed"
#   make test SANITIZE=1 the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench           redis-benchmark against Stash and Debian's redis-server
#   make fuzz            libFuzzer harnesses (FUZZ_SECONDS each, default 60)
#   make compat          the Redis 7.2.6 Tcl suite units we track (tests/compat)
#   make format / lint   clang-format / cppcheck
#
# Objects go to build/<variant>/ so sanitizer and normal builds never mix.

CC ?= cc
OPT ?= -O2
WARN = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifeq ($(CI),true)
WARN += -Werror
endif
CFLAGS_BASE = -std=gnu11 $(OPT) -g $(WARN) -MMD -MP -D_GNU_SOURCE -Isrc -I/usr/include/lua5.1 -I/usr/include/liblzf
LIBS = -lm -lpthread -ldl -llua5.1-cjson -llua5.1-bitop -llua5.1 -llzf

ifeq ($(SANITIZE),1)
VARIANT = san
CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else
VARIANT = rel
CFLAGS_BASE += -DUSE_JEMALLOC
LIBS += -ljemalloc
endif
CFLAGS += $(CFLAGS_BASE)
LDFLAGS += -rdynamic

BUILD = build/$(VARIANT)
SRC_ALL := $(shell find src -name '*.c' | sort)
SRC_MAIN = src/server/main.c
SRC_LIB = $(filter-out $(SRC_MAIN),$(SRC_ALL))
OBJ_LIB = $(SRC_LIB:%.c=$(BUILD)/%.o)
OBJ_MAIN = $(SRC_MAIN:%.c=$(BUILD)/%.o)
LIBSTASH = $(BUILD)/libstash.a
ifeq ($(SANITIZE),1)
SERVER = $(BUILD)/stash-server
else
SERVER = src/stash-server
endif

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
INTEG_SRC := $(wildcard tests/integration/test_*.c) $(wildcard tests/interop/test_*.c)
INTEG_BIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(INTEG_SRC))
HARNESS_SRC := $(wildcard tests/harness/*.c)
HARNESS_OBJ = $(HARNESS_SRC:%.c=$(BUILD)/%.o)

DEPS_STAMP = deps/.installed

.SECONDARY:
.PHONY: all run test unit integration bench fuzz compat clean format lint
all: $(SERVER)

$(DEPS_STAMP): deps/install.sh
	sh deps/install.sh

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBSTASH): $(OBJ_LIB)
	@rm -f $@
	ar rcs $@ $^

$(SERVER): $(OBJ_MAIN) $(LIBSTASH)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBSTASH) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(LIBSTASH) $(LIBS) -lcmocka

$(BUILD)/tests/%: tests/%.c $(HARNESS_OBJ) $(LIBSTASH) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(HARNESS_OBJ) $(LIBSTASH) $(LIBS) -lcmocka -lhiredis

run: $(SERVER)
	./$(SERVER)

test: $(SERVER) $(UNIT_BIN) $(INTEG_BIN)
	@STASH_SERVER=$(abspath $(SERVER)) sh tests/run.sh $(UNIT_BIN) $(INTEG_BIN)

bench: $(SERVER)
	@sh tests/bench/bench.sh $(abspath $(SERVER))

FUZZ_SECONDS ?= 60
fuzz: | $(DEPS_STAMP)
	@$(MAKE) -s -f tests/fuzz/Makefile FUZZ_SECONDS=$(FUZZ_SECONDS)

compat: $(SERVER)
	@sh tests/compat/run.sh $(abspath $(SERVER))

redis.conf.example: $(SERVER)
	./$(SERVER) --dump-config-example > $@

format:
	clang-format -i $(SRC_ALL) $(shell find src tests -name '*.h')

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -Isrc $(SRC_ALL)

clean:
	rm -rf build src/stash-server

-include $(shell find build -name '*.d' 2>/dev/null)
