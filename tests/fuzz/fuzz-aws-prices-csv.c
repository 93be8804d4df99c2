/*
 * fuzz-aws-prices-csv.c - libFuzzer harness for the aws-prices-csv price-list importer: any
 * bytes, imported as `imcost import --as aws-prices-csv` into an in-memory database,
 * with the import invariants of fuzz-import.h (price lists included)
 * checked after each run.
 */
#define FUZZ_FORMAT "aws-prices-csv"
#include "tests/fuzz/fuzz-import.h"
