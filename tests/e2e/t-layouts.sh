#!/bin/bash
# t-layouts.sh - what a file restates (issue 17), on generated exports:
#  - GCP exports split by usage window, with cross-over rows (usage of one
#    window invoiced to the neighbouring month), imported in one command and
#    in separate commands in every order, give per invoice month the totals
#    of a Python sum over all rows; a window imported again with changed rows
#    replaces only that window; an overlapping window replaces only the
#    overlap, and `list` says the older file is partly replaced;
#  - `forget` restores the previous state exactly (rows and totals per
#    month, rollups included) after a partial and after a whole replacement
#    (CUR), `--dry-run` changes nothing, and forgetting the first import
#    leaves nothing;
#  - --add keeps both copies, --replace replaces the whole month;
#  - CUR manifests in the S3 layouts AWS writes: the legacy month-level
#    manifest (parts in yyyymmdd-yyyymmdd/<assemblyId>/, an older assembly
#    beside it), `import DIR` on the month folder, and a Data Exports tree
#    (metadata/BILLING_PERIOD=... and data/BILLING_PERIOD=...).
# Expected numbers come from Python's decimal sums over the generated rows
# and from the CUR generator's planted totals, never from imcost.
. "$ROOT/tests/e2e/lib.sh"

# gen_gcp OUT START_DAY END_DAY SEED [CHANGE]: GCP JSON lines for usage
# hours [START_DAY, END_DAY) (2026-MM-DD), 3 SKUs an hour; hours before
# 08:00 of a month's first day are invoiced to the previous month (Google
# invoices on Pacific time).  Writes OUT.sums: "YYYYMM rows nanos" lines.
gen_gcp() {
	"$PYTHON" - "$@" <<'PY'
import json, random, sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
out, a, b, seed = sys.argv[1:5]
rnd = random.Random(int(seed))
t = datetime.fromisoformat(a + "T00:00:00+00:00")
end = datetime.fromisoformat(b + "T00:00:00+00:00")
sums = {}
with open(out, "w") as f:
    while t < end:
        for sku in ("N2 Core", "N2 RAM", "PD Capacity"):
            cost = Decimal(rnd.randint(1, 9_999_999)) / Decimal(10**6)
            credits = []
            if rnd.random() < 0.3:
                credits = [{"name": "Sustained use", "amount": float(-(cost / 4).quantize(Decimal("0.000001"))), "type": "SUSTAINED_USAGE_DISCOUNT"}]
            inv = t if not (t.day == 1 and t.hour < 8) else t - timedelta(days=1)
            month = inv.strftime("%Y%m")
            row = {"billing_account_id": "01ABCD-2345EF-6789AB",
                   "service": {"id": "6F81", "description": "Compute Engine"},
                   "sku": {"id": sku, "description": sku},
                   "usage_start_time": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "usage_end_time": (t + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "project": {"id": "proj-1"}, "cost": float(cost), "currency": "EUR",
                   "credits": credits, "invoice": {"month": month}, "cost_type": "regular"}
            line = json.dumps(row)
            f.write(line + "\n")
            # the sum reads the written text back, as an independent reader would
            back = json.loads(line, parse_float=Decimal)
            total = back["cost"] + sum((c["amount"] for c in back["credits"]), Decimal(0))
            r, n = sums.get(month, (0, Decimal(0)))
            sums[month] = (r + 1, n + total)
        t += timedelta(hours=1)
with open(out + ".sums", "w") as f:
    for m in sorted(sums):
        f.write("%s %d %d\n" % (m, sums[m][0], int(sums[m][1] * 10**9)))
PY
}

# sums_of FILE...: the per-month "YYYYMM rows nanos" sums of several files
sums_of() {
	cat "${@/%/.sums}" | "$PYTHON" -c '
import sys
r, n = {}, {}
for line in sys.stdin:
    m, a, b = line.split()
    r[m] = r.get(m, 0) + int(a)
    n[m] = n.get(m, 0) + int(b)
for m in sorted(r):
    print(m, r[m], n[m])'
}

# db_sums: the database's per-month rows and billed nanos
db_sums() {
	"$IMCOST" --format csv sql "SELECT strftime('%Y%m', BillingPeriodStart, 'unixepoch') AS m,
		COUNT(*) AS r, SUM(BilledCostNanos) AS n FROM charge_facts GROUP BY 1 ORDER BY 1" |
		tail -n +2 | tr ',' ' '
}

# rollup_ok NAME: the rollups add up to the charges (rows and money)
rollup_ok() {
	expect_eq "$1: rollups match the charges" \
		"$("$IMCOST" --format csv sql "SELECT SUM(rows), SUM(BilledCostNanos) FROM rollup_daily" | tail -1)" \
		"$("$IMCOST" --format csv sql "SELECT COUNT(*), SUM(BilledCostNanos) FROM charge_facts" | tail -1)"
	# focus_daily (issue 23): per day and charge_dims row, to the nano
	expect_eq "$1: focus_daily matches the charges per day and dimensions" \
		"$(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM (SELECT x_Day, x_DimId, SUM(x_Rows), SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM focus_daily GROUP BY 1, 2 EXCEPT SELECT ChargePeriodStart - ChargePeriodStart % 86400, dim_id, COUNT(*), SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM charge_facts GROUP BY 1, 2)") $(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM focus_daily")" \
		"0 $(sqlite3 "$IMCOST_DB" "SELECT COUNT(*) FROM (SELECT 1 FROM charge_facts GROUP BY import_id, BillingPeriodStart, ChargePeriodStart - ChargePeriodStart % 86400, dim_id)")"
}

cd "$TEST_DIR" || exit 1
# usage windows: Oct 29 - Nov 1, Nov 1 - 16, Nov 16 - Dec 1, Dec 1 - 7
gen_gcp w0.jsonl 2026-10-29 2026-11-01 10
gen_gcp w1.jsonl 2026-11-01 2026-11-16 11
gen_gcp w2.jsonl 2026-11-16 2026-12-01 12
gen_gcp w3.jsonl 2026-12-01 2026-12-07 13
# the issue's case: the December file carries November rows
expect_eq "gcp: the Dec 1-6 file has 24 cross-over rows of November" \
	"$(awk '$1 == "202611" {print $2}' w3.jsonl.sums)" 24
want=$(sums_of w0.jsonl w1.jsonl w2.jsonl w3.jsonl)

rm -f "$IMCOST_DB"
"$IMCOST" --quiet import w0.jsonl w1.jsonl w2.jsonl w3.jsonl
expect_eq "gcp windows in one command: rows and totals per invoice month" "$(db_sums)" "$want"

for order in "w3 w2 w1 w0" "w0 w1 w2 w3" "w1 w3 w0 w2" "w2 w0 w3 w1" "w3 w0 w2 w1" "w0 w3 w1 w2"; do
	rm -f "$IMCOST_DB"
	for w in $order; do "$IMCOST" --quiet import "$w.jsonl"; done
	expect_eq "gcp windows in separate commands ($order)" "$(db_sums)" "$want"
done
rollup_ok "gcp windows"
expect_eq "gcp windows: nothing is replaced" \
	"$("$IMCOST" --format csv list | grep -c 'replaced')" 0

# the same window again with other rows replaces that window only
gen_gcp w3b.jsonl 2026-12-01 2026-12-07 23
"$IMCOST" --quiet import w3b.jsonl
expect_eq "gcp: a changed window replaces only itself" "$(db_sums)" \
	"$(sums_of w0.jsonl w1.jsonl w2.jsonl w3b.jsonl)"
rollup_ok "gcp changed window"
# importing the replaced content again makes it current again
"$IMCOST" --quiet import w3.jsonl
expect_eq "gcp: the replaced file imported again is current again" "$(db_sums)" "$want"

# an overlapping window (Dec 4 - 10) replaces Dec 4-6 of the Dec 1-6 file
before=$(db_sums)
before_list=$("$IMCOST" --format csv list | cut -d, -f1,2,7,8,12)
gen_gcp w4.jsonl 2026-12-04 2026-12-10 14
"$PYTHON" - w3.jsonl <<'PY'
# the Dec 1-3 rows of w3 as their own sums
import json, sys
from decimal import Decimal
sums = {}
for line in open(sys.argv[1]):
    r = json.loads(line, parse_float=Decimal)
    if r["usage_start_time"] >= "2026-12-04":
        continue
    m = r["invoice"]["month"]
    t = r["cost"] + sum((c["amount"] for c in r["credits"]), Decimal(0))
    a, b = sums.get(m, (0, Decimal(0)))
    sums[m] = (a + 1, b + t)
with open("w3head.jsonl.sums", "w") as f:
    for m in sorted(sums):
        f.write("%s %d %d\n" % (m, sums[m][0], int(sums[m][1] * 10**9)))
PY
"$IMCOST" --quiet import w4.jsonl
expect_eq "gcp: an overlapping window replaces only the overlap" "$(db_sums)" \
	"$(sums_of w0.jsonl w1.jsonl w2.jsonl w3head.jsonl w4.jsonl)"
rollup_ok "gcp overlap"
w3id=$("$IMCOST" --format csv list | awk -F, '$3 == "w3.jsonl" {print $1}' | tail -1)
expect_eq "gcp: list says the Dec 1-6 file is partly replaced (216 of its rows: 3 days)" \
	"$("$IMCOST" --format csv list | awk -F, -v id="$w3id" '$1 == id && $7 == "2026-12" {print $12}')" \
	"partly replaced (216 rows)"

# forget the overlapping file: the previous state, exactly
w4id=$("$IMCOST" --format csv list | awk -F, '$3 == "w4.jsonl" {print $1}' | head -1)
fp=$(db_fingerprint)
"$IMCOST" --quiet forget --dry-run "$w4id" >dry.out
expect_eq "forget --dry-run changes nothing" "$(db_fingerprint)" "$fp"
expect_eq "forget --dry-run says what it would restore (216 rows of 1 import)" \
	"$("$IMCOST" --format csv forget --dry-run "$w4id" | tail -1 | cut -d, -f1,5,6,7)" \
	"$w4id,432,216,1"
"$IMCOST" --quiet forget "$w4id" >/dev/null
expect_eq "forget after a partial replacement: rows and totals as before" "$(db_sums)" "$before"
expect_eq "forget after a partial replacement: list as before" \
	"$("$IMCOST" --format csv list | cut -d, -f1,2,7,8,12)" "$before_list"
rollup_ok "gcp forget"
expect_status "forget an unknown import: exit 1" 1 "$IMCOST" forget 999
expect_status "forget without an argument: usage error" 2 "$IMCOST" forget
expect_status "forget --help" 0 "$IMCOST" forget --help

# ---- CUR: a restated month replaces the whole month; forget restores it ----
if have_gen; then
	rm -f "$IMCOST_DB"
	gen_cur a.csv 2026-10 1 111122223333 400
	gen_cur b.csv 2026-10 2 111122223333 300
	"$IMCOST" --quiet import a.csv
	a_sums=$(db_sums)
	a_nanos=$("$PYTHON" -c "from decimal import Decimal; print(int(Decimal('$(tot a.csv.tot billed_cost)') * 10**9))")
	expect_eq "cur: the first month's total is the generator's" "$(echo "$a_sums" | cut -d' ' -f3)" "$a_nanos"
	"$IMCOST" --quiet import b.csv
	b_nanos=$("$PYTHON" -c "from decimal import Decimal; print(int(Decimal('$(tot b.csv.tot billed_cost)') * 10**9))")
	expect_eq "cur: a restated month replaces the whole month" "$(db_sums | cut -d' ' -f3)" "$b_nanos"
	bid=$("$IMCOST" --format csv list | awk -F, '$3 == "b.csv" {print $2}' | head -1)
	"$IMCOST" --quiet forget --batch "$bid" >/dev/null
	expect_eq "cur: forget --batch restores the replaced month exactly" "$(db_sums)" "$a_sums"
	expect_eq "cur: after forget the first import is current again" \
		"$("$IMCOST" --format csv list | awk -F, '$3 == "a.csv" {print $12}')" "current"
	rollup_ok "cur forget"
	# --add keeps both; forget of the added copy brings back one
	"$IMCOST" --quiet import --add b.csv
	expect_eq "cur: import --add adds" "$(db_sums | cut -d' ' -f3)" "$((a_nanos + b_nanos))"
	bid=$("$IMCOST" --format csv list | awk -F, '$3 == "b.csv" {print $1}' | head -1)
	"$IMCOST" --quiet forget "$bid" >/dev/null
	expect_eq "cur: forget the added copy" "$(db_sums)" "$a_sums"
	aid=$("$IMCOST" --format csv list | awk -F, '$3 == "a.csv" {print $1}' | head -1)
	"$IMCOST" --quiet forget "$aid" >/dev/null
	expect_eq "cur: forget the only import leaves no rows" \
		"$("$IMCOST" --format csv sql "SELECT (SELECT COUNT(*) FROM charge_facts) + (SELECT COUNT(*) FROM replaced_charges) + (SELECT COUNT(*) FROM imports) + (SELECT COUNT(*) FROM rollup_daily)" | tail -1)" 0
else
	skip "cur forget" "no $GEN_CUR"
fi

# ---- GCP --replace: the whole invoice month, like a CUR refresh ----
rm -f "$IMCOST_DB"
"$IMCOST" --quiet import w1.jsonl
"$IMCOST" --quiet import --replace w2.jsonl
expect_eq "gcp import --replace: the file replaces its whole invoice months" \
	"$(db_sums | awk '$1 == "202611"')" "$(sums_of w2.jsonl | awk '$1 == "202611"')"
expect_status "import --replace --add: usage error" 2 "$IMCOST" import --replace --add w1.jsonl

# ---- CUR manifests in their S3 layouts ----
if have_gen; then
	gen_cur m.csv 2026-10 5 111122223333 600
	gen_cur old.csv 2026-10 6 111122223333 300
	want=$("$PYTHON" -c "from decimal import Decimal; print(int(Decimal('$(tot m.csv.tot billed_cost)') * 10**9))")
	# split_parts CSV DIR NAME: two gzip parts with the header each
	split_parts() {
		mkdir -p "$2"
		head -1 "$1" >h.csv
		tail -n +2 "$1" >body.csv
		split -n l/2 body.csv part.
		cat h.csv part.aa | gzip >"$2/$3-1.csv.gz"
		cat h.csv part.ab | gzip >"$2/$3-2.csv.gz"
		rm -f part.aa part.ab body.csv h.csv
	}
	M=s3/cur/prefix/name/20261001-20261101
	split_parts m.csv "$M/aaaa-1111" name
	split_parts old.csv "$M/bbbb-0000" name
	key=prefix/name/20261001-20261101
	# the month manifest names the latest assembly; each assembly has its own
	printf '{"assemblyId":"aaaa-1111","reportKeys":["%s/aaaa-1111/name-1.csv.gz","%s/aaaa-1111/name-2.csv.gz"]}\n' \
		"$key" "$key" >"$M/name-Manifest.json"
	cp "$M/name-Manifest.json" "$M/aaaa-1111/name-Manifest.json"
	printf '{"assemblyId":"bbbb-0000","reportKeys":["%s/bbbb-0000/name-1.csv.gz","%s/bbbb-0000/name-2.csv.gz"]}\n' \
		"$key" "$key" >"$M/bbbb-0000/name-Manifest.json"
	rm -f "$IMCOST_DB"
	if "$IMCOST" --quiet import "$M/name-Manifest.json" 2>man.err; then
		expect_eq "month-level CUR manifest (S3 layout): the listed assembly's total" \
			"$(db_sums | cut -d' ' -f3)" "$want"
	else
		nok "month-level CUR manifest (S3 layout)" "$(head -1 man.err)"
	fi
	expect_eq "month-level CUR manifest: one batch of two parts labelled with the assemblyId" \
		"$("$IMCOST" --format csv sql "SELECT COUNT(*), COUNT(DISTINCT i.batch_id), MIN(b.label) FROM imports i JOIN batches b ON b.id = i.batch_id" | tail -1)" \
		"2,1,aaaa-1111"
	rm -f "$IMCOST_DB"
	"$IMCOST" --quiet import "$M/bbbb-0000/name-Manifest.json" 2>/dev/null
	"$IMCOST" --quiet import "$M" 2>man.err
	expect_eq "import DIR on the month folder: its manifest, replacing the older assembly" \
		"$(db_sums | cut -d' ' -f3)" "$want"
	# Data Exports: metadata/BILLING_PERIOD=2026-10/NAME-Manifest.json lists s3:// URIs
	D=s3/de/prefix/exp
	split_parts m.csv "$D/data/BILLING_PERIOD=2026-10" exp
	mkdir -p "$D/metadata/BILLING_PERIOD=2026-10"
	printf '{"executionId":"e-42","dataFiles":["s3://bucket/prefix/exp/data/BILLING_PERIOD=2026-10/exp-1.csv.gz","s3://bucket/prefix/exp/data/BILLING_PERIOD=2026-10/exp-2.csv.gz"]}\n' \
		>"$D/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json"
	rm -f "$IMCOST_DB"
	if "$IMCOST" --quiet import "$D/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json" 2>man.err; then
		expect_eq "Data Exports manifest (S3 layout): the month's total" "$(db_sums | cut -d' ' -f3)" "$want"
	else
		nok "Data Exports manifest (S3 layout)" "$(head -1 man.err)"
	fi
	printf '{"assemblyId":"x","reportKeys":["../../../etc/passwd"]}\n' >evil-Manifest.json
	expect_status "a manifest key with a '..' folder is refused" 1 "$IMCOST" import evil-Manifest.json
	# a parent folder is searched only for the key's tail after that
	# folder's own name: a bare name cannot reach a file three levels up
	mkdir -p x/y/z
	cp m.csv secret.csv
	printf '{"assemblyId":"x","reportKeys":["secret.csv"]}\n' >x/y/z/up-Manifest.json
	expect_status "a manifest cannot name a file in a parent folder by its bare name" 1 \
		"$IMCOST" import x/y/z/up-Manifest.json
else
	skip "cur manifests" "no $GEN_CUR"
fi

# ---- Azure actual + amortized: billed from actual, effective from amortized ----
# expected: Microsoft's rule, "all rows of the amortized file plus the
# commitment purchases and refunds of the actual file", with usage covered
# by a commitment billed 0 (the purchase carries the cash)
# azure_expect ACTUAL AMORTIZED COST_COL TYPE_COL RES_COL: "billed effective" nanos
azure_expect() {
	"$PYTHON" - "$@" <<'PY'
import csv, sys
from decimal import Decimal
actual, amortized, cost, ctype, res = sys.argv[1:6]
def rows(p):
    with open(p, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
def committed(r):
    return bool(r.get(res, "").strip()) or r.get("PricingModel", "") in ("Reservation", "SavingsPlan") \
        or bool(r.get("benefitId", "").strip())
billed = effective = Decimal(0)
for r in rows(amortized):
    c = Decimal(r[cost])
    effective += c
    if not committed(r) and r[ctype] not in ("UnusedReservation", "UnusedSavingsPlan"):
        billed += c
for r in rows(actual):
    if r[ctype] in ("Purchase", "Refund") and committed(r):
        billed += Decimal(r[cost])
print(int(billed * 10**9), int(effective * 10**9))
PY
}
db_money() { "$IMCOST" --format csv sql "SELECT SUM(BilledCostNanos), SUM(EffectiveCostNanos) FROM charge_facts" | tail -1 | tr ',' ' '; }

# azure_pair NAME ACTUAL AMORTIZED COST TYPE RES: one command and two, both orders
azure_pair() {
	local name=$1 act=$2 amo=$3 want
	want=$(azure_expect "$act" "$amo" "$4" "$5" "$6")
	rm -f "$IMCOST_DB"
	"$IMCOST" --quiet import "$act" "$amo" 2>/dev/null
	expect_eq "$name: actual + amortized in one command" "$(db_money)" "$want"
	rm -f "$IMCOST_DB"
	"$IMCOST" --quiet import "$amo" "$act" 2>/dev/null
	expect_eq "$name: amortized + actual in one command" "$(db_money)" "$want"
	rm -f "$IMCOST_DB"
	"$IMCOST" --quiet import "$act" 2>/dev/null
	local only_actual; only_actual=$(db_money)
	"$IMCOST" --quiet import "$amo" 2>/dev/null
	expect_eq "$name: actual, then amortized" "$(db_money)" "$want"
	local amo_id; amo_id=$("$IMCOST" --format csv list | awk -F, -v f="$amo" '$3 == f {print $1}' | head -1)
	"$IMCOST" --quiet forget "$amo_id" >/dev/null
	expect_eq "$name: forget the amortized import: the actual file alone again" "$(db_money)" "$only_actual"
	rm -f "$IMCOST_DB"
	"$IMCOST" --quiet import "$amo" 2>/dev/null
	"$IMCOST" --quiet import "$act" 2>/dev/null
	expect_eq "$name: amortized, then actual" "$(db_money)" "$want"
	rollup_ok "$name"
}

if have_samples && [ -f "$SAMPLES/azure/ea-actual_finops-toolkit_2023-09.csv" ]; then
	cp "$SAMPLES/azure/ea-actual_finops-toolkit_2023-09.csv" ea-actual.csv
	cp "$SAMPLES/azure/ea-amortized_finops-toolkit_2023-09.csv" ea-amortized.csv
	azure_pair "azure EA sample" ea-actual.csv ea-amortized.csv Cost ChargeType ReservationId
else
	skip "azure EA sample" "no $SAMPLES/azure"
fi
if have_samples && [ -f "$SAMPLES/azure/mca-camelcase_koku_2023-08.csv" ]; then
	# the MCA sample's rows (on demand) plus a reservation's purchase and
	# covered usage (actual) or its amortized usage and unused hours
	"$PYTHON" - "$SAMPLES/azure/mca-camelcase_koku_2023-08.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    r = csv.DictReader(f)
    hdr, base = r.fieldnames, list(r)
res = "/providers/Microsoft.Capacity/reservationOrders/o1/reservations/r1"
def row(**kw):
    x = dict(base[0]); x.update(kw); return x
common = dict(reservationId=res, reservationName="r1", meterCategory="Virtual Machines")
actual = base + [row(chargeType="Purchase", costInBillingCurrency="120.5", quantity="1", frequency="OneTime", **common),
                 row(chargeType="Usage", costInBillingCurrency="0", quantity="24", frequency="UsageBased", **common)]
amortized = base + [row(chargeType="Usage", costInBillingCurrency="3.2125", quantity="24", frequency="UsageBased", **common),
                    row(chargeType="UnusedReservation", costInBillingCurrency="0.8375", quantity="6", frequency="UsageBased", **common)]
for name, rows in (("mca-actual.csv", actual), ("mca-amortized.csv", amortized)):
    with open(name, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=hdr)
        w.writeheader(); w.writerows(rows)
PY
	azure_pair "azure MCA (sample rows + a reservation)" mca-actual.csv mca-amortized.csv \
		costInBillingCurrency chargeType reservationId
else
	skip "azure MCA sample" "no $SAMPLES/azure"
fi
