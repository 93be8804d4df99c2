/*
 * rollup.h - the rollup tables: small aggregates of the charges and usage
 * tables that the analyzers query instead of the wide base tables.
 *
 * Each rollup is defined by one portable SQL GROUP BY over a base table
 * (the *_SELECT and *_GROUP macros below: "SELECT ... FROM charges
 * [WHERE ...] GROUP BY ..."); the table holds exactly that query's result.
 * The same aggregates can therefore run on a warehouse engine
 * (docs/ARCHITECTURE.md, "Engines"); SQLite keeps them materialized:
 *
 *   - schema version 2 (migration 1 -> 2 in common/db.c) creates the
 *     tables and back-fills them from the base tables with these macros
 *     (version 3 rebuilds rollup_resource with two more columns);
 *   - every charges import (importers/import.c, importers/rollup-agg.c)
 *     aggregates its rows in C as they stream by and writes the groups of
 *     its file (keyed by import_id) at the end of the file, inside the
 *     file's savepoint; when a later batch restates (provider, billing
 *     account, billing period), the rollup rows of that import and key are
 *     deleted with the charges (rollup_delete_period);
 *   - every usage import recomputes the usage rollups of the resources and
 *     days it touched from the usage table (usage rows are replaced in
 *     place, so they are recomputed rather than added);
 *   - any other writer of charges or usage (a sqlite3 shell, a unit test)
 *     fires the triggers below, which mark the rollups stale in
 *     rollup_state.  Imports drop the triggers for their transaction and
 *     put them back before committing; an import that finds the rollups
 *     stale rebuilds them from the base tables.  Analyses that find them
 *     stale build TEMP tables of the same names from the definitions
 *     (analyzers/rollups.h), which shadow the main ones.
 *
 * Text columns keep the base table's bytes and NULLs; money columns are
 * exact integer sums.  Quantity sums are double sums of the same values
 * (added in file order), so they can differ from a sum over the base table
 * in another order by rounding in the last bit only.
 *
 * These definitions are part of the schema (version 3): changing one needs
 * a new migration that rebuilds the table, and the definition the older
 * migrations built kept beside them in common/db.c.
 */
#ifndef IMCOST_ROLLUP_H
#define IMCOST_ROLLUP_H

#include <stdint.h>
#include <sqlite3.h>

#include "common/error.h"

/* The rows the commitment analysis looks at: instance usage with a type, a
 * region and a positive quantity. */
#define ROLLUP_ELIGIBLE_SQL \
	"ChargeCategory = 'Usage' AND x_InstanceType IS NOT NULL AND x_InstanceType <> ''" \
	" AND RegionId IS NOT NULL AND ConsumedQuantity > 0"

/* ---- rollup_daily: every charge, per day and the dimensions reports use ----
 * day = ChargePeriodStart - ChargePeriodStart % 86400 (as the analyses
 * compute it); within_day = 1 when ChargePeriodEnd - ChargePeriodStart <=
 * 86400.  min_start / max_start / max_end: MIN and MAX of the charge
 * period bounds in the group, so a filter on ChargePeriodStart can be
 * checked to cut no group in two.  Read by summary, anomalies, forecast,
 * unit economics, the commitment window and existing commitments, unused
 * commitments (idle). */
#define ROLLUP_DAILY_TABLE(create) create "rollup_daily(" \
	"import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL," \
	" BillingPeriodStart INTEGER NOT NULL, BillingPeriodEnd INTEGER NOT NULL," \
	" BillingCurrency TEXT NOT NULL, SubAccountId TEXT, ServiceName TEXT, RegionId TEXT," \
	" ChargeCategory TEXT NOT NULL, PricingCategory TEXT, CommitmentDiscountId TEXT," \
	" CommitmentDiscountType TEXT, CommitmentDiscountStatus TEXT, x_LineItemType TEXT," \
	" x_InstanceType TEXT, x_Platform TEXT, day INTEGER NOT NULL, within_day INTEGER NOT NULL," \
	" rows INTEGER NOT NULL, BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL," \
	" ListCostNanos INTEGER, ConsumedQuantity REAL, min_start INTEGER NOT NULL," \
	" max_start INTEGER NOT NULL, max_end INTEGER NOT NULL)"
#define ROLLUP_DAILY_KEYS \
	"import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingPeriodEnd," \
	" BillingCurrency, SubAccountId, ServiceName, RegionId, ChargeCategory, PricingCategory," \
	" CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, x_LineItemType," \
	" x_InstanceType, x_Platform, ChargePeriodStart - ChargePeriodStart % 86400," \
	" CASE WHEN ChargePeriodEnd - ChargePeriodStart <= 86400 THEN 1 ELSE 0 END"
#define ROLLUP_DAILY_SELECT "SELECT " ROLLUP_DAILY_KEYS "," \
	" COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos)," \
	" SUM(ConsumedQuantity), MIN(ChargePeriodStart), MAX(ChargePeriodStart), MAX(ChargePeriodEnd)" \
	" FROM charges"
#define ROLLUP_DAILY_WHERE ""
#define ROLLUP_DAILY_GROUP " GROUP BY " ROLLUP_DAILY_KEYS
#define ROLLUP_DAILY_INDEXES(schema) ""

/* ---- rollup_compute: eligible Standard/Committed usage per start and span ----
 * Keyed by the exact ChargePeriodStart (not an hour bucket), so any window
 * on it is exact; span = ChargePeriodEnd - ChargePeriodStart.  Read by
 * commitments (hourly on-demand usage, coverage). */
#define ROLLUP_COMPUTE_TABLE(create) create "rollup_compute(" \
	"import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL," \
	" BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, RegionId TEXT NOT NULL," \
	" x_InstanceType TEXT NOT NULL, x_Platform TEXT, PricingCategory TEXT NOT NULL," \
	" CommitmentDiscountStatus TEXT, x_LineItemType TEXT, ChargePeriodStart INTEGER NOT NULL," \
	" span INTEGER NOT NULL, rows INTEGER NOT NULL, ConsumedQuantity REAL NOT NULL)"
#define ROLLUP_COMPUTE_KEYS \
	"import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, RegionId," \
	" x_InstanceType, x_Platform, PricingCategory, CommitmentDiscountStatus, x_LineItemType," \
	" ChargePeriodStart, ChargePeriodEnd - ChargePeriodStart"
#define ROLLUP_COMPUTE_SELECT "SELECT " ROLLUP_COMPUTE_KEYS "," \
	" COUNT(*), SUM(ConsumedQuantity) FROM charges"
#define ROLLUP_COMPUTE_COND ROLLUP_ELIGIBLE_SQL \
	" AND PricingCategory IN ('Standard', 'Committed')"
#define ROLLUP_COMPUTE_WHERE " WHERE " ROLLUP_COMPUTE_COND
#define ROLLUP_COMPUTE_GROUP " GROUP BY " ROLLUP_COMPUTE_KEYS
#define ROLLUP_COMPUTE_INDEXES(schema) \
	"CREATE INDEX " schema "rollup_compute_start ON rollup_compute(ChargePeriodStart);"

/* ---- rollup_resource: every charge per resource and billing period ----
 * positive = 1 when ConsumedQuantity > 0.  Read by idle (pricing, idle
 * addresses, gateways), rightsizing (instance hours), levers (egress) and
 * summary (top resources, with their service and account).  Schema
 * version 3 added SubAccountId and ServiceName (migration 2 -> 3 in
 * common/db.c rebuilds the table; version 2's definition is kept there). */
#define ROLLUP_RESOURCE_TABLE(create) create "rollup_resource(" \
	"import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL," \
	" BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT," \
	" SubAccountId TEXT, ServiceName TEXT," \
	" ChargeCategory TEXT NOT NULL, x_UsageType TEXT, RegionId TEXT, x_InstanceType TEXT," \
	" x_Platform TEXT, x_LineItemType TEXT, positive INTEGER NOT NULL, rows INTEGER NOT NULL," \
	" BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ConsumedQuantity REAL," \
	" min_start INTEGER NOT NULL, max_end INTEGER NOT NULL)"
#define ROLLUP_RESOURCE_KEYS \
	"import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId," \
	" SubAccountId, ServiceName, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform," \
	" x_LineItemType, CASE WHEN ConsumedQuantity > 0 THEN 1 ELSE 0 END"
#define ROLLUP_RESOURCE_SELECT "SELECT " ROLLUP_RESOURCE_KEYS "," \
	" COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ConsumedQuantity)," \
	" MIN(ChargePeriodStart), MAX(ChargePeriodEnd) FROM charges"
#define ROLLUP_RESOURCE_WHERE ""
#define ROLLUP_RESOURCE_GROUP " GROUP BY " ROLLUP_RESOURCE_KEYS
#define ROLLUP_RESOURCE_INDEXES(schema) \
	"CREATE INDEX " schema "rollup_resource_period ON rollup_resource(BillingPeriodStart);"

/* ---- rollup_instance_runs: eligible Standard usage per resource and hour ----
 * Defined as the GROUP BY below (one row per resource, type, start and
 * span, with n = 1 and step = 0), stored run-length encoded: a row stands
 * for the n starts first_start + k * step (k = 0 .. n-1), each with the
 * quantity ConsumedQuantity summed over `rows` charges.  Several rows may
 * cover the same start; their sum is the GROUP BY's row.  The commitment
 * analysis reads it by ResourceId to leave idle instances out. */
#define ROLLUP_RUNS_TABLE(create) create "rollup_instance_runs(" \
	"import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL," \
	" BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT NOT NULL," \
	" RegionId TEXT NOT NULL, x_InstanceType TEXT NOT NULL, x_Platform TEXT, span INTEGER NOT NULL," \
	" first_start INTEGER NOT NULL, step INTEGER NOT NULL, n INTEGER NOT NULL," \
	" ConsumedQuantity REAL NOT NULL, rows INTEGER NOT NULL)"
#define ROLLUP_RUNS_KEYS \
	"import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId," \
	" RegionId, x_InstanceType, x_Platform, ChargePeriodEnd - ChargePeriodStart, ChargePeriodStart"
#define ROLLUP_RUNS_SELECT "SELECT " ROLLUP_RUNS_KEYS "," \
	" 0, 1, SUM(ConsumedQuantity), COUNT(*) FROM charges"
#define ROLLUP_RUNS_COND ROLLUP_ELIGIBLE_SQL \
	" AND PricingCategory = 'Standard' AND ResourceId IS NOT NULL"
#define ROLLUP_RUNS_WHERE " WHERE " ROLLUP_RUNS_COND
#define ROLLUP_RUNS_GROUP " GROUP BY " ROLLUP_RUNS_KEYS
#define ROLLUP_RUNS_INDEXES(schema) \
	"CREATE INDEX " schema "rollup_instance_runs_resource ON rollup_instance_runs(ResourceId);"

/* ---- rollup_resource_data, rollup_runs_data: how SQLite stores the two
 * per-resource rollups above (schema version 11) ----
 * One row per row of rollup_resource (of rollup_instance_runs) as defined
 * above, with the text keys replaced by two references: resource_id, a
 * resources row whose ResourceId is the group's (NULL when it is NULL),
 * and dim_id, a charge_dims row whose columns among the keys are the
 * group's.  Any such row will do (the import takes one of the group's
 * charges', the SQL below the smallest), as charge_dims and resources rows
 * are never deleted.  The views rollup_resource and rollup_instance_runs
 * (ROLLUP_*_VIEW) show them in the columns and values of the definitions
 * above, which remote engines keep (stale rollups get TEMP tables and
 * views of the same names and shape):
 * on a bill whose every row has its own resource, the text keys were 300
 * of the 700 bytes a charge took.  Defined over charge_facts and the two
 * dictionaries, which only the SQLite schema has. */
#define ROLLUP_RESOURCE_DATA_TABLE(create) create "rollup_resource_data(" \
	"import_id INTEGER NOT NULL, BillingPeriodStart INTEGER NOT NULL, resource_id INTEGER," \
	" dim_id INTEGER NOT NULL, positive INTEGER NOT NULL, rows INTEGER NOT NULL," \
	" BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ConsumedQuantity REAL," \
	" min_start INTEGER NOT NULL, max_end INTEGER NOT NULL)"
#define ROLLUP_DATA_FROM " FROM charge_facts f LEFT JOIN charge_dims d ON d.id = f.dim_id" \
	" LEFT JOIN resources r ON r.id = f.resource_id"
#define ROLLUP_RESOURCE_DATA_SELECT "SELECT f.import_id, f.BillingPeriodStart, MIN(f.resource_id)," \
	" MIN(f.dim_id), CASE WHEN f.ConsumedQuantity > 0 THEN 1 ELSE 0 END, COUNT(*)," \
	" SUM(f.BilledCostNanos), SUM(f.EffectiveCostNanos), SUM(f.ConsumedQuantity)," \
	" MIN(f.ChargePeriodStart), MAX(f.ChargePeriodEnd)" ROLLUP_DATA_FROM
#define ROLLUP_RESOURCE_DATA_WHERE ""
#define ROLLUP_RESOURCE_DATA_GROUP " GROUP BY f.import_id, d.ProviderName, d.BillingAccountId," \
	" f.BillingPeriodStart, d.BillingCurrency, r.ResourceId, d.SubAccountId, d.ServiceName," \
	" d.ChargeCategory, d.x_UsageType, d.RegionId, d.x_InstanceType, d.x_Platform," \
	" d.x_LineItemType, CASE WHEN f.ConsumedQuantity > 0 THEN 1 ELSE 0 END"
#define ROLLUP_RESOURCE_DATA_INDEXES(schema) \
	"CREATE INDEX " schema "rollup_resource_data_period ON rollup_resource_data(BillingPeriodStart);"
#define ROLLUP_RESOURCE_VIEW(create) create "rollup_resource AS SELECT x.import_id AS import_id," \
	" d.ProviderName AS ProviderName, d.BillingAccountId AS BillingAccountId," \
	" x.BillingPeriodStart AS BillingPeriodStart, d.BillingCurrency AS BillingCurrency," \
	" r.ResourceId AS ResourceId, d.SubAccountId AS SubAccountId, d.ServiceName AS ServiceName," \
	" d.ChargeCategory AS ChargeCategory, d.x_UsageType AS x_UsageType, d.RegionId AS RegionId," \
	" d.x_InstanceType AS x_InstanceType, d.x_Platform AS x_Platform," \
	" d.x_LineItemType AS x_LineItemType, x.positive AS positive, x.rows AS rows," \
	" x.BilledCostNanos AS BilledCostNanos, x.EffectiveCostNanos AS EffectiveCostNanos," \
	" x.ConsumedQuantity AS ConsumedQuantity, x.min_start AS min_start, x.max_end AS max_end" \
	" FROM rollup_resource_data x LEFT JOIN charge_dims d ON d.id = x.dim_id" \
	" LEFT JOIN resources r ON r.id = x.resource_id;"

#define ROLLUP_RUNS_DATA_TABLE(create) create "rollup_runs_data(" \
	"import_id INTEGER NOT NULL, BillingPeriodStart INTEGER NOT NULL, resource_id INTEGER NOT NULL," \
	" dim_id INTEGER NOT NULL, span INTEGER NOT NULL, first_start INTEGER NOT NULL," \
	" step INTEGER NOT NULL, n INTEGER NOT NULL, ConsumedQuantity REAL NOT NULL, rows INTEGER NOT NULL)"
#define ROLLUP_RUNS_DATA_SELECT "SELECT f.import_id, f.BillingPeriodStart, MIN(f.resource_id)," \
	" MIN(f.dim_id), f.ChargePeriodEnd - f.ChargePeriodStart, f.ChargePeriodStart, 0, 1," \
	" SUM(f.ConsumedQuantity), COUNT(*)" ROLLUP_DATA_FROM
#define ROLLUP_RUNS_DATA_WHERE ROLLUP_RUNS_WHERE
#define ROLLUP_RUNS_DATA_GROUP " GROUP BY f.import_id, d.ProviderName, d.BillingAccountId," \
	" f.BillingPeriodStart, d.BillingCurrency, r.ResourceId, d.RegionId, d.x_InstanceType," \
	" d.x_Platform, f.ChargePeriodEnd - f.ChargePeriodStart, f.ChargePeriodStart"
#define ROLLUP_RUNS_DATA_INDEXES(schema) \
	"CREATE INDEX " schema "rollup_runs_data_resource ON rollup_runs_data(resource_id);"
#define ROLLUP_RUNS_VIEW(create) create "rollup_instance_runs AS SELECT x.import_id AS import_id," \
	" d.ProviderName AS ProviderName, d.BillingAccountId AS BillingAccountId," \
	" x.BillingPeriodStart AS BillingPeriodStart, d.BillingCurrency AS BillingCurrency," \
	" r.ResourceId AS ResourceId, d.RegionId AS RegionId, d.x_InstanceType AS x_InstanceType," \
	" d.x_Platform AS x_Platform, x.span AS span, x.first_start AS first_start, x.step AS step," \
	" x.n AS n, x.ConsumedQuantity AS ConsumedQuantity, x.rows AS rows" \
	" FROM rollup_runs_data x LEFT JOIN charge_dims d ON d.id = x.dim_id" \
	" LEFT JOIN resources r ON r.id = x.resource_id;"

/* ---- rollup_usage_day: the host metrics per resource and day ----
 * day = ts - ts % 86400; per metric family the sample count and the sum
 * (NULL without samples), summed in the usage table's key order (metric,
 * then time), as the idle rule's query over usage does.  Read by idle,
 * commitments and rightsizing (the idle rule, volumes, sample counts). */
#define ROLLUP_USAGE_METRICS \
	"('cpu_utilization', 'memory_utilization', 'network_in_bytes', 'network_out_bytes'," \
	" 'disk_read_ops', 'disk_write_ops')"
#define ROLLUP_USAGE_DAY_TABLE(create) create "rollup_usage_day(" \
	"day INTEGER NOT NULL, resource_id TEXT NOT NULL, cpu_n INTEGER NOT NULL, cpu_sum REAL," \
	" mem_n INTEGER NOT NULL, net_n INTEGER NOT NULL, net_sum REAL, disk_n INTEGER NOT NULL," \
	" disk_sum REAL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL," \
	" PRIMARY KEY(day, resource_id)) WITHOUT ROWID"
#define ROLLUP_USAGE_DAY_SELECT "SELECT ts - ts % 86400, resource_id," \
	" COUNT(CASE WHEN metric = 'cpu_utilization' THEN value END)," \
	" SUM(CASE WHEN metric = 'cpu_utilization' THEN value END)," \
	" COUNT(CASE WHEN metric = 'memory_utilization' THEN value END)," \
	" COUNT(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END)," \
	" SUM(CASE WHEN metric IN ('network_in_bytes', 'network_out_bytes') THEN value END)," \
	" COUNT(CASE WHEN metric IN ('disk_read_ops', 'disk_write_ops') THEN value END)," \
	" SUM(CASE WHEN metric IN ('disk_read_ops', 'disk_write_ops') THEN value END)," \
	" MIN(ts), MAX(ts) FROM usage"
#define ROLLUP_USAGE_DAY_WHERE " WHERE metric IN " ROLLUP_USAGE_METRICS
#define ROLLUP_USAGE_DAY_GROUP " GROUP BY resource_id, ts - ts % 86400"
#define ROLLUP_USAGE_DAY_INDEXES(schema) ""

/* ---- rollup_usage_hist: utilization histograms per resource and month ----
 * month = the first second of ts's UTC calendar month (computed in C by
 * month_start when maintained; strftime in the back-fill); bin =
 * CAST(value * 10 + 0.5 AS INTEGER), as rightsizing rounds samples; read
 * by rightsizing from the top bin down (p95). */
#define ROLLUP_USAGE_HIST_TABLE(create) create "rollup_usage_hist(" \
	"resource_id TEXT NOT NULL, metric TEXT NOT NULL, month INTEGER NOT NULL," \
	" bin INTEGER NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY(resource_id, metric, month, bin)) WITHOUT ROWID"
#define ROLLUP_USAGE_HIST_MONTH \
	"CAST(strftime('%s', ts, 'unixepoch', 'start of month') AS INTEGER)"
#define ROLLUP_USAGE_HIST_SELECT "SELECT resource_id, metric, " ROLLUP_USAGE_HIST_MONTH "," \
	" CAST(value * 10 + 0.5 AS INTEGER), COUNT(*) FROM usage"
#define ROLLUP_USAGE_HIST_WHERE " WHERE metric IN ('cpu_utilization', 'memory_utilization')"
#define ROLLUP_USAGE_HIST_GROUP " GROUP BY resource_id, metric, " ROLLUP_USAGE_HIST_MONTH "," \
	" CAST(value * 10 + 0.5 AS INTEGER)"
#define ROLLUP_USAGE_HIST_INDEXES(schema) ""
/* The same in the engine macro language (common/engine.h), for the views
 * of remote engines: must stay equal to the two above. */
#define ROLLUP_USAGE_HIST_SELECT_PORTABLE "SELECT resource_id, metric, $month_start(ts)," \
	" $int(value * 10 + 0.5), COUNT(*) FROM usage"
#define ROLLUP_USAGE_HIST_GROUP_PORTABLE " GROUP BY resource_id, metric, $month_start(ts)," \
	" $int(value * 10 + 0.5)"

/* ---- rollup_dims_day: every charge per day and charge_dims row ----
 * Keyed by (import_id, billing period, day, dim_id): day = ChargePeriodStart
 * - ChargePeriodStart % 86400, dim_id the charge's charge_dims row (so
 * every text column of the charge but ResourceId and Tags is one join
 * away: since schema 10 they have dictionaries of their own, and a day x
 * resource grain would be as big as the bill on high-cardinality
 * accounts).  Exact nanos sums of the
 * four money columns (NULL when every charge of the group has none), the
 * row count, and the two quantities.  Schema version 8; the view
 * focus_daily (common/db.c) shows it with FOCUS names.  Defined over
 * charge_facts, which only the SQLite schema has: remote engines define
 * focus_daily over their charges instead (ROLLUP_FOCUS_DAILY_* below). */
#define ROLLUP_DIMS_DAY_TABLE(create) create "rollup_dims_day(" \
	"import_id INTEGER NOT NULL, BillingPeriodStart INTEGER NOT NULL," \
	" BillingPeriodEnd INTEGER NOT NULL, day INTEGER NOT NULL, dim_id INTEGER NOT NULL," \
	" rows INTEGER NOT NULL, BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL," \
	" ListCostNanos INTEGER, ContractedCostNanos INTEGER, ConsumedQuantity REAL," \
	" PricingQuantity REAL)"
#define ROLLUP_DIMS_DAY_KEYS \
	"import_id, BillingPeriodStart, BillingPeriodEnd, ChargePeriodStart - ChargePeriodStart % 86400," \
	" dim_id"
#define ROLLUP_DIMS_DAY_SELECT "SELECT " ROLLUP_DIMS_DAY_KEYS "," \
	" COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos)," \
	" SUM(ContractedCostNanos), SUM(ConsumedQuantity), SUM(PricingQuantity) FROM charge_facts"
#define ROLLUP_DIMS_DAY_WHERE ""
#define ROLLUP_DIMS_DAY_GROUP " GROUP BY " ROLLUP_DIMS_DAY_KEYS
#define ROLLUP_DIMS_DAY_INDEXES(schema) ""

/* ---- focus_daily on remote engines ----
 * The same groups as rollup_dims_day (no ResourceId, no Tags since
 * schema 10), keyed by the text columns themselves (remote engines have no charge_dims): a view over their
 * charges, in the columns of SQLite's focus_daily that are engine-neutral
 * (integers: x_Day, x_ImportId, the billing period in epoch seconds, the
 * *Nanos sums, x_Rows; no x_ServiceCode, which remote engines do not
 * carry yet).  SQLite's focus_daily is the view of common/db.c
 * over rollup_dims_day and is not built from this. */
#define ROLLUP_FOCUS_DAILY_TABLE(create) create "focus_daily(" \
	"x_ImportId INTEGER, BillingPeriodStart INTEGER, BillingPeriodEnd INTEGER, x_Day INTEGER," \
	" BillingCurrency TEXT, ProviderName TEXT, BillingAccountId TEXT, SubAccountId TEXT," \
	" ChargeCategory TEXT, ChargeClass TEXT, ChargeFrequency TEXT, ChargeDescription TEXT," \
	" PricingCategory TEXT, CommitmentDiscountId TEXT, CommitmentDiscountType TEXT," \
	" CommitmentDiscountStatus TEXT, CommitmentDiscountCategory TEXT, ServiceName TEXT," \
	" ServiceCategory TEXT, RegionId TEXT, AvailabilityZone TEXT," \
	" ResourceType TEXT, SkuId TEXT, ConsumedUnit TEXT, PricingUnit TEXT," \
	" x_InstanceType TEXT, x_UsageType TEXT, x_Operation TEXT, x_Platform TEXT," \
	" x_LineItemType TEXT, x_Rows INTEGER, BilledCostNanos INTEGER," \
	" EffectiveCostNanos INTEGER, ListCostNanos INTEGER, ContractedCostNanos INTEGER," \
	" ConsumedQuantity REAL, PricingQuantity REAL)"
#define ROLLUP_FOCUS_DAILY_KEYS \
	"import_id, BillingPeriodStart, BillingPeriodEnd, ChargePeriodStart - ChargePeriodStart % 86400," \
	" BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory," \
	" ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory," \
	" CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus," \
	" CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId," \
	" AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit," \
	" x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType"
#define ROLLUP_FOCUS_DAILY_SELECT "SELECT " ROLLUP_FOCUS_DAILY_KEYS "," \
	" COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos)," \
	" SUM(ContractedCostNanos), SUM(ConsumedQuantity), SUM(PricingQuantity) FROM charges"
#define ROLLUP_FOCUS_DAILY_WHERE ""
#define ROLLUP_FOCUS_DAILY_GROUP " GROUP BY " ROLLUP_FOCUS_DAILY_KEYS

/* Whether the rollups of each base table match it (0) or not (1). */
#define ROLLUP_STATE_TABLE \
	"CREATE TABLE rollup_state(id INTEGER PRIMARY KEY CHECK (id = 1)," \
	" charges_stale INTEGER NOT NULL, usage_stale INTEGER NOT NULL);" \
	"INSERT INTO rollup_state VALUES(1, 0, 0);"

/* Writers other than the import mark the rollups stale.  Schema 2 put the
 * charge triggers on the table charges (ROLLUP_TRIGGERS_CREATE_V2, for the
 * migration 1 -> 2 only); since the narrow fact table (db.h) charges is a
 * view and they are on charge_facts and charge_dims, which the view's
 * INSTEAD OF triggers write. */
#define ROLLUP_TRIGGERS_CREATE_V2 \
	"CREATE TRIGGER rollup_stale_charges_ins AFTER INSERT ON charges BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charges_del AFTER DELETE ON charges BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charges_upd AFTER UPDATE ON charges BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	ROLLUP_TRIGGERS_USAGE
#define ROLLUP_TRIGGERS_CREATE ROLLUP_TRIGGERS_CHARGES ROLLUP_TRIGGERS_USAGE
#define ROLLUP_TRIGGERS_CHARGES \
	"CREATE TRIGGER rollup_stale_charges_ins AFTER INSERT ON charge_facts BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charges_del AFTER DELETE ON charge_facts BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charges_upd AFTER UPDATE ON charge_facts BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charge_dims_upd AFTER UPDATE ON charge_dims BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_charge_dims_del AFTER DELETE ON charge_dims BEGIN" \
	" UPDATE rollup_state SET charges_stale = 1 WHERE charges_stale = 0; END;"
#define ROLLUP_TRIGGERS_USAGE \
	"CREATE TRIGGER rollup_stale_usage_ins AFTER INSERT ON usage BEGIN" \
	" UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_usage_del AFTER DELETE ON usage BEGIN" \
	" UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;" \
	"CREATE TRIGGER rollup_stale_usage_upd AFTER UPDATE ON usage BEGIN" \
	" UPDATE rollup_state SET usage_stale = 1 WHERE usage_stale = 0; END;"
#define ROLLUP_TRIGGERS_DROP \
	"DROP TRIGGER IF EXISTS rollup_stale_charges_ins;" \
	"DROP TRIGGER IF EXISTS rollup_stale_charges_del;" \
	"DROP TRIGGER IF EXISTS rollup_stale_charges_upd;" \
	"DROP TRIGGER IF EXISTS rollup_stale_charge_dims_upd;" \
	"DROP TRIGGER IF EXISTS rollup_stale_charge_dims_del;" \
	"DROP TRIGGER IF EXISTS rollup_stale_usage_ins;" \
	"DROP TRIGGER IF EXISTS rollup_stale_usage_del;" \
	"DROP TRIGGER IF EXISTS rollup_stale_usage_upd;"

/* Build a rollup's table and fill it from its base table, e.g.
 * ROLLUP_BUILD(DAILY, "CREATE TABLE ", "", "rollup_daily") */
#define ROLLUP_BUILD(R, create, schema, name) \
	ROLLUP_##R##_TABLE(create) ";" ROLLUP_##R##_INDEXES(schema) \
	"INSERT INTO " schema name " " ROLLUP_##R##_SELECT ROLLUP_##R##_WHERE ROLLUP_##R##_GROUP ";"

/*
 * A rollup as one query: what remote engines define their rollup views by
 * (common/engine.c), in the engine macro language.  table is the CREATE
 * TABLE text (its column names name the view's columns, in order);
 * select is "SELECT e1, e2, ... FROM base" with one expression a column.
 */
struct rollup_def {
	const char *name;
	const char *table;
	const char *select, *where, *group;
};

/* Every rollup, NULL-name terminated (rollup.c); on remote engines
 * focus_daily too (ROLLUP_FOCUS_DAILY_*), and not rollup_dims_day (over
 * charge_facts, which they do not have). */
extern const struct rollup_def rollup_defs[];

/* The rollups of the charges table, and of the usage table. */
enum rollup_set { ROLLUP_CHARGES = 1, ROLLUP_USAGE = 2 };

/*
 * Empty and refill the main rollups of `which` (a mask of enum
 * rollup_set) from the base tables, and mark them fresh.  Run inside the
 * caller's transaction.  Returns 0 or -1 with err set.
 */
int rollup_rebuild(sqlite3 *db, unsigned which, struct ic_error *err);

/*
 * (Re)create TEMP tables of the rollups of `which` from the base tables:
 * they shadow the main ones for unqualified names.  Returns 0 or -1.
 */
int rollup_build_temp(sqlite3 *db, unsigned which, struct ic_error *err);

/* Drop the TEMP rollups of `which` (those that exist). */
int rollup_drop_temp(sqlite3 *db, unsigned which, struct ic_error *err);

/* Read which main rollups are stale (mask of enum rollup_set) into
 * *stale.  Returns 0 or -1 with err set. */
int rollup_stale(sqlite3 *db, unsigned *stale, struct ic_error *err);

/*
 * Delete the main rollup rows of one import's (provider, billing account,
 * billing period) when a later batch restates it.  Returns 0 or -1.
 */
int rollup_delete_period(sqlite3 *db, int64_t import_id, const char *provider,
			 const char *account, int64_t period_start, struct ic_error *err);

#endif
