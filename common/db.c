/*
 * db.c - opening the database and migrating its schema (see db.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/db.h"
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
	"CREATE VIEW focus_daily AS SELECT"
	"  r.BilledCostNanos / 1e9 AS BilledCost,"
	"  r.EffectiveCostNanos / 1e9 AS EffectiveCost,"
	"  r.ListCostNanos / 1e9 AS ListCost,"
	"  r.ContractedCostNanos / 1e9 AS ContractedCost,"
	"  d.BillingCurrency AS BillingCurrency, d.ChargeCategory AS ChargeCategory,"
	"  d.ChargeClass AS ChargeClass, d.ChargeFrequency AS ChargeFrequency,"
	"  d.ChargeDescription AS ChargeDescription, d.PricingCategory AS PricingCategory,"
	"  d.CommitmentDiscountId AS CommitmentDiscountId,"
	"  d.CommitmentDiscountType AS CommitmentDiscountType,"
	"  d.CommitmentDiscountStatus AS CommitmentDiscountStatus,"
	"  d.CommitmentDiscountCategory AS CommitmentDiscountCategory,"
	"  d.ProviderName AS ProviderName, d.BillingAccountId AS BillingAccountId,"
	"  d.SubAccountId AS SubAccountId, d.ServiceName AS ServiceName,"
	"  d.ServiceCategory AS ServiceCategory, d.RegionId AS RegionId,"
	"  d.AvailabilityZone AS AvailabilityZone, d.ResourceId AS ResourceId,"
	"  d.ResourceType AS ResourceType, d.SkuId AS SkuId,"
	"  r.ConsumedQuantity AS ConsumedQuantity, d.ConsumedUnit AS ConsumedUnit,"
	"  r.PricingQuantity AS PricingQuantity, d.PricingUnit AS PricingUnit,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day, 'unixepoch') AS ChargePeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day + 86400, 'unixepoch') AS ChargePeriodEnd,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodStart, 'unixepoch') AS BillingPeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodEnd, 'unixepoch') AS BillingPeriodEnd,"
	"  d.Tags AS Tags, d.x_InstanceType AS x_InstanceType, d.x_UsageType AS x_UsageType,"
	"  d.x_Operation AS x_Operation, d.x_Platform AS x_Platform,"
	"  d.x_LineItemType AS x_LineItemType, d.x_ServiceCode AS x_ServiceCode,"
	"  r.import_id AS x_ImportId, r.rows AS x_Rows, r.day AS x_Day,"
	"  r.BilledCostNanos AS BilledCostNanos, r.EffectiveCostNanos AS EffectiveCostNanos,"
	"  r.ListCostNanos AS ListCostNanos, r.ContractedCostNanos AS ContractedCostNanos,"
	"  r.dim_id AS x_DimId"
	"  FROM rollup_dims_day r LEFT JOIN charge_dims d ON d.id = r.dim_id;",	/*
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
	"CREATE TRIGGER charges_insert INSTEAD OF INSERT ON charges BEGIN INSERT INTO "
	"charge_dims(BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, "
	"AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode) "
	"VALUES(NEW.BillingCurrency, NEW.ProviderName, NEW.BillingAccountId, "
	"NEW.SubAccountId, NEW.ChargeCategory, NEW.ChargeClass, NEW.ChargeFrequency, "
	"NEW.ChargeDescription, NEW.PricingCategory, NEW.CommitmentDiscountId, "
	"NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceType, NEW.SkuId, NEW.ConsumedUnit, "
	"NEW.PricingUnit, NEW.x_InstanceType, NEW.x_UsageType, NEW.x_Operation, "
	"NEW.x_Platform, NEW.x_LineItemType, NEW.x_ServiceCode); INSERT INTO "
	"resources(ResourceId) SELECT NEW.ResourceId WHERE NEW.ResourceId IS NOT NULL; INSERT "
	"INTO tag_sets(Tags, aws) SELECT NEW.Tags, NEW.ProviderName IS 'AWS' WHERE NEW.Tags "
	"IS NOT NULL; INSERT INTO charge_facts(id, import_id, SourceLine, BilledCostNanos, "
	"EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, "
	"PricingQuantity, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, "
	"BillingPeriodEnd, dim_id, resource_id, tag_set_id) VALUES(NEW.id, NEW.import_id, "
	"NEW.SourceLine, NEW.BilledCostNanos, NEW.EffectiveCostNanos, NEW.ListCostNanos, "
	"NEW.ContractedCostNanos, NEW.ConsumedQuantity, NEW.PricingQuantity, "
	"NEW.ChargePeriodStart, NEW.ChargePeriodEnd, NEW.BillingPeriodStart, "
	"NEW.BillingPeriodEnd, (SELECT MAX(id) FROM charge_dims), CASE WHEN NEW.ResourceId IS "
	"NULL THEN NULL ELSE (SELECT MAX(id) FROM resources) END, CASE WHEN NEW.Tags IS NULL "
	"THEN NULL ELSE (SELECT MAX(id) FROM tag_sets) END); END;"
	"CREATE TRIGGER charges_update INSTEAD OF UPDATE ON charges BEGIN INSERT INTO "
	"charge_dims(BillingCurrency, ProviderName, BillingAccountId, SubAccountId, "
	"ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, "
	"CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, "
	"CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, "
	"AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, "
	"x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode) "
	"VALUES(NEW.BillingCurrency, NEW.ProviderName, NEW.BillingAccountId, "
	"NEW.SubAccountId, NEW.ChargeCategory, NEW.ChargeClass, NEW.ChargeFrequency, "
	"NEW.ChargeDescription, NEW.PricingCategory, NEW.CommitmentDiscountId, "
	"NEW.CommitmentDiscountType, NEW.CommitmentDiscountStatus, "
	"NEW.CommitmentDiscountCategory, NEW.ServiceName, NEW.ServiceCategory, NEW.RegionId, "
	"NEW.AvailabilityZone, NEW.ResourceType, NEW.SkuId, NEW.ConsumedUnit, "
	"NEW.PricingUnit, NEW.x_InstanceType, NEW.x_UsageType, NEW.x_Operation, "
	"NEW.x_Platform, NEW.x_LineItemType, NEW.x_ServiceCode); INSERT INTO "
	"resources(ResourceId) SELECT NEW.ResourceId WHERE NEW.ResourceId IS NOT NULL; INSERT "
	"INTO tag_sets(Tags, aws) SELECT NEW.Tags, NEW.ProviderName IS 'AWS' WHERE NEW.Tags "
	"IS NOT NULL; UPDATE charge_facts SET id = NEW.id, import_id = NEW.import_id, "
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
	"CREATE VIEW focus_daily AS SELECT"
	"  r.BilledCostNanos / 1e9 AS BilledCost,"
	"  r.EffectiveCostNanos / 1e9 AS EffectiveCost,"
	"  r.ListCostNanos / 1e9 AS ListCost,"
	"  r.ContractedCostNanos / 1e9 AS ContractedCost,"
	"  d.BillingCurrency AS BillingCurrency, d.ChargeCategory AS ChargeCategory,"
	"  d.ChargeClass AS ChargeClass, d.ChargeFrequency AS ChargeFrequency,"
	"  d.ChargeDescription AS ChargeDescription, d.PricingCategory AS PricingCategory,"
	"  d.CommitmentDiscountId AS CommitmentDiscountId,"
	"  d.CommitmentDiscountType AS CommitmentDiscountType,"
	"  d.CommitmentDiscountStatus AS CommitmentDiscountStatus,"
	"  d.CommitmentDiscountCategory AS CommitmentDiscountCategory,"
	"  d.ProviderName AS ProviderName, d.BillingAccountId AS BillingAccountId,"
	"  d.SubAccountId AS SubAccountId, d.ServiceName AS ServiceName,"
	"  d.ServiceCategory AS ServiceCategory, d.RegionId AS RegionId,"
	"  d.AvailabilityZone AS AvailabilityZone,"
	"  d.ResourceType AS ResourceType, d.SkuId AS SkuId,"
	"  r.ConsumedQuantity AS ConsumedQuantity, d.ConsumedUnit AS ConsumedUnit,"
	"  r.PricingQuantity AS PricingQuantity, d.PricingUnit AS PricingUnit,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day, 'unixepoch') AS ChargePeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.day + 86400, 'unixepoch') AS ChargePeriodEnd,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodStart, 'unixepoch') AS BillingPeriodStart,"
	"  strftime('%Y-%m-%dT%H:%M:%SZ', r.BillingPeriodEnd, 'unixepoch') AS BillingPeriodEnd,"
	"  d.x_InstanceType AS x_InstanceType, d.x_UsageType AS x_UsageType,"
	"  d.x_Operation AS x_Operation, d.x_Platform AS x_Platform,"
	"  d.x_LineItemType AS x_LineItemType, d.x_ServiceCode AS x_ServiceCode,"
	"  r.import_id AS x_ImportId, r.rows AS x_Rows, r.day AS x_Day,"
	"  r.BilledCostNanos AS BilledCostNanos, r.EffectiveCostNanos AS EffectiveCostNanos,"
	"  r.ListCostNanos AS ListCostNanos, r.ContractedCostNanos AS ContractedCostNanos,"
	"  r.dim_id AS x_DimId"
	"  FROM rollup_dims_day r LEFT JOIN charge_dims d ON d.id = r.dim_id;",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == DB_SCHEMA_VERSION,
	       "DB_SCHEMA_VERSION is the number of migrations");

int
db_error(sqlite3 *db, const char *what, struct ic_error *err)
{
	return ic_errorf(err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

long long
db_pragma_int(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	char sql[64];
	long long v = -1;

	snprintf(sql, sizeof sql, "PRAGMA %s", name);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
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

static void
newer_schema(const char *path, int v, struct ic_error *err)
{
	ic_errorf(err, "%s: this database was written by a newer imcost (schema %d; this one knows"
		  " up to %d); upgrade imcost (nothing was changed)", path, v, NMIGRATIONS);
}

/* Is rc (an extended result code) SQLite's word for a damaged file? */
static int
is_corrupt(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT;
}

static void
damaged(const char *path, const char *problem, struct ic_error *err)
{
	char q[IC_QUOTE_SIZE];

	ic_errorf(err, "%s: DB is damaged: %s; restore it or re-import into a new database"
		  " (nothing was changed; imcost check lists the problems)", path,
		  ic_quote(problem, strlen(problem), 160, q));
}

/* Set by the last db_open's quick check (db_quick_check_cut). */
static int quick_check_cut;
static double quick_check_limit;

int
db_quick_check_cut(double *seconds)
{
	if (seconds)
		*seconds = quick_check_limit;
	return quick_check_cut;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
db_integrity(sqlite3 *db, int full, const char *table, int max,
	     void (*problem)(void *arg, const char *text), void *arg, struct ic_error *err)
{
	sqlite3_stmt *st;
	char *sql;
	int r, found = 0;

	if (table)
		sql = sqlite3_mprintf("PRAGMA %s(\"%w\")", full ? "integrity_check" : "quick_check",
				      table);
	else
		sql = sqlite3_mprintf("PRAGMA %s(%d)", full ? "integrity_check" : "quick_check",
				      max > 0 ? max : 1);
	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	r = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (r != SQLITE_OK) {
		int ext = sqlite3_extended_errcode(db);

		if (is_corrupt(ext) || (ext & 0xff) == SQLITE_NOTADB) {
			if (problem)
				problem(arg, sqlite3_errmsg(db));
			return 1;
		}
		return db_error(db, "checking the database", err);
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (t && strcmp(t, "ok") == 0)
			continue;
		/* "*** in database main ***\n" heads the first problem */
		if (t && strncmp(t, "*** in database ", 16) == 0 && strchr(t, '\n'))
			t = strchr(t, '\n') + 1;
		found = 1;
		if (problem)
			problem(arg, t ? t : "(no text)");
	}
	if (r != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(db);

		if (is_corrupt(ext) || (ext & 0xff) == SQLITE_NOTADB) {
			if (problem)
				problem(arg, sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return 1;
		}
		db_error(db, "checking the database", err);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Keep the first problem the check reports (arg: a char[256]). */
static void
first_problem(void *arg, const char *text)
{
	char *first = arg;

	if (first[0] == '\0')
		snprintf(first, 256, "%s", text);
}

/* The time limit of a quick check: DB_QUICK_CHECK_SECONDS or
 * $IMCOST_QUICK_CHECK_SECONDS. */
static double
quick_limit(void)
{
	const char *env = getenv("IMCOST_QUICK_CHECK_SECONDS");

	if (env && *env) {
		char *end;
		double v = strtod(env, &end);

		if (*end == '\0' && v >= 0 && v < 1e6)
			return v;
	}
	return DB_QUICK_CHECK_SECONDS;
}

static int walk_btrees(sqlite3 *db, double deadline, const char *only, char *first,
		       struct ic_error *err);
static sqlite3_int64 db_bytes(sqlite3 *db);
static sqlite3_int64 full_check_bytes(void);

int
db_check_tables(sqlite3 *db, const char *path, const char *const *tables, int n,
		struct ic_error *err)
{
	char first[256] = "";
	double deadline;
	int r = 0, walk;

	quick_check_cut = 0;
	quick_check_limit = quick_limit();
	deadline = now_seconds() + quick_check_limit;
	/* above DB_FULL_CHECK_MB the page walk, as db_open's check */
	walk = n > 0 && db_bytes(db) > full_check_bytes();
	for (int i = 0; i < n && r == 0 && !quick_check_cut; i++) {
		if (now_seconds() > deadline) {
			quick_check_cut = 1;
			break;
		}
		if (walk)
			r = walk_btrees(db, deadline, tables[i], first, err);
		else
			r = db_integrity(db, 0, tables[i], 1, first_problem, first, err);
	}
	if (r < 0)
		return -1;
	if (r == 1) {
		damaged(path, first, err);
		return -1;
	}
	return 0;
}

/* The row count of table tbl (NOT INDEXED: SQLite's count walks every page
 * of its b-tree) or of its index idx (stepping through every entry):
 * each page loaded, its header and, with cell_size_check, its cell layout
 * checked, no record decoded.  Returns 0 with *n set, 1 when
 * SQLite found the b-tree damaged (its message into first), -1 with err. */
static int
count_btree(sqlite3 *db, const char *tbl, const char *idx, sqlite3_int64 *n, char *first,
	    struct ic_error *err)
{
	sqlite3_stmt *st = NULL;
	char *sql;
	int rc;

	if (idx)
		/* count(1): SQLite 3.40 answers count(*) from the smallest
		 * index whatever INDEXED BY names; count(1) steps through this
		 * one's entries (not decoding them) */
		sql = sqlite3_mprintf("SELECT count(1) FROM main.\"%w\" INDEXED BY \"%w\"", tbl, idx);
	else
		sql = sqlite3_mprintf("SELECT count(*) FROM main.\"%w\" NOT INDEXED", tbl);
	if (sql == NULL)
		return ic_errorf(err, "out of memory");
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);
	if (is_corrupt(sqlite3_extended_errcode(db)) ||
	    (sqlite3_extended_errcode(db) & 0xff) == SQLITE_NOTADB) {
		snprintf(first, 256, "%s%s%s", idx ? "index " : "table ", idx ? idx : tbl,
			 ": database disk image is malformed");
		return 1;
	}
	return db_error(db, "checking the database", err);
}

/*
 * The page walk: every b-tree of main (each table and each index but
 * partial ones) counted by SQLite's count(*) with PRAGMA cell_size_check
 * on, so that every b-tree page is read and its header, cell pointers and
 * cell sizes are checked, and each index must hold as many entries as its
 * table.  What it does not check (PRAGMA quick_check does): the order of
 * keys, record formats, overflow chains and the free list; nor
 * (integrity_check) that each index entry matches its row.  About 10
 * times cheaper than quick_check: 0.1 s of CPU for a 300 MB database.
 * The small tables first, the fact tables last; with deadline > 0 (a
 * CLOCK_MONOTONIC time) no b-tree is started after it (quick_check_cut
 * set); only not NULL: that table and its indexes alone.  Returns 0, 1
 * with first set (a damaged b-tree), or -1 with err.
 */
static int
walk_btrees(sqlite3 *db, double deadline, const char *only, char *first, struct ic_error *err)
{
	sqlite3_stmt *st;
	char tbl[256] = "";
	sqlite3_int64 tcount = 0, n;
	int r = 0, rc;

	if (db_exec(db, "PRAGMA cell_size_check=ON", "checking the database", err) != 0)
		return -1;
	/* each table before its indexes */
	st = db_prepare(db, "SELECT type, name, tbl_name FROM main.sqlite_master"
			" WHERE type IN ('table', 'index') AND rootpage > 0"
			" AND (type = 'table' OR sql IS NULL OR sql NOT LIKE '% WHERE %')"
			" AND (?1 IS NULL OR tbl_name = ?1)"
			" ORDER BY tbl_name IN ('charge_facts', 'charge_dims', 'usage', 'prices', 'resources',"
			" 'tag_sets', 'dim_tags'),"
			" tbl_name, type = 'index', name", err);
	if (st == NULL) {
		if (!is_corrupt(sqlite3_extended_errcode(db)))
			return -1;
		snprintf(first, 256, "%s", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *t = (const char *)sqlite3_column_text(st, 2);

		if (type == NULL || name == NULL || t == NULL)
			continue;
		if (deadline > 0 && now_seconds() > deadline) {
			quick_check_cut = 1;
			rc = SQLITE_DONE;
			break;
		}
		if (strcmp(type, "table") == 0) {
			snprintf(tbl, sizeof tbl, "%s", t);
			r = count_btree(db, t, NULL, &tcount, first, err);
			continue;
		}
		r = count_btree(db, t, name, &n, first, err);
		if (r == 0 && strcmp(tbl, t) == 0 && n != tcount) {
			snprintf(first, 256, "wrong # of entries in index %s (%lld, table %lld)",
				 name, (long long)n, (long long)tcount);
			r = 1;
		}
	}
	if (r == 0 && rc != SQLITE_DONE) {
		if (is_corrupt(sqlite3_extended_errcode(db))) {
			snprintf(first, 256, "%s", sqlite3_errmsg(db));
			r = 1;
		} else {
			r = db_error(db, "checking the database", err);
		}
	}
	sqlite3_finalize(st);
	/* the statements that follow do not pay for it (db_open turns it on
	 * again for a write) */
	(void)sqlite3_exec(db, "PRAGMA cell_size_check=OFF", NULL, NULL, NULL);
	return r;
}

/* The size of main in bytes (page_count x page_size; 0 when unknown). */
static sqlite3_int64
db_bytes(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;

	if (sqlite3_prepare_v2(db, "SELECT page_count * page_size FROM pragma_page_count,"
			       " pragma_page_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Up to which size a write runs the full integrity_check of everything:
 * DB_FULL_CHECK_MB MiB, or $IMCOST_FULL_CHECK_MB. */
static sqlite3_int64
full_check_bytes(void)
{
	const char *env = getenv("IMCOST_FULL_CHECK_MB");

	if (env && *env) {
		char *end;
		double v = strtod(env, &end);

		if (*end == '\0' && v >= 0 && v < 1e9)
			return (sqlite3_int64)(v * 1048576.0);
	}
	return (sqlite3_int64)DB_FULL_CHECK_MB * 1048576;
}

/*
 * The check of db_open.  Before writing: the full integrity_check of a
 * database up to DB_FULL_CHECK_MB; of a larger one, the page walk
 * (walk_btrees: every b-tree page read and checked, every index's entry
 * count against its table's) and the full check of the tables an import
 * decides from, so that the check costs a small fraction of the import
 * instead of growing with the history (issue 23: 2.4 s of CPU on a 300 MB
 * year, more than the month's import).  For reading a database above
 * DB_FULL_CHECK_MB: the page walk, starting no b-tree after
 * DB_QUICK_CHECK_SECONDS (0.7 s of CPU for the quick check of a 333 MB
 * year was more than the analyses it guarded).  For reading a smaller
 * one: PRAGMA quick_check table by table (the b-tree pages, cells and
 * indexes of each; not the free list), the small tables the commands
 * read (imports, rollups...) first and the fact tables last, starting
 * none once DB_QUICK_CHECK_SECONDS have passed (SQLite 3.40 cannot
 * interrupt one check, so the limit is per table: a 1M-charge table takes
 * 0.2 s).  Returns 0 when nothing was found, -1 with err set.
 */
static int
check_on_open(sqlite3 *db, const char *path, int full, struct ic_error *err)
{
	char first[256] = "";
	double limit = quick_limit(), deadline;
	sqlite3_stmt *st;
	int r = 0, rc;

	if (full && db_bytes(db) <= full_check_bytes()) {
		r = db_integrity(db, 1, NULL, 1, first_problem, first, err);
	} else if (full) {
		/* a larger file: the page walk, then the full check of the
		 * tables an import decides from (what it replaces, forgets) */
		r = walk_btrees(db, 0, NULL, first, err);
		st = r ? NULL : db_prepare(db, "SELECT name FROM main.sqlite_master WHERE type = 'table'"
					   " AND name IN ('imports', 'import_periods', 'replaced_charges')",
					   err);
		if (r == 0 && st == NULL)
			r = -1;
		while (r == 0 && st && sqlite3_step(st) == SQLITE_ROW)
			r = db_integrity(db, 1, (const char *)sqlite3_column_text(st, 0), 1,
					 first_problem, first, err);
		sqlite3_finalize(st);
	} else if (db_bytes(db) > full_check_bytes()) {
		/* a large file: the page walk, bounded like the quick check */
		quick_check_limit = limit;
		r = walk_btrees(db, now_seconds() + limit, NULL, first, err);
	} else {
		quick_check_limit = limit;
		deadline = now_seconds() + limit;
		st = db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY"
				" name IN ('charge_facts', 'charge_dims', 'usage', 'prices', 'resources',"
				" 'tag_sets', 'dim_tags'), rowid", err);
		if (st == NULL) {
			int ext = sqlite3_extended_errcode(db);

			if (!is_corrupt(ext))
				return -1;
			snprintf(first, sizeof first, "%s", sqlite3_errmsg(db));
			r = 1;
		}
		while (r == 0 && st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (now_seconds() > deadline) {
				quick_check_cut = 1;
				break;
			}
			r = db_integrity(db, 0, (const char *)sqlite3_column_text(st, 0), 1,
					 first_problem, first, err);
		}
		if (r == 0 && st && !quick_check_cut && rc != SQLITE_DONE) {
			if (is_corrupt(sqlite3_extended_errcode(db))) {
				snprintf(first, sizeof first, "%s", sqlite3_errmsg(db));
				r = 1;
			} else {
				r = db_error(db, "checking the database", err);
			}
		}
		sqlite3_finalize(st);
	}
	if (r < 0)
		return -1;
	if (r == 1) {
		damaged(path, first, err);
		return -1;
	}
	return 0;
}

/* The directory of path ("." for a bare name) into dir[n]. */
static void
dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/*
 * Why path cannot be opened as a database (mode: DB_WRITE needs to
 * create or write it): a directory, not a regular file, no permission.
 * Returns -1 with err set when a cause was found, 0 when none was.
 */
static int
file_cause(const char *path, enum db_mode mode, struct ic_error *err)
{
	struct stat sb;
	char dir[4200];

	if (strcmp(path, ":memory:") == 0)
		return 0;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return ic_errorf(err, "%s: is a directory, not a database file (pass --db with"
					 " a file name)", path);
		if (!S_ISREG(sb.st_mode))
			return ic_errorf(err, "%s: not a regular file (a database is a plain file)",
					 path);
		if (access(path, R_OK) != 0)
			return ic_errorf(err, "%s: cannot read the database: %s", path,
					 strerror(errno));
		if (mode == DB_WRITE && access(path, W_OK) != 0)
			return ic_errorf(err, "%s: cannot write the database (%s): importing needs"
					 " write access to the file and its directory", path,
					 strerror(errno));
	} else if (errno != ENOENT) {
		return ic_errorf(err, "%s: cannot open the database: %s", path, strerror(errno));
	} else if (mode != DB_WRITE) {
		return ic_errorf(err, "%s: no database here yet (import a bill first, or pass --db)",
				 path);
	}
	if (mode != DB_WRITE)
		return 0;
	dir_of(path, dir, sizeof dir);
	if (stat(dir, &sb) != 0)
		return ic_errorf(err, "%s: cannot create the database: %s: %s", path, dir,
				 strerror(errno));
	if (access(dir, W_OK | X_OK) != 0)
		return ic_errorf(err, "%s: cannot write in directory %s (%s): importing needs it for"
				 " the database's journal", path, dir, strerror(errno));
	return 0;
}

/*
 * path as an SQLite URI with immutable=1 (file:...?immutable=1), its
 * characters that a URI gives meaning to percent-encoded.  Returns a
 * string to sqlite3_free, or NULL when out of memory.
 */
static char *
immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *u = sqlite3_malloc64(n * 3 + 32), *o;

	if (u == NULL)
		return NULL;
	o = u + sprintf(u, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f)
			o += sprintf(o, "%%%02X", *p);
		else
			*o++ = (char)*p;
	}
	strcpy(o, "?immutable=1");
	return u;
}

/*
 * A reader that cannot create the WAL index (-shm) next to the database:
 * a WAL database in a directory it may not write (a read-only volume, an
 * archive, another user's folder).  SQLite's immutable mode reads the
 * file without the -shm and without locks; that is only right when
 * nobody writes it meanwhile and no WAL holds committed pages, so it is
 * used only when the directory is not writable (no imcost can be
 * importing there: an import needs the directory for its journal) and
 * there is no non-empty -wal or -journal file.
 */
static int
may_open_immutable(const char *path)
{
	char name[4200], dir[4200];
	struct stat sb;

	if ((size_t)snprintf(name, sizeof name, "%s-wal", path) >= sizeof name)
		return 0;
	if (stat(name, &sb) == 0 && sb.st_size > 0)
		return 0;
	/* a hot rollback journal (a first import killed) must be rolled
	 * back, which immutable mode would not do */
	snprintf(name, sizeof name, "%s-journal", path);
	if (stat(name, &sb) == 0 && sb.st_size > 0)
		return 0;
	dir_of(path, dir, sizeof dir);
	return access(dir, W_OK) != 0;
}

/* imcost_tag_fold(key, provider): see db.h. */
static void
fn_tag_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *key = (const char *)sqlite3_value_text(argv[0]);
	const char *prov = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
	size_t len, n;
	char buf[256], *out = buf;

	if (key == NULL)
		return;		/* NULL */
	len = (size_t)sqlite3_value_bytes(argv[0]);
	if (len >= sizeof buf && (out = sqlite3_malloc64(len + 1)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	n = tag_key_fold(key, len, prov != NULL && strcmp(prov, "AWS") == 0, out, len + 1);
	if (n != (size_t)-1)
		sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
	if (out != buf)
		sqlite3_free(out);
}

int
db_register_functions(sqlite3 *db, struct ic_error *err)
{
	if (sqlite3_create_function(db, "imcost_tag_fold", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, fn_tag_fold, NULL, NULL) != SQLITE_OK)
		return db_error(db, "registering imcost_tag_fold", err);
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

/*
 * An open failed (rc, the extended code of its first read):
 * set err to the real cause.
 */
static void
read_failure(sqlite3 *db, const char *path, int rc, struct ic_error *err)
{
	if (is_corrupt(rc))
		damaged(path, sqlite3_errmsg(db), err);
	else if ((rc & 0xff) == SQLITE_NOTADB)
		ic_errorf(err, "%s: not an imcost database (not an SQLite file, or its header is"
			  " damaged: %s)", path, sqlite3_errmsg(db));
	else if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)
		ic_errorf(err, "%s: cannot read the database: %s (SQLite needs to create %s-shm"
			  " next to a WAL database, or, in a read-only directory, no -wal file with"
			  " content)", path, sqlite3_errmsg(db), path);
	else
		ic_errorf(err, "%s: cannot read the database: %s", path, sqlite3_errmsg(db));
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

	if (st == NULL) {
		int rc = sqlite3_extended_errcode(db);

		if (is_corrupt(rc) || (rc & 0xff) == SQLITE_NOTADB)
			read_failure(db, path, rc, err);
		return -1;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (is_corrupt(sqlite3_extended_errcode(db))) {
			damaged(path, sqlite3_errmsg(db), err);
			return -1;
		}
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
	char *uri = NULL;
	int flags, v, rc, rolled_back = 0, immutable = 0;

	quick_check_cut = 0;
	if (file_cause(path, mode, err) != 0)
		return NULL;
again:

	/* SQLite's allocation statistics take a global mutex on every
	 * malloc and free; imcost never reads them.  Only possible before
	 * SQLite initializes, i.e. at the first open (later calls fail
	 * harmlessly). */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (mode != DB_WRITE)
		flags = SQLITE_OPEN_READONLY;
	else
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* One thread at a time uses a connection (the import's writer thread
	 * takes it over and hands it back), so SQLite's own per-call mutex is
	 * not needed: it cost 6% of an import. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (immutable) {
		uri = immutable_uri(path);
		if (uri == NULL) {
			ic_errorf(err, "out of memory");
			return NULL;
		}
		flags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(uri ? uri : path, &db, flags, NULL);
	sqlite3_free(uri);
	uri = NULL;
	if (rc != SQLITE_OK) {
		ic_errorf(err, "%s: cannot open database: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 30000);
	sqlite3_extended_result_codes(db, 1);
	if (mode == DB_WRITE) {
		/* nothing is changed, not even the journal mode, in a database
		 * of another application, nor in a damaged one */
		if (check_ours(db, path, err) != 0)
			goto fail;
		if (user_version(db, &v, err) != 0)
			goto fail;
		if (v > NMIGRATIONS) {
			newer_schema(path, v, err);
			goto fail;
		}
		if (check_on_open(db, path, 1, err) != 0)
			goto fail;
		/* every page the write then loads gets its cells checked too */
		if (db_exec(db, "PRAGMA cell_size_check=ON", path, err) != 0)
			goto fail;
		/* WAL: readers go on while an import writes, and a killed import
		 * leaves the last committed state.  synchronous=NORMAL keeps WAL
		 * safe against process crashes. */
		if (db_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			    path, err) != 0)
			goto fail;
		if (db_register_functions(db, err) != 0 || migrate(db, path, err) != 0)
			goto fail;
	} else {
		if (user_version(db, &v, err) != 0) {
			rc = sqlite3_extended_errcode(db);
			if (rc == SQLITE_READONLY_ROLLBACK && !rolled_back &&
			    roll_back_journal(path) == 0) {
				sqlite3_close(db);
				db = NULL;
				rolled_back = 1;
				goto again;
			}
			if (((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN) &&
			    !immutable && may_open_immutable(path)) {
				sqlite3_close(db);
				db = NULL;
				immutable = 1;
				goto again;
			}
			read_failure(db, path, rc, err);
			goto fail;
		}
		if (v > NMIGRATIONS) {
			newer_schema(path, v, err);
			goto fail;
		}
		if (v != NMIGRATIONS && mode != DB_CHECK) {
			ic_errorf(err, "%s: schema version %d, this imcost needs %d (run any import to upgrade)",
				  path, v, NMIGRATIONS);
			goto fail;
		}
		if (mode == DB_READ && check_on_open(db, path, 0, err) != 0)
			goto fail;
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
