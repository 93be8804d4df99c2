# t-highcard.sh - a high-cardinality bill (issue 24): every line item its
# own lineItem/ResourceId and resourceTags/user:team value (gen-cur
# --unique-resources), 20k rows.
#
#  - after the import, the charges view and focus give per resource the
#    billed cost Python sums from the CSV's lineItem/UnblendedCost
#    (decimal), and their totals (and focus_daily's) equal gen-cur's
#    planted billed_cost; focus_daily has one row per import, billing
#    period, day and combination of the texts but ResourceId and Tags
#    (schema 10: counted by the sqlite3 shell over charges), not one per
#    resource; every resource has its team tag in the tag store;
#  - the database stays under 800 bytes a charge (1,100 before schema
#    10; most of it now is rollup_resource, one row per resource) and,
#    unless built with sanitizers, the import under 64 MiB of RSS;
#  - analyze's top resources are the largest per Python, in order;
#  - a restatement of the month (a new batch) and `forget` of it leave
#    the first import current with the same sums, and neither leaves a
#    charge_dims, resources or tag_sets row no charge refers to, a
#    dim_tags row of no tag set, or a rollup_dims_day row of no
#    charge_dims row.
. "$ROOT/tests/e2e/lib.sh"

if ! have_gen; then
	skip "high cardinality" "no gen-cur at $GEN_CUR"
	exit 0
fi
if ! command -v sqlite3 >/dev/null; then
	skip "high cardinality" "no sqlite3 shell"
	exit 0
fi
cd "$TEST_DIR" || exit 1

"$GEN_CUR" --rows 20000 --month 2026-10 --seed 11 --unique-resources --out hc.csv \
	--totals hc.csv.tot 2>/dev/null
"$GEN_CUR" --rows 15000 --month 2026-10 --seed 12 --unique-resources --out hc2.csv \
	--totals hc2.csv.tot 2>/dev/null

# per_resource CSV: "id|billed" lines, billed the exact sum of
# lineItem/UnblendedCost in nanos, sorted by id
per_resource() {
	"$PYTHON" - "$1" <<'PY'
import csv, sys
from decimal import Decimal
s = {}
with open(sys.argv[1], newline="") as f:
    r = csv.DictReader(f)
    for row in r:
        rid = row["lineItem/ResourceId"]
        if rid == "":
            continue
        s[rid] = s.get(rid, Decimal(0)) + Decimal(row["lineItem/UnblendedCost"])
for k in sorted(s):
    print("%s|%d" % (k, int(s[k].scaleb(9))))
PY
}
want=$(per_resource hc.csv)
nres=$(echo "$want" | wc -l)
[ "$nres" -gt 15000 ] && ok "the bill has $nres distinct resource ids" || nok "the bill has distinct resource ids" "$nres"

# resource sums of the database: charges (nanos), focus_daily (nanos),
# focus (decimal, to 6 places against Python's)
sums_charges() {
	sqlite3 "$IMCOST_DB" "SELECT ResourceId, SUM(BilledCostNanos) FROM charges WHERE ResourceId IS NOT NULL
		AND ResourceId IN (SELECT ResourceId FROM charges WHERE import_id = (SELECT MAX(import_id) FROM charges))
		GROUP BY 1 ORDER BY 1" | LC_ALL=C sort
}
check_sums() {
	local step=$1 csv=$2 want got
	want=$(per_resource "$csv" | LC_ALL=C sort)
	got=$(sqlite3 "$IMCOST_DB" "SELECT ResourceId, SUM(BilledCostNanos) FROM charges
		WHERE ResourceId IS NOT NULL AND BilledCostNanos <> 0 GROUP BY 1" | LC_ALL=C sort)
	# resources whose rows all cost 0 are left out on both sides
	want=$(echo "$want" | grep -v '|0$')
	expect_eq "$step: charges per resource equal Python's sums of the CSV ($(echo "$want" | wc -l) resources)" \
		"$got" "$want"
	expect_eq "$step: focus_daily has a row per import, period, day and coarse combination" \
		"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM focus_daily")" \
		"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM (SELECT DISTINCT import_id, BillingPeriodStart,
			ChargePeriodStart - ChargePeriodStart % 86400, $COARSE FROM charges)")"
	got=$(sqlite3 "$IMCOST_DB" "SELECT ResourceId, printf('%.6f', SUM(BilledCost)) FROM focus
		WHERE ResourceId IS NOT NULL GROUP BY 1 HAVING SUM(BilledCost) <> 0" | LC_ALL=C sort)
	expect_eq "$step: focus per resource equals them (6 decimals)" "$got" \
		"$(echo "$want" | "$PYTHON" -c '
import sys
from decimal import Decimal
for l in sys.stdin:
    k, v = l.strip().rsplit("|", 1)
    print("%s|%s" % (k, format(Decimal(int(v)).scaleb(-9).quantize(Decimal("0.000001")), "f")))')"
	expect_eq "$step: billed total equals gen-cur's (charges, focus_daily)" \
		"$(sqlite3 "$IMCOST_DB" "SELECT (SELECT SUM(BilledCostNanos) FROM charges), (SELECT SUM(BilledCostNanos) FROM focus_daily)")" \
		"$("$PYTHON" -c 'import sys; from decimal import Decimal; v = int(Decimal(sys.argv[1]).scaleb(9)); print("%d|%d" % (v, v))' "$(tot "$csv.tot" billed_cost)")"
}
# no_orphans STEP: no dictionary, tag or day-rollup row left without its owner
no_orphans() {
	expect_eq "$1: no orphan charge_dims, resources, tag_sets, dim_tags or rollup_dims_day rows" \
		"$(sqlite3 "$IMCOST_DB" "SELECT
			(SELECT COUNT(*) FROM charge_dims d WHERE NOT EXISTS (SELECT 1 FROM charge_facts f WHERE f.dim_id = d.id)
				AND NOT EXISTS (SELECT 1 FROM replaced_charges r WHERE r.dim_id = d.id)),
			(SELECT COUNT(*) FROM resources d WHERE NOT EXISTS (SELECT 1 FROM charge_facts f WHERE f.resource_id = d.id)
				AND NOT EXISTS (SELECT 1 FROM replaced_charges r WHERE r.resource_id = d.id)),
			(SELECT COUNT(*) FROM tag_sets d WHERE NOT EXISTS (SELECT 1 FROM charge_facts f WHERE f.tag_set_id = d.id)
				AND NOT EXISTS (SELECT 1 FROM replaced_charges r WHERE r.tag_set_id = d.id)),
			(SELECT COUNT(*) FROM dim_tags t WHERE NOT EXISTS (SELECT 1 FROM tag_sets d WHERE d.id = t.tag_set_id)),
			(SELECT COUNT(*) FROM rollup_dims_day r WHERE NOT EXISTS (SELECT 1 FROM charge_dims d WHERE d.id = r.dim_id))")" \
		"0|0|0|0|0"
}
# the text columns of charges but ResourceId and Tags (focus_daily's grain)
COARSE="BillingCurrency, ProviderName, BillingAccountId, SubAccountId, ChargeCategory, ChargeClass,
	ChargeFrequency, ChargeDescription, PricingCategory, CommitmentDiscountId, CommitmentDiscountType,
	CommitmentDiscountStatus, CommitmentDiscountCategory, ServiceName, ServiceCategory, RegionId,
	AvailabilityZone, ResourceType, SkuId, ConsumedUnit, PricingUnit, x_InstanceType, x_UsageType,
	x_Operation, x_Platform, x_LineItemType, x_ServiceCode"

if [ -x /usr/bin/time ] && [ -z "${SANITIZE:-}" ]; then
	/usr/bin/time -f %M -o hc.rss "$IMCOST" --quiet import hc.csv || nok "import of the high-cardinality bill" "exit $?"
	rss=$(tail -1 hc.rss)
	[ "$rss" -le 65536 ] && ok "import: peak RSS $rss KiB, within 64 MiB" ||
		nok "import: peak RSS within 64 MiB" "$rss KiB"
else
	skip "import: peak RSS within 64 MiB" "sanitizer build or no /usr/bin/time"
	"$IMCOST" --quiet import hc.csv || nok "import of the high-cardinality bill" "exit $?"
fi
check_sums "import" hc.csv
no_orphans "import"
bpc=$(sqlite3 "$IMCOST_DB" "SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size)
	/ (SELECT COUNT(*) FROM charge_facts)")
[ "$bpc" -lt 800 ] && ok "import: $bpc bytes a charge, under 800" || nok "import: bytes a charge under 800" "$bpc"
expect_eq "import: every charge with a team tag has it in dim_tags" \
	"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM charges c WHERE json_extract(c.Tags, '\$.\"user:team\"') IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM charge_facts f JOIN dim_tags t ON t.tag_set_id = f.tag_set_id
			AND t.key_fold = 'team' WHERE f.id = c.id AND t.value = json_extract(c.Tags, '\$.\"user:team\"'))")" "0"

# analyze's top resources: the largest effective costs per the rollup's
# definition, recomputed by the sqlite3 shell over the charges view
top=$("$IMCOST" --format json analyze --only summary --month 2026-10 2>/dev/null |
	jq -r '.summary.by_resource[].resource_id' 2>/dev/null | head -5)
want_top=$(sqlite3 "$IMCOST_DB" "SELECT ResourceId FROM charges WHERE ResourceId IS NOT NULL GROUP BY ResourceId
	ORDER BY SUM(EffectiveCostNanos) DESC, ResourceId LIMIT 5")
expect_eq "analyze: the top resources are the five largest" "$(echo "$top" | grep -c .)|$top" "5|$want_top"

"$IMCOST" --quiet import hc2.csv || nok "restatement" "exit $?"
check_sums "restatement" hc2.csv
no_orphans "restatement"
imp=$(sqlite3 "$IMCOST_DB" "SELECT MAX(id) FROM imports")
"$IMCOST" --quiet forget "$imp" >/dev/null 2>&1 || nok "forget of the restatement" "exit $?"
check_sums "forget of the restatement" hc.csv
no_orphans "forget of the restatement"
