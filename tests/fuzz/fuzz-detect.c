/*
 * fuzz-detect.c - libFuzzer harness for the import driver with format
 * detection: any bytes (CSV, JSON document or JSON lines, gzip of either)
 * imported as `imcost import FILE` would, so every importer, every JSON
 * reader and the gzip path are reached from one corpus.  Invariants: see
 * fuzz-import.h.
 */
#define FUZZ_FORMAT NULL
#include "tests/fuzz/fuzz-import.h"
