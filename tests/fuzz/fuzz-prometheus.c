/*
 * fuzz-prometheus.c - libFuzzer harness for the prometheus JSON reader: any bytes,
 * imported as `imcost import --as prometheus` into an in-memory database, with
 * the import invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "prometheus"
#include "tests/fuzz/fuzz-import.h"
