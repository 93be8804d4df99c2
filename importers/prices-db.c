/*
 * prices-db.c - price lists into the database: the sink the import driver
 * gives the parsers of importers/prices.h, the price-list formats of
 * `imcost import`, and what "a newer publication replaces the older one"
 * means (see prices-db.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "common/db.h"
#include "importers/importer.h"
#include "importers/prices-db.h"
#include "importers/prices-db-int.h"
#include "importers/prices.h"

static void
sink_warn(struct price_sink *s, long line, long col, const char *msg)
{
	struct price_import *pi = (struct price_import *)s;

	if (pi->warn)
		pi->warn(pi->warn_arg, line, col, msg);
}

static void
sink_meta(struct price_sink *s, const char *offer, const char *publication)
{
	struct price_import *pi = (struct price_import *)s;

	/* cut at a character: price_lists keeps them as UTF-8 text */
	str_copy_fit(pi->offer, sizeof pi->offer, offer ? offer : "");
	str_copy_fit(pi->publication, sizeof pi->publication, publication ? publication : "");
}

struct price_import *
price_import_new(sqlite3 *db, int64_t import_id, const struct importer *imp, const char *name,
		 void (*warn)(void *, long, long, const char *), void *warn_arg,
		 struct ic_error *err)
{
	struct price_import *pi = calloc(1, sizeof *pi);

	if (pi == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&pi->mu, NULL);
	pthread_cond_init(&pi->cv, NULL);
	pi->db = db;
	pi->import_id = import_id;
	pi->fmt = imp->prices;
	pi->last = -1;
	pi->warn = warn;
	pi->warn_arg = warn_arg;
	pi->sink.name = name;
	pi->sink.emit = prices_sink_emit;
	pi->sink.meta = sink_meta;
	pi->sink.warn = sink_warn;
	pi->ins_price = db_prepare(db,
		"INSERT INTO prices(list_id, provider, region, instance_type, platform, kind, term,"
		" payment, offering_class, currency, upfront_nanos, hourly_nanos, usage_type,"
		" operation, sku) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	pi->ins_list = pi->ins_price ? db_prepare(db,
		"INSERT INTO price_lists(import_id, provider, offer, region, publication, rows)"
		" VALUES(?,?,?,?,?,0)", err) : NULL;
	pi->ins_type = pi->ins_list ? db_prepare(db,
		"INSERT OR REPLACE INTO instance_types(provider, instance_type, vcpu, memory_gib,"
		" family, size_factor, list_id) VALUES(?,?,?,?,?,?,?)", err) : NULL;
	if (pi->ins_type == NULL) {
		price_import_free(pi);
		return NULL;
	}
	{
		/* OR FAIL: a statement that could stop half-way after
		 * changing rows would need a statement journal (SQLite copies
		 * every page it touches first: most of the system time); a
		 * failed statement fails the file, whose savepoint is rolled
		 * back (as import.c does for charges) */
		static const char head[] = "INSERT OR FAIL INTO prices(list_id, provider, region, instance_type,"
			" platform, kind, term, payment, offering_class, currency, upfront_nanos,"
			" hourly_nanos, usage_type, operation, sku) VALUES";
		static const char one[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
		char sql[sizeof head + PRICE_MULTI * sizeof one];
		size_t l = sizeof head - 1;

		_Static_assert(PRICE_COLS * PRICE_MULTI < 999, "within SQLite's parameter limit");
		memcpy(sql, head, l);
		for (int k = 0; k < PRICE_MULTI; k++) {
			if (k)
				sql[l++] = ',';
			memcpy(sql + l, one, sizeof one - 1);
			l += sizeof one - 1;
		}
		sql[l] = '\0';
		pi->ins_many = db_prepare(db, sql, err);
		if (pi->ins_many == NULL) {
			price_import_free(pi);
			return NULL;
		}
	}
	for (int k = 0; k < PRICE_SLOTS; k++) {
		struct pbatch *b = &pi->batch[k];
		b->rows = malloc(PRICE_BATCH_ROWS * sizeof *b->rows);
		b->arena = malloc(PRICE_ARENA);
		b->cap = PRICE_ARENA;
		if (b->rows == NULL || b->arena == NULL) {
			ic_errorf(err, "out of memory");
			price_import_free(pi);
			return NULL;
		}
	}
	pi->state = pi->fmt->open(&pi->sink, err);
	if (pi->state == NULL) {
		price_import_free(pi);
		return NULL;
	}
	if (pthread_create(&pi->thread, NULL, prices_writer_main, pi) != 0) {
		ic_errorf(err, "cannot start the price-list writer thread");
		price_import_free(pi);
		return NULL;
	}
	pi->started = 1;
	return pi;
}

int
price_import_csv(struct price_import *pi, const struct csv_record *rec, struct ic_error *err)
{
	if (pi->fmt->csv_record == NULL)
		return ic_error_at(err, pi->sink.name, rec->line, 1, "this price-list format is JSON, not CSV");
	return pi->fmt->csv_record(pi->state, rec, err);
}

int
price_import_json(struct price_import *pi, const cJSON *v, struct ic_error *err)
{
	if (pi->fmt->json_doc == NULL)
		return ic_error_at(err, pi->sink.name, 1, 1, "this price-list format is CSV, not JSON");
	return pi->fmt->json_doc(pi->state, v, err);
}

const char *
price_import_items(const struct price_import *pi)
{
	return pi->fmt->json_item ? pi->fmt->json_items : NULL;
}

int
price_import_json_item(struct price_import *pi, const cJSON *item, long idx, struct ic_error *err)
{
	return pi->fmt->json_item(pi->state, item, idx, err);
}

const char *const *
price_import_objects(const struct price_import *pi)
{
	return pi->fmt->json_member ? pi->fmt->json_objects : NULL;
}

int
price_import_json_member(struct price_import *pi, int which, const char *parent,
			 const cJSON *member, long line, struct ic_error *err)
{
	return pi->fmt->json_member(pi->state, which, parent, member, line, err);
}

int
price_import_json_skeleton(struct price_import *pi, const cJSON *doc, struct ic_error *err)
{
	return pi->fmt->json_skeleton(pi->state, doc, err);
}

int
price_import_end(struct price_import *pi, struct ic_error *err)
{
	if (pi->fmt->finish(pi->state, err) != 0)
		return -1;
	if (prices_hand_over(pi, err) != 0)
		return -1;
	if (prices_writer_stop(pi, err) != 0)
		return -1;
	return prices_index_restore(pi, err);
}

void
price_import_expect(struct price_import *pi, uint64_t bytes)
{
	pi->expect_bytes = bytes;
}

void
price_import_stop(struct price_import *pi)
{
	if (pi)
		(void)prices_writer_stop(pi, NULL);
}

long
price_import_rows(const struct price_import *pi)
{
	return pi->rows;
}

int
price_import_replaced(const struct price_import *pi)
{
	return pi->replaced;
}

/* newer publication first, then the later import */
static int
newer(const char *pa, int64_t ia, const char *pb, int64_t ib)
{
	int c = strcmp(pa, pb);
	return c != 0 ? c > 0 : ia > ib;
}

static int
mark_replaced(struct price_import *pi, int64_t list, int64_t by, struct ic_error *err)
{
	sqlite3_stmt *del = db_prepare(pi->db, "DELETE FROM prices WHERE list_id = ?", err);
	sqlite3_stmt *up = del ? db_prepare(pi->db,
		"UPDATE price_lists SET replaced_by = ? WHERE id = ?", err) : NULL;
	int rc = -1;

	if (up == NULL)
		goto out;
	sqlite3_bind_int64(del, 1, list);
	sqlite3_bind_int64(up, 1, by);
	sqlite3_bind_int64(up, 2, list);
	if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(up) != SQLITE_DONE) {
		db_error(pi->db, "replacing an older price list", err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(up);
	return rc;
}

int
price_import_commit(struct price_import *pi, struct ic_error *err)
{
	sqlite3_stmt *rows = db_prepare(pi->db, "UPDATE price_lists SET rows = ? WHERE id = ?", err);
	sqlite3_stmt *find = rows ? db_prepare(pi->db,
		"SELECT l.id, l.import_id, l.publication FROM price_lists l JOIN price_lists m"
		" ON m.id = ?1 AND l.provider = m.provider AND l.offer = m.offer AND l.region = m.region"
		" WHERE l.id <> ?1 AND l.replaced_by IS NULL AND l.import_id <> m.import_id"
		/* the files of one command (one batch) with the same
		 * publication add up: the pages of an Azure crawl of one
		 * region (README: price lists) */
		" AND NOT (l.publication = m.publication AND"
		"  (SELECT batch_id FROM imports WHERE id = l.import_id)"
		"  IS (SELECT batch_id FROM imports WHERE id = m.import_id))", err) : NULL;
	int rc = -1;

	if (find == NULL)
		goto out;
	for (int i = 0; i < pi->nlists; i++) {
		struct plist *l = &pi->lists[i];
		int r, mine_replaced = 0;

		sqlite3_reset(rows);
		sqlite3_bind_int64(rows, 1, l->rows);
		sqlite3_bind_int64(rows, 2, l->id);
		if (sqlite3_step(rows) != SQLITE_DONE) {
			db_error(pi->db, "recording a price list", err);
			goto out;
		}
		sqlite3_reset(find);
		sqlite3_bind_int64(find, 1, l->id);
		while ((r = sqlite3_step(find)) == SQLITE_ROW && !mine_replaced) {
			int64_t other = sqlite3_column_int64(find, 0), oimp = sqlite3_column_int64(find, 1);
			const char *opub = (const char *)sqlite3_column_text(find, 2);

			if (newer(pi->publication, pi->import_id, opub ? opub : "", oimp)) {
				if (mark_replaced(pi, other, pi->import_id, err) != 0)
					goto out;
				pi->replaced++;
			} else {
				if (mark_replaced(pi, l->id, oimp, err) != 0)
					goto out;
				mine_replaced = 1;
				if (pi->warn)
					pi->warn(pi->warn_arg, 0, 0,
						 "an older publication than the one already imported: recorded, not used");
			}
		}
		if (r != SQLITE_DONE && r != SQLITE_ROW) {
			db_error(pi->db, "looking for older price lists", err);
			goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(rows);
	sqlite3_finalize(find);
	return rc;
}

void
price_import_free(struct price_import *pi)
{
	if (pi == NULL)
		return;
	(void)prices_writer_stop(pi, NULL);
	if (pi->state)
		pi->fmt->close(pi->state);
	for (int k = 0; k < PRICE_SLOTS; k++) {
		free(pi->batch[k].rows);
		free(pi->batch[k].arena);
	}
	sqlite3_finalize(pi->ins_many);
	sqlite3_finalize(pi->ins_price);
	sqlite3_finalize(pi->ins_list);
	sqlite3_finalize(pi->ins_type);
	for (size_t i = 0; i < pi->types_cap; i++)
		free(pi->types[i]);
	free(pi->types);
	free(pi->lists);
	for (int i = 0; i < pi->nindex; i++)
		free(pi->index_sql[i]);
	free(pi->index_sql);
	pthread_mutex_destroy(&pi->mu);
	pthread_cond_destroy(&pi->cv);
	free(pi);
}

/* ---- the formats ---- */

static int
detect_aws_csv(const struct header *h)
{
	/* the first of the 5 metadata rows: "FormatVersion","v1.0" */
	return h->n >= 2 && h->n <= 3 && h->f[0].len == 13 &&
	       strncasecmp(h->f[0].s, "FormatVersion", 13) == 0 ? 100 : 0;
}

static int
detect_aws_json(const struct cJSON *v)
{
	if (cJSON_IsObject(v) && (cJSON_GetObjectItemCaseSensitive(v, "offerCode") ||
				  (cJSON_GetObjectItemCaseSensitive(v, "products") &&
				   cJSON_GetObjectItemCaseSensitive(v, "terms")) ||
				  (cJSON_GetObjectItemCaseSensitive(v, "product") &&
				   cJSON_GetObjectItemCaseSensitive(v, "terms")) ||
				  cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v, "PriceList"))))
		return 50;
	return 0;
}

static int
detect_azure_json(const struct cJSON *v)
{
	return cJSON_IsObject(v) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v, "Items")) &&
	       (cJSON_GetObjectItemCaseSensitive(v, "BillingCurrency") ||
		cJSON_GetObjectItemCaseSensitive(v, "NextPageLink")) ? 50 : 0;
}

static int
detect_gcp_json(const struct cJSON *v)
{
	return cJSON_IsObject(v) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v, "skus")) ? 50 : 0;
}

static int
detect_generic_csv(const struct header *h)
{
	static const char *const need[] = { "provider", "region", "instance_type", "currency",
					    "on_demand_hourly", NULL };
	for (int i = 0; need[i]; i++)
		if (header_find(h, need[i]) < 0)
			return 0;
	return 90;
}

const struct importer importer_aws_prices_csv = {
	.name = "aws-prices-csv",
	.description = "AWS Price List bulk offer file (CSV: AmazonEC2, RDS, ...) or Savings Plans file (CSV)",
	.needs = "5 metadata rows, then SKU, OfferTermCode, TermType, Unit, PricePerUnit, Currency, Product Family, Location, Instance Type (offer) or DiscountedRate, Currency, DiscountedUsageType, DiscountedOperation, PurchaseOption, LeaseContractLength (savings plans)",
	.kind = KIND_PRICES,
	.detect = detect_aws_csv,
	.prices = &price_aws_csv,
};

const struct importer importer_aws_prices_json = {
	.name = "aws-prices-json",
	.description = "AWS Price List offer file or Savings Plans file (JSON), or GetProducts items",
	.needs = "products + terms.OnDemand / terms.Reserved (offer), products[] + terms.savingsPlan[] (savings plans), or product + terms (GetProducts)",
	.kind = KIND_PRICES,
	.detect_json = detect_aws_json,
	.prices = &price_aws_json,
};

const struct importer importer_azure_prices = {
	.name = "azure-prices",
	.description = "Azure Retail Prices API response page (JSON)",
	.needs = "Items[] with armSkuName, armRegionName, type, retailPrice/unitPrice, currencyCode, reservationTerm, savingsPlan[]",
	.kind = KIND_PRICES,
	.detect_json = detect_azure_json,
	.prices = &price_azure_json,
};

const struct importer importer_gcp_prices = {
	.name = "gcp-prices",
	.description = "GCP Cloud Billing Catalog services.skus.list response (JSON, Compute Engine)",
	.needs = "skus[] with description, category.usageType, serviceRegions, pricingInfo[].pricingExpression.tieredRates[].unitPrice{units,nanos}",
	.kind = KIND_PRICES,
	.detect_json = detect_gcp_json,
	.prices = &price_gcp_json,
};

const struct importer importer_generic_prices = {
	.name = "prices-csv",
	.description = "a price table for any provider (Alibaba, Tencent, ...): one row per on-demand price or commitment offer",
	.needs = "provider, region, instance_type, platform, currency, on_demand_hourly, term, payment, upfront, hourly",
	.kind = KIND_PRICES,
	.detect = detect_generic_csv,
	.prices = &price_generic_csv,
};
