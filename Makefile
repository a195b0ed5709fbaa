# Inventario build. `make` builds build/inventario; `make run` serves the demo;
# `make test` runs every test (unit, fuzz, HTTP, browser); `make bench` measures.
# Objects live under build/<flavour>/ so the release, sanitizer and fuzzing
# builds never mix.

CC      ?= cc
FUZZCC  ?= clang
# Debian's python3 carries python3-pytest; another python3 first in PATH may not.
PYTHON  ?= /usr/bin/python3
WARN     = -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wformat-security -Wshadow
CFLAGS_BASE = -std=c17 -D_GNU_SOURCE -Isrc $(WARN)
LIBS     = -lmicrohttpd -lsqlite3 -lcrypto -ljansson -lpthread -lm

RELEASE_FLAGS = -O2 -g
ASAN_FLAGS    = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS    = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined

SRCS      := $(shell find src -name '*.c' | sort)
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

REL_OBJS  := $(LIB_SRCS:%.c=build/release/%.o)
ASAN_OBJS := $(LIB_SRCS:%.c=build/asan/%.o)
FUZZ_OBJS := $(LIB_SRCS:%.c=build/fuzz/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/bin/%)

# Keep intermediate objects: fuzz and test objects are reused between runs.
.SECONDARY:

.PHONY: all run test unit fuzz http e2e bench deps deps-run clean format

all: build/inventario

build/inventario: build/release/src/main.o $(REL_OBJS)
	$(CC) $(RELEASE_FLAGS) -o $@ $^ $(LIBS)

build/asan/inventario: build/asan/src/main.o $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

build/release/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(RELEASE_FLAGS) -MMD -MP -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) -MMD -MP -c -o $@ $<

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CFLAGS_BASE) $(FUZZ_FLAGS) -MMD -MP -c -o $@ $<

build/asan/tests/%: tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) -o $@ $< $(ASAN_OBJS) $(LIBS) -lcmocka

build/fuzz/bin/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CFLAGS_BASE) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJS) $(LIBS)

deps:
	@scripts/install-deps.sh test

deps-run:
	@scripts/install-deps.sh run

# Serves the demo shop on http://127.0.0.1:8000 with DEBUG on.
run: deps-run build/inventario
	@scripts/run-demo.sh

unit: $(UNIT_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)

fuzz: $(FUZZ_BINS)
	@scripts/run-fuzz.sh $(FUZZ_BINS)

http: build/asan/inventario
	@cd tests/http && INVENTARIO_BIN=$(CURDIR)/build/asan/inventario $(PYTHON) -m pytest -q -p no:cacheprovider

e2e: build/inventario
	@INVENTARIO_BIN=$(CURDIR)/build/inventario node tests/e2e/run.mjs

test: deps
	@scripts/run-tests.sh

bench: deps build/inventario
	@bench/run.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
