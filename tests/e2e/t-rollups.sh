# t-rollups.sh - end-to-end checks of the rollup tables (common/rollup.h)
# that `imcost analyze` reads instead of the charges and usage tables.
#
# A generated CUR month with usage metrics is imported, restated by a
# second generated copy of the same month (other seed: a new batch that
# replaces the first), and a second month is added; after each step every
# rollup table must hold exactly the GROUP BY that defines it, written out
# again below from the documented meaning (not taken from the program) and
# run by the sqlite3 shell over the charges and usage tables.  Then:
#  - `analyze --format json` gives the same bytes whether it reads the
#    incrementally maintained rollups or TEMP ones rebuilt from the base
#    tables (the state is marked stale with sqlite3, as a foreign writer's
#    triggers would);
#  - a direct write with sqlite3 marks the rollups stale, the analysis
#    sees the row, and the next import rebuilds them;
#  - a schema-1 database (the charges table, no rollups, user_version 1)
#    is migrated by the next import, which back-fills the rollups; a
#    schema-2 one (rollup_resource without SubAccountId and ServiceName)
#    likewise, to the same money and the same analysis; a schema-10 one
#    (rollup_resource and rollup_instance_runs as tables of texts) has its
#    rows converted to schema 11's references, or the rollups rebuilt when
#    a row cannot be;
#  - the fallback of an import whose groups exceed the aggregator's memory
#    (IMCOST_ROLLUP_AGG_MAX=1) gives the same rollups, and so does that of
#    rollup_dims_day alone (IMCOST_ROLLUP_DIMS_MAX=4096).

. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then
	skip "rollups" "no gen-cur at $GEN_CUR"
	exit 0
fi
if ! command -v sqlite3 >/dev/null; then
	skip "rollups" "no sqlite3 shell"
	exit 0
fi

"$GEN_CUR" --rows 6000 --month 2026-10 --seed 5 --out oct.csv --metrics oct-m.csv >/dev/null 2>&1
"$GEN_CUR" --rows 6500 --month 2026-10 --seed 6 --out oct2.csv --metrics oct2-m.csv >/dev/null 2>&1
"$GEN_CUR" --rows 5000 --month 2026-11 --seed 7 --out nov.csv --metrics nov-m.csv >/dev/null 2>&1

# name|table columns|definition over the base tables
DEFS='daily|import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, SubAccountId, ServiceName, RegionId, ChargeCategory, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, x_LineItemType, x_InstanceType, x_Platform, day, within_day, rows, BilledCostNanos, EffectiveCostNanos, ListCostNanos, ConsumedQuantity, min_start, max_start, max_end|SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, SubAccountId, ServiceName, RegionId, ChargeCategory, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, x_LineItemType, x_InstanceType, x_Platform, ChargePeriodStart - ChargePeriodStart % 86400 AS d, ChargePeriodEnd - ChargePeriodStart <= 86400 AS w, COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos), SUM(ConsumedQuantity), MIN(ChargePeriodStart), MAX(ChargePeriodStart), MAX(ChargePeriodEnd) FROM charges GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, SubAccountId, ServiceName, RegionId, ChargeCategory, PricingCategory, CommitmentDiscountId, CommitmentDiscountType, CommitmentDiscountStatus, x_LineItemType, x_InstanceType, x_Platform, d, w
compute|import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, RegionId, x_InstanceType, x_Platform, PricingCategory, CommitmentDiscountStatus, x_LineItemType, ChargePeriodStart, span, rows, ConsumedQuantity|SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, RegionId, x_InstanceType, x_Platform, PricingCategory, CommitmentDiscountStatus, x_LineItemType, ChargePeriodStart, ChargePeriodEnd - ChargePeriodStart AS s, COUNT(*), SUM(ConsumedQuantity) FROM charges WHERE ChargeCategory = '"'Usage'"' AND x_InstanceType <> '"''"' AND RegionId IS NOT NULL AND ConsumedQuantity > 0 AND PricingCategory IN ('"'Standard'"', '"'Committed'"') GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, RegionId, x_InstanceType, x_Platform, PricingCategory, CommitmentDiscountStatus, x_LineItemType, ChargePeriodStart, s
resource|import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, SubAccountId, ServiceName, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType, positive, rows, BilledCostNanos, EffectiveCostNanos, ConsumedQuantity, min_start, max_end|SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, SubAccountId, ServiceName, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType, COALESCE(ConsumedQuantity > 0, 0) AS p, COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ConsumedQuantity), MIN(ChargePeriodStart), MAX(ChargePeriodEnd) FROM charges GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, SubAccountId, ServiceName, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType, p
dims_day|import_id, BillingPeriodStart, BillingPeriodEnd, day, dim_id, rows, BilledCostNanos, EffectiveCostNanos, ListCostNanos, ContractedCostNanos, ConsumedQuantity, PricingQuantity|SELECT import_id, BillingPeriodStart, BillingPeriodEnd, ChargePeriodStart - ChargePeriodStart % 86400 AS d, dim_id, COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ListCostNanos), SUM(ContractedCostNanos), SUM(ConsumedQuantity), SUM(PricingQuantity) FROM charge_facts GROUP BY import_id, BillingPeriodStart, BillingPeriodEnd, d, dim_id
usage_day|day, resource_id, cpu_n, cpu_sum, mem_n, net_n, net_sum, disk_n, disk_sum, min_ts, max_ts|SELECT ts - ts % 86400 AS d, resource_id, SUM(metric = '"'cpu_utilization'"'), SUM(CASE WHEN metric = '"'cpu_utilization'"' THEN value END), SUM(metric = '"'memory_utilization'"'), SUM(metric IN ('"'network_in_bytes'"', '"'network_out_bytes'"')), SUM(CASE WHEN metric IN ('"'network_in_bytes'"', '"'network_out_bytes'"') THEN value END), SUM(metric IN ('"'disk_read_ops'"', '"'disk_write_ops'"')), SUM(CASE WHEN metric IN ('"'disk_read_ops'"', '"'disk_write_ops'"') THEN value END), MIN(ts), MAX(ts) FROM usage WHERE metric IN ('"'cpu_utilization'"', '"'memory_utilization'"', '"'network_in_bytes'"', '"'network_out_bytes'"', '"'disk_read_ops'"', '"'disk_write_ops'"') GROUP BY resource_id, d
usage_hist|resource_id, metric, month, bin, n|SELECT resource_id, metric, CAST(strftime('"'%s'"', ts, '"'unixepoch'"', '"'start of month'"') AS INTEGER) AS m, CAST(value * 10 + 0.5 AS INTEGER) AS b, COUNT(*) FROM usage WHERE metric IN ('"'cpu_utilization'"', '"'memory_utilization'"') GROUP BY resource_id, metric, m, b'

# the runs expanded to one row per (resource, type, start, span), and the
# same from the charges
RUNS_EXPANDED="WITH RECURSIVE e AS (SELECT *, 0 AS k FROM rollup_instance_runs UNION ALL SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, span, first_start, step, n, ConsumedQuantity, rows, k + 1 FROM e WHERE k + 1 < n) SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, span, first_start + k * step AS t, SUM(ConsumedQuantity), SUM(rows) FROM e GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, span, t"
RUNS_DEFINED="SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, ChargePeriodEnd - ChargePeriodStart AS s, ChargePeriodStart, SUM(ConsumedQuantity), COUNT(*) FROM charges WHERE ChargeCategory = 'Usage' AND x_InstanceType <> '' AND RegionId IS NOT NULL AND ConsumedQuantity > 0 AND PricingCategory = 'Standard' AND ResourceId IS NOT NULL GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, RegionId, x_InstanceType, x_Platform, ChargePeriodStart, s"

# rollups_match STEP [DB]: every rollup equals its definition
rollups_match() {
	local step=$1 db=${2:-$IMCOST_DB} name cols def a b n g bad=
	while IFS='|' read -r name cols def; do
		a=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT $cols FROM main.rollup_$name EXCEPT SELECT * FROM ($def))" 2>&1)
		b=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT * FROM ($def) EXCEPT SELECT $cols FROM main.rollup_$name)" 2>&1)
		n=$(sqlite3 "$db" "SELECT COUNT(*) FROM main.rollup_$name" 2>&1)
		g=$(sqlite3 "$db" "SELECT COUNT(*) FROM ($def)" 2>&1)
		if [ "$a" != 0 ] || [ "$b" != 0 ] || [ "$n" = 0 ] || [ "$n" != "$g" ]; then
			bad="$bad rollup_$name(rows $n of $g groups, extra $a, missing $b)"
		fi
	done <<EOF
$DEFS
EOF
	a=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT * FROM ($RUNS_EXPANDED) EXCEPT SELECT * FROM ($RUNS_DEFINED))" 2>&1)
	b=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT * FROM ($RUNS_DEFINED) EXCEPT SELECT * FROM ($RUNS_EXPANDED))" 2>&1)
	[ "$a" = 0 ] && [ "$b" = 0 ] || bad="$bad rollup_instance_runs(extra $a, missing $b)"
	n=$(sqlite3 "$db" "SELECT charges_stale || usage_stale FROM rollup_state" 2>&1)
	[ "$n" = 00 ] || bad="$bad state $n"
	if [ -z "$bad" ]; then ok "$step: rollups equal their definitions"; else nok "$step: rollups equal their definitions" "$bad"; fi
}

# same_analysis STEP DB: analyze of DB prints what analyze of the test's
# database prints (the prices section aside)
same_analysis() {
	"$IMCOST" --db "$2" --format json analyze 2>/dev/null | jq 'del(.prices)' >c.json
	"$IMCOST" --format json analyze 2>/dev/null | jq 'del(.prices)' >a.json
	if [ -s c.json ] && cmp -s a.json c.json; then
		ok "$1: same analysis"
	else
		nok "$1: same analysis" "$(cmp a.json c.json 2>&1 | head -1)"
	fi
}

# analyze_same_as_rebuilt STEP: analyze over the maintained rollups gives
# the same bytes as over TEMP rollups built from the base tables
analyze_same_as_rebuilt() {
	cp "$IMCOST_DB" stale.db
	sqlite3 stale.db "UPDATE rollup_state SET charges_stale = 1, usage_stale = 1"
	"$IMCOST" --format json analyze 2>a.err | jq 'del(.prices)' >a.json
	"$IMCOST" --db stale.db --format json analyze 2>b.err | jq 'del(.prices)' >b.json
	if [ -s a.json ] && cmp -s a.json b.json; then
		ok "$1: analyze output equals the one over rollups rebuilt from the base tables"
	else
		nok "$1: analyze output equals the one over rollups rebuilt from the base tables" \
			"$(cmp a.json b.json 2>&1 | head -1) $(head -c 200 a.err b.err)"
	fi
	rm -f stale.db stale.db-wal stale.db-shm
}

if ! "$IMCOST" import oct.csv oct-m.csv >/dev/null 2>import.err; then
	nok "import of the generated month" "$(head -3 import.err)"
	exit 0
fi
rollups_match "one month"
analyze_same_as_rebuilt "one month"

"$IMCOST" import oct2.csv oct2-m.csv >/dev/null 2>import.err || nok "restating import" "$(head -3 import.err)"
rollups_match "restated month"
expect_eq "restated month: one import's rows left in rollup_daily" \
	"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(DISTINCT import_id) FROM rollup_daily")" 1
analyze_same_as_rebuilt "restated month"

"$IMCOST" import nov.csv nov-m.csv >/dev/null 2>import.err || nok "second month import" "$(head -3 import.err)"
rollups_match "second month"
analyze_same_as_rebuilt "second month"
# the metric coverage counts distinct resources in C (a bounded set); past
# its memory it counts by SQL's GROUP BY: the same numbers either way, and
# numbers that count something (instances with metrics and without)
"$IMCOST" --format json analyze 2>/dev/null | jq 'del(.prices)' >cov-c.json
IMCOST_COVERAGE_SET_MAX=1 "$IMCOST" --format json analyze 2>/dev/null | jq 'del(.prices)' >cov-sql.json
if [ -s cov-c.json ] && cmp -s cov-c.json cov-sql.json; then
	ok "coverage: the count in C equals the GROUP BY's"
else
	nok "coverage: the count in C equals the GROUP BY's" "$(cmp cov-c.json cov-sql.json 2>&1 | head -1)"
fi
# summary and commitments run in a thread on a second connection beside
# the others (analyzers_run): each section equals the one of a run of
# that analysis alone
for a in summary commitments idle rightsizing; do
	"$IMCOST" --format json analyze --only "$a" 2>/dev/null | jq -S ".\"$a\"" >alone.json
	jq -S ".\"$a\"" cov-c.json >beside.json
	if [ "$(jq -r 'type' alone.json)" != null ] && cmp -s alone.json beside.json; then
		ok "analyze: the $a section alone equals the one beside the others"
	else
		nok "analyze: the $a section alone equals the one beside the others" "$(diff alone.json beside.json 2>&1 | head -8)"
	fi
done
expect_eq "coverage: instances and volumes found; instances assessed, volumes not (no disk metrics)" \
	"$(jq -r '[.assessment[] | select(.analysis == "idle") | "\(.kind) \(.eligible > 0) \(.assessed > 0)"] | sort | join(", ")' cov-c.json)" \
	"instance true true, volume true false"
# money adds up exactly: the rollup's billed cost per month is the charges'
for m in 2026-10 2026-11; do
	expect_eq "second month: $m billed cost in rollup_daily equals the charges'" \
		"$(sqlite3 "$IMCOST_DB" "SELECT SUM(BilledCostNanos) FROM rollup_daily WHERE BillingPeriodStart = CAST(strftime('%s', '$m-01') AS INTEGER)")" \
		"$(sqlite3 "$IMCOST_DB" "SELECT SUM(BilledCostNanos) FROM charges WHERE BillingPeriodStart = CAST(strftime('%s', '$m-01') AS INTEGER)")"
done

# --- a foreign writer ---------------------------------------------------
cp "$IMCOST_DB" direct.db
"$IMCOST" --db direct.db --format json analyze --month 2026-10 2>/dev/null | jq 'del(.prices)' >before.json
sqlite3 direct.db "INSERT INTO charges(import_id, SourceLine, BilledCostNanos, EffectiveCostNanos, ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, ChargeCategory, ServiceName) SELECT 0, 0, 1234500000000, 1234500000000, BillingPeriodStart, BillingPeriodStart + 3600, BillingPeriodStart, BillingPeriodEnd, BillingCurrency, ProviderName, BillingAccountId, 'Usage', 'planted' FROM charges WHERE BillingPeriodStart = CAST(strftime('%s', '2026-10-01') AS INTEGER) LIMIT 1"
expect_eq "a direct insert marks the charge rollups stale" \
	"$(sqlite3 direct.db "SELECT charges_stale FROM rollup_state")" 1
"$IMCOST" --db direct.db --format json analyze --month 2026-10 2>/dev/null | jq 'del(.prices)' >after.json
want=$("$PYTHON" -c '
import json, sys
from decimal import Decimal
d = json.load(open("before.json"), parse_float=Decimal)
print(d["summary"]["billed_cost"] + Decimal("1234.5"))')
dec_eq "the analysis sees the directly inserted charge" "$(json_get after.json summary.billed_cost)" "$want"
expect_eq "the directly inserted service is in by_service" \
	"$(python3 -c 'import json; d = json.load(open("after.json")); print([s["service"] for s in d["summary"]["by_service"]].count("planted"))')" 1
"$IMCOST" --db direct.db import oct2.csv >/dev/null 2>&1	# unchanged file: still a session
rollups_match "after a direct insert and an import" direct.db
rm -f direct.db direct.db-wal direct.db-shm

# --- migration of a schema-1 database -------------------------------------
cp "$IMCOST_DB" v1.db
as_schema3 v1.db
sqlite3 v1.db "DROP TRIGGER rollup_stale_charges_ins; DROP TRIGGER rollup_stale_charges_del; DROP TRIGGER rollup_stale_charges_upd; DROP TRIGGER rollup_stale_usage_ins; DROP TRIGGER rollup_stale_usage_del; DROP TRIGGER rollup_stale_usage_upd; DROP TABLE rollup_state; DROP TABLE rollup_daily; DROP TABLE rollup_compute; DROP TABLE rollup_resource; DROP TABLE rollup_instance_runs; DROP TABLE rollup_usage_day; DROP TABLE rollup_usage_hist; PRAGMA user_version = 1"
expect_status "analyze refuses the schema-1 database until an import upgrades it" 1 \
	"$IMCOST" --db v1.db analyze
"$IMCOST" --db v1.db import oct2.csv >/dev/null 2>&1
expect_eq "the import migrates to the current schema" "$(schema_version v1.db)" "$(schema_version "$IMCOST_DB")"
rollups_match "migrated database" v1.db
same_analysis "migrated database" v1.db
rm -f v1.db v1.db-wal v1.db-shm

# --- migration of a schema-2 database -------------------------------------
# version 2's rollup_resource (no SubAccountId, ServiceName), written out
# here from that version's definition and filled by its GROUP BY
cp "$IMCOST_DB" v2.db
as_schema3 v2.db
sqlite3 v2.db "DROP TABLE rollup_resource; CREATE TABLE rollup_resource(import_id INTEGER NOT NULL, ProviderName TEXT NOT NULL, BillingAccountId TEXT NOT NULL, BillingPeriodStart INTEGER NOT NULL, BillingCurrency TEXT NOT NULL, ResourceId TEXT, ChargeCategory TEXT NOT NULL, x_UsageType TEXT, RegionId TEXT, x_InstanceType TEXT, x_Platform TEXT, x_LineItemType TEXT, positive INTEGER NOT NULL, rows INTEGER NOT NULL, BilledCostNanos INTEGER NOT NULL, EffectiveCostNanos INTEGER NOT NULL, ConsumedQuantity REAL, min_start INTEGER NOT NULL, max_end INTEGER NOT NULL); CREATE INDEX rollup_resource_period ON rollup_resource(BillingPeriodStart); INSERT INTO rollup_resource SELECT import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType, COALESCE(ConsumedQuantity > 0, 0) AS p, COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(ConsumedQuantity), MIN(ChargePeriodStart), MAX(ChargePeriodEnd) FROM charges GROUP BY import_id, ProviderName, BillingAccountId, BillingPeriodStart, BillingCurrency, ResourceId, ChargeCategory, x_UsageType, RegionId, x_InstanceType, x_Platform, x_LineItemType, p; PRAGMA user_version = 2"
v2_money=$(sqlite3 v2.db "SELECT BillingPeriodStart, SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(rows) FROM rollup_resource GROUP BY BillingPeriodStart ORDER BY BillingPeriodStart")
expect_status "analyze refuses the schema-2 database until an import upgrades it" 1 \
	"$IMCOST" --db v2.db analyze
"$IMCOST" --db v2.db import oct2.csv >/dev/null 2>&1	# unchanged file: migrates only
expect_eq "the import migrates schema 2 to the current schema" "$(schema_version v2.db)" "$(schema_version "$IMCOST_DB")"
rollups_match "database migrated from schema 2" v2.db
expect_eq "schema 2 -> 3: rollup_resource has the same money and rows per month" \
	"$(sqlite3 v2.db "SELECT BillingPeriodStart, SUM(BilledCostNanos), SUM(EffectiveCostNanos), SUM(rows) FROM rollup_resource GROUP BY BillingPeriodStart ORDER BY BillingPeriodStart")" \
	"$v2_money"
same_analysis "database migrated from schema 2" v2.db
rm -f v2.db v2.db-wal v2.db-shm

# --- migration of a schema-10 database ------------------------------------
# Version 10 kept rollup_resource and rollup_instance_runs as tables of
# texts; 11 stores them by resources and charge_dims ids behind views of
# the same names.  The rows are converted, not rebuilt: a row changed on
# purpose (rows + 1000) keeps its change, and the rollups are not stale.
# A row that names a resource the database does not have cannot be
# converted: then the rollups are marked stale, and the import rebuilds
# them from the charges (without the rebuild, the group whose row was
# renamed would be missing).
cp "$IMCOST_DB" v10.db
as_schema10 v10.db
sqlite3 v10.db "UPDATE rollup_resource SET rows = rows + 1000 WHERE rowid = 1"
marked=$(sqlite3 v10.db "SELECT import_id || '|' || BillingPeriodStart || '|' || ResourceId || '|' || (rows - 1000) || '|' || BilledCostNanos FROM rollup_resource WHERE rowid = 1")
"$IMCOST" --db v10.db import oct2.csv >/dev/null 2>&1	# unchanged file: migrates only
expect_eq "the import migrates schema 10 to the current schema" "$(schema_version v10.db)" "$(schema_version "$IMCOST_DB")"
expect_eq "schema 10 -> 11: the rows are converted, not rebuilt (the marked row kept its change)" \
	"$(sqlite3 v10.db "SELECT charges_stale, (SELECT COUNT(*) FROM rollup_resource WHERE rows >= 1000),
		(SELECT import_id || '|' || BillingPeriodStart || '|' || ResourceId || '|' || (rows - 1000) || '|' || BilledCostNanos
		 FROM rollup_resource WHERE rows >= 1000) FROM rollup_state")" "0|1|$marked"
sqlite3 v10.db "UPDATE rollup_resource_data SET rows = rows - 1000 WHERE rows >= 1000"
rollups_match "database migrated from schema 10" v10.db
expect_eq "schema 10 -> 11: as many rows as before" \
	"$(sqlite3 v10.db "SELECT (SELECT COUNT(*) FROM rollup_resource_data) || '|' || (SELECT COUNT(*) FROM rollup_runs_data)")" \
	"$(sqlite3 "$IMCOST_DB" "SELECT (SELECT COUNT(*) FROM rollup_resource) || '|' || (SELECT COUNT(*) FROM rollup_instance_runs)")"
same_analysis "database migrated from schema 10" v10.db
rm -f v10.db v10.db-wal v10.db-shm
cp "$IMCOST_DB" v10.db
as_schema10 v10.db
sqlite3 v10.db "UPDATE rollup_resource SET ResourceId = 'i-ghost' WHERE rowid = (SELECT MIN(rowid) FROM rollup_resource WHERE ResourceId IS NOT NULL)"
"$IMCOST" --db v10.db import oct2.csv >/dev/null 2>&1
rollups_match "schema 10 with a row of an unknown resource: rebuilt after the migration" v10.db
expect_eq "schema 10 -> 11: the unknown resource's row is gone" \
	"$(sqlite3 v10.db "SELECT COUNT(*) FROM rollup_resource WHERE ResourceId = 'i-ghost'")" 0
rm -f v10.db v10.db-wal v10.db-shm

# --- the aggregator's fallback ---------------------------------------------
IMCOST_ROLLUP_AGG_MAX=1 "$IMCOST" --db small.db import oct.csv oct-m.csv >/dev/null 2>&1
IMCOST_ROLLUP_AGG_MAX=1 "$IMCOST" --db small.db import oct2.csv oct2-m.csv >/dev/null 2>&1
rollups_match "aggregator fallback" small.db
# rollup_dims_day alone past its memory (issue 23): it alone by SQL
IMCOST_ROLLUP_DIMS_MAX=4096 "$IMCOST" --db dims.db import oct.csv oct-m.csv >/dev/null 2>&1
IMCOST_ROLLUP_DIMS_MAX=4096 "$IMCOST" --db dims.db import oct2.csv oct2-m.csv nov.csv >/dev/null 2>&1
rollups_match "rollup_dims_day's own fallback" dims.db
"$IMCOST" --db small.db --format json analyze 2>/dev/null | jq 'del(.prices)' >s.json
"$IMCOST" --db small2.db import oct.csv oct-m.csv >/dev/null 2>&1
"$IMCOST" --db small2.db import oct2.csv oct2-m.csv >/dev/null 2>&1
"$IMCOST" --db small2.db --format json analyze 2>/dev/null | jq 'del(.prices)' >s2.json
if [ -s s.json ] && cmp -s s.json s2.json; then
	ok "aggregator fallback: same analysis as the aggregated import"
else
	nok "aggregator fallback: same analysis as the aggregated import" "$(cmp s.json s2.json 2>&1 | head -1)"
fi

# --- rollup_dims_day's optional columns (issue 24) ---------------------------
# The aggregator keeps ContractedCost and PricingQuantity sums in columns of
# their own only once a file needs them: a FOCUS file whose first rows (over 4096 groups, one chunk)
# (past one 4096-group chunk) have no contracted cost and a pricing quantity
# equal to the consumed one, then rows with a contracted cost, a pricing
# quantity that differs, or none; the groups of before must keep theirs.
"$PYTHON" - >opt.csv <<'PY'
import random
random.seed(7)
print("BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,ProviderName,"
      "BillingAccountId,ChargeCategory,ServiceName,SkuId,ConsumedQuantity,"
      "PricingQuantity,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,BillingPeriodEnd")
def row(i, day, contracted, pq_mode):
    q = "%.3f" % (random.randint(1, 99999) / 1000)
    pq = q if pq_mode == "same" else ("" if pq_mode == "none" else "%.2f" % (random.randint(1, 9999) / 100))
    c = "%d.%09d" % (random.randint(0, 5), random.randint(0, 10**9 - 1)) if contracted else ""
    b = "%d.%09d" % (random.randint(0, 50), random.randint(0, 10**9 - 1))
    print("%s,%s,%s,%s,USD,P,acct,Usage,S%d,r-%d,%s,%s,2026-10-%02dT%02d:00:00Z,2026-10-%02dT%02d:30:00Z,"
          "2026-10-01T00:00:00Z,2026-11-01T00:00:00Z" % (b, b, b, c, i % 7, i % 400, q, pq,
                                                        day, i % 24, day, i % 24))
for i in range(12000):			# 400 SKUs x 30 days, then again (a SKU, not a
					# resource: those are not in its key since schema 10)
    row(i, 1 + (i // 400) % 30, False, "same")
for i in range(3000):
    row(i, 1 + i % 30, i % 3 == 0, ("same", "other", "none")[i % 3])
PY
"$IMCOST" --db opt.db import opt.csv >/dev/null 2>&1
IFS='|' read -r _ cols def <<EOF2
$(echo "$DEFS" | grep '^dims_day|')
EOF2
expect_eq "mid-file columns: rollup_dims_day equals its definition (extra, missing, rows)" \
	"$(sqlite3 opt.db "SELECT (SELECT COUNT(*) FROM (SELECT $cols FROM rollup_dims_day EXCEPT SELECT * FROM ($def))),
		(SELECT COUNT(*) FROM (SELECT * FROM ($def) EXCEPT SELECT $cols FROM rollup_dims_day)),
		(SELECT COUNT(*) > 4096 FROM rollup_dims_day)")" "0|0|1"
expect_eq "mid-file columns: some groups have a contracted cost, and a pricing sum unlike the consumed one" \
	"$(sqlite3 opt.db "SELECT COUNT(*) > 0, SUM(ContractedCostNanos IS NULL) > 5000, SUM(PricingQuantity IS NOT ConsumedQuantity) > 0 FROM rollup_dims_day")" "1|1|1"
