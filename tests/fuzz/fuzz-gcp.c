/*
 * fuzz-gcp.c - libFuzzer harness for the gcp importer: any bytes, imported
 * as `imcost import --as gcp` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "gcp"
#include "tests/fuzz/fuzz-import.h"
