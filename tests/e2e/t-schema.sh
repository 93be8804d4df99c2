# t-schema.sh - the narrow fact table (common/db.h): charges is a view of
# charge_facts and charge_dims with the columns and values the charges
# table had.
#
#  - the view has the old columns, in the old order;
#  - a schema-3 database (charges a table, as an older imcost left it) is
#    migrated by the next import: every row of charges reads back the same
#    (compared with sqlite3's own dump of the table before), the
#    AUTOINCREMENT counter is kept, one charge_dims row per distinct
#    combination of the text columns but ResourceId and Tags, one
#    resources row per resource id and one tag_sets row per Tags text
#    (schema 10; the schema-3 database goes through every migration, 9 ->
#    10 with its data);
#  - an import writes one charge_dims row per distinct combination, and
#    one resources / tag_sets row per distinct resource id / Tags;
#  - INSERT, UPDATE and DELETE on the view work and mark the rollups stale;
#  - a restatement leaves no charge_dims row that no charge uses.

. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then
	skip "schema" "no gen-cur at $GEN_CUR"
	exit 0
fi
if ! command -v sqlite3 >/dev/null; then
	skip "schema" "no sqlite3 shell"
	exit 0
fi

"$GEN_CUR" --rows 3000 --month 2026-10 --seed 11 --out oct.csv >/dev/null 2>&1
"$GEN_CUR" --rows 3200 --month 2026-10 --seed 12 --out oct2.csv >/dev/null 2>&1
"$GEN_CUR" --rows 2000 --month 2026-11 --seed 13 --out nov.csv >/dev/null 2>&1

COLS="id import_id SourceLine BilledCostNanos EffectiveCostNanos ListCostNanos ContractedCostNanos ConsumedQuantity PricingQuantity ChargePeriodStart ChargePeriodEnd BillingPeriodStart BillingPeriodEnd BillingCurrency ProviderName BillingAccountId SubAccountId ChargeCategory ChargeClass ChargeFrequency ChargeDescription PricingCategory CommitmentDiscountId CommitmentDiscountType CommitmentDiscountStatus CommitmentDiscountCategory ServiceName ServiceCategory RegionId AvailabilityZone ResourceId ResourceType SkuId ConsumedUnit PricingUnit Tags x_InstanceType x_UsageType x_Operation x_Platform x_LineItemType x_ServiceCode"
# the columns of schema 3's charges table (x_ServiceCode came with schema 6)
OLDCOLS=$(echo "${COLS% x_ServiceCode}" | tr ' ' ',')
# charge_dims's columns (schema 10: ResourceId and Tags have dictionaries of their own)
DIMS="BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory, ChargeClass, ChargeFrequency, ChargeDescription, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId, AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, x_UsageType, x_Operation, x_Platform, x_LineItemType, x_ServiceCode"
# dicts DB: "charge_dims resources tag_sets" row counts, and the same
# counted as distinct values over the charges view
dicts() {
	echo "$(sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM charge_dims), (SELECT COUNT(*) FROM resources),
		(SELECT COUNT(*) FROM tag_sets)")" \
		"$(sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT $DIMS FROM charges)),
		(SELECT COUNT(DISTINCT ResourceId) FROM charges), (SELECT COUNT(DISTINCT Tags) FROM charges)")"
}

"$IMCOST" import oct.csv >/dev/null 2>&1
expect_eq "charges is a view" "$(sqlite3 "$IMCOST_DB" "SELECT type FROM sqlite_master WHERE name = 'charges'")" view
expect_eq "the view has the columns of the charges table, in order" \
	"$(sqlite3 "$IMCOST_DB" "SELECT name FROM pragma_table_info('charges')" | tr '\n' ' ' | sed 's/ $//')" "$COLS"
d=$(dicts "$IMCOST_DB")
expect_eq "the import wrote one charge_dims, resources and tag_sets row per distinct value ($d)" \
	"${d% *}" "${d#* }"
expect_eq "every charge has its charge_dims row" \
	"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM charge_facts WHERE dim_id NOT IN (SELECT id FROM charge_dims)")" 0
expect_eq "the view counts every CSV record (plus the unused-commitment rows)" \
	"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM charges")" "$(sqlite3 "$IMCOST_DB" "SELECT rows FROM imports")"

# --- migration of a schema-3 database -------------------------------------
"$IMCOST" import nov.csv >/dev/null 2>&1
"$IMCOST" --format json analyze --month 2026-10 2>/dev/null | jq 'del(.prices)' >a.json
cp "$IMCOST_DB" v2.db
as_schema3 v2.db
expect_eq "as_schema3 made a table" "$(sqlite3 v2.db "SELECT type FROM sqlite_master WHERE name = 'charges'")" table
sqlite3 v2.db "DELETE FROM charges WHERE id = (SELECT MAX(id) FROM charges)"	# the counter stays above
sqlite3 -csv v2.db "SELECT * FROM charges ORDER BY id" >v2.rows
seq2=$(sqlite3 v2.db "SELECT seq FROM sqlite_sequence WHERE name = 'charges'")
sqlite3 v2.db "UPDATE rollup_state SET charges_stale = 0"	# as before the delete
"$IMCOST" --db v2.db import oct.csv >/dev/null 2>&1	# unchanged file: migrates only
expect_eq "the import migrates the schema-3 database" "$(schema_version v2.db)" "$(schema_version "$IMCOST_DB")"
expect_eq "migrated: charges is a view" "$(sqlite3 v2.db "SELECT type FROM sqlite_master WHERE name = 'charges'")" view
sqlite3 -csv v2.db "SELECT $OLDCOLS FROM charges ORDER BY id" >v3.rows
if [ -s v2.rows ] && cmp -s v2.rows v3.rows; then
	ok "migrated: every charge reads back the same"
else
	nok "migrated: every charge reads back the same" "$(cmp v2.rows v3.rows 2>&1 | head -1)"
fi
expect_eq "migrated: the AUTOINCREMENT counter is kept" \
	"$(sqlite3 v2.db "SELECT seq FROM sqlite_sequence WHERE name = 'charge_facts'")" "$seq2"
d=$(dicts v2.db)
expect_eq "migrated: one charge_dims, resources and tag_sets row per distinct value ($d)" \
	"${d% *}" "${d#* }"
expect_eq "migrated: the charge index is on charge_facts" \
	"$(sqlite3 v2.db "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = 'charge_facts_period'")" charge_facts
expect_eq "migrated: no trigger left on a missing table" \
	"$(sqlite3 v2.db "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name NOT IN (SELECT name FROM sqlite_master WHERE type IN ('table', 'view'))")" 0
"$IMCOST" --db v2.db import oct2.csv >/dev/null 2>&1
"$IMCOST" --db v2.db import oct.csv >/dev/null 2>&1
"$IMCOST" --db v2.db --format json analyze --month 2026-10 2>/dev/null | jq 'del(.prices)' >b.json
if [ -s a.json ] && cmp -s a.json b.json; then
	ok "migrated: the analysis after restating twice is the one before"
else
	nok "migrated: the analysis after restating twice is the one before" "$(cmp a.json b.json 2>&1 | head -1)"
fi
# (the rows the last restatement replaced are kept for imcost forget, with
# their charge_dims rows; restated twice, the first copy is gone)
expect_eq "migrated and restated: no unused charge_dims row" \
	"$(sqlite3 v2.db "SELECT COUNT(*) FROM charge_dims WHERE id NOT IN (SELECT dim_id FROM charge_facts) AND id NOT IN (SELECT dim_id FROM replaced_charges)")" 0
expect_eq "migrated and restated twice: one earlier copy is kept" \
	"$(sqlite3 v2.db "SELECT COUNT(DISTINCT import_id) FROM replaced_charges")" 1
expect_eq "migrated and restated: the rollups are fresh" "$(sqlite3 v2.db "SELECT charges_stale FROM rollup_state")" 0
rm -f v2.db v2.db-wal v2.db-shm

# --- writes through the view ------------------------------------------------
cp "$IMCOST_DB" w.db
n0=$(sqlite3 w.db "SELECT COUNT(*) FROM charges")
max0=$(sqlite3 w.db "SELECT MAX(id) FROM charges")
sqlite3 w.db "INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, ChargeCategory, ServiceName, Tags) VALUES(0, 7, 1500000000, 1400000000, 1790812800, 1790816400, 1790812800, 1793491200, 'USD', 'AWS', '123456789012', 'Usage', 'planted', '{\"a\":\"b\"}')"
expect_eq "insert through the view: one more charge" "$(sqlite3 w.db "SELECT COUNT(*) FROM charges")" $((n0 + 1))
expect_eq "insert through the view: the row reads back" \
	"$(sqlite3 w.db "SELECT id > $max0, import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, ListCostNanos IS NULL, BillingCurrency, ServiceName, Tags, ResourceId IS NULL FROM charges WHERE ServiceName = 'planted'")" \
	'1|0|7|1500000000|1400000000|1|USD|planted|{"a":"b"}|1'
expect_eq "insert through the view: rollups marked stale" "$(sqlite3 w.db "SELECT charges_stale FROM rollup_state")" 1
sqlite3 w.db "UPDATE rollup_state SET charges_stale = 0"
sqlite3 w.db "UPDATE charges SET ServiceName = 'moved', BilledCostNanos = 2 WHERE ServiceName = 'planted'"
expect_eq "update through the view" \
	"$(sqlite3 w.db "SELECT COUNT(*), SUM(BilledCostNanos), MAX(Tags) FROM charges WHERE ServiceName = 'moved'")" '1|2|{"a":"b"}'
expect_eq "update through the view: rollups marked stale" "$(sqlite3 w.db "SELECT charges_stale FROM rollup_state")" 1
sqlite3 w.db "UPDATE rollup_state SET charges_stale = 0"
sqlite3 w.db "DELETE FROM charges WHERE ServiceName = 'moved'"
expect_eq "delete through the view" "$(sqlite3 w.db "SELECT COUNT(*) FROM charges")" "$n0"
expect_eq "delete through the view: rollups marked stale" "$(sqlite3 w.db "SELECT charges_stale FROM rollup_state")" 1
sqlite3 w.db "UPDATE rollup_state SET charges_stale = 0"
sqlite3 w.db "UPDATE charge_dims SET ServiceName = 'renamed' WHERE id = (SELECT MIN(id) FROM charge_dims)"
expect_eq "an update of charge_dims marks the rollups stale" "$(sqlite3 w.db "SELECT charges_stale FROM rollup_state")" 1
rm -f w.db w.db-wal w.db-shm
