/*
 * prices-query.h - reading the imported price lists back (imcost
 * prices): the lists, and the prices of a region, instance type and kind.
 * The tables are prices-db.h's.
 */
#ifndef IMCOST_PRICES_QUERY_H
#define IMCOST_PRICES_QUERY_H

#include <stdint.h>

#include "common/error.h"

/* One imported price list.  Texts are "" for NULL and valid only during
 * the callback. */
struct price_list_row {
	int64_t id, import_id, rows;
	int64_t replaced_by;	/* the import that replaced it, 0 when current */
	const char *provider, *offer, *region, *publication, *path;
};

/* One price, with the instance type's size when known (0 otherwise). */
struct price_row {
	const char *provider, *region, *instance_type, *platform, *kind, *term, *payment,
		*offering_class, *currency, *path, *publication;
	int64_t upfront_nanos, hourly_nanos;
	double vcpu, memory_gib;
	int replaced;		/* its list was replaced by a newer publication */
};

/*
 * Call fn(arg, row) for each price list of the database at db_path
 * (opened read-only), ordered by provider, offer, region, publication.
 * A non-zero return from fn stops with that value.  Returns 0, fn's
 * value, or -1 with err set ("no price lists yet" when the database has
 * no price tables).
 */
int prices_query_lists(const char *db_path, int (*fn)(void *arg, const struct price_list_row *row),
		       void *arg, struct ic_error *err);

/*
 * The same for the prices whose region, instance type and kind are those
 * given (NULL: any), of current lists only unless all; ordered by
 * provider, region, type, platform, kind, term, payment, class, newest
 * publication first.
 */
int prices_query_lookup(const char *db_path, const char *region, const char *type,
			const char *kind, int all,
			int (*fn)(void *arg, const struct price_row *row), void *arg,
			struct ic_error *err);

#endif
