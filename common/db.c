/*
 * db.c - the database's schema and its migrations (see db.h).  Opening is
 * in db-open.c, the integrity checks in db-check.c (db-int.h between
 * them), the SQL function the schema uses (imcost_tag_fold) in
 * tagstore.c.
 */
#include <stdio.h>
#include <string.h>

#include "common/db-int.h"
#include "common/rollup.h"
#include "common/tags.h"

/*
 * rollup_resource as schema version 2 defined it (common/rollup.h has the
 * current definition): migration 1 -> 2 keeps building this one, which
 * migration 2 -> 3 replaces.
 */
#define ROLLUP_V2_RESOURCE_TABLE(create) create "rollup_resource(" \
	"import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL," \
	" BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT," \
	" ChargeCategory TEXT NOT NULL, x_UsageType TEXT, RegionId TEXT, x_InstanceType TEXT," \
	" x_Platform TEXT, x_LineItemType TEXT, positive INTEGER NOT NULL, rows INTEGER NOT NULL," \
	" BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ConsumedQuantity REAL," \
	" min_start INTEGER NOT NULL, max_end INTEGER NOT NULL)"
#define ROLLUP_V2_RESOURCE_KEYS \
	"import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId," \
	" ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType," \
	" CASE WHEN ConsumedQuantity > 0 THEN 1 ELSE 0 END"
#define ROLLUP_V2_RESOURCE_SELECT "SELECT " ROLLUP_V2_RESOURCE_KEYS "," \
	" COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ConsumedQuantity)," \
	" MIN(ChargePeriodStart), MAX(ChargePeriodEnd) FROM charges"
#define ROLLUP_V2_RESOURCE_WHERE ""
#define ROLLUP_V2_RESOURCE_GROUP " GROUP BY " ROLLUP_V2_RESOURCE_KEYS
#define ROLLUP_V2_RESOURCE_INDEXES(schema) ROLLUP_RESOURCE_INDEXES(schema)

/*
 * Forward migrations: migrations[i] takes user_version i to i+1.  Never
 * edit a released step (nor a rollup definition it builds: keep the old
 * one here, as ROLLUP_V2_RESOURCE above); append a new one.
 */
/* The first statements of schema 10's charges_insert and charges_update
 * triggers: a new charge_dims row, and resources and tag_sets rows for a
 * charge with a ResourceId or Tags (the fact row then takes their MAX(id)). */
#define V10_DICT_INSERTS "INSERT INTO " \
	"charge_dims(BillingCurrency, ProviderName, BillingAccountId, SubAccountId, " \
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, " \
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, " \
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, " \
	"AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, " \
	"x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode) " \
	"VALUES(NEW.BillingCurrency, NEW.ProviderName, NEW.BillingAccountId, " \
	"NEW.SubAccountId, NEW.ChargeCategory, NEW.ChargeClass, NEW.ChargeFrequency, " \
	"NEW.ChargeDescription, NEW.PricingCategory, NEW.CommitmentDiscountId, " \
	"NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, " \
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, " \
	"NEW.AvailabilityZone, NEW.ResourceType, NEW.SkuId, NEW.ConsumedUnit, " \
	"NEW.PricingUnit, NEW.x_InstanceType, NEW.x_UsageType, NEW.x_Operation, " \
	"NEW.x_Platform, NEW.x_LineItemType, NEW.x_ServiceCode); INSERT INTO " \
	"resources(ResourceId) SELECT NEW.ResourceId WHERE NEW.ResourceId IS NOT NULL; INSERT " \
	"INTO tag_sets(Tags, aws) SELECT NEW.Tags, NEW.ProviderName IS 'AWS' WHERE NEW.Tags " \
	"IS NOT NULL; "

/* The view focus_daily of schemas 9 and 10 (10 has no ResourceId and
 * Tags): the parts the two migrations share, so that each stores exactly
 * the text it always did. */
#define FOCUS_DAILY_HEAD \
	"CREATE VIEW focus_daily AS SELECT" \
	"  r.BilledCostNanos / 1e9 AS BilledCost," \
	"  r.EffectiveCostNanos / 1e9 AS EffectiveCost," \
	"  r.ListCostNanos / 1e9 AS ListCost," \
	"  r.ContractedCostNanos / 1e9 AS ContractedCost," \
	"  d.BillingCurrency AS BillingCurrency, d.ChargeCategory AS ChargeCategory," \
	"  d.ChargeClass AS ChargeClass, d.ChargeFrequency AS ChargeFrequency," \
	"  d.ChargeDescription AS ChargeDescription, d.PricingCategory AS PricingCategory," \
	"  d.CommitmentDiscountId AS CommitmentDiscountId," \
	"  d.CommitmentDiscountType AS CommitmentDiscountType," \
	"  d.CommitmentDiscountStatus AS CommitmentDiscountStatus," \
	"  d.CommitmentDiscountCategory AS CommitmentDiscountCategory," \
	"  d.ProviderName AS ProviderName, d.BillingAccountId AS BillingAccountId," \
	"  d.SubAccountId AS SubAccountId, d.ServiceName AS ServiceName," \
	"  d.ServiceCategory AS ServiceCategory, d.RegionId AS RegionId,"
#define FOCUS_DAILY_MID \
	"  d.ResourceType AS ResourceType, d.SkuId AS SkuId," \
	"  r.ConsumedQuantity AS ConsumedQuantity, d.ConsumedUnit AS ConsumedUnit," \
	"  r.PricingQuantity AS PricingQuantity, d.PricingUnit AS PricingUnit," \
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day, 'unixepoch') AS ChargePeriodStart," \
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day + 86400, 'unixepoch') AS ChargePeriodEnd," \
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodStart, 'unixepoch') AS BillingPeriodStart," \
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodEnd, 'unixepoch') AS BillingPeriodEnd,"
#define FOCUS_DAILY_TAIL \
	"d.x_InstanceType AS x_InstanceType, d.x_UsageType AS x_UsageType," \
	"  d.x_Operation AS x_Operation, d.x_Platform AS x_Platform," \
	"  d.x_LineItemType AS x_LineItemType, d.x_ServiceCode AS x_ServiceCode," \
	"  r.import_id AS x_ImportId, r.rows AS x_Rows, r.day AS x_Day," \
	"  r.BilledCostNanos AS BilledCostNanos, r.EffectiveCostNanos AS EffectiveCostNanos," \
	"  r.ListCostNanos AS ListCostNanos, r.ContractedCostNanos AS ContractedCostNanos," \
	"  r.dim_id AS x_DimId" \
	"  FROM rollup_dims_day r LEFT JOIN charge_dims d ON d.id = r.dim_id;"

static const char *const migrations[] = {
	/* 0 -> 1: the initial schema */
	"CREATE TABLE batches("
	"  id INTEGER PRIMARY KEY,"
	"  label TEXT,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE imports("
	"  id INTEGER PRIMARY KEY,"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),"
	"  path TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* charges | usage */
	"  records INTEGER NOT NULL,"		/* data records in the file */
	"  rows INTEGER NOT NULL,"		/* rows written */
	"  first_rowid INTEGER,"
	"  last_rowid INTEGER,"
	"  warnings TEXT,"
	"  imported_at TEXT NOT NULL);"
	"CREATE INDEX imports_sha256 ON imports(sha256);"
	"CREATE TABLE import_periods("
	"  import_id INTEGER NOT NULL REFERENCES imports(id),"
	"  provider TEXT NOT NULL,"
	"  billing_account_id TEXT NOT NULL,"
	"  billing_period_start INTEGER NOT NULL,"
	"  billing_period_end INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  billed_cost_nanos INTEGER NOT NULL,"
	"  effective_cost_nanos INTEGER NOT NULL,"
	"  replaced_by INTEGER);"
	"CREATE INDEX import_periods_key ON import_periods(provider, billing_account_id, billing_period_start);"
	"CREATE TABLE charges("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  import_id INTEGER NOT NULL,"
	"  SourceLine INTEGER NOT NULL,"
	"  BilledCostNanos INTEGER NOT NULL,"
	"  EffectiveCostNanos INTEGER NOT NULL,"
	"  ListCostNanos INTEGER,"
	"  ContractedCostNanos INTEGER,"
	"  ConsumedQuantity REAL,"
	"  PricingQuantity REAL,"
	"  ChargePeriodStart INTEGER NOT NULL,"
	"  ChargePeriodEnd INTEGER NOT NULL,"
	"  BillingPeriodStart INTEGER NOT NULL,"
	"  BillingPeriodEnd INTEGER NOT NULL,"
	"  BillingCurrency TEXT NOT NULL,"
	"  ProviderName TEXT NOT NULL,"
	"  BillingAccountId TEXT NOT NULL,"
	"  SubAccountId TEXT,"
	"  ChargeCategory TEXT NOT NULL,"
	"  ChargeClass TEXT,"
	"  ChargeFrequency TEXT,"
	"  ChargeDescription TEXT,"
	"  PricingCategory TEXT,"
	"  CommitmentDiscountId TEXT,"
	"  CommitmentDiscountType TEXT,"
	"  CommitmentDiscountStatus TEXT,"
	"  CommitmentDiscountCategory TEXT,"
	"  ServiceName TEXT,"
	"  ServiceCategory TEXT,"
	"  RegionId TEXT,"
	"  AvailabilityZone TEXT,"
	"  ResourceId TEXT,"
	"  ResourceType TEXT,"
	"  SkuId TEXT,"
	"  ConsumedUnit TEXT,"
	"  PricingUnit TEXT,"
	"  Tags TEXT,"
	"  x_InstanceType TEXT,"
	"  x_UsageType TEXT,"
	"  x_Operation TEXT,"
	"  x_Platform TEXT,"
	"  x_LineItemType TEXT);"
	"CREATE INDEX charges_period ON charges(BillingPeriodStart, ChargePeriodStart);"
	"CREATE TABLE usage("
	"  resource_id TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  metric TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  unit TEXT,"
	"  import_id INTEGER NOT NULL,"
	"  PRIMARY KEY(resource_id, metric, ts)) WITHOUT ROWID;"
	"CREATE VIEW focus AS SELECT"
	"  BilledCostNanos / 1e9 AS BilledCost,"
	"  EffectiveCostNanos / 1e9 AS EffectiveCost,"
	"  ListCostNanos / 1e9 AS ListCost,"
	"  ContractedCostNanos / 1e9 AS ContractedCost,"
	"  BillingCurrency, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription,"
	"  PricingCategory, CommitmentDiscountId, CommitmentDiscountType,"
	"  CommitmentDiscountStatus, CommitmentDiscountCategory,"
	"  ProviderName, BillingAccountId, SubAccountId, ServiceName, ServiceCategory,"
	"  RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId,"
	"  ConsumedQuantity, ConsumedUnit, PricingQuantity, PricingUnit,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', ChargePeriodStart, 'unixepoch') AS ChargePeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', ChargePeriodEnd, 'unixepoch') AS ChargePeriodEnd,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', BillingPeriodStart, 'unixepoch') AS BillingPeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', BillingPeriodEnd, 'unixepoch') AS BillingPeriodEnd,"
	"  Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType,"
	"  import_id AS x_ImportId, SourceLine AS x_SourceLine"
	"  FROM charges;",
	/* 1 -> 2: the rollup tables of common/rollup.h, back-filled from the
	 * base tables, and the triggers that mark them stale when something
	 * other than an import writes charges or usage */
	ROLLUP_STATE_TABLE
	ROLLUP_BUILD(DAILY, "CREATE TABLE ", "", "rollup_daily")
	ROLLUP_BUILD(COMPUTE, "CREATE TABLE ", "", "rollup_compute")
	ROLLUP_BUILD(V2_RESOURCE, "CREATE TABLE ", "", "rollup_resource")
	ROLLUP_BUILD(RUNS, "CREATE TABLE ", "", "rollup_instance_runs")
	ROLLUP_BUILD(USAGE_DAY, "CREATE TABLE ", "", "rollup_usage_day")
	ROLLUP_BUILD(USAGE_HIST, "CREATE TABLE ", "", "rollup_usage_hist")
	ROLLUP_TRIGGERS_CREATE_V2,
	/* 2 -> 3: rollup_resource keyed by SubAccountId and ServiceName too
	 * (the summary's top resources), rebuilt from charges.  When the charge
	 * rollups are stale the others stay so, and the next import rebuilds
	 * them all, this one included. */
	"DROP TABLE rollup_resource;"
	ROLLUP_BUILD(RESOURCE, "CREATE TABLE ", "", "rollup_resource"),
	/*
	 * 3 -> 4: the narrow fact table (db.h).
	 *
	 * charges becomes charge_facts (numbers, ~60 bytes a row) plus
	 * charge_dims (its 28 text columns, one row per distinct combination)
	 * and a VIEW charges with the old columns and values: an import writes
	 * a sixth of the bytes.  Existing rows are converted (ids and the
	 * AUTOINCREMENT counter kept), the index follows the numbers, and the
	 * view takes writes through INSTEAD OF triggers; the stale-marking
	 * triggers of the rollups move to the base tables.
	 */
	"CREATE TABLE charge_dims("
	"  id INTEGER PRIMARY KEY,"
	"  BillingCurrency TEXT NOT NULL,"
	"  ProviderName TEXT NOT NULL,"
	"  BillingAccountId TEXT NOT NULL,"
	"  SubAccountId TEXT,"
	"  ChargeCategory TEXT NOT NULL,"
	"  ChargeClass TEXT,"
	"  ChargeFrequency TEXT,"
	"  ChargeDescription TEXT,"
	"  PricingCategory TEXT,"
	"  CommitmentDiscountId TEXT,"
	"  CommitmentDiscountType TEXT,"
	"  CommitmentDiscountStatus TEXT,"
	"  CommitmentDiscountCategory TEXT,"
	"  ServiceName TEXT,"
	"  ServiceCategory TEXT,"
	"  RegionId TEXT,"
	"  AvailabilityZone TEXT,"
	"  ResourceId TEXT,"
	"  ResourceType TEXT,"
	"  SkuId TEXT,"
	"  ConsumedUnit TEXT,"
	"  PricingUnit TEXT,"
	"  Tags TEXT,"
	"  x_InstanceType TEXT,"
	"  x_UsageType TEXT,"
	"  x_Operation TEXT,"
	"  x_Platform TEXT,"
	"  x_LineItemType TEXT);"
	"CREATE TABLE charge_facts("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  import_id INTEGER NOT NULL,"
	"  SourceLine INTEGER NOT NULL,"
	"  BilledCostNanos INTEGER NOT NULL,"
	"  EffectiveCostNanos INTEGER NOT NULL,"
	"  ListCostNanos INTEGER,"
	"  ContractedCostNanos INTEGER,"
	"  ConsumedQuantity REAL,"
	"  PricingQuantity REAL,"
	"  ChargePeriodStart INTEGER NOT NULL,"
	"  ChargePeriodEnd INTEGER NOT NULL,"
	"  BillingPeriodStart INTEGER NOT NULL,"
	"  BillingPeriodEnd INTEGER NOT NULL,"
	"  dim_id INTEGER NOT NULL);"
	"CREATE TEMP TABLE charge_conv AS SELECT *, dense_rank() OVER (ORDER BY "
	"BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory, "
	"ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, AvailabilityZone, "
	"ResourceId, ResourceType, SkuId, ConsumedUnit, PricingUnit, Tags, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType) AS dim_id FROM main.charges;"
	"INSERT INTO charge_dims(id, BillingCurrency, ProviderName, BillingAccountId, "
	"SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, "
	"PricingCategory, CommitmentDiscountId, CommitmentDiscountType, "
	"CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, "
	"RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, "
	"PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, "
	"x_LineItemType) SELECT dim_id, BillingCurrency, ProviderName, BillingAccountId, "
	"SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, "
	"PricingCategory, CommitmentDiscountId, CommitmentDiscountType, "
	"CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, "
	"RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, "
	"PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, "
	"x_LineItemType FROM temp.charge_conv GROUP BY dim_id;"
	"INSERT INTO charge_facts(id, import_id, SourceLine, BilledCostNanos, "
	"EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, "
	"PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, "
	"BillingPeriodEnd, dim_id) SELECT id, import_id, SourceLine, BilledCostNanos, "
	"EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, "
	"PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, "
	"BillingPeriodEnd, dim_id FROM temp.charge_conv ORDER BY id;"
	"DROP TABLE temp.charge_conv;"
	"INSERT INTO sqlite_sequence(name, seq) SELECT 'charge_facts', 0 WHERE NOT "
	"EXISTS(SELECT 1 FROM sqlite_sequence WHERE name = 'charge_facts');"
	"UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence "
	"WHERE name = 'charges'), 0)) WHERE name = 'charge_facts';"
	"DROP TABLE charges;"
	"CREATE INDEX charge_facts_period ON charge_facts(BillingPeriodStart, "
	"ChargePeriodStart);"
	"CREATE VIEW charges AS SELECT f.id AS id, f.import_id AS import_id, f.SourceLine AS "
	"SourceLine, f.BilledCostNanos AS BilledCostNanos, f.EffectiveCostNanos AS "
	"EffectiveCostNanos, f.ListCostNanos AS ListCostNanos, f.ContractedCostNanos AS "
	"ContractedCostNanos, f.ConsumedQuantity AS ConsumedQuantity, f.PricingQuantity AS "
	"PricingQuantity, f.ChargePeriodStart AS ChargePeriodStart, f.ChargePeriodEnd AS "
	"ChargePeriodEnd, f.BillingPeriodStart AS BillingPeriodStart, f.BillingPeriodEnd AS "
	"BillingPeriodEnd, d.BillingCurrency AS BillingCurrency, d.ProviderName AS "
	"ProviderName, d.BillingAccountId AS BillingAccountId, d.SubAccountId AS SubAccountId, "
	"d.ChargeCategory AS ChargeCategory, d.ChargeClass AS ChargeClass, d.ChargeFrequency AS"
	" ChargeFrequency, d.ChargeDescription AS ChargeDescription, d.PricingCategory AS "
	"PricingCategory, d.CommitmentDiscountId AS CommitmentDiscountId, "
	"d.CommitmentDiscountType AS CommitmentDiscountType, d.CommitmentDiscountStatus AS "
	"CommitmentDiscountStatus, d.CommitmentDiscountCategory AS CommitmentDiscountCategory, "
	"d.ServiceName AS ServiceName, d.ServiceCategory AS ServiceCategory, d.RegionId AS "
	"RegionId, d.AvailabilityZone AS AvailabilityZone, d.ResourceId AS ResourceId, "
	"d.ResourceType AS ResourceType, d.SkuId AS SkuId, d.ConsumedUnit AS ConsumedUnit, "
	"d.PricingUnit AS PricingUnit, d.Tags AS Tags, d.x_InstanceType AS x_InstanceType, "
	"d.x_UsageType AS x_UsageType, d.x_Operation AS x_Operation, d.x_Platform AS "
	"x_Platform, d.x_LineItemType AS x_LineItemType FROM charge_facts f LEFT JOIN "
	"charge_dims d ON d.id = f.dim_id;"
	"CREATE TRIGGER charges_insert INSTEAD OF INSERT ON charges BEGIN INSERT INTO "
	"charge_dims(BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, AvailabilityZone, "
	"ResourceId, ResourceType, SkuId, ConsumedUnit, PricingUnit, Tags, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType) VALUES(NEW.BillingCurrency, "
	"NEW.ProviderName, NEW.BillingAccountId, NEW.SubAccountId, NEW.ChargeCategory, "
	"NEW.ChargeClass, NEW.ChargeFrequency, NEW.ChargeDescription, NEW.PricingCategory, "
	"NEW.CommitmentDiscountId, NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceId, NEW.ResourceType, NEW.SkuId, NEW.ConsumedUnit, "
	"NEW.PricingUnit, NEW.Tags, NEW.x_InstanceType, NEW.x_UsageType, NEW.x_Operation, "
	"NEW.x_Platform, NEW.x_LineItemType); INSERT INTO charge_facts(id, import_id, "
	"SourceLine, BilledCostNanos, EffectiveCostNanos, ListCostNanos, ContractedCostNanos, "
	"ConsumedQuantity, PricingQuantity, ChargePeriodStart, ChargePeriodEnd, "
	"BillingPeriodStart, BillingPeriodEnd, dim_id) VALUES(NEW.id, NEW.import_id, "
	"NEW.SourceLine, NEW.BilledCostNanos, NEW.EffectiveCostNanos, NEW.ListCostNanos, "
	"NEW.ContractedCostNanos, NEW.ConsumedQuantity, NEW.PricingQuantity, "
	"NEW.ChargePeriodStart, NEW.ChargePeriodEnd, NEW.BillingPeriodStart, "
	"NEW.BillingPeriodEnd, last_insert_rowid()); END;"
	"CREATE TRIGGER charges_update INSTEAD OF UPDATE ON charges BEGIN INSERT INTO "
	"charge_dims(BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, AvailabilityZone, "
	"ResourceId, ResourceType, SkuId, ConsumedUnit, PricingUnit, Tags, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType) VALUES(NEW.BillingCurrency, "
	"NEW.ProviderName, NEW.BillingAccountId, NEW.SubAccountId, NEW.ChargeCategory, "
	"NEW.ChargeClass, NEW.ChargeFrequency, NEW.ChargeDescription, NEW.PricingCategory, "
	"NEW.CommitmentDiscountId, NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceId, NEW.ResourceType, NEW.SkuId, NEW.ConsumedUnit, "
	"NEW.PricingUnit, NEW.Tags, NEW.x_InstanceType, NEW.x_UsageType, NEW.x_Operation, "
	"NEW.x_Platform, NEW.x_LineItemType); UPDATE charge_facts SET id = NEW.id, import_id = "
	"NEW.import_id, SourceLine = NEW.SourceLine, BilledCostNanos = NEW.BilledCostNanos, "
	"EffectiveCostNanos = NEW.EffectiveCostNanos, ListCostNanos = NEW.ListCostNanos, "
	"ContractedCostNanos = NEW.ContractedCostNanos, ConsumedQuantity = "
	"NEW.ConsumedQuantity, PricingQuantity = NEW.PricingQuantity, ChargePeriodStart = "
	"NEW.ChargePeriodStart, ChargePeriodEnd = NEW.ChargePeriodEnd, BillingPeriodStart = "
	"NEW.BillingPeriodStart, BillingPeriodEnd = NEW.BillingPeriodEnd, dim_id = "
	"last_insert_rowid() WHERE id = OLD.id; END;"
	"CREATE TRIGGER charges_delete INSTEAD OF DELETE ON charges BEGIN DELETE FROM "
	"charge_facts WHERE id = OLD.id; END;"
	ROLLUP_TRIGGERS_CHARGES,
	/*
	 * 4 -> 5: provider price lists (issue 14, importers/prices-db.h).
	 */
	"CREATE TABLE IF NOT EXISTS price_lists("
	"  id INTEGER PRIMARY KEY,"
	"  import_id INTEGER NOT NULL,"
	"  provider TEXT NOT NULL,"
	"  offer TEXT NOT NULL,"
	"  region TEXT NOT NULL,"
	"  publication TEXT NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  replaced_by INTEGER);"
	"CREATE INDEX IF NOT EXISTS price_lists_key ON price_lists(provider, offer, region);"
	"CREATE TABLE IF NOT EXISTS prices("
	"  list_id INTEGER NOT NULL,"
	"  provider TEXT NOT NULL,"
	"  region TEXT NOT NULL,"
	"  instance_type TEXT NOT NULL,"
	"  platform TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  payment TEXT NOT NULL,"
	"  offering_class TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  upfront_nanos INTEGER NOT NULL,"
	"  hourly_nanos INTEGER NOT NULL,"
	"  usage_type TEXT,"
	"  operation TEXT,"
	"  sku TEXT);"
	"CREATE INDEX IF NOT EXISTS prices_key ON prices(provider, region, instance_type);"
	"CREATE INDEX IF NOT EXISTS prices_list ON prices(list_id);"
	"CREATE TABLE IF NOT EXISTS instance_types("
	"  provider TEXT NOT NULL,"
	"  instance_type TEXT NOT NULL,"
	"  vcpu REAL,"
	"  memory_gib REAL,"
	"  family TEXT,"
	"  size_factor REAL,"
	"  list_id INTEGER NOT NULL,"
	"  PRIMARY KEY(provider, instance_type));",
	/*
	 * 5 -> 6: the product code kept beside the product name (issue 16):
	 * charge_dims.x_ServiceCode (AWS lineItem/ProductCode, "AmazonEC2"),
	 * and the view charges and its INSTEAD OF triggers rebuilt with it
	 * (dropping the view dropped them).
	 */
	"ALTER TABLE charge_dims ADD COLUMN x_ServiceCode TEXT;DROP VIEW charges;CREATE VIEW "
	"charges AS SELECT f.id AS id, f.import_id AS import_id, f.SourceLine AS SourceLine, "
	"f.BilledCostNanos AS BilledCostNanos, f.EffectiveCostNanos AS EffectiveCostNanos, "
	"f.ListCostNanos AS ListCostNanos, f.ContractedCostNanos AS ContractedCostNanos, "
	"f.ConsumedQuantity AS ConsumedQuantity, f.PricingQuantity AS PricingQuantity, "
	"f.ChargePeriodStart AS ChargePeriodStart, f.ChargePeriodEnd AS ChargePeriodEnd, "
	"f.BillingPeriodStart AS BillingPeriodStart, f.BillingPeriodEnd AS BillingPeriodEnd, "
	"d.BillingCurrency AS BillingCurrency, d.ProviderName AS ProviderName, "
	"d.BillingAccountId AS BillingAccountId, d.SubAccountId AS SubAccountId, "
	"d.ChargeCategory AS ChargeCategory, d.ChargeClass AS ChargeClass, d.ChargeFrequency "
	"AS ChargeFrequency, d.ChargeDescription AS ChargeDescription, d.PricingCategory AS "
	"PricingCategory, d.CommitmentDiscountId AS CommitmentDiscountId, "
	"d.CommitmentDiscountType AS CommitmentDiscountType, d.CommitmentDiscountStatus AS "
	"CommitmentDiscountStatus, d.CommitmentDiscountCategory AS "
	"CommitmentDiscountCategory, d.ServiceName AS ServiceName, d.ServiceCategory AS "
	"ServiceCategory, d.RegionId AS RegionId, d.AvailabilityZone AS AvailabilityZone, "
	"d.ResourceId AS ResourceId, d.ResourceType AS ResourceType, d.SkuId AS SkuId, "
	"d.ConsumedUnit AS ConsumedUnit, d.PricingUnit AS PricingUnit, d.Tags AS Tags, "
	"d.x_InstanceType AS x_InstanceType, d.x_UsageType AS x_UsageType, d.x_Operation AS "
	"x_Operation, d.x_Platform AS x_Platform, d.x_LineItemType AS x_LineItemType, "
	"d.x_ServiceCode AS x_ServiceCode FROM charge_facts f LEFT JOIN charge_dims d ON "
	"d.id = f.dim_id;CREATE TRIGGER charges_insert INSTEAD OF INSERT ON charges BEGIN "
	"INSERT INTO charge_dims(BillingCurrency, ProviderName, BillingAccountId, "
	"SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, "
	"PricingCategory, CommitmentDiscountId, CommitmentDiscountType, "
	"CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, "
	"RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, "
	"PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, "
	"x_LineItemType, x_ServiceCode) VALUES(NEW.BillingCurrency, NEW.ProviderName, "
	"NEW.BillingAccountId, NEW.SubAccountId, NEW.ChargeCategory, NEW.ChargeClass, "
	"NEW.ChargeFrequency, NEW.ChargeDescription, NEW.PricingCategory, "
	"NEW.CommitmentDiscountId, NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceId, NEW.ResourceType, NEW.SkuId, "
	"NEW.ConsumedUnit, NEW.PricingUnit, NEW.Tags, NEW.x_InstanceType, NEW.x_UsageType, "
	"NEW.x_Operation, NEW.x_Platform, NEW.x_LineItemType, NEW.x_ServiceCode); INSERT "
	"INTO charge_facts(id, import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, "
	"ListCostNanos, ContractedCostNanos, ConsumedQuantity, PricingQuantity, "
	"ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd, dim_id) "
	"VALUES(NEW.id, NEW.import_id, NEW.SourceLine, NEW.BilledCostNanos, "
	"NEW.EffectiveCostNanos, NEW.ListCostNanos, NEW.ContractedCostNanos, "
	"NEW.ConsumedQuantity, NEW.PricingQuantity, NEW.ChargePeriodStart, "
	"NEW.ChargePeriodEnd, NEW.BillingPeriodStart, NEW.BillingPeriodEnd, "
	"last_insert_rowid()); END;CREATE TRIGGER charges_update INSTEAD OF UPDATE ON "
	"charges BEGIN INSERT INTO charge_dims(BillingCurrency, ProviderName, "
	"BillingAccountId, SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, "
	"ChargeDescription, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, "
	"CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, "
	"RegionId, AvailabilityZone, ResourceId, ResourceType, SkuId, ConsumedUnit, "
	"PricingUnit, Tags, x_InstanceType, x_UsageType, x_Operation, x_Platform, "
	"x_LineItemType, x_ServiceCode) VALUES(NEW.BillingCurrency, NEW.ProviderName, "
	"NEW.BillingAccountId, NEW.SubAccountId, NEW.ChargeCategory, NEW.ChargeClass, "
	"NEW.ChargeFrequency, NEW.ChargeDescription, NEW.PricingCategory, "
	"NEW.CommitmentDiscountId, NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceId, NEW.ResourceType, NEW.SkuId, "
	"NEW.ConsumedUnit, NEW.PricingUnit, NEW.Tags, NEW.x_InstanceType, NEW.x_UsageType, "
	"NEW.x_Operation, NEW.x_Platform, NEW.x_LineItemType, NEW.x_ServiceCode); UPDATE "
	"charge_facts SET id = NEW.id, import_id = NEW.import_id, SourceLine = "
	"NEW.SourceLine, BilledCostNanos = NEW.BilledCostNanos, EffectiveCostNanos = "
	"NEW.EffectiveCostNanos, ListCostNanos = NEW.ListCostNanos, ContractedCostNanos = "
	"NEW.ContractedCostNanos, ConsumedQuantity = NEW.ConsumedQuantity, PricingQuantity = "
	"NEW.PricingQuantity, ChargePeriodStart = NEW.ChargePeriodStart, ChargePeriodEnd = "
	"NEW.ChargePeriodEnd, BillingPeriodStart = NEW.BillingPeriodStart, BillingPeriodEnd "
	"= NEW.BillingPeriodEnd, dim_id = last_insert_rowid() WHERE id = OLD.id; END;CREATE "
	"TRIGGER charges_delete INSTEAD OF DELETE ON charges BEGIN DELETE FROM charge_facts "
	"WHERE id = OLD.id; END;",
	/*
	 * 6 -> 7: replacement by window and `imcost forget` (issue 17).
	 * replaced_charges keeps the rows a later import restated (columns of
	 * charge_facts, plus the import that replaced them) so that
	 * forgetting that import puts them back; import_periods.replaced_rows
	 * counts the rows of a period that are no longer current (an
	 * overlapping window replaces part of a file).
	 */
	"CREATE TABLE replaced_charges("
	"  id INTEGER PRIMARY KEY,"
	"  import_id INTEGER NOT NULL,"
	"  SourceLine INTEGER NOT NULL,"
	"  BilledCostNanos INTEGER NOT NULL,"
	"  EffectiveCostNanos INTEGER NOT NULL,"
	"  ListCostNanos INTEGER,"
	"  ContractedCostNanos INTEGER,"
	"  ConsumedQuantity REAL,"
	"  PricingQuantity REAL,"
	"  ChargePeriodStart INTEGER NOT NULL,"
	"  ChargePeriodEnd INTEGER NOT NULL,"
	"  BillingPeriodStart INTEGER NOT NULL,"
	"  BillingPeriodEnd INTEGER NOT NULL,"
	"  dim_id INTEGER NOT NULL,"
	"  replaced_by_import INTEGER NOT NULL);"
	"CREATE INDEX replaced_charges_by ON replaced_charges(replaced_by_import);"
	"CREATE INDEX replaced_charges_import ON replaced_charges(import_id);"
	"ALTER TABLE import_periods ADD COLUMN replaced_rows INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE imports ADD COLUMN dataset TEXT;"
	"UPDATE import_periods SET replaced_rows = rows WHERE replaced_by IS NOT NULL;",
	/*
	 * 7 -> 8: the tag store (issue 19): one row per charge_dims row and
	 * folded tag key (common/tags.h; the first of the keys that fold
	 * alike wins), so that a group-by on one key reads an index instead
	 * of parsing JSON.  Back-filled from charge_dims.Tags; the import
	 * fills it for the rows it writes (DB_DIM_TAGS_FILL), and a trigger
	 * removes the rows of a charge_dims row that is deleted.
	 */
	"CREATE TABLE dim_tags("
	"  key_fold TEXT NOT NULL,"
	"  dim_id INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY(key_fold, dim_id)) WITHOUT ROWID;"
	"CREATE INDEX dim_tags_dim ON dim_tags(dim_id);"
	"INSERT OR IGNORE INTO dim_tags(dim_id, key_fold, key, value) SELECT d.id,"
	DB_DIM_TAGS_SELECT("d.ProviderName") " FROM charge_dims d,"
	" json_each(" DB_TAGS_OBJECT("d.Tags") ") j WHERE d.Tags IS NOT NULL ORDER BY d.id, j.id;"
	"CREATE TRIGGER dim_tags_delete AFTER DELETE ON charge_dims BEGIN"
	" DELETE FROM dim_tags WHERE dim_id = OLD.id; END;",
	/*
	 * 8 -> 9: focus_daily (issue 23): the FOCUS view at day granularity,
	 * over the rollup rollup_dims_day (common/rollup.h), back-filled from
	 * charge_facts.  One row per import, billing period, day and
	 * charge_dims row; money as decimal (REAL) and as exact *Nanos sums,
	 * x_Rows the number of charges.  ChargePeriodStart is the UTC day the
	 * charges start in and ChargePeriodEnd the next day, whatever their
	 * own span.
	 */
	ROLLUP_BUILD(DIMS_DAY, "CREATE TABLE ", "", "rollup_dims_day")
	FOCUS_DAILY_HEAD
	"  d.AvailabilityZone AS AvailabilityZone, d.ResourceId AS ResourceId,"
	FOCUS_DAILY_MID
	"  d.Tags AS Tags, " FOCUS_DAILY_TAIL,	/*
	 * 9 -> 10: resource ids and tags out of charge_dims (issue 24): they
	 * get their own dictionaries, resources and tag_sets (a tag set is
	 * the Tags text and whether it folds as AWS's, common/tags.h), and
	 * charge_facts (and replaced_charges) the references resource_id and
	 * tag_set_id, so that charge_dims keeps the low-cardinality
	 * combination (tens of rows a month, not one per resource).  The
	 * tag store dim_tags is keyed by the tag set, filled by the import in
	 * C (db_tag_rows) and here copied from the old rows.  The views
	 * charges and focus keep their columns and values (charges joins the
	 * two dictionaries; its INSTEAD OF triggers write them), charge ids
	 * are kept, and rollup_dims_day is rebuilt at the coarse grain:
	 * focus_daily loses ResourceId and Tags (per-resource or per-tag
	 * questions go to focus; a day x resource view is as big as the bill
	 * on a high-cardinality account).
	 */
	ROLLUP_TRIGGERS_DROP
	"CREATE TABLE resources(id INTEGER PRIMARY KEY, ResourceId TEXT NOT NULL);"
	"CREATE TABLE tag_sets(id INTEGER PRIMARY KEY, Tags TEXT NOT NULL, aws INTEGER NOT "
	"NULL);"
	"CREATE TEMP TABLE dim_conv AS SELECT *, ProviderName IS 'AWS' AS aws, dense_rank() "
	"OVER (ORDER BY BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, "
	"AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode) AS new FROM "
	"main.charge_dims;"
	"INSERT INTO resources(ResourceId) SELECT DISTINCT ResourceId FROM temp.dim_conv "
	"WHERE ResourceId IS NOT NULL ORDER BY 1;"
	"INSERT INTO tag_sets(Tags, aws) SELECT DISTINCT Tags, aws FROM temp.dim_conv WHERE "
	"Tags IS NOT NULL ORDER BY 1, 2;"
	"CREATE TEMP TABLE dim_map(old INTEGER PRIMARY KEY, new INTEGER NOT NULL, rid "
	"INTEGER, gid INTEGER);"
	"INSERT INTO temp.dim_map SELECT c.id, c.new, r.id, g.id FROM temp.dim_conv c LEFT "
	"JOIN main.resources r ON r.ResourceId = c.ResourceId LEFT JOIN main.tag_sets g ON "
	"g.Tags = c.Tags AND g.aws = c.aws;"
	"CREATE TEMP TABLE tags_conv AS SELECT t.key_fold AS key_fold, m.gid AS gid, t.key AS "
	"key, t.value AS value FROM main.dim_tags t JOIN (SELECT gid, MIN(old) AS old FROM "
	"temp.dim_map WHERE gid IS NOT NULL GROUP BY gid) m ON m.old = t.dim_id;"
	"DROP VIEW focus_daily; DROP VIEW charges; DROP TABLE dim_tags; DROP TABLE "
	"charge_dims;"
	"CREATE TABLE charge_dims( id INTEGER PRIMARY KEY, BillingCurrency TEXT NOT NULL, "
	"ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL, SubAccountId TEXT, "
	"ChargeCategory TEXT, ChargeClass TEXT, ChargeFrequency TEXT, ChargeDescription TEXT, "
	"PricingCategory TEXT, CommitmentDiscountId TEXT, CommitmentDiscountType TEXT, "
	"CommitmentDiscountStatus TEXT, CommitmentDiscountCategory TEXT, ServiceName TEXT, "
	"ServiceCategory TEXT, RegionId TEXT, AvailabilityZone TEXT, ResourceType TEXT, SkuId "
	"TEXT, ConsumedUnit TEXT, PricingUnit TEXT, x_InstanceType TEXT, x_UsageType TEXT, "
	"x_Operation TEXT, x_Platform TEXT, x_LineItemType TEXT, x_ServiceCode TEXT);"
	"INSERT INTO charge_dims(id, BillingCurrency, ProviderName, BillingAccountId, "
	"SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, "
	"PricingCategory, CommitmentDiscountId, CommitmentDiscountType, "
	"CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, "
	"RegionId, AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, "
	"x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode) "
	"SELECT new, BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, "
	"AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode FROM "
	"temp.dim_conv GROUP BY new;"
	"CREATE TABLE dim_tags( tag_set_id INTEGER NOT NULL, key_fold TEXT NOT NULL, key TEXT "
	"NOT NULL, value TEXT NOT NULL, PRIMARY KEY(tag_set_id, key_fold)) WITHOUT ROWID;"
	"INSERT INTO dim_tags(tag_set_id, key_fold, key, value) SELECT gid, key_fold, key, "
	"value FROM temp.tags_conv ORDER BY gid, key_fold;"
	"ALTER TABLE charge_facts ADD COLUMN resource_id INTEGER; ALTER TABLE charge_facts "
	"ADD COLUMN tag_set_id INTEGER;"
	"UPDATE charge_facts SET dim_id = 0 WHERE NOT EXISTS(SELECT 1 FROM temp.dim_map m "
	"WHERE m.old = charge_facts.dim_id);"
	"UPDATE charge_facts SET dim_id = m.new, resource_id = m.rid, tag_set_id = m.gid FROM "
	"temp.dim_map m WHERE m.old = charge_facts.dim_id;"
	"ALTER TABLE replaced_charges ADD COLUMN resource_id INTEGER; ALTER TABLE "
	"replaced_charges ADD COLUMN tag_set_id INTEGER;"
	"UPDATE replaced_charges SET dim_id = 0 WHERE NOT EXISTS(SELECT 1 FROM temp.dim_map m "
	"WHERE m.old = replaced_charges.dim_id);"
	"UPDATE replaced_charges SET dim_id = m.new, resource_id = m.rid, tag_set_id = m.gid "
	"FROM temp.dim_map m WHERE m.old = replaced_charges.dim_id;"
	"DROP TABLE temp.dim_conv; DROP TABLE temp.dim_map; DROP TABLE temp.tags_conv;"
	"CREATE TRIGGER dim_tags_delete AFTER DELETE ON tag_sets BEGIN DELETE FROM dim_tags "
	"WHERE tag_set_id = OLD.id; END;"
	"CREATE VIEW charges AS SELECT f.id AS id, f.import_id AS import_id, f.SourceLine AS "
	"SourceLine, f.BilledCostNanos AS BilledCostNanos, f.EffectiveCostNanos AS "
	"EffectiveCostNanos, f.ListCostNanos AS ListCostNanos, f.ContractedCostNanos AS "
	"ContractedCostNanos, f.ConsumedQuantity AS ConsumedQuantity, f.PricingQuantity AS "
	"PricingQuantity, f.ChargePeriodStart AS ChargePeriodStart, f.ChargePeriodEnd AS "
	"ChargePeriodEnd, f.BillingPeriodStart AS BillingPeriodStart, f.BillingPeriodEnd AS "
	"BillingPeriodEnd, d.BillingCurrency AS BillingCurrency, d.ProviderName AS "
	"ProviderName, d.BillingAccountId AS BillingAccountId, d.SubAccountId AS "
	"SubAccountId, d.ChargeCategory AS ChargeCategory, d.ChargeClass AS ChargeClass, "
	"d.ChargeFrequency AS ChargeFrequency, d.ChargeDescription AS ChargeDescription, "
	"d.PricingCategory AS PricingCategory, d.CommitmentDiscountId AS "
	"CommitmentDiscountId, d.CommitmentDiscountType AS CommitmentDiscountType, "
	"d.CommitmentDiscountStatus AS CommitmentDiscountStatus, d.CommitmentDiscountCategory "
	"AS CommitmentDiscountCategory, d.ServiceName AS ServiceName, d.ServiceCategory AS "
	"ServiceCategory, d.RegionId AS RegionId, d.AvailabilityZone AS AvailabilityZone, "
	"r.ResourceId AS ResourceId, d.ResourceType AS ResourceType, d.SkuId AS SkuId, "
	"d.ConsumedUnit AS ConsumedUnit, d.PricingUnit AS PricingUnit, g.Tags AS Tags, "
	"d.x_InstanceType AS x_InstanceType, d.x_UsageType AS x_UsageType, d.x_Operation AS "
	"x_Operation, d.x_Platform AS x_Platform, d.x_LineItemType AS x_LineItemType, "
	"d.x_ServiceCode AS x_ServiceCode FROM charge_facts f LEFT JOIN charge_dims d ON d.id "
	"= f.dim_id LEFT JOIN resources r ON r.id = f.resource_id LEFT JOIN tag_sets g ON "
	"g.id = f.tag_set_id;"
	"CREATE TRIGGER charges_insert INSTEAD OF INSERT ON charges BEGIN " V10_DICT_INSERTS
	"INSERT INTO charge_facts(id, import_id, SourceLine, BilledCostNanos, "
	"EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, "
	"PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, "
	"BillingPeriodEnd, dim_id, resource_id, tag_set_id) VALUES(NEW.id, NEW.import_id, "
	"NEW.SourceLine, NEW.BilledCostNanos, NEW.EffectiveCostNanos, NEW.ListCostNanos, "
	"NEW.ContractedCostNanos, NEW.ConsumedQuantity, NEW.PricingQuantity, "
	"NEW.ChargePeriodStart, NEW.ChargePeriodEnd, NEW.BillingPeriodStart, "
	"NEW.BillingPeriodEnd, (SELECT MAX(id) FROM charge_dims), CASE WHEN NEW.ResourceId IS "
	"NULL THEN NULL ELSE (SELECT MAX(id) FROM resources) END, CASE WHEN NEW.Tags IS NULL "
	"THEN NULL ELSE (SELECT MAX(id) FROM tag_sets) END); END;"
	"CREATE TRIGGER charges_update INSTEAD OF UPDATE ON charges BEGIN " V10_DICT_INSERTS
	"UPDATE charge_facts SET id = NEW.id, import_id = NEW.import_id, "
	"SourceLine = NEW.SourceLine, BilledCostNanos = NEW.BilledCostNanos, "
	"EffectiveCostNanos = NEW.EffectiveCostNanos, ListCostNanos = NEW.ListCostNanos, "
	"ContractedCostNanos = NEW.ContractedCostNanos, ConsumedQuantity = "
	"NEW.ConsumedQuantity, PricingQuantity = NEW.PricingQuantity, ChargePeriodStart = "
	"NEW.ChargePeriodStart, ChargePeriodEnd = NEW.ChargePeriodEnd, BillingPeriodStart = "
	"NEW.BillingPeriodStart, BillingPeriodEnd = NEW.BillingPeriodEnd, (dim_id, "
	"resource_id, tag_set_id) = ((SELECT MAX(id) FROM charge_dims), CASE WHEN "
	"NEW.ResourceId IS NULL THEN NULL ELSE (SELECT MAX(id) FROM resources) END, CASE WHEN "
	"NEW.Tags IS NULL THEN NULL ELSE (SELECT MAX(id) FROM tag_sets) END) WHERE id = "
	"OLD.id; END;"
	"CREATE TRIGGER charges_delete INSTEAD OF DELETE ON charges BEGIN DELETE FROM "
	"charge_facts WHERE id = OLD.id; END;"
	"DELETE FROM rollup_dims_day;"
	"INSERT INTO rollup_dims_day " ROLLUP_DIMS_DAY_SELECT ROLLUP_DIMS_DAY_WHERE ROLLUP_DIMS_DAY_GROUP ";"
	ROLLUP_TRIGGERS_CREATE
	FOCUS_DAILY_HEAD
	"  d.AvailabilityZone AS AvailabilityZone,"
	FOCUS_DAILY_MID
	"  " FOCUS_DAILY_TAIL,
	/*
	 * 10 -> 11: rollup_resource and rollup_instance_runs stored by
	 * reference (issues 23 and 24): tables rollup_resource_data and
	 * rollup_runs_data of resources and charge_dims ids (common/rollup.h)
	 * and views of the old names, columns and values over them.  The old
	 * rows are converted, not rebuilt from the charges (a year of a large
	 * account is 48M charges): each gets the smallest resources row of
	 * its ResourceId and the smallest charge_dims row of its key columns.
	 * Should a row find no such row (rollups out of step with the
	 * charges), the charge rollups are marked stale and the next import
	 * rebuilds them.
	 */
	ROLLUP_RESOURCE_DATA_TABLE("CREATE TABLE ") ";" ROLLUP_RESOURCE_DATA_INDEXES("")
	ROLLUP_RUNS_DATA_TABLE("CREATE TABLE ") ";" ROLLUP_RUNS_DATA_INDEXES("")
	"CREATE TEMP TABLE res_map(ResourceId TEXT PRIMARY KEY, id INTEGER NOT NULL);"
	"INSERT INTO temp.res_map SELECT ResourceId, MIN(id) FROM main.resources GROUP BY ResourceId;"
	"CREATE TEMP TABLE dim_map AS SELECT MIN(id) AS id, ProviderName, BillingAccountId, "
	"BillingCurrency, SubAccountId, ServiceName, ChargeCategory, x_UsageType, RegionId, "
	"x_InstanceType, x_Platform, x_LineItemType FROM main.charge_dims GROUP BY 2, 3, 4, 5, 6, "
	"7, 8, 9, 10, 11, 12;"
	"CREATE TEMP TABLE run_map AS SELECT MIN(id) AS id, ProviderName, BillingAccountId, "
	"BillingCurrency, RegionId, x_InstanceType, x_Platform FROM main.charge_dims GROUP BY 2, "
	"3, 4, 5, 6, 7;"
	"INSERT INTO rollup_resource_data SELECT o.import_id, o.BillingPeriodStart, m.id, p.id, "
	"o.positive, o.rows, o.BilledCostNanos, o.EffectiveCostNanos, o.ConsumedQuantity, "
	"o.min_start, o.max_end FROM main.rollup_resource o LEFT JOIN temp.res_map m ON "
	"m.ResourceId = o.ResourceId JOIN temp.dim_map p ON p.ProviderName IS o.ProviderName AND "
	"p.BillingAccountId IS o.BillingAccountId AND p.BillingCurrency IS o.BillingCurrency AND "
	"p.SubAccountId IS o.SubAccountId AND p.ServiceName IS o.ServiceName AND p.ChargeCategory "
	"IS o.ChargeCategory AND p.x_UsageType IS o.x_UsageType AND p.RegionId IS o.RegionId AND "
	"p.x_InstanceType IS o.x_InstanceType AND p.x_Platform IS o.x_Platform AND "
	"p.x_LineItemType IS o.x_LineItemType WHERE o.ResourceId IS NULL OR m.id IS NOT NULL;"
	"INSERT INTO rollup_runs_data SELECT o.import_id, o.BillingPeriodStart, m.id, p.id, o.span, "
	"o.first_start, o.step, o.n, o.ConsumedQuantity, o.rows FROM main.rollup_instance_runs o "
	"JOIN temp.res_map m ON m.ResourceId = o.ResourceId JOIN temp.run_map p ON p.ProviderName "
	"IS o.ProviderName AND p.BillingAccountId IS o.BillingAccountId AND p.BillingCurrency IS "
	"o.BillingCurrency AND p.RegionId IS o.RegionId AND p.x_InstanceType IS o.x_InstanceType "
	"AND p.x_Platform IS o.x_Platform;"
	"UPDATE rollup_state SET charges_stale = 1 WHERE (SELECT COUNT(*) FROM main.rollup_resource) "
	"<> (SELECT COUNT(*) FROM rollup_resource_data) OR (SELECT COUNT(*) FROM "
	"main.rollup_instance_runs) <> (SELECT COUNT(*) FROM rollup_runs_data);"
	"DROP TABLE temp.res_map; DROP TABLE temp.dim_map; DROP TABLE temp.run_map;"
	"DROP TABLE rollup_resource; DROP TABLE rollup_instance_runs;"
	ROLLUP_RESOURCE_VIEW("CREATE VIEW ")
	ROLLUP_RUNS_VIEW("CREATE VIEW "),
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
	       "DB_SCHEMA_VERSION is the number of migrations");

int
user_version(sqlite3 *db, int *v, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version", err);

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(db, "reading the schema version", err);
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

void
newer_schema(const char *path, int v, struct ic_error *err)
{
	ic_errorf(err, "%s: this database was written by a newer imcost (schema %d; this one knows"
		  " up to %d); upgrade imcost (nothing was changed)", path, v, NMIGRATIONS);
}

int
migrate(sqlite3 *db, const char *path, struct ic_error *err)
{
	int v;
	char sql[64];

	if (db_exec(db, "BEGIN IMMEDIATE", "locking the database", err) != 0)
		return -1;
	if (user_version(db, &v, err) != 0)
		goto fail;
	if (v > NMIGRATIONS) {
		newer_schema(path, v, err);
		goto fail;
	}
	/* the mark of an imcost database (check_ours), on new and old ones */
	if (v < NMIGRATIONS &&
	    db_exec(db, "PRAGMA application_id = " DB_APPLICATION_ID_SQL, "marking the database", err) != 0)
		goto fail;
	for (; v < NMIGRATIONS; v++) {
		if (db_exec(db, migrations[v], "creating the schema", err) != 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (db_exec(db, sql, "recording the schema version", err) != 0)
			goto fail;
	}
	return db_exec(db, "COMMIT", "saving the schema", err);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

