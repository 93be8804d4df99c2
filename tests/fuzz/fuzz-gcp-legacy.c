/*
 * fuzz-gcp-legacy.c - libFuzzer harness for the gcp-legacy importer (the
 * Google Cloud legacy billing file export): any bytes, imported as `imcost
 * import --as gcp-legacy` into an in-memory database, with the import
 * invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "gcp-legacy"
#include "tests/fuzz/fuzz-import.h"
