/*
 * fuzz-tencent.c - libFuzzer harness for the tencent importer: any bytes, imported
 * as `imcost import --as tencent` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "tencent"
#include "tests/fuzz/fuzz-import.h"
