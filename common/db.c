/*
 * db.c - opening the database and migrating its schema (see db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/db.h"
#include "common/rollup.h"

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
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
	       "DB_SCHEMA_VERSION is the number of migrations");

int
db_error(sqlite3 *db, const char *what, struct ic_error *err)
{
	return ic_errorf(err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

int
db_exec(sqlite3 *db, const char *sql, const char *what, struct ic_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ic_errorf(err, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql, struct ic_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(db, "preparing a query", err);
		return NULL;
	}
	return st;
}

static int
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

static int
migrate(sqlite3 *db, const char *path, struct ic_error *err)
{
	int v;
	char sql[64];

	if (db_exec(db, "BEGIN IMMEDIATE", "locking the database", err) != 0)
		return -1;
	if (user_version(db, &v, err) != 0)
		goto fail;
	if (v > NMIGRATIONS) {
		ic_errorf(err, "%s: schema version %d is newer than this imcost understands (%d)",
			  path, v, NMIGRATIONS);
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

/*
 * Is db (opened for writing, nothing changed yet) an imcost database or a
 * new, empty one?  Another application's SQLite file is refused: one
 * whose application_id is not imcost's, one with user_version 0 that
 * holds any schema object, one with a user_version but no imcost tables.
 * Returns 0, or -1 with err set.
 */
static int
check_ours(sqlite3 *db, const char *path, struct ic_error *err)
{
	sqlite3_stmt *st = db_prepare(db,
		"SELECT (SELECT application_id FROM pragma_application_id),"
		" (SELECT user_version FROM pragma_user_version),"
		" (SELECT COUNT(*) FROM sqlite_master),"
		" (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
		"   AND name IN ('batches', 'imports', 'import_periods'))", err);
	int64_t app, v, objects, ours;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return ic_errorf(err, "%s: not an imcost database (%s)", path, sqlite3_errmsg(db));
	}
	app = sqlite3_column_int64(st, 0);
	v = sqlite3_column_int64(st, 1);
	objects = sqlite3_column_int64(st, 2);
	ours = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	if ((app != 0 && app != DB_APPLICATION_ID) || (v == 0 && objects > 0) ||
	    (v > 0 && ours != 3))
		return ic_errorf(err, "%s: not an imcost database (another application's SQLite file:"
				 " application_id %lld, user_version %lld, %lld schema objects);"
				 " nothing was changed, pass --db with a new file",
				 path, (long long)app, (long long)v, (long long)objects);
	return 0;
}

void
db_remove_files(const char *path)
{
	static const char *const tail[] = { "", "-wal", "-shm", "-journal" };
	char name[4200];

	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
		if ((size_t)snprintf(name, sizeof name, "%s%s", path, tail[i]) < sizeof name)
			(void)unlink(name);
	}
}

/*
 * A first import killed mid-way leaves a hot rollback journal
 * (db_bulk_journal), which a read-only connection cannot roll back.
 * Open path for writing once, read it (SQLite rolls the journal back) and
 * close.  Returns 0 when that worked.
 */
static int
roll_back_journal(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 30000);
		rc = sqlite3_exec(db, "PRAGMA user_version", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

sqlite3 *
db_open(const char *path, enum db_mode mode, struct ic_error *err)
{
	sqlite3 *db = NULL;
	int flags, v, rolled_back = 0;
again:

	/* SQLite's allocation statistics take a global mutex on every
	 * malloc and free; imcost never reads them.  Only possible before
	 * SQLite initializes, i.e. at the first open (later calls fail
	 * harmlessly). */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (mode == DB_READ) {
		if (access(path, F_OK) != 0) {
			ic_errorf(err, "%s: no database here yet (import a bill first, or pass --db)", path);
			return NULL;
		}
		flags = SQLITE_OPEN_READONLY;
	} else {
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	}
	/* One thread at a time uses a connection (the import's writer thread
	 * takes it over and hands it back), so SQLite's own per-call mutex is
	 * not needed: it cost 6% of an import. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		ic_errorf(err, "%s: cannot open database: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 30000);
	sqlite3_extended_result_codes(db, 1);
	if (mode == DB_WRITE) {
		/* nothing is changed, not even the journal mode, in a database
		 * of another application */
		if (check_ours(db, path, err) != 0)
			goto fail;
		/* WAL: readers go on while an import writes, and a killed import
		 * leaves the last committed state.  synchronous=NORMAL keeps WAL
		 * safe against process crashes. */
		if (db_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			    path, err) != 0)
			goto fail;
		if (migrate(db, path, err) != 0)
			goto fail;
	} else {
		if (user_version(db, &v, err) != 0) {
			if (sqlite3_extended_errcode(db) == SQLITE_READONLY_ROLLBACK && !rolled_back &&
			    roll_back_journal(path) == 0) {
				sqlite3_close(db);
				db = NULL;
				rolled_back = 1;
				goto again;
			}
			ic_errorf(err, "%s: not an imcost database (%s)", path, sqlite3_errmsg(db));
			goto fail;
		}
		if (v != NMIGRATIONS) {
			ic_errorf(err, "%s: schema version %d, this imcost needs %d (run any import to upgrade)",
				  path, v, NMIGRATIONS);
			goto fail;
		}
	}
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

/* The journal mode after running pragma (a PRAGMA journal_mode=...):
 * 'w' for wal, 'd' for delete, 0 when it could not be read. */
static int
journal_mode(sqlite3 *db, const char *pragma)
{
	sqlite3_stmt *st = NULL;
	int mode = 0;

	if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);
		if (m)
			mode = m[0];
	}
	sqlite3_finalize(st);
	return mode;
}

int
db_bulk_journal(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int empty = 0;

	if (!sqlite3_get_autocommit(db))
		return 0;	/* inside a transaction: the mode cannot change */
	if (sqlite3_prepare_v2(db, "SELECT NOT EXISTS(SELECT 1 FROM imports)", -1, &st,
			       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!empty)
		return 0;
	/* fails (and stays "wal") when another connection has the file open */
	return journal_mode(db, "PRAGMA journal_mode=DELETE") == 'd';
}

void
db_wal_journal(sqlite3 *db)
{
	if (sqlite3_get_autocommit(db))
		(void)journal_mode(db, "PRAGMA journal_mode=WAL");
}

void
db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

const char *
db_default_path(const char *flag)
{
	const char *env;

	if (flag && *flag)
		return flag;
	env = getenv("IMCOST_DB");
	if (env && *env)
		return env;
	return "imcost.db";
}
