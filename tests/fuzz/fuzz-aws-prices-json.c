/*
 * fuzz-aws-prices-json.c - libFuzzer harness for the aws-prices-json price-list importer: any
 * bytes, imported as `imcost import --as aws-prices-json` into an in-memory database,
 * with the import invariants of fuzz-import.h (price lists included)
 * checked after each run.
 */
#define FUZZ_FORMAT "aws-prices-json"
#include "tests/fuzz/fuzz-import.h"
