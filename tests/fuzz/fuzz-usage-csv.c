/*
 * fuzz-usage-csv.c - libFuzzer harness for the usage-csv importer: any bytes, imported
 * as `imcost import --as usage-csv` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "usage-csv"
#include "tests/fuzz/fuzz-import.h"
