# t-real-data.sh - the figures of issue 16 on small bills built here: a
# near-zero previous month, ... Every expected answer is computed in this
# script (python3 decimal / integer arithmetic), never by imcost.

. "$ROOT/tests/e2e/lib.sh"

# bill.py: write a legacy CUR from rows of keyword arguments
cat >bill.py <<'PY'
import csv
COLS = ["bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate",
        "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UsageEndDate",
        "lineItem/ProductCode", "product/ProductName", "lineItem/UsageType", "lineItem/Operation",
        "lineItem/ResourceId", "lineItem/UsageAmount", "pricing/unit", "lineItem/CurrencyCode",
        "lineItem/UnblendedCost", "product/regionCode", "product/instanceType",
        "product/operatingSystem", "reservation/ReservationARN", "reservation/EffectiveCost",
        "savingsPlan/SavingsPlanARN", "savingsPlan/SavingsPlanEffectiveCost",
        "pricing/publicOnDemandCost"]
KEY = {"type": 3, "start": 4, "end": 5, "code": 6, "product": 7, "usage_type": 8, "op": 9,
       "resource": 10, "amount": 11, "unit": 12, "cost": 14, "region": 15, "itype": 16,
       "os": 17, "ri": 18, "ri_eff": 19, "sp": 20, "sp_eff": 21, "od_cost": 22}
def month_bounds(ts):
    y, m = int(ts[0:4]), int(ts[5:7])
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    return "%04d-%02d-01T00:00:00Z" % (y, m), "%04d-%02d-01T00:00:00Z" % (ny, nm)
def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLS)
        for r in rows:
            out = [""] * len(COLS)
            out[0] = "111122223333"
            out[1], out[2] = month_bounds(r.get("bp", r["start"]))
            out[3] = "Usage"; out[13] = "USD"; out[6] = "AmazonEC2"
            out[7] = "Amazon Elastic Compute Cloud"; out[15] = "us-east-1"
            for k, v in r.items():
                if k in KEY:
                    out[KEY[k]] = str(v)
            w.writerow(out)
PY
export PYTHONPATH=$PWD

# run_db NAME: a fresh database for one scenario
run_db() { export IMCOST_DB="$PWD/$1.db"; rm -f "$IMCOST_DB"; }

# ---- point 9: a percentage change needs a material base ------------------
run_db nearzero
"$PYTHON" - <<'PY'
import bill
rows = [dict(start="2026-09-10T00:00:00Z", end="2026-09-10T01:00:00Z", code="AmazonS3",
             product="Amazon Simple Storage Service", usage_type="Requests-Tier1",
             resource="b1", amount=1, cost="0.000026", region="eu-west-1")]
for d in range(1, 32):
    rows.append(dict(start="2026-10-%02dT00:00:00Z" % d, end="2026-10-%02dT01:00:00Z" % d,
                     code="AmazonS3", product="Amazon Simple Storage Service",
                     usage_type="Requests-Tier1", resource="b1", amount=1, cost="0.525",
                     region="eu-west-1"))
bill.write("nearzero.csv", rows)
PY
"$IMCOST" --quiet import nearzero.csv
"$IMCOST" report --month 2026-10 --out nz --no-charts >/dev/null 2>nz.err
# a change is printed signed ("+12.3%"); shares are not
got=$(grep -cE '[+-][0-9][0-9,]*\.[0-9]%' nz/report.md nz/report.html | awk -F: '{s += $2} END {print s}')
expect_eq "near-zero previous month: no percentage change in the headline, tables or advice" "$got" 0
got=$(grep -c '| +16.27 | new |' nz/report.md)
expect_eq "near-zero previous month: service, account and region rows say new" "$got" 3
got=$("$PYTHON" - <<'PY'
import csv
from decimal import Decimal as D
bad = []
for f in ("cost-by-service", "cost-by-region", "cost-by-account"):
    for r in csv.DictReader(open("nz/%s.csv" % f)):
        # the absolute change stays, computed here: 31 x 0.525 - 0.000026
        if r["change_ratio"] != "" or D(r["change"]) != D("0.525") * 31 - D("0.000026"):
            bad.append(f)
print("ok" if not bad else bad)
PY
)
expect_eq "near-zero previous month: CSV tables keep the absolute change, no ratio" "$got" ok
# a material base keeps its percentage: 10.00 -> 15.00 is +50.0%
run_db material
"$PYTHON" - <<'PY'
import bill
bill.write("material.csv", [
    dict(start="2026-09-10T00:00:00Z", end="2026-09-10T01:00:00Z", resource="i-1", amount=1, cost="10.00"),
    dict(start="2026-10-10T00:00:00Z", end="2026-10-10T01:00:00Z", resource="i-1", amount=1, cost="15.00")])
PY
"$IMCOST" --quiet import material.csv
"$IMCOST" report --month 2026-10 --out mat --no-charts >/dev/null 2>mat.err
want=$("$PYTHON" -c 'from decimal import Decimal as D; print("%+.1f%%" % ((D("15") - D("10")) / D("10") * 100))')
got=$(grep -c "Change vs.*$want: effective cost" mat/report.md)
expect_eq "a material base keeps its percentage ($want)" "$got" 1
