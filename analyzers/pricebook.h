/*
 * pricebook.h - the one place analyses get prices from (issue 14).
 *
 * pricebook_build fills a catalog (analyzers/catalog.h) from four sources,
 * each over the one before (later wins, per provider, region, instance
 * type and platform):
 *
 *   1. the built-in catalog (data/catalog.json)            "built-in"
 *   2. the bill's own rates: ListCost / ConsumedQuantity of on-demand
 *      (PricingCategory Standard) instance usage, per group, over the
 *      billing periods of [start, end): CUR pricing/publicOnDemandCost,
 *      FOCUS ListCost, Azure PayG cost, GCP cost at list; on-demand
 *      prices only, offers stay from below                   "bill"
 *   3. imported price lists (imcost import; importers/prices-db.h), the
 *      newest publication of each list: on-demand price, reserved
 *      (standard class) and subscription offers, savings plans (compute
 *      plans, else EC2 instance plans), and vCPU / memory
 *                                          "FILE (published DATE)"
 *   4. each --pricing FILE, whole entries                  "--pricing FILE"
 *
 * Each entry records where its on-demand price (od_source) and its offers
 * (offer_source) came from, so every figure can name its price source.
 * Price lists are read from the local SQLite database (db_path) whatever
 * the engine: with --engine clickhouse/postgresql they are imported into
 * and read from --db; the bill's rates are read from the engine.
 */
#ifndef IMCOST_PRICEBOOK_H
#define IMCOST_PRICEBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct catalog;
struct engine;

/*
 * Fill the empty catalog c.  eng: where the charges live (NULL: no bill
 * rates); db_path: the local database holding price lists (NULL or a
 * missing file: none); pricing[0..npricing): --pricing files.  Returns 0,
 * or -1 with err set.
 */
int pricebook_build(struct catalog *c, struct engine *eng, int64_t start, int64_t end,
		    const char *db_path, const char *const *pricing, int npricing,
		    struct ic_error *err);

/*
 * As pricebook_build without a bill and --pricing files: the built-in
 * catalog, then the imported price lists of db_path for the n (provider,
 * region) pairs given (Linux).  For `imcost vendors`' self-hosting.
 * Returns 0, or -1 with err set.
 */
int pricebook_build_for(struct catalog *c, const char *db_path, const char *const *providers,
			const char *const *regions, int n, struct ic_error *err);

/*
 * The number of current (not replaced) price lists in the local database:
 * eng's own when it is SQLite, else the file db_path.  -1 when there is no
 * such database or it cannot be read; 0 when it has no price lists.
 */
long pricebook_list_count(struct engine *eng, const char *db_path);
/*
 * The command that gets prices for provider/region/type, written to buf:
 * the provider's price list to download (URL pattern) and import, or
 * --pricing FILE for providers without one.  Returns buf.
 */
char *pricebook_fix(const char *provider, const char *region, const char *type, char *buf,
		    size_t n);

#endif
