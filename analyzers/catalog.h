/*
 * catalog.h - pricing catalogs: on-demand and commitment offers per
 * (provider, region, instance type, platform), from JSON.
 *
 * Format (unknown keys are ignored; a missing required key is an error
 * naming the entry):
 *
 *   {"compute": [{
 *      "provider": "AWS", "region": "us-east-1", "instance_type": "m6i.large",
 *      "platform": "Linux", "on_demand_hourly": 0.096,          <- required
 *      "currency": "USD", "vcpu": 2, "memory_gib": 8,            <- optional
 *      "source": "...", "as_of": "2025-06",
 *      "commitments": [{"term": "1y|3y|1m",
 *                       "payment": "no_upfront|partial_upfront|all_upfront",
 *                       "upfront": 0, "hourly": 0.06,
 *                       "type": "reserved|savings_plan"}]}]}
 *
 * Prices are per unit (one instance); "upfront" is paid once per unit for
 * the whole term, "hourly" every hour of the term.  Numbers may also be
 * given as strings ("0.0416") for exact decimals.  Currency defaults to
 * USD, type to "reserved", upfront and hourly to 0.
 *
 * The built-in catalog (data/catalog.json, compiled into the program) is
 * loaded first; each --pricing file then adds entries or replaces whole
 * entries with the same key.  Keys compare case-insensitively; provider
 * aliases ("Amazon Web Services" = AWS, "Alibaba Cloud" = Alibaba, ...)
 * and "Linux/UNIX" = "Linux" are folded.
 */
#ifndef IMCOST_CATALOG_H
#define IMCOST_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/options.h"
#include "common/error.h"

struct catalog_offer {
	enum commit_term term;
	enum commit_payment payment;
	int savings_plan;	/* "type": "savings_plan" */
	int64_t upfront;	/* nanos per unit, once per term */
	int64_t hourly;		/* nanos per unit-hour */
};

struct catalog_entry {
	char *provider, *region, *instance_type, *platform;	/* as written */
	char *currency, *source, *as_of;			/* NULL if absent */
	int64_t on_demand_hourly;	/* nanos per hour */
	double vcpu, memory_gib;	/* 0 when unknown */
	struct catalog_offer *offers;
	int noffers;
	/* where the on-demand price and the offers come from
	 * (analyzers/pricebook.h): "built-in", "bill", "FILE (published
	 * DATE)", "--pricing FILE"; NULL when not set */
	char *od_source, *offer_source, *sp_source;	/* sp: savings plans */
};

struct catalog {
	struct catalog_entry *e;
	int n;
};

/* The built-in catalog's JSON text (generated from data/catalog.json by
 * mk/catalog.mk), NUL-terminated. */
extern const char ic_catalog_builtin[];

/* A new empty catalog, or NULL on ENOMEM.  Free with catalog_free. */
struct catalog *catalog_new(void);
void catalog_free(struct catalog *c);

/*
 * Merge the catalog JSON text[0..len) into c: entries with a new key are
 * added, entries with an existing key replace the old one whole.  name
 * labels errors ("FILE: compute[3] (AWS us-east-1 m6i.large): ...").
 * Returns 0, or -1 with err set (c unchanged on error).
 */
int catalog_merge_json(struct catalog *c, const char *text, size_t len, const char *name,
		       struct ic_error *err);
/* The same from a file (any size); -1 with err naming the file. */
int catalog_merge_file(struct catalog *c, const char *path, struct ic_error *err);
/* The built-in catalog into c. */
int catalog_load_builtin(struct catalog *c, struct ic_error *err);

/*
 * The entry for a charge's provider, region, instance type and platform
 * (NULL platform is taken as Linux), or NULL.  Points into c.
 */
const struct catalog_entry *catalog_find(const struct catalog *c, const char *provider,
					 const char *region, const char *instance_type,
					 const char *platform);

/*
 * Label every entry whose od_source / offer_source is still NULL with
 * label (entries just loaded or merged).  Returns 0, or -1 on ENOMEM.
 */
int catalog_label(struct catalog *c, const char *label);

/* Effective hourly rate of an offer: hourly + upfront / term hours (nanos,
 * as a double since the spread is fractional). */
double catalog_offer_rate(const struct catalog_offer *o);

/* Folded forms used for matching: lower case, aliases resolved.  Write
 * into buf (size n) and return buf. */
char *catalog_fold_provider(const char *s, char *buf, size_t n);
char *catalog_fold_platform(const char *s, char *buf, size_t n);

#endif
