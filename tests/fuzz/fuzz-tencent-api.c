/*
 * fuzz-tencent-api.c - libFuzzer harness for the tencent-api importer (the JSON of
 * Tencent Cloud's DescribeBillDetail API): any bytes, imported as
 * `imcost import --as tencent-api` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "tencent-api"
#include "tests/fuzz/fuzz-import.h"
