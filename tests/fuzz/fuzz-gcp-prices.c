/*
 * fuzz-gcp-prices.c - libFuzzer harness for the gcp-prices price-list importer: any
 * bytes, imported as `imcost import --as gcp-prices` into an in-memory database,
 * with the import invariants of fuzz-import.h (price lists included)
 * checked after each run.
 */
#define FUZZ_FORMAT "gcp-prices"
#include "tests/fuzz/fuzz-import.h"
