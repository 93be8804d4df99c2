/*
 * fuzz-azure-prices.c - libFuzzer harness for the azure-prices price-list importer: any
 * bytes, imported as `imcost import --as azure-prices` into an in-memory database,
 * with the import invariants of fuzz-import.h (price lists included)
 * checked after each run.
 */
#define FUZZ_FORMAT "azure-prices"
#include "tests/fuzz/fuzz-import.h"
