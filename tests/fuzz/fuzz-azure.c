/*
 * fuzz-azure.c - libFuzzer harness for the azure importer: any bytes, imported
 * as `imcost import --as azure` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "azure"
#include "tests/fuzz/fuzz-import.h"
