/*
 * fuzz-gcp-monitoring.c - libFuzzer harness for the gcp-monitoring reader: any bytes,
 * imported as `imcost import --as gcp-monitoring` into an in-memory database, with
 * the import invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "gcp-monitoring"
#include "tests/fuzz/fuzz-import.h"
