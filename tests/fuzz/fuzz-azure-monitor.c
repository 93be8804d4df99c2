/*
 * fuzz-azure-monitor.c - libFuzzer harness for the azure-monitor reader: any bytes,
 * imported as `imcost import --as azure-monitor` into an in-memory database, with
 * the import invariants of fuzz-import.h checked after each run.
 */
#define FUZZ_FORMAT "azure-monitor"
#include "tests/fuzz/fuzz-import.h"
