# mk/oracle.mk - libcsv as the oracle of imcost's CSV reader.
# Included by the main Makefile (BUILD, CC, ALL_CFLAGS, LIBS are its own).
#
#   $(BUILD)/csv-oracle       reads files with both readers and compares
#                             (tests/oracle/csv-oracle.c); `make check` builds
#                             it and tests/e2e/t-csv-oracle.sh runs it on
#                             every CSV input the tests have
#   fuzz-csv-libcsv           the differential libFuzzer harness
#                             (tests/fuzz/fuzz-csv-libcsv.c), built and run
#                             by mk/fuzz.mk like every harness
#
# libcsv (Debian libcsv-dev) is linked into these test programs only, never
# into imcost.

ORACLE_BIN := $(BUILD)/csv-oracle

.PHONY: oracle-build

check: oracle-build

oracle-build: deps
	@$(MAKE) --no-print-directory $(ORACLE_BIN)

$(ORACLE_BIN): tests/oracle/csv-oracle.c tests/oracle/csv-diff.h $(BUILD)/libimcost.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libimcost.a $(LIBS) -lcsv

$(FUZZ_DIR)/fuzz-csv-libcsv: LIBS += -lcsv
$(FUZZ_REPLAY_DIR)/csv-libcsv: LIBS += -lcsv
$(FUZZ_REPLAY_DIR)/csv-libcsv: tests/oracle/csv-diff.h
