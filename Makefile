# imcost - plain Makefile.
#   make                 build ./imcost
#   make check           install missing packages, build, run every test
#   make check SANITIZE=1  the same under AddressSanitizer + UBSan
#   make demo            import two generated CUR months, analyze and report the second
#   make bench           import/analyze benchmark against sqlite3 .import
#   make man             the manual page imcost.1, from the --help texts
#   make install         PREFIX=/usr/local DESTDIR=: binary, man page, completions
#   make CC=clang        any C11 compiler

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
CFLAGS  ?= -O2 -g
SANITIZE ?=
# make bench YEAR=1: also the year of bench/sql.sh (12 months of YEAR_ROWS rows)
YEAR ?= 0
YEAR_ROWS ?= 4000000
PKGS    := sqlite3 libcjson zlib libzstd

# libcrypto is loaded at the first hash (common/sha256.c), by the soname of
# the libcrypto.so this build's headers belong to
LIBCRYPTO := $(shell objdump -p "$$($(CC) -print-file-name=libcrypto.so)" 2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
STD     := -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -I. \
	   $(if $(LIBCRYPTO),-DIMCOST_LIBCRYPTO='"$(LIBCRYPTO)"')
LIBS    := -lsqlite3 -lcjson -lz -lsnappy -lzstd -lbrotlidec -llz4 -lm -lpthread -ldl

ifeq ($(SANITIZE),1)
VARIANT := san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
VARIANT := rel
SANFLAGS :=
endif

BUILD   := build/$(VARIANT)
LIB_SRC := $(wildcard common/*.c output/*.c importers/*.c analyzers/*.c reports/*.c)
CLI_SRC := $(wildcard cli/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
ALL_CFLAGS = $(STD) $(CFLAGS) $(SANFLAGS)

.PHONY: all check unit e2e demo bench bench-sql fuzz man install uninstall clean deps FORCE

all: imcost

imcost: $(BUILD)/imcost FORCE
	@cmp -s $< $@ || { cp $< $@.tmp && mv -f $@.tmp $@; }

$(BUILD)/imcost: $(CLI_OBJ) $(BUILD)/libimcost.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libimcost.a $(LIBS)

$(BUILD)/libimcost.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags check 2>/dev/null) -MMD -MP -c -o $@ $<

# the option grammar (cli/options.c) is tested alone: it needs nothing else of cli/
$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/cli/options.o $(BUILD)/libimcost.a
	$(CC) $(ALL_CFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/cli/options.o $(BUILD)/libimcost.a $(LIBS) -lbrotlienc $$(pkg-config --libs check)

$(BUILD)/gen-cur: bench/gen-cur.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O2 -o $@ $<

$(BUILD)/gen-metrics: bench/gen-metrics.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O2 -o $@ $<

deps:
	@scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory imcost $(BUILD)/unit-tests $(BUILD)/gen-cur
	@SANITIZE=$(SANITIZE) BUILD=$(BUILD) UPDATE=$(UPDATE) tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory imcost $(BUILD)/gen-cur
	@scripts/demo.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory imcost $(BUILD)/gen-cur $(BUILD)/gen-metrics
	@bench/run.sh $(BUILD)
	@bench/prices.sh $(BUILD)
	@bench/parquet.sh $(BUILD)
	@YEAR=$(YEAR) YEAR_ROWS=$(YEAR_ROWS) bench/sql.sh $(BUILD)

# ad-hoc SQL against DuckDB (and with YEAR=1 a year of YEAR_ROWS-row
# months) without the rest of the benchmark
bench-sql: deps
	@$(MAKE) --no-print-directory imcost $(BUILD)/gen-cur
	@YEAR=$(YEAR) YEAR_ROWS=$(YEAR_ROWS) bench/sql.sh $(BUILD)

man: imcost.1

imcost.1: $(BUILD)/imcost scripts/gen-man.sh
	scripts/gen-man.sh $(BUILD)/imcost >$@.tmp && mv -f $@.tmp $@

$(BUILD)/completion/imcost.bash $(BUILD)/completion/_imcost $(BUILD)/completion/imcost.fish: $(BUILD)/imcost
	@mkdir -p $(dir $@)
	$(BUILD)/imcost completion bash >$(BUILD)/completion/imcost.bash
	$(BUILD)/imcost completion zsh >$(BUILD)/completion/_imcost
	$(BUILD)/imcost completion fish >$(BUILD)/completion/imcost.fish

install: imcost imcost.1 $(BUILD)/completion/imcost.bash $(BUILD)/completion/_imcost $(BUILD)/completion/imcost.fish
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/imcost \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 imcost $(DESTDIR)$(PREFIX)/bin/imcost
	install -m 644 imcost.1 $(DESTDIR)$(PREFIX)/share/man/man1/imcost.1
	install -m 644 data/allocation-im.json $(DESTDIR)$(PREFIX)/share/imcost/allocation-im.json
	install -m 644 $(BUILD)/completion/imcost.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/imcost
	install -m 644 $(BUILD)/completion/_imcost $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_imcost
	install -m 644 $(BUILD)/completion/imcost.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/imcost.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/imcost
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/imcost.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/imcost
	rm -f $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_imcost
	rm -f $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/imcost.fish
	rm -rf $(DESTDIR)$(PREFIX)/share/imcost

clean:
	rm -rf build imcost imcost.1 imcost.db imcost.db-wal imcost.db-shm

# Each area may add rules in mk/NAME.mk (fuzzing, bundled data, ...).
-include $(wildcard mk/*.mk)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
