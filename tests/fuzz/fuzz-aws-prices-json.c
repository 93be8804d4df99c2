/*
 * fuzz-aws-prices-json.c - libFuzzer harness for the aws-prices-json price-list importer: any
 * bytes, imported as `imcost import --as aws-prices-json` into an in-memory database,
 * with the import invariants of fuzz-import.h (price lists included)
 * checked after each run.  Every product and key of a streamed offer
 * goes to the temporary database from the first (IMCOST_OFFER_MEMORY_MB=0,
 * spillmap.h), so small inputs reach the path big files take.
 */
#define FUZZ_FORMAT "aws-prices-json"
#include "tests/fuzz/fuzz-import.h"

__attribute__((constructor)) static void
spill_from_the_first(void)
{
	setenv("IMCOST_OFFER_MEMORY_MB", "0", 1);
}
