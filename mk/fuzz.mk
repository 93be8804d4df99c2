# mk/fuzz.mk - fuzzing, fuzz regression replay and valgrind (issue 3).
# Included by the main Makefile, so LIB_SRC, STD, LIBS, CC, BUILD and
# ALL_CFLAGS are its own.
#
#   make fuzz                 build every harness in tests/fuzz/fuzz-*.c with
#                             clang -fsanitize=fuzzer,address,undefined into
#                             build/fuzz/ and run each FUZZ_SECONDS (60) seconds
#                             (installs clang and its runtime when missing)
#   make fuzz FUZZ_TARGETS="focus numbers" FUZZ_SECONDS=600
#   make fuzz-smoke           CI's short fuzz: every harness FUZZ_SMOKE_SECONDS
#                             (60), FUZZ_JOBS (the number of CPUs) at a time;
#                             fails on any crash (.ci/run)
#   make fuzz-build           only build the harnesses
#   make fuzz-regress         replay tests/fuzz/seeds and tests/fuzz/regressions
#                             through each harness, built with $(CC) (no
#                             libFuzzer) and SANITIZE's flags; `make check`
#                             builds these replay binaries too, and
#                             tests/e2e/t-fuzz-regressions.sh runs them
#   make valgrind             end-to-end tests with imcost under valgrind
#
# A harness is tests/fuzz/fuzz-NAME.c: one per importer (FUZZ_FORMAT set to
# the importer's name), one with detection (`detect`: every importer, JSON
# reader and gzip), `numbers` for the parsers and `chart` for the gnuplot
# script writer (tests/fuzz/gpcheck.h checks what it writes), `vendors` for
# the vendor catalog and workload profile readers.  Adding an importer: copy
# tests/fuzz/fuzz-focus.c to fuzz-NEWNAME.c and change the name; seeds go in
# tests/fuzz/seeds/NEWNAME/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 60
FUZZ_JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer
# Checks of reported, unfixed bugs left out of the fuzzing build so that the
# fuzzer looks for new ones (see tests/fuzz/regressions/open-bugs.txt; the
# replay build in `make check` keeps them).  Remove a define with its fix.
FUZZ_OPEN_BUGS :=
FUZZ_CFLAGS  := $(STD) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(FUZZ_OPEN_BUGS)
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz-%.c,%,$(FUZZ_SRC))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
# the import path, the chart-script writer (fuzz-chart), the allocation
# rules reader (fuzz-allocation) and the vendor catalog and profile readers
# (fuzz-vendors, which defines the built-in catalog's symbols itself); the
# other analyzers and the rest of reports are not reached by a harness
FUZZ_LIB_SRC := $(filter common/% importers/% reports/chart.c reports/html.c analyzers/alloc-rules.c analyzers/vendors%.c analyzers/catalog.c analyzers/options.c,$(LIB_SRC))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz-%)
FUZZ_HDRS    := tests/fuzz/fuzz-import.h tests/fuzz/fuzz-replay.h tests/fuzz/gpcheck.h
FUZZ_REPLAY_DIR  := $(BUILD)/fuzz-replay
FUZZ_REPLAY_BINS := $(FUZZ_NAMES:%=$(FUZZ_REPLAY_DIR)/%)

.PHONY: fuzz fuzz-smoke fuzz-deps fuzz-build fuzz-regress fuzz-replay-build valgrind

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) fuzz-build
	@tests/fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Every harness about a minute, as many at a time as there are CPUs (each
# harness is one process): 12 harnesses take 6 minutes on 2 CPUs, plus the
# build.  The RSS limit is lower than `make fuzz`'s as two run together.
fuzz-smoke: fuzz-deps
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) fuzz-build
	@FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_RSS_MB=2048 \
		tests/fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz-deps: deps
	@IMCOST_EXTRA_PKGS="clang libclang-rt-dev" scripts/install-deps.sh

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

# the harnesses see FUZZ_OPEN_BUGS: rebuild them when this file changes
$(FUZZ_SRC:%.c=$(FUZZ_DIR)/%.o): mk/fuzz.mk

$(FUZZ_DIR)/libimcost.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/tests/fuzz/fuzz-%.o $(FUZZ_DIR)/libimcost.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libimcost.a $(LIBS)

# --- replaying seeds and regressions without libFuzzer (make check) ---

check: fuzz-replay-build

fuzz-replay-build: deps
	@$(MAKE) --no-print-directory $(FUZZ_REPLAY_BINS)

$(FUZZ_REPLAY_BINS): $(FUZZ_REPLAY_DIR)/%: tests/fuzz/fuzz-%.c $(FUZZ_HDRS) $(BUILD)/libimcost.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_REPLAY_MAIN -o $@ $< $(BUILD)/libimcost.a $(LIBS)

fuzz-regress: fuzz-replay-build
	@SANITIZE=$(SANITIZE) tests/fuzz/replay.sh $(FUZZ_REPLAY_DIR)

# --- valgrind over the end-to-end tests ---

valgrind: deps
	@IMCOST_EXTRA_PKGS=valgrind scripts/install-deps.sh
	@$(MAKE) --no-print-directory SANITIZE= imcost build/rel/gen-cur
	@scripts/valgrind-e2e.sh

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_SRC:%.c=$(FUZZ_DIR)/%.d)
