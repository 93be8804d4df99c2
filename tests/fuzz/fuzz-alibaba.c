/*
 * fuzz-alibaba.c - libFuzzer harness for the alibaba importer: any bytes, imported
 * as `imcost import --as alibaba` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "alibaba"
#include "tests/fuzz/fuzz-import.h"
