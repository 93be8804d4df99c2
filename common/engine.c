/*
 * engine.c - the engine layer (see engine.h): opening and closing an
 * engine, what it is, and the tables of the remote schema.  The rest is
 * split by concern: the URL (engine-url.c), running a remote engine's
 * client (engine-proc.c), SQL text and macros (engine-sql.c), statements
 * with typed results (engine-stmt.c), bulk loads (engine-load.c).  What
 * differs between engines (client arguments, SQL spellings, schema) is in
 * the dialect files engine-sqlite.c, engine-clickhouse.c and
 * engine-postgresql.c.
 */
#include <stdlib.h>

#include "common/engine-int.h"
#include "common/rollup.h"

/* ---- opening ---- */

static const struct engine_dialect *
dialect_of(enum engine_kind k)
{
	switch (k) {
	case ENGINE_CLICKHOUSE: return &engine_dialect_clickhouse;
	case ENGINE_POSTGRESQL: return &engine_dialect_postgresql;
	default: return &engine_dialect_sqlite;
	}
}

struct engine *
engine_wrap_sqlite(sqlite3 *db)
{
	struct engine *e = calloc(1, sizeof *e);

	if (e == NULL)
		return NULL;
	e->url.kind = ENGINE_SQLITE;
	e->d = &engine_dialect_sqlite;
	e->db = db;
	return e;
}

struct engine *
engine_open(const char *url, enum db_mode mode, struct ic_error *err)
{
	struct engine *e = calloc(1, sizeof *e);
	const char *client;

	if (e == NULL) {
		ic_errorf(err, "out of memory");
		return NULL;
	}
	if (engine_url_parse(url, &e->url, err) != 0)
		goto fail;
	e->d = dialect_of(e->url.kind);
	if (e->url.kind == ENGINE_SQLITE) {
		e->db = db_open(e->url.path, mode, err);
		if (e->db == NULL)
			goto fail;
		e->own_db = 1;
		return e;
	}
	client = getenv(e->d->client_env);
	if (client == NULL || *client == '\0')
		client = e->d->client_name;
	if (find_program(client, e->client, sizeof e->client) != 0) {
		ic_errorf(err, "%s: %s not found on PATH (install it, or name it in $%s)", e->d->name,
			  client, e->d->client_env);
		goto fail;
	}
	if (e->d->schema(e, mode == DB_WRITE, err) != 0)
		goto fail;
	return e;
fail:
	engine_close(e);
	return NULL;
}

int
engine_peer(struct engine *e, struct engine **peer, struct ic_error *err)
{
	unsigned stale;
	sqlite3 *db;

	*peer = NULL;
	/* a transaction of e's (analyze FILE's import) is e's alone to see */
	if (e->d->kind != ENGINE_SQLITE || e->db == NULL || !sqlite3_get_autocommit(e->db))
		return 0;
	if (rollup_stale(e->db, &stale, err) != 0)
		return -1;
	if (stale)
		return 0;
	if ((db = db_open_peer(e->db, err)) == NULL)
		return -1;
	if ((*peer = engine_wrap_sqlite(db)) == NULL) {
		db_close(db);
		return ic_errorf(err, "out of memory");
	}
	(*peer)->own_db = 1;
	(*peer)->url = e->url;
	return 0;
}

void
engine_close(struct engine *e)
{
	if (e == NULL)
		return;
	if (e->own_db)
		db_close(e->db);
	free(e->shards);
	free(e);
}

enum engine_kind
engine_kind(const struct engine *e)
{
	return e->d->kind;
}

const char *
engine_name(const struct engine *e)
{
	return e->d->name;
}

sqlite3 *
engine_sqlite(struct engine *e)
{
	return e->d->kind == ENGINE_SQLITE ? e->db : NULL;
}

int
engine_check_wait(struct engine *e, struct ic_error *err)
{
	return e->d->kind == ENGINE_SQLITE ? db_check_wait(e->db, err) : 0;
}

const struct engine_url *
engine_url(const struct engine *e)
{
	return &e->url;
}

/* *n = the first column of sql's one row */
static int
one_count(struct engine *e, const char *sql, int64_t *n, struct ic_error *err)
{
	struct engine_stmt *st = engine_prepare(e, sql, err);
	int r;

	if (st == NULL)
		return -1;
	r = engine_step(st, err);
	if (r == 1)
		*n = engine_column_int64(st, 0);
	engine_finalize(st);
	if (r != 1)
		return r < 0 ? -1 : ic_errorf(err, "%s: no answer from %s", e->d->name, sql);
	return 0;
}

int
engine_tag_store(struct engine *e, int columns_only, int *has, struct ic_error *err)
{
	int64_t n = 0;

	*has = 1;
	if (e->d->kind == ENGINE_SQLITE)
		return 0;
	if (one_count(e, e->d->kind == ENGINE_CLICKHOUSE ?
		      "SELECT count() AS n FROM system.columns WHERE database = currentDatabase()"
		      " AND table = 'charges_data' AND name IN ('TagKeys', 'TagValues')" :
		      "SELECT count(*) AS n FROM information_schema.columns WHERE table_schema ="
		      " current_schema() AND table_name = 'charges_data'"
		      " AND column_name IN ('tagkeys', 'tagvalues')", &n, err) != 0)
		return -1;
	*has = n == 2;
	if (!*has || columns_only || e->d->kind != ENGINE_POSTGRESQL)
		return 0;
	if (one_count(e, "SELECT count(*) AS n FROM charges WHERE TagKeys IS NULL", &n, err) != 0)
		return -1;
	*has = n == 0;
	return 0;
}

int
engine_delete_imports(struct engine *e, const int64_t *ids, int n, struct ic_error *err)
{
	if (n <= 0)
		return 0;
	return e->d->delete_imports(e, ids, n, err);
}

/* ---- the remote schema (engine.h) ---- */

static const struct engine_column charges_cols[] = {
	{ "import_id", EC_INT },
	{ "SourceLine", EC_INT },
	{ "BilledCostNanos", EC_INT },
	{ "EffectiveCostNanos", EC_INT },
	{ "ListCostNanos", EC_INT_NULL },
	{ "ContractedCostNanos", EC_INT_NULL },
	{ "ConsumedQuantity", EC_REAL_NULL },
	{ "PricingQuantity", EC_REAL_NULL },
	{ "ChargePeriodStart", EC_INT },
	{ "ChargePeriodEnd", EC_INT },
	{ "BillingPeriodStart", EC_INT },
	{ "BillingPeriodEnd", EC_INT },
	{ "BillingCurrency", EC_TEXT },
	{ "ProviderName", EC_TEXT },
	{ "BillingAccountId", EC_TEXT },
	{ "SubAccountId", EC_TEXT_NULL },
	{ "ChargeCategory", EC_TEXT },
	{ "ChargeClass", EC_TEXT_NULL },
	{ "ChargeFrequency", EC_TEXT_NULL },
	{ "ChargeDescription", EC_TEXT_NULL },
	{ "PricingCategory", EC_TEXT_NULL },
	{ "CommitmentDiscountId", EC_TEXT_NULL },
	{ "CommitmentDiscountType", EC_TEXT_NULL },
	{ "CommitmentDiscountStatus", EC_TEXT_NULL },
	{ "CommitmentDiscountCategory", EC_TEXT_NULL },
	{ "ServiceName", EC_TEXT_NULL },
	{ "ServiceCategory", EC_TEXT_NULL },
	{ "RegionId", EC_TEXT_NULL },
	{ "AvailabilityZone", EC_TEXT_NULL },
	{ "ResourceId", EC_TEXT_NULL },
	{ "ResourceType", EC_TEXT_NULL },
	{ "SkuId", EC_TEXT_NULL },
	{ "ConsumedUnit", EC_TEXT_NULL },
	{ "PricingUnit", EC_TEXT_NULL },
	{ "Tags", EC_TEXT_NULL },
	{ "x_InstanceType", EC_TEXT_NULL },
	{ "x_UsageType", EC_TEXT_NULL },
	{ "x_Operation", EC_TEXT_NULL },
	{ "x_Platform", EC_TEXT_NULL },
	{ "x_LineItemType", EC_TEXT_NULL },
	/* x_ServiceCode (SQLite schema 6) is not carried to remote engines yet:
	 * their tables would need it added in place */
	/* the tag store of remote engines: Tags's folded keys and their
	 * values (tag_pairs_get), filled by import --engine; the last two
	 * columns (ENGINE_TAG_COLS), added in place to older tables */
	{ "TagKeys", EC_TEXT_ARRAY },
	{ "TagValues", EC_TEXT_ARRAY },
};

static const struct engine_column usage_cols[] = {
	{ "resource_id", EC_TEXT },
	{ "ts", EC_INT },
	{ "metric", EC_TEXT },
	{ "value", EC_REAL },
	{ "unit", EC_TEXT_NULL },
	{ "import_id", EC_INT },
};

static const struct engine_column batches_cols[] = {
	{ "id", EC_INT },
	{ "label", EC_TEXT_NULL },
	{ "created_at", EC_TEXT },
};

static const struct engine_column imports_cols[] = {
	{ "id", EC_INT },
	{ "batch_id", EC_INT },
	{ "path", EC_TEXT },
	{ "sha256", EC_TEXT },
	{ "format", EC_TEXT },
	{ "kind", EC_TEXT },
	{ "records", EC_INT },
	{ "rows", EC_INT },
	{ "warnings", EC_TEXT_NULL },
	{ "imported_at", EC_TEXT },
};

static const struct engine_column periods_cols[] = {
	{ "import_id", EC_INT },
	{ "batch_id", EC_INT },
	{ "provider", EC_TEXT },
	{ "billing_account_id", EC_TEXT },
	{ "billing_period_start", EC_INT },
	{ "billing_period_end", EC_INT },
	{ "currency", EC_TEXT },
	{ "rows", EC_INT },
	{ "billed_cost_nanos", EC_INT },
	{ "effective_cost_nanos", EC_INT },
};

static const struct engine_column commits_cols[] = {
	{ "batch_id", EC_INT },
	{ "committed_at", EC_TEXT },
};

#define COLS(a) a, (int)(sizeof a / sizeof a[0])

const struct engine_table engine_tables[ET_COUNT] = {
	[ET_CHARGES] = { "charges_data", COLS(charges_cols),
			 "(BillingPeriodStart, ChargePeriodStart, import_id)", "BillingPeriodStart" },
	[ET_USAGE] = { "usage_data", COLS(usage_cols), "(resource_id, metric, ts)", "ts" },
	[ET_BATCHES] = { "batches", COLS(batches_cols), "id", NULL },
	[ET_IMPORTS] = { "imports", COLS(imports_cols), "id", NULL },
	[ET_IMPORT_PERIODS] = { "import_periods", COLS(periods_cols),
				"(provider, billing_account_id, billing_period_start, batch_id)", NULL },
	[ET_COMMITS] = { "commits", COLS(commits_cols), "batch_id", NULL },
};
