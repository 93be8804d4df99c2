/*
 * fuzz-focus.c - libFuzzer harness for the focus importer: any bytes, imported
 * as `imcost import --as focus` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "focus"
#include "tests/fuzz/fuzz-import.h"
