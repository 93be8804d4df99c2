/*
 * fuzz-aws-cur.c - libFuzzer harness for the aws-cur importer: any bytes, imported
 * as `imcost import --as aws-cur` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "aws-cur"
#include "tests/fuzz/fuzz-import.h"
