# t-analyzers.sh - end-to-end checks of `imcost analyze` on a generated CUR
# month (bench/gen-cur.c) with planted facts: idle instances and addresses,
# reservations and a savings plan with known used hours, an S3 cost spike,
# service metrics.  Expected answers come from gen-cur's --totals file or
# are computed here by python3 straight from the generated CSV (the
# optimal commitment count by brute force over k), never from imcost.

. "$ROOT/tests/e2e/lib.sh"

if [ ! -x "$GEN_CUR" ]; then
	skip "analyzers" "no gen-cur at $GEN_CUR"
	exit 0
fi

"$GEN_CUR" --rows 20000 --seed 3 --out cur.csv --totals totals.txt --metrics metrics.csv
tot() { sed -n "s/^$1=//p" totals.txt | head -1; }

# a pricing catalog for every (region, type) of the generator: on demand
# at the generator's prices, 1y no-upfront reservations at 0.62 of it, a
# 1y no-upfront savings plan at 0.7 of it
python3 - >pricing.json <<'PY'
import json
od = {"us-east-1": {"c6i.xlarge": "0.17", "m6i.large": "0.096", "r6i.2xlarge": "0.504", "t3.medium": "0.0416"},
      "eu-west-1": {"c6i.xlarge": "0.19", "m6i.large": "0.107", "r6i.2xlarge": "0.564", "t3.medium": "0.0456"},
      "ap-southeast-1": {"c6i.xlarge": "0.196", "m6i.large": "0.12", "r6i.2xlarge": "0.608", "t3.medium": "0.0528"}}
from decimal import Decimal as D
out = []
for r, types in od.items():
    for t, p in types.items():
        out.append({"provider": "AWS", "region": r, "instance_type": t, "platform": "Linux",
                    "on_demand_hourly": p, "source": "test", "as_of": "2026-10",
                    "commitments": [
                        {"term": "1y", "payment": "no_upfront", "hourly": str(D(p) * D("0.62"))},
                        {"term": "1y", "payment": "no_upfront", "hourly": str(D(p) * D("0.7")),
                         "type": "savings_plan"}]})
print(json.dumps({"compute": out}))
PY

if ! "$IMCOST" import cur.csv metrics.csv >/dev/null 2>import.err; then
	nok "import of the generated month" "$(head -3 import.err)"
	exit 0
fi
"$IMCOST" --format json analyze --pricing pricing.json >out.json 2>err.txt
expect_eq "analyze --format json exits 0" "$?" 0

# --- idle ---------------------------------------------------------------
got=$(python3 -c '
import json; d = json.load(open("out.json"))
print(" ".join(sorted(f["resource_id"] for f in d["idle"] if f["kind"] == "instance")))')
want=$(sed -n 's/^idle_instance=//p' totals.txt | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "idle instances are exactly the planted ones" "$got" "$want"
got=$(python3 -c '
import json; d = json.load(open("out.json"))
print(" ".join(sorted(f["resource_id"] for f in d["idle"] if f["kind"] == "elastic_ip")))')
want=$(sed -n 's/^idle_eip=//p' totals.txt | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "idle addresses are exactly the planted ones" "$got" "$want"

# the cost of each idle instance and address in the period, from the CSV
got=$(python3 - <<'PY'
import csv, json
from decimal import Decimal as D
d = json.load(open("out.json"))
ids = {f["resource_id"]: f for f in d["idle"] if f["kind"] in ("instance", "elastic_ip")}
cost = {k: D(0) for k in ids}
with open("cur.csv", newline="") as fh:
    r = csv.DictReader(fh)
    for row in r:
        if row["lineItem/ResourceId"] in cost and row["lineItem/LineItemType"] == "Usage":
            cost[row["lineItem/ResourceId"]] += D(row["lineItem/UnblendedCost"])
bad = [k for k in ids if abs(D(str(ids[k]["period_cost"])) - cost[k]) > D("0.000001")]
print("ok" if ids and not bad else "mismatch: %s" % bad)
PY
)
expect_eq "idle findings priced as in the bill" "$got" ok

# --- existing commitments ----------------------------------------------
got=$(python3 - <<'PY'
import json
t = dict(l.strip().split("=", 1) for l in open("totals.txt") if "=" in l and not l.startswith("#"))
d = json.load(open("out.json"))
ex = {x["commitment_id"]: x for x in d["commitments"]["existing"]}
bad = []
i = 0
while "ri.%d.arn" % i in t:
    x = ex.get(t["ri.%d.arn" % i])
    used, res = int(t["ri.%d.used_hours" % i]), int(t["ri.%d.reserved_hours" % i])
    if x is None or abs(x["covered_hours"] - used) > 1e-9 or abs(x["utilization"] - used / res) > 1e-3:
        bad.append(i)
    i += 1
sp = ex.get(t["sp.arn"])
want = float(t["sp.used_commitment"]) / float(t["sp.total_commitment"])
if sp is None or abs(sp["utilization"] - want) > 1e-5:
    bad.append("sp")
print("ok" if i and not bad else "bad: %s" % bad)
PY
)
expect_eq "reservation and savings plan utilization match the planted hours" "$got" ok

# --- purchase advice: brute force over k from the CSV --------------------
python3 - >expected_k.txt <<'PY'
import csv, json
from collections import defaultdict
from decimal import Decimal as D
t = [l.strip() for l in open("totals.txt")]
idle = {l.split("=", 1)[1] for l in t if l.startswith("idle_instance=")}
cat = {(e["region"], e["instance_type"]): e for e in json.load(open("pricing.json"))["compute"]}
u = defaultdict(lambda: defaultdict(D))
with open("cur.csv", newline="") as fh:
    for row in csv.DictReader(fh):
        if row["lineItem/LineItemType"] != "Usage" or "BoxUsage" not in row["lineItem/UsageType"]:
            continue
        if row["lineItem/ResourceId"] in idle:
            continue
        key = (row["product/regionCode"], row["product/instanceType"])
        u[key][row["lineItem/UsageStartDate"]] += D(row["lineItem/UsageAmount"])
month = next(l for l in t if l.startswith("month=")).split("=")[1]
y, m = map(int, month.split("-"))
import calendar
H = calendar.monthrange(y, m)[1] * 24
for key in sorted(u):
    e = cat[key]
    p = D(e["on_demand_hourly"]); c = D(e["commitments"][0]["hourly"])
    hours = list(u[key].values()) + [D(0)] * (H - len(u[key]))
    best, bestv = 0, D(0)
    for k in range(0, int(max(hours)) + 1):
        v = sum(p * min(x, k) for x in hours) - k * c * H
        if v >= bestv:
            best, bestv = k, v
    if best > 0:
        print("%s %s %d %s" % (key[0], key[1], best, (bestv * 730 / H).quantize(D("0.000001"))))
PY
got=$(python3 - <<'PY'
import json
d = json.load(open("out.json"))
for r in sorted(d["commitments"]["recommendations"], key=lambda r: (r["region"], r["instance_type"])):
    print("%s %s %d %.6f" % (r["region"], r["instance_type"], r["count"], r["monthly_savings"]))
PY
)
want=$(sort expected_k.txt)
got=$(printf '%s\n' "$got" | sort)
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	ok "recommended counts and savings equal the brute-force optimum"
else
	nok "recommended counts and savings equal the brute-force optimum" "got [$got] want [$want]"
fi
got=$(python3 - <<'PY'
import json
t = dict(l.strip().split("=", 1) for l in open("totals.txt") if "=" in l and not l.startswith("#"))
d = json.load(open("out.json"))
bad = []
for r in d["commitments"]["recommendations"]:
    floor = int(t["steady_not_idle.%s.%s" % (r["region"], r["instance_type"])])
    if r["count"] < floor or r["term"] != "1y" or abs(r["break_even_utilization"] - 0.62) > 1e-6:
        bad.append(r["instance_type"])
print("ok" if not bad else bad)
PY
)
expect_eq "never fewer than the steady busy instances, break-even 0.62" "$got" ok

# the fleet-wide savings plan: the ceil(0.7 H)-th largest hourly spend at plan rates
got=$(python3 - <<'PY'
import csv, json, math, calendar
from collections import defaultdict
from decimal import Decimal as D, ROUND_FLOOR
t = [l.strip() for l in open("totals.txt")]
idle = {l.split("=", 1)[1] for l in t if l.startswith("idle_instance=")}
cat = {(e["region"], e["instance_type"]): D(e["commitments"][1]["hourly"])
       for e in json.load(open("pricing.json"))["compute"]}
w = defaultdict(D)
with open("cur.csv", newline="") as fh:
    for row in csv.DictReader(fh):
        if row["lineItem/LineItemType"] != "Usage" or "BoxUsage" not in row["lineItem/UsageType"]:
            continue
        if row["lineItem/ResourceId"] in idle:
            continue
        key = (row["product/regionCode"], row["product/instanceType"])
        w[row["lineItem/UsageStartDate"]] += cat[key] * D(row["lineItem/UsageAmount"])
month = next(l for l in t if l.startswith("month=")).split("=")[1]
y, m = map(int, month.split("-"))
H = calendar.monthrange(y, m)[1] * 24
vals = sorted(w.values(), reverse=True) + [D(0)] * (H - len(w))
X = vals[math.ceil(D("0.7") * H) - 1].quantize(D("0.001"), rounding=ROUND_FLOOR)
d = json.load(open("out.json"))
sp = [s for s in d["commitments"]["savings_plan"] if s["term"] == "1y" and s["payment"] == "no_upfront"]
print("ok" if sp and abs(D(str(sp[0]["hourly_commitment"])) - X) < D("0.0000001") else "got %s want %s" % (sp, X))
PY
)
expect_eq "savings plan commitment is the 0.7-quantile of hourly plan spend" "$got" ok

# --- anomalies, forecast, unit economics ---------------------------------
got=$(python3 -c '
import json; d = json.load(open("out.json")); a = d["anomalies"]["anomalies"]
print(a[0]["day"] + " " + a[0]["service"] if a else "none")')
expect_eq "the planted S3 spike is the largest anomaly" "$got" "$(tot anomaly.date) Amazon Simple Storage Service"

got=$(python3 -c '
import json; d = json.load(open("out.json")); f = d["forecast"]["forecasts"][0]
print("ok" if f["method"] == "complete month" and abs(f["forecast"] - d["summary"]["effective_cost"]) < 1e-6 else f)')
expect_eq "forecast of a complete month is its effective cost" "$got" ok

got=$(python3 - <<'PY'
import json
from decimal import Decimal as D
t = dict(l.strip().split("=", 1) for l in open("totals.txt") if "=" in l and not l.startswith("#"))
d = json.load(open("out.json"))
m = d["unit_economics"]["months"][0]
eff = D(t["effective_cost"])
want = {"cost_per_mau": eff / D(t["service.mau_max"]),
        "cost_per_million_messages": eff / (D(t["service.messages"]) / 1000000),
        "cost_per_peak_connection": eff / D(t["service.peak_connections_max"])}
bad = [k for k, v in want.items() if abs(D(str(m[k])) - v) > D("0.000001")]
print("ok" if not bad else bad)
PY
)
expect_eq "unit economics from the planted service metrics" "$got" ok

# --- a half month: forecast from the days seen ----------------------------
python3 - <<'PY'
import csv
with open("cur.csv", newline="") as fh, open("half.csv", "w", newline="") as out:
    r = csv.reader(fh); w = csv.writer(out, lineterminator="\n")
    hdr = next(r); w.writerow(hdr)
    s = hdr.index("lineItem/UsageStartDate"); e = hdr.index("lineItem/UsageEndDate")
    for row in r:
        # keep lines that end by the 15th (the first 14 days) and the monthly ones
        if row[e] <= row[s][:8] + "15T00:00:00Z" or row[s][8:10] == "01" and row[e][8:10] == "01":
            w.writerow(row)
PY
IMCOST_DB="$TEST_DIR/half.db" "$IMCOST" import half.csv >/dev/null 2>&1
IMCOST_DB="$TEST_DIR/half.db" "$IMCOST" --format json analyze --only forecast \
	--forecast-weekday-days 100 >half.json 2>/dev/null
daily=$(sqlite3 "$TEST_DIR/half.db" "SELECT SUM(EffectiveCostNanos) FROM charges
	WHERE ChargePeriodEnd - ChargePeriodStart <= 86400")
total=$(sqlite3 "$TEST_DIR/half.db" "SELECT SUM(EffectiveCostNanos) FROM charges")
got=$(python3 - "$daily" "$total" <<'PY'
import json, sys, calendar
from decimal import Decimal as D
daily, total = D(sys.argv[1]) / 10**9, D(sys.argv[2]) / 10**9
f = json.load(open("half.json"))["forecast"]["forecasts"][0]
days = f["days_in_month"]
want = total + daily / 14 * (days - 14)
ok = f["days_seen"] == 14 and "run-rate" in f["method"] and abs(D(str(f["forecast"])) - want) < D("0.000002")
print("ok" if ok else "got %s want %s" % (f, want))
PY
)
expect_eq "half month: run-rate forecast from 14 days" "$got" ok
IMCOST_DB="$TEST_DIR/half.db" "$IMCOST" --format json analyze --only forecast >half2.json 2>/dev/null
got=$(python3 -c '
import json; f = json.load(open("half2.json"))["forecast"]["forecasts"][0]; print(f["method"])')
expect_eq "half month: weekday pattern by default" "$got" "weekday pattern over 14 days"

# --- options and errors ----------------------------------------------------
"$IMCOST" --format json analyze --only idle --idle-cpu 0.5 >low.json 2>/dev/null
got=$(python3 -c '
import json; d = json.load(open("low.json"))
print(sum(1 for f in d["idle"] if f["kind"] == "instance"))')
expect_eq "--idle-cpu 0.5 flags no instance (planted idle CPU is above 0.5%)" "$got" 0
echo '{"compute":[{"provider":"AWS","region":"us-east-1","instance_type":"m5.large","platform":"Linux"}]}' >bad.json
"$IMCOST" analyze --pricing bad.json >/dev/null 2>bad.err
rc=$?
expect_eq "a catalog entry without a price: exit 1" "$rc" 1
if grep -q "bad.json: compute\[0\] (AWS us-east-1 m5.large Linux): missing required key on_demand_hourly" bad.err; then
	ok "the error names the file, the entry and the key"
else
	nok "the error names the file, the entry and the key" "$(cat bad.err)"
fi
expect_status "--term 2y is a usage error" 2 "$IMCOST" analyze --term 2y
expect_status "--lookback 0 is a usage error" 2 "$IMCOST" analyze --lookback 0
expect_status "--idle-cpu 101 is a usage error" 2 "$IMCOST" analyze --idle-cpu 101
"$IMCOST" --format json analyze --only commitments --lookback 3 >lb.json 2>/dev/null
got=$(python3 -c '
import json; c = json.load(open("lb.json"))["commitments"]
print(c["window"]["hours"], len(c["recommendations"]))')
expect_eq "--lookback 3: a 72-hour window, too short for advice" "$got" "72 0"
"$IMCOST" analyze --help >help.txt 2>&1
if grep -q "Trusted Advisor" help.txt && grep -q -- "--idle-cpu PCT" help.txt && grep -q "default 14" help.txt; then
	ok "help documents the thresholds and their sources"
else
	nok "help documents the thresholds and their sources"
fi
for f in table markdown; do
	expect_status "analyze --format $f" 0 "$IMCOST" --format $f analyze --pricing pricing.json
done
# CSV is one table: --only names it, without it the sections are listed
expect_status "analyze --format csv --only idle" 0 "$IMCOST" --format csv analyze --pricing pricing.json --only idle
expect_status "analyze --format csv without --only: usage error" 2 "$IMCOST" --format csv analyze --pricing pricing.json
if "$IMCOST" --format csv analyze --only idle | head -1 | grep -q "^resource_id,kind,reason,monthly_cost"; then
	ok "CSV output has the idle table"
else
	nok "CSV output has the idle table"
fi

# top resources folded from their rollup rows (summary-resources.c): a
# resource billed under several (service, region) groups, in two months
# and two currencies, gets per currency the sum of its rows and the
# service and region of its largest group (ties: the first region); the
# expected lists are worked out by hand from the rows below
python3 - <<'PY'
import csv
H = ("BilledCost,EffectiveCost,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,"
     "BillingPeriodEnd,BillingCurrency,ProviderName,BillingAccountId,ServiceName,RegionId,ResourceId").split(",")
def write(name, month, nxt, rows):
    with open(name, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(H)
        for cost, cur, acct, svc, reg, res in rows:
            w.writerow([cost, cost, "Usage", month + "-10T00:00:00Z", month + "-10T01:00:00Z",
                        month + "-01T00:00:00Z", nxt + "-01T00:00:00Z", cur, "Acme", acct, svc, reg, res])
write("fold-may.csv", "2026-05", "2026-06", [
    ("3.00", "USD", "acct-usd", "A", "us-east-1", "r1"), ("5.00", "USD", "acct-usd", "B", "eu-west-1", "r1"),
    ("5.00", "USD", "acct-usd", "A", "us-east-1", "r2"), ("5.00", "USD", "acct-usd", "A", "eu-west-1", "r2"),
    ("2.00", "EUR", "acct-eur", "B", "eu-west-1", "r1")])
write("fold-jun.csv", "2026-06", "2026-07", [
    ("4.00", "USD", "acct-usd", "A", "us-east-1", "r1"), ("1.50", "USD", "acct-usd", "C", "us-east-1", "r3")])
PY
"$IMCOST" --db fold.db import fold-may.csv fold-jun.csv >/dev/null 2>&1
top_of() {
	"$IMCOST" --db fold.db --format json analyze --only summary "$@" 2>/dev/null |
		jq -r '[.summaries[] | .currency + ": " + ([.by_resource[] | "\(.resource_id) \(.service) \(.region) \(.account) \(.effective_cost)"] | join(", "))] | join("; ")'
}
expect_eq "top resources: folded across groups, months and currencies" "$(top_of)" \
	"USD: r1 A us-east-1 acct-usd 12, r2 A eu-west-1 acct-usd 10, r3 C us-east-1 acct-usd 1.5; EUR: r1 B eu-west-1 acct-eur 2"
expect_eq "top resources: one month (r1's largest group is then B)" "$(top_of --month 2026-05)" \
	"USD: r2 A eu-west-1 acct-usd 10, r1 B eu-west-1 acct-usd 8; EUR: r1 B eu-west-1 acct-eur 2"
expect_eq "top resources: --top-resources 1 keeps each currency's largest" "$(top_of --top-resources 1)" \
	"USD: r1 A us-east-1 acct-usd 12; EUR: r1 B eu-west-1 acct-eur 2"
