/*
 * fuzz-cloudwatch.c - libFuzzer harness for the cloudwatch JSON reader: any bytes,
 * imported as `imcost import --as cloudwatch` into an in-memory database, with
 * the import invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "cloudwatch"
#include "tests/fuzz/fuzz-import.h"
