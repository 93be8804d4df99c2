/*
 * fuzz-oci.c - libFuzzer harness for the oci importer (Oracle Cloud cost
 * reports): any bytes, imported as `imcost import --as oci` into an
 * in-memory database, with the import invariants of fuzz-import.h checked
 * after each run.
 */
#define FUZZ_FORMAT "oci"
#include "tests/fuzz/fuzz-import.h"
